//! The pure update: key sequences and replies in, state and commands out — no terminal, no network, no clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::state;

use std::sync::Arc;

use chrono::DateTime;
use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::{Focus, Init, Prompt, State};
use convo::app::update::{SETTLE, start, update};
use convo::provider::model::Message;
use convo::provider::{Conversation, ConversationRef, Error, Page, ProviderInfo, ProviderKind};
use convo::view::detail::Tab;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn state() -> State {
    State::new(Init {
        page_size: 3,
        ..state::init(
            "test",
            ProviderInfo {
                kind: ProviderKind::AgentSight,
                host: "127.0.0.1:9".to_owned(),
            },
        )
    })
}

fn row(pk: i64) -> Conversation {
    Conversation {
        id: Some(pk),
        conversation_id: Some(format!("conv-{pk}")),
        name: Some(format!("Conversation {pk}")),
        customer_id: Some(format!("user-{pk}")),
        ..Conversation::default()
    }
}

fn whole(pk: i64) -> Arc<Conversation> {
    let message = |sender: &str, content: &str| Message {
        sender: Some(sender.to_owned()),
        content: Some(content.to_owned()),
        ..Message::default()
    };
    Arc::new(Conversation {
        messages: Some(vec![
            message("end_user", "I need a refund for my order"),
            message("agent", "Sure, the refund is on its way"),
            message("end_user", "Thanks! One more refund question"),
        ]),
        ..row(pk)
    })
}

