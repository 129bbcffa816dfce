//! A bare Tauri 2 app: one window with one static page. The baseline that Treffpunkt's startup
//! time and memory are compared with; it reports its first paint as Treffpunkt does.

// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Taken first thing in `main`, as Treffpunkt takes it first thing in `run`.
static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

/// The same moment on the wall clock, in ms since the Unix epoch (the page's clock is one).
static STARTED_EPOCH_MS: OnceLock<f64> = OnceLock::new();

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The page has painted: prints the time since start for the benchmark, once, and before it the
/// page's steps on the process's time line, as Treffpunkt does: when the page began loading
/// (`performance.timeOrigin`), when its script ran and when it had painted (`performance.now()`).
#[tauri::command]
async fn first_paint(page_origin_epoch_ms: f64, script: f64, painted: f64) {
    if REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let ms = STARTED.get_or_init(Instant::now).elapsed().as_millis();
    if std::env::var("TREFFPUNKT_REPORT_FIRST_PAINT").as_deref() == Ok("1") {
        let page = page_origin_epoch_ms - STARTED_EPOCH_MS.get().copied().unwrap_or_default();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "startup-phases page={page:.0} script={:.0} painted={:.0}",
            page + script,
            page + painted
        );
        let _ = writeln!(out, "first-paint-ms {ms}");
        let _ = out.flush();
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    STARTED_EPOCH_MS.get_or_init(epoch_ms);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_paint])
        .run(tauri::generate_context!())
        .expect("the bare Tauri app could not start");
}
