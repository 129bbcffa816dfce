//! Facts of this run, the language switch, and the first paint's report.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{blocking, AppState, IpcResult};
use crate::crm::model::{Lookup, RecordKind};
use crate::crm::settings::Language;
use crate::store::{employees, settings};

#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    /// The demo workspace is open (F3); the UI marks it.
    pub demo: bool,
    /// The language the UI speaks: the setting's, else the OS locale's (F4).
    pub language: Language,
    /// The language chosen in the settings, `None` to follow the OS.
    pub language_setting: Option<Language>,
    pub time_zone: String,
    /// The own employee: whose calendar opens first and who owns new activities.
    pub current_employee: Option<Lookup>,
    pub version: String,
    /// Client secrets and tokens are sealed under a key in the OS keyring; else the database
    /// file's mode 0600 is their only protection, which the settings say (issue 7).
    pub secrets_sealed: bool,
}

/// Reads the facts of this run; `blocking` runs it off the async threads.
fn read_app_info(
    db: &crate::store::Db,
    demo: bool,
    zone: chrono_tz::Tz,
    os_language: Language,
) -> IpcResult<AppInfo> {
    let (s, current) = db.with(|c| {
        let s = settings::load(c)?;
        let current = match s.current_employee_id {
            Some(id) => Some(employees::get(c, id)?),
            None => None,
        };
        Ok::<_, crate::store::StoreError>((s, current))
    })?;
    Ok(AppInfo {
        demo,
        language: s.language.unwrap_or(os_language),
        language_setting: s.language,
        time_zone: zone.name().to_string(),
        current_employee: current.map(|e| Lookup {
            kind: RecordKind::Employee,
            id: e.id,
            label: format!("{} {}", e.fields.first_name, e.fields.last_name)
                .trim()
                .to_string(),
        }),
        version: env!("CARGO_PKG_VERSION").to_string(),
        secrets_sealed: db.seals_secrets(),
    })
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    let (demo, zone, os) = (state.demo, state.zone, state.os_language);
    blocking(&state, move |db| read_app_info(db, demo, zone, os)).await
}

#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Option<Language>,
) -> IpcResult<AppInfo> {
    let (demo, zone, os) = (state.demo, state.zone, state.os_language);
    blocking(&state, move |db| {
        db.with(|c| settings::set_language(c, language))?;
        read_app_info(db, demo, zone, os)
    })
    .await
}

/// Set by the first `first_paint`: a later call (a reload, the calendar mounted again) is not startup.
static FIRST_PAINT_REPORTED: AtomicBool = AtomicBool::new(false);

/// Asks for the `first-paint-ms` line on stdout, for the startup benchmark (issue 6).
pub const REPORT_FIRST_PAINT_ENV: &str = "TREFFPUNKT_REPORT_FIRST_PAINT";

/// The UI has painted the calendar with its first range's events: logs the time since `run` began
/// (the process's start, as near as the app can tell), and prints it for the startup benchmark
/// when asked to. Only the first call counts.
/// Async so that it never waits for the main thread, which is busy painting.
#[tauri::command]
pub async fn first_paint() {
    if FIRST_PAINT_REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let ms = crate::started_at().elapsed().as_millis();
    tracing::info!(ms, "first calendar paint");
    if std::env::var(REPORT_FIRST_PAINT_ENV).as_deref() == Ok("1") {
        // One line, flushed at once: the harness reads it while the app keeps running.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "first-paint-ms {ms}");
        let _ = out.flush();
    }
}
