//! A whole conversation as readable text (for a terminal) or Markdown (for a file): header, transcript with actions and attachments, feedback, tickets, usage.

use std::fmt::Write as _;

use serde_json::Value;

use super::human;
use super::inert;
use super::ticket;
use crate::provider::model::{
    ActionLog, Attachment, Conversation, Feedback, Message, Timestamp, UNPRICED,
};
use crate::text::{self, Lines};

/// Sanitises one value for a single line.
fn line(text: &str) -> String {
    text::sanitize(text, Lines::Join).into_owned()
}

/// Sanitises a multi-line value.
fn block(text: &str) -> String {
    text::sanitize(text, Lines::Keep).into_owned()
}

/// The facts of the header, as (label, value) pairs; empty ones left out.
fn facts(c: &Conversation) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    let mut push = |label, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            facts.push((label, v));
        }
    };
    push("id", Some(c.display_id()));
    push("pk", c.id.map(|pk| pk.to_string()));
    push("customer", c.customer_id.clone());
    push("device", c.device.clone());
    push("language", c.language.clone());
    push("environment", c.environment.clone());
    push("location", location(c));
    push("ip", c.customer_ip_address.clone());
    push("started", c.started_at.as_ref().map(human::local_datetime));
    push("ended", c.ended_at.as_ref().map(human::local_datetime));
    push(
        "duration",
        duration(c.started_at.as_ref(), c.ended_at.as_ref()),
    );
    let flags: Vec<&str> = [
        (c.is_marked == Some(true), "marked"),
        (c.is_deleted == Some(true), "deleted"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    push("flags", Some(flags.join(", ")));
    push("deleted", c.deleted_at.as_ref().map(human::local_datetime));
    facts
}

fn location(c: &Conversation) -> Option<String> {
    let geo = c.geo_location.as_ref()?;
    let place: Vec<&str> = [geo.city.as_deref(), geo.country.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut out = place.join(", ");
    if let Some(tz) = &geo.timezone_name {
        let _ = write!(out, " ({tz})");
    }
    (!out.trim().is_empty()).then(|| out.trim().to_owned())
}

fn duration(start: Option<&Timestamp>, end: Option<&Timestamp>) -> Option<String> {
    Some(human::between(start?.instant()?, end?.instant()?))
}

/// `priority=high order.id=8841` — nested objects flattened with dots.
#[must_use]
pub fn flatten_metadata(value: &Value) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>, depth: usize) {
        match value {
            // A depth limit: metadata is untrusted and may nest without end.
            Value::Object(map) if depth < 32 => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out, depth + 1);
                }
            }
            Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", value, &mut out, 0);
    out
}

