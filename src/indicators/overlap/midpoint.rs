//! Midpoint of the window's range: of one series (MIDPOINT) or of the bars'
//! highs and lows (MIDPRICE).

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Bar, Float, Indicator, Result};

/// Midpoint of the last n inputs, TA-Lib's `MIDPOINT`: halfway between the
/// window's highest and lowest value.
///
/// The centre of the recent range; same units as the input, within the
/// window's range.
///
/// # Formula
///
/// ```text
/// MIDPOINT = (max(x[t−n+1..=t]) + min(x[t−n+1..=t])) / 2
/// ```
///
/// The extremes are kept in O(1) amortised per update, whatever n.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14, as TA-Lib, which rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, MidPoint};
/// # fn main() -> apex_ta::Result<()> {
/// let mut mid = MidPoint::new(3)?;
/// let out = mid.batch(&[3.0, 9.0, 5.0, 4.0]).map_err(|e| e.error)?;
/// assert_eq!(out, vec![None, None, Some(6.0), Some(6.5)]);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2; `update` rejects a non-finite input,
/// state unchanged.
///
/// # References
///
/// TA-Lib `TA_MIDPOINT`.
#[doc(alias = "MIDPOINT")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MidPoint<T = f64> {
    period: usize,
    highest: MonoDeque<T, true>,
    lowest: MonoDeque<T, false>,
}
checked_deserialize!(MidPoint<T> {
    period: usize,
    highest: MonoDeque<T, true>,
    lowest: MonoDeque<T, false>,
});

impl<T: Float> Invariants for MidPoint<T> {
    fn check(&self) -> Result<()> {
        self.highest.check()?;
        self.lowest.check()?;
        extremes_consistent(self.period, &self.highest, &self.lowest)
    }
}

/// The two windows of a midpoint have the period's size and one count.
fn extremes_consistent<T: Float>(
    period: usize,
    highest: &MonoDeque<T, true>,
    lowest: &MonoDeque<T, false>,
) -> Result<()> {
    state_ok(
        period >= 2 && highest.capacity() == period && lowest.capacity() == period,
        "midpoint windows inconsistent with period",
    )?;
    state_ok(
        highest.count() == lowest.count(),
        "midpoint windows out of step",
    )
}

/// `(highest + lowest) / 2` once `period` values are in.
#[inline]
fn midpoint<T: Float>(
    period: usize,
    highest: &MonoDeque<T, true>,
    lowest: &MonoDeque<T, false>,
) -> Option<T> {
    if highest.count() < period as u64 {
        return None;
    }
    let (hi, _) = highest.extreme()?;
    let (lo, _) = lowest.extreme()?;
    Some((hi + lo) / T::from_f64(2.0))
}

impl<T: Float> MidPoint<T> {
    /// The midpoint of the last `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period < 2`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::unchecked(check_period("period", period, 2)?))
    }
    fn unchecked(period: usize) -> Self {
        MidPoint {
            period,
            highest: MonoDeque::new(period),
            lowest: MonoDeque::new(period),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
}

impl<T: Float> Indicator for MidPoint<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        self.highest.push(x);
        self.lowest.push(x);
        Ok(midpoint(self.period, &self.highest, &self.lowest))
    }
    fn reset(&mut self) {
        self.highest.clear();
        self.lowest.clear();
    }
    fn lookback(&self) -> usize {
        self.period - 1
    }
    fn is_ready(&self) -> bool {
        self.highest.count() >= self.period as u64
    }
}

impl<T: Float> Default for MidPoint<T> {
    /// MIDPOINT(14), TA-Lib's default.
    fn default() -> Self {
        Self::unchecked(14)
    }
}

impl<T: Float> fmt::Display for MidPoint<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MIDPOINT({})", self.period)
    }
}

/// Midpoint price of the last n bars, TA-Lib's `MIDPRICE`: halfway between
/// the highest high and the lowest low.
///
/// The centre of the recent trading range (the Donchian channel's middle
/// line); same units as the prices, within the window's range.
///
/// # Formula
///
/// ```text
/// MIDPRICE = (max(high[t−n+1..=t]) + min(low[t−n+1..=t])) / 2
/// ```
///
/// The extremes are kept in O(1) amortised per update, whatever n.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14, as TA-Lib, which rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, MidPrice};
/// # fn main() -> apex_ta::Result<()> {
/// let mut mid = MidPrice::new(2)?;
/// assert_eq!(mid.update(Bar::new(10.0, 12.0, 9.0, 11.0, 0.0))?, None);
/// assert_eq!(mid.update(Bar::new(11.0, 11.5, 10.0, 11.0, 0.0))?, Some(10.5)); // (12 + 9) / 2
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2; `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// TA-Lib `TA_MIDPRICE`.
#[doc(alias = "MIDPRICE")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MidPrice<T = f64> {
    period: usize,
    highest: MonoDeque<T, true>,
    lowest: MonoDeque<T, false>,
}
checked_deserialize!(MidPrice<T> {
    period: usize,
    highest: MonoDeque<T, true>,
    lowest: MonoDeque<T, false>,
});

impl<T: Float> Invariants for MidPrice<T> {
    fn check(&self) -> Result<()> {
        self.highest.check()?;
        self.lowest.check()?;
        extremes_consistent(self.period, &self.highest, &self.lowest)
    }
}

impl<T: Float> MidPrice<T> {
    /// The midpoint price of the last `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period < 2`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::unchecked(check_period("period", period, 2)?))
    }
    fn unchecked(period: usize) -> Self {
        MidPrice {
            period,
            highest: MonoDeque::new(period),
            lowest: MonoDeque::new(period),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
}

impl<T: Float> Indicator for MidPrice<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        self.highest.push(bar.high);
        self.lowest.push(bar.low);
        Ok(midpoint(self.period, &self.highest, &self.lowest))
    }
    fn reset(&mut self) {
        self.highest.clear();
        self.lowest.clear();
    }
    fn lookback(&self) -> usize {
        self.period - 1
    }
    fn is_ready(&self) -> bool {
        self.highest.count() >= self.period as u64
    }
}

impl<T: Float> Default for MidPrice<T> {
    /// MIDPRICE(14), TA-Lib's default.
    fn default() -> Self {
        Self::unchecked(14)
    }
}

impl<T: Float> fmt::Display for MidPrice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MIDPRICE({})", self.period)
    }
}
