//! Starting a call or a chat from a record (E3, E4): the numbers and addresses to pick from, the
//! link, and the activity that records it in the history. The records, settings and mail
//! configurations are read, and the activity recorded, through the store interface, so in a team
//! workspace they are the team database's; only what this desktop's own sign-ins know of an
//! employee's Teams user ([`GraphUpns`]) comes from the local file.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;
use url::Url;

use super::links::{address, callto, phone_target, teams_call, teams_chat, CallTarget, LinkError};
use crate::crm::activity::{ActivityInput, ActivityKind, ActivityStatus, ParticipantRef};
use crate::crm::mail_configuration::Cloud;
use crate::crm::model::{Channel, Employee, RecordKind};
use crate::crm::rules::toolbar_call_target;
use crate::crm::settings::{CallLinkMode, Language, SystemSettings};
use crate::crm::ErrorCode;
use crate::services::CrmError;
use crate::store::interface::Shared;
use crate::store::StoreError;

/// The user principal names Microsoft Graph answered for employees' own sign-ins on this desktop,
/// by employee id (`store::sign_ins::graph_upns`). Sign-ins are each desktop's own, so these are
/// read from the local store before the shared data.
pub type GraphUpns = HashMap<i64, String>;

/// One number or address a call can go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CallOption {
    pub channel: Channel,
    pub value: String,
    pub label: Option<String>,
}

/// What a record offers for calls and chats.
struct Reachable {
    name: String,
    /// Whom a chat goes to: an employee's user principal name, anyone else's e-mail address.
    email: Option<String>,
    options: Vec<CallOption>,
    /// The region national numbers are read in: the business partner's country.
    region: String,
    /// Who the recorded activity concerns.
    contact_id: Option<i64>,
    business_partner_id: Option<i64>,
    person_id: Option<i64>,
    employee_id: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("this record offers no such number or address")]
    NoSuchOption,
    /// A call from an e-mail field that holds no address.
    #[error("no e-mail address to call")]
    NoCallAddress,
    /// A call to a record with neither a number nor an address: nothing to pick from.
    #[error("the record has no number or address to call")]
    NothingToCall,
    #[error("calls and chats are not available here")]
    NotAvailable,
    /// The OS's opener refused the link; its own words.
    #[error("{0}")]
    LaunchFailed(String),
    #[error("no phone numbering region has this code")]
    InvalidCountry,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The recorded activity did not pass the activities' checks.
    #[error(transparent)]
    Activity(#[from] CrmError),
}

impl CallError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CallError::Link(e) => e.code(),
            CallError::NoSuchOption => ErrorCode::NoSuchOption,
            CallError::NoCallAddress => ErrorCode::NoCallAddress,
            CallError::NothingToCall => ErrorCode::NothingToCall,
            CallError::NotAvailable => ErrorCode::TeamsNotAvailable,
            CallError::LaunchFailed(_) => ErrorCode::LaunchFailed,
            CallError::InvalidCountry => ErrorCode::InvalidCountry,
            CallError::Store(_) => ErrorCode::Database,
            CallError::Activity(CrmError::Invalid(_)) => ErrorCode::Validation,
            CallError::Activity(CrmError::NotAllowed(code)) => *code,
            CallError::Activity(CrmError::Store(_)) => ErrorCode::Database,
            CallError::Activity(CrmError::TeamDatabase(e)) => e.code(),
        }
    }
}

fn option(channel: Channel, value: Option<String>, label: Option<&str>) -> Option<CallOption> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|value| CallOption {
            channel,
            value,
            label: label.map(str::to_string),
        })
}

/// The cloud whose Teams employee `employee_id` uses: that of the employee's mail configuration
/// (worldwide without one).
pub fn cloud_of_employee(s: &mut dyn Shared, employee_id: i64) -> Result<Cloud, StoreError> {
    Ok(s.mail_configuration_of_employee(employee_id)?
        .map(|m| m.cloud)
        .unwrap_or(Cloud::Global))
}

/// The user principal name Teams knows an employee by (Teams' deep links take UPNs, which may
/// differ from the mail address): the one entered on the employee, else the one Microsoft Graph
/// answered for the employee's own sign-in, else the mail address.
fn teams_user(upns: &GraphUpns, e: &Employee) -> Option<String> {
    let entered = e
        .fields
        .user_principal_name
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if let Some(upn) = entered {
        return Some(upn.to_string());
    }
    if let Some(upn) = upns.get(&e.id) {
        return Some(upn.clone());
    }
    e.fields.email.clone()
}

