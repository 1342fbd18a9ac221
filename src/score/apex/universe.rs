//! The APEX score for a universe of symbols, one call per bar.

// The stages are inlined into both copies of `dispatch::wide` (baseline and
// AVX2); without `always` the AVX2 copy would call baseline code.
#![allow(clippy::inline_always)]

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::mem;

use super::config::ApexConfig;
use super::kernel::{assemble, SignalInputs, SignalOutputs, WindowReadings};
use super::lockstep::{RangeLanes, RatioLanes, RelativeLanes, SwingLanes, VolumeLanes, YieldLanes};
use super::readings::ApexReadings;
use super::scorer::{check, in_range, ApexParams};
use super::windows::ApexWindows;
use crate::error::check_universe;
#[cfg(feature = "serde")]
use crate::float::some;
use crate::score::composite::{lane_value, Composite};
use crate::score::market::MarketBar;
use crate::score::scorer::Score;
use crate::universe::{AtrUniverse, MacdUniverse, RsiUniverse};
#[cfg(feature = "serde")]
use crate::window::{state_ok, Ring, RollingRange, RollingSwing};
use crate::{Error, Float, Result};
#[cfg(feature = "serde")]
use crate::{RelativePerformance, RelativeRatio, VolumeZScore};

/// [`ApexScorer`](super::ApexScorer) for N symbols, updated with one call
/// per bar, struct of arrays.
///
/// Per bar, the form works stage by stage across all symbols, each stage a
/// loop over arrays that the compiler vectorises: RSI, MACD and ATR in the
/// indicator universe forms' loops (see [`RsiUniverse`](crate::RsiUniverse));
/// the rolling windows (Fibonacci swing, breakout range, volume, relative
/// performance, yields) in lock step, one row per window position with one
/// column per symbol; then the eight rules and the composite, branch-free.
/// The values are exactly (bit for bit) those of N independent
/// [`ApexScorer`](super::ApexScorer)s fed the same bars.
///
/// Lock step holds while a symbol takes every bar. A symbol's first rejected
/// bar moves its windows out of the shared rows into windows of its own
/// (about 65 small allocations, at most 80, once per symbol: every window's
/// buffers; tested); from then on that symbol runs the scorer's own window
/// code, with the same values. [`reset`](ApexUniverse::reset) brings every
/// symbol back into step.
///
/// Like the indicator universe forms, `update` writes plain values with
/// `NaN` as the "no score" marker, and keeps the per-symbol rule: a bad bar
/// (or an out-of-order timestamp) for one symbol is reported in
/// [`rejected`](ApexUniverse::rejected), gives `NaN` in its output slot and
/// leaves that symbol's state unchanged, without disturbing the others.
///
/// A [`Score`] carries every component for explanation (232 bytes); the
/// form builds it on demand: [`score`](ApexUniverse::score) gives symbol
/// `i`'s last score, bit for bit what an [`ApexScorer`](super::ApexScorer)
/// returned, and [`readings`](ApexUniverse::readings) its raw readings.
///
/// # Checkpoints
///
/// With the `serde` feature a universe serialises its configuration and
/// its state between bars: the RSI, MACD and ATR stages (as their universe
/// forms' checkpoints), the lock-step windows row by row, the windows of
/// the symbols out of step, each symbol's last timestamp, and each
/// symbol's last accepted bar's readings and sub-scores (`null` for
/// "none"), from which [`score`](ApexUniverse::score) and
/// [`readings`](ApexUniverse::readings) answer. The per-bar scratch arrays
/// and the last update's [`rejected`](ApexUniverse::rejected) list are not
/// saved.
///
/// Restoring re-validates all of it against the configuration: every
/// lane holds one entry per symbol, every window has the configured
/// period, every ring position and fill level is in range, each
/// lock-step column passes its single window's checks (the running
/// extremes are recomputed, not read), the lock-step windows have all
/// taken the same number of bars, and each symbol's indicator counts,
/// last timestamp and last readings agree with the bars it has taken. A
/// corrupted checkpoint is an error; a restored universe equals the saved
/// one and continues bit for bit, provided the format round-trips floats
/// exactly (postcard, bincode, or `serde_json` with its `float_roundtrip`
/// feature).
///
/// # Examples
///
/// ```
/// use apex_ta::{ApexConfig, Bar, MarketBar};
/// use apex_ta::score::ApexUniverse;
/// # fn main() -> apex_ta::Result<()> {
/// let mut universe = ApexUniverse::<f64>::new(2, ApexConfig::default())?;
/// let mut out = [0.0; 2];
/// for t in 0..120_i64 {
///     let p = 100.0 + (t % 17) as f64;
///     let bar = |k: f64| MarketBar::new(t, Bar::new(p * k, p * k + 1.0, p * k - 1.0, p * k, 1e6), 450.0, 380.0, Some(4.0));
///     universe.update(&[bar(1.0), bar(2.0)], &mut out)?;
/// }
/// assert!(out.iter().all(|v| (0.0..=100.0).contains(v)));
/// // The explanation of symbol 1's score, on demand.
/// let score = universe.score(1).expect("warmed up");
/// assert_eq!(score.value(), out[1]);
/// assert_eq!(score.ready(), 8);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ApexUniverse<T = f64> {
    params: ApexParams<T>,
    /// The composite's eight weights and `min_ready`, as the loops use them.
    weights: [f64; 8],
    min_ready: f64,
    rsi: RsiUniverse<T>,
    macd: MacdUniverse<T>,
    atr: AtrUniverse<T>,
    // The rolling windows. Those with a ring position are held in lock step
    // across symbols (one row per position, vectorised) while the symbols
    // take every bar; a symbol's first rejected bar moves its windows to
    // `lost` (it then runs the scorer's own windows). The others are one
    // streaming instance per symbol, a pass per kind.
    breakout: RangeLanes<T>,
    swing: SwingLanes<T>,
    relative: RelativeLanes<T>,
    yields: YieldLanes<T>,
    volume: VolumeLanes<T>,
    lost: Vec<Option<Box<ApexWindows<T>>>>,
    /// The symbols with `lost` windows, in order.
    stragglers: Vec<usize>,
    ratio: RatioLanes<T>,
    last_timestamp: Vec<Option<i64>>,
    /// Each symbol's last accepted bar: inputs, readings and sub-scores.
    last: Lanes,
    /// This bar's, swapped with `last` at the end of `update`.
    next: Lanes,
    /// This bar's target prices, in `T`, for the indicator stage.
    high: Vec<T>,
    low: Vec<T>,
    close: Vec<T>,
    volume_in: Vec<T>,
    spy: Vec<T>,
    qqq: Vec<T>,
    yield_2y: Vec<T>,
    has_yield: Vec<bool>,
    ok: Vec<bool>,
    rejected: Vec<(usize, Error)>,
}

