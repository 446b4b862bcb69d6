//! The conversation plane: conversations, messages, action logs, attachments, `/api/me/`, and the conversation list's pages.

use serde::Serialize;
use serde_json::Value;

use super::triage::{Feedback, Ticket};
use super::usage::TokenUsage;
use crate::provider::lenient::{Timestamp, wire_record};

wire_record! {
    /// One conversation. Lean list rows (`full=false`) have no `messages`/`feedbacks`
    /// but carry `message_count` and `feedback_count`; a single fetch also carries
    /// `tickets` and `token_usage`.
    pub struct Conversation {
        /// The integer primary key.
        pub id: Option<i64> = "id",
        /// The agent the conversation belongs to (a key sees one agent only).
        pub agent: Option<i64> = "agent",
        /// The business id the tracking SDK was given (`conv-abc-123`).
        pub conversation_id: Option<String> = "conversation_id",
        pub name: Option<String> = "name",
        pub customer_id: Option<String> = "customer_id",
        pub customer_ip_address: Option<String> = "customer_ip_address",
        pub device: Option<String> = "device",
        pub language: Option<String> = "language",
        /// The environment's slug (`production`, `development`, or a custom one).
        pub environment: Option<String> = "environment",
        pub environment_id: Option<i64> = "environment_id",
        /// How many messages the transcript holds (lean rows say it without the transcript).
        pub message_count: Option<i64> = "message_count",
        /// How many feedback rows the conversation has, message votes included.
        pub feedback_count: Option<i64> = "feedback_count",
        /// Flagged by a person; older documents call it `is_favorite`.
        pub is_marked: Option<bool> = "is_marked" | "is_favorite",
        pub is_deleted: Option<bool> = "is_deleted",
        pub is_used: Option<bool> = "is_used",
        pub started_at: Option<Timestamp> = "started_at",
        pub ended_at: Option<Timestamp> = "ended_at",
        pub deleted_at: Option<Timestamp> = "deleted_at",
        /// Free-form, possibly nested.
        pub metadata: Option<Value> = "metadata",
        pub geo_location: Option<GeoLocation> = "geo_location",
        pub messages: Option<Vec<Message>> = "messages",
        pub feedbacks: Option<Vec<Feedback>> = "feedbacks",
        pub tickets: Option<Vec<Ticket>> = "tickets",
        /// `None` when nothing was recorded.
        pub token_usage: Option<TokenUsage> = "token_usage",
    }
}

wire_record! {
    /// Where the customer was, as the server derived it from their address.
    pub struct GeoLocation {
        pub ip_address: Option<String> = "ip_address",
        pub city: Option<String> = "city",
        pub country: Option<String> = "country",
        pub timezone_name: Option<String> = "timezone_name",
    }
}

wire_record! {
    /// One message of the transcript (also `GET /api/track/{pk}/`).
    pub struct Message {
        pub id: Option<i64> = "id",
        /// The conversation's primary key.
        pub conversation: Option<i64> = "conversation",
        pub timestamp: Option<Timestamp> = "timestamp",
        /// `end_user` or `agent` (`ChatDash` adds `human_agent`, `system`, …).
        pub sender: Option<String> = "sender",
        pub content: Option<String> = "content",
        /// Set when the message records an action the agent performed.
        pub action_name: Option<String> = "action_name",
        pub metadata: Option<Value> = "metadata",
        pub attachments: Option<Vec<Attachment>> = "attachments",
        pub action_logs: Option<Vec<ActionLog>> = "action_logs",
        pub button: Option<Value> = "button",
        /// The vote left on this message (a feedback row of kind `message`), `None` if none.
        pub feedback: Option<Feedback> = "feedback",
    }
}

wire_record! {
    /// One run of an action (a tool call) and what came of it.
    pub struct ActionLog {
        pub id: Option<i64> = "id",
        /// The action definition's id.
        pub action: Option<i64> = "action",
        /// The message the run belongs to.
        pub message: Option<i64> = "message",
        pub started_at: Option<Timestamp> = "started_at",
        pub ended_at: Option<Timestamp> = "ended_at",
        /// Measured, in milliseconds, with a fraction (`150.25`); never truncated.
        pub duration_ms: Option<f64> = "duration_ms",
        /// Tool name → argument or target, as the agent reported it.
        pub tools_used: Option<Value> = "tools_used",
        pub response: Option<String> = "response",
        /// Empty when the action succeeded.
        pub error_message: Option<String> = "error_message",
        pub metadata: Option<Value> = "metadata",
    }
}

