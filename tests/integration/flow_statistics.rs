//! Tests of the flow and statistics families: TA-Lib parity on the golden
//! files (`tests/golden/{flow,statistics}/`, made by `gen_flow.py` and
//! `gen_statistics.py`), the indicator contract, serde state, f32, and one
//! real invariant or hand-worked value per indicator.

use std::fmt::Debug;

use apex_ta::{
    Ad, AdOsc, Bar, Beta, Correl, Error, Indicator, LinearReg, LinearRegAngle, LinearRegIntercept,
    LinearRegSlope, Obv, StdDev, Tsf, Var,
};

use crate::common::{family_golden, rel_diff, synthetic_bars, Golden, TALIB_REL_TOL};
use crate::contract::contract;

// ------------------------------------------------------------- golden ----

/// Compares one column with TA-Lib's: same first output index, every value
/// within `TALIB_REL_TOL` of TA-Lib's relative to `max(|TA-Lib|, floor(i))`.
/// Returns the largest relative difference.
fn compare(g: &Golden, col: &str, ours: &[Option<f64>], floor: &dyn Fn(usize) -> f64) -> f64 {
    let theirs = g.col(col);
    assert_eq!(ours.len(), theirs.len(), "{}/{col}: length", g.name);
    let first = |v: &[Option<f64>]| v.iter().position(Option::is_some);
    assert_eq!(
        first(ours),
        first(theirs),
        "{}/{col}: first output index differs from TA-Lib",
        g.name
    );
    let mut worst = 0.0_f64;
    for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
        match (o, t) {
            (None, None) => {}
            (Some(o), Some(t)) => {
                let d = rel_diff(*o, *t, floor(i));
                assert!(
                    d <= TALIB_REL_TOL,
                    "{}/{col}[{i}]: ours {o} vs TA-Lib {t} (rel {d:e})",
                    g.name
                );
                worst = worst.max(d);
            }
            _ => panic!("{}/{col}[{i}]: ours {o:?} vs TA-Lib {t:?}", g.name),
        }
    }
    worst
}

fn run<I: Indicator>(
    mut ind: I,
    inputs: &[I::Input],
    f: impl Fn(I::Output) -> f64,
) -> Vec<Option<f64>>
where
    I::Input: Clone,
{
    inputs
        .iter()
        .map(|x| {
            ind.update(x.clone())
                .expect("golden inputs are valid")
                .map(&f)
        })
        .collect()
}

fn id(x: f64) -> f64 {
    x
}

/// Runs every check of one family and prints the worst difference per
/// column (visible with `--nocapture`).
fn report(family: &str, summary: &[String]) {
    println!(
        "{family}: largest relative difference vs TA-Lib 0.8.2:\n  {}",
        summary.join("\n  ")
    );
}

#[test]
fn flow_matches_talib_on_every_series() {
    let mut summary = Vec::new();
    for g in family_golden("flow") {
        let bars = g.bars();
        let volume: Vec<f64> = bars.iter().map(|b| b.volume).collect();
        let talib_ad: Vec<f64> = g.col("ad").iter().map(|v| v.unwrap_or(0.0)).collect();
        // AD and OBV are running totals that cross zero: relative to the
        // bar's volume (the size of one step) where they are small.
        let per_volume = |i: usize| volume[i];
        // ADOSC is a small difference of two averages of the A/D level:
        // relative to that level (plus a bar's volume) where it is small.
        let per_level = |i: usize| talib_ad[i].abs() + volume[i];
        let mut check = |col: &str, ours: Vec<Option<f64>>, floor: &dyn Fn(usize) -> f64| {
            let worst = compare(&g, col, &ours, floor);
            summary.push(format!("{}/{col}: {worst:.1e}", g.name));
        };
        check("ad", run(Ad::new(), &bars, id), &per_volume);
        check("obv", run(Obv::new(), &bars, id), &per_volume);
        for (fast, slow) in [(3, 10), (2, 5), (10, 3)] {
            check(
                &format!("adosc_{fast}_{slow}"),
                run(AdOsc::new(fast, slow).unwrap(), &bars, id),
                &per_level,
            );
        }
    }
    report("flow", &summary);
}

