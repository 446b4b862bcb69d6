//! Writes from the browser, driven through the real loop against `convo serve` on 127.0.0.1: mark, rename, feedback, tickets and delete land on the record they were for; failures roll back and say why; a read key refuses without a request; the forms at 80×24.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;
use crate::support::driver::{self, Driver, Frame, screen_text};
use crate::support::misbehave::{Behaviour, Misbehaving};
use crate::support::offline::Offline;
use crate::support::state;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use convo::app::msg::Msg;
use convo::app::state::{Focus, State};
use convo::app::update::update;
use convo::app::writes::Role;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::{Conversation, Provider};
use convo::runtime::{Headless, run_with};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, Role as ServerRole, ServerConfig};
use convo::view::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// One row of the list as the test sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    pk: Option<i64>,
    name: Option<String>,
    marked: bool,
    deleted: bool,
}

/// What the test can see after a frame.
#[derive(Clone, Debug)]
struct Seen {
    rows: Vec<Row>,
    selected: Option<i64>,
    open: Option<Arc<Conversation>>,
    focus: Focus,
    form: Option<String>,
    form_error: Option<String>,
    status: Option<String>,
    in_flight: usize,
    role: Role,
    busy: bool,
    screen: String,
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        Self {
            rows: state
                .list
                .rows()
                .iter()
                .map(|c| Row {
                    pk: c.id,
                    name: c.name.clone(),
                    marked: c.is_marked == Some(true),
                    deleted: c.is_deleted == Some(true),
                })
                .collect(),
            selected: state.list.selected_row().and_then(|r| r.id),
            open: state
                .detail
                .view
                .as_ref()
                .map(|v| Arc::clone(v.conversation())),
            focus: state.focus,
            form: state.form.as_ref().map(convo::app::form::Form::title),
            form_error: state
                .form
                .as_ref()
                .and_then(|f| f.fields())
                .and_then(|f| f.error.clone()),
            status: state.status.as_ref().map(|s| s.text.clone()),
            in_flight: state.writes.in_flight.len(),
            role: state.writes.role,
            busy: state.busy(),
            screen: screen_text(buffer),
        }
    }

    fn says(&self, text: &str) -> bool {
        self.status.as_deref().is_some_and(|s| s.contains(text))
    }

    fn open_pk(&self) -> Option<i64> {
        self.open.as_ref().and_then(|c| c.id)
    }
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

fn agentsight(base: &str, timeout: Option<Duration>) -> Arc<dyn Provider> {
    let mut config = AgentSightConfig::new(base, Some(DEMO_API_KEY.to_owned()));
    if let Some(timeout) = timeout {
        config.timeout = timeout;
    }
    Arc::new(AgentSight::new(config).unwrap())
}

/// Runs the browser over `provider` at 120×40 while `script` drives it; the script ends by quitting.
async fn drive<F, Fut>(provider: Arc<dyn Provider>, script: F) -> State
where
    F: FnOnce(Driver<Seen>) -> Fut,
    Fut: Future<Output = ()>,
{
    let (driver, events, seen_tx) = driver::driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = State::new(state::init("test", provider.info()));
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(provider, state, None, events, &mut host, observe);
    let (state, ()) = tokio::join!(run, script(driver));
    state.unwrap()
}

