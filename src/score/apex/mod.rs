//! The APEX small-cap rotation score: its configuration, its rules (one
//! kernel) and the two drivers over them.
//!
//! | file | what it holds |
//! |---|---|
//! | `config.rs` | [`ApexPeriods`], [`ApexWeights`], [`ApexConfig`], [`MAX_PERIOD`] |
//! | `readings.rs` | [`ApexReadings`], the raw readings behind a score |
//! | `kernel.rs` | [`APEX_SIGNALS`] and the assembly of the eight sub-scores |
//! | `windows.rs` | one symbol's rolling windows and their steps |
//! | `scorer.rs` | [`ApexScorer`], the single-symbol driver |
//! | `universe.rs`, `lockstep.rs` | [`ApexUniverse`], the struct-of-arrays driver, and its lock-step windows |

mod config;
mod kernel;
mod lockstep;
mod readings;
mod scorer;
mod universe;
mod windows;

pub use config::{ApexConfig, ApexPeriods, ApexWeights, MAX_PERIOD};
pub use kernel::APEX_SIGNALS;
pub use readings::ApexReadings;
pub use scorer::ApexScorer;
pub use universe::ApexUniverse;
