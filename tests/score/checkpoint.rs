//! Checkpoints of the score types: saved at seeded random points of a
//! stream with bad inputs mixed in and restored through JSON (with
//! `float_roundtrip`) and through postcard, each equals the original and
//! continues bit for bit; single-field corruptions are errors.

use std::fmt::Debug;

use apex_ta::score::{
    AlignStats, Aligner, ApexConfig, ApexReadings, ApexScorer, Composite, MarketBar, Score, Scorer,
    Tick,
};
use apex_ta::Bar;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::common::{bars, calm, Rng};

/// `x` saved and restored through JSON and through postcard.
pub fn restored<X: Serialize + DeserializeOwned>(x: &X) -> [X; 2] {
    let json = serde_json::to_string(x).unwrap();
    let bytes = postcard::to_allocvec(x).unwrap();
    [
        serde_json::from_str(&json).unwrap(),
        postcard::from_bytes(&bytes).unwrap(),
    ]
}

/// Seeded cut points in `0..=n`: the ends, the first input, and six more.
pub fn cuts(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng(seed | 1);
    let mut c = vec![0, 1, n];
    c.extend((0..6).map(|_| (rng.uniform() * n as f64) as usize));
    c
}

/// `v` with the node at `path` (object keys, array indices) edited.
pub fn edited(v: &Value, path: &[&str], edit: impl FnOnce(&mut Value)) -> Value {
    let mut v = v.clone();
    let mut node = &mut v;
    for key in path {
        node = match key.parse::<usize>() {
            Ok(i) => node.get_mut(i),
            Err(_) => node.get_mut(*key),
        }
        .unwrap_or_else(|| panic!("no {key} in {path:?}"));
    }
    edit(node);
    v
}

/// `v` with the integer at `path` moved by `by`.
pub fn bumped(v: &Value, path: &[&str], by: i64) -> Value {
    edited(v, path, |x| {
        *x = Value::from(x.as_i64().unwrap_or_else(|| panic!("{x} at {path:?}")) + by);
    })
}

/// `v` with the value at `path` replaced.
pub fn set(v: &Value, path: &[&str], to: Value) -> Value {
    edited(v, path, |x| *x = to)
}

/// Deserialising `v` is an error.
pub fn rejected<X: DeserializeOwned + Debug>(v: &Value, what: &str) {
    let r = serde_json::from_value::<X>(v.clone());
    assert!(r.is_err(), "{what}: accepted {r:?}");
}

/// Each occurrence of `x`'s bytes in the postcard form of `state`, set on
/// its own to NaN and to +∞ (which JSON cannot carry): every one is an
/// error. Returns how many occurrences there were.
pub fn non_finite_rejected<X: Serialize + DeserializeOwned + Debug>(state: &X, x: f64) -> usize {
    let bytes = postcard::to_allocvec(state).unwrap();
    let needle = x.to_le_bytes();
    let at: Vec<usize> = (0..bytes.len().saturating_sub(7))
        .filter(|&i| bytes[i..i + 8] == needle)
        .collect();
    for &i in &at {
        for bad in [f64::NAN, f64::INFINITY] {
            let mut b = bytes.clone();
            b[i..i + 8].copy_from_slice(&bad.to_le_bytes());
            let r = postcard::from_bytes::<X>(&b);
            assert!(r.is_err(), "{bad} at byte {i} accepted: {r:?}");
        }
    }
    at.len()
}

/// A market of `n` bars with bad ones mixed in: a NaN close, high < low, a
/// stale timestamp, a non-positive SPY close, a negative volume; and runs
/// of missing yields.
fn market(n: usize, seed: u64) -> Vec<MarketBar> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut input = bars(&calm(n, seed));
    for (i, b) in input.iter_mut().enumerate() {
        if i % 37 > 33 {
            b.yield_2y = None;
        }
        let r = rng.uniform();
        if r < 0.02 {
            b.target.close = f64::NAN;
        } else if r < 0.04 {
            b.target.low = b.target.high + 1.0;
        } else if r < 0.06 {
            b.timestamp -= 86_400;
        } else if r < 0.07 {
            b.spy = 0.0;
        } else if r < 0.08 {
            b.target.volume = -1.0;
        }
    }
    input
}

