//! The provider boundary: one trait that speaks the domain model, so the UI and the headless commands never see wire types or URLs.

pub mod agentsight;
pub mod chatdash;
pub mod download;
pub mod error;
pub mod http;
pub mod lenient;
pub mod model;
pub mod query;
pub mod repair;

use std::fmt;

use async_trait::async_trait;

pub use error::Error;
pub use model::{AttachmentIndex, Conversation, Identity, Listing, Page};
pub use query::{FilterSpec, Query};

use model::{
    Action, ActionLog, Feedback, FeedbackDraft, Message, Span, Ticket, TicketChange, TicketComment,
    TicketDraft, TraceTree, UsageRow, UsageSummary, VoteDraft, Written,
};

/// Which API a provider speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    /// The `AgentSight` Conversation API.
    AgentSight,
    /// The `ChatDash` public API.
    ChatDash,
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AgentSight => "AgentSight",
            Self::ChatDash => "ChatDash",
        })
    }
}

/// A conversation as a person names it: its integer primary key or its string id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ConversationRef {
    /// The integer primary key.
    Pk(i64),
    /// The business id (`conv-abc-123`).
    Id(String),
    /// The id on the platform the conversation happened on (`ChatDash`'s
    /// `isPlatformId`: a Voiceflow transcript id, a thread id, …).
    Platform(String),
}

impl ConversationRef {
    /// Reads what a user typed: all digits is a primary key, anything else an id.
    ///
    /// # Errors
    /// Empty (or blank) text.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::InvalidInput(
                "a conversation id is needed (a string id or an integer pk)".to_owned(),
            ));
        }
        Ok(match text.parse::<i64>() {
            Ok(pk) if pk > 0 && text.chars().all(|c| c.is_ascii_digit()) => Self::Pk(pk),
            _ => Self::Id(text.to_owned()),
        })
    }

    /// What a user typed, as a platform id when `platform` says so (`--platform-id`).
    ///
    /// # Errors
    /// Empty (or blank) text.
    pub fn parse_as(text: &str, platform: bool) -> Result<Self, Error> {
        let parsed = Self::parse(text)?;
        Ok(if platform {
            Self::Platform(text.trim().to_owned())
        } else {
            parsed
        })
    }

    /// The best reference to a loaded conversation: its pk when known.
    #[must_use]
    pub fn of(conversation: &Conversation) -> Option<Self> {
        conversation
            .id
            .map(Self::Pk)
            .or_else(|| conversation.conversation_id.clone().map(Self::Id))
    }
}

impl fmt::Display for ConversationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pk(pk) => write!(f, "{pk}"),
            Self::Id(id) => f.write_str(id),
            Self::Platform(id) => write!(f, "platform id {id}"),
        }
    }
}

/// The list routes beside the conversation list, each with its own filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Plane {
    /// `/api/conversations/`
    Conversations,
    /// `/api/feedbacks/`
    Feedbacks,
    /// `/api/tickets/`
    Tickets,
    /// `/api/actions/`
    Actions,
    /// `/api/token-usage/` and its summary
    Usage,
    /// `/api/spans/`
    Spans,
}

/// How `usage summary` groups its rollups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UsageGrouping {
    /// One rollup per resolved model id (the server's default).
    #[default]
    Model,
    /// One per conversation (its numeric id).
    Conversation,
    /// One per day.
    Day,
}

impl UsageGrouping {
    /// The wire value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Model => "model",
            Self::Conversation => "conversation",
            Self::Day => "day",
        }
    }
}

/// The currency the usage summary converts to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Currency {
    /// US dollars, the stored truth.
    #[default]
    Usd,
    /// Euros, converted at read time (absent where no rate is on file).
    Eur,
}

impl Currency {
    /// The wire value (lower-case, as the server wants it).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Usd => "usd",
            Self::Eur => "eur",
        }
    }
}

/// What the header shows about where the data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderInfo {
    /// Which API.
    pub kind: ProviderKind,
    /// The endpoint's host (and port), never a key.
    pub host: String,
}

