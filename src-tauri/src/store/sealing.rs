//! Secrets at rest (issue 7): client secrets and sign-in tokens are sealed with XChaCha20-Poly1305
//! under a key the OS keyring keeps (`crate::keyring`), so a copied database file holds none of
//! them in the clear. Without a keyring the values stay as they are and the 0600 file protects
//! them; the settings say which of the two is the case.
//!
//! The SQL functions `seal(value)` and `unseal(stored)` do the work inside the statements that
//! write and read the secret columns, so the store's queries stay single statements.

use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

/// Marks a sealed value: the version of the format, then base64 of nonce and ciphertext.
const SEALED_PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 24;

/// A database key: 32 random bytes.
pub type Key = [u8; 32];

/// A fresh random key from the OS.
pub fn new_key() -> Key {
    XChaCha20Poly1305::generate_key(&mut OsRng).into()
}

/// The key of the open database, if any; shared with the SQL functions.
#[derive(Clone, Default)]
pub struct Sealer(Arc<RwLock<Option<XChaCha20Poly1305>>>);

impl Sealer {
    pub fn set_key(&self, key: Option<&Key>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) =
            key.map(|k| XChaCha20Poly1305::new(k.into()));
    }

    pub fn has_key(&self) -> bool {
        self.0.read().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// `plain` sealed under the key; without a key, `plain` itself.
    fn seal(&self, plain: &str) -> String {
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        let Some(cipher) = guard.as_ref() else {
            return plain.to_string();
        };
        if plain.starts_with(SEALED_PREFIX) {
            return plain.to_string();
        }
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, plain.as_bytes())
            .expect("XChaCha20-Poly1305 seals any length a column holds");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED_PREFIX}{}", STANDARD.encode(bytes))
    }

    /// The plain value of `stored`: a value stored before there was a key comes back as it is; a
    /// sealed one without the key (the keyring was reset) or with another key is unreadable,
    /// `None`, and the user signs in or enters the secret again.
    fn unseal(&self, stored: &str) -> Option<String> {
        let Some(encoded) = stored.strip_prefix(SEALED_PREFIX) else {
            return Some(stored.to_string());
        };
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        let cipher = guard.as_ref()?;
        let bytes = STANDARD.decode(encoded).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = cipher.decrypt(XNonce::from_slice(nonce), sealed).ok()?;
        String::from_utf8(plain).ok()
    }
}

/// Registers `seal` and `unseal` on `conn`; both pass NULL through.
pub fn register(conn: &Connection, sealer: &Sealer) -> rusqlite::Result<()> {
    // Not deterministic: sealing draws a new nonce every time.
    let flags = FunctionFlags::SQLITE_UTF8;
    let s = sealer.clone();
    conn.create_scalar_function("seal", 1, flags, move |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.map(|v| s.seal(&v)))
    })?;
    let s = sealer.clone();
    conn.create_scalar_function("unseal", 1, flags, move |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.and_then(|v| s.unseal(&v)))
    })?;
    Ok(())
}

