//! The triage plane's records: feedback of three kinds (and message votes), tickets with their comment threads, action definitions.

use serde_json::Value;

use crate::provider::lenient::{Timestamp, wire_record};

wire_record! {
    /// A verdict: on a conversation, on the agent overall, or on one message (a vote).
    ///
    /// Older servers sent `{id, conversation, sentiment, source, comment,
    /// metadata, created_at}` with no `kind`; those read into the same record
    /// ([`Feedback::kind`] then says `conversation`).
    pub struct Feedback {
        pub id: Option<i64> = "id",
        /// `conversation`, `agent` or `message`.
        pub kind: Option<String> = "kind",
        pub agent: Option<i64> = "agent",
        /// The conversation's primary key.
        pub conversation: Option<i64> = "conversation",
        /// The conversation's business id (absent on rows nested in a conversation).
        pub conversation_id: Option<String> = "conversation_id",
        /// The message's primary key, on a message vote.
        pub message: Option<i64> = "message",
        /// Who left it, as the server names them (its type is not documented).
        pub user: Option<Value> = "user",
        pub environment: Option<String> = "environment",
        pub environment_id: Option<i64> = "environment_id",
        /// `positive`, `neutral`, `negative`.
        pub sentiment: Option<String> = "sentiment",
        pub category: Option<String> = "category",
        pub comment: Option<String> = "comment",
        /// A slug a message vote may carry (`billing`).
        pub topic: Option<String> = "topic",
        /// A slug a message vote may carry (`wrong_answer`).
        pub reason: Option<String> = "reason",
        pub created_at: Option<Timestamp> = "created_at",
        /// The ticket this feedback was promoted to (`include_tickets`, and a single fetch).
        pub ticket: Option<Ticket> = "ticket",
        /// Older shape: `customer` or `platform`.
        pub source: Option<String> = "source",
        /// Older shape: free-form.
        pub metadata: Option<Value> = "metadata",
    }
}

wire_record! {
    /// A workflow item, optionally anchored to a conversation and the feedback that prompted it.
    pub struct Ticket {
        pub id: Option<i64> = "id",
        pub agent: Option<i64> = "agent",
        pub title: Option<String> = "title",
        /// `backlog`, `open`, `in_progress`, `in_review`, `done`, `closed`.
        pub status: Option<String> = "status",
        /// `low`, `medium`, `high`, or none.
        pub priority: Option<String> = "priority",
        pub tags: Option<Vec<String>> = "tags",
        pub environment: Option<String> = "environment",
        pub environment_id: Option<i64> = "environment_id",
        /// The conversation it is about (absent on tickets nested in a conversation).
        pub conversation: Option<TicketConversation> = "conversation",
        /// The feedback that prompted it.
        pub feedback: Option<TicketFeedback> = "feedback",
        /// The thread, oldest first.
        pub comments: Option<Vec<TicketComment>> = "comments",
        pub comments_count: Option<i64> = "comments_count",
        pub created_at: Option<Timestamp> = "created_at",
        pub updated_at: Option<Timestamp> = "updated_at",
    }
}

wire_record! {
    /// The conversation a ticket points at, as the ticket routes summarise it.
    pub struct TicketConversation {
        pub id: Option<i64> = "id",
        pub conversation_id: Option<String> = "conversation_id",
        pub name: Option<String> = "name",
        pub environment: Option<String> = "environment",
        pub environment_id: Option<i64> = "environment_id",
    }
}

wire_record! {
    /// The feedback a ticket came from, as the ticket routes summarise it.
    pub struct TicketFeedback {
        pub id: Option<i64> = "id",
        pub kind: Option<String> = "kind",
        pub sentiment: Option<String> = "sentiment",
        pub comment: Option<String> = "comment",
        pub created_at: Option<Timestamp> = "created_at",
    }
}

wire_record! {
    /// One entry of a ticket's discussion thread.
    pub struct TicketComment {
        pub id: Option<i64> = "id",
        pub author: Option<String> = "author",
        /// `agent` (written with a key), `dev` or `reporter`.
        pub role: Option<String> = "role",
        pub body: Option<String> = "body",
        pub created_at: Option<Timestamp> = "created_at",
        pub updated_at: Option<Timestamp> = "updated_at",
    }
}

wire_record! {
    /// An action definition: a capability (`search_orders`), not one run of it.
    pub struct Action {
        pub id: Option<i64> = "id",
        /// The name spans are matched on.
        pub name: Option<String> = "name",
        /// The dashboard label.
        pub display_name: Option<String> = "display_name",
        pub description: Option<String> = "description",
        pub agent: Option<i64> = "agent",
    }
}

impl Feedback {
    /// The kind, with the older kind-less shape read as conversation feedback.
    #[must_use]
    pub fn kind(&self) -> &str {
        match self.kind.as_deref() {
            Some(kind) if !kind.trim().is_empty() => kind,
            _ if self.message.is_some() => "message",
            _ => "conversation",
        }
    }
}

impl Ticket {
    /// The thread, oldest first, empty when none came.
    #[must_use]
    pub fn comments(&self) -> &[TicketComment] {
        self.comments.as_deref().unwrap_or_default()
    }

    /// How many comments: the server's count, else the thread's length.
    #[must_use]
    pub fn comment_count(&self) -> i64 {
        self.comments_count
            .unwrap_or_else(|| i64::try_from(self.comments().len()).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_older_feedback_shape_reads_as_conversation_feedback() {
        let old: Feedback = serde_json::from_str(
            r#"{"id": 1, "conversation": 42, "sentiment": "negative", "source": "customer",
                "comment": "slow", "metadata": {"k": 1}, "created_at": "2024-01-15T10:35:00Z"}"#,
        )
        .unwrap();
        assert_eq!(old.kind(), "conversation");
        assert_eq!(old.source.as_deref(), Some("customer"));
        let vote: Feedback = serde_json::from_str(
            r#"{"id": 2, "kind": "message", "message": 7, "sentiment": "positive", "topic": "billing", "reason": null}"#,
        )
        .unwrap();
        assert_eq!((vote.kind(), vote.reason.as_deref()), ("message", None));
    }

    #[test]
    fn a_ticket_with_its_thread_and_summaries() {
        let t: Ticket = serde_json::from_str(
            r#"{"id": 57, "title": "Timeout", "status": "open", "priority": null, "tags": ["checkout"],
                "conversation": {"id": 737, "conversation_id": "wa-3859", "name": "Refund"},
                "feedback": {"id": 3, "kind": "conversation", "sentiment": "negative"},
                "comments": [{"id": 1, "author": "ci-key", "role": "agent", "body": "Reproduced"}],
                "comments_count": 1}"#,
        )
        .unwrap();
        assert_eq!(
            t.conversation.as_ref().unwrap().conversation_id.as_deref(),
            Some("wa-3859")
        );
        assert_eq!(t.comments()[0].role.as_deref(), Some("agent"));
        assert_eq!(t.comment_count(), 1);
        assert_eq!(t.priority, None);
    }
}
