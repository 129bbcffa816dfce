//! Contacts ("Ansprechpartner"): people at a business partner.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sql::{blank_to_none, contains_pattern};
use super::{Result, StoreError};
use crate::crm::model::{Contact, ContactFields, Lookup, RecordKind};

const SELECT: &str = "SELECT c.id, c.business_partner_id, c.salutation, c.first_name, c.last_name,
        c.position, c.email, c.phone, c.mobile, b.name
    FROM contacts c LEFT JOIN business_partners b ON b.id = c.business_partner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    let business_partner_id: Option<i64> = r.get(1)?;
    let partner_name: Option<String> = r.get(9)?;
    Ok(Contact {
        id: r.get(0)?,
        business_partner: business_partner_id
            .zip(partner_name)
            .map(|(id, label)| Lookup {
                kind: RecordKind::BusinessPartner,
                id,
                label,
            }),
        fields: ContactFields {
            business_partner_id,
            salutation: r.get(2)?,
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            position: r.get(5)?,
            email: r.get(6)?,
            phone: r.get(7)?,
            mobile: r.get(8)?,
        },
    })
}

/// Contacts whose name, e-mail or partner's name contains `query`, by name.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<Contact>> {
    let sql = format!(
        "{SELECT} WHERE c.first_name || ' ' || c.last_name LIKE ?1 ESCAPE '\\'
            OR c.last_name || ' ' || c.first_name LIKE ?1 ESCAPE '\\'
            OR c.email LIKE ?1 ESCAPE '\\' OR b.name LIKE ?1 ESCAPE '\\'
         ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![contains_pattern(query), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The contacts of one business partner.
pub fn of_business_partner(conn: &Connection, business_partner_id: i64) -> Result<Vec<Contact>> {
    let sql = format!(
        "{SELECT} WHERE c.business_partner_id = ?1
         ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([business_partner_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Contact> {
    conn.query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::Contact,
            id,
        })
}

const INSERT: &str = "INSERT INTO contacts (id, business_partner_id, salutation, first_name,
        last_name, position, email, phone, mobile) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const UPDATE: &str = "UPDATE contacts SET business_partner_id = ?2, salutation = ?3,
        first_name = ?4, last_name = ?5, position = ?6, email = ?7, phone = ?8, mobile = ?9
    WHERE id = ?1";

/// Runs INSERT (id NULL: a new row id) or UPDATE with the fields as ?2...; returns the rows changed.
fn write(conn: &Connection, sql: &str, id: Option<i64>, f: &ContactFields) -> Result<usize> {
    Ok(conn.execute(
        sql,
        params![
            id,
            f.business_partner_id,
            blank_to_none(&f.salutation),
            f.first_name.trim(),
            f.last_name.trim(),
            blank_to_none(&f.position),
            blank_to_none(&f.email),
            blank_to_none(&f.phone),
            blank_to_none(&f.mobile)
        ],
    )?)
}

pub fn insert(conn: &Connection, f: &ContactFields) -> Result<i64> {
    write(conn, INSERT, None, f)?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, f: &ContactFields) -> Result<()> {
    found(write(conn, UPDATE, Some(id), f)?, id)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    found(changed, id)
}

fn found(changed: usize, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Contact,
            id,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{business_partners, Db};

    #[test]
    fn a_contact_shows_its_business_partner_and_is_found_by_it() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let partner = business_partners::insert(
                c,
                &business_partners::tests::fields("Contoso GmbH", "Köln"),
            )?;
            let id = insert(
                c,
                &ContactFields {
                    business_partner_id: Some(partner),
                    first_name: "Lena".into(),
                    last_name: "Vogel".into(),
                    email: Some("lena.vogel@contoso.example".into()),
                    ..Default::default()
                },
            )?;
            let contact = get(c, id)?;
            assert_eq!(
                contact.business_partner.as_ref().unwrap().label,
                "Contoso GmbH"
            );
            assert_eq!(search(c, "contoso", 10)?.len(), 1, "found by partner name");
            assert_eq!(search(c, "vogel lena", 10)?.len(), 1);
            assert_eq!(of_business_partner(c, partner)?.len(), 1);

            // Deleting the partner keeps the contact, without a partner.
            business_partners::delete(c, partner)?;
            assert_eq!(get(c, id)?.business_partner, None);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }
}
