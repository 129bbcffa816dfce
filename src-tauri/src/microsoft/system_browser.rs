//! Opens the sign-in page in the user's browser. `$BROWSER` is read as xdg-open reads it
//! (xdg-utils' `xdg-open`, `open_envvar`): a colon-separated list of commands, tried in order
//! until one succeeds; `%s` in a command stands for the URL, else the URL is appended as the
//! last argument. Without `$BROWSER`, the system's default browser opens it. (On Windows a path
//! holds colons, so there `$BROWSER` is one command.)

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a started browser command may take to fail: one that ends with an error within it is
/// a failure (the next is tried), one still running after it is a browser that opened.
pub const GRACE: Duration = Duration::from_secs(1);

/// Opens `url` with `$BROWSER` if it is set, else with the system's default browser.
pub fn open(url: &str) -> Result<(), String> {
    match std::env::var("BROWSER") {
        Ok(list) if !list.trim().is_empty() => open_with(&list, url, GRACE),
        _ => opener::open(url).map_err(|e| e.to_string()),
    }
}

/// The commands `$BROWSER` = `list` names for `url`, each as its words, in the order they are tried.
pub fn commands(list: &str, url: &str) -> Vec<Vec<String>> {
    let entries: Vec<&str> = if cfg!(windows) {
        vec![list]
    } else {
        list.split(':').collect()
    };
    entries
        .into_iter()
        .filter(|entry| !entry.trim().is_empty())
        .map(|entry| {
            let mut words: Vec<String> =
                entry.split_whitespace().map(|w| with_url(w, url)).collect();
            if !entry.contains("%s") {
                words.push(url.to_string());
            }
            words
        })
        .collect()
}

/// `word` with `%s` replaced by `url` and `%%` by `%`, as xdg-open's `printf` does.
fn with_url(word: &str, url: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('%', Some('s')) => {
                chars.next();
                out.push_str(url);
            }
            ('%', Some('%')) => {
                chars.next();
                out.push('%');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Tries each command of `list` in turn; the error names every command that failed and why
/// (never the URL, which carries the sign-in's `state`).
pub fn open_with(list: &str, url: &str, grace: Duration) -> Result<(), String> {
    let mut failures = Vec::new();
    for words in commands(list, url) {
        match run(&words, grace) {
            Ok(()) => return Ok(()),
            Err(why) => failures.push(format!("{}: {why}", words[0])),
        }
    }
    if failures.is_empty() {
        return Err("$BROWSER names no command".into());
    }
    Err(format!(
        "no command in $BROWSER opened the page ({})",
        failures.join("; ")
    ))
}

fn run(words: &[String], grace: Duration) -> Result<(), String> {
    let mut child = Command::new(&words[0])
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => return Err(format!("ended with {status}")),
            None if started.elapsed() >= grace => {
                reap_later(child);
                return Ok(());
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// A browser that keeps running is waited for on its own thread, so that it leaves no zombie.
fn reap_later(mut child: Child) {
    std::thread::spawn(move || {
        let _ = child.wait();
    });
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const URL: &str = "https://login.example/authorize?state=s&x=1";

    #[test]
    fn browser_is_a_colon_separated_list_with_percent_s_for_the_url() {
        assert_eq!(
            commands("firefox:chromium --new-window %s::w3m", URL),
            vec![
                vec!["firefox".to_string(), URL.into()],
                vec!["chromium".into(), "--new-window".into(), URL.into()],
                vec!["w3m".into(), URL.into()],
            ]
        );
        assert_eq!(
            commands("open --url=%s --percent=100%%", URL),
            vec![vec![
                "open".to_string(),
                format!("--url={URL}"),
                "--percent=100%".into()
            ]]
        );
        assert!(commands(" : ", URL).is_empty());
    }

    /// A missing command and one that fails are passed over; the next opens the page, with `%s`
    /// replaced by the URL.
    #[test]
    fn the_first_command_that_works_opens_the_page() {
        let dir = std::env::temp_dir().join(format!("browser-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("opened");
        let script = dir.join("browser.sh");
        std::fs::write(
            &script,
            format!("printf '%s\\n' \"$@\" > '{}'\n", out.display()),
        )
        .unwrap();
        let list = format!(
            "/nonexistent/browser:false:sh {} --new-tab %s",
            script.display()
        );
        open_with(&list, URL, Duration::from_secs(5)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            format!("--new-tab\n{URL}\n")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn when_no_command_works_each_is_named_and_the_url_is_not() {
        let e = open_with("/nonexistent/browser:false", URL, Duration::from_secs(5)).unwrap_err();
        assert!(
            e.contains("/nonexistent/browser") && e.contains("false"),
            "{e}"
        );
        assert!(!e.contains("state="), "{e}");
        assert!(open_with("::", URL, GRACE).is_err());
    }

    #[test]
    fn a_browser_that_keeps_running_has_opened_the_page() {
        // `sleep 5`: the URL is its last argument here.
        open_with("sleep", "5", Duration::from_millis(100)).unwrap();
    }
}
