//! Small cases worked by hand; the arithmetic is in the comments.

use apex_ta::eval::{evaluate, LabelStats, Observation, ReturnStats, LABELS};
use apex_ta::Label::{self, Buy, Neutral, Sell, StrongBuy, StrongSell};

use crate::common::{config, some_close};

const TOL: f64 = 1e-12;

/// (score, label, close, benchmark)
type Row = (Option<f64>, Option<Label>, f64, Option<f64>);

/// Six bars. Closes 100, 125, 100, 100, 125, 100, so every 1-bar return is
/// 125/100 − 1 = 0.25, 100/125 − 1 = −0.2 or 0 (equal ratios give equal
/// floats, so ties are exact).
///
/// | t | close | score | label       | benchmark |
/// |---|-------|-------|-------------|-----------|
/// | 0 | 100   | 80    | strong buy  | 100       |
/// | 1 | 125   | 40    | sell        | 110       |
/// | 2 | 100   | —     | —           | —         |
/// | 3 | 100   | 60    | buy         | 100       |
/// | 4 | 125   | 40    | sell        | 80        |
/// | 5 | 100   | 70    | strong buy  | 100       |
fn six_bars() -> Vec<Observation> {
    let rows: [Row; 6] = [
        (Some(80.0), Some(StrongBuy), 100.0, Some(100.0)),
        (Some(40.0), Some(Sell), 125.0, Some(110.0)),
        (None, None, 100.0, None),
        (Some(60.0), Some(Buy), 100.0, Some(100.0)),
        (Some(40.0), Some(Sell), 125.0, Some(80.0)),
        (Some(70.0), Some(StrongBuy), 100.0, Some(100.0)),
    ];
    rows.iter()
        .enumerate()
        .map(|(t, &(score, label, close, bench))| {
            let o = Observation::new(1000 + t as i64, score, label, close);
            match bench {
                Some(b) => o.with_benchmark(b),
                None => o,
            }
        })
        .collect()
}

#[track_caller]
fn group(s: &LabelStats, count: usize, mean: f64, median: f64, hit: f64) {
    assert_eq!(s.count, count);
    some_close(s.mean, mean, TOL);
    some_close(s.median, median, TOL);
    some_close(s.hit_rate, hit, TOL);
}

#[track_caller]
fn empty(s: &LabelStats) {
    assert_eq!(
        (s.count, s.mean, s.median, s.hit_rate, s.interval),
        (0, None, None, None, None)
    );
}

