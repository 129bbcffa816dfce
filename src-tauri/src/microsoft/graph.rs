//! Microsoft Graph calls (§4). Errors keep Graph's `error.code`, on which decisions are made.

use serde::Deserialize;

use super::cloud::Endpoints;

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
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    code: String,
    #[serde(default)]
    message: String,
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
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
    ) -> Result<T, GraphError> {
        let response = self
            .http
            .get(self.endpoints.graph_url(path))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| GraphError::Network(e.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| GraphError::Network(e.without_url().to_string()))?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|_| GraphError::Malformed);
        }
        let detail = serde_json::from_slice::<ErrorBody>(&body)
            .map(|b| b.error)
            .unwrap_or(ErrorDetail {
                code: String::new(),
                message: String::new(),
            });
        Err(GraphError::Status {
            status: status.as_u16(),
            code: detail.code,
            message: detail.message,
        })
    }

    pub async fn me(&self, token: &str) -> Result<Me, GraphError> {
        self.get("me", token).await
    }

    /// POSTs `body` to `path` once; the JSON answer of a success (an empty body reads as null).
    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, GraphCallError> {
        let response = self
            .http
            .post(self.endpoints.graph_url(path))
            .bearer_auth(token)
            .json(body)
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
        let bytes = response.bytes().await.map_err(|e| {
            GraphCallError::transient(GraphError::Network(e.without_url().to_string()))
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
        let detail = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| b.error)
            .unwrap_or(ErrorDetail {
                code: String::new(),
                message: String::new(),
            });
        Err(GraphCallError {
            transient: super::retry::is_transient(status.as_u16()),
            retry_after,
            error: GraphError::Status {
                status: status.as_u16(),
                code: detail.code,
                message: detail.message,
            },
        })
    }
}
