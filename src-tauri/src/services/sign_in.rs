//! Microsoft 365 sign-in on the employee record and the mail configuration (B1, B5, B6, A6): what
//! the record shows about it, signing in and out, and the connection test.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::oneshot;
use ts_rs::TS;

use super::error::store_code;
use crate::crm::settings::Language;
use crate::crm::sign_in::{SignInOwner, SignInState, REFRESH_TOKEN_LIFETIME};
use crate::crm::ErrorCode;
use crate::microsoft::graph::{GraphError, Me};
pub use crate::microsoft::identity::Browser;
use crate::microsoft::identity::{SystemBrowser, SIGN_IN_TIMEOUT};
use crate::microsoft::session::{GraphRequestError, Microsoft365, SessionError};
use crate::off_thread::{run, Unfinished};
use crate::store::{settings, sign_ins, StoreError};

/// What the record shows about its Microsoft 365 sign-in. Never a token.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignInStatus {
    /// The mail configuration carries the Azure fields, so signing in is possible.
    pub available: bool,
    /// The mail configuration's client secret is stored but can no longer be read (the
    /// keyring's key is missing or another one): it must be entered again before signing in.
    pub secret_unreadable: bool,
    /// `None`: not signed in. `Expired` with the reason `signin_unreadable` when the stored
    /// tokens can no longer be read: the user signs in again.
    pub state: Option<SignInState>,
    pub account: Option<String>,
    pub display_name: Option<String>,
    /// The code of the failure that ended the sign-in (B5).
    pub expired_reason: Option<String>,
    /// When an active sign-in lapses unless it is used before (90 days after the last tokens).
    #[ts(type = "string | null")]
    pub lapses_at: Option<chrono::DateTime<chrono::Utc>>,
    /// "Test" has an active sign-in to test: the one a send would use (B3), which on the own
    /// employee is the mail configuration's where that one leads.
    pub testable: bool,
}

/// The sign-in the own employee's Teams actions use (B3), for the banner of B5.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OwnSignIn {
    pub owner: SignInOwner,
    pub status: SignInStatus,
    /// Lapsed, or lapsing within `LAPSE_WARNING`: the banner asks for a sign-in.
    pub needs_attention: bool,
}

/// How long before a sign-in lapses the banner warns.
const LAPSE_WARNING: chrono::Duration = chrono::Duration::days(10);

/// The account `GET /me` answered with (A6).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionTest {
    /// The sign-in that was tested: a mail configuration's where it leads the employee's (B3).
    pub owner: SignInOwner,
    pub user_principal_name: String,
    pub display_name: Option<String>,
    pub mail: Option<String>,
}

/// The OS's browser (honouring `$BROWSER`), which shows Microsoft's sign-in page.
pub fn system_browser() -> Arc<dyn Browser> {
    Arc::new(SystemBrowser)
}

/// Why a sign-in use case failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInFailure {
    /// Signing in on a colleague's record would store the user's own account as the colleague's.
    #[error("only the own employee's or a mail configuration's sign-in can be made here")]
    NotOwn,
    #[error(transparent)]
    Session(#[from] SessionError),
    /// Graph refused the connection test's `GET /me` or could not be reached.
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Work that panicked: what it said is in the log only.
    #[error(transparent)]
    Unfinished(#[from] Unfinished),
}

impl From<GraphRequestError> for SignInFailure {
    fn from(e: GraphRequestError) -> Self {
        match e {
            GraphRequestError::Session(e) => SignInFailure::Session(e),
            GraphRequestError::Graph(call) => SignInFailure::Graph(call.error),
        }
    }
}

impl SignInFailure {
    /// The stable code the user is shown.
    pub fn code(&self) -> ErrorCode {
        match self {
            SignInFailure::NotOwn => ErrorCode::SignInNotOwn,
            SignInFailure::Session(e) => e.code(),
            SignInFailure::Graph(GraphError::Status { status: 401, .. }) => {
                ErrorCode::GraphUnauthenticated
            }
            SignInFailure::Graph(GraphError::Status { status: 403, .. }) => {
                ErrorCode::GraphForbidden
            }
            SignInFailure::Graph(GraphError::Network(_)) => ErrorCode::GraphNetwork,
            SignInFailure::Graph(GraphError::TooLarge { .. }) => ErrorCode::GraphResponseTooLarge,
            SignInFailure::Graph(_) => ErrorCode::GraphError,
            SignInFailure::Store(e) => store_code(e),
            SignInFailure::Unfinished(_) => ErrorCode::Internal,
        }
    }

    /// Microsoft's own error code and message where Graph refused with them, shown beside the
    /// app's explanation so that an administrator can look them up.
    pub fn microsoft(&self) -> Option<(&str, &str)> {
        match self {
            SignInFailure::Graph(GraphError::Status { code, message, .. }) if !code.is_empty() => {
                Some((code, message))
            }
            _ => None,
        }
    }
}

type Result<T> = std::result::Result<T, SignInFailure>;

/// The sign-in that waits for the browser, if one does. One at a time: a new one ends the one
/// still waiting, and so does the user's "cancel".
#[derive(Default)]
pub struct PendingSignIn(Mutex<Option<oneshot::Sender<()>>>);

impl PendingSignIn {
    /// A new wait; the one before, if any, ends now.
    fn begin(&self) -> oneshot::Receiver<()> {
        let (cancel_tx, cancel) = oneshot::channel();
        if let Some(earlier) = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .replace(cancel_tx)
        {
            let _ = earlier.send(());
        }
        cancel
    }

    /// Ends the waiting sign-in, if one waits.
    pub fn cancel(&self) {
        if let Some(cancel) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = cancel.send(());
        }
    }
}

