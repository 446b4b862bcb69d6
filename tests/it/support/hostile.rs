//! A hostile data set as wire JSON, built at run time and the same on every run: text that attacks a terminal, wrong types, extreme numbers, odd and invalid timestamps, duplicate ids, deep nesting, a 1 MB message and a 50,000-message conversation.
//!
//! `conversations()` is the everyday set (`AgentSight` records, small enough to
//! serve and render in every test); the big ones have their own builders so
//! a test only pays for what it uses. Nothing here is committed as data.

use serde_json::{Map, Value, json};

/// The pieces every hostile text is made of, by name: escape sequences of
/// every family, controls, bidi tricks, and the Unicode that tests column
/// arithmetic. The names show up in test failures.
pub(crate) const PIECES: &[(&str, &str)] = &[
    (
        "csi",
        "\x1b[2J\x1b[H\x1b[31mred\x1b[0m \x1b[?1049l \x1b[?25l \x1b[6n \x1b[?1000h \x1b[1;1r",
    ),
    (
        "osc-title",
        "\x1b]0;PWNED-TITLE\x07 \x1b]2;PWNED-TITLE2\x1b\\",
    ),
    (
        "osc-clipboard",
        "\x1b]52;c;UFdORUQ=\x07 \x1b]52;p;UFdORUQ=\x1b\\",
    ),
    (
        "osc-hyperlink",
        "\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07",
    ),
    (
        "dcs",
        "\x1bP+q544e\x1b\\ \x1bPtmux;\x1b\x1b]52;c;UFdORUQ=\x07\x1b\\ \x1b_apc\x1b\\ \x1b^pm\x1b\\",
    ),
    ("window-name", "\x1bkPWNED-WIN\x1b\\"),
    (
        "c1",
        "\u{9b}31mcsi8 \u{9d}0;PWNED-C1\u{9c} \u{90}dcs8\u{9c} \u{85}nel \u{84}\u{8d}\u{9f}",
    ),
    ("del", "a\x7fb\x7f"),
    (
        "nul-and-c0",
        "a\0b\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x1a\x1c\x1f",
    ),
    ("tabs-crlf", "a\tb\r\nc\rd\n\n\te\r"),
    (
        "bidi",
        "\u{202e}gnp.exe \u{202a}l\u{202b}r\u{202c}\u{202d}o \u{2066}i\u{2067}\u{2068}\u{2069}",
    ),
    ("bidi-marks", "\u{200e}lrm \u{200f}rlm \u{61c}alm"),
    (
        "zero-width",
        "a\u{200b}b\u{200c}c\u{200d}d\u{2060}e\u{feff}f\u{ad}g\u{180e}h",
    ),
    (
        "combining",
        "Z\u{334}\u{321}\u{322}\u{31b}\u{317}\u{318}\u{319}\u{31c}a\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}lgo e\u{301} \u{301}lead",
    ),
    (
        "emoji",
        "👩\u{200d}👩\u{200d}👧\u{200d}👦 👨🏽\u{200d}💻 🏳\u{fe0f}\u{200d}🌈 🇯🇵🇫🇷🇩 ❤\u{fe0f} 1\u{fe0f}\u{20e3} 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
    ),
    ("wide", "日本語テキスト 한국어 ｆｕｌｌ ﾊﾞﾊﾟ"),
    ("rtl", "مرحبا بالعالم שלום עולם"),
    (
        "separators",
        "line\u{2028}sep\u{2029}para \u{b}vt\u{c}ff \u{1680}\u{3000}ideo",
    ),
    (
        "specials",
        "\u{fffd}\u{fffe}\u{ffff}\u{e000}\u{10ffff}\u{e0001}\u{e0041}\u{fff9}\u{fffb}",
    ),
    (
        "markdown",
        "# Heading \x1b]0;md\x07\n* item \x1b[31m\n  * nested &#27;]0;entity&#7; &#x9b;31m &#x202e;rlo\n\n```\x1b[2J\ncode \x1b[2J\ttab\n```\n[link\x1b[5m](javascript:\x1b]0;t\x07) <b>\x1b</b> ![img](\u{202e}x)\n> quote \u{9b}2J\n\n| a | b\x1b |\n|---|---|\n| \x07 | c |",
    ),
];

