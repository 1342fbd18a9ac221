//! The market the APEX score reads: target, SPY, QQQ and the 2-year yield,
//! from CSV files merged by date, or the library's built-in sample.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use apex_ta::score::{AlignStats, Aligner, MarketBar, Tick};
use apex_ta::{Bar, Error};
use clap::Args;

use crate::csvio::{self, RowError};
use crate::{format_date, report, Failure};

/// The market's input files (all or none of target, SPY and QQQ).
#[derive(Debug, Clone, Args)]
pub struct MarketArgs {
    /// OHLCV CSV of the scored instrument (IWM), e.g. a Yahoo Finance download
    #[arg(long, value_name = "FILE")]
    pub target: Option<PathBuf>,
    /// OHLCV CSV of SPY (only its close is used)
    #[arg(long, value_name = "FILE")]
    pub spy: Option<PathBuf>,
    /// OHLCV CSV of QQQ (only its close is used)
    #[arg(long, value_name = "FILE")]
    pub qqq: Option<PathBuf>,
    /// `date,<percent>` CSV of the 2-year Treasury yield (FRED DGS2; `.` = missing)
    #[arg(long = "yield", value_name = "FILE")]
    pub yield_2y: Option<PathBuf>,
}

/// Bars carried by the aligner when the yield lacks a date (bond-market
/// holidays are one-day gaps).
pub const MAX_CARRY: usize = 3;

/// Aligned bars with where they came from.
#[derive(Debug)]
pub struct Market {
    /// What the bars are, for titles.
    pub title: String,
    /// The target's name (file stem, or "sample").
    pub name: String,
    /// One bar per target date with SPY and QQQ.
    pub bars: Vec<MarketBar>,
    /// The aligner after the last row (its counts, and its state for a
    /// checkpoint).
    pub aligner: Aligner,
    /// Rows rejected in the files (each reported as `FILE: line N: reason`).
    pub rejected: usize,
    /// The latest date of any row taken, this run or (through `after`) an
    /// earlier one: the next run skips rows up to it.
    pub last: Option<i64>,
}

impl Market {
    /// The aligner's counts.
    pub fn stats(&self) -> AlignStats {
        self.aligner.stats()
    }
}

impl MarketArgs {
    /// The target's name: its file stem, or "sample".
    pub fn target_name(&self) -> String {
        self.target
            .as_deref()
            .map_or_else(|| "sample".to_string(), stem)
    }

    /// Reads the files, or the built-in sample when there are none.
    pub fn load(&self) -> Result<Market, Failure> {
        let aligner = Aligner::<f64>::new(MAX_CARRY).map_err(|e| Failure::usage(e.to_string()))?;
        self.load_after(aligner, None)
    }

    /// Reads the files (or the sample) into `aligner`, skipping every row
    /// dated at or before `after` (already aligned by an earlier run whose
    /// state `aligner` is).
    pub fn load_after(&self, mut aligner: Aligner, after: Option<i64>) -> Result<Market, Failure> {
        match (&self.target, &self.spy, &self.qqq) {
            (Some(t), Some(s), Some(q)) => {
                let (bars, rejected, last) =
                    read_market(t, s, q, self.yield_2y.as_deref(), &mut aligner, after)?;
                Ok(Market {
                    title: format!("{} vs {}, {}", file_name(t), file_name(s), file_name(q)),
                    name: stem(t),
                    bars,
                    aligner,
                    rejected,
                    last: last.max(after),
                })
            }
            (None, None, None) if self.yield_2y.is_none() => {
                let mut bars = Vec::new();
                let mut last = after;
                for (ts, tick) in apex_ta::sample::ticks() {
                    if after.is_some_and(|a| ts <= a) {
                        continue;
                    }
                    // The generator's ticks are valid and in order.
                    if let Ok(bar) = aligner.push(ts, tick) {
                        bars.extend(bar);
                        last = last.max(Some(ts));
                    }
                }
                bars.extend(aligner.flush());
                Ok(Market {
                    title: "built-in sample market (IWM-, SPY-, QQQ-like + 2-year yield)"
                        .to_string(),
                    name: "sample".to_string(),
                    bars,
                    aligner,
                    rejected: 0,
                    last,
                })
            }
            _ => Err(Failure::usage(
                "`--target`, `--spy` and `--qqq` go together (and `--yield` needs them)",
            )),
        }
    }
}

