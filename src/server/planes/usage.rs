//! `GET /api/token-usage/` and `GET /api/token-usage/summary/`: usage rows derived per conversation, paged or rolled up.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::query::{Params, Scope, walk_order};
use crate::provider::model::{UNPRICED, format_instant};
use crate::server::derive::ids;
use crate::server::derive::index::ConversationIndex;
use crate::server::derive::spans::{self, Derivation};
use crate::server::derive::usage::{
    BILLABLE, COLUMNS, RowPlan, eur_rate_micros, format_units, units_as_number,
};
use crate::server::record::Record;
use crate::server::reply::{ApiError, json_response};
use crate::server::state::AppState;
use crate::server::store::Store;

#[derive(Clone, Copy)]
enum Order {
    Walk { by_key: bool, descending: bool },
    EndedAt { descending: bool },
    Tokens { descending: bool },
    Cost { descending: bool },
}

/// The filters of the usage routes, read once.
struct UsageQuery {
    scope: Scope,
    model: Option<String>,
    conversation_id: Option<String>,
    turn: Option<u32>,
    environment: Option<String>,
    cost_source: Option<String>,
    incomplete: Option<bool>,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    order: Order,
}

impl UsageQuery {
    fn parse(store: &Store, params: &Params) -> Self {
        let mut scope = Scope::from_conversation(store, params);
        let mut turn = None;
        if let Some(text) = params.get("turn_id") {
            let decoded = ids::decode_turn_id(text.trim());
            scope = scope.narrow(store, decoded.map(|(pk, _)| pk));
            turn = Some(decoded.map_or(u32::MAX, |(_, t)| t));
        }
        let order = match params.ordering() {
            Some(("id", descending)) => Order::Walk {
                by_key: true,
                descending,
            },
            Some(("started_at", descending)) => Order::Walk {
                by_key: false,
                descending,
            },
            Some(("ended_at", descending)) => Order::EndedAt { descending },
            Some(("total_tokens", descending)) => Order::Tokens { descending },
            Some(("cost_usd", descending)) => Order::Cost { descending },
            _ => Order::Walk {
                by_key: false,
                descending: true,
            },
        };
        let text = |name: &str| params.get(name).map(str::to_owned);
        Self {
            scope,
            model: text("model"),
            conversation_id: text("conversation_id"),
            turn,
            environment: text("environment"),
            cost_source: text("cost_source"),
            incomplete: params.bool("incomplete"),
            after: params.instant("started_at_after"),
            before: params.instant("started_at_before"),
            order,
        }
    }

    fn record_matches(&self, record: &Record) -> bool {
        let equals = |want: &Option<String>, have: &Option<String>| {
            want.as_deref().is_none_or(|w| have.as_deref() == Some(w))
        };
        record.token_usage.is_some()
            && equals(&self.environment, &record.head.environment)
            && equals(&self.conversation_id, &record.head.conversation_id)
    }

    fn row_matches(&self, d: &Derivation, row: &RowPlan) -> bool {
        let entry = d.entries.get(row.entry as usize);
        let turn = d.turns.get(row.turn as usize);
        let start = turn.map(|t| t.start);
        self.model
            .as_deref()
            .is_none_or(|m| entry.is_some_and(|e| e.model == m))
            && self
                .cost_source
                .as_deref()
                .is_none_or(|s| entry.is_some_and(|e| e.source == s))
            && self.turn.is_none_or(|t| t == row.turn)
            && self
                .incomplete
                .is_none_or(|i| turn.is_some_and(|t| t.incomplete.is_some() == i))
            && self.after.is_none_or(|a| start.is_some_and(|s| s >= a))
            && self.before.is_none_or(|b| start.is_some_and(|s| s <= b))
    }

    /// Whether the index alone can count the matches.
    fn countable(&self) -> bool {
        self.scope.is_all()
            && matches!(self.order, Order::Walk { .. })
            && self.model.is_none()
            && self.cost_source.is_none()
            && self.after.is_none()
            && self.before.is_none()
    }

    fn indexed_count(&self, store: &Store, index: usize) -> usize {
        store.planes.get(index).map_or(0, |c| self.counted(c))
    }

    /// The matches counted in these counts (one conversation's, or all of them).
    fn counted(&self, c: &ConversationIndex) -> usize {
        (match self.incomplete {
            None => c.rows,
            Some(true) => c.incomplete_rows,
            Some(false) => c.rows - c.incomplete_rows,
        }) as usize
    }

    /// Whether some conversations are left out by their own fields (beyond
    /// having no usage, which the counts already say).
    fn filters_records(&self) -> bool {
        self.environment.is_some() || self.conversation_id.is_some()
    }

