//! Checkpoints of the universe forms: saved at seeded random points of a
//! market with bad inputs mixed in and restored through JSON (with
//! `float_roundtrip`) and through postcard, each continues bit for bit with
//! the same state; single-field corruptions are errors.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::many_single_char_names,
    clippy::panic
)]

use std::fmt::Debug;

use apex_ta::score::{ApexConfig, ApexUniverse, MarketBar};
use apex_ta::{
    AtrUniverse, Bar, BarSlices, MacdOutput, MacdUniverse, RsiUniverse, VolumeZScore,
    VolumeZUniverse,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

const SYMBOLS: usize = 23;
const STEPS: usize = 260;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The state, bit for bit: the postcard bytes (the derived `==` of the
/// indicator universes also compares the last update's rejections, whose
/// errors hold a `NaN` for a `NaN` input and so never compare equal).
fn state<X: Serialize>(x: &X) -> Vec<u8> {
    postcard::to_allocvec(x).unwrap()
}

/// `x` saved and restored through JSON and through postcard.
fn restored<X: Serialize + DeserializeOwned>(x: &X) -> [X; 2] {
    let json = serde_json::to_string(x).unwrap();
    let bytes = postcard::to_allocvec(x).unwrap();
    [
        serde_json::from_str(&json).unwrap(),
        postcard::from_bytes(&bytes).unwrap(),
    ]
}

/// Seeded cut points in `0..=n`: the ends, the first step, and six more.
fn cuts(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng(seed | 1);
    let mut c = vec![0, 1, n];
    c.extend((0..6).map(|_| (rng.next() * n as f64) as usize));
    c
}

/// Bars per step per symbol, some bad (NaN close, high < low, negative or
/// infinite volume); some symbols start late (bad first bars).
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
                    let r = rng.next();
                    if (i % 5 == 0 && t < 3 * i) || r < 0.01 {
                        bar.close = f64::NAN;
                    } else if r < 0.02 {
                        bar.low = bar.high + 1.0;
                    } else if r < 0.03 {
                        bar.volume = -1.0;
                    } else if r < 0.04 {
                        bar.volume = f64::INFINITY;
                    }
                    bar
                })
                .collect()
        })
        .collect()
}

fn column(bars: &[Bar], f: impl Fn(&Bar) -> f64) -> Vec<f64> {
    bars.iter().map(f).collect()
}

/// A universe form driven by one step of `market`, output as text bits.
trait Stepped: Serialize + DeserializeOwned + PartialEq + Debug + Clone {
    fn make() -> Self;
    /// One step; the outputs' bits and the rejections, as text.
    fn step(&mut self, bars: &[Bar]) -> String;
}

impl Stepped for RsiUniverse {
    fn make() -> Self {
        RsiUniverse::new(SYMBOLS, 9).unwrap()
    }
    fn step(&mut self, bars: &[Bar]) -> String {
        let mut out = vec![0.0; SYMBOLS];
        let k = self.update(&column(bars, |b| b.close), &mut out).unwrap();
        let bits: Vec<u64> = out.iter().map(|x| x.to_bits()).collect();
        format!("{k} {bits:?} {:?}", self.rejected())
    }
}

impl Stepped for MacdUniverse {
    fn make() -> Self {
        MacdUniverse::new(SYMBOLS, 5, 13, 4).unwrap()
    }
    fn step(&mut self, bars: &[Bar]) -> String {
        let none = MacdOutput {
            macd: 0.0,
            signal: 0.0,
            histogram: 0.0,
        };
        let mut out = vec![none; SYMBOLS];
        let k = self.update(&column(bars, |b| b.close), &mut out).unwrap();
        let bits: Vec<[u64; 3]> = out
            .iter()
            .map(|m| [m.macd.to_bits(), m.signal.to_bits(), m.histogram.to_bits()])
            .collect();
        format!("{k} {bits:?} {:?}", self.rejected())
    }
}

