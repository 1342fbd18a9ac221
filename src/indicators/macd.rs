//! Moving average convergence/divergence.

use core::fmt;

use crate::error::{check_period, invalid_period};
use crate::float::{finite, is_finite_fast, smooth};
use crate::indicator::run_batch;
use crate::window::{state_ok, Invariants};
use crate::{BatchError, Float, Indicator, Result};

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
    params: MacdParams<T>,
    /// Inputs seen, saturating at the slow period.
    count: usize,
    /// Fast EMA (its seed sum while warming up).
    fast: T,
    /// Slow EMA (its seed sum while warming up).
    slow: T,
    /// MACD values seen by the signal EMA, saturating at its period.
    signal_count: usize,
    /// Signal EMA (its seed sum while warming up).
    signal: T,
}
checked_deserialize!(Macd<T> {
    params: MacdParams<T>,
    count: usize,
    fast: T,
    slow: T,
    signal_count: usize,
    signal: T,
});

impl<T: Float> Invariants for Macd<T> {
    fn check(&self) -> Result<()> {
        self.params.check()?;
        state_ok(
            self.count <= self.params.slow && self.signal_count <= self.params.signal,
            "MACD counts exceed periods",
        )?;
        // The update that completes the slow window also feeds the signal.
        state_ok(
            (self.signal_count == 0) == (self.count < self.params.slow),
            "MACD warm-up inconsistent",
        )?;
        state_ok(
            self.fast.is_finite() && self.slow.is_finite() && self.signal.is_finite(),
            "non-finite MACD state",
        )
    }
}

/// MACD's periods and smoothing factors, shared by [`Macd`] and the universe
/// form.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct MacdParams<T> {
    pub(crate) fast: usize,
    pub(crate) slow: usize,
    pub(crate) signal: usize,
    kf: T,
    ks: T,
    kg: T,
}

fn ema_alpha<T: Float>(n: usize) -> T {
    T::from_f64(2.0) / T::from_usize(n + 1)
}

impl<T: Float> MacdParams<T> {
    pub(crate) fn new(fast: usize, slow: usize, signal: usize) -> Result<Self> {
        check_period("fast", fast, 1)?;
        check_period("slow", slow, 2)?;
        check_period("signal", signal, 1)?;
        if fast >= slow {
            return Err(invalid_period("slow", slow, "must be greater than `fast`"));
        }
        Ok(Self::unchecked(fast, slow, signal))
    }
    fn unchecked(fast: usize, slow: usize, signal: usize) -> Self {
        MacdParams {
            fast,
            slow,
            signal,
            kf: ema_alpha(fast),
            ks: ema_alpha(slow),
            kg: ema_alpha(signal),
        }
    }
    pub(crate) fn lookback(&self) -> usize {
        self.slow - 1 + self.signal - 1
    }
}

impl<T: Float> Invariants for MacdParams<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            self.fast >= 1
                && self.signal >= 1
                && self.fast < self.slow
                && self.slow <= crate::MAX_PERIOD
                && self.signal <= crate::MAX_PERIOD,
            "MACD periods invalid",
        )?;
        state_ok(
            *self == Self::unchecked(self.fast, self.slow, self.signal),
            "MACD smoothing factors inconsistent with periods",
        )
    }
}

/// One warmed-up MACD step on plain state (shared with the universe form, so
/// both give bit-identical values).
#[inline]
pub(crate) fn macd_steady<T: Float>(
    p: &MacdParams<T>,
    fast: &mut T,
    slow: &mut T,
    signal: &mut T,
    x: T,
) -> MacdOutput<T> {
    *fast = smooth(*fast, T::one() - p.kf, x * p.kf);
    *slow = smooth(*slow, T::one() - p.ks, x * p.ks);
    let macd = *fast - *slow;
    *signal = smooth(*signal, T::one() - p.kg, macd * p.kg);
    MacdOutput {
        macd,
        signal: *signal,
        histogram: macd - *signal,
    }
}

/// One MACD step on plain state, warm-up included (finite `x`).
#[inline]
pub(crate) fn macd_step<T: Float>(
    p: &MacdParams<T>,
    count: &mut usize,
    fast: &mut T,
    slow: &mut T,
    signal_count: &mut usize,
    signal: &mut T,
    x: T,
) -> Option<MacdOutput<T>> {
    if *signal_count == p.signal {
        return Some(macd_steady(p, fast, slow, signal, x));
    }
    let macd = if *count == p.slow {
        *fast = smooth(*fast, T::one() - p.kf, x * p.kf);
        *slow = smooth(*slow, T::one() - p.ks, x * p.ks);
        *fast - *slow
    } else {
        // Warm-up: accumulate the slow window; the fast seed is its tail.
        *count += 1;
        *slow = *slow + x;
        if *count > p.slow - p.fast {
            *fast = *fast + x;
        }
        if *count < p.slow {
            return None;
        }
        *fast = *fast / T::from_usize(p.fast);
        *slow = *slow / T::from_usize(p.slow);
        *fast - *slow
    };
    // The signal EMA's own warm-up: seeded with the mean of its first values.
    *signal = *signal + macd;
    *signal_count += 1;
    if *signal_count < p.signal {
        return None;
    }
    *signal = *signal / T::from_usize(p.signal);
    Some(MacdOutput {
        macd,
        signal: *signal,
        histogram: macd - *signal,
    })
}

