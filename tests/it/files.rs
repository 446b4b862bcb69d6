//! Files convo writes hold customer data: `s` in the real loop, `convo export --output` and `show --format markdown`, against a local server on 127.0.0.1, into directories with files and symlinks planted where convo would write.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use crate::support::driver;
use crate::support::state;
use crate::support::{alone, common};

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use convo::app::state::{Focus, State};
use convo::provider::Provider;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::runtime::{Headless, run_with};
use convo::server::{DEMO_API_KEY, RunningServer};
use crossterm::event::KeyCode;
use driver::{Frame, driver, screen_text};
use pulldown_cmark::{Event, Options, Parser, Tag};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::{Value, json};

/// 100 three-byte characters: 300 bytes, more than a file name may hold.
fn long_multibyte_id() -> String {
    "会".repeat(100)
}

fn record(pk: i64, id: &str, content: &str) -> Value {
    json!({
        "id": pk,
        "conversation_id": id,
        "name": format!("Case {pk}"),
        "started_at": format!("2026-11-0{pk}T10:00:00Z"),
        "messages": [{"id": pk * 10, "sender": "end_user", "content": content,
                      "timestamp": format!("2026-11-0{pk}T10:00:05Z")}],
    })
}

/// What the test sees of a frame.
#[derive(Clone)]
struct Seen {
    focus: Focus,
    busy: bool,
    selected_id: Option<i64>,
    open_id: Option<i64>,
    rows: usize,
    status: Option<String>,
    screen: String,
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `s` then `m` on every conversation of the list (the first one twice), in
/// a directory where `package.md` exists and `x.md` is a symlink to a file
/// elsewhere. Nothing is overwritten, no link is followed, `a/b` and `a_b`
/// make two files, a 300-byte id saves, every file is 0600, and the status
/// line names the file actually written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s_never_overwrites_follows_no_symlink_and_keeps_every_id_apart() {
    // `s` saves into the current directory, which the whole process shares:
    // the test runs alone in a process of its own, started in a fresh directory.
    let fresh = tempfile::tempdir().unwrap();
    if !alone::in_own_process(
        "files::s_never_overwrites_follows_no_symlink_and_keeps_every_id_apart",
        Some(fresh.path()),
    ) {
        return;
    }
    let here = std::env::current_dir().unwrap();
    let ids = ["package", "x", "a/b", "a_b", &long_multibyte_id()].map(str::to_owned);
    let records: Vec<Value> = (1_i64..)
        .zip(&ids)
        .map(|(pk, id)| record(pk, id, &format!("content of {pk}")))
        .collect();
    let server = common::start_json(&records).await;

    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("victim");
    std::fs::write(here.join("package.md"), "precious").unwrap();
    std::fs::write(&victim, "victim").unwrap();
    std::os::unix::fs::symlink(&victim, here.join("x.md")).unwrap();

    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
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
            focus: state.focus,
            busy: state.busy(),
            selected_id: state.list.selected_row().and_then(|r| r.id),
            open_id: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            rows: state
                .list
                .shown
                .as_ref()
                .map_or(0, |p| p.conversations.len()),
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

    let count = ids.len();
    let script = async move {
        driver
            .until("the list", |s| s.rows == count && !s.busy)
            .await;
        let mut saved: Vec<(i64, PathBuf)> = Vec::new();
        for row in 0..count {
            if row > 0 {
                driver.press(KeyCode::Char('j'));
            }
            driver.press(KeyCode::Enter);
            let opened = driver
                .until("the conversation open", |s| {
                    s.focus == Focus::Detail
                        && s.open_id.is_some()
                        && s.open_id == s.selected_id
                        && !s.busy
                })
                .await;
            let pk = opened.open_id.unwrap();
            let times = if pk == 1 { 2 } else { 1 };
            for _ in 0..times {
                driver.press(KeyCode::Char('s'));
                driver.press(KeyCode::Char('m'));
                let done = driver
                    .until("the save said", |s| {
                        s.status
                            .as_deref()
                            .is_some_and(|t| t.starts_with("saved to") || t.contains("cannot"))
                    })
                    .await;
                let status = done.status.unwrap();
                let path = status
                    .strip_prefix("saved to ")
                    .unwrap_or_else(|| panic!("pk {pk} not saved: {status}"));
                saved.push((pk, PathBuf::from(path)));
            }
            driver.press(KeyCode::Esc);
            driver
                .until("back in the list", |s| s.focus == Focus::List)
                .await;
        }
        driver.press(KeyCode::Char('q'));
        saved
    };
    let (ran, saved) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();