impl Stepped for AtrUniverse {
    fn make() -> Self {
        AtrUniverse::new(SYMBOLS, 7).unwrap()
    }
    fn step(&mut self, bars: &[Bar]) -> String {
        let (o, h, l, c, v) = (
            column(bars, |b| b.open),
            column(bars, |b| b.high),
            column(bars, |b| b.low),
            column(bars, |b| b.close),
            column(bars, |b| b.volume),
        );
        let slices = BarSlices {
            open: &o,
            high: &h,
            low: &l,
            close: &c,
            volume: &v,
        };
        let mut out = vec![0.0; SYMBOLS];
        let k = self.update(slices, &mut out).unwrap();
        let bits: Vec<u64> = out.iter().map(|x| x.to_bits()).collect();
        format!("{k} {bits:?} {:?}", self.rejected())
    }
}

impl Stepped for VolumeZUniverse {
    fn make() -> Self {
        VolumeZUniverse::new(SYMBOLS, 6).unwrap()
    }
    fn step(&mut self, bars: &[Bar]) -> String {
        let mut out = vec![None; SYMBOLS];
        let k = self.update(&column(bars, |b| b.volume), &mut out).unwrap();
        let bits: Vec<Option<[Option<u64>; 4]>> = out
            .iter()
            .map(|o| {
                o.map(|o| {
                    [
                        o.z.map(f64::to_bits),
                        o.ratio.map(f64::to_bits),
                        Some(o.mean.to_bits()),
                        Some(o.std_dev.to_bits()),
                    ]
                })
            })
            .collect();
        format!("{k} {bits:?} {:?}", self.rejected())
    }
}

/// Restored at every cut, `U` continues as the original: the same outputs
/// and rejections, bit for bit, and the same state after every step.
fn continues<U: Stepped>(seed: u64) {
    let input = market(seed);
    let mut rejections = 0;
    for cut in cuts(input.len(), seed) {
        let mut original = U::make();
        for bars in &input[..cut] {
            original.step(bars);
        }
        for mut back in restored(&original) {
            // The checkpoint leaves out only the last update's rejections.
            assert_eq!(state(&back), state(&original));
            let mut o = original.clone();
            for bars in &input[cut..] {
                let a = o.step(bars);
                assert_eq!(back.step(bars), a);
                assert_eq!(state(&back), state(&o));
                rejections += usize::from(!a.ends_with(" []"));
            }
        }
    }
    assert!(rejections > 100, "{rejections}");
}

#[test]
fn rsi_universe_restores_and_continues() {
    continues::<RsiUniverse>(3);
}

#[test]
fn macd_universe_restores_and_continues() {
    continues::<MacdUniverse>(5);
}

#[test]
fn atr_universe_restores_and_continues() {
    continues::<AtrUniverse>(7);
}

#[test]
fn volume_z_universe_restores_and_continues() {
    continues::<VolumeZUniverse>(9);
}

/// `U` after the first `steps` steps of `market`, and its JSON.
fn at<U: Stepped>(steps: usize) -> (U, Value) {
    let mut u = U::make();
    for bars in &market(11)[..steps] {
        u.step(bars);
    }
    let v = serde_json::to_value(&u).unwrap();
    assert_eq!(
        state(&serde_json::from_value::<U>(v.clone()).unwrap()),
        state(&u)
    );
    (u, v)
}

fn edited(v: &Value, path: &[&str], edit: impl FnOnce(&mut Value)) -> Value {
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

fn bumped(v: &Value, path: &[&str], by: i64) -> Value {
    edited(v, path, |x| *x = Value::from(x.as_i64().unwrap() + by))
}

fn shortened(v: &Value, path: &[&str]) -> Value {
    edited(v, path, |x| {
        x.as_array_mut().unwrap().pop();
    })
}

fn rejected<U: DeserializeOwned + Debug>(v: &Value, what: &str) {
    let r = serde_json::from_value::<U>(v.clone());
    assert!(r.is_err(), "{what}: accepted {r:?}");
}

/// The first symbol whose count in `counts` is `want`, as an index.
fn symbol_at(v: &Value, counts: &str, want: u64) -> String {
    v[counts]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c.as_u64() == Some(want))
        .unwrap_or_else(|| panic!("no {counts} = {want}"))
        .to_string()
}

