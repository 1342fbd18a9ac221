//! Tests of the flow and statistics families: TA-Lib parity on the golden
//! files (`tests/golden/{flow,statistics}/`, made by `gen_flow.py` and
//! `gen_statistics.py`), the indicator contract, serde state, f32, and one
//! real invariant or hand-worked value per indicator.

use std::fmt::Debug;

use apex_ta::{
    Ad, AdOsc, Bar, Beta, Correl, Error, Indicator, LinearReg, LinearRegAngle, LinearRegIntercept,
    LinearRegSlope, Obv, StdDev, Tsf, Var,
};

use crate::common::{compare_column, family_golden, rel_diff, synthetic_bars, Golden};
use crate::contract::contract;

// ------------------------------------------------------------- golden ----

/// Compares one column with TA-Lib's: same first output index, every value
/// within `TALIB_REL_TOL` of TA-Lib's relative to `max(|TA-Lib|, floor(i))`.
/// Returns the largest relative difference.
fn compare(g: &Golden, col: &str, ours: &[Option<f64>], floor: &dyn Fn(usize) -> f64) -> f64 {
    compare_column(g, col, ours, floor, &|_| false)
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

/// Closes beyond the variance limit (1e150), for the statistics whose sums
/// hold squares: rejected like NaN, state unchanged.
const BAD_VARIANCE_INPUTS: [f64; 5] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e200, -2e150];

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
    contract(|| Var::new(5, 1.0).unwrap(), &c, &BAD_VARIANCE_INPUTS);
    contract(|| Var::new(1, 1.0).unwrap(), &c, &BAD_VARIANCE_INPUTS);
    contract(|| LinearReg::new(14).unwrap(), &c, &BAD_VARIANCE_INPUTS);
    contract(|| LinearReg::new(2).unwrap(), &c, &BAD_VARIANCE_INPUTS);
    contract(
        || LinearRegSlope::new(14).unwrap(),
        &c,
        &BAD_VARIANCE_INPUTS,
    );
    contract(
        || LinearRegIntercept::new(14).unwrap(),
        &c,
        &BAD_VARIANCE_INPUTS,
    );
    contract(
        || LinearRegAngle::new(14).unwrap(),
        &c,
        &BAD_VARIANCE_INPUTS,
    );
    contract(|| Tsf::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| Beta::new(5).unwrap(), &p, &BAD_PAIRS);
    contract(|| Beta::new(1).unwrap(), &p, &BAD_PAIRS);
    contract(|| Correl::new(30).unwrap(), &p, &BAD_PAIRS);
    contract(
        || Correl::new(30).unwrap(),
        &p,
        &[(1e200, 1.0), (1.0, -1e151)],
    );
    contract(|| Correl::new(1).unwrap(), &p, &BAD_PAIRS);
    let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
    let p32: Vec<(f32, f32)> = p.iter().map(|&(x, y)| (x as f32, y as f32)).collect();
    let bad32 = [f32::NAN, f32::INFINITY];
    let bad_pairs32 = [(f32::NAN, 1.0), (1.0, f32::NEG_INFINITY)];
    contract(|| Var::<f32>::new(5, 1.0).unwrap(), &c32, &bad32);
    contract(|| LinearReg::<f32>::new(14).unwrap(), &c32, &bad32);
    contract(|| LinearRegSlope::<f32>::new(14).unwrap(), &c32, &bad32);
    contract(|| Tsf::<f32>::new(5).unwrap(), &c32, &bad32);
    contract(|| Beta::<f32>::new(5).unwrap(), &p32, &bad_pairs32);
    contract(|| Correl::<f32>::new(30).unwrap(), &p32, &bad_pairs32);
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

// -------------------------------------------------------------- serde ----

#[cfg(feature = "serde")]
mod serde_state {
    use std::fmt::Debug;

    use apex_ta::{
        Ad, AdOsc, Beta, Correl, Indicator, LinearReg, LinearRegAngle, LinearRegIntercept,
        LinearRegSlope, Obv, Tsf, Var,
    };
    use serde::{de::DeserializeOwned, Serialize};
    use serde_json::{json, Value};

    use super::{bar32, bars, closes, pairs};
    use crate::serde_state::round_trip;

