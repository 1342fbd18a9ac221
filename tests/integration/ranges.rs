//! Inputs inside the float range whose later arithmetic would overflow:
//! rejected with a named error, state unchanged; every output and every
//! state finite (issue 13, item 4).

use std::fmt::Debug;

use apex_ta::{
    Bar, Bbands, Beta, Correl, Error, Indicator, LinearReg, MaType, Natr, RelativePerformance,
    RelativeRatio, StdDev, Var, VolumeZScore, Vwap, VwapAnchor,
};

/// The reported stream: 1e200-sized values between small ones. Before the
/// fix `StdDev(3)` answered `inf`, then `0.0` for the non-flat windows
/// `[3e200, 1e200, 2e200]`, `[1, 2, 4]` and `[2, 4, 1]` (its sum of squares
/// had become NaN).
const STREAM: [f64; 11] = [
    1.0, 2.0, 3.0, 1e200, 3e200, 1e200, 2e200, 1.0, 2.0, 4.0, 1.0,
];

/// Feeds `inputs`; returns each result as text (outputs bit for bit) and
/// checks that every rejected input left the state as it was.
fn run<I>(ind: &mut I, inputs: &[I::Input]) -> Vec<Result<String, Error>>
where
    I: Indicator + Clone + PartialEq + Debug,
    I::Input: Clone,
    I::Output: Debug,
{
    inputs
        .iter()
        .map(|x| {
            let before = ind.clone();
            let r = ind.update(x.clone());
            if r.is_err() {
                assert_eq!(*ind, before, "state changed by a rejected input");
            }
            r.map(|o| format!("{o:?}"))
        })
        .collect()
}

/// The accepted outputs of `inputs` equal, bit for bit, those of the stream
/// with the rejected inputs left out; returns the rejections' errors.
fn rejected_are_forgotten<I>(make: impl Fn() -> I, inputs: &[I::Input]) -> Vec<Error>
where
    I: Indicator + Clone + PartialEq + Debug,
    I::Input: Clone,
    I::Output: Debug,
{
    let mixed = run(&mut make(), inputs);
    let kept: Vec<I::Input> = inputs
        .iter()
        .zip(&mixed)
        .filter(|(_, r)| r.is_ok())
        .map(|(x, _)| x.clone())
        .collect();
    let clean = run(&mut make(), &kept);
    let accepted: Vec<_> = mixed.iter().filter_map(|r| r.clone().ok()).collect();
    let clean: Vec<_> = clean.into_iter().map(Result::unwrap).collect();
    assert_eq!(accepted, clean);
    mixed.into_iter().filter_map(Result::err).collect()
}

fn out_of_range(e: &Error, field: &str) -> bool {
    matches!(e, Error::OutOfRange { field: f, .. } if *f == field)
}

/// Population σ of a window, two-pass.
fn sigma(w: &[f64]) -> f64 {
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt()
}

#[test]
fn stddev_rejects_inputs_whose_squares_could_overflow() {
    let mut sd = StdDev::new(3).unwrap();
    let out: Vec<Option<f64>> = STREAM
        .iter()
        .map(|&x| match sd.update(x) {
            Ok(v) => v,
            Err(e) => {
                assert!(out_of_range(&e, "close"), "{e}");
                assert_eq!(
                    e.to_string(),
                    format!("input `close` = {x:e} is out of range: its magnitude must be at most 1e150")
                );
                Some(-1.0) // marks a rejection
            }
        })
        .collect();
    // The accepted stream is 1, 2, 3, 1, 2, 4, 1: windows [1,2,3], [2,3,1],
    // [3,1,2], [1,2,4], [2,4,1].
    let want = [
        None,
        None,
        Some(sigma(&[1.0, 2.0, 3.0])),
        Some(-1.0),
        Some(-1.0),
        Some(-1.0),
        Some(-1.0),
        Some(sigma(&[2.0, 3.0, 1.0])),
        Some(sigma(&[3.0, 1.0, 2.0])),
        Some(sigma(&[1.0, 2.0, 4.0])),
        Some(sigma(&[2.0, 4.0, 1.0])),
    ];
    assert_eq!(out.len(), want.len());
    for (i, (g, w)) in out.iter().zip(&want).enumerate() {
        match (g, w) {
            (Some(g), Some(w)) => assert!((g - w).abs() <= 1e-15 * w.abs(), "{i}: {g} vs {w}"),
            _ => assert_eq!(g, w, "{i}"),
        }
    }
    assert!(sd.variance().unwrap() > 1.5); // [2, 4, 1]: 14/9
}

