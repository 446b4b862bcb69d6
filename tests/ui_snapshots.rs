//! Whole screens on ratatui's `TestBackend` at 120×40 and 80×24, from fixed generated data in UTC, compared with insta snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/offline.rs"]
mod offline;
use offline::Offline;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::State;
use convo::app::update::update;
use convo::provider::{Error, Page};
use convo::ui::render;
use convo::ui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PAGE_SIZE: u32 = 25;

/// The 40 generated conversations, 25 to a page.
fn offline() -> Offline {
    Offline::new(40, PAGE_SIZE)
}

fn fresh(width: u16, height: u16) -> (State, Vec<Cmd>) {
    offline().fresh(width, height, Theme { mono: true })
}

fn fresh_with(width: u16, height: u16, theme: Theme) -> (State, Vec<Cmd>) {
    offline().fresh(width, height, theme)
}

fn list_generation(cmds: &[Cmd]) -> u64 {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Fetch(Fetch::List { generation, .. }) => Some(*generation),
            _ => None,
        })
        .unwrap()
}

fn settle(state: &mut State, cmds: Vec<Cmd>) {
    offline().settle(state, cmds);
}

/// A browser with page 1 loaded and the first row's transcript beside it.
fn listed(width: u16, height: u16) -> State {
    offline().listed(width, height, Theme { mono: true })
}

fn press(state: &mut State, code: KeyCode) {
    let cmds = update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    settle(state, cmds);
}

fn keys(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

fn screen(state: &State) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
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
fn loading() {
    let (state, _) = fresh(120, 40);
    snap!("screen_loading_120x40", state);
    let (state, _) = fresh(80, 24);
    snap!("screen_loading_80x24", state);
}

#[test]
fn list() {
    snap!("screen_list_120x40", listed(120, 40));
    snap!("screen_list_80x24", listed(80, 24));
}

#[test]
fn every_detail_tab() {
    for (n, tab) in [
        "messages",
        "actions",
        "feedback",
        "attachments",
        "meta",
        "raw",
    ]
    .iter()
    .enumerate()
    {
        for (width, height) in [(120, 40), (80, 24)] {
            let mut state = listed(width, height);
            keys(&mut state, "jj");
            press(&mut state, KeyCode::Enter);
            keys(&mut state, &(n + 1).to_string());
            snap!(format!("screen_detail_{tab}_{width}x{height}"), state);
        }
    }
}

#[test]
fn search_in_the_detail_pane() {
    let mut state = listed(120, 40);
    press(&mut state, KeyCode::Enter);
    keys(&mut state, "/reset");
    snap!("screen_search_120x40", state);
}

#[test]
fn filter_panel_with_a_refused_value() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state = listed(width, height);
        keys(&mut state, "fjj");
        press(&mut state, KeyCode::Enter);
        keys(&mut state, "last tuesday");
        press(&mut state, KeyCode::Enter);
        snap!(format!("screen_filter_refused_{width}x{height}"), state);
    }
}

#[test]
fn filters_summarised_when_the_panel_is_closed() {
    let mut state = listed(120, 40);
    keys(&mut state, "fjjjj");
    press(&mut state, KeyCode::Left);
    press(&mut state, KeyCode::Enter);
    snap!("screen_filtered_120x40", state);
}

#[test]
fn an_error_in_the_status_bar() {
    let mut state = listed(120, 40);
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char(']'), KeyModifiers::NONE)),
    );
    // Page 2 was prefetched, so it shows at once; refreshing it fails.
    settle(&mut state, cmds);
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    update(
        &mut state,
        Msg::ListFailed {
            generation: list_generation(&cmds),
            page: 2,
            error: Error::Throttled {
                detail: "Request was throttled. Expected available in 7 seconds.".to_owned(),
                retry_after: Some(std::time::Duration::from_secs(7)),
            },
        },
    );
    snap!("screen_error_120x40", state);
    let mut narrow = listed(80, 24);
    let cmds = update(
        &mut narrow,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    update(
        &mut narrow,
        Msg::ListFailed {
            generation: list_generation(&cmds),
            page: 1,
            error: Error::Unauthorized {
                detail: "Invalid API key.".to_owned(),
            },
        },
    );
    snap!("screen_error_80x24", narrow);
}

#[test]
fn help_overlay() {
    let mut state = listed(120, 40);
    keys(&mut state, "?");
    snap!("screen_help_120x40", state);
    keys(&mut state, "tab");
    snap!("screen_help_filtered_120x40", state);
    let mut state = listed(80, 24);
    keys(&mut state, "?");
    snap!("screen_help_80x24", state);
}

#[test]
fn empty_state() {
    for (width, height) in [(120, 40), (80, 24)] {
        let (mut state, cmds) = fresh(width, height);
        let empty = Page {
            total_pages: 1,
            page: 1,
            page_size: PAGE_SIZE,
            ..Page::default()
        };
        update(
            &mut state,
            Msg::ListLoaded {
                generation: list_generation(&cmds),
                page: empty,
            },
        );
        snap!(format!("screen_empty_{width}x{height}"), state);
    }
}

/// ratatui diffs frames, so moving the selection rewrites two rows, not the screen.
#[test]
fn one_j_in_the_list_writes_under_a_kilobyte() {
    use convo::term::CountingWriter;
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};

    let (mut state, cmds) = fresh_with(120, 40, Theme { mono: false });
    settle(&mut state, cmds);
    let writer = CountingWriter::new(std::io::sink());
    let bytes = writer.count();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
    };
    let mut terminal = Terminal::with_options(CrosstermBackend::new(writer), options).unwrap();
    terminal.draw(|frame| render(&state, frame)).unwrap();
    let whole = bytes.take();
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
    );
    assert!(!cmds.is_empty(), "j moved the selection");
    terminal.draw(|frame| render(&state, frame)).unwrap();
    let one_j = bytes.get();
    assert!(
        one_j > 0 && one_j < 1024,
        "one j wrote {one_j} bytes (the whole screen: {whole})"
    );
}
