//! The Trace tab of a conversation whose turns hold 2,000 spans: from the traces' reply (as JSON) to the first frame drawn at 120×40, and one scrolling frame (`j`) after it.
// A benchmark whose setup fails should stop on the spot.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

#[path = "../tests/it/support/offline.rs"]
mod offline;
#[path = "../tests/it/support/state.rs"]
mod state;
use offline::Offline;

use convo::app::msg::Msg;
use convo::app::state::State;
use convo::app::trace::TraceMsg;
use convo::app::update::update;
use convo::provider::model::TraceTree;
use convo::ui::render;
use convo::view::theme::Theme;
use convo::view::trace::Waterfall;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

const TURNS: u32 = 8;
const SPANS_PER_TURN: u32 = 250;

/// One turn's trace as `GET /api/traces/{id}/` sends it: a root holding
/// tasks of tool calls, 250 spans, one in 37 failing.
fn turn_json(turn: u32) -> Vec<u8> {
    let start = chrono::DateTime::parse_from_rfc3339("2026-08-17T13:32:32Z")
        .expect("a fixed instant")
        .to_utc()
        + chrono::Duration::seconds(i64::from(turn) * 60);
    let node = |index: u32,
                kind: &str,
                name: String,
                offset_ms: i64,
                ms: f64,
                children: Vec<Value>| {
        let at = start + chrono::Duration::milliseconds(offset_ms);
        json!({
            "id": 10_000 * (turn + 1) + index, "conversation": 737, "conversation_id": "wa-3859",
            "trace_id": format!("{turn:032x}"), "span_id": format!("{index:016x}"),
            "kind": kind, "name": name,
            "started_at": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "duration_ms": ms,
            "status": if index % 37 == 0 { "error" } else { "ok" },
            "attributes": {"agentsight.turn.id": format!("turn-737-{turn}"),
                           "agentsight.tool.arguments": "{\"order_id\": \"A-1042\"}",
                           "gen_ai.usage.input_tokens": 1200},
            "events": [], "children": children,
        })
    };
    let mut index = 1;
    let mut tasks = Vec::new();
    // 83 tasks of two tool calls each: 1 + 83 × 3 = 250 spans.
    for task in 0..(SPANS_PER_TURN - 1) / 3 {
        let task_index = index;
        index += 1;
        let mut calls = Vec::new();
        for call in 0..2 {
            let offset = i64::from(task * 3 + call) * 20;
            calls.push(node(
                index,
                "tool",
                format!("lookup_order_{call}"),
                offset,
                18.0,
                Vec::new(),
            ));
            index += 1;
        }
        tasks.push(node(
            task_index,
            "task",
            format!("task {task}"),
            i64::from(task) * 200,
            190.0,
            calls,
        ));
    }
    let root = node(0, "turn", "turn".to_owned(), 0, 5_000.0, tasks);
    serde_json::to_vec(&json!({"trace_id": format!("{turn:032x}"), "span_count": index, "truncated": false, "roots": [root]}))
        .expect("JSON")
}

/// A browser with a conversation open on the Trace tab, waiting for its turns.
fn waiting(width: u16, height: u16) -> State {
    let offline = Offline::new(40, 25);
    let mut state = offline.listed(
        width,
        height,
        Theme {
            mono: false,
            light: false,
        },
    );
    for code in [KeyCode::Enter, KeyCode::Char('7')] {
        let cmds = update(
            &mut state,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        offline.settle(&mut state, cmds);
    }
    state
}

/// Reply to first frame: the turns' JSON parsed and laid out (what the fetch
/// task does), the reply applied, the screen drawn.
fn reply_to_first_frame(c: &mut Criterion) {
    let bodies: Vec<Vec<u8>> = (0..TURNS).map(turn_json).collect();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let state = waiting(120, 40);
    c.bench_function(
        "trace tab: 2,000 spans, reply to first frame (120x40)",
        |b| {
            b.iter_batched(
                || {
                    let mut fresh = waiting(120, 40);
                    fresh.trace.generation = state.trace.generation;
                    fresh
                },
                |mut state| {
                    let trees: Vec<TraceTree> = bodies
                        .iter()
                        .map(|b| serde_json::from_slice(b).expect("a trace"))
                        .collect();
                    let waterfall = Arc::new(Waterfall::build(&trees));
                    let generation = state.trace.generation;
                    update(
                        &mut state,
                        Msg::Trace(TraceMsg::Loaded {
                            generation,
                            waterfall,
                        }),
                    );
                    terminal
                        .draw(|frame| render(&state, frame))
                        .expect("a frame");
                    black_box(state)
                },
                criterion::BatchSize::LargeInput,
            );
        },
    );
}

/// One scrolling frame: `j` on the waterfall, then the screen drawn.
fn scrolling_frame(c: &mut Criterion) {
    let trees: Vec<TraceTree> = (0..TURNS)
        .map(|t| serde_json::from_slice(&turn_json(t)).expect("a trace"))
        .collect();
    let mut state = waiting(120, 40);
    let generation = state.trace.generation;
    update(
        &mut state,
        Msg::Trace(TraceMsg::Loaded {
            generation,
            waterfall: Arc::new(Waterfall::build(&trees)),
        }),
    );
    let spans: usize = state
        .trace
        .waterfall()
        .map_or(0, |w| w.turns.iter().map(|t| t.spans).sum());
    assert_eq!(spans, 2_000, "the turns hold 2,000 spans");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let key = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    c.bench_function(
        "trace tab: 2,000 spans, one scrolling frame (j, 120x40)",
        |b| {
            b.iter(|| {
                if state.trace.selected + 1 >= 2_000 {
                    update(&mut state, key('g'));
                }
                update(&mut state, key('j'));
                terminal
                    .draw(|frame| render(&state, frame))
                    .expect("a frame");
            });
        },
    );
}

criterion_group!(benches, reply_to_first_frame, scrolling_frame);
criterion_main!(benches);