fn quit(driver: &mut Driver<Seen>) {
    driver.send(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
}

/// Waits for the list, the first row open beside it, and the role answered.
async fn ready(driver: &mut Driver<Seen>, role: Role) -> Seen {
    driver
        .until("the list, its first row open, the role known", |s| {
            !s.rows.is_empty() && s.open_pk() == s.rows[0].pk && !s.busy && s.role == role
        })
        .await
}

/// Empties the focused text field of a form (it was prefilled).
fn clear(driver: &mut Driver<Seen>, chars: usize) {
    for _ in 0..chars {
        driver.press(KeyCode::Backspace);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_rename_feedback_and_a_ticket_land_on_the_conversation() {
    let server = common::start(generate(6, 3), ServerConfig::default()).await;
    let requests = server.requests();
    let provider = agentsight(&server.base_url(), None);
    let script = |mut driver: Driver<Seen>| async move {
        let first = ready(&mut driver, Role::Write).await;
        let pk = first.rows[0].pk.unwrap();
        let was_marked = first.rows[0].marked;

        // m: the star flips at once, before the answer, and stays when it lands.
        driver.press(KeyCode::Char('m'));
        let frames = driver
            .frames_until("the mark answered", |s| {
                s.in_flight == 0 && s.status.is_some()
            })
            .await;
        let pending = frames.iter().find(|s| s.in_flight == 1).unwrap();
        assert_eq!(pending.rows[0].marked, !was_marked, "optimistic star");
        let done = frames.last().unwrap();
        assert_eq!(done.rows[0].marked, !was_marked, "{:?}", done.status);
        assert_eq!(done.open.as_ref().unwrap().is_marked, Some(!was_marked));

        // R: prefilled; Esc cancels without a request; a blank name is refused in place.
        driver.press(KeyCode::Char('R'));
        let asked = driver
            .until("the rename prompt", |s| s.form.is_some())
            .await;
        let old = first.rows[0].name.clone().unwrap_or_default();
        assert!(asked.screen.contains(&old), "{}", asked.screen);
        let before = requests.received();
        driver.press(KeyCode::Esc);
        driver
            .until("the prompt gone", |s| {
                s.form.is_none() && s.says("cancelled")
            })
            .await;
        assert_eq!(requests.received(), before, "Esc sends nothing");
        driver.press(KeyCode::Char('R'));
        driver
            .until("the rename prompt again", |s| s.form.is_some())
            .await;
        clear(&mut driver, old.chars().count());
        driver.type_text("   ");
        driver.press(KeyCode::Enter);
        let refused = driver
            .until("a blank name refused", |s| s.form_error.is_some())
            .await;
        assert!(refused.form.is_some(), "the prompt stays");
        assert!(refused.form_error.unwrap().contains("cannot be empty"));
        driver.type_text("Refund escalation");
        driver.press(KeyCode::Enter);
        let renamed = driver
            .until("the rename answered", |s| s.says("renamed"))
            .await;
        assert_eq!(renamed.rows[0].name.as_deref(), Some("Refund escalation"));
        assert_eq!(
            renamed.open.as_ref().unwrap().name.as_deref(),
            Some("Refund escalation")
        );

        // -: Esc drops the comment prompt, nothing sent; +: feedback with a comment lands.
        let before = requests.received();
        driver.press(KeyCode::Char('-'));
        driver
            .until("the feedback prompt", |s| s.form.is_some())
            .await;
        driver.press(KeyCode::Esc);
        driver.until("cancelled", |s| s.form.is_none()).await;
        assert_eq!(requests.received(), before);
        driver.press(KeyCode::Char('+'));
        let asked = driver
            .until("the feedback prompt", |s| s.form.is_some())
            .await;
        assert!(asked.form.unwrap().starts_with("positive feedback"));
        driver.type_text("quick and right");
        driver.press(KeyCode::Enter);
        let filed = driver
            .until("the feedback answered", |s| s.says("feedback #"))
            .await;
        let feedbacks = filed.open.as_ref().unwrap().feedbacks.clone().unwrap();
        assert!(
            feedbacks
                .iter()
                .any(|f| f.comment.as_deref() == Some("quick and right")),
            "{feedbacks:?}"
        );
        // It shows on the Feedback tab.
        driver.press(KeyCode::Char('3'));
        driver
            .until("the feedback on its tab", |s| {
                s.screen.contains("quick and right")
            })
            .await;

        // T: the title comes from the (new) name; Tab to the comment; Enter files.
        driver.press(KeyCode::Char('T'));
        let asked = driver.until("the ticket form", |s| s.form.is_some()).await;
        assert!(
            asked.screen.contains("Refund escalation"),
            "{}",
            asked.screen
        );
        driver.press(KeyCode::Tab);
        driver.type_text("call the customer back");
        driver.press(KeyCode::Enter);
        let filed = driver
            .until("the ticket answered", |s| s.says("ticket #"))
            .await;
        assert!(filed.says("(Meta tab)"), "{:?}", filed.status);
        let tickets = filed.open.as_ref().unwrap().tickets.clone().unwrap();
        let ticket = tickets.last().unwrap();
        assert_eq!(ticket.title.as_deref(), Some("Refund escalation"));
        let comments = ticket.comments.clone().unwrap_or_default();
        assert!(
            comments
                .iter()
                .any(|c| c.body.as_deref() == Some("call the customer back")),
            "{comments:?}"
        );
        assert_eq!(filed.open_pk(), Some(pk));
        // The ticket and its comment show on the Meta tab.
        driver.press(KeyCode::Char('5'));
        driver.press(KeyCode::Char('/'));
        driver.type_text("call the customer");
        driver
            .until("the ticket's comment on the Meta tab", |s| {
                s.screen.contains("call the customer back")
            })
            .await;
        quit(&mut driver);
    };
    let end = drive(provider, script).await;
    assert!(end.quit);
    let (_, record) = common::get(
        &server,
        &format!("/api/conversations/{}/", end.list.rows()[0].id.unwrap()),
    )
    .await;
    assert_eq!(record["name"], "Refund escalation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_updates_the_record_it_was_for_not_the_one_on_screen() {
    let config = ServerConfig {
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    };
    let server = common::start(generate(6, 5), config).await;
    let provider = agentsight(&server.base_url(), None);
    let script = |mut driver: Driver<Seen>| async move {
        let first = ready(&mut driver, Role::Write).await;
        let old = first.rows[0].name.clone().unwrap_or_default();
        let second = first.rows[1].clone();
        driver.press(KeyCode::Char('R'));
        driver
            .until("the rename prompt", |s| s.form.is_some())
            .await;
        clear(&mut driver, old.chars().count());
        driver.type_text("Late name");
        driver.press(KeyCode::Enter);
        // Moved on before the answer can come (every answer takes 300 ms).
        driver.press(KeyCode::Char('j'));
        let landed = driver
            .until("the late rename answered", |s| s.says("renamed"))
            .await;
        assert_eq!(landed.selected, second.pk, "the screen had moved on");
        assert_eq!(landed.rows[0].name.as_deref(), Some("Late name"));
        assert_eq!(landed.rows[1], second, "the row on screen is untouched");
        if let Some(open) = landed.open.as_ref().filter(|c| c.id == second.pk) {
            assert_eq!(open.name, second.name);
        }
        quit(&mut driver);
    };
    drive(provider, script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_key_refuses_every_write_without_a_request() {
    let config = ServerConfig {
        role: ServerRole::Read,
        ..ServerConfig::default()
    };
    let server = common::start(generate(4, 9), config).await;
    let requests = server.requests();
    let provider = agentsight(&server.base_url(), None);
    let script = |mut driver: Driver<Seen>| async move {
        let first = ready(&mut driver, Role::Read).await;
        let before = requests.received();
        for key in ['m', 'R', 'D', '+', '-', '=', 'T'] {
            driver.press(KeyCode::Char(key));
            let refused = driver
                .until("the refusal", |s| {
                    s.says("read-only key: needs a write key")
                })
                .await;
            assert!(refused.form.is_none(), "{key}: no form for a read key");
            assert_eq!(refused.rows, first.rows, "{key}: nothing changed");
            driver.press(KeyCode::Char('j'));
            driver.press(KeyCode::Char('k'));
            driver
                .until("the status cleared", |s| !s.says("read-only"))
                .await;
        }
        assert_eq!(requests.received(), before, "nothing was sent");
        quit(&mut driver);
    };
    drive(provider, script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_mark_flips_back_and_says_why() {
    let data = generate(4, 11);
    let upstream = common::start(data.clone(), ServerConfig::default()).await;
    let read_only = common::start(
        data,
        ServerConfig {
            role: ServerRole::Read,
            ..ServerConfig::default()
        },
    )
    .await;
    let proxy = Misbehaving::start(Behaviour::Forward(upstream.addr())).await;
    // Long enough that a loaded machine's 502 or 403 is never taken for no
    // answer; the hang case waits it out once.
    let provider = agentsight(&proxy.url(), Some(Duration::from_secs(3)));
    let script = |mut driver: Driver<Seen>| async move {
        let first = ready(&mut driver, Role::Write).await;
        let was = first.rows[0].marked;
        let cases = [
            (Behaviour::BadGatewayHtml, "502"),
            (Behaviour::Hang, "check before repeating"),
            // The role was known as write; the server now says 403.
            (
                Behaviour::Forward(read_only.addr()),
                "read-only key: needs a write key",
            ),
        ];
        for (behaviour, says) in cases {
            proxy.set(behaviour);
            driver.press(KeyCode::Char('m'));
            let frames = driver
                .frames_until(says, |s| s.in_flight == 0 && s.says(says))
                .await;
            let pending = frames.iter().find(|s| s.in_flight == 1).unwrap();
            assert_eq!(pending.rows[0].marked, !was, "{says}: optimistic star");
            let done = frames.last().unwrap();
            assert_eq!(done.rows[0].marked, was, "{says}: the star flips back");
            assert_eq!(done.open.as_ref().unwrap().is_marked.unwrap_or(false), was);
        }
        quit(&mut driver);
    };
    drive(provider, script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_asks_first_n_keeps_y_deletes() {
    let server = common::start(generate(5, 13), ServerConfig::default()).await;
    let requests = server.requests();
    let provider = agentsight(&server.base_url(), None);
    let script = |mut driver: Driver<Seen>| async move {
        let first = ready(&mut driver, Role::Write).await;
        let doomed = first.rows[0].clone();
        let before = requests.received();
        driver.press(KeyCode::Char('D'));
        let asked = driver.until("the question", |s| s.form.is_some()).await;
        let id = first.open.as_ref().unwrap().display_id();
        assert!(asked.screen.contains(&id), "{}", asked.screen);
        driver.press(KeyCode::Char('n'));
        driver
            .until("kept", |s| s.form.is_none() && s.says("not deleted"))
            .await;
        assert_eq!(requests.received(), before, "n sends nothing");
        driver.press(KeyCode::Char('D'));
        driver
            .until("the question again", |s| s.form.is_some())
            .await;
        driver.press(KeyCode::Char('y'));
        let gone = driver
            .until("the delete answered", |s| {
                s.says("deleted ") && s.in_flight == 0
            })
            .await;
        assert!(
            !gone.rows.iter().any(|r| r.pk == doomed.pk),
            "{}",
            gone.screen
        );
        // The filter panel's "deleted" shows it again, marked ⌫ on its row.
        driver.press(KeyCode::Char('f'));
        let panel = driver
            .until("the filter panel", |s| {
                s.screen.contains(" include_deleted ")
            })
            .await;
        let row = panel
            .screen
            .lines()
            .skip(3)
            .position(|l| l.contains(" include_deleted "))
            .expect("a deleted row in the panel");
        for _ in 0..row {
            driver.press(KeyCode::Char('j'));
        }
        driver.press(KeyCode::Char(' '));
        driver.press(KeyCode::Enter);
        let again = driver
            .until("the deleted row back", |s| {
                s.rows.iter().any(|r| r.pk == doomed.pk && r.deleted) && !s.busy
            })
            .await;
        let shown = again.screen.lines().filter(|l| l.contains('⌫')).count();
        assert!(shown >= 1, "{}", again.screen);
        quit(&mut driver);
    };
    drive(provider, script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_message_cursor_picks_a_message_and_a_vote_lands_on_it() {
    let server = common::start(generate(3, 17), ServerConfig::default()).await;
    let provider = agentsight(&server.base_url(), None);
    let script = |mut driver: Driver<Seen>| async move {
        ready(&mut driver, Role::Write).await;
        driver.press(KeyCode::Enter);
        driver
            .until("the detail focused", |s| s.focus == Focus::Detail)
            .await;
        driver.press(KeyCode::Char('}'));
        let cursor = driver.until("the cursor", |s| s.says("message 1/")).await;
        assert!(cursor.screen.contains('▶'), "{}", cursor.screen);
        driver.press(KeyCode::Char('}'));
        let second = driver
            .until("the second message", |s| s.says("message 2/"))
            .await;
        let message = second.open.as_ref().unwrap().messages()[1].id.unwrap();
        driver.press(KeyCode::Char('-'));
        let asked = driver.until("the vote form", |s| s.form.is_some()).await;
        assert!(
            asked
                .form
                .unwrap()
                .starts_with("negative vote on message 2")
        );
        driver.press(KeyCode::Tab);
        driver.type_text("not a slug");
        driver.press(KeyCode::Enter);
        let refused = driver
            .until("the slug refused", |s| s.form_error.is_some())
            .await;
        assert!(refused.form_error.unwrap().contains("slug"));
        clear(&mut driver, "not a slug".len());
        driver.type_text("billing");
        driver.press(KeyCode::Enter);
        let voted = driver
            .until("the vote answered", |s| {
                s.says("vote recorded on message 2")
            })
            .await;
        let vote = voted.open.as_ref().unwrap().messages()[1]
            .feedback
            .clone()
            .unwrap();
        assert_eq!(vote.sentiment.as_deref(), Some("negative"));
        assert_eq!(vote.topic.as_deref(), Some("billing"));
        assert_eq!(voted.open.as_ref().unwrap().messages()[1].id, Some(message));
        assert!(
            voted.screen.contains("vote: negative · billing"),
            "{}",
            voted.screen
        );
        // A second vote on the same message replaces the first.
        driver.press(KeyCode::Char('+'));
        driver
            .until("the vote form again", |s| s.form.is_some())
            .await;
        driver.press(KeyCode::Enter);
        let again = driver
            .until("the second vote shown", |s| {
                s.in_flight == 0 && s.screen.contains("vote: positive")
            })
            .await;
        let vote = again.open.as_ref().unwrap().messages()[1]
            .feedback
            .clone()
            .unwrap();
        assert_eq!(vote.sentiment.as_deref(), Some("positive"));
        assert!(!again.screen.contains("vote: negative"), "{}", again.screen);
        quit(&mut driver);
    };
    drive(provider, script).await;
}

// --- The forms at 80×24, from fixed offline data.

fn listed() -> State {
    Offline::new(40, 25).listed(
        80,
        24,
        Theme {
            mono: true,
            light: false,
        },
    )
}

fn press(state: &mut State, code: KeyCode) {
    let _ = update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn screen(state: &State) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| convo::ui::render(state, frame))
        .unwrap();
    terminal.backend().clone()
}

macro_rules! snap {
    ($name:expr, $state:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, screen(&$state));
        });
    };
}

#[test]
fn rename_prompt_80() {
    let mut state = listed();
    press(&mut state, KeyCode::Char('R'));
    snap!("write_rename_prompt_80", state);
}

#[test]
fn ticket_form_80() {
    let mut state = listed();
    press(&mut state, KeyCode::Char('T'));
    press(&mut state, KeyCode::Tab);
    for c in "call back".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    snap!("write_ticket_form_80", state);
}

#[test]
fn delete_confirmation_80() {
    let mut state = listed();
    press(&mut state, KeyCode::Char('D'));
    snap!("write_delete_confirmation_80", state);
}

#[test]
fn a_deleted_row_shown_again_says_so() {
    let mut state = listed();
    let row = state
        .list
        .rows()
        .iter()
        .find(|c| c.is_deleted != Some(true))
        .cloned()
        .unwrap();
    let before = screen_text(screen(&state).buffer());
    let target = convo::provider::ConversationRef::of(&row).unwrap();
    convo::app::update::answers::patch(&mut state, &target, |c| c.is_deleted = Some(true));
    let shown = screen_text(screen(&state).buffer());
    assert_eq!(
        before.matches('⌫').count() + 1,
        shown.matches('⌫').count(),
        "{shown}"
    );
}

/// The open conversation with the most messages in the offline data, laid out at 80×24.
fn long_view() -> convo::view::detail::DetailView {
    let offline = Offline::new(40, 25);
    let page = offline.page(1);
    let longest = page
        .conversations
        .iter()
        .filter_map(convo::provider::ConversationRef::of)
        .map(|id| offline.whole(&id))
        .max_by_key(|c| c.messages().len())
        .unwrap();
    let mut view = convo::view::detail::DetailView::new(
        longest,
        convo::view::detail::Zone::Utc,
        Theme {
            mono: true,
            light: false,
        },
    );
    view.prepare(80, 24);
    view
}

fn view_text(view: &convo::view::detail::DetailView) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| view.render(frame.area(), frame.buffer_mut()))
        .unwrap();
    screen_text(terminal.backend().buffer())
}

#[test]
fn the_message_cursor_is_a_visible_marker_that_follows_scrolling() {
    use convo::view::detail::Scroll;
    let mut view = long_view();
    let count = view.conversation().messages().len();
    assert!(count > 10, "a long conversation");
    assert!(!view_text(&view).contains('▶'), "no cursor until asked");
    assert_eq!(view.move_message_cursor(true), Some((1, count)));
    assert_eq!(view.move_message_cursor(true), Some((2, count)));
    let text = view_text(&view);
    assert_eq!(text.matches('▶').count(), 1, "{text}");
    let marked = text.lines().find(|l| l.contains('▶')).unwrap();
    // The header line: it opens with the message's time (`21:19:25`).
    assert_eq!(
        marked.chars().nth(2),
        Some(':'),
        "on the header line: {marked}"
    );
    assert_eq!(view.move_message_cursor(false), Some((1, count)));
    // Scrolled far away, the cursor comes along into view.
    view.scroll(Scroll::Bottom);
    view.prepare(80, 24);
    let (at, _) = view.message_cursor().unwrap();
    assert!(at > 1, "the cursor followed the scroll to message {at}");
    // A newer copy of the record (a write landed) keeps the cursor and the scroll.
    let before = view_text(&view);
    let copy = Arc::new(Conversation::clone(view.conversation()));
    view.replace(copy);
    view.prepare(80, 24);
    assert_eq!(view.message_cursor().map(|(i, _)| i), Some(at));
    assert_eq!(view_text(&view), before);
}

#[test]
fn the_role_is_asked_at_start_and_a_read_answer_stops_writes_before_sending() {
    use convo::app::cmd::Cmd;
    use convo::provider::Identity;
    let offline = Offline::new(10, 25);
    let theme = Theme {
        mono: true,
        light: false,
    };
    let (mut state, cmds) = offline.fresh(80, 24, theme);
    let generation = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::WhoAmI { generation } => Some(*generation),
            _ => None,
        })
        .expect("the role is asked at start");
    offline.settle(&mut state, cmds);
    assert_eq!(state.writes.role, Role::Asking);
    let read = Identity {
        role: Some("read".to_owned()),
        ..Identity::default()
    };
    // An answer for another profile's question is dropped.
    let _ = update(
        &mut state,
        Msg::Identified {
            generation: generation + 1,
            result: Ok(read.clone()),
        },
    );
    assert_eq!(state.writes.role, Role::Asking);
    // Until known, a write is sent.
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE)),
    );
    assert!(cmds.iter().any(|c| matches!(c, Cmd::Write { .. })));
    let _ = update(
        &mut state,
        Msg::Identified {
            generation,
            result: Ok(read),
        },
    );
    assert_eq!(state.writes.role, Role::Read);
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE)),
    );
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(
        state.status.map(|s| s.text).as_deref(),
        Some("read-only key: needs a write key (the key's role is read)")
    );
}

