//! Fixed-capacity windows: ring buffer, drift-free rolling sum and variance,
//! monotonic-deque rolling max/min.
//!
//! Everything here allocates once, in `new`, and never again. Indexing goes
//! through `get`/`get_mut` so that even a corrupted state cannot panic.

// The invariant checks run on deserialized state only.
#![cfg_attr(not(feature = "serde"), allow(dead_code))]

use alloc::vec;
use alloc::vec::Vec;

use crate::{Error, Float, Result};

#[cfg(feature = "serde")]
mod checkpoint;

/// The largest count of values a restored window may claim to have seen
/// (2^62): far beyond any stream, far from overflow.
pub(crate) const MAX_SEQ: u64 = 1 << 62;

/// Internal consistency check, run on deserialized state.
pub(crate) trait Invariants {
    /// `Ok` if the state could have been produced by this crate.
    fn check(&self) -> Result<()>;
}

/// `(a + b) mod cap` for `a, b < cap`: a compare instead of a division.
#[inline]
fn wrap_add(a: usize, b: usize, cap: usize) -> usize {
    let s = a + b;
    if s >= cap {
        s - cap
    } else {
        s
    }
}

pub(crate) fn state_ok(cond: bool, reason: &'static str) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::InvalidState { reason })
    }
}

/// Ring buffer holding the last `cap` values.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct Ring<T> {
    buf: Vec<T>,
    /// Next write position.
    head: usize,
    len: usize,
}
checked_deserialize!(Ring<T> { buf: Vec<T>, head: usize, len: usize });

impl<T: Float> Invariants for Ring<T> {
    fn check(&self) -> Result<()> {
        state_ok(!self.buf.is_empty(), "ring buffer has no capacity")?;
        state_ok(self.head < self.buf.len(), "ring head out of range")?;
        state_ok(self.len <= self.buf.len(), "ring length exceeds capacity")?;
        state_ok(
            self.len == self.buf.len() || self.head == self.len,
            "ring head inconsistent with length",
        )?;
        state_ok(
            self.buf.iter().all(|x| x.is_finite()),
            "non-finite value in ring",
        )
    }
}

impl<T: Float> Ring<T> {
    /// `cap >= 1` is the caller's invariant (periods are validated first).
    pub(crate) fn new(cap: usize) -> Self {
        Ring {
            buf: vec![T::zero(); cap.max(1)],
            head: 0,
            len: 0,
        }
    }
    /// A ring from its parts (the APEX universe's lock-step windows hand a
    /// symbol over): `head < buf.len()` and `len ≤ buf.len()`, else `None`.
    pub(crate) fn from_parts(buf: Vec<T>, head: usize, len: usize) -> Option<Self> {
        (head < buf.len() && len <= buf.len()).then_some(Ring { buf, head, len })
    }
    #[inline]
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.len == self.buf.len()
    }
    /// The next write position (two rings filled in lock step share it).
    #[inline]
    pub(crate) fn head(&self) -> usize {
        self.head
    }
    /// Value `k` steps back from the newest (`0` = newest), if held.
    #[inline]
    pub(crate) fn back(&self, k: usize) -> Option<T> {
        if k >= self.len {
            return None;
        }
        let cap = self.buf.len();
        // head < cap and k < len <= cap, so cap − 1 − k < cap.
        self.buf.get(wrap_add(self.head, cap - 1 - k, cap)).copied()
    }
    /// The oldest value held, once full (then equal to
    /// `back(capacity − 1)`: the slot the next push overwrites).
    #[inline]
    pub(crate) fn oldest(&self) -> Option<T> {
        if self.len == self.buf.len() {
            self.buf.get(self.head).copied()
        } else {
            None
        }
    }
    /// Appends `x`; returns the value it evicts once full.
    #[inline]
    pub(crate) fn push(&mut self, x: T) -> Option<T> {
        let cap = self.buf.len();
        let old = match self.buf.get_mut(self.head) {
            Some(slot) => core::mem::replace(slot, x),
            None => return None, // unreachable: head < cap
        };
        self.head += 1;
        if self.head == cap {
            self.head = 0;
        }
        if self.len == cap {
            Some(old)
        } else {
            self.len += 1;
            None
        }
    }
    /// Whether the next write goes to slot 0 (a full cycle just completed).
    #[inline]
    pub(crate) fn wrapped(&self) -> bool {
        self.head == 0
    }
    /// The held values, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = T> + '_ {
        let cap = self.buf.len();
        let start = wrap_add(self.head, cap - self.len.min(cap), cap);
        let (wrapped, tail) = self.buf.split_at(start.min(cap));
        tail.iter().chain(wrapped).take(self.len).copied()
    }
    pub(crate) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
        self.buf.iter_mut().for_each(|x| *x = T::zero());
    }
}

