//! Rolling windows of many symbols in lock step, struct of arrays.
//!
//! While every symbol of an [`ApexUniverse`](super::ApexUniverse) has taken
//! every bar, their windows are all at the same position: each window kind
//! here keeps one row per position with one column per symbol, and one step
//! updates a whole row in a loop the compiler vectorises. Each column
//! evolves exactly as the symbol's own window in `crate::window` would
//! (same operations, same order), and [`extract`](RangeLanes::extract)
//! hands a column over as that window when the symbol falls out of step
//! (its first rejected bar). Sequence numbers are held as `f64` so that the
//! rows vectorise; they are exact below 2⁵³ bars.

// Columns are read and written by index over rows cut to the symbol count.
#![allow(clippy::indexing_slicing)]
// `&` between comparisons on purpose: no short-circuit branch in the rows.
#![allow(clippy::needless_bitwise_bool)]
// The rows vectorise only with the steps inlined into them.
#![allow(clippy::inline_always)]
// Loops over rows use one-letter indices and rows (i, n, h, l, ...).
#![allow(clippy::many_single_char_names)]
// Sequence numbers and lengths as f64 (exact below 2^53) and back.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use alloc::vec;
use alloc::vec::Vec;

#[cfg(feature = "serde")]
mod checkpoint;

use super::windows::{ratio_step, yield_change};
use crate::float::finite_or_nan;
use crate::indicators::{ratio_to_mean, return_spread, swing_reading, Smoother};
use crate::window::{
    add_deviation, anchored_mean, collapsed, long_window, nearest_slot, newer_wins, range_merge,
    ring_next, Aged, Count, Ring, RollingRange, RollingSwing,
};
use crate::{Float, RelativePerformance, RelativeRatio};

/// The rows of a `rows × n` matrix.
fn rows<T>(m: &[T], n: usize) -> core::slice::ChunksExact<'_, T> {
    m.chunks_exact(n.max(1))
}

/// Row `k` of a `rows × n` matrix (empty if out of range).
fn row<T>(m: &[T], k: usize, n: usize) -> &[T] {
    m.get(k * n..(k + 1) * n).unwrap_or(&[])
}

/// Row `k` of a `rows × n` matrix, mutably.
fn row_mut<T>(m: &mut [T], k: usize, n: usize) -> &mut [T] {
    m.get_mut(k * n..(k + 1) * n).unwrap_or(&mut [])
}

/// Column `i` of a `rows × n` matrix.
fn column<T: Copy>(m: &[T], i: usize, n: usize) -> Vec<T> {
    rows(m, n).filter_map(|r| r.get(i).copied()).collect()
}

/// `RollingRange` (highest and lowest of the last `len` values) for `n`
/// symbols.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RangeLanes<T> {
    n: usize,
    len: usize,
    block: Vec<T>,
    suffix_high: Vec<T>,
    suffix_low: Vec<T>,
    prefix_high: Vec<T>,
    prefix_low: Vec<T>,
    pos: usize,
    full: bool,
}

impl<T: Float> RangeLanes<T> {
    pub(crate) fn new(n: usize, len: usize) -> Self {
        let len = len.max(1);
        RangeLanes {
            n,
            len,
            block: vec![T::zero(); len * n],
            suffix_high: vec![T::zero(); len * n],
            suffix_low: vec![T::zero(); len * n],
            prefix_high: vec![T::neg_infinity(); n],
            prefix_low: vec![T::infinity(); n],
            pos: 0,
            full: false,
        }
    }

