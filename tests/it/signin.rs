//! The whole sign-in against the simulator over real HTTP on 127.0.0.1, driven by a test browser
//! (B1-B7, G1): public and confidential clients, refresh, inactivity, each failure, and the
//! loopback listener's security.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{simulated, Mode, TestBrowser};
use chrono::Utc;
use tokio::sync::oneshot;
use treffpunkt::crm::model::EmployeeFields;
use treffpunkt::crm::settings::Language;
use treffpunkt::crm::sign_in::{SignInOwner, SignInState};
use treffpunkt::crm::ErrorCode;
use treffpunkt::microsoft::errors::SignInError;
use treffpunkt::microsoft::graph::GraphClient;
use treffpunkt::microsoft::keep_alive::{self, Outcome};
use treffpunkt::microsoft::session::{Microsoft365, SessionError};
use treffpunkt::services::sign_in;
use treffpunkt::simulator::{SimUser, Simulator, Tenant};
use treffpunkt::store::{employees, mail_configurations, sign_ins, Db};

const PUBLIC_APP: &str = "11111111-1111-4111-8111-111111111111";
const WEB_APP: &str = "22222222-2222-4222-8222-222222222222";
const SECRET: &str = "s3cret~value.Never.Logged";

struct World {
    sim: Simulator,
    m365: Microsoft365,
    employee: i64,
    mail_configuration: i64,
}

/// Anna (public and confidential app alike) and Max, whose account is a personal one.
fn users() -> Vec<SimUser> {
    let mut max = SimUser::work("max@outlook.com", "Max", "Privat");
    max.personal = true;
    vec![
        SimUser::work("anna.schmidt@contoso.onmicrosoft.com", "Anna", "Schmidt"),
        max,
    ]
}

/// A workspace with one employee whose mail configuration points at the simulator.
async fn world(client_id: &str, secret: Option<&str>, user: &str) -> World {
    let sim = simulated::start_simulator(
        vec![
            simulated::desktop_app(PUBLIC_APP),
            simulated::web_app(WEB_APP, SECRET),
        ],
        users(),
        user,
    )
    .await;
    let db = Arc::new(Db::open_in_memory().unwrap());
    let (employee, mail_configuration) = db
        .with(|c| {
            let e = employees::insert(
                c,
                &EmployeeFields {
                    first_name: "Anna".into(),
                    last_name: "Schmidt".into(),
                    color: "#2563eb".into(),
                    ..Default::default()
                },
            )?;
            let input = simulated::configuration_input(&sim.base_url(), client_id, secret);
            let mc = mail_configurations::insert(c, &simulated::valid(&input), 0)?;
            employees::assign_mail_configuration_to_all(c, mc)?;
            Ok::<_, treffpunkt::store::StoreError>((e, mc))
        })
        .unwrap();
    let m365 = simulated::microsoft365(db, &sim);
    World {
        sim,
        m365,
        employee,
        mail_configuration,
    }
}

impl World {
    async fn sign_in_with(
        &self,
        browser: &TestBrowser,
        timeout: Duration,
    ) -> Result<String, SessionError> {
        let (_keep, cancel) = oneshot::channel();
        self.m365
            .sign_in(
                SignInOwner::Employee(self.employee),
                browser,
                Language::De,
                timeout,
                cancel,
            )
            .await
            .map(|a| a.user_principal_name)
    }

    async fn sign_in(&self) -> Result<String, SessionError> {
        self.sign_in_with(&TestBrowser::new(Mode::Accept), Duration::from_secs(10))
            .await
    }

    fn stored(&self) -> Option<treffpunkt::crm::sign_in::StoredSignIn> {
        self.m365
            .db
            .with(|c| sign_ins::get(c, SignInOwner::Employee(self.employee)))
            .unwrap()
    }

    async fn me(&self, token: &str) -> String {
        let reg = self
            .m365
            .registration(SignInOwner::Employee(self.employee))
            .unwrap();
        GraphClient {
            http: &self.m365.http,
            endpoints: &reg.endpoints,
        }
        .me(token)
        .await
        .unwrap()
        .user_principal_name
    }
}

