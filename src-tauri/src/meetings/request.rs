//! What a meeting request says: who organizes it, whom it invites, the summary the user confirms
//! (C4) and the `POST /me/events` body (Graph: "Create event", api/user-post-events.md).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use super::SendError;
use crate::crm::activity::{Activity, ActivityKind, ParticipantRef};
use crate::crm::sign_in::SignInOwner;
use crate::crm::wall_clock::to_local_with_offset;
use crate::crm::ErrorCode;
use crate::microsoft::time_zones::windows_zone;
use crate::store::interface::{read, Engine};
use crate::store::{sign_ins, Db, StoreError};

/// Whose mailbox sends the request. B3: where the planner's mail configuration holds a sign-in,
/// that one leads and its mailbox organizes the meeting; otherwise the current user's own
/// employee does, never a colleague (a colleague's sign-in is not the user's to use or to make).
/// The employee who planned it is invited like the others where someone else organizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    pub owner: SignInOwner,
    /// "Name <address>" of the organizing mailbox, where it is known.
    pub label: String,
    /// The planning employee is an attendee: "Name <address>" when a shared mailbox or another
    /// employee organizes.
    pub planner: Option<(String, String)>,
}

impl Organizer {
    /// The organizer of activity's request as the store knows it now: the employees in the
    /// `shared` data, the sign-ins in this desktop's `local` store.
    pub fn of(
        shared: &dyn Engine,
        local: &Db,
        activity: &Activity,
    ) -> Result<Organizer, StoreError> {
        let planner_id = activity.owner.id;
        let owner = send_owner_of(shared, local, planner_id)?;
        let account = local.with(|c| sign_ins::get(c, owner))?.map(|s| s.account);
        let (planner_address, organizing_employee) = read(shared, |s| {
            let planner_address = s.employee(planner_id)?.fields.email.unwrap_or_default();
            let organizing_employee = match (owner, &account) {
                (SignInOwner::Employee(id), None) if id != planner_id => Some(s.employee(id)?),
                _ => None,
            };
            Ok::<_, StoreError>((planner_address, organizing_employee))
        })?;
        let (organizer_name, organizer_address) = match (&account, organizing_employee) {
            (Some(a), _) => (a.display_name.clone(), a.user_principal_name.clone()),
            (None, Some(e)) => (
                format!("{} {}", e.fields.first_name, e.fields.last_name)
                    .trim()
                    .to_string(),
                e.fields.email.unwrap_or_default(),
            ),
            (None, None) => (activity.owner.label.clone(), planner_address.clone()),
        };
        let label = named(&organizer_name, &organizer_address);
        let someone_else_organizes = owner != SignInOwner::Employee(planner_id);
        let planner = (someone_else_organizes
            && !planner_address.is_empty()
            && !planner_address.eq_ignore_ascii_case(&organizer_address))
        .then(|| (activity.owner.label.clone(), planner_address));
        Ok(Organizer {
            owner,
            label,
            planner,
        })
    }

    /// The employee whose mailbox organizes, where an employee's sign-in does.
    fn employee(&self) -> Option<i64> {
        match self.owner {
            SignInOwner::Employee(id) => Some(id),
            SignInOwner::MailConfiguration(_) => None,
        }
    }
}

/// B3: whose sign-in sends the requests of the employee `planner_id` plans: the planner's mail
/// configuration's where this desktop holds a sign-in of it (the sign-ins are each desktop's
/// own), else the current user's own employee, never a colleague.
pub fn send_owner_of(
    shared: &dyn Engine,
    local: &Db,
    planner_id: i64,
) -> Result<SignInOwner, StoreError> {
    let (mail_configuration, me) = read(shared, |s| {
        let mail_configuration = s.employee(planner_id)?.fields.mail_configuration_id;
        Ok::<_, StoreError>((mail_configuration, s.system_settings()?.current_employee_id))
    })?;
    if let Some(id) = mail_configuration {
        let owner = SignInOwner::MailConfiguration(id);
        if local.with(|c| sign_ins::is_stored(c, owner))? {
            return Ok(owner);
        }
    }
    Ok(SignInOwner::Employee(me.unwrap_or(planner_id)))
}

/// "Name <address>", or the address alone where the name is none or the address itself: each
/// attendee is named once.
pub fn named(name: &str, address: &str) -> String {
    let name = name.trim();
    if address.is_empty() {
        name.to_string()
    } else if name.is_empty() || name.eq_ignore_ascii_case(address) {
        address.to_string()
    } else {
        format!("{name} <{address}>")
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
    /// Start and end in `time_zone` with their UTC offset, e.g. "2026-10-25 02:30 (UTC+02:00)":
    /// the times the attendees are invited to, whatever the zone of this computer (C9).
    pub starts_local: String,
    pub ends_local: String,
    /// "Name <address>" of the mailbox that organizes the meeting and sends the invitations.
    pub organizer: String,
    /// "Name <address>" of each invited participant.
    pub attendees: Vec<String>,
    pub teams: bool,
}

/// The attendees: every participant with an address but the planning and the organizing
/// employee (the planner is invited where someone else organizes), each address once.
fn attendees(
    activity: &Activity,
    organizer: &Organizer,
) -> Result<Vec<(String, String)>, SendError> {
    let mut list: Vec<(String, String)> = Vec::new();
    for p in &activity.participants {
        if let ParticipantRef::Employee { id } = p.participant {
            if id == activity.owner.id || Some(id) == organizer.employee() {
                continue;
            }
        }
        let address = p
            .email
            .clone()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .ok_or_else(|| SendError::ParticipantWithoutEmail(p.label.clone()))?;
        if !list.iter().any(|(_, a)| a.eq_ignore_ascii_case(&address)) {
            list.push((p.label.clone(), address));
        }
    }
    if list.is_empty() {
        return Err(SendError::NoParticipants);
    }
    if let Some(planner) = &organizer.planner {
        list.retain(|(_, a)| !a.eq_ignore_ascii_case(&planner.1));
        list.insert(0, planner.clone());
    }
    Ok(list)
}

/// Why a meeting with these participants cannot be sent yet (C4), as an error code, or `None`:
/// the dialog's "save and send" asks this before the activity exists.
pub fn send_blocker(
    kind: ActivityKind,
    planner_id: i64,
    participants: &[ParticipantRef],
) -> Option<ErrorCode> {
    if !kind.is_meeting() {
        return Some(ErrorCode::NotAMeeting);
    }
    let invites_someone = participants
        .iter()
        .any(|p| *p != ParticipantRef::Employee { id: planner_id });
    (!invites_someone).then_some(ErrorCode::NoParticipants)
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
        starts_local: to_local_with_offset(activity.starts_at, &activity.time_zone),
        ends_local: to_local_with_offset(activity.ends_at, &activity.time_zone),
        organizer: organizer.label.clone(),
        attendees: attendees(activity, organizer)?
            .into_iter()
            .map(|(name, address)| named(&name, &address))
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
