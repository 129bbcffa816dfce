//! Tokens and the client secret go only to the registration that issued them (A1, A4, B3-B5):
//! a mail configuration pointed at another host, or an employee moved to another configuration,
//! ends the sign-in, and nothing that carries a token or the secret reaches the new host, which a
//! recording server plays here. And one token refresh per sign-in at a time, stored only over the
//! sign-in it started from.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use treffpunkt::services::Workspace;

use crate::common::simulated::{self, valid, DOMAIN};
use crate::common::{self, Mode, TestBrowser};
use chrono::{NaiveDateTime, Utc};
use tokio::sync::oneshot;
use treffpunkt::crm::activity::{ActivityInput, ActivityKind, ActivityStatus, ParticipantRef};
use treffpunkt::crm::calendar::local_to_utc;
use treffpunkt::crm::issuer::ISSUER_CHANGED;
use treffpunkt::crm::mail_configuration::{MailConfigurationInput, SecretChange};
use treffpunkt::crm::settings::Language;
use treffpunkt::crm::sign_in::{SignInOwner, SignInState, TokenSet};
use treffpunkt::meetings::MeetingSender;
use treffpunkt::microsoft::graph::GraphClient;
use treffpunkt::microsoft::keep_alive;
use treffpunkt::microsoft::session::{Microsoft365, SessionError};
use treffpunkt::services::activities as activity_ops;
use treffpunkt::simulator::{Fault, FaultTarget, SimUser, Simulator};
use treffpunkt::store::{employees, mail_configurations, sign_ins, Db};

const APP: &str = "22222222-2222-4222-8222-222222222222";
const SECRET: &str = "Qx8~client.Secret-Of-The-Real-Tenant";
const UPN: &str = "anna@contoso.onmicrosoft.com";

/// A server that answers every request with 400 and keeps the raw bytes it received: the host a
/// configuration was pointed at, which must never see a token or the secret.
struct Recorder {
    url: String,
    received: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                stream
                    .set_read_timeout(Some(Duration::from_millis(500)))
                    .unwrap();
                // One request: its headers, and as much body as Content-Length says.
                let mut request = Vec::new();
                let mut buffer = [0u8; 8192];
                while let Ok(n) = stream.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..n]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                keep.lock().unwrap().extend_from_slice(&request);
                let body = r#"{"error":"invalid_request"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Recorder { url, received }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }

    /// Nothing it received carries a token, the secret, an Authorization header or the names of
    /// the token request's secret fields.
    fn assert_got_nothing_of(&self, tokens: &TokenSet) {
        let text = self.text();
        let lower = text.to_lowercase();
        // As sent: in a header, or form-encoded in a token request's body.
        let holds = |value: &str| {
            let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            text.contains(value) || text.contains(&encoded)
        };
        assert!(!holds(&tokens.access_token), "the access token leaked");
        if let Some(rt) = &tokens.refresh_token {
            assert!(!holds(rt), "the refresh token leaked");
        }
        assert!(!holds(SECRET), "the client secret leaked");
        assert!(!lower.contains("authorization:"), "a bearer token was sent");
        assert!(!lower.contains("refresh_token"), "a refresh was sent");
        assert!(!lower.contains("client_secret"), "the secret was sent");
        assert!(
            text.is_empty(),
            "nothing was sent at all ({} bytes)",
            text.len()
        );
    }
}

struct World {
    sim: Simulator,
    m365: Microsoft365,
    anna: i64,
    lena: i64,
    mail_configuration: i64,
}

/// The settings' form of the simulator's configuration at `url` (a Web app with its secret).
fn input(url: &str, secret: SecretChange) -> MailConfigurationInput {
    MailConfigurationInput {
        client_secret: secret,
        ..simulated::configuration_input(url, APP, None)
    }
}

/// Anna, signed in with the confidential client of the simulator's tenant, and Lena, a contact.
async fn world() -> World {
    let sim = simulated::start_simulator(
        vec![simulated::web_app(APP, SECRET)],
        vec![SimUser::work(UPN, "Anna", "Schmidt")],
        UPN,
    )
    .await;
    let db = Arc::new(Db::open_in_memory().unwrap());
    let (anna, lena, mail_configuration) = db
        .with(|c| {
            let (anna, lena) =
                common::insert_anna_lena_and_simulator(c, UPN, APP, DOMAIN, sim.base_url())?;
            let mc = employees::get(c, anna)?
                .fields
                .mail_configuration_id
                .unwrap();
            let change = mail_configurations::update(
                c,
                mc,
                &valid(&input(
                    &sim.base_url(),
                    SecretChange::Replace {
                        value: SECRET.into(),
                    },
                )),
                1,
            )?;
            assert!(!change.registration_changed, "only the secret is new");
            Ok::<_, treffpunkt::store::StoreError>((anna, lena, mc))
        })
        .unwrap();
    let m365 = simulated::microsoft365(db, &sim);
    let w = World {
        sim,
        m365,
        anna,
        lena,
        mail_configuration,
    };
    w.sign_in().await;
    w
}

