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

/// RSI: buy the dip, more so when the rate backdrop turns; fade the
/// overbought.
///
/// > "RSI dips to 35–42 during recession fear, when the fear is about rates
/// > rather than collapsing earnings and the Fed is turning to cuts, are among
/// > the best risk/reward entries." (the motivating analysis)
///
/// # Rule
///
/// ```text
/// knots (RSI → dip reading d):
///   capitulation (20) → capitulation_score (+1)    and below
///   dip_low      (35) → +1
///   dip_high     (42) → +1        the entry zone
///   neutral_low  (50) →  0
///   neutral_high (60) →  0        the neutral zone
///   overbought   (70) → −1        and above
/// sub = d · rising_rates (0.5)   if d > 0 and the 2-year yield rose over the
///                                rates window (Δyield > 0)
///       d                        otherwise (falling, flat or no yield)
/// ```
///
/// # Reasoning
///
/// A dip is the analysis's entry. It stays one below 35 (APEX v1 faded
/// deeper readings and switched them off in high volatility, which is where
/// they paid most: the washout lows of 2008, 2011 and 2020). A dip while
/// the 2-year yield falls is the case the sentence singles out, the market
/// pricing cuts; while the yield rises the fear is about tighter money, and
/// the dip counts half. Above the neutral zone the move is extended; at 70
/// chasing has a poor risk/reward: −1.
///
/// # Examples
///
/// ```
/// use apex_ta::score::RsiSignal;
/// let s = RsiSignal::default();
/// assert_eq!(s.score(38.0, Some(-0.2)), Some(1.0)); // a dip, yields falling
/// assert_eq!(s.score(38.0, Some(0.2)), Some(0.5));  // a dip, yields rising
/// assert_eq!(s.score(25.0, None), Some(1.0));       // a washout still counts
/// assert_eq!(s.score(55.0, None), Some(0.0));
/// assert_eq!(s.score(75.0, Some(-0.2)), Some(-1.0)); // overbought
/// assert_eq!(s.score(f64::NAN, None), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RsiSignal {
    /// The lowest knot (default 20).
    pub capitulation: f64,
    /// Dip reading at and below `capitulation`, in [−1, 1] (default +1: a
    /// washout is still an entry; APEX v1 used +0.25).
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
    /// Factor on a positive reading while the 2-year yield rose over the
    /// rates window, in [0, 1] (default 0.5; 1 ignores the rates).
    pub rising_rates: f64,
}
validated_deserialize!(RsiSignal {
    capitulation: f64,
    capitulation_score: f64,
    dip_low: f64,
    dip_high: f64,
    neutral_low: f64,
    neutral_high: f64,
    overbought: f64,
    rising_rates: f64,
});

impl Default for RsiSignal {
    fn default() -> Self {
        RsiSignal {
            capitulation: 20.0,
            capitulation_score: 1.0,
            dip_low: 35.0,
            dip_high: 42.0,
            neutral_low: 50.0,
            neutral_high: 60.0,
            overbought: 70.0,
            rising_rates: 0.5,
        }
    }
}

