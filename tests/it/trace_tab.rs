//! The Trace tab (7) and its headless twin: snapshots of the waterfall at 120×40 and 80×24 in colour and without, the real loop against a local server (7, e, Enter, p), a late reply dropped, and `convo trace` beside the official client's `spans.trace`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::official_client::have_official_client;
use crate::support::common;
use crate::support::driver::{self, Frame, screen_text};
use crate::support::offline::Offline;
use crate::support::state;

use std::sync::Arc;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::{Focus, State};
use convo::app::trace::{Load, TraceFetch, TraceMsg};
use convo::app::update::update;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::model::{Span, TraceTree, nest_spans};
use convo::provider::{Error, Provider};
use convo::runtime::{Headless, run_with};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, ServerConfig};
use convo::ui::render;
use convo::view::detail::Tab;
use convo::view::theme::Theme;
use convo::view::trace::Waterfall;
use convo::view::trace::inspect::Payload;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use serde_json::{Value, json};

const MONO: Theme = Theme {
    mono: true,
    light: false,
};
const COLOUR: Theme = Theme {
    mono: false,
    light: false,
};

/// One span row as the spans route sends it, `offset` and `ms` in milliseconds from the turn's start.
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
fn row(
    n: u32,
    parent: Option<u32>,
    kind: &str,
    name: &str,
    offset: i64,
    ms: f64,
    status: &str,
    attributes: Value,
) -> Span {
    let start = chrono::DateTime::parse_from_rfc3339("2026-08-17T13:32:32Z")
        .unwrap()
        .to_utc()
        + chrono::Duration::milliseconds(offset);
    serde_json::from_value(json!({
        "id": 5_000 + n,
        "conversation": 737,
        "conversation_id": "wa-3859",
        "trace_id": "617823595d579cb34b3988c807b0cbe6",
        "span_id": format!("{n:016x}"),
        "parent_span_id": parent.map(|p| format!("{p:016x}")),
        "kind": kind,
        "name": name,
        "started_at": start.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "duration_ms": ms,
        "status": status,
        "attributes": attributes,
        "events": [],
    }))
    .unwrap()
}

fn turn(complete: Option<&str>) -> Value {
    match complete {
        None => json!({"agentsight.turn.id": "turn-737-0", "agentsight.turn.complete": true}),
        Some(reason) => {
            json!({"agentsight.turn.id": "turn-737-0", "agentsight.turn.complete": false,
                               "agentsight.turn.incomplete_reason": reason})
        }
    }
}

fn tree(rows: Vec<Span>, truncated: bool, count: i64) -> TraceTree {
    TraceTree {
        trace_id: Some("617823595d579cb34b3988c807b0cbe6".to_owned()),
        span_count: Some(count),
        truncated: Some(truncated),
        roots: Some(nest_spans(rows)),
        ..TraceTree::default()
    }
}

