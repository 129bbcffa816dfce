//! Error bodies exactly as the real services send them (§1.6 for the identity platform, §4.1 and
//! §4.7 for Graph).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::json;

/// A token-endpoint error: `error`, `error_description` with the AADSTS code and the trace lines,
/// `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`, and `suberror` if any.
pub fn aad_error(
    status: StatusCode,
    error: &str,
    code: u32,
    message: &str,
    suberror: Option<&str>,
    now: DateTime<Utc>,
) -> Response {
    let trace_id = uuid::Uuid::new_v4().to_string();
    let correlation_id = uuid::Uuid::new_v4().to_string();
    let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
    let mut body = json!({
        "error": error,
        "error_description": format!(
            "AADSTS{code}: {message}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {timestamp}"
        ),
        "error_codes": [code],
        "timestamp": timestamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    });
    if let Some(s) = suberror {
        body["suberror"] = json!(s);
    }
    (status, Json(body)).into_response()
}

/// A Graph error: `{"error": {"code", "message", "innerError": {"request-id", "date", ...}}}`.
pub fn graph_error(status: StatusCode, code: &str, message: &str, now: DateTime<Utc>) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "request-id": request_id,
                "client-request-id": request_id,
                "date": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
            }
        }
    });
    let mut response = (status, Json(body)).into_response();
    if let Ok(v) = request_id.parse() {
        response.headers_mut().insert("request-id", v);
    }
    response
}

/// The identity platform's error page for a request it will not redirect (e.g. AADSTS50011).
pub fn error_page(code: u32, message: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in to your account</title></head>\
         <body><h1>Sorry, but we're having trouble signing you in.</h1>\
         <p id=\"error\">AADSTS{code}: {}</p></body></html>",
        html_escape(message)
    );
    (
        StatusCode::BAD_REQUEST,
        [("Content-Type", "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
