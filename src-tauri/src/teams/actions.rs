//! The own employee's Teams actions as use cases (E1-E5, D3): each reads what decides it (the
//! settings, the own mailbox's cloud, C7's availability), decides with the rules, hands the link
//! to the OS through the caller's opener, and records the call or chat in the history. All of
//! it on the workspace's shared data (the team database in a team workspace); only the Teams
//! users this desktop's own sign-ins know are read from the local store.

use crate::services::Workspace;
use chrono::{DateTime, Utc};
use url::Url;

use super::calls::{
    self, CallError, CallOption, EmailCalls, GraphUpns, Recorder, Started, ToolbarTeams,
};
use super::callto_handler::{self, XdgMimeAnswer};
use super::join::join_link;
use super::links::teams_home;
use crate::crm::activity::ActivityKind;
use crate::crm::mail_configuration::Cloud;
use crate::crm::model::RecordKind;
use crate::crm::rules::check_kind_available;
use crate::crm::rules::{teams_available, teams_buttons, TeamsButtons, TeamsPlace};
use crate::crm::settings::{CallLinkMode, Language, SystemSettings};
use crate::meetings::context_in;
use crate::services::CrmError;
use crate::store::interface::{read, write, Shared};
use crate::store::sign_ins;

pub use super::callto_handler::CalltoCheck;

/// Hands a URI to the OS's opener, or says why it could not.
pub type Open<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Where and when an action happens: the user's zone (IANA name) and OS language, and now.
#[derive(Debug, Clone, Copy)]
pub struct Here<'a> {
    pub zone: &'a str,
    pub os_language: Language,
    pub now: DateTime<Utc>,
}

/// What a Teams action of the own employee needs.
struct TeamsContext {
    settings: SystemSettings,
    /// The user's language (the setting's, else the OS's), for what the app writes (F4).
    language: Language,
    /// Whether Teams can be used by the own employee (C7).
    available: bool,
    me: i64,
    /// The cloud of the own employee's mailbox, whose Teams the links open.
    cloud: Cloud,
}

fn teams_context(s: &mut dyn Shared, os_language: Language) -> Result<TeamsContext, CallError> {
    let settings = s.system_settings()?;
    let me = settings.current_employee_id.unwrap_or_default();
    let mc = s.mail_configuration_of_employee(me)?;
    let available = teams_available(&settings, mc.as_ref());
    let cloud = mc.map(|m| m.cloud).unwrap_or(Cloud::Global);
    Ok(TeamsContext {
        language: settings.language.unwrap_or(os_language),
        settings,
        available,
        me,
        cloud,
    })
}

/// The own employee's Teams context, read from the workspace's shared data.
fn context_of(workspace: &Workspace, os_language: Language) -> Result<TeamsContext, CallError> {
    read(workspace.shared(), |s| teams_context(s, os_language))
}

/// The Teams users of employees as this desktop's own sign-ins know them. Read before, never
/// inside, a read of the shared data: in a local workspace both are the same file.
fn graph_upns(workspace: &Workspace) -> Result<GraphUpns, CallError> {
    Ok(workspace.store().with(|c| sign_ins::graph_upns(c))?)
}

/// Which Teams buttons show for a record kind at a place (decided here, once, for every place).
pub fn buttons_for(
    workspace: &Workspace,
    kind: RecordKind,
    place: TeamsPlace,
    os_language: Language,
) -> Result<TeamsButtons, CallError> {
    let t = context_of(workspace, os_language)?;
    Ok(teams_buttons(kind, place, &t.settings, t.available))
}

/// E3: the numbers and addresses record `kind` `id` can be called at.
pub fn call_options(
    workspace: &Workspace,
    kind: RecordKind,
    id: i64,
) -> Result<Vec<CallOption>, CallError> {
    let upns = graph_upns(workspace)?;
    read(workspace.shared(), |s| {
        calls::call_options(s, &upns, kind, id)
    })
}

/// Hands `url` to the OS through `open`.
fn launch(open: Open<'_>, url: &Url) -> Result<(), CallError> {
    open(url.as_str()).map_err(CallError::LaunchFailed)
}

