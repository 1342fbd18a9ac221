//! End-to-end tests of `examples/indicators.rs` and unit tests of the shared
//! CSV input module `examples/common/ohlcv.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::float_cmp
)]

#[path = "../examples/common/ohlcv.rs"]
mod ohlcv;

mod ohlcv_module {
    use super::ohlcv::{civil_from_days, parse_timestamp, read_ohlcv, read_series};

    #[test]
    fn civil_from_days_inverts_parse_timestamp() {
        for day in [-719_468_i64, -1, 0, 59, 11_016, 19_724, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            let text = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(parse_timestamp(&text), Some(day * 86_400), "{text}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01"), Some(0));
        assert_eq!(parse_timestamp("1970-01-02"), Some(86_400));
        assert_eq!(parse_timestamp("1969-12-31"), Some(-86_400));
        assert_eq!(parse_timestamp("2000-03-01"), Some(951_868_800));
        assert_eq!(parse_timestamp("2024-01-02 09:30"), Some(1_704_187_800));
        assert_eq!(parse_timestamp("2024-01-02 09:30:00"), Some(1_704_187_800));
        assert_eq!(parse_timestamp("2024-01-02T09:30:00Z"), Some(1_704_187_800));
        assert_eq!(parse_timestamp(" 2024-02-29 "), Some(1_709_164_800));
        assert_eq!(parse_timestamp("1704187800"), Some(1_704_187_800));
        assert_eq!(parse_timestamp("-5"), Some(-5));
        for bad in [
            "",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-02",
            "24-01-02",
            "2024-01-02 24:00",
            "2024-01-02 09:60",
            "2024-01-02 09:30:60",
            "2024-01-02 9:30",
            "2024-01-02T",
            "2024/01/02",
            "abc",
            "-",
            "99999999999999999999",
            "2024-01-02 09:30:00:00",
            "२०२४-01-02",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ohlcv_rows_and_errors() {
        let csv = "\u{feff} Date ,Open,High,Low,Close,Adj Close,VOLUME\n\
                   2024-01-02,10,11,9,10.5,10.4,100\n\
                   2024-01-03,10,11,9,NaN,10.4,100\n\
                   \n\
                   2024-01-04,10,9,11,10,10,100\n\
                   2024-01-05,10,11,9,10.5,10.4\n\
                   2024-01-08,10,11,9,abc,10.4,100\n\
                   2024-01-09,10,11,9,10.5,10.4,-1\n\
                   \"2024-01-10\",10,11,9,10.5,,7\n";
        let rows: Vec<_> = read_ohlcv(csv.as_bytes()).unwrap().collect();
        assert_eq!(rows.len(), 7);
        let ok = rows[0].as_ref().unwrap();
        assert_eq!((ok.line, ok.timestamp.as_str()), (2, "2024-01-02"));
        assert_eq!(ok.bar, apex_ta::Bar::new(10.0, 11.0, 9.0, 10.5, 100.0));
        let errs: Vec<String> = rows[1..6]
            .iter()
            .map(|r| r.as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            errs[0].starts_with("line 3: non-finite input `close`"),
            "{}",
            errs[0]
        );
        assert!(
            errs[1].starts_with("line 5: inconsistent bar: high < low"),
            "{}",
            errs[1]
        );
        assert!(
            errs[2].starts_with("line 6: missing field `volume`"),
            "{}",
            errs[2]
        );
        assert!(
            errs[3].starts_with("line 7: field `close`: cannot parse"),
            "{}",
            errs[3]
        );
        assert!(
            errs[4].starts_with("line 8: negative volume"),
            "{}",
            errs[4]
        );
        assert_eq!(rows[6].as_ref().unwrap().line, 9);
    }

    #[test]
    fn physical_line_numbers() {
        let lines = |csv: &str| -> Vec<u64> {
            read_ohlcv(csv.as_bytes())
                .unwrap()
                .map(|r| r.map_or_else(|e| e.line, |r| r.line))
                .collect()
        };
        let h = "date,open,high,low,close,volume";
        let r = "2024-01-02,1,2,1,1,5";
        assert_eq!(
            lines(&format!("{h}\r\n{r}\r\n\r\n{r}\r\nx\r\n{r}\r\n")),
            [2, 4, 5, 6]
        );
        assert_eq!(
            lines(&format!("\n{h}\n\n\n{r}\n\"2024-01-03\n\",1,2,1,1,5\n{r}")),
            [5, 6, 8]
        );
        assert_eq!(lines(&format!("{h}\r{r}\r\r{r}\r")), [2, 4]);
        // Many rows: line numbers stay exact across csv's read-ahead buffer.
        let mut big = format!("{h}\n");
        for i in 0..5000 {
            big.push_str(r);
            big.push_str(if i % 7 == 0 { "\r\n\n" } else { "\n" });
        }
        let got = lines(&big);
        let mut want = Vec::new();
        let mut line = 2;
        for i in 0..5000 {
            want.push(line);
            line += if i % 7 == 0 { 2 } else { 1 };
        }
        assert_eq!(got, want);
    }

    #[test]
    fn ohlcv_header_errors() {
        let e = read_ohlcv("date,open,high,low,close\n".as_bytes())
            .err()
            .unwrap();
        assert!(e.contains("volume"), "{e}");
        let e = read_ohlcv("day,open,high,low,close,volume\n".as_bytes())
            .err()
            .unwrap();
        assert!(e.contains("timestamp"), "{e}");
        assert!(read_ohlcv("".as_bytes()).is_err());
        // Header only: no rows.
        assert_eq!(
            read_ohlcv("time,open,high,low,close,volume\n".as_bytes())
                .unwrap()
                .count(),
            0
        );
        // Invalid UTF-8 in a row is a row error, not an abort.
        let mut bytes = b"date,open,high,low,close,volume\n".to_vec();
        bytes.extend_from_slice(b"2024-01-02,1,1,1,1,\xff\n2024-01-03,1,1,1,1,1\n");
        let rows: Vec<_> = read_ohlcv(&bytes[..]).unwrap().collect();
        assert!(rows[0].is_err() && rows[1].is_ok());
    }

    #[test]
    fn series() {
        let csv =
            "DATE,DGS2\n2024-01-02,4.33\n2024-01-03,.\n2024-01-04,\n2024-01-05,x\n2024-01-08,4.4\n";
        let rows: Vec<_> = read_series(csv.as_bytes()).unwrap().collect();
        assert_eq!(
            rows[0].as_ref().unwrap(),
            &(2, "2024-01-02".to_string(), 4.33)
        );
        assert!(rows[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("line 3: missing value"));
        assert!(rows[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("line 4: missing value"));
        assert!(rows[3]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("line 5: field `dgs2`"));
        assert_eq!(rows[4].as_ref().unwrap().2, 4.4);
        assert!(read_series("date\n".as_bytes()).is_err());
    }
}

mod example {
    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Output, Stdio};

    const INPUT: &str = "tests/golden/example_input.csv";
    const EXPECTED: &str = "tests/golden/example_expected.csv";
    const REJECTED: &str = "tests/golden/example_rejected.csv";
    const HEADER: &str = "date,close,rsi_14,macd,macd_signal,macd_hist,atr_14,natr_14,trange,\
                          ema_20,sma_20,stddev_20,max_20,min_20,volume_z_20,volume_ratio_20";

    /// `cargo run --example indicators -- <args>`, with `stdin` piped in if
    /// given (else stdin is null).
    fn run_example(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "--quiet", "--example", "indicators", "--"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = cmd.spawn().expect("cargo run starts");
        let writer = stdin.map(|bytes| {
            let mut pipe = child.stdin.take().expect("piped stdin");
            std::thread::spawn(move || pipe.write_all(&bytes))
        });
        let out = child.wait_with_output().expect("cargo run finishes");
        if let Some(w) = writer {
            w.join().expect("stdin writer").expect("stdin written");
        }
        out
    }

    fn records(text: &[u8]) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text)
            .records()
            .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
            .collect()
    }

    fn read(path: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture exists")
    }

    /// Compares the example's stdout with the TA-Lib expectation.
    fn check_stdout(stdout: &[u8]) {
        let text = std::str::from_utf8(stdout).expect("UTF-8 output");
        assert_eq!(text.lines().next(), Some(HEADER), "header is the contract");
        let got = records(stdout);
        let want = records(&read(EXPECTED));
        assert_eq!(want[0].join(","), HEADER);
        assert_eq!(got.len(), want.len(), "row count (header included)");
        let header = &want[0];
        let mut compared = 0usize;
        for (row, (g, w)) in got.iter().zip(&want).enumerate().skip(1) {
            assert_eq!(g.len(), w.len(), "row {row}: field count");
            assert_eq!(g[0], w[0], "row {row}: date verbatim");
            let close: f64 = w[1].parse().unwrap();
            for (col, (gf, wf)) in g.iter().zip(w).enumerate().skip(1) {
                let name = &header[col];
                assert_eq!(
                    gf.is_empty(),
                    wf.is_empty(),
                    "row {row} ({}), column {name}: got {gf:?}, expected {wf:?}",
                    w[0]
                );
                if wf.is_empty() {
                    continue;
                }
                let a: f64 = gf.parse().unwrap_or_else(|_| panic!("number: {gf:?}"));
                let e: f64 = wf.parse().unwrap();
                let tol = if name.starts_with("macd") {
                    1e-10 * close.abs().max(1.0)
                } else {
                    1e-10 * e.abs()
                };
                assert!(
                    a == e || (a - e).abs() <= tol,
                    "row {row} ({}), column {name}: got {a}, expected {e} (diff {:e})",
                    w[0],
                    (a - e).abs()
                );
                compared += 1;
            }
        }
        // 300 rows x 15 numeric columns minus the warm-up fields.
        assert!(compared > 4000, "only {compared} values compared");
    }

    #[test]
    fn file_input_matches_talib_and_reports_bad_rows() {
        let out = run_example(&[INPUT], None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
        let rejected = records(&read(REJECTED));
        assert_eq!(rejected[0], ["line", "reason"]);
        assert!(rejected.len() > 5);
        for r in &rejected[1..] {
            let expected = format!("line {}: ", r[0]);
            let line = stderr
                .lines()
                .find(|l| l.starts_with(&expected))
                .unwrap_or_else(|| panic!("stderr names `{expected}`:\n{stderr}"));
            assert!(line.contains(&r[1]), "`{line}` should contain `{}`", r[1]);
        }
        let reported = stderr.lines().filter(|l| l.starts_with("line ")).count();
        assert_eq!(
            reported,
            rejected.len() - 1,
            "no other line reported:\n{stderr}"
        );
        check_stdout(&out.stdout);
    }

    #[test]
    fn stdin_input_gives_the_same_output() {
        let from_stdin = run_example(&[], Some(read(INPUT)));
        assert_eq!(from_stdin.status.code(), Some(2));
        check_stdout(&from_stdin.stdout);
        let from_file = run_example(&[INPUT], None);
        assert_eq!(from_stdin.stdout, from_file.stdout);
        assert_eq!(
            String::from_utf8_lossy(&from_stdin.stderr).replace("<stdin>", INPUT),
            String::from_utf8_lossy(&from_file.stderr)
        );
    }

    #[test]
    fn missing_volume_column_exits_1() {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("example_no_volume.csv");
        std::fs::write(&path, "date,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n").unwrap();
        let out = run_example(&[path.to_str().unwrap()], None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
        assert!(stderr.contains("volume"), "stderr: {stderr}");
        assert!(out.stdout.is_empty());
    }
}
