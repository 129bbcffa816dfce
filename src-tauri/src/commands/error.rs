//! The error every command answers with: `{code, message, fields}`. The code is stable and the
//! UI translates it; the message is English detail for the log. Neither ever carries a secret.

use serde::Serialize;
use ts_rs::TS;

use chrono_tz::Tz;

use crate::crm::settings::Language;
use crate::crm::validation::FieldError;
use crate::crm::wall_clock::short_local;
use crate::crm::ErrorCode;
use crate::services::CrmError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field problems when `code` is "validation".
    pub fields: Vec<FieldError>,
    /// Microsoft's own error code and message, where Microsoft 365 refused: shown beside the
    /// app's explanation, so that an administrator can look it up.
    pub microsoft: Option<MicrosoftError>,
    /// When `code` is "conflict": who saved the record meanwhile, and when.
    pub conflict: Option<Box<ConflictInfo>>,
}

/// Who changed a record since the caller read it, and when (Unix seconds): the UI says so and
/// shows the current values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConflictInfo {
    pub changed_by: Option<String>,
    #[ts(type = "number")]
    pub changed_at: i64,
    /// `changed_at` as the user reads it, in the user's zone and language ("07.12.2026, 17:05"):
    /// the webview's own clock and locale may be others.
    pub changed_at_text: String,
}

/// An error as Microsoft names it (Graph's `error.code` and `error.message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MicrosoftError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError {
            code,
            message: message.into(),
            fields: Vec::new(),
            microsoft: None,
            conflict: None,
        }
    }
}

impl From<CrmError> for IpcError {
    fn from(e: CrmError) -> Self {
        let code = e.code();
        match e {
            CrmError::Invalid(fields) => IpcError {
                code,
                message: fields.to_string(),
                fields: fields.0,
                microsoft: None,
                conflict: None,
            },
            CrmError::NotAllowed(reason) => IpcError::new(reason, format!("not allowed: {reason}")),
            CrmError::Store(_) if e.conflict().is_some() => IpcError {
                conflict: e.conflict().map(|(changed_by, changed_at)| {
                    Box::new(ConflictInfo {
                        changed_by: changed_by.map(str::to_string),
                        changed_at,
                        changed_at_text: when(changed_at, chrono_tz::UTC, Language::En),
                    })
                }),
                ..IpcError::new(code, e.to_string())
            },
            CrmError::Store(_) => {
                if code == ErrorCode::Database {
                    tracing::error!(error = %e, "database error");
                }
                IpcError::new(code, e.to_string())
            }
            CrmError::TeamDatabase(_) => {
                tracing::warn!(error = %e, "team database");
                IpcError::new(code, e.to_string())
            }
        }
    }
}

/// Work that panicked or was cancelled: a generic code; what the panic said is in the log only
/// (`off_thread::run`).
impl From<crate::off_thread::Unfinished> for IpcError {
    fn from(_: crate::off_thread::Unfinished) -> Self {
        IpcError::new(ErrorCode::Internal, "the command's work did not finish")
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

impl IpcError {
    /// The error with a conflict's time written in the user's `zone` and `language`.
    pub fn in_users_time(mut self, zone: Tz, language: Language) -> Self {
        if let Some(c) = self.conflict.as_mut() {
            c.changed_at_text = when(c.changed_at, zone, language);
        }
        self
    }
}

/// Unix seconds `at` as the user reads a date and time.
fn when(at: i64, zone: Tz, language: Language) -> String {
    match chrono::DateTime::from_timestamp(at, 0) {
        Some(t) => short_local(t, zone, language),
        None => at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::validation::FieldErrors;

    #[test]
    fn a_conflict_names_who_changed_the_record_and_when() {
        let e: IpcError = CrmError::Store(crate::store::StoreError::Conflict {
            kind: crate::crm::model::RecordKind::Contact,
            id: 4,
            changed_by: Some("Anna Test".into()),
            changed_at: 1_780_000_000,
        })
        .into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "conflict");
        assert_eq!(json["conflict"]["changed_by"], "Anna Test");
        assert_eq!(json["conflict"]["changed_at"], 1_780_000_000);
        // 2026-05-28 20:26:40 UTC is 22:26 in Berlin's summer time.
        let in_berlin = e.in_users_time(chrono_tz::Europe::Berlin, Language::De);
        let json = serde_json::to_value(&in_berlin).unwrap();
        assert_eq!(json["conflict"]["changed_at_text"], "28.05.2026, 22:26");
        let in_london = in_berlin.in_users_time(chrono_tz::Europe::London, Language::En);
        let json = serde_json::to_value(&in_london).unwrap();
        assert_eq!(json["conflict"]["changed_at_text"], "28 May 2026, 21:26");
    }

    #[test]
    fn the_json_shape_is_code_message_fields() {
        let mut fields = FieldErrors::default();
        fields.add("client_id", "invalid_guid");
        let e: IpcError = CrmError::Invalid(fields).into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "validation");
        assert_eq!(json["fields"][0]["field"], "client_id");
        assert_eq!(json["fields"][0]["code"], "invalid_guid");
        assert!(json["message"].as_str().unwrap().contains("client_id"));
    }
}
