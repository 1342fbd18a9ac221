//! Session-anchored volume-weighted average price.

use core::fmt;

use super::check_multiplier;
use crate::float::{finite, variance_input};
use crate::window::{state_ok, Invariants};
use crate::{Bar, Error, Float, Indicator, Result};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Where a [`Vwap`] session starts (TradingView's "Anchor Period").
///
/// Periods are calendar periods of the wall-clock time `timestamp +
/// utc_offset` (see [`Vwap::with_utc_offset`]). Whatever the anchor, the
/// first bar and the bar after [`Vwap::start_session`] open a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum VwapAnchor {
    /// A new session each calendar day (TradingView's default anchor,
    /// "Session", for markets whose session lies within one day).
    #[default]
    Day,
    /// Each week, Monday 00:00 to Sunday 24:00 ("Week").
    Week,
    /// Each calendar month ("Month").
    Month,
    /// Each calendar year ("Year").
    Year,
    /// Only where the caller says: the first bar and
    /// [`Vwap::start_session`] (an anchored VWAP from an event).
    Manual,
}

impl VwapAnchor {
    /// `"day"`, `"week"`, `"month"`, `"year"` or `"manual"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            VwapAnchor::Day => "day",
            VwapAnchor::Week => "week",
            VwapAnchor::Month => "month",
            VwapAnchor::Year => "year",
            VwapAnchor::Manual => "manual",
        }
    }

    /// The period of wall-clock time `local` (epoch seconds shifted by the
    /// UTC offset) as a number: equal exactly for times in one period.
    fn period_of(self, local: i64) -> i64 {
        let day = local.div_euclid(DAY);
        match self {
            // 1970-01-01 was a Thursday: day + 3 counts from a Monday.
            VwapAnchor::Day => day,
            VwapAnchor::Week => (day + 3).div_euclid(7),
            VwapAnchor::Month => {
                let (year, month) = civil_from_days(day);
                year * 12 + month - 1
            }
            VwapAnchor::Year => civil_from_days(day).0,
            VwapAnchor::Manual => 0,
        }
    }
}

impl fmt::Display for VwapAnchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// `|seconds| < 1 day` (without `abs`, which overflows on `i64::MIN`).
fn offset_ok(seconds: i64) -> bool {
    -DAY < seconds && seconds < DAY
}

/// `(year, month 1..=12)` of a day number counted from 1970-01-01, in the
/// proleptic Gregorian calendar (H. Hinnant's `civil_from_days`). Exact for
/// every day an `i64` timestamp can name.
fn civil_from_days(day: i64) -> (i64, i64) {
    let z = day + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365], from March 1
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

