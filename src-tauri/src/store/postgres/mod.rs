//! The team workspace's engine: PostgreSQL, reached over rust-postgres' synchronous client (run
//! off the async runtime, as SQLite's calls are).

mod activities;
mod connection;
mod engine;
pub mod move_in;
mod records;
pub mod schema;
mod settings;
#[cfg(test)]
pub mod test_server;

pub use connection::{connect, probe, ConnectError, Password};
pub use engine::PgEngine;
