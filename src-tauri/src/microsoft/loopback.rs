//! The loopback redirect listener of the sign-in (B1, RFC 8252 §7.3 and §8.3): 127.0.0.1 on a
//! random port, one callback accepted (the one with the request's `state`), then closed; closed
//! too after a timeout or when the user cancels. The browser tab gets a small page in the user's language.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

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
/// How long one connection may take to send its request head: a connection that sends nothing
/// (or dribbles) is closed after this, and never delays the others.
const READ_DEADLINE: Duration = Duration::from_secs(3);
/// Connections read at the same time; more are closed at once until one ends, so that a flood of
/// local connections cannot make the listener hold unbounded work.
const MAX_CONNECTIONS: usize = 32;

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

    /// Waits for the callback whose `state` is `expected_state`: only that callback (a code, or
    /// an `error=` answer with the right `state`) ends the wait. Anything else a local process or
    /// the browser sends (another path, a malformed request, a callback with another or no
    /// `state`) is answered 404 and the wait goes on, so nobody but the identity platform's
    /// redirect can end a sign-in (RFC 8252 §8.3, "Loopback Redirect Considerations"). Each
    /// connection is read on its own task with [`READ_DEADLINE`], so a slow or silent one holds
    /// nothing up. The listener is closed when this returns, whatever the outcome.
    pub async fn wait(
        self,
        expected_state: &str,
        timeout: Duration,
        cancel: oneshot::Receiver<()>,
        language: Language,
    ) -> Result<Callback, LoopbackError> {
        let expected: Arc<str> = Arc::from(expected_state);
        let (found_tx, mut found) = mpsc::channel::<Callback>(1);
        // Dropped with this function: every connection still being read is ended.
        let mut connections = JoinSet::new();
        let wait = async {
            loop {
                tokio::select! {
                    accepted = self.listener.accept() => {
                        let (stream, _) =
                            accepted.map_err(|e| LoopbackError::Io(e.to_string()))?;
                        // Finished connections are forgotten, so the count is of live ones.
                        while connections.try_join_next().is_some() {}
                        if connections.len() >= MAX_CONNECTIONS {
                            drop(stream);
                            continue;
                        }
                        connections.spawn(serve(
                            stream,
                            expected.clone(),
                            language,
                            found_tx.clone(),
                        ));
                    }
                    Some(callback) = found.recv() => return Ok(callback),
                }
            }
        };
        tokio::select! {
            result = wait => result,
            _ = tokio::time::sleep(timeout) => Err(LoopbackError::Timeout),
            _ = cancel => Err(LoopbackError::Cancelled),
        }
        // `self.listener` and `connections` are dropped here: the port is closed.
    }
}

/// One connection to the listener: its request head is read within [`READ_DEADLINE`]; the
/// callback with the expected `state` is answered with the page and handed to the wait, anything
/// else with 404.
async fn serve(
    mut stream: TcpStream,
    expected_state: Arc<str>,
    language: Language,
    found: mpsc::Sender<Callback>,
) {
    let Ok(Ok(head)) = tokio::time::timeout(READ_DEADLINE, read_head(&mut stream)).await else {
        return;
    };
    let callback = accept_callback(&head, &expected_state).ok().flatten();
    let (status, body) = match &callback {
        Some(c) => ("200 OK", page(language, matches!(c, Callback::Code { .. }))),
        None => ("404 Not Found", String::new()),
    };
    let answer = respond(&mut stream, status, &body);
    // A browser that does not read its answer does not hold the connection either.
    let _ = tokio::time::timeout(READ_DEADLINE, answer).await;
    if let Some(callback) = callback {
        let _ = found.send(callback).await;
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await?;
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

    /// Sends `request` on a new connection and returns the answer's status line.
    async fn status_of(port: u16, request: &[u8]) -> String {
        let mut c = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        c.write_all(request).await.unwrap();
        let mut answer = String::new();
        c.read_to_string(&mut answer).await.unwrap();
        answer.lines().next().unwrap_or_default().to_string()
    }

    /// Nobody but the right callback ends the sign-in: a stray request, a malformed one, a
    /// callback with a wrong `state` and a connection that sends nothing are each answered (or
    /// dropped) while the wait goes on, and the real callback still signs in at once.
    #[tokio::test]
    async fn strays_and_silent_connections_neither_end_nor_hold_up_the_sign_in() {
        let listener = LoopbackListener::bind().await.unwrap();
        let port = listener.port();
        let (_keep, cancel) = oneshot::channel();
        let waiting = tokio::spawn(async move {
            listener
                .wait("s", Duration::from_secs(30), cancel, Language::En)
                .await
        });
        // Opened first and never written to: it must not delay anyone.
        let _silent = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let started = std::time::Instant::now();
        for stray in [
            &b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n"[..],
            b"\x16\x03\x01 not http at all\r\n\r\n",
            b"GET /?code=c&state=forged HTTP/1.1\r\n\r\n",
            b"GET /?error=access_denied&state=forged HTTP/1.1\r\n\r\n",
            b"GET /?error=access_denied HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(
                status_of(port, stray).await,
                "HTTP/1.1 404 Not Found",
                "{}",
                String::from_utf8_lossy(stray)
            );
            assert!(!waiting.is_finished(), "a stray request ended the sign-in");
        }
        let answer = status_of(port, b"GET /?code=c&state=s HTTP/1.1\r\n\r\n").await;
        assert_eq!(answer, "HTTP/1.1 200 OK");
        assert_eq!(
            waiting.await.unwrap(),
            Ok(Callback::Code {
                code: "c".into(),
                state: "s".into()
            })
        );
        assert!(
            started.elapsed() < READ_DEADLINE,
            "the silent connection held the others up"
        );
    }

    /// An error answer with the request's `state` ends the wait, as the user's refusal must.
    #[tokio::test]
    async fn an_error_callback_with_the_right_state_ends_the_wait() {
        let listener = LoopbackListener::bind().await.unwrap();
        let port = listener.port();
        let (_keep, cancel) = oneshot::channel();
        let waiting = tokio::spawn(async move {
            listener
                .wait("s", Duration::from_secs(30), cancel, Language::En)
                .await
        });
        let answer = status_of(
            port,
            b"GET /?error=access_denied&error_description=no&state=s HTTP/1.1\r\n\r\n",
        )
        .await;
        assert_eq!(answer, "HTTP/1.1 200 OK");
        assert!(matches!(
            waiting.await.unwrap(),
            Ok(Callback::Error { error, .. }) if error == "access_denied"
        ));
    }

    /// A connection that sends nothing is closed after the read deadline.
    #[tokio::test]
    async fn a_silent_connection_is_closed_after_the_read_deadline() {
        let listener = LoopbackListener::bind().await.unwrap();
        let port = listener.port();
        let (_keep, cancel) = oneshot::channel();
        let _waiting = tokio::spawn(async move {
            listener
                .wait("s", Duration::from_secs(30), cancel, Language::En)
                .await
        });
        let mut silent = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let mut buf = [0u8; 16];
        let closed = tokio::time::timeout(READ_DEADLINE * 2, silent.read(&mut buf)).await;
        assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "{closed:?}");
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
