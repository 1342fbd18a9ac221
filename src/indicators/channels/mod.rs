//! Indicators without a TA-Lib twin, defined as TradingView does: session VWAP, Keltner and Donchian channels, SuperTrend, Ichimoku.
//!
//! TradingView's built-in indicators are what users compare these with, so
//! each follows a named TradingView indicator with its default inputs,
//! including two Pine building blocks that differ from TA-Lib's:
//!
//! * `ta.atr` ([`PineAtr`]): the first bar's true range is `high − low`
//!   (TA-Lib skips that bar), so ATR(n) starts one bar earlier than TA-Lib's
//!   `ATR`, at bar n − 1, from the mean of the first n true ranges.
//! * `ta.ema`: seeded with the SMA of the first n inputs, as this crate's
//!   [`Ema`](crate::Ema) (TradingView's help page "Exponential Moving
//!   Average": "for the first EMA, we use the SMA").
//!
//! The values are checked against `tests/golden/gen_channels.py`, a separate
//! plain-Python transcription of the TradingView definitions.

use crate::float::smooth;
use crate::indicators::atr::true_range;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Bar, Error, Float, Result};

mod donchian;
mod ichimoku;
mod keltner;
mod supertrend;
mod vwap;

pub use donchian::{Donchian, DonchianOutput};
pub use ichimoku::{Ichimoku, IchimokuOutput};
pub use keltner::{Keltner, KeltnerOutput};
pub use supertrend::{SuperTrend, SuperTrendOutput};
pub use vwap::{Vwap, VwapAnchor, VwapOutput};

/// A multiplier parameter: in [0, 1e6], else `InvalidParameter` naming it.
pub(crate) fn check_multiplier<T: Float>(name: &'static str, x: T) -> Result<T> {
    if x >= T::zero() && x <= T::from_f64(crate::float::MAX_MULTIPLIER) {
        Ok(x)
    } else {
        Err(Error::InvalidParameter {
            name,
            value: x.to_f64(),
            reason: "must be finite, at least 0 and at most 1e6",
        })
    }
}

/// Pine's `ta.atr(n)`: Wilder's RMA of `ta.tr(true)`.
///
/// ```text
/// TR[0] = high − low                                   (no previous close)
/// TR    = max(high − low, |high − close[1]|, |low − close[1]|)
/// ATR   = mean(TR[0..n])                               at bar n − 1
/// ATR   = (1/n)·TR + (1 − 1/n)·ATR[1]                  afterwards
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct PineAtr<T> {
    period: usize,
    alpha: T,
    /// Bars seen, saturating at `period` (then every bar yields).
    seen: usize,
    /// The previous bar's close (meaningless before the first bar).
    prev_close: T,
    /// Sum of the true ranges while warming up, then the ATR.
    value: T,
}
checked_deserialize!(PineAtr<T> {
    period: usize,
    alpha: T,
    seen: usize,
    prev_close: T,
    value: T,
});

impl<T: Float> Invariants for PineAtr<T> {
    fn check(&self) -> Result<()> {
        state_ok(self.period >= 1, "ATR period is 0")?;
        state_ok(self.seen <= self.period, "ATR count exceeds period")?;
        state_ok(
            self.alpha == T::one() / T::from_usize(self.period),
            "ATR alpha inconsistent with period",
        )?;
        state_ok(
            self.prev_close.is_finite() && self.value.is_finite() && self.value >= T::zero(),
            "ATR state non-finite or negative",
        )?;
        state_ok(
            self.seen > 0 || (self.prev_close == T::zero() && self.value == T::zero()),
            "ATR state before the first bar not empty",
        )
    }
}

