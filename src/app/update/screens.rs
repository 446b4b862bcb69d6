//! The screens' keys and replies: switching screens, moving and paging, filters, a ticket's thread, and opening a row's conversation (their writes are in `screen_writes`, the Usage screen's own keys in `usage`).
//!
//! Each screen keeps its own list, page, selection and filters while another
//! is shown; every reply carries the generation it was asked under and a
//! stale one (an older page, an older filter) is dropped.

use crossterm::event::{KeyCode, KeyEvent};

use super::screen_data::{
    apply_filters, feedback_conversation, fetch_page, fetch_ticket, query, target_ticket,
    ticket_conversation,
};
use super::{filter, open_ref, overlay, picker, screen_writes, usage};
use crate::app::cmd::Cmd;
use crate::app::filter::FilterPanel;
use crate::app::keymap::{Action, Scope};
use crate::app::layout::{Areas, inside};
use crate::app::screens::{Rows, Screen, ScreenMsg, Thread};
use crate::app::state::{HelpOverlay, State};
use crate::provider::Error;
use crate::view::thread;

/// Which pane's bindings apply on a screen: a thread's (detail) or a list's;
/// `None` on the conversation screen, whose focus decides.
pub(super) fn scope(state: &State) -> Option<Scope> {
    match state.screen {
        Screen::Conversations => None,
        Screen::Tickets if state.screens.thread.is_some() => Some(Scope::Detail),
        Screen::Tickets | Screen::Feedback | Screen::Usage => Some(Scope::List),
    }
}

/// `C`, `I`, `B`, `U`: shows a screen; the first visit loads its first page.
pub(super) fn switch(state: &mut State, action: Action) -> Vec<Cmd> {
    let screen = match action {
        Action::ShowTickets => Screen::Tickets,
        Action::ShowFeedback => Screen::Feedback,
        Action::ShowUsage => Screen::Usage,
        _ => Screen::Conversations,
    };
    state.filter = None;
    state.screen = screen;
    let started = match screen {
        Screen::Conversations => return Vec::new(),
        Screen::Tickets => state.screens.tickets.started(),
        Screen::Feedback => state.screens.feedback.started(),
        Screen::Usage if state.screens.usage.started() => return Vec::new(),
        Screen::Usage => return usage::fetch(state),
    };
    if started {
        Vec::new()
    } else {
        fetch_page(state, screen, 1, true)
    }
}

/// A reply for a screen: shown if it answers the latest request, else dropped.
pub(super) fn on_msg(state: &mut State, msg: ScreenMsg) -> Vec<Cmd> {
    match msg {
        ScreenMsg::Loaded {
            generation,
            query,
            rows,
        } => {
            match rows {
                Rows::Tickets(listing) => {
                    state.screens.tickets.land(generation, query, listing);
                }
                Rows::Feedback(listing) => {
                    state.screens.feedback.land(generation, query, listing);
                }
            }
            relayout(state);
        }
        ScreenMsg::Failed {
            screen,
            generation,
            page,
            error,
        } => {
            let current = match screen {
                Screen::Tickets => state.screens.tickets.fail(generation),
                Screen::Feedback => state.screens.feedback.fail(generation),
                Screen::Conversations | Screen::Usage => false,
            };
            if current {
                if let Error::Unsupported(why) = error {
                    match screen {
                        Screen::Tickets => state.screens.tickets.unsupported = Some(why),
                        _ => state.screens.feedback.unsupported = Some(why),
                    }
                } else {
                    let what = screen.title().to_lowercase();
                    state.error(format!("cannot load {what} page {page}: {error}"));
                }
            }
        }
        ScreenMsg::TicketLoaded { generation, ticket } => {
            if generation == state.screens.thread_generation {
                if let Some(open) = state.screens.thread.as_mut() {
                    if ticket.id == Some(open.id) {
                        open.ticket = *ticket;
                        open.loading = false;
                    }
                }
                clamp_thread(state);
            }
        }
        ScreenMsg::UsageLoaded {
            generation,
            query,
            report,
        } => usage::loaded(state, generation, query, *report),
        ScreenMsg::UsageFailed { generation, error } => usage::failed(state, generation, error),
        ScreenMsg::TicketFailed { generation, error } => {
            if generation == state.screens.thread_generation {
                if let Some(open) = state.screens.thread.as_mut() {
                    open.loading = false;
                }
                state.error(format!("cannot load the ticket: {error}"));
            }
        }
    }
    Vec::new()
}

