//! `convo usage`: the usage summary (a text bar chart by day, or a table by model or conversation, biggest first, in dollars or euros) or the per-turn usage rows.
//!
//! An unpriced model is "not priced", never free, a missing euro figure is
//! "not converted", never zero, and calls whose tokens were never reported are
//! counted in words.

use super::args::{CurrencyChoice, GroupBy, TableFormat, UsageArgs};
use super::output;
use super::paging::{self, PageArgs};
use crate::failure::Failure;
use crate::format::count::plural;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::format::usage as words;
use crate::provider::model::{UsageFlags, UsageGroup, UsageRow, UsageSummary, parse_cost};
use crate::provider::{Currency, Plane, Provider, Query, UsageGrouping};

/// Prints the summary, or the rows with `--rows`.
///
/// # Errors
/// A refused filter (exit 2) or a failed request.
pub(super) async fn run(
    provider: &dyn Provider,
    args: UsageArgs,
    page_size: u32,
) -> Result<(), Failure> {
    let query = super::plane_query(provider, Plane::Usage, |q| args.filters.to_query(q, &[]))?;
    if args.rows {
        return rows(provider, &query, args.paging, args.format, page_size).await;
    }
    if args.paging.all || args.paging.page != 1 {
        return Err(Failure::usage(
            "--page and --all page the usage rows: add --rows (the summary is one answer)",
        ));
    }
    let grouping = match args.group_by {
        GroupBy::Model => UsageGrouping::Model,
        GroupBy::Conversation => UsageGrouping::Conversation,
        GroupBy::Day => UsageGrouping::Day,
    };
    let currency = match args.currency {
        CurrencyChoice::Usd => Currency::Usd,
        CurrencyChoice::Eur => Currency::Eur,
    };
    let summary = provider.usage_summary(&query, grouping, currency).await?;
    if args.format == TableFormat::Json {
        return output::print(&output::pretty_json(&summary)?);
    }
    let flags = crate::runtime::usage::flags(provider, &query).await;
    let text = match grouping {
        UsageGrouping::Day => render_days(&summary, currency, &flags),
        _ => render_summary(&summary, grouping, currency, &flags),
    };
    output::print(&text)?;
    let groups = summary.results().len();
    let mut note = format!(
        "{} by {}",
        plural(groups, "group"),
        crate::text::sanitize(
            summary.group_by.as_deref().unwrap_or(grouping.as_str()),
            crate::text::Lines::Join
        ),
    );
    if !flags.unpriced_groups(grouping).is_empty() {
        note.push_str(
            " · \"not priced\": no rate for some calls, so their cost is unknown (not zero)",
        );
    }
    if currency == Currency::Eur && summary.results().iter().any(|g| g.cost_eur.is_none()) {
        note.push_str(" · \"not converted\": no euro rate on file that day (not zero)");
    }
    if !flags.unreported_complete {
        note.push_str(" · unreported calls counted in the first rows only");
    }
    output::note(&note);
    Ok(())
}

/// `--group-by day`: a text bar chart, one line per day from the first to the last with usage.
fn render_days(summary: &UsageSummary, currency: Currency, flags: &UsageFlags) -> String {
    let dates: Vec<chrono::NaiveDate> = summary
        .results()
        .iter()
        .filter_map(|g| {
            chrono::NaiveDate::parse_from_str(g.group.as_deref()?.trim(), "%Y-%m-%d").ok()
        })
        .collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return String::new();
    };
    let span = usize::try_from((*last - *first).num_days() + 1).unwrap_or(1);
    let days = words::days(
        summary.results(),
        currency,
        flags,
        Some(*last),
        span.min(MAX_DAYS),
    );
    words::day_chart(&days, currency, BAR_ROOM)
}

/// The most days the chart draws (the latest ones).
const MAX_DAYS: usize = 366;
/// The longest bar, in columns.
const BAR_ROOM: usize = 40;

