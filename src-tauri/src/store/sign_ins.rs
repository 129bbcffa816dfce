//! Stored Microsoft 365 sign-ins (B3). Tokens are written here and read only by the token
//! refresher; nothing here is ever sent to the webview. Each sign-in keeps the registration that
//! issued it (`Issuer`), and a generation that every write of its tokens or state counts up.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sealing::{sign_in_row, unreadable};
use super::sql::corrupt;
use super::Result;
use crate::crm::cloud::Endpoints;
use crate::crm::issuer::{Issuer, ISSUER_CHANGED};
use crate::crm::mail_configuration::Cloud;
use crate::crm::sign_in::{Account, SignInOwner, SignInState, StoredSignIn, TokenSet};

fn owner_column(owner: SignInOwner) -> (&'static str, i64) {
    match owner {
        SignInOwner::Employee(id) => ("employee_id", id),
        SignInOwner::MailConfiguration(id) => ("mail_configuration_id", id),
    }
}

/// Why a stored sign-in whose tokens cannot be opened needs a new sign-in: the keyring's key is
/// missing or another one, or the tokens were moved from another row.
pub const UNREADABLE: &str = "signin_unreadable";

/// The owner of a sign-in row, from its columns `employee_id` and `mail_configuration_id`.
fn owner_from(r: &Row<'_>) -> rusqlite::Result<SignInOwner> {
    match (
        r.get::<_, Option<i64>>("employee_id")?,
        r.get::<_, Option<i64>>("mail_configuration_id")?,
    ) {
        (Some(id), None) => Ok(SignInOwner::Employee(id)),
        (None, Some(id)) => Ok(SignInOwner::MailConfiguration(id)),
        _ => Err(corrupt("sign-in owner", "neither or both")),
    }
}

fn from_row(owner: SignInOwner, r: &Row<'_>) -> rusqlite::Result<StoredSignIn> {
    let state: String = r.get("state")?;
    let access: Option<String> = r.get("access_token")?;
    let refresh: Option<String> = r.get("refresh_token")?;
    let expires: Option<i64> = r.get("expires_at")?;
    // Tokens that are stored but do not open leave a sign-in that needs doing again.
    let unreadable = unreadable(r.get("has_access_token")?, &access)
        || unreadable(r.get("has_refresh_token")?, &refresh);
    let issuer = match (
        r.get("issuer_mail_configuration_id")?,
        r.get("issuer_authority")?,
        r.get("issuer_graph")?,
        r.get("issuer_client_id")?,
        r.get("issuer_tenant")?,
    ) {
        (
            Some(mail_configuration_id),
            Some(authority),
            Some(graph),
            Some(client_id),
            Some(tenant),
        ) => Some(Issuer {
            mail_configuration_id,
            authority,
            graph,
            client_id,
            tenant,
        }),
        _ => None,
    };
    Ok(StoredSignIn {
        owner,
        account: Account {
            user_principal_name: r.get("account")?,
            display_name: r.get("display_name")?,
            tenant_id: r.get("tenant_id")?,
        },
        tokens: access
            .zip(expires)
            .filter(|_| !unreadable)
            .map(|(access_token, expires)| TokenSet {
                access_token,
                refresh_token: refresh,
                expires_at: chrono::DateTime::from_timestamp(expires, 0).unwrap_or_default(),
            }),
        state: match state.as_str() {
            _ if unreadable => SignInState::Expired,
            "active" => SignInState::Active,
            "expired" => SignInState::Expired,
            other => return Err(corrupt("sign-in state", other)),
        },
        expired_reason: if unreadable {
            Some(UNREADABLE.into())
        } else {
            r.get("expired_reason")?
        },
        updated_at: chrono::DateTime::from_timestamp(r.get("updated_at")?, 0).unwrap_or_default(),
        issuer,
        generation: r.get("generation")?,
    })
}

