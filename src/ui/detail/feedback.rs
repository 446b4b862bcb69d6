//! The Feedback tab: each verdict's sentiment (glyph and word), source, time and comment.

use super::clock;
use super::line::{Line, Lines};
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::model::Conversation;

/// One block per feedback, or a single "no feedback" block.
#[must_use]
pub fn blocks(conversation: &Conversation, ctx: Ctx) -> Vec<Lines> {
    let theme = ctx.theme;
    let feedbacks = conversation.feedbacks();
    if feedbacks.is_empty() {
        let note = if conversation.feedbacks.is_none() && conversation.messages.is_none() {
            "feedback not loaded"
        } else {
            "no feedback"
        };
        let mut out = Lines::default();
        out.push(Line::plain(note, theme.muted()));
        return vec![out];
    }
    feedbacks
        .iter()
        .map(|f| {
            let mut out = Lines::default();
            let sentiment = f.sentiment.as_deref();
            let style = parts::sentiment_style(sentiment, theme);
            let mut title = Line::default();
            title.push(human::sentiment_glyph(sentiment), style);
            title.push(" ", theme.text());
            title.push(&parts::one_line(sentiment.unwrap_or("no sentiment")), style);
            if let Some(source) = &f.source {
                title.push(" · ", theme.muted());
                title.push(&parts::one_line(source), theme.text());
            }
            if let Some(t) = &f.created_at {
                title.push(" · ", theme.muted());
                title.push(&clock::datetime(ctx.zone, t), theme.muted());
            }
            out.push(title);
            match f.comment.as_deref().filter(|c| !c.trim().is_empty()) {
                Some(comment) => {
                    for piece in parts::multi_line(comment).split('\n') {
                        out.push(Line::plain(piece, theme.text()).indented(2));
                    }
                }
                None => out.push(Line::plain("no comment", theme.muted()).indented(2)),
            }
            out.push(Line::blank());
            out
        })
        .collect()
}
