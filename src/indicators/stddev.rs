//! Rolling population standard deviation.

use core::fmt;

use crate::error::check_period;
use crate::float::variance_input;
use crate::window::{Invariants, RollingStats};
use crate::{Float, Indicator, Result};

/// Rolling **population** standard deviation, TA-Lib's `STDDEV` with
/// `nbdev = 1`.
///
/// Dispersion of the last n inputs around their mean; same units as the
/// input, ≥ 0, exactly 0 for a window of equal values.
///
/// # Formula
///
/// ```text
/// μ = mean(x[t−n+1..=t])
/// σ = sqrt( Σ (x − μ)² / n )          (divides by n, not n − 1)
/// ```
///
/// Kept as sums of deviations from one of the window's own values, in
/// blocks that never subtract a value leaving the window: no cancellation
/// from `E[x²] − E[x]²`, no drift however long the stream, and a precision
/// that does not depend on the level. The variance is within about
/// `3·min(n, 256)·(n + 1)·ε` relative of the exact variance of the window's
/// values (ε = 2.2e-16 for `f64`, 1.2e-7 for `f32`; 1.4e-13 for n = 20 in
/// `f64`), whatever the ratio mean/σ; measured for STDDEV(20) at mean/σ
/// from 30 to 3e9: at most 6.1e-16 relative. A window of equal values has
/// σ = 0 exactly.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 20; TA-Lib's default is 5).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, StdDev};
/// # fn main() -> apex_ta::Result<()> {
/// let mut sd = StdDev::new(4)?;
/// let out = sd.batch(&[2.0, 4.0, 4.0, 6.0]).map_err(|e| e.error)?;
/// assert_eq!(out[3], Some(2.0_f64.sqrt())); // mean 4, deviations ±2, 0, 0
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0. `update` rejects, state unchanged, a non-finite
/// input ([`Error::NonFinite`](crate::Error::NonFinite)) and one above 1e150
/// in magnitude (`f32`: 1e16), the limit of a variance input, whose square
/// could overflow the window's sums
/// ([`Error::OutOfRange`](crate::Error::OutOfRange)).
///
/// # References
///
/// TA-Lib `TA_STDDEV`; B. P. Welford, "Note on a method for calculating
/// corrected sums of squares and products", *Technometrics* 4 (1962).
#[doc(alias = "STDDEV")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StdDev<T = f64> {
    stats: RollingStats<T>,
}
checked_deserialize!(StdDev<T> { stats: RollingStats<T> });

impl<T: Float> Invariants for StdDev<T> {
    fn check(&self) -> Result<()> {
        self.stats.check()
    }
}

impl<T: Float> StdDev<T> {
    /// Population standard deviation over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(StdDev {
            stats: RollingStats::new(check_period("period", period, 1)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.stats.period()
    }
    /// Mean of the current window, once warmed up.
    pub fn mean(&self) -> Option<T> {
        self.is_ready().then(|| self.stats.mean())
    }
    /// Population variance of the current window, once warmed up.
    pub fn variance(&self) -> Option<T> {
        self.is_ready().then(|| self.stats.variance())
    }
}

impl<T: Float> Indicator for StdDev<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        self.stats.push(variance_input("close", x)?);
        Ok(self.is_ready().then(|| self.stats.variance().sqrt()))
    }
    fn reset(&mut self) {
        self.stats.clear();
    }
    fn lookback(&self) -> usize {
        self.stats.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.stats.is_full()
    }
}

impl<T: Float> Default for StdDev<T> {
    /// StdDev(20).
    fn default() -> Self {
        StdDev {
            stats: RollingStats::new(20),
        }
    }
}

impl<T: Float> fmt::Display for StdDev<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "STDDEV({})", self.stats.period())
    }
}
