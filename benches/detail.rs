//! The detail pane on a 200×50 buffer: opening a conversation (parse, view, layout, first frame), a scroll frame, a page of fresh layout, and a search — for 10 and 5,000 messages.

use std::hint::black_box;
use std::sync::Arc;

use convo::provider::model::Conversation;
use convo::view::detail::{DetailView, Scroll, Tab, Zone};
use convo::view::theme::Theme;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

#[path = "support/mod.rs"]
mod support;
use support::conversation_json;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

fn parse(body: &[u8]) -> Arc<Conversation> {
    Arc::new(serde_json::from_slice(body).unwrap_or_default())
}

/// A view prepared on the middle of the transcript.
fn opened(conversation: &Arc<Conversation>) -> DetailView {
    let mut view = DetailView::new(
        Arc::clone(conversation),
        Zone::Utc,
        Theme {
            mono: false,
            light: false,
        },
    );
    view.prepare(WIDTH, HEIGHT);
    let middle = conversation.messages().len() * 3 / 2;
    view.scroll(Scroll::Down(middle));
    view.prepare(WIDTH, HEIGHT);
    view
}

fn detail(c: &mut Criterion) {
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    for messages in [10, 5_000] {
        let body = conversation_json(messages);
        let conversation = parse(&body);
        assert_eq!(
            conversation.messages().len(),
            messages,
            "the benchmark must open what it claims to"
        );

        c.bench_function(
            &format!("detail open (parse + first frame), {messages} messages"),
            |b| {
                let mut buf = Buffer::empty(area);
                b.iter(|| {
                    let conversation = parse(black_box(&body));
                    let mut view = DetailView::new(
                        conversation,
                        Zone::Utc,
                        Theme {
                            mono: false,
                            light: false,
                        },
                    );
                    view.prepare(WIDTH, HEIGHT);
                    buf.reset();
                    view.render(area, &mut buf);
                    black_box(&buf);
                });
            },
        );

        c.bench_function(&format!("detail scroll frame, {messages} messages"), |b| {
            let mut view = opened(&conversation);
            let mut buf = Buffer::empty(area);
            let mut step = 0_usize;
            b.iter(|| {
                // Down a while, then back up, so the view never rests at an end.
                step += 1;
                let how = if (step / 200) % 2 == 0 {
                    Scroll::Down(1)
                } else {
                    Scroll::Up(1)
                };
                view.scroll(how);
                view.prepare(WIDTH, HEIGHT);
                buf.reset();
                view.render(area, &mut buf);
                black_box(&buf);
            });
        });

        c.bench_function(
            &format!("detail page down into fresh layout, {messages} messages"),
            |b| {
                let mut buf = Buffer::empty(area);
                b.iter_batched(
                    || {
                        let mut view = DetailView::new(
                            Arc::clone(&conversation),
                            Zone::Utc,
                            Theme {
                                mono: false,
                                light: false,
                            },
                        );
                        view.prepare(WIDTH, HEIGHT);
                        view
                    },
                    |mut view| {
                        view.scroll(Scroll::PageDown);
                        view.prepare(WIDTH, HEIGHT);
                        buf.reset();
                        view.render(area, &mut buf);
                        black_box(&buf);
                        view
                    },
                    BatchSize::SmallInput,
                );
            },
        );

        c.bench_function(
            &format!("detail search (cold, whole transcript), {messages} messages"),
            |b| {
                b.iter_batched(
                    || opened(&conversation),
                    |mut view| {
                        let status = view.search(black_box("order"));
                        view.prepare(WIDTH, HEIGHT);
                        black_box(status);
                        view
                    },
                    BatchSize::SmallInput,
                );
            },
        );

        c.bench_function(
            &format!("detail raw tab first frame, {messages} messages"),
            |b| {
                let mut buf = Buffer::empty(area);
                b.iter_batched(
                    || opened(&conversation),
                    |mut view| {
                        view.set_tab(Tab::Raw);
                        view.prepare(WIDTH, HEIGHT);
                        buf.reset();
                        view.render(area, &mut buf);
                        black_box(&buf);
                        view
                    },
                    BatchSize::SmallInput,
                );
            },
        );
    }
}

criterion_group!(benches, detail);
criterion_main!(benches);