    /// One conversation's matching rows, in a walk's order.
    fn matching<'a>(&self, d: &'a Derivation) -> Vec<&'a RowPlan> {
        let mut hits: Vec<&RowPlan> = d.rows.iter().filter(|r| self.row_matches(d, r)).collect();
        if let Order::Walk { by_key, descending } = self.order {
            if !by_key {
                hits.sort_by_key(|r| (d.turns.get(r.turn as usize).map(|t| t.start), r.position));
            }
            if descending {
                hits.reverse();
            }
        }
        hits
    }

    /// Every conversation this query may touch, in its walk order.
    fn candidates<'a>(&'a self, store: &'a Store) -> impl Iterator<Item = usize> + 'a {
        let (by_key, descending) = match self.order {
            Order::Walk { by_key, descending } => (by_key, descending),
            _ => (false, true),
        };
        walk_order(store, self.scope, by_key, descending)
            .filter(|i| store.record(*i).is_some_and(|r| self.record_matches(r)))
    }
}

/// One row as the list route answers it.
fn row_value(record: &Record, d: &Derivation, row: &RowPlan) -> Value {
    let pk = record.derived.pk;
    let entry = d.entries.get(row.entry as usize);
    let turn = d.turns.get(row.turn as usize);
    let source = entry.map_or("backend", |e| e.source.as_str());
    let mut map = Map::new();
    map.insert("id".to_owned(), Value::from(ids::row_id(pk, row.position)));
    map.insert("conversation".to_owned(), Value::from(pk));
    map.insert(
        "conversation_id".to_owned(),
        json!(record.head.conversation_id),
    );
    map.insert("environment".to_owned(), json!(record.head.environment));
    map.insert(
        "turn_id".to_owned(),
        Value::from(ids::turn_id(pk, row.turn)),
    );
    map.insert("model".to_owned(), json!(entry.map(|e| e.model.as_str())));
    for (name, n) in COLUMNS.iter().zip(row.columns) {
        map.insert((*name).to_owned(), Value::from(n));
    }
    map.insert("total_tokens".to_owned(), Value::from(row.total()));
    map.insert("cost_usd".to_owned(), Value::from(format_units(row.cost)));
    let reported = (source == "reported").then(|| format_units(row.cost));
    map.insert("cost_usd_reported".to_owned(), json!(reported));
    map.insert("cost_source".to_owned(), Value::from(source));
    map.insert("calls".to_owned(), Value::from(row.calls));
    map.insert("unreported_calls".to_owned(), Value::from(row.unreported));
    let incomplete = turn.and_then(|t| t.incomplete);
    map.insert("incomplete".to_owned(), Value::Bool(incomplete.is_some()));
    map.insert("incomplete_reason".to_owned(), json!(incomplete));
    map.insert(
        "started_at".to_owned(),
        json!(turn.map(|t| format_instant(t.start))),
    );
    map.insert(
        "ended_at".to_owned(),
        json!(turn.map(|t| format_instant(t.end))),
    );
    Value::Object(map)
}

/// `GET /api/token-usage/`.
pub(super) async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let store = state.read();
    let query = UsageQuery::parse(&store, &params);
    if query.countable() {
        let count = if query.filters_records() {
            query
                .candidates(&store)
                .map(|i| query.indexed_count(&store, i))
                .sum()
        } else {
            query.counted(&store.planes.totals)
        };
        let page = params.page(count)?;
        let mut skip = page.range.start;
        let mut results = Vec::with_capacity(page.range.len());
        for i in query.candidates(&store) {
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
            let d = spans::derive(record);
            let wanted = page.range.len() - results.len();
            for row in query.matching(&d).into_iter().skip(skip).take(wanted) {
                results.push(row_value(record, &d, row));
            }
            skip = 0;
        }
        return Ok(params.envelope(&headers, "/api/token-usage/", count, &page, &results));
    }
    let mut hits: Vec<(usize, u32, i64, i64)> = Vec::new();
    for i in query.candidates(&store) {
        let Some(record) = store.record(i) else {
            continue;
        };
        let d = spans::derive(record);
        for row in query.matching(&d) {
            let key = match query.order {
                Order::EndedAt { .. } => d
                    .turns
                    .get(row.turn as usize)
                    .map_or(0, |t| t.end.timestamp_micros()),
                Order::Tokens { .. } => row.total(),
                Order::Cost { .. } => row.cost,
                Order::Walk { .. } => 0,
            };
            hits.push((i, row.position, key, record.derived.pk));
        }
    }
    if let Order::EndedAt { descending }
    | Order::Tokens { descending }
    | Order::Cost { descending } = query.order
    {
        hits.sort_unstable_by_key(|(_, position, key, pk)| (*key, *pk, *position));
        if descending {
            hits.reverse();
        }
    }
    let page = params.page(hits.len())?;
    let mut derived: HashMap<usize, Derivation> = HashMap::new();
    let mut results = Vec::with_capacity(page.range.len());
    for &(i, position, _, _) in &hits[page.range.clone()] {
        let Some(record) = store.record(i) else {
            continue;
        };
        let d = derived.entry(i).or_insert_with(|| spans::derive(record));
        if let Some(row) = d.rows.get(position as usize) {
            results.push(row_value(record, d, row));
        }
    }
    Ok(params.envelope(&headers, "/api/token-usage/", hits.len(), &page, &results))
}

