//! The team workspace's engine: the store interface over one connection to the team database,
//! opened again when the server is lost (with the live listener's backoff).
//!
//! A write is never repeated by the engine. A connection lost before COMMIT leaves nothing on
//! the server (the backend's end rolls its transaction back), so the caller is told nothing was
//! kept and the user saves again once the server is back. A connection lost while COMMIT's answer
//! was on its way leaves the outcome open: the write therefore reads its transaction's id before
//! committing, and after the reconnect asks the server (`txid_status`) whether that transaction
//! committed. Committed: the write counts as done, and is not sent again. Aborted: the caller hears
//! nothing was kept. A server still away: the caller hears that the outcome is open; a second save
//! of the same form then meets the record's version check (a save names the version it read), so
//! even a manual retry cannot overwrite or double an update.

use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use postgres::error::SqlState;
use postgres::Client;

use super::connection::ConnectError;
use super::live::reconnect_delay;
use super::records::PgShared;
use crate::store::interface::{Engine, Shared};
use crate::store::{Result, StoreError};

/// Opens a new connection to the team database (the saved settings and password).
pub type Connector = Box<dyn Fn() -> std::result::Result<Client, ConnectError> + Send>;

/// One connection behind a mutex, as the local workspace holds its SQLite connection: a desktop
/// runs one store call at a time, off the async runtime.
pub struct PgEngine {
    state: Mutex<State>,
}

struct State {
    /// `None` while the server is away.
    client: Option<Client>,
    /// Opens the connection again; without one (tests on a given client) a lost connection stays
    /// lost.
    connector: Option<Connector>,
    /// Failed reconnects in a row, and when the next may be tried: a call meanwhile is refused
    /// at once instead of waiting out a connect timeout each time.
    failures: u32,
    next_try: Instant,
    /// A write whose COMMIT had no answer and whose outcome is not yet known: its transaction.
    unresolved: Option<i64>,
}

/// What became of a transaction whose COMMIT had no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Committed,
    RolledBack,
    /// The server no longer knows (too old) or still runs it: neither can be said.
    Unknown,
}

impl PgEngine {
    /// The engine on `client`, connected (`connect`) to a database whose schema is current.
    /// A lost connection is not opened again.
    pub fn new(client: Client) -> PgEngine {
        PgEngine::with(Some(client), None)
    }

    /// The engine on `client`, opening a new connection with `connector` whenever the server was
    /// lost.
    pub fn reconnecting(client: Client, connector: Connector) -> PgEngine {
        PgEngine::with(Some(client), Some(connector))
    }

    /// The engine before its first connection (the server was away at the start): the first
    /// call connects, and calls meanwhile are refused as a lost connection.
    pub fn connecting(connector: Connector) -> PgEngine {
        PgEngine::with(None, Some(connector))
    }