    #[test]
    fn every_state_round_trips_mid_stream() {
        let (b, c, p) = (bars(), closes(), pairs());
        round_trip(Ad::new, &b);
        round_trip(Obv::new, &b);
        round_trip(|| AdOsc::new(3, 10).unwrap(), &b);
        round_trip(|| Var::new(5, 1.0).unwrap(), &c);
        round_trip(|| LinearReg::new(14).unwrap(), &c);
        round_trip(|| LinearRegSlope::new(14).unwrap(), &c);
        round_trip(|| LinearRegIntercept::new(14).unwrap(), &c);
        round_trip(|| LinearRegAngle::new(14).unwrap(), &c);
        round_trip(|| Tsf::new(14).unwrap(), &c);
        round_trip(|| Beta::new(5).unwrap(), &p);
        round_trip(|| Correl::new(30).unwrap(), &p);
        let b32: Vec<_> = b.iter().map(bar32).collect();
        let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
        let p32: Vec<(f32, f32)> = p.iter().map(|&(x, y)| (x as f32, y as f32)).collect();
        round_trip(|| AdOsc::<f32>::new(3, 10).unwrap(), &b32);
        round_trip(|| LinearReg::<f32>::new(14).unwrap(), &c32);
        round_trip(|| Correl::<f32>::new(30).unwrap(), &p32);
    }

    /// `ind` after `inputs`, with one JSON field (a path of keys) replaced.
    fn edited<I>(mut ind: I, inputs: &[I::Input], path: &[&str], value: Value) -> String
    where
        I: Indicator + Serialize,
        I::Input: Clone,
    {
        for x in inputs {
            ind.update(x.clone()).unwrap();
        }
        let mut json = serde_json::to_value(&ind).unwrap();
        let mut node = &mut json;
        for key in path {
            node = node
                .get_mut(*key)
                .unwrap_or_else(|| panic!("no field {key} in {path:?}"));
        }
        *node = value;
        json.to_string()
    }

    fn rejected<I: DeserializeOwned + Debug>(json: &str) {
        let r = serde_json::from_str::<I>(json);
        assert!(r.is_err(), "accepted {json}: {r:?}");
    }

    /// The unedited state is accepted (so each rejection below is the edit's).
    fn accepted<I>(mut ind: I, inputs: &[I::Input])
    where
        I: Indicator + Serialize + DeserializeOwned + PartialEq + Debug,
        I::Input: Clone,
    {
        for x in inputs {
            ind.update(x.clone()).unwrap();
        }
        let back: I = serde_json::from_str(&serde_json::to_string(&ind).unwrap()).unwrap();
        assert_eq!(back, ind);
    }

    /// The corruptions every linear-regression indicator must reject.
    fn linreg_cases<I>(make: impl Fn() -> I, c: &[f64])
    where
        I: Indicator<Input = f64> + Serialize + DeserializeOwned + Debug,
    {
        rejected::<I>(&edited(make(), c, &["window", "sxx"], json!(1.0)));
        rejected::<I>(&edited(make(), c, &["window", "ring", "buf"], json!([1.0])));
        rejected::<I>(&edited(make(), c, &["window", "ring", "len"], json!(15)));
        rejected::<I>(&edited(make(), &[], &["window", "wsum"], json!(2.0)));
    }

