//! Text that is cut can be read: the message log (`L`) opens a status line whole, the help box uses the width it has and closes with `?`, `q` or Esc, and with wrapping off `←`/`→` scroll long lines sideways.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use convo::app::msg::Msg;
use convo::app::state::{Focus, State};
use convo::app::update::update;
use convo::ui::render;
use convo::view::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::driver::screen_text;
use crate::support::offline::Offline;

const MONO: Theme = Theme {
    mono: true,
    light: false,
};

fn offline() -> Offline {
    Offline::new(40, 25)
}

/// A browser with page 1 loaded, `width`×`height`.
fn listed(width: u16, height: u16) -> State {
    offline().listed(width, height, MONO)
}

fn press(state: &mut State, code: KeyCode) {
    let cmds = update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    offline().settle(state, cmds);
}

fn keys(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

fn backend(state: &State) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
    terminal.backend().clone()
}

fn text(state: &State) -> String {
    screen_text(backend(state).buffer())
}

macro_rules! snap {
    ($name:expr, $state:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, backend(&$state));
        });
    };
}

/// A fixed time for the log's stamps (the runtime stamps with the clock).
fn noon() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T12:00:05Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// An error far longer than a status line of 80 columns, its end worth reading.
const LONG_ERROR: &str = "cannot save the conversation to /home/support/exports/customer-escalations/2026-11/conv-000123-refund-loop.md: \
     the disk is full (No space left on device); free some space or save somewhere else with s";

#[test]
fn a_long_error_is_cut_with_a_hint_and_opens_whole_in_the_log() {
    let mut state = listed(80, 24);
    update(&mut state, Msg::Notice("saved to /tmp/a.md".to_owned()));
    update(&mut state, Msg::Failure(LONG_ERROR.to_owned()));
    state.log.stamp(noon());
    let screen = text(&state);
    let status = screen.lines().last().unwrap();
    assert!(status.contains("L: whole"), "{status}");
    assert!(!status.contains("save somewhere else"), "{status}");

    press(&mut state, KeyCode::Char('L'));
    assert!(state.log_view.is_some());
    let open = text(&state);
    // Wrapped, every word of it is there (the log box is as wide as the screen).
    let words: String = open
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains("free some space or save somewhere else with s"),
        "{open}"
    );
    assert!(
        words.contains("12:00:05 ✗ cannot save the conversation"),
        "{open}"
    );
    snap!("readable_log_80x24", state);

    // Esc, q and L close it; the keys scroll it meanwhile and reach nothing else.
    press(&mut state, KeyCode::Char('j'));
    assert_eq!(state.list.selected, 0, "j scrolls the log, not the list");
    press(&mut state, KeyCode::Esc);
    assert!(state.log_view.is_none());
    keys(&mut state, "L");
    keys(&mut state, "q");
    assert!(state.log_view.is_none());
    assert!(!state.quit, "q closes the log, it does not quit");
    keys(&mut state, "LL");
    assert!(state.log_view.is_none());
}

#[test]
fn the_log_is_rebindable_and_listed_in_help() {
    let mut state = listed(120, 40);
    let key = convo::config::keymap::Key::parse("f2").unwrap();
    state.keymap.bind(
        convo::config::keymap::Action::MessageLog,
        convo::config::keymap::Scope::Global,
        &[key],
    );
    update(&mut state, Msg::Failure(LONG_ERROR.repeat(2)));
    assert!(text(&state).lines().last().unwrap().contains("L: whole"));
    press(&mut state, KeyCode::F(2));
    assert!(state.log_view.is_some());
    press(&mut state, KeyCode::Esc);
    keys(&mut state, "?");
    keys(&mut state, "whole");
    let help = text(&state);
    assert!(help.contains("L f2"), "{help}");
}

#[test]
fn the_log_says_when_there_is_nothing_in_it() {
    let mut state = listed(80, 24);
    keys(&mut state, "L");
    assert!(state.log_view.is_none());
    assert!(
        state
            .status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("no messages yet"))
    );
}

#[test]
fn help_at_three_sizes() {
    for (width, height) in [(80, 24), (120, 40), (200, 50)] {
        let mut state = listed(width, height);
        keys(&mut state, "?");
        snap!(format!("readable_help_{width}x{height}"), state);
    }
}

