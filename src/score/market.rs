//! Multi-asset input: [`MarketBar`] and the [`Aligner`] that builds it from
//! separately arriving streams.

use core::fmt;

use crate::float::{finite, positive, Sealed};
use crate::window::{state_ok, Invariants};
use crate::{Bar, Error, Float, Result};

/// One bar of the market a multi-asset scorer sees: the target's OHLCV, the
/// benchmarks' closes and, optionally, the 2-year Treasury yield, at one
/// timestamp.
///
/// Passive data with public fields; [`MarketBar::validate`] checks it (the
/// [`ApexScorer`](super::ApexScorer) does so on every update).
///
/// # Examples
///
/// ```
/// use apex_ta::{score::MarketBar, Bar};
/// let mb = MarketBar::new(
///     1_704_153_600,                                  // 2024-01-02
///     Bar::new(200.5, 201.0, 197.8, 198.1, 3.1e7),    // IWM
///     472.65,                                         // SPY close
///     402.59,                                         // QQQ close
///     Some(4.33),                                     // DGS2, percent
/// );
/// assert!(mb.validate().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MarketBar<T = f64> {
    /// Timestamp (any monotonic unit; the examples use seconds since the
    /// epoch). Must increase strictly from bar to bar.
    pub timestamp: i64,
    /// The scored instrument's bar (IWM in the APEX score).
    pub target: Bar<T>,
    /// The broad large-cap benchmark's close (SPY), > 0.
    pub spy: T,
    /// The growth/technology benchmark's close (QQQ), > 0.
    pub qqq: T,
    /// The 2-year Treasury yield in percent (FRED DGS2), if known for this
    /// bar. Any finite value (yields can be negative).
    pub yield_2y: Option<T>,
}

impl<T: Float> MarketBar<T> {
    /// A market bar from its parts, unvalidated.
    pub const fn new(timestamp: i64, target: Bar<T>, spy: T, qqq: T, yield_2y: Option<T>) -> Self {
        MarketBar {
            timestamp,
            target,
            spy,
            qqq,
            yield_2y,
        }
    }

    /// Checks the bar: the target bar passes [`Bar::validate`] and its close
    /// is > 0; `spy` and `qqq` are finite and > 0; the yield, if any, is
    /// finite.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`], [`Error::InvalidBar`],
    /// [`Error::NegativeVolume`] or [`Error::NonPositive`] naming the field.
    #[inline]
    pub fn validate(&self) -> Result<()> {
        self.target.validate()?;
        positive("close", self.target.close)?;
        positive("spy", self.spy)?;
        positive("qqq", self.qqq)?;
        if let Some(y) = self.yield_2y {
            finite("yield_2y", y)?;
        }
        Ok(())
    }

    /// A sufficient test for [`validate`](Self::validate) to pass, in one
    /// pass of comparisons without early exits: `true` implies the bar is
    /// valid; `false` means "ask `validate`", which names the problem (or
    /// accepts the rare valid bar this test is too strict for: `high − low`
    /// overflowing, a volume of `-0.0`). The bar part is the same test as
    /// [`Bar::validate`]'s fast path.
    #[inline]
    #[allow(clippy::needless_bitwise_bool)] // no short-circuit: one branch for all
    pub(crate) fn looks_valid(&self) -> bool {
        let b = &self.target;
        b.looks_valid()
            & (b.close > T::zero())
            & Sealed::nonneg_finite_bits(self.spy)
            & (self.spy > T::zero())
            & Sealed::nonneg_finite_bits(self.qqq)
            & (self.qqq > T::zero())
            & self.yield_2y.map_or(true, num_traits::Float::is_finite)
    }
}

/// Which input stream a value belongs to; see [`Aligner::push`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tick<T = f64> {
    /// The target's bar.
    Target(Bar<T>),
    /// The SPY close.
    Spy(T),
    /// The QQQ close.
    Qqq(T),
    /// The 2-year yield, percent.
    Yield(T),
}

impl<T> Tick<T> {
    /// The stream's name as used in errors: `target`, `spy`, `qqq`, `yield`.
    pub const fn stream(&self) -> &'static str {
        match self {
            Tick::Target(_) => "target",
            Tick::Spy(_) => "spy",
            Tick::Qqq(_) => "qqq",
            Tick::Yield(_) => "yield",
        }
    }
}

