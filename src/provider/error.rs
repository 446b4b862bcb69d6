//! What can go wrong talking to a conversation API, each case worded as one line a person can act on.

use std::time::Duration;

/// A failed provider call. `Display` is the status-bar line: what failed, the
/// server's own words, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No key was configured.
    #[error("no API key: set {env} (or use `convo --demo` to try convo without one)")]
    MissingKey {
        /// The environment variable that would hold it.
        env: &'static str,
    },
    /// The key has the wrong shape; refused before any request so it is never sent.
    #[error("the API key is malformed: expected {expected}; check {env}")]
    InvalidKey {
        /// The shape a key must have.
        expected: &'static str,
        /// Where it came from.
        env: &'static str,
    },
    /// 401: the key is missing, wrong, or revoked.
    #[error("the server refused the API key (401: {detail}): check the key")]
    Unauthorized {
        /// The server's own words.
        detail: String,
    },
    /// 401 whose detail mentions the subscription: a new key will not help.
    #[error(
        "the subscription is inactive (401: {detail}): renew it in the dashboard; a new key will not help"
    )]
    SubscriptionInactive {
        /// The server's own words.
        detail: String,
    },
    /// 403: authenticated but not allowed.
    #[error("not allowed (403: {detail}): this key cannot see or change that")]
    Forbidden {
        /// The server's own words.
        detail: String,
    },
    /// A write refused for the key's role: by `/api/me/` before sending, or a 403 from the server.
    #[error("read-only key: needs a write key ({detail})")]
    ReadOnly {
        /// The server's own words, or where the role was learned.
        detail: String,
    },
    /// A write was sent and no answer came (a timeout, a connection cut after
    /// sending): it may or may not have been applied, so it is not repeated.
    #[error("no answer from {host} to {what}: it may have been applied; check before repeating it")]
    NoAnswer {
        /// The host.
        host: String,
        /// The write ("the rename of conv-1").
        what: String,
    },
    /// 404, or a string id that resolved to nothing.
    #[error("not found: {what} ({detail})")]
    NotFound {
        /// What was looked for.
        what: String,
        /// The server's own words.
        detail: String,
    },
    /// 400: the server refused the parameters.
    #[error("the server refused the request (400: {detail})")]
    BadRequest {
        /// The server's own words, fields joined.
        detail: String,
    },
    /// 429 after every retry.
    #[error("throttled by the server (429: {detail}){}", retry_hint(*.retry_after))]
    Throttled {
        /// The server's own words.
        detail: String,
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// 5xx after every retry.
    #[error("the server failed ({status}: {detail}): retry with r, or later")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The server's own words, or the start of its error page.
        detail: String,
    },
    /// Any other unexpected status.
    #[error("unexpected answer from the server ({status}: {detail})")]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The server's own words.
        detail: String,
    },
    /// No answer in time.
    #[error("no answer from {host} within {}: the server or the network is slow; retry with r", seconds(*.after))]
    Timeout {
        /// The host that did not answer.
        host: String,
        /// How long we waited.
        after: Duration,
    },
    /// The connection could not be made (refused, unresolvable host, TLS).
    #[error("cannot reach {host}: {detail}; check the endpoint and the network")]
    Connect {
        /// The host we tried.
        host: String,
        /// Why, as the network stack said it.
        detail: String,
    },
    /// The connection broke while the answer was coming.
    #[error("the connection to {host} broke: {detail}; retry with r")]
    Network {
        /// The host.
        host: String,
        /// Why.
        detail: String,
    },
    /// The answer was not the JSON expected (an HTML page, a body cut short).
    #[error("the server's answer could not be read: {detail}")]
    Decode {
        /// What was wrong, with the start of the body.
        detail: String,
    },
    /// A redirect convo would not follow (https to http, a loop, too many):
    /// asking again meets the same one, so it is never retried.
    #[error("{0}")]
    Redirect(String),
    /// Something the user gave was refused before any request.
    #[error("{0}")]
    InvalidInput(String),
    /// The provider has no such thing to read (`ChatDash` has no spans).
    #[error("{0}")]
    Unsupported(String),
}

/// `15s`, or `0.3s` under ten seconds, so a short timeout never reads "0s".
fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}s", d.as_secs())
    }
}

fn retry_hint(after: Option<Duration>) -> String {
    match after {
        Some(d) => format!(": wait {}s, then retry with r", d.as_secs().max(1)),
        None => ": wait a moment, then retry with r".to_owned(),
    }
}

impl Error {
    /// The process exit code for the headless commands: 1 runtime, 2 usage, 3 auth, 4 not found.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::MissingKey { .. }
            | Self::InvalidKey { .. }
            | Self::Unauthorized { .. }
            | Self::SubscriptionInactive { .. }
            | Self::Forbidden { .. }
            | Self::ReadOnly { .. } => 3,
            Self::NotFound { .. } => 4,
            Self::InvalidInput(_) | Self::BadRequest { .. } | Self::Unsupported(_) => 2,
            _ => 1,
        }
    }

    /// Whether a GET that failed this way is worth trying again.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Throttled { .. }
                | Self::Server { .. }
                | Self::Timeout { .. }
                | Self::Network { .. }
        ) || matches!(self, Self::Connect { detail, .. } if !detail.starts_with(UNTRUSTED_CERTIFICATE))
    }
}

/// How a connect error begins when the server's certificate is not trusted:
/// trying again gets the same certificate, so it is not retried.
pub const UNTRUSTED_CERTIFICATE: &str = "the server's TLS certificate is not trusted";

impl From<super::query::QueryError> for Error {
    fn from(e: super::query::QueryError) -> Self {
        Self::InvalidInput(e.to_string())
    }
}