/// `database=users_db query=…` for an action's tools.
fn tools(log: &ActionLog) -> String {
    log.tools_used.as_ref().map_or_else(String::new, |t| {
        flatten_metadata(t)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// One action log on one line: name, duration, outcome, tools, response or error.
fn action_line(message: &Message, log: &ActionLog) -> String {
    let mut out = format!("⚙ {}", message.action_name.as_deref().unwrap_or("action"));
    if let Some(ms) = log.duration_ms {
        let _ = write!(out, " · {}", human::duration_ms(ms));
    }
    let _ = write!(out, " · {}", human::outcome_glyph(log.outcome()));
    let tools = tools(log);
    if !tools.is_empty() {
        let _ = write!(out, " · {tools}");
    }
    match (
        log.error_message
            .as_deref()
            .filter(|e| !e.trim().is_empty()),
        log.response.as_deref(),
    ) {
        (Some(error), _) => {
            let _ = write!(out, " · error: {error}");
        }
        (None, Some(response)) if !response.is_empty() => {
            let _ = write!(out, " → {response}");
        }
        _ => {}
    }
    line(&out)
}

fn attachment_line(a: &Attachment) -> String {
    let mut out = format!(
        "{} {}",
        human::attachment_glyph(a.kind.as_deref()),
        a.filename.as_deref().unwrap_or("(unnamed)")
    );
    for part in [a.mime_type.clone(), a.size_bytes.map(human::size)]
        .into_iter()
        .flatten()
    {
        let _ = write!(out, " · {part}");
    }
    line(&out)
}

/// Who or what a feedback row is about: its kind (with the message for a
/// vote), or for the older kind-less shape who left it (`customer`).
fn feedback_about(f: &Feedback) -> String {
    match (&f.kind, &f.source) {
        (None, Some(source)) if !source.is_empty() => line(source),
        _ => match (f.kind(), f.message) {
            ("message", Some(pk)) => format!("message {pk}"),
            (kind, _) => line(kind),
        },
    }
}

/// `topic billing · reason wrong_answer`, empty when neither was given.
fn topic_reason(f: &Feedback) -> String {
    [
        ("topic", f.topic.as_deref()),
        ("reason", f.reason.as_deref()),
    ]
    .into_iter()
    .filter_map(|(label, v)| {
        v.filter(|v| !v.is_empty())
            .map(|v| format!("{label} {}", line(v)))
    })
    .collect::<Vec<_>>()
    .join(" · ")
}

/// A vote on one message, on one line: `☹ vote negative · topic billing · "comment"`.
fn vote_line(f: &Feedback) -> String {
    let mut out = format!(
        "{} vote {}",
        human::sentiment_glyph(f.sentiment.as_deref()),
        line(f.sentiment.as_deref().unwrap_or("(no sentiment)"))
    );
    let why = topic_reason(f);
    if !why.is_empty() {
        let _ = write!(out, " · {why}");
    }
    if let Some(comment) = f.comment.as_deref().filter(|c| !c.is_empty()) {
        let _ = write!(out, " · \"{}\"", line(comment));
    }
    out
}

/// The conversation as text for a terminal: aligned, sanitised, no colour.
#[must_use]
pub fn to_text(c: &Conversation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        line(c.name.as_deref().unwrap_or("(untitled conversation)"))
    );
    for (label, value) in facts(c) {
        let _ = writeln!(out, "{label:<12}{}", line(&value));
    }
    if let Some(meta) = &c.metadata {
        for (k, v) in flatten_metadata(meta) {
            let _ = writeln!(out, "{:<12}{}", "metadata", line(&format!("{k} = {v}")));
        }
    }
    let messages = c.messages();
    let _ = writeln!(out, "\n── messages ({}) ──", messages.len());
    let indent = " ".repeat(24);
    let mut last_day = None;
    for m in messages {
        let day = m
            .timestamp
            .as_ref()
            .and_then(Timestamp::instant)
            .map(|t| t.with_timezone(&chrono::Local).date_naive());
        if day.is_some() && day != last_day {
            if let Some(d) = day {
                let _ = writeln!(out, "{}", d.format("%A %Y-%m-%d"));
            }
            last_day = day;
        }
        let time = m
            .timestamp
            .as_ref()
            .map_or_else(|| "        ".to_owned(), human::local_time);
        let sender = line(m.sender.as_deref().unwrap_or("?"));
        let content = block(m.content.as_deref().unwrap_or(""));
        let mut lines = content.lines();
        let _ = writeln!(
            out,
            "{time}  {}{}",
            text::fit(&sender, 14),
            lines.next().unwrap_or("").trim_end()
        );
        for rest in lines {
            let _ = writeln!(out, "{indent}{}", rest.trim_end());
        }
        for log in m.action_logs.as_deref().unwrap_or_default() {
            let _ = writeln!(out, "{indent}{}", action_line(m, log));
        }
        for a in m.attachments.as_deref().unwrap_or_default() {
            let _ = writeln!(out, "{indent}{}", attachment_line(a));
        }
        if let Some(vote) = &m.feedback {
            let _ = writeln!(out, "{indent}{}", vote_line(vote));
        }
    }
    let feedbacks = c.feedbacks();
    if !feedbacks.is_empty() {
        let _ = writeln!(out, "\n── feedback ({}) ──", feedbacks.len());
        for f in feedbacks {
            let when = f
                .created_at
                .as_ref()
                .map(human::local_datetime)
                .unwrap_or_default();
            let why = topic_reason(f);
            let _ = writeln!(
                out,
                "{} {} · {}{} · {when}{}",
                human::sentiment_glyph(f.sentiment.as_deref()),
                line(f.sentiment.as_deref().unwrap_or("(no sentiment)")),
                feedback_about(f),
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" · {why}")
                },
                f.comment
                    .as_deref()
                    .filter(|c| !c.is_empty())
                    .map(|c| format!("\n  \"{}\"", line(c)))
                    .unwrap_or_default()
            );
        }
    }
    write_tickets(&mut out, c, false);
    write_usage(&mut out, c, false);
    out
}

