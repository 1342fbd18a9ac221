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

/// The write position after `head` in a ring of `cap` slots: the one ring
/// step, of [`Ring`] and of the APEX universe's lock-step rows.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the lock-step rows
pub(crate) fn ring_next(head: usize, cap: usize) -> usize {
    let next = head + 1;
    if next == cap {
        0
    } else {
        next
    }
}

/// A count of values: `usize` in a single window, `f64` in the APEX
/// universe's lock-step rows (so that the rows vectorise; exact below 2⁵³).
pub(crate) trait Count: Copy {
    /// The larger of two counts.
    fn later(self, other: Self) -> Self;
    /// `self` if `take`, else 0.
    fn if_taken(self, take: bool) -> Self;
    /// `self + 1`, at most `cap`: a ring's fill level after a push.
    fn filled(self, cap: Self) -> Self;
}

/// [`Count`] for a type, given its one and `take` as that type.
macro_rules! count {
    ($($t:ty: $one:expr, $from_bool:expr;)*) => {$(
        impl Count for $t {
            #[inline(always)]
            #[allow(clippy::inline_always)]
            fn later(self, other: Self) -> Self {
                self.max(other)
            }
            #[inline(always)]
            #[allow(clippy::inline_always)]
            fn if_taken(self, take: bool) -> Self {
                self * $from_bool(take)
            }
            #[inline(always)]
            #[allow(clippy::inline_always)]
            fn filled(self, cap: Self) -> Self {
                (self + $one).min(cap)
            }
        }
    )*};
}
count! {
    u64: 1, u64::from;
    usize: 1, usize::from;
    f64: 1.0, |take| f64::from(u8::from(take));
}

/// The extreme (`MAX`: the largest, else the smallest) of two entries, each
/// a value with the sequence number of its entry: `newer` if it is at least
/// as extreme (ties go to the newer). The one fold of [`MonoDeque`],
/// [`RollingSwing`] and the APEX universe's lock-step swing rows.
///
/// Without a branch (the comparison is data-dependent): the newer entry has
/// the larger sequence number, so `max(older, newer · take)` picks it
/// exactly when `take`; the value is a max/min (no branch), `newer`'s
/// exactly when `take`, up to the sign of a zero tie.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the lock-step rows, which vectorise
pub(crate) fn newer_wins<T: Float, S: Count, const MAX: bool>(
    older: (T, S),
    newer: (T, S),
) -> (T, S) {
    let take = if MAX {
        newer.0 >= older.0
    } else {
        newer.0 <= older.0
    };
    let seq = older.1.later(newer.1.if_taken(take));
    let value = if MAX {
        newer.0.max(older.0)
    } else {
        newer.0.min(older.0)
    };
    (value, seq)
}

/// `(max, min)` of two `(max, min)` pairs (a value `x` is `(x, x)`): the
/// one fold of [`RollingRange`] and the APEX universe's lock-step range
/// rows, for the running prefix, the suffixes and the window's range.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the lock-step rows, which vectorise
pub(crate) fn range_merge<T: Float>(older: (T, T), newer: (T, T)) -> (T, T) {
    (max_of(older.0, newer.0), min_of(older.1, newer.1))
}

/// `(Σd, Σd²)` with one more deviation `d = x − anchor`: the one update of
/// the variance windows' sums ([`RollingStats`] and the APEX universe's
/// lock-step volume rows).
#[inline(always)]
#[allow(clippy::inline_always)] // inside the lock-step rows, which vectorise
pub(crate) fn add_deviation<T: Float>((s1, s2): (T, T), x: T, anchor: T) -> (T, T) {
    let d = x - anchor;
    (s1 + d, s2 + d * d)
}

/// The mean of `n` values from their anchor and `Σd`: `K + Σd/n`.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the lock-step rows, which vectorise
pub(crate) fn anchored_mean<T: Float>(anchor: T, s1: T, inv_n: T) -> T {
    anchor + s1 * inv_n
}

/// `m2 = Σd² − Σd·(Σd/n)` (not `(Σd)²/n`: `Σd` can reach `2nL`, whose
/// square alone could overflow).
#[inline]
pub(crate) fn centred_m2<T: Float>(s1: T, s2: T, inv_n: T) -> T {
    s2 - s1 * (s1 * inv_n)
}

