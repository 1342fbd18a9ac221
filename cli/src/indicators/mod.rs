//! `apex-ta indicators`: indicator columns over an OHLCV CSV, chosen with
//! `--select` from a registry of every indicator the library has.

use std::fmt::Write as _;
use std::io::{self, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use apex_ta::{Bar, Indicator};
use clap::Args;

use crate::csvio;

mod channels;
mod core;
mod directional;
mod flow;
mod oscillators;
mod overlap;
mod statistics;
use crate::market::open;
use crate::{finish, format_date, progress, report, Failure};

/// The default selection: the output columns
/// `date,close,rsi_14,macd,macd_signal,macd_hist,atr_14,natr_14,trange,ema_20,sma_20,stddev_20,max_20,min_20,volume_z_20,volume_ratio_20`,
/// a contract that tools and the golden tests rely on.
pub const DEFAULT_SELECT: &str =
    "rsi:14,macd:12:26:9,atr:14,natr:14,trange,ema:20,sma:20,stddev:20,max:20,min:20,volume_z:20";

const EXAMPLES: &str = "\
Examples:
  apex-ta indicators SPY.csv > spy_indicators.csv
  cat SPY.csv | apex-ta indicators
  apex-ta indicators SPY.csv --select rsi:14,macd:12:26:9,atr:14,stddev:20
  apex-ta indicators --list

Input: CSV with a header naming a timestamp column (date, datetime, time or
timestamp) and open, high, low, close, volume, in any order and case; other
columns (adj_close, Yahoo's Adj Close) are ignored. Output: CSV with `date`
(the input's text, verbatim), `close`, then the selected columns; a field is
empty during warm-up or where the value is undefined. Numbers are printed with
shortest round-trip formatting: parsing a field gives back the exact f64.

A bad row (a missing or unparsable field, a non-finite number, high < low,
negative volume, a date not after the previous row's) is reported on stderr as
`FILE: line N: reason`, gets no output row and changes no later row.";

/// Compute indicators over an OHLCV CSV file (TA-Lib parity), one output row
/// per input bar.
///
/// Reads FILE, or stdin when FILE is absent or `-`. With no FILE and stdin a
/// terminal, runs on the target of the library's built-in sample market.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct IndicatorsArgs {
    /// OHLCV CSV file (`-` or absent: stdin)
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Indicators as NAME[:PARAM...] separated by commas (see --list)
    #[arg(long, value_name = "SPEC", default_value = DEFAULT_SELECT)]
    select: String,
    /// Print every indicator that --select accepts, with its parameters, and exit
    #[arg(long)]
    list: bool,
}

/// One selected indicator, fed every bar with its timestamp (epoch seconds,
/// for session-anchored indicators): pushes its output fields.
pub(crate) type Step = Box<dyn FnMut(i64, Bar, &mut Vec<Option<f64>>) -> apex_ta::Result<()>>;

/// A parameter of an indicator, in TA-Lib's order.
pub(crate) struct Param {
    pub name: &'static str,
    pub default: f64,
    /// A whole number (a period, a `matype` code); others are real numbers.
    pub whole: bool,
}

/// A whole-number parameter (a period, a count, a `matype`).
#[allow(clippy::cast_precision_loss)] // defaults are small
pub(crate) const fn whole(name: &'static str, default: usize) -> Param {
    Param {
        name,
        default: default as f64,
        whole: true,
    }
}

/// A real-number parameter (a deviation multiplier, a factor).
#[allow(dead_code)] // used by the families as they land
pub(crate) const fn real(name: &'static str, default: f64) -> Param {
    Param {
        name,
        default,
        whole: false,
    }
}

/// An indicator that `--select` accepts.
pub(crate) struct Spec {
    /// TA-Lib's name in lower case (or the crate's, without a TA-Lib twin).
    pub name: &'static str,
    /// Parameters and defaults, in the order of `NAME:P1:P2…`.
    pub params: &'static [Param],
    pub about: &'static str,
    /// Output names; one empty name = a single column.
    pub outputs: &'static [&'static str],
    /// Builds the step from the parameters (whole ones are whole numbers).
    pub build: fn(&[f64]) -> apex_ta::Result<Step>,
}

/// A close-input, single-output indicator as a [`Step`].
pub(crate) fn on_close<I>(mut ind: I) -> Step
where
    I: Indicator<Input = f64, Output = f64> + 'static,
{
    Box::new(move |_, bar, out| {
        out.push(ind.update(bar.close)?);
        Ok(())
    })
}

/// A bar-input, single-output indicator as a [`Step`].
pub(crate) fn on_bar<I>(mut ind: I) -> Step
where
    I: Indicator<Input = Bar, Output = f64> + 'static,
{
    Box::new(move |_, bar, out| {
        out.push(ind.update(bar)?);
        Ok(())
    })
}

/// Parameter `i` as a whole number (`select` checked it is one).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn n(params: &[f64], i: usize) -> usize {
    params.get(i).copied().unwrap_or(0.0) as usize
}

/// Parameter `i` as a real number.
#[allow(dead_code)] // used by the families as they land
pub(crate) fn x(params: &[f64], i: usize) -> f64 {
    params.get(i).copied().unwrap_or(f64::NAN)
}

/// Every indicator `--select` knows, family by family, with a heading.
const FAMILIES: [(&str, &[Spec]); 7] = [
    (
        "Core (the default columns and the crate's own)",
        core::SPECS,
    ),
    ("Overlap studies", overlap::SPECS),
    ("Directional movement and trend", directional::SPECS),
    ("Momentum oscillators", oscillators::SPECS),
    ("Volume", flow::SPECS),
    ("Statistics", statistics::SPECS),
    ("Channels (TradingView definitions)", channels::SPECS),
];

/// Every indicator `--select` knows.
fn registry() -> impl Iterator<Item = &'static Spec> {
    FAMILIES.iter().flat_map(|(_, specs)| specs.iter())
}

