//! Precedence as a pure function: flags, then environment, then the profile, then defaults — every value with where it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::provider::ProviderKind;
use crate::provider::query::{Query, QueryError};

use super::bindings::Rebinding;
use super::cleartext;
use super::columns::Column;
use super::error::ConfigError;
use super::file::{ConfigFile, ProviderName, RawProfile, ThemeName};
use super::sourced::{Source, Sourced};

/// Rows per page when nothing says otherwise.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// `AgentSight`'s public API.
pub const AGENTSIGHT_ENDPOINT: &str = crate::provider::agentsight::DEFAULT_ENDPOINT;
/// `ChatDash`'s public API (chatdash-api.md).
pub const CHATDASH_ENDPOINT: &str = crate::provider::chatdash::DEFAULT_ENDPOINT;
/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "CONVO_CONFIG";
/// The environment variable naming the profile.
pub const PROFILE_ENV: &str = "CONVO_PROFILE";
/// `AgentSight`'s endpoint variable (the official SDK's name).
pub const ENDPOINT_ENV: &str = "AGENTSIGHT_API_ENDPOINT";
/// `AgentSight`'s dashboard variable (the official SDK's name).
pub const APP_URL_ENV: &str = "AGENTSIGHT_APP_URL";
/// `AgentSight`'s key variable.
pub const AGENTSIGHT_KEY_ENV: &str = "AGENTSIGHT_API_KEY";
/// `ChatDash`'s key variable.
pub const CHATDASH_KEY_ENV: &str = "CHATDASH_API_KEY";
/// Colour off, any provider (<https://no-color.org>).
pub const NO_COLOR_ENV: &str = "NO_COLOR";

/// The environment as resolution sees it: a snapshot, so tests pass their own.
#[derive(Clone, Debug, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// This process's environment (non-Unicode values are left out).
    #[must_use]
    pub fn from_process() -> Self {
        Self::from_pairs(std::env::vars())
    }

    /// An environment of these variables only.
    #[must_use]
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value; blank counts as unset.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

/// What the command line said (only what resolution needs).
// Each bool is an independent command-line switch, not a state.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// `--config PATH`.
    pub config: Option<PathBuf>,
    /// `--profile NAME`.
    pub profile: Option<String>,
    /// `--endpoint URL`.
    pub endpoint: Option<String>,
    /// `--provider`.
    pub provider: Option<ProviderKind>,
    /// `--page-size N`.
    pub page_size: Option<u32>,
    /// `--no-color`.
    pub no_color: bool,
    /// `--mouse`.
    pub mouse: bool,
    /// `--demo`: the bundled server; profiles are not consulted.
    pub demo: bool,
    /// `--allow-insecure-http`: the key may go over plain http to another machine.
    pub allow_insecure_http: bool,
}

/// Where the key comes from; a literal never shows in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySpec {
    /// This environment variable holds it.
    Env(String),
    /// This command prints it (`sh -c`).
    Cmd(String),
    /// Written in the file.
    Literal(String),
}

impl KeySpec {
    /// How `config show` describes where the key comes from (never the key).
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Env(var) => format!("${var}"),
            Self::Cmd(cmd) => format!("api_key_cmd `{}`", redact_keys(cmd)),
            Self::Literal(_) => "api_key in the file".to_owned(),
        }
    }
}

/// `text` with every key-shaped word (`ags_` + 32 hex…) masked, for a command
/// that carries its key inline (`echo ags_…`): the command is shown, the key never.
#[must_use]
pub fn redact_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let masked = crate::provider::http::mask_key(word);
        if word.len() >= 24 && masked != "…" {
            out.push_str(&masked);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

impl fmt::Debug for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(var) => f.debug_tuple("Env").field(var).finish(),
            Self::Cmd(cmd) => f.debug_tuple("Cmd").field(&redact_keys(cmd)).finish(),
            Self::Literal(key) => f
                .debug_tuple("Literal")
                .field(&crate::provider::http::mask_key(key))
                .finish(),
        }
    }
}