/// Counters of what an [`Aligner`] did, for reporting.
///
/// # Checkpoints
///
/// With the `serde` feature the counters serialise as a struct (part of an
/// [`Aligner`]'s checkpoint). Deserialising checks what the aligner's
/// counting guarantees: every completed timestamp was emitted, dropped or
/// had no target (`days = emitted + dropped + without_target`), and no
/// carried or missing count exceeds `emitted` (`carried_yield +
/// missing_yield` included). Sums of several aligners' stats pass too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlignStats {
    /// Distinct timestamps completed (on any stream).
    pub days: u64,
    /// Market bars emitted.
    pub emitted: u64,
    /// Target bars dropped because SPY or QQQ was missing beyond the carry
    /// limit (or never seen).
    pub dropped: u64,
    /// Timestamps that had values on some stream but no target bar.
    pub without_target: u64,
    /// Emitted bars whose SPY close was carried from an earlier timestamp.
    pub carried_spy: u64,
    /// Emitted bars whose QQQ close was carried.
    pub carried_qqq: u64,
    /// Emitted bars whose yield was carried.
    pub carried_yield: u64,
    /// Emitted bars without a yield (`yield_2y: None`).
    pub missing_yield: u64,
}

impl AlignStats {
    /// `Ok` if the counters add up (see "Checkpoints").
    #[cfg(feature = "serde")]
    fn check(&self) -> Result<()> {
        let completed = self
            .emitted
            .checked_add(self.dropped)
            .and_then(|x| x.checked_add(self.without_target));
        let yields = self.carried_yield.checked_add(self.missing_yield);
        state_ok(
            completed == Some(self.days)
                && self.carried_spy <= self.emitted
                && self.carried_qqq <= self.emitted
                && yields.is_some_and(|y| y <= self.emitted),
            "aligner counters do not add up",
        )
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for AlignStats {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        #[serde(rename = "AlignStats")]
        struct Repr {
            days: u64,
            emitted: u64,
            dropped: u64,
            without_target: u64,
            carried_spy: u64,
            carried_qqq: u64,
            carried_yield: u64,
            missing_yield: u64,
        }
        let Repr {
            days,
            emitted,
            dropped,
            without_target,
            carried_spy,
            carried_qqq,
            carried_yield,
            missing_yield,
        } = Repr::deserialize(d)?;
        let v = AlignStats {
            days,
            emitted,
            dropped,
            without_target,
            carried_spy,
            carried_qqq,
            carried_yield,
            missing_yield,
        };
        v.check().map_err(D::Error::custom)?;
        Ok(v)
    }
}

/// One auxiliary stream: its value at the open timestamp and its last value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Leg<T> {
    /// Value at the open timestamp, if it arrived.
    pending: Option<T>,
    /// Most recent value from an earlier, completed timestamp.
    last: Option<T>,
    /// Target bars completed since `last` was fresh.
    stale: usize,
    /// Last accepted timestamp on this stream.
    last_ts: Option<i64>,
}

impl<T: Float> Leg<T> {
    const fn new() -> Self {
        Leg {
            pending: None,
            last: None,
            stale: 0,
            last_ts: None,
        }
    }
    /// Closes the open timestamp: a fresh value becomes `last`.
    fn settle(&mut self) -> bool {
        match self.pending.take() {
            Some(v) => {
                self.last = Some(v);
                self.stale = 0;
                true
            }
            None => false,
        }
    }
    /// The value for a target bar: fresh, or carried up to `max_carry`
    /// target bars; `(value, carried)`.
    fn value_for_target(&mut self, fresh: bool, max_carry: usize) -> (Option<T>, bool) {
        if fresh {
            return (self.last, false);
        }
        self.stale = self.stale.saturating_add(1);
        if self.stale <= max_carry {
            (self.last, self.last.is_some())
        } else {
            (None, false)
        }
    }
}

