//! A conversation's spans: per turn a `turn` root, `llm` children from its usage rows and `tool` children from its action logs — planned cheaply, written out in full only for what a request returns.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::ids::{self, draw};
use super::turns::{self, Turn, duration, instant_or};
use super::usage::{self, Entry, RowPlan, split};
use crate::provider::model::{Message, Span, SpanEvent, Timestamp};
use crate::server::record::Record;

const SALT_LLM: u64 = 0x006c_6c6d;
/// The most spans one conversation derives (positions must fit a row id).
const MAX_SPANS: usize = 999_999;

/// A conversation's turns and usage, which its spans are built from.
#[derive(Debug, Default)]
pub(crate) struct Derivation {
    pub turns: Vec<Turn>,
    pub entries: Vec<Entry>,
    pub rows: Vec<RowPlan>,
}

/// Turns and usage rows of one conversation.
pub(crate) fn derive(record: &Record) -> Derivation {
    let pk = record.derived.pk;
    let entries = record
        .token_usage
        .as_ref()
        .map(usage::entries)
        .unwrap_or_default();
    let turns = turns::turns(
        pk,
        record.derived.started_at,
        record.messages(),
        record.token_usage.is_some(),
    );
    let rows = usage::rows(pk, &turns, &entries);
    Derivation {
        turns,
        entries,
        rows,
    }
}

/// What kind of span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Turn,
    Llm,
    Tool,
}

impl Kind {
    pub(crate) const ALL: [Kind; 3] = [Kind::Turn, Kind::Llm, Kind::Tool];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Turn => "turn",
            Kind::Llm => "llm",
            Kind::Tool => "tool",
        }
    }
}

/// What a span was made from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin {
    Turn,
    /// A model call: the row it is counted in and which of its calls.
    Llm {
        row: u32,
        call: u32,
    },
    /// A tool run: the message and the action log.
    Tool {
        message: usize,
        log: usize,
    },
}

/// One span before it is written out.
#[derive(Clone, Debug)]
pub(crate) struct SpanPlan {
    /// Position among the conversation's spans (its row id and span id come from it).
    pub position: u32,
    pub turn: u32,
    /// The parent's position.
    pub parent: Option<u32>,
    pub kind: Kind,
    pub error: bool,
    pub start: DateTime<Utc>,
    pub duration_ms: f64,
    pub origin: Origin,
}

impl SpanPlan {
    pub(crate) fn end(&self) -> DateTime<Utc> {
        self.start + duration(self.duration_ms)
    }

    pub(crate) fn status(&self) -> &'static str {
        if self.error { "error" } else { "ok" }
    }
}

