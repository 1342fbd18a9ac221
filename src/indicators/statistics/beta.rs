//! Rolling beta of two series' returns.

use core::fmt;

use super::pair::PairWindow;
use super::TA_EPSILON;
use crate::error::check_period;
use crate::float::{finite, variance_input};
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result};

/// Beta, TA-Lib's `BETA`: the least-squares slope of the second series'
/// one-bar returns on the first series' returns over the last n returns.
///
/// Input `(price0, price1)` per bar: price0 is the market (index), price1 the
/// instrument, as in TA-Lib. A beta of 1 means the instrument's returns move
/// one for one with the market's; unbounded, dimensionless.
///
/// # Formula
///
/// ```text
/// x = price0 / price0[t−1] − 1            (0 when |price0[t−1]| < 1e-14)
/// y = price1 / price1[t−1] − 1            (0 when |price1[t−1]| < 1e-14)
/// over the last n (x, y):
/// BETA = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)²
///      = 0 when Σ (x − x̄)² ≤ 1e-14 · Σ (x − a)²    (no variation in x)
/// ```
///
/// (each return computed as TA-Lib does, `(p − p[t−1]) / p[t−1]`).
///
/// **TA-Lib quirks**, matched: a return from a previous price within 1e-14
/// of zero counts as 0; a window whose market returns do not vary gives 0,
/// not a division by zero (tested against the sum of squares about the
/// anchor `a` the sums are kept from, so the boundary can differ from
/// TA-Lib's by rounding); and it is the *first* input's returns that are the
/// regressor (TA-Lib's description once had the roles reversed).
///
/// Kept as running sums of deviations from an anchor (a return of the
/// window, re-chosen near the window's mean once per window and whenever the
/// market returns' variance collapses), so nothing drifts and precision does
/// not depend on the returns' mean: the market returns' variance keeps a
/// relative error below ~2n·256·ε (ε = 2.2e-16 for `f64`, 1.2e-7 for
/// `f32`), and the covariance an error below that fraction of
/// sqrt(Σ (x − x̄)² · Σ (y − ȳ)²). Updates are O(1) except a re-anchoring,
/// O(n), once per window (plus one each time an outlier return leaves the
/// window).
///
/// # Warm-up
///
/// Lookback n: n returns need n + 1 prices.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 5, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Beta, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut beta = Beta::new(3)?;
/// // the instrument moves exactly twice as much as the market, in percent
/// let market = [100.0, 101.0, 99.99, 102.9897, 101.959803];
/// let stock = [50.0, 51.0, 49.98, 52.9788, 51.919224];
/// let mut last = None;
/// for (&m, &s) in market.iter().zip(&stock) {
///     last = beta.update((m, s))?;
/// }
/// assert!((last.unwrap_or(f64::NAN) - 2.0).abs() < 1e-9);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0. `update` rejects, state unchanged, a non-finite
/// price ([`Error::NonFinite`](crate::Error::NonFinite), field `price0` or
/// `price1`) and a pair whose return, which enters the window's sums of
/// squares, overflows (a price just above 1e-14 followed by a huge one:
/// [`Error::NonFinite`](crate::Error::NonFinite)) or exceeds 1e150 in
/// magnitude (`f32`: 1e16; [`Error::OutOfRange`](crate::Error::OutOfRange)),
/// field `price0 return` or `price1 return`.
///
/// # References
///
/// TA-Lib `TA_BETA`; W. F. Sharpe, "Capital asset prices", *Journal of
/// Finance* 19 (1964).
#[doc(alias = "BETA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Beta<T = f64> {
    /// The previous (price0, price1).
    prev: Option<(T, T)>,
    /// The last n (market return, instrument return).
    window: PairWindow<T>,
}
checked_deserialize!(Beta<T> { prev: Option<(T, T)>, window: PairWindow<T> });

impl<T: Float> Invariants for Beta<T> {
    fn check(&self) -> Result<()> {
        self.window.check()?;
        match self.prev {
            Some((p0, p1)) => state_ok(p0.is_finite() && p1.is_finite(), "non-finite BETA price"),
            None => state_ok(self.window.len() == 0, "BETA returns without a price"),
        }
    }
}

/// TA-Lib's one-bar return: `(p − prev) / prev`, 0 when `prev` is within
/// TA_EPSILON of 0.
#[inline]
fn ret<T: Float>(field: &'static str, prev: T, p: T) -> Result<T> {
    let eps = T::from_f64(TA_EPSILON);
    if -eps < prev && prev < eps {
        return Ok(T::zero());
    }
    // A return enters the window's sums of squares: it is a variance
    // input (an overflowing one is infinite and fails the same test).
    variance_input(field, (p - prev) / prev)
}

impl<T: Float> Beta<T> {
    /// Beta over `period` returns.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is 0.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Beta {
            prev: None,
            window: PairWindow::new(check_period("period", period, 1)?),
        })
    }
    /// The period n (returns per window).
    pub fn period(&self) -> usize {
        self.window.period()
    }
}

impl<T: Float> Indicator for Beta<T> {
    type Input = (T, T);
    type Output = T;
    #[inline]
    fn update(&mut self, (p0, p1): (T, T)) -> Result<Option<T>> {
        let p0 = finite("price0", p0)?;
        let p1 = finite("price1", p1)?;
        if let Some((q0, q1)) = self.prev {
            let x = ret("price0 return", q0, p0)?;
            let y = ret("price1 return", q1, p1)?;
            self.window.push(x, y);
        }
        self.prev = Some((p0, p1));
        if !self.window.is_full() {
            return Ok(None);
        }
        let m = self.window.moments();
        Ok(Some(if m.cxx > T::from_f64(TA_EPSILON) * m.sxx {
            m.cxy / m.cxx
        } else {
            T::zero()
        }))
    }
    fn reset(&mut self) {
        self.prev = None;
        self.window.clear();
    }
    fn lookback(&self) -> usize {
        self.window.period()
    }
    fn is_ready(&self) -> bool {
        self.window.is_full()
    }
}

impl<T: Float> Default for Beta<T> {
    /// BETA(5), TA-Lib's default.
    fn default() -> Self {
        Beta {
            prev: None,
            window: PairWindow::new(5),
        }
    }
}

impl<T: Float> fmt::Display for Beta<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BETA({})", self.window.period())
    }
}
