//! The `AgentSight` client against a real, misbehaving HTTP server on 127.0.0.1: what it sends, and what it makes of every kind of bad answer.
//!
//! The server is raw TCP so that it can do what no framework would: answer
//! with a body shorter than its `Content-Length`, never answer, or send
//! HTML where JSON belongs. Each test scripts its answers in order; the last
//! one repeats for any further request.

// The server helpers are test code too: one that cannot bind or lock should fail the test loudly.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::http::RetryPolicy;
use convo::provider::{ConversationRef, Error, Provider, Query};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "ags_0123456789abcdef0123456789abcdef_abc123";
const SHAPE: &str = "ags_ + 32 hex + _ + 6 hex";

// ---------------------------------------------------------------- the server

/// One scripted answer.
#[derive(Clone)]
enum Step {
    /// Write these bytes, then close the connection.
    Reply(Vec<u8>),
    /// Read the request and never answer, holding the connection open.
    Hang,
    /// Write these bytes (a head and part of a body), then go silent.
    Stall(Vec<u8>),
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    /// Path and query, exactly as sent.
    target: String,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    /// When its head had been read.
    at: Instant,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Log {
    connections: usize,
    requests: Vec<Seen>,
    /// For each request, the moment just before its answer was written.
    answered_at: Vec<Instant>,
}

struct RawServer {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
}

impl RawServer {
    async fn start(script: Vec<Step>) -> Self {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Log::default()));
        let shared = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.lock().unwrap().connections += 1;
                tokio::spawn(serve(stream, script.clone(), Arc::clone(&shared)));
            }
        });
        Self { addr, log }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().requests.clone()
    }

    fn targets(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).collect()
    }

    fn connections(&self) -> usize {
        self.log.lock().unwrap().connections
    }
}

/// Reads one request head, records it, and plays the step its number picks.
async fn serve(mut stream: TcpStream, script: Vec<Step>, log: Arc<Mutex<Log>>) {
    let mut head = Vec::new();
    let mut buf = [0_u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let seen = Seen {
        method: request_line.next().unwrap_or_default().to_owned(),
        target: request_line.next().unwrap_or_default().to_owned(),
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
        at: Instant::now(),
    };
    let step = {
        let mut log = log.lock().unwrap();
        log.requests.push(seen);
        let index = (log.requests.len() - 1).min(script.len() - 1);
        log.answered_at.push(Instant::now());
        script[index].clone()
    };
    match step {
        Step::Reply(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Step::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            drop(stream);
        }
        Step::Stall(bytes) => {
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(Duration::from_secs(60)).await;
            drop(stream);
        }
    }
}

/// A whole answer. `Connection: close` keeps each request on its own
/// connection, so the script's order is the request order.
fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Step {
    let mut out = format!(
        "HTTP/1.1 {status} Scripted\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    Step::Reply(out.into_bytes())
}

fn json(status: u16, body: &str) -> Step {
    reply(status, &[("Content-Type", "application/json")], body)
}

fn raw(bytes: &str) -> Step {
    Step::Reply(bytes.as_bytes().to_vec())
}

const EMPTY_PAGE: &str = r#"{"count": 0, "page_size": 1, "total_pages": 1, "current_page": 1, "next": null, "previous": null, "results": []}"#;

// ---------------------------------------------------------------- the client

fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        attempts,
        backoff: vec![Duration::from_millis(10), Duration::from_millis(30)],
        max_retry_after: Duration::from_millis(50),
    }
}

fn config(endpoint: &str) -> AgentSightConfig {
    let mut config = AgentSightConfig::new(endpoint, Some(KEY.to_owned()));
    config.timeout = Duration::from_secs(10);
    config.retry = fast_retry(3);
    config
}

fn client(endpoint: &str) -> AgentSight {
    AgentSight::new(config(endpoint)).unwrap()
}

fn pk(n: i64) -> ConversationRef {
    ConversationRef::Pk(n)
}

fn id(text: &str) -> ConversationRef {
    ConversationRef::Id(text.to_owned())
}

