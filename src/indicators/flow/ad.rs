//! Chaikin accumulation/distribution line.

use core::fmt;

use super::{finite_total, money_flow};
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// Chaikin accumulation/distribution line (A/D), TA-Lib's `AD`: the running
/// total of each bar's volume weighted by where the close sits in the bar's
/// range.
///
/// A close at the high adds the whole volume, a close at the low subtracts
/// it, a close mid-range adds nothing. Unbounded, in volume units; only its
/// changes and its divergences from price carry meaning, not its level (which
/// depends on where the stream started).
///
/// # Formula
///
/// ```text
/// CLV = ((close − low) − (high − close)) / (high − low)     (0 when high = low)
/// AD  = AD[t−1] + CLV · volume,        AD[−1] = 0
/// ```
///
/// The total grows without bound, by up to one volume per bar, and each
/// update rounds to about ε·|AD| (ε = 2.2e-16 for `f64`, 1.2e-7 for `f32`):
/// after N bars the error is at most about N·ε·max|AD|, about 2e-9 of the
/// level for 10⁷ bars in `f64`. In `f32` the total keeps ~7 significant
/// digits, so a bar's contribution stops registering once |AD| is ~10⁷
/// times its volume; use `f64` for long histories.
///
/// # Warm-up
///
/// Lookback 0: every bar, the first included, produces a value.
///
/// # Examples
///
/// ```
/// use apex_ta::{Ad, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut ad = Ad::new();
/// // close at the high: + the whole volume
/// assert_eq!(ad.update(Bar::new(10.0, 12.0, 10.0, 12.0, 100.0))?, Some(100.0));
/// // close a quarter of the way up the range: CLV = −0.5
/// assert_eq!(ad.update(Bar::new(11.0, 12.0, 8.0, 9.0, 40.0))?, Some(80.0));
/// // high = low: nothing added
/// assert_eq!(ad.update(Bar::new(9.0, 9.0, 9.0, 9.0, 500.0))?, Some(80.0));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `update` rejects a non-finite or inconsistent bar ([`Bar::validate`]),
/// and a bar that would take the total outside the float range
/// ([`Error::NonFinite`](crate::Error::NonFinite) with field `"ad"`); the
/// state is then unchanged.
///
/// # References
///
/// Marc Chaikin; TA-Lib `TA_AD`.
#[doc(alias = "AD")]
#[doc(alias = "ADL")]
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ad<T = f64> {
    /// The running total.
    ad: T,
    /// Whether a bar has been seen.
    ready: bool,
}
checked_deserialize!(Ad<T> { ad: T, ready: bool });

impl<T: Float> Invariants for Ad<T> {
    fn check(&self) -> Result<()> {
        state_ok(self.ad.is_finite(), "non-finite A/D total")?;
        state_ok(
            self.ready || self.ad == T::zero(),
            "A/D total without a bar",
        )
    }
}

impl<T: Float> Ad<T> {
    /// An A/D line starting at 0 (it has no parameters).
    pub fn new() -> Self {
        Ad {
            ad: T::zero(),
            ready: false,
        }
    }
    /// The current total, once a bar has been seen.
    pub fn value(&self) -> Option<T> {
        self.ready.then_some(self.ad)
    }
}

impl<T: Float> Indicator for Ad<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        self.ad = finite_total("ad", self.ad + money_flow(&bar))?;
        self.ready = true;
        Ok(Some(self.ad))
    }
    fn reset(&mut self) {
        *self = Self::new();
    }
    fn lookback(&self) -> usize {
        0
    }
    fn is_ready(&self) -> bool {
        self.ready
    }
}

impl<T> fmt::Display for Ad<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AD")
    }
}