    /// `apex::breakout_step` for every symbol: the prior range (`NaN` while
    /// filling) into `high`/`low`, then `x` joins.
    #[inline(always)]
    pub(crate) fn step(&mut self, x: &[T], high: &mut [f64], low: &mut [f64]) {
        let n = self.n;
        let (x, high, low) = (&x[..n], &mut high[..n], &mut low[..n]);
        let (ph, pl) = (&mut self.prefix_high[..n], &mut self.prefix_low[..n]);
        if self.full {
            let sh = &row(&self.suffix_high, self.pos, n)[..n];
            let sl = &row(&self.suffix_low, self.pos, n)[..n];
            for i in 0..n {
                let (h, l) = range_merge((sh[i], sl[i]), (ph[i], pl[i]));
                (high[i], low[i]) = (h.to_f64(), l.to_f64());
            }
        } else {
            high.fill(f64::NAN);
            low.fill(f64::NAN);
        }
        row_mut(&mut self.block, self.pos, n).copy_from_slice(x);
        for i in 0..n {
            (ph[i], pl[i]) = range_merge((ph[i], pl[i]), (x[i], x[i]));
        }
        self.pos += 1;
        if self.pos == self.len {
            self.close_block();
        }
    }

    /// As `RollingRange::close_block`, a row at a time (the prefix rows are
    /// the accumulators, then start the next block empty).
    fn close_block(&mut self) {
        let n = self.n;
        let (ph, pl) = (&mut self.prefix_high[..n], &mut self.prefix_low[..n]);
        ph.fill(T::neg_infinity());
        pl.fill(T::infinity());
        for k in (0..self.len).rev() {
            let x = &row(&self.block, k, n)[..n];
            let sh = &mut row_mut(&mut self.suffix_high, k, n)[..n];
            let sl = &mut row_mut(&mut self.suffix_low, k, n)[..n];
            for i in 0..n {
                (ph[i], pl[i]) = range_merge((ph[i], pl[i]), (x[i], x[i]));
                (sh[i], sl[i]) = (ph[i], pl[i]);
            }
        }
        ph.fill(T::neg_infinity());
        pl.fill(T::infinity());
        self.pos = 0;
        self.full = true;
    }

    /// Symbol `i`'s window.
    pub(crate) fn extract(&self, i: usize) -> Option<RollingRange<T>> {
        let n = self.n;
        let suffix = column(&self.suffix_high, i, n)
            .into_iter()
            .zip(column(&self.suffix_low, i, n))
            .collect();
        let prefix = (*self.prefix_high.get(i)?, *self.prefix_low.get(i)?);
        RollingRange::from_parts(
            column(&self.block, i, n),
            suffix,
            prefix,
            self.pos,
            self.full,
        )
    }
}

/// `RollingSwing` (highest high and lowest low of the last `len` bars, with
/// the sequence numbers of their bars) for `n` symbols.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SwingLanes<T> {
    n: usize,
    len: usize,
    block_high: Vec<T>,
    block_low: Vec<T>,
    suffix_high: Vec<T>,
    suffix_high_seq: Vec<f64>,
    suffix_low: Vec<T>,
    suffix_low_seq: Vec<f64>,
    prefix_high: Vec<T>,
    prefix_high_seq: Vec<f64>,
    prefix_low: Vec<T>,
    prefix_low_seq: Vec<f64>,
    pos: usize,
    seq: u64,
    full: bool,
}

impl<T: Float> SwingLanes<T> {
    pub(crate) fn new(n: usize, len: usize) -> Self {
        let len = len.max(1);
        let m = len * n;
        SwingLanes {
            n,
            len,
            block_high: vec![T::zero(); m],
            block_low: vec![T::zero(); m],
            suffix_high: vec![T::neg_infinity(); m],
            suffix_high_seq: vec![0.0; m],
            suffix_low: vec![T::infinity(); m],
            suffix_low_seq: vec![0.0; m],
            prefix_high: vec![T::neg_infinity(); n],
            prefix_high_seq: vec![0.0; n],
            prefix_low: vec![T::infinity(); n],
            prefix_low_seq: vec![0.0; n],
            pos: 0,
            seq: 0,
            full: false,
        }
    }

