//! Wilder's directional movement, written once: the one-bar +DM/−DM and true
//! range, their seeded Wilder sums, the DI and DX formulas and TA-Lib's
//! zero test. PLUS_DM, MINUS_DM, PLUS_DI, MINUS_DI, DX, ADX and ADXR are thin
//! drivers over [`Directional`].

use crate::indicators::atr::true_range;
use crate::window::{state_ok, Invariants};
use crate::{Bar, Float, Result};

/// TA-Lib's `TA_IS_ZERO`: `|x| < 1e-14`. TA-Lib tests denominators with it
/// (a true-range sum, a DI sum, CCI's deviation, ULTOSC's true-range sums)
/// and returns its documented fallback below it; the crate does the same.
#[inline]
pub(crate) fn is_zero<T: Float>(x: T) -> bool {
    let eps = T::from_f64(1e-14);
    x > -eps && x < eps
}

/// One bar's directional movement from the previous bar's high and low:
/// `(+DM1, −DM1)`, at most one of them non-zero (both zero on an inside
/// bar or when the two moves are equal), as TA-Lib's `TA_PLUS_DM`.
#[inline]
pub(crate) fn movement<T: Float>(prev_high: T, prev_low: T, high: T, low: T) -> (T, T) {
    let up = high - prev_high;
    let down = prev_low - low;
    let zero = T::zero();
    let plus = if up > zero && up > down { up } else { zero };
    let minus = if down > zero && down > up { down } else { zero };
    (plus, minus)
}

/// TA-Lib's Wilder step on a running *sum*: `s − s/n + x`.
#[inline]
fn wilder_sum<T: Float>(sum: T, n: T, x: T) -> T {
    sum - sum / n + x
}

/// The directional-movement state every indicator of the system shares.
///
/// ```text
/// bar 0            remembered only (no previous bar, no DM or TR)
/// bars 1 … n−1     +DM, −DM, TR summed                      (the seed)
/// bar k ≥ n        S = S − S/n + x  for each of +DM, −DM, TR (Wilder)
/// ```
///
/// The sums are TA-Lib's `prevPlusDM`, `prevMinusDM`, `prevTR`: n times the
/// Wilder averages, so the DIs are plain ratios of them.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct Directional<T> {
    /// The period n (readable by the drivers' `Display`, which has no
    /// `Float` bound).
    pub(super) period: usize,
    /// Bars seen, saturating at `period + 1` (then every bar is smoothed).
    seen: usize,
    prev_high: T,
    prev_low: T,
    prev_close: T,
    /// Sum of +DM1 while seeding, then the Wilder-smoothed +DM sum.
    plus_dm: T,
    /// Sum of −DM1 while seeding, then the Wilder-smoothed −DM sum.
    minus_dm: T,
    /// Sum of TR while seeding, then the Wilder-smoothed TR sum.
    tr: T,
}
checked_deserialize!(Directional<T> {
    period: usize,
    seen: usize,
    prev_high: T,
    prev_low: T,
    prev_close: T,
    plus_dm: T,
    minus_dm: T,
    tr: T,
});

impl<T: Float> Invariants for Directional<T> {
    fn check(&self) -> Result<()> {
        state_ok(self.period >= 1, "directional period is 0")?;
        state_ok(
            self.seen <= self.period + 1,
            "directional count exceeds period",
        )?;
        let finite = [
            self.prev_high,
            self.prev_low,
            self.prev_close,
            self.plus_dm,
            self.minus_dm,
            self.tr,
        ]
        .iter()
        .all(|x| x.is_finite());
        state_ok(finite, "directional state non-finite")?;
        state_ok(
            self.plus_dm >= T::zero() && self.minus_dm >= T::zero() && self.tr >= T::zero(),
            "directional sums negative",
        )?;
        state_ok(
            self.seen == 0
                || (self.prev_low <= self.prev_close && self.prev_close <= self.prev_high),
            "directional previous bar inconsistent",
        )
    }
}

