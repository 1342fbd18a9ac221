//! `apex-ta score`: the APEX score per bar, as a table or JSON lines.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use apex_ta::score::{
    AlignStats, Aligner, ApexReadings, ApexScorer, Component, MarketBar, Score, Scorer,
};
use apex_ta::SwingDirection;
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::market::{Market, MarketArgs};
use crate::{finish, format_date, report, Failure};

const EXAMPLES: &str = "\
Examples:
  apex-ta score                                       # built-in sample market
  apex-ta score --target IWM.csv --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv --last 30
  apex-ta score --target IWM.csv --spy SPY.csv --qqq QQQ.csv --json --last 0 > apex.jsonl
  apex-ta score --target IWM.csv --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv \\
      --state iwm.state.json --json --last 0 >> apex.jsonl       # a daily job

OHLCV files need a header with date (or datetime, time, timestamp), open, high,
low, close, volume in any order and case; other columns are ignored. The yield
file is `date,<percent>` such as FRED's DGS2 download (`.` = missing). The
files are merged by date: the target's dates define the bars; a date the yield
lacks carries the last yield for up to 3 bars; a date SPY or QQQ lacks drops
the bar.";

/// Score every bar of the target with the APEX small-cap rotation score.
///
/// RSI, MACD, Fibonacci, volume, ATR, the target/SPY ratio, the target vs QQQ
/// relative performance and the 2-year yield, folded into 0-100 (50
/// neutral); each row shows the largest contributions in score points.
/// Without files, runs on the library's built-in sample market.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ScoreArgs {
    #[command(flatten)]
    market: MarketArgs,
    /// Print the last N scored bars (0 = all)
    #[arg(long, value_name = "N", default_value_t = 20)]
    last: usize,
    /// One JSON object per bar with every component and raw reading
    #[arg(long)]
    json: bool,
    /// Keep the aligner's and the scorer's state in FILE between runs: load it
    /// if it exists, score only the rows dated after it, save it again
    /// (atomically). A daily job over growing files prints what one run over
    /// the whole files prints. A date is final once scored: a value that
    /// arrives later for it (a yield published a day late) is skipped.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
}

/// What `--state` keeps between runs.
#[derive(Debug, Serialize, Deserialize)]
struct Checkpoint {
    /// Format of this file (1).
    format: u32,
    /// The target it was made for (file stem, or "sample").
    target: String,
    /// The latest date taken: rows up to it are skipped next time.
    last: Option<i64>,
    aligner: Aligner,
    scorer: ApexScorer,
}

const CHECKPOINT_FORMAT: u32 = 1;

impl Checkpoint {
    /// The saved state, or `None` when the file does not exist yet.
    fn load(path: &Path, target: &str) -> Result<Option<Checkpoint>, Failure> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Failure::input(format!(
                    "cannot read the state {}: {e}",
                    path.display()
                )))
            }
        };
        let c: Checkpoint = serde_json::from_str(&text).map_err(|e| {
            Failure::input(format!(
                "{}: not a usable `score --state` file ({e}); delete it to start over",
                path.display()
            ))
        })?;
        if c.format != CHECKPOINT_FORMAT {
            return Err(Failure::input(format!(
                "{}: state format {} (this apex-ta writes {CHECKPOINT_FORMAT})",
                path.display(),
                c.format
            )));
        }
        if c.target != target {
            return Err(Failure::usage(format!(
                "{} holds the state of `{}`, not of `{target}`",
                path.display(),
                c.target
            )));
        }
        Ok(Some(c))
    }

    /// Writes to a temporary file beside `path`, then renames it over
    /// `path`: a crash leaves the old state or the new one, never half.
    fn save(&self, path: &Path) -> Result<(), Failure> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let fail = |e: &dyn std::fmt::Display| {
            Failure::input(format!("cannot save the state {}: {e}", path.display()))
        };
        let text = serde_json::to_string(self).map_err(|e| fail(&e))?;
        std::fs::write(&tmp, text).map_err(|e| fail(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail(&e))
    }
}

