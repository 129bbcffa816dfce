//! The team's system settings and mail configurations in the team database. Only administrators
//! (treffpunkt_admins) change them: the schema's GRANTs refuse a salesperson's login, and that
//! refusal reaches the caller as `StoreError::NotPermitted`.
//!
//! The client secret of a mail configuration: the local workspace seals it with the desktop's
//! own key, which no other desktop holds, so a value the whole team shares cannot be sealed that
//! way. The team database keeps it as given and lets only administrators read the column
//! (salespeople are granted SELECT on the other columns only, and see `has_client_secret`, a
//! generated column). A salesperson's desktop signs in as a public client (PKCE), which needs no
//! secret.

use postgres::Row;

use super::records::{corrupt, not_found, PgShared};
use crate::crm::mail_configuration::{
    Cloud, Groupware, MailConfiguration, RegistrationChange, SecretChange, ValidMailConfiguration,
};
use crate::crm::model::RecordKind;
use crate::crm::settings::{
    is_phone_region, CallLinkMode, Language, SystemSetting, SystemSettings, FALLBACK_COUNTRY,
};
use crate::store::interface::Settings;
use crate::store::{Result, StoreError};

const LANGUAGE: &str = "language";
const CALL_LINK_MODE: &str = "call_link_mode";
const COUNTRY: &str = "country";

const SELECT: &str = "SELECT m.id AS id, m.name AS name, m.groupware AS groupware,
        m.azure_client_id AS azure_client_id, m.azure_tenant_id AS azure_tenant_id,
        m.cloud AS cloud, m.custom_authority_url AS custom_authority_url,
        m.custom_graph_url AS custom_graph_url, m.has_client_secret AS has_client_secret,
        (SELECT count(*) FROM employees e WHERE e.mail_configuration_id = m.id) AS employee_count
    FROM mail_configurations m";

fn from_row(r: &Row) -> Result<MailConfiguration> {
    let groupware: String = r.try_get("groupware")?;
    let cloud: String = r.try_get("cloud")?;
    Ok(MailConfiguration {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        groupware: Groupware::parse(&groupware).ok_or_else(|| corrupt("groupware", &groupware))?,
        client_id: r.try_get("azure_client_id")?,
        tenant_id: r.try_get("azure_tenant_id")?,
        cloud: Cloud::parse(&cloud).ok_or_else(|| corrupt("cloud", &cloud))?,
        custom_authority_url: r.try_get("custom_authority_url")?,
        custom_graph_url: r.try_get("custom_graph_url")?,
        has_client_secret: r.try_get("has_client_secret")?,
        employee_count: r.try_get("employee_count")?,
        // Kept as given, never sealed: nothing that can stop opening.
        client_secret_unreadable: false,
    })
}

impl PgShared<'_, '_> {
    fn setting(&mut self, key: &str) -> Result<Option<String>> {
        match self
            .0
            .query_opt("SELECT value FROM system_settings WHERE key = $1", &[&key])?
        {
            Some(r) => Ok(Some(r.try_get("value")?)),
            None => Ok(None),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        self.0.execute(
            "INSERT INTO system_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_by = current_user",
            &[&key, &value],
        )?;
        Ok(())
    }

    /// The employee this login works as (the employee record names the database login).
    fn login_employee(&mut self) -> Result<Option<i64>> {
        match self.0.query_opt(
            "SELECT id FROM employees WHERE database_login = current_user",
            &[],
        )? {
            Some(r) => Ok(Some(r.try_get("id")?)),
            None => Ok(None),
        }
    }

    fn store_secret(&mut self, id: i64, value: Option<&str>) -> Result<()> {
        self.0.execute(
            "UPDATE mail_configurations SET azure_client_secret = $2 WHERE id = $1",
            &[&id, &value],
        )?;
        Ok(())
    }
}

impl Settings for PgShared<'_, '_> {
    fn system_settings(&mut self) -> Result<SystemSettings> {
        let mut flag = |s: SystemSetting| -> Result<bool> {
            Ok(self.setting(s.key())?.as_deref() == Some("1"))
        };
        let teams_integration_enabled = flag(SystemSetting::TeamsIntegrationEnabled)?;
        let external_calls_enabled = flag(SystemSetting::ExternalCallsEnabled)?;
        Ok(SystemSettings {
            teams_integration_enabled,
            external_calls_enabled,
            language: self.setting(LANGUAGE)?.as_deref().and_then(Language::parse),
            current_employee_id: self.login_employee()?,
            call_link_mode: match self.setting(CALL_LINK_MODE)?.as_deref() {
                Some("teams_link") => CallLinkMode::TeamsLink,
                _ => CallLinkMode::Callto,
            },
            country: self
                .setting(COUNTRY)?
                .filter(|c| is_phone_region(c))
                .unwrap_or_else(|| FALLBACK_COUNTRY.to_string()),
        })
    }

