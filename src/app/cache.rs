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

/// How many opened conversations are kept by default.
pub const DEFAULT_CAPACITY: usize = 32;

/// Whole conversations by primary key (or id when there is none), most recent first.
#[derive(Clone, Debug)]
pub struct ConversationCache {
    entries: VecDeque<(ConversationRef, Opened)>,
    capacity: usize,
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
        Self {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Keeps a conversation, evicting the least recently used one when full.
    pub fn insert(&mut self, opened: Opened) {
        let conversation = &opened.conversation;
        let Some(key) = ConversationRef::of(conversation) else {
            return;
        };
        self.entries.retain(|(k, _)| *k != key);
        if let Some(id) = conversation.conversation_id.clone() {
            let alias = ConversationRef::Id(id);
            self.entries.retain(|(k, _)| *k != alias);
        }
        self.entries.push_front((key, opened));
        self.entries.truncate(self.capacity);
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
        let opened = &mut self.entries[at].1;
        change(Arc::make_mut(&mut opened.conversation));
        true
    }

    /// Forgets a conversation (before a refresh).
    pub fn remove(&mut self, key: &ConversationRef) {
        if let Some(at) = self.position(key) {
            self.entries.remove(at);
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
        self.entries.iter().position(|(k, opened)| {
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
}
