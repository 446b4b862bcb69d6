//! `convo config path|show|init`: where the config is, what is in force and from where (keys masked), a starter file.

use std::io::Write as _;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::args::{ConfigAction, ConfigFormat, GlobalArgs};
use super::output::{pretty_json, print};
use crate::config::columns::Column;
use crate::config::init::{InitOutcome, write_starter};
use crate::config::{self, Env, KEY_CMD_TIMEOUT, Settings, Source, Sourced, cleartext};
use crate::failure::Failure;
use crate::provider::http::mask_key;

/// Runs one `convo config` action.
///
/// # Errors
/// No place for a config file, a config error (exit 2), an existing file for
/// `init` (exit 1), or output that cannot be written.
pub(super) async fn run(global: &GlobalArgs, action: ConfigAction) -> Result<(), Failure> {
    let env = Env::from_process();
    let flags = global.flags();
    let located = config::locate(&env, &flags).ok_or_else(|| {
        Failure::runtime("there is no home directory to keep a config in; pass --config PATH")
    })?;
    match action {
        ConfigAction::Path => {
            print(&format!("{}\n", located.value.display()))?;
            let note = if located.value.exists() {
                format!("exists (from {})", located.source)
            } else {
                format!(
                    "does not exist yet (from {}): defaults and environment apply; `convo config init` writes a starter file there",
                    located.source
                )
            };
            note_to_stderr(&note);
            Ok(())
        }
        ConfigAction::Init => match write_starter(&located.value).map_err(Failure::runtime)? {
            InitOutcome::Written => {
                note_to_stderr(&format!(
                    "wrote a commented starter config to {} (mode 0600); `convo config show` prints what is in force",
                    located.value.display()
                ));
                Ok(())
            }
            InitOutcome::AlreadyExists => Err(Failure::runtime(format!(
                "{} already exists and was left as it is; edit it, or move it away and run `convo config init` again",
                located.value.display()
            ))),
        },
        ConfigAction::Show { format } => {
            let file = config::load(&located.value)?;
            // An endpoint in clear is shown, flagged, rather than refused.
            let settings = config::resolve_as_written(file.as_ref(), &env, &flags)?;
            warn(&settings.warnings);
            let key = match &settings.key {
                Some(spec) => Some(
                    config::fetch_key(spec, &env, KEY_CMD_TIMEOUT)
                        .await
                        .map(|k| mask_key(&k))
                        .map_err(|e| e.to_string()),
                ),
                None => None,
            };
            let shown = Shown {
                located: &located,
                exists: file.is_some(),
                settings: &settings,
                key,
            };
            match format {
                ConfigFormat::Text => print(&shown.text()),
                ConfigFormat::Json => print(&pretty_json(&shown.json())?),
            }
        }
    }
}

/// Prints warnings on stderr, one `convo: warning:` line each.
pub(super) fn warn(warnings: &[String]) {
    for w in warnings {
        note_to_stderr(&format!("warning: {w}"));
    }
}

fn note_to_stderr(text: &str) {
    // Not eprintln!: it panics when stderr is gone.
    let _ = writeln!(std::io::stderr(), "convo: {text}");
}

/// What `config show` prints: the settings, and the key already fetched and masked.
struct Shown<'a> {
    located: &'a Sourced<PathBuf>,
    exists: bool,
    settings: &'a Settings,
    /// Masked key, or why it could not be had.
    key: Option<Result<String, String>>,
}

