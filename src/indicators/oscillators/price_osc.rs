//! Absolute and percentage price oscillators (APO, PPO).

use core::fmt;

use super::{average, TALIB_EPSILON};
use crate::error::check_period;
use crate::float::finite;
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, MaType, MovingAverage, Result};

/// The fast and the slow moving average of APO and PPO, fed the same inputs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
struct TwoAverages<T> {
    fast: MovingAverage<T>,
    slow: MovingAverage<T>,
}
checked_deserialize!(TwoAverages<T> {
    fast: MovingAverage<T>,
    slow: MovingAverage<T>,
});

impl<T: Float> Invariants for TwoAverages<T> {
    fn check(&self) -> Result<()> {
        self.fast.check()?;
        self.slow.check()?;
        state_ok(
            self.fast.kind() == self.slow.kind(),
            "fast and slow averages of different kinds",
        )?;
        state_ok(
            self.fast.period() >= 2 && self.fast.period() <= self.slow.period(),
            "fast period outside 2..=slow period",
        )?;
        // Both see every input and the fast one warms up no later.
        state_ok(
            !self.slow.is_ready() || self.fast.is_ready(),
            "slow average warmed up before the fast one",
        )
    }
}

impl<T: Float> TwoAverages<T> {
    /// Validates the periods (≥ 2, TA-Lib's minimum) and orders them as
    /// TA-Lib does: the shorter one is the fast one.
    fn new(fast: usize, slow: usize, kind: MaType) -> Result<Self> {
        let fast = check_period("fast", fast, 2)?;
        let slow = check_period("slow", slow, 2)?;
        let (fast, slow) = if fast > slow {
            (slow, fast)
        } else {
            (fast, slow)
        };
        Ok(Self::unchecked(fast, slow, kind))
    }
    /// `2 <= fast <= slow` is the caller's invariant.
    fn unchecked(fast: usize, slow: usize, kind: MaType) -> Self {
        TwoAverages {
            fast: average(fast, kind),
            slow: average(slow, kind),
        }
    }
    /// Both averages once the slow one is warmed up (finite `x`).
    #[inline]
    fn push(&mut self, x: T) -> Result<Option<(T, T)>> {
        let fast = self.fast.update(x)?;
        let slow = self.slow.update(x)?;
        Ok(fast.zip(slow))
    }
    fn reset(&mut self) {
        self.fast.reset();
        self.slow.reset();
    }
    fn fmt(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{name}({}, {}, {})",
            self.fast.period(),
            self.slow.period(),
            self.fast.kind()
        )
    }
}

macro_rules! price_oscillator {
    ($(#[$doc:meta])* $name:ident, $label:literal, |$f:ident, $s:ident| $value:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name<T = f64> {
            averages: TwoAverages<T>,
        }
        checked_deserialize!($name<T> { averages: TwoAverages<T> });

        impl<T: Float> Invariants for $name<T> {
            fn check(&self) -> Result<()> {
                self.averages.check()
            }
        }

        impl<T: Float> $name<T> {
            #[doc = concat!("The ", $label, " of a `fast` and a `slow` moving average of kind `matype`.")]
            ///
            /// `fast > slow` is accepted and the two are swapped, as TA-Lib
            /// does; `fast == slow` is accepted (the output is then 0).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidParameter`](crate::Error::InvalidParameter)
            /// naming `fast` or `slow` if it is below 2 (TA-Lib's minimum).
            pub fn new(fast: usize, slow: usize, matype: MaType) -> Result<Self> {
                Ok($name {
                    averages: TwoAverages::new(fast, slow, matype)?,
                })
            }
            /// The fast (shorter) period.
            pub fn fast_period(&self) -> usize {
                self.averages.fast.period()
            }
            /// The slow (longer) period.
            pub fn slow_period(&self) -> usize {
                self.averages.slow.period()
            }
            /// The kind of both moving averages.
            pub fn matype(&self) -> MaType {
                self.averages.fast.kind()
            }
        }

        impl<T: Float> Indicator for $name<T> {
            type Input = T;
            type Output = T;
            #[inline]
            fn update(&mut self, close: T) -> Result<Option<T>> {
                let close = finite("close", close)?;
                Ok(self.averages.push(close)?.map(|($f, $s)| $value))
            }
            fn reset(&mut self) {
                self.averages.reset();
            }
            fn lookback(&self) -> usize {
                self.averages.slow.lookback()
            }
            fn is_ready(&self) -> bool {
                self.averages.slow.is_ready()
            }
        }

        impl<T: Float> Default for $name<T> {
            #[doc = concat!($label, "(12, 26, SMA), TA-Lib's default.")]
            fn default() -> Self {
                $name {
                    averages: TwoAverages::unchecked(12, 26, MaType::Sma),
                }
            }
        }

        impl<T: Float> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.averages.fmt($label, f)
            }
        }
    };
}

