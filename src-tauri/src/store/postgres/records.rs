//! The records in the team database: the same answers as the SQLite query modules give
//! (store::business_partners, contacts, persons, employees, communications), in PostgreSQL's
//! words. Searches ignore case, umlauts included (ILIKE under the database's UTF-8 ctype); the
//! contact search reads the trigram index `contact_search` (pg_trgm) that triggers keep.

use postgres::types::ToSql;
use postgres::{Row, Transaction};

use super::super::communications::{self, owner_column, Editor};
use super::super::interface::{Records, Shared};
use super::super::sql::{blank_to_none, contains_pattern, display_name, to_datetime};
use super::super::{business_partners, contacts, employees, persons};
use super::super::{Result, StoreError};
use crate::crm::activity::{FieldChange, HistoryEvent, HistoryItem};
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Lookup, Person, PersonFields, RecordKind,
};

/// The shared data within one transaction of the team database.
pub(super) struct PgShared<'a, 'b>(pub(super) &'a mut Transaction<'b>);

impl Shared for PgShared<'_, '_> {}

/// What a save stamps on the row besides its fields: the version a later save compares, and who
/// changed it when.
/// `floor`: a cast alone rounds, which would date a change up to half a second ahead.
const STAMP: &str = "version = version + 1, changed_by = current_user,
    changed_at = floor(extract(epoch FROM now()))::BIGINT";

/// `query` without NUL characters: PostgreSQL's text cannot hold them (and no stored field has
/// one), so a pasted NUL is dropped rather than failing the search.
pub(super) fn without_nul(query: &str) -> String {
    query.replace('\0', "")
}

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("invalid {what}: {value}"))
}

pub(super) fn not_found(kind: RecordKind, id: i64) -> StoreError {
    StoreError::NotFound { kind, id }
}

/// `Ok` when a statement changed a row, else `NotFound`.
/// After an update that changed no row because of its version: `NotFound` when row `id` of
/// `table` is gone, else `Conflict` naming who changed it last and when (the column `at`): the
/// employee whose record names that login, by name, as colleagues know each other; the login
/// itself when no employee names it (an administrator's own).
pub(super) fn refused_update(
    client: &mut postgres::Transaction<'_>,
    table: &str,
    at: &str,
    kind: RecordKind,
    id: i64,
) -> Result<()> {
    let last = client.query_opt(
        &format!(
            "SELECT coalesce((SELECT {} FROM employees e WHERE e.database_login = t.changed_by
                               ORDER BY e.id LIMIT 1),
                             t.changed_by) AS changed_by,
                    t.{at} AS changed_at
               FROM {table} t WHERE t.id = $1",
            display_name!("e")
        ),
        &[&id],
    )?;
    Err(match last {
        None => not_found(kind, id),
        Some(r) => StoreError::Conflict {
            kind,
            id,
            changed_by: r.try_get("changed_by")?,
            changed_at: r.try_get("changed_at")?,
        },
    })
}

pub(super) fn found(changed: u64, kind: RecordKind, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(not_found(kind, id));
    }
    Ok(())
}

const PARTNER_SELECT: &str = "SELECT id, name, industry, street, postal_code, city, country,
        phone, email, website, version, changed_by, changed_at
    FROM business_partners";

const CONTACT_SELECT: &str = "SELECT c.id AS id, c.business_partner_id AS business_partner_id,
        c.salutation AS salutation, c.first_name AS first_name, c.last_name AS last_name,
        c.position AS position, c.email AS email, c.phone AS phone, c.mobile AS mobile,
        b.name AS business_partner_name, c.version AS version, c.changed_by AS changed_by,
        c.changed_at AS changed_at
    FROM contacts c LEFT JOIN business_partners b ON b.id = c.business_partner_id";

/// Contacts in name order: lower case by code point, as the index `contacts_name` holds them
/// (migration 0002); the id makes the order total, so equal names page alike.
const CONTACT_ORDER: &str =
    "lower(c.last_name) COLLATE \"C\", lower(c.first_name) COLLATE \"C\", c.id";

/// Up to this many hits, the contacts whose text contains the search are all read and sorted by
/// name; beyond, the first this many found are (as on SQLite, `store::contacts`): fifty of more
/// than a thousand ask for a narrower search anyway, and no search reads every contact.
const HITS_SORTED_UP_TO: i64 = 1_000;

