//! Tests of the directional indicators: TA-Lib parity on the golden files, the
//! indicator contract, serde state, f32.

use apex_ta::{
    Adx, Adxr, Aroon, AroonOsc, AroonOutput, Bar, Cci, Dx, Error, Indicator, MinusDi, MinusDm,
    PlusDi, PlusDm, UltOsc, WillR,
};

use crate::common::{compare_column, family_golden, synthetic_bars, Golden};
use crate::contract::contract;

// ------------------------------------------------------------ golden ----

/// Compares one column with TA-Lib's: same first output index, every value
/// within `TALIB_REL_TOL` relative to `max(|TA-Lib|, floor)`. Returns the
/// largest relative difference.
fn compare(g: &Golden, col: &str, ours: &[Option<f64>], floor: f64) -> f64 {
    compare_column(g, col, ours, &|_| floor, &|_| false)
}

fn run<I: Indicator<Input = Bar>>(
    mut ind: I,
    bars: &[Bar],
    f: impl Fn(I::Output) -> f64,
) -> Vec<Option<f64>> {
    bars.iter()
        .map(|b| ind.update(*b).expect("golden inputs are valid").map(&f))
        .collect()
}

/// Every column of `tests/golden/directional/*.csv` against TA-Lib 0.8.2.
///
/// Tolerance: relative to TA-Lib's value, except for the two outputs that
/// cross zero, AROONOSC and CCI, compared relative to `max(|TA-Lib|, 100)`,
/// i.e. to their ±100 scale (an absolute 1e-8); every other output is ≥ 0
/// or ≤ 0 and TA-Lib's zeros are matched exactly.
#[test]
fn every_talib_column_matches_on_every_series() {
    let mut worst: Vec<(String, f64)> = Vec::new();
    for g in family_golden("directional") {
        let bars = g.bars();
        let mut check = |col: String, ours: Vec<Option<f64>>, floor: f64| {
            let w = compare(&g, &col, &ours, floor);
            match worst.iter_mut().find(|(c, _)| *c == col) {
                Some((_, v)) => *v = v.max(w),
                None => worst.push((col, w)),
            }
        };
        let id = |x: f64| x;
        for n in [14, 5, 1] {
            check(
                format!("plus_dm_{n}"),
                run(PlusDm::new(n).unwrap(), &bars, id),
                0.0,
            );
            check(
                format!("minus_dm_{n}"),
                run(MinusDm::new(n).unwrap(), &bars, id),
                0.0,
            );
            check(
                format!("plus_di_{n}"),
                run(PlusDi::new(n).unwrap(), &bars, id),
                0.0,
            );
            check(
                format!("minus_di_{n}"),
                run(MinusDi::new(n).unwrap(), &bars, id),
                0.0,
            );
        }
        for n in [14, 5, 2] {
            check(format!("dx_{n}"), run(Dx::new(n).unwrap(), &bars, id), 0.0);
            check(
                format!("adx_{n}"),
                run(Adx::new(n).unwrap(), &bars, id),
                0.0,
            );
            check(
                format!("adxr_{n}"),
                run(Adxr::new(n).unwrap(), &bars, id),
                0.0,
            );
            check(
                format!("aroon_{n}_aroondown"),
                run(Aroon::new(n).unwrap(), &bars, |o| o.down),
                0.0,
            );
            check(
                format!("aroon_{n}_aroonup"),
                run(Aroon::new(n).unwrap(), &bars, |o| o.up),
                0.0,
            );
            check(
                format!("aroonosc_{n}"),
                run(AroonOsc::new(n).unwrap(), &bars, id),
                100.0,
            );
            check(
                format!("cci_{n}"),
                run(Cci::new(n).unwrap(), &bars, id),
                100.0,
            );
            check(
                format!("willr_{n}"),
                run(WillR::new(n).unwrap(), &bars, id),
                0.0,
            );
        }
        for (a, b, c) in [(7, 14, 28), (2, 3, 5), (5, 2, 3), (1, 1, 1)] {
            check(
                format!("ultosc_{a}_{b}_{c}"),
                run(UltOsc::new(a, b, c).unwrap(), &bars, id),
                0.0,
            );
        }
    }
    // Visible with `cargo test -- --nocapture`: the largest difference per column.
    let lines: Vec<String> = worst.iter().map(|(c, w)| format!("{c}: {w:.1e}")).collect();
    println!(
        "directional: largest relative difference vs TA-Lib 0.8.2 over the four series:\n  {}",
        lines.join("\n  ")
    );
}

