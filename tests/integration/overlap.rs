//! Tests of the overlap indicators: TA-Lib parity on the golden files, the
//! indicator contract, serde state, f32.

use apex_ta::{
    Bar, Bbands, BbandsOutput, Dema, Error, Indicator, Kama, MaType, MidPoint, MidPrice,
    MovingAverage, RollingMax, RollingMin, Sar, StdDev, Tema, Trima, Wma, T3,
};

use crate::common::{compare_column, family_golden, rel_diff, synthetic_bars, Golden};
use crate::contract::contract;

/// The `matype` codes BBANDS is checked with (every one `MaType` takes).
const MATYPES: [u32; 8] = [0, 1, 2, 3, 4, 5, 6, 8];

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

/// Compares one column with TA-Lib's: same first output index, every value
/// within `TALIB_REL_TOL` of TA-Lib's, relative to TA-Lib's value (every
/// overlap study is a price level, far from zero). Returns the largest
/// relative difference.
fn compare(g: &Golden, col: &str, ours: &[Option<f64>]) -> f64 {
    compare_column(g, col, ours, &|_| 0.0, &|_| false)
}

/// One output of a Bollinger Bands value.
type Band = fn(BbandsOutput) -> f64;

/// Every overlap column of one golden file, as our indicators compute it.
fn our_columns(g: &Golden) -> Vec<(String, Vec<Option<f64>>)> {
    let closes = g.closes();
    let bars = g.bars();
    let id = |x: f64| x;
    let mut cols = Vec::new();
    for (n, up, dn) in [(5, 2.0, 2.0), (20, 1.5, 2.5)] {
        for code in MATYPES {
            let ma = MaType::from_talib(code).unwrap();
            let make = || Bbands::new(n, up, dn, ma).unwrap();
            let key = format!("bbands_{n}_{up}_{dn}_{code}");
            let parts: [(&str, Band); 3] = [
                ("upperband", |o| o.upper),
                ("middleband", |o| o.middle),
                ("lowerband", |o| o.lower),
            ];
            for (name, f) in parts {
                cols.push((format!("{key}_{name}"), run(make(), &closes, f)));
            }
        }
    }
    for n in [30, 5, 1] {
        cols.push((format!("dema_{n}"), run(Dema::new(n).unwrap(), &closes, id)));
        cols.push((format!("tema_{n}"), run(Tema::new(n).unwrap(), &closes, id)));
        cols.push((format!("wma_{n}"), run(Wma::new(n).unwrap(), &closes, id)));
        cols.push((format!("kama_{n}"), run(Kama::new(n).unwrap(), &closes, id)));
    }
    for n in [30, 5, 4, 1] {
        cols.push((
            format!("trima_{n}"),
            run(Trima::new(n).unwrap(), &closes, id),
        ));
    }
    for (n, v) in [(5, 0.7), (3, 0.4), (1, 0.7)] {
        cols.push((
            format!("t3_{n}_{v}"),
            run(T3::new(n, v).unwrap(), &closes, id),
        ));
    }
    for n in [14, 3] {
        let mp = run(MidPoint::new(n).unwrap(), &closes, id);
        cols.push((format!("midpoint_{n}"), mp));
        let mp = run(MidPrice::new(n).unwrap(), &bars, id);
        cols.push((format!("midprice_{n}"), mp));
    }
    for (a, m) in [(0.02, 0.2), (0.05, 0.3), (0.1, 0.05)] {
        cols.push((
            format!("sar_{a}_{m}"),
            run(Sar::new(a, m).unwrap(), &bars, id),
        ));
    }
    cols
}

#[test]
fn every_overlap_column_matches_talib_on_every_series() {
    let mut summary = Vec::new();
    for g in family_golden("overlap") {
        for (col, ours) in our_columns(&g) {
            let worst = compare(&g, &col, &ours);
            summary.push(format!("{}/{col}: {worst:.1e}", g.name));
        }
    }
    // Visible with `cargo test -- --nocapture`: the largest difference per column.
    println!(
        "largest relative difference vs TA-Lib 0.8.2:\n  {}",
        summary.join("\n  ")
    );
}

