//! The settings pane's use cases: system settings (A3) and mail configurations (A1, A2, A4).

use super::{CrmError, Result, Workspace};
use crate::crm::mail_configuration::{
    validate_with, MailConfiguration, MailConfigurationInput, RegistrationChange,
    SavedMailConfiguration,
};
use crate::crm::settings::{SystemSetting, SystemSettings};
use crate::crm::sign_in::SignInOwner;
use crate::crm::validation::UrlPolicy;
use crate::store::interface::{read, write, Shared};
use crate::store::{self, now, sign_ins, StoreError};

/// The team's settings as this desktop sees them: the language is the user's own preference,
/// kept on this desktop (in a local workspace the same file keeps both).
pub(crate) fn with_own_language(
    ws: &Workspace,
    mut settings: SystemSettings,
) -> Result<SystemSettings> {
    settings.language = ws.store().with(|c| store::settings::load(c))?.language;
    Ok(settings)
}

pub fn load(ws: &Workspace) -> Result<SystemSettings> {
    let settings = read(ws.shared(), |s| s.system_settings())?;
    with_own_language(ws, settings)
}

/// Turns one system setting on or off; answers with the settings as they are now. On the team
/// database only an administrator may (`not_permitted`, nothing changed).
pub fn set_flag(ws: &Workspace, setting: SystemSetting, enabled: bool) -> Result<SystemSettings> {
    let settings = write(ws.shared(), |s| {
        s.set_flag(setting, enabled)?;
        s.system_settings()
    })?;
    tracing::info!(setting = setting.key(), enabled, "system setting changed");
    with_own_language(ws, settings)
}

pub fn mail_configurations(ws: &Workspace) -> Result<Vec<MailConfiguration>> {
    Ok(read(ws.shared(), |s| s.mail_configurations())?)
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
    let mut saved = write(ws.shared(), |s: &mut dyn Shared| {
        let (id, change) = match id {
            None => (
                s.insert_mail_configuration(&valid, now())?,
                RegistrationChange::default(),
            ),
            Some(id) => (id, s.update_mail_configuration(id, &valid, now())?),
        };
        Ok::<_, StoreError>(SavedMailConfiguration {
            configuration: s.mail_configuration(id)?,
            change,
        })
    })?;
    if saved.change.registration_changed {
        // The sign-ins are this desktop's own, out of the team database's reach: those made
        // under the old registration end here (in a local workspace the save ended them already).
        let id = saved.configuration.id;
        let ended = ws
            .store()
            .with(|c| sign_ins::expire_issued_under(c, id, now()))?;
        saved.change.sign_ins_expired += ended as u32;
    }
    Ok(saved)
}

/// Deletes the configuration and this desktop's sign-in of it (the team database cannot reach
/// that one; in a local workspace the delete took it already).
pub fn delete_mail_configuration(ws: &Workspace, id: i64) -> Result<()> {
    write(ws.shared(), |s| s.delete_mail_configuration(id))?;
    ws.store()
        .with(|c| sign_ins::delete(c, SignInOwner::MailConfiguration(id)))?;
    Ok(())
}

