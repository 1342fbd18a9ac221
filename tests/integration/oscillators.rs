//! Tests of the oscillators indicators: TA-Lib parity on the golden files, the
//! indicator contract, serde state, f32, constructors and invariants.

use apex_ta::{
    Apo, Bar, Bop, Cmo, Error, Indicator, MaType, Mfi, Mom, Ppo, Roc, Rocp, Rocr, Rocr100, Rsi,
    Stoch, StochF, StochOutput, StochRsi, Trix,
};
use proptest::prelude::*;

use crate::common::{compare_column, family_golden, rel_diff, synthetic_bars, Golden};
use crate::contract::contract;

// ---------------------------------------------------------------- helpers ----

fn run<I: Indicator>(mut ind: I, inputs: &[I::Input]) -> Vec<Option<I::Output>>
where
    I::Input: Clone,
{
    inputs
        .iter()
        .map(|x| ind.update(x.clone()).expect("valid input"))
        .collect()
}

fn map<O: Copy>(xs: &[Option<O>], f: impl Fn(O) -> f64) -> Vec<Option<f64>> {
    xs.iter().map(|o| o.map(&f)).collect()
}

fn ma(code: u32) -> MaType {
    MaType::from_talib(code).unwrap()
}

/// Compares one column from `from` on: same first output index as TA-Lib,
/// every value within `TALIB_REL_TOL` of TA-Lib's, relative to
/// `max(|TA-Lib|, floor(i))`. Returns the largest relative difference.
fn compare(
    g: &Golden,
    col: &str,
    ours: &[Option<f64>],
    floor: &dyn Fn(usize) -> f64,
    skip: &dyn Fn(usize) -> bool,
) -> f64 {
    compare_column(g, col, ours, floor, skip)
}

/// TA-Lib's raw %K of a window (the test's own, naive copy).
fn naive_fast_k(window: &[f64], close: f64) -> f64 {
    let hh = window.iter().copied().fold(f64::MIN, f64::max);
    let ll = window.iter().copied().fold(f64::MAX, f64::min);
    if (hh - ll).abs() <= 1e-14 * (hh.abs() + ll.abs()) {
        0.0
    } else {
        (close - ll) / ((hh - ll) / 100.0)
    }
}

/// A moving average over a whole series, naive (SMA: mean of the window;
/// EMA: seeded with the mean of the first n), `None` while warming up.
fn naive_ma(xs: &[f64], n: usize, kind: MaType) -> Vec<Option<f64>> {
    let mut out = vec![None; xs.len()];
    let mut ema = 0.0;
    for i in (n - 1)..xs.len() {
        let mean = xs[i + 1 - n..=i].iter().sum::<f64>() / n as f64;
        out[i] = Some(if kind == MaType::Sma {
            mean
        } else {
            let alpha = 2.0 / (n as f64 + 1.0);
            ema = if i == n - 1 {
                mean
            } else {
                ema + alpha * (xs[i] - ema)
            };
            ema
        });
    }
    out
}

/// STOCHRSI computed naively from the crate's RSI: STOCHF of RSI.
fn naive_stoch_rsi(
    closes: &[f64],
    t: usize,
    fk: usize,
    fd: usize,
    kind: MaType,
) -> Vec<(usize, f64, f64)> {
    let rsi: Vec<(usize, f64)> = run(Rsi::new(t).unwrap(), closes)
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|r| (i, r)))
        .collect();
    let values: Vec<f64> = rsi.iter().map(|&(_, r)| r).collect();
    let k: Vec<f64> = (fk - 1..values.len())
        .map(|j| naive_fast_k(&values[j + 1 - fk..=j], values[j]))
        .collect();
    let d = naive_ma(&k, fd, kind);
    k.iter()
        .zip(d)
        .enumerate()
        .filter_map(|(j, (&k, d))| d.map(|d| (rsi[j + fk - 1].0, k, d)))
        .collect()
}

fn bars() -> Vec<Bar> {
    synthetic_bars(400, 7)
}

fn closes() -> Vec<f64> {
    bars().iter().map(|b| b.close).collect()
}

fn bars32(bars: &[Bar]) -> Vec<Bar<f32>> {
    bars.iter()
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

const BAD_CLOSES: [f64; 3] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

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
        Bar {
            volume: f64::NAN,
            ..ok
        },
        Bar { high: 98.0, ..ok },
        Bar { open: 102.0, ..ok },
        Bar { close: 98.5, ..ok },
        Bar { volume: -1.0, ..ok },
    ]
}

// ------------------------------------------------------------ TA-Lib parity ----

