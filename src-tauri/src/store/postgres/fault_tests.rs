//! The team database lost while working, on a throwaway server: its superuser ends a desktop's
//! session (pg_terminate_backend), as an administrator, a crash or a failover would.

use std::sync::mpsc;
use std::time::Duration;

use super::engine::{outcome, Outcome};
use super::live::{ChangedKind, Listener, LiveEvent, CHANNEL};
use super::test_server::{self, TestDatabase};
use super::{classify_connect_error, schema, PgEngine};
use crate::crm::model::{BusinessPartnerFields, ContactFields};
use crate::store::interface::{read, write};
use crate::store::StoreError;

/// Generous: these tests say nothing about speed, only that it happens.
const WITHIN: Duration = Duration::from_secs(30);

fn team() -> TestDatabase {
    let db = test_server::shared().fresh_database();
    schema::migrate(&mut db.superuser()).unwrap();
    db
}

fn reconnecting(db: &TestDatabase, login: &str) -> PgEngine {
    let login = format!("{login}_{}", db.name);
    let connect = db.connector(&login, "treffpunkt_users");
    let first = connect().unwrap();
    PgEngine::reconnecting(
        first,
        Box::new(move || connect().map_err(classify_connect_error)),
    )
}

fn partner(name: &str) -> BusinessPartnerFields {
    BusinessPartnerFields {
        name: name.into(),
        country: "DE".into(),
        ..Default::default()
    }
}

fn partners_named(db: &TestDatabase, name: &str) -> i64 {
    db.superuser()
        .query_one(
            "SELECT count(*) FROM business_partners WHERE name = $1",
            &[&name],
        )
        .unwrap()
        .get(0)
}

fn contacts(db: &TestDatabase) -> i64 {
    db.superuser()
        .query_one("SELECT count(*) FROM contacts", &[])
        .unwrap()
        .get(0)
}

/// Ends the session `pid` and waits until it has ended.
fn kill(db: &TestDatabase, pid: i32) {
    let ended: bool = db
        .superuser()
        .query_one("SELECT pg_terminate_backend($1, 10000)", &[&pid])
        .unwrap()
        .get(0);
    assert!(ended, "the session {pid} ended");
}

#[test]
fn a_server_session_killed_mid_transaction_leaves_no_half_written_record() {
    let db = team();
    let desktop = reconnecting(&db, "anna");
    let pid = desktop.backend_pid().unwrap();

    let result = write(&desktop, |s| {
        let partner = s.insert_business_partner(&partner("Halbfertig GmbH"))?;
        s.insert_contact(&ContactFields {
            business_partner_id: Some(partner),
            first_name: "Jana".into(),
            last_name: "Halb".into(),
            ..Default::default()
        })?;
        kill(&db, pid);
        s.insert_contact(&ContactFields {
            business_partner_id: Some(partner),
            first_name: "Jonas".into(),
            last_name: "Halb".into(),
            ..Default::default()
        })
    });

    assert!(
        matches!(result, Err(StoreError::Disconnected)),
        "{result:?}"
    );
    assert_eq!(partners_named(&db, "Halbfertig GmbH"), 0);
    assert_eq!(contacts(&db), 0);

    // The next save opens a new connection by itself, and lands once.
    let id = write(&desktop, |s| {
        s.insert_business_partner(&partner("Halbfertig GmbH"))
    })
    .unwrap();
    assert_ne!(desktop.backend_pid(), Some(pid));
    assert_eq!(partners_named(&db, "Halbfertig GmbH"), 1);
    assert_eq!(
        read(&desktop, |s| s.business_partner(id))
            .unwrap()
            .fields
            .name,
        "Halbfertig GmbH"
    );
}

#[test]
fn a_session_killed_while_idle_is_replaced_on_the_next_call() {
    let db = team();
    let desktop = reconnecting(&db, "ben");
    let pid = desktop.backend_pid().unwrap();
    kill(&db, pid);

    // The call that finds the connection dead fails, without having written anything ...
    let first = write(&desktop, |s| {
        s.insert_business_partner(&partner("Nach dem Abriss"))
    });
    let kept = partners_named(&db, "Nach dem Abriss");
    match first {
        // ... or, had the driver already seen the session end, the call ran on a new one.
        Ok(_) => assert_eq!(kept, 1),
        Err(e) => {
            assert!(matches!(e, StoreError::Disconnected), "{e:?}");
            assert_eq!(kept, 0);
            write(&desktop, |s| {
                s.insert_business_partner(&partner("Nach dem Abriss"))
            })
            .unwrap();
        }
    }
    assert_eq!(partners_named(&db, "Nach dem Abriss"), 1);
}