#[test]
fn statistics_match_talib_on_every_series() {
    let mut summary = Vec::new();
    for g in family_golden("statistics") {
        let closes = g.closes();
        let bars = g.bars();
        let high_low: Vec<(f64, f64)> = bars.iter().map(|b| (b.high, b.low)).collect();
        let close_volume: Vec<(f64, f64)> = bars.iter().map(|b| (b.close, b.volume)).collect();
        let none = |_: usize| 0.0;
        // Slopes and angles cross zero: relative to the input's magnitude.
        let price = |i: usize| closes[i].abs();
        // BETA and CORREL cross zero: absolute below 1, their natural unit.
        let unit = |_: usize| 1.0;
        let mut check = |col: &str, ours: Vec<Option<f64>>, floor: &dyn Fn(usize) -> f64| {
            let worst = compare(&g, col, &ours, floor);
            summary.push(format!("{}/{col}: {worst:.1e}", g.name));
        };
        for (n, nbdev) in [(5, 1.0), (20, 1.0), (5, 2.0)] {
            check(
                &format!("var_{n}_{nbdev:.0}"),
                run(Var::new(n, nbdev).unwrap(), &closes, id),
                &none,
            );
        }
        for n in [14, 5] {
            check(
                &format!("linearreg_{n}"),
                run(LinearReg::new(n).unwrap(), &closes, id),
                &none,
            );
            check(
                &format!("linearreg_slope_{n}"),
                run(LinearRegSlope::new(n).unwrap(), &closes, id),
                &price,
            );
            check(
                &format!("linearreg_intercept_{n}"),
                run(LinearRegIntercept::new(n).unwrap(), &closes, id),
                &none,
            );
            check(
                &format!("linearreg_angle_{n}"),
                run(LinearRegAngle::new(n).unwrap(), &closes, id),
                &price,
            );
            check(
                &format!("tsf_{n}"),
                run(Tsf::new(n).unwrap(), &closes, id),
                &none,
            );
        }
        for n in [5, 14] {
            check(
                &format!("beta_{n}"),
                run(Beta::new(n).unwrap(), &high_low, id),
                &unit,
            );
        }
        for n in [30, 10] {
            check(
                &format!("correl_{n}"),
                run(Correl::new(n).unwrap(), &high_low, id),
                &unit,
            );
        }
        check(
            "beta_5_close_volume",
            run(Beta::new(5).unwrap(), &close_volume, id),
            &unit,
        );
        check(
            "correl_10_close_volume",
            run(Correl::new(10).unwrap(), &close_volume, id),
            &unit,
        );
    }
    report("statistics", &summary);
}

#[test]
fn lookbacks_match_talib() {
    let flow = &family_golden("flow")[0];
    let stats = &family_golden("statistics")[0];
    let lead = |g: &Golden, col: &str| g.col(col).iter().take_while(|v| v.is_none()).count();
    assert_eq!(Ad::<f64>::new().lookback(), lead(flow, "ad"));
    assert_eq!(Obv::<f64>::new().lookback(), lead(flow, "obv"));
    for (f, s) in [(3, 10), (2, 5), (10, 3)] {
        let col = format!("adosc_{f}_{s}");
        assert_eq!(
            AdOsc::<f64>::new(f, s).unwrap().lookback(),
            lead(flow, &col)
        );
    }
    assert_eq!(
        Var::<f64>::new(20, 1.0).unwrap().lookback(),
        lead(stats, "var_20_1")
    );
    for n in [5, 14] {
        let lb = lead(stats, &format!("linearreg_{n}"));
        assert_eq!(LinearReg::<f64>::new(n).unwrap().lookback(), lb);
        assert_eq!(LinearRegSlope::<f64>::new(n).unwrap().lookback(), lb);
        assert_eq!(LinearRegIntercept::<f64>::new(n).unwrap().lookback(), lb);
        assert_eq!(LinearRegAngle::<f64>::new(n).unwrap().lookback(), lb);
        assert_eq!(Tsf::<f64>::new(n).unwrap().lookback(), lb);
        assert_eq!(
            Beta::<f64>::new(n).unwrap().lookback(),
            lead(stats, &format!("beta_{n}"))
        );
    }
    for n in [10, 30] {
        assert_eq!(
            Correl::<f64>::new(n).unwrap().lookback(),
            lead(stats, &format!("correl_{n}"))
        );
    }
}

