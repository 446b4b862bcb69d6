//! The attachment preview over the main area: the file's facts, then its text (wrapped, inert), its picture (drawn by the terminal's protocol, half-blocks where none answers), a download's progress, or why nothing is drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use ratatui_image::protocol::Protocol;

use crate::app::attachments::{Body, Preview};
use crate::app::layout::{inside, preview as preview_box, preview_body};
use crate::app::state::State;
use crate::format::human;
use crate::text::{Lines, sanitize, truncate};
use crate::view::preview::PREVIEW_CAP;

/// Draws the preview over `main`.
pub fn render(state: &State, preview: &Preview, main: Rect, buf: &mut Buffer) {
    let theme = state.theme;
    let area = preview_box(main);
    Clear.render(area, buf);
    let keys = " j/k scroll · s save · Y copy link · o open · esc close ";
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Span::styled(
            format!(" {} ", preview.file.shown_name()),
            theme.heading(),
        ))
        .title_bottom(Span::styled(keys, theme.muted()))
        .render(area, buf);
    let inner = inside(area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let room = usize::from(inner.width);
    let facts = facts_line(preview);
    buf.set_string(inner.x, inner.y, truncate(&facts, room), theme.text());
    let (note, style) = note_line(preview);
    if inner.height > 1 {
        let style = if style {
            theme.warning()
        } else {
            theme.muted()
        };
        buf.set_string(inner.x, inner.y + 1, truncate(&note, room), style);
    }
    let body = preview_body(main);
    if body.height == 0 {
        return;
    }
    match &preview.body {
        Body::Text(text) => draw_text(&text.lines, preview.scroll, body, buf, theme.text()),
        Body::Picture {
            drawn: Some(drawn), ..
        } => {
            ratatui_image::Image::new(&drawn.protocol).render(body, buf);
        }
        Body::Picture { drawn: None, .. } => {
            buf.set_string(body.x, body.y, "drawing…", theme.muted());
        }
        Body::Loading { .. } | Body::Facts(_) | Body::Failed(_) => {}
    }
}

/// `📷 image/png · 240 KB · message #6`.
fn facts_line(preview: &Preview) -> String {
    let file = &preview.file;
    let mut parts = vec![format!(
        "{} {}",
        human::attachment_glyph(file.kind.as_deref()),
        file.mime.as_deref().map_or_else(
            || "no type".to_owned(),
            |m| sanitize(m, Lines::Join).into_owned()
        )
    )];
    if let Some(size) = file.size {
        parts.push(human::size(i64::try_from(size).unwrap_or(i64::MAX)));
    }
    parts.push(format!("message #{}", file.message));
    parts.join(" · ")
}

/// The second row: progress, what is shown of the file, a warning. `true` when it warns.
fn note_line(preview: &Preview) -> (String, bool) {
    match &preview.body {
        Body::Loading { received, total } => (
            format!("downloading {}", progress(*received, *total, 24)),
            false,
        ),
        Body::Text(text) => {
            if let Some(note) = &text.note {
                return (note.clone(), true);
            }
            let lines = text.lines.len();
            if text.cut {
                (
                    format!(
                        "the first {} MB shown ({lines} lines); s saves it whole",
                        PREVIEW_CAP / 1_000_000
                    ),
                    true,
                )
            } else {
                (
                    format!(
                        "{lines} lines · {} · shown as text, inert",
                        human::size(i64::try_from(text.bytes).unwrap_or(i64::MAX))
                    ),
                    false,
                )
            }
        }
        Body::Picture { picture, drawn } => {
            if let Some(note) = &picture.note {
                return (note.clone(), true);
            }
            let how = drawn.as_ref().map_or("", |d| protocol_name(&d.protocol));
            (
                format!("{} × {} pixels{how}", picture.width, picture.height),
                false,
            )
        }
        Body::Facts(why) | Body::Failed(why) => (why.clone(), true),
    }
}

fn protocol_name(protocol: &Protocol) -> &'static str {
    match protocol {
        Protocol::Halfblocks(_) => " · drawn with half-blocks",
        Protocol::Sixel(_) => " · drawn with sixel",
        Protocol::Kitty(_) => " · drawn with the kitty protocol",
        Protocol::ITerm2(_) => " · drawn with the iTerm2 protocol",
    }
}

/// `▕██████░░░░▏ 40% · 96 KB of 240 KB`, or the bytes alone when the total is unknown.
#[must_use]
pub fn progress(received: u64, total: Option<u64>, bar: usize) -> String {
    let size = |b: u64| human::size(i64::try_from(b).unwrap_or(i64::MAX));
    match total.filter(|t| *t > 0) {
        Some(total) => {
            let done = received.min(total);
            let filled = usize::try_from(done * bar as u64 / total).unwrap_or(bar);
            format!(
                "▕{}{}▏ {}% · {} of {}",
                "█".repeat(filled),
                "░".repeat(bar - filled.min(bar)),
                done * 100 / total,
                size(done),
                size(total)
            )
        }
        None => format!("{} so far", size(received)),
    }
}

/// The text's lines from `scroll`, each wrapped to the body's width.
fn draw_text(
    lines: &[String],
    scroll: usize,
    body: Rect,
    buf: &mut Buffer,
    style: ratatui::style::Style,
) {
    let width = usize::from(body.width).max(1);
    let mut y = body.y;
    for line in lines.iter().skip(scroll) {
        let mut rest = line.as_str();
        loop {
            if y >= body.bottom() {
                return;
            }
            let take = crate::text::fit_prefix(rest, width)
                .max(rest.chars().next().map_or(0, char::len_utf8));
            let (head, tail) = rest.split_at(take.min(rest.len()));
            buf.set_line(
                body.x,
                y,
                &Line::from(Span::styled(head.to_owned(), style)),
                body.width,
            );
            y += 1;
            rest = tail;
            if rest.is_empty() {
                break;
            }
        }
    }
}
