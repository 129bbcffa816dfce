//! What a user feels in the real window at 1M activities: the release build under Xvfb, driven
//! through tauri-driver and WebKitWebDriver as the end-to-end tests drive it (real input events in
//! the webview), on a copy of the 1M-activity workspace.
//!
//! Each run starts the app once and goes through a working day's cycle of navigations: the next
//! week in the calendar, the meeting dialog (opened from the action choice, then closed), the
//! contact list, a letter typed into its search, a contact opened from what it found, back to the
//! calendar. The app times four of them itself, from the input event to the frame with the result
//! (`ui/src/perf/marks.ts`), and prints `interaction-ms <name> <ms>` when
//! `TREFFPUNKT_REPORT_FIRST_PAINT=1`, into the file `TREFFPUNKT_REPORT_FILE` names (tauri-driver
//! gives the app no stdout); the first 100 of each are kept. After the first 100 and
//! after all 1,000 navigations, the resident memory of the app's process tree (the app and its
//! WebKit processes) is read. p50/p95 per interaction and the memory ratio go to
//! `target/bench-results/window.{json,md}` and stdout.
//!
//! `cargo bench --bench window` runs it; under `cargo test` (no `--bench`) it only says it is
//! skipped, since it needs release builds and takes minutes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

#[path = "common/release_results.rs"]
mod release_results;
use release_results::target_dir;

#[path = "common/process_tree.rs"]
mod process_tree;
use process_tree::{alive, machine, mib, process_tree, tree_memory, TreeMemory};

#[path = "../tests/it/common/webdriver_session.rs"]
mod webdriver_session;

#[path = "../tests/it/common/xvfb.rs"]
mod xvfb;
use xvfb::Xvfb;

/// Runs (each a fresh start on a fresh copy); `TREFFPUNKT_BENCH_RUNS` overrides.
const DEFAULT_RUNS: usize = 3;
const RUNS_ENV: &str = "TREFFPUNKT_BENCH_RUNS";
/// Navigations per run; `TREFFPUNKT_BENCH_NAVIGATIONS` overrides (a short check of the harness).
const DEFAULT_NAVIGATIONS: usize = 1000;
const NAVIGATIONS_ENV: &str = "TREFFPUNKT_BENCH_NAVIGATIONS";
/// Memory is compared after these many navigations and after all of them.
const EARLY_NAVIGATIONS: usize = 100;
/// The measurements of each interaction kept per run.
const REPETITIONS: usize = 100;
/// Before memory is read: WebKit frees and collects a little after the last input.
const SETTLE: Duration = Duration::from_secs(2);
/// A mark that has not come by then is a broken run, not a slow one.
const MARK_TIMEOUT: Duration = Duration::from_secs(20);
const MARK_LINE: &str = "interaction-ms ";

/// The interactions the app times: its name on the line, and what the report calls it.
const INTERACTIONS: [(&str, &str); 4] = [
    ("next-week", "the next week in the calendar"),
    ("open-record", "opening a contact from the list"),
    (
        "list-search",
        "a letter typed into the contact list's search",
    ),
    ("meeting-dialog", "opening the meeting dialog"),
];

/// The targets.
const P95_TARGET_MS: f64 = 50.0;
const GROWTH_TARGET: f64 = 1.05;

/// The letters typed into the search, one a cycle: common and rare first letters of names.
const LETTERS: &str = "msbkwhfrlgztpdeanocjuivy";

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "window benchmark skipped: it needs release builds and the 1M workspace \
             (cargo bench --bench window)"
        );
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = runtime.block_on(bench()) {
        eprintln!("window benchmark failed: {e}");
        std::process::exit(1);
    }
}

/// What one run measured.
struct Run {
    /// Each interaction's times in ms, in order, at most `REPETITIONS`.
    marks: HashMap<&'static str, Vec<f64>>,
    rss_early_kib: u64,
    rss_late_kib: u64,
    pss_early_kib: u64,
    pss_late_kib: u64,
    navigations: usize,
    seconds: f64,
}

