//! The config file as written: its serde shape (unknown keys refused), read with a line number for every error.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::bindings::{self, KeyList, Rebinding};
use super::columns::{self, Column, RawColumns};
use super::error::ConfigError;
use super::suggest::did_you_mean;

/// The smallest and largest `page_size`.
pub const PAGE_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

/// `theme = …`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    /// Colours for a dark background (the default).
    Dark,
    /// Colours for a light background.
    Light,
    /// No colour at all (what `NO_COLOR` forces).
    Mono,
}

impl From<ProviderName> for crate::provider::ProviderKind {
    fn from(name: ProviderName) -> Self {
        match name {
            ProviderName::Agentsight => Self::AgentSight,
            ProviderName::Chatdash => Self::ChatDash,
        }
    }
}

impl ThemeName {
    /// The name as the file spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
            Self::Mono => "mono",
        }
    }
}

/// `provider = …` in a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    /// The `AgentSight` Conversation API.
    Agentsight,
    /// The `ChatDash` public API.
    Chatdash,
}

/// The whole file, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// The profile used when neither `--profile` nor `CONVO_PROFILE` names one.
    pub default_profile: Option<Spanned<String>>,
    /// Rows per page.
    pub page_size: Option<Spanned<u32>>,
    /// Colours.
    pub theme: Option<Spanned<ThemeName>>,
    /// Wheel and clicks in the browser.
    pub mouse: Option<bool>,
    /// Where `s` saves conversations and attachments.
    pub save_dir: Option<Spanned<String>>,
    /// Named connections.
    #[serde(default)]
    pub profiles: BTreeMap<String, RawProfile>,
    /// `action = "key"` (or a list of keys).
    #[serde(default)]
    pub keys: BTreeMap<String, Spanned<KeyList>>,
    /// Saved filters.
    #[serde(default)]
    pub views: Vec<RawView>,
    /// The list's columns.
    pub columns: Option<RawColumns>,
}

/// `[profiles.NAME]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    /// Which API.
    pub provider: Option<Spanned<ProviderName>>,
    /// The API base URL.
    pub endpoint: Option<Spanned<String>>,
    /// The web dashboard's base URL (`AgentSight`).
    pub app_url: Option<Spanned<String>>,
    /// The agent whose conversations are listed (`ChatDash`).
    pub agent_id: Option<Spanned<String>>,
    /// The environment variable holding the key.
    pub api_key_env: Option<Spanned<String>>,
    /// A command printing the key.
    pub api_key_cmd: Option<Spanned<String>>,
    /// The key itself (the file should then be private).
    pub api_key: Option<Spanned<String>>,
    /// Whether the key may go over plain http to another machine (`--allow-insecure-http`).
    pub allow_insecure_http: Option<Spanned<bool>>,
}

/// `[[views]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawView {
    /// What the filter panel calls it.
    pub name: Spanned<String>,
    /// Whose filters these are (default `agentsight`); shown only for that provider's profiles.
    pub provider: Option<Spanned<ProviderName>>,
    /// `filter = value` pairs, validated against the provider's filters.
    pub query: BTreeMap<String, Spanned<toml::Value>>,
}

/// A config file read and checked as far as it can be without knowing the
/// active provider: its path, its contents, and whether others can read it.
#[derive(Debug)]
pub struct ConfigFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// What it says.
    pub raw: RawConfig,
    /// `[keys]`, checked against the keymap's actions.
    pub rebindings: Vec<Rebinding>,
    /// `[columns] list`, checked; `None` when the file chooses none.
    pub columns: Option<Vec<Column>>,
    /// Whether group or others can read it (unix mode & 0o077).
    pub readable_by_others: bool,
    newlines: Vec<usize>,
}

