//! The APEX score for a universe of symbols, one call per bar.

use alloc::vec;
use alloc::vec::Vec;

use super::apex::{ApexConfig, ApexScorer};
use super::market::MarketBar;
use super::scorer::{Score, Scorer};
use crate::error::check_period;
use crate::{Error, Float, Result};

/// [`ApexScorer`] for N symbols, updated with one call per bar.
///
/// Each symbol has its own scorer (the APEX state mixes rolling windows,
/// deques and smoothers, which do not vectorise across symbols once one
/// symbol's stream is out of step), so the values are exactly those of N
/// independent scorers; the form saves the caller the bookkeeping and keeps
/// the same per-symbol rule: a bad bar for one symbol is reported in
/// [`rejected`](ApexUniverse::rejected), gives `None` in its output slot and
/// leaves that symbol's state unchanged, without disturbing the others.
///
/// # Examples
///
/// ```
/// use apex_ta::{ApexConfig, Bar, MarketBar};
/// use apex_ta::score::ApexUniverse;
/// # fn main() -> apex_ta::Result<()> {
/// let mut universe = ApexUniverse::<f64>::new(2, ApexConfig::default())?;
/// let mut out = [None; 2];
/// for t in 0..120_i64 {
///     let p = 100.0 + (t % 17) as f64;
///     let bar = |k: f64| MarketBar::new(t, Bar::new(p * k, p * k + 1.0, p * k - 1.0, p * k, 1e6), 450.0, 380.0, Some(4.0));
///     universe.update(&[bar(1.0), bar(2.0)], &mut out)?;
/// }
/// assert!(out.iter().all(|s| s.is_some_and(|s| (0.0..=100.0).contains(&s.value()))));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApexUniverse<T = f64> {
    scorers: Vec<ApexScorer<T>>,
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
        Ok(ApexUniverse {
            scorers: vec![ApexScorer::new(config)?; n],
            rejected: Vec::with_capacity(n),
        })
    }
    /// Number of symbols.
    pub fn symbols(&self) -> usize {
        self.scorers.len()
    }
    /// Symbol `i`'s scorer (its readings, config, last timestamp).
    pub fn scorer(&self, i: usize) -> Option<&ApexScorer<T>> {
        self.scorers.get(i)
    }
    /// The symbols whose bar the last `update` rejected, with why.
    pub fn rejected(&self) -> &[(usize, Error)] {
        &self.rejected
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        self.scorers.iter_mut().for_each(Scorer::reset);
        self.rejected.clear();
    }
    /// Feeds one market bar per symbol; writes each symbol's score (`None`
    /// while warming up or when rejected) to `out`. Returns how many symbols
    /// were rejected.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if `bars` or `out` is not one per symbol
    /// (nothing changed).
    pub fn update(&mut self, bars: &[MarketBar<T>], out: &mut [Option<Score>]) -> Result<usize> {
        let n = self.scorers.len();
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
        for (i, ((scorer, bar), o)) in self.scorers.iter_mut().zip(bars).zip(out).enumerate() {
            *o = match scorer.update(*bar) {
                Ok(s) => s,
                Err(e) => {
                    self.rejected.push((i, e));
                    None
                }
            };
        }
        Ok(self.rejected.len())
    }
}
