//! What Treffpunkt does from the command line, before and instead of a window:
//!
//! - `treffpunkt --version`
//! - `treffpunkt --setup-team-database --host H [--port P] --database D --user U [--plain]`:
//!   an administrator sets up (or updates) the team database's schema under their own login; the
//!   password comes from `PGPASSWORD`, as PostgreSQL's own tools take it, so it is neither in the
//!   shell's history nor in the process list.

use crate::crm::mail_configuration::SecretChange;
use crate::crm::team_database::{TeamDatabaseInput, TeamTls, DEFAULT_PORT};
use crate::services::team_database::{set_up_schema, SetUpError};

/// Runs the command `args` names and answers its exit code, or `None` to start the app.
pub fn run(args: &[String]) -> Option<i32> {
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("treffpunkt {}", env!("CARGO_PKG_VERSION"));
        return Some(0);
    }
    if args.iter().any(|a| a == "--setup-team-database") {
        return Some(setup_team_database(args));
    }
    None
}

fn value_of<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn setup_team_database(args: &[String]) -> i32 {
    let port = match value_of(args, "--port").map(str::parse::<u16>) {
        None => DEFAULT_PORT,
        Some(Ok(port)) => port,
        Some(Err(_)) => {
            eprintln!("--port: a number from 1 to 65535, please");
            return 2;
        }
    };
    let input = TeamDatabaseInput {
        host: value_of(args, "--host").unwrap_or_default().into(),
        port,
        database: value_of(args, "--database").unwrap_or_default().into(),
        user: value_of(args, "--user").unwrap_or_default().into(),
        password: SecretChange::Keep,
        tls: if args.iter().any(|a| a == "--plain") {
            TeamTls::Plain
        } else {
            TeamTls::Verified
        },
    };
    let Ok(password) = std::env::var("PGPASSWORD") else {
        eprintln!("Set PGPASSWORD to the password of --user (the administrator's login).");
        return 2;
    };
    match set_up_schema(&input, &password) {
        Ok(done) => {
            println!(
                "The team database has schema {} ({} migration(s) applied now).",
                done.version, done.applied
            );
            println!(
                "Next: give each salesperson a login in treffpunkt_users \
                 (administrators in treffpunkt_admins), e.g.\n  \
                 CREATE ROLE jana LOGIN PASSWORD '…' IN ROLE treffpunkt_users;"
            );
            0
        }
        Err(SetUpError::Invalid(fields)) => {
            for f in fields.0 {
                eprintln!("--{}: {}", f.field, f.code);
            }
            2
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}
