//! How Graph calls are retried (Microsoft Graph's throttling guidance, concepts/throttling.md):
//! 429 and 503 wait for `Retry-After` (integer or decimal
//! seconds, or an HTTP date), 500/502/503/504, timeouts and broken connections back off
//! exponentially; all within a bound of attempts and waiting.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub type Sleep = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

#[derive(Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first backoff; it doubles with each retry.
    pub base_backoff: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_wait: Duration,
    /// How to wait: tokio's sleep in the app; a recorder in tests.
    pub sleep: Sleep,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1 for the first retry): `Retry-After` when the
    /// service gave one, else exponential backoff; never more than `max_wait`.
    pub fn wait(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self.base_backoff * 2u32.saturating_pow(retry.saturating_sub(1));
        retry_after.unwrap_or(backoff).min(self.max_wait)
    }
}

/// `Retry-After` as seconds ("10", "2.128") or as an HTTP date.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(seconds) = v.parse::<f64>() {
        // More seconds than a Duration holds (found by the fuzzer: a 108-digit value panicked in
        // `Duration::from_secs_f64`) means "very long"; the policy caps every wait anyway.
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX));
    }
    let date = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    (date.with_timezone(&chrono::Utc) - now).to_std().ok()
}

/// Whether a status is worth another try with the same request.
pub fn is_transient(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_decimals_and_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(parse_retry_after("10", now), Some(Duration::from_secs(10)));
        assert_eq!(
            parse_retry_after("2.128", now),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    /// Regression (fuzz target `graph_response`): a `Retry-After` beyond what a
    /// `Duration` holds panicked the Graph call; it now reads as the longest wait, which the
    /// policy caps at `max_wait`.
    #[test]
    fn a_huge_retry_after_is_a_long_wait_not_a_panic() {
        let now = chrono::Utc::now();
        let fuzzed = "4".repeat(108);
        for huge in [fuzzed.as_str(), "1e20", "18446744073709551616", "1.7e308"] {
            assert_eq!(parse_retry_after(huge, now), Some(Duration::MAX), "{huge}");
            let p = RetryPolicy::default();
            assert_eq!(p.wait(1, parse_retry_after(huge, now)), p.max_wait);
        }
        assert_eq!(parse_retry_after("-0", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("inf", now), None);
        assert_eq!(parse_retry_after("1.8e308", now), None); // infinite as an f64
        assert_eq!(parse_retry_after("NaN", now), None);
    }

    #[test]
    fn backoff_doubles_and_every_wait_is_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(p.wait(1, None), Duration::from_millis(500));
        assert_eq!(p.wait(3, None), Duration::from_secs(2));
        assert_eq!(
            p.wait(1, Some(Duration::from_secs(10))),
            Duration::from_secs(10)
        );
        assert_eq!(
            p.wait(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
        assert_eq!(p.wait(40, None), Duration::from_secs(60));
    }
}
