//! What the window opens with: the facts of the workspace (its language setting, the own
//! employee, whether secrets are sealed), and the opening week of the own calendar with the
//! employees whose colours it is drawn in, in one answer.

use super::Workspace;
use chrono::{DateTime, Utc};

use super::Result;
use crate::crm::activity::CalendarEntry;
use crate::crm::model::{Employee, Lookup, RecordKind};
use crate::crm::settings::Language;
use crate::store::interface::{read, Shared};
use crate::store::{settings, StoreError};

/// The workspace's facts the window shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The language chosen in the settings, `None` to follow the OS.
    pub language_setting: Option<Language>,
    /// The own employee: whose calendar opens first and who owns new activities.
    pub current_employee: Option<Lookup>,
    /// Client secrets and tokens are sealed under a key in the OS keyring.
    pub secrets_sealed: bool,
}

/// The first view: the facts, the employees (at most `limit`) and the own calendar's entries
/// between `from` and `to` (none while there is no own employee).
#[derive(Debug, Clone)]
pub struct Opening {
    pub facts: Facts,
    pub employees: Vec<Employee>,
    pub entries: Vec<CalendarEntry>,
}

/// The facts from the shared data: the own employee (the setting in a local workspace, the
/// login's employee in a team one). The language is this desktop's own: `own_facts` adds it.
fn read_facts(
    shared: &mut dyn Shared,
    secrets_sealed: bool,
) -> std::result::Result<Facts, StoreError> {
    let s = shared.system_settings()?;
    // An own employee that is gone (a row deleted outside the app) leaves a window without one,
    // not a window that cannot open.
    let current = match s.current_employee_id.map(|id| shared.employee(id)) {
        Some(Ok(e)) => Some(e),
        Some(Err(StoreError::NotFound { .. })) | None => None,
        Some(Err(e)) => return Err(e),
    };
    Ok(Facts {
        language_setting: None,
        current_employee: current.map(|e| Lookup {
            kind: RecordKind::Employee,
            id: e.id,
            label: format!("{} {}", e.fields.first_name, e.fields.last_name)
                .trim()
                .to_string(),
        }),
        secrets_sealed,
    })
}

/// `facts` with the language chosen on this desktop, a preference of the user's that stays in
/// the local file whatever the workspace.
fn own_facts(workspace: &Workspace, mut facts: Facts) -> Result<Facts> {
    facts.language_setting = workspace.store().with(|c| settings::load(c))?.language;
    Ok(facts)
}

/// The workspace's facts.
pub fn facts(workspace: &Workspace) -> Result<Facts> {
    let sealed = workspace.store().seals_secrets();
    let facts = match read(workspace.shared(), |s| read_facts(s, sealed)) {
        Ok(facts) => facts,
        // The team database away: the window still opens, with what this desktop knows, and
        // says why the rest is missing (the start's banner, the live banner).
        Err(e) if workspace.is_team() && e.is_team_database_away() => {
            tracing::warn!("the window opens without the team database: {e}");
            Facts {
                language_setting: None,
                current_employee: None,
                secrets_sealed: sealed,
            }
        }
        Err(e) => return Err(e.into()),
    };
    own_facts(workspace, facts)
}

/// The window's first view in one read.
pub fn opening(
    workspace: &Workspace,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u32,
) -> Result<Opening> {
    let sealed = workspace.store().seals_secrets();
    let opening = read(workspace.shared(), |s| {
        let facts = read_facts(s, sealed)?;
        let employees = s.search_employees("", limit)?;
        let entries = match &facts.current_employee {
            Some(me) => s.calendar(&[me.id], from, to)?,
            None => Vec::new(),
        };
        Ok::<_, StoreError>(Opening {
            facts,
            employees,
            entries,
        })
    })?;
    Ok(Opening {
        facts: own_facts(workspace, opening.facts)?,
        ..opening
    })
}

/// F4: chooses the language (`None`: the OS's) on this desktop; answers the facts as they are
/// now.
pub fn set_language(workspace: &Workspace, language: Option<Language>) -> Result<Facts> {
    workspace
        .store()
        .with(|c| settings::set_language(c, language))?;
    facts(workspace)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::crm::model::EmployeeFields;
    use crate::store::interface::write;
    use crate::store::postgres::{schema, test_server, PgEngine};
    use crate::store::Db;

    /// F4 and the own employee in a team workspace: the own employee is the one whose record
    /// names the desktop's login; the language is the user's own choice on this desktop, which
    /// a salesperson may make (the team's settings are the administrators').
    #[test]
    fn a_team_desktop_opens_as_its_logins_employee_in_its_own_language() {
        let db = test_server::shared().fresh_database();
        schema::migrate(&mut db.superuser()).unwrap();
        let login = format!("vertrieb_{}", db.name);
        let ws = Workspace::team(
            Arc::new(Db::open_in_memory().unwrap()),
            Arc::new(PgEngine::new(db.login(&login, "treffpunkt_users"))),
        );
        let vera = write(ws.shared(), |s| {
            s.insert_employee(&EmployeeFields {
                first_name: "Vera".into(),
                last_name: "Vogt".into(),
                color: "#000000".into(),
                ..Default::default()
            })
        })
        .unwrap();
        assert_eq!(
            facts(&ws).unwrap().current_employee,
            None,
            "no record names the login"
        );
        db.superuser()
            .execute(
                "UPDATE employees SET database_login = $2 WHERE id = $1",
                &[&vera, &login],
            )
            .unwrap();

        let chosen = set_language(&ws, Some(Language::En)).unwrap();
        assert_eq!(chosen.language_setting, Some(Language::En));
        let me = chosen
            .current_employee
            .clone()
            .expect("the login's employee");
        assert_eq!((me.id, me.label.as_str()), (vera, "Vera Vogt"));
        let at = Utc::now();
        let opened = opening(&ws, at, at + chrono::Duration::days(7), 50).unwrap();
        assert_eq!(opened.facts, chosen);
        assert_eq!(opened.employees.len(), 1);
        assert_eq!(
            set_language(&ws, None).unwrap().language_setting,
            None,
            "back to the OS's"
        );
    }
}
