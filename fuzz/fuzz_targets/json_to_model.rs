//! Bytes as a wire body → the lenient reader (with its repair pass) of every record the providers read: nothing panics, and a model written back as JSON reads back to the same JSON.
#![no_main]

#[path = "common.rs"]
mod common;

use convo::provider::chatdash::wire::{ChatDashConversation, ChatDashMessage};
use convo::provider::model::{AttachmentIndex, Conversation, Identity, Page, WirePage};
use convo::provider::repair;
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Reads `data` as `T`; if it reads, what it writes must read back to the same JSON.
fn read<T: DeserializeOwned + Serialize>(data: &[u8]) -> Option<T> {
    let record: T = repair::from_slice(data).ok()?;
    let written = serde_json::to_vec(&record).expect("a model always serialises");
    let again: T = repair::from_slice(&written).expect("what the model writes reads back");
    let (before, after) = (
        serde_json::to_value(&record).expect("a model always serialises"),
        serde_json::to_value(&again).expect("a model always serialises"),
    );
    assert!(
        same(&before, &after),
        "a written record changed on reading:\n{before}\n{after}"
    );
    Some(record)
}

/// Equal JSON, floats within a rounding error (`serde_json` parses floats to
/// within an ulp unless its `float_roundtrip` feature is on).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                x == y || (x - y).abs() <= x.abs().max(y.abs()) * 1e-15
            }
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, vx), (ky, vy))| kx == ky && same(vx, vy))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(c) = read::<Conversation>(data) {
        let _ = c.display_id();
        let _ = c.attachments().count();
        for m in c.messages() {
            let _ = m.timestamp.as_ref().and_then(|t| t.instant());
        }
    }
    if let Some(wire) = read::<WirePage>(data) {
        let page = Page::from_wire(wire, 3, 50);
        assert!(page.total_pages >= 1 && page.page_size >= 1);
    }
    let _ = read::<AttachmentIndex>(data);
    let _ = read::<Identity>(data);
    if let Some(rows) = read::<Vec<ChatDashConversation>>(data) {
        for row in rows {
            let _ = row.into_conversation();
        }
    }
    if let Some(messages) = read::<Vec<ChatDashMessage>>(data) {
        for m in messages {
            let _ = m.into_message();
        }
    }
});
