//! Universe scoring: N symbols updated per bar in one call, against N
//! independent streaming instances. Reported per symbol-update
//! (`Throughput::Elements` = symbols × bars).
//!
//! `cargo bench --bench universe` (add `-- --quick` for a fast check).
#![allow(
    missing_docs,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]
// Benchmarks index their own fixed-size panels and use short names.
#![allow(clippy::indexing_slicing, clippy::many_single_char_names)]

use std::hint::black_box;

use apex_ta::score::{ApexConfig, ApexScorer, ApexUniverse, MarketBar, Scorer};
use apex_ta::{
    Atr, AtrUniverse, Bar, BarSlices, Float, Indicator, Macd, MacdOutput, MacdUniverse, Rsi,
    RsiUniverse,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SYMBOLS: usize = 2_000;
const BARS: usize = 5_000;

fn ok<T>(r: apex_ta::Result<T>) -> T {
    r.unwrap_or_else(|e| panic!("invalid benchmark parameters: {e}"))
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Time-major panel: row `t` holds every symbol's value at bar `t`.
struct Panel {
    open: Vec<f64>,
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    volume: Vec<f64>,
    bars: usize,
}

fn panel(bars: usize) -> Panel {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut last: Vec<f64> = (0..SYMBOLS).map(|i| 5.0 + (i % 300) as f64).collect();
    let n = SYMBOLS * bars;
    let mut p = Panel {
        open: Vec::with_capacity(n),
        high: Vec::with_capacity(n),
        low: Vec::with_capacity(n),
        close: Vec::with_capacity(n),
        volume: Vec::with_capacity(n),
        bars,
    };
    for _ in 0..bars {
        for c in &mut last {
            let open = *c;
            *c *= 1.0 + (rng.next() - 0.5) * 0.04;
            p.open.push(open);
            p.high.push(open.max(*c) * (1.0 + rng.next() * 0.01));
            p.low.push(open.min(*c) * (1.0 - rng.next() * 0.01));
            p.close.push(*c);
            p.volume.push(1e5 * (0.5 + rng.next()));
        }
    }
    p
}

fn universe(c: &mut Criterion) {
    let p = panel(BARS);
    let rows = |v: &'static [f64]| v.chunks_exact(SYMBOLS);
    let close: &'static [f64] = p.close.clone().leak();
    let elements = (SYMBOLS * p.bars) as u64;

    rsi_group(c, "universe_rsi", close);

    let mut g = c.benchmark_group("universe_macd");
    g.throughput(Throughput::Elements(elements));
    g.sample_size(10);
    let nan = MacdOutput {
        macd: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
    g.bench_function(BenchmarkId::new("soa", SYMBOLS), |b| {
        let mut out = vec![nan; SYMBOLS];
        b.iter(|| {
            let mut u = ok(MacdUniverse::<f64>::new(SYMBOLS, 12, 26, 9));
            for row in rows(close) {
                black_box(ok(u.update(row, &mut out)));
            }
            black_box(&out);
        });
    });
    g.bench_function(BenchmarkId::new("independent", SYMBOLS), |b| {
        let mut out = vec![nan; SYMBOLS];
        b.iter(|| {
            let mut singles = vec![ok(Macd::<f64>::new(12, 26, 9)); SYMBOLS];
            for row in rows(close) {
                for ((m, &x), o) in singles.iter_mut().zip(row).zip(&mut out) {
                    *o = ok(m.update(x)).unwrap_or(nan);
                }
            }
            black_box(&out);
        });
    });
    g.finish();

    let mut g = c.benchmark_group("universe_atr");
    g.throughput(Throughput::Elements(elements));
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("soa", SYMBOLS), |b| {
        let mut out = vec![0.0; SYMBOLS];
        b.iter(|| {
            let mut u = ok(AtrUniverse::<f64>::new(SYMBOLS, 14));
            for t in 0..p.bars {
                let r = t * SYMBOLS..(t + 1) * SYMBOLS;
                let bars = BarSlices {
                    open: &p.open[r.clone()],
                    high: &p.high[r.clone()],
                    low: &p.low[r.clone()],
                    close: &p.close[r.clone()],
                    volume: &p.volume[r],
                };
                black_box(ok(u.update(bars, &mut out)));
            }
            black_box(&out);
        });
    });
    g.bench_function(BenchmarkId::new("independent", SYMBOLS), |b| {
        let mut out = vec![0.0; SYMBOLS];
        b.iter(|| {
            let mut singles = vec![ok(Atr::<f64>::new(14)); SYMBOLS];
            for t in 0..p.bars {
                for (i, (atr, o)) in singles.iter_mut().zip(&mut out).enumerate() {
                    let k = t * SYMBOLS + i;
                    let bar = Bar::new(p.open[k], p.high[k], p.low[k], p.close[k], p.volume[k]);
                    *o = ok(atr.update(bar)).unwrap_or(f64::NAN);
                }
            }
            black_box(&out);
        });
    });
    g.finish();
}

/// RSI in f32: half the bytes per symbol, twice the lanes per vector.
fn rsi_f32(c: &mut Criterion) {
    let close: Vec<f32> = panel(BARS).close.iter().map(|&x| x as f32).collect();
    rsi_group(c, "universe_rsi_f32", close.leak());
}

/// `RsiUniverse` against `SYMBOLS` independent `Rsi`s over `close` (time-major).
fn rsi_group<T: Float>(c: &mut Criterion, name: &str, close: &'static [T]) {
    let rows = || close.chunks_exact(SYMBOLS);
    let (zero, nan) = (T::from_f64(0.0), T::from_f64(f64::NAN));
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(close.len() as u64));
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("soa", SYMBOLS), |b| {
        let mut out = vec![zero; SYMBOLS];
        b.iter(|| {
            let mut u = ok(RsiUniverse::<T>::new(SYMBOLS, 14));
            for row in rows() {
                black_box(ok(u.update(row, &mut out)));
            }
            black_box(&out);
        });
    });
    g.bench_function(BenchmarkId::new("independent", SYMBOLS), |b| {
        let mut out = vec![zero; SYMBOLS];
        b.iter(|| {
            let mut singles = vec![ok(Rsi::<T>::new(14)); SYMBOLS];
            for row in rows() {
                for ((rsi, &x), o) in singles.iter_mut().zip(row).zip(&mut out) {
                    *o = ok(rsi.update(x)).unwrap_or(nan);
                }
            }
            black_box(&out);
        });
    });
    g.finish();
}

