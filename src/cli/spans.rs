//! `convo spans CONVERSATION`: the spans of one conversation, newest first, as a table or JSON.

use super::args::{SpansArgs, TableFormat};
use super::output;
use super::paging;
use crate::failure::Failure;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::model::Span;
use crate::provider::{ConversationRef, Plane, Provider};

/// Lists one conversation's spans as the flags say.
///
/// # Errors
/// A blank conversation or a refused filter (exit 2), or a failed request.
pub(super) async fn run(
    provider: &dyn Provider,
    args: SpansArgs,
    page_size: u32,
) -> Result<(), Failure> {
    // The route takes the pk or the business id; either narrows to one conversation.
    let own = match ConversationRef::parse(&args.conversation)? {
        ConversationRef::Pk(pk) => ("conversation", pk.to_string()),
        ConversationRef::Id(id) | ConversationRef::Platform(id) => ("conversation_id", id),
    };
    let query = super::plane_query(provider, Plane::Spans, |q| args.filters.to_query(q, &[own]))?;
    let walked = paging::walk(args.paging, |page| provider.spans(&query, page, page_size)).await?;
    if args.format == TableFormat::Json {
        return output::print(&output::pretty_json(&walked.document())?);
    }
    output::print(&render_table(&walked.items))?;
    output::note(&walked.note("span"));
    Ok(())
}

/// The spans as columns: started, kind, name, duration, status, trace, row id.
fn render_table(rows: &[Span]) -> String {
    let columns = [
        Column {
            heading: "started",
            max: None,
        },
        Column {
            heading: "kind",
            max: Some(12),
        },
        Column {
            heading: "name",
            max: Some(36),
        },
        Column {
            heading: "duration",
            max: None,
        },
        Column {
            heading: "status",
            max: None,
        },
        Column {
            heading: "trace",
            max: None,
        },
        Column {
            heading: "id",
            max: None,
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            vec![
                s.started_at
                    .as_ref()
                    .map(human::local_datetime_ms)
                    .unwrap_or_default(),
                s.kind.clone().unwrap_or_default(),
                s.name.clone().unwrap_or_default(),
                s.duration_ms.map(human::duration_ms).unwrap_or_default(),
                human::span_status(s.status.as_deref()),
                s.trace_id.clone().unwrap_or_default(),
                s.id.map(|id| id.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}
