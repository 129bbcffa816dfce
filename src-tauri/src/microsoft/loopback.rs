//! The loopback redirect listener of the sign-in (B1, RFC 8252 §7.3 and §8.3): 127.0.0.1 on a
//! random port, one callback accepted, then closed; closed too after a timeout or when the user
//! cancels. The browser tab gets a small page in the user's language.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::crm::settings::Language;

/// What the identity platform sent to the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code {
        code: String,
        state: String,
    },
    Error {
        error: String,
        description: String,
        state: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoopbackError {
    #[error("no answer from the browser in time")]
    Timeout,
    #[error("the sign-in was cancelled in the app")]
    Cancelled,
    #[error("the answer's state does not match the request's")]
    StateMismatch,
    #[error("the answer is malformed")]
    Malformed,
    #[error("the listener failed: {0}")]
    Io(String),
}

/// The largest request head read from the browser.
const MAX_HEAD: usize = 8 * 1024;
/// Stray requests (e.g. a favicon) answered with 404 before the callback; more end the wait.
const MAX_STRAY_REQUESTS: usize = 8;

/// Parses the head of an HTTP request to the redirect URI: `GET /?code=..&state=.. HTTP/1.1`.
/// Returns `None` for another path (answered 404), an error for anything malformed.
pub fn parse_callback(head: &str) -> Result<Option<Callback>, LoopbackError> {
    let line = head.lines().next().ok_or(LoopbackError::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(LoopbackError::Malformed);
    };
    if method != "GET" || !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return Err(LoopbackError::Malformed);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/" {
        return Ok(None);
    }
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = String::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let slot = match k.as_ref() {
            "code" => &mut code,
            "state" => &mut state,
            "error" => &mut error,
            "error_description" => {
                description = v.into_owned();
                continue;
            }
            _ => continue,
        };
        // A parameter given twice is not an answer the identity platform sends.
        if slot.replace(v.into_owned()).is_some() {
            return Err(LoopbackError::Malformed);
        }
    }
    match (code, error) {
        (Some(code), None) => Ok(Some(Callback::Code {
            code,
            state: state.ok_or(LoopbackError::Malformed)?,
        })),
        (None, Some(error)) => Ok(Some(Callback::Error {
            error,
            description,
            state,
        })),
        _ => Err(LoopbackError::Malformed),
    }
}

/// [`parse_callback`], then the `state` check of the wait: `Ok(Some(_))` only for a callback whose
/// `state` is exactly `expected_state`; `Ok(None)` for another path; an error for anything else.
/// Pure, so the fuzzer can hold the property "no callback with a wrong state is accepted".
pub fn accept_callback(
    head: &str,
    expected_state: &str,
) -> Result<Option<Callback>, LoopbackError> {
    let Some(callback) = parse_callback(head)? else {
        return Ok(None);
    };
    let state = match &callback {
        Callback::Code { state, .. } => Some(state.as_str()),
        Callback::Error { state, .. } => state.as_deref(),
    };
    if state != Some(expected_state) {
        return Err(LoopbackError::StateMismatch);
    }
    Ok(Some(callback))
}

pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
}