/// How the summary groups rows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GroupBy {
    Model,
    Conversation,
    Day,
}

/// One rollup while it is summed.
#[derive(Default)]
struct Group {
    calls: i64,
    rows: i64,
    columns: [i64; BILLABLE],
    cost: i64,
    /// Euros in 1e-14 (cost units × rate in millionths); `None` once a day had no rate.
    eur: Option<i128>,
}

/// `GET /api/token-usage/summary/`: rollups of every matching row, biggest first.
pub(super) async fn summary(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let group_by = match params
        .get("group_by")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("model") => GroupBy::Model,
        Some("conversation") => GroupBy::Conversation,
        Some("day") => GroupBy::Day,
        Some(_) => {
            return Ok(refuse(
                "group_by",
                "Must be one of: model, conversation, day.",
            ));
        }
    };
    let eur = match params
        .get("currency")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("usd") => false,
        Some("eur") => true,
        Some(_) => return Ok(refuse("currency", "Must be one of: usd, eur.")),
    };
    let store = state.read();
    let query = UsageQuery::parse(&store, &params);
    let mut groups: HashMap<String, (Value, Group)> = HashMap::new();
    for i in query.candidates(&store) {
        let Some(record) = store.record(i) else {
            continue;
        };
        let d = spans::derive(record);
        for row in d.rows.iter().filter(|r| query.row_matches(&d, r)) {
            let day = d.turns.get(row.turn as usize).map(|t| t.start.date_naive());
            let (key, label) = match group_by {
                GroupBy::Model => {
                    let model = d
                        .entries
                        .get(row.entry as usize)
                        .map_or("unknown", |e| e.model.as_str());
                    (model.to_owned(), Value::from(model))
                }
                GroupBy::Conversation => (
                    record.derived.pk.to_string(),
                    Value::from(record.derived.pk),
                ),
                GroupBy::Day => {
                    let text = day.map_or_else(|| "unknown".to_owned(), |d| d.to_string());
                    (text.clone(), Value::from(text))
                }
            };
            let (_, group) = groups.entry(key).or_insert_with(|| {
                (
                    label,
                    Group {
                        eur: Some(0),
                        ..Group::default()
                    },
                )
            });
            group.calls += i64::from(row.calls);
            group.rows += 1;
            for (sum, n) in group.columns.iter_mut().zip(row.columns) {
                *sum += n;
            }
            group.cost += row.cost;
            let priced = d
                .entries
                .get(row.entry as usize)
                .is_none_or(|e| e.source != UNPRICED);
            let rate = day.and_then(eur_rate_micros);
            group.eur = match (group.eur, rate) {
                (Some(sum), Some(rate)) => Some(sum + i128::from(row.cost) * i128::from(rate)),
                // Unpriced rows cost nothing known to convert; they never block a rate.
                (Some(sum), None) if !priced => Some(sum),
                _ => None,
            };
        }
    }
    let mut rollups: Vec<(Value, Group)> = groups.into_values().collect();
    rollups.sort_by(|(la, a), (lb, b)| {
        b.cost
            .cmp(&a.cost)
            .then(
                b.columns
                    .iter()
                    .sum::<i64>()
                    .cmp(&a.columns.iter().sum::<i64>()),
            )
            .then(la.to_string().cmp(&lb.to_string()))
    });
    let results: Vec<Value> = rollups
        .into_iter()
        .map(|(label, g)| {
            let mut map = Map::new();
            map.insert("group".to_owned(), label);
            map.insert("calls".to_owned(), Value::from(g.calls));
            map.insert("rows".to_owned(), Value::from(g.rows));
            for (name, n) in COLUMNS.iter().zip(g.columns) {
                map.insert((*name).to_owned(), Value::from(n));
            }
            map.insert(
                "total_tokens".to_owned(),
                Value::from(g.columns.iter().sum::<i64>()),
            );
            map.insert("cost_usd".to_owned(), Value::from(units_as_number(g.cost)));
            if eur && let Some(e) = g.eur {
                #[allow(clippy::cast_precision_loss)] // a display figure
                map.insert("cost_eur".to_owned(), Value::from(e as f64 / 1e14));
            }
            Value::Object(map)
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "group_by": match group_by {
                GroupBy::Model => "model",
                GroupBy::Conversation => "conversation",
                GroupBy::Day => "day",
            },
            "currency": if eur { "EUR" } else { "USD" },
            "results": results,
        }),
    ))
}

/// 400 with the field's message as a plain string, as the summary's validation answers.
fn refuse(field: &str, message: &str) -> Response {
    let mut body = Map::new();
    body.insert(field.to_owned(), Value::from(message));
    json_response(StatusCode::BAD_REQUEST, &body)
}
