//! F5: logs go to a file in the workspace's log directory. (Its own test binary: the subscriber
//! is global to a process.)

#[test]
fn logs_are_written_to_a_daily_file_in_the_log_directory() {
    let dir = tempfile::tempdir().unwrap();
    let guard = treffpunkt::logging::init(dir.path()).expect("logging starts");
    tracing::info!(activity = 42, "activity created");
    drop(guard); // flushes
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with(treffpunkt::logging::LOG_FILE_PREFIX) && name.ends_with(".log"));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        text.contains("activity created") && text.contains("activity=42"),
        "{text}"
    );
}