/// Each occurrence of `x`'s bytes in the postcard form of `state`, set on
/// its own to NaN and to +∞: every one is an error.
fn non_finite_rejected<U: Serialize + DeserializeOwned + Debug>(state: &U, x: f64) -> usize {
    let bytes = postcard::to_allocvec(state).unwrap();
    let needle = x.to_le_bytes();
    let at: Vec<usize> = (0..bytes.len().saturating_sub(7))
        .filter(|&i| bytes[i..i + 8] == needle)
        .collect();
    for &i in &at {
        for bad in [f64::NAN, f64::INFINITY] {
            let mut b = bytes.clone();
            b[i..i + 8].copy_from_slice(&bad.to_le_bytes());
            let r = postcard::from_bytes::<U>(&b);
            assert!(r.is_err(), "{bad} at byte {i} accepted: {r:?}");
        }
    }
    at.len()
}

#[test]
fn corrupted_indicator_universes_are_rejected() {
    let (rsi, v) = at::<RsiUniverse>(40);
    let warm = symbol_at(&v, "seen", 10);
    rejected::<RsiUniverse>(&bumped(&v, &["seen", &warm], 1), "count + 1");
    rejected::<RsiUniverse>(&bumped(&v, &["warming"], 1), "warming + 1");
    rejected::<RsiUniverse>(&bumped(&v, &["period"], 1), "period");
    rejected::<RsiUniverse>(&shortened(&v, &["gain"]), "a lane shortened");
    rejected::<RsiUniverse>(
        &edited(&v, &["loss", &warm], |x| *x = (-1.0).into()),
        "negative loss",
    );
    rejected::<RsiUniverse>(
        &edited(&v, &["seen"], |x| *x = Value::Array(vec![])),
        "no symbols",
    );
    let prev = v["prev"][warm.parse::<usize>().unwrap()].as_f64().unwrap();
    assert!(non_finite_rejected(&rsi, prev) >= 1);

    let (_, v) = at::<MacdUniverse>(40);
    let warm = symbol_at(&v, "signal_count", 4);
    rejected::<MacdUniverse>(&bumped(&v, &["count", &warm], 1), "count + 1");
    rejected::<MacdUniverse>(&bumped(&v, &["count", &warm], -1), "count − 1");
    rejected::<MacdUniverse>(&bumped(&v, &["signal_count", &warm], 1), "signal + 1");
    rejected::<MacdUniverse>(&bumped(&v, &["warming"], -1), "warming − 1");
    rejected::<MacdUniverse>(&bumped(&v, &["params", "signal"], 1), "period");
    rejected::<MacdUniverse>(&shortened(&v, &["slow"]), "a lane shortened");

    let (atr, v) = at::<AtrUniverse>(40);
    let warm = symbol_at(&v, "seen", 8);
    rejected::<AtrUniverse>(&bumped(&v, &["seen", &warm], 1), "count + 1");
    rejected::<AtrUniverse>(&bumped(&v, &["warming"], 1), "warming + 1");
    rejected::<AtrUniverse>(
        &edited(&v, &["alpha"], |x| *x = (1.0 / 8.0).into()),
        "alpha",
    );
    rejected::<AtrUniverse>(&shortened(&v, &["prev_close"]), "a lane shortened");
    rejected::<AtrUniverse>(
        &edited(&v, &["atr", &warm], |x| *x = (-0.5).into()),
        "negative ATR",
    );
    let value = v["atr"][warm.parse::<usize>().unwrap()].as_f64().unwrap();
    assert!(non_finite_rejected(&atr, value) >= 1);

    let (vz, v) = at::<VolumeZUniverse>(40);
    rejected::<VolumeZUniverse>(
        &edited(&v, &["symbols", "3"], |x| {
            *x = serde_json::to_value(VolumeZScore::<f64>::new(7).unwrap()).unwrap();
        }),
        "a symbol of another period",
    );
    rejected::<VolumeZUniverse>(
        &bumped(&v, &["symbols", "3", "stats", "ring", "len"], 1),
        "a window + 1",
    );
    rejected::<VolumeZUniverse>(
        &edited(&v, &["symbols"], |x| *x = Value::Array(vec![])),
        "no symbols",
    );
    // A held volume (the sums are recomputed from the window on restore).
    let held = v["symbols"][3]["stats"]["ring"]["buf"][0].as_f64().unwrap();
    assert!(non_finite_rejected(&vz, held) >= 1);
}

