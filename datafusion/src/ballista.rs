//! Ballista: the scheduler, executors and clients that know this crate's
//! functions (feature `ballista`).
//!
//! A Ballista query is planned on the scheduler (the client sends it the
//! logical plan) and its stages run on executors (the scheduler sends them
//! physical plans). Both ends decode the plans with DataFusion's protobuf
//! codec, which writes a window function by its name and reads it back
//! from the receiving process's function registry. The functions carry no
//! state beyond their name (parameters are literal arguments, serialised
//! with the plan), so the default codecs suffice: no custom
//! `LogicalExtensionCodec` or `PhysicalExtensionCodec`, only the functions
//! registered in three places:
//!
//! * the client's context ([`remote`]): to plan the SQL;
//! * the scheduler's session builder ([`scheduler_config`]): to decode the
//!   logical plan and plan the stages;
//! * each executor's function registry ([`function_registry`],
//!   [`executor_config`]): to decode the stages it runs.
//!
//! [`standalone`] does all three in one process, on loopback (tests,
//! trying it out). On a cluster, run the binary `apex-ta-ballista
//! scheduler` once and `apex-ta-ballista executor` on every worker (see the
//! README), and connect with [`remote`].
//!
//! Where the work is split: `PARTITION BY symbol` makes Ballista
//! hash-repartition the rows by symbol into `target_partitions` shuffle
//! partitions; each task sorts its partitions by (symbol, ts) and runs the
//! window functions over whole symbols. A symbol's rows are always in one
//! task, so the values equal a single process's, bit for bit.

use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use ballista_core::config::TaskSchedulingPolicy;
use ballista_core::extension::SessionConfigExt;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_executor::executor_process::ExecutorProcessConfig;
use ballista_scheduler::config::SchedulerConfig;
use datafusion::error::Result;
use datafusion::execution::{FunctionRegistry, SessionState};
use datafusion::prelude::{SessionConfig, SessionContext};

/// Ballista's default session state for `config` (its functions, optimizer
/// rules and runtime) with this crate's functions registered.
///
/// The scheduler's session builder ([`scheduler_config`]); clients use
/// [`remote`] or [`standalone`].
///
/// # Errors
///
/// DataFusion's, if the runtime cannot be built.
pub fn session_state(config: SessionConfig) -> Result<SessionState> {
    let mut state = default_session_builder(config)?;
    crate::register_all_on(&mut state)?;
    Ok(state)
}

/// Ballista's default executor function registry plus this crate's
/// functions.
pub fn function_registry() -> BallistaFunctionRegistry {
    let mut registry = BallistaFunctionRegistry::default();
    for f in crate::window_functions() {
        registry
            .window_functions
            .insert(f.name().to_string(), Arc::new(f));
    }
    registry
}

/// A scheduler configuration (Ballista's defaults) whose sessions know this
/// crate's functions.
///
/// Tasks are pulled by the executors (Ballista's pull-staged policy, as in
/// its standalone mode); [`executor_config`] matches.
pub fn scheduler_config() -> SchedulerConfig {
    SchedulerConfig::default()
        .with_scheduler_policy(TaskSchedulingPolicy::PullStaged)
        .with_override_session_builder(Arc::new(session_state))
}

/// An executor configuration (Ballista's defaults, to be adjusted: scheduler
/// address, ports, task slots) whose function registry knows this crate's
/// functions.
pub fn executor_config() -> ExecutorProcessConfig {
    ExecutorProcessConfig {
        override_function_registry: Some(Arc::new(function_registry())),
        task_scheduling_policy: TaskSchedulingPolicy::PullStaged,
        ..ExecutorProcessConfig::default()
    }
}

/// A client context connected to the Ballista scheduler at `url`
/// (`df://host:50050`), with this crate's functions registered for
/// planning.
///
/// (Ballista's `SessionContext::remote_with_state` rebuilds the state it
/// is given and leaves out user-defined window functions; this registers
/// them again on the resulting context.)
///
/// ```no_run
/// use datafusion::prelude::{ParquetReadOptions, SessionConfig};
///
/// # #[tokio::main]
/// # async fn main() -> datafusion::error::Result<()> {
/// let ctx = apex_ta_datafusion::ballista::remote("df://sched-host:50050", SessionConfig::new())
///     .await?;
/// ctx.register_parquet("bars", "/shared/panel/", ParquetReadOptions::default())
///     .await?;
/// let apex = ctx
///     .sql("SELECT symbol, ts, apex_score(open, high, low, close, volume, spy, qqq) \
///           OVER (PARTITION BY symbol ORDER BY ts) AS apex FROM bars")
///     .await?
///     .collect()
///     .await?;
/// # let _ = apex;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// Ballista's, if `url` is malformed or the state cannot be built.
pub async fn remote(url: &str, config: SessionConfig) -> Result<SessionContext> {
    let state = session_state(config.upgrade_for_ballista())?;
    let ctx = SessionContext::remote_with_state(url, state).await?;
    register_missing(&ctx);
    Ok(ctx)
}

/// Registers on `ctx` each of this crate's functions it lacks.
fn register_missing(ctx: &SessionContext) {
    for f in crate::window_functions() {
        if ctx.udwf(f.name()).is_err() {
            ctx.register_udwf(f);
        }
    }
}

/// A Ballista scheduler and one executor in this process, on loopback
/// ports the OS picks, both knowing this crate's functions, and a client
/// context connected to them.
///
/// `config` is the client's session configuration (e.g. its target
/// partitions); Ballista's own settings are added to it.
///
/// ```no_run
/// use datafusion::prelude::SessionConfig;
///
/// # #[tokio::main]
/// # async fn main() -> datafusion::error::Result<()> {
/// let ctx = apex_ta_datafusion::ballista::standalone(SessionConfig::new().with_target_partitions(4))
///     .await?;
/// let rows = ctx
///     .sql("SELECT rsi(x, 2) OVER (ORDER BY i) FROM (VALUES (1, 1.0), (2, 2.0), (3, 1.5)) AS t(i, x)")
///     .await?
///     .collect()
///     .await?;
/// # let _ = rows;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// Ballista's, if the scheduler or the executor cannot start.
pub async fn standalone(config: SessionConfig) -> Result<SessionContext> {
    let state = session_state(config.upgrade_for_ballista())?;
    let ctx = SessionContext::standalone_with_state(state).await?;
    // The client's state came through Ballista's upgrade, which leaves out
    // user-defined window functions: register them again to plan with.
    register_missing(&ctx);
    Ok(ctx)
}
