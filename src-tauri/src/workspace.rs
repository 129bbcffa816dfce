//! Where a workspace keeps its files: the real one and the demo workspace (F3) live in separate
//! database files, so trying the demo never touches real data.

use std::path::{Path, PathBuf};

/// Set to a directory to keep database and logs there instead of the OS data directory (tests).
pub const DATA_DIR_ENV: &str = "TREFFPUNKT_DATA_DIR";
/// Set to `1` (or start with `--demo`) to open the demo workspace.
pub const DEMO_ENV: &str = "TREFFPUNKT_DEMO";

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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
