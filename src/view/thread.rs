//! A ticket's thread as rows of text for a given width: title, status, priority, tags, conversation, the feedback it came from, then the comments oldest first — all API text made inert.

use crate::format::human::{Zone, sentiment_cell};
use crate::provider::model::{Ticket, Timestamp};
use crate::text::wrap::wrap;
use crate::text::{Lines, sanitize};

/// How a row of the thread is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// The title.
    Heading,
    /// A label and value (status, priority, …).
    Field,
    /// A comment's author line.
    Author,
    /// Body text.
    Text,
    /// Quiet text: empty states, separators.
    Muted,
}

/// One row of the thread, safe to draw, at most the width it was made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The text.
    pub text: String,
    /// How it is drawn.
    pub look: Look,
}

/// `2024-01-15 10:30` in the zone, or the text as it came.
#[must_use]
pub fn minute(zone: Zone, t: Option<&Timestamp>) -> String {
    t.map(|t| zone.timestamp(t, "%Y-%m-%d %H:%M"))
        .unwrap_or_default()
}

/// The thread's rows for `width` columns.
#[must_use]
pub fn rows(ticket: &Ticket, zone: Zone, width: usize) -> Vec<Row> {
    let width = width.max(1);
    let mut out = Vec::new();
    let push = |text: &str, look: Look, out: &mut Vec<Row>| {
        let text = sanitize(text, Lines::Keep);
        for line in text.split('\n') {
            let mut ranges = Vec::new();
            wrap(line, width, width, &mut ranges);
            for (start, end) in ranges {
                out.push(Row {
                    text: line[start..end].to_owned(),
                    look,
                });
            }
        }
    };
    let id = ticket.id.map_or_else(String::new, |id| format!("#{id} "));
    let title = ticket.title.as_deref().unwrap_or("(untitled)");
    push(&format!("{id}{title}"), Look::Heading, &mut out);
    let or_none = |v: Option<&str>| {
        v.filter(|v| !v.trim().is_empty())
            .unwrap_or("none")
            .to_owned()
    };
    push(
        &format!(
            "status {} · priority {}",
            or_none(ticket.status.as_deref()),
            or_none(ticket.priority.as_deref())
        ),
        Look::Field,
        &mut out,
    );
    let tags = ticket.tags.as_deref().unwrap_or_default();
    if !tags.is_empty() {
        push(&format!("tags {}", tags.join(", ")), Look::Field, &mut out);
    }
    let conversation = match &ticket.conversation {
        Some(c) => {
            let id = c
                .conversation_id
                .clone()
                .or_else(|| c.id.map(|pk| pk.to_string()))
                .unwrap_or_default();
            match c.name.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(name) => format!("conversation {id} “{name}” · enter or O opens it"),
                None => format!("conversation {id} · enter or O opens it"),
            }
        }
        None => "conversation none".to_owned(),
    };
    push(&conversation, Look::Field, &mut out);
    if let Some(f) = &ticket.feedback {
        let kind = f.kind.as_deref().unwrap_or("feedback");
        let sentiment = sentiment_cell(f.sentiment.as_deref());
        let id = f.id.map_or_else(String::new, |id| format!(" #{id}"));
        push(
            &format!("from {kind} feedback{id} {sentiment}"),
            Look::Field,
            &mut out,
        );
        if let Some(comment) = f.comment.as_deref().filter(|c| !c.trim().is_empty()) {
            push(&format!("  “{comment}”"), Look::Text, &mut out);
        }
    }
    push(
        &format!(
            "created {} · updated {}",
            minute(zone, ticket.created_at.as_ref()),
            minute(zone, ticket.updated_at.as_ref())
        ),
        Look::Muted,
        &mut out,
    );
    let comments = ticket.comments();
    push("", Look::Muted, &mut out);
    if comments.is_empty() {
        push("no comments yet · c to add one", Look::Muted, &mut out);
    }
    for comment in comments {
        let author = comment.author.as_deref().unwrap_or("someone");
        let role = comment
            .role
            .as_deref()
            .map_or_else(String::new, |r| format!(" ({r})"));
        let at = minute(zone, comment.created_at.as_ref());
        push(&format!("{author}{role} · {at}"), Look::Author, &mut out);
        push(
            comment.body.as_deref().unwrap_or_default(),
            Look::Text,
            &mut out,
        );
        push("", Look::Muted, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::width;

    #[test]
    fn api_text_is_inert_and_every_row_fits() {
        let ticket: Ticket = serde_json::from_str(
            r#"{"id": 7, "title": "a\u001b]0;pwned\u0007 title that is long enough to wrap",
                "status": "open", "tags": ["x\u001b[31m"],
                "comments": [{"author": "ana\u009b2J", "role": "dev", "body": "line one\nline\u202e two"}]}"#,
        )
        .unwrap();
        let rows = rows(&ticket, Zone::Utc, 20);
        assert!(rows.iter().all(|r| width(&r.text) <= 20), "{rows:#?}");
        assert!(
            rows.iter().all(|r| !r.text.chars().any(char::is_control)),
            "{rows:#?}"
        );
        let text: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert!(text.contains(&"line one"), "{text:?}");
        assert_eq!(rows[0].look, Look::Heading);
        assert!(!text.iter().any(|t| t.contains("c to add one")));
    }

    #[test]
    fn an_empty_thread_says_so() {
        let ticket = Ticket::default();
        let rows = rows(&ticket, Zone::Utc, 60);
        assert!(rows.iter().any(|r| r.text.contains("no comments yet")));
        assert!(rows.iter().any(|r| r.text == "conversation none"));
    }
}
