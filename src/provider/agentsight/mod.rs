//! The `AgentSight` provider: the Conversation API's read and write routes behind the [`Provider`] trait, with the official client's wire behaviour.
//!
//! Mirrors the official Python client (agentsight 0.1.4): the key is checked
//! before anything is sent, `Authorization: Api-Key <key>`, one URL join,
//! string ids resolved through the list filter, GETs retried on connection
//! errors, timeouts, 5xx and 429 (honouring `Retry-After`), writes sent once.

mod ceilings;
mod discovery;
mod endpoint;
mod ids;
pub mod key;
mod planes;
mod writes;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use serde::de::DeserializeOwned;

use self::ceilings::ceiling_for;
use self::endpoint::parse_endpoint;
use self::ids::IdCache;
pub use self::key::{check_key, is_valid_key};
use super::http::errors::one_line;
use super::http::transport::Transport;
use super::http::{RetryPolicy, mask_key};
use super::model::{
    Action, ActionLog, Feedback, FeedbackDraft, Listing, Message, Span, Ticket, TicketChange,
    TicketComment, TicketDraft, TraceTree, UsageRow, UsageSummary, VoteDraft, WirePage, Written,
};
use super::{
    AttachmentIndex, Conversation, ConversationRef, Currency, Error, Identity, Page, Plane,
    Provider, ProviderInfo, ProviderKind, Query, UsageGrouping,
};

/// The API the official client talks to.
pub const DEFAULT_ENDPOINT: &str = "https://api.agentsight.io";
/// The web dashboard.
pub const DEFAULT_APP_URL: &str = "https://app.agentsight.io";
/// The whole-request timeout, connect to last byte, as the official client's.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

const LIST_PATH: &str = "/api/conversations/";
const ME_PATH: &str = "/api/me/";

/// How to reach `AgentSight`. `Debug` masks the key.
#[derive(Clone)]
pub struct AgentSightConfig {
    /// The API base URL; may end in `/` or carry a path prefix. Blank means [`DEFAULT_ENDPOINT`].
    pub endpoint: String,
    /// `ags_` + 32 hex + `_` + 6 hex.
    pub api_key: Option<String>,
    /// The dashboard base URL; `None` means [`DEFAULT_APP_URL`].
    pub app_url: Option<String>,
    /// Per request, including reading the body.
    pub timeout: Duration,
    /// How failed GETs are retried.
    pub retry: RetryPolicy,
}

