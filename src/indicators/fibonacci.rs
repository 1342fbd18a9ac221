//! Fibonacci retracement and extension levels of the recent swing.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Bar, Error, Float, Indicator, Result};

/// Most ratios a [`FibonacciLevels`] can carry.
pub const MAX_LEVELS: usize = 16;

/// The classic retracement ratios 0, 23.6, 38.2, 50, 61.8, 78.6 and 100 %.
pub const RETRACEMENTS: [f64; 7] = [0.0, 0.236, 0.382, 0.5, 0.618, 0.786, 1.0];
/// The classic extension ratios 127.2 % and 161.8 %.
pub const EXTENSIONS: [f64; 2] = [1.272, 1.618];

/// Which way a swing ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SwingDirection {
    /// The low came first, then the high: levels are measured down from the high.
    #[default]
    Up,
    /// The high came first, then the low: levels are measured up from the low.
    Down,
}

/// A price swing from `low` to `high` (or back) and the price at any
/// Fibonacci ratio of it.
///
/// ```
/// use apex_ta::{Swing, SwingDirection};
/// # fn main() -> apex_ta::Result<()> {
/// let up = Swing::<f64>::from_range(110.0, 100.0, SwingDirection::Up)?;
/// assert_eq!(up.level(0.5), 105.0);
/// assert!((up.level(0.618) - 103.82).abs() < 1e-12);  // 61.8 % retracement
/// assert!((up.level(1.618) - 93.82).abs() < 1e-12);   // 161.8 % extension
/// assert_eq!(up.retracement_of(107.5), Some(0.25));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Swing<T = f64> {
    /// Swing high H.
    pub high: T,
    /// Swing low L.
    pub low: T,
    /// Whether the high came after the low.
    pub direction: SwingDirection,
}

impl<T: Float> Swing<T> {
    /// The swing between a window's extremes, each with its age (bars
    /// since it was set): up when the high is the more recent (or as
    /// recent), down otherwise; `None` when `high − low` is below
    /// `min_swing` of the low. Shared by [`FibonacciLevels`] and the APEX
    /// scorer.
    #[inline]
    pub(crate) fn from_extremes<A: PartialOrd>(
        (high, high_age): (T, A),
        (low, low_age): (T, A),
        min_swing: T,
    ) -> Option<Self> {
        if below_min_swing(high, low, min_swing) {
            return None;
        }
        Some(Swing {
            high,
            low,
            direction: if high_age <= low_age {
                SwingDirection::Up
            } else {
                SwingDirection::Down
            },
        })
    }

    /// A swing between `high` and `low`, stateless.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`] for a non-finite price, [`Error::InvalidParameter`]
    /// if `high < low`.
    pub fn from_range(high: T, low: T, direction: SwingDirection) -> Result<Self> {
        finite("high", high)?;
        finite("low", low)?;
        if high < low {
            return Err(Error::InvalidParameter {
                name: "high",
                value: high.to_f64(),
                reason: "must be >= low",
            });
        }
        Ok(Swing {
            high,
            low,
            direction,
        })
    }
    /// `H − L`.
    pub fn range(&self) -> T {
        self.high - self.low
    }
    /// The price at `ratio` of the swing: `H − r·(H − L)` for an up-swing,
    /// `L + r·(H − L)` for a down-swing. Ratios above 1 are extensions beyond
    /// the swing's start.
    #[inline]
    pub fn level(&self, ratio: T) -> T {
        match self.direction {
            SwingDirection::Up => self.high - ratio * self.range(),
            SwingDirection::Down => self.low + ratio * self.range(),
        }
    }
    /// The ratio at which `price` sits: the inverse of [`level`](Swing::level);
    /// 0 at the swing's end, 1 at its start. `None` for a zero range.
    #[inline]
    pub fn retracement_of(&self, price: T) -> Option<T> {
        let up = matches!(self.direction, SwingDirection::Up);
        (self.range() > T::zero()).then(|| retracement(self.high, self.low, up, price))
    }
    /// The prices at each of `ratios` (at most [`MAX_LEVELS`]; more are ignored).
    pub fn levels(&self, ratios: &[T]) -> Levels<T> {
        let mut out = Levels::default();
        for &r in ratios.iter().take(MAX_LEVELS) {
            if let Some(slot) = out.items.get_mut(out.len) {
                *slot = Level {
                    ratio: r,
                    price: self.level(r),
                };
                out.len += 1;
            }
        }
        out
    }
}

