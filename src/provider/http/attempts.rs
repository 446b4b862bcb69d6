//! Telling whoever runs a request that it is being tried again: the transport reports each retry to a watcher set for the task (the browser's status bar, a headless command's stderr), if any.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::provider::Error;

/// A request failed and is about to be sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retrying {
    /// The try about to be made (2 for the first retry).
    pub attempt: u32,
    /// Tries in all.
    pub of: u32,
    /// How long until it is sent.
    pub wait: Duration,
    /// Why the last try failed, briefly (`502`, `no answer`, `throttled`).
    pub reason: String,
}

impl Retrying {
    /// The retry about to be made after `error`.
    #[must_use]
    pub fn after(error: &Error, attempt: u32, of: u32, wait: Duration) -> Self {
        let reason = match error {
            Error::Throttled { .. } => "throttled (429)".to_owned(),
            Error::Server { status, .. } | Error::UnexpectedStatus { status, .. } => {
                format!("the server failed ({status})")
            }
            Error::Timeout { .. } => "no answer in time".to_owned(),
            Error::Network { .. } => "the connection broke".to_owned(),
            Error::Connect { .. } => "cannot reach the server".to_owned(),
            Error::Decode { .. } => "the answer could not be read".to_owned(),
            other => other.to_string(),
        };
        Self {
            attempt,
            of,
            wait,
            reason,
        }
    }
}

impl fmt::Display for Retrying {
    /// `the server failed (502): retry 2/3 in 0.5 s`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.wait.as_millis();
        let wait = if millis % 1000 == 0 {
            format!("{} s", millis / 1000)
        } else {
            format!("{:.1} s", self.wait.as_secs_f64())
        };
        write!(
            f,
            "{}: retry {}/{} in {wait}",
            self.reason, self.attempt, self.of
        )
    }
}

/// Hears every retry of the requests run under it.
pub type Watcher = Arc<dyn Fn(Retrying) + Send + Sync>;

tokio::task_local! {
    static WATCHER: Watcher;
}

/// Runs `request` with `watcher` told of each of its retries (on this task:
/// a request spawned elsewhere inside it is not watched).
pub async fn watched<F: Future>(watcher: Watcher, request: F) -> F::Output {
    WATCHER.scope(watcher, request).await
}

/// Tells the task's watcher, if it has one.
pub(crate) fn tell(retrying: Retrying) {
    let _ = WATCHER.try_with(|watcher| watcher(retrying));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_reads_with_its_numbers() {
        let error = Error::Server {
            status: 502,
            detail: "Bad Gateway".to_owned(),
        };
        assert_eq!(
            Retrying::after(&error, 2, 3, Duration::from_millis(500)).to_string(),
            "the server failed (502): retry 2/3 in 0.5 s"
        );
        assert_eq!(
            Retrying::after(&error, 3, 3, Duration::from_secs(2)).to_string(),
            "the server failed (502): retry 3/3 in 2 s"
        );
    }

    #[tokio::test]
    async fn only_the_watched_task_hears() {
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = Arc::clone(&heard);
        let watcher: Watcher = Arc::new(move |r: Retrying| {
            if let Ok(mut v) = sink.lock() {
                v.push(r.attempt);
            }
        });
        let error = Error::Decode {
            detail: String::new(),
        };
        tell(Retrying::after(&error, 9, 9, Duration::ZERO));
        watched(watcher, async {
            tell(Retrying::after(&error, 2, 3, Duration::ZERO));
        })
        .await;
        assert_eq!(heard.lock().map(|v| v.clone()).unwrap_or_default(), vec![2]);
    }
}
