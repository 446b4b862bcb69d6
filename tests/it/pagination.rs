//! Pagination is not trusted: against a server that lies about its pages (billions of full pages, empty pages under a large `total_pages`, a short page followed by more, a `count` at odds with `total_pages`, a missing `count`), `list --all`, `feedbacks --all`, `export` and the browser's paging finish with the right rows, say where a ceiling stopped them, and ask a bounded number of pages with bounded memory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::driver;
use crate::support::liar;
use crate::support::state;

use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use convo::app::state::State;
use convo::provider::Provider;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::runtime::{Headless, run_with};
use convo::server::DEMO_API_KEY;
use crossterm::event::KeyCode;
use driver::{Frame, driver, screen_text};
use liar::{Liar, Lie, full_forever, full_then_empty, short_second_page};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::Value;

/// How long one command may run on a loaded machine before the test gives up on it.
const DEADLINE: Duration = Duration::from_secs(300);

/// Peak memory allowed to a command walking a lying server: what it holds is
/// bounded by its ceiling, far below this (measured figures are in the report).
const PEAK_KB_AT_MOST: u64 = 256 * 1024;

/// The rows `--all` stops at.
const ALL_CEILING: usize = convo::cli::paging::ALL_CEILING;

/// What a finished command left.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    /// Peak resident memory (`VmHWM`), in kB, as last seen while it ran.
    peak_kb: u64,
}

/// Runs `convo ARGS` against `endpoint`, watching its peak memory.
async fn convo(endpoint: &str, args: &[&str]) -> Ran {
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("TZ", "UTC")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env("CONVO_TIMEOUT", "30")
        .env_remove("CONVO_PROFILE")
        .env_remove("AGENTSIGHT_APP_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start convo");
    let pid = child.id().expect("a running child");
    let done = Arc::new(AtomicBool::new(false));
    let watching = Arc::clone(&done);
    let watcher = tokio::spawn(async move {
        let mut peak = 0;
        while !watching.load(Ordering::SeqCst) {
            if let Some(kb) = peak_kb(pid) {
                peak = peak.max(kb);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        peak
    });
    let out: Output = tokio::time::timeout(DEADLINE, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("convo {args:?} did not finish within {DEADLINE:?}"))
        .expect("wait for convo");
    done.store(true, Ordering::SeqCst);
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        peak_kb: watcher.await.unwrap(),
    }
}

/// `VmHWM` of a process, in kB (none once it has exited).
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs a command that must succeed; its JSON document.
async fn json_ok(liar: &Liar, args: &[&str]) -> (Value, Ran) {
    let ran = convo(&liar.url(), args).await;
    assert_eq!(ran.code, 0, "convo {args:?}: {}", ran.stderr);
    let doc = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("convo {args:?} printed no JSON ({e}): {}", ran.stdout));
    (doc, ran)
}

fn results(doc: &Value) -> usize {
    doc["results"].as_array().expect("results").len()
}

/// What `export` left in `dir`: the one file it wrote, and its rows.
fn exported(dir: &Path) -> (String, usize) {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one file in {}: {files:?}", dir.display());
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    (name, text.lines().count())
}

/// `convo export` into a fresh directory: what it said, the file it left, its rows.
async fn export(liar: &Liar, flags: &[&str]) -> (Ran, String, usize) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.jsonl");
    let mut args = vec!["export", "--output", target.to_str().unwrap()];
    args.extend_from_slice(flags);
    let ran = convo(&liar.url(), &args).await;
    let (name, rows) = exported(dir.path());
    (ran, name, rows)
}

/// Requests a command made against a server: the difference of its counter.
async fn requests_of<T>(liar: &Liar, run: impl Future<Output = T>) -> (T, usize) {
    let before = liar.requests();
    let out = run.await;
    (out, liar.requests() - before)
}

