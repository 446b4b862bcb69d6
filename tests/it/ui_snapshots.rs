//! Whole screens on ratatui's `TestBackend` at 120×40 and 80×24, from fixed generated data in UTC, compared with insta snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::offline;
use offline::Offline;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::layout::Areas;
use convo::app::msg::Msg;
use convo::app::state::State;
use convo::app::update::update;
use convo::provider::{Error, Page};
use convo::ui::render;
use convo::view::detail::Tab;
use convo::view::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PAGE_SIZE: u32 = 25;

/// The 40 generated conversations, 25 to a page.
fn offline() -> Offline {
    Offline::new(40, PAGE_SIZE)
}

fn fresh(width: u16, height: u16) -> (State, Vec<Cmd>) {
    offline().fresh(
        width,
        height,
        Theme {
            mono: true,
            light: false,
        },
    )
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
    offline().listed(
        width,
        height,
        Theme {
            mono: true,
            light: false,
        },
    )
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

    let (mut state, cmds) = fresh_with(
        120,
        40,
        Theme {
            mono: false,
            light: false,
        },
    );
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

/// The `ChatDash` fixture: a voice call with every summary field (newest), a
/// record with most fields missing or wrongly typed, and a web chat.
fn chatdash_offline() -> Offline {
    Offline::chatdash(PAGE_SIZE)
}

/// A `ChatDash` browser with its list loaded and the voice call beside it.
fn chatdash(width: u16, height: u16) -> State {
    chatdash_offline().listed(
        width,
        height,
        Theme {
            mono: true,
            light: false,
        },
    )
}

/// A key on a `ChatDash` browser, its commands answered from the `ChatDash` fixture.
fn press_chatdash(state: &mut State, code: KeyCode) {
    let cmds = update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    chatdash_offline().settle(state, cmds);
}

fn keys_chatdash(state: &mut State, text: &str) {
    for c in text.chars() {
        press_chatdash(state, KeyCode::Char(c));
    }
}

fn tab(state: &State) -> Tab {
    state.detail.view.as_ref().unwrap().tab()
}

fn status(state: &State) -> String {
    state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn chatdash_summary_tab() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state = chatdash(width, height);
        press_chatdash(&mut state, KeyCode::Enter);
        assert_eq!(
            tab(&state),
            Tab::Summary,
            "a ChatDash conversation opens on Summary"
        );
        snap!(format!("screen_chatdash_summary_{width}x{height}"), state);
    }
}

#[test]
fn chatdash_summary_of_a_sparse_wrongly_typed_record() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state = chatdash(width, height);
        keys_chatdash(&mut state, "j");
        press_chatdash(&mut state, KeyCode::Enter);
        assert_eq!(tab(&state), Tab::Summary);
        snap!(
            format!("screen_chatdash_sparse_summary_{width}x{height}"),
            state
        );
    }
}

#[test]
fn chatdash_messages_tell_customer_bot_and_human_apart() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state = chatdash(width, height);
        press_chatdash(&mut state, KeyCode::Enter);
        keys_chatdash(&mut state, "2");
        assert_eq!(tab(&state), Tab::Messages);
        let text = format!("{:?}", screen(&state));
        for sender in ["customer", "bot", "human"] {
            assert!(text.contains(sender), "{sender} missing:\n{text}");
        }
        snap!(format!("screen_chatdash_messages_{width}x{height}"), state);
    }
}

#[test]
fn chatdash_meta_tab() {
    let mut state = chatdash(80, 24);
    press_chatdash(&mut state, KeyCode::Enter);
    keys_chatdash(&mut state, "3");
    assert_eq!(tab(&state), Tab::Meta);
    snap!("screen_chatdash_meta_80x24", state);
}

