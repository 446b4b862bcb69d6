//! The write routes (role `write`): mark, rename, file feedback, file a ticket — all on the in-memory copy, with DRF's validation messages.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::Role;
use super::agent::ENVIRONMENTS;
use super::envelope::{ConversationView, Depth};
use super::reply::{ApiError, REQUIRED, json_response};
use super::state::AppState;
use super::store::Store;
use crate::provider::lenient::parse_bool_text;
use crate::provider::model::{Feedback, Ticket, TicketFeedback, Timestamp};
use crate::provider::query::SENTIMENTS;

/// The older feedback shape's sources, still accepted on a write.
const FEEDBACK_SOURCES: &[&str] = &["customer", "platform"];

/// Ticket statuses, in board order.
const TICKET_STATUSES: &[&str] = &[
    "backlog",
    "open",
    "in_progress",
    "in_review",
    "done",
    "closed",
];
/// Ticket priorities.
const TICKET_PRIORITIES: &[&str] = &["low", "medium", "high"];
/// The longest conversation name or ticket title.
const MAX_NAME_CHARS: usize = 255;

/// 403 for a read key, before anything else is looked at (as DRF checks permissions first).
fn require_write(state: &AppState) -> Result<(), ApiError> {
    match state.config.role {
        Role::Write => Ok(()),
        Role::Read => Err(ApiError::Detail(
            StatusCode::FORBIDDEN,
            "This API key has the read role; changing data needs a key with the write role."
                .to_owned(),
        )),
    }
}

/// A JSON object body, or DRF's 400 for anything else.
fn object_body(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::field(
            "non_field_errors",
            format!(
                "Invalid data. Expected a dictionary, but got {}.",
                json_type(&other)
            ),
        )),
        Err(e) => Err(ApiError::Detail(
            StatusCode::BAD_REQUEST,
            format!("JSON parse error - {e}"),
        )),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// A text field as DRF's `CharField` reads it: trimmed, numbers taken as text.
/// `Ok(None)` when absent or null.
fn text_field(body: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err("Not a valid string.".to_owned()),
    }
}

/// A name or title: present, not blank, at most 255 characters.
fn required_name(body: &Map<String, Value>, name: &str) -> Result<String, String> {
    match text_field(body, name)? {
        None => Err(REQUIRED.to_owned()),
        Some(s) if s.is_empty() => Err("This field may not be blank.".to_owned()),
        Some(s) if s.chars().count() > MAX_NAME_CHARS => Err(format!(
            "Ensure this field has no more than {MAX_NAME_CHARS} characters."
        )),
        Some(s) => Ok(s),
    }
}

/// One of a fixed set, or DRF's "not a valid choice".
fn choice_field(
    body: &Map<String, Value>,
    name: &str,
    choices: &[&'static str],
) -> Result<Option<&'static str>, String> {
    let Some(text) = text_field(body, name)? else {
        return Ok(None);
    };
    choices
        .iter()
        .find(|c| **c == text)
        .map(|c| Some(*c))
        .ok_or_else(|| format!("\"{text}\" is not a valid choice."))
}

/// An integer primary key (a digit string is taken too, as DRF does).
fn pk_field(body: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("Incorrect type. Expected pk value, received {n}.")),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| "Incorrect type. Expected pk value, received str.".to_owned()),
        Some(other) => Err(format!(
            "Incorrect type. Expected pk value, received {}.",
            json_type(other)
        )),
    }
}

/// The metadata-only row a write answers with.
fn row(store: &Store, index: usize) -> Result<Response, ApiError> {
    let depth = Depth {
        transcript: false,
        tickets: false,
        single: false,
    };
    let record = store.record(index).ok_or(ApiError::NotFound)?;
    Ok(json_response(
        StatusCode::OK,
        &ConversationView::new(record, depth),
    ))
}

/// `POST /api/conversations/{id}/mark/` `{"is_marked": bool}`.
pub(super) async fn mark(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_write(&state)?;
    let mut store = state.write();
    let index = store.find(&id).ok_or(ApiError::NotFound)?;
    let body = object_body(&body)?;
    let is_marked = match body.get("is_marked") {
        None => Err(REQUIRED.to_owned()),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) => {
            parse_bool_text(s).ok_or_else(|| "Must be a valid boolean.".to_owned())
        }
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err("Must be a valid boolean.".to_owned()),
        },
        Some(_) => Err("Must be a valid boolean.".to_owned()),
    };
    let is_marked = is_marked.map_err(|message| ApiError::field("is_marked", message))?;
    store.mark(index, is_marked);
    row(&store, index)
}

/// `PATCH /api/conversations/{id}/rename/` `{"name": "..."}` (1–255 characters).
pub(super) async fn rename(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_write(&state)?;
    let mut store = state.write();
    let index = store.find(&id).ok_or(ApiError::NotFound)?;
    let body = object_body(&body)?;
    let name = required_name(&body, "name").map_err(|message| ApiError::field("name", message))?;
    store.rename(index, name);
    row(&store, index)
}

