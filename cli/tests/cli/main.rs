//! End-to-end tests of the `apex-ta` binary: every subcommand on the
//! built-in sample and on real-format CSV files with bad rows, exit
//! statuses, JSON, and agreement with the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::float_cmp
)]

mod common;
mod evaluate;
mod indicators;
mod scan;
mod score;