#[test]
#[allow(clippy::too_many_lines)] // one block per indicator, in the golden file's order
fn every_talib_column_matches_on_every_series() {
    let mut summary = Vec::new();
    for g in family_golden("oscillators") {
        let closes = g.closes();
        let bars = g.bars();
        let none = |_: usize| false;
        // Outputs that cross zero are compared relative to a floor: the
        // close's magnitude for those in price units (APO, MOM), 1 percentage
        // point for those in percent (PPO, ROC, TRIX, CMO, the stochastics'
        // 0..100 scale), 0.01 for ROCP's fraction.
        let price = |i: usize| closes[i].abs();
        let percent = |_: usize| 1.0;
        let fraction = |_: usize| 0.01;
        let exact = |_: usize| 0.0;
        let mut check = |col: &str,
                         ours: Vec<Option<f64>>,
                         floor: &dyn Fn(usize) -> f64,
                         skip: &dyn Fn(usize) -> bool| {
            let worst = compare(&g, col, &ours, floor, skip);
            summary.push(format!("{}/{col}: {worst:.1e}", g.name));
        };

        for (fast, slow, code) in [
            (12, 26, 0),
            (12, 26, 1),
            (5, 10, 0),
            (5, 10, 1),
            (26, 12, 0),
        ] {
            let apo = Apo::new(fast, slow, ma(code)).unwrap();
            check(
                &format!("apo_{fast}_{slow}_{code}"),
                run(apo, &closes),
                &price,
                &none,
            );
        }
        for (fast, slow, code) in [
            (12, 26, 0),
            (12, 26, 1),
            (5, 10, 0),
            (5, 10, 1),
            (26, 12, 1),
        ] {
            let ppo = Ppo::new(fast, slow, ma(code)).unwrap();
            check(
                &format!("ppo_{fast}_{slow}_{code}"),
                run(ppo, &closes),
                &percent,
                &none,
            );
        }
        check("bop", run(Bop::new(), &bars), &exact, &none);
        for n in [14, 5] {
            check(
                &format!("cmo_{n}"),
                run(Cmo::new(n).unwrap(), &closes),
                &percent,
                &none,
            );
            check(
                &format!("mfi_{n}"),
                run(Mfi::new(n).unwrap(), &bars),
                &percent,
                &none,
            );
        }
        for n in [10, 3] {
            check(
                &format!("mom_{n}"),
                run(Mom::new(n).unwrap(), &closes),
                &price,
                &none,
            );
            check(
                &format!("roc_{n}"),
                run(Roc::new(n).unwrap(), &closes),
                &percent,
                &none,
            );
            check(
                &format!("rocp_{n}"),
                run(Rocp::new(n).unwrap(), &closes),
                &fraction,
                &none,
            );
            check(
                &format!("rocr_{n}"),
                run(Rocr::new(n).unwrap(), &closes),
                &exact,
                &none,
            );
            check(
                &format!("rocr100_{n}"),
                run(Rocr100::new(n).unwrap(), &closes),
                &exact,
                &none,
            );
        }
        for (fk, sk, skt, sd, sdt) in [
            (5, 3, 0, 3, 0),
            (5, 3, 1, 3, 1),
            (14, 3, 1, 5, 0),
            (3, 1, 0, 1, 0),
        ] {
            let out = run(Stoch::new(fk, sk, ma(skt), sd, ma(sdt)).unwrap(), &bars);
            let name = format!("stoch_{fk}_{sk}_{skt}_{sd}_{sdt}");
            check(
                &format!("{name}_slowk"),
                map(&out, |o| o.k),
                &percent,
                &none,
            );
            check(
                &format!("{name}_slowd"),
                map(&out, |o| o.d),
                &percent,
                &none,
            );
        }
        for (fk, fd, fdt) in [(5, 3, 0), (5, 3, 1), (14, 3, 0), (1, 1, 0)] {
            let out = run(StochF::new(fk, fd, ma(fdt)).unwrap(), &bars);
            let name = format!("stochf_{fk}_{fd}_{fdt}");
            check(
                &format!("{name}_fastk"),
                map(&out, |o| o.k),
                &percent,
                &none,
            );
            check(
                &format!("{name}_fastd"),
                map(&out, |o| o.d),
                &percent,
                &none,
            );
        }
        // STOCHRSI: the documented deviation is the RSI of a window without
        // movement (50 here, 0 in TA-Lib 0.8.2). Where it can reach an
        // output (k: a flat-window RSI in the %K window; d: one in any k it
        // averages, for an EMA until its weight is below 1e-14), the output
        // is checked against a naive STOCHF of this crate's RSI instead.
        let first_move = closes.iter().position(|&c| c != closes[0]);
        for (t, fk, fd, fdt) in [(14, 5, 3, 0), (14, 5, 3, 1), (5, 3, 2, 0), (14, 14, 1, 0)] {
            let kind = ma(fdt);
            let out = run(StochRsi::new(t, fk, fd, kind).unwrap(), &closes);
            let naive = naive_stoch_rsi(&closes, t, fk, fd, kind);
            assert_eq!(
                naive.first().map(|n| n.0),
                out.iter().position(Option::is_some)
            );
            for &(i, k, d) in &naive {
                let o = out[i].unwrap();
                assert!(
                    rel_diff(o.k, k, 1.0) < 1e-12 && rel_diff(o.d, d, 1.0) < 1e-12,
                    "{}: stochrsi_{t}_{fk}_{fd}_{fdt}[{i}]: {o:?} vs naive ({k}, {d})",
                    g.name
                );
            }
            // A flat-window RSI exists at indices t..first_move (none if the
            // series moves before its RSI starts).
            let deviates = first_move.filter(|&m| m > t);
            let k_clean = deviates.map_or(0, |m| m + fk - 1);
            let d_clean = if kind == MaType::Sma {
                k_clean + fd - 1
            } else {
                // Bars until a deviation's weight (1 − α)^m is below 1e-14.
                let keep = 1.0 - 2.0 / (fd as f64 + 1.0);
                let mut m = 0;
                let mut weight = 1.0;
                while weight > 1e-14 {
                    weight *= keep;
                    m += 1;
                }
                k_clean + m
            };
            let skip_k = |i: usize| deviates.is_some_and(|m| i >= m && i < k_clean);
            let skip_d = |i: usize| deviates.is_some_and(|m| i >= m && i < d_clean);
            let name = format!("stochrsi_{t}_{fk}_{fd}_{fdt}");
            check(
                &format!("{name}_fastk"),
                map(&out, |o| o.k),
                &percent,
                &skip_k,
            );
            check(
                &format!("{name}_fastd"),
                map(&out, |o| o.d),
                &percent,
                &skip_d,
            );
        }
        for n in [30, 5, 1] {
            check(
                &format!("trix_{n}"),
                run(Trix::new(n).unwrap(), &closes),
                &percent,
                &none,
            );
        }
    }
    // Visible with `cargo test -- --nocapture`: the largest difference per column.
    println!(
        "largest relative difference vs TA-Lib 0.8.2 (oscillators):\n  {}",
        summary.join("\n  ")
    );
    assert_eq!(
        summary.len(),
        4 * 52,
        "every column of the four files is checked"
    );
}

