//! What each identity-platform failure means and what the user or the admin should do (B5, §1.6).
//!
//! Microsoft's pages this follows: the AADSTS list and the `error` values in "Microsoft Entra
//! authentication and authorization error codes" (MicrosoftDocs/entra-docs,
//! docs/identity-platform/reference-error-codes.md, learn.microsoft.com/entra/identity-platform/
//! reference-error-codes), and for `suberror` the classification MSAL gives it (MSAL.NET's
//! `InvalidGrantClassification` and "Handle errors and exceptions in MSAL.NET",
//! MicrosoftDocs/microsoft-authentication-library-dotnet,
//! msal-dotnet-articles/advanced/exceptions/msal-error-handling.md).

use serde::{Deserialize, Serialize};

use crate::crm::ErrorCode;

/// A token-endpoint error body (§1.6). Decisions use `error_codes` and `error`, never the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AadErrorResponse {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u32>,
    #[serde(default)]
    pub suberror: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
}

impl std::fmt::Display for AadErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The description names the code, a trace ID and a time: no token, secret or code.
        write!(f, "{} ({:?})", self.error, self.error_codes)
    }
}

impl oauth2::ErrorResponse for AadErrorResponse {}

/// Why a sign-in or a token refresh failed, each with a stable code the UI explains (B5, B7).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("the refresh token expired through inactivity (AADSTS700082/70008)")]
    ExpiredByInactivity,
    #[error("the grant was revoked, e.g. by a password change (AADSTS50173)")]
    Revoked,
    #[error("multi-factor authentication is required (AADSTS50076)")]
    MfaRequired,
    /// `suberror: basic_action`: "Condition can be resolved by user interaction during the
    /// interactive authentication flow" (e.g. accepting terms of use), not only MFA.
    #[error("Microsoft asks for a step during the sign-in (suberror basic_action)")]
    ActionInSignIn,
    /// `suberror: additional_action`: "Condition can be resolved by additional remedial
    /// interaction with the system, outside of the interactive authentication flow".
    #[error("Microsoft asks for a step outside the sign-in (suberror additional_action)")]
    ActionOutsideSignIn,
    /// `suberror: message_only`: "Condition can't be resolved at this time. Launching
    /// interactive authentication flow will show a message explaining the condition."
    #[error("Microsoft does not allow the sign-in now (suberror message_only)")]
    SignInBlocked,
    /// AADSTS50055/50144 or `suberror: user_password_expired`.
    #[error("the user's password has expired (AADSTS50055, suberror user_password_expired)")]
    PasswordExpired,
    /// `suberror: bad_token` or `token_expired`: MSAL makes no further silent calls with this
    /// refresh token.
    #[error("the stored refresh token can no longer be used (suberror bad_token/token_expired)")]
    TokenUnusable,
    /// AADSTS50155 or `suberror: device_authentication_failed`: the device should be registered
    /// again.
    #[error(
        "the device's authentication failed (AADSTS50155, suberror device_authentication_failed)"
    )]
    DeviceAuthenticationFailed,
    /// `suberror: protection_policy_required`: an Intune app protection policy applies; MSAL
    /// reports it apart from "interaction required", since signing in again does not help.
    #[error("an Intune app protection policy is required (suberror protection_policy_required)")]
    ProtectionPolicyRequired,
    /// `suberror: client_mismatch`: the refresh token belongs to another client; MSAL does not
    /// treat it as "interaction required" either.
    #[error("the refresh token belongs to another client (suberror client_mismatch)")]
    ClientMismatch,
    /// `temporarily_unavailable` (and the retryable AADSTS codes): "Retry the request."
    #[error("the identity platform is temporarily unavailable {codes:?}")]
    TemporarilyUnavailable { codes: Vec<u32> },
    #[error("the app has no consent for the requested permissions (AADSTS65001)")]
    ConsentMissing,
    #[error("Conditional Access asks for a new sign-in (AADSTS70043)")]
    SignInFrequency,
    #[error("the client secret is wrong (AADSTS7000215)")]
    InvalidClientSecret,
    #[error("the client secret has expired (AADSTS7000222)")]
    ClientSecretExpired,
    #[error("the registration is a Web app and needs the client secret (AADSTS7000218)")]
    ClientSecretRequired,
    #[error("the registration is a public client and must not get a secret (AADSTS700025)")]
    PublicClientWithSecret,
    #[error("the authorization code was already used (AADSTS54005)")]
    CodeAlreadyRedeemed,
    #[error("the PKCE verifier does not match (AADSTS50148/501481)")]
    PkceMismatch,
    #[error("the user declined or cancelled the sign-in")]
    AccessDenied,
    #[error("a personal Microsoft account cannot create Teams meetings")]
    PersonalAccount,
    /// Also what the user gets when Microsoft's own page showed an error: see
    /// [`SHOWN_ONLY_ON_MICROSOFTS_PAGE`].
    #[error(
        "no answer from the browser in time; errors Microsoft shows only on its own sign-in page \
         (AADSTS50011, AADSTS50020, AADSTS90002, AADSTS700016, AADSTS9002331) never reach the app"
    )]
    Timeout,
    #[error("the sign-in was cancelled in the app")]
    Cancelled,
    #[error("the answer to the sign-in did not match its request")]
    StateMismatch,
    #[error("Microsoft 365 cannot be reached: {0}")]
    Network(String),
    /// The browser for the sign-in could not be started (`$BROWSER` or the system's default).
    #[error("the browser could not be opened: {0}")]
    Browser(String),
    /// The token endpoint's answer was larger than any it gives (a proxy's or a portal's page):
    /// not read to its end; like an unreadable answer it says nothing about the sign-in.
    #[error("the identity platform's answer is larger than {limit} bytes")]
    ResponseTooLarge { limit: usize },
    #[error("the mail configuration lacks the Azure fields")]
    NotConfigured,
    #[error("the identity platform answered {error} {codes:?}")]
    Other { error: String, codes: Vec<u32> },
}

