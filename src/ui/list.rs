//! The list pane: one row per conversation in columns fitted to the pane's width, plus its loading, empty and failed states.
//!
//! A row's text (sanitised, its time in the state's zone, its widths measured)
//! is made once when its page lands ([`RowText::of`], called from `update`);
//! drawing only fits those strings to the pane.

use std::fmt::Write as _;

use chrono::{Datelike, Timelike};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::state::{Focus, State};
use crate::format::human::sentiment_glyph;
use crate::provider::model::Timestamp;
use crate::provider::{Conversation, ConversationRef};
use crate::text::{Lines, sanitize, truncate, width};
use crate::ui::detail::Zone;

/// Columns of a start time: `01-15 10:30`.
const STARTED: usize = 11;
/// Columns of the message count.
const MESSAGES: usize = 4;

/// A cell's text, safe to draw, with its width in columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// Sanitised, one line.
    pub text: String,
    /// Columns it takes.
    pub width: usize,
}

impl Cell {
    fn of(value: Option<&str>) -> Self {
        let text = sanitize(value.unwrap_or_default(), Lines::Join).into_owned();
        Self {
            width: width(&text),
            text,
        }
    }
}

/// What a list row shows, made once per page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowText {
    /// `01-15 10:30` in the zone.
    pub started: Cell,
    /// The id a person would quote.
    pub id: Cell,
    /// The conversation's name.
    pub name: Cell,
    /// The customer id.
    pub customer: Cell,
    /// The device.
    pub device: Cell,
    /// The language code.
    pub language: Cell,
    /// Soft-deleted: drawn dimmed.
    pub deleted: bool,
    /// Flagged by a person: `★`.
    pub marked: bool,
    /// How many messages the lean row says the transcript holds.
    pub message_count: Option<i64>,
    /// Where its whole record would be cached.
    pub key: Option<ConversationRef>,
}

impl RowText {
    /// A row's text for a zone.
    #[must_use]
    pub fn of(row: &Conversation, zone: Zone) -> Self {
        let started = row.started_at.as_ref().map(|t| short_start(zone, t));
        Self {
            started: Cell::of(started.as_deref()),
            id: Cell::of(Some(&row.display_id())),
            name: Cell::of(row.name.as_deref()),
            customer: Cell::of(row.customer_id.as_deref().or_else(|| row.contact())),
            device: Cell::of(row.device.as_deref()),
            language: Cell::of(row.language.as_deref()),
            deleted: row.is_deleted == Some(true),
            marked: row.is_marked == Some(true),
            message_count: row.message_count.or_else(|| {
                row.messages
                    .as_ref()
                    .and_then(|m| i64::try_from(m.len()).ok())
            }),
            key: ConversationRef::of(row),
        }
    }
}

/// `01-15 10:30` in the zone; an unreadable time as it came.
fn short_start(zone: Zone, t: &Timestamp) -> String {
    match t.instant() {
        Some(instant) => {
            let at = match zone {
                Zone::Local => instant.with_timezone(&chrono::Local).naive_local(),
                Zone::Utc => instant.naive_utc(),
            };
            format!(
                "{:02}-{:02} {:02}:{:02}",
                at.month(),
                at.day(),
                at.hour(),
                at.minute()
            )
        }
        None => t.as_str().to_owned(),
    }
}

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
        out.push(if row.marked { '★' } else { ' ' });
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
