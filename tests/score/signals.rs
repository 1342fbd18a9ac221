//! Each statement of the motivating analysis, as a synthetic scenario fed
//! through the APEX scorer (not just the signal function).

use apex_ta::score::{
    ApexConfig, ApexScorer, Composite, RatesSignal, RsiSignal, Scorer, SpreadSignal, APEX_SIGNALS,
};

use crate::common::{bars, calm, run, sub, Day, Feeder};

fn feeder() -> Feeder {
    let mut f = Feeder::new(ApexScorer::default());
    f.feed(&calm(120, 7));
    f
}

/// Declines gently, the 2-year yield moving `yield_step` a day, until
/// RSI(14) is in the 35–42 entry zone, around 38.
fn dip(yield_step: f64) -> Feeder {
    let mut f = feeder();
    let mut steps = 0;
    while f.apex.readings().rsi.unwrap() > 39.0 {
        let mut d = f.today();
        d.close *= 0.997;
        d.yield_2y = d.yield_2y.map(|y| y + yield_step);
        f.push(d);
        steps += 1;
        assert!(steps < 60, "RSI never reached the entry zone");
    }
    for _ in 0..25 - steps.min(25) {
        // Hold the dip while the yield window fills with the move.
        let mut d = f.today();
        d.yield_2y = d.yield_2y.map(|y| y + yield_step);
        f.push(d);
    }
    f
}

#[test]
fn rsi_dip_is_an_entry_in_full_when_yields_fall_in_half_when_they_rise() {
    for (step, want) in [(-0.005, 1.0), (0.005, 0.5)] {
        let f = dip(step);
        let r = *f.apex.readings();
        let rsi = r.rsi.unwrap();
        assert!((20.0..=42.0).contains(&rsi), "rsi {rsi}");
        assert_eq!(r.yield_change.unwrap() < 0.0, step < 0.0);
        let s = f.score();
        assert_eq!(sub(&s, "rsi"), Some(want), "RSI {rsi}, yields {step}");
        assert_eq!(
            sub(&s, "rsi"),
            RsiSignal::default().score(rsi, r.yield_change)
        );
        assert!(s.component("rsi").unwrap().contribution > 0.0);
    }
}

#[test]
fn overbought_rsi_scores_bearish() {
    let mut f = feeder();
    for _ in 0..15 {
        let mut d = f.today();
        d.close *= 1.012;
        f.push(d);
    }
    assert!(f.apex.readings().rsi.unwrap() >= 70.0);
    assert_eq!(sub(&f.score(), "rsi"), Some(-1.0));
}

/// The prior 20 closes' extremes and mean volume.
fn prior(f: &Feeder) -> (f64, f64, f64) {
    let closes = &f.closes[f.closes.len() - 20..];
    let vols = &f.volumes[f.volumes.len() - 20..];
    (
        closes.iter().copied().fold(f64::MIN, f64::max),
        closes.iter().copied().fold(f64::MAX, f64::min),
        vols.iter().sum::<f64>() / 20.0,
    )
}

#[test]
fn volume_spike_on_a_breakout_is_bullish_and_on_a_breakdown_capitulation() {
    // Breakout: close 1.5 % above the prior 20-day high on 2.5× average volume.
    let mut f = feeder();
    let (high, _, avg) = prior(&f);
    let mut d = f.today();
    d.close = high * 1.015;
    d.volume = 2.5 * avg;
    f.push(d);
    assert_eq!(f.apex.readings().bar_direction, Some(1.0));
    assert!(f.apex.readings().volume_ratio.unwrap() >= 2.0);
    assert_eq!(sub(&f.score(), "volume"), Some(1.0));

    // Breakdown: 1.5 % below the prior 20-day low on the same spike.
    let mut f = feeder();
    let (_, low, avg) = prior(&f);
    let mut d = f.today();
    d.close = low * 0.985;
    d.volume = 2.5 * avg;
    f.push(d);
    assert_eq!(f.apex.readings().bar_direction, Some(-1.0));
    assert_eq!(sub(&f.score(), "volume"), Some(0.5));

    // The same breakout on ordinary volume says nothing.
    let mut f = feeder();
    let (high, _, avg) = prior(&f);
    let mut d = f.today();
    d.close = high * 1.015;
    d.volume = avg;
    f.push(d);
    assert_eq!(sub(&f.score(), "volume"), Some(0.0));
}

/// Calm market, then 40 days in which the target gains `edge` per day more
/// than SPY and QQQ.
fn relative_run(edge: f64) -> Feeder {
    let mut f = feeder();
    for _ in 0..40 {
        let mut d = f.today();
        d.close *= 1.0 + edge;
        d.spy *= 1.0;
        d.qqq *= 1.0;
        f.push(d);
    }
    f
}

#[test]
fn a_stretched_target_to_spy_ratio_vetoes_a_chase_a_washed_out_one_is_bullish() {
    let up = relative_run(0.002);
    assert!(up.apex.readings().ratio_distance_pct.unwrap() > 0.0);
    assert!(sub(&up.score(), "vs_spy").unwrap() < -0.3);
    let down = relative_run(-0.002);
    assert!(down.apex.readings().ratio_distance_pct.unwrap() < 0.0);
    assert!(sub(&down.score(), "vs_spy").unwrap() > 0.3);
}

