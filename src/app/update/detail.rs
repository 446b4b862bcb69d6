//! The detail pane: scrolling, tabs, failed actions, search matches, and `J`/`K` through the list (across pages).

use super::list;
use super::open;
use crate::app::cmd::Cmd;
use crate::app::keymap::Action;
use crate::app::state::{Landing, State};
use crate::format::count::plural;
use crate::view::detail::{Scroll, SearchStatus, Tab};

/// A key's action with the detail pane focused.
pub(super) fn act(state: &mut State, action: Action) -> Vec<Cmd> {
    let cmds = act_on_view(state, action);
    super::prepare(state);
    cmds
}

fn act_on_view(state: &mut State, action: Action) -> Vec<Cmd> {
    match action {
        Action::Back => return list::back_to_list(state),
        Action::NextConversation => return walk(state, true),
        Action::PrevConversation => return walk(state, false),
        _ => {}
    }
    let Some(view) = state.detail.view.as_mut() else {
        return Vec::new();
    };
    let scroll = match action {
        Action::Down => Some(Scroll::Down(1)),
        Action::Up => Some(Scroll::Up(1)),
        Action::Top => Some(Scroll::Top),
        Action::Bottom => Some(Scroll::Bottom),
        Action::HalfPageDown => Some(Scroll::HalfPageDown),
        Action::HalfPageUp => Some(Scroll::HalfPageUp),
        Action::PageDown => Some(Scroll::PageDown),
        Action::PageUp => Some(Scroll::PageUp),
        _ => None,
    };
    if let Some(scroll) = scroll {
        view.scroll(scroll);
        return Vec::new();
    }
    match action {
        Action::NextTab => {
            let tab = view.next_tab();
            set_tab(state, tab);
        }
        Action::PrevTab => {
            let tab = view.prev_tab();
            set_tab(state, tab);
        }
        Action::GoTab(n) => {
            if let Some(tab) = view.tab_numbered(n.saturating_add(1)) {
                set_tab(state, tab);
            } else {
                let count = view.tabs().len();
                state.notice(format!(
                    "this conversation has {} (1–{count})",
                    plural(count, "tab")
                ));
            }
        }
        Action::ScrollLeft | Action::ScrollRight => {
            if view.wrap() || view.tab() == Tab::Trace {
                state.notice("long lines wrap here: nothing to scroll sideways (w cuts them)");
            } else if !view.scroll_sideways(action == Action::ScrollRight) {
                state.notice(if action == Action::ScrollRight {
                    "the lines in view end here"
                } else {
                    "at the start of the lines"
                });
            }
        }
        Action::ToggleWrap => {
            let wraps = view.toggle_wrap();
            state.notice(if wraps {
                "long lines wrap"
            } else {
                "long lines are cut: ←/→ scroll them sideways (w to wrap)"
            });
        }
        Action::NextFailure | Action::PrevFailure if !view.has_action_logs() => {
            let provider = view.provider();
            state.notice(format!(
                "{provider} has no action logs: no failed actions to jump to"
            ));
        }
        Action::NextFailure | Action::PrevFailure => {
            let found = if action == Action::NextFailure {
                view.next_failure()
            } else {
                view.prev_failure()
            };
            match found {
                Some((at, of)) => state.notice(format!("failed action {at}/{of}")),
                None => state.notice("no failed action in this conversation"),
            }
        }
        Action::NextMatch | Action::PrevMatch => {
            if state.detail.search.is_none() {
                state.notice("no search yet: / to search this conversation");
                return Vec::new();
            }
            let status = if action == Action::NextMatch {
                view.next_match()
            } else {
                view.prev_match()
            };
            remember_search(state, status);
        }
        _ => {}
    }
    Vec::new()
}

/// Shows a tab; the search (if any) carries over to it.
pub(super) fn set_tab(state: &mut State, tab: Tab) {
    let Some(view) = state.detail.view.as_mut() else {
        return;
    };
    view.set_tab(tab);
    super::prepare(state);
    if let Some(status) = state
        .detail
        .view
        .as_ref()
        .map(crate::view::detail::DetailView::search_status)
    {
        remember_search(state, status);
    }
}

/// Keeps where the search stands (its text unchanged).
pub(super) fn remember_search(state: &mut State, status: SearchStatus) {
    if let Some((_, current)) = state.detail.search.as_mut() {
        *current = status;
    }
}

/// `J`/`K`: the next or previous conversation of the list, opened; past the
/// page's end the neighbouring page is loaded (at once when prefetched).
fn walk(state: &mut State, forward: bool) -> Vec<Cmd> {
    let len = state.list.rows().len();
    let here = state.list.selected;
    let page = state.list.page_number();
    let has_next = state
        .list
        .shown
        .as_ref()
        .is_some_and(crate::provider::Page::has_next);
    let target = if forward {
        (here + 1 < len).then_some(here + 1)
    } else {
        here.checked_sub(1).filter(|_| len > 0)
    };
    if let Some(index) = target {
        state.list.selected = index;
        let height = usize::from(crate::app::layout::Areas::for_state(state).list_rows.height);
        state.list.scroll_to_selection(height);
        return match state.list.selected_row().cloned() {
            Some(row) => open(state, &row),
            None => Vec::new(),
        };
    }
    match (forward, has_next, page) {
        (true, true, _) => list::to_page(state, page + 1, Landing::OpenFirst),
        (false, _, 2..) => list::to_page(state, page - 1, Landing::OpenLast),
        (true, ..) => {
            state.notice("this is the last conversation of the list");
            Vec::new()
        }
        (false, ..) => {
            state.notice("this is the first conversation of the list");
            Vec::new()
        }
    }
}
