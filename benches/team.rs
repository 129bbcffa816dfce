//! Fifty desktops on one team database: each with the app's own engine (`PgEngine`, one connection)
//! and live listener (a second one), doing the usual mix in a loop (the week of five opened
//! calendars, a contact search, opening a record, saving an activity), against a team database
//! with 1M activities and 1M contacts. Reports the p95 of each operation and of the delay from a
//! save's start to the moment the desktops hear of it. `make bench` runs it and writes
//! target/bench-results/team.md.
//!
//! The data is the store benchmark's 1M workspace (`demo::scale`, kept in target/bench-data),
//! moved into a throwaway PostgreSQL server by the app's own "move in". Under `cargo test` (no
//! `--bench`) three desktops run the mix for a moment on a tiny workspace, which keeps this file
//! compiling and its operations valid.

#[path = "common/scale_workspace.rs"]
mod scale_workspace;
#[path = "../src-tauri/src/store/postgres/test_server.rs"]
#[allow(dead_code)] // a part of the store tests' server is enough here
mod test_server;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use scale_workspace::{today, ZONE};
use treffpunkt::crm::calendar::local_to_utc;
use treffpunkt::crm::model::RecordKind;
use treffpunkt::crm::team_database::LiveRecord;
use treffpunkt::demo::scale::Scale;
use treffpunkt::store::interface::{read, write};
use treffpunkt::store::postgres::live::{Listener, LiveEvent};
use treffpunkt::store::postgres::{classify_connect_error, move_in, schema, PgEngine};
use treffpunkt::store::{Db, StoreError};

