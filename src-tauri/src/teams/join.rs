//! D3: the join link of a sent meeting, handed to the OS only when it is on the Teams of the
//! cloud of the mailbox that sent it.

use url::Url;

use super::links::join_url;
use crate::crm::mail_configuration::Cloud;
use crate::store::interface::Shared;
use crate::store::StoreError;

/// The join link of activity `activity_id`, or `None` when it has none of its mailbox's cloud.
pub fn join_link(s: &mut dyn Shared, activity_id: i64) -> Result<Option<Url>, StoreError> {
    let activity = s.activity(activity_id)?;
    let Some(raw) = activity.join_url else {
        return Ok(None);
    };
    // The meeting was sent from the owner's mailbox (the mail configuration's sign-in or the
    // owner's own, B3): both are of the owner's mail configuration, so of its cloud (worldwide
    // without one).
    let cloud = s
        .mail_configuration_of_employee(activity.owner.id)?
        .map(|m| m.cloud)
        .unwrap_or(Cloud::Global);
    Ok(join_url(cloud, &raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::{ActivityInput, ActivityKind, ActivityStatus};
    use crate::crm::mail_configuration::{tests::input, validate};
    use crate::crm::model::EmployeeFields;
    use crate::store::interface::read;
    use crate::store::{activities, employees, mail_configurations, Db};
    use rusqlite::Connection;

    fn meeting(conn: &Connection, owner: i64, join: &str) -> i64 {
        let now = chrono::Utc::now();
        let input = ActivityInput {
            kind: ActivityKind::TeamsMeeting,
            subject: "Review".into(),
            starts_at: now,
            ends_at: now,
            time_zone: "Europe/Berlin".into(),
            memo: String::new(),
            mail_text: String::new(),
            status: ActivityStatus::Open,
            owner_employee_id: owner,
            business_partner_id: None,
            contact_id: None,
            person_id: None,
            participants: vec![],
            reminder_minutes: 0,
        };
        let id = activities::insert(conn, &input, &uuid::Uuid::new_v4().to_string(), 0).unwrap();
        activities::mark_sent(conn, id, 1, Some(join), "event").unwrap();
        id
    }

    /// D3: a meeting sent from a GCC High mailbox has its join link on gov.teams.microsoft.us;
    /// that link opens, one on another cloud's Teams does not.
    #[test]
    fn the_join_link_is_that_of_the_mailboxs_cloud() {
        let db = Db::open_in_memory().unwrap();
        let gov = "https://gov.teams.microsoft.us/l/meetup-join/19%3ameeting_x%40thread.v2/0";
        let (id, worldwide, elsewhere) = db
            .with(|c| {
                let mut gcc_high = input();
                gcc_high.cloud = Cloud::UsGovGccHigh;
                let mc = mail_configurations::insert(c, &validate(&gcc_high).unwrap(), 0)?;
                let owner = employees::insert(
                    c,
                    &EmployeeFields {
                        first_name: "A".into(),
                        last_name: "B".into(),
                        color: "#000000".into(),
                        mail_configuration_id: Some(mc),
                        ..Default::default()
                    },
                )?;
                Ok::<_, StoreError>((
                    meeting(c, owner, gov),
                    meeting(c, owner, "https://teams.microsoft.com/l/meetup-join/x"),
                    meeting(c, owner, "https://gov.teams.microsoft.us.example/l/x"),
                ))
            })
            .unwrap();
        let link = |id| read(&db, |s| join_link(s, id)).unwrap();
        assert_eq!(link(id).map(String::from).as_deref(), Some(gov));
        assert_eq!(link(worldwide), None);
        assert_eq!(link(elsewhere), None);
    }
}