/// Whether an anchor is too far from the mean: `Σd² > COLLAPSE · m2`.
#[inline]
pub(crate) fn collapsed<T: Float>(s1: T, s2: T, inv_n: T) -> bool {
    centred_m2(s1, s2, inv_n) * T::from_f64(COLLAPSE) < s2
}

/// The slot a re-anchoring picks: among `candidates` (slot, value), in
/// order, the first whose value is nearest `mean`; `fallback` if none.
pub(crate) fn nearest_slot<T: Float>(
    candidates: impl Iterator<Item = (usize, T)>,
    mean: T,
    fallback: usize,
) -> usize {
    let mut best: Option<(usize, T)> = None;
    for (slot, x) in candidates {
        let dist = (x - mean).abs();
        match best {
            Some((_, b)) if b <= dist => {}
            _ => best = Some((slot, dist)),
        }
    }
    best.map_or(fallback, |(slot, _)| slot)
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
        self.head = ring_next(self.head, cap);
        let evicted = (self.len == cap).then_some(old);
        self.len = self.len.filled(cap);
        evicted
    }
    /// Whether the next write goes to slot 0 (a full cycle just completed).
    #[inline]
    pub(crate) fn wrapped(&self) -> bool {
        self.head == 0
    }
    /// The buffer by slot (slot `head` is written next).
    #[inline]
    pub(crate) fn slots(&self) -> &[T] {
        &self.buf
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

/// Sum of the last `n` values, without drift, as a function of the values
/// held alone.
///
/// The van Herk / Gil–Werman blocks of [`MonoDeque`] applied to a sum. Once
/// the ring is full, its slots `head..n` still hold the tail of the
/// previous block of `n` values and slots `0..head` the current block so
/// far. When a block completes, the suffix sums of its slots are computed
/// once, right to left (`suffix[i] = x[i] + suffix[i + 1]`); each push adds
/// its value to the current block's running prefix sum. The window's sum is
/// `suffix[head] + prefix`: two folds over exactly the values in the
/// window. Nothing is ever subtracted, so a value that leaves the window
/// leaves no rounding behind, however large it was: the error is that of
/// summing the window afresh (≤ (n − 1)·ε·Σ|x|), at any stream length.
///
/// Everything but the ring is a function of the ring: it is not serialised,
/// and a restored window recomputes it with the same folds in the same
/// order, bit for bit what the live window holds. A restored indicator
/// continues exactly, and no running sum can be corrupted in a checkpoint.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct RollingSum<T> {
    ring: Ring<T>,
    /// Once full, `suffix[i]` for `i ≥ head`: the sum of slots `i..n` (the
    /// previous block's tail); 0 for the slots the current block has
    /// overwritten, and everywhere before the first block completes.
    #[cfg_attr(feature = "serde", serde(skip))]
    suffix: Vec<T>,
    /// Sum of slots `0..head` (the current block so far).
    #[cfg_attr(feature = "serde", serde(skip))]
    prefix: T,
    #[cfg_attr(feature = "serde", serde(skip))]
    inv_n: T,
}

#[cfg(feature = "serde")]
const _: () = {
    use serde::de::{Deserialize, Deserializer, Error as _};
    #[derive(serde::Deserialize)]
    #[serde(bound(deserialize = "T: Float + Deserialize<'de>"))]
    struct Repr<T> {
        ring: Ring<T>,
    }
    impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for RollingSum<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
            let Repr { ring } = Repr::<T>::deserialize(d)?;
            let v = RollingSum::from_ring(ring);
            v.check().map_err(D::Error::custom)?;
            Ok(v)
        }
    }
};

impl<T: Float> Invariants for RollingSum<T> {
    fn check(&self) -> Result<()> {
        self.ring.check()?;
        // Everything else is recomputed from the ring; a live window equals
        // its recomputation bit for bit.
        state_ok(
            *self == RollingSum::from_ring(self.ring.clone()),
            "rolling sum inconsistent with its window",
        )
    }
}

