//! The notification centre (D1).

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::store::activities;
use crate::store::reminders::{self, Reminder};

/// The reminders shown and not dismissed, after delivering those due now (also outside the
/// window: the background scan may not have come to them yet). A reminder carries its join link
/// only where "An Besprechung teilnehmen" is offered (C7: not without Teams).
#[tauri::command]
pub async fn notifications(state: State<'_, AppState>) -> IpcResult<Vec<Reminder>> {
    let due = state.reminders.clone();
    blocking(&state, move |db| {
        due.deliver_due(chrono::Utc::now().timestamp())?;
        Ok(db.with(|c| {
            let mut open = reminders::open(c)?;
            for r in &mut open {
                if r.join_url.is_some() && !super::availability::join_offered(c, r.activity_id)? {
                    r.join_url = None;
                }
            }
            Ok::<_, crate::store::StoreError>(open)
        })?)
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

/// D1: changes when an activity reminds, also after its meeting request was sent.
#[tauri::command]
pub async fn set_reminder(state: State<'_, AppState>, id: i64, minutes: i64) -> IpcResult<()> {
    let mut fields = crate::crm::validation::FieldErrors::default();
    crate::crm::calendar::check_reminder_minutes(&mut fields, minutes);
    fields
        .into_result(())
        .map_err(crate::services::CrmError::Invalid)?;
    blocking(&state, move |db| {
        Ok(db.with(|c| {
            activities::set_reminder_minutes(c, id, minutes, chrono::Utc::now().timestamp())
        })?)
    })
    .await
}
