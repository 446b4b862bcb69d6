//! The top line: where the data comes from on the left; count, page and a spinner while anything is in flight on the right.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::state::State;
use crate::text::{Lines, sanitize, truncate, width};

/// The spinner's frames, one per tick.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner's frame for a tick count.
#[must_use]
pub fn spinner(tick: usize) -> &'static str {
    SPINNER[tick % SPINNER.len()]
}

/// Draws the header into one row.
pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let theme = state.theme;
    let host = sanitize(&state.source.provider.host, Lines::Join);
    let left = format!(
        " · {} ({}) · {host}",
        sanitize(&state.source.profile, Lines::Join),
        state.source.provider.kind
    );
    let right = right_side(state);
    let room = usize::from(area.width);
    let right_width = width(&right);
    let left_room = room.saturating_sub(right_width + 1 + 5);
    let left = truncate(&left, left_room);
    let line = Line::from(vec![
        Span::styled("convo", theme.heading()),
        Span::styled(left.into_owned(), theme.muted()),
    ]);
    buf.set_line(area.x, area.y, &line, area.width);
    if right_width < room {
        let x = area.x + u16::try_from(room - right_width).unwrap_or(0);
        buf.set_string(x, area.y, &right, theme.text());
    }
}

/// `⠋ 245 conversations · page 2/25 `.
fn right_side(state: &State) -> String {
    let mut out = String::new();
    if state.busy() {
        out.push_str(spinner(state.spinner));
        out.push(' ');
    }
    match &state.list.shown {
        Some(page) => {
            let noun = if page.total == 1 {
                "conversation"
            } else {
                "conversations"
            };
            let _ = write!(
                out,
                "{} {noun} · page {}/{} ",
                page.total, page.page, page.total_pages
            );
        }
        None if state.list.loading.is_some() => out.push_str("loading… "),
        None => out.push_str("no list "),
    }
    out
}
