//! A Ballista scheduler and executor in this process (standalone, on
//! loopback), both with the functions registered, run the parity query and
//! return the rows local DataFusion returns.
#![cfg(feature = "ballista")]
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

use common::{assert_parity, context, panel, query, run};
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::{ParquetReadOptions, SessionConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ballista_standalone_gives_the_rows_of_local_datafusion() {
    let rows = panel(5, 300, 11, true);
    let local_ctx = context(&rows, 2);
    let local = run(&local_ctx, &query()).await;
    assert_parity(&local, &rows);

    // Ballista's executors read files: the panel as Parquet, in 3 files.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ballista_panel");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    local_ctx
        .table("bars")
        .await
        .unwrap()
        .repartition(datafusion::logical_expr::Partitioning::RoundRobinBatch(3))
        .unwrap()
        .write_parquet(dir.to_str().unwrap(), DataFrameWriteOptions::new(), None)
        .await
        .unwrap();

    let ctx =
        apex_ta_datafusion::ballista::standalone(SessionConfig::new().with_target_partitions(3))
            .await
            .unwrap();
    ctx.register_parquet("bars", dir.to_str().unwrap(), ParquetReadOptions::default())
        .await
        .unwrap();
    // The query really goes to the scheduler: its plan has Ballista's
    // shuffle stages (hash by symbol), with the functions on the executors.
    let plan = run(&ctx, &format!("EXPLAIN {}", query())).await;
    let plan = pretty_format_batches(&[plan]).unwrap().to_string();
    assert!(plan.contains("ShuffleWriterExec"), "{plan}");
    assert!(plan.contains("BoundedWindowAggExec"), "{plan}");
    let distributed = run(&ctx, &query()).await;
    assert_eq!(distributed.num_rows(), rows.len());
    assert_parity(&distributed, &rows);
    assert_eq!(
        pretty_format_batches(&[local]).unwrap().to_string(),
        pretty_format_batches(&[distributed]).unwrap().to_string()
    );
}
