//! Rolling maximum and minimum.

use core::fmt;

use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants, MonoDeque};
use crate::{Float, Indicator, Result};

macro_rules! rolling_extreme {
    ($(#[$doc:meta])* $name:ident, $max:literal, $label:literal, $example_out:literal) => {
        $(#[$doc])*
        ///
        /// Kept in a monotonic deque: O(1) amortised per update, whatever n.
        ///
        /// # Warm-up
        ///
        /// Lookback n − 1.
        ///
        /// # Parameters
        ///
        /// * `period` n ≥ 1 (default 20; TA-Lib's default is 30).
        ///
        /// # Examples
        ///
        /// ```
        #[doc = concat!("use apex_ta::{Indicator, ", stringify!($name), "};")]
        /// # fn main() -> apex_ta::Result<()> {
        #[doc = concat!("let mut ind = ", stringify!($name), "::new(3)?;")]
        /// let out = ind.batch(&[3.0, 1.0, 2.0, 5.0, 4.0]).map_err(|e| e.error)?;
        #[doc = concat!("assert_eq!(out, ", $example_out, ");")]
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
        #[doc = concat!("TA-Lib `TA_", $label, "`.")]
        #[doc(alias = $label)]
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name<T = f64> {
            period: usize,
            deque: MonoDeque<T, $max>,
        }
        checked_deserialize!($name<T> { period: usize, deque: MonoDeque<T, $max> });

        impl<T: Float> Invariants for $name<T> {
            fn check(&self) -> Result<()> {
                self.deque.check()?;
                state_ok(self.period >= 1 && self.deque.capacity() == self.period,
                    "window size inconsistent with period")
            }
        }

        impl<T: Float> $name<T> {
            #[doc = concat!("The ", $label, " of the last `period` inputs.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) if `period == 0`.
            pub fn new(period: usize) -> Result<Self> {
                let period = check_period("period", period, 1)?;
                Ok($name { period, deque: MonoDeque::new(period) })
            }
            /// The period n.
            pub fn period(&self) -> usize {
                self.period
            }
            /// The current extreme and how many inputs ago it came (`0` = the
            /// newest; the most recent one on ties), once warmed up.
            #[inline]
            pub fn extreme_and_age(&self) -> Option<(T, usize)> {
                if self.is_ready() {
                    self.deque.extreme().map(|(v, age)| (v, usize::try_from(age).unwrap_or(usize::MAX)))
                } else {
                    None
                }
            }
        }

        impl<T: Float> Indicator for $name<T> {
            type Input = T;
            type Output = T;
            #[inline]
            fn update(&mut self, x: T) -> Result<Option<T>> {
                self.deque.push(finite("value", x)?);
                Ok(if self.is_ready() { self.deque.extreme().map(|(v, _)| v) } else { None })
            }
            fn reset(&mut self) {
                self.deque.clear();
            }
            fn lookback(&self) -> usize {
                self.period - 1
            }
            fn is_ready(&self) -> bool {
                self.deque.count() >= self.period as u64
            }
        }

        impl<T: Float> Default for $name<T> {
            /// Period 20.
            fn default() -> Self {
                $name { period: 20, deque: MonoDeque::new(20) }
            }
        }

        impl<T> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", $label, self.period)
            }
        }
    };
}

rolling_extreme!(
    /// Rolling maximum of the last n inputs, TA-Lib's `MAX`.
    RollingMax, true, "MAX", "vec![None, None, Some(3.0), Some(5.0), Some(5.0)]"
);
rolling_extreme!(
    /// Rolling minimum of the last n inputs, TA-Lib's `MIN`.
    RollingMin, false, "MIN", "vec![None, None, Some(1.0), Some(1.0), Some(2.0)]"
);
