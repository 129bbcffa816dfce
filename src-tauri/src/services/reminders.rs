//! The notification centre (D1): its list, dismissing an entry, and changing when an activity
//! reminds.

use super::Workspace;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use super::availability::join_offered_in;
use super::Result;
use crate::crm::activity::ActivityKind;
use crate::crm::calendar::check_reminder_minutes;
use crate::crm::settings::Language;
use crate::crm::validation::FieldErrors;
use crate::crm::wall_clock::short_local;
use crate::reminders::{describe, Reminder, Reminders};
use crate::store::interface::{read, write};
use crate::store::{reminders, StoreError};

/// One entry of the notification centre, with its start as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Notification {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub activity_id: i64,
    pub subject: String,
    pub kind: ActivityKind,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    /// The start in the user's zone and language ("25.10.2026, 02:30"): the webview's zone is
    /// not the user's (C9).
    pub starts_local: String,
    /// Set where "An Besprechung teilnehmen" is offered: a sent Teams meeting, with Teams
    /// available (C7).
    pub join_url: Option<String>,
}

/// The reminders shown and not dismissed, after delivering those due at `now` (also outside the
/// window: the background scan may not have come to them yet), for a user in `zone` whose OS
/// speaks `os_language`. A reminder carries its join link only where "An Besprechung
/// teilnehmen" is offered (C7: not without Teams).
pub fn notifications(
    workspace: &Workspace,
    due: &Reminders,
    zone: Tz,
    os_language: Language,
    now: DateTime<Utc>,
) -> Result<Vec<Notification>> {
    due.deliver_due(now.timestamp())?;
    // Which reminders were shown is this desktop's own; the language and whether Teams is
    // available are the team's.
    let open = workspace.store().with(|c| reminders::open(c))?;
    Ok(read(workspace.shared(), |c| {
        let language = c.system_settings()?.language.unwrap_or(os_language);
        describe(c, open)?
            .into_iter()
            .map(|r: Reminder| {
                let join = r.join_url.is_some() && join_offered_in(c, r.activity_id)?;
                Ok(Notification {
                    starts_local: short_local(r.starts_at, zone, language),
                    id: r.id,
                    activity_id: r.activity_id,
                    subject: r.subject,
                    kind: r.kind,
                    starts_at: r.starts_at,
                    join_url: r.join_url.filter(|_| join),
                })
            })
            .collect::<std::result::Result<Vec<_>, StoreError>>()
    })?)
}

/// Dismisses entry `id` of the notification centre at `now`.
pub fn dismiss(workspace: &Workspace, id: i64, now: DateTime<Utc>) -> Result<()> {
    let db = workspace.store();
    Ok(db.with(|c| reminders::dismiss(c, id, now.timestamp()))?)
}

