//! Runs apex-ta's core indicators over an OHLCV CSV file and writes one CSV
//! row of indicator values per input bar.
//!
//! The output is a contract other tools rely on (the golden test in
//! `tests/example_indicators.rs` and the TA-Lib cross-check
//! `tests/golden/check_indicators_example.py` read it).
//!
//! # Input
//!
//! CSV with a header naming a timestamp column (`date`, `datetime`, `time` or
//! `timestamp`) and `open`, `high`, `low`, `close`, `volume`, in any order and
//! case; other columns (`adj_close`, Yahoo's `Adj Close`) are ignored. Read
//! from the file named by the argument, or from stdin when there is no
//! argument (or it is `-`). With no argument and stdin a terminal, a built-in
//! deterministic sample (300 business days of a seeded random walk from
//! 2024-01-02) is used instead, so `cargo run --example indicators` shows
//! something.
//!
//! # Output
//!
//! CSV on stdout with exactly these columns:
//!
//! ```text
//! date,close,rsi_14,macd,macd_signal,macd_hist,atr_14,natr_14,trange,ema_20,sma_20,stddev_20,max_20,min_20,volume_z_20,volume_ratio_20
//! ```
//!
//! | column | indicator | first value at bar (0-based) |
//! |---|---|---|
//! | `date` | the input's timestamp text, verbatim | 0 |
//! | `close` | the input's close | 0 |
//! | `rsi_14` | [`Rsi`]`(14)` (TA-Lib `RSI`) | 14 |
//! | `macd`, `macd_signal`, `macd_hist` | [`Macd`]`(12, 26, 9)` (TA-Lib `MACD`) | 33 |
//! | `atr_14`, `natr_14` | [`Atr`]`(14)`, [`Natr`]`(14)` | 14 |
//! | `trange` | [`TrueRange`] | 1 |
//! | `ema_20`, `sma_20`, `stddev_20` | [`Ema`], [`Sma`], [`StdDev`]`(20)` of the close (σ population) | 19 |
//! | `max_20`, `min_20` | [`RollingMax`], [`RollingMin`]`(20)` of the close | 19 |
//! | `volume_z_20`, `volume_ratio_20` | [`VolumeZScore`]`(20)`: z and ratio | 19 |
//!
//! A field is empty during an indicator's warm-up and where the value is
//! undefined (volume z when the window's volumes are all equal, volume ratio
//! when they are all 0, or a non-finite result from extreme inputs). Numbers
//! are printed with Rust's shortest round-trip formatting, so parsing a field
//! gives back exactly the `f64` the indicator produced.
//!
//! # Bad rows and exit status
//!
//! A row that cannot be used (missing fields, unparsable or non-finite
//! number, inconsistent bar such as `high < low`, negative volume) is
//! reported on stderr as `line N: <reason>` (N is the 1-based line in the
//! file, header = line 1), gets no output row and does not affect later rows:
//! the whole bar is validated before any indicator sees it.
//!
//! Exit status: 0 on success, 2 if any row was rejected (after processing the
//! whole input), 1 for a usage error, an unreadable file or a header without
//! the required columns. Closing stdout early (`| head`) ends the program
//! quietly with status 0.
//!
//! # Usage
//!
//! ```text
//! cargo run --example indicators -- SPY.csv > spy_indicators.csv
//! curl -s https://example.com/SPY.csv | cargo run --example indicators
//! cargo run --example indicators | head        # built-in sample
//! ```

#[path = "common/ohlcv.rs"]
mod ohlcv;

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

use apex_ta::{
    Atr, Bar, Ema, Indicator, Macd, Natr, RollingMax, RollingMin, Rsi, Sma, StdDev, TrueRange,
    VolumeZScore,
};

/// The output header: the column contract.
const HEADER: [&str; 16] = [
    "date",
    "close",
    "rsi_14",
    "macd",
    "macd_signal",
    "macd_hist",
    "atr_14",
    "natr_14",
    "trange",
    "ema_20",
    "sma_20",
    "stddev_20",
    "max_20",
    "min_20",
    "volume_z_20",
    "volume_ratio_20",
];

const USAGE: &str = "\
Usage: indicators [FILE | -]
       indicators --help