impl<T: Float> RollingSum<T> {
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        RollingSum {
            ring: Ring::new(n),
            suffix: vec![T::zero(); n],
            prefix: T::zero(),
            inv_n: T::one() / T::from_usize(n),
        }
    }
    /// The window holding `ring`, its sums recomputed as pushes make them.
    pub(crate) fn from_ring(ring: Ring<T>) -> Self {
        let n = ring.capacity();
        let mut s = RollingSum {
            ring,
            suffix: vec![T::zero(); n],
            prefix: T::zero(),
            inv_n: T::one() / T::from_usize(n),
        };
        let head = s.ring.head();
        if s.ring.is_full() {
            s.suffix_from(head);
        }
        // Before the first block completes `head == len`: the prefix is
        // every value held.
        s.prefix = s
            .ring
            .slots()
            .iter()
            .take(head)
            .fold(T::zero(), |a, &x| a + x);
        s
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
        if self.ring.is_full() {
            // The slot about to be overwritten leaves the previous block's
            // tail: its suffix sum is no longer used.
            if let Some(s) = self.suffix.get_mut(self.ring.head()) {
                *s = T::zero();
            }
        }
        self.ring.push(x);
        self.prefix = self.prefix + x;
        if self.ring.wrapped() {
            self.close_block();
        }
    }
    /// A block just completed: its suffix sums, and an empty prefix.
    #[cold]
    #[inline(never)]
    fn close_block(&mut self) {
        self.suffix_from(0);
        self.prefix = T::zero();
    }
    /// `suffix[i]` for `i ≥ from`, right to left.
    fn suffix_from(&mut self, from: usize) {
        let mut acc = T::zero();
        for (&x, s) in self
            .ring
            .slots()
            .iter()
            .zip(self.suffix.iter_mut())
            .skip(from)
            .rev()
        {
            acc = acc + x;
            *s = acc;
        }
    }
    /// Sum of the window.
    #[inline]
    pub(crate) fn sum(&self) -> T {
        self.suffix
            .get(self.ring.head())
            .copied()
            .unwrap_or_else(T::zero)
            + self.prefix
    }
    /// Mean of the window (meaningful once full).
    #[inline]
    pub(crate) fn mean(&self) -> T {
        self.sum() * self.inv_n
    }
    pub(crate) fn clear(&mut self) {
        self.ring.clear();
        self.suffix.fill(T::zero());
        self.prefix = T::zero();
    }
}

/// Mean and variance of the last `n` values, without drift, as a function
/// of the values held and one anchor.
///
/// The sums are of deviations `d = x − K` from an anchor `K`, a value the
/// window holds: Σd and Σd² over the window, kept in the blocks of
/// [`RollingSum`] (suffix sums of the previous block's tail, a running
/// prefix over the current block), so a value that leaves the window leaves
/// no rounding behind. Then
///
/// ```text
/// mean = K + Σd/n,   m2 = Σ(x − mean)² = Σd² − Σd·(Σd/n),   variance = m2/n
/// ```
///
/// Shifting by a value of the window makes the cancellation in `m2` depend
/// only on `(mean − K)²/σ²`, never on the level: `Σd² = m2 + n·(mean − K)²`,
/// and since `K` is one of the window's values, `n·(mean − K)² ≤ (n − 1)·m2`,
/// so `Σd² ≤ n·m2`. For windows longer than [`COLLAPSE`] (256) that factor
/// is capped: whenever `Σd² > COLLAPSE · m2` (the anchor is an extreme value
/// of a long window) the window re-anchors at once on the held value
/// nearest the mean, where `Σd² ≤ 2·m2`; shorter windows never need to and
/// do not test.
/// So after every push `Σd² ≤ min(n, COLLAPSE)·m2`, and the relative error
/// of `m2` is at most about `3·min(n, COLLAPSE)·(n + 1)·ε` (≈ 1.4e-13 for
/// n = 20), whatever the level and however long the stream: `mean/σ` of
/// the window does not enter.
///
/// The anchor must stay in the ring until the next re-anchoring, so it is
/// chosen among the slots that do: the current block's (`0..head`) and
/// the previous block's last (`n − 1`, overwritten by the push that
/// completes the next block, which re-anchors on that newest value). Its
/// slot is the one number of the state that is not a function of the
/// values: it is serialised, and a restored window recomputes every sum
/// from the ring and that slot, bit for bit what the live window holds; a
/// slot that could not be the anchor, or one so far from the mean that the
/// window would have re-anchored away from it, is an invalid state. The
/// equal-run counter (a window of `n` equal values has a variance of
/// exactly 0) is recomputed from the ring too.
///
/// Inputs must be within the type's variance limit (`|x| ≤ 1e150` for
/// `f64`, `1e16` for `f32`; the callers check): then `|d| ≤ 2L` and every
/// sum is at most `4·n·L²`, finite for every `n ≤ MAX_PERIOD`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub(crate) struct RollingStats<T> {
    ring: Ring<T>,
    /// The slot whose value is the anchor `K`.
    anchor_slot: usize,
    /// `K`, the value at `anchor_slot` (0 while empty).
    #[cfg_attr(feature = "serde", serde(skip))]
    anchor: T,
    /// Once full, for `i ≥ head`: Σd and Σd² over slots `i..n`; 0 below
    /// `head` and before the first block completes.
    #[cfg_attr(feature = "serde", serde(skip))]
    s1: Vec<T>,
    #[cfg_attr(feature = "serde", serde(skip))]
    s2: Vec<T>,
    /// Σd and Σd² over slots `0..head`.
    #[cfg_attr(feature = "serde", serde(skip))]
    p1: T,
    #[cfg_attr(feature = "serde", serde(skip))]
    p2: T,
    /// How many of the newest values are equal (saturates at `n`).
    #[cfg_attr(feature = "serde", serde(skip))]
    run: usize,
    #[cfg_attr(feature = "serde", serde(skip))]
    inv_n: T,
}