/// Sum of the last `n` values, without drift: updated in O(1) and
/// recomputed exactly once per cycle of the window.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct RollingSum<T> {
    ring: Ring<T>,
    sum: T,
    inv_n: T,
}
checked_deserialize!(RollingSum<T> { ring: Ring<T>, sum: T, inv_n: T });

impl<T: Float> Invariants for RollingSum<T> {
    fn check(&self) -> Result<()> {
        self.ring.check()?;
        state_ok(self.sum.is_finite(), "non-finite rolling sum")?;
        state_ok(
            self.inv_n == T::one() / T::from_usize(self.ring.capacity()),
            "rolling sum scale inconsistent with window",
        )
    }
}

impl<T: Float> RollingSum<T> {
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        RollingSum {
            ring: Ring::new(n),
            sum: T::zero(),
            inv_n: T::one() / T::from_usize(n),
        }
    }
    #[inline]
    pub(crate) fn period(&self) -> usize {
        self.ring.capacity()
    }
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.ring.is_full()
    }
    /// Adds `x` (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, x: T) {
        self.sum = match self.ring.push(x) {
            Some(old) => self.sum + (x - old),
            None => self.sum + x,
        };
        if self.ring.wrapped() {
            self.resum();
        }
    }
    #[cold]
    #[inline(never)]
    fn resum(&mut self) {
        self.sum = self.ring.iter().fold(T::zero(), |a, x| a + x);
    }
    /// Mean of the window (meaningful once full).
    #[inline]
    pub(crate) fn mean(&self) -> T {
        self.sum * self.inv_n
    }
    pub(crate) fn clear(&mut self) {
        self.ring.clear();
        self.sum = T::zero();
    }
}

/// Sum and variance of the last `n` values, without drift.
///
/// The sum and the sum of squared deviations (`m2`) are updated in O(1) per
/// value (sliding Welford update) and recomputed exactly, two-pass, every time
/// the window completes a cycle, so rounding error never accumulates beyond one
/// window's worth. The sliding update's error is proportional to the largest
/// `m2` since the last recomputation, so when `m2` collapses (an outlier
/// leaves the window) by more than [`COLLAPSE`] it is recomputed at once:
/// the variance then stays within ~`n · COLLAPSE · ε` (≈ 1e-12 for n = 20)
/// of a fresh two-pass computation. A window whose `n` values are all equal
/// reports a variance of exactly zero.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct RollingStats<T> {
    ring: Ring<T>,
    sum: T,
    m2: T,
    /// Largest `m2` since the last two-pass recomputation.
    m2_peak: T,
    /// How many of the newest values are equal (saturates at `n`).
    run: usize,
    inv_n: T,
}
checked_deserialize!(RollingStats<T> {
    ring: Ring<T>,
    sum: T,
    m2: T,
    m2_peak: T,
    run: usize,
    inv_n: T,
});

/// Factor by which `m2` may fall below its peak before it is recomputed.
pub(crate) const COLLAPSE: f64 = 256.0;

impl<T: Float> Invariants for RollingStats<T> {
    fn check(&self) -> Result<()> {
        self.ring.check()?;
        state_ok(
            self.sum.is_finite()
                && self.m2.is_finite()
                && self.m2 >= T::zero()
                && self.m2_peak.is_finite()
                && self.m2_peak >= self.m2,
            "non-finite or negative rolling sums",
        )?;
        state_ok(self.run <= self.ring.len(), "equal-run longer than window")?;
        state_ok(
            self.inv_n == T::one() / T::from_usize(self.ring.capacity()),
            "rolling stats scale inconsistent with window",
        )
    }
}

