//! The top line: the screen switcher and where the data comes from on the left; count, page and a spinner while anything is in flight on the right.

use crate::format::count::plural;
use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::keymap::Action;
use crate::app::screens::Screen;
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
    let mut spans = vec![Span::styled("convo", theme.heading())];
    let switcher = switcher(state, left_room);
    let left_room = left_room.saturating_sub(switcher.iter().map(|(t, _)| width(t)).sum());
    for (text, active) in switcher {
        let style = if active {
            theme.selected()
        } else {
            theme.muted()
        };
        spans.push(Span::styled(text, style));
    }
    let left = truncate(&left, left_room);
    spans.push(Span::styled(left.into_owned(), theme.muted()));
    let line = Line::from(spans);
    buf.set_line(area.x, area.y, &line, area.width);
    if right_width < room {
        let x = area.x + u16::try_from(room - right_width).unwrap_or(0);
        buf.set_string(x, area.y, &right, theme.text());
    }
}

/// The screens and their keys, the one shown in brackets (so it reads
/// without colour): ` [C Conversations] I Tickets B Feedback U Usage`; shorter names
/// when they would leave the profile and host less than [`WHERE_ROOM`],
/// nothing when even those do not fit `room`.
fn switcher(state: &State, room: usize) -> Vec<(String, bool)> {
    let screens = [
        (Screen::Conversations, Action::ShowConversations, "Convs"),
        (Screen::Tickets, Action::ShowTickets, "Tickets"),
        (Screen::Feedback, Action::ShowFeedback, "Feedback"),
        (Screen::Usage, Action::ShowUsage, "Usage"),
    ];
    let make = |short: bool| -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for (screen, action, short_name) in screens {
            let name = if short { short_name } else { screen.title() };
            let key = state.keymap.first_label(action).unwrap_or_default();
            let active = state.screen == screen;
            out.push((" ".to_owned(), false));
            let text = if active {
                format!("[{key} {name}]")
            } else {
                format!("{key} {name}")
            };
            out.push((text, active));
        }
        out
    };
    let used = |items: &[(String, bool)]| items.iter().map(|(t, _)| width(t)).sum::<usize>();
    let full = make(false);
    if used(&full) + WHERE_ROOM <= room {
        return full;
    }
    let short = make(true);
    if used(&short) <= room {
        short
    } else {
        Vec::new()
    }
}

/// Columns kept for the profile and host beside the switcher before its names shorten.
const WHERE_ROOM: usize = 24;

/// `⠋ 245 conversations · page 2/25 `.
fn right_side(state: &State) -> String {
    let mut out = String::new();
    if state.busy() {
        out.push_str(spinner(state.spinner));
        out.push(' ');
    }
    let (shown, noun) = match state.screen {
        Screen::Tickets => (
            state
                .screens
                .tickets
                .shown
                .as_ref()
                .map(|l| (l.total, l.page, l.total_pages)),
            "ticket",
        ),
        Screen::Feedback => (
            state
                .screens
                .feedback
                .shown
                .as_ref()
                .map(|l| (l.total, l.page, l.total_pages)),
            "feedback",
        ),
        Screen::Usage => {
            out.push_str(&usage_side(state));
            return out;
        }
        Screen::Conversations => (None, ""),
    };
    if state.screen != Screen::Conversations {
        if let Some((total, page, pages)) = shown {
            let _ = write!(out, "{} · page {page}/{pages} ", plural(total, noun));
        }
        return out;
    }
    if state.watch.on {
        let every = crate::app::watch::period_label(state.watch.period);
        let _ = write!(out, "watch {every} · ");
    }
    match &state.list.shown {
        Some(page) => {
            let _ = write!(
                out,
                "{} · page {}/{} ",
                plural(page.total, "conversation"),
                page.page,
                page.total_pages
            );
        }
        None if state.list.loading.is_some() => out.push_str("loading… "),
        None => out.push_str("no list "),
    }
    out
}

/// The usage screen's right side: its currency and how many conversations spent.
fn usage_side(state: &State) -> String {
    let usage = &state.screens.usage;
    let currency = match usage.currency {
        crate::provider::Currency::Usd => "USD",
        crate::provider::Currency::Eur => "EUR",
    };
    match &usage.shown {
        Some(report) => {
            let n = report.by_conversation.results().len();
            format!("{} · {currency} ", plural(n, "conversation"))
        }
        None => format!("{currency} "),
    }
}
