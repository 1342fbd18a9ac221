//! Indicators over an OHLCV CSV file: read rows, feed each bar to a few
//! indicators, print what they say once they are warm.
//!
//! ```text
//! cargo run --example indicators -- SPY.csv      # date,open,high,low,close,...,volume
//! cargo run --example indicators                 # the built-in sample's target
//! ```
//!
//! The `apex-ta indicators` tool does this for every indicator, with bad-row
//! reports and CSV output; this example shows the API in a page.

use std::error::Error;

use apex_ta::{Atr, Bar, Indicator, Macd, Rsi};

/// `(date, bar)` rows of a CSV file whose header names date, open, high,
/// low, close and volume (any order and case; other columns ignored).
fn read(path: &str) -> Result<Vec<(String, Bar)>, Box<dyn Error>> {
    let mut rdr = csv::Reader::from_path(path)?;
    let header: Vec<String> = rdr.headers()?.iter().map(str::to_lowercase).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{path}: no `{name}` column"))
    };
    let date = col("date")?;
    let ohlcv = [
        col("open")?,
        col("high")?,
        col("low")?,
        col("close")?,
        col("volume")?,
    ];
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = record?;
        let mut v = [0.0; 5];
        for (slot, &i) in v.iter_mut().zip(&ohlcv) {
            *slot = record.get(i).unwrap_or("").trim().parse()?;
        }
        let [open, high, low, close, volume] = v;
        let bar = Bar::new(open, high, low, close, volume);
        rows.push((record.get(date).unwrap_or("").to_string(), bar));
    }
    Ok(rows)
}

fn main() -> Result<(), Box<dyn Error>> {
    let rows = match std::env::args().nth(1) {
        Some(path) => read(&path)?,
        None => apex_ta::sample::market()
            .into_iter()
            .map(|m| (format!("day {}", m.timestamp / 86_400), m.target))
            .collect(),
    };
    // TA-Lib's default parameters; each constructor validates its own.
    let mut rsi = Rsi::new(14)?;
    let mut macd = Macd::new(12, 26, 9)?;
    let mut atr = Atr::new(14)?;
    println!(
        "warm-up: RSI {}, MACD {}, ATR {} bars",
        rsi.lookback(),
        macd.lookback(),
        atr.lookback()
    );
    for (date, bar) in rows.iter().rev().take(300).rev() {
        // A bad bar (NaN, high < low, negative volume) is an error that
        // changes nothing: report it and go on with the next one.
        if let Err(e) = bar.validate() {
            eprintln!("{date}: skipped: {e}");
            continue;
        }
        let (r, m, a) = (
            rsi.update(bar.close)?,
            macd.update(bar.close)?,
            atr.update(*bar)?,
        );
        if let (Some(r), Some(m), Some(a)) = (r, m, a) {
            let note = if (35.0..=42.0).contains(&r) {
                "  <- RSI dip"
            } else {
                ""
            };
            println!(
                "{date}  close {:>9.2}  RSI {r:5.1}  MACD hist {:+7.3}  ATR {:5.2} ({:.1} %){note}",
                bar.close,
                m.histogram,
                a,
                100.0 * a / bar.close
            );
        }
    }
    Ok(())
}
