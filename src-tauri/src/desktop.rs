//! The desktop app's wiring: the window, its commands, the OS notifications and the single-instance
//! guard (Tauri). Behind the `desktop` feature, which the fuzz targets leave off: they test the
//! parsers and builders and need not compile the webview's stack.

use std::sync::Arc;

use chrono_tz::Tz;
use tauri::{Manager, Runtime};

use crate::commands::{self, AppState};
use crate::crm::team_database::TeamWorkspace;
use crate::store::{self, Db};
use crate::workspace::{self, Workspace};
use crate::{
    admin_cli, crm, demo, logging, microsoft, open_workspace, os_language, os_time_zone, reminders,
    services, started_at, teams, EXIT_WORKSPACE_IN_USE,
};

/// Keeps the log writer alive (and flushing) for as long as the app runs.
struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);

/// Registers every command on `builder`; the app and the tests (mock runtime) share this.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(crate::command_list!())
}

/// D1: a reminder as an OS notification, in the user's language with the start in the user's
/// zone (`os_notification`). A sent Teams meeting's reminder carries "An Besprechung teilnehmen"
/// as an action: tauri-plugin-notification 2.8 shows the actions of the notification's registered
/// action type as buttons on desktop (Linux: the Desktop Notifications Specification's actions, which
/// a server without the "actions" capability leaves out) and reports them, and a click on the
/// notification itself as `tap`, to `on_action` (see `on_notification_action`). Without a session
/// bus or notification daemon (a headless machine) this fails; the in-app notification centre
/// shows the reminder anyway.
fn notify_os<R: Runtime>(
    app: &tauri::AppHandle<R>,
    workspace: &services::Workspace,
    zone: Tz,
    r: &reminders::Reminder,
) {
    use reminders::os_notification::{join_action_type, os_notification, JOIN_ACTION};
    use tauri_plugin_notification::{Action, ActionType, NotificationExt};
    // The language is this desktop's; whether Teams is on, the team's (the shared settings).
    let preferences = workspace
        .store()
        .with(|c| store::settings::load(c))
        .and_then(|local| {
            store::interface::read(workspace.shared(), |s| {
                let team = s.system_settings()?;
                let own = team.current_employee_id.unwrap_or(0);
                let mc = s.mail_configuration_of_employee(own)?;
                Ok::<_, store::StoreError>(crm::rules::teams_available(&team, mc.as_ref()))
            })
            .map(|teams| (local.language, teams))
        });
    let (language, join_offered) = match preferences {
        Ok((language, teams)) => (language.unwrap_or_else(os_language), teams),
        Err(e) => {
            tracing::warn!("reminder settings unreadable: {e}");
            (os_language(), false)
        }
    };
    let n = os_notification(r, zone, language, join_offered);
    let notification = app.notification();
    let mut builder = notification
        .builder()
        .title(&n.title)
        .body(&n.body)
        .extra(ACTIVITY_ID, r.activity_id);
    if let Some(label) = &n.join_label {
        let action_type = join_action_type(language);
        let registered =
            notification.register_action_types(vec![ActionType::builder(&action_type)
                .actions(vec![Action::builder(JOIN_ACTION, label).build()])
                .build()]);
        if registered.is_ok() {
            builder = builder.action_type_id(action_type);
        }
    }
    if let Err(e) = builder.show() {
        tracing::debug!("no OS notification: {e}");
    }
}

/// The key of a reminder notification's activity in its `extra` data.
const ACTIVITY_ID: &str = "activity_id";