#[test]
fn six_bars_one_bar_ahead() {
    let e = evaluate(&six_bars(), &config(&[1])).unwrap();
    assert_eq!(e.horizons.len(), 1);
    let h = &e.horizons[0];
    assert_eq!(h.horizon, 1);
    assert!(h.before.is_none() && h.after.is_none());
    let p = &h.full;
    // Used: t0, t1, t3, t4. t2 has no score; t5 has no bar 6.
    assert_eq!((p.bars, p.used, p.no_score, p.no_forward), (6, 4, 1, 1));
    assert_eq!((p.first, p.last), (Some(1000), Some(1005)));

    // Returns: t0 +0.25 (strong buy), t1 −0.2 (sell), t3 +0.25 (buy), t4 −0.2 (sell).
    let a = &p.absolute;
    group(a.label(StrongBuy), 1, 0.25, 0.25, 1.0);
    group(a.label(Buy), 1, 0.25, 0.25, 1.0);
    group(a.label(Sell), 2, -0.2, -0.2, 0.0);
    empty(a.label(Neutral));
    empty(a.label(StrongSell));
    group(&a.buy_side, 2, 0.25, 0.25, 1.0);
    group(&a.sell_side, 2, -0.2, -0.2, 0.0);
    // all: mean (0.25 − 0.2 + 0.25 − 0.2)/4 = 0.025; sorted [−0.2, −0.2, 0.25, 0.25],
    // median (−0.2 + 0.25)/2 = 0.025; hit 2/4.
    group(&a.all, 4, 0.025, 0.025, 0.5);

    // IC. Scores [80, 40, 60, 40] → ranks [4, 1.5, 3, 1.5] (tie 40,40 → (1+2)/2).
    // Returns [0.25, −0.2, 0.25, −0.2] → ranks [3.5, 1.5, 3.5, 1.5].
    // Mean rank 2.5: dx = [1.5, −1, 0.5, −1], dy = [1, −1, 1, −1].
    // Σdx·dy = 1.5 + 1 + 0.5 + 1 = 4; Σdx² = 2.25 + 1 + 0.25 + 1 = 4.5; Σdy² = 4.
    // ρ = 4/√18 = 0.942809…
    some_close(a.ic.ic, 4.0 / 18.0_f64.sqrt(), TOL);
    // h = 1: every used bar is independent, n = 4; ρ² = 16/18, 1 − ρ² = 1/9,
    // t = ρ·√(2/(1/9)) = (4/√18)·√18 = 4.
    assert_eq!(a.ic.independent, 4);
    some_close(a.ic.t_stat, 4.0, 1e-9);
    // 4 used bars > h = 1: intervals exist.
    assert!(a.all.interval.is_some() && a.ic.interval.is_some());
    assert!(a.label(StrongBuy).interval.is_some());

    // Relative: needs a benchmark at t and t+1. t1 lacks one at t2.
    // t0: bench 110/100 − 1 = 0.1 → 0.25 − 0.1 = 0.15 (strong buy)
    // t3: bench 80/100 − 1 = −0.2 → 0.25 + 0.2 = 0.45 (buy)
    // t4: bench 100/80 − 1 = 0.25 → −0.2 − 0.25 = −0.45 (sell)
    let r = p.relative.as_ref().unwrap();
    group(r.label(StrongBuy), 1, 0.15, 0.15, 1.0);
    group(r.label(Buy), 1, 0.45, 0.45, 1.0);
    group(r.label(Sell), 1, -0.45, -0.45, 0.0);
    // all: mean (0.15 + 0.45 − 0.45)/3 = 0.05, median 0.15, hit 2/3.
    group(&r.all, 3, 0.05, 0.15, 2.0 / 3.0);
    // Scores [80, 60, 40] → ranks [3, 2, 1]; returns [0.15, 0.45, −0.45] → [2, 3, 1].
    // dx = [1, 0, −1], dy = [0, 1, −1]: Σdx·dy = 1, Σdx² = Σdy² = 2, ρ = 1/2.
    some_close(r.ic.ic, 0.5, TOL);
    // t = 0.5·√(1/0.75) = 0.57735…
    some_close(r.ic.t_stat, 0.5 * (1.0_f64 / 0.75).sqrt(), 1e-12);
    assert_eq!(r.ic.independent, 3);
}

#[test]
fn six_bars_two_bars_ahead() {
    let e = evaluate(&six_bars(), &config(&[2])).unwrap();
    let p = &e.horizons[0].full;
    // r(t, 2): t0 100/100 − 1 = 0; t1 100/125 − 1 = −0.2; t2 no score;
    // t3 100/100 − 1 = 0; t4 and t5 have no bar t+2.
    assert_eq!((p.bars, p.used, p.no_score, p.no_forward), (6, 3, 1, 2));
    let a = &p.absolute;
    group(a.label(StrongBuy), 1, 0.0, 0.0, 0.0); // 0 is not a hit
    group(a.label(Sell), 1, -0.2, -0.2, 0.0);
    group(a.label(Buy), 1, 0.0, 0.0, 0.0);
    // all [0, −0.2, 0]: mean −0.2/3, median 0, hit 0.
    group(&a.all, 3, -0.2 / 3.0, 0.0, 0.0);
    // Scores [80, 40, 60] → ranks [3, 1, 2]; returns [0, −0.2, 0] → [2.5, 1, 2.5].
    // Mean 2: dx = [1, −1, 0], dy = [0.5, −1, 0.5]; Σdx·dy = 0.5 + 1 = 1.5,
    // Σdx² = 2, Σdy² = 1.5; ρ = 1.5/√3 = √3/2.
    some_close(a.ic.ic, 3.0_f64.sqrt() / 2.0, TOL);
    // Non-overlapping: used positions 0 and 2 (t0, t3): n = 2 < 3 → no t.
    assert_eq!(a.ic.independent, 2);
    assert_eq!(a.ic.t_stat, None);
    // 3 used bars > h = 2: intervals exist.
    assert!(a.all.interval.is_some());
}

