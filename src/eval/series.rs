//! [`evaluate`]: forward returns of one score series, per label, with rank IC
//! and moving-block bootstrap intervals.

use alloc::vec::Vec;
use core::ops::Range;

use super::config::EvalConfig;
use super::stats::{
    block_resample, correlation_t, median, percentile_interval, sub_seed, Interval, Spearman,
    SplitMix64,
};
use crate::score::Label;
use crate::{Error, Result};

/// The five labels in the order of [`ReturnStats::by_label`]: strong sell,
/// sell, neutral, buy, strong buy.
pub const LABELS: [Label; 5] = [
    Label::StrongSell,
    Label::Sell,
    Label::Neutral,
    Label::Buy,
    Label::StrongBuy,
];

/// One bar of the series to evaluate: the score known at its close and the
/// prices to measure what followed.
///
/// The score must be computed from data up to and including this bar's
/// close; it is paired with the return from this close to the close `h` bars
/// later, so a score that used later data would look better than it is.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Observation {
    /// Bar time; strictly increasing along the slice.
    pub timestamp: i64,
    /// The score at this bar's close, in `[0, 100]`; `None` when there is no
    /// score (warm-up, missing data): the bar then only provides prices.
    pub score: Option<f64>,
    /// The score's label; `None` leaves the bar out of the per-label and
    /// buy/sell statistics (it still counts in `all` and the IC).
    pub label: Option<Label>,
    /// The target's close, finite and `> 0`.
    pub close: f64,
    /// The benchmark's close on the same bar, finite and `> 0`, for
    /// relative returns; `None` when there is none.
    pub benchmark: Option<f64>,
}

impl Observation {
    /// A bar without a benchmark close.
    pub const fn new(timestamp: i64, score: Option<f64>, label: Option<Label>, close: f64) -> Self {
        Self {
            timestamp,
            score,
            label,
            close,
            benchmark: None,
        }
    }

    /// The same bar with the benchmark's close set.
    #[must_use]
    pub const fn with_benchmark(mut self, benchmark: f64) -> Self {
        self.benchmark = Some(benchmark);
        self
    }
}

/// The result of [`evaluate`]: one entry per configured horizon, in the
/// order of [`EvalConfig::horizons`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Evaluation {
    /// Per horizon, in configuration order.
    pub horizons: Vec<HorizonResult>,
}

/// Everything measured at one forward horizon `h`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HorizonResult {
    /// `h`, in bars.
    pub horizon: usize,
    /// Every bar of the slice.
    pub full: PeriodResult,
    /// Bars stamped `< split` whose bar `t + h` is also `< split`; `Some`
    /// iff [`EvalConfig::split`] is set.
    pub before: Option<PeriodResult>,
    /// Bars stamped `≥ split`; `Some` iff [`EvalConfig::split`] is set.
    pub after: Option<PeriodResult>,
}

/// The statistics of one period at one horizon.
///
/// `bars = used + no_score + no_forward`. The counts are those of the
/// absolute returns; the relative statistics use the subset of the `used`
/// bars that have a benchmark close at `t` and at `t + h`
/// (`relative.all.count` of them).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PeriodResult {
    /// Timestamp of the period's first bar (used or not); `None` for an
    /// empty period.
    pub first: Option<i64>,
    /// Timestamp of the period's last bar (used or not); `None` for an empty
    /// period.
    pub last: Option<i64>,
    /// Bars in the period.
    pub bars: usize,
    /// Bars with a score and a forward return.
    pub used: usize,
    /// Bars left out because they have no score.
    pub no_score: usize,
    /// Bars left out because, with a score, they have no bar `t + h` in the
    /// slice (in `before`: also those whose bar `t + h` is stamped at or
    /// after the split).
    pub no_forward: usize,
    /// Statistics of the forward returns `close[t+h]/close[t] − 1`.
    pub absolute: ReturnStats,
    /// Statistics of the relative forward returns (target minus benchmark);
    /// `Some` iff at least one observation of the slice has a benchmark.
    pub relative: Option<ReturnStats>,
}