impl Spec {
    fn defaults(&self) -> Vec<f64> {
        self.params.iter().map(|p| p.default).collect()
    }

    /// Column names for these parameters. Names keep the long-standing
    /// contract (`rsi_14`, `macd`, `macd_signal`, `macd_hist`,
    /// `volume_z_20`, `volume_ratio_20`); otherwise
    /// `NAME_PARAMS` and `NAME_PARAMS_OUTPUT`.
    fn columns(&self, params: &[f64]) -> Vec<String> {
        let joined: String = params.iter().fold(String::new(), |mut s, v| {
            let _ = write!(s, "_{v}");
            s
        });
        let defaults = self.defaults();
        self.outputs
            .iter()
            .map(|out| match (self.name, *out) {
                ("macd", "") if params == defaults.as_slice() => "macd".to_string(),
                ("macd", o) if params == defaults.as_slice() => format!("macd_{o}"),
                ("volume_z", "ratio") => format!("volume_ratio{joined}"),
                (name, "") => format!("{name}{joined}"),
                (name, o) => format!("{name}{joined}_{o}"),
            })
            .collect()
    }
}

/// The parsed selection: column names and one step per indicator.
struct Selection {
    columns: Vec<String>,
    steps: Vec<Step>,
}

/// Parses `NAME[:P...]` items separated by commas.
fn select(spec: &str) -> Result<Selection, Failure> {
    let mut columns = vec!["date".to_string(), "close".to_string()];
    let mut steps = Vec::new();
    for item in spec.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(Failure::usage(format!(
                "--select {spec:?}: an empty item (two commas in a row?)"
            )));
        }
        let mut parts = item.split(':');
        let name = parts.next().unwrap_or_default().to_ascii_lowercase();
        let Some(s) = registry().find(|s| s.name == name) else {
            return Err(Failure::usage(format!(
                "--select: unknown indicator {name:?}; `apex-ta indicators --list` shows them all"
            )));
        };
        let given: Vec<&str> = parts.collect();
        if given.len() > s.params.len() {
            return Err(Failure::usage(format!(
                "--select {item:?}: {} takes {} parameter{} ({})",
                s.name,
                s.params.len(),
                if s.params.len() == 1 { "" } else { "s" },
                usage_of(s)
            )));
        }
        let mut params = Vec::with_capacity(s.params.len());
        for (i, p) in s.params.iter().enumerate() {
            params.push(match given.get(i) {
                None => p.default,
                Some(text) => parse_param(item, p, text)?,
            });
        }
        let step =
            (s.build)(&params).map_err(|e| Failure::usage(format!("--select {item:?}: {e}")))?;
        for c in s.columns(&params) {
            if columns.contains(&c) {
                return Err(Failure::usage(format!(
                    "--select: column {c:?} is selected twice"
                )));
            }
            columns.push(c);
        }
        steps.push(step);
    }
    Ok(Selection { columns, steps })
}

/// One parameter's text: a finite number, whole where it must be.
fn parse_param(item: &str, p: &Param, text: &str) -> Result<f64, Failure> {
    let kind = if p.whole {
        "a whole number"
    } else {
        "a number"
    };
    let bad = || {
        Failure::usage(format!(
            "--select {item:?}: parameter `{}` must be {kind}, got {text:?}",
            p.name
        ))
    };
    let v: f64 = text.trim().parse().map_err(|_| bad())?;
    // Whole numbers up to 2^53 convert to usize exactly; larger ones are
    // beyond any period a constructor accepts anyway.
    let whole_ok = v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0;
    if v.is_finite() && (!p.whole || whole_ok) {
        Ok(v)
    } else {
        Err(bad())
    }
}