/// A saved filter set for one provider, checked at startup against that
/// provider's filters and kept as written (a fresh query is built from it each time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedView {
    /// What the filter panel calls it.
    pub name: String,
    /// Whose filters these are; the panel offers it only with that provider.
    pub provider: ProviderKind,
    /// `filter`, value as text, line.
    pub pairs: Vec<(String, String, usize)>,
    /// The file it is in.
    pub path: PathBuf,
}

impl SavedView {
    /// The view as a query over `base`'s provider (its filters replace `base`'s).
    ///
    /// # Errors
    /// A filter that provider does not have, or a value it refuses.
    pub fn query(&self, mut base: Query) -> Result<Query, QueryError> {
        base.clear_all();
        for (key, value, _) in &self.pairs {
            base.set(key, value)?;
        }
        Ok(base)
    }

    /// Like [`SavedView::query`], as a config error naming the file and line.
    ///
    /// # Errors
    /// As [`SavedView::query`].
    pub fn check(&self) -> Result<Query, ConfigError> {
        let provider = self.provider;
        self.query(base_query(provider)).map_err(|e| {
            // An unknown filter is reported under the key `filter`, with the name as its value.
            let line = self
                .pairs
                .iter()
                .find(|(k, _, _)| *k == e.key || *k == e.value)
                .or(self.pairs.first())
                .map(|(_, _, l)| *l);
            ConfigError::at(
                &self.path,
                line,
                format!(
                    "view `{}`: {e} (checked against the {provider} filters; a view for the other API says so with provider = \"…\")",
                    self.name
                ),
            )
        })
    }
}

/// Everything in force, each with its source.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The config file that was read, if one was.
    pub config_path: Option<PathBuf>,
    /// The profile in use, if any.
    pub profile: Option<Sourced<String>>,
    /// Which API.
    pub provider: Sourced<ProviderKind>,
    /// Its base URL.
    pub endpoint: Sourced<String>,
    /// The dashboard base URL, when set.
    pub app_url: Option<Sourced<String>>,
    /// The `ChatDash` agent, when set.
    pub agent_id: Option<Sourced<String>>,
    /// Where the key comes from, when anywhere.
    pub key: Option<Sourced<KeySpec>>,
    /// Rows per page.
    pub page_size: Sourced<u32>,
    /// Colours (`mono` when `NO_COLOR` or `--no-color`).
    pub theme: Sourced<ThemeName>,
    /// Wheel and clicks in the browser.
    pub mouse: Sourced<bool>,
    /// Where `s` saves conversations and attachments.
    pub save_dir: Sourced<PathBuf>,
    /// Whether the key may go over plain http to another machine.
    pub allow_insecure_http: Sourced<bool>,
    /// `[keys]`.
    pub rebindings: Vec<Rebinding>,
    /// `[[views]]`.
    pub views: Vec<SavedView>,
    /// `[columns] list`, when the file chooses the list's columns (else each provider's own).
    pub columns: Option<Sourced<Vec<Column>>>,
    /// Things to tell the user on stderr (never fatal).
    pub warnings: Vec<String>,
    /// Whether this is `--demo`.
    pub demo: bool,
}

impl Settings {
    /// The saved views for a provider, in file order.
    pub fn views_for(&self, provider: ProviderKind) -> impl Iterator<Item = &SavedView> {
        self.views.iter().filter(move |v| v.provider == provider)
    }

    /// Whether the endpoint is plain http to another machine (the key would
    /// travel in clear); never for `--demo`, whose server is on loopback.
    #[must_use]
    pub fn endpoint_in_clear(&self) -> bool {
        !self.demo && cleartext::in_clear(&self.endpoint.value)
    }

    /// Whether the browser draws without colour.
    #[must_use]
    pub fn mono(&self) -> bool {
        self.theme.value == ThemeName::Mono
    }
}

/// An empty query over a provider's filters (what saved views are checked against).
#[must_use]
pub fn base_query(provider: ProviderKind) -> Query {
    match provider {
        ProviderKind::AgentSight => Query::agentsight(),
        ProviderKind::ChatDash => crate::provider::chatdash::new_query(),
    }
}

