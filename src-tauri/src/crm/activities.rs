//! Creating, changing and converting activities, each in one transaction.

use rusqlite::Connection;

use super::activity::{
    Activity, ActivityInput, ActivityKind, ActivityStatus, HistoryEvent, ParticipantRef,
};
use super::calendar::parse_zone;
use super::validation::{is_email, FieldErrors};
use super::{CrmError, ErrorCode, Result};
use crate::store::{activities, exists, now, Db};

const MAX_SUBJECT: usize = 255;
const MAX_REMINDER_MINUTES: i64 = 7 * 24 * 60;
const MAX_PARTICIPANTS: usize = 500;

/// Checks every field of an activity and returns all problems at once.
pub fn check(conn: &Connection, input: &ActivityInput) -> Result<()> {
    let mut e = FieldErrors::default();
    let subject = input.subject.trim();
    if subject.is_empty() {
        e.add("subject", "required");
    } else if subject.chars().count() > MAX_SUBJECT {
        e.add("subject", "too_long");
    }
    if input.ends_at < input.starts_at {
        e.add("ends_at", "end_before_start");
    }
    if parse_zone(&input.time_zone).is_none() {
        e.add("time_zone", "invalid_time_zone");
    }
    if !(0..=MAX_REMINDER_MINUTES).contains(&input.reminder_minutes) {
        e.add("reminder_minutes", "out_of_range");
    }
    if !exists(conn, "employees", input.owner_employee_id)? {
        e.add("owner_employee_id", "not_found");
    }
    for (field, table, id) in [
        (
            "business_partner_id",
            "business_partners",
            input.business_partner_id,
        ),
        ("contact_id", "contacts", input.contact_id),
        ("person_id", "persons", input.person_id),
    ] {
        if let Some(id) = id {
            if !exists(conn, table, id)? {
                e.add(field, "not_found");
            }
        }
    }
    if input.participants.len() > MAX_PARTICIPANTS {
        e.add("participants", "too_many");
    }
    for p in &input.participants {
        let ok = match p {
            ParticipantRef::Employee { id } => exists(conn, "employees", *id)?,
            ParticipantRef::Contact { id } => exists(conn, "contacts", *id)?,
            ParticipantRef::Person { id } => exists(conn, "persons", *id)?,
            ParticipantRef::Email { address } => is_email(address.trim()),
        };
        if !ok {
            e.add("participants", "invalid_participant");
            break;
        }
    }
    Ok(e.into_result(())?)
}

pub fn get(db: &Db, id: i64) -> Result<Activity> {
    Ok(db.with(|c| activities::get(c, id))?)
}

/// Creates an activity with a new global id (its future Graph `transactionId`).
pub fn create(db: &Db, input: &ActivityInput) -> Result<Activity> {
    db.transaction(|tx| {
        check(tx, input)?;
        let uid = uuid::Uuid::new_v4().to_string();
        let id = activities::insert(tx, input, &uid, now())?;
        Ok(activities::get(tx, id)?)
    })
}

/// C6: creates a new activity linked to `from`; the history of both shows the link.
pub fn create_linked(db: &Db, from: i64, input: &ActivityInput) -> Result<Activity> {
    db.transaction(|tx| {
        activities::get(tx, from)?;
        check(tx, input)?;
        let uid = uuid::Uuid::new_v4().to_string();
        let id = activities::insert(tx, input, &uid, now())?;
        activities::add_history(tx, id, HistoryEvent::Linked, Some(from), "", now())?;
        Ok(activities::get(tx, id)?)
    })
}

/// Saves the edited activity `id`. A sent meeting cannot be changed any more (C4).
pub fn update(db: &Db, id: i64, input: &ActivityInput) -> Result<Activity> {
    db.transaction(|tx| {
        let current = activities::get(tx, id)?;
        if current.sent_at.is_some() {
            return Err(CrmError::NotAllowed(ErrorCode::AlreadySent));
        }
        if current.send_pending {
            return Err(CrmError::NotAllowed(ErrorCode::SendPending));
        }
        // The kind changes only through `convert`, which checks the conversion and records it.
        if input.kind != current.kind {
            let mut e = FieldErrors::default();
            e.add("kind", "kind_unchangeable");
            e.into_result(())?;
        }
        check(tx, input)?;
        activities::update(tx, id, input, now())?;
        Ok(activities::get(tx, id)?)
    })
}

/// Turns an appointment into a meeting or a Teams meeting (C2); recorded in its history.
pub fn convert(db: &Db, id: i64, kind: ActivityKind) -> Result<Activity> {
    db.transaction(|tx| {
        let current = activities::get(tx, id)?;
        if current.send_pending {
            return Err(CrmError::NotAllowed(ErrorCode::SendPending));
        }
        if current.kind != ActivityKind::Appointment || !kind.is_meeting() {
            return Err(CrmError::NotAllowed(ErrorCode::Conversion));
        }
        let mut input = current.to_input();
        input.kind = kind;
        activities::update(tx, id, &input, now())?;
        activities::add_history(tx, id, HistoryEvent::Converted, None, kind.as_str(), now())?;
        Ok(activities::get(tx, id)?)
    })
}

