//! Secrets at rest: client secrets and sign-in tokens are sealed with XChaCha20-Poly1305
//! under a key the OS keyring keeps (`crate::keyring`), so a copied database file holds none of
//! them in the clear. Without a keyring the values stay as they are and the 0600 file protects
//! them; the settings say which of the two is the case.
//!
//! The SQL functions `seal(value)` and `unseal(stored)` do the work inside the statements that
//! write and read the secret columns, so the store's queries stay single statements.

use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

/// A sealed value bound to its place (table, column, row) as associated data: copied into
/// another row or column it does not open. The version of the format, then base64 of nonce and
/// ciphertext.
const SEALED: &str = "sealed:v2:";
/// The format before values were bound to their place; such a value opens anywhere, so the
/// first start with the key seals it again as `SEALED` (`seal_stored_secrets`).
const SEALED_UNBOUND: &str = "sealed:v1:";
const NONCE_LEN: usize = 24;

/// A database key: 32 random bytes.
pub type Key = [u8; 32];

/// A fresh random key from the OS.
pub fn new_key() -> Key {
    XChaCha20Poly1305::generate_key(&mut OsRng).into()
}

/// Where a sealed value lives: `table.column` and the row's key. The row of a sign-in is its
/// owner ([`sign_in_row`]), known before the row exists; a mail configuration's is its `id`.
pub struct Place<'a> {
    pub column: &'a str,
    pub row: &'a str,
}

impl Place<'_> {
    /// The associated data of the seal: the app, the column and the row, unambiguously joined.
    fn associated_data(&self) -> Vec<u8> {
        format!("treffpunkt\u{1f}{}\u{1f}{}", self.column, self.row).into_bytes()
    }
}

/// The row key of a sign-in: its owner column and id, e.g. `employee_id=5`.
pub fn sign_in_row(owner_column: &str, id: i64) -> String {
    format!("{owner_column}={id}")
}

/// The same row key in SQL, for statements over every sign-in.
const SIGN_IN_ROW_SQL: &str = "CASE WHEN employee_id IS NOT NULL THEN 'employee_id=' || employee_id
     ELSE 'mail_configuration_id=' || mail_configuration_id END";

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

    /// `plain` sealed under the key and bound to `place`; without a key, `plain` itself.
    fn seal(&self, plain: &str, place: &Place<'_>) -> String {
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        let Some(cipher) = guard.as_ref() else {
            return plain.to_string();
        };
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = place.associated_data();
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 seals any length a column holds");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED}{}", STANDARD.encode(bytes))
    }

    /// The plain value of `stored` at `place`: a value stored before there was a key comes back
    /// as it is; a sealed one without the key (the keyring was reset), with another key, or
    /// moved from another place is unreadable, `None`, and the user signs in or enters the
    /// secret again ([`unreadable`] tells that from "nothing stored").
    fn unseal(&self, stored: &str, place: &Place<'_>) -> Option<String> {
        let (encoded, aad) = if let Some(encoded) = stored.strip_prefix(SEALED) {
            (encoded, place.associated_data())
        } else if let Some(encoded) = stored.strip_prefix(SEALED_UNBOUND) {
            (encoded, Vec::new())
        } else {
            return Some(stored.to_string());
        };
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        let cipher = guard.as_ref()?;
        let bytes = STANDARD.decode(encoded).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }

    /// `stored` sealed as it should be now: a value in the clear or in the unbound format, when
    /// it opens, sealed again bound to `place`; anything else (already bound, or not opening
    /// with this key) as it is, so that a key that comes back can still open it.
    fn reseal(&self, stored: &str, place: &Place<'_>) -> String {
        if !self.has_key() || stored.starts_with(SEALED) {
            return stored.to_string();
        }
        match self.unseal(stored, place) {
            Some(plain) => self.seal(&plain, place),
            None => stored.to_string(),
        }
    }
}

/// Whether a value is stored (`stored`) but cannot be opened (`opened` is `None`): the key is
/// missing or another one, or the value was moved from another place.
pub fn unreadable(stored: bool, opened: &Option<String>) -> bool {
    stored && opened.is_none()
}

/// The place named by the SQL function's arguments 1 (`table.column`) and 2 (the row key).
fn place_args(ctx: &Context<'_>) -> rusqlite::Result<(String, String)> {
    let column: String = ctx.get(1)?;
    let row = match ctx.get_raw(2) {
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        _ => {
            return Err(rusqlite::Error::UserFunctionError(
                "a sealed value's row must be an integer or text".into(),
            ))
        }
    };
    Ok((column, row))
}

