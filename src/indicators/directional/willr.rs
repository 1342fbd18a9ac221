//! Williams %R (WILLR).

use core::fmt;

use crate::error::check_period;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Bar, Float, Indicator, Result};

/// Williams %R, TA-Lib's `WILLR`: where the close sits in the window's
/// high–low range, measured down from the top.
///
/// −100 to 0: 0 when the close is the window's highest high, −100 when it
/// is the lowest low. Above −20 is classically overbought, below −80
/// oversold. (The fast stochastic %K minus 100.)
///
/// # Formula
///
/// ```text
/// HH = highest high of the last n bars,  LL = lowest low of the last n bars
/// %R = −100 · ((HH − close) / (HH − LL))
/// ```
///
/// TA-Lib quirk, matched: a window with no range (HH = LL) gives 0. The
/// ratio is taken first and then scaled, as TA-Lib 0.8.2's library computes
/// it (to the last bit; its source spells it `(HH − close) / ((HH − LL) /
/// −100)`, which rounds differently).
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, WillR};
/// # fn main() -> apex_ta::Result<()> {
/// let mut willr = WillR::new(2)?;
/// assert_eq!(willr.update(Bar::new(10.0, 12.0, 9.0, 11.0, 0.0))?, None);
/// // HH 12, LL 8: the close 9 is three quarters of the way down
/// assert_eq!(willr.update(Bar::new(11.0, 11.0, 8.0, 9.0, 0.0))?, Some(-75.0));
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
/// Larry Williams, *How I Made One Million Dollars … Last Year … Trading
/// Commodities* (1973); TA-Lib `TA_WILLR`.
#[doc(alias = "WILLR")]
#[doc(alias = "%R")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WillR<T = f64> {
    period: usize,
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
}
checked_deserialize!(WillR<T> {
    period: usize,
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
});

impl<T: Float> Invariants for WillR<T> {
    fn check(&self) -> Result<()> {
        self.highs.check()?;
        self.lows.check()?;
        state_ok(self.period >= 2, "WILLR period below 2")?;
        state_ok(
            self.highs.capacity() == self.period && self.lows.capacity() == self.period,
            "WILLR window inconsistent with period",
        )?;
        state_ok(
            self.highs.count() == self.lows.count(),
            "WILLR high and low windows out of step",
        )
    }
}

impl<T: Float> WillR<T> {
    /// Williams %R over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 2)?))
    }
    fn with_period(period: usize) -> Self {
        WillR {
            period,
            highs: MonoDeque::new(period),
            lows: MonoDeque::new(period),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
}

impl<T: Float> Indicator for WillR<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        self.highs.push(bar.high);
        self.lows.push(bar.low);
        if !self.is_ready() {
            return Ok(None);
        }
        let (Some((highest, _)), Some((lowest, _))) = (self.highs.extreme(), self.lows.extreme())
        else {
            return Ok(None); // unreachable: both windows hold values
        };
        let range = highest - lowest;
        Ok(Some(if range == T::zero() {
            T::zero()
        } else {
            T::from_f64(-100.0) * ((highest - bar.close) / range)
        }))
    }
    fn reset(&mut self) {
        self.highs.clear();
        self.lows.clear();
    }
    fn lookback(&self) -> usize {
        self.period - 1
    }
    fn is_ready(&self) -> bool {
        self.highs.count() >= self.period as u64
    }
}

impl<T: Float> Default for WillR<T> {
    /// WILLR(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for WillR<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WILLR({})", self.period)
    }
}
