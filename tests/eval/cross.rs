//! The cross-section: per-date IC and quantile spread, worked by hand.

use apex_ta::eval::{cross_section, CrossPeriod, EvalConfig, MIN_CROSS_SECTION};

use crate::common::{close_to, some_close};

const NAN: f64 = f64::NAN;
const TOL: f64 = 1e-9;

/// Six symbols, three dates (1, 2, 3), date-major.
///
/// scores  d0: 10 20 30 40 50 60
///         d1: —  50 50 20 80 90
///         d2: 50 50 50 50 50 50
/// closes  d0: 100 100 100 100 100 100
///         d1: 100 102 101 104 103 110
///         d2: 50  91.8 111.1 104 123.6 104.5
///
/// 1-date returns at d0: 0, .02, .01, .04, .03, .10;
/// at d1 (s1..s5): 91.8/102 − 1 = −.1, 111.1/101 − 1 = .1, 0, 123.6/103 − 1 = .2,
/// 104.5/110 − 1 = −.05.
fn panel() -> (Vec<i64>, Vec<f64>, Vec<f64>) {
    let scores = [
        [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
        [NAN, 50.0, 50.0, 20.0, 80.0, 90.0],
        [50.0; 6],
    ];
    let closes = [
        [100.0; 6],
        [100.0, 102.0, 101.0, 104.0, 103.0, 110.0],
        [50.0, 91.8, 111.1, 104.0, 123.6, 104.5],
    ];
    (vec![1, 2, 3], scores.concat(), closes.concat())
}

fn cfg(h: usize, q: usize) -> EvalConfig {
    EvalConfig {
        horizons: vec![h],
        quantiles: q,
        resamples: 300,
        ..EvalConfig::default()
    }
}

fn full(h: usize, q: usize, panel: &(Vec<i64>, Vec<f64>, Vec<f64>)) -> CrossPeriod {
    let (dates, scores, closes) = panel;
    let c = cross_section(dates, 6, scores, closes, &cfg(h, q)).unwrap();
    assert_eq!(c.symbols, 6);
    assert_eq!(c.horizons[0].horizon, h);
    c.horizons[0].full.clone()
}

// d0 IC: score ranks 1..6; return ranks [1, 3, 2, 5, 4, 6]; no ties, so
// ρ = 1 − 6Σd²/(n(n² − 1)) with d = [0, −1, 1, −1, 1, 0], Σd² = 4:
// ρ = 1 − 24/210.
const IC0: f64 = 1.0 - 24.0 / 210.0;
// d1 IC (s1..s5): scores [50, 50, 20, 80, 90] → ranks [2.5, 2.5, 1, 4, 5];
// returns [−.1, .1, 0, .2, −.05] → ranks [1, 4, 3, 5, 2]. Mean 3:
// dx = [−.5, −.5, −2, 1, 2], dy = [−2, 1, 0, 2, −1];
// Σdx·dy = 1 − .5 + 0 + 2 − 2 = .5; Σdx² = 9.5; Σdy² = 10; ρ = .5/√95.
fn ic1() -> f64 {
    0.5 / 95.0_f64.sqrt()
}

#[test]
fn one_date_ahead_halves() {
    let p = full(1, 2, &panel());
    // d2 has no date 3 → no return, no IC.
    assert_eq!((p.dates, p.used_dates, p.independent), (3, 2, 2));
    some_close(p.mean_ic, (IC0 + ic1()) / 2.0, TOL);
    // Two ICs a, b: t = mean/(sd/√2) with sd = |a − b|/√2, so t = (a + b)/|a − b|.
    some_close(p.ic_t_stat, (IC0 + ic1()) / (IC0 - ic1()).abs(), 1e-6);

    // q = 2. d0: g = 6/2 = 3; bottom s0..s2 (0 + .02 + .01)/3 = .01,
    // top s3..s5 (.04 + .03 + .10)/3 = .17/3.
    // d1: g = 5/2 = 2; ascending by (score, index): s3(20), s1(50), s2(50),
    // s4(80), s5(90): the tie puts s1 below s2. bottom s3, s1: (0 − .1)/2 = −.05;
    // top s4, s5: (.2 − .05)/2 = .075.
    let (t0, b0, t1, b1) = (0.17 / 3.0, 0.01, 0.075, -0.05);
    assert_eq!(p.spread_dates, 2);
    some_close(p.top, (t0 + t1) / 2.0, TOL);
    some_close(p.bottom, (b0 + b1) / 2.0, TOL);
    let (s0, s1) = (t0 - b0, t1 - b1);
    some_close(p.spread, (s0 + s1) / 2.0, TOL);
    some_close(p.spread_t_stat, (s0 + s1) / (s0 - s1).abs(), 1e-6);
    // Two used dates > h = 1: intervals of a mean of {a, b} lie in [min, max].
    let i = p.ic_interval.unwrap();
    assert!(i.lo >= ic1() - TOL && i.hi <= IC0 + TOL, "{i:?}");
    let i = p.spread_interval.unwrap();
    assert!(
        i.lo >= s0.min(s1) - TOL && i.hi <= s0.max(s1) + TOL,
        "{i:?}"
    );
}

#[test]
fn one_date_ahead_fifths() {
    // q = 5: g = 1 on both dates. d0: top s5 .10, bottom s0 0;
    // d1: top s5 (score 90) −.05, bottom s3 (score 20) 0.
    let p = full(1, 5, &panel());
    assert_eq!(p.spread_dates, 2);
    some_close(p.top, (0.10 - 0.05) / 2.0, TOL);
    some_close(p.bottom, 0.0, TOL);
    some_close(p.spread, (0.10 - 0.05) / 2.0, TOL);
    // q = 6: d1 has 5 symbols, g = 0, no spread there; its IC still counts.
    let p = full(1, 6, &panel());
    assert_eq!((p.used_dates, p.spread_dates), (2, 1));
    some_close(p.spread, 0.10, TOL);
    assert_eq!(p.spread_t_stat, None); // one date
    assert_eq!(p.spread_interval, None); // 1 ≤ h
}

#[test]
fn two_dates_ahead() {
    // d0 → d2 returns: 50/100 − 1 = −.5, −.082, .111, .04, .236, .045
    // → ranks [1, 2, 5, 3, 6, 4]; d = [0, 0, −2, 1, −1, 2], Σd² = 10;
    // ρ = 1 − 60/210 = 5/7. d1, d2 have no date 2 ahead.
    let p = full(2, 2, &panel());
    assert_eq!((p.used_dates, p.independent), (1, 1));
    some_close(p.mean_ic, 5.0 / 7.0, TOL);
    assert_eq!((p.ic_t_stat, p.ic_interval), (None, None));
}

#[test]
fn missing_values() {
    // A missing close at d2 for s2 leaves d1 with 4 < 5 symbols: no IC.
    let mut x = panel();
    x.2[2 * 6 + 2] = NAN;
    let p = full(1, 2, &x);
    assert_eq!(p.used_dates, 1);
    some_close(p.mean_ic, IC0, TOL);
    // A missing close at d0 for s0 as well: d0 keeps s1..s5, scores ranked
    // 1..5, returns [.02, .01, .04, .03, .10] ranked [2, 1, 4, 3, 5],
    // Σd² = 4, ρ = 1 − 24/120 = .8.
    x.2[0] = NAN;
    let p = full(1, 2, &x);
    assert_eq!(p.used_dates, 1);
    some_close(p.mean_ic, 0.8, TOL);
    // A missing score does the same.
    let mut y = panel();
    y.1[0] = NAN;
    some_close(full(1, 2, &y).mean_ic, (0.8 + ic1()) / 2.0, TOL);
    // Constant scores on a date: no IC and no spread that date.
    let mut z = panel();
    for s in 0..6 {
        z.1[s] = 42.0;
    }
    let p = full(1, 2, &z);
    assert_eq!((p.used_dates, p.spread_dates), (1, 1));
    some_close(p.mean_ic, ic1(), TOL);
    assert_eq!(MIN_CROSS_SECTION, 5);
}

/// Five symbols, seven dates; date d's 1-date return of symbol s is
/// +0.01·(s+1) on even d and −0.01·(s+1) on odd d, scores always rising with
/// s: IC = +1 on even dates, −1 on odd ones.
fn alternating() -> (Vec<i64>, Vec<f64>, Vec<f64>) {
    let dates: Vec<i64> = (1..=7).collect();
    let mut closes = vec![100.0; 5];
    for d in 0..6 {
        let sign = if d % 2 == 0 { 1.0 } else { -1.0 };
        let row: Vec<f64> = (0..5)
            .map(|s| closes[d * 5 + s] * (1.0 + sign * 0.01 * (s as f64 + 1.0)))
            .collect();
        closes.extend(row);
    }
    let scores: Vec<f64> = (0..7)
        .flat_map(|_| [10.0, 20.0, 30.0, 40.0, 50.0])
        .collect();
    (dates, scores, closes)
}

#[test]
fn split_per_date() {
    let (dates, scores, closes) = alternating();
    let config = EvalConfig {
        split: Some(4),
        ..cfg(1, 5)
    };
    let c = cross_section(&dates, 5, &scores, &closes, &config).unwrap();
    let h = &c.horizons[0];
    // full: d0..d5 have ICs +1, −1, +1, −1, +1, −1 → mean 0.
    assert_eq!((h.full.dates, h.full.used_dates), (7, 6));
    some_close(h.full.mean_ic, 0.0, TOL);
    some_close(h.full.ic_t_stat, 0.0, TOL);
    // before: dates 1, 2, 3 (< 4). d2 (date 3) needs date 4 = the split → out.
    let b = h.before.as_ref().unwrap();
    assert_eq!((b.dates, b.used_dates), (3, 2));
    some_close(b.mean_ic, 0.0, TOL);
    // after: dates 4..7: d3 −1, d4 +1, d5 −1 (d6 has no date ahead).
    let a = h.after.as_ref().unwrap();
    assert_eq!((a.dates, a.used_dates), (4, 3));
    some_close(a.mean_ic, -1.0 / 3.0, TOL);
    // q = 5, g = 1: spread = .05·sign − .01·sign = ±.04 (exactly as returns).
    some_close(a.spread, (-0.04 + 0.04 - 0.04) / 3.0, TOL);
    some_close(a.top, (-0.05 + 0.05 - 0.05) / 3.0, TOL);
}

#[test]
fn all_equal_ics_have_no_t_stat() {
    // h = 2: (1 + x)(1 − x) − 1 = −x² falls with s on every date → IC −1 on
    // d0..d4 (d5, d6 have no date 2 ahead). All equal: sd = 0 → no t.
    let (dates, scores, closes) = alternating();
    let c = cross_section(&dates, 5, &scores, &closes, &cfg(2, 5)).unwrap();
    let p = &c.horizons[0].full;
    assert_eq!((p.used_dates, p.independent), (5, 3)); // positions 0, 2, 4
    some_close(p.mean_ic, -1.0, TOL);
    assert_eq!(p.ic_t_stat, None);
    let i = p.ic_interval.unwrap();
    close_to(i.lo, -1.0, TOL);
    close_to(i.hi, -1.0, TOL);
}

#[test]
fn t_stat_over_non_overlapping_dates() {
    // Returns rise with s at every horizon (closes 100·(1 + .01(s+1))^d); the
    // scores are permutations of 10..50 whose Spearman ρ against 1..5 is
    // known: identity 1, reversed −1, one adjacent swap (Σd² = 2) 0.9,
    // [30, 10, 20, 40, 50] (d = [2, −1, −1, 0, 0], Σd² = 6) 0.7.
    let perms: [[f64; 5]; 8] = [
        [10.0, 20.0, 30.0, 40.0, 50.0], // d0: 1
        [50.0, 40.0, 30.0, 20.0, 10.0], // d1: −1
        [20.0, 10.0, 30.0, 40.0, 50.0], // d2: 0.9
        [50.0, 40.0, 30.0, 20.0, 10.0], // d3: −1
        [30.0, 10.0, 20.0, 40.0, 50.0], // d4: 0.7
        [50.0, 40.0, 30.0, 20.0, 10.0], // d5: −1
        [10.0, 20.0, 30.0, 40.0, 50.0], // d6, d7: no date 2 ahead
        [10.0, 20.0, 30.0, 40.0, 50.0],
    ];
    let dates: Vec<i64> = (0..8).map(|d| 100 + 7 * d).collect();
    let scores = perms.concat();
    let closes: Vec<f64> = (0..8)
        .flat_map(|d| (0..5).map(move |s| 100.0 * (1.0 + 0.01 * (f64::from(s) + 1.0)).powi(d)))
        .collect();
    let c = cross_section(&dates, 5, &scores, &closes, &cfg(2, 5)).unwrap();
    let p = &c.horizons[0].full;
    assert_eq!((p.used_dates, p.independent), (6, 3));
    // Mean over all six: (1 − 1 + .9 − 1 + .7 − 1)/6 = −.4/6.
    some_close(p.mean_ic, -0.4 / 6.0, TOL);
    // t over positions 0, 2, 4 only: [1, .9, .7], mean .8666…, deviations
    // [.1333…, .0333…, −.1666…], Σ² = .046666…, s = √(.046666…/2) = .152752…,
    // t = .8666…/(s/√3) = 9.8270…
    let m: f64 = 2.6 / 3.0;
    let sd = (((1.0 - m) * (1.0 - m) + (0.9 - m) * (0.9 - m) + (0.7 - m) * (0.7 - m)) / 2.0).sqrt();
    let t = m / (sd / 3.0_f64.sqrt());
    close_to(t, 9.827, 1e-3);
    some_close(p.ic_t_stat, t, 1e-9);
    // q = 5, g = 1: the top symbol by score has the return of its column.
    assert_eq!(p.spread_dates, 6);
}

#[test]
fn no_dates() {
    let c = cross_section(&[], 3, &[], &[], &cfg(1, 2)).unwrap();
    let p = &c.horizons[0].full;
    assert_eq!(
        (p.dates, p.used_dates, p.mean_ic, p.spread),
        (0, 0, None, None)
    );
}