/// One aligned bar and what the scorer made of it.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    /// The input.
    pub bar: MarketBar,
    /// The score (`None` while warming up).
    pub score: Option<Score>,
    /// The raw readings behind the score.
    pub readings: ApexReadings,
}

impl Scored {
    /// What evaluation needs of this bar: the score and label known at its
    /// close, the target's close, and SPY's as the benchmark.
    pub fn observation(&self) -> apex_ta::eval::Observation {
        apex_ta::eval::Observation::new(
            self.bar.timestamp,
            self.score.map(|x| x.value()),
            self.score.map(|x| x.label()),
            self.bar.target.close,
        )
        .with_benchmark(self.bar.spy)
    }
}

/// Scores the bars with the default APEX configuration.
pub fn score_bars(bars: &[MarketBar]) -> Vec<Scored> {
    score_with(&mut ApexScorer::<f64>::default(), bars)
}

/// Scores the bars with `apex`, which goes on from its state.
fn score_with(apex: &mut ApexScorer, bars: &[MarketBar]) -> Vec<Scored> {
    let mut scored = Vec::with_capacity(bars.len());
    for bar in bars {
        match apex.update(*bar) {
            Ok(score) => scored.push(Scored {
                bar: *bar,
                score,
                readings: *apex.readings(),
            }),
            // The reader validated every field the scorer checks; should a
            // bar still be refused, say which and go on.
            Err(e) => report(&format!("apex-ta: {}: {e}", format_date(bar.timestamp))),
        }
    }
    scored
}

pub fn run(args: &ScoreArgs) -> Result<ExitCode, Failure> {
    let saved = match &args.state {
        Some(path) => Checkpoint::load(path, &args.market.target_name())?,
        None => None,
    };
    let (market, mut apex) = match saved {
        Some(c) => (args.market.load_after(c.aligner, c.last)?, c.scorer),
        None => (args.market.load()?, ApexScorer::default()),
    };
    let scored = score_with(&mut apex, &market.bars);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.json {
        write_json(&mut out, &scored, args.last)
    } else {
        let elapsed = time_scoring(&market.bars);
        write_table(&mut out, &market, &scored, args.last, elapsed)
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Failure::write(&e))?;
    if let Some(path) = &args.state {
        let target = args.market.target_name();
        let Market { aligner, last, .. } = market;
        Checkpoint {
            format: CHECKPOINT_FORMAT,
            target,
            last,
            aligner,
            scorer: apex,
        }
        .save(path)?;
    }
    Ok(finish(market.rejected))
}

/// The scorer's own speed: the best of a few passes over the aligned bars
/// with a fresh scorer, keeping nothing but a checksum.
fn time_scoring(bars: &[MarketBar]) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let mut apex = ApexScorer::<f64>::default();
        let start = Instant::now();
        let mut checksum = 0.0;
        for bar in bars {
            if let Ok(Some(score)) = apex.update(std::hint::black_box(*bar)) {
                checksum += score.value();
            }
        }
        std::hint::black_box(checksum);
        best = best.min(start.elapsed());
    }
    best
}

/// The last `last` bars with a score (0 = all).
fn tail(scored: &[Scored], last: usize) -> impl Iterator<Item = (&Scored, &Score)> {
    let with_score: Vec<_> = scored
        .iter()
        .filter_map(|s| s.score.as_ref().map(|score| (s, score)))
        .collect();
    let skip = if last == 0 {
        0
    } else {
        with_score.len().saturating_sub(last)
    };
    with_score.into_iter().skip(skip)
}

