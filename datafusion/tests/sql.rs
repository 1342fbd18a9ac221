//! The SQL functions against the core crate's streaming types, bit for bit,
//! on a synthetic panel with bad rows; planning-time errors; bounded
//! execution; independence from the number of partitions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::missing_panics_doc
)]

mod common;

use common::{assert_parity, column, context, keys, panel, query, run, CALLS};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::prelude::SessionContext;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_function_equals_the_core_crate_bit_for_bit() {
    let rows = panel(6, 700, 1, true);
    let result = run(&context(&rows, 3), &query()).await;
    let compared = assert_parity(&result, &rows);
    // Most rows of every column have a value: the comparison is not of NULLs.
    assert!(compared > CALLS.len() * 6 * 500, "compared {compared}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_panel_equals_the_core_crate_bit_for_bit() {
    let rows = panel(3, 400, 2, false);
    let result = run(&context(&rows, 2), &query()).await;
    assert_parity(&result, &rows);
}

/// A bad row is NULL and changes nothing: every good row's values equal
/// those of the same panel without the bad rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_null_and_leave_the_state_unchanged() {
    let clean = panel(4, 500, 3, false);
    let dirty = panel(4, 500, 3, true);
    // A NULL dgs2 is not a bad row (no yield that bar); the rest are.
    let is_bad = |d: &common::Row, c: &common::Row| {
        let same = |a: Option<f64>, b: Option<f64>| a.map(f64::to_bits) == b.map(f64::to_bits);
        !(same(d.open, c.open)
            && same(d.high, c.high)
            && same(d.low, c.low)
            && same(d.close, c.close)
            && same(d.volume, c.volume)
            && same(d.spy, c.spy)
            && same(d.qqq, c.qqq))
    };
    let bad: Vec<bool> = dirty
        .iter()
        .zip(&clean)
        .map(|(d, c)| is_bad(d, c))
        .collect();
    assert!(
        bad.iter().filter(|b| **b).count() > 40,
        "the panel has bad rows"
    );
    // The dirty panel without its bad rows (yields kept as in the dirty one).
    let kept: Vec<common::Row> = dirty
        .iter()
        .zip(&bad)
        .filter(|(_, b)| !**b)
        .map(|(r, _)| r.clone())
        .collect();
    let with_bad = run(&context(&dirty, 2), &query()).await;
    let without = run(&context(&kept, 2), &query()).await;
    let keys_with = keys(&with_bad);
    let keys_without = keys(&without);
    for (name, call) in CALLS {
        let a = column(&with_bad, name);
        let b = column(&without, name);
        let mut j = 0;
        for (i, key) in keys_with.iter().enumerate() {
            if j < keys_without.len() && keys_without[j] == *key {
                assert_eq!(
                    a[i].map(f64::to_bits),
                    b[j].map(f64::to_bits),
                    "{call} at {key:?}"
                );
                j += 1;
            } else {
                // A row bad for this function's own inputs is NULL.
                let row = dirty
                    .iter()
                    .find(|r| (r.symbol.clone(), r.ts) == *key)
                    .unwrap();
                if rejected_by(name, row) {
                    assert_eq!(a[i], None, "{call} at bad row {key:?}");
                }
            }
        }
        assert_eq!(j, keys_without.len());
    }
}

