//! Moving average convergence/divergence.

use core::fmt;

use crate::error::{check_period, invalid_period};
use crate::float::finite;
use crate::indicators::Smoother;
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result};

/// One MACD value: the line, its signal and their difference.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MacdOutput<T = f64> {
    /// MACD line: fast EMA − slow EMA.
    pub macd: T,
    /// Signal line: EMA of the MACD line.
    pub signal: T,
    /// Histogram: MACD line − signal line.
    pub histogram: T,
}

/// Moving average convergence/divergence (MACD), exactly as TA-Lib's `MACD`.
///
/// Trend-following momentum: the gap between a fast and a slow EMA of the
/// close (the MACD line), an EMA of that gap (the signal line) and their
/// difference (the histogram). Price units; crosses zero.
///
/// # Formula
///
/// ```text
/// kf = 2/(fast+1), ks = 2/(slow+1), kg = 2/(signal+1)
/// at input slow−1 (both EMAs start together):
///     slowEMA = mean(x[0 .. slow])
///     fastEMA = mean(x[slow−fast .. slow])    ← the last `fast` inputs of that window
/// afterwards  EMA += k·(x − EMA) for both
/// macd      = fastEMA − slowEMA
/// signal    = EMA(signal) of macd, seeded with the mean of its first `signal` values
/// histogram = macd − signal
/// ```
///
/// The fast EMA's seed is TA-Lib's: it is **not** an EMA(fast) started at
/// input `fast−1`, so MACD here (and in TA-Lib) differs from
/// `EMA(12) − EMA(26)` during the first few hundred inputs; the difference
/// decays geometrically.
///
/// # Warm-up
///
/// Lookback (slow − 1) + (signal − 1): 33 for 12/26/9. Line, signal and
/// histogram all appear at that input, as in TA-Lib.
///
/// # Parameters
///
/// * `fast` ≥ 1, `slow` > `fast`, `signal` ≥ 1 (defaults 12, 26, 9).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Macd};
/// # fn main() -> apex_ta::Result<()> {
/// let mut macd = Macd::new(12, 26, 9)?;
/// assert_eq!(macd.lookback(), 33);
/// let mut last = None;
/// for i in 0..34 {
///     last = macd.update(100.0 + i as f64)?;  // a steady uptrend
/// }
/// let m = last.expect("ready after 34 inputs");
/// assert!(m.macd > 0.0);
/// assert_eq!(m.histogram, m.macd - m.signal);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects `fast == 0`, `signal == 0` and `fast >= slow`
/// ([`Error::InvalidParameter`](crate::Error::InvalidParameter)). `update`
/// rejects a non-finite close, state unchanged.
///
/// # References
///
/// Gerald Appel, *Technical Analysis: Power Tools for Active Investors*
/// (2005); TA-Lib `TA_MACD` (`TA_INT_MACD`).
#[doc(alias = "MACD")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Macd<T = f64> {
    fast: Smoother<T>,
    slow: Smoother<T>,
    signal: Smoother<T>,
    /// Inputs seen, saturating at the slow period.
    count: usize,
}
checked_deserialize!(Macd<T> { fast: Smoother<T>, slow: Smoother<T>, signal: Smoother<T>, count: usize });

impl<T: Float> Invariants for Macd<T> {
    fn check(&self) -> Result<()> {
        self.fast.check()?;
        self.slow.check()?;
        self.signal.check()?;
        let (f, s) = (self.fast.period, self.slow.period);
        state_ok(f < s, "MACD fast period not below slow")?;
        state_ok(self.count <= s, "MACD count exceeds slow period")?;
        for sm in [&self.fast, &self.slow, &self.signal] {
            state_ok(
                sm.alpha == T::from_f64(2.0) / T::from_usize(sm.period + 1),
                "MACD alpha inconsistent with period",
            )?;
        }
        state_ok(
            (self.count == s) == (self.fast.is_ready() && self.slow.is_ready()),
            "MACD warm-up inconsistent",
        )
    }
}

impl<T: Float> Macd<T> {
    /// MACD with the given EMA periods.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `fast` or
    /// `signal` is 0 or `fast >= slow`.
    pub fn new(fast: usize, slow: usize, signal: usize) -> Result<Self> {
        check_period("fast", fast, 1)?;
        check_period("signal", signal, 1)?;
        if fast >= slow {
            return Err(invalid_period("slow", slow, "must be greater than `fast`"));
        }
        Ok(Self::with_periods(fast, slow, signal))
    }
    fn with_periods(fast: usize, slow: usize, signal: usize) -> Self {
        Macd {
            fast: Smoother::ema(fast),
            slow: Smoother::ema(slow),
            signal: Smoother::ema(signal),
            count: 0,
        }
    }
    /// The fast EMA period.
    pub fn fast_period(&self) -> usize {
        self.fast.period
    }
    /// The slow EMA period.
    pub fn slow_period(&self) -> usize {
        self.slow.period
    }
    /// The signal EMA period.
    pub fn signal_period(&self) -> usize {
        self.signal.period
    }
}

impl<T: Float> Indicator for Macd<T> {
    type Input = T;
    type Output = MacdOutput<T>;
    #[inline]
    fn update(&mut self, close: T) -> Result<Option<MacdOutput<T>>> {
        let x = finite("close", close)?;
        let (fast, slow) = if self.count == self.slow.period {
            // Hot path: both EMAs running.
            match (self.fast.push(x), self.slow.push(x)) {
                (Some(f), Some(s)) => (f, s),
                _ => return Ok(None), // unreachable: both are seeded
            }
        } else {
            // Warm-up: accumulate the slow window; the fast seed is its tail.
            // The smoothers' warm-up sums are used as plain accumulators here.
            self.count += 1;
            self.slow.value = self.slow.value + x;
            if self.count > self.slow.period - self.fast.period {
                self.fast.value = self.fast.value + x;
            }
            if self.count < self.slow.period {
                return Ok(None);
            }
            let f = self.fast.value / T::from_usize(self.fast.period);
            let s = self.slow.value / T::from_usize(self.slow.period);
            self.fast.seed(f);
            self.slow.seed(s);
            (f, s)
        };
        let macd = fast - slow;
        Ok(self.signal.push(macd).map(|signal| MacdOutput {
            macd,
            signal,
            histogram: macd - signal,
        }))
    }
    fn reset(&mut self) {
        self.fast.reset();
        self.slow.reset();
        self.signal.reset();
        self.count = 0;
    }
    fn lookback(&self) -> usize {
        self.slow.period - 1 + self.signal.period - 1
    }
    fn is_ready(&self) -> bool {
        self.signal.is_ready()
    }
}

impl<T: Float> Default for Macd<T> {
    /// MACD(12, 26, 9).
    fn default() -> Self {
        Self::with_periods(12, 26, 9)
    }
}

impl<T> fmt::Display for Macd<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MACD({}, {}, {})",
            self.fast.period, self.slow.period, self.signal.period
        )
    }
}
