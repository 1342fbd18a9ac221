//! Least-squares line over a rolling window: TA-Lib's LINEARREG,
//! LINEARREG_SLOPE, LINEARREG_INTERCEPT, LINEARREG_ANGLE and TSF.

use core::fmt;

use super::pair::nearest;
use crate::error::check_period;
use crate::float::variance_input;
use crate::window::{state_ok, Invariants, Ring};
use crate::{Float, Indicator, Result};

/// The least-squares line through the last n values, in O(1) per value.
///
/// Bars are numbered t = 0 (the oldest held) … n − 1 (the newest). The sums
/// Σ d and Σ t·d are kept over the deviations d = y − anchor, where the
/// anchor is the held value nearest the mean at the last re-anchoring; both are recomputed
/// exactly once per window, so they cannot drift, and rounding is relative
/// to how far the values stray from the anchor within about two windows (R),
/// not to their level. A flat window has every d = 0 and a slope of exactly
/// 0.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct LinRegWindow<T> {
    ring: Ring<T>,
    anchor: T,
    /// Σ d over the values held.
    sum: T,
    /// Σ t·d over the values held.
    wsum: T,
    /// Σ (t − t̄)² = n·(n² − 1)/12.
    sxx: T,
}
checked_deserialize!(LinRegWindow<T> {
    ring: Ring<T>,
    anchor: T,
    sum: T,
    wsum: T,
    sxx: T,
});

/// Σ (t − t̄)² over t = 0..n: n·(n² − 1)/12.
fn sxx<T: Float>(n: usize) -> T {
    let n = n as f64;
    T::from_f64(n * (n * n - 1.0) / 12.0)
}

impl<T: Float> Invariants for LinRegWindow<T> {
    fn check(&self) -> Result<()> {
        self.ring.check()?;
        let n = self.ring.capacity();
        state_ok(n >= 2, "regression window shorter than 2")?;
        state_ok(
            self.sxx == sxx(n),
            "regression scale inconsistent with window",
        )?;
        state_ok(
            self.anchor.is_finite() && self.sum.is_finite() && self.wsum.is_finite(),
            "non-finite regression sums",
        )?;
        state_ok(
            self.ring.len() > 0
                || (self.anchor == T::zero() && self.sum == T::zero() && self.wsum == T::zero()),
            "regression sums without values",
        )?;
        // Values and anchor are variance inputs (|v| ≤ L): each deviation is
        // at most 2L, their sum at most 2nL and the weighted one 2n²L (up to
        // rounding: twice that is checked). Within them the fit is finite.
        let l = T::from_f64(T::VARIANCE_LIMIT);
        let nf = T::from_usize(n);
        let four = T::from_f64(4.0);
        state_ok(
            self.ring.iter().all(|v| v.abs() <= l) && self.anchor.abs() <= l,
            "regression value beyond the variance limit",
        )?;
        state_ok(
            self.sum.abs() <= four * nf * l && self.wsum.abs() <= four * nf * nf * l,
            "regression sums beyond what the values allow",
        )
    }
}

/// The fitted line: its value at the window's centre t̄ and its slope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fit<T> {
    /// Mean of the window (the line's value at t̄).
    pub(crate) mean: T,
    /// Change per bar.
    pub(crate) slope: T,
    /// t̄ = (n − 1)/2.
    pub(crate) centre: T,
}

impl<T: Float> Fit<T> {
    /// The line at the newest bar, t = n − 1 (LINEARREG).
    pub(crate) fn last(&self) -> T {
        self.mean + self.slope * self.centre
    }
    /// The line at the oldest bar, t = 0 (LINEARREG_INTERCEPT).
    pub(crate) fn intercept(&self) -> T {
        self.mean - self.slope * self.centre
    }
    /// The line one bar past the newest, t = n (TSF).
    pub(crate) fn forecast(&self) -> T {
        self.mean + self.slope * (self.centre + T::one())
    }
    /// The slope's angle in degrees (LINEARREG_ANGLE).
    pub(crate) fn angle(&self) -> T {
        self.slope.atan() * T::from_f64(180.0 / core::f64::consts::PI)
    }
}