/// A ratio and the price at it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Level<T = f64> {
    /// The Fibonacci ratio (0.618 = 61.8 %).
    pub ratio: T,
    /// The price at that ratio of the swing.
    pub price: T,
}

/// Up to [`MAX_LEVELS`] levels, in ascending ratio order; `Copy`, no heap.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Levels<T = f64> {
    items: [Level<T>; MAX_LEVELS],
    len: usize,
}

impl<T: Copy> Levels<T> {
    /// The levels as a slice.
    pub fn as_slice(&self) -> &[Level<T>] {
        self.items.get(..self.len).unwrap_or(&[])
    }
    /// Iterates over the levels.
    pub fn iter(&self) -> core::slice::Iter<'_, Level<T>> {
        self.as_slice().iter()
    }
    /// Number of levels.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a, T: Copy> IntoIterator for &'a Levels<T> {
    type Item = &'a Level<T>;
    type IntoIter = core::slice::Iter<'a, Level<T>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One [`FibonacciLevels`] value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FibonacciOutput<T = f64> {
    /// The swing of the window.
    pub swing: Swing<T>,
    /// Where the current close sits in the swing (0 = at the swing's end,
    /// 0.618 = at the 61.8 % retracement, > 1 = beyond its start); `None` when
    /// the swing has zero range.
    pub retracement: Option<T>,
    /// The price at each configured ratio.
    pub levels: Levels<T>,
}

/// Fibonacci retracement and extension levels of the swing in the last n bars.
///
/// Finds the window's swing high H (highest high) and swing low L (lowest
/// low); the swing is **up** if the high came after the low, else **down**.
/// Levels are measured back from the swing's end. Where the close sits
/// (38.2–61.8 % retracements of an up-swing are classic support; losing
/// 78.6 % is a failed swing) is the `retracement` fraction.
///
/// # Formula
///
/// ```text
/// H = max(high[t−n+1..=t]),  L = min(low[t−n+1..=t])
/// up-swing  (H after L):  level(r) = H − r·(H − L),  retracement = (H − close)/(H − L)
/// down-swing (L after H): level(r) = L + r·(H − L),  retracement = (close − L)/(H − L)
/// r ∈ {0, .236, .382, .5, .618, .786, 1} ∪ {1.272, 1.618}  (configurable)
/// ```
///
/// When one bar holds both extremes the swing counts as up; on ties the most
/// recent extreme wins. O(1) amortised per update (monotonic deques).
///
/// # Warm-up
///
/// Lookback n − 1. With a minimum swing size (see
/// [`with_min_swing`](FibonacciLevels::with_min_swing)), `Ok(None)` also
/// whenever `H − L < min_swing · |L|`: no qualifying swing.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 55).
/// * ratios: [`RETRACEMENTS`] and [`EXTENSIONS`] by default, or any finite
///   ratios via [`with_ratios`](FibonacciLevels::with_ratios).
/// * `min_swing` ≥ 0, a fraction of the swing low (default 0: any swing).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, FibonacciLevels, Indicator, SwingDirection};
/// # fn main() -> apex_ta::Result<()> {
/// let mut fib = FibonacciLevels::new(3)?;
/// fib.update(Bar::new(100.0, 101.0, 100.0, 100.5, 0.0))?;
/// fib.update(Bar::new(104.0, 110.0, 104.0, 109.0, 0.0))?;
/// let out = fib.update(Bar::new(106.0, 106.0, 105.0, 105.0, 0.0))?.expect("warm");
/// assert_eq!(out.swing.direction, SwingDirection::Up);
/// assert_eq!((out.swing.high, out.swing.low), (110.0, 100.0));
/// assert_eq!(out.retracement, Some(0.5)); // close 105 = the 50 % level
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `with_ratios` rejects non-finite ratios or more
/// than [`MAX_LEVELS`]; `with_min_swing` rejects a negative or non-finite
/// size. `update` rejects a non-finite or inconsistent bar, state unchanged.
///
/// # References
///
/// Retracement levels as in common charting practice (e.g. TradingView's
/// "Auto Fib Retracement"); no TA-Lib twin.
#[doc(alias = "fib")]
#[doc(alias = "retracement")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FibonacciLevels<T = f64> {
    period: usize,
    ratios: [T; MAX_LEVELS],
    n_ratios: usize,
    min_swing: T,
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
    ready: bool,
}
checked_deserialize!(FibonacciLevels<T> {
    period: usize,
    ratios: [T; MAX_LEVELS],
    n_ratios: usize,
    min_swing: T,
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
    ready: bool,
});

