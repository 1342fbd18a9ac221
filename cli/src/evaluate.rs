//! `apex-ta evaluate`: a score judged by what followed it.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use apex_ta::eval::{
    self, CrossPeriod, CrossSection, EvalConfig, Evaluation, Interval, LabelStats, Observation,
    PeriodResult, RankIc, ReturnStats,
};
use apex_ta::score::Label;
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::market::{open, MarketArgs};
use crate::score::{score_bars, Scored};
use crate::{chart, finish, format_date, parse_date, progress, universe, Failure};

const EXAMPLES: &str = "\
Examples:
  apex-ta evaluate                                    # the built-in sample market
  apex-ta evaluate --target IWM.csv --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv \\
      --split 2017-01-01 --svg apex-eval.svg
  apex-ta score --target IWM.csv --spy SPY.csv --qqq QQQ.csv --json --last 0 > apex.jsonl
  apex-ta evaluate --scores apex.jsonl --horizons 20
  apex-ta evaluate --universe etfs/ --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv

What the numbers are: the forward return at bar t over h bars is
close[t+h] / close[t] - 1, paired with the score at t, which used data up to
and including the close of t (no look-ahead). Relative = the target's forward
return minus SPY's. Per label: bars, mean, median, hit rate (share > 0) and a
90% interval of the mean by moving-block bootstrap (blocks of h bars, seeded:
the same input gives the same interval everywhere). Rank IC = Spearman
correlation of score and forward return, with the same interval and a
t-statistic over non-overlapping bars. With --split, `before` uses only bars
whose forward window ends before the split date.";

/// Measure a score by the returns that followed it: forward returns by label,
/// rank IC and bootstrap intervals, in-sample against out-of-sample.
///
/// Scores the given market with APEX (the built-in sample without files),
/// or reads `apex-ta score --json` output (--scores), or scores a directory
/// of OHLCV files as one universe and measures the cross-section (--universe).
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct EvaluateArgs {
    #[command(flatten)]
    market: MarketArgs,
    /// Read the scores from `apex-ta score --json` output (JSON lines) instead
    #[arg(long, value_name = "FILE", conflicts_with_all = ["target", "universe"])]
    scores: Option<PathBuf>,
    /// Score every `*.csv` of DIR (file name = symbol) as one universe against
    /// --spy, --qqq [--yield], and report the cross-section
    #[arg(long, value_name = "DIR", conflicts_with = "target", requires_all = ["spy", "qqq"])]
    universe: Option<PathBuf>,
    /// Forward horizons in bars
    #[arg(
        long,
        value_name = "H,H,...",
        value_delimiter = ',',
        default_value = "5,20,60"
    )]
    horizons: Vec<usize>,
    /// Report before and after this date side by side (design / out-of-sample)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    split: Option<i64>,
    /// Bootstrap resamples
    #[arg(long, value_name = "N", default_value_t = 1000)]
    resamples: usize,
    /// Bootstrap seed
    #[arg(long, value_name = "N", default_value_t = EvalConfig::default().seed)]
    seed: u64,
    /// Quantiles for the cross-section's top-minus-bottom spread
    #[arg(long, value_name = "Q", default_value_t = 10)]
    quantiles: usize,
    /// Write the whole result as one JSON object instead of the tables
    #[arg(long)]
    json: bool,
    /// Also draw the mean forward return per label with its interval as SVG
    #[arg(long, value_name = "FILE.svg", conflicts_with = "universe")]
    svg: Option<PathBuf>,
}

impl EvaluateArgs {
    fn config(&self) -> Result<EvalConfig, Failure> {
        let config = EvalConfig {
            horizons: self.horizons.clone(),
            split: self.split,
            resamples: self.resamples,
            seed: self.seed,
            quantiles: self.quantiles,
            ..EvalConfig::default()
        };
        config
            .validate()
            .map_err(|e| Failure::usage(e.to_string()))?;
        Ok(config)
    }
}

