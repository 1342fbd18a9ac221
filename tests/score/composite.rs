//! The weighted composite: bounds, explanation, monotonicity,
//! renormalisation, labels.

use apex_ta::score::{Composite, Label, LabelThresholds, MAX_COMPONENTS};
use proptest::prelude::*;

static NAMES: [&str; MAX_COMPONENTS] = [
    "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
];

/// Weights (at least one positive) and sub-scores (some not ready, some out
/// of range or non-finite), same length.
fn inputs() -> impl Strategy<Value = (Vec<f64>, Vec<Option<f64>>)> {
    (1..=MAX_COMPONENTS).prop_flat_map(|n| {
        (
            prop::collection::vec(prop_oneof![Just(0.0), 0.01..10.0], n)
                .prop_filter("some weight", |w| w.iter().sum::<f64>() > 0.0),
            prop::collection::vec(
                prop_oneof![
                    4 => (-1.0f64..=1.0).prop_map(Some),
                    1 => Just(None),
                    1 => (-5.0f64..5.0).prop_map(Some),
                    1 => Just(Some(f64::NAN)),
                ],
                n,
            ),
        )
    })
}

proptest! {
    #[test]
    fn score_in_range_and_contributions_add_up((w, s) in inputs()) {
        let c = Composite::new(&NAMES[..w.len()], &w).unwrap();
        if let Some(score) = c.combine(&s) {
            prop_assert!((0.0..=100.0).contains(&score.value()));
            let sum: f64 = score.components().map(|c| c.contribution).sum();
            prop_assert!((score.value() - 50.0 - sum).abs() < 1e-9);
            prop_assert_eq!(score.total(), w.len());
            prop_assert_eq!(score.ready(), score.components().filter(|c| c.is_ready()).count());
            for comp in score.components() {
                if let Some(x) = comp.sub_score {
                    prop_assert!((-1.0..=1.0).contains(&x));
                } else {
                    prop_assert_eq!(comp.contribution, 0.0);
                }
            }
            prop_assert_eq!(score.label(), LabelThresholds::default().label(score.value()));
        } else {
            prop_assert!(s.iter().all(|x| !x.is_some_and(f64::is_finite)));
        }
    }

    #[test]
    fn raising_a_sub_score_never_lowers_the_score(
        (w, s) in inputs(),
        pick in any::<prop::sample::Index>(),
        raise in 0.0f64..2.0,
    ) {
        let c = Composite::new(&NAMES[..w.len()], &w).unwrap();
        let i = pick.index(s.len());
        let Some(before) = s[i].filter(|x| x.is_finite()) else { return Ok(()) };
        let mut raised = s.clone();
        raised[i] = Some(before + raise);
        let (a, b) = (c.combine(&s).unwrap(), c.combine(&raised).unwrap());
        prop_assert!(b.value() >= a.value() - 1e-12, "{} -> {}", a.value(), b.value());
        if w[i] > 0.0 && before.clamp(-1.0, 1.0) < (before + raise).clamp(-1.0, 1.0) {
            prop_assert!(b.value() >= a.value());
        }
    }

    #[test]
    fn not_ready_signals_are_as_if_absent((w, s) in inputs()) {
        let c = Composite::new(&NAMES[..w.len()], &w).unwrap();
        let ready: Vec<usize> = (0..s.len()).filter(|&i| s[i].is_some_and(f64::is_finite)).collect();
        let kept_w: Vec<f64> = ready.iter().map(|&i| w[i]).collect();
        if ready.is_empty() || kept_w.iter().sum::<f64>() == 0.0 {
            return Ok(());
        }
        let names: &'static [&'static str] = Box::leak(ready.iter().map(|&i| NAMES[i]).collect::<Vec<_>>().into_boxed_slice());
        let kept_s: Vec<Option<f64>> = ready.iter().map(|&i| s[i]).collect();
        let smaller = Composite::new(names, &kept_w).unwrap();
        let (a, b) = (c.combine(&s).unwrap(), smaller.combine(&kept_s).unwrap());
        prop_assert!((a.value() - b.value()).abs() < 1e-9);
        prop_assert_eq!(a.ready(), b.ready());
    }

    #[test]
    fn weight_scale_does_not_matter((w, s) in inputs(), k in 0.01f64..100.0) {
        let scaled: Vec<f64> = w.iter().map(|x| x * k).collect();
        let a = Composite::new(&NAMES[..w.len()], &w).unwrap().combine(&s);
        let b = Composite::new(&NAMES[..w.len()], &scaled).unwrap().combine(&s);
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert!((a.value() - b.value()).abs() < 1e-9);
        }
    }
}

#[test]
fn all_bullish_is_100_all_bearish_is_0_neutral_is_50() {
    let c = Composite::new(&NAMES[..3], &[1.0, 2.0, 3.0]).unwrap();
    assert_eq!(c.combine(&[Some(1.0); 3]).unwrap().value(), 100.0);
    assert_eq!(c.combine(&[Some(-1.0); 3]).unwrap().value(), 0.0);
    let n = c.combine(&[Some(0.0); 3]).unwrap();
    assert_eq!(
        (n.value(), n.label(), n.lean()),
        (50.0, Label::Neutral, 0.0)
    );
    assert_eq!(
        c.combine(&[Some(1.0); 3]).unwrap().label(),
        Label::StrongBuy
    );
}