/// Merges separately arriving streams (target bars, SPY and QQQ closes, the
/// 2-year yield) into [`MarketBar`]s by timestamp.
///
/// # Policy
///
/// * **Order.** Each stream's timestamps must increase strictly (a duplicate
///   or earlier timestamp on a stream is [`Error::OutOfOrder`]). Across
///   streams, values are pushed in time order: everything for timestamp t
///   before anything for a later timestamp, in any order of streams within
///   t. A value for a timestamp before the one being assembled is late:
///   [`Error::OutOfOrder`] with `previous` = the timestamp being assembled.
///   (To merge whole files, interleave them by timestamp first, as the `apex`
///   example does.) On any error the aligner's state is unchanged.
/// * **Completion.** Timestamp t is complete when a value for a later
///   timestamp arrives on any stream, or on [`flush`](Aligner::flush).
///   Completing t emits at most one bar, so every push returns at most one.
/// * **Calendar.** The target defines the bars: a timestamp without a target
///   bar emits nothing (its other values are remembered — e.g. a yield on a
///   Good Friday).
/// * **Missing values.** For a target bar at t, each other stream gives its
///   value at t, or else its most recent earlier value **if that value is at
///   most `max_carry` target bars stale** (the bond market's holidays —
///   Columbus Day, Veterans Day — are one-day gaps). Beyond that:
///   the yield becomes `None`, so yield-dependent signals are not ready for
///   that bar; a missing SPY or QQQ close drops the target bar (counted in
///   [`AlignStats::dropped`]), because the relative signals cannot be
///   computed without it.
/// * **Memory** is constant: one pending and one last value per stream.
///
/// # Checkpoints
///
/// With the `serde` feature an aligner serialises its whole state: the
/// carry limit, the timestamp being assembled and the last completed one,
/// the pending target bar, each stream's pending value, last value,
/// staleness and last timestamp, and the [`AlignStats`]. Deserialising
/// re-validates it: every held value passes the check `push` applies to
/// its stream, pending values belong to the timestamp being assembled
/// (which has at least one), no stream's last timestamp is after it or,
/// with none open, after the last completed one, a last value implies a
/// completed timestamp, and the counters add up (`days` > 0 exactly when a
/// timestamp has completed). A corrupted checkpoint is an error; a restored
/// aligner equals the saved one and emits the same bars, provided the
/// format round-trips floats exactly (postcard, bincode, or `serde_json`
/// with its `float_roundtrip` feature).
///
/// # Examples
///
/// ```
/// use apex_ta::{score::Aligner, Bar};
/// # fn main() -> apex_ta::Result<()> {
/// let mut al = Aligner::new(3)?;
/// let bar = Bar::new(100.0, 101.0, 99.0, 100.5, 1e6);
/// // Day 1: all four streams.
/// assert!(al.push_yield(1, 4.10)?.is_none());
/// al.push_target(1, bar)?;
/// al.push_spy(1, 500.0)?;
/// al.push_qqq(1, 400.0)?;
/// // Day 2 (a bond-market holiday: no yield). Its first value completes day 1.
/// let day1 = al.push_target(2, bar)?.expect("day 1 complete");
/// assert_eq!((day1.timestamp, day1.yield_2y), (1, Some(4.10)));
/// al.push_spy(2, 501.0)?;
/// al.push_qqq(2, 401.0)?;
/// let day2 = al.flush().expect("day 2 complete");
/// assert_eq!(day2.yield_2y, Some(4.10)); // carried one bar
/// assert!(al.push_spy(2, 502.0).is_err()); // duplicate: rejected, state unchanged
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Aligner<T = f64> {
    max_carry: usize,
    /// The timestamp being assembled.
    open: Option<i64>,
    /// The last completed timestamp.
    done: Option<i64>,
    target: Option<Bar<T>>,
    target_ts: Option<i64>,
    spy: Leg<T>,
    qqq: Leg<T>,
    yld: Leg<T>,
    stats: AlignStats,
}
checked_deserialize!(Aligner<T> {
    max_carry: usize,
    open: Option<i64>,
    done: Option<i64>,
    target: Option<Bar<T>>,
    target_ts: Option<i64>,
    spy: Leg<T>,
    qqq: Leg<T>,
    yld: Leg<T>,
    stats: AlignStats,
});

impl<T: Float> Invariants for Aligner<T> {
    fn check(&self) -> Result<()> {
        // Each held value as `push` checks its stream.
        if let Some(bar) = self.target {
            bar.validate()?;
            positive("close", bar.close)?;
        }
        for (leg, stream) in [(&self.spy, "spy"), (&self.qqq, "qqq")] {
            for v in leg.pending.into_iter().chain(leg.last) {
                positive(stream, v)?;
            }
        }
        for v in self.yld.pending.into_iter().chain(self.yld.last) {
            finite("yield", v)?;
        }
        // Pending values are exactly those pushed for the open timestamp,
        // and one was (it opened the timestamp).
        let held =
            |pending: bool, ts: Option<i64>| pending == (self.open.is_some() && ts == self.open);
        let legs = [&self.spy, &self.qqq, &self.yld];
        state_ok(
            held(self.target.is_some(), self.target_ts)
                && legs.iter().all(|l| held(l.pending.is_some(), l.last_ts))
                && (self.open.is_none()
                    || self.target.is_some()
                    || legs.iter().any(|l| l.pending.is_some())),
            "aligner pending values inconsistent with the open timestamp",
        )?;
        // Time order: the last completed timestamp before the open one,
        // every stream's last timestamp at or before the latest of them; a
        // last value was settled by a completed timestamp.
        let latest = self.open.or(self.done);
        let not_after = |ts: Option<i64>| match (ts, latest) {
            (None, _) => true,
            (Some(t), Some(l)) => t <= l,
            (Some(_), None) => false,
        };
        state_ok(
            match (self.done, self.open) {
                (Some(d), Some(o)) => d < o,
                _ => true,
            } && not_after(self.target_ts)
                && legs.iter().all(|l| not_after(l.last_ts))
                && legs.iter().all(|l| l.last.is_none() || self.done.is_some()),
            "aligner timestamps out of order",
        )?;
        state_ok(
            (self.stats.days > 0) == self.done.is_some(),
            "aligner day count inconsistent with its timestamps",
        )
    }
}

