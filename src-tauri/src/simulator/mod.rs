//! The Microsoft 365 simulator (G1, G2): the part of the Microsoft identity platform v2 and of
//! Microsoft Graph v1.0 that Treffpunkt uses, on a loopback HTTP server, faithful to
//! `reference/microsoft-365.md`. It keeps what it received for tests to assert on, injects faults on
//! request, and has a clock that tests move forward.

// Handlers answer a refused request with the finished HTTP response as their error value;
// boxing it would only add noise to every early return.
#![allow(clippy::result_large_err)]

mod errors;
mod graph;
mod identity;
mod model;
mod state;
mod switches;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use model::{AppRegistration, Fault, FaultTarget, JoinLink, Platform, Secret, SimUser, Tenant};
pub use state::{Recorded, SimEvent, SimState, UserCondition};
pub use switches::{SimSwitch, SimSwitchState};

/// The tenant ID Microsoft gives personal accounts (`tid` in their ID tokens).
pub use crate::microsoft::PERSONAL_ACCOUNTS_TENANT;

/// A running simulator. Dropping it stops the server.
pub struct Simulator {
    pub state: Arc<SimState>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Simulator {
    /// Starts on 127.0.0.1:`port` (0: any free port) with `tenants`.
    pub async fn start(port: u16, tenants: Vec<Tenant>) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SimState::new(tenants));
        let app = router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Simulator {
            state,
            addr,
            stop: Some(stop),
        })
    }

    /// The base URL: both the authority and the Graph host of the "custom" cloud (A1, G2).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(identity::authorize))
        .route(
            "/{tenant}/oauth2/v2.0/authorize/decide",
            get(identity::decide),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(identity::token))
        .route("/v1.0/me", get(graph::me))
        .route("/v1.0/me/calendar", get(graph::calendar))
        .route("/v1.0/me/events", post(graph::create_event))
        .route("/v1.0/me/events/{id}", get(graph::get_event))
        .route("/v1.0/me/events/{id}/cancel", post(graph::cancel_event))
        .route(
            "/v1.0/me/onlineMeetings",
            post(graph::create_online_meeting),
        )
        .route("/v1.0/me/calendarView", get(graph::calendar_view))
        .route("/v1.0/me/sendMail", post(graph::send_mail))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            state::faults_and_recording,
        ))
        .with_state(state)
}

/// The demo tenant of the demo workspace (F3): a public-client registration and the demo
/// employees' accounts.
pub fn demo_tenant(client_id: &str, domain: &str, users: Vec<SimUser>) -> Tenant {
    Tenant {
        id: "5f3c8a2e-9d41-4b7a-8e6f-1a2b3c4d5e6f".into(),
        domain: domain.into(),
        apps: vec![AppRegistration {
            client_id: client_id.into(),
            platform: Platform::MobileAndDesktop,
            secret: None,
            redirect_uris: vec!["http://127.0.0.1".into(), "http://localhost".into()],
        }],
        users,
    }
}
