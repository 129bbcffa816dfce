//! The calendar range query: the entries of the opened calendars in a range of days (C1).

use chrono::{DateTime, Utc};
use rusqlite::{params_from_iter, Connection};

use super::{kind_from, time_from};
use crate::crm::activity::CalendarEntry;
use crate::store::Result;

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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{delete, update};
    use super::*;
    use crate::crm::activity::{ActivityKind, ParticipantRef};
    use crate::crm::calendar::local_days;
    use crate::store::{Db, StoreError};
    use chrono_tz::Europe::Berlin;

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
            update(
                c,
                id,
                crate::store::activities::get(c, id)?.stamp.version,
                &meeting,
                0,
            )?;
            assert!(calendar(c, &[anna, ben], from, to)?.is_empty());
            let (from2, to2) = june("2026-06-02");
            assert_eq!(calendar(c, &[anna], from2, to2)?.len(), 1);

            // Ben leaves the meeting, then owns it.
            meeting.participants.clear();
            update(
                c,
                id,
                crate::store::activities::get(c, id)?.stamp.version,
                &meeting,
                0,
            )?;
            assert!(calendar(c, &[ben], from2, to2)?.is_empty());
            meeting.owner_employee_id = ben;
            update(
                c,
                id,
                crate::store::activities::get(c, id)?.stamp.version,
                &meeting,
                0,
            )?;
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
}