#[test]
fn lookbacks_match_talib() {
    let g = &family_golden("directional")[0];
    let lead = |col: &str| g.col(col).iter().take_while(|v| v.is_none()).count();
    for n in [14, 5, 1] {
        assert_eq!(
            PlusDm::<f64>::new(n).unwrap().lookback(),
            lead(&format!("plus_dm_{n}"))
        );
        assert_eq!(
            MinusDm::<f64>::new(n).unwrap().lookback(),
            lead(&format!("minus_dm_{n}"))
        );
        assert_eq!(
            PlusDi::<f64>::new(n).unwrap().lookback(),
            lead(&format!("plus_di_{n}"))
        );
        assert_eq!(
            MinusDi::<f64>::new(n).unwrap().lookback(),
            lead(&format!("minus_di_{n}"))
        );
    }
    for n in [14, 5, 2] {
        assert_eq!(
            Dx::<f64>::new(n).unwrap().lookback(),
            lead(&format!("dx_{n}"))
        );
        assert_eq!(
            Adx::<f64>::new(n).unwrap().lookback(),
            lead(&format!("adx_{n}"))
        );
        assert_eq!(
            Adxr::<f64>::new(n).unwrap().lookback(),
            lead(&format!("adxr_{n}"))
        );
        assert_eq!(
            Aroon::<f64>::new(n).unwrap().lookback(),
            lead(&format!("aroon_{n}_aroonup"))
        );
        assert_eq!(
            AroonOsc::<f64>::new(n).unwrap().lookback(),
            lead(&format!("aroonosc_{n}"))
        );
        assert_eq!(
            Cci::<f64>::new(n).unwrap().lookback(),
            lead(&format!("cci_{n}"))
        );
        assert_eq!(
            WillR::<f64>::new(n).unwrap().lookback(),
            lead(&format!("willr_{n}"))
        );
    }
    assert_eq!(Adx::<f64>::default().lookback(), 27);
    assert_eq!(Adxr::<f64>::default().lookback(), 40);
    assert_eq!(UltOsc::<f64>::default().lookback(), lead("ultosc_7_14_28"));
    assert_eq!(
        UltOsc::<f64>::new(5, 2, 3).unwrap().lookback(),
        lead("ultosc_5_2_3")
    );
}

// ---------------------------------------------------------- contract ----

fn bars() -> Vec<Bar> {
    synthetic_bars(400, 7)
}

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
            low: f64::NEG_INFINITY,
            ..ok
        },
        Bar {
            close: f64::NAN,
            ..ok
        },
        Bar { high: 98.0, ..ok },   // high < low
        Bar { close: 98.5, ..ok },  // close below low
        Bar { volume: -1.0, ..ok }, // negative volume
    ]
}

fn bars32() -> Vec<Bar<f32>> {
    bars()
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
        .collect()
}

fn bad32() -> Vec<Bar<f32>> {
    vec![
        Bar::new(1.0_f32, 0.5, 2.0, 1.0, 1.0),
        Bar::new(1.0_f32, f32::NAN, 0.5, 1.0, 1.0),
    ]
}

#[test]
fn directional_movement_keeps_the_contract() {
    let (b, bad) = (bars(), bad_bars());
    for n in [14, 1, 2] {
        contract(|| PlusDm::new(n).unwrap(), &b, &bad);
        contract(|| MinusDm::new(n).unwrap(), &b, &bad);
        contract(|| PlusDi::new(n).unwrap(), &b, &bad);
        contract(|| MinusDi::new(n).unwrap(), &b, &bad);
    }
    for n in [14, 2] {
        contract(|| Dx::new(n).unwrap(), &b, &bad);
        contract(|| Adx::new(n).unwrap(), &b, &bad);
        contract(|| Adxr::new(n).unwrap(), &b, &bad);
    }
    let (b, bad) = (bars32(), bad32());
    contract(|| PlusDm::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| MinusDm::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| PlusDi::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| MinusDi::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| Dx::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| Adx::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| Adxr::<f32>::new(14).unwrap(), &b, &bad);
}

