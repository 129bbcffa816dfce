//! Facts of this run, the language switch, and the reports for the benchmarks: the calendar's first
//! paint, FullCalendar's taking over, and the time from an input to its painted result.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use super::{blocking, AppState, IpcError, IpcResult};
use crate::crm::activity::CalendarEntry;
use crate::crm::calendar::{MAX_OPEN_CALENDARS, MAX_REMINDER_MINUTES};
use crate::crm::model::{Employee, Lookup};
use crate::crm::settings::Language;
use crate::crm::team_database::TeamWorkspace;
use crate::crm::ErrorCode;
use crate::services::app::{self, Facts};

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
    /// file's mode 0600 is their only protection, which the settings say.
    pub secrets_sealed: bool,
    /// How many calendars can be open beside each other (C1): the UI words its refusal with it.
    pub max_open_calendars: u32,
    /// The longest reminder lead time in minutes (D1): the reminder fields' upper bound.
    pub max_reminder_minutes: u32,
    /// The team workspace the window works in; `None` in a local workspace (the SQLite file).
    pub team_workspace: Option<TeamWorkspace>,
    /// The benchmarks asked for the UI's measurements (`TREFFPUNKT_REPORT_FIRST_PAINT=1`): the UI
    /// times its interactions and sends them (`interaction_mark`); else it does not time them.
    pub report_marks: bool,
}

/// What the state knows of this run, taken along to the blocking thread.
struct Run {
    demo: bool,
    zone: chrono_tz::Tz,
    os_language: Language,
    team: Option<TeamWorkspace>,
}

impl Run {
    fn of(state: &AppState) -> Run {
        Run {
            demo: state.demo,
            zone: state.zone,
            os_language: state.os_language,
            team: state.team.clone(),
        }
    }
}

/// The facts of this run around the workspace's.
fn info_of(facts: Facts, run: Run) -> AppInfo {
    AppInfo {
        demo: run.demo,
        language: facts.language_setting.unwrap_or(run.os_language),
        language_setting: facts.language_setting,
        time_zone: run.zone.name().to_string(),
        current_employee: facts.current_employee,
        version: env!("CARGO_PKG_VERSION").to_string(),
        secrets_sealed: facts.secrets_sealed,
        max_open_calendars: MAX_OPEN_CALENDARS as u32,
        max_reminder_minutes: MAX_REMINDER_MINUTES as u32,
        team_workspace: run.team,
        report_marks: reporting(),
    }
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    let run = Run::of(&state);
    blocking(&state, move |db| Ok(info_of(app::facts(db)?, run))).await
}

/// All the window needs to show its first view, the opening week of the own calendar, in one
/// answer: one round trip through the IPC before the first paint instead of two in a row
/// (`app_info`, then the employees and the week side by side).
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpeningView {
    pub info: AppInfo,
    /// The employees, whose colours the calendar draws in (as `search_employees("")`, with its
    /// limit).
    pub employees: Vec<Employee>,
    /// The own calendar's entries in the opening range; none while there is no own employee.
    pub entries: Vec<CalendarEntry>,
}

#[tauri::command]
pub async fn opening_view(
    state: State<'_, AppState>,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> IpcResult<OpeningView> {
    super::calendar::check_range(from, to)?;
    let run = Run::of(&state);
    blocking(&state, move |db| {
        let opening = app::opening(db, from, to, super::LIST_LIMIT)?;
        Ok(OpeningView {
            info: info_of(opening.facts, run),
            employees: opening.employees,
            entries: opening.entries,
        })
    })
    .await
}

#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Option<Language>,
) -> IpcResult<AppInfo> {
    let run = Run::of(&state);
    blocking(&state, move |db| {
        Ok(info_of(app::set_language(db, language)?, run))
    })
    .await
}

/// Set by the first `first_paint`: a later call (a reload, the calendar mounted again) is not startup.
static FIRST_PAINT_REPORTED: AtomicBool = AtomicBool::new(false);
/// Set by the first `calendar_ready`, for the same reason.
static CALENDAR_READY_REPORTED: AtomicBool = AtomicBool::new(false);
/// When the page began loading, in ms since the process began: from the first paint's time line,
/// so that `calendar_ready` can put the UI's clock on the process's.
static PAGE_AT_MS: OnceLock<f64> = OnceLock::new();

/// Asks for the `first-paint-ms` and `startup-phases` lines on stdout, for the startup benchmark,
/// and the `interaction-ms` lines, for the window benchmark.
pub const REPORT_FIRST_PAINT_ENV: &str = "TREFFPUNKT_REPORT_FIRST_PAINT";

