//! What the plane routes share: reading the query string, narrowing to one conversation, and answering a page in the list envelope.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::provider::lenient::parse_bool_text;
use crate::provider::model::parse_instant;
use crate::server::envelope::{self, MAX_PAGE_SIZE, PageSlice};
use crate::server::reply::{ApiError, json_response};
use crate::server::store::Store;

/// Rows per page on these routes when none (or nonsense) is asked for.
const DEFAULT_PAGE_SIZE: usize = 15;

/// The query string, as sent.
pub(super) struct Params(Vec<(String, String)>);

impl Params {
    pub(super) fn parse(raw: Option<&str>) -> Self {
        Self(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The last non-empty value of a parameter (django-filter ignores empty ones).
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(parse_bool_text)
    }

    /// A date bound; one that does not parse is ignored.
    pub(super) fn instant(&self, name: &str) -> Option<DateTime<Utc>> {
        self.get(name).and_then(parse_instant)
    }

    /// `ordering` as (field, descending).
    pub(super) fn ordering(&self) -> Option<(&str, bool)> {
        let text = self.get("ordering")?.trim();
        Some(match text.strip_prefix('-') {
            Some(field) => (field, true),
            None => (text, false),
        })
    }

    /// `page_size`: a positive integer clamped to the maximum, else the default.
    pub(super) fn page_size(&self) -> usize {
        self.get("page_size")
            .and_then(|t| t.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .map_or(DEFAULT_PAGE_SIZE, |n| n.min(MAX_PAGE_SIZE))
    }

    /// The requested page of `count` rows, or DRF's 404.
    pub(super) fn page(&self, count: usize) -> Result<PageSlice, ApiError> {
        envelope::slice(count, self.page_size(), self.get("page"))
            .ok_or_else(|| ApiError::Detail(StatusCode::NOT_FOUND, "Invalid page.".to_owned()))
    }

    /// The list envelope around one page of results.
    pub(super) fn envelope(
        &self,
        headers: &HeaderMap,
        path: &str,
        count: usize,
        page: &PageSlice,
        results: &[Value],
    ) -> Response {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let link = |number: usize| envelope::page_link(host, path, &self.0, number);
        json_response(
            StatusCode::OK,
            &json!({
                "count": count,
                "page_size": self.page_size(),
                "total_pages": page.total_pages,
                "current_page": page.number,
                "next": (page.number < page.total_pages).then(|| link(page.number + 1)),
                "previous": (page.number > 1).then(|| link(page.number - 1)),
                "results": results,
            }),
        )
    }
}

/// Which conversations a request can touch: every one, exactly one, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    All,
    One(usize),
    Nothing,
}

impl Scope {
    /// Narrows to the conversation with this key (`None`: the filter names no conversation of ours).
    pub(super) fn narrow(self, store: &Store, pk: Option<i64>) -> Self {
        let Some(index) = pk.and_then(|pk| store.find_pk(pk)) else {
            return Self::Nothing;
        };
        match self {
            Self::All => Self::One(index),
            Self::One(i) if i == index => self,
            _ => Self::Nothing,
        }
    }

    /// The narrowing every plane shares: `conversation` (pk) and `conversation_id`.
    pub(super) fn from_conversation(store: &Store, params: &Params) -> Self {
        let mut scope = Self::All;
        if let Some(pk) = params.get("conversation") {
            scope = scope.narrow(store, pk.trim().parse().ok());
        }
        if let Some(id) = params.get("conversation_id") {
            let pk = store
                .find_conversation_id(id)
                .and_then(|i| store.record(i))
                .map(|r| r.derived.pk);
            scope = scope.narrow(store, pk);
        }
        scope
    }

    pub(super) fn is_all(self) -> bool {
        self == Self::All
    }
}

/// The record indexes a walk visits, lazily, in this order: newest
/// conversation first (or oldest first), or by key.
pub(super) fn walk_order(
    store: &Store,
    scope: Scope,
    by_key: bool,
    descending: bool,
) -> Box<dyn Iterator<Item = usize> + '_> {
    match scope {
        Scope::Nothing => Box::new(std::iter::empty()),
        Scope::One(i) => Box::new(std::iter::once(i)),
        Scope::All => {
            let order = if by_key {
                &store.planes.by_key
            } else {
                &store.planes.newest_first
            };
            // `newest_first` is already descending; `by_key` ascending.
            let items = order.iter().map(|i| *i as usize);
            if descending == by_key {
                Box::new(items.rev())
            } else {
                Box::new(items)
            }
        }
    }
}