/// The config file in use: `--config`, else `CONVO_CONFIG`, else the platform config directory.
/// `None` when there is no home directory to put one in.
#[must_use]
pub fn locate(env: &Env, flags: &Flags) -> Option<Sourced<PathBuf>> {
    if let Some(path) = &flags.config {
        return Some(Sourced::new(path.clone(), Source::Flag("--config")));
    }
    if let Some(path) = env.get(CONFIG_ENV) {
        return Some(Sourced::new(
            PathBuf::from(path),
            Source::Env(CONFIG_ENV.to_owned()),
        ));
    }
    directories::ProjectDirs::from("", "", "convo")
        .map(|dirs| Sourced::new(dirs.config_dir().join("config.toml"), Source::Default))
}

/// Resolves every setting, highest first: flags, environment, the profile,
/// defaults — and refuses an endpoint that would carry the key in clear
/// unless the user allowed it.
///
/// # Errors
/// A profile named (by `--profile`, `CONVO_PROFILE` or `default_profile`) that
/// the file does not have, a saved view the active provider refuses, or plain
/// http to another machine without `--allow-insecure-http` or `allow_insecure_http = true`.
pub fn resolve(
    file: Option<&ConfigFile>,
    env: &Env,
    flags: &Flags,
) -> Result<Settings, ConfigError> {
    let settings = resolve_as_written(file, env, flags)?;
    if settings.endpoint_in_clear() && !settings.allow_insecure_http.value {
        return Err(cleartext::refusal(&settings.endpoint));
    }
    Ok(settings)
}

