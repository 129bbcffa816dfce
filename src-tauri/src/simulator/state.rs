//! The simulator's memory: configuration, issued codes and tokens, the clock, injected faults and
//! what it received.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration as StdDuration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};

use super::errors::{aad_error, graph_error};
use super::model::{Fault, FaultTarget, Tenant};
use super::switches::{SimSwitch, SimSwitchState, THROTTLE_RETRY_AFTER};

/// An authorization request waiting for the user's decision on the consent page.
#[derive(Debug, Clone)]
pub struct PendingAuthorization {
    pub tenant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: String,
    /// The request's `claims` declared the client capability `cp1`: the client handles claims
    /// challenges, so its tokens are CAE tokens (claims-challenge.md, "Client capabilities").
    pub cae_capable: bool,
}

#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub auth: PendingAuthorization,
    pub user_id: String,
    pub issued_at: DateTime<Utc>,
    pub redeemed: bool,
}

#[derive(Debug, Clone)]
pub struct AccessGrant {
    pub user_id: String,
    pub scopes: Vec<String>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Issued to a client that declared `cp1`: Graph may refuse it before it expires, with a
    /// claims challenge, once the user's sessions are revoked.
    pub cae: bool,
}

#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub tenant_id: String,
    pub client_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub issued_at: DateTime<Utc>,
}

/// Why refreshing a user's tokens fails, set by a test (§1.6 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserCondition {
    /// AADSTS50173: revoked (password change, admin revoke).
    Revoked,
    /// AADSTS50076 with `suberror: basic_action`.
    MfaRequired,
    /// AADSTS65001 with `suberror: consent_required`.
    ConsentMissing,
    /// AADSTS70043: Conditional Access sign-in frequency.
    SignInFrequency,
}

/// A calendar event the simulator holds (`POST /me/events`), with what became of it.
#[derive(Debug, Clone)]
pub struct SimEvent {
    pub id: String,
    pub user_id: String,
    pub transaction_id: Option<String>,
    /// The event as Graph answered it (the request plus the server's fields).
    pub json: serde_json::Value,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The comment of `POST /me/events/{id}/cancel`, once cancelled.
    pub cancelled: Option<String>,
    pub created_at: DateTime<Utc>,
    /// How often it was read (`GET /me/events/{id}`).
    pub reads: u32,
    /// The join link it gets once `reads` allows (see `JoinLink`).
    pub pending_join_url: Option<String>,
}

/// One request the simulator received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The query string as sent (scopes, PKCE parameters, `$select` ...).
    pub query: Option<String>,
    /// Header names in lower case with their values; an `Authorization` value is kept as its
    /// scheme only, so that no token reaches a test's output.
    pub headers: Vec<(String, String)>,
    pub at: DateTime<Utc>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct Inner {
    pub tenants: Vec<Tenant>,
    pub clock_offset: Duration,
    pub pending: HashMap<String, PendingAuthorization>,
    pub codes: HashMap<String, IssuedCode>,
    pub access_tokens: HashMap<String, AccessGrant>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    pub conditions: HashMap<String, UserCondition>,
    /// When each user's sessions were last revoked (by user id): CAE tokens issued before are
    /// refused by Graph; other access tokens live on until they expire.
    pub revoked_at: HashMap<String, DateTime<Utc>>,
    pub faults: VecDeque<(FaultTarget, Fault)>,
    pub received: Vec<Recorded>,
    pub events: Vec<SimEvent>,
    pub online_meetings: Vec<serde_json::Value>,
    pub sent_mail: Vec<serde_json::Value>,
    /// Approve authorization requests at once as this user (by UPN), as a test's browser would.
    pub auto_approve: Option<String>,
    /// How long a `transactionId` finds the event it created: Microsoft documents no time, so
    /// tests set one (`None`: as long as the simulator runs).
    pub transaction_memory: Option<Duration>,
    /// The lasting misbehaviours switched on.
    pub switches: HashSet<SimSwitch>,
    /// Whether the last event creation was throttled (`SimSwitch::Throttling` alternates).
    pub throttled_last: bool,
}

pub struct SimState {
    inner: Mutex<Inner>,
}

/// How long an unused refresh token lives (§3: 90 days of inactivity).
pub const REFRESH_TOKEN_MAX_INACTIVE: Duration = Duration::days(90);
/// How long an authorization code can be redeemed (§1.2: about ten minutes).
pub const CODE_LIFETIME: Duration = Duration::minutes(10);