impl<T: Float> Invariants for FibonacciLevels<T> {
    fn check(&self) -> Result<()> {
        self.highs.check()?;
        self.lows.check()?;
        state_ok(
            self.period >= 1
                && self.highs.capacity() == self.period
                && self.lows.capacity() == self.period
                && self.highs.count() == self.lows.count(),
            "Fibonacci windows inconsistent with period",
        )?;
        state_ok(self.n_ratios <= MAX_LEVELS, "too many Fibonacci ratios")?;
        state_ok(
            self.ratios.iter().all(|r| r.is_finite())
                && self.min_swing.is_finite()
                && self.min_swing >= T::zero(),
            "Fibonacci parameters invalid",
        )
    }
}

impl<T: Float> FibonacciLevels<T> {
    /// Levels of the swing in the last `period` bars, default ratios.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 1)?))
    }
    pub(crate) fn with_period(period: usize) -> Self {
        let mut ratios = [T::zero(); MAX_LEVELS];
        let defaults = RETRACEMENTS.iter().chain(EXTENSIONS.iter());
        let mut n_ratios = 0;
        for (slot, &r) in ratios.iter_mut().zip(defaults) {
            *slot = T::from_f64(r);
            n_ratios += 1;
        }
        FibonacciLevels {
            period,
            ratios,
            n_ratios,
            min_swing: T::zero(),
            highs: MonoDeque::new(period),
            lows: MonoDeque::new(period),
            ready: false,
        }
    }
    /// Replaces the ratios (sorted ascending; duplicates kept).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if a ratio is not finite or there are more
    /// than [`MAX_LEVELS`].
    pub fn with_ratios(mut self, ratios: &[T]) -> Result<Self> {
        if ratios.len() > MAX_LEVELS {
            return Err(Error::InvalidParameter {
                name: "ratios",
                value: ratios.len() as f64,
                reason: "at most 16 ratios",
            });
        }
        let mut buf = [T::zero(); MAX_LEVELS];
        for (slot, &r) in buf.iter_mut().zip(ratios) {
            *slot = finite("ratio", r).map_err(|_| Error::InvalidParameter {
                name: "ratios",
                value: r.to_f64(),
                reason: "must be finite",
            })?;
        }
        let used = buf.get_mut(..ratios.len()).unwrap_or(&mut []);
        used.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
        self.ratios = buf;
        self.n_ratios = ratios.len();
        Ok(self)
    }
    /// Requires a swing of at least `fraction · |L|` (e.g. 0.05 for 5 %);
    /// smaller swings produce `Ok(None)`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `fraction` is negative or not finite.
    pub fn with_min_swing(mut self, fraction: T) -> Result<Self> {
        if !(fraction.is_finite() && fraction >= T::zero()) {
            return Err(Error::InvalidParameter {
                name: "min_swing",
                value: fraction.to_f64(),
                reason: "must be finite and >= 0",
            });
        }
        self.min_swing = fraction;
        Ok(self)
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
    /// The configured ratios, ascending.
    pub fn ratios(&self) -> &[T] {
        self.ratios.get(..self.n_ratios).unwrap_or(&[])
    }
    /// The minimum swing size as a fraction of the swing low.
    pub fn min_swing(&self) -> T {
        self.min_swing
    }
}

