//! Every constructor with arbitrary parameters: `Ok` or `Err`, never a panic
//! or an allocation abort; what it builds answers a few inputs without
//! panicking.
#![no_main]

use apex_ta::score::{ApexUniverse, Composite};
use apex_ta::{
    ApexConfig, Atr, AtrUniverse, Bar, Ema, FibonacciLevels, Indicator, Macd, MacdUniverse, Natr,
    RelativePerformance, RelativeRatio, RollingMax, RollingMin, Rsi, RsiUniverse, Sma, StdDev,
    VolumeZScore, VolumeZUniverse, Wilder,
};
use libfuzzer_sys::fuzz_target;

/// Little-endian u64s from the input, 0 when it runs out.
struct Bytes<'a>(&'a [u8]);
impl Bytes<'_> {
    fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        let n = self.0.len().min(8);
        b[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        u64::from_le_bytes(b)
    }
    /// Mostly small, sometimes huge.
    fn period(&mut self) -> usize {
        let x = self.u64();
        if x & 1 == 0 {
            (x >> 1) as usize % 300
        } else {
            (x >> 1) as usize
        }
    }
}

fn feed<I: Indicator<Input = f64>>(r: apex_ta::Result<I>) {
    if let Ok(mut ind) = r {
        for x in [1.0, 2.0, 1.5, f64::NAN, 3.0] {
            let _ = ind.update(x);
        }
    }
}

fn feed_bars<I: Indicator<Input = Bar>>(r: apex_ta::Result<I>) {
    if let Ok(mut ind) = r {
        for c in [10.0, 11.0, 9.5] {
            let _ = ind.update(Bar::new(c, c + 1.0, c - 1.0, c, 100.0));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (p, q, r) = (b.period(), b.period(), b.period());
    feed(Sma::<f64>::new(p));
    feed(Ema::<f64>::new(p));
    feed(Wilder::<f64>::new(p));
    feed(Rsi::<f64>::new(p));
    feed(StdDev::<f64>::new(p));
    feed(RollingMax::<f64>::new(p));
    feed(RollingMin::<f64>::new(p));
    feed(VolumeZScore::<f64>::new(p));
    let _ = Sma::<f32>::new(q).map(|mut s| s.update(1.0));
    feed_bars(Atr::<f64>::new(p));
    feed_bars(Natr::<f64>::new(p));
    if let Ok(mut m) = Macd::<f64>::new(p, q, r) {
        let _ = m.update(1.0);
    }
    if let Ok(mut f) = FibonacciLevels::<f64>::new(p) {
        let _ = f.update(Bar::new(1.0, 2.0, 0.5, 1.5, 1.0));
    }
    if let Ok(mut x) = RelativeRatio::<f64>::new(p) {
        let _ = x.update((1.0, 2.0));
    }
    if let Ok(mut x) = RelativePerformance::<f64>::new(p) {
        let _ = x.update((1.0, 2.0));
    }
    // Universes: raw symbol counts (huge ones must be errors) and periods.
    let symbols = b.period();
    let _ = RsiUniverse::<f64>::new(symbols, p);
    let _ = AtrUniverse::<f64>::new(symbols, p);
    let _ = MacdUniverse::<f64>::new(symbols, p, q, r);
    let _ = VolumeZUniverse::<f64>::new(symbols, p);
    let mut cfg = ApexConfig::default();
    cfg.periods.fibonacci = p;
    cfg.periods.volume = q;
    cfg.min_ready = r;
    let _ = ApexUniverse::<f64>::new(symbols, cfg);
    // Composite weights from raw bits: any f64 at all.
    let w = [f64::from_bits(b.u64()), f64::from_bits(b.u64())];
    if let Ok(c) = Composite::new(&["a", "b"], &w) {
        for subs in [
            [Some(1.0), Some(-1.0)],
            [None, Some(0.0)],
            [Some(0.5), None],
        ] {
            if let Some(s) = c.combine(&subs) {
                assert!((0.0..=100.0).contains(&s.value()), "{w:?} {subs:?} {s:?}");
            }
        }
    }
});
