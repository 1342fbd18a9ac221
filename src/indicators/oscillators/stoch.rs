//! Stochastic oscillators: STOCH (slow), STOCHF (fast) and STOCHRSI.

use core::fmt;

use super::{average, TALIB_EPSILON};
use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Bar, Float, Indicator, MaType, MovingAverage, Result, Rsi};

/// The two lines of a stochastic oscillator, each in [0, 100].
///
/// Which TA-Lib outputs they are depends on the indicator:
///
/// | indicator | `k` | `d` |
/// |---|---|---|
/// | [`Stoch`] | `slowk` | `slowd` |
/// | [`StochF`] | `fastk` | `fastd` |
/// | [`StochRsi`] | `fastk` | `fastd` |
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StochOutput<T = f64> {
    /// %K, the stochastic line: TA-Lib's `slowk` for [`Stoch`], `fastk` for
    /// [`StochF`] and [`StochRsi`].
    pub k: T,
    /// %D, the signal line (a moving average of `k`): TA-Lib's `slowd` for
    /// [`Stoch`], `fastd` for [`StochF`] and [`StochRsi`].
    pub d: T,
}

/// Raw %K: where the close sits in the range of the last n highs and lows.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
struct FastK<T> {
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
}
checked_deserialize!(FastK<T> {
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
});

impl<T: Float> Invariants for FastK<T> {
    fn check(&self) -> Result<()> {
        self.highs.check()?;
        self.lows.check()?;
        state_ok(
            self.highs.capacity() == self.lows.capacity()
                && self.highs.count() == self.lows.count(),
            "stochastic high and low windows out of step",
        )
    }
}

impl<T: Float> FastK<T> {
    /// `period >= 1` is the caller's invariant.
    fn new(period: usize) -> Self {
        FastK {
            highs: MonoDeque::new(period),
            lows: MonoDeque::new(period),
        }
    }
    fn period(&self) -> usize {
        self.highs.capacity()
    }
    fn is_ready(&self) -> bool {
        self.highs.count() >= self.period() as u64
    }
    /// Feeds one (high, low, close) and returns %K once the window is full.
    #[inline]
    fn push(&mut self, high: T, low: T, close: T) -> Option<T> {
        self.highs.push(high);
        self.lows.push(low);
        if !self.is_ready() {
            return None;
        }
        let (highest, _) = self.highs.extreme()?;
        let (lowest, _) = self.lows.extreme()?;
        Some(fast_k(highest, lowest, close))
    }
    fn clear(&mut self) {
        self.highs.clear();
        self.lows.clear();
    }
}

/// TA-Lib's %K: `(close − lowest) / ((highest − lowest) / 100)`, 0 when the
/// range is zero within `TA_IS_ZERO_SCALED` (1e-14 of `|highest| + |lowest|`),
/// capped at 100 (the division can round a close at the highest high an ulp
/// above it; TA-Lib returns that ulp).
///
/// Always finite: a range that overflows makes the scale overflow too and
/// counts as zero, and a range so small that `/ 100` underflows gives 0.
#[inline]
fn fast_k<T: Float>(highest: T, lowest: T, close: T) -> T {
    let range = highest - lowest;
    if range.abs() <= T::from_f64(TALIB_EPSILON) * (highest.abs() + lowest.abs()) {
        return T::zero();
    }
    let diff = range / T::from_f64(100.0);
    let k = (close - lowest) / diff;
    let hundred = T::from_f64(100.0);
    if diff > T::zero() && k.is_finite() {
        if k > hundred {
            hundred
        } else {
            k
        }
    } else {
        T::zero()
    }
}

/// `ready ⇒ upstream ready`, as a state check.
fn chain_ok(downstream: bool, upstream: bool) -> Result<()> {
    state_ok(
        !downstream || upstream,
        "stochastic smoothing warmed up before its input",
    )
}

