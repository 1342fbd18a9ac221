//! Bollinger Bands.

use core::fmt;

use crate::error::check_period;
use crate::float::{variance_input, MAX_MULTIPLIER};
use crate::window::{state_ok, Invariants, RollingStats};
use crate::{Error, Float, Indicator, MaType, MovingAverage, Result};

/// Bollinger Bands, TA-Lib's `BBANDS`: a moving average with bands a
/// multiple of the window's standard deviation above and below it.
///
/// The bands widen with volatility and narrow in quiet markets; closes
/// outside them are statistically unusual. Same units as the input;
/// `lower ≤ middle ≤ upper` for non-negative multipliers.
///
/// # Formula
///
/// ```text
/// middle = MA(close, n)               (the moving average of `matype`)
/// σ      = sqrt( Σ (x − mean)² / n )  over the last n closes: the population
///                                     standard deviation around their simple
///                                     mean, whatever `matype` is
/// upper  = middle + nbdevup · σ
/// lower  = middle − nbdevdn · σ
/// ```
///
/// σ is kept as [`StdDev`](crate::StdDev) keeps it (sums of deviations from
/// one of the window's values, never subtracting a value that leaves): no
/// drift, a precision independent of the level, and σ = 0 exactly for a
/// window of equal closes.
///
/// **TA-Lib quirk (matched):** σ always comes from the last n closes around
/// their simple mean, even when the middle band is another average (an EMA,
/// say), as TA-Lib computes it.
///
/// # Warm-up
///
/// Lookback = the moving average's: n − 1 for SMA, EMA, WMA and TRIMA,
/// 2·(n − 1) for DEMA, 3·(n − 1) for TEMA, n for KAMA, 6·(n − 1) for T3.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 5, as TA-Lib, which rejects 1).
/// * `nbdevup`, `nbdevdn`: multipliers, |k| ≤ 1e6 (default 2 and 2; TA-Lib
///   takes any real number, negative ones included; the bound keeps k·σ
///   finite).
/// * `matype`: the middle band's average ([`MaType::Sma`] by default, as
///   TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bbands, Indicator, MaType};
/// # fn main() -> apex_ta::Result<()> {
/// let mut bb = Bbands::new(4, 2.0, 1.0, MaType::Sma)?;
/// let out = bb.batch(&[2.0, 4.0, 4.0, 6.0]).map_err(|e| e.error)?;
/// let b = out[3].expect("warmed up"); // mean 4, σ = √2
/// assert_eq!(b.middle, 4.0);
/// assert_eq!(b.upper, 4.0 + 2.0 * 2.0_f64.sqrt());
/// assert_eq!(b.lower, 4.0 - 2.0_f64.sqrt());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2 and a multiplier that is not finite or
/// exceeds 1e6 in magnitude. `update` rejects, state unchanged, a
/// non-finite input ([`Error::NonFinite`]) and one above 1e150 in magnitude
/// (`f32`: 1e16), the limit of a variance input, whose square could
/// overflow the window's sums ([`Error::OutOfRange`]).
///
/// # References
///
/// J. Bollinger, *Bollinger on Bollinger Bands* (2001); TA-Lib `TA_BBANDS`.
#[doc(alias = "BBANDS")]
#[doc(alias = "Bollinger")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bbands<T = f64> {
    nbdevup: T,
    nbdevdn: T,
    middle: MovingAverage<T>,
    stats: RollingStats<T>,
}
checked_deserialize!(Bbands<T> {
    nbdevup: T,
    nbdevdn: T,
    middle: MovingAverage<T>,
    stats: RollingStats<T>,
});

/// One Bollinger Bands value: TA-Lib's three outputs.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BbandsOutput<T = f64> {
    /// Upper band: middle + nbdevup·σ (TA-Lib's `upperband`).
    pub upper: T,
    /// Middle band: the moving average (TA-Lib's `middleband`).
    pub middle: T,
    /// Lower band: middle − nbdevdn·σ (TA-Lib's `lowerband`).
    pub lower: T,
}

