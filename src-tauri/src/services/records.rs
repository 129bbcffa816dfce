//! Saving business partners, contacts, employees, persons and communication entries: each is
//! checked first, and a refused record changes nothing.

use rusqlite::Connection;

use super::{CrmError, Result, Workspace};
use crate::crm::activity::{Participant, ParticipantRef};
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Channel, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};
use crate::crm::settings::Language;
use crate::crm::validation::{is_email, FieldErrors};
use crate::crm::ErrorCode;
use crate::store::interface::{read, write, Shared};
use crate::store::{employees, exists, sign_ins, StoreError};

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

/// Whether a lookup found its record: here a missing record is an answer, not a failure.
fn is_found<T>(lookup: crate::store::Result<T>) -> Result<bool> {
    match lookup {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Checks an employee's fields; `mail_configuration_found` says whether the mail configuration
/// it names (if any) exists.
pub fn check_employee(f: &EmployeeFields, mail_configuration_found: bool) -> Result<()> {
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
    if f.mail_configuration_id.is_some() && !mail_configuration_found {
        e.add("mail_configuration_id", "not_found");
    }
    Ok(e.into_result(())?)
}

/// Whether the mail configuration an employee names exists. The mail configurations are not in
/// the store interface yet: they are looked up where their own use cases keep them, the local
/// store, before the shared write (which, in a local workspace, holds that same store).
fn mail_configuration_found(ws: &Workspace, f: &EmployeeFields) -> Result<bool> {
    match f.mail_configuration_id {
        None => Ok(true),
        Some(id) => Ok(ws.store().with(|c| exists(c, "mail_configurations", id))?),
    }
}

pub fn check_business_partner(_shared: &mut dyn Shared, f: &BusinessPartnerFields) -> Result<()> {
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

pub fn check_contact(shared: &mut dyn Shared, f: &ContactFields) -> Result<()> {
    let mut e = FieldErrors::default();
    required(&mut e, "last_name", &f.last_name);
    optional_email(&mut e, "email", &f.email);
    optional_phone(&mut e, "phone", &f.phone);
    optional_phone(&mut e, "mobile", &f.mobile);
    if let Some(id) = f.business_partner_id {
        if !is_found(shared.business_partner(id))? {
            e.add("business_partner_id", "not_found");
        }
    }
    Ok(e.into_result(())?)
}

pub fn check_person(_shared: &mut dyn Shared, f: &PersonFields) -> Result<()> {
    let mut e = FieldErrors::default();
    required(&mut e, "last_name", &f.last_name);
    optional_email(&mut e, "email", &f.email);
    optional_phone(&mut e, "phone", &f.phone);
    Ok(e.into_result(())?)
}

pub fn check_communication(shared: &mut dyn Shared, f: &CommunicationFields) -> Result<()> {
    let mut e = FieldErrors::default();
    let value = f.value.trim();
    if value.is_empty() {
        e.add("value", "required");
    } else if f.channel == Channel::Email && !is_email(value) {
        e.add("value", "invalid_email");
    } else if f.channel != Channel::Email && !is_phone_number(value) {
        e.add("value", "invalid_phone");
    }
    let id = f.owner_id;
    let owner_found = match f.owner_kind {
        RecordKind::BusinessPartner => is_found(shared.business_partner(id))?,
        RecordKind::Contact => is_found(shared.contact(id))?,
        RecordKind::Employee => is_found(shared.employee(id))?,
        RecordKind::Person => is_found(shared.person(id))?,
        _ => false,
    };
    if !owner_found {
        e.add("owner_id", "not_found");
    }
    Ok(e.into_result(())?)
}

/// The version an update names: the one the form read. An update without one is refused, so
/// that no save overwrites a change it never saw.
fn version_read(version: Option<i64>) -> Result<i64> {
    version.ok_or_else(|| {
        let mut e = FieldErrors::default();
        e.add("version", "required");
        CrmError::Invalid(e)
    })
}

/// Defines `save_x(shared, id, version, fields)`: checks, then inserts (`id` None) or updates
/// the record read at `version`; returns the id.
macro_rules! saver {
    ($name:ident, $fields:ty, $insert:ident, $check:ident, |$s:ident, $id:ident, $v:ident, $f:ident| $update:expr) => {
        pub fn $name(
            shared: &mut dyn Shared,
            id: Option<i64>,
            version: Option<i64>,
            fields: &$fields,
        ) -> Result<i64> {
            $check(shared, fields)?;
            Ok(match id {
                None => shared.$insert(fields)?,
                Some(id) => {
                    let ($s, $id, $v, $f) = (&mut *shared, id, version, fields);
                    $update?;
                    id
                }
            })
        }
    };
}

saver!(
    save_business_partner,
    BusinessPartnerFields,
    insert_business_partner,
    check_business_partner,
    |s, id, version, f| s.update_business_partner(id, version_read(version)?, f)
);
saver!(
    save_contact,
    ContactFields,
    insert_contact,
    check_contact,
    |s, id, version, f| s.update_contact(id, version_read(version)?, f)
);
saver!(
    save_person,
    PersonFields,
    insert_person,
    check_person,
    |s, id, version, f| s.update_person(id, version_read(version)?, f)
);

/// Checks an employee (see [`check_employee`]), then inserts (`id` None) or updates the one read
/// at `version`; returns the id.
pub fn save_employee(
    shared: &mut dyn Shared,
    id: Option<i64>,
    version: Option<i64>,
    fields: &EmployeeFields,
    mail_configuration_found: bool,
) -> Result<i64> {
    check_employee(fields, mail_configuration_found)?;
    Ok(match id {
        None => shared.insert_employee(fields)?,
        Some(id) => {
            shared.update_employee(id, version_read(version)?, fields)?;
            id
        }
    })
}

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

/// Creates (`id` None) or changes the communication entry read at `version`, made or changed by
/// employee `by` (the own employee), and records it in the entry's history with each field
/// before and after. An entry stays with its owner: a change that names another owner is
/// refused, and so is a change over one made meanwhile (`Conflict`). A save that changes nothing
/// adds no history line. Returns the entry's id.
pub fn save_communication(
    shared: &mut dyn Shared,
    id: Option<i64>,
    version: Option<i64>,
    fields: &CommunicationFields,
    by: Option<i64>,
) -> Result<i64> {
    let new = normalised(fields);
    let editor = shared.editor(by)?;
    let now = crate::store::now();
    let Some(id) = id else {
        check_communication(shared, &new)?;
        let id = shared.insert_communication(&new)?;
        shared.add_communication_history(id, editor.as_ref(), None, &new, now)?;
        return Ok(id);
    };
    let old = shared.communication(id)?.fields;
    if (old.owner_kind, old.owner_id) != (new.owner_kind, new.owner_id) {
        let mut e = FieldErrors::default();
        e.add("owner_id", "owner_unchangeable");
        e.into_result(())?;
    }
    check_communication(shared, &new)?;
    let version = version_read(version)?;
    if old != new {
        shared.update_communication(id, version, &new)?;
        shared.add_communication_history(id, editor.as_ref(), Some(&old), &new, now)?;
    }
    Ok(id)
}

/// The own employee of this desktop: the one the local settings name, or on the team database the
/// one whose record names this desktop's login.
fn own_employee(ws: &Workspace) -> Result<Option<i64>> {
    Ok(read(ws.shared(), |s| s.system_settings())?.current_employee_id)
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

/// The use cases of one record type's list and page read, and its delete, on the workspace's
/// shared data.
macro_rules! record_reads {
    ($record:ty, $get:ident, $search:ident) => {
        /// The records whose fields contain `query`, at most `limit` of them.
        pub fn search(ws: &Workspace, query: &str, limit: u32) -> Result<Vec<$record>> {
            read(ws.shared(), |s| Ok(s.$search(query, limit)?))
        }

        pub fn get(ws: &Workspace, id: i64) -> Result<$record> {
            read(ws.shared(), |s| Ok(s.$get(id)?))
        }
    };
}

/// The use cases of one record type's list and page: search, get, save (create or update,
/// checked) and delete, each on the workspace's shared data.
macro_rules! record_pages {
    ($page:ident, $record:ty, $fields:ty, $get:ident, $search:ident, $saver:ident, $delete:ident) => {
        pub mod $page {
            use super::*;

            record_reads!($record, $get, $search);

            /// Creates (`id` None) or updates the record, in one transaction, and answers with
            /// it as stored. A refused one changes nothing.
            pub fn save(
                ws: &Workspace,
                id: Option<i64>,
                version: Option<i64>,
                fields: &$fields,
            ) -> Result<$record> {
                write(ws.shared(), |s| {
                    let id = super::$saver(s, id, version, fields)?;
                    Ok(s.$get(id)?)
                })
            }

            pub fn delete(ws: &Workspace, id: i64) -> Result<()> {
                write(ws.shared(), |s| Ok(s.$delete(id)?))
            }
        }
    };
}

record_pages!(
    business_partner,
    BusinessPartner,
    BusinessPartnerFields,
    business_partner,
    search_business_partners,
    save_business_partner,
    delete_business_partner
);
record_pages!(
    contact,
    Contact,
    ContactFields,
    contact,
    search_contacts,
    save_contact,
    delete_contact
);
record_pages!(
    person,
    Person,
    PersonFields,
    person,
    search_persons,
    save_person,
    delete_person
);

/// The employees' list and page. Their sign-ins are this desktop's own: a change to the shared
/// record that ends one is followed on the local store.
pub mod employee {
    use super::*;

    record_reads!(Employee, employee, search_employees);

    /// Creates (`id` None) or updates the employee, in one transaction, and answers with it as
    /// stored. A refused one changes nothing. One moved to another mail configuration loses
    /// this desktop's sign-in of it: it was issued by the old configuration's registration.
    /// `version` is the one the form read: a save over a change made meanwhile is refused.
    pub fn save(
        ws: &Workspace,
        id: Option<i64>,
        version: Option<i64>,
        fields: &EmployeeFields,
    ) -> Result<Employee> {
        let mail_configuration_found = mail_configuration_found(ws, fields)?;
        let (saved, moved) = write(ws.shared(), |s| {
            let before = match id {
                Some(id) => Some(s.employee(id)?.fields.mail_configuration_id),
                None => None,
            };
            let id = super::save_employee(s, id, version, fields, mail_configuration_found)?;
            let saved = s.employee(id)?;
            let moved = before.is_some_and(|b| b != saved.fields.mail_configuration_id);
            Ok::<_, CrmError>((saved, moved))
        })?;
        if moved {
            ws.store()
                .with(|c| sign_ins::expire_of_moved_employee(c, saved.id, crate::store::now()))?;
        }
        Ok(saved)
    }

    /// Deletes an employee. The own employee is refused: it is the user of this installation,
    /// who owns new activities and whose sign-in the Teams actions use, and the window needs it.
    pub fn delete(ws: &Workspace, id: i64) -> Result<()> {
        if own_employee(ws)? == Some(id) {
            return Err(CrmError::NotAllowed(ErrorCode::OwnEmployee));
        }
        write(ws.shared(), |s| Ok(s.delete_employee(id)?))
    }
}

/// The contacts of business partner `id`.
pub fn contacts_of_business_partner(ws: &Workspace, id: i64) -> Result<Vec<Contact>> {
    read(ws.shared(), |s| Ok(s.contacts_of_business_partner(id)?))
}

/// The communication entries (phone numbers, addresses ...) of a record.
pub mod communication {
    use super::*;

    pub fn of(ws: &Workspace, kind: RecordKind, id: i64) -> Result<Vec<Communication>> {
        read(ws.shared(), |s| Ok(s.communications_of(kind, id)?))
    }

    pub fn get(ws: &Workspace, id: i64) -> Result<Communication> {
        read(ws.shared(), |s| Ok(s.communication(id)?))
    }

    /// Creates (`id` None) or changes the entry read at `version` in one transaction; its
    /// history names the own employee as the one who did. A refused entry changes nothing.
    pub fn save(
        ws: &Workspace,
        id: Option<i64>,
        version: Option<i64>,
        fields: &CommunicationFields,
    ) -> Result<Communication> {
        let me = own_employee(ws)?;
        write(ws.shared(), |s| {
            let id = super::save_communication(s, id, version, fields, me)?;
            Ok(s.communication(id)?)
        })
    }

    pub fn delete(ws: &Workspace, id: i64) -> Result<()> {
        write(ws.shared(), |s| Ok(s.delete_communication(id)?))
    }
}

/// How many of each kind the meeting dialog's participant search offers.
pub const PARTICIPANT_PICKS: u32 = 8;

/// Employees, contacts and persons whose name or address contains `query`, as participants: at
/// most `PARTICIPANT_PICKS` of each kind, employees first; a contact names its business partner.
pub fn search_participants(ws: &Workspace, query: &str) -> Result<Vec<Participant>> {
    let name = |first: &str, last: &str| format!("{first} {last}").trim().to_string();
    read(ws.shared(), |s| {
        let mut found: Vec<Participant> = s
            .search_employees(query, PARTICIPANT_PICKS)?
            .into_iter()
            .map(|e| Participant {
                participant: ParticipantRef::Employee { id: e.id },
                label: name(&e.fields.first_name, &e.fields.last_name),
                email: e.fields.email,
            })
            .collect();
        found.extend(
            s.search_contacts(query, PARTICIPANT_PICKS)?
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
            s.search_persons(query, PARTICIPANT_PICKS)?
                .into_iter()
                .map(|p| Participant {
                    participant: ParticipantRef::Person { id: p.id },
                    label: name(&p.fields.first_name, &p.fields.last_name),
                    email: p.fields.email,
                }),
        );
        Ok(found)
    })
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
        write(&db, |s| {
            let mut f = EmployeeFields {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
                color: "#2563eb".into(),
                user_principal_name: Some("ann lee".into()),
                ..Default::default()
            };
            assert_eq!(
                field_codes(save_employee(s, None, None, &f, true)),
                vec![("user_principal_name".into(), "invalid_upn".into())]
            );
            f.user_principal_name = Some(" ann.lee@contoso.onmicrosoft.com ".into());
            let id = save_employee(s, None, None, &f, true)?;
            assert_eq!(
                s.employee(id)?.fields.user_principal_name.as_deref(),
                Some("ann.lee@contoso.onmicrosoft.com")
            );
            Ok::<_, CrmError>(())
        })
        .unwrap();
    }

    #[test]
    fn a_bad_contact_is_refused_and_nothing_is_stored() {
        let db = Db::open_in_memory().unwrap();
        write(&db, |s| {
            let bad = ContactFields {
                business_partner_id: Some(999),
                last_name: " ".into(),
                email: Some("lena at contoso".into()),
                phone: Some("call me".into()),
                ..Default::default()
            };
            assert_eq!(
                field_codes(save_contact(s, None, None, &bad)),
                vec![
                    ("last_name".into(), "required".into()),
                    ("email".into(), "invalid_email".into()),
                    ("phone".into(), "invalid_phone".into()),
                    ("business_partner_id".into(), "not_found".into()),
                ]
            );
            assert!(s.search_contacts("", 10)?.is_empty());
            Ok::<_, crate::services::CrmError>(())
        })
        .unwrap();
    }

    #[test]
    fn a_communication_entry_matches_its_channel_and_owner() {
        let db = Db::open_in_memory().unwrap();
        write(&db, |s| {
            let person = save_person(
                s,
                None,
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
                field_codes(save_communication(s, None, None, &f, None)),
                vec![("value".into(), "invalid_email".into())]
            );
            f.channel = Channel::Phone;
            save_communication(s, None, None, &f, None).unwrap();
            f.owner_id = 4242;
            assert_eq!(
                field_codes(save_communication(s, None, None, &f, None)),
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
        let me = db
            .transaction(|tx| ensure_own_employee(tx, "Anna Schmidt"))
            .unwrap();
        let (id, history) = write(&db, |s| {
            let person = save_person(
                s,
                None,
                None,
                &PersonFields {
                    first_name: "Ida".into(),
                    last_name: "Berg".into(),
                    ..Default::default()
                },
            )?;
            let other = save_person(
                s,
                None,
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
            let id = save_communication(s, None, None, &f, Some(me))?;
            let stored = s.communication(id)?;
            assert_eq!(stored.fields.value, "+49 30 1234");
            assert_eq!(stored.fields.label, None, "a blank label is none");

            f.channel = Channel::Mobile;
            f.value = "+49 170 555".into();
            f.label = Some("privat".into());
            let v1 = s.communication(id)?.stamp.version;
            assert_eq!(save_communication(s, Some(id), Some(v1), &f, Some(me))?, id);
            let entry = s.communication(id)?;
            let v2 = entry.stamp.version;
            assert_eq!(entry.fields.channel, Channel::Mobile);
            assert_eq!(entry.fields.value, "+49 170 555");

            // Refused: a bad number, another owner; the entry and its history stay.
            let mut bad = f.clone();
            bad.value = "call me".into();
            assert_eq!(
                field_codes(save_communication(s, Some(id), Some(v2), &bad, Some(me))),
                vec![("value".into(), "invalid_phone".into())]
            );
            let mut moved = f.clone();
            moved.owner_id = other;
            assert_eq!(
                field_codes(save_communication(s, Some(id), Some(v2), &moved, Some(me))),
                vec![("owner_id".into(), "owner_unchangeable".into())]
            );
            assert_eq!(s.communication(id)?, entry);
            assert!(s.communications_of(RecordKind::Person, other)?.is_empty());
            // Unchanged: no line.
            save_communication(s, Some(id), Some(v2), &f, Some(me))?;

            let history = s.communication_history(id, 10)?;
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
            Ok::<_, CrmError>((id, history))
        })
        .unwrap();
        // Through the record history, as the UI asks for it.
        let through_record = db
            .with(|c| {
                crate::store::activities::history_of_record(c, RecordKind::Communication, id, 10)
            })
            .unwrap();
        assert_eq!(through_record, history);
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
        let bp = business_partner::save(&ws, None, None, &partner).unwrap();
        let refused = BusinessPartnerFields {
            name: "Müller AG".into(),
            country: "Deutschland".into(),
            ..Default::default()
        };
        assert!(matches!(
            business_partner::save(&ws, Some(bp.id), None, &refused),
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

    /// F2, T2: the same use cases on a team workspace, its records in PostgreSQL under a
    /// salesperson's login and its own data in SQLite: a contact is saved, read back and found,
    /// a refused one changes nothing, and the own employee (whose record names the login) is
    /// named by an entry's history and cannot be deleted.
    #[test]
    fn a_contact_is_saved_read_and_found_on_a_team_workspace() {
        use crate::store::postgres::{schema, test_server, PgEngine};
        use std::sync::Arc;

        let team = test_server::shared().fresh_database();
        schema::migrate(&mut team.superuser()).unwrap();
        let engine = PgEngine::new(team.login("anna_vertrieb", "treffpunkt_users"));
        let local = Arc::new(Db::open_in_memory().unwrap());
        let ws = Workspace::team(local.clone(), Arc::new(engine));

        let anna = employee::save(
            &ws,
            None,
            None,
            &EmployeeFields {
                first_name: "Anna".into(),
                last_name: "Schmidt".into(),
                color: "#2563eb".into(),
                ..Default::default()
            },
        )
        .unwrap();
        // The own employee is the one whose record names this desktop's login (not one the
        // local file names).
        team.superuser()
            .execute(
                "UPDATE employees SET database_login = 'anna_vertrieb' WHERE id = $1",
                &[&anna.id],
            )
            .unwrap();
        let partner = business_partner::save(
            &ws,
            None,
            None,
            &BusinessPartnerFields {
                name: "Müller GmbH".into(),
                country: "DE".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let fields = ContactFields {
            business_partner_id: Some(partner.id),
            first_name: "Jana".into(),
            last_name: "Weber".into(),
            email: Some("jana@mueller.example".into()),
            ..Default::default()
        };
        let weber = contact::save(&ws, None, None, &fields).unwrap();
        assert_eq!(weber.fields.last_name, "Weber");
        assert_eq!(contact::get(&ws, weber.id).unwrap(), weber);
        assert_eq!(
            contact::search(&ws, "webe", 10).unwrap(),
            vec![weber.clone()]
        );
        assert_eq!(
            contacts_of_business_partner(&ws, partner.id).unwrap(),
            vec![weber.clone()]
        );
        let found = search_participants(&ws, "weber").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, "Jana Weber (Müller GmbH)");
        // The record is in the team database, not in this desktop's file.
        assert!(local
            .with(|c| crate::store::contacts::search(c, "", 10))
            .unwrap()
            .is_empty());

        // A partner the team database does not have is refused, and nothing changes.
        let mut refused = fields.clone();
        refused.business_partner_id = Some(partner.id + 1000);
        refused.last_name = "Weber-Neu".into();
        match contact::save(&ws, Some(weber.id), Some(weber.stamp.version), &refused) {
            Err(CrmError::Invalid(e)) => assert_eq!(
                e.0.iter()
                    .map(|e| (e.field.as_str(), e.code.as_str()))
                    .collect::<Vec<_>>(),
                vec![("business_partner_id", "not_found")]
            ),
            other => panic!("expected invalid, got {other:?}"),
        }
        assert_eq!(contact::get(&ws, weber.id).unwrap(), weber, "unchanged");

        let phone = communication::save(
            &ws,
            None,
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
        assert_eq!(phone.fields.value, "+49 30 1234567");
        let history = read(ws.shared(), |s| s.communication_history(phone.id, 10)).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].by.as_deref(), Some("Anna Schmidt"));

        assert!(matches!(
            employee::delete(&ws, anna.id),
            Err(CrmError::NotAllowed(ErrorCode::OwnEmployee))
        ));
        contact::delete(&ws, weber.id).unwrap();
        assert!(contact::search(&ws, "weber", 10).unwrap().is_empty());
    }

    /// B6, T2: on a team workspace an employee moved to another mail configuration in the team
    /// database ends this desktop's own sign-in of it, which stays in the local file.
    #[test]
    fn moving_an_employee_in_the_team_database_ends_the_local_sign_in() {
        use crate::crm::mail_configuration::{tests::input, validate};
        use crate::crm::sign_in::{Account, SignInOwner, SignInState, TokenSet};
        use crate::store::postgres::{schema, test_server, PgEngine};
        use crate::store::{mail_configurations, sealing::new_key};
        use std::sync::Arc;

        let team = test_server::shared().fresh_database();
        let mut admin = team.superuser();
        schema::migrate(&mut admin).unwrap();
        let local = Arc::new(Db::open_in_memory().unwrap());
        local.use_secret_key(&new_key()).unwrap();
        // The mail configurations are looked up locally until their use cases move: the same two
        // on both sides.
        let mut configs = vec![];
        for name in ["Office 365", "Office 365 GCC"] {
            let row = admin
                .query_one(
                    "INSERT INTO mail_configurations (name, groupware, created_at, updated_at)
                     VALUES ($1, 'MSGRAPH', 1, 1) RETURNING id",
                    &[&name],
                )
                .unwrap();
            let mut i = input();
            i.name = name.into();
            let here = local
                .with(|c| mail_configurations::insert(c, &validate(&i).unwrap(), 1))
                .unwrap();
            assert_eq!(here, row.get::<_, i64>("id"));
            configs.push(here);
        }
        let engine = PgEngine::new(team.login("anna_vertrieb", "treffpunkt_users"));
        let ws = Workspace::team(local.clone(), Arc::new(engine));
        let mut fields = EmployeeFields {
            first_name: "Anna".into(),
            last_name: "Schmidt".into(),
            color: "#2563eb".into(),
            mail_configuration_id: Some(configs[0]),
            ..Default::default()
        };
        let anna = employee::save(&ws, None, None, &fields).unwrap();
        // This desktop's sign-in of Anna, kept locally.
        let owner = SignInOwner::Employee(anna.id);
        local
            .with(|c| {
                assert_eq!(employees::insert(c, &fields)?, anna.id);
                let account = Account {
                    user_principal_name: "anna@contoso.example".into(),
                    display_name: "Anna".into(),
                    tenant_id: "t".into(),
                };
                let tokens = TokenSet {
                    access_token: "access".into(),
                    refresh_token: Some("refresh".into()),
                    expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
                };
                sign_ins::save(c, owner, &account, &tokens, 1)
            })
            .unwrap();
        let state = || {
            local
                .with(|c| sign_ins::get(c, owner))
                .unwrap()
                .expect("kept")
                .state
        };

        // A change that keeps the configuration keeps the sign-in.
        fields.department = Some("Vertrieb".into());
        let kept = employee::save(&ws, Some(anna.id), Some(anna.stamp.version), &fields).unwrap();
        assert_eq!(state(), SignInState::Active);

        fields.mail_configuration_id = Some(configs[1]);
        let moved = employee::save(&ws, Some(anna.id), Some(kept.stamp.version), &fields).unwrap();
        assert_eq!(moved.fields.mail_configuration_id, Some(configs[1]));
        assert_eq!(state(), SignInState::Expired);
    }
}
