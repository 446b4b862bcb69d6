//! The Messages tab: the transcript, one block per message — day separators, time and sender gutter, Markdown content, inline actions and attachment chips.

use std::sync::Arc;

use chrono::NaiveDate;

use super::clock;
use super::doc::Source;
use super::line::{Lead, Line, Lines};
use super::markdown;
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::ProviderKind;
use crate::provider::model::{
    ActionLog, ActionOutcome, Attachment, Conversation, Feedback, Message,
};
use crate::text;

/// Columns of the gutter: `10:30:05 customer  `.
pub(super) const GUTTER: u16 = 19;
const TIME: usize = 8;
const SENDER: usize = 8;

/// Whether a message's text only restates its action (`Action lookup_order
/// performed`, as the tracking SDK writes it): the action line says it better.
fn is_placeholder(message: &Message) -> bool {
    let content = message.content.as_deref().unwrap_or("").trim();
    content.is_empty()
        || message
            .action_name
            .as_deref()
            .is_some_and(|name| content == format!("Action {name} performed"))
}

/// The transcript as a [`Source`].
pub(super) struct Messages {
    conversation: Arc<Conversation>,
    ctx: Ctx,
    /// What the AI is called: `agent` in `AgentSight`, `bot` in `ChatDash`,
    /// where an "agent" is the person who takes over.
    ai: &'static str,
}

impl Messages {
    #[must_use]
    pub(super) fn new(conversation: Arc<Conversation>, ctx: Ctx, kind: ProviderKind) -> Self {
        let ai = match kind {
            ProviderKind::AgentSight => "agent",
            ProviderKind::ChatDash => "bot",
        };
        Self {
            conversation,
            ctx,
            ai,
        }
    }

    /// The day a message was sent on, in the zone.
    fn day(&self, message: &Message) -> Option<NaiveDate> {
        let instant = message.timestamp.as_ref()?.instant()?;
        Some(clock::day(self.ctx.zone, instant))
    }

    /// Whether a day separator goes above message `index`: its day differs from
    /// the last earlier message that has one (looking back a bounded way).
    fn new_day(&self, index: usize) -> Option<NaiveDate> {
        let messages = self.conversation.messages();
        let day = self.day(&messages[index])?;
        let before = messages[..index]
            .iter()
            .rev()
            .take(64)
            .find_map(|m| self.day(m));
        (before != Some(day)).then_some(day)
    }

    fn gutter(&self, message: &Message) -> Lead {
        let theme = self.ctx.theme;
        let time = message
            .timestamp
            .as_ref()
            .map(|t| clock::time(self.ctx.zone, t))
            .unwrap_or_default();
        let raw = message.sender.as_deref().unwrap_or("?");
        let (label, key) = parts::sender(raw);
        let label = if key == "agent" {
            std::borrow::Cow::Borrowed(self.ai)
        } else {
            label
        };
        Lead::styled(
            vec![
                (text::fit(&time, TIME), theme.muted()),
                (" ".to_owned(), theme.text()),
                (
                    text::truncate(&label, SENDER).into_owned(),
                    theme.sender(key),
                ),
            ],
            GUTTER,
        )
    }

