//! The local workspace's engine: the store interface over the SQLite file, each call the query
//! module's own function.

use rusqlite::Connection;

use super::communications::Editor;
use chrono::{DateTime, Utc};

use super::interface::{Activities, Engine, Links, Records, Settings, Shared};
use super::{
    activities, business_partners, communications, contacts, employees, mail_configurations,
    persons, settings, Db, Result,
};
use crate::crm::activity::{
    Activity, ActivityInput, CalendarEntry, HistoryEvent, HistoryItem, Participant, ParticipantRef,
};
use crate::crm::mail_configuration::{
    MailConfiguration, RegistrationChange, ValidMailConfiguration,
};
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};
use crate::crm::settings::{CallLinkMode, Language, SystemSetting, SystemSettings};

/// The shared data on one SQLite connection (or transaction, which derefs to one).
struct SqliteShared<'a>(&'a Connection);

impl Engine for Db {
    fn read(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()> {
        self.with(|c| f(&mut SqliteShared(c)))
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()> {
        self.transaction(|tx| f(&mut SqliteShared(tx)))
    }
}

impl Shared for SqliteShared<'_> {}

impl Records for SqliteShared<'_> {
    fn business_partner(&mut self, id: i64) -> Result<BusinessPartner> {
        business_partners::get(self.0, id)
    }
    fn search_business_partners(
        &mut self,
        query: &str,
        limit: u32,
    ) -> Result<Vec<BusinessPartner>> {
        business_partners::search(self.0, query, limit)
    }
    fn insert_business_partner(&mut self, fields: &BusinessPartnerFields) -> Result<i64> {
        business_partners::insert(self.0, fields)
    }
    fn update_business_partner(
        &mut self,
        id: i64,
        version: i64,
        fields: &BusinessPartnerFields,
    ) -> Result<()> {
        business_partners::update(self.0, id, version, fields)
    }
    fn delete_business_partner(&mut self, id: i64) -> Result<()> {
        business_partners::delete(self.0, id)
    }

    fn contact(&mut self, id: i64) -> Result<Contact> {
        contacts::get(self.0, id)
    }
    fn search_contacts(&mut self, query: &str, limit: u32) -> Result<Vec<Contact>> {
        contacts::search(self.0, query, limit)
    }
    fn contacts_of_business_partner(&mut self, business_partner_id: i64) -> Result<Vec<Contact>> {
        contacts::of_business_partner(self.0, business_partner_id)
    }
    fn insert_contact(&mut self, fields: &ContactFields) -> Result<i64> {
        contacts::insert(self.0, fields)
    }
    fn update_contact(&mut self, id: i64, version: i64, fields: &ContactFields) -> Result<()> {
        contacts::update(self.0, id, version, fields)
    }
    fn delete_contact(&mut self, id: i64) -> Result<()> {
        contacts::delete(self.0, id)
    }

    fn person(&mut self, id: i64) -> Result<Person> {
        persons::get(self.0, id)
    }
    fn search_persons(&mut self, query: &str, limit: u32) -> Result<Vec<Person>> {
        persons::search(self.0, query, limit)
    }
    fn insert_person(&mut self, fields: &PersonFields) -> Result<i64> {
        persons::insert(self.0, fields)
    }
    fn update_person(&mut self, id: i64, version: i64, fields: &PersonFields) -> Result<()> {
        persons::update(self.0, id, version, fields)
    }
    fn delete_person(&mut self, id: i64) -> Result<()> {
        persons::delete(self.0, id)
    }

    fn employee(&mut self, id: i64) -> Result<Employee> {
        employees::get(self.0, id)
    }
    fn search_employees(&mut self, query: &str, limit: u32) -> Result<Vec<Employee>> {
        employees::search(self.0, query, limit)
    }
    fn count_employees(&mut self) -> Result<i64> {
        employees::count(self.0)
    }
    fn insert_employee(&mut self, fields: &EmployeeFields) -> Result<i64> {
        employees::insert(self.0, fields)
    }
    fn update_employee(&mut self, id: i64, version: i64, fields: &EmployeeFields) -> Result<()> {
        employees::update(self.0, id, version, fields)
    }
    fn delete_employee(&mut self, id: i64) -> Result<()> {
        employees::delete(self.0, id)
    }
    fn editor(&mut self, id: Option<i64>) -> Result<Option<Editor>> {
        communications::editor(self.0, id)
    }

    fn communication(&mut self, id: i64) -> Result<Communication> {
        communications::get(self.0, id)
    }
    fn communications_of(&mut self, kind: RecordKind, id: i64) -> Result<Vec<Communication>> {
        communications::of_owner(self.0, kind, id)
    }
    fn insert_communication(&mut self, fields: &CommunicationFields) -> Result<i64> {
        communications::insert(self.0, fields)
    }
    fn update_communication(
        &mut self,
        id: i64,
        version: i64,
        fields: &CommunicationFields,
    ) -> Result<()> {
        communications::update(self.0, id, version, fields)
    }
    fn delete_communication(&mut self, id: i64) -> Result<()> {
        communications::delete(self.0, id)
    }
    fn add_communication_history(
        &mut self,
        id: i64,
        by: Option<&Editor>,
        old: Option<&CommunicationFields>,
        new: &CommunicationFields,
        now: i64,
    ) -> Result<()> {
        communications::add_history(self.0, id, by, old, new, now)
    }
    fn communication_history(&mut self, id: i64, limit: u32) -> Result<Vec<HistoryItem>> {
        communications::history(self.0, id, limit)
    }
}

impl Activities for SqliteShared<'_> {
    fn activity(&mut self, id: i64) -> Result<Activity> {
        activities::get(self.0, id)
    }
    fn insert_activity(&mut self, input: &ActivityInput, uid: &str, now: i64) -> Result<i64> {
        activities::insert(self.0, input, uid, now)
    }
    fn update_activity(
        &mut self,
        id: i64,
        version: i64,
        input: &ActivityInput,
        now: i64,
    ) -> Result<()> {
        activities::update(self.0, id, version, input, now)
    }
    fn delete_activity(&mut self, id: i64) -> Result<()> {
        activities::delete(self.0, id)
    }
    fn search_activities(&mut self, query: &str, limit: u32) -> Result<Vec<Activity>> {
        activities::search(self.0, query, limit)
    }
    fn count_activities(&mut self) -> Result<i64> {
        activities::count(self.0)
    }
    fn set_reminder_minutes(&mut self, id: i64, minutes: i64, now: i64) -> Result<()> {
        activities::set_reminder_minutes(self.0, id, minutes, now)
    }
    fn describe_links(&mut self, input: &ActivityInput) -> Result<Links> {
        activities::describe_links(self.0, input)
    }
    fn describe_participants(&mut self, refs: &[ParticipantRef]) -> Result<Vec<Participant>> {
        activities::describe_participants(self.0, refs)
    }
    fn add_history(
        &mut self,
        activity_id: i64,
        event: HistoryEvent,
        linked_activity_id: Option<i64>,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        activities::add_history(self.0, activity_id, event, linked_activity_id, detail, now)
    }
    fn history_of_activity(&mut self, id: i64) -> Result<Vec<HistoryItem>> {
        activities::history_of_activity(self.0, id)
    }
    fn history_of_record(
        &mut self,
        kind: RecordKind,
        id: i64,
        limit: u32,
    ) -> Result<Vec<HistoryItem>> {
        activities::history_of_record(self.0, kind, id, limit)
    }
    fn calendar(
        &mut self,
        employee_ids: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CalendarEntry>> {
        activities::calendar(self.0, employee_ids, from, to)
    }
    fn mark_sent(
        &mut self,
        id: i64,
        sent_at: i64,
        join_url: Option<&str>,
        graph_event_id: &str,
    ) -> Result<bool> {
        activities::mark_sent(self.0, id, sent_at, join_url, graph_event_id)
    }
    fn claim_send(&mut self, id: i64, at: i64) -> Result<bool> {
        activities::claim_send(self.0, id, at)
    }
    fn claim_interrupted_send(&mut self, id: i64, stale_before: i64, at: i64) -> Result<bool> {
        activities::claim_interrupted_send(self.0, id, stale_before, at)
    }
    fn set_send_started(&mut self, id: i64, at: Option<i64>) -> Result<()> {
        activities::set_send_started(self.0, id, at)
    }
    fn set_graph_event_id(&mut self, id: i64, graph_event_id: &str) -> Result<()> {
        activities::set_graph_event_id(self.0, id, graph_event_id)
    }
    fn interrupted_sends(&mut self) -> Result<Vec<i64>> {
        activities::interrupted_sends(self.0)
    }
    fn graph_event_id(&mut self, id: i64) -> Result<Option<String>> {
        activities::graph_event_id(self.0, id)
    }
    fn mark_cancelled(&mut self, id: i64, now: i64) -> Result<()> {
        activities::mark_cancelled(self.0, id, now)
    }
    fn next_teams_meeting_of_contact(&mut self, contact_id: i64, now: i64) -> Result<Option<i64>> {
        activities::next_teams_meeting_of_contact(self.0, contact_id, now)
    }
}

impl Settings for SqliteShared<'_> {
    fn system_settings(&mut self) -> Result<SystemSettings> {
        settings::load(self.0)
    }
    fn set_flag(&mut self, setting: SystemSetting, on: bool) -> Result<()> {
        settings::set_flag(self.0, setting, on)
    }
    fn set_language(&mut self, language: Option<Language>) -> Result<()> {
        settings::set_language(self.0, language)
    }
    fn set_call_link_mode(&mut self, mode: CallLinkMode) -> Result<()> {
        settings::set_call_link_mode(self.0, mode)
    }
    fn set_country(&mut self, country: &str) -> Result<bool> {
        settings::set_country(self.0, country)
    }
    fn init_country(&mut self, os_country: Option<&str>) -> Result<()> {
        settings::init_country(self.0, os_country)
    }
    fn set_current_employee(&mut self, employee_id: i64) -> Result<()> {
        settings::set_current_employee(self.0, employee_id)
    }

