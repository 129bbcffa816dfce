//! Numbered migrations, tracked in SQLite's `user_version` by `rusqlite_migration`.
//! Append new files; never edit one that has shipped.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_sign_ins.sql"),
    include_str!("../../migrations/0003_reminders.sql"),
    include_str!("../../migrations/0004_send_started.sql"),
    include_str!("../../migrations/0005_scale.sql"),
    include_str!("../../migrations/0006_clouds.sql"),
    include_str!("../../migrations/0007_user_principal_names.sql"),
    SIGN_IN_ISSUERS,
    include_str!("../../migrations/0009_communication_history.sql"),
    include_str!("../../migrations/0010_team_database.sql"),
    include_str!("../../migrations/0011_record_versions.sql"),
    include_str!("../../migrations/0012_local_sign_ins.sql"),
    include_str!("../../migrations/0013_local_reminders.sql"),
    include_str!("../../migrations/0014_short_search.sql"),
];

const SIGN_IN_ISSUERS: &str = include_str!("../../migrations/0008_sign_in_issuers.sql");

fn migration(sql: &'static str) -> M<'static> {
    let m = if sql == SIGN_IN_ISSUERS {
        // The sign-ins made so far were issued by their configuration as it is now: recorded, so
        // that nothing breaks on upgrade.
        M::up_with_hook(sql, |tx: &rusqlite::Transaction| {
            super::sign_ins::record_issuers_of_existing(tx)
                .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))
        })
    } else {
        M::up(sql)
    };
    m.foreign_key_check()
}

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().copied().map(migration).collect())
}

/// Brings the database to the latest version. Foreign keys are off meanwhile, as SQLite's way of
/// changing a table (sqlite.org/lang_altertable.html#otheralter: build the new table, copy, drop
/// the old, rename) requires: with them on, dropping the old table would run its ON DELETE
/// actions. `foreign_keys` cannot change inside the migrations' transaction, hence here; each
/// migration ends with `PRAGMA foreign_key_check`, so none can leave a dangling reference.
pub fn migrate(conn: &mut Connection) -> super::Result<()> {
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = migrations().to_latest(conn);
    conn.pragma_update(None, "foreign_keys", true)?;
    result?;
    Ok(())
}

