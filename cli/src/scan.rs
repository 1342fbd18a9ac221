//! `apex-ta scan`: SQL with the apex-ta window functions over a panel of
//! many symbols (Parquet or a directory of CSVs), on all cores, with
//! Apache DataFusion (cargo feature `sql`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::Failure;

const EXAMPLES: &str = "\
Examples:
  apex-ta scan etfs/ --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv --out scores.parquet
  apex-ta scan panel.parquet --out indicators.csv
  apex-ta scan etfs/ --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv --sql \"
      SELECT symbol, ts, apex_score(open, high, low, close, volume, spy, qqq, dgs2)
             OVER (PARTITION BY symbol ORDER BY ts) AS apex
      FROM bars ORDER BY apex DESC NULLS LAST LIMIT 20\"

Input: a Parquet file, a directory of Parquet files (columns symbol, ts,
open, high, low, close, volume; ts in epoch seconds), or a directory of OHLCV
CSV files (the file stem is the symbol; the CSV format of `apex-ta
indicators`). It is table `bars(symbol, ts, open, high, low, close, volume)`,
plus columns spy, qqq (closes) and dgs2 (the 2-year yield) joined by date when
--spy/--qqq/--yield are given (a missing date carries the last value for up
to 3 dates, as `apex-ta score` does; beyond that it is NULL).

Functions: sma, ema, rsi, macd, macd_signal, macd_hist, trange, atr, natr,
ta_stddev, rolling_max, rolling_min, volume_z, volume_ratio, rel_ratio,
rel_perf, fib_retracement, apex_score, apex_label, apex_contribution, each as
f(...) OVER (PARTITION BY symbol ORDER BY ts), with the library's values bit
for bit; a bad row is NULL and changes no later value.

Default query: per symbol and bar, the columns of `apex-ta indicators`
(rsi_14, macd, macd_signal, macd_hist, atr_14, natr_14, trange, ema_20,
sma_20, stddev_20, max_20, min_20, volume_z_20, volume_ratio_20) and, with
--spy and --qqq, apex_score and apex_label; ordered by symbol and ts.

Output: --out FILE.parquet or FILE.csv (CSV on stdout without --out). In CSV,
NULL is an empty field and numbers parse back to the same f64.

Exit status: 0 ok, 1 usage error, unreadable input or a failed query, 2 some
CSV rows rejected (each reported as `FILE: line N: reason`; the rest used).";

/// Run SQL with the apex-ta window functions over a panel of symbols
/// (Parquet or CSV files), on all cores.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
// Without the `sql` feature the arguments are parsed (so `--help` works)
// and not used.
#[cfg_attr(not(feature = "sql"), allow(dead_code))]
pub struct ScanArgs {
    /// A Parquet file, or a directory of Parquet or OHLCV CSV files
    #[arg(value_name = "INPUT")]
    input: PathBuf,
    /// SPY (or any benchmark) OHLCV CSV: its close becomes column `spy`
    #[arg(long, value_name = "FILE")]
    spy: Option<PathBuf>,
    /// QQQ OHLCV CSV: its close becomes column `qqq`
    #[arg(long, value_name = "FILE")]
    qqq: Option<PathBuf>,
    /// 2-year Treasury yield CSV (date,value; FRED's DGS2): column `dgs2`
    #[arg(long = "yield", value_name = "FILE")]
    yield_2y: Option<PathBuf>,
    /// The query (default: the indicator columns and the APEX score)
    #[arg(long, value_name = "QUERY")]
    sql: Option<String>,
    /// Output file, .parquet or .csv (default: CSV on stdout)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Partitions to run in parallel (default: the number of cores)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    partitions: Option<u16>,
}

#[cfg(not(feature = "sql"))]
pub fn run(_args: &ScanArgs) -> Result<ExitCode, Failure> {
    Err(Failure::usage(
        "`apex-ta scan` needs the `sql` feature (Apache DataFusion), which this build \
         does not have; install with `cargo install --path cli --features sql`, or run \
         `cargo run --release -p apex-ta-cli --features sql -- scan ...`",
    ))
}

#[cfg(feature = "sql")]
pub fn run(args: &ScanArgs) -> Result<ExitCode, Failure> {
    sql::run(args)
}

#[cfg(feature = "sql")]
mod sql {
    use std::collections::{BTreeMap, BTreeSet};
    use std::fs::File;
    use std::io::{self, BufReader, BufWriter, Write};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::sync::Arc;

