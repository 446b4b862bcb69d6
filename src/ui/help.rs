//! The `?` overlay: every key from the keymap, the overlays' and the filter panel's keys and a legend of the symbols, narrowed by what is typed, in as many columns as the box has room for.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::help::{GAP, KEYS, Layout, PROMPT_ROWS, Row, SCOPE, entries};
use crate::app::state::{HelpOverlay, State};
use crate::text::{Lines, fit, sanitize, truncate, width};

/// Draws the overlay over the main area; returns where the cursor goes.
pub fn render(state: &State, help: &HelpOverlay, main: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = state.theme;
    let area = crate::app::layout::help(main);
    Clear.render(area, buf);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(
            " keys · type to filter · esc ? q close · ↑↓ scroll ",
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
    let layout = Layout::of(&entries(&state.keymap, help.filter.value()), area);
    if layout.rows.is_empty() {
        buf.set_stringn(
            inner.x,
            inner.y + PROMPT_ROWS,
            "nothing matches",
            room,
            theme.muted(),
        );
        return Some(cursor);
    }
    let offset = help.offset.min(layout.max_offset());
    let keys_width = KEYS.min(layout.column_width / 3);
    for column in 0..layout.columns {
        let x =
            inner.x + u16::try_from(column * (layout.column_width + GAP)).unwrap_or(inner.width);
        let col_width = u16::try_from(layout.column_width).unwrap_or(inner.width);
        for (y, row) in (inner.y + PROMPT_ROWS..inner.bottom()).zip(layout.column(column, offset)) {
            let line = match row {
                Row::Heading(title) => Line::from(Span::styled(
                    truncate(&format!("── {title} ──"), layout.column_width).into_owned(),
                    theme.heading(),
                )),
                Row::Item { keys, what, scope } => {
                    let mut spans = vec![
                        Span::styled(fit(keys, keys_width), theme.key()),
                        Span::raw("  "),
                        Span::styled(what.clone(), theme.text()),
                    ];
                    if !scope.is_empty() {
                        let what_width = layout
                            .column_width
                            .saturating_sub(keys_width + 2 + SCOPE + 1);
                        let pad = what_width.saturating_sub(width(what));
                        spans.push(Span::raw(" ".repeat(pad + 1)));
                        spans.push(Span::styled(format!("{scope:>SCOPE$}"), theme.muted()));
                    }
                    Line::from(spans)
                }
            };
            buf.set_line(x, y, &line, col_width);
        }
    }
    if offset < layout.max_offset() {
        // More below: said in the border, where it takes no row.
        let more = " ↓ more ";
        let at = area
            .right()
            .saturating_sub(u16::try_from(width(more) + 1).unwrap_or(0));
        buf.set_string(at, area.bottom().saturating_sub(1), more, theme.muted());
    }
    Some(cursor)
}
