//! The open workspace as the commands see it: the one handle through which they reach its data.
//! Two parts: this desktop's own SQLite store (sign-ins, reminders shown, preferences, the team
//! connection) and the engine of the data a team shares. In a local workspace both are the same
//! SQLite file; in a team workspace the shared engine is the team's PostgreSQL database. The
//! commands only hand the workspace to use cases, so they stay as they are either way.
//!
//! (Where a workspace keeps its files, and which one a start opens, is `crate::workspace`.)

use std::sync::Arc;

use crate::microsoft::session::Microsoft365;
use crate::reminders::Reminders;
use crate::store::interface::Engine;
use crate::store::Db;

#[derive(Clone)]
pub struct Workspace {
    db: Arc<Db>,
    shared: Arc<dyn Engine>,
}

impl Workspace {
    /// A local workspace: the SQLite file keeps the shared data too.
    pub fn new(db: Arc<Db>) -> Workspace {
        let shared: Arc<dyn Engine> = db.clone();
        Workspace { db, shared }
    }

    /// A team workspace: the shared data in `shared` (the team database), this desktop's own
    /// data in `db`.
    pub fn team(db: Arc<Db>, shared: Arc<dyn Engine>) -> Workspace {
        Workspace { db, shared }
    }

    /// The local store: this desktop's own data, and (until their use cases move to
    /// [`Workspace::shared`]) everything not yet in the store interface.
    pub fn store(&self) -> &Arc<Db> {
        &self.db
    }

    /// The engine of the data the team shares: the records and their history. Use it through
    /// `store::interface::{read, write}`.
    pub fn shared(&self) -> &dyn Engine {
        self.shared.as_ref()
    }

    /// The tie to Microsoft 365 on this workspace's sign-ins.
    pub fn microsoft365(&self) -> Microsoft365 {
        Microsoft365::with_shared(self.db.clone(), self.shared.clone())
    }

    /// The reminders of this workspace, recorded but shown nowhere outside the window until the
    /// app sets the OS's notifier.
    pub fn reminders(&self) -> Reminders {
        Reminders::without_notifications(self.db.clone())
    }
}

impl From<Arc<Db>> for Workspace {
    fn from(db: Arc<Db>) -> Workspace {
        Workspace::new(db)
    }
}
