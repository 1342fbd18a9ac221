//! One partition's running state: the core crate's streaming indicator (or
//! the APEX scorer) behind a SQL function, fed one row at a time.
//!
//! Every row goes through the core crate's `update`; `Ok(Some(v))` is the
//! row's value, `Ok(None)` (warm-up) and `Err(..)` (a rejected row, after
//! which the core state is exactly as before) are SQL NULL. A row with a
//! NULL in a required argument is not fed at all, so it too leaves the
//! state as it was.

use core::fmt;

use apex_ta::score::MarketBar;
use apex_ta::{
    ApexScorer, Atr, Bar, Ema, FibonacciLevels, Indicator, Macd, MacdOutput, Natr,
    RelativePerformance, RelativeRatio, RollingMax, RollingMin, Rsi, Score, Scorer, Sma, StdDev,
    TrueRange, VolumeZScore,
};

/// A row's value: a number or a word (`apex_label`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    /// A `DOUBLE` result.
    Number(f64),
    /// A `VARCHAR` result.
    Text(&'static str),
}

/// Which of MACD's three outputs a function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum MacdPart {
    /// `macd`: fast EMA − slow EMA.
    Line,
    /// `macd_signal`: EMA of the line.
    Signal,
    /// `macd_hist`: line − signal.
    Histogram,
}

/// Which output of the relative ratio `rel_ratio` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RatioPart {
    /// `a / b`.
    Ratio,
    /// EMA(n) of the ratio.
    Ema,
    /// `100 · (ratio / ema − 1)`.
    Distance,
}

/// What an APEX function returns of each [`Score`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ApexPart {
    /// The 0–100 score.
    Score,
    /// The label's words.
    Label,
    /// Component `i`'s contribution in score points.
    Contribution(usize),
}

/// A streaming indicator with one number out per input, named by `Display`
/// (`RSI(14)`).
pub(crate) trait Stream<I>:
    Indicator<Input = I, Output = f64> + fmt::Display + Send
{
}

impl<T, I> Stream<I> for T where T: Indicator<Input = I, Output = f64> + fmt::Display + Send {}

/// A boxed streaming indicator over one number per row.
type CloseIndicator = Box<dyn Stream<f64>>;
/// A boxed streaming indicator over a (high, low, close) bar.
type BarIndicator = Box<dyn Stream<Bar>>;

/// The running state of one SQL function in one partition.
pub(crate) enum Engine {
    /// SMA, EMA, RSI, STDDEV, MAX, MIN: one number per row.
    Close(CloseIndicator),
    /// MACD and the output it returns.
    Macd(Box<Macd>, MacdPart),
    /// TRANGE, ATR, NATR: (high, low, close).
    Range(BarIndicator),
    /// Volume z-score (`true`) or volume ratio (`false`).
    Volume(Box<VolumeZScore>, bool),
    /// Relative ratio of (a, b).
    Ratio(Box<RelativeRatio>, RatioPart),
    /// Relative performance of (a, b).
    Performance(Box<RelativePerformance>),
    /// Fibonacci retracement of the close in the swing: (high, low, close).
    Fibonacci(Box<FibonacciLevels>),
    /// The APEX scorer, the part it returns, and the row counter used as
    /// its timestamp (rows arrive in `ORDER BY` order).
    Apex(Box<ApexScorer>, ApexPart, i64),
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The boxed indicators are `Display` (`RSI(14)`), not all `Debug`
        // behind `dyn`.
        match self {
            Engine::Close(ind) => write!(f, "Engine({ind})"),
            Engine::Range(ind) => write!(f, "Engine({ind})"),
            Engine::Macd(ind, part) => write!(f, "Engine({ind}, {part:?})"),
            Engine::Volume(ind, z) => write!(f, "Engine({ind}, z: {z})"),
            Engine::Ratio(ind, part) => write!(f, "Engine({ind}, {part:?})"),
            Engine::Performance(ind) => write!(f, "Engine({ind})"),
            Engine::Fibonacci(ind) => write!(f, "Engine({ind})"),
            Engine::Apex(_, part, row) => write!(f, "Engine(APEX, {part:?}, row {row})"),
        }
    }
}

