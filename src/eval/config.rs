//! [`EvalConfig`]: horizons, split date and bootstrap settings.

use alloc::vec;
use alloc::vec::Vec;

use crate::{Error, Result};

/// Largest forward horizon, in bars (or dates for a cross-section).
pub const MAX_HORIZON: usize = 10_000;

/// Largest number of bootstrap resamples.
pub const MAX_RESAMPLES: usize = 100_000;

/// Largest number of quantile groups of a cross-section.
pub const MAX_QUANTILES: usize = 100;

/// The generator seed of [`EvalConfig::default`].
pub const DEFAULT_SEED: u64 = 0x5EED_A9E7_2024_0001;

/// What [`evaluate`](super::evaluate) and [`cross_section`](super::cross_section)
/// measure, and how.
///
/// # Parameters
///
/// | field | default | valid |
/// |---|---|---|
/// | `horizons` | `[5, 20, 60]` | non-empty, each in `1..=`[`MAX_HORIZON`] |
/// | `split` | `None` | any timestamp |
/// | `confidence` | `0.90` | `0 < confidence < 1` |
/// | `resamples` | `1000` | `1..=`[`MAX_RESAMPLES`] |
/// | `seed` | [`DEFAULT_SEED`] | any |
/// | `quantiles` | `10` | `2..=`[`MAX_QUANTILES`] |
///
/// A horizon may be listed twice (its results then appear twice, identical).
///
/// # Errors
///
/// [`EvalConfig::validate`] (called by both evaluation functions) returns
/// [`Error::InvalidParameter`] naming the field. With the `serde` feature a
/// deserialized configuration is validated the same way; missing fields take
/// their defaults and unknown fields are an error.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EvalConfig {
    /// Forward horizons `h`, in bars: each is evaluated separately, results
    /// in this order.
    pub horizons: Vec<usize>,
    /// Split timestamp: when set, each horizon also reports a `before` period
    /// (bars stamped `< split` whose bar `t + h` is also `< split`) and an
    /// `after` period (bars stamped `≥ split`).
    pub split: Option<i64>,
    /// Coverage of the bootstrap intervals, e.g. `0.90` for a 90 % interval
    /// (the 5th to the 95th percentile of the resamples).
    pub confidence: f64,
    /// Bootstrap resamples per statistic set.
    pub resamples: usize,
    /// Seed of the bootstrap generator: the same input and seed give the same
    /// intervals, bit for bit, on every platform.
    pub seed: u64,
    /// Quantile groups of a cross-section's top-minus-bottom spread (10:
    /// deciles).
    pub quantiles: usize,
}

impl Default for EvalConfig {
    fn default() -> Self {
        Self {
            horizons: vec![5, 20, 60],
            split: None,
            confidence: 0.90,
            resamples: 1000,
            seed: DEFAULT_SEED,
            quantiles: 10,
        }
    }
}

impl EvalConfig {
    /// Checks every field against the table in the type's docs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] with `name` one of `horizons`,
    /// `confidence`, `resamples`, `quantiles`, the rejected value and the
    /// valid range as `reason`.
    pub fn validate(&self) -> Result<()> {
        if self.horizons.is_empty() {
            return Err(Error::InvalidParameter {
                name: "horizons",
                value: 0.0,
                reason: "at least one horizon is needed",
            });
        }
        if let Some(&h) = self
            .horizons
            .iter()
            .find(|&&h| !(1..=MAX_HORIZON).contains(&h))
        {
            return Err(Error::InvalidParameter {
                name: "horizons",
                value: h as f64,
                reason: "a horizon is in 1..=10000 bars",
            });
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(Error::InvalidParameter {
                name: "confidence",
                value: self.confidence,
                reason: "confidence is strictly between 0 and 1",
            });
        }
        if !(1..=MAX_RESAMPLES).contains(&self.resamples) {
            return Err(Error::InvalidParameter {
                name: "resamples",
                value: self.resamples as f64,
                reason: "resamples is in 1..=100000",
            });
        }
        if !(2..=MAX_QUANTILES).contains(&self.quantiles) {
            return Err(Error::InvalidParameter {
                name: "quantiles",
                value: self.quantiles as f64,
                reason: "quantiles is in 2..=100",
            });
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
const _: () = {
    use serde::de::{Deserialize, Deserializer, Error as _};

    #[derive(serde::Deserialize)]
    #[serde(default, deny_unknown_fields)]
    struct Repr {
        horizons: Vec<usize>,
        split: Option<i64>,
        confidence: f64,
        resamples: usize,
        seed: u64,
        quantiles: usize,
    }

    impl Default for Repr {
        fn default() -> Self {
            let EvalConfig {
                horizons,
                split,
                confidence,
                resamples,
                seed,
                quantiles,
            } = EvalConfig::default();
            Repr {
                horizons,
                split,
                confidence,
                resamples,
                seed,
                quantiles,
            }
        }
    }

    impl<'de> Deserialize<'de> for EvalConfig {
        fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
            let Repr {
                horizons,
                split,
                confidence,
                resamples,
                seed,
                quantiles,
            } = Repr::deserialize(d)?;
            let config = EvalConfig {
                horizons,
                split,
                confidence,
                resamples,
                seed,
                quantiles,
            };
            config.validate().map_err(D::Error::custom)?;
            Ok(config)
        }
    }
};