    #[test]
    fn corrupted_states_are_rejected() {
        let (b, c, p) = (bars(), closes(), pairs());
        let (b, c, p) = (&b[..20], &c[..20], &p[..20]);
        accepted(Ad::new(), b);
        accepted(Obv::new(), b);
        accepted(AdOsc::new(3, 10).unwrap(), b);
        accepted(Var::new(5, 1.0).unwrap(), c);
        accepted(LinearReg::new(14).unwrap(), c);
        accepted(Beta::new(5).unwrap(), p);
        accepted(Correl::new(30).unwrap(), p);

        rejected::<Ad>(&edited(Ad::new(), b, &["ready"], json!(false)));
        rejected::<Obv>(&edited(Obv::new(), b, &["ready"], json!(false)));

        let osc = || AdOsc::new(3, 10).unwrap();
        rejected::<AdOsc>(&edited(osc(), b, &["fast_period"], json!(1)));
        rejected::<AdOsc>(&edited(osc(), b, &["fast_period"], json!(4))); // k no longer 2/(n+1)
        rejected::<AdOsc>(&edited(osc(), b, &["slow_k"], json!(0.5)));
        rejected::<AdOsc>(&edited(osc(), b, &["seen"], json!(11)));
        rejected::<AdOsc>(&edited(osc(), &[], &["fast"], json!(3.0)));

        let var = || Var::new(5, 1.0).unwrap();
        rejected::<Var>(&edited(var(), c, &["stats", "ring", "head"], json!(7)));
        rejected::<Var>(&edited(var(), c, &["stats", "anchor_slot"], json!(5)));

        linreg_cases(|| LinearReg::new(14).unwrap(), c);
        linreg_cases(|| LinearRegSlope::new(14).unwrap(), c);
        linreg_cases(|| LinearRegIntercept::new(14).unwrap(), c);
        linreg_cases(|| LinearRegAngle::new(14).unwrap(), c);
        linreg_cases(|| Tsf::new(14).unwrap(), c);

        let beta = || Beta::new(5).unwrap();
        rejected::<Beta>(&edited(beta(), p, &["prev"], Value::Null));
        rejected::<Beta>(&edited(beta(), p, &["window", "ys", "head"], json!(2)));
        rejected::<Beta>(&edited(beta(), p, &["window", "peak_xx"], json!(-1.0)));

        let correl = || Correl::new(30).unwrap();
        rejected::<Correl>(&edited(correl(), p, &["window", "ys", "len"], json!(19)));
        rejected::<Correl>(&edited(
            correl(),
            p,
            &["window", "ys", "buf"],
            json!([1.0, 2.0]),
        ));
        rejected::<Correl>(&edited(correl(), &[], &["window", "sxy"], json!(1.0)));
    }
}

// --------------------------------------------------------- properties ----

/// A bar's money-flow volume, written out independently of the library.
fn money_flow(b: &Bar) -> f64 {
    if b.high > b.low {
        ((b.close - b.low) - (b.high - b.close)) / (b.high - b.low) * b.volume
    } else {
        0.0
    }
}

#[test]
fn ad_is_the_running_sum_of_money_flow() {
    let b = bars();
    let mut ad = Ad::new();
    let mut total = 0.0;
    for bar in &b {
        total += money_flow(bar);
        assert_eq!(ad.update(*bar).unwrap(), Some(total));
    }
    // Close at the high adds the volume, at the low subtracts it, and a bar
    // with no range adds nothing.
    let mut ad = Ad::new();
    assert_eq!(
        ad.update(Bar::new(5.0, 6.0, 4.0, 6.0, 10.0)).unwrap(),
        Some(10.0)
    );
    assert_eq!(
        ad.update(Bar::new(5.0, 6.0, 4.0, 4.0, 3.0)).unwrap(),
        Some(7.0)
    );
    assert_eq!(
        ad.update(Bar::new(5.0, 5.0, 5.0, 5.0, 99.0)).unwrap(),
        Some(7.0)
    );
    assert_eq!(
        ad.update(Bar::new(5.0, 6.0, 4.0, 5.0, 99.0)).unwrap(),
        Some(7.0)
    );
}

