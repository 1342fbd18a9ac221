//! True range, average true range and normalised ATR.

use core::fmt;

use crate::error::check_period;
use crate::float::smooth;
use crate::indicator::run_batch;
use crate::window::{state_ok, Invariants};
use crate::{Bar, BatchError, Float, Indicator, Result};

/// True range (TR), TA-Lib's `TRANGE`: a bar's range, widened to include a
/// gap from the previous close.
///
/// # Formula
///
/// ```text
/// TR = max(high − low, |high − close[t−1]|, |low − close[t−1]|)
/// ```
///
/// # Warm-up
///
/// Lookback 1: the first bar has no previous close and produces no value
/// (its `high − low` is never used, as in TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, TrueRange};
/// # fn main() -> apex_ta::Result<()> {
/// let mut tr = TrueRange::<f64>::new();
/// assert_eq!(tr.update(Bar::new(10.0, 11.0, 9.0, 10.0, 0.0))?, None);
/// // gap up: the range 12..13 is widened down to the previous close 10
/// assert_eq!(tr.update(Bar::new(12.0, 13.0, 12.0, 12.5, 0.0))?, Some(3.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `update` rejects a non-finite or inconsistent bar
/// ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// J. Welles Wilder (1978); TA-Lib `TA_TRANGE`.
#[doc(alias = "TRANGE")]
#[doc(alias = "TR")]
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TrueRange<T = f64> {
    prev_close: Option<T>,
    ready: bool,
}
checked_deserialize!(TrueRange<T> { prev_close: Option<T>, ready: bool });

impl<T: Float> Invariants for TrueRange<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            self.prev_close
                .map_or(!self.ready, num_traits::Float::is_finite),
            "true range state inconsistent",
        )
    }
}

impl<T: Float> TrueRange<T> {
    /// A true-range calculator (it has no parameters).
    pub fn new() -> Self {
        TrueRange {
            prev_close: None,
            ready: false,
        }
    }
    /// True range of an already validated bar; updates the previous close.
    #[inline]
    pub(crate) fn push(&mut self, bar: &Bar<T>) -> Option<T> {
        let tr = self.prev_close.map(|pc| true_range(bar.high, bar.low, pc));
        self.prev_close = Some(bar.close);
        self.ready = tr.is_some();
        tr
    }
}

impl<T: Float> Indicator for TrueRange<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        Ok(self.push(&bar))
    }
    fn reset(&mut self) {
        *self = Self::new();
    }
    fn lookback(&self) -> usize {
        1
    }
    fn is_ready(&self) -> bool {
        self.ready
    }
}

impl<T> fmt::Display for TrueRange<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TRANGE")
    }
}

/// Average true range (ATR), Wilder's, as TA-Lib's `ATR`.
///
/// Volatility in price units: the Wilder-smoothed [`TrueRange`]. ≥ 0. For
/// ATR as a percentage of price see [`Natr`].
///
/// # Formula
///
/// ```text
/// ATR = mean(TR[1..=n])                    at bar n (the seed; bar 0 has no TR)
/// ATR = (ATR·(n − 1) + TR) / n             afterwards (α = 1/n)
/// ```
///
/// # Warm-up
///
/// Lookback n (one bar for the first previous close, n − 1 more for the seed).
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 14).
///
/// # Examples
///
/// ```
/// use apex_ta::{Atr, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut atr = Atr::new(2)?;
/// let bars = [
///     Bar::new(10.0, 11.0, 9.0, 10.0, 1.0),
///     Bar::new(10.0, 12.0, 10.0, 11.0, 1.0), // TR 2
///     Bar::new(11.0, 11.5, 10.5, 11.0, 1.0), // TR 1 → seed 1.5
///     Bar::new(11.0, 14.0, 11.0, 13.5, 1.0), // TR 3 → (1.5 + 3)/2
/// ];
/// let out = atr.batch(&bars).map_err(|e| e.error)?;
/// assert_eq!(out, vec![None, None, Some(1.5), Some(2.25)]);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite or inconsistent bar,
/// state unchanged.
///
/// # References
///
/// J. Welles Wilder (1978); TA-Lib `TA_ATR`.
#[doc(alias = "ATR")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Atr<T = f64> {
    period: usize,
    alpha: T,
    /// Bars seen, saturating at `period + 1` (then every update yields).
    seen: usize,
    prev_close: T,
    /// Sum of true ranges while warming up, then the ATR.
    value: T,
}
checked_deserialize!(Atr<T> {
    period: usize,
    alpha: T,
    seen: usize,
    prev_close: T,
    value: T,
});