pub fn run(args: &EvaluateArgs) -> Result<ExitCode, Failure> {
    let config = args.config()?;
    if let Some(dir) = &args.universe {
        return run_universe(args, dir, &config);
    }
    let (title, observations, rejected) = if let Some(path) = &args.scores {
        let (obs, rejected) = read_scores(path)?;
        (format!("scores from {}", path.display()), obs, rejected)
    } else {
        let market = args.market.load()?;
        let obs = score_bars(&market.bars)
            .iter()
            .map(Scored::observation)
            .collect();
        (format!("APEX on {}", market.title), obs, market.rejected)
    };
    let result = evaluate_with_progress(&observations, &config)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &JsonEvaluation {
                title: &title,
                config: &config,
                result: &result,
            },
        )
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
    } else {
        write_tables(&mut out, &title, &config, &result)
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Failure::write(&e))?;
    if let Some(svg) = &args.svg {
        let heading = format!(
            "{title}: forward return by label, {:.0} % bootstrap intervals",
            100.0 * config.confidence
        );
        chart::evaluation_svg(svg, &heading, &result)?;
    }
    Ok(finish(rejected))
}

/// `evaluate`, one horizon at a time so that a progress bar can move.
fn evaluate_with_progress(obs: &[Observation], config: &EvalConfig) -> Result<Evaluation, Failure> {
    let bar = progress::bar(config.horizons.len() as u64, "bootstrap");
    let mut horizons = Vec::with_capacity(config.horizons.len());
    for &h in &config.horizons {
        let one = EvalConfig {
            horizons: vec![h],
            ..config.clone()
        };
        let r = eval::evaluate(obs, &one).map_err(|e| Failure::input(e.to_string()))?;
        horizons.extend(r.horizons);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(Evaluation { horizons })
}

#[derive(Serialize)]
struct JsonEvaluation<'a> {
    title: &'a str,
    config: &'a EvalConfig,
    result: &'a Evaluation,
}

/// The fields of one `score --json` line that evaluation needs.
#[derive(Deserialize)]
struct ScoreLine {
    timestamp: i64,
    score: Option<f64>,
    label: Option<String>,
    close: f64,
    spy: Option<f64>,
}

/// What `evaluate` would refuse in a line, as a row error instead.
fn check(o: &Observation) -> Option<String> {
    let positive = |name: &str, v: f64| {
        (!(v.is_finite() && v > 0.0)).then(|| format!("`{name}` must be finite and > 0, got {v}"))
    };
    positive("close", o.close)
        .or_else(|| o.benchmark.and_then(|b| positive("spy", b)))
        .or_else(|| {
            o.score
                .filter(|s| !(0.0..=100.0).contains(s))
                .map(|s| format!("`score` must be in [0, 100], got {s}"))
        })
}

fn parse_label(text: &str) -> Option<Label> {
    eval::LABELS.into_iter().find(|l| l.as_str() == text)
}

/// Reads `score --json` lines; a line that does not parse or breaks the
/// order is reported as `FILE: line N: reason` and skipped.
fn read_scores(path: &std::path::Path) -> Result<(Vec<Observation>, usize), Failure> {
    let name = path.display().to_string();
    let reader = BufReader::new(open(path)?);
    let mut obs: Vec<Observation> = Vec::new();
    let mut rejected = 0;
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let line =
            line.map_err(|e| Failure::input(format!("{name}: line {n}: read error: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let problem = match serde_json::from_str::<ScoreLine>(&line) {
            Err(e) => Some(format!("not a `score --json` line: {e}")),
            Ok(s) => {
                let label = s.label.as_deref().map(parse_label);
                let mut o = Observation::new(s.timestamp, s.score, label.flatten(), s.close);
                o.benchmark = s.spy;
                if let Some(Some(text)) = label.is_some_and(|l| l.is_none()).then_some(s.label) {
                    Some(format!("unknown label {text:?}"))
                } else if obs.last().is_some_and(|p| p.timestamp >= o.timestamp) {
                    Some(format!(
                        "date {} is not after the previous one: out of order or duplicate",
                        format_date(o.timestamp)
                    ))
                } else if let Some(reason) = check(&o) {
                    Some(reason)
                } else {
                    obs.push(o);
                    None
                }
            }
        };
        if let Some(reason) = problem {
            crate::report(&format!("{name}: line {n}: {reason}"));
            rejected += 1;
        }
    }
    if obs.is_empty() {
        return Err(Failure::input(format!("{name}: no scores")));
    }
    Ok((obs, rejected))
}

// ---------------------------------------------------------------------------
// Tables

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:+.2}%", 100.0 * v))
}

