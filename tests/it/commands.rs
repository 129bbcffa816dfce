//! The IPC commands through Tauri's mock runtime: what the UI sends, what it gets back, and that a
//! refused call changes nothing.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use treffpunkt::commands::AppState;
use treffpunkt::crm::settings::Language;
use treffpunkt::reminders::Reminders;
use treffpunkt::store::Db;

use crate::common::ipc::Harness;

fn harness() -> Harness {
    harness_with(Arc::new(Db::open_in_memory().unwrap()), |_| {})
}

/// The harness on `db`, which a test may keep to change rows behind the app's back.
fn harness_on(db: Arc<Db>) -> Harness {
    harness_with(db, |_| {})
}

/// The harness on `db`, whose app state `adjust` changes before the app starts (as `run` sets the
/// OS's parts).
fn harness_with(db: Arc<Db>, adjust: impl FnOnce(&mut AppState)) -> Harness {
    db.transaction(|tx| treffpunkt::services::records::ensure_own_employee(tx, "Anna Schmidt"))
        .unwrap();
    let mut state = AppState::new(db, false, "Europe/Berlin".parse().unwrap(), Language::De);
    adjust(&mut state);
    Harness::new(state)
}

fn mail_configuration(client_id: &str) -> Value {
    json!({
        "name": "Office 365",
        "groupware": "MSGRAPH",
        "client_id": client_id,
        "tenant_id": "contoso.onmicrosoft.com",
        "cloud": "global",
        "custom_authority_url": "",
        "custom_graph_url": "",
        "client_secret": {"action": "replace", "value": "s3cr3t-value"}
    })
}

#[test]
fn the_teams_entry_appears_with_the_setting_and_a_configured_mail_configuration() {
    let h = harness();
    let kinds = h.ok("calendar_actions", json!({}));
    assert_eq!(kinds, json!(["appointment", "meeting"]));

    h.ok(
        "set_system_setting",
        json!({"setting": "teams_integration_enabled", "enabled": true}),
    );
    assert_eq!(
        h.ok("calendar_actions", json!({})),
        json!(["appointment", "meeting"]),
        "no mail configuration yet"
    );

    let mc = h.ok(
        "save_mail_configuration",
        json!({"id": null, "input": mail_configuration("6731de76-14a6-49ae-97bc-6eba6914391e")}),
    );
    assert_eq!(mc["has_client_secret"], true);
    assert!(
        !mc.to_string().contains("s3cr3t-value"),
        "the secret never comes back (A4)"
    );
    assert_eq!(
        h.ok("assign_mail_configuration_to_all", json!({"id": mc["id"]})),
        json!(1)
    );
    assert_eq!(
        h.ok("calendar_actions", json!({})),
        json!(["appointment", "meeting", "teams_meeting"])
    );
}

