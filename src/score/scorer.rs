//! The [`Scorer`] trait and the explainable [`Score`] it yields.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use crate::error::BatchError;
use crate::{Error, Result};

/// Most components a [`Score`] (and so a [`Composite`](super::Composite)) can
/// carry.
///
/// Fixed so that a `Score` is a small `Copy` value with its components inline:
/// producing one never allocates.
pub const MAX_COMPONENTS: usize = 12;

// The ready set is a `u16` bit mask and indices fit a `u8`.
const _: () = assert!(MAX_COMPONENTS <= 16);

/// The neutral score: no signal leans either way.
pub const NEUTRAL: f64 = 50.0;

/// Anything that turns a stream of inputs into explainable 0–100 scores.
///
/// The contract is the [`Indicator`](crate::Indicator) contract, for scores:
///
/// * `update` returns `Ok(None)` while too few of the scorer's signals are
///   ready to say anything, then `Ok(Some(score))`.
/// * On `Err`, the state is exactly as before the call: a rejected input is
///   as if it had never been fed.
/// * `update` does not allocate ([`Score`] is `Copy`, its components inline).
/// * The trait is object-safe: `Box<dyn Scorer<Input = MarketBar>>` works, and
///   so do `&mut S` and `Box<S>`.
///
/// The crate's [`ApexScorer`](super::ApexScorer) is one implementation; the
/// [module docs](super) show how to write your own in a few lines with
/// [signals](super::RsiSignal) and a [`Composite`](super::Composite).
pub trait Scorer {
    /// What one update consumes (a close, a [`Bar`](crate::Bar), a
    /// [`MarketBar`](super::MarketBar), …).
    type Input;

    /// Feeds one input; `Ok(None)` while warming up.
    ///
    /// # Errors
    ///
    /// An invalid input (non-finite, inconsistent bar, out-of-order
    /// timestamp, …); the state is then unchanged.
    fn update(&mut self, input: Self::Input) -> Result<Option<Score>>;

    /// Back to the freshly constructed state (same parameters).
    fn reset(&mut self);

    /// Whether the last accepted `update` produced a score.
    fn is_ready(&self) -> bool;

    /// Scores a slice of inputs, one entry per input (`None` during warm-up),
    /// exactly what streaming gives. Continues from the current state.
    ///
    /// # Errors
    ///
    /// The first rejected input, with its index. Inputs before it have been
    /// consumed.
    fn batch(&mut self, inputs: &[Self::Input]) -> Result<Vec<Option<Score>>, BatchError>
    where
        Self: Sized,
        Self::Input: Clone,
    {
        let mut out = Vec::with_capacity(inputs.len());
        for (index, x) in inputs.iter().enumerate() {
            out.push(
                self.update(x.clone())
                    .map_err(|error| BatchError { index, error })?,
            );
        }
        Ok(out)
    }
}

impl<S: Scorer + ?Sized> Scorer for &mut S {
    type Input = S::Input;
    #[inline]
    fn update(&mut self, input: Self::Input) -> Result<Option<Score>> {
        (**self).update(input)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn is_ready(&self) -> bool {
        (**self).is_ready()
    }
}

impl<S: Scorer + ?Sized> Scorer for Box<S> {
    type Input = S::Input;
    #[inline]
    fn update(&mut self, input: Self::Input) -> Result<Option<Score>> {
        (**self).update(input)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn is_ready(&self) -> bool {
        (**self).is_ready()
    }
}

/// One signal's part in a [`Score`] (built on access by
/// [`Score::components`], [`Score::get`], [`Score::ranked`]).
///
/// `contribution` is in score points: the components' contributions add up to
/// `score − 50`. A signal that was not ready has `sub_score: None` and
/// contributes 0; its weight is then left out of the normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Component {
    /// The signal's name (`"rsi"`, `"vs_spy"`, …).
    pub name: &'static str,
    /// The signal's reading in [−1, +1] (bearish … bullish), `None` when not
    /// ready.
    pub sub_score: Option<f64>,
    /// The signal's configured weight (≥ 0), before renormalisation.
    pub weight: f64,
    /// Score points this signal adds (+) or removes (−):
    /// `50 · weight · sub_score / Σ(weights of the ready signals)`.
    pub contribution: f64,
}

impl Component {
    /// Whether the signal had a reading.
    pub fn is_ready(&self) -> bool {
        self.sub_score.is_some()
    }
}

/// The verdict attached to a [`Score`], from [`LabelThresholds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Label {
    /// At or below `strong_sell`.
    StrongSell,
    /// At or below `sell`.
    Sell,
    /// Strictly between `sell` and `buy`.
    Neutral,
    /// At or above `buy`.
    Buy,
    /// At or above `strong_buy`.
    StrongBuy,
}