/// Stochastic oscillator, slow (STOCH), as TA-Lib's `STOCH`.
///
/// Where the close sits in the range of the last n bars, 0 at the lowest
/// low, 100 at the highest high, smoothed once (%K slow) and smoothed again
/// (%D slow). In [0, 100]; above 80 classically overbought, below 20
/// oversold.
///
/// # Formula
///
/// ```text
/// HH, LL = highest high, lowest low of the last fastk_period bars
/// fastK  = (close − LL) / ((HH − LL) / 100)
/// fastK  = 0                 when |HH − LL| ≤ 1e-14 · (|HH| + |LL|)
/// fastK  = min(fastK, 100)
/// k      = MA(fastK, slowk_period, slowk_matype)             (slowk)
/// d      = MA(k, slowd_period, slowd_matype)                 (slowd)
/// ```
///
/// An EMA here is seeded with the mean of its first `period` inputs, so
/// the %K average starts at the first fastK and the %D one at the first k.
///
/// TA-Lib quirk, matched: a flat window (no range, to TA-Lib's relative
/// `TA_IS_ZERO_SCALED` test) gives fastK = 0, not the neutral 50. The cap
/// at 100 removes the one-ulp overshoot TA-Lib's division can leave when the
/// close is the highest high, so the range holds exactly.
///
/// # Warm-up
///
/// Lookback `(fastk_period − 1) + (slowk_period − 1) + (slowd_period − 1)`,
/// TA-Lib's sum of the parts (8 with the defaults). `k` and `d` appear
/// together.
///
/// # Parameters
///
/// * `fastk_period` ≥ 1 (default 5), `slowk_period` ≥ 1 (default 3),
///   `slowk_matype` (default [`MaType::Sma`]), `slowd_period` ≥ 1
///   (default 3), `slowd_matype` (default [`MaType::Sma`]).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, MaType, Stoch};
/// # fn main() -> apex_ta::Result<()> {
/// let mut stoch = Stoch::new(2, 1, MaType::Sma, 1, MaType::Sma)?;
/// let bar = |h: f64, l: f64, c: f64| Bar::new(c, h, l, c, 1.0);
/// assert_eq!(stoch.update(bar(12.0, 10.0, 11.0))?, None);
/// // window highs 12, 14, lows 10, 12: (13 − 10) / (14 − 10) = 75 %
/// let out = stoch.update(bar(14.0, 12.0, 13.0))?.map(|o| (o.k, o.d));
/// assert_eq!(out, Some((75.0, 75.0)));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period of 0; `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// George Lane; TA-Lib `TA_STOCH`.
#[doc(alias = "STOCH")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Stoch<T = f64> {
    fastk: FastK<T>,
    slowk: MovingAverage<T>,
    slowd: MovingAverage<T>,
}
checked_deserialize!(Stoch<T> {
    fastk: FastK<T>,
    slowk: MovingAverage<T>,
    slowd: MovingAverage<T>,
});

impl<T: Float> Invariants for Stoch<T> {
    fn check(&self) -> Result<()> {
        self.fastk.check()?;
        self.slowk.check()?;
        self.slowd.check()?;
        chain_ok(self.slowk.is_ready(), self.fastk.is_ready())?;
        chain_ok(self.slowd.is_ready(), self.slowk.is_ready())
    }
}

impl<T: Float> Stoch<T> {
    /// A slow stochastic: %K over `fastk_period` bars, smoothed by a
    /// `slowk_period` average of kind `slowk_matype`, and %D a
    /// `slowd_period` average of kind `slowd_matype` of that.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `fastk_period`, `slowk_period` or `slowd_period` if it is 0.
    #[allow(clippy::similar_names)] // TA-Lib's parameter names
    pub fn new(
        fastk_period: usize,
        slowk_period: usize,
        slowk_matype: MaType,
        slowd_period: usize,
        slowd_matype: MaType,
    ) -> Result<Self> {
        Ok(Stoch {
            fastk: FastK::new(check_period("fastk_period", fastk_period, 1)?),
            slowk: MovingAverage::new(
                check_period("slowk_period", slowk_period, 1)?,
                slowk_matype,
            )?,
            slowd: MovingAverage::new(
                check_period("slowd_period", slowd_period, 1)?,
                slowd_matype,
            )?,
        })
    }
    /// The %K window in bars.
    pub fn fastk_period(&self) -> usize {
        self.fastk.period()
    }
    /// The period of the %K smoothing.
    pub fn slowk_period(&self) -> usize {
        self.slowk.period()
    }
    /// The kind of the %K smoothing.
    pub fn slowk_matype(&self) -> MaType {
        self.slowk.kind()
    }
    /// The period of the %D average.
    pub fn slowd_period(&self) -> usize {
        self.slowd.period()
    }
    /// The kind of the %D average.
    pub fn slowd_matype(&self) -> MaType {
        self.slowd.kind()
    }
}

