//! The interactive sign-in (B1, B2, B7) and the token refresh (B4), with the `oauth2` crate:
//! authorization code + PKCE S256 + `state`, redirect to the loopback listener, code exchange
//! and refresh from Rust (never from the webview, §2.1).

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, ExtraTokenFields, PkceCodeChallenge, RedirectUrl, RefreshToken, RequestTokenError,
    Scope, StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::bounded_body::{self, BodyError, TOKEN_LIMIT};
use super::errors::{AadErrorResponse, SignInError};
use super::loopback::{Callback, LoopbackError, LoopbackListener};
use super::PERSONAL_ACCOUNTS_TENANT;
use super::SCOPES;
use crate::crm::cloud::Endpoints;
use crate::crm::issuer::Issuer;
use crate::crm::settings::Language;
use crate::crm::sign_in::{Account, TokenSet};

/// The app registration a sign-in uses: from a mail configuration's Azure fields (A1).
#[derive(Clone)]
pub struct Registration {
    /// The mail configuration it is read from.
    pub mail_configuration_id: i64,
    pub endpoints: Endpoints,
    pub tenant: String,
    pub client_id: String,
    /// Set: a Web registration (confidential); none: a public client, PKCE only (§2.3).
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("mail_configuration_id", &self.mail_configuration_id)
            .field("endpoints", &self.endpoints)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

impl Registration {
    /// Who issues the tokens of a sign-in made with this registration.
    pub fn issuer(&self) -> Issuer {
        Issuer::new(
            self.mail_configuration_id,
            &self.endpoints,
            &self.client_id,
            &self.tenant,
        )
    }
}

/// The ID token of the token response (only its claims are read; Graph tokens are opaque).
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct IdTokenField {
    #[serde(default)]
    id_token: Option<String>,
}

impl std::fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdTokenField([redacted])")
    }
}

impl ExtraTokenFields for IdTokenField {}

pub type AadTokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;
type AadClient<HasAuthUrl> = oauth2::Client<
    AadErrorResponse,
    AadTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Opens the sign-in page: the system browser in the app (honouring `$BROWSER` as xdg-open does,
/// [`super::system_browser`]), a test's HTTP
/// client in tests.
pub trait Browser: Send + Sync {
    fn open(&self, url: &str) -> Result<(), String>;
}

pub struct SystemBrowser;

impl Browser for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        super::system_browser::open(url)
    }
}

/// How long the user has to finish the sign-in in the browser.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

fn base_client(reg: &Registration) -> AadClient<EndpointNotSet> {
    let client = oauth2::Client::new(ClientId::new(reg.client_id.clone()))
        .set_token_uri(TokenUrl::from_url(reg.endpoints.token_url(&reg.tenant)))
        .set_auth_type(AuthType::RequestBody);
    match &reg.client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
        None => client,
    }
}

/// Why the token endpoint's answer could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TokenHttpError {
    #[error(transparent)]
    Body(#[from] BodyError),
    #[error(transparent)]
    Request(#[from] reqwest::Error),
    #[error(transparent)]
    Http(#[from] oauth2::http::Error),
}

/// The token endpoint's HTTP client for `oauth2`: `http`, with the answer read through
/// [`bounded_body`] (at most [`TOKEN_LIMIT`] bytes).
async fn token_http(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, TokenHttpError> {
    let response = http.execute(request.try_into()?).await?;
    let mut answer = oauth2::http::Response::builder()
        .status(response.status())
        .version(response.version());
    for (name, value) in response.headers() {
        answer = answer.header(name, value);
    }
    let body = bounded_body::read(response, TOKEN_LIMIT).await?;
    Ok(answer.body(body)?)
}

/// [`token_http`] as `oauth2`'s client; a named type with a boxed future keeps the sign-in's
/// future `Send` (a closure here makes the compiler ask for `Send` for every lifetime).
struct BoundedTokenHttp<'a>(&'a reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for BoundedTokenHttp<'_> {
    type Error = TokenHttpError;
    type Future = std::pin::Pin<
        Box<
            dyn std::future::Future<Output = Result<oauth2::HttpResponse, TokenHttpError>>
                + Send
                + 'c,
        >,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(token_http(self.0, request))
    }
}

fn to_error(e: RequestTokenError<TokenHttpError, AadErrorResponse>) -> SignInError {
    match e {
        RequestTokenError::ServerResponse(r) => SignInError::from_response(&r),
        RequestTokenError::Request(TokenHttpError::Body(BodyError::TooLarge { limit })) => {
            SignInError::ResponseTooLarge { limit }
        }
        // The transport's text, without the URL; the body is never quoted (it may hold tokens).
        RequestTokenError::Request(TokenHttpError::Body(BodyError::Transport(e)))
        | RequestTokenError::Request(TokenHttpError::Request(e)) => {
            SignInError::Network(e.without_url().to_string())
        }
        RequestTokenError::Request(TokenHttpError::Http(e)) => SignInError::Network(e.to_string()),
        RequestTokenError::Parse(_, _) => SignInError::Other {
            error: "malformed_token_response".into(),
            codes: vec![],
        },
        RequestTokenError::Other(_) => SignInError::Other {
            error: "unexpected_token_response".into(),
            codes: vec![],
        },
    }
}

/// The longest access-token lifetime the identity platform issues: at most one day by policy,
/// up to 28 hours for clients with continuous access evaluation ("Configurable token lifetimes",
/// MicrosoftDocs/entra-docs docs/identity-platform/configurable-token-lifetimes.md). A larger
/// `expires_in` is no lifetime Microsoft gives and is cut to this, so the time it gives is always
/// a time (an `expires_in` of 10^15 seconds is past the end of the calendar).
pub const MAX_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(28 * 3600);

/// The tokens of an answer, with `expires_in` (default one hour) as a time after `now`.
pub fn token_set(r: &AadTokenResponse, now: DateTime<Utc>) -> TokenSet {
    let lifetime = r
        .expires_in()
        .unwrap_or(Duration::from_secs(3600))
        .min(MAX_ACCESS_TOKEN_LIFETIME);
    let lifetime = chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::hours(1));
    TokenSet {
        access_token: r.access_token().secret().clone(),
        refresh_token: r.refresh_token().map(|t| t.secret().clone()),
        expires_at: now.checked_add_signed(lifetime).unwrap_or(now),
    }
}