fn signin_error(r: Result<impl std::fmt::Debug, SessionError>) -> SignInError {
    match r {
        Err(SessionError::SignIn(e)) => e,
        other => panic!("expected a sign-in error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_public_client_signs_in_and_calls_graph() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let browser = TestBrowser::new(Mode::Accept);
    let account = w
        .sign_in_with(&browser, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(account, "anna.schmidt@contoso.onmicrosoft.com");
    // The browser tab says so, in German.
    let pages = browser.pages();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].0, 200);
    assert!(pages[0].1.contains("Sie können diesen Tab schließen"));

    let stored = w.stored().unwrap();
    assert_eq!(stored.state, SignInState::Active);
    let token = w.m365.access_token(w.employee).await.unwrap();
    assert_eq!(w.me(&token).await, "anna.schmidt@contoso.onmicrosoft.com");
}

/// The authorize request asks for exactly the scopes the app's Graph calls need (B2): GET /me
/// needs User.Read; the events, the calendar, calendarView and cancel need Calendars.ReadWrite;
/// nothing calls /onlineMeetings or /sendMail, so OnlineMeetings.ReadWrite and Mail.Send are
/// not asked for.
#[tokio::test]
async fn the_authorize_request_asks_for_exactly_the_scopes_the_app_uses() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let browser = TestBrowser::new(Mode::Accept);
    w.sign_in_with(&browser, Duration::from_secs(10))
        .await
        .unwrap();
    // The URL the app opened in the browser: the authorize request as Microsoft receives it.
    let authorize = reqwest::Url::parse(&browser.visited.lock().unwrap()[0]).unwrap();
    assert!(authorize.path().ends_with("/oauth2/v2.0/authorize"));
    let scope = authorize
        .query_pairs()
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.into_owned())
        .expect("a scope parameter");
    let mut asked: Vec<&str> = scope.split(' ').collect();
    asked.sort_unstable();
    assert_eq!(
        asked,
        [
            "Calendars.ReadWrite",
            "User.Read",
            "offline_access",
            "openid",
            "profile"
        ]
    );
}

#[tokio::test]
async fn a_confidential_client_signs_in_with_its_secret() {
    let w = world(
        WEB_APP,
        Some(SECRET),
        "anna.schmidt@contoso.onmicrosoft.com",
    )
    .await;
    w.sign_in().await.unwrap();
    let token = w.m365.access_token(w.employee).await.unwrap();
    assert_eq!(w.me(&token).await, "anna.schmidt@contoso.onmicrosoft.com");
}

#[tokio::test]
async fn client_credential_mistakes_are_named_and_store_nothing() {
    let cases = [
        (
            WEB_APP,
            Some("Wr0ng~Secret.Value"),
            SignInError::InvalidClientSecret,
        ),
        (WEB_APP, None, SignInError::ClientSecretRequired),
        (
            PUBLIC_APP,
            Some(SECRET),
            SignInError::PublicClientWithSecret,
        ),
    ];
    for (app, secret, expected) in cases {
        let w = world(app, secret, "anna.schmidt@contoso.onmicrosoft.com").await;
        let e = signin_error(w.sign_in().await);
        assert_eq!(e, expected);
        assert!(w.stored().is_none(), "{expected:?} stored a sign-in");
        let shown = format!("{e} {e:?} {}", e.code());
        assert!(
            !shown.contains(SECRET) && !shown.contains("Wr0ng~Secret.Value"),
            "{shown}"
        );
    }
    // An expired secret.
    let w = world(
        WEB_APP,
        Some(SECRET),
        "anna.schmidt@contoso.onmicrosoft.com",
    )
    .await;
    w.sim.state.with_tenants(|t| {
        t[0].apps[1].secret.as_mut().unwrap().expires_at = Utc::now() - chrono::Duration::days(1)
    });
    assert_eq!(
        signin_error(w.sign_in().await),
        SignInError::ClientSecretExpired
    );
}