/// A turn that went well: a model call, a tool, a model call.
fn normal() -> TraceTree {
    tree(
        vec![
            row(1, None, "turn", "turn", 0, 1_200.0, "ok", turn(None)),
            row(
                2,
                Some(1),
                "llm",
                "gpt-4o-mini",
                0,
                700.0,
                "ok",
                json!({"gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 812, "gen_ai.usage.output_tokens": 64}),
            ),
            row(
                3,
                Some(1),
                "tool",
                "lookup_order",
                700,
                200.0,
                "ok",
                json!({"agentsight.tool.name": "lookup_order", "agentsight.tool.arguments": "{\"order\":\"A-1042\"}",
                       "agentsight.tool.response": "shipped"}),
            ),
            row(
                4,
                Some(1),
                "llm",
                "gpt-4o-mini",
                900,
                300.0,
                "ok",
                json!({}),
            ),
        ],
        false,
        4,
    )
}

/// A turn whose refund tool failed.
fn failing_tool() -> TraceTree {
    tree(
        vec![
            row(1, None, "turn", "turn", 0, 2_000.0, "ok", turn(None)),
            row(
                2,
                Some(1),
                "llm",
                "claude-sonnet-4-5",
                0,
                600.0,
                "ok",
                json!({}),
            ),
            row(
                3,
                Some(1),
                "tool",
                "issue_refund",
                600,
                900.0,
                "error",
                json!({"agentsight.tool.name": "issue_refund", "agentsight.tool.arguments": "{\"amount\":\"219.90 USD\"}",
                       "agentsight.tool.error": "card_declined\u{1b}[31m"}),
            ),
            row(
                4,
                Some(1),
                "llm",
                "claude-sonnet-4-5",
                1_500,
                500.0,
                "ok",
                json!({}),
            ),
        ],
        false,
        4,
    )
}

/// A turn that never finished: the deadline came first.
fn unfinished() -> TraceTree {
    tree(
        vec![
            row(
                1,
                None,
                "turn",
                "turn",
                0,
                3_487.0,
                "error",
                turn(Some("deadline")),
            ),
            row(
                2,
                Some(1),
                "llm",
                "claude-sonnet-4-5",
                0,
                834.0,
                "error",
                json!({}),
            ),
            row(
                3,
                Some(1),
                "llm",
                "claude-sonnet-4-5",
                900,
                2_500.0,
                "error",
                json!({}),
            ),
        ],
        false,
        3,
    )
}

/// A trace the server cut short.
fn truncated() -> TraceTree {
    let mut rows = vec![row(1, None, "turn", "turn", 0, 9_000.0, "ok", turn(None))];
    for n in 2..8 {
        rows.push(row(
            n,
            Some(1),
            "tool",
            "search_kb",
            i64::from(n) * 1_000,
            800.0,
            "ok",
            json!({}),
        ));
    }
    tree(rows, true, 1_500)
}

/// One turn of 2,000 spans: tasks of tool calls, one in 97 failing.
fn huge() -> TraceTree {
    let mut rows = vec![row(1, None, "turn", "turn", 0, 60_000.0, "ok", turn(None))];
    let mut task = 1;
    for n in 2..=2_000u32 {
        if n % 10 == 2 {
            task = n;
            rows.push(row(
                n,
                Some(1),
                "task",
                &format!("task {}", n / 10),
                i64::from(n) * 29,
                290.0,
                "ok",
                json!({}),
            ));
        } else {
            let status = if n % 97 == 0 { "error" } else { "ok" };
            rows.push(row(
                n,
                Some(task),
                "tool",
                "lookup_order",
                i64::from(n) * 29,
                25.0,
                status,
                json!({}),
            ));
        }
    }
    tree(rows, false, 2_000)
}

fn press(state: &mut State, offline: &Offline, code: KeyCode) {
    let cmds = update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    offline.settle(state, cmds);
}

/// A browser with a conversation open on the Trace tab, waiting for its turns.
fn on_trace_tab(width: u16, height: u16, theme: Theme) -> (State, Offline) {
    let offline = Offline::new(40, 25);
    let mut state = offline.listed(width, height, theme);
    press(&mut state, &offline, KeyCode::Enter);
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('7'), KeyModifiers::NONE)),
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Fetch(Fetch::Trace(TraceFetch::Turns { .. })))),
        "7 asks for the turns: {cmds:?}"
    );
    (state, offline)
}

fn land(state: &mut State, trees: &[TraceTree]) {
    let generation = state.trace.generation;
    update(
        state,
        Msg::Trace(TraceMsg::Loaded {
            generation,
            waterfall: Arc::new(Waterfall::build(trees)),
        }),
    );
}

fn screen(state: &State) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
    terminal.backend().clone()
}

macro_rules! snap {
    ($name:expr, $backend:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $backend);
        });
    };
}

/// Whether any cell of the screen is drawn in a colour.
fn coloured(buffer: &Buffer) -> bool {
    buffer
        .content()
        .iter()
        .any(|c| c.fg != Color::Reset || c.bg != Color::Reset)
}

