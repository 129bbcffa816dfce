//! Mail configurations (A1): the Azure registration and cloud a user signs in with.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use super::validation::UrlPolicy;
use super::validation::{base_url_problem, is_domain_name, is_guid, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Groupware {
    #[serde(rename = "EWS")]
    Ews,
    #[serde(rename = "MSGRAPH")]
    MsGraph,
}

impl Groupware {
    pub fn as_str(self) -> &'static str {
        match self {
            Groupware::Ews => "EWS",
            Groupware::MsGraph => "MSGRAPH",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "EWS" => Some(Groupware::Ews),
            "MSGRAPH" => Some(Groupware::MsGraph),
            _ => None,
        }
    }
}

/// The clouds Microsoft 365 runs in, as Microsoft lists them (identity platform: "National
/// clouds", learn.microsoft.com/entra/identity-platform/authentication-national-cloud; Graph:
/// "National cloud deployments", learn.microsoft.com/graph/deployments), and a custom pair of
/// URLs (the simulator, G2). Where each lives is `crm::cloud`'s job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// Microsoft 365 worldwide (commercial).
    Global,
    /// US Government Community Cloud: a US government tenant on the worldwide endpoints.
    UsGovGcc,
    /// US Government GCC High (Microsoft Graph for US Government L4).
    UsGovGccHigh,
    /// US Department of Defense (Microsoft Graph for US Government L5).
    UsGovDod,
    /// Microsoft 365 operated by 21Vianet in China.
    China,
    Custom,
}

impl Cloud {
    /// Every cloud, in the order the settings offer them.
    pub const ALL: [Cloud; 6] = [
        Cloud::Global,
        Cloud::UsGovGcc,
        Cloud::UsGovGccHigh,
        Cloud::UsGovDod,
        Cloud::China,
        Cloud::Custom,
    ];

    /// The stored name (the same as the IPC name).
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGovGcc => "us_gov_gcc",
            Cloud::UsGovGccHigh => "us_gov_gcc_high",
            Cloud::UsGovDod => "us_gov_dod",
            Cloud::China => "china",
            Cloud::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Cloud::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What happens to the stored client secret when a configuration is saved (A4: the secret is
/// write-only; the UI never sees it, it can only keep, replace or clear it). `Debug` hides the
/// secret, and so it is hidden in every type that carries this one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SecretChange {
    Keep,
    Replace { value: String },
    Clear,
}

impl std::fmt::Debug for SecretChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretChange::Keep => f.write_str("Keep"),
            SecretChange::Replace { .. } => f
                .debug_struct("Replace")
                .field("value", &"<redacted>")
                .finish(),
            SecretChange::Clear => f.write_str("Clear"),
        }
    }
}

/// The form of a mail configuration as the settings pane sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailConfigurationInput {
    pub name: String,
    pub groupware: Groupware,
    pub client_id: String,
    pub tenant_id: String,
    pub cloud: Cloud,
    pub custom_authority_url: String,
    pub custom_graph_url: String,
    pub client_secret: SecretChange,
}

/// A mail configuration as the UI sees it: everything but the secret, of which only its presence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailConfiguration {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub groupware: Groupware,
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    pub cloud: Cloud,
    pub custom_authority_url: Option<String>,
    pub custom_graph_url: Option<String>,
    /// Set: a Web registration with a secret; not set: a public client with PKCE only.
    pub has_client_secret: bool,
    #[ts(type = "number")]
    pub employee_count: i64,
    /// A secret is stored but can no longer be read (the keyring's key is missing or another
    /// one): it must be entered again.
    pub client_secret_unreadable: bool,
}

/// What a save did beyond storing the fields. Tokens and the client secret belong to the
/// registration that issued them: a change of cloud, custom URL, client ID or tenant drops the
/// stored secret (unless a new one comes with the same save) and ends every sign-in made under
/// the old registration, so that none of them is ever sent to the new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegistrationChange {
    /// The cloud, a custom URL, the client ID or the tenant changed.
    pub registration_changed: bool,
    /// The stored client secret was removed: the new registration needs its own.
    pub secret_dropped: bool,
    /// How many sign-ins were ended (the configuration's own and its employees').
    pub sign_ins_expired: u32,
}

/// The answer to saving a mail configuration: the configuration as stored and what the save did
/// to its secret and sign-ins, which the settings pane tells the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedMailConfiguration {
    #[serde(flatten)]
    pub configuration: MailConfiguration,
    pub change: RegistrationChange,
}

impl MailConfiguration {
    /// Whether the Azure fields are filled in, so that Microsoft Graph (and Teams) can be used.
    pub fn has_azure_fields(&self) -> bool {
        self.client_id.is_some() && self.tenant_id.is_some()
    }

