//! The authorization request: tenant, app and redirect URI are checked first (an error page,
//! no redirect), then the request itself (an error sent back to the redirect URI).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::consent::{approve, consent_page};
use super::{declares_cp1, find_tenant, Params};
use crate::simulator::errors::error_page;
use crate::simulator::model::Platform;
use crate::simulator::state::{PendingAuthorization, SimState};

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
        cae_capable: declares_cp1(p.get("claims")),
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

pub(super) fn redirect_pairs(uri: &str, pairs: &[(&'static str, String)]) -> Response {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect_with(uri, &borrowed)
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
}
