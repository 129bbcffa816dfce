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
    ///
    /// Identity hosts: Entra's "National clouds" page (docs/identity-platform/
    /// authentication-national-cloud.md in MicrosoftDocs/entra-docs); Graph hosts: Graph's
    /// "National cloud deployments" (concepts/deployments.md in microsoft-graph-docs-contrib),
    /// which also says that GCC keeps the worldwide endpoints, GCC High uses graph.microsoft.us and
    /// DoD dod-graph.microsoft.us. For China, Graph's page still names login.chinacloudapi.cn;
    /// Entra's page (the identity platform's own) and the 21Vianet endpoint list name
    /// login.partner.microsoftonline.cn, which is the one used here.
    pub fn of(
        cloud: Cloud,
        custom_authority: Option<&str>,
        custom_graph: Option<&str>,
    ) -> Option<Endpoints> {
        let (authority, graph) = match cloud {
            Cloud::Global | Cloud::UsGovGcc => (
                url("https://login.microsoftonline.com")?,
                url("https://graph.microsoft.com")?,
            ),
            Cloud::UsGovGccHigh => (
                url("https://login.microsoftonline.us")?,
                url("https://graph.microsoft.us")?,
            ),
            Cloud::UsGovDod => (
                url("https://login.microsoftonline.us")?,
                url("https://dod-graph.microsoft.us")?,
            ),
            Cloud::China => (
                url("https://login.partner.microsoftonline.cn")?,
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

    /// The authority of one tenant, which issues its tokens, e.g.
    /// `https://login.microsoftonline.com/contoso.onmicrosoft.com`.
    pub fn tenant_authority(&self, tenant: &str) -> Url {
        Self::join(&self.authority, tenant)
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

/// Where a cloud's Teams lives: the host of its deep links (chat, call, the Teams home) and the
/// hosts a meeting's join URL may have.
///
/// The hosts are those Microsoft 365's endpoint lists give for Teams in each cloud
/// (learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges: teams.microsoft.com
/// worldwide, which GCC uses; .../microsoft-365-u-s-government-gcc-high-endpoints:
/// gov.teams.microsoft.us; .../microsoft-365-u-s-government-dod-endpoints: dod.teams.microsoft.us;
/// .../urls-and-ip-address-ranges-21vianet: *.teams.microsoftonline.cn, the domain of Teams
/// operated by 21Vianet, whose web client is teams.microsoftonline.cn). Worldwide Teams is also
/// moving to teams.cloud.microsoft (msteams-platform/m365-apps/domain-migration.md), so a join
/// URL there is the same cloud's.
/// The custom cloud is the simulator, which plays the worldwide service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamsHosts {
    /// The host deep links are built on.
    pub links: &'static str,
    /// Every host a join URL of this cloud may have (`links` first).
    pub join: &'static [&'static str],
}

impl TeamsHosts {
    pub fn of(cloud: Cloud) -> TeamsHosts {
        match cloud {
            Cloud::Global | Cloud::UsGovGcc | Cloud::Custom => TeamsHosts {
                links: "teams.microsoft.com",
                join: &["teams.microsoft.com", "teams.cloud.microsoft"],
            },
            Cloud::UsGovGccHigh => TeamsHosts {
                links: "gov.teams.microsoft.us",
                join: &["gov.teams.microsoft.us"],
            },
            Cloud::UsGovDod => TeamsHosts {
                links: "dod.teams.microsoft.us",
                join: &["dod.teams.microsoft.us"],
            },
            Cloud::China => TeamsHosts {
                links: "teams.microsoftonline.cn",
                join: &["teams.microsoftonline.cn"],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(cloud: Cloud) -> (String, String, &'static str) {
        let e = Endpoints::of(cloud, None, None).unwrap();
        (
            e.authority.host_str().unwrap().to_string(),
            e.graph.host_str().unwrap().to_string(),
            TeamsHosts::of(cloud).links,
        )
    }

    #[test]
    fn each_cloud_has_the_hosts_microsoft_lists() {
        let g = Endpoints::of(Cloud::Global, None, None).unwrap();
        assert_eq!(
            g.authorize_url("contoso.onmicrosoft.com").as_str(),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
        );
        assert_eq!(
            g.graph_url("me").as_str(),
            "https://graph.microsoft.com/v1.0/me"
        );
        let high = Endpoints::of(Cloud::UsGovGccHigh, None, None).unwrap();
        assert_eq!(
            high.token_url("t").as_str(),
            "https://login.microsoftonline.us/t/oauth2/v2.0/token"
        );
        let table = [
            (
                Cloud::Global,
                "login.microsoftonline.com",
                "graph.microsoft.com",
                "teams.microsoft.com",
            ),
            // GCC: "continue using the worldwide endpoints" (Graph's deployments page).
            (
                Cloud::UsGovGcc,
                "login.microsoftonline.com",
                "graph.microsoft.com",
                "teams.microsoft.com",
            ),
            (
                Cloud::UsGovGccHigh,
                "login.microsoftonline.us",
                "graph.microsoft.us",
                "gov.teams.microsoft.us",
            ),
            (
                Cloud::UsGovDod,
                "login.microsoftonline.us",
                "dod-graph.microsoft.us",
                "dod.teams.microsoft.us",
            ),
            (
                Cloud::China,
                "login.partner.microsoftonline.cn",
                "microsoftgraph.chinacloudapi.cn",
                "teams.microsoftonline.cn",
            ),
        ];
        for (cloud, identity, graph, teams) in table {
            assert_eq!(
                hosts(cloud),
                (identity.into(), graph.into(), teams),
                "{cloud:?}"
            );
            assert_eq!(TeamsHosts::of(cloud).join[0], teams, "{cloud:?}");
        }
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
