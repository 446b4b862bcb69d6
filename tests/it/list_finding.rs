//! Finding a conversation from the list, in the real loop against `convo serve` on 127.0.0.1: `/` (the API's search), `<` `>` `~` (its ordering), `e` (the first failed action), `r` confirmed, auto-refresh (`a`) marking rows new since the last look; and the pure parts of each in `update`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;
use crate::support::driver::{self, Frame, driver, screen_text};
use crate::support::state;

use std::sync::Arc;
use std::time::Duration;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::{Focus, Prompt, State};
use convo::app::update::update;
use convo::app::watch::Watch;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::model::ActionOutcome;
use convo::provider::{Conversation, Provider};
use convo::runtime::{Headless, run_with};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, RunningServer, ServerConfig};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::{Value, json};

/// What a test sees after a frame.
// Each flag is something a frame shows, recorded side by side, not a state machine.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug)]
struct Seen {
    total: Option<u64>,
    listing: bool,
    focus: Focus,
    search: Option<String>,
    ordering: Option<String>,
    rows: Vec<Option<i64>>,
    selected: usize,
    selected_id: Option<i64>,
    open_id: Option<i64>,
    filter_open: bool,
    form_open: bool,
    busy: bool,
    status: Option<String>,
    log: Vec<String>,
    screen: String,
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        Self {
            total: state.list.shown.as_ref().map(|p| p.total),
            listing: state.list.loading.is_some(),
            focus: state.focus,
            search: state.query.text("search").map(str::to_owned),
            ordering: state.query.text("ordering").map(str::to_owned),
            rows: state.list.rows().iter().map(|r| r.id).collect(),
            selected: state.list.selected,
            selected_id: state.list.selected_row().and_then(|r| r.id),
            open_id: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            filter_open: state.filter.is_some(),
            form_open: state.form.is_some(),
            busy: state.busy(),
            status: state.status.as_ref().map(|s| s.text.clone()),
            log: state.log.entries().map(|e| e.text.clone()).collect(),
            screen: screen_text(buffer),
        }
    }

    fn settled(&self) -> bool {
        !self.listing && self.total.is_some()
    }
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

fn provider(server: &RunningServer) -> Arc<dyn Provider> {
    Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    )
}

/// The pks of the first page the server answers for a query string (lean rows, 50 a page).
async fn server_page(server: &RunningServer, query: &str) -> (u64, Vec<Option<i64>>) {
    let (status, body) = common::get(
        server,
        &format!("/api/conversations/?full=false&page_size=50{query}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let count = body["count"].as_u64().unwrap();
    let ids = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64())
        .collect();
    (count, ids)
}

/// A word of a customer's message that some conversations hold and others do not.
fn word_in_some(data: &[Conversation]) -> String {
    let live: Vec<&Conversation> = data.iter().filter(|c| c.is_deleted != Some(true)).collect();
    let holds = |c: &Conversation, word: &str| {
        c.messages()
            .iter()
            .filter_map(|m| m.content.as_deref())
            .any(|t| t.to_lowercase().contains(word))
    };
    live.iter()
        .flat_map(|c| c.messages().iter())
        .filter_map(|m| m.content.as_deref())
        .flat_map(str::split_whitespace)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 6 && w.chars().all(char::is_alphanumeric))
        .find(|w| {
            let n = live.iter().filter(|c| holds(c, w)).count();
            // Not in any name, id or customer: only message content can match it.
            let elsewhere = live.iter().any(|c| {
                c.name
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(w.as_str())
            });
            n >= 2 && n < live.len() / 2 && !elsewhere
        })
        .expect("a word some conversations hold")
}

fn failed_actions(c: &Conversation) -> usize {
    c.messages()
        .iter()
        .flat_map(|m| m.action_logs.as_deref().unwrap_or_default())
        .filter(|log| log.outcome() == ActionOutcome::Failed)
        .count()
}

/// Runs `script` against the real loop on a 120×40 `TestBackend`.
async fn drive<F, Fut>(provider: Arc<dyn Provider>, state: State, script: F) -> State
where
    F: FnOnce(driver::Driver<Seen>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    // Boxed: the loop's future holds the whole state.
    Box::pin(drive_at((120, 40), provider, state, script)).await
}