fn position(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How long a model call took: 300–4000 ms, with a fraction.
#[allow(clippy::cast_precision_loss)] // below 4e6
fn llm_ms(pk: i64, salt: u64) -> f64 {
    300.0 + (draw(pk, SALT_LLM, salt) % 3_700_000) as f64 / 1000.0
}

#[allow(clippy::cast_precision_loss)] // spans last far less than 2^53 µs
fn between_ms(start: DateTime<Utc>, end: DateTime<Utc>) -> f64 {
    (end - start).num_microseconds().unwrap_or(0).max(0) as f64 / 1000.0
}

/// Every span of a conversation, turn by turn: the root, its model calls, its tool runs.
pub(crate) fn plan(record: &Record, d: &Derivation) -> Vec<SpanPlan> {
    let pk = record.derived.pk;
    let messages = record.messages();
    let mut spans: Vec<SpanPlan> = Vec::new();
    for turn in &d.turns {
        if spans.len() >= MAX_SPANS {
            break;
        }
        let root = position(spans.len());
        spans.push(SpanPlan {
            position: root,
            turn: turn.index,
            parent: None,
            kind: Kind::Turn,
            error: turn.incomplete.is_some(),
            start: turn.start,
            duration_ms: 0.0,
            origin: Origin::Turn,
        });
        for row in d.rows.iter().filter(|r| r.turn == turn.index) {
            for call in 0..row.calls {
                let at = position(spans.len());
                let ms = llm_ms(pk, u64::from(at));
                let start = match turn.replies.get(call as usize) {
                    Some(end) if row.entry == 0 => (*end - duration(ms)).max(turn.start),
                    _ => turn.start,
                };
                spans.push(SpanPlan {
                    position: at,
                    turn: turn.index,
                    parent: Some(root),
                    kind: Kind::Llm,
                    error: turn.incomplete.is_some(),
                    start,
                    duration_ms: ms,
                    origin: Origin::Llm {
                        row: row.position,
                        call,
                    },
                });
            }
        }
        let mut clock = turn.start;
        for m in turn.messages.clone() {
            let Some(message) = messages.get(m) else {
                continue;
            };
            clock = instant_or(message.timestamp.as_ref(), clock);
            for (l, log) in message.action_logs.iter().flatten().enumerate() {
                spans.push(SpanPlan {
                    position: position(spans.len()),
                    turn: turn.index,
                    parent: Some(root),
                    kind: Kind::Tool,
                    error: log.error_message.as_deref().is_some_and(|e| !e.is_empty()),
                    start: instant_or(log.started_at.as_ref(), clock),
                    duration_ms: log.duration_ms.filter(|d| d.is_finite()).unwrap_or(0.0),
                    origin: Origin::Tool { message: m, log: l },
                });
            }
        }
        spans.truncate(MAX_SPANS);
        let children = spans.get(root as usize + 1..).unwrap_or_default();
        let start = children
            .iter()
            .map(|s| s.start)
            .fold(turn.start, DateTime::min);
        let end = children
            .iter()
            .map(SpanPlan::end)
            .fold(turn.end, DateTime::max);
        if let Some(r) = spans.get_mut(root as usize) {
            r.start = start;
            r.duration_ms = between_ms(start, end);
        }
    }
    spans
}

/// A span's name: `turn`, the model, or the action.
pub(crate) fn name<'a>(record: &'a Record, d: &'a Derivation, s: &SpanPlan) -> &'a str {
    match s.origin {
        Origin::Turn => "turn",
        Origin::Llm { row, .. } => d
            .rows
            .get(row as usize)
            .and_then(|r| d.entries.get(r.entry as usize))
            .map_or("unknown", |e| e.model.as_str()),
        Origin::Tool { message, .. } => record
            .messages()
            .get(message)
            .and_then(|m| m.action_name.as_deref())
            .filter(|n| !n.is_empty())
            .unwrap_or("unknown_tool"),
    }
}

/// Which company's model answered, guessed from its id.
fn system_of(model: &str) -> &'static str {
    let model = model.to_ascii_lowercase();
    if model.starts_with("claude") {
        "anthropic"
    } else if model.starts_with("gpt")
        || model.starts_with("text-embedding")
        || model.starts_with('o')
    {
        "openai"
    } else if model.starts_with("gemini") {
        "google"
    } else {
        "self_hosted"
    }
}

fn stamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp::from_instant(t)
}

/// The conversation's own attributes, on every turn.
fn conversation_attributes(record: &Record, attributes: &mut Map<String, Value>) {
    let head = &record.head;
    let fields = [
        (
            "agentsight.conversation.id",
            head.conversation_id.as_deref(),
        ),
        (
            "agentsight.conversation.customer_id",
            head.customer_id.as_deref(),
        ),
        (
            "agentsight.conversation.customer_ip",
            head.customer_ip_address.as_deref(),
        ),
        ("agentsight.conversation.device", head.device.as_deref()),
        ("agentsight.conversation.language", head.language.as_deref()),
        ("agentsight.conversation.name", head.name.as_deref()),
        (
            "agentsight.conversation.environment",
            head.environment.as_deref(),
        ),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            attributes.insert(key.to_owned(), Value::from(value));
        }
    }
}

