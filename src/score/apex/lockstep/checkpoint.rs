//! Checkpoints of the lock-step windows.
//!
//! Each column of a lock-step window is one symbol's window (`extract`
//! hands it over), so a restored window is checked column by column with
//! the single window's own checks, once its shape (one column per symbol,
//! one row per position, the shared position in range) is right. The
//! block windows' running prefixes (±∞ at a block's start, which text
//! formats cannot hold) are not saved but recomputed, as their single
//! forms do; their suffixes are saved once a block has completed.

use alloc::vec;
use alloc::vec::Vec;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{
    row, RangeLanes, RatioLanes, RelativeLanes, RingLanes, SwingLanes, VolumeLanes, YieldLanes,
};
use crate::indicator::taken;
use crate::window::{
    add_deviation, newer_wins, range_merge, state_ok, Invariants, RollingRange, RollingSwing,
};
use crate::{Float, Result};

/// The largest sequence number the lanes hold exactly as `f64` (2⁵³).
const EXACT: f64 = 9_007_199_254_740_992.0;

/// `rows × n` values for a window of `rows` positions and `n` symbols, if
/// that size is representable.
fn cells(rows: usize, n: usize) -> Option<usize> {
    rows.checked_mul(n)
}

/// `Ok` if `x` is a whole number in `0..=max`: a count or sequence number
/// held as `f64`.
/// The same float, zero's sign included (NaN is never identical).
fn identical<T: Float>(a: T, b: T) -> bool {
    a == b && a.is_sign_negative() == b.is_sign_negative()
}

fn whole(x: f64, max: f64) -> bool {
    (0.0..=max).contains(&x) && x.fract() == 0.0
}

/// `v` once a block has completed (`full`), else nothing: the suffixes
/// are unused, and hold ±∞, before that.
fn shown<X>(v: &[X], full: bool) -> &[X] {
    if full {
        v
    } else {
        &[]
    }
}

/// Every symbol's column passes `check`.
fn columns<W>(
    n: usize,
    extract: impl Fn(usize) -> Option<W>,
    check: impl Fn(&W) -> Result<()>,
) -> Result<()> {
    for i in 0..n {
        let w = extract(i).ok_or(crate::Error::InvalidState {
            reason: "lock-step window column out of shape",
        })?;
        check(&w)?;
    }
    Ok(())
}

impl<T: Float + Serialize> Serialize for RangeLanes<T> {
    /// `{"n", "len", "block", "suffix_high", "suffix_low", "pos", "full"}`,
    /// row by row; the suffixes empty until a block has completed.
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        let full = self.full;
        let mut st = s.serialize_struct("RangeLanes", 7)?;
        st.serialize_field("n", &self.n)?;
        st.serialize_field("len", &self.len)?;
        st.serialize_field("block", &self.block)?;
        st.serialize_field("suffix_high", shown(&self.suffix_high, full))?;
        st.serialize_field("suffix_low", shown(&self.suffix_low, full))?;
        st.serialize_field("pos", &self.pos)?;
        st.serialize_field("full", &self.full)?;
        st.end()
    }
}

impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for RangeLanes<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename = "RangeLanes")]
        struct Repr<T> {
            n: usize,
            len: usize,
            block: Vec<T>,
            suffix_high: Vec<T>,
            suffix_low: Vec<T>,
            pos: usize,
            full: bool,
        }
        let r: Repr<T> = Repr::deserialize(d)?;
        let restore = || -> Result<RangeLanes<T>> {
            let m = cells(r.len, r.n);
            let suffix = if r.full { m } else { Some(0) };
            state_ok(
                r.n > 0
                    && r.len > 0
                    && r.pos < r.len
                    && m == Some(r.block.len())
                    && suffix == Some(r.suffix_high.len())
                    && suffix == Some(r.suffix_low.len()),
                "lock-step range window out of shape",
            )?;
            let m = r.block.len();
            let (mut suffix_high, mut suffix_low) = (r.suffix_high, r.suffix_low);
            if !r.full {
                suffix_high = vec![T::zero(); m];
                suffix_low = vec![T::zero(); m];
            }
            let mut lanes = RangeLanes {
                n: r.n,
                len: r.len,
                block: r.block,
                suffix_high,
                suffix_low,
                prefix_high: vec![T::neg_infinity(); r.n],
                prefix_low: vec![T::infinity(); r.n],
                pos: r.pos,
                full: r.full,
            };
            // The prefix as `step` builds it, a row at a time.
            for k in 0..lanes.pos {
                let x = row(&lanes.block, k, lanes.n);
                for ((ph, pl), &x) in lanes
                    .prefix_high
                    .iter_mut()
                    .zip(&mut lanes.prefix_low)
                    .zip(x)
                {
                    (*ph, *pl) = range_merge((*ph, *pl), (x, x));
                }
            }
            columns(
                lanes.n,
                |i| lanes.extract(i),
                |w: &RollingRange<T>| {
                    let (block, suffix, pos, full) = w.parts();
                    RollingRange::restore(block, suffix, pos, full).map(|_| ())
                },
            )?;
            Ok(lanes)
        };
        restore().map_err(D::Error::custom)
    }
}

impl<T: Float + Serialize> Serialize for SwingLanes<T> {
    /// The row-by-row values and sequence numbers of [`SwingLanes`] but the
    /// running prefix; the suffixes empty until a block has completed.
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        let full = self.full;
        let mut st = s.serialize_struct("SwingLanes", 11)?;
        st.serialize_field("n", &self.n)?;
        st.serialize_field("len", &self.len)?;
        st.serialize_field("block_high", &self.block_high)?;
        st.serialize_field("block_low", &self.block_low)?;
        st.serialize_field("suffix_high", shown(&self.suffix_high, full))?;
        st.serialize_field("suffix_high_seq", shown(&self.suffix_high_seq, full))?;
        st.serialize_field("suffix_low", shown(&self.suffix_low, full))?;
        st.serialize_field("suffix_low_seq", shown(&self.suffix_low_seq, full))?;
        st.serialize_field("pos", &self.pos)?;
        st.serialize_field("seq", &self.seq)?;
        st.serialize_field("full", &self.full)?;
        st.end()
    }
}

impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for SwingLanes<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename = "SwingLanes")]
        struct Repr<T> {
            n: usize,
            len: usize,
            block_high: Vec<T>,
            block_low: Vec<T>,
            suffix_high: Vec<T>,
            suffix_high_seq: Vec<f64>,
            suffix_low: Vec<T>,
            suffix_low_seq: Vec<f64>,
            pos: usize,
            seq: u64,
            full: bool,
        }
        let r: Repr<T> = Repr::deserialize(d)?;
        let restore = || -> Result<SwingLanes<T>> {
            let m = cells(r.len, r.n);
            let suffix = if r.full { m } else { Some(0) };
            state_ok(
                r.n > 0
                    && r.len > 0
                    && r.pos < r.len
                    && m == Some(r.block_high.len())
                    && m == Some(r.block_low.len())
                    && [
                        r.suffix_high.len(),
                        r.suffix_high_seq.len(),
                        r.suffix_low.len(),
                        r.suffix_low_seq.len(),
                    ]
                    .iter()
                    .all(|&l| Some(l) == suffix),
                "lock-step swing window out of shape",
            )?;
            // Sequence numbers are exact as f64 below 2^53.
            state_ok(
                (r.seq as f64) < EXACT
                    && r.suffix_high_seq
                        .iter()
                        .chain(&r.suffix_low_seq)
                        .all(|&s| whole(s, EXACT)),
                "lock-step swing sequence numbers invalid",
            )?;
            let m = r.block_high.len();
            let mut lanes = SwingLanes {
                n: r.n,
                len: r.len,
                block_high: r.block_high,
                block_low: r.block_low,
                suffix_high: r.suffix_high,
                suffix_high_seq: r.suffix_high_seq,
                suffix_low: r.suffix_low,
                suffix_low_seq: r.suffix_low_seq,
                prefix_high: vec![T::neg_infinity(); r.n],
                prefix_high_seq: vec![0.0; r.n],
                prefix_low: vec![T::infinity(); r.n],
                prefix_low_seq: vec![0.0; r.n],
                pos: r.pos,
                seq: r.seq,
                full: r.full,
            };
            if !lanes.full {
                lanes.suffix_high = vec![T::neg_infinity(); m];
                lanes.suffix_high_seq = vec![0.0; m];
                lanes.suffix_low = vec![T::infinity(); m];
                lanes.suffix_low_seq = vec![0.0; m];
            }
            // The prefix as `step` builds it, a row at a time (the block's
            // position k holds the bar numbered `seq − pos + k`).
            let start = lanes.seq.saturating_sub(lanes.pos as u64);
            for k in 0..lanes.pos {
                let s = (start + k as u64) as f64;
                let highs = row(&lanes.block_high, k, lanes.n)
                    .iter()
                    .zip(lanes.prefix_high.iter_mut().zip(&mut lanes.prefix_high_seq));
                for (&h, (p, ps)) in highs {
                    (*p, *ps) = newer_wins::<T, f64, true>((*p, *ps), (h, s));
                }
                let lows = row(&lanes.block_low, k, lanes.n)
                    .iter()
                    .zip(lanes.prefix_low.iter_mut().zip(&mut lanes.prefix_low_seq));
                for (&l, (p, ps)) in lows {
                    (*p, *ps) = newer_wins::<T, f64, false>((*p, *ps), (l, s));
                }
            }
            columns(
                lanes.n,
                |i| lanes.extract(i),
                |w: &RollingSwing<T>| {
                    let (block, suffix, pos, seq, full) = w.parts();
                    RollingSwing::restore(block, suffix, pos, seq, full).map(|_| ())
                },
            )?;
            Ok(lanes)
        };
        restore().map_err(D::Error::custom)
    }
}

