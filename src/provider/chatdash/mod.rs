//! The `ChatDash` provider: the public API of agents' conversations, mapped onto the domain model.
//!
//! `ChatDash` answers the list with one whole array and no paging, so the array
//! of the current query is kept and pages, counts and the local `search` are
//! computed from it; paging never refetches. Requests go through the HTTP
//! transport both providers share ([`crate::provider::http`]: same retries,
//! error classification and key scrubbing) with the raw key as `Authorization`.

pub mod filters;
pub mod wire;

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use url::Url;

pub use self::filters::{CHATDASH_ALIASES, new_query};
use self::filters::{CHATDASH_FILTERS, matches_search, search_needle, server_part, wire_params};
use self::wire::{ChatDashConversation, ChatDashMessage};
use super::http::body::{Ceiling, MIB};
use super::http::errors::one_line;
use super::http::transport::{Endpoint, RECORD, Transport};
use super::http::{RetryPolicy, mask_key};
use super::{
    AttachmentIndex, Conversation, ConversationRef, Error, Identity, Page, Provider, ProviderInfo,
    ProviderKind, Query,
};

/// The public API's base URL.
pub const DEFAULT_ENDPOINT: &str = "https://api.chat-dash.com/v1/public";
/// The environment variable the key comes from, named in key errors.
pub const KEY_ENV: &str = "CHATDASH_API_KEY";
/// The whole-request timeout; a whole list comes in one answer, so it is generous.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole list of an agent's conversations, which `ChatDash` answers in
/// one array: rows without transcripts, a KB or two each, so 64 MiB and
/// 100,000 rows hold far more than the browser can page through usefully,
/// while a runaway answer stops there.
pub const WHOLE_LIST: Ceiling = Ceiling {
    bytes: 64 * MIB,
    rows: 100_000,
    items: 5_000_000,
    what: "a whole ChatDash list",
};

/// How to reach `ChatDash`. `Debug` masks the key.
#[derive(Clone)]
pub struct ChatDashConfig {
    /// The API base URL; blank means [`DEFAULT_ENDPOINT`].
    pub endpoint: String,
    /// The agency API key, sent raw.
    pub api_key: Option<String>,
    /// The agent whose conversations are read (`/agents/{agentId}/…`).
    pub agent_id: Option<String>,
    /// Used (`/projects/{projectId}/…`) only when no agent id is set.
    pub project_id: Option<String>,
    /// Per request, including reading the body.
    pub timeout: Duration,
    /// How failed GETs are retried.
    pub retry: RetryPolicy,
}

