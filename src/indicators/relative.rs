//! Relative strength between two instruments: ratio and return spread.

use core::fmt;

use crate::error::check_period;
use crate::float::{normal_positive, positive, ratio_in_range};
use crate::indicators::Smoother;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Float, Indicator, Result};

/// One [`RelativeRatio`] value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RelativeRatioOutput<T = f64> {
    /// `a / b`.
    pub ratio: T,
    /// EMA(n) of the ratio.
    pub ema: T,
    /// `100 · (ratio / ema − 1)`: percent above (+) or below (−) its trend.
    pub distance_pct: T,
}

/// Relative ratio of two instruments (e.g. IWM/SPY) with its EMA trend.
///
/// The IWM/SPY ratio is the market's rate-cut gauge in the small-cap rotation
/// analysis: a ratio rising above its trend means small caps are being bid
/// relative to large caps.
///
/// # Formula
///
/// ```text
/// ratio        = a / b
/// ema          = EMA_n(ratio)            (α = 2/(n+1), SMA seed, as Ema)
/// distance_pct = 100 · (ratio / ema − 1)
/// ```
///
/// # Warm-up
///
/// Lookback n − 1 (the EMA's).
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 50).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, RelativeRatio};
/// # fn main() -> apex_ta::Result<()> {
/// let mut rr = RelativeRatio::<f64>::new(2)?;
/// assert_eq!(rr.update((50.0, 100.0))?, None);
/// let out = rr.update((60.0, 100.0))?.expect("warmed up");
/// assert_eq!(out.ratio, 0.6);
/// assert!((out.ema - 0.55).abs() < 1e-15);
/// assert!(rr.update((60.0, 0.0)).is_err()); // benchmark must be > 0
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0. `update` rejects, state unchanged, a non-finite
/// leg ([`Error::NonFinite`](crate::Error::NonFinite)), a leg ≤ 0
/// ([`Error::NonPositive`](crate::Error::NonPositive)), a subnormal
/// benchmark (below `f64::MIN_POSITIVE`, 2.2e-308; `f32`: 1.2e-38), a
/// ratio that overflows ([`Error::NonFinite`](crate::Error::NonFinite),
/// field `ratio`) and one outside [1e-300, 1e300] (`f32`: [1e-30, 1e30]),
/// which would vanish or make the EMA's seed sum overflow
/// ([`Error::OutOfRange`](crate::Error::OutOfRange), field `benchmark` or
/// `ratio`). Within that range the EMA and `distance_pct` are finite: the
/// EMA is a weighted mean of ratios in range, and `ratio / ema` is at most
/// about n.
///
/// # References
///
/// Relative strength (comparative) line; no TA-Lib twin (defined by this crate).
#[doc(alias = "relative strength")]
#[doc(alias = "ratio")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RelativeRatio<T = f64> {
    ema: Smoother<T>,
}
checked_deserialize!(RelativeRatio<T> { ema: Smoother<T> });

impl<T: Float> Invariants for RelativeRatio<T> {
    fn check(&self) -> Result<()> {
        self.ema.check()?;
        state_ok(
            self.ema.alpha == T::from_f64(2.0) / T::from_usize(self.ema.period + 1),
            "ratio EMA alpha inconsistent with period",
        )?;
        state_ok(self.ema.value >= T::zero(), "negative ratio EMA")
    }
}

impl<T: Float> RelativeRatio<T> {
    /// Ratio with an EMA trend over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(RelativeRatio {
            ema: Smoother::ema(check_period("period", period, 1)?),
        })
    }
    /// The EMA period n.
    pub fn period(&self) -> usize {
        self.ema.period
    }
}

impl<T: Float> Indicator for RelativeRatio<T> {
    /// `(target, benchmark)`, e.g. `(iwm_close, spy_close)`.
    type Input = (T, T);
    type Output = RelativeRatioOutput<T>;
    #[inline]
    fn update(&mut self, (a, b): (T, T)) -> Result<Option<RelativeRatioOutput<T>>> {
        let a = positive("target", a)?;
        let b = normal_positive("benchmark", b)?;
        ratio_in_range("ratio", a / b)?;
        Ok(self.push(a, b))
    }
    fn reset(&mut self) {
        self.ema.reset();
    }
    fn lookback(&self) -> usize {
        self.ema.period - 1
    }
    fn is_ready(&self) -> bool {
        self.ema.is_ready()
    }
}

impl<T: Float> RelativeRatio<T> {
    /// Its EMA (the APEX universe's lock-step ratio lanes keep one per symbol).
    pub(crate) fn ema(&self) -> &Smoother<T> {
        &self.ema
    }
    /// From its EMA.
    pub(crate) fn from_ema(ema: Smoother<T>) -> Self {
        RelativeRatio { ema }
    }
    /// [`update`](Indicator::update) for legs the caller has checked to be
    /// finite and > 0.
    #[inline]
    pub(crate) fn push(&mut self, a: T, b: T) -> Option<RelativeRatioOutput<T>> {
        let ratio = a / b;
        self.ema.push(ratio).map(|ema| RelativeRatioOutput {
            ratio,
            ema,
            distance_pct: T::from_f64(100.0) * (ratio / ema - T::one()),
        })
    }
}

impl<T: Float> Default for RelativeRatio<T> {
    /// RelativeRatio(50).
    fn default() -> Self {
        RelativeRatio {
            ema: Smoother::ema(50),
        }
    }
}

impl<T> fmt::Display for RelativeRatio<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RATIO({})", self.ema.period)
    }
}

