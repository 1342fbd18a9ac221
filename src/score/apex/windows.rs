//! One symbol's APEX rolling windows and their steps.

use super::config::ApexPeriods;
use super::kernel::WindowReadings;
use crate::float::finite_or_nan;
#[cfg(feature = "serde")]
use crate::indicator::taken;
use crate::indicators::swing_reading;
use crate::score::market::MarketBar;
#[cfg(feature = "serde")]
use crate::window::state_ok;
use crate::window::{Ring, RollingRange, RollingSwing};
use crate::{Float, Indicator, RelativePerformance, RelativeRatio, Result, VolumeZScore};

/// One symbol's rolling windows: everything of the APEX state that is not a
/// smoother. The universe form holds one per symbol and advances it with the
/// same `push` as [`ApexScorer`](super::ApexScorer).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct ApexWindows<T> {
    /// Highest high and lowest low of the last `fibonacci` bars, with ages:
    /// the swing of a [`FibonacciLevels`](crate::FibonacciLevels).
    pub(super) swing: RollingSwing<T>,
    pub(super) volume: VolumeZScore<T>,
    /// Highest and lowest of the last `breakout` closes.
    pub(super) closes: RollingRange<T>,
    pub(super) ratio: RelativeRatio<T>,
    pub(super) relative: RelativePerformance<T>,
    /// The last `rates + 1` consecutive yields.
    pub(super) yields: Ring<T>,
}

impl<T: Float> ApexWindows<T> {
    pub(crate) fn new(p: &ApexPeriods) -> Result<Self> {
        Ok(ApexWindows {
            swing: RollingSwing::new(p.fibonacci),
            volume: VolumeZScore::new(p.volume)?,
            closes: RollingRange::new(p.breakout),
            ratio: RelativeRatio::new(p.ratio)?,
            relative: RelativePerformance::new(p.relative)?,
            yields: Ring::new(p.rates + 1),
        })
    }

    /// Feeds a validated bar to every window. (The universe form runs the
    /// same steps, one window at a time across its symbols.)
    #[inline]
    pub(crate) fn push(&mut self, bar: &MarketBar<T>, min_swing: T) -> WindowReadings {
        let b = &bar.target;
        let (range_high, range_low) = breakout_step(&mut self.closes, b.close);
        let (direction, retracement) =
            swing_step(&mut self.swing, b.high, b.low, b.close, min_swing);
        WindowReadings {
            range_high,
            range_low,
            direction,
            retracement,
            volume_ratio: volume_step(&mut self.volume, b.volume),
            ratio_distance: ratio_step(&mut self.ratio, b.close, bar.spy),
            relative: relative_step(&mut self.relative, b.close, bar.qqq),
            yield_change: yield_step(&mut self.yields, bar.yield_2y),
        }
    }

    pub(crate) fn reset(&mut self) {
        self.swing.clear();
        self.volume.reset();
        self.closes.clear();
        self.ratio.reset();
        self.relative.reset();
        self.yields.clear();
    }
}

#[cfg(feature = "serde")]
impl<T: Float> ApexWindows<T> {
    /// How many bars these windows have taken, if they are windows with
    /// periods `p` that have all taken the same bars (each warmed up
    /// exactly when that count says): the swing's count is the count.
    /// (Each window has checked itself on deserialisation.)
    pub(crate) fn count(&self, p: &ApexPeriods) -> Result<u64> {
        state_ok(
            self.swing.capacity() == p.fibonacci
                && self.closes.capacity() == p.breakout
                && self.volume.period() == p.volume
                && self.ratio.period() == p.ratio
                && self.relative.period() == p.relative
                && self.yields.capacity() == p.rates + 1,
            "APEX state periods differ from the configuration",
        )?;
        let bars = self.swing.count();
        let one = T::one();
        let (pos, full) = self.closes.position();
        state_ok(
            taken(&self.volume, one, bars)
                && taken(&self.ratio, (one, one), bars)
                && taken(&self.relative, (one, one), bars)
                && pos as u64 == bars % p.breakout as u64
                && full == (bars >= p.breakout as u64)
                && self.yields.len() as u64 <= bars,
            "APEX windows have taken different numbers of bars",
        )?;
        Ok(bars)
    }
}

/// The breakout window's step: the prior range (the previous `breakout`
/// closes' highest and lowest, `NaN` while filling), then `close` joins.
#[inline]
pub(crate) fn breakout_step<T: Float>(closes: &mut RollingRange<T>, close: T) -> (f64, f64) {
    let range = closes
        .range()
        .map_or((f64::NAN, f64::NAN), |(h, l)| (h.to_f64(), l.to_f64()));
    closes.push(close);
    range
}

/// The Fibonacci window's step: the swing's direction (`+1` up, `−1` down)
/// and where `close` sits in it, `NaN` while filling or below the minimum
/// swing.
#[inline]
pub(crate) fn swing_step<T: Float>(
    swing: &mut RollingSwing<T>,
    high: T,
    low: T,
    close: T,
    min_swing: T,
) -> (f64, f64) {
    swing.push(high, low);
    swing.extremes().map_or(
        (f64::NAN, f64::NAN),
        |((high, high_age), (low, low_age))| {
            swing_reading(high, low, high_age <= low_age, close, min_swing)
        },
    )
}

/// The volume window's step: volume over its window average.
#[inline]
pub(crate) fn volume_step<T: Float>(volume: &mut VolumeZScore<T>, v: T) -> f64 {
    volume.push_ratio(v).map_or(f64::NAN, Float::to_f64)
}

/// The target/SPY ratio's step: its percent distance from its EMA.
#[inline]
pub(crate) fn ratio_step<T: Float>(ratio: &mut RelativeRatio<T>, close: T, spy: T) -> f64 {
    ratio
        .push(close, spy)
        .map_or(f64::NAN, |o| o.distance_pct.to_f64())
}

/// The relative performance's step: target minus QQQ return (`NaN`, no
/// reading, if a growth ratio overflows: a QQQ close of 1e-300 then 1).
#[inline]
pub(crate) fn relative_step<T: Float>(
    relative: &mut RelativePerformance<T>,
    close: T,
    qqq: T,
) -> f64 {
    relative
        .push(close, qqq)
        .map_or(f64::NAN, |x| finite_or_nan(x.to_f64()))
}

/// The yield window's step: the change over `rates` bars (the newest yield
/// minus the oldest of the `rates + 1` held, once full). A missing yield
/// empties the window.
#[inline]
pub(crate) fn yield_step<T: Float>(yields: &mut Ring<T>, y: Option<T>) -> f64 {
    if let Some(y) = y {
        yields.push(y);
        yields
            .oldest()
            .map_or(f64::NAN, |then| yield_change(y, then))
    } else {
        if yields.len() > 0 {
            yields.clear();
        }
        f64::NAN
    }
}

/// The change from `then` to `y` (`NaN` if it overflows): the yield
/// window's reading, also of the universe form's rows.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the universe form's vectorised rows
pub(crate) fn yield_change<T: Float>(y: T, then: T) -> f64 {
    finite_or_nan(y.to_f64() - then.to_f64())
}
