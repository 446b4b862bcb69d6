//! From flags and environment to a connected provider — or to the bundled demo on a local server.

use std::net::SocketAddr;

use super::Failure;
use super::args::{GlobalArgs, ProviderChoice};
use crate::provider::Provider;
use crate::provider::agentsight::{AgentSight, AgentSightConfig, DEFAULT_ENDPOINT};
use crate::server::{self, RunningServer, ServerConfig};

/// A provider ready to use, and the demo server behind it when there is one
/// (kept alive as long as the session; dropping it stops the server).
pub struct Session {
    /// The API to talk to.
    pub provider: Box<dyn Provider>,
    /// The in-process server of `--demo`.
    pub demo_server: Option<RunningServer>,
}

/// Connects as the flags and environment say.
///
/// # Errors
/// A flag combination that cannot work yet, a missing or malformed key (before
/// any request), or a demo server that cannot start.
pub async fn connect(global: &GlobalArgs) -> Result<Session, Failure> {
    if global.profile.is_some() {
        return Err(Failure::usage(
            "profiles are not available yet (they come with the config file); use AGENTSIGHT_API_KEY and --endpoint",
        ));
    }
    if global.provider == Some(ProviderChoice::Chatdash) {
        return Err(Failure::usage(
            "the ChatDash provider is not available yet; AgentSight is",
        ));
    }
    if global.demo {
        let conversations = server::data::bundled_demo().map_err(Failure::runtime)?;
        let config = ServerConfig::default();
        let key = config.api_key.clone();
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let running = server::spawn(conversations, config, addr)
            .await
            .map_err(|e| {
                Failure::runtime(format!("cannot start the demo server on 127.0.0.1: {e}"))
            })?;
        let provider = AgentSight::new(AgentSightConfig::new(running.base_url(), Some(key)))?;
        return Ok(Session {
            provider: Box::new(provider),
            demo_server: Some(running),
        });
    }
    let endpoint = global
        .endpoint
        .clone()
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    let key = std::env::var("AGENTSIGHT_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty());
    let mut config = AgentSightConfig::new(endpoint, key);
    if let Ok(app_url) = std::env::var("AGENTSIGHT_APP_URL") {
        config.app_url = Some(app_url);
    }
    let provider = AgentSight::new(config)?;
    Ok(Session {
        provider: Box::new(provider),
        demo_server: None,
    })
}
