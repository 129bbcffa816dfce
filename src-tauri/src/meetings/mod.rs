//! Sending a meeting request (C4): the checks and the summary, one `POST /me/events` with the
//! activity's id as `transactionId`, the join URL stored and appended to the memo, and the sent
//! meeting kept read-only.
//!
//! Graph's "Create event" page (api/user-post-events.md) documents what `transactionId` is for,
//! not for how long or for which body it deduplicates. So a send that may have reached Graph (the
//! connection broke, Graph answered 5xx, the app ended) leaves the activity locked, and the next
//! send first looks for the event in the calendar (`calendarView`, matching `transactionId`) and
//! posts again only when none is there.

mod claims;
pub mod page;
mod request;
mod wait;

use crate::services::Workspace;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Duration as ChronoDuration;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

pub use claims::{claim, Claim, Takeover, SEND_TIMEOUT, TAKEOVER_GRACE};
pub use request::{
    event_request, named, send_blocker, send_owner_of, summary, Organizer, SendSummary,
};
pub use wait::{SendWait, Waits};

use crate::crm::activity::{Activity, ActivityKind, ActivityStatus, HistoryEvent};
use crate::crm::rules::{check_kind_available, ActionContext};
use crate::crm::sign_in::SignInOwner;
use crate::crm::ErrorCode;
use crate::microsoft::graph::{Call, GraphCallError, GraphClient, GraphError};
use crate::microsoft::retry::RetryPolicy;
use crate::microsoft::session::{Microsoft365, SessionError};
use crate::microsoft::time_zones::UnsupportedTimeZone;
use crate::off_thread::{run, Unfinished};
use crate::store::interface::{read, write, Engine, Shared};
use crate::store::{Db, StoreError};

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
    /// C7: a Teams meeting whose planner cannot use Teams (the integration is off, or the
    /// mailbox has no Azure fields) is not sent, whatever the page showed when it was loaded.
    #[error("MS Teams is not available: the integration is off or the mail configuration has no Azure fields")]
    TeamsNotAvailable,
    #[error("Microsoft 365 has no time zone for {0}")]
    UnsupportedTimeZone(String),
    #[error("the mailbox may not create Teams meetings (allowedOnlineMeetingProviders)")]
    TeamsNotAllowed,
    #[error("only a sent meeting that is not cancelled can be cancelled")]
    NotSent,
    #[error("Microsoft 365 no longer has the meeting's event")]
    EventGone,
    /// Graph answered the creation without the event's id: the event may exist, but the app
    /// could neither read its join link nor cancel it. The activity stays locked and the next
    /// send looks for the event by its `transactionId`.
    #[error("Microsoft 365's answer names no event id")]
    NoEventId,
    #[error("the wait for Microsoft 365 was cancelled")]
    WaitCancelled,
    /// The send ran longer than [`SEND_TIMEOUT`]: it may have reached Graph, so the activity
    /// stays locked until a later send has reconciled it.
    #[error("the send took longer than {SEND_TIMEOUT:?}")]
    TimedOut,
    #[error("Microsoft 365 asks to wait {0:?} before the next try")]
    ThrottledTooLong(Duration),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Graph(GraphError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store's work off the async threads panicked (the log says so).
    #[error(transparent)]
    Unfinished(#[from] Unfinished),
}

impl From<rusqlite::Error> for SendError {
    fn from(e: rusqlite::Error) -> Self {
        SendError::Store(e.into())
    }
}

impl From<UnsupportedTimeZone> for SendError {
    fn from(e: UnsupportedTimeZone) -> Self {
        SendError::UnsupportedTimeZone(e.0)
    }
}

impl SendError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SendError::NotAMeeting => ErrorCode::NotAMeeting,
            SendError::AlreadySent => ErrorCode::AlreadySent,
            SendError::NoParticipants => ErrorCode::NoParticipants,
            SendError::ParticipantWithoutEmail(_) => ErrorCode::ParticipantWithoutEmail,
            SendError::InProgress => ErrorCode::SendInProgress,
            SendError::TeamsNotAvailable => ErrorCode::TeamsNotAvailable,
            SendError::UnsupportedTimeZone(_) => ErrorCode::UnsupportedTimeZone,
            SendError::TeamsNotAllowed => ErrorCode::TeamsNotAllowed,
            SendError::NotSent => ErrorCode::NotSent,
            SendError::EventGone => ErrorCode::EventGone,
            SendError::NoEventId => ErrorCode::GraphNoEventId,
            SendError::WaitCancelled => ErrorCode::SendWaitCancelled,
            SendError::TimedOut => ErrorCode::SendTimedOut,
            SendError::ThrottledTooLong(_) => ErrorCode::GraphThrottled,
            SendError::Session(e) => e.code(),
            SendError::Graph(GraphError::Status { code, .. })
                if code == "TimeZoneNotSupportedException" =>
            {
                ErrorCode::UnsupportedTimeZone
            }
            SendError::Graph(GraphError::Status { status: 401, .. }) => {
                ErrorCode::GraphUnauthenticated
            }
            SendError::Graph(GraphError::Status { status: 403, .. }) => ErrorCode::GraphForbidden,
            SendError::Graph(GraphError::Status { status: 429, .. }) => ErrorCode::GraphThrottled,
            SendError::Graph(GraphError::Network(_)) => ErrorCode::GraphNetwork,
            SendError::Graph(GraphError::TooLarge { .. }) => ErrorCode::GraphResponseTooLarge,
            SendError::Graph(_) => ErrorCode::GraphError,
            SendError::Store(StoreError::NotFound { .. }) => ErrorCode::NotFound,
            SendError::Store(_) => ErrorCode::Database,
            SendError::Unfinished(_) => ErrorCode::Internal,
        }
    }

    /// The send can go on after a new sign-in of its organizer (B5): none is stored, it lapsed or
    /// its registration changed, or Graph refused even a refreshed access token.
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self,
            SendError::Session(
                SessionError::NotSignedIn
                    | SessionError::Expired { .. }
                    | SessionError::IssuerChanged
            ) | SendError::Graph(GraphError::Status { status: 401, .. })
        )
    }

    /// Microsoft's own error code and message, shown beside the app's explanation.
    pub fn microsoft(&self) -> Option<(String, String)> {
        match self {
            SendError::Graph(GraphError::Status { code, message, .. }) if !code.is_empty() => {
                Some((code.clone(), message.clone()))
            }
            _ => None,
        }
    }
}

