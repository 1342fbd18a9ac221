//! Universe forms give exactly the values of N independent streaming
//! instances, with per-symbol rejection that disturbs no other symbol.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]
// OHLCV columns are named with one letter on purpose.
#![allow(clippy::many_single_char_names)]

use apex_ta::score::{ApexConfig, ApexScorer, ApexUniverse, MarketBar, Scorer};
use apex_ta::{
    Atr, AtrUniverse, Bar, BarSlices, Error, Indicator, Macd, MacdOutput, MacdUniverse, Rsi,
    RsiUniverse, VolumeZScore, VolumeZUniverse,
};

const SYMBOLS: usize = 37;
const STEPS: usize = 300;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Bars per step per symbol; some are bad (NaN close, high < low, negative
/// or infinite volume) or valid only by the exact check (volume `-0.0`) at
/// random symbols and times, some symbols start late (their
/// first bars are bad so their warm-up falls out of step with the others).
fn market(seed: u64) -> Vec<Vec<Bar>> {
    let mut rng = Rng(seed);
    let mut close: Vec<f64> = (0..SYMBOLS).map(|i| 10.0 + i as f64 * 3.0).collect();
    (0..STEPS)
        .map(|t| {
            (0..SYMBOLS)
                .map(|i| {
                    let open = close[i];
                    close[i] *= 1.0 + (rng.next() - 0.5) * 0.05;
                    let c = close[i];
                    let mut bar = Bar::new(
                        open,
                        open.max(c) * (1.0 + rng.next() * 0.01),
                        open.min(c) * (1.0 - rng.next() * 0.01),
                        c,
                        1e5 * (1.0 + rng.next()),
                    );
                    let late = i % 5 == 0 && t < 3 * i;
                    let r = rng.next();
                    if late || r < 0.01 {
                        bar.close = f64::NAN;
                    } else if r < 0.02 {
                        bar.low = bar.high + 1.0;
                    } else if r < 0.03 {
                        bar.volume = -1.0;
                    } else if r < 0.04 {
                        // valid, but only the exact check says so
                        bar.volume = -0.0;
                    } else if r < 0.045 {
                        bar.volume = f64::INFINITY;
                    }
                    bar
                })
                .collect()
        })
        .collect()
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

/// Symbol `i`'s input was rejected with `e`: its slot is `NaN` and the
/// universe reports the same error (compared as text: NaN payloads make the
/// errors unequal under `==`).
fn assert_rejected(rejected: &[(usize, Error)], i: usize, e: &Error, slot: f64) {
    assert!(slot.is_nan(), "symbol {i}");
    let msg = e.to_string();
    assert!(
        rejected
            .iter()
            .any(|(j, r)| *j == i && r.to_string() == msg),
        "symbol {i}: {msg}"
    );
}

#[test]
fn rsi_universe_equals_independent_instances() {
    let m = market(1);
    let mut u = RsiUniverse::<f64>::new(SYMBOLS, 14).unwrap();
    let mut singles = vec![Rsi::<f64>::new(14).unwrap(); SYMBOLS];
    let mut out = vec![0.0; SYMBOLS];
    let mut rejections = 0;
    for step in &m {
        let closes: Vec<f64> = step.iter().map(|b| b.close).collect();
        let k = u.update(&closes, &mut out).unwrap();
        assert_eq!(k, u.rejected().len());
        rejections += k;
        for (i, rsi) in singles.iter_mut().enumerate() {
            match rsi.update(closes[i]) {
                Ok(v) => assert!(same(v.unwrap_or(f64::NAN), out[i]), "symbol {i}"),
                Err(e) => {
                    assert_rejected(u.rejected(), i, &e, out[i]);
                }
            }
            assert_eq!(u.is_ready(i), rsi.is_ready());
        }
    }
    assert!(rejections > 0, "the stream exercised rejection");
    assert!(
        (0..SYMBOLS).all(|i| u.is_ready(i)),
        "the hot path was reached"
    );
}

#[test]
fn macd_universe_equals_independent_instances() {
    let m = market(2);
    let mut u = MacdUniverse::<f64>::new(SYMBOLS, 12, 26, 9).unwrap();
    let mut singles = vec![Macd::<f64>::new(12, 26, 9).unwrap(); SYMBOLS];
    let nan = MacdOutput {
        macd: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
    let mut out = vec![nan; SYMBOLS];
    for step in &m {
        let closes: Vec<f64> = step.iter().map(|b| b.close).collect();
        u.update(&closes, &mut out).unwrap();
        for (i, macd) in singles.iter_mut().enumerate() {
            let want = macd.update(closes[i]).ok().flatten().unwrap_or(nan);
            let got = out[i];
            assert!(
                same(want.macd, got.macd)
                    && same(want.signal, got.signal)
                    && same(want.histogram, got.histogram),
                "symbol {i}: {want:?} vs {got:?}"
            );
        }
    }
    assert!((0..SYMBOLS).all(|i| u.is_ready(i)));
}

#[test]
fn atr_universe_equals_independent_instances() {
    let m = market(3);
    let mut u = AtrUniverse::<f64>::new(SYMBOLS, 14).unwrap();
    let mut singles = vec![Atr::<f64>::new(14).unwrap(); SYMBOLS];
    let mut out = vec![0.0; SYMBOLS];
    let mut rejections = 0;
    for step in &m {
        let col = |f: fn(&Bar) -> f64| step.iter().map(f).collect::<Vec<f64>>();
        let (o, h, l, c, v) = (
            col(|b| b.open),
            col(|b| b.high),
            col(|b| b.low),
            col(|b| b.close),
            col(|b| b.volume),
        );
        let bars = BarSlices {
            open: &o,
            high: &h,
            low: &l,
            close: &c,
            volume: &v,
        };
        rejections += u.update(bars, &mut out).unwrap();
        for (i, atr) in singles.iter_mut().enumerate() {
            match atr.update(step[i]) {
                Ok(want) => assert!(same(want.unwrap_or(f64::NAN), out[i]), "symbol {i}"),
                Err(e) => {
                    assert_rejected(u.rejected(), i, &e, out[i]);
                }
            }
        }
    }
    assert!(rejections > 0);
    assert!((0..SYMBOLS).all(|i| u.is_ready(i)));
}

#[test]
fn volume_z_universe_equals_independent_instances() {
    let m = market(4);
    let mut u = VolumeZUniverse::<f64>::new(SYMBOLS, 20).unwrap();
    let mut singles = vec![VolumeZScore::<f64>::new(20).unwrap(); SYMBOLS];
    let mut out = vec![None; SYMBOLS];
    for step in &m {
        let v: Vec<f64> = step.iter().map(|b| b.volume).collect();
        u.update(&v, &mut out).unwrap();
        for (i, vz) in singles.iter_mut().enumerate() {
            assert_eq!(vz.update(v[i]).ok().flatten(), out[i]);
        }
    }
}

#[test]
fn wrong_lengths_are_errors_and_change_nothing() {
    let mut u = RsiUniverse::<f64>::new(4, 3).unwrap();
    let mut out = [0.0; 4];
    u.update(&[1.0, 2.0, 3.0, 4.0], &mut out).unwrap();
    let before = u.clone();
    assert_eq!(
        u.update(&[1.0, 2.0, 3.0], &mut out),
        Err(Error::LengthMismatch {
            name: "closes",
            expected: 4,
            got: 3
        })
    );
    assert_eq!(
        u.update(&[1.0; 4], &mut [0.0; 5]).unwrap_err().to_string(),
        "slice `out` has 5 elements, expected 4"
    );
    assert_eq!(u, before);
    assert!(RsiUniverse::<f64>::new(0, 14).is_err());
    assert!(MacdUniverse::<f64>::new(3, 26, 12, 9).is_err());
    assert!(AtrUniverse::<f64>::new(3, 0).is_err());
    assert!(VolumeZUniverse::<f64>::new(3, 1).is_err());
}

#[test]
fn reset_is_a_fresh_universe() {
    let mut u = MacdUniverse::<f64>::new(5, 3, 6, 2).unwrap();
    let nan = MacdOutput {
        macd: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
    let mut out = vec![nan; 5];
    for t in 0..20 {
        u.update(&[1.0 + f64::from(t); 5], &mut out).unwrap();
    }
    u.reset();
    assert_eq!(u, MacdUniverse::new(5, 3, 6, 2).unwrap());
    let mut a = RsiUniverse::<f64>::new(3, 2).unwrap();
    a.update(&[1.0, f64::NAN, 2.0], &mut [0.0; 3]).unwrap();
    a.reset();
    assert_eq!(a, RsiUniverse::new(3, 2).unwrap());
}

/// The market of `market(seed)` as APEX inputs: shared SPY/QQQ closes and a
/// 2-year yield that is missing on some bars, one timestamp per step; some
/// symbols get a repeated (out-of-order) timestamp now and then.
fn apex_market(seed: u64) -> Vec<Vec<MarketBar<f64>>> {
    let mut rng = Rng(seed ^ 0xA5A5);
    let (mut spy, mut qqq, mut y) = (400.0, 350.0, 4.0);
    market(seed)
        .into_iter()
        .enumerate()
        .map(|(t, step)| {
            spy *= 1.0 + (rng.next() - 0.5) * 0.02;
            qqq *= 1.0 + (rng.next() - 0.5) * 0.025;
            y += (rng.next() - 0.5) * 0.05;
            let yield_2y = (t % 97 > 3).then_some(y);
            let day = i64::try_from(t).unwrap() * 86_400;
            step.into_iter()
                .map(|bar| {
                    let stale = rng.next() < 0.01;
                    let ts = if stale { day - 86_400 } else { day };
                    MarketBar::new(ts, bar, spy, qqq, yield_2y)
                })
                .collect()
        })
        .collect()
}

#[test]
fn apex_universe_equals_independent_scorers() {
    let m = apex_market(5);
    let config = ApexConfig::default();
    let mut u = ApexUniverse::<f64>::new(SYMBOLS, config).unwrap();
    let mut singles = vec![ApexScorer::<f64>::new(config).unwrap(); SYMBOLS];
    let mut out = vec![0.0; SYMBOLS];
    let (mut rejections, mut out_of_order, mut scored) = (0, 0, 0);
    for step in &m {
        let k = u.update(step, &mut out).unwrap();
        assert_eq!(k, u.rejected().len());
        rejections += k;
        for (i, scorer) in singles.iter_mut().enumerate() {
            match scorer.update(step[i]) {
                Ok(want) => {
                    let want_value = want.map_or(f64::NAN, |s| s.value());
                    assert!(same(want_value, out[i]), "symbol {i}");
                    // The on-demand explanation is the scorer's score, whole.
                    assert_eq!(u.score(i), want, "symbol {i}");
                    assert_eq!(u.readings(i), Some(*scorer.readings()), "symbol {i}");
                    scored += usize::from(want.is_some());
                }
                Err(e) => {
                    out_of_order += usize::from(matches!(e, Error::OutOfOrder { .. }));
                    assert_rejected(u.rejected(), i, &e, out[i]);
                }
            }
            assert_eq!(u.last_timestamp(i), scorer.last_timestamp());
        }
    }
    assert!(
        rejections > 0 && out_of_order > 0,
        "the stream exercised rejection"
    );
    assert!(
        scored > SYMBOLS * STEPS / 2,
        "most bars were scored: {scored}"
    );
    assert_eq!(u.score(SYMBOLS), None);
    assert_eq!(u.readings(SYMBOLS), None);
    assert_eq!(u.symbols(), SYMBOLS);
    assert_eq!(u.config(), &config);
}

#[test]
fn apex_universe_checks_lengths_and_resets() {
    let m = apex_market(6);
    let mut u = ApexUniverse::<f64>::new(SYMBOLS, ApexConfig::default()).unwrap();
    let mut out = vec![0.0; SYMBOLS];
    for step in &m[..60] {
        u.update(step, &mut out).unwrap();
    }
    let before = u.clone();
    assert_eq!(
        u.update(&m[60][..3], &mut out),
        Err(Error::LengthMismatch {
            name: "bars",
            expected: SYMBOLS,
            got: 3
        })
    );
    assert!(u.update(&m[60], &mut out[..1]).is_err());
    // As text: the rejected list's NaN payloads make `==` false.
    assert!(format!("{u:?}") == format!("{before:?}"), "state changed");
    u.reset();
    assert!(u == ApexUniverse::new(SYMBOLS, ApexConfig::default()).unwrap());
    assert!(ApexUniverse::<f64>::new(0, ApexConfig::default()).is_err());
    let bad = ApexConfig {
        min_ready: 0,
        ..ApexConfig::default()
    };
    assert!(ApexUniverse::<f64>::new(3, bad).is_err());
}

/// A clean market (every bar valid, in order) for `symbols` symbols.
fn clean_apex_market(seed: u64, steps: usize) -> Vec<Vec<MarketBar<f64>>> {
    let mut rng = Rng(seed);
    let mut close: Vec<f64> = (0..SYMBOLS).map(|i| 10.0 + i as f64 * 3.0).collect();
    let (mut spy, mut qqq, mut y) = (400.0, 350.0, 4.0);
    (0..steps)
        .map(|t| {
            spy *= 1.0 + (rng.next() - 0.5) * 0.02;
            qqq *= 1.0 + (rng.next() - 0.5) * 0.025;
            y += (rng.next() - 0.5) * 0.05;
            let day = i64::try_from(t).unwrap() * 86_400;
            (0..SYMBOLS)
                .map(|i| {
                    let open = close[i];
                    close[i] *= 1.0 + (rng.next() - 0.5) * 0.05;
                    let c = close[i];
                    let bar = Bar::new(
                        open,
                        open.max(c) * (1.0 + rng.next() * 0.01),
                        open.min(c) * (1.0 - rng.next() * 0.01),
                        c,
                        1e5 * (1.0 + rng.next()),
                    );
                    MarketBar::new(day, bar, spy, qqq, Some(y))
                })
                .collect()
        })
        .collect()
}

#[test]
fn apex_universe_in_lock_step_equals_independent_scorers() {
    // Mostly clean: symbols stay in lock step through many window cycles;
    // a few fall out of step at chosen times (after their windows are full,
    // and at a block edge), and yields go missing for some symbols only.
    let mut m = clean_apex_market(9, 400);
    m[57][7].target.high = m[57][7].target.low - 1.0; // invalid bar
    m[110][3].target.close = f64::NAN; // 2 × 55: the swing's block edge
    m[200][11].timestamp = m[199][11].timestamp; // out of order
    m[399][0].target.volume = -1.0;
    // A volume spike whose exit collapses the variance (a recomputation for
    // that symbol alone), and a flat run of volumes.
    m[140][13].target.volume = 1e9;
    for step in &mut m[160..190] {
        step[14].target.volume = 123_456.0;
    }
    // A bar that is both the swing's high and its low (equal ages: "up").
    for t in [150, 151] {
        let b = &mut m[t][9].target;
        (b.high, b.low) = (b.high * 1.6, b.low * 0.4);
    }
    for (t, step) in m.iter_mut().enumerate() {
        for (i, bar) in step.iter_mut().enumerate() {
            if (i % 4 == 1 && (120..130).contains(&t)) || t == 250 || (i == 5 && t % 33 == 0) {
                bar.yield_2y = None;
            }
        }
    }
    let config = ApexConfig::default();
    let mut u = ApexUniverse::<f64>::new(SYMBOLS, config).unwrap();
    let mut singles = vec![ApexScorer::<f64>::new(config).unwrap(); SYMBOLS];
    let mut out = vec![0.0; SYMBOLS];
    let mut rejected = Vec::new();
    let mut scored = 0;
    for (t, step) in m.iter().enumerate() {
        u.update(step, &mut out).unwrap();
        rejected.extend(u.rejected().iter().map(|(i, _)| (t, *i)));
        for (i, scorer) in singles.iter_mut().enumerate() {
            match scorer.update(step[i]) {
                Ok(want) => {
                    let want_value = want.map_or(f64::NAN, |s| s.value());
                    assert!(same(want_value, out[i]), "bar {t} symbol {i}");
                    assert_eq!(u.score(i), want, "bar {t} symbol {i}");
                    assert_eq!(
                        u.readings(i),
                        Some(*scorer.readings()),
                        "bar {t} symbol {i}"
                    );
                    scored += usize::from(want.is_some());
                }
                Err(_) => assert!(out[i].is_nan()),
            }
        }
    }
    assert_eq!(rejected, vec![(57, 7), (110, 3), (200, 11), (399, 0)]);
    assert!(scored > SYMBOLS * 300, "{scored}");
}

/// A bar whose values the windows' arithmetic cannot carry (a volume of
/// 1e200, a subnormal SPY close) is rejected by the universe exactly as by
/// the single scorer, with the same error, and the scores stay equal.
#[test]
fn apex_universe_rejects_out_of_range_bars_as_the_scorer_does() {
    let mut market = apex_market(7);
    let n = market[0].len();
    market[60][1].target.volume = 1e200;
    market[61][2].spy = 5e-324;
    market[62][0].target.close = market[62][0].target.close.max(1.0);
    let mut universe = ApexUniverse::<f64>::new(n, ApexConfig::default()).unwrap();
    let mut scorers: Vec<ApexScorer> = (0..n).map(|_| ApexScorer::default()).collect();
    let mut out = vec![f64::NAN; n];
    for (t, bars) in market.iter().enumerate() {
        universe.update(bars, &mut out).unwrap();
        for (i, (s, bar)) in scorers.iter_mut().zip(bars).enumerate() {
            match s.update(*bar) {
                Ok(score) => {
                    let want = score.map_or(f64::NAN, |x| x.value());
                    assert!(
                        same(out[i], want),
                        "bar {t} symbol {i}: {} vs {want}",
                        out[i]
                    );
                }
                Err(e) => {
                    assert!(out[i].is_nan(), "bar {t} symbol {i} scored");
                    let got = universe.rejected().iter().find(|(j, _)| *j == i);
                    // By message: an error carrying a NaN is not `==` itself.
                    assert_eq!(
                        got.map(|(_, e)| e.to_string()),
                        Some(e.to_string()),
                        "bar {t} symbol {i}"
                    );
                }
            }
        }
    }
}
