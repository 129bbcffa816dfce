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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SystemSettings {
    pub teams_integration_enabled: bool,
    pub external_calls_enabled: bool,
    /// The language chosen in the settings; `None` follows the OS locale.
    pub language: Option<Language>,
    /// The employee who uses this installation ("the own employee").
    #[ts(type = "number | null")]
    pub current_employee_id: Option<i64>,
    pub call_link_mode: CallLinkMode,
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
}
