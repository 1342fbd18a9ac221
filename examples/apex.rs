//! The APEX small-cap rotation score, bar by bar: IWM (or any target) against
//! SPY, QQQ and the 2-year Treasury yield.
//!
//! ```text
//! cargo run --release --example apex                      # built-in sample market
//! cargo run --release --example apex -- --target IWM.csv --spy SPY.csv \
//!     --qqq QQQ.csv --yield DGS2.csv --last 30
//! cargo run --release --example apex -- --json --last 0 > apex.jsonl
//! ```
//!
//! # Input
//!
//! With no file arguments, a built-in deterministic three-asset market
//! (IWM-, SPY- and QQQ-like series with correlated returns, rate regimes with
//! a 2-year-yield series on its own calendar, a risk-off episode, volume
//! spikes at breakouts and breakdowns; five years of business days).
//!
//! With `--target F --spy F --qqq F [--yield F]`: OHLCV CSV files in the
//! format the `indicators` example reads (a `date`/`datetime`/`time`/
//! `timestamp` column and `open, high, low, close, volume`; other columns
//! ignored; SPY and QQQ use only their close), and a `date,<value>` yield file
//! in percent such as FRED's DGS2 (`.` or empty = missing). The streams are
//! merged by timestamp with [`Aligner`]: the target's dates define the bars;
//! a date the yield lacks (a bond-market holiday) carries the last yield for
//! up to 3 bars, after which the rates signal is not ready; a date SPY or QQQ
//! lacks beyond that drops the bar.
//!
//! # Output
//!
//! For the last N scored bars (`--last N`, default 20; 0 = all): date, close,
//! score, label, ready signals and the three largest contributions in score
//! points; then a summary with bars scored per second. With `--json`, one JSON
//! object per bar instead: score, label, every component (sub-score, weight,
//! contribution) and the raw readings.
//!
//! # Bad rows and exit status
//!
//! A row that cannot be used (missing fields, unparsable or non-finite
//! number, inconsistent bar, unparsable date, a date not after the previous
//! one) is reported on stderr as `FILE: line N: <reason>` and skipped.
//! Exit status: 0 ok, 2 if any row was rejected (after processing all
//! input), 1 for a usage error, an unreadable file or a header without the
//! required columns. Closing stdout early (`| head`) ends quietly.

#[path = "common/ohlcv.rs"]
mod ohlcv;

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::process::ExitCode;
use std::time::Instant;

use apex_ta::score::{
    AlignStats, Aligner, ApexReadings, ApexScorer, Component, MarketBar, Score, Scorer, Tick,
};
use apex_ta::{Bar, Error, SwingDirection};

const USAGE: &str = "\
Usage: apex [--target FILE --spy FILE --qqq FILE [--yield FILE]] [--last N] [--json]
       apex --help

Scores every bar of the target (IWM) with the APEX small-cap rotation score:
RSI, MACD, Fibonacci, volume, ATR, the target/SPY ratio, the target vs QQQ
relative performance and the 2-year yield, folded into 0-100 (50 neutral).

Without files, runs on a built-in sample market. OHLCV files need a header
with date|datetime|time|timestamp, open, high, low, close, volume; the yield
file is `date,<value>` in percent (FRED DGS2).

  --last N   print the last N scored bars (default 20; 0 = all)
  --json     one JSON object per bar with the full breakdown

Bad rows are reported on stderr as `FILE: line N: <reason>` and skipped.
Exit status: 0 ok, 1 usage/read/header error, 2 some rows were rejected.
";

/// Yield carry limit in bars (bond-market holidays are one-day gaps).
const MAX_CARRY: usize = 3;

struct Options {
    target: Option<String>,
    spy: Option<String>,
    qqq: Option<String>,
    yield_2y: Option<String>,
    last: usize,
    json: bool,
}

/// Writes a diagnostic to stderr, ignoring failure.
fn report(msg: &str) {
    let _ = writeln!(io::stderr().lock(), "{msg}");
}

fn usage_error(msg: &str) -> ExitCode {
    report(&format!("apex: {msg}\n\n{USAGE}"));
    ExitCode::from(1)
}

