//! Injected faults (`--fail-rate`, `--throttle-rate`): deterministic per request from `--fault-seed`, in the shapes real proxies and DRF produce.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::reply::detail;

/// Draws the fault (if any) for each request in turn.
#[derive(Debug)]
pub(super) struct Faults {
    seed: u64,
    fail_rate: f64,
    throttle_rate: f64,
    /// Requests drawn for so far; request n uses stream n of the seeded generator.
    requests: AtomicU64,
    /// 429s answered so far, to alternate the two `Retry-After` spellings.
    throttles: AtomicU64,
}

/// A fault to answer with instead of the real response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Fault {
    /// 429 with `Retry-After` in seconds (`true`) or as an HTTP-date (`false`).
    Throttled { seconds_form: bool },
    /// A 5xx, in one of several bodies.
    Failed(Failure),
}

/// The 5xx bodies clients meet in the wild.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Failure {
    /// DRF's JSON 500.
    InternalJson,
    /// A framework's HTML 500 page.
    InternalHtml,
    /// A proxy's HTML 502 page.
    BadGatewayHtml,
    /// A JSON 503 while the backend restarts.
    UnavailableJson,
    /// A load balancer's HTML 503 page.
    UnavailableHtml,
}

const FAILURES: [Failure; 5] = [
    Failure::InternalJson,
    Failure::InternalHtml,
    Failure::BadGatewayHtml,
    Failure::UnavailableJson,
    Failure::UnavailableHtml,
];

impl Faults {
    pub(super) fn new(seed: u64, fail_rate: f64, throttle_rate: f64) -> Self {
        Self {
            seed,
            fail_rate,
            throttle_rate,
            requests: AtomicU64::new(0),
            throttles: AtomicU64::new(0),
        }
    }

    /// Whether any fault can be drawn at all (so fault-free servers skip the draw).
    pub(super) fn enabled(&self) -> bool {
        self.fail_rate > 0.0 || self.throttle_rate > 0.0
    }

    /// The fault for the next request, if it gets one. Throttling is drawn
    /// first (a throttled request never reaches the backend that would fail).
    pub(super) fn draw(&self) -> Option<Fault> {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(n);
        let throttle = rng.random::<f64>() < self.throttle_rate;
        let fail = rng.random::<f64>() < self.fail_rate;
        let kind = FAILURES[rng.random_range(0..FAILURES.len())];
        if throttle {
            let k = self.throttles.fetch_add(1, Ordering::Relaxed);
            Some(Fault::Throttled {
                seconds_form: k % 2 == 0,
            })
        } else if fail {
            Some(Fault::Failed(kind))
        } else {
            None
        }
    }
}

impl IntoResponse for Fault {
    fn into_response(self) -> Response {
        match self {
            Self::Throttled { seconds_form } => {
                let retry_after = if seconds_form {
                    "1".to_owned()
                } else {
                    // HTTP-date has whole seconds; two ahead keeps it in the future.
                    (Utc::now() + Duration::seconds(2))
                        .format("%a, %d %b %Y %H:%M:%S GMT")
                        .to_string()
                };
                let mut response = detail(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Request was throttled. Expected available in 1 second.",
                );
                if let Ok(value) = HeaderValue::from_str(&retry_after) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            Self::Failed(Failure::InternalJson) => detail(
                StatusCode::INTERNAL_SERVER_ERROR,
                "A server error occurred.",
            ),
            Self::Failed(Failure::UnavailableJson) => detail(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service temporarily unavailable, try again later.",
            ),
            Self::Failed(Failure::InternalHtml) => html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html>\n<html lang=\"en\">\n<head><title>Server Error (500)</title></head>\n<body><h1>Server Error (500)</h1><p></p></body>\n</html>\n",
            ),
            Self::Failed(Failure::BadGatewayHtml) => html(
                StatusCode::BAD_GATEWAY,
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            ),
            Self::Failed(Failure::UnavailableHtml) => html(
                StatusCode::SERVICE_UNAVAILABLE,
                "<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>\n",
            ),
        }
    }
}

fn html(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u64, fail: f64, throttle: f64, n: usize) -> Vec<Option<Fault>> {
        let faults = Faults::new(seed, fail, throttle);
        (0..n).map(|_| faults.draw()).collect()
    }

    #[test]
    fn draws_are_deterministic_and_follow_the_rates() {
        assert_eq!(run(7, 0.3, 0.2, 200), run(7, 0.3, 0.2, 200));
        assert_ne!(run(7, 0.3, 0.2, 200), run(8, 0.3, 0.2, 200));
        assert!(run(1, 0.0, 0.0, 100).iter().all(Option::is_none));
        let all_fail = run(1, 1.0, 0.0, 100);
        assert!(all_fail.iter().all(|f| matches!(f, Some(Fault::Failed(_)))));
        let kinds: std::collections::HashSet<_> = all_fail.into_iter().flatten().collect();
        assert_eq!(kinds.len(), FAILURES.len(), "every body shows up");
        let throttled = run(1, 1.0, 1.0, 4);
        assert_eq!(
            throttled,
            vec![
                Some(Fault::Throttled { seconds_form: true }),
                Some(Fault::Throttled {
                    seconds_form: false
                }),
                Some(Fault::Throttled { seconds_form: true }),
                Some(Fault::Throttled {
                    seconds_form: false
                }),
            ]
        );
        let some = run(3, 0.25, 0.0, 400)
            .iter()
            .filter(|f| f.is_some())
            .count();
        assert!((50..150).contains(&some), "{some}");
    }
}
