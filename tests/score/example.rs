//! End-to-end tests of `examples/apex.rs`: the built-in sample, real-format
//! CSV files with bad rows, JSON lines.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::calm;

/// `cargo run --example apex -- <args>`.
fn run_example(args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--example", "apex", "--"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("cargo run finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn sample_prints_a_table_and_a_summary() {
    let out = run_example(&["--last", "5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("APEX small-cap rotation score"));
    assert!(lines[1].starts_with("date"));
    for row in &lines[2..7] {
        let fields: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(fields[0].len(), 10, "{row}"); // YYYY-MM-DD
        let score: f64 = fields[2].parse().unwrap();
        assert!((0.0..=100.0).contains(&score), "{row}");
        assert!(row.contains("8/8"), "{row}");
    }
    assert!(lines[7].starts_with("scored 1260 bars"), "{}", lines[7]);
    assert!(lines[7].contains("ns/bar"));
    assert!(stdout.contains("yield carried on"));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// Writes the three OHLCV files and a DGS2-style yield file; returns paths.
fn write_market(dir: &Path, bad_rows: bool) -> [PathBuf; 4] {
    let days = calm(120, 31);
    let mut files = [String::new(), String::new(), String::new(), String::new()];
    files[0].push_str("date,open,high,low,close,adj_close,volume\n");
    files[1].push_str("Date,Open,High,Low,Close,Volume\n");
    files[2].push_str("date,open,high,low,close,volume\n");
    files[3].push_str("DATE,DGS2\n");
    let mut prev = days[0].close;
    for (i, d) in days.iter().enumerate() {
        let date = format!("2024-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
        let (o, c) = (prev, d.close);
        prev = c;
        let _ = writeln!(
            files[0],
            "{date},{o},{},{},{c},{c},{}",
            o.max(c) * 1.01,
            o.min(c) * 0.99,
            d.volume
        );
        let _ = writeln!(files[1], "{date},{0},{0},{0},{0},1000", d.spy);
        let _ = writeln!(files[2], "{date},{0},{0},{0},{0},1000", d.qqq);
        if i % 30 == 17 {
            let _ = writeln!(files[3], "{date},."); // FRED's missing value
        } else {
            let _ = writeln!(files[3], "{date},{:.2}", d.yield_2y.unwrap());
        }
    }
    if bad_rows {
        files[0].push_str("2024-05-20,10,9,11,10,10,100\n"); // high < low
        files[0].push_str("2024-05-20,10,11,9,10,10,100\n"); // fine
        files[0].push_str("2024-05-20,10,11,9,10,10,100\n"); // duplicate date
        files[1].push_str("2024-05-20,1,1,1,x,1\n"); // bad number
    }
    let names = ["IWM.csv", "SPY.csv", "QQQ.csv", "DGS2.csv"];
    let paths = names.map(|n| dir.join(n));
    for (p, body) in paths.iter().zip(&files) {
        std::fs::write(p, body).unwrap();
    }
    paths
}

fn args(paths: &[PathBuf; 4]) -> Vec<String> {
    let mut v = Vec::new();
    for (flag, p) in ["--target", "--spy", "--qqq", "--yield"].iter().zip(paths) {
        v.push((*flag).to_string());
        v.push(p.display().to_string());
    }
    v
}

#[test]
fn csv_files_with_bad_rows_are_reported_skipped_and_exit_2() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("apex_example_bad");
    std::fs::create_dir_all(&dir).unwrap();
    let paths = write_market(&dir, true);
    let a = args(&paths);
    let mut argv: Vec<&str> = a.iter().map(String::as_str).collect();
    argv.extend(["--last", "3"]);
    let out = run_example(&argv);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let iwm = paths[0].display().to_string();
    let spy = paths[1].display().to_string();
    assert!(
        stderr.contains(&format!("{iwm}: line 122: inconsistent bar: high < low")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{iwm}: line 124: date 2024-05-20 is not after")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{spy}: line 122: ")), "{stderr}");
    assert!(
        stderr.contains("DGS2.csv: line 19: missing value"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scored 121 bars"), "{stdout}");
}

#[test]
fn json_lines_carry_the_full_breakdown() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("apex_example_json");
    std::fs::create_dir_all(&dir).unwrap();
    let paths = write_market(&dir, false);
    let a = args(&paths);
    let mut argv: Vec<&str> = a.iter().map(String::as_str).collect();
    argv.extend(["--json", "--last", "0"]);
    let out = run_example(&argv);
    // One yield row is FRED's "." (missing): reported, so exit status 2.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON"))
        .collect();
    assert_eq!(rows.len(), 100); // scores from bar index 20 of 120
    for r in &rows {
        let comps = r["components"].as_array().unwrap();
        assert_eq!(comps.len(), 8);
        let sum: f64 = comps
            .iter()
            .map(|c| c["contribution"].as_f64().unwrap())
            .sum();
        let score = r["score"].as_f64().unwrap();
        assert!((score - 50.0 - sum).abs() < 1e-9);
        assert!(r["readings"]["rsi"].is_number());
        assert!(r["date"].as_str().unwrap().starts_with("2024-"));
    }
    // The missing yield was carried to its date (bar 17 of the file).
    assert!(rows.iter().all(|r| r["yield_2y"].is_number()));
}