#[test]
fn chatdash_number_keys_pick_its_four_tabs_and_5_6_do_nothing() {
    let mut state = chatdash(80, 24);
    press_chatdash(&mut state, KeyCode::Enter);
    assert_eq!(tab(&state), Tab::Summary);
    for (key, want) in [
        ('2', Tab::Messages),
        ('3', Tab::Meta),
        ('4', Tab::Raw),
        ('1', Tab::Summary),
        ('5', Tab::Summary),
        ('6', Tab::Summary),
    ] {
        keys_chatdash(&mut state, &key.to_string());
        assert_eq!(tab(&state), want, "after {key}");
    }
    assert!(status(&state).contains("4 tabs"), "{}", status(&state));
    keys_chatdash(&mut state, "3");
    keys_chatdash(&mut state, "6");
    assert_eq!(tab(&state), Tab::Meta, "6 leaves the tab as it is");

    // Tab and Shift-Tab go round the four.
    keys_chatdash(&mut state, "1");
    let mut seen = Vec::new();
    for _ in 0..4 {
        press_chatdash(&mut state, KeyCode::Tab);
        seen.push(tab(&state));
    }
    assert_eq!(seen, [Tab::Messages, Tab::Meta, Tab::Raw, Tab::Summary]);
    press_chatdash(&mut state, KeyCode::BackTab);
    assert_eq!(tab(&state), Tab::Raw);

    // e/E: no action logs in ChatDash; said so, and the tab stays.
    keys_chatdash(&mut state, "e");
    assert_eq!(tab(&state), Tab::Raw);
    assert!(
        status(&state).contains("no action logs"),
        "{}",
        status(&state)
    );
    keys_chatdash(&mut state, "E");
    assert_eq!(tab(&state), Tab::Raw);
}

#[test]
fn agentsight_number_keys_are_unchanged() {
    let mut state = listed(80, 24);
    press(&mut state, KeyCode::Enter);
    assert_eq!(tab(&state), Tab::Messages);
    for (key, want) in [
        ('7', Tab::Trace),
        ('6', Tab::Raw),
        ('5', Tab::Meta),
        ('4', Tab::Attachments),
        ('3', Tab::Feedback),
        ('2', Tab::Actions),
        ('1', Tab::Messages),
    ] {
        keys(&mut state, &key.to_string());
        assert_eq!(tab(&state), want, "after {key}");
    }
    press(&mut state, KeyCode::BackTab);
    assert_eq!(tab(&state), Tab::Trace);
    press(&mut state, KeyCode::Tab);
    assert_eq!(tab(&state), Tab::Messages);
    keys(&mut state, "e");
    assert_eq!(
        tab(&state),
        Tab::Messages,
        "e looks for failures in Messages"
    );
    assert!(
        status(&state).contains("failed action"),
        "{}",
        status(&state)
    );
}

/// Where a label starts on the detail pane's tab bar.
fn label_column(state: &State, label: &str) -> (u16, u16) {
    let inner = Areas::for_state(state).detail_inner;
    let y = inner.y + 2;
    let backend = screen(state);
    let buf = backend.buffer();
    let row: Vec<&str> = (inner.x..inner.right())
        .map(|x| buf[(x, y)].symbol())
        .collect();
    let at = (0..row.len())
        .find(|&i| row[i..].concat().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} in {:?}", row.concat()));
    (inner.x + u16::try_from(at).unwrap(), y)
}

fn click(state: &mut State, (column, row): (u16, u16)) {
    update(
        state,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    );
}

#[test]
fn a_click_on_the_tab_bar_picks_that_tab() {
    let mut state = chatdash(120, 40);
    state.mouse = true;
    let at = label_column(&state, "3 Meta");
    click(&mut state, (at.0 + 2, at.1));
    assert_eq!(tab(&state), Tab::Meta);
    let at = label_column(&state, "4 Raw");
    click(&mut state, at);
    assert_eq!(tab(&state), Tab::Raw);
    // A click below the tab bar only focuses the pane.
    click(&mut state, (at.0, at.1 + 3));
    assert_eq!(tab(&state), Tab::Raw);

    let mut state = listed(120, 40);
    state.mouse = true;
    let at = label_column(&state, "6");
    click(&mut state, at);
    assert_eq!(tab(&state), Tab::Raw);
}