impl Engine {
    /// SMA(n).
    pub(crate) fn sma(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Close(Box::new(Sma::new(n)?)))
    }
    /// EMA(n).
    pub(crate) fn ema(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Close(Box::new(Ema::new(n)?)))
    }
    /// RSI(n).
    pub(crate) fn rsi(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Close(Box::new(Rsi::new(n)?)))
    }
    /// STDDEV(n).
    pub(crate) fn stddev(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Close(Box::new(StdDev::new(n)?)))
    }
    /// MAX(n).
    pub(crate) fn rolling_max(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Close(Box::new(RollingMax::new(n)?)))
    }
    /// MIN(n).
    pub(crate) fn rolling_min(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Close(Box::new(RollingMin::new(n)?)))
    }
    /// MACD(fast, slow, signal).
    pub(crate) fn macd(
        fast: usize,
        slow: usize,
        signal: usize,
        part: MacdPart,
    ) -> apex_ta::Result<Self> {
        Ok(Engine::Macd(Box::new(Macd::new(fast, slow, signal)?), part))
    }
    /// TRANGE.
    pub(crate) fn trange() -> Self {
        Engine::Range(Box::new(TrueRange::new()))
    }
    /// ATR(n).
    pub(crate) fn atr(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Range(Box::new(Atr::new(n)?)))
    }
    /// NATR(n).
    pub(crate) fn natr(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Range(Box::new(Natr::new(n)?)))
    }
    /// Volume z-score (`z`) or ratio over n bars.
    pub(crate) fn volume(n: usize, z: bool) -> apex_ta::Result<Self> {
        Ok(Engine::Volume(Box::new(VolumeZScore::new(n)?), z))
    }
    /// Relative ratio with its EMA(n).
    pub(crate) fn ratio(n: usize, part: RatioPart) -> apex_ta::Result<Self> {
        Ok(Engine::Ratio(Box::new(RelativeRatio::new(n)?), part))
    }
    /// Relative performance over n bars.
    pub(crate) fn performance(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Performance(Box::new(RelativePerformance::new(n)?)))
    }
    /// Fibonacci swing over n bars.
    pub(crate) fn fibonacci(n: usize) -> apex_ta::Result<Self> {
        Ok(Engine::Fibonacci(Box::new(FibonacciLevels::new(n)?)))
    }
    /// The APEX score with the default configuration.
    pub(crate) fn apex(part: ApexPart) -> Self {
        Engine::Apex(Box::default(), part, 0)
    }

    /// Feeds one row (the function's data arguments, `None` for SQL NULL)
    /// and returns the row's value, `None` for SQL NULL.
    ///
    /// The caller passes exactly the function's data arguments (checked at
    /// planning time); a missing one reads as NULL.
    pub(crate) fn step(&mut self, x: &[Option<f64>]) -> Option<Value> {
        let at = |i: usize| x.get(i).copied().flatten();
        match self {
            Engine::Close(ind) => ind.update(at(0)?).ok()?.map(Value::Number),
            Engine::Macd(ind, part) => {
                let MacdOutput {
                    macd,
                    signal,
                    histogram,
                } = ind.update(at(0)?).ok()??;
                Some(Value::Number(match part {
                    MacdPart::Line => macd,
                    MacdPart::Signal => signal,
                    MacdPart::Histogram => histogram,
                }))
            }
            Engine::Range(ind) => {
                let bar = hlc_bar(at(0)?, at(1)?, at(2)?);
                ind.update(bar).ok()?.map(Value::Number)
            }
            Engine::Volume(ind, z) => {
                let out = ind.update(at(0)?).ok()??;
                (if *z { out.z } else { out.ratio }).map(Value::Number)
            }
            Engine::Ratio(ind, part) => {
                let out = ind.update((at(0)?, at(1)?)).ok()??;
                Some(Value::Number(match part {
                    RatioPart::Ratio => out.ratio,
                    RatioPart::Ema => out.ema,
                    RatioPart::Distance => out.distance_pct,
                }))
            }
            Engine::Performance(ind) => ind.update((at(0)?, at(1)?)).ok()?.map(Value::Number),
            Engine::Fibonacci(ind) => {
                let bar = hlc_bar(at(0)?, at(1)?, at(2)?);
                ind.update(bar).ok()??.retracement.map(Value::Number)
            }
            Engine::Apex(scorer, part, row) => {
                let target = Bar::new(at(0)?, at(1)?, at(2)?, at(3)?, at(4)?);
                let (spy, qqq, yield_2y) = (at(5)?, at(6)?, at(7));
                // Rows arrive in ORDER BY order: the row count is a strictly
                // increasing timestamp, whatever the table's own `ts` is.
                *row = row.saturating_add(1);
                let bar = MarketBar::new(*row, target, spy, qqq, yield_2y);
                let score = scorer.update(bar).ok()??;
                apex_value(&score, *part)
            }
        }
    }
}

/// A bar from (high, low, close): the open is taken as the close and the
/// volume as 0, so validation checks exactly `low ≤ close ≤ high`, all
/// finite (TRANGE, ATR, NATR and the Fibonacci swing never read the open
/// or the volume).
fn hlc_bar(high: f64, low: f64, close: f64) -> Bar {
    Bar::new(close, high, low, close, 0.0)
}

/// The part of a score an APEX function returns.
fn apex_value(score: &Score, part: ApexPart) -> Option<Value> {
    match part {
        ApexPart::Score => Some(Value::Number(score.value())),
        ApexPart::Label => Some(Value::Text(score.label().as_str())),
        ApexPart::Contribution(i) => score.get(i).map(|c| Value::Number(c.contribution)),
    }
}