#[test]
fn lookbacks_match_talib() {
    let g = &family_golden("oscillators")[0];
    let lead = |col: &str| g.col(col).iter().take_while(|v| v.is_none()).count();
    let lb = |ind: &dyn Fn() -> usize, col: &str| assert_eq!(ind(), lead(col), "{col}");
    lb(&|| Apo::<f64>::default().lookback(), "apo_12_26_0");
    lb(
        &|| Apo::<f64>::new(26, 12, MaType::Sma).unwrap().lookback(),
        "apo_26_12_0",
    );
    lb(
        &|| Ppo::<f64>::new(5, 10, MaType::Ema).unwrap().lookback(),
        "ppo_5_10_1",
    );
    lb(&|| Bop::<f64>::new().lookback(), "bop");
    lb(&|| Cmo::<f64>::default().lookback(), "cmo_14");
    lb(&|| Mfi::<f64>::new(5).unwrap().lookback(), "mfi_5");
    lb(&|| Mom::<f64>::default().lookback(), "mom_10");
    lb(&|| Roc::<f64>::new(3).unwrap().lookback(), "roc_3");
    lb(&|| Rocp::<f64>::default().lookback(), "rocp_10");
    lb(&|| Rocr::<f64>::default().lookback(), "rocr_10");
    lb(&|| Rocr100::<f64>::default().lookback(), "rocr100_10");
    lb(
        &|| Stoch::<f64>::default().lookback(),
        "stoch_5_3_0_3_0_slowk",
    );
    lb(
        &|| {
            Stoch::<f64>::new(14, 3, MaType::Ema, 5, MaType::Sma)
                .unwrap()
                .lookback()
        },
        "stoch_14_3_1_5_0_slowd",
    );
    lb(
        &|| StochF::<f64>::default().lookback(),
        "stochf_5_3_0_fastd",
    );
    lb(
        &|| StochF::<f64>::new(1, 1, MaType::Sma).unwrap().lookback(),
        "stochf_1_1_0_fastk",
    );
    lb(
        &|| StochRsi::<f64>::default().lookback(),
        "stochrsi_14_5_3_0_fastk",
    );
    lb(
        &|| {
            StochRsi::<f64>::new(14, 14, 1, MaType::Sma)
                .unwrap()
                .lookback()
        },
        "stochrsi_14_14_1_0_fastd",
    );
    lb(&|| Trix::<f64>::default().lookback(), "trix_30");
    lb(&|| Trix::<f64>::new(1).unwrap().lookback(), "trix_1");
}

#[test]
fn f32_tracks_f64() {
    for g in family_golden("oscillators") {
        let b64 = g.bars();
        let b32 = bars32(&b64);
        let c64 = g.closes();
        let c32: Vec<f32> = c64.iter().map(|&c| c as f32).collect();
        // Bounded outputs: within 0.05 points of the f64 value (where the
        // f64 value is not on a knife edge of a tiny range).
        let close = |name: &str, a: Vec<Option<f64>>, b: Vec<Option<f32>>, tol: f64| {
            assert_eq!(a.len(), b.len());
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                assert_eq!(x.is_some(), y.is_some(), "{}: {name}[{i}] warm-up", g.name);
                if let (Some(x), Some(y)) = (x, y) {
                    assert!(
                        (x - f64::from(*y)).abs() <= tol,
                        "{}: {name}[{i}] f64 {x} vs f32 {y}",
                        g.name
                    );
                }
            }
        };
        close(
            "cmo",
            run(Cmo::new(14).unwrap(), &c64),
            run(Cmo::<f32>::new(14).unwrap(), &c32),
            0.05,
        );
        close(
            "mfi",
            run(Mfi::new(14).unwrap(), &b64),
            run(Mfi::<f32>::new(14).unwrap(), &b32),
            0.05,
        );
        close(
            "bop",
            run(Bop::new(), &b64),
            run(Bop::<f32>::new(), &b32),
            1e-3,
        );
        let s64 = run(Stoch::default(), &b64);
        let s32 = run(Stoch::<f32>::default(), &b32);
        close(
            "stoch.d",
            map(&s64, |o| o.d),
            s32.iter().map(|o| o.map(|o| o.d)).collect(),
            0.05,
        );
    }
}

// ------------------------------------------------------------ the contract ----

#[test]
fn contract_price_oscillators() {
    for kind in [MaType::Sma, MaType::Ema] {
        contract(|| Apo::new(12, 26, kind).unwrap(), &closes(), &BAD_CLOSES);
        contract(|| Ppo::new(5, 10, kind).unwrap(), &closes(), &BAD_CLOSES);
        contract(|| Apo::new(10, 5, kind).unwrap(), &closes(), &BAD_CLOSES);
    }
}

#[test]
fn contract_bop_cmo_mfi() {
    contract(Bop::new, &bars(), &bad_bars());
    contract(|| Cmo::new(14).unwrap(), &closes(), &BAD_CLOSES);
    contract(|| Cmo::new(2).unwrap(), &closes(), &BAD_CLOSES);
    contract(|| Mfi::new(14).unwrap(), &bars(), &bad_bars());
    contract(|| Mfi::new(2).unwrap(), &bars(), &bad_bars());
}

#[test]
fn contract_changes() {
    for n in [1, 10] {
        contract(|| Mom::new(n).unwrap(), &closes(), &BAD_CLOSES);
        contract(|| Roc::new(n).unwrap(), &closes(), &BAD_CLOSES);
        contract(|| Rocp::new(n).unwrap(), &closes(), &BAD_CLOSES);
        contract(|| Rocr::new(n).unwrap(), &closes(), &BAD_CLOSES);
        contract(|| Rocr100::new(n).unwrap(), &closes(), &BAD_CLOSES);
    }
}

