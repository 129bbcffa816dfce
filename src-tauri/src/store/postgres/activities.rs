//! Activities in the team database: the same answers as store::activities gives on SQLite, in
//! PostgreSQL's words. The calendar reads the index `calendar_entries` that triggers keep; the
//! send of a meeting is claimed by one conditional UPDATE, which the row lock makes exclusive
//! across desktops.

use chrono::{DateTime, Utc};
use postgres::types::ToSql;
use postgres::Row;

use super::records::{corrupt, found, not_found, without_nul, PgShared};
use crate::crm::activity::{
    activity_lookup, Activity, ActivityInput, ActivityKind, ActivityStatus, CalendarEntry,
    HistoryEvent, HistoryItem, Participant, ParticipantRef,
};
use crate::crm::calendar::MAX_REMINDER_MINUTES;
use crate::crm::model::{Lookup, RecordKind};
use crate::crm::wall_clock::wall_clock_of;
use crate::store::activities::SELECT;
use crate::store::interface::{Activities, Links, Records};
use crate::store::sql::{contains_pattern, display_name, table_of, to_datetime};
use crate::store::Result;

fn kind_from(r: &Row, column: &str) -> Result<ActivityKind> {
    let s: String = r.try_get(column)?;
    ActivityKind::parse(&s).ok_or_else(|| corrupt("activity kind", &s))
}

fn time_from(r: &Row, column: &str) -> Result<DateTime<Utc>> {
    to_datetime(r.try_get(column)?)
}

fn lookup_from(r: &Row, prefix: &str, kind: RecordKind) -> Result<Option<Lookup>> {
    let id: Option<i64> = r.try_get(format!("{prefix}_id").as_str())?;
    let label: Option<String> = r.try_get(format!("{prefix}_label").as_str())?;
    Ok(id.zip(label).map(|(id, label)| Lookup { kind, id, label }))
}

fn from_row(r: &Row) -> Result<Activity> {
    let status: String = r.try_get("status")?;
    let sent_at: Option<i64> = r.try_get("sent_at")?;
    let (starts_at, ends_at) = (time_from(r, "starts_at")?, time_from(r, "ends_at")?);
    let time_zone: String = r.try_get("time_zone")?;
    Ok(Activity {
        id: r.try_get("id")?,
        uid: r.try_get("uid")?,
        kind: kind_from(r, "kind")?,
        subject: r.try_get("subject")?,
        starts_at,
        ends_at,
        wall_clock: wall_clock_of(starts_at, ends_at, &time_zone),
        time_zone,
        memo: r.try_get("memo")?,
        mail_text: r.try_get("mail_text")?,
        status: ActivityStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        owner: Lookup {
            kind: RecordKind::Employee,
            id: r.try_get("owner_id")?,
            label: r.try_get("owner_label")?,
        },
        business_partner: lookup_from(r, "business_partner", RecordKind::BusinessPartner)?,
        contact: lookup_from(r, "contact", RecordKind::Contact)?,
        person: lookup_from(r, "person", RecordKind::Person)?,
        participants: Vec::new(),
        reminder_minutes: r.try_get("reminder_minutes")?,
        sent_at: sent_at.and_then(|s| DateTime::from_timestamp(s, 0)),
        join_url: r.try_get("join_url")?,
        send_pending: r.try_get("send_pending")?,
        stamp: crate::crm::model::Stamp {
            version: r.try_get("version")?,
            changed_by: r.try_get("changed_by")?,
            changed_at: r.try_get("changed_at")?,
        },
    })
}

fn participant_from_row(r: &Row) -> Result<Participant> {
    let participant = if let Some(id) = r.try_get("employee_id")? {
        ParticipantRef::Employee { id }
    } else if let Some(id) = r.try_get("contact_id")? {
        ParticipantRef::Contact { id }
    } else if let Some(id) = r.try_get("person_id")? {
        ParticipantRef::Person { id }
    } else {
        ParticipantRef::Email {
            address: r.try_get("address")?,
        }
    };
    Ok(Participant {
        participant,
        label: r.try_get("label")?,
        email: r.try_get("email")?,
    })
}

