//! `apex-ta chart`: SVG pictures of the APEX score ([`run`]) and of a
//! forward-return evaluation ([`evaluation_svg`]).
//!
//! Everything is drawn with plotters' primitives (rectangles, paths,
//! polygons, circles, text) on its SVG backend, laid out here in pixels: the
//! build has no font library, so text is written as SVG `<text>` anchored at
//! its end points and the layout never depends on measured text widths (it
//! leaves room from a generous estimate instead).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apex_ta::eval::{Evaluation, HorizonResult, LabelStats, PeriodResult, RankIc, ReturnStats};
use apex_ta::score::{ApexScorer, Label, LabelThresholds, APEX_SIGNALS};
use clap::Args;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::market::MarketArgs;
use crate::score::{score_bars, Scored};
use crate::{csvio, finish, format_date, Failure};

const EXAMPLES: &str = "\
Examples:
  apex-ta chart --out apex.svg                    # built-in sample market
  apex-ta chart --target IWM.csv --spy SPY.csv --qqq QQQ.csv --yield DGS2.csv \\
                --from 2024-01-01 --out iwm.svg
  apex-ta chart --target IWM.csv --spy SPY.csv --qqq QQQ.csv \\
                --from 2007-01-01 --to 2010-12-31 --title \"IWM through 2008\" --out gfc.svg

The score is computed over every bar of the files (so --from does not redo the
warm-up); --from and --to only choose the bars drawn. Open the SVG in a browser.";

/// Draw the APEX score over a market as an SVG chart.
///
/// Three panels over the same trading days: the target's price with each bar
/// coloured by its label (strong sell … strong buy), the score (0-100) over
/// the label bands, and the eight signals' contributions stacked per bar in
/// score points. Without files, draws the library's built-in sample market.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ChartArgs {
    #[command(flatten)]
    market: MarketArgs,
    /// Where to write the SVG
    #[arg(long, value_name = "FILE.svg")]
    out: PathBuf,
    /// First date drawn (the score is still computed from the first bar)
    #[arg(long, value_name = "DATE", value_parser = crate::parse_date)]
    from: Option<i64>,
    /// Last date drawn
    #[arg(long, value_name = "DATE", value_parser = crate::parse_date)]
    to: Option<i64>,
    /// Chart title [default: "APEX score — NAME, FROM to TO"]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
}

pub fn run(args: &ChartArgs) -> Result<ExitCode, Failure> {
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(Failure::usage(format!(
                "--from {} is after --to {}",
                format_date(from),
                format_date(to)
            )));
        }
    }
    let market = args.market.load()?;
    let scored = score_bars(&market.bars);
    let data = ScoreData::new(&scored, args.from, args.to);
    let (Some(first), Some(last)) = (data.bars.first(), data.bars.last()) else {
        return Err(Failure::usage(nothing_to_draw(&scored, args.from, args.to)));
    };
    let (first, last) = (format_date(first.timestamp), format_date(last.timestamp));
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("APEX score — {}, {first} to {last}", market.name));
    let with_score = scored.iter().filter(|s| s.score.is_some()).count();
    let subtitle = format!(
        "{}  ·  {} bars drawn; the score is computed over all {} bars ({} with a score)",
        market.title,
        data.bars.len(),
        scored.len(),
        with_score
    );
    let svg = render_score(&data, &market.name, &title, &subtitle)?;
    write_svg(&args.out, &svg)?;
    writeln!(
        io::stdout().lock(),
        "wrote {}: {} bars from {first} to {last}",
        args.out.display(),
        data.bars.len()
    )
    .map_err(|e| Failure::write(&e))?;
    Ok(finish(market.rejected))
}

/// Why there is nothing to draw, for the usage error.
fn nothing_to_draw(scored: &[Scored], from: Option<i64>, to: Option<i64>) -> String {
    let mut with_score = scored.iter().filter(|s| s.score.is_some());
    match (scored.first(), with_score.next()) {
        (None, _) => "the market has no bars to chart".to_string(),
        (Some(_), None) if scored.len() == 1 => {
            "the market's only bar has no score yet (the score needs a warm-up)".to_string()
        }
        (Some(_), None) => format!(
            "none of the {} bars has a score yet (the score needs a longer warm-up)",
            scored.len()
        ),
        (Some(_), Some(first)) => {
            let last = scored
                .iter()
                .rev()
                .find(|s| s.score.is_some())
                .unwrap_or(first);
            let range = match (from, to) {
                (Some(f), Some(t)) => format!("between {} and {}", format_date(f), format_date(t)),
                (Some(f), None) => format!("from {} on", format_date(f)),
                (None, Some(t)) => format!("up to {}", format_date(t)),
                (None, None) => "at all".to_string(),
            };
            format!(
                "no bar with a score {range}: scores run from {} to {}",
                format_date(first.bar.timestamp),
                format_date(last.bar.timestamp)
            )
        }
    }
}

/// Writes the SVG text to `path`.
fn write_svg(path: &Path, svg: &str) -> Result<(), Failure> {
    std::fs::write(path, svg)
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))
}

// ---------------------------------------------------------------------------
// Colours and text

/// The five labels, bearish to bullish (the order of `LabelStats` arrays).
const LABELS: [Label; 5] = [
    Label::StrongSell,
    Label::Sell,
    Label::Neutral,
    Label::Buy,
    Label::StrongBuy,
];

/// A diverging red–grey–blue scheme (ColorBrewer RdBu), readable with the
/// common colour-vision deficiencies.
fn label_color(label: Label) -> RGBColor {
    match label {
        Label::StrongSell => RGBColor(0xb2, 0x18, 0x2b),
        Label::Sell => RGBColor(0xef, 0x8a, 0x62),
        Label::Neutral => RGBColor(0xba, 0xba, 0xba),
        Label::Buy => RGBColor(0x67, 0xa9, 0xcf),
        Label::StrongBuy => RGBColor(0x21, 0x66, 0xac),
    }
}

/// A darker shade of a label's colour for text on white (the neutral grey
/// is too light to read).
fn label_ink(label: Label) -> RGBColor {
    match label {
        Label::Neutral => RGBColor(0x70, 0x70, 0x70),
        Label::Sell => RGBColor(0xc8, 0x5a, 0x2e),
        Label::Buy => RGBColor(0x3a, 0x84, 0xb4),
        other => label_color(other),
    }
}

/// Paul Tol's "muted" qualitative scheme (colour-blind safe), then a few
/// greys should a score carry more components.
const COMPONENT_COLORS: [RGBColor; 12] = [
    RGBColor(0xcc, 0x66, 0x77), // rose
    RGBColor(0x33, 0x22, 0x88), // indigo
    RGBColor(0xdd, 0xcc, 0x77), // sand
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x88, 0xcc, 0xee), // cyan
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0x44, 0xaa, 0x99), // teal
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xaa, 0x44, 0x99), // purple
    RGBColor(0x55, 0x55, 0x55),
    RGBColor(0x88, 0x88, 0x88),
    RGBColor(0xbb, 0xbb, 0xbb),
];

fn component_color(i: usize) -> RGBColor {
    COMPONENT_COLORS
        .get(i % COMPONENT_COLORS.len())
        .copied()
        .unwrap_or(INK)
}

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const FRAME: RGBColor = RGBColor(0x99, 0x99, 0x99);
const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// Rough width of `text` at `px` pixels: no font metrics here, so an
/// average glyph is taken as 0.6 em (a little wider than most sans-serif
/// lower case), used only to leave room.
fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * 0.6
}

/// How one piece of text is set.
#[derive(Clone, Copy)]
struct Font {
    px: f64,
    color: RGBColor,
    h: HPos,
    v: VPos,
    bold: bool,
    vertical: bool,
}

impl Font {
    fn new(px: f64) -> Font {
        Font {
            px,
            color: INK,
            h: HPos::Left,
            v: VPos::Center,
            bold: false,
            vertical: false,
        }
    }
    fn color(self, color: RGBColor) -> Font {
        Font { color, ..self }
    }
    fn anchor(self, h: HPos, v: VPos) -> Font {
        Font { h, v, ..self }
    }
    fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
    /// Reading upwards (a y-axis title).
    fn vertical(self) -> Font {
        Font {
            vertical: true,
            ..self
        }
    }
}