/// D1: changes when activity `id` reminds, `minutes` before its start (none with 0, at most a
/// week), also after its meeting request was sent; a lead time out of range changes nothing.
pub fn set_minutes(workspace: &Workspace, id: i64, minutes: i64, now: DateTime<Utc>) -> Result<()> {
    let mut fields = FieldErrors::default();
    check_reminder_minutes(&mut fields, minutes);
    fields.into_result(())?;
    write(workspace.shared(), |s| {
        Ok(s.set_reminder_minutes(id, minutes, now.timestamp())?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::calendar::{draft, CalendarSlot};
    use crate::crm::validation::FieldErrors;
    use crate::services::records::ensure_own_employee;
    use crate::services::CrmError;
    use crate::store::{activities, settings, Db};
    use chrono_tz::{America::New_York, Europe::Berlin};
    use std::sync::Arc;

    /// The own employee with one sent Teams meeting that starts in ten minutes and reminds 15
    /// minutes before; the workspace has no Teams (the integration is off).
    fn workspace(now: DateTime<Utc>) -> (Workspace, i64) {
        let db = Workspace::new(Arc::new(Db::open_in_memory().unwrap()));
        let me = db
            .store()
            .transaction(|tx| ensure_own_employee(tx, "me"))
            .unwrap();
        let start = now + chrono::Duration::minutes(10);
        let mut input = draft(
            ActivityKind::TeamsMeeting,
            &CalendarSlot::Time { start },
            Berlin,
            me,
            &[me],
        );
        input.subject = "Angebotsbesprechung".into();
        input.reminder_minutes = 15;
        let id = crate::services::activities::create(&db, &input).unwrap().id;
        db.store()
            .with(|c| {
                activities::mark_sent(
                    c,
                    id,
                    now.timestamp(),
                    Some("https://teams.microsoft.com/l/meetup-join/x"),
                    "event",
                )
            })
            .unwrap();
        (db, id)
    }

    /// D1: the centre words the start in the user's zone and language (the setting's, else the
    /// OS's), and leaves out the join where Teams is not available (C7).
    #[test]
    fn an_entry_says_its_start_as_the_user_reads_it_and_joins_only_with_teams() {
        let now: DateTime<Utc> = "2026-12-01T08:55:00Z".parse().unwrap();
        let (db, id) = workspace(now);
        let due = Reminders::without_notifications(db.store().clone());
        let list = notifications(&db, &due, New_York, Language::En, now).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].activity_id, id);
        assert_eq!(list[0].starts_local, "1 Dec 2026, 04:05");
        assert_eq!(list[0].join_url, None, "no Teams, no join");

        db.store()
            .with(|c| settings::set_language(c, Some(Language::De)))
            .unwrap();
        let list = notifications(&db, &due, Berlin, Language::En, now).unwrap();
        assert_eq!(
            list[0].starts_local, "01.12.2026, 10:05",
            "the setting's language"
        );

        // With Teams on and the mailbox configured, the join is offered.
        db.store()
            .with(|c| {
                use crate::crm::mail_configuration::{tests::input, validate};
                settings::set_flag(
                    c,
                    crate::crm::settings::SystemSetting::TeamsIntegrationEnabled,
                    true,
                )?;
                let mc =
                    crate::store::mail_configurations::insert(c, &validate(&input()).unwrap(), 0)?;
                crate::store::employees::assign_mail_configuration_to_all(c, mc)
            })
            .unwrap();
        let list = notifications(&db, &due, Berlin, Language::En, now).unwrap();
        assert_eq!(
            list[0].join_url.as_deref(),
            Some("https://teams.microsoft.com/l/meetup-join/x")
        );

        dismiss(&db, list[0].id, now).unwrap();
        assert!(notifications(&db, &due, Berlin, Language::En, now)
            .unwrap()
            .is_empty());
    }

    /// D1: a lead time out of range is refused and changes nothing.
    #[test]
    fn a_reminder_beyond_a_week_is_refused_and_changes_nothing() {
        let now: DateTime<Utc> = "2026-12-01T08:55:00Z".parse().unwrap();
        let (db, id) = workspace(now);
        set_minutes(&db, id, 60, now).unwrap();
        match set_minutes(&db, id, crate::crm::calendar::MAX_REMINDER_MINUTES + 1, now) {
            Err(CrmError::Invalid(FieldErrors(e))) => assert_eq!(e[0].code, "out_of_range"),
            other => panic!("{other:?}"),
        }
        let a = db.store().with(|c| activities::get(c, id)).unwrap();
        assert_eq!(a.reminder_minutes, 60);
    }

    /// D1 on a team workspace: the meeting in the team database reminds the employee the login
    /// names; this desktop records that it showed it, once; a dismissed one and one deleted on
    /// another desktop are not listed.
    #[test]
    fn a_team_meeting_reminds_once_from_the_team_database() {
        use crate::crm::model::EmployeeFields;
        use crate::services::records::employee;
        use crate::store::postgres::{schema, test_server, PgEngine};

        let now: DateTime<Utc> = "2026-12-01T08:55:00Z".parse().unwrap();
        let team = test_server::shared().fresh_database();
        let mut admin = team.superuser();
        schema::migrate(&mut admin).unwrap();
        let login = format!("anna_{}", team.name);
        let engine = PgEngine::new(team.login(&login, "treffpunkt_users"));
        let ws = Workspace::team(Arc::new(Db::open_in_memory().unwrap()), Arc::new(engine));
        let anna = employee::save(
            &ws,
            None,
            None,
            &EmployeeFields {
                first_name: "Anna".into(),
                last_name: "Test".into(),
                color: "#2563eb".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
        admin
            .execute(
                "UPDATE employees SET database_login = $2 WHERE id = $1",
                &[&anna, &login],
            )
            .unwrap();
        let meeting = |subject: &str| {
            let start = now + chrono::Duration::minutes(10);
            let slot = CalendarSlot::Time { start };
            let mut input = draft(ActivityKind::Meeting, &slot, Berlin, anna, &[anna]);
            input.subject = subject.into();
            input.reminder_minutes = 15;
            crate::services::activities::create(&ws, &input).unwrap().id
        };
        let (first, second) = (meeting("Angebotsbesprechung"), meeting("Rückruf"));

        let due = ws.reminders();
        let subjects =
            |list: Vec<Notification>| list.into_iter().map(|n| n.subject).collect::<Vec<_>>();
        let list = notifications(&ws, &due, Berlin, Language::De, now).unwrap();
        assert_eq!(list[0].activity_id, first);
        assert_eq!(subjects(list.clone()), ["Angebotsbesprechung", "Rückruf"]);
        assert!(
            due.deliver_due(now.timestamp()).unwrap().is_empty(),
            "shown once"
        );
        let local = ws
            .store()
            .with(|c| {
                c.query_row("SELECT COUNT(*) FROM activities", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap();
        assert_eq!(local, 0, "the activities are the team database's");

        dismiss(&ws, list[0].id, now).unwrap();
        admin
            .execute("DELETE FROM activities WHERE id = $1", &[&second])
            .unwrap();
        assert!(notifications(&ws, &due, Berlin, Language::De, now)
            .unwrap()
            .is_empty());
    }
}
