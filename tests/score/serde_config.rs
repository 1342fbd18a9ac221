//! The APEX configuration through serde: round trip, defaults for missing
//! fields, unknown fields and invalid values rejected.

use apex_ta::score::{ApexConfig, ApexScorer, LabelThresholds, Scorer};

use crate::common::{bars, calm, run};

#[test]
fn config_round_trips_and_drives_an_identical_scorer() {
    let mut c = ApexConfig::default();
    c.weights.rates = 0.3;
    c.rsi.dip_high = 45.0;
    c.periods.ratio = 40;
    c.labels.buy = 60.0;
    let json = serde_json::to_string_pretty(&c).unwrap();
    let back: ApexConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let input = bars(&calm(150, 3));
    let a = run(&mut ApexScorer::new(c).unwrap(), &input);
    let b = run(&mut ApexScorer::new(back).unwrap(), &input);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn missing_fields_take_defaults() {
    let c: ApexConfig =
        serde_json::from_str(r#"{"weights": {"rates": 0.0}, "min_ready": 3}"#).unwrap();
    let mut want = ApexConfig::default();
    want.weights.rates = 0.0;
    want.min_ready = 3;
    assert_eq!(c, want);
    // An empty object is a file that changes nothing: the default.
    let empty: ApexConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, ApexConfig::default());
    let partial: ApexConfig = serde_json::from_str(r#"{"weights": {}}"#).unwrap();
    assert_eq!(partial, ApexConfig::default());
}

/// Issue 13: `[]` deserialised as the default configuration (serde's
/// sequence form with every field defaulted). A sequence is the positional
/// form of binary formats: it must hold every field, in order.
#[test]
fn a_sequence_must_hold_every_field() {
    for json in [
        "[]",
        "[{}]",
        r#"{"weights": []}"#,
        r#"{"rsi": [30.0]}"#,
        "null",
        "3",
    ] {
        let r = serde_json::from_str::<ApexConfig>(json);
        assert!(r.is_err(), "{json} accepted: {r:?}");
    }
    let err = serde_json::from_str::<ApexConfig>("[]")
        .unwrap_err()
        .to_string();
    assert!(err.contains("sequence of all 12"), "{err}");
    // The complete positional form (as bincode or postcard write a struct)
    // round-trips; one field short or one too many is an error.
    let mut c = ApexConfig::default();
    c.min_ready = 3;
    c.weights.rates = 0.5;
    let map = serde_json::to_value(c).unwrap();
    let order = [
        "periods",
        "weights",
        "labels",
        "min_ready",
        "rsi",
        "macd",
        "fibonacci",
        "volume",
        "volatility",
        "ratio",
        "relative",
        "rates",
    ];
    let seq: Vec<serde_json::Value> = order.iter().map(|k| map[*k].clone()).collect();
    let back: ApexConfig = serde_json::from_value(serde_json::Value::from(seq.clone())).unwrap();
    assert_eq!(back, c);
    let short = serde_json::Value::from(seq[..11].to_vec());
    assert!(serde_json::from_value::<ApexConfig>(short).is_err());
    let mut long = seq.clone();
    long.push(true.into());
    assert!(serde_json::from_value::<ApexConfig>(serde_json::Value::from(long)).is_err());
    // Validation runs on the positional form too.
    let mut bad = seq;
    bad[3] = 0.into(); // min_ready
    assert!(serde_json::from_value::<ApexConfig>(serde_json::Value::from(bad)).is_err());
}

#[test]
fn invalid_or_unknown_fields_are_rejected() {
    for (json, needle) in [
        (r#"{"weights": {"rsi": -1}}"#, "weights.rsi"),
        (
            r#"{"weights": {"rsi": 0, "macd": 0, "fibonacci": 0, "volume": 0, "atr": 0, "ratio": 0, "relative": 0, "rates": 0}}"#,
            "weights",
        ),
        (r#"{"periods": {"macd_fast": 26}}"#, "macd_slow"),
        (r#"{"periods": {"rsi": 0}}"#, "periods.rsi"),
        (r#"{"periods": {"rates": 1000000}}"#, "periods.rates"),
        (r#"{"labels": {"buy": 45}}"#, "labels.buy"),
        (r#"{"min_ready": 0}"#, "min_ready"),
        (r#"{"min_ready": 9}"#, "min_ready"),
        (r#"{"rsi": {"dip_low": 50}}"#, "rsi."),
        (r#"{"fibonacci": {"fair": 1.2}}"#, "fibonacci.fair"),
        (r#"{"volume": {"spike": 1.0}}"#, "volume.spike"),
        (r#"{"volatility": {"fear": 2.0}}"#, "volatility.fear"),
        (r#"{"macd": {"turn_scale": -2}}"#, "macd.turn_scale"),
        (r#"{"rates": {"full_scale": 0}}"#, "rates.full_scale"),
        (r#"{"weigths": {}}"#, "unknown field"),
        (r#"{"rsi": {"dip": 30}}"#, "unknown field"),
    ] {
        let err = serde_json::from_str::<ApexConfig>(json)
            .expect_err(json)
            .to_string();
        assert!(err.contains(needle), "{json}: {err}");
    }
}

#[test]
fn labels_and_scores_serialize() {
    let t: LabelThresholds = serde_json::from_str(r#"{"strong_buy": 80}"#).unwrap();
    assert_eq!(t.strong_buy, 80.0);
    let input = bars(&calm(80, 4));
    let mut apex = ApexScorer::default();
    let score = run(&mut apex, &input).last().copied().flatten().unwrap();
    let v: serde_json::Value = serde_json::to_value(score).unwrap();
    assert_eq!(v["total"], 8);
    assert_eq!(v["components"].as_array().unwrap().len(), 8);
    assert_eq!(v["components"][0]["name"], "rsi");
    assert!(v["label"].is_string());
    let sum: f64 = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contribution"].as_f64().unwrap())
        .sum();
    assert!((v["value"].as_f64().unwrap() - 50.0 - sum).abs() < 1e-9);
    assert!(apex.is_ready());
}