/// A pixel coordinate from a float (rounded, clamped to the canvas range,
/// NaN to 0).
#[allow(clippy::cast_possible_truncation)]
fn px(v: f64) -> i32 {
    if v.is_nan() {
        0
    } else {
        v.round().clamp(-100_000.0, 100_000.0) as i32
    }
}

fn pt(x: f64, y: f64) -> (i32, i32) {
    (px(x), px(y))
}

fn draw_error(e: &impl std::fmt::Display) -> Failure {
    Failure::input(format!("cannot draw the chart: {e}"))
}

/// The SVG being drawn, in pixel coordinates.
struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

impl<'a> Canvas<'a> {
    fn new(buffer: &'a mut String, size: (u32, u32)) -> Result<Canvas<'a>, Failure> {
        let area = SVGBackend::with_string(buffer, size).into_drawing_area();
        area.fill(&WHITE).map_err(|e| draw_error(&e))?;
        Ok(Canvas { area })
    }

    fn finish(self) -> Result<(), Failure> {
        self.area.present().map_err(|e| draw_error(&e))
    }

    fn fill(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        color: RGBAColor,
    ) -> Result<(), Failure> {
        let style = ShapeStyle {
            color,
            filled: true,
            stroke_width: 0,
        };
        self.area
            .draw(&Rectangle::new([pt(x0, y0), pt(x1, y1)], style))
            .map_err(|e| draw_error(&e))
    }

    fn outline(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        color: RGBColor,
    ) -> Result<(), Failure> {
        self.area
            .draw(&Rectangle::new(
                [pt(x0, y0), pt(x1, y1)],
                color.stroke_width(1),
            ))
            .map_err(|e| draw_error(&e))
    }

    fn line(&self, points: &[(f64, f64)], color: RGBAColor, width: u32) -> Result<(), Failure> {
        if points.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: width,
        };
        let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| pt(x, y)).collect();
        self.area
            .draw(&PathElement::new(points, style))
            .map_err(|e| draw_error(&e))
    }

    fn dashed(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        color: RGBAColor,
        width: u32,
    ) -> Result<(), Failure> {
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: width,
        };
        self.area
            .draw(&DashedPathElement::new(
                [pt(from.0, from.1), pt(to.0, to.1)],
                5,
                4,
                style,
            ))
            .map_err(|e| draw_error(&e))
    }

    fn circle(&self, (x, y): (f64, f64), radius: u32, style: ShapeStyle) -> Result<(), Failure> {
        self.area
            .draw(&Circle::new(pt(x, y), radius, style))
            .map_err(|e| draw_error(&e))
    }

    fn text(&self, text: &str, (x, y): (f64, f64), font: Font) -> Result<(), Failure> {
        if text.is_empty() {
            return Ok(());
        }
        let color = font.color;
        let weight = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        // The SVG backend writes `font-size = size / 1.24`.
        let mut style =
            TextStyle::from(FontDesc::new(FontFamily::SansSerif, font.px * 1.24, weight))
                .color(&color)
                .pos(Pos::new(font.h, font.v));
        if font.vertical {
            style = style.transform(FontTransform::Rotate270);
        }
        self.area
            .draw(&Text::new(text.to_string(), pt(x, y), style))
            .map_err(|e| draw_error(&e))
    }

    /// A legend: coloured swatches with names, laid out leftwards from
    /// `right` (so the legend ends at `right`), vertically centred on `y`.
    /// Returns where the legend begins.
    fn legend(
        &self,
        items: &[(String, Swatch)],
        right: f64,
        y: f64,
        size: f64,
    ) -> Result<f64, Failure> {
        let gap = 18.0;
        let swatch = size;
        let widths: Vec<f64> = items
            .iter()
            .map(|(name, _)| swatch + 5.0 + text_width(name, size))
            .collect();
        let total: f64 = widths.iter().sum::<f64>() + gap * items.len().saturating_sub(1) as f64;
        let mut x = right - total;
        let start = x;
        for ((name, kind), w) in items.iter().zip(&widths) {
            let (x0, y0) = (x, y - swatch / 2.0);
            match *kind {
                Swatch::Box(c) => self.fill((x0, y0), (x0 + swatch, y0 + swatch), c.to_rgba())?,
                Swatch::Line(c) => self.line(&[(x0, y), (x0 + swatch, y)], c.to_rgba(), 2)?,
                Swatch::Dashed(c) => {
                    self.dashed((x0, y), (x0 + swatch + 4.0, y), c.to_rgba(), 1)?;
                }
                Swatch::Dot(c, filled) => {
                    let style = if filled {
                        c.filled()
                    } else {
                        c.stroke_width(2)
                    };
                    self.circle((x0 + swatch / 2.0, y), 4, style)?;
                }
            }
            self.text(name, (x0 + swatch + 5.0, y), Font::new(size).color(INK))?;
            x += w + gap;
        }
        Ok(start)
    }
}

/// A legend entry's mark.
#[derive(Debug, Clone, Copy)]
enum Swatch {
    Box(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Dot(RGBColor, bool),
}

// ---------------------------------------------------------------------------
// Scales and ticks

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    /// Pixel of `lo`.
    from: f64,
    /// Pixel of `hi`.
    to: f64,
}

impl Scale {
    fn map(&self, v: f64) -> f64 {
        let span = self.hi - self.lo;
        if span > 0.0 && span.is_finite() {
            self.from + (v - self.lo) / span * (self.to - self.from)
        } else {
            f64::midpoint(self.from, self.to)
        }
    }
    /// `map`, clamped to the scale's pixel range.
    fn clamped(&self, v: f64) -> f64 {
        let (a, b) = if self.from <= self.to {
            (self.from, self.to)
        } else {
            (self.to, self.from)
        };
        self.map(v).clamp(a, b)
    }
}

/// The data range `[lo, hi]` of finite values, widened by `pad` of the span
/// on both sides (and around a single value so the axis is never empty).
fn padded_range(values: impl Iterator<Item = f64>, pad: f64) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return None;
    }
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        Some((lo - span * pad, hi + span * pad))
    } else {
        let half = (lo.abs() * 0.01)
            .max(1e-9)
            .max(if lo == 0.0 { 1.0 } else { 0.0 });
        Some((lo - half, hi + half))
    }
}

/// About `count` round tick values within `[lo, hi]`, and the decimals to
/// print them with.
fn nice_ticks(lo: f64, hi: f64, count: usize) -> (Vec<f64>, usize) {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) || count == 0 {
        return (Vec::new(), 0);
    }
    let raw = span / count as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let mut ticks = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + step * 1e-9 && ticks.len() < 100 {
        // 0 rather than -0.
        ticks.push(k * step + 0.0);
        k += 1.0;
    }
    let decimals = decimals_for(step);
    (ticks, decimals)
}

/// Decimals that show a multiple of `step` exactly enough.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn decimals_for(step: f64) -> usize {
    if !(step > 0.0 && step.is_finite()) {
        return 0;
    }
    if step >= 1.0 {
        // 2.5 needs one.
        return usize::from(step.fract() != 0.0);
    }
    let d = (-step.log10()).ceil().clamp(0.0, 8.0) as usize;
    // 0.25 needs two.
    let scaled = step * 10f64.powf(d as f64);
    if (scaled.round() - scaled).abs() > 1e-6 {
        d + 1
    } else {
        d
    }
}

fn format_tick(v: f64, decimals: usize) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    format!("{v:.decimals$}")
}

/// Month number since year 0 of a timestamp (for month ticks).
fn month_index(ts: i64) -> i64 {
    let (y, m, _) = csvio::civil_from_days(ts.div_euclid(86_400));
    y * 12 + m - 1
}