#[test]
fn f32_tracks_talib_closely() {
    // f32 is not held to 1e-10, but it must follow the reference.
    for g in family_golden("statistics") {
        let closes: Vec<f32> = g.closes().iter().map(|&c| c as f32).collect();
        let pairs: Vec<(f32, f32)> = g
            .bars()
            .iter()
            .map(|b| (b.high as f32, b.low as f32))
            .collect();
        let lr = run(LinearReg::<f32>::new(14).unwrap(), &closes, f64::from);
        let var = run(Var::<f32>::new(20, 1.0).unwrap(), &closes, f64::from);
        let r = run(Correl::<f32>::new(30).unwrap(), &pairs, f64::from);
        for i in 0..closes.len() {
            if let (Some(o), Some(t)) = (lr[i], g.col("linearreg_14")[i]) {
                assert!(
                    rel_diff(o, t, 0.0) < 1e-5,
                    "{}: linearreg f32 {o} vs {t}",
                    g.name
                );
            }
            if let (Some(o), Some(t)) = (var[i], g.col("var_20_1")[i]) {
                assert!(rel_diff(o, t, 0.0) < 1e-3, "{}: var f32 {o} vs {t}", g.name);
            }
            if let (Some(o), Some(t)) = (r[i], g.col("correl_30")[i]) {
                assert!((o - t).abs() < 1e-3, "{}: correl f32 {o} vs {t}", g.name);
            }
        }
    }
    for g in family_golden("flow") {
        let bars: Vec<Bar<f32>> = g.bars().iter().map(bar32).collect();
        let ad = run(Ad::<f32>::new(), &bars, f64::from);
        let obv = run(Obv::<f32>::new(), &bars, f64::from);
        let scale = g.bars().iter().map(|b| b.volume).sum::<f64>();
        for i in 0..bars.len() {
            let (o, t) = (ad[i].unwrap(), g.col("ad")[i].unwrap());
            assert!(
                (o - t).abs() < 1e-6 * scale,
                "{}: ad f32 {o} vs {t}",
                g.name
            );
            let (o, t) = (obv[i].unwrap(), g.col("obv")[i].unwrap());
            assert!(
                (o - t).abs() < 1e-6 * scale,
                "{}: obv f32 {o} vs {t}",
                g.name
            );
        }
    }
}

// ----------------------------------------------------------- contract ----

fn bars() -> Vec<Bar> {
    synthetic_bars(400, 7)
}

fn closes() -> Vec<f64> {
    bars().iter().map(|b| b.close).collect()
}

/// (close, open of another series ×4): related but not proportional.
fn pairs() -> Vec<(f64, f64)> {
    bars()
        .iter()
        .zip(synthetic_bars(400, 99))
        .map(|(a, b)| (a.close, b.close * 4.0))
        .collect()
}

fn bar32(b: &Bar) -> Bar<f32> {
    Bar::new(
        b.open as f32,
        b.high as f32,
        b.low as f32,
        b.close as f32,
        b.volume as f32,
    )
}

const BAD_CLOSES: [f64; 3] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

const BAD_PAIRS: [(f64, f64); 4] = [
    (f64::NAN, 100.0),
    (100.0, f64::INFINITY),
    (f64::NEG_INFINITY, 1.0),
    (f64::NAN, f64::NAN),
];

fn bad_bars() -> Vec<Bar> {
    let ok = Bar::new(100.0, 101.0, 99.0, 100.5, 1000.0);
    vec![
        Bar {
            open: f64::NAN,
            ..ok
        },
        Bar {
            high: f64::INFINITY,
            ..ok
        },
        Bar {
            close: f64::NAN,
            ..ok
        },
        Bar {
            volume: f64::NAN,
            ..ok
        },
        Bar { high: 98.0, ..ok },   // high < low
        Bar { close: 98.5, ..ok },  // close below low
        Bar { volume: -1.0, ..ok }, // negative volume
    ]
}

