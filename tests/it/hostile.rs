//! The hostile data set (tests/support/hostile.rs) through the real path: served by the local server from a data file, read back by the providers over HTTP, and drawn — every tab of every conversation, and the whole browser driven by keys — with no control character in any cell; and the limits: a 1 MB message, 50,000 messages, metadata nested 1,000 deep, duplicate ids.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed step should stop the test on the spot

use crate::support::common;
use crate::support::driver;
use crate::support::hostile;
use crate::support::state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use convo::app::state::{Focus, Init, State};
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::chatdash::{ChatDash, ChatDashConfig};
use convo::provider::http::RetryPolicy;
use convo::provider::model::Conversation;
use convo::provider::{ConversationRef, Provider, ProviderKind, Query};
use convo::runtime::{Headless, run_with};
use convo::server::chatdash::{ChatDashSettings, DEMO_AGENT, DEMO_CHATDASH_KEY};
use convo::server::{DEMO_API_KEY, RunningServer, ServerConfig};
use convo::view::detail::{DetailView, Scroll, Tab, Zone};
use convo::view::theme::Theme;
use crossterm::event::KeyCode;
use driver::{Frame as HasScreen, driver, screen_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use serde_json::Value;

/// The two sizes every screen is checked at.
const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

// ---------------------------------------------------------------------------
// Serving and reading back.
// ---------------------------------------------------------------------------

fn no_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 1,
        backoff: Vec::new(),
        max_retry_after: Duration::ZERO,
    }
}

fn agentsight(server: &RunningServer) -> AgentSight {
    let mut config = AgentSightConfig::new(server.base_url(), Some(DEMO_API_KEY.to_owned()));
    config.retry = no_retry();
    config.timeout = Duration::from_secs(120);
    AgentSight::new(config).unwrap()
}

/// Serves JSON lines the way `convo serve --data FILE` does: written to a
/// file, loaded by the server's own loader.
async fn serve_lines(lines: &str) -> RunningServer {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.jsonl");
    std::fs::write(&path, lines).unwrap();
    let conversations = convo::server::data::load_file(&path).unwrap();
    common::start(conversations, ServerConfig::default()).await
}

/// Serves records given as JSON values (through the same loader).
async fn serve(records: &[Value]) -> RunningServer {
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    serve_lines(&lines.join("\n")).await
}

/// Every row of the list (deleted ones included), and each whole.
async fn read_back(provider: &dyn Provider) -> Vec<Arc<Conversation>> {
    let mut query = provider.new_query();
    if query.spec("include_deleted").is_some() {
        query.set("include_deleted", "yes").unwrap();
    }
    let page = provider.list(&query, 1, 100).await.unwrap();
    assert_eq!(
        page.total,
        page.conversations.len() as u64,
        "one page holds all"
    );
    let mut whole = Vec::new();
    for row in &page.conversations {
        let id = ConversationRef::of(row).expect("every served row has an id");
        let conversation = provider
            .conversation(&id)
            .await
            .unwrap_or_else(|e| panic!("conversation {id}: {e}"));
        assert_eq!(conversation.id, row.id, "{id} opened another record");
        whole.push(Arc::new(conversation));
    }
    whole
}

fn by_name<'a>(all: &'a [Arc<Conversation>], name: &str) -> &'a Conversation {
    all.iter()
        .find(|c| c.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no conversation named {name:?}"))
}

