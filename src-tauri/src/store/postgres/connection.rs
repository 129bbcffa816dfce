//! Opening a connection to the team database: TLS with the server's certificate verified against
//! the system's trust store, or plain only to loopback (the domain's rule, checked again here so
//! that no caller can skip it); and "Verbindung testen": the server's version and a round trip.

use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

use crate::crm::team_database::{is_loopback, TeamDatabaseProbe, TeamTls, ValidTeamDatabase};
use crate::crm::ErrorCode;

/// How long a connection attempt may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The password, kept out of `Debug` so that no log or error can print it.
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Why no connection came about, in the terms the settings pane explains.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Nothing answered at host and port in time (wrong host, firewall, server down).
    #[error("the team database server does not answer: {0}")]
    Unreachable(String),
    /// The server refused the user or the password.
    #[error("the team database refused the login: {0}")]
    LoginRefused(String),
    /// The server has no database of that name.
    #[error("the team database does not exist: {0}")]
    NoSuchDatabase(String),
    /// TLS failed: the server offers none, or its certificate is not trusted for the host name.
    #[error("the team database's TLS failed: {0}")]
    Tls(String),
    /// Plain connections go to loopback only.
    #[error("a connection without TLS is allowed only to this machine")]
    PlainNotLoopback,
    /// Connected, but the schema was set up by an older Treffpunkt (or not at all): an
    /// administrator migrates it.
    #[error("the team database's schema is older than this Treffpunkt's")]
    SchemaOlder,
    /// Connected, but the schema was set up by a newer Treffpunkt: this desktop needs the update.
    #[error("the team database's schema is newer than this Treffpunkt's")]
    SchemaNewer,
    #[error("team database error: {0}")]
    Other(String),
}

impl ConnectError {
    /// The stable code the settings pane explains.
    pub fn code(&self) -> ErrorCode {
        match self {
            ConnectError::Unreachable(_) => ErrorCode::TeamDbUnreachable,
            ConnectError::LoginRefused(_) => ErrorCode::TeamDbLoginRefused,
            ConnectError::NoSuchDatabase(_) => ErrorCode::TeamDbNoSuchDatabase,
            ConnectError::Tls(_) | ConnectError::PlainNotLoopback => ErrorCode::TeamDbTls,
            ConnectError::SchemaOlder => ErrorCode::TeamDbSchemaOlder,
            ConnectError::SchemaNewer => ErrorCode::TeamDbSchemaNewer,
            ConnectError::Other(_) => ErrorCode::TeamDbError,
        }
    }
}

/// Opens a connection as `settings.user` with `password`.
pub fn connect(settings: &ValidTeamDatabase, password: &Password) -> Result<Client, ConnectError> {
    let mut config = Config::new();
    config
        .host(&settings.host)
        .port(settings.port)
        .dbname(&settings.database)
        .user(&settings.user)
        .password(&password.0)
        .application_name("Treffpunkt")
        .connect_timeout(CONNECT_TIMEOUT);
    let connected = match settings.tls {
        TeamTls::Plain => {
            if !is_loopback(&settings.host) {
                return Err(ConnectError::PlainNotLoopback);
            }
            config.ssl_mode(SslMode::Disable).connect(NoTls)
        }
        TeamTls::Verified => {
            // Require: the server must speak TLS, and rustls checks its certificate chain and
            // host name (PostgreSQL's sslmode=verify-full); there is no way to skip the check.
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(client_config()?);
            config.ssl_mode(SslMode::Require).connect(tls)
        }
    };
    connected.map_err(classify)
}

/// "Verbindung testen": connects, asks the server's version, and times one more round trip.
pub fn probe(
    settings: &ValidTeamDatabase,
    password: &Password,
) -> Result<TeamDatabaseProbe, ConnectError> {
    let mut client = connect(settings, password)?;
    let version: String = client
        .query_one("SELECT version() AS version", &[])
        .and_then(|row| row.try_get("version"))
        .map_err(classify)?;
    let started = Instant::now();
    client.simple_query("SELECT 1").map_err(classify)?;
    let round_trip = started.elapsed();
    Ok(TeamDatabaseProbe {
        server_version: version,
        round_trip_ms: round_trip.as_millis().max(1) as u64,
    })
}