/// Like [`resolve`], keeping an endpoint in clear that is not allowed (what
/// `config show` shows, flagged, rather than refuses to show).
///
/// # Errors
/// As [`resolve`], but for the endpoint in clear.
pub fn resolve_as_written(
    file: Option<&ConfigFile>,
    env: &Env,
    flags: &Flags,
) -> Result<Settings, ConfigError> {
    let profile = if flags.demo {
        None
    } else {
        select_profile(file, env, flags)?
    };
    let in_profile = |p: &Option<(String, &RawProfile)>| {
        let path = file.map_or_else(PathBuf::new, |f| f.path.clone());
        let name = p.as_ref().map(|(n, _)| n.clone());
        Source::File {
            path,
            profile: name,
        }
    };
    let at_top = Source::File {
        path: file.map_or_else(PathBuf::new, |f| f.path.clone()),
        profile: None,
    };
    let prof = profile.as_ref().map(|(_, p)| *p);
    let from_profile = in_profile(&profile);

    let provider = if let Some(kind) = flags.provider {
        Sourced::new(kind, Source::Flag("--provider"))
    } else if let Some(name) = prof.and_then(|p| p.provider.as_ref()) {
        let kind = match name.get_ref() {
            ProviderName::Agentsight => ProviderKind::AgentSight,
            ProviderName::Chatdash => ProviderKind::ChatDash,
        };
        Sourced::new(kind, from_profile.clone())
    } else {
        Sourced::new(ProviderKind::AgentSight, Source::Default)
    };
    let agentsight = provider.value == ProviderKind::AgentSight;

    let text_of =
        |field: Option<&toml::Spanned<String>>| field.map(|v| v.get_ref().trim().to_owned());
    let endpoint = if let Some(url) = &flags.endpoint {
        Sourced::new(url.clone(), Source::Flag("--endpoint"))
    } else if let Some(url) = env.get(ENDPOINT_ENV).filter(|_| agentsight) {
        Sourced::new(url.to_owned(), Source::Env(ENDPOINT_ENV.to_owned()))
    } else if let Some(url) = text_of(prof.and_then(|p| p.endpoint.as_ref())) {
        Sourced::new(url, from_profile.clone())
    } else {
        let default = if agentsight {
            AGENTSIGHT_ENDPOINT
        } else {
            CHATDASH_ENDPOINT
        };
        Sourced::new(default.to_owned(), Source::Default)
    };

    let app_url = if let Some(url) = env.get(APP_URL_ENV).filter(|_| agentsight) {
        Some(Sourced::new(
            url.to_owned(),
            Source::Env(APP_URL_ENV.to_owned()),
        ))
    } else {
        text_of(prof.and_then(|p| p.app_url.as_ref()))
            .map(|url| Sourced::new(url, from_profile.clone()))
    };
    let agent_id = text_of(prof.and_then(|p| p.agent_id.as_ref()))
        .map(|id| Sourced::new(id, from_profile.clone()));

    let key_env = if agentsight {
        AGENTSIGHT_KEY_ENV
    } else {
        CHATDASH_KEY_ENV
    };
    let key = if flags.demo {
        None
    } else if env.get(key_env).is_some() {
        Some(Sourced::new(
            KeySpec::Env(key_env.to_owned()),
            Source::Env(key_env.to_owned()),
        ))
    } else {
        prof.and_then(|p| {
            let spec = if let Some(var) = &p.api_key_env {
                KeySpec::Env(var.get_ref().trim().to_owned())
            } else if let Some(cmd) = &p.api_key_cmd {
                KeySpec::Cmd(cmd.get_ref().clone())
            } else {
                KeySpec::Literal(p.api_key.as_ref()?.get_ref().trim().to_owned())
            };
            Some(Sourced::new(spec, from_profile.clone()))
        })
    };

    let raw = file.map(|f| &f.raw);
    let page_size = if let Some(n) = flags.page_size {
        Sourced::new(n, Source::Flag("--page-size"))
    } else if let Some(n) = raw.and_then(|r| r.page_size.as_ref()) {
        Sourced::new(*n.get_ref(), at_top.clone())
    } else {
        Sourced::new(DEFAULT_PAGE_SIZE, Source::Default)
    };
    let theme = if flags.no_color {
        Sourced::new(ThemeName::Mono, Source::Flag("--no-color"))
    } else if env.get(NO_COLOR_ENV).is_some() {
        Sourced::new(ThemeName::Mono, Source::Env(NO_COLOR_ENV.to_owned()))
    } else if let Some(t) = raw.and_then(|r| r.theme.as_ref()) {
        Sourced::new(*t.get_ref(), at_top.clone())
    } else {
        Sourced::new(ThemeName::Dark, Source::Default)
    };
    let mouse = if flags.mouse {
        Sourced::new(true, Source::Flag("--mouse"))
    } else if let Some(m) = raw.and_then(|r| r.mouse) {
        Sourced::new(m, at_top.clone())
    } else {
        Sourced::new(false, Source::Default)
    };

    let save_dir = match raw.and_then(|r| r.save_dir.as_ref()) {
        Some(dir) => Sourced::new(super::save_dir::expand(dir.get_ref()), at_top.clone()),
        None => Sourced::new(super::save_dir::default_save_dir(), Source::Default),
    };

    let allow_insecure_http = if flags.allow_insecure_http {
        Sourced::new(true, Source::Flag(cleartext::FLAG))
    } else if let Some(allowed) = prof.and_then(|p| p.allow_insecure_http.as_ref()) {
        Sourced::new(*allowed.get_ref(), from_profile.clone())
    } else {
        Sourced::new(false, Source::Default)
    };

    let views = file.map(saved_views).transpose()?.unwrap_or_default();
    // Every view is checked against its own provider's filters, whichever is in force.
    for view in &views {
        view.check()?;
    }

    let mut warnings = Vec::new();
    if let Some(f) = file
        && f.has_literal_key()
        && f.readable_by_others
    {
        warnings.push(format!(
            "{} holds a literal api_key and is readable by others: chmod 600 {}",
            f.path.display(),
            f.path.display()
        ));
    }

    if !flags.demo && allow_insecure_http.value && cleartext::in_clear(&endpoint.value) {
        warnings.push(cleartext::warning(&endpoint, &allow_insecure_http));
    }

    Ok(Settings {
        config_path: file.map(|f| f.path.clone()),
        profile: profile
            .as_ref()
            .map(|(name, _)| Sourced::new(name.clone(), profile_source(file, env, flags))),
        provider,
        endpoint,
        app_url,
        agent_id,
        key,
        page_size,
        theme,
        mouse,
        save_dir,
        allow_insecure_http,
        rebindings: file.map(|f| f.rebindings.clone()).unwrap_or_default(),
        views,
        columns: file.and_then(|f| f.columns.clone().map(|c| Sourced::new(c, at_top.clone()))),
        warnings,
        demo: flags.demo,
    })
}