#[test]
fn oscillators_keep_the_contract() {
    let (b, bad) = (bars(), bad_bars());
    for n in [14, 2] {
        contract(|| Aroon::new(n).unwrap(), &b, &bad);
        contract(|| AroonOsc::new(n).unwrap(), &b, &bad);
        contract(|| Cci::new(n).unwrap(), &b, &bad);
        contract(|| WillR::new(n).unwrap(), &b, &bad);
    }
    contract(|| UltOsc::new(7, 14, 28).unwrap(), &b, &bad);
    contract(|| UltOsc::new(3, 1, 2).unwrap(), &b, &bad);
    let (b, bad) = (bars32(), bad32());
    contract(|| Aroon::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| AroonOsc::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| Cci::<f32>::new(14).unwrap(), &b, &bad);
    contract(|| WillR::<f32>::new(14).unwrap(), &b, &bad);
    contract(UltOsc::<f32>::default, &b, &bad);
}

#[test]
fn constructors_reject_invalid_parameters_naming_them() {
    fn named<T: std::fmt::Debug>(r: apex_ta::Result<T>, want: &str) {
        match r {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, want),
            other => panic!("expected InvalidParameter `{want}`, got {other:?}"),
        }
    }
    named(PlusDm::<f64>::new(0), "period");
    named(MinusDm::<f64>::new(0), "period");
    named(PlusDi::<f64>::new(0), "period");
    named(MinusDi::<f64>::new(0), "period");
    for p in [0, 1] {
        // TA-Lib rejects period 1 for these
        named(Dx::<f64>::new(p), "period");
        named(Adx::<f64>::new(p), "period");
        named(Adxr::<f64>::new(p), "period");
        named(Aroon::<f64>::new(p), "period");
        named(AroonOsc::<f64>::new(p), "period");
        named(Cci::<f64>::new(p), "period");
        named(WillR::<f64>::new(p), "period");
    }
    named(UltOsc::<f64>::new(0, 14, 28), "period1");
    named(UltOsc::<f64>::new(7, 0, 28), "period2");
    named(UltOsc::<f64>::new(7, 14, 0), "period3");
    // TA-Lib's period 1 is accepted where TA-Lib accepts it.
    assert!(PlusDm::<f64>::new(1).is_ok() && PlusDi::<f64>::new(1).is_ok());
    assert!(UltOsc::<f64>::new(1, 1, 1).is_ok());
}

#[test]
fn defaults_are_talibs() {
    assert_eq!(PlusDm::<f64>::default().to_string(), "PLUS_DM(14)");
    assert_eq!(MinusDm::<f64>::default().to_string(), "MINUS_DM(14)");
    assert_eq!(PlusDi::<f64>::default().to_string(), "PLUS_DI(14)");
    assert_eq!(MinusDi::<f64>::default().to_string(), "MINUS_DI(14)");
    assert_eq!(Dx::<f64>::default().to_string(), "DX(14)");
    assert_eq!(Adx::<f64>::default().to_string(), "ADX(14)");
    assert_eq!(Adxr::<f64>::default().to_string(), "ADXR(14)");
    assert_eq!(Aroon::<f64>::default().to_string(), "AROON(14)");
    assert_eq!(AroonOsc::<f64>::default().to_string(), "AROONOSC(14)");
    assert_eq!(Cci::<f64>::default().to_string(), "CCI(14)");
    assert_eq!(WillR::<f64>::default().to_string(), "WILLR(14)");
    assert_eq!(UltOsc::<f64>::default().to_string(), "ULTOSC(7, 14, 28)");
    assert_eq!(Adx::<f64>::default(), Adx::new(14).unwrap());
    assert_eq!(Adxr::<f64>::default(), Adxr::new(14).unwrap());
    assert_eq!(Cci::<f64>::default(), Cci::new(14).unwrap());
    assert_eq!(UltOsc::<f64>::default(), UltOsc::new(7, 14, 28).unwrap());
    assert_eq!(
        UltOsc::<f64>::new(28, 7, 14).unwrap().periods(),
        [7, 14, 28]
    );
    assert_eq!(PlusDi::<f64>::new(9).unwrap().period(), 9);
}

// -------------------------------------------------------- invariants ----

/// Outputs over many synthetic bars, all `Some` after the warm-up.
fn values<I: Indicator<Input = Bar>>(mut ind: I, bars: &[Bar]) -> Vec<I::Output> {
    bars.iter()
        .filter_map(|b| ind.update(*b).unwrap())
        .collect()
}

