//! The local server's derived planes through real HTTP: token usage and its summary, spans and traces, actions and their logs — their shapes, filters and pages, and that every projection agrees with the conversations it comes from.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers as well as tests stop on the first surprise
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)] // small counts and costs in test arithmetic

use crate::support::common;

use std::collections::{BTreeMap, HashMap, HashSet};

use convo::provider::model::Conversation;
use convo::server::{RunningServer, ServerConfig};
use serde_json::{Value, json};

/// Hand-built conversations with the shapes generated data never has.
fn odd_records() -> Vec<Value> {
    vec![
        // The older flat token_usage shape, with an empty by_model.
        json!({
            "id": 9001, "conversation_id": "legacy-usage", "environment": "staging",
            "started_at": "2024-03-01T09:00:00Z",
            "messages": [
                {"id": 1, "sender": "end_user", "content": "hello", "timestamp": "2024-03-01T09:00:00Z"},
                {"id": 2, "sender": "agent", "content": "hi", "timestamp": "2024-03-01T09:00:04Z"},
                {"id": 3, "sender": "end_user", "content": "refund?", "timestamp": "2024-03-01T09:01:00Z"},
                {"id": 4, "sender": "agent", "content": "checking", "timestamp": "2024-03-01T09:01:03Z",
                 "action_name": "lookup_order",
                 "action_logs": [
                    {"started_at": "2024-03-01T09:01:01Z", "duration_ms": 150.25,
                     "tools_used": {"orders": "A-1"}, "response": "found", "error_message": ""},
                    {"started_at": "2024-03-01T09:01:02Z", "duration_ms": 99,
                     "tools_used": {"orders": "A-1"}, "error_message": "upstream timeout after 90 ms"}]}
            ],
            "token_usage": {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15,
                            "cost_usd": "0.0012", "cost_sources": ["backend"], "by_model": []}
        }),
        // No usage recorded: token_usage stays null and there are no rows.
        json!({
            "id": 9002, "conversation_id": "no-usage", "environment": "production",
            "started_at": "2024-03-02T09:00:00Z", "token_usage": null,
            "messages": [{"id": 5, "sender": "end_user", "content": "anyone?", "timestamp": "2024-03-02T09:00:00Z"}]
        }),
        // Hostile values everywhere: nothing may crash.
        json!({
            "id": 9003, "conversation_id": "hostile", "started_at": "yesterday-ish",
            "messages": [
                {"id": 6, "sender": null, "content": null, "timestamp": "not a date"},
                {"id": 7, "sender": "agent", "action_name": "", "timestamp": 42,
                 "action_logs": [{"duration_ms": "abc", "tools_used": null, "error_message": null}]}
            ],
            "token_usage": {"models": [{"model": null, "prompt_tokens": -5, "completion_tokens": "7",
                                        "cost_usd": "lots", "cost_source": "backend"}]}
        }),
        // Usage but no messages at all.
        json!({
            "id": 9004, "conversation_id": "silent", "environment": "development",
            "started_at": "2024-03-03T09:00:00Z",
            "token_usage": {"totals": {"prompt_tokens": 7, "total_tokens": 7}, "cost_usd": "0.00000070",
                            "cost_sources": ["reported"],
                            "models": [{"model": "m-1", "cost_source": "reported", "cost_usd": "0.00000070", "prompt_tokens": 7, "total_tokens": 7}]}
        }),
    ]
}

fn conversations() -> Vec<Conversation> {
    let mut all = convo::server::generate::generate(60, 11);
    all.extend(common::conversations(&odd_records()));
    all
}

async fn server() -> RunningServer {
    common::start(conversations(), ServerConfig::default()).await
}