/// Session volume-weighted average price (VWAP) of the typical price, with
/// standard-deviation bands: TradingView's "VWAP" indicator.
///
/// The average price paid in the session so far, each bar's typical price
/// weighted by its volume: the benchmark institutional execution is judged
/// against, and intraday support/resistance. The bands are the
/// volume-weighted standard deviation of the typical price around it. Prices.
///
/// # Formula
///
/// Over the bars of the current session (see [`VwapAnchor`]):
///
/// ```text
/// tp    = (high + low + close) / 3                       (hlc3)
/// VWAP  = Σ tp·v / Σ v
/// σ     = sqrt( Σ v·(tp − VWAP)² / Σ v )                 (volume-weighted, population)
/// upper = VWAP + k·σ,   lower = VWAP − k·σ
/// ```
///
/// Undefined (every field of [`VwapOutput`] `None`) while the session's
/// volume is 0, as TradingView's `na`; a later bar with volume defines it.
///
/// Numerics: TradingView computes σ² as `Σ v·tp² / Σ v − VWAP²` (clamped at
/// 0), the same quantity with cancellation; this type keeps the running
/// weighted mean and variance (West's update, on the variance itself so no
/// volume × squared price is ever formed), so σ is exactly 0 for a one-bar
/// or flat session, never loses digits to cancellation, and cannot
/// overflow for typical prices within ±1e150.
///
/// # Sessions
///
/// Each input carries its bar's timestamp (epoch seconds). A session starts
/// at the first bar, after [`start_session`](Vwap::start_session), and
/// when the anchor period of `timestamp + utc_offset` changes: by default the
/// calendar day in UTC. The offset makes that the exchange's day (New York
/// in winter: −5 h); any fixed session start works the same way (a session
/// opening 18:00 New York, 23:00 UTC in winter, is a day with offset +1 h).
/// A fixed offset cannot follow daylight-saving changes; for that, or for a
/// session defined by the exchange's calendar, use [`VwapAnchor::Manual`]
/// and call `start_session` at each open.
///
/// # Warm-up
///
/// Lookback 0: every accepted bar gives an output.
///
/// # Parameters
///
/// TradingView's inputs and defaults:
///
/// * `anchor` ("Anchor Period", [`VwapAnchor::Day`] for "Session");
/// * `band_mult` k in [0, 1e6] ("Bands Multiplier #1", 1; bands calculation
///   mode "Standard Deviation");
/// * `utc_offset` in seconds, |offset| < 1 day (0: UTC days), set with
///   [`with_utc_offset`](Vwap::with_utc_offset).
///
/// The source is hlc3 (TradingView's default "Source").
///
/// # Examples
///
/// ```
/// use apex_ta::{Bar, Indicator, Vwap, VwapAnchor};
/// # fn main() -> apex_ta::Result<()> {
/// let mut vwap = Vwap::new(VwapAnchor::Day, 1.0)?;
/// let day = 86_400;
/// // tp 10 with volume 1, then tp 13 with volume 2: (10 + 26)/3 = 12
/// vwap.update((day + 3_600, Bar::new(10.0, 11.0, 9.0, 10.0, 1.0)))?;
/// let out = vwap.update((day + 7_200, Bar::new(13.0, 14.0, 12.0, 13.0, 2.0)))?.expect("lookback 0");
/// assert_eq!(out.vwap, Some(12.0));
/// assert_eq!(out.std_dev, Some(2.0_f64.sqrt())); // (1·4 + 2·1)/3 = 2
/// // the next day starts a new session
/// let out = vwap.update((2 * day, Bar::new(20.0, 21.0, 19.0, 20.0, 5.0)))?.expect("lookback 0");
/// assert_eq!((out.vwap, out.upper), (Some(20.0), Some(20.0)));
/// // a timestamp that is not after the previous one is rejected
/// assert!(vwap.update((2 * day, Bar::new(20.0, 21.0, 19.0, 20.0, 5.0))).is_err());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// `new` rejects a `band_mult` outside [0, 1e6], `with_utc_offset` an
/// offset of a day or more. `update` rejects a non-finite or inconsistent
/// bar ([`Bar::validate`]), then a timestamp not after the previous
/// accepted one ([`Error::OutOfOrder`] on stream `"vwap"`), then a bar with
/// volume whose typical price exceeds 1e150 in magnitude (`f32`: 1e16), the
/// limit of a variance input ([`Error::OutOfRange`], field `typical
/// price`), or whose volume makes the session's volume overflow
/// ([`Error::NonFinite`], field `session volume`); the state is unchanged.
///
/// # References
///
/// TradingView help "Volume Weighted Average Price (VWAP)" (defaults: Anchor
/// Period Session, Source hlc3, Bands Calculation Mode Standard Deviation,
/// Bands Multiplier #1 1) and Pine's `ta.vwap(source, anchor, stdev_mult)`;
/// B. P. Welford (1962) / D. H. D. West (1979) for the weighted update. No
/// TA-Lib twin.
#[doc(alias = "VWAP")]
#[doc(alias = "volume weighted average price")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Vwap<T = f64> {
    anchor: VwapAnchor,
    /// Seconds added to a timestamp before its calendar period is taken.
    utc_offset: i64,
    band_mult: T,
    /// Timestamp of the last accepted bar.
    last_timestamp: Option<i64>,
    /// Anchor period of `last_timestamp` (0 before the first bar).
    period: i64,
    /// [`Vwap::start_session`] was called: the next bar opens a session.
    pending_start: bool,
    /// Σ v over the session.
    volume: T,
    /// The session's volume-weighted mean of tp (0 while `volume` is 0).
    mean: T,
    /// The session's volume-weighted variance of tp, Σ v·(tp − mean)² / Σ v
    /// (kept divided by the volume, so that no product of a volume and a
    /// squared price can overflow).
    variance: T,
}
checked_deserialize!(Vwap<T> {
    anchor: VwapAnchor,
    utc_offset: i64,
    band_mult: T,
    last_timestamp: Option<i64>,
    period: i64,
    pending_start: bool,
    volume: T,
    mean: T,
    variance: T,
});

/// One [`Vwap`] value. All four fields are `None` together exactly while
/// the session's volume is 0 (the VWAP is 0/0, TradingView's `na`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VwapOutput<T = f64> {
    /// The session's volume-weighted average typical price.
    pub vwap: Option<T>,
    /// Volume-weighted population standard deviation σ of the typical
    /// price around the VWAP.
    pub std_dev: Option<T>,
    /// `vwap + band_mult · σ`.
    pub upper: Option<T>,
    /// `vwap − band_mult · σ`.
    pub lower: Option<T>,
}