impl AgentSightConfig {
    /// A config with the default timeout and retry policy.
    #[must_use]
    pub fn new(endpoint: impl Into<String>, api_key: Option<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            api_key,
            app_url: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for AgentSightConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentSightConfig")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key.as_deref().map(mask_key))
            .field("app_url", &self.app_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// An `AgentSight` client. `Debug` masks the key.
pub struct AgentSight {
    transport: Transport,
    /// Business id → pk, from lookups and from every list row seen.
    ids: IdCache,
    /// Without a trailing `/`.
    app_url: String,
}

/// The per-conversation routes, which share id resolution.
#[derive(Clone, Copy)]
enum Route {
    /// `GET /api/conversations/{pk}/?full=true`
    Conversation,
    /// `GET /api/conversations/{pk}/attachments/`
    Attachments,
}

impl Route {
    fn path(self, pk: i64) -> String {
        match self {
            Self::Conversation => format!("{LIST_PATH}{pk}/"),
            Self::Attachments => format!("{LIST_PATH}{pk}/attachments/"),
        }
    }

    fn params(self) -> Vec<(&'static str, String)> {
        match self {
            Self::Conversation => vec![("full", "true".to_owned())],
            Self::Attachments => Vec::new(),
        }
    }

    fn what(self, id: &str) -> String {
        match self {
            Self::Conversation => format!("conversation {id}"),
            Self::Attachments => format!("attachments of conversation {id}"),
        }
    }
}

impl AgentSight {
    /// A client for a config. Nothing is sent yet.
    ///
    /// # Errors
    /// [`Error::MissingKey`] or [`Error::InvalidKey`] (checked first, so a
    /// malformed key never travels), [`Error::InvalidInput`] for an endpoint
    /// that is not an http(s) URL.
    pub fn new(config: AgentSightConfig) -> Result<Self, Error> {
        let key = check_key(config.api_key.as_deref())?;
        let endpoint = match config.endpoint.trim() {
            "" => DEFAULT_ENDPOINT,
            given => given,
        };
        let endpoint = parse_endpoint(endpoint)?;
        let app_url = config
            .app_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .unwrap_or(DEFAULT_APP_URL)
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            transport: Transport::new(
                endpoint,
                &format!("Api-Key {key}"),
                key,
                config.timeout,
                config.retry,
            )?,
            ids: IdCache::default(),
            app_url,
        })
    }

    /// GETs `path` with `params` and reads the JSON answer, retrying what is
    /// worth retrying; the answer is held to the ceiling of what is asked for
    /// (a page, a page of whole conversations, one record). `what` names the
    /// thing a 404 did not find.
    ///
    /// # Errors
    /// The classified error of the last try.
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, String)],
        what: &str,
    ) -> Result<T, Error> {
        self.transport
            .get_within(path, params, what, ceiling_for(params))
            .await
    }

    /// The endpoint requests go to, without a trailing `/`.
    #[must_use]
    pub fn endpoint(&self) -> &str {
        self.transport.base()
    }

    async fn list_page(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
        full: bool,
    ) -> Result<Page, Error> {
        // A filter this API does not know would be ignored by the server and
        // silently widen the result set, so it never leaves.
        query.check_plane(Plane::Conversations)?;
        let mut params = query.to_params(Utc::now());
        let page = page.max(1);
        let page_size = page_size.max(1);
        params.push(("page", page.to_string()));
        params.push(("page_size", page_size.to_string()));
        params.push(("full", full.to_string()));
        let what = format!("{LIST_PATH} at {}; check the endpoint", self.endpoint());
        let wire: WirePage = self.get(LIST_PATH, &params, &what).await?;
        for row in wire.results.iter().flatten() {
            if let (Some(id), Some(pk)) = (&row.conversation_id, row.id) {
                self.ids.remember(id, pk);
            }
        }
        Ok(Page::from_wire(wire, page, page_size))
    }

    /// A business id's pk: remembered, or looked up through the list filter
    /// (deleted rows included, so a soft-deleted conversation still opens).
    async fn resolve_id(&self, id: &str) -> Result<i64, Error> {
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::InvalidInput(
                "a conversation id is needed (a string id or an integer pk)".to_owned(),
            ));
        }
        if let Some(pk) = self.ids.get(id) {
            return Ok(pk);
        }
        let params = [
            ("conversation_id", id.to_owned()),
            ("page_size", "1".to_owned()),
            ("include_deleted", "true".to_owned()),
            ("full", "false".to_owned()),
        ];
        let what = format!("conversation \"{}\"", one_line(id));
        let wire: WirePage = self.get(LIST_PATH, &params, &what).await?;
        let found = wire.results.unwrap_or_default().into_iter().next();
        match found.and_then(|row| row.id) {
            Some(pk) => {
                self.ids.remember(id, pk);
                Ok(pk)
            }
            None => Err(Error::NotFound {
                what,
                detail: "no conversation has that conversation_id, deleted ones included"
                    .to_owned(),
            }),
        }
    }

    /// Fetches a per-conversation route for a pk or a business id.
    async fn fetch<T: DeserializeOwned>(
        &self,
        id: &ConversationRef,
        route: Route,
    ) -> Result<T, Error> {
        match id {
            ConversationRef::Pk(pk) => match self.fetch_pk(*pk, route).await {
                Err(Error::NotFound { what, detail }) => {
                    self.fetch_digits_as_id(*pk, route, what, detail).await
                }
                other => other,
            },
            ConversationRef::Id(text) => {
                let pk = self.resolve_id(text).await?;
                let fetched = self.fetch_pk(pk, route).await;
                if matches!(fetched, Err(Error::NotFound { .. })) {
                    // Deleted since it was looked up: the next try looks again.
                    self.ids.forget(text.trim());
                }
                fetched
            }
            ConversationRef::Platform(_) => Err(Error::InvalidInput(
                "AgentSight conversations have no platform id; use the conversation id or its pk"
                    .to_owned(),
            )),
        }
    }

    /// A business id may be all digits, which reads as a pk; when that pk
    /// does not exist, the digits get one more chance as a string id.
    async fn fetch_digits_as_id<T: DeserializeOwned>(
        &self,
        digits: i64,
        route: Route,
        what: String,
        detail: String,
    ) -> Result<T, Error> {
        let not_found = || Error::NotFound {
            what: what.clone(),
            detail: format!("{detail}; no conversation has the id \"{digits}\" either"),
        };
        match self.resolve_id(&digits.to_string()).await {
            Ok(pk) if pk != digits => self.fetch_pk(pk, route).await,
            Ok(_) | Err(Error::NotFound { .. }) => Err(not_found()),
            Err(other) => Err(other),
        }
    }

    async fn fetch_pk<T: DeserializeOwned>(&self, pk: i64, route: Route) -> Result<T, Error> {
        self.get(
            &route.path(pk),
            &route.params(),
            &route.what(&pk.to_string()),
        )
        .await
    }
}

