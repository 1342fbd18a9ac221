//! Universe forms: one call updates the same indicator for N symbols.
//!
//! A scanner over the Russell 2000 updates ~2,000 symbols every bar. Running
//! 2,000 streaming instances one after another is latency-bound: each update
//! waits for the previous value of its own series. The universe forms keep
//! each state field in its own array (struct of arrays) and update all
//! symbols in one pass, so the CPU overlaps independent symbols and the
//! compiler vectorises the warmed-up path across them.
//!
//! Every universe form gives **exactly** (bit for bit) the values of N
//! independent streaming instances fed the same inputs, and keeps the
//! bad-input rule per symbol: a bad value for one symbol is reported in
//! [`rejected`](RsiUniverse::rejected), produces `NaN` in its output slot and
//! leaves that symbol's state unchanged, without disturbing the others.
//!
//! Output slots hold `NaN` while a symbol warms up or when its input was
//! rejected: `NaN` is the "no value" marker of these slice APIs (the
//! streaming API uses `Option`).
//!
//! # Examples
//!
//! ```
//! use apex_ta::{Indicator, Rsi, RsiUniverse};
//! # fn main() -> apex_ta::Result<()> {
//! let mut universe = RsiUniverse::<f64>::new(3, 14)?;
//! let mut singles = vec![Rsi::<f64>::new(14)?; 3];
//! let mut out = [0.0; 3];
//! for t in 0..40 {
//!     let closes = [100.0 + (t % 5) as f64, 50.0 - (t % 3) as f64, 10.0 + t as f64];
//!     universe.update(&closes, &mut out)?;
//!     for (i, rsi) in singles.iter_mut().enumerate() {
//!         let single = rsi.update(closes[i])?.unwrap_or(f64::NAN);
//!         assert!(single.to_bits() == out[i].to_bits());
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! On x86-64 with `std`, the warmed-up loops run in a copy compiled with AVX2
//! when the CPU has it (same values bit for bit; see `dispatch.rs`).

// The hot loops are inlined into both copies of `dispatch::wide`.
#![allow(clippy::inline_always)]

use alloc::vec;
use alloc::vec::Vec;

use crate::dispatch::wide;
use crate::error::check_period;
use crate::float::is_finite_fast;
use crate::indicators::{
    atr_steady, atr_step, macd_steady, macd_step, rsi_steady, rsi_step, MacdParams,
};
use crate::{Bar, Error, Float, Indicator, MacdOutput, Result, VolumeZScore, VolumeZScoreOutput};

fn check_len(name: &'static str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            name,
            expected,
            got,
        })
    }
}

use crate::error::check_symbols;
use crate::window::{state_ok, Invariants};

/// Branch-free "every value is finite" (vectorises; no early exit).
#[inline(always)]
fn all_finite<T: Float>(xs: &[T]) -> bool {
    xs.iter().fold(true, |ok, &x| ok & is_finite_fast(x))
}

/// The universe forms' hot path: `step()` if `check()` (every input good),
/// both in [`wide`]'s AVX2 copy where the CPU has it. Whether it stepped.
/// The closures must be `#[inline(always)]` too, or they stay baseline code.
#[inline(always)]
fn wide_step_if(check: impl FnOnce() -> bool, step: impl FnOnce()) -> bool {
    wide(
        #[inline(always)]
        || {
            let good = check();
            if good {
                step();
            }
            good
        },
    )
}

/// Records each non-finite close as rejected (the per-symbol path skips it).
fn reject_non_finite<T: Float>(closes: &[T], rejected: &mut Vec<(usize, Error)>) {
    for (i, &c) in closes.iter().enumerate() {
        if !c.is_finite() {
            let value = c.to_f64();
            rejected.push((
                i,
                Error::NonFinite {
                    field: "close",
                    value,
                },
            ));
        }
    }
}

/// The warmed-up RSI step over all symbols, each value through `emit`.
/// Indexed over re-sliced, equal-length slices so the bounds checks vanish
/// and the loop vectorises.
#[allow(clippy::indexing_slicing)] // all slices are cut to `n` first
#[inline(always)]
fn rsi_hot<T: Float, O>(
    alpha: T,
    closes: &[T],
    prev: &mut [T],
    gain: &mut [T],
    loss: &mut [T],
    out: &mut [O],
    emit: impl Fn(T) -> O,
) {
    let n = closes.len();
    let (prev, gain, loss, out) = (
        &mut prev[..n],
        &mut gain[..n],
        &mut loss[..n],
        &mut out[..n],
    );
    for i in 0..n {
        out[i] = emit(rsi_steady(
            alpha,
            &mut prev[i],
            &mut gain[i],
            &mut loss[i],
            closes[i],
        ));
    }
}

