//! Meetings on the activity record (C4, C6, D3): the variable button, the summary, sending,
//! joining, and the new activity linked to another.

use tauri::State;

use super::{blocking, AppState, IpcError, IpcResult};
use crate::crm::activity::{Activity, ActivityDraft, ActivityInput, ActivityKind};
use crate::crm::rules::{ActivityButtons, ContactMeetingButtons};
use crate::crm::ErrorCode;
use crate::meetings::{page, sign_in_for_send, SendError, SendOutcome, SendSummary, SendWait};
use crate::services::calendar;

impl From<SendError> for IpcError {
    fn from(e: SendError) -> Self {
        let mut error = IpcError::new(e.code(), e.to_string());
        error.microsoft = e
            .microsoft()
            .map(|(code, message)| super::error::MicrosoftError { code, message });
        error
    }
}

/// C6's variable button (`null` where hidden, C7), whether C8's cancel shows, the conversions
/// (C2) and whether the memo's join link is a link (D2).
#[tauri::command]
pub async fn activity_buttons(state: State<'_, AppState>, id: i64) -> IpcResult<ActivityButtons> {
    blocking(&state, move |db| Ok(page::buttons(db, id)?)).await
}

/// C4: why a meeting as the dialog holds it cannot be sent yet (an error code), or `null`.
#[tauri::command]
pub async fn meeting_send_check(input: ActivityInput) -> IpcResult<Option<ErrorCode>> {
    Ok(crate::meetings::send_blocker(
        input.kind,
        input.owner_employee_id,
        &input.participants,
    ))
}

/// C4: what the confirmation shows, or why the request cannot be sent.
#[tauri::command]
pub async fn meeting_summary(state: State<'_, AppState>, id: i64) -> IpcResult<SendSummary> {
    blocking(&state, move |db| Ok(page::send_summary(db, id)?)).await
}

/// C4: sends the meeting request (after the user confirmed the summary), or says whose sign-in
/// it needs first (B5); a Teams meeting is not sent where Teams is not available to its planner,
/// whatever the page showed when it was loaded (C7).
#[tauri::command]
pub async fn send_meeting_request(state: State<'_, AppState>, id: i64) -> IpcResult<SendOutcome> {
    Ok(state.sender.send_requested(id).await?)
}

/// B5: after `SendOutcome::NeedsSignIn`, signs in the sign-in the send uses (never one the UI
/// names) and sends once. A send that still lacks a sign-in fails with its code: no loop.
#[tauri::command]
pub async fn sign_in_and_send(state: State<'_, AppState>, id: i64) -> IpcResult<Activity> {
    let owner = blocking(&state, move |db| Ok(sign_in_for_send(db, id)?)).await?;
    super::microsoft::sign_in_as(&state, owner).await?;
    Ok(state.sender.send(id).await?)
}

/// The wait for Microsoft 365 that activity `id`'s send is in, if any (shown with the time left).
#[tauri::command]
pub async fn send_wait(state: State<'_, AppState>, id: i64) -> IpcResult<Option<SendWait>> {
    Ok(state.sender.waits.of(id))
}

/// Ends the wait of activity `id`'s send: the send ends, and the activity stays as the send
/// left it (unsent, or locked until reconciled where an earlier try may have reached Graph).
#[tauri::command]
pub async fn cancel_send_wait(state: State<'_, AppState>, id: i64) -> IpcResult<bool> {
    Ok(state.sender.waits.cancel(id))
}

/// After a cancel answered `event_gone`: marks the meeting cancelled in the CRM only.
#[tauri::command]
pub async fn mark_meeting_cancelled(state: State<'_, AppState>, id: i64) -> IpcResult<Activity> {
    Ok(state.sender.forget_event(id).await?)
}

/// D3: opens the Teams join link through the OS (the Teams client, else the browser); refused
/// where Teams is not available (C7).
#[tauri::command]
pub async fn join_meeting(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    let url = blocking(&state, move |db| {
        Ok(crate::teams::actions::join_link_of(db, id)?)
    })
    .await?
    .ok_or_else(|| {
        IpcError::new(
            ErrorCode::NoJoinUrl,
            "the activity has no join link of its mailbox's Teams",
        )
    })?;
    opener::open(url.as_str()).map_err(|e| IpcError::new(ErrorCode::LaunchFailed, e.to_string()))
}

/// C6: the dialog of a new appointment or meeting, prefilled from activity `id`.
#[tauri::command]
pub async fn linked_draft(
    state: State<'_, AppState>,
    id: i64,
    kind: ActivityKind,
) -> IpcResult<ActivityDraft> {
    let zone = state.zone;
    blocking(&state, move |db| {
        Ok(calendar::linked_draft(
            db,
            id,
            kind,
            zone,
            chrono::Utc::now(),
        )?)
    })
    .await
}

/// C6: creates the new activity linked to `from`; both histories show the link.
#[tauri::command]
pub async fn create_linked_activity(
    state: State<'_, AppState>,
    from: i64,
    input: ActivityInput,
    wall_clock: Option<crate::crm::wall_clock::WallClock>,
) -> IpcResult<Activity> {
    let input = super::calendar::with_wall_clock(input, wall_clock)?;
    blocking(&state, move |db| {
        Ok(calendar::create_linked(db, from, &input)?)
    })
    .await
}

/// C8 (beyond): cancels a sent meeting with a message to its attendees.
#[tauri::command]
pub async fn cancel_meeting(
    state: State<'_, AppState>,
    id: i64,
    message: String,
) -> IpcResult<Activity> {
    if message.chars().count() > 2000 {
        return Err(IpcError::new(
            ErrorCode::MessageTooLong,
            "the message is longer than 2000 characters",
        ));
    }
    Ok(state.sender.cancel(id, message.trim()).await?)
}

/// C5: the meeting buttons of a contact's toolbar, `null` where they are hidden.
#[tauri::command]
pub async fn contact_meeting(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Option<ContactMeetingButtons>> {
    blocking(&state, move |db| {
        Ok(page::contact_buttons(db, id, chrono::Utc::now())?)
    })
    .await
}

/// C5: the meeting dialog from a contact: the contact (and its partner) prefilled, starting at
/// the next full hour.
#[tauri::command]
pub async fn contact_meeting_draft(
    state: State<'_, AppState>,
    id: i64,
    kind: ActivityKind,
) -> IpcResult<ActivityDraft> {
    let zone = state.zone;
    blocking(&state, move |db| {
        Ok(calendar::contact_meeting_draft(
            db,
            id,
            kind,
            zone,
            chrono::Utc::now(),
        )?)
    })
    .await
}
