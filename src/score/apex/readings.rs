//! The raw readings behind an APEX score.

#[cfg(feature = "serde")]
use crate::window::state_ok;
#[cfg(feature = "serde")]
use crate::Result;
use crate::SwingDirection;

/// The raw readings behind the last APEX score (each `None` while its
/// indicator warms up), for explanation and debugging.
///
/// # Checkpoints
///
/// With the `serde` feature the readings serialise field by field and
/// deserialise back to equal readings (part of an [`ApexScorer`](crate::score::ApexScorer)'s
/// checkpoint). Restoring checks what every reading the scorer makes
/// satisfies: none is NaN, and RSI is in [0, 100], ATR, NATR and the volume
/// ratio are ≥ 0 and the bar direction is in [−1, 1].
/// Use a format that round-trips floats exactly (postcard, bincode, or
/// `serde_json` with its `float_roundtrip` feature).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApexReadings {
    /// RSI, 0–100.
    pub rsi: Option<f64>,
    /// MACD histogram, price units.
    pub macd_histogram: Option<f64>,
    /// ATR, price units.
    pub atr: Option<f64>,
    /// ATR in percent of the close.
    pub natr: Option<f64>,
    /// Direction of the Fibonacci swing.
    pub swing: Option<SwingDirection>,
    /// Where the close sits in the swing (0 = its end, 1 = its start).
    pub retracement: Option<f64>,
    /// Volume over its window average.
    pub volume_ratio: Option<f64>,
    /// The bar's direction for the volume rule, −1 … +1 (±1 = breakout).
    pub bar_direction: Option<f64>,
    /// Target/SPY ratio's percent distance from its EMA.
    pub ratio_distance_pct: Option<f64>,
    /// Target minus QQQ return over the relative window (fraction).
    pub relative: Option<f64>,
    /// 2-year yield change over the rates window (yield points).
    pub yield_change: Option<f64>,
}

impl ApexReadings {
    /// `Ok` if every reading is one the scorer can make (see
    /// "Checkpoints").
    #[cfg(feature = "serde")]
    pub(crate) fn check(&self) -> Result<()> {
        let within = |x: Option<f64>, lo: f64, hi: f64| x.map_or(true, |v| v >= lo && v <= hi);
        let inf = f64::INFINITY;
        state_ok(
            within(self.rsi, 0.0, 100.0)
                && within(self.macd_histogram, -inf, inf)
                && within(self.atr, 0.0, inf)
                && within(self.natr, 0.0, inf)
                && within(self.retracement, -inf, inf)
                && within(self.volume_ratio, 0.0, inf)
                && within(self.bar_direction, -1.0, 1.0)
                && within(self.ratio_distance_pct, -inf, inf)
                && within(self.relative, -inf, inf)
                && within(self.yield_change, -inf, inf),
            "APEX reading NaN or out of its range",
        )
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ApexReadings {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        #[serde(rename = "ApexReadings")]
        struct Repr {
            rsi: Option<f64>,
            macd_histogram: Option<f64>,
            atr: Option<f64>,
            natr: Option<f64>,
            swing: Option<SwingDirection>,
            retracement: Option<f64>,
            volume_ratio: Option<f64>,
            bar_direction: Option<f64>,
            ratio_distance_pct: Option<f64>,
            relative: Option<f64>,
            yield_change: Option<f64>,
        }
        let Repr {
            rsi,
            macd_histogram,
            atr,
            natr,
            swing,
            retracement,
            volume_ratio,
            bar_direction,
            ratio_distance_pct,
            relative,
            yield_change,
        } = Repr::deserialize(d)?;
        let r = ApexReadings {
            rsi,
            macd_histogram,
            atr,
            natr,
            swing,
            retracement,
            volume_ratio,
            bar_direction,
            ratio_distance_pct,
            relative,
            yield_change,
        };
        r.check().map_err(D::Error::custom)?;
        Ok(r)
    }
}
