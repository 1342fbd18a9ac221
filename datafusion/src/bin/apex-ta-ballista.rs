//! `apex-ta-ballista`: a Ballista scheduler or executor that knows the
//! apex-ta window functions.
//!
//! ```text
//! apex-ta-ballista scheduler --bind 0.0.0.0:50050
//! apex-ta-ballista executor --scheduler sched-host:50050 --bind 0.0.0.0 \
//!     --external-host worker-1 --port 50051 --grpc-port 50052 --slots 8
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use apex_ta_datafusion::ballista::{executor_config, scheduler_config};
use ballista_executor::executor_process::start_executor_process;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::scheduler_process::start_server;
use clap::{Parser, Subcommand};

/// A Ballista scheduler or executor with the apex-ta window functions
/// (rsi, macd, atr, apex_score, …) registered.
#[derive(Debug, Parser)]
#[command(name = "apex-ta-ballista", version)]
struct Cli {
    #[command(subcommand)]
    role: Role,
}

#[derive(Debug, Subcommand)]
enum Role {
    /// Plans queries and hands their stages to the executors.
    Scheduler {
        /// Address to listen on for clients and executors.
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: SocketAddr,
    },
    /// Runs query stages for a scheduler.
    Executor {
        /// The scheduler's host:port.
        #[arg(long, default_value = "localhost:50050")]
        scheduler: String,
        /// Host to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Host name the scheduler and other executors reach this one by.
        #[arg(long)]
        external_host: Option<String>,
        /// Arrow Flight port (shuffle data).
        #[arg(long, default_value_t = 50051)]
        port: u16,
        /// gRPC port (tasks from the scheduler).
        #[arg(long, default_value_t = 50052)]
        grpc_port: u16,
        /// Concurrent task slots (default: the number of cores).
        #[arg(long)]
        slots: Option<usize>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("apex-ta-ballista: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async move {
        match cli.role {
            Role::Scheduler { bind } => {
                let config = scheduler_config();
                let cluster = BallistaCluster::new_from_config(&config).await?;
                start_server(cluster, bind, Arc::new(config)).await
            }
            Role::Executor {
                scheduler,
                bind,
                external_host,
                port,
                grpc_port,
                slots,
            } => {
                let (host, scheduler_port) = scheduler
                    .rsplit_once(':')
                    .and_then(|(h, p)| Some((h.to_string(), p.parse().ok()?)))
                    .unwrap_or((scheduler, 50050));
                let mut config = executor_config();
                config.scheduler_host = host;
                config.scheduler_port = scheduler_port;
                config.bind_host = bind;
                config.external_host = external_host;
                config.port = port;
                config.grpc_port = grpc_port;
                if let Some(n) = slots {
                    config.vcores = n;
                }
                start_executor_process(Arc::new(config)).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("apex-ta-ballista: {e}");
            ExitCode::from(1)
        }
    }
}
