//! Action definitions derived from the transcripts: one per distinct action name, numbered in name order, with the conversations that ran it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::provider::model::{Conversation, Message};
use crate::server::agent::AGENT_ID;

/// One action definition, as `GET /api/actions/{id}/` answers it (plus where it ran).
#[derive(Clone, Debug)]
pub(crate) struct ActionDef {
    pub id: i64,
    pub name: String,
    /// The name the transcripts record its runs under (the name it was
    /// derived or declared with; a rename keeps its logs).
    pub ran_as: String,
    pub display_name: String,
    pub description: String,
    /// Indexes (in the store) of the conversations with a message that ran it.
    pub records: Vec<u32>,
}

impl ActionDef {
    /// The definition as the action routes (reads and writes) answer it.
    pub(crate) fn wire(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "display_name": self.display_name,
            "description": self.description,
            "agent": AGENT_ID,
        })
    }
}

/// The action a message records, when it names one.
pub(crate) fn action_of(message: &Message) -> Option<&str> {
    message
        .action_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
}

/// `lookup_order` → `Lookup order`: the label a person would give it.
#[must_use]
pub(crate) fn display_name(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c == '_' || c == '-' || c == '.' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mut label = words.join(" ").to_lowercase();
    if let Some(first) = label.chars().next() {
        let upper: String = first.to_uppercase().collect();
        label.replace_range(..first.len_utf8(), &upper);
    }
    if label.is_empty() {
        name.to_owned()
    } else {
        label
    }
}

/// Every distinct action name over these transcripts, numbered 1.. in name order.
pub(crate) fn numbering<'a>(
    transcripts: impl Iterator<Item = &'a [Message]>,
) -> BTreeMap<String, i64> {
    let mut names: BTreeMap<String, i64> = BTreeMap::new();
    for messages in transcripts {
        for m in messages {
            if let Some(name) = action_of(m)
                && !names.contains_key(name)
            {
                names.insert(name.to_owned(), 0);
            }
        }
    }
    for (id, n) in (1_i64..).zip(names.values_mut()) {
        *n = id;
    }
    names
}

/// The definitions, with the conversations that ran each.
pub(crate) fn catalogue<'a>(
    transcripts: impl Iterator<Item = &'a [Message]> + Clone,
) -> Vec<ActionDef> {
    let numbers = numbering(transcripts.clone());
    let mut defs: Vec<ActionDef> = numbers
        .iter()
        .map(|(name, id)| {
            let display_name = display_name(name);
            ActionDef {
                id: *id,
                description: format!(
                    "{display_name}: a step the agent runs while helping a customer."
                ),
                display_name,
                name: name.clone(),
                ran_as: name.clone(),
                records: Vec::new(),
            }
        })
        .collect();
    for (index, messages) in transcripts.enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        for m in messages {
            if let Some(id) = action_of(m).and_then(|n| numbers.get(n))
                && let Some(def) = usize::try_from(*id - 1).ok().and_then(|i| defs.get_mut(i))
                && def.records.last() != Some(&index)
            {
                def.records.push(index);
            }
        }
    }
    defs
}

/// Gives every action log the ids the live service stores with it: its
/// action's id, its message's id, and its own id when it had none.
pub(crate) fn number_logs(conversations: &mut [Conversation]) {
    let numbers = numbering(conversations.iter().map(Conversation::messages));
    let mut next_log = conversations
        .iter()
        .flat_map(Conversation::messages)
        .flat_map(|m| m.action_logs.iter().flatten())
        .filter_map(|l| l.id)
        .max()
        .unwrap_or(0)
        .max(0);
    for c in conversations.iter_mut() {
        for m in c.messages.iter_mut().flatten() {
            let action = action_of(m).and_then(|n| numbers.get(n)).copied();
            let message = m.id;
            for log in m.action_logs.iter_mut().flatten() {
                if log.action.is_none() {
                    log.action = action;
                }
                if log.message.is_none() {
                    log.message = message;
                }
                if log.id.is_none() {
                    next_log += 1;
                    log.id = Some(next_log);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_words() {
        assert_eq!(display_name("lookup_order"), "Lookup order");
        assert_eq!(display_name("checkInventory"), "Checkinventory");
        assert_eq!(display_name("__"), "__");
        assert_eq!(display_name("été-check"), "Été check");
    }
}
