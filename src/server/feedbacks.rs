//! `GET /api/feedbacks/` and `GET /api/feedbacks/{id}/`: feedback of every kind, filtered, ordered and counted as the live service does, with tickets behind `include_tickets`.

use std::cmp::Ordering as CmpOrdering;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::envelope::{Links, page_response};
use super::feedback_rows::FeedbackRow;
use super::params::{
    PkFilter, bool_filter, date_filter, environment, host, include_tickets, ordering, params,
    pk_filter, query_pairs, text_filter,
};
use super::record::nulls_last;
use super::reply::{ApiError, json_response};
use super::state::AppState;
use super::store::Store;
use super::ticket_rows::TicketRow;

/// Ticket statuses, in board order (the per-status tallies of `counts`).
pub(super) const TICKET_STATUSES: &[&str] = &[
    "backlog",
    "open",
    "in_progress",
    "in_review",
    "done",
    "closed",
];

/// Statuses a ticket is no longer open in.
const SETTLED: &[&str] = &["done", "closed"];

/// What the ticket filters answer without the gate.
const TICKETS_NEED_GATE: &str = "Ticket filters need ?include_tickets=true on the API-key plane.";

/// A field feedback can be ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortField {
    CreatedAt,
    Id,
    Kind,
    Sentiment,
    Category,
}

const SORT_FIELDS: &[(&str, SortField)] = &[
    ("created_at", SortField::CreatedAt),
    ("id", SortField::Id),
    ("kind", SortField::Kind),
    ("sentiment", SortField::Sentiment),
    ("category", SortField::Category),
];

/// A parsed feedback list request.
#[derive(Debug, Default)]
struct FeedbackFilter {
    kind: Option<String>,
    sentiment: Option<String>,
    conversation: Option<PkFilter>,
    conversation_id: Option<String>,
    message: Option<PkFilter>,
    topic: Option<String>,
    reason: Option<String>,
    user: Option<String>,
    category: Option<String>,
    environment: Option<&'static str>,
    has_comment: Option<bool>,
    comment_contains: Option<String>,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    search: Option<String>,
    gate: bool,
    has_ticket: Option<bool>,
    /// Any of these (empty: any status).
    ticket_statuses: Vec<String>,
}

impl FeedbackFilter {
    fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let text = |name: &str| text_filter(pairs, name).map(str::to_owned);
        let lower = |name: &str| text_filter(pairs, name).map(str::to_lowercase);
        let filter = Self {
            kind: text("kind"),
            sentiment: text("sentiment"),
            conversation: pk_filter(pairs, "conversation"),
            conversation_id: text("conversation_id"),
            message: pk_filter(pairs, "message"),
            topic: text("topic"),
            reason: text("reason"),
            user: text("user"),
            category: text("category"),
            environment: environment(pairs)?,
            has_comment: bool_filter(pairs, "has_comment")?,
            comment_contains: lower("comment_contains"),
            after: date_filter(pairs, "created_at_after")?,
            before: date_filter(pairs, "created_at_before")?,
            search: lower("search"),
            gate: include_tickets(pairs)?,
            has_ticket: bool_filter(pairs, "has_ticket")?,
            ticket_statuses: params(pairs, "ticket_status")
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        if filter.kind.as_deref() == Some("product") {
            return Err(ApiError::Detail(
                StatusCode::FORBIDDEN,
                "Product feedback is not available on the API-key plane.".to_owned(),
            ));
        }
        if !filter.gate && (filter.has_ticket.is_some() || !filter.ticket_statuses.is_empty()) {
            return Err(ApiError::FieldText("has_ticket", TICKETS_NEED_GATE));
        }
        Ok(filter)
    }

    /// Every filter except `ticket_status` (which the counts ignore).
    fn matches(&self, f: &FeedbackRow) -> bool {
        let same = |want: &Option<String>, have: &Option<String>| {
            want.as_deref().is_none_or(|w| have.as_deref() == Some(w))
        };
        self.kind.as_deref().is_none_or(|k| f.kind == k)
            && same(&self.sentiment, &f.sentiment)
            && self.conversation.is_none_or(|c| c.matches(f.conversation))
            && same(&self.conversation_id, &f.conversation_id)
            && self.message.is_none_or(|m| m.matches(f.message))
            && same(&self.topic, &f.topic)
            && same(&self.reason, &f.reason)
            && same(&self.user, &f.user)
            && same(&self.category, &f.category)
            && self
                .environment
                .is_none_or(|e| f.environment.as_deref() == Some(e))
            && self
                .has_comment
                .is_none_or(|h| f.comment_lower.is_some() == h)
            && self.comment_contains.as_deref().is_none_or(|c| {
                f.comment_lower.as_deref().is_some_and(|have| have.contains(c))
            })
            && self.after.is_none_or(|t| f.created.is_some_and(|c| c >= t))
            && self.before.is_none_or(|t| f.created.is_some_and(|c| c <= t))
            && self
                .search
                .as_deref()
                .is_none_or(|s| f.search_lower.contains(s))
            // The gate narrows to promoted feedback.
            && (!self.gate || f.ticket.is_some())
            && self.has_ticket.is_none_or(|h| f.ticket.is_some() == h)
    }

