//! Ultimate oscillator (ULTOSC).

use core::fmt;

use super::system::is_zero;
use crate::error::check_period;
use crate::indicators::atr::true_range;
use crate::window::{min_of, state_ok, Invariants, RollingSum};
use crate::{Bar, Float, Indicator, Result};

/// Weights of the shortest, middle and longest period.
const WEIGHTS: [f64; 3] = [4.0, 2.0, 1.0];

/// Ultimate oscillator, TA-Lib's `ULTOSC`: buying pressure as a share of
/// the true range over three horizons, weighted 4 : 2 : 1.
///
/// 0–100: the weighted average of three ratios each in [0, 1], times 100.
/// Above 70 is classically overbought, below 30 oversold; mixing the
/// horizons damps the false signals of a single-period oscillator.
///
/// # Formula
///
/// ```text
/// true low  = min(low, close[t−1])
/// BP        = close − true low                          (buying pressure)
/// TR        = max(high, close[t−1]) − true low          (true range)
/// Aₖ        = ΣBP / ΣTR over the last nₖ bars,   n₁ ≤ n₂ ≤ n₃
/// ULTOSC    = 100 · (4·A₁ + 2·A₂ + A₃) / 7
/// ```
///
/// TA-Lib quirks, matched: the three periods are **sorted** first, so the
/// weight 4 always goes to the shortest (`ULTOSC(14, 7, 28)` is
/// `ULTOSC(7, 14, 28)`); a term whose true-range sum is below 1e-14 in
/// magnitude (TA-Lib's `TA_IS_ZERO`) is left out of the numerator (the
/// divisor stays 7), so a flat stretch gives 0.
///
/// The window sums are re-summed exactly once per window, so unlike
/// TA-Lib's running totals they cannot drift on long streams (they agree
/// with TA-Lib to ~1e-14 relative on the golden series).
///
/// # Warm-up
///
/// Lookback n₃, the longest period (one bar for the first previous close,
/// then n₃ bars of terms).
///
/// # Parameters
///
/// * `period1`, `period2`, `period3` ≥ 1 (defaults 7, 14, 28), in any order.
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, UltOsc};
/// # fn main() -> apex_ta::Result<()> {
/// let mut uo = UltOsc::new(1, 2, 3)?;
/// assert_eq!(uo.lookback(), 3);
/// // Every bar closes at its high, above the previous close: BP = TR, so
/// // each ratio is 1 and the oscillator 100.
/// let mut last = None;
/// for i in 0..5 {
///     let c = 10.0 + f64::from(i);
///     last = uo.update(Bar::new(c - 0.5, c, c - 0.5, c, 1.0))?;
/// }
/// assert_eq!(last, Some(100.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period of 0 (naming it); `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Larry Williams, "The Ultimate Oscillator", *Technical Analysis of Stocks
/// & Commodities* (1985); TA-Lib `TA_ULTOSC`.
#[doc(alias = "ULTOSC")]
#[doc(alias = "UO")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UltOsc<T = f64> {
    /// The periods, shortest first.
    periods: [usize; 3],
    /// Bars seen, saturating at the longest period + 1.
    seen: usize,
    prev_close: T,
    /// Buying pressure over each period.
    pressure: [RollingSum<T>; 3],
    /// True range over each period.
    range: [RollingSum<T>; 3],
}
checked_deserialize!(UltOsc<T> {
    periods: [usize; 3],
    seen: usize,
    prev_close: T,
    pressure: [RollingSum<T>; 3],
    range: [RollingSum<T>; 3],
});

impl<T: Float> Invariants for UltOsc<T> {
    fn check(&self) -> Result<()> {
        let [a, b, c] = self.periods;
        state_ok(a >= 1 && a <= b && b <= c, "ULTOSC periods not sorted or 0")?;
        state_ok(self.seen <= c + 1, "ULTOSC count exceeds period")?;
        state_ok(self.prev_close.is_finite(), "ULTOSC close non-finite")?;
        for ((p, s), r) in self.periods.iter().zip(&self.pressure).zip(&self.range) {
            s.check()?;
            r.check()?;
            state_ok(
                s.period() == *p && r.period() == *p,
                "ULTOSC window inconsistent with period",
            )?;
            state_ok(
                s.is_full() == (self.seen > *p) && r.is_full() == (self.seen > *p),
                "ULTOSC window fill inconsistent with count",
            )?;
        }
        Ok(())
    }
}

impl<T: Float> UltOsc<T> {
    /// The ultimate oscillator over three periods, in any order (TA-Lib
    /// sorts them).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period1`, `period2` or `period3` if it is 0.
    pub fn new(period1: usize, period2: usize, period3: usize) -> Result<Self> {
        let mut sorted = [
            check_period("period1", period1, 1)?,
            check_period("period2", period2, 1)?,
            check_period("period3", period3, 1)?,
        ];
        sorted.sort_unstable();
        Ok(Self::with_periods(sorted))
    }
    fn with_periods(periods: [usize; 3]) -> Self {
        UltOsc {
            periods,
            seen: 0,
            prev_close: T::zero(),
            pressure: periods.map(RollingSum::new),
            range: periods.map(RollingSum::new),
        }
    }
    /// The three periods, shortest first.
    pub fn periods(&self) -> [usize; 3] {
        self.periods
    }
}

impl<T: Float> Indicator for UltOsc<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let longest = self.periods[2];
        if self.seen == 0 {
            self.prev_close = bar.close;
            self.seen = 1;
            return Ok(None);
        }
        let pressure = bar.close - min_of(bar.low, self.prev_close);
        let range = true_range(bar.high, bar.low, self.prev_close);
        self.prev_close = bar.close;
        for (p, r) in self.pressure.iter_mut().zip(&mut self.range) {
            p.push(pressure);
            r.push(range);
        }
        if self.seen <= longest {
            self.seen += 1;
        }
        if self.seen <= longest {
            return Ok(None);
        }
        let mut total = T::zero();
        for ((p, r), w) in self.pressure.iter().zip(&self.range).zip(WEIGHTS) {
            // The window's true-range sum, for TA-Lib's zero test; the ratio
            // of the means is the ratio of the sums.
            if !is_zero(r.mean() * T::from_usize(r.period())) {
                total = total + T::from_f64(w) * (p.mean() / r.mean());
            }
        }
        Ok(Some(T::from_f64(100.0) * (total / T::from_f64(7.0))))
    }
    fn reset(&mut self) {
        // In place: rebuilding would allocate the windows again.
        self.seen = 0;
        self.prev_close = T::zero();
        self.pressure.iter_mut().for_each(RollingSum::clear);
        self.range.iter_mut().for_each(RollingSum::clear);
    }
    fn lookback(&self) -> usize {
        self.periods[2]
    }
    fn is_ready(&self) -> bool {
        self.seen > self.periods[2]
    }
}

impl<T: Float> Default for UltOsc<T> {
    /// ULTOSC(7, 14, 28).
    fn default() -> Self {
        Self::with_periods([7, 14, 28])
    }
}

impl<T> fmt::Display for UltOsc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.periods;
        write!(f, "ULTOSC({a}, {b}, {c})")
    }
}
