//! # apex-ta-datafusion
//!
//! The [`apex-ta`](apex_ta) indicators and the APEX score as Apache
//! DataFusion window functions, for panels of many symbols in SQL:
//!
//! ```sql
//! SELECT symbol, ts, close,
//!        rsi(close, 14)          OVER w AS rsi_14,
//!        macd_hist(close, 12, 26, 9) OVER w AS macd_hist,
//!        atr(high, low, close, 14)   OVER w AS atr_14,
//!        apex_score(open, high, low, close, volume, spy, qqq, dgs2) OVER w AS apex
//! FROM bars
//! WINDOW w AS (PARTITION BY symbol ORDER BY ts)
//! ```
//!
//! Each function runs the core crate's streaming type over the rows of its
//! partition in `ORDER BY` order, so **its values are the core crate's, bit
//! for bit**: row i's value is what `update` returns for row i after rows
//! 0..i of the same partition (tested per function against the streaming
//! form, with bad rows mixed in).
//!
//! ## Quick start
//!
//! ```
//! use datafusion::prelude::SessionContext;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> datafusion::error::Result<()> {
//! let ctx = SessionContext::new();
//! apex_ta_datafusion::register_all(&ctx);
//! let df = ctx
//!     .sql(
//!         "SELECT x, sma(x, 3) OVER (ORDER BY i) AS sma_3 \
//!          FROM (VALUES (1, 1.0), (2, 2.0), (3, 6.0), (4, 7.0)) AS t(i, x)",
//!     )
//!     .await?;
//! let batches = df.collect().await?;
//! let sma = batches[0].column(1);
//! assert!(sma.is_null(0) && sma.is_null(1)); // warm-up: SMA(3)'s lookback is 2
//! # use datafusion::arrow::array::{Array, AsArray};
//! # use datafusion::arrow::datatypes::Float64Type;
//! assert_eq!(sma.as_primitive::<Float64Type>().value(2), 3.0); // (1 + 2 + 6) / 3
//! assert_eq!(sma.as_primitive::<Float64Type>().value(3), 5.0); // (2 + 6 + 7) / 3
//! # Ok(())
//! # }
//! ```
//!
//! ## Functions
//!
//! Every function is used as `f(...) OVER (PARTITION BY symbol ORDER BY ts)`
//! (any partitioning and ordering work; the window frame is ignored: a
//! value depends on its row and every row before it in the partition).
//! Data arguments are numbers (cast to `DOUBLE`); parameters are literals,
//! checked when the query is planned, with the core constructor's own error
//! (`rsi(close, 0)` fails to plan with `rsi: ` and the message of
//! `Rsi::new(0)`'s error). Every result is a nullable `DOUBLE`, except
//! `apex_label`'s `VARCHAR`.
//!
//! | SQL | core type | value (TA-Lib's definitions; see the core crate) | warm-up rows (NULL) |
//! |---|---|---|---|
//! | `sma(x, n)` | [`Sma`](apex_ta::Sma) | mean of the last n inputs | n − 1 |
//! | `ema(x, n)` | [`Ema`](apex_ta::Ema) | k = 2/(n+1), seeded with the mean of the first n; `e += k·(x − e)` | n − 1 |
//! | `rsi(x, n)` | [`Rsi`](apex_ta::Rsi) | Wilder: `100·g/(g + l)` of the smoothed gains and losses (50 when both are 0) | n |
//! | `macd(x, fast, slow, signal)` | [`Macd`](apex_ta::Macd) | fast EMA − slow EMA (TA-Lib's seeding) | slow − 1 + signal − 1 |
//! | `macd_signal(x, fast, slow, signal)` | [`Macd`](apex_ta::Macd) | EMA(signal) of the MACD line | same |
//! | `macd_hist(x, fast, slow, signal)` | [`Macd`](apex_ta::Macd) | line − signal | same |
//! | `trange(high, low, close)` | [`TrueRange`](apex_ta::TrueRange) | `max(h − l, |h − c₋₁|, |l − c₋₁|)` | 1 |
//! | `atr(high, low, close, n)` | [`Atr`](apex_ta::Atr) | Wilder average of the true range | n |
//! | `natr(high, low, close, n)` | [`Natr`](apex_ta::Natr) | `100 · ATR / close` | n |
//! | `ta_stddev(x, n)` | [`StdDev`](apex_ta::StdDev) | population standard deviation of the last n (not SQL's `stddev` aggregate) | n − 1 |
//! | `rolling_max(x, n)` | [`RollingMax`](apex_ta::RollingMax) | largest of the last n | n − 1 |
//! | `rolling_min(x, n)` | [`RollingMin`](apex_ta::RollingMin) | smallest of the last n | n − 1 |
//! | `volume_z(volume, n)` | [`VolumeZScore`](apex_ta::VolumeZScore) | `(v − mean) / σ` over the last n; NULL when σ = 0 | n − 1 |
//! | `volume_ratio(volume, n)` | [`VolumeZScore`](apex_ta::VolumeZScore) | `v / mean` over the last n; NULL when the mean is 0 | n − 1 |
//! | `rel_ratio(a, b, n [, 'distance' \| 'ratio' \| 'ema'])` | [`RelativeRatio`](apex_ta::RelativeRatio) | `100·(a/b ÷ EMA_n(a/b) − 1)` (default `'distance'`), or the ratio `a/b`, or its EMA | n − 1 |
//! | `rel_perf(a, b, n)` | [`RelativePerformance`](apex_ta::RelativePerformance) | `(a/a₋ₙ − 1) − (b/b₋ₙ − 1)` | n |
//! | `fib_retracement(high, low, close, n)` | [`FibonacciLevels`](apex_ta::FibonacciLevels) | where the close sits in the last n bars' swing (0 = at its end, 0.618 = the 61.8 % retracement); NULL for a swing of zero range | n − 1 |
//! | `apex_score(open, high, low, close, volume, spy, qqq [, dgs2])` | [`ApexScorer`](apex_ta::ApexScorer) | the APEX score, 0–100 (default [`ApexConfig`](apex_ta::ApexConfig)) | until enough signals are ready |
//! | `apex_label(open, …, qqq [, dgs2])` | [`ApexScorer`](apex_ta::ApexScorer) | `'strong sell'`, `'sell'`, `'neutral'`, `'buy'`, `'strong buy'` | same |
//! | `apex_contribution(open, …, qqq [, dgs2], 'rsi')` | [`ApexScorer`](apex_ta::ApexScorer) | one signal's contribution in score points (`'rsi'`, `'macd'`, `'fib'`, `'volume'`, `'atr'`, `'vs_spy'`, `'vs_qqq'`, `'rates'`); the eight add up to `apex_score − 50`; 0 for a signal not ready yet | same |
//!
//! The APEX functions run one [`ApexScorer`](apex_ta::ApexScorer) per
//! partition: `spy` and `qqq` are the benchmarks' closes on the row's date,
//! `dgs2` the 2-year Treasury yield in percent (NULL or left out: no yield
//! that bar, as the core crate's `MarketBar::yield_2y = None`). The rows'
//! order is the timestamp: the scorer sees row k as timestamp k.
//! `apex_contribution` takes the signal's name as its last argument, so one
//! function covers the eight components; call it once per component.
//!
//! ## Bad rows are NULL and forgotten
//!
//! A query never fails because of a row's values. A row with a NULL in a
//! data argument (other than `dgs2`), or one the core crate rejects (NaN or
//! ±inf, `high < low`, a close outside [low, high], a negative volume, a
//! non-positive ratio leg, a value beyond a documented range) yields NULL,
//! and the running state is exactly as before it: the next rows get the
//! values they would have had without it. That is the core crate's
//! contract (`update` returns `Err` and leaves its state unchanged), mapped
//! to SQL (`Err` → NULL). Functions over (high, low, close) check the bar
//! `Bar { open: close, high, low, close, volume: 0 }`, i.e. `low ≤ close ≤
//! high`, all finite; they never read an open or a volume.
//!
//! ## Execution
//!
//! The evaluator keeps only the core crate's state (a few windows of the
//! function's period), never the partition: it supports DataFusion's
//! bounded execution (`supports_bounded_execution`, no window frame,
//! causal), so DataFusion streams each partition through it row by row and
//! drops rows once their values are out. Partitions of any length work in
//! bounded memory past the sort that `ORDER BY` needs (none when the input
//! is already sorted and declared so). Different partitions (symbols) are
//! independent, so DataFusion spreads them over `target_partitions` cores
//! by hashing the `PARTITION BY` key; the values do not depend on how many.
//!
//! ## Ballista
//!
//! With the `ballista` feature, [`ballista`] has the scheduler and executor
//! set-up that knows these functions, and the binary `apex-ta-ballista`
//! runs either on a cluster (see the README). The functions carry no state
//! beyond their name, so Ballista's default codec serialises them by name;
//! every process only needs them in its function registry.
//!
//! ## Crate features
//!
//! * `ballista`: [`ballista`] and the `apex-ta-ballista` binary (Ballista 55
//!   and its gRPC stack; off by default).
#![forbid(unsafe_code)]
#![doc(test(attr(deny(warnings))))]