impl<T: Float> Aligner<T> {
    /// An aligner that carries a missing value for at most `max_carry` target
    /// bars (0: never carry).
    ///
    /// # Errors
    ///
    /// None today (every `usize` is valid); `Result` for symmetry with the
    /// other constructors and room for future checks.
    pub fn new(max_carry: usize) -> Result<Self> {
        Ok(Self::with_carry(max_carry))
    }
    const fn with_carry(max_carry: usize) -> Self {
        Aligner {
            max_carry,
            open: None,
            done: None,
            target: None,
            target_ts: None,
            spy: Leg::new(),
            qqq: Leg::new(),
            yld: Leg::new(),
            stats: AlignStats {
                days: 0,
                emitted: 0,
                dropped: 0,
                without_target: 0,
                carried_spy: 0,
                carried_qqq: 0,
                carried_yield: 0,
                missing_yield: 0,
            },
        }
    }
    /// The carry limit, in target bars.
    pub fn max_carry(&self) -> usize {
        self.max_carry
    }
    /// What the aligner has done so far.
    pub fn stats(&self) -> AlignStats {
        self.stats
    }

    /// Pushes the target's bar for `timestamp`.
    ///
    /// # Errors
    ///
    /// As [`push`](Aligner::push).
    pub fn push_target(&mut self, timestamp: i64, bar: Bar<T>) -> Result<Option<MarketBar<T>>> {
        self.push(timestamp, Tick::Target(bar))
    }
    /// Pushes the SPY close for `timestamp`.
    ///
    /// # Errors
    ///
    /// As [`push`](Aligner::push).
    pub fn push_spy(&mut self, timestamp: i64, close: T) -> Result<Option<MarketBar<T>>> {
        self.push(timestamp, Tick::Spy(close))
    }
    /// Pushes the QQQ close for `timestamp`.
    ///
    /// # Errors
    ///
    /// As [`push`](Aligner::push).
    pub fn push_qqq(&mut self, timestamp: i64, close: T) -> Result<Option<MarketBar<T>>> {
        self.push(timestamp, Tick::Qqq(close))
    }
    /// Pushes the 2-year yield (percent) for `timestamp`.
    ///
    /// # Errors
    ///
    /// As [`push`](Aligner::push).
    pub fn push_yield(&mut self, timestamp: i64, value: T) -> Result<Option<MarketBar<T>>> {
        self.push(timestamp, Tick::Yield(value))
    }

    /// Pushes one value; returns the bar of the previous timestamp if this
    /// push completed it.
    ///
    /// # Errors
    ///
    /// A bad value ([`Bar::validate`] and a close > 0 for the target,
    /// non-finite or ≤ 0 for SPY/QQQ, non-finite for the yield), or [`Error::OutOfOrder`] for a
    /// timestamp not after the stream's previous one or before the timestamp
    /// being assembled. The state is then unchanged.
    pub fn push(&mut self, timestamp: i64, tick: Tick<T>) -> Result<Option<MarketBar<T>>> {
        let stream = tick.stream();
        match tick {
            // Exactly what `MarketBar::validate` asks of the target, so
            // every bar the aligner emits passes it.
            Tick::Target(bar) => {
                bar.validate()?;
                positive("close", bar.close)?;
            }
            Tick::Spy(v) | Tick::Qqq(v) => {
                positive(stream, v)?;
            }
            Tick::Yield(v) => {
                finite(stream, v)?;
            }
        }
        let last_ts = match tick {
            Tick::Target(_) => self.target_ts,
            Tick::Spy(_) => self.spy.last_ts,
            Tick::Qqq(_) => self.qqq.last_ts,
            Tick::Yield(_) => self.yld.last_ts,
        };
        if let Some(previous) = last_ts {
            if timestamp <= previous {
                return Err(Error::OutOfOrder {
                    stream,
                    timestamp,
                    previous,
                });
            }
        }
        // Not before the timestamp being assembled, nor at/before a completed one.
        if let Some(open) = self.open {
            if timestamp < open {
                return Err(Error::OutOfOrder {
                    stream,
                    timestamp,
                    previous: open,
                });
            }
        } else if let Some(done) = self.done {
            if timestamp <= done {
                return Err(Error::OutOfOrder {
                    stream,
                    timestamp,
                    previous: done,
                });
            }
        }
        // Accepted: from here on nothing fails.
        let emitted = match self.open {
            Some(open) if timestamp > open => self.complete(),
            _ => None,
        };
        self.open = Some(timestamp);
        match tick {
            Tick::Target(bar) => {
                self.target = Some(bar);
                self.target_ts = Some(timestamp);
            }
            Tick::Spy(v) => {
                self.spy.pending = Some(v);
                self.spy.last_ts = Some(timestamp);
            }
            Tick::Qqq(v) => {
                self.qqq.pending = Some(v);
                self.qqq.last_ts = Some(timestamp);
            }
            Tick::Yield(v) => {
                self.yld.pending = Some(v);
                self.yld.last_ts = Some(timestamp);
            }
        }
        Ok(emitted)
    }

