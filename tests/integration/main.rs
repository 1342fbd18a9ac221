//! Integration tests: TA-Lib parity, the indicator contract, properties, serde.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
// Tests convert between f64 and f32 and name OHLCV fields with one letter on purpose.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_lossless,
    clippy::many_single_char_names
)]

mod batch_into;
mod channels;
mod common;
mod contract;
mod directional;
mod drift;
mod flow_statistics;
mod golden;
mod oscillators;
mod overlap;
mod props;
mod ranges;
#[cfg(feature = "serde")]
mod serde_state;