/// `market` as market bars: SPY, QQQ and a yield with gaps, some stale
/// timestamps.
fn apex_market(seed: u64) -> Vec<Vec<MarketBar>> {
    let mut rng = Rng(seed ^ 0xA5A5);
    let (mut spy, mut qqq, mut y) = (400.0, 350.0, 4.0);
    market(seed)
        .into_iter()
        .enumerate()
        .map(|(t, step)| {
            spy *= 1.0 + (rng.next() - 0.5) * 0.02;
            qqq *= 1.0 + (rng.next() - 0.5) * 0.025;
            y += (rng.next() - 0.5) * 0.05;
            let yield_2y = (t % 41 > 3).then_some(y);
            let day = t as i64 * 86_400;
            step.into_iter()
                .map(|bar| {
                    let ts = if rng.next() < 0.01 { day - 86_400 } else { day };
                    MarketBar::new(ts, bar, spy, qqq, yield_2y)
                })
                .collect()
        })
        .collect()
}

/// Short periods: every window wraps many times.
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

/// One step: the outputs' bits, the rejections, and every symbol's score
/// and readings, as text.
fn apex_step(u: &mut ApexUniverse, bars: &[MarketBar]) -> String {
    let mut out = vec![0.0; SYMBOLS];
    let k = u.update(bars, &mut out).unwrap();
    let bits: Vec<u64> = out.iter().map(|x| x.to_bits()).collect();
    let explained: Vec<String> = (0..SYMBOLS)
        .map(|i| format!("{:?} {:?}", u.score(i), u.readings(i)))
        .collect();
    format!("{k} {bits:?} {:?} {explained:?}", u.rejected())
}

fn apex_continues(config: &ApexConfig, seed: u64) {
    let input = apex_market(seed);
    let (mut rejections, mut scored) = (0, 0);
    for cut in cuts(input.len(), seed) {
        let mut original = ApexUniverse::new(SYMBOLS, *config).unwrap();
        for bars in &input[..cut] {
            apex_step(&mut original, bars);
        }
        for mut back in restored(&original) {
            assert!(back == original, "cut {cut}");
            assert_eq!(state(&back), state(&original));
            let mut o = original.clone();
            for bars in &input[cut..] {
                let a = apex_step(&mut o, bars);
                assert_eq!(apex_step(&mut back, bars), a);
                assert!(back == o);
                rejections += o.rejected().len();
                scored += (0..SYMBOLS).filter(|&i| o.score(i).is_some()).count();
            }
        }
    }
    assert!(rejections > 500 && scored > 50_000, "{rejections} {scored}");
}

#[test]
fn apex_universe_restores_and_continues() {
    apex_continues(&short_config(), 13);
    apex_continues(&ApexConfig::default(), 15);
}

