//! The APEX score of one symbol: [`ApexScorer`].

use core::fmt;

use super::config::{ApexConfig, ApexPeriods};
use super::kernel::{assemble, SignalInputs, APEX_SIGNALS};
use super::readings::ApexReadings;
use super::windows::ApexWindows;
use crate::float::{normal_positive, ratio_in_range, some, variance_input};
#[cfg(feature = "serde")]
use crate::indicator::taken;
use crate::score::composite::Composite;
use crate::score::market::MarketBar;
use crate::score::scorer::{Score, Scorer};
#[cfg(feature = "serde")]
use crate::window::state_ok;
use crate::window::{Ring, RollingRange, RollingSwing};
use crate::{
    Atr, Error, FibonacciLevels, Float, Indicator, Macd, RelativePerformance, RelativeRatio,
    Result, Rsi, VolumeZScore,
};

/// The APEX small-cap rotation score: eight signals on the target (IWM) and
/// its context (SPY, QQQ, the 2-year yield) folded into one explainable
/// 0–100 score per bar.
///
/// **What the score is for.** It rates how attractive it is to hold the
/// target over the next few weeks (about 20 trading days): 80 means the
/// motivating analysis sees a favourable risk/reward now, 20 an unfavourable
/// one, and the contributions say why. It is a rating, not a forecast; its
/// measured record (design period 2005–2016, out of sample 2017–2025, an ETF
/// panel) is in the README, "Is the score any good?".
///
/// | # | component | indicator | rule (APEX v2) |
/// |---|---|---|---|
/// | 1 | `rsi` | [`Rsi`], the yield change | [`RsiSignal`](crate::score::RsiSignal): a dip to 42 or below is an entry, half while yields rise; ≥ 70 is −1 |
/// | 2 | `macd` | [`Macd`], [`Atr`] | [`MacdSignal`](crate::score::MacdSignal): the histogram turning towards zero |
/// | 3 | `fib` | [`FibonacciLevels`](crate::FibonacciLevels)'s swing | [`FibonacciSignal`](crate::score::FibonacciSignal): on sale at or below the 38.2 % mark, a chase at the high |
/// | 4 | `volume` | [`VolumeZScore`], [`RollingMax`](crate::RollingMax)/[`RollingMin`](crate::RollingMin) | [`VolumeSignal`](crate::score::VolumeSignal): 2–3× volume on a breakout, half on a capitulation |
/// | 5 | `atr` | [`Atr`] (% of close) | [`VolatilitySignal`](crate::score::VolatilitySignal): 0 in the 1.5–2.5 % normal regime, fear above (+0.5 from 4 %) |
/// | 6 | `vs_spy` | [`RelativeRatio`] | [`RatioSignal`](crate::score::RatioSignal): the ratio stretched from its trend vetoes a chase |
/// | 7 | `vs_qqq` | [`RelativePerformance`] | [`SpreadSignal`](crate::score::SpreadSignal): a lead over QQQ already run vetoes a chase |
/// | 8 | `rates` | 2-year yield change | [`RatesSignal`](crate::score::RatesSignal): falling yields favour small caps |
///
/// APEX v1 (until 0.1) scored momentum and trend as bullish and damped the
/// dip and rates readings with a risk-off gate in high volatility; it read
/// the market backwards where it mattered most (strong sell at the washout
/// lows, strong buy at the blow-off tops). v2 has no gate. Its rules are
/// written once, in branch-free form, and [`ApexUniverse`](crate::score::ApexUniverse)
/// runs the same rules across symbols.
///
/// # Missing yield
///
/// The rates signal is ready only while the bars carry a yield: with
/// `yield_2y: None` it is not ready and the composite renormalises over the
/// other seven (see [`Composite`]); its window restarts after a gap, because
/// a change over n bars needs n + 1 consecutive yields.
///
/// # Warm-up
///
/// Each signal is ready once its indicator is; with the default periods, at
/// bar index 14 (RSI, ATR), 19 (volume), 20 (breadth; rates, given 21
/// consecutive yields), 34 (MACD: its first histogram, at 33, has no turn
/// yet), 49 (ratio) and 54 (Fibonacci). A score is produced once `min_ready`
/// signals are ready (default 5: from index 20 with a yield, 34 without).
/// [`Score::ready`] says how many were.
///
/// # Examples
///
/// ```
/// use apex_ta::score::{ApexScorer, MarketBar, Scorer};
/// use apex_ta::Bar;
/// # fn main() -> apex_ta::Result<()> {
/// let mut apex = ApexScorer::<f64>::default();
/// let mut last = None;
/// for day in 0..120_i64 {
///     let x = day as f64;
///     let iwm = 200.0 + 4.0 * (x / 9.0).sin() + 0.1 * x;
///     let bar = Bar::new(iwm - 0.4, iwm + 1.6, iwm - 1.7, iwm, 2.0e7 + 1.0e5 * (x % 7.0));
///     let spy = 500.0 + 0.15 * x;
///     let qqq = 420.0 + 0.12 * x;
///     let yield_2y = Some(4.5 - 0.004 * x);              // falling yields
///     let input = MarketBar::new(day * 86_400, bar, spy, qqq, yield_2y);
///     if let Some(score) = apex.update(input)? {
///         assert!((0.0..=100.0).contains(&score.value()));
///         last = Some(score);
///     }
/// }
/// let score = last.expect("warmed up");
/// assert_eq!(score.ready(), 8);
/// assert!(score.component("rates").and_then(|c| c.sub_score).unwrap() > 0.0);
/// println!("{score}"); // e.g. "58.3 buy (8/8)"
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects an invalid [`ApexConfig`]. `update` rejects a bar that fails
/// [`MarketBar::validate`]; then one whose values the windows' arithmetic
/// cannot carry ([`Error::OutOfRange`]): a volume above 1e150 (`f32`: 1e16;
/// the volume window keeps a sum of squares), a subnormal `spy` (field
/// `spy`), a target/SPY ratio outside [1e-300, 1e300] (`f32`: [1e-30,
/// 1e30]; field `target/spy ratio`); then one whose timestamp is not after
/// the previous one ([`Error::OutOfOrder`] on stream `market`). The state
/// is then unchanged (everything is validated before any indicator is
/// touched). A reading that would overflow although its inputs are in range
/// (an NATR of a close of 1e-300, a relative performance or yield change
/// beyond ±`f64::MAX`) is absent (`None` in [`ApexReadings`]) for that bar,
/// never ±∞.
///
/// # Checkpoints
///
/// With the `serde` feature a scorer serialises as `{"config", "state"}`:
/// its [`ApexConfig`] and its running state (the RSI, MACD and ATR, the
/// rolling windows, the previous close, histogram and timestamp, the last
/// [`ApexReadings`] and whether it was ready). What derives from the
/// configuration (the composite, the minimum swing) is rebuilt from it, so
/// it cannot disagree with it.
///
/// Restoring re-validates everything: the configuration as
/// [`ApexConfig`]'s own `Deserialize` does, each indicator and window as
/// its own checkpoint does, then the state against the configuration:
/// every period equals the configured one, and every window has taken the
/// same number of bars (each is warmed up exactly when that count says it
/// is; the readings are consistent with it). A corrupted checkpoint is an
/// error, never a scorer that panics or scores differently later; a
/// restored scorer equals the saved one and continues bit for bit, provided
/// the format round-trips floats exactly (postcard, bincode, or
/// `serde_json` with its `float_roundtrip` feature; plain `serde_json` may
/// change a float's last bit).
///
/// ```
/// use apex_ta::score::{ApexScorer, MarketBar, Scorer};
/// use apex_ta::Bar;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut apex = ApexScorer::<f64>::default();
/// let bar = |t: i64| {
///     let p = 100.0 + (t % 9) as f64;
///     MarketBar::new(t, Bar::new(p, p + 1.0, p - 1.0, p, 1e6), 450.0, 380.0, Some(4.0))
/// };
/// for t in 0..40 {
///     apex.update(bar(t))?;
/// }
/// let saved = serde_json::to_string(&apex)?;
/// let mut restored: ApexScorer = serde_json::from_str(&saved)?;
/// assert_eq!(restored, apex);
/// assert_eq!(restored.update(bar(40))?, apex.update(bar(40))?);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApexScorer<T = f64> {
    params: ApexParams<T>,
    state: ApexState<T>,
}