impl World {
    async fn sign_in(&self) {
        simulated::sign_in(&self.m365, self.owner()).await;
    }

    fn owner(&self) -> SignInOwner {
        SignInOwner::Employee(self.anna)
    }

    fn stored_tokens(&self) -> TokenSet {
        self.m365
            .db
            .with(|c| sign_ins::get(c, self.owner()))
            .unwrap()
            .unwrap()
            .tokens
            .unwrap()
    }

    fn expired_reason(&self) -> Option<String> {
        let s = self
            .m365
            .db
            .with(|c| sign_ins::get(c, self.owner()))
            .unwrap()
            .unwrap();
        assert_eq!(s.state, SignInState::Expired);
        assert_eq!(s.tokens, None, "an ended sign-in keeps no tokens");
        s.expired_reason
    }

    fn token_requests(&self) -> usize {
        self.sim
            .state
            .received()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/oauth2/v2.0/token"))
            .count()
    }

    /// A Teams meeting of Anna's with Lena, not sent yet.
    fn meeting(&self) -> i64 {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let at = |s: &str| {
            local_to_utc(
                berlin,
                NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
            )
        };
        let input = ActivityInput {
            kind: ActivityKind::TeamsMeeting,
            subject: "Angebotsbesprechung".into(),
            starts_at: at("2026-03-29 10:00"),
            ends_at: at("2026-03-29 11:00"),
            time_zone: "Europe/Berlin".into(),
            memo: String::new(),
            mail_text: String::new(),
            status: ActivityStatus::Open,
            owner_employee_id: self.anna,
            business_partner_id: None,
            contact_id: Some(self.lena),
            person_id: None,
            participants: vec![
                ParticipantRef::Employee { id: self.anna },
                ParticipantRef::Contact { id: self.lena },
            ],
            reminder_minutes: 15,
        };
        activity_ops::create(&Workspace::new(self.m365.db.clone()), &input)
            .unwrap()
            .id
    }

    /// Everything that would send the stored tokens or the secret: the connection test (a token,
    /// then `GET /me` where the token may go), a forced refresh (after a 401), the keep-alive, a
    /// meeting's send. Then: the new host got nothing, and each was refused as an ended sign-in.
    async fn try_everything(&self, new_host: &Recorder, tokens: &TokenSet) {
        let mut codes = Vec::new();
        let mut refused = |r: Result<(), SessionError>| {
            codes.push(r.err().map(|e| e.code().to_string()));
        };
        let test = match self.m365.grant(self.owner(), false).await {
            Ok(grant) => {
                let graph = GraphClient {
                    http: &self.m365.http,
                    endpoints: &grant.endpoints,
                };
                let _ = graph.me(&grant.access_token).await;
                Ok(())
            }
            Err(e) => Err(e),
        };
        refused(test);
        refused(self.m365.access_token(self.anna).await.map(drop));
        refused(self.m365.refreshed_access_token(self.anna).await.map(drop));
        refused(self.m365.refresh_now(self.owner()).await);
        self.sim.state.advance(chrono::Duration::days(2));
        keep_alive::refresh_due(&self.m365).await;
        let sent = MeetingSender::new(self.m365.clone())
            .send(self.meeting())
            .await;

        new_host.assert_got_nothing_of(tokens);
        assert_eq!(codes, vec![Some(ISSUER_CHANGED.to_string()); 4]);
        assert!(sent.is_err(), "the send needs a new sign-in");
        assert_eq!(
            self.expired_reason().as_deref(),
            Some(ISSUER_CHANGED),
            "the sign-in is ended and says why"
        );
    }
}