/// The bars of N symbols for one time step, one slice per field.
#[derive(Debug, Clone, Copy)]
pub struct BarSlices<'a, T = f64> {
    /// Opens, one per symbol.
    pub open: &'a [T],
    /// Highs.
    pub high: &'a [T],
    /// Lows.
    pub low: &'a [T],
    /// Closes.
    pub close: &'a [T],
    /// Volumes.
    pub volume: &'a [T],
}

impl<T: Float> BarSlices<'_, T> {
    fn check(&self, n: usize) -> Result<()> {
        check_len("open", n, self.open.len())?;
        check_len("high", n, self.high.len())?;
        check_len("low", n, self.low.len())?;
        check_len("close", n, self.close.len())?;
        check_len("volume", n, self.volume.len())
    }
    fn bar(&self, i: usize) -> Option<Bar<T>> {
        Some(Bar::new(
            *self.open.get(i)?,
            *self.high.get(i)?,
            *self.low.get(i)?,
            *self.close.get(i)?,
            *self.volume.get(i)?,
        ))
    }
    /// Every bar valid, checked branch-free (the common case).
    // Bitwise `&` on purpose: no early exit, so the loop vectorises.
    #[allow(clippy::needless_bitwise_bool)]
    #[inline(always)]
    fn all_valid(&self) -> bool {
        let mut ok = true;
        for ((((&o, &h), &l), &c), &v) in self
            .open
            .iter()
            .zip(self.high)
            .zip(self.low)
            .zip(self.close)
            .zip(self.volume)
        {
            // `Bar::looks_valid`'s test, in float operations only (SSE2 has
            // no 64-bit integer compare): NaN fails every comparison, a
            // finite `high − low` makes `low` and `high` (and so `open` and
            // `close`) finite, and `volume − volume == 0` makes it finite.
            // A `false` only sends this bar to the per-symbol path.
            ok &= (l <= o)
                & (o <= h)
                & (l <= c)
                & (c <= h)
                & is_finite_fast(h - l)
                & (v >= T::zero())
                & is_finite_fast(v);
        }
        ok
    }
}

/// Implements `Deserialize` for a universe form as `checked_deserialize!`
/// does (a private mirror struct, then the type's `Invariants::check`),
/// for every field but `rejected`: the report of the last `update` is not
/// part of a checkpoint, and a restored universe starts with none.
macro_rules! checked_universe {
    ($name:ident<T> { $($field:ident : $ty:ty),* $(,)? }) => {
        #[cfg(feature = "serde")]
        const _: () = {
            use serde::de::{Deserialize, Deserializer, Error as _};
            #[derive(serde::Deserialize)]
            #[serde(bound(deserialize = "T: crate::Float + serde::Deserialize<'de>"))]
            struct Repr<T> { $($field: $ty),* }
            impl<'de, T: Float + Deserialize<'de>> Deserialize<'de> for $name<T> {
                fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
                    let Repr { $($field),* } = Repr::<T>::deserialize(d)?;
                    let mut v = $name { $($field,)* rejected: Vec::new() };
                    Invariants::check(&v).map_err(D::Error::custom)?;
                    v.rejected = Vec::with_capacity(v.symbols());
                    Ok(v)
                }
            }
        };
    };
}

/// `Ok` if a universe's per-symbol arrays (`lanes`) have one entry per
/// symbol, for 1 to [`MAX_SYMBOLS`](crate::MAX_SYMBOLS) symbols.
fn lanes_ok(lanes: &[usize]) -> Result<()> {
    let n = lanes.first().copied().unwrap_or(0);
    state_ok(
        check_symbols(n).is_ok() && lanes.iter().all(|&l| l == n),
        "universe arrays' lengths differ or are out of range",
    )
}

/// The symbols still warming up, as a universe counts them.
fn warming_count<'a>(warming: impl Iterator<Item = &'a usize>, ready_at: usize) -> usize {
    warming.filter(|&&s| s < ready_at).count()
}

macro_rules! universe_common {
    () => {
        /// Number of symbols.
        pub fn symbols(&self) -> usize {
            self.ready_len()
        }
        /// The symbols whose input the last `update` rejected, with why.
        /// Their state is unchanged and their output slot is `NaN`.
        pub fn rejected(&self) -> &[(usize, Error)] {
            &self.rejected
        }
    };
}