/// Hands the link to the OS, then records the call or chat on the record, in the user's language.
fn launch_and_record(
    workspace: &Workspace,
    upns: &GraphUpns,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    (url, what): (&Url, Started),
    t: &TeamsContext,
    here: Here<'_>,
) -> Result<(), CallError> {
    launch(open, url)?;
    let by = Recorder {
        owner_employee_id: t.me,
        language: t.language,
        time_zone: here.zone,
        now: here.now,
    };
    write(workspace.shared(), |s| {
        calls::record(s, upns, (kind, id), what, by)
    })?;
    tracing::info!(?kind, id, scheme = url.scheme(), "Teams {:?} started", what);
    Ok(())
}

/// E3: calls option `option` of the record through `callto:` or the Teams link (the setting).
pub fn start_call(
    workspace: &Workspace,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    place: TeamsPlace,
    option: usize,
    here: Here<'_>,
) -> Result<(), CallError> {
    let t = context_of(workspace, here.os_language)?;
    if !teams_buttons(kind, place, &t.settings, t.available).call {
        return Err(CallError::NotAvailable);
    }
    let upns = graph_upns(workspace)?;
    let mode = t.settings.call_link_mode;
    let url = read(workspace.shared(), |s| {
        calls::call_link(s, &upns, kind, id, option, mode, t.cloud)
    })?;
    launch_and_record(
        workspace,
        &upns,
        open,
        (kind, id),
        (&url, Started::Call),
        &t,
        here,
    )
}

/// E4: opens a Teams chat with the record's e-mail address; without a valid one, nothing starts.
pub fn start_chat(
    workspace: &Workspace,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    here: Here<'_>,
) -> Result<(), CallError> {
    let t = context_of(workspace, here.os_language)?;
    if !teams_buttons(kind, TeamsPlace::Record, &t.settings, t.available).chat {
        return Err(CallError::NotAvailable);
    }
    let upns = graph_upns(workspace)?;
    let url = read(workspace.shared(), |s| {
        calls::chat_link(s, &upns, kind, id, t.cloud)
    })?;
    launch_and_record(
        workspace,
        &upns,
        open,
        (kind, id),
        (&url, Started::Chat),
        &t,
        here,
    )
}

/// The seed's "am E-Mail-Feld": which e-mail fields of record `kind` `id` offer a Teams call.
pub fn email_calls(
    workspace: &Workspace,
    kind: RecordKind,
    id: i64,
    os_language: Language,
) -> Result<EmailCalls, CallError> {
    let t = context_of(workspace, os_language)?;
    let allowed = teams_buttons(kind, TeamsPlace::EmailField, &t.settings, t.available).call;
    read(workspace.shared(), |s| {
        calls::email_calls(s, kind, id, allowed)
    })
}

/// The seed's "am E-Mail-Feld": calls the address in the e-mail field of record `kind` `id` (a
/// communication entry's value), through `callto:` or the Teams link (the setting).
pub fn start_email_call(
    workspace: &Workspace,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    here: Here<'_>,
) -> Result<(), CallError> {
    let t = context_of(workspace, here.os_language)?;
    let upns = graph_upns(workspace)?;
    let url = read(workspace.shared(), |s| {
        let owner = calls::email_field_owner(s, kind, id)?;
        if !teams_buttons(owner, TeamsPlace::EmailField, &t.settings, t.available).call {
            return Err(CallError::NotAvailable);
        }
        calls::email_call_link(s, &upns, kind, id, t.settings.call_link_mode, t.cloud)
    })?;
    launch_and_record(
        workspace,
        &upns,
        open,
        (kind, id),
        (&url, Started::Call),
        &t,
        here,
    )
}

