//! Volume z-score and ratio to average volume.

use core::fmt;

use crate::error::check_period;
use crate::float::{finite, variance_input};
use crate::window::{Invariants, RollingStats};
use crate::{Error, Float, Indicator, Result};

/// One [`VolumeZScore`] value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VolumeZScoreOutput<T = f64> {
    /// `(v − mean) / σ`, within [−√(n − 1), √(n − 1)]; `None` when the
    /// window's σ is 0 (all volumes equal).
    pub z: Option<T>,
    /// `v / mean`, the "2–3× average volume" figure; `None` when the mean is 0.
    pub ratio: Option<T>,
    /// Mean volume of the window (including the current bar).
    pub mean: T,
    /// Population standard deviation of the window's volume.
    pub std_dev: T,
}

/// Volume z-score: how unusual the current volume is against the last n bars,
/// in standard deviations, together with the ratio to the average volume.
///
/// A spike of 2–3× average volume on a breakout is the confirmation signal of
/// the small-cap rotation analysis; the z-score makes "unusual" comparable
/// across symbols with different volume levels. Both are invariant to the
/// volume's scale (shares vs lots).
///
/// # Formula
///
/// ```text
/// μ     = SMA_n(v)              (window includes the current bar)
/// σ     = STDDEV_n(v)           (population)
/// z     = (v − μ) / σ           undefined (None) when σ = 0
/// ratio = v / μ                 undefined (None) when μ = 0
/// ```
///
/// Because the current bar is in its own window, |z| ≤ √(n − 1) exactly
/// (Samuelson's inequality); rounding can overshoot that by an ulp or two,
/// so z is clamped to [−√(n − 1), √(n − 1)] (`√` rounded to nearest).
///
/// The window keeps sums of deviations from one of its own values (see
/// [`StdDev`](crate::StdDev)): σ and z do not lose precision at any volume
/// level, however long the stream.
///
/// # Warm-up
///
/// Lookback n − 1.
///
/// # Parameters
///
/// * `period` n ≥ 2 (default 20).
///
/// # Examples
///
/// ```
/// use apex_ta::{Indicator, VolumeZScore};
/// # fn main() -> apex_ta::Result<()> {
/// let mut vz = VolumeZScore::new(4)?;
/// for v in [100.0, 100.0, 100.0] {
///     vz.update(v)?;
/// }
/// let out = vz.update(300.0)?.expect("warmed up");
/// assert_eq!(out.ratio, Some(2.0));             // 300 / mean 150
/// let z = out.z.expect("σ > 0");                 // (300 − 150) / σ(86.6…)
/// assert!((z - 3.0_f64.sqrt()).abs() < 1e-12);
/// assert!(vz.update(-1.0).is_err());            // negative volume
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects period < 2. `update` rejects, state unchanged, a
/// non-finite ([`Error::NonFinite`]) or negative ([`Error::NegativeVolume`])
/// volume, and one above 1e150 (`f32`: 1e16), the limit of a variance input
/// whose square could overflow the window's sums ([`Error::OutOfRange`]).
///
/// # References
///
/// Standard score of volume; no TA-Lib twin (defined by this crate).
#[doc(alias = "volume spike")]
#[doc(alias = "relative volume")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VolumeZScore<T = f64> {
    stats: RollingStats<T>,
}
checked_deserialize!(VolumeZScore<T> { stats: RollingStats<T> });

impl<T: Float> Invariants for VolumeZScore<T> {
    fn check(&self) -> Result<()> {
        self.stats.check()?;
        crate::window::state_ok(self.stats.period() >= 2, "volume z-score period below 2")
    }
}

impl<T: Float> VolumeZScore<T> {
    /// Volume z-score over `period` bars.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `period < 2`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(VolumeZScore {
            stats: RollingStats::new(check_period("period", period, 2)?),
        })
    }
    /// The period n.
    pub fn period(&self) -> usize {
        self.stats.period()
    }
}

impl<T: Float> Indicator for VolumeZScore<T> {
    type Input = T;
    type Output = VolumeZScoreOutput<T>;
    #[inline]
    fn update(&mut self, v: T) -> Result<Option<VolumeZScoreOutput<T>>> {
        let v = finite("volume", v)?;
        if v < T::zero() {
            return Err(Error::NegativeVolume { value: v.to_f64() });
        }
        Ok(self.push(variance_input("volume", v)?))
    }
    fn reset(&mut self) {
        self.stats.clear();
    }
    fn lookback(&self) -> usize {
        self.stats.period() - 1
    }
    fn is_ready(&self) -> bool {
        self.stats.is_full()
    }
}

impl<T: Float> VolumeZScore<T> {
    /// From its rolling statistics (the APEX universe's lock-step windows
    /// hand a symbol over).
    pub(crate) fn from_stats(stats: RollingStats<T>) -> Self {
        VolumeZScore { stats }
    }
    /// [`update`](Indicator::update) for a volume the caller has validated
    /// (finite, ≥ 0).
    #[inline]
    pub(crate) fn push(&mut self, v: T) -> Option<VolumeZScoreOutput<T>> {
        self.stats.push(v);
        if !self.stats.is_full() {
            return None;
        }
        let mean = self.stats.mean();
        let var = self.stats.variance();
        let std_dev = var.sqrt();
        Some(VolumeZScoreOutput {
            z: (std_dev > T::zero()).then(|| self.clamp((v - mean) / std_dev)),
            ratio: ratio_to_mean(v, mean),
            mean,
            std_dev,
        })
    }
    /// [`push`](Self::push) for its `ratio` alone (without the deviation):
    /// volume over the window's mean once full, `None` before or for a zero
    /// mean.
    #[inline]
    pub(crate) fn push_ratio(&mut self, v: T) -> Option<T> {
        self.stats.push(v);
        if !self.stats.is_full() {
            return None;
        }
        ratio_to_mean(v, self.stats.mean())
    }
}

/// Volume over its window's mean, `None` for a mean that is not positive:
/// [`VolumeZScoreOutput::ratio`], the APEX volume reading (also of the
/// universe form's lock-step rows).
#[inline(always)]
#[allow(clippy::inline_always)] // inside the lock-step rows, which vectorise
pub(crate) fn ratio_to_mean<T: Float>(v: T, mean: T) -> Option<T> {
    (mean > T::zero()).then(|| v / mean)
}

impl<T: Float> VolumeZScore<T> {
    /// `z` within [−√(n − 1), √(n − 1)]: exact in real arithmetic
    /// (Samuelson), but rounding can overshoot by an ulp or two (1.3e-15
    /// measured). The square root is taken only near the bound.
    #[inline]
    fn clamp(&self, z: T) -> T {
        let m = T::from_usize(self.stats.period()) - T::one();
        if z * z < m * T::from_f64(1.0 - 1e-9) {
            return z;
        }
        let bound = m.sqrt();
        z.max(-bound).min(bound)
    }
}

impl<T: Float> Default for VolumeZScore<T> {
    /// VolumeZScore(20).
    fn default() -> Self {
        VolumeZScore {
            stats: RollingStats::new(20),
        }
    }
}

impl<T: Float> fmt::Display for VolumeZScore<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VOLZ({})", self.stats.period())
    }
}
