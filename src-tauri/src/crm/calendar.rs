//! Times in the calendar (C2, C3, C9): what a click on a day or a slot means, in the user's zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::activity::{ActivityInput, ActivityKind, ActivityStatus, ParticipantRef};
use super::validation::FieldErrors;

/// A new appointment or meeting lasts an hour (C2).
pub const DEFAULT_DURATION_MINUTES: i64 = 60;
/// A click on a whole day starts the appointment at this local hour.
pub const WHOLE_DAY_START_HOUR: u32 = 9;
pub const DEFAULT_REMINDER_MINUTES: i64 = 15;
/// The longest reminder lead time, a week (D1). It also bounds the scan for due reminders.
pub const MAX_REMINDER_MINUTES: i64 = 7 * 24 * 60;
/// How many calendars can be opened beside each other (C1).
pub const MAX_OPEN_CALENDARS: usize = 20;

/// Adds `reminder_minutes: out_of_range` to `errors` unless `minutes` is a lead time an activity
/// may remind with: none (0) up to [`MAX_REMINDER_MINUTES`].
pub fn check_reminder_minutes(errors: &mut FieldErrors, minutes: i64) {
    if !(0..=MAX_REMINDER_MINUTES).contains(&minutes) {
        errors.add("reminder_minutes", "out_of_range");
    }
}

/// What the user clicked in the calendar: a whole day (month view) or a time slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CalendarSlot {
    Day {
        #[ts(type = "string")]
        date: NaiveDate,
    },
    Time {
        #[ts(type = "string")]
        start: DateTime<Utc>,
    },
}

/// Parses an IANA zone name such as "Europe/Berlin".
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The instant of a local wall-clock time. A time that does not exist (the hour skipped when
/// daylight saving starts) moves forward by that hour; an ambiguous one (the hour repeated when
/// it ends) takes the first occurrence.
pub fn local_to_utc(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => local_to_utc(zone, local + Duration::hours(1)),
    }
}

/// The instants that bound the local days `first` to `last` (inclusive) in `zone`: a day is not
/// always 24 hours long.
pub fn local_days(zone: Tz, first: NaiveDate, last: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = local_to_utc(zone, first.and_time(NaiveTime::MIN));
    let end = local_to_utc(
        zone,
        last.succ_opt().unwrap_or(last).and_time(NaiveTime::MIN),
    );
    (start, end)
}

/// Where a meeting started outside the calendar (a contact's toolbar, a linked activity) begins:
/// the next full hour after `now`.
pub fn next_full_hour(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::seconds(now.timestamp().rem_euclid(3600)) + Duration::hours(1)
}

/// The start of a new activity for a click on `slot` (C2: the selected time; for a whole day,
/// 09:00 local).
pub fn slot_start(zone: Tz, slot: &CalendarSlot) -> DateTime<Utc> {
    match slot {
        CalendarSlot::Time { start } => *start,
        CalendarSlot::Day { date } => local_to_utc(
            zone,
            date.and_time(NaiveTime::from_hms_opt(WHOLE_DAY_START_HOUR, 0, 0).unwrap()),
        ),
    }
}

