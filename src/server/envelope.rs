//! What the read routes answer with: conversation rows at each depth, the seven-key list envelope with DRF's page rules and links, and the attachments index — all borrowed from the store, so only the page is serialized.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use super::params::param;
use super::record::Record;
use super::reply::{ApiError, json_response};
use crate::provider::model::{Attachment, Conversation, Feedback, Message, Ticket, TokenUsage};

/// Rows per page when none (or nonsense) is asked for.
pub(super) const DEFAULT_PAGE_SIZE: usize = 15;
/// The most rows a page holds; larger requests are clamped.
pub(super) const MAX_PAGE_SIZE: usize = 100;

/// How much of a conversation a row carries.
#[derive(Clone, Copy, Debug)]
pub(super) struct Depth {
    /// Messages and feedbacks (`full=true`).
    pub transcript: bool,
    /// Tickets (`include_tickets=true` on the list; always on a single fetch).
    pub tickets: bool,
    /// A single fetch: tickets always present (maybe `[]`), `token_usage` always present (maybe `null`).
    pub single: bool,
}

/// One conversation as a route answers it, borrowed from its record.
#[derive(Serialize)]
pub(super) struct ConversationView<'a> {
    #[serde(flatten)]
    head: &'a Conversation,
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<&'a Vec<Message>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feedbacks: Option<&'a Vec<Feedback>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tickets: Option<&'a [Ticket]>,
    /// Outer `None`: not part of this answer; inner `None`: an explicit `null`.
    #[allow(clippy::option_option)] // exactly the three states the wire has
    #[serde(skip_serializing_if = "Option::is_none")]
    token_usage: Option<Option<&'a TokenUsage>>,
}

impl<'a> ConversationView<'a> {
    /// A record at the given depth.
    pub(super) fn new(record: &'a Record, depth: Depth) -> Self {
        Self {
            head: &record.head,
            messages: record.messages.as_ref().filter(|_| depth.transcript),
            feedbacks: record.feedbacks.as_ref().filter(|_| depth.transcript),
            tickets: (depth.tickets || depth.single).then(|| record.tickets()),
            token_usage: depth.single.then_some(record.token_usage.as_ref()),
        }
    }
}

/// The list envelope: DRF's four keys plus `page_size`, `total_pages`,
/// `current_page`, and the feedback route's `counts`.
#[derive(Serialize)]
pub(super) struct Envelope<T> {
    pub count: usize,
    pub page_size: usize,
    pub total_pages: usize,
    pub current_page: usize,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<Value>,
}

/// Where a list answer's page links point.
pub(super) struct Links<'a> {
    pub host: &'a str,
    pub path: &'a str,
    pub pairs: &'a [(String, String)],
}

/// One page of `items` (already filtered and ordered), each shown through
/// `view`, in the envelope; only the page's rows are viewed.
///
/// # Errors
/// 404 `Invalid page.` for a page out of range.
pub(super) fn page_response<'a, I, T: Serialize>(
    items: &'a [I],
    links: &Links<'_>,
    counts: Option<Value>,
    view: impl Fn(&'a I) -> T,
) -> Result<Response, ApiError> {
    let page_size = page_size(param(links.pairs, "page_size"));
    let page = slice(items.len(), page_size, param(links.pairs, "page"))
        .ok_or_else(|| ApiError::Detail(StatusCode::NOT_FOUND, "Invalid page.".to_owned()))?;
    let link = |number: usize| page_link(links.host, links.path, links.pairs, number);
    let body = Envelope {
        count: items.len(),
        page_size,
        total_pages: page.total_pages,
        current_page: page.number,
        next: (page.number < page.total_pages).then(|| link(page.number + 1)),
        previous: (page.number > 1).then(|| link(page.number - 1)),
        results: items[page.range].iter().map(view).collect(),
        counts,
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// `page_size` as DRF reads it: a positive integer, clamped to [`MAX_PAGE_SIZE`];
/// anything else means the default.
pub(super) fn page_size(text: Option<&str>) -> usize {
    text.and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .map_or(DEFAULT_PAGE_SIZE, |n| n.min(MAX_PAGE_SIZE))
}

/// The rows of one page, once the page number is known to be valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PageSlice {
    /// 1-based.
    pub number: usize,
    /// At least 1: an empty result is one empty page.
    pub total_pages: usize,
    /// Which of the ordered matches are on this page.
    pub range: std::ops::Range<usize>,
}

/// Django's paginator: `page` is a positive integer (or `last`) no greater
/// than the page count; page 1 always exists. `None` means "Invalid page." (404).
pub(super) fn slice(count: usize, page_size: usize, page: Option<&str>) -> Option<PageSlice> {
    let total_pages = count.div_ceil(page_size).max(1);
    let number = match page.map(str::trim) {
        None => 1,
        Some("last") => total_pages,
        Some(text) => text.parse::<usize>().ok()?,
    };
    if number == 0 || number > total_pages {
        return None;
    }
    let start = (number - 1) * page_size;
    Some(PageSlice {
        number,
        total_pages,
        range: start..count.min(start + page_size),
    })
}

/// The absolute link to another page, as DRF builds it: the request's own
/// parameters sorted by name with `page` replaced — and removed for page 1.
pub(super) fn page_link(
    host: &str,
    path: &str,
    params: &[(String, String)],
    page: usize,
) -> String {
    let mut kept: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "page").collect();
    let page_text = page.to_string();
    let page_pair = ("page".to_owned(), page_text);
    if page > 1 {
        kept.push(&page_pair);
    }
    // Stable, so repeated names keep their order, as Python's parse_qs does.
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in kept {
        query.append_pair(k, v);
    }
    let query = query.finish();
    if query.is_empty() {
        format!("http://{host}{path}")
    } else {
        format!("http://{host}{path}?{query}")
    }
}