/// The contacts whose last name starts with $1 (lower case), by name, at most $2: one range of
/// the index `contacts_name`. U+10FFFF sorts after every character a name continues with.
fn contacts_starting_with() -> String {
    format!(
        "{CONTACT_SELECT} WHERE lower(c.last_name) COLLATE \"C\" >= lower($1) COLLATE \"C\"
                            AND lower(c.last_name) COLLATE \"C\" < lower($1) || chr(1114111)
         ORDER BY {CONTACT_ORDER} LIMIT $2"
    )
}

/// The contacts whose search text contains a text, by name, at most $1, from the first
/// [`HITS_SORTED_UP_TO`] found. From three characters on, the text is the ILIKE pattern $2, which
/// the trigram index (GIN, gin_trgm_ops) on `contact_search.body` answers. One or two characters
/// are $3 and looked up in the index of the characters and pairs each text holds (`pairs`); the
/// pattern $2 then only checks the hits.
fn contacts_containing(short: bool) -> String {
    let found_by = if short {
        "s.pairs @> ARRAY[lower($3)] AND s.body ILIKE $2"
    } else {
        "s.body ILIKE $2"
    };
    // The hits as an array the primary key is asked for: joined as a table, the planner
    // estimated thousands and read every contact into a hash instead.
    format!(
        "{CONTACT_SELECT}
          WHERE c.id = ANY (ARRAY(SELECT s.contact_id FROM contact_search s WHERE {found_by}
                                  LIMIT {HITS_SORTED_UP_TO}))
          ORDER BY {CONTACT_ORDER} LIMIT $1"
    )
}

const PERSON_SELECT: &str = "SELECT p.id AS id, p.first_name AS first_name,
        p.last_name AS last_name, p.email AS email, p.phone AS phone, p.city AS city,
        p.version AS version, p.changed_by AS changed_by, p.changed_at AS changed_at
    FROM persons p";

const EMPLOYEE_SELECT: &str = "SELECT e.id AS id, e.first_name AS first_name,
        e.last_name AS last_name, e.email AS email, e.phone AS phone, e.mobile AS mobile,
        e.department AS department, e.color AS color,
        e.mail_configuration_id AS mail_configuration_id, m.name AS mail_configuration,
        e.user_principal_name AS user_principal_name, e.version AS version,
        e.changed_by AS changed_by, e.changed_at AS changed_at
    FROM employees e LEFT JOIN mail_configurations m ON m.id = e.mail_configuration_id";

const COMMUNICATION_SELECT: &str = concat!(
    "SELECT k.id AS id, k.business_partner_id AS business_partner_id, k.contact_id AS contact_id,
        k.employee_id AS employee_id, k.person_id AS person_id, k.channel AS channel,
        k.value AS value, k.label AS label, k.version AS version, k.changed_by AS changed_by,
        k.changed_at AS changed_at,
        coalesce(b.name, ",
    display_name!("c"),
    ", ",
    display_name!("e"),
    ", ",
    display_name!("p"),
    ") AS owner_label
    FROM communications k
    LEFT JOIN business_partners b ON b.id = k.business_partner_id
    LEFT JOIN contacts c ON c.id = k.contact_id
    LEFT JOIN employees e ON e.id = k.employee_id
    LEFT JOIN persons p ON p.id = k.person_id"
);

/// A record's fields as its INSERT and UPDATE take them, in the order of its `*_COLUMNS`: the
/// two statements are written from one list, so they cannot drift apart.
type Values<'a> = Vec<Box<dyn ToSql + Sync + 'a>>;

const PARTNER_COLUMNS: &[&str] = &[
    "name",
    "industry",
    "street",
    "postal_code",
    "city",
    "country",
    "phone",
    "email",
    "website",
];

fn partner_values(f: &BusinessPartnerFields) -> Values<'_> {
    vec![
        Box::new(f.name.trim()),
        Box::new(blank_to_none(&f.industry)),
        Box::new(blank_to_none(&f.street)),
        Box::new(blank_to_none(&f.postal_code)),
        Box::new(blank_to_none(&f.city)),
        Box::new(f.country.trim().to_uppercase()),
        Box::new(blank_to_none(&f.phone)),
        Box::new(blank_to_none(&f.email)),
        Box::new(blank_to_none(&f.website)),
    ]
}

