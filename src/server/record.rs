//! One conversation as the server stores it: the light head, the heavy parts beside it, and what the filters read, computed once.

use chrono::{DateTime, Utc};

use super::agent::{AGENT_ID, environment_id};
use super::metaindex::MetadataIndex;
use crate::provider::model::{Conversation, Feedback, Message, Ticket, Timestamp, TokenUsage};

/// One conversation as stored: the metadata-only head, the heavy parts beside
/// it (so a `full=false` row is the head alone, with nothing cloned), and what
/// the filters need, computed once.
#[derive(Debug)]
pub(super) struct Record {
    /// Every field except the four below, which are always `None` here. The
    /// computed row fields (`agent`, `environment_id`, `message_count`,
    /// `feedback_count`) are set here by [`Record::refresh`], whatever the data file said.
    pub head: Conversation,
    pub messages: Option<Vec<Message>>,
    pub feedbacks: Option<Vec<Feedback>>,
    /// Newest first, each thread oldest first (sorted at load and on every write).
    pub tickets: Option<Vec<Ticket>>,
    pub token_usage: Option<TokenUsage>,
    pub derived: Derived,
}

/// Values the filters and orderings read on every request, computed at load
/// and after each write so that a request over 10,000 rows allocates nothing per row.
#[derive(Debug, Default)]
pub(super) struct Derived {
    /// The primary key (always set: ids are assigned at load).
    pub pk: i64,
    pub name_lower: Option<String>,
    pub conversation_id_lower: Option<String>,
    pub customer_id_lower: Option<String>,
    /// Every message's content, lowercased, joined by NUL (which no filter
    /// value can contain, so a match never spans two messages).
    pub messages_lower: String,
    /// The name of every tool or task that ran (message `action_name`s and
    /// names action logs carry), lowercased, joined by NUL.
    pub actions_lower: String,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Soft-deleted (`is_deleted: true`).
    pub deleted: bool,
    /// Conversation feedback plus message votes.
    pub feedback_count: usize,
    /// The sentiments of that feedback, as [`sentiment_bit`] flags.
    pub sentiments: u8,
    /// The metadata, flattened for the metadata filters (`None`: walk it instead).
    pub metadata_index: Option<MetadataIndex>,
}

/// A sentiment's flag in [`Derived::sentiments`]; unknown sentiments have none.
pub(super) fn sentiment_bit(sentiment: &str) -> u8 {
    match sentiment {
        "positive" => 1,
        "neutral" => 2,
        "negative" => 4,
        _ => 0,
    }
}

impl Record {
    pub(super) fn new(mut conversation: Conversation) -> Self {
        let messages = conversation.messages.take();
        let feedbacks = conversation.feedbacks.take();
        let tickets = conversation.tickets.take();
        let token_usage = conversation.token_usage.take();
        let mut record = Self {
            head: conversation,
            messages,
            feedbacks,
            tickets,
            token_usage,
            derived: Derived::default(),
        };
        record.link_children();
        record.sort_tickets();
        record.refresh();
        record
    }

    /// Points every message, attachment, action log and vote at its parents,
    /// as the service's rows do (`conversation`, `message`).
    fn link_children(&mut self) {
        let pk = self.head.id;
        let conversation_id = self.head.conversation_id.clone();
        for m in self.messages.iter_mut().flatten() {
            m.conversation = pk;
            // Every message row has both lists, empty when there is nothing.
            m.attachments.get_or_insert_with(Vec::new);
            m.action_logs.get_or_insert_with(Vec::new);
            for a in m.attachments.iter_mut().flatten() {
                a.message = m.id;
            }
            for log in m.action_logs.iter_mut().flatten() {
                log.message = m.id;
            }
            if let Some(vote) = m.feedback.as_mut() {
                vote.kind = Some("message".to_owned());
                vote.message = m.id;
                vote.conversation = pk;
                vote.conversation_id.clone_from(&conversation_id);
                if vote.created_at.is_none() {
                    vote.created_at.clone_from(&m.timestamp);
                }
            }
        }
    }

    /// Tickets newest first, each thread oldest first (ties by id), in the
    /// same order the ticket routes use (missing times last ascending, so first descending).
    pub(super) fn sort_tickets(&mut self) {
        let at = |t: &Option<Timestamp>| t.as_ref().and_then(Timestamp::instant);
        for t in self.tickets.iter_mut().flatten() {
            if let Some(comments) = t.comments.as_mut() {
                comments.sort_by(|a, b| {
                    nulls_last(at(&a.created_at), at(&b.created_at)).then(a.id.cmp(&b.id))
                });
            }
        }
        if let Some(tickets) = self.tickets.as_mut() {
            tickets.sort_by(|a, b| {
                nulls_last(at(&a.created_at), at(&b.created_at))
                    .then(a.id.cmp(&b.id))
                    .reverse()
            });
        }
    }

    /// Recomputes [`Derived`] and the computed row fields after a change.
    pub(super) fn refresh(&mut self) {
        let lower = |s: &Option<String>| s.as_deref().map(str::to_lowercase);
        let instant = |t: &Option<Timestamp>| t.as_ref().and_then(Timestamp::instant);
        let messages_lower = self
            .messages()
            .iter()
            .filter_map(|m| m.content.as_deref())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("\0");
        let actions_lower = self
            .messages()
            .iter()
            .flat_map(|m| {
                let logged = m.action_logs.iter().flatten().filter_map(|log| {
                    ["action_name", "name"]
                        .iter()
                        .find_map(|k| log.extra.get(*k).and_then(serde_json::Value::as_str))
                });
                m.action_name.as_deref().into_iter().chain(logged)
            })
            .filter(|name| !name.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("\0");
        let votes = self.messages().iter().filter_map(|m| m.feedback.as_ref());
        let all_feedback: Vec<&Feedback> = self.feedbacks().iter().chain(votes).collect();
        let sentiments = all_feedback
            .iter()
            .filter_map(|f| f.sentiment.as_deref())
            .fold(0, |bits, s| bits | sentiment_bit(s));
        self.derived = Derived {
            pk: self.head.id.unwrap_or_default(),
            name_lower: lower(&self.head.name),
            conversation_id_lower: lower(&self.head.conversation_id),
            customer_id_lower: lower(&self.head.customer_id),
            messages_lower,
            actions_lower,
            started_at: instant(&self.head.started_at),
            ended_at: instant(&self.head.ended_at),
            deleted: self.head.is_deleted == Some(true),
            feedback_count: all_feedback.len(),
            sentiments,
            metadata_index: MetadataIndex::build(self.head.metadata.as_ref()),
        };
        self.head.agent = Some(AGENT_ID);
        self.head.environment_id = self.head.environment.as_deref().and_then(environment_id);
        self.head.message_count = Some(i64::try_from(self.messages().len()).unwrap_or(i64::MAX));
        self.head.feedback_count =
            Some(i64::try_from(self.derived.feedback_count).unwrap_or(i64::MAX));
    }

    /// The transcript, empty when there is none.
    pub(super) fn messages(&self) -> &[Message] {
        self.messages.as_deref().unwrap_or_default()
    }

    /// The feedback, empty when there is none.
    pub(super) fn feedbacks(&self) -> &[Feedback] {
        self.feedbacks.as_deref().unwrap_or_default()
    }

    /// The tickets, empty when there are none.
    pub(super) fn tickets(&self) -> &[Ticket] {
        self.tickets.as_deref().unwrap_or_default()
    }

    /// Whether some tool or task ran.
    pub(super) fn has_action(&self) -> bool {
        !self.derived.actions_lower.is_empty()
    }
}

/// Ascending with missing values after every present one.
pub(super) fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}
