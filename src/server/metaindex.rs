//! Each conversation's metadata flattened into two strings, so the metadata filters scan contiguous text instead of walking maps.
//!
//! Walking nested maps for 10,000 conversations was most of a request's time
//! (a cache miss per map level); a substring search over one short string per
//! conversation is several times faster. The meaning stays in
//! [`super::filter`] (`metadata_at`, `metadata_text`): the index answers the
//! same questions and the tests below hold the two to the same answers. A
//! conversation whose metadata could make the flat form ambiguous (a key with
//! a `.`, a marker character in a key or a value) gets no index and is read
//! the slow way.

use serde_json::{Map, Value};

use super::filter::metadata_text;

/// Starts an entry.
const ENTRY: char = '\u{1}';
/// Separates a path from its text.
const IS: char = '\u{2}';
/// The text of a value that has none (null, an object, an array).
const NO_TEXT: char = '\u{3}';

/// The flattened metadata of one conversation.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MetadataIndex {
    /// `\x01path\x02text` for every key reachable through objects, then `\x01`.
    paths: String,
    /// `\x01text` for every top-level value that has text, then `\x01`.
    top: String,
}

/// What a request looks for, spelled as index entries once per request.
#[derive(Debug, Default)]
pub struct Needles {
    /// `metadata` pairs: `\x01key\x02value\x01`.
    pub pairs: Vec<String>,
    /// `metadata_key` alone: `\x01key\x02`.
    pub key: Option<String>,
    /// `metadata_key` with `metadata_value`: `\x01key\x02value\x01`.
    pub key_value: Option<String>,
    /// `metadata_value` alone: `\x01value\x01`.
    pub top_value: Option<String>,
}

impl Needles {
    /// Filter values never hold control characters (the query refuses them),
    /// so a needle can only match whole entries.
    pub fn new(pairs: &[(String, String)], key: Option<&str>, value: Option<&str>) -> Self {
        let entry = |k: &str, v: &str| format!("{ENTRY}{k}{IS}{v}{ENTRY}");
        Self {
            pairs: pairs.iter().map(|(k, v)| entry(k, v)).collect(),
            key: match (key, value) {
                (Some(k), None) => Some(format!("{ENTRY}{k}{IS}")),
                _ => None,
            },
            key_value: key.zip(value).map(|(k, v)| entry(k, v)),
            top_value: match (key, value) {
                (None, Some(v)) => Some(format!("{ENTRY}{v}{ENTRY}")),
                _ => None,
            },
        }
    }
}

impl MetadataIndex {
    /// The index of a conversation's metadata; `None` when the flat form
    /// could be ambiguous, so the caller walks the value instead.
    pub fn build(metadata: Option<&Value>) -> Option<Self> {
        let mut index = Self::default();
        if let Some(Value::Object(map)) = metadata {
            for value in map.values() {
                if let Some(text) = metadata_text(value) {
                    if has_marker(&text) {
                        return None;
                    }
                    index.top.push(ENTRY);
                    index.top.push_str(&text);
                }
            }
            flatten(map, None, &mut index.paths)?;
        }
        index.paths.push(ENTRY);
        index.top.push(ENTRY);
        Some(index)
    }

    /// Whether every needle of the request is found.
    pub fn matches(&self, needles: &Needles) -> bool {
        needles
            .pairs
            .iter()
            .all(|n| self.paths.contains(n.as_str()))
            && needles
                .key
                .as_deref()
                .is_none_or(|n| self.paths.contains(n))
            && needles
                .key_value
                .as_deref()
                .is_none_or(|n| self.paths.contains(n))
            && needles
                .top_value
                .as_deref()
                .is_none_or(|n| self.top.contains(n))
    }
}

fn has_marker(text: &str) -> bool {
    text.contains([ENTRY, IS, NO_TEXT])
}

/// Appends every path under `map`; `None` when a key would make a path ambiguous.
fn flatten(map: &Map<String, Value>, prefix: Option<&str>, out: &mut String) -> Option<()> {
    for (key, value) in map {
        if key.contains('.') || has_marker(key) {
            return None;
        }
        let path = match prefix {
            Some(prefix) => format!("{prefix}.{key}"),
            None => key.clone(),
        };
        out.push(ENTRY);
        out.push_str(&path);
        out.push(IS);
        match metadata_text(value) {
            Some(text) if has_marker(&text) => return None,
            Some(text) => out.push_str(&text),
            None => out.push(NO_TEXT),
        }
        if let Value::Object(inner) = value {
            flatten(inner, Some(&path), out)?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::filter::metadata_at;
    use serde_json::json;

    /// The walk, as `filter` defines it.
    fn walked(
        metadata: &Value,
        pairs: &[(String, String)],
        key: Option<&str>,
        value: Option<&str>,
    ) -> bool {
        let text_at = |k: &str| metadata_at(metadata, k).and_then(metadata_text);
        let pairs_hold = pairs
            .iter()
            .all(|(k, v)| text_at(k).is_some_and(|t| t == v.as_str()));
        pairs_hold
            && match (key, value) {
                (None, None) => true,
                (Some(k), None) => metadata_at(metadata, k).is_some(),
                (None, Some(v)) => metadata
                    .as_object()
                    .is_some_and(|m| m.values().any(|x| metadata_text(x).is_some_and(|t| t == v))),
                (Some(k), Some(v)) => text_at(k).is_some_and(|t| t == v),
            }
    }

    #[test]
    fn the_index_answers_as_the_walk_does() {
        let documents = [
            json!({"priority": "high", "count": 2, "ratio": 2.5, "flag": true, "none": null, "list": [1, 2],
                   "analysis": {"sentiment": "positive", "score": 3, "deep": {"level": "a", "empty": ""}},
                   "": {"b": "x"}, "e": {}}),
            json!({"analysis": "flat", "priority": "low"}),
            json!({"a": {"": {"b": 1}}}),
            json!(["not", "an", "object"]),
            json!("text"),
            json!(null),
            json!({}),
        ];
        let keys = [
            "priority",
            "count",
            "ratio",
            "flag",
            "none",
            "list",
            "analysis",
            "analysis.sentiment",
            "analysis.score",
            "analysis.deep",
            "analysis.deep.level",
            "analysis.deep.empty",
            "analysis.nope",
            "b",
            ".b",
            "e",
            "a..b",
            "priority.x",
            "sentiment",
        ];
        let values = [
            "high", "low", "2", "2.5", "true", "positive", "3", "a", "", "x", "flat", "1", "null",
            "[1,2]",
        ];
        for doc in &documents {
            let index = MetadataIndex::build(Some(doc)).expect("no ambiguous keys here");
            for key in keys {
                for value in values {
                    let pairs = [(key.to_owned(), value.to_owned())];
                    for (p, k, v) in [
                        (&pairs[..], None, None),
                        (&[][..], Some(key), None),
                        (&[][..], None, Some(value)),
                        (&[][..], Some(key), Some(value)),
                    ] {
                        assert_eq!(
                            index.matches(&Needles::new(p, k, v)),
                            walked(doc, p, k, v),
                            "{doc} pairs={p:?} key={k:?} value={v:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ambiguous_metadata_gets_no_index() {
        assert_eq!(MetadataIndex::build(Some(&json!({"a.b": 1}))), None);
        assert_eq!(
            MetadataIndex::build(Some(&json!({"a": {"b\u{1}": 1}}))),
            None
        );
        assert_eq!(MetadataIndex::build(Some(&json!({"a": "x\u{2}y"}))), None);
        assert!(MetadataIndex::build(None).is_some());
    }
}
