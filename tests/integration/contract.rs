//! The indicator contract, checked for every indicator: warm-up length,
//! reset ≡ fresh, batch ≡ streaming, clone continues identically, usable as
//! `Box<dyn Indicator>`, `Send + Sync`, and — above all — a rejected input
//! anywhere in a stream leaves every later output bit-identical.

use std::fmt::{Debug, Display};

use apex_ta::{
    Atr, Bar, Ema, Error, FibonacciLevels, Indicator, Macd, Natr, RelativePerformance,
    RelativeRatio, RollingMax, RollingMin, Rsi, Sma, StdDev, TrueRange, VolumeZScore, Wilder,
};

use crate::common::synthetic_bars;

/// Outputs as text: `{:?}` of a float is its shortest round-trip form, so
/// equal text means bit-identical values.
fn trace<I: Indicator>(ind: &mut I, inputs: &[I::Input]) -> Vec<String>
where
    I::Input: Clone,
    I::Output: Debug,
{
    inputs
        .iter()
        .map(|x| format!("{:?}", ind.update(x.clone()).expect("valid input")))
        .collect()
}

fn assert_send_sync<T: Send + Sync>() {}

pub fn contract<I>(make: impl Fn() -> I, inputs: &[I::Input], bad: &[I::Input])
where
    I: Indicator + Clone + PartialEq + Debug + Display + Send + Sync + 'static,
    I::Input: Clone + Debug,
    I::Output: Debug,
{
    assert_send_sync::<I>();
    let name = make().to_string();
    assert!(
        !name.is_empty() && name.chars().next().unwrap().is_ascii_uppercase(),
        "{name}"
    );
    let reference = trace(&mut make(), inputs);
    let lookback = make().lookback();
    assert!(inputs.len() > lookback + 10, "{name}: stream too short");

    // Warm-up: exactly `lookback` Nones, then values; is_ready follows.
    let mut ind = make();
    for (i, x) in inputs.iter().enumerate() {
        let out = ind.update(x.clone()).unwrap();
        assert_eq!(
            out.is_some(),
            i >= lookback,
            "{name}: output presence at input {i}"
        );
        assert_eq!(
            ind.is_ready(),
            i >= lookback,
            "{name}: is_ready at input {i}"
        );
    }

    // reset ≡ fresh, from mid-stream.
    let mut ind = make();
    trace(&mut ind, &inputs[..inputs.len() / 2]);
    ind.reset();
    assert!(
        !ind.is_ready() || lookback == 0,
        "{name}: ready after reset"
    );
    assert_eq!(ind, make(), "{name}: reset state differs from a fresh one");
    assert_eq!(trace(&mut ind, inputs), reference, "{name}: reset run");

    // batch ≡ streaming.
    let batch = make().batch(inputs).unwrap();
    let batch: Vec<String> = batch.iter().map(|o| format!("{o:?}")).collect();
    assert_eq!(batch, reference, "{name}: batch differs from streaming");

    // Clone mid-stream continues identically.
    let mut a = make();
    let half = inputs.len() / 2;
    trace(&mut a, &inputs[..half]);
    let mut b = a.clone();
    assert_eq!(
        trace(&mut a, &inputs[half..]),
        trace(&mut b, &inputs[half..])
    );

    // Usable as a trait object.
    let mut boxed: Box<dyn Indicator<Input = I::Input, Output = I::Output>> = Box::new(make());
    assert_eq!(trace(&mut boxed, inputs), reference, "{name}: boxed");

    // A rejected input anywhere leaves the state, and so every later output,
    // exactly as if it had never been fed.
    let n = inputs.len();
    let positions = [
        0,
        1,
        lookback.saturating_sub(1),
        lookback,
        lookback + 1,
        n / 2,
        n - 1,
    ];
    for &pos in &positions {
        for bad_input in bad {
            let mut ind = make();
            let mut out = trace(&mut ind, &inputs[..pos]);
            let before = ind.clone();
            let err = ind.update(bad_input.clone());
            assert!(err.is_err(), "{name}: {bad_input:?} accepted at {pos}");
            assert_eq!(
                ind, before,
                "{name}: state changed by {bad_input:?} at {pos}"
            );
            assert_eq!(ind.is_ready(), before.is_ready());
            out.extend(trace(&mut ind, &inputs[pos..]));
            assert_eq!(
                out, reference,
                "{name}: outputs changed by {bad_input:?} at {pos}"
            );
        }
    }
}

