//! The rows of `GET /api/feedbacks/`: conversation feedback, message votes and agent feedback flattened into one newest-first list, built at load and after each write.

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Map, Value, json};

use super::agent::{AGENT_ID, environment_id};
use super::record::Record;
use super::ticket_rows::TicketRow;
use crate::provider::model::{Feedback, Timestamp};

/// One feedback row, ready to serialize, with what its filters read.
#[derive(Debug)]
pub(super) struct FeedbackRow {
    pub id: i64,
    /// The row as listed without the ticket gate (no `ticket` key).
    pub json: Map<String, Value>,
    pub kind: String,
    pub conversation: Option<i64>,
    pub conversation_id: Option<String>,
    pub message: Option<i64>,
    pub sentiment: Option<String>,
    pub topic: Option<String>,
    pub reason: Option<String>,
    pub category: Option<String>,
    /// Who left it, as text (a user may be sent as a number or a string).
    pub user: Option<String>,
    pub environment: Option<String>,
    /// Lowercased; `None` when there is no comment or it is blank.
    pub comment_lower: Option<String>,
    /// Comment, conversation id, category, topic and reason, lowercased, NUL-joined.
    pub search_lower: String,
    pub created: Option<DateTime<Utc>>,
    /// The ticket it was promoted to (an index into the ticket rows).
    pub ticket: Option<usize>,
}

/// Where a feedback sits, which decides the fields the service derives for it.
struct Origin<'a> {
    kind: &'static str,
    record: Option<&'a Record>,
    message: Option<i64>,
}

/// Every feedback row, newest first (ties by id, descending).
pub(super) fn build(
    records: &[Record],
    agent_feedbacks: &[Feedback],
    tickets: &[TicketRow],
) -> Vec<FeedbackRow> {
    let mut promoted: HashMap<i64, usize> = HashMap::new();
    for (index, t) in tickets.iter().enumerate() {
        if let Some(id) = t.feedback_id {
            promoted.entry(id).or_insert(index);
        }
    }
    let mut rows = Vec::new();
    for r in records {
        for f in r.feedbacks() {
            let kind = if f.kind() == "agent" {
                "agent"
            } else {
                "conversation"
            };
            let origin = Origin {
                kind,
                record: (kind != "agent").then_some(r),
                message: None,
            };
            rows.extend(row(f, &origin, &promoted));
        }
        for m in r.messages() {
            if let Some(vote) = &m.feedback {
                let origin = Origin {
                    kind: "message",
                    record: Some(r),
                    message: m.id,
                };
                rows.extend(row(vote, &origin, &promoted));
            }
        }
    }
    for f in agent_feedbacks {
        let origin = Origin {
            kind: "agent",
            record: None,
            message: None,
        };
        rows.extend(row(f, &origin, &promoted));
    }
    rows.sort_by(|a, b| {
        super::record::nulls_last(a.created, b.created)
            .then(a.id.cmp(&b.id))
            .reverse()
    });
    rows
}

