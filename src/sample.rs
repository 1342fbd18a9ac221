//! A built-in, deterministic sample market for examples, docs and tests.
//!
//! Five years (1,260 business days from 2019-01-02) of an IWM-like target
//! with SPY- and QQQ-like benchmarks and a 2-year Treasury yield, generated
//! from a fixed seed, so every machine gets the same numbers. The story is
//! scripted through nine regimes: a slow-hiking bull market, a late-cycle
//! top, a risk-off crash with collapsing yields, capitulation, a rate-cut
//! small-cap rally, a pause, an inflation scare, a plateau and a rotation
//! into small caps; plus heavy-volume breakouts and breakdowns on fixed days.
//!
//! The four streams arrive separately, in a different order each day, and
//! the bond market keeps its own calendar (some stock-market days have no
//! yield, and one day in 97 has a yield but no stock trading), so
//! [`ticks`] exercises an [`Aligner`] the way real files do. [`market`]
//! returns the aligned bars.
//!
//! The data is synthetic: it is for showing the API and for tests, not for
//! judging a score. Judge scores on real history (see [`crate::eval`]).
//!
//! ```
//! use apex_ta::score::{ApexScorer, Scorer};
//!
//! # fn main() -> apex_ta::Result<()> {
//! let bars = apex_ta::sample::market();
//! assert_eq!(bars.len(), 1_260);
//! let mut apex = ApexScorer::<f64>::default();
//! let mut last = None;
//! for bar in bars {
//!     last = apex.update(bar)?.or(last);
//! }
//! let score = last.expect("warmed up long before the end");
//! assert!((0.0..=100.0).contains(&score.value()));
//! # Ok(())
//! # }
//! ```

use alloc::vec::Vec;

use crate::score::{Aligner, MarketBar, Tick};
use crate::Bar;

/// Business days in the sample.
pub const DAYS: usize = 1_260;

/// How many bars [`market`] lets an [`Aligner`] carry a missing yield
/// forward (bond-market holidays are one-day gaps).
pub const MAX_CARRY: usize = 3;

/// SplitMix64: a tiny, seeded, portable generator.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1_u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (core::f64::consts::TAU * u2).cos()
    }
}

/// A market regime: daily drift and volatility of the market factor, the
/// small caps' extra drift, the 2-year yield's daily drift, volume level.
struct Regime {
    until: usize,
    market_drift: f64,
    market_vol: f64,
    small_cap_alpha: f64,
    yield_drift: f64,
    volume: f64,
}

#[rustfmt::skip]
const REGIMES: [Regime; 9] = [
    // Steady bull market while the central bank hikes slowly.
    Regime { until: 250, market_drift: 0.0005, market_vol: 0.008, small_cap_alpha: -0.0002, yield_drift: 0.003, volume: 1.0 },
    // Late-cycle top: flat, small caps lag.
    Regime { until: 330, market_drift: 0.0, market_vol: 0.010, small_cap_alpha: -0.0004, yield_drift: 0.001, volume: 1.0 },
    // Risk-off crash: flight to safety, yields collapse.
    Regime { until: 385, market_drift: -0.0055, market_vol: 0.028, small_cap_alpha: -0.0015, yield_drift: -0.02, volume: 1.9 },
    // Capitulation and bottom.
    Regime { until: 420, market_drift: 0.002, market_vol: 0.022, small_cap_alpha: 0.0005, yield_drift: -0.004, volume: 1.5 },
    // Rate cuts: small-cap rally.
    Regime { until: 650, market_drift: 0.0012, market_vol: 0.011, small_cap_alpha: 0.0008, yield_drift: -0.002, volume: 1.1 },
    // Pause.
    Regime { until: 700, market_drift: 0.0, market_vol: 0.009, small_cap_alpha: 0.0, yield_drift: 0.002, volume: 0.9 },
    // Inflation scare: fast hikes, small caps hit hardest.
    Regime { until: 950, market_drift: -0.0003, market_vol: 0.014, small_cap_alpha: -0.0004, yield_drift: 0.011, volume: 1.2 },
    // Plateau.
    Regime { until: 1100, market_drift: 0.0004, market_vol: 0.010, small_cap_alpha: 0.0, yield_drift: 0.0, volume: 1.0 },
    // Cuts priced in: rotation into small caps.
    Regime { until: 1260, market_drift: 0.0007, market_vol: 0.010, small_cap_alpha: 0.0009, yield_drift: -0.004, volume: 1.1 },
];

/// Scripted days: `(bar, extra IWM return, volume multiple)`.
const EVENTS: [(usize, f64, f64); 6] = [
    (345, -0.045, 3.0), // breakdown on heavy volume
    (392, -0.055, 3.4), // capitulation
    (393, 0.050, 2.6),  // reversal
    (430, 0.025, 2.4),  // breakout of the base
    (1214, 0.028, 2.8), // breakout of the year's range
    (1215, 0.010, 1.9), // follow-through
];

