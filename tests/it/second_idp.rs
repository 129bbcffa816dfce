//! The app's real sign-in against a second implementation that no one here wrote: panva's
//! `oidc-provider`, a certified OpenID Connect server from the npm registry, shaped with the
//! Microsoft identity platform's v2.0 paths (tests/second-idp/server.mjs). The project's own
//! simulator shares the app's assumptions; this server does not. A test "user" signs in on its
//! login page and consents on its consent page, over real HTTP on 127.0.0.1.
//!
//! `make test` installs the server's packages (`npm ci` in tests/second-idp) with the machine's
//! Node.js, which the UI needs too. Without Node.js these tests print why and pass without
//! running; without the packages they fail and say how to install them.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::Url;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use treffpunkt::crm::mail_configuration::{
    validate_with, Cloud, Groupware, MailConfigurationInput, SecretChange, UrlPolicy,
};
use treffpunkt::crm::model::EmployeeFields;
use treffpunkt::crm::settings::Language;
use treffpunkt::crm::sign_in::{Account, SignInOwner, SignInState, StoredSignIn};
use treffpunkt::microsoft::errors::SignInError;
use treffpunkt::microsoft::identity::Browser;
use treffpunkt::microsoft::session::{Microsoft365, SessionError};
use treffpunkt::microsoft::SCOPES;
use treffpunkt::store::{employees, mail_configurations, sign_ins, Db};

const TENANT: &str = "contoso.onmicrosoft.com";
const TENANT_ID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID: &str = "11111111-1111-4111-8111-111111111111";
const ANNA: &str = "anna.schmidt@contoso.onmicrosoft.com";

/// One request the server answered, as it reported it: no code, state, verifier or token.
#[derive(Debug, Clone, Deserialize)]
struct Received {
    method: String,
    path: String,
    status: u16,
    params: Vec<String>,
    values: HashMap<String, String>,
}

impl Received {
    fn has(&self, param: &str) -> bool {
        self.params.iter().any(|p| p == param)
    }

    fn value(&self, param: &str) -> Option<&str> {
        self.values.get(param).map(String::as_str)
    }
}

/// The oidc-provider server in a node process, ended when this is dropped.
struct SecondIdp {
    _node: Child,
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SecondIdp {
    /// Starts the server; `None`, after saying so, when Node.js is not installed.
    async fn start() -> Option<SecondIdp> {
        if let Err(e) = Command::new("node").arg("--version").output().await {
            if e.kind() == std::io::ErrorKind::NotFound {
                eprintln!(
                    "SKIPPED: Node.js is not installed, so the sign-in is not tested against \
                     oidc-provider (tests/second-idp) here; `make test` needs Node.js and runs it"
                );
                return None;
            }
            panic!("node cannot be run: {e}");
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/second-idp");
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "oidc-provider is not installed: run `make deps` (or `npm ci` in tests/second-idp)"
        );
        let config = serde_json::json!({
            "tenant": TENANT,
            "tenantId": TENANT_ID,
            "clientId": CLIENT_ID,
            "users": { ANNA: "Anna Schmidt" },
        });
        let mut node = Command::new("node")
            .arg("server.mjs")
            .arg(config.to_string())
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts");
        let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
        let mut stderr = node.stderr.take().unwrap();
        let port = tokio::time::timeout(Duration::from_secs(15), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    if let Some(port) = v["port"].as_u64() {
                        return u16::try_from(port).ok();
                    }
                }
            }
            None
        })
        .await
        .ok()
        .flatten();
        let Some(port) = port else {
            let mut err = String::new();
            let _ =
                tokio::time::timeout(Duration::from_secs(2), stderr.read_to_string(&mut err)).await;
            panic!("the oidc-provider server did not start:\n{err}");
        };
        // Its warnings are not read, but the pipe must not fill up.
        tokio::spawn(async move { tokio::io::copy(&mut stderr, &mut tokio::io::sink()).await });
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                // oidc-provider's own notices share stdout; they are not JSON.
                if let Ok(r) = serde_json::from_str::<Received>(&line) {
                    log.lock().unwrap().push(r);
                }
            }
        });
        Some(SecondIdp {
            _node: node,
            port,
            received,
        })
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn path(&self, endpoint: &str) -> String {
        format!("/{TENANT}/oauth2/v2.0/{endpoint}")
    }

    /// The requests to `endpoint` the server reported, once `count` of them are in (the server
    /// reports a request after it answered it).
    async fn requests_to(&self, endpoint: &str, count: usize) -> Vec<Received> {
        let path = self.path(endpoint);
        let matching = || -> Vec<Received> {
            let all = self.received.lock().unwrap();
            all.iter().filter(|r| r.path == path).cloned().collect()
        };
        for _ in 0..100 {
            if matching().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        matching()
    }
}