impl<T: Float> Directional<T> {
    /// `period >= 1` is the caller's invariant (validated by the drivers).
    pub(crate) fn new(period: usize) -> Self {
        Directional {
            period,
            seen: 0,
            prev_high: T::zero(),
            prev_low: T::zero(),
            prev_close: T::zero(),
            plus_dm: T::zero(),
            minus_dm: T::zero(),
            tr: T::zero(),
        }
    }
    pub(crate) fn period(&self) -> usize {
        self.period
    }
    /// Bars seen (saturating at `period + 1`).
    pub(crate) fn seen(&self) -> usize {
        self.seen
    }
    /// Whether the last bar was a Wilder step (bar index ≥ n): the DIs and
    /// DX exist.
    pub(crate) fn smoothed(&self) -> bool {
        self.seen > self.period
    }
    /// Feeds one validated bar.
    #[inline]
    pub(crate) fn push(&mut self, bar: &Bar<T>) {
        if self.seen > 0 {
            let (plus, minus) = movement(self.prev_high, self.prev_low, bar.high, bar.low);
            let tr = true_range(bar.high, bar.low, self.prev_close);
            if self.seen < self.period {
                self.plus_dm = self.plus_dm + plus;
                self.minus_dm = self.minus_dm + minus;
                self.tr = self.tr + tr;
            } else {
                let n = T::from_usize(self.period);
                self.plus_dm = wilder_sum(self.plus_dm, n, plus);
                self.minus_dm = wilder_sum(self.minus_dm, n, minus);
                self.tr = wilder_sum(self.tr, n, tr);
            }
        }
        self.prev_high = bar.high;
        self.prev_low = bar.low;
        self.prev_close = bar.close;
        if self.seen <= self.period {
            self.seen += 1;
        }
    }
    /// The (seed or smoothed) +DM sum.
    pub(crate) fn plus_dm(&self) -> T {
        self.plus_dm
    }
    /// The (seed or smoothed) −DM sum.
    pub(crate) fn minus_dm(&self) -> T {
        self.minus_dm
    }
    /// A DI from one of the DM sums: `100·DM/TR`, 0 when TR is zero
    /// (TA-Lib's `TA_IS_ZERO`); at period 1 TA-Lib's `DM/TR` without the
    /// factor 100.
    #[inline]
    pub(crate) fn di(&self, dm: T) -> T {
        if is_zero(self.tr) {
            T::zero()
        } else if self.period == 1 {
            dm / self.tr
        } else {
            T::from_f64(100.0) * (dm / self.tr)
        }
    }
    /// `DX = 100·|−DI − +DI| / (−DI + +DI)`, or `None` where TA-Lib does not
    /// compute it: TR sum or DI sum zero (`TA_IS_ZERO`).
    #[inline]
    pub(crate) fn dx(&self) -> Option<T> {
        if is_zero(self.tr) {
            return None;
        }
        let hundred = T::from_f64(100.0);
        let minus = hundred * (self.minus_dm / self.tr);
        let plus = hundred * (self.plus_dm / self.tr);
        let sum = minus + plus;
        if is_zero(sum) {
            None
        } else {
            Some(hundred * ((minus - plus).abs() / sum))
        }
    }
    pub(crate) fn clear(&mut self) {
        *self = Self::new(self.period);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movement_follows_wilders_cases() {
        // up move larger: +DM only
        assert_eq!(movement(10.0, 9.0, 12.0, 8.5), (2.0, 0.0));
        // down move larger: −DM only
        assert_eq!(movement(10.0, 9.0, 10.5, 7.0), (0.0, 2.0));
        // inside bar: neither
        assert_eq!(movement(10.0, 9.0, 9.8, 9.2), (0.0, 0.0));
        // equal moves: neither (Wilder's case 7)
        assert_eq!(movement(10.0, 9.0, 11.0, 8.0), (0.0, 0.0));
    }

    #[test]
    fn ta_lib_zero_is_below_1e_14() {
        assert!(is_zero(0.0_f64) && is_zero(9e-15_f64) && is_zero(-9e-15_f64));
        assert!(!is_zero(1e-14_f64) && !is_zero(-2e-14_f64));
    }

    #[test]
    fn seed_then_wilder_sums() {
        let mut d = Directional::<f64>::new(3);
        let bars = [
            Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
            Bar::new(11.0, 12.0, 10.0, 11.0, 0.0), // +DM 1, TR 2
            Bar::new(10.0, 11.0, 8.0, 9.0, 0.0),   // −DM 2, TR 3
            Bar::new(9.0, 13.0, 9.0, 12.0, 0.0),   // +DM 2, TR 4
        ];
        for b in &bars[..3] {
            d.push(b);
        }
        assert!(!d.smoothed());
        assert_eq!((d.plus_dm(), d.minus_dm(), d.tr), (1.0, 2.0, 5.0));
        d.push(&bars[3]);
        assert!(d.smoothed());
        assert_eq!(d.plus_dm(), 1.0 - 1.0 / 3.0 + 2.0);
        assert_eq!(d.minus_dm(), 2.0 - 2.0 / 3.0);
        assert_eq!(d.tr, 5.0 - 5.0 / 3.0 + 4.0);
    }
}
