//! The list pane: one row per conversation in columns fitted to the pane's width, plus its loading, empty and failed states.
//!
//! A row's text is made once when its page lands (`view::rows`); drawing only
//! fits those strings to the pane.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::state::{Focus, State};
use crate::format::human::sentiment_glyph;
use crate::text::{truncate, width};
use crate::view::rows::{Cell, RowText};

/// Columns of a start time: `01-15 10:30`.
const STARTED: usize = 11;
/// Columns of the message count.
const MESSAGES: usize = 4;

/// Which optional columns fit, and how wide each is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Columns {
    id: usize,
    name: Option<usize>,
    customer: usize,
    device: Option<usize>,
    language: Option<usize>,
}

impl Columns {
    /// Fits the columns to `room` for these rows: started, id, customer, count,
    /// sentiment and marked always; then name, device and language as room allows.
    fn fit(rows: &[RowText], room: usize) -> Self {
        let widest = |cell: fn(&RowText) -> &Cell, min: usize, max: usize| {
            rows.iter()
                .map(|r| cell(r).width)
                .max()
                .unwrap_or(0)
                .clamp(min, max)
        };
        let mut id = widest(|r| &r.id, 2, 18);
        let mut customer = widest(|r| &r.customer, 8, 14);
        // marker, started, id, customer, count, sentiment, marked and the gaps between.
        let fixed = |id: usize, customer: usize| {
            1 + STARTED + 1 + id + 1 + customer + 1 + MESSAGES + 1 + 2 + 1
        };
        while fixed(id, customer) > room && customer > 6 {
            customer -= 1;
        }
        while fixed(id, customer) > room && id > 8 {
            id -= 1;
        }
        let rest = room.saturating_sub(fixed(id, customer));
        let device = widest(|r| &r.device, 6, 8);
        let language = widest(|r| &r.language, 4, 5);
        let mut columns = Self {
            id,
            name: None,
            customer,
            device: None,
            language: None,
        };
        if rest >= 12 + device + language + 3 {
            columns.device = Some(device);
            columns.language = Some(language);
            columns.name = Some(rest - device - language - 3);
        } else if rest >= 11 {
            columns.name = Some(rest - 1);
        }
        columns
    }

    /// The column titles.
    fn titles(&self) -> String {
        let title = |text: &str| Cell {
            text: text.to_owned(),
            width: width(text),
        };
        let mut out = String::from(" ");
        push_fit(&mut out, &title("started"), STARTED);
        push_cell(&mut out, &title("id"), self.id);
        if let Some(w) = self.name {
            push_cell(&mut out, &title("name"), w);
        }
        push_cell(&mut out, &title("customer"), self.customer);
        if let Some(w) = self.device {
            push_cell(&mut out, &title("device"), w);
        }
        if let Some(w) = self.language {
            push_cell(&mut out, &title("lang"), w);
        }
        let _ = write!(out, " {:>MESSAGES$} ☺ ★", "✉");
        out
    }

    /// One row's text, into `out`.
    fn row(&self, state: &State, row: &RowText, selected: bool, out: &mut String) {
        out.clear();
        let whole = row.key.as_ref().and_then(|k| state.cache.peek(k));
        out.push(if selected { '▶' } else { ' ' });
        push_fit(out, &row.started, STARTED);
        push_cell(out, &row.id, self.id);
        if let Some(w) = self.name {
            push_cell(out, &row.name, w);
        }
        push_cell(out, &row.customer, self.customer);
        if let Some(w) = self.device {
            push_cell(out, &row.device, w);
        }
        if let Some(w) = self.language {
            push_cell(out, &row.language, w);
        }
        // The opened record knows best (it may have grown since the page
        // came); else the count the lean row carried.
        let count = whole
            .and_then(|c| c.messages.as_ref().map(Vec::len))
            .or_else(|| row.message_count.and_then(|n| usize::try_from(n).ok()));
        let _ = match count {
            Some(n) if n < 10_000 => write!(out, " {n:>MESSAGES$} "),
            Some(_) => write!(out, " {:>MESSAGES$} ", "10k+"),
            None => write!(out, " {:MESSAGES$} ", ""),
        };
        let glyph = sentiment_glyph(whole.and_then(|c| c.worst_sentiment()));
        push_fit(
            out,
            &Cell {
                text: glyph.to_owned(),
                width: width(glyph),
            },
            2,
        );
        // A deleted row (shown with the "deleted" filter) says so in a glyph, not only dimmed.
        out.push(match (row.deleted, row.marked) {
            (true, _) => '⌫',
            (false, true) => '★',
            (false, false) => ' ',
        });
    }
}

/// A space, then the cell fitted to `columns`.
fn push_cell(out: &mut String, cell: &Cell, columns: usize) {
    out.push(' ');
    push_fit(out, cell, columns);
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
    let columns = Columns::fit(rows, inner_width);
    buf.set_stringn(
        rows_area.x,
        titles_y,
        columns.titles(),
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
        columns.row(state, row, selected, &mut text);
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