#[test]
fn every_variance_input_has_the_same_limit_and_forgets_rejections() {
    let errs = rejected_are_forgotten(|| StdDev::new(3).unwrap(), &STREAM);
    assert_eq!(errs.len(), 4);
    let errs = rejected_are_forgotten(|| Var::new(3, 1.0).unwrap(), &STREAM);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "close")));
    let errs = rejected_are_forgotten(|| Bbands::new(3, 2.0, 2.0, MaType::Sma).unwrap(), &STREAM);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "close")));
    let errs = rejected_are_forgotten(|| VolumeZScore::new(3).unwrap(), &STREAM);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "volume")));
    let errs = rejected_are_forgotten(|| LinearReg::new(3).unwrap(), &STREAM);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "close")));
    // CORREL gave 0 for every later window; both legs are checked.
    let pairs: Vec<(f64, f64)> = STREAM.iter().map(|&x| (x, 0.5 * x + 1.0)).collect();
    let errs = rejected_are_forgotten(|| Correl::new(3).unwrap(), &pairs);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "price0")));
    let flipped: Vec<(f64, f64)> = STREAM.iter().map(|&x| (2.0, x)).collect();
    let errs = rejected_are_forgotten(|| Correl::new(3).unwrap(), &flipped);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "price1")));
    let mut c = Correl::new(3).unwrap();
    let last = pairs
        .iter()
        .filter_map(|&p| c.update(p).ok().flatten())
        .last();
    assert!((last.unwrap() - 1.0).abs() < 1e-12); // y = x/2 + 1
                                                  // BETA: the returns are the variance inputs (3.3e199, ... here).
    let errs = rejected_are_forgotten(|| Beta::new(3).unwrap(), &pairs);
    assert!(!errs.is_empty() && errs.iter().all(|e| out_of_range(e, "price0 return")));
    // VWAP's σ: the typical price.
    let bars: Vec<(i64, Bar)> = STREAM
        .iter()
        .enumerate()
        .map(|(i, &x)| (i64::try_from(i).unwrap() * 60, Bar::new(x, x, x, x, 1.0)))
        .collect();
    let errs = rejected_are_forgotten(|| Vwap::new(VwapAnchor::Day, 1.0).unwrap(), &bars);
    assert!(errs.len() == 4 && errs.iter().all(|e| out_of_range(e, "typical price")));
}

/// The limit is where `4·n·x²` stays finite for the longest period: a
/// window of `MAX_PERIOD` values alternating ±limit has a finite variance
/// (limit², exactly representable up to rounding), in both float types.
#[test]
fn the_variance_limit_is_safe_at_the_longest_period() {
    let n = apex_ta::MAX_PERIOD;
    let mut sd = StdDev::<f64>::new(n).unwrap();
    let mut last = None;
    for i in 0..n + 7 {
        let x = if i % 3 == 0 { 1e150 } else { -1e150 };
        last = sd.update(x).unwrap();
    }
    let v = sd.variance().unwrap();
    assert!(v.is_finite() && v > 8e299 && v < 9e299, "{v:e}"); // 8/9 · 1e300
    assert!(last.unwrap().is_finite());
    assert!(sd.update(1.000_000_1e150).is_err());

    let mut sd = StdDev::<f32>::new(n).unwrap();
    for i in 0..n + 7 {
        let x = if i % 3 == 0 { 1e16 } else { -1e16 };
        sd.update(x).unwrap();
    }
    let v = sd.variance().unwrap();
    assert!(v.is_finite() && v > 8e31 && v < 9e31, "{v:e}");
    let e = sd.update(1.01e16).unwrap_err();
    assert!(out_of_range(&e, "close"), "{e}");
}

