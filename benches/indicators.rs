//! Streaming update cost of every indicator, ns per update over seeded bars.
//!
//! `cargo bench --bench indicators` (add `-- --quick` for a fast check).
#![allow(missing_docs, clippy::panic)]

use std::hint::black_box;

use apex_ta::{
    Ad, AdOsc, Beta, Correl, LinearReg, LinearRegAngle, LinearRegIntercept, LinearRegSlope, Obv,
    Tsf, Var,
};
use apex_ta::{
    Atr, Bar, Donchian, Ema, FibonacciLevels, Ichimoku, Indicator, Keltner, Macd, MacdOutput, Natr,
    RelativePerformance, RelativeRatio, RollingMax, RollingMin, Rsi, Sma, StdDev, SuperTrend,
    TrueRange, VolumeZScore, Vwap, Wilder,
};
// directional family
use apex_ta::{
    Adx, Adxr, Aroon, AroonOsc, Cci, Dx, MinusDi, MinusDm, PlusDi, PlusDm, UltOsc, WillR,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const N: usize = 1_000_000;

/// Seeded realistic OHLCV: geometric random walk, ~1.2 % daily moves.
fn bars(n: usize) -> Vec<Bar> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut close = 100.0_f64;
    (0..n)
        .map(|_| {
            let open = close;
            close *= 1.0 + (next() - 0.5) * 0.024;
            let high = open.max(close) * (1.0 + next() * 0.005);
            let low = open.min(close) * (1.0 - next() * 0.005);
            Bar::new(open, high, low, close, 1.0e6 * (0.5 + next()))
        })
        .collect()
}

/// Streaming (`update` per input, fresh instance per iteration) and batch
/// (`Indicator::batch` over the whole slice) for one indicator and period.
fn bench<I, F>(c: &mut Criterion, group: &str, period: usize, make: impl Fn() -> I, inputs: &[F])
where
    I: Indicator<Input = F>,
    F: Copy,
{
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_with_input(BenchmarkId::new("stream", period), inputs, |b, xs| {
        b.iter(|| {
            let mut ind = make();
            for &x in xs {
                black_box(ind.update(black_box(x)).ok());
            }
        });
    });
    g.bench_with_input(BenchmarkId::new("batch", period), inputs, |b, xs| {
        b.iter(|| black_box(make().batch(black_box(xs)).ok()));
    });
    g.finish();
}

/// `batch_into` (the slice form TA-Lib's batch calls compare with): one
/// output slot per input, allocated once outside the timed loop.
fn bench_into<F: Copy, O: Copy>(
    c: &mut Criterion,
    group: &str,
    period: usize,
    inputs: &[F],
    fill: O,
    run: impl Fn(&[F], &mut [O]),
) {
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(inputs.len() as u64));
    let mut out = vec![fill; inputs.len()];
    g.bench_with_input(BenchmarkId::new("batch_into", period), inputs, |b, xs| {
        b.iter(|| {
            run(black_box(xs), &mut out);
            black_box(&mut out);
        });
    });
    g.finish();
}

fn ok<T>(r: apex_ta::Result<T>) -> T {
    r.unwrap_or_else(|e| panic!("invalid benchmark parameters: {e}"))
}

/// The seeded inputs every group reads.
struct Data {
    bars: Vec<Bar>,
    closes: Vec<f64>,
    volumes: Vec<f64>,
    pairs: Vec<(f64, f64)>,
}

fn data() -> Data {
    let bars = bars(N);
    let closes = bars.iter().map(|b| b.close).collect();
    let volumes = bars.iter().map(|b| b.volume).collect();
    // Two series for the relative indicators and BETA/CORREL: close and open.
    let pairs = bars.iter().map(|b| (b.close, b.open)).collect();
    Data {
        bars,
        closes,
        volumes,
        pairs,
    }
}