/// `NAME:PARAM:…` with defaults, for messages and `--list`.
fn usage_of(s: &Spec) -> String {
    s.params.iter().fold(s.name.to_string(), |mut u, p| {
        let _ = write!(u, ":{}={}", p.name, p.default);
        u
    })
}

fn list(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "Indicators for --select, as NAME[:PARAM...] in TA-Lib's parameter order\n\
         (omitted parameters take the default shown)."
    )?;
    for (heading, specs) in FAMILIES {
        writeln!(out, "\n{heading}:")?;
        for s in specs {
            writeln!(out, "  {}", usage_of(s))?;
            writeln!(out, "      {}", s.about)?;
            writeln!(
                out,
                "      columns: {}",
                s.columns(&s.defaults()).join(", ")
            )?;
        }
    }
    writeln!(out, "\nDefault: --select {DEFAULT_SELECT}")
}

/// A number as an output field: shortest round-trip text, empty if absent or
/// non-finite.
fn field(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    }
}

pub fn run(args: &IndicatorsArgs) -> Result<ExitCode, Failure> {
    if args.list {
        let mut out = io::stdout().lock();
        list(&mut out).map_err(|e| Failure::write(&e))?;
        return Ok(ExitCode::SUCCESS);
    }
    let selection = select(&args.select)?;
    let (name, input): (String, Box<dyn Read>) = match &args.file {
        Some(path) if path.as_os_str() != "-" => {
            let file = open(path)?;
            let len = file.metadata().map_or(0, |m| m.len());
            let bar = progress::bar(len, "reading");
            (
                path.display().to_string(),
                Box::new(BufReader::new(bar.wrap_read(file))),
            )
        }
        None if io::stdin().is_terminal() => (
            "<built-in sample>".to_string(),
            Box::new(io::Cursor::new(sample_csv())),
        ),
        _ => ("<stdin>".to_string(), Box::new(io::stdin().lock())),
    };
    write_rows(&name, input, selection)
}

/// The built-in sample market's target as OHLCV CSV text.
fn sample_csv() -> Vec<u8> {
    let mut text = String::from("date,open,high,low,close,volume\n");
    for b in apex_ta::sample::market() {
        let t = b.target;
        let _ = writeln!(
            text,
            "{},{},{},{},{},{}",
            format_date(b.timestamp),
            t.open,
            t.high,
            t.low,
            t.close,
            t.volume
        );
    }
    text.into_bytes()
}

