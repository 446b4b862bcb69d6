//! Writes to a conversation — flag, rename, change fields, soft delete — and to a message's metadata.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::body::{
    MAX_NAME_CHARS, Refusals, Sent, boolean, checked_name, object, object_body, text,
};
use super::now;
use crate::server::caller::Caller;
use crate::server::envelope::message_view;
use crate::server::reply::{ApiError, json_response};
use crate::server::state::AppState;
use crate::server::store::{ConversationChange, Store};

/// Fields `update/` refuses to change.
const IMMUTABLE: &[&str] = &["conversation_id", "started_at", "agent", "deleted_at"];

/// A `{"detail": ...}` 400, the shape the conversation write views answer.
fn bad(message: impl Into<String>) -> ApiError {
    ApiError::Detail(StatusCode::BAD_REQUEST, message.into())
}

/// The conversation a path names (an integer key; a business id too, as the reads take it).
fn conversation(store: &Store, id: &str) -> Result<usize, ApiError> {
    store.find(id).ok_or(ApiError::NotFound)
}

/// `{id, conversation_id}` plus the given fields: what these writes answer.
fn written(store: &Store, index: usize, fields: Map<String, Value>) -> Result<Response, ApiError> {
    let record = store.record(index).ok_or(ApiError::NotFound)?;
    let mut answer = Map::new();
    answer.insert("id".to_owned(), json!(record.derived.pk));
    answer.insert(
        "conversation_id".to_owned(),
        json!(record.head.conversation_id),
    );
    answer.extend(fields);
    Ok(json_response(StatusCode::OK, &answer))
}

/// `POST /api/conversations/{pk}/mark/` `{"is_marked": bool}` → `{id, conversation_id, is_marked}`.
pub(in crate::server) async fn mark(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let mut store = state.write();
    let index = conversation(&store, &id)?;
    let body = object_body(&body)?;
    let is_marked = match body.get("is_marked") {
        None | Some(Value::Null) => return Err(bad("Missing field 'is_marked'.")),
        Some(value) => boolean(value).map_err(|m| ApiError::field("is_marked", m))?,
    };
    store.mark(index, is_marked);
    written(&store, index, fields([("is_marked", json!(is_marked))]))
}

/// `PATCH /api/conversations/{pk}/rename/` `{"name": "..."}` (trimmed, 1–255 characters) → `{id, conversation_id, name}`.
pub(in crate::server) async fn rename(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let mut store = state.write();
    let index = conversation(&store, &id)?;
    let body = object_body(&body)?;
    let name = match text(&body, "name") {
        Ok(Sent::Value(name)) if !name.is_empty() => name,
        Ok(_) => return Err(bad("Field 'name' cannot be empty.")),
        Err(_) => return Err(bad("Field 'name' must be a string.")),
    };
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(bad(format!(
            "Field 'name' cannot be longer than {MAX_NAME_CHARS} characters."
        )));
    }
    store.rename(index, name.clone());
    written(&store, index, fields([("name", json!(name))]))
}

/// `PATCH /api/conversations/{pk}/update/`: any of `name`, `is_marked`,
/// `customer_id`, `device`, `language`, `metadata` (replaced whole) →
/// `{id, conversation_id, updated_fields, …the fields that changed}`.
pub(in crate::server) async fn update(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let mut store = state.write();
    let index = conversation(&store, &id)?;
    let body = object_body(&body)?;
    let change = read_change(&body)?;
    let changed = store.update(index, change);
    let record = store.record(index).ok_or(ApiError::NotFound)?;
    let head = serde_json::to_value(&record.head).unwrap_or(Value::Null);
    let mut answer = fields([("updated_fields", json!(changed))]);
    for field in &changed {
        answer.insert(
            (*field).to_owned(),
            head.get(*field).cloned().unwrap_or(Value::Null),
        );
    }
    written(&store, index, answer)
}

/// The change an `update/` body asks for, or every refusal in it.
fn read_change(body: &Map<String, Value>) -> Result<ConversationChange, ApiError> {
    let mut refusals = Refusals::default();
    for field in IMMUTABLE {
        if body.contains_key(*field) {
            refusals.add(field, "This field cannot be changed.");
        }
    }
    let mut change = ConversationChange::default();
    match text(body, "name") {
        Ok(Sent::Absent) => {}
        Ok(Sent::Null) => refusals.add("name", "This field may not be null."),
        Ok(Sent::Value(name)) => change.name = refusals.take("name", checked_name(name)),
        Err(m) => refusals.add("name", m),
    }
    if let Some(value) = body.get("is_marked") {
        change.is_marked = refusals.take("is_marked", boolean(value));
    }
    for (field, slot) in [
        ("customer_id", &mut change.customer_id),
        ("device", &mut change.device),
        ("language", &mut change.language),
    ] {
        *slot = refusals.take(field, text(body, field)).unwrap_or_default();
    }
    match body.get("metadata") {
        None => {}
        Some(Value::Null) => refusals.add("metadata", "This field may not be null."),
        Some(value) => change.metadata = refusals.take("metadata", object(value)),
    }
    refusals.finish()?;
    let updatable = [
        "name",
        "is_marked",
        "customer_id",
        "device",
        "language",
        "metadata",
    ];
    if !updatable.iter().any(|f| body.contains_key(*f)) {
        return Err(bad(format!(
            "No updatable field given; send any of {}.",
            updatable.join(", ")
        )));
    }
    Ok(change)
}

/// `DELETE /api/conversations/{pk}/delete/` and `DELETE /api/conversations/{pk}/`:
/// the soft delete, answered with `{id, conversation_id, is_deleted, deleted_at}`.
pub(in crate::server) async fn delete(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let mut store = state.write();
    let index = conversation(&store, &id)?;
    store.soft_delete(index, now());
    let deleted_at = store.record(index).and_then(|r| r.head.deleted_at.clone());
    written(
        &store,
        index,
        fields([
            ("is_deleted", json!(true)),
            ("deleted_at", json!(deleted_at)),
        ]),
    )
}

/// `PATCH /api/track/{pk}/` `{"metadata": {…}}`: replaces the message's
/// metadata document and answers the message.
pub(in crate::server) async fn message_metadata(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(pk): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let pk = pk.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let mut store = state.write();
    store.message(pk).ok_or(ApiError::NotFound)?;
    let body = object_body(&body)?;
    let metadata = match body.get("metadata") {
        None => Err(crate::server::reply::REQUIRED.to_owned()),
        Some(Value::Null) => Err("This field may not be null.".to_owned()),
        Some(value) => object(value),
    }
    .map_err(|m| ApiError::field("metadata", m))?;
    let message = store
        .set_message_metadata(pk, metadata)
        .ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::OK, &message_view(message)))
}

fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
