//! The own employee's Teams actions as use cases (E1-E5, D3): each reads what decides it (the
//! settings, the own mailbox's cloud, C7's availability), decides with the rules, hands the link
//! to the OS through the caller's opener, and records the call or chat in the history.

use crate::services::Workspace;
use chrono::{DateTime, Utc};
use url::Url;

use super::calls::{self, CallError, CallOption, EmailCalls, Started, ToolbarTeams};
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
use crate::store::Db;

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
    let db = workspace.store();
    db.with(|c| calls::call_options(c, kind, id))
}

/// Hands `url` to the OS through `open`.
fn launch(open: Open<'_>, url: &Url) -> Result<(), CallError> {
    open(url.as_str()).map_err(CallError::LaunchFailed)
}

/// Hands the link to the OS, then records the call or chat on the record, in the user's language.
fn launch_and_record(
    db: &Db,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    url: &Url,
    what: Started,
    t: &TeamsContext,
    here: Here<'_>,
) -> Result<(), CallError> {
    launch(open, url)?;
    db.transaction(|c| calls::record(c, (kind, id), what, t.language, t.me, here.zone, here.now))?;
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
    let db = workspace.store();
    let t = context_of(workspace, here.os_language)?;
    if !teams_buttons(kind, place, &t.settings, t.available).call {
        return Err(CallError::NotAvailable);
    }
    let url =
        db.with(|c| calls::call_link(c, kind, id, option, t.settings.call_link_mode, t.cloud))?;
    launch_and_record(db, open, (kind, id), &url, Started::Call, &t, here)
}

/// E4: opens a Teams chat with the record's e-mail address; without a valid one, nothing starts.
pub fn start_chat(
    workspace: &Workspace,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    here: Here<'_>,
) -> Result<(), CallError> {
    let db = workspace.store();
    let t = context_of(workspace, here.os_language)?;
    if !teams_buttons(kind, TeamsPlace::Record, &t.settings, t.available).chat {
        return Err(CallError::NotAvailable);
    }
    let url = db.with(|c| calls::chat_link(c, kind, id, t.cloud))?;
    launch_and_record(db, open, (kind, id), &url, Started::Chat, &t, here)
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
    workspace
        .store()
        .with(|c| calls::email_calls(c, kind, id, allowed))
}

/// The seed's "am E-Mail-Feld": calls the address in the e-mail field of record `kind` `id` (a
/// communication entry's value), through `callto:` or the Teams link (the setting).
pub fn start_email_call(
    workspace: &Workspace,
    open: Open<'_>,
    (kind, id): (RecordKind, i64),
    here: Here<'_>,
) -> Result<(), CallError> {
    let db = workspace.store();
    let t = context_of(workspace, here.os_language)?;
    let url = db.with(|c| {
        let owner = calls::email_field_owner(c, kind, id)?;
        if !teams_buttons(owner, TeamsPlace::EmailField, &t.settings, t.available).call {
            return Err(CallError::NotAvailable);
        }
        calls::email_call_link(c, kind, id, t.settings.call_link_mode, t.cloud)
    })?;
    launch_and_record(db, open, (kind, id), &url, Started::Call, &t, here)
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
    workspace
        .store()
        .with(|c| calls::toolbar_action(c, open, &t.settings, t.available).map(Some))
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
}
