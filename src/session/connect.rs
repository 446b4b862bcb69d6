//! From the resolved settings (flags, environment, profile) to a connected provider — or to the bundled demo on a local server.

use std::net::SocketAddr;
use std::sync::Arc;

use std::time::Duration;

use async_trait::async_trait;

use super::profiles::{Connected, ProfileEntry, Profiles, Source};
use crate::config::{self, ConfigFile, Env, Flags, KEY_CMD_TIMEOUT, Settings};
use crate::failure::Failure;

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

/// Connects as resolved settings say; the key (and only it) is fetched here,
/// so `api_key_cmd` runs once per connection.
///
/// # Errors
/// A config error (exit 2), a key that cannot be had, a flag combination that
/// cannot work yet, or a demo server that cannot start.
pub async fn connect_with(settings: &Settings) -> Result<Session, Failure> {
    connect_in(settings, &Env::from_process()).await
}

/// Like [`connect_with`], with the key read from `env` (a profile switch
/// resolves against the environment the browser started with).
///
/// # Errors
/// As [`connect_with`].
pub async fn connect_in(settings: &Settings, env: &Env) -> Result<Session, Failure> {
    if settings.demo {
        return demo(settings.provider.value).await;
    }
    let timeout = request_timeout(env)?;
    let key = match &settings.key {
        Some(spec) => Some(config::fetch_key(spec, env, KEY_CMD_TIMEOUT).await?),
        None => None,
    };
    match settings.provider.value {
        ProviderKind::AgentSight => {
            let mut config = AgentSightConfig::new(settings.endpoint.value.clone(), key);
            config.app_url = settings.app_url.as_ref().map(|u| u.value.clone());
            config.timeout = timeout.unwrap_or(config.timeout);
            let provider = AgentSight::new(config).map_err(|e| name_the_key_source(e, settings))?;
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

/// A malformed key's error names where the key really came from (a profile's
/// `api_key_cmd`, say), not the environment variable the provider knows of.
fn name_the_key_source(error: crate::provider::Error, settings: &Settings) -> Failure {
    match (&error, &settings.key) {
        (crate::provider::Error::InvalidKey { expected, .. }, Some(spec)) => Failure {
            code: error.exit_code(),
            message: format!(
                "the API key from {} is malformed: expected {expected}",
                spec.value.describe()
            ),
        },
        _ => error.into(),
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
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let running = server::spawn(conversations, ServerConfig::default(), addr)
        .await
        .map_err(|e| Failure::runtime(format!("cannot start the demo server on 127.0.0.1: {e}")))?;
    Ok(Session {
        provider: demo_provider(provider, &running.base_url())?,
        demo_server: Some(running),
    })
}

/// A provider for the demo server at `base_url`: the same local server
/// answers both APIs, each with its own demo key.
fn demo_provider(kind: ProviderKind, base_url: &str) -> Result<Box<dyn Provider>, Failure> {
    let config = ServerConfig::default();
    Ok(match kind {
        ProviderKind::AgentSight => Box::new(AgentSight::new(AgentSightConfig::new(
            base_url.to_owned(),
            Some(config.api_key),
        ))?),
        ProviderKind::ChatDash => Box::new(ChatDash::new(ChatDashConfig::new(
            base_url.to_owned(),
            Some(config.chatdash.api_key),
            Some(config.chatdash.agent_id),
        ))?),
    })
}

/// The name the browser gives the demo of each API.
#[must_use]
pub fn demo_profile_name(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::AgentSight => "demo",
        ProviderKind::ChatDash => "demo-chatdash",
    }
}

/// What a provider's first screen needs: it, the header's source, an empty query.
fn connected(provider: Box<dyn Provider>, profile: &str) -> Connected {
    let provider: Arc<dyn Provider> = Arc::from(provider);
    Connected {
        source: Source {
            profile: profile.to_owned(),
            provider: provider.info(),
        },
        query: provider.new_query(),
        provider,
    }
}

/// `P` under `--demo`: the bundled demo through either API, on the one local server.
pub struct DemoProfiles {
    base_url: String,
}

impl DemoProfiles {
    /// The demo profiles of the server at `base_url`.
    #[must_use]
    pub fn new(base_url: String) -> Self {
        Self { base_url }
    }
}

#[async_trait]
impl Profiles for DemoProfiles {
    fn entries(&self) -> Vec<ProfileEntry> {
        [ProviderKind::AgentSight, ProviderKind::ChatDash]
            .into_iter()
            .map(|kind| ProfileEntry {
                name: demo_profile_name(kind).to_owned(),
                provider: kind,
                detail: "bundled demo on this machine".to_owned(),
            })
            .collect()
    }

    async fn connect(&self, name: &str) -> Result<Connected, String> {
        let kind = [ProviderKind::AgentSight, ProviderKind::ChatDash]
            .into_iter()
            .find(|k| demo_profile_name(*k) == name)
            .ok_or_else(|| format!("no demo profile named {name}"))?;
        let provider = demo_provider(kind, &self.base_url).map_err(|f| f.message)?;
        Ok(connected(provider, name))
    }
}

/// `P` with a config file: each profile connected as `convo --profile NAME`
/// would be (flags that pick an endpoint or provider, and `--allow-insecure-http`,
/// applied to the first profile only; the page size, colours and mouse stay).
pub struct ConfigProfiles {
    file: ConfigFile,
    env: Env,
    flags: Flags,
}

impl ConfigProfiles {
    /// The profiles of `file`, resolved against `env` and what is left of `flags`.
    #[must_use]
    pub fn new(file: ConfigFile, env: Env, flags: &Flags) -> Self {
        let flags = Flags {
            profile: None,
            endpoint: None,
            provider: None,
            // Given for the endpoint this run started with, not for every profile.
            allow_insecure_http: false,
            ..flags.clone()
        };
        Self { file, env, flags }
    }

    fn settings(&self, name: &str) -> Result<Settings, config::ConfigError> {
        let flags = Flags {
            profile: Some(name.to_owned()),
            ..self.flags.clone()
        };
        config::resolve(Some(&self.file), &self.env, &flags)
    }
}

#[async_trait]
impl Profiles for ConfigProfiles {
    fn entries(&self) -> Vec<ProfileEntry> {
        self.file
            .profile_names()
            .into_iter()
            .map(|name| match self.settings(name) {
                Ok(settings) => ProfileEntry {
                    name: name.to_owned(),
                    provider: settings.provider.value,
                    detail: host_of(&settings.endpoint.value),
                },
                Err(e) => ProfileEntry {
                    name: name.to_owned(),
                    provider: ProviderKind::AgentSight,
                    detail: format!("cannot be used: {e}"),
                },
            })
            .collect()
    }

    async fn connect(&self, name: &str) -> Result<Connected, String> {
        let settings = self.settings(name).map_err(|e| e.to_string())?;
        let session = connect_in(&settings, &self.env)
            .await
            .map_err(|f| f.message)?;

        Ok(connected(session.provider, name))
    }
}

/// `host[:port]` of a URL, or the text as it is when it is not one.
fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => url.to_owned(),
        },
        Err(_) => url.to_owned(),
    }
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
