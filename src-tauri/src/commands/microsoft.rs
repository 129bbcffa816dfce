//! Microsoft 365 sign-in on the employee record and the mail configuration (B1, B5, B6, A6).

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{AppState, IpcError, IpcResult};
use crate::crm::sign_in::{SignInOwner, SignInState, REFRESH_TOKEN_LIFETIME};
use crate::crm::ErrorCode;
use crate::microsoft::graph::{GraphClient, GraphError, Me};
use crate::microsoft::identity::SIGN_IN_TIMEOUT;
use crate::microsoft::session::{Microsoft365, SessionError};
use crate::store::{settings, sign_ins, StoreError};

/// Runs `f` with the tie to Microsoft 365 on a blocking thread (it reads SQLite).
async fn off_thread<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Microsoft365) -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    let m365 = state.m365.clone();
    crate::off_thread::run(move || f(&m365)).await?
}

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

impl From<SessionError> for IpcError {
    fn from(e: SessionError) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

impl From<GraphError> for IpcError {
    fn from(e: GraphError) -> Self {
        let code = match &e {
            GraphError::Status { status: 401, .. } => ErrorCode::GraphUnauthenticated,
            GraphError::Status { status: 403, .. } => ErrorCode::GraphForbidden,
            GraphError::Network(_) => ErrorCode::GraphNetwork,
            GraphError::TooLarge { .. } => ErrorCode::GraphResponseTooLarge,
            _ => ErrorCode::GraphError,
        };
        let microsoft = match &e {
            GraphError::Status { code, message, .. } if !code.is_empty() => {
                Some(super::error::MicrosoftError {
                    code: code.clone(),
                    message: message.clone(),
                })
            }
            _ => None,
        };
        let mut error = IpcError::new(code, e.to_string());
        error.microsoft = microsoft;
        error
    }
}

/// Whose sign-in the user may make here (B1, B3): the own employee's or a mail configuration's.
/// Signing in on a colleague's record would store the user's own account as the colleague's.
pub(super) fn check_may_sign_in(conn: &rusqlite::Connection, owner: SignInOwner) -> IpcResult<()> {
    match owner {
        SignInOwner::MailConfiguration(_) => Ok(()),
        SignInOwner::Employee(id) if settings::load(conn)?.current_employee_id == Some(id) => {
            Ok(())
        }
        SignInOwner::Employee(_) => Err(IpcError::new(
            ErrorCode::SignInNotOwn,
            "only the own employee's or a mail configuration's sign-in can be made here",
        )),
    }
}

fn status(m365: &Microsoft365, owner: SignInOwner) -> IpcResult<SignInStatus> {
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
    let tested = match owner {
        SignInOwner::Employee(id) => m365.db.with(|c| crate::meetings::send_owner(c, id))?,
        mail_configuration => mail_configuration,
    };
    let testable = if tested == owner {
        stored.as_ref().map(|s| s.state) == Some(SignInState::Active)
    } else {
        m365.db.with(|c| sign_ins::get(c, tested))?.map(|s| s.state) == Some(SignInState::Active)
    };
    Ok(SignInStatus {
        testable,
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

/// B5 (beyond): the own employee's sign-in, and whether it needs the user now.
#[tauri::command]
pub async fn own_sign_in(state: State<'_, AppState>) -> IpcResult<Option<OwnSignIn>> {
    off_thread(&state, |m| {
        let Some(me) = m.db.with(|c| settings::load(c))?.current_employee_id else {
            return Ok(None);
        };
        let owner = m.db.with(|c| sign_ins::effective_owner(c, me))?;
        let status = status(m, owner)?;
        let lapsing = status
            .lapses_at
            .is_some_and(|at| at - (m.clock)() < LAPSE_WARNING);
        // A secret that must be entered again stops every sign-in of the configuration.
        let needs_attention = status.secret_unreadable
            || status.available && (status.state == Some(SignInState::Expired) || lapsing);
        Ok(Some(OwnSignIn {
            owner,
            status,
            needs_attention,
        }))
    })
    .await
}

#[tauri::command]
pub async fn sign_in_status(
    state: State<'_, AppState>,
    owner: SignInOwner,
) -> IpcResult<SignInStatus> {
    off_thread(&state, move |m| status(m, owner)).await
}

/// "Anmeldung zu Office 365 durchführen und speichern": opens the browser and waits (at most
/// five minutes) for the sign-in; `cancel_sign_in` ends the wait.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, owner: SignInOwner) -> IpcResult<SignInStatus> {
    sign_in_as(&state, owner).await?;
    off_thread(&state, move |m| status(m, owner)).await
}

/// Signs `owner` in (only the own employee or a mail configuration, `check_may_sign_in`), one
/// sign-in at a time.
pub(super) async fn sign_in_as(state: &AppState, owner: SignInOwner) -> IpcResult<()> {
    off_thread(state, move |m| m.db.with(|c| check_may_sign_in(c, owner))).await?;
    let (cancel_tx, cancel) = tokio::sync::oneshot::channel();
    if let Some(earlier) = state
        .pending_sign_in
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .replace(cancel_tx)
    {
        // One sign-in at a time: a new one ends the one still waiting.
        let _ = earlier.send(());
    }
    let os_language = state.os_language;
    let language = off_thread(state, move |m| {
        Ok(m.db
            .with(|c| settings::load(c))?
            .language
            .unwrap_or(os_language))
    })
    .await?;
    let result = state
        .m365
        .sign_in(
            owner,
            state.browser.as_ref(),
            language,
            SIGN_IN_TIMEOUT,
            cancel,
        )
        .await;
    result?;
    // Teams' links name users by UPN, which only Graph states for sure (the ID token's
    // preferred_username need not be one). Without it the links use the mail address.
    if let Err(e) = read_me(state, owner).await {
        tracing::warn!(code = %e.code, "GET /me after the sign-in failed");
    }
    Ok(())
}

/// `GET /me` with the owner's sign-in; its `userPrincipalName` is kept with the sign-in.
async fn read_me(state: &AppState, owner: SignInOwner) -> IpcResult<Me> {
    let grant = state.m365.grant(owner, false).await?;
    let me = GraphClient {
        http: &state.m365.http,
        endpoints: &grant.endpoints,
    }
    .me(&grant.access_token)
    .await?;
    let upn = me.user_principal_name.clone();
    off_thread(state, move |m| {
        Ok(m.db.with(|c| sign_ins::set_graph_upn(c, owner, &upn))?)
    })
    .await?;
    Ok(me)
}

#[tauri::command]
pub async fn cancel_sign_in(state: State<'_, AppState>) -> IpcResult<()> {
    if let Some(cancel) = state
        .pending_sign_in
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        let _ = cancel.send(());
    }
    Ok(())
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>, owner: SignInOwner) -> IpcResult<SignInStatus> {
    off_thread(&state, move |m| {
        m.sign_out(owner)?;
        status(m, owner)
    })
    .await
}

/// A6 "Test": `GET /me` with the sign-in a send would use (B3): on the own employee, the
/// mail configuration's where that one leads. A refusal carries Microsoft's own code and message.
#[tauri::command]
pub async fn test_sign_in(
    state: State<'_, AppState>,
    owner: SignInOwner,
) -> IpcResult<ConnectionTest> {
    let tested = match owner {
        SignInOwner::Employee(id) => {
            off_thread(&state, move |m| {
                Ok(m.db.with(|c| crate::meetings::send_owner(c, id))?)
            })
            .await?
        }
        mc @ SignInOwner::MailConfiguration(_) => mc,
    };
    let me = read_me(&state, tested).await?;
    Ok(ConnectionTest {
        owner: tested,
        user_principal_name: me.user_principal_name,
        display_name: me.display_name,
        mail: me.mail,
    })
}

#[cfg(test)]
#[path = "microsoft_status_tests.rs"]
mod status_tests;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::crm::settings::Language;
    use crate::store::Db;

    /// A Microsoft command whose work panics answers as every command does: the generic
    /// "internal" error, without a word of what the panic said.
    #[tokio::test]
    async fn a_panic_in_a_microsoft_commands_work_answers_internal_without_its_text() {
        let state = AppState::new(
            Arc::new(Db::open_in_memory().unwrap()),
            false,
            chrono_tz::Europe::Berlin,
            Language::De,
        );
        let e = off_thread(&state, |_| -> IpcResult<()> {
            panic!("refresh token 0.AXoA-SECRET")
        })
        .await
        .unwrap_err();
        assert_eq!(e.code, "internal");
        let answer = serde_json::to_string(&e).unwrap();
        assert!(!answer.contains("SECRET"), "{answer}");
        assert!(!answer.contains("panicked"), "{answer}");
    }
}
