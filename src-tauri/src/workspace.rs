//! Where a workspace keeps its files: the real one and the demo workspace (F3) live in separate
//! database files, so trying the demo never touches real data.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::crm::validation::UrlPolicy;

/// Set to a directory to keep database and logs there instead of the OS data directory (tests).
pub const DATA_DIR_ENV: &str = "TREFFPUNKT_DATA_DIR";
/// Set to `1` (or start with `--demo`) to open the demo workspace.
pub const DEMO_ENV: &str = "TREFFPUNKT_DEMO";
/// Set to `1` to let the custom cloud use plain http on the loopback interface outside the demo
/// workspace: a developer's own simulator (`m365-sim`).
pub const DEV_ALLOW_HTTP_ENV: &str = "TREFFPUNKT_DEV_ALLOW_HTTP";

/// Which custom-cloud URLs the settings accept: http on the loopback interface only in the demo
/// workspace (its simulator) or behind the developer switch; everywhere else https.
pub fn custom_cloud_url_policy(demo: bool) -> UrlPolicy {
    if demo || std::env::var(DEV_ALLOW_HTTP_ENV).is_ok_and(|v| v == "1") {
        UrlPolicy::AllowHttpLoopback
    } else {
        UrlPolicy::HttpsOnly
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub demo: bool,
    pub data_dir: PathBuf,
}

impl Workspace {
    /// The workspace chosen by the command line and the environment, under `default_data_dir`
    /// (the OS data directory, e.g. `~/.local/share/de.treffpunkt.crm`).
    pub fn from_env(default_data_dir: &Path) -> Workspace {
        let demo = std::env::args().any(|a| a == "--demo")
            || std::env::var(DEMO_ENV).is_ok_and(|v| v == "1");
        let data_dir = std::env::var_os(DATA_DIR_ENV)
            .map(PathBuf::from)
            .unwrap_or_else(|| default_data_dir.to_path_buf());
        Workspace { demo, data_dir }
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(if self.demo {
            "treffpunkt-demo.sqlite"
        } else {
            "treffpunkt.sqlite"
        })
    }

    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }

    /// Takes the workspace for this process: the database, the keyring's first key, the demo's
    /// simulator and the reconciliation of interrupted sends each have one owner. The OS releases
    /// the lock when the process ends, however it ends, so no stale lock outlives a crash.
    pub fn lock(&self) -> Result<WorkspaceLock, WorkspaceLockError> {
        let path = self.database_path().with_extension("lock");
        let unlockable = |e: std::io::Error| WorkspaceLockError::Unlockable {
            lock_file: path.clone(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(&self.data_dir).map_err(unlockable)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(unlockable)?;
        match file.try_lock() {
            Ok(()) => Ok(WorkspaceLock(file)),
            Err(TryLockError::WouldBlock) => Err(WorkspaceLockError::InUse {
                database: self.database_path(),
            }),
            Err(TryLockError::Error(e)) => Err(unlockable(e)),
        }
    }

    /// A name for this workspace that other starts of the app find it by (a D-Bus name element
    /// on Linux): the same for the same database file, different for the demo and the real one.
    pub fn instance_name(&self) -> String {
        let digest = Sha256::digest(self.database_path().to_string_lossy().as_bytes());
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("w{hex}")
    }
}

/// This process's hold on a workspace (see `Workspace::lock`); released when dropped.
#[derive(Debug)]
pub struct WorkspaceLock(#[allow(dead_code)] File);

/// Why this process cannot have the workspace.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceLockError {
    #[error("{} is open in another Treffpunkt: use that window", database.display())]
    InUse { database: PathBuf },
    #[error("Treffpunkt cannot take its lock file {}: {reason}", lock_file.display())]
    Unlockable { lock_file: PathBuf, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_process_at_a_time_holds_a_workspace_and_the_demo_is_another() {
        let dir = tempfile::tempdir().unwrap();
        let real = Workspace {
            demo: false,
            data_dir: dir.path().into(),
        };
        let demo = Workspace {
            demo: true,
            ..real.clone()
        };
        let held = real.lock().unwrap();
        let refused = real.lock().unwrap_err();
        assert!(
            matches!(&refused, WorkspaceLockError::InUse { database } if *database == real.database_path()),
            "{refused}"
        );
        let _demo = demo.lock().expect("the demo workspace is another one");
        assert_ne!(real.instance_name(), demo.instance_name());
        drop(held);
        real.lock().expect("free again once the holder is gone");
    }

    #[test]
    fn demo_and_real_data_never_share_a_file() {
        let real = Workspace {
            demo: false,
            data_dir: "/d".into(),
        };
        let demo = Workspace {
            demo: true,
            ..real.clone()
        };
        assert_ne!(real.database_path(), demo.database_path());
        assert_eq!(real.log_dir(), PathBuf::from("/d/logs"));
    }

    #[test]
    fn http_on_the_loopback_is_the_demos_or_a_developers() {
        assert_eq!(custom_cloud_url_policy(true), UrlPolicy::AllowHttpLoopback);
        if std::env::var(DEV_ALLOW_HTTP_ENV).is_err() {
            assert_eq!(custom_cloud_url_policy(false), UrlPolicy::HttpsOnly);
        }
    }
}
