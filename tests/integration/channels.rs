//! Tests of the channel indicators (no TA-Lib twin): values worked out
//! independently, the indicator contract, serde state, f32.
//!
//! The reference is `tests/golden/gen_channels.py`, a separate plain-Python
//! transcription of TradingView's definitions, on the four golden series
//! (`tests/golden/channels/<series>.csv`, with a `timestamp` column the
//! generator gives the bars). Every column must start at the same bar and
//! agree within `TALIB_REL_TOL` (1e-10) relative to its own value, except
//! the VWAP's σ, which is 0 on a session's first bar: relative to the close.
//! SuperTrend's direction must be equal.

use apex_ta::{
    Bar, Donchian, DonchianOutput, Error, Ichimoku, IchimokuOutput, Indicator, Keltner,
    KeltnerOutput, MaType, SuperTrend, Vwap, VwapAnchor, VwapOutput,
};

use crate::common::{compare_column, family_golden, synthetic_bars, Golden};
use crate::contract::contract;

/// Outputs of `ind` over `inputs`, one field picked.
fn run<I: Indicator>(
    mut ind: I,
    inputs: &[I::Input],
    pick: impl Fn(&I::Output) -> Option<f64>,
) -> Vec<Option<f64>>
where
    I::Input: Clone,
{
    inputs
        .iter()
        .map(|x| {
            ind.update(x.clone())
                .expect("golden inputs are valid")
                .as_ref()
                .and_then(&pick)
        })
        .collect()
}

/// One column against the reference: same first output, every value within
/// 1e-10 relative (to `floor(i)` where that is larger); the worst difference.
fn compare(g: &Golden, col: &str, ours: &[Option<f64>], floor: &dyn Fn(usize) -> f64) -> f64 {
    compare_column(g, col, ours, floor, &|_| false)
}

fn timestamps(g: &Golden) -> Vec<i64> {
    g.col("timestamp")
        .iter()
        .map(|t| t.unwrap() as i64)
        .collect()
}

/// The worst difference per column, over every series.
#[derive(Default)]
struct Worst(Vec<(String, f64)>);

impl Worst {
    /// Checks one column of `g` (see [`compare`]) and records its worst.
    fn check(&mut self, g: &Golden, col: &str, ours: &[Option<f64>], floor: &dyn Fn(usize) -> f64) {
        let d = compare(g, col, ours, floor);
        match self.0.iter_mut().find(|(c, _)| c == col) {
            Some((_, w)) => *w = w.max(d),
            None => self.0.push((col.to_string(), d)),
        }
    }
}

/// Relative to the value itself.
fn own(_: usize) -> f64 {
    0.0
}

fn vwap_columns(g: &Golden, w: &mut Worst) {
    let timed: Vec<(i64, Bar)> = timestamps(g).into_iter().zip(g.bars()).collect();
    let closes = g.closes();
    // σ is 0 on a session's first bar: relative to the price there.
    let price = |i: usize| closes[i].abs();
    let vwaps: [(VwapAnchor, i64, f64, &str, &[&str]); 5] = [
        (
            VwapAnchor::Day,
            0,
            1.0,
            "vwap_day_0_1",
            &["vwap", "std_dev", "upper", "lower"],
        ),
        (
            VwapAnchor::Day,
            -18_000,
            2.0,
            "vwap_day_m18000_2",
            &["vwap", "upper", "lower"],
        ),
        (
            VwapAnchor::Week,
            0,
            1.0,
            "vwap_week_0_1",
            &["vwap", "upper"],
        ),
        (
            VwapAnchor::Month,
            19_800,
            1.5,
            "vwap_month_19800_1p5",
            &["vwap", "lower"],
        ),
        (
            VwapAnchor::Year,
            0,
            1.0,
            "vwap_year_0_1",
            &["vwap", "std_dev"],
        ),
    ];
    for (anchor, offset, mult, prefix, outputs) in vwaps {
        let make = || {
            Vwap::new(anchor, mult)
                .unwrap()
                .with_utc_offset(offset)
                .unwrap()
        };
        for &out in outputs {
            let pick = |o: &VwapOutput| match out {
                "vwap" => o.vwap,
                "std_dev" => o.std_dev,
                "upper" => o.upper,
                _ => o.lower,
            };
            let floor: &dyn Fn(usize) -> f64 = if out == "std_dev" { &price } else { &own };
            w.check(
                g,
                &format!("{prefix}_{out}"),
                &run(make(), &timed, pick),
                floor,
            );
        }
    }
}

fn keltner_donchian_columns(g: &Golden, w: &mut Worst) {
    let bars = g.bars();
    for (n, k, m, ma, prefix) in [
        (20, 2.0, 10, MaType::Ema, "kc_20_2_10"),
        (5, 1.5, 3, MaType::Ema, "kc_5_1p5_3"),
        (10, 2.0, 14, MaType::Sma, "kc_10_2_14_sma"),
        (1, 1.0, 1, MaType::Ema, "kc_1_1_1"),
    ] {
        let out = Keltner::with_params(n, k, m, ma)
            .unwrap()
            .batch(&bars)
            .unwrap();
        let col = |f: fn(&KeltnerOutput) -> f64| -> Vec<Option<f64>> {
            out.iter().map(|o| o.as_ref().map(f)).collect()
        };
        w.check(g, &format!("{prefix}_upper"), &col(|o| o.upper), &own);
        w.check(g, &format!("{prefix}_basis"), &col(|o| o.basis), &own);
        w.check(g, &format!("{prefix}_lower"), &col(|o| o.lower), &own);
    }
    for n in [20, 5, 1] {
        let out = Donchian::new(n).unwrap().batch(&bars).unwrap();
        let col = |f: fn(&DonchianOutput) -> f64| -> Vec<Option<f64>> {
            out.iter().map(|o| o.as_ref().map(f)).collect()
        };
        w.check(g, &format!("dc_{n}_upper"), &col(|o| o.upper), &own);
        w.check(g, &format!("dc_{n}_basis"), &col(|o| o.basis), &own);
        w.check(g, &format!("dc_{n}_lower"), &col(|o| o.lower), &own);
    }
}

