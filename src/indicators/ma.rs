//! A moving average chosen at run time: TA-Lib's `MA` with its `matype`.

use core::fmt;

use crate::indicators::{Ema, Sma};
use crate::window::Invariants;
use crate::{Error, Float, Indicator, Result};

/// The kind of moving average an indicator smooths with, by TA-Lib's
/// `matype` code: `0` SMA (TA-Lib's default), `1` EMA.
///
/// Indicators that take a moving-average type (Bollinger Bands, the
/// stochastics, APO, PPO, …) take a `MaType` and default to TA-Lib's default.
///
/// ```
/// use apex_ta::MaType;
/// # fn main() -> apex_ta::Result<()> {
/// assert_eq!(MaType::from_talib(1)?, MaType::Ema);
/// assert_eq!(MaType::default().talib_code(), 0);
/// assert!(MaType::from_talib(2).is_err()); // WMA and the others: not here (yet)
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
}

impl MaType {
    /// The type for TA-Lib's `matype` code.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a code other than 0 (SMA) or 1 (EMA).
    pub fn from_talib(code: u32) -> Result<Self> {
        match code {
            0 => Ok(MaType::Sma),
            1 => Ok(MaType::Ema),
            _ => Err(Error::InvalidParameter {
                name: "matype",
                value: f64::from(code),
                reason: "supported: 0 (SMA) and 1 (EMA)",
            }),
        }
    }

    /// TA-Lib's `matype` code.
    pub const fn talib_code(self) -> u32 {
        match self {
            MaType::Sma => 0,
            MaType::Ema => 1,
        }
    }

    /// `"SMA"` or `"EMA"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MaType::Sma => "SMA",
            MaType::Ema => "EMA",
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
/// [`Sma`] or [`Ema`], exactly; see those types.
///
/// # Warm-up
///
/// Lookback n − 1 for both kinds.
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
}

impl<T: Float> Invariants for MovingAverage<T> {
    fn check(&self) -> Result<()> {
        match self {
            MovingAverage::Sma(m) => m.check(),
            MovingAverage::Ema(m) => m.check(),
        }
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
        })
    }

    /// The kind.
    pub fn kind(&self) -> MaType {
        match self {
            MovingAverage::Sma(_) => MaType::Sma,
            MovingAverage::Ema(_) => MaType::Ema,
        }
    }

    /// The period n.
    pub fn period(&self) -> usize {
        match self {
            MovingAverage::Sma(m) => m.period(),
            MovingAverage::Ema(m) => m.period(),
        }
    }
}

impl<T: Float> Indicator for MovingAverage<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        match self {
            MovingAverage::Sma(m) => m.update(x),
            MovingAverage::Ema(m) => m.update(x),
        }
    }
    fn reset(&mut self) {
        match self {
            MovingAverage::Sma(m) => m.reset(),
            MovingAverage::Ema(m) => m.reset(),
        }
    }
    fn lookback(&self) -> usize {
        match self {
            MovingAverage::Sma(m) => m.lookback(),
            MovingAverage::Ema(m) => m.lookback(),
        }
    }
    fn is_ready(&self) -> bool {
        match self {
            MovingAverage::Sma(m) => m.is_ready(),
            MovingAverage::Ema(m) => m.is_ready(),
        }
    }
}

impl<T: Float> fmt::Display for MovingAverage<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MovingAverage::Sma(m) => m.fmt(f),
            MovingAverage::Ema(m) => m.fmt(f),
        }
    }
}