#[cfg(test)]
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    /// A database of the version before the clouds were Microsoft's (5): its "us_government"
    /// configuration becomes GCC High, on the same hosts; the employee and the sign-in that point
    /// at it still do, and the foreign keys still act.
    #[test]
    fn a_us_government_configuration_becomes_gcc_high_and_keeps_its_ties() {
        use crate::crm::cloud::Endpoints;
        use crate::crm::mail_configuration::Cloud;

        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        super::migrations().to_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO mail_configurations (id, name, groupware, azure_client_id,
                 azure_tenant_id, cloud, created_at, updated_at)
             VALUES (7, 'Agency', 'MSGRAPH', 'c', 'agency.onmicrosoft.us', 'us_government', 1, 2),
                    (8, 'Contoso', 'MSGRAPH', 'c', 'contoso.onmicrosoft.com', 'global', 1, 2);
             INSERT INTO employees (id, first_name, last_name, mail_configuration_id)
             VALUES (3, 'Ann', 'Lee', 7);
             INSERT INTO sign_ins (mail_configuration_id, account, state, updated_at)
             VALUES (7, 'ann@agency.onmicrosoft.us', 'active', 0);",
        )
        .unwrap();

        super::migrate(&mut conn).unwrap();

        let clouds: Vec<(i64, String)> = conn
            .prepare("SELECT id, cloud FROM mail_configurations ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get("id")?, r.get("cloud")?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            clouds,
            [
                (7, "us_gov_gcc_high".to_string()),
                (8, "global".to_string())
            ]
        );
        // The same identity and Graph hosts as "us_government" had.
        let e = Endpoints::of(Cloud::parse(&clouds[0].1).unwrap(), None, None).unwrap();
        assert_eq!(e.authority.as_str(), "https://login.microsoftonline.us/");
        assert_eq!(e.graph.as_str(), "https://graph.microsoft.us/");
        let tie = |sql: &str| {
            conn.query_row(sql, [], |r| r.get::<_, Option<i64>>("tie"))
                .unwrap()
        };
        assert_eq!(
            tie("SELECT mail_configuration_id AS tie FROM employees WHERE id = 3"),
            Some(7)
        );
        assert_eq!(
            tie("SELECT mail_configuration_id AS tie FROM sign_ins"),
            Some(7)
        );
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get("foreign_keys"))
            .unwrap();
        assert!(fk, "foreign keys are on again");
        // A new cloud is accepted, an unknown one is not.
        conn.execute(
            "UPDATE mail_configurations SET cloud = 'us_gov_dod' WHERE id = 8",
            [],
        )
        .unwrap();
        assert!(conn
            .execute(
                "UPDATE mail_configurations SET cloud = 'us_government' WHERE id = 8",
                []
            )
            .is_err());
        // The references still act: removing the configuration ends its sign-in and frees the
        // employee.
        conn.execute("DELETE FROM mail_configurations WHERE id = 7", [])
            .unwrap();
        assert_eq!(tie("SELECT count(*) AS tie FROM sign_ins"), Some(0));
        assert_eq!(
            tie("SELECT mail_configuration_id AS tie FROM employees WHERE id = 3"),
            None
        );
    }

    /// Sign-ins stored before issuers were kept (version 7) get the issuer of their owner's
    /// configuration as it is at the upgrade, so they keep working; one whose configuration has
    /// no Azure fields gets none.
    #[test]
    fn sign_ins_of_before_the_upgrade_keep_working_under_their_configuration() {
        use crate::crm::cloud::Endpoints;
        use crate::crm::issuer::Issuer;
        use crate::crm::mail_configuration::Cloud;
        use crate::crm::sign_in::SignInOwner;

        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO mail_configurations (id, name, groupware, azure_client_id,
                 azure_tenant_id, cloud, custom_authority_url, custom_graph_url, created_at,
                 updated_at)
             VALUES (7, 'Contoso', 'MSGRAPH', 'c', 'contoso.onmicrosoft.com', 'global', NULL,
                     NULL, 1, 2),
                    (8, 'Sim', 'MSGRAPH', 'd', 'sim.onmicrosoft.com', 'custom',
                     'http://127.0.0.1:8910/id', 'http://127.0.0.1:8910', 1, 2),
                    (9, 'Plain', 'EWS', NULL, NULL, 'global', NULL, NULL, 1, 2);
             INSERT INTO employees (id, first_name, last_name, mail_configuration_id)
             VALUES (3, 'Ann', 'Lee', 7), (4, 'Bo', 'Ek', 9);
             INSERT INTO sign_ins (employee_id, mail_configuration_id, account, state, updated_at)
             VALUES (3, NULL, 'ann@contoso.onmicrosoft.com', 'active', 0),
                    (4, NULL, 'bo@contoso.onmicrosoft.com', 'active', 0),
                    (NULL, 8, 'box@sim.onmicrosoft.com', 'active', 0);",
        )
        .unwrap();

        super::migrate(&mut conn).unwrap();

        // Read as stored (this bare connection has no `unseal` for `sign_ins::get`).
        let issuer = |owner: SignInOwner| {
            let (column, id) = match owner {
                SignInOwner::Employee(id) => ("employee_id", id),
                SignInOwner::MailConfiguration(id) => ("mail_configuration_id", id),
            };
            conn.query_row(
                &format!(
                    "SELECT issuer_mail_configuration_id, issuer_authority, issuer_graph,
                            issuer_client_id, issuer_tenant FROM sign_ins WHERE {column} = ?1"
                ),
                [id],
                |r| {
                    let issuer = r.get::<_, Option<i64>>("issuer_mail_configuration_id")?;
                    Ok(issuer.map(|mc| Issuer {
                        mail_configuration_id: mc,
                        authority: r.get("issuer_authority").unwrap(),
                        graph: r.get("issuer_graph").unwrap(),
                        client_id: r.get("issuer_client_id").unwrap(),
                        tenant: r.get("issuer_tenant").unwrap(),
                    }))
                },
            )
            .unwrap()
        };
        let global = Endpoints::of(Cloud::Global, None, None).unwrap();
        assert_eq!(
            issuer(SignInOwner::Employee(3)),
            Some(Issuer::new(7, &global, "c", "contoso.onmicrosoft.com"))
        );
        let sim = Endpoints::of(
            Cloud::Custom,
            Some("http://127.0.0.1:8910/id"),
            Some("http://127.0.0.1:8910"),
        )
        .unwrap();
        assert_eq!(
            issuer(SignInOwner::MailConfiguration(8)),
            Some(Issuer::new(8, &sim, "d", "sim.onmicrosoft.com"))
        );
        assert_eq!(issuer(SignInOwner::Employee(4)), None, "no registration");
    }

    /// A sign-in's owner may live in the team database (version 12): the local file keeps a
    /// sign-in of an employee or a configuration it does not hold. The sign-ins of before stay
    /// as they were, and where the owner is in this file its deletion still ends its sign-in.
    #[test]
    fn a_sign_in_needs_no_owner_in_this_file_and_still_ends_with_a_local_one() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        super::migrations().to_version(&mut conn, 11).unwrap();
        conn.execute_batch(
            "INSERT INTO mail_configurations (id, name, groupware, cloud, created_at, updated_at)
             VALUES (7, 'Contoso', 'MSGRAPH', 'global', 1, 2);
             INSERT INTO employees (id, first_name, last_name) VALUES (3, 'Ann', 'Lee');
             INSERT INTO sign_ins (id, employee_id, account, state, updated_at, generation,
                                   issuer_mail_configuration_id, user_principal_name)
             VALUES (20, 3, 'ann@contoso.example', 'active', 5, 4, 7, 'ann.lee@contoso.example');
             INSERT INTO sign_ins (id, mail_configuration_id, account, state, updated_at)
             VALUES (21, 7, 'box@contoso.example', 'expired', 6);",
        )
        .unwrap();

        super::migrate(&mut conn).unwrap();

        let kept: (i64, String, i64, i64, Option<i64>, Option<String>) = conn
            .query_row(
                "SELECT id, account, updated_at, generation, issuer_mail_configuration_id,
                        user_principal_name FROM sign_ins WHERE employee_id = 3",
                [],
                |r| {
                    Ok((
                        r.get("id")?,
                        r.get("account")?,
                        r.get("updated_at")?,
                        r.get("generation")?,
                        r.get("issuer_mail_configuration_id")?,
                        r.get("user_principal_name")?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            kept,
            (
                20,
                "ann@contoso.example".into(),
                5,
                4,
                Some(7),
                Some("ann.lee@contoso.example".into())
            )
        );
        // Owners that live in the team database only.
        conn.execute_batch(
            "INSERT INTO sign_ins (employee_id, account, state, updated_at)
             VALUES (1003, 'vera@contoso.example', 'active', 7);
             INSERT INTO sign_ins (mail_configuration_id, account, state, updated_at)
             VALUES (1007, 'team@contoso.example', 'active', 7);",
        )
        .unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get("n")).unwrap() };
        assert_eq!(count("SELECT count(*) AS n FROM sign_ins"), 4);
        // Still one sign-in per owner.
        assert!(conn
            .execute(
                "INSERT INTO sign_ins (employee_id, account, state, updated_at)
                 VALUES (1003, 'other@contoso.example', 'active', 8)",
                [],
            )
            .is_err());

        conn.execute("DELETE FROM employees WHERE id = 3", [])
            .unwrap();
        assert_eq!(
            count("SELECT count(*) AS n FROM sign_ins WHERE employee_id = 3"),
            0
        );
        conn.execute("DELETE FROM mail_configurations WHERE id = 7", [])
            .unwrap();
        assert_eq!(
            count("SELECT count(*) AS n FROM sign_ins WHERE mail_configuration_id = 7"),
            0
        );
        assert_eq!(
            count("SELECT count(*) AS n FROM sign_ins"),
            2,
            "the team's stay"
        );
    }
}
