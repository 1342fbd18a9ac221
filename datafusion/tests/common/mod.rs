//! A synthetic panel with bad rows, and the core crate's streaming values
//! for it: what every SQL function must return, bit for bit.
#![allow(dead_code)]

use std::sync::Arc;

use apex_ta::score::MarketBar;
use apex_ta::{
    ApexScorer, Atr, Bar, Ema, FibonacciLevels, Indicator, Macd, Natr, RelativePerformance,
    RelativeRatio, RollingMax, RollingMin, Rsi, Score, Scorer, Sma, StdDev, TrueRange,
    VolumeZScore,
};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::compute::{cast, concat_batches};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int64Type, Schema, SchemaRef};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};

/// One row of the panel; `None` is SQL NULL.
#[derive(Debug, Clone)]
pub struct Row {
    pub symbol: String,
    pub ts: i64,
    pub open: Option<f64>,
    pub high: Option<f64>,
    pub low: Option<f64>,
    pub close: Option<f64>,
    pub volume: Option<f64>,
    pub spy: Option<f64>,
    pub qqq: Option<f64>,
    pub dgs2: Option<f64>,
}

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly normal (sum of uniforms).
    pub fn gauss(&mut self) -> f64 {
        (0..4).map(|_| self.unit()).sum::<f64>() - 2.0
    }
}

/// `symbols` random-walk symbols of `bars` daily bars each, with SPY/QQQ
/// closes and a yield; when `bad` is set, about one row in 25 is bad in
/// one of several ways (NULL, NaN, ±inf, high < low, negative volume, a
/// zero benchmark, a NULL yield).
pub fn panel(symbols: usize, bars: usize, seed: u64, bad: bool) -> Vec<Row> {
    let mut rng = Rng::new(seed);
    let mut spy = 400.0;
    let mut qqq = 350.0;
    let mut dgs2 = 4.0;
    let mut market = Vec::with_capacity(bars);
    for _ in 0..bars {
        spy *= 1.0 + 0.01 * rng.gauss();
        qqq *= 1.0 + 0.012 * rng.gauss();
        dgs2 = f64::max(0.1, dgs2 + 0.03 * rng.gauss());
        market.push((spy, qqq, dgs2));
    }
    let mut rows = Vec::with_capacity(symbols * bars);
    for s in 0..symbols {
        let mut close = 20.0 + 10.0 * s as f64;
        for (i, &(spy, qqq, dgs2)) in market.iter().enumerate() {
            let open = close;
            close *= 1.0 + 0.015 * rng.gauss() + 0.0005 * ((i / 50) % 3) as f64;
            let high = open.max(close) * (1.0 + 0.01 * rng.unit());
            let low = open.min(close) * (1.0 - 0.01 * rng.unit());
            // Round volumes, repeated now and then (a zero deviation).
            let volume = if rng.unit() < 0.05 {
                1.0e6
            } else {
                (1.0e6 * (1.0 + rng.gauss().abs() * 2.0)).round()
            };
            let mut row = Row {
                symbol: format!("S{s:03}"),
                ts: 1_600_000_000 + 86_400 * i as i64,
                open: Some(open),
                high: Some(high),
                low: Some(low),
                close: Some(close),
                volume: Some(volume),
                spy: Some(spy),
                qqq: Some(qqq),
                dgs2: Some(dgs2),
            };
            if bad && i > 3 && rng.unit() < 0.04 {
                match rng.next_u64() % 9 {
                    0 => row.close = None,
                    1 => row.close = Some(f64::NAN),
                    2 => row.high = Some(f64::INFINITY),
                    3 => (row.high, row.low) = (row.low, row.high),
                    4 => row.volume = Some(-5.0),
                    5 => row.spy = Some(0.0),
                    6 => row.qqq = None,
                    7 => row.dgs2 = None,
                    _ => row.low = Some(f64::NAN),
                }
            }
            rows.push(row);
        }
    }
    rows
}

pub fn schema() -> SchemaRef {
    let f = |n: &str| Field::new(n, DataType::Float64, true);
    Arc::new(Schema::new(vec![
        Field::new("symbol", DataType::Utf8, false),
        Field::new("ts", DataType::Int64, false),
        f("open"),
        f("high"),
        f("low"),
        f("close"),
        f("volume"),
        f("spy"),
        f("qqq"),
        f("dgs2"),
    ]))
}

