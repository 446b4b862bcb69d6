//! `POST /api/actions/` and `PATCH /api/actions/{id}/`: declare an action or change its name, label or description (names unique per agent).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::body::{Refusals, Sent, checked_name, object_body, refused_above, required_name, text};
use crate::server::caller::Caller;
use crate::server::reply::{ApiError, json_response};
use crate::server::state::AppState;
use crate::server::store::Store;

/// DRF's refusal of a name another action of this agent has.
fn duplicate(name: &str) -> String {
    format!("An action named \"{name}\" already exists for this agent.")
}

/// A text field that may be blank (`None` when left out; null refused).
fn plain_text(body: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match text(body, name)? {
        Sent::Absent => Ok(None),
        Sent::Null => Err("This field may not be null.".to_owned()),
        Sent::Value(s) => Ok(Some(s)),
    }
}

fn answer(store: &Store, id: i64, status: StatusCode) -> Result<Response, ApiError> {
    let def = store.action(id).ok_or(ApiError::NotFound)?;
    Ok(json_response(status, &def.wire()))
}

/// `POST /api/actions/` `{name, display_name?, description?}`: 201 with the
/// definition; `display_name` defaults to `name`.
pub(in crate::server) async fn create(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let body = object_body(&body)?;
    let mut store = state.write();
    let mut refusals = Refusals::default();
    let name = refusals.take("name", required_name(&body, "name"));
    if let Some(name) = &name
        && store.action_named(name, None).is_some()
    {
        refusals.add("name", duplicate(name));
    }
    let display_name = refusals
        .take("display_name", plain_text(&body, "display_name"))
        .flatten();
    let description = refusals
        .take("description", plain_text(&body, "description"))
        .flatten();
    refusals.finish()?;
    let name = name.ok_or_else(refused_above)?;
    let display_name = display_name
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| name.clone());
    let id = store.add_action(name, display_name, description.unwrap_or_default());
    answer(&store, id, StatusCode::CREATED)
}

/// `PATCH /api/actions/{id}/`: any of `name`, `display_name`, `description`.
pub(in crate::server) async fn update(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let id = id.trim().parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let mut store = state.write();
    store.action(id).ok_or(ApiError::NotFound)?;
    let body = object_body(&body)?;
    let mut refusals = Refusals::default();
    let name = match refusals.take("name", plain_text(&body, "name")).flatten() {
        Some(name) => refusals.take("name", checked_name(name)),
        None => None,
    };
    if let Some(name) = &name
        && store.action_named(name, Some(id)).is_some()
    {
        refusals.add("name", duplicate(name));
    }
    let display_name = refusals
        .take("display_name", plain_text(&body, "display_name"))
        .flatten();
    let description = refusals
        .take("description", plain_text(&body, "description"))
        .flatten();
    refusals.finish()?;
    store.edit_action(id, |def| {
        if let Some(name) = name {
            def.name = name;
        }
        if let Some(display_name) = display_name {
            def.display_name = display_name;
        }
        if let Some(description) = description {
            def.description = description;
        }
    });
    answer(&store, id, StatusCode::OK)
}
