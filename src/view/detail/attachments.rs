//! The Attachments tab: each file's type glyph, name, MIME type, size and the message it came with, under a note on the signed URLs' one-hour expiry.

use chrono::{DateTime, Duration, Utc};

use super::clock;
use super::line::{Line, Lines};
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::model::Conversation;

/// The note on top, then one block per attachment (or "no attachments").
#[must_use]
pub(super) fn blocks(
    conversation: &Conversation,
    ctx: Ctx,
    fetched_at: Option<DateTime<Utc>>,
) -> Vec<Lines> {
    let theme = ctx.theme;
    let mut blocks = Vec::new();
    let mut note = Lines::default();
    let mut line = Line::default();
    line.push(
        "File URLs are signed and expire one hour after the conversation was fetched",
        theme.muted(),
    );
    if let Some(at) = fetched_at {
        line.push(" — ", theme.muted());
        line.push(
            &format!(
                "URLs valid until {}",
                clock::minute(ctx.zone, at + Duration::hours(1))
            ),
            theme.warning(),
        );
    }
    note.push(line);
    note.push(Line::blank());
    blocks.push(note);

    let messages = conversation.messages();
    for (index, message) in messages.iter().enumerate() {
        for a in message.attachments.as_deref().unwrap_or_default() {
            let mut out = Lines::default();
            let mut title = Line::default();
            // Room for the cursor's `▶` in the margin.
            title.push("  ", theme.text());
            title.push(
                &format!("{} ", human::attachment_glyph(a.kind.as_deref())),
                theme.text(),
            );
            title.push(
                &parts::one_line(a.filename.as_deref().unwrap_or("(unnamed)")),
                theme.heading(),
            );
            out.push(title);
            let facts: Vec<String> = [
                a.mime_type
                    .as_deref()
                    .map(|m| parts::one_line(m).into_owned()),
                a.size_bytes.map(human::size),
                a.kind.as_deref().map(|k| parts::one_line(k).into_owned()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !facts.is_empty() {
                parts::field(&mut out, ctx, 2, "file", &facts.join(" · "), theme.text());
            }
            let mut from = format!("message #{}", index + 1);
            if let Some(sender) = &message.sender {
                from.push_str(" · ");
                from.push_str(&parts::sender(sender).0);
            }
            if let Some(t) = &message.timestamp {
                from.push_str(" · ");
                from.push_str(&clock::datetime(ctx.zone, t));
            }
            parts::field(&mut out, ctx, 2, "from", &from, theme.text());
            if let Some(url) = a.file_url.as_deref().filter(|u| !u.is_empty()) {
                parts::field(&mut out, ctx, 2, "url", &parts::one_line(url), theme.link());
            }
            out.push(Line::blank());
            blocks.push(out);
        }
    }
    if blocks.len() == 1 {
        let mut empty = Lines::default();
        let says = if conversation.messages.is_none() {
            "attachments not loaded"
        } else {
            "no attachments"
        };
        empty.push(Line::plain(says, theme.muted()));
        blocks.push(empty);
    }
    blocks
}