fn activity_history_from_row(r: &Row) -> Result<HistoryItem> {
    let subject: String = r.try_get("subject")?;
    Ok(HistoryItem {
        event: HistoryEvent::Activity,
        target: activity_lookup(r.try_get("id")?, &subject),
        activity_kind: Some(kind_from(r, "kind")?),
        occurred_at: time_from(r, "starts_at")?,
        detail: r.try_get("status")?,
        by: None,
        changes: Vec::new(),
    })
}

impl PgShared<'_, '_> {
    fn participants(&mut self, activity_id: i64) -> Result<Vec<Participant>> {
        let sql = concat!(
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
             WHERE p.activity_id = $1 ORDER BY p.id"
        );
        self.0
            .query(sql, &[&activity_id])?
            .iter()
            .map(participant_from_row)
            .collect()
    }

    fn replace_participants(&mut self, id: i64, list: &[ParticipantRef]) -> Result<()> {
        self.0.execute(
            "DELETE FROM activity_participants WHERE activity_id = $1",
            &[&id],
        )?;
        let stmt = self.0.prepare(
            "INSERT INTO activity_participants (activity_id, employee_id, contact_id, person_id,
                 email)
             VALUES ($1, $2, $3, $4, $5)",
        )?;
        for p in list {
            let (employee, contact, person, email) = match p {
                ParticipantRef::Employee { id } => (Some(*id), None, None, None),
                ParticipantRef::Contact { id } => (None, Some(*id), None, None),
                ParticipantRef::Person { id } => (None, None, Some(*id), None),
                ParticipantRef::Email { address } => (None, None, None, Some(address.trim())),
            };
            self.0
                .execute(&stmt, &[&id, &employee, &contact, &person, &email])?;
        }
        Ok(())
    }

    /// `Ok(changed == 1)`, or `NotFound` when nothing changed because there is no such activity.
    fn changed_or_missing(&mut self, changed: u64, id: i64) -> Result<bool> {
        if changed == 0 {
            let exists: bool = self
                .0
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM activities WHERE id = $1) AS found",
                    &[&id],
                )?
                .try_get("found")?;
            if !exists {
                return Err(not_found(RecordKind::Activity, id));
            }
        }
        Ok(changed == 1)
    }
}

/// The edited fields of an activity as the parameters $1 to $13 of `INSERT` and `UPDATE`.
struct Fields<'a> {
    kind: &'static str,
    subject: &'a str,
    starts_at: i64,
    ends_at: i64,
    status: &'static str,
    input: &'a ActivityInput,
}

impl<'a> Fields<'a> {
    fn of(input: &'a ActivityInput) -> Self {
        Fields {
            kind: input.kind.as_str(),
            subject: input.subject.trim(),
            starts_at: input.starts_at.timestamp(),
            ends_at: input.ends_at.timestamp(),
            status: input.status.as_str(),
            input,
        }
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        let i = self.input;
        vec![
            &self.kind,
            &self.subject,
            &self.starts_at,
            &self.ends_at,
            &i.time_zone,
            &i.memo,
            &i.mail_text,
            &self.status,
            &i.owner_employee_id,
            &i.business_partner_id,
            &i.contact_id,
            &i.person_id,
            &i.reminder_minutes,
        ]
    }
}

impl Activities for PgShared<'_, '_> {
    fn activity(&mut self, id: i64) -> Result<Activity> {
        let row = self
            .0
            .query_opt(&format!("{SELECT} WHERE a.id = $1"), &[&id])?
            .ok_or_else(|| not_found(RecordKind::Activity, id))?;
        let mut activity = from_row(&row)?;
        activity.participants = self.participants(id)?;
        Ok(activity)
    }

