//! The API key never shows: with the most verbose logging (`CONVO_LOG=trace`), neither the log file, nor stdout or stderr, nor the browser's screen, nor a panic report holds the key or any long piece of it — even when a server echoes it back. Only the masked form (`ags_…abc123`) may appear.
//!
//! Every run uses a fresh random key of the documented shape, so a match can
//! only be a leak.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::misbehave;
use crate::support::tmux;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher as _, Hasher as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::http::mask_key;
use convo::server::generate::generate;
use convo::server::{RunningServer, ServerConfig};
use misbehave::{Behaviour, Misbehaving, refused_addr};
use tmux::Pane;

/// The shortest piece of the key that counts as a leak. The masked form
/// shows `ags_` and the last six characters, and no ten-character piece.
const PIECE: usize = 10;

/// A fresh key of the documented shape: `ags_` + 32 hex + `_` + 6 hex.
fn random_key() -> String {
    let random = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::UNIX_EPOCH
                .elapsed()
                .unwrap()
                .as_nanos(),
        );
        hasher.finish()
    };
    format!(
        "ags_{:016x}{:016x}_{:06x}",
        random(),
        random(),
        random() & 0xff_ffff
    )
}

/// Where the key, or any `PIECE`-long piece of it, shows in `text` (any case).
fn leak(text: &str, key: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    (0..=key.len() - PIECE).find_map(|start| {
        let at = lower.find(&key[start..start + PIECE])?;
        let from = lower[..at]
            .char_indices()
            .rev()
            .nth(60)
            .map_or(0, |(i, _)| i);
        let line: String = text[from..].chars().take(140).collect();
        Some(format!("{:?} in …{line}…", &key[start..start + PIECE]))
    })
}

/// Fails naming `what` if `text` holds the key.
fn assert_no_leak(what: &str, text: &str, key: &str) {
    if let Some(found) = leak(text, key) {
        panic!("the key leaked into {what}: {found}");
    }
}

#[test]
fn the_detector_finds_any_long_piece_of_the_key_but_not_its_masked_form() {
    let key = random_key();
    assert!(leak(&format!("x {} y", &key[8..20]), &key).is_some());
    assert!(leak(&key.to_uppercase(), &key).is_some());
    assert!(leak(&format!("key {}", mask_key(&key)), &key).is_none());
    assert_ne!(random_key(), key, "every run has its own key");
}

async fn server_with_key(key: &str) -> RunningServer {
    let config = ServerConfig {
        api_key: key.to_owned(),
        ..ServerConfig::default()
    };
    convo::server::spawn(
        generate(60, 9),
        config,
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap()
}

// ---------------------------------------------------------------------------
// Headless
// ---------------------------------------------------------------------------

/// One headless run: what it is, the command, and the environment it gets.
struct Run {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// The masked key must show on stderr (a server echoed it, or a command printed it).
    masked_on_stderr: bool,
}

impl Run {
    fn new(name: &'static str, endpoint: &str, key: &str, args: &[&str]) -> Self {
        Self {
            name,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: vec![
                ("AGENTSIGHT_API_ENDPOINT", endpoint.to_owned()),
                ("AGENTSIGHT_API_KEY", key.to_owned()),
            ],
            masked_on_stderr: false,
        }
    }

    fn masked(mut self) -> Self {
        self.masked_on_stderr = true;
        self
    }
}

/// Runs convo with trace logging into `log`, no user config unless the run sets one.
async fn run_logged(run: &Run, log: &Path) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"));
    command
        .args(&run.args)
        .arg("--log-file")
        .arg(log)
        .env("CONVO_LOG", "trace")
        .env("CONVO_TIMEOUT", "1")
        .env("RUST_BACKTRACE", "1")
        .env("CONVO_CONFIG", "/nonexistent/convo-secrets/config.toml")
        .env_remove("CONVO_PROFILE")
        .env_remove("AGENTSIGHT_API_ENDPOINT")
        .env_remove("AGENTSIGHT_API_KEY")
        .stdin(Stdio::null());
    for (name, value) in &run.env {
        command.env(name, value);
    }
    command.output().await.unwrap()
}

