//! The settings pane: system settings (A3) and mail configurations (A1, A2, A4).

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::crm::mail_configuration::{
    MailConfiguration, MailConfigurationInput, SavedMailConfiguration,
};
use crate::crm::settings::{SystemSetting, SystemSettings};
use crate::services::settings;

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> IpcResult<SystemSettings> {
    blocking(&state, |ws| Ok(settings::load(ws)?)).await
}

#[tauri::command]
pub async fn set_system_setting(
    state: State<'_, AppState>,
    setting: SystemSetting,
    enabled: bool,
) -> IpcResult<SystemSettings> {
    blocking(&state, move |ws| {
        Ok(settings::set_flag(ws, setting, enabled)?)
    })
    .await
}

#[tauri::command]
pub async fn list_mail_configurations(
    state: State<'_, AppState>,
) -> IpcResult<Vec<MailConfiguration>> {
    blocking(&state, |ws| Ok(settings::mail_configurations(ws)?)).await
}

/// Creates (`id` null) or changes a mail configuration. A refused one changes nothing. The answer
/// says whether the change of registration dropped the secret and ended sign-ins.
#[tauri::command]
pub async fn save_mail_configuration(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: MailConfigurationInput,
) -> IpcResult<SavedMailConfiguration> {
    let urls = state.url_policy;
    blocking(&state, move |ws| {
        Ok(settings::save_mail_configuration(ws, id, &input, urls)?)
    })
    .await
}

#[tauri::command]
pub async fn delete_mail_configuration(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |ws| {
        Ok(settings::delete_mail_configuration(ws, id)?)
    })
    .await
}

/// A2: every employee gets this mail configuration. Returns how many employees were changed.
#[tauri::command]
pub async fn assign_mail_configuration_to_all(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<usize> {
    blocking(&state, move |ws| {
        Ok(settings::assign_mail_configuration_to_all(ws, id)?)
    })
    .await
}