/// An [`ApexUniverse`]'s state between bars: what its checkpoint holds,
/// and what `new` starts from.
struct Stages<T> {
    rsi: RsiUniverse<T>,
    macd: MacdUniverse<T>,
    atr: AtrUniverse<T>,
    breakout: RangeLanes<T>,
    swing: SwingLanes<T>,
    relative: RelativeLanes<T>,
    yields: YieldLanes<T>,
    volume: VolumeLanes<T>,
    ratio: RatioLanes<T>,
    lost: Vec<Option<Box<ApexWindows<T>>>>,
    last_timestamp: Vec<Option<i64>>,
    last: Lanes,
}

/// One bar's per-symbol values, one array per field, `NaN` for "none".
#[derive(Debug, Clone)]
struct Lanes {
    close: Vec<f64>,
    rsi: Vec<f64>,
    histogram: Vec<f64>,
    atr: Vec<f64>,
    range_high: Vec<f64>,
    range_low: Vec<f64>,
    direction: Vec<f64>,
    retracement: Vec<f64>,
    volume_ratio: Vec<f64>,
    ratio_distance: Vec<f64>,
    relative: Vec<f64>,
    yield_change: Vec<f64>,
    natr: Vec<f64>,
    bar_direction: Vec<f64>,
    subs: [Vec<f64>; 8],
}

/// The 22 arrays of a [`Lanes`] (a `&Lanes` or `&mut Lanes`), in one order.
macro_rules! lane_fields {
    ($lanes:expr) => {{
        let Lanes {
            close,
            rsi,
            histogram,
            atr,
            range_high,
            range_low,
            direction,
            retracement,
            volume_ratio,
            ratio_distance,
            relative,
            yield_change,
            natr,
            bar_direction,
            subs: [s0, s1, s2, s3, s4, s5, s6, s7],
        } = $lanes;
        [
            close,
            rsi,
            histogram,
            atr,
            range_high,
            range_low,
            direction,
            retracement,
            volume_ratio,
            ratio_distance,
            relative,
            yield_change,
            natr,
            bar_direction,
            s0,
            s1,
            s2,
            s3,
            s4,
            s5,
            s6,
            s7,
        ]
    }};
}

impl Lanes {
    fn new(n: usize) -> Self {
        let nan = || vec![f64::NAN; n];
        Lanes {
            close: nan(),
            rsi: nan(),
            histogram: nan(),
            atr: nan(),
            range_high: nan(),
            range_low: nan(),
            direction: nan(),
            retracement: nan(),
            volume_ratio: nan(),
            ratio_distance: nan(),
            relative: nan(),
            yield_change: nan(),
            natr: nan(),
            bar_direction: nan(),
            subs: [nan(), nan(), nan(), nan(), nan(), nan(), nan(), nan()],
        }
    }

    /// Every field, mutably, in one order (for whole-row copies).
    fn fields(&mut self) -> [&mut Vec<f64>; 22] {
        lane_fields!(self)
    }

    /// Every field, in the same order.
    fn fields_ref(&self) -> [&Vec<f64>; 22] {
        lane_fields!(self)
    }

    /// Symbol `i`'s row (`NaN`s for an unknown symbol).
    fn row(&self, i: usize) -> (SignalInputs, SignalOutputs) {
        let at = |v: &Vec<f64>| v.get(i).copied().unwrap_or(f64::NAN);
        let x = SignalInputs {
            close: at(&self.close),
            rsi: at(&self.rsi),
            histogram: at(&self.histogram),
            atr: at(&self.atr),
            windows: WindowReadings {
                range_high: at(&self.range_high),
                range_low: at(&self.range_low),
                direction: at(&self.direction),
                retracement: at(&self.retracement),
                volume_ratio: at(&self.volume_ratio),
                ratio_distance: at(&self.ratio_distance),
                relative: at(&self.relative),
                yield_change: at(&self.yield_change),
            },
        };
        let o = SignalOutputs {
            subs: self.subs.each_ref().map(at),
            natr: at(&self.natr),
            bar_direction: at(&self.bar_direction),
        };
        (x, o)
    }

