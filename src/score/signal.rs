//! Signals: documented rules that map an indicator's output to a sub-score
//! in [−1, +1] (bearish … bullish).
//!
//! Each signal is a small `Copy` struct of thresholds with public fields, a
//! `Default` drawn from the small-cap rotation analysis, a `validate` method
//! (run by the scorers that use it and on deserialisation), and a pure
//! `score` method. `score` returns `None` when its input is not finite (or a
//! scale it divides by is not positive); otherwise a value in [−1, +1], never
//! NaN, whatever the thresholds.
//!
//! Piecewise-linear rules are given as knots `(x, sub-score)`: linear between
//! knots, flat beyond the first and last.

// The rules are inlined into the universe form's loops, which vectorise.
#![allow(clippy::inline_always)]
// `&` between comparisons on purpose: no short-circuit branch in the rules.
#![allow(clippy::needless_bitwise_bool)]

use crate::float::{pick, some};
use crate::{Error, Result, SwingDirection};

/// Linear interpolation through `knots` (x ascending), flat beyond the ends;
/// a vertical step where two knots share an x. `NaN` gives the last knot's
/// value.
///
/// Branch-free: the segment is the first one, left to right, whose end is
/// ≥ `x`, picked with selects (right to left, so the leftmost match is the
/// one kept), then one interpolation. Unordered knots (which `validate`
/// rejects) give that scan's value too.
#[inline(always)]
fn piecewise<const N: usize>(x: f64, knots: [(f64, f64); N]) -> f64 {
    let (Some(&(x_first, y_first)), Some(&(_, y_last))) = (knots.first(), knots.last()) else {
        return 0.0;
    };
    let (mut x0, mut y0, mut x1, mut y1) = (x_first, y_first, x_first, y_first);
    // The largest segment end: some segment's end is ≥ x exactly when it
    // is (for a finite x; the callers map the others to `NaN`).
    let mut end = f64::NEG_INFINITY;
    for pair in knots.windows(2).rev() {
        if let [(a, b), (c, d)] = *pair {
            let here = x <= c;
            x0 = pick(here, a, x0);
            y0 = pick(here, b, y0);
            x1 = pick(here, c, x1);
            y1 = pick(here, d, y1);
            end = pick(c > end, c, end);
        }
    }
    let inside = pick(x1 > x0, y0 + (y1 - y0) * (x - x0) / (x1 - x0), y1);
    pick(x <= x_first, y_first, pick(x <= end, inside, y_last))
}

/// `x` clamped to [−1, 1] (`NaN` stays `NaN`).
#[inline(always)]
fn clamp1(x: f64) -> f64 {
    let low = pick(x < -1.0, -1.0, x);
    pick(low > 1.0, 1.0, low)
}

/// `+0` for a finite `x`, `NaN` for ±∞ and `NaN`: a sum of these is `0`
/// exactly when every term's `x` is finite, one test for several.
#[inline(always)]
#[allow(clippy::eq_op)] // `x − x` is the test, not a typo
fn nonfinite(x: f64) -> f64 {
    x - x
}

/// `x / scale` and whether it is usable: `scale` positive and finite, and
/// `x / scale` finite.
#[inline(always)]
fn ratio(x: f64, scale: f64) -> (f64, bool) {
    let q = x / scale;
    (q, (scale > 0.0) & (nonfinite(scale) + nonfinite(q) == 0.0))
}

/// `x / scale` clamped to [−1, 1]; `NaN` unless `scale` is positive and
/// finite (and `x / scale` finite).
#[inline(always)]
fn scaled(x: f64, scale: f64) -> f64 {
    let (q, ok) = ratio(x, scale);
    pick(ok, clamp1(q), f64::NAN)
}

fn param(name: &'static str, value: f64, ok: bool, reason: &'static str) -> Result<()> {
    if ok && value.is_finite() {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            reason,
        })
    }
}

