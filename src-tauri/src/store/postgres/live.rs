//! Live changes: a connection of its own LISTENs on `treffpunkt_changes`, where the schema's
//! triggers announce every committed change as "table:id", and hands each on as a typed
//! [`Change`]. When the server is lost it says so, tries again with [`RECONNECT_DELAYS`], and says
//! when it listens again (the window then refreshes everything: what changed meanwhile was not
//! heard).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;

use super::connection::ConnectError;

/// The channel the schema's triggers notify on.
pub const CHANNEL: &str = "treffpunkt_changes";

/// The waits between attempts to reach a lost server, the last one repeated. The first is short
/// because the usual loss is a restart or a failover of a few seconds; doubling after that keeps
/// a whole team's desktops (each with two connections) from hammering a server that is coming up
/// again; 15 s at most, so that the window is back at work soon after the server is.
pub const RECONNECT_DELAYS: [Duration; 5] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
    Duration::from_secs(15),
];

/// The wait after `failures` failed attempts in a row.
pub fn reconnect_delay(failures: u32) -> Duration {
    RECONNECT_DELAYS[(failures as usize).min(RECONNECT_DELAYS.len() - 1)]
}

/// How often a quiet listening connection asks the server whether it is still there: a server
/// machine gone without closing its sockets would otherwise go unnoticed until the next change.
const PING_EVERY: Duration = Duration::from_secs(5);

/// How long the listener waits for a notification before looking at its stop flag.
const POLL: Duration = Duration::from_millis(250);

/// What kind of record a change touched: the domain's name for it, which the window is told.
pub use crate::crm::team_database::LiveRecord as ChangedKind;

/// One committed change, as announced by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Change {
    pub kind: ChangedKind,
    pub id: i64,
}

impl Change {
    /// Reads a trigger's payload "table:id"; `None` for anything else.
    pub fn parse(payload: &str) -> Option<Change> {
        let (table, id) = payload.split_once(':')?;
        let kind = match table {
            "business_partners" => ChangedKind::BusinessPartner,
            "contacts" => ChangedKind::Contact,
            "persons" => ChangedKind::Person,
            "employees" => ChangedKind::Employee,
            "communications" => ChangedKind::Communication,
            "activities" => ChangedKind::Activity,
            "mail_configurations" => ChangedKind::MailConfiguration,
            "system_settings" => ChangedKind::SystemSettings,
            _ => return None,
        };
        Some(Change {
            kind,
            id: id.parse().ok()?,
        })
    }
}

/// What the listener tells its subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    Changed(Change),
    /// The server cannot be reached; the next attempt in `retry_in`.
    Lost {
        retry_in: Duration,
    },
    /// Connected and listening: at the start, and after each loss (then the server is back, and
    /// changes made meanwhile were not heard).
    Listening,
}

/// The listening thread; stopped when dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    /// Listens on connections opened by `connect` and tells `subscriber` what it hears.
    pub fn start(
        connect: impl Fn() -> Result<Client, ConnectError> + Send + 'static,
        subscriber: impl Fn(LiveEvent) + Send + 'static,
    ) -> Listener {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("team-db-live".into())
            .spawn(move || run(&flag, &connect, &subscriber))
            .expect("a thread for the live listener");
        Listener {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    stop: &AtomicBool,
    connect: &dyn Fn() -> Result<Client, ConnectError>,
    subscriber: &dyn Fn(LiveEvent),
) {
    let mut failures = 0u32;
    while !stop.load(Ordering::Relaxed) {
        let listening = connect().map_err(|e| e.to_string()).and_then(|mut client| {
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .map_err(|e| e.to_string())?;
            Ok(client)
        });
        match listening {
            Ok(mut client) => {
                if failures > 0 {
                    tracing::info!("live changes: the team database is back");
                }
                failures = 0;
                subscriber(LiveEvent::Listening);
                if let Err(e) = listen(stop, &mut client, subscriber) {
                    tracing::warn!("live changes: the connection was lost: {e}");
                } else {
                    return;
                }
            }
            Err(e) => tracing::warn!("live changes: the team database is unreachable: {e}"),
        }
        let retry_in = reconnect_delay(failures);
        failures = failures.saturating_add(1);
        subscriber(LiveEvent::Lost { retry_in });
        let until = Instant::now() + retry_in;
        while Instant::now() < until {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
        }
    }
}

/// Hands on notifications until `stop` (Ok) or the connection breaks (the reason).
fn listen(
    stop: &AtomicBool,
    client: &mut Client,
    subscriber: &dyn Fn(LiveEvent),
) -> Result<(), String> {
    let mut pinged = Instant::now();
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let heard = client.notifications().timeout_iter(POLL).next();
        match heard {
            Ok(Some(n)) => match Change::parse(n.payload()) {
                Some(change) => subscriber(LiveEvent::Changed(change)),
                None => tracing::debug!(payload = n.payload(), "live changes: not understood"),
            },
            Ok(None) => {
                if client.is_closed() {
                    return Err("closed".into());
                }
                if pinged.elapsed() >= PING_EVERY {
                    client.simple_query("").map_err(|e| e.to_string())?;
                    pinged = Instant::now();
                }
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_names_the_kind_and_the_id() {
        assert_eq!(
            Change::parse("contacts:42"),
            Some(Change {
                kind: ChangedKind::Contact,
                id: 42
            })
        );
        assert_eq!(
            Change::parse("system_settings:0").map(|c| c.kind),
            Some(ChangedKind::SystemSettings)
        );
        assert_eq!(Change::parse("activity_participants:1"), None);
        assert_eq!(Change::parse("contacts:x"), None);
        assert_eq!(Change::parse("contacts"), None);
    }

    #[test]
    fn the_backoff_grows_and_stays_at_its_last_step() {
        assert_eq!(reconnect_delay(0), Duration::from_secs(1));
        assert!(reconnect_delay(1) > reconnect_delay(0));
        assert_eq!(reconnect_delay(4), Duration::from_secs(15));
        assert_eq!(reconnect_delay(1000), Duration::from_secs(15));
    }
}