#[tokio::test]
async fn tokens_are_refreshed_silently_and_the_rotated_one_is_kept() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let first = w.m365.access_token(w.employee).await.unwrap();
    let first_rt = w.stored().unwrap().tokens.unwrap().refresh_token.unwrap();
    assert_eq!(
        w.m365.access_token(w.employee).await.unwrap(),
        first,
        "still valid: no refresh"
    );

    w.sim.state.advance(chrono::Duration::hours(2));
    let second = w.m365.access_token(w.employee).await.unwrap();
    assert_ne!(second, first);
    let second_rt = w.stored().unwrap().tokens.unwrap().refresh_token.unwrap();
    assert_ne!(second_rt, first_rt, "the rotated refresh token is stored");
    assert_eq!(w.me(&second).await, "anna.schmidt@contoso.onmicrosoft.com");
    let refreshes = w
        .sim
        .state
        .received()
        .iter()
        .filter(|r| r.path.ends_with("/token"))
        .count();
    assert_eq!(refreshes, 2, "one code redemption, one refresh");
}

#[tokio::test]
async fn inactivity_expires_the_sign_in_until_the_user_signs_in_again() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    w.sim.state.advance(chrono::Duration::days(91));
    match w.m365.access_token(w.employee).await {
        Err(SessionError::Expired { reason }) => assert_eq!(reason, "signin_expired_inactivity"),
        other => panic!("expected expiry, got {other:?}"),
    }
    let stored = w.stored().unwrap();
    assert_eq!(stored.state, SignInState::Expired);
    assert!(stored.tokens.is_none(), "dead tokens are forgotten");
    // Asking again does not call the identity platform: the state says it all.
    let before = w.sim.state.received().len();
    assert!(matches!(
        w.m365.access_token(w.employee).await,
        Err(SessionError::Expired { .. })
    ));
    assert_eq!(w.sim.state.received().len(), before);

    w.sign_in().await.unwrap();
    assert_eq!(w.stored().unwrap().state, SignInState::Active);
    assert!(w.m365.access_token(w.employee).await.is_ok());
}

#[tokio::test]
async fn revocation_mfa_consent_and_sign_in_frequency_each_expire_with_their_reason() {
    use treffpunkt::simulator::UserCondition;
    let cases = [
        (UserCondition::Revoked, "signin_revoked"),
        (UserCondition::MfaRequired, "signin_mfa_required"),
        (UserCondition::ConsentMissing, "signin_consent_missing"),
        (UserCondition::SignInFrequency, "signin_frequency"),
    ];
    for (condition, reason) in cases {
        let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
        w.sign_in().await.unwrap();
        w.sim
            .state
            .set_condition("anna.schmidt@contoso.onmicrosoft.com", Some(condition));
        w.sim.state.advance(chrono::Duration::hours(2));
        match w.m365.access_token(w.employee).await {
            Err(SessionError::Expired { reason: r }) => assert_eq!(r, reason),
            other => panic!("{condition:?}: expected expiry, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_personal_account_is_refused() {
    let w = world(PUBLIC_APP, None, "max@outlook.com").await;
    assert_eq!(
        signin_error(w.sign_in().await),
        SignInError::PersonalAccount
    );
    assert!(w.stored().is_none());
}

#[tokio::test]
async fn cancelling_on_the_consent_page_is_access_denied() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sim.state.auto_approve_as(None);
    let browser = TestBrowser::new(Mode::Cancel);
    assert_eq!(
        signin_error(w.sign_in_with(&browser, Duration::from_secs(10)).await),
        SignInError::AccessDenied
    );
    assert!(w.stored().is_none());
}

#[tokio::test]
async fn a_forged_state_is_refused() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let browser = TestBrowser::new(Mode::TamperState);
    // The forged callback is answered 404 and does not end the wait: only the real callback
    // could, and it never comes.
    assert_eq!(
        signin_error(w.sign_in_with(&browser, Duration::from_secs(2)).await),
        SignInError::Timeout
    );
    assert_eq!(browser.pages().first().map(|p| p.0), Some(404));
    assert!(w.stored().is_none());
    assert!(
        !w.sim
            .state
            .received()
            .iter()
            .any(|r| r.path.ends_with("/token")),
        "the code was never used"
    );
}

#[tokio::test]
async fn a_second_callback_is_refused_because_the_listener_is_gone() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let browser = TestBrowser::new(Mode::Replay);
    w.sign_in_with(&browser, Duration::from_secs(10))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let pages = browser.pages();
    // The first callback was answered; the replay found no listener.
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert_eq!(pages[0].0, 200);
}

