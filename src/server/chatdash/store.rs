//! The `ChatDash` data the server holds: conversation objects as they came, their messages split off, dates rebased, and list matching.
//!
//! Records stay raw JSON so the server answers exactly what the file holds,
//! wrong types included: clients must cope with those, and tests need them.

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::provider::chatdash::filters::{LOCAL_SEARCH, format_millis};
use crate::provider::lenient::{parse_bool_text, parse_instant};
use crate::provider::query::{FilterValue, Query};

/// The demo data shipped inside the binary.
const BUNDLED_DEMO: &str = include_str!("../../../assets/chatdash-demo.jsonl");

/// How long before "now" the newest demo conversation starts, once rebased.
const NEWEST_AGE_MINUTES: i64 = 5;

/// Conversation fields that hold times, shifted together when rebasing.
const CONVERSATION_TIMES: &[&str] = &["createdAt", "updatedAt", "endedAt"];

/// Conversations (without messages) and each one's messages, by `_id`.
#[derive(Debug, Default)]
pub struct Store {
    conversations: Vec<Map<String, Value>>,
    messages: HashMap<String, Vec<Value>>,
}

impl Store {
    /// A store over conversation objects, each possibly carrying a `messages`
    /// array, which is split off. Values that are not objects are skipped.
    #[must_use]
    pub fn new(records: impl IntoIterator<Item = Value>) -> Self {
        let mut store = Self::default();
        for record in records {
            let Value::Object(mut conversation) = record else {
                continue;
            };
            let messages = match conversation.remove("messages") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            if let Some(id) = conversation.get("_id").and_then(value_text) {
                store.messages.insert(id, messages);
            }
            store.conversations.push(conversation);
        }
        store
    }

    /// The bundled demo, rebased so the newest conversation started minutes ago.
    ///
    /// # Errors
    /// A line of the bundled file is not JSON (a build that shipped a broken asset).
    pub fn bundled_demo(now: DateTime<Utc>) -> Result<Self, String> {
        let mut records = parse_lines("assets/chatdash-demo.jsonl", BUNDLED_DEMO)?;
        rebase(&mut records, now);
        Ok(Self::new(records))
    }

    /// How many conversations it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.conversations.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }

    /// The agent's conversations that match `query`, newest first. A
    /// conversation without an `agentId` belongs to every agent.
    #[must_use]
    pub fn list(&self, agent: Option<&str>, query: &Query) -> Vec<&Map<String, Value>> {
        let mut rows: Vec<&Map<String, Value>> = self
            .conversations
            .iter()
            .filter(|c| {
                agent.is_none_or(|agent| {
                    c.get("agentId")
                        .and_then(value_text)
                        .is_none_or(|a| a == agent)
                })
            })
            .filter(|c| matches(c, query))
            .collect();
        rows.sort_by_key(|c| std::cmp::Reverse(instant(c.get("createdAt"))));
        rows
    }

    /// One conversation by its `_id`, or by its `platformId` when `by_platform_id`.
    #[must_use]
    pub fn find(&self, id: &str, by_platform_id: bool) -> Option<&Map<String, Value>> {
        let field = if by_platform_id { "platformId" } else { "_id" };
        self.conversations
            .iter()
            .find(|c| c.get(field).and_then(value_text).as_deref() == Some(id))
    }

    /// A conversation's messages (empty when it has none).
    #[must_use]
    pub fn messages(&self, conversation: &Map<String, Value>) -> &[Value] {
        conversation
            .get("_id")
            .and_then(value_text)
            .and_then(|id| self.messages.get(&id))
            .map_or(&[], Vec::as_slice)
    }
}

/// Reads JSON lines (blank lines skipped), naming the line at fault.
///
/// # Errors
/// A line that is not JSON.
pub fn parse_lines(name: &str, text: &str) -> Result<Vec<Value>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|e| format!("{name} line {}: {e}", index + 1))
        })
        .collect()
}

/// A scalar as text: strings as they are, numbers and booleans as written.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn instant(value: Option<&Value>) -> Option<DateTime<Utc>> {
    value.and_then(Value::as_str).and_then(parse_instant)
}

/// A stored boolean read leniently; absent or unreadable is the documented default, false.
fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => parse_bool_text(s).unwrap_or(false),
        _ => false,
    }
}

/// Whether a conversation passes every filter; `record` and `interacted`
/// default to true when the request leaves them out, as the API documents.
fn matches(conversation: &Map<String, Value>, query: &Query) -> bool {
    for default_on in ["record", "interacted"] {
        if query.get(default_on).is_none() && !flag(conversation.get(default_on)) {
            return false;
        }
    }
    query.iter().all(|(spec, value, _)| {
        let field = conversation.get(spec.key);
        match (spec.key, value) {
            (LOCAL_SEARCH, _) => true,
            ("startDate", FilterValue::Date(d)) => {
                instant(conversation.get("createdAt")).is_some_and(|t| t >= d.resolve(Utc::now()))
            }
            ("endDate", FilterValue::Date(d)) => {
                instant(conversation.get("createdAt")).is_some_and(|t| t <= d.resolve(Utc::now()))
            }
            (_, FilterValue::Bool(wanted)) => flag(field) == *wanted,
            ("endedAt", FilterValue::Text(wanted)) => match (instant(field), parse_instant(wanted))
            {
                (Some(have), Some(want)) => have == want,
                _ => field.and_then(value_text).as_deref() == Some(wanted.as_str()),
            },
            ("ipAddress", FilterValue::Text(wanted)) => {
                let have = field.and_then(value_text);
                match (
                    have.as_deref().map(str::parse::<IpAddr>),
                    wanted.parse::<IpAddr>(),
                ) {
                    (Some(Ok(have)), Ok(want)) => have == want,
                    _ => have.as_deref() == Some(wanted.as_str()),
                }
            }
            (_, FilterValue::Text(wanted)) => {
                field.and_then(value_text).as_deref() == Some(wanted.as_str())
            }
            _ => true,
        }
    })
}

