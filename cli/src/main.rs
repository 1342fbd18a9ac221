//! `apex-ta`: score, evaluate and chart the APEX small-cap rotation score,
//! and compute TA-Lib-parity indicators over CSV files.
//!
//! A thin program over the `apex-ta` library: argument parsing (clap), CSV
//! in and out (csv), JSON (serde_json), SVG charts (plotters) and progress
//! bars (indicatif) live here, the mathematics in the library.
//!
//! Exit status, for every subcommand: 0 ok; 1 a usage error, an unreadable
//! file or a header without the required columns; 2 some input rows were
//! rejected (each reported on stderr as `FILE: line N: reason`, the rest
//! processed).

// A binary: its functions' errors are exit statuses, documented once above.
#![allow(clippy::missing_errors_doc)]

mod chart;
mod csvio;
mod evaluate;
mod indicators;
mod market;
mod progress;
mod scan;
mod score;
mod universe;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  apex-ta score                                   # the built-in sample market
  apex-ta score --target IWM.csv --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv --last 30
  apex-ta indicators SPY.csv --select rsi:14,macd:12:26:9,atr:14 > spy.csv
  apex-ta evaluate --target IWM.csv --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv --split 2017-01-01
  apex-ta chart --target IWM.csv --spy SPY.csv --qqq QQQ.csv --from 2024-01-01 --out apex.svg
  apex-ta scan etfs/ --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv --out scores.parquet

Exit status: 0 ok, 1 usage error or unreadable input, 2 some rows rejected
(each reported on stderr as `FILE: line N: reason`).";

/// Streaming technical analysis at TA-Lib parity, and the APEX small-cap
/// rotation score, from the command line.
#[derive(Debug, Parser)]
#[command(name = "apex-ta", version, after_help = EXAMPLES, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Score(score::ScoreArgs),
    Indicators(indicators::IndicatorsArgs),
    Evaluate(evaluate::EvaluateArgs),
    Chart(chart::ChartArgs),
    Scan(scan::ScanArgs),
}

/// Why a run ended early, and with which exit status.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: Option<String>,
}

impl Failure {
    /// A usage error (exit status 1).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: Some(message.into()),
        }
    }

    /// Unreadable input or output (exit status 1).
    pub fn input(message: impl Into<String>) -> Self {
        Failure::usage(message)
    }

    /// Exit with `code`, the reason already reported.
    pub fn silent(code: u8) -> Self {
        Failure {
            code,
            message: None,
        }
    }

    /// A failed write: quiet success when the reader went away (`| head`).
    pub fn write(e: &io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::silent(0)
        } else {
            Failure::input(format!("cannot write the output: {e}"))
        }
    }
}

/// Writes a diagnostic to stderr, ignoring failure (a closed stderr must not
/// become a panic, as `eprintln!` would).
pub fn report(msg: &str) {
    let _ = writeln!(io::stderr().lock(), "{msg}");
}

/// The exit status after a run that rejected `rejected` rows, with a summary
/// on stderr.
pub fn finish(rejected: usize) -> ExitCode {
    if rejected > 0 {
        report(&format!(
            "apex-ta: {rejected} row{} rejected",
            if rejected == 1 { "" } else { "s" }
        ));
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM` off midnight) of epoch seconds.
pub fn format_date(ts: i64) -> String {
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = csvio::civil_from_days(ts.div_euclid(86_400));
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60
        )
    }
}

/// Parses a `--from`/`--to`/`--split` date for clap.
pub fn parse_date(text: &str) -> Result<i64, String> {
    csvio::parse_timestamp(text)
        .ok_or_else(|| format!("expected a date such as 2017-01-01, got {text:?}"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; a usage error to
            // stderr with status 1 (clap's own default would be 2, which
            // here means "rows rejected").
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Indicators(args) => indicators::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Chart(args) => chart::run(&args),
        Command::Scan(args) => scan::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(Failure { code, message }) => {
            if let Some(m) = message {
                report(&format!("apex-ta: {m}"));
            }
            ExitCode::from(code)
        }
    }
}
