//! The simulator against the reference (`reference/microsoft-365.md`, fidelity checklist §7):
//! paths, parameters, status codes, JSON shapes, error bodies, and the injected faults (G1).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use treffpunkt::simulator::{
    AppRegistration, Fault, FaultTarget, Platform, SimUser, Simulator, Tenant,
};

const APP: &str = "11111111-1111-4111-8111-111111111111";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const UPN: &str = "anna@contoso.onmicrosoft.com";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT: &str = "http://127.0.0.1:5555/";
const SCOPES: &str =
    "openid profile offline_access User.Read OnlineMeetings.ReadWrite Calendars.ReadWrite";

async fn sim() -> Simulator {
    let tenant = Tenant {
        id: TENANT.into(),
        domain: "contoso.onmicrosoft.com".into(),
        apps: vec![AppRegistration {
            client_id: APP.into(),
            platform: Platform::MobileAndDesktop,
            secret: None,
            redirect_uris: vec!["http://127.0.0.1".into()],
        }],
        users: vec![SimUser::work(UPN, "Anna", "Schmidt")],
    };
    let sim = Simulator::start(0, vec![tenant]).await.unwrap();
    sim.state.auto_approve_as(Some(UPN));
    sim
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

async fn authorize(sim: &Simulator, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut url = reqwest::Url::parse(&format!(
        "{}/{TENANT}/oauth2/v2.0/authorize",
        sim.base_url()
    ))
    .unwrap();
    let challenge = challenge();
    let mut pairs: Vec<(&str, &str)> = vec![
        ("client_id", APP),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", SCOPES),
        ("state", "st4te"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v));
    }
    url.query_pairs_mut().extend_pairs(pairs);
    http().get(url).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> reqwest::Url {
    reqwest::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap()
}

fn param(url: &reqwest::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn code(sim: &Simulator, scope: &str) -> String {
    let r = authorize(sim, &[("scope", scope)]).await;
    assert_eq!(r.status(), 303);
    param(&location(&r), "code").unwrap()
}

async fn token_request(sim: &Simulator, form: &[(&str, &str)]) -> (u16, Value) {
    let r = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", sim.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn redeem(sim: &Simulator, code: &str) -> (u16, Value) {
    token_request(
        sim,
        &[
            ("client_id", APP),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

async fn access_token(sim: &Simulator, scope: &str) -> String {
    let c = code(sim, scope).await;
    redeem(sim, &c).await.1["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Asserts the §1.6 shape and returns the code.
fn assert_aad_error(body: &Value, error: &str, code: u32) {
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], json!([code]), "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    for line in ["\r\nTrace ID: ", "\r\nCorrelation ID: ", "\r\nTimestamp: "] {
        assert!(description.contains(line), "{description}");
    }
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(body[field].is_string(), "{field} missing: {body}");
    }
    assert_eq!(
        body["error_uri"],
        format!("https://login.microsoftonline.com/error?code={code}")
    );
}

#[tokio::test]
async fn authorize_redirects_with_code_and_state_to_any_loopback_port() {
    let sim = sim().await;
    let r = authorize(&sim, &[]).await;
    let to = location(&r);
    assert_eq!(to.origin().ascii_serialization(), "http://127.0.0.1:5555");
    assert_eq!(to.path(), "/");
    assert_eq!(param(&to, "state").as_deref(), Some("st4te"));
    assert!(param(&to, "code").is_some());
}

#[tokio::test]
async fn authorize_refuses_what_it_cannot_redirect() {
    let sim = sim().await;
    let r = authorize(&sim, &[("redirect_uri", "http://localhost:5555/")]).await;
    assert_eq!(
        r.status(),
        400,
        "not registered: an error page, no redirect"
    );
    assert!(r.text().await.unwrap().contains("AADSTS50011"));
    let r = authorize(
        &sim,
        &[("client_id", "99999999-9999-4999-8999-999999999999")],
    )
    .await;
    assert!(r.text().await.unwrap().contains("AADSTS700016"));

    let r = authorize(&sim, &[("response_type", "token")]).await;
    let to = location(&r);
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("unsupported_response_type")
    );
    assert_eq!(param(&to, "state").as_deref(), Some("st4te"));
    let r = authorize(&sim, &[("prompt", "none")]).await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("login_required")
    );
}

#[tokio::test]
async fn the_token_response_has_the_documented_fields() {
    let sim = sim().await;
    let c = code(&sim, SCOPES).await;
    let (status, body) = redeem(&sim, &c).await;
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "Bearer");
    let expires = body["expires_in"].as_i64().unwrap();
    assert!((3600..=5400).contains(&expires), "{expires}");
    assert_eq!(body["ext_expires_in"], body["expires_in"]);
    assert!(body["refresh_token"].is_string() && body["id_token"].is_string());
    let scope = body["scope"].as_str().unwrap();
    assert!(
        scope.contains("User.Read") && !scope.contains("offline_access"),
        "{scope}"
    );

    // Without offline_access no refresh token; without openid no ID token.
    let c = code(&sim, "User.Read").await;
    let (_, body) = redeem(&sim, &c).await;
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
}

#[tokio::test]
async fn code_redemption_errors() {
    let sim = sim().await;
    let c = code(&sim, SCOPES).await;
    assert_eq!(redeem(&sim, &c).await.0, 200);
    let (status, body) = redeem(&sim, &c).await;
    assert_eq!(status, 400);
    assert_aad_error(&body, "invalid_grant", 54005);

    let c = code(&sim, SCOPES).await;
    let (_, body) = token_request(
        &sim,
        &[
            ("client_id", APP),
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("code_verifier", "x".repeat(43).as_str()),
        ],
    )
    .await;
    assert_aad_error(&body, "invalid_grant", 501481);
    let c = code(&sim, SCOPES).await;
    let (_, body) = token_request(
        &sim,
        &[
            ("client_id", APP),
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_aad_error(&body, "invalid_request", 900144);

    let c = code(&sim, SCOPES).await;
    sim.state.advance(chrono::Duration::minutes(11));
    assert_aad_error(&redeem(&sim, &c).await.1, "invalid_grant", 70008);

    let (status, body) = token_request(
        &sim,
        &[
            ("client_id", APP),
            ("client_secret", "x"),
            ("grant_type", "authorization_code"),
            ("code", "c"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_aad_error(&body, "invalid_client", 700025);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_old_ones_stay_valid() {
    let sim = sim().await;
    let c = code(&sim, SCOPES).await;
    let first = redeem(&sim, &c).await.1["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let refresh = |rt: String| {
        let sim = &sim;
        async move {
            token_request(
                sim,
                &[
                    ("client_id", APP),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &rt),
                ],
            )
            .await
        }
    };
    let (status, body) = refresh(first.clone()).await;
    assert_eq!(status, 200);
    let second = body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    assert_eq!(
        refresh(first).await.0,
        200,
        "the old one is not revoked by use (identity platform: refresh-tokens.md)"
    );
    sim.state.advance(chrono::Duration::days(91));
    assert_aad_error(&refresh(second).await.1, "invalid_grant", 700082);
}

async fn graph(
    sim: &Simulator,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut r = http().request(method, format!("{}/v1.0/{path}", sim.base_url()));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let response = r.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn assert_graph_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string());
    assert!(body["error"]["innerError"]["request-id"].is_string());
    assert!(body["error"]["innerError"]["date"].is_string());
}

#[tokio::test]
async fn graph_refuses_missing_bad_and_expired_tokens() {
    let sim = sim().await;
    let (status, _, body) = graph(&sim, reqwest::Method::GET, "me", None, None).await;
    assert_eq!(status, 401);
    assert_graph_error(&body, "InvalidAuthenticationToken");
    assert_eq!(body["error"]["message"], "Access token is empty.");
    let (_, _, body) = graph(&sim, reqwest::Method::GET, "me", Some("garbage"), None).await;
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("CompactToken parsing failed"));

    let token = access_token(&sim, SCOPES).await;
    let (status, _, me) = graph(&sim, reqwest::Method::GET, "me", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(me["userPrincipalName"], UPN);
    assert_eq!(
        me["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
    );
    for field in [
        "businessPhones",
        "displayName",
        "givenName",
        "id",
        "jobTitle",
        "mail",
        "mobilePhone",
        "officeLocation",
        "preferredLanguage",
        "surname",
    ] {
        assert!(me.get(field).is_some(), "{field}");
    }
    // Mail.Send was never asked for.
    let (status, _, body) = graph(
        &sim,
        reqwest::Method::POST,
        "me/sendMail",
        Some(&token),
        Some(json!({"message": {}})),
    )
    .await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "ErrorAccessDenied");

    sim.state.advance(chrono::Duration::hours(2));
    let (status, _, body) = graph(&sim, reqwest::Method::GET, "me", Some(&token), None).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["message"],
        "Access token has expired or is not yet valid."
    );
}

/// Revoking a user's sessions ends the refresh tokens at once ("Refresh tokens in the Microsoft
/// identity platform", refresh-tokens.md, "Token revocation"). An access token already issued
/// stays valid until it expires ("Access tokens", access-tokens.md, "Token lifetime"), unless the
/// client declared `cp1` and so holds a CAE token: Graph then refuses it with 401 and a claims
/// challenge (claims-challenge.md; app-resilience-continuous-access-evaluation.md).
#[tokio::test]
async fn after_a_revocation_only_a_cae_token_is_refused_before_it_expires() {
    use base64::engine::general_purpose::STANDARD;
    use treffpunkt::simulator::SimSwitch;
    let sim = sim().await;
    let plain_code = code(&sim, SCOPES).await;
    let (_, plain) = redeem(&sim, &plain_code).await;
    let cp1 = r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#;
    let r = authorize(&sim, &[("claims", cp1)]).await;
    let cae_code = param(&location(&r), "code").unwrap();
    let (_, cae) = redeem(&sim, &cae_code).await;
    let token = |body: &Value| body["access_token"].as_str().unwrap().to_string();
    let me = |t: String| {
        let sim = &sim;
        async move { graph(sim, reqwest::Method::GET, "me", Some(&t), None).await }
    };
    assert_eq!(me(token(&plain)).await.0, 200);
    assert_eq!(me(token(&cae)).await.0, 200);

    sim.state.set_switch(SimSwitch::SignInRevoked, true);
    let (status, _, body) = me(token(&plain)).await;
    assert_eq!(status, 200, "valid until it expires: {body}");
    assert_eq!(body["userPrincipalName"], UPN);

    let (status, headers, body) = me(token(&cae)).await;
    assert_eq!(status, 401);
    assert_graph_error(&body, "InvalidAuthenticationToken");
    let challenge = headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(
        challenge.contains(r#"error="insufficient_claims""#),
        "{challenge}"
    );
    assert!(challenge.contains(r#"realm="""#), "{challenge}");
    assert!(
        challenge.contains("/common/oauth2/authorize\""),
        "{challenge}"
    );
    let claims = challenge
        .split("claims=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let claims: Value = serde_json::from_slice(&STANDARD.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["access_token"]["nbf"]["essential"], true, "{claims}");
    let nbf: i64 = claims["access_token"]["nbf"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((nbf - sim.state.now().timestamp()).abs() < 5, "{claims}");

    // Both refresh tokens are revoked.
    for body in [&plain, &cae] {
        let (status, refused) = token_request(
            &sim,
            &[
                ("client_id", APP),
                ("grant_type", "refresh_token"),
                ("refresh_token", body["refresh_token"].as_str().unwrap()),
            ],
        )
        .await;
        assert_eq!(status, 400);
        assert_aad_error(&refused, "invalid_grant", 50173);
    }

    // The plain token ends with its lifetime (60-90 minutes).
    sim.state.advance(chrono::Duration::minutes(91));
    let (status, _, body) = me(token(&plain)).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["message"],
        "Access token has expired or is not yet valid."
    );
}

fn event(transaction_id: &str, teams: bool, day: u32) -> Value {
    json!({
        "subject": "Angebotsbesprechung",
        "body": {"contentType": "HTML", "content": "Agenda"},
        "start": {"dateTime": format!("2026-03-{day:02}T10:00:00"), "timeZone": "Europe/Berlin"},
        "end": {"dateTime": format!("2026-03-{day:02}T11:00:00"), "timeZone": "Europe/Berlin"},
        "attendees": [{"emailAddress": {"address": "lena@contoso.example", "name": "Lena Vogel"}, "type": "required"}],
        "isOnlineMeeting": teams,
        "onlineMeetingProvider": if teams { "teamsForBusiness" } else { "unknown" },
        "transactionId": transaction_id,
    })
}

#[tokio::test]
async fn events_are_created_once_per_transaction_and_can_be_cancelled() {
    let sim = sim().await;
    let token = access_token(&sim, SCOPES).await;
    let tx = uuid::Uuid::new_v4().to_string();
    let (status, _, first) = graph(
        &sim,
        reqwest::Method::POST,
        "me/events",
        Some(&token),
        Some(event(&tx, true, 29)),
    )
    .await;
    assert_eq!(status, 201);
    let join = first["onlineMeeting"]["joinUrl"].as_str().unwrap();
    assert!(
        join.starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"),
        "{join}"
    );
    assert!(first["body"]["content"].as_str().unwrap().contains(join));
    assert_eq!(first["attendees"][0]["status"]["response"], "none");
    // 10:00 Berlin on the day summer time starts is 08:00 UTC.
    assert_eq!(first["start"]["dateTime"], "2026-03-29T08:00:00.0000000");

    let (_, _, again) = graph(
        &sim,
        reqwest::Method::POST,
        "me/events",
        Some(&token),
        Some(event(&tx, true, 29)),
    )
    .await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(
        sim.state.events().len(),
        1,
        "a retry never makes a second event"
    );

    let (_, _, plain) = graph(
        &sim,
        reqwest::Method::POST,
        "me/events",
        Some(&token),
        Some(event("other", false, 30)),
    )
    .await;
    assert!(plain["onlineMeeting"].is_null());

    let id = first["id"].as_str().unwrap();
    let (status, _, _) = graph(
        &sim,
        reqwest::Method::POST,
        &format!("me/events/{id}/cancel"),
        Some(&token),
        Some(json!({"comment": "Termin entfällt"})),
    )
    .await;
    assert_eq!(status, 202);
    assert_eq!(
        sim.state.events()[0].cancelled.as_deref(),
        Some("Termin entfällt")
    );
    let (status, _, body) = graph(
        &sim,
        reqwest::Method::POST,
        "me/events/nope/cancel",
        Some(&token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "ErrorItemNotFound");
}

#[tokio::test]
async fn the_calendar_view_needs_its_window_and_pages_by_ten() {
    let sim = sim().await;
    let token = access_token(&sim, SCOPES).await;
    for day in 1..=12 {
        graph(
            &sim,
            reqwest::Method::POST,
            "me/events",
            Some(&token),
            Some(event(&format!("t{day}"), false, day)),
        )
        .await;
    }
    let (status, _, body) = graph(
        &sim,
        reqwest::Method::GET,
        "me/calendarView",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_graph_error(&body, "ErrorInvalidParameter");

    let path =
        "me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z";
    let (_, _, page) = graph(&sim, reqwest::Method::GET, path, Some(&token), None).await;
    assert_eq!(page["value"].as_array().unwrap().len(), 10);
    let next = page["@odata.nextLink"].as_str().unwrap();
    let r = http().get(next).bearer_auth(&token).send().await.unwrap();
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["value"].as_array().unwrap().len(), 2);
    assert!(second.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn online_meetings_have_a_join_web_url() {
    let sim = sim().await;
    let token = access_token(&sim, SCOPES).await;
    let (status, _, m) = graph(&sim, reqwest::Method::POST, "me/onlineMeetings", Some(&token), Some(json!({"startDateTime": "2026-05-01T10:00:00Z", "endDateTime": "2026-05-01T11:00:00Z", "subject": "Kick-off"}))).await;
    assert_eq!(status, 201);
    assert!(m["joinWebUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://teams.microsoft.com/l/meetup-join/"));
    for field in [
        "id",
        "joinMeetingIdSettings",
        "videoTeleconferenceId",
        "chatInfo",
    ] {
        assert!(m.get(field).is_some(), "{field}");
    }
    assert_eq!(m["participants"]["organizer"]["upn"], UPN);
    assert!(
        sim.state.events().is_empty(),
        "a standalone meeting is not in the calendar"
    );
}

#[tokio::test]
async fn injected_faults_answer_as_the_services_do() {
    let sim = sim().await;
    let token = access_token(&sim, SCOPES).await;
    let get_me = || graph(&sim, reqwest::Method::GET, "me", Some(&token), None);

    for retry_after in ["10", "2.128"] {
        sim.state.inject(
            FaultTarget::Graph,
            Fault::TooManyRequests {
                retry_after: retry_after.into(),
            },
        );
        let (status, headers, body) = get_me().await;
        assert_eq!(status, 429);
        assert_eq!(headers["retry-after"], retry_after);
        assert_graph_error(&body, "TooManyRequests");
    }
    sim.state.inject(
        FaultTarget::Graph,
        Fault::ServiceUnavailable {
            retry_after: Some("3".into()),
        },
    );
    let (status, headers, _) = get_me().await;
    assert_eq!(
        (status, headers["retry-after"].to_str().unwrap()),
        (503, "3")
    );
    sim.state.inject(
        FaultTarget::Graph,
        Fault::ServiceUnavailable { retry_after: None },
    );
    let (status, headers, _) = get_me().await;
    assert_eq!(status, 503);
    assert!(headers.get("retry-after").is_none());
    sim.state.inject(FaultTarget::Graph, Fault::GatewayTimeout);
    assert_eq!(get_me().await.0, 504);
    sim.state
        .inject(FaultTarget::Graph, Fault::InternalServerError);
    assert_eq!(get_me().await.0, 500);
    sim.state.inject(FaultTarget::Graph, Fault::MalformedJson);
    let (status, _, body) = get_me().await;
    assert_eq!(status, 200);
    assert!(body.is_string(), "not JSON: {body}");
    sim.state.inject(FaultTarget::Graph, Fault::DropConnection);
    let dropped = http()
        .get(format!("{}/v1.0/me", sim.base_url()))
        .bearer_auth(&token)
        .send()
        .await;
    let failed = match dropped {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(failed, "the connection broke");
    sim.state
        .inject(FaultTarget::Graph, Fault::Slow { millis: 50 });
    assert_eq!(get_me().await.0, 200, "a slow answer still comes");
    // Each fault is used once: the next call is fine again.
    assert_eq!(get_me().await.0, 200);

    sim.state.inject(
        FaultTarget::Token,
        Fault::ServiceUnavailable { retry_after: None },
    );
    let (status, body) = token_request(
        &sim,
        &[
            ("client_id", APP),
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
        ],
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(body["error"], "temporarily_unavailable");
}

/// A public client's authorization request without PKCE gets no code: the simulator is as strict
/// with every desktop app as Microsoft is with single-page apps, so the app cannot lose PKCE
/// unseen.
#[tokio::test]
async fn a_public_client_without_pkce_gets_no_code() {
    let sim = sim().await;
    let r = authorize(&sim, &[("code_challenge", "")]).await;
    let to = location(&r);
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_request"));
    assert!(param(&to, "error_description")
        .unwrap()
        .contains("code_challenge"));
    assert_eq!(param(&to, "state").as_deref(), Some("st4te"));
    assert!(param(&to, "code").is_none());
}
