//! The server's in-memory copy of the conversations, split so that list rows serialize without their transcripts and filters read precomputed text.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::data::assign_ids;
use super::filter::{metadata_at, metadata_text};
use super::metaindex::MetadataIndex;
use crate::provider::model::{Conversation, Feedback, Message, Ticket, Timestamp, TokenUsage};

/// One conversation as stored: the metadata-only head, the heavy parts beside
/// it (so a `full=false` row is the head alone, with nothing cloned), and what
/// the filters need, computed once.
#[derive(Debug)]
pub struct Record {
    /// Every field except the four below, which are always `None` here.
    pub head: Conversation,
    pub messages: Option<Vec<Message>>,
    pub feedbacks: Option<Vec<Feedback>>,
    pub tickets: Option<Vec<Ticket>>,
    pub token_usage: Option<TokenUsage>,
    pub derived: Derived,
}

/// Values the filters and orderings read on every request, computed at load
/// and after each write so that a request over 10,000 rows allocates nothing per row.
#[derive(Debug, Default)]
pub struct Derived {
    /// The primary key (always set: ids are assigned at load).
    pub pk: i64,
    pub name_lower: Option<String>,
    pub conversation_id_lower: Option<String>,
    pub customer_id_lower: Option<String>,
    /// Every message's content, lowercased, joined by NUL (which no filter
    /// value can contain, so a match never spans two messages).
    pub messages_lower: String,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Soft-deleted (`is_deleted: true`).
    pub deleted: bool,
    /// The metadata, flattened for the metadata filters (`None`: walk it instead).
    pub metadata_index: Option<MetadataIndex>,
}

impl Record {
    fn new(mut conversation: Conversation) -> Self {
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
        record.refresh();
        record
    }

    /// Recomputes [`Derived`] after a change.
    fn refresh(&mut self) {
        let lower = |s: &Option<String>| s.as_deref().map(str::to_lowercase);
        let instant = |t: &Option<Timestamp>| t.as_ref().and_then(Timestamp::instant);
        let messages_lower = self
            .messages()
            .iter()
            .filter_map(|m| m.content.as_deref())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("\0");
        self.derived = Derived {
            pk: self.head.id.unwrap_or_default(),
            name_lower: lower(&self.head.name),
            conversation_id_lower: lower(&self.head.conversation_id),
            customer_id_lower: lower(&self.head.customer_id),
            messages_lower,
            started_at: instant(&self.head.started_at),
            ended_at: instant(&self.head.ended_at),
            deleted: self.head.is_deleted == Some(true),
            metadata_index: MetadataIndex::build(self.head.metadata.as_ref()),
        };
    }

    /// The transcript, empty when there is none.
    pub fn messages(&self) -> &[Message] {
        self.messages.as_deref().unwrap_or_default()
    }

    /// The feedback, empty when there is none.
    pub fn feedbacks(&self) -> &[Feedback] {
        self.feedbacks.as_deref().unwrap_or_default()
    }

    /// The tickets, empty when there are none.
    pub fn tickets(&self) -> &[Ticket] {
        self.tickets.as_deref().unwrap_or_default()
    }
}

/// Every conversation the server holds, with lookups by key and id.
#[derive(Debug)]
pub struct Store {
    records: Vec<Record>,
    by_pk: HashMap<i64, usize>,
    /// The first conversation with each business id.
    by_conversation_id: HashMap<String, usize>,
    next_feedback_id: i64,
    next_ticket_id: i64,
    /// Counts and order for the derived planes (spans, usage, actions).
    pub planes: super::derive::index::PlaneIndex,
}