#[test]
fn adosc_is_the_difference_of_two_ad_seeded_emas() {
    let b = bars();
    for (fast, slow) in [(3, 10), (2, 5), (7, 4)] {
        let mut osc = AdOsc::new(fast, slow).unwrap();
        let (kf, ks) = (2.0 / (fast as f64 + 1.0), 2.0 / (slow as f64 + 1.0));
        let (mut ad, mut ef, mut es) = (0.0, 0.0, 0.0);
        for (i, bar) in b.iter().enumerate() {
            ad += money_flow(bar);
            if i == 0 {
                (ef, es) = (ad, ad);
            } else {
                ef = kf * ad + (1.0 - kf) * ef;
                es = ks * ad + (1.0 - ks) * es;
            }
            let got = osc.update(*bar).unwrap();
            if i + 1 < fast.max(slow) {
                assert_eq!(got, None);
            } else {
                let want = ef - es;
                let got = got.unwrap();
                assert!(
                    (got - want).abs() <= 1e-12 * (ad.abs() + bar.volume),
                    "ADOSC({fast}, {slow})[{i}]: {got} vs {want}"
                );
                assert_eq!(osc.ad(), Some(ad));
            }
        }
    }
    // Swapping the periods negates it exactly; equal periods give 0.
    let (mut a, mut z, mut e) = (
        AdOsc::new(3, 10).unwrap(),
        AdOsc::new(10, 3).unwrap(),
        AdOsc::new(6, 6).unwrap(),
    );
    for bar in &b {
        let (x, y, zero) = (
            a.update(*bar).unwrap(),
            z.update(*bar).unwrap(),
            e.update(*bar).unwrap(),
        );
        assert_eq!(x.map(|v| -v), y);
        assert!(zero.is_none_or(|v| v == 0.0));
    }
}

#[test]
fn obv_adds_up_volume_on_up_closes_and_down_closes() {
    let b = bars();
    let mut obv = Obv::new();
    let mut want = b[0].volume;
    assert_eq!(obv.update(b[0]).unwrap(), Some(want));
    for w in b.windows(2) {
        let sign = if w[1].close > w[0].close {
            1.0
        } else if w[1].close < w[0].close {
            -1.0
        } else {
            0.0
        };
        want += sign * w[1].volume;
        assert_eq!(obv.update(w[1]).unwrap(), Some(want));
    }
    assert_eq!(obv.value(), Some(want));
}

/// Population variance, two-pass.
fn naive_var(w: &[f64]) -> f64 {
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / w.len() as f64
}

#[test]
fn var_is_the_population_variance_and_ignores_nbdev() {
    let c = closes();
    let (mut v1, mut v3, mut sd) = (
        Var::new(7, 1.0).unwrap(),
        Var::new(7, -3.0).unwrap(),
        StdDev::new(7).unwrap(),
    );
    for (i, &x) in c.iter().enumerate() {
        let (a, b, s) = (
            v1.update(x).unwrap(),
            v3.update(x).unwrap(),
            sd.update(x).unwrap(),
        );
        assert_eq!(a, b, "nbdev changed VAR at {i}");
        if let (Some(a), Some(s)) = (a, s) {
            let want = naive_var(&c[i - 6..=i]);
            assert!(rel_diff(a, want, 0.0) < 1e-10, "VAR[{i}] {a} vs {want}");
            assert!(
                rel_diff(a, s * s, 0.0) < 1e-12,
                "VAR[{i}] {a} vs STDDEV² {}",
                s * s
            );
        }
    }
    // A window of equal values: exactly 0.
    let mut v = Var::new(3, 1.0).unwrap();
    let out = v.batch(&[0.1, 0.7, 0.3, 0.3, 0.3]).unwrap();
    assert_eq!(out[4], Some(0.0));
    assert!(out[3].unwrap() > 0.0);
}

/// The least-squares line of `w` against t = 0..len: (intercept at t = 0, slope).
fn naive_line(w: &[f64]) -> (f64, f64) {
    let n = w.len() as f64;
    let tm = (n - 1.0) / 2.0;
    let ym = w.iter().sum::<f64>() / n;
    let (mut sty, mut stt) = (0.0, 0.0);
    for (t, y) in w.iter().enumerate() {
        sty += (t as f64 - tm) * (y - ym);
        stt += (t as f64 - tm).powi(2);
    }
    let slope = sty / stt;
    (ym - slope * tm, slope)
}

