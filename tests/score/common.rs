//! Synthetic markets for the score tests.

use apex_ta::score::{ApexScorer, MarketBar, Score, Scorer};
use apex_ta::Bar;

/// One day of a synthetic market before it becomes a [`MarketBar`].
#[derive(Debug, Clone, Copy)]
pub struct Day {
    pub close: f64,
    pub spy: f64,
    pub qqq: f64,
    pub yield_2y: Option<f64>,
    pub volume: f64,
    /// Half the bar's range as a fraction of the close.
    pub half_range: f64,
}

/// Builds bars from days: open = previous close, high/low around open and
/// close widened by `half_range`. Timestamps are consecutive days.
pub fn bars(days: &[Day]) -> Vec<MarketBar> {
    let mut prev = days.first().map_or(100.0, |d| d.close);
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            let open = prev;
            prev = d.close;
            let high = open.max(d.close) * (1.0 + d.half_range);
            let low = open.min(d.close) * (1.0 - d.half_range);
            MarketBar::new(
                i as i64 * 86_400,
                Bar::new(open, high, low, d.close, d.volume),
                d.spy,
                d.qqq,
                d.yield_2y,
            )
        })
        .collect()
}

/// A tiny deterministic generator (xorshift64*), for noise.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [−1, 1).
    pub fn signed(&mut self) -> f64 {
        2.0 * self.uniform() - 1.0
    }
}

/// A calm, slightly rising market with all four inputs: a baseline to build
/// scenarios on (`n` days).
pub fn calm(n: usize, seed: u64) -> Vec<Day> {
    let mut rng = Rng(seed | 1);
    let (mut c, mut s, mut q, mut y) = (100.0, 400.0, 300.0, 4.0);
    (0..n)
        .map(|_| {
            let m = 0.0003 + 0.006 * rng.signed();
            c *= 1.0 + 1.1 * m + 0.003 * rng.signed();
            s *= 1.0 + m + 0.001 * rng.signed();
            q *= 1.0 + 1.05 * m + 0.002 * rng.signed();
            y += 0.01 * rng.signed();
            Day {
                close: c,
                spy: s,
                qqq: q,
                yield_2y: Some(y),
                volume: 1.0e6 * (1.0 + 0.2 * rng.signed()),
                half_range: 0.006,
            }
        })
        .collect()
}

/// Feeds every bar, returning the outputs (panics on an error).
pub fn run<S: Scorer<Input = MarketBar>>(scorer: &mut S, bars: &[MarketBar]) -> Vec<Option<Score>> {
    bars.iter()
        .map(|b| scorer.update(*b).expect("valid bar"))
        .collect()
}

/// The sub-score of component `name`.
pub fn sub(score: &Score, name: &str) -> Option<f64> {
    score.component(name).and_then(|c| c.sub_score)
}

/// Feeds days one at a time into a scorer (bars built as in [`bars`]).
#[derive(Debug, Clone)]
pub struct Feeder {
    pub apex: ApexScorer,
    prev: Option<f64>,
    t: i64,
    pub last: Option<Score>,
    /// Closes fed so far.
    pub closes: Vec<f64>,
    /// Volumes fed so far.
    pub volumes: Vec<f64>,
    pub day: Option<Day>,
}

impl Feeder {
    pub fn new(apex: ApexScorer) -> Self {
        Feeder {
            apex,
            prev: None,
            t: 0,
            last: None,
            closes: Vec::new(),
            volumes: Vec::new(),
            day: None,
        }
    }
    pub fn push(&mut self, d: Day) -> Option<Score> {
        let open = self.prev.unwrap_or(d.close);
        self.prev = Some(d.close);
        let high = open.max(d.close) * (1.0 + d.half_range);
        let low = open.min(d.close) * (1.0 - d.half_range);
        let bar = MarketBar::new(
            self.t,
            Bar::new(open, high, low, d.close, d.volume),
            d.spy,
            d.qqq,
            d.yield_2y,
        );
        self.t += 86_400;
        self.last = self.apex.update(bar).expect("valid bar");
        self.closes.push(d.close);
        self.volumes.push(d.volume);
        self.day = Some(d);
        self.last
    }
    pub fn feed(&mut self, days: &[Day]) {
        for &d in days {
            self.push(d);
        }
    }
    /// The last day, to derive the next one from.
    pub fn today(&self) -> Day {
        self.day.expect("fed at least one day")
    }
    pub fn score(&self) -> Score {
        self.last.expect("a score")
    }
}