    /// `apex::swing_step` for every symbol: the bar joins, then the swing's
    /// direction (`+1` up, `−1` down) and where `close` sits in it, `NaN`
    /// while filling or below `min_swing`.
    #[allow(clippy::too_many_arguments)] // the bar's three prices, the rule, two outputs
    #[inline(always)]
    pub(crate) fn step(
        &mut self,
        high: &[T],
        low: &[T],
        close: &[T],
        min_swing: T,
        direction: &mut [f64],
        retracement: &mut [f64],
    ) {
        let n = self.n;
        let (high, low, close) = (&high[..n], &low[..n], &close[..n]);
        let (direction, retracement) = (&mut direction[..n], &mut retracement[..n]);
        row_mut(&mut self.block_high, self.pos, n).copy_from_slice(high);
        row_mut(&mut self.block_low, self.pos, n).copy_from_slice(low);
        let s = self.seq as f64;
        {
            let (ph, phs) = (&mut self.prefix_high[..n], &mut self.prefix_high_seq[..n]);
            for i in 0..n {
                (ph[i], phs[i]) = newer_wins::<T, f64, true>((ph[i], phs[i]), (high[i], s));
            }
            let (pl, pls) = (&mut self.prefix_low[..n], &mut self.prefix_low_seq[..n]);
            for i in 0..n {
                (pl[i], pls[i]) = newer_wins::<T, f64, false>((pl[i], pls[i]), (low[i], s));
            }
        }
        self.seq += 1;
        self.pos += 1;
        if self.pos == self.len {
            self.close_block();
        }
        if !self.full {
            direction.fill(f64::NAN);
            retracement.fill(f64::NAN);
            return;
        }
        let p = self.pos;
        let (sh, shs) = (
            row(&self.suffix_high, p, n),
            row(&self.suffix_high_seq, p, n),
        );
        let (sl, sls) = (row(&self.suffix_low, p, n), row(&self.suffix_low_seq, p, n));
        let (ph, phs) = (&self.prefix_high[..n], &self.prefix_high_seq[..n]);
        let (pl, pls) = (&self.prefix_low[..n], &self.prefix_low_seq[..n]);
        for i in 0..n {
            let (h, hs) = newer_wins::<T, f64, true>((sh[i], shs[i]), (ph[i], phs[i]));
            let (l, ls) = newer_wins::<T, f64, false>((sl[i], sls[i]), (pl[i], pls[i]));
            // Up when the high's age ≤ the low's: its sequence number ≥ the
            // low's.
            (direction[i], retracement[i]) = swing_reading(h, l, hs >= ls, close[i], min_swing);
        }
    }

    /// As `RollingSwing::close_block`, a row at a time.
    fn close_block(&mut self) {
        let n = self.n;
        let last = (self.seq - 1) as f64;
        let (ph, phs) = (&mut self.prefix_high[..n], &mut self.prefix_high_seq[..n]);
        let (pl, pls) = (&mut self.prefix_low[..n], &mut self.prefix_low_seq[..n]);
        ph.fill(T::neg_infinity());
        phs.fill(0.0);
        pl.fill(T::infinity());
        pls.fill(0.0);
        for (age, k) in (0..self.len).rev().enumerate() {
            let s = last - age as f64;
            let (bh, bl) = (
                &row(&self.block_high, k, n)[..n],
                &row(&self.block_low, k, n)[..n],
            );
            let (sh, shs) = (
                &mut row_mut(&mut self.suffix_high, k, n)[..n],
                &mut row_mut(&mut self.suffix_high_seq, k, n)[..n],
            );
            for i in 0..n {
                (ph[i], phs[i]) = newer_wins::<T, f64, true>((bh[i], s), (ph[i], phs[i]));
                (sh[i], shs[i]) = (ph[i], phs[i]);
            }
            let (sl, sls) = (
                &mut row_mut(&mut self.suffix_low, k, n)[..n],
                &mut row_mut(&mut self.suffix_low_seq, k, n)[..n],
            );
            for i in 0..n {
                (pl[i], pls[i]) = newer_wins::<T, f64, false>((bl[i], s), (pl[i], pls[i]));
                (sl[i], sls[i]) = (pl[i], pls[i]);
            }
        }
        ph.fill(T::neg_infinity());
        phs.fill(0.0);
        pl.fill(T::infinity());
        pls.fill(0.0);
        self.pos = 0;
        self.full = true;
    }

