//! The Tickets and Feedback screens through the real loop against `convo serve` on 127.0.0.1: switching, filters, a ticket's thread, comments and status changes read back through the provider, opening a conversation, promoting feedback to a ticket; a late page reply dropped; `ChatDash` saying it has neither.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;
use crate::support::driver;
use crate::support::state;
use crate::support::tmux;

use std::sync::Arc;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::screens::{Rows, Screen, ScreenFetch, ScreenMsg};
use convo::app::state::{Focus, State};
use convo::app::update::update;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::chatdash::{ChatDash, ChatDashConfig};
use convo::provider::model::{Listing, Ticket};
use convo::provider::{Plane, Provider, ProviderInfo, ProviderKind, Query};
use convo::runtime::{Headless, run_with};
use convo::server::chatdash::{DEMO_AGENT, DEMO_CHATDASH_KEY};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, RunningServer, ServerConfig};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use driver::{Frame, driver, screen_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// What the test can see after a frame.
#[derive(Clone, Debug)]
#[allow(clippy::struct_excessive_bools)] // a frame's facts are yes-or-no: open, busy, shown
struct Seen {
    screen_shown: Screen,
    busy: bool,
    focus: Focus,
    filter_open: bool,
    picker_open: bool,
    form_open: bool,
    tickets: Option<u64>,
    tickets_summary: String,
    ticket_rows: Vec<(Option<i64>, Option<String>)>,
    selected_ticket: Option<Ticket>,
    thread: Option<(i64, bool, usize)>,
    feedback: Option<u64>,
    feedback_summary: String,
    feedback_rows: Vec<(Option<i64>, Option<String>, Option<i64>)>,
    open_id: Option<i64>,
    cursor_message: Option<i64>,
    selected_vote: Option<i64>,
    unsupported: Option<String>,
    status: Option<String>,
    size: (u16, u16),
    screen: String,
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        let tickets = &state.screens.tickets;
        let feedback = &state.screens.feedback;
        Self {
            screen_shown: state.screen,
            busy: state.busy(),
            focus: state.focus,
            filter_open: state.filter.is_some(),
            picker_open: state.picker.is_some(),
            form_open: state.form.is_some(),
            tickets: tickets
                .shown
                .as_ref()
                .filter(|_| tickets.loading.is_none())
                .map(|l| l.total),
            tickets_summary: tickets
                .query
                .as_ref()
                .map(Query::summary)
                .unwrap_or_default(),
            ticket_rows: tickets
                .rows()
                .iter()
                .map(|t| (t.id, t.status.clone()))
                .collect(),
            selected_ticket: tickets.selected_row().cloned(),
            thread: state
                .screens
                .thread
                .as_ref()
                .map(|t| (t.id, t.loading, t.ticket.comments().len())),
            feedback: feedback
                .shown
                .as_ref()
                .filter(|_| feedback.loading.is_none())
                .map(|l| l.total),
            feedback_summary: feedback
                .query
                .as_ref()
                .map(Query::summary)
                .unwrap_or_default(),
            feedback_rows: feedback
                .rows()
                .iter()
                .map(|f| (f.id, f.sentiment.clone(), f.conversation))
                .collect(),
            open_id: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            selected_vote: feedback.selected_row().and_then(|f| f.message),
            cursor_message: state
                .detail
                .view
                .as_ref()
                .filter(|v| v.tab() == convo::view::detail::Tab::Messages)
                .and_then(|v| v.message_cursor())
                .and_then(|(_, m)| m.id),
            unsupported: tickets
                .unsupported
                .clone()
                .or_else(|| feedback.unsupported.clone()),
            status: state.status.as_ref().map(|s| s.text.clone()),
            size: state.size,
            screen: drawn_at_size(state, buffer),
        }
    }
}

/// The frame as drawn, or, after a resize the test backend does not follow,
/// the same state drawn at the size the loop was told.
fn drawn_at_size(state: &State, buffer: &Buffer) -> String {
    if (buffer.area.width, buffer.area.height) == state.size {
        return screen_text(buffer);
    }
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    let frame = terminal
        .draw(|frame| convo::ui::render(state, frame))
        .unwrap();
    screen_text(frame.buffer)
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

/// The browser's first state, its header naming a fixed host (the port changes from run to run).
fn initial_state(kind: ProviderKind) -> State {
    State::new(state::init(
        "test",
        ProviderInfo {
            kind,
            host: "127.0.0.1:8787".to_owned(),
        },
    ))
}

fn agentsight(server: &RunningServer) -> Arc<dyn Provider> {
    Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    )
}

