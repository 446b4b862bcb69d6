//! What a frame costs: drawing the whole screen (list + Messages tab) at 200×50, and the bytes and time of one `j` in the list at 120×40.
// A benchmark whose setup fails should stop on the spot.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::io;
use std::sync::Arc;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::{Init, Source, State};
use convo::app::update::{start, update};
use convo::provider::{Conversation, ConversationRef, Page, ProviderInfo, ProviderKind, Query};
use convo::server::generate::{anchor, generate};
use convo::term::CountingWriter;
use convo::ui::detail::Zone;
use convo::ui::render;
use convo::ui::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const PAGE_SIZE: u32 = 50;

/// A browser with page 1 of 120 generated conversations listed and the first one's transcript beside it.
fn listed(width: u16, height: u16) -> State {
    let mut all = generate(120, 1);
    all.sort_by_key(|c| {
        std::cmp::Reverse(
            c.started_at
                .as_ref()
                .and_then(convo::provider::model::Timestamp::instant),
        )
    });
    let page = |n: u32| Page {
        conversations: all
            .chunks(PAGE_SIZE as usize)
            .nth(n as usize - 1)
            .unwrap_or_default()
            .iter()
            .map(|c| Conversation {
                messages: None,
                feedbacks: None,
                ..c.clone()
            })
            .collect(),
        total: all.len() as u64,
        page: n,
        page_size: PAGE_SIZE,
        total_pages: u32::try_from(all.len()).unwrap_or(0).div_ceil(PAGE_SIZE),
    };
    let mut state = State::new(Init {
        source: Source {
            profile: "bench".to_owned(),
            provider: ProviderInfo {
                kind: ProviderKind::AgentSight,
                host: "127.0.0.1:8787".to_owned(),
            },
        },
        query: Query::agentsight(),
        page_size: PAGE_SIZE,
        theme: Theme::from_env(false),
        zone: Zone::Utc,
        mouse: false,
        size: (width, height),
        log_file: None,
    });
    let mut cmds = start(&mut state, None);
    // Answer every fetch and timer as the runtime would, without a network.
    while let Some(cmd) = cmds.pop() {
        let reply = match cmd {
            Cmd::Fetch(Fetch::List {
                generation,
                page: n,
                ..
            }) => Msg::ListLoaded {
                generation,
                page: page(n),
            },
            Cmd::Fetch(Fetch::Prefetch {
                generation,
                page: n,
                ..
            }) => Msg::Prefetched {
                generation,
                page: page(n),
            },
            Cmd::Fetch(Fetch::Detail {
                generation,
                id: ConversationRef::Pk(pk),
            }) => Msg::DetailLoaded {
                generation,
                conversation: Arc::new(
                    all.iter()
                        .find(|c| c.id == Some(pk))
                        .cloned()
                        .unwrap_or_default(),
                ),
                fetched_at: anchor(),
            },
            Cmd::After { msg, .. } => *msg,
            _ => continue,
        };
        cmds.extend(update(&mut state, reply));
    }
    state
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A terminal that writes what a real one would get to nowhere, counting the bytes.
fn counting_terminal(
    width: u16,
    height: u16,
) -> (
    Terminal<CrosstermBackend<CountingWriter<io::Sink>>>,
    convo::term::ByteCount,
) {
    let writer = CountingWriter::new(io::sink());
    let count = writer.count();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let terminal = Terminal::with_options(CrosstermBackend::new(writer), options)
        .expect("a terminal in memory");
    (terminal, count)
}

fn full_frame(c: &mut Criterion) {
    let state = listed(200, 50);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
    c.bench_function("frame 200x50: list + Messages tab", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| render(black_box(&state), frame))
                .expect("drawn");
        });
    });
}

fn one_j(c: &mut Criterion) {
    let mut state = listed(120, 40);
    let (mut terminal, bytes) = counting_terminal(120, 40);
    terminal.draw(|frame| render(&state, frame)).expect("drawn");
    bytes.reset();
    let _ = update(&mut state, key('j'));
    terminal.draw(|frame| render(&state, frame)).expect("drawn");
    eprintln!(
        "bytes written for one j in the list at 120x40: {}",
        bytes.get()
    );
    let mut down = true;
    c.bench_function(
        "j in the list at 120x40: update + draw to a terminal",
        |b| {
            b.iter(|| {
                let _ = update(&mut state, key(if down { 'j' } else { 'k' }));
                down = !down;
                terminal.draw(|frame| render(&state, frame)).expect("drawn");
            });
        },
    );
}

criterion_group!(benches, full_frame, one_j);
criterion_main!(benches);