fn supertrend_ichimoku_columns(g: &Golden, w: &mut Worst) {
    let bars = g.bars();
    for (p, factor, prefix) in [
        (10, 3.0, "supertrend_10_3"),
        (7, 2.0, "supertrend_7_2"),
        (1, 0.5, "supertrend_1_0p5"),
    ] {
        let make = || SuperTrend::new(p, factor).unwrap();
        let line = run(make(), &bars, |o| Some(o.supertrend));
        w.check(g, &format!("{prefix}_line"), &line, &own);
        // ±1: within 1e-10 relative means equal.
        let direction = run(make(), &bars, |o| Some(f64::from(o.direction)));
        w.check(g, &format!("{prefix}_direction"), &direction, &own);
    }
    for (c, b, s, d) in [(9, 26, 52, 26), (3, 5, 8, 4)] {
        let out = Ichimoku::new(c, b, s, d).unwrap().batch(&bars).unwrap();
        let col = |f: fn(&IchimokuOutput) -> f64| -> Vec<Option<f64>> {
            out.iter().map(|o| o.as_ref().map(f)).collect()
        };
        let prefix = format!("ichimoku_{c}_{b}_{s}_{d}");
        w.check(
            g,
            &format!("{prefix}_conversion"),
            &col(|o| o.conversion),
            &own,
        );
        w.check(g, &format!("{prefix}_base"), &col(|o| o.base), &own);
        w.check(g, &format!("{prefix}_lead_a"), &col(|o| o.lead_a), &own);
        w.check(g, &format!("{prefix}_lead_b"), &col(|o| o.lead_b), &own);
        w.check(g, &format!("{prefix}_lagging"), &col(|o| o.lagging), &own);
    }
}

#[test]
fn every_column_matches_the_reference_on_every_series() {
    let mut worst = Worst::default();
    for g in family_golden("channels") {
        vwap_columns(&g, &mut worst);
        keltner_donchian_columns(&g, &mut worst);
        supertrend_ichimoku_columns(&g, &mut worst);
    }
    // Visible with `cargo test -- --nocapture`: the worst difference per column.
    println!("largest relative difference vs gen_channels.py (all four series):");
    for (col, d) in &worst.0 {
        println!("  {col}: {d:.1e}");
    }
    assert_eq!(worst.0.len(), 50, "every reference column checked");
}

#[test]
fn lookbacks_match_the_reference() {
    let g = &family_golden("channels")[0];
    let lead = |col: &str| g.col(col).iter().take_while(|v| v.is_none()).count();
    assert_eq!(Vwap::<f64>::default().lookback(), lead("vwap_day_0_1_vwap"));
    assert_eq!(
        Keltner::<f64>::default().lookback(),
        lead("kc_20_2_10_upper")
    );
    assert_eq!(
        Keltner::<f64>::with_params(10, 2.0, 14, MaType::Sma)
            .unwrap()
            .lookback(),
        lead("kc_10_2_14_sma_basis")
    );
    assert_eq!(Donchian::<f64>::default().lookback(), lead("dc_20_upper"));
    assert_eq!(
        SuperTrend::<f64>::default().lookback(),
        lead("supertrend_10_3_line")
    );
    assert_eq!(
        Ichimoku::<f64>::default().lookback(),
        lead("ichimoku_9_26_52_26_lead_b")
    );
    assert_eq!(Vwap::<f64>::default().lookback(), 0);
    assert_eq!(Keltner::<f64>::default().lookback(), 19);
    assert_eq!(Donchian::<f64>::default().lookback(), 19);
    assert_eq!(SuperTrend::<f64>::default().lookback(), 9);
    assert_eq!(Ichimoku::<f64>::default().lookback(), 51);
}

// ------------------------------------------------------------ contract ----

/// Three hours apart from 2024-01-01 00:00 UTC: a new day every 8 bars.
fn timed(bars: &[Bar]) -> Vec<(i64, Bar)> {
    bars.iter()
        .enumerate()
        .map(|(i, b)| (1_704_067_200 + i64::try_from(i).unwrap() * 10_800, *b))
        .collect()
}

fn bars() -> Vec<Bar> {
    synthetic_bars(400, 23)
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
        Bar {
            volume: f64::NAN,
            ..ok
        },
        Bar { high: 98.0, ..ok },
        Bar { close: 98.5, ..ok },
        Bar { volume: -1.0, ..ok },
    ]
}

fn to_f32(b: &Bar) -> Bar<f32> {
    Bar::new(
        b.open as f32,
        b.high as f32,
        b.low as f32,
        b.close as f32,
        b.volume as f32,
    )
}