/// Checks that `values` (name, value) are finite and non-decreasing.
fn ascending(values: &[(&'static str, f64)], reason: &'static str) -> Result<()> {
    let mut prev = f64::NEG_INFINITY;
    for &(name, v) in values {
        param(name, v, v >= prev, reason)?;
        prev = v;
    }
    Ok(())
}

/// RSI: buy the dip, fade the overbought.
///
/// # Rule
///
/// ```text
/// knots (RSI → sub-score):
///   capitulation (20) → capitulation_score (+0.25)    and below
///   dip_low      (35) → +1
///   dip_high     (42) → +1        the entry zone
///   neutral_low  (50) →  0
///   neutral_high (60) →  0        the neutral zone
///   overbought   (70) → −1        and above
/// ```
///
/// # Reasoning
///
/// In the motivating analysis, pullbacks of IWM to an RSI(14) of 35–42 are
/// among the best risk/reward entries: the trend's buyers step in before the
/// classic "oversold" 30. Deeper readings are still a mean-reversion bet but
/// increasingly a sell-off in progress, so the reading fades towards a small
/// positive value instead of growing. Above the neutral zone the move is
/// extended; at 70 (overbought) chasing has a poor risk/reward: −1.
///
/// # Examples
///
/// ```
/// use apex_ta::score::RsiSignal;
/// let s = RsiSignal::default();
/// assert_eq!(s.score(38.0), Some(1.0));  // a dip after a decline: bullish
/// assert_eq!(s.score(55.0), Some(0.0));
/// assert_eq!(s.score(75.0), Some(-1.0)); // overbought: bearish
/// assert_eq!(s.score(f64::NAN), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RsiSignal {
    /// Below this the dip has become a sell-off (default 20).
    pub capitulation: f64,
    /// Sub-score at and below `capitulation`, in [−1, 1] (default +0.25).
    pub capitulation_score: f64,
    /// Lower edge of the entry zone (default 35).
    pub dip_low: f64,
    /// Upper edge of the entry zone (default 42).
    pub dip_high: f64,
    /// Lower edge of the neutral zone (default 50).
    pub neutral_low: f64,
    /// Upper edge of the neutral zone (default 60).
    pub neutral_high: f64,
    /// Overbought from here up: −1 (default 70).
    pub overbought: f64,
}
validated_deserialize!(RsiSignal {
    capitulation: f64,
    capitulation_score: f64,
    dip_low: f64,
    dip_high: f64,
    neutral_low: f64,
    neutral_high: f64,
    overbought: f64,
});

impl Default for RsiSignal {
    fn default() -> Self {
        RsiSignal {
            capitulation: 20.0,
            capitulation_score: 0.25,
            dip_low: 35.0,
            dip_high: 42.0,
            neutral_low: 50.0,
            neutral_high: 60.0,
            overbought: 70.0,
        }
    }
}

impl RsiSignal {
    /// Checks `0 ≤ capitulation ≤ dip_low ≤ dip_high ≤ neutral_low ≤
    /// neutral_high ≤ overbought ≤ 100` and `capitulation_score ∈ [−1, 1]`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the first bad threshold.
    pub fn validate(&self) -> Result<()> {
        let reason = "RSI thresholds must be in [0, 100] and ascending";
        ascending(
            &[
                ("rsi.capitulation", self.capitulation),
                ("rsi.dip_low", self.dip_low),
                ("rsi.dip_high", self.dip_high),
                ("rsi.neutral_low", self.neutral_low),
                ("rsi.neutral_high", self.neutral_high),
                ("rsi.overbought", self.overbought),
            ],
            reason,
        )?;
        param(
            "rsi.capitulation",
            self.capitulation,
            self.capitulation >= 0.0,
            reason,
        )?;
        param(
            "rsi.overbought",
            self.overbought,
            self.overbought <= 100.0,
            reason,
        )?;
        param(
            "rsi.capitulation_score",
            self.capitulation_score,
            (-1.0..=1.0).contains(&self.capitulation_score),
            "must be in [-1, 1]",
        )
    }

    /// The sub-score of an RSI reading (0–100).
    #[inline]
    pub fn score(&self, rsi: f64) -> Option<f64> {
        some(self.score_lane(rsi))
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(&self, rsi: f64) -> f64 {
        let y = piecewise(rsi, self.knots());
        pick(nonfinite(rsi) + nonfinite(y) == 0.0, clamp1(y), f64::NAN)
    }
    /// The rule's knots `(rsi, sub-score)`.
    #[inline]
    pub(crate) fn knots(&self) -> [(f64, f64); 6] {
        [
            (self.capitulation, self.capitulation_score),
            (self.dip_low, 1.0),
            (self.dip_high, 1.0),
            (self.neutral_low, 0.0),
            (self.neutral_high, 0.0),
            (self.overbought, -1.0),
        ]
    }
}

/// MACD: histogram level and direction, in units of volatility.
///
/// # Rule
///
/// ```text
/// level = clamp(histogram / (level_scale · ATR), −1, 1)
/// slope = clamp((histogram − previous histogram) / (slope_scale · ATR), −1, 1)
/// sub   = (1 − slope_weight) · level + slope_weight · slope
/// ```
///
/// Without a previous histogram the slope term is 0.
///
/// # Reasoning
///
/// The histogram's sign is the line/signal relation: it changes sign exactly
/// when the MACD line crosses its signal line, so a bullish cross turns the
/// level term positive. Its direction (the slope term) catches momentum
/// turning before the cross — a negative but rising histogram is a fading
/// sell-off. Dividing by the ATR makes the thresholds independent of price
/// and of the volatility regime (a histogram of 0.5 means more in a calm
/// market than in a crash). Defaults: on IWM 2005–2024 the histogram's 5–95 %
/// range is about ±0.35 ATR and its daily change about ±0.09 ATR.
///
/// # Examples
///
/// ```
/// use apex_ta::score::MacdSignal;
/// let s = MacdSignal::default();
/// // histogram +0.4 ATR (ATR 2.0) and rising by 0.15 ATR: fully bullish
/// assert_eq!(s.score(0.8, Some(0.5), 2.0), Some(1.0));
/// // negative but turning up: mixed
/// let turning = s.score(-0.2, Some(-0.4), 2.0).unwrap();
/// assert!(turning > -0.5 && turning < 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MacdSignal {
    /// Histogram (in ATRs) that counts as fully bullish/bearish (default 0.3).
    pub level_scale: f64,
    /// Histogram change per bar (in ATRs) that counts as fully rising/falling
    /// (default 0.08).
    pub slope_scale: f64,
    /// Weight of the slope term, in [0, 1] (default 0.4).
    pub slope_weight: f64,
}
validated_deserialize!(MacdSignal {
    level_scale: f64,
    slope_scale: f64,
    slope_weight: f64,
});

impl Default for MacdSignal {
    fn default() -> Self {
        MacdSignal {
            level_scale: 0.3,
            slope_scale: 0.08,
            slope_weight: 0.4,
        }
    }
}

impl MacdSignal {
    /// Checks that the scales are positive and `slope_weight ∈ [0, 1]`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad field.
    pub fn validate(&self) -> Result<()> {
        param(
            "macd.level_scale",
            self.level_scale,
            self.level_scale > 0.0,
            "must be > 0",
        )?;
        param(
            "macd.slope_scale",
            self.slope_scale,
            self.slope_scale > 0.0,
            "must be > 0",
        )?;
        param(
            "macd.slope_weight",
            self.slope_weight,
            (0.0..=1.0).contains(&self.slope_weight),
            "must be in [0, 1]",
        )
    }

    /// The sub-score of a MACD histogram, given the previous bar's histogram
    /// (if any) and the ATR (> 0) in the same price units.
    #[inline]
    pub fn score(&self, histogram: f64, previous: Option<f64>, atr: f64) -> Option<f64> {
        match previous {
            // A previous histogram that is `NaN` has no slope: no score (the
            // lane form reads `NaN` as "no previous histogram").
            Some(p) if p.is_nan() => None,
            _ => some(self.score_lane(histogram, previous.unwrap_or(f64::NAN), atr)),
        }
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule;
    /// a `NaN` `previous` is "no previous histogram" (slope term 0).
    #[inline(always)]
    pub(crate) fn score_lane(&self, histogram: f64, previous: f64, atr: f64) -> f64 {
        let (level, level_ok) = ratio(histogram, self.level_scale * atr);
        let (slope, slope_ok) = ratio(histogram - previous, self.slope_scale * atr);
        let no_previous = previous.is_nan();
        let slope = pick(no_previous, 0.0, clamp1(slope));
        let w = self.slope_weight;
        let sub = (1.0 - w) * clamp1(level) + w * slope;
        let ok = (atr > 0.0) & level_ok & (no_previous | slope_ok) & (nonfinite(sub) == 0.0);
        pick(ok, clamp1(sub), f64::NAN)
    }
}

/// Fibonacci: where the close sits in the recent swing.
///
/// # Rule
///
/// `retracement` r is [`FibonacciOutput::retracement`](crate::FibonacciOutput):
/// 0 at the swing's end, 1 at its start.
///
/// ```text
/// up-swing (low, then high; r = how far the close fell back from the high):
///   0 → +0.25,  support_low (0.382) → +1,  support_high (0.618) → +1,
///   failure (0.786) → 0,  1 → −1
/// down-swing (high, then low; r = how far the close bounced from the low):
///   0 → −1,  support_low → −0.25,  support_high → −0.25,
///   failure → +0.5,  1 → +1
/// ```
///
/// # Reasoning
///
/// In an up-swing, the 38.2–61.8 % retracements are the classic support zone
/// where a pullback in an intact trend is bought; near the high the trend is
/// intact but nothing is on sale (+0.25); losing the 78.6 % level means the
/// swing has failed, and back at the swing low it is fully bearish. A
/// down-swing mirrors this: at its low the market is making new lows (−1), a
/// bounce into 38.2–61.8 % is resistance (mildly bearish), and reclaiming
/// 78.6 % of the decline means the decline has failed (bullish).
///
/// # Examples
///
/// ```
/// use apex_ta::{score::FibonacciSignal, SwingDirection};
/// let s = FibonacciSignal::default();
/// assert_eq!(s.score(SwingDirection::Up, 0.5), Some(1.0));   // at support
/// assert_eq!(s.score(SwingDirection::Up, 1.0), Some(-1.0));  // swing failed
/// assert_eq!(s.score(SwingDirection::Down, 0.0), Some(-1.0)); // new lows
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FibonacciSignal {
    /// Start of the support zone (default 0.382).
    pub support_low: f64,
    /// End of the support zone (default 0.618).
    pub support_high: f64,
    /// The failure level (default 0.786).
    pub failure: f64,
    /// Minimum swing size as a fraction of the swing low, passed to
    /// [`FibonacciLevels::with_min_swing`](crate::FibonacciLevels::with_min_swing);
    /// smaller swings make the signal not ready (default 0: any swing).
    pub min_swing: f64,
}
validated_deserialize!(FibonacciSignal {
    support_low: f64,
    support_high: f64,
    failure: f64,
    min_swing: f64,
});

impl Default for FibonacciSignal {
    fn default() -> Self {
        FibonacciSignal {
            support_low: 0.382,
            support_high: 0.618,
            failure: 0.786,
            min_swing: 0.0,
        }
    }
}

impl FibonacciSignal {
    /// Checks `0 < support_low ≤ support_high ≤ failure < 1` and
    /// `min_swing ≥ 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad field.
    pub fn validate(&self) -> Result<()> {
        let reason = "Fibonacci levels must satisfy 0 < support_low <= support_high <= failure < 1";
        param(
            "fibonacci.support_low",
            self.support_low,
            self.support_low > 0.0,
            reason,
        )?;
        ascending(
            &[
                ("fibonacci.support_low", self.support_low),
                ("fibonacci.support_high", self.support_high),
                ("fibonacci.failure", self.failure),
            ],
            reason,
        )?;
        param(
            "fibonacci.failure",
            self.failure,
            self.failure < 1.0,
            reason,
        )?;
        param(
            "fibonacci.min_swing",
            self.min_swing,
            self.min_swing >= 0.0,
            "must be >= 0",
        )
    }

    /// The sub-score of a close at retracement `retracement` of a swing.
    #[inline]
    pub fn score(&self, direction: SwingDirection, retracement: f64) -> Option<f64> {
        let sign = match direction {
            SwingDirection::Up => 1.0,
            SwingDirection::Down => -1.0,
        };
        some(self.score_lane(sign, retracement))
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule;
    /// `direction` is `+1` (up), `−1` (down) or `NaN` (no swing).
    #[inline(always)]
    pub(crate) fn score_lane(&self, direction: f64, retracement: f64) -> f64 {
        let (up, down) = (self.knots(true), self.knots(false));
        let is_up = direction > 0.0;
        let mut knots = up;
        for (k, d) in knots.iter_mut().zip(down) {
            k.1 = pick(is_up, k.1, d.1);
        }
        let y = piecewise(retracement, knots);
        let ok = (nonfinite(retracement) + nonfinite(y) == 0.0) & !direction.is_nan();
        pick(ok, clamp1(y), f64::NAN)
    }
    /// The rule's knots `(retracement, sub-score)` for an up (`true`) or a
    /// down swing: the same retracements, different sub-scores.
    #[inline]
    pub(crate) fn knots(&self, up: bool) -> [(f64, f64); 5] {
        let (lo, hi, fail) = (self.support_low, self.support_high, self.failure);
        let y = |u: f64, d: f64| if up { u } else { d };
        [
            (0.0, y(0.25, -1.0)),
            (lo, y(1.0, -0.25)),
            (hi, y(1.0, -0.25)),
            (fail, y(0.0, 0.5)),
            (1.0, y(-1.0, 1.0)),
        ]
    }
}

/// Volume: a spike confirms the bar's move, breakout or breakdown.
///
/// # Rule
///
/// ```text
/// intensity = clamp((volume_ratio − base) / (spike − base), 0, 1)
/// direction = +1   if the close broke above the highest close of the prior window
///             −1   if it broke below the lowest close of the prior window
///             clamp((close − previous close) / (move_scale · ATR), −1, 1) otherwise
/// sub       = intensity · direction
/// ```
///
/// `volume_ratio` is [`VolumeZScoreOutput::ratio`](crate::VolumeZScoreOutput):
/// volume over the window's mean volume, the current bar included (so a bar
/// at 3× the previous bars' average reads ≈ 2.7 over 20 bars).
///
/// # Reasoning
///
/// Volume says how much conviction is behind a move, not which way: the
/// motivating analysis reads spikes of 2–3× average volume at a breakout as
/// institutional buying and the same spike on a breakdown as distribution.
/// So the volume ratio sets the strength and the bar sets the sign; ordinary
/// volume (below `base`) says nothing (0).
///
/// # Examples
///
/// ```
/// use apex_ta::score::VolumeSignal;
/// let s = VolumeSignal::default();
/// assert_eq!(s.score(2.5, 1.0), Some(1.0));   // 2.5× on a breakout: bullish
/// assert_eq!(s.score(2.5, -1.0), Some(-1.0)); // 2.5× on a breakdown: bearish
/// assert_eq!(s.score(1.0, 1.0), Some(0.0));   // ordinary volume: nothing
/// // breakout: close 105 above the prior 20-bar high close 104
/// assert_eq!(s.direction(105.0, 103.0, 2.0, Some((104.0, 95.0))), Some(1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VolumeSignal {
    /// Volume ratio at and below which volume says nothing (default 1.25).
    pub base: f64,
    /// Volume ratio at which the signal is at full strength (default 2.0).
    pub spike: f64,
    /// Close-to-close move (in ATRs) that counts as a full move when the
    /// close did not break out (default 1.0).
    pub move_scale: f64,
}
validated_deserialize!(VolumeSignal {
    base: f64,
    spike: f64,
    move_scale: f64,
});

impl Default for VolumeSignal {
    fn default() -> Self {
        VolumeSignal {
            base: 1.25,
            spike: 2.0,
            move_scale: 1.0,
        }
    }
}

impl VolumeSignal {
    /// Checks `0 ≤ base < spike` and `move_scale > 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad field.
    pub fn validate(&self) -> Result<()> {
        param("volume.base", self.base, self.base >= 0.0, "must be >= 0")?;
        param(
            "volume.spike",
            self.spike,
            self.spike > self.base,
            "must be > base",
        )?;
        param(
            "volume.move_scale",
            self.move_scale,
            self.move_scale > 0.0,
            "must be > 0",
        )
    }

    /// The bar's direction in [−1, 1]: ±1 for a close beyond the prior
    /// window's `(highest, lowest)` close, else the close-to-close move in
    /// units of `move_scale · atr`. `None` if `atr ≤ 0` or a value is not
    /// finite.
    #[inline]
    pub fn direction(
        &self,
        close: f64,
        previous_close: f64,
        atr: f64,
        prior_range: Option<(f64, f64)>,
    ) -> Option<f64> {
        let (high, low) = prior_range.unwrap_or((f64::NAN, f64::NAN));
        some(self.direction_lane(close, previous_close, atr, high, low))
    }
    /// [`direction`](Self::direction) with `NaN` for `None`, branch-free:
    /// the rule; a `NaN` range is "no prior range".
    #[inline(always)]
    pub(crate) fn direction_lane(
        &self,
        close: f64,
        previous_close: f64,
        atr: f64,
        range_high: f64,
        range_low: f64,
    ) -> f64 {
        let (moved, ok) = ratio(close - previous_close, self.move_scale * atr);
        let moved = pick(ok & (atr > 0.0), clamp1(moved), f64::NAN);
        pick(
            close > range_high,
            1.0,
            pick(close < range_low, -1.0, moved),
        )
    }

    /// The sub-score of a bar with volume ratio `volume_ratio` moving in
    /// `direction` ∈ [−1, 1].
    #[inline]
    pub fn score(&self, volume_ratio: f64, direction: f64) -> Option<f64> {
        some(self.score_lane(volume_ratio, direction))
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(&self, volume_ratio: f64, direction: f64) -> f64 {
        let (intensity, ok) = ratio(volume_ratio - self.base, self.spike - self.base);
        let intensity = clamp1(intensity);
        // `max(intensity, 0)`, keeping the sign of a zero intensity (as
        // `f64::max` did here on x86-64; it leaves that sign unspecified).
        let intensity = pick(intensity < 0.0, 0.0, intensity);
        let ok = ok & (nonfinite(direction) == 0.0);
        pick(ok, clamp1(intensity * clamp1(direction)), f64::NAN)
    }
}

/// ATR: the volatility regime, as ATR in percent of the close (NATR).
///
/// # Rule
///
/// ```text
/// knots (NATR % → sub-score):
///   0 → 0,  normal_low (1.5) → normal_score (+0.25),
///   normal_high (2.5) → normal_score,  risk_off (4.0) → −1 and above
/// ```
///
/// # Reasoning
///
/// The motivating analysis treats an ATR of 1.5–2.5 % of price as IWM's
/// normal band (on 2005–2024 data its median is 1.7 %): a market where the
/// other signals' entries work, so a mild tailwind. Far above it the market
/// is in risk-off mode (2008: up to 9 %, March 2020: 8 %), where dips keep
/// going and breakouts fail: strongly bearish from `risk_off` up. Below the
/// band volatility is compressed; that says little about direction, so the
/// reading fades to 0.
///
/// # Examples
///
/// ```
/// use apex_ta::score::VolatilitySignal;
/// let s = VolatilitySignal::default();
/// assert_eq!(s.score(2.0), Some(0.25));  // normal band
/// assert_eq!(s.score(5.0), Some(-1.0));  // risk-off
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VolatilitySignal {
    /// Lower edge of the normal band, percent (default 1.5).
    pub normal_low: f64,
    /// Upper edge of the normal band, percent (default 2.5).
    pub normal_high: f64,
    /// Fully risk-off from here up, percent (default 4.0).
    pub risk_off: f64,
    /// Sub-score inside the normal band, in [−1, 1] (default +0.25).
    pub normal_score: f64,
}
validated_deserialize!(VolatilitySignal {
    normal_low: f64,
    normal_high: f64,
    risk_off: f64,
    normal_score: f64,
});

impl Default for VolatilitySignal {
    fn default() -> Self {
        VolatilitySignal {
            normal_low: 1.5,
            normal_high: 2.5,
            risk_off: 4.0,
            normal_score: 0.25,
        }
    }
}

impl VolatilitySignal {
    /// Checks `0 < normal_low ≤ normal_high < risk_off` and
    /// `normal_score ∈ [−1, 1]`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad field.
    pub fn validate(&self) -> Result<()> {
        let reason = "must satisfy 0 < normal_low <= normal_high < risk_off";
        param(
            "volatility.normal_low",
            self.normal_low,
            self.normal_low > 0.0,
            reason,
        )?;
        param(
            "volatility.normal_high",
            self.normal_high,
            self.normal_high >= self.normal_low,
            reason,
        )?;
        param(
            "volatility.risk_off",
            self.risk_off,
            self.risk_off > self.normal_high,
            reason,
        )?;
        param(
            "volatility.normal_score",
            self.normal_score,
            (-1.0..=1.0).contains(&self.normal_score),
            "must be in [-1, 1]",
        )
    }

    /// The sub-score of an ATR of `natr_pct` percent of the close.
    #[inline]
    pub fn score(&self, natr_pct: f64) -> Option<f64> {
        some(self.score_lane(natr_pct))
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(&self, natr_pct: f64) -> f64 {
        let y = piecewise(natr_pct, self.knots());
        pick(
            nonfinite(natr_pct) + nonfinite(y) == 0.0,
            clamp1(y),
            f64::NAN,
        )
    }
    /// The rule's knots `(ATR % of price, sub-score)`.
    #[inline]
    pub(crate) fn knots(&self) -> [(f64, f64); 4] {
        [
            (0.0, 0.0),
            (self.normal_low, self.normal_score),
            (self.normal_high, self.normal_score),
            (self.risk_off, -1.0),
        ]
    }
}

/// Relative ratio: the target/benchmark ratio against its own trend.
///
/// # Rule
///
/// ```text
/// sub = clamp(distance_pct / full_scale_pct, −1, 1)
/// ```
///
/// `distance_pct` is [`RelativeRatioOutput::distance_pct`](crate::RelativeRatioOutput):
/// the ratio's percent distance from its EMA.
///
/// # Reasoning
///
/// A ratio above its trend is a rising ratio. For IWM/SPY the motivating
/// analysis reads it as rate-cut conviction: money rotating into small caps,
/// which gain most from cheaper credit. On 2005–2024 data the IWM/SPY
/// distance from its 50-day EMA has a 5–95 % range of about ±3.5 %, so ±3 %
/// is full strength (default).
///
/// # Examples
///
/// ```
/// use apex_ta::score::RatioSignal;
/// assert_eq!(RatioSignal::default().score(1.5), Some(0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RatioSignal {
    /// Distance from trend, in percent, that counts as full strength
    /// (default 3.0).
    pub full_scale_pct: f64,
}
validated_deserialize!(RatioSignal {
    full_scale_pct: f64
});

impl Default for RatioSignal {
    fn default() -> Self {
        RatioSignal {
            full_scale_pct: 3.0,
        }
    }
}

impl RatioSignal {
    /// Checks `full_scale_pct > 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] otherwise.
    pub fn validate(&self) -> Result<()> {
        param(
            "ratio.full_scale_pct",
            self.full_scale_pct,
            self.full_scale_pct > 0.0,
            "must be > 0",
        )
    }

    /// The sub-score of a ratio `distance_pct` percent above (+) or below (−)
    /// its trend.
    #[inline]
    pub fn score(&self, distance_pct: f64) -> Option<f64> {
        some(self.score_lane(distance_pct))
    }
    /// [`score`](Self::score) with `NaN` for `None`: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(self, distance_pct: f64) -> f64 {
        scaled(distance_pct, self.full_scale_pct)
    }
}

/// Relative performance: the target's n-bar return minus a benchmark's.
///
/// # Rule
///
/// ```text
/// sub = clamp(spread / full_scale, −1, 1)
/// ```
///
/// `spread` is [`RelativePerformance`](crate::RelativePerformance)'s output,
/// a fraction (0.02 = 2 percentage points).
///
/// # Reasoning
///
/// IWM leading QQQ over 20 days means buyers are reaching beyond the mega-cap
/// leaders: broad participation, the breadth that sustains small-cap rallies.
/// IWM lagging means a narrow market. The 5–95 % range of the 20-day spread
/// on 2005–2024 data is about ±5 points: full strength (default 0.05).
///
/// # Examples
///
/// ```
/// use apex_ta::score::SpreadSignal;
/// assert_eq!(SpreadSignal::default().score(-0.10), Some(-1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SpreadSignal {
    /// Return spread (a fraction) that counts as full strength (default 0.05).
    pub full_scale: f64,
}
validated_deserialize!(SpreadSignal { full_scale: f64 });

impl Default for SpreadSignal {
    fn default() -> Self {
        SpreadSignal { full_scale: 0.05 }
    }
}

impl SpreadSignal {
    /// Checks `full_scale > 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] otherwise.
    pub fn validate(&self) -> Result<()> {
        param(
            "breadth.full_scale",
            self.full_scale,
            self.full_scale > 0.0,
            "must be > 0",
        )
    }

    /// The sub-score of a return spread.
    #[inline]
    pub fn score(&self, spread: f64) -> Option<f64> {
        some(self.score_lane(spread))
    }
    /// [`score`](Self::score) with `NaN` for `None`: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(self, spread: f64) -> f64 {
        scaled(spread, self.full_scale)
    }
}

