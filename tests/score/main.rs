//! Composite scores: the Scorer contract, the composite's properties, every
//! documented signal rule through synthetic scenarios, the alignment policy,
//! configuration validation and serde.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::float_cmp,
    clippy::many_single_char_names,
    clippy::redundant_closure_for_method_calls,
    clippy::field_reassign_with_default
)]

mod align;
#[cfg(feature = "serde")]
mod checkpoint;
mod common;
mod composite;
mod contract;
#[cfg(feature = "serde")]
mod serde_config;
mod signals;
