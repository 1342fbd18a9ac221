//! The APEX rules in branch-free form, for the universe form's loops across
//! symbols.
//!
//! [`ApexScorer`](super::ApexScorer) evaluates its eight rules with
//! branches and `Option`s: per bar, one symbol, that is the cheapest. The
//! universe form evaluates the same rules for every symbol in loops over
//! arrays; written here as selects on `f64` with `NaN` for "none", those
//! loops vectorise. Each function gives bit for bit the value of its
//! `Option` counterpart in [`signal`](super::signal) (`None` ↔ `NaN`); the
//! tests below check that rule by rule, and `tests/universe.rs` checks the
//! universe against independent scorers.

// The universe loops vectorise only with every rule inlined into them.
#![allow(clippy::inline_always)]
// `&` between comparisons on purpose: no short-circuit branch in the lanes.
#![allow(clippy::needless_bitwise_bool)]

use super::config::ApexConfig;
use super::readings::ApexReadings;
use crate::score::scorer::{contribution, NEUTRAL};
use crate::score::signal::{
    FibonacciSignal, MacdSignal, RatesSignal, RatioSignal, RsiSignal, SpreadSignal,
    VolatilitySignal, VolumeSignal,
};
use crate::SwingDirection;

/// The APEX signals' names, in the order of [`Score::components`](crate::score::Score::components).
pub const APEX_SIGNALS: [&str; 8] = [
    "rsi", "macd", "fib", "volume", "atr", "vs_spy", "vs_qqq", "rates",
];

/// `a` if `c`, else `b`, both already computed (a select).
#[inline(always)]
pub(crate) fn pick(c: bool, a: f64, b: f64) -> f64 {
    if c {
        a
    } else {
        b
    }
}

use crate::float::is_finite_fast as finite;

