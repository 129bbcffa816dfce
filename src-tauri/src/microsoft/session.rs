//! Signing in and keeping a valid access token for an employee or a mail configuration:
//! B3's precedence, B4's silent refresh with the rotated token stored at once, B5's expired
//! state, B6's sign-out.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::cloud::Endpoints;
use super::errors::SignInError;
use super::identity::{self, Browser, Registration};
use super::tokens::{Account, SignInOwner, SignInState};
use crate::crm::settings::Language;
use crate::store::{mail_configurations, sign_ins, Db, StoreError};

/// Why no access token can be had.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("not signed in to Microsoft 365")]
    NotSignedIn,
    /// The sign-in lapsed (B5); `reason` is the code of the failure that ended it.
    #[error("the Microsoft 365 sign-in has expired ({reason})")]
    Expired { reason: String },
    #[error(transparent)]
    SignIn(#[from] SignInError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Work that panicked: what it said is in the log only.
    #[error(transparent)]
    Unfinished(#[from] crate::off_thread::Unfinished),
}

impl SessionError {
    pub fn code(&self) -> &str {
        match self {
            SessionError::NotSignedIn => "signin_required",
            SessionError::Expired { .. } => "signin_expired",
            SessionError::SignIn(e) => e.code(),
            SessionError::Store(StoreError::SecretUnreadable) => "secret_unreadable",
            SessionError::Store(_) => "database",
            SessionError::Unfinished(_) => "internal",
        }
    }
}

pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The app's tie to Microsoft 365: the database, one HTTP client, and the clock.
#[derive(Clone)]
pub struct Microsoft365 {
    pub db: Arc<Db>,
    pub http: reqwest::Client,
    pub clock: Clock,
}

impl Microsoft365 {
    pub fn new(db: Arc<Db>) -> Self {
        Microsoft365 {
            db,
            http: super::http_client(),
            clock: Arc::new(Utc::now),
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
    pub fn registration(&self, owner: SignInOwner) -> Result<Registration, SessionError> {
        self.db.with(|c| {
            let mc = match owner {
                SignInOwner::Employee(id) => mail_configurations::of_employee(c, id)?,
                SignInOwner::MailConfiguration(id) => Some(mail_configurations::get(c, id)?),
            };
            let mc = mc
                .filter(|m| m.has_azure_fields())
                .ok_or(SignInError::NotConfigured)?;
            let endpoints = Endpoints::for_configuration(&mc).ok_or(SignInError::NotConfigured)?;
            Ok(Registration {
                endpoints,
                tenant: mc.tenant_id.clone().unwrap_or_default(),
                client_id: mc.client_id.clone().unwrap_or_default(),
                client_secret: mail_configurations::client_secret(c, mc.id)?,
            })
        })
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
        .inspect_err(|e| tracing::warn!(code = e.code(), "sign-in failed: {e}"))?;
        let stored = account.clone();
        self.off_thread(move |m| {
            Ok(m.db.with(|c| sign_ins::save(c, owner, &stored, &tokens, m.now_seconds()))?)
        })
        .await?;
        tracing::info!(?owner, account = %account.user_principal_name, "signed in to Microsoft 365");
        Ok(account)
    }

    /// A valid access token for `employee_id`'s Graph calls (B3: the mail configuration's sign-in
    /// leads), refreshed silently when it is about to expire (B4). A refresh that fails for good
    /// marks the sign-in expired (B5).
    pub async fn access_token(&self, employee_id: i64) -> Result<String, SessionError> {
        let owner = self
            .off_thread(move |m| Ok(m.db.with(|c| sign_ins::effective_owner(c, employee_id))?))
            .await?;
        self.access_token_of(owner).await
    }

    pub async fn access_token_of(&self, owner: SignInOwner) -> Result<String, SessionError> {
        self.token(owner, false).await
    }

    /// A new access token even though the stored one has not expired: Graph refused it (401).
    pub async fn refreshed_access_token(&self, employee_id: i64) -> Result<String, SessionError> {
        let owner = self
            .off_thread(move |m| Ok(m.db.with(|c| sign_ins::effective_owner(c, employee_id))?))
            .await?;
        self.token(owner, true).await
    }

    /// A new access token for `owner` even though the stored one has not expired (Graph
    /// refused it with 401).
    pub async fn refreshed_access_token_of(
        &self,
        owner: SignInOwner,
    ) -> Result<String, SessionError> {
        self.token(owner, true).await
    }

    async fn token(&self, owner: SignInOwner, force_refresh: bool) -> Result<String, SessionError> {
        let stored = self
            .off_thread(move |m| Ok(m.db.with(|c| sign_ins::get(c, owner))?))
            .await?
            .ok_or(SessionError::NotSignedIn)?;
        if stored.state == SignInState::Expired {
            return Err(SessionError::Expired {
                reason: stored.expired_reason.unwrap_or_default(),
            });
        }
        let tokens = stored.tokens.ok_or(SessionError::NotSignedIn)?;
        let now = (self.clock)();
        if !force_refresh && !tokens.needs_refresh(now) {
            return Ok(tokens.access_token);
        }
        let Some(refresh_token) = tokens.refresh_token else {
            return Err(self.expire(owner, SignInError::ExpiredByInactivity).await?);
        };
        let reg = self.off_thread(move |m| m.registration(owner)).await?;
        match identity::refresh(&self.http, &reg, &refresh_token, now).await {
            Ok(fresh) => {
                // Stored before it is used: a crash now must not lose the rotated refresh token.
                let access = fresh.access_token.clone();
                self.off_thread(move |m| {
                    Ok(m.db.with(|c| sign_ins::update_tokens(c, owner, &fresh, m.now_seconds()))?)
                })
                .await?;
                tracing::debug!(?owner, "access token refreshed");
                Ok(access)
            }
            Err(e) if e.needs_interactive_sign_in() => Err(self.expire(owner, e).await?),
            // A broken network or a busy identity platform says nothing about the sign-in, and
            // the refresh starts `REFRESH_MARGIN` before the access token expires: the token in
            // hand still works, and the next call tries the refresh again. Not after a 401
            // (`force_refresh`): Graph has refused that token already.
            Err(e) if e.is_transient() && !force_refresh && now < tokens.expires_at => {
                tracing::warn!(
                    ?owner,
                    code = e.code(),
                    "token refresh failed for now, the access token is still valid: {e}"
                );
                Ok(tokens.access_token)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Redeems `owner`'s refresh token now, whether or not the access token needs it, so that
    /// the refresh token does not lapse unused (see `keep_alive`). A refusal for good marks the
    /// sign-in expired, as any refresh does.
    pub async fn refresh_now(&self, owner: SignInOwner) -> Result<(), SessionError> {
        self.token(owner, true).await.map(drop)
    }

    async fn expire(
        &self,
        owner: SignInOwner,
        e: SignInError,
    ) -> Result<SessionError, SessionError> {
        tracing::warn!(
            ?owner,
            code = e.code(),
            "Microsoft 365 sign-in expired: {e}"
        );
        let code = e.code();
        self.off_thread(move |m| {
            Ok(m.db.with(|c| sign_ins::mark_expired(c, owner, code, m.now_seconds()))?)
        })
        .await?;
        Ok(SessionError::Expired {
            reason: code.to_string(),
        })
    }

    /// B6: forgets the sign-in and its tokens.
    pub fn sign_out(&self, owner: SignInOwner) -> Result<(), SessionError> {
        self.db.with(|c| sign_ins::delete(c, owner))?;
        tracing::info!(?owner, "signed out of Microsoft 365");
        Ok(())
    }
}
