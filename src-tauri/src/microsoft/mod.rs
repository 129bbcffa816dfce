//! The Microsoft identity platform and Graph, from Treffpunkt's side: the endpoints of each cloud,
//! the loopback sign-in with PKCE (B1), tokens kept and refreshed (B3-B6), and what each failure
//! means for the user (§1.6 of the reference).

pub mod bounded_body;
pub mod errors;
pub mod graph;
pub mod identity;
pub mod keep_alive;
pub mod loopback;
pub mod retry;
pub mod session;
pub mod system_browser;
pub mod time_zones;

/// The tenant ID Microsoft gives personal accounts (`tid` in their ID tokens).
pub const PERSONAL_ACCOUNTS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The scopes Treffpunkt asks for (B2), and no other: each is named by the Microsoft page of a
/// call the app makes.
/// - `openid`, `profile`: the ID token with the account's tenant, name and UPN
///   (identity-platform/scopes-oidc.md, "OpenID Connect scopes").
/// - `offline_access`: a refresh token, so the sign-in outlives the hour of an access token.
/// - `User.Read`: `GET /me`, the connection test (api-reference/v1.0/api/user-get.md).
/// - `Calendars.ReadWrite`: `POST /me/events` with `isOnlineMeeting` (the Teams meeting is made
///   by the event: user-post-events.md asks for Calendars.ReadWrite, nothing more) and
///   `POST /me/events/{id}/cancel` (event-cancel.md); it covers the reads too: `GET /me/calendar`
///   (calendar-get.md), `GET /me/events/{id}` (event-get.md), `GET /me/calendarView`
///   (user-list-calendarview.md), which need Calendars.ReadBasic or Calendars.Read.
///
/// The app never calls `/me/onlineMeetings` or `/me/sendMail`, so it does not ask for
/// `OnlineMeetings.ReadWrite` or `Mail.Send`.
pub const SCOPES: [&str; 5] = [
    "openid",
    "profile",
    "offline_access",
    "User.Read",
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