fn interval(i: Option<Interval>) -> String {
    i.map_or_else(
        || "-".to_string(),
        |i| format!("[{:+.2}, {:+.2}]", 100.0 * i.lo, 100.0 * i.hi),
    )
}

fn share(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.0}%", 100.0 * v))
}

/// One period's cells for a row: n, mean, interval, median, hit rate.
fn cells(s: &LabelStats) -> String {
    format!(
        "{:>5} {:>8} {:>17} {:>8} {:>4}",
        s.count,
        pct(s.mean),
        interval(s.interval),
        pct(s.median),
        share(s.hit_rate)
    )
}

fn ic_cells(ic: &RankIc) -> String {
    let t = ic
        .t_stat
        .map_or_else(|| "-".to_string(), |t| format!("{t:+.1}"));
    format!(
        "{:>+6} {:>17}  t {t} ({} independent)",
        ic.ic
            .map_or_else(|| "-".to_string(), |v| format!("{v:+.3}")),
        ic.interval.map_or_else(
            || "-".to_string(),
            |i| format!("[{:+.3}, {:+.3}]", i.lo, i.hi)
        ),
        ic.independent
    )
}

fn period_heading(name: &str, p: &PeriodResult) -> String {
    let span = match (p.first, p.last) {
        (Some(a), Some(b)) => format!("{} to {}", format_date(a), format_date(b)),
        _ => "no bars".to_string(),
    };
    format!(
        "{name}: {span}, {} bars, {} used ({} without a score, {} without a forward return)",
        p.bars, p.used, p.no_score, p.no_forward
    )
}

