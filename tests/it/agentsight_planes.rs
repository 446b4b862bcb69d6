//! The `AgentSight` read planes (messages, feedback, tickets, actions, usage, spans, traces) against a stand-in server on 127.0.0.1 that answers with the documentation's example bodies and records every request line.
//!
//! Each test states the exact path and query the client must send, and what
//! it must make of the body: the live shapes, the older ones the service
//! still produces, and answers of the wrong shape. Local refusals are shown
//! to send nothing by counting requests.

// Test code: a stand-in that cannot bind or lock should fail the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::model::parse_cost;
use convo::provider::query::plane_schema;
use convo::provider::{ConversationRef, Currency, Error, Plane, Provider, Query, UsageGrouping};
use tokio::net::TcpListener;

const KEY: &str = "ags_0123456789abcdef0123456789abcdef_abc123";

// ------------------------------------------------------------ the stand-in

/// One canned answer.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
}

fn json(body: &str) -> Answer {
    Answer {
        status: 200,
        content_type: "application/json",
        body: body.to_owned(),
    }
}

fn status(status: u16, body: &str) -> Answer {
    Answer {
        status,
        ..json(body)
    }
}

fn html(body: &str) -> Answer {
    Answer {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: body.to_owned(),
    }
}

#[derive(Default)]
struct Shared {
    /// Path (or path and query) → answer; any other path is a 404 as the service gives it.
    routes: HashMap<String, Answer>,
    /// `METHOD path?query`, exactly as received.
    seen: Vec<String>,
}

struct StandIn {
    shared: Arc<Mutex<Shared>>,
    client: AgentSight,
}

impl StandIn {
    async fn start(routes: &[(&str, Answer)]) -> Self {
        let shared = Arc::new(Mutex::new(Shared {
            routes: routes
                .iter()
                .map(|(path, answer)| ((*path).to_owned(), answer.clone()))
                .collect(),
            seen: Vec::new(),
        }));
        let app = Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&shared));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let client = AgentSight::new(AgentSightConfig::new(
            format!("http://{addr}"),
            Some(KEY.to_owned()),
        ))
        .unwrap();
        Self { shared, client }
    }

    fn seen(&self) -> Vec<String> {
        self.shared.lock().unwrap().seen.clone()
    }

    fn last(&self) -> String {
        self.seen().last().cloned().unwrap_or_default()
    }
}

async fn answer(State(shared): State<Arc<Mutex<Shared>>>, method: Method, uri: Uri) -> Response {
    let mut shared = shared.lock().unwrap();
    shared.seen.push(format!("{method} {uri}"));
    // An answer for the exact path and query wins over one for the path.
    let exact = uri.path_and_query().map(ToString::to_string);
    let found = exact
        .and_then(|target| shared.routes.get(&target).cloned())
        .or_else(|| shared.routes.get(uri.path()).cloned());
    let Answer {
        status,
        content_type,
        body,
    } = found.unwrap_or_else(|| status(404, r#"{"detail":"Not found."}"#));
    (
        StatusCode::from_u16(status).unwrap(),
        [(header::CONTENT_TYPE, content_type)],
        body,
    )
        .into_response()
}

fn query(plane: Plane, pairs: &[(&str, &str)]) -> Query {
    let mut query = Query::for_plane(plane);
    query.set_all(pairs.iter().copied()).unwrap();
    query
}

// ----------------------------------------------------- the documented bodies

/// Spec §12 feedback row, promoted, as `include_tickets=true` returns it.
const FEEDBACK_PAGE: &str = r#"{"count":3,"page_size":25,"total_pages":1,"current_page":1,
 "next":null,"previous":null,
 "counts":{"all":3,"tickets":1,"open_tickets":1,"open":1},
 "results":[{"id":42,"kind":"message","agent":7,"conversation":737,"conversation_id":"wa-3859",
   "message":9001,"user":null,"environment":"production","environment_id":1,"sentiment":"negative",
   "category":null,"comment":"Wrong refund amount","topic":"refunds","reason":"wrong_answer",
   "created_at":"2026-08-17T10:32:33.305953Z",
   "ticket":{"id":57,"agent":7,"title":"Timeout in checkout","status":"open","priority":"high",
     "tags":["checkout"],"environment":"production","environment_id":1,
     "conversation":{"id":737,"conversation_id":"wa-3859","name":"Refund","environment":"production","environment_id":1},
     "feedback":{"id":42,"kind":"message","sentiment":"negative","comment":"Wrong refund amount","created_at":"2026-08-17T10:32:33.305953Z"},
     "comments":[{"id":1,"author":"triage-bot","role":"agent","body":"Reproduced on the last three runs.","created_at":"2026-08-17T11:00:00Z"}],
     "comments_count":1,"created_at":"2026-08-17T10:40:00Z","updated_at":"2026-08-17T11:00:00Z"}}]}"#;

/// Spec §13: the older feedback shape, no kind, with `source` and `metadata`.
const OLD_FEEDBACK: &str = r#"{"id":3,"conversation":12,"sentiment":"positive","source":"customer",
 "comment":"Quick answer","metadata":{"channel":"web"},"created_at":"2025-03-01T09:00:00Z"}"#;