impl SimState {
    pub fn new(tenants: Vec<Tenant>) -> SimState {
        SimState {
            inner: Mutex::new(Inner {
                tenants,
                ..Default::default()
            }),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The simulator's time: real time moved forward by `advance`.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.lock().clock_offset
    }

    /// Moves the clock forward, so that expiry is tested without waiting.
    pub fn advance(&self, by: Duration) {
        self.lock().clock_offset += by;
    }

    /// The next request to `target` gets `fault` instead of its answer.
    pub fn inject(&self, target: FaultTarget, fault: Fault) {
        self.lock().faults.push_back((target, fault));
    }

    pub fn set_condition(&self, user_principal_name: &str, condition: Option<UserCondition>) {
        let mut inner = self.lock();
        let Some(id) = inner
            .tenants
            .iter()
            .flat_map(|t| &t.users)
            .find(|u| {
                u.user_principal_name
                    .eq_ignore_ascii_case(user_principal_name)
            })
            .map(|u| u.id.clone())
        else {
            return;
        };
        if condition == Some(UserCondition::Revoked) {
            let now = Utc::now() + inner.clock_offset;
            inner.revoked_at.insert(id.clone(), now);
        }
        match condition {
            Some(c) => inner.conditions.insert(id, c),
            None => inner.conditions.remove(&id),
        };
    }

    /// Switches a lasting misbehaviour on or off.
    pub fn set_switch(&self, switch: SimSwitch, on: bool) {
        let mut inner = self.lock();
        if on {
            inner.switches.insert(switch);
        } else {
            inner.switches.remove(&switch);
        }
        // Revoking a user's sessions ends their refresh tokens at once ("Refresh tokens in the
        // Microsoft identity platform", refresh-tokens.md, "Token revocation"). An access token
        // already issued stays valid until it expires, 60-90 minutes (access-tokens.md, "Token
        // lifetime"), unless the client negotiated CAE: then Graph refuses it with a claims
        // challenge (app-resilience-continuous-access-evaluation.md).
        let now = Utc::now() + inner.clock_offset;
        let newly_revoked = switch == SimSwitch::SignInRevoked && on;
        let without_teams = inner.switches.contains(&SimSwitch::MailboxWithoutTeams);
        let revoked = inner.switches.contains(&SimSwitch::SignInRevoked);
        let ids: Vec<String> = inner
            .tenants
            .iter_mut()
            .flat_map(|t| t.users.iter_mut())
            .map(|u| {
                u.without_teams_licence = without_teams;
                u.id.clone()
            })
            .collect();
        for id in ids {
            if newly_revoked {
                inner.revoked_at.insert(id.clone(), now);
            }
            if revoked {
                inner.conditions.insert(id, UserCondition::Revoked);
            } else if inner.conditions.get(&id) == Some(&UserCondition::Revoked) {
                inner.conditions.remove(&id);
            }
        }
    }

    /// Every switch and whether it is on.
    pub fn switches(&self) -> Vec<SimSwitchState> {
        let inner = self.lock();
        SimSwitch::ALL
            .iter()
            .map(|&switch| SimSwitchState {
                switch,
                on: inner.switches.contains(&switch),
            })
            .collect()
    }

    /// How long a `transactionId` is remembered from now on.
    pub fn set_transaction_memory(&self, memory: Option<Duration>) {
        self.lock().transaction_memory = memory;
    }

    pub fn auto_approve_as(&self, user_principal_name: Option<&str>) {
        self.lock().auto_approve = user_principal_name.map(str::to_string);
    }

    pub fn received(&self) -> Vec<Recorded> {
        self.lock().received.clone()
    }

    /// The events created so far, cancelled ones included.
    pub fn events(&self) -> Vec<SimEvent> {
        self.lock().events.clone()
    }

    pub fn online_meetings(&self) -> Vec<serde_json::Value> {
        self.lock().online_meetings.clone()
    }

    pub fn sent_mail(&self) -> Vec<serde_json::Value> {
        self.lock().sent_mail.clone()
    }

    /// Changes a tenant's configuration, e.g. a secret's expiry.
    pub fn with_tenants<T>(&self, f: impl FnOnce(&mut Vec<Tenant>) -> T) -> T {
        f(&mut self.lock().tenants)
    }
}

/// Which fault targets a request meets.
fn targets_of(method: &str, path: &str) -> &'static [FaultTarget] {
    if path.ends_with("/oauth2/v2.0/token") {
        &[FaultTarget::Token]
    } else if method == "POST" && path == "/v1.0/me/events" {
        &[FaultTarget::Graph, FaultTarget::EventCreate]
    } else if path.starts_with("/v1.0/") {
        &[FaultTarget::Graph]
    } else {
        &[]
    }
}