const CONTACT_COLUMNS: &[&str] = &[
    "business_partner_id",
    "salutation",
    "first_name",
    "last_name",
    "position",
    "email",
    "phone",
    "mobile",
];

fn contact_values(f: &ContactFields) -> Values<'_> {
    vec![
        Box::new(f.business_partner_id),
        Box::new(blank_to_none(&f.salutation)),
        Box::new(f.first_name.trim()),
        Box::new(f.last_name.trim()),
        Box::new(blank_to_none(&f.position)),
        Box::new(blank_to_none(&f.email)),
        Box::new(blank_to_none(&f.phone)),
        Box::new(blank_to_none(&f.mobile)),
    ]
}

const PERSON_COLUMNS: &[&str] = &["first_name", "last_name", "email", "phone", "city"];

fn person_values(f: &PersonFields) -> Values<'_> {
    vec![
        Box::new(f.first_name.trim()),
        Box::new(f.last_name.trim()),
        Box::new(blank_to_none(&f.email)),
        Box::new(blank_to_none(&f.phone)),
        Box::new(blank_to_none(&f.city)),
    ]
}

const EMPLOYEE_COLUMNS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "department",
    "color",
    "mail_configuration_id",
    "user_principal_name",
];

fn employee_values(f: &EmployeeFields) -> Values<'_> {
    vec![
        Box::new(f.first_name.trim()),
        Box::new(f.last_name.trim()),
        Box::new(blank_to_none(&f.email)),
        Box::new(blank_to_none(&f.phone)),
        Box::new(blank_to_none(&f.mobile)),
        Box::new(blank_to_none(&f.department)),
        Box::new(f.color.as_str()),
        Box::new(f.mail_configuration_id),
        Box::new(blank_to_none(&f.user_principal_name)),
    ]
}

/// `values` followed by `more`, as a statement takes its parameters.
fn params<'a>(
    values: &'a Values<'_>,
    more: &[&'a (dyn ToSql + Sync)],
) -> Vec<&'a (dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| v.as_ref() as &(dyn ToSql + Sync))
        .chain(more.iter().copied())
        .collect()
}

impl PgShared<'_, '_> {
    fn all<T>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        from_row: fn(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.0.query(sql, params)?.iter().map(from_row).collect()
    }

    fn one<T>(
        &mut self,
        sql: &str,
        id: i64,
        kind: RecordKind,
        from_row: fn(&Row) -> Result<T>,
    ) -> Result<T> {
        match self.0.query_opt(sql, &[&id])? {
            Some(row) => from_row(&row),
            None => Err(not_found(kind, id)),
        }
    }

    fn insert(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<i64> {
        Ok(self.0.query_one(sql, params)?.try_get("id")?)
    }

    /// Inserts a row of `table` (always one of ours) with `columns` set to `values`; its id.
    fn insert_row(&mut self, table: &str, columns: &[&str], values: Values<'_>) -> Result<i64> {
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) RETURNING id",
            columns.join(", "),
            placeholders.join(", ")
        );
        self.insert(&sql, &params(&values, &[]))
    }

    /// Saves `values` over row `id` of `table` if it is still at `version`, stamping the change;
    /// else nothing changes: `Conflict` (who changed it, when) or `NotFound`.
    fn update_row(
        &mut self,
        (table, kind): (&str, RecordKind),
        columns: &[&str],
        values: Values<'_>,
        id: i64,
        version: i64,
    ) -> Result<()> {
        let set: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let n = columns.len();
        let sql = format!(
            "UPDATE {table} SET {}, {STAMP} WHERE id = ${} AND version = ${}",
            set.join(", "),
            n + 1,
            n + 2
        );
        let changed = self.0.execute(&sql, &params(&values, &[&id, &version]))?;
        if changed == 0 {
            return refused_update(self.0, table, "changed_at", kind, id);
        }
        Ok(())
    }

    fn delete(&mut self, table: &str, kind: RecordKind, id: i64) -> Result<()> {
        // `table` is always one of ours, never input.
        let changed = self
            .0
            .execute(&format!("DELETE FROM {table} WHERE id = $1"), &[&id])
            .map_err(|e| StoreError::from(e).in_use_on_constraint(kind, id))?;
        found(changed, kind, id)
    }
}

impl Records for PgShared<'_, '_> {
    fn business_partner(&mut self, id: i64) -> Result<BusinessPartner> {
        let sql = format!("{PARTNER_SELECT} WHERE id = $1");
        self.one(
            &sql,
            id,
            RecordKind::BusinessPartner,
            business_partners::read_row,
        )
    }