#[cfg(feature = "serde")]
const _: () = {
    use serde::de::{Deserialize, Deserializer, Error as _};
    #[derive(serde::Deserialize)]
    #[serde(bound(deserialize = "T: Float + Deserialize<'de>"))]
    struct Repr<T> {
        ring: Ring<T>,
        anchor_slot: usize,
    }
    impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for RollingStats<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
            let Repr { ring, anchor_slot } = Repr::<T>::deserialize(d)?;
            RollingStats::from_ring(ring, anchor_slot).map_err(D::Error::custom)
        }
    }
};

/// Factor by which the sum of squared deviations from the anchor may
/// exceed the centred one before the window re-anchors.
pub(crate) const COLLAPSE: f64 = 256.0;

/// Whether a variance window of `n` values can need re-anchoring mid-block:
/// with its anchor one of its values, `Σd² ≤ n·m2`, so only when
/// `n > COLLAPSE` (shorter windows skip the test).
#[inline]
pub(crate) fn long_window(n: usize) -> bool {
    n > 256
}

impl<T: Float> Invariants for RollingStats<T> {
    fn check(&self) -> Result<()> {
        let rebuilt = RollingStats::from_ring(self.ring.clone(), self.anchor_slot)?;
        state_ok(
            *self == rebuilt,
            "rolling stats inconsistent with its window",
        )
    }
}

