//! The `AgentSight` records as `GET /api/conversations/{pk}/?full=true` spells them: keys in the API's order, absent ones left out.
// Field names are the API's keys (`conversation_id`, `prompt_tokens`…), so they repeat what the record is.
#![allow(clippy::struct_field_names)]

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// A conversation with everything nested in it.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Conversation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) agent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) conversation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) customer_ip_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_marked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_deleted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_used: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ended_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) deleted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) geo_location: Option<GeoLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) messages: Option<Vec<Message>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) feedbacks: Option<Vec<Feedback>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tickets: Option<Vec<Ticket>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) token_usage: Option<TokenUsage>,
}

/// Where the customer wrote from.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct GeoLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ip_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) timezone_name: Option<String>,
}

/// One message of the transcript, with its files, tool logs and vote.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Message {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) conversation: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) action_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) attachments: Option<Vec<Attachment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) action_logs: Option<Vec<ActionLog>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) feedback: Option<Feedback>,
}

/// One run of a tool behind an action message.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct ActionLog {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ended_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duration_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tools_used: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) response: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Value>,
}

/// A file sent in a message.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Attachment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<i64>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mime_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) size_bytes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) file_url: Option<String>,
}

/// A verdict on a conversation or (a vote) on one reply.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Feedback {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) agent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) conversation: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sentiment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<String>,
    /// The older shape's `customer` or `platform`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Value>,
}

/// A ticket filed from a conversation.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Ticket {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) agent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) environment_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) feedback: Option<TicketFeedback>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) comments: Option<Vec<TicketComment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) comments_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) updated_at: Option<String>,
}

/// A ticket's copy of the feedback that prompted it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct TicketFeedback {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sentiment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<String>,
}

/// One comment of a ticket's thread.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct TicketComment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) updated_at: Option<String>,
}

/// A conversation's token usage and cost.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct TokenUsage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) totals: Option<TokenCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cost_usd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cost_sources: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) models: Option<Vec<ModelUsage>>,
}

/// The token columns of a usage total.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct TokenCounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) prompt_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) completion_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) embedding_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cache_read_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cache_write_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) total_tokens: Option<i64>,
}

/// One model's (and one cost source's) share of a conversation's usage.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct ModelUsage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cost_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cost_usd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) prompt_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) completion_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) embedding_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cache_read_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cache_write_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) total_tokens: Option<i64>,
}

/// The instant a stamp this crate wrote stands for (`None` for no stamp).
pub(crate) fn instant(stamp: Option<&String>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stamp?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
