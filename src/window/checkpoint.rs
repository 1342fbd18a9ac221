//! Checkpoints of the block windows behind the APEX score: [`RollingRange`]
//! and [`RollingSwing`].
//!
//! Their running prefix starts each block at ±∞, which text formats cannot
//! hold, and is a fold of the block so far: it is not saved but recomputed
//! on restore. The suffix extremes are saved once a block has completed
//! (before that they are unused and empty) and checked against the values
//! they summarise. So a restored window is exactly the saved one, and a
//! corrupted one is an error.

use alloc::vec;
use alloc::vec::Vec;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, Serializer};

use super::{range_merge, state_ok, Aged, Extremes, RollingRange, RollingSwing, MAX_SEQ};
use crate::{Float, Result};

/// The (max, min) of `values` from (−∞, +∞), in order: how the running
/// prefix and the suffixes are built.
fn range_of<T: Float>(values: &[T]) -> (T, T) {
    values
        .iter()
        .fold((T::neg_infinity(), T::infinity()), |acc, &x| {
            range_merge(acc, (x, x))
        })
}

/// `(high, low)` of `block[from..]` with the sequence numbers `first + k`
/// of positions `k`, built from the end as `close_block` builds a suffix.
fn swing_suffix<T: Float>(block: &[(T, T)], from: usize, first: u64) -> Extremes<T> {
    let mut acc = Extremes::empty();
    for (k, &(high, low)) in block.iter().enumerate().skip(from).rev() {
        let seq = first + k as u64;
        acc = Extremes {
            high: (high, seq),
            low: (low, seq),
        }
        .then(acc);
    }
    acc
}

/// `(high, low)` of `block[..pos]` from empty, in order, as `push` builds
/// the running prefix.
fn swing_prefix<T: Float>(block: &[(T, T)], pos: usize, first: u64) -> Extremes<T> {
    block
        .iter()
        .take(pos)
        .zip(first..)
        .fold(Extremes::empty(), |acc, (&(high, low), seq)| {
            acc.then(Extremes {
                high: (high, seq),
                low: (low, seq),
            })
        })
}

impl<T: Float> RollingRange<T> {
    /// The window a checkpoint describes: `block`, `suffix` (empty unless
    /// `full`), `pos`; the prefix is recomputed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidState`](crate::Error::InvalidState) unless the parts
    /// are a state this window reaches: sizes and position in range, finite
    /// values, an untouched tail while the first block fills, and each
    /// suffix still ahead of the position equal to the extremes of the
    /// values it summarises.
    pub(crate) fn restore(
        block: Vec<T>,
        suffix: Vec<(T, T)>,
        pos: usize,
        full: bool,
    ) -> Result<Self> {
        let n = block.len();
        state_ok(n > 0 && pos < n, "window range position out of range")?;
        state_ok(
            block.iter().all(|x| x.is_finite()),
            "non-finite value in window range",
        )?;
        let suffix = if full {
            state_ok(suffix.len() == n, "window range suffix length wrong")?;
            state_ok(
                suffix
                    .iter()
                    .all(|&(hi, lo)| hi.is_finite() && lo.is_finite() && hi >= lo),
                "window range suffix values invalid",
            )?;
            // The suffixes from `pos` on are read before the next block
            // completes: each must be the range of its part of the block.
            let tail = block.get(pos..).unwrap_or(&[]);
            let ok = (0..tail.len()).all(|k| {
                let (hi, lo) = range_of(tail.get(k..).unwrap_or(&[]));
                suffix.get(pos + k) == Some(&(hi, lo))
            });
            state_ok(ok, "window range suffix inconsistent with its values")?;
            suffix
        } else {
            state_ok(suffix.is_empty(), "window range suffix before a full block")?;
            state_ok(
                block.iter().skip(pos).all(|&x| x == T::zero()),
                "window range values ahead of its position",
            )?;
            vec![(T::zero(), T::zero()); n]
        };
        let prefix = range_of(block.get(..pos).unwrap_or(&[]));
        Ok(RollingRange {
            block,
            suffix,
            prefix,
            pos,
            full,
        })
    }
}

impl<T: Float + Serialize> Serialize for RollingRange<T> {
    /// `{"block", "suffix", "pos", "full"}`; `suffix` empty until a block
    /// has completed.
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let suffix: &[(T, T)] = if self.full { &self.suffix } else { &[] };
        let mut st = s.serialize_struct("RollingRange", 4)?;
        st.serialize_field("block", &self.block)?;
        st.serialize_field("suffix", suffix)?;
        st.serialize_field("pos", &self.pos)?;
        st.serialize_field("full", &self.full)?;
        st.end()
    }
}

impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for RollingRange<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename = "RollingRange")]
        struct Repr<T> {
            block: Vec<T>,
            suffix: Vec<(T, T)>,
            pos: usize,
            full: bool,
        }
        let Repr {
            block,
            suffix,
            pos,
            full,
        } = Repr::deserialize(d)?;
        Self::restore(block, suffix, pos, full).map_err(D::Error::custom)
    }
}