/// Records every request and answers with an injected fault where one waits for it.
pub async fn faults_and_recording(
    State(state): State<Arc<SimState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let fault = {
        let now = state.now();
        let mut inner = state.lock();
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or_default();
                let value = if name == axum::http::header::AUTHORIZATION {
                    value.split(' ').next().unwrap_or_default()
                } else {
                    value
                };
                (name.as_str().to_string(), value.to_string())
            })
            .collect();
        inner.received.push(Recorded {
            method: request.method().to_string(),
            path: path.clone(),
            query: request.uri().query().map(str::to_string),
            headers,
            at: now,
        });
        let targets = targets_of(request.method().as_str(), &path);
        let position = inner.faults.iter().position(|(t, _)| targets.contains(t));
        position
            .and_then(|i| inner.faults.remove(i))
            .or_else(|| lasting_fault(&mut inner, targets))
    };
    let Some((target, fault)) = fault else {
        return next.run(request).await;
    };
    let now = state.now();
    let error = |status: StatusCode, code: &str, message: &str| match target {
        FaultTarget::Graph | FaultTarget::EventCreate => graph_error(status, code, message, now),
        FaultTarget::Token => {
            aad_error(status, "temporarily_unavailable", 50002, message, None, now)
        }
    };
    match fault {
        Fault::TooManyRequests { retry_after } => {
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Please retry again later.",
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after) {
                r.headers_mut().insert("Retry-After", v);
            }
            r
        }
        Fault::InternalServerError => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            "An internal error occurred.",
        ),
        Fault::ServiceUnavailable { retry_after } => {
            let mut r = error(
                StatusCode::SERVICE_UNAVAILABLE,
                "serviceNotAvailable",
                "The service is temporarily unavailable.",
            );
            if let Some(v) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                r.headers_mut().insert("Retry-After", v);
            }
            r
        }
        Fault::GatewayTimeout => error(StatusCode::GATEWAY_TIMEOUT, "UnknownError", ""),
        Fault::DropAfterProcessing => {
            let _ = next.run(request).await;
            broken_response()
        }
        Fault::DropConnection => broken_response(),
        // Unwinding ends the connection's task, so the socket closes with nothing written;
        // `resume_unwind` skips the panic hook, so nothing is printed.
        Fault::DropBeforeHeaders => {
            std::panic::resume_unwind(Box::new("the simulator drops the connection"))
        }
        Fault::Slow { millis } => {
            tokio::time::sleep(StdDuration::from_millis(millis)).await;
            next.run(request).await
        }
        Fault::AccessDenied => error(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        ),
        Fault::TokenRefused => error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token has expired or is not yet valid.",
        ),
        Fault::Rewrite { field, value } => rewritten(next.run(request).await, &field, value).await,
        Fault::LargeBody { bytes } => {
            let mut body = String::from("{\"value\":[]}");
            body.push_str(&" ".repeat(bytes.saturating_sub(body.len())));
            (StatusCode::OK, [("Content-Type", "application/json")], body).into_response()
        }
        Fault::EndlessBody => {
            let start = futures_util::stream::once(async {
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"value\":["))
            });
            let padding = futures_util::stream::repeat_with(|| {
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(&[b' '; 16 * 1024]))
            });
            (
                StatusCode::OK,
                [("Content-Type", "application/json")],
                Body::from_stream(futures_util::StreamExt::chain(start, padding)),
            )
                .into_response()
        }
        Fault::MalformedJson => (
            StatusCode::OK,
            [("Content-Type", "application/json")],
            "{\"value\": [",
        )
            .into_response(),
    }
}

/// The fault a switched-on misbehaviour gives a request to `targets`, if any.
fn lasting_fault(inner: &mut Inner, targets: &[FaultTarget]) -> Option<(FaultTarget, Fault)> {
    if targets.contains(&FaultTarget::Graph)
        && inner.switches.contains(&SimSwitch::GraphUnreachable)
    {
        return Some((FaultTarget::Graph, Fault::DropBeforeHeaders));
    }
    if targets.contains(&FaultTarget::EventCreate)
        && inner.switches.contains(&SimSwitch::Throttling)
    {
        inner.throttled_last = !inner.throttled_last;
        if inner.throttled_last {
            let retry_after = THROTTLE_RETRY_AFTER.to_string();
            return Some((
                FaultTarget::EventCreate,
                Fault::TooManyRequests { retry_after },
            ));
        }
    }
    None
}

/// `answer` with the top-level `field` of its JSON body set to `value`; an answer that is not a
/// JSON object is passed on as it is.
async fn rewritten(answer: Response, field: &str, value: serde_json::Value) -> Response {
    let (mut parts, body) = answer.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return broken_response();
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut object)) => {
            object.insert(field.to_string(), value);
            serde_json::Value::Object(object).to_string().into_bytes()
        }
        _ => bytes.to_vec(),
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Headers go out, then the body fails: the client sees the connection break.
fn broken_response() -> Response {
    let broken = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("dropped"))
    });
    (StatusCode::OK, Body::from_stream(broken)).into_response()
}
