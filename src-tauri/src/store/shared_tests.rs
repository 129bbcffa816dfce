//! The activities' and settings' store suite, run against both engines through the store
//! interface (`engine_tests!`: `<name>::sqlite` and `<name>::postgres`, the latter under a
//! salesperson's login), and what only the team database has: its roles and the send claimed
//! by one of several desktops.

use std::sync::{Arc, Barrier};

use chrono::{DateTime, TimeZone, Utc};

use super::interface::{read, write, Engine};
use super::postgres::{schema, test_server, PgEngine};
use super::records_tests::Harness;
use super::{Result, StoreError};
use crate::crm::activity::{
    ActivityInput, ActivityKind, ActivityStatus, HistoryEvent, ParticipantRef,
};
use crate::crm::mail_configuration::{tests::input as mail_input, validate, Cloud, SecretChange};
use crate::crm::model::{ContactFields, EmployeeFields, RecordKind};
use crate::crm::settings::{CallLinkMode, Language, SystemSetting};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, day, hour, 0, 0).unwrap()
}

fn activity(owner: i64, subject: &str, day: u32, hour: u32) -> ActivityInput {
    ActivityInput {
        kind: ActivityKind::Appointment,
        subject: subject.into(),
        starts_at: at(day, hour),
        ends_at: at(day, hour + 1),
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

fn employee(e: &dyn Engine, first: &str) -> Result<i64> {
    write(e, |s| {
        s.insert_employee(&EmployeeFields {
            first_name: first.into(),
            last_name: "Test".into(),
            color: "#123456".into(),
            email: Some(format!("{}@example.com", first.to_lowercase())),
            ..Default::default()
        })
    })
}

fn contact(e: &dyn Engine, first: &str, last: &str) -> Result<i64> {
    write(e, |s| {
        s.insert_contact(&ContactFields {
            first_name: first.into(),
            last_name: last.into(),
            email: Some(format!("{}@contoso.example", first.to_lowercase())),
            ..Default::default()
        })
    })
}

fn uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

engine_tests! {
    /// No lost update: two callers read the same contact; the first saves, the second's save is
    /// refused naming who saved meanwhile and when, and the first's values stay. A save with
    /// the current version passes and raises it; a gone contact is "not found".
    fn a_contact_changed_meanwhile_is_not_overwritten(h: &Harness) {
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let by = h.work_as(anna, "Anna Test")?;
        let lena = contact(e, "Lena", "Vogel")?;
        let first = read(e, |s| s.contact(lena))?;
        let second = read(e, |s| s.contact(lena))?;
        assert_eq!(first.stamp.version, 1, "a new record is at version 1");

        let mut mine = first.fields.clone();
        mine.position = Some("Einkauf".into());
        let before = Utc::now().timestamp();
        write(e, |s| s.update_contact(lena, first.stamp.version, &mine))?;
        let after = Utc::now().timestamp();

        let mut theirs = second.fields.clone();
        theirs.last_name = "Fink".into();
        match write(e, |s| s.update_contact(lena, second.stamp.version, &theirs)) {
            Err(StoreError::Conflict {
                kind,
                id,
                changed_by,
                changed_at,
            }) => {
                assert_eq!((kind, id), (RecordKind::Contact, lena));
                assert_eq!(changed_by.as_deref(), Some(by.as_str()), "who saved meanwhile");
                assert!((before..=after).contains(&changed_at), "when: {changed_at}");
            }
            other => panic!("the second save must be refused, got {other:?}"),
        }
        let stored = read(e, |s| s.contact(lena))?;
        assert_eq!(stored.fields.last_name, "Vogel", "the second's values are not saved");
        assert_eq!(stored.fields.position.as_deref(), Some("Einkauf"), "the first's stay");
        assert_eq!(stored.stamp.version, 2);
        assert_eq!(stored.stamp.changed_by.as_deref(), Some(by.as_str()));

        // Saved again over what is stored now: passes and raises the version.
        let mut again = stored.fields.clone();
        again.last_name = "Fink".into();
        write(e, |s| s.update_contact(lena, stored.stamp.version, &again))?;
        let stored = read(e, |s| s.contact(lena))?;
        assert_eq!((stored.fields.last_name.as_str(), stored.stamp.version), ("Fink", 3));

        write(e, |s| s.delete_contact(lena))?;
        assert!(matches!(
            write(e, |s| s.update_contact(lena, 3, &again)),
            Err(StoreError::NotFound {
                kind: RecordKind::Contact,
                ..
            })
        ));
        Ok(())
    }

    /// The same for an activity: the second save, made over an older version, changes neither
    /// its fields nor its participants and names who saved and when.
    fn an_activity_changed_meanwhile_is_not_overwritten(h: &Harness) {
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let by = h.work_as(anna, "Anna Test")?;
        let lena = contact(e, "Lena", "Vogel")?;
        let mut meeting = activity(anna, "Angebot", 1, 8);
        meeting.participants = vec![ParticipantRef::Contact { id: lena }];
        let id = write(e, |s| s.insert_activity(&meeting, &uid(), 100))?;
        let first = read(e, |s| s.activity(id))?;
        let second = read(e, |s| s.activity(id))?;
        assert_eq!(first.stamp.version, 1);

        let mut mine = first.to_input();
        mine.subject = "Angebot besprochen".into();
        write(e, |s| s.update_activity(id, first.stamp.version, &mine, 200))?;

        let mut theirs = second.to_input();
        theirs.subject = "Angebot verschoben".into();
        theirs.participants.clear();
        match write(e, |s| s.update_activity(id, second.stamp.version, &theirs, 300)) {
            Err(StoreError::Conflict {
                kind,
                id: refused,
                changed_by,
                changed_at,
            }) => {
                assert_eq!((kind, refused), (RecordKind::Activity, id));
                assert_eq!(changed_by.as_deref(), Some(by.as_str()));
                assert_eq!(changed_at, 200);
            }
            other => panic!("the second save must be refused, got {other:?}"),
        }
        let stored = read(e, |s| s.activity(id))?;
        assert_eq!(stored.subject, "Angebot besprochen");
        assert_eq!(stored.participants.len(), 1, "the participants stay");
        assert_eq!((stored.stamp.version, stored.stamp.changed_at), (2, 200));

        write(e, |s| s.update_activity(id, stored.stamp.version, &theirs, 300))?;
        let stored = read(e, |s| s.activity(id))?;
        assert_eq!(stored.subject, "Angebot verschoben");
        assert_eq!(stored.stamp.version, 3);
        Ok(())
    }

    /// An activity is stored with its participants in order, found, moved in the calendars
    /// (the owner's colour first, each once), shown in its contact's and owner's history,
    /// linked from both sides, counted and deleted.
    fn an_activity_is_stored_shown_in_calendars_and_histories_and_deleted(h: &Harness) {
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let ben = employee(e, "Ben")?;
        let lena = contact(e, "Lena", "Vogel")?;
        let mut meeting = activity(anna, "Angebotsbesprechung", 1, 8);
        meeting.kind = ActivityKind::TeamsMeeting;
        meeting.contact_id = Some(lena);
        meeting.participants = vec![
            ParticipantRef::Employee { id: ben },
            ParticipantRef::Contact { id: lena },
            ParticipantRef::Email { address: " guest@example.org ".into() },
        ];
        let id = write(e, |s| s.insert_activity(&meeting, &uid(), 100))?;
        // Ben's, with Anna taking part: shown in its owner's colour though Anna's id is lower.
        let mut dentist = activity(ben, "Zahnarzt", 2, 8);
        dentist.participants = vec![ParticipantRef::Employee { id: anna }];
        let other = write(e, |s| s.insert_activity(&dentist, &uid(), 100))?;

        read(e, |s| {
            let got = s.activity(id)?;
            assert_eq!(got.subject, "Angebotsbesprechung");
            assert_eq!(got.owner.label, "Anna Test");
            assert_eq!(got.contact.as_ref().map(|c| c.label.as_str()), Some("Lena Vogel"));
            let labels: Vec<_> = got.participants.iter().map(|p| p.label.as_str()).collect();
            assert_eq!(labels, ["Ben Test", "Lena Vogel", "guest@example.org"]);
            assert_eq!(got.participants[1].email.as_deref(), Some("lena@contoso.example"));
            let drafted = s.describe_participants(&meeting.participants)?;
            assert_eq!(drafted[0].label, "Ben Test");
            let (_, c, _) = s.describe_links(&meeting)?;
            assert_eq!(c.map(|c| c.label), Some("Lena Vogel".into()));

            assert_eq!(s.search_activities("ANGEBOT", 10)?.len(), 1);
            assert_eq!(s.search_activities("vogel", 10)?.len(), 1, "found by its contact");
            assert_eq!(s.search_activities("", 10)?[0].subject, "Zahnarzt", "newest first");
            assert_eq!(s.count_activities()?, 2);

            let both = s.calendar(&[anna, ben], at(1, 0), at(3, 0))?;
            let shown: Vec<_> = both.iter().map(|c| (c.subject.as_str(), c.calendar_employee_id)).collect();
            assert_eq!(shown, [("Angebotsbesprechung", anna), ("Zahnarzt", ben)]);
            assert_eq!(s.calendar(&[ben], at(1, 0), at(2, 0))?[0].calendar_employee_id, ben);
            let annas_day_two = s.calendar(&[anna], at(2, 0), at(3, 0))?;
            assert_eq!(annas_day_two.iter().map(|c| (c.id, c.calendar_employee_id)).collect::<Vec<_>>(), [(other, anna)]);
            assert!(s.calendar(&[], at(1, 0), at(3, 0))?.is_empty());

            let of_lena = s.history_of_record(RecordKind::Contact, lena, 10)?;
            assert_eq!(of_lena.iter().map(|h| h.target.id).collect::<Vec<_>>(), [id]);
            assert_eq!(s.history_of_record(RecordKind::Employee, ben, 10)?.len(), 2);
            Ok::<_, StoreError>(())
        })?;

        // Moved a day on, Ben leaves it; linked to the other one.
        meeting.starts_at = at(2, 10);
        meeting.ends_at = at(2, 11);
        meeting.participants.remove(0);
        write(e, |s| {
            let version = s.activity(id)?.stamp.version;
            s.update_activity(id, version, &meeting, 200)?;
            s.set_reminder_minutes(id, 30, 200)?;
            s.add_history(other, HistoryEvent::Linked, Some(id), "", 300)
        })?;
        read(e, |s| {
            assert!(s.calendar(&[anna, ben], at(1, 0), at(2, 0))?.is_empty());
            assert_eq!(s.calendar(&[ben], at(2, 0), at(3, 0))?.len(), 1, "only his own now");
            let got = s.activity(id)?;
            assert_eq!((got.participants.len(), got.reminder_minutes), (2, 30));
            let mine = s.history_of_activity(id)?;
            assert!(mine.iter().any(|h| h.event == HistoryEvent::Linked && h.target.id == other));
            assert!(mine.iter().any(|h| h.event == HistoryEvent::Created && h.target.id == id));
            let theirs = s.history_of_activity(other)?;
            assert!(theirs.iter().any(|h| h.event == HistoryEvent::Linked && h.target.id == id));
            Ok::<_, StoreError>(())
        })?;

        write(e, |s| s.delete_activity(id))?;
        read(e, |s| {
            assert!(matches!(s.activity(id), Err(StoreError::NotFound { kind: RecordKind::Activity, .. })));
            assert_eq!(s.calendar(&[anna], at(1, 0), at(3, 0))?.iter().map(|c| c.id).collect::<Vec<_>>(), [other]);
            Ok::<_, StoreError>(())
        })?;
        assert!(matches!(write(e, |s| s.delete_activity(id)), Err(StoreError::NotFound { .. })));
        Ok(())
    }

    /// A send is claimed once; it shows as interrupted until recorded, is recorded once with
    /// its join link at the end of the memo, and then leads to the contact's next meeting.
    fn a_send_is_claimed_once_recorded_once_and_cancelled(h: &Harness) {
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let lena = contact(e, "Lena", "Vogel")?;
        let mut meeting = activity(anna, "Teams", 3, 8);
        meeting.kind = ActivityKind::TeamsMeeting;
        meeting.memo = "Agenda".into();
        meeting.participants = vec![ParticipantRef::Contact { id: lena }];
        let id = write(e, |s| s.insert_activity(&meeting, &uid(), 100))?;

        assert!(write(e, |s| s.claim_send(id, 110))?, "the first claim wins");
        assert!(!write(e, |s| s.claim_send(id, 111))?, "a second claim loses");
        assert!(matches!(write(e, |s| s.claim_send(id + 100, 111)), Err(StoreError::NotFound { .. })));
        read(e, |s| {
            assert_eq!(s.interrupted_sends()?, [id]);
            assert!(s.activity(id)?.send_pending);
            Ok::<_, StoreError>(())
        })?;
        // Reconciled once: a send younger than the grace is left alone, an older one is taken
        // over by the first desktop only.
        assert!(!write(e, |s| s.claim_interrupted_send(id, 110, 500))?, "still running");
        assert!(write(e, |s| s.claim_interrupted_send(id, 400, 500))?, "the first takes it");
        assert!(!write(e, |s| s.claim_interrupted_send(id, 400, 501))?, "the second does not");
        write(e, |s| s.set_graph_event_id(id, "event-1"))?;
        let link = "https://teams.example/join/1";
        assert!(write(e, |s| s.mark_sent(id, 120, Some(link), "event-1"))?);
        assert!(!write(e, |s| s.mark_sent(id, 130, Some(link), "event-2"))?, "recorded once");
        assert!(!write(e, |s| s.claim_send(id, 140))?, "a sent meeting is not claimed again");
        assert!(!write(e, |s| s.claim_interrupted_send(id, 9_999, 10_000))?, "nor reconciled");
        read(e, |s| {
            let got = s.activity(id)?;
            assert_eq!(got.memo, format!("Agenda\n\n{link}"));
            assert!(!got.send_pending);
            assert!(s.interrupted_sends()?.is_empty());
            assert_eq!(s.graph_event_id(id)?.as_deref(), Some("event-1"));
            assert_eq!(s.next_teams_meeting_of_contact(lena, at(1, 0).timestamp())?, Some(id));
            assert_eq!(s.next_teams_meeting_of_contact(lena, at(4, 0).timestamp())?, None);
            Ok::<_, StoreError>(())
        })?;
        write(e, |s| s.mark_cancelled(id, 150))?;
        read(e, |s| {
            assert_eq!(s.activity(id)?.status, ActivityStatus::Cancelled);
            assert_eq!(s.next_teams_meeting_of_contact(lena, 0)?, None);
            Ok::<_, StoreError>(())
        })?;

        // A released claim can be claimed again.
        let second = write(e, |s| s.insert_activity(&meeting, &uid(), 100))?;
        assert!(write(e, |s| s.claim_send(second, 1))?);
        write(e, |s| s.set_send_started(second, None))?;
        assert!(write(e, |s| s.claim_send(second, 2))?);
        Ok(())
    }

    /// One send per meeting across the desktops of a team: a send begun less than the grace ago
    /// may still be running on the desktop that began it and is left to it; an older one is
    /// taken over for reconciling, by one desktop only.
    fn a_running_send_is_left_alone_and_an_interrupted_one_taken_over_once(h: &Harness) {
        use crate::meetings::{claim, Claim, SendError, Takeover, TAKEOVER_GRACE};
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let mut meeting = activity(anna, "Teams", 3, 8);
        meeting.kind = ActivityKind::TeamsMeeting;
        let id = write(e, |s| s.insert_activity(&meeting, &uid(), 100))?;
        let grace = TAKEOVER_GRACE.as_secs() as i64;
        let claim_at = |now: i64| write(e, |s| claim(s, id, now, Takeover::Team));
        let began = 1_000_000;

        assert_eq!(claim_at(began).unwrap(), Claim::Fresh, "desktop A begins");
        let in_progress = |r: std::result::Result<Claim, SendError>| matches!(r, Err(SendError::InProgress));
        assert!(in_progress(claim_at(began + 60)), "B a minute later");
        assert!(in_progress(claim_at(began + grace - 1)), "B just within the grace");
        assert_eq!(claim_at(began + grace + 1).unwrap(), Claim::Resumed, "B after the grace");
        assert!(in_progress(claim_at(began + grace + 2)), "C right after B: taken once");
        // B's takeover is a new start: it is left alone for a grace of its own.
        assert!(in_progress(claim_at(began + 2 * grace)), "C within B's grace");
        assert_eq!(claim_at(began + 2 * grace + 2).unwrap(), Claim::Resumed);

        write(e, |s| s.mark_sent(id, began + 2 * grace + 3, None, "event-1"))?;
        assert!(matches!(claim_at(began + 10 * grace), Err(SendError::AlreadySent)));
        Ok(())
    }

    /// Everybody reads the team's settings and mail configurations, and the secret never shows
    /// in a listed configuration.
    fn settings_and_mail_configurations_read_alike(h: &Harness) {
        let e = h.engine();
        read(e, |s| {
            let settings = s.system_settings()?;
            assert!(!settings.teams_integration_enabled);
            assert_eq!(settings.country, "DE", "the fallback");
            assert!(s.mail_configurations()?.is_empty());
            assert!(matches!(s.mail_configuration(1), Err(StoreError::NotFound { .. })));
            assert_eq!(s.client_secret(1)?, None);
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// A record exists until it is deleted, whatever its kind; an id never given does not.
    fn a_record_exists_until_it_is_deleted(h: &Harness) {
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let lena = contact(e, "Lena", "Vogel")?;
        let id = write(e, |s| s.insert_activity(&activity(anna, "Termin", 1, 8), &uid(), 100))?;
        read(e, |s| {
            assert!(s.record_exists(RecordKind::Employee, anna)?);
            assert!(s.record_exists(RecordKind::Contact, lena)?);
            assert!(s.record_exists(RecordKind::Activity, id)?);
            assert!(!s.record_exists(RecordKind::Contact, lena + 1000)?);
            assert!(!s.record_exists(RecordKind::Person, lena)?, "another kind's id");
            assert!(!s.record_exists(RecordKind::BusinessPartner, 1)?);
            Ok::<_, StoreError>(())
        })?;
        write(e, |s| s.delete_contact(lena))?;
        assert!(!read(e, |s| s.record_exists(RecordKind::Contact, lena))?);
        Ok(())
    }

    /// D1: an activity reminds its owner and its employee participants once its lead time has
    /// begun and until it starts; a call, a cancelled meeting, one not yet due and one begun
    /// already do not; an owner who also takes part is reminded once.
    fn reminders_are_due_from_the_lead_time_to_the_start(h: &Harness) {
        let e = h.engine();
        let anna = employee(e, "Anna")?;
        let ben = employee(e, "Ben")?;
        let now = at(1, 8).timestamp();
        let add = |owner: i64, kind: ActivityKind, start: i64, lead: i64, with: &[i64]| {
            let mut input = activity(owner, "Termin", 1, 8);
            input.kind = kind;
            input.starts_at = DateTime::from_timestamp(start, 0).unwrap();
            input.ends_at = input.starts_at + chrono::Duration::hours(1);
            input.reminder_minutes = lead;
            input.participants = with.iter().map(|&id| ParticipantRef::Employee { id }).collect();
            write(e, |s| s.insert_activity(&input, &uid(), 0))
        };
        let soon = add(anna, ActivityKind::TeamsMeeting, now + 600, 15, &[anna])?;
        add(anna, ActivityKind::Meeting, now + 3600, 15, &[])?; // not yet due
        add(anna, ActivityKind::Call, now + 300, 15, &[])?; // calls do not remind
        add(anna, ActivityKind::Appointment, now - 60, 15, &[])?; // begun already
        let cancelled = add(anna, ActivityKind::Visit, now + 120, 15, &[])?;
        write(e, |s| s.mark_cancelled(cancelled, now))?;
        let bens = add(ben, ActivityKind::Meeting, now + 300, 10, &[anna])?;

        read(e, |s| {
            assert_eq!(s.reminders_due(anna, now)?, [(bens, now + 300), (soon, now + 600)]);
            assert_eq!(s.reminders_due(ben, now)?, [(bens, now + 300)]);
            assert_eq!(s.reminders_due(anna, now + 600)?, [], "started");
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }
}

/// An administrator's engine: the local workspace (whose user may do everything), or the team
/// database under a login in treffpunkt_admins.
fn admin_engines() -> Vec<(&'static str, Arc<dyn Engine>)> {
    let db = test_server::shared().fresh_database();
    schema::migrate(&mut db.superuser()).unwrap();
    let admin = db.login(&format!("admin_{}", db.name), "treffpunkt_admins");
    vec![
        ("sqlite", Harness::sqlite().engine),
        ("postgres", Arc::new(PgEngine::new(admin))),
    ]
}

/// An administrator changes the settings and mail configurations on either engine: flags,
/// language, link mode and country; a configuration's secret is kept, replaced and cleared.
#[test]
fn an_administrator_changes_settings_and_mail_configurations() {
    for (name, engine) in admin_engines() {
        let e = &*engine;
        write(e, |s| {
            s.set_flag(SystemSetting::TeamsIntegrationEnabled, true)?;
            s.set_language(Some(Language::De))?;
            s.set_call_link_mode(CallLinkMode::TeamsLink)?;
            assert!(s.set_country("ch")?);
            assert!(!s.set_country("XX")?);
            s.init_country(Some("US"))
        })
        .unwrap();
        let settings = read(e, |s| s.system_settings()).unwrap();
        assert!(settings.teams_integration_enabled, "{name}");
        assert_eq!(settings.language, Some(Language::De), "{name}");
        assert_eq!(settings.call_link_mode, CallLinkMode::TeamsLink, "{name}");
        assert_eq!(settings.country, "CH", "{name}: a set country stays");

        let mut i = mail_input();
        i.client_secret = SecretChange::Replace {
            value: "first-secret".into(),
        };
        let id = write(e, |s| {
            s.insert_mail_configuration(&validate(&i).unwrap(), 1)
        })
        .unwrap();
        let listed = read(e, |s| s.mail_configurations()).unwrap();
        assert_eq!(listed.len(), 1, "{name}");
        assert!(listed[0].has_client_secret, "{name}");
        assert!(!format!("{listed:?}").contains("first-secret"), "{name}");
        assert_eq!(
            read(e, |s| s.client_secret(id)).unwrap().as_deref(),
            Some("first-secret"),
            "{name}"
        );
        i.client_secret = SecretChange::Keep;
        i.name = "Renamed".into();
        let change = write(e, |s| {
            s.update_mail_configuration(id, &validate(&i).unwrap(), 2)
        })
        .unwrap();
        assert!(!change.registration_changed, "{name}");
        assert_eq!(
            read(e, |s| s.mail_configuration(id)).unwrap().name,
            "Renamed"
        );
        assert_eq!(
            read(e, |s| s.client_secret(id)).unwrap().as_deref(),
            Some("first-secret"),
            "{name}: kept"
        );
        // A new registration drops the secret that came with the old one.
        i.cloud = Cloud::Custom;
        i.custom_authority_url = "https://login.fabrikam.example".into();
        i.custom_graph_url = "https://graph.fabrikam.example".into();
        let change = write(e, |s| {
            s.update_mail_configuration(id, &validate(&i).unwrap(), 3)
        })
        .unwrap();
        assert!(
            change.registration_changed && change.secret_dropped,
            "{name}"
        );
        assert_eq!(
            read(e, |s| s.client_secret(id)).unwrap(),
            None,
            "{name}: dropped"
        );
        // New custom URLs are a new registration too; the same URLs change nothing.
        i.client_secret = SecretChange::Replace {
            value: "second-secret".into(),
        };
        write(e, |s| {
            s.update_mail_configuration(id, &validate(&i).unwrap(), 4)
        })
        .unwrap();
        let (authority, graph) = (
            "https://login.fabrikam.example",
            "https://graph.fabrikam.example",
        );
        write(e, |s| s.set_custom_urls(id, authority, graph, 5)).unwrap();
        assert!(
            read(e, |s| s.client_secret(id)).unwrap().is_some(),
            "{name}: same URLs"
        );
        write(e, |s| {
            s.set_custom_urls(id, "http://127.0.0.1:1/a", "http://127.0.0.1:1/g", 6)
        })
        .unwrap();
        let moved = read(e, |s| s.mail_configuration(id)).unwrap();
        assert_eq!(
            moved.custom_graph_url.as_deref(),
            Some("http://127.0.0.1:1/g"),
            "{name}"
        );
        assert_eq!(
            read(e, |s| s.client_secret(id)).unwrap(),
            None,
            "{name}: moved"
        );
        i.client_secret = SecretChange::Clear;
        write(e, |s| {
            s.update_mail_configuration(id, &validate(&i).unwrap(), 7)
        })
        .unwrap();
        assert_eq!(
            read(e, |s| s.client_secret(id)).unwrap(),
            None,
            "{name}: cleared"
        );
        write(e, |s| s.delete_mail_configuration(id)).unwrap();
        assert!(
            read(e, |s| s.mail_configurations()).unwrap().is_empty(),
            "{name}"
        );
    }
}

/// On the team database the server itself refuses a salesperson's change of the settings and
/// mail configurations (NotPermitted, nothing changed) and the reading of a client secret; the
/// administrator's login may.
#[test]
fn a_salesperson_may_not_change_settings_or_read_the_secret() {
    let db = test_server::shared().fresh_database();
    schema::migrate(&mut db.superuser()).unwrap();
    let admin = PgEngine::new(db.login(&format!("admin_{}", db.name), "treffpunkt_admins"));
    let user = PgEngine::new(db.login(&format!("vertrieb_{}", db.name), "treffpunkt_users"));
    let mut i = mail_input();
    i.client_secret = SecretChange::Replace {
        value: "team-secret".into(),
    };
    let id = write(&admin, |s| {
        s.insert_mail_configuration(&validate(&i).unwrap(), 1)
    })
    .unwrap();

    let refused = |r: Result<()>| matches!(r, Err(StoreError::NotPermitted));
    assert!(refused(write(&user, |s| s
        .set_flag(SystemSetting::TeamsIntegrationEnabled, true))));
    assert!(refused(write(&user, |s| s.set_language(None))));
    assert!(refused(write(&user, |s| s
        .insert_mail_configuration(&validate(&i).unwrap(), 2)
        .map(|_| ()))));
    assert!(refused(write(&user, |s| s
        .update_mail_configuration(id, &validate(&i).unwrap(), 2)
        .map(|_| ()))));
    assert!(refused(write(&user, |s| s.delete_mail_configuration(id))));
    assert!(refused(read(&user, |s| s.client_secret(id).map(|_| ()))));
    assert!(refused(write(&user, |s| s.set_current_employee(1))));
    // Starting a salesperson's desktop sets no country and fails nothing.
    write(&user, |s| s.init_country(Some("AT"))).unwrap();

    // Nothing changed; the salesperson still reads the configuration and that it has a secret.
    let seen = read(&user, |s| s.mail_configurations()).unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].has_client_secret);
    assert_eq!(seen[0].name, i.name.trim());
    let settings = read(&user, |s| s.system_settings()).unwrap();
    assert!(!settings.teams_integration_enabled);
    assert_eq!(settings.country, "DE");
    assert_eq!(
        read(&admin, |s| s.client_secret(id)).unwrap().as_deref(),
        Some("team-secret")
    );
    assert!(refused(write(&user, |s| s.set_current_employee(1))));

    // The employee record that names the login is who works at that desktop.
    let me = employee(&user, "Vera").unwrap();
    let other = employee(&user, "Otto").unwrap();
    db.superuser()
        .execute(
            "UPDATE employees SET database_login = $2 WHERE id = $1",
            &[&me, &format!("vertrieb_{}", db.name)],
        )
        .unwrap();
    assert_eq!(
        read(&user, |s| s.system_settings())
            .unwrap()
            .current_employee_id,
        Some(me)
    );
    write(&user, |s| s.set_current_employee(me)).unwrap();
    assert!(refused(write(&user, |s| s.set_current_employee(other))));
    assert_eq!(
        read(&admin, |s| s.system_settings())
            .unwrap()
            .current_employee_id,
        None,
        "the administrator's login names no employee"
    );
}

/// Two desktops (two connections to one team database) claim the send of the same meeting at
/// the same moment, many times over: each time exactly one wins.
#[test]
fn two_desktops_claiming_one_send_one_wins() {
    let db = test_server::shared().fresh_database();
    schema::migrate(&mut db.superuser()).unwrap();
    let desktops: Vec<Arc<PgEngine>> = ["a", "b"]
        .iter()
        .map(|d| {
            Arc::new(PgEngine::new(
                db.login(&format!("{d}_{}", db.name), "treffpunkt_users"),
            ))
        })
        .collect();
    let anna = employee(&*desktops[0], "Anna").unwrap();
    for round in 0..20 {
        let id = write(&*desktops[0], |s| {
            s.insert_activity(&activity(anna, &format!("Runde {round}"), 5, 8), &uid(), 1)
        })
        .unwrap();
        let won = at_once(&desktops, move |s| s.claim_send(id, 10));
        assert_eq!(won, 1, "round {round}: the send");
        // Both desktops start later and find the send interrupted: one reconciles it.
        let won = at_once(&desktops, move |s| s.claim_interrupted_send(id, 20, 30));
        assert_eq!(won, 1, "round {round}: the reconciling");
    }
}

/// Runs `claim` on every desktop at the same moment; how many won.
fn at_once(
    desktops: &[Arc<PgEngine>],
    claim: impl Fn(&mut dyn super::interface::Shared) -> Result<bool> + Copy + Send + 'static,
) -> usize {
    let barrier = Arc::new(Barrier::new(desktops.len()));
    let threads: Vec<_> = desktops
        .iter()
        .map(|d| {
            let (d, barrier) = (d.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                write(&*d, claim).unwrap()
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|w| *w)
        .count()
}