/// Date ticks for bars at these timestamps (x = bar index): `(index,
/// label)`, about 8–12 of them. Month starts (`YYYY-MM`, every 1, 2, 3, 6,
/// 12, … months) when the bars span half a year or more, else every k-th
/// bar (`YYYY-MM-DD`).
fn date_ticks(timestamps: &[i64]) -> Vec<(usize, String)> {
    let (Some(&first), Some(&last)) = (timestamps.first(), timestamps.last()) else {
        return Vec::new();
    };
    let months = month_index(last) - month_index(first);
    if months >= 5 {
        let step = [1, 2, 3, 6, 12, 24, 36, 60, 120, 240, 600]
            .into_iter()
            .find(|s| months / s <= 10)
            .unwrap_or(1200);
        let mut ticks = Vec::new();
        let mut previous = month_index(first);
        for (i, &ts) in timestamps.iter().enumerate().skip(1) {
            let m = month_index(ts);
            if m != previous && m.rem_euclid(step) == 0 {
                let (y, mm, _) = csvio::civil_from_days(ts.div_euclid(86_400));
                ticks.push((i, format!("{y:04}-{mm:02}")));
            }
            previous = m;
        }
        if ticks.len() >= 3 {
            return ticks;
        }
    }
    let n = timestamps.len();
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        .into_iter()
        .find(|k| n.div_ceil(*k) <= 10)
        .unwrap_or(n.div_ceil(10).max(1));
    timestamps
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, &ts)| (i, format_date(ts)))
        .collect()
}

// ---------------------------------------------------------------------------
// The score chart

/// One drawn bar.
#[derive(Debug, Clone)]
struct ChartBar {
    timestamp: i64,
    high: f64,
    low: f64,
    close: f64,
    score: f64,
    label: Label,
    /// Contributions in score points, by index into `ScoreData::names`.
    contributions: Vec<f64>,
}

/// The bars to draw and the components' names.
#[derive(Debug, Clone)]
struct ScoreData {
    bars: Vec<ChartBar>,
    names: Vec<&'static str>,
    thresholds: LabelThresholds,
}

impl ScoreData {
    /// The bars with a score within `[from, to]`.
    fn new(scored: &[Scored], from: Option<i64>, to: Option<i64>) -> ScoreData {
        let mut names: Vec<&'static str> = APEX_SIGNALS.to_vec();
        let within = |ts: i64| from.is_none_or(|f| ts >= f) && to.is_none_or(|t| ts <= t);
        let picked: Vec<_> = scored
            .iter()
            .filter(|s| within(s.bar.timestamp))
            .filter_map(|s| s.score.map(|score| (s, score)))
            .collect();
        for (_, score) in &picked {
            for c in score.components() {
                if !names.contains(&c.name) {
                    names.push(c.name);
                }
            }
        }
        let bars = picked
            .into_iter()
            .map(|(s, score)| {
                let mut contributions = vec![0.0; names.len()];
                for c in score.components() {
                    let slot = names
                        .iter()
                        .position(|n| *n == c.name)
                        .and_then(|i| contributions.get_mut(i));
                    if let Some(slot) = slot {
                        *slot += if c.contribution.is_finite() {
                            c.contribution
                        } else {
                            0.0
                        };
                    }
                }
                ChartBar {
                    timestamp: s.bar.timestamp,
                    high: s.bar.target.high,
                    low: s.bar.target.low,
                    close: s.bar.target.close,
                    score: score.value(),
                    label: score.label(),
                    contributions,
                }
            })
            .collect();
        ScoreData {
            bars,
            names,
            thresholds: *ApexScorer::<f64>::default().composite().labels(),
        }
    }
}

const SCORE_SIZE: (u32, u32) = (1400, 900);

/// Pixel layout of the score chart.
mod layout {
    pub const LEFT: f64 = 86.0;
    pub const RIGHT: f64 = 1400.0 - 96.0;
    pub const TITLE_Y: f64 = 26.0;
    pub const SUBTITLE_Y: f64 = 50.0;
    /// Height of a panel's caption line above its plot.
    pub const HEADER: f64 = 26.0;
    pub const GAP: f64 = 10.0;
    pub const TOP: f64 = 70.0;
    pub const BOTTOM: f64 = 900.0 - 52.0;
}

/// The score chart as SVG text.
fn render_score(
    data: &ScoreData,
    name: &str,
    title: &str,
    subtitle: &str,
) -> Result<String, Failure> {
    use layout::{BOTTOM, GAP, HEADER, LEFT, RIGHT, SUBTITLE_Y, TITLE_Y, TOP};
    let n = data.bars.len();
    if n == 0 {
        return Err(Failure::usage("no scored bars to draw"));
    }
    let mut buffer = String::new();
    {
        let canvas = Canvas::new(&mut buffer, SCORE_SIZE)?;
        let (title, size) = fit(title, 20.0, RIGHT - LEFT);
        canvas.text(&title, (LEFT, TITLE_Y), Font::new(size).bold())?;
        let (subtitle, size) = fit(subtitle, 12.0, f64::from(SCORE_SIZE.0) - LEFT - 16.0);
        canvas.text(&subtitle, (LEFT, SUBTITLE_Y), Font::new(size).color(MUTED))?;

        let plots = BOTTOM - TOP - 3.0 * HEADER - 2.0 * GAP;
        let price_top = TOP + HEADER;
        let price_bottom = price_top + plots * 0.45;
        let score_top = price_bottom + GAP + HEADER;
        let score_bottom = score_top + plots * 0.25;
        let contrib_top = score_bottom + GAP + HEADER;
        let contrib_bottom = BOTTOM;

        let x = Scale {
            lo: 0.0,
            hi: n as f64,
            from: LEFT,
            to: RIGHT,
        };
        let timestamps: Vec<i64> = data.bars.iter().map(|b| b.timestamp).collect();
        let ticks = thin_ticks(&date_ticks(&timestamps), &x, 12.0);

        let panels = [
            (price_top, price_bottom),
            (score_top, score_bottom),
            (contrib_top, contrib_bottom),
        ];
        for &(top, bottom) in &panels {
            for (i, _) in &ticks {
                let xp = x.map(*i as f64 + 0.5);
                canvas.line(&[(xp, top), (xp, bottom)], GRID.to_rgba(), 1)?;
            }
        }

        draw_price(&canvas, data, name, &x, (price_top, price_bottom))?;
        draw_score_panel(&canvas, data, &x, (score_top, score_bottom))?;
        draw_contributions(&canvas, data, &x, (contrib_top, contrib_bottom))?;

        for &(top, bottom) in &panels {
            canvas.outline((LEFT, top), (RIGHT, bottom), FRAME)?;
        }
        // The shared date axis, under the bottom panel.
        for (i, label) in &ticks {
            let xp = x.map(*i as f64 + 0.5);
            canvas.line(&[(xp, BOTTOM), (xp, BOTTOM + 5.0)], FRAME.to_rgba(), 1)?;
            canvas.text(
                label,
                (xp, BOTTOM + 8.0),
                Font::new(12.0).anchor(HPos::Center, VPos::Top),
            )?;
        }
        canvas.text(
            "date (one slot per trading day: weekends and holidays leave no gaps)",
            (f64::midpoint(LEFT, RIGHT), BOTTOM + 32.0),
            Font::new(12.0).color(MUTED).anchor(HPos::Center, VPos::Top),
        )?;
        canvas.finish()?;
    }
    Ok(buffer)
}

/// Drops date ticks whose labels would touch the previous one.
fn thin_ticks(ticks: &[(usize, String)], x: &Scale, font: f64) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut right_edge = f64::NEG_INFINITY;
    for (i, label) in ticks {
        let xp = x.map(*i as f64 + 0.5);
        let half = text_width(label, font) / 2.0;
        if xp - half >= right_edge + 8.0 && xp - half >= x.from - 30.0 && xp + half <= x.to + 40.0 {
            out.push((*i, label.clone()));
            right_edge = xp + half;
        }
    }
    out
}