/// The core indicators, their `batch_into` forms included.
fn core(c: &mut Criterion, d: &Data) {
    let Data {
        bars,
        closes,
        volumes,
        pairs,
    } = d;
    for n in [20, 200] {
        bench(c, "sma", n, || ok(Sma::new(n)), closes);
        bench(c, "stddev", n, || ok(StdDev::new(n)), closes);
        bench(c, "max", n, || ok(RollingMax::new(n)), closes);
        bench(c, "min", n, || ok(RollingMin::new(n)), closes);
    }
    bench(c, "ema", 20, || ok(Ema::new(20)), closes);
    bench(c, "wilder", 14, || ok(Wilder::new(14)), closes);
    bench(c, "rsi", 14, || ok(Rsi::new(14)), closes);
    bench(c, "macd", 26, || ok(Macd::new(12, 26, 9)), closes);
    bench(c, "trange", 1, TrueRange::new, bars);
    bench(c, "atr", 14, || ok(Atr::new(14)), bars);
    bench(c, "natr", 14, || ok(Natr::new(14)), bars);
    bench(c, "volume_z", 20, || ok(VolumeZScore::new(20)), volumes);
    bench(c, "ratio", 50, || ok(RelativeRatio::new(50)), pairs);
    bench(c, "relperf", 20, || ok(RelativePerformance::new(20)), pairs);
    bench(c, "fibonacci", 55, || ok(FibonacciLevels::new(55)), bars);

    let batch_ok = |r: Result<(), apex_ta::BatchError>| {
        r.unwrap_or_else(|e| panic!("benchmark input rejected: {e}"));
    };
    bench_into(c, "rsi", 14, closes, 0.0, |xs, out| {
        batch_ok(ok(Rsi::new(14)).batch_into(xs, out));
    });
    let nan = MacdOutput {
        macd: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
    bench_into(c, "macd", 26, closes, nan, |xs, out| {
        batch_ok(ok(Macd::new(12, 26, 9)).batch_into(xs, out));
    });
    bench_into(c, "atr", 14, bars, 0.0, |xs, out| {
        batch_ok(ok(Atr::new(14)).batch_into(xs, out));
    });
}

/// Overlap studies, TA-Lib's default parameters.
fn overlap(c: &mut Criterion, d: &Data) {
    use apex_ta::{Bbands, Dema, Kama, MaType, MidPoint, MidPrice, Sar, Tema, Trima, Wma, T3};
    let (bars, closes) = (&d.bars, &d.closes);
    let bb = |ma| move || ok(Bbands::new(5, 2.0, 2.0, ma));
    bench(c, "bbands", 5, bb(MaType::Sma), closes);
    bench(c, "bbands_ema", 5, bb(MaType::Ema), closes);
    bench(c, "dema", 30, || ok(Dema::new(30)), closes);
    bench(c, "tema", 30, || ok(Tema::new(30)), closes);
    bench(c, "wma", 30, || ok(Wma::new(30)), closes);
    bench(c, "trima", 30, || ok(Trima::new(30)), closes);
    bench(c, "kama", 30, || ok(Kama::new(30)), closes);
    bench(c, "t3", 5, || ok(T3::new(5, 0.7)), closes);
    bench(c, "midpoint", 14, || ok(MidPoint::new(14)), closes);
    bench(c, "midprice", 14, || ok(MidPrice::new(14)), bars);
    bench(c, "sar", 1, || ok(Sar::new(0.02, 0.2)), bars);
}

/// Directional movement and trend strength.
fn directional(c: &mut Criterion, d: &Data) {
    let bars = &d.bars;
    bench(c, "plus_dm", 14, || ok(PlusDm::new(14)), bars);
    bench(c, "minus_dm", 14, || ok(MinusDm::new(14)), bars);
    bench(c, "plus_di", 14, || ok(PlusDi::new(14)), bars);
    bench(c, "minus_di", 14, || ok(MinusDi::new(14)), bars);
    bench(c, "dx", 14, || ok(Dx::new(14)), bars);
    bench(c, "adx", 14, || ok(Adx::new(14)), bars);
    bench(c, "adxr", 14, || ok(Adxr::new(14)), bars);
    bench(c, "aroon", 14, || ok(Aroon::new(14)), bars);
    bench(c, "aroonosc", 14, || ok(AroonOsc::new(14)), bars);
    bench(c, "cci", 14, || ok(Cci::new(14)), bars);
    bench(c, "willr", 14, || ok(WillR::new(14)), bars);
    bench(c, "ultosc", 28, || ok(UltOsc::new(7, 14, 28)), bars);
}

/// Momentum oscillators.
fn oscillators(c: &mut Criterion, d: &Data) {
    use apex_ta::{
        Apo, Bop, Cmo, MaType, Mfi, Mom, Ppo, Roc, Rocp, Rocr, Rocr100, Stoch, StochF, StochRsi,
        Trix,
    };
    let (bars, closes) = (&d.bars, &d.closes);
    bench(c, "apo", 26, || ok(Apo::new(12, 26, MaType::Sma)), closes);
    bench(c, "ppo", 26, || ok(Ppo::new(12, 26, MaType::Ema)), closes);
    bench(c, "bop", 1, Bop::new, bars);
    bench(c, "cmo", 14, || ok(Cmo::new(14)), closes);
    bench(c, "mfi", 14, || ok(Mfi::new(14)), bars);
    bench(c, "mom", 10, || ok(Mom::new(10)), closes);
    bench(c, "roc", 10, || ok(Roc::new(10)), closes);
    bench(c, "rocp", 10, || ok(Rocp::new(10)), closes);
    bench(c, "rocr", 10, || ok(Rocr::new(10)), closes);
    bench(c, "rocr100", 10, || ok(Rocr100::new(10)), closes);
    bench(c, "stoch", 5, Stoch::default, bars);
    bench(c, "stochf", 5, StochF::default, bars);
    bench(c, "stochrsi", 14, StochRsi::default, closes);
    bench(c, "trix", 30, || ok(Trix::new(30)), closes);
}

/// Volume flow and statistics (BETA/CORREL over close and open).
fn flow_statistics(c: &mut Criterion, d: &Data) {
    let (bars, closes, pairs) = (&d.bars, &d.closes, &d.pairs);
    bench(c, "ad", 1, Ad::new, bars);
    bench(c, "adosc", 10, || ok(AdOsc::new(3, 10)), bars);
    bench(c, "obv", 1, Obv::new, bars);
    bench(c, "var", 5, || ok(Var::new(5, 1.0)), closes);
    bench(c, "linearreg", 14, || ok(LinearReg::new(14)), closes);
    bench(
        c,
        "linearreg_slope",
        14,
        || ok(LinearRegSlope::new(14)),
        closes,
    );
    bench(
        c,
        "linearreg_intercept",
        14,
        || ok(LinearRegIntercept::new(14)),
        closes,
    );
    bench(
        c,
        "linearreg_angle",
        14,
        || ok(LinearRegAngle::new(14)),
        closes,
    );
    bench(c, "tsf", 14, || ok(Tsf::new(14)), closes);
    bench(c, "beta", 5, || ok(Beta::new(5)), pairs);
    bench(c, "correl", 30, || ok(Correl::new(30)), pairs);
}

/// Channels (TradingView definitions); VWAP on one-minute timestamps.
fn channels(c: &mut Criterion, d: &Data) {
    let bars = &d.bars;
    let timed: Vec<(i64, Bar)> = (0..).step_by(60).zip(bars.iter().copied()).collect();
    bench(c, "vwap", 0, Vwap::default, &timed);
    bench(c, "keltner", 20, Keltner::default, bars);
    bench(c, "donchian", 20, Donchian::default, bars);
    bench(c, "supertrend", 10, SuperTrend::default, bars);
    bench(c, "ichimoku", 52, Ichimoku::default, bars);
}

fn indicators(c: &mut Criterion) {
    let d = data();
    core(c, &d);
    overlap(c, &d);
    directional(c, &d);
    oscillators(c, &d);
    flow_statistics(c, &d);
    channels(c, &d);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = indicators
}
criterion_main!(benches);
