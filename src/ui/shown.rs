//! Text shown whole over the main area — a link that could not be opened here, a text the clipboard would not get — from the first column, without a border, so the terminal's own selection takes exactly it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

use crate::app::attachments::ShownText;
use crate::app::state::State;
use crate::text::{Lines, sanitize, truncate};

/// Draws `shown` over `main`, the text cut into rows of the full screen width.
pub fn render(state: &State, shown: &ShownText, main: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    Clear.render(main, buf);
    if main.height == 0 || main.width == 0 {
        return;
    }
    let room = usize::from(main.width);
    let title = format!("{} — {}", shown.what, sanitize(&shown.why, Lines::Join));
    buf.set_string(main.x, main.y, truncate(&title, room), theme.heading());
    let text = sanitize(&shown.text, Lines::Join);
    let mut rest: &str = &text;
    let mut y = main.y + 2;
    while !rest.is_empty() && y < main.bottom().saturating_sub(2) {
        let take =
            crate::text::fit_prefix(rest, room).max(rest.chars().next().map_or(0, char::len_utf8));
        let (head, tail) = rest.split_at(take.min(rest.len()));
        buf.set_string(main.x, y, head, theme.link());
        rest = tail;
        y += 1;
    }
    let hint = "select it with the mouse (in tmux: hold Shift, or prefix [ to copy) · esc closes";
    if y + 1 < main.bottom() {
        buf.set_string(main.x, y + 1, truncate(hint, room), theme.muted());
    }
}
