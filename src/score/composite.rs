//! The weighted composite: sub-scores in, one explainable 0–100 score out.

use core::fmt;

use super::scorer::{check_weight, contribution, LabelThresholds, Score, MAX_COMPONENTS, NEUTRAL};
#[cfg(feature = "serde")]
use super::scorer::{resolve_names, Names};
use crate::float::pick;
use crate::{Error, Result};

/// Combines named, weighted sub-scores in [−1, +1] into a [`Score`].
///
/// Stateless and `Copy`-cheap to call: a scorer holds one and hands it each
/// bar's sub-scores. Only the signals that are **ready** (`Some` and finite)
/// count; their weights are renormalised, so a missing signal neither pulls
/// the score towards 50 nor towards anything else.
///
/// # Formula
///
/// ```text
/// R      = the ready signals (sub-score Some and finite), sᵢ clamped to [−1, 1]
/// W      = Σ_{i∈R} wᵢ
/// cᵢ     = 50 · wᵢ · sᵢ / W           (contribution, score points; 0 if not ready)
/// score  = 50 + Σ cᵢ                   clamped to [0, 100] against rounding
/// ```
///
/// If every ready signal has weight 0 (W = 0) the score is 50 with zero
/// contributions. If fewer than [`min_ready`](Composite::with_min_ready)
/// signals are ready, there is no score (`None`).
///
/// # Properties
///
/// * the score is in [0, 100] and never NaN, whatever the inputs;
/// * contributions add up to `score − 50`;
/// * raising one ready sub-score with a positive weight never lowers the
///   score (monotone), and the weights' scale does not matter.
///
/// # Examples
///
/// ```
/// use apex_ta::score::Composite;
/// # fn main() -> apex_ta::Result<()> {
/// let c = Composite::new(&["a", "b"], &[1.0, 3.0])?;
/// let s = c.combine(&[Some(1.0), Some(0.0)]).expect("ready");
/// assert_eq!(s.value(), 62.5); // 50 + 50·(1·1 + 3·0)/4
/// let s = c.combine(&[Some(1.0), None]).expect("one is enough by default");
/// assert_eq!(s.value(), 100.0); // renormalised over `a` alone
/// assert_eq!(s.coverage(), 0.5);
/// assert!(c.combine(&[None, None]).is_none());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects an empty list, more than [`MAX_COMPONENTS`] signals, a
/// weight count different from the name count, a weight that is neither 0
/// nor in [`MIN_WEIGHT`](crate::score::MIN_WEIGHT)`..=`[`MAX_WEIGHT`](crate::score::MAX_WEIGHT) (negative, non-finite, or so
/// small that renormalising by it would overflow), and weights that are all
/// zero.
///
/// # Checkpoints
///
/// With the `serde` feature a composite serialises as its names, weights,
/// `min_ready` and label thresholds, and deserialises through the same
/// checks as [`new`](Composite::new), [`with_min_ready`](Composite::with_min_ready)
/// and [`with_labels`](Composite::with_labels): a corrupted file is an
/// error, never a composite that misbehaves. Weights are floats: use a
/// format that round-trips them exactly (postcard, bincode, or
/// `serde_json` with its `float_roundtrip` feature).
///
/// The names are `&'static str`s, kept so on purpose: a [`Score`] carries
/// them without copying (it stays a small `Copy` value and
/// [`Component::name`](super::Component::name) a `&'static str`), which
/// owned strings would cost on every `combine`. So a restored composite
/// must point at a name list the program has: plain `Deserialize` accepts
/// the crate's own scorers' names ([`APEX_SIGNALS`](super::APEX_SIGNALS));
/// for your own, [`Composite::deserialize_with_names`] takes the list the
/// saved names must equal.
#[derive(Debug, Clone, PartialEq)]
pub struct Composite {
    names: &'static [&'static str],
    weights: [f64; MAX_COMPONENTS],
    len: usize,
    min_ready: usize,
    labels: LabelThresholds,
}

