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
