//! Reminders (D1): which activities are due to remind their employee, and the notification centre's
//! list. A reminder is recorded once per activity and start, so it is never shown twice.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use super::Result;
use crate::crm::activity::ActivityKind;
use crate::crm::calendar::MAX_REMINDER_MINUTES;

/// The longest reminder lead time, which bounds the scan.
const MAX_LEAD_SECONDS: i64 = MAX_REMINDER_MINUTES * 60;

/// One entry of the notification centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reminder {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub activity_id: i64,
    pub subject: String,
    pub kind: ActivityKind,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    /// Set for a sent Teams meeting: "An Besprechung teilnehmen" joins it.
    pub join_url: Option<String>,
}

/// A reminder this desktop has shown: of which activity, for which start (Unix seconds). What
/// it says comes from the activity, wherever the workspace keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub id: i64,
    pub activity_id: i64,
    pub starts_at: i64,
}

fn shown_from_row(r: &Row<'_>) -> rusqlite::Result<Shown> {
    Ok(Shown {
        id: r.get("id")?,
        activity_id: r.get("activity_id")?,
        starts_at: r.get("starts_at")?,
    })
}

/// Records the reminders of `employee_id` that are due at `now` (the lead time has begun, the
/// start has not passed) and were not recorded before; returns the new ones.
pub fn record_due(conn: &Connection, employee_id: i64, now: i64) -> Result<Vec<Shown>> {
    let candidates = due(conn, employee_id, now)?;
    record_shown(conn, &candidates, now)
}

/// Records the reminders of `candidates` (activity id, start) as shown at `now`, each activity
/// and start once; returns those not recorded before, the soonest first.
pub fn record_shown(conn: &Connection, candidates: &[(i64, i64)], now: i64) -> Result<Vec<Shown>> {
    // RETURNING names exactly the rows this call inserted: a reminder recorded by another caller
    // in the same second is that caller's to deliver.
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO reminders (activity_id, starts_at, shown_at) VALUES (?1, ?2, ?3)
         RETURNING id, activity_id, starts_at",
    )?;
    let mut shown = Vec::new();
    for (activity_id, starts_at) in candidates {
        if let Some(s) = insert
            .query_row(params![activity_id, starts_at, now], shown_from_row)
            .optional()?
        {
            shown.push(s);
        }
    }
    shown.sort_by_key(|r| (r.starts_at, r.id));
    Ok(shown)
}

/// The activities of `employee_id` due to remind at `now`, as `record_due` finds them, without
/// recording them: (activity id, start), the soonest first.
pub fn due(conn: &Connection, employee_id: i64, now: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT a.id AS id, a.starts_at AS starts_at
           FROM calendar_entries e JOIN activities a ON a.id = e.activity_id
          WHERE e.employee_id = ?1 AND e.starts_at > ?2 AND e.starts_at <= ?2 + ?3
            AND a.starts_at - a.reminder_minutes * 60 <= ?2
            AND a.kind IN ('appointment', 'meeting', 'teams_meeting', 'visit')
            AND a.status <> 'cancelled'
          ORDER BY a.starts_at, a.id",
    )?;
    let rows = stmt.query_map(params![employee_id, now, MAX_LEAD_SECONDS], |r| {
        Ok((r.get("id")?, r.get("starts_at")?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The notification centre: reminders shown and not dismissed, the soonest first.
pub fn open(conn: &Connection) -> Result<Vec<Shown>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, activity_id, starts_at FROM reminders
          WHERE dismissed_at IS NULL ORDER BY starts_at, id LIMIT 100",
    )?;
    let rows = stmt.query_map([], shown_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn dismiss(conn: &Connection, id: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE reminders SET dismissed_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::{ActivityInput, ActivityStatus, ParticipantRef};
    use crate::crm::model::EmployeeFields;
    use crate::store::sql::to_datetime;
    use crate::store::{activities, employees, Db};

    fn employee(c: &Connection, name: &str) -> i64 {
        employees::insert(
            c,
            &EmployeeFields {
                first_name: name.into(),
                last_name: "T".into(),
                color: "#000000".into(),
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn activity(
        c: &Connection,
        owner: i64,
        kind: ActivityKind,
        start: i64,
        lead_minutes: i64,
        participants: Vec<ParticipantRef>,
    ) -> i64 {
        let input = ActivityInput {
            kind,
            subject: format!("{kind:?} at {start}"),
            starts_at: to_datetime(start).unwrap(),
            ends_at: to_datetime(start + 3600).unwrap(),
            time_zone: "Europe/Berlin".into(),
            memo: String::new(),
            mail_text: String::new(),
            status: ActivityStatus::Open,
            owner_employee_id: owner,
            business_partner_id: None,
            contact_id: None,
            person_id: None,
            participants,
            reminder_minutes: lead_minutes,
        };
        activities::insert(c, &input, &uuid::Uuid::new_v4().to_string(), 0).unwrap()
    }

    #[test]
    fn due_reminders_are_recorded_once_and_a_moved_meeting_reminds_again() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            let ben = employee(c, "Ben");
            let now = 1_800_000_000;
            let soon = activity(c, anna, ActivityKind::TeamsMeeting, now + 600, 15, vec![]);
            activity(c, anna, ActivityKind::Meeting, now + 3600, 15, vec![]); // not yet due
            activity(c, anna, ActivityKind::Call, now + 300, 15, vec![]); // calls do not remind
            activity(c, anna, ActivityKind::Appointment, now - 60, 15, vec![]); // begun already
            let bens = activity(
                c,
                ben,
                ActivityKind::Meeting,
                now + 300,
                10,
                vec![ParticipantRef::Employee { id: anna }],
            );

            let due = record_due(c, anna, now)?;
            let ids: Vec<i64> = due.iter().map(|r| r.activity_id).collect();
            assert_eq!(ids, vec![bens, soon], "as participant too, soonest first");
            assert!(
                record_due(c, anna, now + 60)?.is_empty(),
                "never shown twice"
            );
            assert_eq!(open(c)?.len(), 2);

            // Moved to later: reminds again when its new lead time begins.
            c.execute(
                "UPDATE activities SET starts_at = ?2, ends_at = ?2 + 3600 WHERE id = ?1",
                params![soon, now + 7200],
            )?;
            assert!(record_due(c, anna, now + 120)?.is_empty());
            let again = record_due(c, anna, now + 7200 - 600)?;
            assert_eq!(again.len(), 1);
            assert_eq!(again[0].activity_id, soon);

            dismiss(c, again[0].id, now)?;
            assert!(open(c)?.iter().all(|r| r.id != again[0].id));
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }
}
