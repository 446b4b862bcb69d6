//! The detail pane's frame: its border, and the open conversation (drawn by `DetailView`) or what the pane is waiting for.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::state::{Focus, State};
use crate::text::{Lines, sanitize};

/// Draws the pane.
pub fn render(state: &State, pane: Rect, inner: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let focused = state.focus == Focus::Detail && state.filter.is_none();
    let border = if focused {
        theme.focused_border()
    } else {
        theme.border()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .render(pane, buf);
    if let Some(view) = &state.detail.view {
        view.render(inner, buf);
        if view.tab() == crate::view::detail::Tab::Trace {
            super::trace::render(state, inner, buf);
        }
        return;
    }
    let text = match &state.detail.loading {
        Some(id) => format!("loading {}…", sanitize(&id.to_string(), Lines::Join)),
        // The list is empty because the filters match nothing: the pane says
        // so, rather than show a conversation the list no longer holds.
        None if state.list.rows().is_empty() && state.list.shown.is_some() => {
            "no conversation matches the filters: nothing to show".to_owned()
        }
        None if state.list.rows().is_empty() => String::new(),
        None => "enter opens the selected conversation".to_owned(),
    };
    buf.set_stringn(
        inner.x + 1,
        inner.y,
        text,
        usize::from(inner.width.saturating_sub(1)),
        theme.muted(),
    );
}