/// What a click on a reminder notification does: "An Besprechung teilnehmen" joins the meeting
/// (the same link `join_meeting` opens); a click on the notification itself brings the window to
/// the front on the activity (the webview listens for `treffpunkt:open-activity`).
fn on_notification_action<R: Runtime>(
    app: &tauri::AppHandle<R>,
    shared: &dyn store::interface::Engine,
    performed: &tauri_plugin_notification::ActionPerformed,
) {
    let Some(id) = performed
        .notification()
        .and_then(|n| n.extra().get(ACTIVITY_ID))
        .and_then(serde_json::Value::as_i64)
    else {
        return;
    };
    match performed.action_id() {
        reminders::os_notification::JOIN_ACTION => {
            match store::interface::read(shared, |s| teams::join::join_link(s, id)) {
                Ok(Some(url)) => {
                    if let Err(e) = opener::open(url.as_str()) {
                        tracing::warn!(activity = id, "joining from the reminder failed: {e}");
                    }
                }
                Ok(None) => {
                    tracing::info!(activity = id, "the reminder's meeting has no join link")
                }
                Err(e) => tracing::warn!(activity = id, "joining from the reminder failed: {e}"),
            }
        }
        "tap" => {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
                // A DOM event rather than a Tauri event: the webview is granted no permission to
                // listen (capabilities/main.json). `id` is a number, nothing else goes in.
                let _ = window.eval(format!(
                    "window.dispatchEvent(new CustomEvent('treffpunkt:open-activity', {{ detail: {id} }}))"
                ));
            }
        }
        _ => {}
    }
}

/// Keeps the team database's live listener running for as long as the app runs.
struct LiveChanges(#[allow(dead_code)] crate::store::postgres::live::Listener);

/// Starts hearing the team database's changes, and whether it is reachable, for the window (as
/// the DOM event `treffpunkt:live`: the webview may not listen to Tauri's events).
fn listen_for_changes<R: Runtime>(
    workspace: &services::Workspace,
    app: &tauri::AppHandle<R>,
) -> Result<LiveChanges, String> {
    let connect = services::team_database::saved_connector(workspace)
        .map_err(|e| e.to_string())?
        .ok_or("the team database's connection is no longer saved")?;
    let handle = app.clone();
    let listener = services::live::start(connect, move |message| {
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.eval(services::live::dom_event_script(&message));
        }
    });
    Ok(LiveChanges(listener))
}

/// What the app needs before its first command: the log, the workspace and its open database.
struct Opened {
    log: LogGuard,
    lock: workspace::WorkspaceLock,
    ws: Workspace,
    zone: Tz,
    db: Arc<Db>,
    /// The data the window works on: the local file, or the team database with its name.
    workspace: services::Workspace,
    team: Option<TeamWorkspace>,
}

/// Why the app did not open its workspace.
enum NotOpened {
    /// Another process has it (that one's window is the user's, see `single_instance`), or its
    /// lock cannot be taken: either way this process must not touch it.
    Taken(workspace::WorkspaceLockError),
    Failed(String),
}

/// Opens the log and the workspace's database under the OS data directory of the app `identifier`
/// (where Tauri's `app_data_dir` is), after taking the workspace: a second process touches no file.
fn open_log_and_workspace(ws: Workspace) -> Result<Opened, NotOpened> {
    let lock = ws.lock().map_err(NotOpened::Taken)?;
    let log = LogGuard(logging::init(&ws.log_dir()));
    let zone = os_time_zone();
    tracing::info!(demo = ws.demo, zone = zone.name(), "starting Treffpunkt");
    let db = Arc::new(open_workspace(&ws, zone).map_err(|e| NotOpened::Failed(e.to_string()))?);
    // The demo is always the local file; another workspace works on the team database when this
    // desktop has a connection to one saved. Connecting here, beside GTK's making the window, so
    // that a server slow to answer does not hold up the first paint.
    let (workspace, team) = if ws.demo {
        (services::Workspace::new(db.clone()), None)
    } else {
        services::team_database::at_start(db.clone())
    };
    Ok(Opened {
        log,
        lock,
        ws,
        zone,
        db,
        workspace,
        team,
    })
}

