//! The APEX configuration: periods, weights, the eight rules' thresholds.

use crate::error::invalid_period;
use crate::score::scorer::{check_weight, LabelThresholds};
use crate::score::signal::{
    FibonacciSignal, MacdSignal, RatesSignal, RatioSignal, RsiSignal, SpreadSignal,
    VolatilitySignal, VolumeSignal,
};
use crate::{Error, Result};

/// Indicator periods of the [`ApexScorer`](crate::score::ApexScorer) (bars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApexPeriods {
    /// RSI period (default 14).
    pub rsi: usize,
    /// MACD fast EMA (default 12).
    pub macd_fast: usize,
    /// MACD slow EMA (default 26).
    pub macd_slow: usize,
    /// MACD signal EMA (default 9).
    pub macd_signal: usize,
    /// ATR period, also the volatility unit of the MACD and volume signals
    /// (default 14).
    pub atr: usize,
    /// Fibonacci swing window (default 55).
    pub fibonacci: usize,
    /// Volume average window (default 20).
    pub volume: usize,
    /// Window of prior closes a breakout must clear (default 20).
    pub breakout: usize,
    /// EMA period of the target/SPY ratio (default 50).
    pub ratio: usize,
    /// Relative performance vs QQQ, bars (default 20).
    pub relative: usize,
    /// Yield change window, bars (default 20).
    pub rates: usize,
}
validated_deserialize!(ApexPeriods {
    rsi: usize,
    macd_fast: usize,
    macd_slow: usize,
    macd_signal: usize,
    atr: usize,
    fibonacci: usize,
    volume: usize,
    breakout: usize,
    ratio: usize,
    relative: usize,
    rates: usize,
});

impl Default for ApexPeriods {
    fn default() -> Self {
        ApexPeriods {
            rsi: 14,
            macd_fast: 12,
            macd_slow: 26,
            macd_signal: 9,
            atr: 14,
            fibonacci: 55,
            volume: 20,
            breakout: 20,
            ratio: 50,
            relative: 20,
            rates: 20,
        }
    }
}

/// Largest period accepted (about 40 years of daily bars): keeps buffers
/// allocated in `new` reasonable whatever a configuration file says.
pub const MAX_PERIOD: usize = 10_000;

impl ApexPeriods {
    /// Checks every period is in `1..=MAX_PERIOD` (volume ≥ 2) and
    /// `macd_fast < macd_slow`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad period.
    pub fn validate(&self) -> Result<()> {
        let checks = [
            ("periods.rsi", self.rsi, 1),
            ("periods.macd_fast", self.macd_fast, 1),
            ("periods.macd_slow", self.macd_slow, 2),
            ("periods.macd_signal", self.macd_signal, 1),
            ("periods.atr", self.atr, 1),
            ("periods.fibonacci", self.fibonacci, 1),
            ("periods.volume", self.volume, 2),
            ("periods.breakout", self.breakout, 1),
            ("periods.ratio", self.ratio, 1),
            ("periods.relative", self.relative, 1),
            ("periods.rates", self.rates, 1),
        ];
        for (name, value, min) in checks {
            if value < min {
                return Err(invalid_period(
                    name,
                    value,
                    if min == 1 {
                        "must be at least 1"
                    } else {
                        "must be at least 2"
                    },
                ));
            }
            if value > MAX_PERIOD {
                return Err(invalid_period(
                    name,
                    value,
                    "must be at most MAX_PERIOD (10000)",
                ));
            }
        }
        if self.macd_fast >= self.macd_slow {
            return Err(invalid_period(
                "periods.macd_slow",
                self.macd_slow,
                "must be greater than `macd_fast`",
            ));
        }
        Ok(())
    }
}

/// Weights of the eight APEX signals (non-negative, renormalised over the
/// ready signals; only their ratios matter).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApexWeights {
    /// RSI dip, rates-confirmed (default 0.20).
    pub rsi: f64,
    /// MACD turn (default 0.10).
    pub macd: f64,
    /// Fibonacci swing position (default 0.10).
    pub fibonacci: f64,
    /// Volume at breakouts and capitulations (default 0.10).
    pub volume: f64,
    /// Volatility regime (default 0.10).
    pub atr: f64,
    /// Target/SPY ratio stretch (default 0.10).
    pub ratio: f64,
    /// Relative performance vs QQQ stretch (default 0.10).
    pub relative: f64,
    /// 2-year yield trend (default 0.20).
    pub rates: f64,
}
validated_deserialize!(ApexWeights {
    rsi: f64,
    macd: f64,
    fibonacci: f64,
    volume: f64,
    atr: f64,
    ratio: f64,
    relative: f64,
    rates: f64,
});

impl Default for ApexWeights {
    /// The small-cap rotation analysis' emphasis: its entry (the RSI dip)
    /// and its driver (falling 2-year yields) lead with 0.20 each; the six
    /// readings that confirm or veto them weigh 0.10 each. Round numbers,
    /// not fitted.
    fn default() -> Self {
        ApexWeights {
            rsi: 0.20,
            macd: 0.10,
            fibonacci: 0.10,
            volume: 0.10,
            atr: 0.10,
            ratio: 0.10,
            relative: 0.10,
            rates: 0.20,
        }
    }
}