impl LoopbackListener {
    /// Listens on 127.0.0.1 on a port the OS picks.
    pub async fn bind() -> std::io::Result<LoopbackListener> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        Ok(LoopbackListener { listener, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to register as `http://127.0.0.1` (the port is ignored for loopback).
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Waits for the callback whose `state` is `expected_state`. The listener is closed when this
    /// returns, whatever the outcome.
    pub async fn wait(
        self,
        expected_state: &str,
        timeout: Duration,
        cancel: oneshot::Receiver<()>,
        language: Language,
    ) -> Result<Callback, LoopbackError> {
        let wait = async {
            let mut strays = 0;
            loop {
                let (mut stream, _) = self
                    .listener
                    .accept()
                    .await
                    .map_err(|e| LoopbackError::Io(e.to_string()))?;
                let head = match read_head(&mut stream).await {
                    Ok(h) => h,
                    Err(_) => continue,
                };
                match accept_callback(&head, expected_state) {
                    Ok(None) => {
                        respond(&mut stream, "404 Not Found", "").await;
                        strays += 1;
                        if strays > MAX_STRAY_REQUESTS {
                            return Err(LoopbackError::Malformed);
                        }
                    }
                    Err(e) => {
                        respond(&mut stream, "400 Bad Request", &page(language, false)).await;
                        return Err(e);
                    }
                    Ok(Some(callback)) => {
                        let ok = matches!(callback, Callback::Code { .. });
                        respond(&mut stream, "200 OK", &page(language, ok)).await;
                        return Ok(callback);
                    }
                }
            }
        };
        tokio::select! {
            result = wait => result,
            _ = tokio::time::sleep(timeout) => Err(LoopbackError::Timeout),
            _ = cancel => Err(LoopbackError::Cancelled),
        }
        // `self.listener` is dropped here: the port is closed.
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .map_err(|_| std::io::Error::other("slow client"))??;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() >= MAX_HEAD {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The self-contained page the browser tab shows after the redirect.
pub fn page(language: Language, success: bool) -> String {
    let (title, text) = match (language, success) {
        (Language::De, true) => (
            "Anmeldung erfolgreich",
            "Treffpunkt ist jetzt bei Microsoft 365 angemeldet. Sie können diesen Tab schließen.",
        ),
        (Language::De, false) => (
            "Anmeldung fehlgeschlagen",
            "Die Anmeldung wurde nicht abgeschlossen. Treffpunkt zeigt den Grund an. Sie können diesen Tab schließen.",
        ),
        (Language::En, true) => (
            "Signed in",
            "Treffpunkt is now signed in to Microsoft 365. You can close this tab.",
        ),
        (Language::En, false) => (
            "Sign-in failed",
            "The sign-in was not completed. Treffpunkt shows why. You can close this tab.",
        ),
    };
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;max-width:30rem;margin:4rem auto;color:#0f172a}}</style>\
         </head><body><h1>{title}</h1><p>{text}</p></body></html>",
        language.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_and_state_are_read() {
        assert_eq!(
            parse_callback("GET /?code=abc%2Fd&state=xyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
            Ok(Some(Callback::Code {
                code: "abc/d".into(),
                state: "xyz".into()
            }))
        );
    }

    #[test]
    fn an_error_answer_is_read() {
        assert_eq!(
            parse_callback("GET /?error=access_denied&error_description=the+user+canceled&state=s HTTP/1.1\r\n\r\n"),
            Ok(Some(Callback::Error {
                error: "access_denied".into(),
                description: "the user canceled".into(),
                state: Some("s".into())
            }))
        );
    }

    #[test]
    fn other_paths_are_not_the_callback() {
        assert_eq!(
            parse_callback("GET /favicon.ico HTTP/1.1\r\n\r\n"),
            Ok(None)
        );
    }

    #[test]
    fn malformed_requests_are_refused() {
        for bad in [
            "",
            "POST /?code=a&state=b HTTP/1.1",
            "GET /?code=a HTTP/1.1",
            "GET /?code=a&code=b&state=s HTTP/1.1",
            "GET /?state=s HTTP/1.1",
            "GET /?code=a&error=x&state=s HTTP/1.1",
            "GET /?code=a&state=b HTTP/1.1 extra",
            "GET /?code=a&state=b SMTP/1.0",
        ] {
            assert!(parse_callback(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[tokio::test]
    async fn the_port_is_closed_after_a_timeout_and_after_the_callback() {
        let listener = LoopbackListener::bind().await.unwrap();
        let port = listener.port();
        let (_keep, cancel) = oneshot::channel();
        let r = listener
            .wait("s", Duration::from_millis(50), cancel, Language::En)
            .await;
        assert_eq!(r, Err(LoopbackError::Timeout));
        assert!(
            TcpStream::connect(("127.0.0.1", port)).await.is_err(),
            "still listening"
        );

        let listener = LoopbackListener::bind().await.unwrap();
        let port = listener.port();
        let (_keep, cancel) = oneshot::channel();
        let waiting = tokio::spawn(async move {
            listener
                .wait("s", Duration::from_secs(5), cancel, Language::En)
                .await
        });
        let mut browser = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        browser
            .write_all(b"GET /?code=c&state=s HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        browser.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK"));
        assert!(answer.contains("Content-Security-Policy: default-src 'none'"));
        assert!(waiting.await.unwrap().is_ok());
        assert!(
            TcpStream::connect(("127.0.0.1", port)).await.is_err(),
            "one callback, then closed"
        );
    }

    #[test]
    fn only_the_expected_state_is_accepted() {
        let head = "GET /?code=c&state=s HTTP/1.1\r\n\r\n";
        assert!(matches!(
            accept_callback(head, "s"),
            Ok(Some(Callback::Code { .. }))
        ));
        assert_eq!(
            accept_callback(head, "t"),
            Err(LoopbackError::StateMismatch)
        );
        assert_eq!(
            accept_callback("GET /?error=access_denied HTTP/1.1", "s"),
            Err(LoopbackError::StateMismatch)
        );
        assert_eq!(accept_callback("GET /favicon.ico HTTP/1.1", "s"), Ok(None));
    }

    #[test]
    fn the_page_speaks_the_users_language() {
        assert!(page(Language::De, true).contains("Sie können diesen Tab schließen"));
        assert!(page(Language::En, false).contains("Sign-in failed"));
    }
}
