//! The tickets screen: the list (status, priority, title, conversation, updated, comments) or one ticket's thread, scrolled.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::resource::{self, fit_columns};
use crate::app::layout::inside;
use crate::app::screens::Thread;
use crate::app::state::State;
use crate::provider::model::Ticket;
use crate::view::rows::short_start;
use crate::view::thread::{self, Look};

/// Draws the screen into the main area.
pub fn render(state: &State, main: Rect, buf: &mut Buffer) {
    if let Some(open) = &state.screens.thread {
        render_thread(state, open, main, buf);
        return;
    }
    let pane = &state.screens.tickets;
    let room = usize::from(inside(main).width);
    let columns = fit_columns(
        room,
        &[
            ("status", 11, 0),
            ("prio", 6, 0),
            ("conversation", 14, 2),
            ("updated", 11, 1),
            ("✉", 3, 3),
        ],
        ("title", 12),
        2,
    );
    resource::render_pane(
        state,
        pane,
        "tickets",
        &columns,
        |t| cells(state, t),
        main,
        buf,
    );
}

/// A ticket's cells, in column order: status, priority, title, conversation, updated, comments.
fn cells(state: &State, t: &Ticket) -> Vec<String> {
    let conversation = t
        .conversation
        .as_ref()
        .and_then(|c| {
            c.conversation_id
                .clone()
                .or_else(|| c.id.map(|pk| pk.to_string()))
        })
        .unwrap_or_else(|| "—".to_owned());
    let count = t.comment_count();
    vec![
        t.status.clone().unwrap_or_default(),
        t.priority.clone().unwrap_or_else(|| "—".to_owned()),
        t.title.clone().unwrap_or_default(),
        conversation,
        t.updated_at
            .as_ref()
            .or(t.created_at.as_ref())
            .map(|at| short_start(state.zone, at))
            .unwrap_or_default(),
        if count > 999 {
            "999+".to_owned()
        } else {
            count.to_string()
        },
    ]
}

/// The thread: a box titled with the ticket, its rows from the scroll on.
fn render_thread(state: &State, open: &Thread, main: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let title = if open.loading {
        format!(" ticket #{} · loading… ", open.id)
    } else {
        format!(" ticket #{} ", open.id)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(if state.filter.is_none() {
            theme.focused_border()
        } else {
            theme.border()
        })
        .title(Span::styled(title, theme.heading()))
        .render(main, buf);
    let inner = inside(main);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let rows = thread::rows(&open.ticket, state.zone, usize::from(inner.width));
    let visible = rows
        .iter()
        .skip(open.scroll)
        .take(usize::from(inner.height));
    for (y, row) in (inner.y..).zip(visible) {
        let style = match row.look {
            Look::Heading => theme.heading(),
            Look::Field | Look::Text => theme.text(),
            Look::Author => theme.key(),
            Look::Muted => theme.muted(),
        };
        buf.set_stringn(inner.x, y, &row.text, usize::from(inner.width), style);
    }
}
