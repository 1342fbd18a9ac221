//! `apex-ta score` and the exit-status contract shared by every subcommand.

use apex_ta::score::{ApexScorer, Scorer};

use crate::common::{market_args, run, scratch, strs, text, write_sample};

#[test]
fn sample_prints_a_table_and_a_summary() {
    let out = run(&["score", "--last", "5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("APEX small-cap rotation score: built-in sample"));
    assert!(lines[1].starts_with("date"));
    // The same scores as the library on the same bars.
    let mut apex = ApexScorer::<f64>::default();
    let scores: Vec<f64> = apex_ta::sample::market()
        .into_iter()
        .filter_map(|b| apex.update(b).unwrap().map(|s| s.value()))
        .collect();
    for (row, want) in lines[2..7].iter().zip(&scores[scores.len() - 5..]) {
        let fields: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(fields[0].len(), 10, "{row}"); // YYYY-MM-DD
        assert_eq!(fields[2], format!("{want:.1}"), "{row}");
        assert!(row.contains("8/8"), "{row}");
    }
    assert!(
        lines[7].starts_with("scored 1260 bars (1240 with a score)"),
        "{}",
        lines[7]
    );
    assert!(lines[7].contains("ns/bar"));
    assert!(
        lines[9].contains("yield carried on 27 and missing on 0"),
        "{}",
        lines[9]
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// The JSON field contract of `score --json`, in order.
const FIELDS: [&str; 12] = [
    "date",
    "timestamp",
    "close",
    "spy",
    "qqq",
    "yield_2y",
    "score",
    "label",
    "ready",
    "total",
    "components",
    "readings",
];

#[test]
fn json_from_files_equals_the_library_bit_for_bit() {
    let dir = scratch("score_json");
    let bars = apex_ta::sample::market();
    let paths = write_sample(&dir, &bars);
    let mut a = market_args(&paths);
    a.extend(["--json".into(), "--last".into(), "0".into()]);
    let mut argv = vec!["score"];
    argv.extend(strs(&a));
    let out = run(&argv);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for line in stdout.lines() {
        let at: Vec<usize> = FIELDS
            .iter()
            .map(|f| line.find(&format!("\"{f}\":")).unwrap())
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "field order is the contract: {line}"
        );
    }
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON"))
        .collect();
    let mut apex = ApexScorer::<f64>::default();
    let want: Vec<_> = bars
        .iter()
        .filter_map(|b| apex.update(*b).unwrap().map(|s| (b.timestamp, s)))
        .collect();
    assert_eq!(rows.len(), want.len());
    for (r, (ts, s)) in rows.iter().zip(&want) {
        assert_eq!(r.as_object().unwrap().len(), FIELDS.len());
        assert_eq!(r["timestamp"].as_i64(), Some(*ts));
        assert_eq!(r["score"].as_f64().unwrap().to_bits(), s.value().to_bits());
        assert_eq!(r["label"].as_str(), Some(s.label().as_str()));
        let comps = r["components"].as_array().unwrap();
        assert_eq!(comps.len(), 8);
        for (c, want) in comps.iter().zip(s.components()) {
            assert_eq!(c["name"].as_str(), Some(want.name));
            assert_eq!(c["contribution"].as_f64(), Some(want.contribution));
            assert_eq!(c["weight"].as_f64(), Some(want.weight));
            assert_eq!(c["sub_score"].as_f64(), want.sub_score);
        }
        let readings = r["readings"].as_object().unwrap();
        assert_eq!(readings.len(), 12);
        assert!(readings["swing"].is_string() || readings["swing"].is_null());
    }
}

#[test]
fn bad_rows_are_reported_with_file_and_line_and_exit_2() {
    let dir = scratch("score_bad");
    let bars = apex_ta::sample::market();
    let paths = write_sample(&dir, &bars[..200]);
    let mut body = std::fs::read_to_string(&paths[0]).unwrap();
    body.push_str("2019-12-30,10,9,11,10,10,100\n"); // line 202: high < low
    body.push_str("2019-12-31,0,0,0,0,0,100\n"); // line 203: close 0
    body.push_str("2019-12-31,10,11,9,10,10,100\n"); // line 204: fine
    body.push_str("2019-12-31,10,11,9,10,10,100\n"); // line 205: duplicate date
    std::fs::write(&paths[0], body).unwrap();
    let mut spy = std::fs::read_to_string(&paths[1]).unwrap();
    spy.push_str("2019-12-31,1,1,1,x,1\n"); // line 202: bad number
    std::fs::write(&paths[1], spy).unwrap();
    let mut y = std::fs::read_to_string(&paths[3]).unwrap();
    y.push_str("2019-12-31,.\n"); // FRED's missing value: not a bad row
    std::fs::write(&paths[3], y).unwrap();

    let a = market_args(&paths);
    let mut argv = vec!["score", "--last", "3"];
    argv.extend(strs(&a));
    let out = run(&argv);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let iwm = paths[0].display().to_string();
    let spy = paths[1].display().to_string();
    for needle in [
        format!("{iwm}: line 202: inconsistent bar: high < low"),
        format!("{iwm}: line 203: input `close` must be > 0"),
        format!("{iwm}: line 205: date 2019-12-31 is not after the previous one"),
        format!("{spy}: line 202: field `close`: cannot parse \"x\""),
        "apex-ta: 4 rows rejected".to_string(),
    ] {
        assert!(stderr.contains(&needle), "missing {needle:?} in\n{stderr}");
    }
    assert_eq!(
        stderr.lines().count(),
        5,
        "nothing else reported:\n{stderr}"
    );
    // 200 sample bars and the good 2019-12-31 bar, whose SPY close (a bad
    // row) the aligner carries from the last good one.
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scored 201 bars"), "{stdout}");
    assert!(stdout.contains("0 bars dropped"), "{stdout}");
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    for (args, needle) in [
        (vec!["score", "--target", "x.csv"], "go together"),
        (vec!["score", "--bogus"], "--bogus"),
        (vec!["score", "--last", "many"], "many"),
        (
            vec![
                "score",
                "--target",
                "/nonexistent/a.csv",
                "--spy",
                "b",
                "--qqq",
                "c",
            ],
            "cannot open /nonexistent/a.csv",
        ),
        (vec!["nonsense"], "nonsense"),
        (vec![], "Usage"),
    ] {
        let out = run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    for sub in ["score", "indicators", "evaluate", "chart"] {
        let out = run(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub}");
        let help = text(&out.stdout);
        assert!(help.contains("Examples:"), "{sub}: {help}");
        assert!(help.contains(&format!("apex-ta {sub}")), "{sub}: {help}");
    }
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("apex-ta "));
}

#[test]
fn a_header_without_required_columns_exits_1() {
    let dir = scratch("score_header");
    let paths = write_sample(&dir, &apex_ta::sample::market()[..50]);
    std::fs::write(&paths[2], "date,open,high,low\n2019-01-02,1,1,1\n").unwrap();
    let a = market_args(&paths);
    let mut argv = vec!["score"];
    argv.extend(strs(&a));
    let out = run(&argv);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("QQQ.csv: the CSV header lacks columns close, volume"),
        "{stderr}"
    );
}

/// A daily job over growing files, with `--state`, prints exactly what one
/// run over the whole files prints; the state file is replaced atomically.
#[test]
fn state_makes_a_daily_job_print_what_one_run_prints() {
    let dir = scratch("score_state");
    let bars = apex_ta::sample::market();
    let whole = dir.join("whole");
    std::fs::create_dir_all(&whole).unwrap();
    let paths = write_sample(&whole, &bars);
    let mut argv = vec!["score", "--json", "--last", "0"];
    let a = market_args(&paths);
    argv.extend(strs(&a));
    let one_run = run(&argv);
    assert_eq!(one_run.status.code(), Some(0), "{}", text(&one_run.stderr));

    let daily = dir.join("daily");
    std::fs::create_dir_all(&daily).unwrap();
    let state = dir.join("iwm.state.json");
    let mut printed = Vec::new();
    // A first run over 100 bars, then days of 1, 2 and many bars, and a run
    // with nothing new.
    for upto in [100, 101, 103, 400, 1_000, bars.len(), bars.len()] {
        let paths = write_sample(&daily, &bars[..upto]);
        let a = market_args(&paths);
        let state_arg = state.display().to_string();
        let mut argv = vec!["score", "--json", "--last", "0", "--state", &state_arg];
        argv.extend(strs(&a));
        let out = run(&argv);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        printed.extend_from_slice(&out.stdout);
        assert!(state.exists());
        let mut tmp = state.as_os_str().to_owned();
        tmp.push(".tmp");
        assert!(
            !std::path::Path::new(&tmp).exists(),
            "temporary file left behind"
        );
    }
    assert_eq!(text(&printed), text(&one_run.stdout));

    // A state made for another target is refused, and so is a corrupted one.
    let other = dir.join("other");
    std::fs::create_dir_all(&other).unwrap();
    let mut paths = write_sample(&other, &bars[..50]);
    let renamed = other.join("XLF.csv");
    std::fs::rename(&paths[0], &renamed).unwrap();
    paths[0] = renamed;
    let a = market_args(&paths);
    let state_arg = state.display().to_string();
    let mut argv = vec!["score", "--state", &state_arg];
    argv.extend(strs(&a));
    let out = run(&argv);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("holds the state of `IWM`, not of `XLF`"),
        "{}",
        text(&out.stderr)
    );
    let saved = std::fs::read_to_string(&state).unwrap();
    std::fs::write(
        &state,
        saved.replacen("\"format\":1", "\"format\":1,\"junk\":", 1),
    )
    .unwrap();
    let a = market_args(&write_sample(&daily, &bars));
    let mut argv = vec!["score", "--state", &state_arg];
    argv.extend(strs(&a));
    let out = run(&argv);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not a usable `score --state` file"),
        "{}",
        text(&out.stderr)
    );
}