    fn search_business_partners(
        &mut self,
        query: &str,
        limit: u32,
    ) -> Result<Vec<BusinessPartner>> {
        let sql = format!(
            "{PARTNER_SELECT} WHERE name ILIKE $1 OR city ILIKE $1 OR email ILIKE $1
             ORDER BY lower(name), id LIMIT $2"
        );
        let pattern = contains_pattern(&without_nul(query));
        self.all(
            &sql,
            &[&pattern, &i64::from(limit)],
            business_partners::read_row,
        )
    }

    fn insert_business_partner(&mut self, f: &BusinessPartnerFields) -> Result<i64> {
        self.insert_row("business_partners", PARTNER_COLUMNS, partner_values(f))
    }

    fn update_business_partner(
        &mut self,
        id: i64,
        version: i64,
        f: &BusinessPartnerFields,
    ) -> Result<()> {
        let kind = RecordKind::BusinessPartner;
        let values = partner_values(f);
        self.update_row(
            ("business_partners", kind),
            PARTNER_COLUMNS,
            values,
            id,
            version,
        )
    }

    fn delete_business_partner(&mut self, id: i64) -> Result<()> {
        self.delete("business_partners", RecordKind::BusinessPartner, id)
    }

    fn contact(&mut self, id: i64) -> Result<Contact> {
        let sql = format!("{CONTACT_SELECT} WHERE c.id = $1");
        self.one(&sql, id, RecordKind::Contact, contacts::read_row)
    }

    fn search_contacts(&mut self, query: &str, limit: u32) -> Result<Vec<Contact>> {
        let query = without_nul(query);
        let limit = i64::from(limit);
        let text = query.trim();
        let mut found = self.all(
            &contacts_starting_with(),
            &[&text, &limit],
            contacts::read_row,
        )?;
        if found.len() as i64 == limit {
            return Ok(found);
        }
        let pattern = contains_pattern(text);
        let more = if text.chars().count() < 3 {
            self.all(
                &contacts_containing(true),
                &[&limit, &pattern, &text],
                contacts::read_row,
            )?
        } else {
            self.all(
                &contacts_containing(false),
                &[&limit, &pattern],
                contacts::read_row,
            )?
        };
        for contact in more {
            if found.len() as i64 == limit {
                break;
            }
            if !found.iter().any(|f| f.id == contact.id) {
                found.push(contact);
            }
        }
        Ok(found)
    }

    fn contacts_of_business_partner(&mut self, business_partner_id: i64) -> Result<Vec<Contact>> {
        let sql =
            format!("{CONTACT_SELECT} WHERE c.business_partner_id = $1 ORDER BY {CONTACT_ORDER}");
        self.all(&sql, &[&business_partner_id], contacts::read_row)
    }

    fn insert_contact(&mut self, f: &ContactFields) -> Result<i64> {
        self.insert_row("contacts", CONTACT_COLUMNS, contact_values(f))
    }

    fn update_contact(&mut self, id: i64, version: i64, f: &ContactFields) -> Result<()> {
        let values = contact_values(f);
        self.update_row(
            ("contacts", RecordKind::Contact),
            CONTACT_COLUMNS,
            values,
            id,
            version,
        )
    }

    fn delete_contact(&mut self, id: i64) -> Result<()> {
        self.delete("contacts", RecordKind::Contact, id)
    }

    fn person(&mut self, id: i64) -> Result<Person> {
        let sql = format!("{PERSON_SELECT} WHERE p.id = $1");
        self.one(&sql, id, RecordKind::Person, persons::read_row)
    }

    fn search_persons(&mut self, query: &str, limit: u32) -> Result<Vec<Person>> {
        let sql = format!(
            "{PERSON_SELECT} WHERE p.first_name || ' ' || p.last_name ILIKE $1
                OR p.last_name || ' ' || p.first_name ILIKE $1
                OR p.email ILIKE $1 OR p.city ILIKE $1
             ORDER BY lower(p.last_name), lower(p.first_name), p.id LIMIT $2"
        );
        let pattern = contains_pattern(&without_nul(query));
        self.all(&sql, &[&pattern, &i64::from(limit)], persons::read_row)
    }

    fn insert_person(&mut self, f: &PersonFields) -> Result<i64> {
        self.insert_row("persons", PERSON_COLUMNS, person_values(f))
    }

