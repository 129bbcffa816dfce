//! The store as the services see it, whichever engine keeps the data: the local workspace's
//! SQLite file or the team's PostgreSQL database. Nothing here names an engine's types, so a
//! use case written against these traits runs unchanged on both.
//!
//! The traits are object-safe (a workspace holds `Box<dyn Engine>`, chosen at start); [`read`]
//! and [`write`] carry a typed result and error through the object-safe calls.

use super::communications::Editor;
use super::{Result, StoreError};
use chrono::{DateTime, Utc};

use crate::crm::activity::{
    Activity, ActivityInput, CalendarEntry, HistoryEvent, HistoryItem, Participant, ParticipantRef,
};
use crate::crm::mail_configuration::{
    MailConfiguration, RegistrationChange, ValidMailConfiguration,
};
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Lookup, Person, PersonFields, RecordKind,
};
use crate::crm::settings::{CallLinkMode, Language, SystemSetting, SystemSettings};

/// An engine: hands out the shared data for a read, or for a write that lands whole or not at all.
pub trait Engine: Send + Sync {
    /// Runs `f` for reading. Use [`read`], which carries a result out.
    fn read(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()>;
    /// Runs `f` in one transaction: committed when `f` succeeds, rolled back when it fails.
    /// Use [`write`], which carries a result out.
    fn write(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()>;
}

/// Everything a team shares: the records, the activities with their calendar, history and sends,
/// and the team's settings and mail configurations.
pub trait Shared: Records + Activities + Settings {}

/// The business partner, contact and person a draft links to, with their labels.
pub type Links = (Option<Lookup>, Option<Lookup>, Option<Lookup>);

/// The records: business partners, contacts, persons, employees and their communication entries.
pub trait Records {
    fn business_partner(&mut self, id: i64) -> Result<BusinessPartner>;
    /// Partners whose name, city or e-mail contains `query`, by name.
    fn search_business_partners(&mut self, query: &str, limit: u32)
        -> Result<Vec<BusinessPartner>>;
    fn insert_business_partner(&mut self, fields: &BusinessPartnerFields) -> Result<i64>;
    /// Saves over partner `id` if it is still at `version`, the one the caller read; else
    /// nothing changes: [`StoreError::Conflict`] (who changed it since, and when) or `NotFound`.
    /// Raises the version by one.
    fn update_business_partner(
        &mut self,
        id: i64,
        version: i64,
        fields: &BusinessPartnerFields,
    ) -> Result<()>;
    /// Its contacts stay, without a partner; its communication entries go with it.
    fn delete_business_partner(&mut self, id: i64) -> Result<()>;

    fn contact(&mut self, id: i64) -> Result<Contact>;
    /// Contacts whose last name starts with `query` first, then those whose name, e-mail or
    /// partner's name contains it (case and umlauts ignored), each by name.
    fn search_contacts(&mut self, query: &str, limit: u32) -> Result<Vec<Contact>>;
    fn contacts_of_business_partner(&mut self, business_partner_id: i64) -> Result<Vec<Contact>>;
    fn insert_contact(&mut self, fields: &ContactFields) -> Result<i64>;
    /// Saves over contact `id` if it is still at `version`, the one the caller read; else
    /// nothing changes: [`StoreError::Conflict`] (who changed it since, and when) or `NotFound`.
    /// Raises the version by one.
    fn update_contact(&mut self, id: i64, version: i64, fields: &ContactFields) -> Result<()>;
    fn delete_contact(&mut self, id: i64) -> Result<()>;

    fn person(&mut self, id: i64) -> Result<Person>;
    /// Persons whose name (either way round), e-mail or city contains `query`, by name.
    fn search_persons(&mut self, query: &str, limit: u32) -> Result<Vec<Person>>;
    fn insert_person(&mut self, fields: &PersonFields) -> Result<i64>;
    /// Saves over person `id` if it is still at `version` (see `update_contact`).
    fn update_person(&mut self, id: i64, version: i64, fields: &PersonFields) -> Result<()>;
    fn delete_person(&mut self, id: i64) -> Result<()>;

    fn employee(&mut self, id: i64) -> Result<Employee>;
    /// Employees whose name (either way round), e-mail or department contains `query`, by name.
    fn search_employees(&mut self, query: &str, limit: u32) -> Result<Vec<Employee>>;
    fn count_employees(&mut self) -> Result<i64>;
    fn insert_employee(&mut self, fields: &EmployeeFields) -> Result<i64>;
    /// Saves over employee `id` if it is still at `version` (see `update_contact`).
    fn update_employee(&mut self, id: i64, version: i64, fields: &EmployeeFields) -> Result<()>;
    /// Refused with `InUse` while activities are the employee's own.
    fn delete_employee(&mut self, id: i64) -> Result<()>;
    /// The employee `id` as the history names who made a change; `None` where there is none.
    fn editor(&mut self, id: Option<i64>) -> Result<Option<Editor>>;

    fn communication(&mut self, id: i64) -> Result<Communication>;
    /// The entries of the record `kind` `id`, by channel.
    fn communications_of(&mut self, kind: RecordKind, id: i64) -> Result<Vec<Communication>>;
    fn insert_communication(&mut self, fields: &CommunicationFields) -> Result<i64>;
    /// Changes channel, value and label if entry `id` is still at `version` (see
    /// `update_contact`); an entry's owner never changes.
    fn update_communication(
        &mut self,
        id: i64,
        version: i64,
        fields: &CommunicationFields,
    ) -> Result<()>;
    fn delete_communication(&mut self, id: i64) -> Result<()>;
    /// Records that entry `id` was created (`old` None) or changed from `old` to `new`, by `by`.
    fn add_communication_history(
        &mut self,
        id: i64,
        by: Option<&Editor>,
        old: Option<&CommunicationFields>,
        new: &CommunicationFields,
        now: i64,
    ) -> Result<()>;
    /// The history of entry `id`, newest first.
    fn communication_history(&mut self, id: i64, limit: u32) -> Result<Vec<HistoryItem>>;
}

/// Activities with their participants, history, calendar and sends.
pub trait Activities {
    /// The activity with its participants.
    fn activity(&mut self, id: i64) -> Result<Activity>;
    /// Inserts it with its participants and a "created" history line.
    fn insert_activity(&mut self, input: &ActivityInput, uid: &str, now: i64) -> Result<i64>;
    /// Writes the edited fields and replaces the participants, if the activity is still at
    /// `version` (the one the caller read); else nothing changes: [`StoreError::Conflict`] or
    /// `NotFound`. Raises the version by one.
    fn update_activity(
        &mut self,
        id: i64,
        version: i64,
        input: &ActivityInput,
        now: i64,
    ) -> Result<()>;
    fn delete_activity(&mut self, id: i64) -> Result<()>;
    /// Activities whose subject, contact or partner contains `query`, newest first, without
    /// their participants (a list does not show them).
    fn search_activities(&mut self, query: &str, limit: u32) -> Result<Vec<Activity>>;
    fn count_activities(&mut self) -> Result<i64>;
    /// D1: the reminder lead time, the user's to change even on a sent meeting.
    fn set_reminder_minutes(&mut self, id: i64, minutes: i64, now: i64) -> Result<()>;
    /// The lookups of a draft that is not stored yet: partner, contact and person.
    fn describe_links(&mut self, input: &ActivityInput) -> Result<Links>;
    /// Labels and addresses of a draft's participants.
    fn describe_participants(&mut self, refs: &[ParticipantRef]) -> Result<Vec<Participant>>;

    fn add_history(
        &mut self,
        activity_id: i64,
        event: HistoryEvent,
        linked_activity_id: Option<i64>,
        detail: &str,
        now: i64,
    ) -> Result<()>;
    /// An activity's own events and every link from or to it, newest first.
    fn history_of_activity(&mut self, id: i64) -> Result<Vec<HistoryItem>>;
    /// The activities that concern record `kind` `id`, newest first.
    fn history_of_record(
        &mut self,
        kind: RecordKind,
        id: i64,
        limit: u32,
    ) -> Result<Vec<HistoryItem>>;

    /// C1: the entries of the opened calendars `employee_ids` overlapping [`from`, `to`), read
    /// from the calendar index; each activity once, in its owner's calendar when that is open.
    fn calendar(
        &mut self,
        employee_ids: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CalendarEntry>>;

    /// C4: records the sent request; `false` when it was already recorded (by another desktop).
    fn mark_sent(
        &mut self,
        id: i64,
        sent_at: i64,
        join_url: Option<&str>,
        graph_event_id: &str,
    ) -> Result<bool>;
    /// Claims the send of activity `id` for this desktop: `true` for the one caller that won,
    /// `false` when the send is claimed already (by any desktop) or done. Whoever loses sends
    /// nothing, so a meeting is sent once however many desktops try at the same moment.
    fn claim_send(&mut self, id: i64, at: i64) -> Result<bool>;
    /// Takes over an interrupted send for reconciling: `true` for the one caller that won, when
    /// its send began before `stale_before` (earlier than any send still running may have begun)
    /// and is not done; the start becomes `at`, so a second desktop reconciling it loses.
    fn claim_interrupted_send(&mut self, id: i64, stale_before: i64, at: i64) -> Result<bool>;
    /// Sets or (`None`) releases the start of a send that is not done, whoever claimed it: the
    /// reconciling of an interrupted send, after its own claim, uses it.
    fn set_send_started(&mut self, id: i64, at: Option<i64>) -> Result<()>;
    fn set_graph_event_id(&mut self, id: i64, graph_event_id: &str) -> Result<()>;
    /// Activities whose send began and never ended.
    fn interrupted_sends(&mut self) -> Result<Vec<i64>>;
    fn graph_event_id(&mut self, id: i64) -> Result<Option<String>>;
    /// C8: the meeting was cancelled in Graph.
    fn mark_cancelled(&mut self, id: i64, now: i64) -> Result<()>;
    /// C5: the next sent Teams meeting with a join link concerning the contact, not ended at `now`.
    fn next_teams_meeting_of_contact(&mut self, contact_id: i64, now: i64) -> Result<Option<i64>>;

    // What the activity and calendar use cases check and look up before they write.
    /// Whether record `kind` `id` exists: a draft's links and participants are checked with it.
    fn record_exists(&mut self, kind: RecordKind, id: i64) -> Result<bool>;
    /// D1: the activities in the calendar of `employee_id` whose reminder is due at `now` (its
    /// lead time has begun, its start has not passed), of a kind that reminds and not
    /// cancelled: each once, as (activity id, start), the soonest first. Which of them this
    /// desktop has shown already is its own to know.
    fn reminders_due(&mut self, employee_id: i64, now: i64) -> Result<Vec<(i64, i64)>>;
}

/// The team's system settings and mail configurations. On the team database only an
/// administrator's login changes them; a salesperson's change is refused with
/// [`StoreError::NotPermitted`] by the server itself.
pub trait Settings {
    fn system_settings(&mut self) -> Result<SystemSettings>;
    fn set_flag(&mut self, setting: SystemSetting, on: bool) -> Result<()>;
    fn set_language(&mut self, language: Option<Language>) -> Result<()>;
    fn set_call_link_mode(&mut self, mode: CallLinkMode) -> Result<()>;
    /// `false` (nothing changed) for a code libphonenumber has no region for.
    fn set_country(&mut self, country: &str) -> Result<bool>;
    /// Gives a workspace without a country the OS locale's.
    fn init_country(&mut self, os_country: Option<&str>) -> Result<()>;
    /// Who works at this desktop. In the team database the login names the employee (the
    /// employee record's `database_login`), so there only that employee is accepted.
    fn set_current_employee(&mut self, employee_id: i64) -> Result<()>;

    /// The mail configurations by name; never with their client secret.
    fn mail_configurations(&mut self) -> Result<Vec<MailConfiguration>>;
    fn mail_configuration(&mut self, id: i64) -> Result<MailConfiguration>;
    fn mail_configuration_of_employee(
        &mut self,
        employee_id: i64,
    ) -> Result<Option<MailConfiguration>>;
    fn insert_mail_configuration(&mut self, v: &ValidMailConfiguration, now: i64) -> Result<i64>;
    /// A changed registration drops the stored secret unless `v` brings one. Sign-ins are each
    /// desktop's own: the local workspace ends those made under the old registration here; the
    /// team database cannot reach them (`sign_ins_expired` 0), the caller ends the desktop's own.
    fn update_mail_configuration(
        &mut self,
        id: i64,
        v: &ValidMailConfiguration,
        now: i64,
    ) -> Result<RegistrationChange>;
    fn delete_mail_configuration(&mut self, id: i64) -> Result<()>;
    /// Points a custom-cloud configuration at new URLs (a new registration, as `update`).
    fn set_custom_urls(&mut self, id: i64, authority: &str, graph: &str, now: i64) -> Result<()>;
    /// The client secret, for a sign-in's token request only. On the team database only
    /// administrators may read it: a salesperson's login gets [`StoreError::NotPermitted`]
    /// where one is stored.
    fn client_secret(&mut self, id: i64) -> Result<Option<String>>;

    // Moving the settings' use cases onto the interface.
    /// A2: every employee gets mail configuration `id`. Answers how many employees were changed,
    /// and those of them that moved from another configuration (or none): their sign-ins are each
    /// desktop's own, which the caller ends on its own store.
    fn assign_mail_configuration_to_all(&mut self, id: i64) -> Result<(usize, Vec<i64>)>;
}

/// Runs `f` for reading on `engine` and hands back what it returns.
pub fn read<T, E: From<StoreError>>(
    engine: &dyn Engine,
    f: impl FnOnce(&mut dyn Shared) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    carry(f, |g| engine.read(g))
}

/// Runs `f` in one transaction on `engine`: when `f` fails, nothing it wrote stays, and its
/// error comes back as it was.
pub fn write<T, E: From<StoreError>>(
    engine: &dyn Engine,
    f: impl FnOnce(&mut dyn Shared) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    carry(f, |g| engine.write(g))
}

/// Calls `f` through `run`, an engine's object-safe call, keeping `f`'s own result and error
/// aside: the engine sees only whether to commit ([`StoreError::Abandoned`] rolls back).
fn carry<T, E: From<StoreError>>(
    f: impl FnOnce(&mut dyn Shared) -> std::result::Result<T, E>,
    run: impl FnOnce(&mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()>,
) -> std::result::Result<T, E> {
    let mut f = Some(f);
    let mut outcome = None;
    let ran = run(&mut |shared| {
        let f = f.take().ok_or(StoreError::Abandoned)?;
        match f(shared) {
            Ok(value) => {
                outcome = Some(Ok(value));
                Ok(())
            }
            Err(e) => {
                outcome = Some(Err(e));
                Err(StoreError::Abandoned)
            }
        }
    });
    match (outcome, ran) {
        // The team database was lost under `f`: that, not the failed statement, is what the
        // caller must hear (nothing was kept; the engine reconnects).
        (_, Err(e @ (StoreError::Disconnected | StoreError::OutcomeUnknown))) => Err(e.into()),
        (Some(Err(e)), _) => Err(e),
        (Some(Ok(value)), Ok(())) => Ok(value),
        // `f` succeeded but the commit failed, or the engine failed before calling `f`.
        (_, Err(e)) => Err(e.into()),
        (None, Ok(())) => Err(StoreError::Abandoned.into()),
    }
}