    /// Symbol `i`'s window.
    pub(crate) fn extract(&self, i: usize) -> Option<RollingSwing<T>> {
        let n = self.n;
        let aged = |v: T, s: f64| -> Aged<T> { (v, s as u64) };
        let block = column(&self.block_high, i, n)
            .into_iter()
            .zip(column(&self.block_low, i, n))
            .collect();
        let highs =
            column(&self.suffix_high, i, n)
                .into_iter()
                .zip(column(&self.suffix_high_seq, i, n));
        let lows =
            column(&self.suffix_low, i, n)
                .into_iter()
                .zip(column(&self.suffix_low_seq, i, n));
        let suffix = highs
            .zip(lows)
            .map(|((h, hs), (l, ls))| (aged(h, hs), aged(l, ls)))
            .collect();
        let prefix = (
            aged(*self.prefix_high.get(i)?, *self.prefix_high_seq.get(i)?),
            aged(*self.prefix_low.get(i)?, *self.prefix_low_seq.get(i)?),
        );
        RollingSwing::from_parts(block, suffix, prefix, self.pos, self.seq, self.full)
    }
}

/// `Ring`s of one capacity for `n` symbols: one write position for all,
/// each symbol's own fill level (as `f64`, so the rows vectorise).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct RingLanes<T> {
    n: usize,
    cap: usize,
    buf: Vec<T>,
    head: usize,
    len: Vec<f64>,
}

impl<T: Float> RingLanes<T> {
    pub(crate) fn new(n: usize, cap: usize) -> Self {
        let cap = cap.max(1);
        RingLanes {
            n,
            cap,
            buf: vec![T::zero(); cap * n],
            head: 0,
            len: vec![0.0; n],
        }
    }

    /// Appends a row: symbol `i` pushes `x[i]` where `push[i]`, else its
    /// ring empties (`Ring::clear`).
    fn step(&mut self, x: &[T], push: Option<&[bool]>) {
        let n = self.n;
        let cap = self.cap as f64;
        row_mut(&mut self.buf, self.head, n).copy_from_slice(&x[..n]);
        let len = &mut self.len[..n];
        match push {
            None => len.iter_mut().for_each(|l| *l = l.filled(cap)),
            Some(push) => {
                for (l, &p) in len.iter_mut().zip(&push[..n]) {
                    *l = if p { l.filled(cap) } else { 0.0 };
                }
            }
        }
        self.head = ring_next(self.head, self.cap);
    }

    /// The row of the oldest values: the symbols' `Ring::oldest` where their
    /// fill level is the capacity.
    fn oldest(&self) -> &[T] {
        row(&self.buf, self.head, self.n)
    }

    /// Symbol `i`'s ring (the same values in the same order). A ring that
    /// is not full holds its values from slot 0 on, as a [`Ring`] cleared
    /// and refilled does (a symbol's yields empty on a missing yield while
    /// the shared write position goes on).
    fn extract(&self, i: usize) -> Option<Ring<T>> {
        let len = *self.len.get(i)? as usize;
        let buf = column(&self.buf, i, self.n);
        if len >= self.cap {
            return Ring::from_parts(buf, self.head, len);
        }
        let start = (self.head + self.cap - len) % self.cap;
        let mut held = vec![T::zero(); self.cap];
        for (k, slot) in held.iter_mut().take(len).enumerate() {
            *slot = *buf.get((start + k) % self.cap)?;
        }
        Ring::from_parts(held, len % self.cap, len)
    }
}