#[test]
fn contract_f64() {
    let b = bars();
    let bad = bad_bars();
    // A bad bar is rejected whatever its timestamp (i64::MAX would be in order).
    let bad_timed: Vec<(i64, Bar)> = bad.iter().map(|x| (i64::MAX, *x)).collect();
    contract(Vwap::default, &timed(&b), &bad_timed);
    contract(
        || {
            Vwap::new(VwapAnchor::Manual, 2.0)
                .unwrap()
                .with_utc_offset(-3600)
                .unwrap()
        },
        &timed(&b),
        &bad_timed,
    );
    contract(Keltner::default, &b, &bad);
    contract(
        || Keltner::with_params(5, 1.5, 14, MaType::Sma).unwrap(),
        &b,
        &bad,
    );
    contract(Donchian::default, &b, &bad);
    contract(|| Donchian::new(1).unwrap(), &b, &bad);
    contract(SuperTrend::default, &b, &bad);
    contract(|| SuperTrend::new(1, 0.5).unwrap(), &b, &bad);
    contract(Ichimoku::default, &b, &bad);
    contract(|| Ichimoku::new(3, 2, 1, 1).unwrap(), &b, &bad);
}

#[test]
fn contract_f32() {
    let b: Vec<Bar<f32>> = bars().iter().map(to_f32).collect();
    let bad = vec![
        Bar::new(1.0_f32, 0.5, 2.0, 1.0, 1.0),
        Bar::new(f32::NAN, 2.0, 0.5, 1.0, 1.0),
        Bar::new(1.0_f32, 2.0, 0.5, 1.0, -1.0),
    ];
    let t: Vec<(i64, Bar<f32>)> = timed(&bars())
        .iter()
        .zip(&b)
        .map(|((ts, _), x)| (*ts, *x))
        .collect();
    let bad_timed: Vec<(i64, Bar<f32>)> = bad.iter().map(|x| (i64::MAX, *x)).collect();
    contract(Vwap::<f32>::default, &t, &bad_timed);
    contract(Keltner::<f32>::default, &b, &bad);
    contract(Donchian::<f32>::default, &b, &bad);
    contract(SuperTrend::<f32>::default, &b, &bad);
    contract(Ichimoku::<f32>::default, &b, &bad);
}

#[test]
fn f32_tracks_f64() {
    let b = bars();
    let b32: Vec<Bar<f32>> = b.iter().map(to_f32).collect();
    let close = |a: f64, x: f32| (f64::from(x) - a).abs() <= 1e-4 * a.abs().max(1.0);
    let t = timed(&b);
    let t32: Vec<(i64, Bar<f32>)> = t.iter().zip(&b32).map(|((ts, _), x)| (*ts, *x)).collect();
    let v64 = Vwap::<f64>::default().batch(&t).unwrap();
    let v32 = Vwap::<f32>::default().batch(&t32).unwrap();
    for (a, x) in v64.iter().zip(&v32) {
        let (a, x) = (a.unwrap(), x.unwrap());
        assert!(close(a.vwap.unwrap(), x.vwap.unwrap()), "{a:?} {x:?}");
        assert!(close(a.upper.unwrap(), x.upper.unwrap()), "{a:?} {x:?}");
    }
    let k64 = Keltner::<f64>::default().batch(&b).unwrap();
    let k32 = Keltner::<f32>::default().batch(&b32).unwrap();
    for (a, x) in k64.iter().zip(&k32) {
        assert_eq!(a.is_some(), x.is_some());
        if let (Some(a), Some(x)) = (a, x) {
            assert!(
                close(a.upper, x.upper) && close(a.lower, x.lower),
                "{a:?} {x:?}"
            );
        }
    }
    let i64s = Ichimoku::<f64>::default().batch(&b).unwrap();
    let i32s = Ichimoku::<f32>::default().batch(&b32).unwrap();
    for (a, x) in i64s.iter().zip(&i32s) {
        if let (Some(a), Some(x)) = (a, x) {
            assert!(close(a.lead_a, x.lead_a) && close(a.lead_b, x.lead_b));
        }
    }
}

// --------------------------------------------------------- parameters ----

fn rejects<T: std::fmt::Debug>(r: apex_ta::Result<T>, param: &str) {
    match r {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, param),
        other => panic!("expected InvalidParameter({param}), got {other:?}"),
    }
}

#[test]
fn constructors_reject_invalid_parameters_naming_them() {
    rejects(Vwap::<f64>::new(VwapAnchor::Day, -1.0), "band_mult");
    rejects(Vwap::<f64>::new(VwapAnchor::Day, f64::NAN), "band_mult");
    rejects(
        Vwap::<f64>::new(VwapAnchor::Day, f64::INFINITY),
        "band_mult",
    );
    rejects(Vwap::<f64>::default().with_utc_offset(86_400), "utc_offset");
    rejects(
        Vwap::<f64>::default().with_utc_offset(-86_400),
        "utc_offset",
    );
    rejects(
        Vwap::<f64>::default().with_utc_offset(i64::MIN),
        "utc_offset",
    );
    assert!(Vwap::<f64>::default().with_utc_offset(86_399).is_ok());
    assert!(Vwap::<f64>::new(VwapAnchor::Day, 0.0).is_ok());

    rejects(Keltner::<f64>::new(0, 2.0), "length");
    rejects(Keltner::<f64>::new(20, -0.5), "multiplier");
    rejects(Keltner::<f64>::new(20, f64::NAN), "multiplier");
    rejects(
        Keltner::<f64>::with_params(20, 2.0, 0, MaType::Ema),
        "atr_length",
    );
    rejects(Donchian::<f64>::new(0), "length");
    rejects(SuperTrend::<f64>::new(0, 3.0), "atr_period");
    rejects(SuperTrend::<f64>::new(10, -3.0), "factor");
    rejects(SuperTrend::<f64>::new(10, f64::INFINITY), "factor");
    rejects(Ichimoku::<f64>::new(0, 26, 52, 26), "conversion");
    rejects(Ichimoku::<f64>::new(9, 0, 52, 26), "base");
    rejects(Ichimoku::<f64>::new(9, 26, 0, 26), "span_b");
    rejects(Ichimoku::<f64>::new(9, 26, 52, 0), "displacement");
}

