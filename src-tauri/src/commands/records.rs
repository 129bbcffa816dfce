//! Lists and record pages of business partners, contacts, employees, persons and communication
//! entries (F2), and the participant search of the meeting dialog.

use tauri::State;

use super::{blocking, check_query, AppState, IpcResult};
use crate::crm::activity::Participant;
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};
use crate::services::records;

/// The four commands of a record type: search, get, save (create or update), delete.
macro_rules! record_commands {
    ($search:ident, $get:ident, $save:ident, $delete:ident,
     $record:ty, $fields:ty, $page:ident) => {
        #[tauri::command]
        pub async fn $search(state: State<'_, AppState>, query: String) -> IpcResult<Vec<$record>> {
            check_query(&query)?;
            blocking(&state, move |ws| {
                Ok(records::$page::search(ws, &query, super::LIST_LIMIT)?)
            })
            .await
        }

        #[tauri::command]
        pub async fn $get(state: State<'_, AppState>, id: i64) -> IpcResult<$record> {
            blocking(&state, move |ws| Ok(records::$page::get(ws, id)?)).await
        }

        /// Creates (`id` null) or updates the record read at `version` (the one the form
        /// loaded); a refused one, or one changed by someone else meanwhile, changes nothing.
        #[tauri::command]
        pub async fn $save(
            state: State<'_, AppState>,
            id: Option<i64>,
            version: Option<i64>,
            fields: $fields,
        ) -> IpcResult<$record> {
            blocking(&state, move |ws| {
                Ok(records::$page::save(ws, id, version, &fields)?)
            })
            .await
        }

        #[tauri::command]
        pub async fn $delete(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
            blocking(&state, move |ws| Ok(records::$page::delete(ws, id)?)).await
        }
    };
}

record_commands!(
    search_business_partners,
    get_business_partner,
    save_business_partner,
    delete_business_partner,
    BusinessPartner,
    BusinessPartnerFields,
    business_partner
);
record_commands!(
    search_contacts,
    get_contact,
    save_contact,
    delete_contact,
    Contact,
    ContactFields,
    contact
);
record_commands!(
    search_employees,
    get_employee,
    save_employee,
    delete_employee,
    Employee,
    EmployeeFields,
    employee
);
record_commands!(
    search_persons,
    get_person,
    save_person,
    delete_person,
    Person,
    PersonFields,
    person
);

#[tauri::command]
pub async fn contacts_of_business_partner(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Vec<Contact>> {
    blocking(&state, move |ws| {
        Ok(records::contacts_of_business_partner(ws, id)?)
    })
    .await
}

#[tauri::command]
pub async fn communications_of(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<Vec<Communication>> {
    blocking(&state, move |ws| {
        Ok(records::communication::of(ws, kind, id)?)
    })
    .await
}

/// One communication entry as stored now: the editor reloads it to show the current values
/// beside the typed ones after a refused save.
#[tauri::command]
pub async fn get_communication(state: State<'_, AppState>, id: i64) -> IpcResult<Communication> {
    blocking(&state, move |ws| Ok(records::communication::get(ws, id)?)).await
}

/// Creates (`id` null) or changes the communication entry read at `version` (the one the editor
/// loaded); its history records the own employee as the one who did. A refused entry, or one
/// changed by someone else meanwhile, changes nothing.
#[tauri::command]
pub async fn save_communication(
    state: State<'_, AppState>,
    id: Option<i64>,
    version: Option<i64>,
    fields: CommunicationFields,
) -> IpcResult<Communication> {
    blocking(&state, move |ws| {
        Ok(records::communication::save(ws, id, version, &fields)?)
    })
    .await
}

#[tauri::command]
pub async fn delete_communication(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |ws| {
        Ok(records::communication::delete(ws, id)?)
    })
    .await
}

/// Employees, contacts and persons whose name or address contains `query`, as participants.
#[tauri::command]
pub async fn search_participants(
    state: State<'_, AppState>,
    query: String,
) -> IpcResult<Vec<Participant>> {
    check_query(&query)?;
    blocking(&state, move |ws| {
        Ok(records::search_participants(ws, &query)?)
    })
    .await
}