#[test]
fn an_engine_without_a_server_refuses_at_once_until_its_backoff_has_passed() {
    let db = team();
    let login = format!("carla_{}", db.name);
    let connect = db.connector(&login, "treffpunkt_users");
    let first = connect().unwrap();
    // A connector to a port where nothing listens: the server stays away.
    let gone = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let desktop = PgEngine::reconnecting(
        first,
        Box::new(move || {
            postgres::Client::connect(
                &format!("host=127.0.0.1 port={gone} user=x dbname=x connect_timeout=5"),
                postgres::NoTls,
            )
            .map_err(classify_connect_error)
        }),
    );
    kill(&db, desktop.backend_pid().unwrap());
    for _ in 0..3 {
        let r = read(&desktop, |s| s.count_employees());
        assert!(matches!(r, Err(StoreError::Disconnected)), "{r:?}");
    }
}

#[test]
fn the_server_says_whether_a_transaction_whose_answer_was_lost_committed() {
    let db = team();
    let mut client = db.login(&format!("dora_{}", db.name), "treffpunkt_users");
    let mut other = db.login(&format!("dora_{}", db.name), "treffpunkt_users");

    let mut tx = client.transaction().unwrap();
    let committed: i64 = tx.query_one("SELECT txid_current()", &[]).unwrap().get(0);
    tx.commit().unwrap();
    let mut tx = client.transaction().unwrap();
    let rolled_back: i64 = tx.query_one("SELECT txid_current()", &[]).unwrap().get(0);
    tx.rollback().unwrap();

    assert_eq!(outcome(&mut other, committed), Outcome::Committed);
    assert_eq!(outcome(&mut other, rolled_back), Outcome::RolledBack);
}

#[test]
fn the_listener_says_the_server_is_lost_and_listens_again_when_it_is_back() {
    let db = team();
    let writer = PgEngine::new(db.login(&format!("eva_{}", db.name), "treffpunkt_users"));
    let connect = db.connector(&format!("finn_{}", db.name), "treffpunkt_users");
    let (tx, rx) = mpsc::channel();
    let _listener = Listener::start(
        move || connect().map_err(classify_connect_error),
        move |e| {
            let _ = tx.send(e);
        },
    );
    assert_eq!(rx.recv_timeout(WITHIN).unwrap(), LiveEvent::Listening);

    let listen = format!("LISTEN {CHANNEL}");
    assert_eq!(db.terminate_sessions(&listen), 1);
    match rx.recv_timeout(WITHIN).unwrap() {
        LiveEvent::Lost { retry_in } => assert!(retry_in > Duration::ZERO),
        other => panic!("expected the loss, got {other:?}"),
    }
    assert_eq!(rx.recv_timeout(WITHIN).unwrap(), LiveEvent::Listening);

    // Back: a change made now is heard again.
    let id = write(&writer, |s| {
        s.insert_business_partner(&partner("Wieder da AG"))
    })
    .unwrap();
    loop {
        if let LiveEvent::Changed(c) = rx.recv_timeout(WITHIN).unwrap() {
            if c.kind == ChangedKind::BusinessPartner && c.id == id {
                break;
            }
        }
    }
}

/// COMMIT lands and its answer is lost: on a server of this test's own, a synchronous standby
/// that never comes makes COMMIT wait after it has committed locally, and the session is ended
/// while it waits. The engine asks a new connection what became of the transaction, finds it
/// committed, and reports the save as done: the record is there once, and nothing is sent again.
#[test]
fn a_save_whose_commit_answer_was_lost_counts_once_the_server_says_it_landed() {
    let server = test_server::separate();
    let db = server.fresh_database();
    schema::migrate(&mut db.superuser()).unwrap();
    // Made before the standby is required: creating a login commits too.
    let desktop = reconnecting(&db, "gina");
    let pid = desktop.backend_pid().unwrap();
    let mut admin = db.superuser();
    {
        use std::io::Write;
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(server.dir.join("data/postgresql.conf"))
            .unwrap();
        writeln!(conf, "synchronous_standby_names = 'nie_da'").unwrap();
    }
    admin.query_one("SELECT pg_reload_conf()", &[]).unwrap();
    for _ in 0..100 {
        let now: String = admin
            .query_one("SHOW synchronous_standby_names", &[])
            .unwrap()
            .get(0);
        if now == "nie_da" {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));

    let url = server.url(&db.name);
    let killer = std::thread::spawn(move || {
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let waiting = std::time::Instant::now();
        while waiting.elapsed() < WITHIN {
            let in_commit = admin
                .query_opt(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'SyncRep'",
                    &[&pid],
                )
                .unwrap()
                .is_some();
            if in_commit {
                admin
                    .query_one("SELECT pg_terminate_backend($1, 10000)", &[&pid])
                    .unwrap();
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    });

    let saved = write(&desktop, |s| {
        s.insert_business_partner(&partner("Angekommen KG"))
    });
    assert!(
        killer.join().unwrap(),
        "the session was ended while COMMIT waited"
    );
    let id = saved.expect("the server says the save committed");
    assert_ne!(desktop.backend_pid(), Some(pid), "a new connection");
    assert_eq!(partners_named(&db, "Angekommen KG"), 1);
    assert_eq!(
        read(&desktop, |s| s.business_partner(id))
            .unwrap()
            .fields
            .name,
        "Angekommen KG"
    );
}