#[test]
fn percentages_stay_in_their_ranges() {
    let b = synthetic_bars(2000, 3);
    let within = |v: &[f64], lo: f64, hi: f64, what: &str| {
        assert!(!v.is_empty(), "{what}: no values");
        assert!(
            v.iter().all(|&x| (lo..=hi).contains(&x)),
            "{what} outside [{lo}, {hi}]"
        );
    };
    for n in [2, 5, 14] {
        within(&values(PlusDi::new(n).unwrap(), &b), 0.0, 100.0, "+DI");
        within(&values(MinusDi::new(n).unwrap(), &b), 0.0, 100.0, "-DI");
        within(&values(Dx::new(n).unwrap(), &b), 0.0, 100.0, "DX");
        within(&values(Adx::new(n).unwrap(), &b), 0.0, 100.0, "ADX");
        within(&values(Adxr::new(n).unwrap(), &b), 0.0, 100.0, "ADXR");
        within(&values(WillR::new(n).unwrap(), &b), -100.0, 0.0, "WILLR");
        within(
            &values(AroonOsc::new(n).unwrap(), &b),
            -100.0,
            100.0,
            "AROONOSC",
        );
        within(&values(PlusDm::new(n).unwrap(), &b), 0.0, f64::MAX, "+DM");
    }
    // Period 1: TA-Lib's DI is the bare ratio DM1 / TR1, a fraction.
    within(&values(PlusDi::new(1).unwrap(), &b), 0.0, 1.0, "+DI(1)");
    within(&values(MinusDi::new(1).unwrap(), &b), 0.0, 1.0, "-DI(1)");
    within(&values(UltOsc::default(), &b), 0.0, 100.0, "ULTOSC");
}

#[test]
fn dx_is_the_gap_of_the_dis_over_their_sum() {
    let b = synthetic_bars(500, 5);
    let (p, m, dx) = (
        values(PlusDi::new(9).unwrap(), &b),
        values(MinusDi::new(9).unwrap(), &b),
        values(Dx::new(9).unwrap(), &b),
    );
    assert_eq!(p.len(), dx.len());
    for ((p, m), dx) in p.iter().zip(&m).zip(&dx) {
        let want = 100.0 * (p - m).abs() / (p + m);
        assert!((dx - want).abs() <= 1e-9 * want.max(1.0), "{dx} vs {want}");
    }
}

#[test]
fn adx_is_wilders_average_of_dx_and_adxr_the_lagged_mean() {
    let b = synthetic_bars(500, 6);
    let n = 6;
    let dx = values(Dx::new(n).unwrap(), &b);
    let adx = values(Adx::new(n).unwrap(), &b);
    let adxr = values(Adxr::new(n).unwrap(), &b);
    // seed: the mean of the first n DX; then (ADX·(n−1) + DX)/n
    let mut want = dx[..n].iter().sum::<f64>() / n as f64;
    assert!((adx[0] - want).abs() < 1e-9);
    for (k, a) in adx.iter().enumerate().skip(1) {
        want = (want * (n - 1) as f64 + dx[n - 1 + k]) / n as f64;
        assert!((a - want).abs() < 1e-9, "ADX[{k}]");
    }
    for (k, r) in adxr.iter().enumerate() {
        let want = (adx[k + n - 1] + adx[k]) / 2.0;
        assert!((r - want).abs() < 1e-12, "ADXR[{k}]");
    }
}