/// Where the lines go instead of stdout: a file they are appended to. The window benchmark starts
/// the app through tauri-driver, which gives it no stdout.
pub const REPORT_FILE_ENV: &str = "TREFFPUNKT_REPORT_FILE";

/// Whether this run prints the measurements for the benchmarks.
fn reporting() -> bool {
    std::env::var(REPORT_FIRST_PAINT_ENV).as_deref() == Ok("1")
}

/// Writes `lines` for the benchmarks at once (they read them while the app keeps running): to the
/// report file when one is named, else to stdout.
fn report(lines: &[String]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    match std::env::var_os(REPORT_FILE_ENV) {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path);
            if let Ok(mut file) = file {
                let _ = file.write_all(text.as_bytes());
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
}

/// When the UI reached each step of its start, in milliseconds of its own clock
/// (`performance.now()`, 0 when the page began loading), with that 0 on the wall clock. Rust puts
/// them on the process's time line, so the benchmark can say where the time to the first paint goes.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct StartupTimeline {
    /// `performance.timeOrigin`: when the page began loading, in ms since the Unix epoch.
    pub page_origin_epoch_ms: f64,
    /// The UI's code had been loaded and began to run.
    pub script: f64,
    /// The app's facts had arrived (`opening_view`).
    pub info: f64,
    /// The calendar's first range had arrived (with the facts, from `opening_view`).
    pub range: f64,
    /// The calendar's first view was in the DOM.
    pub rendered: f64,
    /// The frame with it had been painted.
    pub painted: f64,
}

/// The steps of a start in ms since the process began: (name, ms).
type Phases = [(&'static str, f64); 6];

impl StartupTimeline {
    /// The steps on the process's time line, or why the UI's numbers cannot be true.
    fn phases(&self, process_start_epoch_ms: f64) -> Result<Phases, String> {
        if !self.page_origin_epoch_ms.is_finite() || self.page_origin_epoch_ms <= 0.0 {
            return Err("the page's start is not a time".into());
        }
        // Each step after the one before, all within an hour of the page's start.
        let mut before = 0.0;
        for step in [
            self.script,
            self.info,
            self.range,
            self.rendered,
            self.painted,
        ] {
            if !step.is_finite() || step < before || step > LONGEST_START_MS {
                return Err("the steps of the start are not in order".into());
            }
            before = step;
        }
        let page = self.page_origin_epoch_ms - process_start_epoch_ms;
        Ok([
            ("page", page),
            ("script", page + self.script),
            ("info", page + self.info),
            ("range", page + self.range),
            ("rendered", page + self.rendered),
            ("painted", page + self.painted),
        ])
    }
}

/// The UI has painted the calendar with its first range's events: logs the time since `run` began
/// (the process's start, as near as the app can tell) and where it went, and prints both for the
/// startup benchmark when asked to. Only the first call counts.
/// Async so that it never waits for the main thread, which is busy painting.
#[tauri::command]
pub async fn first_paint(timeline: Option<StartupTimeline>) -> IpcResult<()> {
    let phases = match &timeline {
        Some(t) => Some(
            t.phases(crate::startup::started_at_epoch_ms())
                .map_err(|why| IpcError::new(ErrorCode::InvalidTimeline, why))?,
        ),
        None => None,
    };
    if FIRST_PAINT_REPORTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    if let Some(phases) = &phases {
        let _ = PAGE_AT_MS.set(phases[0].1);
    }
    let ms = crate::startup::started_at().elapsed().as_millis();
    let steps = phases.map(|p| {
        p.iter()
            .map(|(name, at)| format!("{name}={at:.0}"))
            .collect::<Vec<_>>()
            .join(" ")
    });
    tracing::info!(
        ms,
        steps = steps.as_deref().unwrap_or(""),
        "first calendar paint"
    );
    if reporting() {
        // The phases come first, so that the harness has them when the paint's line ends its wait.
        let mut lines: Vec<String> = steps
            .map(|s| format!("startup-phases {s}"))
            .into_iter()
            .collect();
        lines.push(format!("first-paint-ms {ms}"));
        report(&lines);
    }
    Ok(())
}

/// The longest a start may take and still be reported, in ms.
const LONGEST_START_MS: f64 = 3_600_000.0;

/// FullCalendar has taken over from the calendar's first view and its frame has been painted:
/// the calendar can be used. `at_ms` is the UI's clock (`performance.now()`). Logged, and printed
/// as `calendar-ready-ms` for the startup benchmark when asked to. Only the first call counts.
#[tauri::command]
pub async fn calendar_ready(at_ms: f64) -> IpcResult<()> {
    if !at_ms.is_finite() || !(0.0..=LONGEST_START_MS).contains(&at_ms) {
        return Err(IpcError::new(
            ErrorCode::InvalidTimeline,
            "the calendar's time is not a time since the page began",
        ));
    }
    if CALENDAR_READY_REPORTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    // On the process's clock when the first paint said where the page began; else as received.
    let ms = match PAGE_AT_MS.get() {
        Some(page) => page + at_ms,
        None => crate::startup::started_at().elapsed().as_secs_f64() * 1000.0,
    };
    tracing::info!(ms = ms.round(), "calendar ready");
    if reporting() {
        report(&[format!("calendar-ready-ms {ms:.0}")]);
    }
    Ok(())
}

/// What a user does in the window that the window benchmark times, from the input to the frame
/// with its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Interaction {
    /// The calendar's "next" button: the following week with its events.
    NextWeek,
    /// A record (contact, business partner, activity ...) opened from a list or the calendar:
    /// its page with its fields.
    OpenRecord,
    /// A letter typed into a list's search: the list of what it finds.
    ListSearch,
    /// A meeting chosen in the calendar's action choice: the meeting dialog.
    MeetingDialog,
}

impl Interaction {
    /// Its name on the `interaction-ms` line.
    fn label(self) -> &'static str {
        match self {
            Interaction::NextWeek => "next-week",
            Interaction::OpenRecord => "open-record",
            Interaction::ListSearch => "list-search",
            Interaction::MeetingDialog => "meeting-dialog",
        }
    }
}