/// What every symbol scored with one [`ApexConfig`] shares (read-only): the
/// universe form keeps one copy for all its symbols.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApexParams<T> {
    config: ApexConfig,
    composite: Composite,
    /// The Fibonacci rule's minimum swing, in `T`.
    min_swing: T,
}

/// One symbol's running APEX state.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(
        serialize = "T: Float + serde::Serialize",
        deserialize = "T: Float + serde::Deserialize<'de>"
    ))
)]
pub(crate) struct ApexState<T> {
    rsi: Rsi<T>,
    macd: Macd<T>,
    atr: Atr<T>,
    windows: ApexWindows<T>,
    prev_close: Option<f64>,
    prev_histogram: Option<f64>,
    last_timestamp: Option<i64>,
    readings: ApexReadings,
    ready: bool,
}

/// The composite of the eight signals with `config`'s weights and labels.
fn composite(config: &ApexConfig) -> Result<Composite> {
    Composite::new(&APEX_SIGNALS, &config.weights.to_array())?
        .with_min_ready(config.min_ready)?
        .with_labels(config.labels)
}

impl<T: Float> ApexParams<T> {
    /// Validates `config` and derives what scoring needs from it.
    pub(crate) fn new(config: &ApexConfig) -> Result<Self> {
        config.validate()?;
        let config = *config;
        Ok(ApexParams {
            composite: composite(&config)?,
            // Checked as `FibonacciLevels` checks it (an f64 that overflows
            // f32 is an error).
            min_swing: FibonacciLevels::<T>::new(config.periods.fibonacci)?
                .with_min_swing(T::from_f64(config.fibonacci.min_swing))?
                .min_swing(),
            config,
        })
    }
    /// The configuration.
    pub(crate) fn config(&self) -> &ApexConfig {
        &self.config
    }
    /// The composite.
    pub(crate) fn composite(&self) -> &Composite {
        &self.composite
    }
    /// The Fibonacci rule's minimum swing, in `T`.
    pub(crate) fn min_swing(&self) -> T {
        self.min_swing
    }
}