/// Every piece in one string, each introduced by its name.
#[must_use]
pub(crate) fn all_pieces() -> String {
    PIECES
        .iter()
        .map(|(name, text)| format!("[{name}] {text}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A hostile text for field `field`: its name (so a failure says where), then
/// the piece chosen by `n`, so different fields carry different attacks.
#[must_use]
pub(crate) fn text(field: &str, n: usize) -> String {
    let (name, piece) = PIECES[n % PIECES.len()];
    format!("{field} <{name}> {piece}")
}

/// Metadata with hostile keys and values, arrays and objects mixed in.
fn hostile_metadata(n: usize) -> Value {
    let mut map = Map::new();
    for (i, (name, piece)) in PIECES.iter().enumerate() {
        map.insert(format!("{name}:{piece}"), json!(text("metadata", n + i)));
    }
    map.insert(
        "nested\x1b]0;key\x07".to_owned(),
        json!({"list": [1, "two\x1b[2J", null, {"k\u{202e}": "v\u{9b}"}], "n": -1e300}),
    );
    Value::Object(map)
}

/// One message per piece, sender, action and logs all hostile.
fn hostile_messages(pk: i64) -> Vec<Value> {
    let mut messages = Vec::new();
    for (i, (name, piece)) in PIECES.iter().enumerate() {
        let id = pk * 1_000 + i64::try_from(i).unwrap_or(0);
        let mut message = json!({
            "id": id,
            "timestamp": format!("2024-01-15T10:{:02}:00Z", i % 60),
            "sender": if i % 2 == 0 { "end_user".to_owned() } else { text("sender", i) },
            "content": format!("content <{name}> {piece}\nsecond line {piece}"),
        });
        if i % 3 == 0 {
            message["action_name"] = json!(text("action", i));
            message["action_logs"] = json!([{
                "id": id,
                "started_at": "2024-01-15T10:30:00Z",
                "ended_at": "2024-01-15T10:30:01Z",
                "duration_ms": 1500,
                "tools_used": {text("tool", i): text("arg", i + 1), "plain": [text("arr", i + 2)]},
                "response": text("response", i + 3),
                "error_message": if i % 2 == 0 { text("error", i + 4) } else { String::new() },
                "metadata": hostile_metadata(i),
            }]);
        }
        if i % 4 == 0 {
            message["attachments"] = json!([{
                "id": id,
                "type": text("type", i),
                "filename": text("file", i + 1),
                "mime_type": text("mime", i + 2),
                "size_bytes": 1024,
                "file_url": format!("https://files.example/{}", text("url", i + 3)),
            }]);
        }
        if i % 5 == 0 {
            message["metadata"] = hostile_metadata(i);
            message["button"] = json!({"label": text("button", i), "payload": piece});
        }
        messages.push(message);
    }
    messages
}

/// Every text field of every part of a conversation hostile.
#[must_use]
pub(crate) fn hostile_text(pk: i64) -> Value {
    json!({
        "id": pk,
        "conversation_id": format!("conv-hostile-{pk}-{}", text("id", 0)),
        "name": text("name", 1),
        "customer_id": text("customer", 2),
        "customer_ip_address": text("ip", 3),
        "device": text("device", 4),
        "language": text("language", 5),
        "environment": text("environment", 6),
        "is_marked": true,
        "is_deleted": false,
        "started_at": "2024-01-15T10:30:00Z",
        "ended_at": "2024-01-15T11:30:00Z",
        "metadata": hostile_metadata(7),
        "geo_location": {
            "ip_address": text("geo-ip", 8),
            "city": text("city", 9),
            "country": text("country", 10),
            "timezone_name": text("tz", 11),
        },
        "messages": hostile_messages(pk),
        "feedbacks": [
            {"id": 1, "sentiment": "negative", "source": "customer", "comment": all_pieces(), "created_at": "2024-01-15T12:00:00Z"},
            {"id": 2, "sentiment": text("sentiment", 12), "source": text("source", 13), "comment": text("comment", 14),
             "metadata": hostile_metadata(15), "created_at": text("created", 16)},
        ],
        "tickets": [{
            "id": 1, "title": text("title", 17), "status": text("status", 18), "priority": text("priority", 19),
            "tags": [text("tag", 0), text("tag", 1)], "environment": text("env", 2), "created_at": "2024-01-15T12:00:00Z",
            "comments": [{"id": 1, "author": text("author", 3), "body": all_pieces(), "created_at": "2024-01-15T12:05:00Z"}],
        }],
        "token_usage": {
            "input_tokens": 10, "output_tokens": 20, "total_tokens": 30, "cost_usd": text("cost", 4),
            "cost_sources": {text("src", 5): 1},
            "by_model": [{"model": text("model", 6), "calls": 1, "cost_usd": "0.01", "cost_source": text("cs", 7)}],
        },
        text("unknown-key", 8): text("unknown-value", 9),
    })
}

/// Numbers, arrays and objects where strings belong, and the reverse.
#[must_use]
pub(crate) fn wrong_types(pk: i64) -> Value {
    json!({
        "id": pk,
        "conversation_id": 12345,
        "name": {"first": "\x1b]0;obj\x07", "list": [1, 2]},
        "customer_id": ["a\x1b[2J", 2, null],
        "customer_ip_address": 3.25,
        "device": true,
        "language": -0.0,
        "environment": {"prod": true},
        "is_marked": "yes",
        "is_deleted": "maybe",
        "is_used": [true],
        "started_at": {"$date": "2024-01-15T10:30:00Z"},
        "ended_at": [2024, 1, 15],
        "metadata": "metadata as a string \x1b]52;c;UFdORUQ=\x07",
        "geo_location": "Berlin \u{202e}",
        "messages": [
            "a bare string \x1b[2J",
            42,
            null,
            [1, 2, 3],
            {"id": "7", "timestamp": 1_705_314_600, "sender": 99, "content": {"text": "object content \x1b]0;x\x07"}},
            {"id": 8.9, "timestamp": true, "sender": ["end_user"], "content": ["array", "content", 1]},
            {"id": null, "sender": null, "content": 123_456_789, "action_name": 5,
             "action_logs": {"not": "a list"}, "attachments": "none"},
            {"sender": "agent", "content": "logs of the wrong shape", "action_name": "lookup",
             "action_logs": [null, 5, "x", {"duration_ms": "150", "tools_used": "db=users", "response": {"rows": [1]},
                              "error_message": ["boom", "\x1b[31m"]}]},
        ],
        "feedbacks": "great",
        "tickets": {"id": 1},
        "token_usage": [1, 2, 3],
    })
}

/// Huge, negative and fractional sizes, durations, counts and costs.
#[must_use]
pub(crate) fn extremes(pk: i64) -> Value {
    let sizes = [
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(-1),
        json!(0),
        json!(1e300),
        json!(-1e300),
        json!(0.5),
        json!("9999999999999999999999"),
        json!("-5"),
        json!("NaN"),
        json!("1e400"),
    ];
    let attachments: Vec<Value> = sizes
        .iter()
        .enumerate()
        .map(|(i, size)| {
            json!({"id": i, "type": "document", "filename": format!("size-{i}.pdf"),
                   "mime_type": "application/pdf", "size_bytes": size})
        })
        .collect();
    let logs: Vec<Value> = sizes
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({"id": i, "duration_ms": d, "started_at": "2024-01-15T10:30:00Z",
                   "ended_at": if i % 2 == 0 { "1970-01-01T00:00:00Z" } else { "9999-12-31T23:59:59Z" },
                   "error_message": if i % 3 == 0 { "failed" } else { "" }})
        })
        .collect();
    json!({
        "id": pk,
        "conversation_id": format!("conv-extremes-{pk}"),
        "name": "extreme numbers",
        "started_at": "2024-01-15T10:30:00Z",
        // Ends before it starts: a negative duration.
        "ended_at": "2024-01-14T10:30:00Z",
        "messages": [
            {"id": i64::MAX, "timestamp": "2024-01-15T10:30:00Z", "sender": "end_user",
             "content": "attachments of every size", "attachments": attachments},
            {"id": i64::MIN, "timestamp": "2024-01-15T10:31:00Z", "sender": "agent",
             "content": "", "action_name": "extreme", "action_logs": logs},
        ],
        "token_usage": {
            "input_tokens": i64::MAX, "output_tokens": i64::MIN, "total_tokens": u64::MAX,
            "cost_usd": "-0.01", "cost_sources": ["unpriced", "backend", 7],
            "by_model": [
                {"model": "m", "calls": -3, "input_tokens": 1e300, "cost_usd": "1e309", "cost_source": "reported"},
                {"model": "n", "calls": u64::MAX, "cost_usd": 0.1},
                {"model": "o", "cost_usd": "NaN"},
                {"model": "p", "cost_usd": ""},
            ],
        },
    })
}

/// Timestamps in odd but valid spellings, and invalid ones.
pub(crate) const TIMESTAMPS: &[&str] = &[
    "2024-01-15T10:30:00.123456789+05:45",
    "2024-01-15T10:30:00-00:00",
    "2024-01-15 10:30:00",
    "2024-01-15T10:30",
    "2024-01-15",
    "2024-01-15t10:30:00z",
    "2016-12-31T23:59:60Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
    "+002024-01-15T10:30:00Z",
    "",
    " ",
    "not a date \x1b]0;ts\x07",
    "2024-13-45T99:00:00Z",
    "0000-00-00 00:00:00",
    "2024-02-30T10:00:00Z",
    "1705314600",
    "\u{202e}2024-01-15",
];

/// Every timestamp field in odd forms, epoch numbers (seconds, millis,
/// out of range) and non-strings; messages out of order.
#[must_use]
pub(crate) fn odd_timestamps(pk: i64) -> Value {
    let mut forms: Vec<Value> = TIMESTAMPS.iter().map(|t| json!(t)).collect();
    forms.extend([
        json!(1_705_314_600),
        json!(1_705_314_600_000_i64),
        json!(-1),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e20),
        json!(-1e300),
        json!(0.5),
        json!(true),
        json!([2024, 1, 15]),
        json!({"$date": 1}),
    ]);
    let messages: Vec<Value> = forms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({"id": i, "timestamp": t, "sender": if i % 2 == 0 { "end_user" } else { "agent" },
                   "content": format!("timestamp form {i}"), "action_name": if i % 4 == 0 { Value::Null } else { json!("act") },
                   "action_logs": [{"id": i, "started_at": t, "ended_at": forms[(i + 1) % forms.len()]}]})
        })
        .collect();
    let feedbacks: Vec<Value> = forms
        .iter()
        .enumerate()
        .map(|(i, t)| json!({"id": i, "sentiment": "neutral", "source": "platform", "created_at": t}))
        .collect();
    json!({
        "id": pk,
        "conversation_id": format!("conv-timestamps-{pk}"),
        "name": "odd timestamps",
        "started_at": "2024-01-15T10:30:00.123456789+05:45",
        "ended_at": "not a date",
        "deleted_at": 1e20,
        "is_deleted": false,
        "messages": messages,
        "feedbacks": feedbacks,
        "tickets": [{"id": 1, "title": "t", "created_at": -1, "comments": [{"id": 1, "body": "b", "created_at": "2016-12-31T23:59:60Z"}]}],
    })
}