#[test]
fn help_at_200_columns_uses_two_columns_and_lists_the_filter_panel_and_symbols() {
    let mut state = listed(200, 50);
    keys(&mut state, "?");
    let screen = text(&state);
    let keys_row = screen
        .lines()
        .find(|l| l.contains("move down"))
        .expect("a row of keys");
    assert!(
        keys_row.matches('│').count() >= 2 && keys_row.chars().count() == 200,
        "{screen}"
    );
    // Scrolled page by page to the end, the filter panel's keys and the legend show.
    let mut end = text(&state);
    for _ in 0..10 {
        press(&mut state, KeyCode::PageDown);
        end.push_str(&text(&state));
    }
    for wanted in [
        "── the filter panel (f) ──",
        "── symbols ──",
        "📷",
        "usage chart",
    ] {
        assert!(end.contains(wanted), "{wanted}:\n{end}");
    }
}

#[test]
fn help_finds_the_filter_panel_keys_and_the_symbols_at_80x24() {
    let mut state = listed(80, 24);
    keys(&mut state, "?");
    keys(&mut state, "filter panel");
    let screen = text(&state);
    assert!(screen.contains("── the filter panel (f) ──"), "{screen}");
    assert!(screen.contains("cycle a choice"), "{screen}");
    snap!("readable_help_filter_panel_80x24", state);
    let mut state = listed(80, 24);
    keys(&mut state, "?");
    keys(&mut state, "usage chart");
    let screen = text(&state);
    for glyph in ["+ ", "? ", "! "] {
        assert!(
            screen.lines().any(|l| l.starts_with(&format!("│{glyph}"))),
            "{glyph}:\n{screen}"
        );
    }
}

#[test]
fn help_closes_with_question_mark_q_and_esc_but_q_types_once_something_is() {
    let mut state = listed(80, 24);
    keys(&mut state, "?");
    assert!(state.help.is_some());
    keys(&mut state, "?");
    assert!(state.help.is_none(), "? closes");
    keys(&mut state, "?q");
    assert!(
        state.help.is_none() && !state.quit,
        "q closes, it does not quit"
    );
    keys(&mut state, "?");
    press(&mut state, KeyCode::Esc);
    assert!(state.help.is_none(), "esc closes");
    keys(&mut state, "?");
    // Once something is typed, q and ? are letters of the filter.
    keys(&mut state, "ctrl-q?");
    let help = state
        .help
        .as_ref()
        .expect("typing q into the filter keeps help open");
    assert_eq!(help.filter.value(), "ctrl-q?");
    assert!(text(&state).contains("nothing matches"));
    press(&mut state, KeyCode::Esc);
    assert!(state.help.is_none() && !state.quit);
}

/// The first row's conversation, opened in the detail pane with its first
/// message made one long line whose start and end are both marked.
fn opened_with_a_long_line(width: u16, height: u16) -> State {
    let mut state = listed(width, height);
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.focus, Focus::Detail);
    let mut whole = (**state.detail.view.as_ref().unwrap().conversation()).clone();
    let words: Vec<String> = (0..60).map(|n| format!("w{n:02}")).collect();
    let long = format!("START-OF-LINE {} END-OF-LINE", words.join(" "));
    whole.messages.as_mut().unwrap()[0].content = Some(long);
    let generation = state.detail.generation;
    update(
        &mut state,
        Msg::DetailLoaded {
            generation,
            conversation: Arc::new(whole),
            fetched_at: noon(),
        },
    );
    state
}

#[test]
fn with_wrap_off_arrows_scroll_sideways_to_the_end_and_back() {
    let mut state = opened_with_a_long_line(80, 24);
    let wrapped = text(&state);
    assert!(wrapped.contains("START-OF-LINE") && wrapped.contains("END-OF-LINE"));

    // Wrap on, ← is still back to the list.
    press(&mut state, KeyCode::Left);
    assert_eq!(state.focus, Focus::List);
    press(&mut state, KeyCode::Enter);

    keys(&mut state, "w");
    let cut = text(&state);
    assert!(
        cut.contains("START-OF-LINE") && !cut.contains("END-OF-LINE"),
        "{cut}"
    );
    let mut presses = 0;
    while !text(&state).contains("END-OF-LINE") {
        press(&mut state, KeyCode::Right);
        presses += 1;
        assert!(presses < 20, "→ never reached the end:\n{}", text(&state));
    }
    assert_eq!(state.focus, Focus::Detail, "→ scrolls, it does not leave");
    let end = text(&state);
    assert!(!end.contains("START-OF-LINE"), "{end}");
    snap!("readable_sideways_end_80x24", state);
    // At the end → says so instead of scrolling into blank columns.
    let shift = state.detail.view.as_ref().unwrap().shift();
    press(&mut state, KeyCode::Right);
    assert_eq!(state.detail.view.as_ref().unwrap().shift(), shift);
    assert!(
        state
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("end here"))
    );

    while state.detail.view.as_ref().unwrap().shift() > 0 {
        press(&mut state, KeyCode::Left);
    }
    assert_eq!(state.focus, Focus::Detail, "← scrolls while lines are cut");
    assert!(text(&state).contains("START-OF-LINE"));
    // h and Esc stay back.
    keys(&mut state, "h");
    assert_eq!(state.focus, Focus::List);
}

