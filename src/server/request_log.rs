//! How many requests the server has taken in and finished, so a test can wait for a reply in flight instead of sleeping, how many file requests carried a key, and the latest of them with their times, so a test or a benchmark can count what a client asked and how many at once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};

/// Counts shared between the server's middleware and its [`super::RunningServer`].
#[derive(Debug, Default)]
pub struct RequestLog {
    received: AtomicU64,
    finished: AtomicU64,
    file_requests: AtomicU64,
    file_requests_with_authorization: AtomicU64,
    /// The latest [`KEPT`] requests, oldest first.
    recent: Mutex<VecDeque<Logged>>,
}

/// How many requests the log keeps (a long-running server forgets older ones).
pub const KEPT: usize = 10_000;

/// One request: what was asked, when it came, and when it was done with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    /// Its number, counting from 0.
    pub number: u64,
    /// The path and query, as sent.
    pub target: String,
    /// When it came in.
    pub received: Instant,
    /// When it was answered or dropped; `None` while in flight.
    pub finished: Option<Instant>,
}

impl Logged {
    /// Whether it was in flight at `at`.
    #[must_use]
    pub fn in_flight_at(&self, at: Instant) -> bool {
        self.received <= at && self.finished.is_none_or(|f| f > at)
    }
}

impl RequestLog {
    /// Requests taken in so far.
    #[must_use]
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// Requests done with: answered, or dropped because the client hung up.
    #[must_use]
    pub fn finished(&self) -> u64 {
        self.finished.load(Ordering::SeqCst)
    }

    /// Requests for a file (`/files/…`), the route that never needs a key.
    #[must_use]
    pub fn file_requests(&self) -> u64 {
        self.file_requests.load(Ordering::SeqCst)
    }

    /// File requests that carried an `Authorization` header: a client that
    /// sends its API key to a file host would show here.
    #[must_use]
    pub fn file_requests_with_authorization(&self) -> u64 {
        self.file_requests_with_authorization.load(Ordering::SeqCst)
    }

    /// Requests taken in and not yet done with (a latency still running, say).
    #[must_use]
    pub fn in_flight(&self) -> u64 {
        self.received().saturating_sub(self.finished())
    }

    /// The latest requests (at most [`KEPT`]), oldest first.
    #[must_use]
    pub fn recent(&self) -> Vec<Logged> {
        self.recent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    /// The most of the kept requests whose target `matches` that were in flight at once.
    #[must_use]
    pub fn peak_in_flight(&self, matches: impl Fn(&str) -> bool) -> usize {
        let chosen: Vec<Logged> = self
            .recent()
            .into_iter()
            .filter(|l| matches(&l.target))
            .collect();
        chosen
            .iter()
            .map(|l| chosen.iter().filter(|o| o.in_flight_at(l.received)).count())
            .max()
            .unwrap_or(0)
    }

    fn begin(&self, target: String) -> u64 {
        let number = self.received.fetch_add(1, Ordering::SeqCst);
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        recent.push_back(Logged {
            number,
            target,
            received: Instant::now(),
            finished: None,
        });
        while recent.len() > KEPT {
            recent.pop_front();
        }
        number
    }

    fn end(&self, number: u64) {
        let now = Instant::now();
        {
            let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(logged) = recent.iter_mut().rev().find(|l| l.number == number) {
                logged.finished = Some(now);
            }
        }
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

/// Counts its request finished when dropped: after the answer is made, or
/// when hyper drops the handler because the client went away.
struct Finishing(Arc<RequestLog>, u64);

impl Drop for Finishing {
    fn drop(&mut self) {
        self.0.end(self.1);
    }
}

/// `router`, counting each request as it comes in and as it is done with.
pub fn counted(router: Router, log: Arc<RequestLog>) -> Router {
    router.layer(middleware::from_fn(move |request: Request, next: Next| {
        let log = Arc::clone(&log);
        async move {
            if request.uri().path().starts_with("/files/") {
                log.file_requests.fetch_add(1, Ordering::SeqCst);
                if request
                    .headers()
                    .contains_key(axum::http::header::AUTHORIZATION)
                {
                    log.file_requests_with_authorization
                        .fetch_add(1, Ordering::SeqCst);
                }
            }
            let target = request
                .uri()
                .path_and_query()
                .map_or_else(|| request.uri().path().to_owned(), ToString::to_string);
            let number = log.begin(target);
            let _finishing = Finishing(log, number);
            next.run(request).await
        }
    }))
}
