//! The Feedback tab: the verdicts on the conversation and the votes on its messages — sentiment (glyph and word), kind, topic and reason, time and comment.

use super::clock;
use super::line::{Line, Lines};
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::model::{Conversation, Feedback, Message};

/// One block per feedback, or a single "no feedback" block.
#[must_use]
pub(super) fn blocks(conversation: &Conversation, ctx: Ctx) -> Vec<Lines> {
    let theme = ctx.theme;
    // Conversation feedback first, then each message's vote in transcript order.
    let votes = conversation
        .messages()
        .iter()
        .filter_map(|m| m.feedback.as_ref().map(|vote| (vote, Some(m))));
    let feedbacks: Vec<(&Feedback, Option<&Message>)> = conversation
        .feedbacks()
        .iter()
        .map(|f| (f, None))
        .chain(votes)
        .collect();
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
        .map(|&(f, on_message)| {
            let mut out = Lines::default();
            let sentiment = f.sentiment.as_deref();
            let style = parts::sentiment_style(sentiment, theme);
            let mut title = Line::default();
            title.push(human::sentiment_glyph(sentiment), style);
            title.push(" ", theme.text());
            title.push(&parts::one_line(sentiment.unwrap_or("no sentiment")), style);
            title.push(" · ", theme.muted());
            match on_message {
                Some(m) => {
                    let at = m
                        .timestamp
                        .as_ref()
                        .map(|t| clock::datetime(ctx.zone, t))
                        .unwrap_or_default();
                    title.push(&format!("vote on the message of {at}"), theme.text());
                }
                None => title.push(&parts::one_line(f.kind()), theme.text()),
            }
            for value in [&f.topic, &f.reason, &f.category, &f.source]
                .into_iter()
                .flatten()
            {
                title.push(" · ", theme.muted());
                title.push(&parts::one_line(value), theme.text());
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