fn reachable(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    kind: RecordKind,
    id: i64,
) -> Result<Reachable, CallError> {
    let name = |f: &str, l: &str| format!("{f} {l}").trim().to_string();
    let mut r = match kind {
        RecordKind::Employee => {
            let e = s.employee(id)?;
            let upn = teams_user(upns, &e);
            Reachable {
                name: name(&e.fields.first_name, &e.fields.last_name),
                options: [
                    option(Channel::Phone, e.fields.phone.clone(), None),
                    option(Channel::Mobile, e.fields.mobile.clone(), None),
                    option(Channel::Email, upn.clone(), None),
                ]
                .into_iter()
                .flatten()
                .collect(),
                email: upn,
                region: s.system_settings()?.country,
                contact_id: None,
                business_partner_id: None,
                person_id: None,
                employee_id: Some(id),
            }
        }
        RecordKind::Contact => {
            let c = s.contact(id)?;
            let region = match c.fields.business_partner_id {
                Some(b) => s.business_partner(b)?.fields.country,
                None => s.system_settings()?.country,
            };
            Reachable {
                name: name(&c.fields.first_name, &c.fields.last_name),
                options: [
                    option(Channel::Phone, c.fields.phone.clone(), None),
                    option(Channel::Mobile, c.fields.mobile.clone(), None),
                    option(Channel::Email, c.fields.email.clone(), None),
                ]
                .into_iter()
                .flatten()
                .collect(),
                email: c.fields.email,
                region,
                contact_id: Some(id),
                business_partner_id: c.fields.business_partner_id,
                person_id: None,
                employee_id: None,
            }
        }
        RecordKind::BusinessPartner => {
            let b = s.business_partner(id)?;
            Reachable {
                name: b.fields.name.clone(),
                options: [
                    option(Channel::Phone, b.fields.phone.clone(), None),
                    option(Channel::Email, b.fields.email.clone(), None),
                ]
                .into_iter()
                .flatten()
                .collect(),
                email: b.fields.email,
                region: b.fields.country,
                contact_id: None,
                business_partner_id: Some(id),
                person_id: None,
                employee_id: None,
            }
        }
        RecordKind::Person => {
            let p = s.person(id)?;
            Reachable {
                name: name(&p.fields.first_name, &p.fields.last_name),
                options: [
                    option(Channel::Phone, p.fields.phone.clone(), None),
                    option(Channel::Email, p.fields.email.clone(), None),
                ]
                .into_iter()
                .flatten()
                .collect(),
                email: p.fields.email,
                region: s.system_settings()?.country,
                contact_id: None,
                business_partner_id: None,
                person_id: Some(id),
                employee_id: None,
            }
        }
        RecordKind::Communication => {
            let k = s.communication(id)?;
            let mut owner = reachable(s, upns, k.fields.owner_kind, k.fields.owner_id)?;
            owner.email = (k.fields.channel == Channel::Email).then(|| k.fields.value.clone());
            owner.options = vec![CallOption {
                channel: k.fields.channel,
                value: k.fields.value,
                label: k.fields.label,
            }];
            return Ok(owner);
        }
        RecordKind::Activity | RecordKind::MailConfiguration => {
            return Err(CallError::NotAvailable)
        }
    };
    if !matches!(kind, RecordKind::Communication) {
        for k in s.communications_of(kind, id)? {
            if k.fields.channel != Channel::Fax {
                r.options.push(CallOption {
                    channel: k.fields.channel,
                    value: k.fields.value,
                    label: k.fields.label,
                });
            }
        }
    }
    Ok(r)
}

/// E3: the numbers and addresses of a record, for the user to pick from.
pub fn call_options(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    kind: RecordKind,
    id: i64,
) -> Result<Vec<CallOption>, CallError> {
    let options = reachable(s, upns, kind, id)?.options;
    if options.is_empty() {
        // Said here rather than as an empty pick list, in which the call would silently vanish.
        return Err(CallError::NothingToCall);
    }
    Ok(options)
}

/// E3: the link of a call to option `index` of the record, as `mode` says, on `cloud`'s Teams.
pub fn call_link(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    kind: RecordKind,
    id: i64,
    index: usize,
    mode: CallLinkMode,
    cloud: Cloud,
) -> Result<Url, CallError> {
    let r = reachable(s, upns, kind, id)?;
    let choice = r.options.get(index).ok_or(CallError::NoSuchOption)?;
    let target = match choice.channel {
        Channel::Email => CallTarget::User(address(Some(&choice.value))?),
        _ => phone_target(&choice.value, &r.region)?,
    };
    Ok(match mode {
        CallLinkMode::Callto => callto(&target),
        CallLinkMode::TeamsLink => teams_call(cloud, &target),
    })
}

