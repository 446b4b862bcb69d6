//! From the resolved settings (flags, environment, profile) to a connected provider — or to the bundled demo on a local server.

use std::net::SocketAddr;
use std::time::Duration;

use super::Failure;
use super::args::GlobalArgs;
use crate::config::{self, KEY_CMD_TIMEOUT, Settings};
use crate::provider::agentsight::{AgentSight, AgentSightConfig};
use crate::provider::chatdash::{ChatDash, ChatDashConfig};
use crate::provider::{Provider, ProviderKind};
use crate::server::{self, RunningServer, ServerConfig};

/// The variable that sets the per-request timeout in seconds (default: the
/// provider's, 15 s for `AgentSight`): longer for a slow link, shorter for
/// tests that wait on a dead server.
pub const TIMEOUT_ENV: &str = "CONVO_TIMEOUT";

/// The longest timeout `CONVO_TIMEOUT` may ask for: an hour.
const LONGEST_TIMEOUT_SECS: f64 = 3600.0;

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
    let env = config::Env::from_process();
    let timeout = request_timeout(&env)?;
    let key = match &settings.key {
        Some(spec) => Some(config::fetch_key(spec, &env, KEY_CMD_TIMEOUT).await?),
        None => None,
    };
    match settings.provider.value {
        ProviderKind::AgentSight => {
            let mut config = AgentSightConfig::new(settings.endpoint.value.clone(), key);
            config.app_url = settings.app_url.as_ref().map(|u| u.value.clone());
            config.timeout = timeout.unwrap_or(config.timeout);
            let provider = AgentSight::new(config)?;
            Ok(Session {
                provider: Box::new(provider),
                demo_server: None,
            })
        }
        ProviderKind::ChatDash => {
            let mut config = ChatDashConfig::new(
                settings.endpoint.value.clone(),
                key,
                settings.agent_id.as_ref().map(|a| a.value.clone()),
            );
            config.timeout = timeout.unwrap_or(config.timeout);
            Ok(Session {
                provider: Box::new(ChatDash::new(config)?),
                demo_server: None,
            })
        }
    }
}

/// The per-request timeout `CONVO_TIMEOUT` asks for; `None` keeps the provider's default.
///
/// # Errors
/// A usage error for a value that is not a number of seconds in (0, 3600].
fn request_timeout(env: &config::Env) -> Result<Option<Duration>, Failure> {
    let Some(text) = env.get(TIMEOUT_ENV) else {
        return Ok(None);
    };
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|secs| *secs > 0.0 && *secs <= LONGEST_TIMEOUT_SECS)
        .map(|secs| Some(Duration::from_secs_f64(secs)))
        .ok_or_else(|| {
            Failure::usage(format!(
                "{TIMEOUT_ENV}={text:?} is not a number of seconds from 0 to 3600, like 15 or 2.5"
            ))
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(value: Option<&str>) -> Result<Option<Duration>, Failure> {
        let pairs: Vec<(&str, &str)> = value.map(|v| (TIMEOUT_ENV, v)).into_iter().collect();
        request_timeout(&config::Env::from_pairs(pairs))
    }

    #[test]
    fn the_timeout_comes_from_convo_timeout_in_seconds() {
        assert_eq!(timeout(None), Ok(None), "the provider's default stays");
        assert_eq!(timeout(Some(" ")), Ok(None));
        assert_eq!(timeout(Some("2.5")), Ok(Some(Duration::from_millis(2500))));
        assert_eq!(timeout(Some("60")), Ok(Some(Duration::from_secs(60))));
        for bad in ["0", "-1", "soon", "NaN", "inf", "7200"] {
            let failure = timeout(Some(bad)).unwrap_err();
            assert_eq!(failure.code, 2, "{bad}");
            assert!(failure.message.contains("CONVO_TIMEOUT"), "{failure:?}");
        }
    }
}