/// [`Rsi`](crate::Rsi) for N symbols at once; see the [module docs](self).
///
/// # Errors
///
/// `new` rejects 0 symbols or period 0. `update` returns
/// [`Error::LengthMismatch`] (state unchanged) when a slice's length is not
/// the number of symbols; otherwise `Ok(k)` with `k` rejected symbols.
///
/// # Checkpoints
///
/// With the `serde` feature the universe serialises its period and every
/// symbol's RSI state (count, previous close, average gain and loss), one
/// array per field, and the count of symbols warming up. Deserialising
/// re-validates: the period and its α, one entry per symbol in every
/// array, each symbol's state as [`Rsi`](crate::Rsi)'s checkpoint checks
/// it, and the warming count. The last update's
/// [`rejected`](Self::rejected) list is not saved (a restored universe
/// reports none until its next `update`). A restored universe continues
/// bit for bit, provided the format round-trips floats exactly (postcard,
/// bincode, or `serde_json` with its `float_roundtrip` feature).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RsiUniverse<T = f64> {
    period: usize,
    alpha: T,
    seen: Vec<usize>,
    prev: Vec<T>,
    gain: Vec<T>,
    loss: Vec<T>,
    /// Symbols not yet warmed up.
    warming: usize,
    #[cfg_attr(feature = "serde", serde(skip))]
    rejected: Vec<(usize, Error)>,
}
checked_universe!(RsiUniverse<T> {
    period: usize,
    alpha: T,
    seen: Vec<usize>,
    prev: Vec<T>,
    gain: Vec<T>,
    loss: Vec<T>,
    warming: usize,
});

impl<T: Float> Invariants for RsiUniverse<T> {
    fn check(&self) -> Result<()> {
        let p = self.period;
        state_ok(
            (1..=crate::MAX_PERIOD).contains(&p) && self.alpha == T::one() / T::from_usize(p),
            "RSI universe period or alpha invalid",
        )?;
        lanes_ok(&[
            self.seen.len(),
            self.prev.len(),
            self.gain.len(),
            self.loss.len(),
        ])?;
        // As `Rsi`'s own check, symbol by symbol.
        state_ok(
            self.seen.iter().all(|&s| s <= p + 1)
                && all_finite(&self.prev)
                && self
                    .gain
                    .iter()
                    .chain(&self.loss)
                    .all(|&x| x.is_finite() && x >= T::zero()),
            "RSI universe state invalid",
        )?;
        state_ok(
            self.warming == warming_count(self.seen.iter(), p + 1),
            "RSI universe warming count wrong",
        )
    }
}

impl<T: Float> RsiUniverse<T> {
    /// RSI(`period`) for `symbols` symbols.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for 0 symbols or period 0.
    pub fn new(symbols: usize, period: usize) -> Result<Self> {
        let n = check_symbols(symbols)?;
        let period = check_period("period", period, 1)?;
        Ok(RsiUniverse {
            period,
            alpha: T::one() / T::from_usize(period),
            seen: vec![0; n],
            prev: vec![T::zero(); n],
            gain: vec![T::zero(); n],
            loss: vec![T::zero(); n],
            warming: n,
            rejected: Vec::with_capacity(n),
        })
    }
    fn ready_len(&self) -> usize {
        self.seen.len()
    }
    universe_common!();
    /// The period n.
    pub fn period(&self) -> usize {
        self.period
    }
    /// Inputs before a symbol's first value, as [`Rsi::lookback`](crate::Indicator::lookback).
    pub fn lookback(&self) -> usize {
        self.period
    }
    /// Whether `symbol` is warmed up (`false` for an unknown symbol).
    pub fn is_ready(&self, symbol: usize) -> bool {
        self.seen.get(symbol).is_some_and(|&s| s > self.period)
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        let n = self.seen.len();
        self.seen.fill(0);
        self.prev.fill(T::zero());
        self.gain.fill(T::zero());
        self.loss.fill(T::zero());
        self.warming = n;
        self.rejected.clear();
    }
    /// Feeds one close per symbol; writes each symbol's RSI (or `NaN`) to `out`.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if `closes` or `out` is not one per symbol;
    /// nothing is changed then. Per-symbol bad input is not an error of the
    /// call: see [`rejected`](Self::rejected).
    pub fn update(&mut self, closes: &[T], out: &mut [T]) -> Result<usize> {
        let n = self.seen.len();
        check_len("closes", n, closes.len())?;
        check_len("out", n, out.len())?;
        self.rejected.clear();
        // Hot path: every symbol warmed up, every input good.
        let (alpha, prev, gain, loss) =
            (self.alpha, &mut self.prev, &mut self.gain, &mut self.loss);
        if self.warming == 0
            && wide_step_if(
                #[inline(always)]
                || all_finite(closes),
                #[inline(always)]
                || rsi_hot(alpha, closes, prev, gain, loss, out, |x| x),
            )
        {
            return Ok(0);
        }
        reject_non_finite(closes, &mut self.rejected);
        self.step_each(
            closes,
            |_| true,
            out,
            T::nan(),
            |v| v.unwrap_or_else(T::nan),
        );
        Ok(self.rejected.len())
    }
    /// The per-symbol path (warm-up, or some inputs unusable): symbol `i`
    /// steps where its close is finite and `usable(i)`; elsewhere its state
    /// is unchanged and its slot gets `skipped`. `emit` turns a step's
    /// result into an output.
    fn step_each<O>(
        &mut self,
        closes: &[T],
        usable: impl Fn(usize) -> bool,
        out: &mut [O],
        skipped: O,
        emit: impl Fn(Option<T>) -> O,
    ) where
        O: Copy,
    {
        let (period, alpha) = (self.period, self.alpha);
        for (i, (((((&c, s), p), g), l), o)) in closes
            .iter()
            .zip(&mut self.seen)
            .zip(&mut self.prev)
            .zip(&mut self.gain)
            .zip(&mut self.loss)
            .zip(out.iter_mut())
            .enumerate()
        {
            if !(c.is_finite() && usable(i)) {
                *o = skipped;
                continue;
            }
            let was_warming = *s <= period;
            *o = emit(rsi_step(period, alpha, s, p, g, l, c));
            if was_warming && *s > period {
                self.warming -= 1;
            }
        }
    }
    /// The APEX universe's step: `closes` are valid where `ok` (checked by
    /// the caller); the other symbols are skipped (state unchanged, output
    /// `NaN`). Writes each RSI as `f64`, `NaN` while warming up.
    #[inline(always)]
    pub(crate) fn advance_valid(
        &mut self,
        closes: &[T],
        ok: &[bool],
        all_ok: bool,
        out: &mut [f64],
    ) {
        if self.warming == 0 && all_ok {
            let (prev, gain, loss) = (&mut self.prev, &mut self.gain, &mut self.loss);
            rsi_hot(self.alpha, closes, prev, gain, loss, out, Float::to_f64);
            return;
        }
        let usable = |i: usize| ok.get(i).copied().unwrap_or(false);
        self.step_each(closes, usable, out, f64::NAN, |v| {
            v.map_or(f64::NAN, Float::to_f64)
        });
    }
}