impl<T: Float> RollingStats<T> {
    /// From its parts (the APEX universe's lock-step windows hand a symbol
    /// over); `None` unless `run` is at most the ring's capacity.
    pub(crate) fn from_parts(ring: Ring<T>, sum: T, m2: T, m2_peak: T, run: usize) -> Option<Self> {
        let n = ring.capacity();
        (run <= n).then(|| RollingStats {
            ring,
            sum,
            m2,
            m2_peak,
            run,
            inv_n: T::one() / T::from_usize(n),
        })
    }
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        RollingStats {
            ring: Ring::new(n),
            sum: T::zero(),
            m2: T::zero(),
            m2_peak: T::zero(),
            run: 0,
            inv_n: T::one() / T::from_usize(n),
        }
    }
    #[inline]
    pub(crate) fn period(&self) -> usize {
        self.ring.capacity()
    }
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.ring.is_full()
    }
    /// Adds `x` (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, x: T) {
        let n = self.ring.capacity();
        self.run = match self.ring.back(0) {
            Some(prev) if prev == x => (self.run + 1).min(n),
            _ => 1,
        };
        match self.ring.push(x) {
            Some(old) => {
                let old_mean = self.sum * self.inv_n;
                self.sum = self.sum + (x - old);
                let new_mean = self.sum * self.inv_n;
                self.m2 = self.m2 + (x - old) * ((x - new_mean) + (old - old_mean));
                self.m2_peak = self.m2_peak.max(self.m2);
            }
            None => self.sum = self.sum + x,
        }
        if self.ring.wrapped() || self.m2 * T::from_f64(COLLAPSE) < self.m2_peak {
            self.reanchor();
        }
    }
    #[cold]
    #[inline(never)]
    fn reanchor(&mut self) {
        let sum = self.ring.iter().fold(T::zero(), |a, x| a + x);
        let mean = sum * self.inv_n;
        self.sum = sum;
        self.m2 = self
            .ring
            .iter()
            .fold(T::zero(), |a, x| a + (x - mean) * (x - mean));
        self.m2_peak = self.m2;
    }
    /// Mean of the window (meaningful once full).
    #[inline]
    pub(crate) fn mean(&self) -> T {
        self.sum * self.inv_n
    }
    /// Population variance of the window (once full); exactly 0 when flat.
    #[inline]
    pub(crate) fn variance(&self) -> T {
        if self.run >= self.ring.capacity() {
            T::zero()
        } else {
            (self.m2 * self.inv_n).max(T::zero())
        }
    }
    pub(crate) fn clear(&mut self) {
        self.ring.clear();
        self.sum = T::zero();
        self.m2 = T::zero();
        self.m2_peak = T::zero();
        self.run = 0;
    }
}

/// Maximum (`MAX = true`) or minimum of the last `n` values, with the
/// position of the most recent extreme, in O(1) amortised per value and
/// without data-dependent branches (van Herk / Gil–Werman).
///
/// Values are grouped in blocks of `n`. The window always spans the tail of
/// the previous block and the head of the current one, so its extreme is the
/// better of the previous block's *suffix* extreme (computed once, when that
/// block completed) and the current block's running *prefix* extreme. Ties
/// go to the most recent value everywhere.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct MonoDeque<T, const MAX: bool> {
    /// The current block's values, by position in the block.
    block: Vec<T>,
    /// `suffix[i]`: extreme of positions `i..n` of the previous complete
    /// block, with its sequence number.
    suffix: Vec<(T, u64)>,
    /// Extreme of the current block so far (positions `0..pos`).
    prefix: (T, u64),
    /// Position in the block of the next value.
    pos: usize,
    /// Sequence number of the next value.
    seq: u64,
}

#[cfg(feature = "serde")]
const _: () = {
    use serde::de::{Deserialize, Deserializer, Error as _};
    #[derive(serde::Deserialize)]
    struct Repr<T> {
        block: Vec<T>,
        suffix: Vec<(T, u64)>,
        prefix: (T, u64),
        pos: usize,
        seq: u64,
    }
    impl<'de, T: Float + Deserialize<'de>, const MAX: bool> Deserialize<'de> for MonoDeque<T, MAX> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
            let Repr {
                block,
                suffix,
                prefix,
                pos,
                seq,
            } = Repr::<T>::deserialize(d)?;
            let v = MonoDeque {
                block,
                suffix,
                prefix,
                pos,
                seq,
            };
            v.check().map_err(D::Error::custom)?;
            Ok(v)
        }
    }
};