mod engine;
mod function;

#[cfg(feature = "ballista")]
pub mod ballista;

use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::WindowUDF;
use datafusion::prelude::SessionContext;

use crate::function::{TaFunction, KINDS};

/// The SQL names of every function [`register_all`] registers, in the order
/// of the table in the crate docs.
pub const FUNCTION_NAMES: [&str; KINDS.len()] = {
    let mut names = [""; KINDS.len()];
    let mut i = 0;
    while i < KINDS.len() {
        // In bounds: `i < KINDS.len() == names.len()`.
        #[allow(clippy::indexing_slicing)]
        {
            names[i] = KINDS[i].name();
        }
        i += 1;
    }
    names
};

/// Every function of this crate as a DataFusion [`WindowUDF`] (for a
/// `SessionStateBuilder::with_window_functions`, a Ballista function
/// registry, …).
///
/// ```
/// let names: Vec<String> = apex_ta_datafusion::window_functions()
///     .iter()
///     .map(|f| f.name().to_string())
///     .collect();
/// assert!(names.iter().any(|n| n == "apex_score"));
/// assert_eq!(names.len(), apex_ta_datafusion::FUNCTION_NAMES.len());
/// ```
pub fn window_functions() -> Vec<WindowUDF> {
    KINDS.iter().map(|&k| TaFunction::udwf(k)).collect()
}

