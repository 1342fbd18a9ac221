//! Aroon (AROON) and the Aroon oscillator (AROONOSC): how long ago the
//! window's highest high and lowest low were.

use core::fmt;

use crate::error::check_period;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Bar, Float, Indicator, Result};

/// The last n + 1 highs and lows with the ages of their extremes: the state
/// [`Aroon`] and [`AroonOsc`] share.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
struct AroonWindow<T> {
    period: usize,
    /// Highest high of the last n + 1 bars, most recent on ties.
    highs: MonoDeque<T, true>,
    /// Lowest low of the last n + 1 bars, most recent on ties.
    lows: MonoDeque<T, false>,
}
checked_deserialize!(AroonWindow<T> {
    period: usize,
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
});

impl<T: Float> Invariants for AroonWindow<T> {
    fn check(&self) -> Result<()> {
        self.highs.check()?;
        self.lows.check()?;
        state_ok(self.period >= 2, "Aroon period below 2")?;
        state_ok(
            self.highs.capacity() == self.period + 1 && self.lows.capacity() == self.period + 1,
            "Aroon window inconsistent with period",
        )?;
        state_ok(
            self.highs.count() == self.lows.count(),
            "Aroon high and low windows out of step",
        )
    }
}

impl<T: Float> AroonWindow<T> {
    fn new(period: usize) -> Self {
        AroonWindow {
            period,
            highs: MonoDeque::new(period + 1),
            lows: MonoDeque::new(period + 1),
        }
    }
    fn is_ready(&self) -> bool {
        self.highs.count() > self.period as u64
    }
    /// Feeds a validated bar; once ready, `(bars since the highest high,
    /// bars since the lowest low)`, each in `0..=n`.
    #[inline]
    fn push(&mut self, bar: &Bar<T>) -> Option<(usize, usize)> {
        self.highs.push(bar.high);
        self.lows.push(bar.low);
        if !self.is_ready() {
            return None;
        }
        let age = |e: Option<(T, u64)>| {
            e.and_then(|(_, age)| usize::try_from(age).ok())
                .map_or(self.period, |a| a.min(self.period))
        };
        Some((age(self.highs.extreme()), age(self.lows.extreme())))
    }
    /// `100/n`, TA-Lib's factor.
    fn factor(&self) -> T {
        T::from_f64(100.0) / T::from_usize(self.period)
    }
    fn clear(&mut self) {
        self.highs.clear();
        self.lows.clear();
    }
}

/// One Aroon value: Aroon down and Aroon up, in TA-Lib's order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AroonOutput<T = f64> {
    /// Aroon down (TA-Lib's `aroondown`): 100 when the lowest low is this
    /// bar, 0 when it is n bars ago.
    pub down: T,
    /// Aroon up (TA-Lib's `aroonup`): 100 when the highest high is this bar,
    /// 0 when it is n bars ago.
    pub up: T,
}

/// Aroon, TA-Lib's `AROON`: how recently the window set its high and its
/// low.
///
/// Each line is 0–100: 100 when the extreme is the current bar, falling by
/// 100/n a bar as it ages, 0 when it is n bars old. Up near 100 and down
/// near 0 reads as an up trend; both low as consolidation.
///
/// # Formula
///
/// ```text
/// window   = the last n + 1 bars (the current one and n before it)
/// up       = (100/n) · (n − bars since the window's highest high)
/// down     = (100/n) · (n − bars since the window's lowest low)
/// ```
///
/// TA-Lib quirk, matched: on ties the **most recent** bar holding the
/// extreme counts, and the window is n + 1 bars, so the first value comes
/// with bar n.
///
/// # Warm-up
///
/// Lookback n.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Aroon, AroonOutput, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut aroon = Aroon::new(4)?;
/// let lows = [5.0, 3.0, 4.0, 6.0, 7.0]; // the low of 3.0 was 3 bars ago
/// let mut last = None;
/// for (i, low) in lows.into_iter().enumerate() {
///     let high = low + 1.0 + i as f64; // highs rise: the high is this bar
///     last = aroon.update(Bar::new(low, high, low, low, 0.0))?;
/// }
/// assert_eq!(last, Some(AroonOutput { down: 25.0, up: 100.0 }));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2; `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Tushar Chande (1995); TA-Lib `TA_AROON`.
#[doc(alias = "AROON")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Aroon<T = f64> {
    window: AroonWindow<T>,
}
checked_deserialize!(Aroon<T> { window: AroonWindow<T> });