/// Forward-return statistics of the used bars of a period, per label and
/// overall, with the rank IC.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReturnStats {
    /// Per label, in the order of [`LABELS`] (strong sell, sell, neutral,
    /// buy, strong buy); see [`ReturnStats::label`].
    pub by_label: [LabelStats; 5],
    /// Bars labelled buy or strong buy.
    pub buy_side: LabelStats,
    /// Bars labelled sell or strong sell.
    pub sell_side: LabelStats,
    /// Every used bar, labelled or not.
    pub all: LabelStats,
    /// Spearman rank correlation of score and forward return.
    pub ic: RankIc,
}

impl ReturnStats {
    /// The statistics of one label.
    pub fn label(&self, label: Label) -> &LabelStats {
        let [strong_sell, plain_sell, neutral, plain_buy, strong_buy] = &self.by_label;
        match label {
            Label::StrongSell => strong_sell,
            Label::Sell => plain_sell,
            Label::Neutral => neutral,
            Label::Buy => plain_buy,
            Label::StrongBuy => strong_buy,
        }
    }
}

/// Forward returns `r₁ … r_k` of one group of bars.
///
/// ```text
/// mean     = Σ r_i / k
/// median   = middle of the sorted r (mean of the two middle ones for even k)
/// hit_rate = #{ r_i > 0 } / k
/// ```
///
/// Every `Option` is `None` when `count == 0`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LabelStats {
    /// Bars in the group, `k`.
    pub count: usize,
    /// Mean forward return.
    pub mean: Option<f64>,
    /// Median forward return.
    pub median: Option<f64>,
    /// Share of forward returns `> 0`, in `[0, 1]`.
    pub hit_rate: Option<f64>,
    /// Moving-block bootstrap interval of the mean (see the
    /// [module docs](super#bootstrap)); also `None` when the sample has at
    /// most `h` bars (the period's used bars; for relative returns those of
    /// them with benchmark closes), or when no resample contained the group.
    pub interval: Option<Interval>,
}

/// Spearman rank information coefficient of score against forward return.
///
/// ```text
/// ρ = Pearson(rank(score), rank(return)),  ties get the average of their ranks
/// t = ρ·√((n − 2)/(1 − ρ²))  on every h-th used bar (n = independent)
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RankIc {
    /// ρ over all used bars; `None` with fewer than 3 bars or when scores or
    /// returns are all equal.
    pub ic: Option<f64>,
    /// Bootstrap interval of ρ from the same resamples as the means; `None`
    /// as for [`LabelStats::interval`] or when ρ was undefined in every
    /// resample.
    pub interval: Option<Interval>,
    /// t-statistic of ρ computed on the non-overlapping used bars (positions
    /// `0, h, 2h, …` among the used bars in time order); `None` when fewer
    /// than 3, ρ undefined there, or `|ρ| = 1`.
    pub t_stat: Option<f64>,
    /// How many non-overlapping bars the t-statistic used: `⌈used/h⌉`.
    pub independent: usize,
}

/// Evaluates a score series against the forward returns that followed it.
///
/// For every horizon `h` of `config`, pairs the score at bar `t` with
/// `close[t+h]/close[t] − 1` (and with the same minus the benchmark's return
/// when both benchmark closes are present), then reports per-label means,
/// medians and hit rates, the rank IC and bootstrap intervals, for the whole
/// slice and, with a split, before and after it. Definitions are in the
/// [module docs](super).
///
/// # Errors
///
/// | input | error |
/// |---|---|
/// | invalid `config` | [`Error::InvalidParameter`] from [`EvalConfig::validate`] |
/// | timestamp not after the previous one | [`Error::OutOfOrder`] with `stream: "observations"` |
/// | close / benchmark NaN or ±inf | [`Error::NonFinite`] with `field: "close"` / `"benchmark"` |
/// | close / benchmark `≤ 0` | [`Error::NonPositive`] with `field: "close"` / `"benchmark"` |
/// | score NaN or ±inf | [`Error::NonFinite`] with `field: "score"` |
/// | score outside `[0, 100]` | [`Error::InvalidParameter`] with `name: "score"` |
/// | a price ratio overflows (e.g. closes 1e-300 then 1e300) | [`Error::NonFinite`] with `field: "forward return"` |
pub fn evaluate(observations: &[Observation], config: &EvalConfig) -> Result<Evaluation> {
    config.validate()?;
    let has_benchmark = validate(observations)?;
    let n = observations.len();
    let split_at = config
        .split
        .map(|split| observations.partition_point(|o| o.timestamp < split));
    let mut work = Work::default();
    let mut horizons = Vec::with_capacity(config.horizons.len());
    for &h in &config.horizons {
        let forward = forward_returns(observations, h)?;
        let mut period = |code: u64, range: Range<usize>, limit: usize| {
            let spec = PeriodSpec {
                horizon: h,
                range,
                limit,
                seed: sub_seed(config.seed, &[SERIES, h as u64, code]),
                has_benchmark,
            };
            period_result(observations, &forward, &spec, config, &mut work)
        };
        let full = period(FULL, 0..n, n);
        let (before, after) = match split_at {
            Some(k) => (Some(period(BEFORE, 0..k, k)), Some(period(AFTER, k..n, n))),
            None => (None, None),
        };
        horizons.push(HorizonResult {
            horizon: h,
            full,
            before,
            after,
        });
    }
    Ok(Evaluation { horizons })
}

