//! The Usage screen's keys and replies: asking for the rollups, dollars or euros, moving in the conversation table, opening a conversation, and dropping a reply older than the latest request.

use super::open_ref;
use crate::app::cmd::{Cmd, Fetch};
use crate::app::generation::Generation;
use crate::app::keymap::Action;
use crate::app::layout::Areas;
use crate::app::screens::usage::UsageLayout;
use crate::app::screens::{Screen, ScreenFetch, UsageReport};
use crate::app::state::State;
use crate::provider::model::UsageGroup;
use crate::provider::{ConversationRef, Currency, Error, Query};

/// Asks for the rollups under the screen's filters and currency; the request before it becomes stale.
pub(super) fn fetch(state: &mut State) -> Vec<Cmd> {
    let (generation, query, currency) = state.screens.usage.begin();
    vec![Cmd::Fetch(Fetch::Screen(ScreenFetch::Usage {
        generation,
        query,
        currency,
    }))]
}

/// The rollups arrived: shown if they answer the latest request.
pub(super) fn loaded(state: &mut State, generation: Generation, query: Query, report: UsageReport) {
    if state.screens.usage.land(generation, query, report) {
        relayout(state);
    }
}

/// The rollups could not be fetched: said once, if it answers the latest request.
pub(super) fn failed(state: &mut State, generation: Generation, error: Error) {
    if !state.screens.usage.fail(generation) {
        return;
    }
    if let Error::Unsupported(why) = error {
        state.screens.usage.unsupported = Some(why);
    } else {
        state.error(format!("cannot load the usage: {error}"));
    }
}

/// A key on the usage screen that is its own (the screens share the rest).
pub(super) fn on_key(state: &mut State, action: Action) -> Option<Vec<Cmd>> {
    Some(match action {
        Action::ToggleCurrency => toggle_currency(state),
        Action::Refresh => fetch(state),
        Action::Open | Action::OpenConversation => open_conversation(state),
        Action::Down
        | Action::Up
        | Action::Top
        | Action::Bottom
        | Action::HalfPageDown
        | Action::HalfPageUp
        | Action::PageDown
        | Action::PageUp => {
            move_selection(state, action);
            Vec::new()
        }
        Action::NextPage | Action::PrevPage => {
            state.notice("the usage is one answer: no pages · f narrows it");
            Vec::new()
        }
        _ => return None,
    })
}

/// `$`: the rollups again in the other currency.
fn toggle_currency(state: &mut State) -> Vec<Cmd> {
    if let Some(why) = state.screens.usage.unsupported.clone() {
        state.notice(why);
        return Vec::new();
    }
    let usage = &mut state.screens.usage;
    usage.currency = match usage.currency {
        Currency::Usd => Currency::Eur,
        Currency::Eur => Currency::Usd,
    };
    fetch(state)
}

/// The rows the conversation table shows.
fn table_height(state: &State) -> usize {
    let models = state
        .screens
        .usage
        .shown
        .as_ref()
        .map_or(0, |r| r.by_model.results().len());
    UsageLayout::of(Areas::for_state(state).main, models).conversation_rows()
}

/// Keeps the conversation selection on screen.
pub(super) fn relayout(state: &mut State) {
    let height = table_height(state);
    state.screens.usage.scroll_to_selection(height);
}

fn move_selection(state: &mut State, action: Action) {
    let height = table_height(state);
    let usage = &mut state.screens.usage;
    let len = usage
        .shown
        .as_ref()
        .map_or(0, |r| r.by_conversation.results().len());
    let last = len.saturating_sub(1);
    let here = usage.selected;
    usage.selected = match action {
        Action::Down => here.saturating_add(1).min(last),
        Action::Up => here.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::HalfPageDown => here.saturating_add(height / 2).min(last),
        Action::HalfPageUp => here.saturating_sub(height / 2),
        Action::PageDown => here.saturating_add(height.max(1)).min(last),
        Action::PageUp => here.saturating_sub(height.max(1)),
        _ => here,
    };
    usage.scroll_to_selection(height);
}

/// The conversation a row names: its numeric id.
fn conversation_of(row: &UsageGroup) -> Option<ConversationRef> {
    row.group
        .as_deref()
        .and_then(|g| g.trim().parse::<i64>().ok())
        .map(ConversationRef::Pk)
}

/// Enter on a conversation row: that conversation in the detail pane of the
/// conversations screen (which keeps its own list as it was).
fn open_conversation(state: &mut State) -> Vec<Cmd> {
    let Some(row) = state.screens.usage.selected_row() else {
        return Vec::new();
    };
    let Some(id) = conversation_of(row) else {
        state.notice("this row does not name a conversation");
        return Vec::new();
    };
    state.screen = Screen::Conversations;
    state.filter = None;
    open_ref(state, id)
}
