//! Configuration: precedence of every source, each malformed file with its message, keys (masked, from a command), `config path|show|init` through the real binary.
#![allow(clippy::expect_used)] // test helpers outside #[test] fns; a failure should stop the test

use crate::support::common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use convo::config::file::ThemeName;
use convo::config::{ConfigFile, Env, Flags, KeySpec, Settings, Source, fetch_key, resolve};
use convo::provider::ProviderKind;
use convo::server::DEMO_API_KEY;
use serde_json::{Value, json};

const KEY: &str = "ags_0123456789abcdef0123456789abcdef_abc123";
const KEY_MIDDLE: &str = "0123456789abcdef0123456789abcdef";

const TWO_PROFILES: &str = r#"
default_profile = "staging"
page_size = 20
theme = "light"
mouse = true

[profiles.staging]
provider = "agentsight"
endpoint = "https://staging.example.com"
app_url = "https://app.staging.example.com"
api_key_env = "STAGING_KEY"

[profiles.voice]
provider = "chatdash"
agent_id = "65f0c0ffee"
api_key_cmd = "pass show chatdash"

[[views]]
name = "angry mobile users"
query = { feedback_sentiment = "negative", device = "mobile", started_at_after = "7d" }

[keys]
quit = "x"
filter = ["f", "ctrl-f"]
"#;

fn path() -> PathBuf {
    PathBuf::from("/home/someone/.config/convo/config.toml")
}

fn parse(text: &str) -> ConfigFile {
    ConfigFile::parse(&path(), text, false).expect("the file parses")
}

fn parse_err(text: &str) -> String {
    ConfigFile::parse(&path(), text, false)
        .expect_err("the file is refused")
        .to_string()
}

fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_pairs(pairs.iter().copied())
}

fn settings(text: Option<&str>, env_pairs: &[(&str, &str)], flags: &Flags) -> Settings {
    let file = text.map(parse);
    resolve(file.as_ref(), &env(env_pairs), flags).expect("resolves")
}

fn in_profile(name: &str) -> Source {
    Source::File {
        path: path(),
        profile: Some(name.to_owned()),
    }
}

fn at_top() -> Source {
    Source::File {
        path: path(),
        profile: None,
    }
}

// ---- precedence -------------------------------------------------------------

#[test]
fn endpoint_flag_beats_env_beats_profile_beats_default() {
    let flags = Flags {
        endpoint: Some("https://flag.example.com".into()),
        ..Flags::default()
    };
    let env_endpoint = [("AGENTSIGHT_API_ENDPOINT", "https://env.example.com")];
    let s = settings(Some(TWO_PROFILES), &env_endpoint, &flags);
    assert_eq!(s.endpoint.value, "https://flag.example.com");
    assert_eq!(s.endpoint.source, Source::Flag("--endpoint"));

    let s = settings(Some(TWO_PROFILES), &env_endpoint, &Flags::default());
    assert_eq!(s.endpoint.value, "https://env.example.com");
    assert_eq!(
        s.endpoint.source,
        Source::Env("AGENTSIGHT_API_ENDPOINT".into())
    );

    let s = settings(Some(TWO_PROFILES), &[], &Flags::default());
    assert_eq!(s.endpoint.value, "https://staging.example.com");
    assert_eq!(s.endpoint.source, in_profile("staging"));

    let s = settings(None, &[], &Flags::default());
    assert_eq!(s.endpoint.value, "https://api.agentsight.io");
    assert_eq!(s.endpoint.source, Source::Default);
}

#[test]
fn app_url_env_beats_profile_and_agentsight_variables_skip_a_chatdash_profile() {
    let s = settings(
        Some(TWO_PROFILES),
        &[("AGENTSIGHT_APP_URL", "https://app.env.example.com")],
        &Flags::default(),
    );
    let app = s.app_url.expect("app_url set");
    assert_eq!(app.value, "https://app.env.example.com");
    assert_eq!(app.source, Source::Env("AGENTSIGHT_APP_URL".into()));

    let voice = Flags {
        profile: Some("voice".into()),
        ..Flags::default()
    };
    let s = settings(
        Some(TWO_PROFILES),
        &[("AGENTSIGHT_API_ENDPOINT", "https://env.example.com")],
        &voice,
    );
    assert_eq!(s.endpoint.value, "https://api.chat-dash.com/v1/public");
    assert_eq!(s.endpoint.source, Source::Default);
    assert_eq!(s.agent_id.map(|a| a.value), Some("65f0c0ffee".to_owned()));
}

