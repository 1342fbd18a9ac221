//! The statistics kernels of [`eval`](super): average ranks and Spearman's ρ
//! (plain and with multiplicities, for bootstrap resamples), the moving-block
//! resampler, its seeded generator, percentile intervals, medians and
//! t-statistics. Each rule exists here once; `series` and `cross` only loop
//! over it.

use alloc::vec::Vec;
use core::cmp::Ordering;

/// A two-sided percentile bootstrap interval, `lo ≤ hi`.
///
/// With `R` resample values sorted as `v₀ ≤ … ≤ v_{R−1}` and
/// `α = 1 − confidence`, `lo = Q(α/2)` and `hi = Q(1 − α/2)`, where
///
/// ```text
/// Q(p) = v_i + f·(v_{i+1} − v_i),   i = ⌊p·(R − 1)⌋,  f = p·(R − 1) − i
/// ```
///
/// (linear interpolation between order statistics, "type 7" in R and the
/// default of NumPy's `quantile`; `Q(p) = v_i` when `i = R − 1`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Interval {
    /// Lower end, `Q(α/2)`.
    pub lo: f64,
    /// Upper end, `Q(1 − α/2)`.
    pub hi: f64,
}

impl Interval {
    /// Whether `lo ≤ x ≤ hi`.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// `hi − lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

/// `√x` through `num_traits` (the standard library with `std`, `libm` without).
pub(crate) fn sqrt(x: f64) -> f64 {
    num_traits::Float::sqrt(x)
}

/// SplitMix64's output function (Steele, Lea & Flood 2014).
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64's increment, ⌊2⁶⁴/φ⌋.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A seed derived from `seed` and a path of integers (horizon, period, …):
/// the same path always gives the same sub-seed, different paths give
/// unrelated ones.
pub(crate) fn sub_seed(seed: u64, path: &[u64]) -> u64 {
    path.iter()
        .fold(mix(seed), |acc, &p| mix(acc ^ mix(p ^ GOLDEN)))
}

/// SplitMix64: a small, fast generator with a 64-bit state whose output is
/// the same on every platform. Not cryptographic.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix(self.state)
    }

    /// Uniform on `0..=max`, exactly (Lemire's multiply-shift with
    /// rejection of the biased low products).
    // The high half of a 64 × 64-bit product by `max + 1` is `≤ max`, a usize.
    #[allow(clippy::cast_possible_truncation)]
    pub(crate) fn up_to(&mut self, max: usize) -> usize {
        let Some(range) = (max as u64).checked_add(1) else {
            return self.next_u64() as usize;
        };
        let threshold = range.wrapping_neg() % range;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(range);
            if (m as u64) >= threshold {
                return (m >> 64) as usize;
            }
        }
    }
}

/// Fills `counts` with how often each of `n` items appears in one
/// moving-block resample: `⌈n/b⌉` blocks of `b = min(block, n)` consecutive
/// items, each starting uniformly in `0..=n − b`, concatenated and cut to `n`
/// items (the last block keeps its first `n − (⌈n/b⌉ − 1)·b` items).
pub(crate) fn block_resample(
    rng: &mut SplitMix64,
    n: usize,
    block: usize,
    counts: &mut Vec<usize>,
) {
    counts.clear();
    counts.resize(n, 0);
    let block = block.clamp(1, n.max(1));
    let mut remaining = n;
    while remaining > 0 {
        let len = block.min(remaining);
        let start = rng.up_to(n - block);
        for c in counts.iter_mut().skip(start).take(len) {
            *c += 1;
        }
        remaining -= len;
    }
}

/// The sort key of a value: `-0.0` becomes `+0.0`, so that the total order
/// (`total_cmp`) agrees with `==` on the finite values this module ranks.
fn key(values: &[f64], j: usize) -> f64 {
    values.get(j).map_or(0.0, |&v| v + 0.0)
}

