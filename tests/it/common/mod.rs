//! What several test modules share: the test browser of the sign-in, the simulated Microsoft 365
//! the sign-in, issuer and meeting tests start from, the mocked IPC harness, a private X server,
//! the app in a real window, a team database with its desktops, and a test's own process for what
//! changes process-wide state.

pub mod browser;
pub mod ipc;
pub mod isolated;
/// The throwaway PostgreSQL server the store's own tests use, shared by path.
#[path = "../../../src-tauri/src/store/postgres/test_server.rs"]
#[allow(dead_code)] // the store's own tests use all of it; these use a part
pub mod postgres;
pub mod simulated;
pub mod team;
pub mod webdriver_session;
pub mod window;
pub mod xvfb;

pub use browser::{insert_anna_lena_and_simulator, Mode, TestBrowser};
