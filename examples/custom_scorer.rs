//! A user-defined scorer in about fifty lines: one instrument's bars in, an
//! explainable 0–100 score out, built from the crate's signals plus a rule of
//! its own, usable anywhere a `dyn Scorer` is.
//!
//! ```text
//! cargo run --example custom_scorer
//! ```

use apex_ta::score::{Composite, RsiSignal, Score, Scorer, VolatilitySignal};
use apex_ta::{Bar, Indicator, Natr, Result, Rsi, Sma};

/// ATR above 2.5 % of price fades the score, −1 from 4 %.
const RISK_OFF: VolatilitySignal = VolatilitySignal {
    normal_high: 2.5,
    fear: 4.0,
    fear_score: -1.0,
};

/// Buy dips in an uptrend, unless volatility says risk-off.
#[derive(Debug, Clone)]
struct DipInUptrend {
    rsi: Rsi,
    trend: Sma,
    natr: Natr,
    composite: Composite,
    ready: bool,
}

impl DipInUptrend {
    fn new() -> Result<Self> {
        Ok(DipInUptrend {
            rsi: Rsi::new(14)?,
            trend: Sma::new(50)?,
            natr: Natr::new(14)?,
            composite: Composite::new(&["dip", "trend", "volatility"], &[2.0, 1.0, 1.0])?
                .with_min_ready(3)?,
            ready: false,
        })
    }
}

impl Scorer for DipInUptrend {
    type Input = Bar;

    fn update(&mut self, bar: Bar) -> Result<Option<Score>> {
        bar.validate()?; // validate everything first: on Err nothing has changed
        let rsi = self.rsi.update(bar.close)?;
        let sma = self.trend.update(bar.close)?;
        let natr = self.natr.update(bar)?;
        let subs = [
            // No yield here: the dip counts in full.
            rsi.and_then(|r| RsiSignal::default().score(r, None)),
            // A rule of our own: ±1 at 5 % above/below the 50-bar average.
            sma.map(|m| ((bar.close / m - 1.0) / 0.05).clamp(-1.0, 1.0)),
            // The crate's ATR rule, configured as a risk-off reading (APEX's
            // default reads high volatility as fear, mildly bullish).
            natr.and_then(|v| RISK_OFF.score(v)),
        ];
        let score = self.composite.combine(&subs);
        self.ready = score.is_some();
        Ok(score)
    }

    fn reset(&mut self) {
        self.rsi.reset();
        self.trend.reset();
        self.natr.reset();
        self.ready = false;
    }

    fn is_ready(&self) -> bool {
        self.ready
    }
}

fn main() -> Result<()> {
    // Any scorer behind one trait object type.
    let mut scorer: Box<dyn Scorer<Input = Bar>> = Box::new(DipInUptrend::new()?);
    for i in 0..120 {
        let x = f64::from(i);
        let close = 100.0 + 0.25 * x + 6.0 * (x / 8.0).sin(); // an uptrend with swings
        let bar = Bar::new(close - 0.3, close + 1.2, close - 1.4, close, 1.0e6);
        if let Some(score) = scorer.update(bar)? {
            if i % 10 == 9 {
                let why: Vec<String> = score
                    .ranked()
                    .map(|c| format!("{} {:+.1}", c.name, c.contribution))
                    .collect();
                println!(
                    "bar {i:>3}  close {close:>7.2}  {score}  [{}]",
                    why.join(", ")
                );
            }
        }
    }
    Ok(())
}
