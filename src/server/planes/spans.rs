//! `GET /api/spans/`, `GET /api/spans/{id}/` and `GET /api/traces/{trace_id}/`: spans derived on demand, one conversation at a time.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::query::{Params, Scope, walk_order};
use crate::provider::model::nest_spans;
use crate::server::derive::ids;
use crate::server::derive::index::ConversationIndex;
use crate::server::derive::spans::{self, Derivation, Kind, SpanPlan};
use crate::server::record::Record;
use crate::server::reply::{ApiError, json_response};
use crate::server::state::AppState;
use crate::server::store::Store;

/// The most spans a trace answer nests; past it the answer says `truncated`.
const TRACE_CAP: usize = 1_000;

/// A conversation's derivation and its span plans.
fn derive(record: &Record) -> (Derivation, Vec<SpanPlan>) {
    let d = spans::derive(record);
    let plans = spans::plan(record, &d);
    (d, plans)
}

/// How the rows are ordered: by walking conversations (start time or key),
/// or by a value that needs every match first.
#[derive(Clone, Copy)]
enum Order {
    Walk { by_key: bool, descending: bool },
    EndedAt { descending: bool },
    Duration { descending: bool },
}

/// The filters of `GET /api/spans/`, read once.
struct SpanQuery {
    scope: Scope,
    kind: Option<String>,
    status: Option<String>,
    name: Option<String>,
    environment: Option<String>,
    conversation_id: Option<String>,
    turn: Option<u32>,
    span: Option<u32>,
    parent: Option<u32>,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    order: Order,
}

impl SpanQuery {
    fn parse(store: &Store, params: &Params) -> Self {
        let mut scope = Scope::from_conversation(store, params);
        let mut decode = |name: &str, decoder: fn(&str) -> Option<(i64, u32)>| {
            let text = params.get(name)?;
            let decoded = decoder(text.trim());
            scope = scope.narrow(store, decoded.map(|(pk, _)| pk));
            // A value that decodes to nothing of ours matches nothing (the scope says so).
            Some(decoded.map_or(u32::MAX, |(_, position)| position))
        };
        let turn = decode("trace_id", ids::decode_trace_id);
        let span = decode("span_id", ids::decode_span_id);
        let parent = decode("parent_span_id", ids::decode_span_id);
        let order = match params.ordering() {
            Some(("id", descending)) => Order::Walk {
                by_key: true,
                descending,
            },
            Some(("ended_at", descending)) => Order::EndedAt { descending },
            Some(("duration_ms", descending)) => Order::Duration { descending },
            Some(("started_at", descending)) => Order::Walk {
                by_key: false,
                descending,
            },
            _ => Order::Walk {
                by_key: false,
                descending: true,
            },
        };
        let text = |name: &str| params.get(name).map(str::to_owned);
        Self {
            scope,
            kind: text("kind"),
            status: text("status"),
            name: text("name"),
            environment: text("environment"),
            conversation_id: text("conversation_id"),
            turn,
            span,
            parent,
            after: params.instant("started_at_after"),
            before: params.instant("started_at_before"),
            order,
        }
    }

    fn record_matches(&self, record: &Record) -> bool {
        let equals = |want: &Option<String>, have: &Option<String>| {
            want.as_deref().is_none_or(|w| have.as_deref() == Some(w))
        };
        equals(&self.environment, &record.head.environment)
            && equals(&self.conversation_id, &record.head.conversation_id)
    }

    fn span_matches(&self, record: &Record, d: &Derivation, s: &SpanPlan) -> bool {
        self.kind.as_deref().is_none_or(|k| k == s.kind.as_str())
            && self.status.as_deref().is_none_or(|st| st == s.status())
            && self
                .name
                .as_deref()
                .is_none_or(|n| n == spans::name(record, d, s))
            && self.turn.is_none_or(|t| t == s.turn)
            && self.span.is_none_or(|p| p == s.position)
            && self.parent.is_none_or(|p| s.parent == Some(p))
            && self.after.is_none_or(|a| s.start >= a)
            && self.before.is_none_or(|b| s.start <= b)
    }

    /// Whether the index alone can count the matches (no filter needs the spans themselves).
    fn countable(&self) -> bool {
        self.scope.is_all()
            && matches!(self.order, Order::Walk { .. })
            && self.name.is_none()
            && self.after.is_none()
            && self.before.is_none()
    }

    /// Whether some conversations are left out by their own fields.
    fn filters_records(&self) -> bool {
        self.environment.is_some() || self.conversation_id.is_some()
    }

    /// The matches the index counts for one conversation.
    fn indexed_count(&self, store: &Store, index: usize) -> usize {
        store.planes.get(index).map_or(0, |c| self.counted(c))
    }

    /// The matches counted in these counts (one conversation's, or all of them).
    fn counted(&self, c: &ConversationIndex) -> usize {
        let kind = match self.kind.as_deref() {
            None => None,
            Some(k) => match Kind::ALL.iter().find(|kind| kind.as_str() == k) {
                Some(kind) => Some(*kind),
                None => return 0,
            },
        };
        let error = match self.status.as_deref() {
            None => None,
            Some("ok") => Some(false),
            Some("error") => Some(true),
            Some(_) => return 0,
        };
        c.count(kind, error) as usize
    }

    /// One conversation's matching spans, in this query's order when it is a walk.
    fn matching<'a>(
        &self,
        record: &Record,
        d: &Derivation,
        plans: &'a [SpanPlan],
    ) -> Vec<&'a SpanPlan> {
        let mut hits: Vec<&SpanPlan> = plans
            .iter()
            .filter(|s| self.span_matches(record, d, s))
            .collect();
        if let Order::Walk { by_key, descending } = self.order {
            if by_key {
                hits.sort_by_key(|s| s.position);
            } else {
                hits.sort_by_key(|s| (s.start, s.position));
            }
            if descending {
                hits.reverse();
            }
        }
        hits
    }
}

