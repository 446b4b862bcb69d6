//! Parsing a 1,000-span trace tree (as `GET /api/traces/{trace_id}/` returns it) and laying it out as the waterfall's lines.

use std::hint::black_box;

use convo::provider::model::TraceTree;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

/// One span node as the traces route sends it: a row plus `children`.
fn node(index: u32, kind: &str, parent: Option<u32>, offset_us: i64, children: &[Value]) -> Value {
    let start = chrono::DateTime::parse_from_rfc3339("2026-08-17T13:32:32Z")
        .map(|t| t.to_utc())
        .unwrap_or_default()
        + chrono::Duration::microseconds(offset_us);
    json!({
        "id": 10_000 + index,
        "conversation": 737,
        "conversation_id": "wa-3859",
        "trace_id": "617823595d579cb34b3988c807b0cbe6",
        "span_id": format!("{index:016x}"),
        "parent_span_id": parent.map(|p| format!("{p:016x}")),
        "kind": kind,
        "name": if kind == "tool" { format!("lookup_order_{}", index % 7) } else { "gpt-4o-mini".to_owned() },
        "started_at": start.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "ended_at": start.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "duration_ms": 12.5 + f64::from(index % 90),
        "status": if index % 37 == 0 { "error" } else { "ok" },
        "attributes": {
            "agentsight.span.kind": kind,
            "agentsight.turn.id": "turn-1",
            "agentsight.tool.arguments": "{\"order_id\": \"A-1042\", \"include\": [\"items\", \"shipping\"]}",
            "agentsight.tool.response": "Order A-1042: 2 items, shipped 2026-08-15 via DHL, tracking 00340434161234567890",
            "gen_ai.usage.input_tokens": 1200 + index,
            "gen_ai.usage.output_tokens": 80 + index % 50,
        },
        "events": [],
        "children": children,
    })
}

/// A turn whose root holds 111 tasks of 8 tool calls and one LLM call each:
/// 1 + 111 × 9 = 1,000 spans, three levels deep.
fn trace_json() -> Vec<u8> {
    let mut index = 1;
    let mut tasks = Vec::new();
    for task in 0..111 {
        let task_index = index;
        index += 1;
        let mut calls = Vec::new();
        for call in 0..8 {
            calls.push(node(
                index,
                "tool",
                Some(task_index),
                (task * 9 + call) * 1_000,
                &[],
            ));
            index += 1;
        }
        tasks.push(node(task_index, "task", Some(0), task * 9_000, &calls));
    }
    let root = node(0, "turn", None, 0, &tasks);
    let body = json!({
        "trace_id": "617823595d579cb34b3988c807b0cbe6",
        "span_count": 1_000,
        "truncated": false,
        "roots": [root],
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

fn trace(c: &mut Criterion) {
    let body = trace_json();
    let parsed: TraceTree = serde_json::from_slice(&body).unwrap_or_default();
    assert_eq!(
        parsed.lines().len(),
        1_000,
        "the benchmark must lay out what it claims to"
    );
    c.bench_function(
        &format!(
            "parse and lay out a 1,000-span trace ({} KB)",
            body.len() / 1024
        ),
        |b| {
            b.iter(|| {
                let tree: TraceTree = serde_json::from_slice(black_box(&body)).unwrap_or_default();
                black_box(tree.lines().len())
            });
        },
    );
}

criterion_group!(benches, trace);
criterion_main!(benches);
