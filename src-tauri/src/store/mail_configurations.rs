//! Mail configurations. The client secret goes in and is only ever read back by the sign-in
//! (`client_secret`), never as part of a configuration (A4).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sealing::unreadable;
use super::sql::corrupt;
use super::{Result, StoreError};
use crate::crm::mail_configuration::{
    Cloud, Groupware, MailConfiguration, SecretChange, ValidMailConfiguration,
};
use crate::crm::model::RecordKind;

const SELECT: &str = "SELECT m.id, m.name, m.groupware, m.azure_client_id, m.azure_tenant_id,
        m.cloud, m.custom_authority_url, m.custom_graph_url, m.azure_client_secret IS NOT NULL,
        (SELECT count(*) FROM employees e WHERE e.mail_configuration_id = m.id),
        m.azure_client_secret IS NOT NULL
            AND unseal(m.azure_client_secret, 'mail_configurations.azure_client_secret', m.id) IS NULL
    FROM mail_configurations m";

fn from_row(r: &Row<'_>) -> rusqlite::Result<MailConfiguration> {
    let groupware: String = r.get(2)?;
    let cloud: String = r.get(5)?;
    Ok(MailConfiguration {
        id: r.get(0)?,
        name: r.get(1)?,
        groupware: Groupware::parse(&groupware).ok_or_else(|| corrupt("groupware", &groupware))?,
        client_id: r.get(3)?,
        tenant_id: r.get(4)?,
        cloud: Cloud::parse(&cloud).ok_or_else(|| corrupt("cloud", &cloud))?,
        custom_authority_url: r.get(6)?,
        custom_graph_url: r.get(7)?,
        has_client_secret: r.get(8)?,
        employee_count: r.get(9)?,
        client_secret_unreadable: r.get(10)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<MailConfiguration>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY m.name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<MailConfiguration> {
    conn.query_row(&format!("{SELECT} WHERE m.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::MailConfiguration,
            id,
        })
}

/// The mail configuration of employee `employee_id`, if any.
pub fn of_employee(conn: &Connection, employee_id: i64) -> Result<Option<MailConfiguration>> {
    Ok(conn
        .query_row(
            &format!(
                "{SELECT} WHERE m.id = (SELECT mail_configuration_id FROM employees WHERE id = ?1)"
            ),
            [employee_id],
            from_row,
        )
        .optional()?)
}

pub fn insert(conn: &Connection, v: &ValidMailConfiguration, now: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO mail_configurations (name, groupware, azure_client_id,
            azure_tenant_id, cloud, custom_authority_url, custom_graph_url, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            v.name,
            v.groupware.as_str(),
            v.client_id,
            v.tenant_id,
            v.cloud.as_str(),
            v.custom_authority_url,
            v.custom_graph_url,
            now
        ],
    )?;
    let id = conn.last_insert_rowid();
    // Sealed once the row, whose id it is bound to, exists.
    if let SecretChange::Replace { value } = &v.client_secret {
        store_secret(conn, id, value)?;
    }
    Ok(id)
}

fn store_secret(conn: &Connection, id: i64, value: &str) -> Result<()> {
    conn.execute(
        "UPDATE mail_configurations
            SET azure_client_secret = seal(?2, 'mail_configurations.azure_client_secret', ?1)
          WHERE id = ?1",
        params![id, value],
    )?;
    Ok(())
}

pub fn update(conn: &Connection, id: i64, v: &ValidMailConfiguration, now: i64) -> Result<()> {
    let changed = conn.execute(
        "UPDATE mail_configurations SET name = ?2, groupware = ?3, azure_client_id = ?4,
            azure_tenant_id = ?5, cloud = ?6, custom_authority_url = ?7, custom_graph_url = ?8,
            updated_at = ?9 WHERE id = ?1",
        params![
            id,
            v.name,
            v.groupware.as_str(),
            v.client_id,
            v.tenant_id,
            v.cloud.as_str(),
            v.custom_authority_url,
            v.custom_graph_url,
            now
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::MailConfiguration,
            id,
        });
    }
    match &v.client_secret {
        SecretChange::Keep => {}
        SecretChange::Replace { value } => store_secret(conn, id, value)?,
        SecretChange::Clear => {
            conn.execute(
                "UPDATE mail_configurations SET azure_client_secret = NULL WHERE id = ?1",
                [id],
            )?;
        }
    }
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM mail_configurations WHERE id = ?1", [id])?;
    Ok(())
}

/// Points a custom-cloud configuration at new URLs (the demo's simulator gets a new port each start).
pub fn set_custom_urls(conn: &Connection, id: i64, authority: &str, graph: &str) -> Result<()> {
    conn.execute(
        "UPDATE mail_configurations SET custom_authority_url = ?2, custom_graph_url = ?3
         WHERE id = ?1 AND cloud = 'custom'",
        params![id, authority, graph],
    )?;
    Ok(())
}

/// The stored client secret, for the token request of the sign-in only. One that is stored but
/// does not open is `SecretUnreadable`: it must be entered again.
pub fn client_secret(conn: &Connection, id: i64) -> Result<Option<String>> {
    let (stored, secret) = conn
        .query_row(
            "SELECT azure_client_secret IS NOT NULL,
                    unseal(azure_client_secret, 'mail_configurations.azure_client_secret', id)
               FROM mail_configurations WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((false, None));
    if unreadable(stored, &secret) {
        return Err(StoreError::SecretUnreadable);
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::mail_configuration::{tests::input, validate};
    use crate::crm::model::EmployeeFields;
    use crate::store::{employees, Db};

    #[test]
    fn the_secret_is_kept_replaced_or_cleared_and_never_listed() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let mut i = input();
            i.client_secret = SecretChange::Replace {
                value: "first-secret".into(),
            };
            let id = insert(c, &validate(&i).unwrap(), 1)?;
            let listed = get(c, id)?;
            assert!(listed.has_client_secret);
            assert!(!format!("{listed:?}").contains("first-secret"));
            assert!(!serde_json_string(&list(c)?).contains("first-secret"));

            i.client_secret = SecretChange::Keep;
            i.name = "Renamed".into();
            update(c, id, &validate(&i).unwrap(), 2)?;
            assert_eq!(client_secret(c, id)?.as_deref(), Some("first-secret"));
            assert_eq!(get(c, id)?.name, "Renamed");

            i.client_secret = SecretChange::Replace {
                value: "second".into(),
            };
            update(c, id, &validate(&i).unwrap(), 3)?;
            assert_eq!(client_secret(c, id)?.as_deref(), Some("second"));

            i.client_secret = SecretChange::Clear;
            update(c, id, &validate(&i).unwrap(), 4)?;
            assert_eq!(client_secret(c, id)?, None);
            assert!(!get(c, id)?.has_client_secret);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn an_employee_finds_the_configuration_assigned_to_everybody() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let e = employees::insert(
                c,
                &EmployeeFields {
                    first_name: "A".into(),
                    last_name: "B".into(),
                    color: "#000000".into(),
                    ..Default::default()
                },
            )?;
            assert_eq!(of_employee(c, e)?, None);
            let id = insert(c, &validate(&input()).unwrap(), 1)?;
            assert_eq!(employees::assign_mail_configuration_to_all(c, id)?, 1);
            let mc = of_employee(c, e)?.unwrap();
            assert!(mc.has_azure_fields());
            assert_eq!(mc.employee_count, 1);
            // Deleting the configuration leaves the employee without one.
            delete(c, id)?;
            assert_eq!(employees::get(c, e)?.fields.mail_configuration_id, None);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    fn serde_json_string<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }
}
