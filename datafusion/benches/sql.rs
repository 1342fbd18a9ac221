//! Throughput of the SQL functions on a Parquet panel, against the core
//! crate in memory.
//!
//! Builds a synthetic panel (2,000 symbols × 5,000 daily bars by default,
//! 10 M rows, sorted by symbol and date, in 8 Parquet files under the
//! target directory), then times, best of `APEX_SQL_BENCH_RUNS` (3):
//!
//! * `rsi(close, 14)` and `apex_score(...)` over
//!   `PARTITION BY symbol ORDER BY ts`, with 1 and with 2 target partitions
//!   (the stream consumed and counted, not collected);
//! * the scan alone (the same columns, no window function) for reference;
//! * the yardsticks: streaming `Rsi` per symbol and `ApexUniverse` over the
//!   same panel in memory (building each bar's `MarketBar` row included).
//!
//! ```sh
//! cargo bench -p apex-ta-datafusion --bench sql
//! APEX_SQL_BENCH=200x1000 cargo bench -p apex-ta-datafusion --bench sql   # smaller
//! ```
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::fs::File;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use apex_ta::score::ApexUniverse;
use apex_ta::{ApexConfig, Bar, Indicator, MarketBar, Rsi};
use datafusion::arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::error::Result;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{col, ParquetReadOptions, SessionConfig, SessionContext};
use futures_util::StreamExt;

/// The panel, symbol-major (`[symbol * bars + bar]`).
struct Panel {
    symbols: usize,
    bars: usize,
    open: Vec<f64>,
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    volume: Vec<f64>,
    spy: Vec<f64>,
    qqq: Vec<f64>,
    dgs2: Vec<f64>,
}

struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * 1.732
    }
}

fn panel(symbols: usize, bars: usize) -> Panel {
    let mut rng = Rng(0x005E_ED0F_A9E7);
    let (mut spy, mut qqq, mut y) = (300.0_f64, 250.0_f64, 3.0_f64);
    let mut market = Vec::with_capacity(bars);
    for t in 0..bars {
        let m = rng.normal() * 0.009;
        spy *= (m + 0.0003).exp();
        qqq *= (m * 1.15 + rng.normal() * 0.004 + 0.0004).exp();
        let regime = if (t / 700) % 2 == 0 { 0.002 } else { -0.002 };
        y = (y + regime + rng.normal() * 0.03).clamp(0.05, 8.0);
        market.push((m, spy, qqq, y));
    }
    let n = symbols * bars;
    let mut p = Panel {
        symbols,
        bars,
        open: Vec::with_capacity(n),
        high: Vec::with_capacity(n),
        low: Vec::with_capacity(n),
        close: Vec::with_capacity(n),
        volume: Vec::with_capacity(n),
        spy: Vec::with_capacity(n),
        qqq: Vec::with_capacity(n),
        dgs2: Vec::with_capacity(n),
    };
    for _ in 0..symbols {
        let mut close = 10.0 + 90.0 * rng.unit();
        let beta = 0.6 + 0.9 * rng.unit();
        let vol = 0.01 + 0.02 * rng.unit();
        let base_volume = 1e5 + 2e6 * rng.unit();
        for &(m, spy, qqq, y) in &market {
            let open = close;
            close = (open * (beta * m + vol * rng.normal()).exp()).max(0.01);
            p.open.push(open);
            p.high
                .push(open.max(close) * (1.0 + vol * 0.5 * rng.unit()));
            p.low.push(open.min(close) * (1.0 - vol * 0.5 * rng.unit()));
            p.close.push(close);
            let spike = if rng.unit() < 0.02 { 2.5 } else { 1.0 };
            p.volume
                .push((base_volume * (0.6 + 0.8 * rng.unit()) * spike).round());
            p.spy.push(spy);
            p.qqq.push(qqq);
            p.dgs2.push(y);
        }
    }
    p
}

