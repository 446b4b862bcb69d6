//! `convo actions`: the action definitions as a table or JSON, or with `--logs ID` every recorded run of one action.

use super::args::{ActionsArgs, TableFormat};
use super::output;
use super::paging;
use crate::failure::Failure;
use crate::format::count::plural;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::model::{Action, ActionLog};
use crate::provider::{Plane, Provider};

/// Lists action definitions, or one action's runs.
///
/// # Errors
/// A refused filter (exit 2), an unknown action (exit 4), or a failed request.
pub(super) async fn run(
    provider: &dyn Provider,
    args: ActionsArgs,
    page_size: u32,
) -> Result<(), Failure> {
    let query = super::plane_query(provider, Plane::Actions, |q| args.filters.to_query(q, &[]))?;
    if let Some(id) = args.logs {
        if args.paging.all || args.paging.page != 1 {
            return Err(Failure::usage(
                "--logs lists every run of one action at once; --page and --all page the definitions",
            ));
        }
        if !query.is_empty() {
            return Err(Failure::usage(
                "--logs lists every run of one action; filters apply to the definitions only",
            ));
        }
        return logs(provider, id, args.format).await;
    }
    let walked = paging::walk(args.paging, |page| {
        provider.actions(&query, page, page_size)
    })
    .await?;
    if args.format == TableFormat::Json {
        return output::print(&output::pretty_json(&walked.document())?);
    }
    output::print(&render_actions(&walked.items))?;
    output::note(&walked.note("action"));
    Ok(())
}

async fn logs(provider: &dyn Provider, id: i64, format: TableFormat) -> Result<(), Failure> {
    let runs = provider.action_logs(id).await?;
    if format == TableFormat::Json {
        return output::print(&output::pretty_json(&runs)?);
    }
    output::print(&render_logs(&runs))?;
    let failed = runs
        .iter()
        .filter(|r| r.outcome() == crate::provider::model::ActionOutcome::Failed)
        .count();
    output::note(&format!(
        "{} of action {id} · {failed} failed",
        plural(runs.len(), "run")
    ));
    Ok(())
}

fn render_actions(rows: &[Action]) -> String {
    let columns = [
        Column {
            heading: "id",
            max: None,
        },
        Column {
            heading: "name",
            max: Some(32),
        },
        Column {
            heading: "display name",
            max: Some(32),
        },
        Column {
            heading: "description",
            max: Some(60),
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            vec![
                a.id.map(|id| id.to_string()).unwrap_or_default(),
                a.name.clone().unwrap_or_default(),
                a.display_name.clone().unwrap_or_default(),
                a.description.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}

/// The runs as columns: started, duration (exact), outcome, message, error.
fn render_logs(rows: &[ActionLog]) -> String {
    let columns = [
        Column {
            heading: "started",
            max: None,
        },
        Column {
            heading: "duration",
            max: None,
        },
        Column {
            heading: "ok",
            max: None,
        },
        Column {
            heading: "message",
            max: None,
        },
        Column {
            heading: "error",
            max: Some(60),
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.started_at
                    .as_ref()
                    .map(human::local_datetime_ms)
                    .unwrap_or_default(),
                r.duration_ms.map(human::duration_ms).unwrap_or_default(),
                human::outcome_glyph(r.outcome()).to_owned(),
                r.message.map(|pk| pk.to_string()).unwrap_or_default(),
                r.error_message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table::render(&columns, &cells)
}