#[test]
fn contract_stochastics_and_trix() {
    contract(Stoch::default, &bars(), &bad_bars());
    contract(
        || Stoch::new(14, 3, MaType::Ema, 5, MaType::Sma).unwrap(),
        &bars(),
        &bad_bars(),
    );
    contract(
        || Stoch::new(1, 1, MaType::Sma, 1, MaType::Ema).unwrap(),
        &bars(),
        &bad_bars(),
    );
    contract(StochF::default, &bars(), &bad_bars());
    contract(
        || StochF::new(3, 4, MaType::Ema).unwrap(),
        &bars(),
        &bad_bars(),
    );
    contract(StochRsi::default, &closes(), &BAD_CLOSES);
    contract(
        || StochRsi::new(5, 3, 2, MaType::Ema).unwrap(),
        &closes(),
        &BAD_CLOSES,
    );
    contract(Trix::default, &closes(), &BAD_CLOSES);
    contract(|| Trix::new(1).unwrap(), &closes(), &BAD_CLOSES);
}

#[test]
fn contract_f32() {
    let c: Vec<f32> = closes().iter().map(|&x| x as f32).collect();
    let b = bars32(&bars());
    let bad = [f32::NAN, f32::INFINITY];
    let bad_bar = [Bar::new(1.0_f32, 0.5, 2.0, 1.0, 1.0)];
    contract(|| Apo::<f32>::new(12, 26, MaType::Ema).unwrap(), &c, &bad);
    contract(|| Ppo::<f32>::new(12, 26, MaType::Sma).unwrap(), &c, &bad);
    contract(Bop::<f32>::new, &b, &bad_bar);
    contract(|| Cmo::<f32>::new(14).unwrap(), &c, &bad);
    contract(|| Mfi::<f32>::new(14).unwrap(), &b, &bad_bar);
    contract(|| Mom::<f32>::new(10).unwrap(), &c, &bad);
    contract(|| Roc::<f32>::new(10).unwrap(), &c, &bad);
    contract(|| Rocp::<f32>::new(10).unwrap(), &c, &bad);
    contract(|| Rocr::<f32>::new(10).unwrap(), &c, &bad);
    contract(|| Rocr100::<f32>::new(10).unwrap(), &c, &bad);
    contract(Stoch::<f32>::default, &b, &bad_bar);
    contract(StochF::<f32>::default, &b, &bad_bar);
    contract(StochRsi::<f32>::default, &c, &bad);
    contract(|| Trix::<f32>::new(10).unwrap(), &c, &bad);
}

#[test]
fn constructors_reject_invalid_parameters_naming_them() {
    fn named(r: apex_ta::Result<()>, want: &str) {
        match r {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, want),
            other => panic!("expected InvalidParameter `{want}`, got {other:?}"),
        }
    }
    let sma = MaType::Sma;
    named(Apo::<f64>::new(1, 26, sma).map(drop), "fast");
    named(Apo::<f64>::new(12, 1, sma).map(drop), "slow");
    named(Ppo::<f64>::new(0, 26, sma).map(drop), "fast");
    named(Ppo::<f64>::new(12, 0, sma).map(drop), "slow");
    named(Cmo::<f64>::new(1).map(drop), "period");
    named(Mfi::<f64>::new(1).map(drop), "period");
    named(Mom::<f64>::new(0).map(drop), "period");
    named(Roc::<f64>::new(0).map(drop), "period");
    named(Rocp::<f64>::new(0).map(drop), "period");
    named(Rocr::<f64>::new(0).map(drop), "period");
    named(Rocr100::<f64>::new(0).map(drop), "period");
    named(Trix::<f64>::new(0).map(drop), "period");
    named(
        Stoch::<f64>::new(0, 3, sma, 3, sma).map(drop),
        "fastk_period",
    );
    named(
        Stoch::<f64>::new(5, 0, sma, 3, sma).map(drop),
        "slowk_period",
    );
    named(
        Stoch::<f64>::new(5, 3, sma, 0, sma).map(drop),
        "slowd_period",
    );
    named(StochF::<f64>::new(0, 3, sma).map(drop), "fastk_period");
    named(StochF::<f64>::new(5, 0, sma).map(drop), "fastd_period");
    named(StochRsi::<f64>::new(1, 5, 3, sma).map(drop), "timeperiod");
    named(
        StochRsi::<f64>::new(14, 0, 3, sma).map(drop),
        "fastk_period",
    );
    named(
        StochRsi::<f64>::new(14, 5, 0, sma).map(drop),
        "fastd_period",
    );
    named(MaType::from_talib(7).map(drop), "matype"); // MAMA: not supported
                                                      // TA-Lib's own minima are accepted.
    assert!(Apo::<f64>::new(2, 2, sma).is_ok());
    assert!(Stoch::<f64>::new(1, 1, sma, 1, sma).is_ok());
    assert!(StochRsi::<f64>::new(2, 1, 1, sma).is_ok());
}

