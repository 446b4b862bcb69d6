//! Attachments through the real loop against a local server whose links expire in a second: preview a photo (the expired link refreshed once, and said), save it into the configured directory, then every bad file of the fixture conversation, each one clear line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use convo::app::attachments::Body;
use convo::app::state::{Focus, State};
use convo::provider::Provider;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::runtime::{Headless, Runtime};
use convo::server::files::fixtures::{self, Fixture};
use convo::server::{DEMO_API_KEY, ServerConfig, data};
use convo::view::detail::Tab;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::support::common;
use crate::support::driver::{self, Frame, screen_text};
use crate::support::state;

/// What a frame shows of the attachments.
#[derive(Clone, Debug)]
struct Seen {
    open: Option<i64>,
    tab: Option<Tab>,
    focus: Focus,
    /// The preview's body, named.
    preview: Option<&'static str>,
    saving: bool,
    status: Option<String>,
    log: Vec<String>,
    screen: String,
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        let view = state.detail.view.as_ref();
        Self {
            open: view.and_then(|v| v.conversation().id),
            tab: view.map(convo::view::detail::DetailView::tab),
            focus: state.focus,
            preview: state.attachments.preview.as_ref().map(|p| match &p.body {
                Body::Loading { .. } => "loading",
                Body::Text(_) => "text",
                Body::Picture { drawn: Some(_), .. } => "picture",
                Body::Picture { drawn: None, .. } => "decoded",
                Body::Facts(_) => "facts",
                Body::Failed(_) => "failed",
            }),
            saving: state.attachments.transfer.is_some(),
            status: state.status.as_ref().map(|s| s.text.clone()),
            log: state.log.entries().map(|e| e.text.clone()).collect(),
            screen: screen_text(buffer),
        }
    }
}