#[test]
fn defaults_are_tradingviews() {
    assert_eq!(Vwap::<f64>::default().to_string(), "VWAP(day, 1)");
    assert_eq!(Keltner::<f64>::default().to_string(), "KC(20, 2, 10, EMA)");
    assert_eq!(Donchian::<f64>::default().to_string(), "DC(20)");
    assert_eq!(
        SuperTrend::<f64>::default().to_string(),
        "SUPERTREND(10, 3)"
    );
    assert_eq!(
        Ichimoku::<f64>::default().to_string(),
        "ICHIMOKU(9, 26, 52, 26)"
    );
    assert_eq!(
        Vwap::<f64>::default(),
        Vwap::new(VwapAnchor::Day, 1.0).unwrap()
    );
    assert_eq!(Keltner::<f64>::default(), Keltner::new(20, 2.0).unwrap());
    assert_eq!(
        Keltner::<f64>::default(),
        Keltner::with_params(20, 2.0, 10, MaType::Ema).unwrap()
    );
    assert_eq!(Donchian::<f64>::default(), Donchian::new(20).unwrap());
    assert_eq!(
        SuperTrend::<f64>::default(),
        SuperTrend::new(10, 3.0).unwrap()
    );
    assert_eq!(
        Ichimoku::<f64>::default(),
        Ichimoku::new(9, 26, 52, 26).unwrap()
    );
    let v = Vwap::new(VwapAnchor::Week, 1.5)
        .unwrap()
        .with_utc_offset(-(5 * 3600 + 30 * 60 + 15))
        .unwrap();
    assert_eq!(v.to_string(), "VWAP(week UTC-05:30:15, 1.5)");
    let v = Vwap::new(VwapAnchor::Day, 2.0)
        .unwrap()
        .with_utc_offset(19_800)
        .unwrap();
    assert_eq!(v.to_string(), "VWAP(day UTC+05:30, 2)");
    let k = Keltner::with_params(10, 1.5, 5, MaType::Sma).unwrap();
    assert_eq!(k.to_string(), "KC(10, 1.5, 5, SMA)");
    assert_eq!(
        (k.length(), k.multiplier(), k.atr_length(), k.ma()),
        (10, 1.5, 5, MaType::Sma)
    );
    let i = Ichimoku::<f64>::default();
    assert_eq!(
        (
            i.conversion(),
            i.base(),
            i.span_b(),
            i.displacement(),
            i.plot_offset()
        ),
        (9, 26, 52, 26, 25)
    );
}

// --------------------------------------------------------------- VWAP ----

const DAY: i64 = 86_400;

fn bar(tp: f64, volume: f64) -> Bar {
    // high, low, close around tp with (h + l + c)/3 == tp exactly
    Bar::new(tp, tp + 1.0, tp - 1.0, tp, volume)
}

#[test]
fn vwap_hand_worked_session() {
    let mut v = Vwap::new(VwapAnchor::Day, 2.0).unwrap();
    let t0 = 10 * DAY;
    // tp 10 v 100, tp 12 v 300, tp 8 v 100: Σv = 500, Σ tp·v = 1000 + 3600 + 800
    let o1 = v.update((t0, bar(10.0, 100.0))).unwrap().unwrap();
    assert_eq!((o1.vwap, o1.std_dev), (Some(10.0), Some(0.0)));
    let o2 = v.update((t0 + 60, bar(12.0, 300.0))).unwrap().unwrap();
    assert_eq!(o2.vwap, Some(11.5));
    let o3 = v.update((t0 + 120, bar(8.0, 100.0))).unwrap().unwrap();
    assert!((o3.vwap.unwrap() - 10.8).abs() < 1e-14);
    // σ² = (100·0.8² + 300·1.2² + 100·2.8²)/500 = (64 + 432 + 784)/500 = 2.56
    let sd = o3.std_dev.unwrap();
    assert!((sd - 1.6).abs() < 1e-14, "{sd}");
    assert!((o3.upper.unwrap() - (10.8 + 3.2)).abs() < 1e-13);
    assert!((o3.lower.unwrap() - (10.8 - 3.2)).abs() < 1e-13);
    assert_eq!(v.session_volume(), 500.0);
    assert_eq!(v.last_timestamp(), Some(t0 + 120));
    // Midnight UTC: a new session.
    let o4 = v.update((t0 + DAY, bar(50.0, 1.0))).unwrap().unwrap();
    assert_eq!((o4.vwap, o4.std_dev), (Some(50.0), Some(0.0)));
}

