//! The flags of `convo serve`, and how they become a data set and a [`ServerConfig`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::{ServerConfig, data};
use crate::provider::model::Conversation;

/// The key the local server accepts by default; it has the documented shape,
/// so the official client takes it too.
pub const DEMO_API_KEY: &str = "ags_00000000000000000000000000000000_000000";

/// A second public key the server takes beside the demo key, with the `read`
/// role: every write it sends answers 403. Taken only while the server
/// answers the demo key itself.
pub const DEMO_READ_API_KEY: &str = "ags_11111111111111111111111111111111_111111";

/// What a key may do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Reads only; every write answers 403.
    Read,
    /// Reads and writes.
    #[default]
    Write,
}

impl Role {
    /// The role as `/api/me/` spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

/// `convo serve`: a local AgentSight-compatible server over demo, file or generated data.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    /// Serve the conversations in this file (a JSON array or JSON lines, each
    /// shaped like `GET /api/conversations/{pk}/?full=true`) instead of the demo data.
    #[arg(long, value_name = "FILE", conflicts_with = "generate")]
    pub data: Option<PathBuf>,
    /// Serve N generated conversations instead of the demo data.
    #[arg(long, value_name = "N")]
    pub generate: Option<usize>,
    /// Seed for --generate; the same seed gives the same conversations.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The API key clients must send (`Authorization: Api-Key <key>`); by default
    /// the demo key, `ags_` + 32 zeros + `_000000`.
    #[arg(long, value_name = "KEY", default_value = DEMO_API_KEY, hide_default_value = true)]
    pub api_key: String,
    /// The key's role; `read` makes every write answer 403.
    #[arg(long, value_enum, default_value_t = Role::Write)]
    pub role: Role,
    /// Answer every request 401 as an agent whose subscription has lapsed.
    #[arg(long)]
    pub subscription_inactive: bool,
    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Probability (0 to 1) that an API request answers 500, 502 or 503.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    pub fail_rate: f64,
    /// Probability (0 to 1) that an API request answers 429 with Retry-After.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    pub throttle_rate: f64,
    /// Seed for the fault draws, so a faulty run can be replayed.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub fault_seed: u64,
    /// The raw key `ChatDash` clients must send (`Authorization: <key>`); by
    /// default the `--api-key` when one is given, else the public demo key.
    #[arg(long, value_name = "KEY")]
    pub chatdash_key: Option<String>,
    /// The agent id the `ChatDash` routes serve (`/agents/{id}/…`).
    #[arg(long, value_name = "ID", default_value = super::chatdash::DEMO_AGENT)]
    pub chatdash_agent: String,
    /// How many seconds a signed `file_url` stays valid (an hour by default,
    /// as on the hosted service; shorter to try a link expiring).
    #[arg(long, value_name = "SECONDS", default_value_t = 3_600, value_parser = clap::value_parser!(u64).range(1..))]
    pub file_url_ttl: u64,
    /// Add a conversation of bad files (`conv-bad-files`): larger than announced,
    /// a lying type, empty, a 20,000 × 20,000 PNG, binary text, a link on
    /// another host, a redirect loop, names that climb out of a directory.
    #[arg(long)]
    pub bad_files: bool,
}

impl ServeArgs {
    /// The server configuration these flags ask for.
    ///
    /// # Errors
    /// A rate outside 0..=1 (possible when the struct was built without clap).
    pub fn config(&self) -> Result<ServerConfig, String> {
        for (flag, rate) in [
            ("--fail-rate", self.fail_rate),
            ("--throttle-rate", self.throttle_rate),
        ] {
            check_rate(rate).map_err(|e| format!("{flag}: {e}"))?;
        }
        let chatdash_key = self.chatdash_key();
        if chatdash_key.trim().is_empty() || self.chatdash_agent.trim().is_empty() {
            return Err("--chatdash-key and --chatdash-agent cannot be empty".to_owned());
        }
        if self.api_key.trim().is_empty() {
            return Err("--api-key: the key cannot be empty".to_owned());
        }
        Ok(ServerConfig {
            api_key: self.api_key.clone(),
            role: self.role,
            subscription_inactive: self.subscription_inactive,
            latency: Duration::from_millis(self.latency),
            fail_rate: self.fail_rate,
            throttle_rate: self.throttle_rate,
            fault_seed: self.fault_seed,
            limits: super::listen::ConnectionLimits::default(),
            file_url_ttl: Duration::from_secs(self.file_url_ttl.max(1)),
            bad_files: self.bad_files,
            chatdash: super::chatdash::ChatDashSettings {
                api_key: chatdash_key,
                agent_id: self.chatdash_agent.clone(),
                ..super::chatdash::ChatDashSettings::default()
            },
        })
    }

    /// The `ChatDash` routes' key: the one given for them, else the private
    /// `--api-key` (so a server given a secret does not also answer the
    /// public demo key on its other routes), else the demo key.
    fn chatdash_key(&self) -> String {
        match &self.chatdash_key {
            Some(key) => key.clone(),
            None if self.api_key != DEMO_API_KEY => self.api_key.clone(),
            None => super::chatdash::DEMO_CHATDASH_KEY.to_owned(),
        }
    }

