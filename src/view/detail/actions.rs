//! The Actions tab: a count line, then every action log with its name, times, outcome, tools, response and error — failed ones in the error style.

use crate::format::count::plural;
use std::sync::Arc;

use super::clock;
use super::doc::Source;
use super::line::{Line, Lines};
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::model::{ActionOutcome, Conversation};

/// How many actions there are and how they ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    pub total: usize,
    pub failed: usize,
    pub unknown: usize,
}

impl Tally {
    /// Counts the actions of a conversation.
    #[must_use]
    pub(super) fn of(conversation: &Conversation) -> Self {
        let mut tally = Self::default();
        for (_, log) in conversation.action_logs() {
            tally.total += 1;
            match log.outcome() {
                ActionOutcome::Failed => tally.failed += 1,
                ActionOutcome::Unknown => tally.unknown += 1,
                ActionOutcome::Succeeded => {}
            }
        }
        tally
    }
}

/// The action logs as a [`Source`]: block 0 is the count, then one block per action.
pub(super) struct Actions {
    conversation: Arc<Conversation>,
    ctx: Ctx,
    /// (message index, log index) of every action, in transcript order.
    index: Vec<(usize, usize)>,
    tally: Tally,
}

impl Actions {
    #[must_use]
    pub(super) fn new(conversation: Arc<Conversation>, ctx: Ctx) -> Self {
        let index = conversation
            .messages()
            .iter()
            .enumerate()
            .flat_map(|(m, message)| {
                (0..message.action_logs.as_deref().unwrap_or_default().len()).map(move |l| (m, l))
            })
            .collect();
        let tally = Tally::of(&conversation);
        Self {
            conversation,
            ctx,
            index,
            tally,
        }
    }

    fn count(&self) -> Lines {
        let theme = self.ctx.theme;
        let mut out = Lines::default();
        let mut line = Line::default();
        let Tally {
            total,
            failed,
            unknown,
        } = self.tally;
        if total == 0 {
            line.push("no actions", theme.muted());
        } else {
            line.push(&plural(total, "action"), theme.heading());
            line.push(" · ", theme.muted());
            line.push(
                &format!("{failed} failed"),
                if failed > 0 {
                    theme.error()
                } else {
                    theme.muted()
                },
            );
            if unknown > 0 {
                line.push(" · ", theme.muted());
                line.push(&format!("{unknown} unknown"), theme.warning());
            }
        }
        out.push(line);
        out.push(Line::blank());
        out
    }
}

impl Source for Actions {
    fn len(&self) -> usize {
        1 + self.index.len()
    }

    fn build(&self, block: usize) -> Lines {
        let Some(&(m, l)) = block.checked_sub(1).and_then(|i| self.index.get(i)) else {
            return self.count();
        };
        let ctx = self.ctx;
        let theme = ctx.theme;
        let message = &self.conversation.messages()[m];
        let log = &message.action_logs.as_deref().unwrap_or_default()[l];
        let outcome = log.outcome();
        let mut out = Lines::default();

        let (glyph, glyph_style) = parts::outcome(log, theme);
        let mut title = Line::default();
        title.push(glyph, glyph_style);
        title.push(" ", theme.text());
        title.push(
            &parts::one_line(message.action_name.as_deref().unwrap_or("action")),
            if outcome == ActionOutcome::Failed {
                theme.error()
            } else {
                theme.heading()
            },
        );
        out.anchor();
        out.push(title);

        if let Some(t) = &log.started_at {
            parts::field(
                &mut out,
                ctx,
                2,
                "started",
                &clock::datetime(ctx.zone, t),
                theme.text(),
            );
        }
        let duration = log.duration_ms.map(human::duration_ms).or_else(|| {
            let start = log.started_at.as_ref()?.instant()?;
            let end = log.ended_at.as_ref()?.instant()?;
            Some(human::between(start, end))
        });
        if let Some(d) = duration {
            parts::field(&mut out, ctx, 2, "duration", &d, theme.text());
        }
        let (word, style) = match outcome {
            ActionOutcome::Succeeded => ("succeeded", theme.success()),
            ActionOutcome::Failed => ("failed", theme.error()),
            ActionOutcome::Unknown => ("unknown (no end or error recorded)", theme.warning()),
        };
        parts::field(&mut out, ctx, 2, "outcome", word, style);
        let tools = log
            .tools_used
            .as_ref()
            .map(parts::tools)
            .unwrap_or_default();
        if !tools.is_empty() {
            parts::field(&mut out, ctx, 2, "tools", &tools, theme.text());
        }
        if let Some(response) = log.response.as_deref().filter(|r| !r.trim().is_empty()) {
            parts::field(&mut out, ctx, 2, "response", response, theme.text());
        }
        if let Some(error) = log
            .error_message
            .as_deref()
            .filter(|e| !e.trim().is_empty())
        {
            parts::field(&mut out, ctx, 2, "error", error, theme.error());
        }
        let mut from = format!("#{}", m + 1);
        if let Some(sender) = &message.sender {
            from.push_str(" · ");
            from.push_str(&parts::sender(sender).0);
        }
        if let Some(t) = &message.timestamp {
            from.push_str(" · ");
            from.push_str(&clock::time(ctx.zone, t));
        }
        parts::field(&mut out, ctx, 2, "message", &from, theme.muted());
        out.push(Line::blank());
        out
    }

    fn failures(&self) -> Vec<(usize, usize)> {
        self.index
            .iter()
            .enumerate()
            .filter(|&(_, &(m, l))| {
                self.conversation.messages()[m]
                    .action_logs
                    .as_deref()
                    .unwrap_or_default()
                    .get(l)
                    .is_some_and(|log| log.outcome() == ActionOutcome::Failed)
            })
            .map(|(i, _)| (i + 1, 0))
            .collect()
    }
}