fn bars() -> Vec<Bar> {
    synthetic_bars(400, 7)
}

fn closes() -> Vec<f64> {
    bars().iter().map(|b| b.close).collect()
}

const BAD_CLOSES: [f64; 3] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

fn bad_bars() -> Vec<Bar> {
    let ok = Bar::new(100.0, 101.0, 99.0, 100.5, 1000.0);
    vec![
        Bar {
            open: f64::NAN,
            ..ok
        },
        Bar {
            high: f64::INFINITY,
            ..ok
        },
        Bar {
            low: f64::NEG_INFINITY,
            ..ok
        },
        Bar {
            close: f64::NAN,
            ..ok
        },
        Bar {
            volume: f64::NAN,
            ..ok
        },
        Bar { high: 98.0, ..ok },   // high < low
        Bar { open: 102.0, ..ok },  // open above high
        Bar { close: 98.5, ..ok },  // close below low
        Bar { volume: -1.0, ..ok }, // negative volume
    ]
}

fn pairs() -> Vec<(f64, f64)> {
    let b = bars();
    let c = synthetic_bars(400, 99);
    b.iter()
        .zip(&c)
        .map(|(x, y)| (x.close, y.close * 4.0))
        .collect()
}

fn bad_pairs() -> Vec<(f64, f64)> {
    vec![
        (f64::NAN, 100.0),
        (100.0, f64::INFINITY),
        (100.0, 0.0),
        (100.0, -5.0),
        (0.0, 100.0),
        (-1.0, 100.0),
    ]
}