/// The seed's "am E-Mail-Feld": the link of a call to the address in the record's e-mail field
/// (Teams' user principal name of an employee), or in an e-mail communication entry, as `mode`
/// says, on `cloud`'s Teams.
pub fn email_call_link(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    kind: RecordKind,
    id: i64,
    mode: CallLinkMode,
    cloud: Cloud,
) -> Result<Url, CallError> {
    let r = reachable(s, upns, kind, id)?;
    let target = CallTarget::User(address(r.email.as_deref()).map_err(|e| match e {
        LinkError::NoAddress => CallError::NoCallAddress,
        e => e.into(),
    })?);
    Ok(match mode {
        CallLinkMode::Callto => callto(&target),
        CallLinkMode::TeamsLink => teams_call(cloud, &target),
    })
}

/// The kind of record whose rules decide a call from the e-mail field of record `kind` `id`:
/// the record's own, a communication entry's owner's.
pub fn email_field_owner(
    s: &mut dyn Shared,
    kind: RecordKind,
    id: i64,
) -> Result<RecordKind, CallError> {
    Ok(match kind {
        RecordKind::Communication => s.communication(id)?.fields.owner_kind,
        _ => kind,
    })
}

/// Which e-mail fields of a record offer a Teams call (the seed's "am E-Mail-Feld").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EmailCalls {
    /// The record's own e-mail field.
    pub field: bool,
    /// Its e-mail communication entries, by id.
    #[ts(type = "number[]")]
    pub communications: Vec<i64>,
}

/// The e-mail fields of record `kind` `id` that offer a call, where `allowed` (the rules' answer
/// for the record's kind at an e-mail field): its own and those of its e-mail entries.
pub fn email_calls(
    s: &mut dyn Shared,
    kind: RecordKind,
    id: i64,
    allowed: bool,
) -> Result<EmailCalls, CallError> {
    if !allowed {
        return Ok(EmailCalls {
            field: false,
            communications: Vec::new(),
        });
    }
    Ok(EmailCalls {
        field: true,
        communications: s
            .communications_of(kind, id)?
            .into_iter()
            .filter(|k| k.fields.channel == Channel::Email)
            .map(|k| k.id)
            .collect(),
    })
}

/// What the main toolbar's Teams icon does while a record is open (E1, the seed's "Schalter in
/// der Toolbar").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ToolbarTeams {
    /// Opens Teams: no record is open, or none on screen can be called.
    OpenTeams,
    /// A call to this record (`start_call` at the toolbar), to one of its numbers or addresses.
    Call {
        kind: RecordKind,
        #[ts(type = "number")]
        id: i64,
        name: String,
        options: Vec<CallOption>,
    },
}

/// The toolbar icon's action while `open` is on screen (`None`: nothing is): a call to whom
/// [`toolbar_call_target`] names, where that one has a number or address; otherwise Teams opens.
/// A record that is gone (deleted meanwhile) calls no one.
pub fn toolbar_action(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    open: Option<(RecordKind, i64)>,
    settings: &SystemSettings,
    teams_available: bool,
) -> Result<ToolbarTeams, CallError> {
    let Some(open) = open else {
        return Ok(ToolbarTeams::OpenTeams);
    };
    let activity = match open.0 {
        RecordKind::Activity => match s.activity(open.1) {
            Ok(a) => Some(a),
            Err(StoreError::NotFound { .. }) => return Ok(ToolbarTeams::OpenTeams),
            Err(e) => return Err(e.into()),
        },
        _ => None,
    };
    let Some((kind, id)) = toolbar_call_target(open, activity.as_ref(), settings, teams_available)
    else {
        return Ok(ToolbarTeams::OpenTeams);
    };
    let r = match reachable(s, upns, kind, id) {
        Ok(r) => r,
        Err(CallError::Store(StoreError::NotFound { .. })) => return Ok(ToolbarTeams::OpenTeams),
        Err(e) => return Err(e),
    };
    if r.options.is_empty() {
        return Ok(ToolbarTeams::OpenTeams);
    }
    Ok(ToolbarTeams::Call {
        kind,
        id,
        name: r.name,
        options: r.options,
    })
}

/// E4: the chat link with the record's e-mail address (an employee's UPN), on `cloud`'s Teams.
pub fn chat_link(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    kind: RecordKind,
    id: i64,
    cloud: Cloud,
) -> Result<Url, CallError> {
    let r = reachable(s, upns, kind, id)?;
    Ok(teams_chat(cloud, r.email.as_deref())?)
}