impl Label {
    /// Lower-case words: `"strong sell"`, `"sell"`, `"neutral"`, `"buy"`,
    /// `"strong buy"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Label::StrongSell => "strong sell",
            Label::Sell => "sell",
            Label::Neutral => "neutral",
            Label::Buy => "buy",
            Label::StrongBuy => "strong buy",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where the [`Label`]s begin on the 0–100 scale.
///
/// `score ≥ strong_buy` → strong buy, `≥ buy` → buy, `≤ strong_sell` →
/// strong sell, `≤ sell` → sell, anything strictly between `sell` and `buy`
/// → neutral.
///
/// Valid when `0 ≤ strong_sell ≤ sell < 50 < buy ≤ strong_buy ≤ 100`, so the
/// neutral score 50 is always labelled neutral.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LabelThresholds {
    /// Strong buy from here up (default 70).
    pub strong_buy: f64,
    /// Buy from here up (default 57).
    pub buy: f64,
    /// Sell from here down (default 43).
    pub sell: f64,
    /// Strong sell from here down (default 30).
    pub strong_sell: f64,
}
validated_deserialize!(LabelThresholds {
    strong_buy: f64,
    buy: f64,
    sell: f64,
    strong_sell: f64,
});

impl Default for LabelThresholds {
    /// 70 / 57 / 43 / 30: a band of ±7 points around neutral, strong beyond
    /// ±20.
    fn default() -> Self {
        LabelThresholds {
            strong_buy: 70.0,
            buy: 57.0,
            sell: 43.0,
            strong_sell: 30.0,
        }
    }
}

impl LabelThresholds {
    /// Checks `0 ≤ strong_sell ≤ sell < 50 < buy ≤ strong_buy ≤ 100`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the first threshold out of order.
    pub fn validate(&self) -> Result<()> {
        let bad = |name, value: f64, reason| {
            Err(Error::InvalidParameter {
                name,
                value,
                reason,
            })
        };
        let ok = |x: f64, lo: f64, hi: f64| x.is_finite() && x >= lo && x <= hi;
        if !ok(self.strong_sell, 0.0, 100.0) {
            return bad(
                "labels.strong_sell",
                self.strong_sell,
                "must be in [0, sell]",
            );
        }
        if !(ok(self.sell, self.strong_sell, 100.0) && self.sell < NEUTRAL) {
            return bad("labels.sell", self.sell, "must be in [strong_sell, 50)");
        }
        if !(ok(self.buy, 0.0, 100.0) && self.buy > NEUTRAL) {
            return bad("labels.buy", self.buy, "must be in (50, strong_buy]");
        }
        if !ok(self.strong_buy, self.buy, 100.0) {
            return bad(
                "labels.strong_buy",
                self.strong_buy,
                "must be in [buy, 100]",
            );
        }
        Ok(())
    }

    /// [`label`](Self::label) for thresholds that pass
    /// [`validate`](Self::validate) (`strong_sell ≤ sell < buy ≤
    /// strong_buy`), without a branch on the value: the label is counted
    /// from four comparisons (a NaN counts as neutral, as in `label`). The
    /// score moves across the thresholds often enough for those branches
    /// to mispredict.
    #[inline]
    pub(crate) fn label_ordered(&self, value: f64) -> Label {
        let up = u8::from(value >= self.buy) + u8::from(value >= self.strong_buy);
        let down = u8::from(value <= self.sell) + u8::from(value <= self.strong_sell);
        // With ordered thresholds at most one of `up`, `down` is non-zero.
        match (2 + up).saturating_sub(down) {
            0 => Label::StrongSell,
            1 => Label::Sell,
            2 => Label::Neutral,
            3 => Label::Buy,
            _ => Label::StrongBuy,
        }
    }

