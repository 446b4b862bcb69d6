//! The Usage screen over 10,000 generated conversations served on 127.0.0.1: the first frame after the rollups arrive (the reply taken by update, then the whole screen drawn at 120×40).
// A benchmark whose setup fails should stop on the spot.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::net::SocketAddr;

#[path = "../tests/it/support/state.rs"]
mod state;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::screens::{ScreenFetch, ScreenMsg, UsageReport};
use convo::app::state::State;
use convo::app::update::update;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::{Currency, Plane, Provider, ProviderInfo, ProviderKind, UsageGrouping};
use convo::server::{DEMO_API_KEY, ServerConfig};
use convo::ui::render;
use convo::view::theme::Theme;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const CONVERSATIONS: usize = 10_000;

/// The rollups and their flags as the screen's fetch reads them from a server over the generated data.
fn served_report() -> (convo::provider::Query, UsageReport) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let data = convo::server::generate::generate(CONVERSATIONS, 42);
        let server = convo::server::spawn(
            data,
            ServerConfig::default(),
            SocketAddr::from(([127, 0, 0, 1], 0)),
        )
        .await
        .expect("bind 127.0.0.1:0");
        let provider = AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .expect("a provider");
        let query = provider.plane_query(Plane::Usage).expect("a usage plane");
        let summary = |grouping| provider.usage_summary(&query, grouping, Currency::Usd);
        let report = UsageReport {
            currency: Currency::Usd,
            by_day: summary(UsageGrouping::Day).await.expect("by day"),
            by_model: summary(UsageGrouping::Model).await.expect("by model"),
            by_conversation: summary(UsageGrouping::Conversation)
                .await
                .expect("by conversation"),
            flags: convo::runtime::usage::flags(&provider, &query).await,
        };
        server.shutdown().await.expect("stopped");
        (query, report)
    })
}

/// The browser on the Usage screen, its request in flight: the state and the generation a reply must carry.
fn waiting() -> (State, u64) {
    let mut init = state::init(
        "bench",
        ProviderInfo {
            kind: ProviderKind::AgentSight,
            host: "127.0.0.1:8787".to_owned(),
        },
    );
    init.theme = Theme {
        mono: false,
        light: false,
    };
    init.size = (120, 40);
    let mut state = State::new(init);
    let cmds = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('U'), KeyModifiers::NONE)),
    );
    let generation = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Fetch(Fetch::Screen(ScreenFetch::Usage { generation, .. })) => Some(*generation),
            _ => None,
        })
        .expect("U asks for the usage");
    (state, generation)
}

fn first_frame(c: &mut Criterion) {
    let (query, report) = served_report();
    eprintln!(
        "usage over {CONVERSATIONS} conversations: {} days, {} models, {} conversations",
        report.by_day.results().len(),
        report.by_model.results().len(),
        report.by_conversation.results().len()
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    c.bench_function(
        "usage screen, 10k conversations: first frame after the rollups arrive (120x40)",
        |b| {
            b.iter_batched(
                || {
                    let (state, generation) = waiting();
                    let msg = Msg::Screen(ScreenMsg::UsageLoaded {
                        generation,
                        query: query.clone(),
                        report: Box::new(report.clone()),
                    });
                    (state, msg)
                },
                |(mut state, msg)| {
                    let _ = update(&mut state, msg);
                    terminal
                        .draw(|frame| render(black_box(&state), frame))
                        .expect("drawn");
                    state
                },
                BatchSize::LargeInput,
            );
        },
    );
}

criterion_group!(benches, first_frame);
criterion_main!(benches);
