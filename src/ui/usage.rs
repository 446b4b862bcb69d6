//! The Usage screen: spend by day as a bar chart over the last 30 days (its flags as glyphs under the bars), then the model and conversation tables biggest first, with "not priced", "not converted" and unreported calls in words.

use crate::format::count::plural;
use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Bar, BarChart, Block, Borders, Widget};

use super::resource::{self, Table, fit_columns};
use crate::app::layout::inside;
use crate::app::screens::UsageReport;
use crate::app::screens::usage::UsageLayout;
use crate::app::state::State;
use crate::format::usage::{self as words, CHART_DAYS, Day, Money};
use crate::provider::model::UsageGroup;
use crate::provider::{Currency, UsageGrouping};
use crate::text::{Lines, sanitize};

/// The glyph under a day whose euro figure is missing.
const NOT_CONVERTED: char = '?';
/// The glyph under a day with unpriced calls.
const NOT_PRICED: char = '+';
/// The glyph under a day with unreported calls (and nothing worse).
const UNREPORTED: char = '!';

/// Draws the screen into the main area.
pub fn render(state: &State, main: Rect, buf: &mut Buffer) {
    let usage = &state.screens.usage;
    let Some(report) = usage.shown.as_ref().filter(|_| usage.unsupported.is_none()) else {
        let empty = resource::empty_state(
            "usage",
            usage.loading,
            usage.failed,
            usage.unsupported.as_deref(),
            usage.query.as_ref(),
        );
        resource::render(
            state,
            &Table {
                title: " Usage ".to_owned(),
                columns: &[],
                rows: &[],
                selected: 0,
                offset: 0,
                empty: &empty,
            },
            main,
            buf,
        );
        return;
    };
    let layout = UsageLayout::of(main, report.by_model.results().len());
    chart(state, report, layout.chart, buf);
    models(state, report, layout.models, buf);
    conversations(state, report, layout.conversations, buf);
}

/// `USD`, `EUR`.
fn code(currency: Currency) -> &'static str {
    match currency {
        Currency::Usd => "USD",
        Currency::Eur => "EUR",
    }
}

/// The chart's box: the total and its flags on the first row, the bars, and a
/// row of glyphs under them (so a flag reads without colour).
fn chart(state: &State, report: &UsageReport, area: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let currency = report.currency;
    let days = words::days(
        report.by_day.results(),
        currency,
        &report.flags,
        None,
        CHART_DAYS,
    );
    let title = match (days.first(), days.last()) {
        (Some(first), Some(last)) => format!(
            " Spend by day · {} to {} · {} ",
            first.date,
            last.date,
            code(currency)
        ),
        _ => format!(" Spend by day · {} ", code(currency)),
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(title, theme.heading()))
        .render(area, buf);
    let inner = inside(area);
    if inner.height == 0 || inner.width < 2 {
        return;
    }
    let room = usize::from(inner.width);
    let (sum, short) = words::total(report.by_day.results(), currency);
    // The glyphs under the bars, explained where they occur.
    let partial = short || days.iter().any(|d| d.unpriced);
    let mut line = format!(
        " total {}{}",
        if partial { "at least " } else { "" },
        words::amount(sum, currency)
    );
    if short {
        line.push_str(" · ? not converted");
    }
    if days.iter().any(|d| d.unpriced) {
        line.push_str(" · + not priced");
    }
    let unreported: i64 = days.iter().map(|d| d.unreported).sum();
    if unreported > 0 {
        let _ = write!(line, " · ! {} unreported", plural(unreported, "call"));
    }
    buf.set_stringn(inner.x, inner.y, &line, room, theme.text());
    if days.is_empty() {
        buf.set_stringn(
            inner.x + 1,
            inner.y + 1,
            "no usage in this range",
            room.saturating_sub(1),
            theme.muted(),
        );
        return;
    }
    if inner.height < 3 {
        return;
    }
    // Each day a bar and a gap where there is room, else bars touching; the latest days when even that is too wide.
    let per_day = (room + 1) / days.len();
    let (bar_width, gap) = match per_day {
        0 | 1 => (1, 0),
        n => (n - 1, 1),
    };
    let fits = (room + gap) / (bar_width + gap);
    let shown: &[Day] = &days[days.len().saturating_sub(fits)..];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|d| {
            let style = if d.unpriced {
                theme.warning()
            } else {
                theme.text()
            };
            Bar::default()
                .value(micros(d.cost))
                .text_value(String::new())
                .style(style)
        })
        .collect();
    let bars_area = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 2);
    let bar_width = u16::try_from(bar_width).unwrap_or(1);
    let gap = u16::try_from(gap).unwrap_or(0);
    BarChart::default()
        .data(ratatui::widgets::BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(gap)
        .bar_style(theme.text())
        .render(bars_area, buf);
    let glyph_row = inner.y + inner.height - 1;
    let step = bar_width + gap;
    for (x, day) in (inner.x..).step_by(usize::from(step.max(1))).zip(shown) {
        let glyph = if day.cost == Money::NotConverted {
            NOT_CONVERTED
        } else if day.unpriced {
            NOT_PRICED
        } else if day.unreported > 0 {
            UNREPORTED
        } else {
            continue;
        };
        if x < inner.right() {
            buf.set_string(x, glyph_row, glyph.to_string(), theme.warning());
        }
    }
}