impl RsiSignal {
    /// Checks `0 ≤ capitulation ≤ dip_low ≤ dip_high ≤ neutral_low ≤
    /// neutral_high ≤ overbought ≤ 100`, `capitulation_score ∈ [−1, 1]` and
    /// `rising_rates ∈ [0, 1]`.
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
        )?;
        param(
            "rsi.rising_rates",
            self.rising_rates,
            (0.0..=1.0).contains(&self.rising_rates),
            "must be in [0, 1]",
        )
    }

    /// The sub-score of an RSI reading (0–100), given the 2-year yield's
    /// change over the rates window (yield points; `None` if unknown).
    #[inline]
    pub fn score(&self, rsi: f64, yield_change: Option<f64>) -> Option<f64> {
        some(self.score_lane(rsi, yield_change.unwrap_or(f64::NAN)))
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(&self, rsi: f64, yield_change: f64) -> f64 {
        let y = piecewise(rsi, self.knots());
        let d = clamp1(y);
        let damped = (d > 0.0) & (yield_change > 0.0);
        let ok = nonfinite(rsi) + nonfinite(y) == 0.0;
        pick(ok, pick(damped, d * self.rising_rates, d), f64::NAN)
    }
    /// The rule's knots `(rsi, dip reading)`.
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

/// MACD: momentum turning, not momentum chased.
///
/// > "MACD — momentum: histogram sign and direction, line/signal crosses";
/// > trend readings "may confirm or veto". (the motivating analysis and the
/// > APEX design)
///
/// # Rule
///
/// ```text
/// turn = clamp((histogram − previous histogram) / (turn_scale · ATR), −1, 1)
/// sub  = max(turn, 0)   histogram < 0: a sell-off losing momentum confirms a dip
///        min(turn, 0)   histogram > 0: a rally losing momentum vetoes a chase
///        0              histogram = 0
/// ```
///
/// No score without a previous histogram.
///
/// # Reasoning
///
/// APEX v1 scored the histogram's level: positive momentum was bullish. On
/// IWM 2005–2016 the level ranks the next 20 days backwards (rank IC −0.06):
/// strong momentum is followed by giving some of it back. What the
/// histogram does tell is a turn: below zero and rising, the selling is
/// exhausting (the line is about to cross its signal from below), which
/// confirms a dip entry; above zero and falling, the buying is fading, which
/// vetoes a chase. A rising histogram above zero or a falling one below says
/// nothing new (0). Dividing by the ATR makes the scale independent of price
/// and regime; the histogram's daily change is about ±0.1 ATR (default).
///
/// # Examples
///
/// ```
/// use apex_ta::score::MacdSignal;
/// let s = MacdSignal::default();
/// // below zero and rising by 0.15 ATR (ATR 2.0): the sell-off is turning
/// assert_eq!(s.score(-0.5, Some(-0.8), 2.0), Some(1.0));
/// // above zero and falling by 0.1 ATR: the rally is fading
/// assert_eq!(s.score(0.3, Some(0.5), 2.0), Some(-1.0));
/// // above zero and rising: nothing new
/// assert_eq!(s.score(0.5, Some(0.4), 2.0), Some(0.0));
/// assert_eq!(s.score(0.5, None, 2.0), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MacdSignal {
    /// Histogram change per bar (in ATRs) that counts as a full turn
    /// (default 0.1).
    pub turn_scale: f64,
}
validated_deserialize!(MacdSignal { turn_scale: f64 });

impl Default for MacdSignal {
    fn default() -> Self {
        MacdSignal { turn_scale: 0.1 }
    }
}

impl MacdSignal {
    /// Checks `turn_scale > 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] otherwise.
    pub fn validate(&self) -> Result<()> {
        param(
            "macd.turn_scale",
            self.turn_scale,
            self.turn_scale > 0.0,
            "must be > 0",
        )
    }

    /// The sub-score of a MACD histogram, given the previous bar's histogram
    /// and the ATR (> 0) in the same price units.
    #[inline]
    pub fn score(&self, histogram: f64, previous: Option<f64>, atr: f64) -> Option<f64> {
        some(self.score_lane(histogram, previous.unwrap_or(f64::NAN), atr))
    }
    /// [`score`](Self::score) with `NaN` for `None`, branch-free: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(self, histogram: f64, previous: f64, atr: f64) -> f64 {
        let (turn, ok) = ratio(histogram - previous, self.turn_scale * atr);
        let turn = clamp1(turn);
        let up = pick(turn > 0.0, turn, 0.0);
        let down = pick(turn < 0.0, turn, 0.0);
        let sub = pick(histogram < 0.0, up, pick(histogram > 0.0, down, 0.0));
        pick(ok & (nonfinite(histogram) == 0.0), sub, f64::NAN)
    }
}

