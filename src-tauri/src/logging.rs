//! Logs (F5): `tracing` to a daily file in the workspace's log directory, a week kept.
//! Nothing secret is ever logged: tokens, secrets and codes never reach a `tracing` call.
//!
//! What is logged still tells who works with whom and when, so the directory is the user's only
//! (0700) and so is every file in it (0600), as the database is.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

pub const LOG_FILE_PREFIX: &str = "treffpunkt";
const LOG_FILE_SUFFIX: &str = "log";
const KEPT_FILES: usize = 7;

/// Starts logging to `dir`. Keep the guard alive for as long as the app runs: dropping it
/// flushes the file.
pub fn init(dir: &Path) -> Option<WorkerGuard> {
    make_private_dir(dir).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(DailyFile::new(dir));
    let filter = EnvFilter::try_from_env("TREFFPUNKT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,treffpunkt=debug"));
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(writer).with_ansi(false))
        .with(fmt::layer().with_writer(std::io::stderr))
        .try_init()
        .is_ok();
    installed.then_some(guard)
}

/// Creates `dir` readable by its owner only, and makes it and the log files an earlier version
/// left there (0755 and 0644) so.
fn make_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)?;
    for file in log_files(dir)? {
        set_mode(&file, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// The log files in `dir`, oldest first (the date in the name sorts them).
fn log_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&format!("{LOG_FILE_PREFIX}."))
                    && n.ends_with(&format!(".{LOG_FILE_SUFFIX}"))
            })
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The day's log file, `treffpunkt.YYYY-MM-DD.log` (UTC days), created with mode 0600 (a
/// rolling appender that creates its files with the umask's mode would make them 0644); at
/// each new file the oldest beyond `KEPT_FILES` go.
struct DailyFile {
    dir: PathBuf,
    open: Option<(NaiveDate, File)>,
}

impl DailyFile {
    fn new(dir: &Path) -> DailyFile {
        DailyFile {
            dir: dir.to_path_buf(),
            open: None,
        }
    }

    fn file_of(&mut self, day: NaiveDate) -> io::Result<&mut File> {
        if self.open.as_ref().is_none_or(|(open, _)| *open != day) {
            let path = self.dir.join(format!(
                "{LOG_FILE_PREFIX}.{}.{LOG_FILE_SUFFIX}",
                day.format("%Y-%m-%d")
            ));
            let file = open_private(&path)?;
            self.open = Some((day, file));
            let files = log_files(&self.dir)?;
            for old in &files[..files.len().saturating_sub(KEPT_FILES)] {
                let _ = std::fs::remove_file(old);
            }
        }
        Ok(&mut self.open.as_mut().expect("opened above").1)
    }
}

fn open_private(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // `mode` applies only to a file this call creates.
    set_mode(path, 0o600)?;
    Ok(file)
}

impl Write for DailyFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file_of(Utc::now().date_naive())?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.open {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_day_opens_a_new_private_file_and_a_week_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = DailyFile::new(dir.path());
        let first = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        for n in 0..10 {
            let day = first + chrono::Duration::days(n);
            log.file_of(day).unwrap().write_all(b"line\n").unwrap();
        }
        let files = log_files(dir.path()).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), KEPT_FILES);
        assert_eq!(names[0], "treffpunkt.2024-03-04.log");
        assert_eq!(names[6], "treffpunkt.2024-03-10.log");
        #[cfg(unix)]
        for file in files {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
}
