//! The server's in-memory copy of the conversations, split so that list rows serialize without their transcripts and filters read precomputed text.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

mod actions;
mod edits;
mod triage;

pub(super) use edits::{ConversationChange, Sent};

use super::data::assign_ids;
use super::feedback_rows::{self, FeedbackRow};
use super::record::Record;
use super::ticket_rows::{self, TicketRow};
use crate::provider::model::{Conversation, Feedback, Message, Ticket};

/// Every conversation the server holds, with lookups by key and id, and the
/// feedback and ticket rows of the triage routes (rebuilt after every write).
#[derive(Debug)]
pub(super) struct Store {
    records: Vec<Record>,
    by_pk: HashMap<i64, usize>,
    /// The first conversation with each business id.
    by_conversation_id: HashMap<String, usize>,
    /// Message pk to (record, message) indexes.
    by_message: HashMap<i64, (usize, usize)>,
    /// Record indexes, newest `started_at` first (the default list order).
    newest_first: Vec<usize>,
    /// The same without the soft-deleted ones: the default list, ready to page.
    live_newest_first: Vec<usize>,
    /// Each record's position in [`Store::newest_first`], by record index.
    default_rank: Vec<usize>,
    /// Feedback about the agent as a whole (see [`feedback_rows::synthesize_agent_feedback`]).
    agent_feedbacks: Vec<Feedback>,
    /// Tickets filed without a conversation.
    loose_tickets: Vec<Ticket>,
    feedback_rows: Vec<FeedbackRow>,
    feedback_by_id: HashMap<i64, usize>,
    ticket_rows: Vec<TicketRow>,
    ticket_by_id: HashMap<i64, usize>,
    next_feedback_id: i64,
    next_ticket_id: i64,
    next_comment_id: i64,
    /// Counts and order for the derived planes (spans, usage, actions).
    pub planes: super::derive::index::PlaneIndex,
}

impl Store {
    /// Takes the conversations as they are, repairing ids first.
    pub(super) fn new(mut conversations: Vec<Conversation>) -> Self {
        assign_ids(&mut conversations);
        let next_feedback_id = assign_feedback_ids(&mut conversations);
        let next_ticket_id = assign_ticket_ids(&mut conversations);
        let next_comment_id = next_comment_id(&conversations);
        // Usage rewritten from its per-turn rows, action logs numbered: the
        // derived planes and the conversations agree by construction.
        super::derive::prepare(&mut conversations);
        let records: Vec<Record> = conversations.into_iter().map(Record::new).collect();
        let mut by_pk = HashMap::with_capacity(records.len());
        let mut by_conversation_id = HashMap::with_capacity(records.len());
        let mut by_message = HashMap::new();
        for (index, r) in records.iter().enumerate() {
            by_pk.insert(r.derived.pk, index);
            if let Some(id) = &r.head.conversation_id {
                by_conversation_id.entry(id.clone()).or_insert(index);
            }
            for (position, m) in r.messages().iter().enumerate() {
                if let Some(id) = m.id {
                    by_message.entry(id).or_insert((index, position));
                }
            }
        }
        let mut newest_first: Vec<usize> = (0..records.len()).collect();
        newest_first.sort_by(|a, b| {
            let (a, b) = (&records[*a].derived, &records[*b].derived);
            nulls_first_desc(a.started_at, b.started_at).then(b.pk.cmp(&a.pk))
        });
        let mut default_rank = vec![0; records.len()];
        for (position, index) in newest_first.iter().enumerate() {
            if let Some(rank) = default_rank.get_mut(*index) {
                *rank = position;
            }
        }
        let live_newest_first = live(&newest_first, &records);
        let has_agent_feedback = records
            .iter()
            .flat_map(Record::feedbacks)
            .any(|f| f.kind() == "agent");
        let newest = records.iter().filter_map(|r| r.derived.started_at).max();
        let (agent_feedbacks, next_feedback_id) = if has_agent_feedback || records.is_empty() {
            (Vec::new(), next_feedback_id)
        } else {
            feedback_rows::synthesize_agent_feedback(newest, next_feedback_id)
        };
        let planes = super::derive::index::PlaneIndex::build(&records);
        let mut store = Self {
            planes,
            records,
            by_pk,
            by_conversation_id,
            by_message,
            newest_first,
            live_newest_first,
            default_rank,
            agent_feedbacks,
            loose_tickets: Vec::new(),
            feedback_rows: Vec::new(),
            feedback_by_id: HashMap::new(),
            ticket_rows: Vec::new(),
            ticket_by_id: HashMap::new(),
            next_feedback_id,
            next_ticket_id,
            next_comment_id,
        };
        store.reindex();
        store
    }

    /// Rebuilds the feedback and ticket rows from the conversations.
    fn reindex(&mut self) {
        self.ticket_rows = ticket_rows::build(&self.records, &self.loose_tickets);
        self.ticket_by_id = index_by_id(self.ticket_rows.iter().map(|t| t.id));
        self.feedback_rows =
            feedback_rows::build(&self.records, &self.agent_feedbacks, &self.ticket_rows);
        self.feedback_by_id = index_by_id(self.feedback_rows.iter().map(|f| f.id));
        feedback_rows::attach_feedback(
            &mut self.ticket_rows,
            &self.feedback_rows,
            &self.feedback_by_id,
        );
    }

    /// Every record, in load order.
    pub(super) fn records(&self) -> &[Record] {
        &self.records
    }

