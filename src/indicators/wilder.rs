//! Wilder's smoothing (RMA / SMMA).

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::indicators::Smoother;
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result};

/// Wilder's moving average (RMA, SMMA): the smoothing inside RSI and ATR.
///
/// An exponential average with the slower factor α = 1/n, so RMA(n) behaves
/// like EMA(2n − 1). Same units as the input.
///
/// # Formula
///
/// ```text
/// RMA  = mean(x[0..n])                 at input n−1 (the seed)
/// RMA  = (RMA·(n − 1) + x) / n         = RMA + (x − RMA)/n  afterwards
/// ```
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 14).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Wilder};
/// # fn main() -> apex_ta::Result<()> {
/// let mut rma = Wilder::new(2)?;
/// assert_eq!(rma.update(2.0)?, None);
/// assert_eq!(rma.update(4.0)?, Some(3.0)); // seed
/// assert_eq!(rma.update(7.0)?, Some(5.0)); // (3·1 + 7)/2
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
/// J. Welles Wilder, *New Concepts in Technical Trading Systems* (1978);
/// TA-Lib's smoothing in `TA_RSI` and `TA_ATR`.
#[doc(alias = "RMA")]
#[doc(alias = "SMMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Wilder<T = f64> {
    inner: Smoother<T>,
}
checked_deserialize!(Wilder<T> { inner: Smoother<T> });

impl<T: Float> Invariants for Wilder<T> {
    fn check(&self) -> Result<()> {
        self.inner.check()?;
        state_ok(
            self.inner.alpha == T::one() / T::from_usize(self.inner.period),
            "Wilder alpha inconsistent with period",
        )
    }
}

impl<T: Float> Wilder<T> {
    /// Wilder smoothing over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Wilder {
            inner: Smoother::wilder(check_period("period", period, 1)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.inner.period()
    }
    /// The current value, if warmed up.
    pub fn value(&self) -> Option<T> {
        self.inner.value()
    }
}

impl<T: Float> Indicator for Wilder<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        Ok(self.inner.push(finite("value", x)?))
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
    fn lookback(&self) -> usize {
        self.inner.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.inner.is_ready()
    }
}

impl<T: Float> Default for Wilder<T> {
    /// Wilder(14).
    fn default() -> Self {
        Wilder {
            inner: Smoother::wilder(14),
        }
    }
}

impl<T> fmt::Display for Wilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RMA({})", self.inner.period)
    }
}
