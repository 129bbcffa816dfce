//! The team database's schema: numbered migrations (migrations/postgres/NNNN_*.sql), applied by an
//! administrator's login, recorded in `treffpunkt_schema`. A desktop working under a user's login
//! never migrates: it reads the version and, when the database is older or newer than this build
//! expects, says so and changes nothing.

use postgres::Client;

/// The migrations in order; append, never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_team_workspace.sql"),
    include_str!("../../../migrations/postgres/0002_contact_search_scale.sql"),
];

/// Serialises administrators migrating at the same time (a transaction-level advisory lock).
const MIGRATION_LOCK: i64 = 0x7472_6566_6670_756e; // "treffpun"

/// How the database's schema stands against this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    /// Set up by an older Treffpunkt (or not at all, `found` 0): an administrator migrates it.
    Older {
        found: u32,
        expected: u32,
    },
    /// Set up by a newer Treffpunkt: this desktop needs the update.
    Newer {
        found: u32,
        expected: u32,
    },
}

pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The schema's state as any login may read it.
pub fn state(client: &mut Client) -> Result<SchemaState, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('treffpunkt_schema') IS NOT NULL AS exists",
            &[],
        )?
        .try_get("exists")?;
    let found = if exists {
        let v: i32 = client
            .query_one(
                "SELECT coalesce(max(version), 0) AS version FROM treffpunkt_schema",
                &[],
            )?
            .try_get("version")?;
        v as u32
    } else {
        0
    };
    let expected = latest_version();
    Ok(match found.cmp(&expected) {
        std::cmp::Ordering::Equal => SchemaState::Current,
        std::cmp::Ordering::Less => SchemaState::Older { found, expected },
        std::cmp::Ordering::Greater => SchemaState::Newer { found, expected },
    })
}

/// Brings the database to this build's version, each migration in a transaction of its own
/// (a failure leaves the versions before it applied and nothing of itself). Returns how many
/// were applied. Refuses a database newer than this build.
pub fn migrate(client: &mut Client) -> Result<u32, MigrateError> {
    let mut applied = 0;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as i32 + 1;
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS treffpunkt_schema (
                 version    INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                 applied_by TEXT NOT NULL DEFAULT current_user
             );",
        )?;
        let found: i32 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) AS version FROM treffpunkt_schema",
                &[],
            )?
            .try_get("version")?;
        if found as u32 > latest_version() {
            return Err(MigrateError::Newer {
                found: found as u32,
                expected: latest_version(),
            });
        }
        if found >= version {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO treffpunkt_schema (version) VALUES ($1)",
            &[&version],
        )?;
        // Every login of the team reads the version to know whether it may work here.
        tx.batch_execute("GRANT SELECT ON treffpunkt_schema TO treffpunkt_users")?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the team database was set up by a newer Treffpunkt (schema {found}, this one knows {expected})")]
    Newer { found: u32, expected: u32 },
    #[error("migrating the team database failed: {0}")]
    Database(#[from] postgres::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::test_server;

    #[test]
    fn an_empty_database_is_older_until_an_administrator_migrates_it() {
        let db = test_server::shared().fresh_database();
        let mut admin = db.superuser();
        assert_eq!(
            state(&mut admin).unwrap(),
            SchemaState::Older {
                found: 0,
                expected: latest_version()
            }
        );
        assert_eq!(migrate(&mut admin).unwrap(), latest_version());
        assert_eq!(state(&mut admin).unwrap(), SchemaState::Current);
        // A second run finds nothing to do.
        assert_eq!(migrate(&mut admin).unwrap(), 0);
    }

    #[test]
    fn a_newer_schema_is_named_and_left_as_it_is() {
        let db = test_server::shared().fresh_database();
        let mut admin = db.superuser();
        migrate(&mut admin).unwrap();
        admin
            .execute(
                "INSERT INTO treffpunkt_schema (version) VALUES ($1)",
                &[&(latest_version() as i32 + 1)],
            )
            .unwrap();
        let newer = SchemaState::Newer {
            found: latest_version() + 1,
            expected: latest_version(),
        };
        assert_eq!(state(&mut admin).unwrap(), newer);
        assert!(matches!(
            migrate(&mut admin),
            Err(MigrateError::Newer { .. })
        ));
        assert_eq!(state(&mut admin).unwrap(), newer, "nothing changed");
    }

    #[test]
    fn a_salesperson_may_keep_records_but_not_change_settings_nor_the_schema() {
        let db = test_server::shared().fresh_database();
        migrate(&mut db.superuser()).unwrap();
        let mut user = db.login("jana_vertrieb", "treffpunkt_users");
        assert_eq!(state(&mut user).unwrap(), SchemaState::Current);
        user.execute(
            "INSERT INTO business_partners (name) VALUES ('Hofmann GmbH')",
            &[],
        )
        .unwrap();
        let refused = user
            .execute(
                "INSERT INTO system_settings (key, value) VALUES ('teams_enabled', 'false')",
                &[],
            )
            .unwrap_err();
        assert_eq!(
            refused.code(),
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
        );
        assert!(user
            .execute("UPDATE mail_configurations SET name = 'x'", &[])
            .is_err());
        assert!(user.batch_execute("DROP TABLE activities").is_err());

        let mut admin = db.login("chef_admin", "treffpunkt_admins");
        admin
            .execute(
                "INSERT INTO system_settings (key, value) VALUES ('teams_enabled', 'false')",
                &[],
            )
            .unwrap();
    }

    #[test]
    fn the_calendar_index_and_contact_search_follow_their_records() {
        let db = test_server::shared().fresh_database();
        let mut c = db.superuser();
        migrate(&mut c).unwrap();
        c.batch_execute(
            "INSERT INTO employees (id, first_name, last_name) VALUES (1, 'Jana', 'Hofmann'), (2, 'Timo', 'Berg');
             INSERT INTO business_partners (id, name) VALUES (1, 'Müller Maschinenbau');
             INSERT INTO contacts (id, business_partner_id, first_name, last_name) VALUES (1, 1, 'Eva', 'Schulz');
             INSERT INTO activities (id, uid, kind, subject, starts_at, ends_at, time_zone, owner_employee_id, created_at, updated_at)
                  VALUES (1, 'u1', 'meeting', 'Angebot', 100, 200, 'Europe/Berlin', 1, 0, 0);
             INSERT INTO activity_participants (activity_id, employee_id) VALUES (1, 2);
             UPDATE activities SET starts_at = 150, ends_at = 250 WHERE id = 1;
             UPDATE business_partners SET name = 'Müller Anlagenbau' WHERE id = 1;",
        )
        .unwrap();
        let entries: Vec<(i64, bool, i64)> = c
            .query(
                "SELECT employee_id, owner, starts_at FROM calendar_entries ORDER BY employee_id",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get("employee_id"), r.get("owner"), r.get("starts_at")))
            .collect();
        assert_eq!(entries, [(1, true, 150), (2, false, 150)]);
        let found: i64 = c
            .query_one(
                "SELECT contact_id FROM contact_search WHERE body ILIKE '%anlagenbau%'",
                &[],
            )
            .unwrap()
            .get("contact_id");
        assert_eq!(found, 1);
    }
}