    /// The label of a score value.
    #[inline]
    pub fn label(&self, value: f64) -> Label {
        if value >= self.strong_buy {
            Label::StrongBuy
        } else if value >= self.buy {
            Label::Buy
        } else if value <= self.strong_sell {
            Label::StrongSell
        } else if value <= self.sell {
            Label::Sell
        } else {
            Label::Neutral
        }
    }
}

/// An explainable score: a value in [0, 100] (50 = neutral), its [`Label`],
/// and every signal's [`Component`].
///
/// A small `Copy` value (about 240 bytes: sub-scores and weights inline, up
/// to [`MAX_COMPONENTS`], names shared with the composite as
/// `&'static str`s); made by [`Composite::combine`](super::Composite::combine),
/// which guarantees:
///
/// * `0 ≤ value ≤ 100`, never NaN;
/// * `value − 50 = Σ contribution` (up to rounding, and exactly when no clamp
///   was needed);
/// * every ready component's `sub_score` is in [−1, +1]; components that were
///   not ready contribute 0.
///
/// # Examples
///
/// ```
/// use apex_ta::score::{Composite, Label};
/// # fn main() -> apex_ta::Result<()> {
/// let composite = Composite::new(&["trend", "momentum", "rates"], &[2.0, 1.0, 1.0])?;
/// let score = composite.combine(&[Some(0.6), Some(-0.3), None]).expect("two ready");
/// // (2·0.6 − 1·0.3) / (2 + 1) = 0.3 → 50 + 50·0.3 = 65
/// assert!((score.value() - 65.0).abs() < 1e-12);
/// assert_eq!(score.label(), Label::Buy);
/// assert_eq!((score.ready(), score.total()), (2, 3));
/// let top = score.ranked().next().expect("a component");
/// assert_eq!(top.name, "trend"); // +20 points
/// assert_eq!(score.component("rates").map(|c| c.sub_score), Some(None));
/// # Ok(())
/// # }
/// ```
///
/// # Checkpoints
///
/// With the `serde` feature a score serialises as its value, label, counts
/// and components (name, sub-score, weight, contribution) and deserialises
/// back to an equal score. Restoring re-validates: the weights, the
/// sub-scores' range, the counts, and the value and contributions, which
/// are recomputed and must match bit for bit (so use a format that
/// round-trips floats exactly: postcard, bincode, or `serde_json` with its
/// `float_roundtrip` feature).
///
/// The names stay `&'static str`s, so that a score is `Copy` and
/// [`Component::name`] a plain `&'static str`: a restored score points at
/// a name list the program has. Plain `Deserialize` accepts the crate's own
/// scorers' names ([`APEX_SIGNALS`](super::APEX_SIGNALS)); a score of your
/// own composite is restored with [`Score::deserialize_with_names`] and
/// that composite's names, which the saved names must equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub(crate) value: f64,
    /// `50 / Σ(ready weights)`, 0 when that sum is 0.
    pub(crate) scale: f64,
    pub(crate) names: &'static [&'static str],
    /// Sub-scores; 0 where not ready.
    pub(crate) subs: [f64; MAX_COMPONENTS],
    pub(crate) weights: [f64; MAX_COMPONENTS],
    /// Bit i set: signal i was ready.
    pub(crate) ready_mask: u16,
    pub(crate) len: u8,
    pub(crate) ready: u8,
    pub(crate) label: Label,
}