    fn set_flag(&mut self, setting: SystemSetting, on: bool) -> Result<()> {
        self.set(setting.key(), if on { "1" } else { "0" })
    }

    fn set_language(&mut self, language: Option<Language>) -> Result<()> {
        match language {
            Some(l) => self.set(LANGUAGE, l.as_str()),
            None => {
                self.0
                    .execute("DELETE FROM system_settings WHERE key = $1", &[&LANGUAGE])?;
                Ok(())
            }
        }
    }

    fn set_call_link_mode(&mut self, mode: CallLinkMode) -> Result<()> {
        self.set(
            CALL_LINK_MODE,
            match mode {
                CallLinkMode::Callto => "callto",
                CallLinkMode::TeamsLink => "teams_link",
            },
        )
    }

    fn set_country(&mut self, country: &str) -> Result<bool> {
        let country = country.trim().to_ascii_uppercase();
        if !is_phone_region(&country) {
            return Ok(false);
        }
        self.set(COUNTRY, &country)?;
        Ok(true)
    }

    /// Only an administrator's desktop gives the team a country; a salesperson's starts with
    /// the team's (or the fallback) and changes nothing.
    fn init_country(&mut self, os_country: Option<&str>) -> Result<()> {
        if self.setting(COUNTRY)?.is_some() {
            return Ok(());
        }
        let may: bool = self
            .0
            .query_one(
                "SELECT has_table_privilege('system_settings', 'INSERT') AS may",
                &[],
            )?
            .try_get("may")?;
        if let (true, Some(c)) = (may, os_country) {
            self.set_country(c)?;
        }
        Ok(())
    }

    fn set_current_employee(&mut self, employee_id: i64) -> Result<()> {
        if self.login_employee()? == Some(employee_id) {
            Ok(())
        } else {
            Err(StoreError::NotPermitted)
        }
    }

    fn mail_configurations(&mut self) -> Result<Vec<MailConfiguration>> {
        self.0
            .query(&format!("{SELECT} ORDER BY lower(m.name), m.id"), &[])?
            .iter()
            .map(from_row)
            .collect()
    }

    fn mail_configuration(&mut self, id: i64) -> Result<MailConfiguration> {
        match self
            .0
            .query_opt(&format!("{SELECT} WHERE m.id = $1"), &[&id])?
        {
            Some(r) => from_row(&r),
            None => Err(not_found(RecordKind::MailConfiguration, id)),
        }
    }

    fn mail_configuration_of_employee(
        &mut self,
        employee_id: i64,
    ) -> Result<Option<MailConfiguration>> {
        let sql = format!(
            "{SELECT} WHERE m.id = (SELECT mail_configuration_id FROM employees WHERE id = $1)"
        );
        match self.0.query_opt(&sql, &[&employee_id])? {
            Some(r) => Ok(Some(from_row(&r)?)),
            None => Ok(None),
        }
    }

    fn insert_mail_configuration(&mut self, v: &ValidMailConfiguration, now: i64) -> Result<i64> {
        let secret = match &v.client_secret {
            SecretChange::Replace { value } => Some(value.as_str()),
            SecretChange::Keep | SecretChange::Clear => None,
        };
        Ok(self
            .0
            .query_one(
                "INSERT INTO mail_configurations (name, groupware, azure_client_id,
                    azure_tenant_id, cloud, custom_authority_url, custom_graph_url,
                    azure_client_secret, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                &[
                    &v.name,
                    &v.groupware.as_str(),
                    &v.client_id,
                    &v.tenant_id,
                    &v.cloud.as_str(),
                    &v.custom_authority_url,
                    &v.custom_graph_url,
                    &secret,
                    &now,
                ],
            )?
            .try_get("id")?)
    }