fn message_event(message: &Message, fallback: DateTime<Utc>) -> SpanEvent {
    let mut attributes = Map::new();
    attributes.insert(
        "agentsight.message.sender".to_owned(),
        Value::from(message.sender.as_deref().unwrap_or("unknown")),
    );
    attributes.insert(
        "agentsight.message.content".to_owned(),
        Value::from(message.content.as_deref().unwrap_or_default()),
    );
    if let Some(metadata) = &message.metadata {
        attributes.insert(
            "agentsight.message.metadata".to_owned(),
            Value::from(metadata.to_string()),
        );
    }
    SpanEvent {
        name: Some("agentsight.message".to_owned()),
        attributes: Some(Value::Object(attributes)),
        timestamp: Some(stamp(instant_or(message.timestamp.as_ref(), fallback))),
        ..SpanEvent::default()
    }
}

/// The span as a list row: every row key, no `payload`, no `children`.
pub(crate) fn materialize(record: &Record, d: &Derivation, s: &SpanPlan) -> Span {
    let pk = record.derived.pk;
    let turn = d.turns.get(s.turn as usize);
    let mut attributes = Map::new();
    attributes.insert(
        "agentsight.span.kind".to_owned(),
        Value::from(s.kind.as_str()),
    );
    let name = name(record, d, s).to_owned();
    attributes.insert(
        "agentsight.entity.name".to_owned(),
        Value::from(name.as_str()),
    );
    attributes.insert(
        "agentsight.turn.id".to_owned(),
        Value::from(ids::turn_id(pk, s.turn)),
    );
    let mut events = Vec::new();
    match s.origin {
        Origin::Turn => {
            let incomplete = turn.and_then(|t| t.incomplete);
            attributes.insert(
                "agentsight.turn.complete".to_owned(),
                Value::Bool(incomplete.is_none()),
            );
            if let Some(reason) = incomplete {
                attributes.insert(
                    "agentsight.turn.incomplete_reason".to_owned(),
                    Value::from(reason),
                );
            }
            conversation_attributes(record, &mut attributes);
            if let Some(turn) = turn {
                let messages = record
                    .messages()
                    .get(turn.messages.clone())
                    .unwrap_or_default();
                events = messages
                    .iter()
                    .map(|m| message_event(m, turn.start))
                    .collect();
            }
        }
        Origin::Llm { row, call } => llm_attributes(d, row, call, turn, &mut attributes),
        Origin::Tool { message, log } => {
            let log = record
                .messages()
                .get(message)
                .and_then(|m| m.action_logs.as_deref()?.get(log));
            attributes.insert(
                "agentsight.tool.name".to_owned(),
                Value::from(name.as_str()),
            );
            let arguments = log
                .and_then(|l| l.tools_used.as_ref())
                .map_or_else(|| "{}".to_owned(), Value::to_string);
            attributes.insert(
                "agentsight.tool.arguments".to_owned(),
                Value::from(arguments),
            );
            attributes.insert(
                "agentsight.tool.response".to_owned(),
                Value::from(log.and_then(|l| l.response.as_deref()).unwrap_or_default()),
            );
            if s.error
                && let Some(error) = log.and_then(|l| l.error_message.as_deref())
            {
                attributes.insert("agentsight.tool.error".to_owned(), Value::from(error));
            }
        }
    }
    let mut span = Span::default();
    span.id = Some(ids::row_id(pk, s.position));
    span.conversation = Some(pk);
    span.conversation_id
        .clone_from(&record.head.conversation_id);
    span.trace_id = Some(ids::trace_id(pk, s.turn));
    span.span_id = Some(ids::span_id(pk, s.position));
    span.parent_span_id = s.parent.map(|p| ids::span_id(pk, p));
    if s.parent.is_none() {
        span.extra.insert("parent_span_id".to_owned(), Value::Null);
    }
    span.kind = Some(s.kind.as_str().to_owned());
    span.name = Some(name);
    span.started_at = Some(stamp(s.start));
    span.ended_at = Some(stamp(s.end()));
    span.duration_ms = Some(s.duration_ms);
    span.status = Some(s.status().to_owned());
    span.attributes = Some(Value::Object(attributes));
    span.events = Some(events);
    span
}