/// Spec §13: the DRF four-key envelope.
const TICKET_PAGE: &str = r#"{"count":2,"next":"http://x/api/tickets/?page=2","previous":null,"results":[
 {"id":57,"agent":7,"title":"Timeout in checkout","status":"in_progress","priority":null,"tags":["checkout","billing"],
  "environment":"production","environment_id":1,"conversation":null,"feedback":null,"comments":[],
  "comments_count":0,"created_at":"2026-08-17T10:40:00Z","updated_at":"2026-08-17T11:00:00Z"}]}"#;

const COMMENT_PAGE: &str = r#"{"count":2,"page_size":15,"total_pages":1,"current_page":1,"next":null,"previous":null,
 "results":[{"id":1,"author":"Ops key","role":"agent","body":"Reproduced.","created_at":"2026-08-17T11:00:00Z"},
            {"id":2,"author":"dana","role":"dev","body":"Fixed in 2.3","created_at":"2026-08-17T12:00:00Z","updated_at":"2026-08-17T12:05:00Z"}]}"#;

const ACTION_PAGE: &str = r#"{"count":1,"page_size":15,"total_pages":1,"current_page":1,"next":null,"previous":null,
 "results":[{"id":4,"name":"lookup_order","display_name":"Look up order","description":"","agent":7}]}"#;

/// A live log (float duration, `action`/`message`) and an older one (integer duration, neither).
const ACTION_LOGS: &str = r#"[
 {"id":1,"action":4,"message":9001,"started_at":"2026-08-17T13:32:32.985Z","ended_at":"2026-08-17T13:32:33.135Z",
  "duration_ms":150.25,"tools_used":{"order_id":"A-17"},"response":"shipped","error_message":"","metadata":null},
 {"id":2,"started_at":"2025-01-01T00:00:00Z","duration_ms":150,"tools_used":{},"response":"","error_message":"timeout"}]"#;

/// docs/api/usage.md, verbatim.
const USAGE_SUMMARY: &str = r#"{
  "group_by": "model",
  "currency": "USD",
  "results": [
    { "group": "gpt-4o-mini-2024-07-18", "calls": 2591, "rows": 2591,
      "prompt_tokens": 207360, "completion_tokens": 116585,
      "cache_read_tokens": 103560, "cache_write_tokens": 0,
      "embedding_tokens": 0, "total_tokens": 427505,
      "cost_usd": 0.108822 },
    { "group": "gpt-4o", "calls": 1, "rows": 1,
      "prompt_tokens": 310, "completion_tokens": 74,
      "cache_read_tokens": 0, "cache_write_tokens": 0,
      "embedding_tokens": 0, "total_tokens": 384, "cost_usd": 0.001515 }
  ]
}"#;

/// Spec §12 usage rows: one priced, one whose cost is not a decimal.
const USAGE_PAGE: &str = r#"{"count":2,"page_size":15,"total_pages":1,"current_page":1,"next":null,"previous":null,"results":[
 {"id":1,"conversation":737,"conversation_id":"wa-3859","environment":"production","turn_id":"t-1","model":"gpt-4o-mini",
  "prompt_tokens":80,"completion_tokens":20,"embedding_tokens":0,"cache_read_tokens":0,"cache_write_tokens":0,
  "reasoning_tokens":0,"audio_input_tokens":0,"audio_output_tokens":0,"total_tokens":100,
  "cost_usd":"0.00005610","cost_usd_reported":null,"cost_source":"backend","calls":1,"unreported_calls":0,
  "incomplete":false,"incomplete_reason":null,"started_at":"2026-08-17T13:32:32Z","ended_at":"2026-08-17T13:32:33Z"},
 {"id":2,"model":"mystery","total_tokens":5,"cost_usd":"n/a","cost_source":"unpriced","incomplete":true,"incomplete_reason":"abandoned"}]}"#;

/// docs/api/spans.md's row, verbatim, in an envelope.
const SPAN_PAGE: &str = r#"{"count":1,"page_size":15,"total_pages":1,"current_page":1,"next":null,"previous":null,"results":[
{
  "id": 10452,
  "conversation": 737,
  "conversation_id": "wa-3859",
  "trace_id": "d332aa0112fbf31cae3dd38030161235",
  "span_id": "29d5361e042cbeb2",
  "parent_span_id": null,
  "kind": "turn",
  "name": "turn",
  "started_at": "2026-08-17T13:32:32.985597Z",
  "ended_at": "2026-08-17T13:32:32.985729Z",
  "duration_ms": 0.132,
  "status": "ok",
  "attributes": { "agentsight.conversation.id": "wa-3859", "…": "…" },
  "events": [ { "name": "agentsight.message", "attributes": { "…": "…" } } ]
}]}"#;