    fn update_mail_configuration(
        &mut self,
        id: i64,
        v: &ValidMailConfiguration,
        now: i64,
    ) -> Result<RegistrationChange> {
        let before = self.mail_configuration(id)?;
        let registration_changed = before.registration_differs(v);
        self.0.execute(
            "UPDATE mail_configurations SET name = $2, groupware = $3, azure_client_id = $4,
                azure_tenant_id = $5, cloud = $6, custom_authority_url = $7,
                custom_graph_url = $8, updated_at = $9,
                version = version + 1, changed_by = current_user
             WHERE id = $1",
            &[
                &id,
                &v.name,
                &v.groupware.as_str(),
                &v.client_id,
                &v.tenant_id,
                &v.cloud.as_str(),
                &v.custom_authority_url,
                &v.custom_graph_url,
                &now,
            ],
        )?;
        let mut change = RegistrationChange {
            registration_changed,
            ..Default::default()
        };
        match &v.client_secret {
            SecretChange::Keep if !registration_changed => {}
            SecretChange::Replace { value } => self.store_secret(id, Some(value))?,
            SecretChange::Keep | SecretChange::Clear => {
                change.secret_dropped = registration_changed
                    && v.client_secret == SecretChange::Keep
                    && before.has_client_secret;
                self.store_secret(id, None)?;
            }
        }
        Ok(change)
    }

    fn delete_mail_configuration(&mut self, id: i64) -> Result<()> {
        self.0
            .execute("DELETE FROM mail_configurations WHERE id = $1", &[&id])?;
        Ok(())
    }

    fn set_custom_urls(&mut self, id: i64, authority: &str, graph: &str, now: i64) -> Result<()> {
        // New URLs are a new registration: the secret goes with the old ones.
        self.0.execute(
            "UPDATE mail_configurations SET custom_authority_url = $2, custom_graph_url = $3,
                azure_client_secret = NULL, updated_at = $4,
                version = version + 1, changed_by = current_user
             WHERE id = $1 AND cloud = 'custom'
               AND (custom_authority_url IS DISTINCT FROM $2
                    OR custom_graph_url IS DISTINCT FROM $3)",
            &[&id, &authority, &graph, &now],
        )?;
        Ok(())
    }

    fn client_secret(&mut self, id: i64) -> Result<Option<String>> {
        let stored: bool = match self.0.query_opt(
            "SELECT has_client_secret FROM mail_configurations WHERE id = $1",
            &[&id],
        )? {
            Some(r) => r.try_get("has_client_secret")?,
            None => false,
        };
        if !stored {
            return Ok(None);
        }
        // Asked first, so that the refusal does not abort the caller's transaction.
        let may: bool = self
            .0
            .query_one(
                "SELECT has_column_privilege('mail_configurations', 'azure_client_secret',
                     'SELECT') AS may",
                &[],
            )?
            .try_get("may")?;
        if !may {
            return Err(StoreError::NotPermitted);
        }
        Ok(self
            .0
            .query_one(
                "SELECT azure_client_secret FROM mail_configurations WHERE id = $1",
                &[&id],
            )?
            .try_get("azure_client_secret")?)
    }

    fn assign_mail_configuration_to_all(&mut self, id: i64) -> Result<(usize, Vec<i64>)> {
        let moving = self
            .0
            .query(
                "SELECT id FROM employees WHERE mail_configuration_id IS DISTINCT FROM $1
                 ORDER BY id FOR UPDATE",
                &[&id],
            )?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<Vec<i64>, _>>()?;
        // Only those who move get a new version: a colleague's edit of another is not refused.
        self.0.execute(
            "UPDATE employees SET mail_configuration_id = $1, version = version + 1,
                changed_by = current_user, changed_at = floor(extract(epoch FROM now()))::BIGINT
             WHERE mail_configuration_id IS DISTINCT FROM $1",
            &[&id],
        )?;
        let assigned: i64 = self
            .0
            .query_one("SELECT count(*) AS n FROM employees", &[])?
            .try_get("n")?;
        Ok((assigned as usize, moving))
    }
}