impl<T: Float> RollingStats<T> {
    pub(crate) fn new(n: usize) -> Self {
        let n = n.max(1);
        RollingStats {
            ring: Ring::new(n),
            anchor_slot: 0,
            anchor: T::zero(),
            s1: vec![T::zero(); n],
            s2: vec![T::zero(); n],
            p1: T::zero(),
            p2: T::zero(),
            run: 0,
            inv_n: T::one() / T::from_usize(n),
        }
    }
    /// The window holding `ring` and anchored at `anchor_slot`, every sum
    /// recomputed as pushes make them (a restored state, or a symbol the
    /// APEX universe's lock-step windows hand over).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidState`] for a ring that fails its checks, a value
    /// beyond the variance limit, a slot that cannot be the anchor, or an
    /// anchor the window would have moved away from.
    pub(crate) fn from_ring(ring: Ring<T>, anchor_slot: usize) -> Result<Self> {
        ring.check()?;
        let limit = T::from_f64(T::VARIANCE_LIMIT);
        state_ok(
            ring.slots().iter().all(|x| x.abs() <= limit),
            "variance window value beyond the variance limit",
        )?;
        let (n, head, len) = (ring.capacity(), ring.head(), ring.len());
        let full = ring.is_full();
        // Where the anchor can be: the first value until the first block
        // completes; the newest right after a block completes; else a
        // slot of the current block or the previous block's last.
        let possible = if !full {
            anchor_slot == 0
        } else if head == 0 {
            anchor_slot == n - 1
        } else {
            anchor_slot < head || anchor_slot == n - 1
        };
        state_ok(possible, "variance anchor in a slot it cannot be")?;
        let anchor = if len == 0 {
            T::zero()
        } else {
            ring.slots()
                .get(anchor_slot)
                .copied()
                .unwrap_or_else(T::zero)
        };
        let mut s = RollingStats {
            ring,
            anchor_slot,
            anchor,
            s1: vec![T::zero(); n],
            s2: vec![T::zero(); n],
            p1: T::zero(),
            p2: T::zero(),
            run: 0,
            inv_n: T::one() / T::from_usize(n),
        };
        s.sums_from_anchor();
        s.run = s.trailing_run();
        // After every push the live window has re-anchored if the anchor was
        // too far from the mean; it then sits where the choice falls.
        if full && head != 0 && long_window(n) && s.collapsed() {
            state_ok(
                s.choose_anchor() == anchor_slot,
                "variance anchor too far from the window's mean",
            )?;
        }
        Ok(s)
    }
    #[inline]
    pub(crate) fn period(&self) -> usize {
        self.ring.capacity()
    }
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.ring.is_full()
    }
    /// Adds `x` (finite and within the variance limit: the caller's
    /// invariant).
    #[inline]
    pub(crate) fn push(&mut self, x: T) {
        let n = self.ring.capacity();
        self.run = match self.ring.back(0) {
            Some(prev) if prev == x => (self.run + 1).min(n),
            _ => 1,
        };
        let full = self.ring.is_full();
        if self.ring.len() == 0 {
            self.anchor_slot = self.ring.head();
            self.anchor = x;
        }
        if full {
            // The slot about to be overwritten leaves the previous block's
            // tail: its suffix sums are no longer used.
            let head = self.ring.head();
            if let (Some(a), Some(b)) = (self.s1.get_mut(head), self.s2.get_mut(head)) {
                (*a, *b) = (T::zero(), T::zero());
            }
        }
        self.ring.push(x);
        (self.p1, self.p2) = add_deviation((self.p1, self.p2), x, self.anchor);
        if self.ring.wrapped() {
            self.close_block();
        } else if full && long_window(n) && self.collapsed() {
            self.reanchor();
        }
    }
    /// Σd and Σd² of the window.
    #[inline]
    fn totals(&self) -> (T, T) {
        let head = self.ring.head();
        let s1 = self.s1.get(head).copied().unwrap_or_else(T::zero);
        let s2 = self.s2.get(head).copied().unwrap_or_else(T::zero);
        (s1 + self.p1, s2 + self.p2)
    }
    /// Whether the anchor is too far from the mean: `Σd² > COLLAPSE · m2`.
    #[inline]
    fn collapsed(&self) -> bool {
        let (s1, s2) = self.totals();
        collapsed(s1, s2, self.inv_n)
    }
    /// A block just completed: anchor on the newest value (the only slot
    /// that stays until the next block completes), the whole block's
    /// suffix sums, an empty prefix.
    #[cold]
    #[inline(never)]
    fn close_block(&mut self) {
        let last = self.ring.capacity() - 1;
        self.anchor_slot = last;
        self.anchor = self.ring.slots().get(last).copied().unwrap_or_else(T::zero);
        self.sums_from_anchor();
    }
    /// Mid-block: anchor on the value nearest the mean among the slots that
    /// stay until the next block completes, and recompute the sums.
    #[cold]
    #[inline(never)]
    fn reanchor(&mut self) {
        self.anchor_slot = self.choose_anchor();
        self.anchor = self
            .ring
            .slots()
            .get(self.anchor_slot)
            .copied()
            .unwrap_or_else(T::zero);
        self.sums_from_anchor();
    }
    /// The slot a re-anchoring picks (full ring, `head > 0`): among slots
    /// `0..head`, then `n − 1`, the first whose value is nearest the mean
    /// of the window (summed afresh, oldest first).
    fn choose_anchor(&self) -> usize {
        let slots = self.ring.slots();
        let n = self.ring.capacity();
        let mean = self.ring.iter().fold(T::zero(), |a, x| a + x) * self.inv_n;
        let candidates = (0..self.ring.head()).chain(core::iter::once(n - 1));
        nearest_slot(
            candidates.filter_map(|i| slots.get(i).map(|&x| (i, x))),
            mean,
            n - 1,
        )
    }
    /// Every sum from the ring and the anchor: the previous block's tail
    /// right to left (once full), the current block left to right, as
    /// pushes and block completions make them.
    fn sums_from_anchor(&mut self) {
        let head = self.ring.head();
        let k = self.anchor;
        self.s1.fill(T::zero());
        self.s2.fill(T::zero());
        if self.ring.is_full() {
            let mut acc = (T::zero(), T::zero());
            for ((&x, s1), s2) in self
                .ring
                .slots()
                .iter()
                .zip(self.s1.iter_mut())
                .zip(self.s2.iter_mut())
                .skip(head)
                .rev()
            {
                acc = add_deviation(acc, x, k);
                (*s1, *s2) = acc;
            }
        }
        (self.p1, self.p2) = self
            .ring
            .slots()
            .iter()
            .take(head)
            .fold((T::zero(), T::zero()), |acc, &x| add_deviation(acc, x, k));
    }
    /// How many of the newest values held are equal, at most `n`.
    fn trailing_run(&self) -> usize {
        let Some(newest) = self.ring.back(0) else {
            return 0;
        };
        (0..self.ring.len())
            .take_while(|&k| self.ring.back(k) == Some(newest))
            .count()
    }
    /// Mean of the window (meaningful once full).
    #[inline]
    pub(crate) fn mean(&self) -> T {
        anchored_mean(self.anchor, self.totals().0, self.inv_n)
    }
    /// Population variance of the window (once full); exactly 0 when flat.
    #[inline]
    pub(crate) fn variance(&self) -> T {
        if self.run >= self.ring.capacity() {
            T::zero()
        } else {
            let (s1, s2) = self.totals();
            (centred_m2(s1, s2, self.inv_n) * self.inv_n).max(T::zero())
        }
    }
    pub(crate) fn clear(&mut self) {
        self.ring.clear();
        self.anchor_slot = 0;
        self.anchor = T::zero();
        self.s1.fill(T::zero());
        self.s2.fill(T::zero());
        self.p1 = T::zero();
        self.p2 = T::zero();
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
        )?;
        // Beyond ranges, the extremes are exactly what the values held give
        // (the same folds as `push` and `close_block`): the prefix is the
        // running extreme of the current block (of the block just
        // completed, right after one completes); once a block has completed,
        // suffix `i ≥ pos` is the extreme of positions `i..n` of the previous
        // block, whose values the block buffer still holds there. Suffix
        // entries below `pos` are never read again.
        if self.seq > 0 {
            let (upto, first) = if self.pos == 0 {
                (n, self.seq - n64)
            } else {
                (self.pos, start)
            };
            let prefix = self
                .block
                .iter()
                .take(upto)
                .zip(first..)
                .map(|(&x, s)| (x, s))
                .reduce(newer_wins::<T, u64, MAX>);
            state_ok(
                prefix == Some(self.prefix),
                "window extreme inconsistent with its values",
            )?;
        }
        if self.seq >= n64 {
            let prev = if self.pos == 0 {
                self.seq - n64
            } else {
                start - n64
            };
            let mut newer: Option<(T, u64)> = None;
            for i in (self.pos..n).rev() {
                let (Some(&x), Some(&held)) = (self.block.get(i), self.suffix.get(i)) else {
                    continue;
                };
                let entry = (x, prev + i as u64);
                let best = newer.map_or(entry, |nw| newer_wins::<T, u64, MAX>(entry, nw));
                state_ok(held == best, "window extreme inconsistent with its values")?;
                newer = Some(best);
            }
        }
        Ok(())
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
            newer_wins::<T, u64, MAX>(self.prefix, entry)
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
                Some(newer) => newer_wins::<T, u64, MAX>(entry, newer),
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
                Some(&past) => newer_wins::<T, u64, MAX>(past, self.prefix),
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

