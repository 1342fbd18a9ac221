//! Rolling sums must not drift: after 10⁷ updates the rolling mean and
//! variance agree with a fresh two-pass computation of the same window.

use apex_ta::{Indicator, Sma, StdDev};

#[test]

fn rolling_mean_and_variance_do_not_drift_over_ten_million_updates() {
    const N: usize = 10_000_000;
    const W: usize = 20;
    // A hostile signal for running sums: a large level, small noise, and
    // occasional jumps of many orders of magnitude.
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut sma = Sma::new(W).unwrap();
    let mut sd = StdDev::new(W).unwrap();
    let mut window = std::collections::VecDeque::with_capacity(W);
    let mut checked = 0;
    for i in 0..N {
        let level = if (i / 100_000) % 2 == 0 {
            1.0e6
        } else {
            1.0e-3
        };
        let x = level * (1.0 + 1e-3 * (next() - 0.5)) + if next() < 1e-4 { 1e9 } else { 0.0 };
        let m = sma.update(x).unwrap();
        sd.update(x).unwrap();
        if window.len() == W {
            window.pop_front();
        }
        window.push_back(x);
        if i % 999_983 == 0 || i == N - 1 {
            if i + 1 < W {
                continue;
            }
            let mean = window.iter().sum::<f64>() / W as f64;
            let var = window.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / W as f64;
            let m = m.unwrap();
            assert!(
                (m - mean).abs() <= 1e-9 * mean.abs(),
                "mean at {i}: {m} vs {mean}"
            );
            let v = sd.variance().unwrap();
            assert!(
                (v - var).abs() <= 1e-9 * var,
                "variance at {i}: {v} vs {var}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10);
}

/// An outlier leaving the window must not leave its rounding error behind:
/// a bad print at 565 among prices near 629 with cent-level noise (seen in
/// real 1-minute SPY data) once gave σ off by 1.9e-9 relative.
#[test]
fn variance_recovers_exactly_after_an_outlier_leaves() {
    const W: usize = 20;
    let mut state = 0x1234_5678_9ABC_DEF1_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut sd = StdDev::new(W).unwrap();
    let mut window = std::collections::VecDeque::new();
    let mut worst = 0.0_f64;
    for i in 0..2_000 {
        let x = if i % 97 == 13 {
            565.63
        } else {
            629.0 + ((next() - 0.5) * 4.0).round() / 100.0
        };
        let s = sd.update(x).unwrap();
        if window.len() == W {
            window.pop_front();
        }
        window.push_back(x);
        if let Some(s) = s {
            let mean = window.iter().sum::<f64>() / W as f64;
            let exact = (window.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / W as f64).sqrt();
            if exact > 0.0 {
                worst = worst.max((s - exact).abs() / exact);
            }
        }
    }
    assert!(worst <= 1e-10, "worst relative error {worst:e}");
}
