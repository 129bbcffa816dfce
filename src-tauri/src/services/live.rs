//! Live changes in a team workspace: what another desktop changed, for the window to refresh
//! (calendars, lists, the open record), and whether the team database is reachable (the window's
//! banner). The store's listener hears the server; this turns what it hears into the message the
//! window gets, so that the window decides nothing but what to reload.

use serde::Serialize;
use ts_rs::TS;

use crate::crm::team_database::LiveRecord;
use crate::store::postgres::live::{Listener, LiveEvent};
use crate::store::postgres::ConnectError;

/// What the window is told (as the DOM event `treffpunkt:live`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LiveMessage {
    /// A record was saved or deleted (by anyone, this desktop included): views showing it reload.
    Changed {
        record: LiveRecord,
        #[ts(type = "number")]
        id: i64,
    },
    /// The team database cannot be reached; the next attempt in `retry_in_secs` seconds.
    Lost { retry_in_secs: u32 },
    /// Connected and listening. After `Lost`: the server is back, and what changed meanwhile was
    /// not heard, so everything shown reloads.
    Listening,
}

impl From<LiveEvent> for LiveMessage {
    fn from(e: LiveEvent) -> LiveMessage {
        match e {
            LiveEvent::Changed(change) => LiveMessage::Changed {
                record: change.kind,
                id: change.id,
            },
            LiveEvent::Lost { retry_in } => LiveMessage::Lost {
                // Rounded up: the banner never says "in 0 s" while a wait remains.
                retry_in_secs: retry_in
                    .as_millis()
                    .div_ceil(1000)
                    .try_into()
                    .unwrap_or(u32::MAX),
            },
            LiveEvent::Listening => LiveMessage::Listening,
        }
    }
}

/// Listens on connections opened by `connect` and hands every message to `window`; stops when
/// the returned listener is dropped.
pub fn start(
    connect: impl Fn() -> Result<postgres::Client, ConnectError> + Send + 'static,
    window: impl Fn(LiveMessage) + Send + 'static,
) -> Listener {
    Listener::start(connect, move |event| window(event.into()))
}

/// The script that hands `message` to the webview as a DOM event: the webview is granted no
/// permission to listen to Tauri's events (capabilities/main.json).
pub fn dom_event_script(message: &LiveMessage) -> String {
    // The message is our own enum of names and numbers; JSON is a valid JavaScript expression.
    let detail = serde_json::to_string(message).expect("a live message serialises");
    format!("window.dispatchEvent(new CustomEvent('treffpunkt:live', {{ detail: {detail} }}))")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::interface::write;
    use crate::store::postgres::{classify_connect_error, schema, test_server, PgEngine};
    use std::sync::mpsc;
    use std::time::Duration;

    /// Generous: this says nothing about speed, only that the change arrives at all.
    const ARRIVES_WITHIN: Duration = Duration::from_secs(30);

    fn next_change(rx: &mpsc::Receiver<LiveMessage>) -> LiveMessage {
        loop {
            let m = rx.recv_timeout(ARRIVES_WITHIN).expect("a live message");
            if matches!(m, LiveMessage::Changed { .. }) {
                return m;
            }
        }
    }

    #[test]
    fn a_contact_saved_on_one_desktop_reaches_the_other_desktops_window() {
        let db = test_server::shared().fresh_database();
        schema::migrate(&mut db.superuser()).unwrap();
        let desktop_a = PgEngine::new(db.login(&format!("a_{}", db.name), "treffpunkt_users"));
        let connect_b = db.connector(&format!("b_{}", db.name), "treffpunkt_users");
        let (tx, rx) = mpsc::channel();
        let _listener = start(
            move || connect_b().map_err(classify_connect_error),
            move |m| {
                let _ = tx.send(m);
            },
        );
        assert_eq!(
            rx.recv_timeout(ARRIVES_WITHIN).unwrap(),
            LiveMessage::Listening
        );

        let id = write(&desktop_a, |s| {
            s.insert_contact(&crate::crm::model::ContactFields {
                first_name: "Lena".into(),
                last_name: "Vogt".into(),
                ..Default::default()
            })
        })
        .unwrap();

        assert_eq!(
            next_change(&rx),
            LiveMessage::Changed {
                record: LiveRecord::Contact,
                id
            }
        );
    }

    #[test]
    fn the_window_gets_a_dom_event_with_the_message() {
        let script = dom_event_script(&LiveMessage::Lost { retry_in_secs: 4 });
        assert_eq!(
            script,
            r#"window.dispatchEvent(new CustomEvent('treffpunkt:live', { detail: {"event":"lost","retry_in_secs":4} }))"#
        );
        let from: LiveMessage = LiveEvent::Lost {
            retry_in: Duration::from_millis(1500),
        }
        .into();
        assert_eq!(from, LiveMessage::Lost { retry_in_secs: 2 });
    }
}