/// Plain text for Markdown made inert (for text, as it is).
fn md(markdown: bool, plain: String) -> String {
    if markdown { inert::text(&plain) } else { plain }
}

fn write_tickets(out: &mut String, c: &Conversation, markdown: bool) {
    let tickets = c.tickets.as_deref().unwrap_or_default();
    if tickets.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        if markdown {
            "\n## Tickets\n"
        } else {
            "\n── tickets ──"
        }
    );
    for t in tickets {
        let id = t.id.map(|id| format!("#{id} ")).unwrap_or_default();
        let summary = ticket::summary_line(t);
        let _ = writeln!(
            out,
            "{}{id}{}",
            if markdown { "- " } else { "" },
            md(markdown, summary)
        );
        // The whole thread: who wrote, in which role, when, and what.
        for comment in t.comments() {
            let (head, body) = if markdown {
                ("  - ", "    ")
            } else {
                ("    ", "        ")
            };
            let _ = writeln!(out, "{head}{}", md(markdown, ticket::comment_head(comment)));
            for l in ticket::comment_body(comment) {
                let _ = writeln!(out, "{body}{}", md(markdown, l));
            }
        }
    }
}

fn write_usage(out: &mut String, c: &Conversation, markdown: bool) {
    let Some(usage) = &c.token_usage else { return };
    let _ = writeln!(
        out,
        "{}",
        if markdown {
            "\n## Token usage\n"
        } else {
            "\n── token usage ──"
        }
    );
    let bullet = if markdown { "- " } else { "" };
    let counts = usage.counts();
    let _ = writeln!(
        out,
        "{bullet}tokens: {} · cost {}",
        human::token_counts(&counts),
        human::cost(usage.cost_usd.as_deref(), usage.has_unpriced())
    );
    for m in usage.models() {
        let unpriced = m.cost_source.as_deref() == Some(UNPRICED);
        let counts = m.counts();
        let _ = writeln!(
            out,
            "{}{} · {} · {}",
            if markdown { "  - " } else { "  " },
            md(markdown, line(m.model.as_deref().unwrap_or("?"))),
            human::token_counts(&counts),
            if unpriced {
                "cost unknown (unpriced)".to_owned()
            } else {
                format!(
                    "cost {} ({})",
                    human::cost(m.cost_usd.as_deref(), false),
                    md(markdown, line(m.cost_source.as_deref().unwrap_or("?")))
                )
            }
        );
    }
}