price_oscillator!(
    /// Absolute price oscillator (APO), TA-Lib's `APO`: the fast moving
    /// average of the close minus the slow one.
    ///
    /// Trend and momentum in price units: positive while the recent average
    /// is above the longer one. Unbounded, crosses zero. MACD's line is the
    /// APO of two EMAs, but seeded differently (see below).
    ///
    /// # Formula
    ///
    /// ```text
    /// APO = MA(close, fast) − MA(close, slow)        MA = SMA or EMA (matype)
    /// ```
    ///
    /// With EMA each average is seeded on its own: the fast EMA with the mean
    /// of the first `fast` closes, the slow one with the mean of the first
    /// `slow` closes. (TA-Lib's MACD instead seeds its fast EMA at the slow
    /// one's first bar, so APO(12, 26, EMA) differs from the MACD line at the
    /// start and converges to it.)
    ///
    /// # Warm-up
    ///
    /// Lookback `slow − 1`.
    ///
    /// # Parameters
    ///
    /// * `fast` ≥ 2 (default 12), `slow` ≥ 2 (default 26), swapped if
    ///   `fast > slow` as TA-Lib does;
    /// * `matype`: [`MaType::Sma`] (default, TA-Lib's `matype` 0) or
    ///   [`MaType::Ema`] (1).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Apo, Indicator, MaType};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut apo = Apo::<f64>::new(2, 3, MaType::Sma)?;
    /// let out = apo.batch(&[1.0, 2.0, 3.0, 5.0]).map_err(|e| e.error)?;
    /// // SMA(2) − SMA(3): 2.5 − 2 at the third close, 4 − 3⅓ at the fourth
    /// assert_eq!((out[0], out[1]), (None, None));
    /// assert_eq!(out[2], Some(0.5));
    /// assert!((out[3].unwrap_or_default() - 2.0 / 3.0).abs() < 1e-12);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite close
    /// ([`Error::NonFinite`](crate::Error::NonFinite)), state unchanged.
    ///
    /// # References
    ///
    /// TA-Lib `TA_APO`.
    #[doc(alias = "APO")]
    Apo, "APO", |fast, slow| fast - slow
);

price_oscillator!(
    /// Percentage price oscillator (PPO), TA-Lib's `PPO`: the gap between a
    /// fast and a slow moving average of the close, in percent of the slow one.
    ///
    /// [`Apo`] made scale-free, so it compares across instruments and price
    /// levels. Unbounded (in practice a few percent), crosses zero.
    ///
    /// # Formula
    ///
    /// ```text
    /// PPO = (MA(close, fast) − MA(close, slow)) / MA(close, slow) · 100
    /// PPO = 0                            when |MA(close, slow)| < 1e-14
    /// ```
    ///
    /// MA is SMA or EMA (`matype`), each EMA seeded on its own with the mean
    /// of its first `period` closes, as in [`Apo`].
    ///
    /// TA-Lib quirk, matched: a slow average within ±1e-14 of zero
    /// (TA-Lib's `TA_IS_ZERO`) gives 0, not a division.
    ///
    /// # Warm-up
    ///
    /// Lookback `slow − 1`.
    ///
    /// # Parameters
    ///
    /// * `fast` ≥ 2 (default 12), `slow` ≥ 2 (default 26), swapped if
    ///   `fast > slow` as TA-Lib does;
    /// * `matype`: [`MaType::Sma`] (default) or [`MaType::Ema`].
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Indicator, MaType, Ppo};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut ppo = Ppo::<f64>::new(2, 4, MaType::Sma)?;
    /// let out = ppo.batch(&[10.0, 10.0, 12.0, 12.0]).map_err(|e| e.error)?;
    /// // SMA(2) = 12, SMA(4) = 11: (12 − 11) / 11 · 100
    /// assert!((out[3].unwrap_or_default() - 100.0 / 11.0).abs() < 1e-12);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite close
    /// ([`Error::NonFinite`](crate::Error::NonFinite)), state unchanged.
    ///
    /// # References
    ///
    /// Gerald Appel; TA-Lib `TA_PPO`.
    #[doc(alias = "PPO")]
    Ppo, "PPO", |fast, slow| ppo_value(fast, slow)
);

/// PPO from the two averages, 0 where TA-Lib's `TA_IS_ZERO(slow)` holds.
#[inline]
fn ppo_value<T: Float>(fast: T, slow: T) -> T {
    let eps = T::from_f64(TALIB_EPSILON);
    if -eps < slow && slow < eps {
        T::zero()
    } else {
        (fast - slow) / slow * T::from_f64(100.0)
    }
}
