//! The TypeScript declarations of every type that crosses IPC, written to
//! `ui/src/api/bindings.ts`. A test fails when that file is stale; `make bindings` rewrites it.

use ts_rs::{Config, TS};

use crate::commands::{
    AppInfo, ConnectionTest, IpcError, MicrosoftError, OpeningView, OwnSignIn, SignInStatus,
    StartupTimeline,
};
use crate::crm::activity::*;
use crate::crm::calendar::CalendarSlot;
use crate::crm::mail_configuration::*;
use crate::crm::model::*;
use crate::crm::rules::{
    ActivityAction, ActivityActionKind, ActivityButtons, ContactMeetingButtons, DeleteOffer,
    TeamsButtons, TeamsPlace,
};
use crate::crm::settings::*;
use crate::crm::validation::FieldError;
use crate::crm::wall_clock::WallClock;
use crate::meetings::{SendOutcome, SendSummary, SendWait};
use crate::microsoft::tokens::{SignInOwner, SignInState};
use crate::simulator::{SimSwitch, SimSwitchState};
use crate::store::reminders::Reminder;
use crate::teams::calls::CallOption;

/// Where the generated file lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/api/bindings.ts";

/// The whole generated file.
pub fn typescript() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        RecordKind::decl(&cfg),
        Lookup::decl(&cfg),
        RecordRef::decl(&cfg),
        EmployeeFields::decl(&cfg),
        Employee::decl(&cfg),
        BusinessPartnerFields::decl(&cfg),
        BusinessPartner::decl(&cfg),
        ContactFields::decl(&cfg),
        Contact::decl(&cfg),
        PersonFields::decl(&cfg),
        Person::decl(&cfg),
        Channel::decl(&cfg),
        CommunicationFields::decl(&cfg),
        Communication::decl(&cfg),
        ActivityKind::decl(&cfg),
        ActivityStatus::decl(&cfg),
        ParticipantRef::decl(&cfg),
        Participant::decl(&cfg),
        ActivityInput::decl(&cfg),
        WallClock::decl(&cfg),
        Activity::decl(&cfg),
        CalendarEntry::decl(&cfg),
        CalendarSlot::decl(&cfg),
        HistoryEvent::decl(&cfg),
        FieldChange::decl(&cfg),
        HistoryItem::decl(&cfg),
        Language::decl(&cfg),
        CallLinkMode::decl(&cfg),
        SystemSetting::decl(&cfg),
        SystemSettings::decl(&cfg),
        Groupware::decl(&cfg),
        Cloud::decl(&cfg),
        SecretChange::decl(&cfg),
        MailConfigurationInput::decl(&cfg),
        MailConfiguration::decl(&cfg),
        RegistrationChange::decl(&cfg),
        SavedMailConfiguration::decl(&cfg),
        FieldError::decl(&cfg),
        MicrosoftError::decl(&cfg),
        IpcError::decl(&cfg),
        AppInfo::decl(&cfg),
        StartupTimeline::decl(&cfg),
        OpeningView::decl(&cfg),
        ActivityDraft::decl(&cfg),
        SignInOwner::decl(&cfg),
        SignInState::decl(&cfg),
        SignInStatus::decl(&cfg),
        ConnectionTest::decl(&cfg),
        OwnSignIn::decl(&cfg),
        ActivityActionKind::decl(&cfg),
        ActivityAction::decl(&cfg),
        DeleteOffer::decl(&cfg),
        ActivityButtons::decl(&cfg),
        SendSummary::decl(&cfg),
        SendOutcome::decl(&cfg),
        SendWait::decl(&cfg),
        SimSwitch::decl(&cfg),
        SimSwitchState::decl(&cfg),
        ContactMeetingButtons::decl(&cfg),
        Reminder::decl(&cfg),
        TeamsPlace::decl(&cfg),
        TeamsButtons::decl(&cfg),
        CallOption::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs).\n\
         // Do not edit: a test fails when this file and the Rust types disagree.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    // The clouds the settings offer, in Rust's order: the UI lists no cloud of its own.
    let clouds: Vec<&str> = Cloud::ALL.iter().map(|c| c.as_str()).collect();
    out.push_str(&format!(
        "/** Every cloud, in the order the settings offer them (`Cloud::ALL`). */\n\
         export const CLOUDS: readonly Cloud[] = {};\n",
        serde_json::to_string(&clouds).expect("strings serialize")
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typescript_bindings_are_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let fresh = typescript();
        if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, &fresh).unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{BINDINGS_PATH} is stale: run `make bindings` and commit the result"
        );
    }
}
