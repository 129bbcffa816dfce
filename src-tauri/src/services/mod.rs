//! The use cases: checked saves of records and activities, each in one transaction, the settings
//! and the sign-ins. They check with the domain (`crm`), keep with the store, and are what the
//! commands call, on the `Workspace` they are handed; the tests call them the same way without a
//! window. Sending meetings (`meetings`), calls (`teams::calls`), sign-in sessions
//! (`microsoft::session`) and reminders are use cases of the same layer.

pub mod activities;
mod error;
pub mod records;
pub mod settings;
pub mod sign_in;
pub mod team_database;
mod workspace;

pub use error::CrmError;
pub use workspace::Workspace;
pub type Result<T> = std::result::Result<T, CrmError>;