/// A key on a tickets or feedback screen (overlays, prompts, pickers and the
/// filter panel have had theirs first).
pub(super) fn on_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let in_thread = state.screen == Screen::Tickets && state.screens.thread.is_some();
    let Some(action) = action else {
        // The thread's conversation line opens with Enter, as a row does.
        if in_thread && key.code == KeyCode::Enter {
            return open_conversation(state);
        }
        let label = crate::app::keymap::Key::of(&key).label();
        if matches!(key.code, KeyCode::Char(_) | KeyCode::F(_)) || !key.modifiers.is_empty() {
            state.notice(format!("{label} does nothing here · ? lists the keys"));
        }
        return Vec::new();
    };
    if state.screen == Screen::Usage {
        if let Some(cmds) = usage::on_key(state, action) {
            return cmds;
        }
    }
    match action {
        Action::ShowConversations
        | Action::ShowTickets
        | Action::ShowFeedback
        | Action::ShowUsage => switch(state, action),
        Action::Quit | Action::Back if in_thread => {
            state.screens.thread = None;
            Vec::new()
        }
        // As in the detail pane, q steps back first: to the conversations.
        Action::Quit => switch(state, Action::ShowConversations),
        Action::ForceQuit => {
            state.quit = true;
            Vec::new()
        }
        Action::Suspend => vec![Cmd::Suspend],
        Action::Help => {
            state.help = Some(HelpOverlay::default());
            Vec::new()
        }
        Action::SwitchProfile => {
            picker::open_profiles(state);
            Vec::new()
        }
        Action::Filter => open_filters(state),
        Action::ClearFilters => clear_filters(state),
        Action::Refresh => refresh(state),
        Action::NextPage => {
            let page = page_number(state).saturating_add(1);
            go_page(state, page)
        }
        Action::PrevPage => {
            let page = page_number(state).saturating_sub(1);
            go_page(state, page)
        }
        Action::Down
        | Action::Up
        | Action::Top
        | Action::Bottom
        | Action::HalfPageDown
        | Action::HalfPageUp
        | Action::PageDown
        | Action::PageUp => {
            if in_thread {
                scroll_thread(state, action);
                Vec::new()
            } else {
                move_selection(state, action)
            }
        }
        Action::Open if state.screen == Screen::Tickets && !in_thread => open_thread(state),
        Action::Open | Action::OpenConversation => open_conversation(state),
        Action::CommentTicket => screen_writes::ask_comment(state),
        Action::TicketStatus => screen_writes::open_ticket_picker(state, true),
        Action::TicketPriority => screen_writes::open_ticket_picker(state, false),
        Action::OpenById => {
            overlay::ask_open(state);
            Vec::new()
        }
        Action::FileTicket if state.screen == Screen::Feedback => screen_writes::promote(state),
        _ => {
            let what = state.screen.title().to_lowercase();
            let key = crate::app::keymap::Key::of(&key).label();
            state.notice(format!(
                "{key} does nothing on the {what} screen · ? lists the keys"
            ));
            Vec::new()
        }
    }
}

/// The page on screen of the screen shown.
fn page_number(state: &State) -> u32 {
    match state.screen {
        Screen::Tickets => state.screens.tickets.page_number(),
        Screen::Feedback => state.screens.feedback.page_number(),
        Screen::Conversations | Screen::Usage => 1,
    }
}

