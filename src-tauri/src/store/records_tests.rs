//! The records' store suite, run against both engines through the store interface: each test
//! below is written once and runs as `<name>::sqlite` (an in-memory workspace) and
//! `<name>::postgres` (a fresh database on the throwaway test server, migrated, worked on under
//! a salesperson's login).

use std::sync::{Arc, Mutex};

use super::interface::{read, write, Engine};
use super::postgres::{schema, test_server, PgEngine};
use super::{Db, Result, StoreError};
use crate::crm::activity::HistoryEvent;
use crate::crm::model::{
    BusinessPartnerFields, Channel, CommunicationFields, Contact, ContactFields, EmployeeFields,
    PersonFields, RecordKind,
};

/// An engine to test, and a way to set up what the records slice cannot (an activity), in SQL
/// both engines understand.
pub(super) struct Harness {
    pub(super) engine: Arc<dyn Engine>,
    pub(super) raw: Box<dyn Fn(&str)>,
    /// The team database login the engine works under; `None` for the local workspace.
    pub(super) login: Option<String>,
}

impl Harness {
    pub(super) fn sqlite() -> Harness {
        let db = Arc::new(Db::open_in_memory().unwrap());
        let raw = db.clone();
        Harness {
            engine: db,
            raw: Box::new(move |sql| raw.with(|c| c.execute_batch(sql)).unwrap()),
            login: None,
        }
    }

    pub(super) fn postgres() -> Harness {
        let db = test_server::shared().fresh_database();
        let admin = Mutex::new(db.superuser());
        schema::migrate(&mut admin.lock().unwrap()).unwrap();
        // A login of its own per database: roles are the whole server's.
        let login = format!("vertrieb_{}", db.name);
        let salesperson = db.login(&login, "treffpunkt_users");
        Harness {
            engine: Arc::new(PgEngine::new(salesperson)),
            raw: Box::new(move |sql| admin.lock().unwrap().batch_execute(sql).unwrap()),
            login: Some(login),
        }
    }

    pub(super) fn engine(&self) -> &dyn Engine {
        &*self.engine
    }

    /// Makes `employee` (named `name`) the one working here and answers with how a change of
    /// theirs is signed: the login on the team database, the employee's name in the local
    /// workspace, which has no login.
    pub(super) fn work_as(&self, employee: i64, name: &str) -> Result<String> {
        match &self.login {
            Some(login) => Ok(login.clone()),
            None => {
                write(self.engine(), |s| s.set_current_employee(employee))?;
                Ok(name.to_string())
            }
        }
    }
}