impl Score {
    /// The score, in [0, 100]; 50 is neutral.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }
    /// The score's label.
    #[inline]
    pub fn label(&self) -> Label {
        self.label
    }
    /// Component `i` (in the composite's order), if `i < total()`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Component> {
        if i >= usize::from(self.len) {
            return None;
        }
        let weight = self.weights.get(i).copied().unwrap_or(0.0);
        let sub_score =
            (self.ready_mask >> i & 1 == 1).then(|| self.subs.get(i).copied().unwrap_or(0.0));
        Some(Component {
            name: self.names.get(i).copied().unwrap_or(""),
            sub_score,
            weight,
            contribution: sub_score.map_or(0.0, |s| contribution(self.scale, weight, s)),
        })
    }
    /// Every signal's component, in the composite's order (ready or not).
    pub fn components(&self) -> Components<'_> {
        Components {
            score: self,
            next: 0,
        }
    }
    /// The component named `name`, if any.
    pub fn component(&self, name: &str) -> Option<Component> {
        self.components().find(|c| c.name == name)
    }
    /// How many signals were ready.
    #[inline]
    pub fn ready(&self) -> usize {
        usize::from(self.ready)
    }
    /// How many signals the composite has.
    #[inline]
    pub fn total(&self) -> usize {
        usize::from(self.len)
    }
    /// `ready / total`, in (0, 1].
    #[inline]
    pub fn coverage(&self) -> f64 {
        if self.len == 0 {
            0.0
        } else {
            f64::from(self.ready) / f64::from(self.len)
        }
    }
    /// `value − 50`: how far, and which way, the score leans.
    #[inline]
    pub fn lean(&self) -> f64 {
        self.value - NEUTRAL
    }
    /// The components from the largest absolute contribution down (ready
    /// ones first; ties keep the composite's order). No allocation.
    pub fn ranked(&self) -> Ranked<'_> {
        let n = usize::from(self.len).min(MAX_COMPONENTS);
        let key = |k: u8| self.get(usize::from(k)).map_or(-1.0, |c| rank_key(&c));
        // Indices 0..n (n ≤ MAX_COMPONENTS ≤ 255), insertion-sorted by key.
        let mut order = [0u8; MAX_COMPONENTS];
        for (i, slot) in (0u8..).zip(order.iter_mut()) {
            *slot = i;
        }
        for i in 1..n {
            let mut j = i;
            while j > 0 {
                let (Some(&a), Some(&b)) = (order.get(j - 1), order.get(j)) else {
                    break;
                };
                if key(a) >= key(b) {
                    break;
                }
                order.swap(j - 1, j); // j < n ≤ MAX_COMPONENTS
                j -= 1;
            }
        }
        Ranked {
            score: self,
            order,
            next: 0,
            len: n,
        }
    }
}

/// The smallest positive weight a composite accepts: 1e-9. With every
/// weight 0 or in `[MIN_WEIGHT, MAX_WEIGHT]`, the rescaling factor
/// `50 / Σ(ready weights)` is always finite, so a score is never NaN.
pub const MIN_WEIGHT: f64 = 1e-9;

/// The largest weight a composite accepts: 1e9 (see [`MIN_WEIGHT`]).
pub const MAX_WEIGHT: f64 = 1e9;

/// A weight is 0 (the signal is off) or in `[MIN_WEIGHT, MAX_WEIGHT]`.
pub(crate) fn check_weight(name: &'static str, w: f64) -> Result<f64> {
    if w == 0.0 || (MIN_WEIGHT..=MAX_WEIGHT).contains(&w) {
        Ok(w)
    } else {
        Err(Error::InvalidParameter {
            name,
            value: w,
            reason: "must be 0 or in [MIN_WEIGHT, MAX_WEIGHT] = [1e-9, 1e9]",
        })
    }
}

/// Score points of one ready signal: `scale · weight · sub_score`, where
/// `scale = 50 / Σ(ready weights)`. One expression, used both for the total
/// and for each component, so the components add up to the score.
#[inline]
pub(crate) fn contribution(scale: f64, weight: f64, sub_score: f64) -> f64 {
    scale * weight * sub_score
}

/// Sort key: |contribution| for ready components, −1 for the others.
fn rank_key(c: &Component) -> f64 {
    if c.is_ready() {
        // |x| without `f64::abs`, which `core` lacks before Rust 1.85 (no_std, MSRV 1.81).
        if c.contribution < 0.0 {
            -c.contribution
        } else {
            c.contribution
        }
    } else {
        -1.0
    }
}

impl fmt::Display for Score {
    /// `61.8 buy (7/8)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.1} {} ({}/{})",
            self.value, self.label, self.ready, self.len
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Score {
    /// `{"value", "label", "ready", "total", "components": [..]}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct All<'a>(&'a Score);
        impl serde::Serialize for All<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                s.collect_seq(self.0.components())
            }
        }
        let mut st = s.serialize_struct("Score", 5)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("ready", &self.ready)?;
        st.serialize_field("total", &self.len)?;
        st.serialize_field("components", &All(self))?;
        st.end()
    }
}

