//! A small bounded memory of business id → primary key, so a string id costs one lookup per session, not one per fetch.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

/// Far more than any realistic working set, and a few tens of KB at most.
pub(super) const MAX_REMEMBERED_IDS: usize = 1024;

/// Business id → primary key, forgetting the oldest entry once full.
#[derive(Debug, Default)]
pub(super) struct IdCache {
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    pks: HashMap<String, i64>,
    /// Insertion order, oldest first, for eviction.
    order: VecDeque<String>,
}

impl IdCache {
    /// The remembered pk for a business id.
    #[must_use]
    pub(super) fn get(&self, id: &str) -> Option<i64> {
        self.lock().pks.get(id).copied()
    }

    /// Remembers (or updates) a mapping.
    pub(super) fn remember(&self, id: &str, pk: i64) {
        let mut entries = self.lock();
        if entries.pks.insert(id.to_owned(), pk).is_none() {
            entries.order.push_back(id.to_owned());
        }
        while entries.order.len() > MAX_REMEMBERED_IDS {
            if let Some(oldest) = entries.order.pop_front() {
                entries.pks.remove(&oldest);
            }
        }
    }

    /// Forgets a mapping that turned out stale (its pk answered 404).
    pub(super) fn forget(&self, id: &str) {
        let mut entries = self.lock();
        if entries.pks.remove(id).is_some() {
            entries.order.retain(|known| known != id);
        }
    }

    /// How many mappings are held.
    #[must_use]
    pub(super) fn len(&self) -> usize {
        self.lock().pks.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // The map is valid after any panic mid-update (each step is whole), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_updates_and_forgets() {
        let cache = IdCache::default();
        cache.remember("conv-a", 1);
        cache.remember("conv-a", 2);
        assert_eq!(cache.get("conv-a"), Some(2));
        assert_eq!(cache.len(), 1);
        cache.forget("conv-a");
        assert_eq!(cache.get("conv-a"), None);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn stays_bounded_by_dropping_the_oldest() {
        let cache = IdCache::default();
        for pk in 0..(i64::try_from(MAX_REMEMBERED_IDS).unwrap() + 10) {
            cache.remember(&format!("conv-{pk}"), pk);
        }
        assert_eq!(cache.len(), MAX_REMEMBERED_IDS);
        assert_eq!(cache.get("conv-0"), None);
        assert_eq!(cache.get("conv-9"), None);
        assert_eq!(cache.get("conv-10"), Some(10));
    }
}
