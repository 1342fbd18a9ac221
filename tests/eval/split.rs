//! The split date: `before` never uses a price from after the split.

use apex_ta::eval::{evaluate, EvalConfig, Observation};
use apex_ta::Label;

use crate::common::{config, some_close};

/// Eight bars stamped 10, 20, …, 80, all labelled buy when scored:
///
/// | t | ts | close | score |
/// |---|----|-------|-------|
/// | 0 | 10 | 100   | 60    |
/// | 1 | 20 | 200   | —     |
/// | 2 | 30 | 150   | 60    |
/// | 3 | 40 | 300   | 60    |
/// | 4 | 50 | 600   | 60    |
/// | 5 | 60 | 300   | 60    |
/// | 6 | 70 | 450   | 60    |
/// | 7 | 80 | 900   | 60    |
fn eight_bars() -> Vec<Observation> {
    let closes = [100.0, 200.0, 150.0, 300.0, 600.0, 300.0, 450.0, 900.0];
    closes
        .iter()
        .enumerate()
        .map(|(t, &c)| {
            let score = (t != 1).then_some(60.0);
            let label = score.map(|_| Label::Buy);
            Observation::new(10 * (t as i64 + 1), score, label, c)
        })
        .collect()
}

fn split_config(h: usize, split: i64) -> EvalConfig {
    EvalConfig {
        split: Some(split),
        ..config(&[h])
    }
}

#[test]
fn straddling_bars_are_left_out_of_before() {
    // Split at 50: before = ts 10..40 (t0..t3), after = ts 50..80 (t4..t7).
    let e = evaluate(&eight_bars(), &split_config(2, 50)).unwrap();
    let h = &e.horizons[0];

    // h = 2, full: t0 → t2: 150/100 − 1 = 0.5; t1 no score; t2 → t4: 600/150 − 1 = 3;
    // t3 → t5: 300/300 − 1 = 0; t4 → t6: 450/600 − 1 = −0.25; t5 → t7: 900/300 − 1 = 2;
    // t6, t7: no bar t+2.
    let f = &h.full;
    assert_eq!((f.bars, f.used, f.no_score, f.no_forward), (8, 5, 1, 2));
    some_close(
        f.absolute.all.mean,
        (0.5 + 3.0 + 0.0 - 0.25 + 2.0) / 5.0,
        1e-12,
    );

    // before: t0 (t2 at 30 < 50) used; t1 no score; t2 (t4 at 50, not < 50)
    // and t3 (t5 at 60) straddle the split → no_forward.
    let b = h.before.as_ref().unwrap();
    assert_eq!((b.first, b.last), (Some(10), Some(40)));
    assert_eq!((b.bars, b.used, b.no_score, b.no_forward), (4, 1, 1, 2));
    some_close(b.absolute.all.mean, 0.5, 1e-12);
    some_close(b.absolute.label(Label::Buy).median, 0.5, 1e-12);

    // after: t4 → t6 (−0.25), t5 → t7 (2) used; t6, t7 no bar t+2.
    let a = h.after.as_ref().unwrap();
    assert_eq!((a.first, a.last), (Some(50), Some(80)));
    assert_eq!((a.bars, a.used, a.no_score, a.no_forward), (4, 2, 0, 2));
    some_close(a.absolute.all.mean, (-0.25 + 2.0) / 2.0, 1e-12);
    some_close(a.absolute.all.hit_rate, 0.5, 0.0);
}

#[test]
fn a_split_between_timestamps_and_at_one_agree() {
    // 45 and 50 both put t0..t3 before and t4.. after.
    let at = evaluate(&eight_bars(), &split_config(1, 50)).unwrap();
    let between = evaluate(&eight_bars(), &split_config(1, 45)).unwrap();
    let (x, y) = (&at.horizons[0], &between.horizons[0]);
    assert_eq!(
        x.before.as_ref().unwrap().used,
        y.before.as_ref().unwrap().used
    );
    // h = 1 before: t0 → t1 used, t1 no score, t2 → t3 used, t3 → t4 (ts 50) straddles.
    let b = x.before.as_ref().unwrap();
    assert_eq!((b.used, b.no_score, b.no_forward), (2, 1, 1));
    // 200/100 − 1 = 1 and 300/150 − 1 = 1.
    some_close(b.absolute.all.mean, 1.0, 1e-12);
}

#[test]
fn splits_outside_the_data() {
    let obs = eight_bars();
    // Before everything: `before` is empty, `after` counts every bar.
    let e = evaluate(&obs, &split_config(1, -5)).unwrap();
    let h = &e.horizons[0];
    let b = h.before.as_ref().unwrap();
    assert_eq!((b.bars, b.used, b.first, b.last), (0, 0, None, None));
    let a = h.after.as_ref().unwrap();
    assert_eq!(
        (a.bars, a.used, a.no_score, a.no_forward),
        (h.full.bars, h.full.used, h.full.no_score, h.full.no_forward)
    );
    assert_eq!(a.absolute.all.mean, h.full.absolute.all.mean);
    // After everything: `before` has every bar, and as the last bars have no
    // bar t+h at all, its counts equal the full period's.
    let e = evaluate(&obs, &split_config(3, 1000)).unwrap();
    let h = &e.horizons[0];
    let b = h.before.as_ref().unwrap();
    assert_eq!(
        (b.bars, b.used, b.no_score, b.no_forward),
        (h.full.bars, h.full.used, h.full.no_score, h.full.no_forward)
    );
    assert_eq!(h.after.as_ref().unwrap().bars, 0);
}

#[test]
fn before_uses_no_price_from_after_the_split() {
    // Changing every close stamped ≥ split leaves `before` unchanged, its
    // bootstrap intervals included (same used bars, same sub-seed).
    let obs = eight_bars();
    let mut changed = obs.clone();
    for o in changed.iter_mut().filter(|o| o.timestamp >= 50) {
        o.close *= 3.0;
    }
    for h in 1..4 {
        let x = evaluate(&obs, &split_config(h, 50)).unwrap();
        let y = evaluate(&changed, &split_config(h, 50)).unwrap();
        assert_eq!(x.horizons[0].before, y.horizons[0].before, "h {h}");
        assert_ne!(x.horizons[0].full, y.horizons[0].full, "h {h}");
    }
}
