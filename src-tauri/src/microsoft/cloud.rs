//! Where each cloud's identity platform and Graph live (A1). No Microsoft host name is written
//! anywhere else: everything asks `Endpoints`.

use url::Url;

use crate::crm::mail_configuration::{Cloud, MailConfiguration};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// e.g. `https://login.microsoftonline.com`
    pub authority: Url,
    /// e.g. `https://graph.microsoft.com`
    pub graph: Url,
}

fn url(s: &str) -> Option<Url> {
    Url::parse(s).ok()
}

impl Endpoints {
    /// The endpoints of `cloud`; for the custom cloud, the configured URLs.
    pub fn of(
        cloud: Cloud,
        custom_authority: Option<&str>,
        custom_graph: Option<&str>,
    ) -> Option<Endpoints> {
        let (authority, graph) = match cloud {
            Cloud::Global => (
                url("https://login.microsoftonline.com")?,
                url("https://graph.microsoft.com")?,
            ),
            Cloud::UsGovernment => (
                url("https://login.microsoftonline.us")?,
                url("https://graph.microsoft.us")?,
            ),
            Cloud::China => (
                url("https://login.chinacloudapi.cn")?,
                url("https://microsoftgraph.chinacloudapi.cn")?,
            ),
            Cloud::Custom => (url(custom_authority?)?, url(custom_graph?)?),
        };
        Some(Endpoints { authority, graph })
    }

    pub fn for_configuration(mc: &MailConfiguration) -> Option<Endpoints> {
        Self::of(
            mc.cloud,
            mc.custom_authority_url.as_deref(),
            mc.custom_graph_url.as_deref(),
        )
    }

    fn join(base: &Url, path: &str) -> Url {
        let mut u = base.clone();
        let prefix = u.path().trim_end_matches('/').to_string();
        u.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
        u
    }

    pub fn authorize_url(&self, tenant: &str) -> Url {
        Self::join(&self.authority, &format!("{tenant}/oauth2/v2.0/authorize"))
    }

    pub fn token_url(&self, tenant: &str) -> Url {
        Self::join(&self.authority, &format!("{tenant}/oauth2/v2.0/token"))
    }

    /// A Graph v1.0 resource, e.g. `graph_url("me")`.
    pub fn graph_url(&self, path: &str) -> Url {
        Self::join(&self.graph, &format!("v1.0/{path}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cloud_has_its_hosts() {
        let g = Endpoints::of(Cloud::Global, None, None).unwrap();
        assert_eq!(
            g.authorize_url("contoso.onmicrosoft.com").as_str(),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
        );
        assert_eq!(
            g.graph_url("me").as_str(),
            "https://graph.microsoft.com/v1.0/me"
        );
        let us = Endpoints::of(Cloud::UsGovernment, None, None).unwrap();
        assert_eq!(
            us.token_url("t").as_str(),
            "https://login.microsoftonline.us/t/oauth2/v2.0/token"
        );
        assert_eq!(us.graph_url("me").host_str(), Some("graph.microsoft.us"));
        let cn = Endpoints::of(Cloud::China, None, None).unwrap();
        assert_eq!(cn.authority.host_str(), Some("login.chinacloudapi.cn"));
        assert_eq!(cn.graph.host_str(), Some("microsoftgraph.chinacloudapi.cn"));
    }

    #[test]
    fn the_custom_cloud_keeps_a_base_path() {
        let c = Endpoints::of(
            Cloud::Custom,
            Some("http://127.0.0.1:8910/id"),
            Some("http://127.0.0.1:8910"),
        )
        .unwrap();
        assert_eq!(
            c.token_url("t").as_str(),
            "http://127.0.0.1:8910/id/t/oauth2/v2.0/token"
        );
        assert_eq!(c.graph_url("me").as_str(), "http://127.0.0.1:8910/v1.0/me");
        assert!(Endpoints::of(Cloud::Custom, None, Some("http://x")).is_none());
    }
}
