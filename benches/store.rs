//! The store's queries at 10k, 100k and 1M activities and contacts (issue 6): the month view of
//! one and five opened calendars, contact search (prefix, infix, a rare term), a record's history
//! and the reminder scan. `make bench` runs it and writes target/bench-results/store.md.
//!
//! The workspaces come from `demo::scale` and are kept in target/bench-data, so only the first
//! run pays for making them. Under `cargo test` (no `--bench`) every query runs once on a tiny
//! workspace, which keeps this file compiling and its queries valid.

use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use criterion::{BenchmarkId, Criterion};
use treffpunkt::crm::calendar::local_to_utc;
use treffpunkt::crm::model::RecordKind;
use treffpunkt::demo::scale::{generate, Scale};
use treffpunkt::store::{activities, contacts, reminders, Db};

/// The day the workspaces are made around; fixed, so that every run measures the same data.
const TODAY: (i32, u32, u32) = (2026, 11, 27);
const ZONE: chrono_tz::Tz = chrono_tz::Europe::Berlin;

/// The benchmarked searches: a name's start, a part inside many names, and a partner's domain
/// (a rare hit: the contacts of one business partner).
pub const SEARCHES: [(&str, &str); 3] = [
    ("prefix", "Zimm"),
    ("infix", "mann"),
    ("rare", "-1000.example"),
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// The sizes measured: label and scale.
fn sizes() -> Vec<(&'static str, Scale)> {
    if !bench_mode() {
        return vec![(
            "tiny",
            Scale {
                activities: 2_000,
                contacts: 1_000,
            },
        )];
    }
    let all = [("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000)];
    // STORE_BENCH_SIZES=10k,100k limits a run (quicker checks while working).
    let wanted = std::env::var("STORE_BENCH_SIZES").ok();
    all.into_iter()
        .filter(|(label, _)| {
            wanted
                .as_deref()
                .is_none_or(|w| w.split(',').any(|x| x.eq_ignore_ascii_case(label)))
        })
        .map(|(label, n)| {
            (
                label,
                Scale {
                    activities: n,
                    contacts: n,
                },
            )
        })
        .collect()
}

/// The workspace of `scale`, made once and kept (in a temporary directory under `cargo test`).
fn workspace(label: &str, scale: Scale) -> Db {
    let dir = if bench_mode() {
        target_dir().join("bench-data")
    } else {
        std::env::temp_dir().join(format!("treffpunkt-bench-{}", std::process::id()))
    };
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "store-a{}-c{}.sqlite",
        scale.activities, scale.contacts
    ));
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        eprintln!(
            "making the {label} workspace ({scale:?}) in {} ...",
            path.display()
        );
        let started = Instant::now();
        let db = Db::open(&partial).unwrap();
        generate(&db, scale, today(), ZONE, |n| eprint!("\r{n} activities")).unwrap();
        drop(db);
        std::fs::rename(&partial, &path).unwrap();
        eprintln!("\rmade in {:.0} s", started.elapsed().as_secs_f64());
    }
    Db::open(&path).unwrap()
}

/// The month view of November 2026 as FullCalendar asks for it: six weeks, Monday to Monday.
fn month_range() -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |y, m, d| {
        local_to_utc(
            ZONE,
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_time(NaiveTime::MIN),
        )
    };
    (midnight(2026, 10, 26), midnight(2026, 12, 7))
}

/// Ten in the morning of `TODAY`: the moment of the reminder scan.
fn scan_moment() -> i64 {
    local_to_utc(ZONE, today().and_hms_opt(10, 0, 0).unwrap()).timestamp()
}

fn benches(c: &mut Criterion) {
    for (label, scale) in sizes() {
        let db = workspace(label, scale);
        let (from, to) = month_range();
        db.with(|conn| {
            let mut group = c.benchmark_group("month view");
            for calendars in [1, 5] {
                let ids: Vec<i64> = (1..=calendars).collect();
                let shown = activities::calendar(conn, &ids, from, to).unwrap().len();
                eprintln!("{label}: month view of {calendars} calendar(s) shows {shown} entries");
                group.bench_function(
                    BenchmarkId::new(format!("{calendars} calendars"), label),
                    |b| b.iter(|| activities::calendar(conn, &ids, from, to).unwrap()),
                );
            }
            group.finish();

            let mut group = c.benchmark_group("contact search");
            for (name, query) in SEARCHES {
                let found = contacts::search(conn, query, 50).unwrap().len();
                eprintln!("{label}: contact search \"{query}\" finds {found} (50 at most)");
                group.bench_function(BenchmarkId::new(name, label), |b| {
                    b.iter(|| contacts::search(conn, query, 50).unwrap())
                });
            }
            group.finish();

            let mut group = c.benchmark_group("history");
            for (name, kind) in [
                ("business partner", RecordKind::BusinessPartner),
                ("contact", RecordKind::Contact),
                ("employee", RecordKind::Employee),
            ] {
                group.bench_function(BenchmarkId::new(name, label), |b| {
                    b.iter(|| activities::history_of_record(conn, kind, 1, 50).unwrap())
                });
            }
            group.finish();

            let mut group = c.benchmark_group("reminder scan");
            let now = scan_moment();
            group.bench_function(BenchmarkId::new("own calendar", label), |b| {
                b.iter(|| reminders::record_due(conn, 1, now).unwrap())
            });
            group.finish();
            Ok::<_, treffpunkt::store::StoreError>(())
        })
        .unwrap();
    }
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .configure_from_args();
    benches(&mut c);
    c.final_summary();
}