#[test]
fn lookbacks_match_talib() {
    let g = &family_golden("overlap")[0];
    let lead = |col: &str| g.col(col).iter().take_while(|v| v.is_none()).count();
    for code in MATYPES {
        let ma = MaType::from_talib(code).unwrap();
        let bb = Bbands::<f64>::new(20, 1.5, 2.5, ma).unwrap();
        assert_eq!(
            bb.lookback(),
            lead(&format!("bbands_20_1.5_2.5_{code}_middleband"))
        );
    }
    assert_eq!(Dema::<f64>::new(30).unwrap().lookback(), lead("dema_30"));
    assert_eq!(Tema::<f64>::new(30).unwrap().lookback(), lead("tema_30"));
    assert_eq!(Wma::<f64>::new(30).unwrap().lookback(), lead("wma_30"));
    assert_eq!(Kama::<f64>::new(30).unwrap().lookback(), lead("kama_30"));
    assert_eq!(Kama::<f64>::new(1).unwrap().lookback(), lead("kama_1"));
    assert_eq!(Trima::<f64>::new(4).unwrap().lookback(), lead("trima_4"));
    assert_eq!(T3::<f64>::new(5, 0.7).unwrap().lookback(), lead("t3_5_0.7"));
    assert_eq!(
        MidPoint::<f64>::new(14).unwrap().lookback(),
        lead("midpoint_14")
    );
    assert_eq!(
        MidPrice::<f64>::new(14).unwrap().lookback(),
        lead("midprice_14")
    );
    assert_eq!(Sar::<f64>::default().lookback(), lead("sar_0.02_0.2"));
}

// ------------------------------------------------------------ contract ----

fn bars() -> Vec<Bar> {
    synthetic_bars(400, 7)
}

fn closes() -> Vec<f64> {
    bars().iter().map(|b| b.close).collect()
}

const BAD_CLOSES: [f64; 3] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

fn bad_bars() -> Vec<Bar> {
    let ok = Bar::new(100.0, 101.0, 99.0, 100.5, 1000.0);
    vec![
        Bar {
            high: f64::NAN,
            ..ok
        },
        Bar {
            low: f64::NEG_INFINITY,
            ..ok
        },
        Bar {
            close: f64::INFINITY,
            ..ok
        },
        Bar { high: 98.0, ..ok },   // high < low
        Bar { close: 98.5, ..ok },  // close below low
        Bar { volume: -1.0, ..ok }, // negative volume
    ]
}

#[test]
fn close_indicators_keep_the_contract() {
    let c = closes();
    for code in MATYPES {
        let ma = MaType::from_talib(code).unwrap();
        contract(|| Bbands::new(20, 2.0, 2.0, ma).unwrap(), &c, &BAD_CLOSES);
        contract(|| Bbands::new(2, 1.0, 3.0, ma).unwrap(), &c, &BAD_CLOSES);
        contract(|| MovingAverage::new(7, ma).unwrap(), &c, &BAD_CLOSES);
        contract(|| MovingAverage::new(1, ma).unwrap(), &c, &BAD_CLOSES);
    }
    for n in [30, 5, 1] {
        contract(|| Dema::new(n).unwrap(), &c, &BAD_CLOSES);
        contract(|| Tema::new(n).unwrap(), &c, &BAD_CLOSES);
        contract(|| Wma::new(n).unwrap(), &c, &BAD_CLOSES);
        contract(|| Kama::new(n).unwrap(), &c, &BAD_CLOSES);
        contract(|| Trima::new(n).unwrap(), &c, &BAD_CLOSES);
        contract(|| T3::new(n, 0.7).unwrap(), &c, &BAD_CLOSES);
    }
    contract(|| Trima::new(4).unwrap(), &c, &BAD_CLOSES);
    contract(|| MidPoint::new(14).unwrap(), &c, &BAD_CLOSES);
    contract(|| MidPoint::new(2).unwrap(), &c, &BAD_CLOSES);
}

#[test]
fn bar_indicators_keep_the_contract() {
    let b = bars();
    contract(|| MidPrice::new(14).unwrap(), &b, &bad_bars());
    contract(|| MidPrice::new(2).unwrap(), &b, &bad_bars());
    contract(Sar::default, &b, &bad_bars());
    contract(|| Sar::new(0.1, 0.05).unwrap(), &b, &bad_bars());
    contract(|| Sar::new(0.0, 0.0).unwrap(), &b, &bad_bars());
}

