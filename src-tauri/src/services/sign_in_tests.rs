//! What the settings and the sign-in panel are told when the keyring's key is gone: not
//! "signed in" and "secret stored", but that the secret and the sign-in must be entered again.

use std::sync::Arc;

use super::*;
use crate::crm::mail_configuration::{tests::input, validate, SecretChange};
use crate::crm::model::EmployeeFields;
use crate::crm::sign_in::{Account, TokenSet};
use crate::microsoft::session::Microsoft365;
use crate::store::sealing::new_key;
use crate::store::{employees, mail_configurations, Db};

/// A configuration with a secret and a sign-in of its own, and an employee signed in under it.
fn write(db: &Db) -> (i64, i64) {
    db.with(|c| {
        let mut i = input();
        i.client_secret = SecretChange::Replace {
            value: "client-secret-Lk2".into(),
        };
        let config = mail_configurations::insert(c, &validate(&i).unwrap(), 1)?;
        let anna = employees::insert(
            c,
            &EmployeeFields {
                first_name: "Anna".into(),
                last_name: "Schmidt".into(),
                color: "#000000".into(),
                ..Default::default()
            },
        )?;
        employees::assign_mail_configuration_to_all(c, config)?;
        let account = Account {
            user_principal_name: "anna@contoso.example".into(),
            display_name: "Anna".into(),
            tenant_id: "t".into(),
        };
        let tokens = TokenSet {
            access_token: "access-Lk2".into(),
            refresh_token: Some("refresh-Lk2".into()),
            expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        };
        sign_ins::save(c, SignInOwner::Employee(anna), &account, &tokens, 1)?;
        Ok::<_, StoreError>((config, anna))
    })
    .unwrap()
}

#[test]
fn with_the_keyrings_key_gone_the_answers_say_the_secret_and_the_sign_in_must_be_entered_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite");
    let (config, anna) = {
        let db = Db::open(&path).unwrap();
        db.use_secret_key(&new_key()).unwrap();
        write(&db)
    };
    // The next start finds another key in the keyring (it was reset).
    let db = Db::open(&path).unwrap();
    db.use_secret_key(&new_key()).unwrap();
    let m365 = Microsoft365::new(Arc::new(db));

    let listed = m365.db.with(|c| mail_configurations::list(c)).unwrap();
    let listed = serde_json::to_value(&listed).unwrap();
    assert_eq!(listed[0]["client_secret_unreadable"], true, "{listed}");

    for owner in [
        SignInOwner::MailConfiguration(config),
        SignInOwner::Employee(anna),
    ] {
        let s = serde_json::to_value(status(&m365, owner).unwrap()).unwrap();
        assert_eq!(s["secret_unreadable"], true, "{owner:?}: {s}");
        assert_eq!(
            s["available"], false,
            "no sign-in with a secret that is gone"
        );
    }
    let s = serde_json::to_value(status(&m365, SignInOwner::Employee(anna)).unwrap()).unwrap();
    assert_eq!(s["state"], "expired", "not \"signed in\": {s}");
    assert_eq!(s["expired_reason"], sign_ins::UNREADABLE);

    // Signing in answers with the same reason, not a database error.
    let e = m365.registration(SignInOwner::Employee(anna)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::SecretUnreadable);
}

/// A6 and B3: "Test" is offered on the own employee where the sign-in a send would use is active,
/// which is the mail configuration's where that one leads (the employee may have none of its own).
#[test]
fn test_is_offered_where_the_sign_in_a_send_uses_is_active() {
    let db = Db::open_in_memory().unwrap();
    let (config, anna) = write(&db);
    db.with(|c| crate::store::settings::set_current_employee(c, anna))
        .unwrap();
    let m365 = Microsoft365::new(Arc::new(db));
    let testable = |owner| status(&m365, owner).unwrap().testable;
    let (own, mailbox) = (
        SignInOwner::Employee(anna),
        SignInOwner::MailConfiguration(config),
    );
    assert!(testable(own), "the own sign-in, while the mailbox has none");
    assert!(!testable(mailbox));

    let account = Account {
        user_principal_name: "vertrieb@contoso.example".into(),
        display_name: "Vertrieb".into(),
        tenant_id: "t".into(),
    };
    let tokens = TokenSet {
        access_token: "access-Mb1".into(),
        refresh_token: Some("refresh-Mb1".into()),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
    };
    m365.db
        .with(|c| {
            sign_ins::save(c, mailbox, &account, &tokens, 1)?;
            sign_ins::delete(c, own)
        })
        .unwrap();
    assert!(testable(own), "the mailbox's sign-in leads and is tested");
    assert!(testable(mailbox));

    m365.db
        .with(|c| {
            c.execute(
                "UPDATE sign_ins SET state = 'expired' WHERE mail_configuration_id = ?1",
                [config],
            )
        })
        .unwrap();
    assert!(!testable(own), "nothing active to test");
}

