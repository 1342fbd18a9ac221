//! The APEX small-cap rotation score: its configuration, its rules (one
//! kernel) and the two drivers over them.
//!
//! | file | what it holds |
//! |---|---|
//! | `config.rs` | [`ApexPeriods`], [`ApexWeights`], [`ApexConfig`], [`MAX_PERIOD`] |
//! | `readings.rs` | [`ApexReadings`], the raw readings behind a score, and their checkpoint |
//! | `kernel.rs` | [`APEX_SIGNALS`] and `assemble`: one bar's readings → the eight sub-scores, branch-free (`NaN` = none) |
//! | `windows.rs` | `ApexWindows`, one symbol's rolling windows, and their steps (`breakout_step`, `swing_step`, …) |
//! | `scorer.rs` | [`ApexScorer`], the single-symbol driver (`ApexState`, `ApexParams`, its checkpoint) |
//! | `universe.rs` | [`ApexUniverse`], the struct-of-arrays driver |
//! | `lockstep.rs`, `lockstep/checkpoint.rs` | the universe's rolling windows in lock step (one row per position, one column per symbol) and their checkpoint |
//!
//! Data flows one way: config → kernel → windows → drivers. The kernel
//! imports the configuration and the readings; the windows the kernel's
//! [`WindowReadings`](kernel::WindowReadings); the scorer all three; the
//! universe the scorer's validation and parameters, the windows (a symbol
//! out of lock step runs the scorer's `ApexWindows`) and `lockstep`. No
//! module imports one that imports it back.
//!
//! # One rule, one window formula, two drivers
//!
//! Each rule is its signal's `score_lane` in `score::signal` (the public
//! `score` methods wrap it); `kernel::assemble` is the one place the eight
//! rules are put together (the NATR, the yield change the RSI rule reads,
//! the bar's direction for the volume rule). [`ApexScorer`] calls it once per bar (through
//! `dispatch::wide`, like the universe form), [`ApexUniverse`] once per
//! symbol in a loop that vectorises. Each rolling-window formula is a
//! per-element kernel in `crate::window` (or next to its indicator:
//! `swing_reading`, `return_spread`, `ratio_to_mean`) that the single
//! windows and the lock-step rows both step through. `tests/universe.rs`
//! checks the two drivers against each other, bit for bit.
//!
//! # Adding a ninth signal
//!
//! The signal list and its assembly live together in `kernel.rs`: add the
//! name to [`APEX_SIGNALS`] and the sub-score to `assemble` (at the same
//! position), with the reading it needs in `SignalInputs` or
//! `WindowReadings`. Then what that needs around it: the rule (a signal in
//! `score::signal`, with its `score_lane`), its weight ([`ApexWeights`])
//! and thresholds ([`ApexConfig`]), its reading ([`ApexReadings`]), and,
//! for a new rolling window, the window in `ApexWindows` and its lock-step
//! rows in `lockstep.rs`. The universe's per-symbol arrays
//! (`universe.rs`: `Lanes`, `assemble_each`) hold one array per sub-score.

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