/// PKCE's S256: the challenge of a verifier (RFC 7636 §4.2).
fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Walks through the server's pages as a person in a browser would: follows redirects, keeps
/// cookies, types `login` and a password into the login page and confirms the consent page.
/// Returns the redirect to the app's loopback address (another port than the server's) without
/// opening it, or the text of the page where the walk ended.
async fn walk_to_redirect(start: Url, login: &str) -> Result<Url, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let mut url = start.clone();
    let mut form: Option<Vec<(&str, String)>> = None;
    for _ in 0..12 {
        let mut request = match form.take() {
            Some(fields) => http.post(url.clone()).form(&fields),
            None => http.get(url.clone()),
        };
        if !cookies.is_empty() {
            let header: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(COOKIE, header.join("; "));
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        for set in response.headers().get_all(SET_COOKIE) {
            let set = set.to_str().unwrap_or_default();
            let pair = set.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || set.contains("1970") {
                    cookies.remove(name.trim());
                } else {
                    cookies.insert(name.trim().into(), value.into());
                }
            }
        }
        if let Some(location) = response.headers().get(LOCATION) {
            let next = url
                .join(location.to_str().map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            if next.port() != start.port() {
                return Ok(next);
            }
            url = next;
            continue;
        }
        let status = response.status();
        let page = response.text().await.unwrap_or_default();
        let action = page
            .split("<form")
            .nth(1)
            .and_then(|f| f.split("action=\"").nth(1))
            .and_then(|a| a.split('"').next())
            .map(|a| a.replace("&amp;", "&"));
        let prompt = page
            .split("name=\"prompt\" value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next());
        match (status.is_success(), action, prompt) {
            (true, Some(action), Some("login")) => {
                form = Some(vec![
                    ("prompt", "login".into()),
                    ("login", login.into()),
                    ("password", "any password".into()),
                ]);
                url = url.join(&action).map_err(|e| e.to_string())?;
            }
            (true, Some(action), Some("consent")) => {
                form = Some(vec![("prompt", "consent".into())]);
                url = url.join(&action).map_err(|e| e.to_string())?;
            }
            _ => return Err(format!("{status}: {}", text_of(&page))),
        }
    }
    Err("too many pages".into())
}

/// A page's text without its markup, for a failure message.
fn text_of(page: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in page.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the browser's walk ended: the app's loopback answer (status, page), or the text of
/// the page where the walk stopped.
type Ended = Result<(u16, String), String>;

#[derive(Clone, Copy, PartialEq)]
enum Act {
    /// Signs in and lets the server's redirect reach the app.
    SignIn,
    /// An attacker's page in between: the app's authorize request with the attacker's own PKCE
    /// challenge, so the code that reaches the app's loopback was issued for another challenge.
    InjectCodeForAnotherChallenge,
}

/// The browser the app opens the sign-in in: [`walk_to_redirect`], then the redirect to the
/// app. Keeps what the app's loopback answered, or where the walk ended.
#[derive(Clone)]
struct FormBrowser {
    act: Act,
    login: String,
    ended: Arc<Mutex<Vec<Ended>>>,
}

impl FormBrowser {
    fn new(act: Act, login: &str) -> Self {
        FormBrowser {
            act,
            login: login.into(),
            ended: Arc::new(Mutex::new(Vec::new())),
        }
    }

    fn ended(&self) -> Vec<Ended> {
        self.ended.lock().unwrap().clone()
    }
}

const ATTACKER_VERIFIER: &str = "an-attackers-own-code-verifier-of-43-chars-or-more";

impl Browser for FormBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        let mut url = Url::parse(url).map_err(|e| e.to_string())?;
        if self.act == Act::InjectCodeForAnotherChallenge {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "code_challenge" {
                        s256(ATTACKER_VERIFIER)
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        let (login, ended) = (self.login.clone(), self.ended.clone());
        tokio::spawn(async move {
            let outcome = match walk_to_redirect(url, &login).await {
                Ok(redirect) => match reqwest::get(redirect).await {
                    Ok(r) => Ok((r.status().as_u16(), r.text().await.unwrap_or_default())),
                    Err(e) => Err(e.to_string()),
                },
                Err(page) => Err(page),
            };
            ended.lock().unwrap().push(outcome);
        });
        Ok(())
    }
}

/// A workspace whose one employee's mail configuration points its custom cloud at the server.
struct World {
    idp: SecondIdp,
    m365: Microsoft365,
    employee: i64,
    owner: SignInOwner,
}

impl World {
    async fn new() -> Option<World> {
        let idp = SecondIdp::start().await?;
        let db = Arc::new(Db::open_in_memory().unwrap());
        let employee = db
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
                let mc = mail_configurations::insert(
                    c,
                    &validate_with(
                        &MailConfigurationInput {
                            name: "oidc-provider".into(),
                            groupware: Groupware::MsGraph,
                            client_id: CLIENT_ID.into(),
                            tenant_id: TENANT.into(),
                            cloud: Cloud::Custom,
                            custom_authority_url: idp.base_url(),
                            // Not called here: the account comes from the ID token.
                            custom_graph_url: idp.base_url(),
                            client_secret: SecretChange::Keep,
                        },
                        // The simulator listens on the loopback interface, over plain http.
                        UrlPolicy::AllowHttpLoopback,
                    )
                    .unwrap(),
                    0,
                )?;
                employees::assign_mail_configuration_to_all(c, mc)?;
                Ok::<_, treffpunkt::store::StoreError>(e)
            })
            .unwrap();
        Some(World {
            idp,
            m365: Microsoft365::new(db),
            employee,
            owner: SignInOwner::Employee(employee),
        })
    }

    async fn sign_in(&self, browser: &FormBrowser) -> Result<Account, SessionError> {
        let (_keep, cancel) = oneshot::channel();
        self.m365
            .sign_in(
                self.owner,
                browser,
                Language::De,
                Duration::from_secs(15),
                cancel,
            )
            .await
    }

    fn stored(&self) -> Option<StoredSignIn> {
        self.m365.db.with(|c| sign_ins::get(c, self.owner)).unwrap()
    }
}