/// `GET /api/conversations/{pk}/attachments/`: every file of the conversation, flat, in transcript order.
#[derive(Serialize)]
pub(super) struct AttachmentsView<'a> {
    conversation_id: Option<&'a str>,
    conversation: i64,
    attachment_count: usize,
    attachments: Vec<&'a Attachment>,
}

impl<'a> AttachmentsView<'a> {
    /// Each attachment already names its message (set at load).
    pub(super) fn new(record: &'a Record) -> Self {
        let attachments: Vec<&'a Attachment> = record
            .messages()
            .iter()
            .flat_map(|m| m.attachments.as_deref().unwrap_or_default())
            .collect();
        Self {
            conversation_id: record.head.conversation_id.as_deref(),
            conversation: record.derived.pk,
            attachment_count: attachments.len(),
            attachments,
        }
    }
}

/// One message as `GET /api/track/{pk}/` answers it (and its `PATCH`): every
/// list present, empty when there is nothing, and the optional fields `null`.
pub(super) fn message_view(message: &Message) -> serde_json::Map<String, Value> {
    let mut body = match serde_json::to_value(message) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    for key in ["attachments", "action_logs"] {
        body.entry(key).or_insert_with(|| Value::Array(Vec::new()));
    }
    for key in ["action_name", "metadata", "button", "feedback"] {
        body.entry(key).or_insert(Value::Null);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_follow_drf() {
        assert_eq!(page_size(None), 15);
        assert_eq!(page_size(Some("25")), 25);
        assert_eq!(page_size(Some("500")), 100);
        for bad in ["0", "-3", "ten", ""] {
            assert_eq!(page_size(Some(bad)), 15, "{bad}");
        }
    }

    #[test]
    fn pages_past_the_end_are_invalid_except_the_first() {
        assert_eq!(slice(0, 10, None).unwrap().range, 0..0);
        assert_eq!(slice(0, 10, Some("1")).unwrap().total_pages, 1);
        assert!(slice(0, 10, Some("2")).is_none());
        let last = slice(25, 10, Some("3")).unwrap();
        assert_eq!((last.number, last.total_pages, last.range), (3, 3, 20..25));
        assert_eq!(slice(25, 10, Some("last")).unwrap().number, 3);
        for bad in ["0", "4", "x", "-1", "1.5"] {
            assert!(slice(25, 10, Some(bad)).is_none(), "{bad}");
        }
    }

    #[test]
    fn links_sort_parameters_and_drop_page_one() {
        let params = vec![
            ("page".to_owned(), "2".to_owned()),
            ("name".to_owned(), "a b&c".to_owned()),
            ("full".to_owned(), "false".to_owned()),
        ];
        assert_eq!(
            page_link("h:1", "/api/conversations/", &params, 3),
            "http://h:1/api/conversations/?full=false&name=a+b%26c&page=3"
        );
        assert_eq!(
            page_link("h:1", "/api/conversations/", &params, 1),
            "http://h:1/api/conversations/?full=false&name=a+b%26c"
        );
        assert_eq!(
            page_link("h", "/api/conversations/", &[], 1),
            "http://h/api/conversations/"
        );
    }
}