/// Short periods: every window wraps many times in a few hundred bars.
fn short_config() -> ApexConfig {
    let mut c = ApexConfig::default();
    let p = &mut c.periods;
    (p.rsi, p.macd_fast, p.macd_slow, p.macd_signal) = (5, 3, 7, 4);
    (p.atr, p.fibonacci, p.volume, p.breakout) = (5, 8, 6, 5);
    (p.ratio, p.relative, p.rates) = (9, 4, 3);
    c.min_ready = 3;
    c.fibonacci.min_swing = 0.01;
    c
}

/// The same result: scores equal with values bit for bit, or the same
/// error (compared as text: an error's NaN value is not equal to itself).
fn same_result(a: &apex_ta::Result<Option<Score>>, b: &apex_ta::Result<Option<Score>>) {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            assert_eq!(x, y);
            assert_eq!(
                x.map(|s| s.value().to_bits()),
                y.map(|s| s.value().to_bits())
            );
        }
        _ => assert_eq!(format!("{a:?}"), format!("{b:?}")),
    }
}

fn apex_continues(config: &ApexConfig, seed: u64) {
    let input = market(300, seed);
    let (mut errors, mut scores) = (0, 0);
    for cut in cuts(input.len(), seed) {
        let mut original = ApexScorer::new(*config).unwrap();
        for b in &input[..cut] {
            let _ = original.update(*b);
        }
        for mut restored in restored(&original) {
            assert_eq!(restored, original, "cut {cut}");
            let mut o = original.clone();
            for b in &input[cut..] {
                let a = o.update(*b);
                same_result(&a, &restored.update(*b));
                assert_eq!(restored, o);
                errors += usize::from(a.is_err());
                scores += usize::from(matches!(a, Ok(Some(_))));
            }
        }
    }
    // Rejected bars and scores on both sides of the cuts.
    assert!(errors > 100 && scores > 1000, "{errors} {scores}");
}

#[test]
fn apex_scorer_restores_and_continues_bit_for_bit() {
    apex_continues(&ApexConfig::default(), 3);
    apex_continues(&short_config(), 5);
    let mut v1_volume = short_config();
    v1_volume.volume.capitulation = -1.0;
    v1_volume.rsi.rising_rates = 1.0;
    apex_continues(&v1_volume, 7);
}

#[test]
fn apex_scorer_f32_restores() {
    let input = market(200, 9);
    let mut a = ApexScorer::<f32>::new(short_config()).unwrap();
    let narrow = |b: &MarketBar| {
        let t = b.target;
        MarketBar::new(
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
        )
    };
    for b in &input[..120] {
        let _ = a.update(narrow(b));
    }
    for mut r in restored(&a) {
        assert_eq!(r, a);
        let mut o = a.clone();
        for b in &input[120..] {
            let (x, y) = (o.update(narrow(b)), r.update(narrow(b)));
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
        }
        assert_eq!(r, o);
    }
}

#[test]
fn scores_and_readings_round_trip() {
    let input = market(250, 11);
    let mut apex = ApexScorer::new(short_config()).unwrap();
    let mut scores = 0;
    for b in &input {
        if let Ok(Some(s)) = apex.update(*b) {
            for back in restored(&s) {
                assert_eq!(back, s);
                assert_eq!(back.value().to_bits(), s.value().to_bits());
                assert_eq!(format!("{back:?}"), format!("{s:?}"));
            }
            scores += 1;
        }
        for back in restored(apex.readings()) {
            assert_eq!(&back, apex.readings());
        }
    }
    assert!(scores > 150, "{scores}");
}

static OWN: [&str; 3] = ["trend", "momentum", "rates"];
static OTHER: [&str; 3] = ["trend", "momentum", "rate"];

