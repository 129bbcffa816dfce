//! The TypeScript side of IPC, generated from Rust: the declarations of every type that crosses
//! it (`ui/src/api/bindings.ts`, with ts-rs) and a typed function for every command
//! (`ui/src/api/commands.ts`, read from the `#[tauri::command]` signatures by `command_gen`).
//! A test fails when either file is stale; `make bindings` rewrites both.
//!
//! - A new command: write it under src-tauri/src/commands/ and add it to `generate_handler!` in
//!   `command_list!` (commands/mod.rs); the UI then calls `api.itsNameInCamelCase(...)`. A test
//!   fails while the two lists differ.
//! - A new type crossing IPC: derive `ts_rs::TS` and add `Type::decl(&cfg)` below; a command whose
//!   argument or result has no declaration here is a generator error, never `any`.
//! - A new error code: one line in crm/error_code.rs, then its texts in ui/src/i18n.

use ts_rs::{Config, TS};

use crate::commands::{
    AppInfo, ConflictInfo, ConnectionTest, Interaction, IpcError, MicrosoftError, OpeningView,
    OwnSignIn, SignInStatus, StartupTimeline,
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
use crate::crm::sign_in::{SignInOwner, SignInState};
use crate::crm::team_database::{
    LiveRecord, MovedIn, TeamDatabase, TeamDatabaseInput, TeamDatabaseProbe, TeamTls, TeamWorkspace,
};
use crate::crm::validation::FieldError;
use crate::crm::wall_clock::WallClock;
use crate::crm::ErrorCode;
use crate::demo::panel::{SimSwitch, SimSwitchState};
use crate::meetings::{SendOutcome, SendSummary, SendWait};
use crate::services::live::LiveMessage;
use crate::services::reminders::Notification;
use crate::teams::calls::{CallOption, EmailCalls, ToolbarTeams};
use crate::teams::callto_handler::{CalltoCheck, CalltoHandler};

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
        Stamp::decl(&cfg),
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
        TeamTls::decl(&cfg),
        TeamDatabaseInput::decl(&cfg),
        TeamDatabase::decl(&cfg),
        TeamDatabaseProbe::decl(&cfg),
        TeamWorkspace::decl(&cfg),
        MovedIn::decl(&cfg),
        LiveRecord::decl(&cfg),
        LiveMessage::decl(&cfg),
        FieldError::decl(&cfg),
        ErrorCode::decl(&cfg),
        MicrosoftError::decl(&cfg),
        ConflictInfo::decl(&cfg),
        IpcError::decl(&cfg),
        AppInfo::decl(&cfg),
        StartupTimeline::decl(&cfg),
        Interaction::decl(&cfg),
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
        Notification::decl(&cfg),
        TeamsPlace::decl(&cfg),
        TeamsButtons::decl(&cfg),
        CallOption::decl(&cfg),
        ToolbarTeams::decl(&cfg),
        EmailCalls::decl(&cfg),
        CalltoHandler::decl(&cfg),
        CalltoCheck::decl(&cfg),
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
    // Every error code, so that a test can ask for each one's German and English text.
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    out.push_str(&format!(
        "\n/** Every error code Rust answers with (`ErrorCode::ALL`). */\n\
         export const ERROR_CODES: readonly ErrorCode[] = {};\n",
        serde_json::to_string(&codes).expect("strings serialize")
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod command_gen;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use super::command_gen::{self, Command};
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
    }

    /// Rewrites `relative` under `UPDATE_BINDINGS=1`; fails when it differs from `fresh`.
    fn check_fresh(relative: &str, fresh: &str) {
        let path = root().join(relative);
        if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, fresh).unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{relative} is stale: run `make bindings` and commit the result"
        );
    }

    fn commands() -> Vec<Command> {
        let known = command_gen::declared_types(&typescript());
        command_gen::find_commands(&root(), &known).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_typescript_bindings_are_up_to_date() {
        check_fresh(BINDINGS_PATH, &typescript());
        check_fresh(
            command_gen::COMMANDS_PATH,
            &command_gen::typescript(&commands()),
        );
    }

    /// A registered command without a generated function could only be called by a hand-typed
    /// name; a generated function without registration fails at run time.
    #[test]
    fn every_registered_command_and_only_those_has_a_generated_function() {
        let registered = command_gen::registered(&root()).unwrap();
        let unique: BTreeSet<&String> = registered.iter().collect();
        assert_eq!(
            unique.len(),
            registered.len(),
            "registered twice: {registered:?}"
        );
        let generated: BTreeSet<String> = commands().into_iter().map(|c| c.name).collect();
        let registered: BTreeSet<String> = registered.into_iter().collect();
        let missing: Vec<_> = registered.difference(&generated).collect();
        let unregistered: Vec<_> = generated.difference(&registered).collect();
        assert!(
            missing.is_empty() && unregistered.is_empty(),
            "registered in generate_handler! but no #[tauri::command] under src-tauri/src/commands: \
             {missing:?}; a #[tauri::command] that generate_handler! does not list: {unregistered:?}"
        );
    }
}
