//! Signing in and keeping a valid access token for an employee or a mail configuration:
//! B3's precedence, B4's silent refresh with the rotated token stored at once, B5's expired
//! state, B6's sign-out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::errors::SignInError;
use super::graph::{Call, GraphCallError, GraphClient, GraphError, Me};
use super::identity::{self, Browser, Registration};
use crate::crm::cloud::Endpoints;
use crate::crm::issuer::ISSUER_CHANGED;
use crate::crm::settings::Language;
use crate::crm::sign_in::{Account, SignInOwner, SignInState, TokenSet};
use crate::crm::ErrorCode;
use crate::store::interface::{read, Engine};
use crate::store::{sign_ins, Db, StoreError};

/// Why no access token can be had.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("not signed in to Microsoft 365")]
    NotSignedIn,
    /// The sign-in lapsed (B5); `reason` is the code of the failure that ended it.
    #[error("the Microsoft 365 sign-in has expired ({reason})")]
    Expired { reason: String },
    /// The sign-in was issued under another registration than the owner's configuration names
    /// now (another cloud, URL, client ID or tenant, or another configuration): it has been
    /// ended and nothing was sent.
    #[error("the Microsoft 365 sign-in was made under another registration and has been ended")]
    IssuerChanged,
    #[error(transparent)]
    SignIn(#[from] SignInError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Work that panicked: what it said is in the log only.
    #[error(transparent)]
    Unfinished(#[from] crate::off_thread::Unfinished),
}

impl SessionError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SessionError::NotSignedIn => ErrorCode::SigninRequired,
            SessionError::Expired { .. } => ErrorCode::SigninExpired,
            SessionError::IssuerChanged => ErrorCode::SigninIssuerChanged,
            SessionError::SignIn(e) => e.code(),
            SessionError::Store(StoreError::SecretUnreadable) => ErrorCode::SecretUnreadable,
            SessionError::Store(_) => ErrorCode::Database,
            SessionError::Unfinished(_) => ErrorCode::Internal,
        }
    }
}

impl SessionError {
    /// The error of a sign-in found expired: one ended by a change of registration keeps saying so.
    fn expired(reason: Option<String>) -> SessionError {
        match reason {
            Some(r) if r == ISSUER_CHANGED => SessionError::IssuerChanged,
            reason => SessionError::Expired {
                reason: reason.unwrap_or_default(),
            },
        }
    }
}

/// A Graph call made with an owner's sign-in that failed: no access token could be had, or Graph
/// answered with an error.
#[derive(Debug, thiserror::Error)]
pub enum GraphRequestError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("{}", .0.error)]
    Graph(GraphCallError),
}

pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// One lock per sign-in, held while its tokens are refreshed.
type RefreshLocks = Arc<Mutex<HashMap<SignInOwner, Arc<tokio::sync::Mutex<()>>>>>;

/// The app's tie to Microsoft 365: this desktop's store (its sign-ins and tokens), the shared
/// data (the mail configurations, the employees' ties to them), one HTTP client, and the clock.
#[derive(Clone)]
pub struct Microsoft365 {
    pub db: Arc<Db>,
    shared: Arc<dyn Engine>,
    pub http: reqwest::Client,
    pub clock: Clock,
    refresh_locks: RefreshLocks,
}

/// An access token with the endpoints it may be sent to: those of the registration that issued
/// it, checked when the token was handed out.
#[derive(Clone)]
pub struct Grant {
    pub access_token: String,
    pub endpoints: Endpoints,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("access_token", &"[redacted]")
            .field("endpoints", &self.endpoints)
            .finish()
    }
}

/// An active sign-in whose issuer is the owner's registration as it is now.
struct Usable {
    tokens: TokenSet,
    generation: i64,
    registration: Registration,
}

impl Usable {
    fn grant(self) -> Grant {
        Grant {
            access_token: self.tokens.access_token,
            endpoints: self.registration.endpoints,
        }
    }
}

impl Microsoft365 {
    /// On a local workspace, whose file keeps the shared data too.
    pub fn new(db: Arc<Db>) -> Self {
        let shared: Arc<dyn Engine> = db.clone();
        Microsoft365::with_shared(db, shared)
    }

    /// The sign-ins in `db`, the mail configurations in `shared` (a team's database).
    pub fn with_shared(db: Arc<Db>, shared: Arc<dyn Engine>) -> Self {
        Microsoft365 {
            db,
            shared,
            http: super::http_client(),
            clock: Arc::new(Utc::now),
            refresh_locks: RefreshLocks::default(),
        }
    }

