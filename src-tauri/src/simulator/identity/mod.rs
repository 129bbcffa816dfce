//! `/authorize` and `/token` of the identity platform v2 (§1, §2, fidelity checklist 1-6), one
//! file per step of the sign-in:
//! - `authorize`: the authorization request, checked before any page shows;
//! - `consent`: the sign-in and consent page, and the user's choice on it;
//! - `token`: the token endpoint, its client authentication and the code redemption;
//! - `refresh`: the refresh token grant, where a revoked or restricted sign-in ends;
//! - `issue`: the token response both grants end in.

use std::collections::HashMap;

use super::model::Tenant;

mod authorize;
mod consent;
mod issue;
mod refresh;
mod token;

pub use authorize::authorize;
pub use consent::decide;
pub use token::token;

type Params = HashMap<String, String>;

pub(super) fn random_token(prefix: &str) -> String {
    format!(
        "{prefix}.{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The tenant a path segment names: its GUID or domain, or (for `organizations`/`common`) the
/// tenant that registered `client_id`.
pub(super) fn find_tenant<'a>(
    tenants: &'a [Tenant],
    segment: &str,
    client_id: &str,
) -> Option<&'a Tenant> {
    let s = segment.to_ascii_lowercase();
    if s == "organizations" || s == "common" {
        return tenants
            .iter()
            .find(|t| t.apps.iter().any(|a| a.client_id == client_id));
    }
    tenants
        .iter()
        .find(|t| t.id == s || t.domain.eq_ignore_ascii_case(&s))
}

/// Whether a `claims` request parameter declares the client capability `cp1`, which makes the
/// client's tokens CAE tokens: `{"access_token":{"xms_cc":{"values":["cp1"]}}}`, values compared
/// without case ("Claims challenges, claims requests and client capabilities",
/// claims-challenge.md). A parameter that is no such JSON declares nothing.
pub(super) fn declares_cp1(claims: Option<&String>) -> bool {
    let Some(claims) = claims else { return false };
    serde_json::from_str::<serde_json::Value>(claims)
        .ok()
        .and_then(|c| c["access_token"]["xms_cc"]["values"].as_array().cloned())
        .is_some_and(|values| {
            values
                .iter()
                .any(|v| v.as_str().is_some_and(|v| v.eq_ignore_ascii_case("cp1")))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_cp1_capability_makes_a_client_cae_capable() {
        let declares = |s: &str| declares_cp1(Some(&s.to_string()));
        assert!(declares(
            r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#
        ));
        assert!(declares(
            r#"{"access_token":{"xms_cc":{"values":["foo","CP1"]}}}"#
        ));
        assert!(!declares(
            r#"{"access_token":{"xms_cc":{"values":["foo"]}}}"#
        ));
        assert!(!declares(
            r#"{"access_token":{"acrs":{"essential":true,"value":"cp1"}}}"#
        ));
        assert!(!declares("cp1"));
        assert!(!declares_cp1(None));
    }
}
