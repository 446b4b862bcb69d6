//! The fault matrix: every way the API can fail — a server that never answers, drips, resets, sends cut JSON, an HTML 502, 429s, a lapsed subscription, a refused port, an unknown host, an untrusted certificate, and `convo serve`'s own fault flags — met by the headless commands and by the browser.
//!
//! Headless: the built `convo list` and `convo show` run against each fault
//! and must exit with the documented code and one stderr line a support lead
//! can act on, without a panic or a backtrace. The cases run concurrently:
//! most of their time is spent waiting on retries and timeouts.
//!
//! Browser: the real loop (`run_with` on a `TestBackend`) against each fault:
//! the status bar says what failed; keys are handled while a request hangs;
//! `r` brings the list back once the fault clears; nothing panics. Waits poll
//! the frames with generous deadlines; nothing asserts a duration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;
use crate::support::driver;
use crate::support::misbehave;
use crate::support::state;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use convo::app::state::{Focus, State};
use convo::app::writes::Role;
use convo::provider::Provider;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::http::RetryPolicy;
use convo::runtime::{Headless, run_with};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, ServerConfig};
use crossterm::event::KeyCode;
use driver::{Driver, Frame, driver, screen_text};
use misbehave::{Behaviour, Misbehaving, SelfSignedTls, UNRESOLVABLE_ENDPOINT, refused_addr};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::io::AsyncBufReadExt;

/// How long any one step may take on a slow, loaded machine.
const DEADLINE: Duration = Duration::from_secs(30);
/// `CONVO_TIMEOUT` for the headless commands: short, so a dead server costs seconds.
const HEADLESS_TIMEOUT: &str = "1";
/// The browser's per-request timeout: long enough for a healthy answer on a
/// loaded machine, short enough that a hanging one is over in seconds.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(2);
/// Conversations the healthy server holds (some deleted: see `visible`).
const CONVERSATIONS: usize = 30;
const SEED: u64 = 11;

// ---------------------------------------------------------------------------
// `convo serve` as a process, with its fault flags
// ---------------------------------------------------------------------------

/// `convo serve --addr 127.0.0.1:0` with `flags`, killed when dropped.
struct Serve {
    url: String,
    _child: tokio::process::Child,
    /// Kept open: a closed pipe would make a later write to stderr fail.
    _stderr: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStderr>>,
}

impl Serve {
    async fn start(flags: &[&str]) -> Self {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
            .args(["serve", "--addr", "127.0.0.1:0", "--generate", "20"])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start convo serve");
        let mut lines = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
        // "convo serve: http://127.0.0.1:PORT · 20 conversations · key ags_…000000"
        let first = tokio::time::timeout(DEADLINE, lines.next_line())
            .await
            .expect("convo serve to start")
            .unwrap()
            .expect("a first line from convo serve");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"))
            .to_owned();
        Self {
            url,
            _child: child,
            _stderr: lines,
        }
    }
}

// ---------------------------------------------------------------------------
// Headless: `convo list` and `convo show` against every fault
// ---------------------------------------------------------------------------

/// Runs `convo ARGS` against `endpoint` with `key`, a short timeout, and a
/// backtrace asked for (so that a panic could not go unnoticed).
async fn convo_at(endpoint: &str, key: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", key)
        .env("CONVO_TIMEOUT", HEADLESS_TIMEOUT)
        .env("RUST_BACKTRACE", "1")
        .env("CONVO_CONFIG", "/nonexistent/convo-faults/config.toml")
        .env_remove("CONVO_PROFILE")
        .env_remove("CONVO_LOG")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run convo")
}

/// One row of the matrix: a fault, where it is, and what must be said about it.
struct Row {
    fault: &'static str,
    endpoint: String,
    code: i32,
    words: &'static [&'static str],
}