    /// The app's time, in the seconds the store keeps (tests move it with the simulator's).
    fn now_seconds(&self) -> i64 {
        (self.clock)().timestamp()
    }

    /// Runs `f` (short SQLite work) on a blocking thread, never on the async runtime's threads.
    async fn off_thread<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Microsoft365) -> Result<T, SessionError> + Send + 'static,
    ) -> Result<T, SessionError> {
        let this = self.clone();
        crate::off_thread::run(move || f(&this)).await?
    }

    /// The registration an owner signs in with: the Azure fields of its mail configuration.
    /// Its client secret only where this login may read it: on the team database a
    /// salesperson's desktop signs in as a public client (PKCE), without one.
    pub fn registration(&self, owner: SignInOwner) -> Result<Registration, SessionError> {
        read(self.shared.as_ref(), |s| {
            let mc = match owner {
                SignInOwner::Employee(id) => s.mail_configuration_of_employee(id)?,
                SignInOwner::MailConfiguration(id) => Some(s.mail_configuration(id)?),
            };
            let mc = mc
                .filter(|m| m.has_azure_fields())
                .ok_or(SignInError::NotConfigured)?;
            let endpoints = Endpoints::for_configuration(&mc).ok_or(SignInError::NotConfigured)?;
            let client_secret = match s.client_secret(mc.id) {
                Err(StoreError::NotPermitted) => None,
                secret => secret?,
            };
            Ok(Registration {
                mail_configuration_id: mc.id,
                endpoints,
                tenant: mc.tenant_id.clone().unwrap_or_default(),
                client_id: mc.client_id.clone().unwrap_or_default(),
                client_secret,
            })
        })
    }

    /// The own employee of this desktop, if one is set (in a team workspace: the employee whose
    /// record names the database login).
    pub fn current_employee(&self) -> Result<Option<i64>, StoreError> {
        Ok(read(self.shared.as_ref(), |s| s.system_settings())?.current_employee_id)
    }

    /// The sign-in an employee's Graph calls use (B3): the mail configuration's where this
    /// desktop holds one, else the employee's own.
    pub fn owner_of(&self, employee_id: i64) -> Result<SignInOwner, StoreError> {
        let configuration = read(self.shared.as_ref(), |s| {
            s.mail_configuration_of_employee(employee_id)
        })?
        .map(|m| m.id);
        self.db
            .with(|c| sign_ins::effective_owner_under(c, employee_id, configuration))
    }

    /// B1: the interactive sign-in; on success the tokens are stored for `owner`. A failed
    /// sign-in stores nothing and leaves an earlier sign-in as it was.
    pub async fn sign_in(
        &self,
        owner: SignInOwner,
        browser: &dyn Browser,
        language: Language,
        timeout: Duration,
        cancel: oneshot::Receiver<()>,
    ) -> Result<Account, SessionError> {
        let reg = self.off_thread(move |m| m.registration(owner)).await?;
        let clock = self.clock.clone();
        let (account, tokens) = identity::sign_in(
            &self.http,
            &reg,
            browser,
            language,
            timeout,
            cancel,
            move || clock(),
        )
        .await
        .inspect_err(|e| tracing::warn!(code = e.code().as_str(), "sign-in failed: {e}"))?;
        let stored = account.clone();
        self.off_thread(move |m| {
            // Stored only if the configuration still names the registration that issued the
            // tokens: it may have changed while the user was in the browser.
            let issuer = reg.issuer();
            if m.registration(owner)?.issuer() != issuer {
                return Err(SessionError::IssuerChanged);
            }
            Ok(m.db.with(|c| {
                sign_ins::save_issued(c, owner, &stored, &tokens, Some(&issuer), m.now_seconds())
            })?)
        })
        .await?;
        tracing::info!(?owner, account = %account.user_principal_name, "signed in to Microsoft 365");
        Ok(account)
    }

    /// A valid access token for `employee_id`'s Graph calls (B3: the mail configuration's sign-in
    /// leads), refreshed silently when it is about to expire (B4). A refresh that fails for good
    /// marks the sign-in expired (B5).
    pub async fn access_token(&self, employee_id: i64) -> Result<String, SessionError> {
        let owner = self.effective_owner(employee_id).await?;
        Ok(self.grant(owner, false).await?.access_token)
    }

    pub async fn access_token_of(&self, owner: SignInOwner) -> Result<String, SessionError> {
        Ok(self.grant(owner, false).await?.access_token)
    }

    /// A new access token even though the stored one has not expired: Graph refused it (401).
    pub async fn refreshed_access_token(&self, employee_id: i64) -> Result<String, SessionError> {
        let owner = self.effective_owner(employee_id).await?;
        Ok(self.grant(owner, true).await?.access_token)
    }

    /// A new access token for `owner` even though the stored one has not expired (Graph
    /// refused it with 401).
    pub async fn refreshed_access_token_of(
        &self,
        owner: SignInOwner,
    ) -> Result<String, SessionError> {
        Ok(self.grant(owner, true).await?.access_token)
    }

    async fn effective_owner(&self, employee_id: i64) -> Result<SignInOwner, SessionError> {
        self.off_thread(move |m| Ok(m.owner_of(employee_id)?)).await
    }

    /// The owner's active sign-in, if the registration that issued it is the one its
    /// configuration names now. Otherwise the sign-in is ended here, before any of its tokens or
    /// the client secret is sent anywhere.
    pub fn usable(&self, owner: SignInOwner) -> Result<(), SessionError> {
        self.checked(owner).map(drop)
    }

    fn checked(&self, owner: SignInOwner) -> Result<Usable, SessionError> {
        let stored = self
            .db
            .with(|c| sign_ins::get(c, owner))?
            .ok_or(SessionError::NotSignedIn)?;
        if stored.state == SignInState::Expired {
            return Err(SessionError::expired(stored.expired_reason));
        }
        let registration = self.registration(owner)?;
        if stored.issuer.as_ref() != Some(&registration.issuer()) {
            tracing::warn!(
                ?owner,
                code = ISSUER_CHANGED,
                "the sign-in was made under another registration: ended, its tokens are not sent"
            );
            let now = self.now_seconds();
            self.db.with(|c| {
                sign_ins::mark_expired(c, owner, ISSUER_CHANGED, stored.generation, now)
            })?;
            return Err(SessionError::IssuerChanged);
        }
        Ok(Usable {
            tokens: stored.tokens.ok_or(SessionError::NotSignedIn)?,
            generation: stored.generation,
            registration,
        })
    }

    /// The refresh lock of `owner`'s sign-in.
    fn refresh_lock(&self, owner: SignInOwner) -> Arc<tokio::sync::Mutex<()>> {
        self.refresh_locks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(owner)
            .or_default()
            .clone()
    }

    /// A valid access token for `owner` with the endpoints it may go to; `force_refresh`: a new
    /// one even though the stored one has not expired (Graph refused it with 401).
    ///
    /// One refresh per sign-in at a time: calls that need one while another runs wait for it and
    /// take the tokens it stored, instead of redeeming the same refresh token again.
    pub async fn grant(
        &self,
        owner: SignInOwner,
        force_refresh: bool,
    ) -> Result<Grant, SessionError> {
        let first = self.off_thread(move |m| m.checked(owner)).await?;
        let now = (self.clock)();
        if !force_refresh && !first.tokens.needs_refresh(now) {
            return Ok(first.grant());
        }
        let lock = self.refresh_lock(owner);
        let _one_refresh_at_a_time = lock.lock().await;
        let current = self.off_thread(move |m| m.checked(owner)).await?;
        let renewed_meanwhile = current.generation != first.generation;
        if renewed_meanwhile && !current.tokens.needs_refresh((self.clock)()) {
            return Ok(current.grant());
        }
        self.refresh(owner, current, force_refresh && !renewed_meanwhile)
            .await
    }

    /// Redeems the refresh token of `current` (under `owner`'s refresh lock) and stores the
    /// answer, unless the sign-in changed meanwhile (a new sign-in, a sign-out): then the answer
    /// is dropped and the stored sign-in counts.
    async fn refresh(
        &self,
        owner: SignInOwner,
        current: Usable,
        forced: bool,
    ) -> Result<Grant, SessionError> {
        let now = (self.clock)();
        let generation = current.generation;
        let Some(refresh_token) = current.tokens.refresh_token.clone() else {
            return self
                .expire(owner, SignInError::ExpiredByInactivity, generation)
                .await;
        };
        match identity::refresh(&self.http, &current.registration, &refresh_token, now).await {
            Ok(fresh) => {
                // Stored before it is used: a crash now must not lose the rotated refresh token.
                let access = fresh.access_token.clone();
                let stored = self
                    .off_thread(move |m| {
                        Ok(m.db.with(|c| {
                            sign_ins::update_tokens(c, owner, &fresh, generation, m.now_seconds())
                        })?)
                    })
                    .await?;
                if !stored {
                    tracing::info!(
                        ?owner,
                        "the sign-in changed during the refresh: its answer is dropped"
                    );
                    return Ok(self.off_thread(move |m| m.checked(owner)).await?.grant());
                }
                tracing::debug!(?owner, "access token refreshed");
                Ok(Grant {
                    access_token: access,
                    endpoints: current.registration.endpoints,
                })
            }
            Err(e) if e.needs_interactive_sign_in() => self.expire(owner, e, generation).await,
            // A broken network or a busy identity platform says nothing about the sign-in, and
            // the refresh starts `REFRESH_MARGIN` before the access token expires: the token in
            // hand still works, and the next call tries the refresh again. Not after a 401
            // (`forced`): Graph has refused that token already.
            Err(e) if e.is_transient() && !forced && now < current.tokens.expires_at => {
                tracing::warn!(
                    ?owner,
                    code = e.code().as_str(),
                    "token refresh failed for now, the access token is still valid: {e}"
                );
                Ok(current.grant())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Redeems `owner`'s refresh token now, whether or not the access token needs it, so that
    /// the refresh token does not lapse unused (see `keep_alive`). A refusal for good marks the
    /// sign-in expired, as any refresh does.
    pub async fn refresh_now(&self, owner: SignInOwner) -> Result<(), SessionError> {
        self.grant(owner, true).await.map(drop)
    }

    /// Marks the sign-in of `generation` expired by `e` (B5). A newer sign-in stays as it is, and
    /// its tokens are the answer.
    async fn expire(
        &self,
        owner: SignInOwner,
        e: SignInError,
        generation: i64,
    ) -> Result<Grant, SessionError> {
        tracing::warn!(
            ?owner,
            code = e.code().as_str(),
            "Microsoft 365 sign-in expired: {e}"
        );
        let code = e.code().as_str();
        let marked = self
            .off_thread(move |m| {
                Ok(m.db.with(|c| {
                    sign_ins::mark_expired(c, owner, code, generation, m.now_seconds())
                })?)
            })
            .await?;
        if !marked {
            return Ok(self.off_thread(move |m| m.checked(owner)).await?.grant());
        }
        Err(SessionError::Expired {
            reason: code.to_string(),
        })
    }

    /// Makes `call` with `owner`'s sign-in. When Graph refuses the access token (401) although it
    /// has not expired by the app's clock, the token is refreshed, bypassing the stored one, and
    /// the call is made once more; a second 401 is the answer, so a refused token never loops.
    /// It is what MSAL offers for this case: a silent acquisition that ignores the cached access
    /// token and redeems the refresh token (MSAL.NET `AcquireTokenSilent(...).WithForceRefresh`,
    /// MSAL.js `forceRefresh`), and the client's step after a refusal in Microsoft's CAE flow:
    /// bypass the cache and go back to the token endpoint with the refresh token, where a revoked
    /// sign-in ends ("Continuous access evaluation", concept-continuous-access-evaluation.md,
    /// "User revocation event flow"). The app declares no `cp1` capability, so Graph sends it no
    /// claims challenge (claims-challenge.md, "Client capabilities") and the refresh carries no
    /// `claims`. The new token goes to the endpoints of the first one or nowhere.
    pub async fn graph_call(
        &self,
        owner: SignInOwner,
        call: &Call<'_>,
    ) -> Result<serde_json::Value, GraphRequestError> {
        let grant = self.grant(owner, false).await?;
        let graph = GraphClient {
            http: &self.http,
            endpoints: &grant.endpoints,
        };
        match graph.call(call, &grant.access_token).await {
            Err(refused) if refused.status() == Some(401) => {
                tracing::info!(?owner, "Graph refused the access token: refreshing it once");
                let fresh = self.grant(owner, true).await?;
                if fresh.endpoints != grant.endpoints {
                    return Err(SessionError::IssuerChanged.into());
                }
                graph
                    .call(call, &fresh.access_token)
                    .await
                    .map_err(GraphRequestError::Graph)
            }
            answer => answer.map_err(GraphRequestError::Graph),
        }
    }

    /// `GET /me` with `owner`'s sign-in (see `graph_call`).
    pub async fn me(&self, owner: SignInOwner) -> Result<Me, GraphRequestError> {
        let answer = self.graph_call(owner, &Call::Get("me".into())).await?;
        serde_json::from_value(answer).map_err(|_| {
            GraphRequestError::Graph(GraphCallError {
                error: GraphError::Malformed,
                transient: false,
                retry_after: None,
            })
        })
    }

    /// B6: forgets the sign-in and its tokens.
    pub fn sign_out(&self, owner: SignInOwner) -> Result<(), SessionError> {
        self.db.with(|c| sign_ins::delete(c, owner))?;
        tracing::info!(?owner, "signed out of Microsoft 365");
        Ok(())
    }
}
