//! The Usage screen (`U`) and the conversation's own cost: snapshots at 120×40 and 80×24 in colour and without; through the real loop against `convo serve` on 127.0.0.1 (switch currency, filter by environment, open a conversation); a late reply dropped; `ChatDash` saying it has no usage; `convo usage` checked against the official Python client's `usage.summary`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;
use crate::support::driver;
use crate::support::state;

use std::process::Stdio;
use std::sync::Arc;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::screens::{Screen, ScreenFetch, ScreenMsg, UsageReport};
use convo::app::state::State;
use convo::app::update::update;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::chatdash::{ChatDash, ChatDashConfig};
use convo::provider::model::{Conversation, UsageFlags, UsageRow, UsageSummary};
use convo::provider::{
    Currency, Plane, Provider, ProviderInfo, ProviderKind, Query, UsageGrouping,
};
use convo::runtime::{Headless, run_with};
use convo::server::chatdash::{DEMO_AGENT, DEMO_CHATDASH_KEY};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, RunningServer, ServerConfig};
use convo::view::detail::{DetailView, Zone};
use convo::view::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use driver::{Frame, driver, screen_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::{Value, json};

const MONO: Theme = Theme {
    mono: true,
    light: false,
};
const COLOUR: Theme = Theme {
    mono: false,
    light: false,
};

fn summary(group_by: &str, currency: &str, results: &Value) -> UsageSummary {
    serde_json::from_value(
        json!({"group_by": group_by, "currency": currency, "results": results.clone()}),
    )
    .unwrap()
}

/// A fixed report: a month of days (one with no euro rate, one with no
/// usage), an unpriced model, a conversation with unreported calls.
fn report(currency: Currency) -> UsageReport {
    let eur = currency == Currency::Eur;
    let days: Vec<Value> = (1..=30)
        .filter(|d| *d != 12)
        .map(|d: i64| {
            let usd = 0.25 + f64::from(u8::try_from(d % 7).unwrap()) * 0.5;
            let mut g = json!({"group": format!("2026-11-{d:02}"), "calls": 10 + d, "rows": 10,
                               "total_tokens": 10_000 + d * 700, "cost_usd": usd});
            if eur && d != 10 {
                g["cost_eur"] = json!(usd * 0.9);
            }
            g
        })
        .collect();
    let models = json!([
        {"group": "gpt-4.1-mini", "calls": 240, "total_tokens": 812_000, "cost_usd": 3.82, "cost_eur": 3.44},
        {"group": "claude-sonnet-4-5", "calls": 95, "total_tokens": 420_300, "cost_usd": 14.26, "cost_eur": 12.83},
        {"group": "nimbus-intent-v3", "calls": 70, "total_tokens": 5_700, "cost_usd": 0, "cost_eur": 0},
    ]);
    let conversations = json!([
        {"group": "3", "calls": 46, "total_tokens": 254_687, "cost_usd": 1.088, "cost_eur": 0.979},
        {"group": "65", "calls": 49, "total_tokens": 286_172, "cost_usd": 9.35, "cost_eur": 8.41},
        {"group": "89", "calls": 46, "total_tokens": 213_548, "cost_usd": 0.908},
        {"group": "179", "calls": 3, "total_tokens": 3_820, "cost_usd": 0.015, "cost_eur": 0.0135},
    ]);
    let strip = |v: Value| -> Value {
        if eur {
            return v;
        }
        let mut v = v;
        for g in v.as_array_mut().unwrap() {
            g.as_object_mut().unwrap().remove("cost_eur");
        }
        v
    };
    let code = if eur { "EUR" } else { "USD" };
    let rows: Vec<UsageRow> = serde_json::from_value(json!([
        {"conversation": 65, "conversation_id": "conv-56040c3170", "model": "nimbus-intent-v3",
         "cost_source": "unpriced", "cost_usd": "0.00000000", "started_at": "2026-11-20T10:00:00Z"},
        {"conversation": 3, "conversation_id": "conv-3c597f3935", "model": "gpt-4.1-mini",
         "cost_source": "backend", "unreported_calls": 2, "started_at": "2026-11-28T10:00:00Z"},
        {"conversation": 89, "conversation_id": "conv-b11d8c7db2", "model": "gpt-4.1-mini",
         "cost_source": "backend", "started_at": "2026-11-29T10:00:00Z"},
    ]))
    .unwrap();
    let mut flags = UsageFlags::default();
    flags.absorb(&rows, true);
    flags.unpriced_complete = true;
    flags.unreported_complete = true;
    UsageReport {
        currency,
        by_day: summary("day", code, &Value::Array(days)),
        by_model: summary("model", code, &strip(models)),
        by_conversation: summary("conversation", code, &strip(conversations)),
        flags,
    }
}

fn agentsight_state(width: u16, height: u16, theme: Theme) -> State {
    let mut init = state::init(
        "test",
        ProviderInfo {
            kind: ProviderKind::AgentSight,
            host: "127.0.0.1:8787".to_owned(),
        },
    );
    init.theme = theme;
    init.size = (width, height);
    State::new(init)
}

fn key(state: &mut State, c: char) -> Vec<Cmd> {
    update(
        state,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

/// The generation and currency of the usage fetch among `cmds`.
fn usage_fetch(cmds: &[Cmd]) -> (u64, Currency) {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Fetch(Fetch::Screen(ScreenFetch::Usage {
                generation,
                currency,
                ..
            })) => Some((*generation, *currency)),
            _ => None,
        })
        .expect("a usage fetch")
}

fn land(state: &mut State, generation: u64, report: UsageReport) {
    update(
        state,
        Msg::Screen(ScreenMsg::UsageLoaded {
            generation,
            query: Query::for_plane(Plane::Usage),
            report: Box::new(report),
        }),
    );
}

/// The usage screen in euros with the fixed report on it.
fn usage_screen(width: u16, height: u16, theme: Theme) -> State {
    let mut state = agentsight_state(width, height, theme);
    let (generation, currency) = usage_fetch(&key(&mut state, 'U'));
    assert_eq!(currency, Currency::Usd);
    let (generation_eur, currency) = usage_fetch(&key(&mut state, '$'));
    assert_eq!(currency, Currency::Eur);
    assert!(generation_eur > generation);
    land(&mut state, generation_eur, report(Currency::Eur));
    state
}

fn draw(state: &State) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal
        .draw(|frame| convo::ui::render(state, frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn the_usage_screen_at_both_sizes_in_colour_and_without() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mono = draw(&usage_screen(width, height, MONO));
        let text = screen_text(&mono);
        // The flags read as words and glyphs, never as a zero.
        assert!(text.contains("not converted"), "{text}");
        assert!(text.contains("not priced"), "{text}");
        assert!(text.contains("[U Usage]") || text.contains("[U"), "{text}");
        assert!(!text.contains("€0.00 "), "unpriced is never €0: {text}");
        snap!(format!("usage_screen_{width}x{height}_no_color"), text);
        // In colour: the cells with their styles (unpriced bars in the warning colour).
        let colour = draw(&usage_screen(width, height, COLOUR));
        snap!(
            format!("usage_screen_{width}x{height}_colour"),
            format!("{colour:?}")
        );
    }
}

#[test]
fn the_usage_screen_draws_at_every_small_size_without_panicking() {
    for width in (20..=90).step_by(7) {
        for height in 6..=26 {
            let state = usage_screen(width, height, MONO);
            let text = screen_text(&draw(&state));
            assert_eq!(
                text.lines().count(),
                usize::from(height),
                "{width}x{height}"
            );
        }
    }
}

#[test]
fn a_late_usage_reply_is_dropped_and_enter_opens_the_conversation() {
    let mut state = agentsight_state(120, 40, MONO);
    let (old, _) = usage_fetch(&key(&mut state, 'U'));
    assert_eq!(state.screen, Screen::Usage);
    let (new, _) = usage_fetch(&key(&mut state, 'r'));
    land(&mut state, old, report(Currency::Eur));
    assert!(
        state.screens.usage.shown.is_none(),
        "an older reply is dropped"
    );
    assert!(state.busy(), "the newer request is still awaited");
    land(&mut state, new, report(Currency::Usd));
    let shown = state.screens.usage.shown.as_ref().expect("the newer reply");
    assert_eq!(shown.currency, Currency::Usd);
    // Biggest first: conversation 65 ($9.35) leads; j moves to 3 ($1.088).
    assert_eq!(
        state.screens.usage.selected_row().unwrap().group.as_deref(),
        Some("65")
    );
    key(&mut state, 'j');
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(state.screen, Screen::Conversations);
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Cmd::Fetch(Fetch::Detail {
                id: convo::provider::ConversationRef::Pk(3),
                ..
            })
        )),
        "{cmds:?}"
    );
}

