//! Property tests: invariants that must hold for any valid input.

use apex_ta::{
    Atr, Bar, FibonacciLevels, Indicator, Macd, RelativePerformance, RelativeRatio, RollingMax,
    RollingMin, Rsi, Sma, StdDev, SwingDirection, TrueRange, VolumeZScore,
};
use proptest::prelude::*;

/// Positive prices as a random walk of log-returns (realistic, any scale).
fn prices(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    (
        0.01f64..10_000.0,
        prop::collection::vec(-0.08f64..0.08, len),
    )
        .prop_map(|(start, rets)| {
            let mut p = start;
            rets.iter()
                .map(|r| {
                    p *= r.exp();
                    p
                })
                .collect()
        })
}

/// Valid bars around a price path.
fn bars(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Bar>> {
    (
        prices(len.clone()),
        prop::collection::vec((0.0f64..0.03, 0.0f64..0.03, 0.0f64..1.0, 0.0f64..1e7), len),
    )
        .prop_map(|(closes, extra)| {
            let mut prev = closes[0];
            closes
                .iter()
                .zip(extra)
                .map(|(&c, (up, down, w, v))| {
                    let open = prev;
                    prev = c;
                    let high = open.max(c) * (1.0 + up);
                    let low = open.min(c) * (1.0 - down);
                    let _ = w;
                    Bar::new(open, high, low, c, v.floor())
                })
                .collect()
        })
}

fn run<I: Indicator>(mut ind: I, xs: &[I::Input]) -> Vec<Option<I::Output>>
where
    I::Input: Clone,
{
    xs.iter().map(|x| ind.update(x.clone()).unwrap()).collect()
}

fn close_rel(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rsi_is_within_0_and_100(p in prices(2..300), n in 1usize..30) {
        for v in run(Rsi::new(n).unwrap(), &p).into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&v), "{v}");
        }
    }

    #[test]
    fn ranges_and_deviations_are_non_negative(b in bars(2..200), n in 1usize..30) {
        for v in run(TrueRange::new(), &b).into_iter().flatten() {
            prop_assert!(v >= 0.0);
        }
        for v in run(Atr::new(n).unwrap(), &b).into_iter().flatten() {
            prop_assert!(v >= 0.0);
        }
        let closes: Vec<f64> = b.iter().map(|x| x.close).collect();
        for v in run(StdDev::new(n).unwrap(), &closes).into_iter().flatten() {
            prop_assert!(v >= 0.0);
        }
    }

    #[test]
    fn reset_is_a_fresh_instance(p in prices(30..120), cut in 0usize..30) {
        let mut m = Macd::new(3, 7, 4).unwrap();
        for &x in &p[..cut] {
            m.update(x).unwrap();
        }
        m.reset();
        prop_assert_eq!(run(m, &p), run(Macd::new(3, 7, 4).unwrap(), &p));
    }

    /// Streaming ≡ batch ≡ naive recomputation over each window.
    #[test]
    fn windows_match_naive_recomputation(b in bars(2..200), n in 1usize..25) {
        let closes: Vec<f64> = b.iter().map(|x| x.close).collect();
        let sma = run(Sma::new(n).unwrap(), &closes);
        let sd = run(StdDev::new(n).unwrap(), &closes);
        let mx = run(RollingMax::new(n).unwrap(), &closes);
        let mn = run(RollingMin::new(n).unwrap(), &closes);
        prop_assert_eq!(&Sma::new(n).unwrap().batch(&closes).unwrap(), &sma);
        prop_assert_eq!(&StdDev::new(n).unwrap().batch(&closes).unwrap(), &sd);
        for i in 0..closes.len() {
            if i + 1 < n {
                prop_assert!(sma[i].is_none() && sd[i].is_none() && mx[i].is_none());
                continue;
            }
            let w = &closes[i + 1 - n..=i];
            let mean = w.iter().sum::<f64>() / n as f64;
            let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            prop_assert!(close_rel(sma[i].unwrap(), mean, 1e-12));
            // σ near 0 is dominated by rounding in the mean: compare absolutely.
            prop_assert!((sd[i].unwrap() - var.sqrt()).abs() <= 1e-6 * mean.abs().max(1e-300));
            prop_assert_eq!(mx[i].unwrap(), w.iter().copied().fold(f64::MIN, f64::max));
            prop_assert_eq!(mn[i].unwrap(), w.iter().copied().fold(f64::MAX, f64::min));
        }
        // Fibonacci swing = naive max(high)/min(low), direction by position.
        let fib = run(FibonacciLevels::new(n).unwrap(), &b);
        for i in (n - 1)..b.len() {
            let w = &b[i + 1 - n..=i];
            let hi = w.iter().map(|x| x.high).fold(f64::MIN, f64::max);
            let lo = w.iter().map(|x| x.low).fold(f64::MAX, f64::min);
            let hi_pos = w.iter().rposition(|x| x.high == hi).unwrap();
            let lo_pos = w.iter().rposition(|x| x.low == lo).unwrap();
            let out = fib[i].unwrap();
            prop_assert_eq!((out.swing.high, out.swing.low), (hi, lo));
            let dir = if hi_pos >= lo_pos { SwingDirection::Up } else { SwingDirection::Down };
            prop_assert_eq!(out.swing.direction, dir);
        }
    }

    #[test]
    fn relative_performance_matches_naive(a in prices(25..80), b in prices(25..80), n in 1usize..20) {
        let len = a.len().min(b.len());
        let pairs: Vec<(f64, f64)> = a[..len].iter().copied().zip(b[..len].iter().copied()).collect();
        let rp = run(RelativePerformance::new(n).unwrap(), &pairs);
        for i in n..len {
            let want = (a[i] / a[i - n] - 1.0) - (b[i] / b[i - n] - 1.0);
            prop_assert!((rp[i].unwrap() - want).abs() < 1e-12 * want.abs().max(1.0));
        }
    }

    #[test]
    fn rsi_is_scale_invariant(p in prices(20..200), c in 1e-3f64..1e3) {
        let scaled: Vec<f64> = p.iter().map(|x| x * c).collect();
        let a = run(Rsi::new(14).unwrap(), &p);
        let b = run(Rsi::new(14).unwrap(), &scaled);
        for (x, y) in a.iter().zip(&b) {
            match (x, y) {
                (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-9, "{x} vs {y}"),
                (None, None) => {}
                _ => prop_assert!(false, "warm-up differs"),
            }
        }
    }

    #[test]
    fn volume_z_score_is_scale_invariant(
        v in prop::collection::vec(0.0f64..1e7, 25..150),
        c in 1e-3f64..1e3,
    ) {
        let scaled: Vec<f64> = v.iter().map(|x| x * c).collect();
        let a = run(VolumeZScore::new(20).unwrap(), &v);
        let b = run(VolumeZScore::new(20).unwrap(), &scaled);
        for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
            match (x.z, y.z) {
                (Some(p), Some(q)) => prop_assert!((p - q).abs() < 1e-7, "{p} vs {q}"),
                (None, None) => {}
                _ => prop_assert!(false, "z defined on one scale only"),
            }
            if let (Some(p), Some(q)) = (x.ratio, y.ratio) {
                prop_assert!(close_rel(p, q, 1e-9));
            }
            prop_assert!(x.z.map_or(true, |z| z.abs() <= 19f64.sqrt() + 1e-9));
        }
    }

    #[test]
    fn ratio_is_reciprocal(a in prices(1..60), b in prices(1..60)) {
        let len = a.len().min(b.len());
        let mut ab = RelativeRatio::new(1).unwrap();
        let mut ba = RelativeRatio::new(1).unwrap();
        for i in 0..len {
            let x = ab.update((a[i], b[i])).unwrap().unwrap();
            let y = ba.update((b[i], a[i])).unwrap().unwrap();
            prop_assert!(close_rel(x.ratio, 1.0 / y.ratio, 1e-15));
        }
    }

    #[test]
    fn fibonacci_levels_are_ordered(b in bars(2..120), n in 1usize..40) {
        for out in run(FibonacciLevels::new(n).unwrap(), &b).into_iter().flatten() {
            let levels = out.levels.as_slice();
            prop_assert_eq!(levels.len(), 9);
            for w in levels.windows(2) {
                prop_assert!(w[0].ratio <= w[1].ratio);
                match out.swing.direction {
                    SwingDirection::Up => prop_assert!(w[0].price >= w[1].price),
                    SwingDirection::Down => prop_assert!(w[0].price <= w[1].price),
                }
            }
            // The 0 % and 100 % levels are the swing's ends.
            let (first, last) = (levels[0], levels[6]);
            let (end, start) = match out.swing.direction {
                SwingDirection::Up => (out.swing.high, out.swing.low),
                SwingDirection::Down => (out.swing.low, out.swing.high),
            };
            prop_assert_eq!(first.price, end);
            prop_assert!(close_rel(last.price, start, 1e-12));
            if let Some(r) = out.retracement {
                prop_assert!((-1e-12..=1.0 + 1e-12).contains(&r), "close inside the window's range");
            }
        }
    }

    #[test]
    fn f32_tracks_f64(b in bars(40..200)) {
        let c64: Vec<f64> = b.iter().map(|x| x.close).collect();
        let c32: Vec<f32> = c64.iter().map(|&x| x as f32).collect();
        let r64 = run(Rsi::<f64>::new(14).unwrap(), &c64);
        let r32 = run(Rsi::<f32>::new(14).unwrap(), &c32);
        for (x, y) in r64.iter().zip(&r32) {
            if let (Some(x), Some(y)) = (x, y) {
                prop_assert!((x - f64::from(*y)).abs() < 0.05, "rsi {x} vs {y}");
            }
        }
        let s64 = run(Sma::<f64>::new(10).unwrap(), &c64);
        let s32 = run(Sma::<f32>::new(10).unwrap(), &c32);
        for (x, y) in s64.iter().flatten().zip(s32.iter().flatten()) {
            prop_assert!(close_rel(*x, f64::from(*y), 1e-5));
        }
        let b32: Vec<Bar<f32>> = b.iter()
            .map(|x| Bar::new(x.open as f32, x.high as f32, x.low as f32, x.close as f32, x.volume as f32))
            .filter(|x| x.validate().is_ok())
            .collect();
        prop_assume!(b32.len() == b.len());
        let a64 = run(Atr::<f64>::new(14).unwrap(), &b);
        let a32 = run(Atr::<f32>::new(14).unwrap(), &b32);
        for (x, y) in a64.iter().flatten().zip(a32.iter().flatten()) {
            prop_assert!(close_rel(*x, f64::from(*y), 1e-4));
        }
    }
}