/// `RelativePerformance` for `n` symbols: the target's and the benchmark's
/// rings of the last `period + 1` closes.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct RelativeLanes<T> {
    target: RingLanes<T>,
    benchmark: RingLanes<T>,
}

impl<T: Float> RelativeLanes<T> {
    pub(crate) fn new(n: usize, period: usize) -> Self {
        RelativeLanes {
            target: RingLanes::new(n, period + 1),
            benchmark: RingLanes::new(n, period + 1),
        }
    }

    /// `apex::relative_step` for every symbol.
    #[inline(always)]
    pub(crate) fn step(&mut self, close: &[T], qqq: &[T], out: &mut [f64]) {
        let n = self.target.n;
        let full = self.target.cap as f64;
        let (close, qqq, out) = (&close[..n], &qqq[..n], &mut out[..n]);
        self.target.step(close, None);
        self.benchmark.step(qqq, None);
        let (a0, b0) = (&self.target.oldest()[..n], &self.benchmark.oldest()[..n]);
        // Both rings fill together: the target's fill level is both's.
        let len = &self.target.len[..n];
        for i in 0..n {
            let value = return_spread(close[i], a0[i], qqq[i], b0[i]);
            out[i] = if len[i] == full {
                finite_or_nan(value.to_f64())
            } else {
                f64::NAN
            };
        }
    }

    /// Symbol `i`'s window.
    pub(crate) fn extract(&self, i: usize) -> Option<RelativePerformance<T>> {
        RelativePerformance::from_rings(self.target.extract(i)?, self.benchmark.extract(i)?)
    }
}

/// `RelativeRatio` (the target/SPY ratio against its EMA) for `n` symbols:
/// one EMA value per symbol, and one warm-up count for all, since the
/// symbols in step have all taken the same bars.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct RatioLanes<T> {
    /// The period, α and the shared count; its own value is not used.
    ema: Smoother<T>,
    value: Vec<T>,
}

impl<T: Float> RatioLanes<T> {
    pub(crate) fn new(n: usize, period: usize) -> Self {
        RatioLanes {
            ema: Smoother::ema(period),
            value: vec![T::zero(); n],
        }
    }

    /// `apex::ratio_step` for every symbol: each column steps as its own
    /// `RelativeRatio` (the count is the same in every column, so the
    /// warm-up branch is the same for all and the loop vectorises).
    #[inline(always)]
    pub(crate) fn step(&mut self, close: &[T], spy: &[T], out: &mut [f64]) {
        let n = self.value.len();
        let (close, spy, out) = (&close[..n], &spy[..n], &mut out[..n]);
        let value = &mut self.value[..n];
        // A local copy: read through `self` inside the loop, the parameters
        // could alias `value` as far as the compiler knows, and the loop
        // would not vectorise (measured 2.7 → 0.7 ns per symbol).
        let ema = self.ema.clone();
        for i in 0..n {
            let mut ratio = RelativeRatio::from_ema(ema.with_value(value[i]));
            out[i] = ratio_step(&mut ratio, close[i], spy[i]);
            value[i] = ratio.ema().value;
        }
        self.ema.count_input();
    }

    /// Symbol `i`'s window.
    pub(crate) fn extract(&self, i: usize) -> Option<RelativeRatio<T>> {
        Some(RelativeRatio::from_ema(
            self.ema.with_value(*self.value.get(i)?),
        ))
    }
}

/// The 2-year yields of `n` symbols' bars: rings of the last `rates + 1`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct YieldLanes<T> {
    ring: RingLanes<T>,
}

impl<T: Float> YieldLanes<T> {
    pub(crate) fn new(n: usize, rates: usize) -> Self {
        YieldLanes {
            ring: RingLanes::new(n, rates + 1),
        }
    }