#[test]
fn write_keys_are_in_the_help_and_rebindable() {
    use convo::app::cmd::Cmd;
    use convo::config::bindings::{KeyList, apply_all, rebinding};
    use convo::config::keymap::Action;
    let mut state = listed();
    let help = state.keymap.help_rows();
    for (action, keys) in [
        (Action::Mark, "m"),
        (Action::Rename, "R"),
        (Action::Delete, "D"),
        (Action::FeedbackPositive, "+"),
        (Action::FeedbackNegative, "-"),
        (Action::FeedbackNeutral, "="),
        (Action::FileTicket, "T"),
        (Action::NextMessage, "}"),
        (Action::PrevMessage, "{"),
    ] {
        let row = help.iter().find(|r| r.action == action).unwrap();
        assert_eq!(row.keys, keys, "{action:?}");
    }
    let rebound = rebinding("mark", &KeyList::One("M".to_owned())).unwrap();
    apply_all(&[rebound], &mut state.keymap);
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('M'), KeyModifiers::SHIFT)),
    );
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Cmd::Write {
                write: convo::app::writes::Write::Mark { .. },
                ..
            }
        )),
        "{cmds:?}"
    );
}

#[test]
fn esc_cancels_every_form_and_sends_nothing() {
    use convo::app::cmd::Cmd;
    let mut state = listed();
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let mut opened = Vec::new();
    for c in ['R', '+', '-', '=', 'T', 'D'] {
        let _ = update(&mut state, key(KeyCode::Char(c)));
        opened.push(state.form.as_ref().map(convo::app::form::Form::title));
        let cmds = update(&mut state, key(KeyCode::Esc));
        assert!(state.form.is_none(), "{c}: the form is gone");
        assert!(
            !cmds.iter().any(|c| matches!(c, Cmd::Write { .. })),
            "{c}: nothing sent"
        );
    }
    assert!(opened.iter().all(Option::is_some), "{opened:?}");
    // The vote form, on the message under the cursor.
    let _ = update(&mut state, key(KeyCode::Enter));
    let _ = update(&mut state, key(KeyCode::Char('}')));
    let _ = update(&mut state, key(KeyCode::Char('=')));
    let title = state.form.as_ref().map(convo::app::form::Form::title);
    assert!(
        title
            .as_deref()
            .is_some_and(|t| t.starts_with("neutral vote on message 1")),
        "{title:?}"
    );
    let cmds = update(&mut state, key(KeyCode::Esc));
    assert!(state.form.is_none() && cmds.is_empty());
    assert!(state.writes.in_flight.is_empty());
}

