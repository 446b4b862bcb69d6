//! Each conversation's metadata flattened into one string, so the metadata filters scan contiguous text instead of walking maps.
//!
//! Walking nested maps for 10,000 conversations was most of a request's time
//! (a cache miss per map level); a substring search over one short string per
//! conversation is several times faster. The meaning stays in
//! [`super::metadata`] (`metadata_at`, `metadata_token`): the index answers the
//! same questions and the tests below hold the two to the same answers. A
//! conversation whose metadata could make the flat form ambiguous (a key with
//! a `.`, a marker character in a key or a value) gets no index and is read
//! the slow way.

use serde_json::{Map, Value};

use super::metadata::metadata_token;

/// Starts an entry.
const ENTRY: char = '\u{1}';
/// Separates a path from its typed token.
const IS: char = '\u{2}';
/// The token of a value that has none (an object, an array).
const NO_TOKEN: char = '\u{3}';

/// The flattened metadata of one conversation.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct MetadataIndex {
    /// `\x01path\x02token` for every key reachable through objects, then `\x01`.
    paths: String,
}

/// What a request looks for, spelled as index entries once per request:
/// `\x01key\x02token\x01` for every (key, typed value) that must hold.
#[derive(Debug, Default)]
pub(super) struct Needles {
    entries: Vec<String>,
}

impl Needles {
    /// Filter values never hold control characters (the query refuses them),
    /// so a needle can only match whole entries. A value without a token
    /// (never produced by `typed_value`) gets an entry that matches nothing.
    pub(super) fn new(pairs: &[(String, Value)]) -> Self {
        Self {
            entries: pairs
                .iter()
                .map(|(k, v)| match metadata_token(v) {
                    Some(token) => format!("{ENTRY}{k}{IS}{token}{ENTRY}"),
                    None => format!("{ENTRY}{IS}{NO_TOKEN}{IS}"),
                })
                .collect(),
        }
    }
}

impl MetadataIndex {
    /// The index of a conversation's metadata; `None` when the flat form
    /// could be ambiguous, so the caller walks the value instead.
    pub(super) fn build(metadata: Option<&Value>) -> Option<Self> {
        let mut index = Self::default();
        if let Some(Value::Object(map)) = metadata {
            flatten(map, None, &mut index.paths)?;
        }
        index.paths.push(ENTRY);
        Some(index)
    }

    /// Whether every needle of the request is found.
    pub(super) fn matches(&self, needles: &Needles) -> bool {
        needles
            .entries
            .iter()
            .all(|n| self.paths.contains(n.as_str()))
    }
}

fn has_marker(text: &str) -> bool {
    text.contains([ENTRY, IS, NO_TOKEN])
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
        match metadata_token(value) {
            Some(token) if has_marker(&token) => return None,
            Some(token) => out.push_str(&token),
            None => out.push(NO_TOKEN),
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
    use crate::server::metadata::{metadata_at, same_typed, typed_value};
    use serde_json::json;

    #[test]
    fn the_index_answers_as_the_walk_does() {
        let documents = [
            json!({"priority": "high", "count": 2, "ratio": 2.5, "flag": true, "none": null, "list": [1, 2],
                   "one": "1", "whole": 3.0,
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
            "one",
            "whole",
            "analysis",
            "analysis.sentiment",
            "analysis.score",
            "analysis.deep",
            "analysis.deep.level",
            "analysis.deep.empty",
            "analysis.nope",
            ".b",
            "e",
            "a..b",
            "priority.x",
        ];
        let values = [
            "high", "low", "2", "2.5", "true", "positive", "3", "3.0", "a", "x", "flat", "1",
            "\"1\"", "null", "[1,2]",
        ];
        for doc in &documents {
            let index = MetadataIndex::build(Some(doc)).expect("no ambiguous keys here");
            for key in keys {
                for value in values {
                    let pairs = [(key.to_owned(), typed_value(value))];
                    let walked = metadata_at(doc, key).is_some_and(|v| same_typed(v, &pairs[0].1));
                    assert_eq!(
                        index.matches(&Needles::new(&pairs)),
                        walked,
                        "{doc} key={key:?} value={value:?}"
                    );
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