/// A table row: its name and where its statistics are.
type Row = (&'static str, fn(&ReturnStats) -> &LabelStats);

fn write_stats(
    out: &mut impl Write,
    what: &str,
    h: usize,
    periods: &[(&str, &ReturnStats)],
) -> io::Result<()> {
    writeln!(out, "{what}, forward {h}-bar return")?;
    let mut head = format!("{:<12}", "");
    let mut cols = format!("{:<12}", "label");
    for (name, _) in periods {
        let _ = write!(head, "  {:^46}", format!("-- {name} --"));
        let _ = write!(
            cols,
            "  {:>5} {:>8} {:>17} {:>8} {:>4}",
            "n", "mean", "90% interval", "median", "hit"
        );
    }
    writeln!(out, "{}", head.trim_end())?;
    writeln!(out, "{cols}")?;
    let rows: [Row; 8] = [
        ("strong sell", |s| s.label(Label::StrongSell)),
        ("sell", |s| s.label(Label::Sell)),
        ("neutral", |s| s.label(Label::Neutral)),
        ("buy", |s| s.label(Label::Buy)),
        ("strong buy", |s| s.label(Label::StrongBuy)),
        ("buy side", |s| &s.buy_side),
        ("sell side", |s| &s.sell_side),
        ("all bars", |s| &s.all),
    ];
    for (name, get) in rows {
        let mut line = format!("{name:<12}");
        for (_, s) in periods {
            let _ = write!(line, "  {}", cells(get(s)));
        }
        writeln!(out, "{line}")?;
    }
    for (name, s) in periods {
        writeln!(out, "{:<12}  {name:<10} {}", "rank IC", ic_cells(&s.ic))?;
    }
    writeln!(out)
}

fn write_tables(
    out: &mut impl Write,
    title: &str,
    config: &EvalConfig,
    result: &Evaluation,
) -> io::Result<()> {
    writeln!(out, "Forward returns after the score: {title}")?;
    writeln!(
        out,
        "mean/median/interval in percent; hit = share of bars followed by a gain; {} bootstrap resamples, seed {}",
        config.resamples, config.seed
    )?;
    for h in &result.horizons {
        writeln!(out)?;
        let periods: Vec<(String, &PeriodResult)> = match (&h.before, &h.after, config.split) {
            (Some(b), Some(a), Some(split)) => vec![
                (format!("before {}", format_date(split)), b),
                (format!("from {}", format_date(split)), a),
            ],
            _ => vec![("all".to_string(), &h.full)],
        };
        writeln!(out, "== horizon {} bars ==", h.horizon)?;
        for (name, p) in &periods {
            writeln!(out, "{}", period_heading(name, p))?;
        }
        let abs: Vec<(&str, &ReturnStats)> = periods
            .iter()
            .map(|(n, p)| (n.as_str(), &p.absolute))
            .collect();
        write_stats(out, "target", h.horizon, &abs)?;
        let rel: Vec<(&str, &ReturnStats)> = periods
            .iter()
            .filter_map(|(n, p)| p.relative.as_ref().map(|r| (n.as_str(), r)))
            .collect();
        if rel.len() == periods.len() {
            write_stats(out, "target minus SPY", h.horizon, &rel)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Universe

fn run_universe(
    args: &EvaluateArgs,
    dir: &std::path::Path,
    config: &EvalConfig,
) -> Result<ExitCode, Failure> {
    let (Some(spy), Some(qqq)) = (&args.market.spy, &args.market.qqq) else {
        return Err(Failure::usage("--universe needs --spy and --qqq"));
    };
    let panel = universe::load(dir, spy, qqq, args.market.yield_2y.as_deref())?;
    let cross = eval::cross_section(
        &panel.dates,
        panel.symbols.len(),
        &panel.scores,
        &panel.closes,
        config,
    )
    .map_err(|e| Failure::input(e.to_string()))?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let title = format!(
        "APEX across the {} symbols of {}",
        panel.symbols.len(),
        dir.display()
    );
    let written = if args.json {
        #[derive(Serialize)]
        struct JsonCross<'a> {
            title: &'a str,
            symbols: &'a [String],
            config: &'a EvalConfig,
            result: &'a CrossSection,
        }
        serde_json::to_writer_pretty(
            &mut out,
            &JsonCross {
                title: &title,
                symbols: &panel.symbols,
                config,
                result: &cross,
            },
        )
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
    } else {
        write_cross(&mut out, &title, &panel, config, &cross)
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Failure::write(&e))?;
    Ok(finish(panel.rejected))
}

fn cross_row(name: &str, p: &CrossPeriod) -> String {
    let num = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |v| format!("{v:+.3}"));
    let t = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |v| format!("{v:+.1}"));
    let iv = |i: Option<Interval>| {
        i.map_or_else(
            || "-".to_string(),
            |i| format!("[{:+.3}, {:+.3}]", i.lo, i.hi),
        )
    };
    let ivp = |i: Option<Interval>| interval(i);
    format!(
        "{name:<22} {:>6} {:>7} {:>17} {:>5}   {:>6} {:>8} {:>8} {:>8} {:>17} {:>5}",
        p.used_dates,
        num(p.mean_ic),
        iv(p.ic_interval),
        t(p.ic_t_stat),
        p.spread_dates,
        pct(p.top),
        pct(p.bottom),
        pct(p.spread),
        ivp(p.spread_interval),
        t(p.spread_t_stat),
    )
}

fn write_cross(
    out: &mut impl Write,
    title: &str,
    panel: &universe::Panel,
    config: &EvalConfig,
    cross: &CrossSection,
) -> io::Result<()> {
    writeln!(out, "Cross-section: {title}")?;
    if let (Some(a), Some(b)) = (panel.dates.first(), panel.dates.last()) {
        writeln!(
            out,
            "{} dates from {} to {}; per date, Spearman IC of score and forward return across symbols (>= 5 with both), then averaged",
            panel.dates.len(),
            format_date(*a),
            format_date(*b)
        )?;
    }
    writeln!(
        out,
        "top/bottom = mean forward return of the highest/lowest-scored 1/{} of the symbols (on dates with at least that many); t over non-overlapping dates",
        config.quantiles
    )?;
    for h in &cross.horizons {
        writeln!(out)?;
        writeln!(out, "== horizon {} bars ==", h.horizon)?;
        writeln!(
            out,
            "{:<22} {:>6} {:>7} {:>17} {:>5}   {:>6} {:>8} {:>8} {:>8} {:>17} {:>5}",
            "period",
            "dates",
            "mean IC",
            "90% interval",
            "t",
            "dates",
            "top",
            "bottom",
            "spread",
            "90% interval",
            "t"
        )?;
        match (&h.before, &h.after, config.split) {
            (Some(b), Some(a), Some(split)) => {
                writeln!(
                    out,
                    "{}",
                    cross_row(&format!("before {}", format_date(split)), b)
                )?;
                writeln!(
                    out,
                    "{}",
                    cross_row(&format!("from {}", format_date(split)), a)
                )?;
            }
            _ => writeln!(out, "{}", cross_row("all", &h.full))?,
        }
    }
    Ok(())
}