impl<T: Float> ApexState<T> {
    /// A fresh state for `periods` (validated).
    pub(crate) fn new(p: &ApexPeriods) -> Result<Self> {
        Ok(ApexState {
            rsi: Rsi::new(p.rsi)?,
            macd: Macd::new(p.macd_fast, p.macd_slow, p.macd_signal)?,
            atr: Atr::new(p.atr)?,
            windows: ApexWindows::new(p)?,
            prev_close: None,
            prev_histogram: None,
            last_timestamp: None,
            readings: ApexReadings::default(),
            ready: false,
        })
    }
    /// Back to the fresh state.
    pub(crate) fn reset(&mut self) {
        self.rsi.reset();
        self.macd.reset();
        self.atr.reset();
        self.windows.reset();
        self.prev_close = None;
        self.prev_histogram = None;
        self.last_timestamp = None;
        self.readings = ApexReadings::default();
        self.ready = false;
    }
}

#[cfg(feature = "serde")]
impl<T: Float> ApexState<T> {
    /// `Ok` if this state could have been produced with periods `p`: every
    /// indicator and window has its configured period and has taken the
    /// same bars (each is warmed up exactly when the count of bars says),
    /// and the previous values and last readings agree with that count.
    /// (Each part has checked itself on deserialisation.)
    pub(crate) fn check(&self, p: &ApexPeriods) -> Result<()> {
        let w = &self.windows;
        state_ok(
            self.rsi.period() == p.rsi
                && self.macd.fast_period() == p.macd_fast
                && self.macd.slow_period() == p.macd_slow
                && self.macd.signal_period() == p.macd_signal
                && self.atr.period() == p.atr,
            "APEX state periods differ from the configuration",
        )?;
        // Every bar reaches every window: the windows' count is the count,
        // and each indicator has taken as many (up to its first value).
        let bars = w.count(p)?;
        let one = T::one();
        let flat = crate::Bar::new(one, one, one, one, one);
        state_ok(
            taken(&self.rsi, one, bars)
                && taken(&self.macd, one, bars)
                && taken(&self.atr, flat, bars),
            "APEX windows have taken different numbers of bars",
        )?;
        let started = bars > 0;
        state_ok(
            self.last_timestamp.is_some() == started
                && self.prev_close.is_some() == started
                && self.prev_close.map_or(true, |c| c.is_finite() && c > 0.0)
                && self
                    .prev_histogram
                    .map_or(true, |h| h.is_finite() && self.macd.is_ready())
                && (started || !self.ready),
            "APEX previous values inconsistent with the bars taken",
        )?;
        let r = &self.readings;
        let swing_full = bars >= p.fibonacci as u64;
        state_ok(
            (started || *r == ApexReadings::default())
                && (r.rsi.is_none() || self.rsi.is_ready())
                && (r.macd_histogram.is_none() || self.macd.is_ready())
                && ((r.atr.is_none() && r.natr.is_none()) || self.atr.is_ready())
                && ((r.swing.is_none() && r.retracement.is_none()) || swing_full)
                && (r.volume_ratio.is_none() || w.volume.is_ready())
                && (r.ratio_distance_pct.is_none() || w.ratio.is_ready())
                && (r.relative.is_none() || w.relative.is_ready())
                && (r.yield_change.is_none() || w.yields.is_full()),
            "APEX readings inconsistent with the indicators' warm-up",
        )
    }
}

