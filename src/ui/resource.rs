//! A resource list as the tickets and feedback screens draw it: a bordered box titled with the screen, column titles, one row per record (the selection marked with `▶`), or a sentence saying why there are none.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::layout::inside;
use crate::app::screens::Pane;
use crate::app::state::State;
use crate::provider::Query;
use crate::text::{Lines, fit, sanitize};

/// A column: its title and width in columns (`None`: dropped for lack of room).
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The title.
    pub title: &'static str,
    /// Its width, if shown.
    pub width: Option<usize>,
}

/// Widths for columns that fit `room`: `fixed` are (title, width, priority)
/// where a higher priority is dropped first; `flex` (the title or comment)
/// takes what is left, at least `flex_min`.
#[must_use]
pub fn fit_columns(
    room: usize,
    fixed: &[(&'static str, usize, u8)],
    flex: (&'static str, usize),
    flex_at: usize,
) -> Vec<Column> {
    // The marker, then a space before each column.
    let cost = |cols: &[(&'static str, usize, u8)], shown: &[bool]| {
        1 + cols
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.1 + 1)
            .sum::<usize>()
            + flex.1
            + 1
    };
    let mut shown = vec![true; fixed.len()];
    let mut priorities: Vec<u8> = fixed.iter().map(|c| c.2).filter(|p| *p > 0).collect();
    priorities.sort_unstable();
    priorities.dedup();
    while cost(fixed, &shown) > room {
        let Some(drop) = priorities.pop() else {
            break;
        };
        for (i, c) in fixed.iter().enumerate() {
            if c.2 == drop {
                shown[i] = false;
            }
        }
    }
    let flex_width = room.saturating_sub(cost(fixed, &shown) - flex.1);
    let mut columns: Vec<Column> = fixed
        .iter()
        .zip(&shown)
        .map(|(c, s)| Column {
            title: c.0,
            width: s.then_some(c.1),
        })
        .collect();
    columns.insert(
        flex_at.min(columns.len()),
        Column {
            title: flex.0,
            width: Some(flex_width.max(1)),
        },
    );
    columns
}

/// One row's text: the marker, then each shown column's cell fitted to it.
fn line(columns: &[Column], cells: &[String], marker: char) -> String {
    let mut out = String::new();
    out.push(marker);
    for (column, cell) in columns.iter().zip(cells) {
        if let Some(w) = column.width {
            out.push(' ');
            out.push_str(&fit(&sanitize(cell, Lines::Join), w));
        }
    }
    out
}

/// What the box shows.
pub struct Table<'a> {
    /// The box's title (` Tickets `).
    pub title: String,
    /// The columns, fitted.
    pub columns: &'a [Column],
    /// Each row's cells, in column order (raw API text: sanitised here).
    pub rows: &'a [Vec<String>],
    /// The selected row.
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// Why there are no rows, when there are none.
    pub empty: &'a str,
}

/// Draws the table into `area` (its border included).
pub fn render(state: &State, table: &Table<'_>, area: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let focused = state.filter.is_none();
    let border = if focused {
        theme.focused_border()
    } else {
        theme.border()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(table.title.clone(), theme.heading()))
        .render(area, buf);
    let inner = inside(area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let room = usize::from(inner.width);
    if table.rows.is_empty() {
        buf.set_stringn(
            inner.x + 1,
            inner.y,
            table.empty,
            room.saturating_sub(1),
            theme.muted(),
        );
        return;
    }
    let titles: Vec<String> = table.columns.iter().map(|c| c.title.to_owned()).collect();
    buf.set_stringn(
        inner.x,
        inner.y,
        line(table.columns, &titles, ' '),
        room,
        theme.heading(),
    );
    let rows_area = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(1),
    );
    let visible = table
        .rows
        .iter()
        .enumerate()
        .skip(table.offset)
        .take(usize::from(rows_area.height));
    for (y, (index, cells)) in (rows_area.y..).zip(visible) {
        let selected = index == table.selected;
        let style = if selected {
            theme.text().patch(theme.selected())
        } else {
            theme.text()
        };
        let text = line(table.columns, cells, if selected { '▶' } else { ' ' });
        let (end, _) = buf.set_stringn(rows_area.x, y, &text, room, style);
        if selected && end < rows_area.right() {
            buf.set_style(Rect::new(end, y, rows_area.right() - end, 1), style);
        }
    }
}

/// Draws one screen's list: its rows through `cells`, titled, with the
/// pane's empty state (loading, failed, unsupported, filtered to nothing).
pub fn render_pane<T>(
    state: &State,
    pane: &Pane<T>,
    noun: &str,
    columns: &[Column],
    cells: impl Fn(&T) -> Vec<String>,
    area: Rect,
    buf: &mut Buffer,
) {
    let rows: Vec<Vec<String>> = pane.rows().iter().map(cells).collect();
    let empty = empty_state(
        noun,
        pane.loading.is_some(),
        pane.failed,
        pane.unsupported.as_deref(),
        pane.query.as_ref(),
    );
    let mut title = String::with_capacity(noun.len() + 2);
    title.push(' ');
    let mut chars = noun.chars();
    if let Some(first) = chars.next() {
        title.extend(first.to_uppercase());
    }
    title.push_str(chars.as_str());
    title.push(' ');
    render(
        state,
        &Table {
            title,
            columns,
            rows: &rows,
            selected: pane.selected,
            offset: pane.offset,
            empty: &empty,
        },
        area,
        buf,
    );
}

/// Why a screen's list is empty, in words: loading, failed, not offered by
/// this provider, nothing matching the filters (named), or nothing at all.
#[must_use]
pub fn empty_state(
    noun: &str,
    loading: bool,
    failed: bool,
    unsupported: Option<&str>,
    query: Option<&Query>,
) -> String {
    if let Some(why) = unsupported {
        return format!("{} · C for the conversations", sanitize(why, Lines::Join));
    }
    if loading {
        return format!("loading {noun}…");
    }
    if failed {
        return format!("the {noun} could not be loaded: see below · r to retry");
    }
    match query.filter(|q| !q.is_empty()) {
        Some(q) => format!(
            "no {noun} match: {} · f to edit, F to clear",
            sanitize(&q.summary(), Lines::Join)
        ),
        None if query.is_some() => format!("no {noun} yet"),
        None => String::new(),
    }
}