#[tokio::test]
async fn the_listener_closes_after_a_timeout_and_after_cancel() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let browser = TestBrowser::new(Mode::Ignore);
    assert_eq!(
        signin_error(w.sign_in_with(&browser, Duration::from_millis(300)).await),
        SignInError::Timeout
    );

    // Cancel from the app, while the listener waits; then its port is closed.
    let (cancel_tx, cancel) = oneshot::channel();
    let m365 = w.m365.clone();
    let employee = w.employee;
    let task = tokio::spawn(async move {
        m365.sign_in(
            SignInOwner::Employee(employee),
            &TestBrowser::new(Mode::Ignore),
            Language::En,
            Duration::from_secs(30),
            cancel,
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    cancel_tx.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(signin_error(result), SignInError::Cancelled);
}

#[tokio::test]
async fn the_mail_configurations_sign_in_leads_for_its_employees() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    simulated::sign_in(
        &w.m365,
        SignInOwner::MailConfiguration(w.mail_configuration),
    )
    .await;
    // The employee never signed in, but the global mailbox did.
    let token = w.m365.access_token(w.employee).await.unwrap();
    assert_eq!(w.me(&token).await, "anna.schmidt@contoso.onmicrosoft.com");
    w.m365
        .sign_out(SignInOwner::MailConfiguration(w.mail_configuration))
        .unwrap();
    assert!(matches!(
        w.m365.access_token(w.employee).await,
        Err(SessionError::NotSignedIn)
    ));
}

/// Whether the panel offers "Test" on `owner`'s record, and which sign-in the test then used
/// (or the code it failed with).
async fn offered_and_tested(
    w: &World,
    owner: SignInOwner,
) -> (bool, Result<SignInOwner, ErrorCode>) {
    let offered = sign_in::status(&w.m365, owner).unwrap().testable;
    let tested = sign_in::connection_test(&w.m365, owner)
        .await
        .map(|t| t.owner)
        .map_err(|e| e.code());
    (offered, tested)
}

/// A6 and B3: "Test" is offered exactly where the test then finds an active sign-in, and the
/// test uses the one a send would: the own employee's, the mailbox's while that one leads, none
/// once both are gone.
#[tokio::test]
async fn test_is_offered_where_it_then_runs_on_the_sign_in_a_send_uses() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let own = SignInOwner::Employee(w.employee);
    let mailbox = SignInOwner::MailConfiguration(w.mail_configuration);
    w.m365
        .db
        .with(|c| treffpunkt::store::settings::set_current_employee(c, w.employee))
        .unwrap();
    let required = Err(ErrorCode::SigninRequired);
    assert_eq!(offered_and_tested(&w, own).await, (false, required));

    w.sign_in().await.unwrap();
    assert_eq!(offered_and_tested(&w, own).await, (true, Ok(own)));
    assert_eq!(offered_and_tested(&w, mailbox).await, (false, required));

    let (_keep, cancel) = oneshot::channel();
    w.m365
        .sign_in(
            mailbox,
            &TestBrowser::new(Mode::Accept),
            Language::De,
            Duration::from_secs(10),
            cancel,
        )
        .await
        .unwrap();
    assert_eq!(offered_and_tested(&w, own).await, (true, Ok(mailbox)));
    assert_eq!(offered_and_tested(&w, mailbox).await, (true, Ok(mailbox)));

    sign_in::sign_out(&w.m365, own).unwrap();
    assert_eq!(
        offered_and_tested(&w, own).await,
        (true, Ok(mailbox)),
        "the mailbox's sign-in still leads"
    );
    let after = sign_in::sign_out(&w.m365, mailbox).unwrap();
    assert!(!after.testable && after.state.is_none(), "{after:?}");
    assert_eq!(offered_and_tested(&w, own).await, (false, required));
}

#[tokio::test]
async fn a_network_failure_keeps_the_sign_in_for_later() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    w.sim.state.advance(chrono::Duration::hours(2));
    let World {
        sim,
        m365,
        employee,
        ..
    } = w;
    drop(sim); // Microsoft 365 is gone: the refresh cannot reach it.
    tokio::time::sleep(Duration::from_millis(100)).await;
    match m365.access_token(employee).await {
        Err(SessionError::SignIn(SignInError::Network(_))) => {}
        other => panic!("expected a network error, got {other:?}"),
    }
    let stored = m365
        .db
        .with(|c| sign_ins::get(c, SignInOwner::Employee(employee)))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.state,
        SignInState::Active,
        "a network failure is no reason to sign in again"
    );
    assert!(stored.tokens.is_some());
}