const SPAN_WITH_PAYLOAD: &str = r#"{"id":10452,"trace_id":"d332aa0112fbf31cae3dd38030161235","span_id":"29d5361e042cbeb2",
 "kind":"turn","name":"turn","duration_ms":0.132,"status":"ok","attributes":{},"events":[],
 "payload":{"name":"turn","started_at":"2026-08-17T13:32:32.985597+00:00",
   "otel":{"span_kind":"INTERNAL","is_remote":false,"trace_flags":1,"trace_state":"","status_description":null,
           "links":[],"dropped":{"attributes":0},"scope":{"name":"agentsight"},"resource":{"service.name":"shop"}}}}"#;

/// The documented trace: a turn holding a tool call and an LLM call.
const TRACE: &str = r#"{"trace_id":"617823595d579cb34b3988c807b0cbe6","span_count":3,"truncated":false,"roots":[
 {"id":1,"trace_id":"617823595d579cb34b3988c807b0cbe6","span_id":"aaaaaaaaaaaaaaaa","parent_span_id":null,
  "kind":"turn","name":"retry","started_at":"2026-08-17T13:32:32.000Z","duration_ms":102.219,"status":"ok",
  "children":[
   {"id":2,"span_id":"bbbbbbbbbbbbbbbb","parent_span_id":"aaaaaaaaaaaaaaaa","kind":"tool","name":"check_open_tickets",
    "started_at":"2026-08-17T13:32:32.001Z","duration_ms":100.31,"status":"ok","children":[]},
   {"id":3,"span_id":"cccccccccccccccc","parent_span_id":"aaaaaaaaaaaaaaaa","kind":"llm","name":"gpt-4o-mini",
    "started_at":"2026-08-17T13:32:32.101Z","duration_ms":1.587,"status":"ok","children":[]}]}]}"#;

/// Nodes whose parent ids disagree with the nesting (a cycle between a and
/// b) and an orphan whose parent is in no trace.
const TANGLED_TRACE: &str = r#"{"trace_id":"ab","span_count":3,"truncated":true,"roots":[
 {"id":1,"span_id":"a","parent_span_id":"b","name":"a","children":[
   {"id":2,"span_id":"b","parent_span_id":"a","name":"b","children":null}]},
 {"id":3,"span_id":"c","parent_span_id":"missing","name":"orphan","children":"not a list"}]}"#;

/// Spec §12 message with a vote, an attachment and an action log.
const MESSAGE: &str = r#"{"id":9001,"conversation":737,"timestamp":"2026-08-17T13:32:32Z","sender":"agent",
 "content":"Your order shipped.","action_name":"lookup_order","metadata":{"lang":"en"},
 "attachments":[{"id":5,"message":9001,"type":"document","filename":"invoice.pdf","mime_type":"application/pdf",
   "size_bytes":2048,"file_url":"https://files.example/invoice.pdf?sig=x"}],
 "action_logs":[{"id":1,"action":4,"message":9001,"duration_ms":150.25,"error_message":""}],
 "button":null,
 "feedback":{"id":42,"kind":"message","message":9001,"sentiment":"negative","topic":"refunds","reason":"wrong_answer"}}"#;

/// Spec §5 detail with its token usage, verbatim.
const CONVERSATION: &str = r#"{"id":737,"agent":7,"conversation_id":"wa-3859","environment":"production","environment_id":1,
 "message_count":0,"feedback_count":0,"messages":[],"feedbacks":[],"tickets":[],
 "token_usage":{"totals":{"prompt_tokens":8210,"completion_tokens":1650,"total_tokens":9860},
 "cost_usd":"0.05242500","cost_sources":["backend"],
 "models":[{"model":"claude-sonnet-4-5","cost_source":"backend","cost_usd":"0.05242500",
            "prompt_tokens":8210,"completion_tokens":1650,"total_tokens":9860}]}}"#;

const FLAT_ATTACHMENTS: &str = r#"{"conversation_id":"wa-3859","conversation":737,"attachment_count":2,"attachments":[
 {"id":5,"message":9001,"type":"document","filename":"invoice.pdf","mime_type":"application/pdf","size_bytes":2048,"file_url":"https://f/1"},
 {"id":6,"message":9002,"type":"image","filename":"photo.png","mime_type":"image/png","size_bytes":99,"file_url":"https://f/2"}]}"#;

/// Spec §13: seed 002's grouped attachments, files without `message`.
const GROUPED_ATTACHMENTS: &str = r#"{"conversation_id":"wa-1","conversation":12,"total_attachments":1,"messages":[
 {"message_id":77,"sender":"end_user","timestamp":"2025-01-01T00:00:00Z","attachments":[
   {"id":9,"type":"image","filename":"a.png","mime_type":"image/png","size_bytes":1,"file_url":"https://f/a"}]}]}"#;