    /// Bit-for-bit equality (`NaN` fields compare equal to themselves).
    fn same(&self, other: &Self) -> bool {
        self.fields_ref()
            .iter()
            .zip(other.fields_ref())
            .all(|(a, b)| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
            })
    }
}

impl<T: Float> ApexUniverse<T> {
    /// `symbols` APEX scorers sharing one configuration.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for 0 symbols, an invalid configuration,
    /// or windows holding more than
    /// [`MAX_UNIVERSE_VALUES`](crate::MAX_UNIVERSE_VALUES) values in all.
    pub fn new(symbols: usize, config: ApexConfig) -> Result<Self> {
        let params = ApexParams::new(&config)?;
        let n = Self::size(symbols, &config)?;
        let p = &config.periods;
        Ok(Self::assemble(
            params,
            Stages {
                rsi: RsiUniverse::new(n, p.rsi)?,
                macd: MacdUniverse::new(n, p.macd_fast, p.macd_slow, p.macd_signal)?,
                atr: AtrUniverse::new(n, p.atr)?,
                breakout: RangeLanes::new(n, p.breakout),
                swing: SwingLanes::new(n, p.fibonacci),
                relative: RelativeLanes::new(n, p.relative),
                yields: YieldLanes::new(n, p.rates),
                volume: VolumeLanes::new(n, p.volume),
                ratio: RatioLanes::new(n, p.ratio),
                lost: vec![None; n],
                last_timestamp: vec![None; n],
                last: Lanes::new(n),
            },
        ))
    }

    /// `symbols`, if that many symbols' windows with `config`'s periods
    /// fit in [`MAX_UNIVERSE_VALUES`](crate::MAX_UNIVERSE_VALUES).
    fn size(symbols: usize, config: &ApexConfig) -> Result<usize> {
        let p = &config.periods;
        // What one symbol's columns hold, generously: every window's rows
        // (the swing keeps values and ages for highs and lows) plus the
        // fixed lanes. Periods are at most apex::MAX_PERIOD: no overflow.
        let per_symbol = 4 * (p.fibonacci + p.breakout + p.volume + p.relative + p.rates + 5)
            + 2 * p.volume
            + p.rsi
            + p.macd_slow
            + p.atr
            + p.ratio
            + 64;
        check_universe(symbols, per_symbol)
    }

    /// The universe of `stages`' state (one entry per symbol), with fresh
    /// per-bar scratch arrays.
    fn assemble(params: ApexParams<T>, stages: Stages<T>) -> Self {
        let n = stages.last_timestamp.len();
        let mut weights = [0.0; 8];
        for (w, &c) in weights.iter_mut().zip(params.composite().weights()) {
            *w = c;
        }
        // `min_ready` is 1..=8: exact in f64.
        let min_ready = f64::from(u8::try_from(params.config().min_ready).unwrap_or(u8::MAX));
        let Stages {
            rsi,
            macd,
            atr,
            breakout,
            swing,
            relative,
            yields,
            volume,
            ratio,
            lost,
            last_timestamp,
            last,
        } = stages;
        let stragglers = (0..n)
            .filter(|&i| lost.get(i).is_some_and(Option::is_some))
            .collect();
        ApexUniverse {
            weights,
            min_ready,
            rsi,
            macd,
            atr,
            breakout,
            swing,
            relative,
            yields,
            volume,
            lost,
            stragglers,
            ratio,
            last_timestamp,
            last,
            next: Lanes::new(n),
            high: vec![T::zero(); n],
            low: vec![T::zero(); n],
            close: vec![T::zero(); n],
            volume_in: vec![T::zero(); n],
            spy: vec![T::zero(); n],
            qqq: vec![T::zero(); n],
            yield_2y: vec![T::zero(); n],
            has_yield: vec![false; n],
            ok: vec![true; n],
            rejected: Vec::with_capacity(n),
            params,
        }
    }
    /// Number of symbols.
    pub fn symbols(&self) -> usize {
        self.ok.len()
    }
    /// The configuration every symbol is scored with.
    pub fn config(&self) -> &ApexConfig {
        self.params.config()
    }
    /// The composite (names, weights, labels).
    pub fn composite(&self) -> &Composite {
        self.params.composite()
    }
    /// Symbol `i`'s score on its last accepted bar, with every component:
    /// bit for bit what an [`ApexScorer`](super::ApexScorer) fed the same
    /// bars returned then. `None` while that symbol warms up (or for an
    /// unknown symbol).
    pub fn score(&self, i: usize) -> Option<Score> {
        if i >= self.symbols() {
            return None;
        }
        let (_, o) = self.last.row(i);
        self.params.composite().combine_lanes(&o.subs)
    }
    /// Symbol `i`'s raw readings on its last accepted bar, as
    /// [`ApexScorer::readings`](super::ApexScorer::readings) gives them
    /// (`None` for an unknown symbol).
    pub fn readings(&self, i: usize) -> Option<ApexReadings> {
        if i >= self.symbols() {
            return None;
        }
        let (x, o) = self.last.row(i);
        Some(ApexReadings::from_lanes(&x, &o))
    }
    /// The timestamp of symbol `i`'s last accepted bar.
    pub fn last_timestamp(&self, i: usize) -> Option<i64> {
        self.last_timestamp.get(i).copied().flatten()
    }
    /// The symbols whose bar the last `update` rejected, with why.
    pub fn rejected(&self) -> &[(usize, Error)] {
        &self.rejected
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        let n = self.symbols();
        self.rsi.reset();
        self.macd.reset();
        self.atr.reset();
        let p = self.params.config().periods;
        self.breakout = RangeLanes::new(n, p.breakout);
        self.swing = SwingLanes::new(n, p.fibonacci);
        self.relative = RelativeLanes::new(n, p.relative);
        self.yields = YieldLanes::new(n, p.rates);
        self.volume = VolumeLanes::new(n, p.volume);
        self.ratio = RatioLanes::new(n, p.ratio);
        self.lost.fill(None);
        self.stragglers.clear();
        self.last_timestamp.fill(None);
        self.last = Lanes::new(n);
        self.next = Lanes::new(n);
        self.ok.fill(true);
        self.rejected.clear();
    }

