//! The detail pane on a 200×50 buffer: opening a conversation (parse, view, layout, first frame), a scroll frame, a page of fresh layout, and a search — for 10 and 5,000 messages.

use std::hint::black_box;
use std::sync::Arc;

use convo::provider::model::Conversation;
use convo::ui::detail::{DetailView, Scroll, Tab, Zone};
use convo::ui::theme::Theme;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use serde_json::{Value, json};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

/// A transcript shaped like a real one (the generator of `benches/parse.rs`):
/// alternating turns of support-chat length with Markdown, an action with a
/// log on every third agent turn (every fifth of those failing), some
/// attachments and metadata, and a few fields this version does not know.
fn conversation_json(messages: usize) -> Vec<u8> {
    let lines = [
        "Hi, I ordered a pair of headphones last week and the tracking page has said 'label created' for five days now.",
        "Thanks for reaching out! I can look into that for you. Could you share your **order number**?",
        "Sure, it's 88412. I really need them before Friday, it's a gift 🎁",
        "I found your order. The carrier picked it up yesterday; here is what I see:\n\n- Shipped: Nov 12\n- Expected: Nov 15\n\nYou can track it [here](https://example.com/track/88412).",
    ];
    let messages: Vec<Value> = (0..messages)
        .map(|i| {
            let agent = i % 2 == 1;
            let action = agent && i % 3 == 0;
            let failed = action && i % 5 == 0;
            json!({
                "id": 100_000 + i,
                "timestamp": format!("2026-11-10T{:02}:{:02}:{:02}.{:06}Z", 8 + (i / 3600) % 12, (i / 60) % 60, i % 60, i * 7 % 1_000_000),
                "sender": if agent { "agent" } else { "end_user" },
                "content": if action { "Action lookup_order performed".to_owned() } else { lines[i % lines.len()].to_owned() },
                "action_name": if action { Value::from("lookup_order") } else { Value::Null },
                "metadata": if agent { json!({"model": "gpt-4o-mini", "latency_ms": 812}) } else { json!({}) },
                "attachments": if i % 50 == 0 {
                    json!([{"id": i, "type": "image", "filename": "screenshot.png", "mime_type": "image/png", "size_bytes": 245_680,
                            "file_url": "https://cdn.agentsight.io/files/conv-bench/screenshot.png?sig=abcdef0123456789"}])
                } else { json!([]) },
                "action_logs": if action {
                    json!([{"id": i, "started_at": "2026-11-10T08:00:01Z", "ended_at": "2026-11-10T08:00:01.150Z", "duration_ms": 150,
                            "tools_used": {"database": "orders_db", "query": "order_id=88412"}, "response": "Order 88412: shipped",
                            "error_message": if failed { "upstream timeout" } else { "" }, "metadata": {}}])
                } else { json!([]) },
                "button": Value::Null,
                "span_id": "b7ad6b7169203331",
            })
        })
        .collect();
    let conversation = json!({
        "id": 42, "conversation_id": "conv-bench", "name": "Where is my order?", "customer_id": "cust-8841",
        "customer_ip_address": "203.0.113.45", "device": "mobile", "language": "en", "environment": "production",
        "is_marked": false, "is_deleted": false, "is_used": true,
        "started_at": "2026-11-10T08:00:00Z", "ended_at": "2026-11-10T20:00:00Z", "deleted_at": null,
        "metadata": {"plan": "pro", "order": {"id": "88412", "total": 129.9}},
        "geo_location": {"ip_address": "203.0.113.45", "city": "Lyon", "country": "FR", "timezone_name": "Europe/Paris"},
        "messages": messages,
        "feedbacks": [{"id": 1, "sentiment": "negative", "source": "customer", "comment": "slow", "metadata": {}, "created_at": "2026-11-10T20:00:00Z"}],
        "tickets": [], "token_usage": null,
    });
    serde_json::to_vec(&conversation).unwrap_or_default()
}

fn parse(body: &[u8]) -> Arc<Conversation> {
    Arc::new(serde_json::from_slice(body).unwrap_or_default())
}

/// A view prepared on the middle of the transcript.
fn opened(conversation: &Arc<Conversation>) -> DetailView {
    let mut view = DetailView::new(Arc::clone(conversation), Zone::Utc, Theme { mono: false });
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
                    let mut view = DetailView::new(conversation, Zone::Utc, Theme { mono: false });
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
                            Theme { mono: false },
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
