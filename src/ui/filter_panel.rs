//! The filter line (a one-line summary of active filters) and the filter panel: one row per filter with its label, value and help, or the reason a value was refused.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::filter::FilterPanel;
use crate::app::layout::{filter_panel, filter_rows};
use crate::app::screens::Screen;
use crate::app::sort::{ORDERING, Sort, sortable};
use crate::app::state::State;
use crate::app::update::find::SEARCH;
use crate::provider::query::FilterKind;
use crate::text::{Lines, fit, sanitize, truncate, width};

/// Columns of a filter's label.
const LABEL: usize = 24;
/// Columns of a value field.
const VALUE: usize = 26;

/// The one-line summary under the header.
pub fn render_summary(state: &State, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let theme = state.theme;
    let room = usize::from(area.width);
    // Each screen has filters of its own; one that has none yet says nothing.
    let query = match state.screen {
        Screen::Conversations => Some(&state.query),
        Screen::Tickets => state.screens.tickets.query.as_ref(),
        Screen::Feedback => state.screens.feedback.query.as_ref(),
        Screen::Usage => state.screens.usage.query.as_ref(),
    };
    let Some(query) = query else {
        return;
    };
    let hint = "[f] edit ";
    let mut spans = Vec::new();
    let mut rest = query.clone();
    if state.screen == Screen::Conversations {
        // The list's search and sort lead, each as its keys set it.
        if let Some(search) = query.text(SEARCH) {
            let search = sanitize(search, Lines::Join);
            spans.push(Span::styled(" search: ", theme.muted()));
            spans.push(Span::styled(format!("{search:?}"), theme.text()));
            spans.push(Span::styled(" (esc clears) ·", theme.muted()));
            rest.clear(SEARCH);
        }
        if sortable(query) {
            spans.push(Span::styled(" sort: ", theme.muted()));
            spans.push(Span::styled(Sort::of(query).label(), theme.text()));
            spans.push(Span::styled(" ·", theme.muted()));
            rest.clear(ORDERING);
        }
    }
    if rest.is_empty() && (state.screen != Screen::Conversations || query.text(SEARCH).is_none()) {
        spans.push(Span::styled(" no filters · f to filter", theme.muted()));
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
        return;
    }
    if !rest.is_empty() {
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        let summary = sanitize(&rest.summary(), Lines::Join).into_owned();
        let summary_room = room.saturating_sub(width(hint) + 11 + used);
        spans.push(Span::styled(" filters: ", theme.muted()));
        spans.push(Span::styled(
            truncate(&summary, summary_room).into_owned(),
            theme.text(),
        ));
    } else if let Some(last) = spans.last_mut() {
        // Nothing follows the search or sort: no separator after it.
        let trimmed = last.content.trim_end_matches(" ·").to_owned();
        last.content = trimmed.into();
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    if room > width(hint) {
        let x = area.x + u16::try_from(room - width(hint)).unwrap_or(0);
        buf.set_string(x, area.y, hint, theme.muted());
    }
}

/// The open panel, over the main area; the cursor's place when a field has focus.
pub fn render(
    state: &State,
    panel: &FilterPanel,
    main: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let theme = state.theme;
    let area = filter_panel(main, panel.rows.len());
    Clear.render(area, buf);
    let title = if panel.editing {
        " filters · editing: enter applies · esc leaves the field "
    } else {
        " filters · enter edit/apply · esc close "
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(title, theme.heading()))
        .render(area, buf);
    let inner = crate::app::layout::inside(area);
    let room = usize::from(inner.width);
    let longest = panel
        .rows
        .iter()
        .map(|r| r.spec.key.len())
        .max()
        .unwrap_or(0);
    let label_width = (longest + 1).min(LABEL).min(room / 3);
    let value_width = (room.saturating_sub(label_width) / 3).clamp(8, VALUE);
    // marker, label, gap, the field with its brackets, gap: the help gets the rest.
    let help_width = room.saturating_sub(1 + label_width + 1 + value_width + 2 + 1);
    let mut cursor = None;
    let shown = panel
        .rows
        .iter()
        .enumerate()
        .skip(panel.offset)
        .take(filter_rows(area));
    for (y, (index, row)) in (inner.y..).zip(shown) {
        let selected = index == panel.selected;
        let marker = if selected { "▶" } else { " " };
        let label_style = if selected {
            theme.selected()
        } else {
            theme.text()
        };
        let value = sanitize(row.value(), Lines::Join);
        let (value_text, value_style) = if value.is_empty() {
            (any_label(row.spec.kind), theme.muted())
        } else {
            (value.as_ref(), theme.text())
        };
        let editing = selected && panel.editing;
        let shown_value = if editing {
            // Keep the cursor in view: scroll the field as tui-input measures it.
            let scroll = row.input.visual_scroll(value_width.saturating_sub(1));
            let tail: String = value.chars().skip(scroll).collect();
            fit(&tail, value_width)
        } else {
            fit(value_text, value_width)
        };
        let (help, help_style) = match &row.error {
            Some(reason) => (
                format!("✗ {}", sanitize(reason, Lines::Join)),
                theme.error(),
            ),
            None => (row.spec.help.to_owned(), theme.muted()),
        };
        let field_style = if editing {
            theme.focused_border()
        } else {
            value_style
        };
        let line = Line::from(vec![
            Span::styled(marker, label_style),
            Span::styled(fit(row.spec.key, label_width), label_style),
            Span::raw(" "),
            Span::styled(bracketed(&shown_value, editing), field_style),
            Span::raw(" "),
            Span::styled(truncate(&help, help_width).into_owned(), help_style),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
        if editing {
            let scroll = row.input.visual_scroll(value_width.saturating_sub(1));
            let at = row
                .input
                .visual_cursor()
                .saturating_sub(scroll)
                .min(value_width);
            let x = inner.x as usize + 1 + label_width + 1 + 1 + at;
            cursor = Some(Position::new(u16::try_from(x).unwrap_or(inner.x), y));
        }
    }
    let footer = if panel.editing {
        " type a value  ←/→ cycle choices  ctrl-u clear  enter apply  esc leave field"
    } else {
        " j/k move  e edit  ←/→ cycle  del clear  F clear all  v views  enter apply"
    };
    let footer_y = area.y + area.height.saturating_sub(2);
    if footer_y > inner.y {
        buf.set_stringn(inner.x, footer_y, footer, room, theme.muted());
    }
    cursor
}

/// What an unset filter reads as.
fn any_label(kind: FilterKind) -> &'static str {
    match kind {
        FilterKind::TriState | FilterKind::Choice(_) => "any",
        _ => "",
    }
}

/// `[value]` while a field has focus, ` value ` otherwise, so the columns stay put.
fn bracketed(value: &str, editing: bool) -> String {
    if editing {
        format!("[{value}]")
    } else {
        format!(" {value} ")
    }
}
