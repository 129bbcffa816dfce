//! Where the benchmarks that run release builds find them and write what they measured.

use std::path::{Path, PathBuf};

/// The target directory the release binaries are in: `CARGO_TARGET_DIR` or `./target`.
pub fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Writes `<name>.json` and `<name>.md` into `target/bench-results` (which benches/report.sh
/// assembles into docs/benchmarks.md) and prints the markdown.
pub fn write(target: &Path, name: &str, json: &serde_json::Value, md: &str) -> Result<(), String> {
    let out = target.join("bench-results");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(json).map_err(|e| e.to_string())?;
    std::fs::write(out.join(format!("{name}.json")), json).map_err(|e| e.to_string())?;
    std::fs::write(out.join(format!("{name}.md")), md).map_err(|e| e.to_string())?;
    println!("\n{md}");
    println!("written to {}", out.display());
    Ok(())
}
