//! "Lokalen Arbeitsbereich in die Team-Datenbank übernehmen": a local workspace's shared data
//! copied into an empty team database, ids kept (the team schema's ids are identity columns BY
//! DEFAULT for this), so every link between records, activities and their history stays as it was.
//!
//! The columns copied are those both schemas have, read from each engine's catalogue, so a column
//! added on one side only is left to its default instead of breaking the copy. One transaction:
//! a failure leaves the team database empty, as it was.

use postgres::types::ToSql;
use postgres::Transaction;
use rusqlite::types::Value;
use rusqlite::Connection;

use crate::store::{Result, StoreError};

/// The shared tables, each after those it refers to. The calendar index and the contact search
/// are the team database's own triggers' to fill; sign-ins, reminders shown and the team
/// connection stay on each desktop.
const TABLES: &[&str] = &[
    "mail_configurations",
    "employees",
    "business_partners",
    "contacts",
    "persons",
    "communications",
    "communication_history",
    "activities",
    "activity_participants",
    "history",
    "system_settings",
];

/// Rows per INSERT: few round trips, well under PostgreSQL's 65,535 parameters per statement.
const ROWS_PER_INSERT: usize = 200;

/// What a copy brought over, table by table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedIn {
    pub rows: Vec<(&'static str, u64)>,
}

impl MovedIn {
    pub fn of(&self, table: &str) -> u64 {
        self.rows
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

/// Why nothing was copied.
#[derive(Debug, thiserror::Error)]
pub enum MoveInError {
    /// The team database holds records already: a copy would mix two workspaces.
    #[error("the team database is not empty ({table} has rows)")]
    NotEmpty { table: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<postgres::Error> for MoveInError {
    fn from(e: postgres::Error) -> Self {
        MoveInError::Store(e.into())
    }
}

impl From<rusqlite::Error> for MoveInError {
    fn from(e: rusqlite::Error) -> Self {
        MoveInError::Store(e.into())
    }
}

/// Copies the shared tables of `local` into the team database of `tx`, which must hold no record
/// yet (its default system settings are replaced by the local ones). Commit `tx` to keep it.
pub fn copy(
    local: &Connection,
    tx: &mut Transaction<'_>,
) -> std::result::Result<MovedIn, MoveInError> {
    for table in TABLES.iter().filter(|t| **t != "system_settings") {
        let any: bool = tx
            .query_one(
                &format!("SELECT EXISTS (SELECT 1 FROM {table}) AS any"),
                &[],
            )?
            .get("any");
        if any {
            return Err(MoveInError::NotEmpty { table });
        }
    }
    let mut rows = Vec::new();
    for table in TABLES {
        rows.push((*table, copy_table(local, tx, table)?));
    }
    for table in TABLES.iter().filter(|t| **t != "system_settings") {
        // The next id a desktop inserts comes after the ids brought over.
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               COALESCE(max(id), 0) + 1, false) FROM {table}"
            ),
            &[],
        )?;
    }
    Ok(MovedIn { rows })
}

/// A team column: its name and type, and the default that stands in for a NULL the local
/// workspace may hold where the team schema has NOT NULL (e.g. `changed_by`).
struct Column {
    name: String,
    pg_type: String,
    not_null_default: Option<String>,
}

fn copy_table(local: &Connection, tx: &mut Transaction<'_>, table: &str) -> Result<u64> {
    let local_columns: Vec<String> = local
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get("name"))?
        .collect::<rusqlite::Result<_>>()?;
    let columns: Vec<Column> = tx
        .query(
            "SELECT column_name, data_type, is_nullable = 'NO' AS not_null, column_default
               FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = $1
                AND is_generated = 'NEVER'
              ORDER BY ordinal_position",
            &[&table],
        )?
        .iter()
        .map(|r| Column {
            name: r.get("column_name"),
            pg_type: r.get("data_type"),
            not_null_default: if r.get::<_, bool>("not_null") {
                r.get("column_default")
            } else {
                None
            },
        })
        .filter(|c| local_columns.contains(&c.name))
        .collect();
    if columns.is_empty() {
        return Ok(0);
    }
    let select_list: Vec<String> = columns
        .iter()
        .map(|c| local_expression(table, &c.name))
        .collect();
    let mut statement = local.prepare(&format!(
        "SELECT {} FROM {table} ORDER BY 1",
        select_list.join(", ")
    ))?;
    let mut source = statement.query([])?;
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_INSERT);
    let mut copied = 0;
    while let Some(row) = source.next()? {
        batch.push(
            (0..columns.len())
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<_>>()?,
        );
        if batch.len() == ROWS_PER_INSERT {
            copied += insert(tx, table, &columns, &batch)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        copied += insert(tx, table, &columns, &batch)?;
    }
    Ok(copied)
}

