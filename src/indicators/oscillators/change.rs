//! Changes over n inputs: momentum and the rates of change (MOM, ROC, ROCP,
//! ROCR, ROCR100).

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Float, Indicator, Result};

macro_rules! change_indicator {
    (
        $(#[$doc:meta])*
        $name:ident, $label:literal, $example:literal,
        |$x:ident, $prev:ident| $value:expr
    ) => {
        $(#[$doc])*
        ///
        /// # Warm-up
        ///
        /// Lookback n: the first value needs the close n inputs back.
        ///
        /// # Parameters
        ///
        /// * `period` n ≥ 1 (default 10, TA-Lib's default).
        ///
        /// # Examples
        ///
        /// ```
        #[doc = concat!("use apex_ta::{Indicator, ", stringify!($name), "};")]
        /// # fn main() -> apex_ta::Result<()> {
        #[doc = concat!("let mut ind = ", stringify!($name), "::new(2)?;")]
        /// let out = ind.batch(&[8.0, 5.0, 10.0, 2.5]).map_err(|e| e.error)?;
        #[doc = concat!("assert_eq!(out, ", $example, ");")]
        /// # Ok(())
        /// # }
        /// ```
        ///
        /// # Errors
        ///
        /// `new` rejects period 0. `update` rejects, state unchanged, a
        /// non-finite close, and one whose change overflows (a close of
        /// 1e-300, then one of 1e300, `period` later):
        /// [`Error::NonFinite`](crate::Error::NonFinite), field `close` or
        /// `change`.
        ///
        /// # References
        ///
        #[doc = concat!("TA-Lib `TA_", $label, "`.")]
        #[doc(alias = $label)]
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name<T = f64> {
            period: usize,
            /// The last `period + 1` closes.
            closes: Ring<T>,
        }
        checked_deserialize!($name<T> { period: usize, closes: Ring<T> });

        impl<T: Float> Invariants for $name<T> {
            fn check(&self) -> Result<()> {
                self.closes.check()?;
                state_ok(
                    self.period >= 1 && self.closes.capacity() == self.period + 1,
                    "window size inconsistent with period",
                )
            }
        }

        impl<T: Float> $name<T> {
            #[doc = concat!(stringify!($name), " over `period` inputs.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
            pub fn new(period: usize) -> Result<Self> {
                Ok(Self::with_period(check_period("period", period, 1)?))
            }
            fn with_period(period: usize) -> Self {
                $name {
                    period,
                    closes: Ring::new(period + 1),
                }
            }
            /// The period n.
            pub fn period(&self) -> usize {
                self.period
            }
        }

        impl<T: Float> Indicator for $name<T> {
            type Input = T;
            type Output = T;
            #[inline]
            fn update(&mut self, close: T) -> Result<Option<T>> {
                let $x = finite("close", close)?;
                // The close `period` back once this one is in (the ring then
                // holds `period + 1`): computed first, so that a change that
                // overflows (a close of 1e-300, then 1e300) is rejected with
                // the state unchanged.
                let out = if self.closes.len() + 1 >= self.closes.capacity() {
                    self.closes.back(self.period - 1).map(|$prev| $value)
                } else {
                    None
                };
                if let Some(v) = out.filter(|v| !v.is_finite()) {
                    return Err(crate::Error::NonFinite {
                        field: "change",
                        value: v.to_f64(),
                    });
                }
                self.closes.push($x);
                Ok(out)
            }
            fn reset(&mut self) {
                self.closes.clear();
            }
            fn lookback(&self) -> usize {
                self.period
            }
            fn is_ready(&self) -> bool {
                self.closes.is_full()
            }
        }

        impl<T: Float> Default for $name<T> {
            #[doc = concat!($label, "(10).")]
            fn default() -> Self {
                Self::with_period(10)
            }
        }

        impl<T> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", $label, self.period)
            }
        }
    };
}

/// `x / prev` as TA-Lib's rates of change take it: 0 when `prev` is exactly 0.
#[inline]
fn ratio<T: Float>(x: T, prev: T, f: impl FnOnce(T) -> T) -> T {
    if prev == T::zero() {
        T::zero()
    } else {
        f(x / prev)
    }
}

change_indicator!(
    /// Momentum (MOM), TA-Lib's `MOM`: the change of the close over n inputs.
    ///
    /// In price units, unbounded, crosses zero: positive after a rise. Not
    /// normalised, so not comparable across instruments (see [`Roc`]).
    ///
    /// # Formula
    ///
    /// ```text
    /// MOM = close[t] − close[t−n]
    /// ```
    Mom, "MOM", "vec![None, None, Some(2.0), Some(-2.5)]",
    |x, prev| x - prev
);

change_indicator!(
    /// Rate of change (ROC), TA-Lib's `ROC`: the change of the close over n
    /// inputs in percent.
    ///
    /// Unbounded, crosses zero: +10 after a 10 % rise.
    ///
    /// # Formula
    ///
    /// ```text
    /// ROC = (close[t] / close[t−n] − 1) · 100
    /// ROC = 0                              when close[t−n] = 0
    /// ```
    ///
    /// TA-Lib quirk, matched: a zero close n inputs back gives 0, not a
    /// division by zero.
    Roc, "ROC", "vec![None, None, Some(25.0), Some(-50.0)]",
    |x, prev| ratio(x, prev, |r| (r - T::one()) * T::from_f64(100.0))
);

change_indicator!(
    /// Rate of change as a fraction (ROCP), TA-Lib's `ROCP`: the change of
    /// the close over n inputs relative to the close then.
    ///
    /// Unbounded, crosses zero: 0.1 after a 10 % rise. [`Roc`] / 100.
    ///
    /// # Formula
    ///
    /// ```text
    /// ROCP = (close[t] − close[t−n]) / close[t−n]
    /// ROCP = 0                                when close[t−n] = 0
    /// ```
    ///
    /// TA-Lib quirk, matched: a zero close n inputs back gives 0.
    Rocp, "ROCP", "vec![None, None, Some(0.25), Some(-0.5)]",
    |x, prev| if prev == T::zero() { T::zero() } else { (x - prev) / prev }
);

change_indicator!(
    /// Rate-of-change ratio (ROCR), TA-Lib's `ROCR`: the close over the
    /// close n inputs back.
    ///
    /// Centred on 1 (positive for positive prices): 1.1 after a 10 % rise.
    ///
    /// # Formula
    ///
    /// ```text
    /// ROCR = close[t] / close[t−n]
    /// ROCR = 0                       when close[t−n] = 0
    /// ```
    ///
    /// TA-Lib quirk, matched: a zero close n inputs back gives 0.
    Rocr, "ROCR", "vec![None, None, Some(1.25), Some(0.5)]",
    |x, prev| ratio(x, prev, |r| r)
);

change_indicator!(
    /// Rate-of-change ratio in percent (ROCR100), TA-Lib's `ROCR100`: the
    /// close over the close n inputs back, times 100.
    ///
    /// Centred on 100: 110 after a 10 % rise.
    ///
    /// # Formula
    ///
    /// ```text
    /// ROCR100 = close[t] / close[t−n] · 100
    /// ROCR100 = 0                             when close[t−n] = 0
    /// ```
    ///
    /// TA-Lib quirk, matched: a zero close n inputs back gives 0.
    Rocr100, "ROCR100", "vec![None, None, Some(125.0), Some(50.0)]",
    |x, prev| ratio(x, prev, |r| r * T::from_f64(100.0))
);