#[test]
fn a_ticket_from_the_list_can_come_from_one_of_the_conversations_feedback_rows() {
    use convo::app::form::Form;
    let mut state = listed();
    let row = state.list.selected_row().cloned().unwrap();
    let id = convo::provider::ConversationRef::of(&row).unwrap();
    let whole = state.cache.peek(&id).cloned().unwrap();
    let first = whole
        .feedbacks()
        .iter()
        .find_map(|f| f.id)
        .expect("feedback to file from");
    press(&mut state, KeyCode::Char('T'));
    for _ in 0..5 {
        press(&mut state, KeyCode::Tab);
    }
    press(&mut state, KeyCode::Right);
    let Some(Form::Ticket(form)) = state.form.as_ref() else {
        panic!("the ticket form");
    };
    let (draft, comment) = form.draft().unwrap();
    assert_eq!(draft.feedback, Some(first));
    assert_eq!(draft.conversation, Some(id));
    assert_eq!(comment, None);
    let shown = screen_text(screen(&state).buffer());
    assert!(shown.contains(&format!("‹ #{first} ")), "{shown}");
}

#[test]
fn chatdash_refuses_every_write_key_at_once_and_offers_none() {
    let mut state = Offline::chatdash(25).listed(
        80,
        24,
        Theme {
            mono: true,
            light: false,
        },
    );
    assert!(
        !screen_text(screen(&state).buffer()).contains("write"),
        "the hints offer no writes"
    );
    let before: Vec<Option<bool>> = state.list.rows().iter().map(|c| c.is_marked).collect();
    for key in ['m', 'R', 'D', '+', '-', '=', 'T'] {
        let cmds = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE)),
        );
        assert!(
            !cmds
                .iter()
                .any(|c| matches!(c, convo::app::cmd::Cmd::Write { .. })),
            "{key} sent a write"
        );
        assert!(state.form.is_none(), "{key} opened a form");
        let status = state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert!(
            status.contains("ChatDash takes no writes"),
            "{key}: {status}"
        );
    }
    let after: Vec<Option<bool>> = state.list.rows().iter().map(|c| c.is_marked).collect();
    assert_eq!(before, after, "no optimistic star");
}
