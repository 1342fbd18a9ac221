//! Ichimoku cloud.

use core::fmt;

use super::HighLow;
use crate::error::check_period;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// Ichimoku Kinkō Hyō, TradingView's "Ichimoku Cloud": three Donchian
/// midpoints, the two leading spans built from them, and the close as the
/// lagging span.
///
/// Trend, momentum and support in one picture: price above the cloud (the
/// area between the leading spans, drawn ahead) is bullish, the conversion
/// line crossing the base line is the signal. All five lines are prices.
///
/// # Formula
///
/// ```text
/// mid(n)     = (lowest low of n bars + highest high of n bars) / 2
///              (Pine's donchian(n) = math.avg(ta.lowest(n), ta.highest(n)),
///               the current bar included)
/// conversion = mid(c)                   (Tenkan-sen)
/// base       = mid(b)                   (Kijun-sen)
/// lead_a     = (conversion + base) / 2  (Senkou span A)
/// lead_b     = mid(s)                   (Senkou span B)
/// lagging    = close                    (Chikou span)
/// ```
///
/// # Shifting: values at this bar, drawn elsewhere
///
/// Every output is the value **computed at the current bar**, unshifted.
/// TradingView draws the leading spans `displacement − 1` bars ahead and the
/// lagging span `displacement − 1` bars behind (its script plots them with
/// `offset = displacement − 1` and `offset = −displacement + 1`: 25 bars
/// with the default displacement 26, the current bar counting as the
/// first of 26). So, with `d = displacement` and outputs indexed by bar:
///
/// ```text
/// cloud drawn at bar t    = lead_a[t − (d − 1)], lead_b[t − (d − 1)]
/// lagging drawn at bar t  = close[t + (d − 1)]   (known d − 1 bars later)
/// ```
///
/// To compare the price with the cloud under it, keep the last `d − 1`
/// leading-span pairs (a ring of [`plot_offset`](Ichimoku::plot_offset)
/// entries) and read the oldest before pushing the newest; to place the
/// lagging span, write the close `d − 1` rows back. The displacement
/// parameter changes nothing else.
///
/// # Warm-up
///
/// Each line alone first exists at bar (TradingView draws it from there):
/// conversion c − 1, base b − 1, lead A max(c, b) − 1, lead B s − 1,
/// lagging 0. This type outputs all five together, so its lookback is
/// max(c, b, s) − 1 (51 with the defaults). For an earlier conversion or
/// base line, [`Donchian`](crate::Donchian)'s basis is the same midpoint.
///
/// # Parameters
///
/// TradingView's inputs and defaults, all ≥ 1:
///
/// * `conversion` c ("Conversion Line Length", 9);
/// * `base` b ("Base Line Length", 26);
/// * `span_b` s ("Leading Span B Length", 52);
/// * `displacement` d ("Lagging Span", 26): where the spans are drawn (see
///   above), not their values.
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Ichimoku, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut ichi = Ichimoku::new(1, 2, 3, 2)?;
/// let bars = [
///     Bar::new(10.0, 12.0, 8.0, 11.0, 1.0),
///     Bar::new(11.0, 13.0, 10.0, 12.0, 1.0),
///     Bar::new(12.0, 12.5, 11.0, 11.5, 1.0),
/// ];
/// let out = ichi.batch(&bars).map_err(|e| e.error)?;
/// assert_eq!(out[1], None); // lookback max(1, 2, 3) − 1 = 2
/// let last = out[2].expect("warmed up");
/// assert_eq!(last.conversion, 11.75); // (11 + 12.5)/2, the last bar
/// assert_eq!(last.base, 11.5);        // (10 + 13)/2, the last 2 bars
/// assert_eq!(last.lead_a, 11.625);    // (11.75 + 11.5)/2
/// assert_eq!(last.lead_b, 10.5);      // (8 + 13)/2, the last 3 bars
/// assert_eq!(last.lagging, 11.5);     // the close
/// // TradingView draws lead_a/lead_b 1 bar ahead, the lagging span 1 behind
/// assert_eq!(ichi.plot_offset(), 1);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects any length or displacement of 0. `update` rejects a
/// non-finite or inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Goichi Hosoda (1969); TradingView help "Ichimoku Cloud" (defaults 9, 26,
/// 52, 26). No TA-Lib twin.
#[doc(alias = "ICHIMOKU")]
#[doc(alias = "Ichimoku Kinko Hyo")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ichimoku<T = f64> {
    conversion: HighLow<T>,
    base: HighLow<T>,
    span_b: HighLow<T>,
    displacement: usize,
}
checked_deserialize!(Ichimoku<T> {
    conversion: HighLow<T>,
    base: HighLow<T>,
    span_b: HighLow<T>,
    displacement: usize,
});