/// The settings pane saves the configuration with another host and keeps the secret ("keep"):
/// the secret is dropped, the sign-in ended with a message, and nothing reaches the new host.
#[tokio::test]
async fn a_configuration_saved_with_another_host_drops_the_secret_and_ends_the_sign_in() {
    let w = world().await;
    let tokens = w.stored_tokens();
    let attacker = Recorder::start();

    let change = w
        .m365
        .db
        .transaction(|tx| {
            mail_configurations::update(
                tx,
                w.mail_configuration,
                &valid(&input(&attacker.url, SecretChange::Keep)),
                2,
            )
        })
        .unwrap();
    assert!(change.registration_changed);
    assert!(
        change.secret_dropped,
        "the old secret is not the new host's"
    );
    assert_eq!(change.sign_ins_expired, 1, "Anna's sign-in ended");
    let secret = w
        .m365
        .db
        .with(|c| mail_configurations::client_secret(c, w.mail_configuration))
        .unwrap();
    assert_eq!(secret, None);
    assert_eq!(w.expired_reason().as_deref(), Some(ISSUER_CHANGED));

    w.try_everything(&attacker, &tokens).await;
}

/// The configuration's hosts change behind the settings' back (an older database, a hand edit):
/// the secret is still stored, and still nothing that carries it or a token reaches the new host.
#[tokio::test]
async fn a_configuration_pointed_elsewhere_by_hand_still_sends_nothing_there() {
    let w = world().await;
    let tokens = w.stored_tokens();
    let attacker = Recorder::start();
    w.m365
        .db
        .with(|c| {
            c.execute(
                "UPDATE mail_configurations SET custom_authority_url = ?1, custom_graph_url = ?1",
                [&attacker.url],
            )
        })
        .unwrap();
    assert!(
        w.m365
            .registration(w.owner())
            .unwrap()
            .client_secret
            .is_some(),
        "the secret is still there to be stolen"
    );

    w.try_everything(&attacker, &tokens).await;
}

/// Anna moves to another configuration (the employee form, "assign to all", or by hand): her
/// sign-in was issued under the old one and ends; its tokens never reach the new one's host.
#[tokio::test]
async fn an_employee_moved_to_another_configuration_loses_the_sign_in() {
    let w = world().await;
    let attacker = Recorder::start();
    let mut other = input(&attacker.url, SecretChange::Keep);
    other.name = "Elsewhere".into();
    let elsewhere = w
        .m365
        .db
        .with(|c| mail_configurations::insert(c, &valid(&other), 3))
        .unwrap();

    // The employee form.
    let tokens = w.stored_tokens();
    w.m365
        .db
        .with(|c| {
            let read = employees::get(c, w.anna)?;
            let mut anna = read.fields;
            anna.mail_configuration_id = Some(elsewhere);
            employees::update(c, w.anna, read.stamp.version, &anna)
        })
        .unwrap();
    assert_eq!(w.expired_reason().as_deref(), Some(ISSUER_CHANGED));
    w.try_everything(&attacker, &tokens).await;

    // Back, signed in again; then "assign to all" moves her.
    w.m365
        .db
        .with(|c| employees::assign_mail_configuration_to_all(c, w.mail_configuration))
        .unwrap();
    w.sign_in().await;
    let tokens = w.stored_tokens();
    w.m365
        .db
        .with(|c| employees::assign_mail_configuration_to_all(c, elsewhere))
        .unwrap();
    assert_eq!(w.expired_reason().as_deref(), Some(ISSUER_CHANGED));
    attacker.assert_got_nothing_of(&tokens);

    // Back, signed in again; then moved by hand.
    w.m365
        .db
        .with(|c| employees::assign_mail_configuration_to_all(c, w.mail_configuration))
        .unwrap();
    w.sign_in().await;
    let tokens = w.stored_tokens();
    w.m365
        .db
        .with(|c| {
            c.execute(
                "UPDATE employees SET mail_configuration_id = ?1",
                [elsewhere],
            )
        })
        .unwrap();
    w.try_everything(&attacker, &tokens).await;
}

/// Opens the sign-in page after pointing the configuration's Graph host elsewhere: the settings
/// were saved while the user was in the browser.
struct ChangesTheHostFirst {
    db: Arc<Db>,
    graph: String,
    browser: TestBrowser,
}

impl treffpunkt::microsoft::identity::Browser for ChangesTheHostFirst {
    fn open(&self, url: &str) -> Result<(), String> {
        self.db
            .with(|c| {
                c.execute(
                    "UPDATE mail_configurations SET custom_graph_url = ?1",
                    [&self.graph],
                )
            })
            .unwrap();
        self.browser.open(url)
    }
}

/// The configuration changes while the user signs in: the tokens the old registration issued are
/// not stored for the new one.
#[tokio::test]
async fn a_sign_in_finished_after_the_configuration_changed_is_not_kept() {
    let w = world().await;
    let before = w.stored_tokens();
    let attacker = Recorder::start();
    let browser = ChangesTheHostFirst {
        db: w.m365.db.clone(),
        graph: attacker.url.clone(),
        browser: TestBrowser::new(Mode::Accept),
    };
    let (_keep, cancel) = oneshot::channel();
    let result = w
        .m365
        .sign_in(
            w.owner(),
            &browser,
            Language::De,
            Duration::from_secs(10),
            cancel,
        )
        .await;
    assert_eq!(result.unwrap_err().code(), ISSUER_CHANGED);
    assert_eq!(w.stored_tokens(), before, "the new tokens were not stored");
    w.try_everything(&attacker, &before).await;
}