Reads OHLCV CSV (header: date|datetime|time|timestamp, open, high, low, close,
volume; other columns ignored) from FILE, or from stdin if FILE is absent or
`-`, and writes CSV to stdout with the columns

  date,close,rsi_14,macd,macd_signal,macd_hist,atr_14,natr_14,trange,ema_20,
  sma_20,stddev_20,max_20,min_20,volume_z_20,volume_ratio_20

(empty during warm-up or where undefined). With no FILE and stdin a terminal,
runs on a built-in sample series.

Bad rows are reported on stderr as `line N: <reason>` and skipped.
Exit status: 0 ok, 1 usage/read/header error, 2 some rows were rejected.

Examples:
  cargo run --example indicators -- SPY.csv
  curl -s https://example.com/SPY.csv | cargo run --example indicators
";

/// Every indicator of the output, with the contract's parameters.
struct Indicators {
    rsi: Rsi,
    macd: Macd,
    atr: Atr,
    natr: Natr,
    trange: TrueRange,
    ema: Ema,
    sma: Sma,
    stddev: StdDev,
    max: RollingMax,
    min: RollingMin,
    volume_z: VolumeZScore,
}

/// The 14 indicator fields of one output row (after `date` and `close`).
type Values = [Option<f64>; 14];

impl Indicators {
    fn new() -> apex_ta::Result<Self> {
        Ok(Indicators {
            rsi: Rsi::new(14)?,
            macd: Macd::new(12, 26, 9)?,
            atr: Atr::new(14)?,
            natr: Natr::new(14)?,
            trange: TrueRange::new(),
            ema: Ema::new(20)?,
            sma: Sma::new(20)?,
            stddev: StdDev::new(20)?,
            max: RollingMax::new(20)?,
            min: RollingMin::new(20)?,
            volume_z: VolumeZScore::new(20)?,
        })
    }

    /// Feeds one bar to every indicator.
    ///
    /// The bar must have passed [`Bar::validate`] (the reader checks it):
    /// then no indicator rejects it, and none is left a bar ahead of the
    /// others. (Each indicator also leaves its state unchanged when it does
    /// reject an input, so a rejected bar is as if never fed.)
    fn update(&mut self, bar: Bar) -> apex_ta::Result<Values> {
        let close = bar.close;
        let macd = self.macd.update(close)?;
        let volume = self.volume_z.update(bar.volume)?;
        Ok([
            self.rsi.update(close)?,
            macd.map(|m| m.macd),
            macd.map(|m| m.signal),
            macd.map(|m| m.histogram),
            self.atr.update(bar)?,
            self.natr.update(bar)?,
            self.trange.update(bar)?,
            self.ema.update(close)?,
            self.sma.update(close)?,
            self.stddev.update(close)?,
            self.max.update(close)?,
            self.min.update(close)?,
            volume.and_then(|v| v.z),
            volume.and_then(|v| v.ratio),
        ])
    }
}

/// A number as an output field: shortest round-trip text, empty if absent or
/// non-finite.
fn field(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    }
}

/// Writes a diagnostic to stderr, ignoring failure (a closed stderr must not
/// turn into a panic, as `eprintln!` would).
fn report(msg: &str) {
    let _ = writeln!(io::stderr().lock(), "{msg}");
}

/// Whether a csv write error is the reader of stdout going away.
fn is_broken_pipe(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
}

/// Where the input comes from.
enum Source {
    File(String),
    Stdin,
    Sample,
}

/// Parses the command line; `Err(exit code)` when the program should stop.
fn parse_args() -> Result<Source, ExitCode> {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match args.as_slice() {
        [] if io::stdin().is_terminal() => Ok(Source::Sample),
        [] => Ok(Source::Stdin),
        [a] if a == "--help" || a == "-h" => {
            let _ = io::stdout().lock().write_all(USAGE.as_bytes());
            Err(ExitCode::SUCCESS)
        }
        [a] if a == "-" => Ok(Source::Stdin),
        [a] if a.starts_with('-') => {
            report(&format!("indicators: unknown option `{a}`\n\n{USAGE}"));
            Err(ExitCode::from(1))
        }
        [path] => Ok(Source::File(path.clone())),
        _ => {
            report(&format!("indicators: expected at most one FILE\n\n{USAGE}"));
            Err(ExitCode::from(1))
        }
    }
}