impl<T: Float, const MAX: bool> Invariants for MonoDeque<T, MAX> {
    fn check(&self) -> Result<()> {
        let n = self.block.len();
        state_ok(
            n > 0 && self.suffix.len() == n && self.pos < n,
            "window extreme buffers inconsistent",
        )?;
        state_ok(
            self.seq % n as u64 == self.pos as u64,
            "window extreme position inconsistent with count",
        )?;
        // A count no stream reaches (2^62 values at a nanosecond each take
        // 146 years) would overflow later: refuse it.
        state_ok(self.seq <= MAX_SEQ, "window extreme count out of range")?;
        // Sequence numbers where the buffers say they are: the prefix in the
        // current block, suffix `i` in positions `i..n` of the previous one.
        let start = self.seq - self.pos as u64;
        let n64 = n as u64;
        let prefix_ok = self.pos == 0 || (start..self.seq).contains(&self.prefix.1);
        let suffix_ok = start < n64
            || self
                .suffix
                .iter()
                .zip(0_u64..)
                .all(|(&(_, s), i)| (start - n64 + i..start).contains(&s));
        state_ok(
            prefix_ok && suffix_ok,
            "window extreme sequence numbers inconsistent",
        )?;
        state_ok(
            self.block.iter().all(|x| x.is_finite())
                && self.suffix.iter().all(|(x, _)| x.is_finite())
                && self.prefix.0.is_finite(),
            "window extreme values invalid",
        )
    }
}

impl<T: Float, const MAX: bool> MonoDeque<T, MAX> {
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        MonoDeque {
            block: vec![T::zero(); n],
            suffix: vec![(T::zero(), 0); n],
            prefix: (T::zero(), 0),
            pos: 0,
            seq: 0,
        }
    }
    /// `newer` if it is at least as extreme as `older` (ties: the newer).
    #[inline]
    fn newer_wins(older: (T, u64), newer: (T, u64)) -> (T, u64) {
        let take = if MAX {
            newer.0 >= older.0
        } else {
            newer.0 <= older.0
        };
        // Without a branch (the comparison is data-dependent): the newer
        // entry has the larger sequence number, so `max(older, newer · take)`
        // picks it exactly when `take`; the value is a select the compiler
        // turns into a blend.
        let seq = older.1.max(newer.1 * u64::from(take));
        // The value as a max/min (no branch): it is `newer.0` exactly when
        // `take`, up to the sign of a zero tie.
        let value = if MAX {
            newer.0.max(older.0)
        } else {
            newer.0.min(older.0)
        };
        (value, seq)
    }
    /// Adds `x` (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, x: T) {
        let n = self.block.len();
        let entry = (x, self.seq);
        if let Some(slot) = self.block.get_mut(self.pos) {
            *slot = x;
        }
        self.prefix = if self.pos == 0 {
            entry
        } else {
            Self::newer_wins(self.prefix, entry)
        };
        self.seq += 1;
        self.pos += 1;
        if self.pos == n {
            self.close_block();
            self.pos = 0;
        }
    }
    /// The block just completed: its suffix extremes become the window's
    /// view of the past for the next `n` values.
    #[cold]
    #[inline(never)]
    fn close_block(&mut self) {
        let last = self.seq - 1;
        let mut acc: Option<(T, u64)> = None;
        for (age, (x, slot)) in self
            .block
            .iter()
            .zip(self.suffix.iter_mut())
            .rev()
            .enumerate()
        {
            let entry = (*x, last - age as u64);
            let best = match acc {
                Some(newer) => Self::newer_wins(entry, newer),
                None => entry,
            };
            *slot = best;
            acc = Some(best);
        }
    }
    pub(crate) fn capacity(&self) -> usize {
        self.block.len()
    }
    /// The extreme of the window and how many values ago it came (`0` = the
    /// newest value).
    #[inline]
    pub(crate) fn extreme(&self) -> Option<(T, u64)> {
        if self.seq == 0 {
            return None;
        }
        // The window is the current block's head plus, once a block has
        // completed and the current one is not full, the previous block's tail.
        let best = if self.pos == 0 || self.seq <= self.block.len() as u64 {
            self.prefix
        } else {
            match self.suffix.get(self.pos) {
                Some(&past) => Self::newer_wins(past, self.prefix),
                None => self.prefix,
            }
        };
        Some((best.0, self.seq - 1 - best.1))
    }
    /// Values pushed so far.
    #[inline]
    pub(crate) fn count(&self) -> u64 {
        self.seq
    }
    pub(crate) fn clear(&mut self) {
        self.block.fill(T::zero());
        self.suffix.fill((T::zero(), 0));
        self.prefix = (T::zero(), 0);
        self.pos = 0;
        self.seq = 0;
    }
}