/// `--group-by model|conversation`: a table, biggest first, the flags in words.
fn render_summary(
    summary: &UsageSummary,
    grouping: UsageGrouping,
    currency: Currency,
    flags: &UsageFlags,
) -> String {
    let columns = [
        Column {
            heading: "group",
            max: Some(40),
        },
        Column {
            heading: "calls",
            max: None,
        },
        Column {
            heading: "tokens in",
            max: None,
        },
        Column {
            heading: "out",
            max: None,
        },
        Column {
            heading: "total",
            max: None,
        },
        Column {
            heading: "cost",
            max: None,
        },
        Column {
            heading: "notes",
            max: None,
        },
    ];
    let cells: Vec<Vec<String>> = words::biggest_first(summary.results())
        .into_iter()
        .map(|g| {
            let key = g.group.clone().unwrap_or_default();
            let name = match (grouping, flags.conversation_id(&key)) {
                (UsageGrouping::Conversation, Some(id)) => format!("{id} (#{key})"),
                _ => key.clone(),
            };
            vec![
                name,
                human::count(g.calls),
                human::count(g.prompt_tokens),
                human::count(g.completion_tokens),
                human::count(g.total_tokens),
                group_cost(g, currency, flags.is_unpriced(grouping, &key)),
                words::notes_cell(flags, grouping, &key),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}

/// `$0.108822`; in euros `€0.1 ($0.108822)` or `not converted ($0.108822)`;
/// an unpriced group adds `not priced` (alone when nothing was priced).
fn group_cost(g: &UsageGroup, currency: Currency, unpriced: bool) -> String {
    let usd = g
        .cost_usd
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let priced = match currency {
        Currency::Usd => usd.map_or_else(|| "unknown".to_owned(), |c| format!("${c}")),
        Currency::Eur => {
            let eur = g
                .cost_eur
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            let eur = eur.map_or_else(|| "not converted".to_owned(), |c| format!("€{c}"));
            match usd {
                Some(usd) => format!("{eur} (${usd})"),
                None => eur,
            }
        }
    };
    if !unpriced {
        return priced;
    }
    // Nothing priced at all: a zero in either currency would read as free.
    let nothing_priced = usd.and_then(parse_cost).is_some_and(|c| c == 0.0);
    if nothing_priced {
        "not priced".to_owned()
    } else {
        format!("{priced} + not priced")
    }
}

async fn rows(
    provider: &dyn Provider,
    query: &Query,
    paging: PageArgs,
    format: TableFormat,
    page_size: u32,
) -> Result<(), Failure> {
    let walked = paging::walk(paging, |page| provider.usage_rows(query, page, page_size)).await?;
    if format == TableFormat::Json {
        return output::print(&output::pretty_json(&walked.document())?);
    }
    output::print(&render_rows(&walked.items))?;
    output::note(&walked.note("usage row"));
    Ok(())
}

fn render_rows(rows: &[UsageRow]) -> String {
    let columns = [
        Column {
            heading: "started",
            max: None,
        },
        Column {
            heading: "conversation",
            max: Some(24),
        },
        Column {
            heading: "turn",
            max: Some(24),
        },
        Column {
            heading: "model",
            max: Some(32),
        },
        Column {
            heading: "in",
            max: None,
        },
        Column {
            heading: "out",
            max: None,
        },
        Column {
            heading: "total",
            max: None,
        },
        Column {
            heading: "calls",
            max: None,
        },
        Column {
            heading: "cost",
            max: None,
        },
        Column {
            heading: "source",
            max: None,
        },
        Column {
            heading: "notes",
            max: None,
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let cost = if r.is_unpriced() {
                "not priced".to_owned()
            } else {
                r.cost_usd
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map_or_else(|| "unknown".to_owned(), |c| format!("${c}"))
            };
            vec![
                r.started_at
                    .as_ref()
                    .map(human::local_datetime)
                    .unwrap_or_default(),
                r.conversation_id
                    .clone()
                    .filter(|id| !id.is_empty())
                    .or_else(|| r.conversation.map(|pk| pk.to_string()))
                    .unwrap_or_default(),
                r.turn_id.clone().unwrap_or_default(),
                r.model.clone().unwrap_or_default(),
                human::count(r.prompt_tokens),
                human::count(r.completion_tokens),
                human::count(r.total_tokens),
                human::count(r.calls),
                cost,
                r.cost_source.clone().unwrap_or_default(),
                notes(r),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}

/// What makes a row's figures less than the whole story.
fn notes(r: &UsageRow) -> String {
    let mut notes = Vec::new();
    if let Some(n) = r.unreported_calls.filter(|n| *n > 0) {
        notes.push(format!(
            "{n} unreported {} (tokens unknown)",
            if n == 1 { "call" } else { "calls" }
        ));
    }
    if r.incomplete == Some(true) {
        notes.push(
            match r.incomplete_reason.as_deref().filter(|s| !s.is_empty()) {
                Some(reason) => format!("incomplete: {reason}"),
                None => "incomplete".to_owned(),
            },
        );
    }
    notes.join(" · ")
}