#[test]
fn both_horizons_in_configuration_order() {
    let e = evaluate(&six_bars(), &config(&[2, 1])).unwrap();
    let hs: Vec<usize> = e.horizons.iter().map(|h| h.horizon).collect();
    assert_eq!(hs, [2, 1]);
    // Each equals its own single-horizon evaluation (same sub-seeds).
    assert_eq!(
        e.horizons[1],
        evaluate(&six_bars(), &config(&[1])).unwrap().horizons[0]
    );
}

#[test]
fn too_few_bars_for_a_block_bootstrap_give_no_interval() {
    // h = 4: used t0, t1 (t3 needs bar 7): 2 used ≤ h → no intervals, but
    // the point statistics are there.
    let e = evaluate(&six_bars(), &config(&[4])).unwrap();
    let a = &e.horizons[0].full.absolute;
    assert_eq!(a.all.count, 2);
    assert!(a.all.mean.is_some());
    assert_eq!(a.all.interval, None);
    assert_eq!(a.ic.ic, None); // 2 bars < 3
    assert_eq!(a.ic.interval, None);
}

#[test]
fn constant_scores_or_returns_have_no_ic() {
    // Constant scores, varying returns.
    let obs: Vec<Observation> = [100.0, 101.0, 99.0, 103.0, 98.0, 104.0]
        .iter()
        .enumerate()
        .map(|(t, &c)| Observation::new(t as i64, Some(50.0), Some(Neutral), c))
        .collect();
    let a = &evaluate(&obs, &config(&[1])).unwrap().horizons[0]
        .full
        .absolute;
    assert_eq!(a.all.count, 5);
    assert_eq!((a.ic.ic, a.ic.t_stat, a.ic.interval), (None, None, None));
    // Constant closes (all returns 0), varying scores.
    let obs: Vec<Observation> = (0..6)
        .map(|t| Observation::new(t, Some(10.0 * t as f64), None, 100.0))
        .collect();
    let a = &evaluate(&obs, &config(&[1])).unwrap().horizons[0]
        .full
        .absolute;
    assert_eq!(a.ic.ic, None);
    some_close(a.all.hit_rate, 0.0, 0.0);
    // Unlabelled bars count only in `all`.
    assert!(LABELS.iter().all(|&l| a.label(l).count == 0));
    assert_eq!((a.buy_side.count, a.sell_side.count), (0, 0));
}

#[test]
fn labels_are_in_the_documented_order() {
    assert_eq!(LABELS, [StrongSell, Sell, Neutral, Buy, StrongBuy]);
    let e = evaluate(&six_bars(), &config(&[1])).unwrap();
    let a: &ReturnStats = &e.horizons[0].full.absolute;
    for (i, &l) in LABELS.iter().enumerate() {
        assert_eq!(&a.by_label[i], a.label(l));
    }
    assert_eq!(a.by_label[4].count, 1);
    assert_eq!(a.by_label[1].count, 2);
}

#[test]
fn no_benchmark_anywhere_means_no_relative() {
    let obs: Vec<Observation> = six_bars()
        .into_iter()
        .map(|o| Observation {
            benchmark: None,
            ..o
        })
        .collect();
    let e = evaluate(&obs, &config(&[1])).unwrap();
    assert_eq!(e.horizons[0].full.relative, None);
    // A benchmark on a single bar: relative exists, with no usable pair.
    let mut obs = obs;
    obs[5].benchmark = Some(100.0);
    let r = evaluate(&obs, &config(&[1])).unwrap().horizons[0]
        .full
        .relative
        .clone()
        .unwrap();
    assert_eq!(r.all.count, 0);
    assert_eq!(r.all.mean, None);
}

#[test]
fn empty_input() {
    let e = evaluate(&[], &config(&[1, 5])).unwrap();
    let p = &e.horizons[1].full;
    assert_eq!((p.bars, p.used, p.first, p.last), (0, 0, None, None));
    assert_eq!(p.absolute.all.count, 0);
    assert_eq!(p.absolute.ic.independent, 0);
    assert_eq!(p.relative, None);
}
