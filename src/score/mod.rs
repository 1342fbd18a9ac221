//! Composite scores: folding several indicator signals into one explainable
//! 0–100 score per bar.
//!
//! | piece | what it is |
//! |---|---|
//! | [`Scorer`] | the trait: inputs in, `Ok(Some(Score))` out once warm; object-safe |
//! | [`Score`], [`Component`], [`Label`] | a `Copy` value in [0, 100] (50 = neutral) with every signal's sub-score, weight and contribution |
//! | signals ([`RsiSignal`], [`MacdSignal`], …) | documented rules mapping an indicator's output to a sub-score in [−1, +1] |
//! | [`Composite`] | validated weights; renormalises over the ready signals and reports coverage |
//! | [`MarketBar`], [`Aligner`] | multi-asset input and the merge of separately arriving streams |
//! | [`ApexScorer`], [`ApexConfig`] | the flagship small-cap rotation score (IWM vs SPY, QQQ and the 2-year yield) |
//!
//! # Reading a score
//!
//! ```text
//! score = 50 + Σ contributionᵢ          contributionᵢ = 50 · wᵢ · sᵢ / Σ_{ready} w
//! ```
//!
//! Each component's `contribution` is in score points, so the explanation of
//! a 64 is literally "+6 from rates, +5 from the IWM/SPY ratio, +4 from RSI,
//! −1 from volatility". Signals that are not ready (still warming up, or an
//! optional input such as the 2-year yield is absent) have no sub-score,
//! contribute nothing and their weight is left out, so the score is the same
//! as a composite built without them; [`Score::ready`] and
//! [`Score::coverage`] say how many signals spoke.
//!
//! # Writing your own scorer
//!
//! A scorer is a struct holding its indicators and a [`Composite`], with an
//! `update` that does three things in this order:
//!
//! 1. **Validate the whole input first.** The contract is "on `Err`, the state
//!    is unchanged", so check everything that any indicator could reject
//!    (here [`Bar::validate`](crate::Bar::validate)) before updating any of
//!    them. After that, the indicators' own checks cannot fail halfway.
//! 2. **Update the indicators and map their outputs to sub-scores** with the
//!    signals (or your own rules: any function returning `Option<f64>` in
//!    [−1, +1], `None` while not ready). Keep them in a fixed-size array: no
//!    allocation per update.
//! 3. **Combine** with [`Composite::combine`], which handles readiness,
//!    renormalisation, labels and explanations, and never yields NaN.
//!
//! ```
//! use apex_ta::score::{Composite, MacdSignal, RsiSignal, Score, Scorer};
//! use apex_ta::{Atr, Bar, Indicator, Macd, Result, Rsi};
//!
//! /// Momentum on one instrument: RSI dips and the MACD histogram.
//! #[derive(Debug, Clone)]
//! struct Momentum {
//!     rsi: Rsi,
//!     macd: Macd,
//!     atr: Atr,
//!     prev_histogram: Option<f64>,
//!     composite: Composite,
//!     ready: bool,
//! }
//!
//! impl Momentum {
//!     fn new() -> Result<Self> {
//!         Ok(Momentum {
//!             rsi: Rsi::new(14)?,
//!             macd: Macd::new(12, 26, 9)?,
//!             atr: Atr::new(14)?,
//!             prev_histogram: None,
//!             // MACD counts twice as much; one ready signal is enough.
//!             composite: Composite::new(&["rsi", "macd"], &[1.0, 2.0])?,
//!             ready: false,
//!         })
//!     }
//! }
//!
//! impl Scorer for Momentum {
//!     type Input = Bar;
//!
//!     fn update(&mut self, bar: Bar) -> Result<Option<Score>> {
//!         bar.validate()?; // 1. everything the indicators below could reject
//!         let rsi = self.rsi.update(bar.close)?; // 2. cannot fail any more
//!         let macd = self.macd.update(bar.close)?;
//!         let atr = self.atr.update(bar)?;
//!         let histogram = macd.map(|m| m.histogram);
//!         let subs = [
//!             rsi.and_then(|r| RsiSignal::default().score(r, None)),
//!             match (histogram, atr) {
//!                 (Some(h), Some(a)) => MacdSignal::default().score(h, self.prev_histogram, a),
//!                 _ => None,
//!             },
//!         ];
//!         self.prev_histogram = histogram;
//!         let score = self.composite.combine(&subs); // 3.
//!         self.ready = score.is_some();
//!         Ok(score)
//!     }
//!
//!     fn reset(&mut self) {
//!         self.rsi.reset();
//!         self.macd.reset();
//!         self.atr.reset();
//!         self.prev_histogram = None;
//!         self.ready = false;
//!     }
//!
//!     fn is_ready(&self) -> bool {
//!         self.ready
//!     }
//! }
//!
//! # fn main() -> apex_ta::Result<()> {
//! // Any scorer works behind `dyn Scorer`, next to the crate's own.
//! let mut scorers: Vec<Box<dyn Scorer<Input = Bar>>> = vec![Box::new(Momentum::new()?)];
//! let mut last = None;
//! for i in 0..60 {
//!     let close = 100.0 + (i as f64 / 5.0).sin() * 4.0;
//!     let bar = Bar::new(close, close + 1.0, close - 1.0, close, 1e6);
//!     for s in scorers.iter_mut() {
//!         if let Some(score) = s.update(bar)? {
//!             assert!((0.0..=100.0).contains(&score.value()));
//!             last = Some(score);
//!         }
//!     }
//! }
//! let score = last.expect("warmed up");
//! let explained: f64 = score.components().map(|c| c.contribution).sum();
//! assert!((score.value() - 50.0 - explained).abs() < 1e-9);
//! for c in score.ranked() {
//!     println!("{:>5} {:+.2} × {} → {:+.1} points", c.name, c.sub_score.unwrap_or(0.0), c.weight, c.contribution);
//! }
//! // A rejected bar changes nothing.
//! let bad = Bar::new(1.0, 0.5, 2.0, 1.0, 0.0); // high < low
//! assert!(scorers[0].update(bad).is_err());
//! # Ok(())
//! # }
//! ```
//!
//! For several assets, take a [`MarketBar`] (or your own input struct) as
//! `Input`; [`Aligner`] builds `MarketBar`s from streams that arrive
//! separately. The `custom_scorer` example is a complete program.