#[test]
fn the_trace_tab_in_snapshots_at_both_sizes_in_colour_and_without() {
    type Case = (&'static str, fn() -> Vec<TraceTree>, &'static str);
    let cases: [Case; 5] = [
        ("normal", || vec![normal()], ""),
        ("failing_tool", || vec![normal(), failing_tool()], "e"),
        ("unfinished", || vec![normal(), unfinished()], ""),
        ("truncated", || vec![truncated()], ""),
        ("2000_spans", || vec![huge()], "e"),
    ];
    for (name, trees, keys) in cases {
        for (width, height) in [(120, 40), (80, 24)] {
            let mut texts = Vec::new();
            for (theme, label) in [(COLOUR, "colour"), (MONO, "mono")] {
                let (mut state, offline) = on_trace_tab(width, height, theme);
                land(&mut state, &trees());
                for key in keys.chars() {
                    press(&mut state, &offline, KeyCode::Char(key));
                }
                let backend = screen(&state);
                assert_eq!(
                    coloured(backend.buffer()),
                    !theme.mono,
                    "{name} {label}: colour only when asked for"
                );
                texts.push(screen_text(backend.buffer()));
                snap!(format!("trace_{name}_{width}x{height}_{label}"), backend);
            }
            assert_eq!(
                texts[0], texts[1],
                "{name}: the same text with and without colour"
            );
        }
    }
}

#[test]
fn the_waterfall_says_what_reads_without_colour() {
    let (mut state, offline) = on_trace_tab(120, 40, MONO);
    land(
        &mut state,
        &[normal(), failing_tool(), unfinished(), truncated()],
    );
    let text = screen_text(screen(&state).buffer());
    assert!(text.contains("turn 3 of 4 · 3 spans"), "{text}");
    assert!(text.contains("never finished: deadline"), "{text}");
    press(&mut state, &offline, KeyCode::Char('G'));
    let text = screen_text(screen(&state).buffer());
    assert!(
        text.contains("list them all with: convo spans wa-3859")
            && text.contains("--trace-id 617823595d579cb34b3988c807b0cbe6 --all"),
        "the remedy for a cut trace: {text}"
    );
    // e goes to the failing tool; Enter shows its arguments and the error, made inert.
    press(&mut state, &offline, KeyCode::Char('g'));
    press(&mut state, &offline, KeyCode::Char('e'));
    press(&mut state, &offline, KeyCode::Enter);
    let text = screen_text(screen(&state).buffer());
    assert!(text.contains("tool issue_refund"), "{text}");
    assert!(text.contains("\"amount\": \"219.90 USD\""), "{text}");
    assert!(text.contains("card_declined"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    // p asks for that span's payload, by its row id.
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE)),
    );
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Cmd::Fetch(Fetch::Trace(TraceFetch::Payload { id: 5_003, .. }))
        )),
        "{cmds:?}"
    );
    // Esc back to the waterfall, with the cursor where it was.
    press(&mut state, &offline, KeyCode::Esc);
    assert!(!state.trace.inspecting);
    assert_eq!(state.focus, Focus::Detail);
    // r asks for the turns again, with the list and the conversation.
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Fetch(Fetch::Trace(TraceFetch::Turns { .. })))),
        "{cmds:?}"
    );
}

#[test]
fn t_on_a_message_opens_the_trace_tab_on_its_turn() {
    let offline = Offline::new(40, 25);
    let mut state = offline.listed(120, 40, MONO);
    press(&mut state, &offline, KeyCode::Enter);
    // The message cursor on the third end-user message's reply opens the third turn.
    let messages = state
        .detail
        .view
        .as_ref()
        .unwrap()
        .conversation()
        .messages()
        .to_vec();
    let third = messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sender.as_deref() == Some("end_user"))
        .nth(2)
        .map(|(i, _)| i)
        .expect("a conversation of three turns");
    for _ in 0..=third {
        press(&mut state, &offline, KeyCode::Char('}'));
    }
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE)),
    );
    assert_eq!(state.detail.view.as_ref().unwrap().tab(), Tab::Trace);
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Fetch(Fetch::Trace(_))))
    );
    land(
        &mut state,
        &[normal(), failing_tool(), unfinished(), normal()],
    );
    let waterfall = state.trace.waterfall().unwrap();
    // The unfinished turn never reached the transcript: the third turn is the fourth trace.
    assert_eq!(state.trace.selected, waterfall.turns[3].first_row);
}