#[test]
fn a_lead_over_qqq_already_run_scores_bearish_a_lag_bullish() {
    let lead = relative_run(0.0015);
    let spread = lead.apex.readings().relative.unwrap();
    // 20 days of +0.15 %: about 3 points of return spread.
    assert!(
        (spread - (1.0015_f64.powi(20) - 1.0)).abs() < 1e-9,
        "{spread}"
    );
    let s = sub(&lead.score(), "vs_qqq").unwrap();
    assert_eq!(Some(s), SpreadSignal::default().score(spread));
    assert!(s < -0.5);
    let lag = relative_run(-0.0015);
    assert!(sub(&lag.score(), "vs_qqq").unwrap() > 0.5);
}

fn yields_run(step: f64) -> Feeder {
    let mut f = feeder();
    for _ in 0..25 {
        let mut d = f.today();
        d.yield_2y = d.yield_2y.map(|y| y + step);
        f.push(d);
    }
    f
}

#[test]
fn falling_two_year_yields_score_bullish_rising_bearish() {
    let falling = yields_run(-0.01); // −20 bp over the 20-day window
    let change = falling.apex.readings().yield_change.unwrap();
    assert!((change + 0.20).abs() < 1e-9, "{change}");
    let s = sub(&falling.score(), "rates").unwrap();
    assert_eq!(Some(s), RatesSignal::default().score(change));
    assert!(s > 0.6);
    assert!(sub(&yields_run(0.01).score(), "rates").unwrap() < -0.6);
}

fn volatility_run(half_range: f64) -> Feeder {
    let mut f = Feeder::new(ApexScorer::default());
    let mut days = calm(120, 3);
    for d in &mut days {
        d.half_range = half_range;
    }
    f.feed(&days);
    f
}

#[test]
fn atr_in_the_normal_regime_says_nothing_fear_counts_half_bullish() {
    let normal = volatility_run(0.008);
    let natr = normal.apex.readings().natr.unwrap();
    assert!((1.5..=2.5).contains(&natr), "natr {natr}");
    assert_eq!(sub(&normal.score(), "atr"), Some(0.0));
    let wild = volatility_run(0.03);
    assert!(wild.apex.readings().natr.unwrap() > 4.0);
    assert_eq!(sub(&wild.score(), "atr"), Some(0.5));
}

/// Flat for 60 days at 100, up to 120 over 30 days, then down to `to`.
fn swing_run(to: f64) -> Feeder {
    let mut f = Feeder::new(ApexScorer::default());
    let base = calm(1, 5)[0];
    let flat = Day {
        close: 100.0,
        volume: 1.0e6,
        half_range: 0.004,
        ..base
    };
    for _ in 0..60 {
        f.push(flat);
    }
    for i in 1..=30 {
        f.push(Day {
            close: 100.0 + 20.0 * f64::from(i) / 30.0,
            ..flat
        });
    }
    for i in 1..=10 {
        f.push(Day {
            close: 120.0 + (to - 120.0) * f64::from(i) / 10.0,
            ..flat
        });
    }
    f
}

#[test]
fn fibonacci_a_deep_pullback_is_bullish_the_swing_high_bearish() {
    let half = swing_run(110.0); // the 50 % retracement: half way to fair
    let r = half.apex.readings().retracement.unwrap();
    assert!((r - 0.5).abs() < 0.02, "retracement {r}");
    let s = sub(&half.score(), "fib").unwrap();
    assert!((0.3..0.7).contains(&s), "{s}");
    let deep = swing_run(102.0); // below the 61.8 % retracement
    assert!(deep.apex.readings().retracement.unwrap() > 0.786);
    assert_eq!(sub(&deep.score(), "fib"), Some(1.0));
    let high = swing_run(120.0); // still at the swing's high
    assert!(high.apex.readings().retracement.unwrap() < 0.05);
    assert!(sub(&high.score(), "fib").unwrap() < -0.9);
}

/// Flat for 60 days, then 8 days moving `daily` (a fraction), then one day
/// moving `turn`.
fn macd_run(daily: f64, turn: f64) -> (Feeder, f64, f64) {
    let mut f = Feeder::new(ApexScorer::default());
    let base = calm(1, 9)[0];
    let day = |close: f64| Day {
        close,
        half_range: 0.01,
        ..base
    };
    for _ in 0..60 {
        f.push(day(100.0));
    }
    let mut close = 100.0;
    for _ in 0..8 {
        close *= 1.0 + daily;
        f.push(day(close));
    }
    let run_sub = sub(&f.score(), "macd").unwrap();
    let run_hist = f.apex.readings().macd_histogram.unwrap();
    f.push(day(close * (1.0 + turn)));
    assert_eq!(run_hist > 0.0, daily > 0.0, "{run_hist}");
    // A run in the histogram's own direction is momentum: no reading.
    assert_eq!(run_sub, 0.0);
    (f, run_hist, run_sub)
}

