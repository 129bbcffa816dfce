//! The IPC surface: thin functions, arguments in, one use case of `services`, the result out. Every command
//! runs its database work on a blocking thread, never on the UI's.

mod app;
mod calendar;
mod calls;
pub mod error;
mod meetings;
mod microsoft;
mod records;
mod reminders;
mod settings;
mod simulator;
mod team_database;

use std::sync::Arc;

use chrono_tz::Tz;
pub use error::{ConflictInfo, IpcError, IpcResult, MicrosoftError};

use crate::crm::settings::Language;
use crate::crm::team_database::TeamWorkspace;
use crate::crm::validation::UrlPolicy;
use crate::crm::ErrorCode;
use crate::meetings::MeetingSender;
use crate::microsoft::session::Microsoft365;
use crate::reminders::Reminders;
use crate::services::sign_in::{self, Browser, PendingSignIn};
use crate::services::Workspace;
use crate::teams::calls::XdgMime;

/// How many rows a list answers with at most: the record lists, the activities, a record's
/// history and the calendar's list of employees.
const LIST_LIMIT: u32 = 500;

/// What the commands share: the open workspace, the tie to Microsoft 365 and facts of this run.
pub struct AppState {
    /// The data the use cases work on; the commands only hand it on.
    pub workspace: Workspace,
    pub demo: bool,
    /// The team workspace's name for the window (and why its database did not open, if so);
    /// `None` in a local workspace.
    pub team: Option<TeamWorkspace>,
    /// Which custom-cloud URLs the settings accept (plain http on the loopback only in the demo
    /// or behind the developer switch).
    pub url_policy: UrlPolicy,
    /// The user's IANA zone, from the OS.
    pub zone: Tz,
    /// The language of the OS locale, used while the settings choose none.
    pub os_language: Language,
    pub m365: Microsoft365,
    pub sender: MeetingSender,
    /// Opens the sign-in page: the system browser, honouring `$BROWSER`.
    pub browser: Arc<dyn Browser>,
    /// Ends the sign-in that waits for the browser, if one does.
    pub pending_sign_in: PendingSignIn,
    /// Records due reminders and shows them outside the window; the app sets the OS's notifier.
    pub reminders: Reminders,
    /// Hands a call's or Teams' URI to the OS; tests put a recorder in its place.
    pub launcher: Launcher,
    /// Asks xdg-mime what opens `callto:` (Linux only); tests answer for it.
    pub xdg_mime: XdgMime,
}

/// Hands a URI to the OS's opener (`xdg-open` on Linux), or says why it could not.
pub type Launcher = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The OS's opener.
pub fn os_launcher() -> Launcher {
    Arc::new(|uri| opener::open(uri).map_err(|e| e.to_string()))
}

impl AppState {
    /// The state on `workspace` with the OS's browser, opener and xdg-mime.
    pub fn new(
        workspace: impl Into<Workspace>,
        demo: bool,
        zone: Tz,
        os_language: Language,
    ) -> AppState {
        let workspace = workspace.into();
        let m365 = workspace.microsoft365();
        AppState {
            reminders: workspace.reminders(),
            sender: MeetingSender::on(m365.clone(), &workspace),
            m365,
            workspace,
            demo,
            team: None,
            url_policy: crate::workspace::custom_cloud_url_policy(demo),
            zone,
            os_language,
            browser: sign_in::system_browser(),
            pending_sign_in: PendingSignIn::default(),
            launcher: os_launcher(),
            xdg_mime: crate::teams::calls::os_xdg_mime(),
        }
    }
}

/// The longest search text a list accepts: longer input is a mistake, not a search.
const MAX_QUERY_CHARS: usize = 200;

