//! Teams calls and chats from records and lookup fields (E1-E5).

use tauri::State;

use super::{blocking, AppState, IpcError, IpcResult, Launcher};
use crate::crm::mail_configuration::Cloud;
use crate::crm::model::RecordKind;
use crate::crm::rules::{teams_available, teams_buttons, TeamsButtons, TeamsPlace};
use crate::crm::settings::{CallLinkMode, Language, SystemSettings};
use crate::crm::ErrorCode;
use crate::store::{mail_configurations, settings, Db};
use crate::teams::calls::{self, CallError, CallOption, EmailCalls, Started, ToolbarTeams};
use crate::teams::callto_handler::{self, CalltoCheck};

impl From<CallError> for IpcError {
    fn from(e: CallError) -> Self {
        match e {
            // Keeps the per-field codes of a refused activity.
            CallError::Activity(e) => e.into(),
            e => IpcError::new(e.code(), e.to_string()),
        }
    }
}

/// What a Teams action of the own employee needs.
struct TeamsContext {
    settings: SystemSettings,
    /// The user's language (the setting's, else the OS's), for what the app writes (F4).
    language: Language,
    /// Whether Teams can be used by the own employee (C7).
    available: bool,
    me: i64,
    /// The cloud of the own employee's mailbox, whose Teams the links open.
    cloud: Cloud,
}

fn teams_context(db: &Db, os_language: Language) -> IpcResult<TeamsContext> {
    Ok(db.with(|c| {
        let settings = settings::load(c)?;
        let me = settings.current_employee_id.unwrap_or_default();
        let mc = mail_configurations::of_employee(c, me)?;
        let available = teams_available(&settings, mc.as_ref());
        let cloud = mc.map(|m| m.cloud).unwrap_or(Cloud::Global);
        Ok::<_, crate::store::StoreError>(TeamsContext {
            language: settings.language.unwrap_or(os_language),
            settings,
            available,
            me,
            cloud,
        })
    })?)
}

/// Which Teams buttons show for a record kind at a place (decided here, once, for every place).
#[tauri::command]
pub async fn teams_buttons_for(
    state: State<'_, AppState>,
    kind: RecordKind,
    place: TeamsPlace,
) -> IpcResult<TeamsButtons> {
    let os = state.os_language;
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        Ok(teams_buttons(kind, place, &t.settings, t.available))
    })
    .await
}

#[tauri::command]
pub async fn call_options(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<Vec<CallOption>> {
    blocking(&state, move |db| {
        Ok(db.with(|c| calls::call_options(c, kind, id))?)
    })
    .await
}

/// Hands `url` to the OS through `launcher`.
fn launch(launcher: &Launcher, url: &url::Url) -> IpcResult<()> {
    launcher(url.as_str()).map_err(|e| IpcError::new(ErrorCode::LaunchFailed, e))
}

/// Hands the link to the OS, then records the call or chat on the record, in the user's language.
fn launch_and_record(
    db: &Db,
    launcher: &Launcher,
    (kind, id): (RecordKind, i64),
    url: &url::Url,
    what: Started,
    t: &TeamsContext,
    zone: &str,
) -> IpcResult<()> {
    launch(launcher, url)?;
    db.transaction(|c| {
        calls::record(
            c,
            (kind, id),
            what,
            t.language,
            t.me,
            zone,
            chrono::Utc::now(),
        )
    })?;
    tracing::info!(?kind, id, scheme = url.scheme(), "Teams {:?} started", what);
    Ok(())
}

/// E3: calls option `option` of the record through `callto:` or the Teams link (the setting).
#[tauri::command]
pub async fn start_call(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
    place: TeamsPlace,
    option: usize,
) -> IpcResult<()> {
    let (zone, os) = (state.zone.name().to_string(), state.os_language);
    let launcher = state.launcher.clone();
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        if !teams_buttons(kind, place, &t.settings, t.available).call {
            return Err(CallError::NotAvailable.into());
        }
        let mode = t.settings.call_link_mode;
        let url = db.with(|c| calls::call_link(c, kind, id, option, mode, t.cloud))?;
        launch_and_record(db, &launcher, (kind, id), &url, Started::Call, &t, &zone)
    })
    .await
}

