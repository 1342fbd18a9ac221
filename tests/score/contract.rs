//! The Scorer contract for the APEX scorer: rejected input leaves the state
//! unchanged, determinism, reset, clone, trait objects, no allocation per
//! heap memory in scores, f32 ≈ f64, and the score's invariants on random markets.

use apex_ta::score::{ApexConfig, ApexScorer, MarketBar, Score, Scorer};
use apex_ta::{Bar, Error};
use proptest::prelude::*;

use crate::common::{bars, calm, run, Day};

/// Outputs as text: equal text means bit-identical values.
fn trace(out: &[Option<Score>]) -> Vec<String> {
    out.iter().map(|s| format!("{s:?}")).collect()
}

/// Bad variants of a good bar, each rejected with the right error.
fn bad_variants(good: MarketBar, previous_ts: i64) -> Vec<(MarketBar, &'static str)> {
    let t = good.target;
    vec![
        (
            MarketBar {
                target: Bar {
                    close: f64::NAN,
                    ..t
                },
                ..good
            },
            "close NaN",
        ),
        (
            MarketBar {
                target: Bar {
                    high: t.low * 0.9,
                    ..t
                },
                ..good
            },
            "high < low",
        ),
        (
            MarketBar {
                target: Bar { volume: -1.0, ..t },
                ..good
            },
            "negative volume",
        ),
        (MarketBar { spy: 0.0, ..good }, "spy 0"),
        // In range for a price but not for the arithmetic that follows: a
        // subnormal SPY close (its ratio EMA became infinite for good and
        // pinned the ratio rule at −1), a target/SPY ratio of 1e302, a
        // volume whose square overflows the volume window.
        (
            MarketBar {
                spy: 5e-324,
                ..good
            },
            "spy subnormal",
        ),
        (
            MarketBar {
                spy: t.close * 1e-302,
                ..good
            },
            "ratio 1e302",
        ),
        (
            MarketBar {
                target: Bar { volume: 1e200, ..t },
                ..good
            },
            "volume 1e200",
        ),
        (
            MarketBar {
                qqq: f64::INFINITY,
                ..good
            },
            "qqq inf",
        ),
        (
            MarketBar {
                yield_2y: Some(f64::NAN),
                ..good
            },
            "yield NaN",
        ),
        (
            MarketBar {
                timestamp: previous_ts,
                ..good
            },
            "duplicate timestamp",
        ),
        (
            MarketBar {
                timestamp: previous_ts - 1,
                ..good
            },
            "timestamp backwards",
        ),
    ]
}

#[test]
fn rejected_bars_leave_the_state_unchanged() {
    let input = bars(&calm(150, 21));
    let reference = trace(&run(&mut ApexScorer::default(), &input));
    let mut apex = ApexScorer::default();
    let mut out = Vec::new();
    for (i, bar) in input.iter().enumerate() {
        if i > 0 && i % 7 == 0 {
            let prev_ts = input[i - 1].timestamp;
            for (bad, what) in bad_variants(*bar, prev_ts) {
                let before = apex.clone();
                let err = apex.update(bad).expect_err(what);
                assert_eq!(apex, before, "{what}: state changed");
                match what {
                    "duplicate timestamp" | "timestamp backwards" => assert!(
                        matches!(err, Error::OutOfOrder { stream: "market", previous, .. } if previous == prev_ts),
                        "{err:?}"
                    ),
                    "spy 0" => assert!(matches!(err, Error::NonPositive { field: "spy", .. })),
                    "spy subnormal" => assert!(
                        matches!(err, Error::OutOfRange { field: "spy", .. }),
                        "{err:?}"
                    ),
                    "ratio 1e302" => assert!(
                        matches!(
                            err,
                            Error::OutOfRange {
                                field: "target/spy ratio",
                                ..
                            }
                        ),
                        "{err:?}"
                    ),
                    "volume 1e200" => assert!(
                        matches!(
                            err,
                            Error::OutOfRange {
                                field: "volume",
                                ..
                            }
                        ),
                        "{err:?}"
                    ),
                    "yield NaN" => assert!(matches!(
                        err,
                        Error::NonFinite {
                            field: "yield_2y",
                            ..
                        }
                    )),
                    _ => {}
                }
            }
        }
        out.push(apex.update(*bar).unwrap());
    }
    assert_eq!(trace(&out), reference);
}

/// Issue 13: one SPY close of 5e-324 made the ratio EMA infinite, and the
/// ratio reading stayed at −100 % (rule at −1) for the rest of the stream.
#[test]
fn a_subnormal_spy_close_cannot_pin_the_ratio_reading() {
    let input = bars(&calm(150, 5));
    let mut clean = ApexScorer::default();
    let mut apex = ApexScorer::default();
    for (i, bar) in input.iter().enumerate() {
        if i == 60 {
            let bad = MarketBar {
                spy: 5e-324,
                ..*bar
            };
            assert!(apex.update(bad).is_err());
        }
        clean.update(*bar).unwrap();
        apex.update(*bar).unwrap();
        assert_eq!(apex.readings(), clean.readings());
        if i > 60 {
            let d = apex.readings().ratio_distance_pct.unwrap();
            assert!(d.abs() < 20.0, "bar {i}: {d}");
        }
    }
}