/// A conversation whose usage is priced, or partly unpriced.
fn conversation(unpriced: bool) -> Arc<Conversation> {
    let sources = if unpriced {
        json!(["backend", "unpriced"])
    } else {
        json!(["backend"])
    };
    Arc::new(
        serde_json::from_value(json!({
            "id": 42, "conversation_id": "conv-abc-123", "name": "Refund for order 88412",
            "customer_id": "user-456", "device": "mobile", "language": "en",
            "environment": "production", "started_at": "2024-01-15T23:58:00Z",
            "token_usage": {"totals": {"prompt_tokens": 8210, "completion_tokens": 1650, "total_tokens": 9860},
                            "cost_usd": "0.05242500", "cost_sources": sources,
                            "models": [{"model": "claude-sonnet-4-5", "cost_source": "backend",
                                        "cost_usd": "0.05242500", "total_tokens": 9860}]},
            "messages": []
        }))
        .unwrap(),
    )
}

#[test]
fn the_detail_header_says_what_the_conversation_cost() {
    let mut out = String::new();
    for unpriced in [false, true] {
        let mut view = DetailView::new(conversation(unpriced), Zone::Utc, MONO);
        let mut terminal = Terminal::new(TestBackend::new(100, 6)).unwrap();
        view.prepare(100, 6);
        terminal
            .draw(|frame| view.render(frame.area(), frame.buffer_mut()))
            .unwrap();
        let text = screen_text(terminal.backend().buffer());
        let second = text.lines().nth(1).unwrap();
        if unpriced {
            assert!(
                second.contains("9.9k tokens · $0.052425 + unpriced"),
                "{text}"
            );
        } else {
            assert!(second.contains("9.9k tokens · $0.052425 ·"), "{text}");
        }
        out.push_str(&text.lines().take(3).collect::<Vec<_>>().join("\n"));
        out.push('\n');
    }
    snap!("usage_detail_header_cost", out);
}

