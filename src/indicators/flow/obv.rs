//! On-balance volume.

use core::fmt;

use super::finite_total;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// On-balance volume (OBV), TA-Lib's `OBV`: the running total of volume,
/// added on an up close and subtracted on a down close.
///
/// Granville's measure of whether volume flows into or out of an instrument.
/// Unbounded, in volume units; like [`Ad`](crate::Ad), its level depends on
/// where the stream started and only its changes carry meaning.
///
/// # Formula
///
/// ```text
/// OBV[0] = volume[0]                               (TA-Lib's start value)
/// OBV    = OBV[t−1] + volume   if close > close[t−1]
///        = OBV[t−1] − volume   if close < close[t−1]
///        = OBV[t−1]            otherwise
/// ```
///
/// Whole-number volumes are added exactly while |OBV| stays below
/// 2⁵³ ≈ 9e15 (`f64`), so in practice OBV is exact in `f64`. In `f32`
/// exactness ends at 2²⁴ ≈ 1.7e7: past that each update rounds to
/// ~6e-8·|OBV| and smaller volumes stop registering; use `f64` for long
/// histories.
///
/// **TA-Lib quirk:** the first bar has no previous close and TA-Lib starts
/// the total at its volume (not at 0); matched.
///
/// # Warm-up
///
/// Lookback 0: every bar, the first included, produces a value.
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, Obv};
/// # fn main() -> apex_ta::Result<()> {
/// let mut obv = Obv::new();
/// let bar = |close: f64, volume: f64| Bar::new(close, close, close, close, volume);
/// assert_eq!(obv.update(bar(10.0, 100.0))?, Some(100.0)); // starts at the first volume
/// assert_eq!(obv.update(bar(11.0, 30.0))?, Some(130.0)); // up: + volume
/// assert_eq!(obv.update(bar(10.5, 50.0))?, Some(80.0)); // down: − volume
/// assert_eq!(obv.update(bar(10.5, 70.0))?, Some(80.0)); // unchanged
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `update` rejects a non-finite or inconsistent bar ([`Bar::validate`]),
/// and a bar that would take the total outside the float range
/// ([`Error::NonFinite`](crate::Error::NonFinite) with field `"obv"`); the
/// state is then unchanged.
///
/// # References
///
/// Joseph Granville, *New Key to Stock Market Profits* (1963); TA-Lib `TA_OBV`.
#[doc(alias = "OBV")]
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Obv<T = f64> {
    /// The running total.
    total: T,
    prev_close: T,
    /// Whether a bar has been seen.
    ready: bool,
}
checked_deserialize!(Obv<T> { total: T, prev_close: T, ready: bool });

impl<T: Float> Invariants for Obv<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            self.total.is_finite() && self.prev_close.is_finite(),
            "non-finite OBV state",
        )?;
        state_ok(
            self.ready || (self.total == T::zero() && self.prev_close == T::zero()),
            "OBV total without a bar",
        )
    }
}

impl<T: Float> Obv<T> {
    /// An on-balance volume (it has no parameters).
    pub fn new() -> Self {
        Obv {
            total: T::zero(),
            prev_close: T::zero(),
            ready: false,
        }
    }
    /// The current total, once a bar has been seen.
    pub fn value(&self) -> Option<T> {
        self.ready.then_some(self.total)
    }
}

impl<T: Float> Indicator for Obv<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let obv = if !self.ready {
            bar.volume
        } else if bar.close > self.prev_close {
            finite_total("obv", self.total + bar.volume)?
        } else if bar.close < self.prev_close {
            finite_total("obv", self.total - bar.volume)?
        } else {
            self.total
        };
        self.total = obv;
        self.prev_close = bar.close;
        self.ready = true;
        Ok(Some(obv))
    }
    fn reset(&mut self) {
        *self = Self::new();
    }
    fn lookback(&self) -> usize {
        0
    }
    fn is_ready(&self) -> bool {
        self.ready
    }
}

impl<T> fmt::Display for Obv<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OBV")
    }
}