impl Store {
    /// Takes the conversations as they are, repairing ids first.
    pub fn new(mut conversations: Vec<Conversation>) -> Self {
        assign_ids(&mut conversations);
        super::derive::prepare(&mut conversations);
        let records: Vec<Record> = conversations.into_iter().map(Record::new).collect();
        let mut by_pk = HashMap::with_capacity(records.len());
        let mut by_conversation_id = HashMap::with_capacity(records.len());
        for (index, r) in records.iter().enumerate() {
            by_pk.insert(r.derived.pk, index);
            if let Some(id) = &r.head.conversation_id {
                by_conversation_id.entry(id.clone()).or_insert(index);
            }
        }
        let max_feedback = records
            .iter()
            .flat_map(|r| r.feedbacks().iter().filter_map(|f| f.id))
            .max();
        let max_ticket = records
            .iter()
            .flat_map(|r| r.tickets().iter().filter_map(|t| t.id))
            .max();
        let planes = super::derive::index::PlaneIndex::build(&records);
        Self {
            planes,
            records,
            by_pk,
            by_conversation_id,
            next_feedback_id: max_feedback.unwrap_or(0).max(0) + 1,
            next_ticket_id: max_ticket.unwrap_or(0).max(0) + 1,
        }
    }

    /// Every record, in load order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// One record by its index.
    pub fn record(&self, index: usize) -> Option<&Record> {
        self.records.get(index)
    }

    /// The record a path segment names: an integer primary key, else a
    /// business `conversation_id` (an all-digit id that is not a key is tried as one too).
    pub fn find(&self, segment: &str) -> Option<usize> {
        segment
            .parse::<i64>()
            .ok()
            .and_then(|pk| self.by_pk.get(&pk))
            .or_else(|| self.by_conversation_id.get(segment))
            .copied()
    }

    /// The record with this primary key.
    pub fn find_pk(&self, pk: i64) -> Option<usize> {
        self.by_pk.get(&pk).copied()
    }

    /// The record with this business id.
    pub fn find_conversation_id(&self, id: &str) -> Option<usize> {
        self.by_conversation_id.get(id).copied()
    }

    /// The feedback with this id, and the record it belongs to.
    pub fn find_feedback(&self, id: i64) -> Option<(usize, &Feedback)> {
        self.records.iter().enumerate().find_map(|(index, r)| {
            r.feedbacks()
                .iter()
                .find(|f| f.id == Some(id))
                .map(|f| (index, f))
        })
    }

    /// Renames a conversation.
    pub fn rename(&mut self, index: usize, name: String) {
        if let Some(r) = self.records.get_mut(index) {
            r.head.name = Some(name);
            r.refresh();
        }
    }

    /// Flags or unflags a conversation.
    pub fn mark(&mut self, index: usize, is_marked: bool) {
        if let Some(r) = self.records.get_mut(index) {
            r.head.is_marked = Some(is_marked);
        }
    }

    /// Files a feedback on a conversation, giving it the next id.
    pub fn add_feedback(&mut self, index: usize, mut feedback: Feedback) -> Feedback {
        feedback.id = Some(self.next_feedback_id);
        self.next_feedback_id += 1;
        if let Some(r) = self.records.get_mut(index) {
            r.feedbacks
                .get_or_insert_with(Vec::new)
                .push(feedback.clone());
        }
        feedback
    }

    /// Files a ticket, on a conversation when one is given, giving it the next id.
    pub fn add_ticket(&mut self, index: Option<usize>, mut ticket: Ticket) -> Ticket {
        ticket.id = Some(self.next_ticket_id);
        self.next_ticket_id += 1;
        if let Some(r) = index.and_then(|i| self.records.get_mut(i)) {
            r.tickets.get_or_insert_with(Vec::new).push(ticket.clone());
        }
        ticket
    }

    /// Every top-level metadata key of the conversations that are not deleted, sorted.
    pub fn metadata_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .records
            .iter()
            .filter(|r| !r.derived.deleted)
            .filter_map(|r| r.head.metadata.as_ref()?.as_object())
            .flat_map(|m| m.keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Every distinct scalar value stored under a (dotted) metadata key in the
    /// conversations that are not deleted, as JSON values, sorted by their text.
    pub fn metadata_values(&self, key: &str) -> Vec<Value> {
        let mut values: BTreeMap<String, Value> = BTreeMap::new();
        for r in self.records.iter().filter(|r| !r.derived.deleted) {
            if let Some(value) = r.head.metadata.as_ref().and_then(|m| metadata_at(m, key))
                && let Some(text) = metadata_text(value)
            {
                values
                    .entry(text.into_owned())
                    .or_insert_with(|| value.clone());
            }
        }
        values.into_values().collect()
    }
}