/// Several calls find the access token expired at once: one refresh at the identity platform,
/// and all of them get its token.
#[tokio::test]
async fn concurrent_calls_with_an_expired_access_token_share_one_refresh() {
    let w = world().await;
    let before = w.token_requests();
    let old = w.stored_tokens();
    w.sim.state.advance(chrono::Duration::hours(2));
    // The refresh is slow, so that every call is waiting while it runs.
    w.sim
        .state
        .inject(FaultTarget::Token, Fault::Slow { millis: 300 });

    let calls = (0..6).map(|_| {
        let m365 = w.m365.clone();
        let anna = w.anna;
        tokio::spawn(async move { m365.access_token(anna).await })
    });
    let tokens: Vec<String> = futures_join(calls).await;

    assert_eq!(w.token_requests() - before, 1, "exactly one refresh");
    let fresh = w.stored_tokens();
    assert_ne!(fresh.access_token, old.access_token);
    assert!(
        tokens.iter().all(|t| *t == fresh.access_token),
        "every call got the refreshed token"
    );
}

async fn futures_join(
    calls: impl Iterator<Item = tokio::task::JoinHandle<Result<String, SessionError>>>,
) -> Vec<String> {
    let mut tokens = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        tokens.push(call.await.unwrap().unwrap());
    }
    tokens
}

