//! End to end: the real app binary in a real window under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, as a user would click it. Screenshots of each screen go to
//! `target/e2e-screenshots/`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::Locator;

use crate::common::window::{launch_app, launch_demo, Processes, Session, Workspace};
use crate::common::xvfb::Xvfb;

#[tokio::test(flavor = "multi_thread")]
async fn a_user_creates_an_appointment_switches_language_and_enables_teams() {
    let s = launch_app(Workspace::Fresh, &[]).await;

    // The calendar shows on a fresh workspace: FullCalendar, which has taken over from the first
    // view and removed it.
    s.find("[data-testid=calendar].fc").await;
    assert!(s.absent("[data-testid=calendar-preview]").await);
    s.screenshot("01-calendar").await;

    // A click on a day opens the action choice; Teams is hidden while the integration is off.
    // Tomorrow: an appointment today at 09:00 would ring its reminder (and open the notification
    // centre over the calendar) when the test runs shortly before nine. The month view always shows
    // tomorrow: its six weeks reach at least five days past the month's end.
    let day = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    s.click_day(&day).await;
    let new_appointment = s.find("[data-testid=action-appointment]").await;
    assert_eq!(new_appointment.text().await.unwrap().trim(), "Neuer Termin");
    assert!(s.absent("[data-testid=action-teams_meeting]").await);
    s.screenshot("02-action-choice").await;

    // "Neuer Termin" -> subject -> save: the appointment is in the calendar and the database.
    new_appointment.click().await.unwrap();
    s.find("[data-testid=activity-dialog] input[name=subject]")
        .await
        .send_keys("Messevorbereitung Hannover")
        .await
        .unwrap();
    s.screenshot("03-appointment-dialog").await;
    s.click("[data-testid=save-activity]").await;
    s.gone("[data-testid=activity-dialog]").await;
    let event = s.find(".fc-event .fc-event-title").await;
    s.screenshot("04-appointment-in-calendar").await;
    // textContent: a month cell clips the title, and WebDriver's text() reports clipped text empty.
    let title = event.prop("textContent").await.unwrap().unwrap_or_default();
    assert_eq!(title.trim(), "Messevorbereitung Hannover");

    let db = s.db();
    let (kind, starts, ends): (String, i64, i64) = db
        .query_row(
            "SELECT kind, starts_at, ends_at FROM activities WHERE subject = ?1",
            ["Messevorbereitung Hannover"],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(kind, "appointment");
    assert_eq!(ends - starts, 3600, "end = start + 60 minutes");

    // The language switch turns "Neuer Termin" into "New appointment".
    s.click("[data-testid=nav-settings]").await;
    s.find("[data-testid=language]")
        .await
        .select_by_value("en")
        .await
        .unwrap();
    s.find("[data-testid=nav-settings]").await;
    for _ in 0..50 {
        let label = s
            .find("[data-testid=nav-settings]")
            .await
            .text()
            .await
            .unwrap();
        if label.trim() == "Settings" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    s.screenshot("05-settings-english").await;
    s.click("[data-testid=nav-calendar]").await;
    s.click_day(&day).await;
    let label = s
        .find("[data-testid=action-appointment]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(label.trim(), "New appointment");
    assert!(s.absent("[data-testid=action-teams_meeting]").await);
    s.client
        .execute(
            "document.querySelector('.modal header button').click()",
            vec![],
        )
        .await
        .unwrap();
    s.gone("[data-testid=action-choice]").await;

    // Integration on + a mail configuration with Azure fields, assigned to everybody: the Teams
    // entry appears, with its note.
    s.click("[data-testid=nav-settings]").await;
    s.click("[data-testid=teams-integration]").await;
    s.click("[data-testid=new-mail-configuration]").await;
    let form = "[data-testid=mail-configuration-form]";
    s.find(&format!("{form} input[name=name]"))
        .await
        .send_keys("Office 365")
        .await
        .unwrap();
    // A bad client ID gets its message and saves nothing.
    s.find(&format!("{form} input[name=client_id]"))
        .await
        .send_keys("not-a-guid")
        .await
        .unwrap();
    s.find(&format!("{form} input[name=tenant_id]"))
        .await
        .send_keys("contoso.onmicrosoft.com")
        .await
        .unwrap();
    s.click("[data-testid=save-mail-configuration]").await;
    s.find(&format!("{form} [data-field=client_id] .error"))
        .await;
    s.screenshot("06-mail-configuration-error").await;
    let client_id = s.find(&format!("{form} input[name=client_id]")).await;
    client_id.clear().await.unwrap();
    client_id
        .send_keys("6731de76-14a6-49ae-97bc-6eba6914391e")
        .await
        .unwrap();
    s.click("[data-testid=save-mail-configuration]").await;
    s.gone(form).await;
    s.click("[data-testid=assign-to-all]").await;
    s.find("[data-testid=notice]").await;
    s.screenshot("07-settings-teams-on").await;

    s.click("[data-testid=nav-calendar]").await;
    s.click_day(&day).await;
    let teams = s.find("[data-testid=action-teams_meeting]").await;
    assert!(teams.text().await.unwrap().contains("New MS Teams meeting"));
    s.screenshot("08-action-choice-with-teams").await;

    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_own_employee_signs_in_to_the_demo_tenant_and_tests_the_connection() {
    let s = launch_demo().await;

    s.find("[data-testid=demo-badge]").await;
    s.click("[data-testid=own-employee]").await;
    let state = s.find("[data-testid=signin-state]").await;
    assert_eq!(state.text().await.unwrap().trim(), "Nicht angemeldet");
    s.click("[data-testid=signin]").await;
    let mut shown = String::new();
    for _ in 0..100 {
        shown = s
            .find("[data-testid=signin-state]")
            .await
            .text()
            .await
            .unwrap();
        if shown.starts_with("Angemeldet als") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        shown.contains("@treffpunkt-demo.onmicrosoft.com"),
        "{shown}"
    );
    s.screenshot("10-employee-signed-in").await;

    // A6: "Test" asks GET /me and shows the account.
    s.click("[data-testid=signin-test]").await;
    let notice = s
        .find("[data-testid=signin-panel] [data-testid=notice] span")
        .await;
    let text = notice.text().await.unwrap();
    assert!(text.starts_with("Verbindung in Ordnung"), "{text}");
    assert!(
        shown.ends_with(text.trim_start_matches("Verbindung in Ordnung: ").trim()),
        "{shown} / {text}"
    );
    s.screenshot("11-connection-test").await;

    // The database holds the sign-in; no token ever reached the page.
    let db = s.db();
    let (state, token): (String, String) = db
        .query_row("SELECT state, access_token FROM sign_ins", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(state, "active");
    let page = s.client.source().await.unwrap();
    assert!(
        !page.contains(&token),
        "the access token reached the webview"
    );

    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teams_meeting_from_the_calendar_is_sent_once_and_joined() {
    let s = launch_demo().await;

    // Two opened calendars: the own one and a colleague's.
    s.find("[data-testid=calendar].fc").await;
    s.click(".calendars li:nth-child(1) input:not(:checked), .calendars li:nth-child(2) input:not(:checked)")
        .await;
    // Not signed in yet: the send asks for the sign-in (in the browser) and then goes on (B5).
    let planned = s
        .send_teams_meeting("Jahresgespräch Fabrikam", Some(20))
        .await;
    assert_eq!(planned, 2, "the employees of both opened calendars");

    let db = s.db();
    let (id, join_url, memo): (i64, String, String) = db
        .query_row(
            "SELECT id, join_url, memo FROM activities WHERE subject = 'Jahresgespräch Fabrikam' AND sent_at IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(join_url.starts_with("https://teams.microsoft.com/l/meetup-join/"));
    assert!(memo.ends_with(&join_url), "the link ends the memo (C4, D2)");

    // The simulator holds exactly one event for it.
    let (graph, token): (String, String) = db
        .query_row(
            "SELECT m.custom_graph_url, s.access_token FROM sign_ins s, mail_configurations m",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let from = (chrono::Utc::now() - chrono::Duration::days(2)).format("%Y-%m-%dT00:00:00Z");
    let to = (chrono::Utc::now() + chrono::Duration::days(9)).format("%Y-%m-%dT00:00:00Z");
    let view: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{graph}/v1.0/me/calendarView?startDateTime={from}&endDateTime={to}&$top=100"
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let events: Vec<&serde_json::Value> = view["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == "Jahresgespräch Fabrikam")
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["attendees"].as_array().unwrap().len(),
        2,
        "colleague and customer"
    );

    // The activity shows the Teams button; a click hands the join URL to the OS (D3).
    s.click("[data-testid=nav-activities]").await;
    s.click("[data-testid=list-activity] tbody tr td").await;
    s.find("[data-testid=record-activity]").await;
    s.screenshot("23-activity").await;
    if s.absent("[data-testid=join-meeting]").await {
        // The newest activity of the list is another; open ours through the search.
        s.click("[data-testid=nav-activities]").await;
        s.search_list("[data-testid=list-activity]", "Jahresgespräch Fabrikam")
            .await;
        s.click("[data-testid=list-activity] tbody tr td").await;
    }
    s.click("[data-testid=join-meeting]").await;
    let opened = s.opened();
    let mut handed = String::new();
    for _ in 0..50 {
        handed = std::fs::read_to_string(&opened).unwrap_or_default();
        if !handed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(handed.trim(), join_url);
    s.screenshot("24-activity-joined").await;

    // D1: ten minutes before the meeting the notification centre reminds of it, once, and its
    // "An Besprechung teilnehmen" opens the join URL too.
    let soon = chrono::Utc::now().timestamp() + 600;
    db.execute(
        "UPDATE activities SET starts_at = ?2, ends_at = ?2 + 3600 WHERE id = ?1",
        rusqlite::params![id, soon],
    )
    .unwrap();
    s.click("[data-testid=notifications-button]").await;
    let reminder = s.find("[data-testid=reminder]").await;
    assert!(reminder
        .text()
        .await
        .unwrap()
        .contains("Jahresgespräch Fabrikam"));
    s.screenshot("25-reminder").await;
    s.click("[data-testid=reminder-join]").await;
    for _ in 0..50 {
        handed = std::fs::read_to_string(&opened).unwrap_or_default();
        if handed.lines().count() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        handed.lines().collect::<Vec<_>>(),
        vec![join_url.as_str(), join_url.as_str()]
    );
    let shown: i64 = db
        .query_row(
            "SELECT count(*) FROM reminders WHERE activity_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(shown, 1, "shown once");

    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn meetings_from_a_contacts_toolbar_and_from_a_phone_call() {
    let s = launch_demo().await;

    // C5: a contact with an address -> "Besprechungsanfrage versenden" -> sent -> the toolbar joins.
    s.click("[data-testid=nav-contact]").await;
    s.search_list("[data-testid=list-contact]", "@").await;
    s.click("[data-testid=list-contact] tbody tr td").await;
    s.click("[data-testid=contact-send-request]").await;
    // The dialog renders after the draft arrives: wait for it before counting.
    s.find("[data-testid=activity-dialog] [data-testid=participant]")
        .await;
    let chips = s
        .client
        .find_all(Locator::Css(
            "[data-testid=activity-dialog] [data-testid=participant]",
        ))
        .await
        .unwrap();
    assert_eq!(chips.len(), 2, "the own employee and the contact");
    s.find("[data-testid=activity-dialog] input[name=subject]")
        .await
        .send_keys("Angebot besprechen")
        .await
        .unwrap();
    s.click("[data-testid=save-and-send]").await;
    // "Versenden" is enabled once the summary has arrived.
    s.find("[data-testid=summary-subject]").await;
    s.click("[data-testid=confirm-send]").await;
    s.find("[data-testid=join-meeting]").await; // the new activity opened, sent
    s.screenshot("30-contact-meeting-sent").await;
    s.click("[data-testid=record-activity] .toolbar button")
        .await; // back to the contact
    s.click("[data-testid=contact-join]").await;
    let opened = s.opened();
    let mut handed = String::new();
    for _ in 0..50 {
        handed = std::fs::read_to_string(&opened).unwrap_or_default();
        if !handed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        handed.starts_with("https://teams.microsoft.com/l/meetup-join/"),
        "{handed}"
    );
    s.screenshot("31-contact-join").await;

    // C6: a phone call -> "Neuen Termin/Besprechung erstellen" -> a linked meeting; both
    // histories show the link and open the other.
    s.click("[data-testid=nav-activities]").await;
    s.search_list("[data-testid=list-activity]", "Terminabstimmung")
        .await;
    s.click("[data-testid=list-activity] tbody tr td").await;
    s.click("[data-testid=new-linked]").await;
    s.click("[data-testid=link-meeting]").await;
    let subject = s
        .find("[data-testid=activity-dialog] input[name=subject]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(subject, "Terminabstimmung", "prefilled from the call");
    s.click("[data-testid=save-activity]").await;
    s.gone("[data-testid=activity-dialog]").await;
    s.wait_text("[data-testid=record-activity] .kind-badge", "Besprechung")
        .await;
    s.wait_text("[data-testid=history] li:first-child .tag", "Verknüpft")
        .await;
    let link = s.find("[data-testid=history] li:first-child a").await;
    assert_eq!(link.text().await.unwrap(), "Terminabstimmung");
    s.screenshot("32-linked-meeting").await;
    link.click().await.unwrap();
    s.wait_text("[data-testid=record-activity] .kind-badge", "Telefonat")
        .await;
    s.wait_text(
        "[data-testid=record-activity] [data-testid=history] li:first-child .tag",
        "Verknüpft",
    )
    .await;
    s.screenshot("33-call-history").await;

    s.close().await;
}

/// Reads what the stub opener received so far, waiting for `lines` lines.
async fn handed_over(file: &Path, lines: usize) -> Vec<String> {
    for _ in 0..50 {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if text.lines().count() >= lines {
            return text.lines().map(str::to_string).collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn teams_calls_and_chats_from_records() {
    let s = launch_demo().await;
    let opened = s.opened();

    let open_contact = || async {
        s.click("[data-testid=nav-contact]").await;
        s.search_list("[data-testid=list-contact]", "@rheinland")
            .await;
        s.click("[data-testid=list-contact] tbody tr td").await;
        s.find("[data-testid=record-contact]").await;
    };

    // E2 on (the demo's default): a call button on the contact; callto: with E.164 (E3).
    open_contact().await;
    s.click("[data-testid=teams-call-contact-record]").await;
    s.click("[data-testid=call-option]").await;
    let handed = handed_over(&opened, 1).await;
    assert!(handed[0].starts_with("callto:+49"), "{handed:?}");
    assert!(
        handed[0][8..].chars().all(|c| c.is_ascii_digit()),
        "{handed:?}"
    );
    s.screenshot("40-contact-call").await;

    // The link setting: the Teams call URL instead.
    s.click("[data-testid=nav-settings]").await;
    s.find("[data-testid=call-link-mode]")
        .await
        .select_by_value("teams_link")
        .await
        .unwrap();
    open_contact().await;
    s.click("[data-testid=teams-call-contact-record]").await;
    s.click("[data-testid=call-option]").await;
    let handed = handed_over(&opened, 2).await;
    assert!(
        handed[1].starts_with("https://teams.microsoft.com/l/call/0/0?users=4:%2B49"),
        "{handed:?}"
    );

    // E4: chat from a business partner.
    s.click("[data-testid=nav-business_partner]").await;
    s.click("[data-testid=list-business_partner] tbody tr td")
        .await;
    s.click("[data-testid=teams-chat-business_partner-record]")
        .await;
    let handed = handed_over(&opened, 3).await;
    assert!(
        handed[2].starts_with("https://teams.microsoft.com/l/chat/0/0?users=info@"),
        "{handed:?}"
    );

    // A contact without e-mail: a clear message, nothing launched.
    open_contact().await;
    s.find("[data-testid=record-contact] input[name=email]")
        .await;
    // As a user deleting the address: the input event tells the form (WebDriver's clear does not).
    s.client
        .execute(
            "const e = document.querySelector('[data-testid=record-contact] input[name=email]');
             e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    s.click("[data-testid=save-record]").await;
    s.find("[data-testid=record-contact] [data-testid=notice]")
        .await;
    s.click("[data-testid=teams-chat-contact-record]").await;
    s.wait_text(
        "[data-testid=record-contact] .teams-buttons [data-testid=notice] span",
        "Keine E-Mail-Adresse hinterlegt: Der Teams-Chat kann nicht geöffnet werden.",
    )
    .await;
    s.screenshot("41-chat-without-address").await;
    assert_eq!(handed_over(&opened, 4).await.len(), 3, "nothing launched");

    // E2 off: no call button on contacts; the chat stays.
    s.click("[data-testid=nav-settings]").await;
    s.click("[data-testid=external-calls]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    open_contact().await;
    s.find("[data-testid=teams-chat-contact-record]").await;
    assert!(s.absent("[data-testid=teams-call-contact-record]").await);
    s.screenshot("42-external-calls-off").await;

    // E1: the main toolbar's Teams icon opens Teams; with the integration off it is gone.
    s.click("[data-testid=teams-toolbar]").await;
    let handed = handed_over(&opened, 4).await;
    assert_eq!(handed[3], "https://teams.microsoft.com/");
    s.click("[data-testid=nav-settings]").await;
    s.click("[data-testid=teams-integration]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.click("[data-testid=nav-calendar]").await;
    s.find("[data-testid=calendar].fc").await;
    // The icon asks Rust again after the navigation: wait for its answer rather than race it.
    s.gone("[data-testid=teams-toolbar]").await;

    s.close().await;
}

/// The value the input `css` holds.
async fn input_value(s: &Session, css: &str) -> String {
    s.find(css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The seed's "Der Anruf über MS Teams kann über den Schalter in der Toolbar oder am E-Mail-Feld
/// initiiert werden" (E1-E3), in the real window: on a desktop where nothing opens callto:, the
/// settings say so and switch to the Teams call link; a colleague's and a business partner's
/// records are called from the main toolbar's icon and from their e-mail fields, each handing the
/// OS exactly the URI of what the page shows.
#[tokio::test(flavor = "multi_thread")]
async fn calls_from_the_toolbar_and_the_email_field() {
    // xdg-mime names no handler for callto: (it prints nothing, as on a desktop without one).
    let s = launch_app(Workspace::Demo, &[("xdg-mime", "#!/bin/sh\nexit 0\n")]).await;
    let opened = s.opened();
    s.find("[data-testid=calendar].fc").await;

    // A colleague: the toolbar icon calls him at the address picked (callto:, E3's default).
    s.click("[data-testid=nav-employee]").await;
    s.click("[data-testid=list-employee] tbody tr:nth-child(2) td")
        .await;
    let email = input_value(&s, "[data-testid=record-employee] input[name=email]").await;
    assert!(
        email.ends_with("@treffpunkt-demo.onmicrosoft.com"),
        "{email}"
    );
    s.click("[data-testid=teams-toolbar][data-action=call]")
        .await;
    s.screenshot("50-toolbar-call-options").await;
    s.click("[data-testid=call-option][data-channel=email]")
        .await;
    assert_eq!(handed_over(&opened, 1).await, [format!("callto:{email}")]);
    // ... and the button beside his e-mail field does the same.
    s.click("[data-testid=record-employee] [data-field=email] [data-testid=email-call]")
        .await;
    assert_eq!(handed_over(&opened, 2).await[1], format!("callto:{email}"));
    s.screenshot("51-employee-email-call").await;

    // The settings: nothing opens callto: here; the offered switch to the Teams call link.
    s.click("[data-testid=nav-settings]").await;
    s.wait_text(
        "[data-testid=callto-notice] span",
        "Auf diesem Computer ist kein Programm mit dem callto-Protokoll verknüpft: Anrufe über \
         callto: kämen nirgends an. Das callto-Protokoll muss im Betriebssystem mit MS Teams \
         verknüpft sein, oder Anrufe werden als MS Teams Anruf-Link übergeben.",
    )
    .await;
    s.screenshot("52-callto-notice").await;
    s.click("[data-testid=callto-use-teams-link]").await;
    s.gone("[data-testid=callto-notice]").await;
    let mode = input_value(&s, "[data-testid=call-link-mode]").await;
    assert_eq!(mode, "teams_link");

    // A business partner: the toolbar icon calls its number, the e-mail field its address, both
    // now as Teams call links.
    s.click("[data-testid=nav-business_partner]").await;
    s.click("[data-testid=list-business_partner] tbody tr td")
        .await;
    let record = "[data-testid=record-business_partner]";
    let phone = input_value(&s, &format!("{record} input[name=phone]")).await;
    let address = input_value(&s, &format!("{record} input[name=email]")).await;
    // The demo's numbers are written internationally ("+49 89 123456"): E.164 is its digits.
    assert!(phone.starts_with('+'), "{phone}");
    let e164: String = phone.chars().filter(char::is_ascii_digit).collect();
    s.click("[data-testid=teams-toolbar][data-action=call]")
        .await;
    s.click("[data-testid=call-option][data-channel=phone]")
        .await;
    assert_eq!(
        handed_over(&opened, 3).await[2],
        format!("https://teams.microsoft.com/l/call/0/0?users=4:%2B{e164}")
    );
    s.click(&format!(
        "{record} [data-field=email] [data-testid=email-call]"
    ))
    .await;
    assert_eq!(
        handed_over(&opened, 4).await[3],
        format!("https://teams.microsoft.com/l/call/0/0?users={address}")
    );
    s.screenshot("53-partner-calls").await;

    // No record open: the icon opens Teams.
    s.click("[data-testid=nav-calendar]").await;
    s.click("[data-testid=teams-toolbar][data-action=open_teams]")
        .await;
    assert_eq!(
        handed_over(&opened, 5).await[4],
        "https://teams.microsoft.com/"
    );

    s.close().await;
}

/// The app binary itself, without WebDriver, on the workspace in `data`; `bus` is the session bus
/// it may use to find a running instance (none: it cannot).
fn app(data: &Path, display: u32, bus: Option<&str>) -> Command {
    let mut app = Command::new(env!("CARGO_BIN_EXE_treffpunkt"));
    app.env("DISPLAY", format!(":{display}"))
        .env("TREFFPUNKT_DATA_DIR", data)
        .env(treffpunkt::secret_key::KEYRING_ENV, "off")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("NO_AT_BRIDGE", "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(bus) = bus {
        app.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    app
}

/// How many lines of the workspace's log files contain `text`.
fn log_lines(data: &Path, text: &str) -> usize {
    let Ok(files) = std::fs::read_dir(data.join("logs")) else {
        return 0;
    };
    files
        .flatten()
        .filter_map(|f| std::fs::read_to_string(f.path()).ok())
        .map(|log| log.lines().filter(|l| l.contains(text)).count())
        .sum()
}

/// Waits (up to a minute) until the log has `count` lines with `text`.
fn wait_for_log(data: &Path, text: &str, count: usize) {
    for _ in 0..600 {
        if log_lines(data, text) >= count {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the log never said {text:?} {count} times");
}

/// The second start's exit status and what it wrote to stderr; killed after a minute.
fn finished(mut second: Child) -> (std::process::ExitStatus, String) {
    for _ in 0..600 {
        if let Some(status) = second.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut stderr).unwrap();
            return (status, stderr);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = second.kill();
    panic!("the second start did not end");
}

/// A session bus of the test's own, with no services to start (no keyring pops up); ended on drop.
struct PrivateBus {
    daemon: Child,
    address: String,
    _config: tempfile::TempDir,
}

impl PrivateBus {
    fn start() -> PrivateBus {
        let config = tempfile::tempdir().unwrap();
        let file = config.path().join("session.conf");
        std::fs::write(
            &file,
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>"#,
        )
        .unwrap();
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", file.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (make deps installs dbus)");
        let mut address = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(daemon.stdout.take().unwrap()),
            &mut address,
        )
        .unwrap();
        PrivateBus {
            daemon,
            address: address.trim().to_string(),
            _config: config,
        }
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// A second start of the app on a workspace that is open hands over to the running window and
/// ends, having opened nothing (one "starting" line in the log).
#[test]
fn a_second_start_hands_over_to_the_running_window() {
    let xvfb = Xvfb::start().unwrap_or_else(|e| panic!("{e}"));
    let display = xvfb.display;
    let bus = PrivateBus::start();
    let data = tempfile::tempdir().unwrap();
    let mut procs = Processes {
        children: Vec::new(),
        _xvfb: xvfb,
    };
    procs.children.push(
        app(data.path(), display, Some(&bus.address))
            .spawn()
            .unwrap(),
    );
    wait_for_log(data.path(), "starting Treffpunkt", 1);

    let second = app(data.path(), display, Some(&bus.address))
        .spawn()
        .unwrap();
    let (status, stderr) = finished(second);
    assert!(status.success(), "{status}: {stderr}");
    wait_for_log(data.path(), "a second start handed over to this window", 1);
    assert_eq!(log_lines(data.path(), "starting Treffpunkt"), 1);
    assert!(
        procs.children[0].try_wait().unwrap().is_none(),
        "the first one runs on"
    );
}

/// Without a session bus the two cannot find each other: the second start still touches nothing
/// of the open workspace, says why, and ends.
#[test]
fn a_second_start_without_a_session_bus_touches_nothing_and_says_why() {
    let xvfb = Xvfb::start().unwrap_or_else(|e| panic!("{e}"));
    let display = xvfb.display;
    let data = tempfile::tempdir().unwrap();
    let mut procs = Processes {
        children: Vec::new(),
        _xvfb: xvfb,
    };
    procs
        .children
        .push(app(data.path(), display, None).spawn().unwrap());
    wait_for_log(data.path(), "starting Treffpunkt", 1);

    let (status, stderr) = finished(app(data.path(), display, None).spawn().unwrap());
    assert_eq!(
        status.code(),
        Some(treffpunkt::EXIT_WORKSPACE_IN_USE),
        "{stderr}"
    );
    assert!(
        stderr.contains("is open in another Treffpunkt: use that window"),
        "{stderr}"
    );
    assert!(stderr.contains("treffpunkt.sqlite"), "{stderr}");
    assert_eq!(log_lines(data.path(), "starting Treffpunkt"), 1);
    assert!(
        procs.children[0].try_wait().unwrap().is_none(),
        "the first one runs on"
    );
}

/// How many sign-ins the test browser has made so far.
fn browser_sign_ins(bin: &Path) -> usize {
    std::fs::read_to_string(bin.join("browsed.txt"))
        .unwrap_or_default()
        .lines()
        .count()
}

impl Session {
    /// Plans a Teams meeting called `subject` on the coming Saturday with a customer's address,
    /// and confirms its send; returns once the send has finished (signed in on the way, if asked),
    /// with the number of participants the dialog was opened with (the employees of the opened
    /// calendars). With `first_shot` N it takes the pictures N (the dialog), N+1 (the summary)
    /// and N+2 (after the send).
    async fn send_teams_meeting(&self, subject: &str, first_shot: Option<u32>) -> usize {
        let shot = |n: u32, name: &str| {
            let name = first_shot.map(|first| format!("{}-{name}", first + n));
            async move {
                if let Some(name) = name {
                    self.screenshot(&name).await;
                }
            }
        };
        self.click("[data-testid=nav-calendar]").await;
        self.find("[data-testid=calendar].fc").await;
        // The demo has no activities at weekends: a click on a Saturday hits the day, not an event.
        let mut saturday = chrono::Local::now().date_naive();
        while chrono::Datelike::weekday(&saturday) != chrono::Weekday::Sat {
            saturday = saturday.succ_opt().unwrap();
        }
        self.click_day(&saturday.to_string()).await;
        self.click("[data-testid=action-teams_meeting]").await;
        // The dialog renders after the draft arrives: wait for it before counting.
        self.find("[data-testid=activity-dialog] [data-testid=participant]")
            .await;
        let planned = self
            .client
            .find_all(Locator::Css(
                "[data-testid=activity-dialog] [data-testid=participant]",
            ))
            .await
            .unwrap()
            .len();
        self.find("[data-testid=activity-dialog] input[name=subject]")
            .await
            .send_keys(subject)
            .await
            .unwrap();
        // A customer takes part too: a free address.
        self.find("[data-testid=activity-dialog] .picker input")
            .await
            .send_keys("einkauf@fabrikam.example\u{E007}")
            .await
            .unwrap();
        shot(0, "teams-meeting-dialog").await;
        self.click("[data-testid=save-and-send]").await;
        let summary = self.find("[data-testid=summary-subject]").await;
        assert_eq!(summary.text().await.unwrap(), subject);
        shot(1, "send-summary").await;
        self.click("[data-testid=confirm-send]").await;
        self.gone("[data-testid=send-summary]").await;
        shot(2, "sent").await;
        planned
    }

    /// Opens the activity called `subject` from the activity list's search.
    async fn open_activity(&self, subject: &str) {
        self.click("[data-testid=nav-activities]").await;
        self.search_list("[data-testid=list-activity]", subject)
            .await;
        self.click("[data-testid=list-activity] tbody tr td").await;
        self.wait_text("[data-testid=readonly-subject]", subject)
            .await;
    }

    /// The text of the notice inside `scope`, once one is shown.
    async fn notice_in(&self, scope: &str) -> String {
        self.find(&format!("{scope} [data-testid=notice] span"))
            .await
            .text()
            .await
            .unwrap()
    }
}

/// The send's row: whether it was sent, and the address Graph made its organizer.
fn sent_meeting(db: &rusqlite::Connection, subject: &str) -> (i64, bool, Option<String>) {
    db.query_row(
        "SELECT id, sent_at IS NOT NULL, join_url FROM activities WHERE subject = ?1",
        [subject],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

/// B5 with the employee's own sign-in, and C7 afterwards: a lapsed sign-in is asked for once on
/// send and the send goes on; with the integration then switched off, the sent Teams meeting
/// shows no join button, no join link in its memo and no join in its reminder.
#[tokio::test(flavor = "multi_thread")]
async fn a_lapsed_own_sign_in_is_renewed_on_send_and_integration_off_hides_the_join() {
    let s = launch_demo().await;
    s.click("[data-testid=own-employee]").await;
    s.click("[data-testid=signin]").await;
    s.wait_prefix("[data-testid=signin-state]", "Angemeldet als")
        .await;
    assert_eq!(browser_sign_ins(&s.bin), 1);

    // The sign-in lapses (as a refused refresh marks it, B5).
    let db = s.db();
    db.execute(
        "UPDATE sign_ins SET state = 'expired', expired_reason = 'signin_expired'",
        [],
    )
    .unwrap();
    s.send_teams_meeting("Abstimmung Rahmenvertrag Nordwind", None)
        .await;
    let (id, sent, join_url) = sent_meeting(&db, "Abstimmung Rahmenvertrag Nordwind");
    assert!(sent, "the send went on after the sign-in");
    assert_eq!(browser_sign_ins(&s.bin), 2, "one sign-in on send, no loop");
    let state: String = db
        .query_row("SELECT state FROM sign_ins", [], |r| r.get(0))
        .unwrap();
    assert_eq!(state, "active");
    let join_url = join_url.expect("a Teams meeting has its join link");

    // While Teams is on, the sent meeting offers the join three ways.
    let soon = chrono::Utc::now().timestamp() + 600;
    db.execute(
        "UPDATE activities SET starts_at = ?2, ends_at = ?2 + 3600 WHERE id = ?1",
        rusqlite::params![id, soon],
    )
    .unwrap();
    s.open_activity("Abstimmung Rahmenvertrag Nordwind").await;
    s.find("[data-testid=join-meeting]").await;
    // D2: the memo's link reads as a person reads it: "19:meeting_…", not "19%3ameeting_…".
    let link = s
        .find("[data-testid=memo-join-link]")
        .await
        .text()
        .await
        .unwrap();
    assert!(join_url.contains("19%3ameeting_"), "{join_url}");
    assert!(
        link.starts_with("https://teams.microsoft.com/l/meetup-join/19:meeting_"),
        "{link}"
    );
    s.click("[data-testid=notifications-button]").await;
    s.find("[data-testid=reminder-join]").await;
    s.click("[data-testid=notifications-button]").await;

    // C7: "MS Teams Integration aktivieren" off: no Teams element is left.
    s.click("[data-testid=nav-settings]").await;
    s.click("[data-testid=teams-integration]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.open_activity("Abstimmung Rahmenvertrag Nordwind").await;
    let memo = s.find("[data-testid=memo]").await.text().await.unwrap();
    assert!(
        memo.contains("meetup-join"),
        "the memo's text stays: {memo}"
    );
    assert!(s.absent("[data-testid=memo-join-link]").await);
    assert!(s.absent("[data-testid=join-meeting]").await);
    s.click("[data-testid=notifications-button]").await;
    let reminder = s.find("[data-testid=reminder]").await;
    assert!(reminder
        .text()
        .await
        .unwrap()
        .contains("Abstimmung Rahmenvertrag Nordwind"));
    assert!(s.absent("[data-testid=reminder-join]").await);
    s.screenshot("50-integration-off-sent-meeting").await;

    s.close().await;
}

/// A6 and B3, B5 on a mail configuration (a shared mailbox): "Test" succeeds after its sign-in,
/// fails with Microsoft's own code once Microsoft revokes it, the own employee's "Test" tests
/// the mailbox's sign-in (which leads), and a send asks for the mailbox's sign-in once and goes on.
#[tokio::test(flavor = "multi_thread")]
async fn a_mail_configurations_sign_in_is_tested_leads_and_is_renewed_on_send() {
    let s = launch_demo().await;
    let form = "[data-testid=mail-configuration-form]";
    s.click("[data-testid=nav-settings]").await;
    s.click("[data-testid=mail-configuration] a").await;
    s.wait_text(
        &format!("{form} [data-testid=signin-state]"),
        "Nicht angemeldet",
    )
    .await;
    s.click(&format!("{form} [data-testid=signin]")).await;
    let shown = s
        .wait_prefix(
            &format!("{form} [data-testid=signin-state]"),
            "Angemeldet als",
        )
        .await;
    let account = shown
        .trim_start_matches("Angemeldet als ")
        .trim()
        .to_string();

    s.click(&format!("{form} [data-testid=signin-test]")).await;
    assert_eq!(
        s.notice_in(&format!("{form} [data-testid=signin-panel]"))
            .await,
        format!("Verbindung in Ordnung: {account}")
    );

    // The mailbox's sessions are revoked: the access token in hand works until it expires, as
    // Microsoft documents for a client without CAE (access-tokens.md, "Token lifetime"), so
    // "Test" still passes.
    s.click("[data-testid=sim-sign_in_revoked]").await;
    s.click(&format!("{form} [data-testid=notice] button"))
        .await;
    s.click(&format!("{form} [data-testid=signin-test]")).await;
    assert_eq!(
        s.notice_in(&format!("{form} [data-testid=signin-panel]"))
            .await,
        format!("Verbindung in Ordnung: {account}")
    );
    // Once the token is due, its refresh is refused (B5): "Test" fails with the app's words.
    let db = s.db();
    db.execute("UPDATE sign_ins SET expires_at = 0", [])
        .unwrap();
    s.click(&format!("{form} [data-testid=notice] button"))
        .await;
    s.click(&format!("{form} [data-testid=signin-test]")).await;
    let failed = s
        .notice_in(&format!("{form} [data-testid=signin-panel]"))
        .await;
    assert!(
        failed.starts_with("Die Anmeldung bei Microsoft 365 ist abgelaufen."),
        "{failed}"
    );
    s.screenshot("51-mail-configuration-test-failed").await;
    s.click("[data-testid=sim-sign_in_revoked]").await;

    // The mailbox's sign-in lapses (as a refused refresh marks it, B5); it leads, so the send asks
    // for it, once, and goes on.
    db.execute(
        "UPDATE sign_ins SET state = 'expired', expired_reason = 'signin_expired'",
        [],
    )
    .unwrap();
    assert_eq!(browser_sign_ins(&s.bin), 1);
    s.send_teams_meeting("Abstimmung Messestand Nordwind", None)
        .await;
    let (_, sent, _) = sent_meeting(&db, "Abstimmung Messestand Nordwind");
    assert!(sent);
    assert_eq!(browser_sign_ins(&s.bin), 2, "one sign-in on send, no loop");
    let owners: Vec<(Option<i64>, Option<i64>, String)> = db
        .prepare("SELECT employee_id, mail_configuration_id, state FROM sign_ins")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        owners.len(),
        1,
        "the employee got no sign-in of its own: {owners:?}"
    );
    assert!(
        owners[0].1.is_some() && owners[0].2 == "active",
        "{owners:?}"
    );

    // The own employee's "Test" tests the sign-in a send uses: the mailbox's.
    s.click("[data-testid=own-employee]").await;
    s.click("[data-testid=record-employee] [data-testid=signin-test]")
        .await;
    assert_eq!(
        s.notice_in("[data-testid=record-employee] [data-testid=signin-panel]")
            .await,
        format!(
            "Verbindung in Ordnung: {account} Getestet wurde die führende Anmeldung der E-Mail-Konfiguration."
        )
    );

    s.close().await;
}

/// F2: an activity of another kind than a meeting (a task) is made from a contact's page, prefilled
/// with the contact, shows in the contact's history, and is deleted from the activity list after
/// the confirmation.
#[tokio::test(flavor = "multi_thread")]
async fn a_task_is_made_from_a_contact_and_deleted_from_the_list() {
    let s = launch_demo().await;
    let subject = "Angebot nachfassen Nordwind";

    s.click("[data-testid=nav-contact]").await;
    s.search_list("[data-testid=list-contact]", "@rheinland")
        .await;
    s.click("[data-testid=list-contact] tbody tr td").await;
    s.click("[data-testid=record-contact] [data-testid=new-activity]")
        .await;
    s.click("[data-testid=new-task]").await;
    s.find("[data-testid=activity-dialog] input[name=subject]")
        .await
        .send_keys(subject)
        .await
        .unwrap();
    s.click("[data-testid=save-activity]").await;
    s.gone("[data-testid=activity-dialog]").await;

    let db = s.db();
    let (kind, contact): (String, Option<i64>) = db
        .query_row(
            "SELECT kind, contact_id FROM activities WHERE subject = ?1",
            [subject],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kind, "task");
    assert!(contact.is_some(), "prefilled with the contact");
    let history = s
        .find("[data-testid=record-contact] [data-testid=history]")
        .await;
    for _ in 0..50 {
        if history.text().await.unwrap().contains(subject) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(history.text().await.unwrap().contains(subject));
    s.screenshot("60-task-from-contact").await;

    s.click("[data-testid=nav-activities]").await;
    s.search_list("[data-testid=list-activity]", subject).await;
    s.click("[data-testid=list-activity] [data-testid=delete-activity]")
        .await;
    s.click("[data-testid=confirm-delete]").await;
    s.gone("[data-testid=delete-dialog]").await;
    let left: i64 = db
        .query_row(
            "SELECT count(*) FROM activities WHERE subject = ?1",
            [subject],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "deleted");

    s.close().await;
}

/// T4 with T2 (and C4, F2): two windows as two employees of one team database, each desktop with
/// its own data directory: a contact Anna makes appears in Ben's open contact list without his
/// searching again; an appointment edited in both windows is saved in Anna's and refused in Ben's
/// with who changed it and when, his typed values kept; a Teams meeting Anna sends (signing in on
/// the way) reads as sent in Ben's window, and the simulated Graph holds one event for it.
#[test]
fn two_employees_in_two_windows_work_in_one_team_database() {
    use crate::common::simulated;
    use crate::common::team::{Team, ADMINS, USERS};
    use crate::common::window::launch_pair;
    use treffpunkt::crm::activity::{ActivityInput, ActivityKind, ActivityStatus};
    use treffpunkt::crm::model::EmployeeFields;
    use treffpunkt::crm::settings::SystemSetting;
    use treffpunkt::simulator::SimUser;
    use treffpunkt::store::interface::write;

    const APP: &str = "11111111-1111-4111-8111-111111111111";
    const UPN: &str = "anna@contoso.onmicrosoft.com";
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sim = rt.block_on(simulated::start_simulator(
        vec![simulated::desktop_app(APP)],
        vec![SimUser::work(UPN, "Anna", "Schmidt")],
        UPN,
    ));
    // The sign-in page lists the accounts, and the window's test browser picks one, as a user does.
    sim.state.auto_approve_as(None);

    // The team database as its administrator set it up: Teams on, the mail configuration of the
    // (simulated) tenant, Anna (an administrator) and Ben (a salesperson) with their logins, and
    // an appointment both will open.
    let team = Team::set_up();
    let configuration =
        simulated::valid(&simulated::configuration_input(&sim.base_url(), APP, None));
    let mc = write(team.admin(), |s| {
        s.set_flag(SystemSetting::TeamsIntegrationEnabled, true)?;
        s.insert_mail_configuration(&configuration, 0)
    })
    .unwrap();
    let employee = |first: &str, last: &str, email: &str| EmployeeFields {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(email.into()),
        color: "#2563eb".into(),
        mail_configuration_id: Some(mc),
        ..Default::default()
    };
    let anna = team.employee("anna", &employee("Anna", "Schmidt", UPN), ADMINS);
    let ben = team.employee(
        "ben",
        &employee("Ben", "Krüger", "ben@contoso.onmicrosoft.com"),
        USERS,
    );
    let appointment = "Quartalsgespräch Nordwind";
    // Two months ahead: out of the month the meeting below is planned in, and no reminder rings.
    let now = chrono::Utc::now().timestamp();
    let starts = chrono::DateTime::from_timestamp((now / 3600 + 60 * 24) * 3600, 0).unwrap();
    let id = write(team.admin(), |s| {
        s.insert_activity(
            &ActivityInput {
                kind: ActivityKind::Appointment,
                subject: appointment.into(),
                starts_at: starts,
                ends_at: starts + chrono::Duration::hours(1),
                time_zone: "Europe/Berlin".into(),
                memo: String::new(),
                mail_text: String::new(),
                status: ActivityStatus::Open,
                owner_employee_id: ben.id,
                business_partner_id: None,
                contact_id: None,
                person_id: None,
                participants: vec![],
                reminder_minutes: 15,
            },
            &uuid::Uuid::new_v4().to_string(),
            now,
        )
    })
    .unwrap();
    let (desk_a, desk_b) = (team.desktop(&anna), team.desktop(&ben));
    // The subject the team database holds, read on a thread of its own: the synchronous
    // PostgreSQL client may not block the async runtime's threads.
    let stored_subject = || {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    team.db
                        .superuser()
                        .query_one("SELECT subject FROM activities WHERE id = $1", &[&id])
                        .unwrap()
                        .get::<_, String>("subject")
                })
                .join()
                .unwrap()
        })
    };

    rt.block_on(async {
        let keyring_off = [("TREFFPUNKT_KEYRING", "off".to_string())];
        let (a, b) = launch_pair(desk_a, desk_b, &keyring_off).await;
        for s in [&a, &b] {
            let mark = s.wait_prefix("[data-testid=team-badge]", "Team: ").await;
            assert!(mark.contains(&team.db.name), "{mark}");
        }

        // 1. Ben's contact list shows what his search finds: nothing yet. Anna makes the contact;
        // Ben's list searches again by itself (the team database announced the change).
        b.click("[data-testid=nav-contact]").await;
        b.search_list("[data-testid=list-contact]", "Vogelsang")
            .await;
        assert!(b.absent("[data-testid=list-contact] tbody tr").await);
        a.click("[data-testid=nav-contact]").await;
        a.click("[data-testid=list-contact] .toolbar button.primary")
            .await;
        let form = "[data-testid=record-contact]";
        for (field, value) in [
            ("first_name", "Jana"),
            ("last_name", "Vogelsang"),
            ("email", "jana.vogelsang@nordwind.example"),
        ] {
            a.find(&format!("{form} input[name={field}]"))
                .await
                .send_keys(value)
                .await
                .unwrap();
        }
        a.click(&format!("{form} [data-testid=save-record]")).await;
        // Saved, the page shows the new record (which can now be deleted).
        a.find(&format!("{form} [data-testid=delete-record]")).await;
        let row = b.find("[data-testid=list-contact] tbody tr").await;
        let shown = row.text().await.unwrap();
        assert!(shown.contains("Vogelsang"), "{shown}");
        b.screenshot("70-team-contact-in-the-other-window").await;

        // 2. The appointment open in both windows, Ben typing. Anna saves hers first; Ben's page
        // keeps his typing and says the record changed; his save is refused with who changed it.
        let subject = "[data-testid=record-activity] [data-field=subject] input";
        for s in [&a, &b] {
            s.click("[data-testid=nav-activities]").await;
            s.search_list("[data-testid=list-activity]", appointment)
                .await;
            s.click("[data-testid=list-activity] tbody tr td").await;
            assert_eq!(input_value(s, subject).await, appointment);
        }
        b.find(subject).await.send_keys(" (Ben)").await.unwrap();
        a.find(subject)
            .await
            .send_keys(" (verschoben)")
            .await
            .unwrap();
        a.click("[data-testid=record-activity] [data-testid=save-record]")
            .await;
        let notice = "[data-testid=record-activity] [data-testid=notice] span";
        a.wait_text(notice, "Gespeichert").await;
        let annas = format!("{appointment} (verschoben)");
        assert_eq!(stored_subject(), annas);
        b.wait_prefix(notice, "Dieser Datensatz wurde inzwischen geändert.")
            .await;
        b.click("[data-testid=record-activity] [data-testid=save-record]")
            .await;
        let refused = b
            .wait_prefix(
                notice,
                // By the colleague's name, not the login her record names.
                "Der Datensatz wurde inzwischen von Anna Schmidt am ",
            )
            .await;
        assert!(
            refused.contains("Ihre Änderung wurde nicht gespeichert"),
            "{refused}"
        );
        // What Anna saved, beside what Ben typed.
        let stored = b
            .find("[data-testid=record-activity] [data-testid=conflict] [data-field=subject] [data-testid=conflict-current]")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(stored, annas);
        assert_eq!(
            input_value(&b, subject).await,
            format!("{appointment} (Ben)"),
            "Ben's typing stays"
        );
        assert_eq!(stored_subject(), annas, "nothing overwritten");
        b.screenshot("71-team-conflict-refused").await;

        // 3. Anna sends a Teams meeting (signing in to Microsoft 365 on the way); Ben's window
        // reads it as sent, with its join button, and Graph holds one event.
        let meeting = "Jahresgespräch Vogelsang";
        a.send_teams_meeting(meeting, None).await;
        assert_eq!(browser_sign_ins(&a.bin), 1, "signed in once, on send");
        b.open_activity(meeting).await;
        let hint = b.find("[data-testid=record-activity] p.hint").await;
        let said = hint.text().await.unwrap();
        assert!(said.starts_with("Besprechungsanfrage versendet"), "{said}");
        b.find("[data-testid=join-meeting]").await;
        b.screenshot("72-team-meeting-sent-seen-by-the-other").await;
        let events = sim.state.events();
        assert_eq!(events.len(), 1, "one event");

        a.close().await;
        b.close().await;
    });
}