async fn ok(server: &RunningServer, path: &str) -> Value {
    let (status, body) = common::get(server, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// Every row of a paged list, walking pages of 100.
async fn all_rows(server: &RunningServer, path: &str) -> Vec<Value> {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut rows = Vec::new();
    let mut page = 1;
    loop {
        let body = ok(server, &format!("{path}{join}page_size=100&page={page}")).await;
        let results = body["results"].as_array().unwrap();
        rows.extend(results.iter().cloned());
        if body["next"].is_null() {
            assert_eq!(
                body["count"].as_u64().unwrap() as usize,
                rows.len(),
                "{path}"
            );
            return rows;
        }
        page += 1;
    }
}

/// A decimal cost in units of 1e-8, exactly.
fn units(text: &str) -> i64 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut fraction = fraction.to_owned();
    assert!(fraction.len() <= 8, "{text}");
    while fraction.len() < 8 {
        fraction.push('0');
    }
    whole.parse::<i64>().unwrap() * 100_000_000 + fraction.parse::<i64>().unwrap()
}

fn pk_of(c: &Conversation) -> i64 {
    c.id.unwrap()
}

const TOKEN_COLUMNS: [&str; 5] = [
    "prompt_tokens",
    "completion_tokens",
    "embedding_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
];

#[tokio::test]
async fn usage_rows_sum_exactly_to_each_conversations_token_usage() {
    let server = server().await;
    let rows = all_rows(&server, "/api/token-usage/").await;
    assert!(!rows.is_empty());
    let mut by_conversation: BTreeMap<i64, Vec<&Value>> = BTreeMap::new();
    for row in &rows {
        by_conversation
            .entry(row["conversation"].as_i64().unwrap())
            .or_default()
            .push(row);
        assert_eq!(
            row["total_tokens"].as_i64().unwrap(),
            TOKEN_COLUMNS
                .iter()
                .map(|c| row[c].as_i64().unwrap())
                .sum::<i64>()
        );
        let cost = row["cost_usd"].as_str().unwrap();
        assert_eq!(cost.split_once('.').unwrap().1.len(), 8, "{cost}");
    }
    for c in conversations() {
        let pk = pk_of(&c);
        let detail = ok(&server, &format!("/api/conversations/{pk}/")).await;
        let usage = &detail["token_usage"];
        let rows = by_conversation.remove(&pk).unwrap_or_default();
        if usage.is_null() {
            assert!(rows.is_empty(), "conversation {pk} has no usage but rows");
            continue;
        }
        // The live shape: totals with total_tokens, a string cost, sources, one entry per model and source.
        assert!(usage["totals"]["total_tokens"].is_i64(), "{usage}");
        for (column, n) in usage["totals"].as_object().unwrap() {
            assert!(column == "total_tokens" || n.as_i64() != Some(0), "{usage}");
        }
        let total_cost: i64 = rows
            .iter()
            .map(|r| units(r["cost_usd"].as_str().unwrap()))
            .sum();
        assert_eq!(
            total_cost,
            units(usage["cost_usd"].as_str().unwrap()),
            "{pk}"
        );
        for column in TOKEN_COLUMNS.iter().chain(&["total_tokens"]) {
            let sum: i64 = rows.iter().map(|r| r[column].as_i64().unwrap()).sum();
            assert_eq!(
                sum,
                usage["totals"][column].as_i64().unwrap_or(0),
                "{pk} {column}"
            );
        }
        for entry in usage["models"].as_array().unwrap() {
            let mine: Vec<&&Value> = rows
                .iter()
                .filter(|r| {
                    r["model"] == entry["model"] && r["cost_source"] == entry["cost_source"]
                })
                .collect();
            assert!(!mine.is_empty(), "{pk}: {entry}");
            let cost: i64 = mine
                .iter()
                .map(|r| units(r["cost_usd"].as_str().unwrap()))
                .sum();
            assert_eq!(
                cost,
                units(entry["cost_usd"].as_str().unwrap()),
                "{pk}: {entry}"
            );
            for column in ["prompt_tokens", "completion_tokens", "total_tokens"] {
                let sum: i64 = mine.iter().map(|r| r[column].as_i64().unwrap()).sum();
                assert_eq!(sum, entry[column].as_i64().unwrap_or(0), "{pk}: {entry}");
            }
        }
    }
    assert!(by_conversation.is_empty(), "rows of unknown conversations");
    // The flat shape became the live one.
    let legacy = ok(&server, "/api/conversations/9001/").await;
    assert_eq!(
        legacy["token_usage"],
        json!({"totals": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
               "cost_usd": "0.00120000", "cost_sources": ["backend"],
               "models": [{"model": "unknown", "cost_source": "backend", "cost_usd": "0.00120000",
                           "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}]})
    );
    // Unpriced usage stays unpriced, at zero cost on every row.
    let unpriced = rows
        .iter()
        .filter(|r| r["cost_source"] == "unpriced")
        .collect::<Vec<_>>();
    assert!(!unpriced.is_empty());
    assert!(unpriced.iter().all(|r| r["cost_usd"] == "0.00000000"));
    assert!(
        rows.iter()
            .any(|r| r["unreported_calls"].as_i64().unwrap() > 0)
    );
    assert!(
        rows.iter()
            .all(|r| r["unreported_calls"].as_i64() <= r["calls"].as_i64())
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn tool_spans_mirror_the_action_logs() {
    let server = server().await;
    for c in conversations() {
        let pk = pk_of(&c);
        let detail = ok(&server, &format!("/api/conversations/{pk}/")).await;
        let logs: Vec<&Value> = detail["messages"]
            .as_array()
            .map(|ms| {
                ms.iter()
                    .flat_map(|m| m["action_logs"].as_array().into_iter().flatten())
                    .collect()
            })
            .unwrap_or_default();
        let tools = all_rows(&server, &format!("/api/spans/?conversation={pk}&kind=tool")).await;
        assert_eq!(tools.len(), logs.len(), "{pk}");
        let failed: Vec<String> = logs
            .iter()
            .filter_map(|l| l["error_message"].as_str())
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect();
        let errors = all_rows(
            &server,
            &format!("/api/spans/?conversation={pk}&kind=tool&status=error"),
        )
        .await;
        let mut error_texts: Vec<String> = errors
            .iter()
            .map(|s| {
                s["attributes"]["agentsight.tool.error"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let mut failed_sorted = failed.clone();
        error_texts.sort();
        failed_sorted.sort();
        assert_eq!(error_texts, failed_sorted, "{pk}");
        let mut durations: Vec<f64> = logs
            .iter()
            .map(|l| l["duration_ms"].as_f64().unwrap_or(0.0))
            .collect();
        let mut span_durations: Vec<f64> = tools
            .iter()
            .map(|s| s["duration_ms"].as_f64().unwrap())
            .collect();
        durations.sort_by(f64::total_cmp);
        span_durations.sort_by(f64::total_cmp);
        assert_eq!(durations, span_durations, "{pk}");
        for s in &tools {
            let arguments = s["attributes"]["agentsight.tool.arguments"]
                .as_str()
                .unwrap();
            assert!(
                serde_json::from_str::<Value>(arguments).is_ok(),
                "{arguments}"
            );
            assert!(s["attributes"]["agentsight.tool.response"].is_string());
        }
    }
    // The hand-built failure, exactly.
    let errors = ok(
        &server,
        "/api/spans/?conversation_id=legacy-usage&status=error&kind=tool",
    )
    .await;
    assert_eq!(errors["count"], 1);
    let span = &errors["results"][0];
    assert_eq!(span["name"], "lookup_order");
    assert_eq!(span["duration_ms"], 99.0);
    assert_eq!(
        span["attributes"]["agentsight.tool.error"],
        "upstream timeout after 90 ms"
    );
    assert_eq!(
        span["attributes"]["agentsight.tool.arguments"],
        "{\"orders\":\"A-1\"}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn every_trace_nests_exactly_its_spans() {
    let server = server().await;
    let mut traces = 0;
    for c in conversations().iter().take(25) {
        let pk = pk_of(c);
        let spans = all_rows(&server, &format!("/api/spans/?conversation={pk}")).await;
        let mut by_trace: HashMap<String, usize> = HashMap::new();
        for s in &spans {
            assert_eq!(s["trace_id"].as_str().unwrap().len(), 32);
            assert_eq!(s["span_id"].as_str().unwrap().len(), 16);
            assert!(s.get("payload").is_none());
            *by_trace
                .entry(s["trace_id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        for (trace_id, n) in by_trace {
            traces += 1;
            let tree = ok(&server, &format!("/api/traces/{trace_id}/")).await;
            assert_eq!(tree["trace_id"], trace_id.as_str());
            assert_eq!(tree["truncated"], false);
            let mut nodes = 0;
            let mut stack: Vec<&Value> = tree["roots"].as_array().unwrap().iter().collect();
            assert_eq!(stack.len(), 1, "one turn root");
            assert_eq!(stack[0]["kind"], "turn");
            while let Some(node) = stack.pop() {
                nodes += 1;
                assert!(node.get("payload").is_none());
                stack.extend(node["children"].as_array().unwrap());
            }
            assert_eq!(tree["span_count"].as_u64().unwrap() as usize, nodes);
            assert_eq!(nodes, n);
            let listed = ok(&server, &format!("/api/spans/?trace_id={trace_id}")).await;
            assert_eq!(listed["count"].as_u64().unwrap() as usize, n);
        }
    }
    assert!(traces > 25);
    let (status, body) = common::get(&server, &format!("/api/traces/{}/", "ab".repeat(16))).await;
    assert_eq!((status, body), (404, json!({"detail": "Not found."})));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn span_rows_are_complete_and_payload_comes_only_when_asked() {
    let server = server().await;
    let page = ok(&server, "/api/spans/").await;
    assert_eq!(page["page_size"], 15);
    assert_eq!(page["results"].as_array().unwrap().len(), 15);
    let keys = [
        "id",
        "conversation",
        "conversation_id",
        "trace_id",
        "span_id",
        "parent_span_id",
        "kind",
        "name",
        "started_at",
        "ended_at",
        "duration_ms",
        "status",
        "attributes",
        "events",
    ];
    for row in page["results"].as_array().unwrap() {
        for key in keys {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        assert!(row.get("payload").is_none());
        assert!(row["duration_ms"].is_f64());
    }
    // Newest first.
    let starts: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["started_at"].as_str().unwrap())
        .collect();
    let first_conversation = page["results"][0]["conversation"].clone();
    let same: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["conversation"] == first_conversation)
        .map(|r| r["started_at"].as_str().unwrap())
        .collect();
    // Compared as instants: "…09.146735Z" is later than "…09Z" though it sorts first as text.
    let instant = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    assert!(
        same.windows(2).all(|w| instant(w[0]) >= instant(w[1])),
        "{starts:?}"
    );
    let id = page["results"][0]["id"].as_i64().unwrap();
    let plain = ok(&server, &format!("/api/spans/{id}/?payload=false")).await;
    assert!(plain.get("payload").is_none());
    assert_eq!(plain, page["results"][0]);
    let full = ok(&server, &format!("/api/spans/{id}/?payload=true")).await;
    let payload = &full["payload"];
    assert_eq!(payload["span_id"], plain["span_id"]);
    assert!(payload["started_at"].as_str().unwrap().ends_with("+00:00"));
    for key in [
        "span_kind",
        "is_remote",
        "trace_flags",
        "trace_state",
        "status_description",
        "links",
        "dropped",
        "scope",
        "resource",
    ] {
        assert!(payload["otel"].get(key).is_some(), "otel.{key}");
    }
    for missing in ["0", "abc", "999999999999"] {
        let (status, _) = common::get(&server, &format!("/api/spans/{missing}/")).await;
        assert_eq!(status, 404, "{missing}");
    }
    // LLM spans carry the model and its tokens; turns carry the conversation and the messages.
    let llm = ok(&server, "/api/spans/?kind=llm&page_size=1").await;
    let attributes = &llm["results"][0]["attributes"];
    assert!(attributes["gen_ai.request.model"].is_string());
    assert!(attributes["gen_ai.usage.input_tokens"].is_i64());
    let ms = llm["results"][0]["duration_ms"].as_f64().unwrap();
    assert!((300.0..=4000.0).contains(&ms), "{ms}");
    let turn = ok(
        &server,
        "/api/spans/?kind=turn&conversation_id=legacy-usage&ordering=started_at",
    )
    .await;
    assert_eq!(
        turn["results"][0]["attributes"]["agentsight.turn.complete"],
        true
    );
    assert_eq!(
        turn["results"][0]["attributes"]["agentsight.turn.id"],
        "turn-9001-0"
    );
    assert_eq!(
        turn["results"][0]["events"][0]["name"],
        "agentsight.message"
    );
    assert_eq!(
        turn["results"][0]["events"][0]["attributes"]["agentsight.message.content"],
        "hello"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn span_filters_narrow_as_documented() {
    let server = server().await;
    let count = |body: &Value| body["count"].as_u64().unwrap();
    let everything = count(&ok(&server, "/api/spans/").await);
    let mut sum = 0;
    for kind in ["turn", "llm", "tool"] {
        let body = ok(&server, &format!("/api/spans/?kind={kind}&page_size=100")).await;
        assert!(
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["kind"] == kind)
        );
        sum += count(&body);
    }
    assert_eq!(sum, everything);
    assert_eq!(count(&ok(&server, "/api/spans/?kind=button").await), 0);
    let ok_count = count(&ok(&server, "/api/spans/?status=ok").await);
    let error_count = count(&ok(&server, "/api/spans/?status=error").await);
    assert_eq!(ok_count + error_count, everything);
    assert_eq!(count(&ok(&server, "/api/spans/?status=unset").await), 0);
    // Unknown filters and `env` are ignored.
    assert_eq!(
        count(&ok(&server, "/api/spans/?has_tickets=true&env=nonsense").await),
        everything
    );
    // environment: any slug.
    let staging = all_rows(&server, "/api/spans/?environment=staging").await;
    assert!(!staging.is_empty());
    assert!(
        staging
            .iter()
            .all(|r| r["conversation_id"] == "legacy-usage")
    );
    // name: exact only.
    let named = all_rows(&server, "/api/spans/?name=lookup_order").await;
    assert!(named.iter().all(|r| r["name"] == "lookup_order"));
    assert!(named.len() >= 2);
    assert_eq!(count(&ok(&server, "/api/spans/?name=lookup").await), 0);
    // span_id / parent_span_id / trace_id.
    let tool = &named[0];
    let span_id = tool["span_id"].as_str().unwrap();
    let by_id = ok(&server, &format!("/api/spans/?span_id={span_id}")).await;
    assert_eq!(count(&by_id), 1);
    assert_eq!(by_id["results"][0]["id"], tool["id"]);
    let parent = tool["parent_span_id"].as_str().unwrap();
    let siblings = all_rows(&server, &format!("/api/spans/?parent_span_id={parent}")).await;
    assert!(siblings.iter().any(|r| r["id"] == tool["id"]));
    assert!(
        siblings
            .iter()
            .all(|r| r["parent_span_id"] == parent && r["trace_id"] == tool["trace_id"])
    );
    assert_eq!(count(&ok(&server, "/api/spans/?span_id=zz").await), 0);
    // conversation and conversation_id agree.
    let a = count(&ok(&server, "/api/spans/?conversation=9001").await);
    let b = count(&ok(&server, "/api/spans/?conversation_id=legacy-usage").await);
    assert_eq!(a, b);
    assert_eq!(
        count(
            &ok(
                &server,
                "/api/spans/?conversation=9001&conversation_id=no-usage"
            )
            .await
        ),
        0
    );
    // started_at bounds.
    let late = all_rows(
        &server,
        "/api/spans/?conversation=9001&started_at_after=2024-03-01T09:00:30Z",
    )
    .await;
    assert!(!late.is_empty() && (late.len() as u64) < a);
    assert!(
        late.iter()
            .all(|r| r["started_at"].as_str().unwrap() >= "2024-03-01T09:00:30")
    );
    let early = all_rows(
        &server,
        "/api/spans/?conversation=9001&started_at_before=2024-03-01T09:00:30Z",
    )
    .await;
    assert_eq!(late.len() + early.len(), a as usize);
    // Orderings.
    let by_duration = all_rows(
        &server,
        "/api/spans/?conversation=9001&ordering=-duration_ms",
    )
    .await;
    let durations: Vec<f64> = by_duration
        .iter()
        .map(|r| r["duration_ms"].as_f64().unwrap())
        .collect();
    assert!(durations.windows(2).all(|w| w[0] >= w[1]), "{durations:?}");
    let by_id = all_rows(&server, "/api/spans/?conversation=9001&ordering=id").await;
    assert!(
        by_id
            .windows(2)
            .all(|w| w[0]["id"].as_i64() < w[1]["id"].as_i64())
    );
    let by_end = all_rows(&server, "/api/spans/?conversation=9001&ordering=ended_at").await;
    assert!(
        by_end
            .windows(2)
            .all(|w| w[0]["ended_at"].as_str() <= w[1]["ended_at"].as_str())
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn lists_page_like_drf() {
    let server = server().await;
    for path in ["/api/spans/", "/api/token-usage/", "/api/actions/"] {
        let first = ok(&server, path).await;
        assert_eq!(first["page_size"], 15, "{path}");
        assert_eq!(first["current_page"], 1);
        assert!(first["previous"].is_null());
        let count = first["count"].as_u64().unwrap();
        let pages = count.div_ceil(15).max(1);
        assert_eq!(first["total_pages"].as_u64().unwrap(), pages);
        let clamped = ok(&server, &format!("{path}?page_size=500")).await;
        assert_eq!(clamped["page_size"], 100);
        let (status, body) = common::get(&server, &format!("{path}?page={}", pages + 1)).await;
        assert_eq!(
            (status, body),
            (404, json!({"detail": "Invalid page."})),
            "{path}"
        );
        if pages > 1 {
            let next = first["next"].as_str().unwrap();
            assert!(
                next.starts_with("http://") && next.contains("page=2"),
                "{next}"
            );
            let second = ok(&server, &format!("{path}?page=2")).await;
            assert_eq!(second["current_page"], 2);
            assert!(second["previous"].as_str().unwrap().starts_with("http://"));
            let ids = |b: &Value| -> HashSet<i64> {
                b["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_i64().unwrap())
                    .collect()
            };
            assert!(ids(&first).is_disjoint(&ids(&second)));
        }
    }
    // Walking every page of spans sees every span once.
    let spans = all_rows(&server, "/api/spans/").await;
    let ids: HashSet<i64> = spans.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), spans.len());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn usage_filters_and_orderings() {
    let server = server().await;
    let rows = all_rows(&server, "/api/token-usage/").await;
    let count = |body: &Value| body["count"].as_u64().unwrap() as usize;
    let model = rows[0]["model"].as_str().unwrap().to_owned();
    let by_model = all_rows(&server, &format!("/api/token-usage/?model={model}")).await;
    assert_eq!(
        by_model.len(),
        rows.iter().filter(|r| r["model"] == model.as_str()).count()
    );
    for source in ["backend", "reported", "unpriced"] {
        let n = count(&ok(&server, &format!("/api/token-usage/?cost_source={source}")).await);
        assert_eq!(
            n,
            rows.iter().filter(|r| r["cost_source"] == source).count(),
            "{source}"
        );
    }
    let incomplete = all_rows(&server, "/api/token-usage/?incomplete=true").await;
    assert!(!incomplete.is_empty());
    for r in &incomplete {
        assert_eq!(r["incomplete"], true);
        let reason = r["incomplete_reason"].as_str().unwrap();
        assert!(["error", "abandoned", "deadline", "shutdown"].contains(&reason));
    }
    let complete = count(&ok(&server, "/api/token-usage/?incomplete=false").await);
    assert_eq!(complete + incomplete.len(), rows.len());
    // Incomplete turns show as failed turn spans, and never in the transcript.
    let r = &incomplete[0];
    let pk = r["conversation"].as_i64().unwrap();
    let turns = all_rows(&server, &format!("/api/spans/?conversation={pk}&kind=turn")).await;
    let unfinished: Vec<&Value> = turns
        .iter()
        .filter(|t| t["attributes"]["agentsight.turn.id"] == r["turn_id"])
        .collect();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0]["status"], "error");
    assert_eq!(
        unfinished[0]["attributes"]["agentsight.turn.complete"],
        false
    );
    assert_eq!(
        unfinished[0]["attributes"]["agentsight.turn.incomplete_reason"],
        r["incomplete_reason"]
    );
    assert_eq!(unfinished[0]["events"], json!([]));
    // turn_id, conversation, conversation_id, environment (any slug; env ignored).
    let turn = ok(
        &server,
        &format!(
            "/api/token-usage/?turn_id={}",
            r["turn_id"].as_str().unwrap()
        ),
    )
    .await;
    assert!(
        turn["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["turn_id"] == r["turn_id"])
    );
    assert!(count(&turn) >= 1);
    let legacy = ok(&server, "/api/token-usage/?conversation=9001").await;
    assert_eq!(
        legacy,
        ok(&server, "/api/token-usage/?conversation_id=legacy-usage").await
    );
    assert_eq!(
        count(&ok(&server, "/api/token-usage/?environment=staging").await),
        count(&legacy)
    );
    assert_eq!(
        count(&ok(&server, "/api/token-usage/?env=staging").await),
        rows.len()
    );
    assert_eq!(
        count(&ok(&server, "/api/token-usage/?conversation=9002").await),
        0
    );
    // started_at bounds split the rows.
    let after = count(
        &ok(
            &server,
            "/api/token-usage/?started_at_after=2026-11-12T00:00:00Z",
        )
        .await,
    );
    let before = count(
        &ok(
            &server,
            "/api/token-usage/?started_at_before=2026-11-11T23:59:59.999999Z",
        )
        .await,
    );
    assert_eq!(after + before, rows.len());
    // Orderings.
    let by_tokens = all_rows(&server, "/api/token-usage/?ordering=-total_tokens").await;
    assert!(
        by_tokens
            .windows(2)
            .all(|w| w[0]["total_tokens"].as_i64() >= w[1]["total_tokens"].as_i64())
    );
    let by_cost = all_rows(&server, "/api/token-usage/?ordering=cost_usd").await;
    assert!(
        by_cost
            .windows(2)
            .all(|w| units(w[0]["cost_usd"].as_str().unwrap())
                <= units(w[1]["cost_usd"].as_str().unwrap()))
    );
    let by_id = all_rows(&server, "/api/token-usage/?ordering=-id").await;
    assert!(
        by_id
            .windows(2)
            .all(|w| w[0]["id"].as_i64() > w[1]["id"].as_i64())
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_summary_rolls_up_the_rows() {
    let server = server().await;
    let rows = all_rows(&server, "/api/token-usage/").await;
    for (group_by, key) in [
        ("model", "model"),
        ("conversation", "conversation"),
        ("day", "started_at"),
    ] {
        let summary = ok(
            &server,
            &format!("/api/token-usage/summary/?group_by={group_by}"),
        )
        .await;
        assert_eq!(summary["group_by"], group_by);
        assert_eq!(summary["currency"], "USD");
        let results = summary["results"].as_array().unwrap();
        let mut expected: HashMap<String, (i64, i64, i64)> = HashMap::new();
        for r in &rows {
            let group = match group_by {
                "day" => r[key].as_str().unwrap()[..10].to_owned(),
                _ => r[key].to_string().trim_matches('"').to_owned(),
            };
            let e = expected.entry(group).or_default();
            e.0 += 1;
            e.1 += r["total_tokens"].as_i64().unwrap();
            e.2 += units(r["cost_usd"].as_str().unwrap());
        }
        assert_eq!(results.len(), expected.len(), "{group_by}");
        for g in results {
            let label = g["group"].to_string().trim_matches('"').to_owned();
            if group_by == "conversation" {
                assert!(g["group"].is_i64());
            }
            let (n, tokens, cost) = expected[&label];
            assert_eq!(g["rows"].as_i64().unwrap(), n, "{label}");
            assert_eq!(g["total_tokens"].as_i64().unwrap(), tokens, "{label}");
            let got = g["cost_usd"].as_f64().unwrap();
            assert!(
                (got - cost as f64 / 1e8).abs() < 1e-9,
                "{label}: {got} vs {cost}"
            );
            assert!(g.get("cost_eur").is_none());
        }
        let costs: Vec<f64> = results
            .iter()
            .map(|g| g["cost_usd"].as_f64().unwrap())
            .collect();
        assert!(
            costs.windows(2).all(|w| w[0] >= w[1]),
            "biggest first: {costs:?}"
        );
    }
    // EUR: converted where a rate is on file, absent (never 0) where none is.
    let eur = ok(
        &server,
        "/api/token-usage/summary/?group_by=day&currency=eur",
    )
    .await;
    assert_eq!(eur["currency"], "EUR");
    let results = eur["results"].as_array().unwrap();
    assert!(results.iter().any(|g| g["cost_eur"].is_f64()));
    assert!(
        results.iter().any(|g| g.get("cost_eur").is_none()),
        "some day has no rate"
    );
    for g in results.iter().filter(|g| g["cost_eur"].is_f64()) {
        let (usd, eur) = (
            g["cost_usd"].as_f64().unwrap(),
            g["cost_eur"].as_f64().unwrap(),
        );
        assert!(eur >= usd * 0.89 && eur <= usd * 0.97 + 1e-9, "{g}");
    }
    // Filters apply as on the list.
    let filtered = ok(&server, "/api/token-usage/summary/?conversation=9001").await;
    assert_eq!(filtered["results"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["results"][0]["group"], "unknown");
    assert_eq!(filtered["results"][0]["total_tokens"], 15);
    // Bad choices.
    let (status, body) = common::get(&server, "/api/token-usage/summary/?group_by=week").await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"group_by": "Must be one of: model, conversation, day."})
        )
    );
    let (status, body) = common::get(&server, "/api/token-usage/summary/?currency=gbp").await;
    assert_eq!(status, 400);
    assert!(
        body["currency"]
            .as_str()
            .unwrap()
            .starts_with("Must be one of")
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn actions_are_one_per_name_with_their_logs() {
    let server = server().await;
    let actions = all_rows(&server, "/api/actions/").await;
    let mut names: Vec<String> = Vec::new();
    let mut runs: HashMap<String, Vec<(Option<i64>, f64)>> = HashMap::new();
    for c in conversations() {
        for m in c.messages() {
            let Some(name) = m.action_name.as_deref().filter(|n| !n.is_empty()) else {
                continue;
            };
            if !names.contains(&name.to_owned()) {
                names.push(name.to_owned());
            }
            for log in m.action_logs.iter().flatten() {
                runs.entry(name.to_owned())
                    .or_default()
                    .push((m.id, log.duration_ms.unwrap_or(0.0)));
            }
        }
    }
    names.sort();
    let listed: Vec<&str> = actions
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, names);
    for a in &actions {
        for key in ["id", "name", "display_name", "description", "agent"] {
            assert!(a.get(key).is_some(), "{key}");
        }
        let id = a["id"].as_i64().unwrap();
        assert_eq!(ok(&server, &format!("/api/actions/{id}/")).await, *a);
        let logs = ok(&server, &format!("/api/actions/{id}/logs/")).await;
        let logs = logs.as_array().expect("a bare array");
        let expected = &runs[a["name"].as_str().unwrap()];
        assert_eq!(logs.len(), expected.len());
        for log in logs {
            assert_eq!(log["action"], id);
            assert!(log["message"].is_i64());
            assert!(log["duration_ms"].is_f64(), "{log}");
        }
    }
    let lookup = actions
        .iter()
        .find(|a| a["name"] == "lookup_order")
        .unwrap();
    assert_eq!(lookup["display_name"], "Lookup order");
    let count = |b: &Value| b["count"].as_u64().unwrap();
    assert_eq!(
        count(&ok(&server, "/api/actions/?name=lookup_order").await),
        1
    );
    assert_eq!(count(&ok(&server, "/api/actions/?name=lookup").await), 0);
    assert!(count(&ok(&server, "/api/actions/?name__icontains=LOOKUP").await) >= 1);
    assert!(count(&ok(&server, "/api/actions/?display_name=order").await) >= 1);
    assert!(count(&ok(&server, "/api/actions/?search=lookup order").await) >= 1);
    assert_eq!(
        count(&ok(&server, "/api/actions/?agent=999").await),
        actions.len() as u64
    );
    let desc = all_rows(&server, "/api/actions/?ordering=-name").await;
    let mut reversed = names.clone();
    reversed.reverse();
    let got: Vec<&str> = desc.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(got, reversed);
    for missing in ["0", "x", "99999"] {
        let (status, _) = common::get(&server, &format!("/api/actions/{missing}/logs/")).await;
        assert_eq!(status, 404);
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_planes_sit_behind_the_same_gate() {
    let server = server().await;
    for path in [
        "/api/spans/",
        "/api/token-usage/summary/",
        "/api/actions/1/logs/",
    ] {
        let response = common::client()
            .get(format!("{}{path}", server.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "{path}");
    }
    server.shutdown().await.unwrap();
}