#[test]
fn dx_and_adx_hold_when_the_di_sum_vanishes() {
    // One up bar, one down bar, then identical inside bars. For n = 2 the
    // Wilder sums halve each bar, the DIs keep their 1 : 6 ratio (DX ≈ 71.43)
    // and shrink until, at bar 55, −DI + +DI falls below 1e-14: DX is
    // undefined there and TA-Lib repeats the last DX and leaves the ADX
    // alone, rather than dropping to 0. The index and the values are TA-Lib
    // 0.8.2's on these bars.
    let mut bars = vec![
        Bar::new(10.0, 11.0, 9.0, 10.0, 0.0),
        Bar::new(11.0, 12.0, 10.0, 11.0, 0.0), // +DM1 1
        Bar::new(10.0, 11.0, 7.0, 10.0, 0.0),  // −DM1 3
    ];
    bars.extend((0..80).map(|_| Bar::new(9.0, 10.0, 8.0, 9.0, 0.0)));
    let pdi = PlusDi::new(2).unwrap().batch(&bars).unwrap();
    let mdi = MinusDi::new(2).unwrap().batch(&bars).unwrap();
    let vanished = (2..bars.len())
        .find(|&i| pdi[i].unwrap() + mdi[i].unwrap() < 1e-14)
        .unwrap();
    assert_eq!(vanished, 55);
    let dx = Dx::new(2).unwrap().batch(&bars).unwrap();
    let adx = Adx::new(2).unwrap().batch(&bars).unwrap();
    assert_eq!(dx[vanished - 1], Some(71.428_571_428_571_43));
    assert_eq!(adx[vanished - 1], Some(71.428_571_428_571_42));
    assert!(dx[vanished..].iter().all(|v| *v == dx[vanished - 1]));
    assert!(adx[vanished..].iter().all(|v| *v == adx[vanished - 1]));
}

#[test]
fn flat_bars_give_talibs_zero_fallbacks() {
    let flat = vec![Bar::new(50.0, 50.0, 50.0, 50.0, 1.0); 40];
    let last = |v: Vec<Option<f64>>| v.last().copied().flatten();
    assert_eq!(
        last(PlusDi::new(14).unwrap().batch(&flat).unwrap()),
        Some(0.0)
    );
    assert_eq!(last(Dx::new(14).unwrap().batch(&flat).unwrap()), Some(0.0));
    assert_eq!(last(Adx::new(14).unwrap().batch(&flat).unwrap()), Some(0.0));
    assert_eq!(last(Cci::new(14).unwrap().batch(&flat).unwrap()), Some(0.0));
    assert_eq!(
        last(WillR::new(14).unwrap().batch(&flat).unwrap()),
        Some(0.0)
    );
    assert_eq!(last(UltOsc::default().batch(&flat).unwrap()), Some(0.0));
    // A constant typical price whose mean is not exact (0.3·14/14 ≠ 0.3)
    // still gives 0: the residue is below TA-Lib's 1e-14.
    let tenths = vec![Bar::new(0.3, 0.3, 0.3, 0.3, 1.0); 20];
    assert!(Cci::new(14)
        .unwrap()
        .batch(&tenths)
        .unwrap()
        .iter()
        .flatten()
        .all(|&v| v == 0.0));
}

#[test]
fn aroon_lines_count_bars_since_the_extremes() {
    let b = synthetic_bars(600, 9);
    for n in [2, 5, 14] {
        let aroon = values(Aroon::new(n).unwrap(), &b);
        let osc = values(AroonOsc::new(n).unwrap(), &b);
        let step = 100.0 / n as f64;
        for (k, (AroonOutput { down, up }, o)) in aroon.iter().zip(&osc).enumerate() {
            // brute force over the n + 1 bars, most recent extreme on ties
            let w = &b[k..=k + n];
            let hi = w.iter().map(|x| x.high).fold(f64::MIN, f64::max);
            let lo = w.iter().map(|x| x.low).fold(f64::MAX, f64::min);
            let since_hi = n - w.iter().rposition(|x| x.high == hi).unwrap();
            let since_lo = n - w.iter().rposition(|x| x.low == lo).unwrap();
            assert_eq!(*up, step * (n - since_hi) as f64, "up n={n} k={k}");
            assert_eq!(*down, step * (n - since_lo) as f64, "down n={n} k={k}");
            assert!((o - (up - down)).abs() < 1e-12, "osc n={n} k={k}");
        }
    }
    // Ties: equal highs, the later one counts.
    let mut aroon = Aroon::new(2).unwrap();
    let out = aroon
        .batch(&[
            Bar::new(1.0, 5.0, 1.0, 1.0, 0.0),
            Bar::new(1.0, 5.0, 1.0, 1.0, 0.0),
            Bar::new(1.0, 4.0, 1.0, 1.0, 0.0),
        ])
        .unwrap();
    assert_eq!(
        out[2],
        Some(AroonOutput {
            down: 100.0,
            up: 50.0
        })
    );
}