impl ConfigFile {
    /// Reads `text` as the file at `path` (`readable_by_others` from its mode).
    ///
    /// # Errors
    /// Malformed TOML, an unknown key, a bad value, two key sources in one
    /// profile, a `[keys]` entry naming an unknown action or key, or a
    /// `[columns]` list naming an unknown column — each with its line.
    pub fn parse(path: &Path, text: &str, readable_by_others: bool) -> Result<Self, ConfigError> {
        let newlines = text
            .char_indices()
            .filter(|(_, c)| *c == '\n')
            .map(|(i, _)| i)
            .collect();
        let mut file = Self {
            path: path.to_path_buf(),
            raw: RawConfig::default(),
            rebindings: Vec::new(),
            columns: None,
            readable_by_others,
            newlines,
        };
        file.raw = toml::from_str(text).map_err(|e| file.toml_error(text, &e))?;
        file.check()?;
        Ok(file)
    }

    /// The 1-based line of a byte offset.
    #[must_use]
    pub fn line(&self, span: &Range<usize>) -> usize {
        self.newlines.partition_point(|&nl| nl < span.start) + 1
    }

    /// An error at a spanned value.
    #[must_use]
    pub fn error_at(&self, span: &Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(&self.path, Some(self.line(span)), message)
    }

    /// Profile names, sorted.
    #[must_use]
    pub fn profile_names(&self) -> Vec<&str> {
        self.raw.profiles.keys().map(String::as_str).collect()
    }

    /// Whether any profile holds a literal `api_key`.
    #[must_use]
    pub fn has_literal_key(&self) -> bool {
        self.raw.profiles.values().any(|p| p.api_key.is_some())
    }

    /// The first `api_key_cmd` of any profile: a command convo runs as the user.
    fn first_key_cmd(&self) -> Option<&Spanned<String>> {
        self.raw
            .profiles
            .values()
            .find_map(|p| p.api_key_cmd.as_ref())
    }

    /// A file that sets `api_key_cmd` must be the user's alone to change:
    /// whoever can write it chooses a command that runs as the user.
    fn refuse_key_cmd_others_control(&self) -> Result<(), ConfigError> {
        let Some(cmd) = self.first_key_cmd() else {
            return Ok(());
        };
        let Some(why) = controlled_by_others(&self.path) else {
            return Ok(());
        };
        let shown = self.path.display();
        Err(self.error_at(
            &cmd.span(),
            format!(
                "{why}, and it sets api_key_cmd, a command convo would run as you; \
                 convo refuses it until the file is yours alone: chmod 600 {shown} (or chmod go-w {shown}), \
                 and chown it to yourself if it is not yours"
            ),
        ))
    }