    /// `apex::yield_step` for every symbol: `y[i]` where `present[i]`, else
    /// the symbol's window empties.
    #[inline(always)]
    pub(crate) fn step(&mut self, y: &[T], present: &[bool], out: &mut [f64]) {
        let n = self.ring.n;
        let full = self.ring.cap as f64;
        let (y, out) = (&y[..n], &mut out[..n]);
        self.ring.step(y, Some(present));
        let (then, len) = (&self.ring.oldest()[..n], &self.ring.len[..n]);
        for i in 0..n {
            let change = yield_change(y[i], then[i]);
            out[i] = if len[i] == full { change } else { f64::NAN };
        }
    }

    /// Symbol `i`'s window.
    pub(crate) fn extract(&self, i: usize) -> Option<Ring<T>> {
        self.ring.extract(i)
    }
}

/// `VolumeZScore`'s rolling statistics for `n` symbols, for the ratio of
/// each volume to its window's mean (the APEX volume reading): the sums of
/// `crate::window::RollingStats` (deviations from an anchor, suffix rows of
/// the previous block's tail, running prefixes), one column per symbol. The
/// equal-run counter is not kept: a handed-over window recomputes it from
/// its values.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct VolumeLanes<T> {
    ring: RingLanes<T>,
    /// Each symbol's anchor slot and value.
    anchor_slot: Vec<usize>,
    anchor: Vec<T>,
    /// `cap × n`: Σd and Σd² over slots `k..cap` of the previous block
    /// (rows `k ≥ head`; 0 elsewhere).
    s1: Vec<T>,
    s2: Vec<T>,
    /// Σd and Σd² over rows `0..head`.
    p1: Vec<T>,
    p2: Vec<T>,
    inv_n: T,
}

impl<T: Float> VolumeLanes<T> {
    pub(crate) fn new(n: usize, period: usize) -> Self {
        let period = period.max(1);
        VolumeLanes {
            ring: RingLanes::new(n, period),
            anchor_slot: vec![0; n],
            anchor: vec![T::zero(); n],
            s1: vec![T::zero(); period * n],
            s2: vec![T::zero(); period * n],
            p1: vec![T::zero(); n],
            p2: vec![T::zero(); n],
            inv_n: T::one() / T::from_usize(period),
        }
    }

    /// `apex::volume_step` for every symbol: `RollingStats::push`, then
    /// volume over the window's mean once full (`NaN` before, or for a zero
    /// mean).
    #[inline(always)]
    pub(crate) fn step(&mut self, v: &[T], out: &mut [f64]) {
        let n = self.ring.n;
        let cap = self.ring.cap;
        let (v, out) = (&v[..n], &mut out[..n]);
        let full_before = self.ring.len.first().is_some_and(|&l| l == cap as f64);
        let empty = self.ring.len.first().is_some_and(|&l| l == 0.0);
        if empty {
            // The first value anchors (slot 0, where it is written).
            self.anchor_slot[..n].fill(self.ring.head);
            self.anchor[..n].copy_from_slice(v);
        }
        if full_before {
            // The row about to be overwritten leaves the previous block.
            row_mut(&mut self.s1, self.ring.head, n).fill(T::zero());
            row_mut(&mut self.s2, self.ring.head, n).fill(T::zero());
        }
        self.ring.step(v, None);
        {
            let (k, p1, p2) = (&self.anchor[..n], &mut self.p1[..n], &mut self.p2[..n]);
            for i in 0..n {
                (p1[i], p2[i]) = add_deviation((p1[i], p2[i]), v[i], k[i]);
            }
        }
        let head = self.ring.head;
        let inv_n = self.inv_n;
        if head == 0 {
            self.close_block();
        } else if full_before && long_window(cap) {
            for i in 0..n {
                let (t1, t2) = self.totals(i);
                if collapsed(t1, t2, inv_n) {
                    self.reanchor(i);
                }
            }
        }
        let full = self.ring.len.first().is_some_and(|&l| l == cap as f64);
        let (s1, p1, k) = (
            &row(&self.s1, self.ring.head, n)[..n],
            &self.p1[..n],
            &self.anchor[..n],
        );
        for i in 0..n {
            let mean = anchored_mean(k[i], s1[i] + p1[i], inv_n);
            let ratio = ratio_to_mean(v[i], mean).map_or(f64::NAN, Float::to_f64);
            out[i] = if full { ratio } else { f64::NAN };
        }
    }

