//! Creating, changing and converting activities, each in one transaction.

use super::Workspace;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use super::{CrmError, Result};
use crate::crm::activity::{
    Activity, ActivityInput, ActivityKind, ActivityStatus, HistoryEvent, ParticipantRef,
};
use crate::crm::calendar::{self, parse_zone, CalendarSlot};
use crate::crm::model::{RecordKind, RecordRef};
use crate::crm::validation::{is_email, FieldErrors};
use crate::crm::ErrorCode;
use crate::store::interface::{read, write, Shared};
use crate::store::sqlite_shared::on_connection;
use crate::store::{now, StoreError};

const MAX_SUBJECT: usize = 255;
const MAX_PARTICIPANTS: usize = 500;

/// Checks every field of an activity and returns all problems at once.
pub fn check(shared: &mut dyn Shared, input: &ActivityInput) -> Result<()> {
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
    calendar::check_reminder_minutes(&mut e, input.reminder_minutes);
    if !shared.record_exists(RecordKind::Employee, input.owner_employee_id)? {
        e.add("owner_employee_id", "not_found");
    }
    for (field, kind, id) in [
        (
            "business_partner_id",
            RecordKind::BusinessPartner,
            input.business_partner_id,
        ),
        ("contact_id", RecordKind::Contact, input.contact_id),
        ("person_id", RecordKind::Person, input.person_id),
    ] {
        if let Some(id) = id {
            if !shared.record_exists(kind, id)? {
                e.add(field, "not_found");
            }
        }
    }
    if input.participants.len() > MAX_PARTICIPANTS {
        e.add("participants", "too_many");
    }
    for p in &input.participants {
        let ok = match p {
            ParticipantRef::Employee { id } => shared.record_exists(RecordKind::Employee, *id)?,
            ParticipantRef::Contact { id } => shared.record_exists(RecordKind::Contact, *id)?,
            ParticipantRef::Person { id } => shared.record_exists(RecordKind::Person, *id)?,
            ParticipantRef::Email { address } => is_email(address.trim()),
        };
        if !ok {
            e.add("participants", "invalid_participant");
            break;
        }
    }
    Ok(e.into_result(())?)
}

