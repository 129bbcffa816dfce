//! The Microsoft identity platform and Graph, from Treffpunkt's side: the endpoints of each cloud,
//! the loopback sign-in with PKCE (B1), tokens kept and refreshed (B3-B6), and what each failure
//! means for the user (§1.6 of the reference).

pub mod cloud;
pub mod errors;
pub mod graph;
pub mod identity;
pub mod loopback;
pub mod retry;
pub mod session;
pub mod time_zones;
pub mod tokens;

/// The scopes Treffpunkt asks for (B2).
pub const SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "offline_access",
    "User.Read",
    "OnlineMeetings.ReadWrite",
    "Calendars.ReadWrite",
];

/// One HTTP client for the identity platform and Graph: rustls, no redirects followed (a token
/// endpoint that redirects is an error, not something to follow), bounded time.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("the HTTP client's configuration is valid")
}