impl<T: Float> Invariants for RollingRange<T> {
    /// The extremes are exactly what the values held give (the folds of
    /// `push` and `close_block`): the prefix is the current block's, from
    /// (−∞, +∞); once a block has completed, suffix `i ≥ pos` is that of
    /// positions `i..n` of the previous block, which the block buffer still
    /// holds there (entries below `pos` are never read again).
    fn check(&self) -> Result<()> {
        let n = self.block.len();
        state_ok(
            n > 0 && self.suffix.len() == n && self.pos < n,
            "window range buffers inconsistent",
        )?;
        state_ok(
            self.block.iter().all(|x| x.is_finite()),
            "window range values invalid",
        )?;
        let empty = (T::neg_infinity(), T::infinity());
        let fold = |acc: (T, T), x: T| range_merge(acc, (x, x));
        let prefix = self
            .block
            .iter()
            .take(self.pos)
            .fold(empty, |a, &x| fold(a, x));
        state_ok(
            prefix == self.prefix,
            "window range inconsistent with its values",
        )?;
        if self.full {
            let mut acc = empty;
            for i in (self.pos..n).rev() {
                let (Some(&x), Some(&held)) = (self.block.get(i), self.suffix.get(i)) else {
                    continue;
                };
                acc = fold(acc, x);
                state_ok(held == acc, "window range inconsistent with its values")?;
            }
        }
        Ok(())
    }
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
        self.prefix = range_merge(self.prefix, (x, x));
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
            acc = range_merge(acc, (*x, *x));
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
        Some(range_merge((hi, lo), self.prefix))
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
            high: newer_wins::<T, u64, true>(self.high, newer.high),
            low: newer_wins::<T, u64, false>(self.low, newer.low),
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

impl<T: Float> Invariants for RollingSwing<T> {
    /// As [`RollingRange`]'s, with sequence numbers: `pos = seq mod n`, a
    /// block completed exactly when `seq ≥ n`, and the prefix and the
    /// suffix entries still read are the folds of the bars held, bar `i` of
    /// the current block being number `seq − pos + i`.
    fn check(&self) -> Result<()> {
        let n = self.block.len();
        state_ok(
            n > 0 && self.suffix.len() == n && self.pos < n,
            "window swing buffers inconsistent",
        )?;
        state_ok(self.seq <= MAX_SEQ, "window swing count out of range")?;
        let n64 = n as u64;
        state_ok(
            self.seq % n64 == self.pos as u64 && self.full == (self.seq >= n64),
            "window swing position inconsistent with count",
        )?;
        state_ok(
            self.block
                .iter()
                .all(|&(h, l)| h.is_finite() && l.is_finite() && l <= h),
            "window swing values invalid",
        )?;
        let start = self.seq - self.pos as u64;
        let bar = |&(high, low): &(T, T), seq: u64| Extremes {
            high: (high, seq),
            low: (low, seq),
        };
        let prefix = self
            .block
            .iter()
            .take(self.pos)
            .zip(start..)
            .fold(Extremes::empty(), |acc, (b, s)| acc.then(bar(b, s)));
        state_ok(
            prefix == self.prefix,
            "window swing inconsistent with its values",
        )?;
        if self.full {
            let prev = start - n64;
            let mut acc = Extremes::empty();
            for i in (self.pos..n).rev() {
                let (Some(b), Some(&held)) = (self.block.get(i), self.suffix.get(i)) else {
                    continue;
                };
                acc = bar(b, prev + i as u64).then(acc);
                state_ok(held == acc, "window swing inconsistent with its values")?;
            }
        }
        Ok(())
    }
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