fn parse_args() -> Result<Options, ExitCode> {
    let mut o = Options {
        target: None,
        spy: None,
        qqq: None,
        yield_2y: None,
        last: 20,
        json: false,
    };
    let mut args = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| usage_error(&format!("`{name}` needs a value")))
        };
        match a.as_str() {
            "-h" | "--help" => {
                let _ = io::stdout().lock().write_all(USAGE.as_bytes());
                return Err(ExitCode::SUCCESS);
            }
            "--json" => o.json = true,
            "--target" => o.target = Some(value("--target")?),
            "--spy" => o.spy = Some(value("--spy")?),
            "--qqq" => o.qqq = Some(value("--qqq")?),
            "--yield" => o.yield_2y = Some(value("--yield")?),
            "--last" => {
                let v = value("--last")?;
                o.last = v
                    .parse()
                    .map_err(|_| usage_error(&format!("`--last` needs a number, got `{v}`")))?;
            }
            other => return Err(usage_error(&format!("unknown argument `{other}`"))),
        }
    }
    let files = [&o.target, &o.spy, &o.qqq, &o.yield_2y];
    if files.iter().any(|f| f.is_some())
        && (o.target.is_none() || o.spy.is_none() || o.qqq.is_none())
    {
        return Err(usage_error("`--target`, `--spy` and `--qqq` go together"));
    }
    Ok(o)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut aligner = Aligner::<f64>::new(MAX_CARRY).unwrap_or_default();
    let (title, bars, rejected) = match (&opts.target, &opts.spy, &opts.qqq) {
        (Some(t), Some(s), Some(q)) => {
            match read_market(t, s, q, opts.yield_2y.as_deref(), &mut aligner) {
                Ok((bars, rejected)) => (format!("{t} vs {s}, {q}"), bars, rejected),
                Err(code) => return code,
            }
        }
        _ => (
            "built-in sample market (IWM-, SPY-, QQQ-like + 2-year yield)".to_string(),
            sample_market(&mut aligner),
            0,
        ),
    };
    let stats = aligner.stats();

    // Score every bar, keeping the results to print.
    let mut apex = ApexScorer::<f64>::default();
    let mut scored: Vec<(MarketBar, Option<Score>, ApexReadings)> = Vec::with_capacity(bars.len());
    for bar in &bars {
        match apex.update(*bar) {
            Ok(score) => scored.push((*bar, score, *apex.readings())),
            // The aligner validated every bar; report and go on regardless.
            Err(e) => report(&format!("apex: {}: {e}", format_date(bar.timestamp))),
        }
    }
    let elapsed = time_scoring(&bars);

    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = if opts.json {
        write_json(&mut out, &scored, opts.last)
    } else {
        write_table(&mut out, &title, &scored, opts.last, &stats, elapsed)
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            report(&format!("apex: cannot write the output: {e}"));
            return ExitCode::from(1);
        }
    }
    if rejected > 0 {
        report(&format!("apex: {rejected} row(s) rejected"));
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The scorer's own speed: the best of a few passes over the aligned bars
/// with a fresh scorer, keeping nothing but a checksum (storing ~1 KB per bar
/// would measure the memory system instead).
fn time_scoring(bars: &[MarketBar]) -> std::time::Duration {
    let mut best = std::time::Duration::MAX;
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

// ---------------------------------------------------------------------------
// Output

/// `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM` off midnight) of epoch seconds.
fn format_date(ts: i64) -> String {
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = ohlcv::civil_from_days(ts.div_euclid(86_400));
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

/// The rows to print: the last `last` scored ones (0 = all).
fn tail(
    scored: &[(MarketBar, Option<Score>, ApexReadings)],
    last: usize,
) -> impl Iterator<Item = (&MarketBar, &Score, &ApexReadings)> {
    let with_score: Vec<_> = scored
        .iter()
        .filter_map(|(b, s, r)| s.as_ref().map(|s| (b, s, r)))
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
    title: &str,
    scored: &[(MarketBar, Option<Score>, ApexReadings)],
    last: usize,
    stats: &AlignStats,
    elapsed: std::time::Duration,
) -> io::Result<()> {
    writeln!(out, "APEX small-cap rotation score: {title}")?;
    writeln!(
        out,
        "{:<10} {:>9} {:>6}  {:<11} {:>5}  top contributions (score points)",
        "date", "close", "score", "label", "ready"
    )?;
    for (bar, score, _) in tail(scored, last) {
        let mut top = String::new();
        for c in score.ranked().filter(Component::is_ready).take(3) {
            let _ = write!(top, "{:<6} {:+5.1}   ", c.name, c.contribution);
        }
        writeln!(
            out,
            "{:<10} {:>9.2} {:>6.1}  {:<11} {:>2}/{:<2}  {}",
            format_date(bar.timestamp),
            bar.target.close,
            score.value(),
            score.label(),
            score.ready(),
            score.total(),
            top.trim_end()
        )?;
    }
    let n = scored.len();
    let with_score = scored.iter().filter(|(_, s, _)| s.is_some()).count();
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
    writeln!(
        out,
        "aligned {} dates: {} bars, yield carried on {} and missing on {}, {} bars dropped (SPY/QQQ missing)",
        stats.days, stats.emitted, stats.carried_yield, stats.missing_yield, stats.dropped
    )
}

/// A JSON number, or `null` for `None`/non-finite.
fn json_num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x}"),
        _ => "null".to_string(),
    }
}