#[test]
fn cci_matches_a_two_pass_recomputation() {
    let b = synthetic_bars(300, 13);
    let n = 10;
    let cci = values(Cci::new(n).unwrap(), &b);
    for (k, v) in cci.iter().enumerate() {
        let tp: Vec<f64> = b[k..k + n]
            .iter()
            .map(|x| (x.high + x.low + x.close) / 3.0)
            .collect();
        let mean = tp.iter().sum::<f64>() / n as f64;
        let md = tp.iter().map(|x| (x - mean).abs()).sum::<f64>() / n as f64;
        let want = (tp[n - 1] - mean) / (0.015 * md);
        assert!((v - want).abs() < 1e-9 * want.abs().max(1.0), "CCI[{k}]");
    }
}

#[test]
fn willr_is_the_close_in_the_window_range() {
    let b = synthetic_bars(300, 17);
    let n = 7;
    let r = values(WillR::new(n).unwrap(), &b);
    for (k, v) in r.iter().enumerate() {
        let w = &b[k..k + n];
        let hh = w.iter().map(|x| x.high).fold(f64::MIN, f64::max);
        let ll = w.iter().map(|x| x.low).fold(f64::MAX, f64::min);
        let want = -100.0 * (hh - w[n - 1].close) / (hh - ll);
        assert!((v - want).abs() < 1e-9, "WILLR[{k}] {v} vs {want}");
    }
}

#[test]
fn ultosc_sorts_its_periods_and_weights_the_shortest_most() {
    let b = synthetic_bars(300, 19);
    let sorted = values(UltOsc::new(7, 14, 28).unwrap(), &b);
    let shuffled = values(UltOsc::new(28, 7, 14).unwrap(), &b);
    assert_eq!(sorted, shuffled);
    // Hand-worked on periods 1, 1, 2: each bar's ratio BP/TR.
    let bars = [
        Bar::new(10.0, 10.0, 10.0, 10.0, 0.0),
        Bar::new(10.0, 12.0, 10.0, 11.0, 0.0), // BP 1, TR 2
        Bar::new(11.0, 11.0, 8.0, 10.0, 0.0),  // BP 2, TR 3
    ];
    let out = UltOsc::new(2, 1, 1).unwrap().batch(&bars).unwrap();
    let want: f64 = 100.0 * (4.0 * (2.0 / 3.0) + 2.0 * (2.0 / 3.0) + 3.0 / 5.0) / 7.0;
    assert_eq!(out[..2], [None, None]);
    assert!((out[2].unwrap() - want).abs() < 1e-12);
}

#[test]
fn f32_follows_f64() {
    let b = bars();
    let b32 = bars32();
    let pairs = |a: Vec<f64>, b: Vec<f32>, tol: f64, what: &str| {
        assert_eq!(a.len(), b.len(), "{what}");
        for (x, y) in a.iter().zip(&b) {
            assert!((x - f64::from(*y)).abs() <= tol, "{what}: {x} vs {y}");
        }
    };
    let v32 = |ind: &mut dyn Indicator<Input = Bar<f32>, Output = f32>| -> Vec<f32> {
        b32.iter().filter_map(|x| ind.update(*x).unwrap()).collect()
    };
    pairs(
        values(Adx::new(14).unwrap(), &b),
        v32(&mut Adx::<f32>::new(14).unwrap()),
        0.01,
        "ADX",
    );
    pairs(
        values(Cci::new(14).unwrap(), &b),
        v32(&mut Cci::<f32>::new(14).unwrap()),
        0.5,
        "CCI",
    );
    pairs(
        values(WillR::new(14).unwrap(), &b),
        v32(&mut WillR::<f32>::new(14).unwrap()),
        0.01,
        "WILLR",
    );
    pairs(
        values(UltOsc::default(), &b),
        v32(&mut UltOsc::<f32>::default()),
        0.01,
        "ULTOSC",
    );
}

// ------------------------------------------------------------- serde ----

#[cfg(feature = "serde")]
mod serde_state {
    use super::*;
    use crate::serde_state::round_trip;
    use serde::{de::DeserializeOwned, Serialize};
    use serde_json::{json, Value};

