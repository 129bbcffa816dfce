//! Where a team workspace lives: the PostgreSQL server every desktop of the team connects to
//! ("Einstellungen -> Team-Datenbank"), and the rules its form follows.
//!
//! The password travels like every other secret: the form sends it only when it is replaced
//! (`SecretChange`), the store keeps it sealed, and nothing shows it again.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::mail_configuration::SecretChange;
use super::validation::FieldErrors;

/// PostgreSQL's port unless the administrator names another.
pub const DEFAULT_PORT: u16 = 5432;
/// PostgreSQL's limit for identifiers (NAMEDATALEN - 1 bytes), which database and role names are.
const MAX_IDENTIFIER_BYTES: usize = 63;
const MAX_HOST: usize = 253;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TeamTls {
    /// TLS, the server's certificate checked against the system's trust store and the host name.
    Verified,
    /// No TLS: allowed only to this machine (loopback), where nothing travels over a network.
    Plain,
}

/// The form as the settings pane sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamDatabaseInput {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: SecretChange,
    pub tls: TeamTls,
}

/// The connection as the settings pane shows it: everything but the password, of which only
/// whether one is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamDatabase {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub has_password: bool,
    pub tls: TeamTls,
}

impl TeamDatabase {
    /// How the window names the team workspace: the database and where its server is.
    pub fn label(&self) -> String {
        format!("{} ({}:{})", self.database, self.host, self.port)
    }
}

/// The team workspace this window works in, for the window to name (and to say when its
/// database could not be opened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TeamWorkspace {
    /// The database and its server, as [`TeamDatabase::label`] names them.
    pub label: String,
    /// Why the team database refused this desktop at start (the login, the schema ...): nothing
    /// shared can be used until that is mended and the app started again. `None` otherwise.
    pub unreachable: Option<crate::crm::ErrorCode>,
    /// The server did not answer at start: the app keeps trying, and works as soon as it answers
    /// (the window hears it as the live listener's "listening").
    pub connecting: bool,
}

/// What "Lokalen Arbeitsbereich in die Team-Datenbank übernehmen" brought over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MovedIn {
    #[ts(type = "number")]
    pub business_partners: u64,
    #[ts(type = "number")]
    pub contacts: u64,
    #[ts(type = "number")]
    pub persons: u64,
    #[ts(type = "number")]
    pub employees: u64,
    #[ts(type = "number")]
    pub activities: u64,
}

/// Whether the settings offer moving this workspace into the team database: a connection must be
/// saved to know where to, and the demo's made-up data never goes (so it cannot by accident).
pub fn move_in_offered(connection_saved: bool, demo: bool) -> bool {
    connection_saved && !demo
}

/// Which kind of shared record a change on another desktop touched (the team database announces
/// each committed change): the window reloads what shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LiveRecord {
    BusinessPartner,
    Contact,
    Person,
    Employee,
    Communication,
    Activity,
    MailConfiguration,
    /// The team's system settings (one change for all of them, id 0).
    SystemSettings,
}

/// A checked form: trimmed, every rule met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTeamDatabase {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: SecretChange,
    pub tls: TeamTls,
}

/// What "Verbindung testen" found: the server's own version line and one round trip's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamDatabaseProbe {
    pub server_version: String,
    #[ts(type = "number")]
    pub round_trip_ms: u64,
}

/// Checks the form and returns every problem at once.
pub fn check(input: &TeamDatabaseInput) -> Result<ValidTeamDatabase, FieldErrors> {
    let mut e = FieldErrors::default();
    let host = input.host.trim();
    // An IPv6 address may come as in a URL, in brackets; the driver wants it bare.
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty() {
        e.add("host", "required");
    } else if host.len() > MAX_HOST || !is_host(host) {
        e.add("host", "invalid_host");
    }
    if input.port == 0 {
        e.add("port", "invalid_port");
    }
    for (field, value) in [("database", &input.database), ("user", &input.user)] {
        let value = value.trim();
        if value.is_empty() {
            e.add(field, "required");
        } else if value.len() > MAX_IDENTIFIER_BYTES {
            e.add(field, "too_long");
        } else if value.chars().any(char::is_control) {
            e.add(field, "invalid_characters");
        }
    }
    if let SecretChange::Replace { value } = &input.password {
        if value.is_empty() || value.chars().any(|c| c == '\0') {
            e.add("password", "invalid_password");
        }
    }
    // Without TLS the password's proof and every record would cross the network readable by
    // anyone on the way; only the loopback interface never leaves this machine.
    if input.tls == TeamTls::Plain && !host.is_empty() && !is_loopback(host) {
        e.add("tls", "plain_only_to_loopback");
    }
    e.into_result(ValidTeamDatabase {
        host: host.to_string(),
        port: input.port,
        database: input.database.trim().to_string(),
        user: input.user.trim().to_string(),
        password: input.password.clone(),
        tls: input.tls,
    })
}