    /// Feeds one market bar per symbol; writes each symbol's score value
    /// (`NaN` while warming up or when rejected) to `out`. Returns how many
    /// symbols were rejected.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if `bars` or `out` is not one per symbol
    /// (nothing changed).
    pub fn update(&mut self, bars: &[MarketBar<T>], out: &mut [f64]) -> Result<usize> {
        let n = self.symbols();
        for (name, got) in [("bars", bars.len()), ("out", out.len())] {
            if got != n {
                return Err(Error::LengthMismatch {
                    name,
                    expected: n,
                    got,
                });
            }
        }
        Ok(crate::dispatch::wide(
            #[inline(always)]
            || self.stages(bars, out),
        ))
    }

    /// `update`'s work once the lengths are checked: the stages across
    /// symbols, inlined into both copies of [`wide`](crate::dispatch::wide).
    #[inline(always)]
    fn stages(&mut self, bars: &[MarketBar<T>], out: &mut [f64]) -> usize {
        self.rejected.clear();
        self.validate(bars);
        let all_ok = self.rejected.is_empty();
        if !all_ok {
            self.drop_out_of_step();
        }

        // Smoothers, across symbols (vectorised once all are warmed up).
        let next = &mut self.next;
        self.rsi
            .advance_valid(&self.close, &self.ok, all_ok, &mut next.rsi);
        self.macd
            .advance_valid(&self.close, &self.ok, all_ok, &mut next.histogram);
        self.atr.advance_valid(
            &self.high,
            &self.low,
            &self.close,
            &self.ok,
            all_ok,
            &mut next.atr,
        );
        self.push_windows(bars);
        self.rules();
        self.combine(out);

        // Rejected symbols keep their last accepted bar.
        for &(i, _) in &self.rejected {
            for (last, next) in self.last.fields().into_iter().zip(self.next.fields()) {
                if let (Some(l), Some(x)) = (last.get(i), next.get_mut(i)) {
                    *x = *l;
                }
            }
            if let Some(o) = out.get_mut(i) {
                *o = f64::NAN;
            }
        }
        mem::swap(&mut self.last, &mut self.next);
        self.rejected.len()
    }

    /// Checks each bar as `ApexScorer::update` does (one combined test, the
    /// full checks only when it fails), records rejections, and copies the
    /// target prices into the per-field arrays.
    #[inline(always)]
    fn validate(&mut self, bars: &[MarketBar<T>]) {
        for (i, ((((((((((bar, ts), ok), h), l), c), v), sp), q), y), has_y)) in bars
            .iter()
            .zip(&mut self.last_timestamp)
            .zip(&mut self.ok)
            .zip(&mut self.high)
            .zip(&mut self.low)
            .zip(&mut self.close)
            .zip(&mut self.volume_in)
            .zip(&mut self.spy)
            .zip(&mut self.qqq)
            .zip(&mut self.yield_2y)
            .zip(&mut self.has_yield)
            .enumerate()
        {
            let in_order = ts.map_or(true, |p| bar.timestamp > p);
            *ok = bar.looks_valid() & in_order & in_range(bar);
            if !*ok {
                match check(*bar, *ts) {
                    Ok(()) => *ok = true,
                    Err(e) => self.rejected.push((i, e)),
                }
            }
            if *ok {
                *ts = Some(bar.timestamp);
            }
            let b = &bar.target;
            (*h, *l, *c, *v) = (b.high, b.low, b.close, b.volume);
            (*sp, *q) = (bar.spy, bar.qqq);
            (*y, *has_y) = bar.yield_2y.map_or((T::zero(), false), |y| (y, true));
            if !*ok {
                // A rejected bar reaches only its symbol's dropped lock-step
                // columns: keep them finite.
                let one = T::one();
                (*h, *l, *c, *v, *sp, *q, *y) = (one, one, one, one, one, one, one);
            }
        }
        for (x, c) in self.next.close.iter_mut().zip(&self.close) {
            *x = Float::to_f64(*c);
        }
    }

