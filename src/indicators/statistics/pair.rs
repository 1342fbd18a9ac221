//! Rolling co-moments of two series, shared by BETA and CORREL.

use crate::window::{state_ok, Invariants, Ring, COLLAPSE};
use crate::{Float, Result};

/// Sums Σ dx, Σ dy, Σ dx², Σ dy², Σ dx·dy of the last n pairs, measured from
/// an anchor pair, in O(1) per pair (amortised: see below).
///
/// The anchor is, per series, the held value nearest the window's mean at
/// the last re-anchoring, so the sums hold deviations rather than levels: the centred co-moments extracted from them
/// (`Σ dx² − (Σ dx)²/n`, …) lose digits only in proportion to how far the
/// values have strayed from the anchor relative to their spread, never to the
/// level itself. A window of equal values has every deviation exactly 0.
///
/// Re-anchored and recomputed exactly once per window, so nothing drifts,
/// and at once when a centred sum of squares falls below 1/[`COLLAPSE`] of
/// the largest raw sum of squares since the last re-anchoring (an outlier
/// leaving, or a stale anchor): the rounding left in a centred sum is then
/// at most ~2n·COLLAPSE·ε of it. Each re-anchoring costs O(n).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct PairWindow<T> {
    xs: Ring<T>,
    ys: Ring<T>,
    ax: T,
    ay: T,
    sx: T,
    sy: T,
    sxx: T,
    syy: T,
    sxy: T,
    /// Largest `sxx` / `syy` since the last re-anchoring.
    peak_xx: T,
    peak_yy: T,
}
checked_deserialize!(PairWindow<T> {
    xs: Ring<T>,
    ys: Ring<T>,
    ax: T,
    ay: T,
    sx: T,
    sy: T,
    sxx: T,
    syy: T,
    sxy: T,
    peak_xx: T,
    peak_yy: T,
});

impl<T: Float> Invariants for PairWindow<T> {
    fn check(&self) -> Result<()> {
        self.xs.check()?;
        self.ys.check()?;
        state_ok(
            self.xs.capacity() == self.ys.capacity()
                && self.xs.len() == self.ys.len()
                && self.xs.head() == self.ys.head(),
            "paired windows out of step",
        )?;
        let sums = [
            self.ax,
            self.ay,
            self.sx,
            self.sy,
            self.sxx,
            self.syy,
            self.sxy,
            self.peak_xx,
            self.peak_yy,
        ];
        state_ok(sums.iter().all(|v| v.is_finite()), "non-finite paired sums")?;
        state_ok(
            self.peak_xx >= self.sxx && self.peak_yy >= self.syy,
            "paired sums above their peak",
        )?;
        state_ok(
            self.xs.len() > 0 || sums.iter().all(|&v| v == T::zero()),
            "paired sums without values",
        )?;
        // Every value and anchor a genuine state holds is a variance input
        // (|v| ≤ L), so each deviation is at most 2L and each sum of n of
        // them at most 2nL, of their products at most 4nL² (up to rounding:
        // the bounds checked are twice that). Within them every later sum
        // and moment stays finite.
        let l = T::from_f64(T::VARIANCE_LIMIT);
        let n = T::from_usize(self.xs.capacity());
        let two = T::from_f64(2.0);
        let in_limit = |v: T| v.abs() <= l;
        state_ok(
            self.xs.iter().chain(self.ys.iter()).all(in_limit)
                && in_limit(self.ax)
                && in_limit(self.ay),
            "paired value beyond the variance limit",
        )?;
        let first = [self.sx, self.sy];
        let second = [self.sxx, self.syy, self.sxy, self.peak_xx, self.peak_yy];
        state_ok(
            first.iter().all(|v| v.abs() <= two * two * n * l)
                && second
                    .iter()
                    .all(|v| v.abs() <= two * two * two * n * l * l),
            "paired sums beyond what the values allow",
        )
    }
}

/// Centred co-moments of the window: Σ (x − x̄)², Σ (y − ȳ)², Σ (x − x̄)(y − ȳ),
/// and the raw sums of squares about the anchor they were extracted from
/// (the scale of their rounding).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moments<T> {
    pub(crate) cxx: T,
    pub(crate) cyy: T,
    pub(crate) cxy: T,
    pub(crate) sxx: T,
    pub(crate) syy: T,
}

/// The value held in `ring` nearest `target` (the first on ties).
pub(crate) fn nearest<T: Float>(ring: &Ring<T>, target: T) -> Option<T> {
    ring.iter().fold(None, |best: Option<T>, x| match best {
        Some(b) if (b - target).abs() <= (x - target).abs() => Some(b),
        _ => Some(x),
    })
}

