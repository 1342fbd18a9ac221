//! Rolling Pearson correlation of two series.

use core::fmt;

use super::pair::PairWindow;
use super::TA_EPSILON;
use crate::error::check_period;
use crate::float::variance_input;
use crate::window::Invariants;
use crate::{Float, Indicator, Result};

/// Pearson's correlation coefficient, TA-Lib's `CORREL`, of two series over
/// the last n pairs of raw values.
///
/// Input `(price0, price1)` per bar. In [−1, 1]: 1 when the two move
/// together along a rising line, −1 along a falling one, near 0 when they are
/// linearly unrelated.
///
/// # Formula
///
/// ```text
/// over the last n (x, y) = (price0, price1):
/// r = Σ (x − x̄)(y − ȳ) / sqrt(Σ (x − x̄)² · Σ (y − ȳ)²),   clamped to [−1, 1]
///   = 0 when Σ (x − x̄)² ≤ 1e-14 · Σ (x − a)² or likewise for y
/// ```
///
/// **TA-Lib quirks**, matched: a window in which either series does not vary
/// gives 0, not a division by zero (each sum of squares is tested against
/// its raw sum about the anchor `a` the sums are kept from, so the boundary
/// can differ from TA-Lib's by rounding), and rounding that would put r a
/// few ulp outside [−1, 1] is clamped.
///
/// Kept as running sums of deviations from an anchor (per series a value of
/// the window, re-chosen near its mean once per window and whenever a
/// variance collapses): nothing drifts, and the level costs no precision,
/// where raw sums lose digits in proportion to (mean/σ)². The absolute error
/// of r stays below ~2n·256·ε (ε = 2.2e-16 for `f64`, 1.2e-7 for `f32`).
/// Updates are O(1) except a re-anchoring, O(n), once per window (plus one
/// each time an outlier leaves the window).
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, as TA-Lib; n = 1 always gives 0).
///
/// # Examples
///
/// ```
/// use apex_ta::{Correl, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut r = Correl::new(4)?;
/// let pairs = [(0.0, 5.0), (0.0, 5.0), (2.0, 1.0), (2.0, 1.0), (1.0, 4.0)];
/// let out = r.batch(&pairs).map_err(|e| e.error)?;
/// assert_eq!(out[3], Some(-1.0)); // y = 5 − 2x exactly
/// assert!(out[4].is_some_and(|v| v > -1.0 && v < 0.0)); // (1, 4) is off the line
/// // a series that does not vary: 0, TA-Lib's convention
/// let flat = Correl::new(3)?.batch(&[(1.0, 7.0), (1.0, 8.0), (1.0, 6.0)]);
/// assert_eq!(flat.map_err(|e| e.error)?[2], Some(0.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite value (field
/// `price0` or `price1`), state unchanged.
///
/// # References
///
/// TA-Lib `TA_CORREL`; K. Pearson (1895).
#[doc(alias = "CORREL")]
#[doc(alias = "correlation")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Correl<T = f64> {
    window: PairWindow<T>,
}
checked_deserialize!(Correl<T> { window: PairWindow<T> });

impl<T: Float> Invariants for Correl<T> {
    fn check(&self) -> Result<()> {
        self.window.check()
    }
}

impl<T: Float> Correl<T> {
    /// Correlation over `period` pairs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is 0.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Correl {
            window: PairWindow::new(check_period("period", period, 1)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.window.period()
    }
}

impl<T: Float> Indicator for Correl<T> {
    type Input = (T, T);
    type Output = T;
    #[inline]
    fn update(&mut self, (x, y): (T, T)) -> Result<Option<T>> {
        let x = variance_input("price0", x)?;
        let y = variance_input("price1", y)?;
        self.window.push(x, y);
        if !self.window.is_full() {
            return Ok(None);
        }
        let m = self.window.moments();
        let eps = T::from_f64(TA_EPSILON);
        Ok(Some(if m.cxx > eps * m.sxx && m.cyy > eps * m.syy {
            // Two square roots, not one of the product: no underflow or
            // overflow of cxx·cyy for very small or very large inputs.
            let r = m.cxy / (m.cxx.sqrt() * m.cyy.sqrt());
            r.max(-T::one()).min(T::one())
        } else {
            T::zero()
        }))
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

impl<T: Float> Default for Correl<T> {
    /// CORREL(30), TA-Lib's default.
    fn default() -> Self {
        Correl {
            window: PairWindow::new(30),
        }
    }
}

impl<T: Float> fmt::Display for Correl<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CORREL({})", self.window.period())
    }
}
