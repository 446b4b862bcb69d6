//! Edits to the conversations themselves: flag, rename, change fields, soft delete, and a message's metadata.

use serde_json::Value;

use super::{Store, live};
use crate::provider::model::{Conversation, Message, Timestamp};

/// A field as a write may send it: left out (kept), sent as `null` (cleared), or given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(in crate::server) enum Sent<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Sent<T> {
    /// The value given, if any.
    pub(in crate::server) fn into_option(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Absent | Self::Null => None,
        }
    }

    /// Writes what was sent into `slot`; a left-out field keeps what is there.
    pub(in crate::server) fn apply(self, slot: &mut Option<T>) {
        match self {
            Self::Absent => {}
            Self::Null => *slot = None,
            Self::Value(v) => *slot = Some(v),
        }
    }
}

/// The fields `update/` may change, with what each holds.
#[derive(Debug, Default)]
pub(in crate::server) struct ConversationChange {
    pub name: Option<String>,
    pub is_marked: Option<bool>,
    pub customer_id: Sent<String>,
    pub device: Sent<String>,
    pub language: Sent<String>,
    /// Replaces the whole document.
    pub metadata: Option<Value>,
}

impl Store {
    /// Flags or unflags a conversation.
    pub(in crate::server) fn mark(&mut self, index: usize, is_marked: bool) {
        if let Some(r) = self.records.get_mut(index) {
            r.head.is_marked = Some(is_marked);
        }
    }

    /// Renames a conversation.
    pub(in crate::server) fn rename(&mut self, index: usize, name: String) {
        self.update(
            index,
            ConversationChange {
                name: Some(name),
                ..ConversationChange::default()
            },
        );
    }

    /// Applies the fields that differ from what is stored and names them, in
    /// the order `update/` lists its fields.
    pub(in crate::server) fn update(
        &mut self,
        index: usize,
        change: ConversationChange,
    ) -> Vec<&'static str> {
        let Some(r) = self.records.get_mut(index) else {
            return Vec::new();
        };
        let head: &mut Conversation = &mut r.head;
        let mut changed = Vec::new();
        if let Some(name) = change.name
            && head.name.as_ref() != Some(&name)
        {
            head.name = Some(name);
            changed.push("name");
        }
        if let Some(is_marked) = change.is_marked
            && head.is_marked.unwrap_or(false) != is_marked
        {
            head.is_marked = Some(is_marked);
            changed.push("is_marked");
        }
        for (field, slot, value) in [
            ("customer_id", &mut head.customer_id, change.customer_id),
            ("device", &mut head.device, change.device),
            ("language", &mut head.language, change.language),
        ] {
            let before = slot.clone();
            value.apply(slot);
            if *slot != before {
                changed.push(field);
            }
        }
        if let Some(metadata) = change.metadata
            && head.metadata.as_ref() != Some(&metadata)
        {
            head.metadata = Some(metadata);
            changed.push("metadata");
        }
        if !changed.is_empty() {
            r.refresh();
            // Ticket rows carry the conversation's name.
            if changed.contains(&"name") && !r.tickets().is_empty() {
                self.reindex();
            }
        }
        changed
    }

    /// Soft-deletes a conversation: hidden from lists, still readable by key.
    /// Deleting it again keeps the first deletion's time.
    pub(in crate::server) fn soft_delete(&mut self, index: usize, at: Timestamp) {
        let Some(r) = self.records.get_mut(index) else {
            return;
        };
        if r.derived.deleted {
            return;
        }
        r.head.is_deleted = Some(true);
        r.head.deleted_at = Some(at);
        r.refresh();
        self.live_newest_first = live(&self.newest_first, &self.records);
    }

    /// Replaces a message's metadata document; `None` when there is no such message.
    pub(in crate::server) fn set_message_metadata(
        &mut self,
        pk: i64,
        metadata: Value,
    ) -> Option<&Message> {
        let (index, position) = *self.by_message.get(&pk)?;
        let message = self
            .records
            .get_mut(index)?
            .messages
            .as_mut()?
            .get_mut(position)?;
        message.metadata = Some(metadata);
        self.records
            .get(index)
            .and_then(|r| r.messages().get(position))
    }
}