#[test]
fn macd_a_turn_towards_zero_counts_momentum_itself_does_not() {
    // After a rally, the first down day: the buying fades, a veto.
    let (top, run_hist, _) = macd_run(0.01, -0.03);
    let h = top.apex.readings().macd_histogram.unwrap();
    assert!(h > 0.0 && h < run_hist, "{h} {run_hist}");
    assert!(sub(&top.score(), "macd").unwrap() < -0.5);
    // After a sell-off, the first up day: the selling exhausts, a confirmation.
    let (bottom, run_hist, _) = macd_run(-0.01, 0.03);
    let h = bottom.apex.readings().macd_histogram.unwrap();
    assert!(h < 0.0 && h > run_hist, "{h} {run_hist}");
    assert!(sub(&bottom.score(), "macd").unwrap() > 0.5);
}

#[test]
fn a_sell_off_with_collapsing_yields_is_the_analysis_entry_not_switched_off() {
    // A crash in small caps alone: wide ranges, IWM down 1.5 % a day while
    // SPY and QQQ hold, yields collapsing 5 bp a day (cuts being priced).
    // APEX v1's risk-off gate zeroed the dip and the rates readings here.
    let mut f = feeder();
    for _ in 0..25 {
        let mut d = f.today();
        d.close *= 0.985;
        d.half_range = 0.035;
        d.yield_2y = d.yield_2y.map(|y| y - 0.05);
        f.push(d);
    }
    let s = f.score();
    assert!(f.apex.readings().natr.unwrap() > 4.0);
    assert_eq!(sub(&s, "rates"), Some(1.0));
    assert_eq!(sub(&s, "rsi"), Some(1.0));
    assert_eq!(sub(&s, "atr"), Some(0.5));
    assert_eq!(sub(&s, "vs_spy"), Some(1.0));
    assert_eq!(sub(&s, "vs_qqq"), Some(1.0));
    assert!(s.value() >= 70.0, "{s}");
}

#[test]
fn a_missing_yield_renormalises_over_the_other_seven() {
    let with: Vec<Day> = calm(200, 11);
    let without: Vec<Day> = with
        .iter()
        .map(|d| Day {
            yield_2y: None,
            ..*d
        })
        .collect();
    let mut none = ApexScorer::default();
    let a = run(&mut none, &bars(&without));
    // The same market with the yield present but weight 0, and the RSI rule
    // told to ignore it (its `rising_rates` damping reads the yield too):
    // identical scores.
    let mut config = ApexConfig::default();
    config.weights.rates = 0.0;
    config.rsi.rising_rates = 1.0;
    let mut zero = ApexScorer::new(config).unwrap();
    let b = run(&mut zero, &bars(&with));
    let (mut compared, mut checked) = (0, 0);
    for (x, y) in a.iter().zip(&b) {
        if let (Some(x), Some(y)) = (x, y) {
            assert_eq!(x.value(), y.value());
            assert_eq!(x.total(), 8);
            assert_eq!(sub(x, "rates"), None);
            compared += 1;
            // And equal to a seven-signal composite of the same sub-scores.
            if x.ready() == 7 {
                static SEVEN: [&str; 7] =
                    ["rsi", "macd", "fib", "volume", "atr", "vs_spy", "vs_qqq"];
                let w = ApexConfig::default().weights.to_array();
                let c = Composite::new(&SEVEN, &w[..7]).unwrap();
                let subs: Vec<Option<f64>> = SEVEN.iter().map(|n| sub(x, n)).collect();
                let direct = c.combine(&subs).unwrap();
                assert!((direct.value() - x.value()).abs() < 1e-12);
                checked += 1;
            }
        }
    }
    assert!(compared > 100 && checked > 100, "{compared} {checked}");
    assert_eq!(APEX_SIGNALS[7], "rates");
    // The rates weight is really dropped: the ready weights sum to the others'.
    let last = a.last().copied().flatten().unwrap();
    let w: f64 = last
        .components()
        .filter(|c| c.is_ready())
        .map(|c| c.weight)
        .sum();
    assert!((w - 0.80).abs() < 1e-12);
}

#[test]
fn first_score_needs_min_ready_signals() {
    let days = calm(60, 13);
    let mut apex = ApexScorer::default();
    let out = run(&mut apex, &bars(&days));
    // With a yield: RSI, ATR (14), volume (19), breadth and rates (20).
    let first = out.iter().position(Option::is_some).unwrap();
    assert_eq!(first, 20);
    assert_eq!(out[first].unwrap().ready(), 5);
    assert!(!ApexScorer::<f64>::default().is_ready());
    let without: Vec<Day> = days
        .iter()
        .map(|d| Day {
            yield_2y: None,
            ..*d
        })
        .collect();
    let mut apex = ApexScorer::default();
    let out = run(&mut apex, &bars(&without));
    // MACD joins at 34: its first histogram (33) has no previous one to turn from.
    assert_eq!(out.iter().position(Option::is_some), Some(34));
}
