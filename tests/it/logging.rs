//! F5: logs go to a file in the workspace's log directory, which only the user can read. (In a
//! process of its own: the subscriber is global to a process, see `common::isolated`.)

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn logs_are_written_to_a_daily_file_in_a_private_log_directory() {
    if !crate::common::isolated::alone(
        module_path!(),
        "logs_are_written_to_a_daily_file_in_a_private_log_directory",
    ) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("logs");
    // As an earlier version left it: a directory and a file everybody could read.
    std::fs::create_dir(&dir).unwrap();
    let old = dir.join("treffpunkt.2020-01-01.log");
    std::fs::write(&old, "old\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    let guard = treffpunkt::logging::init(&dir).expect("logging starts");
    tracing::info!(activity = 42, "activity created");
    drop(guard); // flushes
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| *p != old)
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with(treffpunkt::logging::LOG_FILE_PREFIX) && name.ends_with(".log"));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        text.contains("activity created") && text.contains("activity=42"),
        "{text}"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700, "the log directory");
        assert_eq!(mode(&files[0]), 0o600, "today's log file");
        assert_eq!(mode(&old), 0o600, "an earlier log file");
    }
}
