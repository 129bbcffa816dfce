//! System settings (A3) and the user's preferences.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The two languages of the UI (F4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    De,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "de" => Some(Language::De),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The language for an OS locale such as "de-DE", "de_AT.UTF-8" or "en-US"; English for any
    /// locale that is not German.
    pub fn from_locale(locale: &str) -> Self {
        let primary = locale
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default();
        if primary.eq_ignore_ascii_case("de") {
            Language::De
        } else {
            Language::En
        }
    }
}

/// The workspace's country where nothing else says one: the region national phone numbers of
/// employees, persons and contacts without a business partner are read in (E3).
pub const FALLBACK_COUNTRY: &str = "DE";

/// The country (ISO 3166-1 alpha-2, upper case) of an OS locale such as "de_AT.UTF-8" (AT) or
/// "en-US" (US); `None` for a locale without one ("de", "C", "").
pub fn country_from_locale(locale: &str) -> Option<String> {
    locale
        .split(['.', '@'])
        .next()?
        .split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
}

/// The switches an administrator sets for everybody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SystemSetting {
    /// "MS Teams Integration aktivieren"
    TeamsIntegrationEnabled,
    /// "Externe Anrufe mit MS Teams aktivieren"
    ExternalCallsEnabled,
}

impl SystemSetting {
    pub fn key(self) -> &'static str {
        match self {
            SystemSetting::TeamsIntegrationEnabled => "teams_integration_enabled",
            SystemSetting::ExternalCallsEnabled => "external_calls_enabled",
        }
    }
}

/// How a Teams call is handed to the OS (E3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallLinkMode {
    /// `callto:` — the OS maps it to Teams (the seed's way).
    #[default]
    Callto,
    /// `https://teams.microsoft.com/l/call/0/0?users=...` for machines where callto: is not mapped.
    TeamsLink,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SystemSettings {
    pub teams_integration_enabled: bool,
    pub external_calls_enabled: bool,
    /// The language chosen in the settings; `None` follows the OS locale.
    pub language: Option<Language>,
    /// The employee who uses this installation ("the own employee").
    #[ts(type = "number | null")]
    pub current_employee_id: Option<i64>,
    pub call_link_mode: CallLinkMode,
    /// The workspace's country (ISO 3166-1 alpha-2): the default region of phone numbers that no
    /// business partner's country decides (E3). Set from the OS locale when the workspace opens.
    pub country: String,
}

impl Default for SystemSettings {
    fn default() -> Self {
        SystemSettings {
            teams_integration_enabled: false,
            external_calls_enabled: false,
            language: None,
            current_employee_id: None,
            call_link_mode: CallLinkMode::default(),
            country: FALLBACK_COUNTRY.to_string(),
        }
    }
}

/// Whether libphonenumber knows `code` (ISO 3166-1 alpha-2, upper case) as a region.
pub fn is_phone_region(code: &str) -> bool {
    code.len() == 2
        && code.chars().all(|c| c.is_ascii_uppercase())
        && code.parse::<phonenumber::country::Id>().is_ok()
}

/// Every region libphonenumber reads national numbers in, sorted: the choices of the workspace's
/// country (E3).
pub fn phone_regions() -> Vec<String> {
    let letters = 'A'..='Z';
    letters
        .clone()
        .flat_map(|a| letters.clone().map(move |b| format!("{a}{b}")))
        .filter(|c| is_phone_region(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_os_locale() {
        assert_eq!(Language::from_locale("de-DE"), Language::De);
        assert_eq!(Language::from_locale("de_AT.UTF-8"), Language::De);
        assert_eq!(Language::from_locale("DE"), Language::De);
        assert_eq!(Language::from_locale("en-US"), Language::En);
        assert_eq!(Language::from_locale("fr-FR"), Language::En);
        assert_eq!(Language::from_locale(""), Language::En);
    }

    #[test]
    fn the_country_follows_the_os_locale() {
        assert_eq!(country_from_locale("de_AT.UTF-8").as_deref(), Some("AT"));
        assert_eq!(country_from_locale("en_US").as_deref(), Some("US"));
        assert_eq!(country_from_locale("de-ch").as_deref(), Some("CH"));
        assert_eq!(country_from_locale("zh-Hans-CN").as_deref(), Some("CN"));
        assert_eq!(country_from_locale("sr_RS@latin").as_deref(), Some("RS"));
        assert_eq!(country_from_locale("de"), None);
        assert_eq!(country_from_locale("C.UTF-8"), None);
        assert_eq!(country_from_locale(""), None);
    }
}
