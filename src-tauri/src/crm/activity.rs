//! Activities: appointments, meetings, Teams meetings and the other kinds, with their
//! participants and history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{Lookup, RecordKind};
use super::wall_clock::WallClock;

/// "Aktivitätsart": what an activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Appointment,
    Meeting,
    TeamsMeeting,
    Call,
    Email,
    Task,
    Note,
    Visit,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::Appointment,
        ActivityKind::Meeting,
        ActivityKind::TeamsMeeting,
        ActivityKind::Call,
        ActivityKind::Email,
        ActivityKind::Task,
        ActivityKind::Note,
        ActivityKind::Visit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Appointment => "appointment",
            ActivityKind::Meeting => "meeting",
            ActivityKind::TeamsMeeting => "teams_meeting",
            ActivityKind::Call => "call",
            ActivityKind::Email => "email",
            ActivityKind::Task => "task",
            ActivityKind::Note => "note",
            ActivityKind::Visit => "visit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Meetings (plain or Teams) have participants and a request that is sent (C3, C4).
    pub fn is_meeting(self) -> bool {
        matches!(self, ActivityKind::Meeting | ActivityKind::TeamsMeeting)
    }

    /// A call, an e-mail or a note is usually recorded as it happens, so a new one starts now
    /// and takes no time; the other kinds are planned ahead.
    pub fn is_logged_as_it_happens(self) -> bool {
        matches!(
            self,
            ActivityKind::Call | ActivityKind::Email | ActivityKind::Note
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Open,
    Done,
    Cancelled,
}

impl ActivityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityStatus::Open => "open",
            ActivityStatus::Done => "done",
            ActivityStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => ActivityStatus::Open,
            "done" => ActivityStatus::Done,
            "cancelled" => ActivityStatus::Cancelled,
            _ => return None,
        })
    }
}

/// Who takes part in an activity: a record of the CRM or a free e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParticipantRef {
    Employee {
        #[ts(type = "number")]
        id: i64,
    },
    Contact {
        #[ts(type = "number")]
        id: i64,
    },
    Person {
        #[ts(type = "number")]
        id: i64,
    },
    Email {
        address: String,
    },
}

/// A participant as the UI shows it: whom, a label, and the address an invitation goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Participant {
    pub participant: ParticipantRef,
    pub label: String,
    pub email: Option<String>,
}

/// What the user edits on an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub subject: String,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub ends_at: DateTime<Utc>,
    /// The IANA zone the activity is planned in, e.g. "Europe/Berlin" (C9).
    pub time_zone: String,
    pub memo: String,
    /// The text of the meeting request (C3).
    pub mail_text: String,
    pub status: ActivityStatus,
    /// Whose calendar the activity is in.
    #[ts(type = "number")]
    pub owner_employee_id: i64,
    #[ts(type = "number | null")]
    pub business_partner_id: Option<i64>,
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    pub participants: Vec<ParticipantRef>,
    #[ts(type = "number")]
    pub reminder_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Activity {
    #[ts(type = "number")]
    pub id: i64,
    /// The activity's global id; Graph's `transactionId` (C4).
    pub uid: String,
    pub kind: ActivityKind,
    pub subject: String,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub memo: String,
    pub mail_text: String,
    pub status: ActivityStatus,
    pub owner: Lookup,
    pub business_partner: Option<Lookup>,
    pub contact: Option<Lookup>,
    pub person: Option<Lookup>,
    pub participants: Vec<Participant>,
    #[ts(type = "number")]
    pub reminder_minutes: i64,
    #[ts(type = "string | null")]
    pub sent_at: Option<DateTime<Utc>>,
    pub join_url: Option<String>,
    /// A send may have reached Microsoft 365 and is not reconciled yet: the activity cannot be
    /// changed or deleted until a send has found or made its one event.
    pub send_pending: bool,
    /// Start and end as wall-clock times in `time_zone`, as the time inputs show them (C9).
    pub wall_clock: WallClock,
    /// The version read; its `changed_at` is the activity's last change.
    pub stamp: crate::crm::model::Stamp,
}

impl Activity {
    /// The fields of the activity as the user edits them.
    pub fn to_input(&self) -> ActivityInput {
        let id_of = |l: &Option<Lookup>| l.as_ref().map(|l| l.id);
        ActivityInput {
            kind: self.kind,
            subject: self.subject.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: self.time_zone.clone(),
            memo: self.memo.clone(),
            mail_text: self.mail_text.clone(),
            status: self.status,
            owner_employee_id: self.owner.id,
            business_partner_id: id_of(&self.business_partner),
            contact_id: id_of(&self.contact),
            person_id: id_of(&self.person),
            participants: self
                .participants
                .iter()
                .map(|p| p.participant.clone())
                .collect(),
            reminder_minutes: self.reminder_minutes,
        }
    }
}

/// A new activity as the dialog opens with it: the fields, the participants with their labels, and
/// the activity it will be linked to (C6), if any.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActivityDraft {
    pub input: ActivityInput,
    /// The input's start and end as wall-clock times in its zone (C9).
    pub wall_clock: WallClock,
    pub participants: Vec<Participant>,
    #[ts(type = "number | null")]
    pub linked_from: Option<i64>,
    /// The lookup fields the input's ids point to, with their labels (F2).
    pub business_partner: Option<Lookup>,
    pub contact: Option<Lookup>,
    pub person: Option<Lookup>,
}

/// One entry of a calendar view: an activity in one of the opened calendars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: ActivityKind,
    pub subject: String,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub ends_at: DateTime<Utc>,
    /// The opened calendar the entry is shown in (its colour); the owner's when that one is open.
    #[ts(type = "number")]
    pub calendar_employee_id: i64,
    pub sent: bool,
}

/// One line of a record's history ("Verlauf").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryItem {
    pub event: HistoryEvent,
    #[ts(type = "string")]
    pub occurred_at: DateTime<Utc>,
    /// The record the line is about: the activity concerned (which the line opens), the linked
    /// one, or the communication entry itself.
    pub target: Lookup,
    pub activity_kind: Option<ActivityKind>,
    pub detail: String,
    /// Who did it, where the history records it (a communication entry's changes): the employee's
    /// name as it was then.
    pub by: Option<String>,
    /// What a change changed, field by field (a communication entry's "created" and "changed").
    pub changes: Vec<FieldChange>,
}

/// One field of a record as a change left it: its name as in the record's fields (e.g. "value"),
/// the value before (none for a new record) and after. A channel is its code ("email").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HistoryEvent {
    /// An activity that concerns the record (its contact, partner, person or participant).
    Activity,
    Created,
    Converted,
    Linked,
    Sent,
    Cancelled,
    /// A record's fields were changed (a communication entry's).
    Changed,
}

impl HistoryEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryEvent::Activity => "activity",
            HistoryEvent::Created => "created",
            HistoryEvent::Converted => "converted",
            HistoryEvent::Linked => "linked",
            HistoryEvent::Sent => "sent",
            HistoryEvent::Cancelled => "cancelled",
            HistoryEvent::Changed => "changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "activity" => HistoryEvent::Activity,
            "created" => HistoryEvent::Created,
            "converted" => HistoryEvent::Converted,
            "linked" => HistoryEvent::Linked,
            "sent" => HistoryEvent::Sent,
            "cancelled" => HistoryEvent::Cancelled,
            "changed" => HistoryEvent::Changed,
            _ => return None,
        })
    }
}

/// A lookup to an activity, for history lines and lists.
pub fn activity_lookup(id: i64, subject: &str) -> Lookup {
    Lookup {
        kind: RecordKind::Activity,
        id,
        label: subject.to_string(),
    }
}