/// Fibonacci: where the close sits in the recent swing — bought at a
/// discount, not at the high.
///
/// > "RSI dips … are among the best risk/reward entries"; the Fibonacci
/// > retracements mark how deep a dip has gone. (the motivating analysis)
///
/// # Rule
///
/// `retracement` r is [`FibonacciOutput::retracement`](crate::FibonacciOutput)
/// (0 at the swing's end, 1 at its start); the close's position in the
/// swing's range is p = 1 − r in an up-swing, p = r in a down-swing
/// (0 at the swing low, 1 at the swing high).
///
/// ```text
/// knots (p → sub-score):
///   discount (0.382) → +1   and below: a pullback to the 38.2 % level or deeper
///   fair     (0.618) →  0
///   1                → −1   at the swing high: a chase
/// ```
///
/// # Reasoning
///
/// APEX v1 read the swing as a trend: an up-swing was support, a down-swing
/// resistance. On IWM 2005–2016 the close's place in its 55-bar range ranks
/// the next 20 days backwards (rank IC −0.12): closes near the top of the
/// range were followed by less. As a dip gauge the levels read the other
/// way round: a close in the lower part of the range, at or below the
/// 38.2 % mark, is a market on sale; near the swing high nothing is.
///
/// # Examples
///
/// ```
/// use apex_ta::{score::FibonacciSignal, SwingDirection};
/// let s = FibonacciSignal::default();
/// // an up-swing retraced 70 % (p = 0.3): a deep pullback, bullish
/// assert_eq!(s.score(SwingDirection::Up, 0.7), Some(1.0));
/// // at the high of an up-swing: a chase
/// assert_eq!(s.score(SwingDirection::Up, 0.0), Some(-1.0));
/// // at the low of a down-swing: on sale
/// assert_eq!(s.score(SwingDirection::Down, 0.0), Some(1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FibonacciSignal {
    /// Position in the swing at and below which the close is fully on sale
    /// (default 0.382).
    pub discount: f64,
    /// Position in the swing that is neutral (default 0.618).
    pub fair: f64,
    /// Minimum swing size as a fraction of the swing low, passed to
    /// [`FibonacciLevels::with_min_swing`](crate::FibonacciLevels::with_min_swing);
    /// smaller swings make the signal not ready (default 0: any swing).
    pub min_swing: f64,
}
validated_deserialize!(FibonacciSignal {
    discount: f64,
    fair: f64,
    min_swing: f64,
});

impl Default for FibonacciSignal {
    fn default() -> Self {
        FibonacciSignal {
            discount: 0.382,
            fair: 0.618,
            min_swing: 0.0,
        }
    }
}

impl FibonacciSignal {
    /// Checks `0 ≤ discount ≤ fair < 1` and `min_swing ≥ 0`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad field.
    pub fn validate(&self) -> Result<()> {
        let reason = "Fibonacci positions must satisfy 0 <= discount <= fair < 1";
        param(
            "fibonacci.discount",
            self.discount,
            self.discount >= 0.0,
            reason,
        )?;
        ascending(
            &[
                ("fibonacci.discount", self.discount),
                ("fibonacci.fair", self.fair),
            ],
            reason,
        )?;
        param("fibonacci.fair", self.fair, self.fair < 1.0, reason)?;
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
        let position = pick(direction > 0.0, 1.0 - retracement, retracement);
        let y = piecewise(position, self.knots());
        let ok = (nonfinite(retracement) + nonfinite(y) == 0.0) & !direction.is_nan();
        pick(ok, clamp1(y), f64::NAN)
    }
    /// The rule's knots `(position in the swing, sub-score)`.
    #[inline]
    pub(crate) fn knots(&self) -> [(f64, f64); 3] {
        [(self.discount, 1.0), (self.fair, 0.0), (1.0, -1.0)]
    }
}

/// Volume: a spike at a breakout is conviction; a spike on a breakdown is
/// capitulation.
///
/// > "Volume spikes of 2–3× average at technical breakouts precede the
/// > strongest short-term outperformance." (the motivating analysis)
///
/// # Rule
///
/// ```text
/// intensity = clamp((volume_ratio − base) / (spike − base), 0, 1)
/// direction = +1   if the close broke above the highest close of the prior window
///             −1   if it broke below the lowest close of the prior window
///             clamp((close − previous close) / (move_scale · ATR), −1, 1) otherwise
/// sub       = intensity · direction                  direction ≥ 0 (a breakout, an up bar)
///             intensity · capitulation · |direction|  direction < 0 (a breakdown, a down bar)
/// ```
///
/// `volume_ratio` is [`VolumeZScoreOutput::ratio`](crate::VolumeZScoreOutput):
/// volume over the window's mean volume, the current bar included (so a bar
/// at 3× the previous bars' average reads ≈ 2.7 over 20 bars).
///
/// # Reasoning
///
/// The breakout spike is the sentence above. A spike on a breakdown is the
/// other half of the analysis's entry: the selling climax of the fear the
/// RSI rule buys. APEX v1 read it as distribution (−1); on IWM 2005–2016
/// heavy volume was followed by *higher* 20-day returns whichever way the
/// bar went (rank IC of the volume ratio +0.05), so v2 gives a capitulation
/// spike half a breakout's credit (`capitulation`, default 0.5; −1 restores
/// the v1 reading). Ordinary volume (below `base`) says nothing (0).
///
/// # Examples
///
/// ```
/// use apex_ta::score::VolumeSignal;
/// let s = VolumeSignal::default();
/// assert_eq!(s.score(2.5, 1.0), Some(1.0));   // 2.5× on a breakout
/// assert_eq!(s.score(2.5, -1.0), Some(0.5));  // 2.5× on a breakdown: capitulation
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
    /// Sub-score per unit of a downward move on a spike, in [−1, 1]
    /// (default +0.5: capitulation; −1 reads it as distribution, as v1 did).
    pub capitulation: f64,
}
validated_deserialize!(VolumeSignal {
    base: f64,
    spike: f64,
    move_scale: f64,
    capitulation: f64,
});

