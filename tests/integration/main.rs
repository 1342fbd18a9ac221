//! Integration tests: TA-Lib parity, the indicator contract, properties, serde.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod common;
mod contract;
mod drift;
mod golden;
mod props;
#[cfg(feature = "serde")]
mod serde_state;