impl Composite {
    /// A composite of the signals `names` with `weights` (one each, same
    /// order).
    ///
    /// Names are `&'static str`s so that a [`Score`] can carry them without
    /// copying; a literal such as `&["rsi", "macd"]` is `'static`.
    ///
    /// Needs one ready signal to produce a score, labels by
    /// [`LabelThresholds::default`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for no names, more than
    /// [`MAX_COMPONENTS`], a different number of weights, a weight that is
    /// neither 0 nor in [`MIN_WEIGHT`](crate::score::MIN_WEIGHT)`..=`[`MAX_WEIGHT`](crate::score::MAX_WEIGHT), or weights that
    /// sum to zero.
    pub fn new(names: &'static [&'static str], weights: &[f64]) -> Result<Self> {
        if names.is_empty() || names.len() > MAX_COMPONENTS {
            return Err(Error::InvalidParameter {
                name: "names",
                value: names.len() as f64,
                reason: "need between 1 and MAX_COMPONENTS (12) signals",
            });
        }
        if weights.len() != names.len() {
            return Err(Error::InvalidParameter {
                name: "weights",
                value: weights.len() as f64,
                reason: "need exactly one weight per signal name",
            });
        }
        let mut stored = [0.0; MAX_COMPONENTS];
        let mut total = 0.0;
        for (slot, &w) in stored.iter_mut().zip(weights) {
            *slot = check_weight("weight", w)?;
            total += w;
        }
        if total <= 0.0 || !total.is_finite() {
            return Err(Error::InvalidParameter {
                name: "weight",
                value: total,
                reason: "the weights must sum to a positive, finite number",
            });
        }
        Ok(Composite {
            names,
            weights: stored,
            len: names.len(),
            min_ready: 1,
            labels: LabelThresholds::default(),
        })
    }

    /// A composite from parts the caller has validated (the default APEX
    /// configuration, checked by a unit test).
    pub(crate) fn unchecked(
        names: &'static [&'static str],
        weights: &[f64],
        min_ready: usize,
        labels: LabelThresholds,
    ) -> Self {
        let mut stored = [0.0; MAX_COMPONENTS];
        for (slot, &w) in stored.iter_mut().zip(weights) {
            *slot = w;
        }
        Composite {
            names,
            weights: stored,
            len: names.len().min(weights.len()).min(MAX_COMPONENTS),
            min_ready,
            labels,
        }
    }

    /// Requires at least `n` ready signals for a score (default 1).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] unless `1 ≤ n ≤` the number of signals.
    pub fn with_min_ready(mut self, n: usize) -> Result<Self> {
        if n == 0 || n > self.len {
            return Err(Error::InvalidParameter {
                name: "min_ready",
                value: n as f64,
                reason: "must be between 1 and the number of signals",
            });
        }
        self.min_ready = n;
        Ok(self)
    }

    /// Uses `labels` for the score's [`Label`](super::Label).
    ///
    /// # Errors
    ///
    /// As [`LabelThresholds::validate`].
    pub fn with_labels(mut self, labels: LabelThresholds) -> Result<Self> {
        labels.validate()?;
        self.labels = labels;
        Ok(self)
    }

    /// Number of signals.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Always `false`: a composite has at least one signal.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The signals' names, in order.
    pub fn names(&self) -> &'static [&'static str] {
        self.names
    }
    /// The signals' weights, in order.
    pub fn weights(&self) -> &[f64] {
        self.weights.get(..self.len).unwrap_or(&[])
    }
    /// Ready signals needed for a score.
    pub fn min_ready(&self) -> usize {
        self.min_ready
    }
    /// The label thresholds.
    pub fn labels(&self) -> &LabelThresholds {
        &self.labels
    }

    /// Combines one bar's sub-scores, given in the composite's order.
    ///
    /// `None` or a non-finite value means "not ready"; finite values are
    /// clamped to [−1, 1]. Entries beyond the composite's length are ignored;
    /// missing entries count as not ready. Returns `None` when fewer than
    /// [`min_ready`](Composite::min_ready) signals are ready.
    #[inline]
    pub fn combine(&self, sub_scores: &[Option<f64>]) -> Option<Score> {
        let n = self.len.min(MAX_COMPONENTS);
        let weights = self.weights.get(..n).unwrap_or(&[]);
        let mut subs = [0.0; MAX_COMPONENTS];
        let mut ready_mask = 0u16;
        let mut ready = 0u8;
        let mut total_weight = 0.0;
        let mut bit = 1u16;
        // At most n ≤ MAX_COMPONENTS ≤ 16 signals: `bit` never overflows.
        for ((slot, &w), s) in subs.iter_mut().zip(weights).zip(sub_scores) {
            if let Some(x) = *s {
                if x.is_finite() {
                    *slot = x.clamp(-1.0, 1.0);
                    ready_mask |= bit;
                    ready += 1;
                    total_weight += w;
                }
            }
            bit <<= 1;
        }
        self.finish(n, weights.len(), subs, ready_mask, ready, total_weight)
    }

    /// [`combine`](Composite::combine) for a fixed number of sub-scores, each
    /// `NaN` (not ready) or in [−1, 1] (what every signal's `score_lane`
    /// returns, and so the APEX kernel's eight): the finiteness test and the
    /// clamp would change nothing, so they are skipped. Same values, bit for
    /// bit. (The branches on readiness are predictable for one symbol's
    /// stream; the universe form's loop takes [`lane_value`] instead.)
    #[inline]
    pub(crate) fn combine_lanes<const N: usize>(&self, sub_scores: &[f64; N]) -> Option<Score> {
        let n = self.len.min(MAX_COMPONENTS);
        // Bits 0..n: the composite's signals (n ≤ MAX_COMPONENTS ≤ 16).
        let in_range = u16::try_from((1u32 << n) - 1).unwrap_or(u16::MAX);
        let mut subs = [0.0; MAX_COMPONENTS];
        let mut ready_mask = 0u16;
        let mut ready = 0u8;
        let mut total_weight = 0.0;
        let mut bit = 1u16;
        for ((slot, &w), &x) in subs.iter_mut().zip(&self.weights).zip(sub_scores) {
            debug_assert!(
                x.is_nan() || (-1.0..=1.0).contains(&x),
                "sub-score {x} not in [-1, 1]"
            );
            if !x.is_nan() && in_range & bit != 0 {
                *slot = x;
                ready_mask |= bit;
                ready += 1;
                total_weight += w;
            }
            bit <<= 1;
        }
        self.finish(n, N, subs, ready_mask, ready, total_weight)
    }

    /// The shared end of [`combine`](Composite::combine) and
    /// [`combine_lanes`](Composite::combine_lanes): the ready signals'
    /// weighted lean (over the first `slots` slots, in order), the value and
    /// the label. `None` below [`min_ready`](Composite::min_ready).
    #[inline]
    fn finish(
        &self,
        n: usize,
        slots: usize,
        subs: [f64; MAX_COMPONENTS],
        ready_mask: u16,
        ready: u8,
        total_weight: f64,
    ) -> Option<Score> {
        if usize::from(ready) < self.min_ready {
            return None;
        }
        let scale = scale_for(total_weight);
        let mut lean = 0.0;
        let mut bit = 1u16;
        for (&s, &w) in subs.iter().zip(&self.weights).take(slots) {
            if ready_mask & bit != 0 {
                lean += contribution(scale, w, s);
            }
            bit <<= 1;
        }
        let value = value_for(lean);
        Some(Score {
            value,
            scale,
            names: self.names,
            subs,
            weights: self.weights,
            ready_mask,
            // n ≤ MAX_COMPONENTS ≤ 16
            len: u8::try_from(n).unwrap_or(u8::MAX),
            ready,
            label: self.labels.label_ordered(value),
        })
    }
}

