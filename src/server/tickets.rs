//! `GET /api/tickets/`, `GET /api/tickets/{id}/` and `GET /api/tickets/{id}/comments/`: tickets filtered and ordered as the live service does, each with its whole thread.

use std::cmp::Ordering as CmpOrdering;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::envelope::{Links, page_response};
use super::params::{
    PkFilter, bool_filter, date_filter, host, ordering, params, pk_filter, query_pairs, text_filter,
};
use super::record::nulls_last;
use super::reply::{ApiError, json_response};
use super::state::AppState;
use super::ticket_rows::TicketRow;

/// A field tickets can be ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortField {
    CreatedAt,
    UpdatedAt,
    Priority,
    Status,
    Title,
}

const SORT_FIELDS: &[(&str, SortField)] = &[
    ("created_at", SortField::CreatedAt),
    ("updated_at", SortField::UpdatedAt),
    ("priority", SortField::Priority),
    ("status", SortField::Status),
    ("title", SortField::Title),
];

/// A parsed ticket list request (`environment` is not a filter here and is ignored).
#[derive(Debug, Default)]
struct TicketFilter {
    /// Any of these (empty: any status).
    statuses: Vec<String>,
    priority: Option<String>,
    conversation: Option<PkFilter>,
    conversation_id: Option<String>,
    has_conversation: Option<bool>,
    has_feedback: Option<bool>,
    /// Any of these.
    tags: Vec<String>,
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    updated_after: Option<DateTime<Utc>>,
    updated_before: Option<DateTime<Utc>>,
    /// Lowercased; part of the title.
    search: Option<String>,
}

impl TicketFilter {
    fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        Ok(Self {
            statuses: params(pairs, "status")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            priority: text_filter(pairs, "priority").map(str::to_owned),
            conversation: pk_filter(pairs, "conversation"),
            conversation_id: text_filter(pairs, "conversation_id").map(str::to_owned),
            has_conversation: bool_filter(pairs, "has_conversation")?,
            has_feedback: bool_filter(pairs, "has_feedback")?,
            tags: text_filter(pairs, "tags")
                .map(|t| {
                    t.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            created_after: date_filter(pairs, "created_at_after")?,
            created_before: date_filter(pairs, "created_at_before")?,
            updated_after: date_filter(pairs, "updated_at_after")?,
            updated_before: date_filter(pairs, "updated_at_before")?,
            search: text_filter(pairs, "search").map(str::to_lowercase),
        })
    }

    fn matches(&self, t: &TicketRow) -> bool {
        let within = |at: Option<DateTime<Utc>>,
                      after: Option<DateTime<Utc>>,
                      before: Option<DateTime<Utc>>| {
            after.is_none_or(|a| at.is_some_and(|x| x >= a))
                && before.is_none_or(|b| at.is_some_and(|x| x <= b))
        };
        (self.statuses.is_empty()
            || t.status
                .as_deref()
                .is_some_and(|s| self.statuses.iter().any(|w| w == s)))
            && self
                .priority
                .as_deref()
                .is_none_or(|p| t.priority.as_deref() == Some(p))
            && self.conversation.is_none_or(|c| c.matches(t.conversation))
            && self
                .conversation_id
                .as_deref()
                .is_none_or(|c| t.conversation_id.as_deref() == Some(c))
            && self
                .has_conversation
                .is_none_or(|h| t.conversation.is_some() == h)
            && self
                .has_feedback
                .is_none_or(|h| t.feedback_id.is_some() == h)
            && (self.tags.is_empty() || t.tags.iter().any(|tag| self.tags.contains(tag)))
            && within(t.created, self.created_after, self.created_before)
            && within(t.updated, self.updated_after, self.updated_before)
            && self
                .search
                .as_deref()
                .is_none_or(|s| t.title_lower.contains(s))
    }
}

fn compare(fields: &[(SortField, bool)], a: &TicketRow, b: &TicketRow) -> CmpOrdering {
    let mut order = CmpOrdering::Equal;
    for (field, descending) in fields {
        let one = match field {
            SortField::CreatedAt => nulls_last(a.created, b.created),
            SortField::UpdatedAt => nulls_last(a.updated, b.updated),
            SortField::Priority => nulls_last(a.priority.as_deref(), b.priority.as_deref()),
            SortField::Status => nulls_last(a.status.as_deref(), b.status.as_deref()),
            SortField::Title => nulls_last(a.title.as_deref(), b.title.as_deref()),
        };
        order = order.then(if *descending { one.reverse() } else { one });
    }
    let tie = a.id.cmp(&b.id);
    let first_descending = fields.first().is_some_and(|(_, d)| *d);
    order.then(if first_descending { tie.reverse() } else { tie })
}

/// `GET /api/tickets/`: newest first unless ordered otherwise.
pub(super) async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query.as_deref());
    let filter = TicketFilter::parse(&pairs)?;
    let fields = ordering(&pairs, SORT_FIELDS);
    let store = state.read();
    let mut rows: Vec<&TicketRow> = store
        .ticket_rows()
        .iter()
        .filter(|t| filter.matches(t))
        .collect();
    if !fields.is_empty() {
        rows.sort_unstable_by(|a, b| compare(&fields, a, b));
    }
    let host = host(&headers, state.addr);
    let links = Links {
        host: &host,
        path: "/api/tickets/",
        pairs: &pairs,
    };
    page_response(&rows, &links, None, |t| &t.json)
}

fn ticket_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().map_err(|_| ApiError::NotFound)
}

/// `GET /api/tickets/{id}/`.
pub(super) async fn retrieve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = ticket_id(&id)?;
    let store = state.read();
    let ticket = store.ticket_row(id).ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::OK, &ticket.json))
}

/// `GET /api/tickets/{id}/comments/`: the thread, oldest first, in the envelope.
pub(super) async fn comments(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let id = ticket_id(&id)?;
    let pairs = query_pairs(query.as_deref());
    let store = state.read();
    let ticket = store.ticket_row(id).ok_or(ApiError::NotFound)?;
    let host = host(&headers, state.addr);
    let path = format!("/api/tickets/{id}/comments/");
    let links = Links {
        host: &host,
        path: &path,
        pairs: &pairs,
    };
    page_response(&ticket.comments, &links, None, |c| c)
}
