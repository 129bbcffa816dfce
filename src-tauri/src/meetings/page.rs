//! What the activity's page and a contact's toolbar show of meetings (C4-C8): the variable
//! button, the send's confirmation, and a contact's meeting buttons.

use crate::services::Workspace;
use chrono::{DateTime, Utc};

use super::request::{summary, Organizer, SendSummary};
use super::SendError;
use crate::crm::rules::{
    contact_meeting_buttons, ActionContext, ActivityButtons, ContactMeetingButtons,
};
use crate::services::availability::context_of;
use crate::store::{activities, contacts, mail_configurations, settings, StoreError};

/// C6's variable button (none where hidden, C7), whether C8's cancel shows, the conversions (C2)
/// and whether the memo's join link is a link (D2), for activity `id`.
pub fn buttons(workspace: &Workspace, id: i64) -> crate::services::Result<ActivityButtons> {
    let db = workspace.store();
    Ok(db.with(|c| {
        let activity = activities::get(c, id)?;
        let ctx = context_of(c, activity.owner.id)?;
        Ok::<_, StoreError>(ActivityButtons::of(&activity, ctx))
    })?)
}

/// C4: what the confirmation of activity `id`'s send shows, or why the request cannot be sent.
pub fn send_summary(workspace: &Workspace, id: i64) -> Result<SendSummary, SendError> {
    let db = workspace.store();
    let (activity, organizer) = db.with(|c| {
        let activity = activities::get(c, id)?;
        let organizer = Organizer::of(c, &activity)?;
        Ok::<_, StoreError>((activity, organizer))
    })?;
    summary(&activity, &organizer)
}

/// C5: the meeting buttons of contact `id`'s toolbar at `now`, `None` where they are hidden.
pub fn contact_buttons(
    workspace: &Workspace,
    id: i64,
    now: DateTime<Utc>,
) -> crate::services::Result<Option<ContactMeetingButtons>> {
    let db = workspace.store();
    Ok(db.with(|c| {
        contacts::get(c, id)?;
        let s = settings::load(c)?;
        let mc = match s.current_employee_id {
            Some(me) => mail_configurations::of_employee(c, me)?,
            None => None,
        };
        let next = activities::next_teams_meeting_of_contact(c, id, now.timestamp())?;
        Ok::<_, StoreError>(contact_meeting_buttons(
            ActionContext::new(&s, mc.as_ref()),
            next,
        ))
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::{ActivityKind, ParticipantRef};
    use crate::crm::calendar::{draft, CalendarSlot};
    use crate::crm::model::{ContactFields, EmployeeFields};
    use crate::services::records::ensure_own_employee;
    use crate::store::Db;
    use chrono_tz::Europe::Berlin;

    /// C4: the confirmation names the organizing mailbox (here the planner's own) and the
    /// contact invited, in the activity's zone; an appointment has no request to confirm.
    #[test]
    fn the_confirmation_names_organizer_and_attendees_and_an_appointment_has_none() {
        let db = Workspace::new(std::sync::Arc::new(Db::open_in_memory().unwrap()));
        let me = db
            .store()
            .transaction(|tx| ensure_own_employee(tx, "me"))
            .unwrap();
        let contact = db
            .store()
            .with(|c| {
                crate::store::employees::update(
                    c,
                    me,
                    1,
                    &EmployeeFields {
                        first_name: "Anna".into(),
                        last_name: "Schmidt".into(),
                        email: Some("anna@contoso.com".into()),
                        color: "#000000".into(),
                        ..Default::default()
                    },
                )?;
                contacts::insert(
                    c,
                    &ContactFields {
                        first_name: "Lena".into(),
                        last_name: "Vogel".into(),
                        email: Some("lena.vogel@fabrikam.com".into()),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        let start = "2026-12-01T09:00:00Z".parse().unwrap();
        let make = |kind| {
            let mut input = draft(kind, &CalendarSlot::Time { start }, Berlin, me, &[me]);
            input.subject = "Angebot".into();
            input
                .participants
                .push(ParticipantRef::Contact { id: contact });
            crate::services::activities::create(&db, &input).unwrap().id
        };
        let meeting = make(ActivityKind::Meeting);
        let s = send_summary(&db, meeting).unwrap();
        assert_eq!(s.organizer, "Anna Schmidt <anna@contoso.com>");
        assert_eq!(s.attendees, ["Lena Vogel <lena.vogel@fabrikam.com>"]);
        assert!(
            s.starts_local.starts_with("2026-12-01 10:00"),
            "{}",
            s.starts_local
        );
        assert!(!s.teams);

        let appointment = make(ActivityKind::Appointment);
        assert!(matches!(
            send_summary(&db, appointment),
            Err(SendError::NotAMeeting)
        ));
    }
}