/// `]` and `[`: another page, within the ones the server says there are.
fn go_page(state: &mut State, page: u32) -> Vec<Cmd> {
    let (total, unsupported) = match state.screen {
        Screen::Tickets => (
            state.screens.tickets.total_pages(),
            state.screens.tickets.unsupported.is_some(),
        ),
        Screen::Feedback => (
            state.screens.feedback.total_pages(),
            state.screens.feedback.unsupported.is_some(),
        ),
        Screen::Conversations | Screen::Usage => return Vec::new(),
    };
    if unsupported {
        return Vec::new();
    }
    if page == 0 || page > total {
        state.notice(if page == 0 {
            "already on the first page".to_owned()
        } else {
            format!("already on the last page ({total})")
        });
        return Vec::new();
    }
    state.screens.thread = None;
    fetch_page(state, state.screen, page, true)
}

/// `r`: the page again (and the open ticket), keeping the selection's place.
fn refresh(state: &mut State) -> Vec<Cmd> {
    let page = page_number(state);
    let mut cmds = fetch_page(state, state.screen, page, false);
    if state.screen == Screen::Tickets {
        if let Some(id) = state.screens.thread.as_ref().map(|t| t.id) {
            cmds.extend(fetch_ticket(state, id));
        }
    }
    cmds
}

/// How many rows the list shows (inside its border, below the column titles).
fn list_height(state: &State) -> usize {
    usize::from(
        inside(Areas::for_state(state).main)
            .height
            .saturating_sub(1),
    )
}

/// Keeps the selection and the thread's scroll within the screen.
pub(super) fn relayout(state: &mut State) {
    let height = list_height(state);
    state.screens.tickets.scroll_to_selection(height);
    state.screens.feedback.scroll_to_selection(height);
    clamp_thread(state);
    usage::relayout(state);
}

fn move_selection(state: &mut State, action: Action) -> Vec<Cmd> {
    let height = list_height(state);
    let (len, here) = match state.screen {
        Screen::Tickets => (
            state.screens.tickets.rows().len(),
            state.screens.tickets.selected,
        ),
        Screen::Feedback => (
            state.screens.feedback.rows().len(),
            state.screens.feedback.selected,
        ),
        Screen::Conversations | Screen::Usage => return Vec::new(),
    };
    let last = len.saturating_sub(1);
    let page = page_number(state);
    let target = match action {
        Action::Down => here.saturating_add(1).min(last),
        Action::Up => here.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::HalfPageDown => here.saturating_add(height / 2).min(last),
        Action::HalfPageUp => here.saturating_sub(height / 2),
        Action::PageDown if len > 0 && here == last => return go_page(state, page + 1),
        Action::PageDown => here.saturating_add(height).min(last),
        Action::PageUp if here == 0 && page > 1 => return go_page(state, page - 1),
        Action::PageUp => here.saturating_sub(height),
        _ => here,
    };
    if state.screen == Screen::Tickets {
        state.screens.tickets.selected = target;
        state.screens.tickets.scroll_to_selection(height);
    } else {
        state.screens.feedback.selected = target;
        state.screens.feedback.scroll_to_selection(height);
    }
    Vec::new()
}

/// The thread's box: the main area inside its border.
fn thread_size(state: &State) -> (usize, usize) {
    let inner = inside(Areas::for_state(state).main);
    (usize::from(inner.width), usize::from(inner.height))
}

/// The most the thread can scroll: its rows past the last screenful.
fn thread_max_scroll(state: &State) -> usize {
    let (width, height) = thread_size(state);
    state.screens.thread.as_ref().map_or(0, |t| {
        thread::rows(&t.ticket, state.zone, width)
            .len()
            .saturating_sub(height)
    })
}

fn clamp_thread(state: &mut State) {
    let max = thread_max_scroll(state);
    if let Some(open) = state.screens.thread.as_mut() {
        open.scroll = open.scroll.min(max);
    }
}