/// Page `n` of a result set of `total` rows, three per page, pks counting from 1.
fn page(n: u32, total: u64) -> Page {
    let first = i64::from(n - 1) * 3 + 1;
    let last = i64::try_from(total).unwrap().min(first + 2);
    Page {
        conversations: (first..=last).map(row).collect(),
        total,
        page: n,
        page_size: 3,
        total_pages: u32::try_from(total.div_ceil(3)).unwrap().max(1),
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(state: &mut State, text: &str) -> Vec<Cmd> {
    text.chars().flat_map(|c| update(state, ch(c))).collect()
}

fn fetches(cmds: &[Cmd]) -> Vec<Fetch> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Fetch(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

/// The list fetch among the commands: (generation, page, query summary).
fn list_fetch(cmds: &[Cmd]) -> Option<(u64, u32, String)> {
    fetches(cmds).into_iter().find_map(|f| match f {
        Fetch::List {
            generation,
            page,
            query,
            ..
        } => Some((generation, page, query.summary())),
        _ => None,
    })
}

fn detail_fetch(cmds: &[Cmd]) -> Option<(u64, ConversationRef)> {
    fetches(cmds).into_iter().find_map(|f| match f {
        Fetch::Detail { generation, id } => Some((generation, id)),
        _ => None,
    })
}

fn prefetch(cmds: &[Cmd]) -> Option<(u64, u32)> {
    fetches(cmds).into_iter().find_map(|f| match f {
        Fetch::Prefetch {
            generation, page, ..
        } => Some((generation, page)),
        _ => None,
    })
}

fn settle_timer(cmds: &[Cmd]) -> Option<Msg> {
    cmds.iter().find_map(|c| match c {
        Cmd::After { delay, msg } if *delay == SETTLE => Some((**msg).clone()),
        _ => None,
    })
}

fn loaded(conversation: Arc<Conversation>, generation: u64) -> Msg {
    Msg::DetailLoaded {
        generation,
        conversation,
        fetched_at: DateTime::UNIX_EPOCH,
    }
}

/// A browser showing page 1 of `total` rows (and its prefetch command).
fn with_first_page(total: u64) -> (State, Vec<Cmd>) {
    let mut state = state();
    // The rows' columns known already, so nothing is fetched in the
    // background and these tests see the preview's and Enter's own fetches
    // (`tests/it/enrich.rs` tests the two together).
    for pk in 1..=i64::try_from(total).unwrap() {
        state.enrich.keep(
            ConversationRef::Pk(pk),
            convo::view::glance::Glance::default(),
        );
    }
    let cmds = start(&mut state, None);
    let (generation, page_no, _) = list_fetch(&cmds).unwrap();
    assert_eq!(page_no, 1);
    let cmds = update(
        &mut state,
        Msg::ListLoaded {
            generation,
            page: page(1, total),
        },
    );
    (state, cmds)
}

fn server_error() -> Error {
    Error::Server {
        status: 500,
        detail: "boom".to_owned(),
    }
}

#[test]
fn starting_asks_for_page_one_and_open_asks_for_the_conversation() {
    let mut state = state();
    let cmds = start(&mut state, Some(ConversationRef::parse("conv-9").unwrap()));
    assert_eq!(list_fetch(&cmds).map(|f| f.1), Some(1));
    assert_eq!(
        detail_fetch(&cmds).map(|f| f.1),
        Some(ConversationRef::Id("conv-9".into()))
    );
    assert_eq!(state.focus, Focus::Detail);
    assert!(state.busy());
}

#[test]
fn a_bad_id_on_the_command_line_says_so_and_the_list_still_loads() {
    let mut state = state();
    let cmds = start(&mut state, Some(ConversationRef::parse("nope").unwrap()));
    let (list_gen, _, _) = list_fetch(&cmds).unwrap();
    let (detail_gen, _) = detail_fetch(&cmds).unwrap();
    update(
        &mut state,
        Msg::DetailFailed {
            generation: detail_gen,
            error: Error::NotFound {
                what: "conversation nope".into(),
                detail: "Not found.".into(),
            },
        },
    );
    let status = state.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("not found"),
        "{status:?}"
    );
    assert_eq!(state.focus, Focus::List);
    update(
        &mut state,
        Msg::ListLoaded {
            generation: list_gen,
            page: page(1, 5),
        },
    );
    assert_eq!(state.list.rows().len(), 3);
}

#[test]
fn a_stale_list_reply_is_dropped_and_the_current_one_shown() {
    let mut state = state();
    let first = list_fetch(&start(&mut state, None)).unwrap();
    // The query changes before page 1 of the old one arrives.
    update(&mut state, ch('f'));
    update(&mut state, key(KeyCode::Enter)); // edit "search"
    typed(&mut state, "conv");
    let second = list_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    assert!(second.0 > first.0);
    assert_eq!(second.2, "search=conv");
    update(
        &mut state,
        Msg::ListLoaded {
            generation: first.0,
            page: page(1, 9),
        },
    );
    assert!(
        state.list.shown.is_none(),
        "the old query's page must not show"
    );
    update(
        &mut state,
        Msg::ListLoaded {
            generation: second.0,
            page: page(1, 2),
        },
    );
    assert_eq!(state.list.shown.as_ref().map(|p| p.total), Some(2));
    assert!(!state.busy());
}

#[test]
fn a_stale_list_error_is_dropped_and_a_current_one_shown() {
    let (mut state, _) = with_first_page(9);
    let old = state.list.generation;
    let cmds = update(&mut state, ch('r'));
    let (current, page_no, _) = list_fetch(&cmds).unwrap();
    assert_eq!(page_no, 1);
    update(
        &mut state,
        Msg::ListFailed {
            generation: old,
            page: 1,
            error: server_error(),
        },
    );
    assert!(state.status.as_ref().is_none_or(|s| !s.error));
    update(
        &mut state,
        Msg::ListFailed {
            generation: current,
            page: 1,
            error: server_error(),
        },
    );
    let status = state.status.clone().unwrap();
    assert!(
        status.error
            && status
                .text
                .starts_with("refresh failed: page 1: the server failed"),
        "{status:?}"
    );
    assert_eq!(state.list.rows().len(), 3, "old rows stay on screen");
}

#[test]
fn stale_detail_replies_and_errors_are_dropped() {
    let (mut state, _) = with_first_page(9);
    let first = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    update(&mut state, ch('J'));
    let second = detail_fetch(&update(&mut state, ch('J'))).unwrap();
    assert_eq!(second.1, ConversationRef::Pk(3));
    update(&mut state, loaded(whole(1), first.0));
    update(
        &mut state,
        Msg::DetailFailed {
            generation: first.0,
            error: server_error(),
        },
    );
    assert!(state.detail.view.is_none());
    assert!(state.status.as_ref().is_none_or(|s| !s.error));
    update(&mut state, loaded(whole(3), second.0));
    let shown = state.detail.view.as_ref().unwrap().conversation().id;
    assert_eq!(shown, Some(3));
}

#[test]
fn the_selection_settles_before_its_transcript_is_fetched() {
    let (mut state, cmds) = with_first_page(9);
    // Landing on page 1 starts the timer for row 0.
    let first = settle_timer(&cmds).unwrap();
    let j1 = settle_timer(&update(&mut state, ch('j'))).unwrap();
    let j2 = settle_timer(&update(&mut state, ch('j'))).unwrap();
    assert!(detail_fetch(&update(&mut state, first)).is_none());
    assert!(detail_fetch(&update(&mut state, j1)).is_none());
    let (_, id) = detail_fetch(&update(&mut state, j2)).unwrap();
    assert_eq!(
        id,
        ConversationRef::Pk(3),
        "only the current selection is fetched"
    );
    assert_eq!(state.focus, Focus::List, "settling does not take the keys");
}

#[test]
fn open_back_and_quit_from_the_detail_pane_goes_back_first() {
    let (mut state, _) = with_first_page(9);
    let (generation, id) = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    assert_eq!(id, ConversationRef::Pk(1));
    assert_eq!(state.focus, Focus::Detail);
    update(&mut state, loaded(whole(1), generation));
    assert!(state.detail.view.is_some());
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.focus, Focus::List);
    // Opening it again comes from the cache: no fetch.
    assert!(detail_fetch(&update(&mut state, ch('l'))).is_none());
    assert_eq!(state.focus, Focus::Detail);
    update(&mut state, ch('q'));
    assert_eq!(state.focus, Focus::List);
    assert!(!state.quit);
    update(&mut state, ch('q'));
    assert!(state.quit);
}

#[test]
fn tabs_switch_by_number_and_by_tab_key() {
    let (mut state, _) = with_first_page(9);
    let (generation, _) = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    update(&mut state, loaded(whole(1), generation));
    let tab = |state: &State| state.detail.view.as_ref().unwrap().tab();
    update(&mut state, ch('3'));
    assert_eq!(tab(&state), Tab::Feedback);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(tab(&state), Tab::Attachments);
    update(&mut state, key(KeyCode::BackTab));
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!(tab(&state), Tab::Actions);
    update(&mut state, ch('6'));
    assert_eq!(tab(&state), Tab::Raw);
}

#[test]
fn tab_in_the_list_moves_the_focus_and_keeps_the_tab() {
    let (mut state, _) = with_first_page(9);
    // Nothing open: Tab stays in the list.
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.focus, Focus::List);
    let (generation, _) = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    update(&mut state, loaded(whole(1), generation));
    let tab = |state: &State| state.detail.view.as_ref().unwrap().tab();
    update(&mut state, ch('3'));
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.focus, Focus::List);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.focus, Focus::Detail);
    assert_eq!(tab(&state), Tab::Feedback, "Tab only moved the focus");
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!((state.focus, tab(&state)), (Focus::Detail, Tab::Feedback));
    // A tab's number from the list picks that tab.
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, ch('5'));
    assert_eq!((state.focus, tab(&state)), (Focus::Detail, Tab::Meta));
}