/// `50 / Σ(ready weights)`, 0 when that sum is 0.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised loop
fn scale_for(total_weight: f64) -> f64 {
    pick(total_weight > 0.0, NEUTRAL / total_weight, 0.0)
}

/// The score of a lean (the sum of the contributions): `50 + lean`, within
/// [0, 100].
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised loop
fn value_for(lean: f64) -> f64 {
    (NEUTRAL + lean).clamp(0.0, 100.0)
}

/// [`Composite::combine_lanes`]'s value alone, for `N` weights (the
/// composite's, copied so that a loop over symbols keeps them in
/// registers), `min_ready` and sub-scores (`NaN` = not ready): branch-free
/// for the APEX universe's loop across symbols, bit for bit. A slot that is
/// not ready adds `+0.0` to the weight sum and to the lean, which leaves
/// both as skipping it does (both start at `+0.0`, weights and the scale
/// are `≥ 0`, and such a sum is never `−0.0`). `NaN` below `min_ready`.
#[inline(always)]
#[allow(clippy::inline_always)] // inside the APEX universe's vectorised loop
pub(crate) fn lane_value<const N: usize>(
    weights: &[f64; N],
    min_ready: f64,
    subs: &[f64; N],
) -> f64 {
    let mut ready = 0.0;
    let mut total_weight = 0.0;
    for (&s, &w) in subs.iter().zip(weights) {
        ready += pick(s.is_nan(), 0.0, 1.0);
        total_weight += pick(s.is_nan(), 0.0, w);
    }
    let scale = scale_for(total_weight);
    let mut lean = 0.0;
    for (&s, &w) in subs.iter().zip(weights) {
        lean += contribution(scale, w, pick(s.is_nan(), 0.0, s));
    }
    pick(ready >= min_ready, value_for(lean), f64::NAN)
}

#[cfg(feature = "serde")]
impl serde::Serialize for Composite {
    /// `{"names", "weights", "min_ready", "labels"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Composite", 4)?;
        st.serialize_field("names", self.names())?;
        st.serialize_field("weights", self.weights())?;
        st.serialize_field("min_ready", &self.min_ready)?;
        st.serialize_field("labels", &self.labels)?;
        st.end()
    }
}

