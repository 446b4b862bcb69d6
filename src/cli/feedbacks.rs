//! `convo feedbacks`: feedback of every kind, newest first, as a table, JSON or JSONL, with the route's tallies.

use serde_json::Value;

use super::args::{FeedbacksArgs, RowsFormat};
use super::output;
use super::paging;
use crate::failure::Failure;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::model::Feedback;
use crate::provider::{Plane, Provider};

/// Lists feedback as the flags say.
///
/// # Errors
/// A refused filter (exit 2) or a failed request.
pub(super) async fn run(
    provider: &dyn Provider,
    args: FeedbacksArgs,
    page_size: u32,
) -> Result<(), Failure> {
    let query = super::plane_query(provider, Plane::Feedbacks, |q| {
        args.filters.to_query(q, &[])
    })?;
    let walked = paging::walk(args.paging, |page| {
        provider.feedbacks(&query, page, page_size)
    })
    .await?;
    match args.format {
        RowsFormat::Table => {
            output::print(&render_table(&walked.items))?;
            let mut note = walked.note("feedback");
            if let Some(counts) = walked.counts.as_ref().and_then(tallies) {
                note.push_str(" · ");
                note.push_str(&counts);
            }
            output::note(&note);
            Ok(())
        }
        RowsFormat::Json => output::print(&output::pretty_json(&walked.document())?),
        RowsFormat::Jsonl => walked.print_lines(),
    }
}

/// `counts` as `all 12 · tickets 3 · open 2`, in the order sent.
fn tallies(counts: &Value) -> Option<String> {
    let map = counts.as_object()?;
    let parts: Vec<String> = map
        .iter()
        .map(|(name, n)| {
            let n = match n {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            crate::text::sanitize(&format!("{name} {n}"), crate::text::Lines::Join).into_owned()
        })
        .collect();
    (!parts.is_empty()).then(|| format!("counts: {}", parts.join(" · ")))
}

/// The feedback as columns: id, created, kind, sentiment, conversation,
/// message (votes), topic/reason, comment.
fn render_table(rows: &[Feedback]) -> String {
    let columns = [
        Column {
            heading: "id",
            max: None,
        },
        Column {
            heading: "created",
            max: None,
        },
        Column {
            heading: "kind",
            max: Some(24),
        },
        Column {
            heading: "sentiment",
            max: Some(12),
        },
        Column {
            heading: "conversation",
            max: Some(28),
        },
        Column {
            heading: "message",
            max: None,
        },
        Column {
            heading: "topic/reason",
            max: Some(30),
        },
        Column {
            heading: "comment",
            max: Some(60),
        },
    ];
    let cells: Vec<Vec<String>> = rows.iter().map(row).collect();
    table::render(&columns, &cells)
}

fn row(f: &Feedback) -> Vec<String> {
    let kind = match f.source.as_deref() {
        // The older shape says who left it instead of a kind.
        Some(source) if f.kind.is_none() => format!("{} · {source}", f.kind()),
        _ => f.kind().to_owned(),
    };
    let conversation = f
        .conversation_id
        .clone()
        .filter(|id| !id.is_empty())
        .or_else(|| f.conversation.map(|pk| pk.to_string()))
        .unwrap_or_default();
    let topic_reason: Vec<&str> = [f.topic.as_deref(), f.reason.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    vec![
        f.id.map(|id| id.to_string()).unwrap_or_default(),
        f.created_at
            .as_ref()
            .map(human::local_minute)
            .unwrap_or_default(),
        kind,
        human::sentiment_cell(f.sentiment.as_deref()),
        conversation,
        f.message.map(|pk| pk.to_string()).unwrap_or_default(),
        topic_reason.join("/"),
        f.comment.clone().unwrap_or_default(),
    ]
}
