//! A WebDriver session with the app through tauri-driver: the end-to-end tests and the window
//! benchmark start the driver, then open the app in it this way.

use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// The session with `application` (the app's binary) through the tauri-driver listening on
/// `port`, tried for up to 20 s while the driver starts.
pub async fn open(port: u16, application: &str) -> Result<Client, String> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        json!({ "application": application }),
    );
    caps.insert("browserName".into(), json!("wry"));
    let url = format!("http://127.0.0.1:{port}");
    let mut last = String::from("no attempt");
    for _ in 0..100 {
        match ClientBuilder::rustls()
            .map_err(|e| e.to_string())?
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return Ok(client),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!("no WebDriver session: {last}"))
}
