//! C7 for the use cases: where Teams is not available (the integration off, or the employee's
//! mail configuration without the Azure fields), every Teams action is refused here, so that a
//! stale or hand-made call cannot bring back what the UI hides.

use rusqlite::Connection;

use super::{CrmError, Result};
use crate::crm::activity::ActivityKind;
use crate::crm::rules::{self, ActionContext};
use crate::store::interface::Shared;
use crate::store::sqlite_shared::on_connection;
use crate::store::StoreError;

/// What decides the rules of C6/C7 for activities of `employee`.
pub fn context_of(
    conn: &Connection,
    employee: i64,
) -> std::result::Result<ActionContext, StoreError> {
    on_connection(conn, |s| context_in(s, employee))
}

/// Refuses an activity of `kind` for `employee` where Teams is not available to them.
pub fn require_kind(conn: &Connection, kind: ActivityKind, employee: i64) -> Result<()> {
    on_connection(conn, |s| require_kind_in(s, kind, employee))
}

/// Whether "An Besprechung teilnehmen" is offered for activity `id` (the reminder, the memo).
pub fn join_offered(conn: &Connection, id: i64) -> std::result::Result<bool, StoreError> {
    on_connection(conn, |s| join_offered_in(s, id))
}

// The same on the store interface, where the team's settings and activities may be the team
// database's.

/// [`context_of`] on the shared data.
pub fn context_in(
    shared: &mut dyn Shared,
    employee: i64,
) -> std::result::Result<ActionContext, StoreError> {
    let s = shared.system_settings()?;
    let mc = shared.mail_configuration_of_employee(employee)?;
    Ok(ActionContext::new(&s, mc.as_ref()))
}

/// [`require_kind`] on the shared data.
pub fn require_kind_in(shared: &mut dyn Shared, kind: ActivityKind, employee: i64) -> Result<()> {
    let ctx = context_in(shared, employee)?;
    rules::check_kind_available(kind, ctx.teams_available).map_err(CrmError::NotAllowed)
}

/// [`join_offered`] on the shared data.
pub fn join_offered_in(shared: &mut dyn Shared, id: i64) -> std::result::Result<bool, StoreError> {
    let activity = shared.activity(id)?;
    let ctx = context_in(shared, activity.owner.id)?;
    Ok(rules::can_join(&activity, ctx))
}