/// Whether a send checks first that Teams is available to the planner (C7): the user's sends do;
/// resuming an interrupted send does not, since its event may exist and must be reconciled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Availability {
    Checked,
    Unchecked,
}

/// What decides the rules of C6/C7 for the activities of `employee`: the team's settings and the
/// employee's mail configuration.
pub(crate) fn context_in(s: &mut dyn Shared, employee: i64) -> Result<ActionContext, StoreError> {
    let settings = s.system_settings()?;
    let mc = s.mail_configuration_of_employee(employee)?;
    Ok(ActionContext::new(&settings, mc.as_ref()))
}

/// C7: refuses `activity` where it is a Teams meeting and Teams is not available to its planner,
/// whose mailbox sends it.
fn require_teams_for(s: &mut dyn Shared, activity: &Activity) -> Result<(), SendError> {
    let ctx = context_in(s, activity.owner.id)?;
    check_kind_available(activity.kind, ctx.teams_available)
        .map_err(|_| SendError::TeamsNotAvailable)
}

/// B5: whose sign-in the user's send of activity `id` uses (the organizer's), read with the
/// activity once, and refused as [`MeetingSender::send_requested`] refuses (C7).
pub fn sign_in_for_send(workspace: &Workspace, id: i64) -> Result<SignInOwner, SendError> {
    let planner = read(workspace.shared(), |s| {
        let activity = s.activity(id)?;
        require_teams_for(s, &activity)?;
        Ok::<_, SendError>(activity.owner.id)
    })?;
    Ok(send_owner_of(
        workspace.shared(),
        workspace.store(),
        planner,
    )?)
}

