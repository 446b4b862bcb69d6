//! `convo list`: one page or every page of the list, as a table, JSON or JSONL.

use chrono::Utc;

use super::args::{ListArgs, ListFormat};
use super::output;
use super::paging::{self, PageArgs};
use crate::failure::Failure;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::model::Conversation;
use crate::provider::{Listing, Page, Provider};

/// Lists conversations as the flags say. `--all` walks the pages as every list
/// command does ([`paging::walk`]): it stops on an empty or short page, never
/// believes more pages than the count fills, and stops at
/// [`paging::ALL_CEILING`] rows, saying so.
///
/// # Errors
/// A refused filter (exit 2) or a failed request.
pub(super) async fn run(
    provider: &dyn Provider,
    args: ListArgs,
    page_size: u32,
) -> Result<(), Failure> {
    let query = args
        .filters
        .to_query(provider.new_query())?
        .pinned(Utc::now());
    let query = &query;
    let paging = PageArgs {
        page: args.page,
        all: args.all,
    };
    let walked = paging::walk(paging, |page| async move {
        provider.list(query, page, page_size).await.map(listing)
    })
    .await?;
    match args.format {
        ListFormat::Table => {
            output::print(&render_table(&walked.items))?;
            let mut note = walked.summary("conversation");
            if walked.items.is_empty() {
                note = format!("no conversations match ({note})");
            }
            output::note(&note);
            Ok(())
        }
        ListFormat::Json => output::print(&output::pretty_json(&walked.document())?),
        ListFormat::Jsonl => walked.print_lines(),
    }
}

/// A page of conversations as the list walk takes any page.
fn listing(page: Page) -> Listing<Conversation> {
    Listing {
        items: page.conversations,
        total: page.total,
        page: page.page,
        page_size: page.page_size,
        total_pages: page.total_pages,
        counts: None,
    }
}

/// The list as aligned columns: started (local time), id, name, customer,
/// messages, feedback, device, language, environment, flags.
fn render_table(rows: &[Conversation]) -> String {
    let columns = [
        Column {
            heading: "started",
            max: None,
        },
        Column {
            heading: "id",
            max: Some(28),
        },
        Column {
            heading: "name",
            max: Some(32),
        },
        Column {
            heading: "customer",
            max: Some(20),
        },
        Column {
            heading: "msgs",
            max: None,
        },
        Column {
            heading: "fb",
            max: None,
        },
        Column {
            heading: "device",
            max: Some(8),
        },
        Column {
            heading: "lang",
            max: Some(5),
        },
        Column {
            heading: "env",
            max: Some(11),
        },
        Column {
            heading: "flags",
            max: None,
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|c| {
            let flags: Vec<&str> = [
                (c.is_marked == Some(true), "★ marked"),
                (c.is_deleted == Some(true), "deleted"),
            ]
            .into_iter()
            .filter_map(|(on, f)| on.then_some(f))
            .collect();
            vec![
                c.started_at
                    .as_ref()
                    .map(human::local_minute)
                    .unwrap_or_default(),
                c.display_id(),
                c.name.clone().unwrap_or_default(),
                c.customer_id.clone().unwrap_or_default(),
                count(c.message_count, c.messages.as_ref().map(Vec::len)),
                count(c.feedback_count, c.feedbacks.as_ref().map(Vec::len)),
                c.device.clone().unwrap_or_default(),
                c.language.clone().unwrap_or_default(),
                c.environment.clone().unwrap_or_default(),
                flags.join(" "),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}

/// A lean row's count, else the length of what came whole, else `?`: the
/// server did not say, which is not the same as none.
fn count(said: Option<i64>, held: Option<usize>) -> String {
    said.map(|n| n.to_string())
        .or_else(|| held.map(|n| n.to_string()))
        .unwrap_or_else(|| "?".to_owned())
}