impl SignInError {
    /// The stable code for the UI and the IPC error.
    pub fn code(&self) -> ErrorCode {
        match self {
            SignInError::ExpiredByInactivity => ErrorCode::SigninExpiredInactivity,
            SignInError::Revoked => ErrorCode::SigninRevoked,
            SignInError::MfaRequired => ErrorCode::SigninMfaRequired,
            SignInError::ActionInSignIn => ErrorCode::SigninActionRequired,
            SignInError::ActionOutsideSignIn => ErrorCode::SigninAdditionalAction,
            SignInError::SignInBlocked => ErrorCode::SigninMessageOnly,
            SignInError::PasswordExpired => ErrorCode::SigninPasswordExpired,
            SignInError::TokenUnusable => ErrorCode::SigninTokenUnusable,
            SignInError::DeviceAuthenticationFailed => ErrorCode::SigninDeviceAuthenticationFailed,
            SignInError::ProtectionPolicyRequired => ErrorCode::SigninProtectionPolicyRequired,
            SignInError::ClientMismatch => ErrorCode::SigninClientMismatch,
            SignInError::TemporarilyUnavailable { .. } => ErrorCode::SigninUnavailable,
            SignInError::ConsentMissing => ErrorCode::SigninConsentMissing,
            SignInError::SignInFrequency => ErrorCode::SigninFrequency,
            SignInError::InvalidClientSecret => ErrorCode::SigninInvalidClientSecret,
            SignInError::ClientSecretExpired => ErrorCode::SigninClientSecretExpired,
            SignInError::ClientSecretRequired => ErrorCode::SigninClientSecretRequired,
            SignInError::PublicClientWithSecret => ErrorCode::SigninPublicClientWithSecret,
            SignInError::CodeAlreadyRedeemed => ErrorCode::SigninCodeRedeemed,
            SignInError::PkceMismatch => ErrorCode::SigninPkceMismatch,
            SignInError::AccessDenied => ErrorCode::SigninAccessDenied,
            SignInError::PersonalAccount => ErrorCode::SigninPersonalAccount,
            SignInError::Timeout => ErrorCode::SigninTimeout,
            SignInError::Cancelled => ErrorCode::SigninCancelled,
            SignInError::StateMismatch => ErrorCode::SigninStateMismatch,
            SignInError::Network(_) => ErrorCode::SigninNetwork,
            SignInError::ResponseTooLarge { .. } => ErrorCode::SigninResponseTooLarge,
            SignInError::Browser(_) => ErrorCode::SigninBrowser,
            SignInError::NotConfigured => ErrorCode::SigninNotConfigured,
            SignInError::Other { .. } => ErrorCode::SigninFailed,
        }
    }