#[test]
fn defaults_are_talibs_and_display_names_the_parameters() {
    assert_eq!(Apo::<f64>::default().to_string(), "APO(12, 26, SMA)");
    assert_eq!(
        Ppo::<f64>::default(),
        Ppo::new(12, 26, MaType::Sma).unwrap()
    );
    assert_eq!(
        Ppo::<f64>::new(26, 12, MaType::Ema).unwrap().to_string(),
        "PPO(12, 26, EMA)"
    );
    assert_eq!(Bop::<f64>::default().to_string(), "BOP");
    assert_eq!(Cmo::<f64>::default(), Cmo::new(14).unwrap());
    assert_eq!(Cmo::<f64>::default().to_string(), "CMO(14)");
    assert_eq!(Mfi::<f64>::default(), Mfi::new(14).unwrap());
    assert_eq!(Mfi::<f64>::default().to_string(), "MFI(14)");
    assert_eq!(Mom::<f64>::default().to_string(), "MOM(10)");
    assert_eq!(Roc::<f64>::default(), Roc::new(10).unwrap());
    assert_eq!(Rocp::<f64>::default().to_string(), "ROCP(10)");
    assert_eq!(Rocr::<f64>::default().to_string(), "ROCR(10)");
    assert_eq!(Rocr100::<f64>::default().to_string(), "ROCR100(10)");
    let stoch = Stoch::<f64>::default();
    assert_eq!(
        stoch,
        Stoch::new(5, 3, MaType::Sma, 3, MaType::Sma).unwrap()
    );
    assert_eq!(stoch.to_string(), "STOCH(5, 3, SMA, 3, SMA)");
    assert_eq!(
        (
            stoch.fastk_period(),
            stoch.slowk_period(),
            stoch.slowk_matype(),
            stoch.slowd_period(),
            stoch.slowd_matype()
        ),
        (5, 3, MaType::Sma, 3, MaType::Sma)
    );
    assert_eq!(
        StochF::<f64>::default(),
        StochF::new(5, 3, MaType::Sma).unwrap()
    );
    assert_eq!(StochF::<f64>::default().to_string(), "STOCHF(5, 3, SMA)");
    let srsi = StochRsi::<f64>::default();
    assert_eq!(srsi, StochRsi::new(14, 5, 3, MaType::Sma).unwrap());
    assert_eq!(srsi.to_string(), "STOCHRSI(14, 5, 3, SMA)");
    assert_eq!(
        (
            srsi.timeperiod(),
            srsi.fastk_period(),
            srsi.fastd_period(),
            srsi.fastd_matype()
        ),
        (14, 5, 3, MaType::Sma)
    );
    assert_eq!(Trix::<f64>::default(), Trix::new(30).unwrap());
    assert_eq!(Trix::<f64>::default().to_string(), "TRIX(30)");
    let apo = Apo::<f64>::new(26, 12, MaType::Ema).unwrap();
    assert_eq!(
        (apo.fast_period(), apo.slow_period(), apo.matype()),
        (12, 26, MaType::Ema)
    );
}

// ------------------------------------------------------ invariants by hand ----

#[test]
fn apo_and_ppo_identities() {
    let c = closes();
    for kind in [MaType::Sma, MaType::Ema] {
        let apo = run(Apo::new(5, 20, kind).unwrap(), &c);
        let ppo = run(Ppo::new(5, 20, kind).unwrap(), &c);
        let slow = naive_ma(&c, 20, kind);
        let fast = naive_ma(&c, 5, kind);
        for i in 0..c.len() {
            match (apo[i], ppo[i], fast[i], slow[i]) {
                (Some(a), Some(p), Some(f), Some(s)) => {
                    assert!((a - (f - s)).abs() < 1e-9 * c[i], "APO[{i}]");
                    assert!(
                        (p - 100.0 * a / s).abs() < 1e-9,
                        "PPO[{i}]: {p} vs {}",
                        100.0 * a / s
                    );
                }
                (None, None, _, None) => {}
                other => panic!("warm-up at {i}: {other:?}"),
            }
        }
        // Swapped periods give the same oscillator.
        let swapped = run(Apo::new(20, 5, kind).unwrap(), &c);
        assert_eq!(apo, swapped);
    }
    // Constant input: both averages equal the input, APO = PPO = 0.
    let flat = vec![42.0; 40];
    assert!(run(Apo::new(3, 7, MaType::Ema).unwrap(), &flat)
        .iter()
        .flatten()
        .all(|&v| v == 0.0));
    // PPO of a slow average within 1e-14 of zero is 0 (TA-Lib's TA_IS_ZERO).
    let tiny = [0.0, 0.0, 2e-15, 0.0, 1e-15];
    let out = run(Ppo::new(2, 3, MaType::Sma).unwrap(), &tiny);
    assert_eq!(out[4], Some(0.0));
    let small = [0.0_f64, 0.0, 2e-13, 0.0, 1e-13];
    let out = run(Ppo::new(2, 3, MaType::Sma).unwrap(), &small);
    assert!((out[4].unwrap() + 50.0).abs() < 1e-9, "{out:?}");
}

#[test]
fn bop_by_hand_and_bounded() {
    let mut bop = Bop::<f64>::new();
    let v = |o, h, l, c| Bar::new(o, h, l, c, 1.0);
    let mut b = |bar| bop.update(bar).unwrap().unwrap();
    assert_eq!(b(v(10.0, 14.0, 10.0, 14.0)), 1.0);
    assert_eq!(b(v(14.0, 14.0, 10.0, 10.0)), -1.0);
    assert_eq!(b(v(11.0, 14.0, 10.0, 12.0)), 0.25);
    assert_eq!(b(v(5.0, 5.0, 5.0, 5.0)), 0.0); // no range: 0
    assert_eq!(b(v(-1e308, 1e308, -1e308, 1e308)), 1.0); // range overflows
    for x in run(Bop::new(), &bars()).into_iter().flatten() {
        assert!((-1.0..=1.0).contains(&x));
    }
}

#[test]
fn cmo_is_rescaled_rsi() {
    let c = closes();
    for n in [2, 14] {
        let cmo = run(Cmo::new(n).unwrap(), &c);
        let rsi = run(Rsi::new(n).unwrap(), &c);
        for (i, (a, r)) in cmo.iter().zip(&rsi).enumerate() {
            assert_eq!(a.is_some(), r.is_some());
            if let (Some(a), Some(r)) = (a, r) {
                assert!((a - (2.0 * r - 100.0)).abs() < 1e-9, "[{i}] {a} vs {r}");
                assert!((-100.0..=100.0).contains(a));
            }
        }
    }
    // No movement at all: 0 (TA-Lib's and the neutral value).
    assert_eq!(run(Cmo::new(3).unwrap(), &[5.0; 6])[5], Some(0.0));
    // Only gains: +100; only losses: −100.
    let up: Vec<f64> = (0..10).map(f64::from).collect();
    assert_eq!(run(Cmo::new(3).unwrap(), &up)[9], Some(100.0));
    let down: Vec<f64> = up.iter().rev().copied().collect();
    assert_eq!(run(Cmo::new(3).unwrap(), &down)[9], Some(-100.0));
}

