//! The use cases: checked saves of records and activities, each in one transaction. They check
//! with the domain (`crm`), keep with the store, and are what the commands call; the tests call
//! them the same way without a window. Sending meetings (`meetings`), calls (`teams::calls`),
//! sign-in sessions (`microsoft::session`) and reminders are use cases of the same layer.

pub mod activities;
pub mod app;
pub mod availability;
pub mod calendar;
mod error;
pub mod records;
pub mod reminders;

pub use error::CrmError;
pub type Result<T> = std::result::Result<T, CrmError>;
