//! A bare Tauri 2 app: one window with one static page. The baseline that Treffpunkt's startup
//! time and memory are compared with (issue 6); it reports its first paint as Treffpunkt does.

// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

/// Taken first thing in `main`, as Treffpunkt takes it first thing in `run`.
static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

/// The page has painted: prints the time since start for the benchmark, once.
#[tauri::command]
async fn first_paint() {
    if REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let ms = STARTED.get_or_init(Instant::now).elapsed().as_millis();
    if std::env::var("TREFFPUNKT_REPORT_FIRST_PAINT").as_deref() == Ok("1") {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "first-paint-ms {ms}");
        let _ = out.flush();
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_paint])
        .run(tauri::generate_context!())
        .expect("the bare Tauri app could not start");
}