/// Three records sharing a `conversation_id` and a primary key, with duplicate message ids.
#[must_use]
pub(crate) fn duplicates(pk: i64) -> Vec<Value> {
    (0..3)
        .map(|n| {
            json!({
                "id": pk,
                "conversation_id": "conv-duplicate",
                "name": format!("duplicate number {n}"),
                "customer_id": "same-customer",
                "started_at": format!("2024-01-1{}T10:00:00Z", 5 - n),
                "messages": [
                    {"id": 1, "sender": "end_user", "content": format!("I am duplicate {n}")},
                    {"id": 1, "sender": "agent", "content": format!("same message id, duplicate {n}")},
                ],
            })
        })
        .collect()
}

/// Nothing at all, and every field `null`.
#[must_use]
pub(crate) fn empties(pk: i64) -> Vec<Value> {
    vec![
        json!({}),
        json!({
            "id": pk, "conversation_id": null, "name": null, "customer_id": null, "device": null,
            "started_at": null, "metadata": null, "geo_location": null, "messages": null,
            "feedbacks": null, "tickets": null, "token_usage": null,
        }),
        json!({"id": pk + 1, "messages": [{}, {"content": null}, {"content": ""}, {"action_logs": [{}]}],
               "feedbacks": [{}], "tickets": [{}], "token_usage": {}}),
    ]
}

