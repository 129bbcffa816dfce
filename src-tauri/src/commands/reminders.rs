//! The notification centre (D1).

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::reminders::scan;
use crate::store::reminders::{self, Reminder};

/// The reminders shown and not dismissed, after recording those due now.
#[tauri::command]
pub async fn notifications(state: State<'_, AppState>) -> IpcResult<Vec<Reminder>> {
    blocking(&state, |db| {
        scan(db, chrono::Utc::now().timestamp())?;
        Ok(db.with(|c| reminders::open(c))?)
    })
    .await
}

#[tauri::command]
pub async fn dismiss_notification(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |db| {
        Ok(db.with(|c| reminders::dismiss(c, id, chrono::Utc::now().timestamp()))?)
    })
    .await
}