impl<T: Float> LinRegWindow<T> {
    /// `n >= 2` is the caller's invariant.
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(2);
        LinRegWindow {
            ring: Ring::new(n),
            anchor: T::zero(),
            sum: T::zero(),
            wsum: T::zero(),
            sxx: sxx(n),
        }
    }
    pub(crate) fn period(&self) -> usize {
        self.ring.capacity()
    }
    pub(crate) fn is_full(&self) -> bool {
        self.ring.is_full()
    }
    /// Adds `y` (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, y: T) {
        let held = self.ring.len();
        if held == 0 {
            self.anchor = y;
        }
        let d = y - self.anchor;
        if let Some(old) = self.ring.push(y) {
            // Every value kept moves one bar older (t − 1), the oldest
            // leaves, the new one arrives at t = n − 1.
            let e = old - self.anchor;
            self.wsum = self.wsum - (self.sum - e) + T::from_usize(held - 1) * d;
            self.sum = self.sum + (d - e);
        } else {
            self.wsum = self.wsum + T::from_usize(held) * d;
            self.sum = self.sum + d;
        }
        if self.ring.wrapped() {
            self.reanchor();
        }
    }
    /// Exact sums from the values held, measured from a new anchor: the held
    /// value nearest their mean (a flat window gives exact zeros).
    #[cold]
    #[inline(never)]
    fn reanchor(&mut self) {
        let mean = self.anchor + self.sum / T::from_usize(self.ring.len().max(1));
        let anchor = nearest(&self.ring, mean).unwrap_or(self.anchor);
        let (sum, wsum) =
            self.ring
                .iter()
                .enumerate()
                .fold((T::zero(), T::zero()), |(s, w), (t, y)| {
                    let d = y - anchor;
                    (s + d, w + T::from_usize(t) * d)
                });
        self.anchor = anchor;
        self.sum = sum;
        self.wsum = wsum;
    }
    /// The least-squares line (meaningful once full).
    #[inline]
    pub(crate) fn fit(&self) -> Fit<T> {
        let n = self.ring.capacity();
        let centre = T::from_usize(n - 1) * T::from_f64(0.5);
        Fit {
            mean: self.anchor + self.sum / T::from_usize(n),
            slope: (self.wsum - centre * self.sum) / self.sxx,
            centre,
        }
    }
    pub(crate) fn clear(&mut self) {
        self.ring.clear();
        self.anchor = T::zero();
        self.sum = T::zero();
        self.wsum = T::zero();
    }
}

/// One public indicator over a [`LinRegWindow`]: struct, serde, `new`,
/// `period`, `Indicator`, `Default` (period 14) and `Display`.
macro_rules! linreg_indicator {
    (
        $(#[$meta:meta])*
        $name:ident, $talib:literal, |$fit:ident| $value:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name<T = f64> {
            window: LinRegWindow<T>,
        }
        checked_deserialize!($name<T> { window: LinRegWindow<T> });

        impl<T: Float> Invariants for $name<T> {
            fn check(&self) -> Result<()> {
                self.window.check()
            }
        }

        impl<T: Float> $name<T> {
            #[doc = concat!("`", $talib, "` over `period` inputs.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidParameter`](crate::Error::InvalidParameter)
            /// naming `period` if it is below 2 (a line needs two points).
            pub fn new(period: usize) -> Result<Self> {
                Ok($name {
                    window: LinRegWindow::new(check_period("period", period, 2)?),
                })
            }
            /// The period n.
            pub fn period(&self) -> usize {
                self.window.period()
            }
        }

        impl<T: Float> Indicator for $name<T> {
            type Input = T;
            type Output = T;
            #[inline]
            fn update(&mut self, x: T) -> Result<Option<T>> {
                self.window.push(variance_input("close", x)?);
                Ok(self.window.is_full().then(|| {
                    let $fit = self.window.fit();
                    $value
                }))
            }
            fn reset(&mut self) {
                self.window.clear();
            }
            fn lookback(&self) -> usize {
                self.window.period() - 1
            }
            fn is_ready(&self) -> bool {
                self.window.is_full()
            }
        }

        impl<T: Float> Default for $name<T> {
            #[doc = concat!("`", $talib, "(14)`, TA-Lib's default.")]
            fn default() -> Self {
                $name {
                    window: LinRegWindow::new(14),
                }
            }
        }

        impl<T: Float> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", $talib, self.window.period())
            }
        }
    };
}