    /// A newly rejected symbol leaves the lock-step windows, with its state
    /// as before this bar.
    fn drop_out_of_step(&mut self) {
        for &(i, _) in &self.rejected {
            let Some(slot) = self.lost.get_mut(i) else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            if let (
                Some(breakout),
                Some(swing),
                Some(ratio),
                Some(relative),
                Some(yields),
                Some(volume),
            ) = (
                self.breakout.extract(i),
                self.swing.extract(i),
                self.ratio.extract(i),
                self.relative.extract(i),
                self.yields.extract(i),
                self.volume.extract(i),
            ) {
                *slot = Some(Box::new(ApexWindows {
                    swing,
                    volume,
                    closes: breakout,
                    ratio,
                    relative,
                    yields,
                }));
                self.stragglers.push(i);
            }
        }
        self.stragglers.sort_unstable();
    }

    /// Each accepted symbol's rolling windows, one kind at a time.
    #[allow(clippy::many_single_char_names)] // x: this bar's lanes; h, l, d, r, y: readings
    #[inline(always)]
    fn push_windows(&mut self, bars: &[MarketBar<T>]) {
        let min_swing = self.params.min_swing();
        let x = &mut self.next;
        let ok = &self.ok;
        self.breakout
            .step(&self.close, &mut x.range_high, &mut x.range_low);
        self.swing.step(
            &self.high,
            &self.low,
            &self.close,
            min_swing,
            &mut x.direction,
            &mut x.retracement,
        );
        self.relative.step(&self.close, &self.qqq, &mut x.relative);
        self.yields
            .step(&self.yield_2y, &self.has_yield, &mut x.yield_change);
        self.volume.step(&self.volume_in, &mut x.volume_ratio);
        self.ratio
            .step(&self.close, &self.spy, &mut x.ratio_distance);
        // Symbols out of step: their own windows, over the lock-step rows'
        // values for them.
        for &i in &self.stragglers {
            let (Some(w), Some(bar), Some(true)) = (
                self.lost.get_mut(i).and_then(Option::as_mut),
                bars.get(i),
                ok.get(i).copied(),
            ) else {
                continue;
            };
            let r = w.push(bar, min_swing);
            for (v, value) in [
                (&mut x.range_high, r.range_high),
                (&mut x.range_low, r.range_low),
                (&mut x.direction, r.direction),
                (&mut x.retracement, r.retracement),
                (&mut x.volume_ratio, r.volume_ratio),
                (&mut x.ratio_distance, r.ratio_distance),
                (&mut x.relative, r.relative),
                (&mut x.yield_change, r.yield_change),
            ] {
                if let Some(slot) = v.get_mut(i) {
                    *slot = value;
                }
            }
        }
    }

    /// The eight rules across symbols: the kernel's [`assemble`] for each
    /// symbol (with its previous close and histogram, from `last`), in one
    /// loop that vectorises.
    #[allow(clippy::indexing_slicing)] // every array is cut to `n` first
    #[inline(always)]
    fn rules(&mut self) {
        let cfg = *self.params.config();
        let (x, last) = (&mut self.next, &self.last);
        let n = x.close.len();
        assemble_each(
            &cfg,
            &last.close[..n],
            &last.histogram[..n],
            &x.close[..n],
            &x.rsi[..n],
            &x.histogram[..n],
            &x.atr[..n],
            &x.range_high[..n],
            &x.range_low[..n],
            &x.direction[..n],
            &x.retracement[..n],
            &x.volume_ratio[..n],
            &x.ratio_distance[..n],
            &x.relative[..n],
            &x.yield_change[..n],
            &mut x.natr[..n],
            &mut x.bar_direction[..n],
            x.subs.each_mut().map(|s| &mut s[..n]),
        );
    }
}

/// The kernel's [`assemble`] for each symbol `i`: its readings (entry `i`
/// of each input, [`SignalInputs`]' fields) and its previous close and
/// histogram give its outputs.
///
/// Every array is a parameter of its own, not a field of a struct, tuple
/// or array: each `&mut` parameter is then known not to overlap any other
/// array, so the loop vectorises without run-time overlap checks (with
/// eleven outputs they exceed the compiler's limit, and the loop ran
/// scalar: measured 2.2× slower).
#[allow(clippy::indexing_slicing)] // every array is cut to `n` first
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn assemble_each(
    cfg: &ApexConfig,
    prev_close: &[f64],
    prev_histogram: &[f64],
    close: &[f64],
    rsi: &[f64],
    histogram: &[f64],
    atr: &[f64],
    range_high: &[f64],
    range_low: &[f64],
    direction: &[f64],
    retracement: &[f64],
    volume_ratio: &[f64],
    ratio_distance: &[f64],
    relative: &[f64],
    yield_change: &[f64],
    natr: &mut [f64],
    bar_direction: &mut [f64],
    [s0, s1, s2, s3, s4, s5, s6, s7]: [&mut [f64]; 8],
) {
    let n = close.len();
    for i in 0..n {
        let x = SignalInputs {
            close: close[i],
            rsi: rsi[i],
            histogram: histogram[i],
            atr: atr[i],
            windows: WindowReadings {
                range_high: range_high[i],
                range_low: range_low[i],
                direction: direction[i],
                retracement: retracement[i],
                volume_ratio: volume_ratio[i],
                ratio_distance: ratio_distance[i],
                relative: relative[i],
                yield_change: yield_change[i],
            },
        };
        let o = assemble(cfg, &x, prev_close[i], prev_histogram[i]);
        (natr[i], bar_direction[i]) = (o.natr, o.bar_direction);
        [s0[i], s1[i], s2[i], s3[i], s4[i], s5[i], s6[i], s7[i]] = o.subs;
    }
}

