//! `apex-ta scan`: with the `sql` feature, SQL over CSV and Parquet panels
//! agreeing with `apex-ta indicators` and `apex-ta score`, the same with 1
//! and with many partitions; without it, a clear exit 1.

use crate::common::{run, text};

#[cfg(not(feature = "sql"))]
#[test]
fn without_the_sql_feature_scan_exits_1_and_says_how_to_build_it() {
    let out = run(&["scan", "panel.parquet"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("--features sql"), "{err}");
}

#[cfg(feature = "sql")]
mod sql {
    use std::path::{Path, PathBuf};

    use apex_ta::sample;

    use super::*;
    use crate::common::{scratch, write_sample};

    /// `[IWM, SPY, QQQ, DGS2]` of the sample, and a panel directory with
    /// IWM, SPY and QQQ as three symbols.
    fn sample_panel(name: &str) -> (PathBuf, [PathBuf; 4]) {
        let root = scratch(name);
        let files = write_sample(&root, &sample::market());
        let panel = root.join("panel");
        std::fs::create_dir_all(&panel).unwrap();
        for f in &files[..3] {
            std::fs::copy(f, panel.join(f.file_name().unwrap())).unwrap();
        }
        (panel, files)
    }

    fn s(p: &Path) -> String {
        p.display().to_string()
    }

    fn records(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut lines = csv.lines();
        let header = lines
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        let rows = lines
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        (header, rows)
    }

    fn scan(args: &[String]) -> String {
        let args: Vec<&str> = std::iter::once("scan")
            .chain(args.iter().map(String::as_str))
            .collect();
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    }

    #[test]
    fn one_partition_or_many_and_csv_or_parquet_give_the_same_result() {
        let (panel, files) = sample_panel("scan_partitions");
        let bench = |extra: &[&str]| -> Vec<String> {
            let mut v = vec![
                "--spy".to_string(),
                s(&files[1]),
                "--qqq".to_string(),
                s(&files[2]),
                "--yield".to_string(),
                s(&files[3]),
            ];
            v.extend(extra.iter().map(|x| (*x).to_string()));
            v
        };
        let one = scan(&[vec![s(&panel)], bench(&["--partitions", "1"])].concat());
        let many = scan(&[vec![s(&panel)], bench(&["--partitions", "4"])].concat());
        assert_eq!(one, many);
        let (header, rows) = records(&one);
        assert_eq!(header[..3], ["symbol", "ts", "close"]);
        assert!(
            header.contains(&"apex_score".to_string()) && header.contains(&"rsi_14".to_string())
        );
        assert_eq!(rows.len(), 3 * sample::market().len());

        // The bars as Parquet (written by scan itself), scanned again.
        let parquet = panel.parent().unwrap().join("bars.parquet");
        scan(&[
            s(&panel),
            "--sql".to_string(),
            "SELECT symbol, ts, open, high, low, close, volume FROM bars".to_string(),
            "--out".to_string(),
            s(&parquet),
        ]);
        let again = scan(&[vec![s(&parquet)], bench(&["--partitions", "2"])].concat());
        assert_eq!(one, again);
        // And to a CSV file.
        let csv = panel.parent().unwrap().join("out.csv");
        scan(&[vec![s(&parquet), "--out".to_string(), s(&csv)], bench(&[])].concat());
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), one);
    }

    #[test]
    fn indicator_columns_equal_apex_ta_indicators_and_the_score_equals_apex_ta_score() {
        let (panel, files) = sample_panel("scan_agrees");
        let out = scan(&[
            s(&panel),
            "--spy".to_string(),
            s(&files[1]),
            "--qqq".to_string(),
            s(&files[2]),
            "--yield".to_string(),
            s(&files[3]),
        ]);
        let (header, rows) = records(&out);
        let iwm: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "IWM").collect();

        let ind = run(&["indicators", &s(&files[0])]);
        assert_eq!(ind.status.code(), Some(0));
        let (ind_header, ind_rows) = records(&text(&ind.stdout));
        assert_eq!(ind_rows.len(), iwm.len());
        let mut compared = 0;
        for (j, name) in ind_header.iter().enumerate().skip(1) {
            let i = header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{name}"));
            for (a, b) in iwm.iter().zip(&ind_rows) {
                assert_eq!(a[i], b[j], "{name}");
                compared += usize::from(!a[i].is_empty());
            }
        }
        assert!(compared > 10 * iwm.len(), "{compared}");

        let score = run(&[
            "score",
            "--target",
            &s(&files[0]),
            "--spy",
            &s(&files[1]),
            "--qqq",
            &s(&files[2]),
            "--yield",
            &s(&files[3]),
            "--json",
            "--last",
            "0",
        ]);
        assert_eq!(score.status.code(), Some(0), "{}", text(&score.stderr));
        let scores: Vec<f64> = text(&score.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["score"]
                    .as_f64()
                    .unwrap()
            })
            .collect();
        let i = header.iter().position(|h| h == "apex_score").unwrap();
        let ours: Vec<f64> = iwm
            .iter()
            .filter(|r| !r[i].is_empty())
            .map(|r| r[i].parse().unwrap())
            .collect();
        assert!(scores.len() > 100);
        assert_eq!(ours, scores);
    }

    #[test]
    fn bad_rows_exit_2_and_bad_usage_exits_1() {
        let (panel, _) = sample_panel("scan_bad");
        let iwm = panel.join("IWM.csv");
        let clean = std::fs::read_to_string(&iwm).unwrap();
        std::fs::write(&iwm, format!("{clean}2099-01-01,1,0.5,2,1,1,100\n")).unwrap();
        let out = run(&[
            "scan",
            &s(&panel),
            "--sql",
            "SELECT count(*) AS n FROM bars",
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("IWM.csv: line"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(
            text(&out.stdout),
            format!("n\n{}\n", 3 * sample::market().len())
        );

        std::fs::write(&iwm, clean).unwrap();
        for args in [
            vec!["scan", "/nonexistent/panel"],
            vec!["scan", &s(&panel), "--sql", "SELECT nope FROM bars"],
            vec![
                "scan",
                &s(&panel),
                "--sql",
                "SELECT rsi(close, 0) OVER (ORDER BY ts) FROM bars",
            ],
            vec!["scan", &s(&panel), "--out", "x.json"],
            vec!["scan", &s(&panel), "--spy", &s(&iwm)],
        ] {
            let out = run(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(
                text(&out.stderr).starts_with("apex-ta: "),
                "{args:?}: {}",
                text(&out.stderr)
            );
        }
    }
}