impl<T: Float> PairWindow<T> {
    /// `n >= 1` is the caller's invariant.
    pub(crate) fn new(n: usize) -> Self {
        PairWindow {
            xs: Ring::new(n),
            ys: Ring::new(n),
            ax: T::zero(),
            ay: T::zero(),
            sx: T::zero(),
            sy: T::zero(),
            sxx: T::zero(),
            syy: T::zero(),
            sxy: T::zero(),
            peak_xx: T::zero(),
            peak_yy: T::zero(),
        }
    }
    pub(crate) fn period(&self) -> usize {
        self.xs.capacity()
    }
    pub(crate) fn len(&self) -> usize {
        self.xs.len()
    }
    pub(crate) fn is_full(&self) -> bool {
        self.xs.is_full()
    }
    /// Adds a pair (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, x: T, y: T) {
        if self.xs.len() == 0 {
            self.ax = x;
            self.ay = y;
        }
        let (dx, dy) = (x - self.ax, y - self.ay);
        if let (Some(ox), Some(oy)) = (self.xs.push(x), self.ys.push(y)) {
            let (ex, ey) = (ox - self.ax, oy - self.ay);
            self.sx = self.sx + (dx - ex);
            self.sy = self.sy + (dy - ey);
            self.sxx = self.sxx + (dx * dx - ex * ex);
            self.syy = self.syy + (dy * dy - ey * ey);
            self.sxy = self.sxy + (dx * dy - ex * ey);
        } else {
            self.sx = self.sx + dx;
            self.sy = self.sy + dy;
            self.sxx = self.sxx + dx * dx;
            self.syy = self.syy + dy * dy;
            self.sxy = self.sxy + dx * dy;
        }
        self.peak_xx = self.peak_xx.max(self.sxx);
        self.peak_yy = self.peak_yy.max(self.syy);
        let m = self.moments();
        let collapse = T::from_f64(COLLAPSE);
        if self.xs.wrapped() || m.cxx * collapse < self.peak_xx || m.cyy * collapse < self.peak_yy {
            self.reanchor();
        }
    }
    /// Exact sums from the pairs held, measured from a new anchor: for each
    /// series the held value nearest its mean, so the raw sum of squares is
    /// at most twice the centred one (every value is at least as far from
    /// the mean as the anchor) and a flat window gives exact zeros.
    #[cold]
    #[inline(never)]
    fn reanchor(&mut self) {
        let inv = T::one() / T::from_usize(self.xs.len().max(1));
        let ax = nearest(&self.xs, self.ax + self.sx * inv).unwrap_or(self.ax);
        let ay = nearest(&self.ys, self.ay + self.sy * inv).unwrap_or(self.ay);
        let zero = T::zero();
        let (sx, sy, sxx, syy, sxy) = self.xs.iter().zip(self.ys.iter()).fold(
            (zero, zero, zero, zero, zero),
            |(sx, sy, sxx, syy, sxy), (x, y)| {
                let (dx, dy) = (x - ax, y - ay);
                (
                    sx + dx,
                    sy + dy,
                    sxx + dx * dx,
                    syy + dy * dy,
                    sxy + dx * dy,
                )
            },
        );
        self.ax = ax;
        self.ay = ay;
        self.sx = sx;
        self.sy = sy;
        self.sxx = sxx;
        self.syy = syy;
        self.sxy = sxy;
        self.peak_xx = sxx;
        self.peak_yy = syy;
    }
    /// The centred co-moments of the pairs held (none held: all 0).
    #[inline]
    pub(crate) fn moments(&self) -> Moments<T> {
        let len = self.xs.len().max(1);
        let inv = T::one() / T::from_usize(len);
        Moments {
            // `s · (s/n)`, not `s²/n`: with inputs within the variance
            // limit, `|s| ≤ 2nL` and `s²` alone could overflow.
            cxx: self.sxx - self.sx * (self.sx * inv),
            cyy: self.syy - self.sy * (self.sy * inv),
            cxy: self.sxy - self.sx * (self.sy * inv),
            sxx: self.sxx,
            syy: self.syy,
        }
    }
    pub(crate) fn clear(&mut self) {
        self.xs.clear();
        self.ys.clear();
        self.ax = T::zero();
        self.ay = T::zero();
        self.sx = T::zero();
        self.sy = T::zero();
        self.sxx = T::zero();
        self.syy = T::zero();
        self.sxy = T::zero();
        self.peak_xx = T::zero();
        self.peak_yy = T::zero();
    }
}