/// Asserts the one-line message carries each of `words`, and no raw control character.
fn says(err: &Error, words: &[&str]) {
    let line = err.to_string();
    for word in words {
        assert!(line.contains(word), "{line:?} should contain {word:?}");
    }
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(!line.contains("0123456789abcdef"), "the key leaked: {line}");
}

// ---------------------------------------------------------------- the request as sent

#[tokio::test]
async fn list_sends_the_documented_request() {
    let page = r#"{"count": 27, "page_size": 25, "total_pages": 2, "current_page": 2, "next": null,
                   "previous": "http://x/api/conversations/?page=1",
                   "results": [{"id": 7, "conversation_id": "conv-7"}, {"id": 8, "conversation_id": "conv-8"}]}"#;
    let server = RawServer::start(vec![json(200, page)]).await;
    let mut query = Query::agentsight();
    query
        .set_all([
            ("is_marked", "yes"),
            ("has_feedback", "no"),
            ("started_at_after", "2024-01-15T10:30:00Z"),
            ("metadata", "priority:high,analysis.sentiment:positive"),
            ("search", "refund please"),
        ])
        .unwrap();
    let listed = client(&server.url()).list(&query, 2, 25).await.unwrap();

    assert_eq!(
        (
            listed.total,
            listed.page,
            listed.page_size,
            listed.total_pages
        ),
        (27, 2, 25, 2)
    );
    assert_eq!(listed.conversations.len(), 2);
    let sent = &server.requests()[0];
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.target,
        "/api/conversations/?search=refund+please&started_at_after=2024-01-15T10%3A30%3A00Z\
         &has_feedback=false&is_marked=true&metadata=priority%3Ahigh%2Canalysis.sentiment%3Apositive\
         &page=2&page_size=25&full=false"
    );
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Api-Key {KEY}").as_str())
    );
    assert_eq!(sent.header("accept"), Some("application/json"));
    let accepts = sent.headers.iter().filter(|(n, _)| n == "accept").count();
    assert_eq!(accepts, 1, "no second, default Accept: {sent:?}");
    assert!(
        sent.header("user-agent").unwrap().starts_with("convo/"),
        "{sent:?}"
    );
}

#[tokio::test]
async fn list_with_transcripts_asks_for_whole_rows_in_one_request() {
    let page = r#"{"count": 1, "results": [{"id": 7, "messages": [{"id": 1, "content": "hi"}]}]}"#;
    let server = RawServer::start(vec![json(200, page)]).await;
    let listed = client(&server.url())
        .list_with_transcripts(&Query::agentsight(), 1, 10)
        .await
        .unwrap();
    assert_eq!(
        listed.conversations[0].messages()[0].content.as_deref(),
        Some("hi")
    );
    assert_eq!(
        server.targets(),
        ["/api/conversations/?page=1&page_size=10&full=true"]
    );
}

#[tokio::test]
async fn urls_join_with_one_slash_after_a_trailing_slash_or_a_path_prefix() {
    let me = r#"{"agent_id": 12, "agent_name": "Support bot", "role": "read",
                 "environments": [{"id": 1, "slug": "production", "name": "Production", "is_production": true}]}"#;
    let server = RawServer::start(vec![json(200, me)]).await;
    for suffix in ["/", "/proxy/agentsight", "/proxy/agentsight/"] {
        let identity = client(&format!("{}{suffix}", server.url()))
            .whoami()
            .await
            .unwrap();
        assert_eq!(identity.agent_name.as_deref(), Some("Support bot"));
        assert_eq!(
            identity.environments()[0].slug.as_deref(),
            Some("production")
        );
    }
    assert_eq!(
        server.targets(),
        [
            "/api/me/",
            "/proxy/agentsight/api/me/",
            "/proxy/agentsight/api/me/"
        ]
    );
}

// ---------------------------------------------------------------- the key

#[tokio::test]
async fn a_malformed_key_is_refused_before_any_connection() {
    let server = RawServer::start(vec![json(200, "{}")]).await;
    for bad in [
        "ags_0123456789abcdef0123456789abcdef_abc12",
        "ags_0123456789abcdef0123456789abcdeZ_abc123",
        "Bearer ags_0123456789abcdef0123456789abcdef_abc123",
        "sk-something-else",
    ] {
        let mut config = config(&server.url());
        config.api_key = Some(bad.to_owned());
        let err = AgentSight::new(config).unwrap_err();
        assert!(matches!(err, Error::InvalidKey { .. }), "{err:?}");
        says(&err, &["malformed", SHAPE, "AGENTSIGHT_API_KEY"]);
        assert_eq!(err.exit_code(), 3);
    }
    tokio::task::yield_now().await;
    assert_eq!(server.connections(), 0, "nothing may reach the server");
}