#[test]
fn mfi_by_hand_and_edge_cases() {
    let bar = |tp: f64, v: f64| Bar::new(tp, tp, tp, tp, v);
    // Worked: flows +1100 (up), −3000 (down), then flat (no flow), up +1200.
    let bars = [
        bar(10.0, 100.0),
        bar(11.0, 100.0),
        bar(10.0, 300.0),
        bar(10.0, 500.0),
        bar(12.0, 100.0),
    ];
    let out = run(Mfi::new(3).unwrap(), &bars);
    assert_eq!(out[..3], [None, None, None]);
    let want3 = 100.0 * 1100.0 / 4100.0;
    let want4 = 100.0 * 1200.0 / 4200.0;
    assert!((out[3].unwrap() - want3).abs() < 1e-12, "{out:?}");
    assert!((out[4].unwrap() - want4).abs() < 1e-12, "{out:?}");
    // A window without flow (flat prices, or zero volume) gives 0, TA-Lib's value.
    let flat = vec![bar(10.0, 100.0); 8];
    assert!(run(Mfi::new(3).unwrap(), &flat)
        .iter()
        .flatten()
        .all(|&v| v == 0.0));
    let quiet: Vec<Bar> = (0..8).map(|i| bar(10.0 + f64::from(i), 0.0)).collect();
    assert!(run(Mfi::new(3).unwrap(), &quiet)
        .iter()
        .flatten()
        .all(|&v| v == 0.0));
    // A rounding-level change of the typical price carries no flow.
    let mut nudged = flat.clone();
    nudged[5] = bar(10.0 * (1.0 + 3e-15), 100.0);
    assert!(run(Mfi::new(3).unwrap(), &nudged)
        .iter()
        .flatten()
        .all(|&v| v == 0.0));
    // Only rises: 100.
    let up: Vec<Bar> = (0..8).map(|i| bar(10.0 + f64::from(i), 50.0)).collect();
    assert_eq!(run(Mfi::new(3).unwrap(), &up)[7], Some(100.0));
    // A flow that overflows is rejected and changes nothing.
    let mut mfi = Mfi::new(3).unwrap();
    mfi.update(bar(10.0, 1.0)).unwrap();
    let before = mfi.clone();
    assert!(mfi.update(bar(1e300, 1e300)).is_err());
    assert_eq!(mfi, before);
}

#[test]
fn changes_agree_with_each_other_and_with_talibs_zero_rule() {
    let c = closes();
    let n = 7;
    let mom = run(Mom::new(n).unwrap(), &c);
    let roc = run(Roc::new(n).unwrap(), &c);
    let frac = run(Rocp::new(n).unwrap(), &c);
    let ratio = run(Rocr::new(n).unwrap(), &c);
    let ratio100 = run(Rocr100::new(n).unwrap(), &c);
    for i in 0..c.len() {
        if i < n {
            assert!(mom[i].is_none() && roc[i].is_none() && ratio100[i].is_none());
            continue;
        }
        assert_eq!(mom[i], Some(c[i] - c[i - n]));
        assert_eq!(ratio[i], Some(c[i] / c[i - n]));
        assert!((roc[i].unwrap() - 100.0 * frac[i].unwrap()).abs() < 1e-12);
        assert!((frac[i].unwrap() - (ratio[i].unwrap() - 1.0)).abs() < 1e-14);
        assert!((ratio100[i].unwrap() - 100.0 * ratio[i].unwrap()).abs() < 1e-12);
    }
    // A zero close n back gives 0 for every ratio (TA-Lib), MOM the change.
    let xs = [0.0, 3.0, 6.0];
    assert_eq!(run(Mom::new(1).unwrap(), &xs)[1], Some(3.0));
    assert_eq!(run(Roc::new(1).unwrap(), &xs)[1], Some(0.0));
    assert_eq!(run(Rocp::new(1).unwrap(), &xs)[1], Some(0.0));
    assert_eq!(run(Rocr::new(1).unwrap(), &xs)[1], Some(0.0));
    assert_eq!(run(Rocr100::new(1).unwrap(), &xs)[1], Some(0.0));
    assert_eq!(run(Roc::new(1).unwrap(), &xs)[2], Some(100.0));
}

#[test]
fn stochastics_by_hand_and_composed() {
    let b = bars();
    // STOCH's %K is the SMA of STOCHF's unsmoothed %K, and its %D the SMA of that.
    let fast = run(StochF::new(5, 1, MaType::Sma).unwrap(), &b);
    let raw: Vec<f64> = fast.iter().flatten().map(|o| o.k).collect();
    assert!(fast.iter().flatten().all(|o| o.k == o.d)); // an MA of 1 is the identity
    let k = naive_ma(&raw, 3, MaType::Ema);
    let k: Vec<f64> = k.into_iter().flatten().collect();
    let d: Vec<f64> = naive_ma(&k, 4, MaType::Sma).into_iter().flatten().collect();
    let slow: Vec<StochOutput> = run(Stoch::new(5, 3, MaType::Ema, 4, MaType::Sma).unwrap(), &b)
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(slow.len(), d.len());
    for (j, o) in slow.iter().enumerate() {
        assert!((o.k - k[j + 3]).abs() < 1e-9, "k[{j}]");
        assert!((o.d - d[j]).abs() < 1e-9, "d[{j}]");
    }
    // Close at the highest high: 100; at the lowest low: 0; no range: 0.
    let bar = |h: f64, l: f64, c: f64| Bar::new(c, h, l, c, 1.0);
    let mut f = StochF::new(2, 1, MaType::Sma).unwrap();
    f.update(bar(10.0, 8.0, 9.0)).unwrap();
    assert_eq!(
        f.update(bar(11.0, 9.0, 11.0)).unwrap().map(|o| o.k),
        Some(100.0)
    );
    assert_eq!(
        f.update(bar(11.0, 7.0, 7.0)).unwrap().map(|o| o.k),
        Some(0.0)
    );
    let mut f = StochF::new(2, 1, MaType::Sma).unwrap();
    f.update(bar(5.0, 5.0, 5.0)).unwrap();
    assert_eq!(
        f.update(bar(5.0, 5.0, 5.0)).unwrap().map(|o| o.k),
        Some(0.0)
    );
    // A range within 1e-14 of the prices is flat (TA-Lib's TA_IS_ZERO_SCALED).
    let mut f = StochF::new(1, 1, MaType::Sma).unwrap();
    let h = 1e6 * (1.0 + 2e-15);
    assert_eq!(f.update(bar(h, 1e6, h)).unwrap().map(|o| o.k), Some(0.0));
}