/// What was started through Teams, as the activity that records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Started {
    Call,
    Chat,
}

impl Started {
    /// A call is recorded as a call, a chat as a note.
    pub fn kind(self) -> ActivityKind {
        match self {
            Started::Call => ActivityKind::Call,
            Started::Chat => ActivityKind::Note,
        }
    }

    /// The start of the recorded activity's subject, in the user's language (the UI's words for
    /// the buttons, "MS Teams Anruf" and "MS Teams Chat").
    pub fn subject_prefix(self, language: Language) -> &'static str {
        match (self, language) {
            (Started::Call, Language::De) => "MS Teams Anruf",
            (Started::Call, Language::En) => "MS Teams call",
            (Started::Chat, Language::De) => "MS Teams Chat",
            (Started::Chat, Language::En) => "MS Teams chat",
        }
    }
}

/// Who records a started call or chat, and where and when.
#[derive(Debug, Clone, Copy)]
pub struct Recorder<'a> {
    /// The own employee, whose activity it is.
    pub owner_employee_id: i64,
    /// The user's language, that of the subject.
    pub language: Language,
    /// The user's zone (IANA name).
    pub time_zone: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Records a started call (kind call) or chat (kind note) on the record, so its history shows it;
/// its subject is in the user's language.
pub fn record(
    s: &mut dyn Shared,
    upns: &GraphUpns,
    (kind, id): (RecordKind, i64),
    what: Started,
    by: Recorder<'_>,
) -> Result<i64, CallError> {
    let Recorder {
        owner_employee_id,
        language,
        time_zone,
        now,
    } = by;
    let r = reachable(s, upns, kind, id)?;
    let input = ActivityInput {
        kind: what.kind(),
        subject: format!("{}: {}", what.subject_prefix(language), r.name),
        starts_at: now,
        ends_at: now,
        time_zone: time_zone.into(),
        memo: String::new(),
        mail_text: String::new(),
        status: ActivityStatus::Done,
        owner_employee_id,
        business_partner_id: r.business_partner_id,
        contact_id: r.contact_id,
        person_id: r.person_id,
        participants: r
            .employee_id
            .filter(|e| *e != owner_employee_id)
            .map(|id| vec![ParticipantRef::Employee { id }])
            .unwrap_or_default(),
        reminder_minutes: 0,
    };
    // Through the same checks as an activity saved from the form: a recorded call is no less an
    // activity, and the store takes none unchecked.
    Ok(crate::services::activities::insert_checked_in(
        s,
        &input,
        now.timestamp(),
    )?)
}

/// Asks xdg-mime what opens `callto:` (Linux only): the app asks the OS's, tests answer for it.
pub type XdgMime = std::sync::Arc<dyn Fn() -> super::callto_handler::XdgMimeAnswer + Send + Sync>;