/// Moves every time by the whole-minute shift that puts the newest
/// `createdAt` a few minutes before `now`; unparseable times stay as written.
pub fn rebase(records: &mut [Value], now: DateTime<Utc>) {
    let Some(newest) = records
        .iter()
        .filter_map(|r| instant(r.get("createdAt")))
        .max()
    else {
        return;
    };
    let raw = now - Duration::minutes(NEWEST_AGE_MINUTES) - newest;
    let shift = Duration::minutes(raw.num_seconds().div_euclid(60));
    for record in records.iter_mut() {
        let Value::Object(conversation) = record else {
            continue;
        };
        for key in CONVERSATION_TIMES {
            shift_field(conversation, key, shift);
        }
        if let Some(Value::Array(messages)) = conversation.get_mut("messages") {
            for message in messages {
                if let Value::Object(message) = message {
                    shift_field(message, "createdAt", shift);
                }
            }
        }
    }
}

fn shift_field(object: &mut Map<String, Value>, key: &str, shift: Duration) {
    if let Some(Value::String(text)) = object.get_mut(key)
        && let Some(at) = parse_instant(text)
    {
        *text = format_millis(at + shift);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::provider::chatdash::filters::{CHATDASH_ALIASES, CHATDASH_FILTERS};

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query::from_wire_params(CHATDASH_FILTERS, CHATDASH_ALIASES, pairs.iter().copied()).unwrap()
    }

    fn store() -> Store {
        Store::new(vec![
            json!({"_id": "a", "record": true, "interacted": true, "createdAt": "2024-01-02T00:00:00.000Z",
                   "channel": "WhatsApp", "messages": [{"sender": "user"}]}),
            json!({"_id": "b", "record": "true", "interacted": 1, "createdAt": "2024-01-03T00:00:00.000Z",
                   "channel": "Webchat", "ipAddress": "203.0.113.9"}),
            json!({"_id": "c", "record": false, "interacted": true, "createdAt": "2024-01-04T00:00:00.000Z"}),
            json!({"_id": "d", "createdAt": "2024-01-05T00:00:00.000Z"}),
            json!("not an object"),
        ])
    }

    fn ids(rows: &[&Map<String, Value>]) -> Vec<String> {
        rows.iter()
            .filter_map(|r| r.get("_id").and_then(value_text))
            .collect()
    }

    #[test]
    fn the_default_hides_unrecorded_and_untouched_rows_newest_first() {
        let s = store();
        assert_eq!(s.len(), 4);
        assert_eq!(ids(&s.list(None, &query(&[]))), ["b", "a"]);
        assert_eq!(
            ids(&s.list(None, &query(&[("record", "false")]))),
            ["c"],
            "a missing interacted reads as the documented default, false"
        );
        assert_eq!(
            ids(&s.list(
                None,
                &query(&[("record", "false"), ("interacted", "false")])
            )),
            ["d"]
        );
    }

    #[test]
    fn dates_are_inclusive_and_exact_fields_match_whole_values() {
        let s = store();
        let q = query(&[("startDate", "2024-01-03T00:00:00.000Z")]);
        assert_eq!(ids(&s.list(None, &q)), ["b"]);
        let q = query(&[("endDate", "2024-01-02T00:00:00.000Z")]);
        assert_eq!(ids(&s.list(None, &q)), ["a"]);
        assert_eq!(
            ids(&s.list(None, &query(&[("channel", "WhatsApp")]))),
            ["a"]
        );
        assert!(s.list(None, &query(&[("channel", "whats")])).is_empty());
        assert_eq!(
            ids(&s.list(None, &query(&[("ipAddress", "203.0.113.9")]))),
            ["b"]
        );
        assert_eq!(s.messages(s.find("a", false).unwrap()).len(), 1);
    }

    #[test]
    fn rebasing_moves_times_by_whole_minutes_in_millisecond_form() {
        let mut records = vec![json!({"createdAt": "2024-01-15T10:30:17Z", "endedAt": "x",
            "messages": [{"createdAt": "2024-01-15T10:31:00Z"}]})];
        let now = Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 42).unwrap();
        rebase(&mut records, now);
        let created = records[0]["createdAt"].as_str().unwrap();
        assert!(created.ends_with(":17.000Z"), "{created}");
        let age = now - parse_instant(created).unwrap();
        assert!(
            age >= Duration::minutes(5) && age < Duration::minutes(6),
            "{age}"
        );
        assert_eq!(records[0]["endedAt"], "x");
        let message = parse_instant(records[0]["messages"][0]["createdAt"].as_str().unwrap());
        assert_eq!(
            message.unwrap() - parse_instant(created).unwrap(),
            Duration::seconds(43)
        );
    }
}
