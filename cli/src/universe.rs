//! A directory of OHLCV files scored as one universe with `ApexUniverse`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;
use std::path::{Path, PathBuf};

use apex_ta::score::{ApexUniverse, MarketBar};
use apex_ta::{ApexConfig, Bar};

use crate::csvio;
use crate::market::{for_each_dated_bar, open, stem, MAX_CARRY};
use crate::{progress, report, Failure};

/// Every symbol's score and close on the shared dates, date-major
/// (`[date * symbols + symbol]`, `NaN` = none).
#[derive(Debug)]
pub struct Panel {
    /// Symbols, from the file names, sorted.
    pub symbols: Vec<String>,
    /// Dates (epoch seconds), increasing.
    pub dates: Vec<i64>,
    /// Scores, `NaN` while warming up or without a bar.
    pub scores: Vec<f64>,
    /// Closes, `NaN` without a bar.
    pub closes: Vec<f64>,
    /// Rows rejected in all files.
    pub rejected: usize,
}

/// Rows of one file by date; bad and out-of-order rows reported and counted.
fn read_bars(path: &Path, rejected: &mut usize) -> Result<BTreeMap<i64, Bar>, Failure> {
    let mut out = BTreeMap::new();
    for_each_dated_bar(path, rejected, |ts, bar| {
        if bar.close <= 0.0 {
            return Err(format!("input `close` must be > 0, got {}", bar.close));
        }
        out.insert(ts, bar);
        Ok(())
    })?;
    Ok(out)
}

/// The yield by date; `.` rows are missing values, not errors.
fn read_yield(path: &Path, rejected: &mut usize) -> Result<BTreeMap<i64, f64>, Failure> {
    let name = path.display().to_string();
    let rows = csvio::read_series(BufReader::new(open(path)?))
        .map_err(|e| Failure::input(format!("{name}: {e}")))?;
    let mut out = BTreeMap::new();
    for row in rows {
        match row {
            Ok((line, text, value)) => {
                if let Some(ts) = csvio::parse_timestamp(&text) {
                    if let Some(v) = value {
                        out.insert(ts, v);
                    }
                } else {
                    report(&format!(
                        "{name}: line {line}: unparsable timestamp {text:?}"
                    ));
                    *rejected += 1;
                }
            }
            Err(e) if e.is_read_error() => return Err(Failure::input(format!("{name}: {e}"))),
            Err(e) => {
                report(&format!("{name}: {e}"));
                *rejected += 1;
            }
        }
    }
    Ok(out)
}

/// The `*.csv` files of a directory, sorted by name.
fn csv_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::input(format!("cannot read the directory {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads every `*.csv` of `dir` (the file stem is the symbol; `exclude`d
/// paths such as the benchmarks' own files are skipped) and scores them
/// together on the union of their dates that SPY and QQQ also have.
///
/// A symbol without a bar on a date gets no score that date and its state
/// waits (the universe rejects a bar of NaNs and leaves the state as it
/// was). The yield is carried for up to [`MAX_CARRY`] dates, as the aligner
/// does.
pub fn load(dir: &Path, spy: &Path, qqq: &Path, yield_2y: Option<&Path>) -> Result<Panel, Failure> {
    let mut rejected = 0;
    let spy_bars = read_bars(spy, &mut rejected)?;
    let qqq_bars = read_bars(qqq, &mut rejected)?;
    let yields = match yield_2y {
        Some(p) => Some(read_yield(p, &mut rejected)?),
        None => None,
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let files: Vec<PathBuf> = csv_files(dir)?
        .into_iter()
        .filter(|f| !same(f, spy) && !same(f, qqq) && !yield_2y.is_some_and(|y| same(f, y)))
        .collect();
    if files.is_empty() {
        return Err(Failure::input(format!(
            "{}: no *.csv files (one OHLCV file per symbol)",
            dir.display()
        )));
    }
    let bar = progress::bar(files.len() as u64, "reading");
    let mut symbols = Vec::with_capacity(files.len());
    let mut series = Vec::with_capacity(files.len());
    for f in &files {
        series.push(read_bars(f, &mut rejected)?);
        symbols.push(stem(f));
        bar.inc(1);
    }
    bar.finish_and_clear();

    let all: BTreeSet<i64> = series.iter().flat_map(|s| s.keys().copied()).collect();
    let dates: Vec<i64> = all
        .into_iter()
        .filter(|d| spy_bars.contains_key(d) && qqq_bars.contains_key(d))
        .collect();
    let n = symbols.len();
    let config = ApexConfig::default();
    let mut universe =
        ApexUniverse::<f64>::new(n, config).map_err(|e| Failure::usage(e.to_string()))?;
    let mut scores = vec![f64::NAN; dates.len() * n];
    let mut closes = vec![f64::NAN; dates.len() * n];
    let mut row = vec![MarketBar::new(0, Bar::new(0.0, 0.0, 0.0, 0.0, 0.0), 1.0, 1.0, None); n];
    let missing = Bar::new(f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    let (mut last_yield, mut carried) = (None, 0usize);
    let bar = progress::bar(dates.len() as u64, "scoring");
    for (d, &ts) in dates.iter().enumerate() {
        let (Some(spy), Some(qqq)) = (spy_bars.get(&ts), qqq_bars.get(&ts)) else {
            continue;
        };
        let y = match yields.as_ref().map(|y| y.get(&ts).copied()) {
            Some(Some(v)) => {
                (last_yield, carried) = (Some(v), 0);
                Some(v)
            }
            Some(None) if carried < MAX_CARRY && last_yield.is_some() => {
                carried += 1;
                last_yield
            }
            _ => None,
        };
        for ((slot, s), close) in row
            .iter_mut()
            .zip(&series)
            .zip(closes.iter_mut().skip(d * n))
        {
            let target = s.get(&ts).copied();
            *slot = MarketBar::new(ts, target.unwrap_or(missing), spy.close, qqq.close, y);
            *close = target.map_or(f64::NAN, |b| b.close);
        }
        let out = scores.get_mut(d * n..(d + 1) * n).unwrap_or_default();
        universe
            .update(&row, out)
            .map_err(|e| Failure::usage(e.to_string()))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(Panel {
        symbols,
        dates,
        scores,
        closes,
        rejected,
    })
}
