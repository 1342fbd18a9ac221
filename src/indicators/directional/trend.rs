//! Trend strength from directional movement: DX, ADX and ADXR, drivers
//! over the shared [`Directional`] core.

use core::fmt;

use super::system::Directional;
use crate::error::check_period;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Bar, Float, Indicator, Result};

/// Directional movement index (DX), TA-Lib's `DX`: how one-sided the
/// directional movement is.
///
/// The gap between +DI and −DI as a percentage of their sum: 0–100, 0 when
/// up and down movement balance, 100 when only one side moves. Direction-
/// free; [`Adx`] smooths it.
///
/// # Formula
///
/// ```text
/// +DI, −DI as in PlusDi / MinusDi (same seed and Wilder sums)
/// DX = 100 · |−DI − +DI| / (−DI + +DI)
/// ```
///
/// TA-Lib quirk, matched: where DX is undefined (the true-range sum or
/// −DI + +DI below 1e-14 in magnitude, TA-Lib's `TA_IS_ZERO`) the first
/// output is 0 and later ones **repeat the previous DX**.
///
/// # Warm-up
///
/// Lookback n.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Dx, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let bars: [Bar; 4] = [
///     Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
///     Bar::new(11.0, 12.0, 10.0, 11.0, 0.0),
///     Bar::new(11.0, 11.5, 8.0, 9.0, 0.0), // +DI 100/9, −DI 400/9
///     Bar::new(9.0, 13.0, 9.0, 12.0, 0.0), // +DI 28, −DI 16
/// ];
/// let out = Dx::new(2)?.batch(&bars).map_err(|e| e.error)?;
/// assert!((out[2].unwrap() - 60.0).abs() < 1e-12);
/// assert!((out[3].unwrap() - 100.0 * 12.0 / 44.0).abs() < 1e-12);
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
/// J. Welles Wilder (1978); TA-Lib `TA_DX`.
#[doc(alias = "DX")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dx<T = f64> {
    core: Directional<T>,
    /// The last output (0 before the first).
    last: T,
}
checked_deserialize!(Dx<T> { core: Directional<T>, last: T });

impl<T: Float> Invariants for Dx<T> {
    fn check(&self) -> Result<()> {
        self.core.check()?;
        state_ok(self.core.period() >= 2, "DX period below 2")?;
        state_ok(
            self.last >= T::zero() && self.last <= T::from_f64(100.0),
            "DX value outside [0, 100]",
        )
    }
}

impl<T: Float> Dx<T> {
    /// DX over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 2)?))
    }
    fn with_period(period: usize) -> Self {
        Dx {
            core: Directional::new(period),
            last: T::zero(),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.core.period()
    }
}

impl<T: Float> Indicator for Dx<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        self.core.push(&bar);
        if !self.core.smoothed() {
            return Ok(None);
        }
        if let Some(dx) = self.core.dx() {
            self.last = dx;
        }
        Ok(Some(self.last))
    }
    fn reset(&mut self) {
        *self = Self::with_period(self.core.period());
    }
    fn lookback(&self) -> usize {
        self.core.period()
    }
    fn is_ready(&self) -> bool {
        self.core.smoothed()
    }
}

impl<T: Float> Default for Dx<T> {
    /// DX(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Dx<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DX({})", self.core.period)
    }
}

/// Average directional movement index (ADX), TA-Lib's `ADX`: trend
/// strength, whatever its direction.
///
/// [`Dx`] smoothed with Wilder's average: 0–100. Classically above 25 is a
/// trending market, below 20 a ranging one; a rising ADX is a strengthening
/// trend, up or down.
///
/// # Formula
///
/// ```text
/// DX as in Dx, from bar n on
/// ADX = (DX[n] + … + DX[2n−1]) / n          at bar 2n−1 (the seed)
/// ADX = (ADX·(n − 1) + DX) / n              afterwards (α = 1/n)
/// ```
///
/// TA-Lib quirk, matched: where DX is undefined (true-range sum or
/// −DI + +DI below 1e-14 in magnitude) it adds 0 to the seed and leaves the
/// ADX unchanged afterwards.
///
/// # Warm-up
///
/// Lookback 2n − 1 (27 for n = 14).
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Adx, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let bars: [Bar; 4] = [
///     Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
///     Bar::new(11.0, 12.0, 10.0, 11.0, 0.0),
///     Bar::new(11.0, 11.5, 8.0, 9.0, 0.0), // DX 60
///     Bar::new(9.0, 13.0, 9.0, 12.0, 0.0), // DX 300/11
/// ];
/// let mut adx = Adx::new(2)?;
/// let out = adx.batch(&bars).map_err(|e| e.error)?;
/// assert_eq!(&out[..3], &[None, None, None]);
/// assert!((out[3].unwrap() - (60.0 + 300.0 / 11.0) / 2.0).abs() < 1e-12);
/// assert!(adx.update(Bar::new(12.0, 11.0, 13.0, 12.0, 0.0)).is_err()); // high < low
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
/// J. Welles Wilder, *New Concepts in Technical Trading Systems* (1978);
/// TA-Lib `TA_ADX`.
#[doc(alias = "ADX")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Adx<T = f64> {
    core: Directional<T>,
    /// DX values taken into the seed, saturating at `period` (then ready).
    dx_seen: usize,
    /// Sum of DX while seeding, then the ADX.
    value: T,
}
checked_deserialize!(Adx<T> {
    core: Directional<T>,
    dx_seen: usize,
    value: T,
});

