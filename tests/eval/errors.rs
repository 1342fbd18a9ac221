//! Every validation error, as a value, never a panic.

use apex_ta::eval::{cross_section, evaluate, EvalConfig, Observation, MAX_HORIZON};
use apex_ta::{Error, Label};

use crate::common::config;

fn bars(n: usize) -> Vec<Observation> {
    (0..n)
        .map(|t| {
            Observation::new(t as i64, Some(50.0), Some(Label::Neutral), 100.0 + t as f64)
                .with_benchmark(50.0)
        })
        .collect()
}

fn err(obs: &[Observation]) -> Error {
    evaluate(obs, &config(&[1])).unwrap_err()
}

#[test]
fn timestamps_must_increase() {
    let mut obs = bars(4);
    obs[2].timestamp = 1;
    assert_eq!(
        err(&obs),
        Error::OutOfOrder {
            stream: "observations",
            timestamp: 1,
            previous: 1
        }
    );
    obs[2].timestamp = 0;
    assert_eq!(
        err(&obs),
        Error::OutOfOrder {
            stream: "observations",
            timestamp: 0,
            previous: 1
        }
    );
}

#[test]
fn closes_and_benchmarks_are_finite_and_positive() {
    for field in ["close", "benchmark"] {
        let set = |v: f64| {
            let mut obs = bars(3);
            if field == "close" {
                obs[1].close = v;
            } else {
                obs[1].benchmark = Some(v);
            }
            err(&obs)
        };
        assert!(
            matches!(set(f64::NAN), Error::NonFinite { field: f, value } if f == field && value.is_nan())
        );
        assert_eq!(
            set(f64::INFINITY),
            Error::NonFinite {
                field,
                value: f64::INFINITY
            }
        );
        assert_eq!(
            set(f64::NEG_INFINITY),
            Error::NonFinite {
                field,
                value: f64::NEG_INFINITY
            }
        );
        assert_eq!(set(0.0), Error::NonPositive { field, value: 0.0 });
        assert_eq!(set(-3.0), Error::NonPositive { field, value: -3.0 });
    }
}

#[test]
fn scores_are_finite_and_in_0_to_100() {
    let set = |v: f64| {
        let mut obs = bars(3);
        obs[2].score = Some(v);
        evaluate(&obs, &config(&[1]))
    };
    assert!(
        matches!(set(f64::NAN), Err(Error::NonFinite { field: "score", value }) if value.is_nan())
    );
    assert_eq!(
        set(f64::INFINITY).unwrap_err(),
        Error::NonFinite {
            field: "score",
            value: f64::INFINITY
        }
    );
    for v in [-0.1, 100.5, -1e300] {
        assert_eq!(
            set(v).unwrap_err(),
            Error::InvalidParameter {
                name: "score",
                value: v,
                reason: "a score is in [0, 100]"
            }
        );
    }
    for v in [0.0, -0.0, 100.0] {
        assert!(set(v).is_ok());
    }
    // A bar without a score or with a score but no label is fine.
    let mut obs = bars(3);
    obs[0].score = None;
    obs[1].label = None;
    assert!(evaluate(&obs, &config(&[1])).is_ok());
}

#[test]
fn an_overflowing_price_ratio_is_an_error() {
    let obs = vec![
        Observation::new(0, Some(50.0), None, 1e-300),
        Observation::new(1, Some(50.0), None, 1e300),
    ];
    assert_eq!(
        err(&obs),
        Error::NonFinite {
            field: "forward return",
            value: f64::INFINITY
        }
    );
    // Without a score at the first bar, the ratio is never computed.
    let mut obs = obs;
    obs[0].score = None;
    assert!(evaluate(&obs, &config(&[1])).is_ok());
}

