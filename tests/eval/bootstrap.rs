//! The moving-block bootstrap: deterministic per seed, sensitive to it,
//! around the point estimate, narrower with more data.

use apex_ta::eval::{evaluate, EvalConfig, Evaluation, Interval, Observation};
use apex_ta::Label;

use crate::common::{informative_series, Rng};

fn cfg(horizons: &[usize], seed: u64) -> EvalConfig {
    EvalConfig {
        horizons: horizons.to_vec(),
        seed,
        resamples: 500,
        ..EvalConfig::default()
    }
}

/// Every interval of an evaluation, in a fixed order, as bit patterns.
fn interval_bits(e: &Evaluation) -> Vec<Option<(u64, u64)>> {
    let bits = |i: Option<Interval>| i.map(|i| (i.lo.to_bits(), i.hi.to_bits()));
    let mut out = vec![];
    for h in &e.horizons {
        for p in [Some(&h.full), h.before.as_ref(), h.after.as_ref()]
            .into_iter()
            .flatten()
        {
            for s in [Some(&p.absolute), p.relative.as_ref()]
                .into_iter()
                .flatten()
            {
                for g in s.by_label.iter().chain([&s.buy_side, &s.sell_side, &s.all]) {
                    out.push(bits(g.interval));
                }
                out.push(bits(s.ic.interval));
            }
        }
    }
    out
}

fn with_benchmark(obs: Vec<Observation>, seed: u64) -> Vec<Observation> {
    let mut rng = Rng::new(seed);
    let mut b = 100.0;
    obs.into_iter()
        .map(|o| {
            b *= 1.0 + 0.005 * rng.normal();
            o.with_benchmark(b)
        })
        .collect()
}

#[test]
fn same_input_and_seed_give_bit_identical_intervals() {
    let obs = with_benchmark(informative_series(1, 400, 5, 1.0), 2);
    let mut c = cfg(&[1, 5], 42);
    c.split = Some(250);
    let a = evaluate(&obs, &c).unwrap();
    let b = evaluate(&obs, &c).unwrap();
    assert_eq!(interval_bits(&a), interval_bits(&b));
    assert_eq!(a, b);
    assert!(interval_bits(&a).iter().filter(|i| i.is_some()).count() > 50);
}

#[test]
fn another_seed_gives_other_intervals() {
    let obs = informative_series(3, 400, 5, 1.0);
    let a = evaluate(&obs, &cfg(&[5], 1)).unwrap();
    let b = evaluate(&obs, &cfg(&[5], 2)).unwrap();
    let (ia, ib) = (interval_bits(&a), interval_bits(&b));
    let differ = ia.iter().zip(&ib).filter(|(x, y)| x != y).count();
    assert!(
        differ >= ia.iter().filter(|i| i.is_some()).count() - 1,
        "{differ}"
    );
    // The point estimates do not depend on the seed.
    let (pa, pb) = (&a.horizons[0].full.absolute, &b.horizons[0].full.absolute);
    assert_eq!((pa.all.mean, pa.ic.ic), (pb.all.mean, pb.ic.ic));
}

#[test]
fn a_horizon_s_intervals_do_not_depend_on_the_other_horizons() {
    let obs = informative_series(4, 300, 5, 1.0);
    let alone = evaluate(&obs, &cfg(&[5], 9)).unwrap();
    let together = evaluate(&obs, &cfg(&[20, 5, 1], 9)).unwrap();
    assert_eq!(alone.horizons[0], together.horizons[1]);
}