/// The longest an interaction may take and still be reported, in ms: a minute is a hang.
const LONGEST_INTERACTION_MS: f64 = 60_000.0;

/// The line printed for one measurement: `interaction-ms next-week 12.3`.
fn interaction_line(interaction: Interaction, ms: f64) -> Result<String, IpcError> {
    if !ms.is_finite() || !(0.0..=LONGEST_INTERACTION_MS).contains(&ms) {
        return Err(IpcError::new(
            ErrorCode::InvalidTimeline,
            "the interaction's time is not a duration",
        ));
    }
    Ok(format!("interaction-ms {} {ms:.1}", interaction.label()))
}

/// The UI painted the result of `interaction` `ms` after its input. The UI times and sends only
/// when the run reports (`AppInfo::report_marks`); printed for the window benchmark then.
#[tauri::command]
pub async fn interaction_mark(interaction: Interaction, ms: f64) -> IpcResult<()> {
    let line = interaction_line(interaction, ms)?;
    if reporting() {
        report(&[line]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline() -> StartupTimeline {
        StartupTimeline {
            page_origin_epoch_ms: 1_000_120.0,
            script: 30.0,
            info: 40.0,
            range: 55.5,
            rendered: 90.0,
            painted: 110.0,
        }
    }

    #[test]
    fn the_uis_steps_land_on_the_process_time_line() {
        let phases = timeline().phases(1_000_000.0).unwrap();
        assert_eq!(
            phases,
            [
                ("page", 120.0),
                ("script", 150.0),
                ("info", 160.0),
                ("range", 175.5),
                ("rendered", 210.0),
                ("painted", 230.0),
            ]
        );
    }

    #[test]
    fn steps_out_of_order_or_not_numbers_are_refused() {
        let mut t = timeline();
        t.range = 20.0;
        assert!(t.phases(1_000_000.0).is_err());
        let mut t = timeline();
        t.painted = f64::NAN;
        assert!(t.phases(1_000_000.0).is_err());
        let mut t = timeline();
        t.page_origin_epoch_ms = f64::INFINITY;
        assert!(t.phases(1_000_000.0).is_err());
        let mut t = timeline();
        t.script = -1.0;
        assert!(t.phases(1_000_000.0).is_err());
    }

    #[test]
    fn an_interaction_is_one_line_the_window_benchmark_reads() {
        assert_eq!(
            interaction_line(Interaction::NextWeek, 12.34).unwrap(),
            "interaction-ms next-week 12.3"
        );
        assert_eq!(
            interaction_line(Interaction::MeetingDialog, 0.0).unwrap(),
            "interaction-ms meeting-dialog 0.0"
        );
        // The UI's name for it is the Rust one in snake case.
        let parsed: Interaction = serde_json::from_str("\"list_search\"").unwrap();
        assert_eq!(parsed, Interaction::ListSearch);
    }

    #[test]
    fn an_interaction_time_that_is_no_duration_is_refused() {
        for ms in [-1.0, f64::NAN, f64::INFINITY, LONGEST_INTERACTION_MS + 1.0] {
            let e = interaction_line(Interaction::OpenRecord, ms).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidTimeline, "{ms}");
        }
    }
}
