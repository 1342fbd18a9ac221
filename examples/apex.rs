//! The APEX score on the built-in sample market: score every bar, explain
//! the last few, then judge the score by what followed it.
//!
//! ```text
//! cargo run --release --example apex
//! ```
//!
//! For real files, the `apex-ta` command-line tool does the same with CSV
//! input, JSON output and charts: `apex-ta score`, `apex-ta evaluate`.

use apex_ta::eval::{self, EvalConfig, Observation};
use apex_ta::score::{ApexScorer, Component, Scorer};
use apex_ta::Result;

fn main() -> Result<()> {
    // 1,260 business days of an IWM-like target with SPY, QQQ and the
    // 2-year yield, already aligned by date.
    let bars = apex_ta::sample::market();

    // One scorer, fed bar by bar. `Ok(None)` while the 55-bar swing and the
    // 50-bar ratio EMA warm up; an `Err` would leave the state unchanged.
    let mut apex = ApexScorer::<f64>::default();
    let mut observations = Vec::with_capacity(bars.len());
    let mut last = Vec::new();
    for bar in &bars {
        let score = apex.update(*bar)?;
        if let Some(s) = score {
            last.push((last.len(), bar.target.close, s));
        }
        // Keep what evaluation needs: the score known at this close, and
        // the prices to measure what came after it.
        observations.push(
            Observation::new(
                bar.timestamp,
                score.map(|s| s.value()),
                score.map(|s| s.label()),
                bar.target.close,
            )
            .with_benchmark(bar.spy),
        );
    }

    // Every score explains itself: 50 + the contributions, in score points.
    println!("last five bars of the sample:");
    for (i, close, s) in last.iter().rev().take(5).rev() {
        let why: Vec<String> = s
            .ranked()
            .filter(Component::is_ready)
            .take(3)
            .map(|c| format!("{} {:+.1}", c.name, c.contribution))
            .collect();
        println!(
            "  scored bar {i:>4}  close {close:>7.2}  score {:>5.1} {:<11} {}",
            s.value(),
            s.label().as_str(),
            why.join(", ")
        );
    }

    // What followed each label: the forward 20-bar return, with a 90 %
    // moving-block bootstrap interval of its mean (seeded: reproducible).
    let config = EvalConfig {
        horizons: vec![20],
        ..EvalConfig::default()
    };
    let result = eval::evaluate(&observations, &config)?;
    for h in &result.horizons {
        let p = &h.full;
        println!(
            "\nforward {}-bar return by label ({} of {} bars used; synthetic data, so this only shows the API):",
            h.horizon, p.used, p.bars
        );
        for label in eval::LABELS {
            let s = p.absolute.label(label);
            if let (Some(mean), Some(iv)) = (s.mean, s.interval) {
                println!(
                    "  {:<11} n {:>4}  mean {:+6.2}%  90% [{:+6.2}%, {:+6.2}%]",
                    label.as_str(),
                    s.count,
                    100.0 * mean,
                    100.0 * iv.lo,
                    100.0 * iv.hi
                );
            }
        }
        if let Some(ic) = p.absolute.ic.ic {
            println!("  rank IC of score and forward return: {ic:+.3}");
        }
    }
    Ok(())
}
