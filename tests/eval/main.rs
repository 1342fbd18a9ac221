//! `apex_ta::eval`: forward-return evaluation. Hand-worked cases, a
//! comparison against a naive recomputation, bootstrap determinism and
//! sanity, look-ahead alignment, the split, the cross-section and every
//! validation error.
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
    clippy::similar_names,
    clippy::too_many_lines
)]

mod alignment;
mod bootstrap;
mod common;
mod cross;
mod errors;
mod hand;
mod naive;
#[cfg(feature = "serde")]
mod serde_config;
mod split;
mod timing;