/// Horizontal grid lines and left-axis labels for `ticks`.
fn y_axis(
    canvas: &Canvas,
    y: &Scale,
    ticks: &[f64],
    decimals: usize,
    title: &str,
    (top, bottom): (f64, f64),
) -> Result<(), Failure> {
    use layout::{LEFT, RIGHT};
    for &v in ticks {
        let yp = y.map(v);
        if yp < top - 0.5 || yp > bottom + 0.5 {
            continue;
        }
        canvas.line(&[(LEFT, yp), (RIGHT, yp)], GRID.to_rgba(), 1)?;
        canvas.line(&[(LEFT - 4.0, yp), (LEFT, yp)], FRAME.to_rgba(), 1)?;
        canvas.text(
            &format_tick(v, decimals),
            (LEFT - 7.0, yp),
            Font::new(12.0).anchor(HPos::Right, VPos::Center),
        )?;
    }
    axis_title(canvas, title, (top, bottom))
}

/// A y-axis title, reading upwards, left of the tick labels.
fn axis_title(canvas: &Canvas, title: &str, (top, bottom): (f64, f64)) -> Result<(), Failure> {
    canvas.text(
        title,
        (16.0, f64::midpoint(top, bottom)),
        Font::new(12.5)
            .color(MUTED)
            .anchor(HPos::Center, VPos::Center)
            .vertical(),
    )
}

fn draw_price(
    canvas: &Canvas,
    data: &ScoreData,
    name: &str,
    x: &Scale,
    (top, bottom): (f64, f64),
) -> Result<(), Failure> {
    use layout::{HEADER, LEFT, RIGHT};
    let Some((lo, hi)) = padded_range(
        data.bars.iter().flat_map(|b| [b.low, b.high, b.close]),
        0.04,
    ) else {
        return Ok(());
    };
    let y = Scale {
        lo,
        hi,
        from: bottom,
        to: top,
    };
    let (ticks, decimals) = nice_ticks(lo, hi, 6);
    y_axis(canvas, &y, &ticks, decimals, "price (close)", (top, bottom))?;

    // The close first, thin and grey, then the coloured high-low marks over
    // it: at 1000 bars a mark is a pixel wide, and the colours must win.
    let close: Vec<(f64, f64)> = data
        .bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.close.is_finite())
        .map(|(i, b)| (x.map(i as f64 + 0.5), y.clamped(b.close)))
        .collect();
    canvas.line(&close, MUTED.mix(0.7), 1)?;
    let slot = (x.to - x.from) / data.bars.len() as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let width = (slot * 0.7).clamp(2.0, 7.0).round() as u32;
    for (i, b) in data.bars.iter().enumerate() {
        if !(b.low.is_finite() && b.high.is_finite()) {
            continue;
        }
        let xp = x.map(i as f64 + 0.5);
        let (y0, y1) = (y.clamped(b.low), y.clamped(b.high));
        // At least a 3-pixel mark for a bar whose high equals its low.
        let (y0, y1) = if (y0 - y1).abs() < 3.0 {
            let mid = f64::midpoint(y0, y1);
            (mid + 1.5, mid - 1.5)
        } else {
            (y0, y1)
        };
        canvas.line(&[(xp, y0), (xp, y1)], label_color(b.label).to_rgba(), width)?;
    }

    let header_y = top - HEADER / 2.0;
    canvas.text(
        &format!("{name}: each bar's high–low range, coloured by its label (grey line: close)"),
        (LEFT, header_y),
        Font::new(13.0).bold(),
    )?;
    let mut counts = [0usize; 5];
    for b in &data.bars {
        if let Some(c) = LABELS
            .iter()
            .position(|l| *l == b.label)
            .and_then(|i| counts.get_mut(i))
        {
            *c += 1;
        }
    }
    let items: Vec<(String, Swatch)> = LABELS
        .iter()
        .zip(counts)
        .map(|(l, c)| {
            (
                format!("{} ({c})", l.as_str()),
                Swatch::Box(label_color(*l)),
            )
        })
        .collect();
    canvas.legend(&items, RIGHT, header_y, 12.0)?;
    Ok(())
}

fn draw_score_panel(
    canvas: &Canvas,
    data: &ScoreData,
    x: &Scale,
    (top, bottom): (f64, f64),
) -> Result<(), Failure> {
    use layout::{HEADER, LEFT, RIGHT};
    let y = Scale {
        lo: 0.0,
        hi: 100.0,
        from: bottom,
        to: top,
    };
    let t = &data.thresholds;
    let bands = [
        (Label::StrongSell, 0.0, t.strong_sell),
        (Label::Sell, t.strong_sell, t.sell),
        (Label::Neutral, t.sell, t.buy),
        (Label::Buy, t.buy, t.strong_buy),
        (Label::StrongBuy, t.strong_buy, 100.0),
    ];
    for (label, lo, hi) in bands {
        if hi <= lo {
            continue;
        }
        let alpha = if label == Label::Neutral { 0.22 } else { 0.2 };
        canvas.fill(
            (LEFT, y.map(hi)),
            (RIGHT, y.map(lo)),
            label_color(label).mix(alpha),
        )?;
        // The band's name in the right margin, in its colour.
        let mid = y.map(f64::midpoint(lo, hi));
        if (y.map(lo) - y.map(hi)).abs() >= 11.0 {
            canvas.text(
                label.as_str(),
                (RIGHT + 8.0, mid),
                Font::new(12.0).color(label_ink(label)),
            )?;
        }
    }
    let mut ticks = vec![0.0, t.strong_sell, t.sell, t.buy, t.strong_buy, 100.0];
    ticks.dedup();
    for &v in &ticks {
        let yp = y.map(v);
        canvas.line(&[(LEFT - 4.0, yp), (LEFT, yp)], FRAME.to_rgba(), 1)?;
        canvas.text(
            &format_tick(v, usize::from(v.fract() != 0.0)),
            (LEFT - 7.0, yp),
            Font::new(12.0).anchor(HPos::Right, VPos::Center),
        )?;
        if v > 0.0 && v < 100.0 {
            canvas.line(&[(LEFT, yp), (RIGHT, yp)], WHITE.mix(0.9), 1)?;
        }
    }
    let neutral = y.map(apex_ta::score::NEUTRAL);
    canvas.dashed((LEFT, neutral), (RIGHT, neutral), MUTED.mix(0.6), 1)?;
    axis_title(canvas, "score (0–100)", (top, bottom))?;

    let line: Vec<(f64, f64)> = data
        .bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.score.is_finite())
        .map(|(i, b)| (x.map(i as f64 + 0.5), y.clamped(b.score)))
        .collect();
    if line.len() == 1 {
        if let Some(&p) = line.first() {
            canvas.circle(p, 3, INK.filled())?;
        }
    }
    canvas.line(&line, INK.to_rgba(), 1)?;

    let header_y = top - HEADER / 2.0;
    canvas.text(
        "APEX score over the label bands (thresholds on the axis)",
        (LEFT, header_y),
        Font::new(13.0).bold(),
    )?;
    canvas.legend(
        &[
            ("score".to_string(), Swatch::Line(INK)),
            ("50 = neutral".to_string(), Swatch::Dashed(MUTED)),
        ],
        RIGHT,
        header_y,
        12.0,
    )?;
    Ok(())
}

/// Bars per drawn column so that a column is at least 2 pixels wide
/// (long spans average neighbouring bars).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn bars_per_column(n: usize, width: f64) -> usize {
    let columns = (width / 2.0).floor().max(1.0) as usize;
    n.div_ceil(columns).max(1)
}