/// A second start of the app on a workspace hands over to the first and ends: the first one's
/// window comes to the front. Where no session bus lets the two find each other, the second one
/// still touches nothing: its workspace lock is refused (`open_log_and_workspace`).
fn single_instance<R: Runtime>(ws: &Workspace, identifier: &str) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(format!("{identifier}.{}", ws.instance_name()))
        .callback(|app, _args, _cwd| {
            tracing::info!("a second start handed over to this window");
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build()
}

pub fn run() {
    started_at();
    let args: Vec<String> = std::env::args().collect();
    let context = tauri::generate_context!();
    let identifier = context.config().identifier.clone();
    let app_data_dir = dirs::data_dir().map(|d| d.join(&identifier));
    if let Some(code) = admin_cli::run(&args, app_data_dir.as_deref()) {
        std::process::exit(code);
    }
    // The database (migrations, the keyring's key) opens on its own thread while GTK makes the
    // window and its webview: the webview's process starts only once `setup` has returned, so
    // whatever `setup` does delays the first paint.
    let Some(app_data_dir) = app_data_dir else {
        eprintln!("Treffpunkt cannot start: the OS data directory is unknown");
        std::process::exit(1);
    };
    let ws = Workspace::from_env(&app_data_dir);
    let instance = single_instance(&ws, &identifier);
    let opening = std::thread::spawn(move || open_log_and_workspace(ws));
    with_commands(tauri::Builder::default())
        // First, so that a second start hands over before anything else of it begins.
        .plugin(instance)
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            let opened = opening.join().map_err(|_| "opening the workspace failed")?;
            let Opened {
                log,
                lock,
                ws,
                zone,
                db,
                workspace,
                team,
            } = match opened {
                Ok(opened) => opened,
                Err(NotOpened::Taken(e)) => {
                    eprintln!("{e}");
                    std::process::exit(EXIT_WORKSPACE_IN_USE);
                }
                Err(NotOpened::Failed(e)) => return Err(e.into()),
            };
            app.manage(log);
            app.manage(lock);
            if ws.demo {
                // The demo's tenant runs inside the app for as long as the app runs (G2).
                let sim = tauri::async_runtime::block_on(demo::start_simulator(&db))
                    .map_err(|e| e.to_string())?;
                app.manage(commands::DemoSimulator::new(sim));
            }
            let handle = app.handle().clone();
            let mut state = AppState::new(workspace, ws.demo, zone, os_language());
            state.team = team;
            if state.team.as_ref().is_some_and(|t| t.unreachable.is_none()) {
                app.manage(listen_for_changes(&state.workspace, app.handle())?);
            }
            {
                use tauri_plugin_notification::NotificationExt;
                let (handle, shared) = (app.handle().clone(), state.workspace.shared_engine());
                app.notification().on_action(move |performed| {
                    on_notification_action(&handle, shared.as_ref(), performed)
                })?;
            }
            let notify_workspace = state.workspace.clone();
            // Which reminders are due is the shared data's (the team database's in a team
            // workspace); which this desktop has shown stays in its own file.
            state.reminders = reminders::Reminders::new(
                db,
                Arc::new(move |r| notify_os(&handle, &notify_workspace, zone, r)),
            )
            .on_shared(state.workspace.shared_engine());
            tauri::async_runtime::spawn(state.reminders.clone().run(reminders::SCAN_INTERVAL));
            // Requests whose send the last run did not finish are finished now (same transactionId).
            let sender = state.sender.clone();
            tauri::async_runtime::spawn(async move {
                match sender.resume_interrupted().await {
                    Ok(ids) if !ids.is_empty() => {
                        tracing::info!(?ids, "interrupted sends finished")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("interrupted sends not checked: {e}"),
                }
            });
            // Refresh tokens lapse unused after 90 days: each sign-in is refreshed about once a
            // day while the app runs (B4, B5).
            tauri::async_runtime::spawn(microsoft::keep_alive::run(
                state.m365.clone(),
                microsoft::keep_alive::CHECK_EVERY,
            ));
            let title = match (&state.team, ws.demo) {
                (Some(team), _) => Some(format!("Treffpunkt – {}", team.label)),
                (None, true) => Some("Treffpunkt – Demo".to_string()),
                (None, false) => None,
            };
            if let (Some(title), Some(window)) = (title, app.get_webview_window("main")) {
                window.set_title(&title)?;
            }
            app.manage(state);
            Ok(())
        })
        .run(context)
        .expect("Treffpunkt could not start");
}