wire_record! {
    /// A file sent in a message. Its URL is signed and expires after an hour.
    pub struct Attachment {
        pub id: Option<i64> = "id",
        /// The message that carried it.
        pub message: Option<i64> = "message",
        /// `image`, `document`, `text`, `audio`, `video`.
        pub kind: Option<String> = "type",
        pub filename: Option<String> = "filename",
        pub mime_type: Option<String> = "mime_type",
        pub size_bytes: Option<i64> = "size_bytes",
        pub file_url: Option<String> = "file_url",
    }
}

wire_record! {
    /// The attachments route: `{conversation_id, conversation, attachment_count,
    /// attachments[]}`, flat. Older servers grouped them by message
    /// (`total_attachments`, `messages[]`); both read into this record and
    /// [`AttachmentIndex::all`] gives one flat list either way.
    pub struct AttachmentIndex {
        pub conversation_id: Option<String> = "conversation_id",
        /// The primary key; the oldest shape calls it `id`.
        pub conversation: Option<i64> = "conversation" | "id",
        /// How many files; older servers call it `total_attachments`.
        pub attachment_count: Option<i64> = "attachment_count" | "total_attachments",
        pub attachments: Option<Vec<Attachment>> = "attachments",
        /// The older, grouped shape.
        pub messages: Option<Vec<AttachmentGroup>> = "messages",
    }
}

wire_record! {
    /// The attachments of one message, in the older grouped shape.
    pub struct AttachmentGroup {
        /// The message's id; the oldest shape calls it `id`.
        pub message_id: Option<i64> = "message_id" | "id",
        pub sender: Option<String> = "sender",
        pub timestamp: Option<Timestamp> = "timestamp",
        pub attachments: Option<Vec<Attachment>> = "attachments",
    }
}

wire_record! {
    /// Who an API key is (`/api/me/`).
    pub struct Identity {
        pub agent_id: Option<i64> = "agent_id",
        pub agent_name: Option<String> = "agent_name",
        /// `read` or `write`.
        pub role: Option<String> = "role",
        /// Environment records; older servers send bare slugs. Read through
        /// [`Identity::environments`], which accepts both.
        pub environments_raw: Option<Value> = "environments",
        /// What the server can do beyond the contract (`gzip-ingest`); absent on older servers.
        pub capabilities: Option<Vec<String>> = "capabilities",
    }
}

wire_record! {
    /// One environment an agent has.
    pub struct Environment {
        pub id: Option<i64> = "id",
        pub slug: Option<String> = "slug",
        pub name: Option<String> = "name",
        pub is_production: Option<bool> = "is_production",
        pub created_at: Option<Timestamp> = "created_at",
        pub updated_at: Option<Timestamp> = "updated_at",
    }
}

wire_record! {
    /// One page of the list route, in the seven-key envelope or DRF's four.
    pub struct WirePage {
        pub count: Option<i64> = "count",
        pub page_size: Option<i64> = "page_size",
        pub total_pages: Option<i64> = "total_pages",
        pub current_page: Option<i64> = "current_page",
        pub next: Option<String> = "next",
        pub previous: Option<String> = "previous",
        pub results: Option<Vec<Conversation>> = "results",
    }
}

/// One page of conversations, with what is known of the whole result set.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Page {
    /// The rows of this page.
    pub conversations: Vec<Conversation>,
    /// Every row that matches the query, on all pages.
    pub total: u64,
    /// 1-based.
    pub page: u32,
    /// Rows per page as the server applied it (it clamps).
    pub page_size: u32,
    /// At least 1, so that "page 1/1" reads right for an empty result.
    pub total_pages: u32,
}

