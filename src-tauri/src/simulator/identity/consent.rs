//! The simulated sign-in and consent page, and what the user chose on it: an account (a code
//! sent to the redirect URI) or cancel (access_denied).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};

use super::authorize::redirect_pairs;
use super::{random_token, Params};
use crate::simulator::errors::{error_page, html_escape};
use crate::simulator::model::SimUser;
use crate::simulator::state::{IssuedCode, SimState};

/// The sign-in and consent page: one link per account, and a cancel link.
pub(super) fn consent_page(tenant_id: &str, tx: &str, users: &[SimUser]) -> Response {
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

pub(super) fn approve(state: &SimState, tx: &str, user_id: &str) -> Response {
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