/// Markdown built to stress the renderer: deep quotes and lists, unclosed
/// fences, a huge heading, a word longer than any row, entities for controls.
#[must_use]
pub(crate) fn hostile_markdown(pk: i64) -> Value {
    let contents = [
        format!("{}deep quote", "> ".repeat(200)),
        // Deeper than a u16 of indentation columns can count.
        format!("{}deeper quote", "> ".repeat(40_000)),
        (0..60)
            .map(|i| format!("{}- level {i}", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n"),
        "```rust\nunclosed fence \x1b[2J\n\tstill code".to_owned(),
        format!("# {}", "heading ".repeat(500)),
        "x".repeat(20_000),
        "&#27;[2J &#x1b;]0;PWNED&#x07; &#155;31m &#x202e;rlo &#0; &#x110000; &#xD800; &amp;#27;"
            .to_owned(),
        "1. one\n2. two\n99999999999. not a list\n123456789. big start".to_owned(),
        "<script>\x1b]0;x\x07</script>\n<!-- \x1b[2J -->\n<div>\u{9b}2J</div>".to_owned(),
        "*emphasis **strong ~~strike `code \x1b[1m` x~~** y*".to_owned(),
        "[a](<\x1b]8;;evil\x07>) [b][ref]\n\n[ref]: https://e.example/\u{202e}x \"t\x1b]0;t\x07\""
            .to_owned(),
        "- [ ] task \x1b[31m\n- [x] done\n\n---\n\nfoot[^1]\n\n[^1]: note \x1b]0;fn\x07".to_owned(),
        "$math \x1b[2J$ and $$display\x07$$".to_owned(),
    ];
    let messages: Vec<Value> = contents
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"id": i, "sender": if i % 2 == 0 { "agent" } else { "end_user" }, "content": c}))
        .collect();
    json!({
        "id": pk,
        "conversation_id": format!("conv-markdown-{pk}"),
        "name": "hostile markdown",
        "started_at": "2024-01-15T10:30:00Z",
        "messages": messages,
    })
}