/// Registers every function of this crate on `ctx` (replacing any of the
/// same name), so that SQL and DataFrames on it can call them.
///
/// ```
/// use datafusion::execution::FunctionRegistry;
///
/// let ctx = datafusion::prelude::SessionContext::new();
/// apex_ta_datafusion::register_all(&ctx);
/// assert!(ctx.udwf("rsi").is_ok() && ctx.udwf("apex_contribution").is_ok());
/// ```
pub fn register_all(ctx: &SessionContext) {
    for f in window_functions() {
        ctx.register_udwf(f);
    }
}

/// Registers every function of this crate on any DataFusion
/// [`FunctionRegistry`] (a `SessionState`, a task context's registry, …).
///
/// ```
/// use datafusion::execution::session_state::SessionStateBuilder;
/// use datafusion::execution::FunctionRegistry;
///
/// # fn main() -> datafusion::error::Result<()> {
/// let mut state = SessionStateBuilder::new().with_default_features().build();
/// apex_ta_datafusion::register_all_on(&mut state)?;
/// assert!(state.udwf("macd_hist").is_ok());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// The registry's own error, if it refuses a registration.
pub fn register_all_on(registry: &mut dyn FunctionRegistry) -> datafusion::error::Result<()> {
    for f in window_functions() {
        registry.register_udwf(std::sync::Arc::new(f))?;
    }
    Ok(())
}
