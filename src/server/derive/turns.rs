//! A conversation's turns: each end-user message with the agent messages that answer it, plus, for some conversations, one turn that never finished.

use std::ops::Range;

use chrono::{DateTime, Duration, Utc};

use super::ids::draw;
use crate::provider::model::{Message, Timestamp};

/// Why an unfinished turn stopped, as the tracking SDK reports it.
pub(crate) const INCOMPLETE_REASONS: [&str; 4] = ["error", "abandoned", "deadline", "shutdown"];
/// One conversation in this many (chosen by its key) has a turn that never finished.
const INCOMPLETE_ONE_IN: u64 = 12;
const SALT_INCOMPLETE: u64 = 0x7475_726e;

/// One exchange of a conversation.
#[derive(Clone, Debug)]
pub(crate) struct Turn {
    /// 0-based, in transcript order; the unfinished turn comes last.
    pub index: u32,
    /// The transcript messages of this turn (empty for an unfinished turn).
    pub messages: Range<usize>,
    /// When each agent message of the turn was sent (the model calls that wrote them end there).
    pub replies: Vec<DateTime<Utc>>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `Some(reason)` for a turn that never finished.
    pub incomplete: Option<&'static str>,
}

impl Turn {
    /// How many model calls of the conversation's main model this turn made.
    pub(crate) fn primary_calls(&self) -> u32 {
        u32::try_from(self.replies.len()).unwrap_or(u32::MAX).max(1)
    }
}

/// When a message was sent: its own timestamp, else the last one known.
pub(crate) fn instant_or(t: Option<&Timestamp>, fallback: DateTime<Utc>) -> DateTime<Utc> {
    t.and_then(Timestamp::instant).unwrap_or(fallback)
}

/// Splits a transcript into turns. A conversation that has usage but no
/// messages gets one empty turn (so its usage has a turn to belong to).
pub(crate) fn turns(
    pk: i64,
    started_at: Option<DateTime<Utc>>,
    messages: &[Message],
    has_usage: bool,
) -> Vec<Turn> {
    let origin = started_at
        .or_else(|| {
            messages
                .iter()
                .find_map(|m| m.timestamp.as_ref()?.instant())
        })
        .unwrap_or(DateTime::UNIX_EPOCH);
    let mut clock = origin;
    let mut turns: Vec<Turn> = Vec::new();
    for (position, message) in messages.iter().enumerate() {
        clock = instant_or(message.timestamp.as_ref(), clock);
        let opens = message.sender.as_deref() == Some("end_user") || turns.is_empty();
        if opens {
            turns.push(Turn {
                index: u32::try_from(turns.len()).unwrap_or(u32::MAX),
                messages: position..position,
                replies: Vec::new(),
                start: clock,
                end: clock,
                incomplete: None,
            });
        }
        if let Some(turn) = turns.last_mut() {
            turn.messages.end = position + 1;
            turn.end = turn.end.max(clock);
            if message.sender.as_deref() == Some("agent") {
                turn.replies.push(clock);
            }
            for log in message.action_logs.iter().flatten() {
                let start = instant_or(log.started_at.as_ref(), clock);
                turn.end = turn
                    .end
                    .max(start + duration(log.duration_ms.unwrap_or(0.0)));
            }
        }
    }
    if turns.is_empty() && has_usage {
        turns.push(Turn {
            index: 0,
            messages: 0..0,
            replies: Vec::new(),
            start: origin,
            end: origin,
            incomplete: None,
        });
    }
    let roll = draw(pk, SALT_INCOMPLETE, 0);
    if roll % INCOMPLETE_ONE_IN == 5 && (has_usage || !turns.is_empty()) {
        let after = turns.last().map_or(origin, |t| t.end);
        let start = after + Duration::seconds(3);
        let reason = INCOMPLETE_REASONS[usize::try_from(roll / 16 % 4).unwrap_or(0)];
        turns.push(Turn {
            index: u32::try_from(turns.len()).unwrap_or(u32::MAX),
            messages: messages.len()..messages.len(),
            replies: Vec::new(),
            start,
            end: start,
            incomplete: Some(reason),
        });
    }
    turns
}

/// Milliseconds (with a fraction) as a duration, to the microsecond; nonsense is zero.
pub(crate) fn duration(ms: f64) -> Duration {
    if ms.is_finite() && ms > 0.0 && ms < 1e12 {
        #[allow(clippy::cast_possible_truncation)] // bounded just above
        Duration::microseconds((ms * 1000.0).round() as i64)
    } else {
        Duration::zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(sender: &str, at: &str) -> Message {
        Message {
            sender: Some(sender.to_owned()),
            timestamp: Some(Timestamp::from_text(at)),
            ..Message::default()
        }
    }

    #[test]
    fn each_end_user_message_opens_a_turn() {
        let messages = vec![
            message("agent", "2024-01-01T00:00:00Z"),
            message("end_user", "2024-01-01T00:00:05Z"),
            message("agent", "2024-01-01T00:00:09Z"),
            message("agent", "2024-01-01T00:00:12Z"),
            message("end_user", "2024-01-01T00:01:00Z"),
        ];
        // A key whose draw gives no unfinished turn.
        let pk = (1..100)
            .find(|pk| draw(*pk, SALT_INCOMPLETE, 0) % INCOMPLETE_ONE_IN != 5)
            .unwrap();
        let t = turns(pk, None, &messages, false);
        let ranges: Vec<_> = t.iter().map(|t| t.messages.clone()).collect();
        assert_eq!(ranges, [0..1, 1..4, 4..5]);
        assert_eq!(t[1].replies.len(), 2);
        assert_eq!(t[0].primary_calls(), 1);
        assert!(turns(pk, None, &[], false).is_empty());
        assert_eq!(turns(pk, None, &[], true).len(), 1);
    }

    #[test]
    fn about_one_conversation_in_twelve_has_an_unfinished_turn() {
        let messages = vec![message("end_user", "2024-01-01T00:00:00Z")];
        let unfinished = (1..=1200)
            .filter(|pk| {
                turns(*pk, None, &messages, true)
                    .last()
                    .is_some_and(|t| t.incomplete.is_some())
            })
            .count();
        assert!((60..=140).contains(&unfinished), "{unfinished}");
    }
}