#[tokio::test]
async fn every_hostile_record_reads_back_through_the_server_and_the_client() {
    let server = serve_lines(&hostile::wire_lines()).await;
    let provider = agentsight(&server);
    let all = read_back(&provider).await;
    // Nothing lost: the everyday set and the deep one.
    assert_eq!(all.len(), hostile::conversations().len() + 1);

    // Text stays text, byte for byte: neutralising is the screen's job.
    let text = by_name(&all, &hostile::text("name", 1));
    assert_eq!(
        text.customer_id.as_deref(),
        Some(&*hostile::text("customer", 2))
    );
    assert_eq!(text.messages().len(), hostile::PIECES.len());
    for (message, (name, piece)) in text.messages().iter().zip(hostile::PIECES) {
        assert_eq!(
            message.content.as_deref(),
            Some(&*format!("content <{name}> {piece}\nsecond line {piece}"))
        );
    }
    assert_eq!(
        text.feedbacks()[0].comment.as_deref(),
        Some(&*hostile::all_pieces())
    );
    let unknown = hostile::text("unknown-key", 8);
    assert_eq!(
        text.extra.get(&unknown),
        Some(&Value::String(hostile::text("unknown-value", 9)))
    );
    let attachments = provider
        .attachments(&ConversationRef::Pk(text.id.unwrap()))
        .await
        .unwrap();
    assert_eq!(
        attachments.attachment_count,
        Some(i64::try_from(text.attachments().count()).unwrap())
    );

    // Wrong types become text, or nothing, never a failure.
    let wrong = all.iter().find(|c| c.id == Some(2)).unwrap();
    assert_eq!(wrong.conversation_id.as_deref(), Some("12345"));
    assert_eq!(
        wrong.name.as_deref(),
        Some("{\"first\":\"\\u001b]0;obj\\u0007\",\"list\":[1,2]}")
    );
    assert_eq!(wrong.device.as_deref(), Some("true"));
    assert_eq!(wrong.is_marked, Some(true));
    assert_eq!(wrong.is_deleted, None);
    assert!(
        wrong
            .geo_location
            .as_ref()
            .is_some_and(|g| g.city.is_none())
    );
    assert!(wrong.feedbacks.is_none() && wrong.token_usage.is_some());
    let contents: Vec<Option<&str>> = wrong
        .messages()
        .iter()
        .map(|m| m.content.as_deref())
        .collect();
    assert!(contents.contains(&Some("123456789")), "{contents:?}");
    assert!(
        contents.contains(&Some("[\"array\",\"content\",1]")),
        "{contents:?}"
    );

    // Extreme numbers: kept where they fit, dropped where they do not.
    let extreme = all.iter().find(|c| c.id == Some(3)).unwrap();
    let sizes: Vec<Option<i64>> = extreme.messages()[0]
        .attachments
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| a.size_bytes)
        .collect();
    assert_eq!(
        &sizes[..5],
        &[Some(i64::MAX), Some(i64::MIN), None, Some(-1), Some(0)]
    );

    // Odd timestamps: the valid ones parse, the rest keep their text.
    let odd = all.iter().find(|c| c.id == Some(4)).unwrap();
    let stamps: Vec<_> = odd.messages().iter().map(|m| m.timestamp.clone()).collect();
    assert!(stamps[0].as_ref().unwrap().instant().is_some());
    let invalid = stamps[12].as_ref().unwrap();
    assert_eq!(invalid.as_str(), "not a date \x1b]0;ts\x07");
    assert!(invalid.instant().is_none());

    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn hostile_chatdash_records_read_back_through_the_chatdash_provider() {
    let config = ServerConfig {
        chatdash: ChatDashSettings {
            records: Some(Arc::new(hostile::chatdash_records())),
            ..ChatDashSettings::default()
        },
        ..ServerConfig::default()
    };
    let server = common::start(Vec::new(), config).await;
    let mut config = ChatDashConfig::new(
        server.base_url(),
        Some(DEMO_CHATDASH_KEY.to_owned()),
        Some(DEMO_AGENT.to_owned()),
    );
    config.retry = no_retry();
    let provider = ChatDash::new(config).unwrap();
    let all = read_back(&provider).await;
    assert_eq!(all.len(), 2);
    let hostile_one = all
        .iter()
        .find(|c| c.conversation_id.as_deref() == Some("cd-hostile"))
        .unwrap();
    assert_eq!(
        hostile_one.name.as_deref(),
        Some(&*hostile::text("name", 1))
    );
    assert_eq!(hostile_one.messages().len(), hostile::PIECES.len());
    assert_eq!(
        hostile_one.extra.get("summary"),
        Some(&Value::String(hostile::all_pieces()))
    );
    let wrong = all
        .iter()
        .find(|c| c.conversation_id.as_deref() == Some("cd-wrong-types"))
        .unwrap();
    assert_eq!(wrong.name.as_deref(), Some("[\"not\",\"a\",\"name\"]"));
    let contents: Vec<Option<&str>> = wrong
        .messages()
        .iter()
        .map(|m| m.content.as_deref())
        .collect();
    assert!(contents.contains(&Some("42")), "{contents:?}");
    for conversation in &all {
        every_tab_is_clean(
            conversation,
            &format!("ChatDash {}", conversation.display_id()),
        );
    }
    server.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------
// Drawing: no control character in any cell.
// ---------------------------------------------------------------------------

/// Fails naming every cell that holds a character no terminal may receive.
fn assert_clean(buf: &Buffer, what: &str) {
    let mut bad = Vec::new();
    for y in buf.area.top()..buf.area.bottom() {
        for x in buf.area.left()..buf.area.right() {
            let symbol = buf[(x, y)].symbol();
            if symbol.chars().any(hostile::is_forbidden) {
                bad.push(format!("({x},{y}) {symbol:?}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{what}: {} cells hold a control character: {}\n{}",
        bad.len(),
        bad.iter().take(10).cloned().collect::<Vec<_>>().join(", "),
        screen_text(buf)
    );
}

/// The pane as last prepared, drawn on a fresh buffer.
fn draw(view: &DetailView, width: u16, height: u16) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    view.render(area, &mut buf);
    buf
}

/// Where each tab is looked at: the top, two pages down, the bottom, a page up from it.
const POSITIONS: [Scroll; 4] = [
    Scroll::Top,
    Scroll::PageDown,
    Scroll::Bottom,
    Scroll::PageUp,
];

/// Draws every tab at both sizes, wrapped and cut, at the top, the middle and
/// the bottom, and checks every cell; returns the text of every screen drawn.
fn every_tab_is_clean(conversation: &Arc<Conversation>, what: &str) -> String {
    let mut seen = String::new();
    // Each record drawn as either API's view, so every tab (ChatDash's Summary too) sees it.
    for ((width, height), kind) in SIZES.into_iter().flat_map(|size| {
        [
            (size, ProviderKind::AgentSight),
            (size, ProviderKind::ChatDash),
        ]
    }) {
        let mut view = DetailView::new(
            Arc::clone(conversation),
            Zone::Utc,
            Theme {
                mono: false,
                light: false,
            },
        )
        .for_provider(kind);
        let tabs = view.tabs().to_vec();
        for wrap in [true, false] {
            if view.wrap() != wrap {
                view.toggle_wrap();
            }
            for tab in tabs.iter().copied() {
                view.set_tab(tab);
                view.prepare(width, height);
                for position in POSITIONS {
                    view.scroll(position);
                    view.prepare(width, height);
                    let buf = draw(&view, width, height);
                    assert_clean(
                        &buf,
                        &format!("{what}, {tab:?} at {width}x{height}, wrap {wrap}, {position:?}"),
                    );
                    seen.push_str(&screen_text(&buf));
                }
            }
        }
        // A search lays out and highlights matches: still clean.
        view.set_tab(Tab::Messages);
        view.search("␛");
        view.next_match();
        view.prepare(width, height);
        assert_clean(&draw(&view, width, height), &format!("{what}, searching"));
    }
    seen
}

#[tokio::test]
async fn no_cell_of_any_tab_of_any_hostile_conversation_holds_a_control_character() {
    let server = serve_lines(&hostile::wire_lines()).await;
    let provider = agentsight(&server);
    let all = read_back(&provider).await;
    server.shutdown().await.unwrap();
    let mut seen = String::new();
    for conversation in &all {
        seen.push_str(&every_tab_is_clean(
            conversation,
            &conversation.display_id(),
        ));
    }
    // Neutralised, not dropped: the stand-ins are on screen.
    for shown in [
        "␛]0;PWNED-TITLE␇",
        "␛]52;c;UFdORUQ=␇",
        "␛[2J",
        "�gnp.exe",
        "a␡b",
        "�31mcsi8",
    ] {
        assert!(seen.contains(shown), "{shown:?} never shown");
    }
}

// ---------------------------------------------------------------------------
// The whole browser, driven by keys through the real loop.
// ---------------------------------------------------------------------------

/// What the script sees of a frame.
#[derive(Clone, Debug)]
struct Frame {
    focus: Focus,
    listing: bool,
    busy: bool,
    rows: usize,
    selected: Option<i64>,
    open: Option<i64>,
    tab: Option<Tab>,
    screen: String,
}

impl HasScreen for Frame {
    fn screen(&self) -> &str {
        &self.screen
    }
}

/// Opens every row of the list, shows every tab at its top and bottom, and
/// comes back, with every frame's cells checked as they are drawn.
async fn browse_everything(provider: Arc<dyn Provider>, width: u16, height: u16) {
    let state = State::new(Init {
        query: {
            let mut query = provider.new_query();
            query.set("include_deleted", "yes").unwrap();
            query
        },
        theme: Theme {
            mono: false,
            light: false,
        },
        size: (width, height),
        ..state::init("hostile", provider.info())
    });
    let (mut driver, events, frames_tx) = driver::<Frame>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
    };
    let dirty = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = Arc::clone(&dirty);
    let shown = Arc::new(AtomicBool::new(false));
    let standin = Arc::clone(&shown);
    let observe = move |state: &State, buf: &Buffer| {
        if screen_text(buf).contains("␛]0;PWNED-TITLE␇") {
            standin.store(true, Ordering::Relaxed);
        }
        let bad: Vec<String> = (0..buf.area.height)
            .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
            .filter(|&(x, y)| buf[(x, y)].symbol().chars().any(hostile::is_forbidden))
            .map(|(x, y)| format!("({x},{y}) {:?}", buf[(x, y)].symbol()))
            .collect();
        if !bad.is_empty() {
            record
                .lock()
                .unwrap()
                .push(format!("{bad:?}\n{}", screen_text(buf)));
        }
        let _ = frames_tx.send(Frame {
            focus: state.focus,
            listing: state.list.loading.is_some(),
            busy: state.busy(),
            rows: state
                .list
                .shown
                .as_ref()
                .map_or(0, |p| p.conversations.len()),
            selected: state.list.selected_row().and_then(|r| r.id),
            open: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            tab: state.detail.view.as_ref().map(DetailView::tab),
            screen: screen_text(buf),
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
        let first = driver.until("the list", |f| f.rows > 0 && !f.listing).await;
        for row in 0..first.rows {
            let here = driver
                .until("a selected row", |f| {
                    f.focus == Focus::List && f.selected.is_some()
                })
                .await;
            let pk = here.selected;
            driver.press(KeyCode::Enter);
            driver
                .until("the conversation open", |f| {
                    f.focus == Focus::Detail && f.open == pk && !f.busy
                })
                .await;
            let tabs = convo::view::detail::TabSet::AGENTSIGHT;
            for &tab in tabs.tabs() {
                let number = tabs.number(tab).expect("numbered");
                driver.press(KeyCode::Char(char::from(b'0' + number)));
                driver.until("the tab", |f| f.tab == Some(tab)).await;
                driver.press(KeyCode::Char('G'));
                driver.press(KeyCode::PageUp);
                driver.press(KeyCode::Char('g'));
            }
            driver.press(KeyCode::Char('1'));
            driver.press(KeyCode::Esc);
            driver
                .until("back in the list", |f| f.focus == Focus::List)
                .await;
            if row + 1 < first.rows {
                driver.press(KeyCode::Char('j'));
                driver
                    .until("the next row", |f| f.selected.is_some() && f.selected != pk)
                    .await;
            }
        }
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    assert!(
        shown.load(Ordering::Relaxed),
        "the title attack was never shown, neutralised, at {width}x{height}"
    );
    let dirty = dirty.lock().unwrap();
    assert!(
        dirty.is_empty(),
        "{} frames at {width}x{height} held a control character; the first:\n{}",
        dirty.len(),
        dirty[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsing_every_hostile_conversation_draws_no_control_character() {
    let server = serve_lines(&hostile::wire_lines()).await;
    let provider: Arc<dyn Provider> = Arc::new(agentsight(&server));
    for (width, height) in SIZES {
        browse_everything(Arc::clone(&provider), width, height).await;
    }
    server.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------
// Limits.
// ---------------------------------------------------------------------------

/// The text of the current tab drawn at 120×40 after `how`.
fn shown_after(view: &mut DetailView, how: Scroll) -> String {
    view.scroll(how);
    view.prepare(120, 40);
    let buf = draw(view, 120, 40);
    assert_clean(&buf, &format!("{:?} after {how:?}", view.tab()));
    screen_text(&buf)
}

#[tokio::test]
async fn a_one_megabyte_message_opens_and_renders() {
    let record = hostile::big_message(1, 1 << 20);
    let expected = record["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    let server = serve(&[record]).await;
    let all = read_back(&agentsight(&server)).await;
    server.shutdown().await.unwrap();
    let big = &all[0];
    assert_eq!(big.messages()[1].content.as_deref(), Some(&*expected));
    assert!(expected.len() >= 1 << 20);

    let mut view = DetailView::new(
        Arc::clone(big),
        Zone::Utc,
        Theme {
            mono: false,
            light: false,
        },
    );
    view.prepare(120, 40);
    assert!(shown_after(&mut view, Scroll::Top).contains("before"));
    assert!(shown_after(&mut view, Scroll::Bottom).contains("after"));
    let status = view.search("THE END OF THE BIG MESSAGE");
    assert_eq!(status.matches, 1);
    assert!(shown_after(&mut view, Scroll::Down(0)).contains("THE END OF THE BIG MESSAGE"));
    for tab in Tab::ALL {
        view.set_tab(tab);
        shown_after(&mut view, Scroll::Top);
        shown_after(&mut view, Scroll::Bottom);
    }
}

#[tokio::test]
async fn fifty_thousand_messages_open_and_render_top_middle_and_bottom() {
    let count = 50_000;
    let server = serve(&[hostile::long_conversation(1, count)]).await;
    let all = read_back(&agentsight(&server)).await;
    server.shutdown().await.unwrap();
    let long = &all[0];
    assert_eq!(long.messages().len(), count);

    let mut view = DetailView::new(
        Arc::clone(long),
        Zone::Utc,
        Theme {
            mono: false,
            light: false,
        },
    );
    view.prepare(120, 40);
    assert!(shown_after(&mut view, Scroll::Top).contains("message 1:"));
    assert_eq!(view.search(hostile::MIDDLE_MARK).matches, 1);
    assert!(shown_after(&mut view, Scroll::Down(0)).contains(hostile::MIDDLE_MARK));
    view.search("");
    assert!(shown_after(&mut view, Scroll::Bottom).contains(&format!("message {}:", count - 1)));
    // Failed actions are found across the whole transcript.
    let (_, failures) = view.next_failure().unwrap();
    assert_eq!(failures, count / 100);
    for tab in Tab::ALL {
        view.set_tab(tab);
        shown_after(&mut view, Scroll::Top);
        shown_after(&mut view, Scroll::PageDown);
        shown_after(&mut view, Scroll::Bottom);
    }
}

/// The metadata value at `key`, as the client read it.
fn metadata<'a>(conversation: &'a Conversation, key: &str) -> &'a Value {
    &conversation.metadata.as_ref().unwrap()[key]
}

/// How many `level` objects deep a value goes, and what is at the bottom.
fn depth_of(mut value: &Value) -> (usize, &Value) {
    let mut levels = 0;
    while let Some(next) = value.get("level") {
        value = next;
        levels += 1;
    }
    (levels, value)
}

/// The deep record, as read back: nothing beside the deep values lost, the
/// deep values kept as far as the decoder can go and as text beyond, and
/// the Meta and Raw tabs showing it.
fn check_deep(deep: &Arc<Conversation>) {
    assert_eq!(deep.name.as_deref(), Some("deep metadata"));
    assert_eq!(metadata(deep, "visible"), "shallow value");
    let (levels, bottom) = depth_of(metadata(deep, "deep"));
    assert!(levels > 50, "only {levels} levels kept");
    let rest = bottom.as_str().expect("the levels past the limit, as text");
    assert!(rest.starts_with("{\"level\""), "{rest:.60}");
    assert!(
        rest.contains("bottom"),
        "the innermost value is kept in the text"
    );
    assert_eq!(
        deep.messages()[0].content.as_deref(),
        Some("the message beside the deep metadata")
    );
    let log = &deep.messages()[1].action_logs.as_ref().unwrap()[0];
    assert_eq!(log.response.as_deref(), Some("ok"));
    assert!(
        log.tools_used
            .as_ref()
            .is_some_and(|t| t.get("db").is_some())
    );

    let seen = every_tab_is_clean(deep, "deep metadata");
    assert!(
        seen.contains("shallow value"),
        "the Meta tab shows the record"
    );
    let mut view = DetailView::new(
        Arc::clone(deep),
        Zone::Utc,
        Theme {
            mono: true,
            light: false,
        },
    );
    view.set_tab(Tab::Raw);
    for (width, height) in SIZES {
        view.prepare(width, height);
        let found = view.search("bottom");
        assert!(found.matches >= 1, "the Raw tab holds the deepest value");
        view.prepare(width, height);
        let shown = screen_text(&draw(&view, width, height));
        assert!(
            shown.contains("bottom"),
            "the deepest value is on screen:\n{shown}"
        );
    }
    view.set_tab(Tab::Meta);
    view.prepare(120, 40);
    assert!(view.search("shallow value").matches >= 1);
}

#[tokio::test]
async fn metadata_nested_a_thousand_deep_keeps_the_record_from_a_data_file() {
    // The file path: the loader repairs what the decoder refuses.
    let server = serve_lines(&hostile::deep_metadata_json(1, 1_000)).await;
    let all = read_back(&agentsight(&server)).await;
    server.shutdown().await.unwrap();
    assert_eq!(all.len(), 1);
    check_deep(&all[0]);
}

#[tokio::test]
async fn metadata_nested_a_thousand_deep_keeps_the_record_on_the_wire() {
    // The wire path: a server that sends all 1,000 levels.
    let mut deep = Value::String("bottom".to_owned());
    for _ in 0..1_000 {
        let mut level = serde_json::Map::new();
        level.insert("level".to_owned(), deep);
        deep = Value::Object(level);
    }
    let conversation: Conversation = serde_json::from_str(
        r#"{"id": 1, "conversation_id": "conv-deep-wire", "name": "deep metadata",
            "messages": [{"id": 1, "sender": "end_user", "content": "the message beside the deep metadata"},
                         {"id": 2, "sender": "agent", "action_name": "deep_tool",
                          "action_logs": [{"id": 1, "response": "ok", "tools_used": {"db": {}}}]}]}"#,
    )
    .unwrap();
    let conversation = Conversation {
        metadata: Some(serde_json::json!({"visible": "shallow value", "deep": deep})),
        ..conversation
    };
    let server = common::start(vec![conversation], ServerConfig::default()).await;
    let (status, _) = common::get(&server, "/api/conversations/1/").await;
    assert_eq!(status, 200);
    let all = read_back(&agentsight(&server)).await;
    server.shutdown().await.unwrap();
    check_deep(&all[0]);
}

#[tokio::test]
async fn duplicate_ids_do_not_confuse_the_list() {
    let server = serve(&hostile::duplicates(6)).await;
    let provider = agentsight(&server);
    let page = provider.list(&Query::agentsight(), 1, 50).await.unwrap();
    assert_eq!(page.conversations.len(), 3);
    let mut pks: Vec<i64> = page.conversations.iter().map(|c| c.id.unwrap()).collect();
    pks.sort_unstable();
    pks.dedup();
    assert_eq!(pks.len(), 3, "each row gets its own primary key");
    // Each row opens its own record.
    for row in &page.conversations {
        let whole = provider
            .conversation(&ConversationRef::Pk(row.id.unwrap()))
            .await
            .unwrap();
        assert_eq!(whole.name, row.name);
        let n = row.name.as_deref().unwrap().rsplit(' ').next().unwrap();
        assert_eq!(
            whole.messages()[0].content.as_deref(),
            Some(&*format!("I am duplicate {n}"))
        );
    }
    // The shared string id still opens one of them.
    let by_id = provider
        .conversation(&ConversationRef::Id("conv-duplicate".to_owned()))
        .await
        .unwrap();
    assert!(page.conversations.iter().any(|r| r.id == by_id.id));

    // In the browser, moving down and opening shows the row under the cursor.
    let provider: Arc<dyn Provider> = Arc::new(provider);
    let state = State::new(state::init("dup", provider.info()));
    let (mut driver, events, frames_tx) = driver::<Frame>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buf: &Buffer| {
        let _ = frames_tx.send(Frame {
            focus: state.focus,
            listing: state.list.loading.is_some(),
            busy: state.busy(),
            rows: state
                .list
                .shown
                .as_ref()
                .map_or(0, |p| p.conversations.len()),
            selected: state.list.selected_row().and_then(|r| r.id),
            open: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            tab: None,
            screen: screen_text(buf),
        });
    };
    let rows = page.conversations.clone();
    let run = run_with(provider, state, None, events, &mut host, observe);
    let script = async move {
        driver
            .until("the list", |f| f.rows == 3 && !f.listing)
            .await;
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                driver.press(KeyCode::Char('j'));
            }
            driver
                .until("the row selected", |f| {
                    f.selected == row.id && f.focus == Focus::List
                })
                .await;
            driver.press(KeyCode::Enter);
            let open = driver
                .until("the row open", |f| {
                    f.open == row.id && !f.busy && f.focus == Focus::Detail
                })
                .await;
            assert!(
                open.screen.contains(row.name.as_deref().unwrap()),
                "{}",
                open.screen
            );
            driver.press(KeyCode::Esc);
            driver.until("back", |f| f.focus == Focus::List).await;
        }
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.unwrap().quit);
    server.shutdown().await.unwrap();
}

/// Answers every request with `body` as JSON, over plain HTTP/1.1: a server
/// that sends what no well-behaved encoder would.
async fn raw_server(body: &'static str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0_u8; 1];
                while !head.ends_with(b"\r\n\r\n")
                    && stream.read(&mut byte).await.is_ok_and(|n| n == 1)
                {
                    head.push(byte[0]);
                }
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_page_the_decoder_refuses_is_repaired_not_lost() {
    // A lone surrogate, numbers no f64 holds, NaN, a raw ESC byte in a string:
    // each alone would fail the whole page.
    const PAGE: &str = "{\"count\": 2, \"results\": [\
        {\"id\": 1, \"conversation_id\": \"c1\", \"name\": \"half \\ud83d a pair\", \"metadata\": {\"n\": 1e400, \"m\": NaN}},\
        {\"id\": 2, \"conversation_id\": \"c2\", \"name\": \"raw \u{1b}]0;PWNED\u{7} bytes\", \"customer_id\": -1e999}]}";
    let endpoint = raw_server(PAGE).await;
    let mut config = AgentSightConfig::new(endpoint, Some(DEMO_API_KEY.to_owned()));
    config.retry = no_retry();
    let provider = AgentSight::new(config).unwrap();
    let page = provider.list(&Query::agentsight(), 1, 10).await.unwrap();
    assert_eq!(page.total, 2);
    let rows = &page.conversations;
    assert_eq!(rows[0].name.as_deref(), Some("half \u{fffd} a pair"));
    assert_eq!(
        rows[0].metadata,
        Some(serde_json::json!({"n": "1e400", "m": "NaN"}))
    );
    assert_eq!(
        rows[1].name.as_deref(),
        Some("raw \u{1b}]0;PWNED\u{7} bytes")
    );
    assert_eq!(rows[1].customer_id.as_deref(), Some("-1e999"));
    // Drawn, the raw bytes are as inert as escaped ones.
    every_tab_is_clean(&Arc::new(rows[1].clone()), "a repaired row");
}
