//! The CRM's domain: records, activities and their rules. Knows nothing of Tauri; the commands
//! call in here, and the tests do the same without a window.

pub mod activity;
pub mod calendar;
pub mod cloud;
mod error_code;
pub mod issuer;
pub mod mail_configuration;
pub mod model;
pub mod rules;
pub mod settings;
pub mod sign_in;
pub mod validation;
pub mod wall_clock;

pub use error_code::ErrorCode;