#[test]
fn vwap_rejects_out_of_order_and_duplicate_timestamps_unchanged() {
    let mut v = Vwap::<f64>::default();
    v.update((1_000, bar(10.0, 1.0))).unwrap();
    v.update((2_000, bar(11.0, 2.0))).unwrap();
    let before = v.clone();
    for ts in [2_000, 1_999, 1_000, i64::MIN] {
        let e = v.update((ts, bar(99.0, 5.0))).unwrap_err();
        assert_eq!(
            e,
            Error::OutOfOrder {
                stream: "vwap",
                timestamp: ts,
                previous: 2_000
            }
        );
        assert_eq!(v, before);
    }
    // A bad bar is reported as such, even with a bad timestamp.
    let e = v
        .update((0, Bar::new(1.0, 0.0, 2.0, 1.0, 1.0)))
        .unwrap_err();
    assert!(matches!(e, Error::InvalidBar { .. }), "{e}");
    assert_eq!(v, before);
    let o = v.update((2_001, bar(12.0, 1.0))).unwrap().unwrap();
    assert!((o.vwap.unwrap() - (10.0 + 22.0 + 12.0) / 4.0).abs() < 1e-14);
}

#[test]
fn vwap_zero_volume_is_undefined_until_volume_trades() {
    let mut v = Vwap::<f64>::default();
    let none = VwapOutput {
        vwap: None,
        std_dev: None,
        upper: None,
        lower: None,
    };
    assert_eq!(v.update((DAY, bar(10.0, 0.0))).unwrap(), Some(none));
    assert!(
        v.is_ready(),
        "an output was produced (with undefined fields)"
    );
    assert_eq!(v.update((DAY + 1, bar(11.0, 0.0))).unwrap(), Some(none));
    // Zero-volume bars carry no weight once there is volume.
    let o = v.update((DAY + 2, bar(12.0, 3.0))).unwrap().unwrap();
    assert_eq!((o.vwap, o.std_dev), (Some(12.0), Some(0.0)));
    let o = v.update((DAY + 3, bar(40.0, 0.0))).unwrap().unwrap();
    assert_eq!(o.vwap, Some(12.0));
    // A new day with no volume is undefined again.
    assert_eq!(v.update((2 * DAY, bar(13.0, 0.0))).unwrap(), Some(none));
}

#[test]
fn vwap_sessions_follow_the_anchor_offset_and_start_session() {
    // The day boundary in UTC−5 is 05:00 UTC.
    let ny = Vwap::new(VwapAnchor::Day, 1.0)
        .unwrap()
        .with_utc_offset(-5 * 3600)
        .unwrap();
    let vwaps = |mut v: Vwap, ts: &[i64]| -> Vec<f64> {
        ts.iter()
            .enumerate()
            .map(|(i, &t)| {
                v.update((t, bar(10.0 * (i + 1) as f64, 1.0)))
                    .unwrap()
                    .unwrap()
                    .vwap
                    .unwrap()
            })
            .collect()
    };
    let t = 20 * DAY;
    // 04:00 and 04:59:59 UTC are the previous New York day; 05:00 starts one.
    assert_eq!(
        vwaps(ny.clone(), &[t + 4 * 3600, t + 5 * 3600 - 1, t + 5 * 3600]),
        vec![10.0, 15.0, 30.0]
    );
    // In UTC the same three bars are one day.
    assert_eq!(
        vwaps(
            Vwap::default(),
            &[t + 4 * 3600, t + 5 * 3600 - 1, t + 5 * 3600]
        ),
        vec![10.0, 15.0, 20.0]
    );
    // Before 1970: −1 s is 1969-12-31, 0 is a new day.
    assert_eq!(vwaps(Vwap::default(), &[-2, -1, 0]), vec![10.0, 15.0, 30.0]);
    // 2024-01-07 was a Sunday, 2024-01-08 a Monday.
    let sunday = 19_729 * DAY;
    let week = Vwap::new(VwapAnchor::Week, 1.0).unwrap();
    assert_eq!(
        vwaps(week, &[sunday - 5 * DAY, sunday + 3600, sunday + DAY]),
        vec![10.0, 15.0, 30.0]
    );
    // 2024-02-29 23:00 → 2024-03-01 00:00: a new month (and a new day).
    let feb29 = 19_782 * DAY;
    let month = Vwap::new(VwapAnchor::Month, 1.0).unwrap();
    assert_eq!(
        vwaps(month, &[feb29 - 28 * DAY, feb29 + 23 * 3600, feb29 + DAY]),
        vec![10.0, 15.0, 30.0]
    );
    // Manual: days pass without a new session until start_session.
    let mut manual = Vwap::new(VwapAnchor::Manual, 1.0).unwrap();
    manual.update((0, bar(10.0, 1.0))).unwrap();
    let o = manual.update((5 * DAY, bar(20.0, 1.0))).unwrap().unwrap();
    assert_eq!(o.vwap, Some(15.0));
    manual.start_session();
    let o = manual
        .update((5 * DAY + 1, bar(40.0, 1.0)))
        .unwrap()
        .unwrap();
    assert_eq!(o.vwap, Some(40.0));
    // start_session mid-day on a day anchor too; a rejected bar keeps it pending.
    let mut v = Vwap::<f64>::default();
    v.update((t, bar(10.0, 1.0))).unwrap();
    v.start_session();
    assert!(v.update((t, bar(30.0, 1.0))).is_err());
    let o = v.update((t + 1, bar(30.0, 1.0))).unwrap().unwrap();
    assert_eq!(o.vwap, Some(30.0));
    let o = v.update((t + 2, bar(40.0, 1.0))).unwrap().unwrap();
    assert_eq!(o.vwap, Some(35.0));
}