/// Registers `seal(value, 'table.column', row)`, `unseal(stored, 'table.column', row)` and
/// `reseal(stored, 'table.column', row)` on `conn`; each passes NULL through. There is no form
/// without a place: every sealed value is bound to where it is stored.
pub fn register(conn: &Connection, sealer: &Sealer) -> rusqlite::Result<()> {
    // Not deterministic: sealing draws a new nonce every time.
    let flags = FunctionFlags::SQLITE_UTF8;
    type Op = fn(&Sealer, &str, &Place<'_>) -> Option<String>;
    let ops: [(&str, Op); 3] = [
        ("seal", |s, v, p| Some(s.seal(v, p))),
        ("unseal", |s, v, p| s.unseal(v, p)),
        ("reseal", |s, v, p| Some(s.reseal(v, p))),
    ];
    for (name, op) in ops {
        let s = sealer.clone();
        conn.create_scalar_function(name, 3, flags, move |ctx| {
            let Some(value) = ctx.get::<Option<String>>(0)? else {
                return Ok(None);
            };
            let (column, row) = place_args(ctx)?;
            Ok(op(
                &s,
                &value,
                &Place {
                    column: &column,
                    row: &row,
                },
            ))
        })?;
    }
    Ok(())
}

/// The columns that hold secrets, each with the SQL of its row key (see [`Place`]).
const SECRET_COLUMNS: [(&str, &str, &str); 4] = [
    ("mail_configurations", "azure_client_secret", "id"),
    ("team_database", "password", "id"),
    ("sign_ins", "access_token", SIGN_IN_ROW_SQL),
    ("sign_ins", "refresh_token", SIGN_IN_ROW_SQL),
];

/// Seals every secret not yet sealed bound to its place: those stored in the clear (written
/// before the keyring held a key) and those sealed by earlier versions without a place. Returns
/// how many values changed; a value that does not open with this key is left as it is.
pub fn seal_stored_secrets(conn: &Connection, sealer: &Sealer) -> rusqlite::Result<usize> {
    let bound = format!("{SEALED}%");
    let mut changed = 0;
    for (table, column, row) in SECRET_COLUMNS {
        let place = format!("{table}.{column}");
        let stored = conn
            .prepare(&format!(
                "SELECT rowid AS id, CAST({row} AS TEXT) AS row_key, {column} AS value
                   FROM {table} WHERE {column} NOT LIKE ?1"
            ))?
            .query_map([&bound], |r| {
                Ok((
                    r.get::<_, i64>("id")?,
                    r.get::<_, String>("row_key")?,
                    r.get::<_, String>("value")?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (rowid, row, value) in stored {
            let resealed = sealer.reseal(
                &value,
                &Place {
                    column: &place,
                    row: &row,
                },
            );
            if resealed != value {
                changed += conn.execute(
                    &format!("UPDATE {table} SET {column} = ?2 WHERE rowid = ?1"),
                    rusqlite::params![rowid, resealed],
                )?;
            }
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA: Place<'static> = Place {
        column: "sign_ins.refresh_token",
        row: "employee_id=1",
    };

    #[test]
    fn a_sealed_value_opens_with_its_key_only() {
        let (sealer, other) = (Sealer::default(), Sealer::default());
        sealer.set_key(Some(&new_key()));
        other.set_key(Some(&new_key()));
        let sealed = sealer.seal("refresh-token-1", &ANNA);
        assert!(sealed.starts_with(SEALED));
        assert!(!sealed.contains("refresh-token-1"));
        assert_ne!(
            sealed,
            sealer.seal("refresh-token-1", &ANNA),
            "a new nonce each time"
        );
        assert_eq!(
            sealer.unseal(&sealed, &ANNA).as_deref(),
            Some("refresh-token-1")
        );
        assert_eq!(other.unseal(&sealed, &ANNA), None, "another key");
        assert_eq!(Sealer::default().unseal(&sealed, &ANNA), None, "no key");
        assert_eq!(sealer.unseal("sealed:v2:!!", &ANNA), None, "damaged");
        assert_eq!(
            sealer.unseal("plain", &ANNA).as_deref(),
            Some("plain"),
            "stored in the clear"
        );
        assert_eq!(
            Sealer::default().seal("plain", &ANNA),
            "plain",
            "no key: as it is"
        );
    }

    #[test]
    fn a_sealed_value_opens_only_where_it_was_stored() {
        let sealer = Sealer::default();
        sealer.set_key(Some(&new_key()));
        let sealed = sealer.seal("refresh-token-1", &ANNA);
        let elsewhere = [
            Place {
                column: "sign_ins.refresh_token",
                row: "employee_id=2",
            },
            Place {
                column: "sign_ins.refresh_token",
                row: "mail_configuration_id=1",
            },
            Place {
                column: "sign_ins.access_token",
                row: "employee_id=1",
            },
            Place {
                column: "mail_configurations.azure_client_secret",
                row: "1",
            },
        ];
        for place in elsewhere {
            assert_eq!(sealer.unseal(&sealed, &place), None, "{}", place.column);
        }
    }

    /// A value as versions before the place was bound sealed it: no associated data.
    pub(super) fn sealed_unbound(key: &Key, plain: &str) -> String {
        let cipher = XChaCha20Poly1305::new(key.into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut bytes = nonce.to_vec();
        bytes.extend(cipher.encrypt(&nonce, plain.as_bytes()).unwrap());
        format!("{SEALED_UNBOUND}{}", STANDARD.encode(bytes))
    }

    #[test]
    fn a_value_sealed_by_an_earlier_version_opens_and_is_sealed_again_bound() {
        let key = new_key();
        let sealer = Sealer::default();
        sealer.set_key(Some(&key));
        let old = sealed_unbound(&key, "refresh-token-1");
        assert_eq!(
            sealer.unseal(&old, &ANNA).as_deref(),
            Some("refresh-token-1")
        );
        let resealed = sealer.reseal(&old, &ANNA);
        assert!(resealed.starts_with(SEALED), "{resealed}");
        assert_eq!(
            sealer.unseal(&resealed, &ANNA).as_deref(),
            Some("refresh-token-1")
        );
        assert_eq!(sealer.reseal(&resealed, &ANNA), resealed, "once only");
        let lost = sealed_unbound(&new_key(), "x");
        assert_eq!(sealer.reseal(&lost, &ANNA), lost, "kept for its own key");
    }

    /// What lands in the database file, with and without a key, and when the key comes late or
    /// goes missing: the choice made for secrets at rest, tested both ways.
    mod at_rest {
        use super::*;
        use crate::crm::mail_configuration::{tests::input, validate, SecretChange};
        use crate::crm::model::EmployeeFields;
        use crate::crm::sign_in::{Account, SignInOwner, SignInState, TokenSet};
        use crate::microsoft::session::SessionError;
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

            // The keyring was reset (a new key), or does not answer (none): the sealed values
            // cannot be read, nothing fails on it, and the app says they must be entered again.
            for key in [Some(new_key()), None] {
                let db = Db::open(&path).unwrap();
                if let Some(key) = key {
                    db.use_secret_key(&key).unwrap();
                }
                assert_must_be_entered_again(&db, config, owner);
            }
            // The right key back: everything opens again, nothing was thrown away.
            let db = Db::open(&path).unwrap();
            db.use_secret_key(&key).unwrap();
            assert_eq!(
                read_secrets(&db, config, owner),
                (Some(SECRET.into()), Some(REFRESH.into()))
            );
        }

        /// The secret and the sign-in are there but cannot be read: they must be entered again.
        fn assert_must_be_entered_again(db: &Db, config: i64, owner: SignInOwner) {
            let (listed, secret, signed_in) = db
                .with(|c| {
                    Ok::<_, StoreError>((
                        mail_configurations::get(c, config)?,
                        mail_configurations::client_secret(c, config),
                        sign_ins::get(c, owner)?.unwrap(),
                    ))
                })
                .unwrap();
            assert!(listed.has_client_secret && listed.client_secret_unreadable);
            assert!(
                matches!(secret, Err(StoreError::SecretUnreadable)),
                "{secret:?}"
            );
            assert_eq!(signed_in.tokens, None);
            assert_eq!(signed_in.state, SignInState::Expired, "not \"signed in\"");
            assert_eq!(
                signed_in.expired_reason.as_deref(),
                Some(sign_ins::UNREADABLE)
            );
        }

        #[test]
        fn a_sealed_token_or_secret_copied_into_another_row_does_not_open() {
            let dir = tempfile::tempdir().unwrap();
            let db = Db::open(&dir.path().join("t.sqlite")).unwrap();
            db.use_secret_key(&new_key()).unwrap();
            let (config, anna) = write_secrets(&db);
            let (other_config, ben) = db
                .with(|c| {
                    let mut i = input();
                    i.name = "Other".into();
                    let other = mail_configurations::insert(c, &validate(&i).unwrap(), 1)?;
                    let ben = SignInOwner::Employee(employees::insert(
                        c,
                        &EmployeeFields {
                            first_name: "Ben".into(),
                            last_name: "Meyer".into(),
                            color: "#000000".into(),
                            ..Default::default()
                        },
                    )?);
                    let tokens = TokenSet {
                        access_token: "ben-access".into(),
                        refresh_token: Some("ben-refresh".into()),
                        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
                    };
                    sign_ins::save(c, ben, &anna_account(), &tokens, 1)?;
                    // Somebody with the file copies Anna's sealed tokens into Ben's row, and the
                    // secret into the other configuration.
                    c.execute_batch(&format!(
                        "UPDATE sign_ins SET (access_token, refresh_token) =
                           (SELECT access_token, refresh_token FROM sign_ins WHERE employee_id = {a})
                         WHERE employee_id = {b};
                         UPDATE mail_configurations SET azure_client_secret =
                           (SELECT azure_client_secret FROM mail_configurations WHERE id = {config})
                         WHERE id = {other};",
                        a = employee_id(anna),
                        b = employee_id(ben),
                    ))?;
                    Ok::<_, StoreError>((other, ben))
                })
                .unwrap();

            let ben_now = db.with(|c| sign_ins::get(c, ben)).unwrap().unwrap();
            assert_eq!(ben_now.tokens, None, "Anna's tokens do not open as Ben's");
            assert_eq!(ben_now.state, SignInState::Expired);
            assert_eq!(
                ben_now.expired_reason.as_deref(),
                Some(sign_ins::UNREADABLE)
            );
            let other = db
                .with(|c| mail_configurations::get(c, other_config))
                .unwrap();
            assert!(other.client_secret_unreadable);
            assert!(matches!(
                db.with(|c| mail_configurations::client_secret(c, other_config)),
                Err(StoreError::SecretUnreadable)
            ));
            // Ben's Graph calls answer "sign in again", as for any expired sign-in.
            let m365 = crate::microsoft::session::Microsoft365::new(std::sync::Arc::new(db));
            match tauri::async_runtime::block_on(m365.access_token_of(ben)) {
                Err(SessionError::Expired { reason }) => assert_eq!(reason, sign_ins::UNREADABLE),
                other => panic!("expected a sign-in to do again, got {other:?}"),
            }
            // Where they belong, they still open.
            assert_eq!(
                read_secrets(&m365.db, config, anna),
                (Some(SECRET.into()), Some(REFRESH.into()))
            );
        }

        #[test]
        fn values_sealed_by_an_earlier_version_open_and_are_sealed_again_bound_to_their_row() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.sqlite");
            let key = new_key();
            let (old_secret, old_refresh) = (
                super::sealed_unbound(&key, SECRET),
                super::sealed_unbound(&key, REFRESH),
            );
            let (config, owner) = {
                // The file as the earlier version left it: sealed, but not bound to a row.
                let db = Db::open(&path).unwrap();
                let (config, owner) = write_secrets(&db);
                db.with(|c| {
                    c.execute(
                        "UPDATE mail_configurations SET azure_client_secret = ?1",
                        [&old_secret],
                    )?;
                    c.execute(
                        "UPDATE sign_ins SET access_token = ?1, refresh_token = ?2",
                        [
                            super::sealed_unbound(&key, "access-token-Wv3"),
                            old_refresh.clone(),
                        ],
                    )
                })
                .unwrap();
                (config, owner)
            };

            let db = Db::open(&path).unwrap();
            db.use_secret_key(&key).unwrap();
            assert_eq!(
                read_secrets(&db, config, owner),
                (Some(SECRET.into()), Some(REFRESH.into()))
            );
            let stored: Vec<String> = db
                .with(|c| {
                    c.query_row(
                        "SELECT azure_client_secret, access_token, refresh_token
                           FROM mail_configurations, sign_ins",
                        [],
                        |r| {
                            Ok(vec![
                                r.get("azure_client_secret")?,
                                r.get("access_token")?,
                                r.get("refresh_token")?,
                            ])
                        },
                    )
                })
                .unwrap();
            for value in stored {
                assert!(value.starts_with(SEALED), "sealed again, bound: {value}");
            }
            assert!(!file_holds(&db, &old_secret), "the unbound form is gone");
            assert!(!file_holds(&db, &old_refresh));
        }

        fn anna_account() -> Account {
            Account {
                user_principal_name: "anna@contoso.example".into(),
                display_name: "Anna".into(),
                tenant_id: "t".into(),
            }
        }

        fn employee_id(owner: SignInOwner) -> i64 {
            match owner {
                SignInOwner::Employee(id) => id,
                SignInOwner::MailConfiguration(id) => id,
            }
        }
    }
}
