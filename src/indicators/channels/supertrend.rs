//! SuperTrend.

use core::fmt;

use super::{check_multiplier, PineAtr};
use crate::error::check_period;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// SuperTrend, exactly TradingView's `ta.supertrend(factor, atrPeriod)`: a
/// trailing stop `factor` ATRs from the bar's midpoint that flips side when
/// the close crosses it.
///
/// In an uptrend the line is the lower band, which only ever rises; in a
/// downtrend the upper band, which only ever falls; a close through the line
/// flips the trend. The line is a price; the direction is −1 or +1.
///
/// # Formula
///
/// Pine's reference implementation of `ta.supertrend`, with `na` spelt out:
///
/// ```text
/// ATR   = ta.atr(p)   (RMA of TR, TR[0] = high − low, seed = mean of the first p)
/// up    = hl2 + factor·ATR,   dn = hl2 − factor·ATR,   hl2 = (high + low)/2
/// pu    = final upper band of the previous bar, 0 if it has none (nz)
/// pd    = final lower band of the previous bar, 0 if it has none (nz)
/// dn    = dn  if dn > pd or close[1] < pd  else pd       (final lower band)
/// up    = up  if up < pu or close[1] > pu  else pu       (final upper band)
///         (a comparison with a missing close[1] is false)
/// dir   = +1                                 on the first bar with an ATR
///       = (close > up ? −1 : +1)             if ST[1] == pu (was in a downtrend)
///       = (close < dn ? +1 : −1)             otherwise
/// ST    = dir == −1 ? dn : up
/// ```
///
/// **Sign convention (TradingView's): direction −1 is an uptrend** (the
/// line is below the price, a long's stop), **+1 a downtrend**; see
/// [`SuperTrendOutput::is_uptrend`].
///
/// TradingView quirks matched: the first bar with an ATR always starts a
/// downtrend (+1, the line on the upper band), and a missing previous band
/// counts as 0. For positive prices and `atr_period ≥ 2` that second rule
/// changes nothing; with `atr_period = 1` the very first bar has no
/// `close[1]`, so its final upper band (and line) is 0, as TradingView draws
/// it.
///
/// # Warm-up
///
/// Lookback `atr_period − 1` (the first bar with an ATR).
///
/// # Parameters
///
/// * `atr_period` p ≥ 1 (TradingView's "ATR Length", default 10);
/// * `factor` in [0, 1e6] ("Factor", default 3).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, SuperTrend};
/// # fn main() -> apex_ta::Result<()> {
/// let mut st = SuperTrend::new(2, 1.0)?;
/// assert_eq!(st.update(Bar::new(10.0, 11.0, 9.0, 10.0, 1.0))?, None);
/// // ATR (2 + 2)/2 = 2, hl2 11: bands 9 and 13; the first value is a downtrend
/// let out = st.update(Bar::new(11.0, 12.0, 10.0, 11.0, 1.0))?.expect("warmed up");
/// assert_eq!((out.supertrend, out.direction), (13.0, 1));
/// // a close above the upper band (13) flips to an uptrend on the lower band
/// let out = st.update(Bar::new(11.0, 16.0, 11.0, 15.5, 1.0))?.expect("warmed up");
/// assert!(out.is_uptrend());
/// assert_eq!(out.supertrend, 13.5 - 3.5); // hl2 13.5 − ATR (2 + 5)/2
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects an ATR period of 0 and a factor outside [0, 1e6].
/// `update` rejects a non-finite or inconsistent bar ([`Bar::validate`]),
/// state unchanged.
///
/// # References
///
/// Olivier Seban; TradingView help "Supertrend" (defaults: ATR Length 10,
/// Factor 3) and the Pine reference of `ta.supertrend`. No TA-Lib twin.
#[doc(alias = "SUPERTREND")]
#[doc(alias = "ST")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SuperTrend<T = f64> {
    atr: PineAtr<T>,
    factor: T,
    /// The previous bar's final upper band, final lower band and line, once
    /// it had an ATR.
    last: Option<(T, T, T)>,
}
checked_deserialize!(SuperTrend<T> {
    atr: PineAtr<T>,
    factor: T,
    last: Option<(T, T, T)>,
});