    fn insert_activity(&mut self, input: &ActivityInput, uid: &str, now: i64) -> Result<i64> {
        let fields = Fields::of(input);
        let mut params = fields.params();
        params.extend([&uid as &(dyn ToSql + Sync), &now]);
        let id: i64 = self
            .0
            .query_one(
                "INSERT INTO activities (kind, subject, starts_at, ends_at, time_zone, memo,
                    mail_text, status, owner_employee_id, business_partner_id, contact_id,
                    person_id, reminder_minutes, uid, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
                 RETURNING id",
                &params,
            )?
            .try_get("id")?;
        self.replace_participants(id, &input.participants)?;
        self.add_history(id, HistoryEvent::Created, None, "", now)?;
        Ok(id)
    }

    fn update_activity(
        &mut self,
        id: i64,
        version: i64,
        input: &ActivityInput,
        now: i64,
    ) -> Result<()> {
        let fields = Fields::of(input);
        let mut params = fields.params();
        params.extend([&now as &(dyn ToSql + Sync), &id, &version]);
        let changed = self.0.execute(
            "UPDATE activities SET kind = $1, subject = $2, starts_at = $3, ends_at = $4,
                time_zone = $5, memo = $6, mail_text = $7, status = $8, owner_employee_id = $9,
                business_partner_id = $10, contact_id = $11, person_id = $12,
                reminder_minutes = $13, updated_at = $14,
                version = version + 1, changed_by = current_user
             WHERE id = $15 AND version = $16",
            &params,
        )?;
        if changed == 0 {
            return super::records::refused_update(
                self.0,
                "activities",
                "updated_at",
                RecordKind::Activity,
                id,
            );
        }
        self.replace_participants(id, &input.participants)
    }

    fn delete_activity(&mut self, id: i64) -> Result<()> {
        let changed = self
            .0
            .execute("DELETE FROM activities WHERE id = $1", &[&id])?;
        found(changed, RecordKind::Activity, id)
    }

    fn search_activities(&mut self, query: &str, limit: u32) -> Result<Vec<Activity>> {
        let sql = format!(
            "{SELECT} WHERE a.subject ILIKE $1 OR b.name ILIKE $1 OR {} ILIKE $1
             ORDER BY a.starts_at DESC, a.id DESC LIMIT $2",
            display_name!("c")
        );
        self.0
            .query(
                &sql,
                &[&contains_pattern(&without_nul(query)), &i64::from(limit)],
            )?
            .iter()
            .map(from_row)
            .collect()
    }

    fn count_activities(&mut self) -> Result<i64> {
        Ok(self
            .0
            .query_one("SELECT count(*) AS n FROM activities", &[])?
            .try_get("n")?)
    }

    fn set_reminder_minutes(&mut self, id: i64, minutes: i64, now: i64) -> Result<()> {
        let changed = self.0.execute(
            "UPDATE activities SET reminder_minutes = $2, updated_at = $3,
                version = version + 1, changed_by = current_user
             WHERE id = $1",
            &[&id, &minutes, &now],
        )?;
        found(changed, RecordKind::Activity, id)
    }

    fn describe_links(&mut self, input: &ActivityInput) -> Result<Links> {
        let mut one = |kind: RecordKind, sql: &str, id: Option<i64>| -> Result<Option<Lookup>> {
            let Some(id) = id else { return Ok(None) };
            match self.0.query_opt(sql, &[&id])? {
                Some(r) => Ok(Some(Lookup {
                    kind,
                    id,
                    label: r.try_get("label")?,
                })),
                None => Ok(None),
            }
        };
        Ok((
            one(
                RecordKind::BusinessPartner,
                "SELECT name AS label FROM business_partners WHERE id = $1",
                input.business_partner_id,
            )?,
            one(
                RecordKind::Contact,
                concat!(
                    "SELECT ",
                    display_name!("t"),
                    " AS label FROM contacts t WHERE id = $1"
                ),
                input.contact_id,
            )?,
            one(
                RecordKind::Person,
                concat!(
                    "SELECT ",
                    display_name!("t"),
                    " AS label FROM persons t WHERE id = $1"
                ),
                input.person_id,
            )?,
        ))
    }