/// Whether this desktop holds a sign-in of `owner`, in whatever state (its tokens unread).
pub fn is_stored(conn: &Connection, owner: SignInOwner) -> Result<bool> {
    let (column, id) = owner_column(owner);
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM sign_ins WHERE {column} = ?1"),
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn get(conn: &Connection, owner: SignInOwner) -> Result<Option<StoredSignIn>> {
    let (column, id) = owner_column(owner);
    Ok(conn
        .query_row(
            &format!(
                "SELECT account, display_name, tenant_id,
                        unseal(access_token, 'sign_ins.access_token', ?2) AS access_token,
                        unseal(refresh_token, 'sign_ins.refresh_token', ?2) AS refresh_token,
                        expires_at, state, expired_reason, updated_at,
                        access_token IS NOT NULL AS has_access_token,
                        refresh_token IS NOT NULL AS has_refresh_token,
                        issuer_mail_configuration_id, issuer_authority, issuer_graph,
                        issuer_client_id, issuer_tenant, generation
                 FROM sign_ins WHERE {column} = ?1"
            ),
            params![id, sign_in_row(column, id)],
            |r| from_row(owner, r),
        )
        .optional()?)
}

/// The issuer a sign-in of `owner` would have now: its mail configuration's registration, or
/// `None` when that has no Azure fields.
pub fn issuer_of_configuration(conn: &Connection, owner: SignInOwner) -> Result<Option<Issuer>> {
    let configuration = match owner {
        SignInOwner::Employee(_) => "(SELECT mail_configuration_id FROM employees WHERE id = ?1)",
        SignInOwner::MailConfiguration(_) => "?1",
    };
    let (_, id) = owner_column(owner);
    // The columns are read one by one (not through `mail_configurations::get`): the migration
    // that records the issuers of older sign-ins runs this against the schema of its version.
    let row = conn
        .query_row(
            &format!(
                "SELECT id, cloud, custom_authority_url, custom_graph_url, azure_client_id,
                        azure_tenant_id
                 FROM mail_configurations WHERE id = {configuration}"
            ),
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>("id")?,
                    r.get::<_, String>("cloud")?,
                    r.get::<_, Option<String>>("custom_authority_url")?,
                    r.get::<_, Option<String>>("custom_graph_url")?,
                    r.get::<_, Option<String>>("azure_client_id")?,
                    r.get::<_, Option<String>>("azure_tenant_id")?,
                ))
            },
        )
        .optional()?;
    let Some((mc, cloud, authority, graph, Some(client_id), Some(tenant))) = row else {
        return Ok(None);
    };
    let endpoints = Cloud::parse(&cloud)
        .and_then(|cloud| Endpoints::of(cloud, authority.as_deref(), graph.as_deref()));
    Ok(endpoints.map(|e| Issuer::new(mc, &e, &client_id, &tenant)))
}

