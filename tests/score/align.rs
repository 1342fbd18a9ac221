//! The aligner's documented policy: order, completion, calendar, carry,
//! drops, errors with the state unchanged, and independence from the order
//! of streams within a timestamp.

use apex_ta::score::{AlignStats, Aligner, MarketBar, Tick};
use apex_ta::{Bar, Error};
use proptest::prelude::*;

const DAY: i64 = 86_400;

fn bar(c: f64) -> Bar {
    Bar::new(c, c + 1.0, c - 1.0, c, 1e6)
}

/// Pushes every tick of one timestamp in the given order, collecting bars.
fn day(al: &mut Aligner, ts: i64, ticks: &[Tick], out: &mut Vec<MarketBar>) {
    for &t in ticks {
        out.extend(al.push(ts, t).unwrap());
    }
}

fn full(c: f64, y: Option<f64>) -> Vec<Tick> {
    let mut v = vec![Tick::Target(bar(c)), Tick::Spy(c * 4.0), Tick::Qqq(c * 3.0)];
    v.extend(y.map(Tick::Yield));
    v
}

#[test]
fn bond_holidays_carry_the_yield_up_to_the_limit_then_none() {
    let mut al = Aligner::new(2).unwrap();
    let mut out = Vec::new();
    day(&mut al, DAY, &full(100.0, Some(4.0)), &mut out);
    for i in 2..=5 {
        day(&mut al, i * DAY, &full(100.0 + i as f64, None), &mut out);
    }
    day(&mut al, 6 * DAY, &full(106.0, Some(3.9)), &mut out);
    out.extend(al.flush());
    let yields: Vec<Option<f64>> = out.iter().map(|b| b.yield_2y).collect();
    assert_eq!(
        yields,
        [Some(4.0), Some(4.0), Some(4.0), None, None, Some(3.9)]
    );
    let ts: Vec<i64> = out.iter().map(|b| b.timestamp / DAY).collect();
    assert_eq!(ts, [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        al.stats(),
        AlignStats {
            days: 6,
            emitted: 6,
            carried_yield: 2,
            missing_yield: 2,
            ..AlignStats::default()
        }
    );
}

#[test]
fn the_target_defines_the_calendar() {
    // Day 2 is a Good Friday: yield only. Its yield is the freshest for day 3.
    let mut al = Aligner::new(0).unwrap();
    let mut out = Vec::new();
    day(&mut al, DAY, &full(100.0, Some(4.0)), &mut out);
    day(&mut al, 2 * DAY, &[Tick::Yield(3.8)], &mut out);
    day(&mut al, 3 * DAY, &full(101.0, None), &mut out);
    out.extend(al.flush());
    assert_eq!(out.len(), 2);
    // max_carry 0: a value from an earlier timestamp is never used.
    assert_eq!(out[1].yield_2y, None);
    assert_eq!(al.stats().without_target, 1);

    let mut al = Aligner::new(1).unwrap();
    let mut out = Vec::new();
    day(&mut al, DAY, &full(100.0, Some(4.0)), &mut out);
    day(&mut al, 2 * DAY, &[Tick::Yield(3.8)], &mut out);
    day(&mut al, 3 * DAY, &full(101.0, None), &mut out);
    out.extend(al.flush());
    assert_eq!(out[1].yield_2y, Some(3.8));
}

#[test]
fn a_benchmark_missing_beyond_the_carry_drops_the_bar() {
    let mut al = Aligner::new(1).unwrap();
    let mut out = Vec::new();
    day(&mut al, DAY, &full(100.0, None), &mut out);
    // SPY missing on days 2 and 3.
    for i in 2..=3 {
        day(
            &mut al,
            i * DAY,
            &[Tick::Target(bar(100.0)), Tick::Qqq(300.0)],
            &mut out,
        );
    }
    day(&mut al, 4 * DAY, &full(100.0, None), &mut out);
    out.extend(al.flush());
    let ts: Vec<i64> = out.iter().map(|b| b.timestamp / DAY).collect();
    assert_eq!(ts, [1, 2, 4]); // day 2 carried SPY, day 3 dropped
    assert_eq!(out[1].spy, 400.0);
    let st = al.stats();
    assert_eq!((st.dropped, st.carried_spy, st.emitted), (1, 1, 3));
    // A target before any benchmark was ever seen is dropped too.
    let mut al = Aligner::<f64>::default();
    assert!(al.push_target(DAY, bar(1.0)).unwrap().is_none());
    assert!(al.flush().is_none());
    assert_eq!(al.stats().dropped, 1);
}

#[test]
fn out_of_order_and_duplicates_are_errors_and_change_nothing() {
    let mut al = Aligner::<f64>::default();
    let mut out = Vec::new();
    day(&mut al, DAY, &full(100.0, Some(4.0)), &mut out);
    day(
        &mut al,
        2 * DAY,
        &[Tick::Target(bar(101.0)), Tick::Spy(404.0)],
        &mut out,
    );
    let before = al.clone();
    let cases = [
        (2 * DAY, Tick::Spy(405.0), "spy", 2 * DAY), // duplicate on the stream
        (DAY, Tick::Qqq(300.0), "qqq", DAY),         // not after the stream's last
        (DAY + 5, Tick::Qqq(300.0), "qqq", 2 * DAY), // late: before the open day
        (3 * DAY, Tick::Spy(f64::NAN), "spy", 0),    // bad value
        (3 * DAY, Tick::Qqq(-1.0), "qqq", 0),
        (3 * DAY, Tick::Yield(f64::INFINITY), "yield", 0),
        (
            3 * DAY,
            Tick::Target(Bar::new(1.0, 0.5, 2.0, 1.0, 0.0)),
            "target",
            0,
        ),
    ];
    for (ts, tick, stream, previous) in cases {
        let err = al.push(ts, tick).expect_err(stream);
        if previous != 0 {
            assert_eq!(
                err,
                Error::OutOfOrder {
                    stream,
                    timestamp: ts,
                    previous
                },
                "{tick:?}"
            );
        }
        assert_eq!(al, before, "{tick:?} changed the state");
    }
    // After a flush, nothing at or before the flushed timestamp is accepted.
    al.push_qqq(2 * DAY, 303.0).unwrap();
    assert!(al.flush().is_some());
    assert!(matches!(
        al.push_yield(2 * DAY, 4.0),
        Err(Error::OutOfOrder { previous, .. }) if previous == 2 * DAY
    ));
    assert!(al.push_yield(3 * DAY, 4.0).unwrap().is_none());
    al.reset();
    assert_eq!(al, Aligner::default());
}

/// Days of (target, spy, qqq, yield) presence flags and values.
fn schedule() -> impl Strategy<Value = Vec<(bool, bool, bool, bool, [usize; 4])>> {
    prop::collection::vec(
        (
            prop::bool::weighted(0.9),
            prop::bool::weighted(0.95),
            prop::bool::weighted(0.95),
            prop::bool::weighted(0.8),
            Just([0usize, 1, 2, 3])
                .prop_shuffle()
                .prop_map(|v| [v[0], v[1], v[2], v[3]]),
        ),
        1..80,
    )
}

proptest! {
    #[test]
    fn the_order_of_streams_within_a_timestamp_does_not_matter(days in schedule(), carry in 0usize..4) {
        let run = |shuffle: bool| {
            let mut al = Aligner::new(carry).unwrap();
            let mut out = Vec::new();
            for (i, &(t, s, q, y, order)) in days.iter().enumerate() {
                let x = 100.0 + i as f64;
                let ticks = [
                    t.then_some(Tick::Target(bar(x))),
                    s.then_some(Tick::Spy(4.0 * x)),
                    q.then_some(Tick::Qqq(3.0 * x)),
                    y.then_some(Tick::Yield(x / 25.0)),
                ];
                let ordered: Vec<Tick> = if shuffle {
                    order.iter().filter_map(|&k| ticks[k]).collect()
                } else {
                    ticks.iter().flatten().copied().collect()
                };
                for tick in ordered {
                    out.extend(al.push(i as i64 * DAY, tick).unwrap());
                }
            }
            out.extend(al.flush());
            (out, al.stats())
        };
        let (a, sa) = run(false);
        let (b, sb) = run(true);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(sa, sb);
        // Every emitted bar is a target day, in order, with values no staler than allowed.
        prop_assert_eq!(sa.emitted as usize, a.len());
        prop_assert_eq!(sa.emitted + sa.dropped, days.iter().filter(|d| d.0).count() as u64);
        for w in a.windows(2) {
            prop_assert!(w[0].timestamp < w[1].timestamp);
        }
        for bar in &a {
            let i = (bar.timestamp / DAY) as usize;
            prop_assert!(days[i].0);
            let spy_day = (bar.spy / 4.0 - 100.0).round() as usize;
            prop_assert!(spy_day <= i);
            if let Some(y) = bar.yield_2y {
                let y_day = (y * 25.0 - 100.0).round() as usize;
                prop_assert!(y_day <= i);
                // the carry limit counts target bars between the value and this bar
                let targets_between = (y_day + 1..=i).filter(|&k| days[k].0).count();
                prop_assert!(targets_between <= carry || days[i].3);
            }
        }
    }
}

/// A target whose close is 0 or below is a valid `Bar` but not a valid
/// `MarketBar` (the scorer divides by it): the aligner rejects it on push,
/// state unchanged, so every bar it emits passes `MarketBar::validate`.
#[test]
fn a_target_close_at_or_below_zero_is_rejected_on_push() {
    for close in [0.0_f64, -1.0, -0.0] {
        let mut al = Aligner::<f64>::new(3).unwrap();
        let mut out = Vec::new();
        day(&mut al, DAY, &full(100.0, Some(4.0)), &mut out);
        let before = format!("{al:?}");
        let flat = Bar::new(close, close.max(0.0), close.min(0.0), close, 1e6);
        assert!(flat.validate().is_ok(), "the bar itself is consistent");
        let e = al.push(2 * DAY, Tick::Target(flat)).unwrap_err();
        assert!(
            matches!(e, Error::NonPositive { field: "close", .. }),
            "{e:?}"
        );
        assert_eq!(format!("{al:?}"), before, "state unchanged");
        day(&mut al, 2 * DAY, &full(101.0, Some(4.0)), &mut out);
        out.extend(al.flush());
        assert_eq!(out.len(), 2);
        for b in &out {
            b.validate().unwrap();
        }
    }
}