#[test]
fn flow_keeps_the_contract() {
    let (b, bad) = (bars(), bad_bars());
    contract(Ad::new, &b, &bad);
    contract(Obv::new, &b, &bad);
    contract(|| AdOsc::new(3, 10).unwrap(), &b, &bad);
    contract(|| AdOsc::new(10, 3).unwrap(), &b, &bad);
    contract(|| AdOsc::new(2, 2).unwrap(), &b, &bad);
    let b32: Vec<Bar<f32>> = b.iter().map(bar32).collect();
    let bad32 = [
        Bar::new(1.0_f32, 0.5, 2.0, 1.0, 1.0),
        Bar::new(1.0, 1.0, 1.0, 1.0, f32::NAN),
    ];
    contract(Ad::<f32>::new, &b32, &bad32);
    contract(Obv::<f32>::new, &b32, &bad32);
    contract(|| AdOsc::<f32>::new(3, 10).unwrap(), &b32, &bad32);
}

#[test]
fn statistics_keep_the_contract() {
    let (c, p) = (closes(), pairs());
    contract(|| Var::new(5, 1.0).unwrap(), &c, &BAD_CLOSES);
    contract(|| Var::new(1, 1.0).unwrap(), &c, &BAD_CLOSES);
    contract(|| LinearReg::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| LinearReg::new(2).unwrap(), &c, &BAD_CLOSES);
    contract(|| LinearRegSlope::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| LinearRegIntercept::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| LinearRegAngle::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| Tsf::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| Beta::new(5).unwrap(), &p, &BAD_PAIRS);
    contract(|| Beta::new(1).unwrap(), &p, &BAD_PAIRS);
    contract(|| Correl::new(30).unwrap(), &p, &BAD_PAIRS);
    contract(|| Correl::new(1).unwrap(), &p, &BAD_PAIRS);
    let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
    let p32: Vec<(f32, f32)> = p.iter().map(|&(x, y)| (x as f32, y as f32)).collect();
    let bad32 = [f32::NAN, f32::INFINITY];
    let badp32 = [(f32::NAN, 1.0), (1.0, f32::NEG_INFINITY)];
    contract(|| Var::<f32>::new(5, 1.0).unwrap(), &c32, &bad32);
    contract(|| LinearReg::<f32>::new(14).unwrap(), &c32, &bad32);
    contract(|| LinearRegSlope::<f32>::new(14).unwrap(), &c32, &bad32);
    contract(|| Tsf::<f32>::new(5).unwrap(), &c32, &bad32);
    contract(|| Beta::<f32>::new(5).unwrap(), &p32, &badp32);
    contract(|| Correl::<f32>::new(30).unwrap(), &p32, &badp32);
}

#[test]
fn running_totals_and_returns_that_leave_the_float_range_are_rejected() {
    // AD: two full volumes of f64::MAX / 1.5 overflow the total.
    let up = Bar::new(1.0, 2.0, 1.0, 2.0, f64::MAX / 1.5);
    let mut ad = Ad::new();
    assert_eq!(ad.update(up).unwrap(), Some(f64::MAX / 1.5));
    let before = ad.clone();
    let e = ad.update(up).unwrap_err();
    assert!(matches!(e, Error::NonFinite { field: "ad", .. }), "{e}");
    assert_eq!(ad, before);
    let mut osc = AdOsc::new(2, 3).unwrap();
    osc.update(up).unwrap();
    let before = osc.clone();
    assert!(matches!(
        osc.update(up).unwrap_err(),
        Error::NonFinite { field: "ad", .. }
    ));
    assert_eq!(osc, before);
    let mut obv = Obv::new();
    obv.update(up).unwrap();
    let higher = Bar::new(2.0, 3.0, 2.0, 3.0, f64::MAX / 1.5);
    let before = obv.clone();
    assert!(matches!(
        obv.update(higher).unwrap_err(),
        Error::NonFinite { field: "obv", .. }
    ));
    assert_eq!(obv, before);
    // BETA: a previous price just outside TA-Lib's zero band, then a huge one.
    let mut beta = Beta::new(2).unwrap();
    beta.update((1e-13, 1.0)).unwrap();
    let before = beta.clone();
    assert!(matches!(
        beta.update((1e300, 1.0)).unwrap_err(),
        Error::NonFinite {
            field: "price0 return",
            ..
        }
    ));
    assert_eq!(beta, before);
    // ... while a previous price inside the band gives a return of 0.
    let mut beta = Beta::new(1).unwrap();
    beta.update((1e-15, 1.0)).unwrap();
    assert_eq!(beta.update((1e300, 2.0)).unwrap(), Some(0.0)); // no variation
}