    /// Whether the stored sign-in is gone for good and the user must sign in again (B5). As in
    /// MSAL, every `invalid_grant` and `interaction_required` is, except the two suberrors MSAL
    /// keeps apart (`protection_policy_required`, `client_mismatch`).
    pub fn needs_interactive_sign_in(&self) -> bool {
        matches!(
            self,
            SignInError::ExpiredByInactivity
                | SignInError::Revoked
                | SignInError::MfaRequired
                | SignInError::ActionInSignIn
                | SignInError::ActionOutsideSignIn
                | SignInError::SignInBlocked
                | SignInError::PasswordExpired
                | SignInError::TokenUnusable
                | SignInError::DeviceAuthenticationFailed
                | SignInError::ConsentMissing
                | SignInError::SignInFrequency
        ) || matches!(self, SignInError::Other { error, .. }
            if error == "invalid_grant" || error == "interaction_required")
    }

    /// Whether the failure says nothing about the sign-in itself: the network, a busy identity
    /// platform, or an answer that could not be read (a gateway's error page). A still-valid
    /// access token can be used meanwhile, and the refresh is tried again later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SignInError::Network(_)
                | SignInError::TemporarilyUnavailable { .. }
                | SignInError::ResponseTooLarge { .. }
        ) || matches!(self, SignInError::Other { error, .. }
            if error == "malformed_token_response" || error == "unexpected_token_response")
    }

    /// Classifies a token-endpoint error body: the AADSTS codes first (they are the most
    /// specific), then the `suberror` as MSAL reads it, then `error` (§1.6 table).
    pub fn from_response(r: &AadErrorResponse) -> SignInError {
        Self::from_codes(r)
            .or_else(|| r.suberror.as_deref().and_then(Self::from_suberror))
            .unwrap_or_else(|| Self::from_error(r))
    }

    fn from_codes(r: &AadErrorResponse) -> Option<SignInError> {
        let has = |codes: &[u32]| codes.iter().any(|c| r.error_codes.contains(c));
        Some(if has(&[700082, 70008]) {
            SignInError::ExpiredByInactivity
        } else if has(&[50173]) {
            SignInError::Revoked
        } else if has(&[50076, 50079, 50078]) {
            SignInError::MfaRequired
        } else if has(&[65001]) {
            SignInError::ConsentMissing
        } else if has(&[70043]) {
            SignInError::SignInFrequency
        } else if has(&[50055, 50144]) {
            // InvalidPasswordExpiredPassword, InvalidPasswordExpiredOnPremPassword.
            SignInError::PasswordExpired
        } else if has(&[50155]) {
            SignInError::DeviceAuthenticationFailed
        } else if has(&[7000215, 70002]) {
            SignInError::InvalidClientSecret
        } else if has(&[7000222]) {
            SignInError::ClientSecretExpired
        } else if has(&[7000218]) {
            SignInError::ClientSecretRequired
        } else if has(&[700025]) {
            SignInError::PublicClientWithSecret
        } else if has(&[54005]) {
            SignInError::CodeAlreadyRedeemed
        } else if has(&[50148, 501481]) {
            // Both mean "the code_verifier doesn't match the code_challenge supplied in the
            // authorization request" on Microsoft's list.
            SignInError::PkceMismatch
        } else if has(&[50033, 50087, 90006, 90024, 90033, 90090]) {
            // RetryableError, SasRetryableError, ExternalServerRetryableError,
            // RequestBudgetExceededError, MsodsServiceUnavailable, GraphRetryableError.
            SignInError::TemporarilyUnavailable {
                codes: r.error_codes.clone(),
            }
        } else {
            return None;
        })
    }

    /// `suberror` as MSAL classifies it (`InvalidGrantClassification`); an unknown one falls
    /// through to `error`, as MSAL lets new suberrors "bubble through".
    fn from_suberror(suberror: &str) -> Option<SignInError> {
        Some(match suberror {
            "basic_action" => SignInError::ActionInSignIn,
            "additional_action" => SignInError::ActionOutsideSignIn,
            "message_only" => SignInError::SignInBlocked,
            "consent_required" => SignInError::ConsentMissing,
            "user_password_expired" => SignInError::PasswordExpired,
            "bad_token" | "token_expired" => SignInError::TokenUnusable,
            "device_authentication_failed" => SignInError::DeviceAuthenticationFailed,
            "protection_policy_required" => SignInError::ProtectionPolicyRequired,
            "client_mismatch" => SignInError::ClientMismatch,
            _ => return None,
        })
    }

    fn from_error(r: &AadErrorResponse) -> SignInError {
        match r.error.as_str() {
            "access_denied" => SignInError::AccessDenied,
            // "The server is temporarily too busy to handle the request. Retry the request."
            "temporarily_unavailable" | "server_error" => SignInError::TemporarilyUnavailable {
                codes: r.error_codes.clone(),
            },
            _ => SignInError::Other {
                error: r.error.clone(),
                codes: r.error_codes.clone(),
            },
        }
    }
}