/// Maximum and minimum of the last `n` values, values only (no ages), by
/// the same van Herk / Gil–Werman blocks as [`MonoDeque`]: a push is a store
/// and two comparisons, a query two loads and two comparisons, with no
/// data-dependent branch.
///
/// The running prefix starts each block at (−∞, +∞), so the window's
/// extremes are always those of `suffix[pos]` and the prefix together
/// (right after a block completes, `suffix[0]` is the whole block).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RollingRange<T> {
    /// The current block's values, by position in the block.
    block: Vec<T>,
    /// `suffix[i]`: (max, min) of positions `i..n` of the previous complete
    /// block.
    suffix: Vec<(T, T)>,
    /// (max, min) of the current block so far.
    prefix: (T, T),
    /// Position in the block of the next value.
    pos: usize,
    /// Whether a block has completed (`n` values seen).
    full: bool,
}

/// The larger of two finite values.
#[inline]
pub(crate) fn max_of<T: Float>(a: T, b: T) -> T {
    if b > a {
        b
    } else {
        a
    }
}

/// The smaller of two finite values.
#[inline]
pub(crate) fn min_of<T: Float>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}

impl<T: Float> RollingRange<T> {
    /// A window from its parts (see [`Ring::from_parts`]): `block` and
    /// `suffix` of one length, `pos` below it, else `None`.
    pub(crate) fn from_parts(
        block: Vec<T>,
        suffix: Vec<(T, T)>,
        prefix: (T, T),
        pos: usize,
        full: bool,
    ) -> Option<Self> {
        (block.len() == suffix.len() && pos < block.len()).then_some(RollingRange {
            block,
            suffix,
            prefix,
            pos,
            full,
        })
    }
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        RollingRange {
            block: vec![T::zero(); n],
            suffix: vec![(T::zero(), T::zero()); n],
            prefix: (T::neg_infinity(), T::infinity()),
            pos: 0,
            full: false,
        }
    }
    /// Adds `x` (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, x: T) {
        if let Some(slot) = self.block.get_mut(self.pos) {
            *slot = x;
        }
        self.prefix = (max_of(self.prefix.0, x), min_of(self.prefix.1, x));
        self.pos += 1;
        if self.pos == self.block.len() {
            self.close_block();
        }
    }
    /// The block just completed: its suffix extremes become the window's
    /// view of the past for the next `n` values.
    #[cold]
    #[inline(never)]
    fn close_block(&mut self) {
        let mut acc = (T::neg_infinity(), T::infinity());
        for (x, slot) in self.block.iter().zip(self.suffix.iter_mut()).rev() {
            acc = (max_of(acc.0, *x), min_of(acc.1, *x));
            *slot = acc;
        }
        self.prefix = (T::neg_infinity(), T::infinity());
        self.pos = 0;
        self.full = true;
    }
    /// (max, min) of the last `n` values, once `n` have been pushed.
    #[inline]
    pub(crate) fn range(&self) -> Option<(T, T)> {
        if !self.full {
            return None;
        }
        let (hi, lo) = self.suffix.get(self.pos).copied()?;
        Some((max_of(hi, self.prefix.0), min_of(lo, self.prefix.1)))
    }
    pub(crate) fn clear(&mut self) {
        self.block.fill(T::zero());
        self.suffix.fill((T::zero(), T::zero()));
        self.prefix = (T::neg_infinity(), T::infinity());
        self.pos = 0;
        self.full = false;
    }
}

/// The extremes of a run of bars: highest high and lowest low, each with
/// the sequence number of its most recent occurrence.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Extremes<T> {
    high: (T, u64),
    low: (T, u64),
}

impl<T: Float> Extremes<T> {
    /// Nothing seen: any value beats these.
    fn empty() -> Self {
        Extremes {
            high: (T::neg_infinity(), 0),
            low: (T::infinity(), 0),
        }
    }
    /// `self` (older) merged with `newer`; ties go to the newer.
    #[inline]
    fn then(self, newer: Self) -> Self {
        Extremes {
            high: MonoDeque::<T, true>::newer_wins(self.high, newer.high),
            low: MonoDeque::<T, false>::newer_wins(self.low, newer.low),
        }
    }
}

