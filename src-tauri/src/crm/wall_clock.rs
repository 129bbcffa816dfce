//! Wall-clock times as the user edits them ("2026-10-25T02:30", the value of an
//! `<input type="datetime-local">`) and the instants the CRM keeps, converted in the activity's
//! own time zone (C9), never in the zone of the webview or the OS.
//!
//! A local time that does not exist (the hour skipped when summer time starts) is refused with a
//! field error: silently moving a meeting is worse than asking. A local time that occurs twice
//! (the hour repeated when summer time ends) is its first occurrence, as RFC 5545 §3.3.5 defines
//! for a DATE-TIME with a TZID, and as Graph reads a `dateTimeTimeZone` we send (the event request
//! carries the wall-clock time and the zone, see `meetings::request::event_request`), so the
//! activity and the event at Microsoft 365 are the same instant.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::activity::ActivityInput;
use super::settings::Language;
use super::validation::FieldErrors;

/// The format of an `<input type="datetime-local">` value without seconds.
const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// An activity's start and end as wall-clock times in its time zone ("2026-10-25T02:30").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WallClock {
    pub starts: String,
    pub ends: String,
}

/// Why a wall-clock time has no instant; the code is the field error the UI shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallClockError {
    /// Not "YYYY-MM-DDTHH:MM".
    Invalid,
    /// Skipped by a daylight-saving switch in the zone (e.g. 02:30 on 2026-03-29 in Berlin).
    Nonexistent,
    UnknownZone,
}

impl WallClockError {
    pub fn code(self) -> &'static str {
        match self {
            WallClockError::Invalid => "invalid_time",
            WallClockError::Nonexistent => "nonexistent_local_time",
            WallClockError::UnknownZone => "invalid_time_zone",
        }
    }
}

/// The instant of the wall-clock time `local` in the IANA zone `zone`.
pub fn to_instant(local: &str, zone: &str) -> Result<DateTime<Utc>, WallClockError> {
    let tz: Tz = zone.parse().map_err(|_| WallClockError::UnknownZone)?;
    let local = NaiveDateTime::parse_from_str(local.trim(), INPUT_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| WallClockError::Invalid)?;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // The first occurrence (RFC 5545 §3.3.5): still summer time.
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(WallClockError::Nonexistent),
    }
}

/// The wall-clock time of `instant` in the IANA zone `zone`, as the time input shows it; an
/// unknown zone shows UTC.
pub fn to_local(instant: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => instant.with_timezone(&tz).format(INPUT_FORMAT).to_string(),
        Err(_) => instant.format(INPUT_FORMAT).to_string(),
    }
}

/// `instant` in `zone` with its UTC offset, as a summary shows it: "2026-10-25 02:30 (UTC+02:00)".
/// The offset tells the two 02:30 of the night summer time ends apart.
pub fn to_local_with_offset(instant: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => instant
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M (UTC%:z)")
            .to_string(),
        Err(_) => instant.format("%Y-%m-%d %H:%M (UTC)").to_string(),
    }
}

/// The start and end of `starts`..`ends` in `zone`.
pub fn wall_clock_of(starts: DateTime<Utc>, ends: DateTime<Utc>, zone: &str) -> WallClock {
    WallClock {
        starts: to_local(starts, zone),
        ends: to_local(ends, zone),
    }
}

/// Sets the instants of `input` from the wall-clock times the user edited, in the input's zone.
/// Every problem comes back as a field error on `starts_at` / `ends_at`.
pub fn apply(input: &mut ActivityInput, times: &WallClock) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    match to_instant(&times.starts, &input.time_zone) {
        Ok(t) => input.starts_at = t,
        Err(err) => e.add("starts_at", err.code()),
    }
    match to_instant(&times.ends, &input.time_zone) {
        Ok(t) => input.ends_at = t,
        Err(err) => e.add("ends_at", err.code()),
    }
    e.into_result(())
}

/// An instant as the user reads a date and time: in `zone` (the user's, not the webview's) and in
/// `language`'s way ("25.10.2026, 02:30", "25 Oct 2026, 02:30"), e.g. a reminder's start.
pub fn short_local(instant: DateTime<Utc>, zone: Tz, language: Language) -> String {
    let local = instant.with_timezone(&zone);
    match language {
        Language::De => local.format("%d.%m.%Y, %H:%M").to_string(),
        Language::En => local.format("%-d %b %Y, %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_time_is_read_in_the_activitys_zone_not_the_machines() {
        assert_eq!(
            to_instant("2026-06-01T10:00", "Europe/Berlin"),
            Ok(utc("2026-06-01T08:00:00Z"))
        );
        assert_eq!(
            to_instant("2026-06-01T10:00", "America/New_York"),
            Ok(utc("2026-06-01T14:00:00Z"))
        );
        assert_eq!(
            to_local(utc("2026-06-01T14:00:00Z"), "America/New_York"),
            "2026-06-01T10:00"
        );
    }

    #[test]
    fn the_hour_skipped_in_march_is_refused() {
        assert_eq!(
            to_instant("2026-03-29T02:30", "Europe/Berlin"),
            Err(WallClockError::Nonexistent)
        );
        assert_eq!(
            to_instant("2026-03-29T03:00", "Europe/Berlin"),
            Ok(utc("2026-03-29T01:00:00Z"))
        );
    }

    #[test]
    fn the_hour_repeated_in_october_is_its_first_occurrence_in_summer_time() {
        // 02:30 happens at 00:30 UTC (CEST, +02:00) and again at 01:30 UTC (CET, +01:00).
        let first = to_instant("2026-10-25T02:30", "Europe/Berlin").unwrap();
        assert_eq!(first, utc("2026-10-25T00:30:00Z"));
        assert_eq!(
            to_local_with_offset(first, "Europe/Berlin"),
            "2026-10-25 02:30 (UTC+02:00)"
        );
        // The second 02:30 still shows as what it is.
        assert_eq!(
            to_local_with_offset(utc("2026-10-25T01:30:00Z"), "Europe/Berlin"),
            "2026-10-25 02:30 (UTC+01:00)"
        );
        assert_eq!(
            to_instant("2026-10-25T03:30", "Europe/Berlin"),
            Ok(utc("2026-10-25T02:30:00Z"))
        );
    }

    #[test]
    fn nonsense_and_unknown_zones_are_field_errors() {
        assert_eq!(
            to_instant("2026-13-01T10:00", "Europe/Berlin"),
            Err(WallClockError::Invalid)
        );
        assert_eq!(
            to_instant("", "Europe/Berlin"),
            Err(WallClockError::Invalid)
        );
        assert_eq!(
            to_instant("2026-06-01T10:00", "Mars/Olympus"),
            Err(WallClockError::UnknownZone)
        );
    }
}