    /// The conversations to serve: the file, the generated set, or the bundled demo.
    ///
    /// # Errors
    /// An unreadable or malformed file, or broken bundled data, as one line.
    pub fn load_conversations(&self) -> Result<Vec<Conversation>, String> {
        match (&self.data, self.generate) {
            (Some(path), _) => data::load_file(path),
            (None, Some(count)) => data::generated(count, self.seed),
            (None, None) => data::bundled_demo(),
        }
    }
}

/// A loud warning when the server is reachable from other machines with a
/// key everyone knows (the demo keys are printed in the README).
#[must_use]
pub fn exposure_warning(addr: SocketAddr, config: &ServerConfig) -> Option<String> {
    if addr.ip().is_loopback() {
        return None;
    }
    let mut public = Vec::new();
    if config.api_key == DEMO_API_KEY {
        public.push("the AgentSight routes (--api-key)");
    }
    if config.chatdash.api_key == super::chatdash::DEMO_CHATDASH_KEY {
        public.push("the ChatDash routes (--chatdash-key)");
    }
    if public.is_empty() {
        return None;
    }
    Some(format!(
        "WARNING: convo serve listens on {addr}, reachable from other machines, and {} answer the public demo key: anyone who can reach this address can read and change the data. Give a secret key, or listen on 127.0.0.1.",
        public.join(" and ")
    ))
}

/// Reads a probability flag.
fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number; give a probability like 0.1"))?;
    check_rate(rate)?;
    Ok(rate)
}

fn check_rate(rate: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&rate) {
        Ok(())
    } else {
        Err(format!(
            "{rate} is not a probability; give a number from 0 to 1 (0.1 = one request in ten)"
        ))
    }
}

/// A key as it may be shown: `ags_…abc123` (the last six characters only).
#[must_use]
pub fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 12 {
        return "…".to_owned();
    }
    let tail: String = chars[chars.len() - 6..].iter().collect();
    let head = if key.starts_with("ags_") { "ags_" } else { "" };
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let cli = Cli::try_parse_from(["serve"]).unwrap();
        let config = cli.serve.config().unwrap();
        assert_eq!(config, ServerConfig::default());
        assert_eq!(cli.serve.addr.to_string(), "127.0.0.1:8787");
        assert_eq!(cli.serve.seed, 1);
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused_with_the_reason() {
        for bad in ["1.5", "-0.1", "often"] {
            let err = Cli::try_parse_from(["serve", &format!("--fail-rate={bad}")])
                .err()
                .unwrap()
                .to_string();
            assert!(err.contains("probability"), "{bad}: {err}");
        }
        let cli =
            Cli::try_parse_from(["serve", "--throttle-rate", "0.25", "--role", "read"]).unwrap();
        let config = cli.serve.config().unwrap();
        assert!((config.throttle_rate - 0.25).abs() < f64::EPSILON);
        assert_eq!(config.role, Role::Read);
        assert!(Cli::try_parse_from(["serve", "--data", "x.json", "--generate", "3"]).is_err());
    }

    #[test]
    fn keys_are_masked_to_their_last_six_characters() {
        assert_eq!(mask_key(DEMO_API_KEY), "ags_…000000");
        assert_eq!(
            mask_key("ags_0123456789abcdef0123456789abcdef_abc123"),
            "ags_…abc123"
        );
        assert_eq!(mask_key("short"), "…");
    }

    #[test]
    fn the_chatdash_routes_take_the_private_key_when_no_key_of_their_own_is_given() {
        let secret = "ags_0123456789abcdef0123456789abcdef_abc123";
        let cli = Cli::try_parse_from(["serve", "--api-key", secret]).unwrap();
        assert_eq!(cli.serve.config().unwrap().chatdash.api_key, secret);
        let cli = Cli::try_parse_from(["serve", "--api-key", secret, "--chatdash-key", "cd-own"])
            .unwrap();
        assert_eq!(cli.serve.config().unwrap().chatdash.api_key, "cd-own");
        let cli = Cli::try_parse_from(["serve"]).unwrap();
        assert_eq!(
            cli.serve.config().unwrap().chatdash.api_key,
            crate::server::chatdash::DEMO_CHATDASH_KEY
        );
    }

    #[test]
    fn only_a_reachable_address_with_a_public_key_is_warned_about() {
        let everywhere: SocketAddr = "0.0.0.0:8787".parse().unwrap();
        let loopback: SocketAddr = "127.0.0.1:8787".parse().unwrap();
        let demo = ServerConfig::default();
        let warning = exposure_warning(everywhere, &demo).unwrap();
        assert!(
            warning.contains("WARNING")
                && warning.contains("AgentSight")
                && warning.contains("ChatDash"),
            "{warning}"
        );
        assert_eq!(exposure_warning(loopback, &demo), None);
        let cli = Cli::try_parse_from([
            "serve",
            "--api-key",
            "ags_0123456789abcdef0123456789abcdef_abc123",
        ])
        .unwrap();
        let private = cli.serve.config().unwrap();
        assert_eq!(exposure_warning(everywhere, &private), None);
    }
}