fn scroll_thread(state: &mut State, action: Action) {
    let max = thread_max_scroll(state);
    let (_, height) = thread_size(state);
    let Some(open) = state.screens.thread.as_mut() else {
        return;
    };
    let here = open.scroll;
    open.scroll = match action {
        Action::Down => here.saturating_add(1),
        Action::Up => here.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => max,
        Action::HalfPageDown => here.saturating_add(height / 2),
        Action::HalfPageUp => here.saturating_sub(height / 2),
        Action::PageDown => here.saturating_add(height.max(1)),
        Action::PageUp => here.saturating_sub(height.max(1)),
        _ => here,
    }
    .min(max);
}

/// Enter on a ticket: its thread, shown from the row at once and fetched whole.
fn open_thread(state: &mut State) -> Vec<Cmd> {
    let Some(row) = state.screens.tickets.selected_row().cloned() else {
        return Vec::new();
    };
    let Some(id) = row.id else {
        state.error("this ticket has no id; its thread cannot be fetched");
        return Vec::new();
    };
    state.screens.thread = Some(Thread {
        id,
        ticket: row,
        scroll: 0,
        loading: true,
    });
    fetch_ticket(state, id)
}

/// Enter on a feedback row, `O` on a ticket: its conversation, in the detail
/// pane of the conversations screen (which keeps its own list as it was).
fn open_conversation(state: &mut State) -> Vec<Cmd> {
    let (id, noun) = match state.screen {
        Screen::Tickets => (target_ticket(state).and_then(ticket_conversation), "ticket"),
        Screen::Feedback => (
            state
                .screens
                .feedback
                .selected_row()
                .and_then(feedback_conversation),
            "feedback",
        ),
        Screen::Conversations | Screen::Usage => return Vec::new(),
    };
    let selected = match state.screen {
        Screen::Tickets => target_ticket(state).is_some(),
        _ => state.screens.feedback.selected_row().is_some(),
    };
    // A vote opens on the Messages tab with the cursor on the voted message.
    state.screens.pending_message = match state.screen {
        Screen::Feedback => state
            .screens
            .feedback
            .selected_row()
            .filter(|f| f.kind() == "message")
            .and_then(|f| f.message.map(|m| (f.conversation, m))),
        _ => None,
    };
    match id {
        Some(id) => {
            state.screen = Screen::Conversations;
            state.filter = None;
            open_ref(state, id)
        }
        None if selected => {
            state.notice(format!("this {noun} is not about a conversation"));
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// `f`: the filter panel over the screen's own filters.
fn open_filters(state: &mut State) -> Vec<Cmd> {
    let unsupported = match state.screen {
        Screen::Tickets => state.screens.tickets.unsupported.clone(),
        Screen::Feedback => state.screens.feedback.unsupported.clone(),
        Screen::Usage => state.screens.usage.unsupported.clone(),
        Screen::Conversations => None,
    };
    if let Some(why) = unsupported {
        state.notice(why);
        return Vec::new();
    }
    match query(state) {
        Some(query) => {
            state.filter = Some(FilterPanel::open(query));
            filter::scroll(state);
        }
        None => state.notice("the filters are known once the first page has loaded"),
    }
    Vec::new()
}

/// `F`: the screen's filters cleared and page 1 again.
fn clear_filters(state: &mut State) -> Vec<Cmd> {
    match query(state) {
        Some(q) if !q.is_empty() => {
            let mut cleared = q.clone();
            cleared.clear_all();
            apply_filters(state, cleared)
        }
        _ => {
            state.notice("no filters to clear");
            Vec::new()
        }
    }
}

/// A conversation was put in the detail pane: a vote opened from the
/// feedback screen gets the cursor on its message.
pub(super) fn after_show(state: &mut State) {
    let Some((conversation, pk)) = state.screens.pending_message.take() else {
        return;
    };
    let shown = state.detail.view.as_ref().and_then(|v| v.conversation().id);
    if conversation.is_some() && shown.is_some() && conversation != shown {
        // Another conversation showed first (the vote's could not be fetched).
        return;
    }
    let placed = state
        .detail
        .view
        .as_mut()
        .is_some_and(|view| view.cursor_to_message(pk));
    if placed {
        super::prepare(state);
    } else {
        state.notice(format!(
            "message {pk} is not in this conversation's transcript"
        ));
    }
}