#[test]
fn f32_indicators_keep_the_contract() {
    let c: Vec<f32> = closes().iter().map(|&x| x as f32).collect();
    let b: Vec<Bar<f32>> = bars()
        .iter()
        .map(|b| {
            Bar::new(
                b.open as f32,
                b.high as f32,
                b.low as f32,
                b.close as f32,
                b.volume as f32,
            )
        })
        .collect();
    let bad = [f32::NAN, f32::INFINITY];
    let bad_bar = [Bar::new(1.0_f32, 0.5, 2.0, 1.0, 1.0)];
    contract(
        || Bbands::<f32>::new(20, 2.0, 2.0, MaType::Ema).unwrap(),
        &c,
        &bad,
    );
    contract(|| Dema::<f32>::new(10).unwrap(), &c, &bad);
    contract(|| Tema::<f32>::new(10).unwrap(), &c, &bad);
    contract(|| Wma::<f32>::new(30).unwrap(), &c, &bad);
    contract(|| Trima::<f32>::new(30).unwrap(), &c, &bad);
    contract(|| Kama::<f32>::new(30).unwrap(), &c, &bad);
    contract(|| T3::<f32>::new(5, 0.7).unwrap(), &c, &bad);
    contract(|| MidPoint::<f32>::new(14).unwrap(), &c, &bad);
    contract(|| MidPrice::<f32>::new(14).unwrap(), &b, &bad_bar);
    contract(Sar::<f32>::default, &b, &bad_bar);
}

#[test]
fn f32_tracks_f64() {
    // f32 is not held to 1e-10, but it must follow the f64 values.
    let c = closes();
    let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
    let check = |name: &str, a: Vec<Option<f64>>, b: Vec<Option<f32>>| {
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert_eq!(x.is_some(), y.is_some(), "{name}[{i}]");
            if let (Some(x), Some(y)) = (x, y) {
                assert!(
                    rel_diff(f64::from(*y), *x, 0.0) < 1e-4,
                    "{name}[{i}]: f32 {y} vs f64 {x}"
                );
            }
        }
    };
    check(
        "tema",
        Tema::new(10).unwrap().batch(&c).unwrap(),
        Tema::new(10).unwrap().batch(&c32).unwrap(),
    );
    check(
        "t3",
        T3::new(5, 0.7).unwrap().batch(&c).unwrap(),
        T3::new(5, 0.7).unwrap().batch(&c32).unwrap(),
    );
    check(
        "kama",
        Kama::new(10).unwrap().batch(&c).unwrap(),
        Kama::new(10).unwrap().batch(&c32).unwrap(),
    );
    check(
        "wma",
        Wma::new(30).unwrap().batch(&c).unwrap(),
        Wma::new(30).unwrap().batch(&c32).unwrap(),
    );
}

// -------------------------------------------------------------- params ----

/// `r` is an `InvalidParameter` error naming `name`.
fn rejects(name: &str, r: apex_ta::Result<()>) {
    match r {
        Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name, "{r:?}"),
        other => panic!("expected InvalidParameter({name}), got {other:?}"),
    }
}

#[test]
fn constructors_reject_invalid_parameters_by_name() {
    let sma = MaType::Sma;
    rejects("period", Bbands::<f64>::new(0, 2.0, 2.0, sma).map(drop));
    rejects("period", Bbands::<f64>::new(1, 2.0, 2.0, sma).map(drop));
    rejects("nbdevup", Bbands::new(5, f64::NAN, 2.0, sma).map(drop));
    rejects("nbdevdn", Bbands::new(5, 2.0, f64::INFINITY, sma).map(drop));
    rejects("period", Dema::<f64>::new(0).map(drop));
    rejects("period", Tema::<f64>::new(0).map(drop));
    rejects("period", Wma::<f64>::new(0).map(drop));
    rejects("period", Trima::<f64>::new(0).map(drop));
    rejects("period", Kama::<f64>::new(0).map(drop));
    rejects("period", T3::<f64>::new(0, 0.7).map(drop));
    rejects("vfactor", T3::new(5, -0.1).map(drop));
    rejects("vfactor", T3::new(5, 1.5).map(drop));
    rejects("vfactor", T3::new(5, f64::NAN).map(drop));
    rejects("period", MidPoint::<f64>::new(1).map(drop));
    rejects("period", MidPrice::<f64>::new(1).map(drop));
    rejects("acceleration", Sar::new(-0.02, 0.2).map(drop));
    rejects("acceleration", Sar::new(f64::NAN, 0.2).map(drop));
    rejects("maximum", Sar::new(0.02, -1.0).map(drop));
    rejects("maximum", Sar::new(0.02, f64::INFINITY).map(drop));
    // TA-Lib's edges are accepted.
    assert!(T3::new(5, 0.0).is_ok() && T3::new(5, 1.0).is_ok());
    assert!(Sar::new(0.0, 0.0).is_ok());
    assert!(Bbands::new(2, -1.0, 0.0, MaType::Ema).is_ok());
}

