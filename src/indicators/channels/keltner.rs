//! Keltner channels.

use core::fmt;

use super::{check_multiplier, PineAtr};
use crate::error::check_period;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, MaType, MovingAverage, Result};

/// Keltner channels (KC), TradingView's "Keltner Channels": a moving average
/// of the close with bands a multiple of the average true range away.
///
/// A volatility envelope: the bands widen with the ATR, so a close outside
/// them is a move large against recent volatility. Prices, with
/// `lower ≤ basis ≤ upper`.
///
/// # Formula
///
/// ```text
/// basis = EMA_n(close)                  (SMA_n with MaType::Sma)
/// ATR   = ta.atr(m):  RMA_m(TR),  TR[0] = high − low,
///         seeded with the mean of the first m true ranges
/// upper = basis + ATR · k
/// lower = basis − ATR · k
/// ```
///
/// The EMA is seeded with the SMA of the first n closes (α = 2/(n+1)), as
/// TradingView's `ta.ema` and this crate's [`Ema`](crate::Ema). The ATR is
/// Pine's `ta.atr`, not TA-Lib's `ATR`: its first true range is the first
/// bar's `high − low`, so it starts at bar m − 1 (TA-Lib's at bar m).
///
/// # Warm-up
///
/// Lookback max(n − 1, m − 1): the basis first exists at bar n − 1, the ATR
/// at bar m − 1; with the defaults, 19.
///
/// # Parameters
///
/// TradingView's inputs and defaults:
///
/// * `length` n ≥ 1 ("Length", 20);
/// * `multiplier` k in [0, 1e6] ("Multiplier", 2);
/// * `atr_length` m ≥ 1 ("ATR Length", 10; bands style "Average True
///   Range");
/// * `ma` [`MaType::Ema`] ("Use Exponential MA" on) or [`MaType::Sma`].
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, Keltner, MaType};
/// # fn main() -> apex_ta::Result<()> {
/// // length 2, multiplier 2, ATR length 1 (the ATR is the bar's true range)
/// let mut kc = Keltner::with_params(2, 2.0, 1, MaType::Sma)?;
/// assert_eq!(kc.update(Bar::new(10.0, 11.0, 9.0, 10.0, 1.0))?, None);
/// let out = kc.update(Bar::new(10.0, 12.5, 10.0, 12.0, 1.0))?.expect("warmed up");
/// // basis (10 + 12)/2 = 11, TR = max(2.5, |12.5 − 10|, |10 − 10|) = 2.5
/// assert_eq!((out.lower, out.basis, out.upper), (6.0, 11.0, 16.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a length or ATR length of 0 and a multiplier outside
/// [0, 1e6]. `update` rejects a non-finite or inconsistent bar
/// ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Chester Keltner (1960), in the EMA/ATR form of Linda Bradford Raschke;
/// TradingView help "Keltner Channels (KC)" (defaults: Length 20,
/// Multiplier 2, Source close, Use Exponential MA on, Bands Style Average
/// True Range, ATR Length 10). No TA-Lib twin.
#[doc(alias = "KC")]
#[doc(alias = "KELTNER")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Keltner<T = f64> {
    basis: MovingAverage<T>,
    atr: PineAtr<T>,
    multiplier: T,
}
checked_deserialize!(Keltner<T> {
    basis: MovingAverage<T>,
    atr: PineAtr<T>,
    multiplier: T,
});

/// One [`Keltner`] value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KeltnerOutput<T = f64> {
    /// `basis + ATR · multiplier`.
    pub upper: T,
    /// The moving average of the close.
    pub basis: T,
    /// `basis − ATR · multiplier`.
    pub lower: T,
}

impl<T: Float> Keltner<T> {
    /// Keltner channels with TradingView's other defaults: an EMA basis and
    /// ATR length 10.
    ///
    /// # Errors
    ///
    /// As [`with_params`](Self::with_params).
    pub fn new(length: usize, multiplier: T) -> Result<Self> {
        Self::with_params(length, multiplier, 10, MaType::Ema)
    }
    /// Keltner channels with every input given.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `length` or `atr_length` if 0, or `multiplier` if negative or not
    /// finite.
    pub fn with_params(
        length: usize,
        multiplier: T,
        atr_length: usize,
        ma: MaType,
    ) -> Result<Self> {
        let length = check_period("length", length, 1)?;
        let multiplier = check_multiplier("multiplier", multiplier)?;
        let atr_length = check_period("atr_length", atr_length, 1)?;
        Ok(Keltner {
            basis: MovingAverage::new(length, ma)?,
            atr: PineAtr::new(atr_length),
            multiplier,
        })
    }
    /// The basis length n.
    pub fn length(&self) -> usize {
        self.basis.period()
    }
    /// The ATR multiplier k.
    pub fn multiplier(&self) -> T {
        self.multiplier
    }
    /// The ATR length m.
    pub fn atr_length(&self) -> usize {
        self.atr.period()
    }
    /// The basis' moving-average type.
    pub fn ma(&self) -> MaType {
        self.basis.kind()
    }
}

impl<T: Float> Indicator for Keltner<T> {
    type Input = Bar<T>;
    type Output = KeltnerOutput<T>;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<KeltnerOutput<T>>> {
        bar.validate()?;
        // The close is finite (validated), so the basis accepts it; it goes
        // first so that nothing has changed if it ever did not.
        let basis = self.basis.update(bar.close)?;
        let atr = self.atr.push(&bar);
        Ok(match (basis, atr) {
            (Some(basis), Some(atr)) => Some(KeltnerOutput {
                upper: basis + atr * self.multiplier,
                basis,
                lower: basis - atr * self.multiplier,
            }),
            _ => None,
        })
    }
    fn reset(&mut self) {
        self.basis.reset();
        self.atr.reset();
    }
    fn lookback(&self) -> usize {
        self.basis.lookback().max(self.atr.period() - 1)
    }
    fn is_ready(&self) -> bool {
        self.basis.is_ready() && self.atr.is_ready()
    }
}

impl<T: Float> Default for Keltner<T> {
    /// KC(20, 2, 10, EMA), TradingView's defaults.
    fn default() -> Self {
        Keltner {
            basis: MovingAverage::Ema(crate::Ema::default()),
            atr: PineAtr::new(10),
            multiplier: T::from_f64(2.0),
        }
    }
}

impl<T: Float> fmt::Display for Keltner<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KC({}, {}, {}, {})",
            self.basis.period(),
            self.multiplier,
            self.atr.period(),
            self.basis.kind()
        )
    }
}

impl<T: Float> Invariants for Keltner<T> {
    fn check(&self) -> Result<()> {
        self.basis.check()?;
        self.atr.check()?;
        state_ok(
            check_multiplier("multiplier", self.multiplier).is_ok(),
            "Keltner multiplier outside [0, 1e6]",
        )
    }
}
