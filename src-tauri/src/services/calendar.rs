//! The calendar (C1-C3) and the activity dialog's drafts (F2, C5, C6): what the calendar shows,
//! which actions a click offers, and the new activity each dialog opens with, each checked
//! against Teams' availability (C7) where it may be a Teams meeting.

use super::availability::{context_in, require_kind_in};
use super::Workspace;
use super::{activities as activity_ops, CrmError, Result};
use crate::crm::activity::{
    Activity, ActivityDraft, ActivityInput, ActivityKind, CalendarEntry, HistoryItem,
    ParticipantRef,
};
use crate::crm::calendar::{self, draft, CalendarSlot};
use crate::crm::model::{RecordKind, RecordRef};
use crate::crm::rules;
use crate::crm::wall_clock::wall_clock_of;
use crate::crm::ErrorCode;
use crate::store::interface::{read, Shared};
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The own employee, who owns new activities; refused while the workspace has none.
pub fn current_employee(shared: &mut dyn Shared) -> Result<i64> {
    shared
        .system_settings()?
        .current_employee_id
        .ok_or(CrmError::NotAllowed(ErrorCode::NoCurrentEmployee))
}

/// The entries of the employees' calendars between `from` and `to` (C1).
pub fn entries(
    workspace: &Workspace,
    employee_ids: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarEntry>> {
    read(workspace.shared(), |s| {
        Ok(s.calendar(employee_ids, from, to)?)
    })
}

/// The entries of the action choice for a click on a day or slot (C1, C7).
pub fn actions(workspace: &Workspace) -> Result<Vec<ActivityKind>> {
    read(workspace.shared(), |c| {
        let me = current_employee(c)?;
        let s = c.system_settings()?;
        let mc = c.mail_configuration_of_employee(me)?;
        Ok(rules::calendar_actions(&s, mc.as_ref()))
    })
}

/// A draft as the dialog opens with it: the input, its participants' labels, the link if any.
fn for_dialog(
    shared: &mut dyn Shared,
    input: ActivityInput,
    linked_from: Option<i64>,
) -> Result<ActivityDraft> {
    let participants = shared.describe_participants(&input.participants)?;
    let (business_partner, contact, person) = shared.describe_links(&input)?;
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

/// The new activity of `kind` the dialog opens with after a click on `slot` of the calendar, with
/// the opened calendars' employees invited (C2, C3).
pub fn slot_draft(
    workspace: &Workspace,
    kind: ActivityKind,
    slot: &CalendarSlot,
    opened_calendars: &[i64],
    zone: Tz,
) -> Result<ActivityDraft> {
    read(workspace.shared(), |c| {
        let me = current_employee(c)?;
        require_kind_in(c, kind, me)?;
        let input = draft(kind, slot, zone, me, opened_calendars);
        for_dialog(c, input, None)
    })
}

/// F2 with C7: the kinds of activity the own employee can make from the activity list (`record`
/// none) or from the page of a business partner, contact, employee or person.
pub fn new_activity_kinds(
    workspace: &Workspace,
    record: Option<RecordRef>,
) -> Result<Vec<ActivityKind>> {
    read(workspace.shared(), |c| {
        let me = current_employee(c)?;
        if let Some(r) = record {
            check_record(c, r)?;
        }
        Ok(rules::new_activity_kinds(
            context_in(c, me)?.teams_available,
        ))
    })
}

/// A record new activities can be made from: one that exists, of a kind that has activities.
fn check_record(shared: &mut dyn Shared, r: RecordRef) -> Result<()> {
    match r.kind {
        RecordKind::BusinessPartner
        | RecordKind::Contact
        | RecordKind::Employee
        | RecordKind::Person => {}
        _ => return Err(CrmError::NotAllowed(ErrorCode::NoActivityFromRecord)),
    }
    if !shared.record_exists(r.kind, r.id)? {
        return Err(StoreError::NotFound {
            kind: r.kind,
            id: r.id,
        }
        .into());
    }
    Ok(())
}

/// F2: the dialog of a new activity of `kind` from the activity list (`record` none) or
/// prefilled from a record's page (`activities::draft_for`); a Teams meeting only where Teams is
/// available (C7).
pub fn record_draft(
    workspace: &Workspace,
    kind: ActivityKind,
    record: Option<RecordRef>,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<ActivityDraft> {
    read(workspace.shared(), |c| {
        let me = current_employee(c)?;
        require_kind_in(c, kind, me)?;
        let input = activity_ops::draft_for(c, kind, record, me, zone, now)?;
        for_dialog(c, input, None)
    })
}

/// C6: the dialog of a new appointment or meeting, prefilled from activity `id`: its subject,
/// links and participants, starting at the next full hour; a meeting invites its contact.
pub fn linked_draft(
    workspace: &Workspace,
    id: i64,
    kind: ActivityKind,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<ActivityDraft> {
    read(workspace.shared(), |c| {
        let from = c.activity(id)?;
        let me = current_employee(c)?;
        require_kind_in(c, kind, me)?;
        let start = calendar::next_full_hour(now);
        let mut input = draft(kind, &CalendarSlot::Time { start }, zone, me, &[]);
        input.subject = from.subject.clone();
        input.contact_id = from.contact.as_ref().map(|c| c.id);
        input.business_partner_id = from.business_partner.as_ref().map(|b| b.id);
        input.person_id = from.person.as_ref().map(|p| p.id);
        input.participants = from
            .participants
            .iter()
            .map(|p| p.participant.clone())
            .collect();
        if let Some(contact) = input.contact_id {
            let p = ParticipantRef::Contact { id: contact };
            if kind.is_meeting() && !input.participants.contains(&p) {
                input.participants.push(p);
            }
        }
        for_dialog(c, input, Some(id))
    })
}

/// C5: the meeting dialog from contact `id`: the contact (and its partner) prefilled, the own
/// employee and the contact invited, starting at the next full hour.
pub fn contact_meeting_draft(
    workspace: &Workspace,
    id: i64,
    kind: ActivityKind,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<ActivityDraft> {
    read(workspace.shared(), |c| {
        let contact = c.contact(id)?;
        let me = current_employee(c)?;
        require_kind_in(c, kind, me)?;
        let start = calendar::next_full_hour(now);
        let mut input = draft(kind, &CalendarSlot::Time { start }, zone, me, &[me]);
        input.contact_id = Some(contact.id);
        input.business_partner_id = contact.fields.business_partner_id;
        input
            .participants
            .push(ParticipantRef::Contact { id: contact.id });
        for_dialog(c, input, None)
    })
}

/// The dialog's save of a new activity: refused where it is a Teams meeting its owner cannot use
/// (C7), else created as `activities::create` does.
pub fn create(workspace: &Workspace, input: &ActivityInput) -> Result<Activity> {
    read(workspace.shared(), |c| {
        require_kind_in(c, input.kind, input.owner_employee_id)
    })?;
    activity_ops::create(workspace, input)
}

/// C6: the dialog's save of a new activity linked to `from`, with C7's check as [`create`].
pub fn create_linked(workspace: &Workspace, from: i64, input: &ActivityInput) -> Result<Activity> {
    read(workspace.shared(), |c| {
        require_kind_in(c, input.kind, input.owner_employee_id)
    })?;
    activity_ops::create_linked(workspace, from, input)
}

/// C2: converts activity `id` into `kind`, refused where that is a Teams meeting its owner cannot
/// use (C7).
pub fn convert(workspace: &Workspace, id: i64, kind: ActivityKind) -> Result<Activity> {
    read(workspace.shared(), |c| {
        let owner = c.activity(id)?.owner.id;
        require_kind_in(c, kind, owner)
    })?;
    activity_ops::convert(workspace, id, kind)
}

/// The activities whose fields contain `query`, at most `limit`.
pub fn search(workspace: &Workspace, query: &str, limit: u32) -> Result<Vec<Activity>> {
    read(workspace.shared(), |s| {
        Ok(s.search_activities(query, limit)?)
    })
}

/// The history ("Verlauf") of any record, at most `limit` items.
pub fn history(
    workspace: &Workspace,
    kind: RecordKind,
    id: i64,
    limit: u32,
) -> Result<Vec<HistoryItem>> {
    read(workspace.shared(), |s| {
        Ok(s.history_of_record(kind, id, limit)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::model::{ContactFields, EmployeeFields};
    use crate::services::{activities as activity_ops, records, reminders};
    use crate::store::postgres::{schema, test_server, PgEngine};
    use crate::store::Db;
    use chrono_tz::Europe::Berlin;
    use std::sync::Arc;

    /// C1-C3, F1, D1 on a team workspace: the activities live in the team database, not in
    /// this desktop's SQLite file. A meeting drafted from the opened calendars of the own
    /// employee (named by the login) and a colleague is saved, shown once in the week of both,
    /// in the history of its contact, changed, its reminder moved, refused when saved over a
    /// newer version, and deleted.
    #[test]
    fn a_meeting_is_planned_in_the_team_database() {
        let team = test_server::shared().fresh_database();
        let mut admin = team.superuser();
        schema::migrate(&mut admin).unwrap();
        let login = format!("anna_{}", team.name);
        let engine = PgEngine::new(team.login(&login, "treffpunkt_users"));
        let local = Arc::new(Db::open_in_memory().unwrap());
        let ws = Workspace::team(local.clone(), Arc::new(engine));

        let employee = |first: &str| {
            records::employee::save(
                &ws,
                None,
                None,
                &EmployeeFields {
                    first_name: first.into(),
                    last_name: "Test".into(),
                    color: "#2563eb".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        };
        let (anna, ben) = (employee("Anna"), employee("Ben"));
        // Before the login names an employee, the workspace has no own employee.
        let slot = CalendarSlot::Time {
            start: "2026-12-08T09:00:00Z".parse().unwrap(),
        };
        assert!(matches!(
            slot_draft(&ws, ActivityKind::Meeting, &slot, &[anna, ben], Berlin),
            Err(CrmError::NotAllowed(ErrorCode::NoCurrentEmployee))
        ));
        admin
            .execute(
                "UPDATE employees SET database_login = $2 WHERE id = $1",
                &[&anna, &login],
            )
            .unwrap();
        let lena = records::contact::save(
            &ws,
            None,
            None,
            &ContactFields {
                first_name: "Lena".into(),
                last_name: "Vogel".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;

        let draft = slot_draft(&ws, ActivityKind::Meeting, &slot, &[anna, ben], Berlin).unwrap();
        assert_eq!(draft.input.owner_employee_id, anna);
        let labels: Vec<_> = draft
            .participants
            .iter()
            .map(|p| p.label.as_str())
            .collect();
        assert_eq!(labels, ["Anna Test", "Ben Test"]);
        let mut input = draft.input;
        input.subject = "Angebotsbesprechung".into();
        input.contact_id = Some(lena);
        let meeting = create(&ws, &input).unwrap();

        let (from, to) = (
            "2026-12-07T00:00:00Z".parse().unwrap(),
            "2026-12-14T00:00:00Z".parse().unwrap(),
        );
        let week = entries(&ws, &[anna, ben], from, to).unwrap();
        assert_eq!(
            week.iter()
                .map(|e| (e.id, e.calendar_employee_id))
                .collect::<Vec<_>>(),
            [(meeting.id, anna)]
        );
        assert_eq!(
            history(&ws, RecordKind::Contact, lena, 10).unwrap().len(),
            1
        );
        assert_eq!(search(&ws, "angebot", 10).unwrap().len(), 1);
        let local_count = |ws: &Workspace| {
            ws.store()
                .with(|c| {
                    c.query_row("SELECT COUNT(*) FROM activities", [], |r| {
                        r.get::<_, i64>(0)
                    })
                })
                .unwrap()
        };
        assert_eq!(local_count(&ws), 0, "nothing in this desktop's file");

        let read_version = Some(meeting.stamp.version);
        input.subject = "Angebot verschoben".into();
        let saved = activity_ops::update(&ws, meeting.id, read_version, &input).unwrap();
        assert_eq!(saved.subject, "Angebot verschoben");
        reminders::set_minutes(&ws, meeting.id, 45, chrono::Utc::now()).unwrap();
        input.subject = "überschrieben".into();
        assert!(matches!(
            activity_ops::update(&ws, meeting.id, read_version, &input),
            Err(CrmError::Store(StoreError::Conflict { .. }))
        ));
        let stored = activity_ops::get(&ws, meeting.id).unwrap();
        assert_eq!(
            (stored.subject.as_str(), stored.reminder_minutes),
            ("Angebot verschoben", 45)
        );

        // Teams is not available in this workspace (the team's settings say so).
        assert!(matches!(
            convert(&ws, meeting.id, ActivityKind::TeamsMeeting),
            Err(CrmError::NotAllowed(ErrorCode::TeamsNotAvailable))
        ));
        activity_ops::delete(&ws, meeting.id).unwrap();
        assert!(entries(&ws, &[anna, ben], from, to).unwrap().is_empty());
    }
}