impl<T: Float> Invariants for Atr<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            (1..=crate::MAX_PERIOD).contains(&self.period),
            "ATR period outside 1..=MAX_PERIOD",
        )?;
        state_ok(self.seen <= self.period + 1, "ATR count exceeds period")?;
        state_ok(
            self.alpha == T::one() / T::from_usize(self.period),
            "ATR alpha inconsistent with period",
        )?;
        state_ok(
            self.prev_close.is_finite() && self.value.is_finite() && self.value >= T::zero(),
            "ATR state non-finite or negative",
        )
    }
}

/// True range against the previous close: `max(h, pc) − min(l, pc)`, which
/// equals `max(h − l, |h − pc|, |l − pc|)` bit for bit when `h ≥ l` (each
/// case reduces to the same single subtraction).
#[inline]
pub(crate) fn true_range<T: Float>(high: T, low: T, prev_close: T) -> T {
    let top = if high > prev_close { high } else { prev_close };
    let bottom = if low < prev_close { low } else { prev_close };
    top - bottom
}

/// One warmed-up ATR step on plain state (shared with the universe form).
#[inline]
pub(crate) fn atr_steady<T: Float>(
    alpha: T,
    prev_close: &mut T,
    atr: &mut T,
    high: T,
    low: T,
    close: T,
) -> T {
    let tr = true_range(high, low, *prev_close);
    *prev_close = close;
    *atr = smooth(*atr, T::one() - alpha, tr * alpha);
    *atr
}

/// One ATR step on plain state, warm-up included (validated bar).
// Plain scalars, not a struct: the universe form keeps each field in its own
// array so the steady step vectorises across symbols.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn atr_step<T: Float>(
    period: usize,
    alpha: T,
    seen: &mut usize,
    prev_close: &mut T,
    atr: &mut T,
    high: T,
    low: T,
    close: T,
) -> Option<T> {
    if *seen > period {
        return Some(atr_steady(alpha, prev_close, atr, high, low, close));
    }
    let first = *seen == 0;
    let tr = true_range(high, low, *prev_close);
    *prev_close = close;
    *seen += 1;
    if first {
        return None;
    }
    *atr = *atr + tr;
    if *seen <= period {
        return None;
    }
    *atr = *atr / T::from_usize(period);
    Some(*atr)
}

impl<T: Float> Atr<T> {
    /// ATR over `period` true ranges.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 1)?))
    }
    fn with_period(period: usize) -> Self {
        Atr {
            period,
            alpha: T::one() / T::from_usize(period),
            seen: 0,
            prev_close: T::zero(),
            value: T::zero(),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
    /// The current ATR, if warmed up.
    pub fn value(&self) -> Option<T> {
        self.is_ready().then_some(self.value)
    }
    /// Runs the ATR over `bars`, one value per bar into `out`, `NaN` while
    /// warming up: TA-Lib's batch call, continuing from this instance's
    /// state.
    ///
    /// Bit for bit what [`update`](Indicator::update) gives bar by bar,
    /// without its per-call overhead: bars are checked a chunk at a time and
    /// nothing is allocated (unlike [`Indicator::batch`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Atr, Bar};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let bars = [
    ///     Bar::new(10.0, 11.0, 9.0, 10.0, 1.0),
    ///     Bar::new(10.0, 12.0, 10.0, 11.0, 1.0), // TR 2
    ///     Bar::new(11.0, 11.5, 10.5, 11.0, 1.0), // TR 1 → seed 1.5
    ///     Bar::new(11.0, 14.0, 11.0, 13.5, 1.0), // TR 3 → (1.5 + 3)/2
    /// ];
    /// let mut out = [0.0_f64; 4];
    /// Atr::new(2)?.batch_into(&bars, &mut out)?;
    /// assert!(out[0].is_nan() && out[1].is_nan());
    /// assert_eq!(&out[2..], &[1.5, 2.25]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) at index 0,
    /// nothing consumed, if `out.len() != bars.len()`. The error
    /// [`Bar::validate`] gives, with the index of the first invalid bar: the
    /// bars before it were consumed and written, the state is as after the
    /// last of them, and `out` from the index on is untouched.
    pub fn batch_into(
        &mut self,
        bars: &[Bar<T>],
        out: &mut [T],
    ) -> core::result::Result<(), BatchError> {
        /// One step of the run (validated bar), NaN while warming up.
        #[allow(clippy::inline_always)] // two call sites; both must inline
        #[inline(always)]
        fn step<T: Float>(s: &mut Atr<T>, b: &Bar<T>) -> T {
            s.push(b).unwrap_or_else(T::nan)
        }
        /// One step once warmed up.
        #[allow(clippy::inline_always)] // two call sites; both must inline
        #[inline(always)]
        fn steady<T: Float>(s: &mut Atr<T>, b: &Bar<T>) -> T {
            atr_steady(
                s.alpha,
                &mut s.prev_close,
                &mut s.value,
                b.high,
                b.low,
                b.close,
            )
        }
        let warm = if self.is_ready() { 0 } else { self.period + 1 };
        // The state lives in a local copy for the run (registers, not memory
        // the compiler must assume `out` may alias) and is written back after.
        let mut s = self.clone();
        let result = run_batch::<false, _, _, _>(
            &mut s,
            bars,
            out,
            Bar::looks_valid,
            Bar::validate,
            warm,
            step,
            steady,
        );
        *self = s;
        result
    }
    #[inline]
    pub(crate) fn push(&mut self, bar: &Bar<T>) -> Option<T> {
        atr_step(
            self.period,
            self.alpha,
            &mut self.seen,
            &mut self.prev_close,
            &mut self.value,
            bar.high,
            bar.low,
            bar.close,
        )
    }
}

impl<T: Float> Indicator for Atr<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        Ok(self.push(&bar))
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

impl<T: Float> Default for Atr<T> {
    /// ATR(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Atr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ATR({})", self.period)
    }
}

