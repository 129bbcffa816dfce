//! This desktop's team database connection (local: each desktop logs in as its own user). The
//! password is write-only, as a mail configuration's client secret: sealed when stored, read
//! only to connect, never shown.

use rusqlite::{params, Connection, OptionalExtension};

use super::sealing::unreadable;
use super::{Result, StoreError};
use crate::crm::mail_configuration::SecretChange;
use crate::crm::team_database::{TeamDatabase, TeamTls, ValidTeamDatabase};

fn tls_text(tls: TeamTls) -> &'static str {
    match tls {
        TeamTls::Verified => "verified",
        TeamTls::Plain => "plain",
    }
}

/// The stored connection, if one was saved.
pub fn get(conn: &Connection) -> Result<Option<TeamDatabase>> {
    conn.query_row(
        "SELECT host, port, database, user_name, password IS NOT NULL AS has_password, tls
           FROM team_database WHERE id = 1",
        [],
        |r| {
            let tls: String = r.get("tls")?;
            Ok(TeamDatabase {
                host: r.get("host")?,
                port: r.get("port")?,
                database: r.get("database")?,
                user: r.get("user_name")?,
                has_password: r.get("has_password")?,
                tls: if tls == "plain" {
                    TeamTls::Plain
                } else {
                    TeamTls::Verified
                },
            })
        },
    )
    .optional()
    .map_err(StoreError::from)
}

/// Saves the connection; the password as `v.password` says (kept, replaced or cleared). A
/// changed server, database or user forgets a kept password: it belonged to the old login.
pub fn save(conn: &Connection, v: &ValidTeamDatabase, now: i64) -> Result<()> {
    let before = get(conn)?;
    let same_login = before.as_ref().is_some_and(|b| {
        b.host == v.host && b.port == v.port && b.database == v.database && b.user == v.user
    });
    conn.execute(
        "INSERT INTO team_database (id, host, port, database, user_name, tls, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port,
             database = excluded.database, user_name = excluded.user_name, tls = excluded.tls,
             updated_at = excluded.updated_at",
        params![v.host, v.port, v.database, v.user, tls_text(v.tls), now],
    )?;
    match &v.password {
        SecretChange::Replace { value } => {
            conn.execute(
                "UPDATE team_database SET password = seal(?1, 'team_database.password', id)
                  WHERE id = 1",
                [value],
            )?;
        }
        SecretChange::Clear => {
            conn.execute("UPDATE team_database SET password = NULL WHERE id = 1", [])?;
        }
        SecretChange::Keep if !same_login => {
            conn.execute("UPDATE team_database SET password = NULL WHERE id = 1", [])?;
        }
        SecretChange::Keep => {}
    }
    Ok(())
}

/// The stored password, to connect with only. One that does not open must be entered again.
pub fn password(conn: &Connection) -> Result<Option<String>> {
    let (stored, password) = conn
        .query_row(
            "SELECT password IS NOT NULL AS stored,
                    unseal(password, 'team_database.password', id) AS password
               FROM team_database WHERE id = 1",
            [],
            |r| Ok((r.get("stored")?, r.get("password")?)),
        )
        .optional()?
        .unwrap_or((false, None));
    if unreadable(stored, &password) {
        return Err(StoreError::SecretUnreadable);
    }
    Ok(password)
}

/// Whether the shared records live in the team database rather than in this file.
pub fn is_active(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT active FROM team_database WHERE id = 1", [], |r| {
            r.get::<_, bool>("active")
        })
        .optional()?
        .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    fn valid(password: SecretChange) -> ValidTeamDatabase {
        ValidTeamDatabase {
            host: "db.vertrieb.example".into(),
            port: 5432,
            database: "treffpunkt".into(),
            user: "jana".into(),
            password,
            tls: TeamTls::Verified,
        }
    }

    #[test]
    fn the_password_is_write_only_and_kept_until_the_login_changes() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            assert_eq!(get(c)?, None);
            save(
                c,
                &valid(SecretChange::Replace {
                    value: "geheim".into(),
                }),
                1,
            )?;
            let shown = get(c)?.unwrap();
            assert!(shown.has_password);
            assert_eq!(shown.user, "jana");
            assert_eq!(password(c)?.as_deref(), Some("geheim"));
            // Saved again without touching the password: kept.
            save(c, &valid(SecretChange::Keep), 2)?;
            assert_eq!(password(c)?.as_deref(), Some("geheim"));
            // Another user: the old login's password is not offered to it.
            let mut other = valid(SecretChange::Keep);
            other.user = "timo".into();
            save(c, &other, 3)?;
            assert_eq!(password(c)?, None);
            assert!(!get(c)?.unwrap().has_password);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn a_saved_connection_is_not_active_by_itself() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            save(c, &valid(SecretChange::Keep), 1)?;
            assert!(!is_active(c)?);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }
}
