//! From the resolved settings (flags, environment, profile) to a connected provider — or to the bundled demo on a local server.

use std::net::SocketAddr;

use super::Failure;
use super::args::GlobalArgs;
use crate::config::{self, KEY_CMD_TIMEOUT, Settings};
use crate::provider::agentsight::{AgentSight, AgentSightConfig};
use crate::provider::chatdash::{ChatDash, ChatDashConfig};
use crate::provider::{Provider, ProviderKind};
use crate::server::{self, RunningServer, ServerConfig};

/// A provider ready to use, and the demo server behind it when there is one
/// (kept alive as long as the session; dropping it stops the server).
pub struct Session {
    /// The API to talk to.
    pub provider: Box<dyn Provider>,
    /// The in-process server of `--demo`.
    pub demo_server: Option<RunningServer>,
}

/// Resolves the settings (config file, environment, flags) and connects as they say.
///
/// # Errors
/// A config error (exit 2), a key that cannot be had, a flag combination that
/// cannot work yet, or a demo server that cannot start.
pub async fn connect(global: &GlobalArgs) -> Result<Session, Failure> {
    let settings = config::settings(&global.flags())?;
    connect_with(&settings).await
}

/// Connects as resolved settings say; the key (and only it) is fetched here,
/// so `api_key_cmd` runs once per connection.
///
/// # Errors
/// As [`connect`].
pub async fn connect_with(settings: &Settings) -> Result<Session, Failure> {
    if settings.demo {
        return demo(settings.provider.value).await;
    }
    let key = match &settings.key {
        Some(spec) => {
            Some(config::fetch_key(spec, &config::Env::from_process(), KEY_CMD_TIMEOUT).await?)
        }
        None => None,
    };
    match settings.provider.value {
        ProviderKind::AgentSight => {
            let mut config = AgentSightConfig::new(settings.endpoint.value.clone(), key);
            config.app_url = settings.app_url.as_ref().map(|u| u.value.clone());
            let provider = AgentSight::new(config)?;
            Ok(Session {
                provider: Box::new(provider),
                demo_server: None,
            })
        }
        ProviderKind::ChatDash => {
            let config = ChatDashConfig::new(
                settings.endpoint.value.clone(),
                key,
                settings.agent_id.as_ref().map(|a| a.value.clone()),
            );
            Ok(Session {
                provider: Box::new(ChatDash::new(config)?),
                demo_server: None,
            })
        }
    }
}

/// The bundled demo on a local server: no key, no network, no config.
async fn demo(provider: ProviderKind) -> Result<Session, Failure> {
    let conversations = server::data::bundled_demo().map_err(Failure::runtime)?;
    let config = ServerConfig::default();
    let key = config.api_key.clone();
    let chatdash = config.chatdash.clone();
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let running = server::spawn(conversations, config, addr)
        .await
        .map_err(|e| Failure::runtime(format!("cannot start the demo server on 127.0.0.1: {e}")))?;
    // The same local server answers both APIs, each with its own demo key.
    let provider: Box<dyn Provider> = match provider {
        ProviderKind::AgentSight => Box::new(AgentSight::new(AgentSightConfig::new(
            running.base_url(),
            Some(key),
        ))?),
        ProviderKind::ChatDash => Box::new(ChatDash::new(ChatDashConfig::new(
            running.base_url(),
            Some(chatdash.api_key),
            Some(chatdash.agent_id),
        ))?),
    };
    Ok(Session {
        provider,
        demo_server: Some(running),
    })
}
