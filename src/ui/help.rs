//! The `?` overlay: every key from the keymap with what it does and where, narrowed by what is typed.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::keymap::HelpRow;
use crate::app::state::{HelpOverlay, State};
use crate::text::{Lines, fit, sanitize, truncate};

/// Columns of the keys column.
const KEYS: usize = 22;

/// Draws the overlay over the main area; returns where the cursor goes.
pub fn render(state: &State, help: &HelpOverlay, main: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = state.theme;
    let area = crate::app::layout::help(main);
    Clear.render(area, buf);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(
            " keys · type to filter · esc closes ",
            theme.heading(),
        ));
    if let Some(log) = &state.log_file {
        let log = sanitize(&log.display().to_string(), Lines::Join).into_owned();
        block = block.title_bottom(Span::styled(format!(" log: {log} "), theme.muted()));
    }
    block.render(area, buf);
    let inner = crate::app::layout::inside(area);
    if inner.height == 0 {
        return None;
    }
    let room = usize::from(inner.width);
    let typed = sanitize(help.filter.value(), Lines::Join);
    let prompt = Line::from(vec![
        Span::styled("filter: ", theme.muted()),
        Span::styled(typed.into_owned(), theme.text()),
    ]);
    buf.set_line(inner.x, inner.y, &prompt, inner.width);
    let cursor_x = inner.x as usize + 8 + help.filter.visual_cursor();
    let cursor = Position::new(
        u16::try_from(cursor_x.min(usize::from(inner.right().saturating_sub(1))))
            .unwrap_or(inner.x),
        inner.y,
    );
    let rows: Vec<HelpRow> = state
        .keymap
        .help_rows()
        .into_iter()
        .filter(|r| r.matches(help.filter.value()))
        .collect();
    let height = usize::from(inner.height.saturating_sub(2));
    let offset = help.offset.min(rows.len().saturating_sub(height));
    if rows.is_empty() {
        buf.set_stringn(inner.x, inner.y + 2, "no key matches", room, theme.muted());
    }
    let keys_width = KEYS.min(room / 3);
    for (y, row) in (inner.y + 2..).zip(rows.iter().skip(offset).take(height)) {
        let scope = row.scope.label();
        let what_width = room.saturating_sub(keys_width + 2 + scope.len() + 1);
        let line = Line::from(vec![
            Span::styled(fit(&row.keys, keys_width), theme.key()),
            Span::raw("  "),
            Span::styled(fit(row.action.describe(), what_width), theme.text()),
            Span::raw(" "),
            Span::styled(truncate(scope, room).into_owned(), theme.muted()),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
    }
    Some(cursor)
}
