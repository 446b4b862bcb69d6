//! What the benchmarks share: a realistic conversation of any length, as the API would send it.

use serde_json::{Value, json};

/// A transcript shaped like a real one :
/// alternating turns of support-chat length with Markdown, an action with a
/// log on every third agent turn (every fifth of those failing), some
/// attachments and metadata, and a few fields this version does not know.
pub(crate) fn conversation_json(messages: usize) -> Vec<u8> {
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
