//! What the simulator is configured with: tenants, app registrations, users, and faults.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tenant {
    /// The directory (tenant) ID, a GUID.
    pub id: String,
    /// The tenant's domain, e.g. `contoso.onmicrosoft.com`.
    pub domain: String,
    pub apps: Vec<AppRegistration>,
    pub users: Vec<SimUser>,
}

/// The platform a redirect URI is registered under decides public versus confidential (§2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Platform {
    /// "Mobile and desktop applications": a public client, PKCE only, no secret.
    MobileAndDesktop,
    /// "Web": a confidential client that must send its secret.
    Web,
}

/// An app registration's client secret. `Debug` hides its value.
#[derive(Clone, Serialize, Deserialize)]
pub struct Secret {
    pub value: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("value", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppRegistration {
    pub client_id: String,
    pub platform: Platform,
    pub secret: Option<Secret>,
    /// Registered redirect URIs; for loopback hosts the port is ignored when matching (§2.1).
    pub redirect_uris: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimUser {
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub mail: Option<String>,
    /// A personal Microsoft account (B7): its ID token carries the consumer tenant.
    #[serde(default)]
    pub personal: bool,
    /// Without a Teams licence the mailbox's calendar does not allow Teams meetings
    /// (`allowedOnlineMeetingProviders`), and Graph creates events without an online meeting.
    #[serde(default)]
    pub without_teams_licence: bool,
    /// When a Teams meeting's join link shows on its event.
    #[serde(default)]
    pub join_link: JoinLink,
}

/// When Graph's event of a Teams meeting carries `onlineMeeting.joinUrl`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinLink {
    /// In the answer to `POST /me/events`.
    #[default]
    Immediate,
    /// Only from this many reads of the event (`GET /me/events/{id}`) on.
    AfterReads(u32),
    /// Never, though the calendar allows Teams.
    Never,
}

impl SimUser {
    /// A work account `upn` named `given surname`.
    pub fn work(upn: &str, given: &str, surname: &str) -> SimUser {
        SimUser {
            id: uuid::Uuid::new_v4().to_string(),
            user_principal_name: upn.into(),
            display_name: format!("{given} {surname}"),
            given_name: given.into(),
            surname: surname.into(),
            mail: Some(upn.into()),
            personal: false,
            without_teams_licence: false,
            join_link: JoinLink::Immediate,
        }
    }
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultTarget {
    Token,
    /// Any Graph request.
    Graph,
    /// Only `POST /v1.0/me/events`, the request that creates an event.
    EventCreate,
}

/// A fault injected into the next matching request (G1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// 429 with `Retry-After` as given ("10", "2.128").
    TooManyRequests {
        retry_after: String,
    },
    InternalServerError,
    ServiceUnavailable {
        retry_after: Option<String>,
    },
    GatewayTimeout,
    /// The status line and headers go out, then the connection breaks in the body.
    DropConnection,
    /// The connection is closed before a single byte of the answer, and the request is not
    /// carried out.
    DropBeforeHeaders,
    /// The answer comes after this many milliseconds.
    Slow {
        millis: u64,
    },
    /// 200 with a body that is not JSON.
    MalformedJson,
    /// 403 as when an administrator withdrew a permission (§4.7).
    AccessDenied,
    /// 401 for an access token the client still holds valid: Graph judges its lifetime by its
    /// own clock, which may run ahead of the client's.
    TokenRefused,
    /// The request is carried out, then the connection breaks before the answer arrives: the
    /// client cannot know that it succeeded (what `transactionId` exists for).
    DropAfterProcessing,
    /// The request is carried out and the top-level `field` of its JSON answer is set to
    /// `value`: an answer Microsoft does not give (an `expires_in` past the calendar's end, an
    /// event without an id), for tests of the app's guards.
    Rewrite {
        field: String,
        value: serde_json::Value,
    },
    /// 200 with a valid JSON body of `bytes` bytes, its `Content-Length` announced.
    LargeBody {
        bytes: usize,
    },
    /// 200 with a JSON body that never ends, sent in chunks without a `Content-Length`.
    EndlessBody,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The simulator's registrations print no client secret either (F5): a failing test's
    /// output would show it.
    #[test]
    fn an_app_registration_prints_no_secret() {
        const SECRET: &str = "Qx8~debug-secret-Value";
        let registration = AppRegistration {
            client_id: "22222222-2222-4222-8222-222222222222".into(),
            platform: Platform::Web,
            secret: Some(Secret {
                value: SECRET.into(),
                expires_at: chrono::Utc::now(),
            }),
            redirect_uris: vec![],
        };
        let printed = format!("{registration:?} {registration:#?}");
        assert!(
            !printed.contains(SECRET),
            "AppRegistration prints the secret"
        );
        assert!(printed.contains("redacted"));
    }
}
