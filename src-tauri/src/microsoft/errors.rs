//! What each identity-platform failure means and what the user or the admin should do (B5, §1.6).

use serde::{Deserialize, Serialize};

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
    #[error("the PKCE verifier does not match (AADSTS501481)")]
    PkceMismatch,
    #[error("the user declined or cancelled the sign-in")]
    AccessDenied,
    #[error("a personal Microsoft account cannot create Teams meetings")]
    PersonalAccount,
    #[error("no answer from the browser in time")]
    Timeout,
    #[error("the sign-in was cancelled in the app")]
    Cancelled,
    #[error("the answer to the sign-in did not match its request")]
    StateMismatch,
    #[error("Microsoft 365 cannot be reached: {0}")]
    Network(String),
    #[error("the mail configuration lacks the Azure fields")]
    NotConfigured,
    #[error("the identity platform answered {error} {codes:?}")]
    Other { error: String, codes: Vec<u32> },
}

impl SignInError {
    /// The stable code for the UI and the IPC error.
    pub fn code(&self) -> &'static str {
        match self {
            SignInError::ExpiredByInactivity => "signin_expired_inactivity",
            SignInError::Revoked => "signin_revoked",
            SignInError::MfaRequired => "signin_mfa_required",
            SignInError::ConsentMissing => "signin_consent_missing",
            SignInError::SignInFrequency => "signin_frequency",
            SignInError::InvalidClientSecret => "signin_invalid_client_secret",
            SignInError::ClientSecretExpired => "signin_client_secret_expired",
            SignInError::ClientSecretRequired => "signin_client_secret_required",
            SignInError::PublicClientWithSecret => "signin_public_client_with_secret",
            SignInError::CodeAlreadyRedeemed => "signin_code_redeemed",
            SignInError::PkceMismatch => "signin_pkce_mismatch",
            SignInError::AccessDenied => "signin_access_denied",
            SignInError::PersonalAccount => "signin_personal_account",
            SignInError::Timeout => "signin_timeout",
            SignInError::Cancelled => "signin_cancelled",
            SignInError::StateMismatch => "signin_state_mismatch",
            SignInError::Network(_) => "signin_network",
            SignInError::NotConfigured => "signin_not_configured",
            SignInError::Other { .. } => "signin_failed",
        }
    }

    /// Whether the stored sign-in is gone for good and the user must sign in again (B5).
    pub fn needs_interactive_sign_in(&self) -> bool {
        matches!(
            self,
            SignInError::ExpiredByInactivity
                | SignInError::Revoked
                | SignInError::MfaRequired
                | SignInError::ConsentMissing
                | SignInError::SignInFrequency
        ) || matches!(self, SignInError::Other { error, .. }
            if error == "invalid_grant" || error == "interaction_required")
    }

    /// Classifies a token-endpoint error body by its codes (§1.6 table).
    pub fn from_response(r: &AadErrorResponse) -> SignInError {
        let has = |c: u32| r.error_codes.contains(&c);
        if has(700082) || has(70008) {
            SignInError::ExpiredByInactivity
        } else if has(50173) {
            SignInError::Revoked
        } else if has(50076)
            || has(50079)
            || has(50078)
            || r.suberror.as_deref() == Some("basic_action")
        {
            SignInError::MfaRequired
        } else if has(65001) || r.suberror.as_deref() == Some("consent_required") {
            SignInError::ConsentMissing
        } else if has(70043) {
            SignInError::SignInFrequency
        } else if has(7000215) || has(70002) {
            SignInError::InvalidClientSecret
        } else if has(7000222) {
            SignInError::ClientSecretExpired
        } else if has(7000218) {
            SignInError::ClientSecretRequired
        } else if has(700025) {
            SignInError::PublicClientWithSecret
        } else if has(54005) {
            SignInError::CodeAlreadyRedeemed
        } else if has(501481) {
            SignInError::PkceMismatch
        } else if r.error == "access_denied" {
            SignInError::AccessDenied
        } else {
            SignInError::Other {
                error: r.error.clone(),
                codes: r.error_codes.clone(),
            }
        }
    }
}

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
}