/// A refresh is under way when the user signs in anew: its answer, arriving later, is dropped,
/// and the new sign-in's tokens stay.
#[tokio::test]
async fn a_refresh_answer_after_a_new_sign_in_does_not_overwrite_it() {
    let w = world().await;
    let before = w.token_requests();
    w.sim
        .state
        .inject(FaultTarget::Token, Fault::Slow { millis: 2500 });
    let m365 = w.m365.clone();
    let owner = w.owner();
    let refresh = tokio::spawn(async move { m365.refresh_now(owner).await });
    // The refresh's request is at the identity platform, its answer delayed.
    for _ in 0..100 {
        if w.token_requests() > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(w.token_requests(), before + 1, "the refresh is under way");

    w.sign_in().await;
    let newer = w.stored_tokens();
    assert!(
        !refresh.is_finished(),
        "the refresh's answer is still to come"
    );
    refresh.await.unwrap().unwrap();

    let after = w.stored_tokens();
    assert_eq!(
        after, newer,
        "the new sign-in's tokens stay; the late refresh answer is dropped"
    );
    assert_eq!(
        w.m365.access_token(w.anna).await.unwrap(),
        newer.access_token
    );
}

mod settings_pane {
    //! The settings pane's save, through the IPC command as the webview calls it.

    use super::*;
    use crate::common::ipc::Harness;
    use serde_json::{json, Value};
    use treffpunkt::commands::AppState;
    use treffpunkt::crm::sign_in::Account;

    struct Pane {
        app: Harness,
        db: Arc<Db>,
    }

    fn pane(demo: bool) -> Pane {
        let db = Arc::new(Db::open_in_memory().unwrap());
        db.transaction(|tx| treffpunkt::services::records::ensure_own_employee(tx, "anna"))
            .unwrap();
        let state = AppState::new(
            db.clone(),
            demo,
            "Europe/Berlin".parse().unwrap(),
            Language::De,
        );
        Pane {
            app: Harness::new(state),
            db,
        }
    }

    impl Pane {
        fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
            self.app.invoke(cmd, args)
        }

        fn save(
            &self,
            id: Value,
            authority: &str,
            graph: &str,
            secret: Value,
        ) -> Result<Value, Value> {
            self.invoke(
                "save_mail_configuration",
                json!({"id": id, "input": {
                    "name": "Contoso", "groupware": "MSGRAPH", "client_id": APP,
                    "tenant_id": DOMAIN, "cloud": "custom",
                    "custom_authority_url": authority, "custom_graph_url": graph,
                    "client_secret": secret
                }}),
            )
        }
    }

    /// The check needs the developer switch off, as on a user's machine.
    fn switch_is_off() -> bool {
        std::env::var(treffpunkt::workspace::DEV_ALLOW_HTTP_ENV).is_err()
    }

    #[test]
    fn http_urls_are_refused_outside_the_demo() {
        assert!(switch_is_off(), "run without TREFFPUNKT_DEV_ALLOW_HTTP");
        let p = pane(false);
        let err = p
            .save(
                json!(null),
                "http://127.0.0.1:8910",
                "http://127.0.0.1:8910",
                json!({"action": "keep"}),
            )
            .unwrap_err();
        assert_eq!(err["code"], "validation");
        let codes: Vec<(&str, &str)> = err["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            codes,
            [
                ("custom_authority_url", "url_http_loopback_not_allowed"),
                ("custom_graph_url", "url_http_loopback_not_allowed")
            ]
        );
        assert_eq!(
            p.invoke("list_mail_configurations", json!({})).unwrap(),
            json!([])
        );

        // The demo workspace's simulator is on the loopback interface, over http.
        let demo = pane(true);
        demo.save(
            json!(null),
            "http://127.0.0.1:8910",
            "http://127.0.0.1:8910",
            json!({"action": "keep"}),
        )
        .unwrap();
    }

    #[test]
    fn a_changed_registration_drops_the_secret_ends_the_sign_ins_and_says_so() {
        let p = pane(false);
        let login = "https://login.contoso.example";
        let graph = "https://graph.contoso.example";
        let saved = p
            .save(
                json!(null),
                login,
                graph,
                json!({"action": "replace", "value": SECRET}),
            )
            .unwrap();
        assert_eq!(
            saved["change"],
            json!({"registration_changed": false, "secret_dropped": false, "sign_ins_expired": 0})
        );
        let id = saved["id"].clone();
        p.invoke("assign_mail_configuration_to_all", json!({"id": id}))
            .unwrap();
        // Anna's own sign-in and the configuration's (a global mailbox).
        let me = p.invoke("app_info", json!({})).unwrap()["current_employee"]["id"]
            .as_i64()
            .unwrap();
        let account = Account {
            user_principal_name: UPN.into(),
            display_name: "Anna".into(),
            tenant_id: "t".into(),
        };
        let tokens = TokenSet {
            access_token: "a".into(),
            refresh_token: Some("r".into()),
            expires_at: Utc::now() + chrono::Duration::hours(1),
        };
        let config = SignInOwner::MailConfiguration(id.as_i64().unwrap());
        p.db.with(|c| {
            sign_ins::save(c, SignInOwner::Employee(me), &account, &tokens, 1)?;
            sign_ins::save(c, config, &account, &tokens, 1)
        })
        .unwrap();

        // The name alone: nothing changes.
        let mut renamed = p
            .invoke(
                "save_mail_configuration",
                json!({"id": id, "input": {
                    "name": "Contoso AG", "groupware": "MSGRAPH", "client_id": APP,
                    "tenant_id": DOMAIN, "cloud": "custom",
                    "custom_authority_url": login, "custom_graph_url": graph,
                    "client_secret": {"action": "keep"}
                }}),
            )
            .unwrap();
        assert_eq!(renamed["change"]["sign_ins_expired"], 0);
        assert_eq!(renamed["has_client_secret"], true);

        // Another Graph host, the secret kept: the secret goes, both sign-ins end.
        let moved = p
            .save(
                id.clone(),
                login,
                "https://graph.elsewhere.example",
                json!({"action": "keep"}),
            )
            .unwrap();
        assert_eq!(
            moved["change"],
            json!({"registration_changed": true, "secret_dropped": true, "sign_ins_expired": 2})
        );
        assert_eq!(moved["has_client_secret"], false);
        for owner in [
            json!({"type": "employee", "id": me}),
            json!({"type": "mail_configuration", "id": id}),
        ] {
            let status = p.invoke("sign_in_status", json!({"owner": owner})).unwrap();
            assert_eq!(status["state"], "expired");
            assert_eq!(status["expired_reason"], ISSUER_CHANGED);
        }

        // Another tenant with a new secret in the same save: the new secret stays.
        renamed = p
            .invoke(
                "save_mail_configuration",
                json!({"id": id, "input": {
                    "name": "Contoso AG", "groupware": "MSGRAPH", "client_id": APP,
                    "tenant_id": "fabrikam.onmicrosoft.com", "cloud": "global",
                    "custom_authority_url": "", "custom_graph_url": "",
                    "client_secret": {"action": "replace", "value": "New~Secret"}
                }}),
            )
            .unwrap();
        assert_eq!(
            renamed["change"],
            json!({"registration_changed": true, "secret_dropped": false, "sign_ins_expired": 0})
        );
        assert_eq!(renamed["has_client_secret"], true);
    }
}