/// The new activity the dialog opens with after the action choice (C2, C3): start at the slot,
/// an hour long; a meeting invites the employees whose calendars are open, an appointment nobody.
pub fn draft(
    kind: ActivityKind,
    slot: &CalendarSlot,
    zone: Tz,
    owner_employee_id: i64,
    opened_calendars: &[i64],
) -> ActivityInput {
    let starts_at = slot_start(zone, slot);
    let participants = if kind.is_meeting() {
        let mut seen = Vec::new();
        for id in opened_calendars {
            if !seen.contains(id) {
                seen.push(*id);
            }
        }
        seen.into_iter()
            .map(|id| ParticipantRef::Employee { id })
            .collect()
    } else {
        Vec::new()
    };
    ActivityInput {
        kind,
        subject: String::new(),
        starts_at,
        ends_at: starts_at + Duration::minutes(DEFAULT_DURATION_MINUTES),
        time_zone: zone.name().to_string(),
        memo: String::new(),
        mail_text: String::new(),
        status: ActivityStatus::Open,
        owner_employee_id,
        business_partner_id: None,
        contact_id: None,
        person_id: None,
        participants,
        reminder_minutes: DEFAULT_REMINDER_MINUTES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Europe::Berlin};

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ten_oclock_in_berlin_on_both_switch_days() {
        let ten =
            |d: &str| slot_start(Berlin, &CalendarSlot::Day { date: day(d) }) + Duration::hours(1);
        // Whole-day clicks start at 09:00 local; an hour later is 10:00 local.
        assert_eq!(ten("2026-03-28"), utc("2026-03-28T09:00:00Z")); // CET, +1
        assert_eq!(ten("2026-03-29"), utc("2026-03-29T08:00:00Z")); // CEST from 02:00, +2
        assert_eq!(ten("2026-10-25"), utc("2026-10-25T09:00:00Z")); // CET again from 03:00
        assert_eq!(ten("2026-10-24"), utc("2026-10-24T08:00:00Z"));
    }

    #[test]
    fn new_york_switches_on_other_days() {
        let nine = |d: &str| slot_start(New_York, &CalendarSlot::Day { date: day(d) });
        assert_eq!(nine("2026-03-07"), utc("2026-03-07T14:00:00Z")); // EST, -5
        assert_eq!(nine("2026-03-08"), utc("2026-03-08T13:00:00Z")); // EDT, -4
        assert_eq!(nine("2026-11-01"), utc("2026-11-01T14:00:00Z")); // EST again
    }

    #[test]
    fn skipped_and_repeated_hours() {
        let skipped = NaiveDateTime::parse_from_str("2026-03-29 02:30", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(local_to_utc(Berlin, skipped), utc("2026-03-29T01:30:00Z")); // 03:30 CEST
        let twice = NaiveDateTime::parse_from_str("2026-10-25 02:30", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(local_to_utc(Berlin, twice), utc("2026-10-25T00:30:00Z")); // first, CEST
    }

    #[test]
    fn switch_days_are_23_and_25_hours_long() {
        let (a, b) = local_days(Berlin, day("2026-03-29"), day("2026-03-29"));
        assert_eq!(b - a, Duration::hours(23));
        let (a, b) = local_days(Berlin, day("2026-10-25"), day("2026-10-25"));
        assert_eq!(b - a, Duration::hours(25));
        let (a, b) = local_days(Berlin, day("2026-03-01"), day("2026-03-31"));
        assert_eq!(b - a, Duration::hours(31 * 24 - 1));
    }

    #[test]
    fn drafts_outside_the_calendar_start_at_the_next_full_hour() {
        assert_eq!(
            next_full_hour(utc("2026-11-27T10:17:45Z")),
            utc("2026-11-27T11:00:00Z")
        );
        assert_eq!(
            next_full_hour(utc("2026-11-27T10:00:00Z")),
            utc("2026-11-27T11:00:00Z")
        );
        assert_eq!(
            next_full_hour(utc("2026-11-27T23:59:59Z")),
            utc("2026-11-28T00:00:00Z")
        );
    }

    #[test]
    fn an_appointment_takes_nobody_from_the_opened_calendars() {
        let slot = CalendarSlot::Time {
            start: utc("2026-12-01T10:30:00Z"),
        };
        let d = draft(ActivityKind::Appointment, &slot, Berlin, 1, &[1, 2, 3]);
        assert!(d.participants.is_empty());
        assert_eq!(d.starts_at, utc("2026-12-01T10:30:00Z"));
        assert_eq!(d.ends_at, utc("2026-12-01T11:30:00Z"));
        assert_eq!(d.time_zone, "Europe/Berlin");
        assert_eq!(d.owner_employee_id, 1);
    }

    #[test]
    fn a_meeting_invites_each_opened_calendar_once() {
        let slot = CalendarSlot::Day {
            date: day("2026-12-01"),
        };
        for kind in [ActivityKind::Meeting, ActivityKind::TeamsMeeting] {
            let d = draft(kind, &slot, Berlin, 1, &[2, 3, 2]);
            assert_eq!(
                d.participants,
                vec![
                    ParticipantRef::Employee { id: 2 },
                    ParticipantRef::Employee { id: 3 }
                ]
            );
            assert_eq!(d.ends_at - d.starts_at, Duration::minutes(60));
        }
    }
}
