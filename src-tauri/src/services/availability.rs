//! C7 for the use cases: where Teams is not available (the integration off, or the employee's
//! mail configuration without the Azure fields), every Teams action is refused here, so that a
//! stale or hand-made call cannot bring back what the UI hides.

use rusqlite::Connection;

use super::{CrmError, Result};
use crate::crm::activity::ActivityKind;
use crate::crm::rules::{self, ActionContext};
use crate::store::{activities, mail_configurations, settings, StoreError};

/// What decides the rules of C6/C7 for activities of `employee`.
pub fn context_of(
    conn: &Connection,
    employee: i64,
) -> std::result::Result<ActionContext, StoreError> {
    let s = settings::load(conn)?;
    let mc = mail_configurations::of_employee(conn, employee)?;
    Ok(ActionContext::new(&s, mc.as_ref()))
}

/// Refuses an activity of `kind` for `employee` where Teams is not available to them.
pub fn require_kind(conn: &Connection, kind: ActivityKind, employee: i64) -> Result<()> {
    let ctx = context_of(conn, employee)?;
    rules::check_kind_available(kind, ctx.teams_available).map_err(CrmError::NotAllowed)
}

/// Whether "An Besprechung teilnehmen" is offered for activity `id` (the reminder, the memo).
pub fn join_offered(conn: &Connection, id: i64) -> std::result::Result<bool, StoreError> {
    let activity = activities::get(conn, id)?;
    Ok(rules::can_join(
        &activity,
        context_of(conn, activity.owner.id)?,
    ))
}