impl<T: Float> Invariants for Adx<T> {
    fn check(&self) -> Result<()> {
        self.core.check()?;
        let n = self.core.period();
        state_ok(n >= 2, "ADX period below 2")?;
        state_ok(self.dx_seen <= n, "ADX count exceeds period")?;
        state_ok(
            (self.dx_seen > 0) == self.core.smoothed(),
            "ADX count inconsistent with its DX",
        )?;
        state_ok(
            self.value >= T::zero() && self.value <= T::from_f64(100.0) * T::from_usize(n),
            "ADX state out of range",
        )
    }
}

impl<T: Float> Adx<T> {
    /// ADX over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 2)?))
    }
    fn with_period(period: usize) -> Self {
        Adx {
            core: Directional::new(period),
            dx_seen: 0,
            value: T::zero(),
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.core.period()
    }
    /// One validated bar.
    #[inline]
    fn push(&mut self, bar: &Bar<T>) -> Option<T> {
        self.core.push(bar);
        if !self.core.smoothed() {
            return None;
        }
        let period = self.core.period();
        let n = T::from_usize(period);
        let dx = self.core.dx();
        if self.dx_seen < period {
            self.value = self.value + dx.unwrap_or_else(T::zero);
            self.dx_seen += 1;
            if self.dx_seen < period {
                return None;
            }
            self.value = self.value / n;
        } else if let Some(dx) = dx {
            self.value = (self.value * T::from_usize(period - 1) + dx) / n;
        }
        Some(self.value)
    }
}

impl<T: Float> Indicator for Adx<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        Ok(self.push(&bar))
    }
    fn reset(&mut self) {
        *self = Self::with_period(self.core.period());
    }
    fn lookback(&self) -> usize {
        2 * self.core.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.dx_seen == self.core.period()
    }
}

impl<T: Float> Default for Adx<T> {
    /// ADX(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Adx<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ADX({})", self.core.period)
    }
}

/// Average directional movement rating (ADXR), TA-Lib's `ADXR`: the ADX
/// averaged with its value n − 1 bars earlier.
///
/// A steadier [`Adx`]: 0–100, read the same way (trend strength, not
/// direction).
///
/// # Formula
///
/// ```text
/// ADXR = (ADX[t] + ADX[t − (n − 1)]) / 2
/// ```
///
/// TA-Lib quirk, matched: the lag is n − 1 bars (Wilder's text says n).
///
/// # Warm-up
///
/// Lookback 3n − 2 (40 for n = 14): the ADX's 2n − 1 plus the lag.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib rejects 1).
///
/// # Examples
///
/// ```
/// use apex_ta::{Adxr, Bar, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut adxr = Adxr::new(2)?;
/// assert_eq!(adxr.lookback(), 4);
/// let bars: Vec<Bar> = (0..8)
///     .map(|i| {
///         let c = 10.0 + f64::from(i); // a steady climb: DX is 100 throughout
///         Bar::new(c, c + 0.5, c - 0.5, c, 1.0)
///     })
///     .collect();
/// let out = adxr.batch(&bars).map_err(|e| e.error)?;
/// assert_eq!(out[3], None);
/// assert_eq!(out[4], Some(100.0));
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
/// J. Welles Wilder (1978); TA-Lib `TA_ADXR`.
#[doc(alias = "ADXR")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Adxr<T = f64> {
    adx: Adx<T>,
    /// The last n − 1 ADX values.
    lagged: Ring<T>,
    /// Whether the last accepted bar produced a value.
    ready: bool,
}
checked_deserialize!(Adxr<T> {
    adx: Adx<T>,
    lagged: Ring<T>,
    ready: bool,
});

impl<T: Float> Invariants for Adxr<T> {
    fn check(&self) -> Result<()> {
        self.adx.check()?;
        self.lagged.check()?;
        state_ok(
            self.lagged.capacity() == self.adx.period() - 1,
            "ADXR lag inconsistent with period",
        )?;
        state_ok(
            self.lagged.len() == 0 || self.adx.is_ready(),
            "ADXR lag filled before its ADX",
        )?;
        state_ok(
            !self.ready || self.lagged.is_full(),
            "ADXR ready before its lag is full",
        )?;
        let hundred = T::from_f64(100.0);
        state_ok(
            self.lagged.iter().all(|x| x >= T::zero() && x <= hundred),
            "ADXR lagged ADX outside [0, 100]",
        )
    }
}

impl<T: Float> Adxr<T> {
    /// ADXR over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self::with_period(check_period("period", period, 2)?))
    }
    fn with_period(period: usize) -> Self {
        Adxr {
            adx: Adx::with_period(period),
            lagged: Ring::new(period - 1),
            ready: false,
        }
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.adx.period()
    }
}

impl<T: Float> Indicator for Adxr<T> {
    type Input = Bar<T>;
    type Output = T;
    #[inline]
    fn update(&mut self, bar: Bar<T>) -> Result<Option<T>> {
        bar.validate()?;
        let out = self.adx.push(&bar).and_then(|adx| {
            self.lagged
                .push(adx)
                .map(|old| (adx + old) / T::from_f64(2.0))
        });
        self.ready = out.is_some();
        Ok(out)
    }
    fn reset(&mut self) {
        // In place: rebuilding would allocate the ring again.
        self.adx.reset();
        self.lagged.clear();
        self.ready = false;
    }
    fn lookback(&self) -> usize {
        3 * self.adx.period() - 2
    }
    fn is_ready(&self) -> bool {
        self.ready
    }
}

impl<T: Float> Default for Adxr<T> {
    /// ADXR(14).
    fn default() -> Self {
        Self::with_period(14)
    }
}

impl<T> fmt::Display for Adxr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ADXR({})", self.adx.core.period)
    }
}
