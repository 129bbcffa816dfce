//! The SQLite store (F1): one database file, WAL, mode 0600, schema only through numbered
//! migrations. Each submodule holds the queries of one table group and knows nothing of Tauri.

pub mod activities;
pub mod business_partners;
pub mod communications;
pub mod contacts;
pub mod employees;
mod error;
#[cfg(test)]
mod file_scan_tests;
pub mod interface;
pub mod mail_configurations;
mod migrations;
pub mod persons;
pub mod postgres;
#[cfg(test)]
#[macro_use]
mod records_tests;
pub mod reminders;
pub mod sealing;
pub mod settings;
#[cfg(test)]
mod shared_tests;
pub mod sign_ins;
mod sql;
pub mod sqlite_shared;
pub mod team_database;

pub use sql::exists;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, TransactionBehavior};

pub use error::StoreError;
pub type Result<T> = std::result::Result<T, StoreError>;

/// The open database. One connection behind a mutex: SQLite serialises writers anyway, and the
/// desktop app has one user; every call runs on a blocking thread, never on the async runtime.
pub struct Db {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    sealer: sealing::Sealer,
}

impl Db {
    /// Opens (creating and migrating) the database file at `path`.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        create_private_file(path)?;
        let mut conn = Connection::open(path)?;
        // journal_mode answers with a row, so it is read rather than executed.
        let mode: String =
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get("journal_mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "SQLite refused WAL mode");
        }
        let sealer = sealing::Sealer::default();
        configure(&mut conn, &sealer)?;
        migrations::migrate(&mut conn)?;
        Ok(Db {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
            sealer,
        })
    }

    /// A fresh, migrated in-memory database, for tests.
    pub fn open_in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        let sealer = sealing::Sealer::default();
        configure(&mut conn, &sealer)?;
        migrations::migrate(&mut conn)?;
        Ok(Db {
            conn: Mutex::new(conn),
            path: None,
            sealer,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// From now on client secrets and tokens are sealed under `key`; those stored in
    /// the clear so far are sealed at once, in one transaction.
    ///
    /// Their plain text is then gone from the files too: `secure_delete` zeroes what an update
    /// frees from now on, but pages freed before (by earlier versions, which did not zero them)
    /// may still hold it, so the first sealing rebuilds the file (VACUUM), and the write-ahead
    /// log, whose older frames hold the old pages, is emptied.
    pub fn use_secret_key(&self, key: &sealing::Key) -> Result<()> {
        self.sealer.set_key(Some(key));
        let sealed = self.transaction(|tx| sealing::seal_stored_secrets(tx, &self.sealer))?;
        if sealed > 0 {
            tracing::info!(
                sealed,
                "secrets are sealed now; rebuilding the database file"
            );
            self.with(|c| {
                // The copy VACUUM builds stays in memory, not in a temporary file.
                c.execute_batch("PRAGMA temp_store = MEMORY; VACUUM; PRAGMA temp_store = DEFAULT;")
            })?;
        }
        self.with(|c| forget_freed(c))
    }

    /// Whether secrets are sealed under a key from the keyring (else only the file mode guards them).
    pub fn seals_secrets(&self) -> bool {
        self.sealer.has_key()
    }

    /// Runs `f` with the connection. Keep `f` short: the UI waits for it.
    pub fn with<T, E>(
        &self,
        f: impl FnOnce(&mut Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        f(&mut self.lock())
    }

    /// Runs `f` in one transaction: either all of its writes land or none does.
    ///
    /// The transaction takes the write lock as it begins (IMMEDIATE). A DEFERRED one would read
    /// first and then upgrade to writing, and when another connection writes meanwhile, SQLite
    /// fails that upgrade at once with SQLITE_BUSY (its snapshot is stale, so waiting cannot
    /// help) instead of waiting `busy_timeout`; an IMMEDIATE one waits for the lock instead.
    pub fn transaction<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back on drop), so a poisoned lock is still a usable connection.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn configure(conn: &mut Connection, sealer: &sealing::Sealer) -> Result<()> {
    // Every transaction begun on this connection without naming its kind (the migrations',
    // `Connection::transaction` anywhere) takes the write lock at once, as `Db::transaction` does.
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA busy_timeout = 5000;",
    )?;
    // Deleted and overwritten content is zeroed, in the page and in freed pages (overflow pages
    // of long tokens included), so a signed-out token or a value replaced by its sealed form
    // is not left in free space (sqlite.org/pragma.html#pragma_secure_delete). Per connection.
    let secure_delete: i64 =
        conn.query_row("PRAGMA secure_delete = ON", [], |r| r.get("secure_delete"))?;
    if secure_delete != 1 {
        tracing::warn!(secure_delete, "SQLite did not turn secure_delete on");
    }
    sql::register_functions(conn)?;
    sealing::register(conn, sealer)?;
    Ok(())
}

/// Moves everything in the write-ahead log into the database file and empties the log
/// (`wal_checkpoint(TRUNCATE)`): its older frames still hold pages as they were before a delete
/// or an update, tokens included, which `secure_delete` does not reach. Call it after forgetting
/// a secret, outside a transaction (inside one it does nothing: the caller runs it after).
pub fn forget_freed(conn: &Connection) -> Result<()> {
    if !conn.is_autocommit() {
        return Ok(());
    }
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get("busy"))?;
    if busy != 0 {
        tracing::warn!("the write-ahead log could not be emptied: another connection reads");
    }
    Ok(())
}

