//! The command line of the installed binary: its version, and an administrator setting up a team
//! database's schema (T5) without a window.

use std::process::Command;

use crate::common::postgres;

fn treffpunkt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_treffpunkt"))
}

#[test]
fn the_binary_names_its_version() {
    let out = treffpunkt().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("treffpunkt {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_administrator_sets_up_the_team_database_from_the_command_line() {
    let server = postgres::shared();
    let db = server.fresh_database();
    let setup = |password: Option<&str>| {
        let mut c = treffpunkt();
        c.args([
            "--setup-team-database",
            "--host",
            "127.0.0.1",
            "--port",
            &server.port.to_string(),
            "--database",
            &db.name,
            "--user",
            postgres::SUPERUSER,
            "--plain",
        ])
        .env_remove("PGPASSWORD");
        if let Some(p) = password {
            c.env("PGPASSWORD", p);
        }
        c.output().unwrap()
    };

    let without = setup(None);
    assert_eq!(without.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without.stderr).contains("PGPASSWORD"));

    let wrong = setup(Some("falsches-Passwort-0815"));
    assert_eq!(wrong.status.code(), Some(1));
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("refused the login"), "{said}");
    assert!(!said.contains("0815"), "the password is not repeated");

    let done = setup(Some(&server.password()));
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(done.status.success(), "{said}");
    assert!(said.contains("migration(s) applied now"), "{said}");
    let version: i32 = db
        .superuser()
        .query_one("SELECT max(version) AS v FROM treffpunkt_schema", &[])
        .unwrap()
        .get("v");
    assert!(version >= 1);
}

/// T6, T7: an administrator moves a local workspace file into the empty team database from the
/// command line (once: a second time is refused and adds nothing), and a desktop's connection is
/// saved for its next start, as `make run-team` sets up its two desktops.
#[test]
fn a_workspace_file_moves_in_and_a_desktop_saves_its_connection() {
    let server = postgres::shared();
    let db = server.fresh_database();
    treffpunkt::store::postgres::schema::migrate(&mut db.superuser()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("local.sqlite");
    let made = Command::new(env!("CARGO_BIN_EXE_gen-data"))
        .args(["--activities", "40", "--contacts", "15", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let port = server.port.to_string();
    let connection = [
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--database",
        &db.name,
        "--user",
        postgres::SUPERUSER,
        "--plain",
    ];
    let move_in = || {
        treffpunkt()
            .arg("--move-in")
            .arg(&file)
            .args(connection)
            .env("PGPASSWORD", server.password())
            .output()
            .unwrap()
    };
    let moved = move_in();
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    assert!(said.contains("40 activities"), "{said}");
    let count = |table: &str| -> i64 {
        db.superuser()
            .query_one(&format!("SELECT count(*) AS n FROM {table}"), &[])
            .unwrap()
            .get("n")
    };
    assert_eq!(count("activities"), 40);

    let again = move_in();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("team_db_not_empty"));
    assert_eq!(count("activities"), 40, "nothing twice");

    let desk = dir.path().join("desk");
    let saved = treffpunkt()
        .arg("--save-team-database")
        .args(connection)
        .env("PGPASSWORD", server.password())
        .env("TREFFPUNKT_DATA_DIR", &desk)
        .env_remove("TREFFPUNKT_DEMO")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&saved.stdout);
    assert!(
        saved.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    assert!(said.contains("from its next start"), "{said}");
    let local = treffpunkt::store::Db::open(&desk.join("treffpunkt.sqlite")).unwrap();
    let stored = local
        .with(|c| treffpunkt::store::team_database::get(c))
        .unwrap()
        .expect("the connection is saved");
    assert_eq!(
        (stored.port, stored.database.as_str()),
        (server.port, db.name.as_str())
    );
    assert!(stored.has_password);
}