impl<T: Float> Indicator for Stoch<T> {
    type Input = Bar<T>;
    type Output = StochOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<StochOutput<T>>> {
        bar.validate()?;
        // fastK is always finite, so neither average can reject it.
        let Some(fast_k) = self.fastk.push(bar.high, bar.low, bar.close) else {
            return Ok(None);
        };
        let Some(k) = self.slowk.update(fast_k)? else {
            return Ok(None);
        };
        Ok(self.slowd.update(k)?.map(|d| StochOutput { k, d }))
    }
    fn reset(&mut self) {
        self.fastk.clear();
        self.slowk.reset();
        self.slowd.reset();
    }
    fn lookback(&self) -> usize {
        self.fastk.period() - 1 + self.slowk.lookback() + self.slowd.lookback()
    }
    fn is_ready(&self) -> bool {
        self.slowd.is_ready()
    }
}

impl<T: Float> Default for Stoch<T> {
    /// STOCH(5, 3, SMA, 3, SMA), TA-Lib's defaults.
    fn default() -> Self {
        Stoch {
            fastk: FastK::new(5),
            slowk: average(3, MaType::Sma),
            slowd: average(3, MaType::Sma),
        }
    }
}

impl<T: Float> fmt::Display for Stoch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "STOCH({}, {}, {}, {}, {})",
            self.fastk.period(),
            self.slowk.period(),
            self.slowk.kind(),
            self.slowd.period(),
            self.slowd.kind()
        )
    }
}

/// Stochastic oscillator, fast (STOCHF), as TA-Lib's `STOCHF`.
///
/// The unsmoothed %K of [`Stoch`] and its average %D: quicker, noisier. In
/// [0, 100].
///
/// # Formula
///
/// ```text
/// HH, LL = highest high, lowest low of the last fastk_period bars
/// k      = (close − LL) / ((HH − LL) / 100)                  (fastk)
/// k      = 0                 when |HH − LL| ≤ 1e-14 · (|HH| + |LL|)
/// k      = min(k, 100)
/// d      = MA(k, fastd_period, fastd_matype)                 (fastd)
/// ```
///
/// An EMA %D is seeded with the mean of the first `fastd_period` values of
/// k. TA-Lib quirk, matched: a flat window gives k = 0. The cap at 100
/// removes a one-ulp overshoot of TA-Lib's division (see [`Stoch`]).
///
/// # Warm-up
///
/// Lookback `(fastk_period − 1) + (fastd_period − 1)` (6 with the
/// defaults); `k` is withheld until `d` exists, as in TA-Lib.
///
/// # Parameters
///
/// * `fastk_period` ≥ 1 (default 5), `fastd_period` ≥ 1 (default 3),
///   `fastd_matype` (default [`MaType::Sma`]).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, MaType, StochF};
/// # fn main() -> apex_ta::Result<()> {
/// let mut stochf = StochF::new(1, 2, MaType::Sma)?;
/// let bar = |h: f64, l: f64, c: f64| Bar::new(c, h, l, c, 1.0);
/// assert_eq!(stochf.update(bar(12.0, 10.0, 12.0))?, None); // k = 100
/// let out = stochf.update(bar(12.0, 10.0, 10.5))?.map(|o| (o.k, o.d));
/// assert_eq!(out, Some((25.0, 62.5)));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period of 0; `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// George Lane; TA-Lib `TA_STOCHF`.
#[doc(alias = "STOCHF")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StochF<T = f64> {
    fastk: FastK<T>,
    fastd: MovingAverage<T>,
}
checked_deserialize!(StochF<T> {
    fastk: FastK<T>,
    fastd: MovingAverage<T>,
});

impl<T: Float> Invariants for StochF<T> {
    fn check(&self) -> Result<()> {
        self.fastk.check()?;
        self.fastd.check()?;
        chain_ok(self.fastd.is_ready(), self.fastk.is_ready())
    }
}

