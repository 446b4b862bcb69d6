//! The rows of `GET /api/tickets/`: every ticket with its conversation and feedback summaries and its thread, newest first, built at load and after each write.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::agent::{AGENT_ID, environment_id};
use super::record::Record;
use super::record::nulls_last;
use crate::provider::model::{Ticket, Timestamp};

/// One ticket, ready to serialize, with what its filters read.
#[derive(Debug)]
pub(super) struct TicketRow {
    pub id: i64,
    /// The whole ticket as the ticket routes answer it.
    pub json: Map<String, Value>,
    pub title: Option<String>,
    pub title_lower: String,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub tags: Vec<String>,
    pub conversation: Option<i64>,
    pub conversation_id: Option<String>,
    /// The feedback it was promoted from.
    pub feedback_id: Option<i64>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// The thread, oldest first.
    pub comments: Vec<Value>,
}

/// Every ticket row, newest first (ties by id, descending).
pub(super) fn build(records: &[Record], loose: &[Ticket]) -> Vec<TicketRow> {
    let mut rows: Vec<TicketRow> = records
        .iter()
        .flat_map(|r| r.tickets().iter().map(move |t| (Some(r), t)))
        .chain(loose.iter().map(|t| (None, t)))
        .filter_map(|(r, t)| row(t, r))
        .collect();
    rows.sort_by(|a, b| {
        nulls_last(a.created, b.created)
            .then(a.id.cmp(&b.id))
            .reverse()
    });
    rows
}

/// The feedback a ticket names: its `feedback` summary's id, or a bare
/// `feedback`/`feedback_id` number kept from an older shape.
fn feedback_id(t: &Ticket) -> Option<i64> {
    t.feedback.as_ref().and_then(|f| f.id).or_else(|| {
        ["feedback_id", "feedback"]
            .iter()
            .find_map(|k| t.extra.get(*k).and_then(Value::as_i64))
    })
}

fn row(t: &Ticket, record: Option<&Record>) -> Option<TicketRow> {
    let id = t.id?;
    let mut json = match serde_json::to_value(t) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    json.remove("feedback_id");
    let mut comments: Vec<(Option<DateTime<Utc>>, Option<i64>, Value)> = t
        .comments()
        .iter()
        .map(|c| {
            let value = serde_json::to_value(c).unwrap_or(Value::Null);
            (
                c.created_at.as_ref().and_then(Timestamp::instant),
                c.id,
                value,
            )
        })
        .collect();
    comments.sort_by(|a, b| nulls_last(a.0, b.0).then(a.1.cmp(&b.1)));
    let comments: Vec<Value> = comments.into_iter().map(|(_, _, v)| v).collect();
    let environment = t
        .environment
        .clone()
        .or_else(|| record.and_then(|r| r.head.environment.clone()))
        .unwrap_or_else(|| "production".to_owned());
    let conversation = match record {
        Some(r) => json!({
            "id": r.derived.pk,
            "conversation_id": r.head.conversation_id,
            "name": r.head.name,
            "environment": r.head.environment,
            "environment_id": r.head.environment_id,
        }),
        None => t
            .conversation
            .as_ref()
            .and_then(|c| serde_json::to_value(c).ok())
            .unwrap_or(Value::Null),
    };
    let conversation_pk = conversation.get("id").and_then(Value::as_i64);
    let conversation_id = conversation
        .get("conversation_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let created_text = t.created_at.as_ref().map(Timestamp::as_str);
    let updated = t.updated_at.as_ref().or(t.created_at.as_ref());
    let feedback = t
        .feedback
        .as_ref()
        .and_then(|f| serde_json::to_value(f).ok())
        .unwrap_or(Value::Null);
    let tags = t.tags.clone().unwrap_or_default();
    for (key, value) in [
        ("id", json!(id)),
        ("agent", json!(AGENT_ID)),
        ("title", json!(t.title)),
        ("status", json!(t.status)),
        ("priority", json!(t.priority)),
        ("tags", json!(tags)),
        ("environment", json!(environment)),
        ("environment_id", json!(environment_id(&environment))),
        ("conversation", conversation),
        ("feedback", feedback),
        ("comments", Value::Array(comments.clone())),
        ("comments_count", json!(comments.len())),
        ("created_at", json!(created_text)),
        ("updated_at", json!(updated.map(Timestamp::as_str))),
    ] {
        json.insert(key.to_owned(), value);
    }
    Some(TicketRow {
        id,
        json,
        title: t.title.clone(),
        title_lower: t.title.as_deref().unwrap_or_default().to_lowercase(),
        status: t.status.clone(),
        priority: t.priority.clone(),
        tags,
        conversation: conversation_pk,
        conversation_id,
        feedback_id: feedback_id(t),
        created: t.created_at.as_ref().and_then(Timestamp::instant),
        updated: updated.and_then(Timestamp::instant),
        comments,
    })
}