#[test]
fn linear_regression_family_fits_the_least_squares_line() {
    // On an exact line the fit reproduces it.
    let line: Vec<f64> = (0..30).map(|t| 3.0 + 0.25 * t as f64).collect();
    let n = 6;
    let (mut lr, mut m, mut b, mut ang, mut tsf) = (
        LinearReg::new(n).unwrap(),
        LinearRegSlope::new(n).unwrap(),
        LinearRegIntercept::new(n).unwrap(),
        LinearRegAngle::new(n).unwrap(),
        Tsf::new(n).unwrap(),
    );
    for (i, &y) in line.iter().enumerate() {
        let outs = [
            lr.update(y).unwrap(),
            m.update(y).unwrap(),
            b.update(y).unwrap(),
            ang.update(y).unwrap(),
            tsf.update(y).unwrap(),
        ];
        if i + 1 < n {
            assert!(outs.iter().all(Option::is_none));
            continue;
        }
        let [lr_v, m_v, b_v, a_v, f_v] = outs.map(Option::unwrap);
        assert!((lr_v - y).abs() < 1e-12, "LINEARREG {lr_v} vs {y}");
        assert!((m_v - 0.25).abs() < 1e-13);
        assert!((b_v - line[i + 1 - n]).abs() < 1e-12);
        assert!((a_v - 0.25_f64.atan().to_degrees()).abs() < 1e-10);
        assert!((f_v - (y + 0.25)).abs() < 1e-12);
    }
    // On noisy data: the naive fit, and the identities between the five.
    let c = closes();
    let n = 14;
    let (mut lr, mut m, mut b, mut ang, mut tsf) = (
        LinearReg::new(n).unwrap(),
        LinearRegSlope::new(n).unwrap(),
        LinearRegIntercept::new(n).unwrap(),
        LinearRegAngle::new(n).unwrap(),
        Tsf::new(n).unwrap(),
    );
    for (i, &y) in c.iter().enumerate() {
        let outs = [
            lr.update(y).unwrap(),
            m.update(y).unwrap(),
            b.update(y).unwrap(),
            ang.update(y).unwrap(),
            tsf.update(y).unwrap(),
        ];
        if i + 1 < n {
            continue;
        }
        let [lr_v, m_v, b_v, a_v, f_v] = outs.map(Option::unwrap);
        let (b0, m0) = naive_line(&c[i + 1 - n..=i]);
        let tol = 1e-12 * y.abs();
        assert!((m_v - m0).abs() < tol, "slope[{i}] {m_v} vs {m0}");
        assert!((b_v - b0).abs() < tol, "intercept[{i}] {b_v} vs {b0}");
        assert!((lr_v - (b_v + m_v * (n - 1) as f64)).abs() < tol);
        assert!((f_v - (lr_v + m_v)).abs() < tol);
        assert!((a_v - m_v.atan().to_degrees()).abs() < 1e-12);
    }
}

/// Sum of (x − x̄)(y − ȳ) over two equal-length slices.
fn naive_comoment(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum()
}

#[test]
fn beta_is_the_regression_slope_of_returns() {
    let p = pairs();
    let rets: Vec<(f64, f64)> = p
        .windows(2)
        .map(|w| ((w[1].0 - w[0].0) / w[0].0, (w[1].1 - w[0].1) / w[0].1))
        .collect();
    let n = 8;
    let mut beta = Beta::new(n).unwrap();
    for (i, &pair) in p.iter().enumerate() {
        let got = beta.update(pair).unwrap();
        if i < n {
            assert_eq!(got, None);
            continue;
        }
        let (x, y): (Vec<f64>, Vec<f64>) = rets[i - n..i].iter().copied().unzip();
        let want = naive_comoment(&x, &y) / naive_comoment(&x, &x);
        assert!(
            (got.unwrap() - want).abs() < 1e-11 * want.abs().max(1.0),
            "BETA[{i}]"
        );
    }
    // A series against itself: 1; against twice its returns: 2; a market
    // that does not move: 0 (TA-Lib's convention).
    let c = closes();
    let doubled: Vec<f64> = std::iter::once(50.0)
        .chain(c.windows(2).scan(50.0, |p, w| {
            *p *= 1.0 + 2.0 * (w[1] - w[0]) / w[0];
            Some(*p)
        }))
        .collect();
    let (mut same, mut twice, mut flat) = (
        Beta::new(5).unwrap(),
        Beta::new(5).unwrap(),
        Beta::new(5).unwrap(),
    );
    for (i, &x) in c.iter().enumerate() {
        if let Some(v) = same.update((x, x)).unwrap() {
            assert!((v - 1.0).abs() < 1e-12, "self-beta {v}");
        }
        if let Some(v) = twice.update((x, doubled[i])).unwrap() {
            assert!((v - 2.0).abs() < 1e-9, "beta {v}");
        }
        assert!(flat.update((100.0, x)).unwrap().is_none_or(|v| v == 0.0));
    }
}

