//! A test in a process of its own, inside the one test binary.
//!
//! Logging installs a tracing subscriber for the whole process, once: next to other tests, a
//! logging test would find another's subscriber already set, or catch their events in its file.
//! The keyring test points the process's environment at a private session bus, which every other
//! test's D-Bus clients and child processes would then see (and changing the environment while
//! other threads read it is a race). Such a test calls `alone` first: during the ordinary run it
//! starts this binary again with only itself selected and takes that run's result as its own; in
//! that second process `alone` says so and the test's body runs, the only test there.

use std::process::Command;

/// Set in the second process to the name of the test it runs.
const ALONE: &str = "TREFFPUNKT_TEST_ALONE";

/// `module` is the test's `module_path!()`, `test` its function's name. True in the process the
/// test's body is to run in (the caller goes on); false once that process has passed (the caller
/// returns). Fails the test, with that process's output, when it failed there.
pub fn alone(module: &str, test: &str) -> bool {
    // libtest names tests without the crate: `it::logging` holds `logging::<test>`.
    let module = module.split_once("::").map_or("", |(_, m)| m);
    let name = format!("{module}::{test}");
    if std::env::var(ALONE).as_deref() == Ok(name.as_str()) {
        return true;
    }
    let out = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(ALONE, &name)
        .output()
        .expect("the test binary starts again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Printed here, libtest shows it with this test's result, as it would have shown it there.
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{name} failed in its own process");
    // A name that selects nothing passes too: the test must really have run.
    assert!(
        stdout.contains("1 passed"),
        "{name} did not run in its own process"
    );
    false
}
