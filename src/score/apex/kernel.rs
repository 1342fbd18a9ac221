//! The APEX kernel: the eight signals' names and the one assembly of their
//! sub-scores, used by both drivers.
//!
//! [`assemble`] maps one bar's readings to the eight sub-scores, in
//! [`APEX_SIGNALS`] order, with every rule its signal's `score_lane` (in
//! `score::signal`, the one form of each rule). It is written branch-free,
//! as selects on `f64` with `NaN` for "none": [`ApexScorer`](super::ApexScorer)
//! calls it once per bar, [`ApexUniverse`](super::ApexUniverse) once per
//! symbol in a loop that vectorises. `tests/universe.rs` checks the two
//! drivers against each other, bit for bit.

// The universe loops vectorise only with every rule inlined into them.
#![allow(clippy::inline_always)]
// `&` between comparisons on purpose: no short-circuit branch in the lanes.
#![allow(clippy::needless_bitwise_bool)]

use super::config::ApexConfig;
use super::readings::ApexReadings;
use crate::float::{is_finite_fast as finite, pick, some};
use crate::SwingDirection;

/// The APEX signals' names, in the order of [`Score::components`](crate::score::Score::components)
/// (the order in which the APEX kernel assembles the sub-scores).
pub const APEX_SIGNALS: [&str; 8] = [
    "rsi", "macd", "fib", "volume", "atr", "vs_spy", "vs_qqq", "rates",
];

/// What the rolling windows read on one bar, `NaN` where nothing is
/// available.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WindowReadings {
    /// The prior breakout range (before this close): high and low.
    pub(crate) range_high: f64,
    pub(crate) range_low: f64,
    /// The swing's direction: `+1` up, `−1` down.
    pub(crate) direction: f64,
    pub(crate) retracement: f64,
    pub(crate) volume_ratio: f64,
    pub(crate) ratio_distance: f64,
    pub(crate) relative: f64,
    pub(crate) yield_change: f64,
}

/// One bar's readings, `NaN` where not available: the rules' inputs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignalInputs {
    /// The target's close.
    pub(crate) close: f64,
    pub(crate) rsi: f64,
    pub(crate) histogram: f64,
    pub(crate) atr: f64,
    pub(crate) windows: WindowReadings,
}

/// The eight sub-scores (`NaN` = not ready) and the derived readings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignalOutputs {
    pub(crate) subs: [f64; 8],
    pub(crate) natr: f64,
    pub(crate) bar_direction: f64,
}

/// The eight sub-scores of one bar, in [`APEX_SIGNALS`] order, and the
/// readings derived on the way (NATR, the bar's direction), from the bar's
/// readings `x` and the previous bar's close and MACD
/// histogram (`NaN` for none). The one place the rules are put together;
/// a ninth signal is a ninth entry here and in [`APEX_SIGNALS`] (with its
/// weight and rule in [`ApexConfig`]).
#[inline(always)]
pub(crate) fn assemble(
    cfg: &ApexConfig,
    x: &SignalInputs,
    prev_close: f64,
    prev_histogram: f64,
) -> SignalOutputs {
    let w = &x.windows;
    let nan = f64::NAN;
    // ATR in percent of the close; one that overflows (a close of 1e-300)
    // is no reading.
    let natr = 100.0 * x.atr / x.close;
    let natr = pick((x.close > 0.0) & finite(natr), natr, nan);
    let volatility = cfg.volatility.score_lane(natr);
    // The bar's direction for the volume rule: a breakout of the prior
    // range, else the close-to-close move in ATRs.
    let bar_direction =
        cfg.volume
            .direction_lane(x.close, prev_close, x.atr, w.range_high, w.range_low);
    let bar_direction = pick(prev_close.is_nan() | x.atr.is_nan(), nan, bar_direction);
    let subs = [
        cfg.rsi.score_lane(x.rsi, w.yield_change),
        cfg.macd.score_lane(x.histogram, prev_histogram, x.atr),
        cfg.fibonacci.score_lane(w.direction, w.retracement),
        cfg.volume.score_lane(w.volume_ratio, bar_direction),
        volatility,
        cfg.ratio.score_lane(w.ratio_distance),
        cfg.relative.score_lane(w.relative),
        cfg.rates.score_lane(w.yield_change),
    ];
    SignalOutputs {
        subs,
        natr,
        bar_direction,
    }
}

impl ApexReadings {
    /// The readings of one bar from the rules' inputs and outputs.
    #[inline]
    pub(crate) fn from_lanes(x: &SignalInputs, o: &SignalOutputs) -> Self {
        let w = &x.windows;
        ApexReadings {
            rsi: some(x.rsi),
            macd_histogram: some(x.histogram),
            atr: some(x.atr),
            natr: some(o.natr),
            swing: some(w.direction).map(|d| {
                if d > 0.0 {
                    SwingDirection::Up
                } else {
                    SwingDirection::Down
                }
            }),
            retracement: some(w.retracement),
            volume_ratio: some(w.volume_ratio),
            bar_direction: some(o.bar_direction),
            ratio_distance_pct: some(w.ratio_distance),
            relative: some(w.relative),
            yield_change: some(w.yield_change),
        }
    }
}
