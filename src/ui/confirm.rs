//! The y/N question before a soft delete, naming the conversation by name and id.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::form::Form;
use crate::app::layout::{centered, inside};
use crate::text::{Lines, sanitize, truncate};
use crate::view::theme::Theme;

/// Draws the question when the open form is the delete confirmation.
pub fn render(form: &Form, theme: Theme, main: Rect, buf: &mut Buffer) {
    let Form::ConfirmDelete { name, id, .. } = form else {
        return;
    };
    let area = centered(main, 60.min(main.width), 7.min(main.height));
    Clear.render(area, buf);
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(" delete this conversation? ", theme.heading()))
        .render(area, buf);
    let inner = inside(area);
    let room = usize::from(inner.width);
    let id = sanitize(id, Lines::Join);
    let who = match name {
        Some(name) => format!("{} (id {id})", sanitize(name, Lines::Join)),
        None => format!("id {id}"),
    };
    let lines = [
        (truncate(&who, room).into_owned(), theme.text()),
        (
            "It leaves the list; the filter panel's".to_owned(),
            theme.muted(),
        ),
        (
            "\"deleted\" filter shows it again.".to_owned(),
            theme.muted(),
        ),
        ("y delete · n or esc keep it".to_owned(), theme.key()),
    ];
    for (y, (text, style)) in (inner.y..inner.bottom()).zip(lines) {
        buf.set_stringn(inner.x, y, &text, room, style);
    }
}