/// Spec §13: `/api/me/` with slug environments and no capabilities.
const OLD_ME: &str = r#"{"agent_id":7,"agent_name":"Shop bot","role":"read","environments":["production","development"]}"#;

// ------------------------------------------------------------------ feedback

#[tokio::test]
async fn feedbacks_send_their_filters_and_read_the_gated_envelope() {
    let server = StandIn::start(&[("/api/feedbacks/", json(FEEDBACK_PAGE))]).await;
    let q = query(
        Plane::Feedbacks,
        &[
            ("kind", "message"),
            ("environment", "prod"),
            ("include_tickets", "yes"),
            ("ticket_status", "open,in_review"),
            ("conversation", "737"),
        ],
    );
    let page = server.client.feedbacks(&q, 2, 25).await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/feedbacks/?kind=message&conversation=737&env=prod&include_tickets=true\
         &ticket_status=open&ticket_status=in_review&page=2&page_size=25"
    );
    assert_eq!((page.total, page.page_size, page.total_pages), (3, 25, 1));
    assert_eq!(page.counts.as_ref().unwrap()["open_tickets"], 1);
    let row = &page.items[0];
    assert_eq!(row.kind(), "message");
    assert_eq!(
        (row.message, row.topic.as_deref(), row.reason.as_deref()),
        (Some(9001), Some("refunds"), Some("wrong_answer"))
    );
    let ticket = row.ticket.as_ref().unwrap();
    assert_eq!(ticket.title.as_deref(), Some("Timeout in checkout"));
    assert_eq!(ticket.comments()[0].role.as_deref(), Some("agent"));
    assert_eq!(
        ticket
            .conversation
            .as_ref()
            .unwrap()
            .conversation_id
            .as_deref(),
        Some("wa-3859")
    );
}

#[tokio::test]
async fn one_feedback_in_the_older_shape_reads_and_a_missing_one_is_named() {
    let server = StandIn::start(&[("/api/feedbacks/3/", json(OLD_FEEDBACK))]).await;
    let old = server.client.feedback(3).await.unwrap();
    assert_eq!(server.last(), "GET /api/feedbacks/3/");
    assert_eq!(old.kind(), "conversation", "no kind reads as conversation");
    assert_eq!(old.source.as_deref(), Some("customer"));
    assert_eq!(old.metadata.as_ref().unwrap()["channel"], "web");
    assert_eq!(old.conversation, Some(12));
    let err = server.client.feedback(4).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what, .. } if what == "feedback 4"),
        "{err}"
    );
}

// ------------------------------------------------------------------- tickets

#[tokio::test]
async fn tickets_repeat_status_keep_tags_whole_and_read_the_drf_envelope() {
    let server = StandIn::start(&[
        ("/api/tickets/", json(TICKET_PAGE)),
        ("/api/tickets/57/", json(&first_result(TICKET_PAGE))),
        ("/api/tickets/57/comments/", json(COMMENT_PAGE)),
    ])
    .await;
    let q = query(
        Plane::Tickets,
        &[
            ("status", "open,in_progress"),
            ("tags", "checkout,billing"),
            ("priority", "HIGH"),
            ("created_at_after", "2026-08-01T00:00:00Z"),
        ],
    );
    let page = server.client.tickets(&q, 1, 1).await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/tickets/?status=open&status=in_progress&priority=high&tags=checkout%2Cbilling\
         &created_at_after=2026-08-01T00%3A00%3A00Z&page=1&page_size=1"
    );
    assert_eq!((page.total, page.total_pages), (2, 2));
    assert!(page.has_next());
    let row = &page.items[0];
    assert_eq!(row.status.as_deref(), Some("in_progress"));
    assert_eq!(row.priority, None, "a null priority stays unknown");
    assert_eq!(row.tags.as_deref().unwrap(), ["checkout", "billing"]);

    let one = server.client.ticket(57).await.unwrap();
    assert_eq!(server.last(), "GET /api/tickets/57/");
    assert_eq!(one.id, Some(57));

    let thread = server.client.ticket_comments(57, 1, 15).await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/tickets/57/comments/?page=1&page_size=15"
    );
    let authors: Vec<_> = thread
        .items
        .iter()
        .map(|c| c.author.as_deref().unwrap())
        .collect();
    assert_eq!(authors, ["Ops key", "dana"]);
    assert!(thread.items[1].updated_at.is_some());

    let err = server.client.ticket_comments(58, 1, 15).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what, .. } if what == "ticket 58"),
        "{err}"
    );
    let err = server.client.ticket_comments(58, 9, 15).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what, .. } if what.contains("page 9")),
        "{err}"
    );
}

// ------------------------------------------------------------------- actions

