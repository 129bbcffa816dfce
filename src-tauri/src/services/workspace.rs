//! The open workspace as the commands see it: the one handle through which they reach its data.
//! It holds the SQLite store today; a store for a shared workspace on another engine takes its
//! place here, and the commands, which only hand it to use cases, stay as they are.
//!
//! (Where a workspace keeps its files, and which one a start opens, is `crate::workspace`.)

use std::sync::Arc;

use crate::microsoft::session::Microsoft365;
use crate::reminders::Reminders;
use crate::store::Db;

#[derive(Clone)]
pub struct Workspace {
    db: Arc<Db>,
}

impl Workspace {
    pub fn new(db: Arc<Db>) -> Workspace {
        Workspace { db }
    }

    /// The store itself: for the use cases, and for the wiring and tests that build on it.
    pub fn store(&self) -> &Arc<Db> {
        &self.db
    }

    /// The tie to Microsoft 365 on this workspace's sign-ins.
    pub fn microsoft365(&self) -> Microsoft365 {
        Microsoft365::new(self.db.clone())
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
