//! Every count, mean, median, hit rate and IC against a naive recomputation
//! written separately here with plain loops.

use apex_ta::eval::{evaluate, EvalConfig, LabelStats, Observation, PeriodResult, ReturnStats};
use apex_ta::Label;
use proptest::prelude::*;

use crate::common::{naive_group, naive_spearman};

const LABELS: [Label; 5] = [
    Label::StrongSell,
    Label::Sell,
    Label::Neutral,
    Label::Buy,
    Label::StrongBuy,
];

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// One used bar as the naive code sees it.
#[derive(Debug, Clone, Copy)]
struct Used {
    score: f64,
    label: Option<Label>,
    ret: f64,
}

/// Which bars a period holds and which may be used.
#[derive(Debug, Clone, Copy)]
enum Which {
    Full,
    Before(i64),
    After(i64),
}

/// The naive period: (bars, used, no_score, no_forward, first, last,
/// absolute samples, relative samples).
#[allow(clippy::type_complexity)]
fn naive_period(
    obs: &[Observation],
    h: usize,
    which: Which,
) -> (
    usize,
    usize,
    usize,
    usize,
    Option<i64>,
    Option<i64>,
    Vec<Used>,
    Vec<Used>,
) {
    let (mut bars, mut used, mut no_score, mut no_forward) = (0, 0, 0, 0);
    let (mut first, mut last) = (None, None);
    let (mut abs, mut rel) = (vec![], vec![]);
    for t in 0..obs.len() {
        let o = obs[t];
        let in_period = match which {
            Which::Full => true,
            Which::Before(s) => o.timestamp < s,
            Which::After(s) => o.timestamp >= s,
        };
        if !in_period {
            continue;
        }
        bars += 1;
        if first.is_none() {
            first = Some(o.timestamp);
        }
        last = Some(o.timestamp);
        let Some(score) = o.score else {
            no_score += 1;
            continue;
        };
        if t + h >= obs.len() {
            no_forward += 1;
            continue;
        }
        let later = obs[t + h];
        if let Which::Before(s) = which {
            if later.timestamp >= s {
                no_forward += 1;
                continue;
            }
        }
        used += 1;
        let ret = later.close / o.close - 1.0;
        abs.push(Used {
            score,
            label: o.label,
            ret,
        });
        if let (Some(b0), Some(b1)) = (o.benchmark, later.benchmark) {
            rel.push(Used {
                score,
                label: o.label,
                ret: ret - (b1 / b0 - 1.0),
            });
        }
    }
    (bars, used, no_score, no_forward, first, last, abs, rel)
}

fn check_group(
    got: &LabelStats,
    values: &[f64],
    n_used: usize,
    h: usize,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(got.count, values.len());
    match naive_group(values) {
        None => {
            prop_assert_eq!((got.mean, got.median, got.hit_rate), (None, None, None));
            prop_assert_eq!(got.interval, None);
        }
        Some((mean, median, hit)) => {
            prop_assert!(near(got.mean.unwrap(), mean), "{:?} {}", got.mean, mean);
            prop_assert!(
                near(got.median.unwrap(), median),
                "{:?} {}",
                got.median,
                median
            );
            prop_assert!(near(got.hit_rate.unwrap(), hit));
            if n_used <= h {
                prop_assert_eq!(got.interval, None);
            }
            // A resample mean lies within the group's range of values.
            if let Some(i) = got.interval {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(i.lo <= i.hi);
                prop_assert!(
                    i.lo >= lo - 1e-12 && i.hi <= hi + 1e-12,
                    "{:?} [{}, {}]",
                    i,
                    lo,
                    hi
                );
            }
        }
    }
    Ok(())
}

