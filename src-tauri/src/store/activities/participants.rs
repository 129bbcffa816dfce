//! The participants of an activity, and the labels of what a draft (not stored yet) links to.

use rusqlite::{params, Connection, OptionalExtension};

use crate::crm::activity::{ActivityInput, Participant, ParticipantRef};
use crate::crm::model::{Lookup, RecordKind};
use crate::store::sql::display_name;
use crate::store::Result;

pub(super) fn participants(conn: &Connection, activity_id: i64) -> Result<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT p.employee_id AS employee_id, p.contact_id AS contact_id,
            p.person_id AS person_id, p.email AS address,
            coalesce(",
        display_name!("e"),
        ", ",
        display_name!("c"),
        ", ",
        display_name!("s"),
        ", p.email) AS label,
            coalesce(e.email, c.email, s.email, p.email) AS email
         FROM activity_participants p
         LEFT JOIN employees e ON e.id = p.employee_id
         LEFT JOIN contacts c ON c.id = p.contact_id
         LEFT JOIN persons s ON s.id = p.person_id
         WHERE p.activity_id = ?1 ORDER BY p.id"
    ))?;
    let rows = stmt.query_map([activity_id], |r| {
        let participant = if let Some(id) = r.get("employee_id")? {
            ParticipantRef::Employee { id }
        } else if let Some(id) = r.get("contact_id")? {
            ParticipantRef::Contact { id }
        } else if let Some(id) = r.get("person_id")? {
            ParticipantRef::Person { id }
        } else {
            ParticipantRef::Email {
                address: r.get("address")?,
            }
        };
        Ok(Participant {
            participant,
            label: r.get("label")?,
            email: r.get("email")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lookup fields of an input that is not stored yet (a draft's): its business partner,
/// contact and person with their labels, as a stored activity has them.
pub fn describe_links(
    conn: &Connection,
    input: &ActivityInput,
) -> Result<(Option<Lookup>, Option<Lookup>, Option<Lookup>)> {
    let one = |kind: RecordKind, sql: &str, id: Option<i64>| -> Result<Option<Lookup>> {
        let Some(id) = id else { return Ok(None) };
        Ok(conn
            .query_row(sql, [id], |r| r.get::<_, String>("label"))
            .optional()?
            .map(|label| Lookup { kind, id, label }))
    };
    Ok((
        one(
            RecordKind::BusinessPartner,
            "SELECT name AS label FROM business_partners WHERE id = ?1",
            input.business_partner_id,
        )?,
        one(
            RecordKind::Contact,
            concat!(
                "SELECT ",
                display_name!("t"),
                " AS label FROM contacts t WHERE id = ?1"
            ),
            input.contact_id,
        )?,
        one(
            RecordKind::Person,
            concat!(
                "SELECT ",
                display_name!("t"),
                " AS label FROM persons t WHERE id = ?1"
            ),
            input.person_id,
        )?,
    ))
}

/// Labels and addresses of participants that are not stored yet (a draft's).
pub fn describe_participants(
    conn: &Connection,
    refs: &[ParticipantRef],
) -> Result<Vec<Participant>> {
    refs.iter()
        .map(|p| {
            let table = match p {
                ParticipantRef::Employee { id } => ("employees", *id),
                ParticipantRef::Contact { id } => ("contacts", *id),
                ParticipantRef::Person { id } => ("persons", *id),
                ParticipantRef::Email { address } => {
                    return Ok(Participant {
                        participant: p.clone(),
                        label: address.clone(),
                        email: Some(address.clone()),
                    })
                }
            };
            let (label, email) = conn.query_row(
                &format!(
                    "SELECT {} AS label, t.email AS email FROM {} t WHERE t.id = ?1",
                    display_name!("t"),
                    table.0
                ),
                [table.1],
                |r| Ok((r.get("label")?, r.get("email")?)),
            )?;
            Ok(Participant {
                participant: p.clone(),
                label,
                email,
            })
        })
        .collect()
}

pub(super) fn replace_participants(
    conn: &Connection,
    id: i64,
    list: &[ParticipantRef],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM activity_participants WHERE activity_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO activity_participants (activity_id, employee_id, contact_id, person_id, email)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in list {
        let (employee, contact, person, email) = match p {
            ParticipantRef::Employee { id } => (Some(*id), None, None, None),
            ParticipantRef::Contact { id } => (None, Some(*id), None, None),
            ParticipantRef::Person { id } => (None, None, Some(*id), None),
            ParticipantRef::Email { address } => (None, None, None, Some(address.trim())),
        };
        stmt.execute(params![id, employee, contact, person, email])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::get;
    use super::super::test_support::*;
    use super::*;
    use crate::crm::activity::ParticipantRef;
    use crate::crm::model::ContactFields;
    use crate::store::{contacts, Db, StoreError};

    /// A contact or person needs no first name; their label is then the last name alone,
    /// the same wherever it shows (the activity's contact, a participant, a draft's lookup).
    #[test]
    fn a_name_without_first_name_is_labelled_without_a_leading_space() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employee(c, "Anna");
            let vogel = contacts::insert(
                c,
                &ContactFields {
                    last_name: "Vogel".into(),
                    ..Default::default()
                },
            )?;
            let mut meeting = input(anna, "Termin", "2026-06-01 10:00", "2026-06-01 11:00");
            meeting.contact_id = Some(vogel);
            meeting.participants = vec![ParticipantRef::Contact { id: vogel }];
            let got = get(c, add(c, &meeting))?;
            assert_eq!(got.contact.unwrap().label, "Vogel");
            assert_eq!(got.participants[0].label, "Vogel");
            assert_eq!(got.owner.label, "Anna Test");
            let (_, contact, _) = describe_links(c, &meeting)?;
            assert_eq!(contact.unwrap().label, "Vogel");
            assert_eq!(
                describe_participants(c, &meeting.participants)?[0].label,
                "Vogel"
            );
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn participants_keep_their_order_labels_and_addresses() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let id = scene(c).meeting;

            let got = get(c, id)?;
            assert_eq!(got.participants.len(), 2);
            assert_eq!(got.participants[0].label, "Lena Vogel");
            assert_eq!(
                got.participants[0].email.as_deref(),
                Some("lena@contoso.example")
            );
            assert_eq!(got.participants[1].label, "guest@example.org");
            assert_eq!(got.owner.label, "Anna Test");
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }
}
