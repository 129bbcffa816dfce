//! Employees ("Mitarbeiter"): the users of the CRM and their calendars.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sql::{blank_to_none, contains_pattern, name_like};
use super::{sign_ins, Result, StoreError};
use crate::crm::model::{Employee, EmployeeFields, RecordKind};

const SELECT: &str = "SELECT e.id AS id, e.first_name AS first_name, e.last_name AS last_name,
        e.email AS email, e.phone AS phone, e.mobile AS mobile, e.department AS department,
        e.color AS color, e.mail_configuration_id AS mail_configuration_id,
        m.name AS mail_configuration, e.user_principal_name AS user_principal_name
    FROM employees e LEFT JOIN mail_configurations m ON m.id = e.mail_configuration_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Employee> {
    Ok(Employee {
        id: r.get("id")?,
        fields: EmployeeFields {
            first_name: r.get("first_name")?,
            last_name: r.get("last_name")?,
            email: r.get("email")?,
            phone: r.get("phone")?,
            mobile: r.get("mobile")?,
            department: r.get("department")?,
            color: r.get("color")?,
            mail_configuration_id: r.get("mail_configuration_id")?,
            user_principal_name: r.get("user_principal_name")?,
        },
        mail_configuration: r.get("mail_configuration")?,
    })
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

const INSERT: &str = "INSERT INTO employees (id, first_name, last_name, email, phone, mobile,
        department, color, mail_configuration_id, user_principal_name)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
const UPDATE: &str = "UPDATE employees SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5,
        mobile = ?6, department = ?7, color = ?8, mail_configuration_id = ?9,
        user_principal_name = ?10 WHERE id = ?1";

/// Runs INSERT (id NULL: a new row id) or UPDATE with the fields as ?2...; returns the rows changed.
fn write(conn: &Connection, sql: &str, id: Option<i64>, f: &EmployeeFields) -> Result<usize> {
    Ok(conn.execute(
        sql,
        params![
            id,
            f.first_name.trim(),
            f.last_name.trim(),
            blank_to_none(&f.email),
            blank_to_none(&f.phone),
            blank_to_none(&f.mobile),
            blank_to_none(&f.department),
            f.color,
            f.mail_configuration_id,
            blank_to_none(&f.user_principal_name)
        ],
    )?)
}

pub fn insert(conn: &Connection, f: &EmployeeFields) -> Result<i64> {
    write(conn, INSERT, None, f)?;
    Ok(conn.last_insert_rowid())
}

/// Changes an employee. One moved to another mail configuration loses the own sign-in: it was
/// issued by the old configuration's registration, and its tokens go nowhere else.
pub fn update(conn: &Connection, id: i64, f: &EmployeeFields) -> Result<()> {
    let before = mail_configuration_of(conn, id)?;
    found(write(conn, UPDATE, Some(id), f)?, id)?;
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
        "UPDATE employees SET mail_configuration_id = ?1",
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
