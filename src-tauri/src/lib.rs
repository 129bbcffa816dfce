//! Treffpunkt: a desktop CRM that couples Microsoft Teams to its records like a telephone system.
//!
//! Dependencies run one way: `commands` (the thin IPC surface) -> `services` (use cases, with
//! `meetings`, `reminders`, `teams::calls`, `microsoft::session`) -> `crm` (the domain: types and
//! rules) and `store` (SQL); `microsoft` and `teams` are adapters beside them. `layers_tests` holds
//! the table; `run` wires it all into the app.

pub mod admin_cli;
#[cfg(feature = "desktop")]
pub mod bindings;
#[cfg(feature = "desktop")]
pub mod commands;
pub mod crm;
pub mod demo;
#[cfg(feature = "desktop")]
mod desktop;
pub mod logging;
pub mod meetings;
pub mod microsoft;
pub mod off_thread;
pub mod reminders;
pub mod secret_key;
pub mod services;
pub mod simulator;
pub mod startup;
pub mod store;
pub mod teams;
pub mod workspace;

#[cfg(test)]
mod layers_tests;

use chrono_tz::Tz;

use crm::settings::Language;
#[cfg(feature = "desktop")]
pub use desktop::{run, with_commands};
pub use startup::{started_at, started_at_epoch_ms};
use store::Db;
use workspace::Workspace;

/// The user's IANA zone: `TZ` when it names one (as the webview honours it too), else the OS
/// setting; UTC when neither can be read.
pub fn os_time_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| tz.trim_start_matches(':').parse().ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse().ok())
        })
        .unwrap_or(Tz::UTC)
}

pub fn os_language() -> Language {
    Language::from_locale(&sys_locale::get_locale().unwrap_or_default())
}

/// Opens the workspace's database: migrated, seeded when it is the demo, with an own employee.
pub fn open_workspace(ws: &Workspace, zone: Tz) -> Result<Db, services::CrmError> {
    let db = Db::open(&ws.database_path())?;
    match secret_key::database_key(&ws.database_path()) {
        Ok(key) => db.use_secret_key(&key)?,
        Err(reason) => tracing::warn!(
            "no keyring ({reason}): client secrets and tokens are protected by the file mode 0600 only"
        ),
    }
    if ws.demo {
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        if demo::seed_if_empty(&db, demo::DemoSize::default(), today, zone)? {
            tracing::info!("demo workspace filled");
        }
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| services::records::own_employee_fallback_name(os_language()).into());
    db.transaction(|tx| services::records::ensure_own_employee(tx, &user))?;
    // E3: national phone numbers are read in the country of the OS locale until Settings says
    // otherwise.
    let os_country = sys_locale::get_locale().and_then(|l| crm::settings::country_from_locale(&l));
    db.with(|c| store::settings::init_country(c, os_country.as_deref()))?;
    Ok(db)
}

/// The exit status of a start that found its workspace open in another process and could not
/// hand over to it (no session bus): it touched nothing.
pub const EXIT_WORKSPACE_IN_USE: i32 = 3;