#[test]
fn own_names_restore_with_deserialize_with_names() {
    let c = Composite::new(&OWN, &[2.0, 1.0, 0.5])
        .unwrap()
        .with_min_ready(2)
        .unwrap();
    let s = c.combine(&[Some(0.6), Some(-0.3), None]).unwrap();
    // JSON
    let json = serde_json::to_string(&s).unwrap();
    let mut de = serde_json::Deserializer::from_str(&json);
    assert_eq!(Score::deserialize_with_names(&OWN, &mut de).unwrap(), s);
    let json = serde_json::to_string(&c).unwrap();
    let mut de = serde_json::Deserializer::from_str(&json);
    let back = Composite::deserialize_with_names(&OWN, &mut de).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.names().as_ptr(), OWN.as_ptr()); // the caller's list
                                                     // postcard
    let bytes = postcard::to_allocvec(&s).unwrap();
    let mut de = postcard::Deserializer::from_bytes(&bytes);
    assert_eq!(Score::deserialize_with_names(&OWN, &mut de).unwrap(), s);
    let bytes = postcard::to_allocvec(&c).unwrap();
    let mut de = postcard::Deserializer::from_bytes(&bytes);
    assert_eq!(Composite::deserialize_with_names(&OWN, &mut de).unwrap(), c);
    // Unknown names without the list, or another list: errors.
    assert!(serde_json::from_str::<Score>(&serde_json::to_string(&s).unwrap()).is_err());
    assert!(serde_json::from_str::<Composite>(&json).is_err());
    let mut de = serde_json::Deserializer::from_str(&json);
    assert!(Composite::deserialize_with_names(&OTHER, &mut de).is_err());
}

#[test]
fn apex_composite_round_trips_and_combines_identically() {
    let c = ApexScorer::<f64>::new(short_config())
        .unwrap()
        .composite()
        .clone();
    let mut rng = Rng(21);
    for back in restored(&c) {
        assert_eq!(back, c);
        for _ in 0..200 {
            let subs: Vec<Option<f64>> = (0..8)
                .map(|_| (rng.uniform() < 0.8).then(|| rng.signed()))
                .collect();
            assert_eq!(back.combine(&subs), c.combine(&subs));
        }
    }
}

/// A score from the short-period APEX composite, as JSON.
fn apex_score() -> (Score, Value) {
    let mut apex = ApexScorer::new(short_config()).unwrap();
    let mut last = None;
    for b in &market(120, 13) {
        if let Ok(Some(s)) = apex.update(*b) {
            last = Some(s);
        }
    }
    let s = last.unwrap();
    (s, serde_json::to_value(s).unwrap())
}

#[test]
fn corrupted_scores_are_rejected() {
    let (s, v) = apex_score();
    assert_eq!(serde_json::from_value::<Score>(v.clone()).unwrap(), s);
    // Find a ready component and one that is not (or use the first).
    let comps = v["components"].as_array().unwrap();
    let ready = comps
        .iter()
        .position(|c| !c["sub_score"].is_null())
        .unwrap()
        .to_string();
    let r = ready.as_str();
    let next_up = f64::from_bits(s.value().to_bits() + 1);
    rejected::<Score>(&set(&v, &["value"], next_up.into()), "value one ulp up");
    rejected::<Score>(&bumped(&v, &["ready"], 1), "ready + 1");
    rejected::<Score>(&bumped(&v, &["total"], 1), "total + 1");
    rejected::<Score>(
        &edited(&v, &["components", r, "contribution"], |x| {
            *x = (x.as_f64().unwrap() + 1e-9).into();
        }),
        "contribution",
    );
    rejected::<Score>(
        &set(&v, &["components", r, "sub_score"], 1.5.into()),
        "sub-score out of range",
    );
    rejected::<Score>(
        &set(&v, &["components", r, "weight"], (-1.0).into()),
        "negative weight",
    );
    rejected::<Score>(
        &set(&v, &["components", "0", "name"], "rsx".into()),
        "unknown name",
    );
    rejected::<Score>(
        &edited(&v, &["components"], |x| {
            x.as_array_mut().unwrap().pop();
        }),
        "component removed",
    );
    let wrong_side = if s.value() > 50.0 {
        "strong_sell"
    } else {
        "strong_buy"
    };
    rejected::<Score>(
        &set(&v, &["label"], wrong_side.into()),
        "label on the wrong side",
    );
}