#[tokio::test]
async fn actions_and_their_bare_array_of_logs() {
    let server = StandIn::start(&[
        ("/api/actions/", json(ACTION_PAGE)),
        ("/api/actions/4/", json(&first_result(ACTION_PAGE))),
        ("/api/actions/4/logs/", json(ACTION_LOGS)),
        ("/api/actions/5/logs/", json(r#"{"detail":"not a list"}"#)),
    ])
    .await;
    let q = query(
        Plane::Actions,
        &[("name__icontains", "order"), ("ordering", "-name")],
    );
    let page = server.client.actions(&q, 1, 500).await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/actions/?name__icontains=order&ordering=-name&page=1&page_size=100",
        "a page larger than the service allows is asked for at its limit"
    );
    assert_eq!(page.items[0].display_name.as_deref(), Some("Look up order"));
    let action = server.client.action(4).await.unwrap();
    assert_eq!(action.name.as_deref(), Some("lookup_order"));

    let logs = server.client.action_logs(4).await.unwrap();
    assert_eq!(server.last(), "GET /api/actions/4/logs/");
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0].duration_ms, Some(150.25));
    assert_eq!((logs[0].action, logs[0].message), (Some(4), Some(9001)));
    assert_eq!(
        logs[1].duration_ms,
        Some(150.0),
        "an integer duration reads"
    );
    assert_eq!(logs[1].action, None);

    let err = server.client.action_logs(5).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { detail } if detail.contains("expected a JSON array")),
        "{err}"
    );
}

// --------------------------------------------------------------------- usage

#[tokio::test]
async fn usage_rows_read_costs_as_text_and_a_bad_cost_stays_unknown() {
    let server = StandIn::start(&[("/api/token-usage/", json(USAGE_PAGE))]).await;
    let q = query(
        Plane::Usage,
        &[
            ("environment", "staging-eu"),
            ("cost_source", "unpriced"),
            ("incomplete", "no"),
        ],
    );
    let page = server.client.usage_rows(&q, 1, 15).await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/token-usage/?environment=staging-eu&cost_source=unpriced&incomplete=false&page=1&page_size=15"
    );
    let priced = &page.items[0];
    assert_eq!(priced.cost_usd.as_deref(), Some("0.00005610"));
    assert_eq!(
        parse_cost(priced.cost_usd.as_deref().unwrap()),
        Some(0.000_056_1)
    );
    assert_eq!(priced.total_tokens, Some(100));
    let odd = &page.items[1];
    assert_eq!(odd.cost_usd.as_deref(), Some("n/a"));
    assert_eq!(parse_cost(odd.cost_usd.as_deref().unwrap()), None);
    assert_eq!(odd.incomplete_reason.as_deref(), Some("abandoned"));
}

#[tokio::test]
async fn the_usage_summary_sends_its_grouping_lower_case_and_reads_numbers() {
    let server = StandIn::start(&[("/api/token-usage/summary/", json(USAGE_SUMMARY))]).await;
    let q = query(Plane::Usage, &[("model", "gpt-4o")]);
    let summary = server
        .client
        .usage_summary(&q, UsageGrouping::Day, Currency::Eur)
        .await
        .unwrap();
    assert_eq!(
        server.last(),
        "GET /api/token-usage/summary/?model=gpt-4o&group_by=day&currency=eur"
    );
    assert_eq!(summary.currency.as_deref(), Some("USD"));
    let rows = summary.results.as_deref().unwrap();
    assert_eq!(rows[0].group.as_deref(), Some("gpt-4o-mini-2024-07-18"));
    assert_eq!(rows[0].total_tokens, Some(427_505));
    assert_eq!(
        parse_cost(rows[0].cost_usd.as_deref().unwrap()),
        Some(0.108_822)
    );
    assert_eq!(rows[1].cost_eur, None, "an absent conversion stays absent");
}

// ------------------------------------------------------------ spans, traces

#[tokio::test]
async fn spans_never_ask_for_payload_and_one_span_asks_when_told() {
    let server = StandIn::start(&[
        ("/api/spans/", json(SPAN_PAGE)),
        ("/api/spans/10452/", json(SPAN_WITH_PAYLOAD)),
    ])
    .await;
    let q = query(
        Plane::Spans,
        &[
            ("kind", "button"),
            ("status", "error"),
            ("environment", "prod"),
        ],
    );
    let page = server.client.spans(&q, 3, 10).await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/spans/?kind=button&status=error&environment=prod&payload=false&page=3&page_size=10"
    );
    let row = &page.items[0];
    assert_eq!(row.duration_ms, Some(0.132));
    assert_eq!(row.parent_span_id, None);
    assert_eq!(
        row.attribute("agentsight.conversation.id").unwrap(),
        "wa-3859"
    );
    assert_eq!(
        row.events.as_ref().unwrap()[0].name.as_deref(),
        Some("agentsight.message")
    );
    assert!(row.payload.is_none());

    let whole = server.client.span(10452, true).await.unwrap();
    assert_eq!(server.last(), "GET /api/spans/10452/?payload=true");
    assert_eq!(
        whole.payload.as_ref().unwrap()["otel"]["resource"]["service.name"],
        "shop"
    );
    server.client.span(10452, false).await.unwrap();
    assert_eq!(server.last(), "GET /api/spans/10452/?payload=false");
    let err = server.client.span(1, false).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what, .. } if what == "span 1"),
        "{err}"
    );
}