/// Where a restored score's or composite's `&'static` names come from.
#[cfg(feature = "serde")]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Names {
    /// The caller's list, which the saved names must equal.
    Given(&'static [&'static str]),
    /// One of these lists, the crate's own scorers' (see `score::known`).
    Known(&'static [&'static [&'static str]]),
}

/// The `&'static` name list equal to `saved`, in order: the caller's or a
/// known one. A restored score or composite shares it, as a fresh one
/// would.
#[cfg(feature = "serde")]
pub(crate) fn resolve_names<S: AsRef<str>>(
    saved: &[S],
    names: Names,
) -> Result<&'static [&'static str]> {
    let same = |list: &[&str]| {
        list.len() == saved.len() && list.iter().zip(saved).all(|(a, b)| *a == b.as_ref())
    };
    match names {
        Names::Given(list) if same(list) => Ok(list),
        Names::Given(_) => Err(Error::InvalidState {
            reason: "signal names differ from the names given to restore them",
        }),
        Names::Known(known) => {
            known
                .iter()
                .copied()
                .find(|list| same(list))
                .ok_or(Error::InvalidState {
                    reason: "signal names are not a known list (the APEX signals): \
                         restore with `deserialize_with_names`",
                })
        }
    }
}

/// A [`Score`] as saved: what its `Serialize` writes.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(rename = "Score")]
struct SavedScore {
    value: f64,
    label: Label,
    ready: u8,
    total: u8,
    components: Vec<SavedComponent>,
}

/// A [`Component`] as saved.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(rename = "Component")]
struct SavedComponent {
    name: alloc::string::String,
    sub_score: Option<f64>,
    weight: f64,
    contribution: f64,
}

#[cfg(feature = "serde")]
impl Score {
    /// Restores a score saved with `Serialize` whose signal names are
    /// `names` (the names of the [`Composite`](super::Composite) that made
    /// it), in order. The restored score shares `names` and equals the
    /// saved one.
    ///
    /// Plain `Deserialize` does the same for the crate's own scorers'
    /// names ([`APEX_SIGNALS`](super::APEX_SIGNALS)); for your own
    /// composite's, call this (for a field of a derived struct, through a
    /// one-line function named in `#[serde(deserialize_with = "...")]`).
    ///
    /// # Errors
    ///
    /// The deserializer's error, or [`Error::InvalidState`] (as a custom
    /// error) if the names differ from `names` or the score could not have
    /// been produced by a composite: see the type's "Checkpoints".
    ///
    /// # Examples
    ///
    /// ```
    /// use apex_ta::score::{Composite, Score};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// static NAMES: [&str; 2] = ["trend", "momentum"];
    /// let composite = Composite::new(&NAMES, &[2.0, 1.0])?;
    /// let score = composite.combine(&[Some(0.6), None]).expect("one ready");
    /// let json = serde_json::to_string(&score)?;
    /// let mut de = serde_json::Deserializer::from_str(&json);
    /// let back = Score::deserialize_with_names(&NAMES, &mut de)?;
    /// assert_eq!(back, score);
    /// // Plain `Deserialize` knows only the crate's own scorers' names.
    /// assert!(serde_json::from_str::<Score>(&json).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn deserialize_with_names<'de, D: serde::Deserializer<'de>>(
        names: &'static [&'static str],
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        Self::restore(deserializer, Names::Given(names))
    }

    /// Restores a score whose names are resolved by `names`.
    pub(crate) fn restore<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        names: Names,
    ) -> core::result::Result<Self, D::Error> {
        use serde::de::{Deserialize, Error as _};
        let saved = SavedScore::deserialize(deserializer)?;
        Self::from_saved(&saved, names).map_err(D::Error::custom)
    }

    /// The score `saved` describes, after checking that a composite could
    /// have produced it: everything derived (the scale, the contributions,
    /// the value) is recomputed as [`Composite::combine`](super::Composite::combine)
    /// computes it and must equal what was saved, bit for bit.
    fn from_saved(saved: &SavedScore, names: Names) -> Result<Self> {
        let bad = |reason| Err(Error::InvalidState { reason });
        let parts = &saved.components;
        let count = parts.len();
        if count == 0 || count > MAX_COMPONENTS || usize::from(saved.total) != count {
            return bad("score component count inconsistent");
        }
        let saved_names: Vec<&str> = parts.iter().map(|c| c.name.as_str()).collect();
        let names = resolve_names(&saved_names, names)?;
        let mut subs = [0.0; MAX_COMPONENTS];
        let mut weights = [0.0; MAX_COMPONENTS];
        let mut ready_mask = 0u16;
        let mut ready = 0u8;
        let mut total_weight = 0.0;
        for (i, c) in parts.iter().enumerate() {
            check_weight("weight", c.weight)?;
            if let (Some(w), Some(slot)) = (weights.get_mut(i), subs.get_mut(i)) {
                *w = c.weight;
                if let Some(s) = c.sub_score {
                    if !(-1.0..=1.0).contains(&s) {
                        return bad("score sub-score outside [-1, 1]");
                    }
                    *slot = s;
                    ready_mask |= 1 << i;
                    ready += 1;
                    total_weight += c.weight;
                }
            }
        }
        if ready == 0 || ready != saved.ready {
            return bad("score ready count inconsistent");
        }
        let scale = if total_weight > 0.0 {
            NEUTRAL / total_weight
        } else {
            0.0
        };
        let score = Score {
            value: saved.value,
            scale,
            names,
            subs,
            weights,
            ready_mask,
            // count ≤ MAX_COMPONENTS ≤ 16
            len: u8::try_from(count).unwrap_or(u8::MAX),
            ready,
            label: saved.label,
        };
        // The value and each contribution as `Composite::finish` computes
        // them: the same operations in the same order.
        let mut lean = 0.0;
        for (c, saved) in score.components().zip(parts) {
            if c.contribution.to_bits() != saved.contribution.to_bits() {
                return bad("score contribution inconsistent with weights and sub-scores");
            }
            if c.is_ready() {
                lean += c.contribution;
            }
        }
        let value = (NEUTRAL + lean).clamp(0.0, 100.0);
        if value.to_bits() != saved.value.to_bits() {
            return bad("score value inconsistent with its components");
        }
        // Valid thresholds put 50 in the neutral band, 100 at strong buy
        // and 0 at strong sell.
        let label_ok = match saved.label {
            Label::StrongSell | Label::Sell => value < NEUTRAL,
            Label::Neutral => value > 0.0 && value < 100.0,
            Label::Buy | Label::StrongBuy => value > NEUTRAL,
        } && (value != 100.0 || saved.label == Label::StrongBuy)
            && (value != 0.0 || saved.label == Label::StrongSell);
        if !label_ok {
            return bad("score label impossible for its value");
        }
        Ok(score)
    }
}

