//! Fixtures of the activities' tests: employees, and activities in Berlin local time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Europe::Berlin;
use rusqlite::Connection;

use super::insert;
use crate::crm::activity::{
    ActivityInput, ActivityKind, ActivityStatus, CalendarEntry, ParticipantRef,
};
use crate::crm::calendar::local_to_utc;
use crate::crm::model::{ContactFields, EmployeeFields};
use crate::store::{contacts, employees};

pub fn employee(c: &Connection, name: &str) -> i64 {
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

pub fn berlin(s: &str) -> DateTime<Utc> {
    local_to_utc(
        Berlin,
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
    )
}

pub fn input(owner: i64, subject: &str, start: &str, end: &str) -> ActivityInput {
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

pub fn add(c: &Connection, i: &ActivityInput) -> i64 {
    insert(c, i, &uuid::Uuid::new_v4().to_string(), 0).unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn subjects(entries: &[CalendarEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.subject.as_str()).collect()
}

/// Anna, the contact Lena Vogel, Anna's Teams meeting "Angebotsbesprechung" on 1 June 2026 with
/// Lena and a guest address, and Anna's appointment "Zahnarzt" the day after.
pub struct Scene {
    pub anna: i64,
    pub lena: i64,
    pub meeting: i64,
}

pub fn scene(c: &Connection) -> Scene {
    let anna = employee(c, "Anna");
    let lena = contacts::insert(
        c,
        &ContactFields {
            first_name: "Lena".into(),
            last_name: "Vogel".into(),
            email: Some("lena@contoso.example".into()),
            ..Default::default()
        },
    )
    .unwrap();
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
    let meeting = add(c, &meeting);
    add(
        c,
        &input(anna, "Zahnarzt", "2026-06-02 10:00", "2026-06-02 11:00"),
    );
    Scene {
        anna,
        lena,
        meeting,
    }
}
