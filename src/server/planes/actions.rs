//! `GET /api/actions/`, `GET /api/actions/{id}/` and `GET /api/actions/{id}/logs/`: the action definitions derived at load and the logs of each.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::query::Params;
use crate::server::derive::actions::{ActionDef, action_of};
use crate::server::reply::{ApiError, json_response};
use crate::server::state::AppState;
use crate::server::store::Store;

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// `GET /api/actions/`: filters `name`, `name__icontains`, `display_name`, `search`; ordering by name, display name or id.
pub(super) async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let store = state.read();
    let mut defs: Vec<&ActionDef> = store
        .planes
        .actions
        .iter()
        .filter(|d| params.get("name").is_none_or(|n| d.name == n))
        .filter(|d| {
            params
                .get("name__icontains")
                .is_none_or(|n| contains(&d.name, n))
        })
        .filter(|d| {
            params
                .get("display_name")
                .is_none_or(|n| contains(&d.display_name, n))
        })
        .filter(|d| {
            params.get("search").is_none_or(|s| {
                contains(&d.name, s) || contains(&d.display_name, s) || contains(&d.description, s)
            })
        })
        .collect();
    match params.ordering() {
        Some(("name", descending)) => {
            defs.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            if descending {
                defs.reverse();
            }
        }
        Some(("display_name", descending)) => {
            defs.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
            if descending {
                defs.reverse();
            }
        }
        Some(("id", true)) => defs.reverse(),
        _ => {}
    }
    let page = params.page(defs.len())?;
    let results: Vec<Value> = defs[page.range.clone()].iter().map(|d| d.wire()).collect();
    Ok(params.envelope(&headers, "/api/actions/", defs.len(), &page, &results))
}

fn find<'a>(store: &'a Store, id: &str) -> Result<&'a ActionDef, ApiError> {
    let id: i64 = id.trim().parse().map_err(|_| ApiError::NotFound)?;
    store
        .planes
        .actions
        .iter()
        .find(|d| d.id == id)
        .ok_or(ApiError::NotFound)
}

/// `GET /api/actions/{id}/`.
pub(super) async fn retrieve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let store = state.read();
    let def = find(&store, &id)?;
    Ok(json_response(StatusCode::OK, &def.wire()))
}

/// `GET /api/actions/{id}/logs/`: a bare array, every run of the action.
pub(super) async fn logs(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let store = state.read();
    let def = find(&store, &id)?;
    let mut logs = Vec::new();
    for record in def.records.iter().filter_map(|i| store.record(*i as usize)) {
        for message in record
            .messages()
            .iter()
            .filter(|m| action_of(m) == Some(def.ran_as.as_str()))
        {
            for log in message.action_logs.iter().flatten() {
                let mut log = log.clone();
                log.action.get_or_insert(def.id);
                if log.message.is_none() {
                    log.message = message.id;
                }
                logs.push(log);
            }
        }
    }
    Ok(json_response(StatusCode::OK, &logs))
}