#[test]
fn defaults_are_talibs_and_display_names_the_parameters() {
    assert_eq!(Bbands::<f64>::default().to_string(), "BBANDS(5, 2, 2, SMA)");
    assert_eq!(
        Bbands::<f64>::default(),
        Bbands::new(5, 2.0, 2.0, MaType::Sma).unwrap()
    );
    assert_eq!(
        Bbands::new(20, 1.5, 2.5, MaType::Ema).unwrap().to_string(),
        "BBANDS(20, 1.5, 2.5, EMA)"
    );
    assert_eq!(Dema::<f64>::default(), Dema::new(30).unwrap());
    assert_eq!(Tema::<f64>::default(), Tema::new(30).unwrap());
    assert_eq!(Wma::<f64>::default(), Wma::new(30).unwrap());
    assert_eq!(Trima::<f64>::default(), Trima::new(30).unwrap());
    assert_eq!(Kama::<f64>::default(), Kama::new(30).unwrap());
    assert_eq!(T3::<f64>::default(), T3::new(5, 0.7).unwrap());
    assert_eq!(MidPoint::<f64>::default(), MidPoint::new(14).unwrap());
    assert_eq!(MidPrice::<f64>::default(), MidPrice::new(14).unwrap());
    assert_eq!(Sar::<f64>::default(), Sar::new(0.02, 0.2).unwrap());
    let names = [
        Dema::<f64>::default().to_string(),
        Tema::<f64>::default().to_string(),
        Wma::<f64>::default().to_string(),
        Trima::<f64>::default().to_string(),
        Kama::<f64>::default().to_string(),
        T3::<f64>::default().to_string(),
        MidPoint::<f64>::default().to_string(),
        MidPrice::<f64>::default().to_string(),
        Sar::<f64>::default().to_string(),
    ];
    assert_eq!(
        names,
        [
            "DEMA(30)",
            "TEMA(30)",
            "WMA(30)",
            "TRIMA(30)",
            "KAMA(30)",
            "T3(5, 0.7)",
            "MIDPOINT(14)",
            "MIDPRICE(14)",
            "SAR(0.02, 0.2)"
        ]
    );
}

#[test]
fn every_talib_matype_but_mama_is_a_moving_average() {
    let names = ["SMA", "EMA", "WMA", "DEMA", "TEMA", "TRIMA", "KAMA", "T3"];
    for (code, name) in MATYPES.iter().zip(names) {
        let ma = MaType::from_talib(*code).unwrap();
        assert_eq!((ma.talib_code(), ma.as_str()), (*code, name));
        let avg = MovingAverage::<f64>::new(10, ma).unwrap();
        assert_eq!(avg.kind(), ma);
        assert!(avg.to_string().starts_with(name), "{avg}");
    }
    rejects("matype", MaType::from_talib(7).map(drop)); // MAMA
    rejects("matype", MaType::from_talib(9).map(drop));
    // MA(T3) is T3 with TA-Lib's volume factor 0.7.
    let c = closes();
    assert_eq!(
        MovingAverage::new(4, MaType::T3)
            .unwrap()
            .batch(&c)
            .unwrap(),
        T3::new(4, 0.7).unwrap().batch(&c).unwrap()
    );
}

// ---------------------------------------------------------- invariants ----