    /// Record indexes in the default list order (newest first, ties by key descending).
    pub(super) fn newest_first(&self) -> &[usize] {
        &self.newest_first
    }

    /// A record's position in the default order (scanning in load order and
    /// sorting the matches by this is cheaper than visiting records out of order).
    pub(super) fn default_rank(&self, index: usize) -> usize {
        self.default_rank.get(index).copied().unwrap_or(usize::MAX)
    }

    /// Record indexes in the default order, soft-deleted ones left out.
    pub(super) fn live_newest_first(&self) -> &[usize] {
        &self.live_newest_first
    }

    /// One record by its index.
    pub(super) fn record(&self, index: usize) -> Option<&Record> {
        self.records.get(index)
    }

    /// The record a path segment names: an integer primary key, else a
    /// business `conversation_id` (an all-digit id that is not a key is tried as one too).
    pub(super) fn find(&self, segment: &str) -> Option<usize> {
        segment
            .parse::<i64>()
            .ok()
            .and_then(|pk| self.by_pk.get(&pk))
            .or_else(|| self.by_conversation_id.get(segment))
            .copied()
    }

    /// The record with this primary key.
    pub(super) fn find_pk(&self, pk: i64) -> Option<usize> {
        self.by_pk.get(&pk).copied()
    }

    /// The record with this business id.
    pub(super) fn find_conversation_id(&self, id: &str) -> Option<usize> {
        self.by_conversation_id.get(id).copied()
    }

    /// A message by its pk, with the record it belongs to.
    pub(super) fn message(&self, pk: i64) -> Option<(&Record, &Message)> {
        let (index, position) = *self.by_message.get(&pk)?;
        let record = self.records.get(index)?;
        Some((record, record.messages().get(position)?))
    }

    /// Every feedback row of every kind, newest first.
    pub(super) fn feedback_rows(&self) -> &[FeedbackRow] {
        &self.feedback_rows
    }

    /// One feedback row by id.
    pub(super) fn feedback_row(&self, id: i64) -> Option<&FeedbackRow> {
        self.feedback_by_id
            .get(&id)
            .and_then(|i| self.feedback_rows.get(*i))
    }

    /// Every ticket row, newest first.
    pub(super) fn ticket_rows(&self) -> &[TicketRow] {
        &self.ticket_rows
    }

    /// One ticket row by id.
    pub(super) fn ticket_row(&self, id: i64) -> Option<&TicketRow> {
        self.ticket_by_id
            .get(&id)
            .and_then(|i| self.ticket_rows.get(*i))
    }
}

/// The default order without the soft-deleted records.
fn live(newest_first: &[usize], records: &[Record]) -> Vec<usize> {
    newest_first
        .iter()
        .copied()
        .filter(|i| records.get(*i).is_some_and(|r| !r.derived.deleted))
        .collect()
}

/// The first free ticket comment id.
fn next_comment_id(conversations: &[Conversation]) -> i64 {
    conversations
        .iter()
        .flat_map(|c| c.tickets.iter().flatten())
        .flat_map(Ticket::comments)
        .filter_map(|c| c.id)
        .max()
        .unwrap_or(0)
        .max(0)
        + 1
}

/// Descending with missing values first (the exact reverse of ascending, nulls last).
fn nulls_first_desc(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn index_by_id(ids: impl Iterator<Item = i64>) -> HashMap<i64, usize> {
    let mut map = HashMap::new();
    for (index, id) in ids.enumerate() {
        map.entry(id).or_insert(index);
    }
    map
}

/// Makes every feedback id (conversation feedback and message votes share one
/// sequence, as on the service) a unique positive integer: ids valid and first
/// seen are kept, the rest get the next free numbers. Returns the next free id.
fn assign_feedback_ids(conversations: &mut [Conversation]) -> i64 {
    let ids = |c: &Conversation| -> Vec<Option<i64>> {
        c.feedbacks()
            .iter()
            .map(|f| f.id)
            .chain(
                c.messages()
                    .iter()
                    .filter_map(|m| m.feedback.as_ref())
                    .map(|f| f.id),
            )
            .collect()
    };
    let max = conversations
        .iter()
        .flat_map(ids)
        .flatten()
        .max()
        .unwrap_or(0)
        .max(0);
    let mut next = max + 1;
    let mut seen = HashSet::new();
    let mut fix = |id: &mut Option<i64>| match *id {
        Some(n) if n > 0 && seen.insert(n) => {}
        _ => {
            *id = Some(next);
            next += 1;
        }
    };
    for c in conversations.iter_mut() {
        for f in c.feedbacks.iter_mut().flatten() {
            fix(&mut f.id);
        }
        for m in c.messages.iter_mut().flatten() {
            if let Some(vote) = m.feedback.as_mut() {
                fix(&mut vote.id);
            }
        }
    }
    next
}

/// The same for ticket ids. Returns the next free id.
fn assign_ticket_ids(conversations: &mut [Conversation]) -> i64 {
    let max = conversations
        .iter()
        .flat_map(|c| c.tickets.iter().flatten().filter_map(|t| t.id))
        .max()
        .unwrap_or(0)
        .max(0);
    let mut next = max + 1;
    let mut seen = HashSet::new();
    for t in conversations
        .iter_mut()
        .flat_map(|c| c.tickets.iter_mut().flatten())
    {
        match t.id {
            Some(n) if n > 0 && seen.insert(n) => {}
            _ => {
                t.id = Some(next);
                next += 1;
            }
        }
    }
    next
}
