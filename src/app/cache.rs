//! A small least-recently-used cache of whole conversations, so going back to one is instant and memory stays bounded.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::provider::{Conversation, ConversationRef};

/// A conversation as fetched, and when (its attachment URLs expire an hour later).
#[derive(Clone, Debug)]
pub struct Opened {
    /// The whole record.
    pub conversation: Arc<Conversation>,
    /// When it arrived.
    pub fetched_at: DateTime<Utc>,
}

/// How many whole conversations are kept by default: a full page of the
/// list (100 rows, the API's most) filled in the background, and a few opened.
pub const DEFAULT_CAPACITY: usize = 128;

/// How much they may weigh together, as the JSON they came as: a page of
/// ordinary conversations weighs a few megabytes, a 50,000-message one tens;
/// past this the least recently used go, whatever their number (the newest
/// always stays, however heavy).
pub const DEFAULT_BUDGET: usize = 64 * 1024 * 1024;

/// Whole conversations by primary key (or id when there is none), most recent first.
#[derive(Clone, Debug)]
pub struct ConversationCache {
    /// Each with its weight.
    entries: VecDeque<(ConversationRef, Opened, usize)>,
    capacity: usize,
    budget: usize,
    weight: usize,
}

impl Default for ConversationCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl ConversationCache {
    /// An empty cache holding at most `capacity` conversations (at least one).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self::bounded(capacity, DEFAULT_BUDGET)
    }

    /// An empty cache holding at most `capacity` conversations (at least
    /// one) weighing at most `budget` bytes of JSON together (beyond the newest).
    #[must_use]
    pub fn bounded(capacity: usize, budget: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            budget,
            weight: 0,
        }
    }

    /// What the kept conversations weigh together, as JSON bytes.
    #[must_use]
    pub fn weight(&self) -> usize {
        self.weight
    }

    /// Keeps a conversation, evicting the least recently used one when full.
    pub fn insert(&mut self, opened: Opened) {
        let conversation = &opened.conversation;
        let Some(key) = ConversationRef::of(conversation) else {
            return;
        };
        let alias = conversation
            .conversation_id
            .clone()
            .map(ConversationRef::Id);
        self.entries
            .retain(|(k, _, _)| *k != key && Some(k) != alias.as_ref());
        let weight = weigh(conversation);
        self.entries.push_front((key, opened, weight));
        self.entries.truncate(self.capacity);
        self.reweigh();
        while self.weight > self.budget && self.entries.len() > 1 {
            if let Some((_, _, w)) = self.entries.pop_back() {
                self.weight -= w;
            }
        }
    }

    fn reweigh(&mut self) {
        self.weight = self.entries.iter().map(|(_, _, w)| w).sum();
    }

    /// A conversation by pk or id, marked as just used.
    pub fn get(&mut self, key: &ConversationRef) -> Option<Opened> {
        let at = self.position(key)?;
        let entry = self.entries.remove(at)?;
        let found = entry.1.clone();
        self.entries.push_front(entry);
        Some(found)
    }

    /// A conversation by pk or id, without changing the order (for drawing).
    #[must_use]
    pub fn peek(&self, key: &ConversationRef) -> Option<&Arc<Conversation>> {
        self.position(key)
            .map(|at| &self.entries[at].1.conversation)
    }

    /// Changes a kept conversation in place (a write landed), keeping its place
    /// in the order; returns whether it was kept.
    pub fn update(
        &mut self,
        key: &ConversationRef,
        change: impl FnOnce(&mut Conversation),
    ) -> bool {
        let Some(at) = self.position(key) else {
            return false;
        };
        let (_, opened, weight) = &mut self.entries[at];
        change(Arc::make_mut(&mut opened.conversation));
        *weight = weigh(&opened.conversation);
        self.reweigh();
        true
    }

    /// Forgets a conversation (before a refresh).
    pub fn remove(&mut self, key: &ConversationRef) {
        if let Some(at) = self.position(key) {
            self.entries.remove(at);
            self.reweigh();
        }
    }

    /// How many are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &ConversationRef) -> Option<usize> {
        self.entries.iter().position(|(k, opened, _)| {
            let c = &opened.conversation;
            k == key
                || match key {
                    ConversationRef::Pk(pk) => c.id == Some(*pk),
                    ConversationRef::Id(id) => c.conversation_id.as_deref() == Some(id),
                    // Only the server knows which conversation a platform id names.
                    ConversationRef::Platform(_) => false,
                }
        })
    }
}

/// A conversation's weight: the bytes of its JSON, counted without keeping
/// them (its memory is of the same order; the cache's bound is on this).
fn weigh(conversation: &Conversation) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Serialising the model cannot fail; were it to, the record counts as its size in memory.
    match serde_json::to_writer(&mut count, conversation) {
        Ok(()) => count.0,
        Err(_) => std::mem::size_of::<Conversation>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(pk: i64) -> Opened {
        Opened {
            conversation: Arc::new(Conversation {
                id: Some(pk),
                conversation_id: Some(format!("conv-{pk}")),
                ..Conversation::default()
            }),
            fetched_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_least_recently_used_goes_first() {
        let mut cache = ConversationCache::new(2);
        cache.insert(conversation(1));
        cache.insert(conversation(2));
        assert!(cache.get(&ConversationRef::Pk(1)).is_some());
        cache.insert(conversation(3));
        assert_eq!(cache.len(), 2);
        assert!(cache.peek(&ConversationRef::Pk(2)).is_none());
        assert!(cache.peek(&ConversationRef::Id("conv-1".into())).is_some());
        cache.remove(&ConversationRef::Pk(1));
        assert!(cache.peek(&ConversationRef::Pk(1)).is_none());
    }

    #[test]
    fn the_weight_stays_within_the_budget_but_the_newest_always_stays() {
        let heavy = |pk: i64| Opened {
            conversation: Arc::new(Conversation {
                id: Some(pk),
                name: Some("x".repeat(1000)),
                ..Conversation::default()
            }),
            fetched_at: DateTime::UNIX_EPOCH,
        };
        let mut cache = ConversationCache::bounded(100, 2500);
        for pk in 1..=5 {
            cache.insert(heavy(pk));
            assert!(cache.weight() <= 2500, "{}", cache.weight());
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.peek(&ConversationRef::Pk(5)).is_some());
        let mut tiny = ConversationCache::bounded(100, 10);
        tiny.insert(heavy(1));
        assert_eq!(tiny.len(), 1, "the newest stays, however heavy");
        cache.remove(&ConversationRef::Pk(5));
        assert!(cache.weight() < 2500 && cache.weight() > 1000);
    }
}
