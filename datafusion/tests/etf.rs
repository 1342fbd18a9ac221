//! The real ETF panel (45 ETFs, ~244,000 daily bars, with SPY, QQQ and the
//! 2-year yield joined by date) through Parquet and SQL, against the core
//! crate bit for bit. Not self-contained (the data is not in the
//! repository), so ignored by default; run by hand with the data folder:
//!
//! ```sh
//! APEX_TA_DATA=/path/to/data cargo test -p apex-ta-datafusion --test etf -- --ignored
//! ```
//!
//! `APEX_TA_DATA` holds `SPY.csv`, `QQQ.csv`, `DGS2.csv` and `etfs/*.csv`
//! (`date,open,high,low,close,...,volume`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_parity, context, query, run, Row};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

/// Days since 1970-01-01 of `YYYY-MM-DD` (H. Hinnant's days_from_civil).
fn days(date: &str) -> i64 {
    let mut it = date.trim().split('-').map(|p| p.parse::<i64>().unwrap());
    let (y, m, d) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(ts, fields by header name)` of each row of a CSV file.
fn read(path: &Path) -> Vec<(i64, BTreeMap<String, String>)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim().to_lowercase())
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let fields: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect();
            (days(&fields["date"]) * 86_400, fields)
        })
        .collect()
}

fn closes(path: &Path, column: &str) -> BTreeMap<i64, f64> {
    read(path)
        .into_iter()
        .filter_map(|(ts, f)| Some((ts, f.get(column)?.trim().parse().ok()?)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the real data folder: APEX_TA_DATA=/path/to/data"]
async fn etf_panel_through_parquet_equals_the_core_crate_bit_for_bit() {
    let data = std::env::var("APEX_TA_DATA").expect("set APEX_TA_DATA to the data folder");
    let data = Path::new(&data);
    let spy = closes(&data.join("SPY.csv"), "close");
    let qqq = closes(&data.join("QQQ.csv"), "close");
    let dgs2 = closes(&data.join("DGS2.csv"), "dgs2");
    let mut files: Vec<_> = std::fs::read_dir(data.join("etfs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for file in &files {
        let symbol = file.file_stem().unwrap().to_string_lossy().into_owned();
        for (ts, f) in read(file) {
            let num = |c: &str| f.get(c).and_then(|v| v.trim().parse::<f64>().ok());
            rows.push(Row {
                symbol: symbol.clone(),
                ts,
                open: num("open"),
                high: num("high"),
                low: num("low"),
                close: num("close"),
                volume: num("volume"),
                // Joined by date; a date without a benchmark bar is NULL (a
                // bad row for the APEX functions).
                spy: spy.get(&ts).copied(),
                qqq: qqq.get(&ts).copied(),
                dgs2: dgs2.get(&ts).copied(),
            });
        }
    }
    assert!(
        files.len() >= 40 && rows.len() > 200_000,
        "{} files, {} rows",
        files.len(),
        rows.len()
    );

    // Through Parquet: written by DataFusion, read back into a new context.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("etf_panel");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    context(&rows, 2)
        .table("bars")
        .await
        .unwrap()
        .write_parquet(dir.to_str().unwrap(), DataFrameWriteOptions::new(), None)
        .await
        .unwrap();
    for partitions in [1, 2] {
        let ctx = SessionContext::new_with_config(
            SessionConfig::new().with_target_partitions(partitions),
        );
        apex_ta_datafusion::register_all(&ctx);
        ctx.register_parquet("bars", dir.to_str().unwrap(), ParquetReadOptions::default())
            .await
            .unwrap();
        let result = run(&ctx, &query()).await;
        let compared = assert_parity(&result, &rows);
        eprintln!(
            "{} ETFs, {} rows, {partitions} partition(s): {compared} non-NULL values equal bit for bit",
            files.len(),
            rows.len()
        );
    }
}