impl<T: Float> ApexUniverse<T> {
    /// The composite value of each symbol's eight sub-scores.
    #[allow(clippy::indexing_slicing)] // every array is cut to `out.len()` first
    #[inline(always)]
    fn combine(&self, out: &mut [f64]) {
        let (weights, min_ready) = (self.weights, self.min_ready);
        let n = out.len().min(self.symbols());
        let out = &mut out[..n];
        let s = self.next.subs.each_ref().map(|v| &v[..n]);
        for i in 0..n {
            let subs = [
                s[0][i], s[1][i], s[2][i], s[3][i], s[4][i], s[5][i], s[6][i], s[7][i],
            ];
            out[i] = lane_value(&weights, min_ready, &subs);
        }
    }
}

impl<T: PartialEq> PartialEq for ApexUniverse<T> {
    /// Same configuration and the same state, bit for bit (the per-symbol
    /// arrays hold `NaN` for "none", which `==` on `f64` would call unequal).
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
            && self.rsi == other.rsi
            && self.macd == other.macd
            && self.atr == other.atr
            && self.breakout == other.breakout
            && self.swing == other.swing
            && self.relative == other.relative
            && self.yields == other.yields
            && self.volume == other.volume
            && self.lost == other.lost
            && self.ratio == other.ratio
            && self.last_timestamp == other.last_timestamp
            && self.last.same(&other.last)
    }
}

/// A lane of `f64`s with `NaN` for "none", saved as `Option`s (text
/// formats have no `NaN`).
#[cfg(feature = "serde")]
struct NanLane<'a>(&'a [f64]);

#[cfg(feature = "serde")]
impl serde::Serialize for NanLane<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|&x| some(x)))
    }
}

/// The names of a [`Lanes`]' 22 arrays, in `fields` order.
#[cfg(feature = "serde")]
const LANE_NAMES: [&str; 22] = [
    "close",
    "rsi",
    "histogram",
    "atr",
    "range_high",
    "range_low",
    "direction",
    "retracement",
    "volume_ratio",
    "ratio_distance",
    "relative",
    "yield_change",
    "natr",
    "bar_direction",
    "sub_rsi",
    "sub_macd",
    "sub_fib",
    "sub_volume",
    "sub_atr",
    "sub_vs_spy",
    "sub_vs_qqq",
    "sub_rates",
];

#[cfg(feature = "serde")]
impl serde::Serialize for Lanes {
    /// One array per field, named as in [`LANE_NAMES`], `null` for "none".
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Lanes", 22)?;
        for (name, lane) in LANE_NAMES.iter().zip(self.fields_ref()) {
            st.serialize_field(name, &NanLane(lane))?;
        }
        st.end()
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Lanes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};
        type Lane = Vec<Option<f64>>;
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = [Lane; 22];
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("the 22 lanes of an APEX universe's last bar")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut out: [Lane; 22] = Default::default();
                for (k, slot) in out.iter_mut().enumerate() {
                    *slot = a
                        .next_element()?
                        .ok_or_else(|| A::Error::invalid_length(k, &self))?;
                }
                Ok(out)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut a: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut out: [Option<Lane>; 22] = Default::default();
                while let Some(key) = a.next_key::<alloc::string::String>()? {
                    let k = LANE_NAMES
                        .iter()
                        .position(|n| *n == key)
                        .ok_or_else(|| A::Error::unknown_field(&key, &LANE_NAMES))?;
                    if let Some(slot) = out.get_mut(k) {
                        *slot = Some(a.next_value()?);
                    }
                }
                let mut lanes: [Lane; 22] = Default::default();
                for ((slot, lane), name) in lanes.iter_mut().zip(out).zip(LANE_NAMES) {
                    *slot = lane.ok_or_else(|| A::Error::missing_field(name))?;
                }
                Ok(lanes)
            }
        }
        let saved = d.deserialize_struct("Lanes", &LANE_NAMES, V)?;
        let n = saved.first().map_or(0, Vec::len);
        if saved.iter().any(|l| l.len() != n) {
            return Err(D::Error::custom(Error::InvalidState {
                reason: "APEX universe lanes of different lengths",
            }));
        }
        let mut lanes = Lanes::new(n);
        for (lane, values) in lanes.fields().into_iter().zip(saved) {
            for (x, v) in lane.iter_mut().zip(values) {
                *x = v.unwrap_or(f64::NAN);
            }
        }
        Ok(lanes)
    }
}

