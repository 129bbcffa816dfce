//! System settings as key/value rows.

use rusqlite::{params, Connection, OptionalExtension};

use super::Result;
use crate::crm::settings::is_phone_region;
use crate::crm::settings::{
    CallLinkMode, Language, SystemSetting, SystemSettings, FALLBACK_COUNTRY,
};

const LANGUAGE: &str = "language";
const CURRENT_EMPLOYEE: &str = "current_employee_id";
const CALL_LINK_MODE: &str = "call_link_mode";
const COUNTRY: &str = "country";

fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM system_settings WHERE key = ?1",
            [key],
            |r| r.get("value"),
        )
        .optional()?)
}

fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO system_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn load(conn: &Connection) -> Result<SystemSettings> {
    let flag =
        |s: SystemSetting| -> Result<bool> { Ok(get(conn, s.key())?.as_deref() == Some("1")) };
    Ok(SystemSettings {
        teams_integration_enabled: flag(SystemSetting::TeamsIntegrationEnabled)?,
        external_calls_enabled: flag(SystemSetting::ExternalCallsEnabled)?,
        language: get(conn, LANGUAGE)?.as_deref().and_then(Language::parse),
        current_employee_id: get(conn, CURRENT_EMPLOYEE)?.and_then(|v| v.parse().ok()),
        call_link_mode: match get(conn, CALL_LINK_MODE)?.as_deref() {
            Some("teams_link") => CallLinkMode::TeamsLink,
            _ => CallLinkMode::Callto,
        },
        country: get(conn, COUNTRY)?
            .filter(|c| is_phone_region(c))
            .unwrap_or_else(|| FALLBACK_COUNTRY.to_string()),
    })
}

pub fn set_flag(conn: &Connection, setting: SystemSetting, on: bool) -> Result<()> {
    set(conn, setting.key(), if on { "1" } else { "0" })
}

pub fn set_language(conn: &Connection, language: Option<Language>) -> Result<()> {
    match language {
        Some(l) => set(conn, LANGUAGE, l.as_str()),
        None => {
            conn.execute("DELETE FROM system_settings WHERE key = ?1", [LANGUAGE])?;
            Ok(())
        }
    }
}

pub fn set_call_link_mode(conn: &Connection, mode: CallLinkMode) -> Result<()> {
    set(
        conn,
        CALL_LINK_MODE,
        match mode {
            CallLinkMode::Callto => "callto",
            CallLinkMode::TeamsLink => "teams_link",
        },
    )
}

/// Sets the workspace's country; `false` (nothing changed) for a code libphonenumber has no
/// region for.
pub fn set_country(conn: &Connection, country: &str) -> Result<bool> {
    let country = country.trim().to_ascii_uppercase();
    if !is_phone_region(&country) {
        return Ok(false);
    }
    set(conn, COUNTRY, &country)?;
    Ok(true)
}

/// Gives a workspace without a country the one of the OS locale (`None` or an unknown one keeps
/// the fallback).
pub fn init_country(conn: &Connection, os_country: Option<&str>) -> Result<()> {
    if get(conn, COUNTRY)?.is_none() {
        if let Some(c) = os_country {
            set_country(conn, c)?;
        }
    }
    Ok(())
}

pub fn set_current_employee(conn: &Connection, employee_id: i64) -> Result<()> {
    set(conn, CURRENT_EMPLOYEE, &employee_id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    #[test]
    fn settings_start_off_and_keep_what_is_set() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            assert_eq!(load(c)?, SystemSettings::default());
            set_flag(c, SystemSetting::TeamsIntegrationEnabled, true)?;
            set_language(c, Some(Language::De))?;
            set_current_employee(c, 7)?;
            let s = load(c)?;
            assert!(s.teams_integration_enabled);
            assert!(!s.external_calls_enabled);
            assert_eq!(s.language, Some(Language::De));
            assert_eq!(s.current_employee_id, Some(7));
            assert_eq!(s.country, "DE", "the fallback");
            init_country(c, Some("at"))?;
            assert_eq!(load(c)?.country, "AT");
            init_country(c, Some("US"))?;
            assert_eq!(
                load(c)?.country,
                "AT",
                "the OS locale does not override a set country"
            );
            assert!(set_country(c, "ch")?);
            assert!(!set_country(c, "XX")?);
            assert_eq!(load(c)?.country, "CH");
            set_flag(c, SystemSetting::TeamsIntegrationEnabled, false)?;
            set_language(c, None)?;
            let s = load(c)?;
            assert!(!s.teams_integration_enabled);
            assert_eq!(s.language, None);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }
}