#[test]
fn corrupted_composites_and_readings_are_rejected() {
    let c = ApexScorer::<f64>::default().composite().clone();
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(serde_json::from_value::<Composite>(v.clone()).unwrap(), c);
    rejected::<Composite>(&set(&v, &["weights", "2"], (-0.1).into()), "weight");
    rejected::<Composite>(&set(&v, &["min_ready"], 0.into()), "min_ready 0");
    rejected::<Composite>(&bumped(&v, &["min_ready"], 4), "min_ready 9");
    rejected::<Composite>(&set(&v, &["names", "3"], "vol".into()), "name");
    rejected::<Composite>(
        &edited(&v, &["weights"], |x| {
            x.as_array_mut().unwrap().pop();
        }),
        "a weight short",
    );
    rejected::<Composite>(&set(&v, &["labels", "buy"], 45.0.into()), "labels");

    let mut apex = ApexScorer::new(short_config()).unwrap();
    for b in &market(100, 17) {
        let _ = apex.update(*b);
    }
    let r = serde_json::to_value(apex.readings()).unwrap();
    assert!(r["rsi"].is_number() && r["natr"].is_number(), "{r}");
    assert_eq!(
        &serde_json::from_value::<ApexReadings>(r.clone()).unwrap(),
        apex.readings()
    );
    rejected::<ApexReadings>(&set(&r, &["rsi"], 100.5.into()), "rsi");
    rejected::<ApexReadings>(&set(&r, &["natr"], (-0.5).into()), "natr");
    rejected::<ApexReadings>(&set(&r, &["bar_direction"], (-2.0).into()), "dir");
    rejected::<ApexReadings>(&set(&r, &["volume_ratio"], (-1.0).into()), "vol");
    rejected::<ApexReadings>(&set(&r, &["atr"], (-1.0).into()), "atr");
}

/// A scorer part-way through `market`, cut where the RSI and the swing are
/// warmed up (`warm`) or not.
fn scorer_at(cut: usize) -> ApexScorer {
    let mut apex = ApexScorer::new(short_config()).unwrap();
    for b in &market(200, 19)[..cut] {
        let _ = apex.update(*b);
    }
    apex
}

