//! What a list row can only say once its whole record is known: feedback and its worst sentiment, failed actions, tickets, messages.
//!
//! Lean rows carry the message and feedback counts but not what went wrong;
//! a `Glance` is made from the whole record (fetched in the background or
//! opened) and kept small, so a page of them costs little to hold.

use crate::format::human::sentiment_glyph;
use crate::provider::Conversation;
use crate::provider::model::ActionOutcome;

/// The worst sentiment of a conversation's feedback, most telling last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Worst {
    /// Only positive feedback.
    Positive,
    /// Neutral at worst.
    Neutral,
    /// At least one negative.
    Negative,
}

impl Worst {
    /// The wire word, as `format::human::sentiment_glyph` takes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Neutral => "neutral",
            Self::Negative => "negative",
        }
    }

    fn of(word: &str) -> Option<Self> {
        match word.trim() {
            "positive" => Some(Self::Positive),
            "neutral" => Some(Self::Neutral),
            "negative" => Some(Self::Negative),
            _ => None,
        }
    }
}

/// A row's facts from its whole record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Glance {
    /// Messages in the transcript.
    pub messages: usize,
    /// Feedback on the conversation and votes on its messages (what the lean
    /// `feedback_count` counts).
    pub feedback: usize,
    /// The worst sentiment among them, if any gave one.
    pub worst: Option<Worst>,
    /// Action logs that reported an error.
    pub failed: usize,
    /// Tickets filed about it.
    pub tickets: usize,
}

impl Glance {
    /// The facts of a whole record.
    #[must_use]
    pub fn of(conversation: &Conversation) -> Self {
        let votes = conversation
            .messages()
            .iter()
            .filter_map(|m| m.feedback.as_ref());
        let all: Vec<_> = conversation.feedbacks().iter().chain(votes).collect();
        Self {
            messages: conversation.messages().len(),
            feedback: all.len(),
            worst: all
                .iter()
                .filter_map(|f| f.sentiment.as_deref().and_then(Worst::of))
                .max(),
            failed: conversation
                .action_logs()
                .filter(|(_, log)| log.outcome() == ActionOutcome::Failed)
                .count(),
            tickets: conversation.tickets.as_ref().map_or(0, Vec::len),
        }
    }
}

/// What a row's extra columns can say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// Its record has not arrived yet: [`PENDING`] in the list.
    Pending,
    /// Its record could not be fetched: [`UNKNOWN`] (`r` tries again).
    Failed,
    /// Known: a blank then means "none".
    Is(Glance),
}

/// Drawn in a column whose value is still being fetched: a blank is never "not loaded yet".
pub const PENDING: &str = "⋯";
/// Drawn in a column whose value could not be fetched.
pub const UNKNOWN: &str = "?";

/// A count in at most three columns: `7`, `120`, `3k`.
#[must_use]
pub fn short_count(n: usize) -> String {
    if n < 1000 {
        n.to_string()
    } else if n < 10_000 {
        format!("{}k", n / 1000)
    } else {
        "9k+".to_owned()
    }
}

/// The feedback column: how many (the lean count when the row has one) and
/// the worst sentiment, e.g. `2☹`; blank when there is none.
#[must_use]
pub fn feedback_cell(lean_count: Option<i64>, known: Known) -> String {
    let lean = lean_count.and_then(|n| usize::try_from(n).ok());
    if lean == Some(0) {
        return String::new();
    }
    let glyph = |worst: Option<Worst>| sentiment_glyph(worst.map(Worst::as_str)).trim();
    match (lean, known) {
        (_, Known::Is(g)) if lean.unwrap_or(g.feedback) == 0 => String::new(),
        (_, Known::Is(g)) => format!(
            "{}{}",
            short_count(lean.unwrap_or(g.feedback)),
            glyph(g.worst)
        ),
        (Some(n), Known::Pending) => format!("{}{PENDING}", short_count(n)),
        (Some(n), Known::Failed) => format!("{}{UNKNOWN}", short_count(n)),
        (None, Known::Pending) => PENDING.to_owned(),
        (None, Known::Failed) => UNKNOWN.to_owned(),
    }
}

