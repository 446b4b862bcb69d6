//! `convo list`: one page or every page of the list, as a table, JSON or JSONL.

use std::fmt::Write as _;

use chrono::Utc;
use serde_json::json;

use super::Failure;
use super::args::{ListArgs, ListFormat};
use super::output;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::model::Conversation;
use crate::provider::{Page, Provider};

/// Lists conversations as the flags say.
///
/// # Errors
/// A refused filter (exit 2) or a failed request.
pub async fn run(provider: &dyn Provider, args: ListArgs, page_size: u32) -> Result<(), Failure> {
    let query = args
        .filters
        .to_query(provider.new_query())?
        .pinned(Utc::now());
    let first_page = if args.all { 1 } else { args.page };
    let first = provider.list(&query, first_page, page_size).await?;
    let mut pages = vec![first];
    if args.all {
        let total_pages = pages[0].total_pages;
        for page in 2..=total_pages {
            pages.push(provider.list(&query, page, page_size).await?);
        }
    }
    let summary = &pages[0];
    let (total, total_pages, shown_page, shown_size) = (
        summary.total,
        summary.total_pages,
        summary.page,
        summary.page_size,
    );
    let rows: Vec<Conversation> = pages
        .into_iter()
        .flat_map(|p: Page| p.conversations)
        .collect();
    match args.format {
        ListFormat::Table => {
            output::print(&render_table(&rows))?;
            let mut note = format!("{total} conversations");
            if args.all {
                let _ = write!(note, " · {total_pages} pages");
            } else {
                let _ = write!(note, " · page {shown_page}/{total_pages}");
                if shown_page < total_pages {
                    let _ = write!(note, " · next: --page {}", shown_page + 1);
                }
            }
            if rows.is_empty() {
                note = format!("no conversations match ({note})");
            }
            eprintln!("{note}");
            Ok(())
        }
        ListFormat::Json => {
            let document = if args.all {
                json!({ "count": total, "total_pages": total_pages, "results": rows })
            } else {
                json!({ "count": total, "page": shown_page, "page_size": shown_size, "total_pages": total_pages, "results": rows })
            };
            output::print(&output::pretty_json(&document)?)
        }
        ListFormat::Jsonl => {
            let mut text = String::new();
            for row in &rows {
                let line = serde_json::to_string(row)
                    .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))?;
                text.push_str(&line);
                text.push('\n');
            }
            output::print(&text)
        }
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
