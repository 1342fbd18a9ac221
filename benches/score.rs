//! The APEX score per bar: `ApexScorer::update` on a seeded three-asset
//! market (IWM-, SPY-, QQQ-like bars and a 2-year yield).
//!
//! `cargo bench --bench score` (add `-- --quick` for a fast check).
#![allow(missing_docs, clippy::panic, clippy::cast_precision_loss)]

use std::hint::black_box;

use apex_ta::{ApexScorer, Bar, Composite, MarketBar, Scorer};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const BARS: usize = 100_000;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn market() -> Vec<MarketBar> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut iwm, mut spy, mut qqq, mut y) = (200.0_f64, 450.0_f64, 380.0_f64, 4.0_f64);
    (0_i64..)
        .take(BARS)
        .map(|t| {
            let common = (rng.next() - 0.5) * 0.02;
            let open = iwm;
            iwm *= (common * 1.3 + (rng.next() - 0.5) * 0.01).exp();
            spy *= (common + (rng.next() - 0.5) * 0.004).exp();
            qqq *= (common * 1.2 + (rng.next() - 0.5) * 0.008).exp();
            y = (y + (rng.next() - 0.5) * 0.05).clamp(0.1, 8.0);
            let high = open.max(iwm) * (1.0 + rng.next() * 0.006);
            let low = open.min(iwm) * (1.0 - rng.next() * 0.006);
            let spike = if rng.next() < 0.03 { 2.5 } else { 1.0 };
            let bar = Bar::new(open, high, low, iwm, 2.5e7 * (0.6 + rng.next()) * spike);
            let yield_2y = (t % 50 != 7).then_some(y);
            MarketBar::new(t * 86_400, bar, spy, qqq, yield_2y)
        })
        .collect()
}

fn score(c: &mut Criterion) {
    let bars = market();
    let mut g = c.benchmark_group("apex");
    g.throughput(Throughput::Elements(BARS as u64));
    g.sample_size(10);
    g.bench_function("score_per_bar", |b| {
        b.iter(|| {
            let mut apex = ApexScorer::<f64>::default();
            for bar in &bars {
                black_box(apex.update(black_box(*bar)).ok());
            }
        });
    });
    g.finish();

    let composite = Composite::new(&["a", "b", "c", "d", "e", "f", "g", "h"], &[1.0; 8])
        .unwrap_or_else(|e| panic!("{e}"));
    let subs: Vec<[Option<f64>; 8]> = (0..BARS)
        .map(|i| {
            let x = ((i % 200) as f64 / 100.0) - 1.0;
            [
                Some(x),
                Some(-x),
                None,
                Some(x * 0.5),
                Some(0.2),
                None,
                Some(-0.3),
                Some(x),
            ]
        })
        .collect();
    let mut g = c.benchmark_group("composite");
    g.throughput(Throughput::Elements(BARS as u64));
    g.sample_size(10);
    g.bench_function("combine_8", |b| {
        b.iter(|| {
            for s in &subs {
                black_box(composite.combine(black_box(s)));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, score);
criterion_main!(benches);
