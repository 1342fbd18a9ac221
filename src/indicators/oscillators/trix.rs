//! TRIX: rate of change of a triple EMA.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::indicators::Smoother;
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result};

/// TRIX, TA-Lib's `TRIX`: the one-bar rate of change, in percent, of a
/// triple-smoothed EMA of the close.
///
/// Momentum with the noise smoothed out three times: positive while the
/// triple EMA rises. Unbounded (typically a fraction of a percent), crosses
/// zero.
///
/// # Formula
///
/// ```text
/// e1   = EMA(close, n),  e2 = EMA(e1, n),  e3 = EMA(e2, n)     (α = 2/(n+1))
/// TRIX = (e3[t] / e3[t−1] − 1) · 100
/// TRIX = 0                             when e3[t−1] = 0
/// ```
///
/// Each EMA is seeded, as TA-Lib's, with the mean of its first n inputs:
/// e2 with the first n values of e1, e3 with the first n values of e2.
/// TA-Lib quirk, matched: a previous e3 of exactly 0 gives 0.
///
/// # Warm-up
///
/// Lookback `3·(n − 1) + 1` (88 for n = 30): the three EMA seeds, then one
/// more close for the first change.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, TA-Lib's default).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Trix};
/// # fn main() -> apex_ta::Result<()> {
/// let mut trix = Trix::new(1)?; // EMA(1) is the close itself
/// let out = trix.batch(&[4.0, 5.0, 2.5]).map_err(|e| e.error)?;
/// assert_eq!(out, vec![None, Some(25.0), Some(-50.0)]);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0. `update` rejects, state unchanged, a non-finite
/// close, and one whose TRIX overflows (a triple EMA of 1e-300 followed by
/// one of 1e300): [`Error::NonFinite`](crate::Error::NonFinite), field
/// `close` or `trix`.
///
/// # References
///
/// Jack Hutson, *Technical Analysis of Stocks & Commodities* (1983); TA-Lib
/// `TA_TRIX`.
#[doc(alias = "TRIX")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Trix<T = f64> {
    /// Closes seen, saturating at the lookback + 1 (then every update yields).
    seen: usize,
    e1: Smoother<T>,
    e2: Smoother<T>,
    e3: Smoother<T>,
    /// The previous e3 (meaningful once e3 is seeded).
    prev: T,
}
checked_deserialize!(Trix<T> {
    seen: usize,
    e1: Smoother<T>,
    e2: Smoother<T>,
    e3: Smoother<T>,
    prev: T,
});

impl<T: Float> Invariants for Trix<T> {
    fn check(&self) -> Result<()> {
        self.e1.check()?;
        self.e2.check()?;
        self.e3.check()?;
        let n = self.e1.period();
        let alpha = T::from_f64(2.0) / T::from_usize(n + 1);
        state_ok(
            [&self.e1, &self.e2, &self.e3]
                .iter()
                .all(|e| e.period() == n && e.alpha == alpha),
            "TRIX averages inconsistent with period",
        )?;
        state_ok(self.seen <= 3 * (n - 1) + 2, "TRIX count exceeds lookback")?;
        // Each stage is seeded exactly when enough closes have been seen.
        state_ok(
            self.e1.is_ready() == (self.seen >= n)
                && self.e2.is_ready() == (self.seen > 2 * (n - 1))
                && self.e3.is_ready() == (self.seen > 3 * (n - 1)),
            "TRIX warm-up inconsistent with count",
        )?;
        state_ok(self.prev.is_finite(), "non-finite TRIX state")
    }
}

impl<T: Float> Trix<T> {
    /// TRIX over a triple EMA of `period`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 1)?))
    }
    fn with_period(period: usize) -> Self {
        Trix {
            seen: 0,
            e1: Smoother::ema(period),
            e2: Smoother::ema(period),
            e3: Smoother::ema(period),
            prev: T::zero(),
        }
    }
    /// The period n of each EMA.
    pub fn period(&self) -> usize {
        self.e1.period()
    }
}

impl<T: Float> Trix<T> {
    /// One step of a validated close.
    #[inline]
    fn step(&mut self, close: T) -> Option<T> {
        let lookback = self.lookback();
        self.seen = (self.seen + 1).min(lookback + 1);
        let e3 = self
            .e1
            .push(close)
            .and_then(|e1| self.e2.push(e1))
            .and_then(|e2| self.e3.push(e2))?;
        let prev = core::mem::replace(&mut self.prev, e3);
        if self.seen <= lookback {
            return None; // e3 was just seeded: no previous value yet
        }
        Some(if prev == T::zero() {
            T::zero()
        } else {
            (e3 / prev - T::one()) * T::from_f64(100.0)
        })
    }
}

impl<T: Float> Indicator for Trix<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, close: T) -> Result<Option<T>> {
        let close = finite("close", close)?;
        // Stepped on a copy (three smoothers and two scalars, no heap) and
        // kept only if the change is finite: a triple EMA of 1e-300 then
        // one of 1e300 would overflow it.
        let mut next = self.clone();
        let out = next.step(close);
        if let Some(v) = out.filter(|v| !v.is_finite()) {
            return Err(crate::Error::NonFinite {
                field: "trix",
                value: v.to_f64(),
            });
        }
        *self = next;
        Ok(out)
    }
    fn reset(&mut self) {
        *self = Self::with_period(self.e1.period());
    }
    fn lookback(&self) -> usize {
        3 * (self.e1.period() - 1) + 1
    }
    fn is_ready(&self) -> bool {
        self.seen > self.lookback()
    }
}

impl<T: Float> Default for Trix<T> {
    /// TRIX(30), TA-Lib's default.
    fn default() -> Self {
        Self::with_period(30)
    }
}

impl<T> fmt::Display for Trix<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TRIX({})", self.e1.period)
    }
}
