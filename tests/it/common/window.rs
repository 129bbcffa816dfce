//! The app in a real window, for the end-to-end tests: Xvfb, tauri-driver and the app binary on a
//! temporary data directory, a WebDriver session to it, and the helpers a test clicks with.
//! Every window test starts through `launch_demo` (or `launch_app` for another workspace or more
//! stubbed programs, `launch_pair` for two desktops of a team side by side) and ends with
//! `AppWindow::close`.

use std::net::TcpListener;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, Locator};

use super::xvfb::Xvfb;

/// Ends the processes it holds when the test ends, however it ends: the driver and the app
/// first, then (as the field is dropped after `drop`) their X server.
pub struct Processes {
    pub children: Vec<Child>,
    pub _xvfb: Xvfb,
}

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            // SIGTERM first, so that each can end cleanly; then make sure.
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            for _ in 0..20 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Session {
    pub client: Client,
    shots: PathBuf,
    display: u32,
}

impl Session {
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => {
                // What the window showed instead, for whoever reads the failure.
                self.screenshot("failure").await;
                let body = self.client.source().await.unwrap_or_default();
                let tail: String = body.chars().take(2000).collect();
                panic!("{css} did not appear: {e}\npage: {tail}")
            }
        }
    }

    pub async fn click(&self, css: &str) {
        // WebKitWebDriver can wait forever on a click; a stuck step fails the test instead.
        tokio::time::timeout(Duration::from_secs(30), async {
            let element = self.find(css).await;
            Self::until_still(&element).await;
            element.click().await.unwrap()
        })
        .await
        .unwrap_or_else(|_| panic!("clicking {css} did not finish"));
    }

    /// Waits (a few seconds at most) until `element` stays where it is for a moment: a toolbar
    /// whose buttons and title arrive one by one may wrap and move a button between WebDriver's
    /// finding its centre and clicking there, and the click then lands on its neighbour, as a
    /// user's would.
    async fn until_still(element: &fantoccini::elements::Element) {
        let mut last = element.rectangle().await.ok();
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(80)).await;
            let now = element.rectangle().await.ok();
            if now == last {
                return;
            }
            last = now;
        }
    }

    /// Types `text` into the search of the list `list` (e.g. `[data-testid=list-contact]`) and
    /// waits until the rows shown answer it (the list is no longer `aria-busy`).
    pub async fn search_list(&self, list: &str, text: &str) {
        self.find(&format!("{list} input[type=search]"))
            .await
            .send_keys(text)
            .await
            .unwrap();
        self.find(&format!("{list}[aria-busy=false]")).await;
    }

    pub async fn absent(&self, css: &str) -> bool {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    pub async fn gone(&self, css: &str) {
        for _ in 0..200 {
            if self.absent(css).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // What the window showed instead, as `find` says it.
        self.screenshot("failure").await;
        let text = match self.client.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("{css} did not go away; it reads: {text}");
    }

    /// Waits until the first element matching `css` reads `expected` (the UI renders after clicks).
    pub async fn wait_text(&self, css: &str, expected: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                last = e.text().await.unwrap_or_default();
                if last.trim() == expected {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} reads {last:?}, not {expected:?}");
    }

    /// Waits until the first element matching `css` starts with `prefix`; returns its text.
    pub async fn wait_prefix(&self, css: &str, prefix: &str) -> String {
        let mut last = String::new();
        for _ in 0..150 {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                last = e.text().await.unwrap_or_default();
                if last.trim().starts_with(prefix) {
                    return last.trim().to_string();
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("{css} reads {last:?}, not {prefix:?}…");
    }

    /// A picture of the whole X display, taken by ImageMagick: WebKitWebDriver's own screenshot
    /// can hang while a modal dialog is open.
    pub async fn screenshot(&self, name: &str) {
        let file = self.shots.join(format!("{name}.png"));
        let status = tokio::process::Command::new("import")
            .args(["-display", &format!(":{}", self.display), "-window", "root"])
            .arg(&file)
            .status()
            .await
            .expect("ImageMagick's import is not installed (make test installs it)");
        assert!(status.success(), "screenshot {name} failed");
    }

    /// Opens the action choice with a click on `date` in the month view.
    pub async fn click_day(&self, date: &str) {
        self.click(".fc-dayGridMonth-button").await;
        // The week view's all-day row has day cells too: wait for the month view's own.
        self.click(&format!(
            ".fc-dayGridMonth-view .fc-daygrid-day[data-date='{date}']"
        ))
        .await;
        self.find("[data-testid=action-choice]").await;
    }
}

/// One real window at a time: the GUI tests share the machine's X displays and CPU.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Starts Xvfb, tauri-driver and the app on the data directory `data` with `env`, and opens a
/// WebDriver session to it.
async fn launch(data: &Path, env: &[(&str, String)]) -> (Session, Processes) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let xvfb = Xvfb::start().unwrap_or_else(|e| panic!("{e}"));
    let display = xvfb.display;
    let mut procs = Processes {
        children: Vec::new(),
        _xvfb: xvfb,
    };

    let port = free_port();
    let mut driver = Command::new("tauri-driver");
    driver
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
        .env("DISPLAY", format!(":{display}"))
        .env("TREFFPUNKT_DATA_DIR", data)
        // A German desktop: the app starts in German (F4).
        .env("LANG", "de_DE.UTF-8")
        .env("LC_ALL", "de_DE.UTF-8")
        .env("TZ", "Europe/Berlin")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("NO_AT_BRIDGE", "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        driver.env(k, v);
    }
    procs.children.push(
        driver
            .spawn()
            .expect("tauri-driver is not installed (make test installs it)"),
    );

    let client = super::webdriver_session::open(port, env!("CARGO_BIN_EXE_treffpunkt"))
        .await
        .expect("a WebDriver session with the app");
    let s = Session {
        client,
        shots,
        display,
    };
    (s, procs)
}

/// A test "browser" for the sign-in, as a user's `$BROWSER` would be: it opens the sign-in page,
/// accepts as the first account offered, follows the redirect back to the app, and counts its
/// sign-ins in `browsed.txt` beside itself.
const TEST_BROWSER: &str = r#"#!/bin/sh
url="$1"
base=$(printf '%s' "$url" | sed 's#^\(http://[^/]*\).*#\1#')
href=$(curl -s "$url" | grep -o 'class="account" data-upn="[^"]*" href="[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
curl -s -L --max-redirs 5 "$base$href" > /dev/null
echo signed-in >> "$(dirname "$0")/browsed.txt"
"#;

/// Stands in for the OS opener: writes what the app hands to the OS into `opened.txt` beside
/// itself.
const STUB_XDG_OPEN: &str =
    "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened.txt\"\n";

/// Writes the executable `script` as `bin/name`.
fn write_stub(bin: &Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(bin.join(name), script).unwrap();
    std::fs::set_permissions(bin.join(name), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Which workspace the app opens.
#[derive(Clone, Copy, PartialEq)]
pub enum Workspace {
    /// A new, empty workspace (`treffpunkt.sqlite`), as on a first start.
    Fresh,
    /// The demo (`TREFFPUNKT_DEMO=1`): sample records and the simulated Microsoft 365 tenant
    /// (`treffpunkt-demo.sqlite`).
    Demo,
    /// A desktop of a team: a data directory the test prepared with the saved connection to the
    /// team database (`common::team`); its `treffpunkt.sqlite` keeps only this desktop's part
    /// (sign-ins, reminders shown, preferences).
    Team,
}

/// The app in its window, with what the test may look at: its data directory and the stubbed
/// programs' folder. Dereferences to the `Session` a test clicks with. The fields end in order:
/// the WebDriver session, the driver and the app (then their X server), the data directory, and
/// last the hold on the one window (shared by the two windows of `launch_pair`).
pub struct AppWindow {
    session: Session,
    _procs: Processes,
    data: tempfile::TempDir,
    /// The folder of the test browser and the stub opener, first on the app's `PATH`.
    pub bin: PathBuf,
    workspace: Workspace,
    _one: Arc<tokio::sync::MutexGuard<'static, ()>>,
}

impl Deref for AppWindow {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

impl AppWindow {
    pub fn data(&self) -> &Path {
        self.data.path()
    }

    /// A connection of the test's own to the workspace's database.
    pub fn db(&self) -> rusqlite::Connection {
        let file = match self.workspace {
            Workspace::Fresh | Workspace::Team => "treffpunkt.sqlite",
            Workspace::Demo => "treffpunkt-demo.sqlite",
        };
        rusqlite::Connection::open(self.data().join(file)).unwrap()
    }

    /// The file the stub opener writes each handed-over URI to, one a line.
    pub fn opened(&self) -> PathBuf {
        self.bin.join("opened.txt")
    }

    /// Ends the WebDriver session; the processes end as the window is dropped.
    pub async fn close(self) {
        self.session.client.clone().close().await.unwrap();
    }
}

/// The demo workspace in a real window, with the test browser as `$BROWSER` and the stub opener
/// first on `PATH`: what most window tests start from.
pub async fn launch_demo() -> AppWindow {
    launch_app(Workspace::Demo, &[]).await
}

/// The app on `workspace`, as `launch_demo`; `stubs` are further programs (name, script) put first
/// on `PATH` beside the test browser and the stub opener. One window at a time.
pub async fn launch_app(workspace: Workspace, stubs: &[(&str, &str)]) -> AppWindow {
    let one = Arc::new(ONE_WINDOW.lock().await);
    open(workspace, tempfile::tempdir().unwrap(), stubs, &[], one).await
}

/// Two desktops of a team side by side, each its own app (and X display) on its prepared data
/// directory (`common::team`), both with `env`: the hold on the one window is taken once for the
/// pair and given up when both have ended.
pub async fn launch_pair(
    a: tempfile::TempDir,
    b: tempfile::TempDir,
    env: &[(&str, String)],
) -> (AppWindow, AppWindow) {
    let one = Arc::new(ONE_WINDOW.lock().await);
    let first = open(Workspace::Team, a, &[], env, one.clone()).await;
    let second = open(Workspace::Team, b, &[], env, one).await;
    (first, second)
}

/// The app on `workspace` in `data`, with the test browser, the stub opener and `stubs` first on
/// `PATH` and `env` besides; `one` is the caller's hold on the one window.
async fn open(
    workspace: Workspace,
    data: tempfile::TempDir,
    stubs: &[(&str, &str)],
    env: &[(&str, String)],
    one: Arc<tokio::sync::MutexGuard<'static, ()>>,
) -> AppWindow {
    let bin = data.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let mut programs = vec![("test-browser", TEST_BROWSER), ("xdg-open", STUB_XDG_OPEN)];
    programs.extend_from_slice(stubs);
    for (name, script) in programs {
        write_stub(&bin, name, script);
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut all = vec![
        ("BROWSER", bin.join("test-browser").display().to_string()),
        ("PATH", path),
    ];
    if workspace == Workspace::Demo {
        all.push(("TREFFPUNKT_DEMO", "1".into()));
    }
    all.extend(env.iter().cloned());
    let (session, procs) = launch(data.path(), &all).await;
    AppWindow {
        session,
        _procs: procs,
        data,
        bin,
        workspace,
        _one: one,
    }
}
