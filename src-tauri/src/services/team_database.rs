//! "Einstellungen -> Team-Datenbank": this desktop's connection to the team's PostgreSQL, saved
//! locally with the password sealed, and "Verbindung testen".

use super::Workspace;
use super::{CrmError, Result};
use crate::crm::mail_configuration::SecretChange;
use std::sync::Arc;

use crate::crm::team_database::{
    check, MovedIn, TeamDatabase, TeamDatabaseInput, TeamDatabaseProbe, TeamWorkspace,
};
use crate::crm::ErrorCode;
use crate::store::interface::{Engine, Shared};
use crate::store::postgres::move_in::{self, MoveInError};
use crate::store::postgres::schema::{self, SchemaState};
use crate::store::postgres::{self, Password, PgEngine};
use crate::store::{now, team_database, Db, Result as StoreResult, StoreError};

/// The saved connection, if any.
pub fn settings(workspace: &Workspace) -> Result<Option<TeamDatabase>> {
    Ok(workspace.store().with(|c| team_database::get(c))?)
}

/// Checks and saves the form; a refused one changes nothing.
pub fn save(workspace: &Workspace, input: &TeamDatabaseInput) -> Result<TeamDatabase> {
    let valid = check(input)?;
    Ok(workspace.store().transaction(|tx| {
        team_database::save(tx, &valid, now())?;
        team_database::get(tx).map(|saved| saved.expect("just saved"))
    })?)
}

/// Connects with the form as it stands (saved or not): the password typed, else the one stored
/// for the same login. Sends nothing but the login to the server named.
pub fn test(workspace: &Workspace, input: &TeamDatabaseInput) -> Result<TeamDatabaseProbe> {
    let valid = check(input)?;
    let password = match &valid.password {
        SecretChange::Replace { value } => Some(value.clone()),
        SecretChange::Clear => None,
        SecretChange::Keep => workspace.store().with(|c| {
            let same_login = team_database::get(c)?.is_some_and(|saved| {
                saved.host == valid.host
                    && saved.port == valid.port
                    && saved.database == valid.database
                    && saved.user == valid.user
            });
            if same_login {
                team_database::password(c)
            } else {
                Ok(None)
            }
        })?,
    };
    let password = password.ok_or(CrmError::NotAllowed(ErrorCode::TeamDbPasswordMissing))?;
    Ok(postgres::probe(&valid, &Password(password))?)
}

/// What setting up the team database's schema did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaSetup {
    pub applied: u32,
    pub version: u32,
}

