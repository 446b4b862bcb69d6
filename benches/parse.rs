//! Parsing a 5,000-message conversation (as `GET /api/conversations/{pk}/?full=true` returns it) into the domain model.

use std::hint::black_box;

use convo::provider::model::Conversation;
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "support/mod.rs"]
mod support;
use support::conversation_json;

fn parse(c: &mut Criterion) {
    for messages in [10, 5_000] {
        let body = conversation_json(messages);
        let parsed: Conversation = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(
            parsed.messages().len(),
            messages,
            "the benchmark must parse what it claims to"
        );
        c.bench_function(
            &format!(
                "parse conversation, {messages} messages ({} KB)",
                body.len() / 1024
            ),
            |b| {
                b.iter(|| serde_json::from_slice::<Conversation>(black_box(&body)));
            },
        );
    }
}

criterion_group!(benches, parse);
criterion_main!(benches);