#[test]
fn provider_flag_beats_profile_beats_default() {
    let voice = Flags {
        profile: Some("voice".into()),
        ..Flags::default()
    };
    let s = settings(Some(TWO_PROFILES), &[], &voice);
    assert_eq!(s.provider.value, ProviderKind::ChatDash);
    assert_eq!(s.provider.source, in_profile("voice"));

    let flagged = Flags {
        provider: Some(ProviderKind::AgentSight),
        ..voice
    };
    let s = settings(Some(TWO_PROFILES), &[], &flagged);
    assert_eq!(s.provider.value, ProviderKind::AgentSight);
    assert_eq!(s.provider.source, Source::Flag("--provider"));

    let s = settings(None, &[], &Flags::default());
    assert_eq!(s.provider.value, ProviderKind::AgentSight);
    assert_eq!(s.provider.source, Source::Default);
}

#[test]
fn page_size_flag_beats_file_beats_default() {
    let flags = Flags {
        page_size: Some(7),
        ..Flags::default()
    };
    let s = settings(Some(TWO_PROFILES), &[], &flags);
    assert_eq!(
        (s.page_size.value, s.page_size.source),
        (7, Source::Flag("--page-size"))
    );
    let s = settings(Some(TWO_PROFILES), &[], &Flags::default());
    assert_eq!((s.page_size.value, s.page_size.source), (20, at_top()));
    let s = settings(None, &[], &Flags::default());
    assert_eq!(
        (s.page_size.value, s.page_size.source),
        (50, Source::Default)
    );
}

#[test]
fn profile_flag_beats_env_beats_default_profile_beats_none() {
    let flags = Flags {
        profile: Some("voice".into()),
        ..Flags::default()
    };
    let s = settings(Some(TWO_PROFILES), &[("CONVO_PROFILE", "staging")], &flags);
    let p = s.profile.expect("a profile");
    assert_eq!(
        (p.value.as_str(), p.source),
        ("voice", Source::Flag("--profile"))
    );

    let text = TWO_PROFILES.replace(
        "default_profile = \"staging\"",
        "default_profile = \"voice\"",
    );
    let s = settings(
        Some(&text),
        &[("CONVO_PROFILE", "staging")],
        &Flags::default(),
    );
    let p = s.profile.expect("a profile");
    assert_eq!(
        (p.value.as_str(), p.source),
        ("staging", Source::Env("CONVO_PROFILE".into()))
    );

    let s = settings(Some(&text), &[], &Flags::default());
    let p = s.profile.expect("a profile");
    assert_eq!((p.value.as_str(), p.source), ("voice", at_top()));

    let text = TWO_PROFILES.replace("default_profile = \"staging\"", "");
    let s = settings(Some(&text), &[], &Flags::default());
    assert_eq!(s.profile, None);
    assert_eq!(s.endpoint.source, Source::Default);
}

#[test]
fn theme_no_color_flag_beats_no_color_env_beats_file_beats_default() {
    let flags = Flags {
        no_color: true,
        ..Flags::default()
    };
    let s = settings(Some(TWO_PROFILES), &[("NO_COLOR", "1")], &flags);
    assert_eq!(
        (s.theme.value, s.theme.source.clone()),
        (ThemeName::Mono, Source::Flag("--no-color"))
    );
    assert!(s.mono());
    let s = settings(Some(TWO_PROFILES), &[("NO_COLOR", "1")], &Flags::default());
    assert_eq!(
        (s.theme.value, s.theme.source),
        (ThemeName::Mono, Source::Env("NO_COLOR".into()))
    );
    // An empty NO_COLOR does not count (no-color.org).
    let s = settings(Some(TWO_PROFILES), &[("NO_COLOR", "")], &Flags::default());
    assert_eq!(
        (s.theme.value, s.theme.source),
        (ThemeName::Light, at_top())
    );
    let s = settings(None, &[], &Flags::default());
    assert_eq!(
        (s.theme.value, s.theme.source),
        (ThemeName::Dark, Source::Default)
    );
}

