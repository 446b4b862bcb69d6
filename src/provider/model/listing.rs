//! Pages of any list route (feedbacks, tickets, comments, actions, usage rows, spans): the envelope read leniently, and what convo keeps of it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::provider::lenient::{LenientI64, LenientVec, WireRecord};

/// A list route's answer: the seven-key envelope, DRF's four, a bare array
/// (one page), or an object without `results` (a page of one).
#[derive(Clone, Debug, PartialEq)]
pub struct WireList<T> {
    pub count: Option<i64>,
    pub page_size: Option<i64>,
    pub total_pages: Option<i64>,
    pub current_page: Option<i64>,
    pub results: Vec<T>,
    /// Feedback's `counts` tallies, kept as sent.
    pub counts: Option<Value>,
}

impl<T> Default for WireList<T> {
    fn default() -> Self {
        Self {
            count: None,
            page_size: None,
            total_pages: None,
            current_page: None,
            results: Vec::new(),
            counts: None,
        }
    }
}

impl<'de, T: WireRecord + DeserializeOwned> Deserialize<'de> for WireList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: WireRecord + DeserializeOwned> Visitor<'de> for V<T> {
            type Value = WireList<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list envelope or an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut results = Vec::new();
                while let Some(item) = seq.next_element::<T>()? {
                    results.push(item);
                }
                Ok(WireList {
                    results,
                    ..WireList::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut list = WireList::default();
                let mut results = None;
                // Everything else, in case this is a single record, not an envelope.
                let mut rest = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "count" => list.count = map.next_value::<LenientI64>()?.0,
                        "page_size" => list.page_size = map.next_value::<LenientI64>()?.0,
                        "total_pages" => list.total_pages = map.next_value::<LenientI64>()?.0,
                        "current_page" => list.current_page = map.next_value::<LenientI64>()?.0,
                        "results" => results = map.next_value::<LenientVec<T>>()?.0,
                        "counts" => {
                            let counts = map.next_value::<Value>()?;
                            list.counts = (!counts.is_null()).then_some(counts);
                        }
                        "next" | "previous" => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            rest.insert(key, map.next_value::<Value>()?);
                        }
                    }
                }
                list.results = match results {
                    Some(rows) => rows,
                    None if !rest.is_empty() => {
                        let one = T::deserialize(Value::Object(rest)).map_err(de::Error::custom)?;
                        vec![one]
                    }
                    None => Vec::new(),
                };
                Ok(list)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(WireList::default())
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// One page of any list, with what is known of the whole result set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// Every row that matches, on all pages.
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
    /// At least 1.
    pub total_pages: u32,
    /// Tallies some routes add (feedback `counts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<Value>,
}

/// How many pages a list has, as far as the server can be believed: never more
/// than its `count` fills at `page_size` rows a page (`ceil(count / page_size)`),
/// whatever `total_pages` claims. Without a count, `total_pages` is all there is
/// (the walks have ceilings and stop on a short page); without either, one page.
/// At least 1, so that "page 1/1" reads right for an empty result.
#[must_use]
pub fn pages_believed(count: Option<u64>, page_size: u32, claimed: Option<i64>) -> u32 {
    let filled =
        count.map(|n| u32::try_from(n.div_ceil(u64::from(page_size.max(1)))).unwrap_or(u32::MAX));
    // A claim past u32 is as good as "more than we will ever walk".
    let claimed = claimed
        .filter(|n| *n >= 0)
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    match (claimed, filled) {
        (Some(claimed), Some(filled)) => claimed.min(filled),
        (None, Some(filled)) => filled,
        (Some(claimed), None) => claimed,
        (None, None) => 1,
    }
    .max(1)
}

/// Whether a page of `rows` rows, `page_size` a page, may have a page after it:
/// an empty or short page is the last, whatever the counts say.
#[must_use]
pub fn page_was_full(rows: usize, page_size: u32) -> bool {
    rows > 0 && rows >= usize::try_from(page_size).unwrap_or(usize::MAX)
}

impl<T> Listing<T> {
    /// Builds a page from the wire, filling in what the envelope does not say
    /// from what was asked, and never believing more pages than the count allows.
    #[must_use]
    pub fn from_wire(wire: WireList<T>, asked_page: u32, asked_page_size: u32) -> Self {
        let page_size = wire
            .page_size
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(asked_page_size.max(1));
        let count = wire.count.and_then(|n| u64::try_from(n).ok());
        let total = count.unwrap_or(wire.results.len() as u64);
        let total_pages = pages_believed(count, page_size, wire.total_pages);
        let page = wire
            .current_page
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(asked_page);
        Self {
            items: wire.results,
            total,
            page,
            page_size,
            total_pages,
            counts: wire.counts,
        }
    }

    /// Whether another page should be asked for: this one was full and the
    /// count says more remain.
    #[must_use]
    pub fn has_next(&self) -> bool {
        self.page < self.total_pages && page_was_full(self.items.len(), self.page_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::model::{Feedback, Span};

    #[test]
    fn envelopes_arrays_and_single_objects_all_read() {
        let page: WireList<Feedback> = serde_json::from_str(
            r#"{"count":3,"page_size":2,"total_pages":2,"current_page":1,"next":"http://x/?page=2","previous":null,
                "counts":{"all":3},"results":[{"id":1,"kind":"agent"},{"id":2}]}"#,
        )
        .unwrap();
        let listing = Listing::from_wire(page, 1, 2);
        assert_eq!((listing.total, listing.total_pages), (3, 2));
        assert!(listing.has_next());
        assert_eq!(listing.counts.unwrap()["all"], 3);
        let bare: WireList<Span> = serde_json::from_str(r#"[{"id":1},{"id":2}]"#).unwrap();
        assert_eq!(bare.results.len(), 2);
        let one: WireList<Span> = serde_json::from_str(r#"{"id":9,"kind":"tool"}"#).unwrap();
        assert_eq!(one.results[0].id, Some(9));
    }

    #[test]
    fn a_page_count_beyond_the_row_count_is_not_believed() {
        let wire: WireList<Span> = serde_json::from_str(
            r#"{"count":30,"page_size":15,"total_pages":4000000000,"results":[]}"#,
        )
        .unwrap();
        let listing = Listing::from_wire(wire, 1, 15);
        assert_eq!(listing.total_pages, 2);
        assert!(!listing.has_next(), "an empty page ends the walk");
    }

    #[test]
    fn pages_are_believed_only_as_far_as_the_count_fills_them() {
        assert_eq!(pages_believed(Some(300), 100, Some(1_000_000)), 3);
        assert_eq!(pages_believed(Some(301), 100, None), 4);
        assert_eq!(pages_believed(Some(300), 100, Some(2)), 2);
        assert_eq!(pages_believed(Some(0), 100, Some(5)), 1);
        assert_eq!(pages_believed(None, 100, Some(3)), 3);
        assert_eq!(pages_believed(None, 100, Some(40_000_000_000)), u32::MAX);
        assert_eq!(pages_believed(None, 100, Some(-4)), 1);
        assert_eq!(pages_believed(None, 100, None), 1);
        assert_eq!(pages_believed(Some(u64::MAX), 0, None), u32::MAX);
    }

    #[test]
    fn an_empty_or_short_page_is_the_last() {
        assert!(page_was_full(100, 100));
        assert!(page_was_full(120, 100));
        assert!(!page_was_full(99, 100));
        assert!(!page_was_full(0, 100));
        assert!(!page_was_full(0, 0));
    }
}
