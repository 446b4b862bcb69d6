//! The profile and saved-view pickers: a small box over the panes, the one in use marked.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::state::{PickKind, Picker, State};
use crate::text::{Lines, fit, sanitize, width};

/// Draws the picker centred over the main area.
pub fn render(state: &State, picker: &Picker, main: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let title = match picker.kind {
        PickKind::Profile => " switch profile ",
        PickKind::View => " saved views ",
        PickKind::TicketStatus(_) => " ticket status ",
        PickKind::TicketPriority(_) => " ticket priority ",
    };
    let footer = " enter choose · 1-9 · esc close ";
    let labels: Vec<String> = picker
        .items
        .iter()
        .map(|i| sanitize(&i.label, Lines::Join).into_owned())
        .collect();
    let label_width = labels.iter().map(|l| width(l)).max().unwrap_or(0).min(24);
    let widest = picker
        .items
        .iter()
        .map(|i| label_width + 6 + width(&i.detail))
        .max()
        .unwrap_or(0)
        .max(width(footer) + 2);
    let box_width = u16::try_from(widest + 2).unwrap_or(u16::MAX).min(76);
    let rows = u16::try_from(picker.items.len()).unwrap_or(u16::MAX);
    let area = crate::app::layout::centered(main, box_width, rows.saturating_add(2));
    Clear.render(area, buf);
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.heading()))
        .title_bottom(Span::styled(footer, theme.muted()))
        .render(area, buf);
    let inner = crate::app::layout::inside(area);
    let room = usize::from(inner.width);
    let height = usize::from(inner.height);
    // Keep the highlighted row in view when there are more choices than rows.
    let first = picker.selected.saturating_sub(height.saturating_sub(1));
    for (y, (i, item)) in (inner.y..inner.bottom()).zip(picker.items.iter().enumerate().skip(first))
    {
        let selected = i == picker.selected;
        let marker = if item.current { "•" } else { " " };
        let number = if i < 9 {
            format!("{} ", i + 1)
        } else {
            "  ".to_owned()
        };
        let label_style = if selected {
            theme.selected()
        } else {
            theme.text()
        };
        let detail = sanitize(&item.detail, Lines::Join);
        let detail_room = room.saturating_sub(label_width + 6);
        let line = Line::from(vec![
            Span::styled(number, theme.key()),
            Span::styled(format!("{marker} "), theme.success()),
            Span::styled(fit(&labels[i], label_width), label_style),
            Span::raw("  "),
            Span::styled(fit(&detail, detail_room), theme.muted()),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
    }
}
