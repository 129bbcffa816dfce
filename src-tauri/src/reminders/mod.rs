//! Reminders (D1): the own employee's activities whose reminder time has come are recorded for the
//! notification centre and shown outside the window (an OS notification). The background scan and
//! the centre's own poll both come here, so whichever finds a reminder first records it and
//! delivers it everywhere, and the other finds nothing new: each reminder is delivered once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

pub mod os_notification;

use crate::store::interface::{read, Engine, Shared};
use crate::store::reminders::Shown;
use crate::store::{reminders, Db, StoreError};

pub use crate::store::reminders::Reminder;

/// How often the background task looks for due reminders.
pub const SCAN_INTERVAL: Duration = Duration::from_secs(20);

/// Shows a reminder outside the window; failing there is the notifier's to log (the notification
/// centre shows the reminder anyway).
pub type Notifier = Arc<dyn Fn(&Reminder) + Send + Sync>;

#[derive(Clone)]
pub struct Reminders {
    /// Which reminders this desktop has shown.
    db: Arc<Db>,
    /// The activities: the same file in a local workspace, the team database in a team one.
    shared: Arc<dyn Engine>,
    notifier: Notifier,
    /// Recording and notifying run as one step, so two callers never both deliver a reminder.
    delivering: Arc<Mutex<()>>,
}

impl Reminders {
    pub fn new(db: Arc<Db>, notifier: Notifier) -> Self {
        Reminders {
            shared: db.clone(),
            db,
            notifier,
            delivering: Arc::default(),
        }
    }

    /// Reminders recorded for the centre only: where nothing outside the window can show them.
    pub fn without_notifications(db: Arc<Db>) -> Self {
        Self::new(db, Arc::new(|_| {}))
    }

    /// The same, with the activities in `shared` (a team workspace's database).
    pub fn on_shared(self, shared: Arc<dyn Engine>) -> Self {
        Reminders { shared, ..self }
    }

    /// Records the reminders due at `now` that were not recorded before and delivers each of
    /// them outside the window; returns them.
    pub fn deliver_due(&self, now: i64) -> Result<Vec<Reminder>, StoreError> {
        let _one_at_a_time = self.delivering.lock().unwrap_or_else(|p| p.into_inner());
        let candidates = read(&*self.shared, |s| {
            let Some(me) = s.system_settings()?.current_employee_id else {
                return Ok(Vec::new());
            };
            s.reminders_due(me, now)
        })?;
        let shown = self
            .db
            .with(|c| reminders::record_shown(c, &candidates, now))?;
        let due = read(&*self.shared, |s| describe(s, shown))?;
        for r in &due {
            tracing::info!(activity = r.activity_id, "reminder due");
            (self.notifier)(r);
        }
        Ok(due)
    }

    /// Looks for due reminders every `every` for as long as the app runs.
    pub async fn run(self, every: Duration) {
        loop {
            let this = self.clone();
            let now = chrono::Utc::now().timestamp();
            match tokio::task::spawn_blocking(move || this.deliver_due(now)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!("reminder scan failed: {e}"),
                Err(e) => tracing::warn!("reminder scan stopped: {e}"),
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// What the reminders `shown` say, from their activities; one whose activity is gone (deleted
/// on another desktop) is left out.
pub fn describe(shared: &mut dyn Shared, shown: Vec<Shown>) -> Result<Vec<Reminder>, StoreError> {
    let mut said = Vec::with_capacity(shown.len());
    for r in shown {
        let activity = match shared.activity(r.activity_id) {
            Ok(a) => a,
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        said.push(Reminder {
            id: r.id,
            activity_id: r.activity_id,
            subject: activity.subject,
            kind: activity.kind,
            starts_at: chrono::DateTime::from_timestamp(r.starts_at, 0).ok_or_else(|| {
                StoreError::Corrupt(format!("timestamp {} out of range", r.starts_at))
            })?,
            join_url: activity.join_url,
        });
    }
    Ok(said)
}
