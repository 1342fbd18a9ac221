//! Arbitrary streams of good and bad inputs into every indicator and the
//! APEX scorer: each rejected input must leave the state exactly as before,
//! so the outputs for the accepted inputs equal those of a clean stream fed
//! only the accepted inputs, bit for bit. Nothing panics.
#![no_main]

use apex_ta::score::{ApexScorer, MarketBar, Scorer};
use apex_ta::{
    Atr, Bar, Ema, FibonacciLevels, Indicator, Macd, Natr, RelativePerformance, RelativeRatio,
    RollingMax, RollingMin, Rsi, Sma, StdDev, TrueRange, VolumeZScore, Wilder,
};
use libfuzzer_sys::fuzz_target;

/// A value from one byte: mostly ordinary prices, sometimes the edge cases.
fn value(b: u8, base: f64) -> f64 {
    match b {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        3 => 0.0,
        4 => -1.0,
        5 => 1e300,
        6 => 1e-300,
        7 => -0.0,
        8 => f64::MIN_POSITIVE,
        9 => 5e-324,
        _ => base * (1.0 + (f64::from(b) - 128.0) / 2048.0),
    }
}

fn bars(data: &[u8]) -> Vec<Bar> {
    let mut close = 100.0;
    data.chunks_exact(5)
        .map(|c| {
            let (o, h, l, cl, v) = (
                value(c[0], close),
                value(c[1], close * 1.01),
                value(c[2], close * 0.99),
                value(c[3], close),
                value(c[4], 1e6),
            );
            if cl.is_finite() && cl > 1.0 && cl < 1e6 {
                close = cl;
            }
            Bar::new(o, h, l, cl, v)
        })
        .collect()
}

/// Runs `make()` over `inputs`, then a second `make()` over only the inputs
/// the first accepted; the outputs must match bit for bit.
fn clean_stream<I>(make: impl Fn() -> I, inputs: &[I::Input])
where
    I: Indicator,
    I::Input: Clone,
    I::Output: std::fmt::Debug,
{
    let mut dirty = make();
    let mut accepted = Vec::new();
    let mut outputs = Vec::new();
    for x in inputs {
        if let Ok(o) = dirty.update(x.clone()) {
            accepted.push(x.clone());
            outputs.push(format!("{o:?}"));
        }
    }
    let mut clean = make();
    for (x, want) in accepted.iter().zip(&outputs) {
        let got = clean.update(x.clone()).map(|o| format!("{o:?}"));
        assert_eq!(got.as_ref(), Ok(want), "{}", std::any::type_name::<I>());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&p, rest)) = data.split_first() else {
        return;
    };
    let p = usize::from(p % 30) + 2;
    let b = bars(rest);
    let closes: Vec<f64> = b.iter().map(|x| x.close).collect();
    let volumes: Vec<f64> = b.iter().map(|x| x.volume).collect();
    let pairs: Vec<(f64, f64)> = b.iter().map(|x| (x.close, x.open)).collect();
    clean_stream(|| Sma::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| Ema::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| Wilder::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| Rsi::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| Macd::<f64>::new(p / 2 + 1, p + 1, 3).unwrap(), &closes);
    clean_stream(|| StdDev::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| RollingMax::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| RollingMin::<f64>::new(p).unwrap(), &closes);
    clean_stream(|| VolumeZScore::<f64>::new(p).unwrap(), &volumes);
    clean_stream(TrueRange::<f64>::new, &b);
    clean_stream(|| Atr::<f64>::new(p).unwrap(), &b);
    clean_stream(|| Natr::<f64>::new(p).unwrap(), &b);
    clean_stream(|| FibonacciLevels::<f64>::new(p).unwrap(), &b);
    clean_stream(|| RelativeRatio::<f64>::new(p).unwrap(), &pairs);
    clean_stream(|| RelativePerformance::<f64>::new(p).unwrap(), &pairs);

    // The APEX scorer: same contract over market bars.
    let market: Vec<MarketBar> = b
        .iter()
        .enumerate()
        .map(|(i, &bar)| {
            let ts = i as i64 * 86_400;
            MarketBar::new(
                ts,
                bar,
                bar.open.abs() + 1.0,
                bar.high.abs() + 2.0,
                Some(bar.low),
            )
        })
        .collect();
    let mut dirty = ApexScorer::<f64>::default();
    let mut accepted = Vec::new();
    for m in &market {
        if let Ok(s) = dirty.update(*m) {
            accepted.push((*m, s.map(|s| s.value().to_bits())));
            if let Some(v) = s.map(|s| s.value()) {
                assert!((0.0..=100.0).contains(&v), "score {v}");
            }
        }
    }
    let mut clean = ApexScorer::<f64>::default();
    for (m, want) in &accepted {
        let got = clean.update(*m).map(|s| s.map(|s| s.value().to_bits()));
        assert_eq!(got.as_ref(), Ok(want));
    }
});
