//! Work moved off the async threads onto a blocking thread (SQLite, mostly), and the one policy
//! for work that does not finish: a panic's text goes neither into an answer nor into the log file,
//! since it may quote the data the work held (a token, a secret); the log says that work panicked,
//! and callers answer with a generic error.

/// The work panicked or was cancelled; what it said is in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the work did not finish")]
pub struct Unfinished;

/// Runs `f` on a blocking thread of the current Tokio runtime.
pub async fn run<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Unfinished> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        let cause = if e.is_panic() {
            "panicked"
        } else {
            "cancelled"
        };
        tracing::error!(cause, "work on a blocking thread did not finish");
        Unfinished
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_unfinished_work_and_its_text_goes_nowhere_else() {
        let r = run(|| -> u8 { panic!("the token is at-SECRET") }).await;
        assert_eq!(r, Err(Unfinished));
        assert!(!Unfinished.to_string().contains("SECRET"));
        assert_eq!(run(|| 7).await, Ok(7));
    }
}