/// Rates: the change of the 2-year Treasury yield; falling is bullish.
///
/// # Rule
///
/// ```text
/// sub = clamp(−Δyield / full_scale, −1, 1)       Δyield over n bars, in yield points
/// ```
///
/// Yields are in percent, as FRED publishes DGS2 (4.25 = 4.25 %), so the
/// default full scale 0.30 is 30 basis points.
///
/// # Reasoning
///
/// The 2-year yield tracks the expected path of the policy rate. Small
/// caps carry more floating-rate debt and depend more on bank credit than
/// large caps, so a falling 2-year yield (cuts being priced in) favours them
/// and a rising one (hikes) hurts them. Over 20 trading days the 2005–2024
/// change has a 5–95 % range of about ±0.37 points; ±0.30 (a bit more than
/// one 25 bp move) is full strength.
///
/// # Examples
///
/// ```
/// use apex_ta::score::RatesSignal;
/// let s = RatesSignal::default();
/// assert_eq!(s.score(-0.30), Some(1.0)); // yields down 30 bp: bullish
/// assert_eq!(s.score(0.15), Some(-0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RatesSignal {
    /// Yield change (in yield points) that counts as full strength
    /// (default 0.30).
    pub full_scale: f64,
}
validated_deserialize!(RatesSignal { full_scale: f64 });