fn draw_contributions(
    canvas: &Canvas,
    data: &ScoreData,
    x: &Scale,
    (top, bottom): (f64, f64),
) -> Result<(), Failure> {
    use layout::{HEADER, LEFT, RIGHT};
    let n = data.bars.len();
    let k = data.names.len();
    let group = bars_per_column(n, x.to - x.from);
    // Columns: the mean contributions of `group` consecutive bars.
    let columns: Vec<(usize, usize, Vec<f64>)> = (0..n)
        .step_by(group)
        .map(|start| {
            let end = (start + group).min(n);
            let mut mean = vec![0.0; k];
            for b in data.bars.get(start..end).unwrap_or(&[]) {
                for (m, c) in mean.iter_mut().zip(&b.contributions) {
                    *m += c;
                }
            }
            let count = (end - start).max(1) as f64;
            for m in &mut mean {
                *m /= count;
            }
            (start, end, mean)
        })
        .collect();
    let sums = columns.iter().flat_map(|(_, _, c)| {
        let up: f64 = c.iter().filter(|v| **v > 0.0).sum();
        let down: f64 = c.iter().filter(|v| **v < 0.0).sum();
        [up, down]
    });
    let (lo, hi) = padded_range(sums.chain([0.0]), 0.06).unwrap_or((-1.0, 1.0));
    let y = Scale {
        lo,
        hi,
        from: bottom,
        to: top,
    };
    let (ticks, decimals) = nice_ticks(lo, hi, 5);
    y_axis(canvas, &y, &ticks, decimals, "score points", (top, bottom))?;

    for (start, end, values) in &columns {
        let (mut x0, mut x1) = (x.map(*start as f64), x.map(*end as f64));
        if x1 - x0 >= 4.0 {
            let inset = (x1 - x0) * 0.12;
            x0 += inset;
            x1 -= inset;
        }
        let (mut up, mut down) = (0.0, 0.0);
        for (i, &v) in values.iter().enumerate() {
            if v == 0.0 || !v.is_finite() {
                continue;
            }
            let (from, to) = if v > 0.0 {
                up += v;
                (up - v, up)
            } else {
                down += v;
                (down - v, down)
            };
            canvas.fill(
                (x0, y.clamped(to)),
                (x1, y.clamped(from)),
                component_color(i).to_rgba(),
            )?;
        }
    }
    let zero = y.map(0.0);
    canvas.line(&[(LEFT, zero), (RIGHT, zero)], INK.to_rgba(), 1)?;

    let header_y = top - HEADER / 2.0;
    let items: Vec<(String, Swatch)> = data
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| ((*name).to_string(), Swatch::Box(component_color(i))))
        .collect();
    let start = canvas.legend(&items, RIGHT, header_y, 12.0)?;
    // The longest caption that leaves room for the legend.
    let captions = if group > 1 {
        [
            format!("Contributions by signal (score points, mean of every {group} bars; they add up to score − 50)"),
            format!("Contributions by signal (score points, mean of every {group} bars)"),
            format!("Contributions (score points, {group}-bar means)"),
        ]
    } else {
        [
            "Contributions by signal (score points; they add up to score − 50)".to_string(),
            "Contributions by signal (score points)".to_string(),
            "Contributions (score points)".to_string(),
        ]
    };
    let fits = |c: &&String| LEFT + text_width(c, 13.0) + 16.0 <= start;
    let caption = captions
        .iter()
        .find(fits)
        .or(captions.last())
        .cloned()
        .unwrap_or_default();
    canvas.text(&caption, (LEFT, header_y), Font::new(13.0).bold())?;
    Ok(())
}

/// A font size at most `max` (and at least 10) at which `text` fits `width`
/// pixels, and the text itself, shortened in the middle if even 10 px is too
/// wide.
fn fit(text: &str, max: f64, width: f64) -> (String, f64) {
    let size = (width / (text.chars().count().max(1) as f64 * 0.6)).clamp(10.0, max);
    if text_width(text, size) <= width {
        return (text.to_string(), size);
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let keep = ((width / (size * 0.6)).floor() as usize).saturating_sub(1);
    let chars: Vec<char> = text.chars().collect();
    let head = keep / 2;
    let tail = keep - head;
    let mut short: String = chars.iter().take(head).collect();
    short.push('…');
    short.extend(chars.iter().skip(chars.len().saturating_sub(tail)));
    (short, size)
}

// ---------------------------------------------------------------------------
// The evaluation chart

/// Draws an evaluation: the mean forward return per label with its
/// bootstrap interval, one panel per horizon (absolute returns, and a second
/// row relative to the benchmark when the evaluation has them), the two
/// periods of a split side by side, and writes it to `path` as SVG.
///
/// # Errors
///
/// [`Failure::usage`] when the evaluation has no horizon;
/// [`Failure::input`] naming `path` when it cannot be written.
pub fn evaluation_svg(
    path: &Path,
    title: &str,
    eval: &apex_ta::eval::Evaluation,
) -> Result<(), Failure> {
    let svg = render_evaluation(title, eval)?;
    write_svg(path, &svg)
}

/// Which returns a row of panels shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Returns {
    Absolute,
    Relative,
}

impl Returns {
    fn of(self, period: &PeriodResult) -> Option<&ReturnStats> {
        match self {
            Returns::Absolute => Some(&period.absolute),
            Returns::Relative => period.relative.as_ref(),
        }
    }
}

/// One period's mark: its stats, and whether its dot is filled.
#[derive(Debug, Clone, Copy)]
struct Mark<'a> {
    stats: &'a ReturnStats,
    filled: bool,
}

const EVAL_WIDTH: u32 = 1400;
/// Panels per row.
const EVAL_COLUMNS: usize = 4;
/// Categories of a panel: the five labels and "all bars".
const CATEGORIES: usize = 6;

/// Pixel heights of the evaluation chart.
mod eval_layout {
    pub const MARGIN: f64 = 24.0;
    pub const TOP: f64 = 96.0;
    pub const ROW_TITLE: f64 = 30.0;
    /// Horizon line plus one IC line, or two with a split.
    pub const PANEL_HEADER: f64 = 42.0;
    pub const PANEL_HEADER_SPLIT: f64 = 57.0;
    pub const PLOT: f64 = 240.0;
    /// Category names and counts under the plot.
    pub const FOOT: f64 = 50.0;
    pub const ROW_GAP: f64 = 18.0;
    /// Room for the y tick labels left of each plot.
    pub const Y_LABELS: f64 = 58.0;
    pub const BOTTOM: f64 = 36.0;
}

fn ic_text(ic: &RankIc) -> String {
    let Some(value) = ic.ic.filter(|v| v.is_finite()) else {
        return "IC n/a".to_string();
    };
    let mut text = format!("IC {value:+.3}");
    if let Some(i) = ic.interval.filter(|i| i.lo.is_finite() && i.hi.is_finite()) {
        let _ = write!(text, " [{:+.3}, {:+.3}]", i.lo, i.hi);
    }
    if let Some(t) = ic.t_stat.filter(|t| t.is_finite()) {
        let _ = write!(text, ", t {t:.1}");
    }
    text
}

/// "YYYY-MM-DD to YYYY-MM-DD" of a period, or "" when empty.
fn period_span(period: &PeriodResult) -> String {
    match (period.first, period.last) {
        (Some(a), Some(b)) => format!("{} to {}", format_date(a), format_date(b)),
        _ => String::new(),
    }
}