#[test]
fn correl_is_pearsons_r() {
    let p = pairs();
    let n = 12;
    let mut r = Correl::new(n).unwrap();
    let mut sym = Correl::new(n).unwrap();
    let mut affine = Correl::new(n).unwrap();
    for (i, &(x, y)) in p.iter().enumerate() {
        let got = r.update((x, y)).unwrap();
        let swapped = sym.update((y, x)).unwrap();
        let flipped = affine.update((7.0 - 3.0 * x, 0.5 * y + 1e4)).unwrap();
        if i + 1 < n {
            assert_eq!(got, None);
            continue;
        }
        let got = got.unwrap();
        assert!((-1.0..=1.0).contains(&got));
        let (xs, ys): (Vec<f64>, Vec<f64>) = p[i + 1 - n..=i].iter().copied().unzip();
        let want =
            naive_comoment(&xs, &ys) / (naive_comoment(&xs, &xs) * naive_comoment(&ys, &ys)).sqrt();
        assert!((got - want).abs() < 1e-12, "CORREL[{i}] {got} vs {want}");
        assert!((swapped.unwrap() - got).abs() < 1e-14);
        assert!((flipped.unwrap() + got).abs() < 1e-11);
    }
    // Exact lines: ±1; a series that does not vary: 0.
    let mut up = Correl::new(5).unwrap();
    let mut down = Correl::new(5).unwrap();
    let mut flat = Correl::new(5).unwrap();
    for (i, &(x, _)) in p.iter().enumerate() {
        let u = up.update((x, 2.0 * x + 1.0)).unwrap();
        let d = down.update((x, -0.5 * x)).unwrap();
        let f = flat.update((x, 42.0)).unwrap();
        if i >= 4 {
            assert!((u.unwrap() - 1.0).abs() < 1e-12);
            assert!((d.unwrap() + 1.0).abs() < 1e-12);
            assert_eq!(f, Some(0.0));
        }
    }
}

/// Prices around 10 000 moving by ~0.1 % a bar (mean/σ ~ 10⁴ in a window).
fn high_level_walk(len: usize) -> Vec<f64> {
    synthetic_bars(len, 5)
        .iter()
        .map(|b| 1e4 + (b.close - 100.0) * 0.5)
        .collect()
}

#[test]
fn long_streams_do_not_drift() {
    // 200 000 updates at a level 10⁴ times the window's spread: the O(1)
    // forms still agree with a fresh two-pass computation at the end.
    let xs = high_level_walk(200_000);
    let ys: Vec<f64> = xs.iter().rev().copied().collect();
    let n = 20;
    let mut slope = LinearRegSlope::new(n).unwrap();
    let mut lr = LinearReg::new(n).unwrap();
    let mut var = Var::new(n, 1.0).unwrap();
    let mut r = Correl::new(n).unwrap();
    for (i, (&x, &y)) in xs.iter().zip(&ys).enumerate() {
        let (m, l, v, c) = (
            slope.update(x).unwrap(),
            lr.update(x).unwrap(),
            var.update(x).unwrap(),
            r.update((x, y)).unwrap(),
        );
        if (i % 9_973 != 0 && i != xs.len() - 1) || i + 1 < n {
            continue;
        }
        let w = &xs[i + 1 - n..=i];
        let (b0, m0) = naive_line(w);
        let spread = naive_var(w).sqrt();
        assert!((m.unwrap() - m0).abs() < 1e-10 * spread, "slope[{i}]");
        assert!((l.unwrap() - (b0 + m0 * (n - 1) as f64)).abs() < 1e-11 * x);
        assert!(rel_diff(v.unwrap(), naive_var(w), 0.0) < 1e-8, "var[{i}]");
        let wy = &ys[i + 1 - n..=i];
        let want = naive_comoment(w, wy) / (naive_comoment(w, w) * naive_comoment(wy, wy)).sqrt();
        assert!((c.unwrap() - want).abs() < 1e-10, "correl[{i}]");
    }
}