/// The order statistics of one vector: indices sorted by value and where
/// each group of equal values (ties) ends, so the average ranks of any
/// resample (any multiplicities) follow in one sequential pass.
#[derive(Debug, Default, Clone)]
pub(crate) struct RankTable {
    /// `0..n` sorted by value.
    order: Vec<usize>,
    /// `last[k]`: position `k` of `order` ends a group of equal values.
    last: Vec<bool>,
}

impl RankTable {
    pub(crate) fn build(&mut self, values: &[f64]) {
        self.order.clear();
        self.order.extend(0..values.len());
        self.order
            .sort_unstable_by(|&a, &b| key(values, a).total_cmp(&key(values, b)));
        self.last.clear();
        let sorted = || self.order.iter().map(|&j| key(values, j));
        self.last.extend(
            sorted()
                .zip(sorted().skip(1).map(Some).chain([None]))
                .map(|(v, next)| next.map_or(true, |w| v.total_cmp(&w) != Ordering::Equal)),
        );
    }

    /// Average ranks (1-based) of the multiset in which item `j` appears
    /// `counts[j]` times, written to `ranks[j]`. A group of equal values with
    /// total multiplicity `m` after `c` smaller items gets rank
    /// `c + (m + 1)/2`. (Items with `counts[j] = 0` get some finite value.)
    /// Returns the number of distinct values present (1 means the ranks are
    /// constant).
    pub(crate) fn ranks(&self, counts: &[usize], ranks: &mut [f64]) -> usize {
        let mut below = 0usize;
        let mut present = 0;
        let mut group_start = 0;
        let mut m = 0usize;
        for (k, (&j, &last)) in self.order.iter().zip(&self.last).enumerate() {
            m += counts.get(j).copied().unwrap_or(0);
            if !last {
                continue;
            }
            let rank = below as f64 + (m as f64 + 1.0) * 0.5;
            if group_start == k {
                // A value without ties (the common case): `j` alone.
                if let Some(r) = ranks.get_mut(j) {
                    *r = rank;
                }
            } else {
                for &i in self.order.get(group_start..=k).unwrap_or(&[]) {
                    if let Some(r) = ranks.get_mut(i) {
                        *r = rank;
                    }
                }
            }
            present += usize::from(m > 0);
            below += m;
            m = 0;
            group_start = k + 1;
        }
        present
    }
}

/// Spearman's rank correlation with reusable buffers.
///
/// ```text
/// ρ = Σ w_j (rx_j − r̄)(ry_j − r̄) / √( Σ w_j (rx_j − r̄)² · Σ w_j (ry_j − r̄)² ),
/// r̄ = (N + 1)/2,  N = Σ w_j
/// ```
///
/// where `rx`, `ry` are average ranks (ties share the mean of the ranks they
/// span) and `w_j` the multiplicity of item `j` (1 for a plain sample): the
/// Pearson correlation of the ranks of the multiset, exactly as if the
/// repeated items were written out. Undefined (`None`) when `N < 3` or either
/// rank vector is constant.
#[derive(Debug, Default, Clone)]
pub(crate) struct Spearman {
    x: RankTable,
    y: RankTable,
    rx: Vec<f64>,
    ry: Vec<f64>,
    ones: Vec<usize>,
}

impl Spearman {
    /// ρ of `x` and `y` (equal lengths; extra items of the longer are ignored).
    pub(crate) fn rho(&mut self, x: &[f64], y: &[f64]) -> Option<f64> {
        let n = x.len().min(y.len());
        self.prepare(x.get(..n).unwrap_or(&[]), y.get(..n).unwrap_or(&[]));
        let mut ones = core::mem::take(&mut self.ones);
        ones.clear();
        ones.resize(n, 1);
        let rho = self.resampled(&ones);
        self.ones = ones;
        rho
    }

    /// Builds the rank tables of `x` and `y` for [`Self::resampled`].
    pub(crate) fn prepare(&mut self, x: &[f64], y: &[f64]) {
        self.x.build(x);
        self.y.build(y);
        self.rx.clear();
        self.rx.resize(x.len(), 0.0);
        self.ry.clear();
        self.ry.resize(y.len(), 0.0);
    }

