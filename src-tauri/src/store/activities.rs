//! Activities with their participants and history, and the calendar range query (C1).

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::sql::{contains_pattern, corrupt, display_name, to_datetime};
use super::{Result, StoreError};
use crate::crm::activity::{
    activity_lookup, Activity, ActivityInput, ActivityKind, ActivityStatus, CalendarEntry,
    HistoryEvent, HistoryItem, Participant, ParticipantRef,
};
use crate::crm::model::{Lookup, RecordKind};
use crate::crm::wall_clock::wall_clock_of;

const SELECT: &str = concat!(
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
        a.send_started_at IS NOT NULL AND a.sent_at IS NULL AS send_pending
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
    activity.participants = participants(conn, id)?;
    Ok(activity)
}

/// Activities whose subject, contact or partner contains `query`, newest first. Participants are
/// not loaded: a list does not show them.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<Activity>> {
    let sql = format!(
        "{SELECT} WHERE a.subject LIKE ?1 ESCAPE '\\' OR b.name LIKE ?1 ESCAPE '\\'
            OR {} LIKE ?1 ESCAPE '\\'
         ORDER BY a.starts_at DESC LIMIT ?2",
        display_name!("c")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![contains_pattern(query), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn participants(conn: &Connection, activity_id: i64) -> Result<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT p.employee_id AS employee_id, p.contact_id AS contact_id,
            p.person_id AS person_id, p.email AS address,
            coalesce(",
        display_name!("e"),
        ", ",
        display_name!("c"),
        ", ",
        display_name!("s"),
        ", p.email) AS label,
            coalesce(e.email, c.email, s.email, p.email) AS email
         FROM activity_participants p
         LEFT JOIN employees e ON e.id = p.employee_id
         LEFT JOIN contacts c ON c.id = p.contact_id
         LEFT JOIN persons s ON s.id = p.person_id
         WHERE p.activity_id = ?1 ORDER BY p.id"
    ))?;
    let rows = stmt.query_map([activity_id], |r| {
        let participant = if let Some(id) = r.get("employee_id")? {
            ParticipantRef::Employee { id }
        } else if let Some(id) = r.get("contact_id")? {
            ParticipantRef::Contact { id }
        } else if let Some(id) = r.get("person_id")? {
            ParticipantRef::Person { id }
        } else {
            ParticipantRef::Email {
                address: r.get("address")?,
            }
        };
        Ok(Participant {
            participant,
            label: r.get("label")?,
            email: r.get("email")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lookup fields of an input that is not stored yet (a draft's): its business partner,
/// contact and person with their labels, as a stored activity has them.
pub fn describe_links(
    conn: &Connection,
    input: &ActivityInput,
) -> Result<(Option<Lookup>, Option<Lookup>, Option<Lookup>)> {
    let one = |kind: RecordKind, sql: &str, id: Option<i64>| -> Result<Option<Lookup>> {
        let Some(id) = id else { return Ok(None) };
        Ok(conn
            .query_row(sql, [id], |r| r.get::<_, String>("label"))
            .optional()?
            .map(|label| Lookup { kind, id, label }))
    };
    Ok((
        one(
            RecordKind::BusinessPartner,
            "SELECT name AS label FROM business_partners WHERE id = ?1",
            input.business_partner_id,
        )?,
        one(
            RecordKind::Contact,
            concat!(
                "SELECT ",
                display_name!("t"),
                " AS label FROM contacts t WHERE id = ?1"
            ),
            input.contact_id,
        )?,
        one(
            RecordKind::Person,
            concat!(
                "SELECT ",
                display_name!("t"),
                " AS label FROM persons t WHERE id = ?1"
            ),
            input.person_id,
        )?,
    ))
}

/// Labels and addresses of participants that are not stored yet (a draft's).
pub fn describe_participants(
    conn: &Connection,
    refs: &[ParticipantRef],
) -> Result<Vec<Participant>> {
    refs.iter()
        .map(|p| {
            let table = match p {
                ParticipantRef::Employee { id } => ("employees", *id),
                ParticipantRef::Contact { id } => ("contacts", *id),
                ParticipantRef::Person { id } => ("persons", *id),
                ParticipantRef::Email { address } => {
                    return Ok(Participant {
                        participant: p.clone(),
                        label: address.clone(),
                        email: Some(address.clone()),
                    })
                }
            };
            let (label, email) = conn.query_row(
                &format!(
                    "SELECT {} AS label, t.email AS email FROM {} t WHERE t.id = ?1",
                    display_name!("t"),
                    table.0
                ),
                [table.1],
                |r| Ok((r.get("label")?, r.get("email")?)),
            )?;
            Ok(Participant {
                participant: p.clone(),
                label,
                email,
            })
        })
        .collect()
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
    replace_participants(conn, id, &input.participants)?;
    add_history(conn, id, HistoryEvent::Created, None, "", now)?;
    Ok(id)
}

/// Writes the edited fields and participants of activity `id`.
pub fn update(conn: &Connection, id: i64, input: &ActivityInput, now: i64) -> Result<()> {
    let mut values = field_values(input);
    values.extend([now.into(), id.into()]);
    let changed = conn.execute(
        "UPDATE activities SET kind = ?1, subject = ?2, starts_at = ?3, ends_at = ?4,
            time_zone = ?5, memo = ?6, mail_text = ?7, status = ?8, owner_employee_id = ?9,
            business_partner_id = ?10, contact_id = ?11, person_id = ?12, reminder_minutes = ?13,
            updated_at = ?14
         WHERE id = ?15",
        params_from_iter(values),
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        });
    }
    replace_participants(conn, id, &input.participants)
}

fn replace_participants(conn: &Connection, id: i64, list: &[ParticipantRef]) -> Result<()> {
    conn.prepare_cached("DELETE FROM activity_participants WHERE activity_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO activity_participants (activity_id, employee_id, contact_id, person_id, email)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in list {
        let (employee, contact, person, email) = match p {
            ParticipantRef::Employee { id } => (Some(*id), None, None, None),
            ParticipantRef::Contact { id } => (None, Some(*id), None, None),
            ParticipantRef::Person { id } => (None, None, Some(*id), None),
            ParticipantRef::Email { address } => (None, None, None, Some(address.trim())),
        };
        stmt.execute(params![id, employee, contact, person, email])?;
    }
    Ok(())
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

pub fn add_history(
    conn: &Connection,
    activity_id: i64,
    event: HistoryEvent,
    linked_activity_id: Option<i64>,
    detail: &str,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO history (activity_id, event, linked_activity_id, detail, occurred_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        activity_id,
        event.as_str(),
        linked_activity_id,
        detail,
        now
    ])?;
    Ok(())
}

/// The entries of the opened calendars `employee_ids` that overlap [`from`, `to`): activities the
/// employees own or take part in. Each activity comes once, in its owner's calendar when that is
/// open, else in the first opened calendar it takes part in.
pub fn calendar(
    conn: &Connection,
    employee_ids: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarEntry>> {
    if employee_ids.is_empty() {
        return Ok(Vec::new());
    }
    // ?1 and ?2 are the range; ?3... the opened calendars.
    let list = (0..employee_ids.len())
        .map(|i| format!("?{}", i + 3))
        .collect::<Vec<_>>()
        .join(", ");
    // The calendar entries of the opened calendars that start before the range ends and after
    // the longest activity would have to start to still reach into it; per activity, the
    // owner's calendar when it is open, else the first opened calendar taking part.
    let sql = format!(
        "WITH shown AS (
             SELECT e.activity_id AS id,
                    coalesce(max(CASE WHEN e.owner THEN e.employee_id END), min(e.employee_id))
                        AS calendar
               FROM calendar_entries e
              WHERE e.employee_id IN ({list}) AND e.starts_at < ?1 AND e.ends_at > ?2
                AND e.starts_at >= ?2 - (SELECT coalesce(max(ends_at - starts_at), 0)
                                           FROM activities)
              GROUP BY e.activity_id
         )
         SELECT a.id AS id, a.kind AS kind, a.subject AS subject, a.starts_at AS starts_at,
                a.ends_at AS ends_at, shown.calendar AS calendar, a.sent_at IS NOT NULL AS sent
         FROM shown JOIN activities a ON a.id = shown.id
         ORDER BY a.starts_at, a.id"
    );
    let mut values: Vec<i64> = vec![to.timestamp(), from.timestamp()];
    values.extend_from_slice(employee_ids);
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        Ok(CalendarEntry {
            id: r.get("id")?,
            kind: kind_from(r, "kind")?,
            subject: r.get("subject")?,
            starts_at: time_from(r, "starts_at")?,
            ends_at: time_from(r, "ends_at")?,
            calendar_employee_id: r.get("calendar")?,
            sent: r.get("sent")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The history of an activity: its own events, and every link from or to it.
pub fn history_of_activity(conn: &Connection, id: i64) -> Result<Vec<HistoryItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.event AS event, h.occurred_at AS occurred_at, h.detail AS detail,
                CASE WHEN h.activity_id = ?1 THEN coalesce(h.linked_activity_id, h.activity_id)
                     ELSE h.activity_id END AS target
         FROM history h
         WHERE h.activity_id = ?1 OR h.linked_activity_id = ?1
         ORDER BY h.occurred_at DESC, h.id DESC",
    )?;
    let raw = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>("event")?,
                r.get::<_, i64>("occurred_at")?,
                r.get::<_, String>("detail")?,
                r.get::<_, i64>("target")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(|(event, at, detail, target)| {
            let (subject, kind): (String, String) = conn.query_row(
                "SELECT subject, kind FROM activities WHERE id = ?1",
                [target],
                |r| Ok((r.get("subject")?, r.get("kind")?)),
            )?;
            Ok(HistoryItem {
                event: HistoryEvent::parse(&event)
                    .ok_or_else(|| StoreError::Corrupt(format!("history event {event}")))?,
                occurred_at: to_datetime(at)?,
                target: activity_lookup(target, &subject),
                activity_kind: ActivityKind::parse(&kind),
                detail,
                by: None,
                changes: Vec::new(),
            })
        })
        .collect()
}

/// The history of a business partner, contact, employee or person: the activities that concern
/// it, newest first.
pub fn history_of_record(
    conn: &Connection,
    kind: RecordKind,
    id: i64,
    limit: u32,
) -> Result<Vec<HistoryItem>> {
    let source = match kind {
        RecordKind::BusinessPartner => {
            "activities a WHERE a.business_partner_id = ?1 ORDER BY a.starts_at DESC, a.id DESC"
        }
        RecordKind::Contact => {
            "activities a WHERE a.contact_id = ?1
                OR a.id IN (SELECT activity_id FROM activity_participants WHERE contact_id = ?1)
              ORDER BY a.starts_at DESC, a.id DESC"
        }
        RecordKind::Person => {
            "activities a WHERE a.person_id = ?1
                OR a.id IN (SELECT activity_id FROM activity_participants WHERE person_id = ?1)
              ORDER BY a.starts_at DESC, a.id DESC"
        }
        // The employee's calendar entries, read newest first along their index, stop at the
        // limit; an activity the employee owns and attends counts once (its owner entry).
        RecordKind::Employee => {
            "calendar_entries e JOIN activities a ON a.id = e.activity_id
              WHERE e.employee_id = ?1
                AND (e.owner OR NOT EXISTS (SELECT 1 FROM calendar_entries o
                      WHERE o.activity_id = e.activity_id AND o.employee_id = ?1 AND o.owner))
              ORDER BY e.starts_at DESC, e.activity_id DESC"
        }
        RecordKind::Activity => return history_of_activity(conn, id),
        RecordKind::Communication => return super::communications::history(conn, id, limit),
        RecordKind::MailConfiguration => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT a.id AS id, a.subject AS subject, a.kind AS kind, a.starts_at AS starts_at,
                a.status AS status FROM {source} LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![id, limit], |r| {
        let subject: String = r.get("subject")?;
        Ok(HistoryItem {
            event: HistoryEvent::Activity,
            target: activity_lookup(r.get("id")?, &subject),
            activity_kind: Some(kind_from(r, "kind")?),
            occurred_at: time_from(r, "starts_at")?,
            detail: r.get("status")?,
            by: None,
            changes: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a sent meeting request (C4): when, the event's id, and the Teams join URL, which is
/// also appended at the end of the memo (D2). An activity already sent (by another window of the
/// app, which got the same event for the same `transactionId`) is left as it was: returns whether
/// this call recorded the send.
pub fn mark_sent(
    conn: &Connection,
    id: i64,
    sent_at: i64,
    join_url: Option<&str>,
    graph_event_id: &str,
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE activities SET sent_at = ?2, join_url = ?3, graph_event_id = ?4, send_started_at = NULL,
            memo = CASE WHEN ?3 IS NULL THEN memo
                        WHEN memo = '' THEN ?3
                        ELSE memo || char(10) || char(10) || ?3 END,
            updated_at = ?2
         WHERE id = ?1 AND sent_at IS NULL",
        params![id, sent_at, join_url, graph_event_id],
    )?;
    if changed == 0 && !super::sql::exists(conn, "activities", id)? {
        return Err(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        });
    }
    Ok(changed == 1)
}

pub fn set_send_started(conn: &Connection, id: i64, at: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE activities SET send_started_at = ?2 WHERE id = ?1 AND sent_at IS NULL",
        params![id, at],
    )?;
    Ok(())
}

/// The event of a Teams meeting Graph created without a join link yet: kept before the link
/// is asked for again, so that a restart reads this event instead of creating another.
pub fn set_graph_event_id(conn: &Connection, id: i64, graph_event_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE activities SET graph_event_id = ?2 WHERE id = ?1 AND sent_at IS NULL",
        params![id, graph_event_id],
    )?;
    Ok(())
}

/// Activities whose send began and never ended: the process died on the way.
pub fn interrupted_sends(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM activities WHERE send_started_at IS NOT NULL AND sent_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| r.get("id"))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// The Graph event of a sent meeting.
pub fn graph_event_id(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT graph_event_id FROM activities WHERE id = ?1",
        [id],
        |r| r.get("graph_event_id"),
    )?)
}

/// C8: the meeting was cancelled in Graph.
pub fn mark_cancelled(conn: &Connection, id: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE activities SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// The next sent Teams meeting with a join link that concerns contact `contact_id` and has not
/// ended at `now` (C5).
pub fn next_teams_meeting_of_contact(
    conn: &Connection,
    contact_id: i64,
    now: i64,
) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT a.id AS id FROM activities a
              WHERE a.kind = 'teams_meeting' AND a.sent_at IS NOT NULL AND a.join_url IS NOT NULL
                AND a.status <> 'cancelled' AND a.ends_at > ?2
                AND (a.contact_id = ?1 OR a.id IN (SELECT activity_id FROM activity_participants
                                                    WHERE contact_id = ?1))
              ORDER BY a.starts_at LIMIT 1",
            params![contact_id, now],
            |r| r.get("id"),
        )
        .optional()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) AS n FROM activities", [], |r| r.get("n"))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::ActivityStatus;
    use crate::crm::calendar::{local_days, local_to_utc};
    use crate::crm::model::{ContactFields, EmployeeFields};
    use crate::store::{contacts, employees, Db};
    use chrono::{NaiveDate, NaiveDateTime};
    use chrono_tz::Europe::Berlin;

    fn employee(c: &Connection, name: &str) -> i64 {
        employees::insert(
            c,
            &EmployeeFields {
                first_name: name.into(),
                last_name: "Test".into(),
                color: "#000000".into(),
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn berlin(s: &str) -> DateTime<Utc> {
        local_to_utc(
            Berlin,
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
        )
    }

    fn input(owner: i64, subject: &str, start: &str, end: &str) -> ActivityInput {
        ActivityInput {
            kind: ActivityKind::Appointment,
            subject: subject.into(),
            starts_at: berlin(start),
            ends_at: berlin(end),
            time_zone: "Europe/Berlin".into(),
            memo: String::new(),
            mail_text: String::new(),
            status: ActivityStatus::Open,
            owner_employee_id: owner,
            business_partner_id: None,
            contact_id: None,
            person_id: None,
            participants: Vec::new(),
            reminder_minutes: 15,
        }
    }

    fn add(c: &Connection, i: &ActivityInput) -> i64 {
        insert(c, i, &uuid::Uuid::new_v4().to_string(), 0).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn subjects(entries: &[CalendarEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.subject.as_str()).collect()
    }

    #[test]
    fn the_calendar_range_follows_local_days_across_dst_and_month_ends() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            for d in [
                "2026-03-28",
                "2026-03-29",
                "2026-03-30",
                "2026-10-24",
                "2026-10-25",
            ] {
                add(
                    c,
                    &input(anna, d, &format!("{d} 10:00"), &format!("{d} 11:00")),
                );
            }
            // Late on the last day of March, into April.
            add(
                c,
                &input(anna, "overnight", "2026-03-31 23:30", "2026-04-01 00:30"),
            );
            // Just before midnight of the switch day, local time.
            add(
                c,
                &input(anna, "late", "2026-03-29 23:30", "2026-03-29 23:45"),
            );

            let (from, to) = local_days(Berlin, day("2026-03-29"), day("2026-03-29"));
            assert_eq!(
                subjects(&calendar(c, &[anna], from, to)?),
                vec!["2026-03-29", "late"]
            );

            let (from, to) = local_days(Berlin, day("2026-03-01"), day("2026-03-31"));
            assert_eq!(
                subjects(&calendar(c, &[anna], from, to)?),
                vec![
                    "2026-03-28",
                    "2026-03-29",
                    "late",
                    "2026-03-30",
                    "overnight"
                ]
            );
            let (from, to) = local_days(Berlin, day("2026-04-01"), day("2026-04-30"));
            assert_eq!(
                subjects(&calendar(c, &[anna], from, to)?),
                vec!["overnight"]
            );

            let (from, to) = local_days(Berlin, day("2026-10-25"), day("2026-10-25"));
            let entries = calendar(c, &[anna], from, to)?;
            assert_eq!(subjects(&entries), vec!["2026-10-25"]);
            assert_eq!(
                entries[0].starts_at,
                "2026-10-25T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
            );
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn opened_calendars_show_owned_and_attended_activities_once() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            let ben = employee(c, "Ben");
            let carl = employee(c, "Carl");
            let mut meeting = input(anna, "meeting", "2026-06-01 10:00", "2026-06-01 11:00");
            meeting.kind = ActivityKind::Meeting;
            meeting.participants = vec![
                ParticipantRef::Employee { id: ben },
                ParticipantRef::Employee { id: carl },
            ];
            add(c, &meeting);
            add(
                c,
                &input(ben, "ben alone", "2026-06-01 12:00", "2026-06-01 13:00"),
            );
            let (from, to) = local_days(Berlin, day("2026-06-01"), day("2026-06-01"));

            let both = calendar(c, &[anna, ben], from, to)?;
            assert_eq!(subjects(&both), vec!["meeting", "ben alone"]);
            assert_eq!(both[0].calendar_employee_id, anna, "the owner's colour");
            let ben_only = calendar(c, &[ben], from, to)?;
            assert_eq!(subjects(&ben_only), vec!["meeting", "ben alone"]);
            assert_eq!(ben_only[0].calendar_employee_id, ben);
            let carl_and_ben = calendar(c, &[carl, ben], from, to)?;
            assert_eq!(carl_and_ben[0].calendar_employee_id, ben.min(carl));
            assert!(calendar(c, &[], from, to)?.is_empty());
            let (from, to) = local_days(Berlin, day("2026-06-02"), day("2026-06-02"));
            assert!(calendar(c, &[anna, ben, carl], from, to)?.is_empty());
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }

    /// The calendars read `calendar_entries`, which triggers keep; each change of an activity
    /// shows at once, and an activity that began long before the range still shows in it.
    #[test]
    fn calendars_follow_moves_owners_participants_and_long_activities() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            let ben = employee(c, "Ben");
            let mut meeting = input(anna, "meeting", "2026-06-01 10:00", "2026-06-01 11:00");
            meeting.kind = ActivityKind::Meeting;
            meeting.participants = vec![ParticipantRef::Employee { id: ben }];
            let id = add(c, &meeting);
            let june = |d: &str| local_days(Berlin, day(d), day(d));
            let (from, to) = june("2026-06-01");
            assert_eq!(subjects(&calendar(c, &[ben], from, to)?), ["meeting"]);

            // Moved a day on: gone from the first, there on the second.
            meeting.starts_at = berlin("2026-06-02 10:00");
            meeting.ends_at = berlin("2026-06-02 11:00");
            update(c, id, &meeting, 0)?;
            assert!(calendar(c, &[anna, ben], from, to)?.is_empty());
            let (from2, to2) = june("2026-06-02");
            assert_eq!(calendar(c, &[anna], from2, to2)?.len(), 1);

            // Ben leaves the meeting, then owns it.
            meeting.participants.clear();
            update(c, id, &meeting, 0)?;
            assert!(calendar(c, &[ben], from2, to2)?.is_empty());
            meeting.owner_employee_id = ben;
            update(c, id, &meeting, 0)?;
            assert!(calendar(c, &[anna], from2, to2)?.is_empty());
            assert_eq!(
                calendar(c, &[ben], from2, to2)?[0].calendar_employee_id,
                ben
            );

            // A three-week trade fair that began in May shows on a June day.
            add(
                c,
                &input(anna, "fair", "2026-05-20 08:00", "2026-06-10 18:00"),
            );
            assert_eq!(subjects(&calendar(c, &[anna], from, to)?), ["fair"]);

            delete(c, id)?;
            assert!(calendar(c, &[ben], from2, to2)?.is_empty());
            let left: i64 = c.query_row(
                "SELECT count(*) AS n FROM calendar_entries WHERE activity_id = ?1",
                [id],
                |r| r.get("n"),
            )?;
            assert_eq!(left, 0);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }

    /// A contact or person needs no first name; their label is then the last name alone,
    /// the same wherever it shows (the activity's contact, a participant, a draft's lookup).
    #[test]
    fn a_name_without_first_name_is_labelled_without_a_leading_space() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            let vogel = contacts::insert(
                c,
                &ContactFields {
                    last_name: "Vogel".into(),
                    ..Default::default()
                },
            )?;
            let mut meeting = input(anna, "Termin", "2026-06-01 10:00", "2026-06-01 11:00");
            meeting.contact_id = Some(vogel);
            meeting.participants = vec![ParticipantRef::Contact { id: vogel }];
            let got = get(c, add(c, &meeting))?;
            assert_eq!(got.contact.unwrap().label, "Vogel");
            assert_eq!(got.participants[0].label, "Vogel");
            assert_eq!(got.owner.label, "Anna Test");
            let (_, contact, _) = describe_links(c, &meeting)?;
            assert_eq!(contact.unwrap().label, "Vogel");
            assert_eq!(
                describe_participants(c, &meeting.participants)?[0].label,
                "Vogel"
            );
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn search_participants_and_history() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            let lena = contacts::insert(
                c,
                &ContactFields {
                    first_name: "Lena".into(),
                    last_name: "Vogel".into(),
                    email: Some("lena@contoso.example".into()),
                    ..Default::default()
                },
            )?;
            let mut meeting = input(
                anna,
                "Angebotsbesprechung",
                "2026-06-01 10:00",
                "2026-06-01 11:00",
            );
            meeting.kind = ActivityKind::TeamsMeeting;
            meeting.participants = vec![
                ParticipantRef::Contact { id: lena },
                ParticipantRef::Email {
                    address: "guest@example.org".into(),
                },
            ];
            let id = add(c, &meeting);
            add(
                c,
                &input(anna, "Zahnarzt", "2026-06-02 10:00", "2026-06-02 11:00"),
            );

            let got = get(c, id)?;
            assert_eq!(got.participants.len(), 2);
            assert_eq!(got.participants[0].label, "Lena Vogel");
            assert_eq!(
                got.participants[0].email.as_deref(),
                Some("lena@contoso.example")
            );
            assert_eq!(got.participants[1].label, "guest@example.org");
            assert_eq!(got.owner.label, "Anna Test");

            assert_eq!(search(c, "angebot", 10)?.len(), 1);
            assert_eq!(search(c, "", 10)?.len(), 2);
            assert_eq!(search(c, "", 10)?[0].subject, "Zahnarzt", "newest first");

            // The contact's history shows the meeting it takes part in.
            let h = history_of_record(c, RecordKind::Contact, lena, 10)?;
            assert_eq!(h.len(), 1);
            assert_eq!(h[0].target.id, id);
            assert_eq!(
                history_of_record(c, RecordKind::Employee, anna, 10)?.len(),
                2
            );

            // Links show on both activities and open the other one.
            let other = add(
                c,
                &input(anna, "Rückruf", "2026-06-03 10:00", "2026-06-03 10:15"),
            );
            add_history(c, other, HistoryEvent::Linked, Some(id), "", 5)?;
            let mine = history_of_activity(c, id)?;
            assert!(mine
                .iter()
                .any(|h| h.event == HistoryEvent::Linked && h.target.id == other));
            let theirs = history_of_activity(c, other)?;
            assert!(theirs
                .iter()
                .any(|h| h.event == HistoryEvent::Linked && h.target.id == id));
            assert!(theirs.iter().any(|h| h.event == HistoryEvent::Created));

            delete(c, id)?;
            assert!(matches!(get(c, id), Err(StoreError::NotFound { .. })));
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }
}