impl<T: Float> Invariants for Bbands<T> {
    fn check(&self) -> Result<()> {
        self.middle.check()?;
        self.stats.check()?;
        let max = T::from_f64(MAX_MULTIPLIER);
        state_ok(
            self.nbdevup.abs() <= max && self.nbdevdn.abs() <= max,
            "BBANDS multiplier non-finite or above 1e6",
        )?;
        let n = self.stats.period();
        state_ok(
            n >= 2 && self.middle.period() == n,
            "BBANDS windows inconsistent with period",
        )?;
        // Both see every input: an average with lookback n − 1 is ready
        // exactly when the window is full, a slower one only after.
        let (ready, full) = (self.middle.is_ready(), self.stats.is_full());
        let consistent = if self.middle.lookback() + 1 == n {
            ready == full
        } else {
            !ready || full
        };
        state_ok(consistent, "BBANDS average and window out of step")
    }
}

impl<T: Float> Bbands<T> {
    /// Bands `nbdevup` and `nbdevdn` standard deviations above and below a
    /// `matype` moving average, over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `period` if it is below 2, or
    /// `nbdevup` / `nbdevdn` if not finite or above 1e6 in magnitude.
    pub fn new(period: usize, nbdevup: T, nbdevdn: T, matype: MaType) -> Result<Self> {
        let period = check_period("period", period, 2)?;
        for (name, x) in [("nbdevup", nbdevup), ("nbdevdn", nbdevdn)] {
            // NaN and ±∞ fail the comparison too.
            let in_range = x.abs() <= T::from_f64(MAX_MULTIPLIER);
            if !in_range {
                return Err(Error::InvalidParameter {
                    name,
                    value: x.to_f64(),
                    reason: "must be finite, at most 1e6 in magnitude",
                });
            }
        }
        Ok(Bbands {
            nbdevup,
            nbdevdn,
            middle: MovingAverage::new(period, matype)?,
            stats: RollingStats::new(period),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.stats.period()
    }
    /// The upper band's multiplier.
    pub fn nbdevup(&self) -> T {
        self.nbdevup
    }
    /// The lower band's multiplier.
    pub fn nbdevdn(&self) -> T {
        self.nbdevdn
    }
    /// The middle band's moving-average type.
    pub fn matype(&self) -> MaType {
        self.middle.kind()
    }
}

impl<T: Float> Indicator for Bbands<T> {
    type Input = T;
    type Output = BbandsOutput<T>;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<BbandsOutput<T>>> {
        let x = variance_input("close", x)?;
        // `x` is finite, so the average cannot reject it: validated first,
        // the state changes only below.
        let middle = self.middle.update(x)?;
        self.stats.push(x);
        Ok(middle.map(|middle| {
            let sd = self.stats.variance().sqrt();
            BbandsOutput {
                upper: middle + sd * self.nbdevup,
                middle,
                lower: middle - sd * self.nbdevdn,
            }
        }))
    }
    fn reset(&mut self) {
        self.middle.reset();
        self.stats.clear();
    }
    fn lookback(&self) -> usize {
        self.middle.lookback()
    }
    fn is_ready(&self) -> bool {
        self.middle.is_ready()
    }
}

impl<T: Float> Default for Bbands<T> {
    /// BBANDS(5, 2, 2, SMA), TA-Lib's default.
    fn default() -> Self {
        let two = T::from_f64(2.0);
        Bbands {
            nbdevup: two,
            nbdevdn: two,
            // SMA(5) is a valid average: the fallback is never taken.
            middle: MovingAverage::Sma(crate::Sma::new(5).unwrap_or_default()),
            stats: RollingStats::new(5),
        }
    }
}

impl<T: Float> fmt::Display for Bbands<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BBANDS({}, {}, {}, {})",
            self.stats.period(),
            self.nbdevup,
            self.nbdevdn,
            self.middle.kind()
        )
    }
}