/// The rows as one Arrow batch.
pub fn batch(rows: &[Row]) -> RecordBatch {
    let col = |g: &dyn Fn(&Row) -> Option<f64>| -> ArrayRef {
        Arc::new(rows.iter().map(g).collect::<Float64Array>())
    };
    RecordBatch::try_new(
        schema(),
        vec![
            Arc::new(
                rows.iter()
                    .map(|r| Some(r.symbol.as_str()))
                    .collect::<StringArray>(),
            ),
            Arc::new(rows.iter().map(|r| Some(r.ts)).collect::<Int64Array>()),
            col(&|r| r.open),
            col(&|r| r.high),
            col(&|r| r.low),
            col(&|r| r.close),
            col(&|r| r.volume),
            col(&|r| r.spy),
            col(&|r| r.qqq),
            col(&|r| r.dgs2),
        ],
    )
    .unwrap()
}

/// A context with `target_partitions` partitions, the functions registered
/// and `rows` as table `bars`, in shuffled order and in several batches
/// (so the query must sort, and batch boundaries fall inside partitions).
pub fn context(rows: &[Row], target_partitions: usize) -> SessionContext {
    let ctx = SessionContext::new_with_config(
        SessionConfig::new()
            .with_target_partitions(target_partitions)
            .with_batch_size(97),
    );
    apex_ta_datafusion::register_all(&ctx);
    let mut shuffled: Vec<Row> = rows.to_vec();
    let mut rng = Rng::new(7);
    for i in (1..shuffled.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    let batches: Vec<RecordBatch> = shuffled.chunks(211).map(batch).collect();
    let per_partition = batches.len().div_ceil(3).max(1);
    let parts: Vec<Vec<RecordBatch>> = batches.chunks(per_partition).map(<[_]>::to_vec).collect();
    let table = MemTable::try_new(schema(), parts).unwrap();
    ctx.register_table("bars", Arc::new(table)).unwrap();
    ctx
}

/// Every function once, by output column name.
pub const CALLS: [(&str, &str); 24] = [
    ("sma_20", "sma(close, 20)"),
    ("ema_20", "ema(close, 20)"),
    ("rsi_14", "rsi(close, 14)"),
    ("macd", "macd(close, 12, 26, 9)"),
    ("macd_signal", "macd_signal(close, 12, 26, 9)"),
    ("macd_hist", "macd_hist(close, 12, 26, 9)"),
    ("trange", "trange(high, low, close)"),
    ("atr_14", "atr(high, low, close, 14)"),
    ("natr_14", "natr(high, low, close, 14)"),
    ("stddev_20", "ta_stddev(close, 20)"),
    ("max_20", "rolling_max(close, 20)"),
    ("min_20", "rolling_min(close, 20)"),
    ("volume_z_20", "volume_z(volume, 20)"),
    ("volume_ratio_20", "volume_ratio(volume, 20)"),
    ("rel_ratio_50", "rel_ratio(close, spy, 50)"),
    ("rel_ratio_50_ratio", "rel_ratio(close, spy, 50, 'ratio')"),
    ("rel_ratio_50_ema", "rel_ratio(close, spy, 50, 'ema')"),
    ("rel_perf_20", "rel_perf(close, qqq, 20)"),
    ("fib_55", "fib_retracement(high, low, close, 55)"),
    (
        "apex",
        "apex_score(open, high, low, close, volume, spy, qqq, dgs2)",
    ),
    (
        "apex_no_yield",
        "apex_score(open, high, low, close, volume, spy, qqq)",
    ),
    (
        "apex_rsi",
        "apex_contribution(open, high, low, close, volume, spy, qqq, dgs2, 'rsi')",
    ),
    (
        "apex_vs_qqq",
        "apex_contribution(open, high, low, close, volume, spy, qqq, dgs2, 'vs_qqq')",
    ),
    (
        "apex_rates",
        "apex_contribution(open, high, low, close, volume, spy, qqq, dgs2, 'rates')",
    ),
];

/// `SELECT symbol, ts, <every call> FROM bars ... ORDER BY symbol, ts`.
pub fn query() -> String {
    let cols: Vec<String> = CALLS
        .iter()
        .map(|(name, call)| format!("{call} OVER w AS {name}"))
        .collect();
    format!(
        "SELECT symbol, ts, {}, apex_label(open, high, low, close, volume, spy, qqq, dgs2) OVER w AS apex_label \
         FROM bars WINDOW w AS (PARTITION BY symbol ORDER BY ts) ORDER BY symbol, ts",
        cols.join(", ")
    )
}

/// The query's result as one batch.
pub async fn run(ctx: &SessionContext, sql: &str) -> RecordBatch {
    let df = ctx.sql(sql).await.unwrap();
    let schema = Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await.unwrap();
    concat_batches(&schema, &batches).unwrap()
}

/// A `DOUBLE` column's values, `None` for NULL.
pub fn column(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let col = batch.column_by_name(name).unwrap();
    let col = col.as_primitive::<Float64Type>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i)))
        .collect()
}