/// E1 and the seed's "Schalter in der Toolbar": what the main toolbar's Teams icon does while
/// record `open` is open (none: no record is), or `None` where the icon is hidden (C7).
pub fn toolbar_action(
    workspace: &Workspace,
    open: Option<(RecordKind, i64)>,
    os_language: Language,
) -> Result<Option<ToolbarTeams>, CallError> {
    let t = context_of(workspace, os_language)?;
    if !t.available {
        return Ok(None);
    }
    let upns = graph_upns(workspace)?;
    read(workspace.shared(), |s| {
        calls::toolbar_action(s, &upns, open, &t.settings, t.available).map(Some)
    })
}

/// E1: the Teams icon of the main toolbar opens the Teams of the own mailbox's cloud (the desktop
/// client takes the link over).
pub fn open_teams(
    workspace: &Workspace,
    open: Open<'_>,
    os_language: Language,
) -> Result<(), CallError> {
    let t = context_of(workspace, os_language)?;
    if !t.available {
        return Err(CallError::NotAvailable);
    }
    launch(open, &teams_home(t.cloud))
}

/// D3: the join link of sent meeting `id`, or `None` where it has none of its mailbox's Teams;
/// refused where Teams is not available to its owner (whose mailbox sent it, C7).
pub fn join_link_of(workspace: &Workspace, id: i64) -> Result<Option<Url>, CallError> {
    read(workspace.shared(), |s| {
        let owner = s.activity(id)?.owner.id;
        let ctx = context_in(s, owner)?;
        check_kind_available(ActivityKind::TeamsMeeting, ctx.teams_available)
            .map_err(CrmError::NotAllowed)?;
        Ok(join_link(s, id)?)
    })
}

/// E3: how calls go out: through `callto:` or as Teams call links; answers the settings.
pub fn set_call_link_mode(
    workspace: &Workspace,
    mode: CallLinkMode,
) -> Result<SystemSettings, CallError> {
    write(workspace.shared(), |s| {
        s.set_call_link_mode(mode)?;
        Ok(s.system_settings()?)
    })
}

/// E3: sets the workspace's country, the default region of phone numbers; answers the settings.
pub fn set_country(workspace: &Workspace, country: &str) -> Result<SystemSettings, CallError> {
    write(workspace.shared(), |s| {
        if !s.set_country(country)? {
            return Err(CallError::InvalidCountry);
        }
        Ok(s.system_settings()?)
    })
}

