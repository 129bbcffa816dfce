//! The local workspace's engine: the store interface over the SQLite file, each call the query
//! module's own function.

use rusqlite::Connection;

use super::communications::Editor;
use super::interface::{Engine, Records, Shared};
use super::{business_partners, communications, contacts, employees, persons, Db, Result};
use crate::crm::activity::HistoryItem;
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};

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
    fn update_business_partner(&mut self, id: i64, fields: &BusinessPartnerFields) -> Result<()> {
        business_partners::update(self.0, id, fields)
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
    fn update_contact(&mut self, id: i64, fields: &ContactFields) -> Result<()> {
        contacts::update(self.0, id, fields)
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
    fn update_person(&mut self, id: i64, fields: &PersonFields) -> Result<()> {
        persons::update(self.0, id, fields)
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
    fn update_employee(&mut self, id: i64, fields: &EmployeeFields) -> Result<()> {
        employees::update(self.0, id, fields)
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
    fn update_communication(&mut self, id: i64, fields: &CommunicationFields) -> Result<()> {
        communications::update(self.0, id, fields)
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