#[test]
fn paging_uses_the_prefetched_page_at_once_and_fetches_otherwise() {
    let (mut state, cmds) = with_first_page(9);
    let (epoch, next) = prefetch(&cmds).unwrap();
    assert_eq!(next, 2);
    update(
        &mut state,
        Msg::Prefetched {
            generation: epoch,
            page: page(2, 9),
        },
    );
    let cmds = update(&mut state, ch(']'));
    assert!(
        list_fetch(&cmds).is_none(),
        "a prefetched page needs no fetch"
    );
    assert_eq!(state.list.page_number(), 2);
    assert_eq!(state.list.selected, 0);
    assert_eq!(prefetch(&cmds).map(|p| p.1), Some(3));
    // Back to page 1: kept, so at once too, landing on its last row.
    let cmds = update(&mut state, ch('['));
    assert!(list_fetch(&cmds).is_none());
    assert_eq!(state.list.page_number(), 1);
    assert_eq!(state.list.selected, 2);
    let cmds = update(&mut state, ch('['));
    assert!(list_fetch(&cmds).is_none(), "no page before the first");
    assert!(state.status.as_ref().unwrap().text.contains("first page"));
}

#[test]
fn page_down_past_the_last_row_loads_the_next_page() {
    let (mut state, _) = with_first_page(9);
    update(&mut state, ch('G'));
    assert_eq!(state.list.selected, 2);
    let (generation, page_no, _) = list_fetch(&update(&mut state, key(KeyCode::PageDown))).unwrap();
    assert_eq!(page_no, 2);
    assert_eq!(
        state.list.rows()[0].id,
        Some(1),
        "old rows stay while the next page loads"
    );
    update(
        &mut state,
        Msg::ListLoaded {
            generation,
            page: page(2, 9),
        },
    );
    assert_eq!(state.list.rows()[0].id, Some(4));
    assert_eq!(state.list.selected, 0);
    update(&mut state, key(KeyCode::PageUp));
    assert_eq!(state.list.page_number(), 1, "page 1 is kept: back at once");
    assert_eq!(state.list.selected, 2);
    update(&mut state, ch(']'));
    let (generation, page_no, _) = list_fetch(&update(&mut state, ch(']'))).unwrap();
    assert_eq!(page_no, 3);
    update(
        &mut state,
        Msg::ListLoaded {
            generation,
            page: page(3, 9),
        },
    );
    assert!(fetches(&update(&mut state, ch(']'))).is_empty());
    let status = state.status.clone().unwrap();
    assert!(status.text.contains("last page"), "{status:?}");
}