impl<T: Float> Invariants for Aroon<T> {
    fn check(&self) -> Result<()> {
        self.window.check()
    }
}

impl<T: Float> Aroon<T> {
    /// Aroon over `period` bars (a window of `period + 1`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Aroon {
            window: AroonWindow::new(check_period("period", period, 2)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.window.period
    }
}

impl<T: Float> Indicator for Aroon<T> {
    type Input = Bar<T>;
    type Output = AroonOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<AroonOutput<T>>> {
        bar.validate()?;
        let n = self.window.period;
        let factor = self.window.factor();
        Ok(self
            .window
            .push(&bar)
            .map(|(since_high, since_low)| AroonOutput {
                down: factor * T::from_usize(n - since_low),
                up: factor * T::from_usize(n - since_high),
            }))
    }
    fn reset(&mut self) {
        self.window.clear();
    }
    fn lookback(&self) -> usize {
        self.window.period
    }
    fn is_ready(&self) -> bool {
        self.window.is_ready()
    }
}

impl<T: Float> Default for Aroon<T> {
    /// AROON(14).
    fn default() -> Self {
        Aroon {
            window: AroonWindow::new(14),
        }
    }
}

impl<T> fmt::Display for Aroon<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AROON({})", self.window.period)
    }
}

/// Aroon oscillator, TA-Lib's `AROONOSC`: Aroon up minus Aroon down.
///
/// −100 to 100: positive when the window's high is more recent than its
/// low (an up trend), negative the other way.
///
/// # Formula
///
/// ```text
/// AROONOSC = up − down = (100/n) · (bars since the low − bars since the high)
/// ```
///
/// over the same n + 1 bars and tie rule (most recent extreme) as [`Aroon`];
/// computed, as TA-Lib does, from the two positions in one product.
///
/// # Warm-up
///
/// Lookback n.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{AroonOsc, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut osc = AroonOsc::new(4)?;
/// let lows = [5.0, 3.0, 4.0, 6.0, 7.0]; // the low 3 bars ago
/// let mut last = None;
/// for (i, low) in lows.into_iter().enumerate() {
///     let high = low + 1.0 + i as f64; // the high this bar
///     last = osc.update(Bar::new(low, high, low, low, 0.0))?;
/// }
/// assert_eq!(last, Some(75.0)); // 100 − 25
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2; `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Tushar Chande (1995); TA-Lib `TA_AROONOSC`.
#[doc(alias = "AROONOSC")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AroonOsc<T = f64> {
    window: AroonWindow<T>,
}
checked_deserialize!(AroonOsc<T> { window: AroonWindow<T> });

impl<T: Float> Invariants for AroonOsc<T> {
    fn check(&self) -> Result<()> {
        self.window.check()
    }
}

impl<T: Float> AroonOsc<T> {
    /// The Aroon oscillator over `period` bars (a window of `period + 1`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(AroonOsc {
            window: AroonWindow::new(check_period("period", period, 2)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.window.period
    }
}

impl<T: Float> Indicator for AroonOsc<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let factor = self.window.factor();
        Ok(self.window.push(&bar).map(|(since_high, since_low)| {
            factor * (T::from_usize(since_low) - T::from_usize(since_high))
        }))
    }
    fn reset(&mut self) {
        self.window.clear();
    }
    fn lookback(&self) -> usize {
        self.window.period
    }
    fn is_ready(&self) -> bool {
        self.window.is_ready()
    }
}

impl<T: Float> Default for AroonOsc<T> {
    /// AROONOSC(14).
    fn default() -> Self {
        AroonOsc {
            window: AroonWindow::new(14),
        }
    }
}

impl<T> fmt::Display for AroonOsc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AROONOSC({})", self.window.period)
    }
}
