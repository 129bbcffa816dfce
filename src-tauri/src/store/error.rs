use crate::crm::model::RecordKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("team database error: {0}")]
    Postgres(#[source] postgres::Error),
    /// The team database refused the login the change (its GRANTs): only the team's
    /// administrators change the system settings and the mail configurations.
    #[error("this login may not make the change: only the team's administrators may")]
    NotPermitted,
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot open the database file: {0}")]
    Io(#[from] std::io::Error),
    #[error("{kind:?} {id} does not exist")]
    NotFound { kind: RecordKind, id: i64 },
    /// The record is still used by others (a foreign key refuses the change).
    #[error("{kind:?} {id} is still in use")]
    InUse { kind: RecordKind, id: i64 },
    /// The record was changed by someone else since the caller read it: nothing was saved.
    #[error("{kind:?} {id} was changed meanwhile by {changed_by:?} at {changed_at}")]
    Conflict {
        kind: RecordKind,
        id: i64,
        changed_by: Option<String>,
        changed_at: i64,
    },
    /// The team database could not be opened (at start) or its connection is lost: nothing was
    /// read or written.
    #[error("the team database cannot be reached")]
    Unreachable(crate::crm::ErrorCode),
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    /// A sealed secret that does not open: the keyring's key is missing or another one, or the
    /// value was moved from another row. It must be entered again.
    #[error("a stored secret can no longer be read and must be entered again")]
    SecretUnreadable,
    /// A unit of work given up because its own step failed (that step's error is what the caller
    /// sees); the engine rolls back what it wrote.
    #[error("the change was abandoned and nothing of it was kept")]
    Abandoned,
    /// The team database's server is lost (or not back yet): nothing of the call was kept.
    #[error("the connection to the team database is lost; nothing of this was kept")]
    Disconnected,
    /// The connection broke while the server answered a COMMIT, and no new one could ask what
    /// became of it: the change may or may not have been kept.
    #[error("the connection to the team database broke while saving; whether it was kept is not known yet")]
    OutcomeUnknown,
}

impl From<postgres::Error> for StoreError {
    /// The server's refusal of a privilege is the caller's to explain, not a database fault.
    fn from(e: postgres::Error) -> Self {
        if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
            StoreError::NotPermitted
        } else {
            StoreError::Postgres(e)
        }
    }
}

impl StoreError {
    /// Whether the team database could not be reached (at start, or lost since), as opposed to
    /// a failure of the call itself: what a window may open without.
    pub fn is_team_database_away(&self) -> bool {
        matches!(
            self,
            StoreError::Unreachable(_) | StoreError::Disconnected | StoreError::OutcomeUnknown
        )
    }

    /// Turns the engine's foreign-key refusal on deleting `kind` `id` into `InUse`.
    pub fn in_use_on_constraint(self, kind: RecordKind, id: i64) -> StoreError {
        match &self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                StoreError::InUse { kind, id }
            }
            StoreError::Postgres(e)
                if e.code() == Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION) =>
            {
                StoreError::InUse { kind, id }
            }
            _ => self,
        }
    }
}
