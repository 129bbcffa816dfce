//! Saving business partners, contacts, employees, persons and communication entries: each is
//! checked first, and a refused record changes nothing.

use rusqlite::Connection;

use super::{Result, Workspace};
use crate::crm::activity::{Participant, ParticipantRef};
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Channel, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};
use crate::crm::settings::Language;
use crate::crm::validation::{is_email, FieldErrors};
use crate::crm::ErrorCode;
use crate::store::exists;
use crate::store::{business_partners, communications, contacts, employees, persons};

const MAX_TEXT: usize = 200;

fn required(errors: &mut FieldErrors, field: &str, value: &str) {
    if value.trim().is_empty() {
        errors.add(field, "required");
    } else if value.chars().count() > MAX_TEXT {
        errors.add(field, "too_long");
    }
}

fn optional_email(errors: &mut FieldErrors, field: &str, value: &Option<String>) {
    if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        if !is_email(v) {
            errors.add(field, "invalid_email");
        }
    }
}

/// A phone number as people type it: digits with `+`, spaces, brackets, dots, slashes, dashes.
/// (Normalising to E.164 is the job of the call links, E3.)
pub fn is_phone_number(value: &str) -> bool {
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    (3..=20).contains(&digits)
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +()-./".contains(c))
        && !v[1..].contains('+')
}

fn optional_phone(errors: &mut FieldErrors, field: &str, value: &Option<String>) {
    if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        if !is_phone_number(v) {
            errors.add(field, "invalid_phone");
        }
    }
}

pub fn check_employee(conn: &Connection, f: &EmployeeFields) -> Result<()> {
    let mut e = FieldErrors::default();
    required(&mut e, "first_name", &f.first_name);
    required(&mut e, "last_name", &f.last_name);
    optional_email(&mut e, "email", &f.email);
    optional_phone(&mut e, "phone", &f.phone);
    optional_phone(&mut e, "mobile", &f.mobile);
    // A UPN has the form of a mail address (user@domain), and Teams' links take it only so.
    if let Some(v) = f.user_principal_name.as_deref().map(str::trim) {
        if !v.is_empty() && !is_email(v) {
            e.add("user_principal_name", "invalid_upn");
        }
    }
    let color_ok = f.color.len() == 7
        && f.color.starts_with('#')
        && f.color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !color_ok {
        e.add("color", "invalid_color");
    }
    if let Some(id) = f.mail_configuration_id {
        if !exists(conn, "mail_configurations", id)? {
            e.add("mail_configuration_id", "not_found");
        }
    }
    Ok(e.into_result(())?)
}

pub fn check_business_partner(_conn: &Connection, f: &BusinessPartnerFields) -> Result<()> {
    let mut e = FieldErrors::default();
    required(&mut e, "name", &f.name);
    let country = f.country.trim();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        e.add("country", "invalid_country");
    }
    optional_email(&mut e, "email", &f.email);
    optional_phone(&mut e, "phone", &f.phone);
    Ok(e.into_result(())?)
}

pub fn check_contact(conn: &Connection, f: &ContactFields) -> Result<()> {
    let mut e = FieldErrors::default();
    required(&mut e, "last_name", &f.last_name);
    optional_email(&mut e, "email", &f.email);
    optional_phone(&mut e, "phone", &f.phone);
    optional_phone(&mut e, "mobile", &f.mobile);
    if let Some(id) = f.business_partner_id {
        if !exists(conn, "business_partners", id)? {
            e.add("business_partner_id", "not_found");
        }
    }
    Ok(e.into_result(())?)
}

pub fn check_person(_conn: &Connection, f: &PersonFields) -> Result<()> {
    let mut e = FieldErrors::default();
    required(&mut e, "last_name", &f.last_name);
    optional_email(&mut e, "email", &f.email);
    optional_phone(&mut e, "phone", &f.phone);
    Ok(e.into_result(())?)
}