#[test]
fn a_bad_mail_configuration_gets_field_errors_and_changes_nothing() {
    let h = harness();
    let err = h
        .invoke(
            "save_mail_configuration",
            json!({"id": null, "input": mail_configuration("not-a-guid")}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["fields"][0]["field"], "client_id");
    assert_eq!(err["fields"][0]["code"], "invalid_guid");
    assert!(!err.to_string().contains("s3cr3t-value"));
    assert_eq!(h.ok("list_mail_configurations", json!({})), json!([]));
}

#[test]
fn an_appointment_from_the_calendar_lasts_an_hour_and_shows_in_the_range() {
    let h = harness();
    let info = h.ok("app_info", json!({}));
    let me = info["current_employee"]["id"].as_i64().unwrap();
    assert_eq!(info["language"], "de");

    let draft = h.ok(
        "activity_draft",
        json!({"kind": "appointment", "slot": {"type": "day", "date": "2026-03-29"}, "openedCalendars": [me, 99]}),
    );
    // 09:00 Berlin on the day daylight saving starts is 07:00 UTC.
    assert_eq!(draft["input"]["starts_at"], "2026-03-29T07:00:00Z");
    assert_eq!(draft["input"]["ends_at"], "2026-03-29T08:00:00Z");
    assert_eq!(draft["input"]["participants"], json!([]));

    let mut input = draft["input"].clone();
    input["subject"] = json!("Messevorbereitung");
    let created = h.ok("create_activity", json!({"input": input}));
    assert_eq!(created["kind"], "appointment");

    let entries = h.ok(
        "calendar_entries",
        json!({"employeeIds": [me], "from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}),
    );
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["subject"], "Messevorbereitung");
    assert_eq!(entries[0]["calendar_employee_id"], me);
}

/// C9 through the commands: the draft shows its wall-clock times, the typed ones are read in the
/// activity's zone (not the process's), the October fold is its first occurrence, and a time in
/// the March gap is a field error.
#[test]
fn typed_times_are_read_in_the_activitys_zone() {
    let h = harness();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let draft = h.ok(
        "activity_draft",
        json!({"kind": "appointment", "slot": {"type": "day", "date": "2026-10-25"}, "openedCalendars": [me]}),
    );
    assert_eq!(
        draft["wall_clock"],
        json!({"starts": "2026-10-25T09:00", "ends": "2026-10-25T10:00"})
    );
    let mut input = draft["input"].clone();
    input["subject"] = json!("Zeitumstellung");
    input["time_zone"] = json!("Europe/Vienna");
    let created = h.ok(
        "create_activity",
        json!({"input": input, "wallClock": {"starts": "2026-10-25T02:30", "ends": "2026-10-25T03:30"}}),
    );
    assert_eq!(created["starts_at"], "2026-10-25T00:30:00Z");
    assert_eq!(created["ends_at"], "2026-10-25T02:30:00Z");
    assert_eq!(
        created["wall_clock"],
        json!({"starts": "2026-10-25T02:30", "ends": "2026-10-25T03:30"})
    );

    input["time_zone"] = json!("America/New_York");
    let updated = h.ok(
        "update_activity",
        json!({"id": created["id"], "version": created["stamp"]["version"], "input": input, "wallClock": {"starts": "2026-10-25T02:30", "ends": "2026-10-25T03:30"}}),
    );
    assert_eq!(updated["starts_at"], "2026-10-25T06:30:00Z");

    input["time_zone"] = json!("Europe/Berlin");
    let err = h
        .invoke(
            "create_activity",
            json!({"input": input, "wallClock": {"starts": "2026-03-29T02:30", "ends": "2026-03-29T03:30"}}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "starts_at");
    assert_eq!(err["fields"][0]["code"], "nonexistent_local_time");
}

#[test]
fn the_opening_view_brings_the_facts_the_colours_and_the_own_weeks_entries_in_one_answer() {
    let h = harness();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let draft = h.ok(
        "activity_draft",
        json!({"kind": "appointment", "slot": {"type": "day", "date": "2026-11-25"}, "openedCalendars": [me]}),
    );
    let mut input = draft["input"].clone();
    input["subject"] = json!("Quartalsplanung");
    h.ok("create_activity", json!({ "input": input }));
    // The week of 23-29 November 2026 in Berlin.
    let week = json!({"from": "2026-11-22T23:00:00Z", "to": "2026-11-29T23:00:00Z"});

    let opening = h.ok("opening_view", week);
    assert_eq!(opening["info"], h.ok("app_info", json!({})));
    // The bounds the UI shows and enforces are the domain's (C1, D1), never the UI's own.
    assert_eq!(
        opening["info"]["max_open_calendars"],
        json!(treffpunkt::crm::calendar::MAX_OPEN_CALENDARS)
    );
    assert_eq!(
        opening["info"]["max_reminder_minutes"],
        json!(treffpunkt::crm::calendar::MAX_REMINDER_MINUTES)
    );
    assert_eq!(
        opening["employees"],
        h.ok("search_employees", json!({"query": ""}))
    );
    assert_eq!(
        opening["entries"],
        h.ok(
            "calendar_entries",
            json!({"employeeIds": [me], "from": "2026-11-22T23:00:00Z", "to": "2026-11-29T23:00:00Z"}),
        )
    );
    assert_eq!(opening["entries"][0]["subject"], "Quartalsplanung");
    // The week after holds nothing.
    let next = h.ok(
        "opening_view",
        json!({"from": "2026-11-29T23:00:00Z", "to": "2026-12-06T23:00:00Z"}),
    );
    assert_eq!(next["entries"], json!([]));

    let err = h
        .invoke(
            "opening_view",
            json!({"from": "2026-11-29T23:00:00Z", "to": "2026-11-22T23:00:00Z"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_range");
}

#[test]
fn bad_calendar_arguments_get_clear_errors() {
    let h = harness();
    let err = h
        .invoke(
            "calendar_entries",
            json!({"employeeIds": [1], "from": "2026-04-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_range");

    // A wrong type is refused by the command's deserialisation before any work is done.
    let err = h
        .invoke(
            "calendar_entries",
            json!({"employeeIds": "all", "from": "x", "to": "y"}),
        )
        .unwrap_err();
    assert!(err.to_string().contains("employeeIds"), "{err}");
}

#[test]
fn an_invalid_activity_is_refused_and_nothing_is_stored() {
    let h = harness();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let err = h
        .invoke(
            "create_activity",
            json!({"input": {
                "kind": "meeting", "subject": " ", "starts_at": "2026-05-01T10:00:00Z",
                "ends_at": "2026-05-01T09:00:00Z", "time_zone": "Mars/Olympus", "memo": "",
                "mail_text": "", "status": "open", "owner_employee_id": me,
                "business_partner_id": null, "contact_id": null, "person_id": null,
                "participants": [{"type": "email", "address": "a@b.de,evil@x.com"}],
                "reminder_minutes": 15
            }}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["subject", "ends_at", "time_zone", "participants"]
    );
    assert_eq!(h.ok("search_activities", json!({"query": ""})), json!([]));
}

#[test]
fn the_language_setting_overrides_the_os_locale() {
    let h = harness();
    assert_eq!(h.ok("app_info", json!({}))["language"], "de");
    let info = h.ok("set_language", json!({"language": "en"}));
    assert_eq!(info["language"], "en");
    assert_eq!(info["language_setting"], "en");
    let info = h.ok("set_language", json!({"language": null}));
    assert_eq!(info["language"], "de", "back to the OS locale");
}

#[test]
fn a_reminder_out_of_range_is_refused() {
    let h = harness();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let draft = h.ok(
        "activity_draft",
        json!({"kind": "meeting", "slot": {"type": "day", "date": "2026-12-01"}, "openedCalendars": [me]}),
    );
    let mut input = draft["input"].clone();
    input["subject"] = json!("Planung");
    let created = h.ok("create_activity", json!({"input": input}));
    let err = h
        .invoke("set_reminder", json!({"id": created["id"], "minutes": -5}))
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["fields"][0]["field"], "reminder_minutes");
    h.ok("set_reminder", json!({"id": created["id"], "minutes": 30}));
    assert_eq!(
        h.ok("get_activity", json!({"id": created["id"]}))["reminder_minutes"],
        30
    );
}

/// D1: the notification centre's poll and the background scan record due reminders in one place:
/// whichever finds a reminder first also shows it outside the window, and it is shown there once.
#[test]
fn a_due_reminder_reaches_the_os_once_whoever_finds_it_first() {
    let shown = Arc::new(Mutex::new(Vec::new()));
    let mut background = None;
    let h = harness_with(Arc::new(Db::open_in_memory().unwrap()), |state| {
        let seen = shown.clone();
        state.reminders = Reminders::new(
            state.workspace.store().clone(),
            Arc::new(move |r| seen.lock().unwrap().push(r.subject.clone())),
        );
        background = Some(state.reminders.clone());
    });
    let background = background.unwrap();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let draft = h.ok(
        "activity_draft",
        json!({"kind": "meeting", "slot": {"type": "day", "date": "2026-12-01"}, "openedCalendars": [me]}),
    );
    let mut input = draft["input"].clone();
    input["subject"] = json!("Planung");
    let in_ten_minutes = chrono::Utc::now() + chrono::Duration::minutes(10);
    input["starts_at"] = json!(in_ten_minutes.to_rfc3339());
    input["ends_at"] = json!((in_ten_minutes + chrono::Duration::hours(1)).to_rfc3339());
    input["reminder_minutes"] = json!(15);
    h.ok("create_activity", json!({"input": input}));

    let centre = h.ok("notifications", json!({}));
    assert_eq!(centre[0]["subject"], "Planung", "{centre}");
    assert_eq!(
        *shown.lock().unwrap(),
        vec!["Planung"],
        "the OS shows it too"
    );
    let later = background
        .deliver_due(chrono::Utc::now().timestamp() + 30)
        .unwrap();
    assert!(later.is_empty(), "the background scan finds nothing new");
    h.ok("notifications", json!({}));
    assert_eq!(*shown.lock().unwrap(), vec!["Planung"], "shown once");
}

#[test]
fn an_overlong_search_is_refused_with_its_reason() {
    let h = harness();
    let long = "x".repeat(201);
    for cmd in [
        "search_contacts",
        "search_business_partners",
        "search_activities",
        "search_participants",
    ] {
        let err = h.invoke(cmd, json!({"query": long})).unwrap_err();
        assert_eq!(err["code"], "query_too_long", "{cmd}");
    }
    assert_eq!(
        h.ok("search_contacts", json!({"query": "x".repeat(200)})),
        json!([])
    );
}

#[test]
fn the_first_paint_is_taken_once_and_a_second_report_is_harmless() {
    let h = harness();
    // The UI reports its first calendar paint; a reload reports again, which changes nothing.
    assert_eq!(h.ok("first_paint", json!({})), Value::Null);
    assert_eq!(h.ok("first_paint", json!({})), Value::Null);
}

#[test]
fn the_calendars_readiness_is_a_time_since_the_page_began_or_refused() {
    let h = harness();
    for bad in [-1.0, 4_000_000.0] {
        let err = h
            .invoke("calendar_ready", json!({ "atMs": bad }))
            .unwrap_err();
        assert_eq!(err["code"], "invalid_timeline", "{bad}");
    }
    assert!(h.invoke("calendar_ready", json!({"atMs": "soon"})).is_err());
    assert_eq!(h.ok("calendar_ready", json!({"atMs": 312.5})), Value::Null);
    assert_eq!(h.ok("calendar_ready", json!({"atMs": 400.0})), Value::Null);
}

/// The own employee cannot be deleted (the window would have no user); others can, and the
/// window's facts still answer.
#[test]
fn the_own_employee_record_cannot_be_deleted_and_the_window_keeps_working() {
    let h = harness();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let refused = h.invoke("delete_employee", json!({"id": me})).unwrap_err();
    assert_eq!(refused["code"], "own_employee");
    assert_eq!(h.ok("get_employee", json!({"id": me}))["id"], me);
    assert_eq!(h.ok("app_info", json!({}))["current_employee"]["id"], me);
    h.ok("calendar_actions", json!({}));

    let other = h.ok(
        "save_employee",
        json!({"id": null, "fields": {
            "first_name": "Ben", "last_name": "Kurz", "email": null, "phone": null,
            "mobile": null, "department": null, "color": "#16a34a",
            "mail_configuration_id": null, "user_principal_name": null
        }}),
    )["id"]
        .clone();
    h.ok("delete_employee", json!({"id": other}));
}

/// An own employee whose row is gone (deleted outside the app) still leaves a window that opens.
#[test]
fn a_window_opens_when_the_own_employees_row_is_gone() {
    let db = Arc::new(Db::open_in_memory().unwrap());
    let h = harness_on(db.clone());
    db.with(|c| c.execute("DELETE FROM employees", [])).unwrap();
    let info = h.ok("app_info", json!({}));
    assert_eq!(info["current_employee"], Value::Null);
}

/// A NUL in a contact search is no database error: it is dropped.
#[test]
fn a_nul_in_a_contact_search_is_no_error() {
    let h = harness();
    assert_eq!(
        h.ok("search_contacts", json!({"query": "Vo\u{0}gel"})),
        json!([])
    );
    assert_eq!(
        h.ok("search_contacts", json!({"query": "\u{0}"})),
        json!([])
    );
    h.ok("search_participants", json!({"query": "abc\u{0}def"}));
}

/// B1, B3: the sign-in command signs in only the own employee or a mail configuration; a
/// colleague's record would otherwise keep the user's own account as the colleague's sign-in.
#[test]
fn a_colleagues_sign_in_is_refused_before_any_browser_opens() {
    let h = harness();
    let colleague = h.ok(
        "save_employee",
        json!({"id": null, "fields": {
            "first_name": "Ben", "last_name": "Kurz", "email": null, "phone": null,
            "mobile": null, "department": null, "color": "#16a34a",
            "mail_configuration_id": null, "user_principal_name": null
        }}),
    )["id"]
        .clone();
    let refused = h
        .invoke(
            "sign_in",
            json!({"owner": {"type": "employee", "id": colleague}}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "sign_in_not_own");
}

/// C4: the dialog's "save and send" asks Rust whether the meeting can be sent: not without
/// someone to invite besides the planner.
#[test]
fn the_send_gate_is_rusts_answer() {
    let h = harness();
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let mut input = h.ok(
        "activity_draft",
        json!({"kind": "meeting", "slot": {"type": "day", "date": "2026-11-30"}, "openedCalendars": []}),
    )["input"]
        .clone();
    input["participants"] = json!([{"type": "employee", "id": me}]);
    assert_eq!(
        h.ok("meeting_send_check", json!({"input": input})),
        json!("no_participants")
    );
    input["participants"] =
        json!([{"type": "employee", "id": me}, {"type": "email", "address": "a@example.com"}]);
    assert_eq!(
        h.ok("meeting_send_check", json!({"input": input})),
        Value::Null
    );
}

/// Sets "MS Teams Integration aktivieren".
fn set_teams(h: &Harness, enabled: bool) {
    h.ok(
        "set_system_setting",
        json!({"setting": "teams_integration_enabled", "enabled": enabled}),
    );
}

/// C7: with the integration off (or without Azure fields) no command makes, converts to, drafts or
/// joins a Teams meeting; the buttons' answers offer none; with it on, they do.
#[test]
fn without_teams_every_teams_action_is_refused_and_none_is_offered() {
    let db = Arc::new(Db::open_in_memory().unwrap());
    let h = harness_on(db.clone());
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let refused = |cmd: &str, args: Value| {
        let err = h.invoke(cmd, args.clone()).unwrap_err();
        assert_eq!(err["code"], "teams_not_available", "{cmd} {args}: {err}");
    };
    let teams_draft = json!({"kind": "teams_meeting", "slot": {"type": "day", "date": "2026-12-01"}, "openedCalendars": [me]});

    // Integration on, but no mail configuration with Azure fields: refused.
    set_teams(&h, true);
    refused("activity_draft", teams_draft.clone());

    let mc = h.ok(
        "save_mail_configuration",
        json!({"id": null, "input": mail_configuration("6731de76-14a6-49ae-97bc-6eba6914391e")}),
    );
    h.ok("assign_mail_configuration_to_all", json!({"id": mc["id"]}));
    let contact = h.ok(
        "save_contact",
        json!({"id": null, "fields": {"business_partner_id": null, "salutation": null, "first_name": "Max",
               "last_name": "Muster", "position": null, "email": "max@example.com", "phone": null, "mobile": null}}),
    )["id"]
        .clone();

    // Available: a Teams meeting is drafted and created; an appointment offers both conversions.
    let mut teams_input = h.ok("activity_draft", teams_draft.clone())["input"].clone();
    teams_input["subject"] = json!("Review");
    let soon = chrono::Utc::now() + chrono::Duration::minutes(10);
    teams_input["starts_at"] = json!(soon.to_rfc3339());
    teams_input["ends_at"] = json!((soon + chrono::Duration::hours(1)).to_rfc3339());
    teams_input["reminder_minutes"] = json!(15);
    teams_input["participants"] = json!([{"type": "contact", "id": contact}]);
    teams_input["contact_id"] = contact.clone();
    let meeting = h.ok("create_activity", json!({"input": teams_input}))["id"]
        .as_i64()
        .unwrap();
    db.with(|c| {
        treffpunkt::store::activities::mark_sent(
            c,
            meeting,
            chrono::Utc::now().timestamp(),
            Some("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"),
            "event-1",
        )
    })
    .unwrap();
    // Drafted while Teams was available, sent after it was switched off: refused below.
    teams_input["subject"] = json!("Planung");
    let unsent = h.ok("create_activity", json!({"input": teams_input}))["id"].clone();
    let mut appointment_input = h.ok(
        "activity_draft",
        json!({"kind": "appointment", "slot": {"type": "day", "date": "2026-12-02"}, "openedCalendars": [me]}),
    )["input"]
        .clone();
    appointment_input["subject"] = json!("Messe");
    let appointment = h.ok("create_activity", json!({"input": appointment_input}))["id"].clone();
    let buttons = h.ok("activity_buttons", json!({"id": appointment}));
    assert_eq!(buttons["convert"], json!(["meeting", "teams_meeting"]));
    assert_eq!(buttons["action"]["kind"], "edit_appointment");
    assert_eq!(
        h.ok("activity_buttons", json!({"id": meeting}))["join"],
        true
    );
    assert!(h.ok("notifications", json!({}))[0]["join_url"].is_string());
    let toolbar = h.ok("contact_meeting", json!({"id": contact}));
    assert_eq!(
        toolbar["send_kind"], "teams_meeting",
        "a new request beside the join (C5)"
    );
    assert_eq!(toolbar["join_activity_id"], meeting);

    // Off: every Teams action is refused and nothing changes; no answer offers Teams.
    set_teams(&h, false);
    refused("activity_draft", teams_draft);
    let mut input = h.ok("get_activity", json!({"id": meeting}))["subject"].clone();
    input = json!({"input": {"kind": "teams_meeting", "subject": input, "starts_at": soon.to_rfc3339(),
        "ends_at": soon.to_rfc3339(), "time_zone": "Europe/Berlin", "memo": "", "mail_text": "",
        "status": "open", "owner_employee_id": me, "business_partner_id": null, "contact_id": null,
        "person_id": null, "participants": [], "reminder_minutes": 0}});
    refused("create_activity", input.clone());
    refused(
        "create_linked_activity",
        json!({"from": appointment, "input": input["input"]}),
    );
    refused(
        "convert_activity",
        json!({"id": appointment, "kind": "teams_meeting"}),
    );
    assert_eq!(
        h.ok("get_activity", json!({"id": appointment}))["kind"],
        "appointment"
    );
    refused(
        "contact_meeting_draft",
        json!({"id": contact, "kind": "teams_meeting"}),
    );
    refused(
        "linked_draft",
        json!({"id": appointment, "kind": "teams_meeting"}),
    );
    refused("join_meeting", json!({"id": meeting}));
    refused("send_meeting_request", json!({"id": unsent}));
    refused("sign_in_and_send", json!({"id": unsent}));
    assert_eq!(
        h.ok("get_activity", json!({"id": unsent}))["sent_at"],
        Value::Null,
        "not sent"
    );
    let found = h.ok("search_activities", json!({"query": ""}));
    assert_eq!(found.as_array().unwrap().len(), 3, "nothing was created");

    let buttons = h.ok("activity_buttons", json!({"id": appointment}));
    assert_eq!(buttons["convert"], json!(["meeting"]));
    assert_eq!(
        h.ok("activity_buttons", json!({"id": meeting}))["join"],
        false
    );
    let reminders = h.ok("notifications", json!({}));
    assert_eq!(reminders[0]["subject"], "Review");
    assert_eq!(
        reminders[0]["join_url"],
        Value::Null,
        "no join in the reminder"
    );
    let toolbar = h.ok("contact_meeting", json!({"id": contact}));
    assert_eq!(toolbar["send_kind"], "meeting");
    assert_eq!(toolbar["join_activity_id"], Value::Null);
    // A plain meeting is still made.
    h.ok(
        "convert_activity",
        json!({"id": appointment, "kind": "meeting"}),
    );
}

/// The harness with the OS's opener replaced by a recorder: what the app hands to the OS.
fn harness_recording_launches() -> (Harness, Arc<Mutex<Vec<String>>>) {
    let opened = Arc::new(Mutex::new(Vec::new()));
    let seen = opened.clone();
    let h = harness_with(Arc::new(Db::open_in_memory().unwrap()), move |state| {
        state.launcher = Arc::new(move |uri: &str| {
            seen.lock().unwrap().push(uri.to_string());
            Ok(())
        });
    });
    (h, opened)
}

/// Teams configured for everybody: integration on, external calls as `external`, and a mail
/// configuration with the Azure fields.
fn teams_configured(h: &Harness, external: bool) {
    set_teams(h, true);
    h.ok(
        "set_system_setting",
        json!({"setting": "external_calls_enabled", "enabled": external}),
    );
    let mc = h.ok(
        "save_mail_configuration",
        json!({"id": null, "input": mail_configuration("6731de76-14a6-49ae-97bc-6eba6914391e")}),
    );
    h.ok("assign_mail_configuration_to_all", json!({"id": mc["id"]}));
}

/// The seed's "über den Schalter in der Toolbar oder am E-Mail-Feld" (E1-E3): with a record open,
/// the main toolbar's Teams icon calls it (an activity: whom it concerns), without one it opens
/// Teams; every e-mail field calls its address; the settings decide who can be called, and a
/// refused call hands nothing to the OS.
#[test]
fn the_toolbar_icon_and_the_email_fields_start_calls_to_the_open_record() {
    let (h, opened) = harness_recording_launches();
    let launched = || opened.lock().unwrap().clone();
    teams_configured(&h, true);
    let me = h.ok("app_info", json!({}))["current_employee"]["id"].clone();
    let ben = h.ok(
        "save_employee",
        json!({"id": null, "fields": {
            "first_name": "Ben", "last_name": "Kurz", "email": "ben.kurz@contoso.example",
            "phone": "089 4520 101", "mobile": null, "department": null, "color": "#16a34a",
            "mail_configuration_id": null, "user_principal_name": null
        }}),
    )["id"]
        .clone();
    let partner = h.ok(
        "save_business_partner",
        json!({"id": null, "fields": {
            "name": "Brauerei Vogel", "industry": null, "street": null, "postal_code": null,
            "city": "Berlin", "country": "DE", "phone": "030 1234567",
            "email": "info@vogel.example", "website": null
        }}),
    )["id"]
        .clone();
    let sales = h.ok(
        "save_communication",
        json!({"id": null, "fields": {"owner_kind": "business_partner", "owner_id": partner,
               "channel": "email", "value": "vertrieb@vogel.example", "label": "Vertrieb"}}),
    )["id"]
        .clone();
    h.ok(
        "save_communication",
        json!({"id": null, "fields": {"owner_kind": "business_partner", "owner_id": partner,
               "channel": "phone", "value": "030 7654321", "label": "Zentrale"}}),
    );
    let contact = h.ok(
        "save_contact",
        json!({"id": null, "fields": {"business_partner_id": partner, "salutation": null,
               "first_name": "Max", "last_name": "Vogel", "position": null,
               "email": "max@vogel.example", "phone": null, "mobile": null}}),
    )["id"]
        .clone();
    let mut input = h.ok(
        "activity_draft",
        json!({"kind": "appointment", "slot": {"type": "day", "date": "2026-12-02"}, "openedCalendars": [me]}),
    )["input"]
        .clone();
    input["kind"] = json!("call");
    input["subject"] = json!("Rückruf Vogel");
    input["contact_id"] = contact.clone();
    input["business_partner_id"] = partner.clone();
    let activity = h.ok("create_activity", json!({"input": input}))["id"].clone();

    // No record open: the icon opens Teams.
    let toolbar =
        |kind: Value, id: Value| h.ok("teams_toolbar_action", json!({"kind": kind, "id": id}));
    assert_eq!(
        toolbar(Value::Null, Value::Null),
        json!({"action": "open_teams"})
    );
    h.ok("open_teams", json!({}));
    assert_eq!(launched(), ["https://teams.microsoft.com/"]);

    // An employee open: the icon calls him, at the number or address picked.
    let action = toolbar(json!("employee"), ben.clone());
    assert_eq!(action["action"], "call");
    assert_eq!(action["name"], "Ben Kurz");
    let values: Vec<&str> = action["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["089 4520 101", "ben.kurz@contoso.example"]);
    let call = |kind: &str, id: &Value, option: usize| {
        h.invoke(
            "start_call",
            json!({"kind": kind, "id": id, "place": "toolbar", "option": option}),
        )
    };
    call("employee", &ben, 1).unwrap();
    assert_eq!(launched()[1], "callto:ben.kurz@contoso.example");
    // A business partner: its central number, in E.164 (E3).
    let action = toolbar(json!("business_partner"), partner.clone());
    assert_eq!(
        (&action["action"], &action["kind"]),
        (&json!("call"), &json!("business_partner"))
    );
    call("business_partner", &partner, 0).unwrap();
    assert_eq!(launched()[2], "callto:+49301234567");
    // An activity: its contact.
    let action = toolbar(json!("activity"), activity.clone());
    assert_eq!(
        (&action["kind"], &action["id"], &action["name"]),
        (&json!("contact"), &contact, &json!("Max Vogel"))
    );

    // The e-mail fields: the record's own and its e-mail entries (not the phone entry).
    assert_eq!(
        h.ok(
            "email_calls",
            json!({"kind": "business_partner", "id": partner})
        ),
        json!({"field": true, "communications": [sales]})
    );
    let email_call =
        |kind: &str, id: &Value| h.invoke("start_email_call", json!({"kind": kind, "id": id}));
    email_call("business_partner", &partner).unwrap();
    email_call("communication", &sales).unwrap();
    email_call("employee", &ben).unwrap();
    assert_eq!(
        launched()[3..],
        [
            "callto:info@vogel.example",
            "callto:vertrieb@vogel.example",
            "callto:ben.kurz@contoso.example"
        ]
    );
    // Each call is in the called record's history.
    let history = h.ok(
        "record_history",
        json!({"kind": "business_partner", "id": partner}),
    );
    let subjects: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["target"]["label"].as_str())
        .filter(|s| *s == "MS Teams Anruf: Brauerei Vogel")
        .collect();
    assert_eq!(subjects.len(), 3, "{history}");

    // The Teams call link setting: the same call as a Teams link.
    h.ok("set_call_link_mode", json!({"mode": "teams_link"}));
    email_call("business_partner", &partner).unwrap();
    assert_eq!(
        launched()[6],
        "https://teams.microsoft.com/l/call/0/0?users=info@vogel.example"
    );

    // External calls off: partners and contacts are not called (the icon opens Teams), colleagues
    // still are; a refused call hands nothing over.
    h.ok(
        "set_system_setting",
        json!({"setting": "external_calls_enabled", "enabled": false}),
    );
    assert_eq!(
        toolbar(json!("business_partner"), partner.clone()),
        json!({"action": "open_teams"})
    );
    assert_eq!(
        toolbar(json!("activity"), activity.clone()),
        json!({"action": "open_teams"})
    );
    assert_eq!(
        h.ok(
            "email_calls",
            json!({"kind": "business_partner", "id": partner})
        ),
        json!({"field": false, "communications": []})
    );
    let refused = |r: Result<Value, Value>| {
        assert_eq!(r.unwrap_err()["code"], "teams_not_available");
    };
    refused(call("business_partner", &partner, 0));
    refused(email_call("business_partner", &partner));
    refused(email_call("communication", &sales));
    assert_eq!(toolbar(json!("employee"), ben.clone())["action"], "call");
    assert_eq!(
        h.ok("email_calls", json!({"kind": "employee", "id": ben}))["field"],
        true
    );

    // Integration off: no icon, no e-mail field call, nothing opens.
    set_teams(&h, false);
    assert_eq!(toolbar(json!("employee"), ben.clone()), Value::Null);
    assert_eq!(toolbar(Value::Null, Value::Null), Value::Null);
    assert_eq!(
        h.ok("email_calls", json!({"kind": "employee", "id": ben})),
        json!({"field": false, "communications": []})
    );
    refused(email_call("employee", &ben));
    refused(call("employee", &ben, 1));
    refused(h.invoke("open_teams", json!({})));
    assert_eq!(launched().len(), 7, "nothing was handed over");
}

/// An e-mail field without an address says so and starts nothing.
#[test]
fn an_email_field_without_an_address_starts_nothing() {
    let (h, opened) = harness_recording_launches();
    teams_configured(&h, true);
    let contact = h.ok(
        "save_contact",
        json!({"id": null, "fields": {"business_partner_id": null, "salutation": null,
               "first_name": "Max", "last_name": "Ohne", "position": null,
               "email": null, "phone": null, "mobile": null}}),
    )["id"]
        .clone();
    let err = h
        .invoke(
            "start_email_call",
            json!({"kind": "contact", "id": contact}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "no_call_address");
    assert!(opened.lock().unwrap().is_empty());
    assert_eq!(
        h.ok("record_history", json!({"kind": "contact", "id": contact})),
        json!([])
    );
}

/// E3 on Linux: where xdg-mime names nothing for `callto:` (empty output, a failure, or no
/// xdg-mime), the settings offer the Teams call link while calls would go out as callto:; once
/// it is chosen, or where a handler exists, they do not.
#[test]
fn the_settings_offer_the_teams_link_where_nothing_opens_callto() {
    use treffpunkt::teams::callto_handler::XdgMimeAnswer;
    let answer = Arc::new(Mutex::new(XdgMimeAnswer::Ran {
        success: true,
        stdout: b"\n".to_vec(),
    }));
    let asked = answer.clone();
    let h = harness_with(Arc::new(Db::open_in_memory().unwrap()), move |state| {
        state.xdg_mime = Arc::new(move || asked.lock().unwrap().clone());
    });
    let check = || h.ok("callto_check", json!({}));

    assert_eq!(
        check(),
        json!({"handler": {"state": "nothing"}, "offer_teams_link": false}),
        "no calls while the integration is off"
    );
    set_teams(&h, true);
    assert_eq!(
        check(),
        json!({"handler": {"state": "nothing"}, "offer_teams_link": true})
    );
    *answer.lock().unwrap() = XdgMimeAnswer::NotRun;
    assert_eq!(check()["offer_teams_link"], true, "no xdg-mime");
    *answer.lock().unwrap() = XdgMimeAnswer::Ran {
        success: false,
        stdout: Vec::new(),
    };
    assert_eq!(check()["offer_teams_link"], true, "xdg-mime failed");

    // The offer taken: calls go out as Teams links, and the notice is gone.
    let settings = h.ok("set_call_link_mode", json!({"mode": "teams_link"}));
    assert_eq!(settings["call_link_mode"], "teams_link");
    assert_eq!(check()["offer_teams_link"], false);

    h.ok("set_call_link_mode", json!({"mode": "callto"}));
    *answer.lock().unwrap() = XdgMimeAnswer::Ran {
        success: true,
        stdout: b"teams-for-linux.desktop\n".to_vec(),
    };
    assert_eq!(
        check(),
        json!({"handler": {"state": "handled", "handler": "teams-for-linux.desktop"}, "offer_teams_link": false})
    );
}

/// Creates a business partner, a contact of it, a person and a colleague; returns their ids.
fn crm_records(h: &Harness) -> (Value, Value, Value, Value) {
    let partner = h.ok(
        "save_business_partner",
        json!({"id": null, "fields": {"name": "Contoso GmbH", "industry": null, "street": null,
               "postal_code": null, "city": "Köln", "country": "DE", "phone": null, "email": null,
               "website": null}}),
    )["id"]
        .clone();
    let contact = h.ok(
        "save_contact",
        json!({"id": null, "fields": {"business_partner_id": partner, "salutation": null,
               "first_name": "Lena", "last_name": "Vogel", "position": null,
               "email": "lena@contoso.example", "phone": null, "mobile": null}}),
    )["id"]
        .clone();
    let person = h.ok(
        "save_person",
        json!({"id": null, "fields": {"first_name": "Ole", "last_name": "Hansen",
               "email": "ole@example.org", "phone": null, "city": null}}),
    )["id"]
        .clone();
    let colleague = h.ok(
        "save_employee",
        json!({"id": null, "fields": {"first_name": "Ben", "last_name": "Wolf", "email": null,
               "phone": null, "mobile": null, "department": null, "color": "#000000",
               "mail_configuration_id": null, "user_principal_name": null}}),
    )["id"]
        .clone();
    (partner, contact, person, colleague)
}

/// F2 with C7: every kind can be made from the activity list and from each record's page, Teams
/// meetings only with Teams; the new activity is about the record and shows in its history.
#[test]
fn every_kind_is_made_from_the_list_and_from_a_record_and_shows_in_its_history() {
    let h = harness();
    let (partner, contact, person, colleague) = crm_records(&h);
    let every = json!([
        "appointment",
        "meeting",
        "call",
        "email",
        "task",
        "note",
        "visit"
    ]);
    assert_eq!(h.ok("new_activity_kinds", json!({"record": null})), every);
    for (kind, id) in [
        ("business_partner", &partner),
        ("contact", &contact),
        ("person", &person),
        ("employee", &colleague),
    ] {
        let record = json!({"kind": kind, "id": id});
        assert_eq!(h.ok("new_activity_kinds", json!({"record": record})), every);
        for activity_kind in every.as_array().unwrap() {
            let draft = h.ok(
                "new_activity_draft",
                json!({"kind": activity_kind, "record": record}),
            );
            let mut input = draft["input"].clone();
            assert_eq!(&input["kind"], activity_kind);
            input["subject"] = json!(format!("{activity_kind} from {kind}"));
            let made = h.ok(
                "create_activity",
                json!({"input": input, "wallClock": draft["wall_clock"]}),
            );
            let history = h.ok("record_history", json!({"kind": kind, "id": id}));
            assert!(
                history
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| l["target"]["id"] == made["id"]),
                "{activity_kind} from {kind} is in its history"
            );
        }
    }
    // From a contact: the contact and its partner.
    let call = h.ok(
        "new_activity_draft",
        json!({"kind": "call", "record": {"kind": "contact", "id": contact}}),
    );
    assert_eq!(call["input"]["contact_id"], contact);
    assert_eq!(call["input"]["business_partner_id"], partner);
    // The dialog's lookup fields show them by name.
    assert_eq!(call["contact"]["label"], "Lena Vogel");
    assert_eq!(call["business_partner"]["label"], "Contoso GmbH");
    assert_eq!(call["person"], Value::Null);
    // From the list: about nobody.
    let note = h.ok(
        "new_activity_draft",
        json!({"kind": "note", "record": null}),
    );
    assert_eq!(note["input"]["contact_id"], Value::Null);
    assert_eq!(note["input"]["business_partner_id"], Value::Null);

    // No Teams: a Teams meeting is neither offered nor drafted.
    let err = h
        .invoke(
            "new_activity_draft",
            json!({"kind": "teams_meeting", "record": null}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "teams_not_available");
    set_teams(&h, true);
    let mc = h.ok(
        "save_mail_configuration",
        json!({"id": null, "input": mail_configuration("6731de76-14a6-49ae-97bc-6eba6914391e")}),
    );
    h.ok("assign_mail_configuration_to_all", json!({"id": mc["id"]}));
    let kinds = h.ok(
        "new_activity_kinds",
        json!({"record": {"kind": "contact", "id": contact}}),
    );
    assert_eq!(kinds.as_array().unwrap().len(), 8);
    assert!(kinds.as_array().unwrap().contains(&json!("teams_meeting")));

    // Bad records: a clear error.
    let err = h
        .invoke(
            "new_activity_kinds",
            json!({"record": {"kind": "contact", "id": 4242}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "not_found");
    let err = h
        .invoke(
            "new_activity_draft",
            json!({"kind": "call", "record": {"kind": "communication", "id": 1}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "no_activity_from_record");
}

/// F2 with C4: an activity is deleted (and gone from the list); a sent meeting is refused until it
/// is cancelled, and its buttons say to cancel it first.
#[test]
fn an_activity_is_deleted_and_a_sent_meeting_only_after_its_cancel() {
    let db = Arc::new(Db::open_in_memory().unwrap());
    let h = harness_on(db.clone());
    let make = |kind: &str| {
        let mut input =
            h.ok("new_activity_draft", json!({"kind": kind, "record": null}))["input"].clone();
        input["subject"] = json!(kind);
        h.ok("create_activity", json!({"input": input}))["id"].clone()
    };
    let task = make("task");
    assert_eq!(
        h.ok("activity_buttons", json!({"id": task}))["delete"],
        json!({"type": "allowed"})
    );
    h.ok("delete_activity", json!({"id": task}));
    assert_eq!(
        h.invoke("get_activity", json!({"id": task})).unwrap_err()["code"],
        "not_found"
    );

    // A sent meeting (Graph configured, so its cancel is offered).
    let mc = h.ok(
        "save_mail_configuration",
        json!({"id": null, "input": mail_configuration("6731de76-14a6-49ae-97bc-6eba6914391e")}),
    );
    h.ok("assign_mail_configuration_to_all", json!({"id": mc["id"]}));
    let meeting = make("meeting");
    let id = meeting.as_i64().unwrap();
    db.with(|c| treffpunkt::store::activities::mark_sent(c, id, 1, None, "event-1"))
        .unwrap();
    assert_eq!(
        h.ok("activity_buttons", json!({"id": meeting}))["delete"],
        json!({"type": "cancel_first"})
    );
    let err = h
        .invoke("delete_activity", json!({"id": meeting}))
        .unwrap_err();
    assert_eq!(err["code"], "delete_sent_meeting");
    assert_eq!(h.ok("get_activity", json!({"id": meeting}))["id"], meeting);
    db.with(|c| treffpunkt::store::activities::mark_cancelled(c, id, 2))
        .unwrap();
    assert_eq!(
        h.ok("activity_buttons", json!({"id": meeting}))["delete"],
        json!({"type": "allowed"})
    );
    h.ok("delete_activity", json!({"id": meeting}));
    assert_eq!(h.ok("search_activities", json!({"query": ""})), json!([]));
}

/// F2: an activity's contact, partner and person are set and changed through `update_activity`;
/// a contact brings its partner; a contact of another partner is refused and nothing changes.
#[test]
fn an_activitys_contact_partner_and_person_are_changed_and_kept_consistent() {
    let h = harness();
    let (partner, contact, person, _) = crm_records(&h);
    let other = h.ok(
        "save_business_partner",
        json!({"id": null, "fields": {"name": "Fabrikam AG", "industry": null, "street": null,
               "postal_code": null, "city": null, "country": "DE", "phone": null, "email": null,
               "website": null}}),
    )["id"]
        .clone();
    let mut input = h.ok(
        "new_activity_draft",
        json!({"kind": "visit", "record": null}),
    )["input"]
        .clone();
    input["subject"] = json!("Besuch");
    let made = h.ok("create_activity", json!({"input": input}));
    let id = made["id"].clone();
    input["contact_id"] = contact.clone();
    input["person_id"] = person.clone();
    let changed = h.ok(
        "update_activity",
        json!({"id": id, "version": made["stamp"]["version"], "input": input}),
    );
    assert_eq!(changed["contact"]["id"], contact);
    assert_eq!(changed["contact"]["label"], "Lena Vogel");
    assert_eq!(changed["business_partner"]["id"], partner, "the contact's");
    assert_eq!(changed["person"]["id"], person);

    let mut wrong = input.clone();
    wrong["business_partner_id"] = other.clone();
    wrong["subject"] = json!("anders");
    let err = h
        .invoke(
            "update_activity",
            json!({"id": id, "version": changed["stamp"]["version"], "input": wrong}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(
        err["fields"],
        json!([{"field": "contact_id", "code": "contact_not_of_partner"}])
    );
    assert_eq!(h.ok("get_activity", json!({"id": id})), changed);

    // Cleared: none of them.
    input["contact_id"] = Value::Null;
    input["person_id"] = Value::Null;
    input["business_partner_id"] = Value::Null;
    let cleared = h.ok(
        "update_activity",
        json!({"id": id, "version": changed["stamp"]["version"], "input": input}),
    );
    assert_eq!(cleared["contact"], Value::Null);
    assert_eq!(cleared["business_partner"], Value::Null);
    assert_eq!(cleared["person"], Value::Null);
    assert_eq!(
        cleared["stamp"]["version"], 3,
        "each save raises the version"
    );

    // A dialog still open on the first version: its save is refused and changes nothing.
    let mut stale = input.clone();
    stale["subject"] = json!("veraltet");
    let err = h
        .invoke(
            "update_activity",
            json!({"id": id, "version": made["stamp"]["version"], "input": stale}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "conflict");
    assert_eq!(
        err["conflict"]["changed_at"],
        cleared["stamp"]["changed_at"]
    );
    assert_eq!(h.ok("get_activity", json!({"id": id})), cleared);
}

/// F2: a communication entry is edited; its history says who changed what, when; a change to
/// another owner or a bad value is refused and changes nothing.
#[test]
fn a_communication_entry_is_edited_and_has_a_history() {
    let h = harness();
    let (_, contact, person, _) = crm_records(&h);
    let fields = json!({"owner_kind": "contact", "owner_id": contact, "channel": "phone",
                        "value": "+49 221 1234", "label": null});
    let entry = h.ok("save_communication", json!({"id": null, "fields": fields}));
    let id = entry["id"].clone();
    let mut edited = fields.clone();
    edited["channel"] = json!("mobile");
    edited["value"] = json!("+49 170 5555");
    edited["label"] = json!("Zentrale");
    let version = entry["stamp"]["version"].clone();
    let saved = h.ok(
        "save_communication",
        json!({"id": id, "version": version, "fields": edited}),
    );
    assert_eq!(saved["id"], id, "the same entry, changed");
    assert_eq!(saved["value"], "+49 170 5555");
    assert_eq!(
        h.ok(
            "communications_of",
            json!({"kind": "contact", "id": contact})
        )
        .as_array()
        .unwrap()
        .len(),
        1
    );

    let mut moved = edited.clone();
    moved["owner_kind"] = json!("person");
    moved["owner_id"] = person;
    let err = h
        .invoke(
            "save_communication",
            json!({"id": id, "version": saved["stamp"]["version"], "fields": moved}),
        )
        .unwrap_err();
    assert_eq!(
        err["fields"],
        json!([{"field": "owner_id", "code": "owner_unchangeable"}])
    );
    let mut bad = edited.clone();
    bad["value"] = json!("ruf mich an");
    let err = h
        .invoke(
            "save_communication",
            json!({"id": id, "version": saved["stamp"]["version"], "fields": bad}),
        )
        .unwrap_err();
    assert_eq!(err["fields"][0]["code"], "invalid_phone");

    let history = h.ok("record_history", json!({"kind": "communication", "id": id}));
    let lines = history.as_array().unwrap();
    assert_eq!(lines.len(), 2, "{history}");
    assert_eq!(lines[0]["event"], "changed");
    assert_eq!(lines[0]["by"], "Anna Schmidt");
    assert_eq!(
        lines[0]["changes"],
        json!([
            {"field": "channel", "old": "phone", "new": "mobile"},
            {"field": "value", "old": "+49 221 1234", "new": "+49 170 5555"},
            {"field": "label", "old": null, "new": "Zentrale"}
        ])
    );
    assert!(lines[0]["occurred_at"].is_string());
    assert_eq!(lines[1]["event"], "created");
    assert_eq!(lines[1]["by"], "Anna Schmidt");
}

/// No lost update on any record: two forms loaded from the same version each save; the first
/// passes, the second is refused naming the first's author and the time in the user's zone and
/// language (Berlin, German), and the stored values are the first's. Reloaded, the second saves.
#[test]
fn a_second_save_from_the_same_version_is_refused_with_who_and_when() {
    let h = harness();
    let (partner, _, person, colleague) = crm_records(&h);
    let entry = h.ok(
        "save_communication",
        json!({"id": null, "fields": {"owner_kind": "person", "owner_id": person,
               "channel": "phone", "value": "+49 431 1234", "label": null}}),
    )["id"]
        .clone();
    let records = [
        (
            "business_partner",
            partner,
            "city",
            json!("Bonn"),
            json!("Kiel"),
        ),
        ("person", person, "city", json!("Bonn"), json!("Kiel")),
        (
            "employee",
            colleague,
            "department",
            json!("Vertrieb"),
            json!("Einkauf"),
        ),
        (
            "communication",
            entry,
            "label",
            json!("Zentrale"),
            json!("privat"),
        ),
    ];
    for (kind, id, field, first_value, second_value) in records {
        let loaded = h.ok(&format!("get_{kind}"), json!({"id": id}));
        let version = loaded["stamp"]["version"].clone();
        // The record's fields as its form sends them: everything but the id, lookups and stamp.
        let fields_with = |value: &Value| {
            let mut fields = loaded.clone();
            let map = fields.as_object_mut().unwrap();
            for key in ["id", "stamp", "owner", "mail_configuration"] {
                map.remove(key);
            }
            map.insert(field.into(), value.clone());
            fields
        };
        let first = h.ok(
            &format!("save_{kind}"),
            json!({"id": id, "version": version, "fields": fields_with(&first_value)}),
        );
        assert_eq!(first[field], first_value, "{kind}");
        assert_eq!(
            first["stamp"]["version"],
            version.as_i64().unwrap() + 1,
            "{kind}"
        );

        let refused = h
            .invoke(
                &format!("save_{kind}"),
                json!({"id": id, "version": version, "fields": fields_with(&second_value)}),
            )
            .unwrap_err();
        assert_eq!(refused["code"], "conflict", "{kind}: {refused}");
        assert_eq!(refused["conflict"]["changed_by"], "Anna Schmidt", "{kind}");
        let at = first["stamp"]["changed_at"].as_i64().unwrap();
        assert_eq!(refused["conflict"]["changed_at"], at, "{kind}");
        let berlin = chrono::DateTime::from_timestamp(at, 0)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::Berlin)
            .format("%d.%m.%Y, %H:%M")
            .to_string();
        assert_eq!(refused["conflict"]["changed_at_text"], berlin, "{kind}");
        assert_eq!(
            h.ok(&format!("get_{kind}"), json!({"id": id})),
            first,
            "{kind}: the first's values are stored"
        );

        // The second form, having seen the current values, saves over them deliberately.
        let again = h.ok(
            &format!("save_{kind}"),
            json!({"id": id, "version": first["stamp"]["version"],
                   "fields": fields_with(&second_value)}),
        );
        assert_eq!(again[field], second_value, "{kind}");
    }
}
