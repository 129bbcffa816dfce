//! No secret left readable in the database's files: after the secrets stored in the clear are
//! sealed, and after signing out or a sign-in that expired, neither the database file nor its
//! `-wal` (nor `-shm` or a rollback journal, should one exist) holds a token or the client secret
//! anywhere, not even in free pages or old log frames. Scanned as raw bytes, as somebody with a
//! copy of the files would.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::sealing::new_key;
use super::{employees, mail_configurations, sign_ins, Db, StoreError};
use crate::crm::mail_configuration::{tests::input, validate, SecretChange};
use crate::crm::model::EmployeeFields;
use crate::crm::sign_in::{Account, SignInOwner, TokenSet};

/// `n` random bytes, base64url: the alphabet of tokens.
fn random_text(n: usize) -> String {
    let bytes: Vec<u8> = (0..n).map(|_| fastrand::u8(..)).collect();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An access token the size Microsoft's are: a JWT of 1.5 to 2.5 KB.
fn access_token() -> String {
    format!(
        "eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFBIiwiYWxnIjoiUlMyNTYifQ.{}.{}",
        random_text(fastrand::usize(900..1600)),
        random_text(256)
    )
}

/// A refresh token: about 1 KB, opaque.
fn refresh_token() -> String {
    format!("1.AQ{}", random_text(760))
}

fn tokens() -> TokenSet {
    TokenSet {
        access_token: access_token(),
        refresh_token: Some(refresh_token()),
        // Whole seconds, as the store keeps them.
        expires_at: chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp() + 3600, 0)
            .unwrap(),
    }
}

fn employee(c: &rusqlite::Connection, n: usize) -> Result<i64, StoreError> {
    employees::insert(
        c,
        &EmployeeFields {
            first_name: format!("User{n}"),
            last_name: "Test".into(),
            color: "#000000".into(),
            ..Default::default()
        },
    )
}

fn account(n: usize) -> Account {
    Account {
        user_principal_name: format!("user{n}@contoso.example"),
        display_name: format!("User {n}"),
        tenant_id: "t".into(),
    }
}

/// The files SQLite keeps for the database at `path`.
fn files_of(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", path.display())))
        .filter(|p| p.exists())
        .collect()
}

/// Each secret (whole, and a distinctive piece of it from the middle) found in one of the files.
fn leaks(path: &Path, secrets: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files_of(path) {
        let bytes = std::fs::read(&file).unwrap();
        for (i, secret) in secrets.iter().enumerate() {
            let middle = secret.len() / 2;
            let piece = &secret[middle..(middle + 24).min(secret.len())];
            for needle in [secret.as_str(), piece] {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    let name = file.file_name().unwrap().to_string_lossy().to_string();
                    found.push(format!("secret #{i} ({} bytes) in {name}", needle.len()));
                    break;
                }
            }
        }
    }
    found
}

#[test]
fn after_sealing_and_signing_out_no_token_or_secret_is_anywhere_in_the_files() {
    const USERS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("treffpunkt.sqlite");
    let client_secret = format!("Qx8~{}", random_text(30));
    // Every token and secret ever written; none may be readable at the end.
    let mut secrets = vec![client_secret.clone()];
    let mut kept = Vec::new();

    // Written before the keyring held a key, by an earlier version, which did not zero what it
    // deleted: the first sign-ins, then one refresh each (the first tokens are now free space).
    let owners = {
        let db = Db::open(&path).unwrap();
        db.with(|c| c.execute_batch("PRAGMA secure_delete = OFF"))
            .unwrap();
        db.with(|c| {
            let mut i = input();
            i.client_secret = SecretChange::Replace {
                value: client_secret.clone(),
            };
            mail_configurations::insert(c, &validate(&i).unwrap(), 1)?;
            let mut owners = Vec::new();
            for n in 0..USERS {
                let owner = SignInOwner::Employee(employee(c, n)?);
                let first = tokens();
                sign_ins::save(c, owner, &account(n), &first, 1)?;
                let second = tokens();
                sign_ins::update_tokens(c, owner, &second, generation(c, owner)?, 2)?;
                for t in [first, second.clone()] {
                    secrets.push(t.access_token);
                    secrets.extend(t.refresh_token);
                }
                owners.push((owner, second));
            }
            Ok::<_, StoreError>(owners)
        })
        .unwrap()
    };

    // The keyring appears: the app seals what is stored, then goes on working.
    let db = Db::open(&path).unwrap();
    db.use_secret_key(&new_key()).unwrap();
    db.with(|c| {
        // Two sign out, one sign-in expires, one refreshes its tokens again.
        sign_ins::delete(c, owners[0].0)?;
        sign_ins::delete(c, owners[1].0)?;
        sign_ins::mark_expired(
            c,
            owners[2].0,
            "signin_expired_inactivity",
            generation(c, owners[2].0)?,
            3,
        )?;
        let third = tokens();
        sign_ins::update_tokens(c, owners[3].0, &third, generation(c, owners[3].0)?, 3)?;
        secrets.push(third.access_token.clone());
        secrets.extend(third.refresh_token.clone());
        kept.push((owners[3].0, third));
        kept.extend(owners[4..].iter().cloned());
        Ok::<_, StoreError>(())
    })
    .unwrap();

    // While the app runs, and after it has closed the database.
    assert_eq!(leaks(&path, &secrets), Vec::<String>::new(), "app running");
    for (owner, expected) in &kept {
        let stored = db.with(|c| sign_ins::get(c, *owner)).unwrap().unwrap();
        assert_eq!(stored.tokens.as_ref(), Some(expected), "still signed in");
    }
    drop(db);
    assert_eq!(leaks(&path, &secrets), Vec::<String>::new(), "app closed");
}

#[test]
fn without_a_keyring_a_signed_out_or_expired_sign_in_leaves_no_token_in_the_files() {
    const USERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("treffpunkt.sqlite");
    let db = Db::open(&path).unwrap();
    let mut gone = Vec::new();
    let mut kept = Vec::new();
    db.with(|c| {
        for n in 0..USERS {
            let owner = SignInOwner::Employee(employee(c, n)?);
            let first = tokens();
            sign_ins::save(c, owner, &account(n), &first, 1)?;
            match n {
                0 => sign_ins::delete(c, owner)?,
                1 => {
                    let current = generation(c, owner)?;
                    sign_ins::mark_expired(c, owner, "signin_expired_inactivity", current, 2)?;
                }
                _ => {
                    kept.push(first.access_token.clone());
                    continue;
                }
            }
            gone.push(first.access_token);
            gone.extend(first.refresh_token);
        }
        Ok::<_, StoreError>(())
    })
    .unwrap();
    // Kept in the clear (no keyring): the scan does find those, so it would find the others.
    for token in &kept {
        assert!(!leaks(&path, std::slice::from_ref(token)).is_empty());
    }
    assert_eq!(leaks(&path, &gone), Vec::<String>::new(), "app running");
    drop(db);
    assert_eq!(leaks(&path, &gone), Vec::<String>::new(), "app closed");
}

/// The generation a refresh of `owner`'s sign-in would start from.
fn generation(c: &rusqlite::Connection, owner: SignInOwner) -> Result<i64, StoreError> {
    Ok(sign_ins::get(c, owner)?.map_or(0, |s| s.generation))
}