#[test]
fn corrupted_apex_scorers_are_rejected() {
    for cut in [3, 6, 150] {
        let apex = scorer_at(cut);
        let v = serde_json::to_value(&apex).unwrap();
        assert_eq!(
            serde_json::from_value::<ApexScorer>(v.clone()).unwrap(),
            apex
        );
        let st = |path: &[&'static str]| [&["state"][..], path].concat();
        // Counts one more than the bars taken.
        rejected::<ApexScorer>(&bumped(&v, &st(&["rsi", "seen"]), 1), "rsi seen + 1");
        rejected::<ApexScorer>(&bumped(&v, &st(&["macd", "count"]), 1), "macd count + 1");
        rejected::<ApexScorer>(&bumped(&v, &st(&["atr", "seen"]), 1), "atr seen + 1");
        rejected::<ApexScorer>(
            &bumped(&v, &st(&["windows", "swing", "seq"]), 1),
            "swing count + 1",
        );
        rejected::<ApexScorer>(
            &bumped(&v, &st(&["windows", "swing", "seq"]), 8),
            "swing count + a block",
        );
        rejected::<ApexScorer>(
            &bumped(&v, &st(&["windows", "volume", "stats", "ring", "len"]), 1),
            "volume window + 1",
        );
        // An index out of range.
        rejected::<ApexScorer>(
            &set(&v, &st(&["windows", "closes", "pos"]), 5.into()),
            "breakout position = its length",
        );
        rejected::<ApexScorer>(
            &bumped(&v, &st(&["windows", "closes", "pos"]), 1),
            "breakout position + 1",
        );
        // A period changed: in the configuration, or in a window (with
        // its α, so that the window alone is consistent).
        let mut cfg = v.clone();
        cfg["config"]["periods"]["breakout"] = 6.into();
        rejected::<ApexScorer>(&cfg, "breakout period in the config");
        let mut rsi = v.clone();
        rsi["state"]["rsi"]["period"] = 6.into();
        rsi["state"]["rsi"]["alpha"] = (1.0 / 6.0).into();
        rejected::<ApexScorer>(&rsi, "RSI period in the state");
        // A window shortened.
        rejected::<ApexScorer>(
            &edited(&v, &st(&["windows", "closes", "block"]), |x| {
                x.as_array_mut().unwrap().pop();
            }),
            "breakout window shortened",
        );
        // Previous values and readings inconsistent with the count.
        rejected::<ApexScorer>(
            &set(&v, &st(&["last_timestamp"]), Value::Null),
            "no last timestamp",
        );
        if apex.readings().rsi.is_none() {
            rejected::<ApexScorer>(
                &set(&v, &st(&["readings", "rsi"]), 40.0.into()),
                "an RSI reading before RSI is ready",
            );
        }
        // A NaN or infinity wherever the last close is held (the RSI,
        // the ATR, the breakout window, the relative window, ...).
        assert!(non_finite_rejected(&apex, prev_close(&v)) >= 4, "cut {cut}");
    }
}

/// The previous close saved in a scorer's JSON.
fn prev_close(v: &Value) -> f64 {
    v["state"]["prev_close"].as_f64().unwrap()
}

/// The swing window's suffix must be what its block says.
#[test]
fn corrupted_swing_suffix_is_rejected() {
    let apex = scorer_at(150);
    let v = serde_json::to_value(&apex).unwrap();
    let path = ["state", "windows", "swing", "suffix"];
    let suffix = &v["state"]["windows"]["swing"]["suffix"];
    let pos = v["state"]["windows"]["swing"]["pos"].as_u64().unwrap() as usize;
    assert_eq!(suffix.as_array().unwrap().len(), 8);
    let i = pos.to_string();
    // The high of the suffix at the position, raised a little.
    rejected::<ApexScorer>(
        &edited(&v, &[&path[..], &[i.as_str(), "0", "0"]].concat(), |x| {
            *x = (x.as_f64().unwrap() * 1.001).into();
        }),
        "suffix high",
    );
    // Its sequence number moved.
    rejected::<ApexScorer>(
        &bumped(&v, &[&path[..], &[i.as_str(), "1", "1"]].concat(), -1),
        "suffix low's bar",
    );
    // The suffix before a block completes is empty.
    let fresh = serde_json::to_value(scorer_at(3)).unwrap();
    rejected::<ApexScorer>(
        &set(
            &fresh,
            &path,
            Value::Array(vec![serde_json::json!([[1.0, 0], [1.0, 0]]); 8]),
        ),
        "suffix while the first block fills",
    );
}

/// Operations on an aligner: pushes, some bad, and flushes.
#[derive(Debug, Clone, Copy)]
enum Op {
    Push(i64, Tick),
    Flush,
}

fn align_ops(days: usize, seed: u64) -> Vec<Op> {
    let mut rng = Rng(seed | 1);
    let mut ops = Vec::new();
    let mut c = 100.0;
    for d in 1..=days as i64 {
        c *= 1.0 + 0.01 * rng.signed();
        let mut ticks = Vec::new();
        if rng.uniform() < 0.9 {
            ticks.push(Tick::Target(Bar::new(c, c + 1.0, c - 1.0, c, 1e6)));
        }
        if rng.uniform() < 0.9 {
            ticks.push(Tick::Spy(c * 4.0));
        }
        if rng.uniform() < 0.9 {
            ticks.push(Tick::Qqq(c * 3.0));
        }
        if rng.uniform() < 0.7 {
            ticks.push(Tick::Yield(4.0 + 0.1 * rng.signed()));
        }
        if ticks.len() > 1 && rng.uniform() < 0.5 {
            ticks.swap(0, 1);
        }
        for t in ticks {
            let r = rng.uniform();
            let bad = match t {
                Tick::Spy(_) if r < 0.05 => Some(Tick::Spy(-1.0)),
                Tick::Qqq(_) if r < 0.05 => Some(Tick::Qqq(f64::NAN)),
                Tick::Target(_) if r < 0.05 => {
                    Some(Tick::Target(Bar::new(c, c - 1.0, c + 1.0, c, 1.0)))
                }
                _ => None,
            };
            if let Some(b) = bad {
                ops.push(Op::Push(d, b));
            }
            if r > 0.95 {
                ops.push(Op::Push(d - 2, t)); // late
            }
            ops.push(Op::Push(d, t));
            if r > 0.9 {
                ops.push(Op::Push(d, t)); // duplicate
            }
        }
        if rng.uniform() < 0.05 {
            ops.push(Op::Flush);
        }
    }
    ops
}

fn apply(al: &mut Aligner, op: Op) -> apex_ta::Result<Option<MarketBar>> {
    match op {
        Op::Push(ts, t) => al.push(ts, t),
        Op::Flush => Ok(al.flush()),
    }
}

#[test]
fn aligner_restores_and_continues() {
    for (carry, seed) in [(0, 1), (2, 3), (5, 5)] {
        let ops = align_ops(250, seed);
        let (mut errors, mut emitted) = (0, 0);
        for cut in cuts(ops.len(), seed) {
            let mut original = Aligner::new(carry).unwrap();
            for &op in &ops[..cut] {
                let _ = apply(&mut original, op);
            }
            for mut restored in restored(&original) {
                assert_eq!(restored, original, "cut {cut}");
                let mut o = original.clone();
                for &op in &ops[cut..] {
                    let (a, b) = (apply(&mut o, op), apply(&mut restored, op));
                    assert_eq!(format!("{a:?}"), format!("{b:?}"));
                    errors += usize::from(a.is_err());
                    emitted += usize::from(matches!(a, Ok(Some(_))));
                    assert_eq!(restored, o);
                }
                assert_eq!(restored.stats(), o.stats());
            }
        }
        assert!(errors > 50 && emitted > 500, "{errors} {emitted}");
    }
}

#[test]
fn corrupted_aligners_are_rejected() {
    let ops = align_ops(60, 9);
    // Cut right after a target push, so a timestamp is open with a bar.
    let cut = ops
        .iter()
        .rposition(|op| matches!(op, Op::Push(_, Tick::Target(_))))
        .unwrap()
        + 1;
    let mut al = Aligner::new(2).unwrap();
    for &op in &ops[..cut] {
        let _ = apply(&mut al, op);
    }
    let v = serde_json::to_value(&al).unwrap();
    assert!(v["target"].is_object(), "{v}");
    assert_eq!(serde_json::from_value::<Aligner>(v.clone()).unwrap(), al);
    for counter in ["days", "emitted", "dropped", "without_target"] {
        rejected::<Aligner>(&bumped(&v, &["stats", counter], 1), counter);
    }
    rejected::<Aligner>(&bumped(&v, &["stats", "carried_spy"], 1000), "carried");
    rejected::<Aligner>(&bumped(&v, &["done"], 1_000_000), "done after open");
    rejected::<Aligner>(&bumped(&v, &["open"], -1_000_000), "open before done");
    rejected::<Aligner>(&set(&v, &["done"], Value::Null), "no done with days");
    rejected::<Aligner>(&bumped(&v, &["target_ts"], 1), "target after open");
    rejected::<Aligner>(&bumped(&v, &["target_ts"], -1), "target not at open");
    rejected::<Aligner>(&set(&v, &["target", "low"], 1e9.into()), "bad bar");
    rejected::<Aligner>(&set(&v, &["spy", "last"], (-4.0).into()), "spy ≤ 0");
    rejected::<Aligner>(
        &edited(&v, &["spy", "last_ts"], |x| {
            *x = Value::from(x.as_i64().unwrap_or(0) + 1_000_000);
        }),
        "spy from the future",
    );
    let mut stats: Value = serde_json::to_value(AlignStats::default()).unwrap();
    stats["days"] = 1.into();
    assert!(serde_json::from_value::<AlignStats>(stats).is_err());
    // A NaN or infinity in place of the last target close.
    let close = v["target"]["close"].as_f64().unwrap();
    assert!(non_finite_rejected(&al, close) >= 1);
}
