//! The answers of Graph and the identity platform: error bodies, `GET /me`, the created event,
//! token-endpoint errors, ID-token claims, AADSTS numbers in descriptions and `Retry-After`.
//! Whatever a server (or whatever sits in between) sends: no panic, and what is read agrees with
//! the body.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use treffpunkt::microsoft::errors::{AadErrorResponse, SignInError};
use treffpunkt::microsoft::graph::{parse_error_body, Me};
use treffpunkt::microsoft::identity::{aadsts_code, account_from_id_token};
use treffpunkt::microsoft::retry::{parse_retry_after, RetryPolicy};
use treffpunkt::simulator::PERSONAL_ACCOUNTS_TENANT;

fuzz_target!(|data: &[u8]| {
    // The oracle: the body as a JSON value. Lossily decoded, because serde_json skips the strings
    // of fields it ignores without checking their UTF-8, so a typed read may succeed where a
    // strict `Value` read fails; the fields read are valid UTF-8 either way.
    let value = serde_json::from_str::<Value>(&String::from_utf8_lossy(data)).ok();

    // A failed Graph call: `error.code` is what decisions are made on.
    let (code, message) = parse_error_body(data);
    if !code.is_empty() || !message.is_empty() {
        let v = value
            .as_ref()
            .expect("read an error from a body that is no JSON");
        assert_eq!(v["error"]["code"].as_str(), Some(code.as_str()));
        assert_eq!(v["error"]["message"].as_str().unwrap_or_default(), message);
    }

    // GET /me. serde's derive also reads the struct from an array (`["id", null, "upn", null]`);
    // harmless for /me, so only the object form is compared with the oracle.
    if let Ok(me) = serde_json::from_slice::<Me>(data) {
        if let Some(v) = value.as_ref().filter(|v| v.is_object()) {
            assert_eq!(v["id"].as_str(), Some(me.id.as_str()));
            assert_eq!(
                v["userPrincipalName"].as_str(),
                Some(me.user_principal_name.as_str())
            );
        }
    }

    // The created event, read as the sender reads it (meetings.rs).
    if let Some(event) = &value {
        let _join_url = event["onlineMeeting"]["joinUrl"].as_str();
        let _id = event["id"].as_str().unwrap_or_default();
    }

    // A token-endpoint error: always classified, with a stable code, and lossless.
    if let Ok(r) = serde_json::from_slice::<AadErrorResponse>(data) {
        let e = SignInError::from_response(&r);
        assert!(e.code().as_str().starts_with("signin_"), "{e:?}");
        let _ = e.needs_interactive_sign_in();
        let _ = r.to_string();
        let again: AadErrorResponse =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(again, r);
    }

    let text = String::from_utf8_lossy(data);

    // An authorize error's description.
    let codes = aadsts_code(&text);
    let digits: String = text
        .strip_prefix("AADSTS")
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        digits.parse::<u32>().ok().into_iter().collect::<Vec<_>>()
    );

    // ID-token claims, both as the token field itself and as the fuzz bytes for the claims.
    for token in [
        text.to_string(),
        format!("e30.{}.", URL_SAFE_NO_PAD.encode(data)),
    ] {
        if let Ok(account) = account_from_id_token(Some(&token)) {
            assert_ne!(account.tenant_id, PERSONAL_ACCOUNTS_TENANT);
        }
    }

    // Retry-After: any value gives a wait, and the policy keeps every wait bounded.
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
        .unwrap()
        .to_utc();
    let retry_after = parse_retry_after(&text, now);
    let policy = RetryPolicy::default();
    for retry in [0, 1, 7, 64, u32::MAX] {
        assert!(policy.wait(retry, retry_after) <= policy.max_wait);
    }
});