/// A2: every employee gets mail configuration `id`. Answers how many employees were changed.
/// Those who moved from another configuration lose this desktop's sign-in of theirs.
pub fn assign_mail_configuration_to_all(ws: &Workspace, id: i64) -> Result<usize> {
    let (assigned, moved) = write(ws.shared(), |s| {
        s.mail_configuration(id)?;
        s.assign_mail_configuration_to_all(id)
    })?;
    ws.store().with(|c| {
        moved
            .iter()
            .try_for_each(|&e| sign_ins::expire_of_moved_employee(c, e, now()).map(drop))
    })?;
    Ok(assigned)
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

    /// Two desktops on one team database, each with its own local file: an administrator's and
    /// a salesperson's.
    fn team_desktops() -> (Workspace, Workspace) {
        use crate::store::postgres::{schema, test_server, PgEngine};
        let db = test_server::shared().fresh_database();
        schema::migrate(&mut db.superuser()).unwrap();
        let desktop = |login: String, role: &str| {
            Workspace::team(
                Arc::new(Db::open_in_memory().unwrap()),
                Arc::new(PgEngine::new(db.login(&login, role))),
            )
        };
        (
            desktop(format!("admin_{}", db.name), "treffpunkt_admins"),
            desktop(format!("vertrieb_{}", db.name), "treffpunkt_users"),
        )
    }

    /// A3, A1: in a team workspace the settings and mail configurations are the team's: what the
    /// administrator saves, the salesperson's desktop reads. The salesperson's own change is
    /// refused by the server with `not_permitted`, and nothing changes.
    #[test]
    fn a_salesperson_changes_no_team_setting_or_mail_configuration() {
        let (admin, user) = team_desktops();
        let saved = save_mail_configuration(&admin, None, &input(), UrlPolicy::HttpsOnly).unwrap();
        let id = saved.configuration.id;
        set_flag(&admin, SystemSetting::ExternalCallsEnabled, true).unwrap();
        assert_eq!(
            mail_configurations(&user).unwrap(),
            vec![saved.configuration.clone()],
            "the team's, read on the salesperson's desktop"
        );

        let refused = |e: CrmError| e.code();
        assert_eq!(
            refused(set_flag(&user, SystemSetting::TeamsIntegrationEnabled, true).unwrap_err()),
            ErrorCode::NotPermitted
        );
        assert_eq!(
            refused(set_flag(&user, SystemSetting::ExternalCallsEnabled, false).unwrap_err()),
            ErrorCode::NotPermitted
        );
        let mut renamed = input();
        renamed.name = "Vertrieb".into();
        for attempt in [None, Some(id)] {
            let e = save_mail_configuration(&user, attempt, &renamed, UrlPolicy::HttpsOnly);
            assert_eq!(
                refused(e.unwrap_err()),
                ErrorCode::NotPermitted,
                "{attempt:?}"
            );
        }
        assert_eq!(
            refused(delete_mail_configuration(&user, id).unwrap_err()),
            ErrorCode::NotPermitted
        );

        for (who, ws) in [("admin", &admin), ("salesperson", &user)] {
            let settings = load(ws).unwrap();
            assert!(!settings.teams_integration_enabled, "{who}");
            assert!(settings.external_calls_enabled, "{who}");
            assert_eq!(
                mail_configurations(ws).unwrap(),
                vec![saved.configuration.clone()],
                "{who}: nothing changed"
            );
        }
    }

    /// The sign-ins stay on each desktop, the configurations they were made under are the
    /// team's: a new registration ends the desktop's own sign-in of it, a deleted configuration
    /// takes it away, though the local file holds no such configuration.
    #[test]
    fn a_team_configurations_change_ends_this_desktops_sign_in() {
        use crate::crm::cloud::Endpoints;
        use crate::crm::issuer::Issuer;
        use crate::crm::sign_in::{Account, SignInState, TokenSet};

        let (admin, _) = team_desktops();
        let id = save_mail_configuration(&admin, None, &input(), UrlPolicy::HttpsOnly)
            .unwrap()
            .configuration
            .id;
        let owner = SignInOwner::MailConfiguration(id);
        let configuration = mail_configurations(&admin).unwrap().remove(0);
        let issuer = Issuer::new(
            id,
            &Endpoints::for_configuration(&configuration).unwrap(),
            configuration.client_id.as_deref().unwrap(),
            configuration.tenant_id.as_deref().unwrap(),
        );
        let tokens = TokenSet {
            access_token: "at".into(),
            refresh_token: Some("rt".into()),
            expires_at: chrono::DateTime::from_timestamp(2_000_000_000, 0).unwrap(),
        };
        let account = Account {
            user_principal_name: "postfach@contoso.example".into(),
            display_name: "Postfach".into(),
            tenant_id: "t".into(),
        };
        let state = || {
            admin
                .store()
                .with(|c| sign_ins::get(c, owner))
                .unwrap()
                .map(|s| s.state)
        };
        admin
            .store()
            .with(|c| sign_ins::save_issued(c, owner, &account, &tokens, Some(&issuer), 1))
            .unwrap();
        assert_eq!(state(), Some(SignInState::Active));

        let mut renamed = input();
        renamed.name = "Vertrieb".into();
        let same = save_mail_configuration(&admin, Some(id), &renamed, UrlPolicy::HttpsOnly);
        assert_eq!(same.unwrap().change.sign_ins_expired, 0);
        assert_eq!(state(), Some(SignInState::Active), "the same registration");

        let mut moved = renamed.clone();
        moved.tenant_id = "fabrikam.onmicrosoft.com".into();
        let change = save_mail_configuration(&admin, Some(id), &moved, UrlPolicy::HttpsOnly)
            .unwrap()
            .change;
        assert!(change.registration_changed);
        assert_eq!(change.sign_ins_expired, 1);
        assert_eq!(state(), Some(SignInState::Expired));

        delete_mail_configuration(&admin, id).unwrap();
        assert_eq!(state(), None, "gone with its configuration");
    }
}