fn row_value(record: &Record, d: &Derivation, s: &SpanPlan) -> Value {
    serde_json::to_value(spans::materialize(record, d, s)).unwrap_or(Value::Null)
}

/// `GET /api/spans/`: newest first, never with `payload`.
pub(super) async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let store = state.read();
    let query = SpanQuery::parse(&store, &params);
    let (by_key, descending) = match query.order {
        Order::Walk { by_key, descending } => (by_key, descending),
        _ => (false, true),
    };
    let walk = || {
        walk_order(&store, query.scope, by_key, descending)
            .filter(|i| store.record(*i).is_some_and(|r| query.record_matches(r)))
    };
    if query.countable() {
        let count = if query.filters_records() {
            walk().map(|i| query.indexed_count(&store, i)).sum()
        } else {
            query.counted(&store.planes.totals)
        };
        let page = params.page(count)?;
        let mut skip = page.range.start;
        let mut results = Vec::with_capacity(page.range.len());
        for i in walk() {
            if results.len() >= page.range.len() {
                break;
            }
            let here = query.indexed_count(&store, i);
            if skip >= here {
                skip -= here;
                continue;
            }
            let Some(record) = store.record(i) else {
                continue;
            };
            let (d, plans) = derive(record);
            let wanted = page.range.len() - results.len();
            for s in query
                .matching(record, &d, &plans)
                .into_iter()
                .skip(skip)
                .take(wanted)
            {
                results.push(row_value(record, &d, s));
            }
            skip = 0;
        }
        return Ok(params.envelope(&headers, "/api/spans/", count, &page, &results));
    }
    // Every match first (as record index, position and a sort key), then the page.
    let mut hits: Vec<(usize, u32, i64, i64)> = Vec::new();
    for i in walk() {
        let Some(record) = store.record(i) else {
            continue;
        };
        if !store
            .planes
            .get(i)
            .is_some_and(|c| c.may_start_within(query.after, query.before))
        {
            continue;
        }
        let (d, plans) = derive(record);
        for s in query.matching(record, &d, &plans) {
            let key = match query.order {
                Order::EndedAt { .. } => s.end().timestamp_micros(),
                #[allow(clippy::cast_possible_truncation)] // a duration in µs fits an i64
                Order::Duration { .. } => (s.duration_ms * 1000.0).round() as i64,
                Order::Walk { .. } => 0,
            };
            hits.push((i, s.position, key, record.derived.pk));
        }
    }
    match query.order {
        Order::EndedAt { descending } | Order::Duration { descending } => {
            hits.sort_unstable_by_key(|(_, position, key, pk)| (*key, *pk, *position));
            if descending {
                hits.reverse();
            }
        }
        Order::Walk { .. } => {}
    }
    let page = params.page(hits.len())?;
    let mut derived: HashMap<usize, (Derivation, Vec<SpanPlan>)> = HashMap::new();
    let mut results = Vec::with_capacity(page.range.len());
    for &(i, position, _, _) in &hits[page.range.clone()] {
        let Some(record) = store.record(i) else {
            continue;
        };
        let (d, plans) = derived.entry(i).or_insert_with(|| derive(record));
        if let Some(s) = plans.get(position as usize) {
            results.push(row_value(record, d, s));
        }
    }
    Ok(params.envelope(&headers, "/api/spans/", hits.len(), &page, &results))
}

/// The record and the plans a row id names.
fn find_row(store: &Store, id: &str) -> Option<(usize, u32)> {
    let (pk, position) = ids::decode_row_id(id.trim().parse().ok()?)?;
    Some((store.find_pk(pk)?, position))
}

/// `GET /api/spans/{id}/?payload=true|false`.
pub(super) async fn retrieve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let store = state.read();
    let (index, position) = find_row(&store, &id).ok_or(ApiError::NotFound)?;
    let record = store.record(index).ok_or(ApiError::NotFound)?;
    let (d, plans) = derive(record);
    let s = plans.get(position as usize).ok_or(ApiError::NotFound)?;
    let row = spans::materialize(record, &d, s);
    let mut value = serde_json::to_value(&row).unwrap_or(Value::Null);
    if params.bool("payload") == Some(true)
        && let Value::Object(map) = &mut value
    {
        map.insert("payload".to_owned(), spans::payload(record, s, &row));
    }
    Ok(json_response(StatusCode::OK, &value))
}

/// `GET /api/traces/{trace_id}/`: one turn's spans nested by parent.
pub(super) async fn trace(
    State(state): State<Arc<AppState>>,
    Path(trace_id): Path<String>,
) -> Result<Response, ApiError> {
    let store = state.read();
    let (pk, turn) = ids::decode_trace_id(trace_id.trim()).ok_or(ApiError::NotFound)?;
    let record = store
        .find_pk(pk)
        .and_then(|i| store.record(i))
        .ok_or(ApiError::NotFound)?;
    let (d, plans) = derive(record);
    let in_trace: Vec<&SpanPlan> = plans.iter().filter(|s| s.turn == turn).collect();
    if in_trace.is_empty() {
        return Err(ApiError::NotFound);
    }
    let truncated = in_trace.len() > TRACE_CAP;
    let rows = in_trace
        .iter()
        .take(TRACE_CAP)
        .map(|s| spans::materialize(record, &d, s))
        .collect();
    let roots = nest_spans(rows);
    let span_count = in_trace.len().min(TRACE_CAP);
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "trace_id": ids::trace_id(pk, turn),
            "span_count": span_count,
            "truncated": truncated,
            "roots": roots,
        }),
    ))
}
