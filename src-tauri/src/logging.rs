//! Logs (F5): `tracing` to a daily rotating file in the workspace's log directory, a week kept.
//! Nothing secret is ever logged: tokens, secrets and codes never reach a `tracing` call.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

pub const LOG_FILE_PREFIX: &str = "treffpunkt";
const KEPT_FILES: usize = 7;

/// Starts logging to `dir`. Keep the guard alive for as long as the app runs: dropping it
/// flushes the file.
pub fn init(dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(dir).ok()?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("TREFFPUNKT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,treffpunkt=debug"));
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(writer).with_ansi(false))
        .with(fmt::layer().with_writer(std::io::stderr))
        .try_init()
        .is_ok();
    installed.then_some(guard)
}