/// Reads all rows, writes the output and returns the exit status.
fn write_rows(name: &str, input: Box<dyn Read>, mut sel: Selection) -> Result<ExitCode, Failure> {
    let rows = csvio::read_ohlcv(input).map_err(|e| Failure::input(format!("{name}: {e}")))?;
    let mut out = csv::Writer::from_writer(io::BufWriter::new(io::stdout().lock()));
    let write_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => Failure::write(&io),
        other => Failure::input(format!("cannot write the output: {other:?}")),
    };
    out.write_record(&sel.columns).map_err(write_err)?;
    let mut rejected = 0usize;
    let mut previous: Option<i64> = None;
    let mut values: Vec<Option<f64>> = Vec::with_capacity(sel.columns.len());
    let mut record: Vec<String> = Vec::with_capacity(sel.columns.len());
    let mut reject = |line: u64, reason: &str| {
        report(&format!("{name}: line {line}: {reason}"));
        rejected += 1;
    };
    for row in rows {
        let row = match row {
            Ok(row) => row,
            Err(e) if e.is_read_error() => {
                return Err(Failure::input(format!("{name}: {e}")));
            }
            Err(e) => {
                reject(e.line, &e.reason);
                continue;
            }
        };
        // Order is checked before any indicator sees the bar: a shuffled or
        // duplicated date is a bad row, not a silently wrong output.
        let Some(ts) = csvio::parse_timestamp(&row.timestamp) else {
            reject(
                row.line,
                &format!("unparsable timestamp {:?}", row.timestamp),
            );
            continue;
        };
        if let Some(p) = previous.filter(|&p| ts <= p) {
            reject(
                row.line,
                &format!(
                    "date {} is not after the previous one ({}): out of order or duplicate",
                    format_date(ts),
                    format_date(p)
                ),
            );
            continue;
        }
        // The reader validated the bar, so no indicator rejects it and none
        // is left a bar ahead of the others.
        values.clear();
        let mut failed = None;
        for step in &mut sel.steps {
            if let Err(e) = step(ts, row.bar, &mut values) {
                failed = Some(e);
                break;
            }
        }
        if let Some(e) = failed {
            reject(row.line, &e.to_string());
            continue;
        }
        previous = Some(ts);
        record.clear();
        record.push(row.timestamp);
        record.push(field(Some(row.bar.close)));
        record.extend(values.iter().copied().map(field));
        out.write_record(&record).map_err(write_err)?;
    }
    out.flush().map_err(|e| Failure::write(&e))?;
    Ok(finish(rejected))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn default_selection_is_the_column_contract() {
        let s = select(DEFAULT_SELECT).ok().unwrap();
        assert_eq!(
            s.columns.join(","),
            "date,close,rsi_14,macd,macd_signal,macd_hist,atr_14,natr_14,trange,ema_20,sma_20,stddev_20,max_20,min_20,volume_z_20,volume_ratio_20"
        );
        assert_eq!(s.steps.len(), 11);
    }

    #[test]
    fn names_carry_non_default_parameters() {
        let s = select("macd:5:10:3, rsi:7 ,volume_z:10,fib,trange,wilder:5")
            .ok()
            .unwrap();
        assert_eq!(
            s.columns[2..],
            [
                "macd_5_10_3",
                "macd_5_10_3_signal",
                "macd_5_10_3_hist",
                "rsi_7",
                "volume_z_10",
                "volume_ratio_10",
                "fib_55_high",
                "fib_55_low",
                "fib_55_retracement",
                "trange",
                "wilder_5"
            ]
        );
        // Omitted parameters take the defaults.
        assert_eq!(select("rsi").ok().unwrap().columns[2], "rsi_14");
        assert_eq!(select("MACD:12").ok().unwrap().columns[2], "macd");
    }

    #[test]
    fn talib_names_and_parameter_orders_name_the_columns() {
        let s = select("bbands:20:2:2:0,stoch:5:3:0:3:0,adx:14,t3:5:0.7,vwap,keltner:20:2")
            .ok()
            .unwrap();
        assert_eq!(
            s.columns[2..],
            [
                "bbands_20_2_2_0_upperband",
                "bbands_20_2_2_0_middleband",
                "bbands_20_2_2_0_lowerband",
                "stoch_5_3_0_3_0_slowk",
                "stoch_5_3_0_3_0_slowd",
                "adx_14",
                "t3_5_0.7",
                "vwap_1_0",
                "vwap_1_0_upper",
                "vwap_1_0_lower",
                "keltner_20_2_10_upper",
                "keltner_20_2_10_basis",
                "keltner_20_2_10_lower",
            ]
        );
        // A whole-number parameter must be whole; a real one need not be.
        let e = select("bbands:20.5").err().unwrap();
        assert!(e.message.unwrap_or_default().contains("whole number"));
        assert!(select("bbands:20:2.5:1.5:1").is_ok());
        // Every TA-Lib name the issue lists is selectable.
        for name in [
            "bbands",
            "dema",
            "tema",
            "wma",
            "trima",
            "kama",
            "t3",
            "midpoint",
            "midprice",
            "sar",
            "adx",
            "adxr",
            "dx",
            "plus_di",
            "minus_di",
            "plus_dm",
            "minus_dm",
            "apo",
            "ppo",
            "aroon",
            "aroonosc",
            "bop",
            "cci",
            "cmo",
            "mfi",
            "mom",
            "roc",
            "rocp",
            "stoch",
            "stochf",
            "stochrsi",
            "trix",
            "ultosc",
            "willr",
            "ad",
            "adosc",
            "obv",
            "var",
            "linearreg",
            "linearreg_slope",
            "beta",
            "correl",
            "vwap",
            "keltner",
            "donchian",
            "supertrend",
            "ichimoku",
        ] {
            assert!(select(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn bad_selections_are_usage_errors_naming_the_problem() {
        for (spec, needle) in [
            ("rsi:0", "period"),
            ("macd:26:12:9", "fast"),
            ("nope:3", "unknown indicator"),
            ("rsi:14:3", "takes 1 parameter"),
            ("rsi:x", "whole number"),
            ("rsi:-1", "whole number"),
            ("rsi,,sma", "empty item"),
            ("rsi:14,rsi", "selected twice"),
            ("trange:3", "takes 0 parameters"),
        ] {
            let e = select(spec).err().unwrap();
            assert_eq!(e.code, 1, "{spec}");
            let msg = e.message.unwrap_or_default();
            assert!(msg.contains(needle), "{spec}: {msg}");
        }
    }

    #[test]
    fn every_registered_indicator_builds_and_lists() {
        let mut text = Vec::new();
        list(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        for s in registry() {
            let mut step = (s.build)(&s.defaults()).ok().unwrap();
            let mut out = Vec::new();
            step(86_400, Bar::new(10.0, 11.0, 9.0, 10.5, 100.0), &mut out).unwrap();
            assert_eq!(out.len(), s.outputs.len(), "{}", s.name);
            assert!(text.contains(&usage_of(s)), "{}", s.name);
        }
    }
}