    #[test]
    fn every_state_round_trips_mid_stream() {
        let b = synthetic_bars(300, 11);
        round_trip(|| PlusDm::new(14).unwrap(), &b);
        round_trip(|| MinusDm::new(1).unwrap(), &b);
        round_trip(|| PlusDi::new(14).unwrap(), &b);
        round_trip(|| MinusDi::new(5).unwrap(), &b);
        round_trip(|| Dx::new(14).unwrap(), &b);
        round_trip(|| Adx::new(14).unwrap(), &b);
        round_trip(|| Adxr::new(14).unwrap(), &b);
        round_trip(|| Aroon::new(14).unwrap(), &b);
        round_trip(|| AroonOsc::new(5).unwrap(), &b);
        round_trip(|| Cci::new(14).unwrap(), &b);
        round_trip(|| WillR::new(14).unwrap(), &b);
        round_trip(|| UltOsc::new(7, 14, 28).unwrap(), &b);
        let b32 = bars32();
        round_trip(|| Adxr::<f32>::new(14).unwrap(), &b32);
        round_trip(UltOsc::<f32>::default, &b32);
        let out = AroonOutput { down: 1.0, up: 2.0 };
        let back: AroonOutput =
            serde_json::from_str(&serde_json::to_string(&out).unwrap()).unwrap();
        assert_eq!(back, out);
    }

    /// A warmed-up indicator's JSON with one field (a path of keys) replaced.
    fn edit<I: Indicator<Input = Bar> + Serialize>(mut ind: I, path: &[&str], v: Value) -> String {
        for b in synthetic_bars(60, 23) {
            ind.update(b).unwrap();
        }
        let mut json = serde_json::to_value(&ind).unwrap();
        let mut node = &mut json;
        for key in path {
            node = node
                .get_mut(*key)
                .unwrap_or_else(|| panic!("no field {key}"));
        }
        *node = v;
        json.to_string()
    }

    fn rejected<I: DeserializeOwned + std::fmt::Debug>(json: &str) {
        let r = serde_json::from_str::<I>(json);
        assert!(r.is_err(), "accepted {json}: {r:?}");
    }

    #[test]
    fn corrupted_states_are_rejected() {
        let pdm = || PlusDm::<f64>::new(14).unwrap();
        rejected::<PlusDm>(&edit(pdm(), &["core", "period"], 0.into()));
        rejected::<PlusDm>(&edit(pdm(), &["core", "seen"], 16.into()));
        rejected::<MinusDm>(&edit(
            MinusDm::new(3).unwrap(),
            &["core", "minus_dm"],
            (-1.0).into(),
        ));
        rejected::<PlusDi>(&edit(
            PlusDi::new(3).unwrap(),
            &["core", "tr"],
            (-0.5).into(),
        ));
        rejected::<MinusDi>(&edit(
            MinusDi::new(3).unwrap(),
            &["core", "prev_close"],
            1e9.into(), // outside the previous bar's range
        ));
        rejected::<Dx>(&edit(Dx::new(14).unwrap(), &["last"], 101.0.into()));
        rejected::<Dx>(&edit(Dx::new(14).unwrap(), &["core", "period"], 1.into()));
        rejected::<Adx>(&edit(Adx::new(5).unwrap(), &["dx_seen"], 6.into()));
        rejected::<Adx>(&edit(Adx::new(5).unwrap(), &["value"], (-3.0).into()));
        rejected::<Adxr>(&edit(
            Adxr::new(5).unwrap(),
            &["lagged", "buf"],
            json!([1.0, 2.0]),
        ));
        rejected::<Adxr>(&edit(
            Adxr::new(5).unwrap(),
            &["adx", "core", "period"],
            6.into(),
        ));
        rejected::<Aroon>(&edit(
            Aroon::new(14).unwrap(),
            &["window", "period"],
            13.into(),
        ));
        rejected::<AroonOsc>(&edit(
            AroonOsc::new(5).unwrap(),
            &["window", "highs", "pos"],
            99.into(),
        ));
        rejected::<Cci>(&edit(Cci::new(14).unwrap(), &["next"], 14.into()));
        rejected::<Cci>(&edit(Cci::new(14).unwrap(), &["typical"], json!([1.0])));
        rejected::<WillR>(&edit(WillR::new(14).unwrap(), &["period"], 7.into()));
        rejected::<UltOsc>(&edit(UltOsc::default(), &["periods"], json!([14, 7, 28])));
        rejected::<UltOsc>(&edit(UltOsc::default(), &["seen"], 30.into()));
        let fresh = serde_json::to_value(UltOsc::<f64>::default()).unwrap();
        let mut bad = fresh.clone();
        bad["seen"] = 20.into(); // windows empty but 19 bars claimed
        rejected::<UltOsc>(&bad.to_string());
    }
}
