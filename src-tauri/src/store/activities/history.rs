//! History lines: an activity's own events and links, and the activities that make up the
//! history of a business partner, contact, employee or person.

use rusqlite::{params, Connection};

use super::{kind_from, time_from};
use crate::crm::activity::{activity_lookup, ActivityKind, HistoryEvent, HistoryItem};
use crate::crm::model::RecordKind;
use crate::store::sql::to_datetime;
use crate::store::{Result, StoreError};

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
        RecordKind::Communication => return crate::store::communications::history(conn, id, limit),
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{delete, get};
    use super::*;
    use crate::store::{Db, StoreError};

    #[test]
    fn histories_show_participants_activities_and_links_from_both_sides() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let Scene {
                anna,
                lena,
                meeting: id,
            } = scene(c);

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
