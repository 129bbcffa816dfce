//! Answers from the identity platform and Graph are read with a size limit: a broken proxy, a
//! captive portal or a hostile host on a custom cloud could otherwise make the app buffer any
//! amount. An answer that announces more (`Content-Length`) is refused before its body is read;
//! one that streams more is refused as soon as it passes the limit, without reading the rest.

/// The largest Graph answer read: a `calendarView` page of 50 events with their bodies is far
/// below it (Graph pages are bounded by `$top`, user-list-calendarview.md).
pub const GRAPH_LIMIT: usize = 4 * 1024 * 1024;
/// The largest token-endpoint answer read: tokens, an ID token and an error's description are a
/// few kilobytes each (identity-platform/access-tokens.md: access tokens are JWTs of a few KB).
pub const TOKEN_LIMIT: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the answer is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Transport(#[from] reqwest::Error),
}

/// The body of `response`, at most `limit` bytes.
pub async fn read(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    if response
        .content_length()
        .is_some_and(|announced| announced > limit as u64)
    {
        return Err(BodyError::TooLarge { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