#[test]
fn deterministic_reset_and_clone() {
    let input = bars(&calm(200, 5));
    let a = trace(&run(&mut ApexScorer::default(), &input));
    let b = trace(&run(&mut ApexScorer::default(), &input));
    assert_eq!(a, b);
    let mut apex = ApexScorer::default();
    run(&mut apex, &input[..90]);
    let mut fork = apex.clone();
    assert_eq!(
        trace(&run(&mut apex, &input[90..])),
        trace(&run(&mut fork, &input[90..]))
    );
    apex.reset();
    assert_eq!(apex, ApexScorer::default());
    assert!(!apex.is_ready());
    assert_eq!(trace(&run(&mut apex, &input)), a);
    assert!(apex.is_ready());
}

#[test]
fn works_behind_trait_objects_references_and_batch() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ApexScorer>();
    assert_send_sync::<Score>();
    let input = bars(&calm(120, 8));
    let reference = trace(&run(&mut ApexScorer::default(), &input));
    let mut boxed: Box<dyn Scorer<Input = MarketBar>> = Box::new(ApexScorer::default());
    assert_eq!(trace(&run(&mut boxed, &input)), reference);
    let mut apex = ApexScorer::default();
    assert_eq!(trace(&run(&mut &mut apex, &input)), reference);
    let batch = ApexScorer::default().batch(&input).unwrap();
    assert_eq!(trace(&batch), reference);
    let mut bad = input.clone();
    bad[50].spy = -1.0;
    let err = ApexScorer::default().batch(&bad).unwrap_err();
    assert_eq!(err.index, 50);
    assert_eq!(ApexScorer::<f64>::default().to_string(), "APEX");
}

/// A true allocation count needs a counting global allocator, which needs
/// `unsafe` (forbidden crate-wide). What can be checked without it: a score
/// owns no heap memory (it is `Copy` and needs no drop) and is small.
#[test]
fn scores_own_no_heap_memory() {
    fn assert_copy<T: Copy>() {}
    assert_copy::<Score>();
    assert!(!std::mem::needs_drop::<Score>());
    assert!(
        std::mem::size_of::<Score>() <= 256,
        "{}",
        std::mem::size_of::<Score>()
    );
}

#[test]
fn f32_tracks_f64() {
    let days = calm(300, 99);
    let input = bars(&days);
    let mut a64 = ApexScorer::<f64>::default();
    let mut a32 = ApexScorer::<f32>::default();
    let mut compared = 0;
    for b in &input {
        let t = b.target;
        #[allow(clippy::cast_possible_truncation)]
        let b32 = MarketBar::<f32>::new(
            b.timestamp,
            Bar::new(
                t.open as f32,
                t.high as f32,
                t.low as f32,
                t.close as f32,
                t.volume as f32,
            ),
            b.spy as f32,
            b.qqq as f32,
            b.yield_2y.map(|y| y as f32),
        );
        let s64 = a64.update(*b).unwrap();
        let s32 = a32.update(b32).unwrap();
        assert_eq!(s64.is_some(), s32.is_some());
        if let (Some(x), Some(y)) = (s64, s32) {
            // Piecewise rules amplify f32 noise near their knots; a loose bound.
            assert!(
                (x.value() - y.value()).abs() < 1.0,
                "{} vs {}",
                x.value(),
                y.value()
            );
            compared += 1;
        }
    }
    assert!(compared > 200);
}

/// Random but valid markets: a regime-switching random walk.
fn markets() -> impl Strategy<Value = Vec<Day>> {
    (
        prop::collection::vec(
            (
                -0.06f64..0.06,
                -0.02f64..0.02,
                -0.02f64..0.02,
                -0.2f64..0.2,
                0.0f64..3.0,
                0.0f64..0.05,
                any::<bool>(),
            ),
            60..160,
        ),
        1.0f64..500.0,
    )
        .prop_map(|(steps, start)| {
            let (mut c, mut s, mut q, mut y) = (start, 400.0, 300.0, 3.0);
            steps
                .into_iter()
                .map(|(r, rs, rq, dy, v, hr, has_yield)| {
                    c *= 1.0 + r;
                    s *= 1.0 + r * 0.5 + rs;
                    q *= 1.0 + r * 0.5 + rq;
                    y += dy;
                    Day {
                        close: c,
                        spy: s,
                        qqq: q,
                        yield_2y: has_yield.then_some(y),
                        volume: v * 1e6,
                        half_range: hr,
                    }
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn apex_scores_are_bounded_and_explained(days in markets(), rates_w in 0.0f64..1.0, damp in 0.0f64..=1.0) {
        let mut config = ApexConfig::default();
        config.weights.rates = rates_w;
        config.rsi.rising_rates = damp;
        let mut apex = ApexScorer::new(config).unwrap();
        for bar in bars(&days) {
            if let Some(s) = apex.update(bar).unwrap() {
                prop_assert!((0.0..=100.0).contains(&s.value()));
                let sum: f64 = s.components().map(|c| c.contribution).sum();
                prop_assert!((s.value() - 50.0 - sum).abs() < 1e-9);
                prop_assert!(s.ready() >= 5 && s.total() == 8);
                for c in s.components() {
                    prop_assert!(c.sub_score.map_or(true, |x| (-1.0..=1.0).contains(&x)));
                }
                if bar.yield_2y.is_none() {
                    prop_assert_eq!(s.component("rates").unwrap().sub_score, None);
                }
            }
        }
    }
}