/// Who named the profile (only called when one was).
fn profile_source(file: Option<&ConfigFile>, env: &Env, flags: &Flags) -> Source {
    if flags.profile.is_some() {
        Source::Flag("--profile")
    } else if env.get(PROFILE_ENV).is_some() {
        Source::Env(PROFILE_ENV.to_owned())
    } else {
        Source::File {
            path: file.map_or_else(PathBuf::new, |f| f.path.clone()),
            profile: None,
        }
    }
}

/// The profile named by `--profile`, `CONVO_PROFILE` or `default_profile`, in that order.
fn select_profile<'f>(
    file: Option<&'f ConfigFile>,
    env: &Env,
    flags: &Flags,
) -> Result<Option<(String, &'f RawProfile)>, ConfigError> {
    let (name, from, line) = if let Some(name) = &flags.profile {
        (name.clone(), "--profile".to_owned(), None)
    } else if let Some(name) = env.get(PROFILE_ENV) {
        (name.to_owned(), PROFILE_ENV.to_owned(), None)
    } else if let Some(name) = file.and_then(|f| f.raw.default_profile.as_ref()) {
        let line = file.map(|f| f.line(&name.span()));
        (name.get_ref().clone(), "default_profile".to_owned(), line)
    } else {
        return Ok(None);
    };
    let Some(file) = file else {
        return Err(ConfigError::plain(format!(
            "profile `{name}` (from {from}) needs a config file, and there is none; \
             `convo config init` writes a starter one (or pass --config PATH)"
        )));
    };
    if let Some((key, profile)) = file.raw.profiles.get_key_value(&name) {
        return Ok(Some((key.clone(), profile)));
    }
    let names = file.profile_names();
    let there = if names.is_empty() {
        "it has no profiles; add a [profiles.NAME] table".to_owned()
    } else {
        format!("profiles there: {}", names.join(", "))
    };
    if line.is_some() {
        return Err(ConfigError::at(
            &file.path,
            line,
            format!(
                "default_profile `{name}` is not a profile here; {there} (fix the name or add [profiles.{name}])"
            ),
        ));
    }
    Err(ConfigError::plain(format!(
        "profile `{name}` (from {from}) is not in {}; {there}",
        file.path.display()
    )))
}

/// `[[views]]`, their values as text.
fn saved_views(file: &ConfigFile) -> Result<Vec<SavedView>, ConfigError> {
    file.raw
        .views
        .iter()
        .map(|view| {
            let pairs = view
                .query
                .iter()
                .map(|(key, value)| {
                    let line = file.line(&value.span());
                    let text = match value.get_ref() {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Boolean(b) => b.to_string(),
                        toml::Value::Integer(n) => n.to_string(),
                        toml::Value::Float(x) => x.to_string(),
                        toml::Value::Datetime(d) => d.to_string(),
                        toml::Value::Array(_) | toml::Value::Table(_) => {
                            return Err(file.error_at(
                                &value.span(),
                                format!(
                                    "view `{}`: {key} must be text, a number or true/false",
                                    view.name.get_ref()
                                ),
                            ));
                        }
                    };
                    Ok((key.clone(), text, line))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(SavedView {
                name: view.name.get_ref().clone(),
                provider: view
                    .provider
                    .as_ref()
                    .map_or(ProviderKind::AgentSight, |p| (*p.get_ref()).into()),
                pairs,
                path: file.path.clone(),
            })
        })
        .collect()
}