#[test]
fn configuration_is_validated() {
    let bad = |f: &dyn Fn(&mut EvalConfig)| {
        let mut c = EvalConfig::default();
        f(&mut c);
        let from_validate = c.validate().unwrap_err();
        // Both entry points validate the configuration first (compared as
        // text: a NaN value is not equal to itself).
        let text = format!("{from_validate:?}");
        assert_eq!(format!("{:?}", evaluate(&bars(3), &c).unwrap_err()), text);
        assert_eq!(
            format!(
                "{:?}",
                cross_section(&[1], 1, &[50.0], &[1.0], &c).unwrap_err()
            ),
            text
        );
        match from_validate {
            Error::InvalidParameter { name, .. } => name,
            e => panic!("{e:?}"),
        }
    };
    assert_eq!(bad(&|c| c.horizons.clear()), "horizons");
    assert_eq!(bad(&|c| c.horizons = vec![5, 0]), "horizons");
    assert_eq!(bad(&|c| c.horizons = vec![MAX_HORIZON + 1]), "horizons");
    assert_eq!(bad(&|c| c.confidence = 0.0), "confidence");
    assert_eq!(bad(&|c| c.confidence = 1.0), "confidence");
    assert_eq!(bad(&|c| c.confidence = f64::NAN), "confidence");
    assert_eq!(bad(&|c| c.resamples = 0), "resamples");
    assert_eq!(bad(&|c| c.resamples = 100_001), "resamples");
    assert_eq!(bad(&|c| c.quantiles = 1), "quantiles");
    assert_eq!(bad(&|c| c.quantiles = 101), "quantiles");
    assert_eq!(
        EvalConfig {
            horizons: vec![0],
            ..EvalConfig::default()
        }
        .validate()
        .unwrap_err()
        .to_string(),
        "invalid parameter `horizons` = 0: a horizon is in 1..=10000 bars"
    );

    let ok = EvalConfig {
        horizons: vec![1, MAX_HORIZON, 1],
        confidence: 0.999,
        resamples: 1,
        quantiles: 100,
        ..EvalConfig::default()
    };
    assert!(ok.validate().is_ok());
    assert!(evaluate(&bars(50), &ok).is_ok());
    let d = EvalConfig::default();
    assert_eq!(
        (
            d.horizons.as_slice(),
            d.split,
            d.confidence,
            d.resamples,
            d.quantiles
        ),
        (&[5, 20, 60][..], None, 0.90, 1000, 10)
    );
}

#[test]
fn cross_section_validation() {
    let c = EvalConfig {
        horizons: vec![1],
        ..EvalConfig::default()
    };
    let dates = [1, 2];
    let ok_scores = [50.0, NAN, 50.0, 50.0];
    let ok_closes = [1.0, 2.0, NAN, 3.0];
    assert!(cross_section(&dates, 2, &ok_scores, &ok_closes, &c).is_ok());

    let run = |dates: &[i64], symbols: usize, scores: &[f64], closes: &[f64]| {
        cross_section(dates, symbols, scores, closes, &c).unwrap_err()
    };
    assert_eq!(
        run(&dates, 0, &[], &[]),
        Error::InvalidParameter {
            name: "symbols",
            value: 0.0,
            reason: "must be at least 1"
        }
    );
    assert!(matches!(
        run(&dates, usize::MAX, &[], &[]),
        Error::InvalidParameter {
            name: "symbols",
            ..
        }
    ));
    assert_eq!(
        run(&dates, 2, &ok_scores[..3], &ok_closes),
        Error::LengthMismatch {
            name: "scores",
            expected: 4,
            got: 3
        }
    );
    assert_eq!(
        run(&dates, 2, &ok_scores, &[1.0; 5]),
        Error::LengthMismatch {
            name: "closes",
            expected: 4,
            got: 5
        }
    );
    assert_eq!(
        run(&[1, 1], 2, &ok_scores, &ok_closes),
        Error::OutOfOrder {
            stream: "dates",
            timestamp: 1,
            previous: 1
        }
    );
    assert_eq!(
        run(&[2, 1], 2, &ok_scores, &ok_closes),
        Error::OutOfOrder {
            stream: "dates",
            timestamp: 1,
            previous: 2
        }
    );
    for v in [f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            run(&dates, 2, &[50.0, v, 1.0, 1.0], &ok_closes),
            Error::NonFinite {
                field: "score",
                value: v
            }
        );
        assert_eq!(
            run(&dates, 2, &ok_scores, &[1.0, 1.0, v, 1.0]),
            Error::NonFinite {
                field: "close",
                value: v
            }
        );
    }
    assert_eq!(
        run(&dates, 2, &[50.0, 101.0, 1.0, 1.0], &ok_closes),
        Error::InvalidParameter {
            name: "score",
            value: 101.0,
            reason: "a score is in [0, 100]"
        }
    );
    assert_eq!(
        run(&dates, 2, &[50.0, -1.0, 1.0, 1.0], &ok_closes).to_string(),
        "invalid parameter `score` = -1: a score is in [0, 100]"
    );
    for v in [0.0, -2.0] {
        assert_eq!(
            run(&dates, 2, &ok_scores, &[1.0, v, 1.0, 1.0]),
            Error::NonPositive {
                field: "close",
                value: v
            }
        );
    }
    // An overflowing ratio.
    assert_eq!(
        run(&dates, 2, &ok_scores, &[1e-300, 1.0, 1e300, 1.0]),
        Error::NonFinite {
            field: "forward return",
            value: f64::INFINITY
        }
    );
}

const NAN: f64 = f64::NAN;
