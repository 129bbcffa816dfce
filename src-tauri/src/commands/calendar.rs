//! The calendar (C1-C3) and activities (F2).

use chrono::{DateTime, Duration, Utc};
use tauri::State;

use super::{blocking, check_query, AppState, IpcError, IpcResult};
use crate::crm::activity::{
    Activity, ActivityDraft, ActivityInput, ActivityKind, CalendarEntry, HistoryItem,
};
use crate::crm::calendar::{draft, CalendarSlot, MAX_OPEN_CALENDARS};
use crate::crm::model::{RecordKind, RecordRef};
use crate::crm::wall_clock::{self, wall_clock_of, WallClock};
use crate::crm::{rules, ErrorCode};
use crate::services::activities as activity_ops;
use crate::store::{activities, mail_configurations, settings, Db};

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
        Ok(db.with(|c| activities::calendar(c, &employee_ids, from, to))?)
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

/// The own employee, who owns new activities; an error while the workspace has none.
pub(super) fn current_employee(db: &Db) -> IpcResult<i64> {
    db.with(|c| settings::load(c))?
        .current_employee_id
        .ok_or_else(|| IpcError::new(ErrorCode::NoCurrentEmployee, "no own employee is set"))
}

/// The entries of the action choice for a click on a day or slot (C1, C7).
#[tauri::command]
pub async fn calendar_actions(state: State<'_, AppState>) -> IpcResult<Vec<ActivityKind>> {
    blocking(&state, |db| {
        let me = current_employee(db)?;
        Ok(db.with(|c| {
            let s = settings::load(c)?;
            let mc = mail_configurations::of_employee(c, me)?;
            Ok::<_, crate::store::StoreError>(rules::calendar_actions(&s, mc.as_ref()))
        })?)
    })
    .await
}

/// A draft as the dialog opens with it: the input, its participants' labels, the link if any.
pub(super) fn draft_for_dialog(
    db: &Db,
    input: ActivityInput,
    linked_from: Option<i64>,
) -> IpcResult<ActivityDraft> {
    let (participants, (business_partner, contact, person)) = db.with(|c| {
        Ok::<_, crate::store::StoreError>((
            activities::describe_participants(c, &input.participants)?,
            activities::describe_links(c, &input)?,
        ))
    })?;
    Ok(ActivityDraft {
        wall_clock: wall_clock_of(input.starts_at, input.ends_at, &input.time_zone),
        input,
        participants,
        linked_from,
        business_partner,
        contact,
        person,
    })
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
        let me = current_employee(db)?;
        super::availability::require_kind(db, kind, me)?;
        let input = draft(kind, &slot, zone, me, &opened_calendars);
        draft_for_dialog(db, input, None)
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
        let me = current_employee(db)?;
        let teams = db.with(|c| {
            if let Some(r) = record {
                check_record(c, r)?;
            }
            Ok::<_, crate::services::CrmError>(
                super::availability::context_of(c, me)?.teams_available,
            )
        })?;
        Ok(rules::new_activity_kinds(teams))
    })
    .await
}

/// A record new activities can be made from: one that exists, of a kind that has activities.
fn check_record(conn: &rusqlite::Connection, r: RecordRef) -> crate::services::Result<()> {
    let table = match r.kind {
        RecordKind::BusinessPartner => "business_partners",
        RecordKind::Contact => "contacts",
        RecordKind::Employee => "employees",
        RecordKind::Person => "persons",
        _ => {
            return Err(crate::services::CrmError::NotAllowed(
                crate::crm::ErrorCode::NoActivityFromRecord,
            ))
        }
    };
    if !crate::store::exists(conn, table, r.id)? {
        return Err(crate::store::StoreError::NotFound {
            kind: r.kind,
            id: r.id,
        }
        .into());
    }
    Ok(())
}

/// F2: the dialog of a new activity of `kind` from the activity list (`record` null) or
/// prefilled from a record's page (`activities::draft_for`); a Teams meeting only where Teams is
/// available (C7).
#[tauri::command]
pub async fn new_activity_draft(
    state: State<'_, AppState>,
    kind: ActivityKind,
    record: Option<RecordRef>,
) -> IpcResult<ActivityDraft> {
    let zone = state.zone;
    blocking(&state, move |db| {
        let me = current_employee(db)?;
        super::availability::require_kind(db, kind, me)?;
        let input = db.with(|c| activity_ops::draft_for(c, kind, record, me, zone, Utc::now()))?;
        draft_for_dialog(db, input, None)
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
        super::availability::require_kind(db, input.kind, input.owner_employee_id)?;
        let a = activity_ops::create(db, &input)?;
        tracing::info!(id = a.id, kind = a.kind.as_str(), "activity created");
        Ok(a)
    })
    .await
}

#[tauri::command]
pub async fn update_activity(
    state: State<'_, AppState>,
    id: i64,
    input: ActivityInput,
    wall_clock: Option<WallClock>,
) -> IpcResult<Activity> {
    let input = with_wall_clock(input, wall_clock)?;
    blocking(&state, move |db| Ok(activity_ops::update(db, id, &input)?)).await
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
    blocking(&state, move |db| {
        let owner = activity_ops::get(db, id)?.owner.id;
        super::availability::require_kind(db, kind, owner)?;
        Ok(activity_ops::convert(db, id, kind)?)
    })
    .await
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
        Ok(db.with(|c| activities::search(c, &query, super::LIST_LIMIT))?)
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
        Ok(db.with(|c| activities::history_of_record(c, kind, id, super::LIST_LIMIT))?)
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