/// A straggler's windows as a checkpoint holds them: named and ordered
/// as the lock-step windows they left (`ApexWindows`' own form is the
/// scorer's).
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(rename = "LostWindows")]
#[serde(bound(deserialize = "T: Float + serde::Deserialize<'de>"))]
struct SavedLost<T> {
    breakout: RollingRange<T>,
    swing: RollingSwing<T>,
    ratio: RelativeRatio<T>,
    relative: RelativePerformance<T>,
    yields: Ring<T>,
    volume: VolumeZScore<T>,
}

/// The stragglers' windows (`None` for a symbol in step) in that form.
#[cfg(feature = "serde")]
struct Lost<'a, T>(&'a [Option<Box<ApexWindows<T>>>]);

/// One straggler's windows in that form.
#[cfg(feature = "serde")]
struct OneLost<'a, T>(&'a ApexWindows<T>);

#[cfg(feature = "serde")]
impl<T: Float + serde::Serialize> serde::Serialize for OneLost<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let w = self.0;
        let mut st = s.serialize_struct("LostWindows", 6)?;
        st.serialize_field("breakout", &w.closes)?;
        st.serialize_field("swing", &w.swing)?;
        st.serialize_field("ratio", &w.ratio)?;
        st.serialize_field("relative", &w.relative)?;
        st.serialize_field("yields", &w.yields)?;
        st.serialize_field("volume", &w.volume)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl<T: Float + serde::Serialize> serde::Serialize for Lost<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|w| w.as_deref().map(OneLost)))
    }
}

#[cfg(feature = "serde")]
impl<T> From<SavedLost<T>> for ApexWindows<T> {
    fn from(w: SavedLost<T>) -> Self {
        ApexWindows {
            swing: w.swing,
            volume: w.volume,
            closes: w.breakout,
            ratio: w.ratio,
            relative: w.relative,
            yields: w.yields,
        }
    }
}

#[cfg(feature = "serde")]
impl<T: Float + serde::Serialize> serde::Serialize for ApexUniverse<T> {
    /// See "Checkpoints".
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ApexUniverse", 13)?;
        st.serialize_field("config", self.params.config())?;
        st.serialize_field("rsi", &self.rsi)?;
        st.serialize_field("macd", &self.macd)?;
        st.serialize_field("atr", &self.atr)?;
        st.serialize_field("breakout", &self.breakout)?;
        st.serialize_field("swing", &self.swing)?;
        st.serialize_field("relative", &self.relative)?;
        st.serialize_field("yields", &self.yields)?;
        st.serialize_field("volume", &self.volume)?;
        st.serialize_field("ratio", &self.ratio)?;
        st.serialize_field("lost", &Lost(&self.lost))?;
        st.serialize_field("last_timestamp", &self.last_timestamp)?;
        st.serialize_field("last", &self.last)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl<'de, T: Float + serde::Deserialize<'de>> serde::Deserialize<'de> for ApexUniverse<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        #[serde(rename = "ApexUniverse")]
        #[serde(bound(deserialize = "T: Float + serde::Deserialize<'de>"))]
        struct Repr<T> {
            config: ApexConfig,
            rsi: RsiUniverse<T>,
            macd: MacdUniverse<T>,
            atr: AtrUniverse<T>,
            breakout: RangeLanes<T>,
            swing: SwingLanes<T>,
            relative: RelativeLanes<T>,
            yields: YieldLanes<T>,
            volume: VolumeLanes<T>,
            ratio: RatioLanes<T>,
            lost: Vec<Option<Box<SavedLost<T>>>>,
            last_timestamp: Vec<Option<i64>>,
            last: Lanes,
        }
        let r: Repr<T> = Repr::deserialize(d)?;
        let params = ApexParams::new(&r.config).map_err(D::Error::custom)?;
        let stages = Stages {
            rsi: r.rsi,
            macd: r.macd,
            atr: r.atr,
            breakout: r.breakout,
            swing: r.swing,
            relative: r.relative,
            yields: r.yields,
            volume: r.volume,
            ratio: r.ratio,
            lost: r
                .lost
                .into_iter()
                .map(|w| w.map(|w| Box::new(ApexWindows::from(*w))))
                .collect(),
            last_timestamp: r.last_timestamp,
            last: r.last,
        };
        stages.check(&r.config).map_err(D::Error::custom)?;
        Ok(ApexUniverse::assemble(params, stages))
    }
}

