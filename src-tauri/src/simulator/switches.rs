//! Lasting misbehaviours of the simulated tenant, switched on and off while it runs: the demo's
//! "Simulator" panel and `m365-sim`'s options use them, so that a user sees what the app does when
//! Microsoft 365 misbehaves. One-shot faults for tests are `SimState::inject`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One lasting misbehaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SimSwitch {
    /// Every other event creation is answered 429 with `Retry-After` (concepts/throttling.md).
    Throttling,
    /// Graph closes every connection before answering.
    GraphUnreachable,
    /// Every user's sessions are revoked: refreshing fails (AADSTS50173); an access token already
    /// issued works until it expires, unless it is a CAE token, which Graph refuses at once with a
    /// claims challenge (refresh-tokens.md, "Token revocation"; claims-challenge.md).
    SignInRevoked,
    /// No mailbox may create Teams meetings (`allowedOnlineMeetingProviders` without Teams).
    MailboxWithoutTeams,
}

impl SimSwitch {
    pub const ALL: [SimSwitch; 4] = [
        SimSwitch::Throttling,
        SimSwitch::GraphUnreachable,
        SimSwitch::SignInRevoked,
        SimSwitch::MailboxWithoutTeams,
    ];
}

/// The state of one switch, as the demo's panel shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct SimSwitchState {
    pub switch: SimSwitch,
    pub on: bool,
}

/// How long a throttled request is asked to wait, in seconds: long enough that the app shows it.
pub const THROTTLE_RETRY_AFTER: &str = "8";