#[test]
fn constructors_reject_invalid_parameters_naming_them() {
    fn named<T: Debug>(r: apex_ta::Result<T>, want: &str) {
        match r {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, want),
            other => panic!("expected InvalidParameter({want}), got {other:?}"),
        }
    }
    named(AdOsc::<f64>::new(1, 10), "fast");
    named(AdOsc::<f64>::new(0, 10), "fast");
    named(AdOsc::<f64>::new(3, 1), "slow");
    named(Var::<f64>::new(0, 1.0), "period");
    named(Var::<f64>::new(5, f64::NAN), "nbdev");
    named(Var::<f64>::new(5, f64::INFINITY), "nbdev");
    for n in [0, 1] {
        named(LinearReg::<f64>::new(n), "period");
        named(LinearRegSlope::<f64>::new(n), "period");
        named(LinearRegIntercept::<f64>::new(n), "period");
        named(LinearRegAngle::<f64>::new(n), "period");
        named(Tsf::<f64>::new(n), "period");
    }
    named(Beta::<f64>::new(0), "period");
    named(Correl::<f64>::new(0), "period");
    // TA-Lib's lower bounds are accepted.
    assert!(AdOsc::<f64>::new(2, 2).is_ok());
    assert!(Var::<f64>::new(1, -3.0).is_ok());
    assert!(LinearReg::<f64>::new(2).is_ok());
    assert!(Beta::<f64>::new(1).is_ok() && Correl::<f64>::new(1).is_ok());
}

#[test]
fn defaults_are_talibs() {
    assert_eq!(Ad::<f64>::default().to_string(), "AD");
    assert_eq!(Obv::<f64>::default().to_string(), "OBV");
    assert_eq!(AdOsc::<f64>::default().to_string(), "ADOSC(3, 10)");
    assert_eq!(AdOsc::<f64>::default(), AdOsc::new(3, 10).unwrap());
    assert_eq!(Var::<f64>::default().to_string(), "VAR(5, 1)");
    assert_eq!(Var::<f64>::default(), Var::new(5, 1.0).unwrap());
    assert_eq!(LinearReg::<f64>::default().to_string(), "LINEARREG(14)");
    assert_eq!(LinearReg::<f64>::default(), LinearReg::new(14).unwrap());
    assert_eq!(
        LinearRegSlope::<f64>::default().to_string(),
        "LINEARREG_SLOPE(14)"
    );
    assert_eq!(
        LinearRegIntercept::<f64>::default().to_string(),
        "LINEARREG_INTERCEPT(14)"
    );
    assert_eq!(
        LinearRegAngle::<f64>::default().to_string(),
        "LINEARREG_ANGLE(14)"
    );
    assert_eq!(Tsf::<f64>::default().to_string(), "TSF(14)");
    assert_eq!(Beta::<f64>::default().to_string(), "BETA(5)");
    assert_eq!(Beta::<f64>::default(), Beta::new(5).unwrap());
    assert_eq!(Correl::<f64>::default().to_string(), "CORREL(30)");
    assert_eq!(Correl::<f64>::default(), Correl::new(30).unwrap());
    assert_eq!(AdOsc::<f64>::default().fast_period(), 3);
    assert_eq!(AdOsc::<f64>::default().slow_period(), 10);
    assert_eq!(Var::<f64>::default().nbdev(), 1.0);
    assert_eq!(Correl::<f64>::default().period(), 30);
}