    /// Whether `v` names another registration than this: another cloud, custom URL, client ID
    /// or tenant, whose tokens and secret this one's must never reach.
    pub fn registration_differs(&self, v: &ValidMailConfiguration) -> bool {
        (
            self.cloud,
            &self.custom_authority_url,
            &self.custom_graph_url,
            &self.client_id,
            &self.tenant_id,
        ) != (
            v.cloud,
            &v.custom_authority_url,
            &v.custom_graph_url,
            &v.client_id,
            &v.tenant_id,
        )
    }
}

/// A checked, trimmed mail configuration, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMailConfiguration {
    pub name: String,
    pub groupware: Groupware,
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    pub cloud: Cloud,
    pub custom_authority_url: Option<String>,
    pub custom_graph_url: Option<String>,
    pub client_secret: SecretChange,
}

const MAX_NAME: usize = 100;
const MAX_SECRET: usize = 1024;

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Checks every field of `input` and returns all errors at once; the custom cloud's URLs must be
/// https.
pub fn validate(input: &MailConfigurationInput) -> Result<ValidMailConfiguration, FieldErrors> {
    validate_with(input, UrlPolicy::HttpsOnly)
}

/// `validate`, with plain http on the loopback interface allowed where `urls` says so (the demo
/// workspace's simulator, a developer's switch, tests against the simulator).
pub fn validate_with(
    input: &MailConfigurationInput,
    urls: UrlPolicy,
) -> Result<ValidMailConfiguration, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = input.name.trim();
    if name.is_empty() {
        errors.add("name", "required");
    } else if name.chars().count() > MAX_NAME {
        errors.add("name", "too_long");
    }

    let client_id = non_empty(&input.client_id).map(|s| s.to_lowercase());
    let tenant_id = non_empty(&input.tenant_id).map(|s| s.to_lowercase());
    match &client_id {
        Some(id) if !is_guid(id) => errors.add("client_id", "invalid_guid"),
        None if tenant_id.is_some() => errors.add("client_id", "required"),
        _ => {}
    }
    match &tenant_id {
        Some(t) if !is_guid(t) && !is_domain_name(t) => errors.add("tenant_id", "invalid_tenant"),
        None if client_id.is_some() => errors.add("tenant_id", "required"),
        _ => {}
    }

    let (mut authority, mut graph) = (None, None);
    if input.cloud == Cloud::Custom {
        for (field, value, slot) in [
            (
                "custom_authority_url",
                &input.custom_authority_url,
                &mut authority,
            ),
            ("custom_graph_url", &input.custom_graph_url, &mut graph),
        ] {
            match non_empty(value) {
                None => errors.add(field, "required"),
                Some(url) => match base_url_problem(&url, urls) {
                    Some(code) => errors.add(field, code),
                    None => *slot = Some(url.trim_end_matches('/').to_string()),
                },
            }
        }
    }

    let client_secret = match &input.client_secret {
        SecretChange::Replace { value } => {
            let v = value.trim();
            if v.is_empty() {
                errors.add("client_secret", "required");
            } else if v.len() > MAX_SECRET || v.chars().any(char::is_control) {
                errors.add("client_secret", "invalid_secret");
            }
            SecretChange::Replace { value: v.into() }
        }
        other => other.clone(),
    };

    errors.into_result(ValidMailConfiguration {
        name: name.to_string(),
        groupware: input.groupware,
        client_id,
        tenant_id,
        cloud: input.cloud,
        custom_authority_url: authority,
        custom_graph_url: graph,
        client_secret,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every type that carries a client secret prints without it (a `{:?}` in a log line or an
    /// error must not leak it).
    #[test]
    fn no_type_that_carries_a_client_secret_prints_it() {
        const SECRET: &str = "Qx8~debug-secret-Value";
        let mut i = input();
        i.client_secret = SecretChange::Replace {
            value: SECRET.into(),
        };
        let valid = validate(&i).unwrap();
        let registration = crate::microsoft::identity::Registration {
            endpoints: crate::crm::cloud::Endpoints::of(Cloud::Global, None, None).unwrap(),
            tenant: "contoso.onmicrosoft.com".into(),
            client_id: i.client_id.clone(),
            client_secret: Some(SECRET.into()),
            mail_configuration_id: 1,
        };
        let printed = [
            (
                "SecretChange",
                format!("{:?} {:#?}", i.client_secret, i.client_secret),
            ),
            ("MailConfigurationInput", format!("{i:?} {i:#?}")),
            ("ValidMailConfiguration", format!("{valid:?} {valid:#?}")),
            (
                "Registration",
                format!("{registration:?} {registration:#?}"),
            ),
        ];
        for (name, text) in printed {
            // The message names the type only: the output must not show the secret either.
            assert!(!text.contains(SECRET), "{name} prints the secret");
            assert!(
                text.contains("redacted"),
                "{name} says the secret is hidden"
            );
        }
    }

    pub fn input() -> MailConfigurationInput {
        MailConfigurationInput {
            name: "Office 365".into(),
            groupware: Groupware::MsGraph,
            client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
            tenant_id: "contoso.onmicrosoft.com".into(),
            cloud: Cloud::Global,
            custom_authority_url: String::new(),
            custom_graph_url: String::new(),
            client_secret: SecretChange::Keep,
        }
    }

    fn codes(i: &MailConfigurationInput) -> Vec<(String, String)> {
        match validate(i) {
            Ok(_) => vec![],
            Err(e) => e.0.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn pair(f: &str, c: &str) -> (String, String) {
        (f.into(), c.into())
    }

    #[test]
    fn a_complete_configuration_is_valid_and_trimmed() {
        let mut i = input();
        i.name = "  Office 365 ".into();
        i.tenant_id = " 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ".into();
        let v = validate(&i).unwrap();
        assert_eq!(v.name, "Office 365");
        assert_eq!(
            v.tenant_id.as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
    }

    #[test]
    fn without_azure_fields_it_is_a_plain_mail_configuration() {
        let mut i = input();
        i.client_id.clear();
        i.tenant_id.clear();
        let v = validate(&i).unwrap();
        assert_eq!((v.client_id, v.tenant_id), (None, None));
    }

    #[test]
    fn each_bad_field_gets_its_own_error() {
        let mut i = input();
        i.name = " ".into();
        i.client_id = "not-a-guid".into();
        i.tenant_id = "contoso".into();
        assert_eq!(
            codes(&i),
            vec![
                pair("name", "required"),
                pair("client_id", "invalid_guid"),
                pair("tenant_id", "invalid_tenant")
            ]
        );
    }

    #[test]
    fn client_and_tenant_go_together() {
        let mut i = input();
        i.tenant_id.clear();
        assert_eq!(codes(&i), vec![pair("tenant_id", "required")]);
        let mut i = input();
        i.client_id.clear();
        assert_eq!(codes(&i), vec![pair("client_id", "required")]);
    }

    #[test]
    fn the_custom_cloud_needs_two_good_urls() {
        let mut i = input();
        i.cloud = Cloud::Custom;
        assert_eq!(
            codes(&i),
            vec![
                pair("custom_authority_url", "required"),
                pair("custom_graph_url", "required")
            ]
        );
        i.custom_authority_url = "http://login.example.com".into();
        i.custom_graph_url = "graph".into();
        assert_eq!(
            codes(&i),
            vec![
                pair("custom_authority_url", "url_not_https"),
                pair("custom_graph_url", "invalid_url")
            ]
        );
        i.custom_authority_url = "http://127.0.0.1:8910/".into();
        i.custom_graph_url = "https://graph.example.com/".into();
        assert_eq!(
            codes(&i),
            vec![pair(
                "custom_authority_url",
                "url_http_loopback_not_allowed"
            )],
            "http on the loopback only in the demo or behind the developer switch"
        );
        let v = validate_with(&i, UrlPolicy::AllowHttpLoopback).unwrap();
        assert_eq!(
            v.custom_authority_url.as_deref(),
            Some("http://127.0.0.1:8910")
        );
        assert_eq!(
            v.custom_graph_url.as_deref(),
            Some("https://graph.example.com")
        );
    }

    #[test]
    fn a_replaced_secret_must_not_be_empty() {
        let mut i = input();
        i.client_secret = SecretChange::Replace { value: "  ".into() };
        assert_eq!(codes(&i), vec![pair("client_secret", "required")]);
        i.client_secret = SecretChange::Replace {
            value: "abc\ndef".into(),
        };
        assert_eq!(codes(&i), vec![pair("client_secret", "invalid_secret")]);
        i.client_secret = SecretChange::Replace {
            value: " Xy8Q~secret ".into(),
        };
        assert_eq!(
            validate(&i).unwrap().client_secret,
            SecretChange::Replace {
                value: "Xy8Q~secret".into()
            }
        );
    }

    #[test]
    fn every_cloud_is_stored_and_sent_by_the_same_name() {
        let names: Vec<&str> = Cloud::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            names,
            [
                "global",
                "us_gov_gcc",
                "us_gov_gcc_high",
                "us_gov_dod",
                "china",
                "custom"
            ]
        );
        for cloud in Cloud::ALL {
            assert_eq!(Cloud::parse(cloud.as_str()), Some(cloud));
            assert_eq!(
                serde_json::to_value(cloud).unwrap(),
                serde_json::json!(cloud.as_str())
            );
        }
        // The old name is the migration's (0006) to map, not the reader's.
        assert_eq!(Cloud::parse("us_government"), None);
    }
}
