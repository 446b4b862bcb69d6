//! `POST /api/feedbacks/` for conversation, agent and message feedback (a message's vote one per message), and `PATCH`/`DELETE /api/feedbacks/{id}/`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::body::{
    Refusals, Sent, choice, no_such_pk, object_body, optional_text, pk, refused_above, text,
};
use super::now;
use crate::provider::model::Feedback;
use crate::provider::query::SENTIMENTS;
use crate::server::agent::{AGENT_ID, ENVIRONMENTS};
use crate::server::caller::Caller;
use crate::server::feedbacks::with_ticket;
use crate::server::reply::{ApiError, REQUIRED, json_response};
use crate::server::state::AppState;
use crate::server::store::Store;

/// The longest topic or reason slug.
const MAX_SLUG_CHARS: usize = 50;
/// Why conversation and message feedback take no environment.
const DERIVED: &str = "Derived from the conversation.";

/// The kinds a key may file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Conversation,
    Agent,
    Message,
}

/// `kind`: conversation when left out (the older clients send none); product is the dashboard's, 403.
fn kind(body: &Map<String, Value>) -> Result<Kind, ApiError> {
    match optional_text(body, "kind").map_err(|m| ApiError::field("kind", m))? {
        None => Ok(Kind::Conversation),
        Some(k) => match k.as_str() {
            "conversation" => Ok(Kind::Conversation),
            "agent" => Ok(Kind::Agent),
            "message" => Ok(Kind::Message),
            "product" => Err(ApiError::Detail(
                StatusCode::FORBIDDEN,
                "Product feedback cannot be filed with an API key.".to_owned(),
            )),
            other => Err(ApiError::field(
                "kind",
                format!("\"{other}\" is not a valid choice."),
            )),
        },
    }
}

/// A topic or reason slug: letters, digits, `_` and `-`, at most 50 characters.
fn slug(body: &Map<String, Value>, name: &str) -> Result<Sent<String>, String> {
    let sent = text(body, name)?;
    if let Sent::Value(s) = &sent {
        if s.chars().count() > MAX_SLUG_CHARS {
            return Err(format!(
                "Ensure this field has no more than {MAX_SLUG_CHARS} characters."
            ));
        }
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(
                "Enter a valid \u{201c}slug\u{201d} consisting of letters, numbers, underscores or hyphens."
                    .to_owned(),
            );
        }
    }
    Ok(sent)
}

/// An environment slug the agent has.
fn environment_slug(body: &Map<String, Value>) -> Result<Option<&'static str>, String> {
    let Some(slug) = optional_text(body, "environment")? else {
        return Ok(None);
    };
    ENVIRONMENTS
        .iter()
        .find(|e| e.1 == slug)
        .map(|e| Some(e.1))
        .ok_or_else(|| format!("Object with slug={slug} does not exist."))
}

/// The refusal of a slug on a kind that has none.
fn message_only(field: &str) -> String {
    format!("Only message feedback takes a {field}.")
}

/// `POST /api/feedbacks/`: 201 with the row (no `ticket` key); a message's
/// second vote updates the first and answers 200.
pub(in crate::server) async fn create(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let body = object_body(&body)?;
    let kind = kind(&body)?;
    let mut store = state.write();
    let mut refusals = Refusals::default();
    let sentiment = match choice(&body, "sentiment", SENTIMENTS) {
        Ok(Some(s)) => Some(s),
        Ok(None) => {
            refusals.add("sentiment", REQUIRED);
            None
        }
        Err(m) => {
            refusals.add("sentiment", m);
            None
        }
    };
    let comment = refusals.take("comment", text(&body, "comment"));
    if kind != Kind::Message {
        for field in ["topic", "reason"] {
            if body.contains_key(field) {
                refusals.add(field, message_only(field));
            }
        }
    }
    if kind != Kind::Agent && body.contains_key("environment") {
        refusals.add("environment", DERIVED);
    }
    let (id, status) = match kind {
        Kind::Conversation => {
            let index = conversation_of(&store, &body, &mut refusals);
            refusals.finish()?;
            let (Some(index), Some(sentiment)) = (index, sentiment) else {
                return Err(refused_above());
            };
            let feedback = Feedback {
                kind: Some("conversation".to_owned()),
                sentiment: Some(sentiment.to_owned()),
                comment: comment.and_then(Sent::into_option),
                created_at: Some(now()),
                ..Feedback::default()
            };
            (store.add_feedback(index, feedback), StatusCode::CREATED)
        }
        Kind::Agent => {
            match refusals.take("agent", pk(&body, "agent")) {
                Some(Some(AGENT_ID)) | None => {}
                Some(Some(other)) => refusals.add("agent", no_such_pk(other)),
                Some(None) => refusals.add("agent", REQUIRED),
            }
            let environment = refusals
                .take("environment", environment_slug(&body))
                .flatten();
            refusals.finish()?;
            let feedback = Feedback {
                kind: Some("agent".to_owned()),
                agent: Some(AGENT_ID),
                environment: Some(environment.unwrap_or("production").to_owned()),
                sentiment: sentiment.map(str::to_owned),
                comment: comment.and_then(Sent::into_option),
                created_at: Some(now()),
                ..Feedback::default()
            };
            (store.add_agent_feedback(feedback), StatusCode::CREATED)
        }
        Kind::Message => {
            let message = match refusals.take("message", pk(&body, "message")) {
                Some(Some(pk)) if store.message(pk).is_some() => Some(pk),
                Some(Some(pk)) => {
                    refusals.add("message", no_such_pk(pk));
                    None
                }
                Some(None) => {
                    refusals.add("message", REQUIRED);
                    None
                }
                None => None,
            };
            let topic = refusals.take("topic", slug(&body, "topic"));
            let reason = refusals.take("reason", slug(&body, "reason"));
            refusals.finish()?;
            let (Some(message), Some(sentiment)) = (message, sentiment) else {
                return Err(refused_above());
            };
            let (id, created) = store
                .vote(message, |vote| {
                    vote.sentiment = Some(sentiment.to_owned());
                    // Omitted fields keep what is stored; an explicit null clears.
                    for (slot, sent) in [
                        (&mut vote.comment, comment),
                        (&mut vote.topic, topic),
                        (&mut vote.reason, reason),
                    ] {
                        sent.unwrap_or_default().apply(slot);
                    }
                    if vote.created_at.is_none() {
                        vote.created_at = Some(now());
                    }
                })
                .ok_or(ApiError::NotFound)?;
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (id, status)
        }
    };
    // The echo is the row as the list shows it (no `ticket` key).
    let row = store.feedback_row(id).ok_or(ApiError::NotFound)?;
    Ok(json_response(status, &row.json))
}