    let here = std::fs::canonicalize(&here).unwrap();
    let path_of = |pk: i64| -> Vec<PathBuf> {
        saved
            .iter()
            .filter(|(p, _)| *p == pk)
            .map(|(_, path)| path.clone())
            .collect()
    };
    // Every file is where the status line says, in the current directory, 0600,
    // and holds its own conversation.
    for (pk, path) in &saved {
        assert_eq!(
            std::fs::canonicalize(path.parent().unwrap()).unwrap(),
            here,
            "{}",
            path.display()
        );
        assert_eq!(mode(path), 0o600, "{}", path.display());
        let body = std::fs::read_to_string(path).unwrap();
        assert!(body.contains(&format!("content of {pk}")), "{body}");
        assert!(path.file_name().unwrap().len() <= 255, "{}", path.display());
    }
    // `package.md` exists: the first save is `package-2.md`, the next `-3`.
    assert_eq!(
        std::fs::read_to_string(here.join("package.md")).unwrap(),
        "precious"
    );
    assert_eq!(
        path_of(1),
        [here.join("package-2.md"), here.join("package-3.md")]
    );
    // `x.md` links elsewhere: the link is not followed, the save is `x-2.md`.
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert!(
        std::fs::symlink_metadata(here.join("x.md"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(path_of(2), [here.join("x-2.md")]);
    // `a/b` and `a_b`: two files, each with its own conversation.
    let (slash, underscore) = (&path_of(3)[0], &path_of(4)[0]);
    assert_ne!(slash, underscore);
    assert_eq!(underscore, &here.join("a_b.md"));
    assert!(
        std::fs::read_to_string(slash)
            .unwrap()
            .contains("| id | a/b |")
    );
    // The 300-byte id: cut by bytes, still its own file.
    let long = &path_of(5)[0];
    assert!(
        long.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("会会会"),
        "{}",
        long.display()
    );
    assert_eq!(saved.len(), count + 1);
}

/// Runs `convo ARGS` against the server with the demo key.
async fn convo(server: &RunningServer, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("TZ", "UTC")
        .env_remove("AGENTSIGHT_APP_URL")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn three_conversations() -> RunningServer {
    let records: Vec<Value> = (1..=3)
        .map(|pk| record(pk, &format!("conv-{pk}"), "hello"))
        .collect();
    common::start_json(&records).await
}

#[tokio::test(flavor = "multi_thread")]
async fn export_never_overwrites_a_file_or_follows_a_symlink_without_force() {
    let server = three_conversations().await;
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("victim");
    std::fs::write(&victim, "victim").unwrap();

    let existing = dir.path().join("existing.jsonl");
    std::fs::write(&existing, "precious").unwrap();
    let out = convo(&server, &["export", "-o", existing.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{} exists", existing.display())),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "precious");
    assert!(!dir.path().join("existing.jsonl.part").exists());

    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let out = convo(&server, &["export", "-o", link.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");

    // A dangling symlink is taken too: nothing is created through it.
    let nowhere = elsewhere.path().join("created-through-a-link");
    let dangling = dir.path().join("dangling.jsonl");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    let out = convo(&server, &["export", "-o", dangling.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!nowhere.exists());

    // --force replaces the link itself, never the file it points to.
    let out = convo(
        &server,
        &["export", "-o", link.to_str().unwrap(), "--force"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.is_file(), "the link was replaced by the export");
    assert_eq!(std::fs::read_to_string(&link).unwrap().lines().count(), 3);
    assert_eq!(mode(&link), 0o600);
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_0600_and_a_planted_part_file_is_not_followed() {
    let server = three_conversations().await;
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();

    let fresh = dir.path().join("fresh.jsonl");
    let out = convo(&server, &["export", "-o", fresh.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&fresh).unwrap().lines().count(), 3);
    assert_eq!(mode(&fresh), 0o600, "the .part, renamed, was created 0600");
    assert!(!dir.path().join("fresh.jsonl.part").exists());

    let victim = elsewhere.path().join("victim");
    std::fs::write(&victim, "victim").unwrap();
    let path = dir.path().join("out.jsonl");
    let part = dir.path().join("out.jsonl.part");
    std::os::unix::fs::symlink(&victim, &part).unwrap();
    let out = convo(&server, &["export", "-o", path.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{} exists", part.display())),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert!(!path.exists());

    // --force removes the planted link (not its target) and starts afresh.
    let out = convo(
        &server,
        &["export", "-o", path.to_str().unwrap(), "--force"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
    assert_eq!(mode(&path), 0o600);
    assert!(std::fs::symlink_metadata(&part).is_err());
}

/// What a renderer would make of the Markdown, read both with and without
/// footnotes: every raw HTML piece, every link and image destination, every
/// code span, and the text of every code block.
struct Rendered {
    html: Vec<String>,
    links: Vec<String>,
    code: Vec<String>,
    blocks: String,
}

fn render(markdown: &str) -> Rendered {
    let mut seen = Rendered {
        html: Vec::new(),
        links: Vec::new(),
        code: Vec::new(),
        blocks: String::new(),
    };
    let common = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for options in [common, common | Options::ENABLE_FOOTNOTES] {
        let mut in_block = false;
        for event in Parser::new_ext(markdown, options) {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => seen.html.push(h.to_string()),
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    seen.links.push(dest_url.to_string());
                }
                Event::Code(c) => seen.code.push(c.to_string()),
                Event::Start(Tag::CodeBlock(_)) => in_block = true,
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_block = false,
                Event::Text(t) if in_block => seen.blocks.push_str(&t),
                _ => {}
            }
        }
    }
    seen
}

/// A link runs code when, tabs, newlines, spaces and case aside, it starts
/// with one of these schemes.
fn runs_code(dest: &str) -> bool {
    let plain: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| plain.starts_with(scheme))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_transcript_exports_as_inert_markdown() {
    let hostile = [
        "<script>alert(1)</script> and <img src=x onerror=alert(2)>",
        "<div onmouseover=alert(3)>block html</div>",
        "<!-- a comment --> <iframe src=javascript:alert(4)></iframe>",
        "[plain](javascript:alert(5)) [case](JaVaScRiPt:alert(6)) [tab](java\tscript:alert(7))",
        "[entity](&#106;avascript:alert(8)) [hex](&#x6A;avascript&#58;alert(9)) [escaped](javascript\\:alert(10))",
        "[vb](vbscript:msgbox(11)) [data](data:text/html;base64,PHNjcmlwdD4=) ![img](javascript:alert(12))",
        "<javascript:alert(13)> [ref][r] [y [x](javascript:a)](javascript:alert(14))",
        "[r]: javascript:alert(15)",
        "[r2]",
        "[r2]: javascript:alert(16)",
        "keep `<b>inline</b>` as code\n\n```html\n<script>kept()</script>\n```",
        "a fine [link](https://example.com/docs) and <https://example.com>",
    ];
    let messages: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(i, content)| json!({"id": i + 1, "sender": "end_user", "content": content}))
        .collect();
    let record = json!({
        "id": 1,
        "conversation_id": "conv-hostile-md",
        "name": "<img src=x onerror=alert('name')>",
        "customer_id": "[c](javascript:alert('customer'))",
        "started_at": "2026-11-01T10:00:00Z",
        "metadata": {"note": "<script>meta()</script>"},
        "messages": messages,
        "feedbacks": [{"id": 1, "sentiment": "negative", "kind": "conversation",
                       "comment": "<script>feedback()</script>"}],
    });
    let server = common::start_json(&[record]).await;
    let out = convo(
        &server,
        &["show", "conv-hostile-md", "--format", "markdown"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let markdown = String::from_utf8(out.stdout).unwrap();
    let seen = render(&markdown);

    assert!(
        seen.html.is_empty(),
        "raw HTML {:?} in\n{markdown}",
        seen.html
    );
    let dangerous: Vec<&String> = seen.links.iter().filter(|l| runs_code(l)).collect();
    assert!(dangerous.is_empty(), "links {dangerous:?} in\n{markdown}");
    // Code keeps its bytes; what is escaped still reads as it was written.
    assert!(
        seen.code.contains(&"<b>inline</b>".to_owned()),
        "{markdown}"
    );
    assert!(
        seen.blocks.contains("<script>kept()</script>"),
        "{markdown}"
    );
    assert!(
        markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{markdown}"
    );
    // A plain link stays a link.
    assert!(
        seen.links.contains(&"https://example.com/docs".to_owned()),
        "{markdown}"
    );
    server.shutdown().await.unwrap();
}