impl<T: Float> RingLanes<T> {
    /// `Ok` if the rings are `n` symbols' of capacity `cap`, written `seq`
    /// times since they were made: the write position follows, every fill
    /// level is whole and at most the capacity and the count, every value
    /// finite.
    fn check(&self, n: usize, cap: usize, seq: u64) -> Result<()> {
        state_ok(
            self.n == n
                && self.cap == cap
                && cap > 0
                && cells(cap, n) == Some(self.buf.len())
                && self.len.len() == n
                && self.head as u64 == seq % cap as u64,
            "lock-step ring out of shape",
        )?;
        let most = seq.min(cap as u64) as f64;
        state_ok(
            self.len.iter().all(|&l| whole(l, most)) && self.buf.iter().all(|x| x.is_finite()),
            "lock-step ring fill level or values invalid",
        )
    }
    /// Every symbol's fill level is the count's (the ring never empties).
    fn filled(&self, seq: u64) -> bool {
        let want = seq.min(self.cap as u64) as f64;
        self.len.iter().all(|&l| l == want)
    }
}

impl<T: Float> RelativeLanes<T> {
    /// `Ok` if these are `n` symbols' relative performance over `period`
    /// bars after `seq` steps, each column as [`RelativePerformance`](crate::RelativePerformance)'s
    /// checkpoint checks it.
    pub(crate) fn check(&self, n: usize, period: usize, seq: u64) -> Result<()> {
        self.target.check(n, period + 1, seq)?;
        self.benchmark.check(n, period + 1, seq)?;
        state_ok(
            self.target.filled(seq) && self.benchmark.filled(seq),
            "lock-step relative windows' fill levels differ from the count",
        )?;
        columns(n, |i| self.extract(i), Invariants::check)
    }
}

impl<T: Float> YieldLanes<T> {
    /// `Ok` if these are `n` symbols' yield windows of `rates + 1` after
    /// `seq` steps (each may have emptied since).
    pub(crate) fn check(&self, n: usize, rates: usize, seq: u64) -> Result<()> {
        self.ring.check(n, rates + 1, seq)
    }
}