/// How a send ended that did not fail: the meeting is sent, or it waits for the sign-in of
/// `owner` (B5), after which the send goes on once (`sign_in_and_send`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SendOutcome {
    Sent {
        activity: Box<Activity>,
    },
    /// The sign-in the send uses (B3: the leading mail configuration's, else the user's own
    /// employee's) is missing, lapsed or was refused; `reason` is the error code that said so.
    NeedsSignIn {
        owner: SignInOwner,
        reason: ErrorCode,
    },
}

/// How often a Teams meeting's event is read again when Graph created it without a join link.
const JOIN_LINK_READS: u32 = 3;
/// The longest `Retry-After` the app waits for; a longer one ends the send with a message.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10 * 60);

/// What one send may have done in Graph, so that a failure leaves the activity as it should.
#[derive(Default)]
struct Attempt {
    /// A request that creates the event may have been carried out.
    maybe_created: bool,
}

/// Sends meeting requests, one at a time per activity, and once across the desktops of a team.
#[derive(Clone)]
pub struct MeetingSender {
    /// The sign-ins, in this desktop's own store.
    pub m365: Microsoft365,
    /// The activities: the workspace's shared data.
    shared: Arc<dyn Engine>,
    takeover: Takeover,
    pub policy: RetryPolicy,
    /// Throttling waits the user sees and can cancel.
    pub waits: Waits,
    in_flight: Arc<Mutex<HashSet<i64>>>,
    /// Mailboxes whose calendar allows Teams meetings, read once per mailbox and run.
    teams_checked: Arc<Mutex<HashSet<SignInOwner>>>,
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
    /// The sender of a local workspace, whose activities are in the store of `m365`.
    pub fn new(m365: Microsoft365) -> Self {
        let shared: Arc<dyn Engine> = m365.db.clone();
        MeetingSender::with(m365, shared, Takeover::Local)
    }

    /// The sender of `workspace`, with its sign-ins in `m365`.
    pub fn on(m365: Microsoft365, workspace: &Workspace) -> Self {
        let takeover = if workspace.is_team() {
            Takeover::Team
        } else {
            Takeover::Local
        };
        MeetingSender::with(m365, workspace.shared_engine(), takeover)
    }

