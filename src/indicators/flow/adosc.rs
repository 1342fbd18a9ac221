//! Chaikin A/D oscillator.

use core::fmt;

use super::{finite_total, money_flow};
use crate::error::check_period;
use crate::float::smooth;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Indicator, Result};

/// Chaikin A/D oscillator, TA-Lib's `ADOSC`: a fast EMA of the
/// [`Ad`](crate::Ad) line minus a slow one.
///
/// The momentum of accumulation/distribution: positive while the A/D line is
/// rising faster than its slow trend. Unbounded, in volume units, crosses
/// zero.
///
/// # Formula
///
/// ```text
/// AD       as in Ad (running total of CLV · volume, from 0)
/// k_f      = 2 / (fast + 1),   k_s = 2 / (slow + 1)
/// EMA_f    = EMA_s = AD[0]                          at the first bar (the seed)
/// EMA_f    = k_f · AD + (1 − k_f) · EMA_f           every later bar
/// EMA_s    = k_s · AD + (1 − k_s) · EMA_s
/// ADOSC    = EMA_f − EMA_s
/// ```
///
/// **TA-Lib quirk:** unlike TA-Lib's `EMA` (seeded with the mean of its
/// first n inputs), both averages here start from the first A/D value and
/// run from the first bar; matched. TA-Lib also computes `EMA(fast) −
/// EMA(slow)` whatever the order of the two periods, so `fast > slow` is
/// accepted and gives the negated oscillator; matched.
///
/// The oscillator is the small difference of two averages of the A/D level,
/// so its absolute error is about ε·|AD| (ε = 2.2e-16 for `f64`), not
/// ε·|ADOSC|: far below a share in `f64`, but in `f32` (~1.2e-7·|AD|) it
/// can swamp the oscillator on long histories. See [`Ad`](crate::Ad).
///
/// # Warm-up
///
/// Lookback max(fast, slow) − 1 (TA-Lib's `EMA` lookback of the slower
/// period): the averages are updated from the first bar, but the first value
/// is reported at bar max(fast, slow) − 1.
///
/// # Parameters
///
/// * `fast` ≥ 2 (default 3), `slow` ≥ 2 (default 10), as TA-Lib.
///
/// # Examples
///
/// ```
/// use apex_ta::{AdOsc, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut osc = AdOsc::new(2, 3)?; // lookback 2
/// let up = Bar::new(10.0, 12.0, 10.0, 12.0, 90.0); // close at the high: AD += 90
/// assert_eq!(osc.update(up)?, None); // AD 90: both averages seeded at 90
/// assert_eq!(osc.update(up)?, None); // AD 180: fast 150, slow 135
/// // AD 270: fast 150 + 2/3·120 = 230, slow 135 + 1/2·135 = 202.5
/// let v = osc.update(up)?.unwrap_or(f64::NAN);
/// assert!((v - 27.5).abs() < 1e-12);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects `fast` or `slow` below 2. `update` rejects a non-finite or
/// inconsistent bar ([`Bar::validate`]) and a bar that would take the A/D
/// total outside the float range ([`Error::NonFinite`](crate::Error::NonFinite)
/// with field `"ad"`); the state is then unchanged.
///
/// # References
///
/// Marc Chaikin; TA-Lib `TA_ADOSC`.
#[doc(alias = "ADOSC")]
#[doc(alias = "Chaikin oscillator")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AdOsc<T = f64> {
    fast_period: usize,
    slow_period: usize,
    /// Smoothing factors 2/(n + 1).
    fast_k: T,
    slow_k: T,
    /// Bars seen, saturating at the lookback + 1 (then every update yields).
    seen: usize,
    ad: T,
    fast: T,
    slow: T,
}
checked_deserialize!(AdOsc<T> {
    fast_period: usize,
    slow_period: usize,
    fast_k: T,
    slow_k: T,
    seen: usize,
    ad: T,
    fast: T,
    slow: T,
});

impl<T: Float> Invariants for AdOsc<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            self.fast_period >= 2 && self.slow_period >= 2,
            "ADOSC period below 2",
        )?;
        state_ok(
            self.fast_k == ema_k(self.fast_period) && self.slow_k == ema_k(self.slow_period),
            "ADOSC smoothing factor inconsistent with its period",
        )?;
        state_ok(
            self.seen <= self.lookback() + 1,
            "ADOSC bar count exceeds its lookback",
        )?;
        state_ok(
            self.ad.is_finite() && self.fast.is_finite() && self.slow.is_finite(),
            "non-finite ADOSC state",
        )?;
        state_ok(
            self.seen > 0
                || (self.ad == T::zero() && self.fast == T::zero() && self.slow == T::zero()),
            "ADOSC state without a bar",
        )
    }
}

/// 2/(n + 1).
fn ema_k<T: Float>(n: usize) -> T {
    T::from_f64(2.0) / T::from_usize(n + 1)
}

impl<T: Float> AdOsc<T> {
    /// EMA(`fast`) − EMA(`slow`) of the A/D line.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `fast` or `slow` if it is below 2 (TA-Lib's range).
    pub fn new(fast: usize, slow: usize) -> Result<Self> {
        let fast = check_period("fast", fast, 2)?;
        let slow = check_period("slow", slow, 2)?;
        Ok(AdOsc {
            fast_period: fast,
            slow_period: slow,
            fast_k: ema_k(fast),
            slow_k: ema_k(slow),
            seen: 0,
            ad: T::zero(),
            fast: T::zero(),
            slow: T::zero(),
        })
    }
    /// The fast period.
    pub fn fast_period(&self) -> usize {
        self.fast_period
    }
    /// The slow period.
    pub fn slow_period(&self) -> usize {
        self.slow_period
    }
    /// The A/D line's current total, once a bar has been seen.
    pub fn ad(&self) -> Option<T> {
        (self.seen > 0).then_some(self.ad)
    }
}

impl<T: Float> Indicator for AdOsc<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let ad = finite_total("ad", self.ad + money_flow(&bar))?;
        self.ad = ad;
        if self.seen == 0 {
            self.fast = ad;
            self.slow = ad;
        } else {
            // k·AD + (1 − k)·EMA, TA-Lib's two products (the sum commutes).
            self.fast = smooth(self.fast, T::one() - self.fast_k, self.fast_k * ad);
            self.slow = smooth(self.slow, T::one() - self.slow_k, self.slow_k * ad);
        }
        let lookback = self.lookback();
        if self.seen < lookback {
            self.seen += 1;
            return Ok(None);
        }
        self.seen = lookback + 1;
        Ok(Some(self.fast - self.slow))
    }
    fn reset(&mut self) {
        self.seen = 0;
        self.ad = T::zero();
        self.fast = T::zero();
        self.slow = T::zero();
    }
    fn lookback(&self) -> usize {
        self.fast_period.max(self.slow_period) - 1
    }
    fn is_ready(&self) -> bool {
        self.seen > self.lookback()
    }
}

impl<T: Float> Default for AdOsc<T> {
    /// ADOSC(3, 10), TA-Lib's default.
    fn default() -> Self {
        AdOsc {
            fast_period: 3,
            slow_period: 10,
            fast_k: ema_k(3),
            slow_k: ema_k(10),
            seen: 0,
            ad: T::zero(),
            fast: T::zero(),
            slow: T::zero(),
        }
    }
}

impl<T> fmt::Display for AdOsc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ADOSC({}, {})", self.fast_period, self.slow_period)
    }
}
