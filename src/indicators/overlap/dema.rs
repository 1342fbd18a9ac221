//! Double and triple exponential moving averages.

use core::fmt;

use super::cascade::EmaCascade;
use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result};

/// Double exponential moving average (DEMA), TA-Lib's `DEMA`.
///
/// Mulloy's lag-reduced EMA: twice an EMA minus the EMA of that EMA. It
/// follows the input more closely than an EMA of the same period and can
/// overshoot it at turns. Same units as the input.
///
/// # Formula
///
/// ```text
/// α    = 2 / (n + 1)
/// E1   = EMA(close, n)          seeded with the mean of the first n closes
/// E2   = EMA(E1, n)             seeded with the mean of the first n E1 values
/// DEMA = 2·E1 − E2
/// ```
///
/// # Warm-up
///
/// Lookback 2·(n − 1): E1's first value comes with input n − 1, E2's n − 1
/// E1 values later. Period 1 gives the input back exactly.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Dema, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut dema = Dema::new(3)?;
/// let out = dema.batch(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).map_err(|e| e.error)?;
/// assert_eq!(dema.lookback(), 4);
/// // On a straight line an EMA lags by a constant; DEMA removes the lag.
/// assert_eq!(out[4], Some(5.0));
/// assert_eq!(out[5], Some(6.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite input, state
/// unchanged.
///
/// # References
///
/// P. G. Mulloy, "Smoothing Data with Faster Moving Averages", *Technical
/// Analysis of Stocks & Commodities* (February 1994); TA-Lib `TA_DEMA`.
#[doc(alias = "DEMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dema<T = f64> {
    emas: EmaCascade<T>,
}
checked_deserialize!(Dema<T> { emas: EmaCascade<T> });

impl<T: Float> Invariants for Dema<T> {
    fn check(&self) -> Result<()> {
        self.emas.check()?;
        state_ok(self.emas.stages() == 2, "DEMA needs two EMAs")
    }
}

impl<T: Float> Dema<T> {
    /// A DEMA over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Dema {
            emas: EmaCascade::new(check_period("period", period, 1)?, 2),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.emas.period()
    }
}

impl<T: Float> Indicator for Dema<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        Ok(self.emas.push(x).then(|| {
            let (e1, e2) = (self.emas.stage(0), self.emas.stage(1));
            T::from_f64(2.0) * e1 - e2
        }))
    }
    fn reset(&mut self) {
        self.emas.reset();
    }
    fn lookback(&self) -> usize {
        self.emas.lookback()
    }
    fn is_ready(&self) -> bool {
        self.emas.is_ready()
    }
}

impl<T: Float> Default for Dema<T> {
    /// DEMA(30), TA-Lib's default.
    fn default() -> Self {
        Dema {
            emas: EmaCascade::new(30, 2),
        }
    }
}

impl<T: Float> fmt::Display for Dema<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DEMA({})", self.emas.period())
    }
}

/// Triple exponential moving average (TEMA), TA-Lib's `TEMA`.
///
/// Mulloy's second lag-reduced EMA, from three chained EMAs. Tracks the
/// input more closely still than [`Dema`]. Same units as the input. Not to
/// be confused with [`T3`](crate::T3), also called a "triple EMA".
///
/// # Formula
///
/// ```text
/// α    = 2 / (n + 1)
/// E1   = EMA(close, n),  E2 = EMA(E1, n),  E3 = EMA(E2, n)
///        (each seeded with the mean of its first n inputs)
/// TEMA = 3·E1 − 3·E2 + E3
/// ```
///
/// # Warm-up
///
/// Lookback 3·(n − 1). Period 1 gives the input back exactly.
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 30, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, Tema};
/// # fn main() -> apex_ta::Result<()> {
/// let mut tema = Tema::new(3)?;
/// let line: Vec<f64> = (1..=9).map(f64::from).collect();
/// let out = tema.batch(&line).map_err(|e| e.error)?;
/// assert_eq!(tema.lookback(), 6);
/// assert_eq!(&out[6..], &[Some(7.0), Some(8.0), Some(9.0)]); // no lag on a line
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0; `update` rejects a non-finite input, state
/// unchanged.
///
/// # References
///
/// P. G. Mulloy, "Smoothing Data with Less Lag", *Technical Analysis of
/// Stocks & Commodities* (January 1994); TA-Lib `TA_TEMA`.
#[doc(alias = "TEMA")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tema<T = f64> {
    emas: EmaCascade<T>,
}
checked_deserialize!(Tema<T> { emas: EmaCascade<T> });

impl<T: Float> Invariants for Tema<T> {
    fn check(&self) -> Result<()> {
        self.emas.check()?;
        state_ok(self.emas.stages() == 3, "TEMA needs three EMAs")
    }
}

impl<T: Float> Tema<T> {
    /// A TEMA over `period` inputs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Tema {
            emas: EmaCascade::new(check_period("period", period, 1)?, 3),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.emas.period()
    }
}

impl<T: Float> Indicator for Tema<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        Ok(self.emas.push(x).then(|| {
            let three = T::from_f64(3.0);
            let (e1, e2, e3) = (self.emas.stage(0), self.emas.stage(1), self.emas.stage(2));
            e3 + (three * e1 - three * e2)
        }))
    }
    fn reset(&mut self) {
        self.emas.reset();
    }
    fn lookback(&self) -> usize {
        self.emas.lookback()
    }
    fn is_ready(&self) -> bool {
        self.emas.is_ready()
    }
}

impl<T: Float> Default for Tema<T> {
    /// TEMA(30), TA-Lib's default.
    fn default() -> Self {
        Tema {
            emas: EmaCascade::new(30, 3),
        }
    }
}

impl<T: Float> fmt::Display for Tema<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TEMA({})", self.emas.period())
    }
}