impl Default for RatesSignal {
    fn default() -> Self {
        RatesSignal { full_scale: 0.30 }
    }
}

impl RatesSignal {
    /// Checks `full_scale > 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] otherwise.
    pub fn validate(&self) -> Result<()> {
        param(
            "rates.full_scale",
            self.full_scale,
            self.full_scale > 0.0,
            "must be > 0",
        )
    }

    /// The sub-score of a yield change (new − old, in yield points).
    #[inline]
    pub fn score(&self, change: f64) -> Option<f64> {
        some(self.score_lane(change))
    }
    /// [`score`](Self::score) with `NaN` for `None`: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(self, change: f64) -> f64 {
        scaled(-change, self.full_scale)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn piecewise_interpolates_and_is_flat_outside() {
        let k = [(0.0, 0.0), (1.0, 1.0), (1.0, 2.0), (3.0, 0.0)];
        assert_eq!(piecewise(-5.0, k), 0.0);
        assert_eq!(piecewise(0.5, k), 0.5);
        assert_eq!(piecewise(1.0, k), 1.0);
        assert_eq!(piecewise(2.0, k), 1.0);
        assert_eq!(piecewise(9.0, k), 0.0);
        assert_eq!(piecewise(1.0, []), 0.0);
    }

    #[test]
    fn piecewise_scans_unordered_knots() {
        // Out-of-order knots (which `validate` rejects) give the scan's
        // value: the first segment whose end is ≥ x.
        let k = [(0.0, 0.0), (2.0, 1.0), (1.0, -1.0), (3.0, 0.5)];
        let scan = |x: f64| {
            if x <= 0.0 {
                return 0.0;
            }
            for p in k.windows(2) {
                if x <= p[1].0 {
                    return if p[1].0 > p[0].0 {
                        p[0].1 + (p[1].1 - p[0].1) * (x - p[0].0) / (p[1].0 - p[0].0)
                    } else {
                        p[1].1
                    };
                }
            }
            0.5
        };
        for x in [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 9.0, f64::NAN] {
            assert_eq!(scan(x).to_bits(), piecewise(x, k).to_bits(), "{x}");
        }
    }