/// What Microsoft shows on its own page never reaches the app (AADSTS50011, 90002, 700016 here,
/// as the simulator shows them): the user gets the timeout, and its explanation names the code
/// the browser shows. Nothing is stored.
#[tokio::test]
async fn errors_shown_only_in_the_browser_end_in_a_timeout_that_names_them() {
    type Break = fn(&mut Vec<Tenant>);
    let cases: [(u32, Break); 3] = [
        (50011, |t| {
            t[0].apps[0].redirect_uris = vec!["http://localhost/other".into()]
        }),
        (90002, |t| t[0].domain = "fabrikam.onmicrosoft.com".into()),
        (700016, |t| {
            t[0].apps[0].client_id = uuid::Uuid::new_v4().to_string()
        }),
    ];
    for (code, break_it) in cases {
        let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
        w.sim.state.with_tenants(break_it);
        let browser = TestBrowser::new(Mode::Accept);
        let e = signin_error(w.sign_in_with(&browser, Duration::from_millis(700)).await);
        assert_eq!(e, SignInError::Timeout, "AADSTS{code}");
        let pages = browser.pages();
        assert!(
            pages
                .iter()
                .any(|(_, body)| body.contains(&format!("AADSTS{code}"))),
            "the browser shows AADSTS{code}: {pages:?}"
        );
        assert!(
            e.to_string().contains(&format!("AADSTS{code}")),
            "the explanation names AADSTS{code}: {e}"
        );
        assert_eq!(e.code(), "signin_timeout");
        assert!(w.stored().is_none());
    }
}

fn token_requests(w: &World) -> usize {
    w.sim
        .state
        .received()
        .iter()
        .filter(|r| r.path.ends_with("/oauth2/v2.0/token"))
        .count()
}

fn me_requests(w: &World) -> usize {
    w.sim
        .state
        .received()
        .iter()
        .filter(|r| r.path == "/v1.0/me")
        .count()
}

/// Graph refuses an access token the app still holds valid (its clock runs ahead of the app's):
/// the token is refreshed once, bypassing the stored one, and the call made once more with the
/// new token, which is kept.
#[tokio::test]
async fn a_refused_access_token_is_refreshed_once_and_the_call_made_again() {
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let owner = SignInOwner::Employee(w.employee);
    let first = w.m365.access_token(w.employee).await.unwrap();
    let (tokens, calls) = (token_requests(&w), me_requests(&w));
    w.sim.state.inject(FaultTarget::Graph, Fault::TokenRefused);
    let me = w.m365.me(owner).await.unwrap();
    assert_eq!(
        me.user_principal_name,
        "anna.schmidt@contoso.onmicrosoft.com"
    );
    assert_eq!(token_requests(&w), tokens + 1, "one refresh");
    assert_eq!(me_requests(&w), calls + 2, "the call and its one retry");
    let kept = w.m365.access_token(w.employee).await.unwrap();
    assert_ne!(kept, first, "the refreshed token is stored");
    assert_eq!(w.stored().unwrap().state, SignInState::Active);
}

/// A token Graph refuses again after the refresh ends the call with Graph's 401: one retry,
/// never a loop.
#[tokio::test]
async fn a_token_refused_again_after_the_refresh_is_the_answer() {
    use treffpunkt::microsoft::graph::GraphError;
    use treffpunkt::microsoft::session::GraphRequestError;
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let (tokens, calls) = (token_requests(&w), me_requests(&w));
    for _ in 0..3 {
        w.sim.state.inject(FaultTarget::Graph, Fault::TokenRefused);
    }
    match w.m365.me(SignInOwner::Employee(w.employee)).await {
        Err(GraphRequestError::Graph(e)) => assert!(
            matches!(&e.error, GraphError::Status { status: 401, code, .. } if code == "InvalidAuthenticationToken"),
            "{e:?}"
        ),
        other => panic!("expected Graph's 401, got {other:?}"),
    }
    assert_eq!(token_requests(&w), tokens + 1, "one refresh");
    assert_eq!(
        me_requests(&w),
        calls + 2,
        "the call and one retry, no more"
    );
}

