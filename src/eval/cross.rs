//! [`cross_section`]: per-date rank IC and top-minus-bottom quantile spread
//! of a panel of symbols.

use alloc::vec::Vec;
use core::ops::Range;

use super::config::EvalConfig;
use super::series::{check_price, check_return, check_score};
use super::stats::{block_mean_interval, mean, mean_t, sub_seed, Interval, Spearman};
use crate::{Error, Result};

/// Fewest symbols with a score and a forward return for a date to have an IC.
pub const MIN_CROSS_SECTION: usize = 5;

/// The result of [`cross_section`]: one entry per configured horizon, in
/// the order of [`EvalConfig::horizons`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CrossSection {
    /// Symbols in the panel.
    pub symbols: usize,
    /// Per horizon, in configuration order.
    pub horizons: Vec<CrossHorizon>,
}

/// Everything measured at one forward horizon `h` (in dates).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CrossHorizon {
    /// `h`, in dates.
    pub horizon: usize,
    /// Every date.
    pub full: CrossPeriod,
    /// Dates `< split` whose date `d + h` is also `< split`; `Some` iff
    /// [`EvalConfig::split`] is set.
    pub before: Option<CrossPeriod>,
    /// Dates `≥ split`; `Some` iff [`EvalConfig::split`] is set.
    pub after: Option<CrossPeriod>,
}

/// The cross-sectional statistics of one period at one horizon.
///
/// Per used date `d` (one with an IC):
///
/// ```text
/// IC_d     = Spearman ρ across symbols of (score[d][s], fwd[d][s])
/// g        = n_d / q                     (integer division; n_d symbols used)
/// top_d    = mean fwd of the g highest-scored symbols
/// bottom_d = mean fwd of the g lowest-scored symbols
/// spread_d = top_d − bottom_d           (only when g ≥ 1)
/// ```
///
/// then `mean_ic = mean of IC_d`, `top`, `bottom`, `spread` = means of
/// `top_d`, `bottom_d`, `spread_d` over the spread dates. Symbols are ordered
/// by score, ties by symbol index (the lower index counts as the lower
/// score). t-statistics use the dates at positions `0, h, 2h, …` among the
/// used (or spread) dates: `t = x̄/(s/√n)` with the sample standard deviation.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CrossPeriod {
    /// Dates in the period.
    pub dates: usize,
    /// Dates with an IC: at least [`MIN_CROSS_SECTION`] symbols with a score
    /// and a forward return, and neither their scores nor their returns all
    /// equal.
    pub used_dates: usize,
    /// Mean of the per-date ICs.
    pub mean_ic: Option<f64>,
    /// Moving-block bootstrap interval of `mean_ic` (blocks of `h` dates);
    /// `None` when `used_dates ≤ h`.
    pub ic_interval: Option<Interval>,
    /// t-statistic of the mean IC over non-overlapping dates; `None` when
    /// fewer than 2 or their ICs are all equal.
    pub ic_t_stat: Option<f64>,
    /// Non-overlapping used dates in `ic_t_stat`: `⌈used_dates/h⌉`.
    pub independent: usize,
    /// Used dates with at least `quantiles` symbols (so `g ≥ 1`): the dates
    /// of `top`, `bottom` and `spread`. (Added to the planned API: with the
    /// default 10 quantiles a date can have an IC but no spread.)
    pub spread_dates: usize,
    /// Mean forward return of the top quantile, averaged over spread dates.
    pub top: Option<f64>,
    /// Mean forward return of the bottom quantile, averaged over spread
    /// dates.
    pub bottom: Option<f64>,
    /// Mean of the per-date `top_d − bottom_d`.
    pub spread: Option<f64>,
    /// Moving-block bootstrap interval of `spread` (blocks of `h` dates);
    /// `None` when `spread_dates ≤ h`.
    pub spread_interval: Option<Interval>,
    /// t-statistic of `spread` over non-overlapping spread dates (positions
    /// `0, h, 2h, …`, so `⌈spread_dates/h⌉` of them); `None` when fewer than
    /// 2 or all equal.
    pub spread_t_stat: Option<f64>,
}

