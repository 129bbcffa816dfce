//! What several test modules share: the test browser of the sign-in, the simulated Microsoft 365
//! the sign-in, issuer and meeting tests start from, the mocked IPC harness, a private X server,
//! the app in a real window, and a test's own process for what changes process-wide state.

pub mod browser;
pub mod ipc;
pub mod isolated;
pub mod simulated;
pub mod window;
pub mod xvfb;

pub use browser::{insert_anna_lena_and_simulator, Mode, TestBrowser};
