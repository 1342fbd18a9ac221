//! Donchian channels.

use core::fmt;

use super::HighLow;
use crate::error::check_period;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// Donchian channels (DC), TradingView's "Donchian Channels": the highest
/// high and lowest low of the last n bars and their midpoint.
///
/// The range price has traded in over the window; a close through the upper
/// (lower) line is the classic breakout (Turtle) signal. Prices, with
/// `lower ≤ basis ≤ upper`.
///
/// # Formula
///
/// ```text
/// upper = max(high[t−n+1..=t])          (ta.highest(n), current bar included)
/// lower = min(low[t−n+1..=t])           (ta.lowest(n))
/// basis = (lower + upper) / 2           (math.avg(upper, lower))
/// ```
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `length` n ≥ 1 (default 20, TradingView's "Length"; its "Offset" input
///   only moves the plot).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Donchian, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut dc = Donchian::new(2)?;
/// assert_eq!(dc.update(Bar::new(10.0, 12.0, 9.0, 11.0, 1.0))?, None);
/// let out = dc.update(Bar::new(11.0, 11.5, 10.0, 11.0, 1.0))?.expect("warmed up");
/// assert_eq!((out.upper, out.basis, out.lower), (12.0, 10.5, 9.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects length 0. `update` rejects a non-finite or inconsistent bar
/// ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Richard Donchian; TradingView help "Donchian Channels (DC)" (defaults:
/// Length 20, Offset 0). No TA-Lib twin.
#[doc(alias = "DC")]
#[doc(alias = "DONCHIAN")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Donchian<T = f64> {
    window: HighLow<T>,
}
checked_deserialize!(Donchian<T> { window: HighLow<T> });

/// One [`Donchian`] value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DonchianOutput<T = f64> {
    /// Highest high of the window.
    pub upper: T,
    /// `(lower + upper) / 2`.
    pub basis: T,
    /// Lowest low of the window.
    pub lower: T,
}

impl<T: Float> Donchian<T> {
    /// Donchian channels over `length` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `length` if it is 0.
    pub fn new(length: usize) -> Result<Self> {
        Ok(Donchian {
            window: HighLow::new(check_period("length", length, 1)?),
        })
    }
    /// The length n.
    pub fn length(&self) -> usize {
        self.window.period()
    }
}

impl<T: Float> Indicator for Donchian<T> {
    type Input = Bar<T>;
    type Output = DonchianOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<DonchianOutput<T>>> {
        bar.validate()?;
        self.window.push(bar.high, bar.low);
        Ok(self.window.range().map(|(upper, lower)| DonchianOutput {
            upper,
            basis: (lower + upper) / T::from_f64(2.0),
            lower,
        }))
    }
    fn reset(&mut self) {
        self.window.clear();
    }
    fn lookback(&self) -> usize {
        self.window.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.window.range().is_some()
    }
}

impl<T: Float> Default for Donchian<T> {
    /// DC(20), TradingView's default.
    fn default() -> Self {
        Donchian {
            window: HighLow::new(20),
        }
    }
}

impl<T: Float> fmt::Display for Donchian<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DC({})", self.window.period())
    }
}

impl<T: Float> Invariants for Donchian<T> {
    fn check(&self) -> Result<()> {
        self.window.check()?;
        state_ok(self.window.period() >= 1, "Donchian length is 0")
    }
}