impl<T: Float> Indicator for FibonacciLevels<T> {
    type Input = Bar<T>;
    type Output = FibonacciOutput<T>;
    fn update(&mut self, bar: Bar<T>) -> Result<Option<FibonacciOutput<T>>> {
        bar.validate()?;
        Ok(self.push_swing(&bar).map(|swing| FibonacciOutput {
            swing,
            retracement: swing.retracement_of(bar.close),
            levels: swing.levels(self.ratios()),
        }))
    }
    fn reset(&mut self) {
        self.highs.clear();
        self.lows.clear();
        self.ready = false;
    }
    fn lookback(&self) -> usize {
        self.period - 1
    }
    fn is_ready(&self) -> bool {
        self.ready
    }
}

/// Whether a swing from `low` to `high` is smaller than `min_swing` of
/// the low: then there is no swing.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised rows
fn below_min_swing<T: Float>(high: T, low: T, min_swing: T) -> bool {
    high - low < min_swing * low.abs()
}

/// Where `price` sits in the swing between `high` and `low` (up if `up`):
/// 0 at its end, 1 at its start (`NaN` or ±∞ for a zero range).
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised rows
fn retracement<T: Float>(high: T, low: T, up: bool, price: T) -> T {
    let from_end = if up { high - price } else { price - low };
    from_end / (high - low)
}

/// The swing reading of the APEX score, branch-free: for a window's
/// extremes `high` and `low` (the high the more recent, or as recent, if
/// `up`) and a close, the swing's direction (`+1` up, `−1` down) and where
/// the close sits in it ([`Swing::retracement_of`]); both `NaN` below the
/// minimum swing ([`Swing::from_extremes`]), the retracement `NaN` for a
/// zero range. Shared by the scorer's window and the universe form's rows.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised rows
#[allow(clippy::needless_bitwise_bool)] // no short-circuit branch in the rows
pub(crate) fn swing_reading<T: Float>(
    high: T,
    low: T,
    up: bool,
    close: T,
    min_swing: T,
) -> (f64, f64) {
    let nan = f64::NAN;
    let r = retracement(high, low, up, close).to_f64();
    let small = below_min_swing(high, low, min_swing);
    let sign = if up { 1.0 } else { -1.0 };
    let positive = high - low > T::zero();
    (
        if small { nan } else { sign },
        if positive & !small { r } else { nan },
    )
}

impl<T: Float> FibonacciLevels<T> {
    /// The window's swing after a validated bar, without the level prices
    /// (for scorers that only need the swing and the retracement).
    #[inline]
    pub(crate) fn push_swing(&mut self, bar: &Bar<T>) -> Option<Swing<T>> {
        self.highs.push(bar.high);
        self.lows.push(bar.low);
        self.ready = false;
        if self.highs.count() < self.period as u64 {
            return None;
        }
        let (Some((high, high_age)), Some((low, low_age))) =
            (self.highs.extreme(), self.lows.extreme())
        else {
            return None;
        };
        let swing = Swing::from_extremes((high, high_age), (low, low_age), self.min_swing)?;
        self.ready = true;
        Some(swing)
    }
}

impl<T: Float> Default for FibonacciLevels<T> {
    /// FibonacciLevels(55), default ratios, no minimum swing.
    fn default() -> Self {
        Self::with_period(55)
    }
}

impl<T> fmt::Display for FibonacciLevels<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FIB({})", self.period)
    }
}