/// The pk of a demo conversation whose first file is a picture.
async fn with_a_photo(server: &convo::server::RunningServer) -> (i64, String) {
    let (_, list) = common::get(server, "/api/conversations/?page_size=100&full=true").await;
    list["results"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| {
            let first = c["messages"]
                .as_array()?
                .iter()
                .flat_map(|m| m["attachments"].as_array().cloned().unwrap_or_default())
                .next()?;
            first["mime_type"].as_str()?.starts_with("image/").then(|| {
                (
                    c["id"].as_i64().unwrap(),
                    first["filename"].as_str().unwrap().to_owned(),
                )
            })
        })
        .expect("the demo has a conversation whose first file is a photo")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_save_and_an_expired_link_refreshed_then_every_bad_file() {
    let server = common::start(
        data::bundled_demo().unwrap(),
        ServerConfig {
            bad_files: true,
            file_url_ttl: Duration::from_secs(1),
            ..ServerConfig::default()
        },
    )
    .await;
    let (pk, photo) = with_a_photo(&server).await;
    let save_dir = tempfile::tempdir().unwrap();
    let saves = save_dir.path().join("cases");
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = State::new(state::init("test", provider.info()));
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = Runtime::new().with_save_dir(saves.clone()).run(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let saved_to = saves.clone();
    let script = async move {
        driver.press(KeyCode::Char(':'));
        driver.type_text(&pk.to_string());
        driver.press(KeyCode::Enter);
        driver
            .until("the conversation with a photo", |s| {
                s.open == Some(pk) && s.focus == Focus::Detail
            })
            .await;
        driver.press(KeyCode::Char('4'));
        driver
            .until("the Attachments tab", |s| s.tab == Some(Tab::Attachments))
            .await;
        // The links the conversation came with are dead a second later.
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        driver.press(KeyCode::Enter);
        let drawn = driver
            .until("the photo drawn", |s| s.preview == Some("picture"))
            .await;
        assert!(
            drawn.screen.contains("drawn with half-blocks"),
            "{}",
            drawn.screen
        );
        assert!(
            drawn.log.iter().any(
                |l| l == "the link expired or was revoked: fetched a fresh one and tried again"
            ),
            "{:?}",
            drawn.log
        );
        // Saved from the preview, into the configured directory, said whole.
        driver.press(KeyCode::Char('s'));
        let photo_saved = driver
            .until("the photo saved", |s| {
                !s.saving && s.status.as_deref().is_some_and(|t| t.starts_with("saved "))
            })
            .await;
        let said = photo_saved.status.unwrap();
        let base = photo.rsplit('/').next().unwrap();
        assert!(
            said.contains(&saved_to.join(base).display().to_string()),
            "{said}"
        );
        driver.press(KeyCode::Esc);
        driver
            .until("the preview closed", |s| s.preview.is_none())
            .await;

        // The bad files, one message each, in fixture order.
        driver.press(KeyCode::Char(':'));
        driver.type_text(&fixtures::CONVERSATION_PK.to_string());
        driver.press(KeyCode::Enter);
        driver
            .until("the bad files", |s| {
                s.open == Some(fixtures::CONVERSATION_PK)
            })
            .await;
        driver.press(KeyCode::Char('4'));
        let mut said = Vec::new();
        for (at, fixture) in Fixture::ALL.iter().enumerate() {
            if at > 0 {
                driver.press(KeyCode::Char('j'));
            }
            let key = match fixture {
                // Names that climb or are absolute are saved, to their base name.
                Fixture::ClimbingName | Fixture::AbsoluteName => 's',
                _ => '\n',
            };
            if key == 's' {
                driver.press(KeyCode::Char('s'));
                let done = driver
                    .until("a saved fixture", |s| {
                        !s.saving && s.status.as_deref().is_some_and(|t| t.starts_with("saved "))
                    })
                    .await;
                said.push((*fixture, done.status.unwrap()));
                continue;
            }
            driver.press(KeyCode::Enter);
            let done = driver
                .until("the fixture's preview settled", |s| {
                    matches!(s.preview, Some("text" | "facts" | "failed" | "picture"))
                })
                .await;
            let shown = done.screen.lines().nth(4).unwrap_or_default().to_owned();
            said.push((*fixture, shown));
            driver.press(KeyCode::Esc);
            driver.until("closed", |s| s.preview.is_none()).await;
        }
        driver.press(KeyCode::Char('q'));
        driver.press(KeyCode::Char('q'));
        said
    };
    let (ran, said) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    let line = |f: Fixture| {
        said.iter()
            .find(|(g, _)| *g == f)
            .map(|(_, s)| s.clone())
            .unwrap()
    };
    assert!(
        line(Fixture::LargerThanAnnounced).contains("larger than the 1024 bytes announced"),
        "{said:?}"
    );
    assert!(
        line(Fixture::LyingType)
            .contains("announced as image/png, but the bytes are HTML: shown as text"),
        "{said:?}"
    );
    assert!(
        line(Fixture::Empty).contains("the file is empty (0 bytes)"),
        "{said:?}"
    );
    assert!(
        line(Fixture::HugeImage).contains("an image of 20000 × 20000 pixels: too large"),
        "{said:?}"
    );
    assert!(
        line(Fixture::BinaryText).contains("binary, not shown as text"),
        "{said:?}"
    );
    // A PDF is described from its metadata, on whatever host its link names.
    assert!(
        line(Fixture::OtherHost).contains("a PDF document is not drawn"),
        "{said:?}"
    );
    assert!(
        line(Fixture::RedirectLoop).contains("a PDF document is not drawn"),
        "{said:?}"
    );
    for f in [Fixture::ClimbingName, Fixture::AbsoluteName] {
        let said = line(f);
        assert!(said.contains(&saves.display().to_string()), "{said}");
    }
    // Nothing was written outside the save directory.
    let mut names: Vec<String> = std::fs::read_dir(&saves)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.contains(&"x.txt".to_owned()) && names.contains(&"x".to_owned()),
        "{names:?}"
    );
    assert!(!save_dir.path().join("x.txt").exists());
    server.shutdown().await.unwrap();
}