/// Deletes activity `id`, unless a send of it may have reached Microsoft 365 and is not
/// reconciled, or it is a sent meeting not cancelled (C4): either way its event would stay in the
/// attendees' calendars without its record. A sent meeting is cancelled first.
pub fn delete(db: &Db, id: i64) -> Result<()> {
    db.transaction(|tx| {
        let current = activities::get(tx, id)?;
        if current.send_pending {
            return Err(CrmError::NotAllowed(ErrorCode::SendPending));
        }
        if current.sent_at.is_some() && current.status != ActivityStatus::Cancelled {
            return Err(CrmError::NotAllowed(ErrorCode::DeleteSentMeeting));
        }
        Ok(activities::delete(tx, id)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::calendar::{draft, CalendarSlot};
    use crate::crm::records::ensure_own_employee;
    use chrono_tz::Europe::Berlin;

    fn setup() -> (Db, i64) {
        let db = Db::open_in_memory().unwrap();
        let me = db.transaction(|tx| ensure_own_employee(tx, "me")).unwrap();
        (db, me)
    }

    fn appointment(me: i64) -> ActivityInput {
        let slot = CalendarSlot::Day {
            date: "2026-11-30".parse().unwrap(),
        };
        let mut a = draft(ActivityKind::Appointment, &slot, Berlin, me, &[me]);
        a.subject = "Messevorbereitung".into();
        a
    }

    #[test]
    fn an_appointment_converts_into_a_teams_meeting_once_and_says_so() {
        let (db, me) = setup();
        let a = create(&db, &appointment(me)).unwrap();
        assert_eq!(a.uid.len(), 36, "a UUID as the future transactionId");
        let converted = convert(&db, a.id, ActivityKind::TeamsMeeting).unwrap();
        assert_eq!(converted.kind, ActivityKind::TeamsMeeting);
        assert_eq!(converted.uid, a.uid, "the global id stays");
        let history = db
            .with(|c| activities::history_of_activity(c, a.id))
            .unwrap();
        assert_eq!(history[0].event, HistoryEvent::Converted);
        // Only an appointment converts, and only into a meeting.
        assert!(matches!(
            convert(&db, a.id, ActivityKind::Meeting),
            Err(CrmError::NotAllowed(ErrorCode::Conversion))
        ));
        let b = create(&db, &appointment(me)).unwrap();
        assert!(convert(&db, b.id, ActivityKind::Call).is_err());
    }

    #[test]
    fn a_sent_meeting_cannot_be_changed() {
        let (db, me) = setup();
        let a = create(&db, &appointment(me)).unwrap();
        db.with(|c| c.execute("UPDATE activities SET sent_at = 1 WHERE id = ?1", [a.id]))
            .unwrap();
        let mut changed = a.to_input();
        changed.subject = "anders".into();
        assert!(matches!(
            update(&db, a.id, &changed),
            Err(CrmError::NotAllowed(ErrorCode::AlreadySent))
        ));
        assert_eq!(get(&db, a.id).unwrap().subject, "Messevorbereitung");
    }

    #[test]
    fn a_refused_update_changes_nothing() {
        let (db, me) = setup();
        let a = create(&db, &appointment(me)).unwrap();
        let mut bad = a.to_input();
        bad.subject = "neu".into();
        bad.ends_at = bad.starts_at - chrono::Duration::minutes(1);
        assert!(matches!(update(&db, a.id, &bad), Err(CrmError::Invalid(_))));
        assert_eq!(get(&db, a.id).unwrap(), a);
    }

    #[test]
    fn an_update_cannot_change_the_kind_only_convert_does() {
        let (db, me) = setup();
        let a = create(&db, &appointment(me)).unwrap();
        let mut changed = a.to_input();
        changed.kind = ActivityKind::TeamsMeeting;
        match update(&db, a.id, &changed) {
            Err(CrmError::Invalid(e)) => {
                assert_eq!(e.0[0].field, "kind");
                assert_eq!(e.0[0].code, "kind_unchangeable");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(get(&db, a.id).unwrap().kind, ActivityKind::Appointment);
    }

    #[test]
    fn a_sent_meeting_is_deleted_only_after_it_is_cancelled() {
        let (db, me) = setup();
        let a = create(&db, &appointment(me)).unwrap();
        db.with(|c| c.execute("UPDATE activities SET sent_at = 1 WHERE id = ?1", [a.id]))
            .unwrap();
        assert!(matches!(
            delete(&db, a.id),
            Err(CrmError::NotAllowed(ErrorCode::DeleteSentMeeting))
        ));
        assert!(get(&db, a.id).is_ok(), "still there");
        db.with(|c| activities::mark_cancelled(c, a.id, 2)).unwrap();
        delete(&db, a.id).unwrap();
        assert!(get(&db, a.id).is_err());
    }
}