impl<T: Float> Vwap<T> {
    /// A session VWAP with `anchor` and bands `band_mult` σ wide, sessions in
    /// UTC (see [`with_utc_offset`](Self::with_utc_offset)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `band_mult` if it is negative or
    /// not finite.
    pub fn new(anchor: VwapAnchor, band_mult: T) -> Result<Self> {
        Ok(Self::with(
            anchor,
            0,
            check_multiplier("band_mult", band_mult)?,
        ))
    }
    fn with(anchor: VwapAnchor, utc_offset: i64, band_mult: T) -> Self {
        Vwap {
            anchor,
            utc_offset,
            band_mult,
            last_timestamp: None,
            period: 0,
            pending_start: false,
            volume: T::zero(),
            mean: T::zero(),
            variance: T::zero(),
        }
    }
    /// The same VWAP, fresh, with sessions in the wall-clock time
    /// `timestamp + seconds` (the exchange's UTC offset, −18 000 for New York
    /// in winter).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `utc_offset` unless
    /// `|seconds| < 86 400`.
    pub fn with_utc_offset(self, seconds: i64) -> Result<Self> {
        if !offset_ok(seconds) {
            return Err(Error::InvalidParameter {
                name: "utc_offset",
                value: seconds as f64,
                reason: "must be less than a day (86400 s) either way",
            });
        }
        Ok(Self::with(self.anchor, seconds, self.band_mult))
    }
    /// The anchor.
    pub fn anchor(&self) -> VwapAnchor {
        self.anchor
    }
    /// The UTC offset of the session calendar, in seconds.
    pub fn utc_offset(&self) -> i64 {
        self.utc_offset
    }
    /// The band width in standard deviations.
    pub fn band_mult(&self) -> T {
        self.band_mult
    }
    /// The volume of the current session so far.
    pub fn session_volume(&self) -> T {
        self.volume
    }
    /// The timestamp of the last accepted bar.
    pub fn last_timestamp(&self) -> Option<i64> {
        self.last_timestamp
    }
    /// Makes the next accepted bar open a new session, whatever its
    /// timestamp (the caller's session start: an exchange open, an event).
    pub fn start_session(&mut self) {
        self.pending_start = true;
    }
    /// The anchor period of a timestamp.
    fn period_of(&self, timestamp: i64) -> i64 {
        self.anchor
            .period_of(timestamp.saturating_add(self.utc_offset))
    }
    fn output(&self) -> VwapOutput<T> {
        if self.volume > T::zero() {
            let sd = self.variance.sqrt();
            VwapOutput {
                vwap: Some(self.mean),
                std_dev: Some(sd),
                upper: Some(self.mean + self.band_mult * sd),
                lower: Some(self.mean - self.band_mult * sd),
            }
        } else {
            VwapOutput::default()
        }
    }
}

impl<T: Float> Indicator for Vwap<T> {
    /// The bar's timestamp (epoch seconds) and the bar.
    type Input = (i64, Bar<T>);
    type Output = VwapOutput<T>;
    #[inline]
    fn update(&mut self, (timestamp, bar): (i64, Bar<T>)) -> Result<Option<VwapOutput<T>>> {
        bar.validate()?;
        if let Some(previous) = self.last_timestamp.filter(|&p| timestamp <= p) {
            return Err(Error::OutOfOrder {
                stream: "vwap",
                timestamp,
                previous,
            });
        }
        let period = self.period_of(timestamp);
        let fresh = self.last_timestamp.is_none() || self.pending_start || period != self.period;
        let (held, mean, variance) = if fresh {
            (T::zero(), T::zero(), T::zero())
        } else {
            (self.volume, self.mean, self.variance)
        };
        let v = bar.volume;
        // Checked before any change: a bar with volume enters the
        // session's variance (its tp is a variance input), and the session
        // volume must stay finite.
        let step = if v > T::zero() {
            let tp = (bar.high + bar.low + bar.close) / T::from_f64(3.0);
            let tp = variance_input("typical price", tp)?;
            let volume = finite("session volume", held + v)?;
            Some((tp, volume))
        } else {
            None
        };
        self.last_timestamp = Some(timestamp);
        self.period = period;
        self.pending_start = false;
        (self.volume, self.mean, self.variance) = (held, mean, variance);
        if let Some((tp, volume)) = step {
            // West's weighted update, on the variance rather than the sum of
            // squares: with w = v/V' and r = V/V' (V' = V + v),
            // mean' = mean + w·δ and var' = r·(var + w·δ²), δ = tp − mean.
            // On a session's first bar with volume w = 1 and r = 0 exactly:
            // the mean is tp and the variance 0.
            let w = v / volume;
            let r = held / volume;
            let delta = tp - self.mean;
            self.mean = self.mean + delta * w;
            self.variance = r * (self.variance + w * delta * delta);
            self.volume = volume;
        }
        Ok(Some(self.output()))
    }
    fn reset(&mut self) {
        *self = Self::with(self.anchor, self.utc_offset, self.band_mult);
    }
    fn lookback(&self) -> usize {
        0
    }
    fn is_ready(&self) -> bool {
        self.last_timestamp.is_some()
    }
}

