//! A private X server for whatever needs a display: the end-to-end tests and the startup
//! benchmark, which includes this file by path (`#[path = ".../common/xvfb.rs"] mod xvfb;`) and so
//! needs none of the tests' other helpers.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Xvfb on a display it picks itself (`-displayfd`: no race with other X servers, and stale lock
/// files of killed servers are its business); ended when dropped.
pub struct Xvfb {
    child: Child,
    pub display: u32,
}

impl Xvfb {
    pub fn start() -> Result<Xvfb, String> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1400x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb did not start (make deps installs it): {e}"))?;
        let mut line = String::new();
        let read = BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line);
        // From here on, dropping `xvfb` ends the server, whatever goes wrong.
        let mut xvfb = Xvfb { child, display: 0 };
        xvfb.display = match (read, line.trim().parse()) {
            (Ok(_), Ok(display)) => display,
            _ => return Err("Xvfb did not name its display".into()),
        };
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{}", xvfb.display));
        for _ in 0..100 {
            if socket.exists() {
                return Ok(xvfb);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("Xvfb did not open its socket".into())
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM first, so that Xvfb removes its lock file and socket; then make sure.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..40 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
