//! Momentum oscillators at TA-Lib parity: APO, PPO, BOP, CMO, MFI, MOM, ROC,
//! ROCP, ROCR, ROCR100, STOCH, STOCHF, STOCHRSI, TRIX.

mod bop;
mod change;
mod cmo;
mod mfi;
mod price_osc;
mod stoch;
mod trix;

pub use bop::Bop;
pub use change::{Mom, Roc, Rocp, Rocr, Rocr100};
pub use cmo::Cmo;
pub use mfi::Mfi;
pub use price_osc::{Apo, Ppo};
pub use stoch::{Stoch, StochF, StochOutput, StochRsi};
pub use trix::Trix;

/// TA-Lib's `TA_EPSILON` (1e-14): the band of its `TA_IS_ZERO` test and the
/// relative band of its `TA_IS_ZERO_SCALED` test.
const TALIB_EPSILON: f64 = 1e-14;

/// A moving average whose period is already validated (≥ 1).
fn average<T: crate::Float>(period: usize, kind: crate::MaType) -> crate::MovingAverage<T> {
    // `MovingAverage::new` fails only for a period of 0: the fallback is
    // never taken.
    crate::MovingAverage::new(period, kind)
        .unwrap_or_else(|_| crate::MovingAverage::Sma(crate::Sma::default()))
}