/// Gives every stored sign-in the issuer of its owner's configuration as it is now: the sign-ins
/// made before issuers were kept (migration 0008).
pub(super) fn record_issuers_of_existing(conn: &Connection) -> Result<()> {
    let owners: Vec<(i64, SignInOwner)> = conn
        .prepare("SELECT id, employee_id, mail_configuration_id FROM sign_ins")?
        .query_map([], |r| {
            let owner = owner_from(r)?;
            Ok((r.get("id")?, owner))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (row, owner) in owners {
        if let Some(issuer) = issuer_of_configuration(conn, owner)? {
            write_issuer(conn, row, &issuer)?;
        }
    }
    Ok(())
}

fn write_issuer(conn: &Connection, row: i64, issuer: &Issuer) -> Result<()> {
    conn.execute(
        "UPDATE sign_ins SET issuer_mail_configuration_id = ?2, issuer_authority = ?3,
            issuer_graph = ?4, issuer_client_id = ?5, issuer_tenant = ?6 WHERE id = ?1",
        params![
            row,
            issuer.mail_configuration_id,
            issuer.authority,
            issuer.graph,
            issuer.client_id,
            issuer.tenant
        ],
    )?;
    Ok(())
}

/// Stores a new sign-in or replaces the owner's: active, with these tokens, issued by the
/// registration of the owner's configuration as it is now.
pub fn save(
    conn: &Connection,
    owner: SignInOwner,
    account: &Account,
    tokens: &TokenSet,
    now: i64,
) -> Result<()> {
    let issuer = issuer_of_configuration(conn, owner)?;
    save_issued(conn, owner, account, tokens, issuer.as_ref(), now)
}

/// Stores a new sign-in or replaces the owner's: active, with these tokens from `issuer` (`None`:
/// unknown, so they will be sent nowhere).
pub fn save_issued(
    conn: &Connection,
    owner: SignInOwner,
    account: &Account,
    tokens: &TokenSet,
    issuer: Option<&Issuer>,
    now: i64,
) -> Result<()> {
    let (column, id) = owner_column(owner);
    conn.execute(
        &format!(
            "INSERT INTO sign_ins ({column}, account, display_name, tenant_id, access_token,
                refresh_token, expires_at, state, expired_reason, updated_at, generation)
             VALUES (?1, ?2, ?3, ?4, seal(?5, 'sign_ins.access_token', ?9),
                seal(?6, 'sign_ins.refresh_token', ?9), ?7, 'active', NULL, ?8, 1)
             ON CONFLICT ({column}) DO UPDATE SET account = excluded.account,
                display_name = excluded.display_name, tenant_id = excluded.tenant_id,
                access_token = excluded.access_token, refresh_token = excluded.refresh_token,
                expires_at = excluded.expires_at, state = 'active', expired_reason = NULL,
                user_principal_name = NULL, updated_at = excluded.updated_at,
                issuer_mail_configuration_id = NULL, issuer_authority = NULL, issuer_graph = NULL,
                issuer_client_id = NULL, issuer_tenant = NULL,
                generation = sign_ins.generation + 1"
        ),
        params![
            id,
            account.user_principal_name,
            account.display_name,
            account.tenant_id,
            tokens.access_token,
            tokens.refresh_token,
            tokens.expires_at.timestamp(),
            now,
            sign_in_row(column, id)
        ],
    )?;
    if let Some(issuer) = issuer {
        let row: i64 = conn.query_row(
            &format!("SELECT id FROM sign_ins WHERE {column} = ?1"),
            [id],
            |r| r.get("id"),
        )?;
        write_issuer(conn, row, issuer)?;
    }
    Ok(())
}

/// Records the `userPrincipalName` Microsoft Graph's `GET /me` answered for the owner's sign-in
/// (a new sign-in forgets it: it may be another account). The ID token's `preferred_username`,
/// kept as `account`, "could be an email address, phone number, or a generic username"
/// (Entra's ID token claims reference), so Teams links take this one instead.
pub fn set_graph_upn(conn: &Connection, owner: SignInOwner, upn: &str) -> Result<()> {
    let (column, id) = owner_column(owner);
    conn.execute(
        &format!("UPDATE sign_ins SET user_principal_name = ?2 WHERE {column} = ?1"),
        params![id, upn],
    )?;
    Ok(())
}

/// The `userPrincipalName` Graph answered for the owner's sign-in, if the app has read it.
pub fn graph_upn(conn: &Connection, owner: SignInOwner) -> Result<Option<String>> {
    let (column, id) = owner_column(owner);
    Ok(conn
        .query_row(
            &format!("SELECT user_principal_name FROM sign_ins WHERE {column} = ?1"),
            [id],
            |r| r.get::<_, Option<String>>("user_principal_name"),
        )
        .optional()?
        .flatten())
}

/// The `userPrincipalName`s Graph answered for the employees' own sign-ins on this desktop, by
/// employee: read in one go before the shared data, which in a local workspace is this same file.
pub fn graph_upns(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut statement = conn.prepare(
        "SELECT employee_id, user_principal_name FROM sign_ins
         WHERE employee_id IS NOT NULL AND user_principal_name IS NOT NULL",
    )?;
    let rows = statement.query_map([], |r| {
        Ok((r.get("employee_id")?, r.get("user_principal_name")?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores refreshed tokens at once (B4: the rotated refresh token must never be lost), but only
/// while the sign-in is still the one the refresh started from (`generation`): a late answer never
/// overwrites a newer sign-in, a sign-out or an expiry. Returns whether it was stored.
pub fn update_tokens(
    conn: &Connection,
    owner: SignInOwner,
    tokens: &TokenSet,
    generation: i64,
    now: i64,
) -> Result<bool> {
    let (column, id) = owner_column(owner);
    let changed = conn.execute(
        &format!(
            "UPDATE sign_ins SET access_token = seal(?2, 'sign_ins.access_token', ?7),
                refresh_token = coalesce(seal(?3, 'sign_ins.refresh_token', ?7), refresh_token),
                expires_at = ?4, updated_at = ?5, generation = generation + 1
             WHERE {column} = ?1 AND generation = ?6 AND state = 'active'"
        ),
        params![
            id,
            tokens.access_token,
            tokens.refresh_token,
            tokens.expires_at.timestamp(),
            now,
            generation,
            sign_in_row(column, id)
        ],
    )?;
    Ok(changed == 1)
}

const EXPIRE: &str = "UPDATE sign_ins SET state = 'expired', expired_reason = ?2,
    access_token = NULL, refresh_token = NULL, expires_at = NULL, updated_at = ?3,
    generation = generation + 1";

/// Marks the sign-in expired and forgets its tokens (B5): they no longer work. Only while it is
/// still the one of `generation`, so that a failure of an older refresh never ends a newer
/// sign-in. Returns whether it was marked.
pub fn mark_expired(
    conn: &Connection,
    owner: SignInOwner,
    reason: &str,
    generation: i64,
    now: i64,
) -> Result<bool> {
    let (column, id) = owner_column(owner);
    let changed = conn.execute(
        &format!("{EXPIRE} WHERE {column} = ?1 AND generation = ?4"),
        params![id, reason, now, generation],
    )?;
    super::forget_freed(conn)?;
    Ok(changed == 1)
}

/// Ends every active sign-in made under mail configuration `mail_configuration_id` (its own, and
/// those of the employees that use it) because its registration changed: their tokens must not
/// go to the new one. Returns how many were ended.
pub fn expire_issued_under(
    conn: &Connection,
    mail_configuration_id: i64,
    now: i64,
) -> Result<usize> {
    let ended = conn.execute(
        &format!(
            "{EXPIRE} WHERE state = 'active' AND (mail_configuration_id = ?1
                OR issuer_mail_configuration_id = ?1
                OR employee_id IN (SELECT id FROM employees WHERE mail_configuration_id = ?1))"
        ),
        params![mail_configuration_id, ISSUER_CHANGED, now],
    )?;
    super::forget_freed(conn)?;
    Ok(ended)
}

/// Ends the own sign-ins of the employees about to move to mail configuration
/// `mail_configuration_id` from another one (or none). Returns how many were ended.
pub fn expire_of_employees_moving_to(
    conn: &Connection,
    mail_configuration_id: i64,
    now: i64,
) -> Result<usize> {
    let ended = conn.execute(
        &format!(
            "{EXPIRE} WHERE state = 'active' AND employee_id IN
                (SELECT id FROM employees WHERE mail_configuration_id IS NOT ?1)"
        ),
        params![mail_configuration_id, ISSUER_CHANGED, now],
    )?;
    super::forget_freed(conn)?;
    Ok(ended)
}

/// Ends the employee's own sign-in because the employee moved to another mail configuration.
/// Returns how many were ended (0 or 1).
pub fn expire_of_moved_employee(conn: &Connection, employee_id: i64, now: i64) -> Result<usize> {
    let ended = conn.execute(
        &format!("{EXPIRE} WHERE state = 'active' AND employee_id = ?1"),
        params![employee_id, ISSUER_CHANGED, now],
    )?;
    super::forget_freed(conn)?;
    Ok(ended)
}

/// Every active sign-in with the time its tokens were last issued, oldest first.
pub fn active(conn: &Connection) -> Result<Vec<(SignInOwner, chrono::DateTime<chrono::Utc>)>> {
    let mut statement = conn.prepare(
        "SELECT employee_id, mail_configuration_id, updated_at FROM sign_ins
         WHERE state = 'active' ORDER BY updated_at, id",
    )?;
    let rows = statement.query_map([], |r| {
        let owner = owner_from(r)?;
        let issued = chrono::DateTime::from_timestamp(r.get("updated_at")?, 0).unwrap_or_default();
        Ok((owner, issued))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sign-out (B6): the tokens and the sign-in are removed.
pub fn delete(conn: &Connection, owner: SignInOwner) -> Result<()> {
    let (column, id) = owner_column(owner);
    conn.execute(&format!("DELETE FROM sign_ins WHERE {column} = ?1"), [id])?;
    super::forget_freed(conn)
}

/// The sign-in an employee's Graph calls use: the mail configuration's when it holds one, else
/// the employee's own (B3: "Die Anmeldeinformation in der E-Mail-Konfiguration ist dabei führend").
pub fn effective_owner(conn: &Connection, employee_id: i64) -> Result<SignInOwner> {
    let mail_configuration: Option<i64> = conn
        .query_row(
            "SELECT s.mail_configuration_id AS mail_configuration_id FROM employees e
               JOIN sign_ins s ON s.mail_configuration_id = e.mail_configuration_id
              WHERE e.id = ?1",
            [employee_id],
            |r| r.get("mail_configuration_id"),
        )
        .optional()?;
    Ok(mail_configuration
        .map(SignInOwner::MailConfiguration)
        .unwrap_or(SignInOwner::Employee(employee_id)))
}

/// `effective_owner` where the employee's mail configuration is known, `mail_configuration_id`
/// (the employee may live in the team database, not in this file).
pub fn effective_owner_under(
    conn: &Connection,
    employee_id: i64,
    mail_configuration_id: Option<i64>,
) -> Result<SignInOwner> {
    if let Some(mc) = mail_configuration_id {
        let held: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sign_ins WHERE mail_configuration_id = ?1) AS held",
            [mc],
            |r| r.get("held"),
        )?;
        if held {
            return Ok(SignInOwner::MailConfiguration(mc));
        }
    }
    Ok(SignInOwner::Employee(employee_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::mail_configuration::{tests::input, validate};
    use crate::crm::model::EmployeeFields;
    use crate::store::{employees, mail_configurations, Db};

    fn tokens(at: &str, rt: Option<&str>) -> TokenSet {
        TokenSet {
            access_token: at.into(),
            refresh_token: rt.map(Into::into),
            expires_at: chrono::DateTime::from_timestamp(2_000_000_000, 0).unwrap(),
        }
    }

    fn account() -> Account {
        Account {
            user_principal_name: "anna@contoso.example".into(),
            display_name: "Anna".into(),
            tenant_id: "t".into(),
        }
    }

    #[test]
    fn the_mail_configurations_sign_in_takes_precedence() {
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
            let mc = mail_configurations::insert(c, &validate(&input()).unwrap(), 0)?;
            assert_eq!(effective_owner(c, e)?, SignInOwner::Employee(e));
            employees::assign_mail_configuration_to_all(c, mc)?;
            assert_eq!(
                effective_owner(c, e)?,
                SignInOwner::Employee(e),
                "no sign-in there yet"
            );
            save(
                c,
                SignInOwner::MailConfiguration(mc),
                &account(),
                &tokens("a", Some("r")),
                0,
            )?;
            assert_eq!(effective_owner(c, e)?, SignInOwner::MailConfiguration(mc));
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn rotation_expiry_and_sign_out() {
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
            let owner = SignInOwner::Employee(e);
            save(c, owner, &account(), &tokens("a1", Some("r1")), 0)?;
            assert!(update_tokens(c, owner, &tokens("a2", Some("r2")), 1, 1)?);
            let s = get(c, owner)?.unwrap();
            assert_eq!(
                s.tokens.as_ref().unwrap().refresh_token.as_deref(),
                Some("r2")
            );
            // An answer without a new refresh token keeps the old one.
            assert!(update_tokens(c, owner, &tokens("a3", None), 2, 2)?);
            assert_eq!(
                get(c, owner)?
                    .unwrap()
                    .tokens
                    .unwrap()
                    .refresh_token
                    .as_deref(),
                Some("r2")
            );
            assert!(
                !format!("{:?}", get(c, owner)?).contains("r2"),
                "Debug hides tokens"
            );

            assert_eq!(
                active(c)?,
                vec![(owner, chrono::DateTime::from_timestamp(2, 0).unwrap())],
                "active, with its tokens issued at the last update"
            );

            assert!(!mark_expired(c, owner, "signin_expired_inactivity", 2, 3)?);
            assert!(mark_expired(c, owner, "signin_expired_inactivity", 3, 3)?);
            assert!(
                active(c)?.is_empty(),
                "an expired sign-in is not kept alive"
            );
            let s = get(c, owner)?.unwrap();
            assert_eq!(s.state, SignInState::Expired);
            assert_eq!(s.tokens, None);
            assert_eq!(
                s.expired_reason.as_deref(),
                Some("signin_expired_inactivity")
            );

            delete(c, owner)?;
            assert_eq!(get(c, owner)?, None);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    /// A refresh that started before a new sign-in (or a sign-out) stores nothing over it.
    #[test]
    fn a_late_refresh_answer_never_overwrites_a_newer_sign_in() {
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
            let owner = SignInOwner::Employee(e);
            save(c, owner, &account(), &tokens("a1", Some("r1")), 0)?;
            let started_from = get(c, owner)?.unwrap().generation;
            save(c, owner, &account(), &tokens("new", Some("new-r")), 1)?;
            assert!(!update_tokens(
                c,
                owner,
                &tokens("late", Some("late-r")),
                started_from,
                2
            )?);
            assert!(!mark_expired(c, owner, "signin_revoked", started_from, 2)?);
            let s = get(c, owner)?.unwrap();
            assert_eq!(s.state, SignInState::Active);
            assert_eq!(s.tokens, Some(tokens("new", Some("new-r"))));
            delete(c, owner)?;
            assert!(!update_tokens(
                c,
                owner,
                &tokens("late", None),
                started_from + 1,
                3
            )?);
            assert_eq!(get(c, owner)?, None, "a sign-out stays a sign-out");
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    #[test]
    fn graphs_upn_is_kept_until_the_next_sign_in() {
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
            let owner = SignInOwner::Employee(e);
            assert_eq!(graph_upn(c, owner)?, None, "no sign-in");
            save(c, owner, &account(), &tokens("a1", Some("r1")), 0)?;
            assert_eq!(graph_upn(c, owner)?, None, "not read yet");
            set_graph_upn(c, owner, "anna.b@contoso.onmicrosoft.com")?;
            update_tokens(c, owner, &tokens("a2", Some("r2")), 1, 1)?;
            assert_eq!(
                graph_upn(c, owner)?.as_deref(),
                Some("anna.b@contoso.onmicrosoft.com")
            );
            assert_eq!(
                graph_upns(c)?,
                HashMap::from([(e, "anna.b@contoso.onmicrosoft.com".to_string())])
            );
            // A new sign-in may be another account: what Graph said of the old one goes.
            save(c, owner, &account(), &tokens("a3", Some("r3")), 2)?;
            assert_eq!(graph_upn(c, owner)?, None);
            assert!(graph_upns(c)?.is_empty());
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }
}