async fn bench() -> Result<(), String> {
    let target = target_dir();
    let app = target.join("release/treffpunkt");
    if !app.exists() {
        return Err(format!(
            "{} is missing; build it first: cd ui && npm run build && cargo build --release --bins",
            app.display()
        ));
    }
    let db = target.join("bench-data/startup-1m.sqlite");
    if !db.exists() {
        return Err(format!(
            "{} is missing; make bench writes it with gen-data",
            db.display()
        ));
    }
    let runs = env_number(RUNS_ENV, DEFAULT_RUNS)?;
    let navigations = env_number(NAVIGATIONS_ENV, DEFAULT_NAVIGATIONS)?;
    let _ = rustls::crypto::ring::default_provider().install_default();

    let mut results = Vec::new();
    for run in 1..=runs {
        let scratch = tempfile::Builder::new()
            .prefix("treffpunkt-window-")
            .tempdir()
            .map_err(|e| format!("no temporary directory: {e}"))?;
        let data = scratch.path().join("data");
        std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
        std::fs::copy(&db, data.join("treffpunkt.sqlite"))
            .map_err(|e| format!("copying {}: {e}", db.display()))?;
        let started = Instant::now();
        let result = one_run(&app, &data, scratch.path(), navigations)
            .await
            .map_err(|e| format!("run {run}: {e}"))?;
        println!(
            "run {run}: {} navigations in {:.0} s; RSS {:.1} MiB after {EARLY_NAVIGATIONS}, {:.1} MiB after all ({:.3}x)",
            result.navigations,
            started.elapsed().as_secs_f64(),
            mib(result.rss_early_kib as f64),
            mib(result.rss_late_kib as f64),
            result.rss_late_kib as f64 / result.rss_early_kib as f64,
        );
        for (name, _) in INTERACTIONS {
            let xs = result.marks.get(name).cloned().unwrap_or_default();
            println!(
                "    {name:<15} n={:>3}  p50 {:>6.1} ms  p95 {:>6.1} ms  max {:>6.1} ms",
                xs.len(),
                percentile(&xs, 50.0),
                percentile(&xs, 95.0),
                xs.iter().copied().fold(f64::NAN, f64::max),
            );
        }
        results.push(result);
    }

    let report = Report {
        runs: results,
        machine: machine(),
    };
    release_results::write(&target, "window", &report.json(), &report.markdown())
}

fn env_number(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(n) => n
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("{name}={n} is not a positive number")),
        Err(_) => Ok(default),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The driver (and through it WebKitWebDriver and the app) and its X server, ended when dropped.
struct Driver {
    child: Child,
    _xvfb: Xvfb,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The app's tree first: once the driver is gone its processes belong to init.
        let pids = process_tree(self.child.id());
        let mut cmd = Command::new("kill");
        cmd.arg("-TERM").args(pids.iter().map(u32::to_string));
        let _ = cmd.stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && pids.iter().any(|&p| alive(p)) {
            let _ = self.child.try_wait();
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut cmd = Command::new("kill");
        cmd.arg("-KILL")
            .args(pids.iter().filter(|&&p| alive(p)).map(u32::to_string));
        let _ = cmd.stderr(Stdio::null()).status();
        let _ = self.child.wait();
    }
}

