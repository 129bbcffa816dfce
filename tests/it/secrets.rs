//! F5, A4, B1: after whole sign-in flows (success, refresh, failure), sending, a refusal by Graph,
//! cancelling and reminders, neither the log file, nor an error, nor any IPC response holds an
//! access token, a refresh token, an authorization code or the client secret. (In a process of its
//! own: logging is global to a process, see `common::isolated`.)

use std::sync::Arc;

use crate::common::ipc::Harness;
use crate::common::{Mode, TestBrowser};
use chrono::Utc;
use serde_json::{json, Value};
use treffpunkt::commands::AppState;
use treffpunkt::crm::settings::Language;
use treffpunkt::simulator::{
    AppRegistration, Fault, FaultTarget, Platform, Secret, SimUser, Simulator, Tenant,
};
use treffpunkt::store::{sign_ins, Db};

const APP: &str = "22222222-2222-4222-8222-222222222222";
const SECRET: &str = "Qx8~secret.Value-That-Must-Never-Show";
const UPN: &str = "anna@contoso.onmicrosoft.com";

#[test]
fn no_token_code_or_secret_reaches_a_log_an_error_or_the_webview() {
    if !crate::common::isolated::alone(
        module_path!(),
        "no_token_code_or_secret_reaches_a_log_an_error_or_the_webview",
    ) {
        return;
    }
    let logs = tempfile::tempdir().unwrap();
    let guard = treffpunkt::logging::init(logs.path()).expect("logging starts");

    let sim = tauri::async_runtime::block_on(Simulator::start(
        0,
        vec![Tenant {
            id: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
            domain: "contoso.onmicrosoft.com".into(),
            apps: vec![AppRegistration {
                client_id: APP.into(),
                platform: Platform::Web,
                secret: Some(Secret {
                    value: SECRET.into(),
                    expires_at: Utc::now() + chrono::Duration::days(365),
                }),
                redirect_uris: vec!["http://127.0.0.1".into()],
            }],
            users: vec![SimUser::work(UPN, "Anna", "Schmidt")],
        }],
    ))
    .unwrap();
    sim.state.auto_approve_as(Some(UPN));

    let db = Arc::new(Db::open_in_memory().unwrap());
    let me = db
        .transaction(|tx| treffpunkt::services::records::ensure_own_employee(tx, "anna"))
        .unwrap();
    let browser = TestBrowser::new(Mode::Accept);
    let mut state = AppState::new(
        db.clone(),
        false,
        "Europe/Berlin".parse().unwrap(),
        Language::En,
    );
    state.browser = Arc::new(browser.clone());
    // The simulator listens on the loopback interface, over plain http: the developer switch.
    state.url_policy = treffpunkt::crm::validation::UrlPolicy::AllowHttpLoopback;
    let clock_state = sim.state.clone();
    state.m365.clock = Arc::new(move || clock_state.now());
    let app = Harness::new(state);
    // (command, answer): a failure names the command, never prints the answer that holds a secret.
    let mut answers: Vec<(String, String)> = Vec::new();
    let mut invoke = |cmd: &str, args: Value| -> Result<Value, Value> {
        let r = app.invoke(cmd, args);
        answers.push((cmd.to_string(), format!("{r:?}")));
        r
    };

    let config = |secret: &str| {
        json!({"id": null, "input": {
            "name": "Contoso", "groupware": "MSGRAPH", "client_id": APP,
            "tenant_id": "contoso.onmicrosoft.com", "cloud": "custom",
            "custom_authority_url": sim.base_url(), "custom_graph_url": sim.base_url(),
            "client_secret": {"action": "replace", "value": secret}
        }})
    };
    let mc = invoke("save_mail_configuration", config(SECRET)).unwrap();
    assert_eq!(
        mc["change"]["sign_ins_expired"], 0,
        "a new configuration ends nothing"
    );
    invoke("assign_mail_configuration_to_all", json!({"id": mc["id"]})).unwrap();
    let owner = json!({"type": "employee", "id": me});

    let signed_in = invoke("sign_in", json!({"owner": owner})).unwrap();
    assert_eq!(signed_in["state"], "active");
    // The sign-in asks Graph's GET /me for the user principal name, which Teams' links take.
    let own = treffpunkt::crm::sign_in::SignInOwner::Employee(me);
    assert_eq!(
        db.with(|c| sign_ins::graph_upn(c, own)).unwrap().as_deref(),
        Some(UPN)
    );
    let first = db
        .with(|c| sign_ins::get(c, treffpunkt::crm::sign_in::SignInOwner::Employee(me)))
        .unwrap()
        .unwrap();
    invoke("test_sign_in", json!({"owner": owner})).unwrap();
    sim.state.advance(chrono::Duration::hours(2));
    invoke("test_sign_in", json!({"owner": owner})).unwrap();
    let second = db
        .with(|c| sign_ins::get(c, treffpunkt::crm::sign_in::SignInOwner::Employee(me)))
        .unwrap()
        .unwrap();
    invoke("sign_in_status", json!({"owner": owner})).unwrap();
    invoke("list_mail_configurations", json!({})).unwrap();

    // B5 (beyond): the banner stays away while the sign-in is fresh, warns before it lapses,
    // and asks for a sign-in once it has lapsed.
    let own = invoke("own_sign_in", json!({})).unwrap();
    assert_eq!(own["owner"], owner);
    assert_eq!(own["needs_attention"], false);
    sim.state.advance(chrono::Duration::days(85));
    let own = invoke("own_sign_in", json!({})).unwrap();
    assert_eq!(own["status"]["state"], "active");
    assert_eq!(own["needs_attention"], true, "lapses within ten days");
    sim.state.advance(chrono::Duration::days(10));
    assert_eq!(
        invoke("test_sign_in", json!({"owner": owner})).unwrap_err()["code"],
        "signin_expired"
    );
    let own = invoke("own_sign_in", json!({})).unwrap();
    assert_eq!(own["status"]["state"], "expired");
    assert_eq!(own["status"]["expired_reason"], "signin_expired_inactivity");
    assert_eq!(own["needs_attention"], true);
    // Signing in again from the banner makes it go away.
    invoke("sign_in", json!({"owner": owner})).unwrap();
    assert_eq!(
        invoke("own_sign_in", json!({})).unwrap()["needs_attention"],
        false
    );
    let third = db
        .with(|c| sign_ins::get(c, treffpunkt::crm::sign_in::SignInOwner::Employee(me)))
        .unwrap()
        .unwrap();

    // Sending, a refusal by Graph, cancelling and the reminders: none of them shows a token.
    invoke(
        "set_system_setting",
        json!({"setting": "teams_integration_enabled", "enabled": true}),
    )
    .unwrap();
    let soon = Utc::now() + chrono::Duration::minutes(10);
    let teams_meeting = |invoke: &mut dyn FnMut(&str, Value) -> Result<Value, Value>| {
        let draft = invoke(
            "activity_draft",
            json!({"kind": "teams_meeting", "slot": {"type": "day", "date": soon.date_naive()},
                   "openedCalendars": [me]}),
        )
        .unwrap();
        let mut input = draft["input"].clone();
        input["subject"] = json!("Angebot besprechen");
        input["starts_at"] = json!(soon.to_rfc3339());
        input["ends_at"] = json!((soon + chrono::Duration::minutes(30)).to_rfc3339());
        input["reminder_minutes"] = json!(15);
        input["participants"] = json!([{"type": "email", "address": "lena@fabrikam.example"}]);
        invoke("create_activity", json!({"input": input})).unwrap()["id"].clone()
    };
    let refused_send = teams_meeting(&mut invoke);
    sim.state
        .inject(FaultTarget::EventCreate, Fault::AccessDenied);
    let refusal = invoke("send_meeting_request", json!({"id": refused_send})).unwrap_err();
    assert_eq!(
        refusal["microsoft"]["code"], "ErrorAccessDenied",
        "{refusal}"
    );
    let sent = invoke("send_meeting_request", json!({"id": refused_send})).unwrap();
    assert_eq!(sent["type"], "sent", "{sent}");
    assert!(sent["activity"]["join_url"].is_string(), "{sent}");
    let reminded = teams_meeting(&mut invoke);
    invoke("send_meeting_request", json!({"id": reminded})).unwrap();
    let centre = invoke("notifications", json!({})).unwrap();
    assert!(
        centre
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["activity_id"] == reminded),
        "{centre}"
    );
    invoke(
        "cancel_meeting",
        json!({"id": refused_send, "message": "Leider verhindert"}),
    )
    .unwrap();
    let fourth = db
        .with(|c| sign_ins::get(c, treffpunkt::crm::sign_in::SignInOwner::Employee(me)))
        .unwrap()
        .unwrap();

    // A failing flow: a wrong secret, then a sign-in that the identity platform refuses.
    let mut wrong = config("Wrong~Secret.Value-Also-Never-Shown");
    wrong["id"] = mc["id"].clone();
    invoke("save_mail_configuration", wrong).unwrap();
    let refused = invoke("sign_in", json!({"owner": owner})).unwrap_err();
    assert_eq!(refused["code"], "signin_invalid_client_secret");

    drop(guard);
    let mut secrets: Vec<String> =
        vec![SECRET.into(), "Wrong~Secret.Value-Also-Never-Shown".into()];
    for s in [&first, &second, &third, &fourth] {
        let tokens = s.tokens.as_ref().unwrap();
        secrets.push(tokens.access_token.clone());
        secrets.extend(tokens.refresh_token.clone());
    }
    let codes: Vec<String> = browser
        .visited
        .lock()
        .unwrap()
        .iter()
        .filter_map(|u| reqwest::Url::parse(u).ok())
        .filter_map(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert!(!codes.is_empty(), "the browser saw the authorization codes");
    secrets.extend(codes);
    assert_ne!(secrets[2], secrets[4], "the refresh did happen");

    let mut log = String::new();
    for entry in std::fs::read_dir(logs.path()).unwrap() {
        log.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for step in [
        "signed in to Microsoft 365",
        "meeting request sent",
        "reminder due",
        "meeting cancelled",
    ] {
        assert!(log.contains(step), "the log lacks the step {step:?}");
    }
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "the log holds a secret");
        for (command, answer) in &answers {
            assert!(
                !answer.contains(secret.as_str()),
                "the answer to {command} holds a secret"
            );
        }
    }
}