/// How a local column is read: the client secret unsealed with this desktop's key (the team
/// database keeps it for administrators' eyes only, see its schema); every other as stored.
fn local_expression(table: &str, column: &str) -> String {
    if table == "mail_configurations" && column == "azure_client_secret" {
        "unseal(azure_client_secret, 'mail_configurations.azure_client_secret', id)".into()
    } else {
        format!("\"{column}\"")
    }
}

fn insert(
    tx: &mut Transaction<'_>,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> Result<u64> {
    let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(rows.len() * columns.len());
    let mut tuples = Vec::with_capacity(rows.len());
    for row in rows {
        let mut placeholders = Vec::with_capacity(columns.len());
        for (column, value) in columns.iter().zip(row) {
            params.push(team_value(table, column, value)?);
            let n = params.len();
            placeholders.push(match &column.not_null_default {
                Some(default) => format!("COALESCE(${n}::{}, {default})", column.pg_type),
                None => format!("${n}::{}", column.pg_type),
            });
        }
        tuples.push(format!("({})", placeholders.join(", ")));
    }
    let names: Vec<String> = columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
    let conflict = if table == "system_settings" {
        " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES {}{conflict}",
        names.join(", "),
        tuples.join(", ")
    );
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
    Ok(tx.execute(&sql, &refs)?)
}