#[test]
fn mouse_flag_beats_file_beats_default() {
    let flags = Flags {
        mouse: true,
        ..Flags::default()
    };
    let off = TWO_PROFILES.replace("mouse = true", "mouse = false");
    let s = settings(Some(&off), &[], &flags);
    assert_eq!(
        (s.mouse.value, s.mouse.source),
        (true, Source::Flag("--mouse"))
    );
    let s = settings(Some(TWO_PROFILES), &[], &Flags::default());
    assert_eq!((s.mouse.value, s.mouse.source), (true, at_top()));
    let s = settings(None, &[], &Flags::default());
    assert_eq!((s.mouse.value, s.mouse.source), (false, Source::Default));
}

#[test]
fn key_variable_beats_the_profile_and_without_a_profile_the_variables_apply_as_before() {
    let s = settings(
        Some(TWO_PROFILES),
        &[("AGENTSIGHT_API_KEY", KEY)],
        &Flags::default(),
    );
    let key = s.key.expect("a key");
    assert_eq!(key.value, KeySpec::Env("AGENTSIGHT_API_KEY".into()));
    assert_eq!(key.source, Source::Env("AGENTSIGHT_API_KEY".into()));

    let s = settings(Some(TWO_PROFILES), &[], &Flags::default());
    let key = s.key.expect("a key");
    assert_eq!(key.value, KeySpec::Env("STAGING_KEY".into()));
    assert_eq!(key.source, in_profile("staging"));

    let voice = Flags {
        profile: Some("voice".into()),
        ..Flags::default()
    };
    let s = settings(Some(TWO_PROFILES), &[("AGENTSIGHT_API_KEY", KEY)], &voice);
    assert_eq!(
        s.key.map(|k| k.value),
        Some(KeySpec::Cmd("pass show chatdash".into()))
    );
    let s = settings(
        Some(TWO_PROFILES),
        &[("CHATDASH_API_KEY", "cd-key")],
        &voice,
    );
    assert_eq!(
        s.key.map(|k| k.source),
        Some(Source::Env("CHATDASH_API_KEY".into()))
    );

    let s = settings(None, &[("AGENTSIGHT_API_KEY", KEY)], &Flags::default());
    assert_eq!(
        s.key.map(|k| k.value),
        Some(KeySpec::Env("AGENTSIGHT_API_KEY".into()))
    );
    let s = settings(None, &[], &Flags::default());
    assert_eq!(s.key, None);
}

#[test]
fn the_demo_consults_no_profile_and_no_key() {
    let flags = Flags {
        demo: true,
        profile: Some("nowhere".into()),
        ..Flags::default()
    };
    let s = settings(Some(TWO_PROFILES), &[("AGENTSIGHT_API_KEY", KEY)], &flags);
    assert_eq!(s.profile, None);
    assert_eq!(s.key, None);
}

#[test]
fn views_become_queries_and_keys_rebind_the_keymap() {
    let s = settings(Some(TWO_PROFILES), &[], &Flags::default());
    let view = &s.views[0];
    assert_eq!(view.name, "angry mobile users");
    let query = view
        .query(convo::provider::Query::agentsight())
        .expect("valid view");
    assert_eq!(query.text("feedback_sentiment"), Some("negative"));
    assert_eq!(query.text("device"), Some("mobile"));
    assert_eq!(query.text("started_at_after"), Some("7d"));

    let mut keymap = convo::app::keymap::Keymap::default();
    convo::config::bindings::apply_all(&s.rebindings, &mut keymap);
    let x = convo::app::keymap::Key::parse("x").expect("a key");
    assert!(keymap.keys(convo::app::keymap::Action::Quit).contains(&x));
    let ctrl_f = convo::app::keymap::Key::parse("ctrl-f").expect("a key");
    assert!(
        keymap
            .keys(convo::app::keymap::Action::Filter)
            .contains(&ctrl_f)
    );
}

