//! The use cases: checked saves of records and activities, each in one transaction, the calendar
//! and the dialog's drafts, the opening view, the notification centre, Teams' availability (C7),
//! the settings and the sign-ins. They check with the domain (`crm`), keep with the store, and are
//! what the commands call, on the `Workspace` they are handed; the tests call them the same way
//! without a window. Sending meetings (`meetings`), the Teams actions (`teams::actions`, over
//! `teams::calls`), sign-in sessions (`microsoft::session`) and the reminder scan (`reminders`)
//! are use cases of the same layer: they live beside their adapters, and `teams` uses this
//! module, so this module does not use `teams`.

pub mod activities;
pub mod app;
pub mod availability;
pub mod calendar;
mod error;
pub mod live;
pub mod records;
pub mod reminders;
pub mod settings;
pub mod sign_in;
pub mod team_database;
mod workspace;

pub use error::CrmError;
pub use workspace::Workspace;
pub type Result<T> = std::result::Result<T, CrmError>;