#[async_trait]
impl Provider for AgentSight {
    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            kind: ProviderKind::AgentSight,
            host: self.transport.host().to_owned(),
        }
    }

    fn new_query(&self) -> Query {
        Query::agentsight()
    }

    async fn list(&self, query: &Query, page: u32, page_size: u32) -> Result<Page, Error> {
        self.list_page(query, page, page_size, false).await
    }

    /// One request: the list route returns whole rows with `full=true`.
    async fn list_with_transcripts(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Page, Error> {
        self.list_page(query, page, page_size, true).await
    }

    async fn conversation(&self, id: &ConversationRef) -> Result<Conversation, Error> {
        self.fetch(id, Route::Conversation).await
    }

    async fn attachments(&self, id: &ConversationRef) -> Result<AttachmentIndex, Error> {
        self.fetch(id, Route::Attachments).await
    }

    async fn whoami(&self) -> Result<Identity, Error> {
        let what = format!("{ME_PATH} at {}; check the endpoint", self.endpoint());
        self.get(ME_PATH, &[], &what).await
    }

    fn plane_query(&self, plane: Plane) -> Option<Query> {
        Some(Query::for_plane(plane))
    }

    async fn message(&self, pk: i64) -> Result<Message, Error> {
        self.get_message(pk).await
    }

    async fn feedbacks(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Feedback>, Error> {
        self.plane_page(Plane::Feedbacks, query, page, page_size, &[])
            .await
    }

    async fn feedback(&self, id: i64) -> Result<Feedback, Error> {
        self.get_feedback(id).await
    }

    async fn tickets(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Ticket>, Error> {
        self.plane_page(Plane::Tickets, query, page, page_size, &[])
            .await
    }

    async fn ticket(&self, id: i64) -> Result<Ticket, Error> {
        self.get_ticket(id).await
    }

    async fn ticket_comments(
        &self,
        id: i64,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<TicketComment>, Error> {
        self.get_ticket_comments(id, page, page_size).await
    }

    async fn actions(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Action>, Error> {
        self.plane_page(Plane::Actions, query, page, page_size, &[])
            .await
    }

    async fn action(&self, id: i64) -> Result<Action, Error> {
        self.get_action(id).await
    }

    async fn action_logs(&self, id: i64) -> Result<Vec<ActionLog>, Error> {
        self.get_action_logs(id).await
    }

    async fn usage_rows(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<UsageRow>, Error> {
        self.plane_page(Plane::Usage, query, page, page_size, &[])
            .await
    }

    async fn usage_summary(
        &self,
        query: &Query,
        group_by: UsageGrouping,
        currency: Currency,
    ) -> Result<UsageSummary, Error> {
        self.get_usage_summary(query, group_by, currency).await
    }

    async fn spans(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Span>, Error> {
        self.list_spans(query, page, page_size).await
    }

    async fn span(&self, id: i64, payload: bool) -> Result<Span, Error> {
        self.get_span(id, payload).await
    }

    async fn trace(&self, trace_id: &str) -> Result<TraceTree, Error> {
        self.get_trace(trace_id).await
    }

    async fn mark(&self, id: &ConversationRef, on: bool) -> Result<Written, Error> {
        self.mark_conversation(id, on).await
    }

    async fn rename(&self, id: &ConversationRef, name: &str) -> Result<Written, Error> {
        self.rename_conversation(id, name).await
    }

    async fn delete(&self, id: &ConversationRef) -> Result<Written, Error> {
        self.delete_conversation(id).await
    }

    async fn give_feedback(
        &self,
        id: &ConversationRef,
        draft: &FeedbackDraft,
    ) -> Result<Feedback, Error> {
        self.post_feedback(id, draft).await
    }

    async fn vote(&self, message: i64, draft: &VoteDraft) -> Result<Feedback, Error> {
        self.post_vote(message, draft).await
    }

    async fn create_ticket(&self, draft: &TicketDraft) -> Result<Ticket, Error> {
        self.post_ticket(draft).await
    }

    async fn comment_ticket(&self, ticket: i64, body: &str) -> Result<TicketComment, Error> {
        self.post_ticket_comment(ticket, body).await
    }

    async fn update_ticket(&self, ticket: i64, change: &TicketChange) -> Result<Ticket, Error> {
        self.patch_ticket(ticket, change).await
    }

    /// An assumption, not documented by the API: the dashboard shows a
    /// conversation at `{app_url}/conversations/{pk}`.
    fn dashboard_url(&self, conversation: &Conversation) -> Option<String> {
        conversation
            .id
            .map(|pk| format!("{}/conversations/{pk}", self.app_url))
    }
}

impl fmt::Debug for AgentSight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentSight")
            .field("transport", &self.transport)
            .field("app_url", &self.app_url)
            .field("remembered_ids", &self.ids.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ags_0123456789abcdef0123456789abcdef_abc123";

    #[test]
    fn debug_output_never_holds_the_key() {
        let config = AgentSightConfig::new("http://127.0.0.1:9", Some(KEY.to_owned()));
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("0123456789abcdef") && shown.contains("ags_…abc123"),
            "{shown}"
        );
        let client = AgentSight::new(config).unwrap();
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("0123456789abcdef") && shown.contains("ags_…abc123"),
            "{shown}"
        );
    }

    #[test]
    fn defaults_fill_in_and_the_dashboard_link_uses_the_pk() {
        let mut config = AgentSightConfig::new(" ", Some(KEY.to_owned()));
        assert_eq!(config.timeout, Duration::from_secs(15));
        assert_eq!(config.retry, RetryPolicy::default());
        config.app_url = Some("https://dash.example.com/".to_owned());
        let client = AgentSight::new(config).unwrap();
        assert_eq!(client.endpoint(), DEFAULT_ENDPOINT);
        assert_eq!(client.info().host, "api.agentsight.io");
        let row = Conversation {
            id: Some(42),
            ..Conversation::default()
        };
        assert_eq!(
            client.dashboard_url(&row).as_deref(),
            Some("https://dash.example.com/conversations/42")
        );
        assert_eq!(client.dashboard_url(&Conversation::default()), None);
    }
}