#[tokio::test]
async fn a_missing_key_is_refused() {
    for key in [None, Some(String::new()), Some("  \n".to_owned())] {
        let mut config = config("http://127.0.0.1:9");
        config.api_key = key;
        let err = AgentSight::new(config).unwrap_err();
        assert_eq!(
            err,
            Error::MissingKey {
                env: "AGENTSIGHT_API_KEY"
            }
        );
        says(&err, &["AGENTSIGHT_API_KEY"]);
        assert_eq!(err.exit_code(), 3);
    }
}

#[tokio::test]
async fn an_endpoint_that_is_not_http_is_refused() {
    for endpoint in ["api.agentsight.io", "ftp://api.agentsight.io", "http://"] {
        let err = AgentSight::new(config(endpoint)).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{endpoint}: {err:?}");
        says(&err, &["endpoint", "https://api.agentsight.io"]);
        assert_eq!(err.exit_code(), 2);
    }
}

// ---------------------------------------------------------------- 4xx

#[tokio::test]
async fn a_400_field_map_is_joined_into_one_line() {
    let body = r#"{"page_size": ["Ensure this value is less than or equal to 100."], "env": ["Unknown environment."]}"#;
    let server = RawServer::start(vec![json(400, body)]).await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    says(
        &err,
        &[
            "400",
            "page_size: Ensure this value is less than or equal to 100.; env: Unknown environment.",
        ],
    );
    assert_eq!(err.exit_code(), 2);
    assert_eq!(server.requests().len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn a_400_detail_is_shown_as_said() {
    let server =
        RawServer::start(vec![json(400, r#"{"detail": "Invalid ordering field."}"#)]).await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::BadRequest {
            detail: "Invalid ordering field.".into()
        }
    );
    says(&err, &["Invalid ordering field."]);
}

#[tokio::test]
async fn escape_sequences_in_a_detail_never_reach_the_message() {
    let body = r#"{"detail": "bad \u001b[31mred\u001b[0m value\u0007\r\nsecond line"}"#;
    let server = RawServer::start(vec![json(400, body)]).await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    let line = err.to_string();
    assert!(
        !line.contains('\u{1b}') && !line.contains('\u{7}') && !line.contains('\n'),
        "{line:?}"
    );
    says(&err, &["bad ", "[31mred", "second line"]);
}

#[tokio::test]
async fn a_401_says_the_key_was_refused() {
    let server = RawServer::start(vec![json(401, r#"{"detail": "Invalid API key."}"#)]).await;
    let err = client(&server.url()).whoami().await.unwrap_err();
    assert_eq!(
        err,
        Error::Unauthorized {
            detail: "Invalid API key.".into()
        }
    );
    says(&err, &["401", "Invalid API key.", "check the key"]);
    assert_eq!(err.exit_code(), 3);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_401_about_the_subscription_says_a_new_key_will_not_help() {
    let server = RawServer::start(vec![json(
        401,
        r#"{"detail": "Agent Subscription is not active."}"#,
    )])
    .await;
    let err = client(&server.url()).whoami().await.unwrap_err();
    assert!(matches!(err, Error::SubscriptionInactive { .. }), "{err:?}");
    says(
        &err,
        &[
            "Agent Subscription is not active.",
            "a new key will not help",
        ],
    );
    assert_eq!(err.exit_code(), 3);
}

#[tokio::test]
async fn a_key_echoed_back_by_the_server_is_masked() {
    let body = format!(r#"{{"detail": "Key {KEY} is revoked."}}"#);
    let server = RawServer::start(vec![json(401, &body)]).await;
    let err = client(&server.url()).whoami().await.unwrap_err();
    says(&err, &["Key ags_…abc123 is revoked."]);
}

#[tokio::test]
async fn a_403_says_not_allowed() {
    let server = RawServer::start(vec![json(
        403,
        r#"{"detail": "This conversation belongs to another agent."}"#,
    )])
    .await;
    let err = client(&server.url())
        .conversation(&pk(5))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    says(&err, &["403", "belongs to another agent"]);
    assert_eq!(err.exit_code(), 3);
}

// ---------------------------------------------------------------- ids and 404

#[tokio::test]
async fn a_pk_that_404s_is_tried_once_as_a_string_id_then_reported() {
    let server = RawServer::start(vec![
        json(
            404,
            r#"{"detail": "No Conversation matches the given query."}"#,
        ),
        json(200, EMPTY_PAGE),
    ])
    .await;
    let err = client(&server.url())
        .conversation(&pk(123))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    says(
        &err,
        &[
            "not found",
            "conversation 123",
            "No Conversation matches the given query.",
            "\"123\"",
        ],
    );
    assert_eq!(err.exit_code(), 4);
    assert_eq!(
        server.targets(),
        [
            "/api/conversations/123/?full=true",
            "/api/conversations/?conversation_id=123&page_size=1&include_deleted=true&full=false",
        ]
    );
}

#[tokio::test]
async fn an_all_digit_business_id_is_found_after_its_pk_404s() {
    let server = RawServer::start(vec![
        json(404, r#"{"detail": "Not found."}"#),
        json(
            200,
            r#"{"count": 1, "results": [{"id": 77, "conversation_id": "20240115"}]}"#,
        ),
        json(
            200,
            r#"{"id": 77, "conversation_id": "20240115", "messages": []}"#,
        ),
    ])
    .await;
    let found = client(&server.url())
        .conversation(&pk(20_240_115))
        .await
        .unwrap();
    assert_eq!(found.id, Some(77));
    assert_eq!(server.targets()[2], "/api/conversations/77/?full=true");
}

#[tokio::test]
async fn a_string_id_is_resolved_once_then_remembered() {
    let server = RawServer::start(vec![
        json(200, r#"{"count": 1, "results": [{"id": 42, "conversation_id": "conv-abc-123"}]}"#),
        json(200, r#"{"id": 42, "conversation_id": "conv-abc-123", "name": "Support Chat"}"#),
        json(200, r#"{"id": 42, "conversation_id": "conv-abc-123", "total_attachments": 1,
                      "messages": [{"id": 101, "sender": "end_user",
                                    "attachments": [{"id": 1, "type": "image", "filename": "s.png"}]}]}"#),
    ])
    .await;
    let client = client(&server.url());
    let found = client.conversation(&id("conv-abc-123")).await.unwrap();
    assert_eq!(found.name.as_deref(), Some("Support Chat"));
    let index = client.attachments(&id("conv-abc-123")).await.unwrap();
    assert_eq!(
        index.conversation,
        Some(42),
        "the older shape's `id` is the pk"
    );
    let groups = index.messages.unwrap();
    assert_eq!(groups[0].message_id, Some(101));
    assert_eq!(
        groups[0].attachments.as_ref().unwrap()[0]
            .filename
            .as_deref(),
        Some("s.png")
    );
    assert_eq!(
        server.targets(),
        [
            "/api/conversations/?conversation_id=conv-abc-123&page_size=1&include_deleted=true&full=false",
            "/api/conversations/42/?full=true",
            "/api/conversations/42/attachments/",
        ]
    );
}

#[tokio::test]
async fn an_unknown_string_id_is_reported_by_name() {
    let server = RawServer::start(vec![json(200, EMPTY_PAGE)]).await;
    let err = client(&server.url())
        .attachments(&id("conv-missing"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    says(
        &err,
        &["not found", "\"conv-missing\"", "deleted ones included"],
    );
    assert_eq!(err.exit_code(), 4);
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------- throttling

#[tokio::test]
async fn a_429_with_retry_after_seconds_is_retried() {
    let server = RawServer::start(vec![
        reply(
            429,
            &[("Retry-After", "1"), ("Content-Type", "application/json")],
            r#"{"detail": "Request was throttled."}"#,
        ),
        json(200, r#"{"agent_id": 12}"#),
    ])
    .await;
    let identity = client(&server.url()).whoami().await.unwrap();
    assert_eq!(identity.agent_id, Some(12));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_429_with_an_http_date_is_retried() {
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let server = RawServer::start(vec![
        reply(
            429,
            &[("Retry-After", &soon)],
            r#"{"detail": "Slow down."}"#,
        ),
        json(200, r#"{"agent_id": 12}"#),
    ])
    .await;
    assert_eq!(
        client(&server.url()).whoami().await.unwrap().agent_id,
        Some(12)
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_429_forever_gives_up_throttled_with_the_servers_wait() {
    let server = RawServer::start(vec![reply(
        429,
        &[("Retry-After", "7"), ("Content-Type", "application/json")],
        r#"{"detail": "Request was throttled. Expected available in 7 seconds."}"#,
    )])
    .await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::Throttled {
            detail: "Request was throttled. Expected available in 7 seconds.".into(),
            retry_after: Some(Duration::from_secs(7)),
        }
    );
    says(
        &err,
        &["429", "Expected available in 7 seconds.", "wait 7s"],
    );
    assert_eq!(err.exit_code(), 1);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_429_holds_back_every_request_of_the_same_client() {
    // One try per request, so the second call is a fresh request, not a retry:
    // it can only have waited because the first one's 429 closed the gate.
    let server = RawServer::start(vec![
        reply(
            429,
            &[("Retry-After", "5")],
            r#"{"detail": "Request was throttled."}"#,
        ),
        json(200, r#"{"agent_id": 12}"#),
    ])
    .await;
    let gate = Duration::from_millis(400);
    let mut config = config(&server.url());
    config.retry = RetryPolicy {
        attempts: 1,
        backoff: vec![Duration::ZERO],
        max_retry_after: gate,
    };
    let client = AgentSight::new(config).unwrap();

    let first = client.whoami().await.unwrap_err();
    assert!(matches!(first, Error::Throttled { .. }), "{first:?}");
    assert_eq!(client.whoami().await.unwrap().agent_id, Some(12));

    // A lower bound only (a sleep never ends early), so no flakiness on a slow
    // machine: the second request cannot arrive before the gate opened.
    let answered = server.log.lock().unwrap().answered_at[0];
    let second = server.requests()[1].at;
    assert!(
        second.duration_since(answered) >= gate,
        "the second request did not wait"
    );
}

// ---------------------------------------------------------------- 5xx

#[tokio::test]
async fn a_503_then_200_is_retried() {
    let server = RawServer::start(vec![
        json(503, r#"{"detail": "Service temporarily unavailable."}"#),
        json(200, EMPTY_PAGE),
    ])
    .await;
    let listed = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap();
    assert_eq!(listed.total, 0);
    assert_eq!(listed.total_pages, 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_500_forever_gives_up_after_exactly_the_configured_attempts() {
    for attempts in [1, 3, 4] {
        let server = RawServer::start(vec![json(500, r#"{"error": "database is on fire"}"#)]).await;
        let mut config = config(&server.url());
        config.retry = fast_retry(attempts);
        let err = AgentSight::new(config).unwrap().whoami().await.unwrap_err();
        assert_eq!(
            err,
            Error::Server {
                status: 500,
                detail: "database is on fire".into()
            }
        );
        says(&err, &["500", "database is on fire"]);
        assert_eq!(server.requests().len(), attempts as usize);
        assert_eq!(err.exit_code(), 1);
    }
}

#[tokio::test]
async fn an_html_502_page_gives_its_title_without_tags() {
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>h1{}</style></head>\
                <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>";
    let server = RawServer::start(vec![reply(502, &[("Content-Type", "text/html")], page)]).await;
    let err = client(&server.url()).whoami().await.unwrap_err();
    assert_eq!(
        err,
        Error::Server {
            status: 502,
            detail: "502 Bad Gateway".into()
        }
    );
    says(&err, &["502 Bad Gateway"]);
    assert!(!err.to_string().contains('<'), "{err}");
    assert_eq!(server.requests().len(), 3);
}

// ---------------------------------------------------------------- bodies that are not JSON

#[tokio::test]
async fn a_200_html_page_is_a_decode_error_naming_it() {
    let page = "<html><head><title>Sign in - AgentSight</title></head><body>form</body></html>";
    let server = RawServer::start(vec![reply(
        200,
        &[("Content-Type", "text/html; charset=utf-8")],
        page,
    )])
    .await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    says(&err, &["HTML page", "text/html", "Sign in - AgentSight"]);
    assert_eq!(
        server.requests().len(),
        1,
        "a body that is not JSON is not retried"
    );
}

#[tokio::test]
async fn a_200_with_invalid_json_is_a_decode_error_quoting_it() {
    let server = RawServer::start(vec![json(200, r#"{"count": 1,, "results": []}"#)]).await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    says(
        &err,
        &["not valid JSON", "application/json", r#"{"count": 1,,"#],
    );
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_a_broken_connection() {
    let cut = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{\"count\": 3, \"resu";
    let server = RawServer::start(vec![raw(cut)]).await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
    says(&err, &["connection to 127.0.0.1:", "broke"]);
    assert_eq!(server.requests().len(), 3, "a broken GET is retried");
    assert_eq!(err.exit_code(), 1);
}

#[tokio::test]
async fn json_cut_short_without_a_length_is_a_decode_error() {
    let cut = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"count\": 3, \"results\": [{\"id\": 1";
    let server = RawServer::start(vec![raw(cut)]).await;
    let err = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    says(&err, &["ends early", "\"results\""]);
}

#[tokio::test]
async fn nulls_and_wrong_types_in_a_page_still_parse() {
    let page = r#"{"count": "3", "page_size": null, "total_pages": "x", "current_page": 1, "next": 12,
                   "results": [{"id": "7", "name": null, "is_marked": "yes", "messages": "oops",
                                "metadata": null, "started_at": 5, "geo_location": "nowhere"},
                               null,
                               {"id": 9.0, "customer_id": 1234, "feedbacks": [null, {"sentiment": 1}]}]}"#;
    let server = RawServer::start(vec![json(200, page)]).await;
    let listed = client(&server.url())
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap();
    assert_eq!(listed.total, 3);
    assert_eq!(listed.conversations.len(), 3);
    let first = &listed.conversations[0];
    assert_eq!(
        (first.id, first.is_marked, first.name.as_deref()),
        (Some(7), Some(true), None)
    );
    assert!(first.messages.is_none());
    assert_eq!(listed.conversations[2].customer_id.as_deref(), Some("1234"));
}

// ---------------------------------------------------------------- no answer

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = RawServer::start(vec![Step::Hang]).await;
    let mut config = config(&server.url());
    config.timeout = Duration::from_millis(300);
    config.retry = fast_retry(2);
    let err = AgentSight::new(config).unwrap().whoami().await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    says(&err, &["no answer from 127.0.0.1:"]);
    assert_eq!(server.requests().len(), 2, "a timeout is retried");
    assert_eq!(err.exit_code(), 1);
}

#[tokio::test]
async fn a_body_that_stalls_half_way_times_out_too() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\nConnection: close\r\n\r\n{\"count\": 3,";
    let server = RawServer::start(vec![Step::Stall(head.as_bytes().to_vec())]).await;
    let mut config = config(&server.url());
    config.timeout = Duration::from_millis(300);
    config.retry = fast_retry(1);
    let err = AgentSight::new(config)
        .unwrap()
        .list(&Query::agentsight(), 1, 10)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { .. }),
        "the timeout covers the body: {err:?}"
    );
    says(&err, &["no answer from 127.0.0.1:"]);
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let err = client(&format!("http://{addr}"))
        .whoami()
        .await
        .unwrap_err();
    match &err {
        Error::Connect { host, .. } => assert_eq!(host, &addr.to_string()),
        other => panic!("expected Connect, got {other:?}"),
    }
    says(&err, &["cannot reach", &addr.to_string(), "refused"]);
    assert_eq!(err.exit_code(), 1);
}

#[tokio::test]
async fn an_unresolvable_host_is_a_connect_error() {
    let err = client("http://nonexistent.invalid")
        .whoami()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Connect { host, .. } if host == "nonexistent.invalid"),
        "{err:?}"
    );
    says(&err, &["cannot reach nonexistent.invalid"]);
}
