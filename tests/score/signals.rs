//! Each statement of the motivating analysis, as a synthetic scenario fed
//! through the APEX scorer (not just the signal function).

use apex_ta::score::{
    ApexConfig, ApexScorer, Composite, RatesSignal, Scorer, SpreadSignal, APEX_SIGNALS,
};

use crate::common::{bars, calm, run, sub, Day, Feeder};

fn feeder() -> Feeder {
    let mut f = Feeder::new(ApexScorer::default());
    f.feed(&calm(120, 7));
    f
}

#[test]
fn rsi_dip_to_38_after_a_decline_scores_bullish() {
    let mut f = feeder();
    let mut steps = 0;
    // Decline gently until RSI(14) is in the 35–42 entry zone, around 38.
    while f.apex.readings().rsi.unwrap() > 39.0 {
        let mut d = f.today();
        d.close *= 0.997;
        f.push(d);
        steps += 1;
        assert!(steps < 60, "RSI never reached the entry zone");
    }
    let rsi = f.apex.readings().rsi.unwrap();
    assert!((35.0..=42.0).contains(&rsi), "rsi {rsi}");
    let s = f.score();
    assert_eq!(
        f.apex.readings().risk_off_gate,
        Some(1.0),
        "calm market: no damping"
    );
    assert_eq!(
        sub(&s, "rsi"),
        Some(1.0),
        "RSI {rsi} after a decline is an entry"
    );
    assert!(s.component("rsi").unwrap().contribution > 0.0);
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
fn volume_spike_on_a_breakout_is_bullish_and_on_a_breakdown_bearish() {
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
    assert_eq!(sub(&f.score(), "volume"), Some(-1.0));

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
fn rising_target_to_spy_ratio_scores_bullish_falling_bearish() {
    let up = relative_run(0.002);
    assert!(up.apex.readings().ratio_distance_pct.unwrap() > 0.0);
    assert!(sub(&up.score(), "vs_spy").unwrap() > 0.3);
    let down = relative_run(-0.002);
    assert!(sub(&down.score(), "vs_spy").unwrap() < -0.3);
}

#[test]
fn target_leading_qqq_over_20_days_scores_bullish() {
    let lead = relative_run(0.0015);
    let spread = lead.apex.readings().relative.unwrap();
    // 20 days of +0.15 %: about 3 points of return spread.
    assert!(
        (spread - (1.0015_f64.powi(20) - 1.0)).abs() < 1e-9,
        "{spread}"
    );
    let s = sub(&lead.score(), "vs_qqq").unwrap();
    assert_eq!(Some(s), SpreadSignal::default().score(spread));
    assert!(s > 0.5);
    let lag = relative_run(-0.0015);
    assert!(sub(&lag.score(), "vs_qqq").unwrap() < -0.5);
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
fn atr_in_the_normal_band_is_not_bearish_far_above_is_risk_off() {
    let normal = volatility_run(0.008);
    let natr = normal.apex.readings().natr.unwrap();
    assert!((1.5..=2.5).contains(&natr), "natr {natr}");
    assert_eq!(sub(&normal.score(), "atr"), Some(0.25));
    let wild = volatility_run(0.03);
    assert!(wild.apex.readings().natr.unwrap() > 4.0);
    assert_eq!(sub(&wild.score(), "atr"), Some(-1.0));
    assert_eq!(wild.apex.readings().risk_off_gate, Some(0.0));
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
fn fibonacci_support_is_bullish_losing_78_6_is_bearish() {
    let support = swing_run(110.0); // the 50 % retracement
    let r = support.apex.readings().retracement.unwrap();
    assert!((0.382..=0.618).contains(&r), "retracement {r}");
    assert_eq!(sub(&support.score(), "fib"), Some(1.0));
    let lost = swing_run(102.0);
    assert!(lost.apex.readings().retracement.unwrap() > 0.786);
    assert!(sub(&lost.score(), "fib").unwrap() < 0.0);
}

#[test]
fn macd_histogram_positive_and_rising_is_bullish() {
    let mut f = Feeder::new(ApexScorer::default());
    let base = calm(1, 9)[0];
    for _ in 0..60 {
        f.push(Day {
            close: 100.0,
            half_range: 0.01,
            ..base
        });
    }
    for i in 1..=8 {
        f.push(Day {
            close: 100.0 * 1.01_f64.powi(i),
            half_range: 0.01,
            ..base
        });
    }
    assert!(sub(&f.score(), "macd").unwrap() > 0.5);
    for i in 1..=8 {
        f.push(Day {
            close: 108.3 * 0.99_f64.powi(i),
            half_range: 0.01,
            ..base
        });
    }
    assert!(sub(&f.score(), "macd").unwrap() < -0.5);
}

#[test]
fn risk_off_gate_damps_falling_yields_in_a_panic() {
    // A crash: wide ranges, falling prices and yields collapsing 5 bp a day.
    let panic_days = |f: &mut Feeder| {
        for _ in 0..25 {
            let mut d = f.today();
            d.close *= 0.985;
            d.half_range = 0.035;
            d.yield_2y = d.yield_2y.map(|y| y - 0.05);
            f.push(d);
        }
    };
    let mut gated = feeder();
    panic_days(&mut gated);
    assert_eq!(gated.apex.readings().risk_off_gate, Some(0.0));
    assert_eq!(sub(&gated.score(), "rates"), Some(0.0));
    assert!(sub(&gated.score(), "rsi").unwrap() <= 0.0);

    let mut config = ApexConfig::default();
    config.risk_off_gate = false;
    let mut ungated = Feeder::new(ApexScorer::new(config).unwrap());
    ungated.feed(&calm(120, 7));
    panic_days(&mut ungated);
    assert_eq!(ungated.apex.readings().risk_off_gate, None);
    assert_eq!(sub(&ungated.score(), "rates"), Some(1.0));
    assert!(ungated.score().value() > gated.score().value());
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
    // The same market with the yield present but weight 0: identical scores.
    let mut config = ApexConfig::default();
    config.weights.rates = 0.0;
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
    assert!((w - 0.85).abs() < 1e-12);
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
    assert_eq!(out.iter().position(Option::is_some), Some(33)); // MACD joins
}
