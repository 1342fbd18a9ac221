//! Directional movement (PLUS_DM, MINUS_DM) and directional indicators
//! (PLUS_DI, MINUS_DI): drivers over the shared [`Directional`] core.

use core::fmt;

use super::system::Directional;
use crate::error::check_period;
use crate::window::Invariants;
use crate::{Bar, Float, Indicator, Result};

/// Generates a directional-movement driver: the struct, its serde and
/// invariants, `new`, `period`, `Indicator`, `Default` (period 14) and
/// `Display`. `$value` maps the core to the output once ready; `$lookback`
/// maps the period to TA-Lib's lookback.
macro_rules! directional_driver {
    (
        $(#[$doc:meta])*
        $name:ident, $label:literal,
        lookback = $lookback:expr,
        value = $value:expr $(,)?
    ) => {
        $(#[$doc])*
        #[doc(alias = $label)]
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name<T = f64> {
            core: Directional<T>,
        }
        checked_deserialize!($name<T> { core: Directional<T> });

        impl<T: Float> Invariants for $name<T> {
            fn check(&self) -> Result<()> {
                self.core.check()
            }
        }

        impl<T: Float> $name<T> {
            #[doc = concat!("", $label, " over `period` bars.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidParameter`](crate::Error::InvalidParameter)
            /// naming `period` if it is 0.
            pub fn new(period: usize) -> Result<Self> {
                let period = check_period("period", period, 1)?;
                Ok($name { core: Directional::new(period) })
            }
            /// The period n.
            pub fn period(&self) -> usize {
                self.core.period()
            }
        }

        impl<T: Float> Indicator for $name<T> {
            type Input = Bar<T>;
            type Output = T;
            #[inline]
            fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
                bar.validate()?;
                self.core.push(&bar);
                let value: fn(&Directional<T>) -> T = $value;
                Ok(self.is_ready().then(|| value(&self.core)))
            }
            fn reset(&mut self) {
                self.core.clear();
            }
            fn lookback(&self) -> usize {
                let lookback: fn(usize) -> usize = $lookback;
                lookback(self.core.period())
            }
            fn is_ready(&self) -> bool {
                self.core.seen() > self.lookback()
            }
        }

        impl<T: Float> Default for $name<T> {
            #[doc = concat!("", $label, "(14).")]
            fn default() -> Self {
                $name { core: Directional::new(14) }
            }
        }

        impl<T> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", $label, self.core.period)
            }
        }
    };
}

directional_driver!(
    /// Plus directional movement (+DM), TA-Lib's `PLUS_DM`: Wilder's
    /// smoothed sum of up moves.
    ///
    /// How far highs push above the previous bar's high, where that beats the
    /// fall of the low, accumulated over about n bars. In price units, ≥ 0;
    /// roughly n times an average up move.
    ///
    /// # Formula
    ///
    /// ```text
    /// up   = high − high[t−1],   down = low[t−1] − low
    /// +DM1 = up if up > 0 and up > down, else 0
    /// +DM  = +DM1[1] + … + +DM1[n−1]        at bar n−1 (the seed: n−1 values)
    /// +DM  = +DM − +DM/n + +DM1             afterwards (Wilder, on the sum)
    /// ```
    ///
    /// TA-Lib quirk, matched: the seed is a sum of n − 1 moves (bar 0 has no
    /// previous bar), and the value stays a sum, not an average.
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1, and 1 for n = 1 (TA-Lib's raw one-bar +DM1).
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 1 (default 14).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Bar, Indicator, PlusDm};
    /// # fn main() -> apex_ta::Result<()> {
    /// let bars: [Bar; 4] = [
    ///     Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
    ///     Bar::new(11.0, 12.0, 10.0, 11.0, 0.0), // +DM1 1 → seed 1
    ///     Bar::new(11.0, 11.5, 8.0, 9.0, 0.0),   // +DM1 0 → 1 − 1/2
    ///     Bar::new(9.0, 13.0, 9.0, 12.0, 0.0),   // +DM1 1.5 → 0.5 − 0.25 + 1.5
    /// ];
    /// let out = PlusDm::new(2)?.batch(&bars).map_err(|e| e.error)?;
    /// assert_eq!(out, vec![None, Some(1.0), Some(0.5), Some(1.75)]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects period 0; `update` rejects a non-finite or inconsistent
    /// bar ([`Bar::validate`]), state unchanged.
    ///
    /// # References
    ///
    /// J. Welles Wilder, *New Concepts in Technical Trading Systems* (1978);
    /// TA-Lib `TA_PLUS_DM`.
    #[doc(alias = "+DM")]
    PlusDm, "PLUS_DM",
    lookback = |n| (n - 1).max(1),
    value = Directional::plus_dm,
);

