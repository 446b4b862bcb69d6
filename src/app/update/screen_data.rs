//! What the screens' keys, their writes and the filter panel share: asking for a page or a ticket, which ticket or conversation a row points at, and a screen's query.

use super::usage;
use crate::app::cmd::{Cmd, Fetch};
use crate::app::screens::{Screen, ScreenFetch};
use crate::app::state::State;
use crate::provider::model::{Feedback, Ticket};
use crate::provider::{ConversationRef, Query};

/// Asks for a page of a screen's list; the request before it becomes stale.
pub(super) fn fetch_page(state: &mut State, screen: Screen, page: u32, to_first: bool) -> Vec<Cmd> {
    let (generation, query, page_size) = match screen {
        Screen::Tickets => state.screens.tickets.begin(page, to_first),
        Screen::Feedback => state.screens.feedback.begin(page, to_first),
        Screen::Usage => return usage::fetch(state),
        Screen::Conversations => return Vec::new(),
    };
    vec![Cmd::Fetch(Fetch::Screen(ScreenFetch::Page {
        screen,
        generation,
        query,
        page: page.max(1),
        page_size,
    }))]
}

/// The ticket keys act on: the open thread's, else the selected row's.
pub(super) fn target_ticket(state: &State) -> Option<&Ticket> {
    if state.screen != Screen::Tickets {
        return None;
    }
    match &state.screens.thread {
        Some(open) => Some(&open.ticket),
        None => state.screens.tickets.selected_row(),
    }
}

/// Asks for one ticket, whole; the previous ticket fetch becomes stale.
pub(super) fn fetch_ticket(state: &mut State, id: i64) -> Vec<Cmd> {
    state.screens.thread_generation += 1;
    if let Some(open) = state.screens.thread.as_mut() {
        open.loading = true;
    }
    vec![Cmd::Fetch(Fetch::Screen(ScreenFetch::Ticket {
        generation: state.screens.thread_generation,
        id,
    }))]
}

/// The conversation a ticket points at.
pub(super) fn ticket_conversation(ticket: &Ticket) -> Option<ConversationRef> {
    let c = ticket.conversation.as_ref()?;
    c.id.map(ConversationRef::Pk)
        .or_else(|| c.conversation_id.clone().map(ConversationRef::Id))
}

/// The conversation a feedback row is about.
pub(super) fn feedback_conversation(feedback: &Feedback) -> Option<ConversationRef> {
    feedback
        .conversation
        .map(ConversationRef::Pk)
        .or_else(|| feedback.conversation_id.clone().map(ConversationRef::Id))
}

/// The query of the screen shown, if known.
pub(super) fn query(state: &State) -> Option<&Query> {
    match state.screen {
        Screen::Tickets => state.screens.tickets.query.as_ref(),
        Screen::Feedback => state.screens.feedback.query.as_ref(),
        Screen::Usage => state.screens.usage.query.as_ref(),
        Screen::Conversations => Some(&state.query),
    }
}

/// The filter panel's accepted draft for a screen: the list reloads from page 1 if it changed.
pub(super) fn apply_filters(state: &mut State, query: Query) -> Vec<Cmd> {
    let screen = state.screen;
    let pane_query = match screen {
        Screen::Tickets => &mut state.screens.tickets.query,
        Screen::Feedback => &mut state.screens.feedback.query,
        Screen::Usage => &mut state.screens.usage.query,
        Screen::Conversations => return Vec::new(),
    };
    if pane_query.as_ref() == Some(&query) {
        return Vec::new();
    }
    *pane_query = Some(query);
    state.screens.thread = None;
    fetch_page(state, screen, 1, true)
}

/// The base the filter panel validates against: the screen's query.
pub(super) fn filter_base(state: &State) -> Option<Query> {
    query(state).cloned()
}