/// Creates the database file readable by its owner only, before SQLite opens it; SQLite then
/// gives its -wal and -shm files the same mode.
fn create_private_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    {
        let _ = path;
    }
    Ok(())
}

/// The current time as a Unix timestamp in seconds.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_the_latest_version() {
        let db = Db::open_in_memory().unwrap();
        let version: i64 = db
            .with(|c| c.query_row("PRAGMA user_version", [], |r| r.get("user_version")))
            .unwrap();
        assert_eq!(version, migrations::latest_version());
        let tables: Vec<String> = db
            .with(|c| {
                let mut stmt =
                    c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
                let rows = stmt.query_map([], |r| r.get("name"))?;
                rows.collect::<rusqlite::Result<_>>()
            })
            .unwrap();
        for table in [
            "activities",
            "activity_participants",
            "business_partners",
            "communications",
            "contacts",
            "employees",
            "history",
            "mail_configurations",
            "persons",
            "system_settings",
        ] {
            assert!(tables.iter().any(|t| t == table), "missing table {table}");
        }
    }

    /// Two connections to one file, as two windows or processes of the app have: each reads and
    /// then writes in one transaction, the second beginning while the first is still open. The
    /// second waits for the first and both land; begun DEFERRED, the first's write would fail at
    /// once with "database is locked" (its read snapshot is older than the second's write).
    #[test]
    fn a_second_writer_waits_for_the_first_instead_of_failing() {
        use crate::crm::model::PersonFields;
        use std::sync::mpsc;
        use std::time::Duration;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("treffpunkt.sqlite");
        let first = Db::open(&path).unwrap();
        let second = Db::open(&path).unwrap();
        let person = |last: &str| PersonFields {
            first_name: "Jana".into(),
            last_name: last.into(),
            ..Default::default()
        };
        let (began, second_may_begin) = mpsc::channel();
        std::thread::scope(|s| {
            let second = &second;
            let other = s.spawn(move || {
                second_may_begin.recv().unwrap();
                second.transaction(|tx| {
                    let seen = persons::search(tx, "", 10)?.len();
                    persons::insert(tx, &person("Zweite"))?;
                    Ok::<_, StoreError>(seen)
                })
            });
            let mine = first.transaction(|tx| {
                let seen = persons::search(tx, "", 10)?.len();
                began.send(()).unwrap();
                // The second writer begins meanwhile.
                std::thread::sleep(Duration::from_millis(300));
                persons::insert(tx, &person("Erste"))?;
                Ok::<_, StoreError>(seen)
            });
            assert_eq!(mine.unwrap(), 0, "the first writer");
            assert_eq!(
                other.join().unwrap().unwrap(),
                1,
                "the second writer waited and then saw the first one's row"
            );
        });
        let stored = first.with(|c| persons::search(c, "", 10)).unwrap();
        assert_eq!(stored.len(), 2);
    }

    /// Rows are read by column name, so that a query can name its columns in any order (and
    /// another engine's statement give them in its own): no `r.get(3)` in the store.
    #[test]
    fn the_store_reads_row_columns_by_name() {
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/store")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 10, "the store's files: {files:?}");
        let mut by_position = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for call in ["r.get", "row.get", "try_get"] {
                    for (at, _) in line.match_indices(call) {
                        let rest = &line[at + call.len()..];
                        // `r.get(0)` or `r.get::<_, T>(0)`
                        let args = match rest.strip_prefix("::<") {
                            Some(turbofish) => turbofish.split_once(">(").map(|(_, a)| a),
                            None => rest.strip_prefix('('),
                        };
                        if args.is_some_and(|a| {
                            a.trim_start().starts_with(|c: char| c.is_ascii_digit())
                        }) {
                            by_position.push(format!(
                                "{}:{}: {}",
                                path.display(),
                                n + 1,
                                line.trim()
                            ));
                        }
                    }
                }
            }
        }
        assert!(
            by_position.is_empty(),
            "read by position:\n{}",
            by_position.join("\n")
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_database_file_is_private_and_in_wal_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("treffpunkt.sqlite");
        let db = Db::open(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let journal: String = db
            .with(|c| c.query_row("PRAGMA journal_mode", [], |r| r.get("journal_mode")))
            .unwrap();
        assert_eq!(journal, "wal");
        drop(db);
        // Opening again runs no migration twice and keeps the data.
        Db::open(&path).unwrap();
    }
}