/// A text column's values (any string type), `None` for NULL.
pub fn strings(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = cast(batch.column_by_name(name).unwrap(), &DataType::Utf8).unwrap();
    let col = col.as_string::<i32>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i).to_string()))
        .collect()
}

/// `(symbol, ts)` of each result row.
pub fn keys(batch: &RecordBatch) -> Vec<(String, i64)> {
    let s = strings(batch, "symbol");
    let t = batch
        .column_by_name("ts")
        .unwrap()
        .as_primitive::<Int64Type>();
    (0..batch.num_rows())
        .map(|i| (s[i].clone().unwrap(), t.value(i)))
        .collect()
}

/// Feeds `inputs` (None = a NULL row: not fed) to `ind`; a row's value is
/// `pick(output)` for `Ok(Some(output))`, else None.
fn stream<I: Indicator>(
    mut ind: I,
    inputs: impl Iterator<Item = Option<I::Input>>,
    pick: impl Fn(I::Output) -> Option<f64>,
) -> Vec<Option<f64>> {
    inputs
        .map(|x| x.and_then(|x| ind.update(x).ok().flatten().and_then(&pick)))
        .collect()
}

/// The bar the (high, low, close) functions define.
fn hlc(r: &Row) -> Option<Bar> {
    Some(Bar::new(r.close?, r.high?, r.low?, r.close?, 0.0))
}

/// APEX scores of one symbol's rows (the row index as timestamp).
fn apex(rows: &[&Row], with_yield: bool) -> Vec<Option<Score>> {
    let mut scorer = ApexScorer::default();
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let bar = MarketBar::new(
                i as i64 + 1,
                Bar::new(r.open?, r.high?, r.low?, r.close?, r.volume?),
                r.spy?,
                r.qqq?,
                if with_yield { r.dgs2 } else { None },
            );
            scorer.update(bar).ok().flatten()
        })
        .collect()
}

