//! Triangular moving average.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Float, Indicator, Result};

/// Triangular moving average (TRIMA), TA-Lib's `TRIMA`: an SMA of an SMA,
/// whose weights rise linearly to the middle of the window and fall again.
///
/// Smoother and laggier than an SMA of the same period; same units as the
/// input, always within the window's range.
///
/// # Formula
///
/// TA-Lib's two cases:
///
/// ```text
/// n odd:   TRIMA = SMA(SMA(x, (n+1)/2), (n+1)/2)
///          weights 1, 2, …, (n+1)/2, …, 2, 1   over (n+1)²/4
/// n even:  TRIMA = SMA(SMA(x, n/2), n/2 + 1)
///          weights 1, 2, …, n/2, n/2, …, 2, 1  over (n/2)·(n/2 + 1)
/// ```
///
/// Both sums are running sums recomputed exactly once per window cycle, so
/// they cannot drift.
///
/// # Warm-up
///
/// Lookback n − 1 (both cases).
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Trima};
/// # fn main() -> apex_ta::Result<()> {
/// let mut trima = Trima::new(4)?; // weights 1, 2, 2, 1 over 6
/// let out = trima.batch(&[6.0, 0.0, 3.0, 12.0]).map_err(|e| e.error)?;
/// assert_eq!(out, vec![None, None, None, Some(4.0)]); // (6 + 0 + 6 + 12) / 6
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
/// TA-Lib `TA_TRIMA`.
#[doc(alias = "TRIMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Trima<T = f64> {
    period: usize,
    /// The inputs of the inner SMA and their sum.
    inner: Ring<T>,
    inner_sum: T,
    /// The inner SMA's values (the outer SMA's inputs) and their sum.
    outer: Ring<T>,
    outer_sum: T,
}
checked_deserialize!(Trima<T> {
    period: usize,
    inner: Ring<T>,
    inner_sum: T,
    outer: Ring<T>,
    outer_sum: T,
});

impl<T: Float> Invariants for Trima<T> {
    fn check(&self) -> Result<()> {
        self.inner.check()?;
        self.outer.check()?;
        let (a, b) = spans(self.period);
        state_ok(
            self.period >= 1 && self.inner.capacity() == a && self.outer.capacity() == b,
            "TRIMA windows inconsistent with period",
        )?;
        state_ok(
            self.inner.is_full() || self.outer.len() == 0,
            "TRIMA outer window filled before the inner one",
        )?;
        state_ok(
            self.inner_sum.is_finite() && self.outer_sum.is_finite(),
            "non-finite TRIMA sums",
        )
    }
}

/// The inner and outer SMA periods of TA-Lib's TRIMA(n).
fn spans(n: usize) -> (usize, usize) {
    if n % 2 == 1 {
        (n / 2 + 1, n / 2 + 1)
    } else {
        (n / 2, n / 2 + 1)
    }
}

/// Pushes `x` into a window and keeps its running `sum`, recomputed from
/// the window once per cycle.
#[inline]
fn push_sum<T: Float>(window: &mut Ring<T>, sum: &mut T, x: T) {
    *sum = match window.push(x) {
        Some(old) => *sum + (x - old),
        None => *sum + x,
    };
    if window.wrapped() {
        *sum = window.iter().fold(T::zero(), |a, v| a + v);
    }
}

impl<T: Float> Trima<T> {
    /// A TRIMA over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        let period = check_period("period", period, 1)?;
        let (a, b) = spans(period);
        Ok(Trima {
            period,
            inner: Ring::new(a),
            inner_sum: T::zero(),
            outer: Ring::new(b),
            outer_sum: T::zero(),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
}

impl<T: Float> Indicator for Trima<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        push_sum(&mut self.inner, &mut self.inner_sum, x);
        if self.inner.is_full() {
            let mean = self.inner_sum / T::from_usize(self.inner.capacity());
            push_sum(&mut self.outer, &mut self.outer_sum, mean);
        }
        Ok(self
            .is_ready()
            .then(|| self.outer_sum / T::from_usize(self.outer.capacity())))
    }
    fn reset(&mut self) {
        self.inner.clear();
        self.outer.clear();
        self.inner_sum = T::zero();
        self.outer_sum = T::zero();
    }
    fn lookback(&self) -> usize {
        self.period - 1
    }
    fn is_ready(&self) -> bool {
        self.outer.is_full()
    }
}

impl<T: Float> Default for Trima<T> {
    /// TRIMA(30), TA-Lib's default.
    fn default() -> Self {
        let (a, b) = spans(30);
        Trima {
            period: 30,
            inner: Ring::new(a),
            inner_sum: T::zero(),
            outer: Ring::new(b),
            outer_sum: T::zero(),
        }
    }
}

impl<T: Float> fmt::Display for Trima<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TRIMA({})", self.period)
    }
}
