//! The provider boundary: one trait that speaks the domain model, so the UI and the headless commands never see wire types or URLs.

pub mod agentsight;
pub mod chatdash;
pub mod error;
pub mod lenient;
pub mod model;
pub mod query;
pub mod repair;

use std::fmt;

use async_trait::async_trait;

pub use error::Error;
pub use model::{AttachmentIndex, Conversation, Identity, Page};
pub use query::{FilterSpec, Query};

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
}
