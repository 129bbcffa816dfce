//! "Einstellungen -> Team-Datenbank": the connection's settings and "Verbindung testen".

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::crm::team_database::{
    self, MovedIn, TeamDatabase, TeamDatabaseInput, TeamDatabaseProbe,
};
use crate::services::team_database as service;

#[tauri::command]
pub async fn team_database(state: State<'_, AppState>) -> IpcResult<Option<TeamDatabase>> {
    blocking(&state, |db| Ok(service::settings(db)?)).await
}

/// Checks and saves the connection; a refused form changes nothing.
#[tauri::command]
pub async fn save_team_database(
    state: State<'_, AppState>,
    input: TeamDatabaseInput,
) -> IpcResult<TeamDatabase> {
    blocking(&state, move |db| Ok(service::save(db, &input)?)).await
}

/// Connects with the form as it stands and answers the server's version and a round trip.
#[tauri::command]
pub async fn test_team_database(
    state: State<'_, AppState>,
    input: TeamDatabaseInput,
) -> IpcResult<TeamDatabaseProbe> {
    blocking(&state, move |db| Ok(service::test(db, &input)?)).await
}

/// Whether the settings offer moving this workspace into the team database.
#[tauri::command]
pub async fn move_in_offered(state: State<'_, AppState>) -> IpcResult<bool> {
    let demo = state.demo;
    blocking(&state, move |db| {
        let saved = service::settings(db)?.is_some();
        Ok(team_database::move_in_offered(saved, demo))
    })
    .await
}

/// Copies this desktop's workspace into the saved, empty team database: all of it or nothing.
#[tauri::command]
pub async fn move_in_to_team_database(state: State<'_, AppState>) -> IpcResult<MovedIn> {
    let demo = state.demo;
    blocking(&state, move |db| Ok(service::move_in(db, demo)?)).await
}
