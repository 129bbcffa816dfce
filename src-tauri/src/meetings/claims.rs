//! One send per meeting, whichever desktop sends it: the send is claimed in the shared data before
//! anything goes to Microsoft 365, and a send that was interrupted is taken over by one desktop
//! only, never while the desktop that began it may still be at it.

use std::time::Duration;

use super::SendError;
use crate::store::interface::Shared;

/// The longest one send may run, its waits for Microsoft 365 included; past it the send ends
/// and the activity stays locked until a later send has reconciled it. A quarter of an hour
/// leaves room for the longest `Retry-After` the app waits for (ten minutes) and a few HTTP
/// timeouts (thirty seconds each) besides.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How long after its start another desktop of a team leaves a send alone. The desktop that
/// began it may run it for up to [`SEND_TIMEOUT`]; the start is stamped by that desktop's clock
/// and judged by another's, so five more minutes cover clocks that run apart (far more than
/// time synchronisation leaves; a send taken over too early could reach Graph twice, one taken
/// over late only waits longer).
pub const TAKEOVER_GRACE: Duration = Duration::from_secs(SEND_TIMEOUT.as_secs() + 5 * 60);

/// Which begun sends a desktop may take over as interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takeover {
    /// A local workspace: no other desktop sends from its file. A send this process is running
    /// is guarded by its own claim (`InProgress`); any other begun send is taken over at once,
    /// as a second window of the same file does (the event's `transactionId` and the calendar
    /// lookup keep it to one event).
    Local,
    /// A team database: a send begun less than [`TAKEOVER_GRACE`] ago may still be running on
    /// another desktop, and is left to it.
    Team,
}

impl Takeover {
    /// The start before which a send not done is taken to be interrupted, at `now` (seconds).
    pub fn stale_before(self, now: i64) -> i64 {
        match self {
            Takeover::Local => now + 1,
            Takeover::Team => now - TAKEOVER_GRACE.as_secs() as i64,
        }
    }
}

/// How this desktop came to send a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Nobody had begun its send.
    Fresh,
    /// Its send was interrupted and is reconciled here: the event may exist already.
    Resumed,
}

/// Claims the send of activity `id` at `now` for this desktop: `InProgress` while another one
/// is at it (or took it over first), `AlreadySent` once it is recorded.
pub fn claim(
    s: &mut dyn Shared,
    id: i64,
    now: i64,
    takeover: Takeover,
) -> Result<Claim, SendError> {
    if s.claim_send(id, now)? {
        return Ok(Claim::Fresh);
    }
    if s.claim_interrupted_send(id, takeover.stale_before(now), now)? {
        return Ok(Claim::Resumed);
    }
    if s.activity(id)?.sent_at.is_some() {
        Err(SendError::AlreadySent)
    } else {
        Err(SendError::InProgress)
    }
}
