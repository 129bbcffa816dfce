//! The webview's surface. The Content-Security-Policy allows no remote or inline script,
//! and no capability grants the webview a plugin permission: a new one fails this test until it
//! is added here on purpose.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_csp_allows_only_the_apps_own_code() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap())
            .unwrap();
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    let directive = |name: &str| -> Vec<String> {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(&format!("{name} ")))
            .map(|d| d.split_whitespace().skip(1).map(str::to_string).collect())
            .unwrap_or_default()
    };
    assert_eq!(directive("default-src"), vec!["'self'"]);
    assert_eq!(
        directive("script-src"),
        vec!["'self'"],
        "no inline or remote script"
    );
    for name in [
        "default-src",
        "script-src",
        "style-src",
        "img-src",
        "font-src",
        "connect-src",
    ] {
        for source in directive(name) {
            assert!(
                !source.starts_with("http://") && !source.starts_with("https://")
                    || source == "http://ipc.localhost",
                "{name} loads remote content from {source}"
            );
        }
    }
}

#[test]
fn no_capability_grants_a_permission_unnoticed() {
    // The UI calls only the app's own commands; plugins (notifications) are used from Rust.
    let expected: BTreeSet<String> = BTreeSet::new();
    let mut granted = BTreeSet::new();
    // The directory must exist: tauri-build watches it, and a missing one makes every build rerun
    // the build script and recompile the crate.
    let dir = root().join("capabilities");
    assert!(dir.is_dir(), "capabilities/ is missing");
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let cap: serde_json::Value = serde_json::from_str(&text).unwrap();
        for p in cap["permissions"].as_array().into_iter().flatten() {
            granted.insert(
                p.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| p["identifier"].to_string()),
            );
        }
    }
    assert_eq!(
        granted, expected,
        "a permission was granted to the webview; review it and list it here"
    );
}