impl<T: Float> StochF<T> {
    /// A fast stochastic: %K over `fastk_period` bars and %D a
    /// `fastd_period` average of kind `fastd_matype` of it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `fastk_period` or `fastd_period` if it is 0.
    #[allow(clippy::similar_names)] // TA-Lib's parameter names
    pub fn new(fastk_period: usize, fastd_period: usize, fastd_matype: MaType) -> Result<Self> {
        Ok(StochF {
            fastk: FastK::new(check_period("fastk_period", fastk_period, 1)?),
            fastd: MovingAverage::new(
                check_period("fastd_period", fastd_period, 1)?,
                fastd_matype,
            )?,
        })
    }
    /// The %K window in bars.
    pub fn fastk_period(&self) -> usize {
        self.fastk.period()
    }
    /// The period of the %D average.
    pub fn fastd_period(&self) -> usize {
        self.fastd.period()
    }
    /// The kind of the %D average.
    pub fn fastd_matype(&self) -> MaType {
        self.fastd.kind()
    }
}

impl<T: Float> Indicator for StochF<T> {
    type Input = Bar<T>;
    type Output = StochOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<StochOutput<T>>> {
        bar.validate()?;
        let Some(k) = self.fastk.push(bar.high, bar.low, bar.close) else {
            return Ok(None);
        };
        Ok(self.fastd.update(k)?.map(|d| StochOutput { k, d }))
    }
    fn reset(&mut self) {
        self.fastk.clear();
        self.fastd.reset();
    }
    fn lookback(&self) -> usize {
        self.fastk.period() - 1 + self.fastd.lookback()
    }
    fn is_ready(&self) -> bool {
        self.fastd.is_ready()
    }
}

impl<T: Float> Default for StochF<T> {
    /// STOCHF(5, 3, SMA), TA-Lib's defaults.
    fn default() -> Self {
        StochF {
            fastk: FastK::new(5),
            fastd: average(3, MaType::Sma),
        }
    }
}

impl<T: Float> fmt::Display for StochF<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "STOCHF({}, {}, {})",
            self.fastk.period(),
            self.fastd.period(),
            self.fastd.kind()
        )
    }
}

/// Stochastic RSI (STOCHRSI), as TA-Lib's `STOCHRSI`: the fast stochastic
/// of the RSI.
///
/// Where the current [`Rsi`] sits in the range of its last `fastk_period`
/// values: 0 at their low, 100 at their high. In [0, 100]; more sensitive
/// than the RSI itself.
///
/// # Formula
///
/// ```text
/// r      = RSI(close, timeperiod)                  (Wilder, as Rsi)
/// HR, LR = highest, lowest r of the last fastk_period values
/// k      = (r − LR) / ((HR − LR) / 100)                      (fastk)
/// k      = 0                 when |HR − LR| ≤ 1e-14 · (|HR| + |LR|)
/// k      = min(k, 100)                 (a one-ulp overshoot, see Stoch)
/// d      = MA(k, fastd_period, fastd_matype)                 (fastd)
/// ```
///
/// TA-Lib quirk, matched: a window of equal RSI values gives k = 0.
///
/// Deviation, inherited from [`Rsi`]: the RSI of a window without any
/// movement (a series that has been flat since its start) is 50 here and 0
/// in TA-Lib 0.8.2. Both give k = 0 while the series stays flat; from its
/// first change until that change is `fastk_period` values old, k can
/// differ from TA-Lib's, and d while it averages such a k (an EMA %D
/// carries the difference on, shrinking by (fastd_period − 1) /
/// (fastd_period + 1) a bar). After that the two agree.
///
/// With a KAMA %D (`fastd_matype` 6) the two can part further: KAMA's
/// efficiency ratio compares the %K window's total movement with 1e-14, so
/// where %K sits at 100 within rounding (the RSI at its high, here and in
/// TA-Lib an ulp apart), that test can go either way and d follows a
/// different path for a while. Measured on SPY daily 1993–2025: identical
/// to TA-Lib for every other matype; with KAMA, differences of up to 20
/// points on a few bars.
///
/// # Warm-up
///
/// Lookback `timeperiod + (fastk_period − 1) + (fastd_period − 1)` (20 with
/// the defaults), TA-Lib's sum of the parts.
///
/// # Parameters
///
/// * `timeperiod` ≥ 2 (default 14; TA-Lib's minimum is 2),
///   `fastk_period` ≥ 1 (default 5), `fastd_period` ≥ 1 (default 3),
///   `fastd_matype` (default [`MaType::Sma`]).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, MaType, StochRsi};
/// # fn main() -> apex_ta::Result<()> {
/// let mut srsi = StochRsi::new(2, 2, 1, MaType::Sma)?;
/// let out = srsi.batch(&[10.0, 11.0, 12.0, 11.0]).map_err(|e| e.error)?;
/// // RSI 100 then 50 (G = L = 0.5): the lower of the two, k = 0
/// assert_eq!(out[3].map(|o| o.k), Some(0.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a `timeperiod` below 2 or another period of 0; `update`
/// rejects a non-finite close
/// ([`Error::NonFinite`](crate::Error::NonFinite)), state unchanged.
///
/// # References
///
/// Tushar Chande and Stanley Kroll, "Stochastic RSI and Dynamic Momentum
/// Index", *Technical Analysis of Stocks & Commodities* 11:5 (1993); TA-Lib
/// `TA_STOCHRSI`.
#[doc(alias = "STOCHRSI")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StochRsi<T = f64> {
    rsi: Rsi<T>,
    fastk: FastK<T>,
    fastd: MovingAverage<T>,
}
checked_deserialize!(StochRsi<T> {
    rsi: Rsi<T>,
    fastk: FastK<T>,
    fastd: MovingAverage<T>,
});