/// One sign-in waits for the browser at a time: a new one ends the one still waiting, and
/// "cancel" ends the last.
#[test]
fn a_new_sign_in_ends_the_one_still_waiting_and_cancel_ends_the_last() {
    let pending = PendingSignIn::default();
    let mut first = pending.begin();
    let mut second = pending.begin();
    assert_eq!(first.try_recv(), Ok(()), "the first wait is ended");
    assert!(second.try_recv().is_err(), "the second still waits");
    pending.cancel();
    assert_eq!(second.try_recv(), Ok(()), "cancel ends it");
    pending.cancel();
}

/// B1, B3 in a team workspace: the registration and the employee's tie to the mail
/// configuration come from the team database, the sign-in from this desktop's own file (which
/// holds neither the employee nor the configuration). The client secret only reaches the
/// administrator's desktop; a salesperson's signs in as a public client, without it.
#[test]
fn on_a_team_database_the_registration_is_the_teams_and_the_sign_in_this_desktops() {
    use crate::services::Workspace;
    use crate::store::interface::write;
    use crate::store::postgres::{schema, test_server, PgEngine};

    let db = test_server::shared().fresh_database();
    schema::migrate(&mut db.superuser()).unwrap();
    let desktop = |login: String, role: &str| {
        Workspace::team(
            Arc::new(Db::open_in_memory().unwrap()),
            Arc::new(PgEngine::new(db.login(&login, role))),
        )
    };
    let salesperson = format!("vertrieb_{}", db.name);
    let admin = desktop(format!("admin_{}", db.name), "treffpunkt_admins");
    let user = desktop(salesperson.clone(), "treffpunkt_users");
    let (config, vera) = write(admin.shared(), |s| {
        let mut i = input();
        i.client_secret = SecretChange::Replace {
            value: "team-secret-Pq7".into(),
        };
        let config = s.insert_mail_configuration(&validate(&i).unwrap(), 1)?;
        let vera = s.insert_employee(&EmployeeFields {
            first_name: "Vera".into(),
            last_name: "Vogt".into(),
            color: "#000000".into(),
            ..Default::default()
        })?;
        s.assign_mail_configuration_to_all(config)?;
        Ok::<_, StoreError>((config, vera))
    })
    .unwrap();
    db.superuser()
        .execute(
            "UPDATE employees SET database_login = $2 WHERE id = $1",
            &[&vera, &salesperson],
        )
        .unwrap();
    let (own, mailbox) = (
        SignInOwner::Employee(vera),
        SignInOwner::MailConfiguration(config),
    );

    let at_admin = admin.microsoft365().registration(mailbox).unwrap();
    assert_eq!(at_admin.client_secret.as_deref(), Some("team-secret-Pq7"));
    let m365 = user.microsoft365();
    let registration = m365.registration(own).unwrap();
    assert_eq!(
        registration.mail_configuration_id, config,
        "the employee's, from the team"
    );
    assert_eq!(registration.client_id, input().client_id);
    assert_eq!(registration.client_secret, None, "a public client");
    assert_eq!(
        m365.current_employee().unwrap(),
        Some(vera),
        "the login's employee"
    );

    // The own sign-in, then the mailbox's, stored on this desktop only.
    assert_eq!(m365.owner_of(vera).unwrap(), own);
    let account = Account {
        user_principal_name: "vertrieb@contoso.example".into(),
        display_name: "Vertrieb".into(),
        tenant_id: "t".into(),
    };
    let tokens = TokenSet {
        access_token: "access-Pq7".into(),
        refresh_token: Some("refresh-Pq7".into()),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
    };
    let issuer = registration.issuer();
    m365.db
        .with(|c| sign_ins::save_issued(c, mailbox, &account, &tokens, Some(&issuer), 1))
        .unwrap();
    assert_eq!(
        m365.owner_of(vera).unwrap(),
        mailbox,
        "B3: the mailbox's leads"
    );
    assert_eq!(
        admin.microsoft365().owner_of(vera).unwrap(),
        own,
        "not on another desktop"
    );
    let s = status(&m365, own).unwrap();
    assert!(s.available && s.testable, "{s:?}");
    let banner = own_sign_in(&m365).unwrap().unwrap();
    assert_eq!(banner.owner, mailbox);
    assert_eq!(banner.status.state, Some(SignInState::Active));
}