/// Errors Microsoft's sign-in page shows itself instead of redirecting to the app: the request
/// names a redirect URI, an application or a tenant it does not know (AADSTS50011 InvalidReplyTo,
/// 700016 application not found in the directory, 90002 tenant not found), an account the tenant
/// does not have (50020), or a registration for personal Microsoft accounts only (9002331:
/// "Application ... is configured for use by Microsoft Account users only. Please use the
/// /consumers endpoint", the counterpart of 9002332 on Microsoft's list; quoted from the STS in
/// Azure/azure-sdk-for-js sdk/identity/identity/TROUBLESHOOTING.md). The loopback listener never
/// hears of them, so the user sees only the wait run out: the timeout's explanation
/// (`error.signin_timeout` in the UI, `SignInError::Timeout`) names each with what to do.
pub const SHOWN_ONLY_ON_MICROSOFTS_PAGE: [u32; 5] = [50011, 50020, 90002, 700016, 9002331];

#[cfg(test)]
mod tests {
    use super::*;

    fn response(error: &str, code: u32, suberror: Option<&str>) -> AadErrorResponse {
        AadErrorResponse {
            error: error.into(),
            error_codes: vec![code],
            suberror: suberror.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn each_code_has_its_meaning() {
        let cases = [
            (
                response("invalid_grant", 700082, None),
                SignInError::ExpiredByInactivity,
                true,
            ),
            (
                response("invalid_grant", 50173, None),
                SignInError::Revoked,
                true,
            ),
            (
                response("invalid_grant", 50076, Some("basic_action")),
                SignInError::MfaRequired,
                true,
            ),
            (
                response("invalid_grant", 65001, Some("consent_required")),
                SignInError::ConsentMissing,
                true,
            ),
            (
                response("invalid_grant", 70043, None),
                SignInError::SignInFrequency,
                true,
            ),
            (
                response("invalid_client", 7000215, None),
                SignInError::InvalidClientSecret,
                false,
            ),
            (
                response("invalid_client", 7000222, None),
                SignInError::ClientSecretExpired,
                false,
            ),
            (
                response("invalid_client", 7000218, None),
                SignInError::ClientSecretRequired,
                false,
            ),
            (
                response("invalid_client", 700025, None),
                SignInError::PublicClientWithSecret,
                false,
            ),
            (
                response("invalid_grant", 54005, None),
                SignInError::CodeAlreadyRedeemed,
                false,
            ),
            (
                response("invalid_grant", 501481, None),
                SignInError::PkceMismatch,
                false,
            ),
        ];
        for (r, expected, interactive) in cases {
            let e = SignInError::from_response(&r);
            assert_eq!(e, expected);
            assert_eq!(e.needs_interactive_sign_in(), interactive, "{e:?}");
        }
        // An unknown invalid_grant still means: sign in again.
        assert!(
            SignInError::from_response(&response("invalid_grant", 1, None))
                .needs_interactive_sign_in()
        );
    }

    #[test]
    fn aadsts50148_is_a_pkce_mismatch_like_501481() {
        for code in [50148, 501481] {
            let e = SignInError::from_response(&response("invalid_grant", code, None));
            assert_eq!(e, SignInError::PkceMismatch, "AADSTS{code}");
            assert_eq!(e.code(), "signin_pkce_mismatch");
        }
    }

    /// Each suberror as MSAL classifies it, behind an AADSTS code that says nothing more
    /// specific (MSAL reads the suberror, not the code).
    #[test]
    fn suberrors_are_read_as_msal_reads_them() {
        let cases = [
            ("basic_action", SignInError::ActionInSignIn, true),
            ("additional_action", SignInError::ActionOutsideSignIn, true),
            ("message_only", SignInError::SignInBlocked, true),
            ("consent_required", SignInError::ConsentMissing, true),
            ("user_password_expired", SignInError::PasswordExpired, true),
            ("bad_token", SignInError::TokenUnusable, true),
            ("token_expired", SignInError::TokenUnusable, true),
            (
                "device_authentication_failed",
                SignInError::DeviceAuthenticationFailed,
                true,
            ),
            (
                "protection_policy_required",
                SignInError::ProtectionPolicyRequired,
                false,
            ),
            ("client_mismatch", SignInError::ClientMismatch, false),
        ];
        for (suberror, expected, interactive) in cases {
            let e = SignInError::from_response(&response("invalid_grant", 50000, Some(suberror)));
            assert_eq!(e, expected, "{suberror}");
            assert_eq!(e.needs_interactive_sign_in(), interactive, "{suberror}");
            assert!(!e.is_transient(), "{suberror}");
        }
        // Only AADSTS50076 and its kin mean MFA; a basic_action is not "MFA" by itself.
        assert_ne!(
            SignInError::from_response(&response("invalid_grant", 50000, Some("basic_action"))),
            SignInError::MfaRequired
        );
        assert_eq!(
            SignInError::from_response(&response("invalid_grant", 50076, Some("basic_action"))),
            SignInError::MfaRequired
        );
        // An unknown suberror bubbles through, and an invalid_grant still needs a sign-in.
        let unknown =
            SignInError::from_response(&response("invalid_grant", 50000, Some("new_kind")));
        assert!(matches!(unknown, SignInError::Other { .. }));
        assert!(unknown.needs_interactive_sign_in());
    }

    #[test]
    fn a_busy_identity_platform_is_transient_and_keeps_the_sign_in() {
        for r in [
            response("temporarily_unavailable", 50002, None),
            response("server_error", 1, None),
            response("invalid_request", 90024, None),
        ] {
            let e = SignInError::from_response(&r);
            assert!(e.is_transient(), "{e:?}");
            assert!(!e.needs_interactive_sign_in(), "{e:?}");
            assert_eq!(e.code(), "signin_unavailable");
        }
        assert!(SignInError::Network("refused".into()).is_transient());
        assert!(
            !SignInError::from_response(&response("invalid_grant", 700082, None)).is_transient()
        );
    }

    /// The UI's dictionaries, where each code is explained to the user.
    const DICTIONARIES: [(&str, &str); 2] = [
        ("de", include_str!("../../../ui/src/i18n/de.ts")),
        ("en", include_str!("../../../ui/src/i18n/en.ts")),
    ];

    fn text_of<'a>(dictionary: &'a str, key: &str) -> Option<&'a str> {
        let start = dictionary.find(&format!("\"{key}\": \""))? + key.len() + 6;
        let rest = &dictionary[start..];
        Some(&rest[..rest.find("\",\n")?])
    }