#[test]
fn vwap_takes_any_timestamp_without_overflow() {
    for anchor in [
        VwapAnchor::Day,
        VwapAnchor::Week,
        VwapAnchor::Month,
        VwapAnchor::Year,
        VwapAnchor::Manual,
    ] {
        for offset in [-86_399, 0, 86_399] {
            let mut v = Vwap::new(anchor, 1.0)
                .unwrap()
                .with_utc_offset(offset)
                .unwrap();
            for ts in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
                let o = v.update((ts, bar(10.0, 1.0))).unwrap().unwrap();
                assert_eq!(o.vwap, Some(10.0));
            }
            assert!(v.update((i64::MAX, bar(10.0, 1.0))).is_err());
        }
    }
}

#[test]
fn vwap_stays_within_the_sessions_prices_and_bands_are_symmetric() {
    let b = bars();
    let mut v = Vwap::new(VwapAnchor::Day, 1.5).unwrap();
    let (mut lo, mut hi, mut day) = (f64::MAX, f64::MIN, i64::MIN);
    for (ts, x) in timed(&b) {
        if ts.div_euclid(DAY) != day {
            (lo, hi, day) = (f64::MAX, f64::MIN, ts.div_euclid(DAY));
        }
        let tp = (x.high + x.low + x.close) / 3.0;
        (lo, hi) = (lo.min(tp), hi.max(tp));
        let o = v.update((ts, x)).unwrap().unwrap();
        let (w, s) = (o.vwap.unwrap(), o.std_dev.unwrap());
        assert!(lo - 1e-12 <= w && w <= hi + 1e-12, "{lo} {w} {hi}");
        assert!(
            s >= 0.0 && s <= (hi - lo) / 2.0 + 1e-12,
            "σ {s} in [{lo}, {hi}]"
        );
        let (u, l) = (o.upper.unwrap(), o.lower.unwrap());
        assert!((u - w - 1.5 * s).abs() < 1e-12 && (w - l - 1.5 * s).abs() < 1e-12);
    }
}

// ------------------------------------------------------------ Keltner ----

#[test]
fn keltner_hand_worked_ema_and_pine_atr() {
    // length 2 (α = 2/3), multiplier 1, ATR length 2 (α = 1/2)
    let mut kc = Keltner::with_params(2, 1.0, 2, MaType::Ema).unwrap();
    let bars = [
        Bar::new(10.0, 11.0, 9.0, 10.0, 1.0), // TR 2 (high − low, first bar)
        Bar::new(10.0, 13.0, 10.0, 12.0, 1.0), // TR 3
        Bar::new(12.0, 12.0, 9.0, 9.0, 1.0),  // TR 3
    ];
    assert_eq!(kc.update(bars[0]).unwrap(), None);
    let o = kc.update(bars[1]).unwrap().unwrap();
    // basis: seed (10 + 12)/2 = 11; ATR: seed (2 + 3)/2 = 2.5
    assert_eq!((o.lower, o.basis, o.upper), (8.5, 11.0, 13.5));
    let o = kc.update(bars[2]).unwrap().unwrap();
    // basis 11 + (2/3)(9 − 11) = 9.666…; ATR (2.5 + 3)/2 = 2.75
    let basis: f64 = 11.0 * (1.0 - 2.0 / 3.0) + 9.0 * (2.0 / 3.0);
    assert!((o.basis - basis).abs() < 1e-14);
    assert!((o.upper - (basis + 2.75)).abs() < 1e-14);
    assert!((o.lower - (basis - 2.75)).abs() < 1e-14);
}

#[test]
fn keltner_constant_bars_and_zero_multiplier() {
    let flat = vec![Bar::new(50.0, 51.0, 49.0, 50.0, 1.0); 40];
    let out = Keltner::<f64>::default().batch(&flat).unwrap();
    assert_eq!(out.iter().flatten().count(), 40 - 19);
    for o in out.iter().flatten() {
        // ATR of a 2-wide range with no gaps is 2: bands 50 ± 4
        let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            near(o.lower, 46.0) && near(o.basis, 50.0) && near(o.upper, 54.0),
            "{o:?}"
        );
    }
    let b = bars();
    let zero = Keltner::new(20, 0.0).unwrap().batch(&b).unwrap();
    for o in zero.iter().flatten() {
        assert!(o.lower == o.basis && o.basis == o.upper);
    }
    for o in Keltner::<f64>::default()
        .batch(&b)
        .unwrap()
        .iter()
        .flatten()
    {
        assert!(o.lower < o.basis && o.basis < o.upper);
        let (up, down) = (o.upper - o.basis, o.basis - o.lower);
        assert!((up - down).abs() <= 1e-12 * o.basis, "{o:?}");
    }
}

// ----------------------------------------------------------- Donchian ----

#[test]
fn donchian_matches_brute_force_windows() {
    let b = bars();
    for n in [1, 2, 7, 20, 55] {
        let out = Donchian::new(n).unwrap().batch(&b).unwrap();
        for (i, o) in out.iter().enumerate() {
            if i + 1 < n {
                assert_eq!(*o, None);
                continue;
            }
            let w = &b[i + 1 - n..=i];
            let hi = w.iter().map(|x| x.high).fold(f64::MIN, f64::max);
            let lo = w.iter().map(|x| x.low).fold(f64::MAX, f64::min);
            let o = o.unwrap();
            assert_eq!((o.upper, o.lower), (hi, lo), "n {n} bar {i}");
            assert_eq!(o.basis, (hi + lo) / 2.0);
            assert!(o.lower <= o.basis && o.basis <= o.upper);
        }
    }
}

// ---------------------------------------------------------- SuperTrend ----

