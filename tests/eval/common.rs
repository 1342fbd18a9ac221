//! Builders, a seeded generator and a naive, separately written
//! recomputation of the statistics (plain loops, O(n²) ranks).

use apex_ta::eval::{EvalConfig, Observation};
use apex_ta::Label;

/// `|a − b| ≤ tol`, with a message.
#[track_caller]
pub fn close_to(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} vs {b} (tol {tol})");
}

/// `Some(a)` within `tol` of `b`.
#[track_caller]
pub fn some_close(a: Option<f64>, b: f64, tol: f64) {
    close_to(a.unwrap_or_else(|| panic!("None, expected {b}")), b, tol);
}

/// A configuration with one horizon list and few resamples (fast).
pub fn config(horizons: &[usize]) -> EvalConfig {
    EvalConfig {
        horizons: horizons.to_vec(),
        resamples: 200,
        ..EvalConfig::default()
    }
}

/// xorshift64* — a tiny deterministic generator for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Approximately standard normal (sum of 12 uniforms − 6).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.uniform()).sum::<f64>() - 6.0
    }
}

/// A random-walk price path: `n` closes starting at 100.
pub fn random_walk(rng: &mut Rng, n: usize, vol: f64) -> Vec<f64> {
    let mut c = 100.0;
    (0..n)
        .map(|_| {
            let out = c;
            c *= 1.0 + vol * rng.normal();
            out
        })
        .collect()
}

/// The label of a score by the default thresholds (70 / 57 / 43 / 30).
pub fn label_of(score: f64) -> Label {
    if score >= 70.0 {
        Label::StrongBuy
    } else if score >= 57.0 {
        Label::Buy
    } else if score <= 30.0 {
        Label::StrongSell
    } else if score <= 43.0 {
        Label::Sell
    } else {
        Label::Neutral
    }
}

/// A noisy but informative series: score = 50 + 50·tanh(signal·future +
/// noise) with the h-bar future return; timestamps 0, 1, 2, …
pub fn informative_series(seed: u64, n: usize, h: usize, signal: f64) -> Vec<Observation> {
    let mut rng = Rng::new(seed);
    let closes = random_walk(&mut rng, n + h, 0.01);
    (0..n)
        .map(|t| {
            let future = closes[t + h] / closes[t] - 1.0;
            let score = 50.0 + 50.0 * (signal * future * 100.0 + rng.normal()).tanh();
            Observation::new(t as i64, Some(score), Some(label_of(score)), closes[t])
        })
        .collect()
}

/// Naive average ranks (1-based): 1 + #smaller + (#equal − 1)/2.
pub fn naive_ranks(v: &[f64]) -> Vec<f64> {
    v.iter()
        .map(|&a| {
            let less = v.iter().filter(|&&b| b < a).count() as f64;
            let equal = v.iter().filter(|&&b| b == a).count() as f64;
            1.0 + less + (equal - 1.0) / 2.0
        })
        .collect()
}

/// Naive Spearman: None with < 3 values or a constant rank vector.
pub fn naive_spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len());
    if x.len() < 3 {
        return None;
    }
    let (rx, ry) = (naive_ranks(x), naive_ranks(y));
    if rx.iter().all(|&r| r == rx[0]) || ry.iter().all(|&r| r == ry[0]) {
        return None;
    }
    let n = x.len() as f64;
    let mx = rx.iter().sum::<f64>() / n;
    let my = ry.iter().sum::<f64>() / n;
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    let mut syy = 0.0;
    for i in 0..x.len() {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Naive (mean, median, hit rate) of a group; None when empty.
pub fn naive_group(values: &[f64]) -> Option<(f64, f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let hits = values.iter().filter(|&&v| v > 0.0).count();
    Some((mean, median, hits as f64 / n as f64))
}
