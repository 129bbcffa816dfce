//! Lists and record pages of business partners, contacts, employees, persons and communication
//! entries (F2), and the participant search of the meeting dialog.

use tauri::State;

use super::{blocking, check_query, AppState, IpcResult};
use crate::crm::activity::{Participant, ParticipantRef};
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};
use crate::services::records;
use crate::store::{business_partners, communications, contacts, employees, persons};

const PICKER_LIMIT: u32 = 8;

/// The four commands of a record type: search, get, save (create or update), delete.
macro_rules! record_commands {
    ($search:ident, $get:ident, $save:ident, $delete:ident,
     $record:ty, $fields:ty, $module:ident, $saver:path, $deleter:path) => {
        #[tauri::command]
        pub async fn $search(state: State<'_, AppState>, query: String) -> IpcResult<Vec<$record>> {
            check_query(&query)?;
            blocking(&state, move |db| {
                Ok(db.with(|c| $module::search(c, &query, super::LIST_LIMIT))?)
            })
            .await
        }

        #[tauri::command]
        pub async fn $get(state: State<'_, AppState>, id: i64) -> IpcResult<$record> {
            blocking(&state, move |db| Ok(db.with(|c| $module::get(c, id))?)).await
        }

        /// Creates (`id` null) or updates the record; a refused one changes nothing.
        #[tauri::command]
        pub async fn $save(
            state: State<'_, AppState>,
            id: Option<i64>,
            fields: $fields,
        ) -> IpcResult<$record> {
            blocking(&state, move |db| {
                Ok(db.transaction(|tx| {
                    let id = $saver(tx, id, &fields)?;
                    Ok::<_, crate::services::CrmError>($module::get(tx, id)?)
                })?)
            })
            .await
        }

        #[tauri::command]
        pub async fn $delete(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
            blocking(&state, move |db| Ok(db.with(|c| $deleter(c, id))?)).await
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
    business_partners,
    records::save_business_partner,
    business_partners::delete
);
record_commands!(
    search_contacts,
    get_contact,
    save_contact,
    delete_contact,
    Contact,
    ContactFields,
    contacts,
    records::save_contact,
    contacts::delete
);
record_commands!(
    search_employees,
    get_employee,
    save_employee,
    delete_employee,
    Employee,
    EmployeeFields,
    employees,
    records::save_employee,
    records::delete_employee
);
record_commands!(
    search_persons,
    get_person,
    save_person,
    delete_person,
    Person,
    PersonFields,
    persons,
    records::save_person,
    persons::delete
);

#[tauri::command]
pub async fn contacts_of_business_partner(
    state: State<'_, AppState>,
    id: i64,
) -> IpcResult<Vec<Contact>> {
    blocking(&state, move |db| {
        Ok(db.with(|c| contacts::of_business_partner(c, id))?)
    })
    .await
}

#[tauri::command]
pub async fn communications_of(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> IpcResult<Vec<Communication>> {
    blocking(&state, move |db| {
        Ok(db.with(|c| communications::of_owner(c, kind, id))?)
    })
    .await
}

/// Creates (`id` null) or changes a communication entry; its history records the own employee as
/// the one who did. A refused entry changes nothing.
#[tauri::command]
pub async fn save_communication(
    state: State<'_, AppState>,
    id: Option<i64>,
    fields: CommunicationFields,
) -> IpcResult<Communication> {
    blocking(&state, move |db| {
        Ok(db.transaction(|tx| {
            let me = crate::store::settings::load(tx)?.current_employee_id;
            let id = records::save_communication(tx, id, &fields, me)?;
            Ok::<_, crate::services::CrmError>(communications::get(tx, id)?)
        })?)
    })
    .await
}

#[tauri::command]
pub async fn delete_communication(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    blocking(&state, move |db| {
        Ok(db.with(|c| communications::delete(c, id))?)
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
    blocking(&state, move |db| {
        Ok(db.with(|c| {
            let name = |first: &str, last: &str| format!("{first} {last}").trim().to_string();
            let mut found: Vec<Participant> = employees::search(c, &query, PICKER_LIMIT)?
                .into_iter()
                .map(|e| Participant {
                    participant: ParticipantRef::Employee { id: e.id },
                    label: name(&e.fields.first_name, &e.fields.last_name),
                    email: e.fields.email,
                })
                .collect();
            found.extend(
                contacts::search(c, &query, PICKER_LIMIT)?
                    .into_iter()
                    .map(|k| {
                        let partner = k.business_partner.map(|b| format!(" ({})", b.label));
                        Participant {
                            participant: ParticipantRef::Contact { id: k.id },
                            label: name(&k.fields.first_name, &k.fields.last_name)
                                + &partner.unwrap_or_default(),
                            email: k.fields.email,
                        }
                    }),
            );
            found.extend(
                persons::search(c, &query, PICKER_LIMIT)?
                    .into_iter()
                    .map(|p| Participant {
                        participant: ParticipantRef::Person { id: p.id },
                        label: name(&p.fields.first_name, &p.fields.last_name),
                        email: p.fields.email,
                    }),
            );
            Ok::<_, crate::store::StoreError>(found)
        })?)
    })
    .await
}