    fn update_person(&mut self, id: i64, version: i64, f: &PersonFields) -> Result<()> {
        let values = person_values(f);
        self.update_row(
            ("persons", RecordKind::Person),
            PERSON_COLUMNS,
            values,
            id,
            version,
        )
    }

    fn delete_person(&mut self, id: i64) -> Result<()> {
        self.delete("persons", RecordKind::Person, id)
    }

    fn employee(&mut self, id: i64) -> Result<Employee> {
        let sql = format!("{EMPLOYEE_SELECT} WHERE e.id = $1");
        self.one(&sql, id, RecordKind::Employee, employees::read_row)
    }

    fn search_employees(&mut self, query: &str, limit: u32) -> Result<Vec<Employee>> {
        let sql = format!(
            "{EMPLOYEE_SELECT} WHERE e.first_name || ' ' || e.last_name ILIKE $1
                OR e.last_name || ' ' || e.first_name ILIKE $1
                OR e.email ILIKE $1 OR e.department ILIKE $1
             ORDER BY lower(e.last_name), lower(e.first_name), e.id LIMIT $2"
        );
        let pattern = contains_pattern(&without_nul(query));
        self.all(&sql, &[&pattern, &i64::from(limit)], employees::read_row)
    }

    fn count_employees(&mut self) -> Result<i64> {
        Ok(self
            .0
            .query_one("SELECT count(*) AS n FROM employees", &[])?
            .try_get("n")?)
    }

    fn insert_employee(&mut self, f: &EmployeeFields) -> Result<i64> {
        self.insert_row("employees", EMPLOYEE_COLUMNS, employee_values(f))
    }

    /// Unlike the local workspace, a move to another mail configuration expires no sign-in
    /// here: sign-ins stay on each desktop, whose own store does that.
    fn update_employee(&mut self, id: i64, version: i64, f: &EmployeeFields) -> Result<()> {
        let values = employee_values(f);
        let table = ("employees", RecordKind::Employee);
        self.update_row(table, EMPLOYEE_COLUMNS, values, id, version)
    }

    fn delete_employee(&mut self, id: i64) -> Result<()> {
        self.delete("employees", RecordKind::Employee, id)
    }

    fn editor(&mut self, id: Option<i64>) -> Result<Option<Editor>> {
        let Some(id) = id else { return Ok(None) };
        let row = self.0.query_opt(
            concat!(
                "SELECT ",
                display_name!("e"),
                " AS name FROM employees e WHERE e.id = $1"
            ),
            &[&id],
        )?;
        row.map(|r| {
            Ok(Editor {
                employee_id: id,
                name: r.try_get("name")?,
            })
        })
        .transpose()
    }

    fn communication(&mut self, id: i64) -> Result<Communication> {
        let sql = format!("{COMMUNICATION_SELECT} WHERE k.id = $1");
        self.one(
            &sql,
            id,
            RecordKind::Communication,
            communications::read_row,
        )
    }

    fn communications_of(&mut self, kind: RecordKind, id: i64) -> Result<Vec<Communication>> {
        let Some(column) = owner_column(kind) else {
            return Ok(Vec::new());
        };
        let sql = format!("{COMMUNICATION_SELECT} WHERE k.{column} = $1 ORDER BY k.channel, k.id");
        self.all(&sql, &[&id], communications::read_row)
    }

    fn insert_communication(&mut self, f: &CommunicationFields) -> Result<i64> {
        let column = owner_column(f.owner_kind).ok_or_else(|| {
            StoreError::Corrupt(
                "only partners, contacts, employees and persons own communication entries".into(),
            )
        })?;
        self.insert(
            &format!(
                "INSERT INTO communications ({column}, channel, value, label)
                 VALUES ($1, $2, $3, $4) RETURNING id"
            ),
            &[
                &f.owner_id,
                &f.channel.as_str(),
                &f.value.trim(),
                &f.label.as_deref(),
            ],
        )
    }

    fn update_communication(
        &mut self,
        id: i64,
        version: i64,
        f: &CommunicationFields,
    ) -> Result<()> {
        let changed = self.0.execute(
            &format!(
                "UPDATE communications SET channel = $2, value = $3, label = $4, {STAMP}
                 WHERE id = $1 AND version = $5"
            ),
            &[
                &id,
                &f.channel.as_str(),
                &f.value.trim(),
                &f.label.as_deref(),
                &version,
            ],
        )?;
        if changed == 0 {
            let kind = RecordKind::Communication;
            return refused_update(self.0, "communications", "changed_at", kind, id);
        }
        Ok(())
    }

