//! The APEX score for a universe of symbols, one call per bar.

use alloc::vec;
use alloc::vec::Vec;

use super::apex::{ApexConfig, ApexParams, ApexReadings, ApexState};
use super::composite::Composite;
use super::market::MarketBar;
use super::scorer::Score;
use crate::error::check_period;
use crate::{Error, Float, Result};

/// [`ApexScorer`](super::ApexScorer) for N symbols, updated with one call
/// per bar.
///
/// Each symbol has its own [`ApexScorer`](super::ApexScorer) state (the APEX state mixes
/// rolling windows with ages and ring buffers, which do not vectorise across
/// symbols once one symbol's stream is out of step), advanced by the
/// scorer's own code, so the values are exactly those of N independent
/// scorers; the configuration and composite are held once for all symbols. Like the indicator universe forms (see
/// [`RsiUniverse`](crate::RsiUniverse)), `update` writes plain values with
/// `NaN` as the "no score" marker, and keeps the per-symbol rule: a bad bar
/// for one symbol is reported in [`rejected`](ApexUniverse::rejected), gives
/// `NaN` in its output slot and leaves that symbol's state unchanged, without
/// disturbing the others.
///
/// A [`Score`] carries every component for explanation (232 bytes); building
/// 2,000 of them per bar cost more than a tenth of the time, so the
/// explanation is built on demand: [`score`](ApexUniverse::score) gives
/// symbol `i`'s last score, bit for bit what an
/// [`ApexScorer`](super::ApexScorer) returned.
///
/// # Examples
///
/// ```
/// use apex_ta::{ApexConfig, Bar, MarketBar};
/// use apex_ta::score::ApexUniverse;
/// # fn main() -> apex_ta::Result<()> {
/// let mut universe = ApexUniverse::<f64>::new(2, ApexConfig::default())?;
/// let mut out = [0.0; 2];
/// for t in 0..120_i64 {
///     let p = 100.0 + (t % 17) as f64;
///     let bar = |k: f64| MarketBar::new(t, Bar::new(p * k, p * k + 1.0, p * k - 1.0, p * k, 1e6), 450.0, 380.0, Some(4.0));
///     universe.update(&[bar(1.0), bar(2.0)], &mut out)?;
/// }
/// assert!(out.iter().all(|v| (0.0..=100.0).contains(v)));
/// // The explanation of symbol 1's score, on demand.
/// let score = universe.score(1).expect("warmed up");
/// assert_eq!(score.value(), out[1]);
/// assert_eq!(score.ready(), 8);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApexUniverse<T = f64> {
    params: ApexParams<T>,
    states: Vec<ApexState<T>>,
    /// Each symbol's sub-scores on its last accepted bar.
    subs: Vec<[Option<f64>; 8]>,
    rejected: Vec<(usize, Error)>,
}

impl<T: Float> ApexUniverse<T> {
    /// `symbols` APEX scorers sharing one configuration.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for 0 symbols or an invalid configuration.
    pub fn new(symbols: usize, config: ApexConfig) -> Result<Self> {
        let n = check_period("symbols", symbols, 1)?;
        let params = ApexParams::new(&config)?;
        Ok(ApexUniverse {
            states: vec![ApexState::new(&config.periods)?; n],
            params,
            subs: vec![[None; 8]; n],
            rejected: Vec::with_capacity(n),
        })
    }
    /// Number of symbols.
    pub fn symbols(&self) -> usize {
        self.states.len()
    }
    /// The configuration every symbol is scored with.
    pub fn config(&self) -> &ApexConfig {
        self.params.config()
    }
    /// The composite (names, weights, labels).
    pub fn composite(&self) -> &Composite {
        self.params.composite()
    }
    /// Symbol `i`'s score on its last accepted bar, with every component:
    /// bit for bit what an [`ApexScorer`](super::ApexScorer) fed the same
    /// bars returned then. `None` while that symbol warms up (or for an
    /// unknown symbol).
    pub fn score(&self, i: usize) -> Option<Score> {
        self.params.composite().combine_units(self.subs.get(i)?)
    }
    /// Symbol `i`'s raw readings on its last accepted bar, as
    /// [`ApexScorer::readings`](super::ApexScorer::readings).
    pub fn readings(&self, i: usize) -> Option<&ApexReadings> {
        self.states.get(i).map(ApexState::readings)
    }
    /// The timestamp of symbol `i`'s last accepted bar.
    pub fn last_timestamp(&self, i: usize) -> Option<i64> {
        self.states.get(i)?.last_timestamp()
    }
    /// The symbols whose bar the last `update` rejected, with why.
    pub fn rejected(&self) -> &[(usize, Error)] {
        &self.rejected
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        self.states.iter_mut().for_each(ApexState::reset);
        self.subs.fill([None; 8]);
        self.rejected.clear();
    }
    /// Feeds one market bar per symbol; writes each symbol's score value
    /// (`NaN` while warming up or when rejected) to `out`. Returns how many
    /// symbols were rejected.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if `bars` or `out` is not one per symbol
    /// (nothing changed).
    pub fn update(&mut self, bars: &[MarketBar<T>], out: &mut [f64]) -> Result<usize> {
        let n = self.states.len();
        for (name, got) in [("bars", bars.len()), ("out", out.len())] {
            if got != n {
                return Err(Error::LengthMismatch {
                    name,
                    expected: n,
                    got,
                });
            }
        }
        self.rejected.clear();
        let params = &self.params;
        for (i, (((state, subs), bar), o)) in self
            .states
            .iter_mut()
            .zip(&mut self.subs)
            .zip(bars)
            .zip(out)
            .enumerate()
        {
            *o = match state.update_subs(params, *bar) {
                Ok(s) => {
                    *subs = s;
                    state.value_of(params, subs).unwrap_or(f64::NAN)
                }
                Err(e) => {
                    self.rejected.push((i, e));
                    f64::NAN
                }
            };
        }
        Ok(self.rejected.len())
    }
}