/// Writes the panel as `files` Parquet files of whole symbols.
fn write_parquet(p: &Panel, dir: &Path, files: usize) -> Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let f = |n: &str, t: DataType| Field::new(n, t, false);
    let schema = Arc::new(Schema::new(vec![
        f("symbol", DataType::Utf8),
        f("ts", DataType::Int64),
        f("open", DataType::Float64),
        f("high", DataType::Float64),
        f("low", DataType::Float64),
        f("close", DataType::Float64),
        f("volume", DataType::Float64),
        f("spy", DataType::Float64),
        f("qqq", DataType::Float64),
        f("dgs2", DataType::Float64),
    ]));
    let per_file = p.symbols.div_ceil(files);
    for (k, first) in (0..p.symbols).step_by(per_file).enumerate() {
        let file = File::create(dir.join(format!("part-{k:02}.parquet")))?;
        let mut writer = ArrowWriter::try_new(file, Arc::clone(&schema), None)?;
        for s in first..(first + per_file).min(p.symbols) {
            let r = s * p.bars..(s + 1) * p.bars;
            let v = |c: &[f64]| Arc::new(Float64Array::from(c[r.clone()].to_vec())) as _;
            let batch = RecordBatch::try_new(
                Arc::clone(&schema),
                vec![
                    Arc::new(StringArray::from(vec![format!("S{s:04}"); p.bars])),
                    Arc::new(Int64Array::from_iter_values(
                        (0..p.bars as i64).map(|t| t * 86_400),
                    )),
                    v(&p.open),
                    v(&p.high),
                    v(&p.low),
                    v(&p.close),
                    v(&p.volume),
                    v(&p.spy),
                    v(&p.qqq),
                    v(&p.dgs2),
                ],
            )?;
            writer.write(&batch)?;
        }
        writer.close()?;
    }
    Ok(())
}

/// Runs `sql` with `partitions` target partitions; rows out and the time.
async fn time_sql(dir: &Path, sql: &str, partitions: usize) -> Result<(usize, Duration)> {
    // The files are sorted: with several partitions, keep that order
    // through the hash repartitioning by symbol (a merge) rather than
    // sorting the whole panel again.
    let config = SessionConfig::new()
        .with_target_partitions(partitions)
        .set_bool("datafusion.optimizer.prefer_existing_sort", true);
    let ctx = SessionContext::new_with_config(config);
    apex_ta_datafusion::register_all(&ctx);
    // The files are sorted by (symbol, ts): say so, and DataFusion need not
    // sort them again.
    let sorted = vec![vec![
        col("symbol").sort(true, false),
        col("ts").sort(true, false),
    ]];
    ctx.register_parquet(
        "bars",
        dir.to_str().unwrap_or_default(),
        ParquetReadOptions::default().file_sort_order(sorted),
    )
    .await?;
    if std::env::var_os("APEX_SQL_BENCH_EXPLAIN").is_some() {
        let plan = ctx.sql(&format!("EXPLAIN {sql}")).await?.collect().await?;
        println!(
            "{partitions} partition(s):\n{}",
            datafusion::arrow::util::pretty::pretty_format_batches(&plan)?
        );
    }
    let start = Instant::now();
    let mut stream = ctx.sql(sql).await?.execute_stream().await?;
    let mut rows = 0;
    while let Some(batch) = stream.next().await {
        rows += black_box(batch?).num_rows();
    }
    Ok((rows, start.elapsed()))
}

/// This process's CPU time (user + system, all threads) in seconds, from
/// `/proc/self/stat` (Linux; `None` elsewhere). Clock ticks are taken as
/// 1/100 s, Linux's `USER_HZ` on every common platform.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) in parens.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 here.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn best<T>(runs: usize, mut f: impl FnMut() -> (T, Duration)) -> (T, Duration) {
    let mut out = f();
    for _ in 1..runs {
        let next = f();
        if next.1 < out.1 {
            out = next;
        }
    }
    out
}

fn rsi_in_memory(p: &Panel) -> Duration {
    let start = Instant::now();
    let mut sum = 0.0;
    for s in 0..p.symbols {
        let mut rsi = Rsi::new(14).expect("RSI(14)");
        for &c in &p.close[s * p.bars..(s + 1) * p.bars] {
            if let Ok(Some(v)) = rsi.update(c) {
                sum += v;
            }
        }
    }
    black_box(sum);
    start.elapsed()
}