    /// Completes the timestamp being assembled (at the end of the input, or
    /// when the caller knows nothing more will arrive for it) and returns its
    /// bar, if it has one. Later pushes must be for later timestamps.
    pub fn flush(&mut self) -> Option<MarketBar<T>> {
        self.complete()
    }

    /// Back to the freshly constructed state (same carry limit).
    pub fn reset(&mut self) {
        *self = Self::with_carry(self.max_carry);
    }

    /// Completes the open timestamp.
    fn complete(&mut self) -> Option<MarketBar<T>> {
        let timestamp = self.open.take()?;
        self.done = Some(timestamp);
        self.stats.days += 1;
        let fresh_spy = self.spy.settle();
        let fresh_qqq = self.qqq.settle();
        let fresh_yield = self.yld.settle();
        let Some(target) = self.target.take() else {
            self.stats.without_target += 1;
            return None;
        };
        let max_carry = self.max_carry;
        let (spy, carried_spy) = self.spy.value_for_target(fresh_spy, max_carry);
        let (qqq, carried_qqq) = self.qqq.value_for_target(fresh_qqq, max_carry);
        let (yield_2y, carried_yield) = self.yld.value_for_target(fresh_yield, max_carry);
        let (Some(spy), Some(qqq)) = (spy, qqq) else {
            self.stats.dropped += 1;
            return None;
        };
        self.stats.emitted += 1;
        self.stats.carried_spy += u64::from(carried_spy);
        self.stats.carried_qqq += u64::from(carried_qqq);
        self.stats.carried_yield += u64::from(carried_yield);
        self.stats.missing_yield += u64::from(yield_2y.is_none());
        Some(MarketBar {
            timestamp,
            target,
            spy,
            qqq,
            yield_2y,
        })
    }
}

impl<T: Float> Default for Aligner<T> {
    /// Carry limit 3 bars.
    fn default() -> Self {
        Self::with_carry(3)
    }
}

impl<T> fmt::Display for Aligner<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ALIGNER(carry {})", self.max_carry)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The fast test never accepts a bar `validate` rejects: every field
    /// runs through awkward values (NaN, ±∞, ±MAX, ±0, 1, a subnormal) with
    /// the others at a good bar's values, and the OHLCV part over the whole
    /// grid; an ordinary bar takes the fast path.
    #[test]
    fn looks_valid_implies_validate() {
        let vals = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            -f64::MAX,
            0.0,
            -0.0,
            1.0,
            f64::MIN_POSITIVE / 4.0,
        ];
        let good = MarketBar::new(
            7,
            Bar::new(10.0, 11.0, 9.0, 10.5, 5.0),
            400.0,
            350.0,
            Some(4.2),
        );
        assert!(good.looks_valid());
        let agree = |mb: MarketBar| {
            if mb.looks_valid() {
                assert_eq!(mb.validate(), Ok(()), "{mb:?}");
            }
        };
        for &v in &vals {
            agree(MarketBar { spy: v, ..good });
            agree(MarketBar { qqq: v, ..good });
            agree(MarketBar {
                yield_2y: Some(v),
                ..good
            });
        }
        for &open in &vals {
            for &high in &vals {
                for &low in &vals {
                    for &close in &vals {
                        for &volume in &vals {
                            let target = Bar::new(open, high, low, close, volume);
                            agree(MarketBar { target, ..good });
                        }
                    }
                }
            }
        }
        agree(MarketBar {
            yield_2y: None,
            ..good
        });
    }
}