/// A long stream at a high price level with a trend and noise: the running
/// sums see many cycles and large cancellations.
fn long_stream(n: usize) -> Vec<f64> {
    synthetic_bars(n, 3)
        .iter()
        .enumerate()
        .map(|(i, b)| 1.0e6 + b.close * (1.0 + (i % 97) as f64))
        .collect()
}

#[test]
fn bbands_bands_are_ordered_and_sigma_is_the_population_stddev() {
    let c = closes();
    for ma in [MaType::Sma, MaType::Ema] {
        let mut bb = Bbands::new(10, 2.0, 1.5, ma).unwrap();
        let mut sd = StdDev::new(10).unwrap();
        for &x in &c {
            let (b, s) = (bb.update(x).unwrap(), sd.update(x).unwrap());
            if let (Some(b), Some(s)) = (b, s) {
                assert!(b.lower <= b.middle && b.middle <= b.upper, "{b:?}");
                assert!(((b.upper - b.middle) / 2.0 - s).abs() <= 1e-9 * s.max(1.0));
                assert!(((b.middle - b.lower) / 1.5 - s).abs() <= 1e-9 * s.max(1.0));
            }
        }
    }
    // A flat window: the bands collapse onto the average exactly.
    let mut bb = Bbands::new(5, 2.0, 2.0, MaType::Sma).unwrap();
    let out = bb.batch(&[7.25; 8]).unwrap();
    let want = BbandsOutput {
        upper: 7.25,
        middle: 7.25,
        lower: 7.25,
    };
    assert_eq!(out[7], Some(want));
}

#[test]
fn dema_tema_t3_follow_a_line_and_hold_a_constant() {
    // α = 2/(n+1) = 0.5 for n = 3: every step is exact in binary.
    let line: Vec<f64> = (0..60).map(|i| 10.0 + 0.5 * f64::from(i)).collect();
    for (i, v) in Dema::new(3)
        .unwrap()
        .batch(&line)
        .unwrap()
        .iter()
        .enumerate()
    {
        if let Some(v) = v {
            assert_eq!(*v, line[i], "DEMA lags a line at {i}");
        }
    }
    for (i, v) in Tema::new(3)
        .unwrap()
        .batch(&line)
        .unwrap()
        .iter()
        .enumerate()
    {
        if let Some(v) = v {
            assert_eq!(*v, line[i], "TEMA lags a line at {i}");
        }
    }
    let flat = [42.5_f64; 80];
    for v in T3::new(5, 0.7)
        .unwrap()
        .batch(&flat)
        .unwrap()
        .iter()
        .flatten()
    {
        assert!((v - 42.5).abs() < 1e-12, "T3 of a constant: {v}");
    }
    // Period 1 is the identity, bit for bit.
    let c = closes();
    for out in [
        Dema::new(1).unwrap().batch(&c).unwrap(),
        Tema::new(1).unwrap().batch(&c).unwrap(),
        T3::new(1, 0.7).unwrap().batch(&c).unwrap(),
        Wma::new(1).unwrap().batch(&c).unwrap(),
        Trima::new(1).unwrap().batch(&c).unwrap(),
        Kama::new(1).unwrap().batch(&c).unwrap(),
    ] {
        assert_eq!(out, c.iter().map(|&x| Some(x)).collect::<Vec<_>>());
    }
}

#[test]
fn wma_and_trima_match_their_weights_without_drift() {
    let xs = long_stream(20_000);
    for n in [7, 30, 200] {
        let mut wma = Wma::new(n).unwrap();
        let mut trima = Trima::new(n).unwrap();
        let (a, b) = if n % 2 == 1 {
            (n / 2 + 1, n / 2 + 1)
        } else {
            (n / 2, n / 2 + 1)
        };
        // Triangular weights: the convolution of a ones(a) and ones(b).
        let tri: Vec<f64> = (0..n)
            .map(|k| (0..a).filter(|&i| k >= i && k - i < b).count() as f64)
            .collect();
        for (t, &x) in xs.iter().enumerate() {
            let (w, r) = (wma.update(x).unwrap(), trima.update(x).unwrap());
            if t + 1 < n || (t % 997 != 0 && t + 1 != xs.len()) {
                continue;
            }
            let window = &xs[t + 1 - n..=t];
            let naive_w = window
                .iter()
                .enumerate()
                .map(|(k, v)| (k + 1) as f64 * v)
                .sum::<f64>()
                / (n * (n + 1) / 2) as f64;
            let naive_t =
                window.iter().zip(&tri).map(|(v, w)| v * w).sum::<f64>() / tri.iter().sum::<f64>();
            assert!(rel_diff(w.unwrap(), naive_w, 0.0) < 1e-12, "WMA({n})[{t}]");
            assert!(
                rel_diff(r.unwrap(), naive_t, 0.0) < 1e-12,
                "TRIMA({n})[{t}]"
            );
        }
    }
}