impl<T: Float> Invariants for StochRsi<T> {
    fn check(&self) -> Result<()> {
        self.rsi.check()?;
        self.fastk.check()?;
        self.fastd.check()?;
        state_ok(self.rsi.period() >= 2, "STOCHRSI timeperiod below 2")?;
        chain_ok(self.fastk.highs.count() > 0, self.rsi.is_ready())?;
        chain_ok(self.fastd.is_ready(), self.fastk.is_ready())
    }
}

impl<T: Float> StochRsi<T> {
    /// A stochastic RSI: the RSI over `timeperiod` changes, its %K over
    /// `fastk_period` values and %D a `fastd_period` average of kind
    /// `fastd_matype` of that.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `timeperiod` if it is below 2, or `fastk_period` or `fastd_period`
    /// if it is 0.
    #[allow(clippy::similar_names)] // TA-Lib's parameter names
    pub fn new(
        timeperiod: usize,
        fastk_period: usize,
        fastd_period: usize,
        fastd_matype: MaType,
    ) -> Result<Self> {
        Ok(StochRsi {
            rsi: Rsi::new(check_period("timeperiod", timeperiod, 2)?)?,
            fastk: FastK::new(check_period("fastk_period", fastk_period, 1)?),
            fastd: MovingAverage::new(
                check_period("fastd_period", fastd_period, 1)?,
                fastd_matype,
            )?,
        })
    }
    /// The RSI period.
    pub fn timeperiod(&self) -> usize {
        self.rsi.period()
    }
    /// The %K window in RSI values.
    pub fn fastk_period(&self) -> usize {
        self.fastk.period()
    }
    /// The period of the %D average.
    pub fn fastd_period(&self) -> usize {
        self.fastd.period()
    }
    /// The kind of the %D average.
    pub fn fastd_matype(&self) -> MaType {
        self.fastd.kind()
    }
}

impl<T: Float> Indicator for StochRsi<T> {
    type Input = T;
    type Output = StochOutput<T>;
    #[inline]
    fn update(&mut self, close: T) -> Result<Option<StochOutput<T>>> {
        let close = finite("close", close)?;
        let Some(r) = self.rsi.update(close)? else {
            return Ok(None);
        };
        // k is always finite (see `fast_k`), so the average cannot reject it.
        let Some(k) = self.fastk.push(r, r, r) else {
            return Ok(None);
        };
        Ok(self.fastd.update(k)?.map(|d| StochOutput { k, d }))
    }
    fn reset(&mut self) {
        self.rsi.reset();
        self.fastk.clear();
        self.fastd.reset();
    }
    fn lookback(&self) -> usize {
        self.rsi.lookback() + self.fastk.period() - 1 + self.fastd.lookback()
    }
    fn is_ready(&self) -> bool {
        self.fastd.is_ready()
    }
}

impl<T: Float> Default for StochRsi<T> {
    /// STOCHRSI(14, 5, 3, SMA), TA-Lib's defaults.
    fn default() -> Self {
        StochRsi {
            rsi: Rsi::default(),
            fastk: FastK::new(5),
            fastd: average(3, MaType::Sma),
        }
    }
}

impl<T: Float> fmt::Display for StochRsi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "STOCHRSI({}, {}, {}, {})",
            self.rsi.period(),
            self.fastk.period(),
            self.fastd.period(),
            self.fastd.kind()
        )
    }
}
