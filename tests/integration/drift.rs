//! Rolling sums must not drift: after 10⁷ updates the rolling mean and
//! variance agree with a fresh two-pass computation of the same window; and
//! the variance's precision does not depend on the level (mean/σ).

use apex_ta::{Indicator, Sma, StdDev, VolumeZScore};

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
                (m - mean).abs() <= 1e-14 * mean.abs(),
                "mean at {i}: {m} vs {mean}"
            );
            let v = sd.variance().unwrap();
            assert!(
                (v - var).abs() <= 1e-12 * var,
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

/// Issue 13, item 9: STDDEV(20)'s relative error used to grow with the
/// window's mean/σ (measured here before the fix: 5.8e-11 at 3e5, 5.0e-9 at
/// 3e7, 5.7e-7 at 3e9). The sums are now of deviations from one of the
/// window's own values: the error does not depend on the level. Exact
/// reference: values on a grid `L + k·h` (exact in `f64`), σ from integer
/// sums of the `k`.
#[test]
fn stddev_precision_does_not_depend_on_the_level() {
    const N: usize = 20;
    let h = 2f64.powi(-10);
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for ratio in [30.0, 3e5, 3e7, 3e9] {
        // σ of k uniform in [−1024, 1024) is ~591: level = ratio · 591·h.
        let level = (ratio * 591.0_f64).round() * h;
        let mut sd = StdDev::<f64>::new(N).unwrap();
        let mut ks: Vec<i64> = Vec::new();
        let mut worst = 0.0_f64;
        for i in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let k = i64::try_from(state % 2048).unwrap() - 1024;
            let x = level + k as f64 * h;
            assert_eq!((x - level) / h, k as f64, "grid not exact");
            ks.push(k);
            if let Some(got) = sd.update(x).unwrap() {
                let w = &ks[i + 1 - N..=i];
                let s1: i128 = w.iter().map(|&k| i128::from(k)).sum();
                let s2: i128 = w.iter().map(|&k| i128::from(k) * i128::from(k)).sum();
                let exact = ((N as i128 * s2 - s1 * s1) as f64).sqrt() / N as f64 * h;
                if exact > 0.0 {
                    worst = worst.max((got - exact).abs() / exact);
                }
            }
        }
        assert!(
            worst <= 1e-15,
            "mean/σ {ratio:e}: worst relative error {worst:e}"
        );
    }
}

/// Issue 13, item 9: |z| ≤ √(n − 1) held only up to rounding (a spike
/// among nearly equal volumes gave z a few ulps above √13 for n = 14). z is
/// now clamped to the documented bound.
#[test]
fn volume_z_score_never_exceeds_its_bound() {
    let bound = 13f64.sqrt();
    let mut state = 42_u64;
    let mut vz = VolumeZScore::<f64>::new(14).unwrap();
    let mut at_bound = 0;
    for i in 0..2_000_u64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let v = if i % 14 == 0 {
            2.0
        } else {
            1.0 + 1e-9 * (state % 3) as f64
        };
        if let Some(z) = vz.update(v).unwrap().and_then(|o| o.z) {
            assert!(z.abs() <= bound, "bar {i}: z = {z:.17} > {bound:.17}");
            at_bound += usize::from(z == bound);
        }
    }
    assert!(at_bound > 0, "the stream never reached the bound");
}
