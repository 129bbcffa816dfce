//! The time zone names Graph accepts in a `dateTimeTimeZone`.
//!
//! Graph's `dateTimeTimeZone` resource page (api-reference/v1.0/resources/datetimetimezone.md)
//! accepts the Windows time zone IDs and, as "additional time zones", one IANA name per Windows
//! zone: the name CLDR's windowsZones.xml maps to it for territory "001". Any other name is
//! refused with `400 TimeZoneNotSupportedException`, so a meeting planned in Europe/Vienna or
//! Etc/UTC cannot be sent with the IANA name the CRM keeps. The CRM keeps IANA names (C9); Graph
//! gets the Windows ID, from CLDR's mapping as the `localzone` crate ships it.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

/// A zone Graph has no name for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Microsoft 365 has no time zone for {0}")]
pub struct UnsupportedTimeZone(pub String);

/// CLDR's territory for the one IANA name of each Windows zone that Graph accepts.
const WORLDWIDE: &str = "001";

/// Every Windows zone with its territory-001 IANA zone, in the order of the Windows names.
static WINDOWS_ZONES: LazyLock<Vec<(&'static str, Tz)>> = LazyLock::new(|| {
    let mut zones: Vec<(&'static str, Tz)> = chrono_tz::TZ_VARIANTS
        .iter()
        .filter_map(|tz| localzone::iana_to_win_zone(tz.name()))
        .filter_map(|(windows, _)| {
            let iana = localzone::win_zone_to_iana(windows, Some(WORLDWIDE))?;
            Some((windows, iana.parse().ok()?))
        })
        .collect();
    zones.sort_by_key(|(windows, _)| *windows);
    zones.dedup_by_key(|(windows, _)| *windows);
    zones
});

/// The Windows ID Graph gets for the IANA zone `iana`, for a meeting around `near`.
///
/// CLDR's mapping first. A name CLDR does not list (a newer name such as Europe/Kyiv, or an
/// alias such as US/Eastern) gets the Windows zone whose clocks read the same, hour by hour, for
/// a year either side of `near`; among several, the one whose abbreviation is the same (so UTC
/// stays "UTC", not Reykjavik's "Greenwich Standard Time"), then the first by name. A zone no
/// Windows zone matches is refused here, before any request.
pub fn windows_zone(iana: &str, near: DateTime<Utc>) -> Result<&'static str, UnsupportedTimeZone> {
    let unsupported = || UnsupportedTimeZone(iana.to_string());
    let zone: Tz = iana.parse().map_err(|_| unsupported())?;
    if let Some((windows, _)) = localzone::iana_to_win_zone(zone.name()) {
        return Ok(windows);
    }
    let same_clocks = |other: &Tz| {
        let mut t = near - Duration::days(366);
        let end = near + Duration::days(366);
        while t <= end {
            if offset_seconds(&zone, t) != offset_seconds(other, t) {
                return false;
            }
            t += Duration::hours(1);
        }
        true
    };
    // A cheap look at two instants half a year apart first; the hourly walk only for those.
    let half_year = near + Duration::days(182);
    let candidates: Vec<&(&'static str, Tz)> = WINDOWS_ZONES
        .iter()
        .filter(|(_, other)| {
            offset_seconds(&zone, near) == offset_seconds(other, near)
                && offset_seconds(&zone, half_year) == offset_seconds(other, half_year)
        })
        .filter(|(_, other)| same_clocks(other))
        .collect();
    let abbreviation = |tz: &Tz| {
        tz.offset_from_utc_datetime(&near.naive_utc())
            .abbreviation()
            .map(str::to_string)
    };
    candidates
        .iter()
        .find(|(_, other)| abbreviation(other) == abbreviation(&zone))
        .or(candidates.first())
        .map(|(windows, _)| *windows)
        .ok_or_else(unsupported)
}

fn offset_seconds(zone: &Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// Whether Graph accepts `name` as a `dateTimeTimeZone.timeZone`, and the zone it means: a
/// Windows ID, or the territory-001 IANA name of one.
pub fn graph_zone(name: &str) -> Option<Tz> {
    if let Some(iana) = localzone::win_zone_to_iana(name, Some(WORLDWIDE)) {
        return iana.parse().ok();
    }
    let (windows, _) = localzone::iana_to_win_zone(name)?;
    (localzone::win_zone_to_iana(windows, Some(WORLDWIDE)) == Some(name))
        .then(|| name.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-30T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_zones_graph_refuses_by_their_iana_name_are_sent_as_windows_ids() {
        for (iana, windows) in [
            ("Europe/Vienna", "W. Europe Standard Time"),
            ("Europe/Zurich", "W. Europe Standard Time"),
            ("Europe/Berlin", "W. Europe Standard Time"),
            ("Europe/Amsterdam", "W. Europe Standard Time"),
            ("Europe/Rome", "W. Europe Standard Time"),
            ("Etc/UTC", "UTC"),
            ("UTC", "UTC"),
            ("America/New_York", "Eastern Standard Time"),
            ("Europe/London", "GMT Standard Time"),
            ("Asia/Kolkata", "India Standard Time"),
            // Newer than CLDR's table in the crate: found by its clocks.
            ("Europe/Kyiv", "FLE Standard Time"),
            ("US/Eastern", "Eastern Standard Time"),
        ] {
            assert_eq!(windows_zone(iana, now()), Ok(windows), "{iana}");
        }
        assert_eq!(graph_zone("Europe/Vienna"), None);
        assert_eq!(
            graph_zone("W. Europe Standard Time"),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(graph_zone("Europe/Berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(graph_zone("Greenwich Mean Time"), None);
    }

    /// Every zone the app can keep is either sent with a name Graph accepts, meaning the same
    /// clocks at the meeting's time, or refused before any request.
    #[test]
    fn every_zone_chrono_tz_knows_maps_to_an_accepted_name_or_is_refused() {
        let mut refused = Vec::new();
        for tz in chrono_tz::TZ_VARIANTS {
            match windows_zone(tz.name(), now()) {
                Ok(windows) => {
                    let accepted = graph_zone(windows)
                        .unwrap_or_else(|| panic!("{} sent as {windows}, not accepted", tz.name()));
                    if localzone::iana_to_win_zone(tz.name()).is_none() {
                        assert_eq!(
                            offset_seconds(&accepted, now()),
                            offset_seconds(&tz, now()),
                            "{}",
                            tz.name()
                        );
                    }
                }
                Err(e) => refused.push(e.0),
            }
        }
        // A handful of zones no Windows zone keeps the clocks of (e.g. a zone with its own
        // transition dates); the message names them.
        assert!(refused.len() < 40, "refused: {refused:?}");
        assert_eq!(
            windows_zone("Mars/Olympus_Mons", now()),
            Err(UnsupportedTimeZone("Mars/Olympus_Mons".into()))
        );
    }
}
