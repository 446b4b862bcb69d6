//! One span's attributes as lines of inert text: tool arguments and response pretty-printed, the model and its token counts, why a turn never finished, and the verbatim payload once loaded.

use serde_json::Value;

use crate::format::human;
use crate::provider::model::Span;
use crate::text::{self, Lines};

/// Where the verbatim payload (`p`) stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Payload {
    /// Not asked for.
    #[default]
    NotAsked,
    /// On its way.
    Loading,
    /// As the server sent it.
    Loaded(Value),
    /// Why it could not be had.
    Failed(String),
}

/// Attributes shown in their own sections, left out of the rest.
const SHOWN: &[&str] = &[
    "agentsight.tool.name",
    "agentsight.tool.arguments",
    "agentsight.tool.response",
    "agentsight.tool.error",
    "agentsight.turn.complete",
    "agentsight.turn.incomplete_reason",
    "gen_ai.request.model",
    "gen_ai.system",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "agentsight.llm.cache_read_tokens",
    "agentsight.llm.cache_write_tokens",
    "agentsight.llm.reasoning_tokens",
    "agentsight.llm.usage_reported",
];

/// Token attributes and how they read.
const TOKENS: &[(&str, &str)] = &[
    ("gen_ai.usage.input_tokens", "input"),
    ("gen_ai.usage.output_tokens", "output"),
    ("agentsight.llm.cache_read_tokens", "cache read"),
    ("agentsight.llm.cache_write_tokens", "cache write"),
    ("agentsight.llm.reasoning_tokens", "reasoning"),
];

fn inert(text: &str) -> String {
    text::sanitize(text, Lines::Join).into_owned()
}

/// A value as one line: strings as they are, the rest as JSON.
fn one_line(value: &Value) -> String {
    match value {
        Value::String(s) => inert(s),
        other => inert(&other.to_string()),
    }
}

/// A value as indented lines: JSON (or a string holding JSON) pretty-printed,
/// other text split on its own line breaks. Every line made inert.
fn pretty(value: &Value, indent: &str) -> Vec<String> {
    let parsed;
    let value = match value {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v @ (Value::Object(_) | Value::Array(_))) => {
                parsed = v;
                &parsed
            }
            _ => {
                return s.lines().map(|l| format!("{indent}{}", inert(l))).collect();
            }
        },
        other => other,
    };
    serde_json::to_string_pretty(value)
        .unwrap_or_default()
        .lines()
        .map(|l| format!("{indent}{}", inert(l)))
        .collect()
}

/// The span's attributes and payload, as the inspector shows them.
#[must_use]
pub fn lines(span: &Span, payload: &Payload) -> Vec<String> {
    let mut out = Vec::new();
    let kind = span.kind.as_deref().unwrap_or("span");
    out.push(format!(
        "{} {} · {} · {}",
        inert(kind),
        inert(span.name.as_deref().unwrap_or("(unnamed)")),
        span.duration_ms
            .map_or_else(|| "?".to_owned(), human::duration_ms),
        if span.is_error() {
            "✗ error".to_owned()
        } else {
            inert(span.status.as_deref().unwrap_or("unset"))
        }
    ));
    if let Some(start) = &span.started_at {
        out.push(format!("started {}", human::local_datetime_ms(start)));
    }
    out.push(format!(
        "row {} · span {} · parent {}",
        span.id.map_or_else(|| "?".to_owned(), |id| id.to_string()),
        inert(span.span_id.as_deref().unwrap_or("?")),
        inert(span.parent_span_id.as_deref().unwrap_or("none"))
    ));
    if let Some(reason) = span.incomplete_reason() {
        out.push(String::new());
        out.push(format!(
            "⏸ this turn never finished: {} (it never reached the transcript)",
            inert(reason)
        ));
    }
    let attribute = |name: &str| span.attribute(name).filter(|v| !v.is_null());
    if let Some(tool) = attribute("agentsight.tool.name") {
        out.push(String::new());
        out.push(format!("tool {}", one_line(tool)));
    }
    for (name, heading) in [
        ("agentsight.tool.arguments", "arguments"),
        ("agentsight.tool.response", "response"),
        ("agentsight.tool.error", "✗ error"),
    ] {
        if let Some(value) = attribute(name).filter(|v| v.as_str() != Some("")) {
            out.push(format!("{heading}:"));
            out.extend(pretty(value, "  "));
        }
    }
    if let Some(model) = attribute("gen_ai.request.model") {
        out.push(String::new());
        let system = attribute("gen_ai.system").map(one_line);
        out.push(match system {
            Some(system) => format!("model {} ({system})", one_line(model)),
            None => format!("model {}", one_line(model)),
        });
    }
    let unreported =
        attribute("agentsight.llm.usage_reported").and_then(Value::as_bool) == Some(false);
    let counts: Vec<String> = TOKENS
        .iter()
        .filter_map(|(name, label)| Some(format!("{} {label}", one_line(attribute(name)?))))
        .collect();
    if unreported {
        out.push("tokens unknown: the model did not report its usage".to_owned());
    } else if !counts.is_empty() {
        out.push(format!("tokens {}", counts.join(" · ")));
    }
    for event in span.events.iter().flatten() {
        if event.name.as_deref() == Some("exception") {
            out.push(String::new());
            out.push("exception:".to_owned());
            if let Some(attributes) = &event.attributes {
                out.extend(pretty(attributes, "  "));
            }
        }
    }
    let rest: Vec<(&String, &Value)> = span
        .attributes
        .as_ref()
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !SHOWN.contains(&k.as_str()))
                .collect()
        })
        .unwrap_or_default();
    if !rest.is_empty() {
        out.push(String::new());
        out.push("attributes:".to_owned());
        for (key, value) in rest {
            out.push(format!("  {} = {}", inert(key), one_line(value)));
        }
    }
    out.push(String::new());
    match payload {
        Payload::NotAsked => out.push("p loads the verbatim payload".to_owned()),
        Payload::Loading => out.push("loading the payload…".to_owned()),
        Payload::Failed(why) => out.push(format!("✗ no payload: {}", inert(why))),
        Payload::Loaded(value) => {
            out.push("payload (verbatim):".to_owned());
            out.extend(pretty(value, "  "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_arguments_are_pretty_and_hostile_text_is_inert() {
        let span: Span = serde_json::from_str(
            r#"{"kind":"tool","name":"lookup\u001b[2J","status":"error","attributes":{
                "agentsight.tool.name":"lookup","agentsight.tool.arguments":"{\"order\":\"A-1\"}",
                "agentsight.tool.error":"timeout\u0007","gen_ai.usage.input_tokens":12}}"#,
        )
        .unwrap();
        let text = lines(&span, &Payload::NotAsked).join("\n");
        assert!(text.contains("  {\n    \"order\": \"A-1\"\n  }"), "{text}");
        assert!(text.contains("tokens 12 input"));
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }
}
