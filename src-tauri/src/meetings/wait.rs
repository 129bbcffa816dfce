//! Waits that Graph asks for (`Retry-After`): a long one is shown with the time left and can be
//! cancelled; a short one just passes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::Notify;
use ts_rs::TS;

use super::SendError;
use crate::microsoft::retry::RetryPolicy;

/// Waits up to this long pass without being shown.
pub const SHOWN_FROM: Duration = Duration::from_secs(3);

/// A wait the UI shows while a send waits for Microsoft 365.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SendWait {
    #[ts(type = "number")]
    pub activity: i64,
    /// When the next try is made.
    #[ts(type = "string")]
    pub until: DateTime<Utc>,
}

struct Waiting {
    until: DateTime<Utc>,
    cancel: Arc<Notify>,
}

/// The long waits going on, one per activity at most.
#[derive(Clone, Default)]
pub struct Waits {
    current: Arc<Mutex<HashMap<i64, Waiting>>>,
}

/// Forgets the wait when it ends, however it ends.
struct Registered<'a>(&'a Waits, i64);

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.0
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.1);
    }
}

impl Waits {
    /// Waits `wait` for `activity`'s next try; `WaitCancelled` when the user cancels it.
    pub async fn wait(
        &self,
        policy: &RetryPolicy,
        activity: i64,
        wait: Duration,
    ) -> Result<(), SendError> {
        if wait <= SHOWN_FROM {
            (policy.sleep)(wait).await;
            return Ok(());
        }
        let cancel = Arc::new(Notify::new());
        let until = Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                activity,
                Waiting {
                    until,
                    cancel: cancel.clone(),
                },
            );
        let _registered = Registered(self, activity);
        tokio::select! {
            _ = (policy.sleep)(wait) => Ok(()),
            _ = cancel.notified() => {
                tracing::info!(activity, "the user cancelled the wait for Microsoft 365");
                Err(SendError::WaitCancelled)
            }
        }
    }

    /// The wait of `activity`'s send, if it waits now.
    pub fn of(&self, activity: i64) -> Option<SendWait> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&activity)
            .map(|w| SendWait {
                activity,
                until: w.until,
            })
    }

    /// Ends `activity`'s wait; returns whether one was going on.
    pub fn cancel(&self, activity: i64) -> bool {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        match current.get(&activity) {
            Some(w) => {
                // notify_one keeps the permit if the select has not polled yet.
                w.cancel.notify_one();
                true
            }
            None => false,
        }
    }
}
