//! The one HTTP path to a provider's API: authenticated GETs with retries, writes sent once, one URL join, answers held to a ceiling, and a throttle gate shared by every request of a client.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{Client, Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;

use super::body::{self, Ceiling, MIB, Unread};
use super::errors::{classify, decode_error, extract_detail, one_line, transport_error};
use super::retry::{RetryPolicy, parse_retry_after};
use super::secret::mask_key;
use crate::provider::Error;

/// The most of an error body read for its detail; error pages are small,
/// and a runaway one must not be buffered whole.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// One record with all it holds: a conversation with its transcript (a
/// 50,000-message one is tens of MB), a trace, a usage summary. Lists in it
/// (messages, logs) stop at ten times the longest transcript tried.
pub(crate) const RECORD: Ceiling = Ceiling {
    bytes: 128 * MIB,
    rows: 500_000,
    // A 50,000-message transcript is about 1.5 million.
    items: 10_000_000,
    what: "one record",
};

/// What a write's answer may hold: the record it changed or created (a
/// ticket echoes its whole thread), never a page.
const WRITTEN: Ceiling = Ceiling {
    bytes: 4 * MIB,
    rows: 100_000,
    items: 1_000_000,
    what: "a write's answer",
};

/// Whether a write may be sent again when no answer came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Sent once: a replayed create files a second row (spec §1).
    Never,
    /// The API treats it as an upsert (the message vote), so it follows the
    /// GET retry policy.
    Safe,
}

/// The ceiling on connecting alone, so a black-holed host fails before the
/// whole request's budget is gone (never more than that budget).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A pooled, authenticated connection to one backend.
pub(crate) struct Transport {
    client: Client,
    /// The client writes go through: the same settings, but it follows no
    /// redirect, since a 301 or 302 turns a POST into a GET whose answer
    /// would read as the write's success. Built on the first write, so a
    /// session that only reads never sets it up.
    writer: OnceLock<Result<Client, Error>>,
    /// The endpoint without a trailing `/`, possibly with a path prefix.
    base: String,
    /// `host[:port]`, for messages.
    host: String,
    /// `Api-Key <key>`, marked sensitive so no debug output shows it.
    auth: HeaderValue,
    /// Only to scrub the key out of anything a server echoes back.
    key: String,
    timeout: Duration,
    retry: RetryPolicy,
    /// No request is sent before this moment: set from a 429's `Retry-After`
    /// so that concurrent requests (the export fetches pages in parallel)
    /// hold back together instead of each spending a try on a known 429.
    not_before: Mutex<Option<Instant>>,
}

/// An endpoint URL checked and split into what the transport needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// Normalised, without a trailing `/`.
    pub base: String,
    /// `host[:port]`.
    pub host: String,
}

/// `base` and `path` joined with exactly one `/`; the path's trailing slash
/// is kept (the backend does not append one).
#[must_use]
pub(crate) fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

impl Transport {
    /// A transport for a checked endpoint whose `Authorization` header is
    /// `header` as given (`AgentSight` sends `Api-Key <key>`, `ChatDash` the
    /// raw key); `key` is only used to scrub echoes of it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a key a header cannot hold; [`Error::Connect`]
    /// if the HTTP stack cannot be set up (no TLS roots).
    pub(crate) fn new(
        endpoint: Endpoint,
        header: &str,
        key: String,
        timeout: Duration,
        retry: RetryPolicy,
    ) -> Result<Self, Error> {
        let mut auth = HeaderValue::from_str(header).map_err(|_| {
            Error::InvalidInput("the API key holds characters a header cannot".to_owned())
        })?;
        auth.set_sensitive(true);
        let client = build_client(timeout, super::redirect::policy(), &endpoint.host)?;
        Ok(Self {
            client,
            writer: OnceLock::new(),
            base: endpoint.base,
            host: endpoint.host,
            auth,
            key,
            timeout,
            retry,
            not_before: Mutex::new(None),
        })
    }

