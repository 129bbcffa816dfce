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