    #[test]
    fn the_timeout_names_every_error_microsoft_shows_only_in_the_browser() {
        let shown = SignInError::Timeout.to_string();
        for code in SHOWN_ONLY_ON_MICROSOFTS_PAGE {
            assert!(
                shown.contains(&format!("AADSTS{code}")),
                "{code} in {shown}"
            );
        }
        for (language, dictionary) in DICTIONARIES {
            let text = text_of(dictionary, "error.signin_timeout").expect("a timeout text");
            for code in SHOWN_ONLY_ON_MICROSOFTS_PAGE {
                assert!(
                    text.contains(&format!("AADSTS{code}")),
                    "{language}: AADSTS{code} missing in {text}"
                );
            }
            // What to do for a redirect URI mismatch: the URI to register.
            assert!(text.contains("http://127.0.0.1"), "{language}: {text}");
        }
    }

    #[test]
    fn every_sign_in_error_is_explained_in_both_languages() {
        let all = [
            SignInError::ExpiredByInactivity,
            SignInError::Revoked,
            SignInError::MfaRequired,
            SignInError::ActionInSignIn,
            SignInError::ActionOutsideSignIn,
            SignInError::SignInBlocked,
            SignInError::PasswordExpired,
            SignInError::TokenUnusable,
            SignInError::DeviceAuthenticationFailed,
            SignInError::ProtectionPolicyRequired,
            SignInError::ClientMismatch,
            SignInError::TemporarilyUnavailable { codes: vec![] },
            SignInError::ConsentMissing,
            SignInError::SignInFrequency,
            SignInError::InvalidClientSecret,
            SignInError::ClientSecretExpired,
            SignInError::ClientSecretRequired,
            SignInError::PublicClientWithSecret,
            SignInError::CodeAlreadyRedeemed,
            SignInError::PkceMismatch,
            SignInError::AccessDenied,
            SignInError::PersonalAccount,
            SignInError::Timeout,
            SignInError::Cancelled,
            SignInError::StateMismatch,
            SignInError::Network(String::new()),
            SignInError::ResponseTooLarge { limit: 0 },
            SignInError::Browser(String::new()),
            SignInError::NotConfigured,
            SignInError::Other {
                error: String::new(),
                codes: vec![],
            },
        ];
        for (language, dictionary) in DICTIONARIES {
            for e in &all {
                assert!(
                    text_of(dictionary, &format!("error.{}", e.code())).is_some(),
                    "{language}: no text for {}",
                    e.code()
                );
            }
        }
    }
}
