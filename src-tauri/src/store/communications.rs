//! Communication entries ("Kommunikation"): further addresses and numbers of a business partner,
//! contact, employee or person.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sql::{
    changed_by, corrupt, corrupt_value, display_name, on_sqlite, refused_update, stamp,
    stamp_changed, to_datetime, Columns,
};
use super::{Result, StoreError};
use crate::crm::activity::{FieldChange, HistoryEvent, HistoryItem};
use crate::crm::model::{Channel, Communication, CommunicationFields, Lookup, RecordKind};

const SELECT: &str = concat!(
    "SELECT k.id AS id, k.business_partner_id AS business_partner_id, k.contact_id AS contact_id,
        k.employee_id AS employee_id, k.person_id AS person_id, k.channel AS channel,
        k.value AS value, k.label AS label, k.version AS version, k.changed_by AS changed_by,
        k.changed_at AS changed_at,
        coalesce(b.name, ",
    display_name!("c"),
    ", ",
    display_name!("e"),
    ", ",
    display_name!("p"),
    ") AS owner_label
    FROM communications k
    LEFT JOIN business_partners b ON b.id = k.business_partner_id
    LEFT JOIN contacts c ON c.id = k.contact_id
    LEFT JOIN employees e ON e.id = k.employee_id
    LEFT JOIN persons p ON p.id = k.person_id"
);

/// The column that holds an owner of `kind`; activities own no communication entries.
pub(super) fn owner_column(kind: RecordKind) -> Option<&'static str> {
    match kind {
        RecordKind::BusinessPartner => Some("business_partner_id"),
        RecordKind::Contact => Some("contact_id"),
        RecordKind::Employee => Some("employee_id"),
        RecordKind::Person => Some("person_id"),
        RecordKind::Communication | RecordKind::Activity | RecordKind::MailConfiguration => None,
    }
}

