//! Activities with their participants and history, and the calendar range query (C1). This file
//! keeps the core of an activity: reading one, inserting, updating and deleting it. Each other job
//! has its own file, re-exported here so that callers say `store::activities::x` whichever file
//! holds `x`:
//! - `calendar`: the range query of the opened calendars (C1);
//! - `history`: history lines of an activity and the history of a record;
//! - `participants`: the participants of an activity and the labels of a draft's links;
//! - `search`: activities found by subject, contact or partner;
//! - `sends`: what a sent (or cancelled) meeting request records (C4, C5, C8).

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::sql::{corrupt, display_name, to_datetime};
use super::{Result, StoreError};
use crate::crm::activity::{Activity, ActivityInput, ActivityKind, ActivityStatus, HistoryEvent};
use crate::crm::model::{Lookup, RecordKind};
use crate::crm::wall_clock::wall_clock_of;

mod calendar;
mod history;
mod participants;
mod search;
mod sends;
#[cfg(test)]
mod test_support;

pub use calendar::calendar;
pub use history::{add_history, history_of_activity, history_of_record};
pub use participants::{describe_links, describe_participants};
pub use search::search;
pub use sends::{
    claim_interrupted_send, claim_send, graph_event_id, interrupted_sends, mark_cancelled,
    mark_sent, next_teams_meeting_of_contact, set_graph_event_id, set_send_started,
};

/// One activity with its owner's, partner's, contact's and person's labels; plain SQL that both
/// engines run (PostgreSQL's store reads it from here).
pub(crate) const SELECT: &str = concat!(
    "SELECT a.id AS id, a.uid AS uid, a.kind AS kind, a.subject AS subject,
        a.starts_at AS starts_at, a.ends_at AS ends_at, a.time_zone AS time_zone, a.memo AS memo,
        a.mail_text AS mail_text, a.status AS status, a.owner_employee_id AS owner_id, ",
    display_name!("o"),
    " AS owner_label, a.business_partner_id AS business_partner_id,
        b.name AS business_partner_label, a.contact_id AS contact_id, ",
    display_name!("c"),
    " AS contact_label, a.person_id AS person_id, ",
    display_name!("p"),
    " AS person_label, a.reminder_minutes AS reminder_minutes, a.sent_at AS sent_at,
        a.join_url AS join_url,
        a.send_started_at IS NOT NULL AND a.sent_at IS NULL AS send_pending,
        a.version AS version, a.changed_by AS changed_by, a.updated_at AS changed_at
    FROM activities a
    JOIN employees o ON o.id = a.owner_employee_id
    LEFT JOIN business_partners b ON b.id = a.business_partner_id
    LEFT JOIN contacts c ON c.id = a.contact_id
    LEFT JOIN persons p ON p.id = a.person_id"
);

fn kind_from(r: &Row<'_>, column: &str) -> rusqlite::Result<ActivityKind> {
    let s: String = r.get(column)?;
    ActivityKind::parse(&s).ok_or_else(|| corrupt("activity kind", &s))
}

fn time_from(r: &Row<'_>, column: &str) -> rusqlite::Result<DateTime<Utc>> {
    let seconds: i64 = r.get(column)?;
    to_datetime(seconds).map_err(|e| corrupt("timestamp", &e.to_string()))
}