    fn describe_participants(&mut self, refs: &[ParticipantRef]) -> Result<Vec<Participant>> {
        refs.iter()
            .map(|p| {
                let (table, kind, id) = match p {
                    ParticipantRef::Employee { id } => ("employees", RecordKind::Employee, *id),
                    ParticipantRef::Contact { id } => ("contacts", RecordKind::Contact, *id),
                    ParticipantRef::Person { id } => ("persons", RecordKind::Person, *id),
                    ParticipantRef::Email { address } => {
                        return Ok(Participant {
                            participant: p.clone(),
                            label: address.clone(),
                            email: Some(address.clone()),
                        })
                    }
                };
                // `table` is one of the three above, never input.
                let row = self
                    .0
                    .query_opt(
                        &format!(
                            "SELECT {} AS label, t.email AS email FROM {table} t WHERE t.id = $1",
                            display_name!("t")
                        ),
                        &[&id],
                    )?
                    .ok_or_else(|| not_found(kind, id))?;
                Ok(Participant {
                    participant: p.clone(),
                    label: row.try_get("label")?,
                    email: row.try_get("email")?,
                })
            })
            .collect()
    }

    fn add_history(
        &mut self,
        activity_id: i64,
        event: HistoryEvent,
        linked_activity_id: Option<i64>,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        self.0.execute(
            "INSERT INTO history (activity_id, event, linked_activity_id, detail, occurred_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &activity_id,
                &event.as_str(),
                &linked_activity_id,
                &detail,
                &now,
            ],
        )?;
        Ok(())
    }

    fn history_of_activity(&mut self, id: i64) -> Result<Vec<HistoryItem>> {
        // The subject and kind of the other side come with the line, in one query.
        let rows = self.0.query(
            "SELECT h.event AS event, h.occurred_at AS occurred_at, h.detail AS detail,
                    t.id AS target, t.subject AS subject, t.kind AS kind
             FROM history h
             JOIN activities t ON t.id = CASE WHEN h.activity_id = $1
                                              THEN coalesce(h.linked_activity_id, h.activity_id)
                                              ELSE h.activity_id END
             WHERE h.activity_id = $1 OR h.linked_activity_id = $1
             ORDER BY h.occurred_at DESC, h.id DESC",
            &[&id],
        )?;
        rows.iter()
            .map(|r| {
                let event: String = r.try_get("event")?;
                let kind: String = r.try_get("kind")?;
                let subject: String = r.try_get("subject")?;
                Ok(HistoryItem {
                    event: HistoryEvent::parse(&event)
                        .ok_or_else(|| corrupt("history event", &event))?,
                    occurred_at: to_datetime(r.try_get("occurred_at")?)?,
                    target: activity_lookup(r.try_get("target")?, &subject),
                    activity_kind: ActivityKind::parse(&kind),
                    detail: r.try_get("detail")?,
                    by: None,
                    changes: Vec::new(),
                })
            })
            .collect()
    }

    fn history_of_record(
        &mut self,
        kind: RecordKind,
        id: i64,
        limit: u32,
    ) -> Result<Vec<HistoryItem>> {
        let source = match kind {
            RecordKind::BusinessPartner => {
                "activities a WHERE a.business_partner_id = $1 ORDER BY a.starts_at DESC, a.id DESC"
            }
            // The record's few activities first (each through its index), then their order:
            // with `contact_id = $1 OR id IN (...)` the planner walked all activities backwards
            // by start until it had enough, a second at 100k activities for a contact with few.
            RecordKind::Contact => {
                "(SELECT id FROM activities WHERE contact_id = $1
                   UNION SELECT activity_id FROM activity_participants WHERE contact_id = $1) r
                  JOIN activities a ON a.id = r.id
                  ORDER BY a.starts_at DESC, a.id DESC"
            }
            RecordKind::Person => {
                "(SELECT id FROM activities WHERE person_id = $1
                   UNION SELECT activity_id FROM activity_participants WHERE person_id = $1) r
                  JOIN activities a ON a.id = r.id
                  ORDER BY a.starts_at DESC, a.id DESC"
            }
            // Along the calendar index, newest first; an activity the employee owns and
            // attends counts once (its owner entry).
            RecordKind::Employee => {
                "calendar_entries e JOIN activities a ON a.id = e.activity_id
                  WHERE e.employee_id = $1
                    AND (e.owner OR NOT EXISTS (SELECT 1 FROM calendar_entries o
                          WHERE o.activity_id = e.activity_id AND o.employee_id = $1 AND o.owner))
                  ORDER BY e.starts_at DESC, e.activity_id DESC"
            }
            RecordKind::Activity => return self.history_of_activity(id),
            RecordKind::Communication => return self.communication_history(id, limit),
            RecordKind::MailConfiguration => return Ok(Vec::new()),
        };
        let sql = format!(
            "SELECT a.id AS id, a.subject AS subject, a.kind AS kind, a.starts_at AS starts_at,
                    a.status AS status FROM {source} LIMIT $2"
        );
        self.0
            .query(&sql, &[&id, &i64::from(limit)])?
            .iter()
            .map(activity_history_from_row)
            .collect()
    }

    fn calendar(
        &mut self,
        employee_ids: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CalendarEntry>> {
        if employee_ids.is_empty() {
            return Ok(Vec::new());
        }
        // As on SQLite: the index range of each opened calendar, bounded below by the longest
        // activity's length (indexed, `activities_duration`), one row per activity.
        let rows = self.0.query(
            "WITH shown AS (
                 SELECT e.activity_id AS id,
                        coalesce(max(CASE WHEN e.owner THEN e.employee_id END),
                                 min(e.employee_id)) AS calendar
                   FROM calendar_entries e
                  WHERE e.employee_id = ANY($3) AND e.starts_at < $1 AND e.ends_at > $2
                    AND e.starts_at >= $2 - (SELECT coalesce(max(ends_at - starts_at), 0)
                                               FROM activities)
                  GROUP BY e.activity_id
             )
             SELECT a.id AS id, a.kind AS kind, a.subject AS subject, a.starts_at AS starts_at,
                    a.ends_at AS ends_at, shown.calendar AS calendar,
                    a.sent_at IS NOT NULL AS sent
             FROM shown JOIN activities a ON a.id = shown.id
             ORDER BY a.starts_at, a.id",
            &[&to.timestamp(), &from.timestamp(), &employee_ids],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CalendarEntry {
                    id: r.try_get("id")?,
                    kind: kind_from(r, "kind")?,
                    subject: r.try_get("subject")?,
                    starts_at: time_from(r, "starts_at")?,
                    ends_at: time_from(r, "ends_at")?,
                    calendar_employee_id: r.try_get("calendar")?,
                    sent: r.try_get("sent")?,
                })
            })
            .collect()
    }

    fn mark_sent(
        &mut self,
        id: i64,
        sent_at: i64,
        join_url: Option<&str>,
        graph_event_id: &str,
    ) -> Result<bool> {
        let changed = self.0.execute(
            "UPDATE activities SET sent_at = $2, join_url = $3::TEXT, graph_event_id = $4,
                send_started_at = NULL, send_claimed_by = NULL,
                memo = CASE WHEN $3::TEXT IS NULL THEN memo
                            WHEN memo = '' THEN $3::TEXT
                            ELSE memo || chr(10) || chr(10) || $3::TEXT END,
                updated_at = $2, version = version + 1, changed_by = current_user
             WHERE id = $1 AND sent_at IS NULL",
            &[&id, &sent_at, &join_url, &graph_event_id],
        )?;
        self.changed_or_missing(changed, id)
    }

    /// A conditional UPDATE: a second desktop's claim waits on the first one's row lock and,
    /// once that commits, finds `send_started_at` set and changes nothing.
    fn claim_send(&mut self, id: i64, at: i64) -> Result<bool> {
        let changed = self.0.execute(
            "UPDATE activities SET send_started_at = $2, send_claimed_by = current_user
              WHERE id = $1 AND send_started_at IS NULL AND sent_at IS NULL",
            &[&id, &at],
        )?;
        self.changed_or_missing(changed, id)
    }

    /// As `claim_send`: the row lock lets one desktop move the start on; the others then find
    /// it younger than their `stale_before` and change nothing.
    fn claim_interrupted_send(&mut self, id: i64, stale_before: i64, at: i64) -> Result<bool> {
        let changed = self.0.execute(
            "UPDATE activities SET send_started_at = $3, send_claimed_by = current_user
              WHERE id = $1 AND send_started_at < $2 AND sent_at IS NULL",
            &[&id, &stale_before, &at],
        )?;
        self.changed_or_missing(changed, id)
    }

    fn set_send_started(&mut self, id: i64, at: Option<i64>) -> Result<()> {
        self.0.execute(
            "UPDATE activities SET send_started_at = $2,
                send_claimed_by = CASE WHEN $2::BIGINT IS NULL THEN NULL ELSE current_user END
              WHERE id = $1 AND sent_at IS NULL",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn set_graph_event_id(&mut self, id: i64, graph_event_id: &str) -> Result<()> {
        self.0.execute(
            "UPDATE activities SET graph_event_id = $2 WHERE id = $1 AND sent_at IS NULL",
            &[&id, &graph_event_id],
        )?;
        Ok(())
    }

    fn interrupted_sends(&mut self) -> Result<Vec<i64>> {
        self.0
            .query(
                "SELECT id FROM activities
                  WHERE send_started_at IS NOT NULL AND sent_at IS NULL ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| Ok(r.try_get("id")?))
            .collect()
    }

    fn graph_event_id(&mut self, id: i64) -> Result<Option<String>> {
        let row = self
            .0
            .query_opt(
                "SELECT graph_event_id FROM activities WHERE id = $1",
                &[&id],
            )?
            .ok_or_else(|| not_found(RecordKind::Activity, id))?;
        Ok(row.try_get("graph_event_id")?)
    }

    fn mark_cancelled(&mut self, id: i64, now: i64) -> Result<()> {
        self.0.execute(
            "UPDATE activities SET status = 'cancelled', updated_at = $2,
                version = version + 1, changed_by = current_user
              WHERE id = $1",
            &[&id, &now],
        )?;
        Ok(())
    }

    fn next_teams_meeting_of_contact(&mut self, contact_id: i64, now: i64) -> Result<Option<i64>> {
        let row = self.0.query_opt(
            "SELECT a.id AS id FROM activities a
              WHERE a.kind = 'teams_meeting' AND a.sent_at IS NOT NULL AND a.join_url IS NOT NULL
                AND a.status <> 'cancelled' AND a.ends_at > $2
                AND (a.contact_id = $1 OR a.id IN (SELECT activity_id FROM activity_participants
                                                    WHERE contact_id = $1))
              ORDER BY a.starts_at LIMIT 1",
            &[&contact_id, &now],
        )?;
        Ok(match row {
            Some(r) => Some(r.try_get("id")?),
            None => None,
        })
    }

    fn record_exists(&mut self, kind: RecordKind, id: i64) -> Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE id = $1) AS found",
            table_of(kind)
        );
        Ok(self.0.query_one(sql.as_str(), &[&id])?.try_get("found")?)
    }

    fn reminders_due(&mut self, employee_id: i64, now: i64) -> Result<Vec<(i64, i64)>> {
        self.0
            .query(
                "SELECT DISTINCT a.id AS id, a.starts_at AS starts_at
                   FROM calendar_entries e JOIN activities a ON a.id = e.activity_id
                  WHERE e.employee_id = $1 AND e.starts_at > $2 AND e.starts_at <= $2 + $3
                    AND a.starts_at - a.reminder_minutes * 60 <= $2
                    AND a.kind IN ('appointment', 'meeting', 'teams_meeting', 'visit')
                    AND a.status <> 'cancelled'
                  ORDER BY a.starts_at, a.id",
                &[&employee_id, &now, &(MAX_REMINDER_MINUTES * 60)],
            )?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("starts_at")?)))
            .collect()
    }
}
