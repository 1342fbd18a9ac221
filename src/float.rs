//! The sealed [`Float`] trait: the crate is generic over `f32` and `f64`.

use core::fmt::{Debug, Display};

mod private {
    /// Seals [`Float`](super::Float) and carries the crate's bit-level helpers
    /// (callable inside the crate, invisible outside it).
    pub trait Sealed: Copy {
        /// `0 <= self <= MAX` by one unsigned comparison of the bit pattern:
        /// non-negative floats order like their bits, and NaN, infinity and
        /// every negative value (sign bit set) compare above `MAX`. `-0.0`
        /// gives `false` although it is `>= 0`; callers treat `false` as
        /// "check the slow way", never as "invalid".
        fn nonneg_finite_bits(self) -> bool;
        /// The largest magnitude of an input whose square enters a window's
        /// sums (a variance input): `4·n·L²` stays below the type's maximum
        /// for every period `n ≤ MAX_PERIOD` (10⁵), so deviations from any
        /// anchor in the window (`|d| ≤ 2L`) and their sums of squares are
        /// finite. `f64`: 1e150 (4·10⁵·1e300 = 4e305 < 1.8e308); `f32`:
        /// 1e16 (4e37 < 3.4e38).
        const VARIANCE_LIMIT: f64;
        /// The largest magnitude of a ratio (and the reciprocal of the
        /// smallest): a sum of `MAX_PERIOD` of them (an EMA's seed) stays
        /// finite, and the smallest is a normal number. `f64`: 1e300;
        /// `f32`: 1e30.
        const RATIO_LIMIT: f64;
        /// The smallest ratio, the literal reciprocal of `RATIO_LIMIT`
        /// (1e-300, 1e-30: normal numbers).
        const RATIO_FLOOR: f64;
    }
    impl Sealed for f32 {
        const VARIANCE_LIMIT: f64 = 1e16;
        const RATIO_LIMIT: f64 = 1e30;
        const RATIO_FLOOR: f64 = 1e-30;
        #[inline]
        fn nonneg_finite_bits(self) -> bool {
            self.to_bits() <= f32::MAX.to_bits()
        }
    }
    impl Sealed for f64 {
        const VARIANCE_LIMIT: f64 = 1e150;
        const RATIO_LIMIT: f64 = 1e300;
        const RATIO_FLOOR: f64 = 1e-300;
        #[inline]
        fn nonneg_finite_bits(self) -> bool {
            self.to_bits() <= f64::MAX.to_bits()
        }
    }
}
pub(crate) use private::Sealed;