/// A local value as the team column's type takes it. SQLite keeps integers for booleans and is
/// loose about types; anything that does not fit is a corrupt local value, named as such.
fn team_value(table: &str, column: &Column, value: &Value) -> Result<Box<dyn ToSql + Sync>> {
    let corrupt = || {
        StoreError::Corrupt(format!(
            "{table}.{} holds {value:?}, which the team database's {} cannot take",
            column.name, column.pg_type
        ))
    };
    Ok(match (column.pg_type.as_str(), value) {
        ("bigint", Value::Null) => Box::new(None::<i64>),
        ("bigint", Value::Integer(i)) => Box::new(Some(*i)),
        ("integer", Value::Null) => Box::new(None::<i32>),
        ("integer", Value::Integer(i)) => Box::new(Some(i32::try_from(*i).map_err(|_| corrupt())?)),
        ("boolean", Value::Null) => Box::new(None::<bool>),
        ("boolean", Value::Integer(i)) => Box::new(Some(*i != 0)),
        ("text", Value::Null) => Box::new(None::<String>),
        ("text", Value::Text(s)) => Box::new(Some(s.clone())),
        ("text", Value::Integer(i)) => Box::new(Some(i.to_string())),
        _ => return Err(corrupt()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::ParticipantRef;
    use crate::crm::activity::{ActivityInput, ActivityKind, ActivityStatus, HistoryEvent};
    use crate::crm::mail_configuration::{tests::input as mail_input, validate, SecretChange};
    use crate::crm::model::{
        BusinessPartnerFields, Channel, CommunicationFields, ContactFields, EmployeeFields,
        PersonFields, RecordKind,
    };
    use crate::crm::settings::{Language, SystemSetting};
    use crate::store::interface::{read, write, Engine};
    use crate::store::postgres::{schema, test_server, PgEngine};
    use crate::store::Db;
    use chrono::{TimeZone, Utc};

    /// Ids of the local workspace `local` fills: its records with links and history, a mail
    /// configuration with a secret, and team settings.
    struct Local {
        db: Db,
        anna: i64,
        ben: i64,
        partner: i64,
        contact: i64,
        activity: i64,
        mail: i64,
    }

    fn local() -> Local {
        let db = Db::open_in_memory().unwrap();
        let e: &dyn Engine = &db;
        let mut mail = mail_input();
        mail.client_secret = SecretChange::Replace {
            value: "geheim-123".into(),
        };
        let (anna, ben, partner, contact, activity, mail) = write(e, |s| {
            let mail = s.insert_mail_configuration(&validate(&mail).unwrap(), 1)?;
            let employee = |first: &str| EmployeeFields {
                first_name: first.into(),
                last_name: "Test".into(),
                color: "#123456".into(),
                ..Default::default()
            };
            let anna = s.insert_employee(&employee("Anna"))?;
            let ben = s.insert_employee(&employee("Ben"))?;
            // A gap in the ids: a copy that numbered anew would break the links below.
            let gone = s.insert_business_partner(&BusinessPartnerFields {
                name: "Alt GmbH".into(),
                country: "DE".into(),
                ..Default::default()
            })?;
            let partner = s.insert_business_partner(&BusinessPartnerFields {
                name: "Contoso AG".into(),
                country: "DE".into(),
                ..Default::default()
            })?;
            s.delete_business_partner(gone)?;
            let contact = s.insert_contact(&ContactFields {
                first_name: "Lena".into(),
                last_name: "Vogel".into(),
                business_partner_id: Some(partner),
                ..Default::default()
            })?;
            s.insert_person(&PersonFields {
                first_name: "Paul".into(),
                last_name: "Privat".into(),
                ..Default::default()
            })?;
            let entry = CommunicationFields {
                owner_kind: RecordKind::Contact,
                owner_id: contact,
                channel: Channel::Phone,
                value: "+49301234567".into(),
                label: None,
            };
            let communication = s.insert_communication(&entry)?;
            s.add_communication_history(communication, None, None, &entry, 5)?;
            let start = Utc.with_ymd_and_hms(2026, 6, 3, 9, 0, 0).unwrap();
            let activity = s.insert_activity(
                &ActivityInput {
                    kind: ActivityKind::Appointment,
                    subject: "Angebot besprechen".into(),
                    starts_at: start,
                    ends_at: start + chrono::Duration::hours(1),
                    time_zone: "Europe/Berlin".into(),
                    memo: String::new(),
                    mail_text: String::new(),
                    status: ActivityStatus::Open,
                    owner_employee_id: anna,
                    business_partner_id: Some(partner),
                    contact_id: Some(contact),
                    person_id: None,
                    participants: vec![
                        ParticipantRef::Employee { id: ben },
                        ParticipantRef::Contact { id: contact },
                    ],
                    reminder_minutes: 15,
                },
                "uid-1",
                7,
            )?;
            s.add_history(activity, HistoryEvent::Converted, None, "Termin", 8)?;
            s.set_flag(SystemSetting::TeamsIntegrationEnabled, true)?;
            s.set_language(Some(Language::En))?;
            Ok::<_, StoreError>((anna, ben, partner, contact, activity, mail))
        })
        .unwrap();
        Local {
            db,
            anna,
            ben,
            partner,
            contact,
            activity,
            mail,
        }
    }

    fn team() -> (test_server::TestDatabase, postgres::Client) {
        let db = test_server::shared().fresh_database();
        schema::migrate(&mut db.superuser()).unwrap();
        let admin = db.login(&format!("admin_{}", db.name), "treffpunkt_admins");
        (db, admin)
    }

    fn move_in(
        local: &Db,
        team: &mut postgres::Client,
    ) -> std::result::Result<MovedIn, MoveInError> {
        local.with(|c| {
            let mut tx = team.transaction().map_err(StoreError::from)?;
            let moved = copy(c, &mut tx)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(moved)
        })
    }

    /// T6: the team database reads as the local workspace did: the same ids, so the contact's
    /// partner, the activity's links, participants and history, the calendar (indexed by the
    /// team database itself), the contact search, the secret and the settings are all there,
    /// and the next record gets an id after those brought over.
    #[test]
    fn a_local_workspace_moves_in_with_links_and_history_intact() {
        let l = local();
        let (_db, mut admin) = team();
        let moved = move_in(&l.db, &mut admin).unwrap();
        assert_eq!(moved.of("employees"), 2);
        assert_eq!(moved.of("activity_participants"), 2);
        assert_eq!(moved.of("communication_history"), 1);
        let team = PgEngine::new(admin);
        let local: &dyn Engine = &l.db;

        let contact = read(&team, |s| s.contact(l.contact)).unwrap();
        assert_eq!(l.partner, 2, "after the gap");
        assert_eq!(contact.fields.business_partner_id, Some(l.partner));
        assert_eq!(contact.fields.last_name, "Vogel");
        let activity = read(&team, |s| s.activity(l.activity)).unwrap();
        let mut before = read(local, |s| s.activity(l.activity)).unwrap();
        assert_eq!(activity.stamp.version, before.stamp.version);
        assert_eq!(activity.stamp.changed_at, before.stamp.changed_at);
        // Nobody is named locally for a change; the team database names the login that moved it in.
        before.stamp.changed_by = activity.stamp.changed_by.clone();
        assert_eq!(activity, before);
        assert_eq!(activity.participants.len(), 2);
        assert_eq!(
            read(&team, |s| s.history_of_activity(l.activity)).unwrap(),
            read(local, |s| s.history_of_activity(l.activity)).unwrap()
        );
        let week = (
            Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 6, 8, 0, 0, 0).unwrap(),
        );
        let in_bens = read(&team, |s| s.calendar(&[l.ben], week.0, week.1)).unwrap();
        assert_eq!(in_bens.len(), 1, "the participant's calendar shows it");
        assert_eq!(
            read(&team, |s| s.search_contacts("vogel", 10))
                .unwrap()
                .len(),
            1
        );
        let communications = read(&team, |s| {
            s.communications_of(RecordKind::Contact, l.contact)
        })
        .unwrap();
        assert_eq!(communications.len(), 1);
        assert_eq!(
            read(&team, |s| s.communication_history(communications[0].id, 10))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            read(&team, |s| s.client_secret(l.mail)).unwrap().as_deref(),
            Some("geheim-123")
        );
        let settings = read(&team, |s| s.system_settings()).unwrap();
        assert!(settings.teams_integration_enabled);
        assert_eq!(settings.language, Some(Language::En));
        assert_eq!(
            read(&team, |s| s.employee(l.anna))
                .unwrap()
                .fields
                .first_name,
            "Anna"
        );

        let next = write(&team, |s| {
            s.insert_business_partner(&BusinessPartnerFields {
                name: "Neu KG".into(),
                country: "DE".into(),
                ..Default::default()
            })
        })
        .unwrap();
        assert!(next > l.partner, "the next id follows those brought over");
    }

    /// T6: a team database that holds records already is refused, and nothing is added to it.
    #[test]
    fn a_team_database_with_records_is_not_mixed_with_a_local_workspace() {
        let l = local();
        let (_db, mut admin) = team();
        move_in(&l.db, &mut admin).unwrap();
        let again = move_in(&l.db, &mut admin);
        assert!(
            matches!(
                again,
                Err(MoveInError::NotEmpty {
                    table: "mail_configurations"
                })
            ),
            "{again:?}"
        );
        let partners: i64 = admin
            .query_one("SELECT count(*) FROM business_partners", &[])
            .unwrap()
            .get(0);
        assert_eq!(partners, 1, "nothing twice");
    }

    /// T5, T6: a copy that fails part way (a value the team database cannot take, in a table
    /// after the records) leaves the team database as empty as it was.
    #[test]
    fn a_copy_that_fails_part_way_leaves_the_team_database_empty() {
        let l = local();
        l.db.with(|c| c.execute("UPDATE persons SET city = x'00ff'", []))
            .unwrap();
        let (_db, mut admin) = team();
        let failed = move_in(&l.db, &mut admin);
        assert!(
            matches!(failed, Err(MoveInError::Store(StoreError::Corrupt(_)))),
            "{failed:?}"
        );
        for table in ["employees", "business_partners", "contacts", "persons"] {
            let n: i64 = admin
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .unwrap()
                .get(0);
            assert_eq!(n, 0, "{table} is empty again");
        }
    }
}
