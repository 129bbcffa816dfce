//! "Einstellungen -> Team-Datenbank": the connection's settings and "Verbindung testen".

use tauri::State;

use super::{blocking, AppState, IpcResult};
use crate::crm::team_database::{TeamDatabase, TeamDatabaseInput, TeamDatabaseProbe};
use crate::services::team_database;

#[tauri::command]
pub async fn team_database(state: State<'_, AppState>) -> IpcResult<Option<TeamDatabase>> {
    blocking(&state, |db| Ok(team_database::settings(db)?)).await
}

/// Checks and saves the connection; a refused form changes nothing.
#[tauri::command]
pub async fn save_team_database(
    state: State<'_, AppState>,
    input: TeamDatabaseInput,
) -> IpcResult<TeamDatabase> {
    blocking(&state, move |db| Ok(team_database::save(db, &input)?)).await
}

/// Connects with the form as it stands and answers the server's version and a round trip.
#[tauri::command]
pub async fn test_team_database(
    state: State<'_, AppState>,
    input: TeamDatabaseInput,
) -> IpcResult<TeamDatabaseProbe> {
    blocking(&state, move |db| Ok(team_database::test(db, &input)?)).await
}
