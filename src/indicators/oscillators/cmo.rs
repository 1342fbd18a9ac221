//! Chande momentum oscillator.

use core::fmt;

use crate::error::check_period;
use crate::window::{state_ok, Invariants};
use crate::{Float, Indicator, Result, Rsi};

/// Chande momentum oscillator (CMO), as TA-Lib's `CMO`: net upward movement
/// as a share of all movement.
///
/// In [−100, 100]: +100 when every recent change was a gain, −100 when every
/// one was a loss, 0 when they balance. Above +50 is classically
/// overbought, below −50 oversold. It is RSI rescaled,
/// `CMO = 2·RSI − 100`, and shares its Wilder smoothing.
///
/// # Formula
///
/// ```text
/// Δ      = close[t] − close[t−1]
/// G, L   = mean of the first n gains max(Δ, 0) / losses max(−Δ, 0)   (seed)
/// G      = (G·(n − 1) + gain) / n,   L likewise        (Wilder, α = 1/n)
/// CMO    = 100 · (G − L) / (G + L)
/// CMO    = 0                         when G + L = 0 (no movement at all)
/// ```
///
/// TA-Lib quirk, matched: TA-Lib 0.8.x computes CMO with Wilder-smoothed
/// averages like its RSI, not with Chande's plain sums over the last n
/// changes; the two agree only on the first value.
///
/// # Warm-up
///
/// Lookback n (n changes need n + 1 closes).
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 14; TA-Lib's minimum is 2).
///
/// # Examples
///
/// ```
/// use apex_ta::{Cmo, Indicator};
/// # fn main() -> apex_ta::Result<()> {
/// let mut cmo = Cmo::<f64>::new(2)?;
/// assert_eq!(cmo.update(10.0)?, None);
/// assert_eq!(cmo.update(11.0)?, None);
/// // G = 0.5, L = 0.25: 100 · 0.25 / 0.75
/// let v = cmo.update(10.5)?.unwrap_or_default();
/// assert!((v - 100.0 / 3.0).abs() < 1e-12);
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
/// Tushar Chande and Stanley Kroll, *The New Technical Trader* (1994);
/// TA-Lib `TA_CMO`.
#[doc(alias = "CMO")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cmo<T = f64> {
    /// The Wilder-smoothed gains and losses (TA-Lib's CMO and RSI share them).
    rsi: Rsi<T>,
}
checked_deserialize!(Cmo<T> { rsi: Rsi<T> });

impl<T: Float> Invariants for Cmo<T> {
    fn check(&self) -> Result<()> {
        self.rsi.check()?;
        state_ok(self.rsi.period() >= 2, "CMO period below 2")
    }
}

impl<T: Float> Cmo<T> {
    /// CMO over `period` changes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `period` if it is below 2.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Cmo {
            rsi: Rsi::new(check_period("period", period, 2)?)?,
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.rsi.period()
    }
}

/// CMO from the two averages, 0 when there was no movement.
#[inline]
fn cmo_value<T: Float>(gain: T, loss: T) -> T {
    let total = gain + loss;
    if total > T::zero() {
        T::from_f64(100.0) * ((gain - loss) / total)
    } else {
        T::zero()
    }
}

impl<T: Float> Indicator for Cmo<T> {
    type Input = T;
    type Output = T;
    #[inline]
    fn update(&mut self, close: T) -> Result<Option<T>> {
        self.rsi.update(close)?;
        Ok(self.rsi.averages().map(|(g, l)| cmo_value(g, l)))
    }
    fn reset(&mut self) {
        self.rsi.reset();
    }
    fn lookback(&self) -> usize {
        self.rsi.period()
    }
    fn is_ready(&self) -> bool {
        self.rsi.is_ready()
    }
}

impl<T: Float> Default for Cmo<T> {
    /// CMO(14).
    fn default() -> Self {
        Cmo {
            rsi: Rsi::default(),
        }
    }
}

impl<T: Float> fmt::Display for Cmo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CMO({})", self.rsi.period())
    }
}
