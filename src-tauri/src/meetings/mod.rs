//! Sending a meeting request (C4): the checks and the summary, one `POST /me/events` with the
//! activity's id as `transactionId` (so that no retry ever makes a second event), the join URL
//! stored and appended to the memo, and the sent meeting kept read-only.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use crate::crm::activity::{Activity, HistoryEvent, ParticipantRef};
use crate::microsoft::graph::{GraphCallError, GraphClient, GraphError};
use crate::microsoft::retry::RetryPolicy;
use crate::microsoft::session::{Microsoft365, SessionError};
use crate::store::{activities, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("only meetings and Teams meetings send requests")]
    NotAMeeting,
    #[error("the meeting request has been sent already")]
    AlreadySent,
    #[error("the meeting has no participants")]
    NoParticipants,
    #[error("participant {0} has no e-mail address")]
    ParticipantWithoutEmail(String),
    #[error("the meeting request is being sent already")]
    InProgress,
    #[error("Graph answered without a Teams join URL")]
    MissingJoinUrl,
    #[error("only a sent meeting that is not cancelled can be cancelled")]
    NotSent,
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Graph(GraphError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SendError {
    fn from(e: rusqlite::Error) -> Self {
        SendError::Store(e.into())
    }
}

impl SendError {
    pub fn code(&self) -> String {
        match self {
            SendError::NotAMeeting => "not_a_meeting".into(),
            SendError::AlreadySent => "already_sent".into(),
            SendError::NoParticipants => "no_participants".into(),
            SendError::ParticipantWithoutEmail(_) => "participant_without_email".into(),
            SendError::InProgress => "send_in_progress".into(),
            SendError::MissingJoinUrl => "missing_join_url".into(),
            SendError::NotSent => "not_sent".into(),
            SendError::Session(e) => e.code().into(),
            SendError::Graph(GraphError::Status { status: 401, .. }) => {
                "graph_unauthenticated".into()
            }
            SendError::Graph(GraphError::Status { status: 403, .. }) => "graph_forbidden".into(),
            SendError::Graph(GraphError::Status { status: 429, .. }) => "graph_throttled".into(),
            SendError::Graph(GraphError::Network(_)) => "graph_network".into(),
            SendError::Graph(_) => "graph_error".into(),
            SendError::Store(_) => "database".into(),
        }
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
    /// "Name <address>" of each invited participant.
    pub attendees: Vec<String>,
    pub teams: bool,
}

/// The attendees of a meeting: every participant but the organizer, with an address.
fn attendees(activity: &Activity) -> Result<Vec<(String, String)>, SendError> {
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
    Ok(list)
}

/// The checks of C4 and the summary to confirm; nothing is sent.
pub fn summary(activity: &Activity) -> Result<SendSummary, SendError> {
    if !activity.kind.is_meeting() {
        return Err(SendError::NotAMeeting);
    }
    if activity.sent_at.is_some() {
        return Err(SendError::AlreadySent);
    }
    Ok(SendSummary {
        subject: activity.subject.clone(),
        starts_at: activity.starts_at,
        ends_at: activity.ends_at,
        time_zone: activity.time_zone.clone(),
        attendees: attendees(activity)?
            .into_iter()
            .map(|(name, address)| format!("{name} <{address}>"))
            .collect(),
        teams: activity.kind == crate::crm::activity::ActivityKind::TeamsMeeting,
    })
}

/// The `POST /me/events` body (§4.4): times as wall-clock values with the activity's IANA zone
/// (C9), the mail text as body, the activity's id as `transactionId`.
pub fn event_request(activity: &Activity) -> Result<serde_json::Value, SendError> {
    let zone: chrono_tz::Tz = activity.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let local = |t: DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    let teams = activity.kind == crate::crm::activity::ActivityKind::TeamsMeeting;
    let mut body = json!({
        "subject": activity.subject,
        "body": {"contentType": "Text", "content": activity.mail_text},
        "start": {"dateTime": local(activity.starts_at), "timeZone": zone.name()},
        "end": {"dateTime": local(activity.ends_at), "timeZone": zone.name()},
        "attendees": attendees(activity)?.into_iter().map(|(name, address)| json!({
            "emailAddress": {"address": address, "name": name},
            "type": "required",
        })).collect::<Vec<_>>(),
        "transactionId": activity.uid,
    });
    if teams {
        body["isOnlineMeeting"] = json!(true);
        body["onlineMeetingProvider"] = json!("teamsForBusiness");
    }
    Ok(body)
}

/// The outcome of one Graph POST after retries.
type PostResult = Result<serde_json::Value, SendError>;

/// Sends meeting requests, one at a time per activity.
#[derive(Clone)]
pub struct MeetingSender {
    pub m365: Microsoft365,
    pub policy: RetryPolicy,
    in_flight: Arc<Mutex<HashSet<i64>>>,
}

/// Frees the activity for another send when the send ends, however it ends.
struct InFlight<'a>(&'a Mutex<HashSet<i64>>, i64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.1);
    }
}

