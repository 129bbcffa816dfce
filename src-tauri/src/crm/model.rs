//! The records of the CRM as they cross IPC. Each type is exported to TypeScript
//! (`ui/src/api/bindings.ts`), so the UI and Rust never describe a record twice.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which version of a shared record was read, and who changed it last and when: a save names
/// the version it read, so a change someone made meanwhile is refused instead of overwritten.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stamp {
    /// Starts at 1 and rises by one with each saved change.
    #[ts(type = "number")]
    pub version: i64,
    /// The team database's login, or in the local workspace the current employee's name;
    /// `None` where no one is known (a record not changed since it was made there).
    pub changed_by: Option<String>,
    /// Unix seconds.
    #[ts(type = "number")]
    pub changed_at: i64,
}

/// The kinds of record a lookup field, a participant or a history entry can point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    BusinessPartner,
    Contact,
    Employee,
    Person,
    Communication,
    Activity,
    MailConfiguration,
}

/// What a lookup field shows: the record it points to, by kind, id and display label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Lookup {
    pub kind: RecordKind,
    #[ts(type = "number")]
    pub id: i64,
    pub label: String,
}

/// A record named by kind and id, e.g. the record a new activity is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordRef {
    pub kind: RecordKind,
    #[ts(type = "number")]
    pub id: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EmployeeFields {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub department: Option<String>,
    /// The colour of the employee's calendar when it is opened beside others (C1).
    pub color: String,
    #[ts(type = "number | null")]
    pub mail_configuration_id: Option<i64>,
    /// The user principal name of the employee's Microsoft 365 account, where it differs from
    /// the mail address: Teams' chat and call links name users by it.
    pub user_principal_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Employee {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: EmployeeFields,
    pub mail_configuration: Option<String>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BusinessPartnerFields {
    pub name: String,
    pub industry: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2; the default region for the partner's phone numbers.
    pub country: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BusinessPartner {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: BusinessPartnerFields,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContactFields {
    #[ts(type = "number | null")]
    pub business_partner_id: Option<i64>,
    pub salutation: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub position: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: ContactFields,
    /// The lookup field to the business partner.
    pub business_partner: Option<Lookup>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonFields {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: PersonFields,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    Mobile,
    Fax,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Mobile => "mobile",
            Channel::Fax => "fax",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "email" => Channel::Email,
            "phone" => Channel::Phone,
            "mobile" => Channel::Mobile,
            "fax" => Channel::Fax,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommunicationFields {
    /// The record the entry belongs to: a business partner, contact, employee or person.
    pub owner_kind: RecordKind,
    #[ts(type = "number")]
    pub owner_id: i64,
    pub channel: Channel,
    pub value: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Communication {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: CommunicationFields,
    pub owner: Lookup,
    pub stamp: Stamp,
}