    fn mail_configurations(&mut self) -> Result<Vec<MailConfiguration>> {
        mail_configurations::list(self.0)
    }
    fn mail_configuration(&mut self, id: i64) -> Result<MailConfiguration> {
        mail_configurations::get(self.0, id)
    }
    fn mail_configuration_of_employee(
        &mut self,
        employee_id: i64,
    ) -> Result<Option<MailConfiguration>> {
        mail_configurations::of_employee(self.0, employee_id)
    }
    fn insert_mail_configuration(&mut self, v: &ValidMailConfiguration, now: i64) -> Result<i64> {
        mail_configurations::insert(self.0, v, now)
    }
    fn update_mail_configuration(
        &mut self,
        id: i64,
        v: &ValidMailConfiguration,
        now: i64,
    ) -> Result<RegistrationChange> {
        mail_configurations::update(self.0, id, v, now)
    }
    fn delete_mail_configuration(&mut self, id: i64) -> Result<()> {
        mail_configurations::delete(self.0, id)
    }
    fn set_custom_urls(&mut self, id: i64, authority: &str, graph: &str, now: i64) -> Result<()> {
        mail_configurations::set_custom_urls(self.0, id, authority, graph, now)
    }
    fn client_secret(&mut self, id: i64) -> Result<Option<String>> {
        mail_configurations::client_secret(self.0, id)
    }

    fn assign_mail_configuration_to_all(&mut self, id: i64) -> Result<(usize, Vec<i64>)> {
        let moving = employees::not_using_mail_configuration(self.0, id)?;
        let assigned = employees::assign_mail_configuration_to_all(self.0, id)?;
        Ok((assigned, moving))
    }
}
