//! No heap allocation per update, for every indicator: a counting global
//! allocator (per thread, so parallel tests do not disturb each other) sees
//! zero allocations across thousands of updates, including warm-up, rejected
//! inputs and `reset`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
// A global allocator is an `unsafe impl`; it only forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use apex_ta::{
    Atr, Bar, Ema, FibonacciLevels, Indicator, Macd, MacdOutput, Natr, RelativePerformance,
    RelativeRatio, RollingMax, RollingMin, Rsi, Sma, StdDev, TrueRange, VolumeZScore, Wilder,
};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds the `GlobalAlloc` contract; the only addition is a counter.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Feeds every input (and a bad one every 7th step, and a reset midway)
/// and asserts no allocation happened after construction.
fn assert_no_alloc<I: Indicator>(mut ind: I, inputs: &[I::Input], bad: I::Input)
where
    I::Input: Copy,
{
    let before = allocations();
    for (i, &x) in inputs.iter().enumerate() {
        let _ = std::hint::black_box(ind.update(x));
        if i % 7 == 0 {
            assert!(ind.update(bad).is_err());
        }
        if i == inputs.len() / 2 {
            ind.reset();
        }
    }
    let after = allocations();
    assert_eq!(after - before, 0, "{} allocations", after - before);
}

fn bars() -> Vec<Bar> {
    let mut close = 100.0_f64;
    (0..5_000)
        .map(|i| {
            let open = close;
            close *= 1.0 + (f64::from(i * 37 % 101) - 50.0) * 4e-4;
            Bar::new(
                open,
                open.max(close) + 0.5,
                open.min(close) - 0.5,
                close,
                1e6 + f64::from(i % 13) * 1e5,
            )
        })
        .collect()
}

