//! Bounded answers: a gzip bomb, a page of millions of tiny rows, an endless body, a body of NUL bytes and a page of unclosed tags, each met by the built `convo list` with one clear error in bounded memory; and ids that would name another path, refused before anything is sent.
//!
//! The memory figure is the child's peak resident set (`VmHWM`), polled from
//! `/proc` until it exits; a child that passes [`KILL_ABOVE_KIB`] is killed
//! at once, so a regression fails the test instead of filling the machine.
//! Time bounds are ten times the goal (2 s), for a loaded machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::misbehave;

use std::process::Stdio;
use std::time::{Duration, Instant};

use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::chatdash::{ChatDash, ChatDashConfig};
use convo::provider::http::RetryPolicy;
use convo::provider::{ConversationRef, Error, Provider};
use convo::server::DEMO_API_KEY;
use misbehave::{Behaviour, FOUR_GIB, Misbehaving};
use tokio::io::AsyncReadExt;

/// The most a child may hold at its peak: well under what a runaway answer costs.
const PEAK_KIB: u64 = 100 * 1024;
/// Past this, the child is killed: the test has failed already.
const KILL_ABOVE_KIB: u64 = 400 * 1024;
/// Ten times the goal of an error within 2 s.
const ERROR_WITHIN: Duration = Duration::from_secs(20);
/// Long enough that the ceiling, not the timeout, is what stops a fast answer.
const GENEROUS_TIMEOUT: &str = "60";

/// What one `convo` child did.
struct Watched {
    code: Option<i32>,
    stderr: String,
    stdout: String,
    took: Duration,
    peak_kib: u64,
}

impl Watched {
    fn show(&self) -> String {
        format!(
            "exit {:?}, {:.2} s, peak {} KiB, stderr: {}",
            self.code,
            self.took.as_secs_f64(),
            self.peak_kib,
            self.stderr.trim_end()
        )
    }
}

