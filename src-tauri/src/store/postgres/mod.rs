//! The team workspace's engine: PostgreSQL, reached over rust-postgres' synchronous client (run
//! off the async runtime, as SQLite's calls are).

mod activities;
mod connection;
mod engine;
#[cfg(test)]
mod fault_tests;
pub mod live;
pub mod move_in;
mod records;
pub mod schema;
mod settings;
#[cfg(test)]
pub mod test_server;

pub use connection::{classify as classify_connect_error, connect, probe, ConnectError, Password};
pub use engine::{Connector, PgEngine};