directional_driver!(
    /// Minus directional movement (−DM), TA-Lib's `MINUS_DM`: Wilder's
    /// smoothed sum of down moves.
    ///
    /// How far lows fall below the previous bar's low, where that beats the
    /// rise of the high, accumulated over about n bars. In price units, ≥ 0.
    ///
    /// # Formula
    ///
    /// ```text
    /// up   = high − high[t−1],   down = low[t−1] − low
    /// −DM1 = down if down > 0 and down > up, else 0
    /// −DM  = −DM1[1] + … + −DM1[n−1]        at bar n−1 (the seed: n−1 values)
    /// −DM  = −DM − −DM/n + −DM1             afterwards (Wilder, on the sum)
    /// ```
    ///
    /// TA-Lib quirk, matched: the seed is a sum of n − 1 moves, and the value
    /// stays a sum, not an average.
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1, and 1 for n = 1 (TA-Lib's raw one-bar −DM1).
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 1 (default 14).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Bar, Indicator, MinusDm};
    /// # fn main() -> apex_ta::Result<()> {
    /// let bars: [Bar; 4] = [
    ///     Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
    ///     Bar::new(11.0, 12.0, 10.0, 11.0, 0.0), // −DM1 0 → seed 0
    ///     Bar::new(11.0, 11.5, 8.0, 9.0, 0.0),   // −DM1 2 → 0 + 2
    ///     Bar::new(9.0, 13.0, 9.0, 12.0, 0.0),   // −DM1 0 → 2 − 2/2
    /// ];
    /// let out = MinusDm::new(2)?.batch(&bars).map_err(|e| e.error)?;
    /// assert_eq!(out, vec![None, Some(0.0), Some(2.0), Some(1.0)]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects period 0; `update` rejects a non-finite or inconsistent
    /// bar ([`Bar::validate`]), state unchanged.
    ///
    /// # References
    ///
    /// J. Welles Wilder (1978); TA-Lib `TA_MINUS_DM`.
    #[doc(alias = "-DM")]
    MinusDm, "MINUS_DM",
    lookback = |n| (n - 1).max(1),
    value = Directional::minus_dm,
);

