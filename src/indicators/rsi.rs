//! Relative strength index.

use core::fmt;

use crate::error::check_period;
use crate::float::{finite, is_finite_fast, smooth};
use crate::indicator::run_batch;
use crate::window::{state_ok, Invariants};
use crate::{BatchError, Float, Indicator, Result};

/// Relative strength index (RSI), Wilder's, as TA-Lib's `RSI`.
///
/// Momentum oscillator in [0, 100]: the share of recent movement that was
/// upward. Below 30 is classically oversold, above 70 overbought; in the
/// small-cap rotation analysis dips to 35–42 mark entries.
///
/// # Formula
///
/// ```text
/// Δ      = close[t] − close[t−1]
/// gain   = max(Δ, 0),  loss = max(−Δ, 0)
/// G, L   = mean of the first n gains / losses       (seed, from n changes)
/// G      = (G·(n − 1) + gain) / n                   (Wilder smoothing, α = 1/n)
/// L      = (L·(n − 1) + loss) / n
/// RSI    = 100 · G / (G + L)
/// ```
///
/// Edge cases: L = 0 < G gives 100; G = 0 < L gives 0; **G = L = 0 (a flat
/// window) gives 50**, the neutral value. TA-Lib 0.8.2 returns 0 there (newer
/// upstream TA-Lib returns 50) and also returns 0 whenever G + L < 1e-14;
/// this crate computes the ratio for any G + L > 0.
///
/// # Warm-up
///
/// Lookback n: the first value comes with the (n+1)-th close, after n changes.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 14).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Rsi};
/// # fn main() -> apex_ta::Result<()> {
/// let mut rsi = Rsi::<f64>::new(2)?;
/// assert_eq!(rsi.update(10.0)?, None);
/// assert_eq!(rsi.update(11.0)?, None);
/// let v = rsi.update(10.5)?.expect("warmed up"); // G = 0.5, L = 0.25
/// assert!((v - 100.0 * 0.5 / 0.75).abs() < 1e-12);
/// assert!(rsi.update(f64::NAN).is_err()); // rejected, state unchanged
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite close
/// ([`Error::NonFinite`](crate::Error::NonFinite)), state unchanged.
///
/// # References
///
/// J. Welles Wilder, *New Concepts in Technical Trading Systems* (1978);
/// TA-Lib `TA_RSI`.
#[doc(alias = "RSI")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Rsi<T = f64> {
    period: usize,
    alpha: T,
    /// Closes seen, saturating at `period + 1` (then every update yields).
    seen: usize,
    /// Previous close (meaningful once `seen > 0`).
    prev: T,
    /// Sum of gains while warming up, then the smoothed average gain.
    gain: T,
    /// Sum of losses while warming up, then the smoothed average loss.
    loss: T,
}
checked_deserialize!(Rsi<T> {
    period: usize,
    alpha: T,
    seen: usize,
    prev: T,
    gain: T,
    loss: T,
});

impl<T: Float> Invariants for Rsi<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            (1..=crate::MAX_PERIOD).contains(&self.period),
            "RSI period outside 1..=MAX_PERIOD",
        )?;
        state_ok(self.seen <= self.period + 1, "RSI count exceeds period")?;
        state_ok(
            self.alpha == T::one() / T::from_usize(self.period),
            "RSI alpha inconsistent with period",
        )?;
        state_ok(
            self.prev.is_finite()
                && self.gain.is_finite()
                && self.loss.is_finite()
                && self.gain >= T::zero()
                && self.loss >= T::zero(),
            "RSI averages non-finite or negative",
        )
    }
}