#[test]
fn supertrend_hand_worked_flips() {
    let mut st = SuperTrend::new(1, 1.0).unwrap();
    // ATR(1) is the bar's true range; first bar: TR = high − low.
    // Bar 0: hl2 10, TR 2: bands 12 / 8, but close[1] does not exist, so the
    // final upper band is nz(upper[1]) = 0 (TradingView's first bar): line 0.
    let o = st
        .update(Bar::new(10.0, 11.0, 9.0, 10.0, 1.0))
        .unwrap()
        .unwrap();
    assert_eq!((o.supertrend, o.direction), (0.0, 1));
    // Bar 1: hl2 10, TR 2: up 12 (close[1] 10 > 0 keeps it), dn 8 (> 8).
    // ST[1] (0) == upper[1] (0): close 10.5 > 12? no: still down, line 12.
    let o = st
        .update(Bar::new(10.0, 11.0, 9.0, 10.5, 1.0))
        .unwrap()
        .unwrap();
    assert_eq!((o.supertrend, o.direction), (12.0, 1));
    // Bar 2: hl2 13, TR max(4, |15 − 10.5|, |11 − 10.5|) = 4.5: up 17.5 is
    // not below 12 and close[1] 10.5 is not above it: the band stays 12.
    // Close 14 > 12: up (−1), the line is the lower band 13 − 4.5 = 8.5.
    let o = st
        .update(Bar::new(11.0, 15.0, 11.0, 14.0, 1.0))
        .unwrap()
        .unwrap();
    assert_eq!((o.supertrend, o.direction), (8.5, -1));
    assert!(o.is_uptrend());
    // Bar 3: hl2 14, TR 2: dn 12 > 8.5 rises; close 14.5 ≥ 12: still up.
    let o = st
        .update(Bar::new(14.0, 15.0, 13.0, 14.5, 1.0))
        .unwrap()
        .unwrap();
    assert_eq!((o.supertrend, o.direction), (12.0, -1));
    // Bar 4: hl2 10.5, TR max(3, |12 − 14.5|, |9 − 14.5|) = 5.5: dn 5 < 12
    // and close[1] 14.5 ≥ 12, so the lower band holds at 12; up 16 is not
    // below upper[3] (16, kept raw as close[2] 14 > 12): 16. Close 9.5 < 12:
    // down (+1), the line is the upper band.
    let o = st
        .update(Bar::new(12.0, 12.0, 9.0, 9.5, 1.0))
        .unwrap()
        .unwrap();
    assert_eq!((o.supertrend, o.direction), (16.0, 1));
    assert!(!o.is_uptrend());
}

#[test]
fn supertrend_line_only_ratchets_within_a_trend() {
    let b = bars();
    for (p, f) in [(10, 3.0), (3, 1.0), (1, 0.5)] {
        let out = SuperTrend::new(p, f).unwrap().batch(&b).unwrap();
        let mut flips = 0;
        for (w, i) in out.windows(2).zip(1..) {
            let (Some(a), Some(c)) = (w[0], w[1]) else {
                continue;
            };
            if i <= p {
                continue; // the bar after the first may leave the nz(0) band
            }
            if a.direction == c.direction {
                if c.is_uptrend() {
                    assert!(c.supertrend >= a.supertrend, "{p} {f} bar {i}");
                    assert!(b[i].close >= c.supertrend);
                } else {
                    assert!(c.supertrend <= a.supertrend, "{p} {f} bar {i}");
                    assert!(b[i].close <= c.supertrend);
                }
            } else {
                flips += 1;
            }
        }
        assert!(flips > 3, "the series should trend both ways ({flips})");
    }
}

// ------------------------------------------------------------ Ichimoku ----

#[test]
fn ichimoku_lines_are_donchian_midpoints() {
    let b = bars();
    let ichi = Ichimoku::<f64>::default().batch(&b).unwrap();
    let mid = |n| -> Vec<Option<f64>> {
        Donchian::new(n)
            .unwrap()
            .batch(&b)
            .unwrap()
            .iter()
            .map(|o| o.map(|o| o.basis))
            .collect()
    };
    let (c, k, s) = (mid(9), mid(26), mid(52));
    for (i, o) in ichi.iter().enumerate() {
        let Some(o) = o else {
            assert!(i < 51);
            continue;
        };
        assert_eq!(Some(o.conversion), c[i]);
        assert_eq!(Some(o.base), k[i]);
        assert_eq!(o.lead_a, (o.conversion + o.base) / 2.0);
        assert_eq!(Some(o.lead_b), s[i]);
        assert_eq!(o.lagging, b[i].close);
    }
    // The displacement moves where the lines are drawn, not their values.
    let shifted = Ichimoku::new(9, 26, 52, 30).unwrap().batch(&b).unwrap();
    assert_eq!(shifted, ichi);
}

// --------------------------------------------------------------- serde ----

#[cfg(feature = "serde")]
mod serde {
    use super::*;
    use crate::serde_state::round_trip;
    use serde_json::Value;

    #[test]
    fn states_round_trip_mid_stream() {
        let b = bars();
        let t = timed(&b);
        round_trip(Vwap::default, &t);
        round_trip(
            || {
                Vwap::new(VwapAnchor::Month, 2.0)
                    .unwrap()
                    .with_utc_offset(7200)
                    .unwrap()
            },
            &t,
        );
        round_trip(Keltner::default, &b);
        round_trip(|| Keltner::with_params(5, 1.0, 3, MaType::Sma).unwrap(), &b);
        round_trip(Donchian::default, &b);
        round_trip(SuperTrend::default, &b);
        round_trip(Ichimoku::default, &b);
        let b32: Vec<Bar<f32>> = b.iter().map(to_f32).collect();
        round_trip(SuperTrend::<f32>::default, &b32);
        round_trip(Ichimoku::<f32>::default, &b32);
    }