impl<T: Float> VolumeLanes<T> {
    /// `Ok` if these are `n` symbols' volume statistics over `period` bars
    /// after `seq` steps, each column as [`VolumeZScore`](crate::VolumeZScore)'s
    /// checkpoint checks it, and every derived sum exactly what the lanes
    /// compute from the values held (anchors, suffix rows, prefixes): a
    /// genuine state recomputes bit for bit, an edited sum does not.
    pub(crate) fn check(&self, n: usize, period: usize, seq: u64) -> Result<()> {
        self.ring.check(n, period, seq)?;
        state_ok(
            self.ring.filled(seq)
                && [
                    self.anchor_slot.len(),
                    self.anchor.len(),
                    self.p1.len(),
                    self.p2.len(),
                ]
                .iter()
                .all(|&l| l == n)
                && self.s1.len() == period * n
                && self.s2.len() == period * n
                && self.inv_n == T::one() / T::from_usize(period),
            "lock-step volume statistics out of shape",
        )?;
        columns(n, |i| self.extract(i), Invariants::check)?;
        state_ok(
            (0..n).all(|i| self.derived_consistent(i)),
            "lock-step volume sums inconsistent with the values held",
        )
    }

    /// Symbol `i`'s anchor, suffix rows and prefixes equal their
    /// recomputation from the ring, in the lanes' own order: suffix rows
    /// `r ≥ head` summed from the last row down (rows below `head` zero,
    /// all rows zero before the first block completes), prefixes summed
    /// over rows `0..head`.
    fn derived_consistent(&self, i: usize) -> bool {
        let (n, cap, head) = (self.ring.n, self.ring.cap, self.ring.head);
        let at = |m: &[T], r: usize| row(m, r, n).get(i).copied();
        let Some(&slot) = self.anchor_slot.get(i) else {
            return false;
        };
        let Some(k) = at(&self.ring.buf, slot) else {
            return false;
        };
        if !self.anchor.get(i).is_some_and(|&a| identical(a, k)) {
            return false;
        }
        let full = self.ring.len.get(i).is_some_and(|&l| l == cap as f64);
        let mut acc = (T::zero(), T::zero());
        for r in (0..cap).rev() {
            let (want1, want2) = if full && r >= head {
                let Some(x) = at(&self.ring.buf, r) else {
                    return false;
                };
                acc = add_deviation(acc, x, k);
                acc
            } else {
                (T::zero(), T::zero())
            };
            let same = |m: &[T], w: T| at(m, r).is_some_and(|v| identical(v, w));
            if !same(&self.s1, want1) || !same(&self.s2, want2) {
                return false;
            }
        }
        let mut p = (T::zero(), T::zero());
        for r in 0..head {
            let Some(x) = at(&self.ring.buf, r) else {
                return false;
            };
            p = add_deviation(p, x, k);
        }
        let (p1, p2) = p;
        self.p1.get(i).is_some_and(|&v| identical(v, p1))
            && self.p2.get(i).is_some_and(|&v| identical(v, p2))
    }
}

impl<T: Float> RatioLanes<T> {
    /// `Ok` if these are `n` symbols' ratio EMAs over `period` bars after
    /// `seq` steps, each column as [`RelativeRatio`](crate::RelativeRatio)'s
    /// checkpoint checks it, with the shared count `seq`'s.
    pub(crate) fn check(&self, n: usize, period: usize, seq: u64) -> Result<()> {
        state_ok(
            self.value.len() == n && self.ema.period() == period,
            "lock-step ratio EMAs out of shape",
        )?;
        columns(n, |i| self.extract(i), Invariants::check)?;
        let first = self.extract(0);
        let one = T::one();
        state_ok(
            first.is_some_and(|r| taken(&r, (one, one), seq)),
            "lock-step ratio EMA count differs from the count",
        )
    }
}

impl<T: Float> SwingLanes<T> {
    /// Steps taken since the windows were made.
    pub(crate) fn count(&self) -> u64 {
        self.seq
    }
    /// `n` symbols' windows over `len` bars.
    pub(crate) fn shape(&self) -> (usize, usize) {
        (self.n, self.len)
    }
}

impl<T: Float> RangeLanes<T> {
    /// `n` symbols' windows over `len` values, at `pos`, full or not.
    pub(crate) fn shape(&self) -> (usize, usize, usize, bool) {
        (self.n, self.len, self.pos, self.full)
    }
}