#[cfg(feature = "serde")]
impl<T: Float> Stages<T> {
    /// `Ok` if this is the state of a universe with `config`: one entry
    /// per symbol everywhere, every stage with the configured periods, the
    /// lock-step windows (each column checked as its single window is) all
    /// after the same number of bars, each straggler's windows consistent,
    /// and each symbol's indicator counts, last timestamp and last
    /// readings consistent with the bars it has taken: all of them while
    /// it is in step, its own windows' count once it is not.
    fn check(&self, config: &ApexConfig) -> Result<()> {
        let p = &config.periods;
        let n = self.last_timestamp.len();
        ApexUniverse::<T>::size(n, config)?;
        let bars = self.swing.count();
        let (bn, blen, pos, full) = self.breakout.shape();
        state_ok(
            self.rsi.symbols() == n
                && self.rsi.period() == p.rsi
                && self.macd.symbols() == n
                && self.macd.periods() == (p.macd_fast, p.macd_slow, p.macd_signal)
                && self.atr.symbols() == n
                && self.atr.period() == p.atr
                && self.swing.shape() == (n, p.fibonacci)
                && (bn, blen) == (n, p.breakout)
                && pos as u64 == bars % p.breakout as u64
                && full == (bars >= p.breakout as u64)
                && self.lost.len() == n
                && self.last.close.len() == n,
            "APEX universe stages inconsistent with the configuration",
        )?;
        self.relative.check(n, p.relative, bars)?;
        self.yields.check(n, p.rates, bars)?;
        self.volume.check(n, p.volume, bars)?;
        self.ratio.check(n, p.ratio, bars)?;
        let rsi = self.rsi.counts();
        let (macd, signal) = self.macd.counts();
        let atr = self.atr.counts();
        for (i, lost) in self.lost.iter().enumerate() {
            // A straggler left before the lock-step windows' last step.
            let taken = match lost {
                Some(w) => {
                    let c = w.count(p)?;
                    state_ok(c < bars, "APEX universe straggler ahead of the others")?;
                    c
                }
                None => bars,
            };
            let upto = |k: usize| usize::try_from(taken.min(k as u64)).unwrap_or(k);
            let signals = upto(p.macd_slow + p.macd_signal - 1)
                .saturating_sub(p.macd_slow - 1)
                .min(p.macd_signal);
            let (x, o) = self.last.row(i);
            let readings = ApexReadings::from_lanes(&x, &o);
            state_ok(
                rsi.get(i) == Some(&upto(p.rsi + 1))
                    && macd.get(i) == Some(&upto(p.macd_slow))
                    && signal.get(i) == Some(&signals)
                    && atr.get(i) == Some(&upto(p.atr + 1))
                    && self
                        .last_timestamp
                        .get(i)
                        .is_some_and(|t| t.is_some() == (taken > 0))
                    && self.last.close.get(i).is_some_and(|&c| {
                        if taken == 0 {
                            c.is_nan()
                        } else {
                            c.is_finite() && c > 0.0
                        }
                    })
                    && readings.check().is_ok()
                    && (taken > 0 || readings == ApexReadings::default())
                    && o.subs
                        .iter()
                        .all(|&s| s.is_nan() || (-1.0..=1.0).contains(&s)),
                "APEX universe symbol inconsistent with the bars it has taken",
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::cast_precision_loss)]
mod tests {
    use super::*;
    use crate::Bar;

    /// A random market for `n` symbols with some bad bars (a `NaN` close,
    /// `high < low`), stale timestamps and missing yields, so that the
    /// warm-up, the lock-step windows and the stragglers' windows all run.
    fn market(n: usize, steps: usize) -> Vec<Vec<MarketBar<f64>>> {
        let mut next = crate::testing::uniform(0x9E37_79B9_7F4A_7C15_u64);
        let mut close: Vec<f64> = (0..n).map(|i| 20.0 + i as f64).collect();
        let (mut spy, mut qqq, mut y) = (400.0, 350.0, 4.0);
        (0..steps)
            .map(|t| {
                spy *= 1.0 + (next() - 0.5) * 0.02;
                qqq *= 1.0 + (next() - 0.5) * 0.025;
                y += (next() - 0.5) * 0.05;
                let day = i64::try_from(t).unwrap() * 86_400;
                let yield_2y = (t % 53 > 2).then_some(y);
                close
                    .iter_mut()
                    .map(|c| {
                        let open = *c;
                        *c *= 1.0 + (next() - 0.5) * 0.06;
                        let mut bar = Bar::new(
                            open,
                            open.max(*c) * (1.0 + next() * 0.01),
                            open.min(*c) * (1.0 - next() * 0.01),
                            *c,
                            1e5 * (1.0 + 3.0 * next() * next()),
                        );
                        let r = next();
                        if r < 0.002 {
                            bar.close = f64::NAN;
                        } else if r < 0.004 {
                            bar.low = bar.high + 1.0;
                        }
                        let ts = if r > 0.998 { day - 86_400 } else { day };
                        MarketBar::new(ts, bar, spy, qqq, yield_2y)
                    })
                    .collect()
            })
            .collect()
    }

    /// The run-time dispatched stages (on a CPU with AVX2, the AVX2 clone)
    /// give the same scores and state, bit for bit, as the baseline stages
    /// compiled into this test. (Without AVX2 both are the baseline.)
    #[test]
    fn dispatched_stages_equal_the_baseline() {
        let n = 45; // not a multiple of any vector width
        let mut dispatched = ApexUniverse::<f64>::new(n, ApexConfig::default()).unwrap();
        let mut baseline = dispatched.clone();
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        let mut scored = 0;
        for bars in market(n, 400) {
            let rejected = dispatched.update(&bars, &mut a).unwrap();
            assert_eq!(rejected, baseline.stages(&bars, &mut b));
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x.to_bits(), y.to_bits());
            }
            assert!(dispatched == baseline);
            scored += a.iter().filter(|x| !x.is_nan()).count();
        }
        // Most symbol-bars were scored, not only warm-up `NaN`s compared.
        assert!(scored > n * 300, "{scored}");
    }
}