impl ChatDashConfig {
    /// A config with the default timeout and retry policy.
    #[must_use]
    pub fn new(
        endpoint: impl Into<String>,
        api_key: Option<String>,
        agent_id: Option<String>,
    ) -> Self {
        Self {
            endpoint: endpoint.into(),
            api_key,
            agent_id,
            project_id: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for ChatDashConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatDashConfig")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key.as_deref().map(mask_key))
            .field("agent_id", &self.agent_id)
            .field("project_id", &self.project_id)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// The fetched array of one query, kept for paging and searching.
struct Cached {
    /// The query without its local search: what the server was asked.
    asked: Query,
    rows: Arc<Vec<Conversation>>,
    /// Pages already served from `rows`: a page asked for again is a refresh
    /// (the browser keeps the pages it has), so it must reach the server.
    served: BTreeSet<u32>,
}

/// A `ChatDash` client. `Debug` masks the key.
pub struct ChatDash {
    transport: Transport,
    /// `/agents/{agentId}` or `/projects/{projectId}`, ids percent-encoded.
    scope: String,
    /// The agent (or project) id, for `whoami` and messages.
    owner: String,
    cache: Mutex<Option<Cached>>,
}

/// A trimmed, non-blank setting.
fn setting(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// An id as one path segment, percent-encoded (RFC 3986 unreserved
/// characters kept), so it can add no segment, query or fragment. `.` and
/// `..` are refused: kept as they are, they would name this path's own
/// directory or its parent, and every URL parser resolves them away.
fn segment(text: &str) -> Option<String> {
    if matches!(text, "." | "..") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    Some(out)
}

/// [`segment`] for an id a person gave, refused with a clear error.
fn given_segment(id: &str, kind: &str) -> Result<String, Error> {
    segment(id).ok_or_else(|| {
        Error::InvalidInput(format!(
            "\"{}\" is not a ChatDash {kind}: \".\" and \"..\" would name another path, not an id",
            one_line(id)
        ))
    })
}

/// Checks an endpoint: an absolute http(s) URL with a host, no credentials, no query.
fn parse_endpoint(endpoint: &str) -> Result<Endpoint, Error> {
    let refuse = |why: &str| {
        Error::InvalidInput(format!(
            "the ChatDash endpoint {why}; use an http(s) URL like {DEFAULT_ENDPOINT}"
        ))
    };
    let url = Url::parse(endpoint)
        .map_err(|e| refuse(&format!("\"{}\" is not a URL ({e})", one_line(endpoint))))?;
    let host = url.host_str().filter(|h| !h.is_empty());
    match host {
        Some(host)
            if matches!(url.scheme(), "http" | "https")
                && url.username().is_empty()
                && url.password().is_none()
                && url.query().is_none()
                && url.fragment().is_none() =>
        {
            let host = match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            };
            Ok(Endpoint {
                base: url.as_str().trim_end_matches('/').to_owned(),
                host,
            })
        }
        // Not echoed: it may carry a password.
        _ => Err(refuse(
            "is not an http(s) URL with a host and without credentials or a ?query",
        )),
    }
}

impl ChatDash {
    /// A client for a config. Nothing is sent yet.
    ///
    /// # Errors
    /// [`Error::MissingKey`] without a key; [`Error::InvalidInput`] without an
    /// agent (or project) id, or for an endpoint that is not an http(s) URL.
    pub fn new(config: ChatDashConfig) -> Result<Self, Error> {
        let Some(key) = setting(config.api_key.as_deref()) else {
            return Err(Error::MissingKey { env: KEY_ENV });
        };
        let (scope, owner) = match (
            setting(config.agent_id.as_deref()),
            setting(config.project_id.as_deref()),
        ) {
            (Some(agent), _) => (
                format!("/agents/{}", given_segment(agent, "agent id")?),
                agent,
            ),
            (None, Some(project)) => (
                format!("/projects/{}", given_segment(project, "project id")?),
                project,
            ),
            (None, None) => {
                return Err(Error::InvalidInput(
                    "ChatDash needs an agent id: set agent_id in the profile".to_owned(),
                ));
            }
        };
        let endpoint = parse_endpoint(setting(Some(&config.endpoint)).unwrap_or(DEFAULT_ENDPOINT))?;
        let transport =
            Transport::new(endpoint, key, key.to_owned(), config.timeout, config.retry)?;
        Ok(Self {
            transport,
            scope,
            owner: owner.to_owned(),
            cache: Mutex::new(None),
        })
    }

    /// The endpoint requests go to, without a trailing `/`.
    #[must_use]
    pub fn endpoint(&self) -> &str {
        self.transport.base()
    }

    /// The whole array for a query: the kept one for a page not yet served
    /// from it when the server part of the query is unchanged, else a fresh
    /// fetch (kept). Page 1, and any page asked for twice, is a refresh.
    async fn rows(&self, query: &Query, page: u32) -> Result<Arc<Vec<Conversation>>, Error> {
        let asked = server_part(query);
        if page > 1
            && let Some(cached) = &mut *self.cache.lock().unwrap_or_else(PoisonError::into_inner)
            && cached.asked == asked
            && cached.served.insert(page)
        {
            return Ok(cached.rows.clone());
        }
        let params = wire_params(query, Utc::now());
        let path = format!("{}/conversations", self.scope);
        let what = format!("{} (check the agent id)", self.owner_words());
        let wire: Vec<ChatDashConversation> = self
            .transport
            .get_within(&path, &params, &what, WHOLE_LIST)
            .await?;
        let rows = Arc::new(
            wire.into_iter()
                .map(ChatDashConversation::into_conversation)
                .collect::<Vec<_>>(),
        );
        *self.cache.lock().unwrap_or_else(PoisonError::into_inner) = Some(Cached {
            asked,
            rows: rows.clone(),
            served: BTreeSet::from([page]),
        });
        Ok(rows)
    }

    fn owner_words(&self) -> String {
        let kind = if self.scope.starts_with("/agents/") {
            "agent"
        } else {
            "project"
        };
        format!("{kind} \"{}\"", one_line(&self.owner))
    }

    /// One conversation with its messages, by `ChatDash` `_id` or by the id on
    /// the original platform (`isPlatformId=true`).
    async fn fetch(&self, id: &str, by_platform_id: bool) -> Result<Conversation, Error> {
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::InvalidInput(
                "a conversation id is needed".to_owned(),
            ));
        }
        let params = if by_platform_id {
            vec![("isPlatformId", "true".to_owned())]
        } else {
            Vec::new()
        };
        let kind = if by_platform_id { "platform id" } else { "id" };
        let path = format!(
            "{}/conversations/{}",
            self.scope,
            given_segment(id, &format!("conversation {kind}"))?
        );
        let what = format!("conversation with {kind} \"{}\"", one_line(id));
        let wire: ChatDashConversation = self
            .transport
            .get_within(&path, &params, &what, RECORD)
            .await?;
        // Messages hang off ChatDash's own id, which a platform-id lookup has
        // just told us; one that is no id (blank, `..`) is passed over for the
        // id that was asked, which has just answered.
        let own = wire
            .id
            .as_deref()
            .map(str::trim)
            .filter(|own| !own.is_empty())
            .and_then(segment);
        let (messages_path, messages_params) = match own {
            Some(own) => (
                format!("{}/conversations/{own}/messages", self.scope),
                Vec::new(),
            ),
            None => (format!("{path}/messages"), params),
        };
        let messages: Vec<ChatDashMessage> = self
            .transport
            .get_within(
                &messages_path,
                &messages_params,
                &format!("messages of the {what}"),
                RECORD,
            )
            .await?;
        let mut conversation = wire.into_conversation();
        conversation.messages = Some(
            messages
                .into_iter()
                .map(ChatDashMessage::into_message)
                .collect(),
        );
        Ok(conversation)
    }

    /// One conversation by its id on the original platform (a Voiceflow
    /// transcript id, an `OpenAI` thread id, …).
    ///
    /// # Errors
    /// As [`Provider::conversation`].
    pub async fn conversation_by_platform_id(
        &self,
        platform_id: &str,
    ) -> Result<Conversation, Error> {
        self.fetch(platform_id, true).await
    }
}

/// Rows `page` (1-based) of `rows`, `page_size` a page, with the counts.
fn page_of(rows: &[Conversation], page: u32, page_size: u32) -> Page {
    let page_size = page_size.max(1);
    let total = rows.len() as u64;
    let total_pages = u32::try_from(total.div_ceil(u64::from(page_size)))
        .unwrap_or(u32::MAX)
        .max(1);
    let page = page.max(1);
    let start = usize::try_from(u64::from(page - 1) * u64::from(page_size)).unwrap_or(usize::MAX);
    let conversations = rows
        .iter()
        .skip(start)
        .take(usize::try_from(page_size).unwrap_or(usize::MAX))
        .cloned()
        .collect();
    Page {
        conversations,
        total,
        page,
        page_size,
        total_pages,
    }
}

#[async_trait]
impl Provider for ChatDash {
    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            kind: ProviderKind::ChatDash,
            host: self.transport.host().to_owned(),
        }
    }

    fn new_query(&self) -> Query {
        new_query()
    }

    /// Page 1 always asks the server (a refresh or a new query); later pages
    /// of the same query reuse the fetched array, unless the page was already
    /// served from it: asked again, it is a refresh (`r`) and is fetched anew.
    async fn list(&self, query: &Query, page: u32, page_size: u32) -> Result<Page, Error> {
        if let Some(spec) = query
            .iter()
            .find(|(spec, _, _)| !CHATDASH_FILTERS.iter().any(|s| s.key == spec.key))
        {
            return Err(Error::InvalidInput(format!(
                "{} is not a ChatDash filter",
                spec.0.key
            )));
        }
        let rows = self.rows(query, page).await?;
        Ok(match search_needle(query) {
            Some(needle) => {
                let found: Vec<Conversation> = rows
                    .iter()
                    .filter(|c| matches_search(c, &needle))
                    .cloned()
                    .collect();
                page_of(&found, page, page_size)
            }
            None => page_of(&rows, page, page_size),
        })
    }

    async fn conversation(&self, id: &ConversationRef) -> Result<Conversation, Error> {
        match id {
            ConversationRef::Platform(platform_id) => self.fetch(platform_id, true).await,
            // ChatDash ids are strings; digits typed by a person are one too.
            other => self.fetch(&other.to_string(), false).await,
        }
    }

    /// `ChatDash` has no attachments.
    async fn attachments(&self, id: &ConversationRef) -> Result<AttachmentIndex, Error> {
        Ok(AttachmentIndex {
            conversation_id: Some(id.to_string()),
            attachment_count: Some(0),
            messages: Some(Vec::new()),
            ..AttachmentIndex::default()
        })
    }

    /// `ChatDash` has no "who am I" route: the configured agent (or project) id
    /// is the name, and nothing is sent.
    async fn whoami(&self) -> Result<Identity, Error> {
        Ok(Identity {
            agent_name: Some(self.owner.clone()),
            ..Identity::default()
        })
    }

    /// No documented dashboard link.
    fn dashboard_url(&self, _conversation: &Conversation) -> Option<String> {
        None
    }
}

