//! The demo workspace's data (F3): realistic German and English employees, companies, contacts,
//! persons and a year of activities of every kind, the same on every machine (a fixed seed).

mod names;
pub mod panel;
pub mod scale;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use fastrand::Rng;

use crate::crm::activity::{ActivityInput, ActivityKind, ActivityStatus, ParticipantRef};
use crate::crm::calendar::local_to_utc;
use crate::crm::mail_configuration::{
    validate_with, Cloud, Groupware, MailConfigurationInput, SecretChange, UrlPolicy,
};
use crate::crm::model::{
    BusinessPartnerFields, Channel, CommunicationFields, ContactFields, EmployeeFields,
    PersonFields, RecordKind,
};
use crate::crm::settings::SystemSetting;
use crate::store::{self, Db};
use names::*;

/// How much demo data to make.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub employees: usize,
    pub business_partners: usize,
    pub contacts: usize,
    pub persons: usize,
    /// Activities per employee and working day, on average.
    pub activities_per_day: f64,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            employees: 12,
            business_partners: 60,
            contacts: 240,
            persons: 36,
            activities_per_day: 1.4,
        }
    }
}

/// What the demo tenant's mail configuration is called.
pub const DEMO_MAIL_CONFIGURATION: &str = "Demo-Mandant (Simulator)";
/// The demo tenant's public-client app registration and domain, served by the simulator.
pub const DEMO_CLIENT_ID: &str = "0e8d2c1a-5b7f-4c3e-9a61-7d2f4b8e9c10";
pub const DEMO_DOMAIN: &str = "treffpunkt-demo.onmicrosoft.com";

/// Fills an empty database with demo data around `today` (nine months back, three ahead) in
/// `zone`. Does nothing when the database already holds employees. One transaction.
pub fn seed_if_empty(db: &Db, size: DemoSize, today: NaiveDate, zone: Tz) -> store::Result<bool> {
    db.transaction(|tx| {
        if store::employees::count(tx)? > 0 {
            return Ok(false);
        }
        seed(tx, size, today, zone)?;
        Ok(true)
    })
}