/// The failed-actions column: `✗2`; blank when none failed (or there are no messages to fail).
#[must_use]
pub fn failed_cell(lean_messages: Option<i64>, known: Known) -> String {
    match known {
        Known::Is(g) if g.failed == 0 => String::new(),
        Known::Is(g) => format!("✗{}", short_count(g.failed)),
        // No message, no action: nothing can have failed.
        _ if lean_messages == Some(0) => String::new(),
        Known::Pending => PENDING.to_owned(),
        Known::Failed => UNKNOWN.to_owned(),
    }
}

/// The tickets column: `⚑1`; blank when none was filed.
#[must_use]
pub fn tickets_cell(known: Known) -> String {
    match known {
        Known::Is(g) if g.tickets == 0 => String::new(),
        Known::Is(g) => format!("⚑{}", short_count(g.tickets)),
        Known::Pending => PENDING.to_owned(),
        Known::Failed => UNKNOWN.to_owned(),
    }
}

/// The messages column: the whole record's count when known (it may have
/// grown since the page came), else the lean row's.
#[must_use]
pub fn messages_cell(lean: Option<i64>, known: Known) -> String {
    match (known, lean.and_then(|n| usize::try_from(n).ok())) {
        (Known::Is(g), _) => short_count(g.messages),
        (_, Some(n)) => short_count(n),
        (Known::Pending, None) => PENDING.to_owned(),
        (Known::Failed, None) => UNKNOWN.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_count_as_feedback_and_the_worst_wins() {
        let c: Conversation = serde_json::from_value(serde_json::json!({
            "id": 1,
            "feedbacks": [{"sentiment": "positive"}],
            "tickets": [{"id": 3}],
            "messages": [
                {"id": 1, "feedback": {"sentiment": "negative"},
                 "action_logs": [{"id": 1, "error_message": "boom"}, {"id": 2, "duration_ms": 5}]},
                {"id": 2, "action_logs": [{"id": 3, "error_message": "  "}]}
            ]
        }))
        .unwrap_or_default();
        assert_eq!(
            Glance::of(&c),
            Glance {
                messages: 2,
                feedback: 2,
                worst: Some(Worst::Negative),
                failed: 1,
                tickets: 1,
            }
        );
        assert_eq!(Glance::of(&Conversation::default()), Glance::default());
    }

    #[test]
    fn a_blank_is_none_and_a_placeholder_is_not_known_yet() {
        let some = Known::Is(Glance {
            messages: 4,
            feedback: 2,
            worst: Some(Worst::Negative),
            failed: 3,
            tickets: 1,
        });
        let none = Known::Is(Glance::default());
        assert_eq!(feedback_cell(Some(2), some), "2☹");
        assert_eq!(feedback_cell(Some(2), Known::Pending), "2⋯");
        assert_eq!(feedback_cell(Some(0), Known::Pending), "");
        assert_eq!(feedback_cell(None, Known::Pending), "⋯");
        assert_eq!(feedback_cell(None, none), "");
        assert_eq!(failed_cell(Some(9), some), "✗3");
        assert_eq!(failed_cell(Some(9), none), "");
        assert_eq!(failed_cell(Some(9), Known::Pending), "⋯");
        assert_eq!(failed_cell(Some(0), Known::Pending), "");
        assert_eq!(failed_cell(Some(9), Known::Failed), "?");
        assert_eq!(tickets_cell(some), "⚑1");
        assert_eq!(tickets_cell(none), "");
        assert_eq!(messages_cell(None, Known::Pending), "⋯");
        assert_eq!(messages_cell(Some(7), Known::Pending), "7");
        assert_eq!(messages_cell(Some(7), some), "4");
        assert_eq!(short_count(12_345), "9k+");
    }
}