/// E4: opens a Teams chat with the record's e-mail address; without a valid one, nothing starts.
#[tauri::command]
pub async fn start_chat(state: State<'_, AppState>, kind: RecordKind, id: i64) -> IpcResult<()> {
    let (zone, os) = (state.zone.name().to_string(), state.os_language);
    let launcher = state.launcher.clone();
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        if !teams_buttons(kind, TeamsPlace::Record, &t.settings, t.available).chat {
            return Err(CallError::NotAvailable.into());
        }
        let url = db.with(|c| calls::chat_link(c, kind, id, t.cloud))?;
        launch_and_record(db, &launcher, (kind, id), &url, Started::Chat, &t, &zone)
    })
    .await
}

#[tauri::command]
pub async fn set_call_link_mode(
    state: State<'_, AppState>,
    mode: CallLinkMode,
) -> IpcResult<SystemSettings> {
    blocking(&state, move |db| {
        Ok(db.with(|c| {
            settings::set_call_link_mode(c, mode)?;
            settings::load(c)
        })?)
    })
    .await
}

/// E3: sets the workspace's country, the default region of phone numbers.
#[tauri::command]
pub async fn set_country(state: State<'_, AppState>, country: String) -> IpcResult<SystemSettings> {
    blocking(&state, move |db| {
        db.with(|c| {
            if !settings::set_country(c, &country)? {
                return Ok(Err(IpcError::new(
                    ErrorCode::InvalidCountry,
                    "no phone numbering region has this code",
                )));
            }
            Ok::<_, crate::store::StoreError>(Ok(settings::load(c)?))
        })?
    })
    .await
}

/// E3: the countries the workspace's country can be (ISO 3166-1 alpha-2).
#[tauri::command]
pub async fn phone_regions() -> IpcResult<Vec<String>> {
    Ok(crate::crm::settings::phone_regions())
}

/// E1 and the seed's "Schalter in der Toolbar": what the main toolbar's Teams icon does while
/// record `kind` `id` is open (neither: no record is), or `None` where the icon is hidden (C7).
#[tauri::command]
pub async fn teams_toolbar_action(
    state: State<'_, AppState>,
    kind: Option<RecordKind>,
    id: Option<i64>,
) -> IpcResult<Option<ToolbarTeams>> {
    let os = state.os_language;
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        if !t.available {
            return Ok(None);
        }
        let open = kind.zip(id);
        Ok(Some(db.with(|c| {
            calls::toolbar_action(c, open, &t.settings, t.available)
        })?))
    })
    .await
}

/// E1: the Teams icon of the main toolbar opens the Teams of the own mailbox's cloud (the desktop
/// client takes the link over).
#[tauri::command]
pub async fn open_teams(state: State<'_, AppState>) -> IpcResult<()> {
    let (launcher, os) = (state.launcher.clone(), state.os_language);
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        if !t.available {
            return Err(CallError::NotAvailable.into());
        }
        launch(&launcher, &crate::teams::links::teams_home(t.cloud))
    })
    .await
}

/// The seed's "am E-Mail-Feld": which e-mail fields of record `kind` `id` offer a Teams call.
#[tauri::command]
pub async fn email_calls(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<EmailCalls> {
    let os = state.os_language;
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        let allowed = teams_buttons(kind, TeamsPlace::EmailField, &t.settings, t.available).call;
        Ok(db.with(|c| calls::email_calls(c, kind, id, allowed))?)
    })
    .await
}

/// The seed's "am E-Mail-Feld": calls the address in the e-mail field of record `kind` `id` (a
/// communication entry's value), through `callto:` or the Teams link (the setting).
#[tauri::command]
pub async fn start_email_call(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<()> {
    let (zone, os) = (state.zone.name().to_string(), state.os_language);
    let launcher = state.launcher.clone();
    blocking(&state, move |db| {
        let t = teams_context(db, os)?;
        let owner = db.with(|c| calls::email_field_owner(c, kind, id))?;
        if !teams_buttons(owner, TeamsPlace::EmailField, &t.settings, t.available).call {
            return Err(CallError::NotAvailable.into());
        }
        let mode = t.settings.call_link_mode;
        let url = db.with(|c| calls::email_call_link(c, kind, id, mode, t.cloud))?;
        launch_and_record(db, &launcher, (kind, id), &url, Started::Call, &t, &zone)
    })
    .await
}

/// E3: what opens `callto:` on this machine, and whether the settings offer the Teams call link
/// because nothing does.
#[tauri::command]
pub async fn callto_check(state: State<'_, AppState>) -> IpcResult<CalltoCheck> {
    let ask = state.xdg_mime.clone();
    blocking(&state, move |db| {
        let settings = db.with(|c| settings::load(c))?;
        let handler = callto_handler::callto_handler(cfg!(target_os = "linux"), || ask());
        Ok(callto_handler::check(handler, &settings))
    })
    .await
}