    use apex_ta_datafusion::register_all;
    use datafusion::arrow::array::{
        Array, ArrayRef, AsArray, Float64Array, Int64Array, RecordBatch, StringArray,
    };
    use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema, SchemaRef};
    use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
    use datafusion::datasource::MemTable;
    use datafusion::error::DataFusionError;
    use datafusion::parquet::arrow::ArrowWriter;
    use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
    use futures_util::StreamExt;

    use super::ScanArgs;
    use crate::market::{for_each_dated_bar, open, stem, MAX_CARRY};
    use crate::{csvio, finish, progress, report, Failure};

    /// The default query's indicator columns (`apex-ta indicators`' default
    /// contract, in its order).
    const INDICATORS: [(&str, &str); 14] = [
        ("rsi_14", "rsi(close, 14)"),
        ("macd", "macd(close, 12, 26, 9)"),
        ("macd_signal", "macd_signal(close, 12, 26, 9)"),
        ("macd_hist", "macd_hist(close, 12, 26, 9)"),
        ("atr_14", "atr(high, low, close, 14)"),
        ("natr_14", "natr(high, low, close, 14)"),
        ("trange", "trange(high, low, close)"),
        ("ema_20", "ema(close, 20)"),
        ("sma_20", "sma(close, 20)"),
        ("stddev_20", "ta_stddev(close, 20)"),
        ("max_20", "rolling_max(close, 20)"),
        ("min_20", "rolling_min(close, 20)"),
        ("volume_z_20", "volume_z(volume, 20)"),
        ("volume_ratio_20", "volume_ratio(volume, 20)"),
    ];

    /// The default query; with the APEX columns when the benchmarks are
    /// there (`dgs2` when the yield is).
    fn default_query(apex: bool, with_yield: bool) -> String {
        let mut cols: Vec<String> = INDICATORS
            .iter()
            .map(|(name, call)| format!("{call} OVER w AS {name}"))
            .collect();
        if apex {
            let args = if with_yield {
                "open, high, low, close, volume, spy, qqq, dgs2"
            } else {
                "open, high, low, close, volume, spy, qqq"
            };
            cols.push(format!("apex_score({args}) OVER w AS apex_score"));
            cols.push(format!("apex_label({args}) OVER w AS apex_label"));
        }
        format!(
            "SELECT symbol, ts, close, {} FROM bars \
             WINDOW w AS (PARTITION BY symbol ORDER BY ts) ORDER BY symbol, ts",
            cols.join(", ")
        )
    }

    /// Whether `path` names a Parquet file by its extension.
    fn is_parquet(path: &Path) -> bool {
        path.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("parquet"))
    }

    fn query_failed(e: &DataFusionError) -> Failure {
        Failure::input(format!("the query failed: {e}"))
    }

    /// The files of a directory with extension `ext`, sorted.
    fn files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, Failure> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Failure::input(format!("cannot read the directory {}: {e}", dir.display()))
        })?;
        let mut out: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case(ext)))
            .collect();
        out.sort();
        Ok(out)
    }

    fn bars_schema() -> SchemaRef {
        let f = |n: &str| Field::new(n, DataType::Float64, false);
        Arc::new(Schema::new(vec![
            Field::new("symbol", DataType::Utf8, false),
            Field::new("ts", DataType::Int64, false),
            f("open"),
            f("high"),
            f("low"),
            f("close"),
            f("volume"),
        ]))
    }

    /// One CSV file's accepted rows as a batch; bad rows reported, counted.
    fn read_csv(path: &Path, rejected: &mut usize) -> Result<RecordBatch, Failure> {
        let name = path.display().to_string();
        let (mut ts, mut cols) = (Vec::new(), [(); 5].map(|()| Vec::new()));
        for_each_dated_bar(path, rejected, |t, b| {
            ts.push(t);
            for (col, v) in cols
                .iter_mut()
                .zip([b.open, b.high, b.low, b.close, b.volume])
            {
                col.push(v);
            }
            Ok(())
        })?;
        let symbol = stem(path);
        let n = ts.len();
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![symbol; n])),
            Arc::new(Int64Array::from(ts)),
        ];
        arrays.extend(cols.map(|c| Arc::new(Float64Array::from(c)) as ArrayRef));
        RecordBatch::try_new(bars_schema(), arrays)
            .map_err(|e| Failure::input(format!("{name}: {e}")))
    }

    /// A benchmark's values by day (epoch seconds at midnight), bad rows
    /// reported and counted.
    fn read_benchmark(
        path: &Path,
        series: bool,
        rejected: &mut usize,
    ) -> Result<BTreeMap<i64, f64>, Failure> {
        let name = path.display().to_string();
        let mut out = BTreeMap::new();
        let mut reject = |line: u64, reason: &str| {
            report(&format!("{name}: line {line}: {reason}"));
            *rejected += 1;
        };
        let rows: Vec<csvio::SeriesRow> = if series {
            csvio::read_series(BufReader::new(open(path)?))
                .map_err(|e| Failure::input(format!("{name}: {e}")))?
                .collect()
        } else {
            csvio::read_ohlcv(BufReader::new(open(path)?))
                .map_err(|e| Failure::input(format!("{name}: {e}")))?
                .map(|r| r.map(|row| (row.line, row.timestamp, Some(row.bar.close))))
                .collect()
        };
        for row in rows {
            match row {
                Ok((line, text, value)) => match csvio::parse_timestamp(&text) {
                    Some(t) => {
                        if let Some(v) = value {
                            out.insert(t.div_euclid(86_400) * 86_400, v);
                        }
                    }
                    None => reject(line, &format!("unparsable timestamp {text:?}")),
                },
                Err(e) if e.is_read_error() => return Err(Failure::input(format!("{name}: {e}"))),
                Err(e) => reject(e.line, &e.reason),
            }
        }
        Ok(out)
    }

    /// `series` on each of `days`, a missing day carrying the last value
    /// for up to [`MAX_CARRY`] days.
    fn carried(series: &BTreeMap<i64, f64>, days: &[i64]) -> Vec<Option<f64>> {
        let mut last: Option<(f64, usize)> = None;
        days.iter()
            .map(|d| {
                if let Some(&v) = series.get(d) {
                    last = Some((v, 0));
                    Some(v)
                } else if let Some((v, carried)) = last.as_mut() {
                    *carried += 1;
                    (*carried <= MAX_CARRY).then_some(*v)
                } else {
                    None
                }
            })
            .collect()
    }

    /// Registers `raw` (the input) and `bars` (with the benchmarks joined
    /// by day when given).
    async fn register_input(
        ctx: &SessionContext,
        args: &ScanArgs,
        rejected: &mut usize,
    ) -> Result<(), Failure> {
        let input = &args.input;
        let path = input.display().to_string();
        if input.is_file() || (input.is_dir() && !files(input, "parquet")?.is_empty()) {
            if input.is_file() && !is_parquet(input) {
                return Err(Failure::usage(format!(
                    "{path}: not a .parquet file; give a Parquet file or a directory of Parquet or CSV files"
                )));
            }
            ctx.register_parquet("raw", &path, ParquetReadOptions::default())
                .await
                .map_err(|e| Failure::input(format!("{path}: {e}")))?;
        } else if input.is_dir() {
            let csvs = files(input, "csv")?;
            if csvs.is_empty() {
                return Err(Failure::input(format!(
                    "{path}: no .parquet or .csv files in this directory"
                )));
            }
            let bar = progress::bar(csvs.len() as u64, "reading");
            let mut batches = Vec::with_capacity(csvs.len());
            for file in &csvs {
                batches.push(read_csv(file, rejected)?);
                bar.inc(1);
            }
            bar.finish_and_clear();
            // Files spread over the partitions, so the scan is parallel.
            let parts = ctx.copied_config().target_partitions().max(1);
            let mut partitions = vec![Vec::new(); parts.min(batches.len()).max(1)];
            let n = partitions.len();
            for (i, b) in batches.into_iter().enumerate() {
                if let Some(p) = partitions.get_mut(i % n) {
                    p.push(b);
                }
            }
            let table = MemTable::try_new(bars_schema(), partitions)
                .map_err(|e| Failure::input(format!("{path}: {e}")))?;
            ctx.register_table("raw", Arc::new(table))
                .map_err(|e| query_failed(&e))?;
        } else {
            return Err(Failure::input(format!(
                "cannot read {path}: no such file or directory"
            )));
        }

        join_benchmarks(ctx, args, &path, rejected).await
    }

    /// Registers `bars`: `raw`, with the benchmarks joined by day when
    /// given.
    async fn join_benchmarks(
        ctx: &SessionContext,
        args: &ScanArgs,
        path: &str,
        rejected: &mut usize,
    ) -> Result<(), Failure> {
        let benchmarks = [
            ("spy", args.spy.as_deref(), false),
            ("qqq", args.qqq.as_deref(), false),
            ("dgs2", args.yield_2y.as_deref(), true),
        ];
        if benchmarks.iter().all(|(_, p, _)| p.is_none()) {
            let view = ctx
                .sql("SELECT * FROM raw")
                .await
                .map_err(|e| query_failed(&e))?;
            ctx.register_table("bars", view.into_view())
                .map_err(|e| query_failed(&e))?;
            return Ok(());
        }
        // Every day with a bar, then each benchmark on those days.
        let days: BTreeSet<i64> = {
            let df = ctx
                .sql("SELECT DISTINCT ts - ((ts % 86400) + 86400) % 86400 AS day FROM raw")
                .await
                .map_err(|e| query_failed(&e))?;
            let batches = df.collect().await.map_err(|e| query_failed(&e))?;
            let mut days = BTreeSet::new();
            for b in &batches {
                let Some(col) = b
                    .column(0)
                    .as_primitive_opt::<datafusion::arrow::datatypes::Int64Type>()
                else {
                    return Err(Failure::input(format!(
                        "{path}: column ts must be an integer (epoch seconds) to join benchmarks by date"
                    )));
                };
                days.extend(col.iter().flatten());
            }
            days
        };
        let days: Vec<i64> = days.into_iter().collect();
        let mut fields = vec![Field::new("day", DataType::Int64, false)];
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(days.clone()))];
        let mut select = Vec::new();
        for (name, file, series) in benchmarks {
            if let Some(file) = file {
                let values = read_benchmark(file, series, rejected)?;
                fields.push(Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(carried(&values, &days))));
                select.push(format!("b.{name}"));
            }
        }
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(Arc::clone(&schema), arrays)
            .map_err(|e| Failure::input(e.to_string()))?;
        let table = MemTable::try_new(schema, vec![vec![batch]])
            .map_err(|e| Failure::input(e.to_string()))?;
        ctx.register_table("benchmarks", Arc::new(table))
            .map_err(|e| query_failed(&e))?;
        let view = ctx
            .sql(&format!(
                "SELECT r.symbol, r.ts, r.open, r.high, r.low, r.close, r.volume, {} \
                 FROM raw r LEFT JOIN benchmarks b \
                 ON b.day = r.ts - ((r.ts % 86400) + 86400) % 86400",
                select.join(", ")
            ))
            .await
            .map_err(|e| query_failed(&e))?;
        ctx.register_table("bars", view.into_view())
            .map_err(|e| query_failed(&e))?;
        Ok(())
    }

    /// Writes batches as CSV: NULL empty, floats in shortest round-trip
    /// form, text quoted as needed.
    struct CsvOut<W: Write> {
        out: csv::Writer<W>,
        header: bool,
    }

    impl<W: Write> CsvOut<W> {
        fn write(&mut self, batch: &RecordBatch) -> Result<(), Failure> {
            let io = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(e) => Failure::write(&e),
                other => Failure::input(format!("cannot write the output: {other:?}")),
            };
            if !self.header {
                let schema = batch.schema();
                self.out
                    .write_record(schema.fields().iter().map(|f| f.name().as_str()))
                    .map_err(io)?;
                self.header = true;
            }
            let options = FormatOptions::default().with_null("");
            let formatters: Vec<Column<'_>> = batch
                .columns()
                .iter()
                .map(|c| match c.data_type() {
                    DataType::Float64 => Ok(Column::F64(c.as_primitive::<Float64Type>())),
                    _ => ArrayFormatter::try_new(c.as_ref(), &options).map(Column::Other),
                })
                .collect::<Result<_, _>>()
                .map_err(|e| Failure::input(format!("cannot format the output: {e}")))?;
            let mut record = Vec::with_capacity(formatters.len());
            for row in 0..batch.num_rows() {
                record.clear();
                for f in &formatters {
                    record.push(match f {
                        Column::F64(a) if a.is_valid(row) => a.value(row).to_string(),
                        Column::F64(_) => String::new(),
                        Column::Other(a) => a.value(row).to_string(),
                    });
                }
                self.out.write_record(&record).map_err(io)?;
            }
            Ok(())
        }
    }

    enum Column<'a> {
        F64(&'a datafusion::arrow::array::Float64Array),
        Other(ArrayFormatter<'a>),
    }

    /// Where the result goes.
    enum Sink {
        Csv(CsvOut<Box<dyn Write>>),
        Parquet(Option<ArrowWriter<File>>, PathBuf),
    }

    impl Sink {
        fn open(out: Option<&Path>) -> Result<Sink, Failure> {
            match out {
                None => Ok(Sink::Csv(CsvOut {
                    out: csv::Writer::from_writer(Box::new(BufWriter::new(io::stdout()))),
                    header: false,
                })),
                Some(path) if is_parquet(path) => Ok(Sink::Parquet(None, path.to_path_buf())),
                Some(path)
                    if path
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("csv")) =>
                {
                    let file = File::create(path).map_err(|e| {
                        Failure::input(format!("cannot create {}: {e}", path.display()))
                    })?;
                    Ok(Sink::Csv(CsvOut {
                        out: csv::Writer::from_writer(Box::new(BufWriter::new(file))),
                        header: false,
                    }))
                }
                Some(path) => Err(Failure::usage(format!(
                    "--out {}: the name must end in .parquet or .csv",
                    path.display()
                ))),
            }
        }

        fn write(&mut self, batch: &RecordBatch) -> Result<(), Failure> {
            match self {
                Sink::Csv(csv) => csv.write(batch),
                Sink::Parquet(writer, path) => {
                    let failed = |e: &dyn std::fmt::Display| {
                        Failure::input(format!("cannot write {}: {e}", path.display()))
                    };
                    if writer.is_none() {
                        let file = File::create(&*path).map_err(|e| failed(&e))?;
                        *writer = Some(
                            ArrowWriter::try_new(file, batch.schema(), None)
                                .map_err(|e| failed(&e))?,
                        );
                    }
                    match writer {
                        Some(w) => w.write(batch).map_err(|e| failed(&e)),
                        None => Ok(()),
                    }
                }
            }
        }

        fn finish(self, schema: SchemaRef) -> Result<(), Failure> {
            match self {
                Sink::Csv(mut csv) => {
                    if !csv.header {
                        // No rows: still the header.
                        csv.write(&RecordBatch::new_empty(schema))?;
                    }
                    csv.out.flush().map_err(|e| Failure::write(&e))
                }
                Sink::Parquet(writer, path) => {
                    let failed = |e: &dyn std::fmt::Display| {
                        Failure::input(format!("cannot write {}: {e}", path.display()))
                    };
                    let writer = if let Some(w) = writer {
                        w
                    } else {
                        let file = File::create(&path).map_err(|e| failed(&e))?;
                        ArrowWriter::try_new(file, schema, None).map_err(|e| failed(&e))?
                    };
                    writer.close().map(|_| ()).map_err(|e| failed(&e))
                }
            }
        }
    }

    pub fn run(args: &ScanArgs) -> Result<ExitCode, Failure> {
        if args.spy.is_some() != args.qqq.is_some() {
            return Err(Failure::usage(
                "--spy and --qqq go together (the APEX score needs both benchmarks)",
            ));
        }
        let sink = Sink::open(args.out.as_deref())?;
        let partitions = args.partitions.map_or_else(
            || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            usize::from,
        );
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(partitions)
            .enable_all()
            .build()
            .map_err(|e| Failure::input(format!("cannot start the runtime: {e}")))?;
        runtime.block_on(async move {
            let ctx = SessionContext::new_with_config(
                SessionConfig::new().with_target_partitions(partitions),
            );
            register_all(&ctx);
            let mut rejected = 0;
            register_input(&ctx, args, &mut rejected).await?;
            let query = args
                .sql
                .clone()
                .unwrap_or_else(|| default_query(args.spy.is_some(), args.yield_2y.is_some()));
            let df = ctx.sql(&query).await.map_err(|e| query_failed(&e))?;
            let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
            let mut stream = df.execute_stream().await.map_err(|e| query_failed(&e))?;
            let spinner = progress::spinner("scanning");
            let mut sink = sink;
            let mut rows = 0u64;
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(|e| query_failed(&e))?;
                sink.write(&batch)?;
                rows += batch.num_rows() as u64;
                spinner.set_position(rows);
            }
            spinner.finish_and_clear();
            sink.finish(schema)?;
            Ok(finish(rejected))
        })
    }
}