/// A [`Composite`] as saved.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(rename = "Composite")]
struct SavedComposite {
    names: alloc::vec::Vec<alloc::string::String>,
    weights: alloc::vec::Vec<f64>,
    min_ready: usize,
    labels: LabelThresholds,
}

#[cfg(feature = "serde")]
impl Composite {
    /// Restores a composite saved with `Serialize` whose names are `names`
    /// (in order), which it then shares; see "Checkpoints".
    ///
    /// # Errors
    ///
    /// The deserializer's error, or (as a custom error)
    /// [`Error::InvalidState`] if the saved names differ from `names`, or
    /// [`Error::InvalidParameter`] for weights, `min_ready` or labels that
    /// [`new`](Composite::new) and its builders reject.
    pub fn deserialize_with_names<'de, D: serde::Deserializer<'de>>(
        names: &'static [&'static str],
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        Self::restore(deserializer, Names::Given(names))
    }

    /// Restores a composite whose names are resolved by `names`.
    pub(crate) fn restore<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        names: Names,
    ) -> core::result::Result<Self, D::Error> {
        use serde::de::{Deserialize, Error as _};
        let saved = SavedComposite::deserialize(deserializer)?;
        let build = || -> Result<Self> {
            let names = resolve_names(&saved.names, names)?;
            Composite::new(names, &saved.weights)?
                .with_min_ready(saved.min_ready)?
                .with_labels(saved.labels)
        };
        build().map_err(D::Error::custom)
    }
}

impl fmt::Display for Composite {
    /// `COMPOSITE(rsi 0.15, macd 0.12, …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("COMPOSITE(")?;
        for (i, (n, w)) in self.names().iter().zip(self.weights()).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{n} {w}")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::score::Label;

    #[test]
    fn contributions_sum_to_lean_and_renormalise() {
        let c = Composite::new(&["a", "b", "c"], &[1.0, 2.0, 0.0]).unwrap();
        let s = c.combine(&[Some(0.5), Some(-1.0), Some(1.0)]).unwrap();
        let sum: f64 = s.components().map(|c| c.contribution).sum();
        assert!((s.value() - 50.0 - sum).abs() < 1e-12);
        assert!((s.value() - (50.0 + 50.0 * (0.5 - 2.0) / 3.0)).abs() < 1e-12);
        assert_eq!(s.get(2).unwrap().contribution, 0.0);
        // only the zero-weight signal ready: neutral, not NaN
        let s = c.combine(&[None, None, Some(1.0)]).unwrap();
        assert_eq!(s.value(), 50.0);
        assert_eq!(s.label(), Label::Neutral);
    }

    #[test]
    fn rejects_bad_weights_and_sizes() {
        static MANY: [&str; MAX_COMPONENTS + 1] = ["x"; MAX_COMPONENTS + 1];
        assert!(Composite::new(&[], &[]).is_err());
        assert!(Composite::new(&["a"], &[-1.0]).is_err());
        assert!(Composite::new(&["a"], &[f64::NAN]).is_err());
        assert!(Composite::new(&["a"], &[1.0, 1.0]).is_err());
        assert!(Composite::new(&["a", "b"], &[0.0, 0.0]).is_err());
        assert!(Composite::new(&["a", "b"], &[f64::MAX, f64::MAX]).is_err());
        let w = [1.0; MAX_COMPONENTS + 1];
        assert!(Composite::new(&MANY, &w).is_err());
        assert!(Composite::new(&MANY[..MAX_COMPONENTS], &w[..MAX_COMPONENTS]).is_ok());
        let c = Composite::new(&["a"], &[1.0]).unwrap();
        assert!(c.clone().with_min_ready(0).is_err());
        assert!(c.clone().with_min_ready(2).is_err());
    }

    #[test]
    fn nan_and_out_of_range_sub_scores_are_tamed() {
        let c = Composite::new(&["a", "b"], &[1.0, 1.0]).unwrap();
        let s = c.combine(&[Some(f64::NAN), Some(7.0)]).unwrap();
        assert_eq!(s.ready(), 1);
        assert_eq!(s.value(), 100.0);
        assert_eq!(s.get(1).unwrap().sub_score, Some(1.0));
        assert_eq!(s.get(0).unwrap().sub_score, None);
        assert_eq!(s.get(2), None);
    }

    #[test]
    fn ranked_orders_by_absolute_contribution() {
        let c = Composite::new(&["a", "b", "c", "d"], &[1.0; 4]).unwrap();
        let s = c
            .combine(&[Some(0.1), None, Some(-0.9), Some(0.5)])
            .unwrap();
        let names: alloc::vec::Vec<_> = s.ranked().map(|c| c.name).collect();
        assert_eq!(names, ["c", "d", "a", "b"]);
    }
}