#[tokio::test]
async fn the_app_signs_in_and_refreshes_against_oidc_provider() {
    let Some(w) = World::new().await else { return };
    let browser = FormBrowser::new(Act::SignIn, ANNA);
    let account = w.sign_in(&browser).await.unwrap();
    // The account is read from the server's ID token.
    assert_eq!(account.user_principal_name, ANNA);
    assert_eq!(account.display_name, "Anna Schmidt");
    assert_eq!(account.tenant_id, TENANT_ID);
    // The browser tab says so, in German.
    let ended = browser.ended();
    let Some(Ok((200, page))) = ended.first() else {
        panic!("the browser did not reach the app: {ended:?}")
    };
    assert!(page.contains("Sie können diesen Tab schließen"));

    let stored = w.stored().expect("the sign-in is stored");
    assert_eq!(stored.state, SignInState::Active);
    assert_eq!(stored.account, account);
    let first = stored.tokens.expect("tokens are stored");
    let first_refresh = first
        .refresh_token
        .clone()
        .expect("offline_access brought a refresh token");

    // The authorize request carried PKCE with S256, a state and the scopes of B2.
    let authorize = w.idp.requests_to("authorize", 1).await;
    let asked = authorize
        .first()
        .expect("the app sent an authorize request");
    assert_eq!(asked.method, "GET");
    assert!(asked.has("code_challenge"), "{asked:?}");
    assert_eq!(asked.value("code_challenge_method"), Some("S256"));
    assert!(asked.has("state"), "{asked:?}");
    assert_eq!(asked.value("response_type"), Some("code"));
    let scopes: Vec<&str> = asked
        .value("scope")
        .unwrap_or_default()
        .split(' ')
        .collect();
    for scope in SCOPES {
        assert!(scopes.contains(&scope), "{scope} not asked for: {scopes:?}");
    }
    // The code was redeemed with its verifier, as a public client: no secret.
    let tokens = w.idp.requests_to("token", 1).await;
    let redeemed = &tokens[0];
    assert_eq!(redeemed.value("grant_type"), Some("authorization_code"));
    assert_eq!(redeemed.status, 200);
    assert!(redeemed.has("code_verifier"), "{redeemed:?}");
    assert!(!redeemed.has("client_secret"), "{redeemed:?}");

    // A silent refresh gets a new access token, and the rotated refresh token is stored at once.
    // (Compared with assert!, not assert_eq!: a failure must not print a token.)
    let second = w.m365.refreshed_access_token(w.employee).await.unwrap();
    assert!(second != first.access_token, "a new access token");
    let after = w.stored().unwrap().tokens.unwrap();
    assert!(
        after.access_token == second,
        "the new access token is stored"
    );
    let second_refresh = after.refresh_token.expect("a refresh token is kept");
    assert!(
        second_refresh != first_refresh,
        "the rotated refresh token is stored"
    );
    // oidc-provider consumed the first refresh token: a second refresh works only with the one
    // the app stored.
    let third = w.m365.refreshed_access_token(w.employee).await.unwrap();
    assert!(third != second, "another new access token");
    let tokens = w.idp.requests_to("token", 3).await;
    let refreshes: Vec<&Received> = tokens
        .iter()
        .filter(|r| r.value("grant_type") == Some("refresh_token"))
        .collect();
    assert_eq!(refreshes.len(), 2, "{tokens:?}");
    assert!(refreshes.iter().all(|r| r.status == 200), "{refreshes:?}");
    assert_eq!(w.stored().unwrap().state, SignInState::Active);
}

