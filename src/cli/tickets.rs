//! `convo tickets` (a page of tickets as a table, JSON or JSONL) and `convo ticket show` (one ticket with its whole thread).

use super::args::{RecordFormat, RowsFormat, TicketsArgs};
use super::output;
use super::paging::{self, PageArgs};
use crate::failure::Failure;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::format::ticket;
use crate::provider::model::Ticket;
use crate::provider::{Plane, Provider};

/// Lists tickets as the flags say.
///
/// # Errors
/// A refused filter (exit 2) or a failed request.
pub(super) async fn list(
    provider: &dyn Provider,
    args: TicketsArgs,
    page_size: u32,
) -> Result<(), Failure> {
    let query = super::plane_query(provider, Plane::Tickets, |q| args.filters.to_query(q, &[]))?;
    let walked = paging::walk(args.paging, |page| {
        provider.tickets(&query, page, page_size)
    })
    .await?;
    match args.format {
        RowsFormat::Table => {
            output::print(&render_table(&walked.items))?;
            output::note(&walked.note("ticket"));
            Ok(())
        }
        RowsFormat::Json => output::print(&output::pretty_json(&walked.document())?),
        RowsFormat::Jsonl => walked.print_lines(),
    }
}

/// Prints one ticket with its whole thread (`convo ticket show`).
///
/// # Errors
/// An unknown ticket (exit 4) or a failed request.
pub(super) async fn show(
    provider: &dyn Provider,
    id: i64,
    format: RecordFormat,
) -> Result<(), Failure> {
    let mut ticket = provider.ticket(id).await?;
    // A thread longer than the ticket carries inline is read from its own route.
    let inline = ticket.comments().len();
    if usize::try_from(ticket.comment_count()).is_ok_and(|count| count > inline) {
        let paging = PageArgs { page: 1, all: true };
        let thread = paging::walk(paging, |page| provider.ticket_comments(id, page, 100)).await?;
        if thread.items.len() > inline {
            ticket.comments = Some(thread.items);
        }
    }
    match format {
        RecordFormat::Text => output::print(&ticket::to_text(&ticket)),
        RecordFormat::Json => output::print(&output::pretty_json(&ticket)?),
    }
}

/// The tickets as columns: id, status, priority, title, conversation, updated, comments.
fn render_table(rows: &[Ticket]) -> String {
    let columns = [
        Column {
            heading: "id",
            max: None,
        },
        Column {
            heading: "status",
            max: Some(12),
        },
        Column {
            heading: "priority",
            max: Some(8),
        },
        Column {
            heading: "title",
            max: Some(48),
        },
        Column {
            heading: "conversation",
            max: Some(28),
        },
        Column {
            heading: "updated",
            max: None,
        },
        Column {
            heading: "comments",
            max: None,
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|t| {
            let conversation = t
                .conversation
                .as_ref()
                .and_then(|c| {
                    c.conversation_id
                        .clone()
                        .or_else(|| c.id.map(|pk| pk.to_string()))
                })
                .unwrap_or_default();
            vec![
                t.id.map(|id| id.to_string()).unwrap_or_default(),
                t.status.clone().unwrap_or_default(),
                t.priority.clone().unwrap_or_default(),
                t.title.clone().unwrap_or_default(),
                conversation,
                t.updated_at
                    .as_ref()
                    .or(t.created_at.as_ref())
                    .map(human::local_minute)
                    .unwrap_or_default(),
                t.comment_count().to_string(),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}