impl<T: Float> PineAtr<T> {
    /// `period ≥ 1` is the caller's invariant.
    pub(crate) fn new(period: usize) -> Self {
        let period = period.max(1);
        PineAtr {
            period,
            alpha: T::one() / T::from_usize(period),
            seen: 0,
            prev_close: T::zero(),
            value: T::zero(),
        }
    }
    pub(crate) fn period(&self) -> usize {
        self.period
    }
    pub(crate) fn is_ready(&self) -> bool {
        self.seen == self.period
    }
    /// Whether a bar has been seen (so `close[1]` exists for the next one).
    pub(crate) fn prev_close(&self) -> Option<T> {
        (self.seen > 0).then_some(self.prev_close)
    }
    /// Feeds a validated bar; the ATR once `period` bars have been seen.
    #[inline]
    pub(crate) fn push(&mut self, bar: &Bar<T>) -> Option<T> {
        let tr = if self.seen == 0 {
            bar.high - bar.low
        } else {
            true_range(bar.high, bar.low, self.prev_close)
        };
        self.prev_close = bar.close;
        if self.seen == self.period {
            self.value = smooth(self.value, T::one() - self.alpha, tr * self.alpha);
            return Some(self.value);
        }
        self.value = self.value + tr;
        self.seen += 1;
        if self.seen < self.period {
            return None;
        }
        self.value = self.value / T::from_usize(self.period);
        Some(self.value)
    }
    pub(crate) fn reset(&mut self) {
        *self = Self::new(self.period);
    }
}

/// Highest high and lowest low of the last `n` bars (Pine's
/// `ta.highest(n)` and `ta.lowest(n)`, the current bar included): one
/// [`MonoDeque`] per side.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct HighLow<T> {
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
}
checked_deserialize!(HighLow<T> {
    highs: MonoDeque<T, true>,
    lows: MonoDeque<T, false>,
});

impl<T: Float> Invariants for HighLow<T> {
    fn check(&self) -> Result<()> {
        self.highs.check()?;
        self.lows.check()?;
        state_ok(
            self.highs.capacity() == self.lows.capacity()
                && self.highs.count() == self.lows.count(),
            "high and low windows out of step",
        )
    }
}

impl<T: Float> HighLow<T> {
    /// `n ≥ 1` is the caller's invariant.
    pub(crate) fn new(n: usize) -> Self {
        HighLow {
            highs: MonoDeque::new(n),
            lows: MonoDeque::new(n),
        }
    }
    pub(crate) fn period(&self) -> usize {
        self.highs.capacity()
    }
    /// Bars pushed so far.
    pub(crate) fn count(&self) -> u64 {
        self.highs.count()
    }
    /// Adds a validated bar's high and low.
    #[inline]
    pub(crate) fn push(&mut self, high: T, low: T) {
        self.highs.push(high);
        self.lows.push(low);
    }
    /// `(highest high, lowest low)` once `n` bars have been pushed.
    #[inline]
    pub(crate) fn range(&self) -> Option<(T, T)> {
        if self.highs.count() < self.period() as u64 {
            return None;
        }
        Some((self.highs.extreme()?.0, self.lows.extreme()?.0))
    }
    /// Pine's `math.avg(ta.lowest(n), ta.highest(n))`, once full.
    #[inline]
    pub(crate) fn midpoint(&self) -> Option<T> {
        self.range().map(|(hi, lo)| (lo + hi) / T::from_f64(2.0))
    }
    pub(crate) fn clear(&mut self) {
        self.highs.clear();
        self.lows.clear();
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn pine_atr_counts_the_first_bar_high_minus_low() {
        let mut atr = PineAtr::<f64>::new(2);
        assert_eq!(atr.push(&Bar::new(10.0, 11.0, 9.0, 10.0, 0.0)), None); // TR 2
                                                                           // TR max(12 − 10, |12 − 10|, |10 − 10|) = 2 → seed (2 + 2)/2
        assert_eq!(atr.push(&Bar::new(10.0, 12.0, 10.0, 11.0, 0.0)), Some(2.0));
        // TR 4 (gap to 15) → 0.5·4 + 0.5·2
        assert_eq!(atr.push(&Bar::new(15.0, 15.0, 14.0, 15.0, 0.0)), Some(3.0));
        atr.reset();
        assert_eq!(atr, PineAtr::new(2));
    }

    #[test]
    fn high_low_is_the_window_extreme_of_each_side() {
        let mut w = HighLow::<f64>::new(3);
        let bars = [(5.0, 1.0), (7.0, 3.0), (6.0, 2.0), (4.0, 3.5), (9.0, 0.5)];
        let mut got = Vec::new();
        for (h, l) in bars {
            w.push(h, l);
            got.push(w.range());
        }
        assert_eq!(
            got,
            vec![
                None,
                None,
                Some((7.0, 1.0)),
                Some((7.0, 2.0)),
                Some((9.0, 0.5))
            ]
        );
        assert_eq!(w.midpoint(), Some(4.75));
    }
}