/// The OS's xdg-mime.
pub fn os_xdg_mime() -> XdgMime {
    std::sync::Arc::new(super::callto_handler::ask_xdg_mime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::mail_configuration::{tests::input, validate};
    use crate::crm::model::{
        BusinessPartnerFields, CommunicationFields, ContactFields, EmployeeFields,
    };
    use crate::crm::sign_in::{Account, SignInOwner, TokenSet};
    use crate::store::sqlite_shared::on_connection;
    use crate::store::{
        activities, business_partners, communications, contacts, employees, mail_configurations,
        persons, settings, sign_ins, Db,
    };
    use rusqlite::Connection;

    const G: Cloud = Cloud::Global;

    // The use cases on the store interface over a local file, with what its sign-ins know: the
    // tests below set up that file directly, as a local workspace keeps it.
    fn cloud_of_employee(c: &Connection, employee_id: i64) -> Result<Cloud, StoreError> {
        on_connection(c, |s| super::cloud_of_employee(s, employee_id))
    }

    fn call_options(
        c: &Connection,
        kind: RecordKind,
        id: i64,
    ) -> Result<Vec<CallOption>, CallError> {
        let upns = sign_ins::graph_upns(c)?;
        on_connection(c, |s| super::call_options(s, &upns, kind, id))
    }

    fn call_link(
        c: &Connection,
        kind: RecordKind,
        id: i64,
        index: usize,
        mode: CallLinkMode,
        cloud: Cloud,
    ) -> Result<Url, CallError> {
        let upns = sign_ins::graph_upns(c)?;
        on_connection(c, |s| {
            super::call_link(s, &upns, kind, id, index, mode, cloud)
        })
    }

    fn email_call_link(
        c: &Connection,
        kind: RecordKind,
        id: i64,
        mode: CallLinkMode,
        cloud: Cloud,
    ) -> Result<Url, CallError> {
        let upns = sign_ins::graph_upns(c)?;
        on_connection(c, |s| {
            super::email_call_link(s, &upns, kind, id, mode, cloud)
        })
    }

    fn email_field_owner(
        c: &Connection,
        kind: RecordKind,
        id: i64,
    ) -> Result<RecordKind, CallError> {
        on_connection(c, |s| super::email_field_owner(s, kind, id))
    }

    fn email_calls(
        c: &Connection,
        kind: RecordKind,
        id: i64,
        allowed: bool,
    ) -> Result<EmailCalls, CallError> {
        on_connection(c, |s| super::email_calls(s, kind, id, allowed))
    }

    fn toolbar_action(
        c: &Connection,
        open: Option<(RecordKind, i64)>,
        settings: &SystemSettings,
        teams_available: bool,
    ) -> Result<ToolbarTeams, CallError> {
        let upns = sign_ins::graph_upns(c)?;
        on_connection(c, |s| {
            super::toolbar_action(s, &upns, open, settings, teams_available)
        })
    }

    fn chat_link(
        c: &Connection,
        kind: RecordKind,
        id: i64,
        cloud: Cloud,
    ) -> Result<Url, CallError> {
        let upns = sign_ins::graph_upns(c)?;
        on_connection(c, |s| super::chat_link(s, &upns, kind, id, cloud))
    }

    fn record(
        c: &Connection,
        target: (RecordKind, i64),
        what: Started,
        language: Language,
        owner_employee_id: i64,
        time_zone: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64, CallError> {
        let upns = sign_ins::graph_upns(c)?;
        on_connection(c, |s| {
            let by = Recorder {
                owner_employee_id,
                language,
                time_zone,
                now,
            };
            super::record(s, &upns, target, what, by)
        })
    }

    fn employee(
        email: &str,
        upn: Option<&str>,
        mail_configuration_id: Option<i64>,
    ) -> EmployeeFields {
        EmployeeFields {
            first_name: "A".into(),
            last_name: email.into(),
            email: Some(email.into()),
            color: "#000000".into(),
            mail_configuration_id,
            user_principal_name: upn.map(Into::into),
            ..Default::default()
        }
    }

    /// Teams' deep links take user principal names (msteams-platform/concepts/build-and-test/
    /// deep-link-teams.md): an employee whose UPN is not the mail address is reached by it.
    #[test]
    fn an_employee_is_chatted_and_called_by_user_principal_name() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let mut gcc_high = input();
            gcc_high.cloud = Cloud::UsGovGccHigh;
            let mc = mail_configurations::insert(c, &validate(&gcc_high).unwrap(), 0)?;
            // Entered on the record.
            let anna = employees::insert(
                c,
                &employee(
                    "anna.berg@agency.gov",
                    Some(" aberg@agency.onmicrosoft.us "),
                    Some(mc),
                ),
            )?;
            // Known from the employee's own sign-in, where Graph's /me named it.
            let ben = employees::insert(c, &employee("ben.wolf@agency.gov", None, Some(mc)))?;
            let owner = SignInOwner::Employee(ben);
            let account = Account {
                user_principal_name: "ben.wolf@agency.gov".into(),
                display_name: "Ben".into(),
                tenant_id: "t".into(),
            };
            let tokens = TokenSet {
                access_token: "a".into(),
                refresh_token: None,
                expires_at: chrono::DateTime::from_timestamp(2_000_000_000, 0).unwrap(),
            };
            sign_ins::save(c, owner, &account, &tokens, 0)?;
            sign_ins::set_graph_upn(c, owner, "bwolf@agency.onmicrosoft.us")?;
            // Neither: the mail address.
            let cleo = employees::insert(c, &employee("cleo@agency.gov", None, None))?;

            let cloud = cloud_of_employee(c, anna)?;
            assert_eq!(cloud, Cloud::UsGovGccHigh);
            assert_eq!(cloud_of_employee(c, cleo)?, Cloud::Global, "no mailbox");
            let chat = |id| chat_link(c, RecordKind::Employee, id, cloud).map(String::from);
            assert_eq!(
                chat(anna)?,
                "https://gov.teams.microsoft.us/l/chat/0/0?users=aberg@agency.onmicrosoft.us"
            );
            assert_eq!(
                chat(ben)?,
                "https://gov.teams.microsoft.us/l/chat/0/0?users=bwolf@agency.onmicrosoft.us"
            );
            assert_eq!(
                chat(cleo)?,
                "https://gov.teams.microsoft.us/l/chat/0/0?users=cleo@agency.gov"
            );
            // The call offers whom Teams calls, and calls that.
            let options = call_options(c, RecordKind::Employee, anna)?;
            assert_eq!(options.len(), 1, "{options:?}");
            assert_eq!(options[0].value, "aberg@agency.onmicrosoft.us");
            assert_eq!(
                call_link(
                    c,
                    RecordKind::Employee,
                    anna,
                    0,
                    CallLinkMode::TeamsLink,
                    cloud
                )?
                .as_str(),
                "https://gov.teams.microsoft.us/l/call/0/0?users=aberg@agency.onmicrosoft.us"
            );
            assert_eq!(
                call_link(
                    c,
                    RecordKind::Employee,
                    anna,
                    0,
                    CallLinkMode::Callto,
                    cloud
                )?
                .as_str(),
                "callto:aberg@agency.onmicrosoft.us"
            );

            // External contacts keep their address.
            let contact = contacts::insert(
                c,
                &ContactFields {
                    last_name: "Smith".into(),
                    email: Some("oliver@northwind.example".into()),
                    ..Default::default()
                },
            )?;
            assert_eq!(
                chat_link(c, RecordKind::Contact, contact, cloud)?.as_str(),
                "https://gov.teams.microsoft.us/l/chat/0/0?users=oliver@northwind.example"
            );
            Ok::<_, CallError>(())
        })
        .unwrap();
    }

    /// E3: in an Austrian workspace, national numbers of employees, persons and contacts without
    /// a business partner are Austrian; a partner's country still decides for its contacts.
    #[test]
    fn an_austrian_workspace_dials_national_numbers_as_austrian() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            settings::init_country(c, Some("AT"))?;
            let me = employees::insert(
                c,
                &EmployeeFields {
                    phone: Some("01 5124567".into()),
                    ..employee("anna@contoso.example", None, None)
                },
            )?;
            let loose = contacts::insert(
                c,
                &ContactFields {
                    last_name: "Huber".into(),
                    phone: Some("0316 123456".into()),
                    ..Default::default()
                },
            )?;
            let partner = business_partners::insert(
                c,
                &BusinessPartnerFields {
                    name: "Brauerei Vogel".into(),
                    country: "DE".into(),
                    ..Default::default()
                },
            )?;
            let german = contacts::insert(
                c,
                &ContactFields {
                    business_partner_id: Some(partner),
                    last_name: "Vogel".into(),
                    phone: Some("089 1234567".into()),
                    ..Default::default()
                },
            )?;
            let dial = |kind, id| {
                call_link(c, kind, id, 0, CallLinkMode::Callto, G).map(|u| u.to_string())
            };
            assert_eq!(dial(RecordKind::Employee, me)?, "callto:+4315124567");
            assert_eq!(dial(RecordKind::Contact, loose)?, "callto:+43316123456");
            assert_eq!(dial(RecordKind::Contact, german)?, "callto:+49891234567");
            Ok::<_, CallError>(())
        })
        .unwrap();
    }

    /// The seed's "am E-Mail-Feld": the call goes to the address in the e-mail field (an
    /// employee's Teams user), or in an e-mail entry; an empty field or a phone entry calls no one.
    #[test]
    fn an_email_field_calls_its_address() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let anna = employees::insert(
                c,
                &EmployeeFields {
                    phone: Some("089 1234567".into()),
                    ..employee(
                        "anna@contoso.example",
                        Some("anna.b@contoso.onmicrosoft.com"),
                        None,
                    )
                },
            )?;
            let partner = business_partners::insert(
                c,
                &BusinessPartnerFields {
                    name: "Northwind Ltd".into(),
                    country: "GB".into(),
                    phone: Some("020 7946 0958".into()),
                    email: Some("info@northwind.example".into()),
                    ..Default::default()
                },
            )?;
            let silent = contacts::insert(
                c,
                &ContactFields {
                    last_name: "Stumm".into(),
                    phone: Some("089 1234567".into()),
                    ..Default::default()
                },
            )?;
            let entry = |channel, value: &str| CommunicationFields {
                owner_kind: RecordKind::BusinessPartner,
                owner_id: partner,
                channel,
                value: value.into(),
                label: None,
            };
            let sales =
                communications::insert(c, &entry(Channel::Email, "sales@northwind.example"))?;
            let fax = communications::insert(c, &entry(Channel::Fax, "020 7946 0959"))?;
            let link = |kind, id, mode| email_call_link(c, kind, id, mode, G).map(String::from);

            assert_eq!(
                link(RecordKind::Employee, anna, CallLinkMode::Callto)?,
                "callto:anna.b@contoso.onmicrosoft.com"
            );
            assert_eq!(
                link(
                    RecordKind::BusinessPartner,
                    partner,
                    CallLinkMode::TeamsLink
                )?,
                "https://teams.microsoft.com/l/call/0/0?users=info@northwind.example"
            );
            assert_eq!(
                link(RecordKind::Communication, sales, CallLinkMode::Callto)?,
                "callto:sales@northwind.example"
            );
            for (kind, id) in [
                (RecordKind::Contact, silent),
                (RecordKind::Communication, fax),
            ] {
                assert_eq!(
                    link(kind, id, CallLinkMode::Callto).unwrap_err().code(),
                    "no_call_address",
                    "{kind:?}"
                );
            }
            assert_eq!(
                email_field_owner(c, RecordKind::Communication, sales)?,
                RecordKind::BusinessPartner
            );
            assert_eq!(
                email_calls(c, RecordKind::BusinessPartner, partner, true)?,
                EmailCalls {
                    field: true,
                    communications: vec![sales]
                }
            );
            assert_eq!(
                email_calls(c, RecordKind::BusinessPartner, partner, false)?,
                EmailCalls {
                    field: false,
                    communications: vec![]
                }
            );
            Ok::<_, CallError>(())
        })
        .unwrap();
    }

    /// The toolbar icon calls the open record with its numbers and addresses to pick from, an
    /// open activity's contact, and opens Teams where no call can be made.
    #[test]
    fn the_toolbar_icon_calls_the_open_record_or_opens_teams() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let s = SystemSettings {
                teams_integration_enabled: true,
                external_calls_enabled: true,
                ..Default::default()
            };
            let me = employees::insert(c, &employee("me@contoso.example", None, None))?;
            let contact = contacts::insert(
                c,
                &ContactFields {
                    first_name: "Oliver".into(),
                    last_name: "Smith".into(),
                    email: Some("oliver@northwind.example".into()),
                    ..Default::default()
                },
            )?;
            let nobody = persons::insert(
                c,
                &crate::crm::model::PersonFields {
                    last_name: "Ohne".into(),
                    ..Default::default()
                },
            )?;
            let call = activities::insert(
                c,
                &ActivityInput {
                    kind: ActivityKind::Call,
                    subject: "Rückruf".into(),
                    starts_at: chrono::Utc::now(),
                    ends_at: chrono::Utc::now(),
                    time_zone: "Europe/Berlin".into(),
                    memo: String::new(),
                    mail_text: String::new(),
                    status: ActivityStatus::Open,
                    owner_employee_id: me,
                    business_partner_id: None,
                    contact_id: Some(contact),
                    person_id: None,
                    participants: vec![],
                    reminder_minutes: 0,
                },
                "uid-1",
                0,
            )?;
            let action = |open| toolbar_action(c, open, &s, true);
            assert_eq!(action(None)?, ToolbarTeams::OpenTeams);
            let oliver = ToolbarTeams::Call {
                kind: RecordKind::Contact,
                id: contact,
                name: "Oliver Smith".into(),
                options: vec![CallOption {
                    channel: Channel::Email,
                    value: "oliver@northwind.example".into(),
                    label: None,
                }],
            };
            assert_eq!(action(Some((RecordKind::Contact, contact)))?, oliver);
            assert_eq!(action(Some((RecordKind::Activity, call)))?, oliver);
            match action(Some((RecordKind::Employee, me)))? {
                ToolbarTeams::Call { kind, id, .. } => {
                    assert_eq!((kind, id), (RecordKind::Employee, me))
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(
                action(Some((RecordKind::Person, nobody)))?,
                ToolbarTeams::OpenTeams,
                "nothing to call"
            );
            assert_eq!(
                action(Some((RecordKind::Contact, 999)))?,
                ToolbarTeams::OpenTeams,
                "deleted meanwhile"
            );
            assert_eq!(
                action(Some((RecordKind::Activity, 999)))?,
                ToolbarTeams::OpenTeams
            );
            let internal = SystemSettings {
                external_calls_enabled: false,
                ..s
            };
            assert_eq!(
                toolbar_action(c, Some((RecordKind::Contact, contact)), &internal, true)?,
                ToolbarTeams::OpenTeams
            );
            Ok::<_, CallError>(())
        })
        .unwrap();
    }

    #[test]
    fn a_contact_offers_its_numbers_and_calls_and_chats_are_recorded() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let me = employees::insert(
                c,
                &EmployeeFields {
                    first_name: "Anna".into(),
                    last_name: "S".into(),
                    color: "#000000".into(),
                    ..Default::default()
                },
            )?;
            let partner = business_partners::insert(
                c,
                &BusinessPartnerFields {
                    name: "Northwind Ltd".into(),
                    country: "GB".into(),
                    ..Default::default()
                },
            )?;
            let contact = contacts::insert(
                c,
                &ContactFields {
                    business_partner_id: Some(partner),
                    first_name: "Oliver".into(),
                    last_name: "Smith".into(),
                    phone: Some("020 7946 0958".into()),
                    email: Some("oliver@northwind.example".into()),
                    ..Default::default()
                },
            )?;
            communications::insert(
                c,
                &CommunicationFields {
                    owner_kind: RecordKind::Contact,
                    owner_id: contact,
                    channel: Channel::Mobile,
                    value: "07911 123456".into(),
                    label: Some("mobil".into()),
                },
            )?;

            let options = call_options(c, RecordKind::Contact, contact)?;
            assert_eq!(options.len(), 3, "{options:?}");
            let unreachable = contacts::insert(
                c,
                &ContactFields {
                    last_name: "Niemand".into(),
                    ..Default::default()
                },
            )?;
            assert_eq!(
                call_options(c, RecordKind::Contact, unreachable)
                    .unwrap_err()
                    .code(),
                "nothing_to_call"
            );
            // The partner is in Great Britain: national numbers are British.
            assert_eq!(
                call_link(c, RecordKind::Contact, contact, 0, CallLinkMode::Callto, G)?.as_str(),
                "callto:+442079460958"
            );
            assert_eq!(
                call_link(
                    c,
                    RecordKind::Contact,
                    contact,
                    2,
                    CallLinkMode::TeamsLink,
                    G
                )?
                .as_str(),
                "https://teams.microsoft.com/l/call/0/0?users=4:%2B447911123456"
            );
            assert_eq!(
                call_link(
                    c,
                    RecordKind::Contact,
                    contact,
                    1,
                    CallLinkMode::TeamsLink,
                    G
                )?
                .as_str(),
                "https://teams.microsoft.com/l/call/0/0?users=oliver@northwind.example"
            );
            assert!(matches!(
                call_link(c, RecordKind::Contact, contact, 9, CallLinkMode::Callto, G),
                Err(CallError::NoSuchOption)
            ));
            assert_eq!(
                chat_link(c, RecordKind::BusinessPartner, partner, G)
                    .unwrap_err()
                    .code(),
                "no_address"
            );

            let started = |what, language| {
                let id = record(
                    c,
                    (RecordKind::Contact, contact),
                    what,
                    language,
                    me,
                    "Europe/Berlin",
                    chrono::Utc::now(),
                )?;
                Ok::<_, CallError>(activities::get(c, id)?)
            };
            let a = started(Started::Call, Language::De)?;
            assert_eq!(a.kind, ActivityKind::Call);
            assert_eq!(a.subject, "MS Teams Anruf: Oliver Smith");
            assert_eq!(a.contact.unwrap().id, contact);
            assert_eq!(a.business_partner.unwrap().id, partner);
            let history = activities::history_of_record(c, RecordKind::Contact, contact, 10)?;
            assert_eq!(history.len(), 1);
            // In the user's language (F4).
            assert_eq!(
                started(Started::Call, Language::En)?.subject,
                "MS Teams call: Oliver Smith"
            );
            let chat = started(Started::Chat, Language::En)?;
            assert_eq!(chat.kind, ActivityKind::Note);
            assert_eq!(chat.subject, "MS Teams chat: Oliver Smith");
            assert_eq!(
                started(Started::Chat, Language::De)?.subject,
                "MS Teams Chat: Oliver Smith"
            );
            // Recorded through the same checks as an activity saved from the form: a zone no one
            // knows is refused with its field's code, and nothing is recorded.
            let before = activities::history_of_record(c, RecordKind::Contact, contact, 10)?;
            match record(
                c,
                (RecordKind::Contact, contact),
                Started::Call,
                Language::De,
                me,
                "Mars/Olympus",
                chrono::Utc::now(),
            ) {
                Err(CallError::Activity(CrmError::Invalid(e))) => assert_eq!(
                    format!("{}:{}", e.0[0].field, e.0[0].code),
                    "time_zone:invalid_time_zone"
                ),
                other => panic!("an unknown zone was recorded: {other:?}"),
            }
            let after = activities::history_of_record(c, RecordKind::Contact, contact, 10)?;
            assert_eq!(after.len(), before.len());
            Ok::<_, CallError>(())
        })
        .unwrap();
    }
}