fn check_stats(got: &ReturnStats, samples: &[Used], h: usize) -> Result<(), TestCaseError> {
    let n = samples.len();
    let values = |keep: &dyn Fn(Option<Label>) -> bool| -> Vec<f64> {
        samples
            .iter()
            .filter(|u| keep(u.label))
            .map(|u| u.ret)
            .collect()
    };
    for (i, &l) in LABELS.iter().enumerate() {
        check_group(&got.by_label[i], &values(&|x| x == Some(l)), n, h)?;
    }
    check_group(
        &got.buy_side,
        &values(&|x| matches!(x, Some(Label::Buy | Label::StrongBuy))),
        n,
        h,
    )?;
    check_group(
        &got.sell_side,
        &values(&|x| matches!(x, Some(Label::Sell | Label::StrongSell))),
        n,
        h,
    )?;
    check_group(&got.all, &values(&|_| true), n, h)?;
    if n > h {
        prop_assert!(got.all.interval.is_some());
    }

    let xs: Vec<f64> = samples.iter().map(|u| u.score).collect();
    let ys: Vec<f64> = samples.iter().map(|u| u.ret).collect();
    match (got.ic.ic, naive_spearman(&xs, &ys)) {
        (None, None) => {}
        (Some(a), Some(b)) => prop_assert!(near(a, b), "{} {}", a, b),
        (a, b) => prop_assert!(false, "ic {:?} vs naive {:?}", a, b),
    }
    if let Some(i) = got.ic.interval {
        prop_assert!(-1.0 <= i.lo && i.lo <= i.hi && i.hi <= 1.0);
    }
    // Independent bars: positions 0, h, 2h, …
    let mut sx = vec![];
    let mut sy = vec![];
    let mut k = 0;
    while k < n {
        sx.push(xs[k]);
        sy.push(ys[k]);
        k += h;
    }
    prop_assert_eq!(got.ic.independent, sx.len());
    let naive_t = naive_spearman(&sx, &sy).and_then(|rho| {
        let m = sx.len() as f64;
        (sx.len() >= 3 && rho.abs() < 1.0).then(|| rho * ((m - 2.0) / (1.0 - rho * rho)).sqrt())
    });
    match (got.ic.t_stat, naive_t) {
        (None, None) => {}
        (Some(a), Some(b)) => prop_assert!((a - b).abs() <= 1e-6 * (1.0 + b.abs()), "{} {}", a, b),
        // ρ' within rounding of ±1 may be clamped on one side only.
        (a, b) => prop_assert!(
            sx.len() >= 3 && naive_spearman(&sx, &sy).is_some_and(|r| r.abs() > 1.0 - 1e-12),
            "t {:?} vs naive {:?}",
            a,
            b
        ),
    }
    Ok(())
}

fn check_period(
    got: &PeriodResult,
    obs: &[Observation],
    h: usize,
    which: Which,
) -> Result<(), TestCaseError> {
    let (bars, used, no_score, no_forward, first, last, abs, rel) = naive_period(obs, h, which);
    prop_assert_eq!(
        (
            got.bars,
            got.used,
            got.no_score,
            got.no_forward,
            got.first,
            got.last
        ),
        (bars, used, no_score, no_forward, first, last)
    );
    prop_assert_eq!(got.bars, got.used + got.no_score + got.no_forward);
    check_stats(&got.absolute, &abs, h)?;
    let any_benchmark = obs.iter().any(|o| o.benchmark.is_some());
    prop_assert_eq!(got.relative.is_some(), any_benchmark);
    if let Some(r) = &got.relative {
        check_stats(r, &rel, h)?;
    }
    Ok(())
}

fn label() -> impl Strategy<Value = Option<Label>> {
    prop::option::of(prop::sample::select(LABELS.to_vec()))
}

/// Closes and scores drawn partly from small sets, so ties happen.
fn observations() -> impl Strategy<Value = Vec<Observation>> {
    let close = prop_oneof![Just(100.0), Just(110.0), 50.0..150.0_f64];
    let score = prop::option::of(prop_oneof![
        Just(50.0),
        Just(0.0),
        Just(100.0),
        0.0..=100.0_f64
    ]);
    let bench = prop::option::weighted(0.7, prop_oneof![Just(100.0), 80.0..120.0_f64]);
    prop::collection::vec((1i64..5, score, label(), close, bench), 0..60).prop_map(|rows| {
        let mut ts = -20;
        rows.into_iter()
            .map(|(gap, score, label, close, bench)| {
                ts += gap;
                let o = Observation::new(ts, score, label, close);
                match bench {
                    Some(b) => o.with_benchmark(b),
                    None => o,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn matches_a_naive_recomputation(
        obs in observations(),
        horizons in prop::collection::vec(1usize..8, 1..3),
        split in prop::option::of(-30i64..200),
        seed in any::<u64>(),
    ) {
        let config = EvalConfig { horizons: horizons.clone(), split, resamples: 64, seed, ..EvalConfig::default() };
        let e = evaluate(&obs, &config).unwrap();
        prop_assert_eq!(e.horizons.len(), horizons.len());
        for (r, &h) in e.horizons.iter().zip(&horizons) {
            prop_assert_eq!(r.horizon, h);
            check_period(&r.full, &obs, h, Which::Full)?;
            match split {
                None => prop_assert!(r.before.is_none() && r.after.is_none()),
                Some(s) => {
                    check_period(r.before.as_ref().unwrap(), &obs, h, Which::Before(s))?;
                    check_period(r.after.as_ref().unwrap(), &obs, h, Which::After(s))?;
                }
            }
        }
    }
}