/// `NaN` → `None`.
#[inline]
pub(crate) fn some(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// The `signal` module's `piecewise`, branch-free: the segment is the first
/// one, left to right, whose end is ≥ `x` (the same scan), picked with
/// selects, then one interpolation. Equal for every input, ordered knots or
/// not, `NaN` included (the last knot's value).
#[inline(always)]
fn piecewise<const N: usize>(x: f64, knots: [(f64, f64); N]) -> f64 {
    let (Some(&(x_first, y_first)), Some(&(_, y_last))) = (knots.first(), knots.last()) else {
        return 0.0;
    };
    let (mut x0, mut y0, mut x1, mut y1) = (x_first, y_first, x_first, y_first);
    let mut found = false;
    // Right to left, so the leftmost match is the one kept.
    for pair in knots.windows(2).rev() {
        if let [(a, b), (c, d)] = *pair {
            let here = x <= c;
            x0 = pick(here, a, x0);
            y0 = pick(here, b, y0);
            x1 = pick(here, c, x1);
            y1 = pick(here, d, y1);
            found |= here;
        }
    }
    let inside = pick(x1 > x0, y0 + (y1 - y0) * (x - x0) / (x1 - x0), y1);
    pick(x <= x_first, y_first, pick(found, inside, y_last))
}

/// `unit`: `x` clamped to [−1, 1], `NaN` if not finite.
#[inline(always)]
fn unit(x: f64) -> f64 {
    let low = pick(x < -1.0, -1.0, x);
    pick(finite(x), pick(low > 1.0, 1.0, low), f64::NAN)
}

/// `scaled`: `x / scale` clamped to [−1, 1]; `NaN` unless `scale` is
/// positive and finite.
#[inline(always)]
fn scaled(x: f64, scale: f64) -> f64 {
    pick(scale > 0.0 && scale <= f64::MAX, unit(x / scale), f64::NAN)
}

impl RsiSignal {
    /// [`score`](Self::score), branch-free.
    #[inline(always)]
    pub(crate) fn score_lane(&self, rsi: f64) -> f64 {
        pick(finite(rsi), unit(piecewise(rsi, self.knots())), f64::NAN)
    }
}

impl MacdSignal {
    /// [`score`](Self::score), branch-free; `NaN` `previous` for `None`.
    #[inline(always)]
    pub(crate) fn score_lane(&self, histogram: f64, previous: f64, atr: f64) -> f64 {
        let level = scaled(histogram, self.level_scale * atr);
        let slope = scaled(histogram - previous, self.slope_scale * atr);
        let slope = pick(previous.is_nan(), 0.0, slope);
        let w = self.slope_weight;
        pick(atr > 0.0, unit((1.0 - w) * level + w * slope), f64::NAN)
    }
}

impl FibonacciSignal {
    /// [`score`](Self::score), branch-free; `direction` is `+1` (up), `−1`
    /// (down) or `NaN` (no swing).
    #[inline(always)]
    pub(crate) fn score_lane(&self, direction: f64, retracement: f64) -> f64 {
        let (up, down) = (self.knots(true), self.knots(false));
        let is_up = direction > 0.0;
        let mut knots = up;
        for (k, d) in knots.iter_mut().zip(down) {
            k.1 = pick(is_up, k.1, d.1);
        }
        let ok = finite(retracement) & !direction.is_nan();
        pick(ok, unit(piecewise(retracement, knots)), f64::NAN)
    }
}

impl VolumeSignal {
    /// [`direction`](Self::direction), branch-free; `NaN` range for `None`.
    #[inline(always)]
    pub(crate) fn direction_lane(
        &self,
        close: f64,
        previous_close: f64,
        atr: f64,
        range_high: f64,
        range_low: f64,
    ) -> f64 {
        let moved = scaled(close - previous_close, self.move_scale * atr);
        let moved = pick(atr > 0.0, moved, f64::NAN);
        pick(
            close > range_high,
            1.0,
            pick(close < range_low, -1.0, moved),
        )
    }
    /// [`score`](Self::score), branch-free.
    #[inline(always)]
    pub(crate) fn score_lane(&self, volume_ratio: f64, direction: f64) -> f64 {
        let intensity = scaled(volume_ratio - self.base, self.spike - self.base);
        // `f64::max(intensity, 0.0)` keeping NaN: −0 and +0 give +0 as it does.
        let intensity = pick(intensity <= 0.0, 0.0, intensity);
        unit(intensity * unit(direction))
    }
}

impl VolatilitySignal {
    /// [`score`](Self::score), branch-free.
    #[inline(always)]
    pub(crate) fn score_lane(&self, natr_pct: f64) -> f64 {
        pick(
            finite(natr_pct),
            unit(piecewise(natr_pct, self.knots())),
            f64::NAN,
        )
    }
}

impl RatioSignal {
    /// [`score`](Self::score), branch-free.
    #[inline(always)]
    pub(crate) fn score_lane(self, distance_pct: f64) -> f64 {
        scaled(distance_pct, self.full_scale_pct)
    }
}

impl SpreadSignal {
    /// [`score`](Self::score), branch-free.
    #[inline(always)]
    pub(crate) fn score_lane(self, spread: f64) -> f64 {
        scaled(spread, self.full_scale)
    }
}

impl RatesSignal {
    /// [`score`](Self::score), branch-free.
    #[inline(always)]
    pub(crate) fn score_lane(self, change: f64) -> f64 {
        scaled(-change, self.full_scale)
    }
}

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
    // `1 + min(v, 0)`; for v = −0 both give 1.
    let gate = 1.0 + pick(volatility < 0.0, volatility, 0.0);
    let gate = pick(cfg.risk_off_gate & !volatility.is_nan(), gate, nan);
    (natr, direction, volatility, gate)
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
            risk_off_gate: some(o.gate),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn same(a: Option<f64>, b: f64) -> bool {
        a.map_or(f64::NAN, |x| x).to_bits() == b.to_bits()
    }

    /// Awkward values around every default threshold and beyond.
    fn grid() -> Vec<f64> {
        let mut xs = vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            -f64::MAX,
            f64::MIN_POSITIVE,
            0.0,
            -0.0,
            1e-300,
            -1e-300,
        ];
        for base in [
            0.0, 0.05, 0.25, 0.3, 0.382, 0.5, 0.618, 0.786, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0,
            20.0, 35.0, 42.0, 50.0, 60.0, 70.0, 100.0,
        ] {
            for d in [-1e-9, 0.0, 1e-9, 0.013, -0.37, 0.5, -2.0, 7.0] {
                xs.push(base + d);
                xs.push(-(base + d));
            }
        }
        xs
    }

    #[test]
    fn each_rule_equals_its_option_form() {
        let cfg = ApexConfig::default();
        let xs = grid();
        let dirs = [
            (f64::NAN, None),
            (1.0, Some(SwingDirection::Up)),
            (-1.0, Some(SwingDirection::Down)),
        ];
        for &x in &xs {
            assert!(same(cfg.rsi.score(x), cfg.rsi.score_lane(x)), "rsi {x}");
            assert!(same(cfg.volatility.score(x), cfg.volatility.score_lane(x)));
            assert!(same(cfg.ratio.score(x), cfg.ratio.score_lane(x)));
            assert!(same(cfg.relative.score(x), cfg.relative.score_lane(x)));
            assert!(same(cfg.rates.score(x), cfg.rates.score_lane(x)));
            for (lane, dir) in dirs {
                let want = dir.and_then(|d| cfg.fibonacci.score(d, x));
                assert!(same(want, cfg.fibonacci.score_lane(lane, x)), "fib {x}");
            }
            for &y in xs.iter().step_by(7) {
                assert!(same(cfg.volume.score(x, y), cfg.volume.score_lane(x, y)));
                for &atr in &[f64::NAN, -1.0, 0.0, 0.5, 3.0, f64::INFINITY] {
                    for prev in [None, Some(y), Some(f64::INFINITY)] {
                        // `NaN` is "no previous histogram" (the scorer never
                        // keeps a `NaN` one).
                        let prev = prev.filter(|p| !p.is_nan());
                        let want = cfg.macd.score(x, prev, atr);
                        let got = cfg.macd.score_lane(x, prev.unwrap_or(f64::NAN), atr);
                        assert!(same(want, got), "macd {x} {prev:?} {atr}");
                    }
                    for range in [None, Some((y + 1.0, y - 1.0)), Some((x, x))] {
                        let want = cfg.volume.direction(x, y, atr, range);
                        let (h, l) = range.unwrap_or((f64::NAN, f64::NAN));
                        let got = cfg.volume.direction_lane(x, y, atr, h, l);
                        assert!(same(want, got), "direction {x} {y} {atr} {range:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn piecewise_scans_unordered_knots_the_same() {
        // Out-of-order knots (which `validate` rejects) still give the scan's
        // value: the first segment whose end is ≥ x.
        let k = [(0.0, 0.0), (2.0, 1.0), (1.0, -1.0), (3.0, 0.5)];
        let scan = |x: f64| {
            if x <= 0.0 {
                return 0.0;
            }
            for p in k.windows(2) {
                if x <= p[1].0 {
                    return if p[1].0 > p[0].0 {
                        p[0].1 + (p[1].1 - p[0].1) * (x - p[0].0) / (p[1].0 - p[0].0)
                    } else {
                        p[1].1
                    };
                }
            }
            0.5
        };
        for x in [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 9.0, f64::NAN] {
            assert_eq!(scan(x).to_bits(), piecewise(x, k).to_bits(), "{x}");
        }
    }
}