#[tokio::test]
async fn a_trace_reads_as_the_documented_tree() {
    let id = "617823595d579cb34b3988c807b0cbe6";
    let server = StandIn::start(&[(&format!("/api/traces/{id}/"), json(TRACE))]).await;
    let tree = server.client.trace(&format!(" {id} ")).await.unwrap();
    assert_eq!(server.last(), format!("GET /api/traces/{id}/"));
    assert_eq!(tree.span_count, Some(3));
    assert_eq!(tree.truncated, Some(false));
    let lines: Vec<_> = tree
        .lines()
        .iter()
        .map(|l| (l.depth, l.span.name.clone().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [
            (0, "retry".to_owned()),
            (1, "check_open_tickets".to_owned()),
            (1, "gpt-4o-mini".to_owned()),
        ]
    );
    assert_eq!(tree.lines()[2].offset_ms, Some(101.0));
}

#[tokio::test]
async fn a_tangled_trace_is_laid_out_with_every_span_once() {
    let server = StandIn::start(&[("/api/traces/ab/", json(TANGLED_TRACE))]).await;
    let tree = server.client.trace("ab").await.unwrap();
    assert_eq!(tree.truncated, Some(true));
    let mut names: Vec<_> = tree
        .lines()
        .iter()
        .map(|l| l.span.name.clone().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b", "orphan"]);
    assert_eq!(tree.node_count(), 3);
}

/// A chain of `depth` spans, each the parent of the next.
fn chain_row(i: usize) -> String {
    let parent = if i == 0 {
        "null".to_owned()
    } else {
        format!("\"s{}\"", i - 1)
    };
    format!(r#"{{"id":{i},"span_id":"s{i}","parent_span_id":{parent},"name":"n{i}""#)
}

#[tokio::test]
async fn a_trace_nested_deeper_than_json_readers_follow_is_rebuilt_from_its_rows() {
    const DEPTH: usize = 150;
    let mut nested =
        format!(r#"{{"trace_id":"dee9","span_count":{DEPTH},"truncated":false,"roots":["#);
    for i in 0..DEPTH {
        nested.push_str(&chain_row(i));
        nested.push_str(r#","children":["#);
    }
    nested.push_str(&"]}".repeat(DEPTH));
    nested.push_str("]}");
    let page = |rows: std::ops::Range<usize>, number: usize| {
        let items: Vec<String> = rows.map(|i| format!("{}}}", chain_row(i))).collect();
        format!(
            r#"{{"count":{DEPTH},"page_size":100,"total_pages":2,"current_page":{number},"results":[{}]}}"#,
            items.join(",")
        )
    };
    let first = "/api/spans/?trace_id=dee9&payload=false&page=1&page_size=100";
    let second = "/api/spans/?trace_id=dee9&payload=false&page=2&page_size=100";
    let server = StandIn::start(&[
        ("/api/traces/dee9/", json(&nested)),
        (first, json(&page(0..100, 1))),
        (second, json(&page(100..DEPTH, 2))),
    ])
    .await;
    let tree = server.client.trace("dee9").await.unwrap();
    assert_eq!(
        server.seen(),
        [
            "GET /api/traces/dee9/".to_owned(),
            format!("GET {first}"),
            format!("GET {second}")
        ]
    );
    assert_eq!(tree.node_count(), DEPTH);
    let lines = tree.lines();
    assert_eq!(lines.len(), DEPTH, "every span once");
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.depth, i);
        assert_eq!(line.span.name.as_deref(), Some(format!("n{i}").as_str()));
    }
}

#[tokio::test]
async fn a_bad_trace_id_is_refused_before_sending() {
    let server = StandIn::start(&[]).await;
    for bad in ["", "../me", "4bf9 2f35", "zz", &"f".repeat(65), "ab?x=1"] {
        let err = server.client.trace(bad).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(why) if why.contains("trace id")),
            "{bad:?}: {err}"
        );
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

// ------------------------------------------------- messages, detail, older

#[tokio::test]
async fn a_message_reads_whole_and_a_missing_one_is_named() {
    let server = StandIn::start(&[("/api/track/9001/", json(MESSAGE))]).await;
    let message = server.client.message(9001).await.unwrap();
    assert_eq!(server.last(), "GET /api/track/9001/");
    assert_eq!(message.conversation, Some(737));
    assert_eq!(message.sender.as_deref(), Some("agent"));
    let vote = message.feedback.as_ref().unwrap();
    assert_eq!(
        (vote.kind(), vote.sentiment.as_deref()),
        ("message", Some("negative"))
    );
    assert_eq!(message.attachments.as_ref().unwrap()[0].message, Some(9001));
    assert_eq!(
        message.action_logs.as_ref().unwrap()[0].duration_ms,
        Some(150.25)
    );
    let err = server.client.message(999).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what, .. } if what == "message 999"),
        "{err}"
    );
    assert!(err.to_string().contains("message 999"), "{err}");
}