fn write_table(
    out: &mut impl Write,
    market: &Market,
    scored: &[Scored],
    last: usize,
    elapsed: Duration,
) -> io::Result<()> {
    writeln!(out, "APEX small-cap rotation score: {}", market.title)?;
    writeln!(
        out,
        "{:<10} {:>9} {:>6}  {:<11} {:>5}  top contributions (score points)",
        "date", "close", "score", "label", "ready"
    )?;
    for (s, score) in tail(scored, last) {
        let mut top = String::new();
        for c in score.ranked().filter(Component::is_ready).take(3) {
            let _ = write!(top, "{:<6} {:+5.1}   ", c.name, c.contribution);
        }
        writeln!(
            out,
            "{:<10} {:>9.2} {:>6.1}  {:<11} {:>2}/{:<2}  {}",
            format_date(s.bar.timestamp),
            s.bar.target.close,
            score.value(),
            score.label(),
            score.ready(),
            score.total(),
            top.trim_end()
        )?;
    }
    let n = scored.len();
    let with_score = scored.iter().filter(|s| s.score.is_some()).count();
    let secs = elapsed.as_secs_f64();
    let (rate, per_bar) = if secs > 0.0 && n > 0 {
        (n as f64 / secs, secs * 1e9 / n as f64)
    } else {
        (f64::INFINITY, 0.0)
    };
    writeln!(
        out,
        "scored {n} bars ({with_score} with a score) in {:.2} ms: {:.1} M bars/s, {per_bar:.0} ns/bar (best of 5 passes)",
        secs * 1e3,
        rate / 1e6
    )?;
    writeln!(
        out,
        "score: 0-100, 50 neutral; contributions are score points and add up to score - 50"
    )?;
    let AlignStats {
        days,
        emitted,
        carried_yield,
        missing_yield,
        dropped,
        ..
    } = market.stats();
    writeln!(
        out,
        "aligned {days} dates: {emitted} bars, yield carried on {carried_yield} and missing on {missing_yield}, {dropped} bars dropped (SPY/QQQ missing)"
    )
}

/// One line of `score --json`.
#[derive(Debug, Serialize)]
pub struct JsonBar<'a> {
    date: String,
    timestamp: i64,
    close: f64,
    spy: f64,
    qqq: f64,
    yield_2y: Option<f64>,
    score: f64,
    label: &'a str,
    ready: usize,
    total: usize,
    components: Vec<JsonComponent<'a>>,
    readings: JsonReadings,
}

#[derive(Debug, Serialize)]
struct JsonComponent<'a> {
    name: &'a str,
    sub_score: Option<f64>,
    weight: f64,
    contribution: f64,
}

#[derive(Debug, Serialize)]
struct JsonReadings {
    rsi: Option<f64>,
    macd_histogram: Option<f64>,
    atr: Option<f64>,
    natr: Option<f64>,
    swing: Option<&'static str>,
    retracement: Option<f64>,
    volume_ratio: Option<f64>,
    bar_direction: Option<f64>,
    ratio_distance_pct: Option<f64>,
    relative: Option<f64>,
    yield_change: Option<f64>,
    /// Always `null` since APEX v2, which has no risk-off gate; kept so
    /// that the JSON lines keep their fields.
    risk_off_gate: Option<f64>,
}

impl<'a> JsonBar<'a> {
    fn new(s: &Scored, score: &'a Score) -> Self {
        let r = &s.readings;
        JsonBar {
            date: format_date(s.bar.timestamp),
            timestamp: s.bar.timestamp,
            close: s.bar.target.close,
            spy: s.bar.spy,
            qqq: s.bar.qqq,
            yield_2y: s.bar.yield_2y,
            score: score.value(),
            label: score.label().as_str(),
            ready: score.ready(),
            total: score.total(),
            components: score
                .components()
                .map(|c| JsonComponent {
                    name: c.name,
                    sub_score: c.sub_score,
                    weight: c.weight,
                    contribution: c.contribution,
                })
                .collect(),
            readings: JsonReadings {
                rsi: r.rsi,
                macd_histogram: r.macd_histogram,
                atr: r.atr,
                natr: r.natr,
                swing: r.swing.map(|d| match d {
                    SwingDirection::Up => "up",
                    SwingDirection::Down => "down",
                }),
                retracement: r.retracement,
                volume_ratio: r.volume_ratio,
                bar_direction: r.bar_direction,
                ratio_distance_pct: r.ratio_distance_pct,
                relative: r.relative,
                yield_change: r.yield_change,
                risk_off_gate: None,
            },
        }
    }
}

fn write_json(out: &mut impl Write, scored: &[Scored], last: usize) -> io::Result<()> {
    for (s, score) in tail(scored, last) {
        serde_json::to_writer(&mut *out, &JsonBar::new(s, score))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
