//! Employees ("Mitarbeiter"): the users of the CRM and their calendars.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use super::sql::{
    blank_to_none, changed_by, contains_pattern, name_like, on_sqlite, refused_update, stamp,
    stamp_changed, Columns,
};
use super::{sign_ins, Result, StoreError};
use crate::crm::model::{Employee, EmployeeFields, RecordKind};

const SELECT: &str = "SELECT e.id AS id, e.first_name AS first_name, e.last_name AS last_name,
        e.email AS email, e.phone AS phone, e.mobile AS mobile, e.department AS department,
        e.color AS color, e.mail_configuration_id AS mail_configuration_id,
        m.name AS mail_configuration, e.user_principal_name AS user_principal_name,
        e.version AS version, e.changed_by AS changed_by, e.changed_at AS changed_at
    FROM employees e LEFT JOIN mail_configurations m ON m.id = e.mail_configuration_id";

/// The record from a row of [`SELECT`]'s columns, on either engine.
pub(crate) fn read_row(r: &impl Columns) -> Result<Employee> {
    Ok(Employee {
        id: r.col("id")?,
        fields: EmployeeFields {
            first_name: r.col("first_name")?,
            last_name: r.col("last_name")?,
            email: r.col("email")?,
            phone: r.col("phone")?,
            mobile: r.col("mobile")?,
            department: r.col("department")?,
            color: r.col("color")?,
            mail_configuration_id: r.col("mail_configuration_id")?,
            user_principal_name: r.col("user_principal_name")?,
        },
        mail_configuration: r.col("mail_configuration")?,
        stamp: stamp(r)?,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Employee> {
    on_sqlite(read_row(r))
}

/// Employees whose name or e-mail contains `query`, by name.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<Employee>> {
    let sql = format!(
        "{SELECT} WHERE {} OR e.email LIKE ?1 ESCAPE '\\' OR e.department LIKE ?1 ESCAPE '\\'
         ORDER BY e.last_name COLLATE NOCASE, e.first_name COLLATE NOCASE LIMIT ?2",
        name_like!("e", "?1")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![contains_pattern(query), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Employee> {
    let sql = format!("{SELECT} WHERE e.id = ?1");
    conn.query_row(&sql, [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::Employee,
            id,
        })
}

const INSERT: &str = concat!(
    "INSERT INTO employees (id, first_name, last_name, email, phone, mobile, department, color,
        mail_configuration_id, user_principal_name, changed_at, changed_by)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CAST(strftime('%s', 'now') AS INTEGER), ",
    changed_by!(),
    ")"
);
/// `?11` is the version the caller read.
const UPDATE: &str = concat!(
    "UPDATE employees SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5, mobile = ?6,
        department = ?7, color = ?8, mail_configuration_id = ?9, user_principal_name = ?10, ",
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
    f: &EmployeeFields,
) -> Result<usize> {
    let (first_name, last_name) = (f.first_name.trim(), f.last_name.trim());
    let (email, phone, mobile, department, upn) = (
        blank_to_none(&f.email),
        blank_to_none(&f.phone),
        blank_to_none(&f.mobile),
        blank_to_none(&f.department),
        blank_to_none(&f.user_principal_name),
    );
    let mut values: Vec<&dyn ToSql> = vec![
        &id,
        &first_name,
        &last_name,
        &email,
        &phone,
        &mobile,
        &department,
        &f.color,
        &f.mail_configuration_id,
        &upn,
    ];
    if let Some(version) = &version {
        values.push(version);
    }
    Ok(conn.execute(sql, values.as_slice())?)
}

pub fn insert(conn: &Connection, f: &EmployeeFields) -> Result<i64> {
    write(conn, INSERT, None, None, f)?;
    Ok(conn.last_insert_rowid())
}

/// Saves `f` over employee `id` if it is still at `version` (the one the caller read): else
/// nothing changes and the answer is `Conflict` (or `NotFound` when it is gone). One moved to
/// another mail configuration loses the own sign-in: it was issued by the old configuration's
/// registration, and its tokens go nowhere else.
pub fn update(conn: &Connection, id: i64, version: i64, f: &EmployeeFields) -> Result<()> {
    let before = mail_configuration_of(conn, id)?;
    if write(conn, UPDATE, Some(id), Some(version), f)? == 0 {
        return refused_update(conn, "employees", "changed_at", RecordKind::Employee, id);
    }
    if before != f.mail_configuration_id {
        sign_ins::expire_of_moved_employee(conn, id, super::now())?;
    }
    Ok(())
}

fn mail_configuration_of(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT mail_configuration_id FROM employees WHERE id = ?1",
            [id],
            |r| r.get("mail_configuration_id"),
        )
        .optional()?
        .flatten())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn
        .execute("DELETE FROM employees WHERE id = ?1", [id])
        .map_err(|e| StoreError::from(e).in_use_on_constraint(RecordKind::Employee, id))?;
    found(changed, id)
}

/// A2: gives every employee the mail configuration `mail_configuration_id`; returns how many.
/// Those who move from another one lose their own sign-in (see `update`).
pub fn assign_mail_configuration_to_all(
    conn: &Connection,
    mail_configuration_id: i64,
) -> Result<usize> {
    sign_ins::expire_of_employees_moving_to(conn, mail_configuration_id, super::now())?;
    Ok(conn.execute(
        concat!(
            "UPDATE employees SET mail_configuration_id = ?1, ",
            stamp_changed!()
        ),
        [mail_configuration_id],
    )?)
}

/// The employees whose mail configuration is not `mail_configuration_id` (another one or none).
pub fn not_using_mail_configuration(
    conn: &Connection,
    mail_configuration_id: i64,
) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT id FROM employees WHERE mail_configuration_id IS NOT ?1 ORDER BY id")?
        .query_map([mail_configuration_id], |r| r.get("id"))?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) AS n FROM employees", [], |r| r.get("n"))?)
}

fn found(changed: usize, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Employee,
            id,
        });
    }
    Ok(())
}
