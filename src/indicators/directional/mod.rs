//! Directional movement and trend-strength oscillators at TA-Lib parity: ADX, ADXR, DX, PLUS_DI, MINUS_DI, PLUS_DM, MINUS_DM, AROON, AROONOSC, CCI, WILLR, ULTOSC.
//!
//! Wilder's system (PLUS_DM … ADXR) is written once, in `system`'s
//! `Directional`: the one-bar movement and true range, their seeded Wilder
//! sums, and the DI and DX formulas; each indicator is a thin driver over it.

mod aroon;
mod cci;
mod movement;
mod system;
mod trend;
mod ultosc;
mod willr;

pub use aroon::{Aroon, AroonOsc, AroonOutput};
pub use cci::Cci;
pub use movement::{MinusDi, MinusDm, PlusDi, PlusDm};
pub use trend::{Adx, Adxr, Dx};
pub use ultosc::UltOsc;
pub use willr::WillR;