    /// `⚙ name · 150 ms · ✓` (or `✗` and the error), then its tools and response.
    fn action(
        &self,
        message: &Message,
        log: &ActionLog,
        gutter: &mut Option<Lead>,
        out: &mut Lines,
    ) {
        let theme = self.ctx.theme;
        let name = parts::one_line(message.action_name.as_deref().unwrap_or("action"));
        let (glyph, glyph_style) = parts::outcome(log, theme);
        let mut line = Line {
            lead: gutter.take().unwrap_or(Lead::indent(GUTTER)),
            cont: Lead::indent(GUTTER + 2),
            ..Line::default()
        };
        let failed = log.outcome() == ActionOutcome::Failed;
        line.push("⚙ ", theme.muted());
        line.push(
            &name,
            if failed {
                theme.error()
            } else {
                theme.text().patch(theme.key())
            },
        );
        if let Some(ms) = log.duration_ms {
            line.push(&format!(" · {}", human::duration_ms(ms)), theme.muted());
        }
        line.push(" · ", theme.muted());
        line.push(glyph, glyph_style);
        if let Some(error) = parts::error_of(log) {
            line.push(" ", theme.text());
            line.push(&error, theme.error());
        }
        out.anchor();
        out.push(line);
        let tools = log
            .tools_used
            .as_ref()
            .map(parts::tools)
            .unwrap_or_default();
        if !tools.is_empty() {
            let mut line = Line::default().indented(GUTTER + 2);
            line.cont = Lead::indent(GUTTER + 8);
            line.push("tools ", theme.muted());
            line.push(&tools, theme.text());
            out.push(line);
        }
        if let Some(response) = log.response.as_deref().filter(|r| !r.trim().is_empty()) {
            let mut line = Line::default().indented(GUTTER + 2);
            line.cont = Lead::indent(GUTTER + 4);
            line.push("→ ", theme.muted());
            line.push(&parts::one_line(response), theme.text());
            out.push(line);
        }
    }

    /// `☹ vote: negative · billing · wrong_answer · "comment"`: the vote left on this message.
    fn vote(&self, vote: &Feedback, gutter: &mut Option<Lead>, out: &mut Lines) {
        let theme = self.ctx.theme;
        let sentiment = vote.sentiment.as_deref();
        let style = parts::sentiment_style(sentiment, theme);
        let mut line = Line {
            lead: gutter.take().unwrap_or(Lead::indent(GUTTER)),
            cont: Lead::indent(GUTTER + 2),
            ..Line::default()
        };
        line.push(human::sentiment_glyph(sentiment), style);
        line.push(" vote: ", theme.muted());
        line.push(&parts::one_line(sentiment.unwrap_or("no sentiment")), style);
        for value in [&vote.topic, &vote.reason].into_iter().flatten() {
            line.push(" · ", theme.muted());
            line.push(&parts::one_line(value), theme.text());
        }
        if let Some(comment) = vote.comment.as_deref().filter(|c| !c.trim().is_empty()) {
            line.push(" · ", theme.muted());
            line.push(
                &format!("\u{201c}{}\u{201d}", parts::one_line(comment)),
                theme.text(),
            );
        }
        out.push(line);
    }

    /// `📷 screenshot.png 240 KB`.
    fn chip(&self, attachment: &Attachment, gutter: &mut Option<Lead>, out: &mut Lines) {
        let theme = self.ctx.theme;
        let mut line = Line {
            lead: gutter.take().unwrap_or(Lead::indent(GUTTER)),
            cont: Lead::indent(GUTTER + 3),
            ..Line::default()
        };
        line.push(
            &format!("{} ", human::attachment_glyph(attachment.kind.as_deref())),
            theme.text(),
        );
        line.push(
            &parts::one_line(attachment.filename.as_deref().unwrap_or("(unnamed)")),
            theme.link(),
        );
        if let Some(size) = attachment.size_bytes {
            line.push(&format!(" {}", human::size(size)), theme.muted());
        }
        out.push(line);
    }
}

impl Source for Messages {
    fn len(&self) -> usize {
        self.conversation.messages().len().max(1)
    }

    fn build(&self, index: usize) -> Lines {
        let theme = self.ctx.theme;
        let mut out = Lines::default();
        let Some(message) = self.conversation.messages().get(index) else {
            let note = if self.conversation.messages.is_none() {
                "transcript not loaded"
            } else {
                "no messages"
            };
            out.push(Line::plain(note, theme.muted()));
            return out;
        };
        if let Some(day) = self.new_day(index) {
            out.push(Line::plain(
                format!("── {} ──", clock::day_label(day)),
                theme.muted(),
            ));
        }
        let logs = message.action_logs.as_deref().unwrap_or_default();
        let mut gutter = Some(self.gutter(message));
        if logs.is_empty() || !is_placeholder(message) {
            let content = parts::multi_line(message.content.as_deref().unwrap_or(""));
            gutter = gutter.and_then(|g| markdown::render(&content, theme, g, GUTTER, &mut out));
        }
        for log in logs {
            self.action(message, log, &mut gutter, &mut out);
        }
        for attachment in message.attachments.as_deref().unwrap_or_default() {
            self.chip(attachment, &mut gutter, &mut out);
        }
        if let Some(vote) = &message.feedback {
            self.vote(vote, &mut gutter, &mut out);
        }
        if let Some(gutter) = gutter {
            // An empty message still shows when and who.
            out.push(Line {
                lead: gutter,
                cont: Lead::indent(GUTTER),
                ..Line::default()
            });
        }
        out
    }