/// Sessions revoked while the app holds an access token: Graph takes that token until it
/// expires (the app has no CAE token), then the refresh is refused and the sign-in has expired
/// with its reason (refresh-tokens.md, "Token revocation"; access-tokens.md, "Token lifetime").
#[tokio::test]
async fn after_a_revocation_the_token_in_hand_works_until_it_expires() {
    use treffpunkt::simulator::SimSwitch;
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let owner = SignInOwner::Employee(w.employee);
    w.sim.state.set_switch(SimSwitch::SignInRevoked, true);
    let tokens = token_requests(&w);
    assert!(w.m365.me(owner).await.is_ok());
    assert_eq!(token_requests(&w), tokens, "no refresh needed yet");
    w.sim.state.advance(chrono::Duration::hours(2));
    match w.m365.me(owner).await {
        Err(treffpunkt::microsoft::session::GraphRequestError::Session(
            SessionError::Expired { reason },
        )) => assert_eq!(reason, "signin_revoked"),
        other => panic!("expected the revoked sign-in to expire, got {other:?}"),
    }
    assert_eq!(w.stored().unwrap().state, SignInState::Expired);
}

/// A user who opens the app every day but never needs Graph is kept signed in: the daily
/// refresh renews the refresh token, so 90 days without a Graph call do not end the sign-in
/// (without it, `inactivity_expires_the_sign_in_until_the_user_signs_in_again`).
#[tokio::test]
async fn a_daily_refresh_keeps_the_sign_in_alive_past_ninety_days() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let signed_in = w.stored().unwrap().updated_at;
    let owner = SignInOwner::Employee(w.employee);
    for day in 1..=120 {
        w.sim.state.advance(chrono::Duration::days(1));
        assert_eq!(
            keep_alive::refresh_due(&w.m365).await,
            vec![(owner, Outcome::Refreshed)],
            "day {day}"
        );
        // Refreshed just now: the next pass leaves it alone.
        assert!(
            keep_alive::refresh_due(&w.m365).await.is_empty(),
            "day {day}"
        );
    }
    let stored = w.stored().unwrap();
    assert_eq!(stored.state, SignInState::Active);
    // The banner's lapse date (tokens issued + 90 days) moved on with each refresh.
    assert!(stored.updated_at - signed_in >= chrono::Duration::days(120));
    let token = w.m365.access_token(w.employee).await.unwrap();
    assert_eq!(w.me(&token).await, "anna.schmidt@contoso.onmicrosoft.com");
}