/// One start of the app on `data` and `navigations` navigations in it.
async fn one_run(
    app: &Path,
    data: &Path,
    scratch: &Path,
    navigations: usize,
) -> Result<Run, String> {
    let xvfb = Xvfb::start()?;
    let port = free_port();
    let home = scratch.join("home");
    let report = scratch.join("report.txt");
    let mut cmd = Command::new("tauri-driver");
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &free_port().to_string(),
    ])
    .env("DISPLAY", format!(":{}", xvfb.display))
    .env("TREFFPUNKT_DATA_DIR", data)
    .env("TREFFPUNKT_REPORT_FIRST_PAINT", "1")
    .env("XDG_DATA_HOME", home.join("data"))
    .env("XDG_CACHE_HOME", home.join("cache"))
    .env("XDG_CONFIG_HOME", home.join("config"))
    .env("LANG", "de_DE.UTF-8")
    .env("LC_ALL", "de_DE.UTF-8")
    .env("TZ", "Europe/Berlin")
    // As the startup benchmark and the end-to-end tests run the app under Xvfb.
    .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
    .env("NO_AT_BRIDGE", "1")
    .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
    .env_remove("TREFFPUNKT_DEMO")
    .env_remove("TREFFPUNKT_LOG")
    // tauri-driver gives the app no stdout: its lines go to a file.
    .env("TREFFPUNKT_REPORT_FILE", &report)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let child = cmd
        .spawn()
        .map_err(|e| format!("tauri-driver did not start (make test installs it): {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let marks = watch_marks(report.clone(), stop.clone());
    let driver = Driver { child, _xvfb: xvfb };

    let client = webdriver_session::open(port, &app.display().to_string()).await?;
    let app_pid =
        app_process(driver.child.id(), app).ok_or("the app's process is not among the driver's")?;

    let mut day = Day {
        c: &client,
        marks,
        kept: HashMap::new(),
        navigations: 0,
    };
    let started = Instant::now();
    let result = day.work(navigations, app_pid).await;
    let _ = client.clone().close().await;
    drop(driver);
    stop.store(true, Ordering::Relaxed);
    let (early, late) = result?;
    // The app alone would be a fraction of the memory: its WebKit processes must have been found.
    if early.processes < 2 || late.processes < 2 {
        return Err(format!(
            "the app's process tree had {} and {} processes: its WebKit processes were not found",
            early.processes, late.processes
        ));
    }
    Ok(Run {
        marks: day.kept,
        rss_early_kib: early.rss_kib,
        rss_late_kib: late.rss_kib,
        pss_early_kib: early.pss_kib,
        pss_late_kib: late.pss_kib,
        navigations: day.navigations,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Follows the app's report file on a thread and sends each mark as (name, ms).
/// Ends when `stop` is set.
fn watch_marks(report: PathBuf, stop: Arc<AtomicBool>) -> mpsc::Receiver<(String, f64)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut file = None;
        let mut partial = String::new();
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(5));
            if file.is_none() {
                file = std::fs::File::open(&report).ok();
            }
            let Some(f) = file.as_mut() else { continue };
            // Only what was appended since the last read.
            let mut fresh = Vec::new();
            if f.read_to_end(&mut fresh).is_err() || fresh.is_empty() {
                continue;
            }
            partial.push_str(&String::from_utf8_lossy(&fresh));
            while let Some(end) = partial.find('\n') {
                let line: String = partial.drain(..=end).collect();
                let Some(rest) = line.trim_end().strip_prefix(MARK_LINE) else {
                    continue;
                };
                let mut parts = rest.split_whitespace();
                if let (Some(name), Some(Ok(ms))) = (parts.next(), parts.next().map(str::parse)) {
                    if tx.send((name.to_string(), ms)).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

/// A working day in the window: the cycle of navigations, the marks kept, the count.
struct Day<'a> {
    c: &'a Client,
    marks: mpsc::Receiver<(String, f64)>,
    kept: HashMap<&'static str, Vec<f64>>,
    navigations: usize,
}

impl Day<'_> {
    /// `navigations` navigations; the memory of the app's tree after the first
    /// `EARLY_NAVIGATIONS` and after all of them.
    async fn work(
        &mut self,
        navigations: usize,
        app_pid: u32,
    ) -> Result<(TreeMemory, TreeMemory), String> {
        // FullCalendar has taken over: the calendar answers clicks.
        self.find("[data-testid=calendar].fc").await?;
        let mut early = None;
        let mut cycle = 0;
        while self.navigations < navigations {
            self.cycle(cycle).await?;
            cycle += 1;
            if early.is_none() && self.navigations >= EARLY_NAVIGATIONS.min(navigations) {
                tokio::time::sleep(SETTLE).await;
                early = Some(tree_memory(app_pid));
            }
        }
        tokio::time::sleep(SETTLE).await;
        let late = tree_memory(app_pid);
        Ok((early.unwrap_or(late), late))
    }

    /// One round through the window: eight navigations, four of them timed by the app.
    async fn cycle(&mut self, n: usize) -> Result<(), String> {
        // The calendar: the week after.
        self.click(".fc-next-button").await?;
        self.mark("next-week").await?;
        self.navigations += 1;

        // The meeting dialog, from the action choice, and closed again.
        self.click("[data-testid=calendar-new]").await?;
        self.find("[data-testid=action-choice]").await?;
        self.navigations += 1;
        self.click("[data-testid=action-meeting]").await?;
        self.mark("meeting-dialog").await?;
        self.navigations += 1;
        self.click("[data-testid=activity-dialog] header button")
            .await?;
        self.gone("[data-testid=activity-dialog]").await?;
        self.navigations += 1;

        // The contact list, a letter typed into its search, a contact from what it found.
        self.click("[data-testid=nav-contact]").await?;
        self.find("[data-testid=list-contact][aria-busy=false] tbody tr")
            .await?;
        self.navigations += 1;
        let letter = LETTERS.chars().nth(n % LETTERS.len()).unwrap();
        self.find("[data-testid=list-contact] input[type=search]")
            .await?
            .send_keys(&letter.to_string())
            .await
            .map_err(|e| format!("typing into the search: {e}"))?;
        self.mark("list-search").await?;
        self.navigations += 1;
        let rows = self
            .c
            .find_all(Locator::Css("[data-testid=list-contact] tbody tr"))
            .await
            .map_err(|e| e.to_string())?;
        if rows.is_empty() {
            return Err(format!("the search for {letter:?} found no contact"));
        }
        // Found again by its place: the list may have drawn its rows anew meanwhile.
        let row = n % rows.len().min(10) + 1;
        self.click(&format!(
            "[data-testid=list-contact] tbody tr:nth-child({row}) td"
        ))
        .await?;
        self.mark("open-record").await?;
        self.navigations += 1;

        // Back to the calendar, once FullCalendar has taken over again.
        self.click("[data-testid=nav-calendar]").await?;
        self.find("[data-testid=calendar].fc .fc-next-button")
            .await?;
        self.navigations += 1;
        Ok(())
    }

    async fn find(&self, css: &str) -> Result<fantoccini::elements::Element, String> {
        self.c
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("{css} did not appear: {e}"))
    }

    async fn click(&self, css: &str) -> Result<(), String> {
        let element = self.find(css).await?;
        // WebKitWebDriver can wait forever on a click; a stuck step ends the run instead.
        tokio::time::timeout(Duration::from_secs(30), element.click())
            .await
            .map_err(|_| format!("clicking {css} did not finish"))?
            .map_err(|e| format!("clicking {css}: {e}"))
    }

    async fn gone(&self, css: &str) -> Result<(), String> {
        for _ in 0..200 {
            let found = self
                .c
                .find_all(Locator::Css(css))
                .await
                .map_err(|e| e.to_string())?;
            if found.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!("{css} did not go away"))
    }

    /// Waits for the app's mark of `name`, and keeps it while fewer than `REPETITIONS` are.
    async fn mark(&mut self, name: &'static str) -> Result<(), String> {
        let deadline = Instant::now() + MARK_TIMEOUT;
        loop {
            match self.marks.try_recv() {
                Ok((got, ms)) if got == name => {
                    let kept = self.kept.entry(name).or_default();
                    if kept.len() < REPETITIONS {
                        kept.push(ms);
                    }
                    return Ok(());
                }
                // Another interaction's result came late: not this one's.
                Ok((got, _)) => println!("    (a late {got} mark while waiting for {name})"),
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err("the app's output ended".into())
                }
                Err(mpsc::TryRecvError::Empty) if Instant::now() > deadline => {
                    return Err(format!(
                        "no {name} mark within {} s",
                        MARK_TIMEOUT.as_secs()
                    ))
                }
                Err(mpsc::TryRecvError::Empty) => {
                    tokio::time::sleep(Duration::from_millis(5)).await
                }
            }
        }
    }
}

/// The app among the driver's descendants: the process whose program is `app`.
fn app_process(driver: u32, app: &Path) -> Option<u32> {
    let app = std::fs::canonicalize(app).ok()?;
    for _ in 0..100 {
        let found = process_tree(driver).into_iter().find(|p| {
            std::fs::read_link(format!("/proc/{p}/exe"))
                .ok()
                .is_some_and(|exe| exe == app)
        });
        if found.is_some() {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// The `p`th percentile by the nearest rank: the smallest value at least `p`% of all are at or below.
fn percentile(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * xs.len() as f64).ceil() as usize;
    xs[rank.clamp(1, xs.len()) - 1]
}

fn median(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// The smallest and largest of `xs`.
fn spread(xs: &[f64]) -> (f64, f64) {
    (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    )
}

struct Report {
    runs: Vec<Run>,
    machine: String,
}

impl Report {
    /// Each run's p50 and p95 of `name`.
    fn per_run(&self, name: &str) -> (Vec<f64>, Vec<f64>) {
        self.runs
            .iter()
            .map(|r| {
                let xs = r.marks.get(name).map(Vec::as_slice).unwrap_or(&[]);
                (percentile(xs, 50.0), percentile(xs, 95.0))
            })
            .unzip()
    }

    fn growth(&self) -> Vec<f64> {
        self.runs
            .iter()
            .map(|r| r.rss_late_kib as f64 / r.rss_early_kib as f64)
            .collect()
    }

    fn json(&self) -> Value {
        let interactions: serde_json::Map<String, Value> = INTERACTIONS
            .iter()
            .map(|&(name, label)| {
                let (p50, p95) = self.per_run(name);
                let p95_median = median(&p95);
                let v = json!({
                    "label": label,
                    "p50_ms": median(&p50),
                    "p95_ms": p95_median,
                    "p50_ms_per_run": p50,
                    "p95_ms_per_run": p95,
                    "target_p95_ms": P95_TARGET_MS,
                    "met": p95_median <= P95_TARGET_MS,
                    "samples": self.runs.iter()
                        .map(|r| r.marks.get(name).cloned().unwrap_or_default())
                        .collect::<Vec<_>>(),
                });
                (name.to_string(), v)
            })
            .collect();
        let growth = self.growth();
        json!({
            "runs": self.runs.len(),
            "repetitions": REPETITIONS,
            "machine": self.machine,
            "interactions": interactions,
            "memory": {
                "navigations": self.runs.iter().map(|r| r.navigations).collect::<Vec<_>>(),
                "early_navigations": EARLY_NAVIGATIONS,
                "rss_early_kib": self.runs.iter().map(|r| r.rss_early_kib).collect::<Vec<_>>(),
                "rss_late_kib": self.runs.iter().map(|r| r.rss_late_kib).collect::<Vec<_>>(),
                "pss_early_kib": self.runs.iter().map(|r| r.pss_early_kib).collect::<Vec<_>>(),
                "pss_late_kib": self.runs.iter().map(|r| r.pss_late_kib).collect::<Vec<_>>(),
                "growth_per_run": growth,
                "growth": median(&growth),
                "target": GROWTH_TARGET,
                "met": median(&growth) <= GROWTH_TARGET,
            },
            "seconds_per_run": self.runs.iter().map(|r| r.seconds).collect::<Vec<_>>(),
        })
    }

    fn markdown(&self) -> String {
        let n = self.runs.len();
        let mut md = String::from("## Interactions in the window at 1M activities\n\n");
        md.push_str(
            "| interaction | p50 (ms) | p95 (ms) | p95 of each run (ms) | target p95 | |\n\
             |---|---:|---:|---:|---:|---|\n",
        );
        for (name, label) in INTERACTIONS {
            let (p50, p95) = self.per_run(name);
            let (lo, hi) = spread(&p95);
            let p95_median = median(&p95);
            let _ = writeln!(
                md,
                "| {label} | {:.1} | {p95_median:.1} | {lo:.1}–{hi:.1} | <= {P95_TARGET_MS:.0} | {} |",
                median(&p50),
                if p95_median <= P95_TARGET_MS {
                    "met"
                } else {
                    "**missed**"
                },
            );
        }
        let growth = self.growth();
        let (lo, hi) = spread(&growth);
        let early: Vec<f64> = self.runs.iter().map(|r| r.rss_early_kib as f64).collect();
        let late: Vec<f64> = self.runs.iter().map(|r| r.rss_late_kib as f64).collect();
        let navigations = self.runs.first().map_or(0, |r| r.navigations);
        let _ = write!(
            md,
            "\n| memory | after {EARLY_NAVIGATIONS} navigations | after {navigations} | ratio | ratio of each run | target | |\n\
             |---|---:|---:|---:|---:|---:|---|\n\
             | RSS of the process tree | {:.1} MiB | {:.1} MiB | {:.3}x | {lo:.3}–{hi:.3}x | <= {GROWTH_TARGET:.2}x | {} |\n",
            mib(median(&early)),
            mib(median(&late)),
            median(&growth),
            if median(&growth) <= GROWTH_TARGET {
                "met"
            } else {
                "**missed**"
            },
        );
        let _ = write!(
            md,
            "\n{n} runs on {}, each a fresh start of the release build under Xvfb on a fresh \
             copy of the 1M-activity workspace (`startup-1m.sqlite`), driven through tauri-driver \
             and WebKitWebDriver (real input events in the webview). A run repeats a cycle of \
             eight navigations until {navigations}: the next week in the calendar, the action \
             choice, the meeting dialog from it, the dialog closed, the contact list, a letter \
             typed into its search, a contact opened from what it found, back to the calendar. \
             The times are the app's own (`ui/src/perf/marks.ts`): from the input event's \
             `timeStamp` to two animation frames after the result was in the DOM (the next \
             week's events, the contact's fields, the rows found, the dialog), the first \
             {REPETITIONS} of each per run; p50 and p95 are the medians over the runs of each \
             run's percentile. Memory is VmRSS (and Pss in window.json) summed over the app and \
             its WebKit processes, {} s after the {EARLY_NAVIGATIONS}th and the last navigation. \
             `cargo bench --bench window` reproduces it.\n",
            self.machine,
            SETTLE.as_secs(),
        );
        md
    }
}
