//! `apex-ta evaluate`: the same numbers as the library's `eval` on the same
//! scores, from files, from `score --json`, and across a universe.

use std::fmt::Write as _;

use apex_ta::eval::{self, EvalConfig, Observation};
use apex_ta::score::{ApexScorer, MarketBar, Scorer};
use apex_ta::Bar;
use serde_json::Value;

use crate::common::{date, market_args, run, scratch, strs, text, write_sample};

/// The library's evaluation of APEX on `bars`, with SPY as the benchmark.
fn library(bars: &[MarketBar], config: &EvalConfig) -> Value {
    let mut apex = ApexScorer::<f64>::default();
    let obs: Vec<Observation> = bars
        .iter()
        .map(|b| {
            let s = apex.update(*b).unwrap();
            Observation::new(
                b.timestamp,
                s.map(|s| s.value()),
                s.map(|s| s.label()),
                b.target.close,
            )
            .with_benchmark(b.spy)
        })
        .collect();
    serde_json::to_value(eval::evaluate(&obs, config).unwrap()).unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn sample_json_equals_the_library() {
    let got = json(&[
        "evaluate",
        "--json",
        "--horizons",
        "5,20",
        "--split",
        "2021-01-04",
    ]);
    let config = EvalConfig {
        horizons: vec![5, 20],
        split: Some(18_631 * 86_400), // 2021-01-04
        ..EvalConfig::default()
    };
    assert_eq!(got["result"], library(&apex_ta::sample::market(), &config));
    assert_eq!(got["config"]["split"].as_i64(), config.split);
    // Each horizon has both periods, each with absolute and relative stats.
    for h in got["result"]["horizons"].as_array().unwrap() {
        for p in ["full", "before", "after"] {
            assert!(h[p]["absolute"]["ic"].is_object(), "{p}");
            assert!(
                h[p]["relative"]["all"]["count"].as_u64().unwrap() > 100,
                "{p}"
            );
        }
    }
}

#[test]
fn tables_show_both_periods_and_every_label() {
    let out = run(&["evaluate", "--horizons", "20", "--split", "2021-01-04"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for needle in [
        "== horizon 20 bars ==",
        "-- before 2021-01-04 --",
        "-- from 2021-01-04 --",
        "strong sell",
        "strong buy",
        "buy side",
        "sell side",
        "all bars",
        "rank IC",
        "target minus SPY, forward 20-bar return",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
}

#[test]
fn scores_from_score_json_give_the_same_statistics() {
    let dir = scratch("evaluate_scores");
    let out = run(&["score", "--json", "--last", "0"]);
    assert_eq!(out.status.code(), Some(0));
    let mut lines = text(&out.stdout);
    let file = dir.join("apex.jsonl");
    std::fs::write(&file, &lines).unwrap();
    let from_file = json(&[
        "evaluate",
        "--json",
        "--horizons",
        "20",
        "--scores",
        file.to_str().unwrap(),
    ]);
    let direct = json(&["evaluate", "--json", "--horizons", "20"]);
    let (a, b) = (
        &from_file["result"]["horizons"][0]["full"],
        &direct["result"]["horizons"][0]["full"],
    );
    // The JSON holds only scored bars: the warm-up bars are not there.
    assert_eq!(a["no_score"].as_u64(), Some(0));
    assert_eq!(b["no_score"].as_u64(), Some(20));
    for part in ["absolute", "relative"] {
        assert_eq!(a[part], b[part], "{part}");
    }
    // A bad line is reported and skipped, with exit status 2.
    let _ = writeln!(lines, "{{\"timestamp\": 1, \"score\": 50}}");
    lines.push_str("not json\n");
    std::fs::write(&file, &lines).unwrap();
    let out = run(&[
        "evaluate",
        "--horizons",
        "20",
        "--scores",
        file.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let n = lines.lines().count();
    let name = file.display();
    assert!(
        stderr.contains(&format!(
            "{name}: line {}: not a `score --json` line",
            n - 1
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}: line {n}: not a `score --json` line")),
        "{stderr}"
    );
}

#[test]
fn bad_options_are_usage_errors() {
    for (args, needle) in [
        (vec!["evaluate", "--horizons", "0"], "horizon"),
        (vec!["evaluate", "--resamples", "0"], "resamples"),
        (vec!["evaluate", "--split", "2021-13-01"], "2021-13-01"),
        (vec!["evaluate", "--universe", "x"], "--spy"),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains(needle),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// Symbol `k`'s bars: the sample target scaled by a slow, symbol-specific
/// factor (a valid bar stays valid), so the symbols rank differently.
fn symbol_bars(bars: &[MarketBar], k: usize) -> Vec<MarketBar> {
    bars.iter()
        .enumerate()
        .map(|(t, b)| {
            let x = t as f64 / (40.0 + 13.0 * k as f64);
            let f = (0.3 * (x + k as f64).sin() + 0.002 * k as f64 * t as f64 / 10.0).exp();
            let o = b.target;
            let target = Bar::new(o.open * f, o.high * f, o.low * f, o.close * f, o.volume);
            MarketBar::new(b.timestamp, target, b.spy, b.qqq, b.yield_2y)
        })
        .collect()
}

#[test]
fn universe_equals_independent_scorers_and_the_library_cross_section() {
    let dir = scratch("evaluate_universe");
    let etfs = dir.join("etfs");
    std::fs::create_dir_all(&etfs).unwrap();
    let bars = apex_ta::sample::market();
    let paths = write_sample(&dir, &bars);
    let symbols = 8;
    let mut panels = Vec::new();
    for k in 0..symbols {
        let mut sb = symbol_bars(&bars, k);
        // Symbol 3 lacks 30 dates in the middle (a halt); symbol 5 starts late.
        if k == 3 {
            sb.drain(600..630);
        }
        if k == 5 {
            sb.drain(..300);
        }
        let mut csv = String::from("date,open,high,low,close,volume\n");
        for b in &sb {
            let t = b.target;
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{}",
                date(b.timestamp),
                t.open,
                t.high,
                t.low,
                t.close,
                t.volume
            );
        }
        std::fs::write(etfs.join(format!("S{k}.csv")), csv).unwrap();
        panels.push(sb);
    }
    // In-process: one ApexScorer per symbol, a panel on the sample's dates.
    let n_dates = bars.len();
    let mut scores = vec![f64::NAN; n_dates * symbols];
    let mut closes = vec![f64::NAN; n_dates * symbols];
    for (k, sb) in panels.iter().enumerate() {
        let mut apex = ApexScorer::<f64>::default();
        for b in sb {
            let d = bars
                .iter()
                .position(|x| x.timestamp == b.timestamp)
                .unwrap();
            closes[d * symbols + k] = b.target.close;
            if let Some(s) = apex.update(*b).unwrap() {
                scores[d * symbols + k] = s.value();
            }
        }
    }
    let dates: Vec<i64> = bars.iter().map(|b| b.timestamp).collect();
    let config = EvalConfig {
        horizons: vec![20],
        quantiles: 4,
        ..EvalConfig::default()
    };
    let want = eval::cross_section(&dates, symbols, &scores, &closes, &config).unwrap();

    let a = market_args(&paths);
    let mut argv = vec![
        "evaluate",
        "--json",
        "--horizons",
        "20",
        "--quantiles",
        "4",
        "--universe",
    ];
    let etfs_arg = etfs.display().to_string();
    argv.push(&etfs_arg);
    argv.extend(strs(&a[2..])); // --spy, --qqq, --yield
    let got = json(&argv);
    assert_eq!(got["symbols"].as_array().unwrap().len(), symbols);
    assert_eq!(got["result"], serde_json::to_value(&want).unwrap());
    assert!(
        got["result"]["horizons"][0]["full"]["used_dates"]
            .as_u64()
            .unwrap()
            > 1000
    );

    // The text form names the periods and the spread.
    argv.retain(|a| *a != "--json");
    let out = run(&argv);
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    assert!(
        t.contains("Cross-section: APEX across the 8 symbols"),
        "{t}"
    );
    assert!(t.contains("mean IC") && t.contains("spread"), "{t}");
}
