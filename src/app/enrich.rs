//! The list's background enrichment: the glances known of rows (a bounded store) and which whole records are being fetched for them, under which generation.

use std::collections::{HashMap, HashSet, VecDeque};

use super::msg::Generation;
use crate::provider::ConversationRef;
use crate::view::glance::Glance;
pub use crate::view::glance::Known;

/// At most this many rows' records are fetched at once, so a page of 100
/// never floods the server and the user's own requests keep a free road.
pub const MAX_IN_FLIGHT: usize = 4;

/// At most this many glances are kept (the oldest go first): a few dozen
/// bytes each, so under half a megabyte however long the session.
pub const GLANCES: usize = 4096;

/// The enrichment's state, owned by `State`.
#[derive(Clone, Debug, Default)]
pub struct Enrichment {
    /// Bumped when the page on screen or the query changes: replies of older
    /// generations are dropped, and the runtime cancels their requests.
    pub generation: Generation,
    /// Rows whose record is being fetched, at most [`MAX_IN_FLIGHT`].
    pub in_flight: Vec<ConversationRef>,
    /// Rows whose fetch failed in this generation (not tried again until the
    /// page changes or `r`).
    pub failed: HashSet<ConversationRef>,
    /// A row opened while its record was on its way, and the detail
    /// generation waiting for it: the background reply answers the detail too.
    pub adopted: Option<(ConversationRef, Generation)>,
    glances: HashMap<ConversationRef, Glance>,
    order: VecDeque<ConversationRef>,
}

impl Enrichment {
    /// What is known of a row.
    #[must_use]
    pub fn known(&self, key: &ConversationRef) -> Known {
        match self.glances.get(key) {
            Some(glance) => Known::Is(*glance),
            None if self.failed.contains(key) => Known::Failed,
            None => Known::Pending,
        }
    }

    /// The glance of a row, if known.
    #[must_use]
    pub fn glance(&self, key: &ConversationRef) -> Option<&Glance> {
        self.glances.get(key)
    }

    /// Keeps a row's glance (replacing an older one), forgetting the oldest past [`GLANCES`].
    pub fn keep(&mut self, key: ConversationRef, glance: Glance) {
        self.failed.remove(&key);
        if self.glances.insert(key.clone(), glance).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > GLANCES {
            if let Some(oldest) = self.order.pop_front() {
                self.glances.remove(&oldest);
            }
        }
    }

    /// Forgets a row's glance (its record changed in a way not known here).
    pub fn forget(&mut self, key: &ConversationRef) {
        if self.glances.remove(key).is_some() {
            self.order.retain(|k| k != key);
        }
    }

    /// Forgets every glance (a refresh, a profile switch).
    pub fn forget_all(&mut self) {
        self.glances.clear();
        self.order.clear();
        self.failed.clear();
        self.adopted = None;
    }

    /// How many glances are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.glances.len()
    }

    /// Whether none is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.glances.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_is_bounded_and_says_what_it_knows() {
        let mut e = Enrichment::default();
        let key = |n: i64| ConversationRef::Pk(n);
        assert_eq!(e.known(&key(1)), Known::Pending);
        e.failed.insert(key(1));
        assert_eq!(e.known(&key(1)), Known::Failed);
        for n in 0..i64::try_from(GLANCES).unwrap_or(0) + 10 {
            e.keep(key(n), Glance::default());
        }
        assert_eq!(e.len(), GLANCES);
        assert_eq!(e.known(&key(0)), Known::Pending);
        assert_eq!(e.known(&key(20)), Known::Is(Glance::default()));
        e.forget(&key(20));
        assert_eq!(e.known(&key(20)), Known::Pending);
    }
}