/// Runs `script` against the real loop on a `TestBackend` of `size`.
async fn drive_at<F, Fut>(
    size: (u16, u16),
    provider: Arc<dyn Provider>,
    state: State,
    script: F,
) -> State
where
    F: FnOnce(driver::Driver<Seen>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(size.0, size.1)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(provider, state, None, events, &mut host, observe);
    let (ran, ()) = tokio::join!(run, script(driver));
    ran.expect("the loop ends cleanly")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_in_the_list_searches_messages_through_the_api_and_esc_clears_it() {
    let data = generate(120, 7);
    let word = word_in_some(&data);
    let server = common::start(data, ServerConfig::default()).await;
    let (everyone, _) = server_page(&server, "").await;
    let (matching, ids) = server_page(&server, &format!("&search={word}")).await;
    assert!(matching > 0 && matching < everyone);
    let provider = provider(&server);
    let state = State::new(state::init("test", provider.info()));
    let typed = word.to_uppercase();
    let end = drive(provider, state, |mut d| async move {
        d.until("the whole list", |s| {
            s.settled() && s.total == Some(everyone)
        })
        .await;
        d.press(KeyCode::Char('/'));
        d.until("the list's search prompt", |s| {
            s.screen.contains("search the list:")
        })
        .await;
        d.type_text(&typed);
        d.press(KeyCode::Enter);
        let found = d
            .until("the rows the API found", |s| {
                s.settled() && s.total == Some(matching)
            })
            .await;
        // The request carried the search: the rows are the server's answer to it.
        assert_eq!(found.search.as_deref(), Some(typed.as_str()));
        assert_eq!(found.rows, ids);
        assert!(
            found
                .screen
                .contains(&format!("search: \"{typed}\" (esc clears)")),
            "{}",
            found.screen
        );
        // `/` again holds the search in force, to edit it.
        d.press(KeyCode::Char('/'));
        d.until("the prompt holding the search", |s| {
            s.screen.contains(&format!("search the list: {typed}"))
        })
        .await;
        d.press(KeyCode::Esc);
        d.until("the prompt gone, the search kept", |s| {
            !s.screen.contains("search the list:") && s.search.is_some()
        })
        .await;
        d.press(KeyCode::Esc);
        let cleared = d
            .until("the whole list again", |s| {
                s.settled() && s.total == Some(everyone) && s.search.is_none()
            })
            .await;
        assert!(!cleared.screen.contains("search:"), "{}", cleared.screen);
        // In the detail pane `/` still searches the conversation.
        d.press(KeyCode::Enter);
        d.until("a conversation open", |s| {
            s.focus == Focus::Detail && s.open_id.is_some()
        })
        .await;
        d.press(KeyCode::Char('/'));
        let inside = d
            .until("the conversation's search prompt", |s| {
                s.screen.lines().last().is_some_and(|l| l.starts_with(" /"))
            })
            .await;
        assert!(!inside.screen.contains("search the list:"));
        d.press(KeyCode::Esc);
        d.press(KeyCode::Char('q'));
        d.press(KeyCode::Char('q'));
    })
    .await;
    assert!(end.quit);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sorting_keys_ask_the_api_for_its_ordering_and_the_filter_line_shows_it() {
    let server = common::start(generate(120, 7), ServerConfig::default()).await;
    let (_, newest) = server_page(&server, "").await;
    let (_, ended_desc) = server_page(&server, "&ordering=-ended_at").await;
    let (_, ended_asc) = server_page(&server, "&ordering=ended_at").await;
    let (_, started_asc) = server_page(&server, "&ordering=started_at").await;
    assert_ne!(ended_desc, ended_asc);
    let provider = provider(&server);
    let state = State::new(state::init("test", provider.info()));
    drive(provider, state, |mut d| async move {
        let first = d.until("the list", Seen::settled).await;
        assert_eq!(first.rows, newest);
        assert!(first.screen.contains("sort: start ↓"), "{}", first.screen);
        d.press(KeyCode::Char('>'));
        let by_end = d
            .until("sorted by end, newest first", |s| {
                s.settled() && s.ordering.as_deref() == Some("-ended_at")
            })
            .await;
        assert_eq!(by_end.rows, ended_desc);
        assert!(by_end.screen.contains("sort: end ↓"), "{}", by_end.screen);
        d.press(KeyCode::Char('~'));
        let reversed = d
            .until("reversed", |s| {
                s.settled() && s.ordering.as_deref() == Some("ended_at")
            })
            .await;
        assert_eq!(reversed.rows, ended_asc);
        assert!(reversed.screen.contains("sort: end ↑"));
        d.press(KeyCode::Char('<'));
        let back = d
            .until("started, oldest first", |s| {
                s.settled() && s.ordering.as_deref() == Some("started_at")
            })
            .await;
        assert_eq!(back.rows, started_asc);
        assert!(back.screen.contains("sort: start ↑"));
        d.press(KeyCode::Char('~'));
        let default = d
            .until("the default again, sent as no ordering", |s| {
                s.settled() && s.ordering.is_none() && s.screen.contains("sort: start ↓")
            })
            .await;
        assert_eq!(default.rows, newest);
        d.press(KeyCode::Char('q'));
    })
    .await;
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_in_the_list_opens_the_selected_conversation_on_its_first_failed_action() {
    let data = generate(120, 7);
    let server = common::start(data.clone(), ServerConfig::default()).await;
    let (_, ids) = server_page(&server, "").await;
    let by_pk = |pk: Option<i64>| data.iter().find(|c| c.id == pk).unwrap();
    let failing = ids
        .iter()
        .position(|pk| failed_actions(by_pk(*pk)) > 0)
        .expect("a conversation with a failed action on page 1");
    let clean = ids
        .iter()
        .position(|pk| {
            let c = by_pk(*pk);
            failed_actions(c) == 0
                && c.messages()
                    .iter()
                    .any(|m| m.action_logs.as_ref().is_some_and(|l| !l.is_empty()))
        })
        .expect("a conversation whose actions all worked on page 1");
    let failures = failed_actions(by_pk(ids[failing]));
    let provider = provider(&server);
    let state = State::new(state::init("test", provider.info()));
    drive(provider, state, |mut d| async move {
        d.until("the list", Seen::settled).await;
        for _ in 0..failing {
            d.press(KeyCode::Char('j'));
        }
        d.press(KeyCode::Char('e'));
        let landed = d
            .until("the first failed action", |s| {
                s.status
                    .as_deref()
                    .is_some_and(|t| t.starts_with("failed action 1/"))
            })
            .await;
        assert_eq!(landed.open_id, ids[failing]);
        assert_eq!(landed.focus, Focus::Detail);
        assert_eq!(
            landed.status.as_deref(),
            Some(format!("failed action 1/{failures}").as_str())
        );
        assert!(landed.screen.contains('✗'), "{}", landed.screen);
        // One whose actions all worked says so.
        d.press(KeyCode::Esc);
        d.press(KeyCode::Char('g'));
        for _ in 0..clean {
            d.press(KeyCode::Char('j'));
        }
        d.press(KeyCode::Char('e'));
        let none = d
            .until("no failed action, said", |s| {
                s.open_id == ids[clean]
                    && s.status.as_deref() == Some("no failed action in this conversation")
            })
            .await;
        assert_eq!(none.focus, Focus::Detail);
        d.press(KeyCode::Char('q'));
        d.press(KeyCode::Char('q'));
    })
    .await;
    server.shutdown().await.unwrap();
}

/// `12:04:31`.
fn ends_in_a_time(text: &str) -> bool {
    let tail: Vec<char> = text.chars().rev().take(8).collect();
    tail.len() == 8
        && tail.iter().enumerate().all(|(i, c)| match i {
            2 | 5 => *c == ':',
            _ => c.is_ascii_digit(),
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r_says_when_the_fresh_answer_lands_and_says_the_failure() {
    let server = common::start(generate(120, 7), ServerConfig::default()).await;
    let (everyone, _) = server_page(&server, "").await;
    let provider = provider(&server);
    let state = State::new(state::init("test", provider.info()));
    let stop = tokio::sync::oneshot::channel::<()>();
    let (stop_tx, stop_rx) = stop;
    let stopper = tokio::spawn(async move {
        if stop_rx.await.is_ok() {
            server.shutdown().await.unwrap();
        }
    });
    drive(provider, state, |mut d| async move {
        d.until("the list", Seen::settled).await;
        d.press(KeyCode::Char('r'));
        let confirmed = d
            .until("the refresh confirmed", |s| {
                s.status
                    .as_deref()
                    .is_some_and(|t| t.starts_with("refreshed · "))
            })
            .await;
        let said = confirmed.status.unwrap();
        assert!(
            said.starts_with(&format!("refreshed · {everyone} conversations · ")),
            "{said}"
        );
        assert!(ends_in_a_time(&said), "{said}");
        // With the server gone, the refresh says it failed, and why.
        stop_tx.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        d.press(KeyCode::Char('r'));
        // The open conversation is fetched again too, and its own failure may
        // be said after: the message log keeps both.
        let failed = d
            .until("the refresh's failure", |s| {
                s.log
                    .iter()
                    .any(|t| t.starts_with("refresh failed: page 1: "))
            })
            .await;
        assert!(failed.settled(), "the rows stay: {}", failed.screen);
        d.press(KeyCode::Char('q'));
    })
    .await;
    stopper.await.unwrap();
}

/// Marks a conversation through the API, as a colleague would.
async fn mark(server: &RunningServer, pk: i64) {
    let (status, body): (u16, Value) = common::send(
        server,
        reqwest::Method::POST,
        &format!("/api/conversations/{pk}/mark/"),
        &json!({"is_marked": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_refresh_marks_new_rows_and_keeps_the_selection_on_the_same_conversation() {
    let data = generate(120, 7);
    let server = common::start(data, ServerConfig::default()).await;
    let (marked, _) = server_page(&server, "&is_marked=true").await;
    assert!(marked >= 3, "the data set has a few marked conversations");
    let (_, newest) = server_page(&server, "&is_marked=false").await;
    // The newest unmarked conversation: once marked it sorts above the oldest marked one.
    let newcomer = newest[0].unwrap();
    let provider = provider(&server);
    let mut state = State::new(state::init("test", provider.info()));
    state.query.set("is_marked", "yes").unwrap();
    state.watch = Watch::new(Duration::from_secs(1));
    let server = Arc::new(server);
    let writer = Arc::clone(&server);
    Box::pin(drive_at((120, 30), provider, state, |mut d| async move {
        d.until("the marked conversations", |s| {
            s.settled() && s.total == Some(marked)
        })
        .await;
        let last = usize::try_from(marked).unwrap() - 1;
        d.press(KeyCode::Char('G'));
        let before = d
            .until("the last row selected", |s| s.selected == last)
            .await;
        let kept = before.selected_id;
        d.press(KeyCode::Char('a'));
        d.until("the header says it watches", |s| {
            s.screen
                .lines()
                .next()
                .is_some_and(|l| l.contains("watch 1s ·"))
        })
        .await;
        // The filter panel open while a refresh lands: it stays as it is.
        d.press(KeyCode::Char('f'));
        d.until("the filter panel", |s| s.filter_open).await;
        mark(&writer, newcomer).await;
        let after = d
            .until("the new row", |s| {
                s.settled() && s.total == Some(marked + 1)
            })
            .await;
        assert!(after.filter_open, "the panel stayed open: {}", after.screen);
        let at = after
            .rows
            .iter()
            .position(|r| *r == Some(newcomer))
            .expect("the new row on the page");
        assert!(at < last, "it sorts above the selection");
        assert_eq!(
            after.selected_id, kept,
            "the selection stays on its conversation"
        );
        assert_eq!(after.selected, last + 1, "which moved down a row");
        d.press(KeyCode::Esc);
        let shown = d.until("the panel closed", |s| !s.filter_open).await;
        // Rows start on screen row 4 (after the header, filter line, border and titles).
        let glyph =
            |screen: &str, row: usize| screen.lines().nth(4 + row).and_then(|l| l.chars().nth(1));
        assert_eq!(glyph(&shown.screen, at), Some('•'), "{}", shown.screen);
        let marked_rows = (0..=last + 1)
            .filter(|r| glyph(&shown.screen, *r) == Some('•'))
            .count();
        assert_eq!(
            marked_rows, 1,
            "only the new row is marked: {}",
            shown.screen
        );
        // Looking at it clears the mark.
        d.press(KeyCode::Char('g'));
        for _ in 0..at {
            d.press(KeyCode::Char('j'));
        }
        d.until("the new row selected", |s| s.selected == at).await;
        d.press(KeyCode::Char('j'));
        let moved_on = d.until("moved on", |s| s.selected == at + 1).await;
        assert_eq!(
            glyph(&moved_on.screen, at),
            Some(' '),
            "{}",
            moved_on.screen
        );
        // Reading a conversation, scrolled, while a refresh lands: the pane stays where it was.
        d.press(KeyCode::Enter);
        let top = d
            .until("the conversation open", |s| {
                s.focus == Focus::Detail && s.open_id == s.selected_id
            })
            .await;
        for _ in 0..3 {
            d.press(KeyCode::Char('j'));
        }
        // The detail pane is the right part of the screen (the list takes 54
        // columns at 120), between the filter line and the status bar.
        let pane = |screen: &str| -> Vec<String> {
            screen
                .lines()
                .skip(2)
                .take(27)
                .map(|l| l.chars().skip(54).collect())
                .collect()
        };
        // A key that does nothing says so: its notice is drawn after the three scrolls.
        d.press(KeyCode::Char('x'));
        let reading = d
            .until("the scrolls done", |s| {
                s.status
                    .as_deref()
                    .is_some_and(|t| t.starts_with("x does nothing"))
            })
            .await;
        assert_ne!(
            pane(&top.screen),
            pane(&reading.screen),
            "j scrolled the pane"
        );
        mark(&writer, newest[1].unwrap()).await;
        let refreshed = d
            .until("the second new row, nothing in flight", |s| {
                s.settled() && s.total == Some(marked + 2) && !s.busy
            })
            .await;
        assert_eq!(refreshed.focus, Focus::Detail);
        assert_eq!(
            pane(&refreshed.screen),
            pane(&reading.screen),
            "the detail pane moved:\nbefore\n{}\nafter\n{}",
            reading.screen,
            refreshed.screen
        );
        // A form open while a refresh lands stays open, its text as typed.
        d.press(KeyCode::Char('R'));
        d.until("the rename form", |s| s.form_open).await;
        d.type_text(" (checked)");
        mark(&writer, newest[2].unwrap()).await;
        let with_form = d
            .until("the third new row", |s| {
                s.settled() && s.total == Some(marked + 3)
            })
            .await;
        assert!(with_form.form_open, "{}", with_form.screen);
        assert!(
            with_form.screen.contains(" (checked)"),
            "{}",
            with_form.screen
        );
        d.press(KeyCode::Esc);
        d.until("the form closed", |s| !s.form_open).await;
        d.press(KeyCode::Esc);
        d.until("back in the list", |s| s.focus == Focus::List)
            .await;
        d.press(KeyCode::Char('a'));
        let off = d
            .until("auto-refresh off", |s| {
                s.status.as_deref() == Some("auto-refresh off")
            })
            .await;
        assert!(
            !off.screen
                .lines()
                .next()
                .unwrap_or_default()
                .contains("watch")
        );
        d.press(KeyCode::Char('q'));
    }))
    .await;
    if let Ok(server) = Arc::try_unwrap(server) {
        server.shutdown().await.unwrap();
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn offline_state() -> State {
    let info = convo::provider::ProviderInfo {
        kind: convo::provider::ProviderKind::AgentSight,
        host: "127.0.0.1".to_owned(),
    };
    State::new(state::init("test", info))
}

#[test]
fn a_stale_or_stopped_watch_timer_refreshes_nothing_and_a_busy_list_waits_a_beat() {
    let mut state = offline_state();
    state.watch = Watch::new(Duration::from_secs(5));
    let cmds = update(&mut state, key(KeyCode::Char('a')));
    let generation = state.watch.generation;
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::After { delay, .. }] if *delay == Duration::from_secs(5)
    ));
    // A timer set by an older watch is dropped.
    let from_an_older_watch = update(
        &mut state,
        Msg::WatchTick {
            generation: generation - 1,
        },
    );
    assert!(from_an_older_watch.is_empty());
    // While a page the user asked for loads, the watch only waits for its next beat.
    state.list.loading = Some(2);
    let busy = update(&mut state, Msg::WatchTick { generation });
    assert!(matches!(busy.as_slice(), [Cmd::After { .. }]), "{busy:?}");
    state.list.loading = None;
    let due = update(&mut state, Msg::WatchTick { generation });
    assert!(
        due.iter()
            .any(|c| matches!(c, Cmd::Fetch(Fetch::List { page: 1, .. }))),
        "{due:?}"
    );
    // Off: the next beat is dropped.
    update(&mut state, key(KeyCode::Char('a')));
    assert!(!state.watch.on);
    let generation = state.watch.generation;
    let after_off = update(&mut state, Msg::WatchTick { generation });
    assert!(after_off.is_empty());
}

#[test]
fn slash_is_the_list_search_in_the_list_and_the_conversation_search_in_the_detail_pane() {
    let mut state = offline_state();
    state.query.set("search", "refund").unwrap();
    update(&mut state, key(KeyCode::Char('/')));
    match &state.prompt {
        Some(Prompt::ListSearch(input)) => assert_eq!(input.value(), "refund"),
        other => panic!("{other:?}"),
    }
    update(&mut state, key(KeyCode::Esc));
    assert!(state.prompt.is_none());
    assert_eq!(
        state.query.text("search"),
        Some("refund"),
        "esc in the prompt keeps it"
    );
    // Enter on an emptied prompt clears the search and asks again.
    update(&mut state, key(KeyCode::Char('/')));
    for _ in 0.."refund".len() {
        update(&mut state, key(KeyCode::Backspace));
    }
    let cmds = update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.query.text("search"), None);
    assert!(
        cmds.iter().any(
            |c| matches!(c, Cmd::Fetch(Fetch::List { query, .. }) if query.text("search").is_none())
        ),
        "{cmds:?}"
    );
    assert_eq!(
        state.status.as_ref().map(|s| s.text.as_str()),
        Some("search cleared")
    );
    // With no search, esc in the list asks nothing.
    assert!(update(&mut state, key(KeyCode::Esc)).is_empty());
}

#[test]
fn chatdash_says_it_cannot_sort_and_e_with_nothing_selected_says_so() {
    let info = convo::provider::ProviderInfo {
        kind: convo::provider::ProviderKind::ChatDash,
        host: "127.0.0.1".to_owned(),
    };
    let mut state = State::new(state::init("test", info));
    let cmds = update(&mut state, key(KeyCode::Char('>')));
    assert!(cmds.is_empty());
    assert_eq!(
        state.status.as_ref().map(|s| s.text.as_str()),
        Some("ChatDash has no sort order: its list comes as the API sends it")
    );
    update(&mut state, key(KeyCode::Char('e')));
    assert_eq!(
        state.status.as_ref().map(|s| s.text.as_str()),
        Some("no conversation selected")
    );
}

#[test]
fn watch_periods_of_zero_or_past_a_day_and_watch_on_a_headless_command_are_refused() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_convo"))
            .args(args)
            .env("CONVO_CONFIG", "/nonexistent/convo-test-config.toml")
            .output()
            .unwrap()
    };
    for (args, says) in [
        (
            &["--demo", "--watch", "0"][..],
            "0 seconds would refresh without pause",
        ),
        (&["--demo", "--watch", "90000"][..], "more than a day"),
        (
            &["--demo", "--watch", "soon"][..],
            "is not a number of seconds",
        ),
        (
            &["--demo", "--watch", "5", "list"][..],
            "--watch is for the browser",
        ),
    ] {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The list searched, sorted and watched, with the first row new since the
/// last look, at the three sizes people use: the filter line says the search
/// and the sort, the header the watch, the new row carries `•`.
#[test]
fn searched_sorted_and_watched_list_at_three_sizes() {
    use crate::support::offline::Offline;
    use convo::view::theme::Theme;
    for (width, height) in [(80, 24), (120, 40), (200, 50)] {
        let offline = Offline::new(40, 25);
        let mono = Theme {
            mono: true,
            light: false,
        };
        let mut state = offline.listed(width, height, mono);
        let press = |state: &mut State, code: KeyCode| {
            let cmds = update(state, key(code));
            offline.settle(state, cmds);
        };
        press(&mut state, KeyCode::Char('/'));
        for c in "refund".chars() {
            press(&mut state, KeyCode::Char(c));
        }
        press(&mut state, KeyCode::Enter);
        press(&mut state, KeyCode::Char('>'));
        // The watch's timer is not run here (offline answers timers at once):
        // its state is set as a refresh that brought the first row would leave it.
        state.watch.on = true;
        state.watch.period = Duration::from_secs(30);
        let keys: Vec<_> = state
            .list
            .texts
            .iter()
            .filter_map(|t| t.key.clone())
            .collect();
        state.watch.forget();
        state.watch.look(keys.iter().skip(1).cloned(), false);
        state.watch.look(keys.iter().cloned(), true);
        press(&mut state, KeyCode::Char('j'));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| convo::ui::render(&state, frame))
            .unwrap();
        let name = format!("list_searched_sorted_watched_{width}x{height}");
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, terminal.backend());
        });
    }
}

#[test]
fn watch_from_the_command_line_sets_its_timer_at_start() {
    let mut state = offline_state();
    state.watch = Watch::new(Duration::from_secs(7));
    state.watch.on = true;
    let cmds = convo::app::update::start(&mut state, None);
    let timer = cmds.iter().find_map(|c| match c {
        Cmd::After { delay, msg } => match **msg {
            Msg::WatchTick { generation } => Some((*delay, generation)),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(
        timer,
        Some((Duration::from_secs(7), state.watch.generation))
    );
    // Off (the default), no timer.
    let mut state = offline_state();
    let cmds = convo::app::update::start(&mut state, None);
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Cmd::After { msg, .. } if matches!(**msg, Msg::WatchTick { .. })))
    );
}