#[test]
fn a_late_reply_for_another_conversation_is_dropped() {
    let (mut state, offline) = on_trace_tab(120, 40, MONO);
    let asked = state.trace.generation;
    // J: the next conversation, on the same tab; what loaded for the last is stopped.
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('J'), KeyModifiers::NONE)),
    );
    offline.settle(&mut state, cmds);
    assert_ne!(state.trace.generation, asked);
    update(
        &mut state,
        Msg::Trace(TraceMsg::Loaded {
            generation: asked,
            waterfall: Arc::new(Waterfall::build(&[failing_tool()])),
        }),
    );
    update(
        &mut state,
        Msg::Trace(TraceMsg::Failed {
            generation: asked,
            error: Error::InvalidInput("late".to_owned()),
        }),
    );
    assert!(
        matches!(state.trace.load, Load::Loading),
        "{:?}",
        state.trace.load
    );
}

#[test]
fn chatdash_has_no_trace_tab_and_says_so() {
    let offline = Offline::chatdash(25);
    let mut state = offline.listed(120, 40, MONO);
    press(&mut state, &offline, KeyCode::Enter);
    press(&mut state, &offline, KeyCode::Char('7'));
    assert_ne!(state.detail.view.as_ref().unwrap().tab(), Tab::Trace);
    let status = state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("ChatDash records no spans"), "{status}");
}