impl Default for VolumeSignal {
    fn default() -> Self {
        VolumeSignal {
            base: 1.25,
            spike: 2.0,
            move_scale: 1.0,
            capitulation: 0.5,
        }
    }
}

impl VolumeSignal {
    /// Checks `0 ≤ base < spike`, `move_scale > 0` and `capitulation ∈
    /// [−1, 1]`.
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
        )?;
        param(
            "volume.capitulation",
            self.capitulation,
            (-1.0..=1.0).contains(&self.capitulation),
            "must be in [-1, 1]",
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
        // `max(intensity, 0)`, keeping the sign of a zero intensity.
        let intensity = pick(intensity < 0.0, 0.0, intensity);
        let d = clamp1(direction);
        let signed = pick(d < 0.0, -d * self.capitulation, d);
        let ok = ok & (nonfinite(direction) == 0.0);
        pick(ok, clamp1(intensity * signed), f64::NAN)
    }
}

/// ATR: the volatility regime, as ATR in percent of the close (NATR).
///
/// > "ATR of 1.5–2.5 % is the normal regime." (the motivating analysis)
///
/// # Rule
///
/// ```text
/// knots (NATR % → sub-score):
///   normal_high (2.5) → 0            and below: the normal regime and calmer
///   fear        (4.0) → fear_score (+0.5)   and above
/// ```
///
/// # Reasoning
///
/// In the normal regime volatility says nothing about the next weeks (0).
/// Above it the market is afraid, and the analysis's best entries are made
/// in fear. APEX v1 read ATR above the band as risk-off (−1 at 4 %) and
/// damped every bullish signal with it; on IWM 2005–2016 NATR ranks the
/// next 20 days' returns the other way (rank IC +0.12). Volatility is also
/// risk, so it counts only half (`fear_score` +0.5; −1 gives v1's risk-off
/// reading).
///
/// # Examples
///
/// ```
/// use apex_ta::score::VolatilitySignal;
/// let s = VolatilitySignal::default();
/// assert_eq!(s.score(2.0), Some(0.0));   // the normal regime
/// assert_eq!(s.score(3.25), Some(0.25)); // half way to fear
/// assert_eq!(s.score(6.0), Some(0.5));   // fear
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VolatilitySignal {
    /// Upper edge of the normal regime, percent (default 2.5).
    pub normal_high: f64,
    /// Fear from here up, percent (default 4.0).
    pub fear: f64,
    /// Sub-score from `fear` up, in [−1, 1] (default +0.5).
    pub fear_score: f64,
}
validated_deserialize!(VolatilitySignal {
    normal_high: f64,
    fear: f64,
    fear_score: f64,
});

impl Default for VolatilitySignal {
    fn default() -> Self {
        VolatilitySignal {
            normal_high: 2.5,
            fear: 4.0,
            fear_score: 0.5,
        }
    }
}

