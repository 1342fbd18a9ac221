//! Overlap studies at TA-Lib parity: BBANDS, DEMA, TEMA, WMA, TRIMA, KAMA, T3, MIDPOINT, MIDPRICE, SAR.

mod bbands;
mod cascade;
mod dema;
mod kama;
mod midpoint;
mod sar;
mod t3;
mod trima;
mod wma;

pub use bbands::{Bbands, BbandsOutput};
pub use dema::{Dema, Tema};
pub use kama::Kama;
pub use midpoint::{MidPoint, MidPrice};
pub use sar::Sar;
pub use t3::T3;
pub use trima::Trima;
pub use wma::Wma;