    fn with(m365: Microsoft365, shared: Arc<dyn Engine>, takeover: Takeover) -> Self {
        MeetingSender {
            m365,
            shared,
            takeover,
            policy: RetryPolicy::default(),
            waits: Waits::default(),
            in_flight: Arc::new(Mutex::new(HashSet::new())),
            teams_checked: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// Forgets which mailboxes allow Teams, so that the next Teams send reads each again (the
    /// demo's simulator changed them).
    pub fn forget_mailbox_checks(&self) {
        self.teams_checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn claim(&self, id: i64) -> Result<InFlight<'_>, SendError> {
        if !self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id)
        {
            return Err(SendError::InProgress);
        }
        Ok(InFlight(&self.in_flight, id))
    }

    /// Makes `call` as `owner`: transient failures are retried within the policy's bounds,
    /// honouring `Retry-After` as Graph sends it ("Microsoft Graph throttling guidance",
    /// concepts/throttling.md); a refused access token is refreshed once. A `call` that posts
    /// must be idempotent (an event carries its `transactionId`).
    async fn call(
        &self,
        owner: SignInOwner,
        call: &Call<'_>,
        activity: i64,
        attempt: &mut Attempt,
    ) -> Result<serde_json::Value, SendError> {
        // The token comes with the endpoints of the registration that issued it: it goes there
        // and nowhere else.
        let grant = self.m365.grant(owner, false).await?;
        let mut token = grant.access_token;
        let graph = GraphClient {
            http: &self.m365.http,
            endpoints: &grant.endpoints,
        };
        let posts = matches!(call, Call::Post(..));
        let mut refreshed = false;
        let mut tries = 1;
        loop {
            let failure = match graph.call(call, &token).await {
                Ok(answer) => return Ok(answer),
                Err(e) => e,
            };
            // A throttled request (429, or 503 with Retry-After: concepts/throttling.md) was not
            // carried out; any other transient failure of a post (a broken connection, a 5xx,
            // an unreadable success) may have been.
            let throttled = failure.status() == Some(429)
                || (failure.status() == Some(503) && failure.retry_after.is_some());
            // An answer too large to read may be the success of a post.
            let unread = matches!(failure.error, GraphError::TooLarge { .. });
            if posts && (failure.transient || unread) && !throttled {
                attempt.maybe_created = true;
            }
            match failure {
                e if e.status() == Some(401) && !refreshed => {
                    refreshed = true;
                    let fresh = self.m365.grant(owner, true).await?;
                    if fresh.endpoints != grant.endpoints {
                        // The registration changed since the first token: its calls go to the
                        // new endpoints with the next attempt, not with this one's client.
                        return Err(SessionError::IssuerChanged.into());
                    }
                    token = fresh.access_token;
                }
                GraphCallError {
                    transient: true,
                    retry_after,
                    error,
                } if tries < self.policy.max_attempts => {
                    if retry_after.is_some_and(|w| w > MAX_RETRY_AFTER) {
                        return Err(SendError::ThrottledTooLong(retry_after.unwrap_or_default()));
                    }
                    let wait = retry_after.unwrap_or_else(|| self.policy.wait(tries, None));
                    tracing::info!(activity, tries, ?wait, "Graph answered {error}; retrying");
                    self.waits.wait(&self.policy, activity, wait).await?;
                    tries += 1;
                }
                e => return Err(SendError::Graph(e.error)),
            }
        }
    }

    /// Before a mailbox's first Teams meeting: its calendar must allow Teams
    /// (`allowedOnlineMeetingProviders`, Graph's calendar resource, resources/calendar.md).
    /// Otherwise Graph creates the event, mails the invitations, and no join link ever comes.
    async fn ensure_teams_allowed(
        &self,
        owner: SignInOwner,
        activity: i64,
    ) -> Result<(), SendError> {
        let checked = |s: &Self| {
            s.teams_checked
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&owner)
        };
        if checked(self) {
            return Ok(());
        }
        let calendar = self
            .call(
                owner,
                &Call::Get(
                    "me/calendar?$select=allowedOnlineMeetingProviders,defaultOnlineMeetingProvider"
                        .into(),
                ),
                activity,
                &mut Attempt::default(),
            )
            .await?;
        let allowed = calendar["allowedOnlineMeetingProviders"]
            .as_array()
            .is_some_and(|list| list.iter().any(|p| p == "teamsForBusiness"));
        if !allowed {
            tracing::warn!(
                activity,
                "the organizer's mailbox does not allow Teams meetings"
            );
            return Err(SendError::TeamsNotAllowed);
        }
        self.teams_checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(owner);
        Ok(())
    }

    /// C8 (beyond): cancels a sent meeting with a message to the attendees; the cancellation is
    /// recorded in the history and the activity is marked cancelled. A 404 is no success: the
    /// event is gone from Microsoft 365, nobody would be told, and the user decides
    /// (`forget_event`).
    pub async fn cancel(&self, id: i64, message: &str) -> Result<Activity, SendError> {
        let _guard = self.claim(id)?;
        let (activity, event_id) = self
            .stores(move |shared, _| cancellable(shared, id))
            .await?;
        // Without an event id nothing can be cancelled in Microsoft 365, so nothing is sent
        // (`me/events//cancel` is no cancel) and it is no success: as for a 404, the user decides.
        let Some(event_id) = event_id else {
            tracing::warn!(activity = id, "the sent meeting has no event id to cancel");
            return Err(SendError::EventGone);
        };
        let organizer = self
            .stores(move |shared, local| Ok(Organizer::of(shared, local, &activity)?.owner))
            .await?;
        let path = format!("me/events/{}/cancel", urlencode_segment(&event_id));
        let body = json!({ "comment": message });
        match self
            .call(
                organizer,
                &Call::Post(&path, &body),
                id,
                &mut Attempt::default(),
            )
            .await
        {
            Ok(_) => {}
            Err(SendError::Graph(GraphError::Status { status: 404, .. })) => {
                tracing::warn!(
                    activity = id,
                    "the meeting's event is gone from Microsoft 365"
                );
                return Err(SendError::EventGone);
            }
            Err(e) => return Err(e),
        }
        let now = (self.m365.clock)().timestamp();
        let message = message.to_string();
        let activity = self
            .stores(move |shared, _| {
                record_cancelled(shared, id, &message, now)?;
                Ok(read(shared, |s| s.activity(id))?)
            })
            .await?;
        tracing::info!(activity = id, "meeting cancelled");
        Ok(activity)
    }

