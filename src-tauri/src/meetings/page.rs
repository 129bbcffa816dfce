//! What the activity's page and a contact's toolbar show of meetings (C4-C8): the variable
//! button, the send's confirmation, and a contact's meeting buttons.

use chrono::{DateTime, Utc};

use super::request::{summary, Organizer, SendSummary};
use super::SendError;
use crate::crm::rules::{
    contact_meeting_buttons, ActionContext, ActivityButtons, ContactMeetingButtons,
};
use crate::services::availability::context_of;
use crate::store::{activities, contacts, mail_configurations, settings, Db, StoreError};

/// C6's variable button (none where hidden, C7), whether C8's cancel shows, the conversions (C2)
/// and whether the memo's join link is a link (D2), for activity `id`.
pub fn buttons(db: &Db, id: i64) -> crate::services::Result<ActivityButtons> {
    Ok(db.with(|c| {
        let activity = activities::get(c, id)?;
        let ctx = context_of(c, activity.owner.id)?;
        Ok::<_, StoreError>(ActivityButtons::of(&activity, ctx))
    })?)
}

/// C4: what the confirmation of activity `id`'s send shows, or why the request cannot be sent.
pub fn send_summary(db: &Db, id: i64) -> Result<SendSummary, SendError> {
    let (activity, organizer) = db.with(|c| {
        let activity = activities::get(c, id)?;
        let organizer = Organizer::of(c, &activity)?;
        Ok::<_, StoreError>((activity, organizer))
    })?;
    summary(&activity, &organizer)
}

/// C5: the meeting buttons of contact `id`'s toolbar at `now`, `None` where they are hidden.
pub fn contact_buttons(
    db: &Db,
    id: i64,
    now: DateTime<Utc>,
) -> crate::services::Result<Option<ContactMeetingButtons>> {
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
