//! Business partners ("Geschäftspartner"): the companies.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use super::sql::{
    blank_to_none, changed_by, contains_pattern, on_sqlite, refused_update, stamp, stamp_changed,
    Columns,
};
use super::{Result, StoreError};
use crate::crm::model::{BusinessPartner, BusinessPartnerFields, RecordKind};

const SELECT: &str = "SELECT id, name, industry, street, postal_code, city, country, phone, email,
        website, version, changed_by, changed_at
    FROM business_partners";

/// The record from a row of [`SELECT`]'s columns, on either engine.
pub(crate) fn read_row(r: &impl Columns) -> Result<BusinessPartner> {
    Ok(BusinessPartner {
        id: r.col("id")?,
        fields: BusinessPartnerFields {
            name: r.col("name")?,
            industry: r.col("industry")?,
            street: r.col("street")?,
            postal_code: r.col("postal_code")?,
            city: r.col("city")?,
            country: r.col("country")?,
            phone: r.col("phone")?,
            email: r.col("email")?,
            website: r.col("website")?,
        },
        stamp: stamp(r)?,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<BusinessPartner> {
    on_sqlite(read_row(r))
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

const INSERT: &str = concat!(
    "INSERT INTO business_partners (id, name, industry, street, postal_code, city, country,
        phone, email, website, changed_at, changed_by)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CAST(strftime('%s', 'now') AS INTEGER), ",
    changed_by!(),
    ")"
);
/// `?11` is the version the caller read.
const UPDATE: &str = concat!(
    "UPDATE business_partners SET name = ?2, industry = ?3, street = ?4, postal_code = ?5,
        city = ?6, country = ?7, phone = ?8, email = ?9, website = ?10, ",
    stamp_changed!(),
    " WHERE id = ?1 AND version = ?11"
);

/// Runs INSERT (id NULL: a new row id, no version) or UPDATE (the version read last) with the
/// fields as ?2...; returns the rows changed.
fn write(
    conn: &Connection,
    sql: &str,
    id: Option<i64>,
    version: Option<i64>,
    f: &BusinessPartnerFields,
) -> Result<usize> {
    let (name, country) = (f.name.trim(), f.country.trim().to_uppercase());
    let (industry, street, postal_code, city, phone, email, website) = (
        blank_to_none(&f.industry),
        blank_to_none(&f.street),
        blank_to_none(&f.postal_code),
        blank_to_none(&f.city),
        blank_to_none(&f.phone),
        blank_to_none(&f.email),
        blank_to_none(&f.website),
    );
    let mut values: Vec<&dyn ToSql> = vec![
        &id,
        &name,
        &industry,
        &street,
        &postal_code,
        &city,
        &country,
        &phone,
        &email,
        &website,
    ];
    if let Some(version) = &version {
        values.push(version);
    }
    Ok(conn.execute(sql, values.as_slice())?)
}

pub fn insert(conn: &Connection, f: &BusinessPartnerFields) -> Result<i64> {
    write(conn, INSERT, None, None, f)?;
    Ok(conn.last_insert_rowid())
}

/// Saves `f` over partner `id` if it is still at `version` (the one the caller read): else
/// nothing changes and the answer is `Conflict` (or `NotFound` when it is gone).
pub fn update(conn: &Connection, id: i64, version: i64, f: &BusinessPartnerFields) -> Result<()> {
    if write(conn, UPDATE, Some(id), Some(version), f)? == 0 {
        return refused_update(
            conn,
            "business_partners",
            "changed_at",
            RecordKind::BusinessPartner,
            id,
        );
    }
    Ok(())
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