linreg_indicator! {
    /// Linear regression value, TA-Lib's `LINEARREG`: the least-squares line
    /// through the last n inputs, evaluated at the newest one.
    ///
    /// An end-point moving average that lags less than an SMA of the same
    /// length on a trend. Same units as the input.
    ///
    /// # Formula
    ///
    /// ```text
    /// t     = 0 (oldest) … n − 1 (newest),  t̄ = (n − 1)/2
    /// slope = Σ (t − t̄)·(y − ȳ) / Σ (t − t̄)²,   Σ (t − t̄)² = n(n² − 1)/12
    /// LINEARREG = ȳ + slope · t̄                (the line at t = n − 1)
    /// ```
    ///
    /// TA-Lib numbers the bars backwards (x = bars ago, 0 for the newest)
    /// and flips the sign of its slope; the fitted line is the same.
    ///
    /// Kept as running sums of the deviations from an anchor (a value of the
    /// window, re-chosen near its mean at each re-anchoring), updated in O(1) and recomputed exactly
    /// once per window: no drift, and rounding is relative to how far the
    /// values move within about two windows (R), not to their level: the
    /// absolute error is of order ε·(|y| + n·R) (ε = 2.2e-16 for `f64`,
    /// 1.2e-7 for `f32`). Raw sums Σ y and Σ t·y, as TA-Lib keeps them, have
    /// errors of order ε·n·|y| in a slope of order R/n, so they lose digits
    /// in proportion to the level over the range (mean/σ).
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1.
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 2 (default 14, as TA-Lib).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Indicator, LinearReg};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut lr = LinearReg::new(3)?;
    /// // 1, 3, 2: mean 2, slope 0.5, so the line ends at 2 + 0.5·1 = 2.5
    /// let out = lr.batch(&[1.0, 3.0, 2.0, 4.0]).map_err(|e| e.error)?;
    /// assert_eq!(out[2], Some(2.5));
    /// assert_eq!(out[3], Some(3.5)); // 3, 2, 4: mean 3, slope 0.5
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite input,
    /// state unchanged.
    ///
    /// # References
    ///
    /// TA-Lib `TA_LINEARREG`.
    #[doc(alias = "LINEARREG")]
    #[doc(alias = "LSMA")]
    LinearReg, "LINEARREG", |fit| fit.last()
}

linreg_indicator! {
    /// Linear regression slope, TA-Lib's `LINEARREG_SLOPE`: the change per bar
    /// of the least-squares line through the last n inputs.
    ///
    /// Input units per bar; positive on a rising window, 0 on a flat one.
    ///
    /// # Formula
    ///
    /// ```text
    /// t     = 0 (oldest) … n − 1 (newest),  t̄ = (n − 1)/2
    /// slope = Σ (t − t̄)·(y − ȳ) / Σ (t − t̄)²,   Σ (t − t̄)² = n(n² − 1)/12
    /// ```
    ///
    /// TA-Lib numbers the bars backwards (x = bars ago) and negates, which
    /// gives the same slope per bar forward in time.
    ///
    /// Precision as [`LinearReg`]: sums of deviations from an anchor,
    /// recomputed once per window; the absolute error is of order ε·R (R: the
    /// values' range over about two windows) whatever the level, where raw
    /// sums would give ε·|y|.
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1.
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 2 (default 14, as TA-Lib).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Indicator, LinearRegSlope};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut slope = LinearRegSlope::new(4)?;
    /// let out = slope.batch(&[10.0, 12.0, 14.0, 16.0, 16.0]).map_err(|e| e.error)?;
    /// assert_eq!(out[3], Some(2.0)); // a straight line rising 2 per bar
    /// // 12, 14, 16, 16: Σ (t − t̄)(y − ȳ) = 1.5·2.5 + 0.5·0.5 + 0.5·1.5 + 1.5·1.5 = 7
    /// assert_eq!(out[4], Some(1.4)); // 7 / Σ (t − t̄)² = 7 / 5
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite input,
    /// state unchanged.
    ///
    /// # References
    ///
    /// TA-Lib `TA_LINEARREG_SLOPE`.
    #[doc(alias = "LINEARREG_SLOPE")]
    LinearRegSlope, "LINEARREG_SLOPE", |fit| fit.slope
}

