//! Startup and memory of the release build under Xvfb, against a bare Tauri 2 app built
//! from the same Tauri with the same toolchain (`bench/bare-tauri`), in the same run.
//!
//! Each round starts, in turn, the bare app, Treffpunkt on an empty data directory and Treffpunkt
//! on a copy of the 1M-activity database. Per run: the wall time from spawn to the app's
//! `first-paint-ms` line (the UI reports its first calendar paint to Rust, which prints it when
//! `TREFFPUNKT_REPORT_FIRST_PAINT=1`), the app's own number, and after a short settle the resident
//! memory of the whole process tree (the app and its WebKit processes). Medians and ratios go to
//! `target/bench-results/startup.{json,md}` and stdout.
//!
//! `cargo bench --bench startup` runs it; under `cargo test` (no `--bench`) it only says it is
//! skipped, since it needs release builds and takes minutes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "common/release_results.rs"]
mod release_results;
use release_results::target_dir;

#[path = "common/process_tree.rs"]
mod process_tree;
use process_tree::{alive, machine, mib, process_tree, tree_memory};

#[path = "../tests/it/common/xvfb.rs"]
mod xvfb;
use xvfb::Xvfb;

/// Rounds of the three variants; `TREFFPUNKT_BENCH_ROUNDS` overrides. One warm-up round more is
/// run and dropped: it fills the page cache and WebKit's caches, as any second start finds them.
const DEFAULT_ROUNDS: usize = 10;
const ROUNDS_ENV: &str = "TREFFPUNKT_BENCH_ROUNDS";
/// A run that has not painted by then is broken, not slow.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
/// After the first paint the app keeps starting (reminder scan, WebKit's lazy loads): memory is
/// read once that has settled.
const SETTLE: Duration = Duration::from_secs(2);
const FIRST_PAINT_LINE: &str = "first-paint-ms ";
/// Printed just before it: the steps of the start, `name=ms` since the process began.
const PHASES_LINE: &str = "startup-phases ";
/// Printed after it by Treffpunkt: FullCalendar has taken over, ms since the process began.
const READY_LINE: &str = "calendar-ready-ms ";
/// The steps in the order of a start; the bare app has page, script and painted only.
const STEPS: [&str; 7] = [
    "page", "script", "info", "range", "rendered", "painted", "ready",
];

/// The targets, as ratios.
const FIRST_PAINT_TARGET: f64 = 1.25;
const MEMORY_TARGET: f64 = 1.3;
const SCALE_TARGET: f64 = 1.1;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "startup benchmark skipped: it needs release builds (cargo bench --bench startup)"
        );
        return;
    }
    if let Err(e) = bench() {
        eprintln!("startup benchmark failed: {e}");
        std::process::exit(1);
    }
}

/// What one run measured.
#[derive(Debug, Clone)]
struct Sample {
    /// Spawn to the `first-paint-ms` line, measured here.
    wall_ms: f64,
    /// The app's own number: from the start of its `main`/`run` to the paint.
    reported_ms: f64,
    rss_kib: u64,
    pss_kib: u64,
    processes: usize,
    /// The app's steps to the paint (`startup-phases`), ms since its start, by name.
    steps: HashMap<String, f64>,
}

/// Where a variant keeps its data.
enum Data {
    /// The bare app has none.
    None,
    /// A fresh, empty directory for every run: the database is created and migrated at start.
    FreshEach,
    /// One directory for all runs, holding the copied 1M-activity database.
    Fixed(PathBuf),
}

struct Variant {
    key: &'static str,
    label: &'static str,
    binary: PathBuf,
    data: Data,
    samples: Vec<Sample>,
}