#[test]
fn j_and_k_walk_conversations_across_a_page_boundary() {
    let (mut state, _) = with_first_page(9);
    update(&mut state, ch('G'));
    let (generation, id) = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    assert_eq!(id, ConversationRef::Pk(3));
    update(&mut state, loaded(whole(3), generation));
    // Past the last row of page 1: page 2 is fetched, then its first row opened.
    let cmds = update(&mut state, ch('J'));
    let (list_gen, page_no, _) = list_fetch(&cmds).unwrap();
    assert_eq!(page_no, 2);
    let cmds = update(
        &mut state,
        Msg::ListLoaded {
            generation: list_gen,
            page: page(2, 9),
        },
    );
    let (generation, id) = detail_fetch(&cmds).unwrap();
    assert_eq!(id, ConversationRef::Pk(4));
    assert_eq!(state.focus, Focus::Detail);
    update(&mut state, loaded(whole(4), generation));
    // Back across the boundary: page 1 is kept and row 3 cached, so no fetch at all.
    let cmds = update(&mut state, ch('K'));
    assert!(
        fetches(&cmds)
            .iter()
            .all(|f| !matches!(f, Fetch::List { .. } | Fetch::Detail { .. }))
    );
    assert_eq!(state.list.page_number(), 1);
    assert_eq!(state.list.selected, 2);
    assert_eq!(
        state.detail.view.as_ref().unwrap().conversation().id,
        Some(3)
    );
}

#[test]
fn a_filter_is_edited_in_place_and_applied_with_enter() {
    let (mut state, _) = with_first_page(9);
    update(&mut state, ch('f'));
    let device = state
        .filter
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .position(|r| r.spec.key == "device")
        .unwrap();
    for _ in 0..device {
        update(&mut state, ch('j'));
    }
    update(&mut state, key(KeyCode::Enter));
    assert!(state.filter.as_ref().unwrap().editing);
    // While the field has focus it takes every key, even q and f.
    assert!(typed(&mut state, "qf").is_empty());
    assert!(!state.quit);
    update(&mut state, ctrl('u'));
    typed(&mut state, "mobile");
    let cmds = update(&mut state, key(KeyCode::Enter));
    let (_, page_no, summary) = list_fetch(&cmds).unwrap();
    assert_eq!((page_no, summary.as_str()), (1, "device=mobile"));
    assert!(state.filter.is_none());
    assert_eq!(state.query.summary(), "device=mobile");
}

#[test]
fn a_refused_value_stays_in_its_field_with_the_reason_and_is_never_sent() {
    let (mut state, _) = with_first_page(9);
    update(&mut state, ch('f'));
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Enter)); // started_at_after
    typed(&mut state, "last tuesday");
    let cmds = update(&mut state, key(KeyCode::Enter));
    assert!(fetches(&cmds).is_empty(), "nothing is sent");
    let panel = state.filter.as_ref().unwrap();
    let row = &panel.rows[panel.selected];
    assert_eq!(row.spec.key, "started_at_after");
    assert_eq!(row.value(), "last tuesday");
    assert!(row.error.as_deref().unwrap().contains("is not a date"));
    assert!(panel.editing, "the field keeps the focus");
    assert!(state.status.as_ref().unwrap().error);
    assert!(state.query.is_empty());
    update(&mut state, ctrl('u'));
    typed(&mut state, "7d");
    let (_, _, summary) = list_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    assert_eq!(summary, "since=7d");
    assert!(
        state.status.is_none(),
        "the refusal does not outlive its fix"
    );
}

#[test]
fn choices_cycle_backspace_on_empty_clears_and_esc_discards() {
    let (mut state, _) = with_first_page(9);
    update(&mut state, ch('f'));
    for _ in 0..4 {
        update(&mut state, ch('j'));
    }
    update(&mut state, key(KeyCode::Left)); // feedback_sentiment: any → negative
    let cmds = update(&mut state, key(KeyCode::Enter));
    assert_eq!(list_fetch(&cmds).unwrap().2, "sentiment=negative");
    update(&mut state, ch('f'));
    update(&mut state, ch('e')); // search: edit
    update(&mut state, ch('x'));
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Backspace)); // on empty: cleared, the field keeps the keys
    let panel = state.filter.as_ref().unwrap();
    assert!(panel.editing && panel.rows[0].value().is_empty());
    update(&mut state, key(KeyCode::Esc)); // leaves the field
    assert!(!state.filter.as_ref().unwrap().editing);
    update(&mut state, key(KeyCode::Esc)); // closes the panel
    assert!(state.filter.is_none());
    assert_eq!(state.query.summary(), "sentiment=negative");
}

