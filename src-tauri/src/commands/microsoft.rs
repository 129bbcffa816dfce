//! Microsoft 365 sign-in on the employee record and the mail configuration (B1, B5, B6, A6).

use tauri::State;

use super::error::MicrosoftError;
use super::{AppState, IpcError, IpcResult};
use crate::crm::sign_in::SignInOwner;
use crate::microsoft::session::{Microsoft365, SessionError};
use crate::services::sign_in::{self, SignInFailure};
pub use crate::services::sign_in::{ConnectionTest, OwnSignIn, SignInStatus};
use crate::services::CrmError;

/// Runs `f` with the tie to Microsoft 365 on a blocking thread (it reads SQLite).
async fn off_thread<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Microsoft365) -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    let m365 = state.m365.clone();
    crate::off_thread::run(move || f(&m365)).await?
}

impl From<SessionError> for IpcError {
    fn from(e: SessionError) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

impl From<SignInFailure> for IpcError {
    fn from(e: SignInFailure) -> Self {
        match e {
            // A store's failure and unfinished work answer as they do in every other command.
            SignInFailure::Store(e) => CrmError::Store(e).into(),
            SignInFailure::Unfinished(e) => e.into(),
            e => IpcError {
                microsoft: e.microsoft().map(|(code, message)| MicrosoftError {
                    code: code.into(),
                    message: message.into(),
                }),
                ..IpcError::new(e.code(), e.to_string())
            },
        }
    }
}

/// B5 (beyond): the own employee's sign-in, and whether it needs the user now.
#[tauri::command]
pub async fn own_sign_in(state: State<'_, AppState>) -> IpcResult<Option<OwnSignIn>> {
    off_thread(&state, |m| Ok(sign_in::own_sign_in(m)?)).await
}

#[tauri::command]
pub async fn sign_in_status(
    state: State<'_, AppState>,
    owner: SignInOwner,
) -> IpcResult<SignInStatus> {
    off_thread(&state, move |m| Ok(sign_in::status(m, owner)?)).await
}

/// "Anmeldung zu Office 365 durchführen und speichern": opens the browser and waits (at most
/// five minutes) for the sign-in; `cancel_sign_in` ends the wait.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, owner: SignInOwner) -> IpcResult<SignInStatus> {
    Ok(sign_in::sign_in_and_status(
        &state.m365,
        owner,
        state.browser.as_ref(),
        state.os_language,
        &state.pending_sign_in,
    )
    .await?)
}

/// Signs `owner` in (only the own employee or a mail configuration), one sign-in at a time.
pub(super) async fn sign_in_as(state: &AppState, owner: SignInOwner) -> IpcResult<()> {
    Ok(sign_in::sign_in(
        &state.m365,
        owner,
        state.browser.as_ref(),
        state.os_language,
        &state.pending_sign_in,
    )
    .await?)
}

#[tauri::command]
pub async fn cancel_sign_in(state: State<'_, AppState>) -> IpcResult<()> {
    state.pending_sign_in.cancel();
    Ok(())
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>, owner: SignInOwner) -> IpcResult<SignInStatus> {
    off_thread(&state, move |m| Ok(sign_in::sign_out(m, owner)?)).await
}

/// A6 "Test": `GET /me` with the sign-in a send would use (B3): on the own employee, the
/// mail configuration's where that one leads. A refusal carries Microsoft's own code and message.
#[tauri::command]
pub async fn test_sign_in(
    state: State<'_, AppState>,
    owner: SignInOwner,
) -> IpcResult<ConnectionTest> {
    Ok(sign_in::connection_test(&state.m365, owner).await?)
}

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