/// What the driven test sees after a frame.
#[derive(Clone, Debug)]
#[allow(clippy::struct_excessive_bools)] // one flag per step of the script
struct Seen {
    focus: Focus,
    open: Option<i64>,
    tab: Option<Tab>,
    loaded: bool,
    on_error: bool,
    inspecting: bool,
    payload: bool,
    screen: String,
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        let trace = &state.trace;
        let span = trace.waterfall().and_then(|w| w.span_at(trace.selected));
        Self {
            focus: state.focus,
            open: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            tab: state
                .detail
                .view
                .as_ref()
                .map(convo::view::detail::DetailView::tab),
            loaded: trace.waterfall().is_some(),
            on_error: span.is_some_and(|s| s.error),
            inspecting: trace.inspecting,
            payload: matches!(
                trace.payload_of(span.and_then(|s| s.span.id)),
                Payload::Loaded(_)
            ),
            screen: screen_text(buffer),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seven_e_enter_p_in_the_real_loop_against_a_local_server() {
    let server = common::start(generate(60, 7), ServerConfig::default()).await;
    let (status, failed) =
        common::get(&server, "/api/spans/?kind=tool&status=error&page_size=1").await;
    assert_eq!(status, 200);
    let pk = failed["results"][0]["conversation"]
        .as_i64()
        .expect("the demo data has a failing tool");
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = State::new(state::init("test", provider.info()));
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver.press(KeyCode::Char(':'));
        driver.type_text(&pk.to_string());
        driver.press(KeyCode::Enter);
        driver
            .until("the conversation with a failing tool", |s| {
                s.open == Some(pk) && s.focus == Focus::Detail
            })
            .await;
        driver.press(KeyCode::Char('7'));
        let tab = driver
            .until("its turns on the Trace tab", |s| {
                s.tab == Some(Tab::Trace) && s.loaded
            })
            .await;
        assert!(tab.screen.contains("turn 1 of"), "{}", tab.screen);
        driver.press(KeyCode::Char('e'));
        let error = driver.until("the error span", |s| s.on_error).await;
        assert!(error.screen.contains("error span 1/"), "{}", error.screen);
        driver.press(KeyCode::Enter);
        let attributes = driver.until("its attributes", |s| s.inspecting).await;
        assert!(
            attributes.screen.contains("arguments:"),
            "{}",
            attributes.screen
        );
        driver.press(KeyCode::Char('p'));
        let payload = driver.until("its payload", |s| s.payload).await;
        assert!(
            payload.screen.contains("payload (verbatim):"),
            "{}",
            payload.screen
        );
        driver.press(KeyCode::Char('q'));
        driver
            .until("back in the list", |s| s.focus == Focus::List)
            .await;
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

async fn convo(endpoint: &str, args: &[&str]) -> String {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("TZ", "UTC")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo");
    assert!(
        out.status.success(),
        "convo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Every node of a trace document, depth first: (span id, name, status).
fn nodes(tree: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = tree["roots"]
        .as_array()
        .into_iter()
        .flatten()
        .rev()
        .collect();
    while let Some(node) = stack.pop() {
        let text = |k: &str| node[k].as_str().unwrap_or_default().to_owned();
        out.push((text("span_id"), text("name"), text("status")));
        stack.extend(node["children"].as_array().into_iter().flatten().rev());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn convo_trace_draws_what_the_official_client_reads() {
    if !have_official_client("convo_trace_draws_what_the_official_client_reads").await {
        return;
    }
    let server = common::start(generate(60, 7), ServerConfig::default()).await;
    let endpoint = server.base_url();
    // Turns of a conversation with a failing tool, and one that never finished.
    let mut ids = Vec::new();
    for query in [
        "/api/spans/?kind=tool&status=error&page_size=1",
        "/api/spans/?kind=turn&status=error&page_size=1",
    ] {
        let (_, page) = common::get(&server, query).await;
        ids.push(
            page["results"][0]["trace_id"]
                .as_str()
                .expect("a trace")
                .to_owned(),
        );
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_trace.py"
    );
    let output = tokio::process::Command::new("python3")
        .arg(script)
        .args(&ids)
        .env("AGENTSIGHT_API_ENDPOINT", &endpoint)
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .await
        .expect("run python3");
    assert!(
        output.status.success(),
        "official_trace.py: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let official: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(official.len(), ids.len());
    for (id, tree) in ids.iter().zip(&official) {
        let json: Value =
            serde_json::from_str(&convo(&endpoint, &["trace", id, "--format", "json"]).await)
                .unwrap();
        assert_eq!(
            nodes(&json),
            nodes(tree),
            "the same tree as the official client"
        );
        let text = convo(&endpoint, &["trace", id]).await;
        let bars: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
        let want = nodes(tree);
        assert_eq!(bars.len(), want.len(), "one bar a span:\n{text}");
        for (line, (_, name, status)) in bars.iter().zip(&want) {
            assert!(line.contains(name.as_str()), "{line} for {name}");
            assert_eq!(line.contains("✗ error"), status == "error", "{line}");
            let bar = &line[1..=30];
            assert!(bar.contains('#') || bar.contains('x'), "a bar: {line}");
        }
    }
    // The unfinished turn says so, headless too.
    let text = convo(&endpoint, &["trace", &ids[1]]).await;
    assert!(text.contains("incomplete: "), "{text}");
    // show --traces appends every turn's tree.
    let (_, failing) = common::get(&server, "/api/spans/?kind=tool&status=error&page_size=1").await;
    let pk = failing["results"][0]["conversation"]
        .as_i64()
        .unwrap()
        .to_string();
    let shown = convo(&endpoint, &["show", &pk, "--traces"]).await;
    assert!(shown.contains("— traces: "), "{shown}");
    assert!(shown.contains(&format!("trace {}", ids[0])), "{shown}");
    assert!(shown.contains("✗ error"), "{shown}");
    server.shutdown().await.unwrap();
}