/// Iterator over a [`Score`]'s components in the composite's order; see
/// [`Score::components`].
#[derive(Debug, Clone)]
pub struct Components<'a> {
    score: &'a Score,
    next: usize,
}

impl Iterator for Components<'_> {
    type Item = Component;
    #[inline]
    fn next(&mut self) -> Option<Component> {
        let c = self.score.get(self.next)?;
        self.next += 1;
        Some(c)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.score.total().saturating_sub(self.next);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Components<'_> {}

/// Iterator over a [`Score`]'s components by decreasing impact; see
/// [`Score::ranked`].
#[derive(Debug, Clone)]
pub struct Ranked<'a> {
    score: &'a Score,
    order: [u8; MAX_COMPONENTS],
    next: usize,
    len: usize,
}

impl Iterator for Ranked<'_> {
    type Item = Component;
    fn next(&mut self) -> Option<Component> {
        if self.next >= self.len {
            return None;
        }
        let idx = self.order.get(self.next).copied()?;
        self.next += 1;
        self.score.get(usize::from(idx))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.len.saturating_sub(self.next);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Ranked<'_> {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn label_ordered_matches_label() {
        let thresholds = [
            LabelThresholds::default(),
            LabelThresholds {
                strong_buy: 60.0,
                buy: 60.0,
                sell: 40.0,
                strong_sell: 40.0,
            },
            LabelThresholds {
                strong_buy: 100.0,
                buy: 50.5,
                sell: 0.0,
                strong_sell: 0.0,
            },
        ];
        let mut values = alloc::vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0];
        values.extend((0..=4000).map(|i| f64::from(i) * 0.025));
        for t in &thresholds {
            t.validate().unwrap();
            values.extend([t.strong_buy, t.buy, t.sell, t.strong_sell]);
            for &v in &values {
                assert_eq!(t.label_ordered(v), t.label(v), "{t:?} at {v}");
            }
        }
    }
}
