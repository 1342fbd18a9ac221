//! Scores a synthetic 2,000-symbol universe (Russell-2000-sized) over 5,000
//! daily bars with the APEX score, one `ApexUniverse::update` call per bar,
//! and prints the ten highest and ten lowest scores on the last bar with the
//! time spent scoring. `update` writes plain score values; the ranked rows are
//! explained on demand with `ApexUniverse::score`.
//!
//! ```text
//! cargo run --release --example universe            # 2,000 symbols × 5,000 bars
//! cargo run --release --example universe -- 500 1000  # symbols, bars
//! ```
//!
//! The market is deterministic (seeded): a common small-cap factor, SPY- and
//! QQQ-like benchmarks, a 2-year yield with rate regimes, and per-symbol
//! beta, drift, volatility and volume spikes.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use apex_ta::score::ApexUniverse;
use apex_ta::{ApexConfig, Bar, MarketBar};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly standard normal (sum of four uniforms, rescaled).
    fn normal(&mut self) -> f64 {
        (self.next() + self.next() + self.next() + self.next() - 2.0) * 1.732
    }
}

struct Symbol {
    close: f64,
    beta: f64,
    drift: f64,
    vol: f64,
    volume: f64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: usize| -> Option<usize> {
        args.get(i)
            .map_or(Some(default), |s| s.parse().ok().filter(|&n| n > 0))
    };
    let (Some(symbols), Some(bars)) = (arg(0, 2_000), arg(1, 5_000)) else {
        eprintln!("usage: universe [SYMBOLS] [BARS]   (positive integers)");
        return ExitCode::from(1);
    };

    let mut rng = Rng(0x005E_ED0F_A9E7_u64);
    let mut universe: Vec<Symbol> = (0..symbols)
        .map(|_| Symbol {
            close: 10.0 + 90.0 * rng.next(),
            beta: 0.6 + 0.9 * rng.next(),
            drift: (rng.next() - 0.5) * 0.001,
            vol: 0.01 + 0.02 * rng.next(),
            volume: 1e5 + 2e6 * rng.next(),
        })
        .collect();
    let mut scorer = match ApexUniverse::<f64>::new(symbols, ApexConfig::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let (mut spy, mut qqq, mut y) = (300.0_f64, 250.0_f64, 3.0_f64);
    let mut input: Vec<MarketBar> = Vec::with_capacity(symbols);
    let mut out: Vec<f64> = vec![f64::NAN; symbols];
    let mut scoring = Duration::ZERO;
    let mut rejected = 0;
    for (t, day) in (0..bars).zip((0_i64..).step_by(86_400)) {
        // Shared market moves; a risk-off episode every ~1,500 bars.
        let stress = if t % 1_500 > 1_400 { 3.0 } else { 1.0 };
        let market = rng.normal() * 0.009 * stress;
        let small_caps = market * 1.2 + rng.normal() * 0.004;
        spy *= (market + 0.0003).exp();
        qqq *= (market * 1.15 + rng.normal() * 0.004 + 0.0004).exp();
        let regime = if (t / 700) % 2 == 0 { 0.002 } else { -0.002 };
        y = (y + regime + rng.normal() * 0.03).clamp(0.05, 8.0);
        input.clear();
        for s in &mut universe {
            let open = s.close;
            let r = s.drift + s.beta * small_caps + s.vol * stress * rng.normal();
            s.close = (open * r.exp()).max(0.01);
            let wick = s.vol * 0.5;
            let high = open.max(s.close) * (1.0 + wick * rng.next());
            let low = open.min(s.close) * (1.0 - wick * rng.next());
            let spike = if rng.next() < 0.02 { 2.5 } else { 1.0 };
            let volume = s.volume * (0.6 + 0.8 * rng.next()) * spike;
            let bar = Bar::new(open, high, low, s.close, volume);
            input.push(MarketBar::new(day, bar, spy, qqq, Some(y)));
        }
        let start = Instant::now();
        match scorer.update(&input, &mut out) {
            Ok(k) => rejected += k,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
        scoring += start.elapsed();
    }

    print_ranked(&scorer, &out);
    let updates = symbols as f64 * bars as f64;
    println!(
        "scored {symbols} symbols x {bars} bars = {:.1} M symbol-bars in {:.3} s ({:.0} ns per symbol-bar){}",
        updates / 1e6,
        scoring.as_secs_f64(),
        scoring.as_secs_f64() * 1e9 / updates,
        if rejected > 0 { format!(", {rejected} bars rejected") } else { String::new() }
    );
    ExitCode::SUCCESS
}

/// Ranks the last bar's values and prints the top and bottom ten, each
/// explained on demand (`ApexUniverse::score`).
fn print_ranked(scorer: &ApexUniverse, out: &[f64]) {
    let mut ranked: Vec<(usize, f64)> = out
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nan())
        .map(|(i, &v)| (i, v))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let show = |title: &str, rows: &mut dyn Iterator<Item = &(usize, f64)>| {
        println!("{title}");
        println!("  symbol   score  label        top contributions (score points)");
        for (i, s) in rows.filter_map(|&(i, _)| scorer.score(i).map(|s| (i, s))) {
            let top: Vec<String> = s
                .ranked()
                .take(3)
                .map(|c| format!("{:<7}{:+5.1}", c.name, c.contribution))
                .collect();
            println!(
                "  S{:04}  {:6.1}  {:<11}  {}",
                i,
                s.value(),
                s.label().to_string(),
                top.join("  ")
            );
        }
    };
    show(
        "top 10 by APEX score on the last bar",
        &mut ranked.iter().take(10),
    );
    show("bottom 10", &mut ranked.iter().rev().take(10));
}