    /// `host[:port]` of the endpoint.
    #[must_use]
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// The endpoint without a trailing `/`.
    #[must_use]
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// GETs `path` with `params` and reads the JSON answer, held to
    /// `ceiling`, retrying what is worth retrying. `what` names the thing a
    /// 404 did not find.
    ///
    /// # Errors
    /// The classified error of the last try; [`Error::Decode`] for an answer
    /// past its ceiling (not retried: it would come back the same).
    pub(crate) async fn get_within<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, String)],
        what: &str,
        ceiling: Ceiling,
    ) -> Result<T, Error> {
        let url = join_url(&self.base, path);
        // Connection errors, timeouts, 5xx, 429 — and a body broken mid-way,
        // which the official client retries as well: a GET can always be
        // sent again.
        self.tried(path, self.retry.total_attempts(), || {
            self.try_once(&url, params, what, ceiling)
        })
        .await
    }

    /// Runs `once` until it succeeds, fails in a way not worth repeating, or
    /// has been tried `attempts` times; each try waits for a 429's gate, and
    /// the waits between tries follow the retry policy.
    async fn tried<T, Try, Once>(
        &self,
        path: &str,
        attempts: u32,
        mut once: Once,
    ) -> Result<T, Error>
    where
        Once: FnMut() -> Try,
        Try: Future<Output = Result<T, Error>>,
    {
        let mut attempt = 0;
        loop {
            // Waiting for a 429's gate before sending costs nothing: nothing has left yet.
            self.wait_for_gate().await;
            let error = match once().await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if let Error::Throttled {
                retry_after: Some(after),
                ..
            } = &error
            {
                self.close_gate_for((*after).min(self.retry.max_retry_after));
            }
            attempt += 1;
            if attempt >= attempts || !error.is_retryable() {
                return Err(error);
            }
            let wait = self.retry.wait_after(attempt - 1, &error);
            tracing::warn!(
                path,
                attempt,
                of = attempts,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "request failed ({error}); sending it again"
            );
            // Whoever runs the request (the status bar, stderr) hears it too.
            super::attempts::tell(super::attempts::Retrying::after(
                &error,
                attempt + 1,
                attempts,
                wait,
            ));
            tokio::time::sleep(wait).await;
        }
    }

    async fn try_once<T: DeserializeOwned>(
        &self,
        url: &str,
        params: &[(&str, String)],
        what: &str,
        ceiling: Ceiling,
    ) -> Result<T, Error> {
        let response = self
            .client
            .get(url)
            .query(params)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| transport_error(&e, &self.host, self.timeout))?;
        let status = response.status();
        let content_type = header_text(&response, CONTENT_TYPE);
        if status.is_success() {
            let body =
                body::read_within(response, ceiling)
                    .await
                    .map_err(|unread| match unread {
                        Unread::Wire(e) => transport_error(&e, &self.host, self.timeout),
                        Unread::Refused(error) => error,
                    })?;
            // Before anything is built from it: a small body of many tiny
            // rows would otherwise become as many records.
            body::check_rows(&body, ceiling)?;
            // One hostile value (nested too deep, a lone surrogate) must not
            // fail the whole page: the repair gets a second try.
            return crate::provider::repair::from_slice(&body)
                .map_err(|e| decode_error(content_type.as_deref(), &self.scrub(&body), &e));
        }
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| header_text(&response, RETRY_AFTER))
            .flatten()
            .and_then(|raw| parse_retry_after(&raw, Utc::now()));
        let body = body::read_prefix(response, ERROR_BODY_LIMIT).await;
        let detail = extract_detail(content_type.as_deref(), &self.scrub(&body));
        Err(classify(status.as_u16(), detail, retry_after, what))
    }

    /// Sends one write (`POST`, `PATCH`, `DELETE`) with `body` as JSON and
    /// reads the record it answers. `what` names the write for a person
    /// ("the rename of conv-7"). Sent once unless `repeat` says the API takes
    /// it again harmlessly; a 429 is not waited on but returned.
    ///
    /// An answer of 204, an empty body or one that is not JSON reads as `{}`
    /// (spec §1): the status already said the write was applied.
    ///
    /// # Errors
    /// [`Error::ReadOnly`] for a 403 (the key's role), [`Error::NoAnswer`]
    /// when the request left and no answer came back (a timeout, a connection
    /// broken after sending), [`Error::Connect`] when nothing was sent, else
    /// the classified status (a 404 names `what`).
    pub(crate) async fn send_once<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        what: &str,
        repeat: Repeat,
    ) -> Result<T, Error> {
        let url = join_url(&self.base, path);
        let attempts = match repeat {
            Repeat::Never => 1,
            Repeat::Safe => self.retry.total_attempts(),
        };
        self.tried(path, attempts, || {
            self.write_once(&method, &url, body, what, repeat)
        })
        .await
    }

    async fn write_once<T: DeserializeOwned + Default>(
        &self,
        method: &Method,
        url: &str,
        body: Option<&Value>,
        what: &str,
        repeat: Repeat,
    ) -> Result<T, Error> {
        let client = self
            .writer
            .get_or_init(|| {
                build_client(self.timeout, reqwest::redirect::Policy::none(), &self.host)
            })
            .as_ref()
            .map_err(Clone::clone)?;
        let mut request = client
            .request(method.clone(), url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json");
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let broken = |e: &reqwest::Error| self.write_error(e, what, repeat);
        let response = request.send().await.map_err(|e| broken(&e))?;
        let status = response.status();
        if status.is_success() {
            let body =
                body::read_within(response, WRITTEN)
                    .await
                    .map_err(|unread| match unread {
                        Unread::Wire(e) => broken(&e),
                        Unread::Refused(error) => error,
                    })?;
            body::check_rows(&body, WRITTEN)?;
            return Ok(lenient_record(&body));
        }
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| header_text(&response, RETRY_AFTER))
            .flatten()
            .and_then(|raw| parse_retry_after(&raw, Utc::now()));
        if status.is_redirection() {
            let to = header_text(&response, LOCATION).unwrap_or_default();
            return Err(Error::UnexpectedStatus {
                status: status.as_u16(),
                detail: format!(
                    "redirected to {:?}, which a write does not follow (it would arrive as a GET); check the endpoint",
                    one_line(&self.scrub_text(&to))
                ),
            });
        }
        let content_type = header_text(&response, CONTENT_TYPE);
        let body = body::read_prefix(response, ERROR_BODY_LIMIT).await;
        let detail = extract_detail(content_type.as_deref(), &self.scrub(&body));
        Err(classify_write(status.as_u16(), detail, retry_after, what))
    }

    /// A failure on the wire during a write. Before the connection was made
    /// nothing was sent, and the GET wording stands (it says to try again);
    /// after, the server may have applied the write, so a write sent once
    /// says so instead of inviting a second copy.
    fn write_error(&self, e: &reqwest::Error, what: &str, repeat: Repeat) -> Error {
        let error = transport_error(e, &self.host, self.timeout);
        if e.is_connect() || repeat == Repeat::Safe || matches!(error, Error::Redirect(_)) {
            return error;
        }
        Error::NoAnswer {
            host: self.host.clone(),
            what: what.to_owned(),
        }
    }

    /// A body with every copy of the key masked, for a server (or a proxy's
    /// debug page) that echoes the credential back. Done on the whole body
    /// before any of it is quoted: quoting cuts text short, and a key cut in
    /// half would slip past a scrub of the quote.
    fn scrub<'a>(&self, body: &'a [u8]) -> Cow<'a, [u8]> {
        let key = self.key.as_bytes();
        let find = |text: &[u8]| {
            text.windows(key.len())
                .position(|w| w.eq_ignore_ascii_case(key))
        };
        if key.is_empty() || find(body).is_none() {
            return Cow::Borrowed(body);
        }
        let masked = mask_key(&self.key);
        let mut out = Vec::with_capacity(body.len());
        let mut rest = body;
        while let Some(start) = find(rest) {
            out.extend_from_slice(&rest[..start]);
            out.extend_from_slice(masked.as_bytes());
            rest = &rest[start + key.len()..];
        }
        out.extend_from_slice(rest);
        Cow::Owned(out)
    }

    /// [`Self::scrub`] for a header's text.
    fn scrub_text(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.scrub(text.as_bytes())).into_owned()
    }

    /// Holds every request of this client back until the server's
    /// `Retry-After` has passed; a later, longer one extends it.
    fn close_gate_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut gate = self
            .not_before
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if gate.is_none_or(|current| current < until) {
            *gate = Some(until);
        }
    }

    async fn wait_for_gate(&self) {
        loop {
            let until = *self
                .not_before
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base", &self.base)
            .field("key", &mask_key(&self.key))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

fn header_text(response: &Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The one way both of a transport's clients are built; only the redirect
/// policy differs.
fn build_client(
    timeout: Duration,
    redirect: reqwest::redirect::Policy,
    host: &str,
) -> Result<Client, Error> {
    // `timeout` spans connect to the last body byte; proxies come from
    // HTTPS_PROXY / NO_PROXY, as reqwest reads them by default.
    Client::builder()
        .user_agent(concat!("convo/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .use_rustls_tls()
        .redirect(redirect)
        .build()
        .map_err(|e| Error::Connect {
            host: host.to_owned(),
            detail: format!("cannot set up HTTPS: {}", one_line(&e.to_string())),
        })
}

/// A write's failed status as an error: a 403 is the key's role (the only
/// 403 a write this client sends can meet), anything else as for a GET.
fn classify_write(status: u16, detail: String, retry_after: Option<Duration>, what: &str) -> Error {
    match status {
        403 => Error::ReadOnly { detail },
        _ => classify(status, detail, retry_after, what),
    }
}

/// A write's success body as a record: what decodes of it, else the empty
/// record (spec §1: 204, an empty or a non-JSON body stands for `{}`).
fn lenient_record<T: DeserializeOwned + Default>(body: &[u8]) -> T {
    if body.iter().all(u8::is_ascii_whitespace) {
        return T::default();
    }
    crate::provider::repair::from_slice(body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_with_exactly_one_slash() {
        for base in ["http://h", "http://h/"] {
            assert_eq!(join_url(base, "/api/me/"), "http://h/api/me/");
            assert_eq!(join_url(base, "api/me/"), "http://h/api/me/");
        }
        assert_eq!(
            join_url("http://h/proxy/agentsight/", "/api/me/"),
            "http://h/proxy/agentsight/api/me/"
        );
    }

    #[test]
    fn a_refused_write_says_the_key_is_read_only() {
        let words = || "You do not have permission to perform this action.".to_owned();
        assert_eq!(
            classify_write(403, words(), None, "the mark of conv-7"),
            Error::ReadOnly { detail: words() }
        );
        assert!(matches!(
            classify_write(404, words(), None, "the mark of conv-7"),
            Error::NotFound { what, .. } if what == "the mark of conv-7"
        ));
        let wait = Some(Duration::from_secs(30));
        assert!(matches!(
            classify_write(429, words(), wait, "x"),
            Error::Throttled { retry_after, .. } if retry_after == wait
        ));
    }

    #[test]
    fn an_empty_or_foreign_success_body_is_the_empty_record() {
        use crate::provider::model::Written;
        for body in [&b""[..], b"  \n", b"<html>OK</html>", b"Created"] {
            assert_eq!(
                lenient_record::<Written>(body),
                Written::default(),
                "{body:?}"
            );
        }
        let written: Written = lenient_record(br#"{"id": 7, "is_marked": true, "new": 1}"#);
        assert_eq!((written.id, written.is_marked), (Some(7), Some(true)));
    }
}