    /// Awkward values around every default threshold and beyond.
    fn grid() -> Vec<f64> {
        let mut xs = vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            -f64::MAX,
            f64::MIN_POSITIVE,
            0.0,
            -0.0,
            1e-300,
            -1e-300,
        ];
        for base in [
            0.0, 0.05, 0.25, 0.3, 0.382, 0.5, 0.618, 0.786, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0,
            20.0, 35.0, 42.0, 50.0, 60.0, 70.0, 100.0,
        ] {
            for d in [-1e-9, 0.0, 1e-9, 0.013, -0.37, 0.5, -2.0, 7.0] {
                xs.push(base + d);
                xs.push(-(base + d));
            }
        }
        xs
    }

    #[test]
    fn every_rule_gives_none_or_a_unit_value() {
        let unit = |s: Option<f64>| s.map_or(true, |x| (-1.0..=1.0).contains(&x));
        let xs = grid();
        for &x in &xs {
            assert!(unit(RsiSignal::default().score(x)), "rsi {x}");
            assert!(unit(VolatilitySignal::default().score(x)), "atr {x}");
            assert!(unit(RatioSignal::default().score(x)), "ratio {x}");
            assert!(unit(SpreadSignal::default().score(x)), "spread {x}");
            assert!(unit(RatesSignal::default().score(x)), "rates {x}");
            for d in [SwingDirection::Up, SwingDirection::Down] {
                assert!(unit(FibonacciSignal::default().score(d, x)), "fib {x}");
            }
            for &y in xs.iter().step_by(7) {
                let v = VolumeSignal::default();
                assert!(unit(v.score(x, y)), "volume {x} {y}");
                for atr in [f64::NAN, -1.0, 0.0, 0.5, 3.0, f64::INFINITY] {
                    for prev in [None, Some(y), Some(f64::INFINITY)] {
                        assert!(unit(MacdSignal::default().score(x, prev, atr)));
                    }
                    for range in [None, Some((y + 1.0, y - 1.0)), Some((x, x))] {
                        assert!(unit(v.direction(x, y, atr, range)));
                    }
                }
            }
        }
    }

    #[test]
    fn volume_intensity_keeps_the_sign_of_a_zero() {
        // A volume of −0 at `base` 0 is an intensity of −0, kept: the
        // sub-score is −0, as `ApexScorer` gave before the rules had one
        // form (the universe form then gave +0).
        let s = VolumeSignal {
            base: 0.0,
            ..VolumeSignal::default()
        };
        assert_eq!(
            s.score(-0.0, 0.5).map(f64::to_bits),
            Some((-0.0_f64).to_bits())
        );
        assert_eq!(s.score(0.0, 0.5).map(f64::to_bits), Some(0.0_f64.to_bits()));
        assert_eq!(
            s.score(-1.0, 0.5).map(f64::to_bits),
            Some(0.0_f64.to_bits())
        );
    }

    #[test]
    fn a_nan_previous_histogram_gives_no_macd_score() {
        let s = MacdSignal::default();
        assert_eq!(s.score(0.1, Some(f64::NAN), 1.0), None);
        assert!(s.score(0.1, None, 1.0).is_some());
    }

    #[test]
    fn defaults_validate() {
        RsiSignal::default().validate().unwrap();
        MacdSignal::default().validate().unwrap();
        FibonacciSignal::default().validate().unwrap();
        VolumeSignal::default().validate().unwrap();
        VolatilitySignal::default().validate().unwrap();
        RatioSignal::default().validate().unwrap();
        SpreadSignal::default().validate().unwrap();
        RatesSignal::default().validate().unwrap();
    }

    #[test]
    fn degenerate_parameters_never_give_nan() {
        let s = RsiSignal {
            dip_low: 40.0,
            dip_high: 40.0,
            neutral_low: 40.0,
            ..RsiSignal::default()
        };
        for x in [0.0, 39.9, 40.0, 40.1, 100.0] {
            assert!(s.score(x).unwrap().is_finite());
        }
        let v = VolumeSignal {
            base: 2.0,
            spike: 2.0,
            move_scale: 0.0,
        };
        assert_eq!(v.score(3.0, 1.0), None);
        assert_eq!(v.direction(1.0, 0.0, 1.0, None), None);
        assert_eq!(RatesSignal { full_scale: 0.0 }.score(1.0), None);
        assert_eq!(MacdSignal::default().score(1.0, None, 0.0), None);
    }
}
