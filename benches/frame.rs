//! What a frame costs: drawing the whole screen (list + Messages tab) at 200×50, and the bytes and time of one `j` in the list at 120×40.
// A benchmark whose setup fails should stop on the spot.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::io;

#[path = "../tests/it/support/offline.rs"]
mod offline;
#[path = "../tests/it/support/state.rs"]
mod state;
use offline::Offline;

use convo::app::msg::Msg;
use convo::app::state::State;
use convo::app::update::update;
use convo::term::CountingWriter;
use convo::ui::render;
use convo::view::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// A browser with page 1 of 120 generated conversations listed (50 a page) and the first one's transcript beside it.
fn listed(width: u16, height: u16) -> State {
    Offline::new(120, 50).listed(
        width,
        height,
        Theme {
            mono: false,
            light: false,
        },
    )
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
