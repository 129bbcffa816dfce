//! C7 at the IPC surface: where Teams is not available (the integration off, or the employee's
//! mail configuration without the Azure fields), the commands refuse every Teams action, so that
//! a stale or hand-made call cannot bring back what the UI hides.

use rusqlite::Connection;

use super::{IpcError, IpcResult};
use crate::crm::activity::ActivityKind;
use crate::crm::rules::{self, ActionContext};
use crate::crm::ErrorCode;
use crate::store::{activities, mail_configurations, settings, Db, StoreError};

/// What decides the rules of C6/C7 for activities of `employee`.
pub(super) fn context_of(conn: &Connection, employee: i64) -> Result<ActionContext, StoreError> {
    let s = settings::load(conn)?;
    let mc = mail_configurations::of_employee(conn, employee)?;
    Ok(ActionContext::new(&s, mc.as_ref()))
}

/// Refuses an activity of `kind` for `employee` where Teams is not available to them.
pub(super) fn require_kind(db: &Db, kind: ActivityKind, employee: i64) -> IpcResult<()> {
    let ctx = db.with(|c| context_of(c, employee))?;
    rules::check_kind_available(kind, ctx.teams_available).map_err(refusal)
}

/// Refuses joining activity `id` where Teams is not available to its owner (whose mailbox sent it).
pub(super) fn require_join(conn: &Connection, id: i64) -> IpcResult<()> {
    let activity = activities::get(conn, id)?;
    let ctx = context_of(conn, activity.owner.id)?;
    rules::check_kind_available(ActivityKind::TeamsMeeting, ctx.teams_available).map_err(refusal)
}

/// Whether "An Besprechung teilnehmen" is offered for activity `id` (the reminder, the memo).
pub(super) fn join_offered(conn: &Connection, id: i64) -> Result<bool, StoreError> {
    let activity = activities::get(conn, id)?;
    Ok(rules::can_join(
        &activity,
        context_of(conn, activity.owner.id)?,
    ))
}

fn refusal(code: ErrorCode) -> IpcError {
    IpcError::new(
        code,
        "MS Teams is not available: the integration is off or the mail configuration has no Azure fields",
    )
}