/// [`Macd`](crate::Macd) for N symbols at once; see the [module docs](self).
///
/// Outputs are [`MacdOutput`]s whose fields are `NaN` while a symbol warms up
/// or when its input was rejected.
///
/// # Checkpoints
///
/// As [`RsiUniverse`]'s: the periods and smoothing factors, every symbol's
/// MACD state (counts, fast, slow and signal EMAs), one array per field,
/// and the warming count, re-validated as [`Macd`](crate::Macd)'s
/// checkpoint is; [`rejected`](Self::rejected) is not saved.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MacdUniverse<T = f64> {
    params: MacdParams<T>,
    count: Vec<usize>,
    fast: Vec<T>,
    slow: Vec<T>,
    signal_count: Vec<usize>,
    signal: Vec<T>,
    warming: usize,
    #[cfg_attr(feature = "serde", serde(skip))]
    rejected: Vec<(usize, Error)>,
}
checked_universe!(MacdUniverse<T> {
    params: MacdParams<T>,
    count: Vec<usize>,
    fast: Vec<T>,
    slow: Vec<T>,
    signal_count: Vec<usize>,
    signal: Vec<T>,
    warming: usize,
});

impl<T: Float> Invariants for MacdUniverse<T> {
    fn check(&self) -> Result<()> {
        let p = self.params;
        p.check()?;
        lanes_ok(&[
            self.count.len(),
            self.fast.len(),
            self.slow.len(),
            self.signal_count.len(),
            self.signal.len(),
        ])?;
        // As `Macd`'s own check, symbol by symbol.
        state_ok(
            self.count
                .iter()
                .zip(&self.signal_count)
                .all(|(&c, &g)| c <= p.slow && g <= p.signal && (g == 0) == (c < p.slow))
                && all_finite(&self.fast)
                && all_finite(&self.slow)
                && all_finite(&self.signal),
            "MACD universe state invalid",
        )?;
        state_ok(
            self.warming == warming_count(self.signal_count.iter(), p.signal),
            "MACD universe warming count wrong",
        )
    }
}

