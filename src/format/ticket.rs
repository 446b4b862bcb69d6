//! A ticket as text: its facts, the conversation and feedback it points at, and its whole thread.

use super::count::plural;
use std::fmt::Write as _;

use super::human;
use crate::provider::model::{Ticket, TicketComment};
use crate::text::{self, Lines};

fn line(text: &str) -> String {
    text::sanitize(text, Lines::Join).into_owned()
}

/// `ci-key (agent) · 2026-08-17 10:32:33`, for the head of a comment.
#[must_use]
pub fn comment_head(c: &TicketComment) -> String {
    let mut head = line(
        c.author
            .as_deref()
            .filter(|a| !a.is_empty())
            .unwrap_or("(no author)"),
    );
    if let Some(role) = c.role.as_deref().filter(|r| !r.is_empty()) {
        let _ = write!(head, " ({})", line(role));
    }
    if let Some(at) = &c.created_at {
        let _ = write!(head, " · {}", human::local_datetime(at));
    }
    if let (Some(edited), Some(created)) = (&c.updated_at, &c.created_at)
        && edited.as_str() != created.as_str()
    {
        let _ = write!(head, " · edited {}", human::local_datetime(edited));
    }
    line(&head)
}

/// A comment's body, sanitised, one entry per line (none when empty).
#[must_use]
pub fn comment_body(c: &TicketComment) -> Vec<String> {
    text::sanitize(c.body.as_deref().unwrap_or(""), Lines::Keep)
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect()
}

/// `Timeout in checkout · open · high · checkout, billing`.
#[must_use]
pub fn summary_line(t: &Ticket) -> String {
    let mut out = line(t.title.as_deref().unwrap_or("(untitled)"));
    let _ = write!(
        out,
        " · {}",
        line(t.status.as_deref().unwrap_or("no status"))
    );
    let _ = write!(
        out,
        " · {}",
        line(t.priority.as_deref().unwrap_or("no priority"))
    );
    let tags = t.tags.as_deref().unwrap_or_default().join(", ");
    if !tags.is_empty() {
        let _ = write!(out, " · {}", line(&tags));
    }
    out
}

/// One ticket, whole, for `convo ticket show`.
#[must_use]
pub fn to_text(t: &Ticket) -> String {
    let mut out = String::new();
    let id = t.id.map(|id| format!("#{id} ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{id}{}",
        line(t.title.as_deref().unwrap_or("(untitled)"))
    );
    let when = |t: Option<&crate::provider::model::Timestamp>| {
        t.map(human::local_datetime).unwrap_or_default()
    };
    let mut facts: Vec<(&str, String)> = vec![
        ("status", t.status.clone().unwrap_or_default()),
        (
            "priority",
            t.priority.clone().unwrap_or_else(|| "none".to_owned()),
        ),
        ("tags", t.tags.as_deref().unwrap_or_default().join(", ")),
        ("environment", t.environment.clone().unwrap_or_default()),
        ("created", when(t.created_at.as_ref())),
        ("updated", when(t.updated_at.as_ref())),
    ];
    if let Some(c) = &t.conversation {
        let mut about = c
            .conversation_id
            .clone()
            .or_else(|| c.id.map(|pk| pk.to_string()))
            .unwrap_or_default();
        if let (Some(pk), Some(_)) = (c.id, &c.conversation_id) {
            let _ = write!(about, " (pk {pk})");
        }
        if let Some(name) = c.name.as_deref().filter(|n| !n.is_empty()) {
            let _ = write!(about, " · {name}");
        }
        if let Some(env) = c.environment.as_deref().filter(|e| !e.is_empty()) {
            let _ = write!(about, " · {env}");
        }
        facts.push(("conversation", about));
    }
    if let Some(f) = &t.feedback {
        let mut from = f.id.map(|id| format!("#{id}")).unwrap_or_default();
        for part in [
            f.kind.clone(),
            Some(human::sentiment_cell(f.sentiment.as_deref())),
        ]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        {
            let _ = write!(from, " · {part}");
        }
        if let Some(at) = &f.created_at {
            let _ = write!(from, " · {}", human::local_datetime(at));
        }
        if let Some(comment) = f.comment.as_deref().filter(|c| !c.is_empty()) {
            let _ = write!(from, " · \"{comment}\"");
        }
        facts.push(("feedback", from.trim_start_matches(" · ").to_owned()));
    }
    for (label, value) in facts.into_iter().filter(|(_, v)| !v.is_empty()) {
        let _ = writeln!(out, "{label:<14}{}", line(&value));
    }
    let comments = t.comments();
    let _ = writeln!(out, "\n── thread ({}) ──", comment_total(t));
    for c in comments {
        let _ = writeln!(out, "{}", comment_head(c));
        for body in comment_body(c) {
            let _ = writeln!(out, "    {body}");
        }
    }
    if comments.is_empty() {
        let _ = writeln!(out, "(no comments)");
    }
    out
}

/// `3 comments`, or `3 of 5 comments` when the thread came cut.
fn comment_total(t: &Ticket) -> String {
    let shown = t.comments().len();
    let count = t.comment_count();
    if usize::try_from(count).is_ok_and(|c| c > shown) && shown > 0 {
        format!("{shown} of {}", plural(count, "comment"))
    } else {
        plural(count, "comment")
    }
}