#[test]
fn no_indicator_allocates_per_update() {
    let bars = bars();
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let volumes: Vec<f64> = bars.iter().map(|b| b.volume).collect();
    let pairs: Vec<(f64, f64)> = bars.iter().map(|b| (b.close, b.open)).collect();
    let bad_bar = Bar::new(1.0, 0.0, 2.0, 1.0, 1.0);
    assert_no_alloc(Sma::new(20).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Ema::new(20).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Wilder::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Rsi::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Macd::new(12, 26, 9).unwrap(), &closes, f64::INFINITY);
    assert_no_alloc(StdDev::new(20).unwrap(), &closes, f64::NAN);
    assert_no_alloc(RollingMax::new(20).unwrap(), &closes, f64::NAN);
    assert_no_alloc(RollingMin::new(20).unwrap(), &closes, f64::NAN);
    assert_no_alloc(TrueRange::new(), &bars, bad_bar);
    assert_no_alloc(Atr::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Natr::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(VolumeZScore::new(20).unwrap(), &volumes, -1.0);
    assert_no_alloc(RelativeRatio::new(50).unwrap(), &pairs, (1.0, 0.0));
    assert_no_alloc(
        RelativePerformance::new(20).unwrap(),
        &pairs,
        (f64::NAN, 1.0),
    );
    assert_no_alloc(FibonacciLevels::new(55).unwrap(), &bars, bad_bar);
}

#[test]
fn oscillators_do_not_allocate_per_update() {
    use apex_ta::{
        Apo, Bop, Cmo, MaType, Mfi, Mom, Ppo, Roc, Rocp, Rocr, Rocr100, Stoch, StochF, StochRsi,
        Trix,
    };
    let bars = bars();
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let bad_bar = Bar::new(1.0, 0.0, 2.0, 1.0, 1.0);
    for kind in [MaType::Sma, MaType::Ema] {
        assert_no_alloc(Apo::new(12, 26, kind).unwrap(), &closes, f64::NAN);
        assert_no_alloc(Ppo::new(12, 26, kind).unwrap(), &closes, f64::NAN);
        assert_no_alloc(Stoch::new(5, 3, kind, 3, kind).unwrap(), &bars, bad_bar);
        assert_no_alloc(StochF::new(5, 3, kind).unwrap(), &bars, bad_bar);
        assert_no_alloc(StochRsi::new(14, 5, 3, kind).unwrap(), &closes, f64::NAN);
    }
    assert_no_alloc(Bop::new(), &bars, bad_bar);
    assert_no_alloc(Cmo::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Mfi::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Mom::new(10).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Roc::new(10).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Rocp::new(10).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Rocr::new(10).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Rocr100::new(10).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Trix::new(30).unwrap(), &closes, f64::NAN);
}

#[test]
fn overlap_directional_flow_statistics_and_channels_do_not_allocate_per_update() {
    use apex_ta::{
        Ad, AdOsc, Adx, Adxr, Aroon, AroonOsc, Bbands, Beta, Cci, Correl, Dema, Donchian, Dx,
        Ichimoku, Kama, Keltner, LinearReg, LinearRegAngle, LinearRegIntercept, LinearRegSlope,
        MaType, MidPoint, MidPrice, MinusDi, MinusDm, MovingAverage, Obv, PlusDi, PlusDm, Sar,
        SuperTrend, Tema, Trima, Tsf, UltOsc, Var, Vwap, WillR, Wma, T3,
    };
    let bars = bars();
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let pairs: Vec<(f64, f64)> = bars.iter().map(|b| (b.close, b.open)).collect();
    let bad_bar = Bar::new(1.0, 0.0, 2.0, 1.0, 1.0);
    // Overlap studies, and every moving-average kind.
    for code in [0, 1, 2, 3, 4, 5, 6, 8] {
        let kind = MaType::from_talib(code).unwrap();
        assert_no_alloc(MovingAverage::new(10, kind).unwrap(), &closes, f64::NAN);
        assert_no_alloc(Bbands::new(10, 2.0, 2.0, kind).unwrap(), &closes, f64::NAN);
    }
    assert_no_alloc(Dema::new(30).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Tema::new(30).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Wma::new(30).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Trima::new(30).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Kama::new(30).unwrap(), &closes, f64::NAN);
    assert_no_alloc(T3::new(5, 0.7).unwrap(), &closes, f64::NAN);
    assert_no_alloc(MidPoint::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(MidPrice::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Sar::new(0.02, 0.2).unwrap(), &bars, bad_bar);
    // Directional movement.
    assert_no_alloc(PlusDm::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(MinusDm::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(PlusDi::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(MinusDi::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Dx::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Adx::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Adxr::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Aroon::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(AroonOsc::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(Cci::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(WillR::new(14).unwrap(), &bars, bad_bar);
    assert_no_alloc(UltOsc::new(7, 14, 28).unwrap(), &bars, bad_bar);
    // Volume flow and statistics.
    assert_no_alloc(Ad::new(), &bars, bad_bar);
    assert_no_alloc(AdOsc::new(3, 10).unwrap(), &bars, bad_bar);
    assert_no_alloc(Obv::new(), &bars, bad_bar);
    assert_no_alloc(Var::new(5, 1.0).unwrap(), &closes, f64::NAN);
    assert_no_alloc(LinearReg::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(LinearRegSlope::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(LinearRegIntercept::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(LinearRegAngle::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Tsf::new(14).unwrap(), &closes, f64::NAN);
    assert_no_alloc(Beta::new(5).unwrap(), &pairs, (f64::NAN, 1.0));
    assert_no_alloc(Correl::new(30).unwrap(), &pairs, (1.0, f64::NAN));
    // Channels.
    let timed: Vec<(i64, Bar)> = (0..).step_by(3600).zip(bars.iter().copied()).collect();
    assert_no_alloc(Vwap::default(), &timed, (i64::MAX, bad_bar));
    assert_no_alloc(Keltner::default(), &bars, bad_bar);
    assert_no_alloc(Donchian::default(), &bars, bad_bar);
    assert_no_alloc(SuperTrend::default(), &bars, bad_bar);
    assert_no_alloc(Ichimoku::default(), &bars, bad_bar);
}

#[test]
fn batch_into_does_not_allocate() {
    let bars = bars();
    let mut closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut out = vec![0.0; closes.len()];
    let nan = MacdOutput {
        macd: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
    let mut macd_out = vec![nan; closes.len()];
    let (mut rsi, mut macd, mut atr) = (
        Rsi::new(14).unwrap(),
        Macd::new(12, 26, 9).unwrap(),
        Atr::new(14).unwrap(),
    );
    let mut bad_bars = bars.clone();
    bad_bars[500].low = f64::NAN;
    let before = allocations();
    rsi.batch_into(&closes, &mut out).unwrap();
    macd.batch_into(&closes, &mut macd_out).unwrap();
    atr.batch_into(&bars, &mut out).unwrap();
    closes[300] = f64::NAN;
    assert!(rsi.batch_into(&closes, &mut out).is_err());
    assert!(macd.batch_into(&closes, &mut macd_out).is_err());
    assert!(atr.batch_into(&bad_bars, &mut out).is_err());
    let after = allocations();
    assert_eq!(after - before, 0, "{} allocations", after - before);
}

#[test]
fn the_apex_scorer_does_not_allocate_per_update() {
    use apex_ta::{ApexScorer, MarketBar, Scorer};
    let bars = bars();
    let mut apex = ApexScorer::<f64>::default();
    let before = allocations();
    let mut scored = 0;
    for (t, b) in (0_i64..).zip(&bars) {
        let yield_2y = (t % 9 != 0).then_some(4.0 + (t % 50) as f64 * 0.01);
        let bar = MarketBar::new(t * 86_400, *b, b.close * 4.0, b.close * 3.0, yield_2y);
        if apex.update(bar).unwrap().is_some() {
            scored += 1;
        }
        // A rejected bar (timestamp not increasing) allocates nothing either.
        assert!(apex.update(bar).is_err());
    }
    assert_eq!(allocations() - before, 0);
    assert!(scored > 1000, "the scorer warmed up ({scored} scores)");
}

#[test]
fn the_universe_forms_do_not_allocate_per_update() {
    use apex_ta::score::{ApexConfig, ApexUniverse, MarketBar};
    use apex_ta::{AtrUniverse, BarSlices, RsiUniverse};
    const N: usize = 7;
    let bars = bars();
    let mut rsi = RsiUniverse::<f64>::new(N, 14).unwrap();
    let mut atr = AtrUniverse::<f64>::new(N, 14).unwrap();
    let mut apex = ApexUniverse::<f64>::new(N, ApexConfig::default()).unwrap();
    let (mut out, mut row) = ([0.0; N], Vec::with_capacity(N));
    let before = allocations();
    for (t, b) in (0_i64..).zip(&bars) {
        let closes = [b.close; N];
        rsi.update(&closes, &mut out).unwrap();
        let (o, h, l, v) = ([b.open; N], [b.high; N], [b.low; N], [b.volume; N]);
        let slices = BarSlices {
            open: &o,
            high: &h,
            low: &l,
            close: &closes,
            volume: &v,
        };
        atr.update(slices, &mut out).unwrap();
        // Missing yields now and then; every symbol in lock step.
        let yield_2y = (t % 9 != 0).then_some(4.0);
        row.clear();
        row.extend((0..N).map(|k| {
            let spy = b.close * (4.0 + k as f64);
            MarketBar::new(t * 86_400, *b, spy, b.close * 3.0, yield_2y)
        }));
        apex.update(&row, &mut out).unwrap();
    }
    assert_eq!(allocations() - before, 0);
    assert!(out.iter().all(|v| (0.0..=100.0).contains(v)), "{out:?}");
}

#[test]
fn the_counter_sees_allocations() {
    // The test above can fail: a Vec push is counted.
    let before = allocations();
    let v: Vec<u64> = std::hint::black_box(vec![1, 2, 3]);
    assert!(allocations() > before);
    drop(v);
}

/// A symbol's first rejected bar moves its columns out of the lock-step rows
/// into windows of its own: a bounded number of allocations, that once. Later
/// bars, rejected or not, allocate nothing.
#[test]
fn an_apex_universe_symbol_leaves_lock_step_once() {
    use apex_ta::score::{ApexConfig, ApexUniverse, MarketBar};
    const N: usize = 5;
    let bars = bars();
    let mut apex = ApexUniverse::<f64>::new(N, ApexConfig::default()).unwrap();
    let mut out = [0.0; N];
    let mut row = Vec::with_capacity(N);
    let mut at_first_rejection = None;
    let mut after = 0;
    for (t, b) in (0_i64..).zip(&bars) {
        row.clear();
        row.extend((0..N).map(|k| {
            MarketBar::new(
                t * 86_400,
                *b,
                b.close * 4.0,
                b.close * 3.0,
                Some(4.0 + k as f64 / 10.0),
            )
        }));
        // Symbol 2 gets a bad bar at 100 (its first) and every 17th bar after.
        if t == 100 || (t > 100 && t % 17 == 0) {
            row[2].target.volume = -1.0;
        }
        let before = allocations();
        apex.update(&row, &mut out).unwrap();
        let made = allocations() - before;
        if t == 100 {
            at_first_rejection = Some(made);
        } else {
            after += made;
        }
    }
    let first = at_first_rejection.unwrap();
    // 65 today: every window of its own (rings, block buffers, sums) and the
    // rejected list's entry. The docs state the bound.
    assert!(
        first > 0 && first <= 80,
        "{first} allocations when the symbol left lock step"
    );
    assert_eq!(after, 0, "allocations on other bars");
}
