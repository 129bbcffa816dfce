//! What a meeting request says: who organizes it, whom it invites, the summary the user confirms
//! (C4) and the `POST /me/events` body (Graph: "Create event", api/user-post-events.md).

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use super::SendError;
use crate::crm::activity::{Activity, ActivityKind, ParticipantRef};
use crate::microsoft::time_zones::windows_zone;
use crate::microsoft::tokens::SignInOwner;
use crate::store::{employees, sign_ins, StoreError};

/// Whose mailbox sends the request. B3: where the mail configuration's sign-in leads, that
/// mailbox organizes the meeting, and the employee who planned it is invited like the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    pub owner: SignInOwner,
    /// "Name <address>" of the organizing mailbox, where it is known.
    pub label: String,
    /// The planning employee is an attendee: "Name <address>" when a shared mailbox organizes.
    pub planner: Option<(String, String)>,
}

impl Organizer {
    /// The organizer of activity's request as the store knows it now.
    pub fn of(conn: &Connection, activity: &Activity) -> Result<Organizer, StoreError> {
        let planner_id = activity.owner.id;
        let owner = sign_ins::effective_owner(conn, planner_id)?;
        let account = sign_ins::get(conn, owner)?.map(|s| s.account);
        let employee = employees::get(conn, planner_id)?;
        let planner_address = employee.fields.email.clone().unwrap_or_default();
        let label = match &account {
            Some(a) => format!("{} <{}>", a.display_name, a.user_principal_name),
            None if planner_address.is_empty() => activity.owner.label.clone(),
            None => format!("{} <{planner_address}>", activity.owner.label),
        };
        let planner = match (owner, &account) {
            (SignInOwner::MailConfiguration(_), Some(a))
                if !planner_address.is_empty()
                    && !planner_address.eq_ignore_ascii_case(&a.user_principal_name) =>
            {
                Some((activity.owner.label.clone(), planner_address))
            }
            _ => None,
        };
        Ok(Organizer {
            owner,
            label,
            planner,
        })
    }
}

/// What the confirmation shows before sending (C4).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SendSummary {
    pub subject: String,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// "Name <address>" of the mailbox that organizes the meeting and sends the invitations.
    pub organizer: String,
    /// "Name <address>" of each invited participant.
    pub attendees: Vec<String>,
    pub teams: bool,
}

/// The attendees: every participant with an address but the organizing employee (who is invited
/// too when a shared mailbox organizes).
fn attendees(
    activity: &Activity,
    organizer: &Organizer,
) -> Result<Vec<(String, String)>, SendError> {
    let mut list = Vec::new();
    for p in &activity.participants {
        if p.participant
            == (ParticipantRef::Employee {
                id: activity.owner.id,
            })
        {
            continue;
        }
        let address = p
            .email
            .clone()
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| SendError::ParticipantWithoutEmail(p.label.clone()))?;
        list.push((p.label.clone(), address));
    }
    if list.is_empty() {
        return Err(SendError::NoParticipants);
    }
    if let Some(planner) = &organizer.planner {
        list.insert(0, planner.clone());
    }
    Ok(list)
}

/// The checks of C4 and the summary to confirm; nothing is sent.
pub fn summary(activity: &Activity, organizer: &Organizer) -> Result<SendSummary, SendError> {
    if !activity.kind.is_meeting() {
        return Err(SendError::NotAMeeting);
    }
    if activity.sent_at.is_some() {
        return Err(SendError::AlreadySent);
    }
    windows_zone(&activity.time_zone, activity.starts_at)?;
    Ok(SendSummary {
        subject: activity.subject.clone(),
        starts_at: activity.starts_at,
        ends_at: activity.ends_at,
        time_zone: activity.time_zone.clone(),
        organizer: organizer.label.clone(),
        attendees: attendees(activity, organizer)?
            .into_iter()
            .map(|(name, address)| format!("{name} <{address}>"))
            .collect(),
        teams: activity.kind == ActivityKind::TeamsMeeting,
    })
}

/// The `POST /me/events` body: wall-clock times in the activity's zone under the Windows ID Graph
/// accepts for it (C9; see `time_zones`), the mail text as body, the activity's id as
/// `transactionId`.
pub fn event_request(
    activity: &Activity,
    organizer: &Organizer,
) -> Result<serde_json::Value, SendError> {
    let zone: chrono_tz::Tz = activity
        .time_zone
        .parse()
        .map_err(|_| SendError::UnsupportedTimeZone(activity.time_zone.clone()))?;
    let windows = windows_zone(&activity.time_zone, activity.starts_at)?;
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    let mut body = json!({
        "subject": activity.subject,
        "body": {"contentType": "Text", "content": activity.mail_text},
        "start": {"dateTime": local(activity.starts_at), "timeZone": windows},
        "end": {"dateTime": local(activity.ends_at), "timeZone": windows},
        "attendees": attendees(activity, organizer)?.into_iter().map(|(name, address)| json!({
            "emailAddress": {"address": address, "name": name},
            "type": "required",
        })).collect::<Vec<_>>(),
        "transactionId": activity.uid,
    });
    if activity.kind == ActivityKind::TeamsMeeting {
        body["isOnlineMeeting"] = json!(true);
        body["onlineMeetingProvider"] = json!("teamsForBusiness");
    }
    Ok(body)
}