/// Sub-seed path components.
const SERIES: u64 = 1;
const FULL: u64 = 0;
const BEFORE: u64 = 1;
const AFTER: u64 = 2;
const ABSOLUTE: u64 = 0;
const RELATIVE: u64 = 1;

/// `Err` unless `x` is finite and `> 0`.
pub(crate) fn check_price(field: &'static str, x: f64) -> Result<()> {
    if !x.is_finite() {
        Err(Error::NonFinite { field, value: x })
    } else if x <= 0.0 {
        Err(Error::NonPositive { field, value: x })
    } else {
        Ok(())
    }
}

/// `Err` unless `x` is finite and in `[0, 100]`.
pub(crate) fn check_score(x: f64) -> Result<()> {
    if !x.is_finite() {
        Err(Error::NonFinite {
            field: "score",
            value: x,
        })
    } else if !(0.0..=100.0).contains(&x) {
        Err(Error::InvalidParameter {
            name: "score",
            value: x,
            reason: "a score is in [0, 100]",
        })
    } else {
        Ok(())
    }
}

/// `Err` unless a computed forward return is finite.
pub(crate) fn check_return(x: f64) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Error::NonFinite {
            field: "forward return",
            value: x,
        })
    }
}

/// Validates every observation; returns whether any has a benchmark.
fn validate(observations: &[Observation]) -> Result<bool> {
    let mut previous: Option<i64> = None;
    let mut has_benchmark = false;
    for o in observations {
        if let Some(p) = previous.filter(|&p| o.timestamp <= p) {
            return Err(Error::OutOfOrder {
                stream: "observations",
                timestamp: o.timestamp,
                previous: p,
            });
        }
        previous = Some(o.timestamp);
        check_price("close", o.close)?;
        if let Some(b) = o.benchmark {
            check_price("benchmark", b)?;
            has_benchmark = true;
        }
        if let Some(s) = o.score {
            check_score(s)?;
        }
    }
    Ok(has_benchmark)
}

/// The forward returns of one scored bar.
#[derive(Debug, Clone, Copy)]
struct Forward {
    absolute: f64,
    /// `None` without a benchmark close at `t` or `t + h`.
    relative: Option<f64>,
}

/// Per bar: `Some` iff the bar has a score and a bar `t + h` exists.
fn forward_returns(observations: &[Observation], h: usize) -> Result<Vec<Option<Forward>>> {
    observations
        .iter()
        .enumerate()
        .map(|(t, o)| {
            let later = t.checked_add(h).and_then(|j| observations.get(j));
            let (Some(_), Some(later)) = (o.score, later) else {
                return Ok(None);
            };
            let absolute = check_return(later.close / o.close - 1.0)?;
            let relative = match (o.benchmark, later.benchmark) {
                (Some(b0), Some(b1)) => Some(check_return(absolute - (b1 / b0 - 1.0))?),
                _ => None,
            };
            Ok(Some(Forward { absolute, relative }))
        })
        .collect()
}