    /// A stream that exercises every path: level shifts by many σ (the
    /// anchor goes stale mid-block), outliers entering and leaving, flat
    /// runs, zeros.
    fn hostile(len: usize, seed: u64) -> Vec<f64> {
        let mut next = crate::testing::uniform(seed);
        (0..len)
            .map(|i| {
                let level = [1.0e6, 3.0, 1.0e-3, 7.0e9][(i / 37) % 4];
                if i % 53 == 7 {
                    level * 1e4
                } else if (i / 11) % 9 == 4 {
                    level
                } else if i % 101 == 0 {
                    0.0
                } else {
                    level * (1.0 + 1e-6 * (next() - 0.5))
                }
            })
            .collect()
    }

    /// Σ (x − mean)² of `w`, two-pass, in f64.
    fn two_pass_m2(w: &[f64]) -> f64 {
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        w.iter().map(|x| (x - mean) * (x - mean)).sum()
    }

    /// The running sums are a function of the ring (and the anchor's slot):
    /// rebuilding them gives the live state bit for bit, at every step,
    /// through every kind of re-anchoring; and the windows pass their
    /// checks.
    #[test]
    fn rolling_sums_are_a_function_of_the_values_held() {
        for n in [1, 2, 3, 7, 20, 300] {
            let mut xs = hostile(2_000, 7 + n as u64);
            // A block ending on an outlier: the anchor (the newest value)
            // is then further from the mean than COLLAPSE allows once the
            // window is long (n − 1 > 256), and the next push re-anchors.
            if n > 256 {
                for i in (n - 1..xs.len()).step_by(n) {
                    xs[i] = 1e12;
                }
            }
            let mut sum = RollingSum::<f64>::new(n);
            let mut stats = RollingStats::<f64>::new(n);
            let mut reanchors = 0;
            for (i, &x) in xs.iter().enumerate() {
                let before = stats.anchor_slot;
                sum.push(x);
                stats.push(x);
                if stats.ring.is_full() && stats.ring.head() != 0 && stats.anchor_slot != before {
                    reanchors += 1;
                }
                assert_eq!(sum, RollingSum::from_ring(sum.ring.clone()), "n {n} i {i}");
                let rebuilt = RollingStats::from_ring(stats.ring.clone(), stats.anchor_slot);
                assert_eq!(rebuilt.as_ref(), Ok(&stats), "n {n} i {i}");
                sum.check().unwrap();
                stats.check().unwrap();
                let w = &xs[(i + 1).saturating_sub(n)..=i];
                let exact: f64 = w.iter().sum();
                assert!(
                    (sum.sum() - exact).abs()
                        <= 1e-15 * n as f64 * w.iter().map(|x| x.abs()).sum::<f64>()
                );
                if i + 1 >= n {
                    let m2 = two_pass_m2(w);
                    let got = stats.variance() * n as f64;
                    // Relative to the window's own spread, whatever the level.
                    assert!(
                        (got - m2).abs() <= 1e-11 * m2 || (m2 == 0.0 && got == 0.0),
                        "n {n} i {i}: {got:e} vs {m2:e}"
                    );
                }
            }
            // The anchor is always a value in the window, so `Σd² ≤ n·m2`:
            // a window of at most 256 values never re-anchors mid-block.
            assert_eq!(reanchors > 0, n > 256, "n {n}: {reanchors} re-anchorings");
        }
    }

