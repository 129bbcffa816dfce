//! `/authorize` and `/token` of the identity platform v2 (§1, §2, fidelity checklist 1-6).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::Duration;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::errors::{aad_error, error_page, html_escape};
use super::model::{AppRegistration, Platform, SimUser, Tenant};
use super::state::{
    AccessGrant, IssuedCode, PendingAuthorization, RefreshGrant, SimState, UserCondition,
    CODE_LIFETIME, REFRESH_TOKEN_MAX_INACTIVE,
};
use super::PERSONAL_ACCOUNTS_TENANT;

type Params = HashMap<String, String>;

fn random_token(prefix: &str) -> String {
    format!(
        "{prefix}.{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The tenant a path segment names: its GUID or domain, or (for `organizations`/`common`) the
/// tenant that registered `client_id`.
fn find_tenant<'a>(tenants: &'a [Tenant], segment: &str, client_id: &str) -> Option<&'a Tenant> {
    let s = segment.to_ascii_lowercase();
    if s == "organizations" || s == "common" {
        return tenants
            .iter()
            .find(|t| t.apps.iter().any(|a| a.client_id == client_id));
    }
    tenants
        .iter()
        .find(|t| t.id == s || t.domain.eq_ignore_ascii_case(&s))
}

/// Whether `requested` matches a registered redirect URI: exact, except that the port of an
/// http loopback URI is ignored (§2.1); host and path must still match.
pub fn redirect_uri_matches(registered: &str, requested: &str) -> bool {
    let (Ok(reg), Ok(req)) = (url::Url::parse(registered), url::Url::parse(requested)) else {
        return false;
    };
    let loopback = matches!(req.host_str(), Some("localhost" | "127.0.0.1"));
    if req.scheme() == "http" && loopback {
        reg.scheme() == "http"
            && reg.host_str() == req.host_str()
            && reg.path() == req.path()
            && req.query().is_none()
    } else {
        registered == requested
    }
}

fn redirect_with(uri: &str, pairs: &[(&str, &str)]) -> Response {
    let mut url = match url::Url::parse(uri) {
        Ok(u) => u,
        Err(_) => return error_page(50011, "The redirect URI is not valid."),
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

pub async fn authorize(
    State(state): State<Arc<SimState>>,
    Path(tenant): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let client_id = p.get("client_id").cloned().unwrap_or_default();
    let redirect_uri = p.get("redirect_uri").cloned().unwrap_or_default();
    let mut inner = state.lock();
    let Some(t) = find_tenant(&inner.tenants, &tenant, &client_id) else {
        return error_page(90002, &format!("Tenant '{tenant}' not found."));
    };
    let Some(app) = t.apps.iter().find(|a| a.client_id == client_id) else {
        return error_page(
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{}'.",
                t.domain
            ),
        );
    };
    if !app
        .redirect_uris
        .iter()
        .any(|r| redirect_uri_matches(r, &redirect_uri))
    {
        return error_page(
            50011,
            &format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'."
            ),
        );
    }
    let st = p.get("state").cloned();
    let with_state = |mut pairs: Vec<(&'static str, String)>| {
        if let Some(s) = &st {
            pairs.push(("state", s.clone()));
        }
        pairs
    };
    if p.get("response_type").map(String::as_str) != Some("code") {
        let pairs = with_state(vec![
            ("error", "unsupported_response_type".into()),
            (
                "error_description",
                "AADSTS70005: response_type 'token' is not enabled for the application.".into(),
            ),
        ]);
        return redirect_pairs(&redirect_uri, &pairs);
    }
    // Microsoft's auth code flow page (identity-platform/v2-oauth2-auth-code-flow.md) pairs the
    // flow with PKCE for desktop and mobile apps and enforces it for single-page apps; the
    // simulator is as strict with every public client, so the app can never drop PKCE unseen.
    if app.platform == Platform::MobileAndDesktop
        && p.get("code_challenge").is_none_or(|c| c.is_empty())
    {
        let pairs = with_state(vec![
            ("error", "invalid_request".into()),
            (
                "error_description",
                "AADSTS900144: The request body must contain the following parameter: 'code_challenge'."
                    .into(),
            ),
        ]);
        return redirect_pairs(&redirect_uri, &pairs);
    }
    if p.get("scope").is_none_or(|s| s.trim().is_empty()) {
        let pairs = with_state(vec![
            ("error", "invalid_request".into()),
            (
                "error_description",
                "AADSTS900144: The request body must contain the following parameter: 'scope'."
                    .into(),
            ),
        ]);
        return redirect_pairs(&redirect_uri, &pairs);
    }
    if p.get("prompt").map(String::as_str) == Some("none") {
        let pairs = with_state(vec![
            ("error", "login_required".into()),
            (
                "error_description",
                "AADSTS50058: A silent sign-in request was sent but no user is signed in.".into(),
            ),
        ]);
        return redirect_pairs(&redirect_uri, &pairs);
    }
    let pending = PendingAuthorization {
        tenant_id: t.id.clone(),
        client_id,
        redirect_uri,
        scope: p.get("scope").cloned().unwrap_or_default(),
        state: st,
        code_challenge: p.get("code_challenge").cloned(),
        // Without a method a challenge is taken as plain (§1.2).
        code_challenge_method: p
            .get("code_challenge_method")
            .cloned()
            .unwrap_or_else(|| "plain".into()),
    };
    let users = t.users.clone();
    let tenant_id = t.id.clone();
    let auto = inner.auto_approve.clone();
    let tx = uuid::Uuid::new_v4().simple().to_string();
    inner.pending.insert(tx.clone(), pending);
    drop(inner);
    if let Some(upn) = auto {
        if let Some(u) = users
            .iter()
            .find(|u| u.user_principal_name.eq_ignore_ascii_case(&upn))
        {
            return approve(&state, &tx, &u.id);
        }
    }
    consent_page(&tenant_id, &tx, &users)
}

