//! The message log overlay (`L`): every notice and error said lately, newest first, each whole, wrapped, with its time.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::log::{self, LOG_CAPACITY, LogOverlay};
use crate::app::state::State;

/// Draws the log over the main area.
pub fn render(state: &State, view: LogOverlay, main: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let area = log::area(main);
    Clear.render(area, buf);
    let title = format!(
        " messages · {} of the last {LOG_CAPACITY} · newest first · esc closes · ↑↓ scroll ",
        state.log.len()
    );
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.heading()))
        .render(area, buf);
    let inner = crate::app::layout::inside(area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let rows = log::rows(&state.log, usize::from(inner.width), state.zone);
    let visible = log::visible_rows(area);
    let offset = log::clamp(view.offset, rows.len(), visible);
    for (y, row) in (inner.y..inner.bottom()).zip(rows.iter().skip(offset)) {
        let style = if row.error {
            theme.error()
        } else {
            theme.text()
        };
        let time = row.time.as_deref().unwrap_or("");
        let mark = if row.first && row.error { "✗" } else { " " };
        let line = Line::from(vec![
            Span::styled(format!("{time:<8} "), theme.muted()),
            Span::styled(format!("{mark} "), style),
            Span::styled(row.text.clone(), style),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
    }
    if offset + visible < rows.len() {
        let more = " ↓ more ";
        let at = area
            .right()
            .saturating_sub(u16::try_from(more.chars().count() + 1).unwrap_or(0));
        buf.set_string(at, area.bottom().saturating_sub(1), more, theme.muted());
    }
}