/// Seals every secret still stored in the clear (written before the keyring held a key).
pub fn seal_stored_secrets(conn: &Connection) -> rusqlite::Result<usize> {
    let pattern = format!("{SEALED_PREFIX}%");
    let mut sealed = conn.execute(
        "UPDATE mail_configurations SET azure_client_secret = seal(azure_client_secret)
          WHERE azure_client_secret NOT LIKE ?1",
        [&pattern],
    )?;
    sealed += conn.execute(
        "UPDATE sign_ins SET access_token = seal(access_token), refresh_token = seal(refresh_token)
          WHERE access_token NOT LIKE ?1 OR refresh_token NOT LIKE ?1",
        [&pattern],
    )?;
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_only() {
        let (sealer, other) = (Sealer::default(), Sealer::default());
        sealer.set_key(Some(&new_key()));
        other.set_key(Some(&new_key()));
        let sealed = sealer.seal("refresh-token-1");
        assert!(sealed.starts_with(SEALED_PREFIX));
        assert!(!sealed.contains("refresh-token-1"));
        assert_ne!(
            sealed,
            sealer.seal("refresh-token-1"),
            "a new nonce each time"
        );
        assert_eq!(sealer.unseal(&sealed).as_deref(), Some("refresh-token-1"));
        assert_eq!(other.unseal(&sealed), None, "another key");
        assert_eq!(Sealer::default().unseal(&sealed), None, "no key");
        assert_eq!(sealer.unseal("sealed:v1:!!"), None, "damaged");
        assert_eq!(
            sealer.unseal("plain").as_deref(),
            Some("plain"),
            "stored in the clear"
        );
        assert_eq!(Sealer::default().seal("plain"), "plain", "no key: as it is");
    }

    /// What lands in the database file, with and without a key, and when the key comes late or
    /// goes missing: the choice of issue 7, tested both ways.
    mod at_rest {
        use super::*;
        use crate::crm::mail_configuration::{tests::input, validate, SecretChange};
        use crate::crm::model::EmployeeFields;
        use crate::microsoft::tokens::{Account, SignInOwner, TokenSet};
        use crate::store::{employees, mail_configurations, sign_ins, Db, StoreError};

        const SECRET: &str = "client-secret-Qx7";
        const REFRESH: &str = "refresh-token-Zy9";

        /// Writes a mail configuration with a secret and an employee's sign-in; returns their ids.
        fn write_secrets(db: &Db) -> (i64, SignInOwner) {
            db.with(|c| {
                let mut i = input();
                i.client_secret = SecretChange::Replace {
                    value: SECRET.into(),
                };
                let config = mail_configurations::insert(c, &validate(&i).unwrap(), 1)?;
                let anna = employees::insert(
                    c,
                    &EmployeeFields {
                        first_name: "Anna".into(),
                        last_name: "Schmidt".into(),
                        color: "#000000".into(),
                        ..Default::default()
                    },
                )?;
                let owner = SignInOwner::Employee(anna);
                let tokens = TokenSet {
                    access_token: "access-token-Wv3".into(),
                    refresh_token: Some(REFRESH.into()),
                    expires_at: chrono::Utc::now(),
                };
                let account = Account {
                    user_principal_name: "anna@contoso.example".into(),
                    display_name: "Anna".into(),
                    tenant_id: "t".into(),
                };
                sign_ins::save(c, owner, &account, &tokens, 1)?;
                Ok::<_, StoreError>((config, owner))
            })
            .unwrap()
        }

        /// The secrets as the sign-in reads them.
        fn read_secrets(
            db: &Db,
            config: i64,
            owner: SignInOwner,
        ) -> (Option<String>, Option<String>) {
            db.with(|c| {
                let secret = mail_configurations::client_secret(c, config)?;
                let refresh = sign_ins::get(c, owner)?
                    .and_then(|s| s.tokens)
                    .and_then(|t| t.refresh_token);
                Ok::<_, StoreError>((secret, refresh))
            })
            .unwrap()
        }

        /// Whether the database file (its log checkpointed into it) holds `text` anywhere.
        fn file_holds(db: &Db, text: &str) -> bool {
            db.with(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
                .unwrap();
            let bytes = std::fs::read(db.path().unwrap()).unwrap();
            bytes.windows(text.len()).any(|w| w == text.as_bytes())
        }

        #[test]
        fn with_a_key_the_file_holds_no_secret_and_the_app_reads_them() {
            let dir = tempfile::tempdir().unwrap();
            let db = Db::open(&dir.path().join("t.sqlite")).unwrap();
            db.use_secret_key(&new_key()).unwrap();
            assert!(db.seals_secrets());
            let (config, owner) = write_secrets(&db);
            assert!(!file_holds(&db, SECRET));
            assert!(!file_holds(&db, REFRESH));
            assert!(!file_holds(&db, "access-token-Wv3"));
            assert_eq!(
                read_secrets(&db, config, owner),
                (Some(SECRET.into()), Some(REFRESH.into()))
            );
        }

        #[test]
        fn without_a_key_secrets_are_kept_as_they_are_in_the_private_file() {
            let dir = tempfile::tempdir().unwrap();
            let db = Db::open(&dir.path().join("t.sqlite")).unwrap();
            assert!(
                !db.seals_secrets(),
                "the settings say: file permissions only"
            );
            let (config, owner) = write_secrets(&db);
            assert!(file_holds(&db, SECRET));
            assert_eq!(
                read_secrets(&db, config, owner),
                (Some(SECRET.into()), Some(REFRESH.into()))
            );
        }

        #[test]
        fn a_key_that_comes_later_seals_what_was_stored_and_a_lost_key_means_signing_in_again() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.sqlite");
            let key = new_key();
            let (config, owner) = {
                let db = Db::open(&path).unwrap();
                write_secrets(&db)
            };
            let db = Db::open(&path).unwrap();
            db.use_secret_key(&key).unwrap();
            assert!(!file_holds(&db, SECRET), "sealed when the keyring appeared");
            assert!(!file_holds(&db, REFRESH));
            assert_eq!(
                read_secrets(&db, config, owner),
                (Some(SECRET.into()), Some(REFRESH.into()))
            );
            drop(db);

            // The keyring was reset: the sealed values cannot be read, and nothing fails on it.
            let db = Db::open(&path).unwrap();
            db.use_secret_key(&new_key()).unwrap();
            assert_eq!(read_secrets(&db, config, owner), (None, None));
            let signed_in = db.with(|c| sign_ins::get(c, owner)).unwrap().unwrap();
            assert!(signed_in.tokens.is_none(), "the sign-in must be done again");
        }
    }
}