fn llm_attributes(
    d: &Derivation,
    row: u32,
    call: u32,
    turn: Option<&Turn>,
    attributes: &mut Map<String, Value>,
) {
    let Some(row) = d.rows.get(row as usize) else {
        return;
    };
    let model = d
        .entries
        .get(row.entry as usize)
        .map_or("unknown", |e| e.model.as_str());
    attributes.insert("gen_ai.system".to_owned(), Value::from(system_of(model)));
    attributes.insert("gen_ai.request.model".to_owned(), Value::from(model));
    attributes.insert(
        "agentsight.llm.requested_model".to_owned(),
        Value::from(model),
    );
    let operation = if model.contains("embedding") {
        "embeddings"
    } else {
        "chat"
    };
    attributes.insert("gen_ai.operation.name".to_owned(), Value::from(operation));
    let reported_calls = row.calls - row.unreported;
    let reported = call < reported_calls;
    attributes.insert(
        "agentsight.llm.usage_reported".to_owned(),
        Value::Bool(reported),
    );
    let share = |n: i64| {
        if reported {
            split(n, &vec![1; reported_calls as usize])
                .get(call as usize)
                .copied()
                .unwrap_or(0)
        } else {
            0
        }
    };
    attributes.insert(
        "gen_ai.usage.input_tokens".to_owned(),
        Value::from(share(row.columns[0])),
    );
    attributes.insert(
        "gen_ai.usage.output_tokens".to_owned(),
        Value::from(share(row.columns[1])),
    );
    for (i, key) in [
        (2, "agentsight.llm.embedding_tokens"),
        (3, "agentsight.llm.cache_read_tokens"),
        (4, "agentsight.llm.cache_write_tokens"),
        (5, "agentsight.llm.reasoning_tokens"),
        (6, "agentsight.llm.audio_input_tokens"),
        (7, "agentsight.llm.audio_output_tokens"),
    ] {
        let n = share(row.columns[i]);
        if n != 0 {
            attributes.insert(key.to_owned(), Value::from(n));
        }
    }
    if let Some(reason) = turn.and_then(|t| t.incomplete) {
        attributes.insert(
            "agentsight.llm.error".to_owned(),
            Value::from(format!("the turn did not finish: {reason}")),
        );
    }
}

/// The verbatim span: the row's keys, timestamps with `+00:00`, and the OpenTelemetry envelope.
pub(crate) fn payload(record: &Record, s: &SpanPlan, row: &Span) -> Value {
    let mut value = serde_json::to_value(row).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut value {
        map.insert(
            "started_at".to_owned(),
            Value::from(s.start.to_rfc3339_opts(SecondsFormat::Micros, false)),
        );
        map.insert(
            "ended_at".to_owned(),
            Value::from(s.end().to_rfc3339_opts(SecondsFormat::Micros, false)),
        );
        let description = row
            .attribute("agentsight.tool.error")
            .or_else(|| row.attribute("agentsight.llm.error"))
            .or_else(|| row.attribute("agentsight.turn.incomplete_reason"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let span_kind = if s.kind == Kind::Llm {
            "SPAN_KIND_CLIENT"
        } else {
            "SPAN_KIND_INTERNAL"
        };
        map.insert(
            "otel".to_owned(),
            json!({
                "span_kind": span_kind,
                "is_remote": false,
                "trace_flags": 1,
                "trace_state": "",
                "status_description": description,
                "links": [],
                "dropped": {"attributes": 0, "events": 0, "links": 0},
                "scope": {"name": "agentsight", "version": "0.1.4"},
                "resource": {
                    "service.name": "support-agent",
                    "deployment.environment": record.head.environment.as_deref().unwrap_or("production"),
                    "telemetry.sdk.name": "agentsight",
                    "telemetry.sdk.language": "python",
                },
            }),
        );
    }
    value
}