    fn check(&mut self) -> Result<(), ConfigError> {
        if let Some(size) = &self.raw.page_size
            && !PAGE_SIZE_RANGE.contains(size.get_ref())
        {
            return Err(self.error_at(
                &size.span(),
                format!(
                    "page_size = {} is out of range; use a number from {} to {}",
                    size.get_ref(),
                    PAGE_SIZE_RANGE.start(),
                    PAGE_SIZE_RANGE.end()
                ),
            ));
        }
        for (name, profile) in &self.raw.profiles {
            let sources: Vec<(&str, &Spanned<String>)> = [
                ("api_key_env", &profile.api_key_env),
                ("api_key_cmd", &profile.api_key_cmd),
                ("api_key", &profile.api_key),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect();
            if let [_, (second, value), ..] = sources.as_slice() {
                let names: Vec<&str> = sources.iter().map(|(k, _)| *k).collect();
                return Err(self.error_at(
                    &value.span(),
                    format!(
                        "profile `{name}` has {} — keep exactly one key source (remove `{second}` or the other)",
                        names.join(" and ")
                    ),
                ));
            }
            for (key, value) in [
                ("endpoint", &profile.endpoint),
                ("app_url", &profile.app_url),
            ] {
                if let Some(v) = value
                    && url::Url::parse(v.get_ref().trim()).is_err()
                {
                    return Err(self.error_at(
                        &v.span(),
                        format!(
                            "{key} = {:?} in [profiles.{name}] is not a URL; write it like \"https://api.example.com\"",
                            v.get_ref()
                        ),
                    ));
                }
            }
            for (key, value) in [
                ("api_key_env", &profile.api_key_env),
                ("api_key_cmd", &profile.api_key_cmd),
                ("api_key", &profile.api_key),
                ("agent_id", &profile.agent_id),
            ] {
                if let Some(v) = value
                    && v.get_ref().trim().is_empty()
                {
                    return Err(self.error_at(
                        &v.span(),
                        format!(
                            "{key} in [profiles.{name}] is empty; give it a value or remove it"
                        ),
                    ));
                }
            }
        }
        let mut rebindings = Vec::new();
        for (action, keys) in &self.raw.keys {
            let line = self.line(&keys.span());
            let rebinding = bindings::rebinding(action, keys.get_ref())
                .map_err(|message| ConfigError::at(&self.path, Some(line), message))?;
            rebindings.push(rebinding);
        }
        self.rebindings = rebindings;
        if let Some(list) = self.raw.columns.as_ref().and_then(|c| c.list.as_ref()) {
            let chosen = columns::check_list(list.get_ref())
                .map_err(|message| self.error_at(&list.span(), message))?;
            self.columns = Some(chosen);
        }
        for view in &self.raw.views {
            if view.name.get_ref().trim().is_empty() {
                return Err(self.error_at(&view.name.span(), "a view needs a name"));
            }
        }
        Ok(())
    }

    /// A TOML or serde error, with its line and, for an unknown key, the likely one.
    fn toml_error(&self, text: &str, e: &toml::de::Error) -> ConfigError {
        let line = e.span().map(|span| self.line(&span));
        let message = e.message().trim().to_owned();
        let message =
            unknown_key_message(&message, line.and_then(|l| table_of(text, l))).unwrap_or(message);
        ConfigError::at(&self.path, line, message)
    }
}

/// "unknown field `pagesize`, expected one of `a`, `b`" → "unknown key `pagesize` in …; did you mean `page_size`?".
fn unknown_key_message(message: &str, table: Option<String>) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let place = table.map_or_else(|| "the top level".to_owned(), |t| format!("[{t}]"));
    let hint = match did_you_mean(field, &expected) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the keys allowed there are: {}", expected.join(", ")),
    };
    Some(format!("unknown key `{field}` in {place}; {hint}"))
}

/// The `[table]` or `[[table]]` header a line sits under, if any.
fn table_of(text: &str, line: usize) -> Option<String> {
    text.lines()
        .take(line)
        .filter_map(|l| {
            let l = l.trim();
            let inner = l.strip_prefix('[')?;
            let end = inner.find(']')?;
            Some(inner[..end].trim_start_matches('[').trim().to_owned())
        })
        .last()
}

/// Reads the file at `path`; a missing file is `None` (defaults and environment apply).
///
/// # Errors
/// A file that exists but cannot be read, or does not parse (see [`ConfigFile::parse`]).
pub fn load(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ConfigError::at(
                path,
                None,
                format!("cannot read it: {e}; check its permissions, or point --config elsewhere"),
            ));
        }
    };
    let file = ConfigFile::parse(path, &text, readable_by_others(path))?;
    file.refuse_key_cmd_others_control()?;
    Ok(Some(file))
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> bool {
    false
}

/// Why someone other than this user (or root) can change the file, if anyone can.
#[cfg(unix)]
fn controlled_by_others(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(meta) = std::fs::metadata(path) else {
        // Read a moment ago; gone now: it will not be read again either.
        return None;
    };
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Some(format!(
            "the file belongs to another user (uid {}, you are {me})",
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o777;
    let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
        (true, true) => "its group and everyone",
        (true, false) => "its group",
        (false, true) => "everyone",
        (false, false) => return None,
    };
    Some(format!("{who} can write the file (mode {mode:04o})"))
}

#[cfg(not(unix))]
fn controlled_by_others(_: &Path) -> Option<String> {
    None
}
