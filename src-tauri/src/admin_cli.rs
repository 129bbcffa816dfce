//! What Treffpunkt does from the command line, before and instead of a window:
//!
//! - `treffpunkt --version`
//! - `treffpunkt --setup-team-database --host H [--port P] --database D --user U [--plain]`:
//!   an administrator sets up (or updates) the team database's schema under their own login; the
//!   password comes from `PGPASSWORD`, as PostgreSQL's own tools take it, so it is neither in the
//!   shell's history nor in the process list.
//! - `treffpunkt --move-in FILE --host H [--port P] --database D --user U [--plain]`: an
//!   administrator copies the local workspace file FILE into the empty team database (as
//!   "Lokalen Arbeitsbereich in die Team-Datenbank übernehmen" does in the window).
//! - `treffpunkt --save-team-database --host H [--port P] --database D --user U [--plain]`: saves
//!   this desktop's connection to the team database (the password from `PGPASSWORD`, sealed like
//!   the settings pane's), so that the next start works in it; `make run-team` sets up its two
//!   desktops so. The workspace is the one the app would open (`TREFFPUNKT_DATA_DIR` names another).

use std::path::Path;

use crate::crm::mail_configuration::SecretChange;
use crate::crm::team_database::{TeamDatabaseInput, TeamTls, DEFAULT_PORT};
use crate::services::team_database::{self, set_up_schema, SetUpError};
use crate::services::{CrmError, Workspace};
use crate::store::Db;

/// Runs the command `args` names and answers its exit code, or `None` to start the app.
/// `data_dir` is where the app keeps its workspaces (the OS data directory of its identifier).
pub fn run(args: &[String], data_dir: Option<&Path>) -> Option<i32> {
    // First, before anything opens: a package check or a user asking which version is installed
    // gets the answer without a window, a log or a data directory being made.
    if asks_for_version(args) {
        println!("{}", version_line());
        return Some(0);
    }
    if args.iter().any(|a| a == "--setup-team-database") {
        return Some(setup_team_database(args));
    }
    if let Some(file) = value_of(args, "--move-in") {
        return Some(move_in(args, Path::new(file)));
    }
    if args.iter().any(|a| a == "--save-team-database") {
        return Some(save_team_database(args, data_dir));
    }
    None
}

/// The connection the flags name, and the password from `PGPASSWORD`; or the exit code of a
/// refusal already explained.
fn connection(args: &[String]) -> Result<(TeamDatabaseInput, String), i32> {
    let port = match value_of(args, "--port").map(str::parse::<u16>) {
        None => DEFAULT_PORT,
        Some(Ok(port)) => port,
        Some(Err(_)) => {
            eprintln!("--port: a number from 1 to 65535, please");
            return Err(2);
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
        eprintln!("Set PGPASSWORD to the password of --user.");
        return Err(2);
    };
    Ok((input, password))
}

/// Says why a use case refused, by its code and message; the exit code for it.
fn refused(e: CrmError) -> i32 {
    match e {
        CrmError::Invalid(fields) => {
            for f in fields.0 {
                eprintln!("--{}: {}", f.field, f.code);
            }
            2
        }
        e => {
            eprintln!("{} ({})", e, e.code().as_str());
            1
        }
    }
}

fn move_in(args: &[String], file: &Path) -> i32 {
    let (input, password) = match connection(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if !file.is_file() {
        eprintln!("--move-in: {} is no workspace file", file.display());
        return 2;
    }
    let local = match Db::open(file) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return 1;
        }
    };
    // Its sealed client secrets open with this desktop's key, where the keyring has one.
    if let Ok(key) = crate::secret_key::database_key(file) {
        if let Err(e) = local.use_secret_key(&key) {
            eprintln!("{}: {e}", file.display());
            return 1;
        }
    }
    match team_database::move_in_file(&local, &input, &password) {
        Ok(moved) => {
            println!(
                "Moved in: {} business partners, {} contacts, {} persons, {} employees, {} activities.",
                moved.business_partners,
                moved.contacts,
                moved.persons,
                moved.employees,
                moved.activities
            );
            0
        }
        Err(e) => refused(e),
    }
}

fn save_team_database(args: &[String], data_dir: Option<&Path>) -> i32 {
    let (mut input, password) = match connection(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    input.password = SecretChange::Replace { value: password };
    let Some(data_dir) = data_dir else {
        eprintln!("The OS data directory is unknown: set TREFFPUNKT_DATA_DIR.");
        return 1;
    };
    let ws = crate::workspace::Workspace::from_env(data_dir);
    if ws.demo {
        eprintln!("The demo workspace stays local: leave out --demo.");
        return 2;
    }
    let _lock = match ws.lock() {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("{e}: close Treffpunkt on this workspace first.");
            return 1;
        }
    };
    let db = match crate::open_workspace(&ws, crate::os_time_zone()) {
        Ok(db) => db,
        Err(e) => return refused(e),
    };
    match team_database::save(&Workspace::new(std::sync::Arc::new(db)), &input) {
        Ok(saved) => {
            println!(
                "Saved: this desktop works in the team database {} from its next start.",
                saved.label()
            );
            0
        }
        Err(e) => refused(e),
    }
}

/// Whether the command line asks for the version (`--version` or `-V`, after the program's name).
fn asks_for_version(args: &[String]) -> bool {
    args.iter().skip(1).any(|a| a == "--version" || a == "-V")
}

/// What `--version` prints: the installed command's name and the version the package carries
/// (Cargo.toml's, which the bundler also writes into the .deb's control file).
pub fn version_line() -> String {
    format!("treffpunkt {}", env!("CARGO_PKG_VERSION"))
}

fn value_of<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn setup_team_database(args: &[String]) -> i32 {
    let (input, password) = match connection(args) {
        Ok(c) => c,
        Err(code) => return code,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    /// The `version = "..."` of Cargo.toml's [package], read from the file itself.
    fn manifest_version() -> String {
        let manifest = include_str!("../../Cargo.toml");
        let package = &manifest[manifest.find("[package]").expect("a [package] table")..];
        let line = package
            .lines()
            .find(|l| l.starts_with("version"))
            .expect("a package version");
        line.split('"')
            .nth(1)
            .expect("a quoted version")
            .to_string()
    }

    #[test]
    fn version_and_its_short_form_name_the_command_and_cargo_tomls_version() {
        assert!(asks_for_version(&args(&["treffpunkt", "--version"])));
        assert!(asks_for_version(&args(&["treffpunkt", "-V"])));
        assert!(asks_for_version(&args(&["treffpunkt", "--demo", "-V"])));
        assert!(!asks_for_version(&args(&["treffpunkt"])));
        assert!(!asks_for_version(&args(&["treffpunkt", "--demo"])));
        // A program that happens to be called "-V" asks for nothing.
        assert!(!asks_for_version(&args(&["-V"])));
        assert_eq!(version_line(), format!("treffpunkt {}", manifest_version()));
    }

    #[test]
    fn asking_for_the_version_ends_at_once_and_makes_no_data_directory() {
        let scratch = tempfile::tempdir().unwrap();
        let data_dir = scratch.path().join("de.treffpunkt.crm");
        for flag in ["--version", "-V"] {
            assert_eq!(
                run(&args(&["treffpunkt", flag]), Some(&data_dir)),
                Some(0),
                "{flag}"
            );
        }
        assert!(!data_dir.exists(), "--version made {}", data_dir.display());
        assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0);
        // Without it, no command line command is asked for: the app starts.
        assert_eq!(run(&args(&["treffpunkt", "--demo"]), Some(&data_dir)), None);
    }
}
