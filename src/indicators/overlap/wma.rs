//! Linearly weighted moving average.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Float, Indicator, Result};

/// Weighted moving average (WMA), TA-Lib's `WMA`: linear weights, the
/// newest input weighing n, the oldest 1.
///
/// Reacts faster than an SMA of the same period; same units as the input,
/// always within the window's range.
///
/// # Formula
///
/// ```text
/// WMA = (n·x[t] + (n−1)·x[t−1] + … + 1·x[t−n+1]) / (n·(n+1)/2)
/// ```
///
/// Kept as running sums in O(1) per update (the weighted sum loses the
/// plain sum and gains n·x each step), both recomputed exactly from the
/// window once per cycle, so they cannot drift however long the stream.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Wma};
/// # fn main() -> apex_ta::Result<()> {
/// let mut wma = Wma::new(3)?;
/// let out = wma.batch(&[6.0, 3.0, 9.0, 0.0]).map_err(|e| e.error)?;
/// assert_eq!(out[2], Some(6.5)); // (1·6 + 2·3 + 3·9) / 6
/// assert_eq!(out[3], Some(3.5)); // (1·3 + 2·9 + 3·0) / 6
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite input, state
/// unchanged.
///
/// # References
///
/// TA-Lib `TA_WMA`.
#[doc(alias = "WMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Wma<T = f64> {
    window: Ring<T>,
    /// Σ x over the window.
    sum: T,
    /// Σ k·x over the window, k = 1 for the oldest value held.
    weighted: T,
    /// n·(n+1)/2.
    divider: T,
}
checked_deserialize!(Wma<T> {
    window: Ring<T>,
    sum: T,
    weighted: T,
    divider: T,
});

impl<T: Float> Invariants for Wma<T> {
    fn check(&self) -> Result<()> {
        self.window.check()?;
        state_ok(
            self.sum.is_finite() && self.weighted.is_finite(),
            "non-finite WMA sums",
        )?;
        state_ok(
            self.divider == divider(self.window.capacity()),
            "WMA divider inconsistent with period",
        )
    }
}

/// n·(n+1)/2 as a float.
fn divider<T: Float>(n: usize) -> T {
    let (a, b) = if n % 2 == 0 {
        (n / 2, n + 1)
    } else {
        (n, n / 2 + 1)
    };
    T::from_usize(a) * T::from_usize(b)
}

impl<T: Float> Wma<T> {
    /// A WMA over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        let period = check_period("period", period, 1)?;
        Ok(Wma {
            window: Ring::new(period),
            sum: T::zero(),
            weighted: T::zero(),
            divider: divider(period),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.window.capacity()
    }
    /// Recomputes both sums from the window (oldest value weight 1).
    #[cold]
    #[inline(never)]
    fn resum(&mut self) {
        let (mut sum, mut weighted) = (T::zero(), T::zero());
        for (k, x) in self.window.iter().enumerate() {
            sum = sum + x;
            weighted = weighted + T::from_usize(k + 1) * x;
        }
        self.sum = sum;
        self.weighted = weighted;
    }
}

impl<T: Float> Indicator for Wma<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        let n = T::from_usize(self.window.capacity());
        if let Some(old) = self.window.push(x) {
            // Every held value's weight drops by one (the evicted value's to
            // zero): subtract the old plain sum; the new value weighs n.
            self.weighted = self.weighted - self.sum + n * x;
            self.sum = self.sum - old + x;
        } else {
            self.weighted = self.weighted + T::from_usize(self.window.len()) * x;
            self.sum = self.sum + x;
        }
        if self.window.wrapped() {
            self.resum();
        }
        Ok(self.is_ready().then(|| self.weighted / self.divider))
    }
    fn reset(&mut self) {
        self.window.clear();
        self.sum = T::zero();
        self.weighted = T::zero();
    }
    fn lookback(&self) -> usize {
        self.window.capacity() - 1
    }
    fn is_ready(&self) -> bool {
        self.window.is_full()
    }
}

impl<T: Float> Default for Wma<T> {
    /// WMA(30), TA-Lib's default.
    fn default() -> Self {
        Wma {
            window: Ring::new(30),
            sum: T::zero(),
            weighted: T::zero(),
            divider: divider(30),
        }
    }
}

impl<T: Float> fmt::Display for Wma<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WMA({})", self.window.capacity())
    }
}
