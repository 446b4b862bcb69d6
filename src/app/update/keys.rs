//! Which part of the screen a key goes to (overlay, prompt, filter panel, pane) and the actions every pane shares.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::{
    attachments, detail, filter, find, list, log, overlay, picker, screens, watch, writes,
};
use crate::app::cmd::Cmd;
use crate::app::filter::FilterPanel;
use crate::app::keymap::{Action, Scope};
use crate::app::screens::Screen;
use crate::app::state::{Focus, HelpOverlay, Prompt, State};
use crate::view::detail::Tab;

/// A key press, routed: Ctrl-c quits from anywhere; otherwise the help
/// overlay, a prompt or the filter panel (each a text field that receives
/// every key) go first, then the focused pane's bindings.
pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let scope = screens::scope(state).unwrap_or(match state.focus {
        Focus::List => Scope::List,
        Focus::Detail => Scope::Detail,
    });
    let action = sideways(state, state.keymap.action(scope, &key));
    if action == Some(Action::ForceQuit) {
        state.quit = true;
        return Vec::new();
    }
    if state.help.is_some() {
        overlay::help_key(state, action, key);
        return Vec::new();
    }
    if state.log_view.is_some() {
        log::on_key(state, action, key);
        return Vec::new();
    }
    if state.form.is_some() {
        return writes::form_key(state, key);
    }
    if state.prompt.is_some() {
        return overlay::prompt_key(state, key);
    }
    if state.picker.is_some() {
        return picker::on_key(state, key);
    }
    if state.filter.is_some() {
        return filter::on_key(state, key);
    }
    if action == Some(Action::MessageLog) {
        // Opened over any screen, the status line it explains left as it was.
        log::open(state);
        return Vec::new();
    }
    state.status = None;
    if screens::scope(state).is_some() {
        return screens::on_key(state, action, key);
    }
    if let Some(cmds) = attachments::on_key(state, action, &key) {
        return cmds;
    }
    if let Some(cmds) = super::trace::on_key(state, action, &key) {
        return cmds;
    }
    if let Some(action) = action {
        return act(state, action);
    }
    // Say so rather than do nothing: a key that seems dead is a surprise.
    // Bare modifier and media keys are left alone.
    if matches!(key.code, KeyCode::Char(_) | KeyCode::F(_)) || !key.modifiers.is_empty() {
        let label = crate::app::keymap::Key::of(&key).label();
        state.notice(format!("{label} does nothing here · ? lists the keys"));
    }
    Vec::new()
}

/// `←`/`→` scroll long lines sideways only where lines are cut (the detail
/// pane with wrapping off, outside the Trace tab); elsewhere `←` is back, as
/// it always was, and `→` nothing.
fn sideways(state: &State, action: Option<Action>) -> Option<Action> {
    let view = state
        .detail
        .view
        .as_ref()
        .filter(|_| state.screen == Screen::Conversations && state.focus == Focus::Detail);
    let cut = view.is_some_and(|v| !v.wrap() && v.tab() != Tab::Trace);
    match action {
        Some(Action::ScrollLeft) if !cut => Some(Action::Back),
        // With a conversation open it says why nothing moves; elsewhere it is silent.
        Some(Action::ScrollRight) if view.is_none() => None,
        other => other,
    }
}

/// Does what an action asks, in the focused pane.
pub(super) fn act(state: &mut State, action: Action) -> Vec<Cmd> {
    match action {
        Action::Quit if state.focus == Focus::Detail => list::back_to_list(state),
        Action::Quit | Action::ForceQuit => {
            state.quit = true;
            Vec::new()
        }
        Action::Suspend => vec![Cmd::Suspend],
        Action::ShowConversations
        | Action::ShowTickets
        | Action::ShowFeedback
        | Action::ShowUsage => screens::switch(state, action),
        Action::ToggleCurrency => {
            state.notice("that key works on the usage screen (U)");
            Vec::new()
        }
        Action::CommentTicket
        | Action::TicketStatus
        | Action::TicketPriority
        | Action::OpenConversation => {
            state.notice("that key works on the tickets and feedback screens (I, B)");
            Vec::new()
        }
        Action::Help => {
            state.help = Some(HelpOverlay::default());
            Vec::new()
        }
        Action::Filter => {
            state.filter = Some(FilterPanel::open(&state.query));
            filter::scroll(state);
            Vec::new()
        }
        Action::ClearFilters => filter::clear_all(state),
        Action::PickView => {
            picker::open_views(state);
            Vec::new()
        }
        Action::OpenById => {
            overlay::ask_open(state);
            Vec::new()
        }
        Action::SwitchProfile => {
            picker::open_profiles(state);
            Vec::new()
        }

        Action::Refresh => watch::refresh(state),
        Action::Watch => watch::toggle(state),
        Action::SearchList => {
            find::ask(state);
            Vec::new()
        }
        Action::ClearSearch => find::clear(state),
        Action::SortNext | Action::SortPrev | Action::SortReverse => find::sort(state, action),
        Action::OpenFailure => find::open_on_failure(state),
        Action::NextPage => list::go_page(state, state.list.page_number().saturating_add(1), true),
        Action::PrevPage => list::go_page(state, state.list.page_number().saturating_sub(1), false),
        Action::CopyId => copy_id(state),
        Action::CopyUrl | Action::OpenUrl => dashboard(state, action),
        Action::Save => ask_save(state),
        Action::Search => start_search(state),
        _ if writes::handles(action) => writes::act(state, action),
        // From the list, a tab key goes to that tab of the open conversation.
        // Tab from the list moves the focus to the conversation and leaves its
        // tab as it was (as lazygit's panels do); a tab's number also picks it.
        Action::NextTab | Action::PrevTab if state.focus == Focus::List => {
            if state.detail.view.is_some() {
                state.focus = Focus::Detail;
            }
            Vec::new()
        }
        Action::GoTab(_) if state.focus == Focus::List => {
            if state.detail.view.is_none() {
                return Vec::new();
            }
            state.focus = Focus::Detail;
            detail::act(state, action)
        }
        _ => match state.focus {
            Focus::List => list::act(state, action),
            Focus::Detail => detail::act(state, action),
        },
    }
}

fn copy_id(state: &mut State) -> Vec<Cmd> {
    if let Some(c) = state.target() {
        return vec![Cmd::Copy {
            text: c.display_id(),
            what: "id",
        }];
    }
    state.notice("nothing selected to copy");
    Vec::new()
}

fn dashboard(state: &mut State, action: Action) -> Vec<Cmd> {
    let target = match (state.focus, &state.detail.view) {
        (Focus::Detail, Some(view)) => Some(Arc::clone(view.conversation())),
        _ => state.list.selected_row().cloned().map(Arc::new),
    };
    match (target, action) {
        (Some(c), Action::CopyUrl) => vec![Cmd::CopyDashboardUrl(c)],
        (Some(c), _) => vec![Cmd::OpenDashboard(c)],
        (None, _) => {
            state.notice("nothing selected");
            Vec::new()
        }
    }
}

fn ask_save(state: &mut State) -> Vec<Cmd> {
    if state.detail.view.is_some() {
        state.prompt = Some(Prompt::Save);
    } else {
        state.notice("open a conversation first (enter), then s to save it");
    }
    Vec::new()
}

fn start_search(state: &mut State) -> Vec<Cmd> {
    if state.detail.view.is_none() {
        state.notice("open a conversation first (enter), then / to search it");
        return Vec::new();
    }
    state.focus = Focus::Detail;
    state.prompt = Some(Prompt::Search(tui_input::Input::default()));
    Vec::new()
}
