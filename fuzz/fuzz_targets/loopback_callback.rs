//! The loopback listener's request parser (B1). Whatever reaches 127.0.0.1 (the browser, another
//! local process), the parser answers without panicking, reads only the request line, takes a
//! callback only from `GET /?...` with exactly one `code` or one `error`, and never hands over a
//! callback whose `state` is not the one the sign-in expects.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treffpunkt::microsoft::loopback::{accept_callback, parse_callback, Callback, LoopbackError};

const EXPECTED_STATE: &str = "S1";

/// The values of parameter `key` in the request line's query, decoded independently.
fn values(line: &str, key: &str) -> Vec<String> {
    let target = line.split(' ').nth(1).unwrap_or_default();
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    // As the listener reads it: the bytes of the head, lossily as UTF-8.
    let head = String::from_utf8_lossy(data);
    let parsed = parse_callback(&head);

    // Only the request line counts: headers cannot change the answer.
    let line = head.lines().next().unwrap_or_default();
    assert_eq!(parse_callback(line), parsed, "headers changed the parse");

    if let Ok(Some(callback)) = &parsed {
        assert!(line.starts_with("GET /?"), "callback from {line:?}");
        match callback {
            Callback::Code { code, state } => {
                assert_eq!(values(line, "code"), vec![code.clone()]);
                assert_eq!(values(line, "state"), vec![state.clone()]);
                assert!(values(line, "error").is_empty());
            }
            Callback::Error { error, state, .. } => {
                assert_eq!(values(line, "error"), vec![error.clone()]);
                assert!(values(line, "code").is_empty());
                assert_eq!(
                    values(line, "state"),
                    state.iter().cloned().collect::<Vec<_>>()
                );
            }
        }
    }

    // The wait's decision: a wrong or missing state is never accepted.
    let accepted = accept_callback(&head, EXPECTED_STATE);
    match (&parsed, &accepted) {
        (Err(e), a) => assert_eq!(a, &Err(e.clone())),
        (Ok(None), a) => assert_eq!(a, &Ok(None)),
        (Ok(Some(_)), Err(LoopbackError::StateMismatch)) => {}
        (Ok(Some(p)), Ok(Some(a))) => assert_eq!(p, a),
        (p, a) => panic!("parsed {p:?} but accepted {a:?}"),
    }
    if let Ok(Some(callback)) = &accepted {
        let state = match callback {
            Callback::Code { state, .. } => Some(state.as_str()),
            Callback::Error { state, .. } => state.as_deref(),
        };
        assert_eq!(state, Some(EXPECTED_STATE), "accepted a wrong state");
    }
});
