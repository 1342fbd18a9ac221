//! A moving average chosen at run time: TA-Lib's `MA` with its `matype`.

use core::fmt;

use crate::indicators::{Dema, Ema, Kama, Sma, Tema, Trima, Wma, T3};
use crate::window::Invariants;
use crate::{Error, Float, Indicator, Result};

/// The kind of moving average an indicator smooths with, by TA-Lib's
/// `matype` code: `0` SMA (TA-Lib's default), `1` EMA, `2` WMA, `3` DEMA,
/// `4` TEMA, `5` TRIMA, `6` KAMA, `8` T3 (volume factor 0.7, as TA-Lib's
/// `MA`). Code `7`, MAMA, is not supported.
///
/// Indicators that take a moving-average type (Bollinger Bands, the
/// stochastics, APO, PPO, …) take a `MaType` and default to TA-Lib's default.
///
/// ```
/// use apex_ta::MaType;
/// # fn main() -> apex_ta::Result<()> {
/// assert_eq!(MaType::from_talib(1)?, MaType::Ema);
/// assert_eq!(MaType::from_talib(8)?, MaType::T3);
/// assert_eq!(MaType::default().talib_code(), 0);
/// assert!(MaType::from_talib(7).is_err()); // MAMA: not supported
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum MaType {
    /// Simple moving average (`matype` 0, TA-Lib's default).
    #[default]
    Sma,
    /// Exponential moving average, SMA seed (`matype` 1).
    Ema,
    /// Linearly weighted moving average (`matype` 2), [`Wma`].
    Wma,
    /// Double exponential moving average (`matype` 3), [`Dema`].
    Dema,
    /// Triple exponential moving average (`matype` 4), [`Tema`].
    Tema,
    /// Triangular moving average (`matype` 5), [`Trima`].
    Trima,
    /// Kaufman adaptive moving average (`matype` 6), [`Kama`].
    Kama,
    /// Tillson's T3 with volume factor 0.7 (`matype` 8), [`T3`].
    T3,
}

impl MaType {
    /// The type for TA-Lib's `matype` code.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a code other than 0–6 and 8 (7 is
    /// TA-Lib's MAMA, not supported).
    pub fn from_talib(code: u32) -> Result<Self> {
        Ok(match code {
            0 => MaType::Sma,
            1 => MaType::Ema,
            2 => MaType::Wma,
            3 => MaType::Dema,
            4 => MaType::Tema,
            5 => MaType::Trima,
            6 => MaType::Kama,
            8 => MaType::T3,
            _ => {
                return Err(Error::InvalidParameter {
                    name: "matype",
                    value: f64::from(code),
                    reason: "supported: 0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 8 T3",
                })
            }
        })
    }

    /// TA-Lib's `matype` code.
    pub const fn talib_code(self) -> u32 {
        match self {
            MaType::Sma => 0,
            MaType::Ema => 1,
            MaType::Wma => 2,
            MaType::Dema => 3,
            MaType::Tema => 4,
            MaType::Trima => 5,
            MaType::Kama => 6,
            MaType::T3 => 8,
        }
    }

    /// TA-Lib's name of the average: `"SMA"`, `"EMA"`, `"WMA"`, `"DEMA"`,
    /// `"TEMA"`, `"TRIMA"`, `"KAMA"` or `"T3"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MaType::Sma => "SMA",
            MaType::Ema => "EMA",
            MaType::Wma => "WMA",
            MaType::Dema => "DEMA",
            MaType::Tema => "TEMA",
            MaType::Trima => "TRIMA",
            MaType::Kama => "KAMA",
            MaType::T3 => "T3",
        }
    }
}

