//! Who issued a sign-in's tokens: the mail configuration, the tenant's authority, the Graph host,
//! the client ID and the tenant. Tokens and the client secret go only to the registration that
//! issued them: a configuration pointed at another cloud, URL, app or tenant, or an employee moved
//! to another configuration, ends the sign-in instead of sending its tokens to the new place.

use super::cloud::Endpoints;

/// The stable code of a sign-in ended because its registration changed, as stored.
pub const ISSUER_CHANGED: &str = crate::crm::ErrorCode::SigninIssuerChanged.as_str();

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// The mail configuration the sign-in was made under.
    pub mail_configuration_id: i64,
    /// The tenant's authority, e.g. `https://login.microsoftonline.com/contoso.onmicrosoft.com`.
    pub authority: String,
    /// Where its access tokens are sent, e.g. `https://graph.microsoft.com/`.
    pub graph: String,
    pub client_id: String,
    pub tenant: String,
}

impl Issuer {
    pub fn new(
        mail_configuration_id: i64,
        endpoints: &Endpoints,
        client_id: &str,
        tenant: &str,
    ) -> Issuer {
        Issuer {
            mail_configuration_id,
            authority: endpoints.tenant_authority(tenant).to_string(),
            graph: endpoints.graph.to_string(),
            client_id: client_id.to_string(),
            tenant: tenant.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::mail_configuration::Cloud;

    #[test]
    fn every_part_of_the_registration_counts() {
        let sim = Endpoints::of(
            Cloud::Custom,
            Some("http://127.0.0.1:8910"),
            Some("http://127.0.0.1:8910"),
        )
        .unwrap();
        let issuer = Issuer::new(1, &sim, "c", "contoso.onmicrosoft.com");
        assert_eq!(
            issuer.authority,
            "http://127.0.0.1:8910/contoso.onmicrosoft.com"
        );
        let other_port = Endpoints::of(
            Cloud::Custom,
            Some("http://127.0.0.1:8910"),
            Some("http://127.0.0.1:8911"),
        )
        .unwrap();
        let global = Endpoints::of(Cloud::Global, None, None).unwrap();
        for other in [
            Issuer::new(2, &sim, "c", "contoso.onmicrosoft.com"),
            Issuer::new(1, &other_port, "c", "contoso.onmicrosoft.com"),
            Issuer::new(1, &global, "c", "contoso.onmicrosoft.com"),
            Issuer::new(1, &sim, "d", "contoso.onmicrosoft.com"),
            Issuer::new(1, &sim, "c", "fabrikam.onmicrosoft.com"),
        ] {
            assert_ne!(issuer, other);
        }
        assert_eq!(issuer, Issuer::new(1, &sim, "c", "contoso.onmicrosoft.com"));
    }
}