impl<T: Float> Macd<T> {
    /// MACD with the given EMA periods.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `fast` or
    /// `signal` is 0 or `fast >= slow`.
    pub fn new(fast: usize, slow: usize, signal: usize) -> Result<Self> {
        Ok(Self::from_params(MacdParams::new(fast, slow, signal)?))
    }
    fn from_params(params: MacdParams<T>) -> Self {
        Macd {
            params,
            count: 0,
            fast: T::zero(),
            slow: T::zero(),
            signal_count: 0,
            signal: T::zero(),
        }
    }
    /// The fast EMA period.
    pub fn fast_period(&self) -> usize {
        self.params.fast
    }
    /// The slow EMA period.
    pub fn slow_period(&self) -> usize {
        self.params.slow
    }
    /// The signal EMA period.
    pub fn signal_period(&self) -> usize {
        self.params.signal
    }

    /// Runs MACD over `closes`, one output per close into `out` (all three
    /// fields `NaN` while warming up): TA-Lib's batch call, continuing from
    /// this instance's state.
    ///
    /// Bit for bit what [`update`](Indicator::update) gives close by close,
    /// without its per-call overhead: closes are checked a chunk at a time
    /// and nothing is allocated (unlike [`Indicator::batch`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Macd, MacdOutput};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let closes: Vec<f64> = (0..40).map(|i| 100.0 + f64::from(i % 5)).collect();
    /// let nan = MacdOutput { macd: f64::NAN, signal: f64::NAN, histogram: f64::NAN };
    /// let mut out = vec![nan; closes.len()];
    /// Macd::new(12, 26, 9)?.batch_into(&closes, &mut out)?;
    /// assert!(out[32].macd.is_nan() && !out[33].macd.is_nan()); // lookback 33
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) at index 0,
    /// nothing consumed, if `out.len() != closes.len()`.
    /// [`Error::NonFinite`](crate::Error::NonFinite) with the index of the
    /// first non-finite close: the closes before it were consumed and
    /// written, the state is as after the last of them, and `out` from the
    /// index on is untouched.
    pub fn batch_into(
        &mut self,
        closes: &[T],
        out: &mut [MacdOutput<T>],
    ) -> core::result::Result<(), BatchError> {
        /// One step of the run (validated close), NaN while warming up.
        #[allow(clippy::inline_always)] // two call sites; both must inline
        #[inline(always)]
        fn step<T: Float>(s: &mut Macd<T>, &x: &T) -> MacdOutput<T> {
            let nan = T::nan();
            macd_step(
                &s.params,
                &mut s.count,
                &mut s.fast,
                &mut s.slow,
                &mut s.signal_count,
                &mut s.signal,
                x,
            )
            .unwrap_or(MacdOutput {
                macd: nan,
                signal: nan,
                histogram: nan,
            })
        }
        /// One step once warmed up.
        #[allow(clippy::inline_always)] // two call sites; both must inline
        #[inline(always)]
        fn steady<T: Float>(s: &mut Macd<T>, &x: &T) -> MacdOutput<T> {
            macd_steady(&s.params, &mut s.fast, &mut s.slow, &mut s.signal, x)
        }
        let warm = if self.is_ready() {
            0
        } else {
            self.params.lookback() + 1
        };
        // The state lives in a local copy for the run (registers, not memory
        // the compiler must assume `out` may alias) and is written back after.
        let mut s = self.clone();
        let result = run_batch::<true, _, _, _>(
            &mut s,
            closes,
            out,
            |&x| is_finite_fast(x),
            |&x| finite("close", x).map(drop),
            warm,
            step,
            steady,
        );
        *self = s;
        result
    }
}

impl<T: Float> Indicator for Macd<T> {
    type Input = T;
    type Output = MacdOutput<T>;
    #[inline]
    fn update(&mut self, close: T) -> Result<Option<MacdOutput<T>>> {
        let x = finite("close", close)?;
        Ok(macd_step(
            &self.params,
            &mut self.count,
            &mut self.fast,
            &mut self.slow,
            &mut self.signal_count,
            &mut self.signal,
            x,
        ))
    }
    fn reset(&mut self) {
        *self = Self::from_params(self.params);
    }
    fn lookback(&self) -> usize {
        self.params.lookback()
    }
    fn is_ready(&self) -> bool {
        self.signal_count == self.params.signal
    }
}

impl<T: Float> Default for Macd<T> {
    /// MACD(12, 26, 9).
    fn default() -> Self {
        Self::from_params(MacdParams::unchecked(12, 26, 9))
    }
}

impl<T: Float> fmt::Display for Macd<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MACD({}, {}, {})",
            self.params.fast, self.params.slow, self.params.signal
        )
    }
}