/// The account named by an ID token's claims; a personal Microsoft account is refused (B7).
pub fn account_from_id_token(id_token: Option<&str>) -> Result<Account, SignInError> {
    #[derive(Deserialize)]
    struct Claims {
        tid: String,
        #[serde(default)]
        preferred_username: String,
        #[serde(default)]
        name: String,
    }
    let claims: Claims = id_token
        .and_then(|t| t.split('.').nth(1))
        .and_then(|p| URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or(SignInError::Other {
            error: "missing_id_token".into(),
            codes: vec![],
        })?;
    if claims.tid == PERSONAL_ACCOUNTS_TENANT {
        return Err(SignInError::PersonalAccount);
    }
    Ok(Account {
        user_principal_name: claims.preferred_username,
        display_name: claims.name,
        tenant_id: claims.tid,
    })
}

/// The AADSTS number at the start of an authorize error's description, e.g. "AADSTS65004: ...".
pub fn aadsts_code(description: &str) -> Vec<u32> {
    description
        .strip_prefix("AADSTS")
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .into_iter()
        .collect()
}

/// The interactive sign-in: opens the browser at the authorize endpoint and waits for the
/// redirect on the loopback listener, then redeems the code.
pub async fn sign_in(
    http: &reqwest::Client,
    reg: &Registration,
    browser: &dyn Browser,
    language: Language,
    timeout: Duration,
    cancel: oneshot::Receiver<()>,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<(Account, TokenSet), SignInError> {
    let listener = LoopbackListener::bind()
        .await
        .map_err(|e| SignInError::Network(e.to_string()))?;
    let redirect = RedirectUrl::new(listener.redirect_uri()).map_err(|e| SignInError::Other {
        error: e.to_string(),
        codes: vec![],
    })?;
    let client = base_client(reg)
        .set_auth_uri(AuthUrl::from_url(reg.endpoints.authorize_url(&reg.tenant)))
        .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(SCOPES.iter().map(|s| Scope::new(s.to_string())))
        .set_pkce_challenge(challenge)
        .url();
    browser.open(url.as_str()).map_err(SignInError::Browser)?;
    tracing::info!(
        port = listener.port(),
        "waiting for the sign-in in the browser"
    );

    let callback = listener
        .wait(state.secret(), timeout, cancel, language)
        .await
        .map_err(|e| match e {
            LoopbackError::Timeout => SignInError::Timeout,
            LoopbackError::Cancelled => SignInError::Cancelled,
            LoopbackError::StateMismatch => SignInError::StateMismatch,
            LoopbackError::Malformed => SignInError::Other {
                error: "malformed_callback".into(),
                codes: vec![],
            },
            LoopbackError::Io(e) => SignInError::Network(e),
        })?;
    let code = match callback {
        Callback::Code { code, .. } => code,
        Callback::Error {
            error, description, ..
        } => {
            return Err(SignInError::from_response(&AadErrorResponse {
                error_codes: aadsts_code(&description),
                error,
                ..Default::default()
            }))
        }
    };
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&BoundedTokenHttp(http))
        .await
        .map_err(to_error)?;
    let account = account_from_id_token(response.extra_fields().id_token.as_deref())?;
    Ok((account, token_set(&response, now())))
}

/// Redeems the refresh token for new tokens (B4); the answer carries a new refresh token.
pub async fn refresh(
    http: &reqwest::Client,
    reg: &Registration,
    refresh_token: &str,
    now: DateTime<Utc>,
) -> Result<TokenSet, SignInError> {
    let token = RefreshToken::new(refresh_token.to_string());
    let response = base_client(reg)
        .exchange_refresh_token(&token)
        .add_scopes(SCOPES.iter().map(|s| Scope::new(s.to_string())))
        .request_async(&BoundedTokenHttp(http))
        .await
        .map_err(to_error)?;
    Ok(token_set(&response, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_token(claims: serde_json::Value) -> String {
        format!("e30.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    #[test]
    fn a_work_account_is_read_from_the_id_token() {
        let t = id_token(
            serde_json::json!({"tid": "abc", "preferred_username": "anna@contoso.example", "name": "Anna"}),
        );
        let a = account_from_id_token(Some(&t)).unwrap();
        assert_eq!(a.user_principal_name, "anna@contoso.example");
        assert_eq!(a.tenant_id, "abc");
    }

    #[test]
    fn a_personal_account_is_refused() {
        let t = id_token(
            serde_json::json!({"tid": PERSONAL_ACCOUNTS_TENANT, "preferred_username": "x@outlook.com"}),
        );
        assert_eq!(
            account_from_id_token(Some(&t)),
            Err(SignInError::PersonalAccount)
        );
        assert!(account_from_id_token(None).is_err());
    }

    #[test]
    fn the_aadsts_number_is_read_from_a_description() {
        assert_eq!(
            aadsts_code("AADSTS65004: User declined to consent"),
            vec![65004]
        );
        assert_eq!(aadsts_code("no code"), Vec::<u32>::new());
    }
}