    /// Symbol `i`'s Σd and Σd².
    #[inline(always)]
    fn totals(&self, i: usize) -> (T, T) {
        let (n, head) = (self.ring.n, self.ring.head);
        let s1 = row(&self.s1, head, n)
            .get(i)
            .copied()
            .unwrap_or_else(T::zero);
        let s2 = row(&self.s2, head, n)
            .get(i)
            .copied()
            .unwrap_or_else(T::zero);
        (s1 + self.p1[i], s2 + self.p2[i])
    }

    /// `RollingStats::close_block` for every symbol: anchor on the newest
    /// row, suffix sums of the whole block right to left, empty prefixes.
    fn close_block(&mut self) {
        let (n, cap) = (self.ring.n, self.ring.cap);
        let last = cap - 1;
        self.anchor_slot[..n].fill(last);
        self.anchor[..n].copy_from_slice(&row(&self.ring.buf, last, n)[..n]);
        self.p1[..n].fill(T::zero());
        self.p2[..n].fill(T::zero());
        let k = &self.anchor[..n];
        // Row r = row r + 1 with row r's deviations (the running sums,
        // right to left; the last row starts from 0), in place.
        for r in (0..cap).rev() {
            let x = &row(&self.ring.buf, r, n)[..n];
            let (this1, next1) = self.s1.split_at_mut((r + 1) * n);
            let (this2, next2) = self.s2.split_at_mut((r + 1) * n);
            let (this1, this2) = (&mut this1[r * n..], &mut this2[r * n..]);
            for i in 0..n {
                let acc = if r + 1 < cap {
                    (next1[i], next2[i])
                } else {
                    (T::zero(), T::zero())
                };
                (this1[i], this2[i]) = add_deviation(acc, x[i], k[i]);
            }
        }
    }

    /// `RollingStats::reanchor` for symbol `i`: the anchor nearest the mean
    /// (summed afresh, oldest first) among rows `0..head` then `cap − 1`,
    /// and its sums recomputed in `RollingStats::sums_from_anchor`'s order.
    fn reanchor(&mut self, i: usize) {
        let (n, cap, head) = (self.ring.n, self.ring.cap, self.ring.head);
        let buf = &self.ring.buf;
        let at = |r: usize| row(buf, r, n).get(i).copied().unwrap_or_else(T::zero);
        // Full: oldest first is rows head..cap, then 0..head.
        let sum = (head..cap).chain(0..head).fold(T::zero(), |a, r| a + at(r));
        let mean = sum * self.inv_n;
        let candidates = (0..head).chain(core::iter::once(cap - 1));
        let slot = nearest_slot(candidates.map(|r| (r, at(r))), mean, cap - 1);
        let k = at(slot);
        self.anchor_slot[i] = slot;
        self.anchor[i] = k;
        let mut acc = (T::zero(), T::zero());
        for r in (head..cap).rev() {
            acc = add_deviation(acc, at(r), k);
            row_mut(&mut self.s1, r, n)[i] = acc.0;
            row_mut(&mut self.s2, r, n)[i] = acc.1;
        }
        (self.p1[i], self.p2[i]) = (0..head).fold((T::zero(), T::zero()), |acc, r| {
            add_deviation(acc, at(r), k)
        });
    }

    /// Symbol `i`'s window.
    pub(crate) fn extract(&self, i: usize) -> Option<crate::VolumeZScore<T>> {
        let stats = crate::window::RollingStats::from_ring(
            self.ring.extract(i)?,
            *self.anchor_slot.get(i)?,
        )
        .ok()?;
        Some(crate::VolumeZScore::from_stats(stats))
    }
}