#[test]
fn capital_f_clears_every_filter_from_the_list() {
    let (mut state, _) = with_first_page(9);
    state.query.set("device", "mobile").unwrap();
    let (_, page_no, summary) = list_fetch(&update(&mut state, ch('F'))).unwrap();
    assert_eq!((page_no, summary.as_str()), (1, ""));
    assert!(fetches(&update(&mut state, ch('F'))).is_empty());
    assert!(state.status.as_ref().unwrap().text.contains("no filters"));
}

#[test]
fn search_counts_matches_and_n_moves_through_them() {
    let (mut state, _) = with_first_page(9);
    let (generation, _) = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    update(&mut state, loaded(whole(1), generation));
    update(&mut state, ch('/'));
    assert!(matches!(state.prompt, Some(Prompt::Search(_))));
    typed(&mut state, "refund");
    let (text, status) = state.detail.search.clone().unwrap();
    assert_eq!(text, "refund");
    assert_eq!(status.matches, 3);
    update(&mut state, key(KeyCode::Enter));
    assert!(state.prompt.is_none());
    let before = state.detail.search.clone().unwrap().1.current;
    update(&mut state, ch('n'));
    let after = state.detail.search.clone().unwrap().1.current;
    assert_ne!(before, after);
    update(&mut state, ch('/'));
    update(&mut state, key(KeyCode::Esc));
    assert!(state.detail.search.is_none());
}

#[test]
fn help_is_searchable_and_ctrl_c_quits_from_a_text_field() {
    let (mut state, _) = with_first_page(9);
    update(&mut state, ch('?'));
    typed(&mut state, "page");
    assert_eq!(state.help.as_ref().unwrap().filter.value(), "page");
    update(&mut state, key(KeyCode::Esc));
    assert!(state.help.is_none());
    update(&mut state, ch('f'));
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, ctrl('c'));
    assert!(state.quit);
}

#[test]
fn copy_save_and_suspend_become_commands() {
    let (mut state, _) = with_first_page(9);
    let cmds = update(&mut state, ch('y'));
    assert!(matches!(&cmds[..], [Cmd::Copy { text, what: "id" }] if text == "conv-1"));
    assert!(matches!(
        &update(&mut state, ch('Y'))[..],
        [Cmd::CopyDashboardUrl(_)]
    ));
    assert!(update(&mut state, ch('s')).is_empty());
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("open a conversation first")
    );
    let (generation, _) = detail_fetch(&update(&mut state, key(KeyCode::Enter))).unwrap();
    update(&mut state, loaded(whole(1), generation));
    update(&mut state, ch('s'));
    assert!(matches!(state.prompt, Some(Prompt::Save)));
    assert!(matches!(
        &update(&mut state, ch('m'))[..],
        [Cmd::Save(_, _)]
    ));
    assert!(matches!(&update(&mut state, ctrl('z'))[..], [Cmd::Suspend]));
}

#[test]
fn with_the_mouse_on_a_click_selects_and_the_wheel_moves() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let click = |row| mouse(MouseEventKind::Down(MouseButton::Left), 5, row);
    let (mut state, _) = with_first_page(9);
    // Rows start under the header, the filter line, the border and the column titles.
    update(&mut state, click(6));
    assert_eq!(state.list.selected, 0, "the mouse is off by default");
    state.mouse = true;
    let cmds = update(&mut state, click(6));
    assert_eq!(state.list.selected, 2);
    assert!(settle_timer(&cmds).is_some());
    update(&mut state, mouse(MouseEventKind::ScrollUp, 5, 10));
    assert_eq!(state.list.selected, 0);
    update(&mut state, mouse(MouseEventKind::ScrollDown, 5, 10));
    assert_eq!(state.list.selected, 2);
}

#[test]
fn a_key_that_does_nothing_says_so_and_changes_nothing() {
    let (mut state, _) = with_first_page(9);
    let selected = state.list.selected;
    let cmds = update(&mut state, ch('z'));
    assert!(cmds.is_empty());
    assert_eq!(state.list.selected, selected);
    let status = state.status.as_ref().expect("a notice");
    assert!(!status.error);
    assert_eq!(status.text, "z does nothing here · ? lists the keys");
    update(&mut state, ch('j'));
    assert!(state.status.is_none(), "the next real key clears it");
}