fn bench() -> Result<(), String> {
    let target = target_dir();
    let bare = target.join("release/bare-tauri");
    let app = target.join("release/treffpunkt");
    require(
        &app,
        "cd ui && npm run build && cargo build --release --bin treffpunkt",
    )?;
    require(
        &bare,
        "cargo build --release --manifest-path bench/bare-tauri/Cargo.toml \
         (with CARGO_TARGET_DIR set to this target directory)",
    )?;
    let rounds = rounds()?;
    let scratch = tempfile::Builder::new()
        .prefix("treffpunkt-startup-")
        .tempdir()
        .map_err(|e| format!("no temporary directory: {e}"))?;

    let mut variants = vec![
        Variant {
            key: "bare",
            label: "bare Tauri 2 app",
            binary: bare,
            data: Data::None,
            samples: Vec::new(),
        },
        Variant {
            key: "empty",
            label: "Treffpunkt, empty database",
            binary: app.clone(),
            data: Data::FreshEach,
            samples: Vec::new(),
        },
    ];
    // Workspaces made by gen-data with the same mix (four activities a day per employee), so the
    // week the calendar opens on holds about as many events in both: what differs is the size.
    for (key, label, file) in [
        ("10k", "Treffpunkt, 10k activities", "startup-10k.sqlite"),
        ("1m", "Treffpunkt, 1M activities", "startup-1m.sqlite"),
    ] {
        let db = target.join("bench-data").join(file);
        if !db.exists() {
            println!(
                "{} is missing: the variant \"{label}\" is skipped (make bench writes it with \
                 gen-data)",
                db.display()
            );
            continue;
        }
        let dir = scratch.path().join(format!("data-{key}"));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::copy(&db, dir.join("treffpunkt.sqlite"))
            .map_err(|e| format!("copying {}: {e}", db.display()))?;
        variants.push(Variant {
            key,
            label,
            binary: app.clone(),
            data: Data::Fixed(dir),
            samples: Vec::new(),
        });
    }

    let xvfb = Xvfb::start()?;
    let env = ChildEnv {
        display: xvfb.display,
        home: scratch.path().join("home"),
    };
    for round in 0..=rounds {
        let warm_up = round == 0;
        for v in variants.iter_mut() {
            let data = match &v.data {
                Data::None => None,
                Data::FreshEach => Some(fresh_dir(scratch.path(), v.key, round)?),
                Data::Fixed(dir) => Some(dir.clone()),
            };
            let log = scratch.path().join(format!("{}-{round}.stderr", v.key));
            let sample = measure(&v.binary, data.as_deref(), &env, &log)
                .map_err(|e| format!("{} (round {round}): {e}", v.label))?;
            println!(
                "{}{:<28} first paint {:>6.0} ms (app {:>5.0} ms)  RSS {:>6.1} MiB  PSS {:>6.1} MiB  {} processes",
                if warm_up { "warm-up: " } else { "" },
                v.label,
                sample.wall_ms,
                sample.reported_ms,
                mib(sample.rss_kib as f64),
                mib(sample.pss_kib as f64),
                sample.processes,
            );
            let steps: Vec<String> = STEPS
                .iter()
                .filter_map(|&step| Some(format!("{step} {:.0}", sample.steps.get(step)?)))
                .collect();
            if !steps.is_empty() {
                println!("    steps (ms): {}", steps.join(", "));
            }
            if !warm_up {
                v.samples.push(sample);
            }
        }
    }
    drop(xvfb);

    let report = Report::new(&variants, rounds);
    release_results::write(&target, "startup", &report.json(), &report.markdown())
}

fn require(binary: &Path, build: &str) -> Result<(), String> {
    if binary.exists() {
        Ok(())
    } else {
        Err(format!(
            "{} is missing; build it first: {build}",
            binary.display()
        ))
    }
}

fn rounds() -> Result<usize, String> {
    match std::env::var(ROUNDS_ENV) {
        Ok(n) => n
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("{ROUNDS_ENV}={n} is not a positive number")),
        Err(_) => Ok(DEFAULT_ROUNDS),
    }
}