/// One [`Ichimoku`] value: every line as computed at the bar, unshifted (see
/// [`Ichimoku`] for where TradingView draws each).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IchimokuOutput<T = f64> {
    /// Conversion line (Tenkan-sen): midpoint of the last c bars.
    pub conversion: T,
    /// Base line (Kijun-sen): midpoint of the last b bars.
    pub base: T,
    /// Leading span A (Senkou A), `(conversion + base) / 2`; drawn
    /// `displacement − 1` bars ahead.
    pub lead_a: T,
    /// Leading span B (Senkou B): midpoint of the last s bars; drawn
    /// `displacement − 1` bars ahead.
    pub lead_b: T,
    /// Lagging span (Chikou): this bar's close; drawn `displacement − 1`
    /// bars behind.
    pub lagging: T,
}

impl<T: Float> Ichimoku<T> {
    /// Ichimoku with the given lengths and displacement.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `conversion`, `base`, `span_b` or `displacement` if it is 0.
    pub fn new(conversion: usize, base: usize, span_b: usize, displacement: usize) -> Result<Self> {
        Ok(Ichimoku {
            conversion: HighLow::new(check_period("conversion", conversion, 1)?),
            base: HighLow::new(check_period("base", base, 1)?),
            span_b: HighLow::new(check_period("span_b", span_b, 1)?),
            displacement: check_period("displacement", displacement, 1)?,
        })
    }
    /// The conversion-line length c.
    pub fn conversion(&self) -> usize {
        self.conversion.period()
    }
    /// The base-line length b.
    pub fn base(&self) -> usize {
        self.base.period()
    }
    /// The leading-span-B length s.
    pub fn span_b(&self) -> usize {
        self.span_b.period()
    }
    /// The displacement d (TradingView's "Lagging Span" input).
    pub fn displacement(&self) -> usize {
        self.displacement
    }
    /// How many bars TradingView shifts the lines: `displacement − 1`
    /// (leading spans ahead, the lagging span behind).
    pub fn plot_offset(&self) -> usize {
        self.displacement - 1
    }
}

impl<T: Float> Indicator for Ichimoku<T> {
    type Input = Bar<T>;
    type Output = IchimokuOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<IchimokuOutput<T>>> {
        bar.validate()?;
        self.conversion.push(bar.high, bar.low);
        self.base.push(bar.high, bar.low);
        self.span_b.push(bar.high, bar.low);
        let (Some(conversion), Some(base), Some(lead_b)) = (
            self.conversion.midpoint(),
            self.base.midpoint(),
            self.span_b.midpoint(),
        ) else {
            return Ok(None);
        };
        Ok(Some(IchimokuOutput {
            conversion,
            base,
            lead_a: (conversion + base) / T::from_f64(2.0),
            lead_b,
            lagging: bar.close,
        }))
    }
    fn reset(&mut self) {
        self.conversion.clear();
        self.base.clear();
        self.span_b.clear();
    }
    fn lookback(&self) -> usize {
        self.conversion
            .period()
            .max(self.base.period())
            .max(self.span_b.period())
            - 1
    }
    fn is_ready(&self) -> bool {
        self.conversion.range().is_some()
            && self.base.range().is_some()
            && self.span_b.range().is_some()
    }
}

impl<T: Float> Default for Ichimoku<T> {
    /// ICHIMOKU(9, 26, 52, 26), TradingView's defaults.
    fn default() -> Self {
        Ichimoku {
            conversion: HighLow::new(9),
            base: HighLow::new(26),
            span_b: HighLow::new(52),
            displacement: 26,
        }
    }
}

impl<T: Float> fmt::Display for Ichimoku<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ICHIMOKU({}, {}, {}, {})",
            self.conversion.period(),
            self.base.period(),
            self.span_b.period(),
            self.displacement
        )
    }
}

impl<T: Float> Invariants for Ichimoku<T> {
    fn check(&self) -> Result<()> {
        self.conversion.check()?;
        self.base.check()?;
        self.span_b.check()?;
        state_ok(self.displacement >= 1, "Ichimoku displacement is 0")?;
        let seen = self.conversion.count();
        state_ok(
            self.base.count() == seen && self.span_b.count() == seen,
            "Ichimoku windows out of step",
        )
    }
}
