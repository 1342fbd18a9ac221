//! apex-ta vs other Rust TA crates: ns per bar for RSI(14), MACD(12,26,9) and
//! ATR(14) over the same 1,000,000 seeded bars, in one criterion run.
//!
//! See ../README.md for what each bench id means and how to run it.
//!
//! Rules every streaming bench follows: a fresh instance is created inside
//! `b.iter`, then every bar is fed in order and each output is passed through
//! `black_box`. Where a library's streaming form has to be seeded from a short
//! history (`ta-lib`'s `*_open`, `kand`'s `_inc` functions), that seeding runs
//! on the first `lookback + 1` bars inside the timed closure and the rest are
//! stepped, so every bench processes all N bars per iteration. Batch benches
//! reuse output buffers allocated once, outside the timed closure.
#![allow(missing_docs, clippy::unwrap_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use apex_ta_peers::{apex_bars, bars, wickra_candles, Columns, Ohlcv, N};
use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};

const RSI_P: usize = 14;
const FAST: usize = 12;
const SLOW: usize = 26;
const SIGNAL: usize = 9;
const ATR_P: usize = 14;

struct Data {
    bars: Vec<Ohlcv>,
    cols: Columns,
    apex: Vec<apex_ta::Bar<f64>>,
    wickra: Vec<wickra::Candle>,
}

fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g
}

fn id(lib: &str, mode: &str) -> BenchmarkId {
    BenchmarkId::new(lib, mode)
}

// ---------------------------------------------------------------- RSI(14)

fn rsi(c: &mut Criterion, d: &Data) {
    let closes = &d.cols.close[..];
    let mut g = group(c, "rsi_14");

    g.bench_function(id("apex-ta", "stream"), |b| {
        b.iter(|| {
            let mut ind = apex_ta::Rsi::<f64>::new(RSI_P).unwrap();
            for &x in closes {
                black_box(apex_ta::Indicator::update(&mut ind, black_box(x)).ok());
            }
        });
    });
    let mut apex_out = vec![0.0; N];
    g.bench_function(id("apex-ta", "batch"), |b| {
        b.iter(|| {
            let mut ind = apex_ta::Rsi::<f64>::new(RSI_P).unwrap();
            ind.batch_into(black_box(closes), &mut apex_out).unwrap();
            black_box(&mut apex_out);
        });
    });

    let core = ta_lib::Core::new();
    let lb = core.rsi_lookback(RSI_P as i32).unwrap();
    g.bench_function(id("ta-lib", "stream"), |b| {
        b.iter(|| {
            let (mut s, first) = core.rsi_open(&closes[..=lb], RSI_P as i32).unwrap();
            black_box(first);
            for &x in &closes[lb + 1..] {
                black_box(s.update(black_box(x)).ok());
            }
        });
    });
    let mut out = vec![0.0; N];
    g.bench_function(id("ta-lib", "batch"), |b| {
        b.iter(|| {
            black_box(
                core.rsi(0, N - 1, black_box(closes), RSI_P as i32, &mut out)
                    .unwrap(),
            );
            black_box(&mut out);
        });
    });

    g.bench_function(id("ta", "stream"), |b| {
        use ta::Next;
        b.iter(|| {
            let mut ind = ta::indicators::RelativeStrengthIndex::new(RSI_P).unwrap();
            for &x in closes {
                black_box(ind.next(black_box(x)));
            }
        });
    });

    g.bench_function(id("wickra", "stream"), |b| {
        use wickra::Indicator;
        b.iter(|| {
            let mut ind = wickra::Rsi::new(RSI_P).unwrap();
            for &x in closes {
                black_box(ind.update(black_box(x)));
            }
        });
    });

    // kand: stateless step fn; caller carries (prev close, avg gain, avg loss).
    // Seeded by kand's own batch over the first lookback + 1 closes.
    let klb = kand::ohlcv::rsi::lookback(RSI_P).unwrap();
    g.bench_function(id("kand", "inc"), |b| {
        b.iter(|| {
            let seed = &closes[..=klb];
            let (mut r, mut g_, mut l) = ([0.0; RSI_P + 1], [0.0; RSI_P + 1], [0.0; RSI_P + 1]);
            kand::ohlcv::rsi::rsi(seed, RSI_P, &mut r, &mut g_, &mut l).unwrap();
            black_box(r[klb]);
            let (mut prev, mut ag, mut al) = (closes[klb], g_[klb], l[klb]);
            for &x in &closes[klb + 1..] {
                let (v, ng, nl) =
                    kand::ohlcv::rsi::rsi_inc(black_box(x), prev, ag, al, RSI_P).unwrap();
                black_box(v);
                (prev, ag, al) = (x, ng, nl);
            }
        });
    });
    let (mut o1, mut o2, mut o3) = (vec![0.0; N], vec![0.0; N], vec![0.0; N]);
    g.bench_function(id("kand", "batch"), |b| {
        b.iter(|| {
            kand::ohlcv::rsi::rsi(black_box(closes), RSI_P, &mut o1, &mut o2, &mut o3).unwrap();
            black_box((&mut o1, &mut o2, &mut o3));
        });
    });

    // yata: RSI indicator with Wilder smoothing (WSMA); reads candles.
    g.bench_function(id("yata", "stream"), |b| {
        use yata::core::{IndicatorConfig, IndicatorInstance};
        let cfg = yata::indicators::RSI {
            ma: yata::helpers::MA::WSMA(RSI_P as yata::core::PeriodType),
            ..Default::default()
        };
        b.iter(|| {
            let mut ind = cfg.init(&d.bars[0]).unwrap();
            for bar in &d.bars[1..] {
                black_box(ind.next(black_box(bar)));
            }
        });
    });

    g.finish();
}