/// The evaluation chart as SVG text.
fn render_evaluation(title: &str, eval: &Evaluation) -> Result<String, Failure> {
    use eval_layout::{
        BOTTOM, FOOT, MARGIN, PANEL_HEADER, PANEL_HEADER_SPLIT, PLOT, ROW_GAP, ROW_TITLE, TOP,
    };
    let horizons = &eval.horizons;
    if horizons.is_empty() {
        return Err(Failure::usage("the evaluation has no horizon to draw"));
    }
    let split = horizons
        .iter()
        .any(|h| h.before.is_some() || h.after.is_some());
    let kinds: Vec<Returns> = if horizons.iter().any(|h| h.full.relative.is_some()) {
        vec![Returns::Absolute, Returns::Relative]
    } else {
        vec![Returns::Absolute]
    };
    // At most EVAL_COLUMNS panels a row, the rows balanced (5 = 3 + 2).
    let groups = horizons.len().div_ceil(EVAL_COLUMNS);
    let columns = horizons.len().div_ceil(groups);
    let header = if split {
        PANEL_HEADER_SPLIT
    } else {
        PANEL_HEADER
    };
    let row_height = ROW_TITLE + header + PLOT + FOOT + ROW_GAP;
    let height = TOP + row_height * (kinds.len() * groups) as f64 + BOTTOM;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let size = (EVAL_WIDTH, height.ceil().min(60_000.0) as u32);
    let width = f64::from(EVAL_WIDTH);

    let mut buffer = String::new();
    {
        let canvas = Canvas::new(&mut buffer, size)?;
        let (title, title_px) = fit(title, 20.0, width - 2.0 * MARGIN);
        canvas.text(&title, (MARGIN, 26.0), Font::new(title_px).bold())?;
        let explain = "Mean forward return per label (dot) with its bootstrap interval (whisker); \
                       n = bars per label; dashed line: mean of all bars over the whole period.";
        canvas.text(explain, (MARGIN, 52.0), Font::new(12.5).color(MUTED))?;
        let legend: Vec<(String, Swatch)> = if split {
            let first = horizons.first();
            let span = |p: Option<&PeriodResult>| p.map(period_span).unwrap_or_default();
            vec![
                (
                    format!("before: {}", span(first.and_then(|h| h.before.as_ref()))),
                    Swatch::Dot(INK, true),
                ),
                (
                    format!("after: {}", span(first.and_then(|h| h.after.as_ref()))),
                    Swatch::Dot(INK, false),
                ),
                ("all bars".to_string(), Swatch::Dashed(MUTED)),
            ]
        } else {
            let span = horizons
                .first()
                .map(|h| period_span(&h.full))
                .unwrap_or_default();
            vec![
                (format!("mean, {span}"), Swatch::Dot(INK, true)),
                ("all bars".to_string(), Swatch::Dashed(MUTED)),
            ]
        };
        canvas.legend(&legend, width - MARGIN, 76.0, 12.5)?;

        let panel_width = (width - 2.0 * MARGIN) / columns as f64;
        let mut row_top = TOP;
        for &kind in &kinds {
            for (g, chunk) in horizons.chunks(columns).enumerate() {
                let caption = match kind {
                    Returns::Absolute => "Forward return of the target",
                    Returns::Relative => {
                        "Forward return relative to the benchmark (target − benchmark)"
                    }
                };
                let caption = if groups > 1 {
                    format!("{caption} ({} of {groups})", g + 1)
                } else {
                    caption.to_string()
                };
                canvas.text(
                    &caption,
                    (MARGIN, row_top + ROW_TITLE / 2.0),
                    Font::new(15.0).bold(),
                )?;
                for (c, horizon) in chunk.iter().enumerate() {
                    let left = MARGIN + panel_width * c as f64;
                    draw_horizon(
                        &canvas,
                        horizon,
                        kind,
                        (left, left + panel_width),
                        (row_top + ROW_TITLE, header),
                    )?;
                }
                row_top += row_height;
            }
        }
        canvas.finish()?;
    }
    Ok(buffer)
}