/// The record from a row of [`SELECT`]'s columns, on either engine.
pub(crate) fn read_row(r: &impl Columns) -> Result<Communication> {
    let owners = [
        (
            RecordKind::BusinessPartner,
            r.col::<Option<i64>>("business_partner_id")?,
        ),
        (RecordKind::Contact, r.col("contact_id")?),
        (RecordKind::Employee, r.col("employee_id")?),
        (RecordKind::Person, r.col("person_id")?),
    ];
    let (owner_kind, owner_id) = owners
        .into_iter()
        .find_map(|(kind, id)| id.map(|id| (kind, id)))
        .ok_or_else(|| corrupt_value("communication owner", "none"))?;
    let channel: String = r.col("channel")?;
    Ok(Communication {
        id: r.col("id")?,
        fields: CommunicationFields {
            owner_kind,
            owner_id,
            channel: Channel::parse(&channel).ok_or_else(|| corrupt_value("channel", &channel))?,
            value: r.col("value")?,
            label: r.col("label")?,
        },
        owner: Lookup {
            kind: owner_kind,
            id: owner_id,
            label: r.col("owner_label")?,
        },
        stamp: stamp(r)?,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Communication> {
    on_sqlite(read_row(r))
}

pub fn of_owner(conn: &Connection, kind: RecordKind, id: i64) -> Result<Vec<Communication>> {
    let Some(column) = owner_column(kind) else {
        return Ok(Vec::new());
    };
    let sql = format!("{SELECT} WHERE k.{column} = ?1 ORDER BY k.channel, k.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Communication> {
    conn.query_row(&format!("{SELECT} WHERE k.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::Communication,
            id,
        })
}

pub fn insert(conn: &Connection, f: &CommunicationFields) -> Result<i64> {
    let column = owner_column(f.owner_kind).ok_or_else(|| {
        StoreError::Corrupt(
            "only partners, contacts, employees and persons own communication entries".into(),
        )
    })?;
    conn.execute(
        &format!(
            "INSERT INTO communications ({column}, channel, value, label, changed_at, changed_by)
             VALUES (?1, ?2, ?3, ?4, CAST(strftime('%s', 'now') AS INTEGER), {})",
            changed_by!()
        ),
        params![
            f.owner_id,
            f.channel.as_str(),
            f.value.trim(),
            f.label.as_deref()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Changes channel, value and label if entry `id` is still at `version` (the one the caller
/// read): else nothing changes and the answer is `Conflict` (or `NotFound` when it is gone).
/// The owner of an entry never changes.
pub fn update(conn: &Connection, id: i64, version: i64, f: &CommunicationFields) -> Result<()> {
    let changed = conn.execute(
        concat!(
            "UPDATE communications SET channel = ?2, value = ?3, label = ?4, ",
            stamp_changed!(),
            " WHERE id = ?1 AND version = ?5"
        ),
        params![
            id,
            f.channel.as_str(),
            f.value.trim(),
            f.label.as_deref(),
            version
        ],
    )?;
    if changed == 0 {
        return refused_update(
            conn,
            "communications",
            "changed_at",
            RecordKind::Communication,
            id,
        );
    }
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM communications WHERE id = ?1", [id])?;
    Ok(())
}

/// The employee who makes a change, as the history names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub employee_id: i64,
    pub name: String,
}

/// The employee `id` as an editor, `None` where there is no such employee.
pub fn editor(conn: &Connection, id: Option<i64>) -> Result<Option<Editor>> {
    let Some(id) = id else { return Ok(None) };
    Ok(conn
        .query_row(
            concat!(
                "SELECT ",
                display_name!("e"),
                " AS name FROM employees e WHERE e.id = ?1"
            ),
            [id],
            |r| r.get("name"),
        )
        .optional()?
        .map(|name| Editor {
            employee_id: id,
            name,
        }))
}

/// Records that entry `id` was created (`old` None) or changed from `old` to `new`, by `by`.
pub fn add_history(
    conn: &Connection,
    id: i64,
    by: Option<&Editor>,
    old: Option<&CommunicationFields>,
    new: &CommunicationFields,
    now: i64,
) -> Result<()> {
    let event = if old.is_some() {
        HistoryEvent::Changed
    } else {
        HistoryEvent::Created
    };
    conn.prepare_cached(
        "INSERT INTO communication_history (communication_id, event, employee_id, employee_name,
            old_channel, new_channel, old_value, new_value, old_label, new_label, occurred_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        event.as_str(),
        by.map(|e| e.employee_id),
        by.map(|e| e.name.as_str()),
        old.map(|o| o.channel.as_str()),
        new.channel.as_str(),
        old.map(|o| o.value.trim()),
        new.value.trim(),
        old.and_then(|o| o.label.as_deref()),
        new.label.as_deref(),
        now,
    ])?;
    Ok(())
}

/// The history of entry `id`, newest first: each line names who, when, and the fields that
/// changed with their values before and after.
pub fn history(conn: &Connection, id: i64, limit: u32) -> Result<Vec<HistoryItem>> {
    let entry = get(conn, id)?;
    let target = Lookup {
        kind: RecordKind::Communication,
        id,
        label: entry.fields.value,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT event, employee_name, old_channel, new_channel, old_value, new_value, old_label,
                new_label, occurred_at
           FROM communication_history WHERE communication_id = ?1
          ORDER BY occurred_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![id, limit], |r| {
        let event: String = r.get("event")?;
        let mut changes = Vec::new();
        for field in ["channel", "value", "label"] {
            let (old, new): (Option<String>, Option<String>) = (
                r.get(format!("old_{field}").as_str())?,
                r.get(format!("new_{field}").as_str())?,
            );
            if old != new {
                changes.push(FieldChange {
                    field: field.into(),
                    old,
                    new,
                });
            }
        }
        Ok(HistoryItem {
            event: HistoryEvent::parse(&event)
                .ok_or_else(|| corrupt("communication history event", &event))?,
            occurred_at: to_datetime(r.get("occurred_at")?)
                .map_err(|e| corrupt("timestamp", &e.to_string()))?,
            target: target.clone(),
            activity_kind: None,
            detail: String::new(),
            by: r.get("employee_name")?,
            changes,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
