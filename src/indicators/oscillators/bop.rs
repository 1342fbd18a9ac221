//! Balance of power.

use core::fmt;
use core::marker::PhantomData;

use crate::window::Invariants;
use crate::{Bar, Float, Indicator, Result};

/// Balance of power (BOP), TA-Lib's `BOP`: where a bar closed relative to
/// where it opened, as a share of its range.
///
/// Who won the bar: +1 when it opened at the low and closed at the high, −1
/// the other way round, 0 for a doji or a bar without range. In [−1, 1].
/// Usually smoothed by the reader (an SMA of 14 is common).
///
/// # Formula
///
/// ```text
/// BOP = (close − open) / (high − low)
/// BOP = 0                              when high = low (TA-Lib's rule)
/// ```
///
/// A bar whose `high − low` overflows (prices beyond ±f64::MAX / 2) is
/// computed in halves, where TA-Lib's division would give NaN.
///
/// # Warm-up
///
/// Lookback 0: every bar has a value.
///
/// # Parameters
///
/// None.
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Bop, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut bop = Bop::<f64>::new();
/// assert_eq!(bop.update(Bar::new(10.0, 12.0, 8.0, 11.0, 100.0))?, Some(0.25));
/// assert_eq!(bop.update(Bar::new(10.0, 10.0, 10.0, 10.0, 100.0))?, Some(0.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `update` rejects a non-finite or inconsistent bar ([`Bar::validate`]);
/// the state (whether a value has been produced) is unchanged.
///
/// # References
///
/// Igor Livshin, "Balance of Power", *Technical Analysis of Stocks &
/// Commodities* (2001); TA-Lib `TA_BOP`.
#[doc(alias = "BOP")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bop<T = f64> {
    /// Whether a bar has been accepted.
    ready: bool,
    #[cfg_attr(feature = "serde", serde(skip))]
    float: PhantomData<T>,
}

#[cfg(feature = "serde")]
const _: () = {
    use serde::de::{Deserialize, Deserializer};
    #[derive(serde::Deserialize)]
    struct Repr {
        ready: bool,
    }
    impl<'de, T: Float> Deserialize<'de> for Bop<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
            let Repr { ready } = Repr::deserialize(d)?;
            Ok(Bop {
                ready,
                float: PhantomData,
            })
        }
    }
};

impl<T: Float> Invariants for Bop<T> {
    fn check(&self) -> Result<()> {
        Ok(()) // every state is valid
    }
}

impl<T: Float> Bop<T> {
    /// A balance-of-power calculator (it has no parameters).
    pub fn new() -> Self {
        Bop {
            ready: false,
            float: PhantomData,
        }
    }
}

/// BOP of a validated bar.
#[inline]
fn bop_value<T: Float>(bar: &Bar<T>) -> T {
    let range = bar.high - bar.low;
    if range <= T::zero() {
        T::zero()
    } else if range.is_finite() {
        (bar.close - bar.open) / range
    } else {
        let half = T::from_f64(0.5);
        (bar.close * half - bar.open * half) / (bar.high * half - bar.low * half)
    }
}

impl<T: Float> Indicator for Bop<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        self.ready = true;
        Ok(Some(bop_value(&bar)))
    }
    fn reset(&mut self) {
        self.ready = false;
    }
    fn lookback(&self) -> usize {
        0
    }
    fn is_ready(&self) -> bool {
        self.ready
    }
}

impl<T: Float> Default for Bop<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Display for Bop<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BOP")
    }
}