/// The lookup of kind `kind` read from the columns `{prefix}_id` and `{prefix}_label`.
fn lookup_from(r: &Row<'_>, prefix: &str, kind: RecordKind) -> rusqlite::Result<Option<Lookup>> {
    let id_value: Option<i64> = r.get(format!("{prefix}_id").as_str())?;
    let label: Option<String> = r.get(format!("{prefix}_label").as_str())?;
    Ok(id_value
        .zip(label)
        .map(|(id, label)| Lookup { kind, id, label }))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Activity> {
    let status: String = r.get("status")?;
    let sent_at: Option<i64> = r.get("sent_at")?;
    let (starts_at, ends_at) = (time_from(r, "starts_at")?, time_from(r, "ends_at")?);
    let time_zone: String = r.get("time_zone")?;
    Ok(Activity {
        id: r.get("id")?,
        uid: r.get("uid")?,
        kind: kind_from(r, "kind")?,
        subject: r.get("subject")?,
        starts_at,
        ends_at,
        time_zone: time_zone.clone(),
        memo: r.get("memo")?,
        mail_text: r.get("mail_text")?,
        status: ActivityStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        owner: Lookup {
            kind: RecordKind::Employee,
            id: r.get("owner_id")?,
            label: r.get("owner_label")?,
        },
        business_partner: lookup_from(r, "business_partner", RecordKind::BusinessPartner)?,
        contact: lookup_from(r, "contact", RecordKind::Contact)?,
        person: lookup_from(r, "person", RecordKind::Person)?,
        participants: Vec::new(),
        reminder_minutes: r.get("reminder_minutes")?,
        sent_at: sent_at.and_then(|s| DateTime::from_timestamp(s, 0)),
        join_url: r.get("join_url")?,
        send_pending: r.get("send_pending")?,
        wall_clock: wall_clock_of(starts_at, ends_at, &time_zone),
        stamp: crate::crm::model::Stamp {
            version: r.get("version")?,
            changed_by: r.get("changed_by")?,
            changed_at: r.get("changed_at")?,
        },
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Activity> {
    let mut activity = conn
        .query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        })?;
    activity.participants = participants::participants(conn, id)?;
    Ok(activity)
}

/// The edited fields of an activity as the statement parameters ?1 to ?13 of `INSERT` and `UPDATE`.
fn field_values(input: &ActivityInput) -> Vec<Value> {
    vec![
        input.kind.as_str().to_string().into(),
        input.subject.trim().to_string().into(),
        input.starts_at.timestamp().into(),
        input.ends_at.timestamp().into(),
        input.time_zone.clone().into(),
        input.memo.clone().into(),
        input.mail_text.clone().into(),
        input.status.as_str().to_string().into(),
        input.owner_employee_id.into(),
        input.business_partner_id.into(),
        input.contact_id.into(),
        input.person_id.into(),
        input.reminder_minutes.into(),
    ]
}

/// Inserts a new activity with its participants and a "created" history line.
pub fn insert(conn: &Connection, input: &ActivityInput, uid: &str, now: i64) -> Result<i64> {
    let mut values = field_values(input);
    values.extend([uid.to_string().into(), now.into()]);
    conn.prepare_cached(
        "INSERT INTO activities (kind, subject, starts_at, ends_at, time_zone, memo, mail_text,
            status, owner_employee_id, business_partner_id, contact_id, person_id,
            reminder_minutes, uid, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?
    .execute(params_from_iter(values))?;
    let id = conn.last_insert_rowid();
    participants::replace_participants(conn, id, &input.participants)?;
    add_history(conn, id, HistoryEvent::Created, None, "", now)?;
    Ok(id)
}

/// Writes the edited fields and participants of activity `id`.
/// Saves the edited fields over activity `id` if it is still at `version` (the one the caller
/// read): else nothing changes and the answer is `Conflict` (or `NotFound` when it is gone).
pub fn update(
    conn: &Connection,
    id: i64,
    version: i64,
    input: &ActivityInput,
    now: i64,
) -> Result<()> {
    let mut values = field_values(input);
    values.extend([now.into(), id.into(), version.into()]);
    let changed = conn.execute(
        concat!(
            "UPDATE activities SET kind = ?1, subject = ?2, starts_at = ?3, ends_at = ?4,
            time_zone = ?5, memo = ?6, mail_text = ?7, status = ?8, owner_employee_id = ?9,
            business_partner_id = ?10, contact_id = ?11, person_id = ?12, reminder_minutes = ?13,
            updated_at = ?14, version = version + 1, changed_by = ",
            crate::store::sql::changed_by!(),
            " WHERE id = ?15 AND version = ?16"
        ),
        params_from_iter(values),
    )?;
    if changed == 0 {
        return crate::store::sql::refused_update(
            conn,
            "activities",
            "updated_at",
            RecordKind::Activity,
            id,
        );
    }
    participants::replace_participants(conn, id, &input.participants)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn.execute("DELETE FROM activities WHERE id = ?1", [id])?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        });
    }
    Ok(())
}

/// D1: the reminder lead time, which stays the user's to change even on a sent meeting.
pub fn set_reminder_minutes(conn: &Connection, id: i64, minutes: i64, now: i64) -> Result<()> {
    let changed = conn.execute(
        "UPDATE activities SET reminder_minutes = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, minutes, now],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        });
    }
    Ok(())
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) AS n FROM activities", [], |r| r.get("n"))?)
}