impl VolatilitySignal {
    /// Checks `0 < normal_high < fear` and `fear_score ∈ [−1, 1]`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad field.
    pub fn validate(&self) -> Result<()> {
        let reason = "must satisfy 0 < normal_high < fear";
        param(
            "volatility.normal_high",
            self.normal_high,
            self.normal_high > 0.0,
            reason,
        )?;
        param(
            "volatility.fear",
            self.fear,
            self.fear > self.normal_high,
            reason,
        )?;
        param(
            "volatility.fear_score",
            self.fear_score,
            (-1.0..=1.0).contains(&self.fear_score),
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
    pub(crate) fn knots(&self) -> [(f64, f64); 2] {
        [(self.normal_high, 0.0), (self.fear, self.fear_score)]
    }
}

/// Relative ratio: the target/benchmark ratio stretched from its trend — a
/// rotation already priced.
///
/// > "A rising IWM/SPY ratio is the market's rate-cut conviction." (the
/// > motivating analysis: the ratio is its rate-cut gauge)
///
/// # Rule
///
/// ```text
/// sub = −clamp(distance_pct / full_scale_pct, −1, 1)
/// ```
///
/// `distance_pct` is [`RelativeRatioOutput::distance_pct`](crate::RelativeRatioOutput):
/// the ratio's percent distance from its EMA.
///
/// # Reasoning
///
/// The gauge says how much rate-cut conviction the market has already
/// priced into small caps against large. APEX v1 added points while it rose
/// and so chased rotations that then reversed: on IWM 2005–2016 the
/// distance ranks the next 20 days backwards, absolute and against SPY
/// (rank IC −0.13 for both). As a rating of the weeks ahead the gauge
/// vetoes a chase: stretched 3 % above its 50-bar trend, the conviction is
/// in the price (−1); stretched as far below, small caps are cheap against
/// the market before the rotation the rates rule looks for (+1). On
/// 2005–2024 data the distance's 5–95 % range is about ±3.5 %, so ±3 % is
/// full strength (default).
///
/// # Examples
///
/// ```
/// use apex_ta::score::RatioSignal;
/// assert_eq!(RatioSignal::default().score(1.5), Some(-0.5)); // stretched up
/// assert_eq!(RatioSignal::default().score(-4.0), Some(1.0)); // washed out
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
    /// its trend: the negated, scaled distance.
    #[inline]
    pub fn score(&self, distance_pct: f64) -> Option<f64> {
        some(self.score_lane(distance_pct))
    }
    /// [`score`](Self::score) with `NaN` for `None`: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(self, distance_pct: f64) -> f64 {
        scaled(-distance_pct, self.full_scale_pct)
    }
}

/// Relative performance: the target's n-bar return minus a benchmark's — a
/// lead already run.
///
/// > "IWM leading QQQ over 20 days marks a broadening, healthier rally."
/// > (the motivating analysis)
///
/// # Rule
///
/// ```text
/// sub = −clamp(spread / full_scale, −1, 1)
/// ```
///
/// `spread` is [`RelativePerformance`](crate::RelativePerformance)'s output,
/// a fraction (0.02 = 2 percentage points).
///
/// # Reasoning
///
/// A lead over QQQ describes a broadening that has happened. APEX v1 added
/// points for it and chased the lead: on IWM 2005–2016 the 20-bar spread
/// ranks the next 20 days backwards (rank IC −0.09, against SPY −0.14).
/// Like the ratio, the spread vetoes a chase: a 5-point lead is in the
/// price (−1); a 5-point lag leaves the small caps room to catch up (+1).
/// The 5–95 % range of the 20-day spread on 2005–2024 data is about ±5
/// points: full strength (default 0.05).
///
/// # Examples
///
/// ```
/// use apex_ta::score::SpreadSignal;
/// assert_eq!(SpreadSignal::default().score(-0.10), Some(1.0)); // lagging: room
/// assert_eq!(SpreadSignal::default().score(0.025), Some(-0.5)); // leading: priced
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

    /// The sub-score of a return spread: the negated, scaled spread.
    #[inline]
    pub fn score(&self, spread: f64) -> Option<f64> {
        some(self.score_lane(spread))
    }
    /// [`score`](Self::score) with `NaN` for `None`: the rule.
    #[inline(always)]
    pub(crate) fn score_lane(self, spread: f64) -> f64 {
        scaled(-spread, self.full_scale)
    }
}