    /// An entry already gone is no error, as in the local workspace.
    fn delete_communication(&mut self, id: i64) -> Result<()> {
        self.0
            .execute("DELETE FROM communications WHERE id = $1", &[&id])?;
        Ok(())
    }

    fn add_communication_history(
        &mut self,
        id: i64,
        by: Option<&Editor>,
        old: Option<&CommunicationFields>,
        new: &CommunicationFields,
        now: i64,
    ) -> Result<()> {
        let event = if old.is_some() {
            HistoryEvent::Changed
        } else {
            HistoryEvent::Created
        };
        self.0.execute(
            "INSERT INTO communication_history (communication_id, event, employee_id,
                 employee_name, old_channel, new_channel, old_value, new_value, old_label,
                 new_label, occurred_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &id,
                &event.as_str(),
                &by.map(|e| e.employee_id),
                &by.map(|e| e.name.as_str()),
                &old.map(|o| o.channel.as_str()),
                &new.channel.as_str(),
                &old.map(|o| o.value.trim()),
                &new.value.trim(),
                &old.and_then(|o| o.label.as_deref()),
                &new.label.as_deref(),
                &now,
            ],
        )?;
        Ok(())
    }

    fn communication_history(&mut self, id: i64, limit: u32) -> Result<Vec<HistoryItem>> {
        let entry = self.communication(id)?;
        let target = Lookup {
            kind: RecordKind::Communication,
            id,
            label: entry.fields.value,
        };
        let rows = self.0.query(
            "SELECT event, employee_name, old_channel, new_channel, old_value, new_value,
                    old_label, new_label, occurred_at
               FROM communication_history WHERE communication_id = $1
              ORDER BY occurred_at DESC, id DESC LIMIT $2",
            &[&id, &i64::from(limit)],
        )?;
        rows.iter()
            .map(|r| {
                let event: String = r.try_get("event")?;
                let mut changes = Vec::new();
                for field in ["channel", "value", "label"] {
                    let old: Option<String> = r.try_get(format!("old_{field}").as_str())?;
                    let new: Option<String> = r.try_get(format!("new_{field}").as_str())?;
                    if old != new {
                        changes.push(FieldChange {
                            field: field.into(),
                            old,
                            new,
                        });
                    }
                }
                Ok(HistoryItem {
                    event: HistoryEvent::parse(&event)
                        .ok_or_else(|| corrupt("communication history event", &event))?,
                    occurred_at: to_datetime(r.try_get("occurred_at")?)?,
                    target: target.clone(),
                    activity_kind: None,
                    detail: String::new(),
                    by: r.try_get("employee_name")?,
                    changes,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::{schema, test_server};

    /// Each part of the contact search reads its index rather than every contact (the planner
    /// is told to avoid a full scan where it can, as it does by itself once there are many
    /// rows): a last name's start the name index, a longer text the trigram index, one or two
    /// characters the index of pairs.
    #[test]
    fn the_contact_search_reads_its_indexes() {
        let db = test_server::shared().fresh_database();
        let mut c = db.superuser();
        schema::migrate(&mut c).unwrap();
        c.batch_execute(
            "INSERT INTO contacts (first_name, last_name) VALUES ('Eva', 'Schulz');
             SET enable_seqscan = off;",
        )
        .unwrap();
        let mut plan = |sql: String, params: &[&(dyn ToSql + Sync)]| -> String {
            c.query(&format!("EXPLAIN {sql}"), params)
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>("QUERY PLAN"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let prefix = plan(contacts_starting_with(), &[&"Schu", &10_i64]);
        assert!(prefix.contains("contacts_name"), "{prefix}");
        assert!(
            !prefix.contains("Sort"),
            "the index gives the order: {prefix}"
        );
        let long = plan(
            contacts_containing(false),
            &[&10_i64, &contains_pattern("schul")],
        );
        assert!(long.contains("contact_search_body"), "{long}");
        let short = plan(
            contacts_containing(true),
            &[&10_i64, &contains_pattern("sc"), &"sc"],
        );
        assert!(short.contains("contact_search_pairs"), "{short}");
    }
}