impl<T: Float> RollingSwing<T> {
    /// The window a checkpoint describes: `block`, `suffix` (empty unless
    /// `full`), `pos`, `seq`; the prefix is recomputed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidState`](crate::Error::InvalidState) unless the parts
    /// are a state this window reaches (as [`RollingRange::restore`], with
    /// the position and fullness following from the count and the
    /// suffixes' sequence numbers from their positions).
    pub(crate) fn restore(
        block: Vec<(T, T)>,
        suffix: Vec<(Aged<T>, Aged<T>)>,
        pos: usize,
        seq: u64,
        full: bool,
    ) -> Result<Self> {
        let n = block.len();
        state_ok(n > 0 && pos < n, "window swing position out of range")?;
        state_ok(seq <= MAX_SEQ, "window swing count out of range")?;
        state_ok(
            seq % n as u64 == pos as u64 && full == (seq >= n as u64),
            "window swing position inconsistent with its count",
        )?;
        state_ok(
            block.iter().all(|(h, l)| h.is_finite() && l.is_finite()),
            "non-finite value in window swing",
        )?;
        // The current block began at `start`; the previous one at
        // `start − n`.
        let start = seq - pos as u64;
        let suffix = if full {
            state_ok(suffix.len() == n, "window swing suffix length wrong")?;
            // Every suffix was built when the previous block completed:
            // suffix `i` from its positions `i..n`.
            let first = start - n as u64;
            state_ok(
                suffix
                    .iter()
                    .zip(first..)
                    .all(|(&((h, hs), (l, ls)), from)| {
                        let built = from..start;
                        h.is_finite() && l.is_finite() && built.contains(&hs) && built.contains(&ls)
                    }),
                "window swing suffix values invalid",
            )?;
            let ok = (pos..n).all(|i| {
                let want = swing_suffix(&block, i, first);
                suffix.get(i) == Some(&(want.high, want.low))
            });
            state_ok(ok, "window swing suffix inconsistent with its values")?;
            suffix
                .into_iter()
                .map(|(high, low)| Extremes { high, low })
                .collect()
        } else {
            state_ok(suffix.is_empty(), "window swing suffix before a full block")?;
            state_ok(
                block
                    .iter()
                    .skip(pos)
                    .all(|&(h, l)| h == T::zero() && l == T::zero()),
                "window swing values ahead of its position",
            )?;
            vec![Extremes::empty(); n]
        };
        let prefix = swing_prefix(&block, pos, start);
        Ok(RollingSwing {
            block,
            suffix,
            prefix,
            pos,
            seq,
            full,
        })
    }
}

impl<T: Float + Serialize> Serialize for RollingSwing<T> {
    /// `{"block", "suffix", "pos", "seq", "full"}`: `block` the (high, low)
    /// pairs, `suffix` ((high, seq), (low, seq)) pairs, empty until a block
    /// has completed.
    fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let suffix: Vec<(Aged<T>, Aged<T>)> = if self.full {
            self.suffix.iter().map(|e| (e.high, e.low)).collect()
        } else {
            Vec::new()
        };
        let mut st = s.serialize_struct("RollingSwing", 5)?;
        st.serialize_field("block", &self.block)?;
        st.serialize_field("suffix", &suffix)?;
        st.serialize_field("pos", &self.pos)?;
        st.serialize_field("seq", &self.seq)?;
        st.serialize_field("full", &self.full)?;
        st.end()
    }
}

impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for RollingSwing<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename = "RollingSwing")]
        struct Repr<T> {
            block: Vec<(T, T)>,
            suffix: Vec<(Aged<T>, Aged<T>)>,
            pos: usize,
            seq: u64,
            full: bool,
        }
        let Repr {
            block,
            suffix,
            pos,
            seq,
            full,
        } = Repr::deserialize(d)?;
        Self::restore(block, suffix, pos, seq, full).map_err(D::Error::custom)
    }
}

impl<T: Float> RollingRange<T> {
    /// The window's length n.
    pub(crate) fn capacity(&self) -> usize {
        self.block.len()
    }
    /// The position in the block of the next value, and whether a block
    /// has completed.
    pub(crate) fn position(&self) -> (usize, bool) {
        (self.pos, self.full)
    }
}

impl<T: Float> RollingSwing<T> {
    /// The window's length n.
    pub(crate) fn capacity(&self) -> usize {
        self.block.len()
    }
    /// Bars pushed since the window was made or cleared.
    pub(crate) fn count(&self) -> u64 {
        self.seq
    }
}

impl<T: Float> RollingRange<T> {
    /// The parts a checkpoint saves (see [`RollingRange::restore`]).
    pub(crate) fn parts(&self) -> (Vec<T>, Vec<(T, T)>, usize, bool) {
        let suffix = if self.full {
            self.suffix.clone()
        } else {
            Vec::new()
        };
        (self.block.clone(), suffix, self.pos, self.full)
    }
}

impl<T: Float> RollingSwing<T> {
    /// The parts a checkpoint saves (see [`RollingSwing::restore`]).
    #[allow(clippy::type_complexity)] // the checkpoint's own shape
    pub(crate) fn parts(&self) -> (Vec<(T, T)>, Vec<(Aged<T>, Aged<T>)>, usize, u64, bool) {
        let suffix = if self.full {
            self.suffix.iter().map(|e| (e.high, e.low)).collect()
        } else {
            Vec::new()
        };
        (self.block.clone(), suffix, self.pos, self.seq, self.full)
    }
}
