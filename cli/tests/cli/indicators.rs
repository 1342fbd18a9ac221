//! `apex-ta indicators`: TA-Lib parity of the default columns on the golden
//! file with bad rows, stdin, `--select`, `--list`, date order.
use std::path::Path;
use std::process::Output;

use crate::common::{run_with_stdin, scratch, text};

/// The golden files live with the library's TA-Lib goldens (one generator).
const INPUT: &str = "../tests/golden/example_input.csv";
const EXPECTED: &str = "../tests/golden/example_expected.csv";
const REJECTED: &str = "../tests/golden/example_rejected.csv";
const HEADER: &str = "date,close,rsi_14,macd,macd_signal,macd_hist,atr_14,natr_14,trange,\
                      ema_20,sma_20,stddev_20,max_20,min_20,volume_z_20,volume_ratio_20";

/// `apex-ta indicators <args>`, with `stdin` piped in if given.
fn run_indicators(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut all = vec!["indicators"];
    all.extend(args);
    run_with_stdin(&all, stdin)
}

fn records(text: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

fn path(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .display()
        .to_string()
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
    let input = path(INPUT);
    let out = run_indicators(&[&input], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    let rejected = records(&read(REJECTED));
    assert_eq!(rejected[0], ["line", "reason"]);
    assert!(rejected.len() > 5);
    for r in &rejected[1..] {
        let expected = format!("{input}: line {}: ", r[0]);
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&expected))
            .unwrap_or_else(|| panic!("stderr names `{expected}`:\n{stderr}"));
        assert!(line.contains(&r[1]), "`{line}` should contain `{}`", r[1]);
    }
    let reported = stderr.lines().filter(|l| l.starts_with(&input)).count();
    assert_eq!(
        reported,
        rejected.len() - 1,
        "no other line reported:\n{stderr}"
    );
    check_stdout(&out.stdout);
}

#[test]
fn stdin_input_gives_the_same_output() {
    let from_stdin = run_indicators(&[], Some(read(INPUT)));
    assert_eq!(from_stdin.status.code(), Some(2));
    check_stdout(&from_stdin.stdout);
    let input = path(INPUT);
    let from_file = run_indicators(&[&input], None);
    assert_eq!(from_stdin.stdout, from_file.stdout);
    assert_eq!(
        String::from_utf8_lossy(&from_stdin.stderr).replace("<stdin>", &input),
        String::from_utf8_lossy(&from_file.stderr)
    );
}

#[test]
fn missing_volume_column_exits_1() {
    let file = scratch("indicators_no_volume").join("no_volume.csv");
    std::fs::write(&file, "date,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n").unwrap();
    let out = run_indicators(&[file.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("volume"), "stderr: {stderr}");
    assert!(out.stdout.is_empty());
}

/// Column `name` of a CSV output.
fn column(out: &[u8], name: &str) -> Vec<String> {
    let rows = records(out);
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no {name}"));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

#[test]
fn selected_columns_equal_the_default_ones() {
    let input = path(INPUT);
    let all = run_indicators(&[&input], None);
    let some = run_indicators(
        &[&input, "--select", "macd,rsi:14,volume_z:20,fib:10,rsi:7"],
        None,
    );
    assert_eq!(some.status.code(), Some(2));
    let header = text(&some.stdout).lines().next().unwrap().to_string();
    assert_eq!(
        header,
        "date,close,macd,macd_signal,macd_hist,rsi_14,volume_z_20,volume_ratio_20,\
         fib_10_high,fib_10_low,fib_10_retracement,rsi_7"
    );
    for name in [
        "date",
        "close",
        "macd",
        "macd_hist",
        "rsi_14",
        "volume_ratio_20",
    ] {
        assert_eq!(
            column(&some.stdout, name),
            column(&all.stdout, name),
            "{name}"
        );
    }
    // RSI(7) warms up after 7 bars, RSI(14) after 14, and they differ.
    let (r7, r14) = (column(&some.stdout, "rsi_7"), column(&all.stdout, "rsi_14"));
    assert_eq!(r7.iter().position(|f| !f.is_empty()), Some(7));
    assert_eq!(r14.iter().position(|f| !f.is_empty()), Some(14));
    assert_ne!(r7[20], r14[20]);
    // Fibonacci(10): the swing high is the highest high of the last 10 bars.
    let highs = column(&some.stdout, "fib_10_high");
    assert_eq!(highs.iter().position(|f| !f.is_empty()), Some(9));
}

#[test]
fn list_names_every_indicator_and_bad_selections_exit_1() {
    let out = run_indicators(&["--list"], None);
    assert_eq!(out.status.code(), Some(0));
    let list = text(&out.stdout);
    for name in [
        "rsi:period=14",
        "macd:fast=12:slow=26:signal=9",
        "trange",
        "fib:period=55",
    ] {
        assert!(list.contains(name), "{name}: {list}");
    }
    let out = run_indicators(&["--select", "rsi:0"], Some(Vec::new()));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("period"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn shuffled_and_duplicate_dates_are_rejected_rows() {
    let csv = "date,open,high,low,close,volume\n\
               2024-01-02,10,11,9,10,100\n\
               2024-01-04,10,11,9,10.5,100\n\
               2024-01-03,10,11,9,10.2,100\n\
               2024-01-04,10,11,9,10.3,100\n\
               someday,10,11,9,10.3,100\n\
               2024-01-05,10,11,9,10.4,100\n";
    let out = run_indicators(&["--select", "sma:2"], Some(csv.as_bytes().to_vec()));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "<stdin>: line 4: date 2024-01-03 is not after the previous one (2024-01-04)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("<stdin>: line 5: date 2024-01-04 is not after"),
        "{stderr}"
    );
    assert!(
        stderr.contains("<stdin>: line 6: unparsable timestamp \"someday\""),
        "{stderr}"
    );
    // The rejected rows changed nothing: SMA(2) of 10.5 and 10.4.
    assert_eq!(
        text(&out.stdout),
        "date,close,sma_2\n2024-01-02,10,\n2024-01-04,10.5,10.25\n2024-01-05,10.4,10.45\n"
    );
}
