//! The headless commands for the read plane (feedbacks, tickets, usage, spans, traces, actions, and the richer list/show/attachments) as a script uses them: the real `convo` binary against a stand-in server on 127.0.0.1 that answers with the documentation's example bodies.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers: a failed setup should stop the test

use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use convo::server::DEMO_API_KEY;
use serde_json::{Value, json};

/// The trace of the spans documentation: a turn whose tool call took the time.
const TRACE_ID: &str = "617823595d579cb34b3988c807b0cbe6";
/// A trace the server cut short.
const CUT_TRACE_ID: &str = "0123456789abcdef0123456789abcdef";

/// What the stand-in answers: (status, body) for a path and its query pairs.
type Answer = fn(&str, &[(String, String)]) -> (u16, Value);

/// A stand-in `AgentSight` server that records every request it is sent.
struct Stand {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct Inner {
    answer: Answer,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn handle(State(inner): State<Inner>, uri: Uri) -> impl IntoResponse {
    let url = reqwest::Url::parse(&format!("http://stand{uri}")).expect("a request URL");
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    inner.seen.lock().unwrap().push(uri.to_string());
    let (status, body) = (inner.answer)(url.path(), &pairs);
    (
        StatusCode::from_u16(status).expect("a status"),
        axum::Json(body),
    )
}

impl Stand {
    async fn start(answer: Answer) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new().fallback(handle).with_state(Inner {
            answer,
            seen: seen.clone(),
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, seen }
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    async fn convo(&self, args: &[&str]) -> Output {
        convo_at(&self.base, args).await
    }
}

async fn convo_at(endpoint: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("TZ", "UTC")
        .env_remove("AGENTSIGHT_APP_URL")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Runs a command that must succeed and returns its stdout.
async fn ok(stand: &Stand, args: &[&str]) -> (String, String) {
    let out = stand.convo(args).await;
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

fn param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// One page of `rows` as the live envelope, by the `page` and `page_size` asked.
fn envelope(rows: &[Value], pairs: &[(String, String)]) -> Value {
    let page: usize = param(pairs, "page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let size: usize = param(pairs, "page_size")
        .and_then(|p| p.parse().ok())
        .unwrap_or(15);
    let total_pages = rows.len().div_ceil(size).max(1);
    let results: Vec<Value> = rows
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .cloned()
        .collect();
    json!({"count": rows.len(), "page_size": size, "total_pages": total_pages, "current_page": page,
           "next": null, "previous": null, "results": results})
}

fn not_found() -> (u16, Value) {
    (404, json!({"detail": "Not found."}))
}

// ── the documentation's bodies ──────────────────────────────────────────────

/// The summary of the usage documentation, verbatim.
const USAGE_SUMMARY: &str = r#"{"group_by":"model","currency":"USD","results":[{"group":"gpt-4o-mini-2024-07-18","calls":2591,"rows":2591,"prompt_tokens":207360,"completion_tokens":116585,"cache_read_tokens":103560,"cache_write_tokens":0,"embedding_tokens":0,"total_tokens":427505,"cost_usd":0.108822},{"group":"gpt-4o","calls":1,"rows":1,"prompt_tokens":310,"completion_tokens":74,"cache_read_tokens":0,"cache_write_tokens":0,"embedding_tokens":0,"total_tokens":384,"cost_usd":0.001515}]}"#;

fn usage_summary() -> Value {
    serde_json::from_str(USAGE_SUMMARY).expect("the documented summary")
}

/// The same summary in euros: a rate for the first group only.
fn usage_summary_eur() -> Value {
    let mut summary = usage_summary();
    summary["currency"] = json!("EUR");
    summary["results"][0]["cost_eur"] = json!(0.100_116);
    summary
}

fn usage_rows() -> Vec<Value> {
    vec![
        json!({"id": 1, "conversation": 737, "conversation_id": "wa-3859", "environment": "production",
               "turn_id": "turn-1", "model": "gpt-4o-mini-2024-07-18", "prompt_tokens": 310, "completion_tokens": 74,
               "embedding_tokens": 0, "cache_read_tokens": 0, "cache_write_tokens": 0, "reasoning_tokens": 0,
               "audio_input_tokens": 0, "audio_output_tokens": 0, "total_tokens": 384, "cost_usd": "0.00005610",
               "cost_usd_reported": null, "cost_source": "backend", "calls": 3, "unreported_calls": 2,
               "incomplete": true, "incomplete_reason": "abandoned",
               "started_at": "2026-08-17T13:32:32.000000Z", "ended_at": "2026-08-17T13:32:33.000000Z"}),
        json!({"id": 2, "conversation": 737, "conversation_id": "wa-3859", "environment": "production",
               "turn_id": "turn-2", "model": "gpt-4o", "prompt_tokens": 310, "completion_tokens": 74,
               "total_tokens": 384, "cost_usd": "0.00000000", "cost_source": "unpriced", "calls": 1,
               "unreported_calls": 0, "incomplete": false, "incomplete_reason": null,
               "started_at": "2026-08-17T13:40:00.000000Z", "ended_at": "2026-08-17T13:40:01.000000Z"}),
    ]
}

/// The row of the spans documentation, verbatim.
fn span_row() -> Value {
    json!({
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
    })
}

fn error_span_row() -> Value {
    json!({"id": 10453, "conversation": 737, "conversation_id": "wa-3859",
           "trace_id": TRACE_ID, "span_id": "aaaaaaaaaaaaaaaa", "parent_span_id": "29d5361e042cbeb2",
           "kind": "tool", "name": "check_open_tickets", "started_at": "2026-08-17T13:32:33.001000Z",
           "ended_at": "2026-08-17T13:32:33.101310Z", "duration_ms": 100.31, "status": "error",
           "attributes": {}, "events": []})
}

/// The trace of the spans documentation: `turn retry 102.219`, its tool call
/// `check_open_tickets 100.31` and its model call `gpt-4o-mini 1.587`.
fn trace(truncated: bool) -> Value {
    let node = |span_id: &str,
                parent: Value,
                kind: &str,
                name: &str,
                ms: f64,
                status: &str,
                attributes: Value,
                children: Value| {
        json!({"id": 1, "conversation": 737, "conversation_id": "wa-3859", "trace_id": TRACE_ID,
               "span_id": span_id, "parent_span_id": parent, "kind": kind, "name": name,
               "started_at": "2026-08-17T13:32:32.000000Z", "ended_at": "2026-08-17T13:32:32.102219Z",
               "duration_ms": ms, "status": status, "attributes": attributes, "events": [], "children": children})
    };
    let tool = node(
        "b000000000000001",
        json!("a000000000000001"),
        "tool",
        "check_open_tickets",
        100.31,
        "error",
        json!({"agentsight.tool.name": "check_open_tickets", "agentsight.tool.arguments": "{\"customer\": \"c-17\"}",
               "agentsight.tool.error": "upstream timeout"}),
        json!([]),
    );
    let llm = node(
        "b000000000000002",
        json!("a000000000000001"),
        "llm",
        "gpt-4o-mini",
        1.587,
        "ok",
        json!({"gen_ai.request.model": "gpt-4o-mini"}),
        json!([]),
    );
    let turn = node(
        "a000000000000001",
        Value::Null,
        "turn",
        "retry",
        102.219,
        "ok",
        json!({"agentsight.turn.complete": false, "agentsight.turn.incomplete_reason": "deadline"}),
        json!([tool, llm]),
    );
    let trace_id = if truncated { CUT_TRACE_ID } else { TRACE_ID };
    json!({"trace_id": trace_id, "span_count": 3, "truncated": truncated, "roots": [turn]})
}

fn feedback_rows() -> Vec<Value> {
    vec![
        json!({"id": 44, "kind": "message", "agent": 3, "conversation": 737, "conversation_id": "wa-3859",
               "message": 9001, "user": null, "environment": "production", "environment_id": 1,
               "sentiment": "negative", "category": null, "comment": "Quoted the wrong refund window",
               "topic": "billing", "reason": "wrong_answer", "created_at": "2026-08-17T10:32:33.305953Z"}),
        json!({"id": 43, "kind": "conversation", "agent": 3, "conversation": 737, "conversation_id": "wa-3859",
               "message": null, "environment": "production", "environment_id": 1, "sentiment": "positive",
               "comment": "Sorted in two minutes", "topic": null, "reason": null,
               "created_at": "2026-08-16T09:00:00Z"}),
        json!({"id": 42, "kind": "agent", "agent": 3, "conversation": null, "environment": "production",
               "environment_id": 1, "sentiment": "neutral", "comment": "Slow at peak hours",
               "created_at": "2026-08-15T09:00:00Z"}),
        // The older shape: no kind, a source instead.
        json!({"id": 7, "conversation": 12, "sentiment": "negative", "source": "customer",
               "comment": "slow", "metadata": {"k": 1}, "created_at": "2024-01-15T10:35:00Z"}),
    ]
}

fn ticket() -> Value {
    json!({"id": 57, "agent": 3, "title": "Timeout in checkout", "status": "in_progress", "priority": "high",
           "tags": ["checkout"], "environment": "production", "environment_id": 1,
           "conversation": {"id": 737, "conversation_id": "wa-3859", "name": "Refund request",
                            "environment": "production", "environment_id": 1},
           "feedback": {"id": 3, "kind": "conversation", "sentiment": "negative",
                        "comment": "Never got my refund", "created_at": "2026-08-17T10:00:00Z"},
           "comments": [
               {"id": 1, "author": "ci-key", "role": "agent", "body": "Reproduced on the last three runs.",
                "created_at": "2026-08-17T11:00:00Z", "updated_at": "2026-08-17T11:00:00Z"},
               {"id": 2, "author": "Dana", "role": "dev", "body": "Raised the gateway timeout.\nWatching it.",
                "created_at": "2026-08-17T12:00:00Z", "updated_at": "2026-08-17T12:00:00Z"}],
           "comments_count": 2, "created_at": "2026-08-17T10:40:00Z", "updated_at": "2026-08-17T12:00:00Z"})
}

fn tickets() -> Vec<Value> {
    let mut second = ticket();
    second["id"] = json!(58);
    second["title"] = json!("Wrong refund window quoted");
    second["status"] = json!("open");
    second["priority"] = json!("low");
    second["comments"] = json!([]);
    second["comments_count"] = json!(0);
    let mut third = ticket();
    third["id"] = json!(59);
    third["title"] = json!("Handoff loops");
    third["conversation"] = Value::Null;
    vec![ticket(), second, third]
}

fn conversation_detail() -> Value {
    json!({"id": 737, "agent": 3, "conversation_id": "wa-3859", "name": "Refund request", "customer_id": "c-17",
           "environment": "production", "environment_id": 1, "message_count": 2, "feedback_count": 2,
           "is_marked": false, "is_deleted": false, "started_at": "2026-08-17T10:30:00Z",
           "messages": [
               {"id": 9000, "conversation": 737, "timestamp": "2026-08-17T10:30:05Z", "sender": "end_user",
                "content": "Where is my refund", "attachments": [], "action_logs": [], "feedback": null},
               {"id": 9001, "conversation": 737, "timestamp": "2026-08-17T10:30:09Z", "sender": "agent",
                "content": "Refunds take 30 days.", "action_name": "lookup_order", "attachments": [],
                "action_logs": [{"id": 5, "action": 12, "message": 9001, "duration_ms": 150.25,
                                 "tools_used": {"database": "orders_db"}, "response": "found", "error_message": ""}],
                "feedback": feedback_rows()[0]}],
           "feedbacks": [feedback_rows()[1], feedback_rows()[0]],
           "tickets": [{"id": 57, "title": "Timeout in checkout", "status": "in_progress", "priority": "high",
                        "tags": ["checkout"], "created_at": "2026-08-17T10:40:00Z", "updated_at": "2026-08-17T12:00:00Z",
                        "comments": ticket()["comments"]}],
           "token_usage": {"totals":{"prompt_tokens":8210,"completion_tokens":1650,"total_tokens":9860},
                           "cost_usd":"0.05242500","cost_sources":["backend"],
                           "models":[{"model":"claude-sonnet-4-5","cost_source":"backend","cost_usd":"0.05242500",
                                      "prompt_tokens":8210,"completion_tokens":1650,"total_tokens":9860}]}})
}

fn lean_rows() -> Vec<Value> {
    let mut lean = conversation_detail();
    for key in ["messages", "feedbacks", "tickets", "token_usage"] {
        lean.as_object_mut().unwrap().remove(key);
    }
    let older = json!({"id": 12, "conversation_id": "conv-older", "name": "Older row", "is_favorite": true,
                       "started_at": "2024-01-15T10:30:00Z"});
    vec![lean, older]
}

/// Routes the stand-in knows, answering with the bodies above.
fn answer(path: &str, q: &[(String, String)]) -> (u16, Value) {
    match path {
        "/api/feedbacks/" => {
            let rows: Vec<Value> = feedback_rows()
                .into_iter()
                .filter(|r| param(q, "sentiment").is_none_or(|s| r["sentiment"] == s))
                .collect();
            let mut page = envelope(&rows, q);
            page["counts"] = json!({"all": rows.len()});
            (200, page)
        }
        "/api/tickets/" => (200, envelope(&tickets(), q)),
        "/api/tickets/57/" => (200, ticket()),
        "/api/token-usage/summary/" => match param(q, "currency") {
            Some("eur") => (200, usage_summary_eur()),
            _ => (200, usage_summary()),
        },
        "/api/token-usage/" => {
            let rows: Vec<Value> = usage_rows()
                .into_iter()
                .filter(|r| param(q, "cost_source").is_none_or(|s| r["cost_source"] == s))
                .collect();
            (200, envelope(&rows, q))
        }
        "/api/spans/" => (200, envelope(&[span_row(), error_span_row()], q)),
        "/api/actions/" => (
            200,
            envelope(
                &[
                    json!({"id": 12, "name": "lookup_order", "display_name": "Look up an order",
                           "description": "Finds an order by its number", "agent": 3}),
                    json!({"id": 13, "name": "check_open_tickets", "display_name": "check_open_tickets",
                           "description": "", "agent": 3}),
                ],
                q,
            ),
        ),
        "/api/actions/12/logs/" => (
            200,
            json!([
                {"id": 5, "action": 12, "message": 9001, "started_at": "2026-08-17T10:30:08.000Z",
                 "ended_at": "2026-08-17T10:30:08.150Z", "duration_ms": 150.25, "tools_used": {},
                 "response": "found", "error_message": "", "metadata": null},
                {"id": 6, "action": 12, "message": 9002, "started_at": "2026-08-17T11:00:00.000Z",
                 "ended_at": "2026-08-17T11:00:02.500Z", "duration_ms": 2500.0, "tools_used": {},
                 "response": "", "error_message": "upstream timeout", "metadata": null}
            ]),
        ),
        "/api/conversations/" => {
            let rows: Vec<Value> = lean_rows()
                .into_iter()
                .filter(|r| param(q, "conversation_id").is_none_or(|id| r["conversation_id"] == id))
                .collect();
            (200, envelope(&rows, q))
        }
        "/api/conversations/737/" => (200, conversation_detail()),
        "/api/conversations/737/attachments/" => (
            200,
            json!({"conversation_id": "wa-3859", "conversation": 737, "attachment_count": 1,
                   "attachments": [{"id": 3, "message": 9000, "type": "image", "filename": "receipt.png",
                                    "mime_type": "image/png", "size_bytes": 245_680,
                                    "file_url": "https://cdn.agentsight.io/files/receipt.png"}]}),
        ),
        p if p == format!("/api/traces/{TRACE_ID}/") => (200, trace(false)),
        p if p == format!("/api/traces/{CUT_TRACE_ID}/") => (200, trace(true)),
        _ => not_found(),
    }
}

/// A document with its `null` members left out, as a record that keeps
/// only what was said prints it.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Every line but the heading holds real values: no `?` stands in for one.
fn assert_no_unknowns(text: &str) {
    assert!(
        !text.contains('?'),
        "a value the record holds was shown as unknown:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn feedbacks_show_every_kind_with_the_tallies() {
    let stand = Stand::start(answer).await;
    let (table, note) = ok(&stand, &["feedbacks"]).await;
    assert_no_unknowns(&table);
    for expected in [
        "☹ negative",
        "☺ positive",
        "· neutral",
        "wa-3859",
        "9001",
        "billing/wrong_answer",
        "Quoted the wrong refund window",
        "message",
        "agent",
        "conversation · customer",
        "2026-08-17 10:32",
    ] {
        assert!(table.contains(expected), "missing {expected:?} in\n{table}");
    }
    assert!(note.contains("4 feedback"), "{note}");
    assert!(note.contains("counts: all 4"), "{note}");

    let (json, _) = ok(
        &stand,
        &["feedbacks", "--sentiment", "negative", "--format", "json"],
    )
    .await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["counts"]["all"], 2);
    assert_eq!(doc["results"][0]["topic"], "billing");
    assert!(
        stand
            .requests()
            .iter()
            .any(|r| r.contains("sentiment=negative")),
        "{:?}",
        stand.requests()
    );

    let (lines, _) = ok(&stand, &["feedbacks", "--format", "jsonl"]).await;
    let rows: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3]["source"], "customer", "the older shape is kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn tickets_list_and_one_ticket_with_its_whole_thread() {
    let stand = Stand::start(answer).await;
    let (table, note) = ok(&stand, &["tickets"]).await;
    for expected in [
        "in_progress",
        "high",
        "Timeout in checkout",
        "wa-3859",
        "2026-08-17 12:00",
    ] {
        assert!(table.contains(expected), "missing {expected:?} in\n{table}");
    }
    assert_no_unknowns(&table);
    assert!(note.contains("3 tickets · page 1/1"), "{note}");

    let (all, _) = ok(
        &stand,
        &["tickets", "--all", "--page-size", "2", "--format", "jsonl"],
    )
    .await;
    assert_eq!(all.lines().count(), 3, "both pages:\n{all}");

    let (text, _) = ok(&stand, &["ticket", "show", "57"]).await;
    assert_no_unknowns(&text);
    for expected in [
        "#57 Timeout in checkout",
        "in_progress",
        "wa-3859 (pk 737) · Refund request",
        "#3 · conversation · ☹ negative",
        "Never got my refund",
        "── thread (2 comments) ──",
        "ci-key (agent) · 2026-08-17 11:00:00",
        "    Reproduced on the last three runs.",
        "Dana (dev) · 2026-08-17 12:00:00",
        "    Raised the gateway timeout.\n    Watching it.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let (json, _) = ok(&stand, &["ticket", "show", "57", "--format", "json"]).await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["comments"][1]["author"], "Dana");

    let missing = stand.convo(&["ticket", "show", "999"]).await;
    assert_eq!(code(&missing), 4, "{}", stderr(&missing));
    assert!(stdout(&missing).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_usage_summary_prints_the_documented_figures_and_flags_unpriced_models() {
    let stand = Stand::start(answer).await;
    let (table, note) = ok(&stand, &["usage"]).await;
    assert_no_unknowns(&table);
    for expected in [
        "gpt-4o-mini-2024-07-18",
        "2591",
        "207360",
        "116585",
        "427505",
        "$0.108822",
        "384",
    ] {
        assert!(table.contains(expected), "missing {expected:?} in\n{table}");
    }
    let gpt4o = table
        .lines()
        .find(|l| l.starts_with("gpt-4o "))
        .expect("the gpt-4o group");
    assert!(gpt4o.contains("$0.001515 + not priced"), "{gpt4o}");
    let mini = table
        .lines()
        .find(|l| l.starts_with("gpt-4o-mini"))
        .expect("the mini group");
    assert!(!mini.contains("not priced"), "{mini}");
    assert!(note.contains("2 groups by model"), "{note}");

    let (eur, _) = ok(&stand, &["usage", "--currency", "eur"]).await;
    assert!(eur.contains("€0.100116 ($0.108822)"), "{eur}");
    assert!(eur.contains("not converted ($0.001515)"), "{eur}");
    assert!(!eur.contains("€0 "), "a missing rate is never zero:\n{eur}");

    let (json, _) = ok(&stand, &["usage", "--format", "json"]).await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["results"][0]["total_tokens"], 427_505);
    assert_eq!(doc["group_by"], "model");

    let (rows, _) = ok(&stand, &["usage", "--rows"]).await;
    for expected in [
        "turn-1",
        "$0.00005610",
        "backend",
        "2 unreported calls (tokens unknown)",
        "incomplete: abandoned",
        "not priced",
        "unpriced",
    ] {
        assert!(rows.contains(expected), "missing {expected:?} in\n{rows}");
    }
    assert_no_unknowns(&rows);
    let requests = stand.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.contains("summary") && r.contains("group_by=model")),
        "{requests:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn spans_of_one_conversation_by_id_or_pk() {
    let stand = Stand::start(answer).await;
    let (table, note) = ok(&stand, &["spans", "wa-3859", "--kind", "turn"]).await;
    assert_no_unknowns(&table);
    for expected in [
        "2026-08-17 13:32:32.985",
        "turn",
        "0.132 ms",
        "ok",
        "d332aa0112fbf31cae3dd38030161235",
        "10452",
        "100.31 ms",
        "✗ error",
    ] {
        assert!(table.contains(expected), "missing {expected:?} in\n{table}");
    }
    assert!(note.contains("2 spans"), "{note}");
    let (json, _) = ok(&stand, &["spans", "737", "--format", "json"]).await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["results"][0]["duration_ms"], 0.132);
    let requests = stand.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.contains("conversation_id=wa-3859") && r.contains("kind=turn")),
        "{requests:?}"
    );
    assert!(
        requests.iter().any(|r| r.contains("conversation=737")),
        "{requests:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trace_prints_as_a_waterfall_and_says_when_it_is_cut() {
    let stand = Stand::start(answer).await;
    let (text, _) = ok(&stand, &["trace", TRACE_ID]).await;
    assert_no_unknowns(&text);
    for expected in [
        &format!("trace {TRACE_ID} · 3 spans")[..],
        "| turn retry · 102.219 ms · incomplete: deadline\n",
        "|   tool check_open_tickets · 100.31 ms · ✗ error · args {\"customer\": \"c-17\"} · error: upstream timeout\n",
        "|   llm gpt-4o-mini · 1.587 ms\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("truncated"));

    let (cut, _) = ok(&stand, &["trace", CUT_TRACE_ID]).await;
    assert!(
        cut.contains(&format!(
            "convo spans wa-3859 --trace-id {CUT_TRACE_ID} --all"
        )),
        "{cut}"
    );

    let (json, _) = ok(&stand, &["trace", TRACE_ID, "--format", "json"]).await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc, without_nulls(trace(false)), "the tree as received");

    let missing = stand
        .convo(&["trace", "ffffffffffffffffffffffffffffffff"])
        .await;
    assert_eq!(code(&missing), 4, "{}", stderr(&missing));
}

#[tokio::test(flavor = "multi_thread")]
async fn actions_and_the_runs_of_one() {
    let stand = Stand::start(answer).await;
    let (table, note) = ok(&stand, &["actions"]).await;
    for expected in [
        "lookup_order",
        "Look up an order",
        "Finds an order by its number",
        "check_open_tickets",
    ] {
        assert!(table.contains(expected), "missing {expected:?} in\n{table}");
    }
    assert!(note.contains("2 actions"), "{note}");
    let (runs, note) = ok(&stand, &["actions", "--logs", "12"]).await;
    assert_no_unknowns(&runs);
    for expected in ["150.25 ms", "✓", "✗", "upstream timeout", "2.5 s", "9001"] {
        assert!(runs.contains(expected), "missing {expected:?} in\n{runs}");
    }
    assert!(note.contains("2 runs of action 12 · 1 failed"), "{note}");
    let (json, _) = ok(&stand, &["actions", "--logs", "12", "--format", "json"]).await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc[0]["duration_ms"], 150.25);
}

#[tokio::test(flavor = "multi_thread")]
async fn list_show_and_attachments_carry_the_new_fields() {
    let stand = Stand::start(answer).await;
    let (list, _) = ok(&stand, &["list"]).await;
    let heading = list.lines().next().unwrap_or_default();
    assert!(
        heading.contains("msgs") && heading.contains("fb"),
        "{heading}"
    );
    let lean = list
        .lines()
        .find(|l| l.contains("wa-3859"))
        .expect("the lean row");
    assert!(lean.contains("  2  "), "counts from the lean row: {lean}");
    assert!(!lean.contains('?'), "{lean}");
    let older = list
        .lines()
        .find(|l| l.contains("conv-older"))
        .expect("the older row");
    assert!(older.contains('?'), "an older row without counts: {older}");

    let (text, _) = ok(&stand, &["show", "wa-3859"]).await;
    assert_no_unknowns(&text);
    for expected in [
        "⚙ lookup_order · 150.25 ms · ✓",
        "☹ vote negative · topic billing · reason wrong_answer · \"Quoted the wrong refund window\"",
        "☺ positive · conversation",
        "#57 Timeout in checkout · in_progress · high · checkout",
        "ci-key (agent) · 2026-08-17 11:00:00",
        "Reproduced on the last three runs.",
        "8210 in · 1650 out · 9860 total",
        "claude-sonnet-4-5",
        "$0.05242500",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let (md, _) = ok(&stand, &["show", "737", "--format", "markdown"]).await;
    assert!(md.contains("> ☹ vote negative"), "{md}");
    assert!(md.contains("  - Dana (dev)"), "{md}");

    let (files, note) = ok(&stand, &["attachments", "737"]).await;
    assert!(
        files.contains("9000     📷 image  receipt.png  image/png  240 KB"),
        "{files}"
    );
    assert!(note.starts_with("1 attachment ·"), "{note}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_any_request() {
    let stand = Stand::start(answer).await;
    let cases: [(&[&str], &str); 10] = [
        (&["usage", "--page", "2"], "add --rows"),
        (
            &["actions", "--logs", "12", "--all"],
            "--logs lists every run",
        ),
        (&["ticket", "show", "abc"], "invalid value 'abc'"),
        (&["feedbacks", "--no-such-flag"], "unexpected argument"),
        (
            &["feedbacks", "--sentiment", "angry"],
            "is not one of positive, neutral, negative",
        ),
        (&["feedbacks", "--kind", "product"], "product"),
        (&["tickets", "--conversation", "abc"], "conversation"),
        (&["spans", "wa-3859", "--status", "broken"], "is not one of"),
        (&["usage", "--group-by", "week"], "invalid value 'week'"),
        (
            &["usage", "--started-at-after", "last tuesday"],
            "is not a date",
        ),
    ];
    for (args, reason) in cases {
        let out = stand.convo(args).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(reason), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "nothing on stdout for {args:?}");
    }
    assert!(
        stand.requests().is_empty(),
        "no request for bad input: {:?}",
        stand.requests()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_server_is_one_line_and_exit_1() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    for args in [
        &["feedbacks"][..],
        &["usage"],
        &["spans", "wa-3859"],
        &["trace", TRACE_ID],
    ] {
        let out = convo_at(&endpoint, args).await;
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot reach 127.0.0.1"),
            "{}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_results_are_still_valid_json() {
    fn empty(path: &str, q: &[(String, String)]) -> (u16, Value) {
        match path {
            "/api/token-usage/summary/" => (
                200,
                json!({"group_by": "model", "currency": "USD", "results": []}),
            ),
            p if p.starts_with("/api/") && p.matches('/').count() == 3 => (200, envelope(&[], q)),
            _ => not_found(),
        }
    }
    let stand = Stand::start(empty).await;
    for args in [
        &["feedbacks", "--format", "json"][..],
        &["tickets", "--format", "json"],
        &["usage", "--format", "json"],
        &["usage", "--rows", "--format", "json"],
        &["spans", "wa-3859", "--format", "json"],
        &["actions", "--format", "json"],
    ] {
        let (json, _) = ok(&stand, args).await;
        let doc: Value = serde_json::from_str(&json).expect("valid JSON even when empty");
        assert_eq!(doc["results"], json!([]), "{args:?}");
    }
    let (table, note) = ok(&stand, &["feedbacks"]).await;
    assert!(table.starts_with("id"), "{table}");
    assert!(note.contains("none match"), "{note}");
}

#[tokio::test(flavor = "multi_thread")]
async fn older_shapes_still_print() {
    fn older(path: &str, q: &[(String, String)]) -> (u16, Value) {
        match path {
            // Summary costs as decimal strings; the DRF envelope of four keys.
            "/api/token-usage/summary/" => (
                200,
                json!({"group_by": "model", "currency": "USD",
                       "results": [{"group": "gpt-4o", "calls": 1, "rows": 1, "prompt_tokens": 310,
                                    "completion_tokens": 74, "total_tokens": 384, "cost_usd": "0.001515"}]}),
            ),
            "/api/token-usage/" => (
                200,
                json!({"count": 0, "next": null, "previous": null, "results": []}),
            ),
            "/api/feedbacks/" => (
                200,
                json!({"count": 1, "next": null, "previous": null,
                       "results": [feedback_rows()[3]]}),
            ),
            "/api/conversations/" => (
                200,
                envelope(&[json!({"id": 12, "conversation_id": "conv-older"})], q),
            ),
            "/api/conversations/12/attachments/" => (
                200,
                json!({"conversation_id": "conv-older", "conversation": 12, "total_attachments": 2,
                       "messages": [{"message_id": 5, "sender": "end_user", "timestamp": "2024-01-15T10:30:00Z",
                                     "attachments": [{"type": "document", "filename": "a.pdf", "size_bytes": 10},
                                                     {"type": "image", "filename": "b.png", "size_bytes": 20}]}]}),
            ),
            _ => not_found(),
        }
    }
    let stand = Stand::start(older).await;
    let (summary, _) = ok(&stand, &["usage"]).await;
    assert!(summary.contains("$0.001515"), "{summary}");
    assert_no_unknowns(&summary);
    let (feedback, note) = ok(&stand, &["feedbacks"]).await;
    assert!(feedback.contains("conversation · customer"), "{feedback}");
    assert!(note.contains("1 feedback · page 1/1"), "{note}");
    let (files, note) = ok(&stand, &["attachments", "conv-older"]).await;
    assert!(files.contains("5        📄 document  a.pdf"), "{files}");
    assert!(note.starts_with("2 attachments ·"), "{note}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_stops_at_its_ceiling_and_says_so() {
    /// A server that claims a million tickets and makes up every page asked for.
    fn endless(path: &str, q: &[(String, String)]) -> (u16, Value) {
        if path != "/api/tickets/" {
            return not_found();
        }
        let page: u64 = param(q, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let size: u64 = param(q, "page_size")
            .and_then(|p| p.parse().ok())
            .unwrap_or(15);
        let results: Vec<Value> = (0..size)
            .map(|i| json!({"id": (page - 1) * size + i + 1, "title": "t", "status": "open"}))
            .collect();
        (
            200,
            json!({"count": 1_000_000, "page_size": size, "total_pages": 1_000_000 / size,
                   "current_page": page, "next": null, "previous": null, "results": results}),
        )
    }
    let stand = Stand::start(endless).await;
    let (lines, note) = ok(
        &stand,
        &[
            "tickets",
            "--all",
            "--page-size",
            "100",
            "--format",
            "jsonl",
        ],
    )
    .await;
    assert_eq!(lines.lines().count(), convo::cli::paging::ALL_CEILING);
    assert!(
        note.contains("stopped at 5000 rows (the --all ceiling)"),
        "JSONL rows on stdout, the ceiling said on stderr: {note}"
    );
    let (json, _) = ok(
        &stand,
        &["tickets", "--all", "--page-size", "100", "--format", "json"],
    )
    .await;
    let doc: Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["truncated"], true);
    assert_eq!(doc["count"], 1_000_000);
    let (_, note) = ok(&stand, &["tickets", "--all", "--page-size", "100"]).await;
    assert!(
        note.contains("stopped at 5000 rows (the --all ceiling)"),
        "{note}"
    );
    assert!(
        stand.requests().len() <= 3 * 50,
        "no page past the ceiling is asked for"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_from_the_data_reaches_the_terminal_as_a_control() {
    const HOSTILE: &str = "x\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}y";
    fn hostile(path: &str, q: &[(String, String)]) -> (u16, Value) {
        let h = HOSTILE;
        match path {
            "/api/feedbacks/" => {
                let mut page = envelope(
                    &[
                        json!({"id": 1, "kind": h, "sentiment": h, "conversation_id": h,
                             "topic": h, "reason": h, "comment": h, "created_at": h}),
                    ],
                    q,
                );
                page["counts"] = json!({h: h});
                (200, page)
            }
            "/api/tickets/1/" => (
                200,
                json!({"id": 1, "title": h, "status": h, "priority": h, "tags": [h],
                       "conversation": {"id": 2, "conversation_id": h, "name": h},
                       "feedback": {"id": 3, "kind": h, "sentiment": h, "comment": h},
                       "comments": [{"author": h, "role": h, "body": format!("{h}\n{h}"),
                                     "created_at": h, "updated_at": "2026-08-17T11:00:00Z"}],
                       "created_at": h, "updated_at": h}),
            ),
            "/api/spans/" => (
                200,
                envelope(
                    &[
                        json!({"id": 1, "kind": h, "name": h, "status": h, "trace_id": h, "started_at": h}),
                    ],
                    q,
                ),
            ),
            "/api/traces/0123456789abcdef0123456789abcdef/" => (
                200,
                json!({"trace_id": h, "truncated": true, "roots": [
                    {"kind": "tool", "name": h, "conversation_id": h, "status": "error",
                     "attributes": {"agentsight.tool.name": h, "agentsight.tool.arguments": h,
                                    "agentsight.tool.error": h, "agentsight.turn.complete": false,
                                    "agentsight.turn.incomplete_reason": h}}]}),
            ),
            "/api/token-usage/summary/" => (
                200,
                json!({"group_by": h, "results": [{"group": h, "cost_usd": h, "cost_eur": h}]}),
            ),
            "/api/token-usage/" => (
                200,
                envelope(
                    &[
                        json!({"model": h, "turn_id": h, "cost_usd": h, "cost_source": h,
                             "incomplete": true, "incomplete_reason": h}),
                    ],
                    q,
                ),
            ),
            "/api/actions/" => (
                200,
                envelope(
                    &[json!({"id": 1, "name": h, "display_name": h, "description": h})],
                    q,
                ),
            ),
            "/api/actions/1/logs/" => (200, json!([{"error_message": h, "started_at": h}])),
            _ => not_found(),
        }
    }
    let stand = Stand::start(hostile).await;
    for args in [
        &["feedbacks"][..],
        &["ticket", "show", "1"],
        &["spans", "c"],
        &["trace", CUT_TRACE_ID],
        &["usage"],
        &["usage", "--currency", "eur"],
        &["usage", "--rows"],
        &["actions"],
        &["actions", "--logs", "1"],
    ] {
        let out = stand.convo(args).await;
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        for (name, text) in [("stdout", stdout(&out)), ("stderr", stderr(&out))] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?} let a control through on {name}: {text:?}"
            );
        }
        assert!(
            stdout(&out).contains('␛'),
            "{args:?} shows the escape as a visible stand-in: {}",
            stdout(&out)
        );
    }
}