impl Page {
    /// Builds a page from the wire envelope, filling in what DRF's four keys do
    /// not say from what was asked, and never believing more pages than the
    /// count allows.
    #[must_use]
    pub fn from_wire(wire: WirePage, asked_page: u32, asked_page_size: u32) -> Self {
        let conversations = wire.results.unwrap_or_default();
        let page_size = wire
            .page_size
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(asked_page_size.max(1));
        let count = wire.count.and_then(|n| u64::try_from(n).ok());
        let total = count.unwrap_or(conversations.len() as u64);
        let total_pages = super::listing::pages_believed(count, page_size, wire.total_pages);
        let page = wire
            .current_page
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(asked_page);
        Self {
            conversations,
            total,
            page,
            page_size,
            total_pages,
        }
    }

    /// Whether a page follows this one: the count allows it, and this one was
    /// full (an empty or short page is the last, whatever the counts say).
    #[must_use]
    pub fn has_next(&self) -> bool {
        self.page < self.total_pages
            && super::listing::page_was_full(self.conversations.len(), self.page_size)
    }
}

/// How the outcome of an action reads to a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionOutcome {
    /// It returned without an error.
    Succeeded,
    /// It reported an error message.
    Failed,
    /// It has no end and no error: still running, or lost.
    Unknown,
}

impl ActionLog {
    /// Succeeded, failed, or unknown — an error message wins over everything else.
    #[must_use]
    pub fn outcome(&self) -> ActionOutcome {
        match self.error_message.as_deref().map(str::trim) {
            Some(error) if !error.is_empty() => ActionOutcome::Failed,
            _ if self.ended_at.is_some()
                || self.duration_ms.is_some()
                || self.response.is_some() =>
            {
                ActionOutcome::Succeeded
            }
            _ => ActionOutcome::Unknown,
        }
    }
}

impl Conversation {
    /// The id a person would quote: the business id, else the primary key.
    #[must_use]
    pub fn display_id(&self) -> String {
        match (&self.conversation_id, self.id) {
            (Some(id), _) if !id.is_empty() => id.clone(),
            (_, Some(pk)) => pk.to_string(),
            _ => "?".to_owned(),
        }
    }

    /// The transcript, empty when the record was fetched without one.
    #[must_use]
    pub fn messages(&self) -> &[Message] {
        self.messages.as_deref().unwrap_or_default()
    }

    /// The feedback, empty when there is none or it was not fetched.
    #[must_use]
    pub fn feedbacks(&self) -> &[Feedback] {
        self.feedbacks.as_deref().unwrap_or_default()
    }

    /// Every action log of every message, in transcript order.
    pub fn action_logs(&self) -> impl Iterator<Item = (&Message, &ActionLog)> {
        self.messages().iter().flat_map(|m| {
            m.action_logs
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(move |a| (m, a))
        })
    }

    /// Every attachment of every message, in transcript order.
    pub fn attachments(&self) -> impl Iterator<Item = (&Message, &Attachment)> {
        self.messages().iter().flat_map(|m| {
            m.attachments
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(move |a| (m, a))
        })
    }

    /// The overall feedback sentiment: the worst one given, since a single
    /// complaint is what a support lead needs to see.
    #[must_use]
    pub fn worst_sentiment(&self) -> Option<&str> {
        let rank = |s: &str| match s {
            "negative" => 3,
            "neutral" => 2,
            "positive" => 1,
            _ => 0,
        };
        self.feedbacks()
            .iter()
            .filter_map(|f| f.sentiment.as_deref())
            .max_by_key(|s| rank(s))
    }
}

impl AttachmentIndex {
    /// Every attachment, flat, in the order the server gave them: the live
    /// `attachments` list, else the older groups flattened (each file then
    /// learns its message from the group when it does not say it itself).
    #[must_use]
    pub fn all(&self) -> Vec<Attachment> {
        if let Some(flat) = &self.attachments {
            return flat.clone();
        }
        self.messages
            .iter()
            .flatten()
            .flat_map(|group| {
                group.attachments.iter().flatten().map(move |a| {
                    let mut a = a.clone();
                    a.message = a.message.or(group.message_id);
                    a
                })
            })
            .collect()
    }

    /// How many files: the count the server gave, else the files listed.
    #[must_use]
    pub fn count(&self) -> usize {
        self.attachment_count
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or_else(|| self.all().len())
    }
}

