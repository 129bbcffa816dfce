//! The simulated Microsoft 365 the sign-in, issuer and meeting tests start from: the simulator with
//! one tenant (contoso), the mail configuration that points at it, the app's Microsoft 365 session
//! on the simulator's clock, and a sign-in through a browser that accepts.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::oneshot;
use treffpunkt::crm::mail_configuration::{
    validate_with, Cloud, Groupware, MailConfigurationInput, SecretChange, UrlPolicy,
    ValidMailConfiguration,
};
use treffpunkt::crm::settings::Language;
use treffpunkt::crm::sign_in::SignInOwner;
use treffpunkt::microsoft::session::Microsoft365;
use treffpunkt::simulator::{AppRegistration, Platform, Secret, SimUser, Simulator, Tenant};
use treffpunkt::store::Db;

use super::{Mode, TestBrowser};

/// The simulated tenant's directory ID and domain.
pub const TENANT_ID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const DOMAIN: &str = "contoso.onmicrosoft.com";

/// App `client_id` registered as a public client ("Mobile and desktop applications"): PKCE, no
/// secret, redirecting to the loopback interface.
pub fn desktop_app(client_id: &str) -> AppRegistration {
    AppRegistration {
        client_id: client_id.into(),
        platform: Platform::MobileAndDesktop,
        secret: None,
        redirect_uris: vec!["http://127.0.0.1".into()],
    }
}

/// App `client_id` registered as a confidential client (Web) with `secret`, valid for a year.
pub fn web_app(client_id: &str, secret: &str) -> AppRegistration {
    AppRegistration {
        client_id: client_id.into(),
        platform: Platform::Web,
        secret: Some(Secret {
            value: secret.into(),
            expires_at: Utc::now() + chrono::Duration::days(365),
        }),
        redirect_uris: vec!["http://127.0.0.1".into()],
    }
}

/// The simulator on a free port with the contoso tenant holding `apps` and `users`; its consent
/// pages are approved as `approve_as`.
pub async fn start_simulator(
    apps: Vec<AppRegistration>,
    users: Vec<SimUser>,
    approve_as: &str,
) -> Simulator {
    let sim = Simulator::start(
        0,
        vec![Tenant {
            id: TENANT_ID.into(),
            domain: DOMAIN.into(),
            apps,
            users,
        }],
    )
    .await
    .unwrap();
    sim.state.auto_approve_as(Some(approve_as));
    sim
}

/// The settings' form of a mail configuration for app `client_id` of the contoso tenant at `url`
/// (authority and Graph alike), with `secret` for a confidential client.
pub fn configuration_input(
    url: &str,
    client_id: &str,
    secret: Option<&str>,
) -> MailConfigurationInput {
    MailConfigurationInput {
        name: "Simulator".into(),
        groupware: Groupware::MsGraph,
        client_id: client_id.into(),
        tenant_id: DOMAIN.into(),
        cloud: Cloud::Custom,
        custom_authority_url: url.into(),
        custom_graph_url: url.into(),
        client_secret: match secret {
            Some(value) => SecretChange::Replace {
                value: value.into(),
            },
            None => SecretChange::Keep,
        },
    }
}

/// `input` validated as the app validates it, with the developer switch that admits the
/// simulator's plain http on the loopback interface.
pub fn valid(input: &MailConfigurationInput) -> ValidMailConfiguration {
    validate_with(input, UrlPolicy::AllowHttpLoopback).expect("the simulator's configuration")
}

/// The app's Microsoft 365 session on `db`; its clock follows the simulator's, which tests move
/// forward.
pub fn microsoft365(db: Arc<Db>, sim: &Simulator) -> Microsoft365 {
    let mut m365 = Microsoft365::new(db);
    let state = sim.state.clone();
    m365.clock = Arc::new(move || state.now());
    m365
}

/// Signs `owner` in through a browser that accepts, as the one the simulator approves as; fails
/// the test when the sign-in fails.
pub async fn sign_in(m365: &Microsoft365, owner: SignInOwner) {
    let (_keep, cancel) = oneshot::channel();
    m365.sign_in(
        owner,
        &TestBrowser::new(Mode::Accept),
        Language::De,
        Duration::from_secs(10),
        cancel,
    )
    .await
    .unwrap();
}