/// The core crate's streaming values of `name` (a [`CALLS`] column) for
/// one symbol's rows in time order.
pub fn expected(name: &str, rows: &[&Row]) -> Vec<Option<f64>> {
    let close = || rows.iter().map(|r| r.close);
    let bars = || rows.iter().map(|r| hlc(r));
    let pair = |b: fn(&Row) -> Option<f64>| {
        rows.iter()
            .map(move |r| Some((r.close?, b(r)?)))
            .collect::<Vec<_>>()
    };
    let contribution = |i: usize| -> Vec<Option<f64>> {
        apex(rows, true)
            .into_iter()
            .map(|s| s.and_then(|s| s.get(i)).map(|c| c.contribution))
            .collect()
    };
    match name {
        "sma_20" => stream(Sma::new(20).unwrap(), close(), Some),
        "ema_20" => stream(Ema::new(20).unwrap(), close(), Some),
        "rsi_14" => stream(Rsi::new(14).unwrap(), close(), Some),
        "macd" => stream(Macd::new(12, 26, 9).unwrap(), close(), |m| Some(m.macd)),
        "macd_signal" => stream(Macd::new(12, 26, 9).unwrap(), close(), |m| Some(m.signal)),
        "macd_hist" => stream(Macd::new(12, 26, 9).unwrap(), close(), |m| {
            Some(m.histogram)
        }),
        "trange" => stream(TrueRange::new(), bars(), Some),
        "atr_14" => stream(Atr::new(14).unwrap(), bars(), Some),
        "natr_14" => stream(Natr::new(14).unwrap(), bars(), Some),
        "stddev_20" => stream(StdDev::new(20).unwrap(), close(), Some),
        "max_20" => stream(RollingMax::new(20).unwrap(), close(), Some),
        "min_20" => stream(RollingMin::new(20).unwrap(), close(), Some),
        "volume_z_20" => stream(
            VolumeZScore::new(20).unwrap(),
            rows.iter().map(|r| r.volume),
            |o| o.z,
        ),
        "volume_ratio_20" => stream(
            VolumeZScore::new(20).unwrap(),
            rows.iter().map(|r| r.volume),
            |o| o.ratio,
        ),
        "rel_ratio_50" => stream(
            RelativeRatio::new(50).unwrap(),
            pair(|r| r.spy).into_iter(),
            |o| Some(o.distance_pct),
        ),
        "rel_ratio_50_ratio" => stream(
            RelativeRatio::new(50).unwrap(),
            pair(|r| r.spy).into_iter(),
            |o| Some(o.ratio),
        ),
        "rel_ratio_50_ema" => stream(
            RelativeRatio::new(50).unwrap(),
            pair(|r| r.spy).into_iter(),
            |o| Some(o.ema),
        ),
        "rel_perf_20" => stream(
            RelativePerformance::new(20).unwrap(),
            pair(|r| r.qqq).into_iter(),
            Some,
        ),
        "fib_55" => stream(FibonacciLevels::new(55).unwrap(), bars(), |o| o.retracement),
        "apex" => apex(rows, true)
            .into_iter()
            .map(|s| s.map(|s| s.value()))
            .collect(),
        "apex_no_yield" => apex(rows, false)
            .into_iter()
            .map(|s| s.map(|s| s.value()))
            .collect(),
        "apex_rsi" => contribution(0),
        "apex_vs_qqq" => contribution(6),
        "apex_rates" => contribution(7),
        other => panic!("no expectation for {other}"),
    }
}

/// The APEX labels of one symbol's rows.
pub fn expected_labels(rows: &[&Row]) -> Vec<Option<&'static str>> {
    apex(rows, true)
        .into_iter()
        .map(|s| s.map(|s| s.label().as_str()))
        .collect()
}

/// The rows of each symbol in time order, in the result's order (symbol,
/// ts).
pub fn by_symbol(rows: &[Row]) -> Vec<Vec<&Row>> {
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| (&a.symbol, a.ts).cmp(&(&b.symbol, b.ts)));
    let mut out: Vec<Vec<&Row>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(group) if group[0].symbol == r.symbol => group.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

/// Checks every [`CALLS`] column and the labels of `result` against the
/// core crate, bit for bit; returns how many non-NULL values were compared.
pub fn assert_parity(result: &RecordBatch, rows: &[Row]) -> usize {
    let groups = by_symbol(rows);
    let flat: Vec<&Row> = groups.iter().flatten().copied().collect();
    let want_keys: Vec<(String, i64)> = flat.iter().map(|r| (r.symbol.clone(), r.ts)).collect();
    assert_eq!(keys(result), want_keys, "rows and order");
    let mut compared = 0;
    for (name, call) in CALLS {
        let got = column(result, name);
        let want: Vec<Option<f64>> = groups.iter().flat_map(|g| expected(name, g)).collect();
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(
                g.map(f64::to_bits),
                w.map(f64::to_bits),
                "{call} at {} {}: SQL {g:?}, core {w:?}",
                flat[i].symbol,
                flat[i].ts
            );
        }
        let values = want.iter().flatten().count();
        assert!(values > 0, "{call} never produced a value");
        compared += values;
    }
    let labels = strings(result, "apex_label");
    let want: Vec<Option<&str>> = groups.iter().flat_map(|g| expected_labels(g)).collect();
    assert_eq!(labels.len(), want.len());
    for (i, (g, w)) in labels.iter().zip(&want).enumerate() {
        assert_eq!(g.as_deref(), *w, "apex_label row {i}");
    }
    compared
}