fn row(f: &Feedback, origin: &Origin<'_>, promoted: &HashMap<i64, usize>) -> Option<FeedbackRow> {
    let id = f.id?;
    let mut json = match serde_json::to_value(f) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    // The older shape's fields are gone from the service's rows.
    for gone in ["source", "metadata", "ticket"] {
        json.remove(gone);
    }
    let (conversation, conversation_id, environment) = match origin.record {
        Some(r) => (
            Some(r.derived.pk),
            r.head.conversation_id.clone(),
            r.head.environment.clone().or_else(|| f.environment.clone()),
        ),
        None => (None, None, f.environment.clone()),
    };
    let user = f.user.as_ref().and_then(|u| match u {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let created_text = f.created_at.as_ref().map(Timestamp::as_str);
    for (key, value) in [
        ("id", json!(id)),
        ("kind", json!(origin.kind)),
        ("agent", json!(AGENT_ID)),
        ("conversation", json!(conversation)),
        ("conversation_id", json!(conversation_id)),
        ("message", json!(origin.message)),
        ("environment", json!(environment)),
        (
            "environment_id",
            json!(environment.as_deref().and_then(environment_id)),
        ),
        ("sentiment", json!(f.sentiment)),
        ("comment", json!(f.comment)),
        ("topic", json!(f.topic)),
        ("reason", json!(f.reason)),
        ("category", json!(f.category)),
        ("user", f.user.clone().unwrap_or(Value::Null)),
        ("created_at", json!(created_text)),
    ] {
        json.insert(key.to_owned(), value);
    }
    let lower = |s: &Option<String>| s.as_deref().map(str::to_lowercase);
    let search_lower = [
        &f.comment,
        &conversation_id,
        &f.category,
        &f.topic,
        &f.reason,
    ]
    .iter()
    .filter_map(|s| lower(s))
    .collect::<Vec<_>>()
    .join("\0");
    Some(FeedbackRow {
        id,
        json,
        kind: origin.kind.to_owned(),
        conversation,
        conversation_id,
        message: origin.message,
        sentiment: f.sentiment.clone(),
        topic: f.topic.clone(),
        reason: f.reason.clone(),
        category: f.category.clone(),
        user,
        environment,
        comment_lower: lower(&f.comment).filter(|c| !c.trim().is_empty()),
        search_lower,
        created: f.created_at.as_ref().and_then(Timestamp::instant),
        ticket: promoted.get(&id).copied(),
    })
}

/// What the synthesized agent feedback says: (sentiment, environment, comment, hours before the newest conversation).
const AGENT_FEEDBACK: &[(&str, &str, Option<&str>, i64)] = &[
    (
        "negative",
        "production",
        Some("Slow to answer at peak hours"),
        6,
    ),
    (
        "positive",
        "production",
        Some("Refunds are handled end to end without a hand-off"),
        30,
    ),
    (
        "neutral",
        "development",
        Some("The new greeting reads a little stiff"),
        54,
    ),
    ("positive", "development", None, 80),
    (
        "negative",
        "production",
        Some("Escalates outages to a person too late"),
        120,
    ),
];

/// Agent feedback for data that holds none. A data file is a list of
/// conversations, so it has nowhere to keep feedback about the agent as a
/// whole; the live service always has some. A fixed handful is made up here,
/// deterministically: the same sentiments, environments and comments every
/// time, dated hours before the newest conversation (so a rebased demo stays
/// current), with ids after every id in the data. Returns them and the next free id.
pub(super) fn synthesize_agent_feedback(
    newest: Option<DateTime<Utc>>,
    next_id: i64,
) -> (Vec<Feedback>, i64) {
    let anchor = newest
        .or_else(|| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single())
        .unwrap_or_default();
    let mut id = next_id;
    let rows = AGENT_FEEDBACK
        .iter()
        .map(|(sentiment, environment, comment, hours)| {
            let f = Feedback {
                id: Some(id),
                kind: Some("agent".to_owned()),
                agent: Some(AGENT_ID),
                environment: Some((*environment).to_owned()),
                sentiment: Some((*sentiment).to_owned()),
                comment: comment.map(str::to_owned),
                created_at: Some(Timestamp::from_instant(anchor - Duration::hours(*hours))),
                ..Feedback::default()
            };
            id += 1;
            f
        })
        .collect();
    (rows, id)
}

/// The feedback summary of each promoted ticket, from the feedback it names
/// (a ticket naming feedback that is not there keeps what the data said).
pub(super) fn attach_feedback(
    tickets: &mut [TicketRow],
    feedback: &[FeedbackRow],
    by_id: &HashMap<i64, usize>,
) {
    for t in tickets {
        let Some(f) = t
            .feedback_id
            .and_then(|id| by_id.get(&id))
            .and_then(|i| feedback.get(*i))
        else {
            continue;
        };
        let field = |key: &str| f.json.get(key).cloned().unwrap_or(Value::Null);
        t.json.insert(
            "feedback".to_owned(),
            json!({
                "id": f.id,
                "kind": f.kind,
                "sentiment": field("sentiment"),
                "comment": field("comment"),
                "created_at": field("created_at"),
            }),
        );
    }
}