fn pick<'a>(rng: &mut Rng, list: &'a [&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

fn ascii_mail_part(s: &str) -> String {
    s.to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn seed(
    conn: &rusqlite::Connection,
    size: DemoSize,
    today: NaiveDate,
    zone: Tz,
) -> store::Result<()> {
    let mut rng = Rng::with_seed(0x7E1F_F9A7);
    let now = store::now();
    let employees = insert_employees(conn, &mut rng, size.employees)?;
    let partners = insert_business_partners(conn, &mut rng, size.business_partners)?;
    let contacts = insert_contacts(conn, &mut rng, size.contacts, &partners)?;
    let persons = insert_persons(conn, &mut rng, size.persons)?;

    let first_day = today - Duration::days(273);
    let last_day = today + Duration::days(92);
    let mut day = first_day;
    while day <= last_day {
        let weekday = day.weekday().num_days_from_monday();
        if weekday < 5 {
            for &employee in &employees {
                let mut expected = size.activities_per_day;
                while expected > 0.0 {
                    if rng.f64() < expected {
                        let a = activity(
                            &mut rng, day, zone, employee, &employees, &contacts, &persons, today,
                        );
                        insert_activity(conn, &mut rng, &a, now)?;
                    }
                    expected -= 1.0;
                }
            }
        }
        day += Duration::days(1);
    }
    Ok(())
}

/// Stores `a` with a random (seeded, so reproducible) uid.
fn insert_activity(
    conn: &rusqlite::Connection,
    rng: &mut Rng,
    a: &ActivityInput,
    now: i64,
) -> store::Result<i64> {
    let uid = uuid::Uuid::from_u128(rng.u128(..)).to_string();
    store::activities::insert(conn, a, &uid, now)
}

/// The demo tenant's mail configuration and `count` employees signed up to it; the first is the
/// own employee, and the Teams integration and external calls are on.
fn insert_employees(
    conn: &rusqlite::Connection,
    rng: &mut Rng,
    count: usize,
) -> store::Result<Vec<i64>> {
    // The demo's tenant is the simulator on the loopback interface, over plain http.
    let config = validate_with(
        &MailConfigurationInput {
            name: DEMO_MAIL_CONFIGURATION.into(),
            groupware: Groupware::MsGraph,
            client_id: DEMO_CLIENT_ID.into(),
            tenant_id: DEMO_DOMAIN.into(),
            cloud: Cloud::Custom,
            custom_authority_url: "http://127.0.0.1:8910".into(),
            custom_graph_url: "http://127.0.0.1:8910".into(),
            client_secret: SecretChange::Keep,
        },
        UrlPolicy::AllowHttpLoopback,
    )
    .map_err(|e| store::StoreError::Corrupt(e.to_string()))?;
    let config_id = store::mail_configurations::insert(conn, &config, store::now())?;

    let mut employees = Vec::with_capacity(count);
    for i in 0..count {
        let (first, last) = if i % 3 == 2 {
            (pick(rng, EN_FIRST), pick(rng, EN_LAST))
        } else {
            (pick(rng, DE_FIRST), pick(rng, DE_LAST))
        };
        let id = store::employees::insert(
            conn,
            &EmployeeFields {
                first_name: first.into(),
                last_name: last.into(),
                email: Some(format!(
                    "{}.{}@{DEMO_DOMAIN}",
                    ascii_mail_part(first),
                    ascii_mail_part(last)
                )),
                phone: Some(format!("+49 89 4520 {:03}", 100 + i)),
                mobile: Some(format!("+49 171 55{:05}", rng.u32(0..99_999))),
                department: Some(pick(rng, DEPARTMENTS).into()),
                color: CALENDAR_COLORS[i % CALENDAR_COLORS.len()].into(),
                mail_configuration_id: Some(config_id),
                // The demo tenant's accounts sign in with their mail addresses.
                user_principal_name: None,
            },
        )?;
        employees.push(id);
    }
    store::settings::set_current_employee(conn, employees[0])?;
    store::settings::set_flag(conn, SystemSetting::TeamsIntegrationEnabled, true)?;
    store::settings::set_flag(conn, SystemSetting::ExternalCallsEnabled, true)?;
    Ok(employees)
}

/// A business partner as the contacts need it: id, mail domain, English or German, area code.
struct Partner {
    id: i64,
    domain: String,
    english: bool,
    area: &'static str,
}

fn insert_business_partners(
    conn: &rusqlite::Connection,
    rng: &mut Rng,
    count: usize,
) -> store::Result<Vec<Partner>> {
    let mut partners = Vec::with_capacity(count);
    for i in 0..count {
        let english = i % 4 == 3;
        let (stem, suffix, cities, country) = if english {
            (pick(rng, EN_COMPANY), pick(rng, EN_SUFFIX), EN_CITIES, "GB")
        } else {
            (pick(rng, DE_COMPANY), pick(rng, DE_SUFFIX), DE_CITIES, "DE")
        };
        let name = format!("{stem} {} {suffix}", pick(rng, INDUSTRY_WORDS));
        let (city, postal, area) = cities[rng.usize(..cities.len())];
        let domain = format!("{}-{}.example", ascii_mail_part(stem), i + 1);
        let id = store::business_partners::insert(
            conn,
            &BusinessPartnerFields {
                name,
                industry: Some(pick(rng, INDUSTRIES).into()),
                street: Some(format!("{} {}", pick(rng, STREETS), rng.u32(1..120))),
                postal_code: Some(postal.into()),
                city: Some(city.into()),
                country: country.into(),
                phone: Some(format!("{area} {}", rng.u32(100_000..999_999))),
                email: Some(format!("info@{domain}")),
                website: Some(format!("https://www.{domain}")),
            },
        )?;
        partners.push(Partner {
            id,
            domain,
            english,
            area,
        });
    }
    Ok(partners)
}

/// `count` contacts spread over `partners`; returns (contact id, its partner's id).
fn insert_contacts(
    conn: &rusqlite::Connection,
    rng: &mut Rng,
    count: usize,
    partners: &[Partner],
) -> store::Result<Vec<(i64, i64)>> {
    let mut contacts = Vec::with_capacity(count);
    for i in 0..count {
        let partner = &partners[i % partners.len()];
        let (first, last, salutation) = if partner.english {
            let first = pick(rng, EN_FIRST);
            (
                first,
                pick(rng, EN_LAST),
                if rng.bool() { "Mr" } else { "Ms" },
            )
        } else {
            let first = pick(rng, DE_FIRST);
            (
                first,
                pick(rng, DE_LAST),
                if rng.bool() { "Herr" } else { "Frau" },
            )
        };
        // Every twentieth contact has no e-mail address: the chat then says so (E4).
        let email = (i % 20 != 7).then(|| {
            format!(
                "{}.{}@{}",
                ascii_mail_part(first),
                ascii_mail_part(last),
                partner.domain
            )
        });
        let area = partner.area;
        let id = store::contacts::insert(
            conn,
            &ContactFields {
                business_partner_id: Some(partner.id),
                salutation: Some(salutation.into()),
                first_name: first.into(),
                last_name: last.into(),
                position: Some(pick(rng, POSITIONS).into()),
                email,
                phone: Some(format!(
                    "{area} {}-{}",
                    rng.u32(100_000..999_999),
                    rng.u32(10..99)
                )),
                mobile: rng
                    .bool()
                    .then(|| format!("+49 15{} {}", rng.u32(1..8), rng.u32(1_000_000..9_999_999))),
            },
        )?;
        if i % 10 == 0 {
            store::communications::insert(
                conn,
                &CommunicationFields {
                    owner_kind: RecordKind::Contact,
                    owner_id: id,
                    channel: Channel::Phone,
                    value: format!("{area} {}", rng.u32(100_000..999_999)),
                    label: Some("Zentrale".into()),
                },
            )?;
        }
        contacts.push((id, partner.id));
    }
    Ok(contacts)
}

fn insert_persons(
    conn: &rusqlite::Connection,
    rng: &mut Rng,
    count: usize,
) -> store::Result<Vec<i64>> {
    let mut persons = Vec::with_capacity(count);
    for _ in 0..count {
        let (first, last) = (pick(rng, DE_FIRST), pick(rng, DE_LAST));
        let (city, _, area) = DE_CITIES[rng.usize(..DE_CITIES.len())];
        persons.push(store::persons::insert(
            conn,
            &PersonFields {
                first_name: first.into(),
                last_name: last.into(),
                email: Some(format!(
                    "{}.{}@mail.example",
                    ascii_mail_part(first),
                    ascii_mail_part(last)
                )),
                phone: Some(format!("{area} {}", rng.u32(100_000..999_999))),
                city: Some(city.into()),
            },
        )?);
    }
    Ok(persons)
}

/// Starts the simulator as the demo workspace's tenant (G2): the demo employees can sign in, and
/// the demo mail configuration points at it.
pub async fn start_simulator(
    db: &Db,
) -> Result<crate::simulator::Simulator, Box<dyn std::error::Error>> {
    use crate::simulator::{demo_tenant, SimUser, Simulator};
    let (users, config) = db.with(|c| {
        let users: Vec<SimUser> = store::employees::search(c, "", 1000)?
            .into_iter()
            .filter_map(|e| {
                let upn = e.fields.email?;
                Some(SimUser::work(
                    &upn,
                    &e.fields.first_name,
                    &e.fields.last_name,
                ))
            })
            .collect();
        let config = store::mail_configurations::list(c)?
            .into_iter()
            .find(|m| m.name == DEMO_MAIL_CONFIGURATION);
        Ok::<_, store::StoreError>((users, config))
    })?;
    let sim = Simulator::start(0, vec![demo_tenant(DEMO_CLIENT_ID, DEMO_DOMAIN, users)]).await?;
    if let Some(config) = config {
        let url = sim.base_url();
        db.with(|c| {
            store::mail_configurations::set_custom_urls(c, config.id, &url, &url, store::now())
        })?;
    }
    tracing::info!(url = %sim.base_url(), "Microsoft 365 simulator started for the demo workspace");
    Ok(sim)
}

#[allow(clippy::too_many_arguments)]
fn activity(
    rng: &mut Rng,
    day: NaiveDate,
    zone: Tz,
    owner: i64,
    employees: &[i64],
    contacts: &[(i64, i64)],
    persons: &[i64],
    today: NaiveDate,
) -> ActivityInput {
    const KINDS: [(ActivityKind, u32); 8] = [
        (ActivityKind::Appointment, 18),
        (ActivityKind::Meeting, 12),
        (ActivityKind::TeamsMeeting, 14),
        (ActivityKind::Call, 22),
        (ActivityKind::Email, 12),
        (ActivityKind::Task, 10),
        (ActivityKind::Note, 6),
        (ActivityKind::Visit, 6),
    ];
    let total: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.u32(0..total);
    let kind = KINDS
        .iter()
        .find(|(_, w)| {
            if roll < *w {
                true
            } else {
                roll -= w;
                false
            }
        })
        .map(|(k, _)| *k)
        .unwrap_or(ActivityKind::Note);

    let (contact, partner) = contacts[rng.usize(..contacts.len())];
    let (hour, minute) = (rng.u32(8..17), [0, 15, 30, 45][rng.usize(..4)]);
    let start: DateTime<Utc> = local_to_utc(
        zone,
        day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap()),
    );
    let minutes = match kind {
        ActivityKind::Call => [10, 15, 20, 30][rng.usize(..4)],
        ActivityKind::Email | ActivityKind::Note | ActivityKind::Task => 15,
        ActivityKind::Visit => [90, 120, 180][rng.usize(..3)],
        _ => [30, 45, 60, 90][rng.usize(..4)],
    };
    let mut participants = Vec::new();
    if kind.is_meeting() {
        participants.push(ParticipantRef::Contact { id: contact });
        for _ in 0..rng.usize(0..3) {
            let colleague = employees[rng.usize(..employees.len())];
            let p = ParticipantRef::Employee { id: colleague };
            if colleague != owner && !participants.contains(&p) {
                participants.push(p);
            }
        }
    }
    let subject_list = match kind {
        ActivityKind::Appointment => SUBJECTS_APPOINTMENT,
        ActivityKind::Meeting | ActivityKind::TeamsMeeting => SUBJECTS_MEETING,
        ActivityKind::Call => SUBJECTS_CALL,
        ActivityKind::Email => SUBJECTS_EMAIL,
        ActivityKind::Task => SUBJECTS_TASK,
        ActivityKind::Note => SUBJECTS_NOTE,
        ActivityKind::Visit => SUBJECTS_VISIT,
    };
    let private = kind == ActivityKind::Appointment && rng.u32(0..10) == 0;
    ActivityInput {
        kind,
        subject: pick(rng, subject_list).into(),
        starts_at: start,
        ends_at: start + Duration::minutes(minutes),
        time_zone: zone.name().into(),
        memo: if rng.bool() {
            pick(rng, MEMOS).into()
        } else {
            String::new()
        },
        mail_text: String::new(),
        status: if day < today {
            ActivityStatus::Done
        } else {
            ActivityStatus::Open
        },
        owner_employee_id: owner,
        business_partner_id: (!private).then_some(partner),
        contact_id: (!private).then_some(contact),
        person_id: private.then(|| persons[rng.usize(..persons.len())]),
        participants,
        reminder_minutes: 15,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{activities, business_partners, contacts, employees, persons};

    #[test]
    fn the_demo_has_what_the_spec_promises_and_is_made_once() {
        let db = Db::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let zone: Tz = "Europe/Berlin".parse().unwrap();
        assert!(seed_if_empty(&db, DemoSize::default(), today, zone).unwrap());
        assert!(!seed_if_empty(&db, DemoSize::default(), today, zone).unwrap());
        db.with(|c| {
            assert!(employees::count(c)? >= 10);
            assert!(business_partners::search(c, "", 1000)?.len() >= 50);
            assert!(contacts::search(c, "", 1000)?.len() >= 200);
            assert!(persons::search(c, "", 1000)?.len() >= 30);
            let all = activities::search(c, "", 100_000)?;
            assert!(all.len() > 2000, "{} activities", all.len());
            for kind in ActivityKind::ALL {
                assert!(all.iter().any(|a| a.kind == kind), "no {kind:?}");
            }
            let first = all.iter().map(|a| a.starts_at).min().unwrap();
            let last = all.iter().map(|a| a.starts_at).max().unwrap();
            assert!(last - first > Duration::days(330), "a year of activities");
            // Both languages' names are there.
            let names: Vec<String> = employees::search(c, "", 100)?
                .into_iter()
                .map(|e| e.fields.first_name)
                .collect();
            assert!(names.iter().any(|n| DE_FIRST.contains(&n.as_str())));
            assert!(names.iter().any(|n| EN_FIRST.contains(&n.as_str())));
            Ok::<_, store::StoreError>(())
        })
        .unwrap();
    }
}