/// What went wrong with one command's answer to a fault, if anything.
fn judge(row: &Row, command: &str, out: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stderr.trim_end();
    let mut problems = Vec::new();
    if out.status.code() != Some(row.code) {
        problems.push(format!(
            "exit {:?}, expected {}",
            out.status.code(),
            row.code
        ));
    }
    if !stdout.is_empty() {
        problems.push(format!("stdout is not empty: {stdout:?}"));
    }
    if !line.starts_with("convo: ") || line.lines().count() != 1 {
        problems.push("stderr is not one `convo: …` line".to_owned());
    }
    for word in row.words {
        if !line.contains(word) {
            problems.push(format!("stderr lacks {word:?}"));
        }
    }
    // No panic, and no browser advice (`r`) where there is no browser.
    for bad in ["panicked", "backtrace", "retry with r"] {
        if line.contains(bad) {
            problems.push(format!("stderr holds {bad:?}"));
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "{} / {command}: {}\n    stderr: {line}",
            row.fault,
            problems.join("; ")
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_commands_name_every_fault_and_exit_with_its_code() {
    let hang = Misbehaving::start(Behaviour::Hang).await;
    let drip = Misbehaving::start(Behaviour::Drip).await;
    let reset = Misbehaving::start(Behaviour::ResetMidBody).await;
    let truncated = Misbehaving::start(Behaviour::TruncatedJson).await;
    let html = Misbehaving::start(Behaviour::BadGatewayHtml).await;
    let seconds = Misbehaving::start(Behaviour::ThrottledSeconds(1)).await;
    let date = Misbehaving::start(Behaviour::ThrottledDate(2)).await;
    let lapsed = Misbehaving::start(Behaviour::SubscriptionInactive).await;
    let tls = SelfSignedTls::start().await;
    let failing = Serve::start(&["--fail-rate", "1"]).await;
    let throttling = Serve::start(&["--throttle-rate", "1"]).await;
    let inactive = Serve::start(&["--subscription-inactive"]).await;
    let slow = Serve::start(&["--latency", "5000"]).await;
    let other_key =
        Serve::start(&["--api-key", "ags_ffffffffffffffffffffffffffffffff_ffffff"]).await;

    #[rustfmt::skip]
    let table: Vec<(&str, String, i32, &[&str])> = vec![
        ("never answers", hang.url(), 1, &["no answer from 127.0.0.1:", "within 1.0s", "run the command again"]),
        ("one byte a second", drip.url(), 1, &["no answer from 127.0.0.1:", "within 1.0s"]),
        ("reset mid-body", reset.url(), 1, &["the connection to 127.0.0.1:", "broke", "run the command again"]),
        ("truncated JSON", truncated.url(), 1, &["the server's answer could not be read", "the JSON ends early"]),
        ("HTML 502 page", html.url(), 1, &["the server failed (502: 502 Bad Gateway)", "or later"]),
        ("429, Retry-After seconds", seconds.url(), 1, &["throttled by the server (429: Request was throttled", "wait 1s, then run the command again"]),
        ("429, Retry-After HTTP-date", date.url(), 1, &["throttled by the server (429: Request was throttled.)", "wait "]),
        ("401, subscription", lapsed.url(), 3, &["the subscription is inactive (401: The subscription for this agent is inactive", "a new key will not help"]),
        ("refused connection", format!("http://{}", refused_addr()), 1, &["cannot reach 127.0.0.1:", "Connection refused", "check the endpoint"]),
        ("unresolvable host", UNRESOLVABLE_ENDPOINT.to_owned(), 1, &["cannot reach convo-faults.invalid", "the host name could not be looked up", "check the endpoint"]),
        ("self-signed TLS", tls.url(), 1, &["cannot reach 127.0.0.1:", "TLS certificate is not trusted"]),
        ("serve --fail-rate 1", failing.url.clone(), 1, &["the server failed (5"]),
        ("serve --throttle-rate 1", throttling.url.clone(), 1, &["throttled by the server (429: Request was throttled. Expected available in 1 second.)"]),
        ("serve --subscription-inactive", inactive.url.clone(), 3, &["the subscription is inactive (401:"]),
        ("serve --latency 5000", slow.url.clone(), 1, &["no answer from 127.0.0.1:", "within 1.0s"]),
        ("a key the server does not know", other_key.url.clone(), 3, &["the server refused the API key (401:", "check the key"]),
    ];
    let rows: Vec<Row> = table
        .into_iter()
        .map(|(fault, endpoint, code, words)| Row {
            fault,
            endpoint,
            code,
            words,
        })
        .collect();
    let commands: [&[&str]; 2] = [&["list"], &["show", "1"]];
    let runs = rows.iter().flat_map(|row| {
        commands.iter().map(move |args| async move {
            let started = Instant::now();
            let out = convo_at(&row.endpoint, DEMO_API_KEY, args).await;
            (row, args.join(" "), out, started.elapsed())
        })
    });
    let results = futures::future::join_all(runs).await;

    let mut table = String::from("\nfault | command | exit | seconds | stderr\n");
    let mut failures = Vec::new();
    for (row, command, out, took) in &results {
        let _ = writeln!(
            table,
            "{} | convo {command} | {:?} | {:.1} | {}",
            row.fault,
            out.status.code(),
            took.as_secs_f64(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
        failures.extend(judge(row, command, out));
    }
    // Shown with --nocapture: the wording of every fault, for review.
    println!("{table}");
    assert!(failures.is_empty(), "{}\n{table}", failures.join("\n"));
    assert!(
        hang.requests() >= 2 && reset.requests() >= 2,
        "retried GETs reach the server again"
    );
    assert_eq!(
        truncated.requests(),
        2,
        "a body that is not JSON is not retried (one try per command)"
    );
}

#[tokio::test]
async fn a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(["list"])
        .env(
            "AGENTSIGHT_API_ENDPOINT",
            format!("http://{}", refused_addr()),
        )
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("CONVO_TIMEOUT", "soon")
        .env("CONVO_CONFIG", "/nonexistent/convo-faults/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CONVO_TIMEOUT=\"soon\" is not a number of seconds"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------
// The browser: the real loop on a TestBackend
// ---------------------------------------------------------------------------

/// Panics on tokio's worker threads (the loop's tasks), counted for the whole
/// test binary; a panic there would otherwise only show as a hang.
static TASK_PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_task_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("tokio-runtime-worker") {
                TASK_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// What the test sees after each frame.
#[derive(Clone, Debug)]
struct Seen {
    total: Option<u64>,
    listing: bool,
    /// Bumped by every list request, so a request is seen even when its answer lands before a frame shows it in flight.
    list_generation: u64,
    spinner: usize,
    help: bool,
    focus: Focus,
    /// Whether `/api/me/` is still being asked (its answer draws a frame too).
    asking_role: bool,
    selected_id: Option<i64>,
    open_id: Option<i64>,
    /// The status bar's message and whether it is an error.
    status: Option<(String, bool)>,
    screen: String,
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        Self {
            total: state.list.shown.as_ref().map(|p| p.total),
            listing: state.list.loading.is_some(),
            list_generation: state.list.generation,
            spinner: state.spinner,
            help: state.help.is_some(),
            focus: state.focus,
            asking_role: state.writes.role == Role::Asking,
            selected_id: state.list.selected_row().and_then(|r| r.id),
            open_id: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            status: state.status.as_ref().map(|s| (s.text.clone(), s.error)),
            screen: screen_text(buffer),
        }
    }

    /// The bottom line: the status bar.
    fn status_bar(&self) -> &str {
        self.screen.lines().last().unwrap_or_default()
    }

    fn error(&self) -> Option<&str> {
        match &self.status {
            Some((text, true)) => Some(text),
            _ => None,
        }
    }
}

/// Presses `?` and checks the help overlay is drawn in the first frame
/// after the key arrives: every frame before it is a spinner tick (the
/// key was not there yet), none is a frame that ignored it.
async fn help_answers_at_once(driver: &mut Driver<Seen>) -> Seen {
    driver.press(KeyCode::Char('?'));
    let before = driver.last.clone().expect("a frame before the key");
    let frames = driver.frames_until("the help overlay", |s| s.help).await;
    let mut spinner = before.spinner;
    let mut asking_role = before.asking_role;
    for frame in &frames[..frames.len() - 1] {
        // The role's answer (or its failure) draws a frame of its own, which
        // may come before the key: that one is not a frame that ignored it.
        let role_answered = asking_role && !frame.asking_role;
        assert!(
            frame.spinner != spinner || role_answered,
            "a frame was drawn after `?` without handling it:\n{}",
            frame.screen
        );
        spinner = frame.spinner;
        asking_role = frame.asking_role;
    }
    let shown = frames.last().unwrap().clone();
    driver.press(KeyCode::Esc);
    driver.until("the help overlay closed", |s| !s.help).await;
    shown
}

fn initial_state(provider: &dyn Provider) -> State {
    State::new(state::init("faults", provider.info()))
}

/// A client that gives up quickly: a short timeout, one retry after 50 ms,
/// and a server's `Retry-After` honoured up to half a second.
fn provider(endpoint: &str) -> Arc<dyn Provider> {
    provider_within(endpoint, BROWSER_TIMEOUT)
}

/// As [`provider`], with its own per-request timeout.
fn provider_within(endpoint: &str, timeout: Duration) -> Arc<dyn Provider> {
    let mut config = AgentSightConfig::new(endpoint, Some(DEMO_API_KEY.to_owned()));
    config.timeout = timeout;
    config.retry = RetryPolicy {
        attempts: 2,
        backoff: vec![Duration::from_millis(50)],
        max_retry_after: Duration::from_millis(500),
    };
    Arc::new(AgentSight::new(config).unwrap())
}

/// Where the fault comes from.
enum Fault {
    /// The misbehaving server, doing this.
    Server(Behaviour),
    /// A `convo serve` with these fault settings, behind the misbehaving server.
    Serve(ServerConfig),
    /// Nothing listens on the port (until the fault clears).
    Refused,
    /// The host name does not resolve; it never clears.
    Unresolvable,
    /// The certificate is self-signed; it never clears.
    SelfSignedTls,
}

/// What keeps a fault's servers running for as long as the scene lasts.
#[allow(dead_code)] // held, never read: dropping it stops the server
enum Keep {
    Nothing,
    Server(convo::server::RunningServer),
    Tls(SelfSignedTls),
}

/// Keeps the fault's servers alive and knows how to clear it.
struct Scene {
    endpoint: String,
    healthy: convo::server::RunningServer,
    misbehaving: Option<Misbehaving>,
    refused: Option<SocketAddr>,
    _keep: Keep,
}

impl Scene {
    async fn new(fault: Fault) -> Self {
        let healthy = common::start(generate(CONVERSATIONS, SEED), ServerConfig::default()).await;
        let (endpoint, misbehaving, refused, keep) = match fault {
            Fault::Server(behaviour) => {
                let server = Misbehaving::start(behaviour).await;
                (server.url(), Some(server), None, Keep::Nothing)
            }
            Fault::Serve(config) => {
                let faulty = common::start(generate(CONVERSATIONS, SEED), config).await;
                let server = Misbehaving::start(Behaviour::Forward(faulty.addr())).await;
                (server.url(), Some(server), None, Keep::Server(faulty))
            }
            Fault::Refused => {
                let addr = refused_addr();
                (format!("http://{addr}"), None, Some(addr), Keep::Nothing)
            }
            Fault::Unresolvable => (UNRESOLVABLE_ENDPOINT.to_owned(), None, None, Keep::Nothing),
            Fault::SelfSignedTls => {
                let tls = SelfSignedTls::start().await;
                (tls.url(), None, None, Keep::Tls(tls))
            }
        };
        Self {
            endpoint,
            healthy,
            misbehaving,
            refused,
            _keep: keep,
        }
    }

    /// Ends the fault if it can end: the endpoint now leads to the healthy server.
    async fn clear(&mut self) -> bool {
        let healthy = Behaviour::Forward(self.healthy.addr());
        if let Some(server) = &self.misbehaving {
            server.set(healthy);
            true
        } else if let Some(addr) = self.refused {
            self.misbehaving = Some(Misbehaving::start_at(addr, healthy).await);
            true
        } else {
            false
        }
    }
}

fn visible() -> u64 {
    generate(CONVERSATIONS, SEED)
        .iter()
        .filter(|c| c.is_deleted != Some(true))
        .count() as u64
}

/// One fault in the browser: the error in the status bar, keys handled while
/// it happens (`slow`: while the request is still in flight), `r` recovering
/// once it clears (or trying again when it cannot clear), no panic.
async fn browser_meets(fault: Fault, words: &[&str], slow: bool) {
    browser_meets_within(fault, words, slow, BROWSER_TIMEOUT).await;
}

/// As [`browser_meets`], each request allowed `timeout`: an answer stopped
/// by its size must not be mistaken for a slow one on a loaded machine.
async fn browser_meets_within(fault: Fault, words: &[&str], slow: bool, timeout: Duration) {
    count_task_panics();
    let mut scene = Scene::new(fault).await;
    let provider = provider_within(&scene.endpoint, timeout);
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = initial_state(&*provider);
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async {
        driver.until("the first frame", |_| true).await;
        if slow {
            // The request hangs: the help overlay still opens, at once, with the request in flight.
            let shown = help_answers_at_once(&mut driver).await;
            assert!(
                shown.listing,
                "the page should still be loading:\n{}",
                shown.screen
            );
            assert!(
                shown.screen.contains(" keys · type to filter"),
                "{}",
                shown.screen
            );
        }
        let failed = driver
            .until("the error in the status bar", |s| {
                s.error()
                    .is_some_and(|e| words.iter().all(|w| e.contains(w)))
                    && !s.listing
            })
            .await;
        let error = failed.error().unwrap().to_owned();
        // Shown with --nocapture: the browser's wording of each fault, for review.
        println!("browser status bar: {error}");
        assert!(error.starts_with("page 1: "), "{error}");
        let shown: String = error.chars().take(60).collect();
        assert!(
            failed.status_bar().contains(&shown),
            "the status bar should start with {shown:?}:\n{}",
            failed.screen
        );
        assert!(
            failed
                .screen
                .contains("the list could not be loaded: see below"),
            "{}",
            failed.screen
        );
        assert!(!error.chars().any(char::is_control), "{error:?}");
        // The app keeps working after the failure.
        help_answers_at_once(&mut driver).await;

        if scene.clear().await {
            driver.press(KeyCode::Char('r'));
            let back = driver
                .until("the list back after r", |s| {
                    s.total == Some(visible()) && !s.listing
                })
                .await;
            assert!(back.error().is_none(), "{:?}", back.status);
            assert!(
                back.screen
                    .contains(&format!("{} conversations", visible())),
                "{}",
                back.screen
            );
        } else {
            // It cannot clear: `r` still tries again, and says so again. (A
            // fault that fails fast may answer before any frame shows the request.)
            let asked_before = driver.last.as_ref().map_or(0, |s| s.list_generation);
            driver.press(KeyCode::Char('r'));
            driver
                .until("r to try again, and the error again", |s| {
                    s.list_generation > asked_before
                        && s.error()
                            .is_some_and(|e| words.iter().all(|w| e.contains(w)))
                        && !s.listing
                })
                .await;
        }
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    let end = ran.expect("the loop ends cleanly");
    assert!(end.quit);
    assert_eq!(TASK_PANICS.load(Ordering::SeqCst), 0, "a task panicked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_server_that_never_answers() {
    let words = ["no answer from 127.0.0.1:", "within 2.0s", "retry with r"];
    browser_meets(Fault::Server(Behaviour::Hang), &words, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_server_that_answers_one_byte_a_second() {
    let words = ["no answer from 127.0.0.1:", "within 2.0s"];
    browser_meets(Fault::Server(Behaviour::Drip), &words, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_connection_reset_mid_body() {
    let words = ["the connection to 127.0.0.1:", "broke", "retry with r"];
    browser_meets(Fault::Server(Behaviour::ResetMidBody), &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_truncated_json() {
    let words = [
        "the server's answer could not be read",
        "the JSON ends early",
    ];
    browser_meets(Fault::Server(Behaviour::TruncatedJson), &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_an_html_502_page() {
    let words = ["the server failed (502: 502 Bad Gateway): retry with r"];
    browser_meets(Fault::Server(Behaviour::BadGatewayHtml), &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_429_with_retry_after_seconds() {
    let words = [
        "throttled by the server (429: Request was throttled",
        "wait 1s, then retry with r",
    ];
    browser_meets(Fault::Server(Behaviour::ThrottledSeconds(1)), &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_429_with_retry_after_as_an_http_date() {
    let words = [
        "throttled by the server (429: Request was throttled.)",
        "then retry with r",
    ];
    browser_meets(Fault::Server(Behaviour::ThrottledDate(2)), &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_401_naming_the_subscription() {
    let words = [
        "the subscription is inactive (401:",
        "a new key will not help",
    ];
    browser_meets(
        Fault::Server(Behaviour::SubscriptionInactive),
        &words,
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_refused_connection() {
    let words = ["cannot reach 127.0.0.1:", "Connection refused"];
    browser_meets(Fault::Refused, &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_an_unresolvable_host() {
    let words = [
        "cannot reach convo-faults.invalid",
        "the host name could not be looked up",
    ];
    browser_meets(Fault::Unresolvable, &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_self_signed_certificate() {
    let words = ["cannot reach 127.0.0.1:", "TLS certificate is not trusted"];
    browser_meets(Fault::SelfSignedTls, &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_serve_fail_rate() {
    let config = ServerConfig {
        fail_rate: 1.0,
        ..ServerConfig::default()
    };
    browser_meets(Fault::Serve(config), &["the server failed (5"], false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_serve_throttle_rate() {
    let config = ServerConfig {
        throttle_rate: 1.0,
        ..ServerConfig::default()
    };
    let words =
        ["throttled by the server (429: Request was throttled. Expected available in 1 second.)"];
    browser_meets(Fault::Serve(config), &words, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_serve_latency_beyond_the_timeout() {
    let config = ServerConfig {
        latency: Duration::from_secs(5),
        ..ServerConfig::default()
    };
    browser_meets(Fault::Serve(config), &["no answer from 127.0.0.1:"], true).await;
}

/// What the browser says of an answer past the page's ceiling.
const PAGE_TOO_LARGE: &str = "the server's answer could not be read: it is larger than 32 MiB, the most convo reads for a page";
/// Time enough that only the ceiling can stop these answers.
const SIZE_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_gzip_bomb_of_four_gibibytes() {
    let fault = Fault::Server(Behaviour::GzipBomb(misbehave::FOUR_GIB));
    browser_meets_within(fault, &[PAGE_TOO_LARGE], false, SIZE_TIMEOUT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_an_endless_body() {
    let fault = Fault::Server(Behaviour::EndlessChunked);
    browser_meets_within(fault, &[PAGE_TOO_LARGE], false, SIZE_TIMEOUT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_page_of_three_million_tiny_rows() {
    let words = ["it holds a list of more than 100 items, the most convo reads for a page"];
    let fault = Fault::Server(Behaviour::TinyRows(3_000_000));
    browser_meets_within(fault, &words, false, SIZE_TIMEOUT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_conversation_that_fails_to_open_opens_once_the_fault_clears() {
    count_task_panics();
    let healthy = common::start(generate(CONVERSATIONS, SEED), ServerConfig::default()).await;
    let server = Misbehaving::start(Behaviour::Forward(healthy.addr())).await;
    let provider = provider(&server.url());
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = initial_state(&*provider);
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async {
        driver
            .until("the list", |s| s.total == Some(visible()) && !s.listing)
            .await;
        server.set(Behaviour::BadGatewayHtml);
        // Rows are filled in the background (and kept, so opening them is
        // instant); one whose fetch met the fault shows `?`. Its transcript is
        // fetched again once the selection rests on it: that fails too.
        let unknown_row = |screen: &str| {
            screen
                .lines()
                .skip(4)
                .take_while(|l| l.starts_with('│'))
                .map(|l| l.chars().take(54).collect::<String>())
                .position(|l| l.contains('?'))
                .filter(|&i| i > 0)
        };
        let marked = driver
            .until("a row whose fetch failed", |s| {
                unknown_row(&s.screen).is_some()
            })
            .await;
        for _ in 0..unknown_row(&marked.screen).unwrap() {
            driver.press(KeyCode::Char('j'));
        }
        let failed = driver
            .until("the detail error", |s| {
                s.error().is_some_and(|e| {
                    e.starts_with("cannot open the conversation: the server failed (502")
                })
            })
            .await;
        assert!(
            failed.status_bar().contains("cannot open the conversation"),
            "{}",
            failed.screen
        );
        assert_eq!(failed.focus, Focus::List);
        let wanted = failed.selected_id;
        server.set(Behaviour::Forward(healthy.addr()));
        driver.press(KeyCode::Enter);
        let opened = driver
            .until("the conversation open", |s| {
                s.focus == Focus::Detail && s.open_id.is_some() && s.open_id == wanted
            })
            .await;
        assert!(opened.error().is_none(), "{:?}", opened.status);
        driver.press(KeyCode::Char('q'));
        driver
            .until("back in the list", |s| s.focus == Focus::List)
            .await;
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    assert_eq!(TASK_PANICS.load(Ordering::SeqCst), 0, "a task panicked");
}