#[test]
fn intervals_contain_the_point_estimates() {
    for (seed, h) in [(5, 1), (6, 5), (7, 20)] {
        let obs = informative_series(seed, 2000, h, 0.5);
        let e = evaluate(&obs, &cfg(&[h], seed)).unwrap();
        let a = &e.horizons[0].full.absolute;
        for g in a.by_label.iter().chain([&a.buy_side, &a.sell_side, &a.all]) {
            if g.count >= 30 {
                let i = g.interval.unwrap();
                assert!(i.contains(g.mean.unwrap()), "h {h}: {i:?} {:?}", g.mean);
            }
        }
        let ic = a.ic.ic.unwrap();
        let i = a.ic.interval.unwrap();
        assert!(i.contains(ic), "h {h}: {i:?} {ic}");
        assert!(ic > 0.1, "informative score: {ic}");
    }
}

#[test]
fn intervals_narrow_with_more_data() {
    // Same process, 16× the bars: widths shrink about 4×; ask for 2×.
    for h in [1, 5] {
        let small = informative_series(21, 250, h, 0.5);
        let large = informative_series(21, 4000, h, 0.5);
        let width = |obs: &[Observation]| {
            let e = evaluate(obs, &cfg(&[h], 77)).unwrap();
            let a = e.horizons[0].full.absolute.clone();
            (
                a.all.interval.unwrap().width(),
                a.ic.interval.unwrap().width(),
                a.label(Label::Neutral).interval.unwrap().width(),
            )
        };
        let (s, l) = (width(&small), width(&large));
        assert!(l.0 * 2.0 < s.0, "h {h} mean: {s:?} {l:?}");
        assert!(l.1 * 2.0 < s.1, "h {h} IC: {s:?} {l:?}");
        assert!(l.2 * 2.0 < s.2, "h {h} neutral: {s:?} {l:?}");
    }
}

#[test]
fn higher_confidence_gives_wider_intervals() {
    let obs = informative_series(8, 600, 5, 0.5);
    let mut c = cfg(&[5], 3);
    let narrow = evaluate(&obs, &c).unwrap().horizons[0]
        .full
        .absolute
        .all
        .interval
        .unwrap();
    c.confidence = 0.99;
    let wide = evaluate(&obs, &c).unwrap().horizons[0]
        .full
        .absolute
        .all
        .interval
        .unwrap();
    // Same resamples (same seed), outer quantiles.
    assert!(
        wide.lo < narrow.lo && narrow.hi < wide.hi,
        "{narrow:?} {wide:?}"
    );
}

#[test]
fn blocks_keep_dependence_wider_than_an_iid_bootstrap() {
    // Overlapping 20-bar returns are strongly autocorrelated. With blocks of
    // h = 20 the interval of the mean must be wider than the i.i.d.
    // bootstrap's (what blocks of 1 would give). We get the i.i.d. width
    // from the same returns presented as non-overlapping 1-bar data: each
    // bar's close chosen so its 1-bar return equals the 20-bar one.
    let h = 20;
    let obs = informative_series(31, 3000, h, 0.5);
    let e = evaluate(&obs, &cfg(&[h], 5)).unwrap();
    let a = &e.horizons[0].full.absolute;
    let block_width = a.all.interval.unwrap().width();

    let rets: Vec<f64> = (0..obs.len() - h)
        .map(|t| obs[t + h].close / obs[t].close - 1.0)
        .collect();
    // Bars in pairs: close 100 then 100·(1 + r); the second bar unscored.
    let mut iid = vec![];
    for (k, r) in rets.iter().enumerate() {
        let s = obs[k].score;
        iid.push(Observation::new(2 * k as i64, s, None, 100.0));
        iid.push(Observation::new(
            2 * k as i64 + 1,
            None,
            None,
            100.0 * (1.0 + r),
        ));
    }
    let e = evaluate(&iid, &cfg(&[1], 5)).unwrap();
    let b = &e.horizons[0].full.absolute;
    assert_eq!(b.all.count, rets.len());
    assert!((b.all.mean.unwrap() - a.all.mean.unwrap()).abs() < 1e-12);
    let iid_width = b.all.interval.unwrap().width();
    assert!(
        block_width > 1.5 * iid_width,
        "{block_width} vs {iid_width}"
    );
}