#[tokio::test]
async fn detail_token_usage_and_both_attachment_shapes_read() {
    let server = StandIn::start(&[
        ("/api/conversations/737/", json(CONVERSATION)),
        (
            "/api/conversations/737/attachments/",
            json(FLAT_ATTACHMENTS),
        ),
        (
            "/api/conversations/12/attachments/",
            json(GROUPED_ATTACHMENTS),
        ),
        ("/api/me/", json(OLD_ME)),
    ])
    .await;
    let conversation = server
        .client
        .conversation(&ConversationRef::Pk(737))
        .await
        .unwrap();
    assert_eq!(server.last(), "GET /api/conversations/737/?full=true");
    let usage = conversation.token_usage.as_ref().unwrap();
    assert_eq!(usage.counts().total_tokens, Some(9860));
    assert_eq!(
        usage.models()[0].model.as_deref(),
        Some("claude-sonnet-4-5")
    );
    assert!(!usage.has_unpriced());

    let flat = server
        .client
        .attachments(&ConversationRef::Pk(737))
        .await
        .unwrap();
    assert_eq!(server.last(), "GET /api/conversations/737/attachments/");
    let files: Vec<_> = flat
        .all()
        .iter()
        .map(|a| (a.message, a.filename.clone().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            (Some(9001), "invoice.pdf".to_owned()),
            (Some(9002), "photo.png".to_owned())
        ]
    );
    let grouped = server
        .client
        .attachments(&ConversationRef::Pk(12))
        .await
        .unwrap();
    let old = grouped.all();
    assert_eq!(old.len(), 1);
    assert_eq!(
        old[0].message,
        Some(77),
        "a grouped file learns its message"
    );

    let me = server.client.whoami().await.unwrap();
    let slugs: Vec<_> = me
        .environments()
        .iter()
        .map(|e| e.slug.clone().unwrap())
        .collect();
    assert_eq!(slugs, ["production", "development"]);
    assert!(me.capabilities.unwrap_or_default().is_empty());
}

// ------------------------------------------------------------- bad answers