/// A host name (letters, digits, hyphens and dots) or an IP address.
fn is_host(host: &str) -> bool {
    host.parse::<IpAddr>().is_ok()
        || host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Whether `host` names this machine's loopback interface by itself: `localhost` (which
/// resolves to loopback by RFC 6761, section 6.3) or a loopback address. Any other name could
/// resolve anywhere, so it is not taken on trust.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// T6: moving in is offered once a connection is saved, and never in the demo.
    #[test]
    fn moving_in_is_offered_with_a_saved_connection_outside_the_demo() {
        assert!(move_in_offered(true, false));
        assert!(!move_in_offered(false, false));
        assert!(!move_in_offered(true, true));
    }

    fn input() -> TeamDatabaseInput {
        TeamDatabaseInput {
            host: " db.vertrieb.example ".into(),
            port: DEFAULT_PORT,
            database: "treffpunkt".into(),
            user: "jana.hofmann".into(),
            password: SecretChange::Replace {
                value: "geheim".into(),
            },
            tls: TeamTls::Verified,
        }
    }

    fn codes(i: &TeamDatabaseInput) -> Vec<(String, String)> {
        match check(i) {
            Ok(_) => vec![],
            Err(e) => e.0.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn a_complete_form_is_trimmed_and_accepted() {
        let valid = check(&input()).unwrap();
        assert_eq!(valid.host, "db.vertrieb.example");
        assert_eq!(valid.user, "jana.hofmann");
    }

    #[test]
    fn every_missing_field_is_named_at_once() {
        let mut i = input();
        i.host = " ".into();
        i.database = "".into();
        i.user = "".into();
        i.port = 0;
        assert_eq!(
            codes(&i),
            [
                ("host", "required"),
                ("port", "invalid_port"),
                ("database", "required"),
                ("user", "required")
            ]
            .map(|(f, c)| (f.to_string(), c.to_string()))
        );
    }

    #[test]
    fn a_host_must_be_a_name_or_an_address() {
        for bad in [
            "db server",
            "db/x",
            "-db.example",
            "db..example",
            "postgres://db",
        ] {
            let mut i = input();
            i.host = bad.into();
            assert_eq!(
                codes(&i),
                [("host".to_string(), "invalid_host".to_string())],
                "{bad}"
            );
        }
        for good in ["10.0.0.5", "::1", "db-1.intern", "localhost"] {
            let mut i = input();
            i.host = good.into();
            assert!(check(&i).is_ok(), "{good}");
        }
    }

    #[test]
    fn names_longer_than_postgresql_allows_are_refused() {
        let mut i = input();
        i.database = "d".repeat(64);
        assert_eq!(
            codes(&i),
            [("database".to_string(), "too_long".to_string())]
        );
    }

    #[test]
    fn without_tls_only_this_machine_may_be_reached() {
        let mut i = input();
        i.tls = TeamTls::Plain;
        assert_eq!(
            codes(&i),
            [("tls".to_string(), "plain_only_to_loopback".to_string())]
        );
        for host in ["localhost", "127.0.0.1", "127.8.0.1", "::1", "[::1]"] {
            i.host = host.into();
            assert!(check(&i).is_ok(), "{host}");
        }
        // A name is not trusted to resolve to loopback, whatever it says.
        i.host = "localhost.example".into();
        assert!(check(&i).is_err());
    }

    #[test]
    fn an_empty_replacement_password_is_refused_and_keep_is_fine() {
        let mut i = input();
        i.password = SecretChange::Replace { value: "".into() };
        assert_eq!(
            codes(&i),
            [("password".to_string(), "invalid_password".to_string())]
        );
        i.password = SecretChange::Keep;
        assert!(check(&i).is_ok());
    }
}