impl MeetingSender {
    pub fn new(m365: Microsoft365) -> Self {
        MeetingSender {
            m365,
            policy: RetryPolicy::default(),
            in_flight: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// POSTs `body` to `path` as `organizer`: transient failures are retried within the policy's
    /// bounds (honouring `Retry-After`), a refused access token is refreshed once. The request
    /// must be idempotent (an event carries its `transactionId`).
    async fn post(
        &self,
        organizer: i64,
        path: &str,
        body: &serde_json::Value,
        activity: i64,
    ) -> PostResult {
        let registration = self
            .m365
            .registration(crate::microsoft::tokens::SignInOwner::Employee(organizer))?;
        let mut token = self.m365.access_token(organizer).await?;
        let graph = GraphClient {
            http: &self.m365.http,
            endpoints: &registration.endpoints,
        };
        let mut refreshed = false;
        let mut attempt = 1;
        loop {
            match graph.post(path, &token, body).await {
                Ok(answer) => return Ok(answer),
                Err(e) if e.status() == Some(401) && !refreshed => {
                    // An access token Graph refuses: refresh once, then try again.
                    refreshed = true;
                    token = self.m365.refreshed_access_token(organizer).await?;
                }
                Err(GraphCallError {
                    transient: true,
                    retry_after,
                    error,
                }) if attempt < self.policy.max_attempts => {
                    let wait = self.policy.wait(attempt, retry_after);
                    tracing::info!(activity, attempt, ?wait, "Graph answered {error}; retrying");
                    (self.policy.sleep)(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(SendError::Graph(e.error)),
            }
        }
    }

    /// C8 (beyond): cancels a sent meeting with a message to the attendees; the cancellation is
    /// recorded in the history and the activity is marked cancelled.
    pub async fn cancel(&self, id: i64, message: &str) -> Result<Activity, SendError> {
        if !self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id)
        {
            return Err(SendError::InProgress);
        }
        let _guard = InFlight(&self.in_flight, id);
        let (activity, event_id) = self.m365.db.with(|c| {
            Ok::<_, StoreError>((activities::get(c, id)?, activities::graph_event_id(c, id)?))
        })?;
        let event_id = match (activity.sent_at, event_id) {
            (Some(_), Some(e))
                if activity.status != crate::crm::activity::ActivityStatus::Cancelled =>
            {
                e
            }
            _ => return Err(SendError::NotSent),
        };
        let path = format!("me/events/{}/cancel", urlencode_segment(&event_id));
        self.post(activity.owner.id, &path, &json!({ "comment": message }), id)
            .await
            .or_else(|e| match e {
                // Already gone in Graph: what the user wanted has happened.
                SendError::Graph(GraphError::Status { status: 404, .. }) => {
                    Ok(serde_json::Value::Null)
                }
                other => Err(other),
            })?;
        let now = (self.m365.clock)().timestamp();
        self.m365.db.transaction(|tx| {
            activities::mark_cancelled(tx, id, now)?;
            activities::add_history(tx, id, HistoryEvent::Cancelled, None, message, now)?;
            Ok::<_, SendError>(())
        })?;
        tracing::info!(activity = id, "meeting cancelled");
        Ok(self.m365.db.with(|c| activities::get(c, id))?)
    }

    /// Issue 7: sends again every request whose send was interrupted (the app ended between
    /// beginning and recording it). The same `transactionId` makes Graph answer with the event it
    /// may already hold, so each ends sent with exactly one event. Returns the ids sent.
    pub async fn resume_interrupted(&self) -> Result<Vec<i64>, SendError> {
        let ids = self.m365.db.with(|c| activities::interrupted_sends(c))?;
        let mut sent = Vec::new();
        for id in ids {
            match self.send(id).await {
                Ok(_) => sent.push(id),
                Err(e) => {
                    tracing::warn!(activity = id, code = %e.code(), "interrupted send not resumed yet: {e}")
                }
            }
        }
        Ok(sent)
    }

    /// C4: sends the request of activity `id` and records the result. On any failure the
    /// activity stays unsent and can be sent again: the same `transactionId` then finds the event
    /// Graph may already hold.
    pub async fn send(&self, id: i64) -> Result<Activity, SendError> {
        if !self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id)
        {
            return Err(SendError::InProgress);
        }
        let _guard = InFlight(&self.in_flight, id);
        let activity = self.m365.db.with(|c| activities::get(c, id))?;
        summary(&activity)?;
        let request = event_request(&activity)?;
        let organizer = activity.owner.id;
        // Noted before the request: if the process dies from here on, the next start sends again
        // with the same transactionId (see `resume_interrupted`).
        let started = (self.m365.clock)().timestamp();
        self.m365
            .db
            .with(|c| activities::set_send_started(c, id, Some(started)))?;
        let event = match self.post(organizer, "me/events", &request, id).await {
            Ok(event) => event,
            Err(e) => {
                // A failure the app saw is no interruption: the activity is cleanly unsent.
                self.m365
                    .db
                    .with(|c| activities::set_send_started(c, id, None))?;
                return Err(e);
            }
        };
        let join_url = event["onlineMeeting"]["joinUrl"]
            .as_str()
            .map(str::to_string);
        if activity.kind == crate::crm::activity::ActivityKind::TeamsMeeting && join_url.is_none() {
            self.m365
                .db
                .with(|c| activities::set_send_started(c, id, None))?;
            return Err(SendError::MissingJoinUrl);
        }
        let event_id = event["id"].as_str().unwrap_or_default().to_string();
        let now = (self.m365.clock)().timestamp();
        self.m365.db.transaction(|tx| {
            // Another window may have recorded the same event first; then its history says so.
            if activities::mark_sent(tx, id, now, join_url.as_deref(), &event_id)? {
                activities::add_history(tx, id, HistoryEvent::Sent, None, "", now)?;
            }
            Ok::<_, SendError>(())
        })?;
        tracing::info!(
            activity = id,
            teams = join_url.is_some(),
            "meeting request sent"
        );
        Ok(self.m365.db.with(|c| activities::get(c, id))?)
    }
}

/// A Graph id as one path segment: ids are base64 and may hold `/` and `+`.
fn urlencode_segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
