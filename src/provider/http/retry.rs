//! When to try a GET again and how long to wait first: a fixed curve, unless the server said how long.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::provider::Error;

/// The longest server-requested wait kept in a [`Error::Throttled`]; beyond
/// a day the number says nothing more useful and only risks overflow.
const LONGEST_REPORTED_WAIT: Duration = Duration::from_secs(86_400);

/// How failed GETs are retried, and the one write the API takes twice
/// harmlessly (the message vote). Other writes are never retried: a replayed
/// POST files a second row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included; 0 counts as 1.
    pub attempts: u32,
    /// The wait before retry N (0-based); the last entry repeats.
    pub backoff: Vec<Duration>,
    /// The ceiling on a server's `Retry-After`: past it, giving up and saying
    /// so beats a screen frozen for minutes.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// The official client's policy: 3 tries, waits of 0.5 s then 2 s,
    /// `Retry-After` honoured up to 30 s.
    fn default() -> Self {
        Self {
            attempts: 3,
            backoff: vec![Duration::from_millis(500), Duration::from_secs(2)],
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Tries in all, at least one.
    #[must_use]
    pub fn total_attempts(&self) -> u32 {
        self.attempts.max(1)
    }

    /// How long to wait after failed try `attempt` (0-based): the server's
    /// `Retry-After` when a 429 carried one (clamped to `max_retry_after`),
    /// else the backoff curve.
    #[must_use]
    pub fn wait_after(&self, attempt: u32, error: &Error) -> Duration {
        match error {
            Error::Throttled {
                retry_after: Some(after),
                ..
            } => (*after).min(self.max_retry_after),
            _ => self.backoff(attempt),
        }
    }

    /// The curve's wait before retry `attempt`; no curve means no wait.
    #[must_use]
    pub fn backoff(&self, attempt: u32) -> Duration {
        let index = usize::try_from(attempt).unwrap_or(usize::MAX);
        self.backoff
            .get(index)
            .or_else(|| self.backoff.last())
            .copied()
            .unwrap_or(Duration::ZERO)
    }
}

/// Reads a `Retry-After` value, which RFC 9110 allows as seconds or as an
/// HTTP-date (a proxy may rewrite the first into the second). A date in the
/// past means "now"; text that is neither gives `None`, so the caller falls
/// back to its own curve.
#[must_use]
pub fn parse_retry_after(raw: &str, now: DateTime<Utc>) -> Option<Duration> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(seconds) = raw.parse::<f64>() {
        if seconds.is_nan() {
            return None;
        }
        let seconds = seconds.clamp(0.0, LONGEST_REPORTED_WAIT.as_secs_f64());
        return Some(Duration::from_secs_f64(seconds));
    }
    let at = http_date(raw)?;
    let wait = (at - now).to_std().unwrap_or(Duration::ZERO);
    Some(wait.min(LONGEST_REPORTED_WAIT))
}

/// An HTTP-date in any of the three forms RFC 9110 says a recipient must
/// read (IMF-fixdate, RFC 850, asctime); failing those, an RFC 2822 date with
/// a numeric zone, which some proxies write.
fn http_date(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = httpdate::parse_http_date(raw) {
        return Some(DateTime::<Utc>::from(at));
    }
    DateTime::parse_from_rfc2822(raw)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2015, 10, 21, 7, 28, 0).unwrap()
    }

    #[test]
    fn seconds_and_dates_both_parse() {
        let secs = |s| parse_retry_after(s, now());
        assert_eq!(secs("3"), Some(Duration::from_secs(3)));
        assert_eq!(secs(" 1.5 "), Some(Duration::from_millis(1500)));
        assert_eq!(secs("-4"), Some(Duration::ZERO));
        assert_eq!(secs("inf"), Some(LONGEST_REPORTED_WAIT));
        assert_eq!(
            secs("Wed, 21 Oct 2015 07:28:05 GMT"),
            Some(Duration::from_secs(5))
        );
        assert_eq!(secs("Wed, 21 Oct 2015 07:27:00 GMT"), Some(Duration::ZERO));
        assert_eq!(
            secs("Wed, 21 Oct 2015 08:28:00 +0100"),
            Some(Duration::ZERO)
        );
        assert_eq!(secs("soon"), None);
        assert_eq!(secs("Wed, 21 Oct 2015 07:28:61 GMT"), None);
    }

    /// RFC 9110 §5.6.7: a recipient reads all three forms of an HTTP-date.
    #[test]
    fn all_three_http_date_forms_parse() {
        let secs = |s| parse_retry_after(s, now());
        let five = Some(Duration::from_secs(5));
        assert_eq!(secs("Wed, 21 Oct 2015 07:28:05 GMT"), five, "IMF-fixdate");
        assert_eq!(secs("Wednesday, 21-Oct-15 07:28:05 GMT"), five, "RFC 850");
        assert_eq!(secs("Wed Oct 21 07:28:05 2015"), five, "asctime");
        assert_eq!(secs("Wed Oct 21 07:27:05 2015"), Some(Duration::ZERO));
        assert_eq!(secs("NaN"), None);
        assert_eq!(secs(""), None);
    }

    #[test]
    fn a_refused_redirect_is_never_tried_again() {
        let refused =
            Error::Redirect(crate::provider::http::redirect::Refusal::TooMany.to_string());
        assert!(!refused.is_retryable(), "the same redirect would come back");
        assert_eq!(refused.exit_code(), 1);
    }

    #[test]
    fn the_server_wait_wins_but_is_capped() {
        let policy = RetryPolicy::default();
        let throttled = |after| Error::Throttled {
            detail: String::new(),
            retry_after: after,
        };
        assert_eq!(
            policy.wait_after(0, &throttled(Some(Duration::from_secs(7)))),
            Duration::from_secs(7)
        );
        assert_eq!(
            policy.wait_after(0, &throttled(Some(Duration::from_secs(700)))),
            Duration::from_secs(30)
        );
        assert_eq!(
            policy.wait_after(1, &throttled(None)),
            Duration::from_secs(2)
        );
        let server = Error::Server {
            status: 503,
            detail: String::new(),
        };
        assert_eq!(policy.wait_after(0, &server), Duration::from_millis(500));
        assert_eq!(
            policy.wait_after(9, &server),
            Duration::from_secs(2),
            "the last wait repeats"
        );
        let none = RetryPolicy {
            attempts: 0,
            backoff: Vec::new(),
            max_retry_after: Duration::ZERO,
        };
        assert_eq!(none.total_attempts(), 1);
        assert_eq!(none.wait_after(3, &server), Duration::ZERO);
    }
}