#[test]
fn kama_stays_within_the_inputs_and_matches_its_recurrence() {
    let c = closes();
    let n = 10;
    let mut kama = Kama::new(n).unwrap();
    let mut prev: Option<f64> = None;
    let (lo, hi) = c
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
    for (t, &x) in c.iter().enumerate() {
        let Some(k) = kama.update(x).unwrap() else {
            continue;
        };
        assert!((lo..=hi).contains(&k));
        // The recurrence, from scratch: ER over the last n changes.
        let change = (x - c[t - n]).abs();
        let vol: f64 = (t + 1 - n..=t).map(|i| (c[i] - c[i - 1]).abs()).sum();
        let sc = ((change / vol) * (2.0 / 3.0 - 2.0 / 31.0) + 2.0 / 31.0).powi(2);
        let p = prev.unwrap_or(c[t - 1]);
        assert!(rel_diff(k, p + sc * (x - p), 0.0) < 1e-12, "KAMA[{t}]");
        prev = Some(k);
    }
    // A flat stream is perfectly "efficient" (TA-Lib: ER = 1) and stays put.
    let out = Kama::new(5).unwrap().batch(&[3.0; 12]).unwrap();
    assert!(out[5..].iter().all(|v| *v == Some(3.0)));
}

#[test]
fn midpoint_and_midprice_are_the_middle_of_the_range() {
    let b = bars();
    let c = closes();
    let n = 14;
    let mut mp = MidPoint::new(n).unwrap();
    let mut mx = RollingMax::new(n).unwrap();
    let mut mn = RollingMin::new(n).unwrap();
    for &x in &c {
        let (m, hi, lo) = (
            mp.update(x).unwrap(),
            mx.update(x).unwrap(),
            mn.update(x).unwrap(),
        );
        assert_eq!(m, hi.zip(lo).map(|(h, l)| (h + l) / 2.0));
    }
    let mut mpr = MidPrice::new(n).unwrap();
    for (t, bar) in b.iter().enumerate() {
        if let Some(m) = mpr.update(*bar).unwrap() {
            let w = &b[t + 1 - n..=t];
            let hh = w.iter().map(|b| b.high).fold(f64::MIN, f64::max);
            let ll = w.iter().map(|b| b.low).fold(f64::MAX, f64::min);
            assert_eq!(m, (hh + ll) / 2.0);
        }
    }
}

#[test]
fn sar_is_never_inside_the_bar_and_sits_on_the_trade_side() {
    for (a, m) in [(0.02, 0.2), (0.1, 0.05), (0.05, 0.5)] {
        let mut sar = Sar::new(a, m).unwrap();
        let mut flips = 0;
        let mut side = None;
        for bar in synthetic_bars(2_000, 5) {
            let Some(s) = sar.update(bar).unwrap() else {
                continue;
            };
            let long = sar.is_long().unwrap();
            if long {
                assert!(s <= bar.low, "long SAR {s} above the low {}", bar.low);
            } else {
                assert!(s >= bar.high, "short SAR {s} below the high {}", bar.high);
            }
            if side.is_some_and(|l| l != long) {
                flips += 1;
            }
            side = Some(long);
        }
        assert!(flips > 20, "SAR({a}, {m}) flipped only {flips} times");
    }
}