/// One used bar: its score, label and forward return.
#[derive(Debug, Clone, Copy)]
struct Sample {
    score: f64,
    label: Option<Label>,
    ret: f64,
}

/// Which period of which horizon.
#[derive(Debug)]
struct PeriodSpec {
    horizon: usize,
    /// Bars in the period.
    range: Range<usize>,
    /// A bar `t` is used only if `t + h < limit`.
    limit: usize,
    seed: u64,
    has_benchmark: bool,
}

fn period_result(
    observations: &[Observation],
    forward: &[Option<Forward>],
    spec: &PeriodSpec,
    config: &EvalConfig,
    work: &mut Work,
) -> PeriodResult {
    let h = spec.horizon;
    let bars = observations.get(spec.range.clone()).unwrap_or(&[]);
    let (mut no_score, mut no_forward) = (0, 0);
    let (mut absolute, mut relative) = (Vec::new(), Vec::new());
    for (t, o) in spec.range.clone().zip(bars) {
        let Some(score) = o.score else {
            no_score += 1;
            continue;
        };
        let in_period = t.checked_add(h).is_some_and(|j| j < spec.limit);
        match forward.get(t).copied().flatten() {
            Some(f) if in_period => {
                absolute.push(Sample {
                    score,
                    label: o.label,
                    ret: f.absolute,
                });
                if let Some(ret) = f.relative {
                    relative.push(Sample {
                        score,
                        label: o.label,
                        ret,
                    });
                }
            }
            _ => no_forward += 1,
        }
    }
    let stats = |samples: &[Sample], kind: u64, work: &mut Work| {
        let seed = sub_seed(spec.seed, &[kind]);
        return_stats(samples, h, config, seed, work)
    };
    PeriodResult {
        first: bars.first().map(|o| o.timestamp),
        last: bars.last().map(|o| o.timestamp),
        bars: bars.len(),
        used: absolute.len(),
        no_score,
        no_forward,
        absolute: stats(&absolute, ABSOLUTE, work),
        relative: spec.has_benchmark.then(|| stats(&relative, RELATIVE, work)),
    }
}

/// Groups: the five labels (label slots 0..=4, in [`LABELS`] order), buy
/// side, sell side, all; then the IC's slot among the bootstrap values.
const BUY: usize = 5;
const SELL: usize = 6;
const ALL: usize = 7;
const GROUPS: usize = 8;
const IC: usize = 8;

const fn label_slot(label: Label) -> usize {
    match label {
        Label::StrongSell => 0,
        Label::Sell => 1,
        Label::Neutral => 2,
        Label::Buy => 3,
        Label::StrongBuy => 4,
    }
}

/// The slot of unlabelled bars (they belong to `ALL` only).
const UNLABELLED: usize = 5;

/// Whether a bar in label slot `slot` (0..=4, or [`UNLABELLED`]) belongs to
/// group `group` (a label slot, `BUY`, `SELL` or `ALL`): the one place the
/// groups are defined.
const fn in_group(slot: usize, group: usize) -> bool {
    match group {
        BUY => slot == label_slot(Label::Buy) || slot == label_slot(Label::StrongBuy),
        SELL => slot == label_slot(Label::Sell) || slot == label_slot(Label::StrongSell),
        ALL => true,
        _ => slot == group,
    }
}

/// Buffers reused across periods, horizons and resamples.
#[derive(Debug, Default)]
struct Work {
    spearman: Spearman,
    scores: Vec<f64>,
    returns: Vec<f64>,
    /// Label slot per sample ([`UNLABELLED`] when unlabelled).
    slots: Vec<usize>,
    counts: Vec<usize>,
    scratch: Vec<f64>,
    /// Resample values per slot (groups, then the IC).
    boot: [Vec<f64>; GROUPS + 1],
}