/// Whether `row` is bad for the function behind column `name` (its own
/// inputs are NULL or rejected by the core crate).
fn rejected_by(name: &str, r: &common::Row) -> bool {
    let finite = |v: Option<f64>| v.is_some_and(f64::is_finite);
    let bar_ok =
        finite(r.high) && finite(r.low) && finite(r.close) && r.low <= r.close && r.close <= r.high;
    match name {
        "trange" | "atr_14" | "natr_14" | "fib_55" => !bar_ok,
        "volume_z_20" | "volume_ratio_20" => !r.volume.is_some_and(|v| v.is_finite() && v >= 0.0),
        n if n.starts_with("rel_ratio") => !finite(r.close) || !r.spy.is_some_and(|v| v > 0.0),
        "rel_perf_20" => !finite(r.close) || !r.qqq.is_some_and(|v| v > 0.0),
        n if n.starts_with("apex") => {
            !bar_ok
                || !finite(r.open)
                || !r.volume.is_some_and(|v| v >= 0.0)
                || !r.spy.is_some_and(|v| v > 0.0)
                || !r.qqq.is_some_and(|v| v > 0.0)
        }
        _ => !finite(r.close),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_partition_or_many_give_the_same_rows() {
    let rows = panel(7, 300, 4, true);
    let one = run(&context(&rows, 1), &query()).await;
    let many = run(&context(&rows, 5), &query()).await;
    assert_eq!(one.num_rows(), rows.len());
    assert_eq!(
        pretty_format_batches(&[one]).unwrap().to_string(),
        pretty_format_batches(&[many]).unwrap().to_string()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_is_bounded_window_execution() {
    let rows = panel(2, 50, 5, false);
    let ctx = context(&rows, 2);
    let plan = run(&ctx, &format!("EXPLAIN {}", query())).await;
    let text = pretty_format_batches(&[plan]).unwrap().to_string();
    assert!(text.contains("BoundedWindowAggExec"), "{text}");
    assert!(!text.contains(" WindowAggExec"), "{text}");
}

async fn plan_error(sql: &str) -> String {
    let rows = panel(1, 10, 6, false);
    let ctx = context(&rows, 1);
    let err = match ctx.sql(sql).await {
        Err(e) => e,
        Ok(df) => df.collect().await.expect_err(sql),
    };
    err.to_string()
}

#[tokio::test]
async fn bad_parameters_fail_at_planning_with_the_core_message() {
    let core = apex_ta::Rsi::<f64>::new(0).unwrap_err().to_string();
    let e =
        plan_error("SELECT rsi(close, 0) OVER (PARTITION BY symbol ORDER BY ts) FROM bars").await;
    assert!(e.contains(&core) && e.contains("rsi"), "{e}");

    let core = apex_ta::Macd::<f64>::new(26, 12, 9)
        .unwrap_err()
        .to_string();
    let e = plan_error("SELECT macd(close, 26, 12, 9) OVER (ORDER BY ts) FROM bars").await;
    assert!(e.contains(&core), "{e}");

    for (sql, needle) in [
        ("SELECT rsi(close) OVER (ORDER BY ts) FROM bars", "rsi(x, n)"),
        ("SELECT rsi(close, -3) OVER (ORDER BY ts) FROM bars", "non-negative"),
        ("SELECT rsi(close, 2.5) OVER (ORDER BY ts) FROM bars", "literal"),
        ("SELECT rsi(close, CAST(ts AS BIGINT)) OVER (ORDER BY ts) FROM bars", "literal"),
        ("SELECT rsi(symbol, 14) OVER (ORDER BY ts) FROM bars", "must be a number"),
        ("SELECT rel_ratio(close, spy, 50, 'nope') OVER (ORDER BY ts) FROM bars", "'distance'"),
        (
            "SELECT apex_contribution(open, high, low, close, volume, spy, qqq, dgs2, 'nope') OVER (ORDER BY ts) FROM bars",
            "'vs_spy'",
        ),
        ("SELECT apex_score(open, high, low) OVER (ORDER BY ts) FROM bars", "apex_score(open"),
    ] {
        let e = plan_error(sql).await;
        assert!(e.contains(needle), "{sql}: {e}");
    }
}

#[tokio::test]
async fn literals_of_any_integer_type_and_null_inputs_work() {
    let ctx = SessionContext::new();
    apex_ta_datafusion::register_all(&ctx);
    let batch = run(
        &ctx,
        "SELECT sma(x, CAST(2 AS TINYINT)) OVER (ORDER BY i) AS a, \
                sma(CAST(x AS REAL), 3) OVER (ORDER BY i) AS b, \
                rolling_max(NULL, 2) OVER (ORDER BY i) AS c \
         FROM (VALUES (1, 1), (2, 3), (3, NULL), (4, 8)) AS t(i, x) ORDER BY i",
    )
    .await;
    // The NULL row is skipped: SMA(2) of (3, 8) on the last row.
    assert_eq!(column(&batch, "a"), vec![None, Some(2.0), None, Some(5.5)]);
    assert_eq!(column(&batch, "b"), vec![None, None, None, Some(4.0)]);
    assert_eq!(column(&batch, "c"), vec![None, None, None, None]);
}

#[tokio::test]
async fn labels_are_text() {
    let rows = panel(1, 300, 8, false);
    let batch = run(&context(&rows, 1), &query()).await;
    let labels = batch
        .column_by_name("apex_label")
        .unwrap()
        .as_string::<i32>();
    let words = ["strong sell", "sell", "neutral", "buy", "strong buy"];
    assert!((0..labels.len())
        .filter(|&i| !labels.is_null(i))
        .all(|i| words.contains(&labels.value(i))));
    assert!(labels.len() - labels.null_count() > 100);
}

/// Next to a window function that needs the whole partition, DataFusion
/// runs the group with `WindowAggExec`, which calls `evaluate_all`: the
/// same values as the row-by-row path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_partition_execution_gives_the_same_values() {
    let rows = panel(3, 400, 9, true);
    let ctx = context(&rows, 2);
    let whole = "SELECT symbol, ts, \
                 rsi(close, 14) OVER w AS rsi_14, \
                 apex_label(open, high, low, close, volume, spy, qqq, dgs2) OVER w AS apex_label, \
                 sum(close) OVER (PARTITION BY symbol ORDER BY ts \
                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total \
                 FROM bars WINDOW w AS (PARTITION BY symbol ORDER BY ts) ORDER BY symbol, ts";
    let plan = run(&ctx, &format!("EXPLAIN {whole}")).await;
    let plan = pretty_format_batches(&[plan]).unwrap().to_string();
    assert!(plan.contains(" WindowAggExec"), "{plan}");
    let a = run(&ctx, whole).await;
    let b = run(&ctx, &query()).await;
    let bits = |v: Vec<Option<f64>>| {
        v.into_iter()
            .map(|x| x.map(f64::to_bits))
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(column(&a, "rsi_14")), bits(column(&b, "rsi_14")));
    assert_eq!(
        common::strings(&a, "apex_label"),
        common::strings(&b, "apex_label")
    );
    assert!(column(&a, "rsi_14").iter().flatten().count() > 1000);
}
