//! The benchmarks' workspaces of a given size (`demo::scale`), made once in `dir` and kept there,
//! so that only the first run pays for making them; the store and team benchmarks share the files.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use treffpunkt::demo::scale::{generate, Scale};
use treffpunkt::store::Db;

/// The day the workspaces are made around; fixed, so that every run measures the same data.
pub const TODAY: (i32, u32, u32) = (2026, 11, 27);
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Berlin;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// The workspace of `scale` in `dir`, made now if it is not there yet (`label` names it in the
/// progress).
pub fn open(dir: &Path, label: &str, scale: Scale) -> Db {
    std::fs::create_dir_all(dir).unwrap();
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
