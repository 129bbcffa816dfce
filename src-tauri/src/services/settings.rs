//! The settings pane's use cases: system settings (A3) and mail configurations (A1, A2, A4).

use super::{CrmError, Result, Workspace};
use crate::crm::mail_configuration::{
    validate_with, MailConfiguration, MailConfigurationInput, RegistrationChange,
    SavedMailConfiguration,
};
use crate::crm::settings::{SystemSetting, SystemSettings};
use crate::crm::validation::UrlPolicy;
use crate::store::{self, employees, mail_configurations, now};

pub fn load(ws: &Workspace) -> Result<SystemSettings> {
    Ok(ws.store().with(|c| store::settings::load(c))?)
}

/// Turns one system setting on or off; answers with the settings as they are now.
pub fn set_flag(ws: &Workspace, setting: SystemSetting, enabled: bool) -> Result<SystemSettings> {
    Ok(ws.store().with(|c| {
        store::settings::set_flag(c, setting, enabled)?;
        tracing::info!(setting = setting.key(), enabled, "system setting changed");
        store::settings::load(c)
    })?)
}

pub fn mail_configurations(ws: &Workspace) -> Result<Vec<MailConfiguration>> {
    Ok(ws.store().with(|c| mail_configurations::list(c))?)
}

/// Creates (`id` None) or changes a mail configuration whose URLs `urls` accepts. A refused one
/// changes nothing. The answer says whether the change of registration dropped the secret and
/// ended sign-ins.
pub fn save_mail_configuration(
    ws: &Workspace,
    id: Option<i64>,
    input: &MailConfigurationInput,
    urls: UrlPolicy,
) -> Result<SavedMailConfiguration> {
    let valid = validate_with(input, urls).map_err(CrmError::Invalid)?;
    Ok(ws.store().transaction(|tx| {
        let (id, change) = match id {
            None => (
                mail_configurations::insert(tx, &valid, now())?,
                RegistrationChange::default(),
            ),
            Some(id) => (id, mail_configurations::update(tx, id, &valid, now())?),
        };
        Ok::<_, store::StoreError>(SavedMailConfiguration {
            configuration: mail_configurations::get(tx, id)?,
            change,
        })
    })?)
}

pub fn delete_mail_configuration(ws: &Workspace, id: i64) -> Result<()> {
    Ok(ws.store().with(|c| mail_configurations::delete(c, id))?)
}

/// A2: every employee gets mail configuration `id`. Answers how many employees were changed.
pub fn assign_mail_configuration_to_all(ws: &Workspace, id: i64) -> Result<usize> {
    Ok(ws.store().transaction(|tx| {
        mail_configurations::get(tx, id)?;
        employees::assign_mail_configuration_to_all(tx, id)
    })?)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::crm::mail_configuration::tests::input;
    use crate::crm::ErrorCode;
    use crate::store::Db;

    fn workspace() -> Workspace {
        let ws = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        ws.store()
            .transaction(|tx| crate::services::records::ensure_own_employee(tx, "anna"))
            .unwrap();
        ws
    }

    #[test]
    fn a_system_setting_is_kept_and_answered_with() {
        let ws = workspace();
        assert!(!load(&ws).unwrap().teams_integration_enabled);
        let now = set_flag(&ws, SystemSetting::TeamsIntegrationEnabled, true).unwrap();
        assert!(now.teams_integration_enabled);
        assert!(load(&ws).unwrap().teams_integration_enabled, "kept");
        assert!(!now.external_calls_enabled, "the other one stays off");
    }

    /// A1, A2: a refused configuration stores nothing; a saved one is listed, given to every
    /// employee at once, and deleted.
    #[test]
    fn a_mail_configuration_is_checked_saved_assigned_and_deleted() {
        let ws = workspace();
        let mut bad = input();
        bad.client_id = "not a guid".into();
        let e = save_mail_configuration(&ws, None, &bad, UrlPolicy::HttpsOnly).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation);
        assert!(
            mail_configurations(&ws).unwrap().is_empty(),
            "nothing stored"
        );

        let saved = save_mail_configuration(&ws, None, &input(), UrlPolicy::HttpsOnly).unwrap();
        assert_eq!(saved.change, RegistrationChange::default());
        let id = saved.configuration.id;
        assert_eq!(mail_configurations(&ws).unwrap(), vec![saved.configuration]);

        let mut renamed = input();
        renamed.name = "Vertrieb".into();
        let changed =
            save_mail_configuration(&ws, Some(id), &renamed, UrlPolicy::HttpsOnly).unwrap();
        assert_eq!(changed.configuration.name, "Vertrieb");
        assert_eq!(
            mail_configurations(&ws).unwrap().len(),
            1,
            "changed, not added"
        );

        assert_eq!(assign_mail_configuration_to_all(&ws, id).unwrap(), 1);
        assert_eq!(
            assign_mail_configuration_to_all(&ws, id + 1)
                .unwrap_err()
                .code(),
            ErrorCode::NotFound
        );
        delete_mail_configuration(&ws, id).unwrap();
        assert!(mail_configurations(&ws).unwrap().is_empty());
    }
}