/// Any f64 at all — NaN, ±inf, subnormals, ±MAX, −0 — anywhere in any field:
/// no indicator panics, and every error leaves the state as it was.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1e6f64..1e6,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
        1 => Just(f64::MIN_POSITIVE / 4.0),
        1 => Just(-0.0),
        1 => Just(0.0),
        1 => any::<f64>(),
    ]
}

fn check_never_panics<I: Indicator + std::fmt::Debug>(mut ind: I, xs: Vec<I::Input>) {
    for x in xs {
        // Compare as text: overflowing sums (inputs near ±f64::MAX) hold NaN.
        let before = format!("{ind:?}");
        if ind.update(x).is_err() {
            assert_eq!(format!("{ind:?}"), before);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_input_panics(
        xs in prop::collection::vec(any_f64(), 0..80),
        ys in prop::collection::vec(any_f64(), 0..80),
        n in 1usize..6,
    ) {
        let pairs: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
        let bars: Vec<Bar> = xs
            .chunks(5)
            .filter(|c| c.len() == 5)
            .map(|c| Bar::new(c[0], c[1], c[2], c[3], c[4]))
            .chain(pairs.iter().map(|&(a, b)| Bar::new(a, a.max(b), a.min(b), b, a.abs())))
            .collect();
        check_never_panics(apex_ta::Sma::new(n).unwrap(), xs.clone());
        check_never_panics(apex_ta::Ema::new(n).unwrap(), xs.clone());
        check_never_panics(apex_ta::Wilder::new(n).unwrap(), xs.clone());
        check_never_panics(Rsi::new(n).unwrap(), xs.clone());
        check_never_panics(Macd::new(n, n + 1, n).unwrap(), xs.clone());
        check_never_panics(StdDev::new(n).unwrap(), xs.clone());
        check_never_panics(RollingMax::new(n).unwrap(), xs.clone());
        check_never_panics(RollingMin::new(n).unwrap(), xs.clone());
        check_never_panics(VolumeZScore::new(n + 1).unwrap(), xs.clone());
        check_never_panics(RelativeRatio::new(n).unwrap(), pairs.clone());
        check_never_panics(RelativePerformance::new(n).unwrap(), pairs.clone());
        check_never_panics(TrueRange::new(), bars.clone());
        check_never_panics(Atr::new(n).unwrap(), bars.clone());
        check_never_panics(apex_ta::Natr::new(n).unwrap(), bars.clone());
        check_never_panics(FibonacciLevels::new(n).unwrap().with_min_swing(0.01).unwrap(), bars.clone());
    }
}