#[tokio::test]
async fn a_code_issued_for_another_pkce_challenge_is_refused_and_nothing_is_stored() {
    let Some(w) = World::new().await else { return };
    let browser = FormBrowser::new(Act::InjectCodeForAnotherChallenge, ANNA);
    let result = w.sign_in(&browser).await;
    // The server refused the app's verifier for that code, and the app reports a failed sign-in.
    match &result {
        Err(SessionError::SignIn(SignInError::Other { error, .. })) => {
            assert_eq!(error, "invalid_grant")
        }
        other => panic!("expected a refused code redemption, got {other:?}"),
    }
    assert_eq!(result.unwrap_err().code(), "signin_failed");
    assert!(w.stored().is_none(), "a failed sign-in stores nothing");
    let tokens = w.idp.requests_to("token", 1).await;
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert!(tokens[0].has("code_verifier"));
    assert_eq!(tokens[0].status, 400);
}

#[tokio::test]
async fn the_server_refuses_pkce_that_is_missing_or_wrong() {
    let Some(idp) = SecondIdp::start().await else {
        return;
    };
    let verifier = "the-tests-own-code-verifier-with-at-least-43-chars";
    let redirect_uri = "http://127.0.0.1:9/";
    let authorize = |challenge: Option<&str>| {
        let mut url = Url::parse(&format!("{}{}", idp.base_url(), idp.path("authorize"))).unwrap();
        url.query_pairs_mut()
            .append_pair("client_id", CLIENT_ID)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &SCOPES.join(" "))
            .append_pair("state", "s");
        if let Some(c) = challenge {
            url.query_pairs_mut()
                .append_pair("code_challenge", c)
                .append_pair("code_challenge_method", "S256");
        }
        url
    };

    // An authorize request without PKCE is answered with an error, not a code.
    let refused = walk_to_redirect(authorize(None), ANNA).await.unwrap();
    let answer: HashMap<String, String> = refused.query_pairs().into_owned().collect();
    assert_eq!(
        answer.get("error").map(String::as_str),
        Some("invalid_request")
    );
    assert!(!answer.contains_key("code"));

    let redirect = walk_to_redirect(authorize(Some(&s256(verifier))), ANNA)
        .await
        .unwrap();
    let code = redirect
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code");
    let token_url = format!("{}{}", idp.base_url(), idp.path("token"));
    let redeem = |verifier: Option<&str>| {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v));
        }
        reqwest::Client::new().post(&token_url).form(&form).send()
    };
    for wrong in [
        None,
        Some("a-different-verifier-that-is-long-enough-to-be-valid"),
    ] {
        let r = redeem(wrong).await.unwrap();
        assert_eq!(r.status(), 400, "{wrong:?}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "invalid_grant", "{wrong:?}");
    }
    // The refusals were PKCE's: the same code with its verifier is redeemed.
    let r = redeem(Some(verifier)).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["refresh_token"].is_string());
}