/// Highest high and lowest low of the last `n` bars with how many bars ago
/// each last occurred: the two [`MonoDeque`]s of a
/// [`FibonacciLevels`](crate::FibonacciLevels) in one structure, for the
/// scorer that only needs the swing.
///
/// The same van Herk / Gil–Werman blocks, but the running prefix starts each
/// block empty (−∞ / +∞), so the window's extremes are always those of
/// `suffix[pos]` merged with the prefix: no special case for a block's first
/// position or the first block, and no data-dependent branch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RollingSwing<T> {
    /// The current block's (high, low), by position in the block.
    block: Vec<(T, T)>,
    /// `suffix[i]`: extremes of positions `i..n` of the previous complete
    /// block.
    suffix: Vec<Extremes<T>>,
    /// Extremes of the current block so far.
    prefix: Extremes<T>,
    /// Position in the block of the next bar.
    pos: usize,
    /// Sequence number of the next bar.
    seq: u64,
    /// Whether a block has completed (`n` bars seen).
    full: bool,
}

/// One side's extreme with the sequence number of its bar.
pub(crate) type Aged<T> = (T, u64);

impl<T: Float> RollingSwing<T> {
    /// A window from its parts (see [`Ring::from_parts`]): the extremes as
    /// `(high, low)` pairs of [`Aged`] values; `block` and `suffix` of one
    /// length, `pos` below it, else `None`.
    pub(crate) fn from_parts(
        block: Vec<(T, T)>,
        suffix: Vec<(Aged<T>, Aged<T>)>,
        prefix: (Aged<T>, Aged<T>),
        pos: usize,
        seq: u64,
        full: bool,
    ) -> Option<Self> {
        let extremes = |(high, low)| Extremes { high, low };
        (block.len() == suffix.len() && pos < block.len()).then(|| RollingSwing {
            block,
            suffix: suffix.into_iter().map(extremes).collect(),
            prefix: extremes(prefix),
            pos,
            seq,
            full,
        })
    }
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        RollingSwing {
            block: vec![(T::zero(), T::zero()); n],
            suffix: vec![Extremes::empty(); n],
            prefix: Extremes::empty(),
            pos: 0,
            seq: 0,
            full: false,
        }
    }
    /// Adds a bar's high and low (finite: the caller's invariant).
    #[inline]
    pub(crate) fn push(&mut self, high: T, low: T) {
        if let Some(slot) = self.block.get_mut(self.pos) {
            *slot = (high, low);
        }
        self.prefix = self.prefix.then(Extremes {
            high: (high, self.seq),
            low: (low, self.seq),
        });
        self.seq += 1;
        self.pos += 1;
        if self.pos == self.block.len() {
            self.close_block();
        }
    }
    /// The block just completed: its suffix extremes become the window's
    /// view of the past for the next `n` bars.
    #[cold]
    #[inline(never)]
    fn close_block(&mut self) {
        let last = self.seq - 1;
        let mut acc = Extremes::empty();
        for (age, (&(high, low), slot)) in self
            .block
            .iter()
            .zip(self.suffix.iter_mut())
            .rev()
            .enumerate()
        {
            let seq = last - age as u64;
            acc = Extremes {
                high: (high, seq),
                low: (low, seq),
            }
            .then(acc);
            *slot = acc;
        }
        self.prefix = Extremes::empty();
        self.pos = 0;
        self.full = true;
    }
    /// `((high, age), (low, age))` of the last `n` bars, ages in bars (`0` =
    /// the newest; the most recent occurrence on ties), once `n` bars have
    /// been pushed.
    #[inline]
    pub(crate) fn extremes(&self) -> Option<((T, u64), (T, u64))> {
        if !self.full {
            return None;
        }
        let e = self.suffix.get(self.pos)?.then(self.prefix);
        let newest = self.seq - 1;
        Some(((e.high.0, newest - e.high.1), (e.low.0, newest - e.low.1)))
    }
    pub(crate) fn clear(&mut self) {
        self.block.fill((T::zero(), T::zero()));
        self.suffix.fill(Extremes::empty());
        self.prefix = Extremes::empty();
        self.pos = 0;
        self.seq = 0;
        self.full = false;
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ring_evicts_oldest() {
        let mut r = Ring::<f64>::new(3);
        assert_eq!(r.push(1.0), None);
        assert_eq!(r.push(2.0), None);
        assert_eq!(r.push(3.0), None);
        assert!(r.wrapped());
        assert_eq!(r.push(4.0), Some(1.0));
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![2.0, 3.0, 4.0]);
        assert_eq!(r.back(0), Some(4.0));
        assert_eq!(r.back(2), Some(2.0));
        assert_eq!(r.back(3), None);
    }

    #[test]
    fn rolling_stats_match_two_pass() {
        let mut s = RollingStats::<f64>::new(4);
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0];
        for (i, &x) in xs.iter().enumerate() {
            s.push(x);
            if i >= 3 {
                let w = &xs[i - 3..=i];
                let mean = w.iter().sum::<f64>() / 4.0;
                let var = w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4.0;
                assert!((s.mean() - mean).abs() < 1e-12);
                assert!((s.variance() - var).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn flat_window_has_zero_variance() {
        let mut s = RollingStats::<f64>::new(3);
        for x in [0.1, 0.7, 0.3, 0.3, 0.3] {
            s.push(x);
        }
        assert_eq!(s.variance(), 0.0);
        s.push(0.4);
        assert!(s.variance() > 0.0);
    }

    #[test]
    fn rolling_range_matches_brute_force() {
        let xs = [5.0, 3.0, 4.0, 7.0, 1.0, 1.0, 2.0, 6.0, -2.0, 9.0, 9.0, 0.5];
        for n in 1..=4 {
            let mut r = RollingRange::<f64>::new(n);
            for (i, &x) in xs.iter().enumerate() {
                r.push(x);
                if i + 1 < n {
                    assert_eq!(r.range(), None);
                    continue;
                }
                let w = &xs[i + 1 - n..=i];
                let hi = w.iter().copied().fold(f64::MIN, f64::max);
                let lo = w.iter().copied().fold(f64::MAX, f64::min);
                assert_eq!(r.range(), Some((hi, lo)), "n = {n}, i = {i}");
            }
            r.clear();
            assert_eq!(r, RollingRange::new(n));
        }
    }

    #[test]
    fn rolling_swing_matches_mono_deques() {
        let xs = [
            5.0, 3.0, 4.0, 7.0, 1.0, 1.0, 2.0, 6.0, 7.0, -2.0, 9.0, 9.0, 0.5, 1.0,
        ];
        for n in 1..=5 {
            let mut swing = RollingSwing::<f64>::new(n);
            let mut highs = MonoDeque::<f64, true>::new(n);
            let mut lows = MonoDeque::<f64, false>::new(n);
            for (i, &x) in xs.iter().enumerate() {
                // lows a shifted copy, so highs and lows peak at different bars
                let low = xs[(i + 3) % xs.len()] - 10.0;
                swing.push(x, low);
                highs.push(x);
                lows.push(low);
                if i + 1 < n {
                    assert_eq!(swing.extremes(), None);
                    continue;
                }
                let want = (highs.extreme().unwrap(), lows.extreme().unwrap());
                assert_eq!(swing.extremes(), Some(want), "n = {n}, i = {i}");
            }
            swing.clear();
            assert_eq!(swing, RollingSwing::new(n));
        }
    }

    #[test]
    fn mono_deque_tracks_max_min_and_age() {
        let xs = [5.0, 3.0, 4.0, 7.0, 1.0, 1.0, 2.0, 6.0];
        let mut mx = MonoDeque::<f64, true>::new(3);
        let mut mn = MonoDeque::<f64, false>::new(3);
        for (i, &x) in xs.iter().enumerate() {
            mx.push(x);
            mn.push(x);
            let lo = i.saturating_sub(2);
            let w = &xs[lo..=i];
            let want_max = w.iter().copied().fold(f64::MIN, f64::max);
            let want_min = w.iter().copied().fold(f64::MAX, f64::min);
            let (m, age) = mx.extreme().unwrap();
            assert_eq!(m, want_max);
            // most recent occurrence of the extreme
            let pos = w.iter().rposition(|&v| v == want_max).unwrap();
            assert_eq!(age, (w.len() - 1 - pos) as u64);
            assert_eq!(mn.extreme().unwrap().0, want_min);
            let pos = w.iter().rposition(|&v| v == want_min).unwrap();
            assert_eq!(mn.extreme().unwrap().1, (w.len() - 1 - pos) as u64);
        }
    }
}
