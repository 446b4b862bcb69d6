//! Keys of the message log overlay (`L`): scroll it, close it with Esc, `q` or `L` again.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keymap::Action;
use crate::app::layout::Areas;
use crate::app::log::{self, LogOverlay};
use crate::app::state::State;

/// `L`: opens the log at its newest message; an empty log says so instead.
pub(super) fn open(state: &mut State) {
    if state.log.is_empty() {
        state.notice("no messages yet: notices and errors are kept here as they come");
        return;
    }
    state.log_view = Some(LogOverlay::default());
}

/// A key while the log is open.
pub(super) fn on_key(state: &mut State, action: Option<Action>, key: KeyEvent) {
    if matches!(key.code, KeyCode::Esc | KeyCode::Enter)
        || matches!(
            action,
            Some(Action::Quit | Action::MessageLog | Action::Back)
        )
    {
        state.log_view = None;
        return;
    }
    if let Some(action) = action {
        scroll(state, action);
    }
}

/// Scrolls the open log as a movement key (or the wheel) asks; other actions do nothing here.
pub(super) fn scroll(state: &mut State, action: Action) {
    let Some(view) = state.log_view else {
        return;
    };
    let area = log::area(Areas::for_state(state).main);
    let visible = log::visible_rows(area).max(1);
    let total = log::rows(
        &state.log,
        usize::from(area.width.saturating_sub(2)),
        state.zone,
    )
    .len();
    let offset = view.offset;
    let moved = match action {
        Action::Down => offset.saturating_add(1),
        Action::Up => offset.saturating_sub(1),
        Action::PageDown => offset.saturating_add(visible),
        Action::PageUp => offset.saturating_sub(visible),
        Action::HalfPageDown => offset.saturating_add(visible / 2),
        Action::HalfPageUp => offset.saturating_sub(visible / 2),
        Action::Top => 0,
        Action::Bottom => usize::MAX,
        _ => offset,
    };
    state.log_view = Some(LogOverlay {
        offset: log::clamp(moved, total, visible),
    });
}