fn billions() -> Lie {
    Lie {
        count: Some(4_000_000_000_000),
        total_pages: Some(40_000_000_000),
        rows_on: full_forever,
        budget: 3_000,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billions_of_full_pages_stop_at_the_ceilings_with_a_message_and_bounded_memory() {
    let liar = Liar::start(billions()).await;
    for command in ["list", "feedbacks"] {
        let args = [command, "--all", "--page-size", "100", "--format", "json"];
        let ((doc, ran), asked) = requests_of(&liar, json_ok(&liar, &args)).await;
        assert_eq!(results(&doc), ALL_CEILING, "{command}");
        assert_eq!(doc["truncated"], true, "{command}");
        assert!(
            asked <= ALL_CEILING / 100 + 1,
            "{command}: {asked} pages asked for"
        );
        assert!(
            ran.peak_kb > 0 && ran.peak_kb < PEAK_KB_AT_MOST,
            "{command}: {} kB",
            ran.peak_kb
        );
        println!("{command} --all: {asked} requests, peak {} kB", ran.peak_kb);
        let table = convo(&liar.url(), &[command, "--all", "--page-size", "100"]).await;
        assert_eq!(table.code, 0, "{}", table.stderr);
        assert!(
            table
                .stderr
                .contains("stopped at 5000 rows (the --all ceiling)"),
            "{command}: {}",
            table.stderr
        );
    }

    let ((ran, file, rows), asked) = requests_of(&liar, export(&liar, &[])).await;
    assert_eq!(rows, 100_000, "the default ceiling: {}", ran.stderr);
    assert_ne!(ran.code, 0, "an export cut short is not a success");
    assert!(
        ran.stderr.contains("ceiling of 100000 conversations") && ran.stderr.contains("--max"),
        "{}",
        ran.stderr
    );
    assert_ne!(
        file, "out.jsonl",
        "an export cut short does not look finished"
    );
    assert!(asked <= 1_000 + 3, "{asked} pages asked for");
    assert!(
        ran.peak_kb > 0 && ran.peak_kb < PEAK_KB_AT_MOST,
        "{} kB",
        ran.peak_kb
    );
    println!("export: {asked} requests, peak {} kB", ran.peak_kb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_pages_under_a_large_total_pages_end_every_walk() {
    let liar = Liar::start(Lie {
        count: Some(1_000_000_000),
        total_pages: Some(10_000_000),
        rows_on: full_then_empty,
        budget: 500,
    })
    .await;
    for command in ["list", "feedbacks"] {
        let args = [command, "--all", "--page-size", "100", "--format", "json"];
        let ((doc, _), asked) = requests_of(&liar, json_ok(&liar, &args)).await;
        assert_eq!(results(&doc), 100, "{command}");
        assert_eq!(asked, 2, "{command}: the empty page ends it");
    }
    let ((ran, file, rows), asked) = requests_of(&liar, export(&liar, &[])).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!((file.as_str(), rows), ("out.jsonl", 100));
    assert!(
        asked <= 2 + 2,
        "at most the pages in flight past the empty one: {asked}"
    );
    assert!(
        ran.stderr.contains("exported 100 conversations"),
        "{}",
        ran.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_page_ends_every_walk_even_when_more_follow() {
    let liar = Liar::start(Lie {
        count: Some(1_000),
        total_pages: Some(10),
        rows_on: short_second_page,
        budget: 500,
    })
    .await;
    for command in ["list", "feedbacks"] {
        let args = [command, "--all", "--page-size", "100", "--format", "json"];
        let ((doc, _), asked) = requests_of(&liar, json_ok(&liar, &args)).await;
        assert_eq!(results(&doc), 103, "{command}");
        assert_eq!(asked, 2, "{command}: the short page ends it");
    }
    let ((ran, file, rows), asked) =
        requests_of(&liar, export(&liar, &["--concurrency", "4"])).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!((file.as_str(), rows), ("out.jsonl", 103));
    assert!(asked <= 2 + 4, "{asked}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_capped_at_what_the_count_allows() {
    let liar = Liar::start(Lie {
        count: Some(300),
        total_pages: Some(1_000_000),
        rows_on: full_forever,
        budget: 500,
    })
    .await;
    for command in ["list", "feedbacks"] {
        let args = [command, "--all", "--page-size", "100", "--format", "json"];
        let ((doc, _), asked) = requests_of(&liar, json_ok(&liar, &args)).await;
        assert_eq!(results(&doc), 300, "{command}");
        assert_eq!(doc["total_pages"], 3, "{command}");
        assert_eq!(asked, 3, "{command}");
    }
    let page = json_ok(&liar, &["list", "--page-size", "100", "--format", "json"])
        .await
        .0;
    assert_eq!(page["total_pages"], 3);
    let ((ran, file, rows), asked) = requests_of(&liar, export(&liar, &[])).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!((file.as_str(), rows), ("out.jsonl", 300));
    assert_eq!(asked, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_count_trusts_total_pages_only_up_to_the_ceilings() {
    // Neither said: one page is all that is known.
    let neither = Liar::start(Lie {
        count: None,
        total_pages: None,
        rows_on: full_forever,
        budget: 500,
    })
    .await;
    for command in ["list", "feedbacks"] {
        let args = [command, "--all", "--page-size", "100", "--format", "json"];
        let ((doc, _), asked) = requests_of(&neither, json_ok(&neither, &args)).await;
        assert_eq!((results(&doc), asked), (100, 1), "{command}");
    }
    let ((ran, _, rows), asked) = requests_of(&neither, export(&neither, &[])).await;
    assert_eq!((ran.code, rows, asked), (0, 100, 1), "{}", ran.stderr);

    // Only total_pages said: believed, as every command believes it.
    let pages_only = Liar::start(Lie {
        count: None,
        total_pages: Some(3),
        rows_on: full_forever,
        budget: 500,
    })
    .await;
    for command in ["list", "feedbacks"] {
        let args = [command, "--all", "--page-size", "100", "--format", "json"];
        let ((doc, _), asked) = requests_of(&pages_only, json_ok(&pages_only, &args)).await;
        assert_eq!((results(&doc), asked), (300, 3), "{command}");
    }
    let ((ran, _, rows), asked) = requests_of(&pages_only, export(&pages_only, &[])).await;
    assert_eq!((ran.code, rows, asked), (0, 300, 3), "{}", ran.stderr);

    // Only a huge total_pages said, with full pages forever: the ceilings hold.
    let endless = Liar::start(Lie {
        count: None,
        total_pages: Some(40_000_000_000),
        rows_on: full_forever,
        budget: 500,
    })
    .await;
    let args = ["list", "--all", "--page-size", "100", "--format", "json"];
    let ((doc, _), asked) = requests_of(&endless, json_ok(&endless, &args)).await;
    assert_eq!((results(&doc), asked), (ALL_CEILING, 50));
    let ((ran, _, rows), asked) = requests_of(&endless, export(&endless, &["--max", "1000"])).await;
    assert_eq!(rows, 1_000, "{}", ran.stderr);
    assert!(asked <= 10 + 3, "{asked}");
    assert!(
        ran.stderr.contains("ceiling of 1000 conversations"),
        "{}",
        ran.stderr
    );
}

/// What the browser test sees of a frame.
#[derive(Clone)]
struct Seen {
    page: u32,
    listing: bool,
    status: Option<String>,
    screen: String,
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

/// The browser's real loop against `liar`, 50 rows a page: `]` pressed many
/// times; returns the last frame once it has refused to go further.
async fn page_forward_until_refused(liar: &Liar, presses: usize) -> Seen {
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            liar.url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let state = State::new(state::init("test", provider.info()));
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen {
            page: state.list.page_number(),
            listing: state.list.loading.is_some(),
            status: state.status.as_ref().map(|s| s.text.clone()),
            screen: screen_text(buffer),
        });
    };
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        let mut shown = driver
            .until("the first page", |s| s.page == 1 && !s.listing)
            .await;
        for _ in 0..presses {
            let before = shown.page;
            driver.press(KeyCode::Char(']'));
            shown = driver
                .until("the next page, or a refusal", |s| {
                    !s.listing
                        && (s.page > before
                            || s.status.as_deref() == Some("already on the last page"))
                })
                .await;
        }
        driver.press(KeyCode::Char('q'));
        shown
    };
    let (ran, last) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_does_not_page_past_the_honest_last_page() {
    // 120 rows counted, a million pages claimed, full pages forever: 3 pages of 50.
    let capped = Liar::start(Lie {
        count: Some(120),
        total_pages: Some(1_000_000),
        rows_on: full_forever,
        budget: 500,
    })
    .await;
    let last = page_forward_until_refused(&capped, 6).await;
    assert_eq!(last.page, 3, "{}", last.screen);
    assert!(last.screen.contains("page 3/3"), "{}", last.screen);
    assert_eq!(capped.highest_page(), 3, "no page past the count's last");

    // A billion counted, but page 2 comes back empty: it is the last.
    let empty = Liar::start(Lie {
        count: Some(1_000_000_000),
        total_pages: Some(20_000_000),
        rows_on: full_then_empty,
        budget: 500,
    })
    .await;
    let last = page_forward_until_refused(&empty, 4).await;
    assert_eq!(last.page, 2, "{}", last.screen);
    assert_eq!(empty.highest_page(), 2, "no page past the empty one");
}
