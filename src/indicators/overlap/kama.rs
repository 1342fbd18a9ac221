//! Kaufman adaptive moving average.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Float, Indicator, Result};

/// TA-Lib's zero band for the volatility sum (`TA_IS_ZERO`).
const ZERO_BAND: f64 = 1e-14;

/// Kaufman adaptive moving average (KAMA), TA-Lib's `KAMA`.
///
/// An EMA whose smoothing factor follows the market's efficiency: close to
/// a 2-period EMA while the price trends cleanly, close to a 30-period EMA
/// (almost still) while it chops. Same units as the input.
///
/// # Formula
///
/// ```text
/// ER   = |x[t] − x[t−n]| / Σ_{i=t−n+1..t} |x[i] − x[i−1]|   (efficiency ratio)
///        ER = 1 when the sum is within 1e-14 of zero or ≤ x[t] − x[t−n]
/// sc   = (ER · (2/3 − 2/31) + 2/31)²                       (fast 2, slow 30)
/// KAMA = KAMA[t−1] + sc · (x[t] − KAMA[t−1])
///        seed: KAMA[n−1] = x[n−1], so the first value is
///        x[n−1] + sc · (x[n] − x[n−1])
/// ```
///
/// The volatility sum is kept in O(1) per update and recomputed exactly
/// from the window once per cycle, so it cannot drift.
///
/// # Warm-up
///
/// Lookback n: the first value needs n price changes. Period 1 gives the
/// input back exactly, with lookback 0.
///
/// **TA-Lib quirks (matched):** the previous close stands in for the
/// previous KAMA at the first value; a volatility sum within 1e-14 of zero
/// (a flat window) counts as perfectly efficient (ER = 1); period 1 copies
/// the input. TA-Lib's "unstable period" for KAMA is 0 (its default).
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, as TA-Lib). The fast and slow constants
///   are TA-Lib's fixed 2 and 30.
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Kama};
/// # fn main() -> apex_ta::Result<()> {
/// let mut kama = Kama::new(2)?;
/// // A clean trend is fully efficient: sc = (2/3)², from the previous close.
/// let out = kama.batch(&[1.0, 2.0, 3.0]).map_err(|e| e.error)?;
/// let sc = (2.0_f64 / 3.0).powi(2);
/// assert!((out[2].expect("warmed up") - (2.0 + sc * (3.0 - 2.0))).abs() < 1e-12);
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
/// P. J. Kaufman, *Smarter Trading* (1995); TA-Lib `TA_KAMA`.
#[doc(alias = "KAMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Kama<T = f64> {
    period: usize,
    /// The last n + 1 inputs.
    window: Ring<T>,
    /// Σ |x[i] − x[i−1]| over the consecutive pairs in the window.
    volatility: T,
    /// The last KAMA (meaningful once ready).
    value: T,
}
checked_deserialize!(Kama<T> {
    period: usize,
    window: Ring<T>,
    volatility: T,
    value: T,
});

impl<T: Float> Invariants for Kama<T> {
    fn check(&self) -> Result<()> {
        self.window.check()?;
        state_ok(
            self.period >= 1 && self.window.capacity() == self.period.saturating_add(1),
            "KAMA window inconsistent with period",
        )?;
        state_ok(
            self.volatility.is_finite() && self.value.is_finite(),
            "invalid KAMA state",
        )
    }
}

impl<T: Float> Kama<T> {
    /// A KAMA over `period` price changes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        let period = check_period("period", period, 1)?;
        Ok(Self::unchecked(period))
    }
    fn unchecked(period: usize) -> Self {
        Kama {
            period,
            window: Ring::new(period.saturating_add(1)),
            volatility: T::zero(),
            value: T::zero(),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
    /// The volatility sum recomputed from the window.
    #[cold]
    #[inline(never)]
    fn resum(&mut self) {
        let mut prev: Option<T> = None;
        let mut sum = T::zero();
        for x in self.window.iter() {
            if let Some(p) = prev {
                sum = sum + (x - p).abs();
            }
            prev = Some(x);
        }
        self.volatility = sum;
    }
}

impl<T: Float> Indicator for Kama<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        let n = self.period;
        if n == 1 {
            self.window.push(x);
            return Ok(Some(x));
        }
        let held = self.window.len();
        if let Some(prev) = self.window.back(0) {
            // Leaving the window: the change between its two oldest values.
            if let (true, Some(a), Some(b)) = (
                self.window.is_full(),
                self.window.back(n),
                self.window.back(n - 1),
            ) {
                self.volatility = self.volatility - (b - a).abs();
            }
            self.volatility = self.volatility + (x - prev).abs();
        }
        let ready = held >= n;
        if ready {
            let prev_kama = if held == n {
                // TA-Lib's seed: the previous close is the previous KAMA.
                self.window.back(0).unwrap_or(x)
            } else {
                self.value
            };
            let change = x - self.window.back(n - 1).unwrap_or(x);
            let er = if self.volatility <= change || self.volatility.abs() < T::from_f64(ZERO_BAND)
            {
                T::one()
            } else {
                (change / self.volatility).abs()
            };
            let slow = T::from_f64(2.0 / 31.0);
            let diff = T::from_f64(2.0 / 3.0) - slow;
            let sc = er * diff + slow;
            let sc = sc * sc;
            self.value = (x - prev_kama) * sc + prev_kama;
        }
        self.window.push(x);
        if self.window.wrapped() {
            self.resum();
        }
        Ok(ready.then_some(self.value))
    }
    fn reset(&mut self) {
        self.window.clear();
        self.volatility = T::zero();
        self.value = T::zero();
    }
    fn lookback(&self) -> usize {
        if self.period == 1 {
            0
        } else {
            self.period
        }
    }
    fn is_ready(&self) -> bool {
        self.window.len() > self.lookback()
    }
}

impl<T: Float> Default for Kama<T> {
    /// KAMA(30), TA-Lib's default.
    fn default() -> Self {
        Self::unchecked(30)
    }
}

impl<T: Float> fmt::Display for Kama<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KAMA({})", self.period)
    }
}
