//! The database key for secrets at rest, kept in the OS keyring: the Secret Service on
//! Linux (GNOME Keyring, KWallet), the Keychain on macOS, the Credential Manager on Windows. One
//! key per database file, made on first use.
//!
//! Without a keyring (a server without a session bus, a locked or missing Secret Service) the app
//! runs on without one: secrets are then stored as they are, protected by the file's mode 0600,
//! and the settings say so.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::store::sealing::{new_key, Key};

/// Set to `off` to never ask the keyring (tests, benchmarks, or a machine where it misbehaves).
pub const KEYRING_ENV: &str = "TREFFPUNKT_KEYRING";
const SERVICE: &str = "de.treffpunkt.crm";
/// A Secret Service that never answers must not hold the start up.
const PATIENCE: Duration = Duration::from_secs(5);

/// The key of the database at `database`, from the keyring, made and stored there on first use;
/// or why there is none.
pub fn database_key(database: &Path) -> Result<Key, String> {
    if std::env::var(KEYRING_ENV).is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
        return Err(format!("{KEYRING_ENV}=off"));
    }
    let user = format!("database-key:{}", database.display());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(load_or_create(&user));
    });
    rx.recv_timeout(PATIENCE)
        .map_err(|_| format!("the keyring did not answer within {PATIENCE:?}"))?
}

fn load_or_create(user: &str) -> Result<Key, String> {
    let entry = keyring::Entry::new(SERVICE, user).map_err(|e| e.to_string())?;
    match entry.get_secret() {
        Ok(bytes) => bytes
            .try_into()
            .map_err(|_| "the keyring holds a key of the wrong length".to_string()),
        Err(keyring::Error::NoEntry) => {
            let key = new_key();
            entry.set_secret(&key).map_err(|e| e.to_string())?;
            // Read back: a keyring that accepts but does not keep would lose every secret.
            match entry.get_secret() {
                Ok(stored) if stored == key => Ok(key),
                _ => Err("the keyring did not keep the key".into()),
            }
        }
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyring_can_be_turned_off() {
        std::env::set_var(KEYRING_ENV, "off");
        let answer = database_key(Path::new("/tmp/x.sqlite"));
        std::env::remove_var(KEYRING_ENV);
        assert_eq!(answer, Err("TREFFPUNKT_KEYRING=off".into()));
    }
}
