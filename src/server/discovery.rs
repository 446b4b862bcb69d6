//! Metadata discovery for the filter panel: the dotted keys conversations and messages use, and the values stored under a key.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::metadata::{metadata_at, metadata_token};
use super::record::Record;
use super::store::Store;

/// The most keys or values one answer lists, as on the service.
pub(super) const MAX_ENTRIES: usize = 200;

/// Every dotted path to a value that is not an object, in the metadata of the
/// conversations that are not deleted: sorted, at most [`MAX_ENTRIES`].
pub(super) fn conversation_keys(store: &Store) -> Vec<String> {
    keys(live(store).filter_map(|r| r.head.metadata.as_ref()))
}

/// The same over every message's metadata.
pub(super) fn message_keys(store: &Store) -> Vec<String> {
    keys(
        live(store)
            .flat_map(Record::messages)
            .filter_map(|m| m.metadata.as_ref()),
    )
}

/// Every distinct scalar (string, number, boolean) stored under a dotted key
/// in the conversations that are not deleted, typed as stored (the string
/// `"1"` and the number `1` are two values), sorted, at most [`MAX_ENTRIES`].
pub(super) fn values(store: &Store, key: &str) -> Vec<Value> {
    let mut found: BTreeMap<String, Value> = BTreeMap::new();
    for value in live(store).filter_map(|r| metadata_at(r.head.metadata.as_ref()?, key)) {
        if matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
            && let Some(token) = metadata_token(value)
        {
            found.entry(token).or_insert_with(|| value.clone());
        }
    }
    found.into_values().take(MAX_ENTRIES).collect()
}

fn live(store: &Store) -> impl Iterator<Item = &Record> {
    store.records().iter().filter(|r| !r.derived.deleted)
}

fn keys<'a>(documents: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for document in documents {
        if let Value::Object(map) = document {
            collect(map, "", &mut found);
        }
    }
    found.into_iter().take(MAX_ENTRIES).collect()
}

fn collect(map: &serde_json::Map<String, Value>, prefix: &str, out: &mut BTreeSet<String>) {
    for (key, value) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => collect(inner, &path, out),
            _ => {
                out.insert(path);
            }
        }
    }
}
