//! A team database with desktops working in it, set up as an administrator does it (as
//! `make run-team`'s tests/postgres/run-team.sh does): the schema from the command line under the
//! server's superuser, a login per employee in the team's group roles, each employee's record
//! naming their login, and each desktop's connection saved (`--save-team-database`) in a data
//! directory of its own, ready for the app to start on.

use std::process::Command;

use tempfile::TempDir;
use treffpunkt::crm::model::EmployeeFields;
use treffpunkt::store::interface::write;
use treffpunkt::store::postgres::PgEngine;

use super::postgres::{self, TestDatabase};

/// The group role of administrators (system settings and mail configurations besides the records).
pub const ADMINS: &str = "treffpunkt_admins";
/// The group role of salespeople.
pub const USERS: &str = "treffpunkt_users";

/// A fresh team database on the process's test server, its schema set up.
pub struct Team {
    pub db: TestDatabase,
    port: u16,
    admin: PgEngine,
}

/// An employee of the team and the login they work under.
pub struct Member {
    pub id: i64,
    pub login: String,
    password: String,
}

fn treffpunkt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_treffpunkt"))
}

/// Runs `command`; fails the test with what it said when it fails.
fn run(command: &mut Command) {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Team {
    /// A new database on the shared test server, its schema set up by `treffpunkt
    /// --setup-team-database` under the server's superuser, as an administrator does it.
    pub fn set_up() -> Team {
        let server = postgres::shared();
        let db = server.fresh_database();
        run(treffpunkt()
            .arg("--setup-team-database")
            .args(connection(server.port, &db.name, postgres::SUPERUSER))
            .env("PGPASSWORD", server.password()));
        let admin = PgEngine::new(db.login(&format!("setup_{}", db.name), ADMINS));
        Team {
            port: server.port,
            admin,
            db,
        }
    }

    /// The team's data as an administrator writes it (the records, the system settings, the mail
    /// configurations), for what a test needs there before the windows open.
    pub fn admin(&self) -> &PgEngine {
        &self.admin
    }

    /// An employee with `fields`, working under a login of their own (`name` and this database's
    /// name: logins are the server's, shared by every test database) in `role`, which their record
    /// names as its `database_login`.
    pub fn employee(&self, name: &str, fields: &EmployeeFields, role: &str) -> Member {
        let login = format!("{name}_{}", self.db.name);
        let password = format!("pw-{login}");
        let id = write(&self.admin, |s| s.insert_employee(fields)).unwrap();
        self.db
            .superuser()
            .batch_execute(&format!(
                "CREATE ROLE {login} LOGIN PASSWORD '{password}' IN ROLE {role};
                 UPDATE employees SET database_login = '{login}' WHERE id = {id};"
            ))
            .unwrap();
        Member {
            id,
            login,
            password,
        }
    }

    /// A new desktop of `member`: a data directory with the connection to this database under
    /// their login saved by `treffpunkt --save-team-database`, as the app finds it at its start.
    /// Without a keyring (the windows have no session bus), the password is kept as the file
    /// keeps secrets then.
    pub fn desktop(&self, member: &Member) -> TempDir {
        let data = tempfile::tempdir().unwrap();
        run(treffpunkt()
            .arg("--save-team-database")
            .args(connection(self.port, &self.db.name, &member.login))
            .env("PGPASSWORD", &member.password)
            .env("TREFFPUNKT_DATA_DIR", data.path())
            .env("TREFFPUNKT_KEYRING", "off")
            .env_remove("TREFFPUNKT_DEMO"));
        data
    }
}

/// The command line's connection to `database` on the test server (plain: it is on loopback).
fn connection(port: u16, database: &str, user: &str) -> Vec<String> {
    [
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--database",
        database,
        "--user",
        user,
        "--plain",
    ]
    .map(String::from)
    .to_vec()
}