impl Shown<'_> {
    /// (name, value, source) rows, in the order the file documents them.
    fn rows(&self) -> Vec<(&'static str, String, String)> {
        let s = self.settings;
        let opt = |v: Option<&Sourced<String>>| {
            v.map_or_else(
                || ("(not set)".to_owned(), String::new()),
                |v| (v.value.clone(), v.source.to_string()),
            )
        };
        let file_state = if self.exists {
            self.located.value.display().to_string()
        } else {
            format!(
                "{} (does not exist: defaults and environment apply)",
                self.located.value.display()
            )
        };
        let mut rows = vec![("config", file_state, self.located.source.to_string())];
        let (profile, profile_source) = opt(s.profile.as_ref());
        rows.push(("profile", profile, profile_source));
        rows.push((
            "provider",
            provider_name(s.provider.value).to_owned(),
            s.provider.source.to_string(),
        ));
        let endpoint = if s.endpoint_in_clear() {
            format!(
                "{} ({})",
                s.endpoint.value,
                cleartext::flag(&s.allow_insecure_http)
            )
        } else {
            s.endpoint.value.clone()
        };
        rows.push(("endpoint", endpoint, s.endpoint.source.to_string()));
        let (app_url, app_source) = opt(s.app_url.as_ref());
        rows.push(("app_url", app_url, app_source));
        let (agent, agent_source) = opt(s.agent_id.as_ref());
        rows.push(("agent_id", agent, agent_source));
        let (key, key_source) = match (&s.key, &self.key) {
            (Some(spec), Some(Ok(masked))) => (
                format!("{masked} ({})", spec.value.describe()),
                spec.source.to_string(),
            ),
            (Some(spec), Some(Err(why))) => {
                (format!("(cannot be read: {why})"), spec.source.to_string())
            }
            _ if s.demo => ("(the demo server's own)".to_owned(), String::new()),
            _ => ("(not set)".to_owned(), String::new()),
        };
        rows.push(("api_key", key, key_source));
        rows.push((
            "page_size",
            s.page_size.value.to_string(),
            s.page_size.source.to_string(),
        ));
        rows.push((
            "theme",
            s.theme.value.as_str().to_owned(),
            s.theme.source.to_string(),
        ));
        rows.push((
            "mouse",
            s.mouse.value.to_string(),
            s.mouse.source.to_string(),
        ));
        rows.push((
            "save_dir",
            s.save_dir.value.display().to_string(),
            s.save_dir.source.to_string(),
        ));
        let (columns, columns_source) = self.columns();
        rows.push(("columns", columns.join(" "), columns_source.to_string()));
        let file_source = || {
            Source::File {
                path: self.located.value.clone(),
                profile: None,
            }
            .to_string()
        };
        for r in &s.rebindings {
            rows.push((
                "key",
                format!("{} = {}", r.name, r.keys.join(" ")),
                file_source(),
            ));
        }
        for v in &s.views {
            let query: Vec<String> = v.pairs.iter().map(|(k, v, _)| format!("{k}={v}")).collect();
            rows.push((
                "view",
                format!("{}: {}", v.name, query.join(" ")),
                file_source(),
            ));
        }
        rows
    }

    /// `name  value  [source]`, values padded to a common width (never cut: a
    /// long endpoint or command is shown whole).
    fn text(&self) -> String {
        use std::fmt::Write as _;
        let rows = self.rows();
        let width = rows
            .iter()
            .map(|(_, v, _)| crate::text::width(v))
            .max()
            .unwrap_or(0)
            .min(60);
        let mut out = String::new();
        for (name, value, source) in rows {
            let value = crate::text::sanitize(&value, crate::text::Lines::Join);
            if source.is_empty() {
                let _ = writeln!(out, "{name:<10} {value}");
            } else {
                let pad = " ".repeat(width.saturating_sub(crate::text::width(&value)));
                let _ = writeln!(out, "{name:<10} {value}{pad}  [{source}]");
            }
        }
        out
    }

    /// The list's columns by their config names, and who chose them (the
    /// provider's own order when the file chooses none).
    fn columns(&self) -> (Vec<&'static str>, Source) {
        let s = self.settings;
        match &s.columns {
            Some(chosen) => (
                chosen.value.iter().map(|c| c.name()).collect(),
                chosen.source.clone(),
            ),
            None => (
                Column::defaults(s.provider.value)
                    .iter()
                    .map(|c| c.name())
                    .collect(),
                Source::Default,
            ),
        }
    }

    fn json(&self) -> Value {
        let s = self.settings;
        let sourced =
            |v: Value, source: &Source| json!({ "value": v, "source": source.to_string() });
        let opt = |v: Option<&Sourced<String>>| {
            v.map_or(Value::Null, |v| sourced(json!(v.value), &v.source))
        };
        let key = match (&s.key, &self.key) {
            (Some(spec), Some(Ok(masked))) => json!({
                "value": masked, "from": spec.value.describe(), "source": spec.source.to_string(),
            }),
            (Some(spec), Some(Err(why))) => json!({
                "error": why, "from": spec.value.describe(), "source": spec.source.to_string(),
            }),
            _ => Value::Null,
        };
        let columns = self.columns();
        json!({
            "config": {
                "path": self.located.value.display().to_string(),
                "exists": self.exists,
                "source": self.located.source.to_string(),
            },
            "profile": opt(s.profile.as_ref()),
            "provider": sourced(json!(provider_name(s.provider.value)), &s.provider.source),
            "endpoint": {
                "value": s.endpoint.value,
                "source": s.endpoint.source.to_string(),
                "insecure": s.endpoint_in_clear(),
                "allowed": !s.endpoint_in_clear() || s.allow_insecure_http.value,
            },
            "allow_insecure_http": sourced(json!(s.allow_insecure_http.value), &s.allow_insecure_http.source),
            "app_url": opt(s.app_url.as_ref()),
            "agent_id": opt(s.agent_id.as_ref()),
            "api_key": key,
            "page_size": sourced(json!(s.page_size.value), &s.page_size.source),
            "theme": sourced(json!(s.theme.value.as_str()), &s.theme.source),
            "mouse": sourced(json!(s.mouse.value), &s.mouse.source),
            "save_dir": sourced(json!(s.save_dir.value.display().to_string()), &s.save_dir.source),
            "columns": sourced(json!(columns.0), &columns.1),
            "keys": s.rebindings.iter().map(|r| json!({ "action": r.name, "keys": r.keys })).collect::<Vec<_>>(),
            "views": s.views.iter().map(|v| json!({
                "name": v.name,
                "query": v.pairs.iter().map(|(k, v, _)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
            "warnings": s.warnings,
        })
    }
}

fn provider_name(kind: crate::provider::ProviderKind) -> &'static str {
    match kind {
        crate::provider::ProviderKind::AgentSight => "agentsight",
        crate::provider::ProviderKind::ChatDash => "chatdash",
    }
}