/// Relative performance: the n-bar return of one instrument minus another's
/// (e.g. IWM vs QQQ over 20 days, the breadth gauge of the small-cap analysis).
///
/// Positive when the target outperformed the benchmark over the last n bars.
/// A fraction, not a percentage (0.02 = two percentage points).
///
/// # Formula
///
/// ```text
/// spread = (a[t] / a[t−n] − 1) − (b[t] / b[t−n] − 1)
/// ```
///
/// # Warm-up
///
/// Lookback n.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 20).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, RelativePerformance};
/// # fn main() -> apex_ta::Result<()> {
/// let mut rp = RelativePerformance::<f64>::new(1)?;
/// rp.update((100.0, 200.0))?;
/// let spread = rp.update((110.0, 204.0))?.expect("warmed up");
/// assert!((spread - (0.10 - 0.02)).abs() < 1e-12); // +10 % vs +2 %
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0. `update` rejects, state unchanged, a non-finite
/// leg or a leg ≤ 0, and a pair whose growth over the n bars, `a/a[t−n]`
/// or `b/b[t−n]`, overflows ([`Error::NonFinite`](crate::Error::NonFinite))
/// or is outside [1e-300, 1e300] (`f32`: [1e-30, 1e30];
/// [`Error::OutOfRange`](crate::Error::OutOfRange)), field `target growth`
/// or `benchmark growth`. The spread is then finite.
///
/// # References
///
/// Defined by this crate (no TA-Lib twin); equals TA-Lib `ROCR(n)` of the
/// target minus `ROCR(n)` of the benchmark.
#[doc(alias = "relative return")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RelativePerformance<T = f64> {
    target: Ring<T>,
    benchmark: Ring<T>,
}
checked_deserialize!(RelativePerformance<T> { target: Ring<T>, benchmark: Ring<T> });

impl<T: Float> Invariants for RelativePerformance<T> {
    fn check(&self) -> Result<()> {
        self.target.check()?;
        self.benchmark.check()?;
        state_ok(
            self.target.capacity() >= 2
                && self.target.capacity() == self.benchmark.capacity()
                && self.target.len() == self.benchmark.len(),
            "relative performance windows inconsistent",
        )?;
        state_ok(
            self.target
                .iter()
                .chain(self.benchmark.iter())
                .all(|x| x > T::zero()),
            "non-positive price in relative performance window",
        )
    }
}

impl<T: Float> RelativePerformance<T> {
    /// Return spread over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        let n = check_period("period", period, 1)?;
        Ok(Self::with_period(n))
    }
    fn with_period(n: usize) -> Self {
        RelativePerformance {
            target: Ring::new(n + 1),
            benchmark: Ring::new(n + 1),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.target.capacity() - 1
    }
}

impl<T: Float> Indicator for RelativePerformance<T> {
    /// `(target, benchmark)`, e.g. `(iwm_close, qqq_close)`.
    type Input = (T, T);
    type Output = T;
    #[inline]
    fn update(&mut self, (a, b): (T, T)) -> Result<Option<T>> {
        let a = positive("target", a)?;
        let b = positive("benchmark", b)?;
        // Once full after this push, the oldest value held is the one the
        // ring now holds `capacity − 2` back: its growth ratios must be in
        // range (a price of 1e-300 then one of 1e300 would overflow).
        let cap = self.target.capacity();
        if self.target.len() + 1 >= cap {
            if let (Some(a0), Some(b0)) = (
                self.target.back(cap.saturating_sub(2)),
                self.benchmark.back(cap.saturating_sub(2)),
            ) {
                ratio_in_range("target growth", a / a0)?;
                ratio_in_range("benchmark growth", b / b0)?;
            }
        }
        Ok(self.push(a, b))
    }
    fn reset(&mut self) {
        self.target.clear();
        self.benchmark.clear();
    }
    fn lookback(&self) -> usize {
        self.period()
    }
    fn is_ready(&self) -> bool {
        self.target.is_full()
    }
}

impl<T: Float> RelativePerformance<T> {
    /// [`update`](Indicator::update) for legs the caller has checked to be
    /// finite and > 0.
    #[inline]
    /// From its two rings (the APEX universe's lock-step windows hand a
    /// symbol over); `None` unless they have one capacity ≥ 2.
    pub(crate) fn from_rings(target: Ring<T>, benchmark: Ring<T>) -> Option<Self> {
        (target.capacity() >= 2 && target.capacity() == benchmark.capacity())
            .then_some(RelativePerformance { target, benchmark })
    }
    pub(crate) fn push(&mut self, a: T, b: T) -> Option<T> {
        self.target.push(a);
        self.benchmark.push(b);
        // Once full, the oldest value is the one `period` bars back.
        match (self.target.oldest(), self.benchmark.oldest()) {
            (Some(a0), Some(b0)) => Some(return_spread(a, a0, b, b0)),
            _ => None,
        }
    }
}

/// The return of `a` since `a0` minus that of `b` since `b0`:
/// `(a/a0 − 1) − (b/b0 − 1)`, [`RelativePerformance`]'s output (also of
/// the APEX universe's lock-step rows).
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised rows
pub(crate) fn return_spread<T: Float>(a: T, a0: T, b: T, b0: T) -> T {
    (a / a0 - T::one()) - (b / b0 - T::one())
}

impl<T: Float> Default for RelativePerformance<T> {
    /// RelativePerformance(20).
    fn default() -> Self {
        Self::with_period(20)
    }
}

impl<T: Float> fmt::Display for RelativePerformance<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RELPERF({})", self.period())
    }
}