pub fn check_communication(conn: &Connection, f: &CommunicationFields) -> Result<()> {
    let mut e = FieldErrors::default();
    let value = f.value.trim();
    if value.is_empty() {
        e.add("value", "required");
    } else if f.channel == Channel::Email && !is_email(value) {
        e.add("value", "invalid_email");
    } else if f.channel != Channel::Email && !is_phone_number(value) {
        e.add("value", "invalid_phone");
    }
    let table = match f.owner_kind {
        RecordKind::BusinessPartner => Some("business_partners"),
        RecordKind::Contact => Some("contacts"),
        RecordKind::Employee => Some("employees"),
        RecordKind::Person => Some("persons"),
        _ => None,
    };
    match table {
        Some(t) if exists(conn, t, f.owner_id)? => {}
        _ => e.add("owner_id", "not_found"),
    }
    Ok(e.into_result(())?)
}

/// Defines `save_x(conn, id, fields)`: checks, then inserts (`id` None) or updates; returns the id.
macro_rules! saver {
    ($name:ident, $fields:ty, $module:ident, $check:ident) => {
        pub fn $name(conn: &Connection, id: Option<i64>, fields: &$fields) -> Result<i64> {
            $check(conn, fields)?;
            Ok(match id {
                None => $module::insert(conn, fields)?,
                Some(id) => {
                    $module::update(conn, id, fields)?;
                    id
                }
            })
        }
    };
}

saver!(save_employee, EmployeeFields, employees, check_employee);
saver!(
    save_business_partner,
    BusinessPartnerFields,
    business_partners,
    check_business_partner
);
saver!(save_contact, ContactFields, contacts, check_contact);
saver!(save_person, PersonFields, persons, check_person);

/// The entry as it is stored: value and label without surrounding blanks, an empty label none.
fn normalised(f: &CommunicationFields) -> CommunicationFields {
    CommunicationFields {
        value: f.value.trim().to_string(),
        label: f
            .label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string),
        ..f.clone()
    }
}

/// Creates (`id` None) or changes a communication entry, made or changed by employee `by` (the
/// own employee), and records it in the entry's history with each field before and after. An
/// entry stays with its owner: a change that names another owner is refused. A save that
/// changes nothing adds no history line. Returns the entry's id.
pub fn save_communication(
    conn: &Connection,
    id: Option<i64>,
    fields: &CommunicationFields,
    by: Option<i64>,
) -> Result<i64> {
    let new = normalised(fields);
    let editor = communications::editor(conn, by)?;
    let now = crate::store::now();
    let Some(id) = id else {
        check_communication(conn, &new)?;
        let id = communications::insert(conn, &new)?;
        communications::add_history(conn, id, editor.as_ref(), None, &new, now)?;
        return Ok(id);
    };
    let old = communications::get(conn, id)?.fields;
    if (old.owner_kind, old.owner_id) != (new.owner_kind, new.owner_id) {
        let mut e = FieldErrors::default();
        e.add("owner_id", "owner_unchangeable");
        e.into_result(())?;
    }
    check_communication(conn, &new)?;
    if old != new {
        communications::update(conn, id, &new)?;
        communications::add_history(conn, id, editor.as_ref(), Some(&old), &new, now)?;
    }
    Ok(id)
}

/// Deletes an employee. The own employee is refused: it is the user of this installation, who
/// owns new activities and whose sign-in the Teams actions use, and the window needs it.
pub fn delete_employee(conn: &Connection, id: i64) -> Result<()> {
    if crate::store::settings::load(conn)?.current_employee_id == Some(id) {
        return Err(crate::services::CrmError::NotAllowed(
            ErrorCode::OwnEmployee,
        ));
    }
    Ok(employees::delete(conn, id)?)
}

/// The name of a new own employee where the OS names no account, in the user's language.
pub fn own_employee_fallback_name(language: Language) -> &'static str {
    match language {
        Language::De => "Ich",
        Language::En => "Me",
    }
}