#[test]
fn sma() {
    contract(|| Sma::new(20).unwrap(), &closes(), &BAD_CLOSES);
    contract(|| Sma::new(1).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn ema() {
    contract(|| Ema::new(20).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn wilder() {
    contract(|| Wilder::new(14).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn rsi() {
    contract(|| Rsi::new(14).unwrap(), &closes(), &BAD_CLOSES);
    contract(|| Rsi::new(1).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn macd() {
    contract(|| Macd::new(12, 26, 9).unwrap(), &closes(), &BAD_CLOSES);
    contract(|| Macd::new(1, 2, 1).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn stddev() {
    // Beyond the variance limit (1e150) as well: rejected, state unchanged.
    contract(
        || StdDev::new(20).unwrap(),
        &closes(),
        &[f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e200, -2e150],
    );
}

#[test]
fn rolling_max_min() {
    contract(|| RollingMax::new(20).unwrap(), &closes(), &BAD_CLOSES);
    contract(|| RollingMin::new(20).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn true_range_atr_natr() {
    contract(TrueRange::new, &bars(), &bad_bars());
    contract(|| Atr::new(14).unwrap(), &bars(), &bad_bars());
    contract(|| Natr::new(14).unwrap(), &bars(), &bad_bars());
}

#[test]
fn volume_z_score() {
    let volumes: Vec<f64> = bars().iter().map(|b| b.volume).collect();
    contract(
        || VolumeZScore::new(20).unwrap(),
        &volumes,
        &[f64::NAN, -1.0, f64::INFINITY, 1e151],
    );
}

#[test]
fn relative() {
    // A ratio that vanishes or overflows, a subnormal benchmark.
    let mut bad_ratios = bad_pairs();
    bad_ratios.extend([(1e-300, 1e300), (1e300, 1e-300), (1.0, 5e-324)]);
    contract(|| RelativeRatio::new(50).unwrap(), &pairs(), &bad_ratios);
    contract(
        || RelativePerformance::new(20).unwrap(),
        &pairs(),
        &bad_pairs(),
    );
}

#[test]
fn fibonacci() {
    contract(|| FibonacciLevels::new(55).unwrap(), &bars(), &bad_bars());
}

#[test]
fn errors_name_what_was_wrong() {
    let mut rsi = Rsi::<f64>::new(14).unwrap();
    let e = rsi.update(f64::NAN).unwrap_err();
    assert!(matches!(e, Error::NonFinite { field: "close", value } if value.is_nan()));
    assert_eq!(e.to_string(), "non-finite input `close` = NaN");
    let mut atr = Atr::<f64>::new(14).unwrap();
    let e = atr
        .update(Bar::new(10.0, 9.0, 11.0, 10.0, 1.0))
        .unwrap_err();
    assert!(e.to_string().contains("high < low"), "{e}");
    let e = atr
        .update(Bar::new(10.0, 11.0, 9.0, 10.0, -3.0))
        .unwrap_err();
    assert_eq!(e, Error::NegativeVolume { value: -3.0 });
    let mut rr = RelativeRatio::<f64>::new(5).unwrap();
    assert_eq!(
        rr.update((1.0, 0.0)).unwrap_err(),
        Error::NonPositive {
            field: "benchmark",
            value: 0.0
        }
    );
}

#[test]
fn constructors_reject_invalid_parameters() {
    let invalid = |r: apex_ta::Result<()>| {
        assert!(matches!(r, Err(Error::InvalidParameter { .. })), "{r:?}");
    };
    invalid(Sma::<f64>::new(0).map(drop));
    invalid(Ema::<f64>::new(0).map(drop));
    invalid(Wilder::<f64>::new(0).map(drop));
    invalid(Rsi::<f64>::new(0).map(drop));
    invalid(Macd::<f64>::new(0, 26, 9).map(drop));
    invalid(Macd::<f64>::new(12, 12, 9).map(drop));
    invalid(Macd::<f64>::new(26, 12, 9).map(drop));
    invalid(Macd::<f64>::new(12, 26, 0).map(drop));
    invalid(Atr::<f64>::new(0).map(drop));
    invalid(Natr::<f64>::new(0).map(drop));
    invalid(StdDev::<f64>::new(0).map(drop));
    invalid(RollingMax::<f64>::new(0).map(drop));
    invalid(RollingMin::<f64>::new(0).map(drop));
    invalid(VolumeZScore::<f64>::new(1).map(drop));
    invalid(RelativeRatio::<f64>::new(0).map(drop));
    invalid(RelativePerformance::<f64>::new(0).map(drop));
    invalid(FibonacciLevels::<f64>::new(0).map(drop));
    let fib = || FibonacciLevels::<f64>::new(10).unwrap();
    invalid(fib().with_ratios(&[0.5, f64::NAN]).map(drop));
    invalid(fib().with_ratios(&[0.1; 17]).map(drop));
    invalid(fib().with_min_swing(-0.1).map(drop));
    invalid(fib().with_min_swing(f64::INFINITY).map(drop));
}

/// Huge periods (and symbol counts) are `InvalidParameter` from `new`, never
/// an allocation failure, a capacity-overflow panic or a wrapped `period + 1`.
#[test]
fn huge_periods_are_errors_not_allocations() {
    use apex_ta::score::ApexUniverse;
    use apex_ta::{
        AtrUniverse, MacdUniverse, RsiUniverse, VolumeZUniverse, MAX_PERIOD, MAX_SYMBOLS,
    };
    let too_big = |r: apex_ta::Result<()>, what: &str| match r {
        Err(Error::InvalidParameter { reason, .. }) => {
            assert!(reason.contains("at most"), "{what}: {reason}");
        }
        other => panic!("{what}: {other:?}"),
    };
    for p in [usize::MAX, 1 << 40, MAX_PERIOD + 1] {
        too_big(Sma::<f64>::new(p).map(drop), "SMA");
        too_big(Ema::<f64>::new(p).map(drop), "EMA");
        too_big(Wilder::<f64>::new(p).map(drop), "RMA");
        too_big(Rsi::<f64>::new(p).map(drop), "RSI");
        too_big(Macd::<f64>::new(1, p, 3).map(drop), "MACD slow");
        too_big(Macd::<f64>::new(12, 26, p).map(drop), "MACD signal");
        too_big(Atr::<f64>::new(p).map(drop), "ATR");
        too_big(Natr::<f64>::new(p).map(drop), "NATR");
        too_big(StdDev::<f64>::new(p).map(drop), "STDDEV");
        too_big(RollingMax::<f64>::new(p).map(drop), "MAX");
        too_big(RollingMin::<f64>::new(p).map(drop), "MIN");
        too_big(VolumeZScore::<f64>::new(p).map(drop), "VOLZ");
        too_big(RelativeRatio::<f64>::new(p).map(drop), "RATIO");
        too_big(RelativePerformance::<f64>::new(p).map(drop), "RELPERF");
        too_big(FibonacciLevels::<f64>::new(p).map(drop), "FIB");
        too_big(
            RsiUniverse::<f64>::new(10, p).map(drop),
            "RSI universe period",
        );
        too_big(
            AtrUniverse::<f64>::new(10, p).map(drop),
            "ATR universe period",
        );
        too_big(
            MacdUniverse::<f64>::new(10, 12, p, 9).map(drop),
            "MACD universe",
        );
        too_big(
            VolumeZUniverse::<f64>::new(10, p).map(drop),
            "VOLZ universe",
        );
    }
    for n in [usize::MAX, MAX_SYMBOLS + 1] {
        too_big(
            RsiUniverse::<f64>::new(n, 14).map(drop),
            "RSI universe symbols",
        );
        too_big(
            ApexUniverse::<f64>::new(n, apex_ta::ApexConfig::default()).map(drop),
            "APEX universe symbols",
        );
    }
    // Windowed universes: symbols × window values are capped too, so the
    // largest symbol count and the largest period cannot meet.
    too_big(
        VolumeZUniverse::<f64>::new(MAX_SYMBOLS, MAX_PERIOD).map(drop),
        "VOLZ universe values",
    );
    too_big(
        ApexUniverse::<f64>::new(MAX_SYMBOLS, apex_ta::ApexConfig::default()).map(drop),
        "APEX universe values",
    );
    assert!(ApexUniverse::<f64>::new(10_000, apex_ta::ApexConfig::default()).is_ok());
    // The cap itself is accepted, and answers like any other period.
    let mut rp = RelativePerformance::<f64>::new(MAX_PERIOD).unwrap();
    assert_eq!(rp.period(), MAX_PERIOD);
    assert_eq!(rp.lookback(), MAX_PERIOD);
    assert_eq!(rp.update((1.0, 1.0)).unwrap(), None);
    let mut sma = Sma::<f64>::new(MAX_PERIOD).unwrap();
    assert_eq!(sma.update(1.0).unwrap(), None);
}

#[test]
fn defaults_are_the_canonical_parameters() {
    assert_eq!(Rsi::<f64>::default().to_string(), "RSI(14)");
    assert_eq!(Macd::<f64>::default().to_string(), "MACD(12, 26, 9)");
    assert_eq!(Atr::<f64>::default().to_string(), "ATR(14)");
    assert_eq!(Natr::<f64>::default().to_string(), "NATR(14)");
    assert_eq!(Wilder::<f64>::default().to_string(), "RMA(14)");
    assert_eq!(Sma::<f64>::default().to_string(), "SMA(20)");
    assert_eq!(Ema::<f64>::default().to_string(), "EMA(20)");
    assert_eq!(StdDev::<f64>::default().to_string(), "STDDEV(20)");
    assert_eq!(RollingMax::<f64>::default().to_string(), "MAX(20)");
    assert_eq!(RollingMin::<f64>::default().to_string(), "MIN(20)");
    assert_eq!(VolumeZScore::<f64>::default().to_string(), "VOLZ(20)");
    assert_eq!(
        RelativePerformance::<f64>::default().to_string(),
        "RELPERF(20)"
    );
    assert_eq!(RelativeRatio::<f64>::default().to_string(), "RATIO(50)");
    assert_eq!(FibonacciLevels::<f64>::default().to_string(), "FIB(55)");
    // Default and new(canonical) are the same state.
    assert_eq!(Rsi::<f64>::default(), Rsi::new(14).unwrap());
    assert_eq!(Macd::<f64>::default(), Macd::new(12, 26, 9).unwrap());
    assert_eq!(Atr::<f64>::default(), Atr::new(14).unwrap());
}

#[test]
fn f32_indicators_keep_the_contract() {
    let closes: Vec<f32> = closes().iter().map(|&c| c as f32).collect();
    let bars: Vec<Bar<f32>> = bars()
        .iter()
        .map(|b| {
            Bar::new(
                b.open as f32,
                b.high as f32,
                b.low as f32,
                b.close as f32,
                b.volume as f32,
            )
        })
        .collect();
    let bad32 = [f32::NAN, f32::INFINITY];
    contract(|| Rsi::<f32>::new(14).unwrap(), &closes, &bad32);
    contract(|| Macd::<f32>::new(12, 26, 9).unwrap(), &closes, &bad32);
    contract(|| StdDev::<f32>::new(20).unwrap(), &closes, &bad32);
    let bad_bar = Bar::new(1.0_f32, 0.5, 2.0, 1.0, 1.0);
    contract(|| Atr::<f32>::new(14).unwrap(), &bars, &[bad_bar]);
    contract(
        || FibonacciLevels::<f32>::new(30).unwrap(),
        &bars,
        &[bad_bar],
    );
}
