//! The calendar (C1-C3) and activities (F2).

use chrono::{DateTime, Duration, Utc};
use tauri::State;

use super::{blocking, check_query, AppState, IpcError, IpcResult};
use crate::crm::activity::{
    Activity, ActivityDraft, ActivityInput, ActivityKind, CalendarEntry, HistoryItem,
};
use crate::crm::calendar::{CalendarSlot, MAX_OPEN_CALENDARS};
use crate::crm::model::{RecordKind, RecordRef};
use crate::crm::wall_clock::{self, WallClock};
use crate::crm::ErrorCode;
use crate::services::activities as activity_ops;
use crate::services::calendar;

/// The longest range one calendar request may ask for: a month view with its spill-over weeks.
const MAX_RANGE_DAYS: i64 = 62;

/// Refuses more opened calendars than [`MAX_OPEN_CALENDARS`].
fn check_open_calendars(count: usize) -> IpcResult<()> {
    if count > MAX_OPEN_CALENDARS {
        return Err(IpcError::new(
            ErrorCode::TooManyCalendars,
            format!("at most {MAX_OPEN_CALENDARS} calendars can be open at once"),
        ));
    }
    Ok(())
}

#[tauri::command]
pub async fn calendar_entries(
    state: State<'_, AppState>,
    employee_ids: Vec<i64>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> IpcResult<Vec<CalendarEntry>> {
    check_range(from, to)?;
    check_open_calendars(employee_ids.len())?;
    blocking(&state, move |db| {
        Ok(calendar::entries(db, &employee_ids, from, to)?)
    })
    .await
}

/// A calendar range must end after it starts and be no longer than a month view.
pub(super) fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> IpcResult<()> {
    if to <= from || to - from > Duration::days(MAX_RANGE_DAYS) {
        return Err(IpcError::new(
            ErrorCode::InvalidRange,
            format!("the range must end after it starts and span at most {MAX_RANGE_DAYS} days"),
        ));
    }
    Ok(())
}

/// The entries of the action choice for a click on a day or slot (C1, C7).
#[tauri::command]
pub async fn calendar_actions(state: State<'_, AppState>) -> IpcResult<Vec<ActivityKind>> {
    blocking(&state, |db| Ok(calendar::actions(db)?)).await
}

/// The new activity the dialog opens with (C2, C3).
#[tauri::command]
pub async fn activity_draft(
    state: State<'_, AppState>,
    kind: ActivityKind,
    slot: CalendarSlot,
    opened_calendars: Vec<i64>,
) -> IpcResult<ActivityDraft> {
    check_open_calendars(opened_calendars.len())?;
    let zone = state.zone;
    blocking(&state, move |db| {
        Ok(calendar::slot_draft(
            db,
            kind,
            &slot,
            &opened_calendars,
            zone,
        )?)
    })
    .await
}

/// F2 with C7: the kinds of activity the own employee can make from the activity list (`record`
/// null) or from the page of a business partner, contact, employee or person.
#[tauri::command]
pub async fn new_activity_kinds(
    state: State<'_, AppState>,
    record: Option<RecordRef>,
) -> IpcResult<Vec<ActivityKind>> {
    blocking(&state, move |db| {
        Ok(calendar::new_activity_kinds(db, record)?)
    })
    .await
}

/// F2: the dialog of a new activity of `kind` from the activity list (`record` null) or
/// prefilled from a record's page; a Teams meeting only where Teams is available (C7).
#[tauri::command]
pub async fn new_activity_draft(
    state: State<'_, AppState>,
    kind: ActivityKind,
    record: Option<RecordRef>,
) -> IpcResult<ActivityDraft> {
    let zone = state.zone;
    blocking(&state, move |db| {
        Ok(calendar::record_draft(db, kind, record, zone, Utc::now())?)
    })
    .await
}

#[tauri::command]
pub async fn get_activity(state: State<'_, AppState>, id: i64) -> IpcResult<Activity> {
    blocking(&state, move |db| Ok(activity_ops::get(db, id)?)).await
}

#[tauri::command]
pub async fn create_activity(
    state: State<'_, AppState>,
    input: ActivityInput,
    wall_clock: Option<WallClock>,
) -> IpcResult<Activity> {
    let input = with_wall_clock(input, wall_clock)?;
    blocking(&state, move |db| {
        let a = calendar::create(db, &input)?;
        tracing::info!(id = a.id, kind = a.kind.as_str(), "activity created");
        Ok(a)
    })
    .await
}

#[tauri::command]
pub async fn update_activity(
    state: State<'_, AppState>,
    id: i64,
    version: Option<i64>,
    input: ActivityInput,
    wall_clock: Option<WallClock>,
) -> IpcResult<Activity> {
    let input = with_wall_clock(input, wall_clock)?;
    blocking(&state, move |db| {
        Ok(activity_ops::update(db, id, version, &input)?)
    })
    .await
}

/// The input with its instants taken from the wall-clock times the user edited, read in the
/// activity's own zone (C9); without them, the input's instants as they are.
pub(super) fn with_wall_clock(
    mut input: ActivityInput,
    times: Option<WallClock>,
) -> IpcResult<ActivityInput> {
    if let Some(times) = times {
        wall_clock::apply(&mut input, &times).map_err(crate::services::CrmError::from)?;
    }
    Ok(input)
}

#[tauri::command]
pub async fn convert_activity(
    state: State<'_, AppState>,
    id: i64,
    kind: ActivityKind,
) -> IpcResult<Activity> {
    blocking(&state, move |db| Ok(calendar::convert(db, id, kind)?)).await
}

#[tauri::command]
pub async fn delete_activity(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |db| Ok(activity_ops::delete(db, id)?)).await
}

#[tauri::command]
pub async fn search_activities(
    state: State<'_, AppState>,
    query: String,
) -> IpcResult<Vec<Activity>> {
    check_query(&query)?;
    blocking(&state, move |db| {
        Ok(calendar::search(db, &query, super::LIST_LIMIT)?)
    })
    .await
}

/// The history ("Verlauf") of any record.
#[tauri::command]
pub async fn record_history(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<Vec<HistoryItem>> {
    blocking(&state, move |db| {
        Ok(calendar::history(db, kind, id, super::LIST_LIMIT)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both the calendar view and the new activity's draft take up to the domain's number of
    /// opened calendars, and refuse one more with the code the UI words.
    #[test]
    fn one_calendar_more_than_may_be_open_is_refused() {
        assert!(check_open_calendars(MAX_OPEN_CALENDARS).is_ok());
        let err = check_open_calendars(MAX_OPEN_CALENDARS + 1).unwrap_err();
        assert_eq!(err.code, ErrorCode::TooManyCalendars);
        assert_eq!(err.message, "at most 20 calendars can be open at once");
    }
}