impl<T: Float> MacdUniverse<T> {
    /// MACD(`fast`, `slow`, `signal`) for `symbols` symbols.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for 0 symbols or invalid periods (as
    /// [`Macd::new`](crate::Macd::new)).
    pub fn new(symbols: usize, fast: usize, slow: usize, signal: usize) -> Result<Self> {
        let n = check_symbols(symbols)?;
        Ok(MacdUniverse {
            params: MacdParams::new(fast, slow, signal)?,
            count: vec![0; n],
            fast: vec![T::zero(); n],
            slow: vec![T::zero(); n],
            signal_count: vec![0; n],
            signal: vec![T::zero(); n],
            warming: n,
            rejected: Vec::with_capacity(n),
        })
    }
    fn ready_len(&self) -> usize {
        self.count.len()
    }
    universe_common!();
    /// Inputs before a symbol's first value.
    pub fn lookback(&self) -> usize {
        self.params.lookback()
    }
    /// Whether `symbol` is warmed up.
    pub fn is_ready(&self, symbol: usize) -> bool {
        self.signal_count
            .get(symbol)
            .is_some_and(|&s| s == self.params.signal)
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        let n = self.count.len();
        self.count.fill(0);
        self.signal_count.fill(0);
        for v in [&mut self.fast, &mut self.slow, &mut self.signal] {
            v.fill(T::zero());
        }
        self.warming = n;
        self.rejected.clear();
    }
    /// Feeds one close per symbol; writes each symbol's MACD to `out`.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if a slice is not one per symbol (nothing
    /// changed).
    pub fn update(&mut self, closes: &[T], out: &mut [MacdOutput<T>]) -> Result<usize> {
        let n = self.count.len();
        check_len("closes", n, closes.len())?;
        check_len("out", n, out.len())?;
        self.rejected.clear();
        if self.warming == 0
            && wide_step_if(
                #[inline(always)]
                || all_finite(closes),
                #[inline(always)]
                || self.steady_all(closes, out, |m| m),
            )
        {
            return Ok(0);
        }
        reject_non_finite(closes, &mut self.rejected);
        let none = MacdOutput {
            macd: T::nan(),
            signal: T::nan(),
            histogram: T::nan(),
        };
        self.step_each(closes, |_| true, out, none, |m| m.unwrap_or(none));
        Ok(self.rejected.len())
    }
    /// Every symbol warmed up and every input good: the vectorised step.
    #[inline(always)]
    fn steady_all<O>(&mut self, closes: &[T], out: &mut [O], emit: impl Fn(MacdOutput<T>) -> O) {
        let p = self.params;
        for ((((&x, f), s), g), o) in closes
            .iter()
            .zip(&mut self.fast)
            .zip(&mut self.slow)
            .zip(&mut self.signal)
            .zip(out.iter_mut())
        {
            *o = emit(macd_steady(&p, f, s, g, x));
        }
    }
    /// The per-symbol path (see `RsiUniverse::step_each`).
    fn step_each<O>(
        &mut self,
        closes: &[T],
        usable: impl Fn(usize) -> bool,
        out: &mut [O],
        skipped: O,
        emit: impl Fn(Option<MacdOutput<T>>) -> O,
    ) where
        O: Copy,
    {
        let p = self.params;
        for (i, ((((((&x, c), f), s), gc), g), o)) in closes
            .iter()
            .zip(&mut self.count)
            .zip(&mut self.fast)
            .zip(&mut self.slow)
            .zip(&mut self.signal_count)
            .zip(&mut self.signal)
            .zip(out.iter_mut())
            .enumerate()
        {
            if !(x.is_finite() && usable(i)) {
                *o = skipped;
                continue;
            }
            let was_warming = *gc < p.signal;
            *o = emit(macd_step(&p, c, f, s, gc, g, x));
            if was_warming && *gc == p.signal {
                self.warming -= 1;
            }
        }
    }
    /// The APEX universe's step (see `RsiUniverse::advance_valid`): writes
    /// each symbol's MACD histogram as `f64`, `NaN` while warming up.
    #[inline(always)]
    pub(crate) fn advance_valid(
        &mut self,
        closes: &[T],
        ok: &[bool],
        all_ok: bool,
        out: &mut [f64],
    ) {
        let histogram = |m: MacdOutput<T>| m.histogram.to_f64();
        if self.warming == 0 && all_ok {
            self.steady_all(closes, out, histogram);
            return;
        }
        let usable = |i: usize| ok.get(i).copied().unwrap_or(false);
        self.step_each(closes, usable, out, f64::NAN, |m| {
            m.map_or(f64::NAN, histogram)
        });
    }
}

/// [`Atr`](crate::Atr) for N symbols at once; see the [module docs](self).
///
/// Each symbol's bar is validated as [`Bar::validate`] does; an invalid bar
/// is rejected for that symbol only.
///
/// # Checkpoints
///
/// As [`RsiUniverse`]'s: the period and its α, every symbol's ATR state
/// (count, previous close, ATR), one array per field, and the warming
/// count, re-validated as [`Atr`](crate::Atr)'s checkpoint is;
/// [`rejected`](Self::rejected) is not saved.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AtrUniverse<T = f64> {
    period: usize,
    alpha: T,
    seen: Vec<usize>,
    prev_close: Vec<T>,
    atr: Vec<T>,
    warming: usize,
    #[cfg_attr(feature = "serde", serde(skip))]
    rejected: Vec<(usize, Error)>,
}
checked_universe!(AtrUniverse<T> {
    period: usize,
    alpha: T,
    seen: Vec<usize>,
    prev_close: Vec<T>,
    atr: Vec<T>,
    warming: usize,
});

