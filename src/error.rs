//! The crate's one error type.

use core::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong in apex-ta.
///
/// Errors are values: no function in this crate panics on any input. An
/// indicator that returns an error from `update` has **not** changed its state,
/// so the caller can log the error and carry on with the next input.
///
/// Numeric context is carried as `f64` whatever the indicator's float type, so
/// the error type is the same for `f32` and `f64` indicators.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A constructor parameter is out of its valid range (period 0, fast ≥ slow,
    /// a non-finite or negative weight, …).
    ///
    /// Fix: pass a value inside the range named in `reason`.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name as in the constructor's docs.
        name: &'static str,
        /// The rejected value (periods are converted to `f64`).
        value: f64,
        /// What the valid range is.
        reason: &'static str,
    },

    /// An input value is NaN or ±infinity.
    ///
    /// Fix: filter or repair the value before feeding it; the indicator's state
    /// is unchanged, so the next good input continues the stream.
    #[error("non-finite input `{field}` = {value}")]
    NonFinite {
        /// Which input field (`close`, `high`, `volume`, `benchmark`, …).
        field: &'static str,
        /// The offending value.
        value: f64,
    },

    /// A bar is internally inconsistent: `high < low`, or `open`/`close`
    /// outside `[low, high]`.
    ///
    /// Fix: check the data source; such a bar cannot be traded.
    #[error("inconsistent bar: {problem} (open {open}, high {high}, low {low}, close {close})")]
    InvalidBar {
        /// Which rule the bar breaks.
        problem: BarProblem,
        /// The bar's open.
        open: f64,
        /// The bar's high.
        high: f64,
        /// The bar's low.
        low: f64,
        /// The bar's close.
        close: f64,
    },

    /// A volume is negative.
    ///
    /// Fix: volumes are counts of shares or contracts and must be `>= 0`.
    #[error("negative volume {value}")]
    NegativeVolume {
        /// The offending volume.
        value: f64,
    },

    /// An input that must be strictly positive (a price used as a divisor, such
    /// as the benchmark of a ratio) is zero or negative.
    ///
    /// Fix: relative indicators need positive prices on both legs.
    #[error("input `{field}` must be > 0, got {value}")]
    NonPositive {
        /// Which input field.
        field: &'static str,
        /// The offending value.
        value: f64,
    },

    /// An input is finite but too large or too small for the arithmetic
    /// that follows it to stay finite: a variance input whose square could
    /// overflow a window's sum of squares, a ratio that would overflow or
    /// vanish, a divisor so small that the quotient overflows. `limit` is
    /// the bound it crossed: `|value|` must be at most `limit` when it is
    /// above it, at least `limit` when it is below it (the message says
    /// which). Each indicator's `# Errors` section names its bounds.
    ///
    /// Fix: rescale the series (prices in other units, volumes in lots);
    /// the indicator's state is unchanged, so the next good input continues
    /// the stream.
    #[error("input `{field}` = {value:e} is out of range: its magnitude must be {} {limit:e}", bound_word(*.value, *.limit))]
    OutOfRange {
        /// Which input (or derived quantity: `ratio`, `price0 return`, …).
        field: &'static str,
        /// The offending value (the derived quantity's value for a derived
        /// field).
        value: f64,
        /// The bound `|value|` crossed.
        limit: f64,
    },

    /// A timestamp is not strictly after the previous one on the same stream
    /// (out of order or duplicate).
    ///
    /// Fix: sort the input and drop duplicates; the aligner's state is unchanged.
    #[error("timestamp {timestamp} on `{stream}` is not after the previous one ({previous})")]
    OutOfOrder {
        /// Which input stream (`target`, `spy`, `qqq`, `yield`, `market`, …).
        stream: &'static str,
        /// The rejected timestamp.
        timestamp: i64,
        /// The last accepted timestamp on that stream; for a value older than
        /// the timestamp an [`Aligner`](crate::Aligner) is assembling, that
        /// timestamp.
        previous: i64,
    },

    /// A slice has the wrong length: a universe update's slices must hold one
    /// element per symbol, a `batch_into` output one slot per input.
    ///
    /// Fix: size the slices to match (for a universe, one input and one
    /// output slot per symbol, in a fixed order).
    #[error("slice `{name}` has {got} elements, expected {expected}")]
    LengthMismatch {
        /// Which slice.
        name: &'static str,
        /// The length it should have (symbols, or inputs).
        expected: usize,
        /// The slice's length.
        got: usize,
    },

    /// Deserialized state is internally inconsistent (for example a ring buffer
    /// whose length does not match the indicator's period).
    ///
    /// Fix: only restore state that this crate serialized.
    #[error("invalid state: {reason}")]
    InvalidState {
        /// What is inconsistent.
        reason: &'static str,
    },
}

