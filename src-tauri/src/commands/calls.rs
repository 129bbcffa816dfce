//! Teams calls and chats from records and lookup fields (E1-E5).

use tauri::State;

use super::{blocking, AppState, IpcError, IpcResult};
use crate::crm::model::RecordKind;
use crate::crm::rules::{TeamsButtons, TeamsPlace};
use crate::crm::settings::{CallLinkMode, SystemSettings};
use crate::teams::actions::{self, CalltoCheck, Here};
use crate::teams::calls::{CallError, CallOption, EmailCalls, ToolbarTeams};

impl From<CallError> for IpcError {
    fn from(e: CallError) -> Self {
        match e {
            // Keeps the per-field codes of a refused activity.
            CallError::Activity(e) => e.into(),
            e => IpcError::new(e.code(), e.to_string()),
        }
    }
}

/// Which Teams buttons show for a record kind at a place (decided here, once, for every place).
#[tauri::command]
pub async fn teams_buttons_for(
    state: State<'_, AppState>,
    kind: RecordKind,
    place: TeamsPlace,
) -> IpcResult<TeamsButtons> {
    let os = state.os_language;
    blocking(&state, move |workspace| {
        Ok(actions::buttons_for(workspace, kind, place, os)?)
    })
    .await
}

#[tauri::command]
pub async fn call_options(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<Vec<CallOption>> {
    blocking(&state, move |workspace| {
        Ok(actions::call_options(workspace, kind, id)?)
    })
    .await
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
    blocking(&state, move |workspace| {
        let here = Here {
            zone: &zone,
            os_language: os,
            now: chrono::Utc::now(),
        };
        Ok(actions::start_call(
            workspace,
            &*launcher,
            (kind, id),
            place,
            option,
            here,
        )?)
    })
    .await
}

/// E4: opens a Teams chat with the record's e-mail address; without a valid one, nothing starts.
#[tauri::command]
pub async fn start_chat(state: State<'_, AppState>, kind: RecordKind, id: i64) -> IpcResult<()> {
    let (zone, os) = (state.zone.name().to_string(), state.os_language);
    let launcher = state.launcher.clone();
    blocking(&state, move |workspace| {
        let here = Here {
            zone: &zone,
            os_language: os,
            now: chrono::Utc::now(),
        };
        Ok(actions::start_chat(
            workspace,
            &*launcher,
            (kind, id),
            here,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn set_call_link_mode(
    state: State<'_, AppState>,
    mode: CallLinkMode,
) -> IpcResult<SystemSettings> {
    blocking(&state, move |workspace| {
        Ok(actions::set_call_link_mode(workspace, mode)?)
    })
    .await
}

/// E3: sets the workspace's country, the default region of phone numbers.
#[tauri::command]
pub async fn set_country(state: State<'_, AppState>, country: String) -> IpcResult<SystemSettings> {
    blocking(&state, move |workspace| {
        Ok(actions::set_country(workspace, &country)?)
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
    blocking(&state, move |workspace| {
        Ok(actions::toolbar_action(workspace, kind.zip(id), os)?)
    })
    .await
}

/// E1: the Teams icon of the main toolbar opens the Teams of the own mailbox's cloud (the desktop
/// client takes the link over).
#[tauri::command]
pub async fn open_teams(state: State<'_, AppState>) -> IpcResult<()> {
    let (launcher, os) = (state.launcher.clone(), state.os_language);
    blocking(&state, move |workspace| {
        Ok(actions::open_teams(workspace, &*launcher, os)?)
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
    blocking(&state, move |workspace| {
        Ok(actions::email_calls(workspace, kind, id, os)?)
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
    blocking(&state, move |workspace| {
        let here = Here {
            zone: &zone,
            os_language: os,
            now: chrono::Utc::now(),
        };
        Ok(actions::start_email_call(
            workspace,
            &*launcher,
            (kind, id),
            here,
        )?)
    })
    .await
}

/// E3: what opens `callto:` on this machine, and whether the settings offer the Teams call link
/// because nothing does.
#[tauri::command]
pub async fn callto_check(state: State<'_, AppState>) -> IpcResult<CalltoCheck> {
    let ask = state.xdg_mime.clone();
    blocking(&state, move |workspace| {
        Ok(actions::callto_check(workspace, || ask())?)
    })
    .await
}
