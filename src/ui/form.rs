//! The write forms over the panes (rename, feedback, vote, ticket): labelled fields, the focused one marked `▸`, why the last Enter was refused, and the keys that work.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::form::{Fields, Form, TicketForm};
use crate::app::layout::{centered, inside};
use crate::text::{Lines, sanitize, truncate, width};
use crate::view::theme::Theme;

/// The widest a form is drawn.
const MAX_WIDTH: u16 = 72;

/// Draws an open form (not the delete question: see `confirm`) over `main`;
/// returns where the cursor goes.
pub fn render(form: &Form, theme: Theme, main: Rect, buf: &mut Buffer) -> Option<Position> {
    let fields = form.fields()?;
    let hints = match form {
        Form::Ticket(_) => "enter file · tab/shift-tab field · ←/→ choose · esc cancel",
        Form::Rename { .. } => "enter rename · esc cancel",
        Form::Vote { .. } => "enter vote · tab field · all optional · esc cancel",
        _ => "enter send (comment optional) · esc cancel",
    };
    // A vote's form sits low, so the message it is about (scrolled near the
    // top) stays in sight.
    let main = match form {
        Form::Vote { .. } => low(main, fields),
        _ => main,
    };
    render_fields(&form.title(), fields, hints, theme, main, buf)
}

/// The bottom rows of `main`, as many as a form of these fields takes.
fn low(main: Rect, fields: &Fields) -> Rect {
    let rows = u16::try_from(fields.fields.len())
        .unwrap_or(u16::MAX)
        .saturating_add(4)
        .min(main.height.saturating_sub(1));
    // One row above the bottom, so the pane's border stays whole.
    Rect {
        y: main.bottom().saturating_sub(rows + 1).max(main.y),
        height: rows,
        ..main
    }
}

/// Draws a ticket form on its own (for screens other than the browser's
/// conversation panes that file tickets); returns where the cursor goes.
pub fn render_ticket(
    form: &TicketForm,
    theme: Theme,
    main: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let title = format!("file a ticket about {}", form.about);
    render_fields(
        &title,
        &form.fields,
        "enter file · tab/shift-tab field · ←/→ choose · esc cancel",
        theme,
        main,
        buf,
    )
}

/// A box of labelled fields titled `title`, with a line for the refusal (or
/// notice) and one for the keys; returns where the cursor goes.
pub fn render_fields(
    title: &str,
    fields: &Fields,
    hints: &str,
    theme: Theme,
    main: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let rows = u16::try_from(fields.fields.len()).unwrap_or(u16::MAX);
    let area = centered(
        main,
        MAX_WIDTH.min(main.width),
        rows.saturating_add(4).min(main.height),
    );
    Clear.render(area, buf);
    let title = sanitize(title, Lines::Join);
    let room = usize::from(area.width.saturating_sub(4));
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(
            format!(" {} ", truncate(&title, room)),
            theme.heading(),
        ))
        .render(area, buf);
    let inner = inside(area);
    if inner.height == 0 || inner.width < 4 {
        return None;
    }
    let label_width = fields
        .fields
        .iter()
        .map(|f| width(f.label))
        .max()
        .unwrap_or(0)
        .min(usize::from(inner.width) / 3);
    // "▸ " then the label, a space, then the value.
    let value_x = 2 + label_width + 1;
    let value_room = usize::from(inner.width).saturating_sub(value_x + 1);
    let mut cursor = None;
    for (i, (y, field)) in (inner.y..inner.bottom()).zip(&fields.fields).enumerate() {
        let focused = i == fields.focus;
        let mark = if focused { "▸ " } else { "  " };
        let label_style = if focused { theme.key() } else { theme.muted() };
        let mut spans = vec![
            Span::styled(mark, theme.key()),
            Span::styled(crate::text::fit(field.label, label_width), label_style),
            Span::raw(" "),
        ];
        if field.is_choice() {
            let value = sanitize(field.value(), Lines::Join);
            let shown = format!("‹ {} ›", truncate(&value, value_room.saturating_sub(4)));
            spans.push(Span::styled(shown, theme.text()));
        } else {
            let scroll = field.input.visual_scroll(value_room.max(1));
            let value = sanitize(field.input.value(), Lines::Join);
            let visible: String = value.chars().skip(scroll).collect();
            spans.push(Span::styled(
                truncate(&visible, value_room).into_owned(),
                theme.text(),
            ));
            if focused {
                let at = value_x + field.input.visual_cursor().saturating_sub(scroll);
                let at = at.min(usize::from(inner.width).saturating_sub(1));
                cursor = Some(Position::new(inner.x + u16::try_from(at).unwrap_or(0), y));
            }
        }
        buf.set_line(inner.x, y, &Line::from(spans), inner.width);
    }
    let below = inner.y.saturating_add(rows);
    let room = usize::from(inner.width);
    if below < inner.bottom() {
        let (text, style) = match (&fields.error, &fields.notice) {
            (Some(error), _) => (format!("✗ {}", sanitize(error, Lines::Join)), theme.error()),
            (None, Some(notice)) => (sanitize(notice, Lines::Join).into_owned(), theme.muted()),
            (None, None) => (String::new(), theme.muted()),
        };
        buf.set_stringn(inner.x, below, &text, room, style);
    }
    if below + 1 < inner.bottom() {
        buf.set_stringn(inner.x, below + 1, hints, room, theme.muted());
    }
    cursor
}