/// Every screen a person can reach, each built at 120×40.
fn every_screen() -> Vec<(&'static str, State)> {
    let (loading, _) = fresh(120, 40);
    let mut screens = vec![("loading", loading), ("list", listed(120, 40))];
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
        let mut state = listed(120, 40);
        keys(&mut state, "jj");
        press(&mut state, KeyCode::Enter);
        keys(&mut state, &(n + 1).to_string());
        screens.push((tab, state));
    }
    let mut search = listed(120, 40);
    press(&mut search, KeyCode::Enter);
    keys(&mut search, "/reset");
    screens.push(("search", search));
    let mut filters = listed(120, 40);
    keys(&mut filters, "f");
    screens.push(("filters", filters));
    let mut help = listed(120, 40);
    keys(&mut help, "?");
    screens.push(("help", help));
    let mut open_by_id = listed(120, 40);
    keys(&mut open_by_id, ":conv");
    screens.push(("open by id", open_by_id));
    let mut tickets = listed(120, 40);
    keys(&mut tickets, "I");
    assert!(
        !tickets.screens.tickets.rows().is_empty(),
        "tickets to draw"
    );
    screens.push(("tickets", tickets));
    let mut thread = listed(120, 40);
    keys(&mut thread, "Ij");
    press(&mut thread, KeyCode::Enter);
    assert!(thread.screens.thread.is_some(), "a thread to draw");
    screens.push(("ticket thread", thread));
    let mut comment = listed(120, 40);
    keys(&mut comment, "Icon staging");
    screens.push(("ticket comment", comment));
    let mut status = listed(120, 40);
    keys(&mut status, "IS");
    screens.push(("ticket status picker", status));
    let mut feedback = listed(120, 40);
    keys(&mut feedback, "B");
    assert!(
        !feedback.screens.feedback.rows().is_empty(),
        "feedback to draw"
    );
    screens.push(("feedback", feedback));
    let mut feedback_filters = listed(120, 40);
    keys(&mut feedback_filters, "Bf");
    screens.push(("feedback filters", feedback_filters));
    let mut promote = listed(120, 40);
    keys(&mut promote, "BT");
    screens.push(("feedback promoted to a ticket", promote));
    let mut chatdash_tickets = chatdash(120, 40);
    keys_chatdash(&mut chatdash_tickets, "I");
    screens.push(("chatdash tickets", chatdash_tickets));
    screens
}

/// Resizes `state` to `width`×`height` through `update`, as a resize event
/// arrives, and draws it (the same state goes through every size in turn, as
/// in a storm of resizes).
fn draw_at(offline: &Offline, state: &mut State, width: u16, height: u16) {
    let cmds = update(state, Msg::Resize(width, height));
    offline.settle(state, cmds);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
}

#[test]
fn every_screen_draws_at_every_size_from_1x1() {
    let mut failures = Vec::new();
    // Every width at the heights that broke (1–7), then a spread of heights at
    // widths around the minimum and the one-pane/two-pane switch.
    let widths = [
        1, 2, 3, 5, 8, 13, 19, 20, 21, 30, 50, 79, 80, 99, 100, 101, 120,
    ];
    let heights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 24, 40];
    let sizes = (1..=120_u16)
        .flat_map(|w| (1..=7_u16).map(move |h| (w, h)))
        .chain(
            widths
                .into_iter()
                .flat_map(|w| heights.map(move |h| (w, h))),
        );
    let sizes: Vec<(u16, u16)> = sizes.collect();
    let offline = offline();
    for (name, mut state) in every_screen() {
        for &(width, height) in &sizes {
            let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                draw_at(&offline, &mut state, width, height);
            }));
            if drawn.is_err() {
                failures.push(format!("{name} at {width}x{height}"));
            }
        }
    }
    let mut small = listed(120, 40);
    let cmds = update(&mut small, Msg::Resize(19, 8));
    settle(&mut small, cmds);
    let text: String = screen(&small)
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(
        text.starts_with("terminal too small: 19x8 (needs 20x6)"),
        "{text}"
    );
    assert!(
        failures.is_empty(),
        "{} draws panicked, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
}
