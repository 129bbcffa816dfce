//! Persons: private people, not tied to a business partner.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use super::sql::{
    blank_to_none, changed_by, contains_pattern, name_like, on_sqlite, refused_update, stamp,
    stamp_changed, Columns,
};
use super::{Result, StoreError};
use crate::crm::model::{Person, PersonFields, RecordKind};

const SELECT: &str = "SELECT p.id AS id, p.first_name AS first_name, p.last_name AS last_name,
        p.email AS email, p.phone AS phone, p.city AS city, p.version AS version,
        p.changed_by AS changed_by, p.changed_at AS changed_at
    FROM persons p";

/// The record from a row of [`SELECT`]'s columns, on either engine.
pub(crate) fn read_row(r: &impl Columns) -> Result<Person> {
    Ok(Person {
        id: r.col("id")?,
        fields: PersonFields {
            first_name: r.col("first_name")?,
            last_name: r.col("last_name")?,
            email: r.col("email")?,
            phone: r.col("phone")?,
            city: r.col("city")?,
        },
        stamp: stamp(r)?,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    on_sqlite(read_row(r))
}

pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<Person>> {
    let sql = format!(
        "{SELECT} WHERE {} OR p.email LIKE ?1 ESCAPE '\\' OR p.city LIKE ?1 ESCAPE '\\'
         ORDER BY p.last_name COLLATE NOCASE, p.first_name COLLATE NOCASE LIMIT ?2",
        name_like!("p", "?1")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![contains_pattern(query), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Person> {
    conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::Person,
            id,
        })
}

const INSERT: &str = concat!(
    "INSERT INTO persons (id, first_name, last_name, email, phone, city, changed_at, changed_by)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(strftime('%s', 'now') AS INTEGER), ",
    changed_by!(),
    ")"
);
/// `?7` is the version the caller read.
const UPDATE: &str = concat!(
    "UPDATE persons SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5, city = ?6, ",
    stamp_changed!(),
    " WHERE id = ?1 AND version = ?7"
);

/// Runs INSERT (id NULL: a new row id, no version) or UPDATE (the version read last) with the
/// fields as ?2...; returns the rows changed.
fn write(
    conn: &Connection,
    sql: &str,
    id: Option<i64>,
    version: Option<i64>,
    f: &PersonFields,
) -> Result<usize> {
    let (first_name, last_name) = (f.first_name.trim(), f.last_name.trim());
    let (email, phone, city) = (
        blank_to_none(&f.email),
        blank_to_none(&f.phone),
        blank_to_none(&f.city),
    );
    let mut values: Vec<&dyn ToSql> = vec![&id, &first_name, &last_name, &email, &phone, &city];
    if let Some(version) = &version {
        values.push(version);
    }
    Ok(conn.execute(sql, values.as_slice())?)
}

pub fn insert(conn: &Connection, f: &PersonFields) -> Result<i64> {
    write(conn, INSERT, None, None, f)?;
    Ok(conn.last_insert_rowid())
}

/// Saves `f` over person `id` if it is still at `version` (the one the caller read): else
/// nothing changes and the answer is `Conflict` (or `NotFound` when it is gone).
pub fn update(conn: &Connection, id: i64, version: i64, f: &PersonFields) -> Result<()> {
    if write(conn, UPDATE, Some(id), Some(version), f)? == 0 {
        return refused_update(conn, "persons", "changed_at", RecordKind::Person, id);
    }
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn.execute("DELETE FROM persons WHERE id = ?1", [id])?;
    found(changed, id)
}

fn found(changed: usize, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Person,
            id,
        });
    }
    Ok(())
}