/// A file's name without its directory (for titles).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// A file's name without directory and extension.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

type Rows = Box<dyn Iterator<Item = Result<(u64, String, Option<Tick>), RowError>>>;

/// One input file as a stream of accepted ticks in file order; bad rows are
/// reported and skipped.
struct Stream {
    name: String,
    rows: Rows,
    next: Option<(i64, u64, Option<Tick>)>,
    rejected: usize,
    failed: bool,
}

/// Opens a file or fails with exit status 1.
pub fn open(path: &Path) -> Result<File, Failure> {
    File::open(path).map_err(|e| Failure::input(format!("cannot open {}: {e}", path.display())))
}

impl Stream {
    fn ohlcv(path: &Path, kind: fn(Bar) -> Tick) -> Result<Stream, Failure> {
        let rows = csvio::read_ohlcv(BufReader::new(open(path)?))
            .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
        Ok(Stream::new(
            path,
            Box::new(rows.map(move |r| {
                r.and_then(|row| {
                    // Prices are divisors (ratios, returns): a close of 0 or
                    // below is a bad row here, not a bad bar later.
                    if row.bar.close > 0.0 {
                        Ok((row.line, row.timestamp, Some(kind(row.bar))))
                    } else {
                        let e = Error::NonPositive {
                            field: "close",
                            value: row.bar.close,
                        };
                        Err(RowError::new(row.line, e.to_string()))
                    }
                })
            })),
        ))
    }

    fn series(path: &Path) -> Result<Stream, Failure> {
        let rows = csvio::read_series(BufReader::new(open(path)?))
            .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
        Ok(Stream::new(
            path,
            Box::new(rows.map(|r| r.map(|(line, ts, v)| (line, ts, v.map(Tick::Yield))))),
        ))
    }

    fn new(path: &Path, rows: Rows) -> Stream {
        let mut s = Stream {
            name: path.display().to_string(),
            rows,
            next: None,
            rejected: 0,
            failed: false,
        };
        s.advance();
        s
    }

    fn reject(&mut self, line: u64, reason: &str) {
        report(&format!("{}: line {line}: {reason}", self.name));
        self.rejected += 1;
    }

    /// Moves to the next row with a usable timestamp.
    fn advance(&mut self) {
        self.next = None;
        while let Some(row) = self.rows.next() {
            match row {
                Ok((line, text, tick)) => match csvio::parse_timestamp(&text) {
                    Some(ts) => {
                        self.next = Some((ts, line, tick));
                        return;
                    }
                    None => self.reject(line, &format!("unparsable timestamp {text:?}")),
                },
                Err(e) if e.is_read_error() => {
                    report(&format!("apex-ta: {}: {e}", self.name));
                    self.failed = true;
                    return;
                }
                Err(e) => self.reject(e.line, &e.reason),
            }
        }
    }
}