    fn failures(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (index, message) in self.conversation.messages().iter().enumerate() {
            for (n, log) in message
                .action_logs
                .as_deref()
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if log.outcome() == ActionOutcome::Failed {
                    out.push((index, n));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::detail::Zone;
    use crate::view::theme::Theme;

    fn texts(c: &str, block: usize) -> Vec<String> {
        texts_of(c, block, ProviderKind::AgentSight)
    }

    fn texts_of(c: &str, block: usize, kind: ProviderKind) -> Vec<String> {
        let conversation: Conversation = serde_json::from_str(c).unwrap();
        let source = Messages::new(
            Arc::new(conversation),
            Ctx {
                theme: Theme {
                    mono: true,
                    light: false,
                },
                zone: Zone::Utc,
            },
            kind,
        );
        source
            .build(block)
            .lines
            .iter()
            .map(|l| {
                let lead: String = l.lead.segs.iter().map(|(s, _)| s.as_str()).collect();
                let pad = usize::from(l.lead.width).saturating_sub(text::width(&lead));
                format!("{lead}{}{}", " ".repeat(pad), l.text)
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    const DAYS: &str = r#"{"messages": [
        {"timestamp": "2024-01-15T23:59:00Z", "sender": "end_user", "content": "late"},
        {"timestamp": "2024-01-15T23:59:30Z", "sender": "assistant", "content": ""},
        {"timestamp": "2024-01-16T00:00:10Z", "sender": "agent", "content": "Action refund performed",
         "action_name": "refund", "action_logs": [{"duration_ms": 1250, "error_message": "card declined"}]},
        {"sender": "crm\u001b[1m", "content": "no time"}
    ]}"#;

    #[test]
    fn a_day_separator_opens_each_new_day() {
        assert_eq!(
            texts(DAYS, 0),
            vec!["── Monday 2024-01-15 ──", "23:59:00 customer  late"]
        );
        assert_eq!(
            texts(DAYS, 1),
            vec!["23:59:30 agent"],
            "an empty message still shows who"
        );
        assert_eq!(texts(DAYS, 2)[0], "── Tuesday 2024-01-16 ──");
    }

    #[test]
    fn an_action_replaces_the_text_that_only_restates_it() {
        assert_eq!(
            texts(DAYS, 2)[1],
            "00:00:10 agent     ⚙ refund · 1.25 s · ✗ card declined"
        );
    }

    #[test]
    fn unknown_senders_show_as_they_are_sanitised_and_cut() {
        assert_eq!(texts(DAYS, 3), vec!["         crm␛[1m   no time"]);
        let none: Vec<String> = texts(r#"{"messages": []}"#, 0);
        assert_eq!(none, vec!["no messages"]);
    }

    #[test]
    fn chatdash_tells_customer_bot_and_human_apart() {
        let c = r#"{"messages": [
            {"sender": "end_user", "content": "hi"},
            {"sender": "agent", "content": "bot here"},
            {"sender": "human_agent", "content": "Maria here"}
        ]}"#;
        let senders: Vec<String> = (0..3)
            .map(|i| texts_of(c, i, ProviderKind::ChatDash)[0].clone())
            .collect();
        assert_eq!(
            senders,
            [
                "         customer  hi",
                "         bot       bot here",
                "         human     Maria here"
            ]
        );
        assert_eq!(texts(c, 1), ["         agent     bot here"]);
    }
}