/// The conversation conversation feedback is about: the business id, else the key.
fn conversation_of(
    store: &Store,
    body: &Map<String, Value>,
    refusals: &mut Refusals,
) -> Option<usize> {
    if let Some(id) = refusals
        .take("conversation_id", optional_text(body, "conversation_id"))
        .flatten()
    {
        let found = store.find_conversation_id(&id);
        if found.is_none() {
            refusals.add(
                "conversation_id",
                format!("No conversation with conversation_id \"{id}\"."),
            );
        }
        return found;
    }
    match refusals.take("conversation", pk(body, "conversation")) {
        Some(Some(pk)) => {
            let found = store.find_pk(pk);
            if found.is_none() {
                refusals.add("conversation", no_such_pk(pk));
            }
            found
        }
        Some(None) if !body.contains_key("conversation_id") => {
            refusals.add(
                "conversation",
                "This field is required (or give conversation_id).",
            );
            None
        }
        _ => None,
    }
}

/// `PATCH /api/feedbacks/{id}/`: `sentiment`, `comment`; `environment` on
/// agent feedback; `topic`/`reason` on a message's vote. Answers the whole row.
pub(in crate::server) async fn update(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let mut store = state.write();
    let kind = store
        .feedback_row(id)
        .ok_or(ApiError::NotFound)?
        .kind
        .clone();
    let body = object_body(&body)?;
    let mut refusals = Refusals::default();
    let sentiment = match choice(&body, "sentiment", SENTIMENTS) {
        Ok(s) if s.is_some() || !body.contains_key("sentiment") => s,
        Ok(_) => {
            refusals.add("sentiment", "This field may not be null.");
            None
        }
        Err(m) => {
            refusals.add("sentiment", m);
            None
        }
    };
    let comment = refusals
        .take("comment", text(&body, "comment"))
        .unwrap_or_default();
    let mut environment = None;
    if body.contains_key("environment") {
        if kind == "agent" {
            environment = refusals
                .take("environment", environment_slug(&body))
                .flatten();
        } else {
            refusals.add("environment", DERIVED);
        }
    }
    let mut slugs = [Sent::Absent, Sent::Absent];
    for (slot, field) in slugs.iter_mut().zip(["topic", "reason"]) {
        if !body.contains_key(field) {
            continue;
        }
        if kind == "message" {
            *slot = refusals.take(field, slug(&body, field)).unwrap_or_default();
        } else {
            refusals.add(field, message_only(field));
        }
    }
    refusals.finish()?;
    let [topic, reason] = slugs;
    store.edit_feedback(id, |f| {
        if let Some(s) = sentiment {
            f.sentiment = Some(s.to_owned());
        }
        for (slot, value) in [
            (&mut f.comment, comment),
            (&mut f.topic, topic),
            (&mut f.reason, reason),
        ] {
            value.apply(slot);
        }
        if let Some(e) = environment {
            f.environment = Some(e.to_owned());
        }
    });
    let row = store.feedback_row(id).ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::OK, &with_ticket(row, &store)))
}

/// `DELETE /api/feedbacks/{id}/`: gone for good, 204.
pub(in crate::server) async fn delete(
    Extension(caller): Extension<Caller>,
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_write()?;
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    if state.write().delete_feedback(id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::NotFound)
    }
}
