//! A stored sign-in: whose it is, the account, the tokens, and whether it still works (B3-B6).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::issuer::Issuer;

/// Whose sign-in: an employee's own, or a mail configuration's (a global mailbox), which takes
/// precedence for the employees that use it (B3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum SignInOwner {
    Employee(#[ts(type = "number")] i64),
    MailConfiguration(#[ts(type = "number")] i64),
}

/// Tokens as they come from the token endpoint. Never printed: `Debug` hides the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The signed-in account (from the ID token and `GET /me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub user_principal_name: String,
    pub display_name: String,
    pub tenant_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignInState {
    Active,
    /// The refresh failed for good; the user must sign in again (B5).
    Expired,
}

/// A stored sign-in as the app works with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignIn {
    pub owner: SignInOwner,
    pub account: Account,
    pub tokens: Option<TokenSet>,
    pub state: SignInState,
    pub expired_reason: Option<String>,
    /// When tokens were last issued: a refresh token lapses 90 days after it (§3).
    pub updated_at: DateTime<Utc>,
    /// The registration that issued the tokens; `None`: unknown, so they are sent nowhere.
    pub issuer: Option<Issuer>,
    /// Counts the writes of the row's tokens and state: a refresh stores its answer only while the
    /// row is still the one it started from.
    pub generation: i64,
}

/// How long an unused refresh token lives (§3 of the reference).
pub const REFRESH_TOKEN_LIFETIME: chrono::Duration = chrono::Duration::days(90);

/// Refresh this long before the access token expires, so a call never starts with a dying token.
pub const REFRESH_MARGIN: chrono::Duration = chrono::Duration::minutes(5);

impl TokenSet {
    pub fn needs_refresh(&self, now: DateTime<Utc>) -> bool {
        // Checked: a time at the calendar's start has no margin before it, and needs a refresh.
        self.expires_at
            .checked_sub_signed(REFRESH_MARGIN)
            .is_none_or(|due| due <= now)
    }
}
