//! The background fetch task: runs each request under its own cancellation token, cancels the previous one of the same kind, and answers over the message channel.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::app::cmd::{Fetch, FetchKind};
use crate::app::msg::Msg;
use crate::provider::Provider;

/// Where the loop sends fetch requests.
#[derive(Clone, Debug)]
pub struct Fetcher {
    requests: UnboundedSender<Fetch>,
}

impl Fetcher {
    /// Starts the fetch task: requests in, replies out as `Msg`; everything
    /// stops when `shutdown` is cancelled.
    #[must_use]
    pub fn spawn(
        provider: Arc<dyn Provider>,
        replies: UnboundedSender<Msg>,
        shutdown: CancellationToken,
    ) -> (Self, JoinHandle<()>) {
        let (requests, incoming) = unbounded_channel();
        let task = tokio::spawn(serve(provider, incoming, replies, shutdown));
        (Self { requests }, task)
    }

    /// Queues a request (ignored once the task has stopped).
    pub fn send(&self, fetch: Fetch) {
        let _ = self.requests.send(fetch);
    }
}

async fn serve(
    provider: Arc<dyn Provider>,
    mut incoming: UnboundedReceiver<Fetch>,
    replies: UnboundedSender<Msg>,
    shutdown: CancellationToken,
) {
    let mut running: HashMap<FetchKind, CancellationToken> = HashMap::new();
    loop {
        let fetch = tokio::select! {
            () = shutdown.cancelled() => break,
            fetch = incoming.recv() => match fetch {
                Some(fetch) => fetch,
                None => break,
            },
        };
        let token = shutdown.child_token();
        if let Some(previous) = running.insert(fetch.kind(), token.clone()) {
            previous.cancel();
        }
        let provider = Arc::clone(&provider);
        let replies = replies.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = token.cancelled() => {}
                msg = perform(&*provider, fetch) => {
                    let _ = replies.send(msg);
                }
            }
        });
    }
    for token in running.values() {
        token.cancel();
    }
}

/// Runs one request and words its outcome as a message.
async fn perform(provider: &dyn Provider, fetch: Fetch) -> Msg {
    match fetch {
        Fetch::List {
            generation,
            query,
            page,
            page_size,
        } => match provider.list(&query, page, page_size).await {
            Ok(page) => Msg::ListLoaded { generation, page },
            Err(error) => {
                tracing::warn!("list page {page}: {error}");
                Msg::ListFailed {
                    generation,
                    page,
                    error,
                }
            }
        },
        Fetch::Prefetch {
            generation,
            query,
            page,
            page_size,
        } => match provider.list(&query, page, page_size).await {
            Ok(page) => Msg::Prefetched { generation, page },
            Err(error) => {
                tracing::info!("prefetch of page {page}: {error}");
                Msg::PrefetchFailed { generation, error }
            }
        },
        Fetch::Detail { generation, id } => match provider.conversation(&id).await {
            Ok(conversation) => Msg::DetailLoaded {
                generation,
                conversation: Arc::new(conversation),
                fetched_at: chrono::Utc::now(),
            },
            Err(error) => {
                tracing::warn!("conversation {id}: {error}");
                Msg::DetailFailed { generation, error }
            }
        },
        Fetch::Screen(fetch) => super::screens::perform(provider, fetch).await,
        Fetch::Trace(fetch) => super::trace::perform(provider, fetch).await,
    }
}