fn apex_in_memory(p: &Panel) -> Duration {
    let start = Instant::now();
    let mut universe =
        ApexUniverse::<f64>::new(p.symbols, ApexConfig::default()).expect("universe");
    let mut input = Vec::with_capacity(p.symbols);
    let mut out = vec![f64::NAN; p.symbols];
    for t in 0..p.bars {
        input.clear();
        for s in 0..p.symbols {
            let i = s * p.bars + t;
            let bar = Bar::new(p.open[i], p.high[i], p.low[i], p.close[i], p.volume[i]);
            input.push(MarketBar::new(
                t as i64 * 86_400,
                bar,
                p.spy[i],
                p.qqq[i],
                Some(p.dgs2[i]),
            ));
        }
        universe.update(&input, &mut out).expect("valid bars");
    }
    black_box(&out);
    start.elapsed()
}

fn size() -> (usize, usize) {
    std::env::var("APEX_SQL_BENCH")
        .ok()
        .and_then(|v| {
            let (a, b) = v.split_once('x')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .filter(|&(a, b)| a > 0 && b > 0)
        .unwrap_or((2_000, 5_000))
}

fn main() -> Result<()> {
    // `cargo bench` passes `--bench`; a filter argument is ignored.
    let (symbols, bars) = size();
    let runs = std::env::var("APEX_SQL_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(3);
    let rows = symbols * bars;
    let dir: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sql_bench_panel");
    let start = Instant::now();
    let p = panel(symbols, bars);
    write_parquet(&p, &dir, 8)?;
    println!(
        "panel: {symbols} symbols x {bars} bars = {rows} rows, 8 Parquet files, built in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let apex = "apex_score(open, high, low, close, volume, spy, qqq, dgs2)";
    let queries = [
        (
            "scan only (no window function)",
            "SELECT symbol, ts, close FROM bars".to_string(),
        ),
        (
            "rsi(close, 14)",
            "SELECT symbol, ts, rsi(close, 14) OVER (PARTITION BY symbol ORDER BY ts) FROM bars"
                .to_string(),
        ),
        (
            "apex_score(...)",
            format!("SELECT symbol, ts, {apex} OVER (PARTITION BY symbol ORDER BY ts) FROM bars"),
        ),
    ];
    println!("| query | cores | time (s) | M rows/s | M rows/s per core | ns per row per core | speed-up 1 → 2 | CPU s per run |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, sql) in &queries {
        let mut one = None;
        for cores in [1, 2] {
            let cpu_before = cpu_seconds();
            let (n, t) = best(runs, || {
                runtime
                    .block_on(time_sql(&dir, sql, cores))
                    .expect("query runs")
            });
            // CPU seconds per run (all runs over their count): what the
            // query costs whatever else the machine is doing.
            let cpu = cpu_seconds()
                .zip(cpu_before)
                .map(|(after, before)| (after - before) / runs as f64);
            assert_eq!(n, rows, "{name}: every row out");
            let secs = t.as_secs_f64();
            let speedup = match one {
                None => {
                    one = Some(secs);
                    String::new()
                }
                Some(s1) => format!("{:.2}×", s1 / secs),
            };
            println!(
                "| {name} | {cores} | {secs:.2} | {:.2} | {:.2} | {:.0} | {speedup} | {} |",
                rows as f64 / secs / 1e6,
                rows as f64 / secs / 1e6 / cores as f64,
                secs * 1e9 * cores as f64 / rows as f64,
                cpu.map_or_else(String::new, |c| format!("{c:.2}")),
            );
        }
    }
    let ((), t) = best(runs, || ((), rsi_in_memory(&p)));
    println!(
        "| core `Rsi` per symbol, in memory | 1 | {:.2} | {:.2} | {:.2} | {:.0} | | |",
        t.as_secs_f64(),
        rows as f64 / t.as_secs_f64() / 1e6,
        rows as f64 / t.as_secs_f64() / 1e6,
        t.as_secs_f64() * 1e9 / rows as f64
    );
    let ((), t) = best(runs, || ((), apex_in_memory(&p)));
    println!(
        "| core `ApexUniverse`, in memory | 1 | {:.2} | {:.2} | {:.2} | {:.0} | | |",
        t.as_secs_f64(),
        rows as f64 / t.as_secs_f64() / 1e6,
        rows as f64 / t.as_secs_f64() / 1e6,
        t.as_secs_f64() * 1e9 / rows as f64
    );
    Ok(())
}
