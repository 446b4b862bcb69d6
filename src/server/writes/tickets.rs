//! `POST /api/tickets/`, `PATCH`/`DELETE /api/tickets/{id}/` and `POST /api/tickets/{id}/comments/`, authored as the calling key.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::body::{
    Refusals, Sent, checked_name, choice, no_such_pk, object_body, pk, refused_above,
    required_name, string_list, text,
};
use super::now;
use crate::provider::model::{Ticket, TicketComment, TicketFeedback};
use crate::provider::query::{TICKET_PRIORITIES, TICKET_STATUSES};
use crate::server::agent::ENVIRONMENTS;
use crate::server::caller::Caller;
use crate::server::reply::{ApiError, REQUIRED, json_response};
use crate::server::state::AppState;
use crate::server::store::Store;

/// Why a ticket's environment cannot change.
const WRITE_ONCE: &str = "The environment is set when the ticket is filed and cannot be changed.";

fn ticket_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().map_err(|_| ApiError::NotFound)
}

/// The ticket as the ticket routes show it.
fn answer(store: &Store, id: i64, status: StatusCode) -> Result<Response, ApiError> {
    let row = store.ticket_row(id).ok_or(ApiError::NotFound)?;
    Ok(json_response(status, &row.json))
}

/// `POST /api/tickets/`: `title` (required), `status` (default open),
/// `priority` (default medium; null only by a later change), `tags`,
/// `environment` (write-once, default production), `conversation_id` (an
/// integer key), `feedback_id` (conversation feedback lends its conversation).
pub(in crate::server) async fn create(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let body = object_body(&body)?;
    let mut store = state.write();
    let mut refusals = Refusals::default();
    let title = refusals.take("title", required_name(&body, "title"));
    let status = refusals
        .take("status", choice(&body, "status", TICKET_STATUSES))
        .flatten()
        .unwrap_or("open");
    let priority = refusals
        .take("priority", choice(&body, "priority", TICKET_PRIORITIES))
        .flatten()
        .unwrap_or("medium");
    let slugs: Vec<&'static str> = ENVIRONMENTS.iter().map(|e| e.1).collect();
    let environment = refusals
        .take("environment", choice(&body, "environment", &slugs))
        .flatten()
        .unwrap_or("production");
    let tags = refusals
        .take("tags", string_list(&body, "tags"))
        .flatten()
        .unwrap_or_default();
    let feedback_id = refusals
        .take("feedback_id", pk(&body, "feedback_id"))
        .flatten();
    let feedback = feedback_id.and_then(|id| {
        let row = store.feedback_row(id);
        if row.is_none() {
            refusals.add("feedback_id", no_such_pk(id));
        }
        row.map(|row| (id, row.conversation.and_then(|pk| store.find_pk(pk))))
    });
    let conversation = match refusals
        .take("conversation_id", pk(&body, "conversation_id"))
        .flatten()
    {
        Some(pk) => {
            let found = store.find_pk(pk);
            if found.is_none() {
                refusals.add("conversation_id", no_such_pk(pk));
            }
            found
        }
        // Filed from a conversation's feedback, the ticket is about that conversation.
        None => feedback.and_then(|(_, index)| index),
    };
    refusals.finish()?;
    let title = title.ok_or_else(refused_above)?;
    let now = now();
    let mut extra = Map::new();
    extra.insert("author".to_owned(), json!(caller.name));
    let ticket = Ticket {
        title: Some(title),
        status: Some(status.to_owned()),
        priority: Some(priority.to_owned()),
        tags: Some(tags),
        environment: Some(environment.to_owned()),
        feedback: feedback.map(|(id, _)| TicketFeedback {
            id: Some(id),
            ..TicketFeedback::default()
        }),
        created_at: Some(now.clone()),
        updated_at: Some(now),
        comments: Some(Vec::new()),
        extra,
        ..Ticket::default()
    };
    let id = store.add_ticket(conversation, ticket);
    answer(&store, id, StatusCode::CREATED)
}

/// What a ticket `PATCH` changes.
#[derive(Default)]
struct TicketChange {
    title: Option<String>,
    status: Option<&'static str>,
    priority: Sent<&'static str>,
    tags: Option<Vec<String>>,
}

fn read_change(body: &Map<String, Value>) -> Result<TicketChange, ApiError> {
    let mut refusals = Refusals::default();
    let mut change = TicketChange::default();
    match text(body, "title") {
        Ok(Sent::Absent) => {}
        Ok(Sent::Null) => refusals.add("title", "This field may not be null."),
        Ok(Sent::Value(title)) => change.title = refusals.take("title", checked_name(title)),
        Err(m) => refusals.add("title", m),
    }
    match (body.get("status"), choice(body, "status", TICKET_STATUSES)) {
        (None, _) => {}
        (Some(Value::Null), _) => refusals.add("status", "This field may not be null."),
        (_, Ok(status)) => change.status = status,
        (_, Err(m)) => refusals.add("status", m),
    }
    if body.contains_key("priority") {
        change.priority =
            match refusals.take("priority", choice(body, "priority", TICKET_PRIORITIES)) {
                Some(Some(p)) => Sent::Value(p),
                Some(None) => Sent::Null,
                None => Sent::Absent,
            };
    }
    change.tags = refusals.take("tags", string_list(body, "tags")).flatten();
    if body.contains_key("environment") {
        refusals.add("environment", WRITE_ONCE);
    }
    refusals.finish()?;
    Ok(change)
}

/// `PATCH /api/tickets/{id}/`: `title`, `status`, `priority`, `tags`; the environment is refused.
pub(in crate::server) async fn update(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let id = ticket_id(&id)?;
    let mut store = state.write();
    store.ticket_row(id).ok_or(ApiError::NotFound)?;
    let body = object_body(&body)?;
    let change = read_change(&body)?;
    let now = now();
    store.edit_ticket(id, |t| {
        if let Some(title) = change.title {
            t.title = Some(title);
        }
        if let Some(status) = change.status {
            t.status = Some(status.to_owned());
        }
        match change.priority {
            Sent::Absent => {}
            Sent::Null => t.priority = None,
            Sent::Value(p) => t.priority = Some(p.to_owned()),
        }
        if let Some(tags) = change.tags {
            t.tags = Some(tags);
        }
        t.updated_at = Some(now);
    });
    answer(&store, id, StatusCode::OK)
}

/// `DELETE /api/tickets/{id}/`: the ticket and its thread, 204.
pub(in crate::server) async fn delete(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let id = ticket_id(&id)?;
    if state.write().delete_ticket(id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::NotFound)
    }
}

/// `POST /api/tickets/{id}/comments/` `{"body": "..."}`: 201 with the comment,
/// role `agent` (a sent role is ignored) and authored as the calling key.
pub(in crate::server) async fn comment(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let id = ticket_id(&id)?;
    let mut store = state.write();
    store.ticket_row(id).ok_or(ApiError::NotFound)?;
    let body = object_body(&body)?;
    let text = match text(&body, "body") {
        Ok(Sent::Value(t)) if !t.is_empty() => t,
        Ok(Sent::Value(_)) => return Err(ApiError::field("body", "This field may not be blank.")),
        Ok(_) => return Err(ApiError::field("body", REQUIRED)),
        Err(m) => return Err(ApiError::field("body", m)),
    };
    let now = now();
    let comment = TicketComment {
        author: Some(caller.name.to_owned()),
        role: Some("agent".to_owned()),
        body: Some(text),
        created_at: Some(now.clone()),
        updated_at: Some(now),
        ..TicketComment::default()
    };
    let comment = store.add_comment(id, comment).ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::CREATED, &comment))
}