impl<T: Float> Invariants for AtrUniverse<T> {
    fn check(&self) -> Result<()> {
        let p = self.period;
        state_ok(
            (1..=crate::MAX_PERIOD).contains(&p) && self.alpha == T::one() / T::from_usize(p),
            "ATR universe period or alpha invalid",
        )?;
        lanes_ok(&[self.seen.len(), self.prev_close.len(), self.atr.len()])?;
        // As `Atr`'s own check, symbol by symbol.
        state_ok(
            self.seen.iter().all(|&s| s <= p + 1)
                && all_finite(&self.prev_close)
                && self.atr.iter().all(|&x| x.is_finite() && x >= T::zero()),
            "ATR universe state invalid",
        )?;
        state_ok(
            self.warming == warming_count(self.seen.iter(), p + 1),
            "ATR universe warming count wrong",
        )
    }
}

impl<T: Float> AtrUniverse<T> {
    /// ATR(`period`) for `symbols` symbols.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for 0 symbols or period 0.
    pub fn new(symbols: usize, period: usize) -> Result<Self> {
        let n = check_symbols(symbols)?;
        let period = check_period("period", period, 1)?;
        Ok(AtrUniverse {
            period,
            alpha: T::one() / T::from_usize(period),
            seen: vec![0; n],
            prev_close: vec![T::zero(); n],
            atr: vec![T::zero(); n],
            warming: n,
            rejected: Vec::with_capacity(n),
        })
    }
    fn ready_len(&self) -> usize {
        self.seen.len()
    }
    universe_common!();
    /// Inputs before a symbol's first value.
    pub fn lookback(&self) -> usize {
        self.period
    }
    /// Whether `symbol` is warmed up.
    pub fn is_ready(&self, symbol: usize) -> bool {
        self.seen.get(symbol).is_some_and(|&s| s > self.period)
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        let n = self.seen.len();
        self.seen.fill(0);
        self.prev_close.fill(T::zero());
        self.atr.fill(T::zero());
        self.warming = n;
        self.rejected.clear();
    }
    /// Feeds one bar per symbol; writes each symbol's ATR (or `NaN`) to `out`.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if a slice is not one per symbol (nothing
    /// changed).
    pub fn update(&mut self, bars: BarSlices<'_, T>, out: &mut [T]) -> Result<usize> {
        let n = self.seen.len();
        bars.check(n)?;
        check_len("out", n, out.len())?;
        self.rejected.clear();
        let (high, low, close) = (bars.high, bars.low, bars.close);
        if self.warming == 0
            && wide_step_if(
                #[inline(always)]
                || bars.all_valid(),
                #[inline(always)]
                || self.steady_all(high, low, close, out, |x| x),
            )
        {
            return Ok(0);
        }
        for i in 0..n {
            if let Some(Err(e)) = bars.bar(i).map(|b| b.validate()) {
                self.rejected.push((i, e));
            }
        }
        let usable = |i: usize| bars.bar(i).is_some_and(|b| b.validate().is_ok());
        self.step_each(high, low, close, usable, out, T::nan(), |v| {
            v.unwrap_or_else(T::nan)
        });
        Ok(self.rejected.len())
    }
    /// Every symbol warmed up and every bar valid: the vectorised step.
    #[inline(always)]
    fn steady_all<O>(
        &mut self,
        high: &[T],
        low: &[T],
        close: &[T],
        out: &mut [O],
        emit: impl Fn(T) -> O,
    ) {
        let alpha = self.alpha;
        for (((((&h, &l), &c), pc), a), o) in high
            .iter()
            .zip(low)
            .zip(close)
            .zip(&mut self.prev_close)
            .zip(&mut self.atr)
            .zip(out.iter_mut())
        {
            *o = emit(atr_steady(alpha, pc, a, h, l, c));
        }
    }
    /// The per-symbol path (see `RsiUniverse::step_each`): symbol `i` steps
    /// where `usable(i)` (its bar valid).
    #[allow(clippy::too_many_arguments)] // three price slices, the rule, the output
    fn step_each<O>(
        &mut self,
        high: &[T],
        low: &[T],
        close: &[T],
        usable: impl Fn(usize) -> bool,
        out: &mut [O],
        skipped: O,
        emit: impl Fn(Option<T>) -> O,
    ) where
        O: Copy,
    {
        let (period, alpha) = (self.period, self.alpha);
        for (i, ((((((&h, &l), &c), s), pc), a), o)) in high
            .iter()
            .zip(low)
            .zip(close)
            .zip(&mut self.seen)
            .zip(&mut self.prev_close)
            .zip(&mut self.atr)
            .zip(out.iter_mut())
            .enumerate()
        {
            if !usable(i) {
                *o = skipped;
                continue;
            }
            let was_warming = *s <= period;
            *o = emit(atr_step(period, alpha, s, pc, a, h, l, c));
            if was_warming && *s > period {
                self.warming -= 1;
            }
        }
    }
    /// The APEX universe's step (see `RsiUniverse::advance_valid`): the
    /// bars are valid where `ok`; writes each ATR as `f64`, `NaN` while
    /// warming up.
    #[allow(clippy::too_many_arguments)] // one slice per bar field, as `BarSlices` minus two
    #[inline(always)]
    pub(crate) fn advance_valid(
        &mut self,
        high: &[T],
        low: &[T],
        close: &[T],
        ok: &[bool],
        all_ok: bool,
        out: &mut [f64],
    ) {
        if self.warming == 0 && all_ok {
            self.steady_all(high, low, close, out, Float::to_f64);
            return;
        }
        let usable = |i: usize| ok.get(i).copied().unwrap_or(false);
        self.step_each(high, low, close, usable, out, f64::NAN, |v| {
            v.map_or(f64::NAN, Float::to_f64)
        });
    }
}