/// Each `fn name(h: &Harness) { ... }` (returning `Result<()>`) becomes the module `name` with
/// the tests `sqlite` and `postgres`.
macro_rules! engine_tests {
    ($($(#[doc = $doc:literal])* fn $name:ident($h:ident: &Harness) $body:block)*) => {$(
        $(#[doc = $doc])*
        mod $name {
            use super::*;

            fn run($h: &Harness) -> Result<()> $body

            #[test]
            fn sqlite() {
                run(&Harness::sqlite()).unwrap();
            }

            #[test]
            fn postgres() {
                run(&Harness::postgres()).unwrap();
            }
        }
    )*};
}

fn partner(name: &str, city: &str) -> BusinessPartnerFields {
    BusinessPartnerFields {
        name: name.into(),
        city: Some(city.into()),
        country: "de".into(),
        ..Default::default()
    }
}

fn contact(first: &str, last: &str, partner: Option<i64>) -> ContactFields {
    ContactFields {
        business_partner_id: partner,
        first_name: first.into(),
        last_name: last.into(),
        ..Default::default()
    }
}

fn employee(first: &str, last: &str) -> EmployeeFields {
    EmployeeFields {
        first_name: first.into(),
        last_name: last.into(),
        email: Some(format!("{}@example.com", first.to_lowercase())),
        color: "#123456".into(),
        ..Default::default()
    }
}

fn names(found: &[Contact]) -> Vec<String> {
    found
        .iter()
        .map(|c| format!("{} {}", c.fields.first_name, c.fields.last_name))
        .collect()
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T>, kind: RecordKind) -> bool {
    matches!(r, Err(StoreError::NotFound { kind: k, .. }) if k == kind)
}

#[derive(Debug)]
enum Refused {
    ByTheUseCase,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        Refused::Store(e)
    }
}

/// The refusal of a save made over a change someone else saved meanwhile: it names the record,
/// who saved (`by`) and when (within `during`, Unix seconds).
fn assert_conflict(
    refused: Result<()>,
    kind: RecordKind,
    id: i64,
    by: &str,
    during: std::ops::RangeInclusive<i64>,
) {
    match refused {
        Err(StoreError::Conflict {
            kind: k,
            id: i,
            changed_by,
            changed_at,
        }) => {
            assert_eq!((k, i), (kind, id));
            assert_eq!(changed_by.as_deref(), Some(by), "who saved meanwhile");
            assert!(
                during.contains(&changed_at),
                "when: {changed_at}, {during:?}"
            );
        }
        other => panic!("the second save must be refused, got {other:?}"),
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

engine_tests! {
    /// A partner is saved as entered (country in capitals, blanks empty), read back, found by
    /// name, city and e-mail in any case, changed and deleted; a gone one is "not found".
    fn a_business_partner_is_saved_found_changed_and_deleted(h: &Harness) {
        let e = h.engine();
        let mut fields = partner("Müller Maschinenbau GmbH", "Augsburg");
        fields.industry = Some("  ".into());
        fields.email = Some("info@mueller-maschinen.example".into());
        let id = write(e, |s| s.insert_business_partner(&fields))?;
        write(e, |s| s.insert_business_partner(&partner("Northwind Traders Ltd", "London")))?;
        read(e, |s| {
            let stored = s.business_partner(id)?;
            assert_eq!(stored.fields.country, "DE", "country is normalised");
            assert_eq!(stored.fields.industry, None, "blank is stored as empty");
            assert_eq!(stored.fields.name, "Müller Maschinenbau GmbH");
            assert_eq!(s.search_business_partners("MASCHINEN", 10)?.len(), 1);
            assert_eq!(s.search_business_partners("london", 10)?.len(), 1);
            assert_eq!(s.search_business_partners("mueller-maschinen", 10)?.len(), 1);
            assert_eq!(s.search_business_partners("100%", 10)?.len(), 0, "% is literal");
            assert_eq!(s.search_business_partners("", 10)?.len(), 2);
            assert_eq!(s.search_business_partners("", 1)?.len(), 1, "the limit holds");
            Ok::<_, StoreError>(())
        })?;
        write(e, |s| s.update_business_partner(id, 1, &partner("Müller Maschinenbau AG", "Augsburg")))?;
        assert_eq!(read(e, |s| s.business_partner(id))?.fields.name, "Müller Maschinenbau AG");
        write(e, |s| s.delete_business_partner(id))?;
        assert!(is_not_found(
            read(e, |s| s.business_partner(id)),
            RecordKind::BusinessPartner
        ));
        assert!(is_not_found(
            write(e, |s| s.update_business_partner(id, 2, &partner("X", "Y"))),
            RecordKind::BusinessPartner
        ));
        assert!(is_not_found(
            write(e, |s| s.delete_business_partner(id)),
            RecordKind::BusinessPartner
        ));
        Ok(())
    }

    /// Partners, persons and employees are listed by name, ignoring case.
    fn search_hits_come_in_name_order(h: &Harness) {
        let e = h.engine();
        write(e, |s| {
            for name in ["Zeta GmbH", "alpha KG", "Beta AG"] {
                s.insert_business_partner(&partner(name, "Kiel"))?;
            }
            for (first, last) in [("Udo", "zander"), ("Eva", "Albers"), ("Tom", "Berg")] {
                s.insert_person(&PersonFields {
                    first_name: first.into(),
                    last_name: last.into(),
                    ..Default::default()
                })?;
                s.insert_employee(&employee(first, last))?;
            }
            Ok::<_, StoreError>(())
        })?;
        read(e, |s| {
            let partners: Vec<String> = s
                .search_business_partners("", 10)?
                .into_iter()
                .map(|p| p.fields.name)
                .collect();
            assert_eq!(partners, ["alpha KG", "Beta AG", "Zeta GmbH"]);
            let persons: Vec<String> =
                s.search_persons("", 10)?.into_iter().map(|p| p.fields.last_name).collect();
            assert_eq!(persons, ["Albers", "Berg", "zander"]);
            let employees: Vec<String> =
                s.search_employees("", 10)?.into_iter().map(|p| p.fields.last_name).collect();
            assert_eq!(employees, ["Albers", "Berg", "zander"]);
            assert_eq!(s.count_employees()?, 3);
            Ok::<_, StoreError>(())
        })
    }

    /// A contact shows its partner's name and is found by it; deleting the partner keeps the
    /// contact, without a partner.
    fn a_contact_shows_its_business_partner_and_is_found_by_it(h: &Harness) {
        let e = h.engine();
        let (partner_id, id) = write(e, |s| {
            let p = s.insert_business_partner(&partner("Contoso GmbH", "Köln"))?;
            let mut fields = contact("Lena", "Vogel", Some(p));
            fields.email = Some("lena.vogel@contoso.example".into());
            fields.position = Some(" ".into());
            Ok::<_, StoreError>((p, s.insert_contact(&fields)?))
        })?;
        read(e, |s| {
            let stored = s.contact(id)?;
            assert_eq!(stored.business_partner.as_ref().unwrap().label, "Contoso GmbH");
            assert_eq!(stored.fields.position, None);
            assert_eq!(s.search_contacts("contoso", 10)?.len(), 1, "by partner name");
            assert_eq!(s.search_contacts("vogel lena", 10)?.len(), 1, "last name first");
            assert_eq!(s.search_contacts("LENA.VOGEL@", 10)?.len(), 1, "by e-mail");
            assert_eq!(s.contacts_of_business_partner(partner_id)?.len(), 1);
            Ok::<_, StoreError>(())
        })?;
        write(e, |s| s.delete_business_partner(partner_id))?;
        read(e, |s| {
            assert_eq!(s.contact(id)?.business_partner, None);
            assert_eq!(s.contact(id)?.fields.business_partner_id, None);
            Ok::<_, StoreError>(())
        })
    }

    /// Last names starting with the text come first, then the rest by name; umlauts match in
    /// any case; the search follows a renamed contact, a renamed partner, a deleted contact.
    fn the_contact_search_ranks_last_names_first_and_follows_changes(h: &Harness) {
        let e = h.engine();
        let (partner_id, ids) = write(e, |s| {
            let p = s.insert_business_partner(&partner("Bäckerei Jürgens KG", "Köln"))?;
            let people = [
                ("Jörg", "Müller", Some("joerg@baeckerei.example")),
                ("Anna", "MÜLLERSTEIN", None),
                ("Lena", "Vogel", Some("lena@vogel.example")),
                ("Ben", "Amann", Some("ben.amann@contoso.example")),
            ];
            let mut ids = Vec::new();
            for (first, last, email) in people {
                let mut fields = contact(first, last, Some(p));
                fields.email = email.map(Into::into);
                ids.push(s.insert_contact(&fields)?);
            }
            Ok::<_, StoreError>((p, ids))
        })?;
        read(e, |s| {
            assert_eq!(s.search_contacts("@", 50)?.len(), 3, "one character, anywhere");
            let short = names(&s.search_contacts("mü", 50)?);
            assert_eq!(short[0], "Jörg Müller", "a last name's start comes first");
            assert_eq!(short.len(), 2, "then the rest: {short:?}");
            assert_eq!(names(&s.search_contacts("Amann", 50)?), ["Ben Amann"]);
            assert_eq!(names(&s.search_contacts("mann", 50)?), ["Ben Amann"]);
            let mut found = names(&s.search_contacts("müller", 50)?);
            found.sort();
            assert_eq!(found, ["Anna MÜLLERSTEIN", "Jörg Müller"], "umlauts in any case");
            assert_eq!(names(&s.search_contacts("JÜRGENS", 50)?).len(), 4, "by the partner");
            assert_eq!(s.search_contacts("örg mü", 50)?.len(), 1, "first name first");
            assert!(s.search_contacts("nobody", 50)?.is_empty());
            assert_eq!(s.search_contacts("", 2)?.len(), 2, "the limit holds");
            Ok::<_, StoreError>(())
        })?;
        write(e, |s| {
            let version = s.contact(ids[2])?.stamp.version;
            s.update_contact(ids[2], version, &contact("Lena", "Fink", Some(partner_id)))?;
            let version = s.business_partner(partner_id)?.stamp.version;
            s.update_business_partner(partner_id, version, &partner("Konditorei Adler", "Köln"))?;
            s.delete_contact(ids[0])
        })?;
        read(e, |s| {
            assert!(s.search_contacts("vogel", 50)?.is_empty());
            assert_eq!(names(&s.search_contacts("fink", 50)?), ["Lena Fink"]);
            assert!(s.search_contacts("jürgens", 50)?.is_empty());
            assert_eq!(s.search_contacts("konditorei", 50)?.len(), 3);
            assert_eq!(names(&s.search_contacts("müller", 50)?), ["Anna MÜLLERSTEIN"]);
            assert!(is_not_found(s.contact(ids[0]), RecordKind::Contact));
            Ok::<_, StoreError>(())
        })
    }

    /// One or two characters are found wherever a contact's text holds them, also as its very
    /// last characters (the partner's name ends it), in name order.
    fn one_or_two_characters_are_found_anywhere(h: &Harness) {
        let e = h.engine();
        write(e, |s| {
            for i in 0..20 {
                let mut fields = contact("Kunde", &format!("Nummer {i}"), None);
                fields.email = Some(format!("kunde{i}@example.com"));
                s.insert_contact(&fields)?;
            }
            let p = s.insert_business_partner(&partner("Firma XQ", "Köln"))?;
            s.insert_contact(&contact("Åsa", "Berg", Some(p)))
        })?;
        read(e, |s| {
            assert_eq!(names(&s.search_contacts("å", 50)?), ["Åsa Berg"], "one letter");
            assert_eq!(names(&s.search_contacts("SA", 50)?), ["Åsa Berg"], "two letters");
            assert_eq!(names(&s.search_contacts("xq", 50)?), ["Åsa Berg"], "at the end");
            assert_eq!(names(&s.search_contacts("Q", 50)?), ["Åsa Berg"], "the last one");
            assert_eq!(
                names(&s.search_contacts("7", 50)?),
                ["Kunde Nummer 17", "Kunde Nummer 7"],
                "digits, by name"
            );
            assert!(s.search_contacts("qx", 50)?.is_empty());
            Ok::<_, StoreError>(())
        })
    }

    /// A NUL pasted into a search is dropped, not an error (no stored field holds one).
    fn a_nul_in_the_search_text_is_no_error(h: &Harness) {
        let e = h.engine();
        write(e, |s| s.insert_contact(&contact("Lena", "Vogel", None)))?;
        read(e, |s| {
            for query in ["Vo\0gel", "\0", "ogel\0", "\"\0\""] {
                assert!(s.search_contacts(query, 10)?.len() <= 1, "{query:?}");
                s.search_business_partners(query, 10)?;
                s.search_persons(query, 10)?;
                s.search_employees(query, 10)?;
            }
            assert_eq!(s.search_contacts("ogel\0", 10)?.len(), 1);
            Ok::<_, StoreError>(())
        })
    }

    /// A person is found by name either way round and by city, changed, and deleted.
    fn a_person_is_saved_found_changed_and_deleted(h: &Harness) {
        let e = h.engine();
        let f = PersonFields {
            first_name: " Jana ".into(),
            last_name: "Krüger".into(),
            city: Some("Kiel".into()),
            ..Default::default()
        };
        let id = write(e, |s| s.insert_person(&f))?;
        read(e, |s| {
            assert_eq!(s.person(id)?.fields.first_name, "Jana", "trimmed");
            assert_eq!(s.search_persons("krüger jana", 5)?.len(), 1);
            assert_eq!(s.search_persons("JANA KR", 5)?.len(), 1, "ignoring case");
            assert_eq!(s.search_persons("kiel", 5)?.len(), 1);
            Ok::<_, StoreError>(())
        })?;
        let changed = PersonFields {
            email: Some("jana@example.org".into()),
            ..f.clone()
        };
        write(e, |s| s.update_person(id, 1, &changed))?;
        assert_eq!(
            read(e, |s| s.person(id))?.fields.email.as_deref(),
            Some("jana@example.org")
        );
        write(e, |s| s.delete_person(id))?;
        read(e, |s| {
            assert!(s.search_persons("", 5)?.is_empty());
            assert!(is_not_found(s.person(id), RecordKind::Person));
            Ok::<_, StoreError>(())
        })?;
        assert!(is_not_found(write(e, |s| s.update_person(id, 2, &f)), RecordKind::Person));
        Ok(())
    }

    /// An employee is saved, changed (a blank department stored empty), found by name, e-mail
    /// and department, and deleted; deleting one twice says "not found".
    fn an_employee_is_saved_found_changed_and_deleted(h: &Harness) {
        let e = h.engine();
        let (anna, _) = write(e, |s| {
            Ok::<_, StoreError>((
                s.insert_employee(&employee("Anna", "Schmidt"))?,
                s.insert_employee(&employee("Bernd", "Müller"))?,
            ))
        })?;
        let mut changed = employee("Anna", "Schmidt-Weber");
        changed.department = Some("  ".into());
        write(e, |s| s.update_employee(anna, 1, &changed))?;
        read(e, |s| {
            let now = s.employee(anna)?;
            assert_eq!(now.fields.last_name, "Schmidt-Weber");
            assert_eq!(now.fields.department, None, "blank is stored as empty");
            assert_eq!(now.fields.color, "#123456");
            assert_eq!(now.mail_configuration, None);
            assert_eq!(s.search_employees("WEBER", 10)?.len(), 1);
            assert_eq!(s.search_employees("bernd@", 10)?.len(), 1);
            assert_eq!(s.search_employees("", 10)?.len(), 2);
            assert_eq!(s.editor(Some(anna))?.unwrap().name, "Anna Schmidt-Weber");
            assert_eq!(s.editor(None)?, None);
            Ok::<_, StoreError>(())
        })?;
        write(e, |s| s.delete_employee(anna))?;
        read(e, |s| {
            assert!(is_not_found(s.employee(anna), RecordKind::Employee));
            assert_eq!(s.editor(Some(anna))?, None);
            Ok::<_, StoreError>(())
        })?;
        assert!(is_not_found(write(e, |s| s.delete_employee(anna)), RecordKind::Employee));
        Ok(())
    }

    /// An employee whose calendar holds their own activities cannot be deleted: the refusal
    /// says "in use" and the employee stays.
    fn an_employee_who_owns_activities_is_not_deleted(h: &Harness) {
        let e = h.engine();
        let id = write(e, |s| s.insert_employee(&employee("Timo", "Berg")))?;
        (h.raw)(&format!(
            "INSERT INTO activities (uid, kind, subject, starts_at, ends_at, time_zone,
                 owner_employee_id, created_at, updated_at)
             VALUES ('u-1', 'meeting', 'Angebot', 0, 3600, 'Europe/Berlin', {id}, 0, 0)"
        ));
        let refused = write(e, |s| s.delete_employee(id));
        assert!(
            matches!(refused, Err(StoreError::InUse { kind: RecordKind::Employee, id: i }) if i == id),
            "{refused:?}"
        );
        assert_eq!(read(e, |s| s.employee(id))?.fields.last_name, "Berg");
        Ok(())
    }

    /// Communication entries belong to their owner, name it, keep a history of who changed
    /// what, and go with their owner.
    fn communication_entries_belong_to_their_owner_and_keep_a_history(h: &Harness) {
        let e = h.engine();
        let (person, editor_id) = write(e, |s| {
            Ok::<_, StoreError>((
                s.insert_person(&PersonFields {
                    first_name: "Ole".into(),
                    last_name: "Hansen".into(),
                    ..Default::default()
                })?,
                s.insert_employee(&employee("Jana", "Hofmann"))?,
            ))
        })?;
        let first = CommunicationFields {
            owner_kind: RecordKind::Person,
            owner_id: person,
            channel: Channel::Mobile,
            value: " +49 170 1234567 ".into(),
            label: Some("privat".into()),
        };
        let second = CommunicationFields {
            channel: Channel::Phone,
            value: "+49 431 1234".into(),
            label: None,
            ..first.clone()
        };
        let id = write(e, |s| {
            let by = s.editor(Some(editor_id))?;
            let id = s.insert_communication(&first)?;
            s.add_communication_history(id, by.as_ref(), None, &first, 1_000)?;
            s.update_communication(id, 1, &second)?;
            s.add_communication_history(id, by.as_ref(), Some(&first), &second, 2_000)?;
            Ok::<_, StoreError>(id)
        })?;
        read(e, |s| {
            let entry = s.communication(id)?;
            assert_eq!(entry.fields.value, "+49 431 1234");
            assert_eq!(entry.fields.channel, Channel::Phone);
            assert_eq!(entry.owner.label, "Ole Hansen");
            assert_eq!(s.communications_of(RecordKind::Person, person)?.len(), 1);
            assert_eq!(s.communications_of(RecordKind::Contact, person)?.len(), 0);
            assert_eq!(s.communications_of(RecordKind::Activity, person)?.len(), 0);
            let history = s.communication_history(id, 10)?;
            assert_eq!(history.len(), 2);
            assert_eq!(history[0].event, HistoryEvent::Changed, "newest first");
            assert_eq!(history[0].by.as_deref(), Some("Jana Hofmann"));
            assert_eq!(history[0].occurred_at.timestamp(), 2_000);
            let changed: Vec<(&str, Option<&str>, Option<&str>)> = history[0]
                .changes
                .iter()
                .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
                .collect();
            assert_eq!(
                changed,
                [
                    ("channel", Some("mobile"), Some("phone")),
                    ("value", Some("+49 170 1234567"), Some("+49 431 1234")),
                    ("label", Some("privat"), None),
                ]
            );
            assert_eq!(history[1].event, HistoryEvent::Created);
            assert_eq!(s.communication_history(id, 1)?.len(), 1, "the limit holds");
            Ok::<_, StoreError>(())
        })?;
        let owned_by_activity = CommunicationFields {
            owner_kind: RecordKind::Activity,
            ..first.clone()
        };
        assert!(write(e, |s| s.insert_communication(&owned_by_activity)).is_err());
        write(e, |s| s.delete_person(person))?;
        read(e, |s| {
            assert!(is_not_found(s.communication(id), RecordKind::Communication));
            assert!(is_not_found(s.communication_history(id, 10), RecordKind::Communication));
            Ok::<_, StoreError>(())
        })?;
        assert!(is_not_found(
            write(e, |s| s.update_communication(id, 2, &first)),
            RecordKind::Communication
        ));
        Ok(())
    }

    /// A write whose step fails keeps nothing of what it wrote before, and hands back that
    /// step's own error; a write that succeeds hands back its result.
    fn a_failing_write_keeps_nothing(h: &Harness) {
        let e = h.engine();
        let refused = write(e, |s| {
            s.insert_business_partner(&partner("Halb AG", "Bremen"))?;
            s.insert_person(&PersonFields {
                first_name: "Halb".into(),
                last_name: "Fertig".into(),
                ..Default::default()
            })?;
            Err::<(), _>(Refused::ByTheUseCase)
        });
        assert!(matches!(refused, Err(Refused::ByTheUseCase)), "{refused:?}");
        let failed_in_store = write(e, |s| {
            s.insert_business_partner(&partner("Halb AG", "Bremen"))?;
            s.delete_contact(424_242)?;
            Ok::<_, Refused>(())
        });
        assert!(
            matches!(failed_in_store, Err(Refused::Store(StoreError::NotFound { .. }))),
            "{failed_in_store:?}"
        );
        read(e, |s| {
            assert!(s.search_business_partners("halb", 10)?.is_empty(), "rolled back");
            assert!(s.search_persons("fertig", 10)?.is_empty(), "rolled back");
            Ok::<_, StoreError>(())
        })?;
        let id = write(e, |s| s.insert_business_partner(&partner("Ganz AG", "Bremen")))?;
        assert_eq!(read(e, |s| s.business_partner(id))?.fields.name, "Ganz AG");
        Ok(())
    }
    /// No lost update on a business partner: of two saves made from the same version, the
    /// second is refused naming who saved meanwhile and when, and the first's values stay; a
    /// save over the current version passes and raises it; a gone partner is "not found".
    fn a_business_partner_changed_meanwhile_is_not_overwritten(h: &Harness) {
        let e = h.engine();
        let anna = write(e, |s| s.insert_employee(&employee("Anna", "Test")))?;
        let by = h.work_as(anna, "Anna Test")?;
        let id = write(e, |s| s.insert_business_partner(&partner("Adler KG", "Kiel")))?;
        let read_first = read(e, |s| s.business_partner(id))?;
        let read_second = read(e, |s| s.business_partner(id))?;
        assert_eq!(read_first.stamp.version, 1, "a new record is at version 1");

        let mut mine = read_first.fields.clone();
        mine.industry = Some("Handel".into());
        let before = now();
        write(e, |s| s.update_business_partner(id, read_first.stamp.version, &mine))?;
        let after = now();
        let mut theirs = read_second.fields.clone();
        theirs.name = "Falke KG".into();
        let refused = write(e, |s| s.update_business_partner(id, read_second.stamp.version, &theirs));
        assert_conflict(refused, RecordKind::BusinessPartner, id, &by, before..=after);

        let stored = read(e, |s| s.business_partner(id))?;
        assert_eq!(stored.fields, mine, "the first's values stay, the second's are not saved");
        assert_eq!(stored.stamp.version, 2);
        assert_eq!(stored.stamp.changed_by.as_deref(), Some(by.as_str()));
        write(e, |s| s.update_business_partner(id, stored.stamp.version, &theirs))?;
        let stored = read(e, |s| s.business_partner(id))?;
        assert_eq!((stored.fields.name.as_str(), stored.stamp.version), ("Falke KG", 3));
        write(e, |s| s.delete_business_partner(id))?;
        assert!(is_not_found(
            write(e, |s| s.update_business_partner(id, 3, &theirs)),
            RecordKind::BusinessPartner
        ));
        Ok(())
    }

    /// The refusal names who saved meanwhile as colleagues know each other: by the employee's
    /// name, on the team database too, where a save is signed by the login the employee's
    /// record names.
    fn a_conflict_names_the_colleague_who_saved(h: &Harness) {
        let e = h.engine();
        let anna = write(e, |s| s.insert_employee(&employee("Anna", "Test")))?;
        h.work_as(anna, "Anna Test")?;
        if let Some(login) = &h.login {
            (h.raw)(&format!(
                "UPDATE employees SET database_login = '{login}' WHERE id = {anna}"
            ));
        }
        let id = write(e, |s| s.insert_contact(&contact("Jana", "Vogelsang", None)))?;
        let read_first = read(e, |s| s.contact(id))?;
        let mut mine = read_first.fields.clone();
        mine.first_name = "Johanna".into();
        let before = now();
        write(e, |s| s.update_contact(id, read_first.stamp.version, &mine))?;
        let after = now();
        let refused = write(e, |s| s.update_contact(id, read_first.stamp.version, &mine));
        assert_conflict(refused, RecordKind::Contact, id, "Anna Test", before..=after);
        Ok(())
    }

    /// The same for a person.
    fn a_person_changed_meanwhile_is_not_overwritten(h: &Harness) {
        let e = h.engine();
        let anna = write(e, |s| s.insert_employee(&employee("Anna", "Test")))?;
        let by = h.work_as(anna, "Anna Test")?;
        let f = PersonFields {
            first_name: "Ole".into(),
            last_name: "Hansen".into(),
            ..Default::default()
        };
        let id = write(e, |s| s.insert_person(&f))?;
        let read_first = read(e, |s| s.person(id))?;
        let read_second = read(e, |s| s.person(id))?;
        assert_eq!(read_first.stamp.version, 1);

        let mine = PersonFields {
            city: Some("Kiel".into()),
            ..f.clone()
        };
        let before = now();
        write(e, |s| s.update_person(id, read_first.stamp.version, &mine))?;
        let after = now();
        let theirs = PersonFields {
            last_name: "Hansen-Berg".into(),
            ..f.clone()
        };
        let refused = write(e, |s| s.update_person(id, read_second.stamp.version, &theirs));
        assert_conflict(refused, RecordKind::Person, id, &by, before..=after);

        let stored = read(e, |s| s.person(id))?;
        assert_eq!(stored.fields, mine, "the first's values stay");
        assert_eq!(stored.stamp.version, 2);
        write(e, |s| s.update_person(id, 2, &theirs))?;
        assert_eq!(read(e, |s| s.person(id))?.stamp.version, 3);
        write(e, |s| s.delete_person(id))?;
        assert!(is_not_found(write(e, |s| s.update_person(id, 3, &theirs)), RecordKind::Person));
        Ok(())
    }

    /// The same for an employee.
    fn an_employee_changed_meanwhile_is_not_overwritten(h: &Harness) {
        let e = h.engine();
        let anna = write(e, |s| s.insert_employee(&employee("Anna", "Test")))?;
        let by = h.work_as(anna, "Anna Test")?;
        let id = write(e, |s| s.insert_employee(&employee("Ben", "Kurz")))?;
        let read_first = read(e, |s| s.employee(id))?;
        let read_second = read(e, |s| s.employee(id))?;
        assert_eq!(read_first.stamp.version, 1);

        let mut mine = read_first.fields.clone();
        mine.department = Some("Vertrieb".into());
        let before = now();
        write(e, |s| s.update_employee(id, read_first.stamp.version, &mine))?;
        let after = now();
        let mut theirs = read_second.fields.clone();
        theirs.color = "#abcdef".into();
        let refused = write(e, |s| s.update_employee(id, read_second.stamp.version, &theirs));
        assert_conflict(refused, RecordKind::Employee, id, &by, before..=after);

        let stored = read(e, |s| s.employee(id))?;
        assert_eq!(stored.fields, mine, "the first's values stay");
        assert_eq!(stored.stamp.version, 2);
        write(e, |s| s.update_employee(id, 2, &theirs))?;
        assert_eq!(read(e, |s| s.employee(id))?.stamp.version, 3);
        write(e, |s| s.delete_employee(id))?;
        assert!(is_not_found(
            write(e, |s| s.update_employee(id, 3, &theirs)),
            RecordKind::Employee
        ));
        Ok(())
    }

    /// The same for a communication entry.
    fn a_communication_entry_changed_meanwhile_is_not_overwritten(h: &Harness) {
        let e = h.engine();
        let anna = write(e, |s| s.insert_employee(&employee("Anna", "Test")))?;
        let by = h.work_as(anna, "Anna Test")?;
        let owner = write(e, |s| s.insert_business_partner(&partner("Adler KG", "Kiel")))?;
        let f = CommunicationFields {
            owner_kind: RecordKind::BusinessPartner,
            owner_id: owner,
            channel: Channel::Phone,
            value: "+49 431 1234".into(),
            label: None,
        };
        let id = write(e, |s| s.insert_communication(&f))?;
        let read_first = read(e, |s| s.communication(id))?;
        let read_second = read(e, |s| s.communication(id))?;
        assert_eq!(read_first.stamp.version, 1);

        let mine = CommunicationFields {
            label: Some("Zentrale".into()),
            ..f.clone()
        };
        let before = now();
        write(e, |s| s.update_communication(id, read_first.stamp.version, &mine))?;
        let after = now();
        let theirs = CommunicationFields {
            value: "+49 431 9999".into(),
            ..f.clone()
        };
        let refused = write(e, |s| s.update_communication(id, read_second.stamp.version, &theirs));
        assert_conflict(refused, RecordKind::Communication, id, &by, before..=after);

        let stored = read(e, |s| s.communication(id))?;
        assert_eq!(stored.fields, mine, "the first's values stay");
        assert_eq!(stored.stamp.version, 2);
        write(e, |s| s.update_communication(id, 2, &theirs))?;
        assert_eq!(read(e, |s| s.communication(id))?.stamp.version, 3);
        write(e, |s| s.delete_communication(id))?;
        assert!(is_not_found(
            write(e, |s| s.update_communication(id, 3, &theirs)),
            RecordKind::Communication
        ));
        Ok(())
    }
}