fn redirect_pairs(uri: &str, pairs: &[(&'static str, String)]) -> Response {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect_with(uri, &borrowed)
}

/// The sign-in and consent page: one link per account, and a cancel link.
fn consent_page(tenant_id: &str, tx: &str, users: &[SimUser]) -> Response {
    let base = format!("/{tenant_id}/oauth2/v2.0/authorize/decide?tx={tx}");
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Microsoft 365 simulator: sign in</title>\
         <style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}a{display:block;margin:.5rem 0;padding:.6rem;border:1px solid #ccc;border-radius:6px;text-decoration:none}</style>\
         </head><body><h1>Sign in (Microsoft 365 simulator)</h1>\
         <p>Treffpunkt asks for: sign you in, read your profile, read and write your calendars (meetings with their Teams links), keep access.</p>",
    );
    for u in users {
        html.push_str(&format!(
            "<a class=\"account\" data-upn=\"{upn}\" href=\"{base}&amp;user={id}\">Accept as {name} ({upn})</a>",
            upn = html_escape(&u.user_principal_name),
            id = html_escape(&u.id),
            name = html_escape(&u.display_name),
        ));
    }
    html.push_str(&format!(
        "<a class=\"cancel\" href=\"{base}&amp;cancel=1\">Cancel</a></body></html>"
    ));
    Html(html).into_response()
}

pub async fn decide(State(state): State<Arc<SimState>>, Query(p): Query<Params>) -> Response {
    let tx = p.get("tx").cloned().unwrap_or_default();
    if p.contains_key("cancel") {
        let Some(pending) = state.lock().pending.remove(&tx) else {
            return error_page(900561, "The sign-in request is no longer valid.");
        };
        let mut pairs = vec![
            ("error", "access_denied".to_string()),
            (
                "error_description",
                "AADSTS65004: User declined to consent to access the app.".to_string(),
            ),
        ];
        if let Some(s) = pending.state {
            pairs.push(("state", s));
        }
        return redirect_pairs(&pending.redirect_uri, &pairs);
    }
    approve(
        &state,
        &tx,
        p.get("user").map(String::as_str).unwrap_or_default(),
    )
}

fn approve(state: &SimState, tx: &str, user_id: &str) -> Response {
    let now = state.now();
    let mut inner = state.lock();
    let Some(pending) = inner.pending.remove(tx) else {
        return error_page(900561, "The sign-in request is no longer valid.");
    };
    let code = random_token("code");
    let mut pairs = vec![("code", code.clone())];
    if let Some(s) = &pending.state {
        pairs.push(("state", s.clone()));
    }
    let uri = pending.redirect_uri.clone();
    inner.codes.insert(
        code,
        IssuedCode {
            auth: pending,
            user_id: user_id.to_string(),
            issued_at: now,
            redeemed: false,
        },
    );
    drop(inner);
    redirect_pairs(&uri, &pairs)
}

/// The client's credentials as sent: in the form or as HTTP Basic (§1.3).
fn client_credentials(p: &Params, headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(basic) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
    {
        if let Some((id, secret)) = basic.split_once(':') {
            let id = urlencoding_decode(id);
            return (id, Some(urlencoding_decode(secret)));
        }
    }
    (
        p.get("client_id").cloned().unwrap_or_default(),
        p.get("client_secret").cloned(),
    )
}

fn urlencoding_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Public clients must not send a secret; Web registrations must send a valid, unexpired one
/// (§2.3).
fn check_client(
    app: &AppRegistration,
    secret: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Response> {
    let unauthorized = |code: u32, message: &str| {
        Err(aad_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            code,
            message,
            None,
            now,
        ))
    };
    match (app.platform, secret) {
        (Platform::MobileAndDesktop, Some(_)) => unauthorized(
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        ),
        (Platform::MobileAndDesktop, None) => Ok(()),
        (Platform::Web, None) => unauthorized(
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ),
        (Platform::Web, Some(given)) => match &app.secret {
            Some(s) if s.value == given && s.expires_at > now => Ok(()),
            Some(s) if s.value == given => unauthorized(
                7000222,
                &format!("The provided client secret keys for app '{}' are expired.", app.client_id),
            ),
            _ => unauthorized(
                7000215,
                &format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.", app.client_id),
            ),
        },
    }
}

fn pkce_matches(challenge: &str, method: &str, verifier: &str) -> bool {
    match method {
        "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge,
        _ => verifier == challenge,
    }
}

pub async fn token(
    State(state): State<Arc<SimState>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(p): Form<Params>,
) -> Response {
    let now = state.now();
    let bad = |error: &str, code: u32, message: &str| {
        aad_error(StatusCode::BAD_REQUEST, error, code, message, None, now)
    };
    let (client_id, secret) = client_credentials(&p, &headers);
    let inner = state.lock();
    let Some(t) = find_tenant(&inner.tenants, &tenant, &client_id) else {
        return bad(
            "invalid_request",
            90002,
            &format!("Tenant '{tenant}' not found."),
        );
    };
    let Some(app) = t.apps.iter().find(|a| a.client_id == client_id).cloned() else {
        return bad(
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{}'.",
                t.domain
            ),
        );
    };
    let tenant_id = t.id.clone();
    drop(inner);
    if let Err(r) = check_client(&app, secret.as_deref(), now) {
        return r;
    }
    match p.get("grant_type").map(String::as_str) {
        Some("authorization_code") => redeem_code(&state, &p, &tenant_id, &client_id),
        Some("refresh_token") => redeem_refresh_token(&state, &p, &client_id),
        Some(other) => bad(
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
        None => bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ),
    }
}