/// [`VolumeZScore`] for N symbols at once.
///
/// Rolling windows do not vectorise across symbols once one symbol's window
/// falls out of step (a rejected volume), so this form holds one streaming
/// instance per symbol and simply batches the calls: the same values, the
/// same per-symbol rejection, one call per bar.
///
/// # Checkpoints
///
/// With the `serde` feature the universe serialises as the list of its
/// symbols' [`VolumeZScore`] states. Deserialising re-validates each as
/// that indicator's checkpoint does, and that there are 1 to
/// [`MAX_SYMBOLS`](crate::MAX_SYMBOLS) of them, all of one period, within
/// [`MAX_UNIVERSE_VALUES`](crate::MAX_UNIVERSE_VALUES); the last update's
/// [`rejected`](Self::rejected) list is not saved. A restored universe
/// continues bit for bit, provided the format round-trips floats exactly.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VolumeZUniverse<T = f64> {
    symbols: Vec<VolumeZScore<T>>,
    #[cfg_attr(feature = "serde", serde(skip))]
    rejected: Vec<(usize, Error)>,
}
checked_universe!(VolumeZUniverse<T> {
    symbols: Vec<VolumeZScore<T>>,
});

impl<T: Float> Invariants for VolumeZUniverse<T> {
    fn check(&self) -> Result<()> {
        // Each symbol's window has checked itself.
        let period = self.symbols.first().map_or(0, VolumeZScore::period);
        state_ok(
            crate::error::check_universe(
                self.symbols.len(),
                period.saturating_mul(3).saturating_add(8),
            )
            .is_ok()
                && self.symbols.iter().all(|s| s.period() == period),
            "volume z-score universe size or periods invalid",
        )
    }
}

impl<T: Float> VolumeZUniverse<T> {
    /// VolumeZScore(`period`) for `symbols` symbols.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for 0 symbols, period < 2, or more than
    /// [`MAX_UNIVERSE_VALUES`](crate::MAX_UNIVERSE_VALUES) values in all.
    pub fn new(symbols: usize, period: usize) -> Result<Self> {
        // Each symbol keeps its own window of `period` volumes and two rows
        // of sums over it.
        let n = crate::error::check_universe(symbols, period.saturating_mul(3).saturating_add(8))?;
        Ok(VolumeZUniverse {
            symbols: vec![VolumeZScore::new(period)?; n],
            rejected: Vec::with_capacity(n),
        })
    }
    fn ready_len(&self) -> usize {
        self.symbols.len()
    }
    universe_common!();
    /// Whether `symbol` is warmed up.
    pub fn is_ready(&self, symbol: usize) -> bool {
        self.symbols.get(symbol).is_some_and(Indicator::is_ready)
    }
    /// Back to the freshly constructed state.
    pub fn reset(&mut self) {
        self.symbols.iter_mut().for_each(Indicator::reset);
        self.rejected.clear();
    }
    /// Feeds one volume per symbol; writes each symbol's output (`None` while
    /// warming up or when rejected) to `out`.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if a slice is not one per symbol (nothing
    /// changed).
    pub fn update(
        &mut self,
        volumes: &[T],
        out: &mut [Option<VolumeZScoreOutput<T>>],
    ) -> Result<usize> {
        let n = self.symbols.len();
        check_len("volumes", n, volumes.len())?;
        check_len("out", n, out.len())?;
        self.rejected.clear();
        for (i, ((ind, &v), o)) in self.symbols.iter_mut().zip(volumes).zip(out).enumerate() {
            *o = match ind.update(v) {
                Ok(x) => x,
                Err(e) => {
                    self.rejected.push((i, e));
                    None
                }
            };
        }
        Ok(self.rejected.len())
    }
}