#[test]
fn sar_worked_by_hand() {
    let bar = |h: f64, l: f64| Bar::new(l, h, l, l, 0.0);
    let mut sar = Sar::new(0.25, 0.5).unwrap();
    assert_eq!(sar.update(bar(10.0, 8.0)).unwrap(), None);
    // −DM = 8 − 7 = 1 > +DM = 9 − 10 < 0: short, SAR = first high 10, EP = 7.
    assert_eq!(sar.update(bar(9.0, 7.0)).unwrap(), Some(10.0));
    assert_eq!(sar.is_long(), Some(false));
    // Next SAR: 10 + 0.25·(7 − 10) = 9.25, at least both highs (9, 9): 9.25.
    // New low 6 < EP: EP = 6, AF = 0.5 (capped).
    assert_eq!(sar.update(bar(8.0, 6.0)).unwrap(), Some(9.25));
    // 9.25 + 0.5·(6 − 9.25) = 7.625, at least the highs 9 and 8: 9. The
    // next high 9.5 ≥ 9 flips long, and the SAR becomes the extreme point,
    // at most both lows: min(EP 6, 6, 6.5) = 6 (as TA-Lib: 10, 9.25, 6, 6, 6.5).
    assert_eq!(sar.update(bar(9.5, 6.5)).unwrap(), Some(6.0));
    assert_eq!(sar.is_long(), Some(true));
    // 6 + 0.25·(9.5 − 6) = 6.875, at most the lows 6 and 6.5: 6.
    assert_eq!(sar.update(bar(10.0, 7.0)).unwrap(), Some(6.0));
    // New high 10 > EP: AF = 0.5; 6 + 0.5·(10 − 6) = 8, at most 6.5 and 7.
    assert_eq!(sar.update(bar(11.0, 8.0)).unwrap(), Some(6.5));
}

// --------------------------------------------------------------- serde ----

#[cfg(feature = "serde")]
mod state {
    use super::*;
    use crate::serde_state::round_trip;
    use serde::{de::DeserializeOwned, Serialize};
    use serde_json::{json, Value};

    #[test]
    fn every_overlap_state_round_trips_mid_stream() {
        let b = synthetic_bars(300, 11);
        let c: Vec<f64> = b.iter().map(|x| x.close).collect();
        round_trip(|| Bbands::new(20, 2.0, 2.0, MaType::Sma).unwrap(), &c);
        for code in MATYPES {
            let ma = MaType::from_talib(code).unwrap();
            round_trip(|| Bbands::new(5, 1.5, 2.5, ma).unwrap(), &c);
        }
        round_trip(|| Dema::new(10).unwrap(), &c);
        round_trip(|| Tema::new(10).unwrap(), &c);
        round_trip(|| Wma::new(30).unwrap(), &c);
        round_trip(|| Trima::new(30).unwrap(), &c);
        round_trip(|| Trima::new(9).unwrap(), &c);
        round_trip(|| Kama::new(30).unwrap(), &c);
        round_trip(|| T3::new(5, 0.7).unwrap(), &c);
        round_trip(|| MidPoint::new(14).unwrap(), &c);
        round_trip(|| MidPrice::new(14).unwrap(), &b);
        round_trip(Sar::default, &b);
        let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
        round_trip(|| T3::<f32>::new(5, 0.7).unwrap(), &c32);
        round_trip(|| Kama::<f32>::new(10).unwrap(), &c32);
    }

    /// `ind` after the first `k` inputs.
    fn fed<I: Indicator>(mut ind: I, inputs: &[I::Input], k: usize) -> I
    where
        I::Input: Clone,
    {
        for x in &inputs[..k] {
            ind.update(x.clone()).unwrap();
        }
        ind
    }

    /// Edits one JSON field (a path of keys) of a serialized indicator.
    fn edit<I: Serialize>(ind: &I, path: &[&str], value: Value) -> String {
        let mut json = serde_json::to_value(ind).unwrap();
        let mut node = &mut json;
        for key in path {
            node = match node {
                Value::Object(m) => m.get_mut(*key),
                Value::Array(a) => a.get_mut(key.parse::<usize>().unwrap()),
                _ => None,
            }
            .unwrap_or_else(|| panic!("no field {key}"));
        }
        *node = value;
        json.to_string()
    }

    fn rejected<I: DeserializeOwned + std::fmt::Debug>(json: &str) {
        let r = serde_json::from_str::<I>(json);
        assert!(r.is_err(), "accepted {json}: {r:?}");
    }

