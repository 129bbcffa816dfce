//! The settings pane: system settings (A3) and mail configurations (A1, A2, A4).

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::crm::mail_configuration::{
    validate_with, MailConfiguration, MailConfigurationInput, RegistrationChange,
    SavedMailConfiguration,
};
use crate::crm::settings::{SystemSetting, SystemSettings};
use crate::services::CrmError;
use crate::store::{employees, mail_configurations, now, settings};

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> IpcResult<SystemSettings> {
    blocking(&state, |db| Ok(db.with(|c| settings::load(c))?)).await
}

#[tauri::command]
pub async fn set_system_setting(
    state: State<'_, AppState>,
    setting: SystemSetting,
    enabled: bool,
) -> IpcResult<SystemSettings> {
    blocking(&state, move |db| {
        Ok(db.with(|c| {
            settings::set_flag(c, setting, enabled)?;
            tracing::info!(setting = setting.key(), enabled, "system setting changed");
            settings::load(c)
        })?)
    })
    .await
}

#[tauri::command]
pub async fn list_mail_configurations(
    state: State<'_, AppState>,
) -> IpcResult<Vec<MailConfiguration>> {
    blocking(&state, |db| Ok(db.with(|c| mail_configurations::list(c))?)).await
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
    blocking(&state, move |db| {
        let valid = validate_with(&input, urls).map_err(CrmError::Invalid)?;
        Ok(db.transaction(|tx| {
            let (id, change) = match id {
                None => (
                    mail_configurations::insert(tx, &valid, now())?,
                    RegistrationChange::default(),
                ),
                Some(id) => (id, mail_configurations::update(tx, id, &valid, now())?),
            };
            Ok::<_, crate::store::StoreError>(SavedMailConfiguration {
                configuration: mail_configurations::get(tx, id)?,
                change,
            })
        })?)
    })
    .await
}

#[tauri::command]
pub async fn delete_mail_configuration(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |db| {
        Ok(db.with(|c| mail_configurations::delete(c, id))?)
    })
    .await
}

/// A2: every employee gets this mail configuration. Returns how many employees were changed.
#[tauri::command]
pub async fn assign_mail_configuration_to_all(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<usize> {
    blocking(&state, move |db| {
        Ok(db.transaction(|tx| {
            mail_configurations::get(tx, id)?;
            employees::assign_mail_configuration_to_all(tx, id)
        })?)
    })
    .await
}