    fn with(client: Option<Client>, connector: Option<Connector>) -> PgEngine {
        PgEngine {
            state: Mutex::new(State {
                client,
                connector,
                failures: 0,
                next_try: Instant::now(),
                unresolved: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic inside a call drops its transaction, which rolls back: the connection is
        // still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The server's process serving this engine's connection (for tests that end it).
    #[cfg(test)]
    pub fn backend_pid(&self) -> Option<i32> {
        let mut state = self.lock();
        let client = state.client.as_mut()?;
        client
            .query_one("SELECT pg_backend_pid() AS pid", &[])
            .ok()?
            .try_get("pid")
            .ok()
    }
}

impl State {
    /// The connection, opened again if it was lost and the backoff allows a try now.
    fn client(&mut self) -> Result<&mut Client> {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.lost();
        }
        if self.client.is_none() {
            self.reconnect()?;
        }
        Ok(self.client.as_mut().expect("connected above"))
    }

    fn reconnect(&mut self) -> Result<()> {
        let Some(connector) = &self.connector else {
            return Err(StoreError::Disconnected);
        };
        if Instant::now() < self.next_try {
            return Err(StoreError::Disconnected);
        }
        match connector() {
            Ok(mut client) => {
                tracing::info!(
                    after = self.failures,
                    "the team database is reachable again"
                );
                self.failures = 0;
                if let Some(xid) = self.unresolved.take() {
                    let outcome = outcome(&mut client, xid);
                    tracing::warn!(xid, ?outcome, "a save whose answer was lost");
                }
                self.client = Some(client);
                Ok(())
            }
            Err(e) => {
                let delay = reconnect_delay(self.failures);
                self.failures = self.failures.saturating_add(1);
                self.next_try = Instant::now() + delay;
                tracing::warn!(retry_in = ?delay, "the team database is unreachable: {e}");
                match e {
                    ConnectError::Unreachable(_) => Err(StoreError::Disconnected),
                    // The server answered and refused (a login, a schema an administrator changed
                    // meanwhile): the user hears why, not that the connection is lost.
                    refused => Err(StoreError::Unreachable(refused.code())),
                }
            }
        }
    }

    /// Forgets a broken connection; the next call opens a new one.
    fn lost(&mut self) {
        if self.client.take().is_some() {
            tracing::warn!("the connection to the team database was lost");
        }
    }

    /// After a failed call: was it the connection? Then forget it, and tell the caller so
    /// rather than the driver's words.
    fn after_failure(&mut self, e: StoreError) -> StoreError {
        // The caller's own failure hides the driver's error (`interface::carry`): ask the
        // connection itself, which costs a round trip on failures only.
        let closed = self
            .client
            .as_mut()
            .is_none_or(|c| c.is_closed() || c.simple_query("").is_err());
        if closed || is_connection_error(&e) {
            self.lost();
            StoreError::Disconnected
        } else {
            e
        }
    }
}

/// Whether `e` says the connection (not the statement) failed: the server ended the session
/// (shut down, the backend terminated) or the socket broke.
pub(crate) fn is_connection_error(e: &StoreError) -> bool {
    let StoreError::Postgres(e) = e else {
        return matches!(e, StoreError::Disconnected);
    };
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || code.code().starts_with("08")
        }
        // No server code: the driver's own failure, i.e. the socket.
        None => std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
    }
}

/// Asks the server what became of transaction `xid`.
pub fn outcome(client: &mut Client, xid: i64) -> Outcome {
    let status: Option<String> = client
        .query_one("SELECT txid_status($1) AS status", &[&xid])
        .ok()
        .and_then(|row| row.try_get("status").ok());
    match status.as_deref() {
        Some("committed") => Outcome::Committed,
        Some("aborted") => Outcome::RolledBack,
        _ => Outcome::Unknown,
    }
}

/// Opens a write's transaction, notes its id (to ask after it should COMMIT's answer be lost),
/// and runs `f` in it.
fn prepare<'c>(
    client: &'c mut Client,
    f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>,
) -> Result<(postgres::Transaction<'c>, i64)> {
    let mut tx = client.transaction()?;
    let xid: i64 = tx
        .query_one("SELECT txid_current() AS xid", &[])?
        .try_get("xid")?;
    f(&mut PgShared(&mut tx))?;
    Ok((tx, xid))
}

impl Engine for PgEngine {
    /// A read-only transaction: every read of `f` sees one snapshot, and a write slipped into a
    /// read is refused by the server.
    fn read(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()> {
        let mut state = self.lock();
        let client = state.client()?;
        let result = (|| {
            let mut tx = client.build_transaction().read_only(true).start()?;
            f(&mut PgShared(&mut tx))?;
            tx.commit()?;
            Ok(())
        })();
        result.map_err(|e| state.after_failure(e))
    }

    /// One transaction: committed when `f` succeeds; dropped, and so rolled back, when it fails.
    /// Never sent twice (see the module's comment).
    fn write(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()> {
        let mut state = self.lock();
        let attempt = {
            let client = state.client()?;
            prepare(client, f).map(|(tx, xid)| (xid, tx.commit()))
        };
        let (xid, e) = match attempt {
            Ok((_, Ok(()))) => return Ok(()),
            Ok((xid, Err(e))) => (xid, e),
            // Not committed: the server rolled back (or will, when the broken session ends).
            Err(e) => return Err(state.after_failure(e)),
        };
        let e = state.after_failure(e.into());
        if !matches!(e, StoreError::Disconnected) {
            return Err(e);
        }
        // COMMIT went out and no answer came back: ask a new connection, at once (one attempt,
        // whatever the backoff says), what became of it.
        state.next_try = Instant::now();
        if state.reconnect().is_err() {
            // Resolved (and logged) by the next reconnect; the user sees the record as it is then.
            state.unresolved = Some(xid);
            return Err(StoreError::OutcomeUnknown);
        }
        let client = state.client.as_mut().expect("just reconnected");
        match outcome(client, xid) {
            Outcome::Committed => Ok(()),
            Outcome::RolledBack => Err(StoreError::Disconnected),
            Outcome::Unknown => Err(StoreError::OutcomeUnknown),
        }
    }
}