/// Refuses a search text that no list field could contain.
fn check_query(query: &str) -> IpcResult<()> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(IpcError::new(
            ErrorCode::QueryTooLong,
            format!("a search is at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Runs `f` with the workspace on a blocking thread. A refused save's conflict names its time
/// as the user reads it: in the user's zone and language (the settings', else the OS's).
async fn blocking<T, F>(state: &AppState, f: F) -> IpcResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Workspace) -> IpcResult<T> + Send + 'static,
{
    let workspace = state.workspace.clone();
    let (zone, os_language) = (state.zone, state.os_language);
    crate::off_thread::run(move || {
        f(&workspace).map_err(|e| {
            if e.conflict.is_none() {
                return e;
            }
            let language = crate::services::settings::load(&workspace)
                .ok()
                .and_then(|s| s.language)
                .unwrap_or(os_language);
            e.in_users_time(zone, language)
        })
    })
    .await?
}

/// The list of every command, for `invoke_handler`.
#[macro_export]
macro_rules! command_list {
    () => {
        tauri::generate_handler![
            $crate::commands::app_info,
            $crate::commands::opening_view,
            $crate::commands::first_paint,
            $crate::commands::calendar_ready,
            $crate::commands::interaction_mark,
            $crate::commands::get_settings,
            $crate::commands::set_system_setting,
            $crate::commands::set_language,
            $crate::commands::calendar_entries,
            $crate::commands::calendar_actions,
            $crate::commands::activity_draft,
            $crate::commands::new_activity_kinds,
            $crate::commands::new_activity_draft,
            $crate::commands::get_activity,
            $crate::commands::create_activity,
            $crate::commands::update_activity,
            $crate::commands::convert_activity,
            $crate::commands::delete_activity,
            $crate::commands::send_wait,
            $crate::commands::cancel_send_wait,
            $crate::commands::mark_meeting_cancelled,
            $crate::commands::simulator_switches,
            $crate::commands::set_simulator_switch,
            $crate::commands::search_activities,
            $crate::commands::search_business_partners,
            $crate::commands::get_business_partner,
            $crate::commands::save_business_partner,
            $crate::commands::delete_business_partner,
            $crate::commands::search_contacts,
            $crate::commands::get_contact,
            $crate::commands::save_contact,
            $crate::commands::delete_contact,
            $crate::commands::contacts_of_business_partner,
            $crate::commands::search_employees,
            $crate::commands::get_employee,
            $crate::commands::save_employee,
            $crate::commands::delete_employee,
            $crate::commands::search_persons,
            $crate::commands::get_person,
            $crate::commands::save_person,
            $crate::commands::delete_person,
            $crate::commands::communications_of,
            $crate::commands::get_communication,
            $crate::commands::save_communication,
            $crate::commands::delete_communication,
            $crate::commands::record_history,
            $crate::commands::search_participants,
            $crate::commands::list_mail_configurations,
            $crate::commands::save_mail_configuration,
            $crate::commands::delete_mail_configuration,
            $crate::commands::assign_mail_configuration_to_all,
            $crate::commands::team_database,
            $crate::commands::save_team_database,
            $crate::commands::test_team_database,
            $crate::commands::move_in_offered,
            $crate::commands::move_in_to_team_database,
            $crate::commands::sign_in_status,
            $crate::commands::sign_in,
            $crate::commands::cancel_sign_in,
            $crate::commands::sign_out,
            $crate::commands::test_sign_in,
            $crate::commands::own_sign_in,
            $crate::commands::activity_buttons,
            $crate::commands::meeting_summary,
            $crate::commands::send_meeting_request,
            $crate::commands::sign_in_and_send,
            $crate::commands::meeting_send_check,
            $crate::commands::join_meeting,
            $crate::commands::linked_draft,
            $crate::commands::create_linked_activity,
            $crate::commands::cancel_meeting,
            $crate::commands::contact_meeting,
            $crate::commands::contact_meeting_draft,
            $crate::commands::notifications,
            $crate::commands::dismiss_notification,
            $crate::commands::set_reminder,
            $crate::commands::teams_buttons_for,
            $crate::commands::call_options,
            $crate::commands::start_call,
            $crate::commands::start_chat,
            $crate::commands::set_call_link_mode,
            $crate::commands::set_country,
            $crate::commands::phone_regions,
            $crate::commands::teams_toolbar_action,
            $crate::commands::open_teams,
            $crate::commands::email_calls,
            $crate::commands::start_email_call,
            $crate::commands::callto_check,
        ]
    };
}

pub use app::*;
pub use calendar::*;
pub use calls::*;
pub use meetings::*;
pub use microsoft::*;
pub use records::*;
pub use reminders::*;
pub use settings::*;
pub use simulator::*;
pub use team_database::*;