/// What the APEX universe's checkpoint checks its indicator stages with.
#[cfg(feature = "serde")]
impl<T: Float> RsiUniverse<T> {
    /// Each symbol's count of closes (saturating at `period + 1`).
    pub(crate) fn counts(&self) -> &[usize] {
        &self.seen
    }
}

#[cfg(feature = "serde")]
impl<T: Float> MacdUniverse<T> {
    /// The fast, slow and signal periods.
    pub(crate) fn periods(&self) -> (usize, usize, usize) {
        (self.params.fast, self.params.slow, self.params.signal)
    }
    /// Each symbol's count of closes (saturating at the slow period) and
    /// of MACD values (saturating at the signal period).
    pub(crate) fn counts(&self) -> (&[usize], &[usize]) {
        (&self.count, &self.signal_count)
    }
}

#[cfg(feature = "serde")]
impl<T: Float> AtrUniverse<T> {
    /// The period n.
    pub(crate) fn period(&self) -> usize {
        self.period
    }
    /// Each symbol's count of bars (saturating at `period + 1`).
    pub(crate) fn counts(&self) -> &[usize] {
        &self.seen
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::cast_precision_loss)]
mod tests {
    use super::*;

    /// `steps` bars for `n` symbols (random walks), all valid.
    fn bars(n: usize, steps: usize) -> Vec<[Vec<f64>; 5]> {
        let mut next = crate::testing::uniform(0x2545_F491_4F6C_DD1D_u64);
        let mut close: Vec<f64> = (0..n).map(|i| 5.0 + i as f64).collect();
        (0..steps)
            .map(|_| {
                let open = close.clone();
                for c in &mut close {
                    *c *= 1.0 + (next() - 0.5) * 0.04;
                }
                let high = open
                    .iter()
                    .zip(&close)
                    .map(|(o, c)| o.max(*c) * (1.0 + next() * 0.01))
                    .collect();
                let low = open
                    .iter()
                    .zip(&close)
                    .map(|(o, c)| o.min(*c) * (1.0 - next() * 0.01))
                    .collect();
                let volume = (0..n).map(|_| 1e5 * (1.0 + next())).collect();
                [open, high, low, close.clone(), volume]
            })
            .collect()
    }

    /// `update` runs its warmed-up loops through `dispatch::wide` (the AVX2
    /// copy on a CPU with AVX2); `advance_valid`, called from this test, runs
    /// the same loops compiled for the baseline. Outputs and state agree bit
    /// for bit.
    #[test]
    fn dispatched_hot_paths_equal_the_baseline() {
        let n = 45; // not a multiple of any vector width
        let ok = vec![true; n];
        let (mut rsi, mut macd, mut atr) = (
            RsiUniverse::<f64>::new(n, 14).unwrap(),
            MacdUniverse::<f64>::new(n, 12, 26, 9).unwrap(),
            AtrUniverse::<f64>::new(n, 14).unwrap(),
        );
        let (mut rsi_b, mut macd_b, mut atr_b) = (rsi.clone(), macd.clone(), atr.clone());
        let none = MacdOutput {
            macd: f64::NAN,
            signal: f64::NAN,
            histogram: f64::NAN,
        };
        let (mut x, mut m, mut y) = (vec![0.0; n], vec![none; n], vec![0.0; n]);
        let mut compared = 0;
        for [open, high, low, close, volume] in bars(n, 200) {
            let slices = BarSlices {
                open: &open,
                high: &high,
                low: &low,
                close: &close,
                volume: &volume,
            };
            assert_eq!(rsi.update(&close, &mut x).unwrap(), 0);
            rsi_b.advance_valid(&close, &ok, true, &mut y);
            assert!(x.iter().zip(&y).all(|(a, b)| a.to_bits() == b.to_bits()));
            assert_eq!(macd.update(&close, &mut m).unwrap(), 0);
            macd_b.advance_valid(&close, &ok, true, &mut y);
            assert!(m
                .iter()
                .zip(&y)
                .all(|(a, b)| a.histogram.to_bits() == b.to_bits()));
            assert_eq!(atr.update(slices, &mut x).unwrap(), 0);
            atr_b.advance_valid(&high, &low, &close, &ok, true, &mut y);
            assert!(x.iter().zip(&y).all(|(a, b)| a.to_bits() == b.to_bits()));
            // The whole state, the signal line and the MACD line included.
            assert!(rsi == rsi_b && macd == macd_b && atr == atr_b);
            compared += usize::from(rsi.warming == 0 && macd.warming == 0);
        }
        // Most bars ran the warmed-up (dispatched) paths.
        assert!(compared > 150, "{compared}");
    }
}