fn return_stats(
    samples: &[Sample],
    h: usize,
    config: &EvalConfig,
    seed: u64,
    work: &mut Work,
) -> ReturnStats {
    work.scores.clear();
    work.scores.extend(samples.iter().map(|s| s.score));
    work.returns.clear();
    work.returns.extend(samples.iter().map(|s| s.ret));
    work.slots.clear();
    work.slots.extend(
        samples
            .iter()
            .map(|s| s.label.map_or(UNLABELLED, label_slot)),
    );

    let intervals = bootstrap(h, config, seed, work);

    let ic = work.spearman.rho(&work.scores, &work.returns);
    let every_h = |v: &[f64]| v.iter().step_by(h).copied().collect::<Vec<f64>>();
    let (xs, ys) = (every_h(&work.scores), every_h(&work.returns));
    let independent = xs.len();
    let t_stat = work
        .spearman
        .rho(&xs, &ys)
        .and_then(|rho| correlation_t(rho, independent));

    let Work {
        returns,
        slots,
        scratch,
        ..
    } = work;
    let stats: [LabelStats; GROUPS] = core::array::from_fn(|group| {
        let values = || {
            returns
                .iter()
                .zip(slots.iter())
                .filter(move |&(_, &s)| in_group(s, group))
                .map(|(&r, _)| r)
        };
        label_stats(values, intervals.get(group).copied().flatten(), scratch)
    });
    let [strong_sell, sell, neutral, buy, strong_buy, buy_side, sell_side, all] = stats;
    let by_label = [strong_sell, sell, neutral, buy, strong_buy];
    ReturnStats {
        by_label,
        buy_side,
        sell_side,
        all,
        ic: RankIc {
            ic,
            interval: intervals.get(IC).copied().flatten(),
            t_stat,
            independent,
        },
    }
}

impl LabelStats {
    fn empty() -> Self {
        Self {
            count: 0,
            mean: None,
            median: None,
            hit_rate: None,
            interval: None,
        }
    }
}

fn label_stats<I: Iterator<Item = f64>>(
    values: impl Fn() -> I,
    interval: Option<Interval>,
    scratch: &mut Vec<f64>,
) -> LabelStats {
    let (count, sum, hits) = values().fold((0usize, 0.0, 0usize), |(c, s, h), r| {
        (c + 1, s + r, h + usize::from(r > 0.0))
    });
    if count == 0 {
        return LabelStats::empty();
    }
    LabelStats {
        count,
        mean: Some(sum / count as f64),
        median: median(values(), scratch),
        hit_rate: Some(hits as f64 / count as f64),
        interval,
    }
}

/// The moving-block bootstrap of every group mean and the IC over the
/// samples in `work` (see the module docs); all `None` when there are at most
/// `h` samples.
fn bootstrap(
    h: usize,
    config: &EvalConfig,
    seed: u64,
    work: &mut Work,
) -> [Option<Interval>; GROUPS + 1] {
    let n = work.returns.len();
    if n <= h {
        return [None; GROUPS + 1];
    }
    let Work {
        spearman,
        scores,
        returns,
        slots,
        counts,
        boot,
        ..
    } = work;
    for b in boot.iter_mut() {
        b.clear();
    }
    spearman.prepare(scores, returns);
    let mut rng = SplitMix64::new(seed);
    for _ in 0..config.resamples {
        block_resample(&mut rng, n, h, counts);
        // Sums per label slot, without branches on `c`; then per group.
        let mut sums = [0.0; UNLABELLED + 1];
        let mut sizes = [0usize; UNLABELLED + 1];
        for ((&c, &slot), &r) in counts.iter().zip(slots.iter()).zip(returns.iter()) {
            if let (Some(sum), Some(size)) = (sums.get_mut(slot), sizes.get_mut(slot)) {
                *sum += c as f64 * r;
                *size += c;
            }
        }
        for (group, b) in boot.iter_mut().take(GROUPS).enumerate() {
            let (mut sum, mut size) = (0.0, 0);
            for (slot, (&s, &k)) in sums.iter().zip(&sizes).enumerate() {
                if in_group(slot, group) {
                    sum += s;
                    size += k;
                }
            }
            if size > 0 {
                b.push(sum / size as f64);
            }
        }
        if let (Some(rho), Some(b)) = (spearman.resampled(counts), boot.get_mut(IC)) {
            b.push(rho);
        }
    }
    let mut intervals = [None; GROUPS + 1];
    for (interval, b) in intervals.iter_mut().zip(boot.iter_mut()) {
        *interval = percentile_interval(b, config.confidence);
    }
    intervals
}