/// A plot area, in pixels.
#[derive(Debug, Clone, Copy)]
struct Area {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// One horizon's panel: header (horizon, IC), the dots and whiskers per
/// category, the category names and counts.
fn draw_horizon(
    canvas: &Canvas,
    horizon: &HorizonResult,
    kind: Returns,
    (left, right): (f64, f64),
    (top, header): (f64, f64),
) -> Result<(), Failure> {
    let plot = Area {
        left: left + eval_layout::Y_LABELS,
        right: right - 14.0,
        top: top + header,
        bottom: top + header + eval_layout::PLOT,
    };
    let marks: Vec<Mark> = match (&horizon.before, &horizon.after) {
        (None, None) => kind
            .of(&horizon.full)
            .map(|stats| Mark {
                stats,
                filled: true,
            })
            .into_iter()
            .collect(),
        (before, after) => [(before, true), (after, false)]
            .into_iter()
            .filter_map(|(p, filled)| {
                p.as_ref()
                    .and_then(|p| kind.of(p))
                    .map(|stats| Mark { stats, filled })
            })
            .collect(),
    };
    let reference = kind
        .of(&horizon.full)
        .and_then(|s| s.all.mean)
        .filter(|m| m.is_finite());

    horizon_header(canvas, horizon, kind, &plot, top)?;
    let y = horizon_axis(canvas, &marks, reference, &plot)?;
    horizon_categories(canvas, &marks, &y, &plot)
}

/// The horizon and the IC of each period shown, above the plot.
fn horizon_header(
    canvas: &Canvas,
    horizon: &HorizonResult,
    kind: Returns,
    plot: &Area,
    top: f64,
) -> Result<(), Failure> {
    let (plot_left, plot_right) = (plot.left, plot.right);
    let h = horizon.horizon;
    canvas.text(
        &format!("{h} bar{} ahead", if h == 1 { "" } else { "s" }),
        (plot_left, top + 10.0),
        Font::new(14.0).bold(),
    )?;
    let ic_lines: Vec<String> = match (&horizon.before, &horizon.after) {
        (None, None) => vec![kind
            .of(&horizon.full)
            .map(|s| ic_text(&s.ic))
            .unwrap_or_default()],
        (before, after) => [("before", before), ("after", after)]
            .into_iter()
            .filter_map(|(name, p)| {
                p.as_ref()
                    .and_then(|p| kind.of(p))
                    .map(|s| format!("{name}: {}", ic_text(&s.ic)))
            })
            .collect(),
    };
    for (i, line) in ic_lines.iter().enumerate() {
        let (line, size) = fit(line, 12.0, plot_right - plot_left);
        canvas.text(
            &line,
            (plot_left, top + 28.0 + 15.0 * i as f64),
            Font::new(size).color(MUTED),
        )?;
    }

    Ok(())
}

/// The percent axis over every mean and interval end, the all-bars
/// reference and 0; returns the scale.
fn horizon_axis(
    canvas: &Canvas,
    marks: &[Mark],
    reference: Option<f64>,
    plot: &Area,
) -> Result<Scale, Failure> {
    let Area {
        left: plot_left,
        right: plot_right,
        top: plot_top,
        bottom: plot_bottom,
    } = *plot;
    let values = marks.iter().flat_map(|m| {
        category_stats(m.stats)
            .into_iter()
            .flat_map(|(_, s)| [s.mean, s.interval.map(|i| i.lo), s.interval.map(|i| i.hi)])
    });
    let (lo, hi) = padded_range(
        values
            .flatten()
            .chain(reference)
            .chain([0.0])
            .map(|v| v * 100.0),
        0.08,
    )
    .unwrap_or((-1.0, 1.0));
    let y = Scale {
        lo,
        hi,
        from: plot_bottom,
        to: plot_top,
    };
    let (ticks, decimals) = nice_ticks(lo, hi, 6);
    for &v in &ticks {
        let yp = y.map(v);
        canvas.line(&[(plot_left, yp), (plot_right, yp)], GRID.to_rgba(), 1)?;
        canvas.text(
            &format!("{}%", format_tick(v, decimals)),
            (plot_left - 6.0, yp),
            Font::new(12.0).anchor(HPos::Right, VPos::Center),
        )?;
    }
    let zero = y.map(0.0);
    canvas.line(&[(plot_left, zero), (plot_right, zero)], FRAME.to_rgba(), 1)?;
    if let Some(r) = reference {
        let yp = y.map(r * 100.0);
        canvas.dashed((plot_left, yp), (plot_right, yp), MUTED.mix(0.9), 1)?;
    }
    canvas.outline((plot_left, plot_top), (plot_right, plot_bottom), FRAME)?;

    Ok(y)
}

/// Per category: the name, the counts and the estimates of each period.
fn horizon_categories(
    canvas: &Canvas,
    marks: &[Mark],
    y: &Scale,
    plot: &Area,
) -> Result<(), Failure> {
    let (plot_left, plot_right, plot_bottom) = (plot.left, plot.right, plot.bottom);
    let slot = (plot_right - plot_left) / CATEGORIES as f64;
    let offsets: Vec<f64> = if marks.len() > 1 {
        vec![-slot * 0.23, slot * 0.23]
    } else {
        vec![0.0]
    };
    // Category names on one line, or every two-word name on two when one
    // does not fit; the counts in one row under them.
    let split_names = LABELS
        .iter()
        .any(|l| text_width(l.as_str(), 12.0) + 4.0 > slot);
    let counts_y = plot_bottom + if split_names { 38.0 } else { 24.0 };
    canvas.text(
        "n",
        (plot_left - 6.0, counts_y),
        Font::new(11.0).color(MUTED).anchor(HPos::Right, VPos::Top),
    )?;
    for c in 0..CATEGORIES {
        let centre = plot_left + slot * (c as f64 + 0.5);
        let (name, color, ink) = match LABELS.get(c) {
            Some(&l) => (l.as_str(), label_color(l), label_ink(l)),
            None => ("all bars", MUTED, INK),
        };
        let lines: Vec<&str> = if split_names {
            name.split(' ').collect()
        } else {
            vec![name]
        };
        for (i, line) in lines.iter().enumerate() {
            canvas.text(
                line,
                (centre, plot_bottom + 6.0 + 14.0 * i as f64),
                Font::new(12.0).color(ink).anchor(HPos::Center, VPos::Top),
            )?;
        }
        for (mark, dx) in marks.iter().zip(&offsets) {
            let stats = category(mark.stats, c);
            let x = centre + dx;
            let count = stats.map_or(0, |s| s.count).to_string();
            let (count, size) = fit(&count, 11.0, slot / marks.len() as f64 - 4.0);
            canvas.text(
                &count,
                (x, counts_y),
                Font::new(size).color(MUTED).anchor(HPos::Center, VPos::Top),
            )?;
            if let Some(s) = stats {
                draw_estimate(canvas, s, y, x, color, mark.filled)?;
            }
        }
    }
    Ok(())
}

/// The six categories' stats: the five labels, then all bars.
fn category_stats(stats: &ReturnStats) -> Vec<(usize, &LabelStats)> {
    (0..CATEGORIES)
        .filter_map(|c| category(stats, c).map(|s| (c, s)))
        .collect()
}

fn category(stats: &ReturnStats, c: usize) -> Option<&LabelStats> {
    LABELS
        .get(c)
        .map(|l| stats.label(*l))
        .or((c == LABELS.len()).then_some(&stats.all))
}

/// A dot at the mean with a whisker over the interval.
fn draw_estimate(
    canvas: &Canvas,
    stats: &LabelStats,
    y: &Scale,
    x: f64,
    color: RGBColor,
    filled: bool,
) -> Result<(), Failure> {
    let Some(mean) = stats.mean.filter(|m| m.is_finite()) else {
        return Ok(());
    };
    if let Some(i) = stats
        .interval
        .filter(|i| i.lo.is_finite() && i.hi.is_finite())
    {
        let (y0, y1) = (y.clamped(i.lo * 100.0), y.clamped(i.hi * 100.0));
        let stroke = color.mix(0.9);
        canvas.line(&[(x, y0), (x, y1)], stroke, 2)?;
        canvas.line(&[(x - 5.0, y0), (x + 5.0, y0)], stroke, 2)?;
        canvas.line(&[(x - 5.0, y1), (x + 5.0, y1)], stroke, 2)?;
    }
    let centre = (x, y.clamped(mean * 100.0));
    if filled {
        canvas.circle(centre, 6, color.filled())?;
        canvas.circle(centre, 6, INK.mix(0.6).stroke_width(1))?;
    } else {
        canvas.circle(centre, 6, WHITE.filled())?;
        canvas.circle(centre, 6, color.stroke_width(3))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use apex_ta::eval::{evaluate, EvalConfig, Interval, Observation};

    use super::*;

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    fn sample_data(from: Option<i64>, to: Option<i64>) -> ScoreData {
        let scored = score_bars(&apex_ta::sample::market());
        ScoreData::new(&scored, from, to)
    }

    fn well_formed(svg: &str) {
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "a non-finite coordinate"
        );
    }

    /// The text of every `<text>` element.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..];
                Some(body[..body.find("</text>")?].trim().to_string())
            })
            .collect()
    }

    #[test]
    fn score_chart_shows_every_label_and_component() {
        let data = sample_data(None, None);
        assert!(data.bars.len() > 1000);
        let svg = render_score(&data, "sample", "APEX score — test", "sub").unwrap();
        well_formed(&svg);
        for l in LABELS {
            assert!(svg.contains(&hex(label_color(l))), "colour of {l}");
        }
        let texts = texts(&svg);
        for name in APEX_SIGNALS {
            assert!(texts.iter().any(|t| t == name), "legend lacks {name}");
        }
        assert_eq!(data.names, APEX_SIGNALS.to_vec());
        // Every label drawn is in the legend, with its count.
        for l in LABELS {
            let n = data.bars.iter().filter(|b| b.label == l).count();
            let entry = format!("{} ({n})", l.as_str());
            assert!(texts.contains(&entry), "legend lacks {entry:?}");
        }
        // The sample has every label, so each colour marks some bar (a
        // `stroke` of the high-low marks, not only the legend's `fill`).
        for l in LABELS {
            assert!(data.bars.iter().any(|b| b.label == l));
            let stroke = format!("stroke=\"{}\"", hex(label_color(l)));
            assert!(svg.contains(&stroke), "no bar drawn as {l}");
        }
        assert!(texts.contains(&"APEX score — test".to_string()));
        // Date ticks: 8 to 12 of them, in YYYY-MM over ~5 years.
        let ticks: Vec<_> = texts
            .iter()
            .filter(|t| t.len() == 7 && t.as_bytes()[4] == b'-')
            .collect();
        assert!((6..=12).contains(&ticks.len()), "{ticks:?}");
    }

    #[test]
    fn from_to_limits_the_bars_but_not_the_warm_up() {
        let scored = score_bars(&apex_ta::sample::market());
        let all = ScoreData::new(&scored, None, None);
        let from = all.bars[100].timestamp;
        let to = all.bars[160].timestamp;
        let some = ScoreData::new(&scored, Some(from), Some(to));
        assert_eq!(some.bars.len(), 61);
        // Same scores as over the whole series: nothing re-warmed.
        assert_eq!(some.bars[0].score, all.bars[100].score);
        let svg = render_score(&some, "s", "t", "u").unwrap();
        well_formed(&svg);
        // Short span: day ticks.
        assert!(texts(&svg).iter().any(|t| *t == format_date(from)));
        assert!(ScoreData::new(&scored, Some(to), Some(from))
            .bars
            .is_empty());
        let none = ScoreData::new(&scored, Some(i64::MAX), None);
        assert!(render_score(&none, "s", "t", "u").is_err());
        let msg = nothing_to_draw(&scored, Some(i64::MAX - 1), None);
        assert!(msg.contains("scores run from"), "{msg}");
        assert!(nothing_to_draw(&[], None, None).contains("no bars"));
        assert!(nothing_to_draw(&scored[..5], None, None).contains("none of the 5"));
        assert!(nothing_to_draw(&scored[..1], None, None).contains("only bar"));
    }

    #[test]
    fn degenerate_series_draw_without_panicking() {
        let base = sample_data(None, None);
        // One bar.
        let one = ScoreData {
            bars: base.bars[..1].to_vec(),
            ..base.clone()
        };
        well_formed(&render_score(&one, "x", "t", "u").unwrap());
        // A flat price, NaN and infinite readings, all-zero contributions.
        let mut odd = base.clone();
        odd.bars.truncate(50);
        for (i, b) in odd.bars.iter_mut().enumerate() {
            (b.high, b.low, b.close) = (10.0, 10.0, 10.0);
            if i % 3 == 0 {
                b.contributions.iter_mut().for_each(|c| *c = 0.0);
            }
            if i % 5 == 0 {
                b.contributions[0] = f64::NAN;
                b.contributions[1] = f64::INFINITY;
                b.score = f64::NAN;
                b.close = f64::NAN;
            }
        }
        well_formed(&render_score(&odd, "x", "t", "u").unwrap());
        let mut zero = odd.clone();
        zero.bars.iter_mut().for_each(|b| {
            b.contributions.iter_mut().for_each(|c| *c = 0.0);
            (b.high, b.low, b.close) = (0.0, 0.0, 0.0);
        });
        well_formed(&render_score(&zero, "x", "t", "u").unwrap());
    }

    #[test]
    fn ticks_and_ranges() {
        let (t, d) = nice_ticks(0.0, 1.0, 5);
        assert_eq!((t.len(), d), (6, 1));
        let (t, d) = nice_ticks(-0.37, 0.52, 6);
        assert!(t.contains(&0.0) && d == 1, "{t:?} {d}");
        assert_eq!(nice_ticks(1.0, 1.0, 5).0.len(), 0);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 5).0.len(), 0);
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(2.5), 1);
        assert_eq!(decimals_for(20.0), 0);
        assert_eq!(padded_range([f64::NAN].into_iter(), 0.1), None);
        let (lo, hi) = padded_range([5.0, 5.0].into_iter(), 0.1).unwrap();
        assert!(lo < 5.0 && hi > 5.0);
        let (lo, hi) = padded_range([0.0].into_iter(), 0.1).unwrap();
        assert!(lo < 0.0 && hi > 0.0);
        assert!(date_ticks(&[]).is_empty());
        assert_eq!(date_ticks(&[86_400]), vec![(0, "1970-01-02".to_string())]);
        let (short, size) = fit(&"x".repeat(1000), 20.0, 300.0);
        assert!(size >= 10.0 && text_width(&short, size) <= 300.0 && short.contains('…'));
        assert_eq!(px(f64::NAN), 0);
        assert_eq!(px(1e300), 100_000);
    }

    fn stats(base: f64, count: usize) -> LabelStats {
        LabelStats {
            count,
            mean: (count > 0).then_some(base),
            median: (count > 0).then_some(base),
            hit_rate: (count > 0).then_some(0.5),
            interval: (count > 1).then_some(Interval {
                lo: base - 0.004,
                hi: base + 0.004,
            }),
        }
    }

    fn return_stats(shift: f64, counts: [usize; 5]) -> ReturnStats {
        let by_label = [0, 1, 2, 3, 4].map(|i| stats(shift + (i as f64 - 2.0) * 0.003, counts[i]));
        ReturnStats {
            by_label,
            buy_side: stats(shift + 0.004, counts[3] + counts[4]),
            sell_side: stats(shift - 0.004, counts[0] + counts[1]),
            all: stats(shift, counts.iter().sum()),
            ic: RankIc {
                ic: Some(0.042),
                interval: Some(Interval {
                    lo: -0.01,
                    hi: 0.09,
                }),
                t_stat: Some(1.7),
                independent: 100,
            },
        }
    }

    fn period(
        first: i64,
        last: i64,
        shift: f64,
        counts: [usize; 5],
        relative: bool,
    ) -> PeriodResult {
        let used = counts.iter().sum();
        PeriodResult {
            first: Some(first),
            last: Some(last),
            bars: used + 3,
            used,
            no_score: 3,
            no_forward: 0,
            absolute: return_stats(shift, counts),
            relative: relative.then(|| return_stats(shift / 2.0, counts)),
        }
    }

    fn hand_built(split: bool, relative: bool) -> Evaluation {
        let day = 86_400;
        Evaluation {
            horizons: [5, 20, 60]
                .into_iter()
                .map(|h| HorizonResult {
                    horizon: h,
                    full: period(0, 2000 * day, 0.002, [12, 80, 400, 90, 0], relative),
                    before: split
                        .then(|| period(0, 999 * day, 0.001, [10, 50, 250, 40, 0], relative)),
                    after: split.then(|| {
                        period(1000 * day, 2000 * day, 0.003, [2, 30, 150, 50, 0], relative)
                    }),
                })
                .collect(),
        }
    }

    #[test]
    fn evaluation_chart_shows_labels_counts_and_periods() {
        for (split, relative) in [(false, false), (true, false), (false, true), (true, true)] {
            let eval = hand_built(split, relative);
            let svg = render_evaluation("eval test", &eval).unwrap();
            well_formed(&svg);
            let texts = texts(&svg);
            for l in LABELS {
                // Strong buy has no bars here, so its colour appears only
                // in the category name.
                assert!(svg.contains(&hex(label_ink(l))), "colour of {l}");
                let shown = texts.iter().any(|t| t == l.as_str())
                    || l.as_str().split(' ').all(|w| texts.iter().any(|t| t == w));
                assert!(shown, "no {l} category");
            }
            for l in [Label::StrongSell, Label::Sell, Label::Neutral, Label::Buy] {
                assert!(svg.contains(&hex(label_color(l))), "no {l} dot");
            }
            assert!(
                texts
                    .iter()
                    .any(|t| t.starts_with("IC +0.042 [-0.010, +0.090], t 1.7")
                        || t.ends_with("IC +0.042 [-0.010, +0.090], t 1.7")),
                "{texts:?}"
            );
            assert!(texts.iter().any(|t| t == "20 bars ahead"));
            assert_eq!(
                texts
                    .iter()
                    .any(|t| t.starts_with("Forward return relative")),
                relative
            );
            if split {
                assert!(
                    texts
                        .iter()
                        .any(|t| t == "before: 1970-01-01 to 1972-09-26"),
                    "{texts:?}"
                );
                assert!(texts.iter().any(|t| t == "after: 1972-09-27 to 1975-06-24"));
                // The after-period counts under each label.
                assert!(texts.iter().any(|t| t == "150"));
                assert!(svg.contains("fill=\"#FFFFFF\""), "hollow markers");
            } else {
                assert!(texts.iter().any(|t| t == "400"));
                assert!(texts.iter().any(|t| t == "n"));
            }
        }
        // Non-finite statistics are left out, not drawn at NaN.
        let mut odd = hand_built(true, true);
        for h in &mut odd.horizons {
            let full = &mut h.full.absolute;
            full.by_label[1].mean = Some(f64::NAN);
            full.by_label[2].interval = Some(Interval {
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
            });
            full.all.mean = Some(f64::INFINITY);
            full.ic.ic = Some(f64::NAN);
            if let Some(before) = &mut h.before {
                before.absolute.ic.ic = Some(f64::NAN);
            }
            if let Some(after) = &mut h.after {
                after.absolute.by_label = [0, 1, 2, 3, 4].map(|_| stats(0.0, 0));
                after.relative = None;
            }
        }
        let svg = render_evaluation("odd", &odd).unwrap();
        well_formed(&svg);
        assert!(texts(&svg).iter().any(|t| t == "before: IC n/a"));
        let empty = Evaluation { horizons: vec![] };
        assert!(render_evaluation("x", &empty).is_err());
    }

    #[test]
    fn evaluation_chart_of_a_real_evaluation() {
        let scored = score_bars(&apex_ta::sample::market());
        let observations: Vec<Observation> = scored.iter().map(Scored::observation).collect();
        let config = EvalConfig {
            horizons: vec![1, 5, 20, 60, 120],
            split: Some(scored[700].bar.timestamp),
            resamples: 50,
            ..EvalConfig::default()
        };
        let eval = evaluate(&observations, &config).unwrap();
        let svg = render_evaluation("sample", &eval).unwrap();
        well_formed(&svg);
        // Five horizons wrap after four panels.
        assert!(texts(&svg).iter().any(|t| t.ends_with("(2 of 2)")));
        let dir = std::env::temp_dir().join(format!("apex-chart-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("eval.svg");
        evaluation_svg(&path, "sample", &eval).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), svg);
        std::fs::remove_dir_all(&dir).unwrap();
        let err = evaluation_svg(Path::new("/nonexistent-dir/x.svg"), "s", &eval).unwrap_err();
        assert!(format!("{err:?}").contains("/nonexistent-dir/x.svg"));
    }
}
