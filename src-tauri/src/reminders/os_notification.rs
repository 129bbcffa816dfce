//! What a reminder's OS notification says (D1): title, body and the "join" action, in the user's
//! language and with the start in the user's zone (the app's zone, not the process's `TZ`-less
//! `chrono::Local`). Pure, so that it is tested without a notification server.

use chrono_tz::Tz;

use super::Reminder;
use crate::crm::settings::Language;
use crate::crm::wall_clock::short_local;

/// The identifier of the action that joins the reminder's Teams meeting.
pub const JOIN_ACTION: &str = "join";
/// The action type of reminders that offer joining; one per language, since the plugin keeps an
/// action's title with its type.
pub fn join_action_type(language: Language) -> String {
    format!("reminder-join-{}", language.as_str())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsNotification {
    pub title: String,
    pub body: String,
    /// The label of the "join" action, where the reminder's Teams meeting can be joined.
    pub join_label: Option<String>,
}

/// The notification of `r` for a user in `zone` who reads `language`; `join_offered` says whether
/// Teams may be offered at all (the integration on and configured, C7).
pub fn os_notification(
    r: &Reminder,
    zone: Tz,
    language: Language,
    join_offered: bool,
) -> OsNotification {
    let local = short_local(r.starts_at, zone, language);
    let join = join_offered && r.join_url.is_some();
    let (when, teams, label) = match language {
        Language::De => (
            format!("Beginn: {local} Uhr"),
            "MS Teams Besprechung",
            "An Besprechung teilnehmen",
        ),
        Language::En => (
            format!("Starts: {local}"),
            "MS Teams meeting",
            "Join meeting",
        ),
    };
    OsNotification {
        title: r.subject.clone(),
        body: if join {
            format!("{when} · {teams}")
        } else {
            when
        },
        join_label: join.then(|| label.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::ActivityKind;

    fn reminder(join: bool) -> Reminder {
        Reminder {
            id: 1,
            activity_id: 7,
            subject: "Angebotsbesprechung".into(),
            kind: ActivityKind::TeamsMeeting,
            // The first 02:30 of the night summer time ends in Berlin.
            starts_at: "2026-10-25T00:30:00Z".parse().unwrap(),
            join_url: join.then(|| "https://teams.microsoft.com/l/meetup-join/x".into()),
        }
    }

    #[test]
    fn german_in_the_users_zone_with_the_join_action() {
        let n = os_notification(
            &reminder(true),
            chrono_tz::Europe::Berlin,
            Language::De,
            true,
        );
        assert_eq!(n.title, "Angebotsbesprechung");
        assert_eq!(
            n.body,
            "Beginn: 25.10.2026, 02:30 Uhr · MS Teams Besprechung"
        );
        assert_eq!(n.join_label.as_deref(), Some("An Besprechung teilnehmen"));
    }

    #[test]
    fn english_in_another_zone() {
        let n = os_notification(
            &reminder(true),
            chrono_tz::America::New_York,
            Language::En,
            true,
        );
        assert_eq!(n.body, "Starts: 24 Oct 2026, 20:30 · MS Teams meeting");
        assert_eq!(n.join_label.as_deref(), Some("Join meeting"));
    }

    #[test]
    fn no_join_without_a_link_or_without_teams() {
        let plain = os_notification(
            &reminder(false),
            chrono_tz::Europe::Berlin,
            Language::De,
            true,
        );
        assert_eq!(plain.body, "Beginn: 25.10.2026, 02:30 Uhr");
        assert_eq!(plain.join_label, None);
        let hidden = os_notification(
            &reminder(true),
            chrono_tz::Europe::Berlin,
            Language::En,
            false,
        );
        assert_eq!(hidden.body, "Starts: 25 Oct 2026, 02:30");
        assert_eq!(hidden.join_label, None);
    }
}