linreg_indicator! {
    /// Linear regression intercept, TA-Lib's `LINEARREG_INTERCEPT`: the
    /// least-squares line through the last n inputs, evaluated at the oldest
    /// one.
    ///
    /// Same units as the input. With [`LinearRegSlope`] it gives the whole
    /// line: value at the newest bar = intercept + slope·(n − 1).
    ///
    /// # Formula
    ///
    /// ```text
    /// t     = 0 (oldest) … n − 1 (newest),  t̄ = (n − 1)/2
    /// slope = Σ (t − t̄)·(y − ȳ) / Σ (t − t̄)²
    /// LINEARREG_INTERCEPT = ȳ − slope · t̄      (the line at t = 0)
    /// ```
    ///
    /// **TA-Lib quirk:** the intercept is at the *oldest* bar of the window
    /// (TA-Lib's x runs 0 … n − 1 from the oldest bar in its intercept, though
    /// it counts bars ago in its sums); matched.
    ///
    /// Precision as [`LinearReg`].
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1.
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 2 (default 14, as TA-Lib).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Indicator, LinearRegIntercept};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut b = LinearRegIntercept::new(3)?;
    /// // 1, 3, 2: mean 2, slope 0.5, so the line starts at 2 − 0.5·1 = 1.5
    /// let out = b.batch(&[1.0, 3.0, 2.0]).map_err(|e| e.error)?;
    /// assert_eq!(out[2], Some(1.5));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite input,
    /// state unchanged.
    ///
    /// # References
    ///
    /// TA-Lib `TA_LINEARREG_INTERCEPT`.
    #[doc(alias = "LINEARREG_INTERCEPT")]
    LinearRegIntercept, "LINEARREG_INTERCEPT", |fit| fit.intercept()
}

linreg_indicator! {
    /// Linear regression angle, TA-Lib's `LINEARREG_ANGLE`: the slope of the
    /// least-squares line through the last n inputs as an angle in degrees.
    ///
    /// In (−90°, 90°); 45° is a rise of one input unit per bar, so the angle
    /// depends on the input's units (it is `atan` of [`LinearRegSlope`]).
    ///
    /// # Formula
    ///
    /// ```text
    /// slope = as LINEARREG_SLOPE
    /// LINEARREG_ANGLE = atan(slope) · 180/π
    /// ```
    ///
    /// Precision as [`LinearReg`].
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1.
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 2 (default 14, as TA-Lib).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Indicator, LinearRegAngle};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut angle = LinearRegAngle::new(3)?;
    /// let out = angle.batch(&[1.0, 2.0, 3.0]).map_err(|e| e.error)?;
    /// let deg = out[2].unwrap_or(f64::NAN);
    /// assert!((deg - 45.0).abs() < 1e-12); // one unit per bar
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite input,
    /// state unchanged.
    ///
    /// # References
    ///
    /// TA-Lib `TA_LINEARREG_ANGLE`.
    #[doc(alias = "LINEARREG_ANGLE")]
    LinearRegAngle, "LINEARREG_ANGLE", |fit| fit.angle()
}

linreg_indicator! {
    /// Time series forecast, TA-Lib's `TSF`: the least-squares line through
    /// the last n inputs, extended one bar past the newest.
    ///
    /// [`LinearReg`] plus one slope. Same units as the input.
    ///
    /// # Formula
    ///
    /// ```text
    /// t     = 0 (oldest) … n − 1 (newest),  t̄ = (n − 1)/2
    /// slope = Σ (t − t̄)·(y − ȳ) / Σ (t − t̄)²
    /// TSF   = ȳ + slope · (t̄ + 1)               (the line at t = n)
    /// ```
    ///
    /// Precision as [`LinearReg`].
    ///
    /// # Warm-up
    ///
    /// Lookback n − 1.
    ///
    /// # Parameters
    ///
    /// * `period` n ≥ 2 (default 14, as TA-Lib).
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::{Indicator, Tsf};
    /// # fn main() -> apex_ta::Result<()> {
    /// let mut tsf = Tsf::new(3)?;
    /// // 1, 3, 2: the line ends at 2.5 with slope 0.5, so it forecasts 3
    /// let out = tsf.batch(&[1.0, 3.0, 2.0]).map_err(|e| e.error)?;
    /// assert_eq!(out[2], Some(3.0));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `new` rejects a period below 2; `update` rejects a non-finite input,
    /// state unchanged.
    ///
    /// # References
    ///
    /// TA-Lib `TA_TSF`.
    #[doc(alias = "TSF")]
    Tsf, "TSF", |fit| fit.forecast()
}
