//! Mail configurations. The client secret goes in and is only ever read back by the sign-in
//! (`client_secret`), never as part of a configuration (A4).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sealing::unreadable;
use super::sign_ins;
use super::sql::corrupt;
use super::{Result, StoreError};
use crate::crm::mail_configuration::{
    Cloud, Groupware, MailConfiguration, RegistrationChange, SecretChange, ValidMailConfiguration,
};
use crate::crm::model::RecordKind;

const SELECT: &str = "SELECT m.id AS id, m.name AS name, m.groupware AS groupware,
        m.azure_client_id AS azure_client_id, m.azure_tenant_id AS azure_tenant_id,
        m.cloud AS cloud, m.custom_authority_url AS custom_authority_url,
        m.custom_graph_url AS custom_graph_url,
        m.azure_client_secret IS NOT NULL AS has_client_secret,
        (SELECT count(*) FROM employees e WHERE e.mail_configuration_id = m.id) AS employee_count,
        m.azure_client_secret IS NOT NULL
            AND unseal(m.azure_client_secret, 'mail_configurations.azure_client_secret', m.id) IS NULL
            AS client_secret_unreadable
    FROM mail_configurations m";

fn from_row(r: &Row<'_>) -> rusqlite::Result<MailConfiguration> {
    let groupware: String = r.get("groupware")?;
    let cloud: String = r.get("cloud")?;
    Ok(MailConfiguration {
        id: r.get("id")?,
        name: r.get("name")?,
        groupware: Groupware::parse(&groupware).ok_or_else(|| corrupt("groupware", &groupware))?,
        client_id: r.get("azure_client_id")?,
        tenant_id: r.get("azure_tenant_id")?,
        cloud: Cloud::parse(&cloud).ok_or_else(|| corrupt("cloud", &cloud))?,
        custom_authority_url: r.get("custom_authority_url")?,
        custom_graph_url: r.get("custom_graph_url")?,
        has_client_secret: r.get("has_client_secret")?,
        employee_count: r.get("employee_count")?,
        client_secret_unreadable: r.get("client_secret_unreadable")?,
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

/// Stores the changed fields. A changed registration (cloud, custom URL, client ID or tenant)
/// drops the stored client secret unless `v` brings a new one, and ends every sign-in made under
/// the old one: neither may reach the new hosts.
pub fn update(
    conn: &Connection,
    id: i64,
    v: &ValidMailConfiguration,
    now: i64,
) -> Result<RegistrationChange> {
    let before = get(conn, id)?;
    let registration_changed = before.registration_differs(v);
    conn.execute(
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
    let mut change = RegistrationChange {
        registration_changed,
        ..Default::default()
    };
    match &v.client_secret {
        SecretChange::Keep if !registration_changed => {}
        SecretChange::Replace { value } => store_secret(conn, id, value)?,
        SecretChange::Keep | SecretChange::Clear => {
            change.secret_dropped = registration_changed
                && v.client_secret == SecretChange::Keep
                && before.has_client_secret;
            clear_secret(conn, id)?;
        }
    }
    if registration_changed {
        change.sign_ins_expired = sign_ins::expire_issued_under(conn, id, now)? as u32;
        tracing::info!(
            mail_configuration = id,
            secret_dropped = change.secret_dropped,
            sign_ins_expired = change.sign_ins_expired,
            "the mail configuration's registration changed"
        );
    }
    Ok(change)
}

fn clear_secret(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE mail_configurations SET azure_client_secret = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM mail_configurations WHERE id = ?1", [id])?;
    Ok(())
}

/// Points a custom-cloud configuration at new URLs (the demo's simulator gets a new port each
/// start). New URLs are a new registration, as in `update`: the secret goes and so do the
/// sign-ins made at the old ones (a new simulator knows none of their tokens anyway).
pub fn set_custom_urls(
    conn: &Connection,
    id: i64,
    authority: &str,
    graph: &str,
    now: i64,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE mail_configurations SET custom_authority_url = ?2, custom_graph_url = ?3
         WHERE id = ?1 AND cloud = 'custom'
           AND (custom_authority_url IS NOT ?2 OR custom_graph_url IS NOT ?3)",
        params![id, authority, graph],
    )?;
    if changed > 0 {
        clear_secret(conn, id)?;
        sign_ins::expire_issued_under(conn, id, now)?;
    }
    Ok(())
}

/// The stored client secret, for the token request of the sign-in only. One that is stored but
/// does not open is `SecretUnreadable`: it must be entered again.
pub fn client_secret(conn: &Connection, id: i64) -> Result<Option<String>> {
    let (stored, secret) = conn
        .query_row(
            "SELECT azure_client_secret IS NOT NULL AS stored,
                    unseal(azure_client_secret, 'mail_configurations.azure_client_secret', id)
                        AS secret
               FROM mail_configurations WHERE id = ?1",
            [id],
            |r| Ok((r.get("stored")?, r.get("secret")?)),
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
    use crate::crm::mail_configuration::{tests::input, validate, MailConfigurationInput};
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

    /// Another cloud, custom URL, client ID or tenant is another registration: a kept secret is
    /// dropped, a new one in the same save stays, and the sign-ins made under the old one end.
    #[test]
    fn a_changed_registration_drops_a_kept_secret_and_ends_its_sign_ins() {
        use crate::crm::sign_in::{Account, SignInOwner, SignInState, TokenSet};
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let mut i = input();
            i.client_secret = SecretChange::Replace {
                value: "first-secret".into(),
            };
            let id = insert(c, &validate(&i).unwrap(), 1)?;
            let tokens = TokenSet {
                access_token: "a".into(),
                refresh_token: Some("r".into()),
                expires_at: chrono::DateTime::from_timestamp(2_000_000_000, 0).unwrap(),
            };
            let account = Account {
                user_principal_name: "anna@contoso.example".into(),
                display_name: "Anna".into(),
                tenant_id: "t".into(),
            };
            let sign_in_again = |c: &Connection| {
                sign_ins::save(c, SignInOwner::MailConfiguration(id), &account, &tokens, 1)
            };
            let state = |c: &Connection| {
                sign_ins::get(c, SignInOwner::MailConfiguration(id))
                    .unwrap()
                    .unwrap()
                    .state
            };
            sign_in_again(c)?;
            i.client_secret = SecretChange::Keep;
            type Change = (&'static str, fn(&mut MailConfigurationInput));
            let changes: [Change; 4] = [
                ("cloud", |i| i.cloud = Cloud::UsGovGccHigh),
                ("client", |i| {
                    i.client_id = "11111111-1111-4111-8111-111111111111".into()
                }),
                ("tenant", |i| {
                    i.tenant_id = "fabrikam.onmicrosoft.com".into()
                }),
                ("urls", |i| {
                    i.cloud = Cloud::Custom;
                    i.custom_authority_url = "https://login.fabrikam.example".into();
                    i.custom_graph_url = "https://graph.fabrikam.example".into();
                }),
            ];
            for (what, change) in changes {
                i.client_secret = SecretChange::Replace {
                    value: "secret".into(),
                };
                update(c, id, &validate(&i).unwrap(), 2)?;
                sign_in_again(c)?;
                i.client_secret = SecretChange::Keep;
                change(&mut i);
                let done = update(c, id, &validate(&i).unwrap(), 3)?;
                assert_eq!(
                    done,
                    RegistrationChange {
                        registration_changed: true,
                        secret_dropped: true,
                        sign_ins_expired: 1
                    },
                    "{what}"
                );
                assert_eq!(client_secret(c, id)?, None, "{what}");
                assert_eq!(state(c), SignInState::Expired, "{what}");
            }
            // A new secret in the same save as the new registration stays.
            i.tenant_id = "contoso.onmicrosoft.com".into();
            i.client_secret = SecretChange::Replace {
                value: "new-secret".into(),
            };
            let done = update(c, id, &validate(&i).unwrap(), 4)?;
            assert!(done.registration_changed && !done.secret_dropped);
            assert_eq!(client_secret(c, id)?.as_deref(), Some("new-secret"));
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
