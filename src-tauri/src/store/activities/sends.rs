//! What sending a meeting request records (C4), its interruption and recovery, and the Graph
//! event of a sent or cancelled meeting (C5, C8).

use rusqlite::{params, Connection, OptionalExtension};

use crate::crm::model::RecordKind;
use crate::store::{Result, StoreError};

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
    if changed == 0 && !crate::store::sql::exists(conn, "activities", id)? {
        return Err(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        });
    }
    Ok(changed == 1)
}

/// Claims the send of activity `id`: `true` when this call set its start, `false` when a send
/// of it began already or is done. One writer at a time holds the file, so the first claim wins.
pub fn claim_send(conn: &Connection, id: i64, at: i64) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE activities SET send_started_at = ?2
          WHERE id = ?1 AND send_started_at IS NULL AND sent_at IS NULL",
        params![id, at],
    )?;
    if changed == 0 && !crate::store::sql::exists(conn, "activities", id)? {
        return Err(StoreError::NotFound {
            kind: RecordKind::Activity,
            id,
        });
    }
    Ok(changed == 1)
}

/// Takes over a send that began before `stale_before` and never ended, setting its start to
/// `at`: `true` when this call took it, `false` when it is done, younger or taken already.
pub fn claim_interrupted_send(
    conn: &Connection,
    id: i64,
    stale_before: i64,
    at: i64,
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE activities SET send_started_at = ?3
          WHERE id = ?1 AND send_started_at < ?2 AND sent_at IS NULL",
        params![id, stale_before, at],
    )?;
    if changed == 0 && !crate::store::sql::exists(conn, "activities", id)? {
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