/// The conversation as Markdown, for saving and sharing. Message content is
/// already light Markdown and is kept as written (sanitised), quoted per turn,
/// but made inert: no raw HTML, no link that runs code (see [`inert`]). Every
/// other value is plain text, escaped to render as written.
#[must_use]
pub fn to_markdown(c: &Conversation) -> String {
    let plain = |text: &str| inert::text(&line(text));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        plain(c.name.as_deref().unwrap_or("(untitled conversation)"))
    );
    let _ = writeln!(out, "| field | value |\n| --- | --- |");
    for (label, value) in facts(c) {
        let _ = writeln!(out, "| {label} | {} |", plain(&value));
    }
    if let Some(meta) = &c.metadata {
        for (k, v) in flatten_metadata(meta) {
            let _ = writeln!(out, "| metadata.{} | {} |", plain(&k), plain(&v));
        }
    }
    let _ = writeln!(
        out,
        "\n## Transcript ({})\n",
        super::count::plural(c.messages().len(), "message")
    );
    for m in c.messages() {
        let when = m
            .timestamp
            .as_ref()
            .map(human::local_datetime)
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "**{}** · {when}\n",
            plain(m.sender.as_deref().unwrap_or("?"))
        );
        let content = inert::markdown(&block(m.content.as_deref().unwrap_or("")));
        for l in content.lines() {
            let _ = writeln!(out, "> {l}");
        }
        for log in m.action_logs.as_deref().unwrap_or_default() {
            // A code span: inert as long as it holds no backtick.
            let _ = writeln!(out, ">\n> `{}`", action_line(m, log).replace('`', "'"));
        }
        for a in m.attachments.as_deref().unwrap_or_default() {
            let _ = writeln!(out, ">\n> {}", inert::text(&attachment_line(a)));
        }
        if let Some(vote) = &m.feedback {
            let _ = writeln!(out, ">\n> {}", inert::text(&vote_line(vote)));
        }
        out.push('\n');
    }
    let feedbacks = c.feedbacks();
    if !feedbacks.is_empty() {
        let _ = writeln!(out, "## Feedback\n");
        for f in feedbacks {
            let why = topic_reason(f);
            let item = format!(
                "{} {} ({}){}{}",
                human::sentiment_glyph(f.sentiment.as_deref()),
                line(f.sentiment.as_deref().unwrap_or("(no sentiment)")),
                feedback_about(f),
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" · {why}")
                },
                f.comment
                    .as_deref()
                    .filter(|c| !c.is_empty())
                    .map(|c| format!(": {}", line(c)))
                    .unwrap_or_default()
            );
            let _ = writeln!(out, "- {}", inert::text(&item));
        }
    }
    write_tickets(&mut out, c, true);
    write_usage(&mut out, c, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Conversation {
        serde_json::from_str(
            r#"{"id": 42, "conversation_id": "conv-abc-123", "name": "Support Chat", "customer_id": "user-456",
                "metadata": {"priority": "high", "order": {"id": 8841}},
                "messages": [
                  {"id": 1, "timestamp": "2024-01-15T10:30:05Z", "sender": "end_user", "content": "I need help\nwith \u001b[31mmy account"},
                  {"id": 2, "timestamp": "2024-01-15T10:30:08Z", "sender": "agent", "content": "Action database_lookup performed",
                   "action_name": "database_lookup",
                   "action_logs": [{"duration_ms": 150, "tools_used": {"database": "users_db"}, "response": "User found", "error_message": ""},
                                   {"duration_ms": 30000, "error_message": "upstream timeout"}],
                   "attachments": [{"type": "image", "filename": "screenshot.png", "mime_type": "image/png", "size_bytes": 245680}]}],
                "feedbacks": [{"sentiment": "negative", "source": "customer", "comment": "slow"}],
                "token_usage": {"total_tokens": 1200, "cost_usd": "0.0042", "cost_sources": ["backend", "unpriced"]}}"#,
        )
        .unwrap()
    }

    #[test]
    fn text_shows_actions_attachments_feedback_and_never_a_control() {
        let text = to_text(&sample());
        for expected in [
            "Support Chat",
            "database_lookup · 150 ms · ✓ · database=users_db → User found",
            "✗ · error: upstream timeout",
            "📷 screenshot.png · image/png · 240 KB",
            "☹ negative · customer",
            "order.id = 8841",
            "cost $0.0042 + unknown (unpriced calls)",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn markdown_quotes_each_turn_and_escapes_table_cells() {
        let mut c = sample();
        c.customer_id = Some("a|b".to_owned());
        let md = to_markdown(&c);
        assert!(md.starts_with("# Support Chat\n"));
        assert!(md.contains("| customer | a\\|b |"));
        assert!(md.contains("> I need help\n> with ␛[31mmy account"));
        assert!(md.contains("## Feedback"));
    }
}