// ----------------------------------------------------------- MACD(12,26,9)

fn macd(c: &mut Criterion, d: &Data) {
    let closes = &d.cols.close[..];
    let mut g = group(c, "macd_12_26_9");

    g.bench_function(id("apex-ta", "stream"), |b| {
        b.iter(|| {
            let mut ind = apex_ta::Macd::<f64>::new(FAST, SLOW, SIGNAL).unwrap();
            for &x in closes {
                black_box(apex_ta::Indicator::update(&mut ind, black_box(x)).ok());
            }
        });
    });
    let nan = apex_ta::MacdOutput {
        macd: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
    let mut apex_out = vec![nan; N];
    g.bench_function(id("apex-ta", "batch"), |b| {
        b.iter(|| {
            let mut ind = apex_ta::Macd::<f64>::new(FAST, SLOW, SIGNAL).unwrap();
            ind.batch_into(black_box(closes), &mut apex_out).unwrap();
            black_box(&mut apex_out);
        });
    });

    let core = ta_lib::Core::new();
    let (f, s, sg) = (FAST as i32, SLOW as i32, SIGNAL as i32);
    let lb = core.macd_lookback(f, s, sg).unwrap();
    g.bench_function(id("ta-lib", "stream"), |b| {
        b.iter(|| {
            let (mut st, first) = core.macd_open(&closes[..=lb], f, s, sg).unwrap();
            black_box(first);
            for &x in &closes[lb + 1..] {
                black_box(st.update(black_box(x)).ok());
            }
        });
    });
    let (mut m, mut ms, mut mh) = (vec![0.0; N], vec![0.0; N], vec![0.0; N]);
    g.bench_function(id("ta-lib", "batch"), |b| {
        b.iter(|| {
            black_box(
                core.macd(
                    0,
                    N - 1,
                    black_box(closes),
                    f,
                    s,
                    sg,
                    &mut m,
                    &mut ms,
                    &mut mh,
                )
                .unwrap(),
            );
            black_box((&mut m, &mut ms, &mut mh));
        });
    });

    g.bench_function(id("ta", "stream"), |b| {
        use ta::Next;
        b.iter(|| {
            let mut ind =
                ta::indicators::MovingAverageConvergenceDivergence::new(FAST, SLOW, SIGNAL)
                    .unwrap();
            for &x in closes {
                black_box(ind.next(black_box(x)));
            }
        });
    });

    g.bench_function(id("wickra", "stream"), |b| {
        use wickra::Indicator;
        b.iter(|| {
            let mut ind = wickra::MacdIndicator::new(FAST, SLOW, SIGNAL).unwrap();
            for &x in closes {
                black_box(ind.update(black_box(x)));
            }
        });
    });

    // kand: `macd_inc` returns (macd, signal, hist) but not the updated fast
    // and slow EMAs, so it cannot carry a stream by itself. The stream is
    // stepped with kand's `ema_inc` x3 -- exactly the three calls `macd_inc`
    // makes internally -- seeded by kand's batch `macd` over the shortest
    // history it accepts: SLOW + SIGNAL bars (its check wants one bar more
    // than its lookback of SLOW - 1 + SIGNAL - 1).
    const KSEED: usize = SLOW + SIGNAL;
    assert_eq!(
        kand::ohlcv::macd::lookback(FAST, SLOW, SIGNAL).unwrap() + 2,
        KSEED
    );
    g.bench_function(id("kand", "inc"), |b| {
        use kand::ohlcv::ema::ema_inc;
        b.iter(|| {
            let seed = &closes[..KSEED];
            let mut bufs = [[0.0; KSEED]; 5];
            let [bm, bs, bh, bf, bsl] = &mut bufs;
            kand::ohlcv::macd::macd(seed, FAST, SLOW, SIGNAL, bm, bs, bh, bf, bsl).unwrap();
            let k = KSEED - 1;
            black_box((bm[k], bs[k], bh[k]));
            let (mut fast, mut slow, mut sig) = (bf[k], bsl[k], bs[k]);
            for &x in &closes[KSEED..] {
                let x = black_box(x);
                fast = ema_inc(x, fast, FAST, None).unwrap();
                slow = ema_inc(x, slow, SLOW, None).unwrap();
                let line = fast - slow;
                sig = ema_inc(line, sig, SIGNAL, None).unwrap();
                black_box((line, sig, line - sig));
            }
        });
    });
    let mut outs: [Vec<f64>; 5] = std::array::from_fn(|_| vec![0.0; N]);
    g.bench_function(id("kand", "batch"), |b| {
        b.iter(|| {
            let [o1, o2, o3, o4, o5] = &mut outs;
            kand::ohlcv::macd::macd(black_box(closes), FAST, SLOW, SIGNAL, o1, o2, o3, o4, o5)
                .unwrap();
            black_box(&mut outs);
        });
    });

    // yata: MACD indicator, default config = EMA(12), EMA(26), EMA(9) on close.
    g.bench_function(id("yata", "stream"), |b| {
        use yata::core::{IndicatorConfig, IndicatorInstance};
        b.iter(|| {
            let mut ind = yata::indicators::MACD::default().init(&d.bars[0]).unwrap();
            for bar in &d.bars[1..] {
                black_box(ind.next(black_box(bar)));
            }
        });
    });

    g.finish();
}

// ---------------------------------------------------------------- ATR(14)

fn atr(c: &mut Criterion, d: &Data) {
    let mut g = group(c, "atr_14");

    g.bench_function(id("apex-ta", "stream"), |b| {
        b.iter(|| {
            let mut ind = apex_ta::Atr::<f64>::new(ATR_P).unwrap();
            for bar in &d.apex {
                black_box(apex_ta::Indicator::update(&mut ind, *black_box(bar)).ok());
            }
        });
    });
    let mut apex_out = vec![0.0; N];
    g.bench_function(id("apex-ta", "batch"), |b| {
        b.iter(|| {
            let mut ind = apex_ta::Atr::<f64>::new(ATR_P).unwrap();
            ind.batch_into(black_box(&d.apex), &mut apex_out).unwrap();
            black_box(&mut apex_out);
        });
    });

    let core = ta_lib::Core::new();
    let lb = core.atr_lookback(ATR_P as i32).unwrap();
    let (h, l, cl) = (&d.cols.high[..], &d.cols.low[..], &d.cols.close[..]);
    g.bench_function(id("ta-lib", "stream"), |b| {
        b.iter(|| {
            let (mut s, first) = core
                .atr_open(&h[..=lb], &l[..=lb], &cl[..=lb], ATR_P as i32)
                .unwrap();
            black_box(first);
            for bar in &d.bars[lb + 1..] {
                let bar = black_box(bar);
                black_box(s.update(bar.high, bar.low, bar.close).ok());
            }
        });
    });
    let mut out = vec![0.0; N];
    g.bench_function(id("ta-lib", "batch"), |b| {
        b.iter(|| {
            black_box(
                core.atr(
                    0,
                    N - 1,
                    black_box(h),
                    black_box(l),
                    black_box(cl),
                    ATR_P as i32,
                    &mut out,
                )
                .unwrap(),
            );
            black_box(&mut out);
        });
    });

    g.bench_function(id("ta", "stream"), |b| {
        use ta::Next;
        b.iter(|| {
            let mut ind = ta::indicators::AverageTrueRange::new(ATR_P).unwrap();
            for bar in &d.bars {
                black_box(ind.next(black_box(bar)));
            }
        });
    });

    g.bench_function(id("wickra", "stream"), |b| {
        use wickra::Indicator;
        b.iter(|| {
            let mut ind = wickra::Atr::new(ATR_P).unwrap();
            for candle in &d.wickra {
                black_box(ind.update(*black_box(candle)));
            }
        });
    });

    // kand: stateless step fn; caller carries (prev close, atr). Seeded by
    // kand's batch over the first lookback + 1 bars.
    let klb = kand::ohlcv::atr::lookback(ATR_P).unwrap();
    g.bench_function(id("kand", "inc"), |b| {
        b.iter(|| {
            let mut seed = [0.0; ATR_P + 1];
            kand::ohlcv::atr::atr(&h[..=klb], &l[..=klb], &cl[..=klb], ATR_P, &mut seed).unwrap();
            let (mut prev_close, mut v) = (cl[klb], black_box(seed[klb]));
            for bar in &d.bars[klb + 1..] {
                let bar = black_box(bar);
                v = kand::ohlcv::atr::atr_inc(bar.high, bar.low, prev_close, v, ATR_P).unwrap();
                black_box(v);
                prev_close = bar.close;
            }
        });
    });
    let mut kout = vec![0.0; N];
    g.bench_function(id("kand", "batch"), |b| {
        b.iter(|| {
            kand::ohlcv::atr::atr(black_box(h), black_box(l), black_box(cl), ATR_P, &mut kout)
                .unwrap();
            black_box(&mut kout);
        });
    });

    // yata 0.7 has no ATR indicator or method (only TR and moving averages):
    // skipped.

    g.finish();
}

fn peers(c: &mut Criterion) {
    let bars = bars(N);
    let d = Data {
        cols: Columns::from_bars(&bars),
        apex: apex_bars(&bars),
        wickra: wickra_candles(&bars),
        bars,
    };
    rsi(c, &d);
    macd(c, &d);
    atr(c, &d);
}

criterion_group!(benches, peers);
criterion_main!(benches);
