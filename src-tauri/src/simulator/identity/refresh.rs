//! The refresh token grant: where a refresh token ends (inactivity, revocation, a policy asking
//! for MFA, consent or a new sign-in), or is exchanged for new tokens.

use axum::http::StatusCode;
use axum::response::Response;

use super::issue::issue_tokens;
use super::{declares_cp1, Params};
use crate::simulator::errors::aad_error;
use crate::simulator::state::{SimState, UserCondition, REFRESH_TOKEN_MAX_INACTIVE};

pub(super) fn redeem_refresh_token(state: &SimState, p: &Params, client_id: &str) -> Response {
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
    let cae = declares_cp1(p.get("claims"));
    issue_tokens(
        state,
        &grant.tenant_id,
        client_id,
        &grant.user_id,
        &scope,
        cae,
    )
}
