//! Keeps sign-ins alive while the app runs. A refresh token lapses when it goes unused: "The
//! default lifetime for the refresh tokens is ... 90 days", and each use returns a fresh one
//! ("Refresh tokens replace themselves with a fresh token upon every use"; Microsoft's
//! "Refresh tokens in the Microsoft identity platform", MicrosoftDocs/entra-docs,
//! docs/identity-platform/refresh-tokens.md). A user who opens Treffpunkt but sends no meeting
//! would otherwise have to sign in again every 90 days; so each active sign-in whose tokens are
//! older than [`REFRESH_AFTER`] is refreshed silently, checked every [`CHECK_EVERY`]. Whoever
//! does not open the app is still warned by the banner before the sign-in lapses (B5).

use std::time::Duration;

use super::session::{Microsoft365, SessionError};
use crate::crm::issuer::ISSUER_CHANGED;
use crate::crm::sign_in::SignInOwner;
use crate::store::sign_ins;

/// How often the app looks for sign-ins to refresh.
pub const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// A sign-in whose tokens are at least this old is refreshed: about once a day, so that a daily
/// user's refresh token never comes near its 90 days. Shorter than a day, so that opening the
/// app at about the same time each morning refreshes it.
pub const REFRESH_AFTER: chrono::Duration = chrono::Duration::hours(20);

/// What became of one sign-in in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// New tokens were issued and stored.
    Refreshed,
    /// Microsoft refused for good: the sign-in is marked expired with this reason (B5).
    Expired(String),
    /// Not now (network, a busy identity platform, no Azure fields ...): the sign-in stays as it
    /// was and the next pass tries again. The code of the failure.
    Failed(String),
}

/// One pass: refreshes every active sign-in whose tokens are older than [`REFRESH_AFTER`] by the
/// app's clock, one after the other. Returns what became of each one it tried.
pub async fn refresh_due(m365: &Microsoft365) -> Vec<(SignInOwner, Outcome)> {
    let db = m365.db.clone();
    let active = tokio::task::spawn_blocking(move || db.with(|c| sign_ins::active(c)))
        .await
        .map_err(|e| e.to_string())
        .and_then(|read| read.map_err(|e| e.to_string()));
    let active = match active {
        Ok(active) => active,
        Err(e) => {
            tracing::warn!("sign-ins to keep alive not read: {e}");
            return Vec::new();
        }
    };
    let now = (m365.clock)();
    let mut outcomes = Vec::new();
    for (owner, issued) in active {
        if now - issued < REFRESH_AFTER {
            continue;
        }
        let outcome = match m365.refresh_now(owner).await {
            Ok(()) => Outcome::Refreshed,
            Err(SessionError::Expired { reason }) => Outcome::Expired(reason),
            Err(SessionError::IssuerChanged) => Outcome::Expired(ISSUER_CHANGED.into()),
            Err(e) => Outcome::Failed(e.code().to_string()),
        };
        match &outcome {
            Outcome::Refreshed => tracing::info!(?owner, "sign-in kept alive"),
            Outcome::Expired(reason) => tracing::warn!(?owner, reason, "sign-in expired"),
            Outcome::Failed(code) => {
                tracing::warn!(?owner, code, "sign-in not kept alive this time")
            }
        }
        outcomes.push((owner, outcome));
    }
    outcomes
}

/// Runs [`refresh_due`] at once and then every `every`, for as long as the app runs. The first
/// pass comes at start: a computer that was off for days catches up before anything else needs
/// Microsoft 365. A pass that is late (the computer slept) runs once on waking, not once for
/// each missed tick.
pub async fn run(m365: Microsoft365, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        refresh_due(&m365).await;
    }
}