#[cfg(feature = "serde")]
impl<T: Float + serde::Serialize> serde::Serialize for ApexScorer<T> {
    /// `{"config", "state"}`; see "Checkpoints".
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ApexScorer", 2)?;
        st.serialize_field("config", &self.params.config)?;
        st.serialize_field("state", &self.state)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl<'de, T: Float + serde::Deserialize<'de>> serde::Deserialize<'de> for ApexScorer<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        #[serde(rename = "ApexScorer")]
        #[serde(bound(deserialize = "T: Float + serde::Deserialize<'de>"))]
        struct Repr<T> {
            config: ApexConfig,
            state: ApexState<T>,
        }
        let Repr { config, state } = Repr::deserialize(d)?;
        let params = ApexParams::new(&config).map_err(D::Error::custom)?;
        state.check(&config.periods).map_err(D::Error::custom)?;
        Ok(ApexScorer { params, state })
    }
}

impl<T: Float> ApexScorer<T> {
    /// An APEX scorer with `config`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if the configuration is invalid
    /// ([`ApexConfig::validate`]).
    pub fn new(config: ApexConfig) -> Result<Self> {
        let params = ApexParams::new(&config)?;
        Ok(ApexScorer {
            state: ApexState::new(&params.config.periods)?,
            params,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ApexConfig {
        &self.params.config
    }
    /// The composite (names, weights, labels).
    pub fn composite(&self) -> &Composite {
        &self.params.composite
    }
    /// The raw readings of the last accepted bar.
    pub fn readings(&self) -> &ApexReadings {
        &self.state.readings
    }
    /// The timestamp of the last accepted bar.
    pub fn last_timestamp(&self) -> Option<i64> {
        self.state.last_timestamp
    }
}

impl<T: Float> ApexState<T> {
    /// Computes the sub-scores of an already validated bar, updating every
    /// indicator: the readings, then the kernel's [`assemble`] (as the
    /// universe form does for each symbol), then `NaN` → `None`.
    #[inline]
    fn advance(&mut self, params: &ApexParams<T>, bar: &MarketBar<T>) -> [f64; 8] {
        let b = bar.target;
        let nan = f64::NAN;
        // Inputs are validated: these updates cannot fail.
        let rsi = self.rsi.update(b.close).ok().flatten();
        let macd = self.macd.update(b.close).ok().flatten();
        let atr = self.atr.push(&b);
        let x = SignalInputs {
            close: b.close.to_f64(),
            rsi: rsi.map_or(nan, Float::to_f64),
            histogram: macd.map_or(nan, |m| m.histogram.to_f64()),
            atr: atr.map_or(nan, Float::to_f64),
            windows: self.windows.push(bar, params.min_swing),
        };
        let (pc, ph) = (
            self.prev_close.unwrap_or(nan),
            self.prev_histogram.unwrap_or(nan),
        );
        let o = crate::dispatch::wide(
            #[inline(always)]
            || assemble(&params.config, &x, pc, ph),
        );
        self.prev_close = Some(x.close);
        self.prev_histogram = some(x.histogram);
        self.last_timestamp = Some(bar.timestamp);
        self.readings = ApexReadings::from_lanes(&x, &o);
        o.subs
    }
}

impl<T: Float> ApexState<T> {
    /// Validates `bar` and advances every indicator: `update` up to the
    /// sub-scores (the universe form combines them without building a
    /// [`Score`]).
    #[inline]
    pub(crate) fn update_subs(
        &mut self,
        params: &ApexParams<T>,
        bar: MarketBar<T>,
    ) -> Result<[f64; 8]> {
        // One combined test on the hot path; the full checks, in their
        // documented order, only when it fails.
        let in_order = self.last_timestamp.map_or(true, |p| bar.timestamp > p);
        if !(bar.looks_valid() & in_order & in_range(&bar)) {
            check(bar, self.last_timestamp)?;
        }
        Ok(self.advance(params, &bar))
    }
}

/// Whether a bar's values stay in the range the windows' arithmetic can
/// carry (see [`check_range`]), as one branch-free test.
#[inline]
#[allow(clippy::needless_bitwise_bool)] // no short-circuit: one branch for all
pub(crate) fn in_range<T: Float>(bar: &MarketBar<T>) -> bool {
    let ratio = bar.target.close / bar.spy;
    (bar.target.volume <= T::from_f64(T::VARIANCE_LIMIT))
        & (bar.spy >= T::min_positive_value())
        & (ratio >= T::from_f64(T::RATIO_FLOOR))
        & (ratio <= T::from_f64(T::RATIO_LIMIT))
}

/// The range checks of a valid bar, naming the field: the volume is a
/// variance input (its window keeps a sum of squares), SPY divides the
/// close (a normal number) and the target/SPY ratio feeds an EMA (within
/// `[1/L, L]`, `L` = 1e300 for `f64`, 1e30 for `f32`).
fn check_range<T: Float>(bar: &MarketBar<T>) -> Result<()> {
    variance_input("volume", bar.target.volume)?;
    normal_positive("spy", bar.spy)?;
    ratio_in_range("target/spy ratio", bar.target.close / bar.spy)?;
    Ok(())
}

/// `update`'s checks, field by field: [`MarketBar::validate`], the ranges
/// ([`in_range`]), then the timestamp order. Off the hot path (by value, so
/// the caller's bar can stay in registers).
#[cold]
#[inline(never)]
pub(crate) fn check<T: Float>(bar: MarketBar<T>, last_timestamp: Option<i64>) -> Result<()> {
    bar.validate()?;
    check_range(&bar)?;
    match last_timestamp {
        Some(previous) if bar.timestamp <= previous => Err(Error::OutOfOrder {
            stream: "market",
            timestamp: bar.timestamp,
            previous,
        }),
        _ => Ok(()),
    }
}

impl<T: Float> Scorer for ApexScorer<T> {
    type Input = MarketBar<T>;

    #[inline]
    fn update(&mut self, bar: MarketBar<T>) -> Result<Option<Score>> {
        let subs = self.state.update_subs(&self.params, bar)?;
        // Every sub-score is `NaN` or in [−1, 1] (the RSI rule only scales
        // a positive reading by a factor in [0, 1]).
        let score = self.params.composite.combine_lanes(&subs);
        self.state.ready = score.is_some();
        Ok(score)
    }

    fn reset(&mut self) {
        self.state.reset();
    }

    fn is_ready(&self) -> bool {
        self.state.ready
    }
}

impl<T: Float> Default for ApexScorer<T> {
    /// The default [`ApexConfig`].
    fn default() -> Self {
        let config = ApexConfig::default();
        let p = config.periods;
        // Same as `new(ApexConfig::default())`, without the fallible path.
        ApexScorer {
            params: ApexParams {
                composite: Composite::unchecked(
                    &APEX_SIGNALS,
                    &config.weights.to_array(),
                    config.min_ready,
                    config.labels,
                ),
                min_swing: T::zero(),
                config,
            },
            state: ApexState {
                rsi: Rsi::default(),
                macd: Macd::default(),
                atr: Atr::default(),
                windows: ApexWindows {
                    swing: RollingSwing::new(p.fibonacci),
                    volume: VolumeZScore::default(),
                    closes: RollingRange::new(p.breakout),
                    ratio: RelativeRatio::default(),
                    relative: RelativePerformance::default(),
                    yields: Ring::new(p.rates + 1),
                },
                prev_close: None,
                prev_histogram: None,
                last_timestamp: None,
                readings: ApexReadings::default(),
                ready: false,
            },
        }
    }
}

impl<T> fmt::Display for ApexScorer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("APEX")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn default_equals_new_default() {
        let a = ApexScorer::<f64>::default();
        let b = ApexScorer::<f64>::new(ApexConfig::default()).unwrap();
        assert_eq!(a, b);
        ApexConfig::default().validate().unwrap();
    }

    #[test]
    fn rejects_bad_configs() {
        let c = ApexConfig {
            min_ready: 9,
            ..ApexConfig::default()
        };
        assert!(ApexScorer::<f64>::new(c).is_err());
        let mut c = ApexConfig::default();
        c.periods.volume = 1;
        assert!(ApexScorer::<f64>::new(c).is_err());
        let mut c = ApexConfig::default();
        c.periods.rates = usize::MAX;
        assert!(ApexScorer::<f64>::new(c).is_err());
        let mut c = ApexConfig::default();
        c.weights.atr = -0.1;
        assert!(ApexScorer::<f64>::new(c).is_err());
    }
}