impl Identity {
    /// The agent's environments: records as the live service sends them, or
    /// bare slugs as older servers did (each becomes a record with only its slug).
    #[must_use]
    pub fn environments(&self) -> Vec<Environment> {
        let Some(Value::Array(items)) = &self.environments_raw else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match item {
                Value::String(slug) => Some(Environment {
                    slug: Some(slug.clone()),
                    ..Environment::default()
                }),
                Value::Object(_) => serde_json::from_value(item.clone()).ok(),
                _ => None,
            })
            .collect()
    }

    /// Whether the key may write (`role: write`); unknown counts as no.
    #[must_use]
    pub fn can_write(&self) -> bool {
        self.role.as_deref() == Some("write")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses_and_keeps_unknown_fields() {
        let json = r#"{
            "id": 42, "conversation_id": "conv-abc-123", "name": "Support Chat",
            "is_favorite": true, "started_at": "2024-01-15T10:30:00Z",
            "geo_location": {"ip_address": "203.0.113.45", "city": "New York", "country": "US"},
            "brand_new_field": {"x": 1},
            "messages": [{"id": 101, "sender": "end_user", "content": "hi", "action_name": null,
                          "attachments": [], "action_logs": [{"id": 50, "duration_ms": 150, "error_message": ""}]}]
        }"#;
        let c: Conversation = serde_json::from_str(json).unwrap();
        assert_eq!(c.id, Some(42));
        assert_eq!(c.is_marked, Some(true));
        assert_eq!(
            c.geo_location.as_ref().unwrap().city.as_deref(),
            Some("New York")
        );
        assert_eq!(c.extra["brand_new_field"]["x"], 1);
        assert_eq!(c.messages()[0].action_name, None);
        assert_eq!(
            c.action_logs().next().unwrap().1.outcome(),
            ActionOutcome::Succeeded
        );
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["brand_new_field"]["x"], 1);
        assert_eq!(back["is_marked"], true);
    }

    #[test]
    fn wrongly_typed_fields_do_not_fail_the_record() {
        let json = r#"{"id": "7", "name": 12, "is_marked": "yes", "geo_location": "Paris",
                       "messages": {"not": "a list"}, "feedbacks": [null, 3, {"sentiment": ["x"]}],
                       "started_at": 1705314600, "metadata": null}"#;
        let c: Conversation = serde_json::from_str(json).unwrap();
        assert_eq!(c.id, Some(7));
        assert_eq!(c.name.as_deref(), Some("12"));
        assert_eq!(c.is_marked, Some(true));
        assert_eq!(c.geo_location, Some(GeoLocation::default()));
        assert!(c.messages.is_none());
        assert_eq!(c.feedbacks().len(), 3);
        assert_eq!(c.feedbacks()[2].sentiment.as_deref(), Some("[\"x\"]"));
        assert!(c.started_at.unwrap().instant().is_some());
        assert!(c.metadata.is_none());
    }

    #[test]
    fn both_envelopes_and_both_attachment_shapes_are_read() {
        let four: WirePage = serde_json::from_str(
            r#"{"count": 245, "next": null, "previous": null, "results": [{"id": 1}]}"#,
        )
        .unwrap();
        let page = Page::from_wire(four, 3, 10);
        assert_eq!(
            (page.total, page.page, page.page_size, page.total_pages),
            (245, 3, 10, 25)
        );
        let seven: WirePage = serde_json::from_str(
            r#"{"count": 0, "page_size": 100, "total_pages": 0, "current_page": 1, "next": null, "previous": null, "results": []}"#,
        )
        .unwrap();
        assert_eq!(Page::from_wire(seven, 1, 500).total_pages, 1);
        let old: AttachmentIndex = serde_json::from_str(
            r#"{"id": 42, "messages": [{"id": 1001, "attachments": [{"type": "image"}]}]}"#,
        )
        .unwrap();
        assert_eq!(old.conversation, Some(42));
        let group = &old.messages.unwrap()[0];
        assert_eq!(group.message_id, Some(1001));
        assert_eq!(
            group.attachments.as_ref().unwrap()[0].kind.as_deref(),
            Some("image")
        );
    }

    #[test]
    fn the_worst_sentiment_wins() {
        let c: Conversation = serde_json::from_str(
            r#"{"feedbacks": [{"sentiment": "positive"}, {"sentiment": "negative"}, {"sentiment": "neutral"}]}"#,
        )
        .unwrap();
        assert_eq!(c.worst_sentiment(), Some("negative"));
    }
}
