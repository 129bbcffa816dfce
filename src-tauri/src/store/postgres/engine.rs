//! The team workspace's engine: the store interface over one connection to the team database.

use std::sync::{Mutex, MutexGuard};

use postgres::Client;

use super::records::PgShared;
use crate::store::interface::{Engine, Shared};
use crate::store::Result;

/// One connection behind a mutex, as the local workspace holds its SQLite connection: a desktop
/// runs one store call at a time, off the async runtime.
pub struct PgEngine {
    client: Mutex<Client>,
}

impl PgEngine {
    /// The engine on `client`, connected (`connect`) to a database whose schema is current.
    pub fn new(client: Client) -> PgEngine {
        PgEngine {
            client: Mutex::new(client),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Client> {
        // A panic inside a call drops its transaction, which rolls back: the connection is
        // still usable.
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Engine for PgEngine {
    /// A read-only transaction: every read of `f` sees one snapshot, and a write slipped into a
    /// read is refused by the server.
    fn read(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()> {
        let mut client = self.lock();
        let mut tx = client.build_transaction().read_only(true).start()?;
        f(&mut PgShared(&mut tx))?;
        tx.commit()?;
        Ok(())
    }

    /// One transaction: committed when `f` succeeds; dropped, and so rolled back, when it fails.
    fn write(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()> {
        let mut client = self.lock();
        let mut tx = client.transaction()?;
        f(&mut PgShared(&mut tx))?;
        tx.commit()?;
        Ok(())
    }
}