/// An object nested `depth` levels under a `deep` key, as JSON text: built
/// as text, so that neither building nor dropping it recurses.
#[must_use]
pub(crate) fn nested_json(depth: usize) -> String {
    format!(
        "{}\"bottom \\u001b]0;deep\\u0007\"{}",
        "{\"level\": ".repeat(depth),
        "}".repeat(depth)
    )
}

/// A conversation whose metadata, one message's metadata and one action's
/// tools are nested `depth` deep, as JSON text (one line), with ordinary
/// fields beside the deep ones so a lost record shows.
#[must_use]
pub(crate) fn deep_metadata_json(pk: i64, depth: usize) -> String {
    let deep = nested_json(depth);
    format!(
        "{{\"id\": {pk}, \"conversation_id\": \"conv-deep-{pk}\", \"name\": \"deep metadata\", \
         \"started_at\": \"2024-01-15T10:30:00Z\", \
         \"metadata\": {{\"visible\": \"shallow value\", \"deep\": {deep}}}, \
         \"messages\": [{{\"id\": 1, \"sender\": \"end_user\", \"content\": \"the message beside the deep metadata\", \
         \"metadata\": {deep}}}, {{\"id\": 2, \"sender\": \"agent\", \"content\": \"\", \"action_name\": \"deep_tool\", \
         \"action_logs\": [{{\"id\": 1, \"duration_ms\": 5, \"tools_used\": {{\"db\": {deep}}}, \"response\": \"ok\", \"error_message\": \"\"}}]}}]}}"
    )
}