/// `POST /api/feedbacks/`: conversation feedback, by business id or by key.
pub(super) async fn create_feedback(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_write(&state)?;
    let body = object_body(&body)?;
    let mut store = state.write();
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| errors.push((field.to_owned(), message));

    match text_field(&body, "kind") {
        Ok(None) => {}
        Ok(Some(kind)) if kind == "conversation" => {}
        Ok(Some(kind)) if ["agent", "message", "product"].contains(&kind.as_str()) => fail(
            "kind",
            format!("This local server files conversation feedback only, not \"{kind}\"."),
        ),
        Ok(Some(kind)) => fail("kind", format!("\"{kind}\" is not a valid choice.")),
        Err(message) => fail("kind", message),
    }
    let sentiment = match choice_field(&body, "sentiment", SENTIMENTS) {
        Ok(Some(s)) => Some(s),
        Ok(None) => {
            fail("sentiment", REQUIRED.to_owned());
            None
        }
        Err(message) => {
            fail("sentiment", message);
            None
        }
    };
    let source = choice_field(&body, "source", FEEDBACK_SOURCES).unwrap_or_else(|message| {
        fail("source", message);
        None
    });
    let comment = text_field(&body, "comment").unwrap_or_else(|message| {
        fail("comment", message);
        None
    });
    let by_id = text_field(&body, "conversation_id");
    let by_pk = pk_field(&body, "conversation");
    let index = match (by_id, by_pk) {
        (Ok(Some(id)), _) => store.find_conversation_id(&id).or_else(|| {
            fail(
                "conversation_id",
                format!("No conversation with conversation_id \"{id}\"."),
            );
            None
        }),
        (_, Ok(Some(pk))) => store.find_pk(pk).or_else(|| {
            fail(
                "conversation",
                format!("Invalid pk \"{pk}\" - object does not exist."),
            );
            None
        }),
        (Err(message), _) => {
            fail("conversation_id", message);
            None
        }
        (_, Err(message)) => {
            fail("conversation", message);
            None
        }
        (Ok(None), Ok(None)) => {
            fail(
                "conversation",
                "This field is required (or give conversation_id).".to_owned(),
            );
            None
        }
    };
    let (Some(index), Some(sentiment), true) = (index, sentiment, errors.is_empty()) else {
        return Err(ApiError::Fields(errors));
    };
    let feedback = Feedback {
        sentiment: Some(sentiment.to_owned()),
        source: Some(source.unwrap_or("customer").to_owned()),
        comment,
        metadata: Some(json!({})),
        created_at: Some(Timestamp::from_instant(Utc::now())),
        ..Feedback::default()
    };
    let feedback = store.add_feedback(index, feedback);
    // The echo is the row as the list shows it (no `ticket` key).
    let answer = feedback
        .id
        .and_then(|id| store.feedback_row(id))
        .map(|row| Value::Object(row.json.clone()))
        .ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::CREATED, &answer))
}

/// `POST /api/tickets/`: a ticket, optionally anchored to a conversation (by key) and a feedback.
pub(super) async fn create_ticket(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_write(&state)?;
    let body = object_body(&body)?;
    let mut store = state.write();
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| errors.push((field.to_owned(), message));

    let title = required_name(&body, "title")
        .map_err(|m| fail("title", m))
        .ok();
    let status = choice_field(&body, "status", TICKET_STATUSES)
        .map_err(|m| fail("status", m))
        .ok()
        .flatten()
        .unwrap_or("open");
    let priority = choice_field(&body, "priority", TICKET_PRIORITIES)
        .map_err(|m| fail("priority", m))
        .ok()
        .flatten()
        .unwrap_or("medium");
    let slugs: Vec<&'static str> = ENVIRONMENTS.iter().map(|e| e.1).collect();
    let environment = choice_field(&body, "environment", &slugs)
        .map_err(|m| fail("environment", m))
        .ok()
        .flatten()
        .unwrap_or("production");
    let tags = match body.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::Array(_)) => {
            fail("tags", "Every tag must be a string.".to_owned());
            Vec::new()
        }
        Some(other) => {
            fail(
                "tags",
                format!(
                    "Expected a list of items but got type \"{}\".",
                    json_type(other)
                ),
            );
            Vec::new()
        }
    };
    let feedback = match pk_field(&body, "feedback_id") {
        Ok(Some(id)) => store
            .feedback_row(id)
            .map(|row| (id, row.conversation.and_then(|pk| store.find_pk(pk))))
            .or_else(|| {
                fail(
                    "feedback_id",
                    format!("Invalid pk \"{id}\" - object does not exist."),
                );
                None
            }),
        Ok(None) => None,
        Err(message) => {
            fail("feedback_id", message);
            None
        }
    };
    let conversation = match pk_field(&body, "conversation_id") {
        Ok(Some(pk)) => store.find_pk(pk).or_else(|| {
            fail(
                "conversation_id",
                format!("Invalid pk \"{pk}\" - object does not exist."),
            );
            None
        }),
        // Filed from a conversation's feedback, the ticket inherits its conversation.
        Ok(None) => feedback.and_then(|(_, index)| index),
        Err(message) => {
            fail("conversation_id", message);
            None
        }
    };
    let (Some(title), true) = (title, errors.is_empty()) else {
        return Err(ApiError::Fields(errors));
    };
    let now = Timestamp::from_instant(Utc::now());
    let mut extra = Map::new();
    extra.insert("author".to_owned(), json!("API key"));
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
    let ticket = store.add_ticket(conversation, ticket);
    // The answer is the ticket as the ticket routes show it.
    let answer = ticket
        .id
        .and_then(|id| store.ticket_row(id))
        .map(|row| Value::Object(row.json.clone()))
        .ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::CREATED, &answer))
}