    /// ρ of the resample in which item `j` of the prepared vectors appears
    /// `counts[j]` times.
    pub(crate) fn resampled(&mut self, counts: &[usize]) -> Option<f64> {
        let total: usize = counts.iter().sum();
        if total < 3 {
            return None;
        }
        if self.x.ranks(counts, &mut self.rx) < 2 || self.y.ranks(counts, &mut self.ry) < 2 {
            return None;
        }
        let mid = (total as f64 + 1.0) / 2.0;
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        // No branch on `c == 0`: those items weigh 0 (their ranks are finite).
        for ((&c, &x), &y) in counts.iter().zip(&self.rx).zip(&self.ry) {
            let w = c as f64;
            let (dx, dy) = (x - mid, y - mid);
            sxy += w * dx * dy;
            sxx += w * dx * dx;
            syy += w * dy * dy;
        }
        Some((sxy / sqrt(sxx * syy)).clamp(-1.0, 1.0))
    }
}

/// `t = ρ·√((n − 2)/(1 − ρ²))`, the t-statistic of a correlation of `n`
/// independent pairs; `None` when `n < 3` or `|ρ| = 1`.
pub(crate) fn correlation_t(rho: f64, n: usize) -> Option<f64> {
    if n < 3 || rho.abs() >= 1.0 {
        return None;
    }
    Some(rho * sqrt((n as f64 - 2.0) / (1.0 - rho * rho)))
}

/// Arithmetic mean; `None` for no values.
pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// `t = x̄ / (s/√n)` with the sample standard deviation
/// `s = √(Σ(x − x̄)²/(n − 1))`; `None` when `n < 2` or `s = 0`.
pub(crate) fn mean_t(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let m = mean(values)?;
    let ss: f64 = values.iter().map(|v| (v - m) * (v - m)).sum();
    let sd = sqrt(ss / (n as f64 - 1.0));
    (sd > 0.0).then(|| m / (sd / sqrt(n as f64)))
}

/// Median (mean of the two middle values for an even count), sorting a copy
/// in `scratch`; `None` for no values.
pub(crate) fn median(values: impl Iterator<Item = f64>, scratch: &mut Vec<f64>) -> Option<f64> {
    scratch.clear();
    scratch.extend(values);
    scratch.sort_unstable_by(f64::total_cmp);
    let n = scratch.len();
    let upper = *scratch.get(n / 2)?;
    if n % 2 == 1 {
        Some(upper)
    } else {
        let lower = *scratch.get(n / 2 - 1)?;
        Some((lower + upper) / 2.0)
    }
}

/// `⌊x⌋` as an index, for `0 ≤ x < usize::MAX`.
// `x` is a position `p·(R − 1)` in a slice of `R` values, so it fits.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn floor_index(x: f64) -> usize {
    num_traits::Float::floor(x) as usize
}

/// `Q(p)` of sorted values by linear interpolation between order statistics
/// (see [`Interval`]).
fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = p.clamp(0.0, 1.0) * last as f64;
    let i = floor_index(pos).min(last);
    let lo = *sorted.get(i)?;
    Some(match sorted.get(i + 1) {
        Some(&hi) => lo + (pos - i as f64) * (hi - lo),
        None => lo,
    })
}

/// The percentile interval of the resample values (sorted in place); `None`
/// when there are none.
pub(crate) fn percentile_interval(values: &mut [f64], confidence: f64) -> Option<Interval> {
    values.sort_unstable_by(f64::total_cmp);
    let alpha = 1.0 - confidence;
    Some(Interval {
        lo: quantile(values, alpha / 2.0)?,
        hi: quantile(values, 1.0 - alpha / 2.0)?,
    })
}