/// Implements `Deserialize` for a parameter struct through a private mirror
/// struct, then runs the type's `validate`, so an invalid configuration file
/// is an error at load time.
///
/// Two shapes, as serde gives them:
/// - a **map** (a JSON/TOML object, a configuration file): missing fields
///   take the type's `Default`, so a file names only what it changes and
///   `{}` is the default configuration; unknown fields are rejected;
/// - a **sequence** (the positional form of binary formats such as bincode
///   or postcard, which serialise a struct as its fields in order): every
///   field, in declaration order, and nothing else. A shorter sequence is an
///   error, so a stray `[]` in a JSON file is not silently the default.
macro_rules! validated_deserialize {
    ($name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        #[cfg(feature = "serde")]
        const _: () = {
            use core::fmt;
            use serde::de::value::MapAccessDeserializer;
            use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
            #[derive(serde::Deserialize)]
            #[serde(default, deny_unknown_fields)]
            struct Repr { $($field: $ty),* }
            impl Default for Repr {
                fn default() -> Self {
                    let $name { $($field),* } = <$name as Default>::default();
                    Repr { $($field),* }
                }
            }
            const FIELDS: &[&str] = &[$(stringify!($field)),*];
            struct ReprVisitor;
            impl<'de> Visitor<'de> for ReprVisitor {
                type Value = Repr;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    write!(
                        f,
                        "a map of {}'s fields (missing ones take their defaults) or a sequence of all {} of them",
                        stringify!($name),
                        FIELDS.len()
                    )
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> core::result::Result<Repr, A::Error> {
                    Repr::deserialize(MapAccessDeserializer::new(map))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> core::result::Result<Repr, A::Error> {
                    let mut got = 0_usize;
                    $(
                        let $field: $ty = seq
                            .next_element()?
                            .ok_or_else(|| A::Error::invalid_length(got, &self))?;
                        got += 1;
                    )*
                    let _ = got;
                    Ok(Repr { $($field),* })
                }
            }
            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
                    let Repr { $($field),* } =
                        d.deserialize_struct(stringify!($name), FIELDS, ReprVisitor)?;
                    let v = $name { $($field),* };
                    v.validate().map_err(D::Error::custom)?;
                    Ok(v)
                }
            }
        };
    };
}

mod apex;
mod composite;
#[cfg(feature = "serde")]
mod known;
mod market;
mod scorer;
mod signal;

pub use apex::{
    ApexConfig, ApexPeriods, ApexReadings, ApexScorer, ApexUniverse, ApexWeights, APEX_SIGNALS,
    MAX_PERIOD,
};
pub use composite::Composite;
pub use market::{AlignStats, Aligner, MarketBar, Tick};
pub use scorer::{
    Component, Components, Label, LabelThresholds, Ranked, Score, Scorer, MAX_COMPONENTS,
    MAX_WEIGHT, MIN_WEIGHT, NEUTRAL,
};
pub use signal::{
    FibonacciSignal, MacdSignal, RatesSignal, RatioSignal, RsiSignal, SpreadSignal,
    VolatilitySignal, VolumeSignal,
};