/// What the test can see after a frame.
#[derive(Clone, Debug)]
struct Seen {
    screen_shown: Screen,
    busy: bool,
    filter_open: bool,
    loaded: bool,
    currency: Currency,
    conversations: Vec<String>,
    query: String,
    unsupported: Option<String>,
    open_id: Option<i64>,
    screen: String,
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        let usage = &state.screens.usage;
        Self {
            screen_shown: state.screen,
            busy: state.busy(),
            filter_open: state.filter.is_some(),
            loaded: usage.shown.is_some() && !usage.loading,
            currency: usage.shown.as_ref().map_or(usage.currency, |r| r.currency),
            conversations: usage.shown.as_ref().map_or_else(Vec::new, |r| {
                r.conversations()
                    .iter()
                    .filter_map(|g| g.group.clone())
                    .collect()
            }),
            query: usage.query.as_ref().map(Query::summary).unwrap_or_default(),
            unsupported: usage.unsupported.clone(),
            open_id: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            screen: screen_text(buffer),
        }
    }
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

fn agentsight(server: &RunningServer) -> Arc<dyn Provider> {
    Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    )
}

/// The conversation pks of a summary, biggest first, as the screen lists them.
fn pks(summary: &UsageSummary) -> Vec<String> {
    convo::format::usage::biggest_first(summary.results())
        .iter()
        .filter_map(|g| g.group.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_screen_currency_environment_filter_and_opening_a_conversation() {
    let server = common::start(generate(120, 7), ServerConfig::default()).await;
    let provider = agentsight(&server);
    let all = provider.plane_query(Plane::Usage).unwrap();
    let all_usd = provider
        .usage_summary(&all, UsageGrouping::Conversation, Currency::Usd)
        .await
        .unwrap();
    let environment = provider
        .usage_rows(&all, 1, 100)
        .await
        .unwrap()
        .items
        .iter()
        .find_map(|r| r.environment.clone())
        .expect("rows name their environment");
    let mut narrowed = all.clone();
    narrowed.set("environment", &environment).unwrap();
    let narrowed_eur = provider
        .usage_summary(&narrowed, UsageGrouping::Conversation, Currency::Eur)
        .await
        .unwrap();
    assert!(
        narrowed_eur.results().len() < all_usd.results().len(),
        "the data set must make the environment filter matter"
    );

    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        agentsight_state(120, 40, MONO),
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver
            .until("the conversation list", |s| {
                !s.busy && s.screen.contains("conversations · page 1/")
            })
            .await;
        driver.press(KeyCode::Char('U'));
        let usd = driver
            .until("the usage in dollars", |s| {
                s.screen_shown == Screen::Usage && s.loaded && !s.busy
            })
            .await;
        assert_eq!(usd.conversations, pks(&all_usd));
        assert!(usd.screen.contains("[U Usage]"), "{}", usd.screen);
        assert!(usd.screen.contains("Spend by day"), "{}", usd.screen);
        assert!(usd.screen.contains("not priced"), "{}", usd.screen);

        driver.press(KeyCode::Char('$'));
        let eur = driver
            .until("the usage in euros", |s| {
                s.loaded && !s.busy && s.currency == Currency::Eur
            })
            .await;
        assert!(eur.screen.contains("EUR"), "{}", eur.screen);

        // Filter by environment through the panel.
        driver.press(KeyCode::Char('f'));
        let panel = driver.until("the usage filters", |s| s.filter_open).await;
        let down = panel
            .screen
            .lines()
            .skip(3)
            .position(|l| l.contains(" environment "))
            .unwrap_or_else(|| panic!("an environment row in\n{}", panel.screen));
        for _ in 0..down {
            driver.press(KeyCode::Char('j'));
        }
        driver.press(KeyCode::Enter);
        driver.type_text(&environment);
        driver.press(KeyCode::Enter);
        let filtered = driver
            .until("the usage of one environment", |s| {
                !s.filter_open && s.loaded && !s.busy && s.query.contains("env=")
            })
            .await;
        assert_eq!(filtered.conversations, pks(&narrowed_eur));
        assert_eq!(filtered.currency, Currency::Eur, "the currency stays");

        // Enter opens the biggest spender in the conversations' detail pane.
        let first: i64 = filtered.conversations[0].parse().unwrap();
        driver.press(KeyCode::Enter);
        let opened = driver
            .until("the conversation open", |s| {
                s.screen_shown == Screen::Conversations && s.open_id == Some(first) && !s.busy
            })
            .await;
        assert!(opened.screen.contains(" tokens · "), "{}", opened.screen);
        driver.press(KeyCode::Char('q'));
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatdash_says_it_has_no_usage() {
    let server = common::start(Vec::new(), ServerConfig::default()).await;
    let provider: Arc<dyn Provider> = Arc::new(
        ChatDash::new(ChatDashConfig::new(
            server.base_url(),
            Some(DEMO_CHATDASH_KEY.to_owned()),
            Some(DEMO_AGENT.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let mut state = State::new(state::init(
        "test",
        ProviderInfo {
            kind: ProviderKind::ChatDash,
            host: "127.0.0.1:8787".to_owned(),
        },
    ));
    state.size = (80, 24);
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver.until("the list", |s| !s.busy).await;
        driver.press(KeyCode::Char('U'));
        let usage = driver
            .until("the usage screen saying so", |s| {
                s.unsupported.is_some() && !s.busy
            })
            .await;
        assert!(
            usage.screen.contains("ChatDash has no token usage"),
            "{}",
            usage.screen
        );
        driver.press(KeyCode::Char('q'));
        driver
            .until("the conversations", |s| {
                s.screen_shown == Screen::Conversations
            })
            .await;
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

/// The official client's `usage.summary` for each grouping and currency, as JSON.
const OFFICIAL_SUMMARIES: &str = r#"
import json
from agentsight.api import AgentSight
ags = AgentSight()
out = {}
for group_by in ("day", "model", "conversation"):
    for currency in ("usd", "eur"):
        out[f"{group_by}/{currency}"] = ags.usage.summary(group_by, currency=currency)
print(json.dumps(out))
"#;

/// Runs `convo ARGS` against the server with the demo key.
async fn convo(server: &RunningServer, args: &[&str]) -> String {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
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

/// A money cell's figure as the official answer writes it, for the currency.
fn figure(g: &Value, currency: &str) -> Option<f64> {
    g.get(if currency == "eur" {
        "cost_eur"
    } else {
        "cost_usd"
    })
    .and_then(Value::as_f64)
}

#[tokio::test]
async fn convo_usage_lays_out_what_the_official_client_reads() {
    if !crate::official_client::have_official_client(
        "convo_usage_lays_out_what_the_official_client_reads",
    )
    .await
    {
        return;
    }
    let server = common::start(generate(80, 5), ServerConfig::default()).await;
    let output = tokio::process::Command::new("python3")
        .args(["-c", OFFICIAL_SUMMARIES])
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("run python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let official: Value = serde_json::from_slice(&output.stdout).unwrap();

    for currency in ["usd", "eur"] {
        // By day: one chart line per day with usage, its figure or "not converted".
        let days = official[format!("day/{currency}")]["results"]
            .as_array()
            .unwrap();
        let chart = convo(
            &server,
            &["usage", "--group-by", "day", "--currency", currency],
        )
        .await;
        assert!(
            days.iter().any(|g| figure(g, "eur").is_none()) || currency == "usd",
            "the data set must have a day without a euro rate"
        );
        for g in days {
            let date = g["group"].as_str().unwrap();
            let line = chart
                .lines()
                .find(|l| l.starts_with(date))
                .unwrap_or_else(|| panic!("{date} in\n{chart}"));
            match figure(g, currency) {
                Some(v) => {
                    let want = convo::format::usage::amount(
                        v,
                        if currency == "eur" {
                            Currency::Eur
                        } else {
                            Currency::Usd
                        },
                    );
                    assert!(line.contains(&want), "{want} in {line}");
                }
                None => assert!(line.contains("not converted"), "{line}"),
            }
        }
        // By model and by conversation: the same groups, biggest first, each figure as sent.
        for grouping in ["model", "conversation"] {
            let groups = official[format!("{grouping}/{currency}")]["results"]
                .as_array()
                .unwrap();
            let table = convo(
                &server,
                &["usage", "--group-by", grouping, "--currency", currency],
            )
            .await;
            let lines: Vec<&str> = table.lines().skip(1).collect();
            assert_eq!(lines.len(), groups.len(), "{table}");
            let mut by_usd: Vec<&Value> = groups.iter().collect();
            by_usd.sort_by(|a, b| {
                figure(b, "usd")
                    .unwrap()
                    .total_cmp(&figure(a, "usd").unwrap())
            });
            for (line, g) in lines.iter().zip(by_usd) {
                let name = match &g["group"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let named = if grouping == "conversation" {
                    line.split_whitespace()
                        .take(2)
                        .any(|w| w == name || w == format!("(#{name})"))
                } else {
                    line.starts_with(&name)
                };
                assert!(named, "{name} on {line}\n{table}");
                let usd = g["cost_usd"].to_string();
                let nothing_priced = figure(g, "usd") == Some(0.0) && line.contains("not priced");
                assert!(
                    nothing_priced || line.contains(&format!("${usd}")),
                    "${usd} on {line}"
                );
                if currency == "eur" && !nothing_priced {
                    match g.get("cost_eur") {
                        Some(eur) => assert!(line.contains(&format!("€{eur}")), "{line}"),
                        None => assert!(line.contains("not converted"), "{line}"),
                    }
                }
            }
            assert!(
                table.contains("not priced"),
                "the data set has unpriced calls: {table}"
            );
        }
    }
    server.shutdown().await.unwrap();
}
