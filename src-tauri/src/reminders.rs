//! The reminder scheduler (D1): every little while, the own employee's activities whose reminder
//! time has come are recorded for the notification centre. The centre's own poll runs the same
//! scan, so a reminder also appears at once when the window asks.

use std::sync::Arc;
use std::time::Duration;

use crate::store::{reminders, settings, Db, StoreError};

/// How often the background task looks for due reminders.
pub const SCAN_INTERVAL: Duration = Duration::from_secs(20);

/// Records and returns the reminders due now for the own employee.
pub fn scan(db: &Db, now: i64) -> Result<Vec<reminders::Reminder>, StoreError> {
    db.with(|c| {
        let Some(me) = settings::load(c)?.current_employee_id else {
            return Ok(Vec::new());
        };
        reminders::record_due(c, me, now)
    })
}

/// Starts the background scan on the app's async runtime; it ends with the app. `notify` shows
/// each new reminder outside the window (an OS notification); failing there is only logged.
pub fn spawn(db: Arc<Db>, notify: impl Fn(&reminders::Reminder) + Send + 'static) {
    tauri::async_runtime::spawn(async move {
        loop {
            let db = db.clone();
            let now = chrono::Utc::now().timestamp();
            match tauri::async_runtime::spawn_blocking(move || scan(&db, now)).await {
                Ok(Ok(due)) => {
                    for r in due {
                        tracing::info!(activity = r.activity_id, "reminder due");
                        notify(&r);
                    }
                }
                Ok(Err(e)) => tracing::warn!("reminder scan failed: {e}"),
                Err(e) => tracing::warn!("reminder scan stopped: {e}"),
            }
            tokio::time::sleep(SCAN_INTERVAL).await;
        }
    });
}