/// A config file in `dir` holding `body`, readable by the user only.
fn config_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_commands_never_show_or_log_the_key() {
    let key = random_key();
    let dir = tempfile::tempdir().unwrap();
    let healthy = server_with_key(&key).await;
    let other = server_with_key(&random_key()).await;
    let echo_401 = Misbehaving::start(Behaviour::EchoAuthorization(401)).await;
    let echo_502 = Misbehaving::start(Behaviour::EchoAuthorization(502)).await;
    let echo_200 = Misbehaving::start(Behaviour::EchoAuthorization(200)).await;
    let refused = format!("http://{}", refused_addr());
    let url = healthy.base_url();

    let literal = config_file(
        dir.path(),
        "literal.toml",
        &format!(
            "default_profile = \"p\"\n[profiles.p]\nendpoint = \"{url}\"\napi_key = \"{key}\"\n"
        ),
    );
    let cmd_ok = config_file(
        dir.path(),
        "cmd-ok.toml",
        &format!(
            "default_profile = \"p\"\n[profiles.p]\nendpoint = \"{refused}\"\napi_key_cmd = \"printf %s {key}\"\n"
        ),
    );
    let cmd_fails = config_file(
        dir.path(),
        "cmd-fails.toml",
        &format!(
            "default_profile = \"p\"\n[profiles.p]\nendpoint = \"{url}\"\napi_key_cmd = \"echo + printf %s {key} >&2; exit 1\"\n"
        ),
    );
    let with_config = |run: Run, path: &Path| Run {
        env: vec![("CONVO_CONFIG", path.display().to_string())],
        ..run
    };
    // `ags_` + 40 random characters: not the documented shape, refused before any request.
    let malformed = format!("ags_{}{}", &random_key()[4..36], &random_key()[4..12]);

    let export_to = dir.path().join("out.jsonl").display().to_string();
    #[rustfmt::skip]
    let runs = vec![
        Run::new("list, healthy", &url, &key, &["list", "--all"]),
        Run::new("list as JSON, healthy", &url, &key, &["list", "--format", "json"]),
        Run::new("show, healthy", &url, &key, &["show", "1", "--format", "json"]),
        Run::new("attachments, healthy", &url, &key, &["attachments", "1"]),
        Run::new("export, healthy", &url, &key, &["export", "--output", &export_to]),
        Run::new("list, a key the server does not know", &other.base_url(), &key, &["list"]),
        Run::new("list, 401 echoing the key", &echo_401.url(), &key, &["list"]).masked(),
        Run::new("show, 502 echoing the key", &echo_502.url(), &key, &["show", "1"]).masked(),
        Run::new("list, a 200 debug page echoing the key", &echo_200.url(), &key, &["list"]).masked(),
        Run::new("list, a dead server", &refused, &key, &["list"]),
        Run::new("list, a malformed key", &url, &malformed, &["list"]),
        Run::new("config show, key in the environment", &url, &key, &["config", "show"]),
        with_config(Run::new("config show, key in the file", &url, &key, &["config", "show"]), &literal),
        with_config(Run::new("list, key in the file", &url, &key, &["list"]), &literal),
        with_config(Run::new("list, key from a command, dead server", &url, &key, &["list"]), &cmd_ok),
        with_config(Run::new("config show, key from a command", &url, &key, &["config", "show"]), &cmd_ok),
        with_config(Run::new("list, a key command that fails printing the key", &url, &key, &["list"]), &cmd_fails).masked(),
    ];
    let outputs = futures::future::join_all(runs.iter().enumerate().map(|(i, run)| {
        let log = dir.path().join(format!("run-{i}.log"));
        async move { (run, run_logged(run, &log).await, log) }
    }))
    .await;

    let masked = mask_key(&key);
    let mut trace_lines = 0;
    for (run, out, log) in &outputs {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let log_text = std::fs::read_to_string(log).unwrap_or_default();
        trace_lines += log_text.lines().filter(|l| l.contains(" TRACE ")).count();
        assert_no_leak(&format!("stdout of {}", run.name), &stdout, &key);
        assert_no_leak(&format!("stderr of {}", run.name), &stderr, &key);
        assert_no_leak(&format!("the log of {}", run.name), &log_text, &key);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", run.name);
        if run.masked_on_stderr {
            assert!(
                stderr.contains(&masked),
                "{}: the echoed key should show masked as {masked}: {stderr}",
                run.name
            );
        }
        println!(
            "{} → exit {:?}: {}",
            run.name,
            out.status.code(),
            stderr.trim_end()
        );
    }
    assert!(
        trace_lines > 0,
        "CONVO_LOG=trace should have logged at trace level"
    );
    assert!(
        echo_401.requests() > 0 && echo_200.requests() > 0,
        "the echoing servers were asked"
    );
    healthy.shutdown().await.unwrap();
    other.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------
// The browser, in a real terminal
// ---------------------------------------------------------------------------

/// The browser with the key in the environment and trace logging, on `endpoint`.
fn browser(key: &str, endpoint: &str) -> Pane {
    Pane::start(&format!(
        "export AGENTSIGHT_API_KEY='{key}' CONVO_LOG=trace CONVO_TIMEOUT=2\n{} --endpoint {endpoint} --log-file \"$E2E/convo.log\"\necho $? > status",
        tmux::convo("")
    ))
}

/// Checks the pane's screen, its scrollback and convo's log for the key.
fn assert_pane_clean(what: &str, pane: &Pane, key: &str) {
    assert_no_leak(&format!("the screen ({what})"), &pane.history(), key);
    assert_no_leak(
        &format!("the log ({what})"),
        &pane.file("convo.log").unwrap_or_default(),
        key,
    );
}

#[test]
fn the_browser_never_shows_or_logs_the_key() {
    if !tmux::available("the_browser_never_shows_or_logs_the_key") {
        return;
    }
    let key = random_key();
    let masked = mask_key(&key);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let healthy = runtime.block_on(server_with_key(&key));
    let echo = runtime.block_on(Misbehaving::start(Behaviour::EchoAuthorization(401)));

    // Healthy: the list, a conversation, the help overlay.
    let pane = browser(&key, &healthy.base_url());
    // The rows, not only the hints: Enter before the page lands opens nothing.
    pane.wait_while_running("conversations · page 1/");
    assert_pane_clean("the list", &pane, &key);
    pane.keys(&["Enter"]);
    // The tab bar, not only the hints: a key before the conversation lands finds nothing open.
    pane.wait_while_running("1 Messages");
    pane.keys(&["?"]);
    pane.wait_while_running(" keys · type to filter");
    assert_pane_clean("a conversation and the help", &pane, &key);
    pane.keys(&["Escape"]);
    pane.wait_until("the help closed", |p| {
        !p.screen().contains(" keys · type to filter")
    });
    pane.keys(&["Escape"]);
    pane.wait_while_running("enter open");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    assert_pane_clean("after quitting", &pane, &key);
    let log = pane.file("convo.log").unwrap_or_default();
    assert!(
        log.contains(" TRACE "),
        "trace logging was on:\n{}",
        tmux::tail(&log, 5)
    );
    drop(pane);

    // A server that echoes the key in its 401: shown masked, and `r` asks again.
    let pane = browser(&key, &echo.url());
    pane.wait_while_running("the server refused the API key (401:");
    pane.wait_while_running(&masked);
    pane.keys(&["r"]);
    pane.wait_until("r to ask again", |_| echo.requests() >= 2);
    pane.wait_while_running(&masked);
    assert_pane_clean("a 401 echoing the key", &pane, &key);
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    assert_pane_clean("after a 401 echoing the key", &pane, &key);
    drop(pane);

    // Nobody there.
    let pane = browser(&key, &format!("http://{}", refused_addr()));
    pane.wait_while_running("cannot reach 127.0.0.1:");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    assert_pane_clean("a dead server", &pane, &key);
    drop(pane);

    drop(echo);
    runtime.block_on(healthy.shutdown()).unwrap();
}

// ---------------------------------------------------------------------------
// A panic report
// ---------------------------------------------------------------------------

/// Not a test of its own: run as a child process by the test below. It
/// installs convo's logging and panic hook, builds what holds the key (the
/// settings from a config file with the key in it, the client), and panics
/// with all of it in the message — the worst a panic could carry.
#[test]
#[ignore = "run as a child process by a_panic_report_holds_no_key"]
fn panic_child() {
    let Some(dir) = std::env::var_os("CONVO_SECRETS_PANIC_CHILD").map(PathBuf::from) else {
        return;
    };
    let log = convo::term::init_logging(Some(&dir.join("convo.log"))).unwrap();
    convo::term::install_panic_hook(log);
    let settings = convo::config::settings(&convo::config::Flags::default()).unwrap();
    let key = std::env::var("AGENTSIGHT_API_KEY").unwrap();
    let config = AgentSightConfig::new("http://127.0.0.1:9", Some(key));
    let client = AgentSight::new(config.clone()).unwrap();
    tracing::info!("about to panic with {settings:?}");
    panic!("deliberate panic holding {settings:?}, {config:?} and {client:?}");
}

#[test]
fn a_panic_report_holds_no_key() {
    let key = random_key();
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(
        dir.path(),
        "config.toml",
        &format!(
            "default_profile = \"p\"\n[profiles.p]\nendpoint = \"http://127.0.0.1:9\"\napi_key = \"{key}\"\n"
        ),
    );
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "secrets::panic_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CONVO_SECRETS_PANIC_CHILD", dir.path())
        .env("CONVO_CONFIG", &config)
        .env("AGENTSIGHT_API_KEY", &key)
        .env("CONVO_LOG", "trace")
        .env("RUST_BACKTRACE", "full")
        .env_remove("CONVO_PROFILE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.path().join("convo.log")).unwrap_or_default();
    assert!(
        stderr.contains("convo crashed: deliberate panic holding"),
        "the child should have panicked through convo's hook:\n{stderr}"
    );
    assert!(log.contains("message: deliberate panic holding"), "{log}");
    assert!(log.contains("backtrace:"), "{log}");
    assert!(
        log.contains(&mask_key(&key)),
        "the masked form is what shows:\n{log}"
    );
    assert_no_leak("the panic report", &log, &key);
    assert_no_leak("stderr after a panic", &stderr, &key);
    assert_no_leak("stdout after a panic", &stdout, &key);
}