    #[test]
    fn corrupted_states_are_rejected() {
        let b = synthetic_bars(100, 13);
        let c: Vec<f64> = b.iter().map(|x| x.close).collect();

        let bb = fed(Bbands::new(5, 2.0, 2.0, MaType::Sma).unwrap(), &c, 3);
        rejected::<Bbands>(&edit(&bb, &["nbdevup"], json!(null)));
        // The average and the deviation window out of step.
        let early = fed(Bbands::new(5, 2.0, 2.0, MaType::Sma).unwrap(), &c, 30);
        let mut json = serde_json::to_value(&bb).unwrap();
        json["stats"] = serde_json::to_value(&early).unwrap()["stats"].clone();
        rejected::<Bbands>(&json.to_string());
        let other = fed(Bbands::new(6, 2.0, 2.0, MaType::Sma).unwrap(), &c, 3);
        let mut json = serde_json::to_value(&bb).unwrap();
        json["stats"] = serde_json::to_value(&other).unwrap()["stats"].clone();
        rejected::<Bbands>(&json.to_string());

        let dema = fed(Dema::new(5).unwrap(), &c, 3);
        rejected::<Dema>(&edit(&dema, &["emas", "seen"], 50.into()));
        rejected::<Dema>(&edit(&dema, &["emas", "alpha"], 0.5.into()));
        rejected::<Dema>(&edit(&dema, &["emas", "stages", "1"], 3.0.into())); // started early
        rejected::<Dema>(&edit(&dema, &["emas", "stages"], json!([1.0, 0.0, 0.0])));
        let tema = Tema::<f64>::new(5).unwrap();
        rejected::<Tema>(&edit(&tema, &["emas", "stages"], json!([0.0, 0.0])));
        rejected::<Tema>(&edit(&tema, &["emas", "period"], 0.into()));

        let t3 = fed(T3::new(5, 0.7).unwrap(), &c, 40);
        rejected::<T3>(&edit(&t3, &["vfactor"], 0.5.into())); // coefficients stale
        rejected::<T3>(&edit(&t3, &["vfactor"], 1.5.into()));
        rejected::<T3>(&edit(&t3, &["coeffs", "0"], 1.0.into()));

        let wma = fed(Wma::new(5).unwrap(), &c, 7);
        rejected::<Wma>(&edit(&wma, &["divider"], 10.into()));
        rejected::<Wma>(&edit(&wma, &["window", "head"], 5.into()));

        let trima = fed(Trima::new(6).unwrap(), &c, 2);
        rejected::<Trima>(&edit(&trima, &["period"], 7.into()));
        let mut json = serde_json::to_value(&trima).unwrap();
        json["outer"] =
            serde_json::to_value(fed(Trima::new(6).unwrap(), &c, 20)).unwrap()["outer"].clone();
        rejected::<Trima>(&json.to_string()); // outer filled before inner

        let kama = fed(Kama::new(5).unwrap(), &c, 9);
        rejected::<Kama>(&edit(&kama, &["period"], 6.into()));
        rejected::<Kama>(&edit(&kama, &["window", "len"], 9.into()));

        let mp = fed(MidPoint::new(5).unwrap(), &c, 7);
        rejected::<MidPoint>(&edit(&mp, &["period"], 1.into()));
        let mut json = serde_json::to_value(&mp).unwrap();
        json["lowest"] =
            serde_json::to_value(fed(MidPoint::new(5).unwrap(), &c, 8)).unwrap()["lowest"].clone();
        rejected::<MidPoint>(&json.to_string()); // windows out of step
        let mpr = fed(MidPrice::new(5).unwrap(), &b, 7);
        rejected::<MidPrice>(&edit(&mpr, &["period"], 4.into()));

        let sar = fed(Sar::default(), &b, 20);
        rejected::<Sar>(&edit(&sar, &["seen"], 3.into()));
        rejected::<Sar>(&edit(&sar, &["step"], 0.05.into()));
        rejected::<Sar>(&edit(&sar, &["af"], 0.5.into()));
        rejected::<Sar>(&edit(&sar, &["maximum"], (-0.2).into()));
        let long = sar.is_long().unwrap();
        rejected::<Sar>(&edit(&sar, &["long"], (!long).into())); // wrong side
    }
}