/// Evaluates a panel of scores across symbols: per-date rank IC and
/// top-minus-bottom quantile spread of forward returns, averaged over dates.
///
/// The panel is date-major: the value for date `d` and symbol `s` is at
/// `d * symbols + s`. In `scores` NaN means no score; in `closes` NaN means
/// no bar that date. The forward return of `s` at `d` is
/// `closes[d+h][s]/closes[d][s] − 1`, when both are present. See
/// [`CrossPeriod`] for the statistics and the [module docs](super) for the
/// bootstrap and the split.
///
/// # Errors
///
/// | input | error |
/// |---|---|
/// | invalid `config` | [`Error::InvalidParameter`] from [`EvalConfig::validate`] |
/// | `symbols == 0`, or `dates.len() × symbols` overflows | [`Error::InvalidParameter`] with `name: "symbols"` |
/// | `scores` / `closes` not `dates.len() × symbols` long | [`Error::LengthMismatch`] with `name: "scores"` / `"closes"` |
/// | date not after the previous one | [`Error::OutOfOrder`] with `stream: "dates"` |
/// | score ±inf | [`Error::NonFinite`] with `field: "score"` |
/// | score outside `[0, 100]` | [`Error::InvalidParameter`] with `name: "score"` |
/// | close ±inf | [`Error::NonFinite`] with `field: "close"` |
/// | close `≤ 0` | [`Error::NonPositive`] with `field: "close"` |
/// | a price ratio overflows | [`Error::NonFinite`] with `field: "forward return"` |
pub fn cross_section(
    dates: &[i64],
    symbols: usize,
    scores: &[f64],
    closes: &[f64],
    config: &EvalConfig,
) -> Result<CrossSection> {
    config.validate()?;
    validate_panel(dates, symbols, scores, closes)?;
    let n = dates.len();
    let split_at = config
        .split
        .map(|split| dates.partition_point(|&d| d < split));
    let mut work = Work::default();
    let mut horizons = Vec::with_capacity(config.horizons.len());
    for &h in &config.horizons {
        let per_date = per_date_stats(symbols, scores, closes, h, config.quantiles, &mut work)?;
        let mut period = |code: u64, range: Range<usize>, limit: usize| {
            let seed = sub_seed(config.seed, &[CROSS, h as u64, code]);
            cross_period(&per_date, range, limit, h, config, seed, &mut work)
        };
        let full = period(0, 0..n, n);
        let (before, after) = match split_at {
            Some(k) => (Some(period(1, 0..k, k)), Some(period(2, k..n, n))),
            None => (None, None),
        };
        horizons.push(CrossHorizon {
            horizon: h,
            full,
            before,
            after,
        });
    }
    Ok(CrossSection { symbols, horizons })
}

/// Sub-seed path component of cross-sections.
const CROSS: u64 = 2;

fn validate_panel(dates: &[i64], symbols: usize, scores: &[f64], closes: &[f64]) -> Result<()> {
    if symbols == 0 {
        return Err(Error::InvalidParameter {
            name: "symbols",
            value: 0.0,
            reason: "must be at least 1",
        });
    }
    let expected = dates
        .len()
        .checked_mul(symbols)
        .ok_or(Error::InvalidParameter {
            name: "symbols",
            value: symbols as f64,
            reason: "dates × symbols overflows usize",
        })?;
    for (name, got) in [("scores", scores.len()), ("closes", closes.len())] {
        if got != expected {
            return Err(Error::LengthMismatch {
                name,
                expected,
                got,
            });
        }
    }
    for pair in dates.windows(2) {
        if let [previous, timestamp] = *pair {
            if timestamp <= previous {
                return Err(Error::OutOfOrder {
                    stream: "dates",
                    timestamp,
                    previous,
                });
            }
        }
    }
    for &s in scores.iter().filter(|s| !s.is_nan()) {
        check_score(s)?;
    }
    for &c in closes.iter().filter(|c| !c.is_nan()) {
        check_price("close", c)?;
    }
    Ok(())
}

/// A date's IC and, when defined, its top and bottom quantile means.
#[derive(Debug, Clone, Copy)]
struct DateStat {
    ic: Option<f64>,
    /// `(top_d, bottom_d)`.
    quantiles: Option<(f64, f64)>,
}

/// Buffers reused across dates, periods and horizons.
#[derive(Debug, Default)]
struct Work {
    spearman: Spearman,
    pairs: Vec<(f64, f64)>,
    scores: Vec<f64>,
    returns: Vec<f64>,
    counts: Vec<usize>,
    boot: Vec<f64>,
}