    #[test]
    fn restored_anchors_are_checked() {
        let mut s = RollingStats::<f64>::new(5);
        for x in [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] {
            s.push(x);
        }
        // head 2: the anchor can be slot 0, 1 or 4.
        assert_eq!(s.ring.head(), 2);
        for slot in [2, 3, 5, 99] {
            assert!(
                RollingStats::from_ring(s.ring.clone(), slot).is_err(),
                "slot {slot}"
            );
        }
        // A slot the live window would have moved away from: a long window
        // whose previous block ended on an outlier; one push later the live
        // window re-anchors on slot 0, and slot n − 1 (the outlier) is
        // rejected although it is a possible slot.
        let n = 300;
        let mut s = RollingStats::<f64>::new(n);
        for i in 0..=n {
            s.push(if i == n - 1 {
                1e12
            } else {
                1.0 + (i % 3) as f64
            });
        }
        assert_eq!((s.ring.head(), s.anchor_slot), (1, 0));
        assert!(RollingStats::from_ring(s.ring.clone(), 0).is_ok());
        assert!(RollingStats::from_ring(s.ring.clone(), n - 1).is_err());
        // Values beyond the variance limit cannot be in a window.
        let ring = Ring::from_parts(alloc::vec![1.0, 1e151, 2.0], 0, 3).unwrap();
        assert!(RollingStats::from_ring(ring, 2).is_err());
    }

    #[test]
    fn extremes_are_checked_against_the_values_held() {
        let xs = hostile(300, 3);
        for n in [1, 2, 5, 8] {
            let mut mx = MonoDeque::<f64, true>::new(n);
            let mut range = RollingRange::<f64>::new(n);
            let mut swing = RollingSwing::<f64>::new(n);
            for (i, &x) in xs.iter().enumerate() {
                mx.push(x);
                range.push(x);
                swing.push(x, x * 0.5);
                mx.check().unwrap();
                range.check().unwrap();
                swing.check().unwrap();
                if i >= n {
                    // The last suffix entry is read until the next block
                    // completes: changed, it no longer matches the values.
                    let mut bad = mx.clone();
                    bad.suffix[n - 1].0 += 1.0;
                    assert!(bad.check().is_err(), "n {n} i {i}");
                    let mut bad = range.clone();
                    bad.suffix[n - 1].1 -= 1.0;
                    assert!(bad.check().is_err(), "n {n} i {i}");
                    let mut bad = swing.clone();
                    bad.suffix[n - 1].high.0 += 1.0;
                    assert!(bad.check().is_err(), "n {n} i {i}");
                }
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
