//! Small pieces the tabs share: sanitising helpers, labelled fields, sender labels, tools and outcomes.

use std::borrow::Cow;

use ratatui::style::Style;
use serde_json::Value;

use super::Zone;
use super::line::{Lead, Line, Lines};
use crate::format::human;
use crate::provider::model::{ActionLog, ActionOutcome};
use crate::text::{self, Lines as Breaks};
use crate::view::theme::Theme;

/// What every tab builds with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ctx {
    pub theme: Theme,
    pub zone: Zone,
}

/// A value from the API, made safe and kept on one line.
#[must_use]
pub(super) fn one_line(value: &str) -> Cow<'_, str> {
    text::sanitize(value, Breaks::Join)
}

/// A value from the API, made safe with its line breaks kept.
#[must_use]
pub(super) fn multi_line(value: &str) -> Cow<'_, str> {
    text::sanitize(value, Breaks::Keep)
}

/// The columns a label takes in a labelled field, with the space after it.
pub(super) const LABEL: u16 = 12;

/// `label       value` lines, indented by `indent`: the value's own line
/// breaks start new lines and its wrapped rows align under its first column.
pub(super) fn field(
    out: &mut Lines,
    ctx: Ctx,
    indent: u16,
    label: &str,
    value: &str,
    style: Style,
) {
    let column = indent + LABEL;
    for (i, piece) in multi_line(value).split('\n').enumerate() {
        let mut line = if i == 0 {
            labelled(ctx, indent, label)
        } else {
            Line {
                lead: Lead::indent(column),
                cont: Lead::indent(column),
                ..Line::default()
            }
        };
        line.push(piece, style);
        out.push(line);
    }
}

/// An empty `label       ` line, indented by `indent`, for a value of
/// several styles pushed by the caller (sanitised); wrapped rows align under
/// the value's first column.
#[must_use]
pub(super) fn labelled(ctx: Ctx, indent: u16, label: &str) -> Line {
    let column = indent + LABEL;
    let label = text::fit(label, usize::from(LABEL - 1));
    Line {
        lead: Lead::styled(
            vec![
                (" ".repeat(usize::from(indent)), ctx.theme.text()),
                (label, ctx.theme.muted()),
            ],
            column,
        ),
        cont: Lead::indent(column),
        ..Line::default()
    }
}

/// A section title.
pub(super) fn heading(out: &mut Lines, ctx: Ctx, title: &str) {
    out.push(Line::plain(title, ctx.theme.heading()));
}

/// How a sender reads, and the key its colour is looked up by: customers,
/// AI agents, human agents and the system are told apart by label as well as colour.
#[must_use]
pub(super) fn sender(raw: &str) -> (Cow<'_, str>, &str) {
    match raw {
        "end_user" | "user" | "customer" => (Cow::Borrowed("customer"), "end_user"),
        "agent" | "bot" | "assistant" | "ai" => (Cow::Borrowed("agent"), "agent"),
        "human_agent" | "human" | "operator" => (Cow::Borrowed("human"), "human_agent"),
        "system" => (Cow::Borrowed("system"), "system"),
        other => (one_line(other), other),
    }
}

/// `database=users_db query=…`: an action's tools, flattened to one line.
#[must_use]
pub(super) fn tools(value: &Value) -> String {
    fn scalar(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    let flat = match value {
        Value::Object(_) => crate::format::transcript::flatten_metadata(value)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" "),
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => scalar(other),
    };
    one_line(&flat).into_owned()
}

/// The glyph for an action's outcome, in its colour.
#[must_use]
pub(super) fn outcome(log: &ActionLog, theme: Theme) -> (&'static str, Style) {
    let outcome = log.outcome();
    let style = match outcome {
        ActionOutcome::Succeeded => theme.success(),
        ActionOutcome::Failed => theme.error(),
        ActionOutcome::Unknown => theme.warning(),
    };
    (human::outcome_glyph(outcome), style)
}

/// The error message of a failed action, on one line.
#[must_use]
pub(super) fn error_of(log: &ActionLog) -> Option<Cow<'_, str>> {
    log.error_message
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(one_line)
}

/// The colour of a feedback sentiment.
#[must_use]
pub(super) fn sentiment_style(sentiment: Option<&str>, theme: Theme) -> Style {
    match sentiment {
        Some("negative") => theme.error(),
        Some("positive") => theme.success(),
        Some("neutral") => theme.warning(),
        _ => theme.muted(),
    }
}

/// `yes` / `no` / `?`.
#[must_use]
pub(super) fn yes_no(flag: Option<bool>) -> &'static str {
    match flag {
        Some(true) => "yes",
        Some(false) => "no",
        None => "?",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tools_flatten_objects_and_lists_and_stay_on_one_line() {
        assert_eq!(
            tools(&json!({"database": "users_db", "q": {"id": 7}})),
            "database=users_db q.id=7"
        );
        assert_eq!(tools(&json!(["search", "crm"])), "search, crm");
        assert_eq!(tools(&json!("a\nb")), "a⏎b");
        assert_eq!(tools(&Value::Null), "");
    }

    #[test]
    fn senders_are_told_apart_by_label() {
        assert_eq!(sender("end_user").0, "customer");
        assert_eq!(sender("human_agent").0, "human");
        assert_eq!(sender("x\u{1b}y").0, "x␛y");
    }
}