/// Makes sure the workspace has an own employee (the user of this installation) and returns it:
/// the one set, else the first employee, else a new one named after the OS account (without one,
/// "Ich"/"Me" in the language of the settings, German while they name none; the app passes the
/// fallback in the OS's language).
pub fn ensure_own_employee(conn: &Connection, os_user: &str) -> Result<i64> {
    let settings = crate::store::settings::load(conn)?;
    let current = settings.current_employee_id;
    if let Some(id) = current {
        if exists(conn, "employees", id)? {
            return Ok(id);
        }
    }
    let first: Option<i64> = conn.query_row("SELECT min(id) FROM employees", [], |r| r.get(0))?;
    let id = match first {
        Some(id) => id,
        None => {
            let name = os_user.trim();
            employees::insert(
                conn,
                &EmployeeFields {
                    first_name: String::new(),
                    last_name: if name.is_empty() {
                        own_employee_fallback_name(settings.language.unwrap_or(Language::De)).into()
                    } else {
                        name.into()
                    },
                    color: "#2563eb".into(),
                    ..Default::default()
                },
            )?
        }
    };
    crate::store::settings::set_current_employee(conn, id)?;
    Ok(id)
}

/// The use cases of one record type's list and page: search, get, save (create or update,
/// checked) and delete, each on the workspace.
macro_rules! record_pages {
    ($page:ident, $record:ty, $fields:ty, $module:ident, $saver:ident, $deleter:path) => {
        pub mod $page {
            use super::*;

            /// The records whose fields contain `query`, at most `limit` of them.
            pub fn search(ws: &Workspace, query: &str, limit: u32) -> Result<Vec<$record>> {
                Ok(ws.store().with(|c| $module::search(c, query, limit))?)
            }

            pub fn get(ws: &Workspace, id: i64) -> Result<$record> {
                Ok(ws.store().with(|c| $module::get(c, id))?)
            }

            /// Creates (`id` None) or updates the record, in one transaction, and answers with
            /// it as stored. A refused one changes nothing.
            pub fn save(ws: &Workspace, id: Option<i64>, fields: &$fields) -> Result<$record> {
                ws.store().transaction(|tx| {
                    let id = super::$saver(tx, id, fields)?;
                    Ok($module::get(tx, id)?)
                })
            }

            pub fn delete(ws: &Workspace, id: i64) -> Result<()> {
                ws.store().with(|c| {
                    $deleter(c, id)?;
                    Ok(())
                })
            }
        }
    };
}

record_pages!(
    business_partner,
    BusinessPartner,
    BusinessPartnerFields,
    business_partners,
    save_business_partner,
    business_partners::delete
);
record_pages!(
    contact,
    Contact,
    ContactFields,
    contacts,
    save_contact,
    contacts::delete
);
record_pages!(
    employee,
    Employee,
    EmployeeFields,
    employees,
    save_employee,
    delete_employee
);
record_pages!(
    person,
    Person,
    PersonFields,
    persons,
    save_person,
    persons::delete
);

/// The contacts of business partner `id`.
pub fn contacts_of_business_partner(ws: &Workspace, id: i64) -> Result<Vec<Contact>> {
    Ok(ws.store().with(|c| contacts::of_business_partner(c, id))?)
}

/// The communication entries (phone numbers, addresses ...) of a record.
pub mod communication {
    use super::*;

    pub fn of(ws: &Workspace, kind: RecordKind, id: i64) -> Result<Vec<Communication>> {
        Ok(ws.store().with(|c| communications::of_owner(c, kind, id))?)
    }

    /// Creates (`id` None) or changes an entry in one transaction; its history names the own
    /// employee as the one who did. A refused entry changes nothing.
    pub fn save(
        ws: &Workspace,
        id: Option<i64>,
        fields: &CommunicationFields,
    ) -> Result<Communication> {
        ws.store().transaction(|tx| {
            let me = crate::store::settings::load(tx)?.current_employee_id;
            let id = super::save_communication(tx, id, fields, me)?;
            Ok(communications::get(tx, id)?)
        })
    }