/// Floating-point type an indicator computes in: `f32` or `f64`.
///
/// Sealed: it is implemented for exactly `f32` and `f64`, so the crate can add
/// methods without breaking anyone. Every indicator is generic over it with
/// `f64` as the default type parameter (`Rsi` means `Rsi<f64>`).
///
/// The float type is inferred from what you feed (`rsi.update(bar.close)`
/// with an `f64` close makes an `Rsi<f64>`). Code that feeds only float
/// literals names it: `Rsi::<f64>::new(14)`.
///
/// `f64` is the reference type: TA-Lib parity (1e-10 relative) is stated and
/// tested for `f64`. `f32` halves memory (useful for large universes) and agrees
/// with `f64` to about 1e-5 relative on typical price data.
///
/// # Examples
///
/// ```
/// use apex_ta::{Float, Rsi};
/// fn last_rsi<T: Float>(closes: &[T]) -> Option<T> {
///     use apex_ta::Indicator;
///     let mut rsi = Rsi::<T>::new(14).ok()?;
///     closes.iter().filter_map(|&c| rsi.update(c).ok().flatten()).last()
/// }
/// let closes: Vec<f32> = (0..40).map(|i| 100.0 + (i % 7) as f32).collect();
/// assert!(last_rsi(&closes).is_some());
/// ```
pub trait Float:
    num_traits::Float + Debug + Display + Default + Send + Sync + 'static + private::Sealed
{
    /// Converts from `f64` (rounding to nearest for `f32`).
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` (exact for both types).
    fn to_f64(self) -> f64;
    /// Converts a count (a period) to this type.
    fn from_usize(n: usize) -> Self;
}

impl Float for f64 {
    #[inline]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline]
    fn from_usize(n: usize) -> Self {
        n as f64
    }
}

impl Float for f32 {
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // documented: rounds to nearest f32
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline]
    fn from_usize(n: usize) -> Self {
        n as f32
    }
}

/// `x` as a finite value or a `NonFinite` error naming `field`.
#[inline]
pub(crate) fn finite<T: Float>(field: &'static str, x: T) -> crate::Result<T> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(non_finite(field, x))
    }
}

/// The error for a non-finite `x`, off the hot path.
#[cold]
#[inline(never)]
fn non_finite<T: Float>(field: &'static str, x: T) -> crate::Error {
    crate::Error::NonFinite {
        field,
        value: x.to_f64(),
    }
}

/// One step of a first-order recurrence: `prev·keep + input`, where `input`
/// is the already weighted new value (`x·α`).
///
/// On the default x86-64 target this is a multiply then an add: two
/// roundings, and ~6 cycles of latency on the chain from one step to the next,
/// the floor of every EMA, Wilder average, RSI, MACD and ATR update. A build
/// with the `fma` target feature (`-C target-cpu=native` on any x86-64 CPU
/// since ~2013, or `-C target-feature=+fma`) and `std` gets one fused
/// multiply-add instead: one rounding, ~4 cycles. Results then differ in the
/// last bit from the default build, as TA-Lib's own FMA build differs from
/// its plain one; each build is internally consistent (streaming, batch and
/// universe forms share this function).
///
/// Not `f64::mul_add` unconditionally: without the hardware instruction it is
/// a call into a software fma, several times slower.
#[inline(always)]
#[allow(clippy::inline_always)] // the innermost step of every smoothing loop
pub(crate) fn smooth<T: Float>(prev: T, keep: T, input: T) -> T {
    #[cfg(all(feature = "std", target_feature = "fma"))]
    {
        prev.mul_add(keep, input)
    }
    #[cfg(not(all(feature = "std", target_feature = "fma")))]
    {
        prev * keep + input
    }
}

/// `x` is finite, as a predicate the compiler vectorises: `x − x` is `0` for
/// every finite `x` and NaN for NaN and ±∞.
#[inline]
#[allow(clippy::eq_op)] // `x − x` is the test, not a typo
pub(crate) fn is_finite_fast<T: Float>(x: T) -> bool {
    x - x == T::zero()
}

/// `a` if `c`, else `b`, both already computed: a select, not a branch,
/// in the loops that must vectorise (`NaN` marks "no value" there).
#[inline(always)]
#[allow(clippy::inline_always)] // inside the vectorised rule and window loops
pub(crate) fn pick(c: bool, a: f64, b: f64) -> f64 {
    if c {
        a
    } else {
        b
    }
}

/// `NaN` → `None`: a lane value ("no value" = `NaN`) as an `Option`.
#[inline]
pub(crate) fn some(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// `x` if finite, else `NaN` (a reading that cannot be represented is
/// missing, never ±∞).
#[inline(always)]
#[allow(clippy::inline_always)] // inside the vectorised window loops
pub(crate) fn finite_or_nan(x: f64) -> f64 {
    pick(is_finite_fast(x), x, f64::NAN)
}

/// `x` as a finite, strictly positive value, else the matching error.
#[inline]
pub(crate) fn positive<T: Float>(field: &'static str, x: T) -> crate::Result<T> {
    let x = finite(field, x)?;
    if x > T::zero() {
        Ok(x)
    } else {
        Err(crate::Error::NonPositive {
            field,
            value: x.to_f64(),
        })
    }
}

/// The largest magnitude of a band multiplier (BBANDS' `nbdev`, VWAP's,
/// Keltner's and SuperTrend's): `1e6 · σ` of inputs within the variance
/// limit is finite in both float types.
pub(crate) const MAX_MULTIPLIER: f64 = 1e6;

/// The error for a finite `x` beyond `limit` (or below it), off the hot path.
#[cold]
#[inline(never)]
pub(crate) fn out_of_range<T: Float>(field: &'static str, x: T, limit: f64) -> crate::Error {
    crate::Error::OutOfRange {
        field,
        value: x.to_f64(),
        limit,
    }
}

/// `x` as a variance input: finite with `|x| ≤` the type's variance limit
/// (`f64`: 1e150, `f32`: 1e16), else `NonFinite` or `OutOfRange` naming
/// `field`. One comparison on the hot path (NaN and ±∞ fail it too).
#[inline]
pub(crate) fn variance_input<T: Float>(field: &'static str, x: T) -> crate::Result<T> {
    if x.abs() <= T::from_f64(T::VARIANCE_LIMIT) {
        Ok(x)
    } else {
        finite(field, x)?;
        Err(out_of_range(field, x, T::VARIANCE_LIMIT))
    }
}

/// `r` (a quotient of positive values) as a ratio the crate's averages can
/// carry: within `[1/L, L]` for the type's ratio limit `L` (`f64`: 1e300,
/// `f32`: 1e30), so it is normal, non-zero, and a sum of `MAX_PERIOD` of
/// them is finite. Else `NonFinite` (a quotient that overflowed) or
/// `OutOfRange` naming `field`.
#[inline]
pub(crate) fn ratio_in_range<T: Float>(field: &'static str, r: T) -> crate::Result<T> {
    let (lo, hi) = (T::from_f64(T::RATIO_FLOOR), T::from_f64(T::RATIO_LIMIT));
    if lo <= r && r <= hi {
        Ok(r)
    } else {
        finite(field, r)?;
        let limit = if r > T::one() {
            T::RATIO_LIMIT
        } else {
            T::RATIO_FLOOR
        };
        Err(out_of_range(field, r, limit))
    }
}

/// `x` as a divisor: finite and a *normal* positive number (not zero and
/// not subnormal, whose reciprocal overflows), else `NonFinite`,
/// `NonPositive` or `OutOfRange` naming `field`.
#[inline]
pub(crate) fn normal_positive<T: Float>(field: &'static str, x: T) -> crate::Result<T> {
    let x = positive(field, x)?;
    if x >= T::min_positive_value() {
        Ok(x)
    } else {
        Err(out_of_range(field, x, T::min_positive_value().to_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::smooth;

    /// `smooth` is one rounding exactly when the build has `fma` (and `std`),
    /// two otherwise: `(1 + 2⁻³⁰)² − 1` keeps its 2⁻⁶⁰ term only if fused.
    #[test]
    fn smooth_rounds_once_with_fma_twice_without() {
        let a = 1.0 + 2f64.powi(-30);
        let got = smooth(a, a, -1.0);
        let fused = 2f64.powi(-29) + 2f64.powi(-60);
        let unfused = 2f64.powi(-29);
        if cfg!(all(feature = "std", target_feature = "fma")) {
            assert_eq!(got, fused);
        } else {
            assert_eq!(got, unfused);
        }
    }
}
