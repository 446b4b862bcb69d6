//! The list pane: one row per conversation in the columns `view::columns` fitted to the pane's width, plus its loading, empty and failed states.
//!
//! A row's text is made once when its page lands (`view::rows`); drawing only
//! fits those strings to the pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::state::{Focus, State};
use crate::config::columns::Column;
use crate::text::{truncate, width};
use crate::view::columns::Fitted;
use crate::view::glance::{Known, failed_cell, feedback_cell, messages_cell, tickets_cell};
use crate::view::rows::{Cell, RowText};

/// A title, as a cell.
fn title(text: &str) -> Cell {
    Cell {
        text: text.to_owned(),
        width: width(text),
    }
}

/// The column titles, in the columns' order and widths.
fn titles(fitted: &Fitted) -> String {
    let mut out = String::from(" ");
    for (i, &(column, w)) in fitted.columns.iter().enumerate() {
        out.extend(std::iter::repeat_n(' ', fitted.gap_before(i)));
        let label = match column {
            Column::Started => "started",
            Column::Name => "name",
            Column::Customer => "customer",
            Column::Id => "id",
            Column::Channel => "channel",
            Column::Device => "device",
            Column::Language => "lang",
            Column::Messages => "✉",
            Column::Sentiment => "☺",
            Column::Failed => "✗",
            Column::Tickets => "⚑",
            Column::Marked => "★",
        };
        if matches!(
            column,
            Column::Messages | Column::Sentiment | Column::Failed | Column::Tickets
        ) {
            // Over the counts, which are right-aligned.
            push_right(&mut out, label, w);
        } else {
            push_fit(&mut out, &title(label), w);
        }
    }
    out
}

/// One row's text, into `out`.
fn row_text(state: &State, fitted: &Fitted, row: &RowText, selected: bool, out: &mut String) {
    out.clear();
    // What the background fetch (or opening it) has learnt of the row.
    let known = row
        .key
        .as_ref()
        .map_or(Known::Failed, |k| state.enrich.known(k));
    // A row a refresh brought since the last look is marked until selected.
    let fresh = row.key.as_ref().is_some_and(|k| state.watch.is_fresh(k));
    out.push(match (selected, fresh) {
        (true, _) => '▶',
        (false, true) => '•',
        (false, false) => ' ',
    });
    for (i, &(column, w)) in fitted.columns.iter().enumerate() {
        out.extend(std::iter::repeat_n(' ', fitted.gap_before(i)));
        match column {
            Column::Started => push_fit(out, &row.started, w),
            Column::Name => push_fit(out, &row.name, w),
            Column::Customer => push_fit(out, &row.customer, w),
            Column::Id => push_fit(out, &row.id, w),
            Column::Channel => push_fit(out, &row.channel, w),
            Column::Device => push_fit(out, &row.device, w),
            Column::Language => push_fit(out, &row.language, w),
            Column::Messages => push_right(out, &messages_cell(row.message_count, known), w),
            Column::Sentiment => push_right(out, &feedback_cell(row.feedback_count, known), w),
            Column::Failed => push_right(out, &failed_cell(row.message_count, known), w),
            Column::Tickets => push_right(out, &tickets_cell(known), w),
            // A deleted row (shown with the "deleted" filter) says so in a glyph, not only dimmed.
            Column::Marked => out.push(match (row.deleted, row.marked) {
                (true, _) => '⌫',
                (false, true) => '★',
                (false, false) => ' ',
            }),
        }
    }
}

/// A count-like cell right-aligned in `columns` (cut if it is wider).
fn push_right(out: &mut String, text: &str, columns: usize) {
    let cell = title(text);
    if cell.width < columns {
        out.extend(std::iter::repeat_n(' ', columns - cell.width));
        out.push_str(&cell.text);
    } else {
        push_fit(out, &cell, columns);
    }
}

/// The cell cut (with `…`) or padded to exactly `columns`.
fn push_fit(out: &mut String, cell: &Cell, columns: usize) {
    if cell.width <= columns {
        out.push_str(&cell.text);
        out.extend(std::iter::repeat_n(' ', columns - cell.width));
    } else {
        let cut = truncate(&cell.text, columns);
        out.push_str(&cut);
        out.extend(std::iter::repeat_n(
            ' ',
            columns.saturating_sub(width(&cut)),
        ));
    }
}

/// Draws the pane: its border, the column titles and the visible rows.
pub fn render(state: &State, pane: Rect, rows_area: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let focused = state.focus == Focus::List && state.filter.is_none();
    let border = if focused {
        theme.focused_border()
    } else {
        theme.border()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .render(pane, buf);
    let inner_width = usize::from(rows_area.width);
    let titles_y = rows_area.y.saturating_sub(1);
    let rows = &state.list.texts;
    if rows.is_empty() {
        let text = if state.list.loading.is_some() {
            "loading conversations…"
        } else if state.list.failed {
            "the list could not be loaded: see below · r to retry"
        } else if state.list.shown.is_some() {
            "no conversations match: f to edit filters"
        } else {
            ""
        };
        buf.set_stringn(
            rows_area.x + 1,
            titles_y,
            text,
            inner_width.saturating_sub(1),
            theme.muted(),
        );
        return;
    }
    let fitted = Fitted::fit(state.list_columns(), rows, inner_width);
    buf.set_stringn(
        rows_area.x,
        titles_y,
        titles(&fitted),
        inner_width,
        theme.heading(),
    );
    let visible = rows
        .iter()
        .enumerate()
        .skip(state.list.offset)
        .take(usize::from(rows_area.height));
    let mut text = String::with_capacity(inner_width * 2);
    for (y, (index, row)) in (rows_area.y..).zip(visible) {
        let selected = index == state.list.selected;
        let mut style = if row.deleted {
            theme.deleted()
        } else {
            theme.text()
        };
        if selected {
            style = style.patch(selection_style(state, focused));
        }
        row_text(state, &fitted, row, selected, &mut text);
        let (end, _) = buf.set_stringn(rows_area.x, y, &text, inner_width, style);
        if selected && end < rows_area.right() {
            buf.set_style(Rect::new(end, y, rows_area.right() - end, 1), style);
        }
    }
}

/// Reversed when the list has the keys, bold otherwise (so the row the detail pane follows stays visible).
fn selection_style(state: &State, focused: bool) -> Style {
    if focused {
        state.theme.selected()
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    }
}
