//! The assembly of the APEX rules in branch-free form, for the universe
//! form's loops across symbols: selects on `f64` with `NaN` for "none".
//! Each rule is its signal's `score_lane` (in `score::signal`, the one
//! form of the rule); `tests/universe.rs` checks the universe against
//! independent scorers.

// The universe loops vectorise only with every rule inlined into them.
#![allow(clippy::inline_always)]
// `&` between comparisons on purpose: no short-circuit branch in the lanes.
#![allow(clippy::needless_bitwise_bool)]

use super::config::ApexConfig;
use super::readings::ApexReadings;
use crate::float::{is_finite_fast as finite, pick, some};
use crate::score::scorer::{contribution, NEUTRAL};
use crate::SwingDirection;

/// The APEX signals' names, in the order of [`Score::components`](crate::score::Score::components).
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

/// One bar's indicator readings, `NaN` where not available.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignalInputs {
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
    pub(crate) gate: f64,
}

/// The volatility part of `ApexScorer`'s rule assembly (its `advance`):
/// `(natr, bar direction, volatility sub-score, risk-off gate)`. With
/// [`gated`] and the rules' `score_lane`, the universe form assembles the
/// same eight sub-scores as `advance`, bit for bit.
#[inline(always)]
pub(crate) fn volatility_part(
    cfg: &ApexConfig,
    close: f64,
    prev_close: f64,
    atr: f64,
    range_high: f64,
    range_low: f64,
) -> (f64, f64, f64, f64) {
    let nan = f64::NAN;
    // An NATR that overflows (a close of 1e-300) is no reading, as in `advance`.
    let natr = 100.0 * atr / close;
    let natr = pick((close > 0.0) & finite(natr), natr, nan);
    let direction = cfg
        .volume
        .direction_lane(close, prev_close, atr, range_high, range_low);
    let direction = pick(prev_close.is_nan() | atr.is_nan(), nan, direction);
    let volatility = cfg.volatility.score_lane(natr);
    (natr, direction, volatility, nan)
}

/// A bullish sub-score damped by the risk-off gate (`NaN`: no gate).
#[inline(always)]
pub(crate) fn gated(s: f64, gate: f64) -> f64 {
    pick(!gate.is_nan() & (s > 0.0), s * gate, s)
}

/// [`Composite::combine_units`](super::Composite)'s value for eight
/// sub-scores (`NaN` = not ready), branch-free and bit for bit: a slot that
/// is not ready adds `+0.0` to the weight sum and to the lean, which leaves
/// both as skipping it does (both start at `+0.0`, weights and the scale are
/// `≥ 0`, and such a sum is never `−0.0`). `NaN` below `min_ready`.
#[inline(always)]
pub(crate) fn composite_value(weights: &[f64; 8], min_ready: f64, subs: &[f64; 8]) -> f64 {
    let mut ready = 0.0;
    let mut total_weight = 0.0;
    for (&s, &w) in subs.iter().zip(weights) {
        ready += pick(s.is_nan(), 0.0, 1.0);
        total_weight += pick(s.is_nan(), 0.0, w);
    }
    let scale = pick(total_weight > 0.0, NEUTRAL / total_weight, 0.0);
    let mut lean = 0.0;
    for (&s, &w) in subs.iter().zip(weights) {
        lean += contribution(scale, w, pick(s.is_nan(), 0.0, s));
    }
    let value = (NEUTRAL + lean).clamp(0.0, 100.0);
    pick(ready >= min_ready, value, f64::NAN)
}

impl ApexReadings {
    /// The readings of one bar from the rules' inputs and outputs.
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