    fn status_matches(&self, ticket: Option<&TicketRow>) -> bool {
        self.ticket_statuses.is_empty()
            || ticket
                .and_then(|t| t.status.as_deref())
                .is_some_and(|s| self.ticket_statuses.iter().any(|w| w == s))
    }
}

/// `counts`: `{"all": N}`, and with the gate the ticket tallies, over the
/// rows every filter but `ticket_status` selects.
fn counts(rows: &[&FeedbackRow], store: &Store, gate: bool) -> Value {
    let mut counts = Map::new();
    counts.insert("all".to_owned(), json!(rows.len()));
    if gate {
        let tickets: Vec<&TicketRow> = rows
            .iter()
            .filter_map(|f| f.ticket.and_then(|i| store.ticket_rows().get(i)))
            .collect();
        let status = |t: &TicketRow| t.status.clone().unwrap_or_default();
        counts.insert("tickets".to_owned(), json!(tickets.len()));
        counts.insert(
            "open_tickets".to_owned(),
            json!(
                tickets
                    .iter()
                    .filter(|t| !SETTLED.contains(&status(t).as_str()))
                    .count()
            ),
        );
        for s in TICKET_STATUSES {
            let n = tickets.iter().filter(|t| status(t) == *s).count();
            counts.insert((*s).to_owned(), json!(n));
        }
    }
    Value::Object(counts)
}

fn compare(fields: &[(SortField, bool)], a: &FeedbackRow, b: &FeedbackRow) -> CmpOrdering {
    let mut order = CmpOrdering::Equal;
    for (field, descending) in fields {
        let one = match field {
            SortField::CreatedAt => nulls_last(a.created, b.created),
            SortField::Id => a.id.cmp(&b.id),
            SortField::Kind => a.kind.cmp(&b.kind),
            SortField::Sentiment => nulls_last(a.sentiment.as_deref(), b.sentiment.as_deref()),
            SortField::Category => nulls_last(a.category.as_deref(), b.category.as_deref()),
        };
        order = order.then(if *descending { one.reverse() } else { one });
    }
    let tie = a.id.cmp(&b.id);
    let first_descending = fields.first().is_some_and(|(_, d)| *d);
    order.then(if first_descending { tie.reverse() } else { tie })
}

/// A row with its `ticket` (the whole ticket, or `null`), as the detail route answers it.
pub(super) fn with_ticket(row: &FeedbackRow, store: &Store) -> Map<String, Value> {
    let mut json = row.json.clone();
    let ticket = row
        .ticket
        .and_then(|i| store.ticket_rows().get(i))
        .map_or(Value::Null, |t| Value::Object(t.json.clone()));
    json.insert("ticket".to_owned(), ticket);
    json
}

/// `GET /api/feedbacks/`.
pub(super) async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query.as_deref());
    let filter = FeedbackFilter::parse(&pairs)?;
    let fields = ordering(&pairs, SORT_FIELDS);
    let store = state.read();
    let selected: Vec<&FeedbackRow> = store
        .feedback_rows()
        .iter()
        .filter(|f| filter.matches(f))
        .collect();
    let counts = counts(&selected, &store, filter.gate);
    let mut rows: Vec<&FeedbackRow> = selected
        .into_iter()
        .filter(|f| filter.status_matches(f.ticket.and_then(|i| store.ticket_rows().get(i))))
        .collect();
    if !fields.is_empty() {
        rows.sort_unstable_by(|a, b| compare(&fields, a, b));
    }
    let host = host(&headers, state.addr);
    let links = Links {
        host: &host,
        path: "/api/feedbacks/",
        pairs: &pairs,
    };
    if filter.gate {
        page_response(&rows, &links, Some(counts), |f| with_ticket(f, &store))
    } else {
        page_response(&rows, &links, Some(counts), |f| &f.json)
    }
}

/// `GET /api/feedbacks/{id}/`: the row and its ticket, always.
pub(super) async fn retrieve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let store = state.read();
    let row = store.feedback_row(id).ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::OK, &with_ticket(row, &store)))
}