directional_driver!(
    /// Plus directional indicator (+DI), TA-Lib's `PLUS_DI`: the share of the
    /// true range that moved up.
    ///
    /// Smoothed +DM over smoothed true range, in percent: 0–100 (typically
    /// 10–40). +DI above −DI reads as an up trend.
    ///
    /// # Formula
    ///
    /// ```text
    /// +DM, TR = sums of +DM1 and TR over bars 1 … n−1     (the seed)
    /// +DM = +DM − +DM/n + +DM1,  TR = TR − TR/n + TR1     from bar n on
    /// +DI = 100 · +DM / TR                                 (0 when |TR| < 1e-14)
    /// ```
    ///
    /// with +DM1 as in [`PlusDm`] and TR1 as in [`TrueRange`](crate::TrueRange).
    ///
    /// TA-Lib quirks, matched: a true-range sum below 1e-14 in magnitude
    /// (TA-Lib's `TA_IS_ZERO`) gives 0; **period 1 gives the ratio
    /// +DM1 / TR1 without the factor 100** (a fraction in [0, 1]), as
    /// TA-Lib's separate period-1 code path does.
    ///
    /// # Warm-up
    ///
    /// Lookback n (one bar for the first previous bar, n − 1 for the seed,
    /// one Wilder step).
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 1 (default 14).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Bar, Indicator, PlusDi};
    /// # fn main() -> apex_ta::Result<()> {
    /// let bars: [Bar; 4] = [
    ///     Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
    ///     Bar::new(11.0, 12.0, 10.0, 11.0, 0.0), // +DM1 1,   TR1 2
    ///     Bar::new(11.0, 11.5, 8.0, 9.0, 0.0),   // +DM1 0,   TR1 3.5
    ///     Bar::new(9.0, 13.0, 9.0, 12.0, 0.0),   // +DM1 1.5, TR1 4
    /// ];
    /// let out = PlusDi::new(2)?.batch(&bars).map_err(|e| e.error)?;
    /// // +DM 0.5, TR 2 − 1 + 3.5 = 4.5; then +DM 1.75, TR 6.25
    /// assert!((out[2].unwrap() - 100.0 * 0.5 / 4.5).abs() < 1e-12);
    /// assert!((out[3].unwrap() - 28.0).abs() < 1e-12);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects period 0; `update` rejects a non-finite or inconsistent
    /// bar ([`Bar::validate`]), state unchanged.
    ///
    /// # References
    ///
    /// J. Welles Wilder (1978); TA-Lib `TA_PLUS_DI`.
    #[doc(alias = "+DI")]
    #[doc(alias = "DMI")]
    PlusDi, "PLUS_DI",
    lookback = |n| n,
    value = |d| d.di(d.plus_dm()),
);

directional_driver!(
    /// Minus directional indicator (−DI), TA-Lib's `MINUS_DI`: the share of
    /// the true range that moved down.
    ///
    /// Smoothed −DM over smoothed true range, in percent: 0–100. −DI above
    /// +DI reads as a down trend.
    ///
    /// # Formula
    ///
    /// ```text
    /// −DM, TR = sums of −DM1 and TR over bars 1 … n−1     (the seed)
    /// −DM = −DM − −DM/n + −DM1,  TR = TR − TR/n + TR1     from bar n on
    /// −DI = 100 · −DM / TR                                 (0 when |TR| < 1e-14)
    /// ```
    ///
    /// with −DM1 as in [`MinusDm`] and TR1 as in [`TrueRange`](crate::TrueRange).
    ///
    /// TA-Lib quirks, matched: a true-range sum below 1e-14 in magnitude
    /// gives 0; **period 1 gives −DM1 / TR1 without the factor 100**.
    ///
    /// # Warm-up
    ///
    /// Lookback n.
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 1 (default 14).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Bar, Indicator, MinusDi};
    /// # fn main() -> apex_ta::Result<()> {
    /// let bars: [Bar; 4] = [
    ///     Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
    ///     Bar::new(11.0, 12.0, 10.0, 11.0, 0.0), // −DM1 0, TR1 2
    ///     Bar::new(11.0, 11.5, 8.0, 9.0, 0.0),   // −DM1 2, TR1 3.5
    ///     Bar::new(9.0, 13.0, 9.0, 12.0, 0.0),   // −DM1 0, TR1 4
    /// ];
    /// let out = MinusDi::new(2)?.batch(&bars).map_err(|e| e.error)?;
    /// // −DM 2, TR 4.5; then −DM 1, TR 6.25
    /// assert!((out[2].unwrap() - 100.0 * 2.0 / 4.5).abs() < 1e-12);
    /// assert!((out[3].unwrap() - 16.0).abs() < 1e-12);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects period 0; `update` rejects a non-finite or inconsistent
    /// bar ([`Bar::validate`]), state unchanged.
    ///
    /// # References
    ///
    /// J. Welles Wilder (1978); TA-Lib `TA_MINUS_DI`.
    #[doc(alias = "-DI")]
    MinusDi, "MINUS_DI",
    lookback = |n| n,
    value = |d| d.di(d.minus_dm()),
);