/// rustls with ring (the one provider the app builds) and the system's trust store.
fn client_config() -> Result<rustls::ClientConfig, ConnectError> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(found.certs);
    if roots.is_empty() {
        return Err(ConnectError::Tls(
            "the system has no trusted certificates (install ca-certificates)".into(),
        ));
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ConnectError::Tls(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(config)
}

/// Sorts rust-postgres' error into what the user can act on. Its kinds are private, so TLS and
/// connection failures are told apart by the text it gives them (pinned by the tests below).
pub fn classify(e: postgres::Error) -> ConnectError {
    if let Some(db) = e.as_db_error() {
        let text = db.message().to_string();
        return match *db.code() {
            SqlState::INVALID_PASSWORD | SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
                ConnectError::LoginRefused(text)
            }
            SqlState::INVALID_CATALOG_NAME => ConnectError::NoSuchDatabase(text),
            _ => ConnectError::Other(text),
        };
    }
    let text = full_text(&e);
    if text.starts_with("error performing TLS handshake") {
        ConnectError::Tls(text)
    } else if text.starts_with("error connecting to server")
        || text.starts_with("timeout waiting for server")
        || text.starts_with("error communicating with the server")
    {
        ConnectError::Unreachable(text)
    } else {
        ConnectError::Other(text)
    }
}

/// The error with its causes, e.g. "error performing TLS handshake: server does not support TLS".
fn full_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::mail_configuration::SecretChange;
    use crate::store::postgres::test_server;

    fn settings(server: &test_server::Server, tls: TeamTls) -> ValidTeamDatabase {
        ValidTeamDatabase {
            host: "127.0.0.1".into(),
            port: server.port,
            database: "postgres".into(),
            user: test_server::SUPERUSER.into(),
            password: SecretChange::Keep,
            tls,
        }
    }

    fn refused(s: &ValidTeamDatabase, password: &Password) -> ConnectError {
        match connect(s, password) {
            Ok(_) => panic!("connected, but should have been refused"),
            Err(e) => e,
        }
    }

    #[test]
    fn the_connection_test_shows_the_servers_version_and_a_round_trip() {
        let server = test_server::shared();
        let probe = probe(
            &settings(server, TeamTls::Plain),
            &Password(server.password()),
        )
        .unwrap();
        assert!(
            probe.server_version.starts_with("PostgreSQL "),
            "{}",
            probe.server_version
        );
        assert!(probe.round_trip_ms >= 1);
    }

    #[test]
    fn a_wrong_password_is_a_refused_login_and_the_password_is_not_in_the_error() {
        let server = test_server::shared();
        let wrong = Password("falsches-Passwort-4711".into());
        let e = refused(&settings(server, TeamTls::Plain), &wrong);
        assert!(matches!(e, ConnectError::LoginRefused(_)), "{e:?}");
        assert!(!format!("{e} {e:?}").contains("4711"));
    }

    #[test]
    fn a_missing_database_is_named_as_such() {
        let server = test_server::shared();
        let mut s = settings(server, TeamTls::Plain);
        s.database = "gibt_es_nicht".into();
        let e = refused(&s, &Password(server.password()));
        assert!(matches!(e, ConnectError::NoSuchDatabase(_)), "{e:?}");
    }

    #[test]
    fn verified_tls_refuses_a_server_without_tls_instead_of_going_plain() {
        let server = test_server::shared();
        let e = refused(
            &settings(server, TeamTls::Verified),
            &Password(server.password()),
        );
        assert!(matches!(e, ConnectError::Tls(_)), "{e:?}");
    }

    #[test]
    fn a_port_where_nothing_listens_is_unreachable() {
        let server = test_server::shared();
        let mut s = settings(server, TeamTls::Plain);
        // A port just bound and released: nothing listens there now.
        s.port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = refused(&s, &Password(server.password()));
        assert!(matches!(e, ConnectError::Unreachable(_)), "{e:?}");
    }

    #[test]
    fn plain_to_another_machine_is_refused_before_any_packet() {
        let server = test_server::shared();
        let mut s = settings(server, TeamTls::Plain);
        s.host = "db.vertrieb.example".into();
        let e = refused(&s, &Password(server.password()));
        assert!(matches!(e, ConnectError::PlainNotLoopback), "{e:?}");
    }
}