/// Rates: the change of the 2-year Treasury yield; falling is bullish.
///
/// > "Falling 2-year yields favour small caps." (the motivating analysis)
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
/// one 25 bp move) is full strength. APEX v1 switched this reading off in
/// high volatility (its risk-off gate); v2 has no gate: falling yields in a
/// sell-off were followed by the strongest rebounds (2008–09, 2011).
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
            for y in [None, Some(-0.1), Some(0.1), Some(f64::NAN)] {
                assert!(unit(RsiSignal::default().score(x, y)), "rsi {x}");
            }
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
    fn no_previous_histogram_gives_no_macd_score() {
        let s = MacdSignal::default();
        assert_eq!(s.score(0.1, Some(f64::NAN), 1.0), None);
        assert_eq!(s.score(0.1, None, 1.0), None);
        assert!(s.score(0.1, Some(0.0), 1.0).is_some());
    }

    #[test]
    fn macd_scores_only_a_turn_towards_zero() {
        let s = MacdSignal::default();
        // (histogram, previous) with ATR 1: turn = Δ / 0.1
        for (h, p, want) in [
            (-0.5, -0.55, 0.5), // below zero, rising: the selling exhausts
            (-0.5, -0.45, 0.0), // below zero, falling: nothing new
            (0.5, 0.45, 0.0),   // above zero, rising: nothing new (no chase)
            (0.5, 0.55, -0.5),  // above zero, falling: the buying fades
            (0.05, -0.2, 0.0),  // crossed up this bar: above zero, rising
            (-0.05, 0.2, 0.0),  // crossed down: below zero, falling
            (0.0, -0.3, 0.0),   // exactly zero
        ] {
            let got = s.score(h, Some(p), 1.0).unwrap();
            assert!((got - want).abs() < 1e-12, "{h} {p}: {got}");
        }
    }

    #[test]
    fn rsi_dip_counts_half_while_yields_rise_and_never_fades() {
        let s = RsiSignal::default();
        for rsi in [5.0, 20.0, 30.0, 35.0, 42.0] {
            assert_eq!(s.score(rsi, Some(-0.01)), Some(1.0), "{rsi}");
            assert_eq!(s.score(rsi, Some(0.0)), Some(1.0), "{rsi}");
            assert_eq!(s.score(rsi, None), Some(1.0), "{rsi}");
            assert_eq!(s.score(rsi, Some(0.01)), Some(0.5), "{rsi}");
        }
        assert_eq!(s.score(46.0, Some(0.3)), Some(0.25));
        // Only a positive reading is damped: overbought stays −1.
        assert_eq!(s.score(80.0, Some(0.3)), Some(-1.0));
        assert_eq!(s.score(65.0, Some(0.3)), Some(-0.5));
    }

    #[test]
    fn fibonacci_reads_the_position_in_the_swing_whatever_its_direction() {
        let s = FibonacciSignal::default();
        for (position, want) in [
            (0.0, 1.0),
            (0.382, 1.0),
            (0.5, 0.5),
            (0.618, 0.0),
            (1.0, -1.0),
        ] {
            let up = s.score(SwingDirection::Up, 1.0 - position).unwrap();
            let down = s.score(SwingDirection::Down, position).unwrap();
            assert!((up - want).abs() < 1e-12, "up {position}: {up}");
            assert!((down - want).abs() < 1e-12, "down {position}: {down}");
        }
    }

    #[test]
    fn volume_gives_a_capitulation_spike_half_credit() {
        let s = VolumeSignal::default();
        assert_eq!(s.score(2.0, 1.0), Some(1.0));
        assert_eq!(s.score(2.0, -1.0), Some(0.5));
        assert_eq!(s.score(1.625, -1.0), Some(0.25)); // half intensity
        assert_eq!(s.score(2.0, -0.5), Some(0.25));
        assert_eq!(s.score(1.2, -1.0), Some(0.0));
        let v1 = VolumeSignal {
            capitulation: -1.0,
            ..s
        };
        assert_eq!(v1.score(2.0, -1.0), Some(-1.0));
    }

    #[test]
    fn ratio_and_spread_veto_a_stretch() {
        assert_eq!(RatioSignal::default().score(3.0), Some(-1.0));
        assert_eq!(RatioSignal::default().score(-1.5), Some(0.5));
        assert_eq!(SpreadSignal::default().score(0.05), Some(-1.0));
        assert_eq!(SpreadSignal::default().score(-0.025), Some(0.5));
        assert_eq!(VolatilitySignal::default().score(1.0), Some(0.0));
        assert_eq!(VolatilitySignal::default().score(10.0), Some(0.5));
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
            assert!(s.score(x, Some(1.0)).unwrap().is_finite());
        }
        let v = VolumeSignal {
            base: 2.0,
            spike: 2.0,
            move_scale: 0.0,
            capitulation: 0.5,
        };
        assert_eq!(v.score(3.0, 1.0), None);
        assert_eq!(v.direction(1.0, 0.0, 1.0, None), None);
        assert_eq!(RatesSignal { full_scale: 0.0 }.score(1.0), None);
        assert_eq!(MacdSignal::default().score(1.0, None, 0.0), None);
    }
}