#[test]
fn min_ready_withholds_the_score() {
    let c = Composite::new(&NAMES[..3], &[1.0; 3])
        .unwrap()
        .with_min_ready(2)
        .unwrap();
    assert!(c.combine(&[Some(1.0), None, None]).is_none());
    let s = c.combine(&[Some(1.0), None, Some(0.0)]).unwrap();
    assert_eq!((s.ready(), s.total(), s.coverage()), (2, 3, 2.0 / 3.0));
    // Missing trailing entries count as not ready; extra ones are ignored.
    assert!(c.combine(&[Some(1.0)]).is_none());
    assert_eq!(
        c.combine(&[Some(1.0), Some(1.0), Some(1.0), Some(-1.0)])
            .unwrap()
            .value(),
        100.0
    );
}

#[test]
fn label_thresholds_are_inclusive_at_the_edges_and_validated() {
    let t = LabelThresholds::default();
    assert_eq!(t.label(70.0), Label::StrongBuy);
    assert_eq!(t.label(69.99), Label::Buy);
    assert_eq!(t.label(57.0), Label::Buy);
    assert_eq!(t.label(56.99), Label::Neutral);
    assert_eq!(t.label(50.0), Label::Neutral);
    assert_eq!(t.label(43.01), Label::Neutral);
    assert_eq!(t.label(43.0), Label::Sell);
    assert_eq!(t.label(30.0), Label::StrongSell);
    assert_eq!(Label::StrongBuy.to_string(), "strong buy");
    assert_eq!(format!("{:>6}", Label::Sell), "  sell");
    for bad in [
        LabelThresholds { buy: 50.0, ..t },
        LabelThresholds { sell: 50.0, ..t },
        LabelThresholds {
            strong_buy: 56.0,
            ..t
        },
        LabelThresholds {
            strong_sell: 44.0,
            ..t
        },
        LabelThresholds {
            strong_buy: 101.0,
            ..t
        },
        LabelThresholds {
            strong_sell: -1.0,
            ..t
        },
        LabelThresholds { buy: f64::NAN, ..t },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
        assert!(Composite::new(&NAMES[..1], &[1.0])
            .unwrap()
            .with_labels(bad)
            .is_err());
    }
}

#[test]
fn display_and_ranked() {
    let c = Composite::new(&["a", "b", "c"], &[1.0, 1.0, 1.0]).unwrap();
    let s = c.combine(&[Some(0.3), Some(-0.9), None]).unwrap();
    assert_eq!(s.to_string(), "35.0 sell (2/3)"); // 50 + 50·(0.3 − 0.9)/2
    let ranked: Vec<&str> = s.ranked().map(|c| c.name).collect();
    assert_eq!(ranked, ["b", "a", "c"]);
    assert_eq!(s.ranked().len(), 3);
    assert_eq!(c.to_string(), "COMPOSITE(a 1, b 1, c 1)");
    assert_eq!(c.names(), ["a", "b", "c"]);
    assert_eq!(c.weights(), [1.0, 1.0, 1.0]);
}

/// A weight so small that renormalising by it overflows used to give a NaN
/// score; now every weight is 0 or in [MIN_WEIGHT, MAX_WEIGHT], and the
/// score is finite for every combination of ready signals.
#[test]
fn tiny_and_huge_weights_are_rejected_and_scores_are_never_nan() {
    use apex_ta::score::{ApexConfig, MAX_WEIGHT, MIN_WEIGHT};
    for w in [
        5e-324,
        1e-310,
        1e-12,
        MIN_WEIGHT / 2.0,
        2.0 * MAX_WEIGHT,
        -1.0,
        f64::NAN,
    ] {
        let e = Composite::new(&["a", "b"], &[1.0, w]).unwrap_err();
        assert!(e.to_string().contains("MIN_WEIGHT"), "{w}: {e}");
        let mut cfg = ApexConfig::default();
        cfg.weights.rates = w;
        assert!(cfg.validate().is_err(), "{w}");
    }
    // The edges are accepted and give finite scores whichever signals speak.
    for (a, b) in [
        (MIN_WEIGHT, MAX_WEIGHT),
        (MIN_WEIGHT, MIN_WEIGHT),
        (MAX_WEIGHT, 0.0),
    ] {
        let c = Composite::new(&["a", "b"], &[a, b]).unwrap();
        for subs in [
            [Some(1.0), Some(-1.0)],
            [None, Some(0.0)],
            [Some(-1.0), None],
            [Some(0.3), Some(0.7)],
        ] {
            if let Some(s) = c.combine(&subs) {
                assert!(s.value().is_finite(), "{a} {b} {subs:?}: {s:?}");
                assert!((0.0..=100.0).contains(&s.value()));
            }
        }
    }
}
