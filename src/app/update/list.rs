//! The list pane: moving the selection, paging (with the page cache and prefetch), and the list's fetch replies.

use super::{SETTLE, open};
use crate::app::cmd::{Cmd, Fetch};
use crate::app::keymap::Action;
use crate::app::layout::Areas;
use crate::app::msg::{Generation, Msg};
use crate::app::state::{Focus, Landing, State};
use crate::app::watch::Refresh;
use crate::provider::{ConversationRef, Error, Page};

/// A key's action with the list focused.
pub(super) fn act(state: &mut State, action: Action) -> Vec<Cmd> {
    let len = state.list.rows().len();
    let here = state.list.selected;
    let height = rows_height(state);
    let last = len.saturating_sub(1);
    let target = match action {
        Action::Down => here.saturating_add(1).min(last),
        Action::Up => here.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::HalfPageDown => here.saturating_add(height / 2).min(last),
        Action::HalfPageUp => here.saturating_sub(height / 2),
        Action::PageDown if len > 0 && here == last => {
            let next = state.list.page_number().saturating_add(1);
            return go_page(state, next, true);
        }
        Action::PageDown => here.saturating_add(height).min(last),
        Action::PageUp if here == 0 && state.list.page_number() > 1 => {
            let previous = state.list.page_number() - 1;
            return go_page(state, previous, false);
        }
        Action::PageUp => here.saturating_sub(height),
        Action::Open => {
            return match state.list.selected_row().cloned() {
                Some(row) => open(state, &row),
                None => Vec::new(),
            };
        }
        Action::ToggleWrap => {
            if let Some(view) = state.detail.view.as_mut() {
                view.toggle_wrap();
            }
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    select(state, target)
}

/// Moves the selection and starts the settle timer for its transcript.
pub(super) fn select(state: &mut State, index: usize) -> Vec<Cmd> {
    if index == state.list.selected || state.list.rows().is_empty() {
        return Vec::new();
    }
    state.list.selected = index;
    if let Some(key) = state.list.texts.get(index).and_then(|t| t.key.as_ref()) {
        state.watch.looked_at(key);
    }
    let height = rows_height(state);
    state.list.scroll_to_selection(height);
    settle(state)
}

/// Bumps the selection's generation and asks to be told when it has rested.
pub(super) fn settle(state: &mut State) -> Vec<Cmd> {
    state.list.settle += 1;
    vec![Cmd::After {
        delay: SETTLE,
        msg: Box::new(Msg::Settled {
            generation: state.list.settle,
        }),
    }]
}

/// The selection rested: show its transcript beside the list (cached, or fetched).
pub(super) fn on_settled(state: &mut State, generation: Generation) -> Vec<Cmd> {
    if generation != state.list.settle || state.focus != Focus::List {
        return Vec::new();
    }
    let Some(row) = state.list.selected_row().cloned() else {
        return Vec::new();
    };
    if state.detail.shows(&row) {
        return Vec::new();
    }
    let cmds = open(state, &row);
    state.focus = Focus::List;
    cmds
}

/// Back from the detail pane: the list has the keys again, and the preview
/// follows its selection (after `:` or `convo open ID` it showed another
/// conversation), once the selection has rested as usual.
pub(super) fn back_to_list(state: &mut State) -> Vec<Cmd> {
    state.focus = Focus::List;
    match state.list.selected_row() {
        Some(row) if !state.detail.shows(row) => settle(state),
        Some(_) => Vec::new(),
        None => {
            forget_preview(state);
            Vec::new()
        }
    }
}

/// The list has no row to preview (the filters match nothing): the pane
/// shows nothing rather than a conversation the list no longer holds.
fn forget_preview(state: &mut State) {
    if state.list.shown.is_some() {
        state.detail.generation += 1;
        state.detail.loading = None;
        state.detail.view = None;
        state.detail.search = None;
    }
}

/// Rows the list shows at once.
fn rows_height(state: &State) -> usize {
    usize::from(Areas::for_state(state).list_rows.height).max(1)
}

/// Asks for a page; the list fetch in flight (if any) becomes stale, and so
/// do the background fetches for the rows on screen.
pub(super) fn fetch_page(state: &mut State, page: u32, landing: Landing) -> Vec<Cmd> {
    state.list.generation += 1;
    state.list.loading = Some(page);
    state.list.landing = landing;
    // A preview waiting for the selection to rest is for a row being
    // replaced; the page that lands settles its own.
    state.list.settle += 1;
    // A refresh is said when its own answer lands; any other fetch replaces it.
    state.list.refresh = None;
    let mut cmds = super::enrich::restart(state);
    cmds.push(Cmd::Fetch(Fetch::List {
        generation: state.list.generation,
        query: state.query.clone(),
        page,
        page_size: state.list.page_size,
    }));
    cmds
}

/// A new query or a refresh: cached and prefetched pages are forgotten, the page is fetched.
pub(super) fn new_epoch(state: &mut State, page: u32, landing: Landing) -> Vec<Cmd> {
    state.list.epoch += 1;
    state.list.pages.clear();
    state.list.prefetching = None;
    fetch_page(state, page, landing)
}

/// Goes to a page: at once when it is cached (prefetched), else fetched.
/// `forward` says where the selection lands (first row going forward).
pub(super) fn go_page(state: &mut State, page: u32, forward: bool) -> Vec<Cmd> {
    let landing = if forward {
        Landing::First
    } else {
        Landing::Last
    };
    to_page(state, page, landing)
}

/// Goes to a page, landing the selection as asked.
pub(super) fn to_page(state: &mut State, page: u32, landing: Landing) -> Vec<Cmd> {
    let total = state.list.shown.as_ref().map_or(1, |p| p.total_pages);
    if page == 0 {
        state.notice("already on the first page");
        return Vec::new();
    }
    // Past an empty or short page there is nothing, whatever the count said.
    let past_the_end = state
        .list
        .shown
        .as_ref()
        .is_some_and(|shown| page > total || (page > shown.page && !shown.has_next()));
    if past_the_end {
        state.notice("already on the last page");
        return Vec::new();
    }
    if let Some(cached) = state.list.pages.get(&page).cloned() {
        // Whatever list fetch is in flight is for another page now.
        state.list.generation += 1;
        state.list.loading = None;
        state.list.refresh = None;
        return land(state, cached, landing, None);
    }
    fetch_page(state, page, landing)
}

/// A page arrived: shown if it is the current request.
pub(super) fn on_loaded(state: &mut State, generation: Generation, page: Page) -> Vec<Cmd> {
    if generation != state.list.generation {
        return Vec::new();
    }
    state.list.loading = None;
    state.list.failed = false;
    let landing = state.list.landing;
    let refresh = state.list.refresh.take();
    let fresh_before = state.watch.fresh_count();
    let mut cmds = land(state, page, landing, refresh);
    cmds.extend(super::refreshed::landed(state, refresh, fresh_before));
    cmds
}

/// A page failed: said in the status bar if it is the current request.
pub(super) fn on_failed(
    state: &mut State,
    generation: Generation,
    page: u32,
    error: &Error,
) -> Vec<Cmd> {
    if generation != state.list.generation {
        return Vec::new();
    }
    state.list.loading = None;
    let refresh = state.list.refresh.take();
    if matches!(error, Error::NotFound { .. }) && page > 1 {
        // The page no longer exists (fewer rows since): start over.
        state.notice(format!("page {page} no longer exists; showing page 1"));
        return new_epoch(state, 1, Landing::First);
    }
    state.list.failed = true;
    match refresh {
        Some(Refresh::ByHand) => state.error(format!("refresh failed: page {page}: {error}")),
        Some(Refresh::ByWatch) => state.error(format!(
            "auto-refresh failed (still watching): page {page}: {error}"
        )),
        None => state.error(format!("page {page}: {error}")),
    }
    Vec::new()
}

/// A prefetched page arrived: kept if it is for the current query.
pub(super) fn on_prefetched(state: &mut State, generation: Generation, page: Page) {
    if generation != state.list.epoch {
        return;
    }
    if state.list.prefetching == Some(page.page) {
        state.list.prefetching = None;
    }
    state.list.remember(page);
}

/// Puts a page on screen, lands the selection, and prefetches the next page.
/// A refresh keeps the selection on the same conversation, wherever it moved.
fn land(state: &mut State, page: Page, landing: Landing, refresh: Option<Refresh>) -> Vec<Cmd> {
    let number = page.page;
    let has_next = page.has_next();
    let len = page.conversations.len();
    let was = state.list.selected_row().and_then(ConversationRef::of);
    state.list.remember(page.clone());
    state.list.show(page, state.zone);
    // Rows no longer on screen need nothing more.
    let mut cmds = super::enrich::restart(state);
    let keys = state.list.texts.iter().filter_map(|t| t.key.clone());
    state.watch.look(keys, refresh == Some(Refresh::ByWatch));
    let last = len.saturating_sub(1);
    let same = was.and_then(|id| {
        state
            .list
            .texts
            .iter()
            .position(|t| t.key.as_ref() == Some(&id))
    });
    state.list.selected = match landing {
        Landing::Keep => same.unwrap_or(state.list.selected).min(last),
        Landing::First | Landing::OpenFirst => 0,
        Landing::Last | Landing::OpenLast => last,
    };
    if landing != Landing::Keep {
        state.list.offset = 0;
    }
    let height = rows_height(state);
    state.list.scroll_to_selection(height);
    cmds.extend(match (landing, state.list.selected_row().cloned()) {
        (Landing::OpenFirst | Landing::OpenLast, Some(row)) => open(state, &row),
        (_, Some(_)) if state.focus == Focus::List => settle(state),
        (_, None) if state.focus == Focus::List => {
            forget_preview(state);
            Vec::new()
        }
        _ => Vec::new(),
    });
    let next = number.saturating_add(1);
    if has_next && !state.list.pages.contains_key(&next) && state.list.prefetching != Some(next) {
        state.list.prefetching = Some(next);
        cmds.push(Cmd::Fetch(Fetch::Prefetch {
            generation: state.list.epoch,
            query: state.query.clone(),
            page: next,
            page_size: state.list.page_size,
        }));
    }
    cmds
}