fn per_date_stats(
    symbols: usize,
    scores: &[f64],
    closes: &[f64],
    h: usize,
    quantiles: usize,
    work: &mut Work,
) -> Result<Vec<DateStat>> {
    let later_rows = closes
        .chunks_exact(symbols)
        .skip(h)
        .map(Some)
        .chain(core::iter::repeat(None));
    let rows = scores
        .chunks_exact(symbols)
        .zip(closes.chunks_exact(symbols));
    let mut out = Vec::with_capacity(scores.len() / symbols);
    for ((score_row, close_row), later_row) in rows.zip(later_rows) {
        work.pairs.clear();
        if let Some(later_row) = later_row {
            for ((&score, &c0), &c1) in score_row.iter().zip(close_row).zip(later_row) {
                if !(score.is_nan() || c0.is_nan() || c1.is_nan()) {
                    work.pairs.push((score, check_return(c1 / c0 - 1.0)?));
                }
            }
        }
        out.push(date_stat(quantiles, work));
    }
    Ok(out)
}

/// The IC and quantile means of the `(score, return)` pairs in `work`, in
/// symbol order.
fn date_stat(quantiles: usize, work: &mut Work) -> DateStat {
    let n = work.pairs.len();
    if n < MIN_CROSS_SECTION {
        return DateStat {
            ic: None,
            quantiles: None,
        };
    }
    work.scores.clear();
    work.scores.extend(work.pairs.iter().map(|p| p.0));
    work.returns.clear();
    work.returns.extend(work.pairs.iter().map(|p| p.1));
    let ic = work.spearman.rho(&work.scores, &work.returns);
    let g = n / quantiles;
    if ic.is_none() || g == 0 {
        return DateStat {
            ic,
            quantiles: None,
        };
    }
    // Stable: equal scores keep symbol order, the lower index first (lower).
    work.pairs
        .sort_by(|a, b| (a.0 + 0.0).total_cmp(&(b.0 + 0.0)));
    let group_mean = |group: &[(f64, f64)]| group.iter().map(|p| p.1).sum::<f64>() / g as f64;
    let bottom = group_mean(work.pairs.get(..g).unwrap_or(&[]));
    let top = group_mean(work.pairs.get(n - g..).unwrap_or(&[]));
    DateStat {
        ic,
        quantiles: Some((top, bottom)),
    }
}

#[allow(clippy::too_many_arguments)]
fn cross_period(
    per_date: &[DateStat],
    range: Range<usize>,
    limit: usize,
    h: usize,
    config: &EvalConfig,
    seed: u64,
    work: &mut Work,
) -> CrossPeriod {
    let in_period = per_date
        .get(range.clone())
        .unwrap_or(&[])
        .iter()
        .zip(range.clone())
        .filter(|&(_, d)| d.checked_add(h).is_some_and(|j| j < limit))
        .map(|(s, _)| *s);
    let ics: Vec<f64> = in_period.clone().filter_map(|s| s.ic).collect();
    let quantiles: Vec<(f64, f64)> = in_period.filter_map(|s| s.quantiles).collect();
    let tops: Vec<f64> = quantiles.iter().map(|q| q.0).collect();
    let bottoms: Vec<f64> = quantiles.iter().map(|q| q.1).collect();
    let spreads: Vec<f64> = quantiles.iter().map(|q| q.0 - q.1).collect();
    let every_h = |v: &[f64]| v.iter().step_by(h).copied().collect::<Vec<f64>>();
    let independent_ics = every_h(&ics);
    let mut interval = |values: &[f64], what: u64| {
        block_mean_interval(
            values,
            h,
            config.resamples,
            config.confidence,
            sub_seed(seed, &[what]),
            &mut work.counts,
            &mut work.boot,
        )
    };
    CrossPeriod {
        dates: range.len(),
        used_dates: ics.len(),
        mean_ic: mean(&ics),
        ic_interval: interval(&ics, 0),
        ic_t_stat: mean_t(&independent_ics),
        independent: independent_ics.len(),
        spread_dates: spreads.len(),
        top: mean(&tops),
        bottom: mean(&bottoms),
        spread: mean(&spreads),
        spread_interval: interval(&spreads, 1),
        spread_t_stat: mean_t(&every_h(&spreads)),
    }
}