/// A conversation API, as the rest of convo sees it.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Which API and which host.
    fn info(&self) -> ProviderInfo;

    /// An empty query over this provider's filters.
    fn new_query(&self) -> Query;

    /// One page of the list, without transcripts. `page` is 1-based.
    async fn list(&self, query: &Query, page: u32, page_size: u32) -> Result<Page, Error>;

    /// One page of the list with each row whole (transcripts included), for
    /// `export --full`. By default each row is fetched on its own; a provider
    /// that can return whole rows in one request should say so here.
    async fn list_with_transcripts(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Page, Error> {
        let mut listed = self.list(query, page, page_size).await?;
        for row in &mut listed.conversations {
            if let Some(id) = ConversationRef::of(row) {
                *row = self.conversation(&id).await?;
            }
        }
        Ok(listed)
    }

    /// One conversation, whole: transcript, feedback, tickets, usage.
    async fn conversation(&self, id: &ConversationRef) -> Result<Conversation, Error>;

    /// A conversation's attachments, grouped by message.
    async fn attachments(&self, id: &ConversationRef) -> Result<AttachmentIndex, Error>;

    /// Who the key is.
    async fn whoami(&self) -> Result<Identity, Error>;

    /// Where the conversation is in the vendor's web dashboard, if it has one.
    fn dashboard_url(&self, conversation: &Conversation) -> Option<String>;

    /// An empty query over a plane's filters, or `None` when this provider
    /// has no such plane.
    fn plane_query(&self, plane: Plane) -> Option<Query> {
        (plane == Plane::Conversations).then(|| self.new_query())
    }

    /// One message by its integer pk (`/api/track/{pk}/`), vote included.
    async fn message(&self, pk: i64) -> Result<Message, Error> {
        let _ = pk;
        Err(self.unsupported("single messages"))
    }

    /// One page of feedback (all three kinds), newest first, with `counts`.
    async fn feedbacks(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Feedback>, Error> {
        let _ = (query, page, page_size);
        Err(self.unsupported("a feedback list"))
    }

    /// One feedback row, with its `ticket` (or none).
    async fn feedback(&self, id: i64) -> Result<Feedback, Error> {
        let _ = id;
        Err(self.unsupported("a feedback list"))
    }

    /// One page of tickets, newest first, each with its thread.
    async fn tickets(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Ticket>, Error> {
        let _ = (query, page, page_size);
        Err(self.unsupported("tickets"))
    }

    /// One ticket, thread included.
    async fn ticket(&self, id: i64) -> Result<Ticket, Error> {
        let _ = id;
        Err(self.unsupported("tickets"))
    }

    /// One page of a ticket's thread, oldest first.
    async fn ticket_comments(
        &self,
        id: i64,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<TicketComment>, Error> {
        let _ = (id, page, page_size);
        Err(self.unsupported("tickets"))
    }

    /// One page of action definitions.
    async fn actions(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Action>, Error> {
        let _ = (query, page, page_size);
        Err(self.unsupported("action definitions"))
    }

    /// One action definition.
    async fn action(&self, id: i64) -> Result<Action, Error> {
        let _ = id;
        Err(self.unsupported("action definitions"))
    }

    /// Every recorded run of one action (the route is not paginated).
    async fn action_logs(&self, id: i64) -> Result<Vec<ActionLog>, Error> {
        let _ = id;
        Err(self.unsupported("action definitions"))
    }

    /// One page of usage rows (one per turn and model).
    async fn usage_rows(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<UsageRow>, Error> {
        let _ = (query, page, page_size);
        Err(self.unsupported("token usage rows"))
    }

    /// The usage rollups over the same filters, biggest first.
    async fn usage_summary(
        &self,
        query: &Query,
        group_by: UsageGrouping,
        currency: Currency,
    ) -> Result<UsageSummary, Error> {
        let _ = (query, group_by, currency);
        Err(self.unsupported("token usage"))
    }

    /// One page of spans, newest first, never with `payload`.
    async fn spans(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Span>, Error> {
        let _ = (query, page, page_size);
        Err(self.unsupported("spans"))
    }

    /// One span by its row id (not its `span_id`), with the verbatim payload when asked.
    async fn span(&self, id: i64, payload: bool) -> Result<Span, Error> {
        let _ = (id, payload);
        Err(self.unsupported("spans"))
    }

    /// One trace, nested by parent.
    async fn trace(&self, trace_id: &str) -> Result<TraceTree, Error> {
        let _ = trace_id;
        Err(self.unsupported("traces"))
    }

    // --- Writes (role `write`). Each is sent once and never retried, except
    // the message vote, which the API treats as an upsert.

    /// Marks (`on`) or unmarks a conversation.
    async fn mark(&self, id: &ConversationRef, on: bool) -> Result<Written, Error> {
        let _ = (id, on);
        Err(self.unsupported("marking"))
    }

    /// Renames a conversation (the name is checked with [`model::checked_name`] first).
    async fn rename(&self, id: &ConversationRef, name: &str) -> Result<Written, Error> {
        let _ = (id, name);
        Err(self.unsupported("renaming"))
    }

    /// Soft-deletes a conversation: hidden from lists, still readable by id.
    async fn delete(&self, id: &ConversationRef) -> Result<Written, Error> {
        let _ = id;
        Err(self.unsupported("deleting"))
    }

    /// Files feedback on a whole conversation.
    async fn give_feedback(
        &self,
        id: &ConversationRef,
        draft: &FeedbackDraft,
    ) -> Result<Feedback, Error> {
        let _ = (id, draft);
        Err(self.unsupported("feedback writes"))
    }

    /// Votes on one message by its pk; a second vote replaces the first.
    async fn vote(&self, message: i64, draft: &VoteDraft) -> Result<Feedback, Error> {
        let _ = (message, draft);
        Err(self.unsupported("message votes"))
    }

    /// Files a ticket.
    async fn create_ticket(&self, draft: &TicketDraft) -> Result<Ticket, Error> {
        let _ = draft;
        Err(self.unsupported("ticket writes"))
    }

    /// Adds a comment to a ticket's thread.
    async fn comment_ticket(&self, ticket: i64, body: &str) -> Result<TicketComment, Error> {
        let _ = (ticket, body);
        Err(self.unsupported("ticket writes"))
    }

    /// Changes a ticket's title, status or priority.
    async fn update_ticket(&self, ticket: i64, change: &TicketChange) -> Result<Ticket, Error> {
        let _ = (ticket, change);
        Err(self.unsupported("ticket writes"))
    }

    /// The refusal for something this provider does not offer.
    fn unsupported(&self, what: &str) -> Error {
        Error::Unsupported(format!("{} has no {what}", self.info().kind))
    }
}