/// An administrator sets up (or brings up to date) the team database's schema under their own
/// login: the numbered migrations this build knows, none twice; a newer schema is refused.
pub fn set_up_schema(
    input: &TeamDatabaseInput,
    password: &str,
) -> std::result::Result<SchemaSetup, SetUpError> {
    let valid = check(input).map_err(SetUpError::Invalid)?;
    let mut client = postgres::connect(&valid, &Password(password.to_string()))?;
    let applied = schema::migrate(&mut client)?;
    Ok(SchemaSetup {
        applied,
        version: schema::latest_version(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SetUpError {
    #[error("{0}")]
    Invalid(crate::crm::validation::FieldErrors),
    #[error(transparent)]
    Connect(#[from] postgres::ConnectError),
    #[error(transparent)]
    Migrate(#[from] schema::MigrateError),
}

/// Opens the team database on the saved connection as the engine of a team workspace's shared
/// data; `None` while no connection is saved (the workspace is local). A database whose schema
/// is older or newer than this build's is refused with its code and left as it is: a desktop
/// never migrates, whichever login it uses (an administrator does, on purpose).
pub fn open(workspace: &Workspace) -> Result<Option<PgEngine>> {
    let Some(connect) = saved_connector(workspace)? else {
        return Ok(None);
    };
    let client = connect()?;
    Ok(Some(PgEngine::reconnecting(client, Box::new(connect))))
}

/// Opens a connection with the saved settings each time it is called (`None` while none are
/// saved): the engine and the live listener open theirs again with it after a loss. Each
/// connection checks the schema's version, so that a database an administrator migrated while
/// this desktop was away is refused on the reconnect as it would be at a start.
pub fn saved_connector(
    workspace: &Workspace,
) -> Result<
    Option<
        impl Fn() -> std::result::Result<::postgres::Client, postgres::ConnectError>
            + Send
            + Clone
            + 'static,
    >,
> {
    let (saved, password) = workspace
        .store()
        .with(|c| Ok::<_, StoreError>((team_database::get(c)?, team_database::password(c)?)))?;
    let Some(saved) = saved else {
        return Ok(None);
    };
    let valid = check(&TeamDatabaseInput {
        host: saved.host,
        port: saved.port,
        database: saved.database,
        user: saved.user,
        password: SecretChange::Keep,
        tls: saved.tls,
    })?;
    let password = password.ok_or(CrmError::NotAllowed(ErrorCode::TeamDbPasswordMissing))?;
    Ok(Some(move || {
        let mut client = postgres::connect(&valid, &Password(password.clone()))?;
        match schema::state(&mut client) {
            Ok(SchemaState::Current) => Ok(client),
            Ok(SchemaState::Older { .. }) => Err(postgres::ConnectError::SchemaOlder),
            Ok(SchemaState::Newer { .. }) => Err(postgres::ConnectError::SchemaNewer),
            Err(e) => Err(postgres::classify_connect_error(e)),
        }
    }))
}

/// "Lokalen Arbeitsbereich in die Team-Datenbank übernehmen": this desktop's own file (its records,
/// activities, settings and mail configurations) copied into the saved team database, which must
/// be empty and current; all of it or, on any failure, nothing. Never the demo's data.
pub fn move_in(workspace: &Workspace, demo: bool) -> Result<MovedIn> {
    if demo {
        return Err(CrmError::NotAllowed(ErrorCode::MoveInDemo));
    }
    let connect =
        saved_connector(workspace)?.ok_or(CrmError::NotAllowed(ErrorCode::TeamDbNotSaved))?;
    copy_into(workspace.store(), connect()?)
}

/// The same from an administrator's command line: the workspace file `local` into the team
/// database `input` names, under that login with `password`.
pub fn move_in_file(local: &Db, input: &TeamDatabaseInput, password: &str) -> Result<MovedIn> {
    let valid = check(input)?;
    copy_into(
        local,
        postgres::connect(&valid, &Password(password.to_string()))?,
    )
}

/// Copies `local` into the team database on `client`, whose schema must be this build's.
fn copy_into(local: &Db, mut client: ::postgres::Client) -> Result<MovedIn> {
    match schema::state(&mut client).map_err(StoreError::from)? {
        SchemaState::Current => {}
        SchemaState::Older { .. } => {
            return Err(CrmError::NotAllowed(ErrorCode::TeamDbSchemaOlder))
        }
        SchemaState::Newer { .. } => {
            return Err(CrmError::NotAllowed(ErrorCode::TeamDbSchemaNewer))
        }
    }
    let copied = local.with(|local| {
        let mut tx = client.transaction().map_err(StoreError::from)?;
        let copied = move_in::copy(local, &mut tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok::<_, MoveInError>(copied)
    });
    match copied {
        Ok(copied) => Ok(MovedIn {
            business_partners: copied.of("business_partners"),
            contacts: copied.of("contacts"),
            persons: copied.of("persons"),
            employees: copied.of("employees"),
            activities: copied.of("activities"),
        }),
        Err(MoveInError::NotEmpty { .. }) => Err(CrmError::NotAllowed(ErrorCode::TeamDbNotEmpty)),
        Err(MoveInError::Store(e)) => Err(e.into()),
    }
}

/// The workspace a start works on: on the team database when this desktop has a connection saved
/// (the window names it), else on the local file alone. A team database whose server does not
/// answer is connected to as soon as it does (the engine tries again with the live listener's
/// backoff; each use meanwhile is refused as a lost connection). One that answers and refuses (the
/// login, the database's name, TLS, an older or newer schema) leaves the shared data unreachable,
/// each use saying why, until the user has it mended and starts again. Neither falls back to the
/// local file: that would split the user's work between two places without their knowing.
pub fn at_start(db: Arc<Db>) -> (Workspace, Option<TeamWorkspace>) {
    let local = Workspace::new(db.clone());
    let label = match settings(&local) {
        Ok(Some(saved)) => saved.label(),
        Ok(None) => return (local, None),
        Err(e) => {
            tracing::error!("the team database's settings are unreadable: {e}");
            return (local, None);
        }
    };
    let connect = match saved_connector(&local) {
        Ok(Some(connect)) => connect,
        Ok(None) => return (local, None),
        Err(e) => return refused(db, label, e),
    };
    // One attempt now; a server that does not answer is tried again by the engine itself.
    let (engine, connecting) = match connect() {
        Ok(client) => {
            tracing::info!("team workspace opened");
            (PgEngine::reconnecting(client, Box::new(connect)), false)
        }
        Err(postgres::ConnectError::Unreachable(e)) => {
            tracing::warn!("the team database does not answer yet; trying again: {e}");
            (PgEngine::connecting(Box::new(connect)), true)
        }
        Err(e) => return refused(db, label, e.into()),
    };
    let team = TeamWorkspace {
        label,
        unreachable: None,
        connecting,
    };
    (Workspace::team(db, Arc::new(engine)), Some(team))
}

/// The team workspace whose database refused this desktop at start (`e`): every use of the shared
/// data is refused with the reason.
fn refused(db: Arc<Db>, label: String, e: CrmError) -> (Workspace, Option<TeamWorkspace>) {
    tracing::error!("the team database could not be opened: {e}");
    let code = e.code();
    let team = TeamWorkspace {
        label,
        unreachable: Some(code),
        connecting: false,
    };
    (Workspace::team(db, Arc::new(Refused(code))), Some(team))
}

/// The shared data of a team workspace whose database refused this desktop at start: every use is
/// refused with the reason, and nothing is read from or written to the local file in its place.
struct Refused(ErrorCode);

impl Engine for Refused {
    fn read(&self, _: &mut dyn FnMut(&mut dyn Shared) -> StoreResult<()>) -> StoreResult<()> {
        Err(StoreError::Unreachable(self.0))
    }
    fn write(&self, _: &mut dyn FnMut(&mut dyn Shared) -> StoreResult<()>) -> StoreResult<()> {
        Err(StoreError::Unreachable(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::team_database::TeamTls;
    use crate::store::postgres::test_server;
    use crate::store::Db;
    use std::sync::Arc;

    fn form(server: &test_server::Server, password: SecretChange) -> TeamDatabaseInput {
        TeamDatabaseInput {
            host: "127.0.0.1".into(),
            port: server.port,
            database: "postgres".into(),
            user: test_server::SUPERUSER.into(),
            password,
            tls: TeamTls::Plain,
        }
    }

    #[test]
    fn the_test_uses_the_typed_password_then_the_stored_one_of_the_same_login() {
        let server = test_server::shared();
        let db = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        let typed = SecretChange::Replace {
            value: server.password(),
        };
        // Not saved yet: the typed password is used.
        assert!(test(&db, &form(server, typed.clone())).is_ok());
        save(&db, &form(server, typed)).unwrap();
        // Saved: "keep" means the stored one.
        let probe = test(&db, &form(server, SecretChange::Keep)).unwrap();
        assert!(probe.server_version.starts_with("PostgreSQL"));
        // Another login is not offered this login's password.
        let mut other = form(server, SecretChange::Keep);
        other.user = "jemand_anders".into();
        match test(&db, &other) {
            Err(CrmError::NotAllowed(code)) => {
                assert_eq!(code, ErrorCode::TeamDbPasswordMissing)
            }
            r => panic!("{r:?}"),
        }
    }

    #[test]
    fn a_refused_form_is_not_saved() {
        let server = test_server::shared();
        let db = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        let mut bad = form(server, SecretChange::Keep);
        bad.host = "db.example".into(); // plain to another machine
        assert!(matches!(save(&db, &bad), Err(CrmError::Invalid(_))));
        assert_eq!(settings(&db).unwrap(), None);
    }

    /// As the README tells an administrator: a login that owns the database and may create roles,
    /// not a superuser, sets up the schema (pg_trgm is a trusted extension).
    #[test]
    fn the_databases_owner_sets_up_the_schema_without_being_superuser() {
        let server = test_server::shared();
        let db = server.fresh_database();
        let owner = format!("crm_admin_{}", db.name);
        db.superuser()
            .batch_execute(&format!(
                "CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD 'pw-owner';
                 ALTER DATABASE {name} OWNER TO {owner};",
                name = db.name
            ))
            .unwrap();
        let mut input = form(server, SecretChange::Keep);
        input.database = db.name.clone();
        input.user = owner;
        let done = set_up_schema(&input, "pw-owner").unwrap();
        assert_eq!(done.applied, schema::latest_version());
    }

    #[test]
    fn an_administrator_sets_up_the_schema_once() {
        let server = test_server::shared();
        let db = server.fresh_database();
        let mut input = form(server, SecretChange::Keep);
        input.database = db.name.clone();
        let first = set_up_schema(&input, &server.password()).unwrap();
        assert_eq!(first.applied, schema::latest_version());
        let again = set_up_schema(&input, &server.password()).unwrap();
        assert_eq!(again.applied, 0, "nothing twice");
        assert!(matches!(
            set_up_schema(&input, "falsch"),
            Err(SetUpError::Connect(postgres::ConnectError::LoginRefused(_)))
        ));
    }

    /// The saved connection to `team` as `user` with `password`, on this desktop's store.
    fn saved(
        server: &test_server::Server,
        team: &test_server::TestDatabase,
        user: &str,
        password: String,
    ) -> Workspace {
        let ws = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        let mut input = form(server, SecretChange::Replace { value: password });
        input.database = team.name.clone();
        input.user = user.into();
        save(&ws, &input).unwrap();
        ws
    }

    fn refusal(r: Result<Option<PgEngine>>) -> ErrorCode {
        match r {
            Err(e) => e.code(),
            Ok(engine) => panic!("opened: {}", engine.is_some()),
        }
    }

    /// T1, T2: a current database opens as the shared engine, under a salesperson's login.
    #[test]
    fn the_saved_connection_opens_the_team_database() {
        use crate::store::interface::read;
        let server = test_server::shared();
        let team = server.fresh_database();
        schema::migrate(&mut team.superuser()).unwrap();
        drop(team.login("lena_vertrieb", "treffpunkt_users"));
        let local = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        assert!(open(&local).unwrap().is_none(), "nothing saved: local");

        let ws = saved(server, &team, "lena_vertrieb", "pw-lena_vertrieb".into());
        let engine = open(&ws).unwrap().expect("a saved connection opens");
        assert_eq!(read(&engine, |s| s.count_employees()).unwrap(), 0);
    }

    /// T2: a database not yet migrated is refused with "older", and opening does not migrate it,
    /// not even under the administrator's login.
    #[test]
    fn an_older_schema_is_refused_and_left_as_it_is() {
        let server = test_server::shared();
        let team = server.fresh_database();
        let ws = saved(server, &team, test_server::SUPERUSER, server.password());
        assert_eq!(refusal(open(&ws)), ErrorCode::TeamDbSchemaOlder);
        assert_eq!(
            schema::state(&mut team.superuser()).unwrap(),
            SchemaState::Older {
                found: 0,
                expected: schema::latest_version()
            },
            "nothing changed"
        );
    }

    /// T2: a database set up by a newer Treffpunkt is refused with "newer" and left as it is.
    #[test]
    fn a_newer_schema_is_refused_and_left_as_it_is() {
        let server = test_server::shared();
        let team = server.fresh_database();
        let mut admin = team.superuser();
        schema::migrate(&mut admin).unwrap();
        let newer = schema::latest_version() as i32 + 1;
        admin
            .execute(
                "INSERT INTO treffpunkt_schema (version) VALUES ($1)",
                &[&newer],
            )
            .unwrap();
        drop(team.login("lena_vertrieb", "treffpunkt_users"));
        let ws = saved(server, &team, "lena_vertrieb", "pw-lena_vertrieb".into());
        assert_eq!(refusal(open(&ws)), ErrorCode::TeamDbSchemaNewer);
        assert_eq!(
            schema::state(&mut admin).unwrap(),
            SchemaState::Newer {
                found: newer as u32,
                expected: schema::latest_version()
            },
            "nothing changed"
        );
    }

    /// T1: a start with a saved connection works on the team database (what a colleague wrote
    /// there is what this desktop reads), and the window is told its name.
    #[test]
    fn a_start_with_a_saved_connection_works_on_the_team_database() {
        use crate::crm::model::ContactFields;
        use crate::store::interface::{read, write};
        let server = test_server::shared();
        let team = server.fresh_database();
        schema::migrate(&mut team.superuser()).unwrap();
        drop(team.login("lena_vertrieb", "treffpunkt_users"));
        let colleague = saved(server, &team, "lena_vertrieb", "pw-lena_vertrieb".into());
        let colleague = open(&colleague).unwrap().unwrap();
        let fields = ContactFields {
            last_name: "Kowalski".into(),
            ..Default::default()
        };
        write(&colleague, |s| s.insert_contact(&fields)).unwrap();

        let local = saved(server, &team, "lena_vertrieb", "pw-lena_vertrieb".into());
        let (ws, named) = at_start(local.store().clone());
        let named = named.expect("the window names the team workspace");
        assert_eq!(named.unreachable, None);
        assert_eq!(
            named.label,
            format!("{} (127.0.0.1:{})", team.name, server.port)
        );
        let found = read(ws.shared(), |s| s.search_contacts("Kowalski", 10)).unwrap();
        assert_eq!(
            found.len(),
            1,
            "the colleague's contact, from the team database"
        );
        let in_local_file = local
            .store()
            .with(|c| crate::store::contacts::search(c, "Kowalski", 10))
            .unwrap();
        assert!(in_local_file.is_empty(), "nothing of it in the local file");
    }

    /// Forwards every connection to `port` on to `to`, from now on: a server that answers again.
    fn forward(port: u16, to: u16) {
        use std::net::{TcpListener, TcpStream};
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", to)) else {
                    continue;
                };
                for (mut from, mut into) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || std::io::copy(&mut from, &mut into));
                }
            }
        });
    }

    /// T5: a saved team database that does not answer at start is not replaced by the local file:
    /// each use of the shared data says the connection is lost, and once the server answers the
    /// same start works on the team database, without a restart.
    #[test]
    fn a_start_without_the_team_database_works_on_it_once_it_answers() {
        use crate::crm::model::ContactFields;
        use crate::store::interface::{read, write};
        let server = test_server::shared();
        let team = server.fresh_database();
        schema::migrate(&mut team.superuser()).unwrap();
        drop(team.login("lena_vertrieb", "treffpunkt_users"));
        let ws = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        let mut input = form(
            server,
            SecretChange::Replace {
                value: "pw-lena_vertrieb".into(),
            },
        );
        input.database = team.name.clone();
        input.user = "lena_vertrieb".into();
        // A port nothing listens on yet: the listener is dropped at once.
        input.port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        save(&ws, &input).unwrap();

        let (started, named) = at_start(ws.store().clone());
        let named = named.expect("still the team workspace");
        assert!(named.connecting, "the window hears it is not connected yet");
        assert_eq!(named.unreachable, None, "nothing to mend: it keeps trying");
        let fields = ContactFields {
            last_name: "Kowalski".into(),
            ..Default::default()
        };
        let refused = write(started.shared(), |s| {
            s.insert_contact(&fields).map_err(CrmError::from)
        });
        assert_eq!(refused.unwrap_err().code(), ErrorCode::TeamDbConnectionLost);
        let local = ws
            .store()
            .with(|c| crate::store::contacts::search(c, "Kowalski", 10))
            .unwrap();
        assert!(
            local.is_empty(),
            "nothing written to the local file instead"
        );
        let facts = crate::services::app::facts(&started).expect("the window still opens");
        assert_eq!(facts.current_employee, None);

        forward(input.port, server.port);
        // The next attempt comes after the engine's backoff (a second after the first failure).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let saved = loop {
            match write(started.shared(), |s| {
                s.insert_contact(&fields).map_err(CrmError::from)
            }) {
                Ok(id) => break id,
                Err(e) if std::time::Instant::now() < deadline => {
                    assert_eq!(e.code(), ErrorCode::TeamDbConnectionLost, "{e:?}");
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                Err(e) => panic!("the team database answers, the start does not use it: {e:?}"),
            }
        };
        let found = read(started.shared(), |s| s.search_contacts("Kowalski", 10)).unwrap();
        assert_eq!(found.len(), 1, "saved in the team database");
        assert_eq!(found[0].id, saved);
        let in_team = team
            .superuser()
            .query_one("SELECT count(*) AS n FROM contacts", &[])
            .unwrap()
            .get::<_, i64>("n");
        assert_eq!(in_team, 1);
    }

    /// A saved team database whose schema a newer Treffpunkt set up refuses the start, which
    /// then says why at each use (no amount of trying again mends it).
    #[test]
    fn a_start_refused_by_the_team_database_says_why() {
        let server = test_server::shared();
        let team = server.fresh_database();
        let mut admin = team.superuser();
        schema::migrate(&mut admin).unwrap();
        admin
            .execute(
                "INSERT INTO treffpunkt_schema (version) VALUES ($1)",
                &[&(schema::latest_version() as i32 + 1)],
            )
            .unwrap();
        let ws = saved(server, &team, test_server::SUPERUSER, server.password());
        let (started, named) = at_start(ws.store().clone());
        let named = named.expect("still the team workspace");
        assert_eq!(named.unreachable, Some(ErrorCode::TeamDbSchemaNewer));
        assert!(!named.connecting);
        let refused = crate::store::interface::read(started.shared(), |s| {
            s.count_employees().map_err(CrmError::from)
        });
        assert_eq!(refused.unwrap_err().code(), ErrorCode::TeamDbSchemaNewer);
    }

    /// T2, T5: a schema an administrator changed while this desktop was connected is refused on
    /// the reconnect as at a start, by name, not taken for a lost connection.
    #[test]
    fn a_reconnect_to_a_newer_schema_says_so() {
        use crate::store::interface::read;
        let server = test_server::shared();
        let team = server.fresh_database();
        let mut admin = team.superuser();
        schema::migrate(&mut admin).unwrap();
        drop(team.login("lena_vertrieb", "treffpunkt_users"));
        let ws = saved(server, &team, "lena_vertrieb", "pw-lena_vertrieb".into());
        let engine = open(&ws).unwrap().expect("a current schema opens");
        assert_eq!(read(&engine, |s| s.count_employees()).unwrap(), 0);

        admin
            .execute(
                "INSERT INTO treffpunkt_schema (version) VALUES ($1)",
                &[&(schema::latest_version() as i32 + 1)],
            )
            .unwrap();
        let pid = engine.backend_pid().unwrap();
        admin
            .execute("SELECT pg_terminate_backend($1)", &[&pid])
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let code = loop {
            let e = read(&engine, |s| s.count_employees().map_err(CrmError::from))
                .expect_err("the newer schema is not worked on");
            if e.code() != ErrorCode::TeamDbConnectionLost || std::time::Instant::now() > deadline {
                break e.code();
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert_eq!(code, ErrorCode::TeamDbSchemaNewer);
    }

    /// A desktop without a saved connection starts on its local file.
    #[test]
    fn a_start_without_a_saved_connection_is_local() {
        let db = Arc::new(Db::open_in_memory().unwrap());
        let (ws, named) = at_start(db.clone());
        assert_eq!(named, None);
        let fields = crate::crm::model::ContactFields {
            last_name: "Kowalski".into(),
            ..Default::default()
        };
        crate::store::interface::write(ws.shared(), |s| s.insert_contact(&fields)).unwrap();
        let local = db
            .with(|c| crate::store::contacts::search(c, "Kowalski", 10))
            .unwrap();
        assert_eq!(local.len(), 1, "the local file is the shared store");
    }

    /// T6: an administrator moves this desktop's workspace into the empty team database; a second
    /// time is refused as the team database holds records now, and the demo never moves.
    #[test]
    fn the_local_workspace_moves_in_once_and_the_demo_never() {
        use crate::crm::model::{BusinessPartnerFields, ContactFields};
        use crate::store::interface::{read, write};
        let server = test_server::shared();
        let team = server.fresh_database();
        schema::migrate(&mut team.superuser()).unwrap();
        let admin = format!("admin_{}", team.name);
        drop(team.login(&admin, "treffpunkt_admins"));
        let ws = saved(server, &team, &admin, format!("pw-{admin}"));
        write(ws.shared(), |s| {
            let partner = s.insert_business_partner(&BusinessPartnerFields {
                name: "Contoso AG".into(),
                country: "DE".into(),
                ..Default::default()
            })?;
            s.insert_contact(&ContactFields {
                last_name: "Vogel".into(),
                business_partner_id: Some(partner),
                ..Default::default()
            })
        })
        .unwrap();

        let refused = move_in(&ws, true).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::MoveInDemo);
        let engine = open(&ws).unwrap().unwrap();
        assert_eq!(
            read(&engine, |s| s.search_contacts("", 10)).unwrap().len(),
            0,
            "the demo stays out"
        );

        let moved = move_in(&ws, false).unwrap();
        assert_eq!((moved.business_partners, moved.contacts), (1, 1));
        let contacts = read(&engine, |s| s.search_contacts("vogel", 10)).unwrap();
        assert_eq!(contacts.len(), 1);
        assert!(
            contacts[0].business_partner.is_some(),
            "the link came along"
        );

        assert_eq!(
            move_in(&ws, false).unwrap_err().code(),
            ErrorCode::TeamDbNotEmpty
        );
        assert_eq!(
            read(&engine, |s| s.search_contacts("vogel", 10))
                .unwrap()
                .len(),
            1,
            "nothing twice"
        );

        let nowhere = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        assert_eq!(
            move_in(&nowhere, false).unwrap_err().code(),
            ErrorCode::TeamDbNotSaved
        );
    }
}