/// Whose sign-in the user may make here (B1, B3): the own employee's or a mail configuration's.
fn check_may_sign_in(m365: &Microsoft365, owner: SignInOwner) -> Result<()> {
    match owner {
        SignInOwner::MailConfiguration(_) => Ok(()),
        SignInOwner::Employee(id) if m365.current_employee()? == Some(id) => Ok(()),
        SignInOwner::Employee(_) => Err(SignInFailure::NotOwn),
    }
}

/// The sign-in "Test" tests on `owner`'s record, and whether it is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestTarget {
    pub owner: SignInOwner,
    pub active: bool,
}

/// Which sign-in "Test" tests on `owner`'s record (A6): the one a send would use (B3), which on
/// the own employee is the mail configuration's where that one leads. The panel offers "Test"
/// (`SignInStatus::testable`) and the test runs (`connection_test`) by this one answer. The
/// employees and configurations are read from the shared data, the sign-ins from this desktop.
pub fn test_target(
    m365: &Microsoft365,
    owner: SignInOwner,
) -> std::result::Result<TestTarget, StoreError> {
    let tested = match owner {
        SignInOwner::Employee(id) => send_owner_of(m365, id)?,
        mail_configuration => mail_configuration,
    };
    let active =
        m365.db.with(|c| sign_ins::get(c, tested))?.map(|s| s.state) == Some(SignInState::Active);
    Ok(TestTarget {
        owner: tested,
        active,
    })
}

/// What `owner`'s record shows about its sign-in.
pub fn status(m365: &Microsoft365, owner: SignInOwner) -> Result<SignInStatus> {
    let registration = m365.registration(owner);
    let secret_unreadable = matches!(
        registration,
        Err(SessionError::Store(StoreError::SecretUnreadable))
    );
    // A sign-in issued under another registration shows as ended, not as signed in.
    if let Err(SessionError::Store(e)) = m365.usable(owner) {
        if !matches!(e, StoreError::SecretUnreadable) {
            return Err(e.into());
        }
    }
    let stored = m365.db.with(|c| sign_ins::get(c, owner))?;
    let target = test_target(m365, owner)?;
    Ok(SignInStatus {
        testable: target.active,
        available: registration.is_ok(),
        secret_unreadable,
        state: stored.as_ref().map(|s| s.state),
        account: stored
            .as_ref()
            .map(|s| s.account.user_principal_name.clone()),
        display_name: stored.as_ref().map(|s| s.account.display_name.clone()),
        lapses_at: stored
            .as_ref()
            .filter(|s| s.state == SignInState::Active)
            .map(|s| s.updated_at + REFRESH_TOKEN_LIFETIME),
        expired_reason: stored.and_then(|s| s.expired_reason),
    })
}