/// Mean-reverting noise around a trend: keeps the scripted story (the trend)
/// recognisable while daily moves look like a market's.
struct Noise {
    level: f64,
}

impl Noise {
    fn step(&mut self, rng: &mut Rng, vol: f64) -> f64 {
        let before = self.level;
        self.level = 0.95 * self.level + vol * rng.normal();
        self.level - before
    }
}

/// The sample's four streams as `(timestamp, tick)` in arrival order
/// (timestamps are epoch seconds at midnight UTC, except the yields of
/// bond-market-only days, stamped at noon).
///
/// Feed them to an [`Aligner`] to get [`MarketBar`]s, as [`market`] does.
pub fn ticks() -> Vec<(i64, Tick)> {
    let mut rng = Rng(42);
    let (mut market, mut small, mut rates) = (
        Noise { level: 0.0 },
        Noise { level: 0.0 },
        Noise { level: 0.0 },
    );
    let (mut iwm, mut spy, mut qqq) = (150.0_f64, 280.0_f64, 170.0_f64);
    let mut y_trend = 2.50_f64;
    // 2019-01-02, then business days.
    let mut day = 17_898_i64;
    let mut out = Vec::with_capacity(4 * DAYS + DAYS / 90);
    let mut regime = REGIMES.iter();
    let mut current = regime.next();
    for i in 0..DAYS {
        while current.is_some_and(|r| i >= r.until) {
            current = regime.next();
        }
        let Some(r) = current else { break };
        let ts = day * 86_400;

        let y_before = y_trend + rates.level;
        y_trend = (y_trend + r.yield_drift).max(0.10);
        rates.step(&mut rng, 0.035);
        let y = (y_trend + rates.level).max(0.05);
        let dy = y - y_before;
        let m = r.market_drift + market.step(&mut rng, r.market_vol);
        let spy_ret = m + 0.002 * rng.normal();
        let qqq_ret = 1.1 * m + 0.0002 + 0.004 * rng.normal();
        let mut alpha = r.small_cap_alpha + small.step(&mut rng, 0.006);
        let mut volume_mult = r.volume;
        // The pullback that ends the sample: a dip on light volume.
        if (1240..1252).contains(&i) {
            alpha -= 0.007;
            volume_mult = 0.8;
        }
        if let Some(&(_, jump, vm)) = EVENTS.iter().find(|e| e.0 == i) {
            alpha += jump;
            volume_mult = vm;
        }
        let iwm_ret = 1.2 * m + alpha - 0.02 * dy;

        let open = iwm * (1.0 + 0.002 * rng.normal());
        iwm *= 1.0 + iwm_ret;
        spy *= 1.0 + spy_ret;
        qqq *= 1.0 + qqq_ret;
        let range = iwm * (0.004 + r.market_vol * 0.5 + iwm_ret.abs() * 0.3);
        let high = open.max(iwm) + range * rng.uniform() * 0.6;
        let low = open.min(iwm) - range * rng.uniform() * 0.6;
        let volume =
            (2.5e7 * volume_mult * (0.2 * rng.normal()).exp() * (1.0 + 8.0 * iwm_ret.abs()))
                .round();
        let bar = Bar::new(open, high, low, iwm, volume);

        // The streams arrive separately, in a different order each day; the
        // bond market is closed some days the stock market is open.
        let bond_holiday = i % 47 == 23;
        let mut day_ticks = [
            Some(Tick::Target(bar)),
            Some(Tick::Spy(spy)),
            Some(Tick::Qqq(qqq)),
            (!bond_holiday).then_some(Tick::Yield(y)),
        ];
        day_ticks.rotate_left(i % 4);
        out.extend(day_ticks.into_iter().flatten().map(|t| (ts, t)));
        // A bond-market day without stock trading (a Good Friday).
        if i % 97 == 60 {
            out.push((ts + 43_200, Tick::Yield(y)));
        }
        day += if (day + 4).rem_euclid(7) == 5 { 3 } else { 1 }; // Fri → Mon
    }
    out
}

/// The sample market aligned into one [`MarketBar`] per business day
/// ([`DAYS`] of them), a missing yield carried for up to [`MAX_CARRY`] bars.
pub fn market() -> Vec<MarketBar> {
    let mut aligner = Aligner::default();
    align(&mut aligner)
}

/// Feeds [`ticks`] to `aligner` and returns the bars it emits (flushed at
/// the end), so the caller keeps the aligner and its
/// [`stats`](Aligner::stats).
pub fn align(aligner: &mut Aligner) -> Vec<MarketBar> {
    let mut bars = Vec::with_capacity(DAYS);
    for (ts, tick) in ticks() {
        // The generator's ticks are valid and in order: nothing is rejected.
        if let Ok(Some(bar)) = aligner.push(ts, tick) {
            bars.push(bar);
        }
    }
    bars.extend(aligner.flush());
    bars
}