/// E3: what opens `callto:` on this machine (`ask` puts the question to xdg-mime on Linux), and
/// whether the settings offer the Teams call link because nothing does.
pub fn callto_check(
    workspace: &Workspace,
    ask: impl FnOnce() -> XdgMimeAnswer,
) -> Result<CalltoCheck, CallError> {
    let settings = read(workspace.shared(), |s| s.system_settings())?;
    let handler = callto_handler::callto_handler(cfg!(target_os = "linux"), ask);
    Ok(callto_handler::check(handler, &settings))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::crm::mail_configuration::{tests::input, validate};
    use crate::crm::model::ContactFields;
    use crate::crm::settings::SystemSetting;
    use crate::services::records::ensure_own_employee;
    use crate::store::{activities, contacts, employees, mail_configurations, settings, Db};

    /// The own employee and a contact with an address and a number; Teams (and calls to people
    /// outside) on or off.
    fn workspace(teams: bool) -> (Workspace, i64) {
        let db = Workspace::new(std::sync::Arc::new(Db::open_in_memory().unwrap()));
        db.store()
            .transaction(|tx| ensure_own_employee(tx, "me"))
            .unwrap();
        let contact = db
            .store()
            .with(|c| {
                settings::set_flag(c, SystemSetting::TeamsIntegrationEnabled, teams)?;
                settings::set_flag(c, SystemSetting::ExternalCallsEnabled, teams)?;
                let mc = mail_configurations::insert(c, &validate(&input()).unwrap(), 0)?;
                employees::assign_mail_configuration_to_all(c, mc)?;
                contacts::insert(
                    c,
                    &ContactFields {
                        first_name: "Lena".into(),
                        last_name: "Vogel".into(),
                        email: Some("lena.vogel@contoso.com".into()),
                        phone: Some("+49 30 1234567".into()),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        (db, contact)
    }

    fn here() -> Here<'static> {
        Here {
            zone: "Europe/Berlin",
            os_language: Language::De,
            now: "2026-12-01T09:00:00Z".parse().unwrap(),
        }
    }

    fn history(db: &Workspace, contact: i64) -> Vec<String> {
        db.store()
            .with(|c| activities::history_of_record(c, RecordKind::Contact, contact, 50))
            .unwrap()
            .into_iter()
            .map(|h| h.target.label)
            .collect()
    }

    /// E4: a chat opens the Teams chat link of the contact's address and is recorded in the
    /// contact's history, in the user's language; without Teams nothing opens and nothing is
    /// recorded.
    #[test]
    fn a_chat_opens_teams_and_is_recorded_only_where_teams_is_available() {
        let (db, contact) = workspace(true);
        let opened = RefCell::new(Vec::<String>::new());
        let open = |uri: &str| {
            opened.borrow_mut().push(uri.to_string());
            Ok(())
        };
        start_chat(&db, &open, (RecordKind::Contact, contact), here()).unwrap();
        assert_eq!(
            *opened.borrow(),
            ["https://teams.microsoft.com/l/chat/0/0?users=lena.vogel@contoso.com"]
        );
        let subjects = history(&db, contact);
        assert_eq!(subjects.len(), 1);
        assert!(subjects[0].starts_with("MS Teams Chat"), "{subjects:?}");

        let (db, contact) = workspace(false);
        opened.borrow_mut().clear();
        assert!(matches!(
            start_chat(&db, &open, (RecordKind::Contact, contact), here()),
            Err(CallError::NotAvailable)
        ));
        assert!(opened.borrow().is_empty(), "nothing handed to the OS");
        assert!(history(&db, contact).is_empty(), "nothing recorded");
    }

    /// An opener that fails records nothing: the call did not start.
    #[test]
    fn a_refused_launch_records_nothing() {
        let (db, contact) = workspace(true);
        let open = |_: &str| Err("no opener".to_string());
        match start_call(
            &db,
            &open,
            (RecordKind::Contact, contact),
            TeamsPlace::Record,
            0,
            here(),
        ) {
            Err(e @ CallError::LaunchFailed(_)) => {
                assert_eq!(e.code(), crate::crm::ErrorCode::LaunchFailed);
                assert_eq!(e.to_string(), "no opener");
            }
            other => panic!("{other:?}"),
        }
        assert!(history(&db, contact).is_empty());
    }

    /// E3: a country without a numbering region is refused and the settings stay.
    #[test]
    fn an_unknown_country_is_refused_and_changes_nothing() {
        let (db, _) = workspace(true);
        let before = db.store().with(|c| settings::load(c)).unwrap().country;
        assert_eq!(set_country(&db, "AT").unwrap().country, "AT");
        assert!(matches!(
            set_country(&db, "XX"),
            Err(CallError::InvalidCountry)
        ));
        assert_eq!(
            db.store().with(|c| settings::load(c)).unwrap().country,
            "AT"
        );
        assert_ne!(before, "XX");
    }

    /// E3, E4 on a team workspace: a contact that exists only in the team database offers its
    /// numbers, a call and a chat started from it are recorded in the team database (in its
    /// history there, nothing in this desktop's file), and an employee is called by the Teams
    /// user this desktop's own sign-in knows, which stays in the local file.
    #[test]
    fn calls_and_chats_on_a_team_database_reach_its_records_and_are_recorded_there() {
        use crate::crm::model::EmployeeFields;
        use crate::crm::sign_in::{Account, SignInOwner, TokenSet};
        use crate::store::postgres::{schema, test_server, PgEngine};
        use crate::store::sign_ins;
        use std::sync::Arc;

        let team = test_server::shared().fresh_database();
        schema::migrate(&mut team.superuser()).unwrap();
        let desktop = |login: &str, role: &str| {
            Workspace::team(
                Arc::new(Db::open_in_memory().unwrap()),
                Arc::new(PgEngine::new(team.login(login, role))),
            )
        };
        let salesperson = format!("vertrieb_{}", team.name);
        let admin = desktop(&format!("admin_{}", team.name), "treffpunkt_admins");
        let (anna, lena) = write(admin.shared(), |s| {
            s.set_flag(SystemSetting::TeamsIntegrationEnabled, true)?;
            s.set_flag(SystemSetting::ExternalCallsEnabled, true)?;
            let mc = s.insert_mail_configuration(&validate(&input()).unwrap(), 0)?;
            let anna = s.insert_employee(&EmployeeFields {
                first_name: "Anna".into(),
                last_name: "Berg".into(),
                email: Some("anna.berg@contoso.com".into()),
                color: "#000000".into(),
                ..Default::default()
            })?;
            s.assign_mail_configuration_to_all(mc)?;
            let lena = s.insert_contact(&ContactFields {
                first_name: "Lena".into(),
                last_name: "Vogel".into(),
                email: Some("lena.vogel@contoso.com".into()),
                phone: Some("+49 30 1234567".into()),
                ..Default::default()
            })?;
            Ok::<_, crate::store::StoreError>((anna, lena))
        })
        .unwrap();
        team.superuser()
            .execute(
                "UPDATE employees SET database_login = $2 WHERE id = $1",
                &[&anna, &salesperson],
            )
            .unwrap();
        let ws = desktop(&salesperson, "treffpunkt_users");

        let options = call_options(&ws, RecordKind::Contact, lena).unwrap();
        assert_eq!(
            options.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(),
            ["+49 30 1234567", "lena.vogel@contoso.com"]
        );
        let opened = RefCell::new(Vec::<String>::new());
        let open = |uri: &str| {
            opened.borrow_mut().push(uri.to_string());
            Ok(())
        };
        let contact = (RecordKind::Contact, lena);
        start_call(&ws, &open, contact, TeamsPlace::Record, 0, here()).unwrap();
        start_chat(&ws, &open, contact, here()).unwrap();
        assert_eq!(
            *opened.borrow(),
            [
                "callto:+49301234567",
                "https://teams.microsoft.com/l/chat/0/0?users=lena.vogel@contoso.com"
            ]
        );
        let recorded = read(admin.shared(), |s| {
            s.history_of_record(RecordKind::Contact, lena, 10)
        })
        .unwrap();
        let mut subjects: Vec<_> = recorded.iter().map(|h| h.target.label.as_str()).collect();
        subjects.sort();
        assert_eq!(
            subjects,
            ["MS Teams Anruf: Lena Vogel", "MS Teams Chat: Lena Vogel"],
            "in the team database, seen from another desktop"
        );
        let call = read(ws.shared(), |s| s.activity(recorded[0].target.id)).unwrap();
        assert_eq!(call.owner.id, anna, "the login's employee's");
        let local_activities = ws
            .store()
            .with(|c| {
                c.query_row("SELECT COUNT(*) FROM activities", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap();
        assert_eq!(local_activities, 0, "nothing in this desktop's file");

        // The own sign-in, on this desktop only, names Anna's Teams user; another desktop does
        // not know it and calls her mail address.
        let own = SignInOwner::Employee(anna);
        ws.store()
            .with(|c| {
                let account = Account {
                    user_principal_name: "anna.berg@contoso.com".into(),
                    display_name: "Anna".into(),
                    tenant_id: "t".into(),
                };
                let tokens = TokenSet {
                    access_token: "a".into(),
                    refresh_token: None,
                    expires_at: chrono::DateTime::from_timestamp(2_000_000_000, 0).unwrap(),
                };
                sign_ins::save(c, own, &account, &tokens, 0)?;
                sign_ins::set_graph_upn(c, own, "aberg@contoso.onmicrosoft.com")
            })
            .unwrap();
        let teams_user = |ws: &Workspace| {
            call_options(ws, RecordKind::Employee, anna)
                .unwrap()
                .into_iter()
                .map(|o| o.value)
                .collect::<Vec<_>>()
        };
        assert_eq!(teams_user(&ws), ["aberg@contoso.onmicrosoft.com"]);
        assert_eq!(teams_user(&admin), ["anna.berg@contoso.com"]);
    }
}