/// "at most" for a value above its limit (or NaN), "at least" below it.
fn bound_word(value: f64, limit: f64) -> &'static str {
    if value.abs() < limit {
        "at least"
    } else {
        "at most"
    }
}

/// The rule an inconsistent [`Bar`](crate::Bar) breaks; see [`Error::InvalidBar`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BarProblem {
    /// `high < low`.
    HighBelowLow,
    /// `open` is outside `[low, high]`.
    OpenOutsideRange,
    /// `close` is outside `[low, high]`.
    CloseOutsideRange,
}

impl fmt::Display for BarProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BarProblem::HighBelowLow => "high < low",
            BarProblem::OpenOutsideRange => "open outside [low, high]",
            BarProblem::CloseOutsideRange => "close outside [low, high]",
        })
    }
}

/// Error from running an indicator over a slice: which element was rejected
/// and why. Inputs before `index` were consumed; the indicator's state is as
/// after element `index - 1`.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("input {index}: {error}")]
pub struct BatchError {
    /// Position of the rejected input in the slice.
    pub index: usize,
    /// Why it was rejected.
    pub error: Error,
}

pub(crate) fn invalid_period(name: &'static str, value: usize, reason: &'static str) -> Error {
    Error::InvalidParameter {
        name,
        value: value as f64,
        reason,
    }
}

/// The largest period any indicator accepts: 100,000 (TA-Lib's own limit).
///
/// A window allocates its period's worth of values once, in `new`; the cap
/// keeps a typo such as `Sma::new(usize::MAX)` an error instead of an
/// allocation failure, and keeps every `period + 1` and lookback sum far from
/// overflow.
pub const MAX_PERIOD: usize = 100_000;

/// The most symbols a universe form accepts: 1,000,000 (the APEX universe
/// keeps about 200 bytes per symbol, so 200 MB at the cap).
pub const MAX_SYMBOLS: usize = 1_000_000;

/// Validates a period: `min <= value <= MAX_PERIOD`, else `InvalidParameter`.
pub(crate) fn check_period(name: &'static str, value: usize, min: usize) -> Result<usize> {
    if value < min {
        Err(invalid_period(
            name,
            value,
            if min <= 1 {
                "must be at least 1"
            } else {
                "must be at least 2"
            },
        ))
    } else if value > MAX_PERIOD {
        Err(invalid_period(
            name,
            value,
            "must be at most MAX_PERIOD (100000)",
        ))
    } else {
        Ok(value)
    }
}

/// The most values a universe form's windows may hold in all:
/// 2^27 (134,217,728; 1 GiB of `f64`). `symbols × (values per symbol)` above
/// it is `InvalidParameter` from `new`, never an allocation failure.
pub const MAX_UNIVERSE_VALUES: usize = 1 << 27;

/// Validates a windowed universe's size: `symbols` (see [`check_symbols`])
/// times the values each symbol's windows hold.
pub(crate) fn check_universe(symbols: usize, per_symbol: usize) -> Result<usize> {
    let n = check_symbols(symbols)?;
    match n.checked_mul(per_symbol) {
        Some(total) if total <= MAX_UNIVERSE_VALUES => Ok(n),
        _ => Err(invalid_period(
            "symbols",
            n,
            "symbols × window values must be at most MAX_UNIVERSE_VALUES (2^27)",
        )),
    }
}

/// Validates a universe's symbol count: `1 <= n <= MAX_SYMBOLS`.
pub(crate) fn check_symbols(n: usize) -> Result<usize> {
    if n == 0 {
        Err(invalid_period("symbols", n, "must be at least 1"))
    } else if n > MAX_SYMBOLS {
        Err(invalid_period(
            "symbols",
            n,
            "must be at most MAX_SYMBOLS (1000000)",
        ))
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn messages_are_lowercase_and_name_the_problem() {
        let e = Error::NonFinite {
            field: "close",
            value: f64::NAN,
        };
        assert_eq!(e.to_string(), "non-finite input `close` = NaN");
        let e = Error::InvalidBar {
            problem: BarProblem::HighBelowLow,
            open: 1.0,
            high: 1.0,
            low: 2.0,
            close: 1.5,
        };
        assert!(e.to_string().starts_with("inconsistent bar: high < low"));
        assert_eq!(
            check_period("period", 0, 1).unwrap_err().to_string(),
            "invalid parameter `period` = 0: must be at least 1"
        );
    }
}
