//! Volume flow at TA-Lib parity: AD, ADOSC, OBV.

mod ad;
mod adosc;
mod obv;

pub use ad::Ad;
pub use adosc::AdOsc;
pub use obv::Obv;

use crate::{Bar, Error, Float, Result};

/// A bar's money-flow volume, TA-Lib's AD term: the close location value
/// `((close − low) − (high − close)) / (high − low)` times the volume, 0 when
/// `high = low`. Same operations in the same order as TA-Lib.
#[inline]
pub(crate) fn money_flow<T: Float>(bar: &Bar<T>) -> T {
    let range = bar.high - bar.low;
    if range > T::zero() {
        ((bar.close - bar.low) - (bar.high - bar.close)) / range * bar.volume
    } else {
        T::zero()
    }
}

/// `total` if finite, else the error for a running total that left the
/// float range (the caller's state is not touched).
#[inline]
pub(crate) fn finite_total<T: Float>(field: &'static str, total: T) -> Result<T> {
    if total.is_finite() {
        Ok(total)
    } else {
        Err(overflow(field, total))
    }
}

#[cold]
#[inline(never)]
fn overflow<T: Float>(field: &'static str, total: T) -> Error {
    Error::NonFinite {
        field,
        value: total.to_f64(),
    }
}
