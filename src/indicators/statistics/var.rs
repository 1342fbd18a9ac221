//! Rolling population variance.

use core::fmt;

use crate::error::check_period;
use crate::float::variance_input;
use crate::window::{state_ok, Invariants, RollingStats};
use crate::{Error, Float, Indicator, Result};

/// Rolling **population** variance, TA-Lib's `VAR`: the mean squared
/// deviation of the last n inputs from their mean.
///
/// In squared input units, ≥ 0, exactly 0 for a window of equal values; the
/// square of [`StdDev`](crate::StdDev).
///
/// # Formula
///
/// ```text
/// μ   = mean(x[t−n+1..=t])
/// VAR = Σ (x − μ)² / n                 (divides by n, not n − 1)
/// ```
///
/// **TA-Lib quirk:** `VAR` takes an `nbdev` parameter but does not use it
/// (the value is not scaled by it, nor by its square); accepted, kept and
/// likewise ignored here.
///
/// Kept as [`StdDev`](crate::StdDev) keeps it: sums of deviations from
/// one of the window's values, never subtracting a value that leaves. No
/// drift however long the stream, and rounding is relative to the
/// deviations, not to the level: the relative error is at most about
/// `3·min(n, 256)·(n + 1)·ε` (ε = 2.2e-16 for `f64`, 1.2e-7 for `f32`),
/// whatever mean/σ, against ε·(mean/σ)² for the textbook `E[x²] − E[x]²`.
/// So VAR(5) of `f32` prices of 10 000 with σ = 0.01 is as precise as the
/// `f32` inputs themselves allow.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 5, as TA-Lib).
/// * `nbdev` any finite number (default 1, as TA-Lib); ignored.
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Var};
/// # fn main() -> apex_ta::Result<()> {
/// let mut var = Var::new(4, 1.0)?;
/// let out = var.batch(&[2.0, 4.0, 4.0, 6.0, 6.0]).map_err(|e| e.error)?;
/// assert_eq!(out[3], Some(2.0)); // mean 4, deviations −2, 0, 0, 2
/// assert_eq!(out[4], Some(1.0)); // mean 5, deviations −1, −1, 1, 1
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0 and a non-finite `nbdev`. `update` rejects,
/// state unchanged, a non-finite input ([`Error::NonFinite`]) and one above
/// 1e150 in magnitude (`f32`: 1e16), the limit of a variance input
/// ([`Error::OutOfRange`]).
///
/// # References
///
/// TA-Lib `TA_VAR`; B. P. Welford, "Note on a method for calculating
/// corrected sums of squares and products", *Technometrics* 4 (1962).
#[doc(alias = "VAR")]
#[doc(alias = "variance")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Var<T = f64> {
    stats: RollingStats<T>,
    nbdev: T,
}
checked_deserialize!(Var<T> { stats: RollingStats<T>, nbdev: T });

impl<T: Float> Invariants for Var<T> {
    fn check(&self) -> Result<()> {
        self.stats.check()?;
        state_ok(self.nbdev.is_finite(), "non-finite VAR nbdev")
    }
}

impl<T: Float> Var<T> {
    /// Population variance over `period` inputs; `nbdev` is TA-Lib's unused
    /// parameter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `period` if it is 0, or `nbdev` if
    /// it is not finite.
    pub fn new(period: usize, nbdev: T) -> Result<Self> {
        let period = check_period("period", period, 1)?;
        if !nbdev.is_finite() {
            return Err(Error::InvalidParameter {
                name: "nbdev",
                value: nbdev.to_f64(),
                reason: "must be finite",
            });
        }
        Ok(Var {
            stats: RollingStats::new(period),
            nbdev,
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.stats.period()
    }
    /// TA-Lib's `nbdev`, as given (it does not scale the output).
    pub fn nbdev(&self) -> T {
        self.nbdev
    }
    /// Mean of the current window, once warmed up.
    pub fn mean(&self) -> Option<T> {
        self.is_ready().then(|| self.stats.mean())
    }
}

impl<T: Float> Indicator for Var<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        self.stats.push(variance_input("close", x)?);
        Ok(self.is_ready().then(|| self.stats.variance()))
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

impl<T: Float> Default for Var<T> {
    /// VAR(5, 1), TA-Lib's default.
    fn default() -> Self {
        Var {
            stats: RollingStats::new(5),
            nbdev: T::one(),
        }
    }
}

impl<T: Float> fmt::Display for Var<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VAR({}, {})", self.stats.period(), self.nbdev)
    }
}