#[test]
fn the_starter_file_parses_and_changes_nothing() {
    let file = parse(convo::config::init::STARTER);
    let s = resolve(Some(&file), &env(&[]), &Flags::default()).expect("resolves");
    assert_eq!(s.profile, None);
    assert_eq!(s.page_size.source, Source::Default);
    assert_eq!(s.theme.source, Source::Default);
    // Uncommented, its examples are a valid config too.
    let uncommented: Vec<&str> = convo::config::init::STARTER
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| {
            l.starts_with('[')
                || l.split_once(" =").is_some_and(|(k, _)| {
                    !k.is_empty() && k.trim().chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
        })
        .collect();
    let uncommented = uncommented.join("\n");
    let file = parse(&uncommented);
    let s = resolve(Some(&file), &env(&[]), &Flags::default()).expect("resolves");
    assert_eq!(s.profile.map(|p| p.value), Some("prod".to_owned()));
    assert_eq!(s.views.len(), 1);
    // Every action a `[keys]` entry may name is listed for the reader.
    for (name, _) in convo::config::bindings::ACTION_NAMES {
        assert!(
            convo::config::init::STARTER.contains(&format!(" {name},"))
                || convo::config::init::STARTER.contains(&format!(" {name}\n")),
            "the starter file does not list the action {name}"
        );
    }
}

// ---- malformed files ----------------------------------------------------------

#[test]
fn a_syntax_error_names_the_file_and_line() {
    let e = parse_err("page_size = 20\ntheme = \"dark\n");
    assert!(
        e.starts_with("/home/someone/.config/convo/config.toml line 2: "),
        "{e}"
    );
}

#[test]
fn an_unknown_key_is_named_with_its_table_and_the_likely_key() {
    let e = parse_err("theme = \"dark\"\n\npagesize = 20\n");
    assert_eq!(
        e,
        "/home/someone/.config/convo/config.toml line 3: unknown key `pagesize` in the top level; did you mean `page_size`?"
    );
    let e = parse_err("[profiles.prod]\nprovider = \"agentsight\"\napi_key_evn = \"X\"\n");
    assert!(
        e.contains(
            "line 3: unknown key `api_key_evn` in [profiles.prod]; did you mean `api_key_env`?"
        ),
        "{e}"
    );
}

#[test]
fn bad_values_say_what_is_allowed() {
    let e = parse_err("\npage_size = 500\n");
    assert!(
        e.contains("line 2: page_size = 500 is out of range; use a number from 1 to 100"),
        "{e}"
    );
    let e = parse_err("theme = \"blue\"\n");
    assert!(e.contains("line 1: "), "{e}");
    assert!(
        e.contains("`blue`") && e.contains("dark") && e.contains("light") && e.contains("mono"),
        "{e}"
    );
    let e = parse_err("[profiles.p]\nprovider = \"openai\"\n");
    assert!(
        e.contains("line 2: ") && e.contains("agentsight") && e.contains("chatdash"),
        "{e}"
    );
    let e = parse_err("[profiles.p]\nendpoint = \"not a url\"\n");
    assert!(
        e.contains("line 2: endpoint = \"not a url\" in [profiles.p] is not a URL"),
        "{e}"
    );
    let e = parse_err("[keys]\nqiut = \"x\"\n");
    assert!(
        e.contains("line 2: unknown action `qiut` in [keys]; did you mean `quit`?"),
        "{e}"
    );
}

#[test]
fn two_key_sources_in_one_profile_are_refused() {
    let e = parse_err("[profiles.prod]\napi_key_env = \"A\"\napi_key_cmd = \"pass show x\"\n");
    assert!(
        e.contains("line 3: profile `prod` has api_key_env and api_key_cmd"),
        "{e}"
    );
    assert!(e.contains("keep exactly one key source"), "{e}");
}

#[test]
fn a_missing_profile_names_where_it_was_asked_for_and_what_there_is() {
    let file = parse(TWO_PROFILES);
    let flags = Flags {
        profile: Some("prod".into()),
        ..Flags::default()
    };
    let e = resolve(Some(&file), &env(&[]), &flags)
        .expect_err("no such profile")
        .to_string();
    assert_eq!(
        e,
        "profile `prod` (from --profile) is not in /home/someone/.config/convo/config.toml; profiles there: staging, voice"
    );
    let e = resolve(
        Some(&file),
        &env(&[("CONVO_PROFILE", "prod")]),
        &Flags::default(),
    )
    .expect_err("no such profile")
    .to_string();
    assert!(e.contains("(from CONVO_PROFILE)"), "{e}");
    let text = TWO_PROFILES.replace(
        "default_profile = \"staging\"",
        "default_profile = \"prod\"",
    );
    let file = parse(&text);
    let e = resolve(Some(&file), &env(&[]), &Flags::default())
        .expect_err("no such profile")
        .to_string();
    assert!(e.contains("config.toml line 2: default_profile `prod` is not a profile here; profiles there: staging, voice"), "{e}");
    let e = resolve(None, &env(&[("CONVO_PROFILE", "prod")]), &Flags::default())
        .expect_err("no file")
        .to_string();
    assert!(e.contains("`convo config init`"), "{e}");
}

#[test]
fn a_view_with_a_bad_filter_value_is_refused_with_its_line() {
    let text = "[[views]]\nname = \"broken\"\nquery = { feedback_sentiment = \"furious\" }\n";
    let file = parse(text);
    let e = resolve(Some(&file), &env(&[]), &Flags::default())
        .expect_err("bad view")
        .to_string();
    assert!(
        e.contains("config.toml line 3: view `broken`: feedback_sentiment"),
        "{e}"
    );
    assert!(e.contains("furious"), "{e}");
    let text = "[[views]]\nname = \"typo\"\nquery = { sentimant = \"negative\" }\n";
    let file = parse(text);
    let e = resolve(Some(&file), &env(&[]), &Flags::default())
        .expect_err("unknown filter")
        .to_string();
    assert!(
        e.contains("line 3: view `typo`: filter: \"sentimant\" is not a filter here"),
        "{e}"
    );
    // A view for ChatDash is checked against ChatDash's filters, whatever profile is in force.
    let text = "[[views]]\nname = \"web chats\"\nprovider = \"chatdash\"\nquery = { channel = \"web\", record = true }\n";
    let s = settings(Some(text), &[], &Flags::default());
    assert_eq!(s.views_for(ProviderKind::ChatDash).count(), 1);
    assert_eq!(s.views_for(ProviderKind::AgentSight).count(), 0);
}

// ---- keys ---------------------------------------------------------------------

fn cmd_spec(cmd: &str) -> convo::config::Sourced<KeySpec> {
    convo::config::Sourced {
        value: KeySpec::Cmd(cmd.to_owned()),
        source: in_profile("prod"),
    }
}

#[tokio::test]
async fn api_key_cmd_runs_once_and_its_stdout_trimmed_is_the_key() {
    let key = fetch_key(
        &cmd_spec(&format!("printf '  {KEY}\\n'")),
        &env(&[]),
        Duration::from_secs(10),
    )
    .await
    .expect("the command prints the key");
    assert_eq!(key, KEY);
}

#[tokio::test]
async fn api_key_cmd_failures_show_the_command_and_stderr_never_stdout() {
    let e = fetch_key(
        // The key is printed, but the command's text does not hold it whole.
        &cmd_spec(
            "printf 'ags_%s%s_abc123\\n' 0123456789abcdef 0123456789abcdef; echo 'gpg: decryption failed' >&2; exit 2",
        ),
        &env(&[]),
        Duration::from_secs(10),
    )
    .await
    .expect_err("non-zero exit")
    .to_string();
    assert!(e.contains("exited with status 2"), "{e}");
    assert!(e.contains("gpg: decryption failed"), "{e}");
    assert!(e.contains("profile prod in"), "{e}");
    assert!(!e.contains(KEY_MIDDLE), "stdout must never be shown: {e}");

    let e = fetch_key(&cmd_spec("true"), &env(&[]), Duration::from_secs(10))
        .await
        .expect_err("empty output")
        .to_string();
    assert!(
        e.contains("api_key_cmd `true`") && e.contains("printed nothing"),
        "{e}"
    );

    let e = fetch_key(
        &cmd_spec("exec sleep 30"),
        &env(&[]),
        Duration::from_millis(300),
    )
    .await
    .expect_err("timeout")
    .to_string();
    assert!(e.contains("did not finish within"), "{e}");

    let unset = convo::config::Sourced {
        value: KeySpec::Env("CONVO_TEST_UNSET_KEY".into()),
        source: in_profile("prod"),
    };
    let e = fetch_key(&unset, &env(&[]), Duration::from_secs(1))
        .await
        .expect_err("unset variable")
        .to_string();
    assert!(
        e.contains("CONVO_TEST_UNSET_KEY") && e.contains("not set"),
        "{e}"
    );
}

// ---- the binary -----------------------------------------------------------------

/// Runs `convo ARGS` with a clean environment for config purposes (no real user config).
async fn convo(config: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"));
    cmd.arg("--config")
        .arg(config)
        .args(args)
        .env_remove("AGENTSIGHT_API_KEY")
        .env_remove("AGENTSIGHT_API_ENDPOINT")
        .env_remove("AGENTSIGHT_APP_URL")
        .env_remove("CHATDASH_API_KEY")
        .env_remove("CONVO_PROFILE")
        .env_remove("CONVO_CONFIG")
        .env_remove("NO_COLOR")
        .env("TZ", "UTC");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().await.expect("run convo")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn write_config(dir: &Path, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("write config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn config_show_masks_the_key_in_text_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!("default_profile = \"prod\"\n[profiles.prod]\napi_key = \"{KEY}\"\n");
    let path = write_config(dir.path(), &text, 0o600);
    let out = convo(&path, &["config", "show"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(shown.contains("ags_…abc123"), "{shown}");
    assert!(!shown.contains(KEY_MIDDLE) && !stderr(&out).contains(KEY_MIDDLE));
    assert!(shown.contains("profile prod in"), "{shown}");
    assert!(
        !stderr(&out).contains("readable by others"),
        "a 0600 file gets no warning"
    );

    let out = convo(&path, &["config", "show", "--format", "json"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(doc["api_key"]["value"], json!("ags_…abc123"));
    assert_eq!(doc["profile"]["value"], json!("prod"));
    assert_eq!(doc["page_size"], json!({"value": 50, "source": "default"}));
    assert!(!stdout(&out).contains(KEY_MIDDLE));

    // From a command and from the environment, masked the same way.
    // (The command's own text is shown, so it must not hold the key whole.)
    let text = "default_profile = \"prod\"\n[profiles.prod]\n\
                api_key_cmd = \"printf 'ags_%s%s_abc123' 0123456789abcdef 0123456789abcdef\"\n";
    let path = write_config(dir.path(), text, 0o600);
    let out = convo(&path, &["config", "show"], &[]).await;
    assert!(stdout(&out).contains("ags_…abc123"), "{}", stdout(&out));
    assert!(!stdout(&out).contains(KEY_MIDDLE));
    // A command that carries the key inline is shown with the key masked.
    let text =
        format!("default_profile = \"prod\"\n[profiles.prod]\napi_key_cmd = \"echo {KEY}\"\n");
    let path = write_config(dir.path(), &text, 0o600);
    let out = convo(&path, &["config", "show"], &[]).await;
    assert!(
        stdout(&out).contains("`echo ags_…abc123`"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains(KEY_MIDDLE));
    let out = convo(&path, &["config", "show"], &[("AGENTSIGHT_API_KEY", KEY)]).await;
    assert!(
        stdout(&out).contains("[env AGENTSIGHT_API_KEY]"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains(KEY_MIDDLE));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_literal_key_in_a_file_others_can_read_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!("[profiles.prod]\napi_key = \"{KEY}\"\n");
    let path = write_config(dir.path(), &text, 0o644);
    let out = convo(&path, &["config", "show"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("holds a literal api_key and is readable by others: chmod 600"),
        "{err}"
    );
    assert!(!err.contains(KEY_MIDDLE));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_config_is_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_config(dir.path(), "theme = \"dark\"\npagesize = 20\n", 0o600);
    let out = convo(&path, &["list"], &[]).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{} line 2: unknown key `pagesize`",
            path.display()
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `page_size`?"), "{err}");

    let path = write_config(dir.path(), "[profiles.staging]\n", 0o600);
    let out = convo(&path, &["--profile", "prod", "config", "show"], &[]).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("profiles there: staging"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_api_key_cmd_stops_the_command_with_its_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "default_profile = \"prod\"\n[profiles.prod]\napi_key_cmd = \"echo 'pass: vault is locked' >&2; exit 1\"\n";
    let path = write_config(dir.path(), text, 0o600);
    let out = convo(&path, &["list"], &[]).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("api_key_cmd `echo 'pass: vault is locked' >&2; exit 1`"),
        "{err}"
    );
    assert!(
        err.contains("exited with status 1; its stderr: pass: vault is locked"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_connects_the_headless_commands_with_its_endpoint_key_and_page_size() {
    let server = common::start_json(
        &(1..=30)
            .map(|i| json!({"id": i, "conversation_id": format!("conv-{i}"), "started_at": "2026-11-01T10:00:00Z"}))
            .collect::<Vec<_>>(),
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "default_profile = \"local\"\npage_size = 7\n[profiles.local]\nendpoint = \"{}\"\napi_key_cmd = \"echo {DEMO_API_KEY}\"\n",
        server.base_url()
    );
    let path = write_config(dir.path(), &text, 0o600);
    let out = convo(&path, &["list", "--format", "json"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(doc["count"], json!(30));
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(7));
    // The flag still beats the file.
    let out = convo(
        &path,
        &["--page-size", "3", "list", "--format", "json"],
        &[],
    )
    .await;
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn config_init_writes_a_private_starter_once_then_refuses() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested").join("convo").join("config.toml");
    let out = convo(&path, &["config", "path"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), path.display().to_string());
    assert!(
        stderr(&out).contains("does not exist yet"),
        "{}",
        stderr(&out)
    );

    let out = convo(&path, &["config", "init"], &[]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written = std::fs::read_to_string(&path).expect("written");
    assert_eq!(written, convo::config::init::STARTER);
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    std::fs::write(&path, "page_size = 9\n").expect("edit");
    let out = convo(&path, &["config", "init"], &[]).await;
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&path).expect("kept"),
        "page_size = 9\n"
    );

    let out = convo(&path, &["config", "path"], &[]).await;
    assert!(
        stderr(&out).contains("exists (from flag --config)"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn convo_config_names_the_file_when_no_flag_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("elsewhere.toml");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(["config", "path"])
        .env("CONVO_CONFIG", &path)
        .output()
        .await
        .expect("run convo");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), path.display().to_string());
    assert!(
        stderr(&out).contains("env CONVO_CONFIG"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_needs_no_config_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("absent.toml");
    let out = convo(
        &path,
        &["--demo", "list", "--format", "json", "--page-size", "5"],
        &[],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chatdash_profile_connects_with_its_agent_and_key_variable() {
    let server = common::start_json(&[]).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "default_profile = \"voice\"\n[profiles.voice]\nprovider = \"chatdash\"\nendpoint = \"{}\"\n\
         agent_id = \"demo-agent\"\napi_key_env = \"MY_CHATDASH_KEY\"\n",
        server.base_url()
    );
    let path = write_config(dir.path(), &text, 0o600);
    let out = convo(
        &path,
        &["list", "--format", "json", "--page-size", "4"],
        &[("MY_CHATDASH_KEY", "chatdash-demo-key")],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(4));
    assert_eq!(doc["results"][0]["agentId"], json!("demo-agent"));
    // Without the variable: a config error naming it (exit 2), before any request.
    let out = convo(&path, &["list"], &[]).await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("MY_CHATDASH_KEY"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_key_from_a_profile_names_where_it_came_from_and_never_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "default_profile = \"p\"\n[profiles.p]\nendpoint = \"http://127.0.0.1:9\"\napi_key_cmd = \"echo not-a-key-0123456789abcdef\"\n";
    let path = write_config(dir.path(), text, 0o600);
    let out = convo(&path, &["list"], &[]).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the API key from api_key_cmd `echo not-a-key-0123456789abcdef` is malformed"),
        "{err}"
    );
    assert!(!err.contains("AGENTSIGHT_API_KEY"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_trace_logging_no_key_reaches_the_log_or_the_output() {
    let server = common::start(
        common::conversations(&[
            json!({"id": 1, "conversation_id": "conv-1", "started_at": "2026-11-01T10:00:00Z"}),
        ]),
        convo::server::ServerConfig {
            api_key: KEY.to_owned(),
            ..convo::server::ServerConfig::default()
        },
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "default_profile = \"local\"\n[profiles.local]\nendpoint = \"{}\"\napi_key_cmd = \"echo {KEY}\"\n",
        server.base_url()
    );
    let path = write_config(dir.path(), &text, 0o600);
    let mut logged = String::new();
    for (i, args) in [
        vec!["list"],
        vec!["show", "conv-1"],
        vec!["show", "conv-404"],
        vec!["config", "show"],
    ]
    .into_iter()
    .enumerate()
    {
        // Each run starts its log afresh.
        let log = dir.path().join(format!("convo-{i}.log"));
        let log_arg = log.display().to_string();
        let mut all = vec!["--log-file", log_arg.as_str()];
        all.extend(args.iter().copied());
        let out = convo(&path, &all, &[("CONVO_LOG", "trace")]).await;
        for text in [stdout(&out), stderr(&out)] {
            assert!(!text.contains(KEY_MIDDLE), "{args:?}: {text}");
        }
        logged.push_str(&std::fs::read_to_string(&log).unwrap_or_default());
    }
    assert!(logged.len() > 200, "trace logging wrote little: {logged}");
    assert!(
        logged.contains("conv-404"),
        "the failure is logged: {logged}"
    );
    // Not the key, nor its secret middle (the command that prints it is masked too).
    assert!(!logged.contains(KEY_MIDDLE), "{logged}");
}
