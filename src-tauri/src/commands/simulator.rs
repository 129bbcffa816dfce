//! The demo workspace's "Simulator" panel: the misbehaviours of its simulated Microsoft 365 that a
//! user can switch on, to see what the app does when Microsoft 365 misbehaves (G2). Outside the
//! demo there is no simulator and nothing to switch.

use tauri::{AppHandle, Manager, Runtime};

use super::{IpcError, IpcResult};
use crate::crm::ErrorCode;
pub use crate::demo::panel::DemoSimulator;
use crate::demo::panel::{SimSwitch, SimSwitchState};

/// Each switch of the demo's simulator; empty outside the demo workspace.
#[tauri::command]
pub async fn simulator_switches<R: Runtime>(app: AppHandle<R>) -> IpcResult<Vec<SimSwitchState>> {
    Ok(app
        .try_state::<DemoSimulator>()
        .map(|sim| sim.switches())
        .unwrap_or_default())
}

/// Switches one misbehaviour of the demo's simulator on or off.
#[tauri::command]
pub async fn set_simulator_switch<R: Runtime>(
    app: AppHandle<R>,
    switch: SimSwitch,
    on: bool,
) -> IpcResult<Vec<SimSwitchState>> {
    let sim = app.try_state::<DemoSimulator>().ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotDemo,
            "only the demo workspace has a simulator",
        )
    })?;
    let switches = sim.set_switch(switch, on);
    if let Some(state) = app.try_state::<super::AppState>() {
        state.sender.forget_mailbox_checks();
    }
    tracing::info!(?switch, on, "demo simulator switched");
    Ok(switches)
}