#[test]
fn trix_identities() {
    let c = closes();
    // TRIX(1): the EMAs are the close itself, so TRIX is ROC(1).
    assert_eq!(
        run(Trix::new(1).unwrap(), &c),
        run(Roc::new(1).unwrap(), &c)
    );
    // Against a naive triple EMA.
    let n = 4;
    let e1: Vec<f64> = naive_ma(&c, n, MaType::Ema).into_iter().flatten().collect();
    let e2: Vec<f64> = naive_ma(&e1, n, MaType::Ema)
        .into_iter()
        .flatten()
        .collect();
    let e3: Vec<f64> = naive_ma(&e2, n, MaType::Ema)
        .into_iter()
        .flatten()
        .collect();
    let trix: Vec<f64> = run(Trix::new(n).unwrap(), &c)
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(trix.len(), e3.len() - 1);
    for (j, t) in trix.iter().enumerate() {
        let want = (e3[j + 1] / e3[j] - 1.0) * 100.0;
        assert!((t - want).abs() < 1e-9, "[{j}] {t} vs {want}");
    }
    // Constant input: 0.
    assert!(run(Trix::new(5).unwrap(), &[7.0; 30])
        .iter()
        .flatten()
        .all(|&v| v == 0.0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn bounded_oscillators_stay_in_range(seed in 1u64..u64::MAX, n in 40usize..160) {
        let b = synthetic_bars(n, seed);
        let c: Vec<f64> = b.iter().map(|x| x.close).collect();
        let in100 = |x: f64| (0.0..=100.0).contains(&x);
        for o in run(Stoch::new(5, 3, MaType::Ema, 3, MaType::Sma).unwrap(), &b).into_iter().flatten() {
            prop_assert!(in100(o.k) && in100(o.d), "{o:?}");
        }
        for o in run(StochF::new(4, 2, MaType::Sma).unwrap(), &b).into_iter().flatten() {
            prop_assert!(in100(o.k) && in100(o.d), "{o:?}");
        }
        for o in run(StochRsi::new(6, 4, 3, MaType::Ema).unwrap(), &c).into_iter().flatten() {
            prop_assert!(in100(o.k) && in100(o.d), "{o:?}");
        }
        for x in run(Mfi::new(7).unwrap(), &b).into_iter().flatten() {
            prop_assert!(in100(x), "{x}");
        }
        for x in run(Cmo::new(7).unwrap(), &c).into_iter().flatten() {
            prop_assert!((-100.0..=100.0).contains(&x), "{x}");
        }
        for x in run(Bop::new(), &b).into_iter().flatten() {
            prop_assert!((-1.0..=1.0).contains(&x), "{x}");
        }
    }

    #[test]
    fn price_oscillators_are_scale_aware(seed in 1u64..u64::MAX, scale in 0.001f64..1000.0) {
        // APO scales with the prices, PPO does not.
        let c: Vec<f64> = synthetic_bars(80, seed).iter().map(|b| b.close).collect();
        let s: Vec<f64> = c.iter().map(|x| x * scale).collect();
        let a1 = run(Apo::new(4, 9, MaType::Ema).unwrap(), &c);
        let a2 = run(Apo::new(4, 9, MaType::Ema).unwrap(), &s);
        let p1 = run(Ppo::new(4, 9, MaType::Sma).unwrap(), &c);
        let p2 = run(Ppo::new(4, 9, MaType::Sma).unwrap(), &s);
        for i in 0..c.len() {
            if let (Some(x), Some(y)) = (a1[i], a2[i]) {
                prop_assert!((x * scale - y).abs() <= 1e-9 * c[i] * scale);
            }
            if let (Some(x), Some(y)) = (p1[i], p2[i]) {
                prop_assert!((x - y).abs() <= 1e-9);
            }
        }
    }
}

// ------------------------------------------------------------------- serde ----

#[cfg(feature = "serde")]
mod state {
    use super::*;
    use crate::serde_state::round_trip;
    use ::serde::Serialize;
    use serde_json::{json, Value};

    #[test]
    fn every_state_round_trips_mid_stream() {
        let b = synthetic_bars(300, 11);
        let c: Vec<f64> = b.iter().map(|x| x.close).collect();
        round_trip(|| Apo::new(12, 26, MaType::Ema).unwrap(), &c);
        round_trip(|| Ppo::new(5, 10, MaType::Sma).unwrap(), &c);
        round_trip(Bop::new, &b);
        round_trip(|| Cmo::new(14).unwrap(), &c);
        round_trip(|| Mfi::new(14).unwrap(), &b);
        round_trip(|| Mom::new(10).unwrap(), &c);
        round_trip(|| Roc::new(10).unwrap(), &c);
        round_trip(|| Rocp::new(10).unwrap(), &c);
        round_trip(|| Rocr::new(10).unwrap(), &c);
        round_trip(|| Rocr100::new(10).unwrap(), &c);
        round_trip(
            || Stoch::new(5, 3, MaType::Ema, 3, MaType::Sma).unwrap(),
            &b,
        );
        round_trip(|| StochF::new(5, 3, MaType::Ema).unwrap(), &b);
        round_trip(|| StochRsi::new(14, 5, 3, MaType::Sma).unwrap(), &c);
        round_trip(|| Trix::new(5).unwrap(), &c);
        let c32: Vec<f32> = c.iter().map(|&x| x as f32).collect();
        round_trip(|| Trix::<f32>::new(5).unwrap(), &c32);
        round_trip(StochRsi::<f32>::default, &c32);
        let out = StochOutput { k: 20.0, d: 30.0 };
        let back: StochOutput =
            serde_json::from_str(&serde_json::to_string(&out).unwrap()).unwrap();
        assert_eq!(back, out);
    }

    fn warmed<I: Indicator>(mut ind: I, inputs: &[I::Input]) -> I
    where
        I::Input: Clone,
    {
        for x in inputs {
            ind.update(x.clone()).unwrap();
        }
        ind
    }

    fn value<I: Serialize>(ind: &I) -> Value {
        serde_json::to_value(ind).unwrap()
    }

    fn set(json: &mut Value, path: &[&str], v: Value) {
        let mut node = json;
        for key in path {
            node = node
                .get_mut(*key)
                .unwrap_or_else(|| panic!("no field {key}"));
        }
        *node = v;
    }

    /// `ind`'s JSON with the field at `path` replaced by `v`.
    fn edited<I: Serialize>(ind: &I, path: &[&str], v: Value) -> Value {
        let mut json = value(ind);
        set(&mut json, path, v);
        json
    }

    fn rejected<I: ::serde::de::DeserializeOwned + std::fmt::Debug>(json: &Value) {
        let r = serde_json::from_value::<I>(json.clone());
        assert!(r.is_err(), "accepted {json}: {r:?}");
    }

    #[test]
    fn corrupted_states_are_rejected() {
        let b = synthetic_bars(60, 5);
        let c: Vec<f64> = b.iter().map(|x| x.close).collect();

        // APO / PPO: averages of different kinds, or fast longer than slow.
        let sma = value(&Apo::<f64>::new(5, 10, MaType::Sma).unwrap());
        let ema = value(&Apo::<f64>::new(5, 10, MaType::Ema).unwrap());
        let mut mixed = sma.clone();
        set(
            &mut mixed,
            &["averages", "slow"],
            ema["averages"]["slow"].clone(),
        );
        rejected::<Apo>(&mixed);
        rejected::<Ppo>(&mixed);
        let mut swapped = sma.clone();
        set(
            &mut swapped,
            &["averages", "fast"],
            sma["averages"]["slow"].clone(),
        );
        set(
            &mut swapped,
            &["averages", "slow"],
            sma["averages"]["fast"].clone(),
        );
        rejected::<Apo>(&swapped);
        // The slow average warmed up, the fast one not.
        let warm = warmed(Ppo::new(5, 10, MaType::Sma).unwrap(), &c);
        let fresh = value(&Ppo::<f64>::new(5, 10, MaType::Sma).unwrap());
        let mut lagging = value(&warm);
        set(
            &mut lagging,
            &["averages", "fast"],
            fresh["averages"]["fast"].clone(),
        );
        rejected::<Ppo>(&lagging);

        rejected::<Bop>(&json!({ "ready": "yes" }));
        rejected::<Bop>(&json!({}));

        // CMO: an RSI of period 1 (consistent as an RSI, not as a CMO).
        let mut cmo = value(&Cmo::<f64>::new(2).unwrap());
        set(&mut cmo, &["rsi", "period"], json!(1));
        set(&mut cmo, &["rsi", "alpha"], json!(1.0));
        rejected::<Cmo>(&cmo);

        let mfi = warmed(Mfi::new(5).unwrap(), &b[..20]);
        rejected::<Mfi>(&edited(&mfi, &["seen"], json!(3)));
        rejected::<Mfi>(&edited(&mfi, &["period"], json!(4)));
        rejected::<Mfi>(&edited(&mfi, &["empty_run"], json!(6)));
        rejected::<Mfi>(&edited(&mfi, &["prev_tp"], json!(null)));

        let mom = warmed(Mom::new(3).unwrap(), &c[..10]);
        rejected::<Mom>(&edited(&mom, &["period"], json!(4)));
        rejected::<Roc>(&edited(&mom, &["period"], json!(0)));
        rejected::<Rocr100>(&edited(&mom, &["closes", "head"], json!(9)));

        // Stochastics: a smoothing warmed up before its input.
        let stoch = warmed(Stoch::default(), &b);
        let fresh = value(&Stoch::<f64>::default());
        rejected::<Stoch>(&edited(&stoch, &["slowk"], fresh["slowk"].clone()));
        rejected::<Stoch>(&edited(
            &stoch,
            &["fastk", "lows"],
            fresh["fastk"]["lows"].clone(),
        ));
        let stochf = warmed(StochF::default(), &b);
        let fresh = value(&StochF::<f64>::default());
        rejected::<StochF>(&edited(&stochf, &["fastk"], fresh["fastk"].clone()));
        let srsi = warmed(StochRsi::new(5, 3, 2, MaType::Sma).unwrap(), &c);
        let fresh = value(&StochRsi::<f64>::new(5, 3, 2, MaType::Sma).unwrap());
        rejected::<StochRsi>(&edited(&srsi, &["rsi"], fresh["rsi"].clone()));
        let mut short = value(&StochRsi::<f64>::new(2, 3, 2, MaType::Sma).unwrap());
        set(&mut short, &["rsi", "period"], json!(1));
        set(&mut short, &["rsi", "alpha"], json!(1.0));
        rejected::<StochRsi>(&short);

        // TRIX: counts and seeds out of step, or a foreign smoothing factor.
        let trix = warmed(Trix::new(4).unwrap(), &c[..8]);
        rejected::<Trix>(&edited(&trix, &["seen"], json!(3)));
        rejected::<Trix>(&edited(&trix, &["seen"], json!(99)));
        rejected::<Trix>(&edited(&trix, &["e2", "alpha"], json!(0.5)));
        let fresh = value(&Trix::<f64>::new(4).unwrap());
        rejected::<Trix>(&edited(&trix, &["e1"], fresh["e1"].clone()));
    }
}
