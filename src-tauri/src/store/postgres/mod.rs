//! The team workspace's engine: PostgreSQL, reached over rust-postgres' synchronous client (run
//! off the async runtime, as SQLite's calls are).

mod connection;
mod engine;
mod records;
pub mod schema;
#[cfg(test)]
pub mod test_server;

pub use connection::{connect, probe, ConnectError, Password};
pub use engine::PgEngine;
