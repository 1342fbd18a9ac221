//! serde: the configuration round-trips and is re-validated on load; results
//! serialize.

use apex_ta::eval::{cross_section, evaluate, EvalConfig, Observation};
use apex_ta::Label;

#[test]
fn config_round_trips_and_is_validated() {
    let c = EvalConfig {
        horizons: vec![1, 7],
        split: Some(-5),
        confidence: 0.8,
        resamples: 12,
        seed: u64::MAX,
        quantiles: 4,
    };
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<EvalConfig>(&json).unwrap(), c);
    // Missing fields take their defaults.
    let partial: EvalConfig = serde_json::from_str(r#"{"horizons":[3]}"#).unwrap();
    assert_eq!(
        partial,
        EvalConfig {
            horizons: vec![3],
            ..EvalConfig::default()
        }
    );
    assert_eq!(
        serde_json::from_str::<EvalConfig>("{}").unwrap(),
        EvalConfig::default()
    );
    // Invalid values and unknown fields are errors.
    for bad in [
        r#"{"horizons":[0]}"#,
        r#"{"horizons":[]}"#,
        r#"{"confidence":1.5}"#,
        r#"{"resamples":0}"#,
        r#"{"quantiles":1}"#,
        r#"{"horizon":[5]}"#,
    ] {
        let e = serde_json::from_str::<EvalConfig>(bad)
            .unwrap_err()
            .to_string();
        assert!(!e.is_empty(), "{bad}");
    }
    let e = serde_json::from_str::<EvalConfig>(r#"{"horizons":[0]}"#).unwrap_err();
    assert!(e.to_string().contains("a horizon is in 1..=10000"), "{e}");
}

#[test]
fn results_serialize() {
    let obs: Vec<Observation> = (0..30)
        .map(|t| {
            let score = (t * 37 % 101) as f64;
            Observation::new(t, Some(score), Some(Label::Buy), 100.0 + (t % 5) as f64)
                .with_benchmark(100.0)
        })
        .collect();
    let e = evaluate(
        &obs,
        &EvalConfig {
            split: Some(15),
            ..EvalConfig::default()
        },
    )
    .unwrap();
    let json = serde_json::to_string(&e).unwrap();
    assert!(
        json.contains("\"by_label\"") && json.contains("\"relative\""),
        "{json}"
    );
    let c = cross_section(
        &[1, 2],
        1,
        &[50.0, 50.0],
        &[1.0, 1.0],
        &EvalConfig::default(),
    )
    .unwrap();
    assert!(serde_json::to_string(&c)
        .unwrap()
        .contains("\"spread_dates\""));
    // An observation round-trips.
    let o = obs[3];
    assert_eq!(
        serde_json::from_str::<Observation>(&serde_json::to_string(&o).unwrap()).unwrap(),
        o
    );
}
