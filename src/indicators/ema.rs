//! Exponential moving average, and the SMA-seeded smoother shared with Wilder.

use core::fmt;

use crate::error::check_period;
use crate::float::{finite, smooth};
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result};

/// SMA-seeded exponential smoother `e += α·(x − e)`: the engine of [`Ema`]
/// (α = 2/(n+1)), [`Wilder`](crate::Wilder) (α = 1/n) and the smoothed parts
/// of RSI, MACD and ATR.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct Smoother<T> {
    pub(crate) period: usize,
    pub(crate) alpha: T,
    /// Inputs seen, saturating at `period`.
    count: usize,
    /// Sum of the seed inputs while warming up, then the smoothed value.
    pub(crate) value: T,
}
checked_deserialize!(Smoother<T> { period: usize, alpha: T, count: usize, value: T });

impl<T: Float> Invariants for Smoother<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            (1..=crate::MAX_PERIOD).contains(&self.period),
            "smoother period outside 1..=MAX_PERIOD",
        )?;
        state_ok(self.count <= self.period, "smoother count exceeds period")?;
        state_ok(
            self.alpha > T::zero() && self.alpha <= T::one(),
            "smoother alpha outside (0, 1]",
        )?;
        state_ok(self.value.is_finite(), "non-finite smoother value")
    }
}

impl<T: Float> Smoother<T> {
    /// `period >= 1` is the caller's invariant.
    pub(crate) fn new(period: usize, alpha: T) -> Self {
        Smoother {
            period: period.max(1),
            alpha,
            count: 0,
            value: T::zero(),
        }
    }
    /// This smoother's parameters with `value` as its state (the APEX
    /// universe's lock-step ratio lanes hand a symbol's EMA over).
    pub(crate) fn with_value(&self, value: T) -> Self {
        Smoother { value, ..*self }
    }
    /// [`push`](Self::push)'s count: one more input, saturating at the period.
    pub(crate) fn count_input(&mut self) {
        self.count = (self.count + 1).min(self.period);
    }
    pub(crate) fn ema(period: usize) -> Self {
        Self::new(period, T::from_f64(2.0) / T::from_usize(period + 1))
    }
    pub(crate) fn wilder(period: usize) -> Self {
        Self::new(period, T::one() / T::from_usize(period))
    }
    #[inline]
    pub(crate) fn period(&self) -> usize {
        self.period
    }
    #[inline]
    pub(crate) fn is_ready(&self) -> bool {
        self.count == self.period
    }
    #[inline]
    pub(crate) fn value(&self) -> Option<T> {
        self.is_ready().then_some(self.value)
    }
    /// Feeds a finite value (the caller validates).
    #[inline]
    pub(crate) fn push(&mut self, x: T) -> Option<T> {
        if self.count == self.period {
            // `e·(1 − α) + α·x` rather than `e + α·(x − e)`: the same value to
            // an ulp, one dependent operation fewer per update.
            self.value = smooth(self.value, T::one() - self.alpha, x * self.alpha);
            Some(self.value)
        } else {
            self.value = self.value + x;
            self.count += 1;
            if self.count == self.period {
                self.value = self.value / T::from_usize(self.period);
                Some(self.value)
            } else {
                None
            }
        }
    }
    pub(crate) fn reset(&mut self) {
        self.count = 0;
        self.value = T::zero();
    }
}

/// Exponential moving average (EMA), TA-Lib's `EMA`.
///
/// Weights recent inputs more: each new input moves the average a fixed
/// fraction α = 2/(n+1) of the way towards it. Same units as the input.
///
/// # Formula
///
/// ```text
/// α     = 2 / (n + 1)
/// EMA   = mean(x[0..n])              at input n−1 (the seed)
/// EMA  += α · (x − EMA)              for every later input
/// ```
///
/// # Warm-up
///
/// Lookback n − 1: the first value is produced by the n-th input.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 20 for [`Default`]; TA-Lib's default is 30).
///
/// # Examples
///
/// ```
/// use apex_ta::{Ema, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut ema = Ema::new(3)?;
/// assert_eq!(ema.update(1.0)?, None);
/// assert_eq!(ema.update(2.0)?, None);
/// assert_eq!(ema.update(3.0)?, Some(2.0)); // seed: mean of 1, 2, 3
/// assert_eq!(ema.update(6.0)?, Some(4.0)); // 2 + 0.5·(6 − 2)
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0. `update` rejects a non-finite input
/// ([`Error::NonFinite`](crate::Error::NonFinite)); the state is unchanged.
///
/// # References
///
/// TA-Lib `TA_EMA` (default compatibility: SMA seed).
#[doc(alias = "EMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ema<T = f64> {
    inner: Smoother<T>,
}
checked_deserialize!(Ema<T> { inner: Smoother<T> });

impl<T: Float> Invariants for Ema<T> {
    fn check(&self) -> Result<()> {
        self.inner.check()?;
        state_ok(
            self.inner.alpha == T::from_f64(2.0) / T::from_usize(self.inner.period + 1),
            "EMA alpha inconsistent with period",
        )
    }
}

impl<T: Float> Ema<T> {
    /// An EMA over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Ema {
            inner: Smoother::ema(check_period("period", period, 1)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.inner.period()
    }
    /// The smoothing factor α = 2/(n+1).
    pub fn alpha(&self) -> T {
        self.inner.alpha
    }
    /// The current value, if warmed up.
    pub fn value(&self) -> Option<T> {
        self.inner.value()
    }
}

impl<T: Float> Indicator for Ema<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        Ok(self.inner.push(finite("close", x)?))
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

impl<T: Float> Default for Ema<T> {
    /// EMA(20).
    fn default() -> Self {
        Ema {
            inner: Smoother::ema(20),
        }
    }
}

impl<T> fmt::Display for Ema<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EMA({})", self.inner.period)
    }
}
