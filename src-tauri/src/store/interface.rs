//! The store as the services see it, whichever engine keeps the data: the local workspace's
//! SQLite file or the team's PostgreSQL database. Nothing here names an engine's types, so a
//! use case written against these traits runs unchanged on both.
//!
//! The traits are object-safe (a workspace holds `Box<dyn Engine>`, chosen at start); [`read`]
//! and [`write`] carry a typed result and error through the object-safe calls.

use super::communications::Editor;
use super::{Result, StoreError};
use crate::crm::activity::HistoryItem;
use crate::crm::model::{
    BusinessPartner, BusinessPartnerFields, Communication, CommunicationFields, Contact,
    ContactFields, Employee, EmployeeFields, Person, PersonFields, RecordKind,
};

/// An engine: hands out the shared data for a read, or for a write that lands whole or not at all.
pub trait Engine: Send + Sync {
    /// Runs `f` for reading. Use [`read`], which carries a result out.
    fn read(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()>;
    /// Runs `f` in one transaction: committed when `f` succeeds, rolled back when it fails.
    /// Use [`write`], which carries a result out.
    fn write(&self, f: &mut dyn FnMut(&mut dyn Shared) -> Result<()>) -> Result<()>;
}

/// Everything a team shares. Later slices add activities, the calendar, the settings.
pub trait Shared: Records {}

/// The records: business partners, contacts, persons, employees and their communication entries.
pub trait Records {
    fn business_partner(&mut self, id: i64) -> Result<BusinessPartner>;
    /// Partners whose name, city or e-mail contains `query`, by name.
    fn search_business_partners(&mut self, query: &str, limit: u32)
        -> Result<Vec<BusinessPartner>>;
    fn insert_business_partner(&mut self, fields: &BusinessPartnerFields) -> Result<i64>;
    fn update_business_partner(&mut self, id: i64, fields: &BusinessPartnerFields) -> Result<()>;
    /// Its contacts stay, without a partner; its communication entries go with it.
    fn delete_business_partner(&mut self, id: i64) -> Result<()>;

    fn contact(&mut self, id: i64) -> Result<Contact>;
    /// Contacts whose last name starts with `query` first, then those whose name, e-mail or
    /// partner's name contains it (case and umlauts ignored), each by name.
    fn search_contacts(&mut self, query: &str, limit: u32) -> Result<Vec<Contact>>;
    fn contacts_of_business_partner(&mut self, business_partner_id: i64) -> Result<Vec<Contact>>;
    fn insert_contact(&mut self, fields: &ContactFields) -> Result<i64>;
    fn update_contact(&mut self, id: i64, fields: &ContactFields) -> Result<()>;
    fn delete_contact(&mut self, id: i64) -> Result<()>;

    fn person(&mut self, id: i64) -> Result<Person>;
    /// Persons whose name (either way round), e-mail or city contains `query`, by name.
    fn search_persons(&mut self, query: &str, limit: u32) -> Result<Vec<Person>>;
    fn insert_person(&mut self, fields: &PersonFields) -> Result<i64>;
    fn update_person(&mut self, id: i64, fields: &PersonFields) -> Result<()>;
    fn delete_person(&mut self, id: i64) -> Result<()>;

    fn employee(&mut self, id: i64) -> Result<Employee>;
    /// Employees whose name (either way round), e-mail or department contains `query`, by name.
    fn search_employees(&mut self, query: &str, limit: u32) -> Result<Vec<Employee>>;
    fn count_employees(&mut self) -> Result<i64>;
    fn insert_employee(&mut self, fields: &EmployeeFields) -> Result<i64>;
    fn update_employee(&mut self, id: i64, fields: &EmployeeFields) -> Result<()>;
    /// Refused with `InUse` while activities are the employee's own.
    fn delete_employee(&mut self, id: i64) -> Result<()>;
    /// The employee `id` as the history names who made a change; `None` where there is none.
    fn editor(&mut self, id: Option<i64>) -> Result<Option<Editor>>;

    fn communication(&mut self, id: i64) -> Result<Communication>;
    /// The entries of the record `kind` `id`, by channel.
    fn communications_of(&mut self, kind: RecordKind, id: i64) -> Result<Vec<Communication>>;
    fn insert_communication(&mut self, fields: &CommunicationFields) -> Result<i64>;
    /// Changes channel, value and label; an entry's owner never changes.
    fn update_communication(&mut self, id: i64, fields: &CommunicationFields) -> Result<()>;
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
        (Some(Err(e)), _) => Err(e),
        (Some(Ok(value)), Ok(())) => Ok(value),
        // `f` succeeded but the commit failed, or the engine failed before calling `f`.
        (_, Err(e)) => Err(e.into()),
        (None, Ok(())) => Err(StoreError::Abandoned.into()),
    }
}
