//! The Trace tab's body: a summary line, then the waterfall's rows in view (or the selected span's attributes), each readable without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::state::State;
use crate::app::trace::Load;
use crate::app::update::trace::{SUMMARY_ROWS, inspected_lines};
use crate::text;
use crate::view::detail::DetailView;
use crate::view::trace::{RowKind, Waterfall};

/// The bar's cell: a full block reads on any terminal, in colour or not.
const BAR: &str = "█";
/// The track around it, faint so the bar stands out.
const TRACK: &str = "·";

/// Draws the tab's body into the pane `inner` (below the detail header).
pub fn render(state: &State, inner: Rect, buf: &mut Buffer) {
    let body = DetailView::body_area(inner.intersection(buf.area));
    if body.is_empty() {
        return;
    }
    let theme = state.theme;
    let width = usize::from(body.width);
    let trace = &state.trace;
    let line = |buf: &mut Buffer, y: u16, text: &str, style| {
        buf.set_stringn(body.x, y, text::truncate(text, width), width, style);
    };
    let waterfall = match &trace.load {
        Load::Idle | Load::Loading => {
            line(buf, body.y, "loading the traces…", theme.muted());
            return;
        }
        Load::Failed(why) => {
            let why = text::sanitize(why, text::Lines::Join);
            line(
                buf,
                body.y,
                &format!("✗ cannot load the traces: {why} (another tab and back tries again)"),
                theme.error(),
            );
            return;
        }
        Load::Ready(waterfall) => waterfall,
    };
    let first = body.y + u16::try_from(SUMMARY_ROWS).unwrap_or(1);
    if trace.inspecting {
        line(
            buf,
            body.y,
            "span attributes · enter or esc: back · p: payload · j/k: scroll",
            theme.muted(),
        );
        let lines = inspected_lines(trace);
        for (y, text) in (first..body.bottom()).zip(lines.iter().skip(trace.inspect_offset)) {
            let style = if text.starts_with('✗') {
                theme.error()
            } else if text.ends_with(':') {
                theme.heading()
            } else {
                theme.text()
            };
            line(buf, y, text, style);
        }
        return;
    }
    line(buf, body.y, &summary(waterfall), theme.muted());
    if waterfall.rows.is_empty() {
        line(
            buf,
            first,
            "no spans recorded for this conversation",
            theme.muted(),
        );
        return;
    }
    // A one-column gutter carries the cursor's ▶, so the selection reads without colour or reverse video too.
    let rows_x = body.x + 1;
    let rows_width = body.width.saturating_sub(1);
    for (y, index) in (first..body.bottom()).zip(trace.offset..waterfall.rows.len()) {
        let at = Rect::new(rows_x, y, rows_width, 1);
        draw_row(state, waterfall, index, at, buf);
        if index == trace.selected {
            buf.set_string(body.x, y, "▶", theme.heading());
            buf.set_style(at, theme.selected());
        }
    }
}

/// `5 turns · 37 spans · 2 ✗ · enter: attributes · p: payload · e/E: errors`.
fn summary(waterfall: &Waterfall) -> String {
    let turns = waterfall.turns.len();
    let spans: usize = waterfall.turns.iter().map(|t| t.spans).sum();
    format!(
        "{} · {} · {} ✗ · enter: attributes · p: payload · e/E: errors",
        crate::format::count::plural(turns, "turn"),
        crate::format::count::plural(spans, "span"),
        waterfall.errors.len()
    )
}

fn draw_row(state: &State, waterfall: &Waterfall, index: usize, at: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let width = usize::from(at.width);
    let Some(row) = waterfall.rows.get(index) else {
        return;
    };
    match &row.kind {
        RowKind::Heading => {
            let text = waterfall.heading(row.turn);
            let unfinished = waterfall
                .turns
                .get(row.turn)
                .is_some_and(|t| t.incomplete.is_some());
            let style = if unfinished {
                theme.warning()
            } else {
                theme.heading()
            };
            buf.set_stringn(at.x, at.y, text::truncate(&text, width), width, style);
        }
        RowKind::Note(note) => {
            // The first row of a note carries the sign, the rest line up under it.
            let sign = if note.starts_with("truncated") {
                "⚠"
            } else {
                " "
            };
            let text = format!("  {sign} {note}");
            buf.set_stringn(
                at.x,
                at.y,
                text::truncate(&text, width),
                width,
                theme.warning(),
            );
        }
        RowKind::Span(span) => {
            let Some(parts) = waterfall.row_text(index, width) else {
                return;
            };
            let style = if span.error {
                theme.error()
            } else {
                theme.text()
            };
            buf.set_stringn(at.x, at.y, &parts.left, width, style);
            let left = u16::try_from(text::width(&parts.left)).unwrap_or(at.width);
            let track_x = at.x.saturating_add(left).saturating_add(1);
            let bar_style = if span.error {
                theme.error()
            } else {
                theme.heading()
            };
            for cell in 0..parts.track {
                let x = track_x.saturating_add(u16::try_from(cell).unwrap_or(u16::MAX));
                if x >= at.right() {
                    break;
                }
                let on = parts
                    .bar
                    .is_some_and(|(from, len)| cell >= from && cell < from + len);
                if on {
                    buf.set_string(x, at.y, BAR, bar_style);
                } else {
                    buf.set_string(x, at.y, TRACK, theme.muted());
                }
            }
            let right_x = track_x
                .saturating_add(u16::try_from(parts.track).unwrap_or(u16::MAX))
                .saturating_add(1);
            if right_x < at.right() {
                let room = usize::from(at.right() - right_x);
                buf.set_stringn(right_x, at.y, &parts.right, room, style);
            }
        }
    }
}
