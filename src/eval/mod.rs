//! Forward-return evaluation of any score series: does a high score precede
//! a rise?
//!
//! [`evaluate`] takes one instrument's bars, each with an optional 0–100
//! score and [`Label`](crate::Label), and measures the returns that
//! *followed* each score, per label, with the rank IC and bootstrap
//! intervals. [`cross_section`] does the same across a panel of symbols per
//! date (IC and top-minus-bottom quantile spread). Both work on any score,
//! not only this crate's scorers. Everything is `f64`.
//!
//! # Example
//!
//! ```
//! use apex_ta::eval::{evaluate, EvalConfig, Observation};
//! use apex_ta::Label;
//!
//! # fn main() -> apex_ta::Result<()> {
//! let close = |i: usize| 100.0 * (1.0 + 0.05 * (i as f64 * 0.3).sin());
//! // A check of the pairing, not a real scorer: this score peeks one bar
//! // ahead (never do that in practice), so its 1-bar IC must be 1.
//! let observations: Vec<Observation> = (0..300)
//!     .map(|i| {
//!         let ahead = close(i + 1) / close(i) - 1.0;
//!         let score = (50.0 + 1000.0 * ahead).clamp(0.0, 100.0);
//!         let label = if score >= 57.0 {
//!             Label::Buy
//!         } else if score <= 43.0 {
//!             Label::Sell
//!         } else {
//!             Label::Neutral
//!         };
//!         Observation::new(i as i64 * 86_400, Some(score), Some(label), close(i))
//!             .with_benchmark(100.0 + i as f64 * 0.01)
//!     })
//!     .collect();
//! let config = EvalConfig {
//!     horizons: vec![1, 5],
//!     split: Some(200 * 86_400),
//!     ..EvalConfig::default()
//! };
//! let evaluation = evaluate(&observations, &config)?;
//! let one_bar = &evaluation.horizons[0];
//! assert_eq!(one_bar.full.used, 299); // the last bar has no bar 1 later
//! assert_eq!(one_bar.full.no_forward, 1);
//! assert_eq!(one_bar.full.absolute.ic.ic, Some(1.0));
//! let buys = one_bar.full.absolute.label(Label::Buy);
//! assert!(buys.hit_rate == Some(1.0) && buys.mean.unwrap() > 0.0);
//! let after = one_bar.after.as_ref().unwrap();
//! assert_eq!((after.bars, after.used), (100, 99));
//! println!("buy: {} bars, mean {:?}, 90 % {:?}", buys.count, buys.mean, buys.interval);
//! # Ok(())
//! # }
//! ```
//!
//! # Definitions
//!
//! **Forward return.** At bar `t` (position `t` in the slice) over `h` bars:
//!
//! ```text
//! r(t, h)     = close[t+h] / close[t] − 1
//! r_rel(t, h) = r(t, h) − (benchmark[t+h] / benchmark[t] − 1)
//! ```
//!
//! `t + h` counts observations, not time: bar `t + h` is the observation `h`
//! places later in the slice. The score at `t` must come from data up to and
//! including bar `t`'s close; it is paired with `r(t, h)`, which starts at
//! that close, so there is no look-ahead.
//!
//! **Which bars are used.** A bar is *used* when it has a score and a bar
//! `t + h` exists (in the period's limit, see the split). Bars without a
//! score are counted in `no_score`, scored bars without a bar `t + h` in
//! `no_forward`; `bars = used + no_score + no_forward`. Relative statistics
//! use the used bars that also have a benchmark close at `t` and at `t + h`
//! (their count is `relative.all.count`); they exist (`Some`) iff at least
//! one observation of the slice has a benchmark.
//!
//! **Per group** (a label; buy side = buy ∪ strong buy; sell side = sell ∪
//! strong sell; all = every used bar, labelled or not), with the group's
//! returns `r₁ … r_k`: `mean = Σr/k`; `median` = the middle value, or the
//! mean of the two middle values for even `k`; `hit_rate = #{r > 0}/k`.
//!
//! **Rank IC.** Spearman's ρ of score and forward return over the used
//! bars: ranks with ties given their average rank, then the Pearson
//! correlation of the ranks. Undefined (`None`) with fewer than 3 bars or
//! when either rank vector is constant. Overlapping `h`-bar returns are
//! strongly autocorrelated, so the t-statistic
//! `t = ρ'·√((n − 2)/(1 − ρ'²))` uses only the used bars at positions
//! `0, h, 2h, …` (in time order; `n` of them, reported as `independent`, and
//! `ρ'` their Spearman ρ); `None` when `n < 3`, `ρ'` is undefined or
//! `|ρ'| = 1`.
//!
//! **Split.** With [`EvalConfig::split`] `= s`, each horizon also has
//!
//! * `before`: bars stamped `< s`, of which only those whose bar `t + h` is
//!   also stamped `< s` are used (the others count in `no_forward`), so
//!   nothing measured in the design period uses a price from after the
//!   split;
//! * `after`: bars stamped `≥ s` (bar `t + h` anywhere later).
//!
//! `full` is every bar. `first`/`last` are the timestamps of the period's
//! first and last bars, used or not.
//!
//! # Bootstrap
//!
//! Intervals come from a **moving-block bootstrap**, which keeps the
//! dependence between overlapping forward returns. With the `n` used bars of
//! a period in time order and block length `b = h`:
//!
//! 1. draw `⌈n/b⌉` block starts, each uniform on `0..=n − b`;
//! 2. concatenate the blocks of `b` consecutive used bars and cut the result
//!    to `n` bars;
//! 3. on that resample compute every group's mean (a group absent from the
//!    resample is skipped for it) and ρ (skipped when undefined);
//! 4. repeat [`EvalConfig::resamples`] times; the interval is the percentile
//!    interval of the values (see [`Interval`] for the quantile rule:
//!    linear interpolation between order statistics).
//!
//! When `n ≤ h` there is room for a single block only, the series itself, so
//! every resample would equal it: the intervals are then `None` rather than
//! a zero-width interval that would claim certainty.
//!
//! The generator is SplitMix64, seeded per (horizon, period, absolute or
//! relative) from [`EvalConfig::seed`] by a fixed mixing function, so the
//! same input and seed give bit-identical intervals on every platform, and
//! adding a horizon or a split does not change another horizon's intervals.
//! A cross-section bootstraps the sequence of per-date ICs (and of per-date
//! spreads) the same way, with blocks of `h` dates.
//!
//! # Cross-section
//!
//! [`cross_section`] takes `dates × symbols` scores and closes (date-major,
//! NaN = missing). Per date it ranks the symbols with a score and a forward
//! return (at least [`MIN_CROSS_SECTION`]) and reports the mean IC and the
//! top-minus-bottom quantile spread; see [`CrossPeriod`]. The split works per
//! date as above: `before` uses only dates `d` with `dates[d + h] < split`.
//!
//! # Numbers
//!
//! `f64` only. Prices must be finite and `> 0`; a price ratio that overflows
//! (closes `1e-300` then `1e300`) is an error, never an infinite mean.
//! Nothing here panics; all errors are [`Error`](crate::Error) values,
//! listed in each function's docs. Work is `O(R·n)` per period for `R`
//! resamples after one `O(n log n)` sort (ranks of a resample come from the
//! sorted order and the resample's multiplicities).

mod config;
mod cross;
mod series;
mod stats;

pub use config::{EvalConfig, DEFAULT_SEED, MAX_HORIZON, MAX_QUANTILES, MAX_RESAMPLES};
pub use cross::{cross_section, CrossHorizon, CrossPeriod, CrossSection, MIN_CROSS_SECTION};
pub use series::{
    evaluate, Evaluation, HorizonResult, LabelStats, Observation, PeriodResult, RankIc,
    ReturnStats, LABELS,
};
pub use stats::Interval;
