//! How many requests the server has taken in and finished, so a test can wait for a reply in flight instead of sleeping, and how many file requests carried a key.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
}

/// Counts its request finished when dropped: after the answer is made, or
/// when hyper drops the handler because the client went away.
struct Finishing(Arc<RequestLog>);

impl Drop for Finishing {
    fn drop(&mut self) {
        self.0.finished.fetch_add(1, Ordering::SeqCst);
    }
}

/// `router`, counting each request as it comes in and as it is done with.
pub fn counted(router: Router, log: Arc<RequestLog>) -> Router {
    router.layer(middleware::from_fn(move |request: Request, next: Next| {
        let log = Arc::clone(&log);
        async move {
            log.received.fetch_add(1, Ordering::SeqCst);
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
            let _finishing = Finishing(log);
            next.run(request).await
        }
    }))
}
