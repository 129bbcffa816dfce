//! Microsoft Graph v1.0 endpoints (§4). Every call needs a valid bearer token with its scope.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::errors::graph_error;
use super::model::SimUser;
use super::state::SimState;

/// The user behind the request's bearer token, or the 401/403 Graph answers with (§4.7, item 7).
pub fn authorize(
    state: &SimState,
    headers: &HeaderMap,
    scope: &str,
    forbidden_code: &str,
) -> Result<SimUser, Response> {
    let now = state.now();
    let unauthenticated = |message: &str| {
        Err(graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
            now,
        ))
    };
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if token.is_empty() {
        return unauthenticated("Access token is empty.");
    }
    let inner = state.lock();
    let Some(grant) = inner.access_tokens.get(token) else {
        return unauthenticated("CompactToken parsing failed with error code: 80049217");
    };
    if grant.expires_at <= now {
        return unauthenticated("Access token has expired or is not yet valid.");
    }
    if !grant.scopes.iter().any(|s| {
        s.eq_ignore_ascii_case(scope)
            || s.eq_ignore_ascii_case(&scope.replace(".Read", ".ReadWrite"))
    }) {
        let message = match forbidden_code {
            "ErrorAccessDenied" => "Access is denied. Check credentials and try again.",
            "Authorization_RequestDenied" => "Insufficient privileges to complete the operation.",
            _ => "",
        };
        return Err(graph_error(
            StatusCode::FORBIDDEN,
            forbidden_code,
            message,
            now,
        ));
    }
    inner
        .tenants
        .iter()
        .flat_map(|t| &t.users)
        .find(|u| u.id == grant.user_id)
        .cloned()
        .ok_or_else(|| {
            graph_error(
                StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                "The user does not exist.",
                now,
            )
        })
}

/// `GET /v1.0/me` (§4.2).
pub async fn me(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    let user = match authorize(&state, &headers, "User.Read", "Authorization_RequestDenied") {
        Ok(u) => u,
        Err(r) => return r,
    };
    Json(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": null,
        "mail": user.mail,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "de-DE",
        "surname": user.surname,
        "userPrincipalName": user.user_principal_name,
        "id": user.id,
    }))
    .into_response()
}