/// The everyday hostile set, `AgentSight` conversations with primary keys from 1.
/// (The deep one is text: see [`deep_metadata_json`]; [`wire_lines`] includes it.)
#[must_use]
pub(crate) fn conversations() -> Vec<Value> {
    let mut all = vec![
        hostile_text(1),
        wrong_types(2),
        extremes(3),
        odd_timestamps(4),
        hostile_markdown(5),
    ];
    all.extend(duplicates(6));
    all.extend(empties(7));
    all
}

/// The everyday set plus a record with metadata nested 1,000 deep, as JSON lines:
/// what `convo serve --data` reads.
#[must_use]
pub(crate) fn wire_lines() -> String {
    let mut lines: Vec<String> = conversations().iter().map(Value::to_string).collect();
    lines.push(deep_metadata_json(20, 1_000));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// A conversation with one message of about `bytes` bytes: long lines,
/// hostile pieces, Markdown and a stretch without any space.
#[must_use]
pub(crate) fn big_message(pk: i64, bytes: usize) -> Value {
    let mut content = String::with_capacity(bytes + 1024);
    let mut n = 0;
    while content.len() < bytes {
        match n % 4 {
            0 => content.push_str(&"lorem ipsum dolor sit amet ".repeat(40)),
            1 => content.push_str(&text("big", n)),
            2 => content.push_str(&"-".repeat(3_000)),
            _ => content.push_str("\n\n## section\n\n* a\n* b\n\n```\ncode\n```\n"),
        }
        content.push('\n');
        n += 1;
    }
    content.push_str("THE END OF THE BIG MESSAGE");
    json!({
        "id": pk,
        "conversation_id": format!("conv-big-{pk}"),
        "name": "one huge message",
        "started_at": "2024-01-15T10:30:00Z",
        "messages": [
            {"id": 1, "sender": "end_user", "content": "before"},
            {"id": 2, "sender": "agent", "content": content},
            {"id": 3, "sender": "end_user", "content": "after"},
        ],
    })
}

/// A conversation of `count` messages; every tenth is an action, every
/// hundredth fails, and message `count / 2` holds [`MIDDLE_MARK`].
#[must_use]
pub(crate) fn long_conversation(pk: i64, count: usize) -> Value {
    let messages: Vec<Value> = (0..count)
        .map(|i| {
            let minute = i / 60;
            let timestamp = format!(
                "2024-01-{:02}T{:02}:{:02}:{:02}Z",
                1 + (minute / 1_440) % 28,
                (minute / 60) % 24,
                minute % 60,
                i % 60
            );
            let content = if i == count / 2 {
                format!("{MIDDLE_MARK} {}", text("middle", i))
            } else if i % 7 == 0 {
                text("message", i)
            } else {
                format!("message {i}: an ordinary line of a very long conversation")
            };
            let mut message = json!({"id": i, "timestamp": timestamp,
                                     "sender": if i % 2 == 0 { "end_user" } else { "agent" }, "content": content});
            if i % 10 == 5 {
                message["action_name"] = json!("lookup");
                message["action_logs"] = json!([{"id": i, "duration_ms": i, "tools_used": {"db": "users"},
                    "response": "ok", "error_message": if i % 100 == 5 { "timeout \x1b[31m" } else { "" }}]);
            }
            message
        })
        .collect();
    json!({
        "id": pk,
        "conversation_id": format!("conv-long-{pk}"),
        "name": format!("{count} messages"),
        "started_at": "2024-01-01T00:00:00Z",
        "messages": messages,
    })
}

/// The word in the middle message of [`long_conversation`].
pub(crate) const MIDDLE_MARK: &str = "MIDDLEMARKER";

/// `ChatDash` senders, one of them hostile.
const SENDERS: [&str; 4] = ["user", "bot", "agent", "system\x1b]0;s\x07"];

/// `ChatDash` conversations (with embedded messages) as the `ChatDash` routes serve them:
/// hostile text, wrong types, odd times.
#[must_use]
pub(crate) fn chatdash_records() -> Vec<Value> {
    vec![
        json!({
            "_id": "cd-hostile", "agentId": "demo-agent", "platformId": text("platform", 0),
            "name": text("name", 1), "read": false, "channel": text("channel", 2), "record": true, "interacted": true,
            "device": text("device", 3), "browser": text("browser", 4), "os": text("os", 5), "countryCode": text("cc", 6),
            "ipAddress": text("ip", 7), "createdAt": "2024-05-18T08:00:00.000Z", "updatedAt": "2024-05-18T08:06:05.000Z",
            "endedAt": "2024-05-18T08:05:05.000Z", "status": text("status", 8), "topic": text("topic", 9),
            "subtopic": text("subtopic", 10), "summary": all_pieces(),
            "evaluation": {"isSuccess": false, "reason": text("reason", 11)},
            "mistunderstoodQueries": [{"question": text("question", 12)}, {"question": 5}],
            "note": text("note", 13), "liveAgentName": text("live", 14), "endedReason": text("ended", 15),
            "metadata": hostile_metadata(16), "customAnalysis": {text("ca", 17): text("cav", 18)},
            "messages": PIECES.iter().enumerate().map(|(i, (name, piece))| json!({
                "_id": format!("m{i}"), "sender": SENDERS[i % SENDERS.len()], "type": "text",
                "content": {"text": format!("<{name}> {piece}")}, "createdAt": format!("2024-05-18T08:01:{:02}.000Z", i % 60),
            })).collect::<Vec<_>>(),
        }),
        json!({
            "_id": "cd-wrong-types", "agentId": "demo-agent", "name": ["not", "a", "name"], "record": true,
            "interacted": true, "read": "no", "cost": "abc", "duration": -5, "isLive": "maybe",
            "evaluation": "good", "mistunderstoodQueries": "none", "createdAt": 1_716_019_200_000_i64,
            "endedAt": {"$date": 1}, "summary": {"text": "object summary \x1b[2J"},
            "messages": [
                {"_id": "w1", "sender": 5, "content": 42, "createdAt": "not a date"},
                {"_id": "w2", "sender": "bot", "content": [1, "two"], "createdAt": -1},
                {"_id": "w3", "sender": "user", "content": {"other": "\x1b]52;c;UFdORUQ=\x07"}},
                {"_id": "w4", "sender": "user", "content": "bare \u{9b}31m string"},
                "not a message",
                null,
            ],
        }),
    ]
}

/// Whether `c` must never reach a terminal cell: C0, DEL, C1, and the bidi
/// embeddings, overrides and isolates the sanitiser replaces.
#[must_use]
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
