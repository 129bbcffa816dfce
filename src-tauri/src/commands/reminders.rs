//! The notification centre (D1).

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::services::reminders::{self, Notification};

/// The reminders shown and not dismissed, after delivering those due now, each with its start as
/// the user reads it and its join link only where joining is offered (C7).
#[tauri::command]
pub async fn notifications(state: State<'_, AppState>) -> IpcResult<Vec<Notification>> {
    let (due, zone, os) = (state.reminders.clone(), state.zone, state.os_language);
    blocking(&state, move |db| {
        Ok(reminders::notifications(
            db,
            &due,
            zone,
            os,
            chrono::Utc::now(),
        )?)
    })
    .await
}

#[tauri::command]
pub async fn dismiss_notification(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |db| {
        Ok(reminders::dismiss(db, id, chrono::Utc::now())?)
    })
    .await
}

/// D1: changes when an activity reminds, also after its meeting request was sent.
#[tauri::command]
pub async fn set_reminder(state: State<'_, AppState>, id: i64, minutes: i64) -> IpcResult<()> {
    blocking(&state, move |db| {
        Ok(reminders::set_minutes(db, id, minutes, chrono::Utc::now())?)
    })
    .await
}