fn fresh_dir(scratch: &Path, key: &str, round: usize) -> Result<PathBuf, String> {
    let dir = scratch.join(format!("data-{key}-{round}"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// The environment every app runs in: the same for all variants.
struct ChildEnv {
    display: u32,
    /// XDG directories of the runs: WebKit's caches land here, not in the user's home.
    home: PathBuf,
}

impl ChildEnv {
    fn apply(&self, cmd: &mut Command) {
        cmd.env("DISPLAY", format!(":{}", self.display))
            .env("TREFFPUNKT_REPORT_FIRST_PAINT", "1")
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("LANG", "de_DE.UTF-8")
            .env("TZ", "Europe/Berlin")
            // As the end-to-end tests run the app under Xvfb: no GL compositing on a virtual
            // display, and no accessibility bus.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("NO_AT_BRIDGE", "1")
            // No session bus: nothing at start needs one, and GLib would otherwise autolaunch a
            // dbus-daemon per run that outlives it.
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
            .env_remove("TREFFPUNKT_DEMO")
            .env_remove("TREFFPUNKT_LOG");
    }
}

/// One start of `binary`: time to first paint, memory after settling; the tree is ended after.
fn measure(
    binary: &Path,
    data: Option<&Path>,
    env: &ChildEnv,
    log: &Path,
) -> Result<Sample, String> {
    let mut cmd = Command::new(binary);
    env.apply(&mut cmd);
    if let Some(dir) = data {
        cmd.env("TREFFPUNKT_DATA_DIR", dir);
    }
    let stderr = File::create(log).map_err(|e| e.to_string())?;
    // Its own process group, so the WebKit processes can be ended with it.
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);

    let spawned = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("{} did not start: {e}", binary.display()))?;
    let (painted, ready) = watch_first_paint(&mut child);
    let result = match painted.recv_timeout(RUN_TIMEOUT) {
        Ok((at, reported_ms, mut steps)) => {
            std::thread::sleep(SETTLE);
            // Treffpunkt's calendar is usable well within the settling time.
            if let Ok(ms) = ready.try_recv() {
                steps.insert("ready".to_string(), ms);
            }
            let memory = tree_memory(child.id());
            Ok(Sample {
                wall_ms: at.duration_since(spawned).as_secs_f64() * 1000.0,
                reported_ms,
                rss_kib: memory.rss_kib,
                pss_kib: memory.pss_kib,
                processes: memory.processes,
                steps,
            })
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "no first paint within {} s; its stderr:\n{}",
            RUN_TIMEOUT.as_secs(),
            tail(log)
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!(
            "ended before its first paint; its stderr:\n{}",
            tail(log)
        )),
    };
    end_tree(&mut child);
    result
}

/// What the watcher sends: the instant of the `first-paint-ms` line, its number, and the steps of
/// the `startup-phases` line before it.
type Painted = (Instant, f64, HashMap<String, f64>);

/// Reads the child's stdout on a thread, which sends what `Painted` holds once the paint's line
/// has come, and the number of the `calendar-ready-ms` line on the second channel once that has,
/// then keeps draining so the child never blocks on a full pipe.
fn watch_first_paint(child: &mut Child) -> (mpsc::Receiver<Painted>, mpsc::Receiver<f64>) {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        let mut steps = HashMap::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let at = Instant::now();
            if let Some(rest) = line.strip_prefix(PHASES_LINE) {
                steps = parse_steps(rest);
            } else if let Some(ms) = line.strip_prefix(FIRST_PAINT_LINE) {
                if let (Some(tx), Ok(ms)) = (tx.take(), ms.trim().parse()) {
                    let _ = tx.send((at, ms, std::mem::take(&mut steps)));
                }
            } else if let Some(ms) = line.strip_prefix(READY_LINE) {
                if let Ok(ms) = ms.trim().parse() {
                    let _ = ready_tx.send(ms);
                }
            }
        }
    });
    (rx, ready_rx)
}

