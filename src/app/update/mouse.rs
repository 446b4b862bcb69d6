//! The mouse, when turned on (`--mouse`): the wheel scrolls the pane under the pointer, a click selects a row, a tab of the open conversation, or focuses a pane.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{detail, list};
use crate::app::cmd::Cmd;
use crate::app::keymap::Action;
use crate::app::layout::Areas;
use crate::app::state::{Focus, State};

/// Rows a wheel notch moves.
const WHEEL_STEP: usize = 3;

/// A mouse event, ignored unless the mouse is on and nothing sits over the panes.
pub(super) fn on_mouse(state: &mut State, event: MouseEvent) -> Vec<Cmd> {
    if state.mouse && state.log_view.is_some() {
        // Over the open log the wheel scrolls it, and nothing underneath is clicked.
        match event.kind {
            MouseEventKind::ScrollDown => super::log::scroll(state, Action::Down),
            MouseEventKind::ScrollUp => super::log::scroll(state, Action::Up),
            _ => {}
        }
        return Vec::new();
    }
    if !state.mouse || state.help.is_some() || state.filter.is_some() || state.prompt.is_some() {
        return Vec::new();
    }
    let areas = Areas::for_state(state);
    let at = Position::new(event.column, event.row);
    let over = |area: Option<Rect>| area.is_some_and(|a| a.contains(at));
    match event.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = event.kind == MouseEventKind::ScrollDown;
            if over(areas.detail) && state.detail.view.is_some() {
                let action = if down { Action::Down } else { Action::Up };
                (0..WHEEL_STEP)
                    .flat_map(|_| detail::act(state, action))
                    .collect()
            } else if over(areas.list) {
                let here = state.list.selected;
                let target = if down {
                    here.saturating_add(WHEEL_STEP)
                        .min(state.list.rows().len().saturating_sub(1))
                } else {
                    here.saturating_sub(WHEEL_STEP)
                };
                list::select(state, target)
            } else {
                Vec::new()
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if areas.list_rows.contains(at) {
                state.focus = Focus::List;
                let index = state.list.offset + usize::from(event.row - areas.list_rows.y);
                if index < state.list.rows().len() {
                    return list::select(state, index);
                }
            } else if over(areas.detail) && state.detail.view.is_some() {
                state.focus = Focus::Detail;
                let inner = areas.detail_inner;
                let tab = state
                    .detail
                    .view
                    .as_ref()
                    .filter(|_| inner.contains(at))
                    .and_then(|view| view.tab_at(event.column - inner.x, event.row - inner.y));
                if let Some(tab) = tab {
                    detail::set_tab(state, tab);
                }
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}
