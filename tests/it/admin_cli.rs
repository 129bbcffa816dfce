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