#[test]
fn ratios_that_vanish_or_overflow_are_rejected() {
    // (1e-300, 1e300) gave a ratio of 0 and a distance of NaN; a benchmark
    // of 5e-324 made the EMA infinite for good.
    let inputs = [
        (1.0, 1.0),
        (1e-300, 1e300),
        (1.0, 5e-324),
        (1e-310, 1e-310), // a subnormal benchmark, even with a ratio of 1
        (2.0, 1.0),
        (1e300, 1e-300),
        (1.0, 1.0),
    ];
    let errs = rejected_are_forgotten(|| RelativeRatio::<f64>::new(2).unwrap(), &inputs);
    assert_eq!(errs.len(), 4, "{errs:?}");
    assert!(out_of_range(&errs[0], "ratio"), "{}", errs[0]);
    assert!(out_of_range(&errs[1], "benchmark"), "{}", errs[1]);
    assert!(out_of_range(&errs[2], "benchmark"), "{}", errs[2]);
    assert!(
        matches!(errs[3], Error::NonFinite { field: "ratio", .. }),
        "{}",
        errs[3]
    );
    let mut rr = RelativeRatio::<f64>::new(2).unwrap();
    let outs: Vec<_> = inputs
        .iter()
        .filter_map(|&p| rr.update(p).ok().flatten())
        .collect();
    assert_eq!(outs.len(), 2);
    assert!(outs
        .iter()
        .all(|o| o.ema.is_finite() && o.distance_pct.is_finite()));
    assert_eq!(outs[1].ratio, 1.0);
    // seed (1 + 2)/2, then 1.5·(1 − 2/3) + 1·2/3
    assert!((outs[1].ema - (0.5 + 2.0 / 3.0)).abs() < 1e-15);
    // The bounds themselves are accepted.
    let mut rr = RelativeRatio::new(1).unwrap();
    assert!(rr.update((1e300, 1.0)).is_ok());
    assert!(rr.update((1e-300, 1.0)).is_ok());
    assert!(rr.update((1.0, 1e-308)).is_err());

    // RelativePerformance: a price of 1e-300 then 1e300 would overflow.
    let inputs = [
        (1e-300, 1.0),
        (1e300, 1.0),  // growth 1e600: overflows
        (3.0, 1.0),    // growth 3e300: out of range
        (1e-299, 1.0), // growth 10
        (2.0, 1.0),    // growth 2e299
    ];
    let errs = rejected_are_forgotten(|| RelativePerformance::new(1).unwrap(), &inputs);
    assert_eq!(errs.len(), 2);
    assert!(
        matches!(
            errs[0],
            Error::NonFinite {
                field: "target growth",
                ..
            }
        ),
        "{}",
        errs[0]
    );
    assert!(out_of_range(&errs[1], "target growth"), "{}", errs[1]);
}

#[test]
fn natr_of_a_tiny_close_is_rejected_not_infinite() {
    let ok = Bar::new(10.0, 11.0, 9.0, 10.0, 1.0);
    // A close of 1e-300 with an ATR around 1e10: 100·ATR/close overflows.
    let tiny = Bar::new(1e10, 2e10, 1e-300, 1e-300, 1.0);
    let errs = rejected_are_forgotten(|| Natr::new(1).unwrap(), &[ok, ok, tiny, ok]);
    assert_eq!(errs.len(), 1);
    assert!(
        matches!(errs[0], Error::NonFinite { field: "natr", .. }),
        "{}",
        errs[0]
    );
    // While warming up there is no NATR to overflow: the bar is accepted.
    let mut natr = Natr::new(2).unwrap();
    assert_eq!(natr.update(tiny).unwrap(), None);
}

#[test]
fn states_after_rejections_stay_finite() {
    // Before the fix such a state held inf or NaN, serialised as JSON null.
    let mut sd = StdDev::new(3).unwrap();
    let mut rr = RelativeRatio::new(2).unwrap();
    for &x in &STREAM {
        let _ = sd.update(x);
        let _ = rr.update((1.0, x.recip()));
    }
    let _ = rr.update((1.0, 5e-324));
    let debug = format!("{sd:?} {rr:?}");
    assert!(!debug.contains("inf") && !debug.contains("NaN"), "{debug}");
}

#[test]
fn rates_of_change_that_overflow_are_rejected() {
    use apex_ta::{Mom, Roc, Rocp, Rocr, Rocr100, Trix};
    // 1e300 / 1e-300 overflows; each change was `inf` before.
    let xs = [1e-300, 1e300, 2e-300, 1.0, 3e-300];
    for errs in [
        rejected_are_forgotten(|| Roc::new(1).unwrap(), &xs),
        rejected_are_forgotten(|| Rocp::new(1).unwrap(), &xs),
        rejected_are_forgotten(|| Rocr::new(1).unwrap(), &xs),
        rejected_are_forgotten(|| Rocr100::new(1).unwrap(), &xs),
    ] {
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            matches!(
                errs[0],
                Error::NonFinite {
                    field: "change",
                    ..
                }
            ),
            "{}",
            errs[0]
        );
    }
    // MOM subtracts: no overflow within the documented range.
    assert!(rejected_are_forgotten(|| Mom::new(1).unwrap(), &xs).is_empty());
    let errs = rejected_are_forgotten(|| Trix::new(1).unwrap(), &xs);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        matches!(errs[0], Error::NonFinite { field: "trix", .. }),
        "{}",
        errs[0]
    );
}
