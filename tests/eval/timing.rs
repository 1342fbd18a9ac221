//! How long `evaluate` takes on a realistic size. Ignored by default; run
//! `cargo test --release --all-features --test eval -- --ignored --nocapture`.

use std::time::Instant;

use apex_ta::eval::{cross_section, evaluate, EvalConfig, Observation};

use crate::common::{label_of, random_walk, Rng};

#[test]
#[ignore = "timing, run by hand in release mode"]
fn time_5000_bars_3_horizons_split_benchmark() {
    let mut rng = Rng::new(99);
    let closes = random_walk(&mut rng, 5000, 0.01);
    let bench = random_walk(&mut rng, 5000, 0.008);
    let obs: Vec<Observation> = closes
        .iter()
        .zip(&bench)
        .enumerate()
        .map(|(t, (&c, &b))| {
            let score = (t >= 60).then(|| 100.0 * rng.uniform());
            Observation::new(t as i64, score, score.map(label_of), c).with_benchmark(b)
        })
        .collect();
    let config = EvalConfig {
        split: Some(3000),
        ..EvalConfig::default()
    };
    assert_eq!(config.resamples, 1000);
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        let e = evaluate(&obs, &config).unwrap();
        assert_eq!(e.horizons.len(), 3);
    }
    let per = start.elapsed() / runs;
    println!("evaluate, 5000 bars × 3 horizons, split, benchmark, 1000 resamples: {per:?}");

    // A cross-section of 500 symbols × 2500 dates.
    let (symbols, dates) = (500, 2500);
    let mut scores = Vec::with_capacity(symbols * dates);
    let mut panel = Vec::with_capacity(symbols * dates);
    let mut last = vec![100.0; symbols];
    for _ in 0..dates {
        for c in &mut last {
            *c *= 1.0 + 0.01 * rng.normal();
            panel.push(*c);
            scores.push(100.0 * rng.uniform());
        }
    }
    let days: Vec<i64> = (0..dates as i64).collect();
    let start = Instant::now();
    let c = cross_section(&days, symbols, &scores, &panel, &config).unwrap();
    assert_eq!(c.horizons.len(), 3);
    println!(
        "cross_section, 500 symbols × 2500 dates × 3 horizons, split: {:?}",
        start.elapsed()
    );
}