    fn after<I: Indicator>(mut ind: I, inputs: &[I::Input]) -> I
    where
        I::Input: Clone,
    {
        for x in inputs {
            ind.update(x.clone()).unwrap();
        }
        ind
    }

    /// The state as JSON with one field (a path of keys) replaced.
    fn edit<I: ::serde::Serialize>(ind: &I, path: &[&str], value: Value) -> String {
        let mut json = serde_json::to_value(ind).unwrap();
        let mut node = &mut json;
        for key in path {
            node = node
                .get_mut(*key)
                .unwrap_or_else(|| panic!("no field {key}"));
        }
        *node = value;
        json.to_string()
    }

    fn rejected<I: ::serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) {
        let r = serde_json::from_str::<I>(json);
        assert!(r.is_err(), "accepted {json}: {r:?}");
    }

    #[test]
    fn corrupted_states_are_rejected() {
        let b = bars();
        let t = timed(&b);

        let v = after(Vwap::default(), &t[..30]);
        let json = serde_json::to_value(&v).unwrap();
        rejected::<Vwap>(&edit(&v, &["utc_offset"], 86_400.into()));
        rejected::<Vwap>(&edit(&v, &["utc_offset"], i64::MIN.into()));
        rejected::<Vwap>(&edit(&v, &["band_mult"], (-1.0).into()));
        rejected::<Vwap>(&edit(&v, &["variance"], (-1.0).into()));
        // A mean or variance no stream within the variance limit reaches
        // (the next update would overflow).
        rejected::<Vwap>(&edit(&v, &["mean"], 1e300.into()));
        rejected::<Vwap>(&edit(&v, &["variance"], 1e305.into()));
        rejected::<Vwap>(&edit(&v, &["volume"], (-5.0).into()));
        let period = json["period"].as_i64().unwrap();
        rejected::<Vwap>(&edit(&v, &["period"], (period + 1).into()));
        rejected::<Vwap>(&edit(&v, &["anchor"], "week".into()));
        rejected::<Vwap>(&edit(&v, &["anchor"], "fortnight".into()));
        let mut zero = serde_json::to_value(&v).unwrap();
        zero["volume"] = 0.0.into();
        zero["variance"] = 0.0.into();
        rejected::<Vwap>(&zero.to_string()); // a mean without volume
        let fresh = Vwap::<f64>::default();
        rejected::<Vwap>(&edit(&fresh, &["volume"], 3.0.into()));

        let k = after(Keltner::default(), &b[..30]);
        rejected::<Keltner>(&edit(&k, &["multiplier"], (-2.0).into()));
        rejected::<Keltner>(&edit(&k, &["atr", "seen"], 11.into()));
        rejected::<Keltner>(&edit(&k, &["atr", "period"], 9.into()));
        rejected::<Keltner>(&edit(&k, &["atr", "value"], (-1.0).into()));
        rejected::<Keltner>(&edit(&k, &["basis", "Ema", "inner", "alpha"], 0.5.into()));
        let fresh = Keltner::<f64>::default();
        rejected::<Keltner>(&edit(&fresh, &["atr", "prev_close"], 7.0.into()));

        let d = after(Donchian::default(), &b[..30]);
        rejected::<Donchian>(&edit(&d, &["window", "highs", "pos"], 25.into()));
        rejected::<Donchian>(&edit(&d, &["window", "lows", "seq"], 50.into()));
        rejected::<Donchian>(&edit(
            &d,
            &["window", "lows", "block"],
            serde_json::json!([1.0]),
        ));

        let s = after(SuperTrend::default(), &b[..30]);
        let last = serde_json::to_value(&s).unwrap()["last"].clone();
        rejected::<SuperTrend>(&edit(&s, &["factor"], (-3.0).into()));
        rejected::<SuperTrend>(&edit(&s, &["last"], Value::Null));
        rejected::<SuperTrend>(&edit(
            &s,
            &["last"],
            serde_json::json!([last[0], last[1], 123.0]),
        ));
        let early = after(SuperTrend::default(), &b[..3]);
        rejected::<SuperTrend>(&edit(&early, &["last"], last));

        let i = after(Ichimoku::default(), &b[..30]);
        rejected::<Ichimoku>(&edit(&i, &["displacement"], 0.into()));
        let other = after(Ichimoku::default(), &b[..31]);
        let conv = serde_json::to_value(&other).unwrap()["conversion"].clone();
        rejected::<Ichimoku>(&edit(&i, &["conversion"], conv)); // windows out of step
        rejected::<Ichimoku>(&edit(&i, &["base", "highs", "pos"], 26.into()));
    }

    #[test]
    fn outputs_and_anchors_serialize() {
        let o = VwapOutput {
            vwap: Some(1.0),
            std_dev: None,
            upper: Some(2.0),
            lower: None,
        };
        let back: VwapOutput = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
        assert_eq!(
            serde_json::to_string(&VwapAnchor::Month).unwrap(),
            "\"month\""
        );
        let s = apex_ta::SuperTrendOutput {
            supertrend: 3.5,
            direction: -1,
        };
        let back: apex_ta::SuperTrendOutput =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
