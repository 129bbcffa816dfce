//! Every integration test in one binary. Each former file of `tests/` is a module here, so the app
//! (Tauri included) is linked once for all of them instead of once per file; run one module with
//! `cargo test --test it meetings::`, one test by its name.
//!
//! The tests of a module that changes what is global to a process (the tracing subscriber, the
//! environment) run in a process of their own: `common::isolated::alone` starts this binary again
//! for just that test (see there).

mod common;

mod admin_cli;
mod commands;
mod e2e;
mod issuer;
mod keyring;
mod logging;
mod meetings;
mod second_idp;
mod secrets;
mod signin;
mod simulator;
mod webview_surface;