impl fmt::Debug for ChatDash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatDash")
            .field("transport", &self.transport)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "cd_live_0123456789abcdef0123456789";

    #[test]
    fn settings_are_checked_before_anything_is_sent() {
        let missing = ChatDash::new(ChatDashConfig::new("", None, Some("a".into()))).unwrap_err();
        assert_eq!(missing, Error::MissingKey { env: KEY_ENV });
        let no_agent = ChatDash::new(ChatDashConfig::new("", Some(KEY.into()), None)).unwrap_err();
        assert!(
            no_agent.to_string().contains("set agent_id in the profile"),
            "{no_agent}"
        );
        let bad = ChatDashConfig::new("ftp://x", Some(KEY.into()), Some("a".into()));
        assert!(matches!(ChatDash::new(bad), Err(Error::InvalidInput(_))));
        let client = ChatDash::new(ChatDashConfig::new(
            " ",
            Some(KEY.into()),
            Some("a b/c".into()),
        ))
        .unwrap();
        assert_eq!(client.endpoint(), DEFAULT_ENDPOINT);
        assert_eq!(client.scope, "/agents/a%20b%2Fc");
        assert_eq!(client.info().host, "api.chat-dash.com");
        for dots in [".", "..", " .. "] {
            let mut config = ChatDashConfig::new("", Some(KEY.into()), None);
            config.project_id = Some(dots.into());
            let err = ChatDash::new(config).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput(text) if text.contains("is not a ChatDash project id")),
                "{err}"
            );
        }
    }

    #[test]
    fn an_id_is_one_path_segment_and_never_a_dot_segment() {
        assert_eq!(segment("a/b").as_deref(), Some("a%2Fb"));
        assert_eq!(segment("../x").as_deref(), Some("..%2Fx"));
        assert_eq!(segment("%2e%2e").as_deref(), Some("%252e%252e"));
        assert_eq!(segment("...").as_deref(), Some("..."));
        assert_eq!(segment("a?b#c").as_deref(), Some("a%3Fb%23c"));
        assert_eq!(segment("."), None);
        assert_eq!(segment(".."), None);
    }

    #[test]
    fn debug_output_never_holds_the_key() {
        let config = ChatDashConfig::new("http://127.0.0.1:9", Some(KEY.into()), Some("a".into()));
        let shown = format!("{config:?} {:?}", ChatDash::new(config.clone()).unwrap());
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
    }

    #[test]
    fn pages_cover_the_rows_once() {
        let rows: Vec<Conversation> = (0..7)
            .map(|i| Conversation {
                conversation_id: Some(i.to_string()),
                ..Conversation::default()
            })
            .collect();
        let pages: Vec<Page> = (1..=3).map(|p| page_of(&rows, p, 3)).collect();
        let ids: Vec<String> = pages
            .iter()
            .flat_map(|p| p.conversations.iter().map(Conversation::display_id))
            .collect();
        assert_eq!(ids, ["0", "1", "2", "3", "4", "5", "6"]);
        assert!(pages.iter().all(|p| p.total == 7 && p.total_pages == 3));
        assert!(page_of(&rows, 4, 3).conversations.is_empty());
        assert_eq!(page_of(&[], 1, 50).total_pages, 1);
    }
}
