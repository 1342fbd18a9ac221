//! Helpers for the unit tests.

/// A seeded xorshift64 generator of uniform values in [0, 1).
#[allow(clippy::cast_precision_loss)] // 53-bit integers convert exactly
pub(crate) fn uniform(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1_u64 << 53) as f64
    }
}
