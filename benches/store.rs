//! The store's queries at 10k, 100k and 1M activities and contacts: the month view of
//! one and five opened calendars, contact search (prefix, infix, a rare term), a record's history
//! and the reminder scan. `make bench` runs it and writes target/bench-results/store.md.
//!
//! The workspaces come from `demo::scale` and are kept in target/bench-data, so only the first
//! run pays for making them. Under `cargo test` (no `--bench`) every query runs once on a tiny
//! workspace, which keeps this file compiling and its queries valid.

#[path = "common/scale_workspace.rs"]
mod scale_workspace;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use criterion::{BenchmarkId, Criterion};
use scale_workspace::{today, ZONE};
use treffpunkt::crm::calendar::local_to_utc;
use treffpunkt::crm::model::RecordKind;
use treffpunkt::demo::scale::Scale;
use treffpunkt::store::{activities, contacts, reminders, Db};

/// The benchmarked searches: a name's start, a part inside many names, and a partner's domain
/// (a rare hit: the contacts of one business partner).
pub const SEARCHES: [(&str, &str); 3] = [
    ("prefix", "Zimm"),
    ("infix", "mann"),
    ("rare", "-1000.example"),
];

/// Texts a user might type that are hard for one part of the search or another: common and rare
/// letters, pairs and triples (rare ones are read through the index, common ones fill the page
/// early), umlauts, digits, a mail domain. Every one is measured; the report gives the worst.
pub const ANY_TEXT: [&str; 16] = [
    "e",
    "q",
    "ü",
    "7",
    "er",
    "qx",
    "mü",
    "42",
    "ann",
    "qxz",
    "röd",
    "100",
    "example",
    "@müller",
    "-1000.example",
    "Zimmermann",
];
const ANY_TEXT_GROUP: &str = "contact search, any text";

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
    scale_workspace::open(&dir, label, scale)
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

            let mut group = c.benchmark_group(ANY_TEXT_GROUP);
            for query in ANY_TEXT {
                let found = contacts::search(conn, query, 50).unwrap().len();
                eprintln!("{label}: contact search \"{query}\" finds {found} (50 at most)");
                group.bench_function(BenchmarkId::new(query, label), |b| {
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

/// One measured query: criterion's group, function and size, and its median in nanoseconds.
struct Measured {
    group: String,
    function: String,
    size: String,
    median_ns: f64,
}

/// The medians criterion saved under target/criterion for this run's benchmarks.
fn saved_medians() -> Vec<Measured> {
    fn walk(dir: &std::path::Path, out: &mut Vec<Measured>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.ends_with("new/benchmark.json") {
                let read = |p: PathBuf| -> Option<serde_json::Value> {
                    serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
                };
                let (Some(id), Some(estimates)) = (
                    read(path.clone()),
                    read(path.with_file_name("estimates.json")),
                ) else {
                    continue;
                };
                let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                out.push(Measured {
                    group: text(&id["group_id"]),
                    function: text(&id["function_id"]),
                    size: text(&id["value_str"]),
                    median_ns: estimates["median"]["point_estimate"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(&target_dir().join("criterion"), &mut out);
    out
}

fn duration(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.0} µs", ns / 1e3)
    }
}

/// The targets at 1M: month view of five calendars and contact search.
fn target_of(group: &str, function: &str) -> Option<f64> {
    match (group, function) {
        ("month view", "5 calendars") => Some(2e6),
        ("contact search", _) => Some(5e6),
        _ => None,
    }
}

/// target/bench-results/store.md: medians per size, the growth from 10k to 1M, the targets.
fn write_report() {
    let measured = saved_medians();
    let median = |g: &str, f: &str, s: &str| {
        measured
            .iter()
            .find(|m| m.group == g && m.function == f && m.size == s)
            .map(|m| m.median_ns)
    };
    let mut rows: Vec<(String, String)> = measured
        .iter()
        .filter(|m| m.group != ANY_TEXT_GROUP)
        .map(|m| (m.group.clone(), m.function.clone()))
        .collect();
    rows.sort();
    rows.dedup();
    let mut md = String::from(
        "## Store queries\n\n\
         Criterion medians (30 samples each) on workspaces made by `gen-data` with as many \
         contacts as activities. Contact search: \"Zimm\" (the start of a last name), \"mann\" (inside \
         many names), \"-1000.example\" (one partner's mail domain, 8 hits); 50 results at most. \
         Growth is the 1M median over the 10k median; 100x the data at logarithmic growth would \
         be about 1.5x (log 1M / log 10k).\n\n\
         | query | 10k | 100k | 1M | growth 10k→1M | target at 1M | |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for (group, function) in rows {
        let cell = |s: &str| {
            median(&group, &function, s)
                .map(duration)
                .unwrap_or("–".into())
        };
        let growth = match (
            median(&group, &function, "10k"),
            median(&group, &function, "1M"),
        ) {
            (Some(a), Some(b)) => format!("{:.2}x", b / a),
            _ => "–".into(),
        };
        let (target, verdict) = match (
            target_of(&group, &function),
            median(&group, &function, "1M"),
        ) {
            (Some(t), Some(m)) => (
                format!("<= {}", duration(t)),
                if m <= t { "met" } else { "missed" }.to_string(),
            ),
            (Some(t), None) => (format!("<= {}", duration(t)), "not run".into()),
            _ => (String::new(), String::new()),
        };
        md.push_str(&format!(
            "| {group}: {function} | {} | {} | {} | {growth} | {target} | {verdict} |\n",
            cell("10k"),
            cell("100k"),
            cell("1M"),
        ));
    }
    md.push_str(&any_text_report(&median));
    let out = target_dir().join("bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("store.md"), &md).unwrap();
    println!("{md}");
}

/// Every text of [`ANY_TEXT`] at each size, and the worst at 1M against the target for any search.
fn any_text_report(median: &dyn Fn(&str, &str, &str) -> Option<f64>) -> String {
    const TARGET_NS: f64 = 20e6;
    let mut md = format!(
        "\n### Contact search, any text\n\n\
         Each of {} texts typed into the contact search, chosen to be hard for one part of it or \
         another (criterion medians, 50 results at most):\n\n\
         | text | 10k | 100k | 1M |\n|---|---|---|---|\n",
        ANY_TEXT.len()
    );
    let mut worst: Option<(f64, &str)> = None;
    for text in ANY_TEXT {
        let cell = |s: &str| {
            median(ANY_TEXT_GROUP, text, s)
                .map(duration)
                .unwrap_or("–".into())
        };
        md.push_str(&format!(
            "| \"{text}\" | {} | {} | {} |\n",
            cell("10k"),
            cell("100k"),
            cell("1M")
        ));
        if let Some(m) = median(ANY_TEXT_GROUP, text, "1M") {
            if worst.is_none_or(|(w, _)| m > w) {
                worst = Some((m, text));
            }
        }
    }
    md.push_str(&match worst {
        Some((m, text)) => format!(
            "\nThe worst at 1M: \"{text}\", {} (target <= {}: {}).\n",
            duration(m),
            duration(TARGET_NS),
            if m <= TARGET_NS { "met" } else { "missed" }
        ),
        None => "\nNot run at 1M.\n".into(),
    });
    md
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .configure_from_args();
    benches(&mut c);
    c.final_summary();
    if bench_mode() {
        write_report();
    }
}