/// A cost as whole millionths, the bars' unit; what is not known is no bar.
fn micros(cost: Money) -> u64 {
    match cost {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        // a non-negative figure, far below u64's range in millionths
        Money::Known(v) => (v * 1e6).round() as u64,
        Money::NotConverted | Money::Unknown => 0,
    }
}

/// A rollup's cells after its name: calls, tokens, cost, notes.
fn figures(report: &UsageReport, grouping: UsageGrouping, g: &UsageGroup) -> Vec<String> {
    let key = g.group.as_deref().unwrap_or_default();
    vec![
        crate::format::human::count(g.calls),
        words::tokens(g.total_tokens),
        words::cost_cell(g, report.currency, report.flags.is_unpriced(grouping, key)),
        words::notes_cell(&report.flags, grouping, key),
    ]
}

/// The tables' fixed columns: (title, width, priority: higher goes first).
const FIXED: [(&str, usize, u8); 4] = [
    ("calls", 6, 2),
    ("tokens", 7, 3),
    ("cost", 18, 0),
    ("notes", 19, 1),
];

fn models(state: &State, report: &UsageReport, area: Rect, buf: &mut Buffer) {
    let room = usize::from(inside(area).width);
    let columns = fit_columns(room, &FIXED, ("model", 18), 0);
    let rows: Vec<Vec<String>> = report
        .models()
        .into_iter()
        .map(|g| {
            let mut cells =
                vec![sanitize(g.group.as_deref().unwrap_or("?"), Lines::Join).into_owned()];
            cells.extend(figures(report, UsageGrouping::Model, g));
            cells
        })
        .collect();
    resource::render(
        state,
        &Table {
            title: " By model ".to_owned(),
            columns: &columns,
            rows: &rows,
            // Nothing to open on a model: no selection marker.
            selected: usize::MAX,
            offset: 0,
            empty: "no usage by model",
        },
        area,
        buf,
    );
}

fn conversations(state: &State, report: &UsageReport, area: Rect, buf: &mut Buffer) {
    let usage = &state.screens.usage;
    let room = usize::from(inside(area).width);
    let columns = fit_columns(room, &FIXED, ("conversation", 22), 0);
    let rows: Vec<Vec<String>> = report
        .conversations()
        .into_iter()
        .map(|g| {
            let pk = g.group.as_deref().unwrap_or("?");
            let name = match report.flags.conversation_id(pk) {
                Some(id) => format!("{id} (#{pk})"),
                None => format!("#{pk}"),
            };
            let mut cells = vec![name];
            cells.extend(figures(report, UsageGrouping::Conversation, g));
            cells
        })
        .collect();
    resource::render(
        state,
        &Table {
            title: " By conversation · enter opens ".to_owned(),
            columns: &columns,
            rows: &rows,
            selected: usage.selected,
            offset: usage.offset,
            empty: "no usage by conversation",
        },
        area,
        buf,
    );
}