/// The business partner contact `id` works for, if the contact exists and has one.
fn partner_of_contact(shared: &mut dyn Shared, id: i64) -> Result<Option<i64>> {
    match shared.contact(id) {
        Ok(contact) => Ok(contact.fields.business_partner_id),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// F2: an activity's contact and business partner agree. The contact of a business partner
/// brings its partner where the activity names none. Naming another partner than the contact's
/// is refused (`contact_id`: `contact_not_of_partner`) rather than corrected, since either
/// choice may be the mistake, and the activity would otherwise show in the history of a partner
/// the contact does not work for. A contact without a partner goes with any partner; a person is
/// private and goes with anything. The input is returned with the partner filled in.
fn settle_partner(shared: &mut dyn Shared, mut input: ActivityInput) -> Result<ActivityInput> {
    let Some(contact) = input.contact_id else {
        return Ok(input);
    };
    match (
        partner_of_contact(shared, contact)?,
        input.business_partner_id,
    ) {
        (Some(theirs), None) => input.business_partner_id = Some(theirs),
        (Some(theirs), Some(named)) if theirs != named => {
            let mut e = FieldErrors::default();
            e.add("contact_id", "contact_not_of_partner");
            e.into_result(())?;
        }
        _ => {}
    }
    Ok(input)
}

pub fn get(workspace: &Workspace, id: i64) -> Result<Activity> {
    read(workspace.shared(), |s| Ok(s.activity(id)?))
}

/// The one way a new activity comes into the store: checked as the form's save is, its business
/// partner settled from its contact, and given a new global id (its future Graph
/// `transactionId`). Meant to run inside the caller's write; `at` is the creation time.
pub fn insert_checked_in(shared: &mut dyn Shared, input: &ActivityInput, at: i64) -> Result<i64> {
    check(shared, input)?;
    let input = settle_partner(shared, input.clone())?;
    let uid = uuid::Uuid::new_v4().to_string();
    Ok(shared.insert_activity(&input, &uid, at)?)
}

/// [`insert_checked_in`] inside the caller's transaction on the SQLite file.
pub fn insert_checked(tx: &Connection, input: &ActivityInput, at: i64) -> Result<i64> {
    on_connection(tx, |s| insert_checked_in(s, input, at))
}

/// Creates an activity with a new global id (its future Graph `transactionId`).
pub fn create(workspace: &Workspace, input: &ActivityInput) -> Result<Activity> {
    write(workspace.shared(), |s| {
        let id = insert_checked_in(s, input, now())?;
        Ok(s.activity(id)?)
    })
}

/// C6: creates a new activity linked to `from`; the history of both shows the link.
pub fn create_linked(workspace: &Workspace, from: i64, input: &ActivityInput) -> Result<Activity> {
    write(workspace.shared(), |s| {
        s.activity(from)?;
        let id = insert_checked_in(s, input, now())?;
        s.add_history(id, HistoryEvent::Linked, Some(from), "", now())?;
        Ok(s.activity(id)?)
    })
}

/// Saves the edited activity `id`, read at `version` (the one the dialog loaded): when someone
/// else saved it meanwhile, nothing changes and the answer names who and when. A sent meeting
/// cannot be changed any more (C4).
pub fn update(
    workspace: &Workspace,
    id: i64,
    version: Option<i64>,
    input: &ActivityInput,
) -> Result<Activity> {
    write(workspace.shared(), |s| {
        let current = s.activity(id)?;
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
        check(s, input)?;
        // Only a change of the contact or the partner is checked against each other: a contact
        // that moved to another partner since must not block editing the subject.
        let input = if (input.contact_id, input.business_partner_id)
            == (
                current.contact.as_ref().map(|c| c.id),
                current.business_partner.as_ref().map(|b| b.id),
            ) {
            input.clone()
        } else {
            settle_partner(s, input.clone())?
        };
        let Some(version) = version else {
            let mut e = FieldErrors::default();
            e.add("version", "required");
            return Err(e.into());
        };
        s.update_activity(id, version, &input, now())?;
        Ok(s.activity(id)?)
    })
}

/// F2: the new activity of `kind` that the dialog opens with, from the activity list (`record`
/// none) or from the page of a business partner, contact, employee or person, owned by `me` in
/// `zone`. A call, an e-mail or a note starts `now` and takes no time (it is usually recorded as
/// it happens); the other kinds start at the next full hour and last an hour. From a record, the
/// activity is about it: a business partner as its partner; a contact as its contact with the
/// contact's partner; a person as its person; another employee as a participant. A meeting
/// invites the own employee (who organizes it) and the contact, person or employee.
pub fn draft_for(
    shared: &mut dyn Shared,
    kind: ActivityKind,
    record: Option<RecordRef>,
    me: i64,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<ActivityInput> {
    let logged = kind.is_logged_as_it_happens();
    let start = if logged {
        now - Duration::seconds(now.timestamp().rem_euclid(60))
    } else {
        calendar::next_full_hour(now)
    };
    let organizer = if kind.is_meeting() { vec![me] } else { vec![] };
    let mut input = calendar::draft(kind, &CalendarSlot::Time { start }, zone, me, &organizer);
    if logged {
        input.ends_at = input.starts_at;
    }
    let Some(record) = record else {
        return Ok(input);
    };
    let mut invite = |p: ParticipantRef, always: bool| {
        if (always || kind.is_meeting()) && !input.participants.contains(&p) {
            input.participants.push(p);
        }
    };
    match record.kind {
        RecordKind::BusinessPartner => {
            shared.business_partner(record.id)?;
            input.business_partner_id = Some(record.id);
        }
        RecordKind::Contact => {
            let contact = shared.contact(record.id)?;
            invite(ParticipantRef::Contact { id: record.id }, false);
            input.contact_id = Some(record.id);
            input.business_partner_id = contact.fields.business_partner_id;
        }
        RecordKind::Person => {
            shared.person(record.id)?;
            invite(ParticipantRef::Person { id: record.id }, false);
            input.person_id = Some(record.id);
        }
        RecordKind::Employee => {
            shared.employee(record.id)?;
            // The own employee owns it already; another is a participant, so that the activity
            // is in that employee's calendar and history.
            if record.id != me {
                invite(ParticipantRef::Employee { id: record.id }, true);
            }
        }
        RecordKind::Communication | RecordKind::Activity | RecordKind::MailConfiguration => {
            return Err(CrmError::NotAllowed(ErrorCode::NoActivityFromRecord));
        }
    }
    Ok(input)
}

/// Turns an appointment into a meeting or a Teams meeting (C2); recorded in its history.
pub fn convert(workspace: &Workspace, id: i64, kind: ActivityKind) -> Result<Activity> {
    write(workspace.shared(), |s| {
        let current = s.activity(id)?;
        if current.send_pending {
            return Err(CrmError::NotAllowed(ErrorCode::SendPending));
        }
        if current.kind != ActivityKind::Appointment || !kind.is_meeting() {
            return Err(CrmError::NotAllowed(ErrorCode::Conversion));
        }
        let mut input = current.to_input();
        input.kind = kind;
        s.update_activity(id, current.stamp.version, &input, now())?;
        s.add_history(id, HistoryEvent::Converted, None, kind.as_str(), now())?;
        Ok(s.activity(id)?)
    })
}

/// Deletes activity `id`, unless a send of it may have reached Microsoft 365 and is not
/// reconciled, or it is a sent meeting not cancelled (C4): either way its event would stay in the
/// attendees' calendars without its record. A sent meeting is cancelled first.
pub fn delete(workspace: &Workspace, id: i64) -> Result<()> {
    write(workspace.shared(), |s| {
        let current = s.activity(id)?;
        if current.send_pending {
            return Err(CrmError::NotAllowed(ErrorCode::SendPending));
        }
        if current.sent_at.is_some() && current.status != ActivityStatus::Cancelled {
            return Err(CrmError::NotAllowed(ErrorCode::DeleteSentMeeting));
        }
        Ok(s.delete_activity(id)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::calendar::{draft, CalendarSlot};
    use crate::services::records::ensure_own_employee;
    use crate::store::{activities, business_partners, contacts, employees, persons, Db};
    use chrono_tz::Europe::Berlin;

    /// The version stored now, as a dialog opened now would read it.
    fn version(db: &Workspace, id: i64) -> Option<i64> {
        Some(
            db.store()
                .with(|c| activities::get(c, id))
                .unwrap()
                .stamp
                .version,
        )
    }

    fn setup() -> (Workspace, i64) {
        let db = Workspace::new(std::sync::Arc::new(Db::open_in_memory().unwrap()));
        let me = db
            .store()
            .transaction(|tx| ensure_own_employee(tx, "me"))
            .unwrap();
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
            .store()
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
        db.store()
            .with(|c| c.execute("UPDATE activities SET sent_at = 1 WHERE id = ?1", [a.id]))
            .unwrap();
        let mut changed = a.to_input();
        changed.subject = "anders".into();
        assert!(matches!(
            update(&db, a.id, version(&db, a.id), &changed),
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
        assert!(matches!(
            update(&db, a.id, version(&db, a.id), &bad),
            Err(CrmError::Invalid(_))
        ));
        assert_eq!(get(&db, a.id).unwrap(), a);
    }

    #[test]
    fn an_update_cannot_change_the_kind_only_convert_does() {
        let (db, me) = setup();
        let a = create(&db, &appointment(me)).unwrap();
        let mut changed = a.to_input();
        changed.kind = ActivityKind::TeamsMeeting;
        match update(&db, a.id, version(&db, a.id), &changed) {
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
        db.store()
            .with(|c| c.execute("UPDATE activities SET sent_at = 1 WHERE id = ?1", [a.id]))
            .unwrap();
        assert!(matches!(
            delete(&db, a.id),
            Err(CrmError::NotAllowed(ErrorCode::DeleteSentMeeting))
        ));
        assert!(get(&db, a.id).is_ok(), "still there");
        db.store()
            .with(|c| activities::mark_cancelled(c, a.id, 2))
            .unwrap();
        delete(&db, a.id).unwrap();
        assert!(get(&db, a.id).is_err());
    }

    struct Records {
        partner: i64,
        other_partner: i64,
        contact: i64,
        loose_contact: i64,
        person: i64,
        colleague: i64,
    }

    fn records(db: &Workspace) -> Records {
        use crate::crm::model::{
            BusinessPartnerFields, ContactFields, EmployeeFields, PersonFields,
        };
        db.store()
            .with(|c| {
                let partner = |name: &str| {
                    business_partners::insert(
                        c,
                        &BusinessPartnerFields {
                            name: name.into(),
                            country: "DE".into(),
                            ..Default::default()
                        },
                    )
                };
                let (p, q) = (partner("Contoso GmbH")?, partner("Fabrikam AG")?);
                let contact = |partner: Option<i64>, last: &str| {
                    contacts::insert(
                        c,
                        &ContactFields {
                            business_partner_id: partner,
                            first_name: "Lena".into(),
                            last_name: last.into(),
                            ..Default::default()
                        },
                    )
                };
                Ok::<_, crate::store::StoreError>(Records {
                    partner: p,
                    other_partner: q,
                    contact: contact(Some(p), "Vogel")?,
                    loose_contact: contact(None, "Frei")?,
                    person: persons::insert(
                        c,
                        &PersonFields {
                            first_name: "Ole".into(),
                            last_name: "Hansen".into(),
                            ..Default::default()
                        },
                    )?,
                    colleague: employees::insert(
                        c,
                        &EmployeeFields {
                            first_name: "Ben".into(),
                            last_name: "Wolf".into(),
                            color: "#000000".into(),
                            ..Default::default()
                        },
                    )?,
                })
            })
            .unwrap()
    }

    fn contact_error(r: Result<Activity>) -> String {
        match r {
            Err(CrmError::Invalid(e)) => format!("{}:{}", e.0[0].field, e.0[0].code),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    /// F2: a contact brings its partner; a contact with another partner is refused and nothing
    /// changes; a loose contact and a person go with any partner; a contact that moved to another
    /// partner since does not block editing the rest.
    #[test]
    fn an_activitys_contact_and_partner_agree() {
        let (db, me) = setup();
        let r = records(&db);
        let mut input = appointment(me);
        input.contact_id = Some(r.contact);
        let a = create(&db, &input).unwrap();
        assert_eq!(
            a.business_partner.as_ref().unwrap().id,
            r.partner,
            "filled in"
        );
        assert_eq!(a.contact.as_ref().unwrap().id, r.contact);

        // Another partner with that contact: refused, nothing stored.
        input.business_partner_id = Some(r.other_partner);
        assert_eq!(
            contact_error(create(&db, &input)),
            "contact_id:contact_not_of_partner"
        );
        let mut changed = a.to_input();
        changed.business_partner_id = Some(r.other_partner);
        changed.subject = "anders".into();
        assert_eq!(
            contact_error(update(&db, a.id, version(&db, a.id), &changed)),
            "contact_id:contact_not_of_partner"
        );
        assert_eq!(get(&db, a.id).unwrap(), a);

        // Changed to a loose contact, another partner and a person: accepted.
        changed.contact_id = Some(r.loose_contact);
        changed.person_id = Some(r.person);
        let b = update(&db, a.id, version(&db, a.id), &changed).unwrap();
        assert_eq!(b.contact.unwrap().id, r.loose_contact);
        assert_eq!(b.business_partner.unwrap().id, r.other_partner);
        assert_eq!(b.person.unwrap().id, r.person);

        // A contact that does not exist is a field error.
        changed.contact_id = Some(4242);
        assert_eq!(
            contact_error(update(&db, a.id, version(&db, a.id), &changed)),
            "contact_id:not_found"
        );

        // The contact moves to another partner: the activity's subject can still be edited.
        let c = create(&db, &{
            let mut i = appointment(me);
            i.contact_id = Some(r.contact);
            i
        })
        .unwrap();
        db.store()
            .with(|conn| {
                conn.execute(
                    "UPDATE contacts SET business_partner_id = ?1 WHERE id = ?2",
                    [r.other_partner, r.contact],
                )
            })
            .unwrap();
        let mut edited = c.to_input();
        edited.subject = "Nachfassen".into();
        assert_eq!(
            update(&db, c.id, version(&db, c.id), &edited)
                .unwrap()
                .subject,
            "Nachfassen"
        );
    }

    /// F2: a new activity from a record is about that record; a call starts now, an appointment
    /// at the next full hour; a meeting invites the record.
    #[test]
    fn a_new_activity_from_a_record_is_about_that_record() {
        let (db, me) = setup();
        let r = records(&db);
        let now: DateTime<Utc> = "2026-11-30T10:17:42Z".parse().unwrap();
        let draft = |kind, record: Option<RecordRef>| {
            read(db.shared(), |s| draft_for(s, kind, record, me, Berlin, now))
        };
        let of = |kind, id| Some(RecordRef { kind, id });

        let call = draft(ActivityKind::Call, of(RecordKind::Contact, r.contact)).unwrap();
        assert_eq!(call.kind, ActivityKind::Call);
        assert_eq!(call.contact_id, Some(r.contact));
        assert_eq!(call.business_partner_id, Some(r.partner));
        assert_eq!(
            call.starts_at,
            "2026-11-30T10:17:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(call.ends_at, call.starts_at);
        assert!(call.participants.is_empty());
        assert_eq!(call.owner_employee_id, me);

        let visit = draft(
            ActivityKind::Visit,
            of(RecordKind::BusinessPartner, r.partner),
        )
        .unwrap();
        assert_eq!(visit.business_partner_id, Some(r.partner));
        assert_eq!(
            visit.starts_at,
            "2026-11-30T11:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(visit.ends_at - visit.starts_at, Duration::hours(1));

        let meeting = draft(ActivityKind::Meeting, of(RecordKind::Person, r.person)).unwrap();
        assert_eq!(meeting.person_id, Some(r.person));
        assert_eq!(
            meeting.participants,
            vec![
                ParticipantRef::Employee { id: me },
                ParticipantRef::Person { id: r.person }
            ]
        );
        let task = draft(ActivityKind::Task, of(RecordKind::Employee, r.colleague)).unwrap();
        assert_eq!(
            task.participants,
            vec![ParticipantRef::Employee { id: r.colleague }]
        );
        let note = draft(ActivityKind::Note, of(RecordKind::Employee, me)).unwrap();
        assert!(note.participants.is_empty(), "the own employee owns it");
        let email = draft(ActivityKind::Email, None).unwrap();
        assert_eq!(
            (email.contact_id, email.business_partner_id, email.person_id),
            (None, None, None)
        );

        // Every kind from every record is a draft that can be saved once it has a subject.
        for kind in ActivityKind::ALL {
            for record in [
                None,
                of(RecordKind::BusinessPartner, r.partner),
                of(RecordKind::Contact, r.contact),
                of(RecordKind::Person, r.person),
                of(RecordKind::Employee, r.colleague),
            ] {
                let mut input = draft(kind, record).unwrap();
                input.subject = "Neu".into();
                let made = create(&db, &input).unwrap();
                assert_eq!(made.kind, kind);
            }
        }

        assert!(matches!(
            draft(ActivityKind::Call, of(RecordKind::Contact, 4242)),
            Err(CrmError::Store(crate::store::StoreError::NotFound { .. }))
        ));
        assert!(matches!(
            draft(ActivityKind::Call, of(RecordKind::Activity, 1)),
            Err(CrmError::NotAllowed(ErrorCode::NoActivityFromRecord))
        ));
    }
}