impl<T: Float> Default for Vwap<T> {
    /// VWAP(day, 1), TradingView's defaults, sessions in UTC.
    fn default() -> Self {
        Self::with(VwapAnchor::Day, 0, T::one())
    }
}

impl<T: Float> fmt::Display for Vwap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VWAP({}", self.anchor)?;
        if self.utc_offset != 0 {
            let sign = if self.utc_offset < 0 { '-' } else { '+' };
            let s = self.utc_offset.unsigned_abs();
            write!(f, " UTC{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)?;
            if s % 60 != 0 {
                write!(f, ":{:02}", s % 60)?;
            }
        }
        write!(f, ", {})", self.band_mult)
    }
}

impl<T: Float> Invariants for Vwap<T> {
    fn check(&self) -> Result<()> {
        state_ok(
            offset_ok(self.utc_offset),
            "VWAP UTC offset of a day or more",
        )?;
        state_ok(
            check_multiplier("band_mult", self.band_mult).is_ok(),
            "VWAP band multiplier outside [0, 1e6]",
        )?;
        // The mean is a weighted mean of typical prices within the variance
        // limit L, the variance at most (2L)²/4 (both up to rounding: the
        // bounds checked are twice and four times that), so the next update
        // cannot overflow.
        let limit = T::from_f64(T::VARIANCE_LIMIT);
        state_ok(
            self.volume.is_finite()
                && self.volume >= T::zero()
                && self.mean.abs() <= limit + limit
                && self.variance >= T::zero()
                && self.variance <= T::from_f64(4.0) * limit * limit,
            "VWAP sums non-finite, negative or out of range",
        )?;
        state_ok(
            self.volume > T::zero() || (self.mean == T::zero() && self.variance == T::zero()),
            "VWAP mean without volume",
        )?;
        match self.last_timestamp {
            None => state_ok(
                self.volume == T::zero() && self.period == 0,
                "VWAP session before the first bar",
            ),
            Some(ts) => state_ok(
                self.period == self.period_of(ts),
                "VWAP session period inconsistent with the last timestamp",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_months_and_weeks() {
        let day = |y: i64, m: i64, d: i64| {
            // days from 1970-01-01, counted naively for the test
            let mut n = 0;
            for yy in 1970..y {
                n += if (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 {
                    366
                } else {
                    365
                };
            }
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let lens = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            for len in lens.iter().take(usize::try_from(m - 1).unwrap()) {
                n += len;
            }
            n + d - 1
        };
        assert_eq!(civil_from_days(0), (1970, 1));
        assert_eq!(civil_from_days(-1), (1969, 12));
        assert_eq!(civil_from_days(day(2024, 2, 29)), (2024, 2));
        assert_eq!(civil_from_days(day(2024, 3, 1)), (2024, 3));
        assert_eq!(civil_from_days(day(2000, 12, 31)), (2000, 12));
        assert_eq!(civil_from_days(day(2001, 1, 1)), (2001, 1));
        // every day of 1999..2002 against the naive count
        for y in 1999..2002 {
            for m in 1..=12 {
                assert_eq!(civil_from_days(day(y, m, 1)), (y, m));
                assert_eq!(civil_from_days(day(y, m, 28)), (y, m));
            }
        }
        // 2024-01-01 was a Monday: it starts a week, the Sunday before ends one
        let monday = day(2024, 1, 1);
        let week = |d: i64| VwapAnchor::Week.period_of(d * DAY);
        assert_eq!(week(monday), week(monday + 6));
        assert_ne!(week(monday), week(monday - 1));
        assert_ne!(week(monday + 6), week(monday + 7));
        // far timestamps neither panic nor overflow
        let _ = VwapAnchor::Month.period_of(i64::MAX);
        let _ = VwapAnchor::Month.period_of(i64::MIN);
    }
}
