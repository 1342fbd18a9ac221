//! Tillson's T3 moving average.

use core::fmt;

use super::cascade::EmaCascade;
use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants};
use crate::{Error, Float, Indicator, Result};

/// Tillson's T3 moving average, TA-Lib's `T3`.
///
/// A smooth, low-lag average: Tillson's "generalised DEMA" applied three
/// times, which expands to a weighted sum of six chained EMAs. The volume
/// factor v trades smoothness (v = 0: a triple EMA) against lag (v = 1: a
/// triple DEMA). Same units as the input.
///
/// # Formula
///
/// ```text
/// α        = 2 / (n + 1)
/// E1 … E6  = six chained EMAs of period n (E1 of the close, E(k+1) of Ek),
///            each seeded with the mean of its first n inputs
/// c1 = −v³
/// c2 = 3·(v² − c1)              = 3v² + 3v³
/// c3 = −6·v² − 3·(v − c1)       = −6v² − 3v − 3v³
/// c4 = 1 + 3·v − c1 + 3·v²      = 1 + 3v + v³ + 3v²
/// T3 = c1·E6 + c2·E5 + c3·E4 + c4·E3
/// ```
///
/// The coefficients sum to 1, so a constant input gives itself back.
///
/// # Warm-up
///
/// Lookback 6·(n − 1): the first value comes with E6's seed.
///
/// **TA-Lib quirk (matched):** with period 1 the output is the input
/// exactly (TA-Lib copies it rather than summing coefficients that add up
/// to 1 only up to rounding).
///
/// # Parameters
///
/// * `period` n ≥ 1 (default 5, as TA-Lib).
/// * `vfactor` v in [0, 1] (default 0.7, as TA-Lib).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, T3};
/// # fn main() -> apex_ta::Result<()> {
/// let mut t3 = T3::<f64>::new(2, 0.7)?;
/// assert_eq!(t3.lookback(), 6);
/// let out = t3.batch(&[4.0; 8]).map_err(|e| e.error)?;
/// let v = out[6].expect("warmed up");
/// assert!((v - 4.0).abs() < 1e-12); // a constant stays itself
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period 0 and a `vfactor` outside [0, 1] or non-finite;
/// `update` rejects a non-finite input, state unchanged.
///
/// # References
///
/// T. Tillson, "Smoothing Techniques for More Accurate Signals", *Technical
/// Analysis of Stocks & Commodities* (January 1998); TA-Lib `TA_T3`.
#[doc(alias = "TILLSON")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct T3<T = f64> {
    vfactor: T,
    /// c1 … c4, from `vfactor`.
    coeffs: [T; 4],
    emas: EmaCascade<T>,
}
checked_deserialize!(T3<T> {
    vfactor: T,
    coeffs: [T; 4],
    emas: EmaCascade<T>,
});

impl<T: Float> Invariants for T3<T> {
    fn check(&self) -> Result<()> {
        self.emas.check()?;
        state_ok(self.emas.stages() == 6, "T3 needs six EMAs")?;
        state_ok(
            self.vfactor >= T::zero() && self.vfactor <= T::one(),
            "T3 vfactor outside [0, 1]",
        )?;
        state_ok(
            self.coeffs == coefficients(self.vfactor),
            "T3 coefficients inconsistent with vfactor",
        )
    }
}

/// c1 … c4 of the volume factor, in TA-Lib's order of operations.
fn coefficients<T: Float>(v: T) -> [T; 4] {
    let three = T::from_f64(3.0);
    let v2 = v * v;
    let c1 = T::zero() - v2 * v;
    let c2 = three * (v2 - c1);
    let c3 = T::from_f64(-6.0) * v2 - three * (v - c1);
    let c4 = T::one() + three * v - c1 + three * v2;
    [c1, c2, c3, c4]
}

impl<T: Float> T3<T> {
    /// A T3 over `period` inputs with volume factor `vfactor`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `period == 0` or `vfactor` is not a
    /// number in [0, 1].
    pub fn new(period: usize, vfactor: T) -> Result<Self> {
        let period = check_period("period", period, 1)?;
        if !(vfactor >= T::zero() && vfactor <= T::one()) {
            return Err(Error::InvalidParameter {
                name: "vfactor",
                value: vfactor.to_f64(),
                reason: "must be in [0, 1]",
            });
        }
        Ok(T3 {
            vfactor,
            coeffs: coefficients(vfactor),
            emas: EmaCascade::new(period, 6),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.emas.period()
    }
    /// The volume factor v.
    pub fn vfactor(&self) -> T {
        self.vfactor
    }
}

impl<T: Float> Indicator for T3<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, x: T) -> Result<Option<T>> {
        let x = finite("close", x)?;
        if !self.emas.push(x) {
            return Ok(None);
        }
        if self.emas.period() == 1 {
            return Ok(Some(x));
        }
        let [c1, c2, c3, c4] = self.coeffs;
        let e = |j| self.emas.stage(j);
        Ok(Some(c1 * e(5) + c2 * e(4) + c3 * e(3) + c4 * e(2)))
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

impl<T: Float> Default for T3<T> {
    /// T3(5, 0.7), TA-Lib's default.
    fn default() -> Self {
        let vfactor = T::from_f64(0.7);
        T3 {
            vfactor,
            coeffs: coefficients(vfactor),
            emas: EmaCascade::new(5, 6),
        }
    }
}

impl<T: Float> fmt::Display for T3<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T3({}, {})", self.emas.period(), self.vfactor)
    }
}