    pub fn delete(ws: &Workspace, id: i64) -> Result<()> {
        Ok(ws.store().with(|c| communications::delete(c, id))?)
    }
}

/// How many of each kind the meeting dialog's participant search offers.
pub const PARTICIPANT_PICKS: u32 = 8;

/// Employees, contacts and persons whose name or address contains `query`, as participants: at
/// most `PARTICIPANT_PICKS` of each kind, employees first; a contact names its business partner.
pub fn search_participants(ws: &Workspace, query: &str) -> Result<Vec<Participant>> {
    let name = |first: &str, last: &str| format!("{first} {last}").trim().to_string();
    Ok(ws.store().with(|c| {
        let mut found: Vec<Participant> = employees::search(c, query, PARTICIPANT_PICKS)?
            .into_iter()
            .map(|e| Participant {
                participant: ParticipantRef::Employee { id: e.id },
                label: name(&e.fields.first_name, &e.fields.last_name),
                email: e.fields.email,
            })
            .collect();
        found.extend(
            contacts::search(c, query, PARTICIPANT_PICKS)?
                .into_iter()
                .map(|k| {
                    let partner = k.business_partner.map(|b| format!(" ({})", b.label));
                    Participant {
                        participant: ParticipantRef::Contact { id: k.id },
                        label: name(&k.fields.first_name, &k.fields.last_name)
                            + &partner.unwrap_or_default(),
                        email: k.fields.email,
                    }
                }),
        );
        found.extend(
            persons::search(c, query, PARTICIPANT_PICKS)?
                .into_iter()
                .map(|p| Participant {
                    participant: ParticipantRef::Person { id: p.id },
                    label: name(&p.fields.first_name, &p.fields.last_name),
                    email: p.fields.email,
                }),
        );
        Ok::<_, crate::store::StoreError>(found)
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::activity::{FieldChange, HistoryEvent};
    use crate::services::CrmError;
    use crate::store::Db;

    fn field_codes(r: Result<i64>) -> Vec<(String, String)> {
        match r {
            Err(CrmError::Invalid(e)) => e.0.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_new_workspace_gets_an_own_employee_once() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let id = ensure_own_employee(c, "jdoe")?;
            assert_eq!(employees::get(c, id)?.fields.last_name, "jdoe");
            assert_eq!(ensure_own_employee(c, "other")?, id);
            assert_eq!(employees::count(c)?, 1);
            Ok::<_, CrmError>(())
        })
        .unwrap();
    }

    #[test]
    fn phone_numbers_as_typed() {
        for good in [
            "+49 89 1234567",
            "089/123 45-67",
            "(0)30 1234",
            "+1 (212) 555-0100",
        ] {
            assert!(is_phone_number(good), "{good} refused");
        }
        for bad in ["", "12", "+49 89 call me", "1+2+3", "+49\n89123"] {
            assert!(!is_phone_number(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn an_employees_user_principal_name_must_look_like_one() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let mut f = EmployeeFields {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
                color: "#2563eb".into(),
                user_principal_name: Some("ann lee".into()),
                ..Default::default()
            };
            assert_eq!(
                field_codes(save_employee(c, None, &f)),
                vec![("user_principal_name".into(), "invalid_upn".into())]
            );
            f.user_principal_name = Some(" ann.lee@contoso.onmicrosoft.com ".into());
            let id = save_employee(c, None, &f)?;
            assert_eq!(
                employees::get(c, id)?.fields.user_principal_name.as_deref(),
                Some("ann.lee@contoso.onmicrosoft.com")
            );
            Ok::<_, CrmError>(())
        })
        .unwrap();
    }

    #[test]
    fn a_bad_contact_is_refused_and_nothing_is_stored() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let bad = ContactFields {
                business_partner_id: Some(999),
                last_name: " ".into(),
                email: Some("lena at contoso".into()),
                phone: Some("call me".into()),
                ..Default::default()
            };
            assert_eq!(
                field_codes(save_contact(c, None, &bad)),
                vec![
                    ("last_name".into(), "required".into()),
                    ("email".into(), "invalid_email".into()),
                    ("phone".into(), "invalid_phone".into()),
                    ("business_partner_id".into(), "not_found".into()),
                ]
            );
            assert!(contacts::search(c, "", 10)?.is_empty());
            Ok::<_, crate::services::CrmError>(())
        })
        .unwrap();
    }

    #[test]
    fn a_communication_entry_matches_its_channel_and_owner() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let person = save_person(
                c,
                None,
                &PersonFields {
                    first_name: "Ida".into(),
                    last_name: "Berg".into(),
                    ..Default::default()
                },
            )
            .unwrap();
            let mut f = CommunicationFields {
                owner_kind: RecordKind::Person,
                owner_id: person,
                channel: Channel::Email,
                value: "+49 30 1234".into(),
                label: None,
            };
            assert_eq!(
                field_codes(save_communication(c, None, &f, None)),
                vec![("value".into(), "invalid_email".into())]
            );
            f.channel = Channel::Phone;
            save_communication(c, None, &f, None).unwrap();
            f.owner_id = 4242;
            assert_eq!(
                field_codes(save_communication(c, None, &f, None)),
                vec![("owner_id".into(), "not_found".into())]
            );
            Ok::<_, crate::services::CrmError>(())
        })
        .unwrap();
    }

    /// F2: an entry is edited in place; its history says who changed which field from what to
    /// what, and when; a refused change (bad value, another owner) changes nothing and adds no
    /// line; a save without a change adds none either.
    #[test]
    fn a_communication_entry_is_edited_and_its_history_says_who_changed_what() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let me = ensure_own_employee(c, "Anna Schmidt")?;
            let person = save_person(
                c,
                None,
                &PersonFields {
                    first_name: "Ida".into(),
                    last_name: "Berg".into(),
                    ..Default::default()
                },
            )?;
            let other = save_person(
                c,
                None,
                &PersonFields {
                    last_name: "Other".into(),
                    ..Default::default()
                },
            )?;
            let mut f = CommunicationFields {
                owner_kind: RecordKind::Person,
                owner_id: person,
                channel: Channel::Phone,
                value: " +49 30 1234 ".into(),
                label: Some("  ".into()),
            };
            let id = save_communication(c, None, &f, Some(me))?;
            let stored = communications::get(c, id)?;
            assert_eq!(stored.fields.value, "+49 30 1234");
            assert_eq!(stored.fields.label, None, "a blank label is none");

            f.channel = Channel::Mobile;
            f.value = "+49 170 555".into();
            f.label = Some("privat".into());
            assert_eq!(save_communication(c, Some(id), &f, Some(me))?, id);
            let entry = communications::get(c, id)?;
            assert_eq!(entry.fields.channel, Channel::Mobile);
            assert_eq!(entry.fields.value, "+49 170 555");

            // Refused: a bad number, another owner; the entry and its history stay.
            let mut bad = f.clone();
            bad.value = "call me".into();
            assert_eq!(
                field_codes(save_communication(c, Some(id), &bad, Some(me))),
                vec![("value".into(), "invalid_phone".into())]
            );
            let mut moved = f.clone();
            moved.owner_id = other;
            assert_eq!(
                field_codes(save_communication(c, Some(id), &moved, Some(me))),
                vec![("owner_id".into(), "owner_unchangeable".into())]
            );
            assert_eq!(communications::get(c, id)?, entry);
            assert!(communications::of_owner(c, RecordKind::Person, other)?.is_empty());
            // Unchanged: no line.
            save_communication(c, Some(id), &f, Some(me))?;

            let history = communications::history(c, id, 10)?;
            assert_eq!(history.len(), 2, "{history:?}");
            let (changed, created) = (&history[0], &history[1]);
            assert_eq!(changed.event, HistoryEvent::Changed);
            assert_eq!(changed.by.as_deref(), Some("Anna Schmidt"));
            assert_eq!(changed.target.kind, RecordKind::Communication);
            let change = |field: &str, old: Option<&str>, new: Option<&str>| FieldChange {
                field: field.into(),
                old: old.map(Into::into),
                new: new.map(Into::into),
            };
            assert_eq!(
                changed.changes,
                vec![
                    change("channel", Some("phone"), Some("mobile")),
                    change("value", Some("+49 30 1234"), Some("+49 170 555")),
                    change("label", None, Some("privat")),
                ]
            );
            assert_eq!(created.event, HistoryEvent::Created);
            assert_eq!(
                created.changes,
                vec![
                    change("channel", None, Some("phone")),
                    change("value", None, Some("+49 30 1234")),
                ]
            );
            // Through the record history, as the UI asks for it.
            assert_eq!(
                crate::store::activities::history_of_record(c, RecordKind::Communication, id, 10)?,
                history
            );
            Ok::<_, CrmError>(())
        })
        .unwrap();
    }

    /// F2: a record's page and list through the workspace: saved, found, refused without a
    /// change, its contacts and communication entries, deleted; the own employee stays.
    #[test]
    fn a_records_page_saves_lists_and_deletes_through_the_workspace() {
        let ws = Workspace::new(std::sync::Arc::new(Db::open_in_memory().unwrap()));
        let me = ws
            .store()
            .transaction(|tx| ensure_own_employee(tx, "anna"))
            .unwrap();
        let partner = BusinessPartnerFields {
            name: "Müller GmbH".into(),
            country: "DE".into(),
            ..Default::default()
        };
        let bp = business_partner::save(&ws, None, &partner).unwrap();
        let refused = BusinessPartnerFields {
            name: "Müller AG".into(),
            country: "Deutschland".into(),
            ..Default::default()
        };
        assert!(matches!(
            business_partner::save(&ws, Some(bp.id), &refused),
            Err(CrmError::Invalid(_))
        ));
        assert_eq!(business_partner::get(&ws, bp.id).unwrap(), bp, "unchanged");
        assert_eq!(
            business_partner::search(&ws, "müller", 10).unwrap(),
            vec![bp.clone()]
        );

        let weber = contact::save(
            &ws,
            None,
            &ContactFields {
                business_partner_id: Some(bp.id),
                first_name: "Jana".into(),
                last_name: "Weber".into(),
                email: Some("jana@mueller.example".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            contacts_of_business_partner(&ws, bp.id).unwrap(),
            vec![weber.clone()]
        );
        let found = search_participants(&ws, "weber").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].participant,
            ParticipantRef::Contact { id: weber.id }
        );
        assert_eq!(found[0].label, "Jana Weber (Müller GmbH)");

        let phone = communication::save(
            &ws,
            None,
            &CommunicationFields {
                owner_kind: RecordKind::Contact,
                owner_id: weber.id,
                channel: Channel::Phone,
                value: " +49 30 1234567 ".into(),
                label: None,
            },
        )
        .unwrap();
        assert_eq!(phone.fields.value, "+49 30 1234567", "stored as normalised");
        assert_eq!(
            communication::of(&ws, RecordKind::Contact, weber.id).unwrap(),
            vec![phone.clone()]
        );
        communication::delete(&ws, phone.id).unwrap();
        assert!(communication::of(&ws, RecordKind::Contact, weber.id)
            .unwrap()
            .is_empty());

        contact::delete(&ws, weber.id).unwrap();
        assert!(contacts_of_business_partner(&ws, bp.id).unwrap().is_empty());
        business_partner::delete(&ws, bp.id).unwrap();
        assert!(matches!(
            business_partner::get(&ws, bp.id),
            Err(CrmError::Store(crate::store::StoreError::NotFound { .. }))
        ));
        assert!(matches!(
            employee::delete(&ws, me),
            Err(CrmError::NotAllowed(ErrorCode::OwnEmployee))
        ));
        assert_eq!(employee::get(&ws, me).unwrap().id, me);
    }
}