impl ApexWeights {
    /// The weights in [`APEX_SIGNALS`](crate::score::APEX_SIGNALS) order.
    pub fn to_array(&self) -> [f64; 8] {
        [
            self.rsi,
            self.macd,
            self.fibonacci,
            self.volume,
            self.atr,
            self.ratio,
            self.relative,
            self.rates,
        ]
    }

    /// Checks every weight is finite and ≥ 0 and their sum is > 0.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad weight.
    pub fn validate(&self) -> Result<()> {
        let names = [
            "weights.rsi",
            "weights.macd",
            "weights.fibonacci",
            "weights.volume",
            "weights.atr",
            "weights.ratio",
            "weights.relative",
            "weights.rates",
        ];
        let mut sum = 0.0;
        for (name, w) in names.into_iter().zip(self.to_array()) {
            sum += check_weight(name, w)?;
        }
        if sum > 0.0 && sum.is_finite() {
            Ok(())
        } else {
            Err(Error::InvalidParameter {
                name: "weights",
                value: sum,
                reason: "the weights must sum to a positive, finite number",
            })
        }
    }
}

/// Everything that defines an [`ApexScorer`](crate::score::ApexScorer): periods, weights, each signal's
/// thresholds, the label thresholds and the readiness rule.
///
/// With the `serde` feature it (de)serialises; deserialising validates (a bad
/// file is an error, never a scorer that misbehaves later). From a map (a
/// JSON or TOML file) missing fields take their defaults, so a file names
/// only what it changes and `{}` is the default configuration; unknown
/// fields are rejected (typos do not pass silently). From a sequence (the
/// positional form binary formats such as bincode use) every field is
/// required, in order: a stray `[]` is an error, not the default. The same
/// holds for every part (`ApexPeriods`, `ApexWeights`, the signal rules,
/// `LabelThresholds`).
///
/// # Examples
///
/// ```
/// use apex_ta::score::{ApexConfig, ApexScorer};
/// # fn main() -> apex_ta::Result<()> {
/// let mut config = ApexConfig::default();
/// config.weights.rates = 0.0;          // ignore rates
/// config.rsi.dip_high = 45.0;          // a wider entry zone
/// let scorer = ApexScorer::<f64>::new(config)?;
/// # let _ = scorer;
/// config.periods.macd_fast = 30;       // fast ≥ slow
/// assert!(ApexScorer::<f64>::new(config).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApexConfig {
    /// Indicator periods.
    pub periods: ApexPeriods,
    /// Signal weights.
    pub weights: ApexWeights,
    /// Score labels.
    pub labels: LabelThresholds,
    /// Ready signals needed for a score, 1–8 (default 5: with the default
    /// periods the first score comes at bar index 20 with a yield — RSI, ATR,
    /// volume, breadth and rates — or 34 without, when MACD has a turn).
    pub min_ready: usize,
    /// RSI rule.
    pub rsi: RsiSignal,
    /// MACD rule.
    pub macd: MacdSignal,
    /// Fibonacci rule.
    pub fibonacci: FibonacciSignal,
    /// Volume rule.
    pub volume: VolumeSignal,
    /// ATR (volatility regime) rule.
    pub volatility: VolatilitySignal,
    /// Target/SPY ratio rule.
    pub ratio: RatioSignal,
    /// Relative performance vs QQQ rule.
    pub relative: SpreadSignal,
    /// 2-year yield rule.
    pub rates: RatesSignal,
}
validated_deserialize!(ApexConfig {
    periods: ApexPeriods,
    weights: ApexWeights,
    labels: LabelThresholds,
    min_ready: usize,
    rsi: RsiSignal,
    macd: MacdSignal,
    fibonacci: FibonacciSignal,
    volume: VolumeSignal,
    volatility: VolatilitySignal,
    ratio: RatioSignal,
    relative: SpreadSignal,
    rates: RatesSignal,
});

impl Default for ApexConfig {
    fn default() -> Self {
        ApexConfig {
            periods: ApexPeriods::default(),
            weights: ApexWeights::default(),
            labels: LabelThresholds::default(),
            min_ready: 5,
            rsi: RsiSignal::default(),
            macd: MacdSignal::default(),
            fibonacci: FibonacciSignal::default(),
            volume: VolumeSignal::default(),
            volatility: VolatilitySignal::default(),
            ratio: RatioSignal::default(),
            relative: SpreadSignal::default(),
            rates: RatesSignal::default(),
        }
    }
}

impl ApexConfig {
    /// Validates every part.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        self.periods.validate()?;
        self.weights.validate()?;
        self.labels.validate()?;
        if self.min_ready == 0 || self.min_ready > self.weights.to_array().len() {
            return Err(invalid_period(
                "min_ready",
                self.min_ready,
                "must be between 1 and 8",
            ));
        }
        self.rsi.validate()?;
        self.macd.validate()?;
        self.fibonacci.validate()?;
        self.volume.validate()?;
        self.volatility.validate()?;
        self.ratio.validate()?;
        self.relative.validate()?;
        self.rates.validate()
    }
}