#[tokio::test]
async fn answers_of_the_wrong_shape_are_clear_errors() {
    let server = StandIn::start(&[
        (
            "/api/feedbacks/",
            html("<html><title>Sign in</title><body>Sign in</body></html>"),
        ),
        ("/api/track/5/", json(r#"[{"id":5}]"#)),
        ("/api/tickets/", json(r#""not a page""#)),
        ("/api/traces/abcd/", json("42")),
        ("/api/token-usage/summary/", json(r#"["model"]"#)),
    ])
    .await;
    let html_err = server
        .client
        .feedbacks(&Query::for_plane(Plane::Feedbacks), 1, 15)
        .await
        .unwrap_err();
    assert!(
        matches!(&html_err, Error::Decode { detail } if detail.contains("HTML")),
        "{html_err}"
    );
    let array_err = server.client.message(5).await.unwrap_err();
    assert!(
        matches!(&array_err, Error::Decode { detail } if detail.contains("got an array")),
        "{array_err}"
    );
    let string_err = server
        .client
        .tickets(&Query::for_plane(Plane::Tickets), 1, 15)
        .await
        .unwrap_err();
    assert!(matches!(string_err, Error::Decode { .. }), "{string_err}");
    let number_err = server.client.trace("abcd").await.unwrap_err();
    assert!(
        matches!(&number_err, Error::Decode { detail } if detail.contains("got a number")),
        "{number_err}"
    );
    let summary_err = server
        .client
        .usage_summary(
            &Query::for_plane(Plane::Usage),
            UsageGrouping::Model,
            Currency::Usd,
        )
        .await
        .unwrap_err();
    assert!(matches!(summary_err, Error::Decode { .. }), "{summary_err}");
}

// ------------------------------------------------------------ local refusals

#[tokio::test]
async fn local_refusals_send_nothing() {
    let server = StandIn::start(&[]).await;
    let client = &server.client;

    // A filter of another route, in a query built for it.
    let conversations = query(Plane::Conversations, &[("device", "mobile")]);
    let err = client.feedbacks(&conversations, 1, 15).await.unwrap_err();
    assert!(err.to_string().contains("device"), "{err}");

    // Ticket filters without the gate, built where nothing checked them.
    let mut ungated = Query::for_plane(Plane::Feedbacks);
    ungated.set("has_ticket", "yes").unwrap();
    let err = client.feedbacks(&ungated, 1, 15).await.unwrap_err();
    assert!(err.to_string().contains("include_tickets"), "{err}");

    // The query refuses these as they are typed; nothing can reach the wire.
    let mut usage = Query::for_plane(Plane::Usage);
    let err = usage.set("env", "production").unwrap_err();
    assert!(
        err.to_string().contains("usage takes environment, not env"),
        "{err}"
    );
    let mut feedback = Query::for_plane(Plane::Feedbacks);
    let err = feedback.set("kind", "product").unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    let err = feedback.set("message", "12abc").unwrap_err();
    assert!(err.to_string().contains("not a positive integer"), "{err}");
    let err = feedback.set("colour", "red").unwrap_err();
    assert!(err.to_string().contains("not a filter here"), "{err}");

    // A usage query with a span filter, for the summary.
    let spans = query(Plane::Spans, &[("trace_id", "ab")]);
    let err = client
        .usage_summary(&spans, UsageGrouping::Model, Currency::Usd)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("trace_id"), "{err}");

    // Ids that are no ids.
    for err in [
        client.message(0).await.unwrap_err(),
        client.ticket(-1).await.unwrap_err(),
        client.span(0, true).await.unwrap_err(),
        client.action_logs(0).await.unwrap_err(),
    ] {
        assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[tokio::test]
async fn every_plane_has_a_query_over_its_own_schema() {
    let server = StandIn::start(&[]).await;
    for plane in [
        Plane::Conversations,
        Plane::Feedbacks,
        Plane::Tickets,
        Plane::Actions,
        Plane::Usage,
        Plane::Spans,
    ] {
        let q = server.client.plane_query(plane).unwrap();
        assert_eq!(q.plane(), Some(plane));
        assert!(std::ptr::eq(q.schema(), plane_schema(plane).0), "{plane:?}");
    }
    assert!(server.seen().is_empty());
}

/// The first row of a page, as its detail route would answer it.
fn first_result(page: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(page).unwrap();
    value["results"][0].to_string()
}

// ------------------------------------------------------- metadata discovery

#[tokio::test]
async fn metadata_discovery_reads_live_and_bare_answers() {
    let server = StandIn::start(&[
        (
            "/api/conversations/metadata-keys/",
            json(r#"{"keys":["tier","plan.name"]}"#),
        ),
        (
            "/api/conversations/message-metadata-keys/",
            json(r#"["lang"]"#),
        ),
        (
            "/api/conversations/metadata-values/",
            json(r#"{"key":"tier","values":["gold",3,null]}"#),
        ),
    ])
    .await;
    let keys = server.client.metadata_keys(false).await.unwrap();
    assert_eq!(keys, ["tier", "plan.name"]);
    assert_eq!(server.last(), "GET /api/conversations/metadata-keys/");
    let message_keys = server.client.metadata_keys(true).await.unwrap();
    assert_eq!(message_keys, ["lang"], "the older bare array reads too");
    let values = server.client.metadata_values(" tier ").await.unwrap();
    assert_eq!(
        server.last(),
        "GET /api/conversations/metadata-values/?key=tier"
    );
    assert_eq!(
        values,
        [
            serde_json::json!("gold"),
            serde_json::json!(3),
            serde_json::Value::Null
        ]
    );
    let before = server.seen().len();
    assert!(matches!(
        server.client.metadata_values("  ").await,
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(server.seen().len(), before, "a blank key sends nothing");
}

// ------------------------------------------------------- the local server

#[tokio::test]
async fn the_local_server_answers_discovery_attachments_and_identity_through_the_client() {
    let running = convo::server::spawn(
        convo::server::generate::generate(40, 7),
        convo::server::ServerConfig::default(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let client = AgentSight::new(AgentSightConfig::new(
        running.base_url(),
        Some(convo::server::DEMO_API_KEY.to_owned()),
    ))
    .unwrap();

    let me = client.whoami().await.unwrap();
    assert!(me.agent_id.is_some());
    assert!(!me.environments().is_empty());

    let keys = client.metadata_keys(false).await.unwrap();
    assert!(!keys.is_empty(), "generated conversations carry metadata");
    let mut valued = 0;
    for key in &keys {
        if !client.metadata_values(key).await.unwrap().is_empty() {
            valued += 1;
        }
    }
    assert!(valued > 0, "some of {keys:?} has values");

    let listed = client.list(&Query::agentsight(), 1, 40).await.unwrap();
    let with_files = listed
        .conversations
        .iter()
        .filter_map(|c| c.id)
        .map(ConversationRef::Pk);
    let mut seen_files = 0;
    for id in with_files {
        let index = client.attachments(&id).await.unwrap();
        let files = index.all();
        if let Some(count) = index.attachment_count {
            assert_eq!(
                usize::try_from(count).unwrap(),
                files.len(),
                "conversation {id}"
            );
        }
        seen_files += files.len();
    }
    assert!(seen_files > 0, "some generated conversation has files");
    running.shutdown().await.unwrap();
}
