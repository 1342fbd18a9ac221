//! The signal names a checkpoint may name without help: those of the
//! crate's own scorers. A [`Score`] or [`Composite`] restored by plain
//! `Deserialize` must carry exactly one of these lists (a score of your own
//! composite is restored with `deserialize_with_names`).
//!
//! Here, above both the framework (`scorer`, `composite`) and the APEX
//! score, so that the framework does not import a scorer built on it.

use super::apex::APEX_SIGNALS;
use super::composite::Composite;
use super::scorer::{Names, Score};

/// The crate's own scorers' signal names.
const KNOWN_NAMES: &[&[&str]] = &[&APEX_SIGNALS];

impl<'de> serde::Deserialize<'de> for Score {
    /// The form `Serialize` writes; the names must be a known list (the
    /// APEX signals): see [`Score::deserialize_with_names`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        Score::restore(d, Names::Known(KNOWN_NAMES))
    }
}

impl<'de> serde::Deserialize<'de> for Composite {
    /// The form `Serialize` writes; the names must be a known list (the
    /// APEX signals): see [`Composite::deserialize_with_names`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        Composite::restore(d, Names::Known(KNOWN_NAMES))
    }
}