/// Moving-block bootstrap interval of the mean of `values` (in time order):
/// `resamples` resamples with blocks of `block` values; `None` when
/// `values.len() ≤ block` (a single block: no variability to measure).
pub(crate) fn block_mean_interval(
    values: &[f64],
    block: usize,
    resamples: usize,
    confidence: f64,
    seed: u64,
    counts: &mut Vec<usize>,
    boot: &mut Vec<f64>,
) -> Option<Interval> {
    let n = values.len();
    if n <= block {
        return None;
    }
    let mut rng = SplitMix64::new(seed);
    boot.clear();
    for _ in 0..resamples {
        block_resample(&mut rng, n, block, counts);
        let sum: f64 = counts.iter().zip(values).map(|(&c, &v)| c as f64 * v).sum();
        boot.push(sum / n as f64);
    }
    percentile_interval(boot, confidence)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use alloc::vec;

    /// Naive average ranks, O(n²): rank = 1 + #smaller + (#equal − 1)/2.
    fn naive_ranks(v: &[f64]) -> Vec<f64> {
        v.iter()
            .map(|&a| {
                let less = v.iter().filter(|&&b| b < a).count() as f64;
                let equal = v.iter().filter(|&&b| b == a).count() as f64;
                1.0 + less + (equal - 1.0) / 2.0
            })
            .collect()
    }

    fn naive_pearson(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
        let syy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
        sxy / (sxx * syy).sqrt()
    }

    #[test]
    fn spearman_with_ties_by_hand() {
        // x = [1, 2, 2, 3] → ranks [1, 2.5, 2.5, 4]; y = [10, 30, 20, 40] → [1, 3, 2, 4].
        // Mean rank 2.5. dx = [−1.5, 0, 0, 1.5], dy = [−1.5, 0.5, −0.5, 1.5].
        // Σdxdy = 2.25 + 0 + 0 + 2.25 = 4.5; Σdx² = 4.5; Σdy² = 2.25+0.25+0.25+2.25 = 5.
        // ρ = 4.5 / √(4.5·5) = 4.5/√22.5 = 0.948683…
        let rho = Spearman::default()
            .rho(&[1.0, 2.0, 2.0, 3.0], &[10.0, 30.0, 20.0, 40.0])
            .unwrap();
        assert!((rho - 4.5 / 22.5_f64.sqrt()).abs() < 1e-15, "{rho}");
    }

    #[test]
    fn spearman_undefined_cases() {
        let mut s = Spearman::default();
        assert_eq!(s.rho(&[1.0, 1.0, 1.0, 1.0], &[1.0, 2.0, 3.0, 4.0]), None);
        assert_eq!(s.rho(&[1.0, 2.0, 3.0, 4.0], &[5.0, 5.0, 5.0, 5.0]), None);
        assert_eq!(s.rho(&[1.0, 2.0], &[1.0, 2.0]), None);
        assert_eq!(s.rho(&[], &[]), None);
        // -0.0 and 0.0 are the same value (a tie), so this is constant.
        assert_eq!(s.rho(&[0.0, -0.0, 0.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(s.rho(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
    }

    #[test]
    fn weighted_spearman_equals_spearman_of_the_expanded_sample() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let y = [2.0, 7.0, 1.0, 8.0, 2.0, 8.0, 1.0, 8.0];
        let counts = [0usize, 2, 1, 0, 3, 1, 1, 2];
        let (mut ex, mut ey) = (vec![], vec![]);
        for ((&a, &b), &c) in x.iter().zip(&y).zip(&counts) {
            for _ in 0..c {
                ex.push(a);
                ey.push(b);
            }
        }
        let mut s = Spearman::default();
        s.prepare(&x, &y);
        let weighted = s.resampled(&counts).unwrap();
        let naive = naive_pearson(&naive_ranks(&ex), &naive_ranks(&ey));
        assert!((weighted - naive).abs() < 1e-12, "{weighted} {naive}");
        let plain = Spearman::default().rho(&ex, &ey).unwrap();
        assert!((plain - naive).abs() < 1e-12);
    }

    #[test]
    fn resample_counts_sum_to_n_and_come_in_blocks() {
        let mut rng = SplitMix64::new(7);
        let mut counts = vec![];
        for n in 1..40 {
            for block in 1..12 {
                block_resample(&mut rng, n, block, &mut counts);
                assert_eq!(counts.iter().sum::<usize>(), n);
            }
        }
        // n ≤ block: one block, the series itself.
        block_resample(&mut rng, 5, 9, &mut counts);
        assert_eq!(counts, vec![1; 5]);
    }

    #[test]
    fn block_starts_are_uniform_over_every_start() {
        // n = 6, blocks of 2 (3 of them, no cut), starts uniform on 0..=4.
        // Item j is covered by the starts j − 1 and j within 0..=4: items 0
        // and 5 by one start (expected count 3 · 1/5 = 0.6 per resample),
        // items 1..=4 by two (1.2).
        let mut rng = SplitMix64::new(3);
        let mut counts = vec![];
        let mut total = [0usize; 6];
        let runs = 20_000;
        for _ in 0..runs {
            block_resample(&mut rng, 6, 2, &mut counts);
            for (t, c) in total.iter_mut().zip(&counts) {
                *t += c;
            }
        }
        for (j, &t) in total.iter().enumerate() {
            let expected = if j == 0 || j == 5 { 0.6 } else { 1.2 };
            let got = t as f64 / f64::from(runs);
            assert!((got - expected).abs() < 0.03, "item {j}: {got}");
        }
        // n = 5, blocks of 2: 3 blocks, the last cut to its first item.
        block_resample(&mut rng, 5, 2, &mut counts);
        assert_eq!(counts.iter().sum::<usize>(), 5);
    }

    #[test]
    fn up_to_is_in_range_and_covers_it() {
        let mut rng = SplitMix64::new(1);
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            let k = rng.up_to(6);
            seen[k] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
        assert_eq!(rng.up_to(0), 0);
        let _ = rng.up_to(usize::MAX);
    }

    #[test]
    fn splitmix_reference_values() {
        // First outputs of SplitMix64 seeded with 0 (reference implementation).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn quantile_rule() {
        // Sorted [1, 2, 3, 4, 5]: Q(0.05) at position 0.2 → 1.2; Q(0.95) at 3.8 → 4.8.
        let mut v = [5.0, 3.0, 1.0, 4.0, 2.0];
        let i = percentile_interval(&mut v, 0.9).unwrap();
        assert!(
            (i.lo - 1.2).abs() < 1e-12 && (i.hi - 4.8).abs() < 1e-12,
            "{i:?}"
        );
        assert_eq!(percentile_interval(&mut [], 0.9), None);
        assert_eq!(
            percentile_interval(&mut [2.0], 0.9),
            Some(Interval { lo: 2.0, hi: 2.0 })
        );
    }

    #[test]
    fn median_mean_and_t() {
        let mut s = vec![];
        assert_eq!(median([3.0, 1.0, 2.0].into_iter(), &mut s), Some(2.0));
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter(), &mut s), Some(2.5));
        assert_eq!(median(core::iter::empty(), &mut s), None);
        // [1, 2, 3]: mean 2, s = 1, t = 2/(1/√3) = 2√3.
        assert!((mean_t(&[1.0, 2.0, 3.0]).unwrap() - 2.0 * 3.0_f64.sqrt()).abs() < 1e-12);
        assert_eq!(mean_t(&[1.0]), None);
        assert_eq!(mean_t(&[2.0, 2.0]), None);
        // ρ = 0.5, n = 6: t = 0.5·√(4/0.75) = 1.1547…
        assert!((correlation_t(0.5, 6).unwrap() - 0.5 * (4.0_f64 / 0.75).sqrt()).abs() < 1e-12);
        assert_eq!(correlation_t(1.0, 10), None);
        assert_eq!(correlation_t(0.3, 2), None);
    }
}
