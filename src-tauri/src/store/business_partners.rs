//! Business partners ("Geschäftspartner"): the companies.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sql::{blank_to_none, contains_pattern};
use super::{Result, StoreError};
use crate::crm::model::{BusinessPartner, BusinessPartnerFields, RecordKind};

const SELECT: &str = "SELECT id, name, industry, street, postal_code, city, country, phone, email,
        website
    FROM business_partners";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BusinessPartner> {
    Ok(BusinessPartner {
        id: r.get("id")?,
        fields: BusinessPartnerFields {
            name: r.get("name")?,
            industry: r.get("industry")?,
            street: r.get("street")?,
            postal_code: r.get("postal_code")?,
            city: r.get("city")?,
            country: r.get("country")?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            website: r.get("website")?,
        },
    })
}

/// Partners whose name, city or e-mail contains `query`, by name.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<BusinessPartner>> {
    let sql = format!(
        "{SELECT} WHERE name LIKE ?1 ESCAPE '\\' OR city LIKE ?1 ESCAPE '\\'
            OR email LIKE ?1 ESCAPE '\\'
         ORDER BY name COLLATE NOCASE LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![contains_pattern(query), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<BusinessPartner> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::BusinessPartner,
            id,
        })
}

const INSERT: &str = "INSERT INTO business_partners (id, name, industry, street, postal_code,
        city, country, phone, email, website) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
const UPDATE: &str = "UPDATE business_partners SET name = ?2, industry = ?3, street = ?4,
        postal_code = ?5, city = ?6, country = ?7, phone = ?8, email = ?9, website = ?10
    WHERE id = ?1";

/// Runs INSERT (id NULL: a new row id) or UPDATE with the fields as ?2...; returns the rows changed.
fn write(
    conn: &Connection,
    sql: &str,
    id: Option<i64>,
    f: &BusinessPartnerFields,
) -> Result<usize> {
    Ok(conn.execute(
        sql,
        params![
            id,
            f.name.trim(),
            blank_to_none(&f.industry),
            blank_to_none(&f.street),
            blank_to_none(&f.postal_code),
            blank_to_none(&f.city),
            f.country.trim().to_uppercase(),
            blank_to_none(&f.phone),
            blank_to_none(&f.email),
            blank_to_none(&f.website)
        ],
    )?)
}

pub fn insert(conn: &Connection, f: &BusinessPartnerFields) -> Result<i64> {
    write(conn, INSERT, None, f)?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, f: &BusinessPartnerFields) -> Result<()> {
    found(write(conn, UPDATE, Some(id), f)?, id)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn.execute("DELETE FROM business_partners WHERE id = ?1", [id])?;
    found(changed, id)
}

fn found(changed: usize, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::BusinessPartner,
            id,
        });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn fields(name: &str, city: &str) -> BusinessPartnerFields {
        BusinessPartnerFields {
            name: name.into(),
            city: Some(city.into()),
            country: "de".into(),
            ..Default::default()
        }
    }
}