fn main() -> ExitCode {
    let source = match parse_args() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (name, input): (String, Box<dyn Read>) = match source {
        Source::File(path) => match std::fs::File::open(&path) {
            Ok(f) => (path, Box::new(f)),
            Err(e) => {
                report(&format!("indicators: cannot open {path}: {e}"));
                return ExitCode::from(1);
            }
        },
        Source::Stdin => ("<stdin>".to_string(), Box::new(io::stdin().lock())),
        Source::Sample => (
            "<built-in sample>".to_string(),
            Box::new(io::Cursor::new(sample_csv(300))),
        ),
    };
    run(&name, input)
}

/// Reads all rows, writes the output and returns the exit status.
fn run(name: &str, input: Box<dyn Read>) -> ExitCode {
    let rows = match ohlcv::read_ohlcv(input) {
        Ok(rows) => rows,
        Err(e) => {
            report(&format!("indicators: {name}: {e}"));
            return ExitCode::from(1);
        }
    };
    let mut indicators = match Indicators::new() {
        Ok(i) => i,
        Err(e) => {
            report(&format!("indicators: {e}"));
            return ExitCode::from(1);
        }
    };
    let mut out = csv::Writer::from_writer(io::BufWriter::new(io::stdout().lock()));
    let mut rejected = 0usize;
    let write = |out: &mut csv::Writer<_>, record: &[String]| -> Result<(), ExitCode> {
        out.write_record(record).map_err(|e| {
            if is_broken_pipe(&e) {
                ExitCode::SUCCESS
            } else {
                report(&format!("indicators: cannot write the output: {e}"));
                ExitCode::from(1)
            }
        })
    };
    let header: Vec<String> = HEADER.iter().map(|s| (*s).to_string()).collect();
    if let Err(code) = write(&mut out, &header) {
        return code;
    }
    for row in rows {
        let row = match row {
            Ok(row) => row,
            Err(e) if e.is_read_error() => {
                report(&format!("indicators: {name}: {e}"));
                return ExitCode::from(1);
            }
            Err(e) => {
                report(&e.to_string());
                rejected += 1;
                continue;
            }
        };
        let values = match indicators.update(row.bar) {
            Ok(v) => v,
            Err(e) => {
                // Unreachable for a validated bar; reported like a bad row.
                report(&format!("line {}: {e}", row.line));
                rejected += 1;
                continue;
            }
        };
        let mut record = Vec::with_capacity(HEADER.len());
        record.push(row.timestamp);
        record.push(field(Some(row.bar.close)));
        record.extend(values.into_iter().map(field));
        if let Err(code) = write(&mut out, &record) {
            return code;
        }
    }
    if let Err(e) = out.flush() {
        if e.kind() != io::ErrorKind::BrokenPipe {
            report(&format!("indicators: cannot write the output: {e}"));
            return ExitCode::from(1);
        }
        return ExitCode::SUCCESS;
    }
    if rejected > 0 {
        report(&format!(
            "indicators: {name}: {rejected} row{} rejected",
            if rejected == 1 { "" } else { "s" }
        ));
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// xorshift64: a tiny deterministic generator for the sample series.
struct XorShift(u64);

impl XorShift {
    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The built-in sample: `n` business days (weekends skipped, no holidays) of
/// a seeded random walk from 2024-01-02, prices in cents, as CSV text.
fn sample_csv(n: usize) -> Vec<u8> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let cents = |x: f64| (x * 100.0).round() / 100.0;
    let mut text = String::from("date,open,high,low,close,volume\n");
    let mut day = 19_724; // 2024-01-02, a Tuesday
    let mut close = 100.0_f64;
    for _ in 0..n {
        // 1970-01-01 was a Thursday: day % 7 == 2 is Saturday, 3 is Sunday.
        while matches!(day % 7, 2 | 3) {
            day += 1;
        }
        let (y, m, d) = ohlcv::civil_from_days(day);
        let open = close;
        close = cents(open * (1.0 + 0.02 * (rng.unit() - 0.5)));
        let high = cents(open.max(close) * (1.0 + 0.01 * rng.unit()));
        let low = cents(open.min(close) * (1.0 - 0.01 * rng.unit()));
        let volume = (1.0e6 * (0.5 + rng.unit())).round();
        // Writing to a String cannot fail.
        let _ = writeln!(
            text,
            "{y:04}-{m:02}-{d:02},{open},{high},{low},{close},{volume}"
        );
        day += 1;
    }
    text.into_bytes()
}
