//! Rolling statistics at TA-Lib parity: VAR, LINEARREG (with its slope,
//! intercept, angle and TSF), BETA, CORREL.

mod beta;
mod correl;
mod linearreg;
mod pair;
mod var;

pub use beta::Beta;
pub use correl::Correl;
pub use linearreg::{LinearReg, LinearRegAngle, LinearRegIntercept, LinearRegSlope, Tsf};
pub use var::Var;

/// TA-Lib's `TA_EPSILON` (1e-14): its zero band for a previous price
/// (BETA's returns) and its relative floor for a sum of squares (BETA's and
/// CORREL's zero-variance test).
pub(crate) const TA_EPSILON: f64 = 1e-14;
