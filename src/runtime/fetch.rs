//! The background fetch task: runs each request under its own cancellation token, cancels the previous one of the same kind, and answers over the message channel.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::app::cmd::{EnrichFetch, Fetch, FetchKind};
use crate::app::enrich::MAX_IN_FLIGHT;
use crate::app::msg::{Generation, Msg};
use crate::provider::http::attempts::{Watcher, watched};
use crate::provider::{ConversationRef, Provider};

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
    let mut enriching = Enriching::new(&shutdown);
    loop {
        let fetch = tokio::select! {
            () = shutdown.cancelled() => break,
            fetch = incoming.recv() => match fetch {
                Some(fetch) => fetch,
                None => break,
            },
        };
        if let Fetch::Enrich(fetch) = fetch {
            enriching.start(&provider, fetch, &replies, &shutdown);
            continue;
        }
        let token = shutdown.child_token();
        if let Some(previous) = running.insert(fetch.kind(), token.clone()) {
            previous.cancel();
        }
        let provider = Arc::clone(&provider);
        let replies = replies.clone();
        let watcher = retry_watcher(&fetch, replies.clone());
        tokio::spawn(async move {
            tokio::select! {
                () = token.cancelled() => {}
                msg = watched(watcher, perform(&*provider, fetch)) => {
                    let _ = replies.send(msg);
                }
            }
        });
    }
    for token in running.values() {
        token.cancel();
    }
    enriching.token.cancel();
}

/// Forwards each retry of `fetch` to the loop as a message, so the status
/// bar says it while the request waits (update drops it for a background
/// fetch, or one no longer current).
fn retry_watcher(fetch: &Fetch, replies: UnboundedSender<Msg>) -> Watcher {
    let kind = fetch.kind();
    let generation = match fetch {
        Fetch::List { generation, .. } | Fetch::Detail { generation, .. } => Some(*generation),
        _ => None,
    };
    Arc::new(move |retrying| {
        let _ = replies.send(Msg::Retrying {
            kind,
            generation,
            retrying,
        });
    })
}

/// The list rows' background fetches: one token per generation, so a newer
/// one cancels every older fetch at once, and a semaphore so that no more
/// than [`MAX_IN_FLIGHT`] are on the wire even while cancelled ones wind
/// down. Nothing the user asks for waits on it.
struct Enriching {
    generation: Generation,
    token: CancellationToken,
    permits: Arc<Semaphore>,
}

impl Enriching {
    fn new(shutdown: &CancellationToken) -> Self {
        Self {
            generation: 0,
            token: shutdown.child_token(),
            permits: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        }
    }

    fn start(
        &mut self,
        provider: &Arc<dyn Provider>,
        fetch: EnrichFetch,
        replies: &UnboundedSender<Msg>,
        shutdown: &CancellationToken,
    ) {
        let generation = fetch.generation();
        if generation < self.generation {
            return;
        }
        if generation > self.generation {
            self.token.cancel();
            self.token = shutdown.child_token();
            self.generation = generation;
        }
        let EnrichFetch::Row { generation, id } = fetch else {
            return;
        };
        let token = self.token.clone();
        let permits = Arc::clone(&self.permits);
        let provider = Arc::clone(provider);
        let replies = replies.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = token.cancelled() => {}
                msg = async {
                    // The permit is held for the request and let go as soon as
                    // it ends or is cancelled (the future is dropped).
                    let _permit = permits.acquire().await;
                    enrich_row(&*provider, generation, id).await
                } => {
                    let _ = replies.send(msg);
                }
            }
        });
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
        Fetch::Enrich(EnrichFetch::Row { generation, id }) => {
            enrich_row(provider, generation, id).await
        }
        // `serve` hands every enrichment to `Enriching`; a stop has nothing to
        // answer, and a tick changes nothing but the spinner.
        Fetch::Enrich(EnrichFetch::Stop { .. }) => Msg::Tick,
    }
}

/// One list row's whole record, for its extra columns.
async fn enrich_row(provider: &dyn Provider, generation: Generation, id: ConversationRef) -> Msg {
    let result = match provider.conversation(&id).await {
        Ok(conversation) => Ok((Arc::new(conversation), chrono::Utc::now())),
        Err(error) => {
            tracing::info!("background fetch of {id}: {error}");
            Err(error)
        }
    };
    Msg::Enriched {
        generation,
        id,
        result,
    }
}