/// B5 (beyond): the own employee's sign-in, and whether it needs the user now; none while the
/// workspace has no own employee.
pub fn own_sign_in(m365: &Microsoft365) -> Result<Option<OwnSignIn>> {
    let Some(me) = m365.current_employee()? else {
        return Ok(None);
    };
    let owner = m365.owner_of(me)?;
    let status = status(m365, owner)?;
    let lapsing = status
        .lapses_at
        .is_some_and(|at| at - (m365.clock)() < LAPSE_WARNING);
    // A secret that must be entered again stops every sign-in of the configuration.
    let needs_attention = status.secret_unreadable
        || status.available && (status.state == Some(SignInState::Expired) || lapsing);
    Ok(Some(OwnSignIn {
        owner,
        status,
        needs_attention,
    }))
}

/// B1: signs `owner` in (only the own employee or a mail configuration) through `browser`, and
/// waits at most `SIGN_IN_TIMEOUT` for the user; `pending` can end the wait. The page speaks the
/// settings' language, else `os_language`.
pub async fn sign_in(
    m365: &Microsoft365,
    owner: SignInOwner,
    browser: &dyn Browser,
    os_language: Language,
    pending: &PendingSignIn,
) -> Result<()> {
    let m = m365.clone();
    run(move || check_may_sign_in(&m, owner)).await??;
    let cancel = pending.begin();
    let m = m365.clone();
    // The language is this desktop's preference, kept in its own file.
    let language = run(move || m.db.with(|c| settings::load(c)))
        .await??
        .language
        .unwrap_or(os_language);
    m365.sign_in(owner, browser, language, SIGN_IN_TIMEOUT, cancel)
        .await?;
    // Teams' links name users by UPN, which only Graph states for sure (the ID token's
    // preferred_username need not be one). Without it the links use the mail address.
    if let Err(e) = read_me(m365, owner).await {
        tracing::warn!(code = %e.code(), "GET /me after the sign-in failed");
    }
    Ok(())
}

/// `sign_in`, answering with what the record shows afterwards.
pub async fn sign_in_and_status(
    m365: &Microsoft365,
    owner: SignInOwner,
    browser: &dyn Browser,
    os_language: Language,
    pending: &PendingSignIn,
) -> Result<SignInStatus> {
    sign_in(m365, owner, browser, os_language, pending).await?;
    let m = m365.clone();
    run(move || status(&m, owner)).await?
}

/// B6: ends `owner`'s sign-in; answers with what the record shows afterwards.
pub fn sign_out(m365: &Microsoft365, owner: SignInOwner) -> Result<SignInStatus> {
    m365.sign_out(owner)?;
    status(m365, owner)
}

/// A6 "Test": `GET /me` with the sign-in `test_target` names.
pub async fn connection_test(m365: &Microsoft365, owner: SignInOwner) -> Result<ConnectionTest> {
    let m = m365.clone();
    let target = run(move || test_target(&m, owner)).await??;
    let me = read_me(m365, target.owner).await?;
    Ok(ConnectionTest {
        owner: target.owner,
        user_principal_name: me.user_principal_name,
        display_name: me.display_name,
        mail: me.mail,
    })
}

/// `GET /me` with the owner's sign-in; its `userPrincipalName` is kept with the sign-in. A 401
/// gets one silent refresh and one retry, as MSAL's force refresh does (`Microsoft365::me`).
async fn read_me(m365: &Microsoft365, owner: SignInOwner) -> Result<Me> {
    let me = m365.me(owner).await?;
    let upn = me.user_principal_name.clone();
    let m = m365.clone();
    run(move || m.db.with(|c| sign_ins::set_graph_upn(c, owner, &upn))).await??;
    Ok(me)
}

#[cfg(test)]
#[path = "sign_in_tests.rs"]
mod tests;

/// The sign-in a send for `planner_id`'s activity uses (B3): the planner's mail configuration's
/// where this desktop holds one, else the current user's own employee's (the planner's only where
/// no own employee is set). The employees and mail configurations are read from `m365`'s shared
/// data, the sign-ins from this desktop.
pub fn send_owner_of(
    m365: &Microsoft365,
    planner_id: i64,
) -> std::result::Result<SignInOwner, StoreError> {
    match m365.owner_of(planner_id)? {
        owner @ SignInOwner::MailConfiguration(_) => Ok(owner),
        SignInOwner::Employee(_) => Ok(SignInOwner::Employee(
            m365.current_employee()?.unwrap_or(planner_id),
        )),
    }
}
