//! `gen-data`: a Treffpunkt database of a chosen size for the benchmarks.
//!
//! `cargo run --release --bin gen-data -- --activities 1000000 --contacts 100000 --out big.sqlite`
//! Open the result as a workspace by putting it at `$TREFFPUNKT_DATA_DIR/treffpunkt.sqlite`.

use std::path::PathBuf;
use std::process::exit;
use std::time::Instant;

use chrono::NaiveDate;
use chrono_tz::Tz;
use treffpunkt::demo::scale::{generate, Scale};
use treffpunkt::store::Db;

const HELP: &str = "gen-data: writes a Treffpunkt database with N activities and M contacts

Usage: gen-data --activities N --contacts M --out FILE [--today YYYY-MM-DD] [--zone IANA]

  --activities N  activities to make (0 to 10,000,000), four per employee and working day
  --contacts M    contacts to make (1 to 10,000,000), with a business partner per eight
  --out FILE      the database to write; it must not exist yet
  --today DATE    the day four fifths of the activities lie before (default: today)
  --zone IANA     the time zone the activities are planned in (default Europe/Berlin)
  --help          this text

The same arguments make the same data on every machine.";

fn fail(message: &str) -> ! {
    eprintln!("gen-data: {message}");
    exit(2)
}

fn count(name: &str, value: &str, min: usize) -> usize {
    match value.replace(['_', ','], "").parse::<usize>() {
        Ok(n) if (min..=10_000_000).contains(&n) => n,
        _ => fail(&format!(
            "{name} takes a whole number from {min} to 10,000,000, not \"{value}\""
        )),
    }
}

fn main() {
    let (mut activities, mut contacts, mut out) = (None, None, None);
    let mut today = chrono::Local::now().date_naive();
    let mut zone: Tz = chrono_tz::Europe::Berlin;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(&format!("{name} needs a value; see --help")))
        };
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return;
            }
            "--activities" => activities = Some(count("--activities", &value("--activities"), 0)),
            "--contacts" => contacts = Some(count("--contacts", &value("--contacts"), 1)),
            "--out" => out = Some(PathBuf::from(value("--out"))),
            "--today" => {
                let v = value("--today");
                today = NaiveDate::parse_from_str(&v, "%Y-%m-%d").unwrap_or_else(|_| {
                    fail(&format!(
                        "--today takes a date like 2026-11-27, not \"{v}\""
                    ))
                });
            }
            "--zone" => {
                let v = value("--zone");
                zone = v.parse().unwrap_or_else(|_| {
                    fail(&format!(
                        "--zone takes an IANA zone like Europe/Berlin, not \"{v}\""
                    ))
                });
            }
            other => fail(&format!("unknown option {other}; see --help")),
        }
    }
    let (Some(activities), Some(contacts), Some(out)) = (activities, contacts, out) else {
        fail("--activities, --contacts and --out are needed; see --help")
    };
    if out.exists() {
        fail(&format!(
            "{} exists already; choose a new file (nothing was changed)",
            out.display()
        ));
    }
    // Written under a temporary name and renamed at the end: an interrupted run leaves no
    // half-filled database under the asked name.
    let partial = out.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let scale = Scale {
        activities,
        contacts,
    };
    let started = Instant::now();
    let result = Db::open(&partial).and_then(|db| {
        generate(&db, scale, today, zone, |n| {
            eprint!("\r{n} of {activities} activities");
        })
    });
    eprintln!();
    if let Err(e) = result
        .map_err(|e| e.to_string())
        .and_then(|()| std::fs::rename(&partial, &out).map_err(|e| e.to_string()))
    {
        let _ = std::fs::remove_file(&partial);
        fail(&format!("could not write {}: {e}", out.display()));
    }
    println!(
        "{}: {} employees, {} contacts, {} activities over {} working days, in {:.1} s",
        out.display(),
        scale.employees(),
        contacts,
        activities,
        scale.working_days(),
        started.elapsed().as_secs_f64()
    );
}