/// The APEX score per symbol-bar: one `ApexUniverse::update` per bar against
/// 2,000 independent `ApexScorer`s. Both read the same panel and build the
/// same per-bar row of `MarketBar`s (that cost is in both figures).
fn apex(c: &mut Criterion) {
    const BARS: usize = 1_000;
    let p = panel(BARS);
    let mut rng = Rng(0x0DDB_1A5E_5BAD_5EED);
    let (mut spy, mut qqq, mut y) = (400.0, 350.0, 4.0);
    let context: Vec<(f64, f64, f64)> = (0..BARS)
        .map(|_| {
            spy *= 1.0 + (rng.next() - 0.5) * 0.02;
            qqq *= 1.0 + (rng.next() - 0.5) * 0.025;
            y += (rng.next() - 0.5) * 0.05;
            (spy, qqq, y)
        })
        .collect();
    let fill = |t: usize, row: &mut Vec<MarketBar>| {
        let (spy, qqq, y) = context[t];
        let day = 86_400 * i64::try_from(t).unwrap_or(0);
        row.clear();
        row.extend((t * SYMBOLS..(t + 1) * SYMBOLS).map(|k| {
            let bar = Bar::new(p.open[k], p.high[k], p.low[k], p.close[k], p.volume[k]);
            MarketBar::new(day, bar, spy, qqq, Some(y))
        }));
    };
    let mut g = c.benchmark_group("universe_apex");
    g.throughput(Throughput::Elements((SYMBOLS * BARS) as u64));
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("soa", SYMBOLS), |b| {
        let mut row = Vec::with_capacity(SYMBOLS);
        let mut out = vec![0.0; SYMBOLS];
        b.iter(|| {
            let mut u = ok(ApexUniverse::<f64>::new(SYMBOLS, ApexConfig::default()));
            for t in 0..BARS {
                fill(t, &mut row);
                black_box(ok(u.update(&row, &mut out)));
            }
            black_box(&out);
        });
    });
    g.bench_function(BenchmarkId::new("independent", SYMBOLS), |b| {
        let mut row = Vec::with_capacity(SYMBOLS);
        let mut out = vec![0.0; SYMBOLS];
        b.iter(|| {
            let mut singles = vec![ok(ApexScorer::<f64>::new(ApexConfig::default())); SYMBOLS];
            for t in 0..BARS {
                fill(t, &mut row);
                for ((s, bar), o) in singles.iter_mut().zip(&row).zip(&mut out) {
                    *o = ok(s.update(*bar)).map_or(f64::NAN, |s| s.value());
                }
            }
            black_box(&out);
        });
    });
    g.finish();
}

criterion_group!(benches, universe, rsi_f32, apex);
criterion_main!(benches);
