//! Money flow index.

use core::fmt;

use super::TALIB_EPSILON;
use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, RollingSum};
use crate::{Bar, Float, Indicator, Result};

/// Money flow index (MFI), as TA-Lib's `MFI`: a volume-weighted RSI.
///
/// The share of the last n bars' money flow (typical price × volume) that
/// came on bars whose typical price rose. In [0, 100]; above 80 is
/// classically overbought, below 20 oversold.
///
/// # Formula
///
/// ```text
/// tp     = (high + low + close) / 3                  (typical price)
/// flow   = tp · volume
/// Δ      = tp[t] − tp[t−1]
/// flow counts as 0 (neither side) when |Δ| ≤ 1e-14 · (|tp[t]| + |tp[t−1]|)
/// P, N   = sums of the flows of the last n bars with Δ > 0 / Δ < 0
/// MFI    = 100 · P / (P + N)
/// MFI    = 0                         when P + N = 0 (no flow in the window)
/// ```
///
/// TA-Lib quirks, matched: an unchanged typical price is judged with
/// TA-Lib's relative dead zone (`TA_IS_ZERO_SCALED`, 1e-14 of the two
/// prices), so a rounding-level move carries no flow; and a window without
/// any flow gives **0**, not the neutral 50 that [`Rsi`](crate::Rsi) gives
/// for a flat window.
///
/// The sums are kept as [`Sma`](crate::Sma) keeps its sum (over exactly the
/// values in the window, nothing subtracted), so they cannot accumulate
/// rounding error however long the stream.
///
/// # Warm-up
///
/// Lookback n: the first bar has no previous typical price.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib's minimum is 2).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, Mfi};
/// # fn main() -> apex_ta::Result<()> {
/// let mut mfi = Mfi::new(2)?;
/// let bar = |tp: f64, v: f64| Bar::new(tp, tp, tp, tp, v);
/// assert_eq!(mfi.update(bar(10.0, 100.0))?, None);
/// assert_eq!(mfi.update(bar(11.0, 100.0))?, None); // up: +1100
/// let v = mfi.update(bar(10.0, 300.0))?; // down: −3000
/// assert!((v.unwrap_or_default() - 100.0 * 1100.0 / 4100.0).abs() < 1e-12);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2; `update` rejects a non-finite or
/// inconsistent bar or a negative volume ([`Bar::validate`]), and a bar
/// whose typical price or money flow overflows to infinity
/// ([`Error::NonFinite`](crate::Error::NonFinite)); the state is then
/// unchanged.
///
/// # References
///
/// Gene Quong and Avrum Soudack, "Volume-Weighted RSI: Money Flow",
/// *Technical Analysis of Stocks & Commodities* (1989); TA-Lib `TA_MFI`.
#[doc(alias = "MFI")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Mfi<T = f64> {
    period: usize,
    /// Bars seen, saturating at `period + 1` (then every update yields).
    seen: usize,
    /// The previous bar's typical price (meaningful once `seen > 0`).
    prev_tp: T,
    /// Flows of the last `period` bars whose typical price rose (else 0).
    positive: RollingSum<T>,
    /// Flows of the last `period` bars whose typical price fell (else 0).
    negative: RollingSum<T>,
    /// How many of the newest bars carried no flow, saturating at `period`:
    /// at `period` the window is known to be empty, exactly.
    empty_run: usize,
}
checked_deserialize!(Mfi<T> {
    period: usize,
    seen: usize,
    prev_tp: T,
    positive: RollingSum<T>,
    negative: RollingSum<T>,
    empty_run: usize,
});

impl<T: Float> Invariants for Mfi<T> {
    fn check(&self) -> Result<()> {
        self.positive.check()?;
        self.negative.check()?;
        state_ok(self.period >= 2, "MFI period below 2")?;
        state_ok(
            self.positive.period() == self.period && self.negative.period() == self.period,
            "MFI windows inconsistent with period",
        )?;
        state_ok(self.seen <= self.period + 1, "MFI count exceeds period")?;
        let full = self.seen > self.period;
        state_ok(
            self.positive.is_full() == full && self.negative.is_full() == full,
            "MFI windows inconsistent with count",
        )?;
        state_ok(
            self.empty_run <= self.period && self.empty_run < self.seen.max(1),
            "MFI empty run inconsistent with count",
        )?;
        state_ok(self.prev_tp.is_finite(), "non-finite MFI typical price")
    }
}

impl<T: Float> Mfi<T> {
    /// MFI over the last `period` bars' money flow.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 2)?))
    }
    fn with_period(period: usize) -> Self {
        Mfi {
            period,
            seen: 0,
            prev_tp: T::zero(),
            positive: RollingSum::new(period),
            negative: RollingSum::new(period),
            empty_run: 0,
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
    /// The MFI of the current window (once full).
    #[inline]
    fn value(&self) -> T {
        if self.empty_run >= self.period {
            return T::zero();
        }
        // Means rather than sums: the same ratio, one scale factor in both.
        let pos = self.positive.mean();
        let total = pos + self.negative.mean();
        if total <= T::zero() {
            return T::zero();
        }
        // Rounding can leave a sum a few ulps outside [0, total]: clamp, as
        // TA-Lib does, so the result stays in [0, 100].
        let pos = pos.max(T::zero()).min(total);
        T::from_f64(100.0) * (pos / total)
    }
}

impl<T: Float> Indicator for Mfi<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let tp = finite(
            "typical price",
            (bar.high + bar.low + bar.close) / T::from_f64(3.0),
        )?;
        if self.seen == 0 {
            self.prev_tp = tp;
            self.seen = 1;
            return Ok(None);
        }
        let prev = self.prev_tp;
        let change = tp - prev;
        let flat = change.abs() <= T::from_f64(TALIB_EPSILON) * (tp.abs() + prev.abs());
        let flow = finite("money flow", if flat { T::zero() } else { tp * bar.volume })?;
        self.prev_tp = tp;
        let (up, down) = if change < T::zero() {
            (T::zero(), flow)
        } else {
            (flow, T::zero())
        };
        self.positive.push(up);
        self.negative.push(down);
        self.empty_run = if flow == T::zero() {
            (self.empty_run + 1).min(self.period)
        } else {
            0
        };
        self.seen = (self.seen + 1).min(self.period + 1);
        Ok(self.is_ready().then(|| self.value()))
    }
    fn reset(&mut self) {
        // In place: the windows keep their buffers.
        self.seen = 0;
        self.prev_tp = T::zero();
        self.positive.clear();
        self.negative.clear();
        self.empty_run = 0;
    }
    fn lookback(&self) -> usize {
        self.period
    }
    fn is_ready(&self) -> bool {
        self.seen > self.period
    }
}

impl<T: Float> Default for Mfi<T> {
    /// MFI(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Mfi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MFI({})", self.period)
    }
}
