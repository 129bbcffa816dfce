//! The CRM's domain: the types of records, activities and sign-ins and their rules. Pure: no I/O,
//! no Tauri, no SQL; the use cases (`services`) and the store speak these types.

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
pub mod team_database;
pub mod validation;
pub mod wall_clock;

pub use error_code::ErrorCode;