/// The searches typed: a name's start, a part inside many names, a partner's mail domain, and
/// texts almost no contact holds.
const SEARCHES: [&str; 6] = ["Zimm", "mann", "-1000.example", "Bra", "qx", "Müll"];
/// A desktop's pause between two operations: a salesperson clicks every few seconds; one second
/// makes the fifty desktops a team far busier than a real one (TEAM_BENCH_THINK_MS changes it).
fn think() -> Duration {
    let ms = std::env::var("TEAM_BENCH_THINK_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    Duration::from_millis(ms)
}
/// The targets of the team workspace (T8).
const OPERATION_P95_MS: f64 = 20.0;
const VISIBLE_P95_MS: f64 = 1000.0;

struct Setup {
    label: &'static str,
    scale: Scale,
    desktops: usize,
    duration: Duration,
}

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn setup() -> Setup {
    if bench_mode() {
        // TEAM_BENCH_SIZE=100k measures a smaller team database (quicker to move in).
        let (label, n) = match std::env::var("TEAM_BENCH_SIZE").as_deref() {
            Ok("10k") => ("10k", 10_000),
            Ok("100k") => ("100k", 100_000),
            _ => ("1M", 1_000_000),
        };
        Setup {
            label,
            scale: Scale {
                activities: n,
                contacts: n,
            },
            desktops: 50,
            duration: Duration::from_secs(60),
        }
    } else {
        Setup {
            label: "tiny",
            scale: Scale {
                activities: 2_000,
                contacts: 1_000,
            },
            desktops: 3,
            duration: Duration::from_secs(2),
        }
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// The local workspace of `scale`: the store benchmark's file when it was made already.
fn local_workspace(setup: &Setup) -> Db {
    let dir = if bench_mode() {
        target_dir().join("bench-data")
    } else {
        scratch_dir()
    };
    scale_workspace::open(&dir, setup.label, setup.scale)
}

/// A fresh team database on the throwaway server with `local` moved in, and the login the
/// desktops work under (a salesperson's role).
fn team_database(local: &Db) -> test_server::TestDatabase {
    let team = test_server::shared().fresh_database();
    let mut admin = team.superuser();
    schema::migrate(&mut admin).unwrap();
    let started = Instant::now();
    local
        .with(|c| {
            let mut tx = admin.transaction().map_err(StoreError::from)?;
            if let Err(e) = move_in::copy(c, &mut tx) {
                panic!("the workspace does not move in: {e}");
            }
            tx.commit().map_err(StoreError::from)
        })
        .unwrap();
    admin.batch_execute("ANALYZE").unwrap();
    eprintln!(
        "moved into the team database in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    team
}

/// What the desktops work on: five opened calendars, the contacts and activities there are.
struct Data {
    calendars: Vec<i64>,
    contacts: (i64, i64),
    activities: (i64, i64),
}

fn data(team: &test_server::TestDatabase) -> Data {
    let mut admin = team.superuser();
    let calendars = admin
        .query("SELECT id FROM employees ORDER BY id LIMIT 5", &[])
        .unwrap()
        .iter()
        .map(|r| r.get::<_, i64>("id"))
        .collect();
    let mut range = |table: &str| {
        let row = admin
            .query_one(
                &format!("SELECT min(id) AS lo, max(id) AS hi FROM {table}"),
                &[],
            )
            .unwrap();
        (row.get::<_, i64>("lo"), row.get::<_, i64>("hi"))
    };
    let contacts = range("contacts");
    let activities = range("activities");
    Data {
        calendars,
        contacts,
        activities,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Operation {
    Week,
    Search,
    OpenRecord,
    SaveActivity,
}

impl Operation {
    const ALL: [Operation; 4] = [
        Operation::Week,
        Operation::Search,
        Operation::OpenRecord,
        Operation::SaveActivity,
    ];

    fn label(self) -> &'static str {
        match self {
            Operation::Week => "the week of 5 opened calendars",
            Operation::Search => "a contact search",
            Operation::OpenRecord => "opening a contact (record, history)",
            Operation::SaveActivity => "saving an activity (read, version-checked update)",
        }
    }
}

/// The saves made (activity id, when it began), for the listeners to time against.
type Saves = Arc<Mutex<HashMap<i64, Instant>>>;

/// One desktop: the mix in a loop until `stop`, each operation timed.
fn desktop(
    n: usize,
    engine: PgEngine,
    data: &Data,
    saves: &Saves,
    stop: &AtomicBool,
) -> Vec<(Operation, Duration)> {
    let mut rng = fastrand::Rng::with_seed(n as u64);
    let think = think();
    let mut timings = Vec::new();
    let monday = today() - Days::new(today().weekday().num_days_from_monday() as u64);
    while !stop.load(Ordering::Relaxed) {
        for op in Operation::ALL {
            let started = Instant::now();
            match op {
                Operation::Week => {
                    let week = monday + Days::new(7 * rng.u64(0..26)) - Days::new(7 * 13);
                    let (from, to) = (midnight(week), midnight(week + Days::new(7)));
                    read(&engine, |s| s.calendar(&data.calendars, from, to)).unwrap();
                }
                Operation::Search => {
                    let text = SEARCHES[rng.usize(..SEARCHES.len())];
                    read(&engine, |s| s.search_contacts(text, 50)).unwrap();
                }
                Operation::OpenRecord => {
                    let id = rng.i64(data.contacts.0..=data.contacts.1);
                    read(&engine, |s| {
                        s.contact(id)?;
                        s.history_of_record(RecordKind::Contact, id, 50)
                    })
                    .unwrap();
                }
                Operation::SaveActivity => {
                    // Each desktop its own activities: this measures saving, not conflicts.
                    let (lo, hi) = data.activities;
                    let id = lo + ((rng.i64(0..=(hi - lo)) / 64) * 64 + n as i64 % 64).min(hi - lo);
                    // From the click on "save": what a colleague waits for.
                    saves.lock().unwrap().insert(id, Instant::now());
                    let saved = write(&engine, |s| {
                        let activity = s.activity(id)?;
                        let mut input = activity.to_input();
                        input.memo = format!("Desktop {n} at {:?}", Instant::now());
                        let now = Utc::now().timestamp();
                        s.update_activity(id, activity.stamp.version, &input, now)
                    });
                    match saved {
                        Ok(()) => {}
                        Err(StoreError::NotFound { .. }) => continue,
                        Err(e) => panic!("saving activity {id}: {e}"),
                    }
                }
            }
            timings.push((op, started.elapsed()));
            std::thread::sleep(think);
        }
    }
    timings
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    local_to_utc(ZONE, day.and_time(NaiveTime::MIN))
}

fn p95(mut values: Vec<Duration>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort();
    let i = ((values.len() as f64 * 0.95).ceil() as usize).clamp(1, values.len()) - 1;
    values[i].as_secs_f64() * 1000.0
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let setup = setup();
    let local = local_workspace(&setup);
    let team = team_database(&local);
    drop(local);
    let data = data(&team);
    let connect = team.connector("bench_desktop", "treffpunkt_users");
    let connect = Arc::new(move || connect().map_err(classify_connect_error));

    let saves: Saves = Arc::default();
    let heard: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    // Each desktop listens, as the app does; each hears every save, its own included.
    let listeners: Vec<Listener> = (0..setup.desktops)
        .map(|_| {
            let (saves, heard) = (saves.clone(), heard.clone());
            let connect = connect.clone();
            Listener::start(
                move || connect(),
                move |event| {
                    if let LiveEvent::Changed(change) = event {
                        if change.kind == LiveRecord::Activity {
                            if let Some(at) = saves.lock().unwrap().get(&change.id) {
                                heard.lock().unwrap().push(at.elapsed());
                            }
                        }
                    }
                },
            )
        })
        .collect();
    let data = Arc::new(data);
    let started = Instant::now();
    let workers: Vec<_> = (0..setup.desktops)
        .map(|n| {
            let engine = PgEngine::new(connect().expect("a desktop connects"));
            let (data, saves, stop) = (data.clone(), saves.clone(), stop.clone());
            std::thread::spawn(move || desktop(n, engine, &data, &saves, &stop))
        })
        .collect();
    std::thread::sleep(setup.duration);
    stop.store(true, Ordering::Relaxed);
    let mut timings: Vec<(Operation, Duration)> = Vec::new();
    for w in workers {
        timings.extend(w.join().expect("a desktop's loop"));
    }
    let ran = started.elapsed();
    // The last saves' notifications are on their way.
    std::thread::sleep(Duration::from_millis(500));
    drop(listeners);

    let heard = std::mem::take(&mut *heard.lock().unwrap());
    let mut rows = Vec::new();
    for op in Operation::ALL {
        let of: Vec<Duration> = timings
            .iter()
            .filter(|(o, _)| *o == op)
            .map(|(_, d)| *d)
            .collect();
        let n = of.len();
        rows.push((op.label().to_string(), n, p95(of), OPERATION_P95_MS));
    }
    let n_heard = heard.len();
    rows.push((
        "a save seen by the desktops (from its start to the notification)".into(),
        n_heard,
        p95(heard),
        VISIBLE_P95_MS,
    ));
    for (label, n, ms, target) in &rows {
        eprintln!("{label}: p95 {ms:.1} ms over {n} (target <= {target} ms)");
        assert!(*n > 0, "{label}: nothing measured");
    }
    if bench_mode() {
        write_report(&setup, ran, &rows);
    } else {
        let _ = std::fs::remove_dir_all(scratch_dir());
    }
}

/// Where a test run makes its tiny workspace.
fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("treffpunkt-team-bench-{}", std::process::id()))
}

fn write_report(setup: &Setup, ran: Duration, rows: &[(String, usize, f64, f64)]) {
    let dir = target_dir().join("bench-results");
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = String::new();
    out += "## Team workspace: 50 desktops on one PostgreSQL database\n\n";
    out += &format!(
        "{} desktops (each the app's engine and live listener, two connections) ran the usual \
         mix for {:.0} s against a team database with {} activities and {} contacts, moved in \
         from the store benchmark's workspace, on the throwaway server (PostgreSQL on this \
         machine, `fsync=off` as for the tests), the desktops in one process beside it on the same \
         two cores. Each desktop paused {} ms between operations: a team far busier than a real one.\n\n",
        setup.desktops,
        ran.as_secs_f64(),
        setup.scale.activities,
        setup.scale.contacts,
        think().as_millis()
    );
    out += "| Operation | Samples | p95 | Target | Met |\n|---|---:|---:|---:|---|\n";
    for (label, n, ms, target) in rows {
        out += &format!(
            "| {label} | {n} | {ms:.1} ms | <= {target:.0} ms | {} |\n",
            if ms <= target { "met" } else { "missed" }
        );
    }
    std::fs::write(dir.join("team.md"), out).unwrap();
}
