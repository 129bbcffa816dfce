//! The token response both grants end in.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use serde_json::json;

use super::random_token;
use crate::simulator::errors::aad_error;
use crate::simulator::state::{AccessGrant, RefreshGrant, SimState};
use crate::simulator::PERSONAL_ACCOUNTS_TENANT;

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// A token response as in §1.4: a fresh access token (60-90 minutes), a new refresh token when
/// `offline_access` was asked for, an ID token when `openid` was. `cae`: the client declared
/// `cp1`, and the access token is one Graph refuses once the user's sessions are revoked.
pub(super) fn issue_tokens(
    state: &SimState,
    tenant_id: &str,
    client_id: &str,
    user_id: &str,
    scope: &str,
    cae: bool,
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
            issued_at: now,
            expires_at: now + Duration::seconds(expires_in),
            cae,
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