impl<T: Float> Rsi<T> {
    /// RSI over `period` changes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 1)?))
    }
    fn with_period(period: usize) -> Self {
        Rsi {
            period,
            alpha: T::one() / T::from_usize(period),
            seen: 0,
            prev: T::zero(),
            gain: T::zero(),
            loss: T::zero(),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
    /// Average gain and average loss, once warmed up.
    pub fn averages(&self) -> Option<(T, T)> {
        self.is_ready().then_some((self.gain, self.loss))
    }

    /// Runs the RSI over `closes`, one value per close into `out`, `NaN`
    /// while warming up: TA-Lib's batch call, continuing from this
    /// instance's state.
    ///
    /// Bit for bit what [`update`](Indicator::update) gives close by close,
    /// without its per-call overhead: closes are checked a chunk at a time
    /// and nothing is allocated (unlike [`Indicator::batch`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::Rsi;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let closes = [10.0, 11.0, 10.5, 11.5];
    /// let mut out = [0.0_f64; 4];
    /// Rsi::new(2)?.batch_into(&closes, &mut out)?;
    /// assert!(out[0].is_nan() && out[1].is_nan()); // lookback 2
    /// assert!((out[2] - 100.0 * 0.5 / 0.75).abs() < 1e-12);
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
        out: &mut [T],
    ) -> core::result::Result<(), BatchError> {
        /// One step of the run (validated close), NaN while warming up.
        #[allow(clippy::inline_always)] // two call sites; both must inline
        #[inline(always)]
        fn step<T: Float>(s: &mut Rsi<T>, &x: &T) -> T {
            rsi_step(
                s.period,
                s.alpha,
                &mut s.seen,
                &mut s.prev,
                &mut s.gain,
                &mut s.loss,
                x,
            )
            .unwrap_or_else(T::nan)
        }
        /// One step once warmed up.
        #[allow(clippy::inline_always)] // two call sites; both must inline
        #[inline(always)]
        fn steady<T: Float>(s: &mut Rsi<T>, &x: &T) -> T {
            rsi_steady(s.alpha, &mut s.prev, &mut s.gain, &mut s.loss, x)
        }
        let warm = if self.is_ready() { 0 } else { self.period + 1 };
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

/// `max(x, 0)` for finite `x`, written so that it vectorises.
#[inline]
pub(crate) fn positive_part<T: Float>(x: T) -> T {
    if x > T::zero() {
        x
    } else {
        T::zero()
    }
}

/// RSI from the two averages; 50 when both are zero.
#[inline]
pub(crate) fn rsi_value<T: Float>(gain: T, loss: T) -> T {
    let total = gain + loss;
    if total > T::zero() {
        T::from_f64(100.0) * (gain / total)
    } else {
        T::from_f64(50.0)
    }
}

/// One warmed-up RSI step on plain state. Shared by [`Rsi`] and the
/// universe form so both give bit-identical values.
#[inline]
pub(crate) fn rsi_steady<T: Float>(
    alpha: T,
    prev: &mut T,
    gain: &mut T,
    loss: &mut T,
    close: T,
) -> T {
    let change = close - *prev;
    *prev = close;
    let keep = T::one() - alpha;
    *gain = smooth(*gain, keep, positive_part(change) * alpha);
    *loss = smooth(*loss, keep, positive_part(-change) * alpha);
    rsi_value(*gain, *loss)
}

/// One RSI step on plain state, warm-up included (finite `close`).
/// `seen` counts closes, saturating at `period + 1`.
#[inline]
pub(crate) fn rsi_step<T: Float>(
    period: usize,
    alpha: T,
    seen: &mut usize,
    prev: &mut T,
    gain: &mut T,
    loss: &mut T,
    close: T,
) -> Option<T> {
    if *seen > period {
        return Some(rsi_steady(alpha, prev, gain, loss, close));
    }
    let first = *seen == 0;
    let change = close - *prev;
    *prev = close;
    *seen += 1;
    if first {
        return None;
    }
    *gain = *gain + positive_part(change);
    *loss = *loss + positive_part(-change);
    if *seen <= period {
        return None;
    }
    let n = T::from_usize(period);
    *gain = *gain / n;
    *loss = *loss / n;
    Some(rsi_value(*gain, *loss))
}

impl<T: Float> Indicator for Rsi<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, close: T) -> Result<Option<T>> {
        let close = finite("close", close)?;
        Ok(rsi_step(
            self.period,
            self.alpha,
            &mut self.seen,
            &mut self.prev,
            &mut self.gain,
            &mut self.loss,
            close,
        ))
    }
    fn reset(&mut self) {
        *self = Self::with_period(self.period);
    }
    fn lookback(&self) -> usize {
        self.period
    }
    fn is_ready(&self) -> bool {
        self.seen > self.period
    }
}

impl<T: Float> Default for Rsi<T> {
    /// RSI(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Rsi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RSI({})", self.period)
    }
}
