//! The closed set of error codes the app answers with: every command's error (`IpcError.code`),
//! the reason a button is disabled, the reason a send needs a sign-in. Exported to TypeScript as a
//! union of strings (`ErrorCode` in ui/src/api/bindings.ts), and the UI's dictionaries are typed
//! so that `tsc` fails while a code has no German or English text.
//!
//! It lives in `crm`, the lowest layer that refuses something with a code, so that `crm`,
//! `microsoft`, `teams`, `meetings` and `commands` all name the same codes without `crm` looking
//! up at the IPC layer.
//!
//! To add a code: one line `Variant = "snake_case_code",` below, then `make bindings`, then an
//! `"error.snake_case_code"` text in ui/src/i18n/de.ts and en.ts (the type check asks for them).
//! Field codes of a validation error (`FieldError.code`) are a separate, open set.

use serde::Serialize;
use ts_rs::TS;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// A stable error code; the UI explains each in German and English.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $code)] $variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order declared.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as it crosses IPC and is stored (a sign-in's expired reason).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }
    };
}

error_codes! {
    // Any command.
    /// The input breaks a rule; `IpcError.fields` says which field and why.
    Validation = "validation",
    NotFound = "not_found",
    InUse = "in_use",
    /// Someone else saved the record since it was read; nothing was saved.
    /// `IpcError.changed_by` and `changed_at` say who and when.
    Conflict = "conflict",
    /// The team database refused the change to this login: only the team's administrators
    /// change the system settings and the mail configurations. Nothing was changed.
    NotPermitted = "not_permitted",
    Database = "database",
    /// A command's work panicked or was cancelled; what it said is in the log only.
    Internal = "internal",
    QueryTooLong = "query_too_long",
    SecretUnreadable = "secret_unreadable",

    // Records and activities (crm).
    OwnEmployee = "own_employee",
    AlreadySent = "already_sent",
    MeetingCancelled = "meeting_cancelled",
    SendPending = "send_pending",
    Conversion = "conversion",
    DeleteSentMeeting = "delete_sent_meeting",
    /// A new activity was asked for about a record kind that has no activities of its own.
    NoActivityFromRecord = "no_activity_from_record",
    NoParticipants = "no_participants",
    NotAMeeting = "not_a_meeting",
    TeamsNotAvailable = "teams_not_available",

    // Calendar, start-up, settings, the demo.
    InvalidRange = "invalid_range",
    TooManyCalendars = "too_many_calendars",
    NoCurrentEmployee = "no_current_employee",
    InvalidTimeline = "invalid_timeline",
    InvalidCountry = "invalid_country",
    NotDemo = "not_demo",

    // Teams calls, chats, joining (teams).
    NoAddress = "no_address",
    NoCallAddress = "no_call_address",
    NothingToCall = "nothing_to_call",
    InvalidAddress = "invalid_address",
    InvalidPhone = "invalid_phone",
    NoSuchOption = "no_such_option",
    NoJoinUrl = "no_join_url",
    LaunchFailed = "launch_failed",

    // Meeting requests (meetings).
    ParticipantWithoutEmail = "participant_without_email",
    SendInProgress = "send_in_progress",
    UnsupportedTimeZone = "unsupported_time_zone",
    TeamsNotAllowed = "teams_not_allowed",
    NotSent = "not_sent",
    EventGone = "event_gone",
    SendWaitCancelled = "send_wait_cancelled",
    SendTimedOut = "send_timed_out",
    MessageTooLong = "message_too_long",

    // Microsoft Graph (microsoft).
    GraphUnauthenticated = "graph_unauthenticated",
    GraphForbidden = "graph_forbidden",
    GraphNetwork = "graph_network",
    GraphResponseTooLarge = "graph_response_too_large",
    GraphNoEventId = "graph_no_event_id",
    GraphThrottled = "graph_throttled",
    GraphError = "graph_error",

    // The team database (store::postgres): "Verbindung testen" and connecting.
    TeamDbPasswordMissing = "team_db_password_missing",
    TeamDbUnreachable = "team_db_unreachable",
    TeamDbLoginRefused = "team_db_login_refused",
    TeamDbNoSuchDatabase = "team_db_no_such_database",
    TeamDbTls = "team_db_tls",
    TeamDbError = "team_db_error",
    /// The team database's schema is older than this build's (or not set up): an administrator
    /// migrates it.
    TeamDbSchemaOlder = "team_db_schema_older",
    /// The team database was set up by a newer Treffpunkt: this desktop needs the update.
    TeamDbSchemaNewer = "team_db_schema_newer",
    /// The team database was lost while working (or is not back yet): nothing of the call was
    /// kept; the window reconnects by itself.
    TeamDbConnectionLost = "team_db_connection_lost",
    /// The connection broke while the server answered a save: whether it was kept shows once the
    /// server is back.
    TeamDbOutcomeUnknown = "team_db_outcome_unknown",
    /// Moving in needs a saved connection to the team database.
    TeamDbNotSaved = "team_db_not_saved",
    /// Moving in goes to an empty team database only: two workspaces are never mixed.
    TeamDbNotEmpty = "team_db_not_empty",
    /// The demo workspace's made-up data is not moved into a team database.
    MoveInDemo = "move_in_demo",

    // Signing in (microsoft): the session, then the identity platform's failures (B5).
    SignInNotOwn = "sign_in_not_own",
    SigninRequired = "signin_required",
    SigninExpired = "signin_expired",
    SigninIssuerChanged = "signin_issuer_changed",
    /// A stored sign-in whose tokens can no longer be opened (the keyring's key changed).
    SigninUnreadable = "signin_unreadable",
    SigninExpiredInactivity = "signin_expired_inactivity",
    SigninRevoked = "signin_revoked",
    SigninMfaRequired = "signin_mfa_required",
    SigninActionRequired = "signin_action_required",
    SigninAdditionalAction = "signin_additional_action",
    SigninMessageOnly = "signin_message_only",
    SigninPasswordExpired = "signin_password_expired",
    SigninTokenUnusable = "signin_token_unusable",
    SigninDeviceAuthenticationFailed = "signin_device_authentication_failed",
    SigninProtectionPolicyRequired = "signin_protection_policy_required",
    SigninClientMismatch = "signin_client_mismatch",
    SigninUnavailable = "signin_unavailable",
    SigninConsentMissing = "signin_consent_missing",
    SigninFrequency = "signin_frequency",
    SigninInvalidClientSecret = "signin_invalid_client_secret",
    SigninClientSecretExpired = "signin_client_secret_expired",
    SigninClientSecretRequired = "signin_client_secret_required",
    SigninPublicClientWithSecret = "signin_public_client_with_secret",
    SigninCodeRedeemed = "signin_code_redeemed",
    SigninPkceMismatch = "signin_pkce_mismatch",
    SigninAccessDenied = "signin_access_denied",
    SigninPersonalAccount = "signin_personal_account",
    SigninTimeout = "signin_timeout",
    SigninCancelled = "signin_cancelled",
    SigninStateMismatch = "signin_state_mismatch",
    SigninNetwork = "signin_network",
    SigninResponseTooLarge = "signin_response_too_large",
    SigninBrowser = "signin_browser",
    SigninNotConfigured = "signin_not_configured",
    SigninFailed = "signin_failed",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and logs compare a code with the string the UI receives.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_snake_case_strings() {
        for (code, json) in [
            (ErrorCode::NotFound, "not_found"),
            (ErrorCode::Validation, "validation"),
            (ErrorCode::SigninIssuerChanged, "signin_issuer_changed"),
            (ErrorCode::GraphNoEventId, "graph_no_event_id"),
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), json);
        }
        // What crosses IPC is what is stored and compared: one string per code, no two alike.
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }

    #[test]
    fn the_stored_sign_in_reasons_are_codes() {
        assert_eq!(
            ErrorCode::SigninUnreadable,
            crate::store::sign_ins::UNREADABLE
        );
    }
}