/// `VmHWM` of a live process, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `convo ARGS` against `endpoint`, watching its peak memory until it exits.
async fn watch_convo(endpoint: &str, args: &[&str]) -> Watched {
    let started = Instant::now();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("CONVO_TIMEOUT", GENEROUS_TIMEOUT)
        .env("CONVO_CONFIG", "/nonexistent/convo-bounded/config.toml")
        .env_remove("CONVO_PROFILE")
        .env_remove("CONVO_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("run convo");
    let pid = child.id().expect("a live child");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reading = tokio::spawn(async move {
        let (mut stdout, mut stderr) = (String::new(), String::new());
        let _ = tokio::join!(
            out.read_to_string(&mut stdout),
            err.read_to_string(&mut stderr)
        );
        (stdout, stderr)
    });
    let mut peak_kib = 0;
    let code = loop {
        // Read before reaping: a reaped process has no status to read.
        peak_kib = peak_kib.max(peak_rss_kib(pid).unwrap_or(0));
        if peak_kib > KILL_ABOVE_KIB || started.elapsed() > ERROR_WITHIN * 3 {
            let _ = child.kill().await;
            break None;
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let took = started.elapsed();
    let (stdout, stderr) = reading.await.unwrap();
    Watched {
        code,
        stderr,
        stdout,
        took,
        peak_kib,
    }
}

/// `convo list` against one misbehaviour: one `convo: …` line holding
/// `words`, exit 1, nothing on stdout, within the memory and time bounds.
async fn list_meets(behaviour: Behaviour, words: &[&str]) -> Watched {
    let server = Misbehaving::start(behaviour).await;
    let run = watch_convo(&server.url(), &["list"]).await;
    // Shown with --nocapture: the measured figures.
    println!("convo list: {}", run.show());
    let line = run.stderr.trim_end();
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        line.starts_with("convo: ") && line.lines().count() == 1,
        "{}",
        run.show()
    );
    for word in words {
        assert!(line.contains(word), "lacks {word:?}: {}", run.show());
    }
    assert!(!line.contains("panicked"), "{}", run.show());
    assert!(run.peak_kib < PEAK_KIB, "{}", run.show());
    assert!(run.took < ERROR_WITHIN, "{}", run.show());
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_bomb_of_four_gibibytes_is_refused_in_bounded_memory() {
    list_meets(
        Behaviour::GzipBomb(FOUR_GIB),
        &[
            "the server's answer could not be read: it is larger than 32 MiB, the most convo reads for a page",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_three_million_tiny_rows_is_refused_before_they_are_built() {
    list_meets(
        Behaviour::TinyRows(3_000_000),
        &["it holds a list of more than 100 items, the most convo reads for a page"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_of_ten_million_tiny_values_is_refused_before_they_are_built() {
    list_meets(
        Behaviour::WideMetadata(10_000_000),
        &["it holds more than 500,000 values in all, the most convo reads for a page"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announced_length_past_the_ceiling_is_refused_before_the_body() {
    list_meets(
        Behaviour::Announced(FOUR_GIB),
        &["it is larger than 32 MiB, the most convo reads for a page"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_cut_at_the_ceiling_not_the_timeout() {
    list_meets(
        Behaviour::EndlessChunked,
        &["it is larger than 32 MiB, the most convo reads for a page"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_nul_bytes_is_quoted_in_bounded_memory() {
    let run = list_meets(
        Behaviour::NulBody(24 * 1024 * 1024),
        &["it is not valid JSON", "25165824 bytes, starting \"\\u{0}"],
    )
    .await;
    assert!(run.stderr.len() < 2000, "{}", run.stderr.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_unclosed_script_tags_is_read_in_bounded_time() {
    list_meets(
        Behaviour::ScriptPage(4 * 1024 * 1024),
        &["it is an HTML page, not JSON (text/html, 4194304 bytes)"],
    )
    .await;
}

fn no_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 1,
        backoff: Vec::new(),
        max_retry_after: Duration::ZERO,
    }
}

fn chatdash(endpoint: &str) -> ChatDash {
    let mut config = ChatDashConfig::new(
        endpoint,
        Some("cd_demo_key".to_owned()),
        Some("demo".to_owned()),
    );
    config.retry = no_retry();
    ChatDash::new(config).unwrap()
}

#[tokio::test]
async fn chatdash_dot_ids_are_refused_before_any_request_and_a_slash_stays_in_its_segment() {
    let server = Misbehaving::start(Behaviour::EchoAuthorization(404)).await;
    let provider = chatdash(&server.url());
    for id in [".", "..", " .. "] {
        for asked in [
            ConversationRef::Id(id.to_owned()),
            ConversationRef::Platform(id.to_owned()),
        ] {
            let err = provider.conversation(&asked).await.unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput(text) if text.contains("is not a ChatDash conversation")),
                "{asked:?}: {err}"
            );
        }
    }
    assert_eq!(server.requests(), 0, "{:?}", server.request_lines());

    for (id, path) in [
        ("a/b", "/agents/demo/conversations/a%2Fb "),
        ("../../me", "/agents/demo/conversations/..%2F..%2Fme "),
        ("...", "/agents/demo/conversations/... "),
    ] {
        let err = provider
            .conversation(&ConversationRef::Id(id.to_owned()))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{id}: {err}");
        let line = server.request_lines().pop().unwrap();
        assert!(line.starts_with(&format!("GET {path}")), "{id}: {line}");
    }

    for agent in [".", ".."] {
        let config = ChatDashConfig::new(
            server.url(),
            Some("cd_demo_key".to_owned()),
            Some(agent.to_owned()),
        );
        let err = ChatDash::new(config).unwrap_err();
        assert!(
            err.to_string().contains("is not a ChatDash agent id"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn agentsight_string_ids_travel_as_a_query_never_as_a_path() {
    let server = Misbehaving::start(Behaviour::EchoAuthorization(404)).await;
    let mut config = AgentSightConfig::new(server.url(), Some(DEMO_API_KEY.to_owned()));
    config.retry = no_retry();
    let provider = AgentSight::new(config).unwrap();
    for id in ["..", ".", "../../api/me", "a/b"] {
        let err = provider
            .conversation(&ConversationRef::Id(id.to_owned()))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{id}: {err}");
        let line = server.request_lines().pop().unwrap();
        assert!(
            line.starts_with("GET /api/conversations/?conversation_id="),
            "{id}: {line}"
        );
    }
}