/// Normalised ATR (NATR), TA-Lib's `NATR`: [`Atr`] as a percentage of the
/// close.
///
/// Makes volatility comparable across price levels; the small-cap analysis
/// reads 1.5–2.5 % as IWM's normal band.
///
/// # Formula
///
/// ```text
/// NATR = 100 · ATR / close          (0 when close = 0, as TA-Lib)
/// ```
///
/// # Warm-up
///
/// Lookback n, as [`Atr`].
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 14).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, Natr};
/// # fn main() -> apex_ta::Result<()> {
/// let mut natr = Natr::new(1)?;
/// natr.update(Bar::new(100.0, 101.0, 99.0, 100.0, 0.0))?;
/// assert_eq!(natr.update(Bar::new(100.0, 101.0, 99.0, 100.0, 0.0))?, Some(2.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// As [`Atr`], and, once warmed up, a bar whose close is so small against
/// the ATR that `100 · ATR / close` overflows (a close of 1e-300 with an ATR
/// of 1e10): [`Error::NonFinite`](crate::Error::NonFinite), field `natr`,
/// state unchanged.
///
/// # References
///
/// TA-Lib `TA_NATR`.
#[doc(alias = "NATR")]
#[doc(alias = "ATR%")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Natr<T = f64> {
    atr: Atr<T>,
}
checked_deserialize!(Natr<T> { atr: Atr<T> });

impl<T: Float> Invariants for Natr<T> {
    fn check(&self) -> Result<()> {
        self.atr.check()
    }
}

impl<T: Float> Natr<T> {
    /// NATR over `period` true ranges.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Natr {
            atr: Atr::new(period)?,
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.atr.period()
    }
    /// The underlying ATR in price units, if warmed up.
    pub fn atr(&self) -> Option<T> {
        self.atr.value()
    }
}

/// For a bar whose NATR overflowed (a close so small against the ATR): the
/// ATR state to restore, passed through, and the error naming the output,
/// as AD names its overflowing total.
#[cold]
#[inline(never)]
fn natr_overflow<T: Float>(saved: (usize, T, T), natr: T) -> ((usize, T, T), crate::Error) {
    (
        saved,
        crate::Error::NonFinite {
            field: "natr",
            value: natr.to_f64(),
        },
    )
}

/// `100 · atr / close`, 0 for a zero close (TA-Lib's convention).
#[inline]
pub(crate) fn natr<T: Float>(atr: T, close: T) -> T {
    if close == T::zero() {
        T::zero()
    } else {
        atr / close * T::from_f64(100.0)
    }
}

impl<T: Float> Indicator for Natr<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        // The step in place, undone (three scalars) if its NATR overflows.
        let saved = (self.atr.seen, self.atr.prev_close, self.atr.value);
        let Some(a) = self.atr.push(&bar) else {
            return Ok(None);
        };
        let v = natr(a, bar.close);
        if crate::float::is_finite_fast(v) {
            Ok(Some(v))
        } else {
            // Undone through a cold call: a select here would put the
            // division on the ATR's update chain (measured 2.0 → 3.7 ns per
            // update), and a call taking `self` would keep it in memory.
            let ((seen, prev_close, value), e) = natr_overflow(saved, v);
            (self.atr.seen, self.atr.prev_close, self.atr.value) = (seen, prev_close, value);
            Err(e)
        }
    }
    fn reset(&mut self) {
        self.atr.reset();
    }
    fn lookback(&self) -> usize {
        self.atr.lookback()
    }
    fn is_ready(&self) -> bool {
        self.atr.is_ready()
    }
}

impl<T: Float> Default for Natr<T> {
    /// NATR(14).
    fn default() -> Self {
        Natr {
            atr: Atr::default(),
        }
    }
}

impl<T> fmt::Display for Natr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NATR({})", self.atr.period)
    }
}