impl fmt::Display for MaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A moving average of a [`MaType`] chosen at run time, TA-Lib's `MA`.
///
/// # Formula
///
/// [`Sma`], [`Ema`], [`Wma`], [`Dema`], [`Tema`], [`Trima`], [`Kama`] or
/// [`T3`] (volume factor 0.7, as TA-Lib's `MA`), exactly; see those types.
///
/// # Warm-up
///
/// The kind's: n − 1 for SMA, EMA, WMA and TRIMA, 2·(n − 1) for DEMA,
/// 3·(n − 1) for TEMA, n for KAMA (0 when n = 1), 6·(n − 1) for T3.
///
/// # Parameters
///
/// * `period` n ≥ 1, `kind` ([`MaType::Sma`] by default, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, MaType, MovingAverage};
/// # fn main() -> apex_ta::Result<()> {
/// let mut ma = MovingAverage::new(3, MaType::Ema)?;
/// let out = ma.batch(&[1.0, 2.0, 3.0, 5.0]).map_err(|e| e.error)?;
/// assert_eq!(out, vec![None, None, Some(2.0), Some(3.5)]);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite input, state unchanged.
///
/// # References
///
/// TA-Lib `TA_MA`.
#[doc(alias = "MA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(deserialize = "T: crate::Float + serde::Deserialize<'de>"))
)]
pub enum MovingAverage<T = f64> {
    /// A simple moving average.
    Sma(Sma<T>),
    /// An exponential moving average.
    Ema(Ema<T>),
    /// A linearly weighted moving average.
    Wma(Wma<T>),
    /// A double exponential moving average.
    Dema(Dema<T>),
    /// A triple exponential moving average.
    Tema(Tema<T>),
    /// A triangular moving average.
    Trima(Trima<T>),
    /// A Kaufman adaptive moving average.
    Kama(Kama<T>),
    /// Tillson's T3 (volume factor 0.7 when built by [`MovingAverage::new`]).
    T3(T3<T>),
}

/// `$body` with `$m` bound to the inner average, whatever the variant.
macro_rules! each {
    ($ma:expr, $m:ident => $body:expr) => {
        match $ma {
            MovingAverage::Sma($m) => $body,
            MovingAverage::Ema($m) => $body,
            MovingAverage::Wma($m) => $body,
            MovingAverage::Dema($m) => $body,
            MovingAverage::Tema($m) => $body,
            MovingAverage::Trima($m) => $body,
            MovingAverage::Kama($m) => $body,
            MovingAverage::T3($m) => $body,
        }
    };
}

impl<T: Float> Invariants for MovingAverage<T> {
    fn check(&self) -> Result<()> {
        each!(self, m => m.check())
    }
}

impl<T: Float> MovingAverage<T> {
    /// A moving average of `kind` over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `period == 0`.
    pub fn new(period: usize, kind: MaType) -> Result<Self> {
        Ok(match kind {
            MaType::Sma => MovingAverage::Sma(Sma::new(period)?),
            MaType::Ema => MovingAverage::Ema(Ema::new(period)?),
            MaType::Wma => MovingAverage::Wma(Wma::new(period)?),
            MaType::Dema => MovingAverage::Dema(Dema::new(period)?),
            MaType::Tema => MovingAverage::Tema(Tema::new(period)?),
            MaType::Trima => MovingAverage::Trima(Trima::new(period)?),
            MaType::Kama => MovingAverage::Kama(Kama::new(period)?),
            MaType::T3 => MovingAverage::T3(T3::new(period, T::from_f64(0.7))?),
        })
    }

    /// The kind.
    pub fn kind(&self) -> MaType {
        match self {
            MovingAverage::Sma(_) => MaType::Sma,
            MovingAverage::Ema(_) => MaType::Ema,
            MovingAverage::Wma(_) => MaType::Wma,
            MovingAverage::Dema(_) => MaType::Dema,
            MovingAverage::Tema(_) => MaType::Tema,
            MovingAverage::Trima(_) => MaType::Trima,
            MovingAverage::Kama(_) => MaType::Kama,
            MovingAverage::T3(_) => MaType::T3,
        }
    }

    /// The period n.
    pub fn period(&self) -> usize {
        each!(self, m => m.period())
    }
}

impl<T: Float> Indicator for MovingAverage<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        each!(self, m => m.update(x))
    }
    fn reset(&mut self) {
        each!(self, m => m.reset());
    }
    fn lookback(&self) -> usize {
        each!(self, m => m.lookback())
    }
    fn is_ready(&self) -> bool {
        each!(self, m => m.is_ready())
    }
}

impl<T: Float> fmt::Display for MovingAverage<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        each!(self, m => m.fmt(f))
    }
}
