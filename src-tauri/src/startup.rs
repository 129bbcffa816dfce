//! When the process started: the first calendar paint and the opening's phases are measured from
//! here, by the commands and by `run`, which takes the moment first thing.

use std::sync::OnceLock;
use std::time::Instant;

/// When this process started, as near as the app can tell: taken first thing in `run`. The first
/// calendar paint is measured from here.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// The same moment on the wall clock, in ms since the Unix epoch: the webview's clock is a wall
/// clock, and its steps are put on the process's time line with it.
static STARTED_EPOCH_MS: OnceLock<f64> = OnceLock::new();

/// The instant `run` began (or, outside `run`, the first time it is asked).
pub fn started_at() -> Instant {
    started_at_epoch_ms();
    *STARTED.get_or_init(Instant::now)
}

/// When `run` began, in ms since the Unix epoch (see `started_at`).
pub fn started_at_epoch_ms() -> f64 {
    *STARTED_EPOCH_MS.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    })
}