macro_rules! snap {
    ($name:expr, $seen:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $seen.screen);
        });
    };
}

/// Presses `j` until the filter panel's cursor is on the row labelled `label`.
fn rows_down_to(panel: &Seen, label: &str) -> usize {
    panel
        .screen
        .lines()
        .skip(3)
        .position(|l| l.contains(&format!(" {label} ")))
        .unwrap_or_else(|| panic!("a {label} row in\n{}", panel.screen))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_filter_thread_comment_status_and_conversation() {
    let data = generate(120, 7);
    let server = common::start(data, ServerConfig::default()).await;
    let provider = agentsight(&server);
    let mut open_query = provider.plane_query(Plane::Tickets).unwrap();
    open_query.set("status", "open").unwrap();
    let open_total = provider.tickets(&open_query, 1, 50).await.unwrap().total;
    let all_total = provider
        .tickets(&provider.plane_query(Plane::Tickets).unwrap(), 1, 50)
        .await
        .unwrap()
        .total;
    assert!(
        open_total > 0 && open_total < all_total,
        "the data set must make the status filter matter"
    );

    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        initial_state(ProviderKind::AgentSight),
        None,
        events,
        &mut host,
        observe,
    );
    let provider_in_script = Arc::clone(&provider);
    let script = async move {
        let provider = provider_in_script;
        driver
            .until("the conversation list", |s| {
                !s.busy && s.screen.contains("conversations · page 1/")
            })
            .await;
        driver.press(KeyCode::Char('I'));
        let tickets = driver
            .until("the tickets screen, loaded", |s| {
                s.screen_shown == Screen::Tickets && s.tickets == Some(all_total) && !s.busy
            })
            .await;
        assert!(tickets.screen.contains("[I Tickets]"), "{}", tickets.screen);
        assert!(tickets.screen.contains(" status "), "{}", tickets.screen);
        snap!("screens_tickets_120", tickets);
        driver.send(Event::Resize(80, 24));
        let small = driver
            .until("the tickets at 80x24", |s| s.size == (80, 24) && !s.busy)
            .await;
        snap!("screens_tickets_80", small);
        driver.send(Event::Resize(120, 40));
        driver
            .until("back at 120x40", |s| s.size == (120, 40))
            .await;

        // Filter by status through the panel.
        driver.press(KeyCode::Char('f'));
        let panel = driver.until("the ticket filters", |s| s.filter_open).await;
        for _ in 0..rows_down_to(&panel, "status") {
            driver.press(KeyCode::Char('j'));
        }
        driver.press(KeyCode::Enter);
        driver.type_text("open");
        driver.press(KeyCode::Enter);
        let filtered = driver
            .until("the open tickets", |s| {
                !s.filter_open && s.tickets == Some(open_total) && !s.busy
            })
            .await;
        assert_eq!(filtered.tickets_summary, "status=open");
        assert!(
            filtered
                .ticket_rows
                .iter()
                .all(|(_, status)| status.as_deref() == Some("open")),
            "{:?}",
            filtered.ticket_rows
        );
        assert!(
            filtered.screen.contains("filters: status=open"),
            "{}",
            filtered.screen
        );

        // Each screen keeps its own: away to the conversations and back.
        driver.press(KeyCode::Char('C'));
        let list = driver
            .until("the conversations again", |s| {
                s.screen_shown == Screen::Conversations
            })
            .await;
        assert!(list.screen.contains("[C Conversations]"), "{}", list.screen);
        assert!(!list.screen.contains("status=open"), "{}", list.screen);
        driver.press(KeyCode::Char('I'));
        let back = driver
            .until("the tickets, as left", |s| {
                s.screen_shown == Screen::Tickets
            })
            .await;
        assert_eq!(back.tickets_summary, "status=open");

        // Open the first one's thread.
        let ticket = back.selected_ticket.clone().expect("a ticket selected");
        let id = ticket.id.unwrap();
        driver.press(KeyCode::Enter);
        let thread = driver
            .until("the thread", |s| {
                s.thread.is_some_and(|(t, loading, _)| t == id && !loading) && !s.busy
            })
            .await;
        let title = ticket.title.clone().unwrap();
        assert!(
            thread.screen.contains(&format!("#{id} ")),
            "{}",
            thread.screen
        );
        assert!(
            thread.screen.contains(&title[..title.len().min(20)]),
            "{}",
            thread.screen
        );
        assert!(thread.screen.contains("status open"), "{}", thread.screen);
        snap!("screens_thread_120", thread);
        driver.send(Event::Resize(80, 24));
        let small = driver
            .until("the thread at 80x24", |s| s.size == (80, 24) && !s.busy)
            .await;
        snap!("screens_thread_80", small);
        driver.send(Event::Resize(120, 40));
        driver
            .until("back at 120x40", |s| s.size == (120, 40))
            .await;

        // A comment, read back through the provider and shown in the thread.
        let before = thread.thread.map_or(0, |(_, _, n)| n);
        driver.press(KeyCode::Char('c'));
        driver.type_text("Reproduced on staging");
        driver.press(KeyCode::Enter);
        let commented = driver
            .until("the thread with the comment", |s| {
                s.thread
                    .is_some_and(|(_, loading, n)| n == before + 1 && !loading)
                    && !s.busy
            })
            .await;
        assert!(
            commented.screen.contains("Reproduced on staging"),
            "{}",
            commented.screen
        );
        let stored = provider.ticket(id).await.unwrap();
        assert_eq!(
            stored.comments().last().and_then(|c| c.body.as_deref()),
            Some("Reproduced on staging")
        );

        // The status through the picker: in_progress.
        driver.press(KeyCode::Char('S'));
        let picker = driver.until("the status picker", |s| s.picker_open).await;
        assert!(picker.screen.contains("ticket status"), "{}", picker.screen);
        let at = convo::provider::query::TICKET_STATUSES
            .iter()
            .position(|s| *s == "in_progress")
            .unwrap();
        driver.press(KeyCode::Char(char::from(b'1' + u8::try_from(at).unwrap())));
        let changed = driver
            .until("the thread in progress", |s| {
                !s.picker_open && !s.busy && s.screen.contains("status in_progress")
            })
            .await;
        assert!(!changed.picker_open);
        assert_eq!(
            provider.ticket(id).await.unwrap().status.as_deref(),
            Some("in_progress")
        );
        // The list (filtered on open) no longer has it once refreshed.
        assert!(
            changed.ticket_rows.iter().all(|(t, _)| *t != Some(id)),
            "{:?}",
            changed.ticket_rows
        );

        // Open its conversation in the conversations screen's detail pane.
        let pk = ticket.conversation.as_ref().and_then(|c| c.id);
        driver.press(KeyCode::Char('O'));
        if let Some(pk) = pk {
            let opened = driver
                .until("its conversation", |s| {
                    s.screen_shown == Screen::Conversations
                        && s.focus == Focus::Detail
                        && s.open_id == Some(pk)
                        && !s.busy
                })
                .await;
            assert!(opened.screen.contains("[C Conversations]"));
        }
        driver.press(KeyCode::Char('q'));
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_filter_by_sentiment_and_open_a_conversation() {
    let data = generate(120, 7);
    let server = common::start(data, ServerConfig::default()).await;
    let provider = agentsight(&server);
    let mut negative = provider.plane_query(Plane::Feedbacks).unwrap();
    negative.set("sentiment", "negative").unwrap();
    let negative_total = provider.feedbacks(&negative, 1, 50).await.unwrap().total;
    assert!(negative_total > 0, "the data set has negative feedback");

    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        initial_state(ProviderKind::AgentSight),
        None,
        events,
        &mut host,
        observe,
    );
    let provider_in_script = Arc::clone(&provider);
    let script = async move {
        driver
            .until("the conversation list", |s| {
                !s.busy && s.screen.contains("conversations · page 1/")
            })
            .await;
        driver.press(KeyCode::Char('B'));
        let shown = driver
            .until("the feedback screen, loaded", |s| {
                s.screen_shown == Screen::Feedback && s.feedback.is_some() && !s.busy
            })
            .await;
        assert!(shown.screen.contains("[B Feedback]"), "{}", shown.screen);
        snap!("screens_feedback_120", shown);
        driver.send(Event::Resize(80, 24));
        let small = driver
            .until("the feedback at 80x24", |s| s.size == (80, 24) && !s.busy)
            .await;
        snap!("screens_feedback_80", small);
        driver.send(Event::Resize(120, 40));
        driver
            .until("back at 120x40", |s| s.size == (120, 40))
            .await;

        // Sentiment is a choice: l cycles any → positive → neutral → negative.
        driver.press(KeyCode::Char('f'));
        let panel = driver
            .until("the feedback filters", |s| s.filter_open)
            .await;
        for _ in 0..rows_down_to(&panel, "sentiment") {
            driver.press(KeyCode::Char('j'));
        }
        for _ in 0..3 {
            driver.press(KeyCode::Char('l'));
        }
        driver.press(KeyCode::Enter);
        let filtered = driver
            .until("the negative feedback", |s| {
                !s.filter_open && s.feedback == Some(negative_total) && !s.busy
            })
            .await;
        assert_eq!(filtered.feedback_summary, "sentiment=negative");
        assert!(
            filtered
                .feedback_rows
                .iter()
                .all(|(_, s, _)| s.as_deref() == Some("negative")),
            "{:?}",
            filtered.feedback_rows
        );
        // The word beside the glyph: the sentiment reads without colour.
        assert!(
            filtered.screen.contains("☹ negative"),
            "{}",
            filtered.screen
        );

        // Enter opens the row's conversation.
        let pk = filtered.feedback_rows[0]
            .2
            .expect("feedback about a conversation");
        driver.press(KeyCode::Enter);
        driver
            .until("the feedback's conversation", |s| {
                s.screen_shown == Screen::Conversations && s.open_id == Some(pk) && !s.busy
            })
            .await;
        // Back on the feedback screen, the filter is still there.
        driver.press(KeyCode::Char('B'));
        let back = driver
            .until("the feedback, as left", |s| {
                s.screen_shown == Screen::Feedback
            })
            .await;
        assert_eq!(back.feedback_summary, "sentiment=negative");

        // T promotes the selected feedback: the ticket form, prefilled, then sent.
        let fid = back.feedback_rows[0].0.unwrap();
        driver.press(KeyCode::Char('T'));
        let form = driver.until("the ticket form", |s| s.form_open).await;
        assert!(form.screen.contains(&format!("#{fid}")), "{}", form.screen);
        driver.press(KeyCode::Enter);
        driver
            .until("the ticket filed", |s| {
                !s.form_open && !s.busy && s.status.as_deref().is_some_and(|t| t.contains("filed"))
            })
            .await;
        let promoted = provider_in_script.feedback(fid).await.unwrap();
        let ticket = promoted.ticket.expect("the feedback now has its ticket");
        assert_eq!(ticket.feedback.and_then(|f| f.id), Some(fid));

        // A vote opens on the Messages tab with the cursor on its message.
        driver.press(KeyCode::Char('f'));
        let panel = driver
            .until("the feedback filters again", |s| s.filter_open)
            .await;
        for _ in 0..rows_down_to(&panel, "kind") {
            driver.press(KeyCode::Char('j'));
        }
        driver.press(KeyCode::Char('h'));
        driver.press(KeyCode::Enter);
        let votes = driver
            .until("the message votes", |s| {
                !s.filter_open
                    && s.feedback_summary.contains("kind=message")
                    && s.feedback.is_some()
            })
            .await;
        let (_, _, conversation) = votes.feedback_rows[0];
        let message = votes.selected_vote.expect("a vote names its message");
        driver.press(KeyCode::Enter);
        let opened = driver
            .until("the voted message under the cursor", |s| {
                s.screen_shown == Screen::Conversations
                    && s.open_id == conversation
                    && s.cursor_message.is_some()
                    && !s.busy
            })
            .await;
        assert_eq!(opened.cursor_message, Some(message));
        driver.press(KeyCode::Char('q'));
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatdash_says_it_has_no_tickets_or_feedback() {
    let server = common::start(Vec::new(), ServerConfig::default()).await;
    let provider: Arc<dyn Provider> = Arc::new(
        ChatDash::new(ChatDashConfig::new(
            server.base_url(),
            Some(DEMO_CHATDASH_KEY.to_owned()),
            Some(DEMO_AGENT.to_owned()),
        ))
        .unwrap(),
    );
    assert!(provider.plane_query(Plane::Tickets).is_none());
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let mut state = initial_state(ProviderKind::ChatDash);
    state.size = (80, 24);
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver.until("the list", |s| !s.busy).await;
        driver.press(KeyCode::Char('I'));
        let tickets = driver
            .until("the tickets screen saying so", |s| {
                s.unsupported.is_some() && !s.busy
            })
            .await;
        assert!(
            tickets.screen.contains("ChatDash has no tickets"),
            "{}",
            tickets.screen
        );
        driver.press(KeyCode::Char('B'));
        let feedback = driver
            .until("the feedback screen saying so", |s| {
                s.screen_shown == Screen::Feedback && s.screen.contains("ChatDash has no feedback")
            })
            .await;
        assert!(
            feedback.status.is_none(),
            "not an error: {:?}",
            feedback.status
        );
        // q steps back to the conversations first, then quits.
        driver.press(KeyCode::Char('q'));
        driver
            .until("the conversations", |s| {
                s.screen_shown == Screen::Conversations
            })
            .await;
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

fn press(state: &mut State, c: char) -> Vec<Cmd> {
    update(
        state,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

/// The generation and page of the screen page fetch among `cmds`.
fn page_fetch(cmds: &[Cmd]) -> (u64, u32) {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Fetch(Fetch::Screen(ScreenFetch::Page {
                generation, page, ..
            })) => Some((*generation, *page)),
            _ => None,
        })
        .expect("a page fetch")
}

fn tickets_page(page: u32, title: &str) -> Rows {
    let ticket: Ticket =
        serde_json::from_value(serde_json::json!({"id": page, "title": title, "status": "open"}))
            .unwrap();
    Rows::Tickets(Listing {
        items: vec![ticket],
        total: 3,
        page,
        page_size: 1,
        total_pages: 3,
        counts: None,
    })
}

#[test]
fn a_late_page_reply_is_dropped() {
    let mut state = initial_state(ProviderKind::AgentSight);
    let loaded = |generation, page, title: &str| {
        Msg::Screen(ScreenMsg::Loaded {
            generation,
            query: Query::for_plane(Plane::Tickets),
            rows: tickets_page(page, title),
        })
    };
    let (first, _) = page_fetch(&press(&mut state, 'I'));
    update(&mut state, loaded(first, 1, "first"));
    assert_eq!(state.screens.tickets.page_number(), 1);
    // `]` asks for page 2; before it lands, `r` asks for page 1 again.
    let (to_two, page) = page_fetch(&press(&mut state, ']'));
    assert_eq!(page, 2);
    let (refresh, page) = page_fetch(&press(&mut state, 'r'));
    assert_eq!(page, 1, "r asks for the page on screen");
    assert!(refresh > to_two);
    // Page 2's reply arrives late: dropped, page 1 stays.
    let cmds = update(&mut state, loaded(to_two, 2, "late"));
    assert!(cmds.is_empty());
    assert_eq!(state.screens.tickets.page_number(), 1);
    assert_eq!(
        state.screens.tickets.loading,
        Some(1),
        "the refresh is still awaited"
    );
    update(&mut state, loaded(refresh, 1, "fresh"));
    let titles: Vec<_> = state
        .screens
        .tickets
        .rows()
        .iter()
        .map(|t| t.title.clone())
        .collect();
    assert_eq!(titles, vec![Some("fresh".to_owned())]);
    assert!(!state.busy());
    // A failure for an old request is dropped too: no error shown.
    update(
        &mut state,
        Msg::Screen(ScreenMsg::Failed {
            screen: Screen::Tickets,
            generation: to_two,
            page: 2,
            error: convo::provider::Error::InvalidInput("late".to_owned()),
        }),
    );
    assert!(state.status.is_none());
    assert!(!state.screens.tickets.failed);
}

/// `convo --demo` in a real terminal (tmux, 120×40): the screens by their
/// keys, a ticket's thread with a comment added, the feedback screen, and
/// back to the conversations, then a clean quit.
#[test]
fn convo_demo_switches_screens_in_tmux() {
    if !tmux::available("convo_demo_switches_screens_in_tmux") {
        return;
    }
    let script = format!(
        "{} --log-file \"$E2E/convo.log\"\necho $? > status\nstty -a > stty.after\necho 'e2e: after'",
        tmux::convo("--demo")
    );
    let pane = tmux::Pane::start(&script);
    pane.wait_while_running("enter open");
    pane.keys(&["I"]);
    pane.wait_until("the tickets screen", |p| {
        let screen = p.screen();
        screen.contains("[I Tickets]") && screen.contains(" tickets · page 1/")
    });
    pane.keys(&["Enter"]);
    pane.wait_until("a thread", |p| {
        let screen = p.screen();
        screen.contains("┌ ticket #") && !screen.contains("loading")
    });
    pane.keys(&["c"]);
    pane.wait_for_text("comment on #");
    pane.type_text("Seen in tmux");
    pane.keys(&["Enter"]);
    pane.wait_until("the comment in the thread", |p| {
        p.screen().contains("Seen in tmux")
    });
    pane.keys(&["Escape"]);
    pane.wait_for_text("enter thread");
    pane.keys(&["B"]);
    pane.wait_until("the feedback screen", |p| {
        let screen = p.screen();
        screen.contains("[B Feedback]") && screen.contains(" feedback · page 1/")
    });
    pane.keys(&["C"]);
    pane.wait_for_text("[C Conversations]");
    pane.wait_for_text("enter open");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    pane.wait_for_text("e2e: after");
    pane.assert_restored();
}