fn redeem_code(state: &SimState, p: &Params, tenant_id: &str, client_id: &str) -> Response {
    let now = state.now();
    let bad = |error: &str, code: u32, message: &str, sub: Option<&str>| {
        aad_error(StatusCode::BAD_REQUEST, error, code, message, sub, now)
    };
    let code = p.get("code").cloned().unwrap_or_default();
    let mut inner = state.lock();
    let Some(issued) = inner.codes.get_mut(&code) else {
        return bad(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
            None,
        );
    };
    if issued.redeemed {
        return bad("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.", None);
    }
    if now - issued.issued_at > CODE_LIFETIME {
        return bad("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.", None);
    }
    if issued.auth.client_id != client_id || issued.auth.tenant_id != tenant_id {
        return bad(
            "invalid_grant",
            70000,
            "The provided value for the 'code' parameter is not valid.",
            None,
        );
    }
    if p.get("redirect_uri") != Some(&issued.auth.redirect_uri) {
        return bad("invalid_grant", 70000, "The provided value for the input parameter 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.", None);
    }
    if let Some(challenge) = &issued.auth.code_challenge {
        match p.get("code_verifier") {
            None => return bad("invalid_request", 900144, "The request body must contain the following parameter: 'code_verifier'.", None),
            Some(v) if !pkce_matches(challenge, &issued.auth.code_challenge_method, v) => {
                return bad("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.", None)
            }
            Some(_) => {}
        }
    }
    issued.redeemed = true;
    let (user_id, scope) = (issued.user_id.clone(), issued.auth.scope.clone());
    if inner.conditions.get(&user_id) == Some(&UserCondition::ConsentMissing) {
        return bad("invalid_grant", 65001, &format!("The user or administrator has not consented to use the application with ID '{client_id}'. Send an interactive authorization request for this user and resource."), Some("consent_required"));
    }
    drop(inner);
    issue_tokens(state, tenant_id, client_id, &user_id, &scope)
}

