//! Simple moving average.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{Invariants, RollingSum};
use crate::{Float, Indicator, Result};

/// Simple moving average (SMA), TA-Lib's `SMA`: the mean of the last n inputs.
///
/// # Formula
///
/// ```text
/// SMA = (x[t] + x[t−1] + … + x[t−n+1]) / n
/// ```
///
/// Kept as two sums over exactly the values in the window (the tail of the
/// previous block of n, summed once when that block completed, and the
/// current block's running sum), never subtracting a value that leaves: it
/// cannot drift however long the stream, and its rounding is that of
/// summing the window afresh.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 20).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Sma};
/// # fn main() -> apex_ta::Result<()> {
/// let mut sma = Sma::new(3)?;
/// let out = sma.batch(&[1.0, 2.0, 3.0, 4.0]).map_err(|e| e.error)?;
/// assert_eq!(out, vec![None, None, Some(2.0), Some(3.0)]);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite input, state unchanged.
///
/// # References
///
/// TA-Lib `TA_SMA`.
#[doc(alias = "SMA")]
#[doc(alias = "MA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sma<T = f64> {
    window: RollingSum<T>,
}
checked_deserialize!(Sma<T> { window: RollingSum<T> });

impl<T: Float> Invariants for Sma<T> {
    fn check(&self) -> Result<()> {
        self.window.check()
    }
}

impl<T: Float> Sma<T> {
    /// An SMA over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Sma {
            window: RollingSum::new(check_period("period", period, 1)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.window.period()
    }
}

impl<T: Float> Indicator for Sma<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        self.window.push(finite("close", x)?);
        Ok(self.is_ready().then(|| self.window.mean()))
    }
    fn reset(&mut self) {
        self.window.clear();
    }
    fn lookback(&self) -> usize {
        self.window.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.window.is_full()
    }
}

impl<T: Float> Default for Sma<T> {
    /// SMA(20).
    fn default() -> Self {
        Sma {
            window: RollingSum::new(20),
        }
    }
}

impl<T: Float> fmt::Display for Sma<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SMA({})", self.window.period())
    }
}
