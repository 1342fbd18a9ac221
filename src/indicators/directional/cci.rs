//! Commodity channel index (CCI).

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use super::system::is_zero;
use crate::error::check_period;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// Commodity channel index (CCI), TA-Lib's `CCI`: the typical price's
/// distance from its moving average, in units of its mean absolute
/// deviation.
///
/// Unbounded, centred on 0; by Lambert's scaling (the constant 0.015) about
/// 70–80 % of values fall within ±100, so ±100 mark the classic overbought /
/// oversold levels.
///
/// # Formula
///
/// ```text
/// TP   = (high + low + close) / 3
/// MA   = (TP[t] + … + TP[t−n+1]) / n
/// MD   = (|TP[t] − MA| + … + |TP[t−n+1] − MA|) / n     (mean absolute deviation)
/// CCI  = (TP − MA) / (0.015 · MD)
/// ```
///
/// TA-Lib quirk, matched: when `TP − MA` or the deviation sum is below
/// 1e-14 in magnitude (TA-Lib's `TA_IS_ZERO`) the CCI is 0, so a flat
/// window gives 0 rather than the residue of rounding.
///
/// Cost: O(n) per update: the mean absolute deviation is taken around the
/// *current* mean, so every deviation changes with each bar and the window
/// is summed again, as TA-Lib does (its sums run over the same slots in the
/// same order, so the values agree to the last bit). No rolling form gives
/// the same numbers exactly; at the default n = 14 this is two passes over
/// 14 values.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Cci, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut cci = Cci::<f64>::new(3)?;
/// // typical prices 1, 2, 3: MA 2, MD 2/3
/// for close in [1.0, 2.0] {
///     assert_eq!(cci.update(Bar::new(close, close, close, close, 0.0))?, None);
/// }
/// let v = cci.update(Bar::new(3.0, 3.0, 3.0, 3.0, 0.0))?.expect("warmed up");
/// assert!((v - 1.0 / (0.015 * (2.0 / 3.0))).abs() < 1e-9); // 100
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a period below 2; `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]), state unchanged.
///
/// # References
///
/// Donald Lambert, "Commodity Channel Index", *Commodities* (1980); TA-Lib
/// `TA_CCI`.
#[doc(alias = "CCI")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cci<T = f64> {
    /// Typical prices; bar k is in slot k mod n (TA-Lib's circular buffer).
    typical: Vec<T>,
    /// Slot of the next bar.
    next: usize,
    /// Bars seen, saturating at n.
    count: usize,
}
checked_deserialize!(Cci<T> {
    typical: Vec<T>,
    next: usize,
    count: usize,
});

impl<T: Float> Invariants for Cci<T> {
    fn check(&self) -> Result<()> {
        let n = self.typical.len();
        state_ok(n >= 2, "CCI period below 2")?;
        state_ok(
            self.next < n && self.count <= n,
            "CCI position out of range",
        )?;
        state_ok(
            self.count == n || self.next == self.count,
            "CCI position inconsistent with count",
        )?;
        state_ok(
            self.typical.iter().all(|x| x.is_finite()),
            "non-finite CCI typical price",
        )
    }
}

impl<T: Float> Cci<T> {
    /// CCI over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 2)?))
    }
    fn with_period(period: usize) -> Self {
        Cci {
            typical: vec![T::zero(); period],
            next: 0,
            count: 0,
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.typical.len()
    }
}

impl<T: Float> Indicator for Cci<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let tp = (bar.high + bar.low + bar.close) / T::from_f64(3.0);
        let period = self.typical.len();
        if let Some(slot) = self.typical.get_mut(self.next) {
            *slot = tp;
        }
        self.next += 1;
        if self.next == period {
            self.next = 0;
        }
        if self.count < period {
            self.count += 1;
        }
        if self.count < period {
            return Ok(None);
        }
        let n = T::from_usize(period);
        let mean = self.typical.iter().fold(T::zero(), |s, &x| s + x) / n;
        let deviation = self
            .typical
            .iter()
            .fold(T::zero(), |s, &x| s + (x - mean).abs());
        let distance = tp - mean;
        Ok(Some(if is_zero(distance) || is_zero(deviation) {
            T::zero()
        } else {
            distance / (T::from_f64(0.015) * (deviation / n))
        }))
    }
    fn reset(&mut self) {
        // In place: rebuilding would allocate the buffer again.
        self.typical.fill(T::zero());
        self.next = 0;
        self.count = 0;
    }
    fn lookback(&self) -> usize {
        self.typical.len() - 1
    }
    fn is_ready(&self) -> bool {
        self.count == self.typical.len()
    }
}

impl<T: Float> Default for Cci<T> {
    /// CCI(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Cci<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CCI({})", self.typical.len())
    }
}
