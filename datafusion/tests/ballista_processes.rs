//! The `apex-ta-ballista` binary as a cluster on loopback: a scheduler and
//! an executor process, and a client in this process with the functions
//! registered, give the rows the core crate gives.
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

use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_parity, context, panel, query, run};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::{ParquetReadOptions, SessionConfig};

/// A child process killed when dropped (a failing test leaves none behind).
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(args: &[String]) -> Child {
    Child(
        Command::new(env!("CARGO_BIN_EXE_apex-ta-ballista"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("apex-ta-ballista starts"),
    )
}

/// Waits (up to 60 s) until something listens on 127.0.0.1:`port`.
fn wait_for(port: u16, child: &mut Child) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.0.try_wait().unwrap() {
            panic!("apex-ta-ballista exited with {status}");
        }
        assert!(
            start.elapsed() < Duration::from_mins(1),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_a_scheduler_and_an_executor_that_know_the_functions() {
    let rows = panel(4, 250, 12, true);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ballista_processes_panel");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    context(&rows, 2)
        .table("bars")
        .await
        .unwrap()
        .write_parquet(dir.to_str().unwrap(), DataFrameWriteOptions::new(), None)
        .await
        .unwrap();

    let scheduler_port = free_port();
    let mut scheduler = spawn(&[
        "scheduler".into(),
        "--bind".into(),
        format!("127.0.0.1:{scheduler_port}"),
    ]);
    wait_for(scheduler_port, &mut scheduler);
    let (flight, grpc) = (free_port(), free_port());
    let mut executor = spawn(&[
        "executor".into(),
        "--scheduler".into(),
        format!("127.0.0.1:{scheduler_port}"),
        "--bind".into(),
        "127.0.0.1".into(),
        "--external-host".into(),
        "127.0.0.1".into(),
        "--port".into(),
        flight.to_string(),
        "--grpc-port".into(),
        grpc.to_string(),
        "--slots".into(),
        "2".into(),
    ]);
    wait_for(flight, &mut executor);

    let ctx = apex_ta_datafusion::ballista::remote(
        &format!("df://127.0.0.1:{scheduler_port}"),
        SessionConfig::new().with_target_partitions(2),
    )
    .await
    .unwrap();
    ctx.register_parquet("bars", dir.to_str().unwrap(), ParquetReadOptions::default())
        .await
        .unwrap();
    // A cluster that cannot run the query fails the test, never hangs it.
    let result = tokio::time::timeout(Duration::from_mins(3), run(&ctx, &query()))
        .await
        .expect("the query finishes within 3 minutes");
    assert_parity(&result, &rows);
}
