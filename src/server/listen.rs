//! The accept loop of `convo serve`: at most so many connections at once, a deadline for each request's headers, and a graceful stop.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How much a client may hold of the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once; beyond it, new ones wait in the kernel's
    /// backlog until one closes, so a flood of idle sockets costs no task
    /// and no buffer here.
    pub max_connections: usize,
    /// How long a client has to send a request's headers (the first one, and
    /// each next one on a kept-alive connection). Without it a client that
    /// sends one byte now and then (slowloris) holds its connection forever.
    pub header_read_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        // A browser of convo keeps a handful of connections; export keeps a
        // few more. 256 leaves room for many users without letting one
        // exhaust the process's file descriptors (often 1,024).
        Self {
            max_connections: 256,
            header_read_timeout: Duration::from_secs(10),
        }
    }
}

/// The longest a stop waits for requests in flight before it drops them.
const DRAIN_AT_MOST: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` within `limits` until `stop` resolves, then
/// lets the requests in flight finish (for at most [`DRAIN_AT_MOST`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    wait_after_accept_error(&error).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .keep_alive(true);
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!("a connection ended with an error: {error}");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_AT_MOST, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {DRAIN_AT_MOST:?} were dropped");
    }
    Ok(())
}

/// A failed accept is about one connection (reset before it was taken) or
/// about the process (out of file descriptors): the first is skipped, the
/// second waited out a little, as a busy loop would make it worse.
async fn wait_after_accept_error(error: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!("cannot accept a connection: {error}");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
