//! Persons: private people, not tied to a business partner.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sql::{blank_to_none, contains_pattern, name_like};
use super::{Result, StoreError};
use crate::crm::model::{Person, PersonFields, RecordKind};

const SELECT: &str = "SELECT p.id AS id, p.first_name AS first_name, p.last_name AS last_name,
        p.email AS email, p.phone AS phone, p.city AS city
    FROM persons p";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get("id")?,
        fields: PersonFields {
            first_name: r.get("first_name")?,
            last_name: r.get("last_name")?,
            email: r.get("email")?,
            phone: r.get("phone")?,
            city: r.get("city")?,
        },
    })
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

const INSERT: &str = "INSERT INTO persons (id, first_name, last_name, email, phone, city)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const UPDATE: &str = "UPDATE persons SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5,
        city = ?6 WHERE id = ?1";

/// Runs INSERT (id NULL: a new row id) or UPDATE with the fields as ?2...; returns the rows changed.
fn write(conn: &Connection, sql: &str, id: Option<i64>, f: &PersonFields) -> Result<usize> {
    Ok(conn.execute(
        sql,
        params![
            id,
            f.first_name.trim(),
            f.last_name.trim(),
            blank_to_none(&f.email),
            blank_to_none(&f.phone),
            blank_to_none(&f.city)
        ],
    )?)
}

pub fn insert(conn: &Connection, f: &PersonFields) -> Result<i64> {
    write(conn, INSERT, None, f)?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, f: &PersonFields) -> Result<()> {
    found(write(conn, UPDATE, Some(id), f)?, id)
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