/// The task the app starts refreshes at once, then on its interval; a sign-in refused for good
/// is marked expired by it, with Microsoft's reason, like any refresh.
#[tokio::test]
async fn the_keep_alive_task_refreshes_at_start_and_on_its_interval() {
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let before = token_requests(&w);
    w.sim.state.advance(chrono::Duration::days(2));
    let task = tokio::spawn(keep_alive::run(w.m365.clone(), Duration::from_millis(50)));
    let world = &w;
    let until = |n: usize| async move {
        for _ in 0..100 {
            if token_requests(world) >= n {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    };
    assert!(until(before + 1).await, "refreshed at start");
    // Fresh now: further ticks leave it alone until it is old again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(token_requests(&w), before + 1);
    w.sim.state.advance(chrono::Duration::days(1));
    assert!(until(before + 2).await, "refreshed on a later tick");

    use treffpunkt::simulator::UserCondition;
    w.sim.state.set_condition(
        "anna.schmidt@contoso.onmicrosoft.com",
        Some(UserCondition::Revoked),
    );
    w.sim.state.advance(chrono::Duration::days(1));
    assert!(until(before + 3).await, "tried again");
    for _ in 0..100 {
        if w.stored().unwrap().state == SignInState::Expired {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    task.abort();
    let stored = w.stored().unwrap();
    assert_eq!(stored.state, SignInState::Expired);
    assert_eq!(stored.expired_reason.as_deref(), Some("signin_revoked"));
}

/// A refresh that fails for a passing reason (a 5xx, a broken connection) while the access token
/// is still valid hands out that token: the call goes ahead, the sign-in stays active, and the
/// next call tries the refresh again. After Graph refused the token (401), it cannot.
#[tokio::test]
async fn a_passing_refresh_failure_keeps_using_the_still_valid_access_token() {
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let first = w.m365.access_token(w.employee).await.unwrap();
    // Two minutes before the access token expires: inside the refresh margin.
    let expires_at = w.stored().unwrap().tokens.unwrap().expires_at;
    w.sim
        .state
        .advance(expires_at - w.sim.state.now() - chrono::Duration::minutes(2));

    for fault in [Fault::InternalServerError, Fault::DropConnection] {
        let before = token_requests(&w);
        w.sim.state.inject(FaultTarget::Token, fault.clone());
        let token = w.m365.access_token(w.employee).await;
        // Compared, never printed: no token in the test's output.
        assert!(
            token.as_deref().ok() == Some(first.as_str()),
            "{fault:?}: the still-valid token is handed out"
        );
        assert_eq!(
            token_requests(&w),
            before + 1,
            "{fault:?}: a refresh was tried"
        );
        assert_eq!(w.stored().unwrap().state, SignInState::Active, "{fault:?}");
        assert_eq!(w.me(&first).await, "anna.schmidt@contoso.onmicrosoft.com");
    }

    // After a 401 the stored token is no use: the failure is reported.
    w.sim
        .state
        .inject(FaultTarget::Token, Fault::InternalServerError);
    assert!(matches!(
        w.m365.refreshed_access_token(w.employee).await,
        Err(SessionError::SignIn(
            SignInError::TemporarilyUnavailable { .. }
        ))
    ));
    // The keep-alive pass reports it and leaves the sign-in as it was.
    w.sim.state.advance(chrono::Duration::days(1));
    w.sim
        .state
        .inject(FaultTarget::Token, Fault::InternalServerError);
    assert_eq!(
        keep_alive::refresh_due(&w.m365).await,
        vec![(
            SignInOwner::Employee(w.employee),
            Outcome::Failed("signin_unavailable".into())
        )]
    );
    assert_eq!(w.stored().unwrap().state, SignInState::Active);

    // The next call, with Microsoft back, refreshes.
    let fresh = w.m365.access_token(w.employee).await.unwrap();
    assert!(fresh != first, "a new access token");
}

/// An `expires_in` past the end of the calendar (and the largest number the field holds) neither
/// panics at the sign-in nor at the refresh: the token lives at most as long as Microsoft's
/// longest access-token lifetime.
#[tokio::test]
async fn a_huge_expires_in_is_cut_to_the_longest_lifetime_microsoft_gives() {
    use treffpunkt::microsoft::identity::MAX_ACCESS_TOKEN_LIFETIME;
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    // 9*10^12 s (285,000 years) still converts to a duration, then overflows the calendar.
    let huge = || Fault::Rewrite {
        field: "expires_in".into(),
        value: serde_json::json!(9_000_000_000_000u64),
    };
    let longest = chrono::Duration::from_std(MAX_ACCESS_TOKEN_LIFETIME).unwrap();
    w.sim.state.inject(FaultTarget::Token, huge());
    w.sign_in().await.unwrap();
    let expires_at = w.stored().unwrap().tokens.unwrap().expires_at;
    assert!(expires_at <= w.sim.state.now() + longest, "{expires_at}");
    assert!(expires_at > w.sim.state.now(), "{expires_at}");

    w.sim.state.advance(longest + chrono::Duration::minutes(1));
    w.sim.state.inject(
        FaultTarget::Token,
        Fault::Rewrite {
            field: "expires_in".into(),
            value: serde_json::json!(u64::MAX),
        },
    );
    w.m365.access_token(w.employee).await.unwrap();
    let expires_at = w.stored().unwrap().tokens.unwrap().expires_at;
    assert!(expires_at <= w.sim.state.now() + longest, "{expires_at}");
}

/// A token answer larger than any the identity platform gives (a portal's page, a hostile host)
/// is refused with its own error, whether it announces its size or streams without end; it is
/// not read to its end, and it says nothing about the sign-in (transient).
#[tokio::test]
async fn an_oversized_token_answer_is_refused_without_reading_it_all() {
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    for fault in [
        Fault::LargeBody {
            bytes: 4 * 1024 * 1024,
        },
        Fault::EndlessBody,
    ] {
        w.sim.state.inject(FaultTarget::Token, fault.clone());
        let e = signin_error(
            tokio::time::timeout(Duration::from_secs(10), w.sign_in())
                .await
                .expect("an endless answer was read on and on"),
        );
        assert!(
            matches!(e, SignInError::ResponseTooLarge { .. }),
            "{fault:?}: {e:?}"
        );
        assert_eq!(e.code(), "signin_response_too_large");
        assert!(e.is_transient());
        assert!(w.stored().is_none());
    }

    // The same on a refresh: the sign-in is kept for a later try.
    w.sign_in().await.unwrap();
    w.sim.state.advance(chrono::Duration::hours(2));
    w.sim.state.inject(FaultTarget::Token, Fault::EndlessBody);
    let e = signin_error(
        tokio::time::timeout(Duration::from_secs(10), w.m365.access_token(w.employee))
            .await
            .unwrap(),
    );
    assert!(matches!(e, SignInError::ResponseTooLarge { .. }), "{e:?}");
    assert_eq!(w.stored().unwrap().state, SignInState::Active);
}

/// A Graph answer larger than the limit is refused with its own error, announced or streamed.
#[tokio::test]
async fn an_oversized_graph_answer_is_refused_without_reading_it_all() {
    use treffpunkt::microsoft::graph::GraphError;
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let token = w.m365.access_token(w.employee).await.unwrap();
    let reg = w
        .m365
        .registration(SignInOwner::Employee(w.employee))
        .unwrap();
    let graph = GraphClient {
        http: &w.m365.http,
        endpoints: &reg.endpoints,
    };
    for fault in [
        Fault::LargeBody {
            bytes: 16 * 1024 * 1024,
        },
        Fault::EndlessBody,
    ] {
        w.sim.state.inject(FaultTarget::Graph, fault.clone());
        let e = tokio::time::timeout(Duration::from_secs(10), graph.me(&token))
            .await
            .expect("an endless answer was read on and on")
            .unwrap_err();
        assert!(matches!(e, GraphError::TooLarge { .. }), "{fault:?}: {e:?}");
    }
    assert_eq!(
        w.me(&token).await,
        "anna.schmidt@contoso.onmicrosoft.com",
        "the next answer of a normal size is read"
    );
}

/// The browser that cannot be started is a browser problem, not a network one.
#[tokio::test]
async fn a_browser_that_cannot_be_started_is_named_as_such() {
    struct NoBrowser;
    impl treffpunkt::microsoft::identity::Browser for NoBrowser {
        fn open(&self, _url: &str) -> Result<(), String> {
            Err("no such browser".into())
        }
    }
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    let (_keep, cancel) = oneshot::channel();
    let e = signin_error(
        w.m365
            .sign_in(
                SignInOwner::Employee(w.employee),
                &NoBrowser,
                Language::De,
                Duration::from_secs(5),
                cancel,
            )
            .await,
    );
    assert_eq!(e.code(), "signin_browser");
    assert!(!e.is_transient());
}

/// A6 "Test" on a token Graph refuses once (revoked under CAE, or rotated keys): the app refreshes
/// silently and asks again, as MSAL's force refresh does, and the user sees the test pass.
#[tokio::test]
async fn the_connection_test_survives_one_refused_token() {
    use treffpunkt::simulator::{Fault, FaultTarget};
    let w = world(PUBLIC_APP, None, "anna.schmidt@contoso.onmicrosoft.com").await;
    w.sign_in().await.unwrap();
    let tokens = token_requests(&w);
    w.sim.state.inject(FaultTarget::Graph, Fault::TokenRefused);
    let tested = sign_in::connection_test(&w.m365, SignInOwner::Employee(w.employee))
        .await
        .unwrap();
    assert_eq!(
        tested.user_principal_name,
        "anna.schmidt@contoso.onmicrosoft.com"
    );
    assert_eq!(token_requests(&w), tokens + 1, "one silent refresh");
}