/// A JSON string (the names and labels here are plain ASCII; escape anyway).
fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", u32::from(c));
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn write_json(
    out: &mut impl Write,
    scored: &[(MarketBar, Option<Score>, ApexReadings)],
    last: usize,
) -> io::Result<()> {
    for (bar, score, r) in tail(scored, last) {
        let mut line = String::with_capacity(1024);
        let _ = write!(
            line,
            "{{\"date\":{},\"timestamp\":{},\"close\":{},\"spy\":{},\"qqq\":{},\"yield_2y\":{},\
             \"score\":{},\"label\":{},\"ready\":{},\"total\":{},\"components\":[",
            json_str(&format_date(bar.timestamp)),
            bar.timestamp,
            json_num(Some(bar.target.close)),
            json_num(Some(bar.spy)),
            json_num(Some(bar.qqq)),
            json_num(bar.yield_2y),
            json_num(Some(score.value())),
            json_str(score.label().as_str()),
            score.ready(),
            score.total(),
        );
        for (i, c) in score.components().enumerate() {
            let _ = write!(
                line,
                "{}{{\"name\":{},\"sub_score\":{},\"weight\":{},\"contribution\":{}}}",
                if i == 0 { "" } else { "," },
                json_str(c.name),
                json_num(c.sub_score),
                json_num(Some(c.weight)),
                json_num(Some(c.contribution)),
            );
        }
        let swing = match r.swing {
            Some(SwingDirection::Up) => "\"up\"",
            Some(SwingDirection::Down) => "\"down\"",
            None => "null",
        };
        let _ = write!(
            line,
            "],\"readings\":{{\"rsi\":{},\"macd_histogram\":{},\"atr\":{},\"natr\":{},\
             \"swing\":{swing},\"retracement\":{},\"volume_ratio\":{},\"bar_direction\":{},\
             \"ratio_distance_pct\":{},\"relative\":{},\"yield_change\":{},\
             \"risk_off_gate\":{}}}}}",
            json_num(r.rsi),
            json_num(r.macd_histogram),
            json_num(r.atr),
            json_num(r.natr),
            json_num(r.retracement),
            json_num(r.volume_ratio),
            json_num(r.bar_direction),
            json_num(r.ratio_distance_pct),
            json_num(r.relative),
            json_num(r.yield_change),
            json_num(r.risk_off_gate),
        );
        writeln!(out, "{line}")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Real files

/// One input file as a stream of accepted ticks, in file order; bad rows are
/// reported and skipped.
struct Stream {
    name: String,
    rows: Box<dyn Iterator<Item = Result<(u64, String, Tick), ohlcv::RowError>>>,
    next: Option<(i64, u64, Tick)>,
    rejected: usize,
    failed: bool,
}

impl Stream {
    fn ohlcv(path: &str, kind: fn(Bar) -> Tick) -> Result<Stream, ExitCode> {
        let file = open(path)?;
        let rows = ohlcv::read_ohlcv(BufReader::new(file)).map_err(|e| {
            report(&format!("apex: {path}: {e}"));
            ExitCode::from(1)
        })?;
        Ok(Stream::new(
            path,
            Box::new(rows.map(move |r| r.map(|row| (row.line, row.timestamp, kind(row.bar))))),
        ))
    }

    fn series(path: &str) -> Result<Stream, ExitCode> {
        let file = open(path)?;
        let rows = ohlcv::read_series(BufReader::new(file)).map_err(|e| {
            report(&format!("apex: {path}: {e}"));
            ExitCode::from(1)
        })?;
        Ok(Stream::new(
            path,
            Box::new(rows.map(|r| r.map(|(line, ts, v)| (line, ts, Tick::Yield(v))))),
        ))
    }

    fn new(
        name: &str,
        rows: Box<dyn Iterator<Item = Result<(u64, String, Tick), ohlcv::RowError>>>,
    ) -> Stream {
        let mut s = Stream {
            name: name.to_string(),
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

    /// Moves to the next good row.
    fn advance(&mut self) {
        self.next = None;
        while let Some(row) = self.rows.next() {
            match row {
                Ok((line, text, tick)) => match ohlcv::parse_timestamp(&text) {
                    Some(ts) => {
                        self.next = Some((ts, line, tick));
                        return;
                    }
                    None => self.reject(line, &format!("unparsable timestamp {text:?}")),
                },
                Err(e) if e.is_read_error() => {
                    report(&format!("apex: {}: {e}", self.name));
                    self.failed = true;
                    return;
                }
                Err(e) => self.reject(e.line, &e.reason),
            }
        }
    }
}

fn open(path: &str) -> Result<File, ExitCode> {
    File::open(path).map_err(|e| {
        report(&format!("apex: cannot open {path}: {e}"));
        ExitCode::from(1)
    })
}

/// Reads and aligns the files: `(bars, rejected rows)`.
fn read_market(
    target: &str,
    spy: &str,
    qqq: &str,
    yield_2y: Option<&str>,
    aligner: &mut Aligner,
) -> Result<(Vec<MarketBar>, usize), ExitCode> {
    let spy_close = |b: Bar| Tick::Spy(b.close);
    let qqq_close = |b: Bar| Tick::Qqq(b.close);
    // Within one date the yield goes first (any order would do).
    let mut streams = vec![
        Stream::ohlcv(target, Tick::Target)?,
        Stream::ohlcv(spy, spy_close)?,
        Stream::ohlcv(qqq, qqq_close)?,
    ];
    if let Some(y) = yield_2y {
        streams.insert(0, Stream::series(y)?);
    }
    let mut bars = Vec::new();
    // Merge by timestamp: always push the earliest pending row.
    while let Some(stream) = streams
        .iter_mut()
        .filter(|s| s.next.is_some())
        .min_by_key(|s| s.next.map_or(i64::MAX, |(ts, _, _)| ts))
    {
        let Some((ts, line, tick)) = stream.next else {
            break;
        };
        match aligner.push(ts, tick) {
            Ok(Some(bar)) => bars.push(bar),
            Ok(None) => {}
            Err(Error::OutOfOrder {
                timestamp,
                previous,
                ..
            }) => stream.reject(
                line,
                &format!(
                    "date {} is not after the previous one ({}): out of order or duplicate",
                    format_date(timestamp),
                    format_date(previous)
                ),
            ),
            Err(e) => stream.reject(line, &e.to_string()),
        }
        stream.advance();
    }
    bars.extend(aligner.flush());
    if streams.iter().any(|s| s.failed) {
        return Err(ExitCode::from(1));
    }
    Ok((bars, streams.iter().map(|s| s.rejected).sum()))
}

// ---------------------------------------------------------------------------
// The built-in sample market

/// SplitMix64: a tiny, seeded, portable generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// A market regime: daily drift and volatility of the market factor, the
/// small caps' extra drift, the 2-year yield's daily drift, volume level.
struct Regime {
    until: usize,
    market_drift: f64,
    market_vol: f64,
    small_cap_alpha: f64,
    yield_drift: f64,
    volume: f64,
}

/// Five years of business days through nine regimes.
#[rustfmt::skip]
const REGIMES: [Regime; 9] = [
    // Steady bull market while the central bank hikes slowly.
    Regime { until: 250, market_drift: 0.0005, market_vol: 0.008, small_cap_alpha: -0.0002, yield_drift: 0.003, volume: 1.0 },
    // Late-cycle top: flat, small caps lag.
    Regime { until: 330, market_drift: 0.0, market_vol: 0.010, small_cap_alpha: -0.0004, yield_drift: 0.001, volume: 1.0 },
    // Risk-off crash: flight to safety, yields collapse.
    Regime { until: 385, market_drift: -0.0055, market_vol: 0.028, small_cap_alpha: -0.0015, yield_drift: -0.02, volume: 1.9 },
    // Capitulation and bottom.
    Regime { until: 420, market_drift: 0.002, market_vol: 0.022, small_cap_alpha: 0.0005, yield_drift: -0.004, volume: 1.5 },
    // Rate cuts: small-cap rally.
    Regime { until: 650, market_drift: 0.0012, market_vol: 0.011, small_cap_alpha: 0.0008, yield_drift: -0.002, volume: 1.1 },
    // Pause.
    Regime { until: 700, market_drift: 0.0, market_vol: 0.009, small_cap_alpha: 0.0, yield_drift: 0.002, volume: 0.9 },
    // Inflation scare: fast hikes, small caps hit hardest.
    Regime { until: 950, market_drift: -0.0003, market_vol: 0.014, small_cap_alpha: -0.0004, yield_drift: 0.011, volume: 1.2 },
    // Plateau.
    Regime { until: 1100, market_drift: 0.0004, market_vol: 0.010, small_cap_alpha: 0.0, yield_drift: 0.0, volume: 1.0 },
    // Cuts priced in: rotation into small caps.
    Regime { until: 1260, market_drift: 0.0007, market_vol: 0.010, small_cap_alpha: 0.0009, yield_drift: -0.004, volume: 1.1 },
];

/// Scripted days: `(bar, extra IWM return, volume multiple)`.
const EVENTS: [(usize, f64, f64); 6] = [
    (345, -0.045, 3.0), // breakdown on heavy volume
    (392, -0.055, 3.4), // capitulation
    (393, 0.050, 2.6),  // reversal
    (430, 0.025, 2.4),  // breakout of the base
    (1214, 0.028, 2.8), // breakout of the year's range
    (1215, 0.010, 1.9), // follow-through
];

/// Mean-reverting noise around a trend: keeps the scripted story (the trend)
/// recognisable while daily moves look like a market's.
struct Noise {
    level: f64,
}

impl Noise {
    fn step(&mut self, rng: &mut Rng, vol: f64) -> f64 {
        let before = self.level;
        self.level = 0.95 * self.level + vol * rng.normal();
        self.level - before
    }
}

/// Feeds the sample market to the aligner stream by stream and returns the
/// aligned bars.
fn sample_market(aligner: &mut Aligner) -> Vec<MarketBar> {
    let mut rng = Rng(42);
    let (mut market, mut small, mut rates) = (
        Noise { level: 0.0 },
        Noise { level: 0.0 },
        Noise { level: 0.0 },
    );
    let (mut iwm, mut spy, mut qqq) = (150.0_f64, 280.0_f64, 170.0_f64);
    let mut y_trend = 2.50_f64;
    // 2019-01-02, then business days.
    let mut day = 17_898_i64;
    let mut bars = Vec::with_capacity(1300);
    let mut regime = REGIMES.iter();
    let mut current = regime.next();
    for i in 0..1260_usize {
        while current.is_some_and(|r| i >= r.until) {
            current = regime.next();
        }
        let Some(r) = current else { break };
        let ts = day * 86_400;

        let y_before = y_trend + rates.level;
        y_trend = (y_trend + r.yield_drift).max(0.10);
        rates.step(&mut rng, 0.035);
        let y = (y_trend + rates.level).max(0.05);
        let dy = y - y_before;
        let m = r.market_drift + market.step(&mut rng, r.market_vol);
        let spy_ret = m + 0.002 * rng.normal();
        let qqq_ret = 1.1 * m + 0.0002 + 0.004 * rng.normal();
        let mut alpha = r.small_cap_alpha + small.step(&mut rng, 0.006);
        let mut volume_mult = r.volume;
        // The pullback that ends the sample: a dip on light volume.
        if (1240..1252).contains(&i) {
            alpha -= 0.007;
            volume_mult = 0.8;
        }
        if let Some(&(_, jump, vm)) = EVENTS.iter().find(|e| e.0 == i) {
            alpha += jump;
            volume_mult = vm;
        }
        let iwm_ret = 1.2 * m + alpha - 0.02 * dy;

        let open = iwm * (1.0 + 0.002 * rng.normal());
        iwm *= 1.0 + iwm_ret;
        spy *= 1.0 + spy_ret;
        qqq *= 1.0 + qqq_ret;
        let range = iwm * (0.004 + r.market_vol * 0.5 + iwm_ret.abs() * 0.3);
        let high = open.max(iwm) + range * rng.uniform() * 0.6;
        let low = open.min(iwm) - range * rng.uniform() * 0.6;
        let volume =
            (2.5e7 * volume_mult * (0.2 * rng.normal()).exp() * (1.0 + 8.0 * iwm_ret.abs()))
                .round();
        let bar = Bar::new(open, high, low, iwm, volume);

        // The streams arrive separately, in a different order each day; the
        // bond market is closed some days the stock market is open.
        let bond_holiday = i % 47 == 23;
        let mut ticks = [
            Some(Tick::Target(bar)),
            Some(Tick::Spy(spy)),
            Some(Tick::Qqq(qqq)),
            (!bond_holiday).then_some(Tick::Yield(y)),
        ];
        ticks.rotate_left(i % 4);
        for tick in ticks.into_iter().flatten() {
            if let Ok(Some(b)) = aligner.push(ts, tick) {
                bars.push(b);
            }
        }
        // A bond-market day without stock trading (a Good Friday).
        if i % 97 == 60 {
            if let Ok(Some(b)) = aligner.push(ts + 43_200, Tick::Yield(y)) {
                bars.push(b);
            }
        }
        day += if (day + 4).rem_euclid(7) == 5 { 3 } else { 1 }; // Fri → Mon
    }
    bars.extend(aligner.flush());
    bars
}