/// `page=120 script=150 ...` as a map; what does not read as `name=number` is left out.
fn parse_steps(text: &str) -> HashMap<String, f64> {
    text.split_whitespace()
        .filter_map(|pair| {
            let (name, ms) = pair.split_once('=')?;
            Some((name.to_string(), ms.parse().ok()?))
        })
        .collect()
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// SIGTERM to the app's process group and every process of its tree, SIGKILL to whatever is left
/// after two seconds, and the app reaped. The tree is listed first: once the app is gone its
/// WebKit processes belong to init.
fn end_tree(child: &mut Child) {
    let pids = process_tree(child.id());
    signal("TERM", child.id(), &pids);
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline && pids.iter().any(|&p| alive(p)) {
        let _ = child.try_wait();
        std::thread::sleep(Duration::from_millis(50));
    }
    if pids.iter().any(|&p| alive(p)) {
        signal("KILL", child.id(), &pids);
    }
    let _ = child.wait();
}

fn signal(name: &str, group: u32, pids: &[u32]) {
    let mut cmd = Command::new("kill");
    cmd.arg(format!("-{name}"))
        .arg("--")
        .arg(format!("-{group}"));
    cmd.args(pids.iter().map(u32::to_string));
    let _ = cmd.stderr(Stdio::null()).status();
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// A variant's medians.
struct Medians {
    key: &'static str,
    label: &'static str,
    wall_ms: f64,
    reported_ms: f64,
    rss_kib: f64,
    pss_kib: f64,
    processes: f64,
    /// The median of each step that every sample reported.
    steps: Vec<(&'static str, f64)>,
    samples: Vec<Sample>,
}

impl Medians {
    fn of(v: &Variant) -> Medians {
        let m = |f: fn(&Sample) -> f64| median(v.samples.iter().map(f).collect());
        Medians {
            key: v.key,
            label: v.label,
            wall_ms: m(|s| s.wall_ms),
            reported_ms: m(|s| s.reported_ms),
            rss_kib: m(|s| s.rss_kib as f64),
            pss_kib: m(|s| s.pss_kib as f64),
            processes: m(|s| s.processes as f64),
            steps: STEPS
                .iter()
                .filter_map(|&step| {
                    let at: Option<Vec<f64>> = v
                        .samples
                        .iter()
                        .map(|s| s.steps.get(step).copied())
                        .collect();
                    at.filter(|at| !at.is_empty()).map(|at| (step, median(at)))
                })
                .collect(),
            samples: v.samples.clone(),
        }
    }
}

/// A ratio against its target; `None` when a variant was not measured.
struct Ratio {
    key: &'static str,
    label: &'static str,
    value: Option<f64>,
    target: f64,
}

struct Report {
    rounds: usize,
    machine: String,
    medians: Vec<Medians>,
    ratios: Vec<Ratio>,
}

impl Report {
    fn new(variants: &[Variant], rounds: usize) -> Report {
        let medians: Vec<Medians> = variants.iter().map(Medians::of).collect();
        let get = |key: &str| medians.iter().find(|m| m.key == key);
        let ratio = |a: &str, b: &str, f: fn(&Medians) -> f64| match (get(a), get(b)) {
            (Some(a), Some(b)) => Some(f(a) / f(b)),
            _ => None,
        };
        let ratios = vec![
            Ratio {
                key: "first_paint_empty_vs_bare",
                label: "first paint, Treffpunkt (empty) / bare",
                value: ratio("empty", "bare", |m| m.wall_ms),
                target: FIRST_PAINT_TARGET,
            },
            Ratio {
                key: "rss_empty_vs_bare",
                label: "RSS of the process tree, Treffpunkt (empty) / bare",
                value: ratio("empty", "bare", |m| m.rss_kib),
                target: MEMORY_TARGET,
            },
            Ratio {
                key: "pss_empty_vs_bare",
                label: "PSS of the process tree, Treffpunkt (empty) / bare",
                value: ratio("empty", "bare", |m| m.pss_kib),
                target: MEMORY_TARGET,
            },
            Ratio {
                key: "first_paint_1m_vs_empty",
                label: "first paint, 1M activities / empty",
                value: ratio("1m", "empty", |m| m.wall_ms),
                target: SCALE_TARGET,
            },
            // Not the ratio, but what it asks after: the same week of events, 100x data.
            Ratio {
                key: "first_paint_1m_vs_10k",
                label: "first paint, 1M activities / 10k activities",
                value: ratio("1m", "10k", |m| m.wall_ms),
                target: SCALE_TARGET,
            },
        ];
        Report {
            rounds,
            machine: machine(),
            medians,
            ratios,
        }
    }

    fn json(&self) -> Value {
        let variants: serde_json::Map<String, Value> = self
            .medians
            .iter()
            .map(|m| {
                let samples: Vec<Value> = m
                    .samples
                    .iter()
                    .map(|s| {
                        json!({"first_paint_ms": s.wall_ms, "reported_ms": s.reported_ms,
                               "rss_kib": s.rss_kib, "pss_kib": s.pss_kib, "processes": s.processes,
                               "steps": s.steps})
                    })
                    .collect();
                let v = json!({
                    "label": m.label,
                    "median": {"first_paint_ms": m.wall_ms, "reported_ms": m.reported_ms,
                               "rss_kib": m.rss_kib, "pss_kib": m.pss_kib, "processes": m.processes,
                               "steps": m.steps.iter().map(|(k, v)| (k.to_string(), json!(v)))
                                   .collect::<serde_json::Map<_, _>>()},
                    "samples": samples,
                });
                (m.key.to_string(), v)
            })
            .collect();
        let ratios: serde_json::Map<String, Value> = self
            .ratios
            .iter()
            .map(|r| {
                let v = json!({"label": r.label, "value": r.value, "target": r.target,
                               "met": r.value.map(|v| v <= r.target)});
                (r.key.to_string(), v)
            })
            .collect();
        json!({
            "rounds": self.rounds,
            "warm_up_rounds": 1,
            "settle_ms": SETTLE.as_millis() as u64,
            "machine": self.machine,
            "variants": variants,
            "ratios": ratios,
        })
    }

    fn markdown(&self) -> String {
        let mut md = String::from("## Startup and memory\n\n");
        md.push_str(
            "| | first paint (ms) | app-reported (ms) | RSS of the tree (MiB) | PSS of the tree (MiB) | processes |\n\
             |---|---:|---:|---:|---:|---:|\n",
        );
        for m in &self.medians {
            let _ = writeln!(
                md,
                "| {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.0} |",
                m.label,
                m.wall_ms,
                m.reported_ms,
                mib(m.rss_kib),
                mib(m.pss_kib),
                m.processes
            );
        }
        md.push_str("\n| ratio | measured | target | |\n|---|---:|---:|---|\n");
        for r in &self.ratios {
            let (value, verdict) = match r.value {
                Some(v) if v <= r.target => (format!("{v:.2}x"), "met"),
                Some(v) => (format!("{v:.2}x"), "**missed**"),
                None => ("–".to_string(), "not measured"),
            };
            let _ = writeln!(
                md,
                "| {} | {value} | <= {:.2}x | {verdict} |",
                r.label, r.target
            );
        }
        let _ = write!(
            md,
            "\nMedians of {} rounds (after one warm-up round) on {}. Release builds under one Xvfb, \
             started in turn each round; first paint is the wall time from spawn to the app's \
             `first-paint-ms` line (printed by Rust when the UI's calendar, or the bare page, has \
             painted: two animation frames after the opening week's events were put in the \
             DOM), app-reported is the \
             same from the start of the app's `main`; memory is summed over the app and its WebKit \
             processes {} s after the first paint: VmRSS from /proc/<pid>/status, Pss from \
             /proc/<pid>/smaps_rollup. The empty database is created fresh for each run; the 10k \
             and 1M databases are one copy each, reused by all runs. `cargo bench --bench startup` reproduces it.\n",
            self.rounds,
            self.machine,
            SETTLE.as_secs()
        );
        md.push_str(&self.steps_markdown());
        md
    }
}

impl Report {
    /// Where the time to the first paint goes: each variant's steps, medians in ms since its start.
    fn steps_markdown(&self) -> String {
        let mut md = String::from(
            "\n### Where the time goes\n\n\
             Medians, in ms since the app's `main` began (the app-reported clock): `page` the \
             webview began loading the page, `script` its script ran (Treffpunkt: the UI's code \
             without FullCalendar's was loaded), `info` and `range` the app's facts and the \
             opening week's events had arrived (one answer, `opening_view`), `rendered` the \
             calendar's first view was in the DOM, `painted` its frame was on screen (the first \
             paint), `ready` FullCalendar had loaded, taken over and been painted: the calendar \
             can be used.\n\n| |",
        );
        for step in STEPS {
            let _ = write!(md, " {step} |");
        }
        md.push_str("\n|---|");
        md.push_str(&"---:|".repeat(STEPS.len()));
        md.push('\n');
        for m in &self.medians {
            let _ = write!(md, "| {} |", m.label);
            for step in STEPS {
                match m.steps.iter().find(|(s, _)| *s == step) {
                    Some((_, ms)) => {
                        let _ = write!(md, " {ms:.0} |");
                    }
                    None => md.push_str(" – |"),
                }
            }
            md.push('\n');
        }
        md
    }
}