fn redeem_refresh_token(state: &SimState, p: &Params, client_id: &str) -> Response {
    let now = state.now();
    let bad = |code: u32, message: &str, sub: Option<&str>| {
        aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            code,
            message,
            sub,
            now,
        )
    };
    let rt = p.get("refresh_token").cloned().unwrap_or_default();
    let inner = state.lock();
    let Some(grant) = inner.refresh_tokens.get(&rt).cloned() else {
        return bad(
            9002313,
            "Invalid request. Request is malformed or invalid.",
            None,
        );
    };
    if grant.client_id != client_id {
        return bad(
            70000,
            "The provided value for the 'refresh_token' parameter is not valid.",
            None,
        );
    }
    let condition = inner.conditions.get(&grant.user_id).copied();
    drop(inner);
    if now - grant.issued_at > REFRESH_TOKEN_MAX_INACTIVE {
        return bad(700082, &format!("The refresh token has expired due to inactivity. The token was issued on {} and was inactive for 90.00:00:00.", grant.issued_at.to_rfc3339()), None);
    }
    match condition {
        Some(UserCondition::Revoked) => return bad(50173, &format!("The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{}'.", grant.issued_at.to_rfc3339()), None),
        Some(UserCondition::MfaRequired) => return bad(50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.", Some("basic_action")),
        Some(UserCondition::ConsentMissing) => return bad(65001, &format!("The user or administrator has not consented to use the application with ID '{client_id}'."), Some("consent_required")),
        Some(UserCondition::SignInFrequency) => return bad(70043, "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on a date and the maximum allowed lifetime for this request is 2592000.", None),
        None => {}
    }
    let scope = p
        .get("scope")
        .cloned()
        .unwrap_or_else(|| grant.scopes.join(" "));
    issue_tokens(state, &grant.tenant_id, client_id, &grant.user_id, &scope)
}

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// A token response as in §1.4: a fresh access token (60-90 minutes), a new refresh token when
/// `offline_access` was asked for, an ID token when `openid` was.
fn issue_tokens(
    state: &SimState,
    tenant_id: &str,
    client_id: &str,
    user_id: &str,
    scope: &str,
) -> Response {
    let now = state.now();
    let requested: Vec<String> = scope
        .split_whitespace()
        .map(|s| {
            // "https://graph.microsoft.com/User.Read" names the same scope as "User.Read".
            s.rsplit('/').next().unwrap_or(s).to_string()
        })
        .collect();
    let graph_scopes: Vec<String> = requested
        .iter()
        .filter(|s| !OIDC_SCOPES.contains(&s.as_str()))
        .cloned()
        .collect();
    let expires_in = 3600 + fastrand::i64(0..=1800);
    let access_token = random_token("at");
    let mut inner = state.lock();
    let Some(user) = inner
        .tenants
        .iter()
        .flat_map(|t| &t.users)
        .find(|u| u.id == user_id)
        .cloned()
    else {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            50034,
            "The user account does not exist in the directory.",
            None,
            now,
        );
    };
    inner.access_tokens.insert(
        access_token.clone(),
        AccessGrant {
            user_id: user_id.into(),
            scopes: graph_scopes.clone(),
            expires_at: now + Duration::seconds(expires_in),
        },
    );
    let mut echoed = graph_scopes.clone();
    echoed.extend(
        requested
            .iter()
            .filter(|s| *s == "profile" || *s == "openid")
            .cloned(),
    );
    let mut body = json!({
        "token_type": "Bearer",
        "scope": echoed.join(" "),
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": access_token,
    });
    if requested.iter().any(|s| s == "offline_access") {
        let rt = random_token("rt");
        inner.refresh_tokens.insert(
            rt.clone(),
            RefreshGrant {
                tenant_id: tenant_id.into(),
                client_id: client_id.into(),
                user_id: user_id.into(),
                scopes: requested.clone(),
                issued_at: now,
            },
        );
        body["refresh_token"] = json!(rt);
    }
    if requested.iter().any(|s| s == "openid") {
        let tid = if user.personal {
            PERSONAL_ACCOUNTS_TENANT
        } else {
            tenant_id
        };
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"none"}"#);
        let claims = json!({
            "aud": client_id, "tid": tid, "oid": user.id, "name": user.display_name,
            "preferred_username": user.user_principal_name, "ver": "2.0",
            "iat": now.timestamp(), "nbf": now.timestamp(), "exp": now.timestamp() + 3600,
        });
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        body["id_token"] = json!(format!("{header}.{payload}."));
    }
    (StatusCode::OK, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_ports_are_ignored_but_host_and_path_count() {
        assert!(redirect_uri_matches(
            "http://localhost",
            "http://localhost:49686"
        ));
        assert!(redirect_uri_matches(
            "http://localhost",
            "http://localhost:49686/"
        ));
        assert!(redirect_uri_matches(
            "http://127.0.0.1",
            "http://127.0.0.1:5000/"
        ));
        assert!(!redirect_uri_matches(
            "http://localhost",
            "http://127.0.0.1:5000/"
        ));
        assert!(!redirect_uri_matches(
            "http://localhost/app",
            "http://localhost:5000/other"
        ));
        assert!(!redirect_uri_matches(
            "https://app.example/cb",
            "https://app.example/cb2"
        ));
        assert!(redirect_uri_matches(
            "https://app.example/cb",
            "https://app.example/cb"
        ));
    }

    #[test]
    fn pkce_s256_as_in_rfc_7636() {
        // RFC 7636, appendix B.
        assert!(pkce_matches(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!pkce_matches(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "S256",
            "other"
        ));
        assert!(pkce_matches("plain-value", "plain", "plain-value"));
    }
}