#[test]
fn corrupted_apex_universes_are_rejected() {
    let input = apex_market(17);
    let mut u = ApexUniverse::new(SYMBOLS, short_config()).unwrap();
    for bars in &input[..30] {
        apex_step(&mut u, bars);
    }
    let v = serde_json::to_value(&u).unwrap();
    assert!(serde_json::from_value::<ApexUniverse>(v.clone()).unwrap() == u);
    // A symbol in step (no own windows) and one out of step.
    let lost = v["lost"].as_array().unwrap();
    let in_step = lost.iter().position(Value::is_null).unwrap().to_string();
    let out = lost.iter().position(|l| !l.is_null()).unwrap().to_string();
    let (i, o) = (in_step.as_str(), out.as_str());

    // Counts one more than the bars taken.
    rejected::<ApexUniverse>(&bumped(&v, &["swing", "seq"], 1), "swing count + 1");
    rejected::<ApexUniverse>(&bumped(&v, &["swing", "seq"], 8), "swing count + a block");
    rejected::<ApexUniverse>(&bumped(&v, &["rsi", "seen", i], -1), "in-step RSI − 1");
    rejected::<ApexUniverse>(&bumped(&v, &["macd", "count", i], -1), "in-step MACD − 1");
    rejected::<ApexUniverse>(&bumped(&v, &["atr", "seen", o], -1), "straggler ATR − 1");
    rejected::<ApexUniverse>(
        &bumped(&v, &["lost", o, "swing", "seq"], 1),
        "straggler's swing + 1",
    );
    rejected::<ApexUniverse>(
        &edited(&v, &["volume", "ring", "len", i], |x| {
            *x = (x.as_f64().unwrap() + 1.0).into();
        }),
        "volume fill level + 1",
    );
    rejected::<ApexUniverse>(
        &edited(&v, &["yields", "ring", "len", i], |x| *x = 0.5.into()),
        "a fractional fill level",
    );
    // Indices out of range.
    rejected::<ApexUniverse>(&bumped(&v, &["breakout", "pos"], 1), "breakout position");
    rejected::<ApexUniverse>(
        &edited(&v, &["breakout", "pos"], |x| *x = 5.into()),
        "breakout position = its length",
    );
    rejected::<ApexUniverse>(&bumped(&v, &["relative", "target", "head"], 1), "ring head");
    rejected::<ApexUniverse>(
        &edited(&v, &["relative", "target", "head"], |x| *x = 5.into()),
        "ring head = its capacity",
    );
    // A period changed.
    let mut cfg = v.clone();
    cfg["config"]["periods"]["relative"] = 5.into();
    rejected::<ApexUniverse>(&cfg, "relative period in the config");
    let mut rsi = v.clone();
    rsi["rsi"]["period"] = 6.into();
    rsi["rsi"]["alpha"] = (1.0 / 6.0).into();
    rejected::<ApexUniverse>(&rsi, "RSI stage period");
    // A lane shortened.
    rejected::<ApexUniverse>(&shortened(&v, &["last", "close"]), "last closes");
    rejected::<ApexUniverse>(&shortened(&v, &["last_timestamp"]), "timestamps");
    rejected::<ApexUniverse>(&shortened(&v, &["lost"]), "stragglers' windows");
    rejected::<ApexUniverse>(&shortened(&v, &["breakout", "block"]), "breakout rows");
    rejected::<ApexUniverse>(&shortened(&v, &["volume", "s1"]), "volume suffix sums");
    rejected::<ApexUniverse>(&shortened(&v, &["volume", "p2"]), "volume prefix sums");
    // A derived sum edited by a hair: the lanes recompute it from the values.
    rejected::<ApexUniverse>(
        &edited(&v, &["volume", "p1", "0"], |x| {
            *x = Value::from(x.as_f64().unwrap_or(0.0) + 1e-9);
        }),
        "a volume prefix sum edited",
    );
    // Values out of range or inconsistent.
    rejected::<ApexUniverse>(
        &edited(&v, &["last", "sub_rsi", i], |x| *x = 1.5.into()),
        "a sub-score above 1",
    );
    rejected::<ApexUniverse>(
        &edited(&v, &["last", "close", i], |x| *x = Value::Null),
        "no last close after bars",
    );
    rejected::<ApexUniverse>(
        &edited(&v, &["breakout", "suffix_high", "7"], |x| {
            *x = (x.as_f64().unwrap() + 1.0).into();
        }),
        "a suffix extreme",
    );
    // Mid warm-up, a count one short passes the RSI and MACD stages' own
    // checks (the symbol is warming up either way): only the lock-step
    // windows' count says it is wrong.
    let mut early = ApexUniverse::new(SYMBOLS, short_config()).unwrap();
    for bars in &input[..3] {
        apex_step(&mut early, bars);
    }
    let e = serde_json::to_value(&early).unwrap();
    let j = e["lost"]
        .as_array()
        .unwrap()
        .iter()
        .position(Value::is_null)
        .unwrap();
    let j = j.to_string();
    assert_eq!(e["rsi"]["seen"][j.parse::<usize>().unwrap()], 3);
    rejected::<ApexUniverse>(&bumped(&e, &["rsi", "seen", &j], -1), "warming RSI − 1");
    rejected::<ApexUniverse>(&bumped(&e, &["macd", "count", &j], -1), "warming MACD − 1");
    rejected::<ApexUniverse>(&bumped(&e, &["atr", "seen", &j], 1), "warming ATR + 1");

    // NaN or infinity where a symbol's last close is held.
    let close = v["last"]["close"][i.parse::<usize>().unwrap()]
        .as_f64()
        .unwrap();
    assert!(non_finite_rejected(&u, close) >= 3);
}
