//! The local `AgentSight`- and ChatDash-compatible server (`convo serve`, `--demo`).
//!
//! It serves an in-memory copy of a conversation set over the `AgentSight` wire
//! protocol (`agentsight-api.md`): the same routes, filters, envelope, errors
//! and auth as the hosted service, plus fault injection for tests and demos.
//! Writes change the in-memory copy only.

mod agent;
pub mod args;
mod caller;
pub mod chatdash;
pub mod data;
mod derive;
mod discovery;
mod envelope;
mod faults;
mod feedback_rows;
mod feedbacks;
pub mod files;
mod filter;
pub mod generate;
pub mod listen;
mod metadata;
mod metaindex;
mod params;
mod planes;
mod rebinding;
mod record;
mod reply;
pub mod request_log;
mod routes;
mod state;
mod store;
mod ticket_rows;
mod tickets;
mod writes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::provider::model::Conversation;

pub use args::{DEMO_API_KEY, DEMO_READ_API_KEY, Role, ServeArgs};

/// How a server behaves: who may call it and which faults it injects.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerConfig {
    /// The one key the server accepts (`Authorization: Api-Key <key>`).
    pub api_key: String,
    /// `Read` makes every write answer 403.
    pub role: Role,
    /// Every authenticated request answers 401 with a detail naming the subscription.
    pub subscription_inactive: bool,
    /// Added before every answer.
    pub latency: Duration,
    /// Probability (0..=1) that an authenticated /api request answers 5xx.
    pub fail_rate: f64,
    /// Probability (0..=1) that an authenticated /api request answers 429.
    pub throttle_rate: f64,
    /// Seeds the fault draws so a run can be replayed.
    pub fault_seed: u64,
    /// The `ChatDash` routes' key, agent, project and data.
    pub chatdash: chatdash::ChatDashSettings,
    /// How many connections at once, and how long a request's headers may take.
    pub limits: listen::ConnectionLimits,
    /// How long a signed `file_url` stays valid (an hour, as on the hosted service).
    pub file_url_ttl: Duration,
    /// Add the conversation of bad files (`files::fixtures`) and serve them.
    pub bad_files: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            api_key: DEMO_API_KEY.to_owned(),
            role: Role::Write,
            subscription_inactive: false,
            latency: Duration::ZERO,
            fail_rate: 0.0,
            throttle_rate: 0.0,
            fault_seed: 0,
            chatdash: chatdash::ChatDashSettings::default(),
            limits: listen::ConnectionLimits::default(),
            file_url_ttl: files::DEFAULT_TTL,
            bad_files: false,
        }
    }
}

/// A server running on a background task. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    requests: Arc<request_log::RequestLog>,
}

impl RunningServer {
    /// How many requests it has taken in and finished.
    #[must_use]
    pub fn requests(&self) -> Arc<request_log::RequestLog> {
        Arc::clone(&self.requests)
    }

    /// The address it listens on (the real port when 0 was asked for).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits for the task.
    ///
    /// # Errors
    /// What the server loop failed with, if it failed.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or_else(|e| Err(std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Nobody can await the graceful end from here; aborting makes sure a
        // test that forgot `shutdown` leaks neither the port nor the task.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Starts a server for `conversations` on `addr` (port 0 picks a free one).
///
/// Missing or duplicate primary keys and missing conversation ids are assigned
/// here, as at load, so hand-built data works as it is.
///
/// # Errors
/// The address cannot be bound.
pub async fn spawn(
    mut conversations: Vec<Conversation>,
    config: ServerConfig,
    addr: SocketAddr,
) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let limits = config.limits;
    if config.bad_files {
        conversations.extend(files::fixtures::conversation());
    }
    let state = Arc::new(state::AppState::new(conversations, config, addr)?);
    let mut app = routes::router(state);
    // Bound to loopback, the server is for this machine only; a web page
    // whose name was rebound to 127.0.0.1 still sends its own name as Host.
    if addr.ip().is_loopback() {
        app = rebinding::guard(app);
    }
    let requests = Arc::new(request_log::RequestLog::default());
    let app = request_log::counted(app, Arc::clone(&requests));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(listen::serve(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    Ok(RunningServer {
        addr,
        stop: Some(stop),
        task: Some(task),
        requests,
    })
}

/// `convo serve`: loads the data, serves it, and returns on Ctrl-C or SIGTERM.
///
/// # Errors
/// Bad arguments, unreadable data, or an address that cannot be bound, as one line.
pub async fn run(args: ServeArgs) -> Result<(), String> {
    let config = args.config()?;
    let conversations = args.load_conversations()?;
    let count = conversations.len();
    let server = spawn(conversations, config.clone(), args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    eprintln!(
        "convo serve: {} · {} · key {} ({})",
        server.base_url(),
        crate::format::count::plural(count, "conversation"),
        args::mask_key(&config.api_key),
        config.role.as_str()
    );
    if let Some(warning) = args::exposure_warning(server.addr(), &config) {
        eprintln!("{warning}");
    }
    if config.api_key == DEMO_API_KEY {
        eprintln!(
            "  read-only demo key {} (every write answers 403)",
            args::mask_key(DEMO_READ_API_KEY)
        );
    }
    shutdown_signal().await;
    server
        .shutdown()
        .await
        .map_err(|e| format!("the server stopped with an error: {e}"))
}

/// Resolves on Ctrl-C, or SIGTERM where there is one.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: wait forever rather than exit at once.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