/// One [`SuperTrend`] value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SuperTrendOutput<T = f64> {
    /// The SuperTrend line: the final lower band in an uptrend, the final
    /// upper band in a downtrend.
    pub supertrend: T,
    /// TradingView's direction: **−1 uptrend, +1 downtrend**.
    pub direction: i8,
}

impl<T> SuperTrendOutput<T> {
    /// Whether the trend is up (`direction == −1`, TradingView's sign).
    pub fn is_uptrend(&self) -> bool {
        self.direction < 0
    }
}

impl<T: Float> SuperTrend<T> {
    /// SuperTrend over an ATR of `atr_period` bars, `factor` ATRs wide.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `atr_period` if it is 0, or `factor` if negative or not finite.
    pub fn new(atr_period: usize, factor: T) -> Result<Self> {
        let atr_period = check_period("atr_period", atr_period, 1)?;
        let factor = check_multiplier("factor", factor)?;
        Ok(SuperTrend {
            atr: PineAtr::new(atr_period),
            factor,
            last: None,
        })
    }
    /// The ATR period p.
    pub fn atr_period(&self) -> usize {
        self.atr.period()
    }
    /// The band width in ATRs.
    pub fn factor(&self) -> T {
        self.factor
    }
}

impl<T: Float> Indicator for SuperTrend<T> {
    type Input = Bar<T>;
    type Output = SuperTrendOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<SuperTrendOutput<T>>> {
        bar.validate()?;
        let prev_close = self.atr.prev_close();
        let Some(atr) = self.atr.push(&bar) else {
            return Ok(None);
        };
        let hl2 = (bar.high + bar.low) / T::from_f64(2.0);
        let mut upper = hl2 + self.factor * atr;
        let mut lower = hl2 - self.factor * atr;
        let (prev_upper, prev_lower) = self.last.map_or((T::zero(), T::zero()), |l| (l.0, l.1));
        if !(lower > prev_lower || prev_close.is_some_and(|c| c < prev_lower)) {
            lower = prev_lower;
        }
        if !(upper < prev_upper || prev_close.is_some_and(|c| c > prev_upper)) {
            upper = prev_upper;
        }
        let direction: i8 = match self.last {
            None => 1,
            // Pine's `prevSuperTrend == prevUpperBand`: was in a downtrend.
            Some((_, _, line)) => {
                if line == prev_upper {
                    if bar.close > upper {
                        -1
                    } else {
                        1
                    }
                } else if bar.close < lower {
                    1
                } else {
                    -1
                }
            }
        };
        let supertrend = if direction == -1 { lower } else { upper };
        self.last = Some((upper, lower, supertrend));
        Ok(Some(SuperTrendOutput {
            supertrend,
            direction,
        }))
    }
    fn reset(&mut self) {
        self.atr.reset();
        self.last = None;
    }
    fn lookback(&self) -> usize {
        self.atr.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.atr.is_ready()
    }
}

impl<T: Float> Default for SuperTrend<T> {
    /// SUPERTREND(10, 3), TradingView's defaults.
    fn default() -> Self {
        SuperTrend {
            atr: PineAtr::new(10),
            factor: T::from_f64(3.0),
            last: None,
        }
    }
}

impl<T: Float> fmt::Display for SuperTrend<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SUPERTREND({}, {})", self.atr.period(), self.factor)
    }
}

impl<T: Float> Invariants for SuperTrend<T> {
    fn check(&self) -> Result<()> {
        self.atr.check()?;
        state_ok(
            check_multiplier("factor", self.factor).is_ok(),
            "SuperTrend factor outside [0, 1e6]",
        )?;
        match self.last {
            None => state_ok(!self.atr.is_ready(), "SuperTrend bands missing"),
            Some((upper, lower, line)) => {
                state_ok(self.atr.is_ready(), "SuperTrend bands before the ATR")?;
                state_ok(
                    upper.is_finite() && lower.is_finite() && (line == upper || line == lower),
                    "SuperTrend line is neither band",
                )
            }
        }
    }
}