/// Every row of one OHLCV file with its timestamp, in date order, through
/// `accept`: a row that does not parse, has no parsable timestamp, is not
/// dated after the previous accepted row, or that `accept` refuses (its
/// reason) is reported as `FILE: line N: reason` and counted in `rejected`.
/// An unreadable file is an error.
pub fn for_each_dated_bar(
    path: &Path,
    rejected: &mut usize,
    mut accept: impl FnMut(i64, Bar) -> Result<(), String>,
) -> Result<(), Failure> {
    let name = path.display().to_string();
    let rows = csvio::read_ohlcv(BufReader::new(open(path)?))
        .map_err(|e| Failure::input(format!("{name}: {e}")))?;
    let mut reject = |line: u64, reason: &str| {
        report(&format!("{name}: line {line}: {reason}"));
        *rejected += 1;
    };
    let mut last = None;
    for row in rows {
        let row = match row {
            Ok(row) => row,
            Err(e) if e.is_read_error() => return Err(Failure::input(format!("{name}: {e}"))),
            Err(e) => {
                reject(e.line, &e.reason);
                continue;
            }
        };
        match csvio::parse_timestamp(&row.timestamp) {
            None => reject(
                row.line,
                &format!("unparsable timestamp {:?}", row.timestamp),
            ),
            Some(ts) if last.is_some_and(|l| ts <= l) => reject(
                row.line,
                &format!(
                    "date {} is not after the previous one: out of order or duplicate",
                    format_date(ts)
                ),
            ),
            Some(ts) => match accept(ts, row.bar) {
                Ok(()) => last = Some(ts),
                Err(reason) => reject(row.line, &reason),
            },
        }
    }
    Ok(())
}

/// Reads and aligns the files: `(bars, rejected rows, latest date taken)`.
fn read_market(
    target: &Path,
    spy: &Path,
    qqq: &Path,
    yield_2y: Option<&Path>,
    aligner: &mut Aligner,
    after: Option<i64>,
) -> Result<(Vec<MarketBar>, usize, Option<i64>), Failure> {
    let mut streams = vec![
        Stream::ohlcv(target, Tick::Target)?,
        Stream::ohlcv(spy, |b| Tick::Spy(b.close))?,
        Stream::ohlcv(qqq, |b| Tick::Qqq(b.close))?,
    ];
    // Within one date the yield goes first (any order would do).
    if let Some(y) = yield_2y {
        streams.insert(0, Stream::series(y)?);
    }
    let mut bars = Vec::new();
    let mut taken: Option<i64> = None;
    let mut last_ts: Vec<Option<i64>> = vec![None; streams.len()];
    // Merge by timestamp: always push the earliest pending row.
    while let Some((i, stream)) = streams
        .iter_mut()
        .enumerate()
        .filter(|(_, s)| s.next.is_some())
        .min_by_key(|(_, s)| s.next.map_or(i64::MAX, |(ts, _, _)| ts))
    {
        let Some((ts, line, tick)) = stream.next else {
            break;
        };
        let previous = last_ts.get(i).copied().flatten();
        if after.is_some_and(|a| ts <= a) {
            // Aligned by an earlier run (its state is the aligner's): skip,
            // but keep the file's own order checked.
            if let Some(p) = previous.filter(|&p| ts <= p) {
                stream.reject(line, &out_of_order(ts, p));
            } else if let Some(slot) = last_ts.get_mut(i) {
                *slot = Some(ts);
            }
            stream.advance();
            continue;
        }
        match (tick, previous) {
            // A missing value (FRED's `.`) is skipped, but its date must
            // still be in order.
            (None, Some(p)) if ts <= p => stream.reject(line, &out_of_order(ts, p)),
            (None, _) => {
                if let Some(slot) = last_ts.get_mut(i) {
                    *slot = Some(ts);
                }
                taken = taken.max(Some(ts));
            }
            (Some(tick), _) => match aligner.push(ts, tick) {
                Ok(bar) => {
                    bars.extend(bar);
                    taken = taken.max(Some(ts));
                    if let Some(slot) = last_ts.get_mut(i) {
                        *slot = Some(ts);
                    }
                }
                Err(Error::OutOfOrder {
                    timestamp,
                    previous,
                    ..
                }) => stream.reject(line, &out_of_order(timestamp, previous)),
                Err(e) => stream.reject(line, &e.to_string()),
            },
        }
        stream.advance();
    }
    bars.extend(aligner.flush());
    if streams.iter().any(|s| s.failed) {
        return Err(Failure::silent(1));
    }
    Ok((bars, streams.iter().map(|s| s.rejected).sum(), taken))
}

fn out_of_order(ts: i64, previous: i64) -> String {
    format!(
        "date {} is not after the previous one ({}): out of order or duplicate",
        format_date(ts),
        format_date(previous)
    )
}
