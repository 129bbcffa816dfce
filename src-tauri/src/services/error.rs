use crate::crm::validation::FieldErrors;
use crate::crm::ErrorCode;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CrmError {
    /// The input breaks a rule; nothing was changed.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The action is not possible in the record's state, e.g. editing a sent meeting.
    #[error("not allowed: {0}")]
    NotAllowed(ErrorCode),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The team database could not be reached or refused the login.
    #[error(transparent)]
    TeamDatabase(#[from] crate::store::postgres::ConnectError),
}

impl CrmError {
    /// Who saved the record meanwhile and when (Unix seconds), when this is a refused save over
    /// a change the caller had not read.
    pub fn conflict(&self) -> Option<(Option<&str>, i64)> {
        match self {
            CrmError::Store(StoreError::Conflict {
                changed_by,
                changed_at,
                ..
            }) => Some((changed_by.as_deref(), *changed_at)),
            _ => None,
        }
    }

    /// The stable code the user is shown.
    pub fn code(&self) -> ErrorCode {
        match self {
            CrmError::Invalid(_) => ErrorCode::Validation,
            CrmError::NotAllowed(reason) => *reason,
            CrmError::Store(e) => store_code(e),
            CrmError::TeamDatabase(e) => e.code(),
        }
    }
}

/// What a store failure means to the user: a record that is gone or still used, a change the
/// team database allows administrators only, a secret that must be entered again, or else the
/// database's own fault.
pub(crate) fn store_code(e: &StoreError) -> ErrorCode {
    match e {
        StoreError::NotFound { .. } => ErrorCode::NotFound,
        StoreError::InUse { .. } => ErrorCode::InUse,
        StoreError::Conflict { .. } => ErrorCode::Conflict,
        StoreError::NotPermitted => ErrorCode::NotPermitted,
        StoreError::SecretUnreadable => ErrorCode::SecretUnreadable,
        StoreError::Disconnected => ErrorCode::TeamDbConnectionLost,
        StoreError::OutcomeUnknown => ErrorCode::TeamDbOutcomeUnknown,
        StoreError::Unreachable(code) => *code,
        _ => ErrorCode::Database,
    }
}

impl From<FieldErrors> for CrmError {
    fn from(e: FieldErrors) -> Self {
        CrmError::Invalid(e)
    }
}

impl From<rusqlite::Error> for CrmError {
    fn from(e: rusqlite::Error) -> Self {
        CrmError::Store(e.into())
    }
}
