//! The token endpoint: the tenant, the app and its credentials are checked, then the grant is
//! redeemed: an authorization code here (with its PKCE verifier), a refresh token in `refresh`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::issue::issue_tokens;
use super::refresh::redeem_refresh_token;
use super::{declares_cp1, find_tenant, Params};
use crate::simulator::errors::aad_error;
use crate::simulator::model::{AppRegistration, Platform};
use crate::simulator::state::{SimState, UserCondition, CODE_LIFETIME};

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
    // The capability counts from the authorization request or from the token request: a
    // client may declare it with either.
    let cae = issued.auth.cae_capable || declares_cp1(p.get("claims"));
    if inner.conditions.get(&user_id) == Some(&UserCondition::ConsentMissing) {
        return bad("invalid_grant", 65001, &format!("The user or administrator has not consented to use the application with ID '{client_id}'. Send an interactive authorization request for this user and resource."), Some("consent_required"));
    }
    drop(inner);
    issue_tokens(state, tenant_id, client_id, &user_id, &scope, cae)
}

#[cfg(test)]
mod tests {
    use super::*;

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