#[test]
fn with_wrap_on_right_arrow_says_why_nothing_moves() {
    let mut state = opened_with_a_long_line(80, 24);
    press(&mut state, KeyCode::Right);
    assert_eq!(state.focus, Focus::Detail);
    assert!(
        state
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("nothing to scroll sideways")),
        "{:?}",
        state.status
    );
}

/// What the driven loop's test sees of a frame.
#[derive(Clone, Debug)]
struct Seen {
    listing: bool,
    status: Option<String>,
    log_open: bool,
    screen: String,
}

impl crate::support::driver::Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_loop_stamps_a_refused_key_and_l_reads_it_whole() {
    use convo::provider::Provider;
    use convo::provider::agentsight::{AgentSight, AgentSightConfig};
    use convo::runtime::{Headless, run_with};
    use ratatui::buffer::Buffer;

    let server = crate::support::common::start(
        convo::server::generate::generate(10, 3),
        convo::server::ServerConfig::default(),
    )
    .await;
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(format!("ags_{}_{}", "7".repeat(32), "7".repeat(6))),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = crate::support::driver::driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
    };
    let state = State::new(convo::app::state::Init {
        size: (80, 24),
        ..crate::support::state::init("test", provider.info())
    });
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen {
            listing: state.list.loading.is_some(),
            status: state.status.as_ref().map(|s| s.text.clone()),
            log_open: state.log_view.is_some(),
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
        let refused = driver
            .until("the key refused", |s| {
                !s.listing && s.status.as_deref().is_some_and(|t| t.contains("401"))
            })
            .await;
        let whole = refused.status.clone().unwrap();
        let bar = refused.screen.lines().nth(23).unwrap().to_owned();
        assert!(bar.contains("L: whole"), "{bar}");
        let tail: String = whole.chars().rev().take(12).collect::<String>();
        let tail: String = tail.chars().rev().collect();
        assert!(!bar.contains(&tail), "the bar cuts the end off: {bar}");

        driver.press(KeyCode::Char('L'));
        let log = driver.until("the log", |s| s.log_open).await;
        let first = log.screen.lines().nth(3).unwrap();
        // A real time of day, stamped by the loop, before the error.
        let time: String = first.chars().skip(1).take(8).collect();
        assert!(
            time.len() == 8
                && time.chars().enumerate().all(|(i, c)| if i == 2 || i == 5 {
                    c == ':'
                } else {
                    c.is_ascii_digit()
                }),
            "{}",
            log.screen
        );
        let joined: String = log
            .screen
            .lines()
            .skip(3)
            .map(|l| {
                l.trim_matches(|c: char| {
                    c == '│' || c == ' ' || c.is_ascii_digit() || c == ':' || c == '✗'
                })
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(joined.contains(tail.trim()), "{tail} in\n{}", log.screen);

        driver.press(KeyCode::Esc);
        driver.until("the log closed", |s| !s.log_open).await;
        driver.press(KeyCode::Char('q'));
    };
    let (result, ()) = tokio::join!(run, script);
    let state = result.unwrap();
    assert!(state.quit);
    assert!(
        state.log.entries().all(|e| e.at.is_some()),
        "every message stamped"
    );
}

#[test]
fn the_log_scrolls_by_keys_and_wheel_and_stops_at_its_end() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut state = listed(80, 24);
    state.mouse = true;
    for n in 0..40 {
        update(&mut state, Msg::Notice(format!("notice number {n}")));
    }
    keys(&mut state, "L");
    assert!(text(&state).contains("notice number 39"), "newest first");
    let wheel = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut state, wheel(MouseEventKind::ScrollDown));
    assert_eq!(state.log_view.map(|v| v.offset), Some(1));
    keys(&mut state, "G");
    let end = text(&state);
    assert!(end.contains("notice number 0"), "{end}");
    let bottom = state.log_view.map(|v| v.offset);
    keys(&mut state, "j");
    assert_eq!(
        state.log_view.map(|v| v.offset),
        bottom,
        "nothing past the end"
    );
    update(&mut state, wheel(MouseEventKind::ScrollUp));
    keys(&mut state, "g");
    assert_eq!(state.log_view.map(|v| v.offset), Some(0));
    assert_eq!(state.list.selected, 0, "the list underneath never moved");
}