    /// After `SendError::EventGone`: the user marks the meeting cancelled in the CRM; nobody is
    /// notified, and the history says so.
    pub async fn forget_event(&self, id: i64) -> Result<Activity, SendError> {
        let _guard = self.claim(id)?;
        let now = (self.m365.clock)().timestamp();
        self.stores(move |shared, _| {
            cancellable(shared, id)?;
            record_cancelled(shared, id, "not_in_microsoft_365", now)?;
            Ok(read(shared, |s| s.activity(id))?)
        })
        .await
    }

    /// Runs `f` on the shared data and this desktop's store, off the async threads: the team
    /// database's client blocks, and may not do so on a thread that drives async tasks.
    async fn stores<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Engine, &Db) -> Result<T, SendError> + Send + 'static,
    ) -> Result<T, SendError> {
        let (shared, local) = (self.shared.clone(), self.m365.db.clone());
        run(move || f(&*shared, &local)).await?
    }

    /// Sends again every request whose send may have reached Graph (the app ended, or the
    /// connection broke, between beginning and recording it). Each is reconciled first, so each
    /// ends with exactly one event; in a team, by the one desktop that claims it, and only once
    /// the desktop that began it can no longer be at it ([`TAKEOVER_GRACE`]). Returns the ids
    /// sent.
    pub async fn resume_interrupted(&self) -> Result<Vec<i64>, SendError> {
        let ids = self
            .stores(|shared, _| Ok(read(shared, |s| s.interrupted_sends())?))
            .await?;
        let mut sent = Vec::new();
        for id in ids {
            match self.send(id).await {
                Ok(_) => sent.push(id),
                Err(SendError::InProgress) => {
                    tracing::info!(activity = id, "the send is still running, maybe elsewhere")
                }
                Err(e) => {
                    tracing::warn!(activity = id, code = %e.code(), "interrupted send not resumed yet: {e}")
                }
            }
        }
        Ok(sent)
    }

    /// C4 and B5: sends the request of activity `id`; where it needs a sign-in first, says whose
    /// (the organizer's: `send_owner_of`), and nothing is sent.
    pub async fn send_or_ask(&self, id: i64) -> Result<SendOutcome, SendError> {
        self.send_or_ask_as(id, Availability::Unchecked).await
    }

    /// The user's send from the activity's page: as [`send_or_ask`](Self::send_or_ask), and a
    /// Teams meeting is refused where its planner cannot use Teams (C7), whatever the page showed
    /// when it was loaded. The check reads the activity the send reads, once.
    pub async fn send_requested(&self, id: i64) -> Result<SendOutcome, SendError> {
        self.send_or_ask_as(id, Availability::Checked).await
    }

    async fn send_or_ask_as(&self, id: i64, teams: Availability) -> Result<SendOutcome, SendError> {
        match self.send_as(id, teams).await {
            Ok(activity) => Ok(SendOutcome::Sent {
                activity: Box::new(activity),
            }),
            Err(e) if e.needs_sign_in() => {
                let owner = self
                    .stores(move |shared, local| {
                        let planner = read(shared, |s| s.activity(id))?.owner.id;
                        Ok(send_owner_of(shared, local, planner)?)
                    })
                    .await?;
                Ok(SendOutcome::NeedsSignIn {
                    owner,
                    reason: e.code(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// C4: sends the request of activity `id` and records the result. The activity is locked
    /// against edits from the first moment; a failure that certainly created nothing frees it
    /// again, any other keeps it locked until a later send has reconciled it.
    pub async fn send(&self, id: i64) -> Result<Activity, SendError> {
        self.send_as(id, Availability::Unchecked).await
    }

    async fn send_as(&self, id: i64, teams: Availability) -> Result<Activity, SendError> {
        let _guard = self.claim(id)?;
        let now = (self.m365.clock)().timestamp();
        let takeover = self.takeover;
        let resumed = self
            .stores(move |shared, _| {
                write(shared, |s| {
                    let activity = s.activity(id)?;
                    if teams == Availability::Checked {
                        require_teams_for(s, &activity)?;
                    }
                    if activity.sent_at.is_some() {
                        return Err(SendError::AlreadySent);
                    }
                    Ok(claim(s, id, now, takeover)? == Claim::Resumed)
                })
            })
            .await?;
        let mut attempt = Attempt {
            maybe_created: resumed,
        };
        let sending = self.send_locked(id, resumed, &mut attempt);
        let result = match tokio::time::timeout(SEND_TIMEOUT, sending).await {
            Ok(result) => result,
            Err(_) => {
                // Cut off in the middle: a request that creates the event may be on its way.
                attempt.maybe_created = true;
                tracing::warn!(activity = id, "the send timed out");
                Err(SendError::TimedOut)
            }
        };
        if result.is_err() && !attempt.maybe_created {
            self.stores(move |shared, _| Ok(write(shared, |s| s.set_send_started(id, None))?))
                .await?;
        }
        result
    }

    async fn send_locked(
        &self,
        id: i64,
        resumed: bool,
        attempt: &mut Attempt,
    ) -> Result<Activity, SendError> {
        let (activity, organizer, event_id) = self
            .stores(move |shared, local| {
                let (activity, event_id) = read(shared, |s| {
                    Ok::<_, StoreError>((s.activity(id)?, s.graph_event_id(id)?))
                })?;
                let organizer = Organizer::of(shared, local, &activity)?;
                Ok((activity, organizer, event_id))
            })
            .await?;
        summary(&activity, &organizer)?;
        let request = event_request(&activity, &organizer)?;
        let owner = organizer.owner;
        let teams = activity.kind == ActivityKind::TeamsMeeting;
        if teams {
            self.ensure_teams_allowed(owner, id).await?;
        }
        if resumed {
            if let Some(event_id) = event_id {
                // Created, still waiting for its join link when the app ended.
                let event = self.read_event(owner, &event_id, id, attempt).await?;
                return self.finish(id, owner, event, teams, attempt).await;
            }
            match self.find_event(owner, &activity, attempt).await? {
                Some(event) => {
                    tracing::info!(activity = id, "found the event of an earlier attempt");
                    return self.finish(id, owner, event, teams, attempt).await;
                }
                None => attempt.maybe_created = false,
            }
        }
        let event = self
            .call(owner, &Call::Post("me/events", &request), id, attempt)
            .await?;
        self.finish(id, owner, event, teams, attempt).await
    }

    async fn read_event(
        &self,
        owner: SignInOwner,
        event_id: &str,
        id: i64,
        attempt: &mut Attempt,
    ) -> Result<serde_json::Value, SendError> {
        let path = format!("me/events/{}", urlencode_segment(event_id));
        self.call(owner, &Call::Get(path), id, attempt).await
    }

    /// The event an earlier attempt created: `calendarView` over the activity's time, matching
    /// `transactionId` (Graph: "List calendarView", api/user-list-calendarview.md; the event's
    /// `transactionId`, resources/event.md).
    async fn find_event(
        &self,
        owner: SignInOwner,
        activity: &Activity,
        attempt: &mut Attempt,
    ) -> Result<Option<serde_json::Value>, SendError> {
        let bound = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let from = bound(activity.starts_at - ChronoDuration::minutes(1));
        let to = bound(activity.ends_at + ChronoDuration::minutes(1));
        let mut call = Call::Get(format!(
            "me/calendarView?startDateTime={from}&endDateTime={to}&$top=50"
        ));
        for _page in 0..100 {
            let page = self.call(owner, &call, activity.id, attempt).await?;
            let found = page["value"].as_array().and_then(|events| {
                events
                    .iter()
                    .find(|e| e["transactionId"].as_str() == Some(activity.uid.as_str()))
            });
            if let Some(event) = found {
                return Ok(Some(event.clone()));
            }
            match page["@odata.nextLink"]
                .as_str()
                .and_then(|l| url::Url::parse(l).ok())
            {
                Some(next) => call = Call::GetUrl(next),
                None => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Records the created event. A Teams meeting whose event came without a join link keeps its
    /// event id at once (a restart reads that event instead of sending again), is read a few
    /// more times, and is recorded as sent without a link if none comes: never sendable again.
    async fn finish(
        &self,
        id: i64,
        owner: SignInOwner,
        event: serde_json::Value,
        teams: bool,
        attempt: &mut Attempt,
    ) -> Result<Activity, SendError> {
        // An event without an id was made all the same: keep the activity locked, so that the
        // next send finds it in the calendar rather than making a second one.
        let Some(event_id) = event["id"].as_str().filter(|e| !e.trim().is_empty()) else {
            attempt.maybe_created = true;
            tracing::warn!(activity = id, "Graph's event has no id");
            return Err(SendError::NoEventId);
        };
        let event_id = event_id.to_string();
        let mut join_url = join_url_of(&event);
        if teams && join_url.is_none() {
            let kept = event_id.clone();
            self.stores(move |shared, _| Ok(write(shared, |s| s.set_graph_event_id(id, &kept))?))
                .await?;
            for read in 1..=JOIN_LINK_READS {
                (self.policy.sleep)(self.policy.wait(read, None)).await;
                let again = self.read_event(owner, &event_id, id, attempt).await?;
                join_url = join_url_of(&again);
                if join_url.is_some() {
                    break;
                }
            }
        }
        let now = (self.m365.clock)().timestamp();
        let without_link = teams && join_url.is_none();
        let activity = self
            .stores(move |shared, _| {
                record_sent(
                    shared,
                    id,
                    now,
                    join_url.as_deref(),
                    &event_id,
                    without_link,
                )?;
                Ok(read(shared, |s| s.activity(id))?)
            })
            .await?;
        if without_link {
            tracing::warn!(
                activity = id,
                "meeting sent, but Graph gave no Teams join link"
            );
        } else {
            tracing::info!(activity = id, teams, "meeting request sent");
        }
        Ok(activity)
    }
}

/// Records the sent request once: another window or desktop may have recorded the same event
/// first, and then its history says so.
fn record_sent(
    shared: &dyn Engine,
    id: i64,
    now: i64,
    join_url: Option<&str>,
    event_id: &str,
    without_link: bool,
) -> Result<(), SendError> {
    write(shared, |s| {
        if s.mark_sent(id, now, join_url, event_id)? {
            let detail = if without_link {
                "without_teams_link"
            } else {
                ""
            };
            s.add_history(id, HistoryEvent::Sent, None, detail, now)?;
        }
        Ok::<_, SendError>(())
    })
}

/// The sent, not yet cancelled activity and its event's id, if it has a usable one.
fn cancellable(shared: &dyn Engine, id: i64) -> Result<(Activity, Option<String>), SendError> {
    let (activity, event_id) = read(shared, |s| {
        Ok::<_, StoreError>((s.activity(id)?, s.graph_event_id(id)?))
    })?;
    match activity.sent_at {
        Some(_) if activity.status != ActivityStatus::Cancelled => {
            // An empty id names no event (a row written by an older version or by hand).
            Ok((activity, event_id.filter(|e| !e.trim().is_empty())))
        }
        _ => Err(SendError::NotSent),
    }
}

/// Marks the activity cancelled; `detail` is the message to the attendees, or why nobody got one.
fn record_cancelled(shared: &dyn Engine, id: i64, detail: &str, now: i64) -> Result<(), SendError> {
    write(shared, |s| {
        s.mark_cancelled(id, now)?;
        s.add_history(id, HistoryEvent::Cancelled, None, detail, now)?;
        Ok::<_, SendError>(())
    })
}

fn join_url_of(event: &serde_json::Value) -> Option<String> {
    event["onlineMeeting"]["joinUrl"]
        .as_str()
        .filter(|u| !u.is_empty())
        .map(str::to_string)
}

/// A Graph id as one path segment: ids are base64 and may hold `/` and `+`.
fn urlencode_segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
