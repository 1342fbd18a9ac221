//! No look-ahead: the score at bar t is paired with close[t+h]/close[t] − 1,
//! and with nothing else.

use apex_ta::eval::{evaluate, Observation};
use apex_ta::Label;

use crate::common::{config, random_walk, Rng};

/// Closes of a random walk; only bar `t` scored (strong buy); every other bar
/// scored neutral.
fn one_marked_bar(closes: &[f64], t: usize) -> Vec<Observation> {
    closes
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let label = if i == t {
                Label::StrongBuy
            } else {
                Label::Neutral
            };
            Observation::new(
                i as i64,
                Some(if i == t { 90.0 } else { 50.0 }),
                Some(label),
                c,
            )
        })
        .collect()
}

fn strong_buy_mean(obs: &[Observation], h: usize) -> f64 {
    let e = evaluate(obs, &config(&[h])).unwrap();
    e.horizons[0]
        .full
        .absolute
        .label(Label::StrongBuy)
        .mean
        .unwrap()
}

#[test]
fn the_pairing_is_close_t_plus_h_over_close_t() {
    let mut rng = Rng::new(11);
    let closes = random_walk(&mut rng, 40, 0.02);
    let (t, h) = (10, 3);
    let obs = one_marked_bar(&closes, t);
    let base = strong_buy_mean(&obs, h);
    assert_eq!(base, closes[t + h] / closes[t] - 1.0);

    // Later closes (after t+h), intermediate closes (t+1..t+h−1) and earlier
    // closes do not matter…
    let mut changed = obs.clone();
    for i in (t + h + 1..40).chain(t + 1..t + h).chain(0..t) {
        changed[i].close *= 1.5;
    }
    // …nor do later (and earlier) scores and labels of other bars.
    for (i, o) in changed.iter_mut().enumerate() {
        if i != t {
            o.score = Some(10.0 + (i % 7) as f64);
            o.label = Some(Label::Sell);
        }
    }
    assert_eq!(strong_buy_mean(&changed, h), base);

    // close[t+h] and close[t] do.
    let mut moved = obs.clone();
    moved[t + h].close *= 1.01;
    assert_ne!(strong_buy_mean(&moved, h), base);
    let mut moved = obs;
    moved[t].close *= 1.01;
    assert_ne!(strong_buy_mean(&moved, h), base);
}

#[test]
fn relative_pairing_uses_the_benchmark_over_the_same_bars() {
    let mut rng = Rng::new(12);
    let closes = random_walk(&mut rng, 30, 0.02);
    let bench = random_walk(&mut rng, 30, 0.01);
    let (t, h) = (7, 4);
    let obs: Vec<Observation> = one_marked_bar(&closes, t)
        .into_iter()
        .zip(&bench)
        .map(|(o, &b)| o.with_benchmark(b))
        .collect();
    let e = evaluate(&obs, &config(&[h])).unwrap();
    let r = e.horizons[0].full.relative.as_ref().unwrap();
    let expected = (closes[t + h] / closes[t] - 1.0) - (bench[t + h] / bench[t] - 1.0);
    assert_eq!(r.label(Label::StrongBuy).mean, Some(expected));
}

/// Score = a strictly increasing function of a return; distinct returns.
fn scored_by(closes: &[f64], ret: impl Fn(usize) -> Option<f64>) -> Vec<Observation> {
    closes
        .iter()
        .enumerate()
        .map(|(t, &c)| {
            let score = ret(t).map(|r| 50.0 + 50.0 * (20.0 * r).tanh());
            Observation::new(t as i64, score, None, c)
        })
        .collect()
}

#[test]
fn a_score_of_the_future_return_has_ic_one_and_of_the_past_return_does_not() {
    let mut rng = Rng::new(13);
    let closes = random_walk(&mut rng, 500, 0.01);
    for h in [1, 5, 20] {
        let future = scored_by(&closes, |t| closes.get(t + h).map(|c| c / closes[t] - 1.0));
        let e = evaluate(&future, &config(&[h])).unwrap();
        let a = &e.horizons[0].full.absolute;
        assert_eq!(a.all.count, 500 - h);
        assert_eq!(a.ic.ic, Some(1.0), "h = {h}");

        let past = scored_by(&closes, |t| {
            t.checked_sub(h).map(|s| closes[t] / closes[s] - 1.0)
        });
        let e = evaluate(&past, &config(&[h])).unwrap();
        let ic = e.horizons[0].full.absolute.ic.ic.unwrap();
        assert!(ic.abs() < 0.3, "h = {h}: past-return IC {ic}");

        // Off by one bar in either direction is not 1 either.
        let shifted = scored_by(&closes, |t| {
            closes.get(t + h + 1).map(|c| c / closes[t + 1] - 1.0)
        });
        let e = evaluate(&shifted, &config(&[h])).unwrap();
        assert!(e.horizons[0].full.absolute.ic.ic.unwrap() < 0.999);
    }
}
