//! Microsoft Graph calls (§4). Errors keep Graph's `error.code`, on which decisions are made.

use serde::Deserialize;

use super::bounded_body::{self, BodyError, GRAPH_LIMIT};
use crate::crm::cloud::Endpoints;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("Graph answered {status} {code}")]
    Status {
        status: u16,
        code: String,
        message: String,
    },
    #[error("Graph cannot be reached: {0}")]
    Network(String),
    #[error("Graph's answer could not be read")]
    Malformed,
    /// More than [`GRAPH_LIMIT`] bytes: not read to its end, and not tried again.
    #[error("Graph's answer is larger than {limit} bytes")]
    TooLarge { limit: usize },
}

/// Graph's `error.code` and `error.message` from the body of a failed call; both empty when the
/// body is not Graph's error shape (a proxy's HTML page, an empty body, broken JSON).
pub fn parse_error_body(body: &[u8]) -> (String, String) {
    use serde_json::Value;
    // Only Graph's object shape: a derived struct would also read an array such as `[["x"]]` as
    // `{"error":{"code":"x"}}` (found by the fuzzer).
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) else {
        return Default::default();
    };
    let Some(Value::Object(error)) = top.get("error") else {
        return Default::default();
    };
    let Some(Value::String(code)) = error.get("code") else {
        return Default::default();
    };
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    (code.clone(), message.to_string())
}

/// A failed Graph call and whether trying again may help.
#[derive(Debug, Clone)]
pub struct GraphCallError {
    pub error: GraphError,
    pub transient: bool,
    pub retry_after: Option<std::time::Duration>,
}

impl GraphCallError {
    fn transient(error: GraphError) -> Self {
        GraphCallError {
            error,
            transient: true,
            retry_after: None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self.error {
            GraphError::Status { status, .. } => Some(status),
            _ => None,
        }
    }
}

/// `GET /me` (§4.2): who the token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: String,
    pub mail: Option<String>,
}

pub struct GraphClient<'a> {
    pub http: &'a reqwest::Client,
    pub endpoints: &'a Endpoints,
}

impl GraphClient<'_> {
    pub async fn me(&self, token: &str) -> Result<Me, GraphError> {
        let answer = self
            .call(&Call::Get("me".into()), token)
            .await
            .map_err(|e| e.error)?;
        serde_json::from_value(answer).map_err(|_| GraphError::Malformed)
    }

    /// POSTs `body` to `path` once; the JSON answer of a success (an empty body reads as null).
    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, GraphCallError> {
        self.call(&Call::Post(path, body), token).await
    }

    /// Makes `call` once. Every request asks for immutable ids: the ids the CRM stores must not
    /// change when an item moves (Graph: "Obtain immutable identifiers for Outlook resources",
    /// concepts/outlook-immutable-id.md), and carries a `client-request-id` that Microsoft's
    /// support can trace (Graph: "Best practices", concepts/best-practices-concept.md).
    pub async fn call(
        &self,
        call: &Call<'_>,
        token: &str,
    ) -> Result<serde_json::Value, GraphCallError> {
        let request = match call {
            Call::Get(path_and_query) => {
                let (path, query) = path_and_query
                    .split_once('?')
                    .map_or((path_and_query.as_str(), None), |(p, q)| (p, Some(q)));
                let mut url = self.endpoints.graph_url(path);
                url.set_query(query);
                self.http.get(url)
            }
            Call::GetUrl(url) => {
                // A next link is followed only on this cloud's Graph host: the token goes
                // nowhere else.
                let graph = &self.endpoints.graph;
                let same_origin = url.scheme() == graph.scheme()
                    && url.host_str() == graph.host_str()
                    && url.port_or_known_default() == graph.port_or_known_default();
                if !same_origin {
                    return Err(GraphCallError {
                        error: GraphError::Malformed,
                        transient: false,
                        retry_after: None,
                    });
                }
                self.http.get(url.clone())
            }
            Call::Post(path, body) => self.http.post(self.endpoints.graph_url(path)).json(body),
        };
        let response = request
            .bearer_auth(token)
            .header("Prefer", IMMUTABLE_IDS)
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .map_err(|e| {
                GraphCallError::transient(GraphError::Network(e.without_url().to_string()))
            })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| super::retry::parse_retry_after(v, chrono::Utc::now()));
        let bytes = bounded_body::read(response, GRAPH_LIMIT)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge { limit } => GraphCallError {
                    error: GraphError::TooLarge { limit },
                    transient: false,
                    retry_after: None,
                },
                BodyError::Transport(e) => {
                    GraphCallError::transient(GraphError::Network(e.without_url().to_string()))
                }
            })?;
        if status.is_success() {
            if bytes.is_empty() {
                return Ok(serde_json::Value::Null);
            }
            // A success whose body cannot be read may still have been carried out: retry it
            // (the caller's request is idempotent) rather than call it done.
            return serde_json::from_slice(&bytes)
                .map_err(|_| GraphCallError::transient(GraphError::Malformed));
        }
        let (code, message) = parse_error_body(&bytes);
        Err(GraphCallError {
            transient: super::retry::is_transient(status.as_u16()),
            retry_after,
            error: GraphError::Status {
                status: status.as_u16(),
                code,
                message,
            },
        })
    }
}

/// The `Prefer` header value for immutable ids (concepts/outlook-immutable-id.md).
pub const IMMUTABLE_IDS: &str = "IdType=\"ImmutableId\"";

/// One Graph request.
pub enum Call<'a> {
    /// A v1.0 path with its query, e.g. `me/calendar`.
    Get(String),
    /// An `@odata.nextLink` as Graph gave it.
    GetUrl(url::Url),
    Post(&'a str, &'a serde_json::Value),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_error_bodies_are_read() {
        let body = br#"{"error":{"code":"ErrorInvalidUser","message":"The user is invalid."}}"#;
        assert_eq!(
            parse_error_body(body),
            ("ErrorInvalidUser".into(), "The user is invalid.".into())
        );
        assert_eq!(
            parse_error_body(br#"{"error":{"code":"x"}}"#),
            ("x".into(), String::new())
        );
        for not_graph in [&b""[..], b"<html>502</html>", b"{\"error\":\"x\"}", b"null"] {
            assert_eq!(parse_error_body(not_graph), Default::default());
        }
    }

    /// Regression (fuzz target `graph_response`): serde's derive read a JSON array as
    /// the error struct, so `[[ "[[ "]]` gave the code "[[ ".
    #[test]
    fn an_array_is_no_graph_error() {
        assert_eq!(parse_error_body(br#"[[ "[[ "]]"#), Default::default());
        assert_eq!(
            parse_error_body(br#"{"error":["c","m"]}"#),
            Default::default()
        );
    }
}
