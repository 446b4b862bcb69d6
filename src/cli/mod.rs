//! Headless subcommands for scripts: list, show, attachments, export, feedbacks, tickets, usage, spans, traces, actions, the writes (mark, rename, delete, feedback, vote, tickets), completions and the manual — and the dispatch from the command line to them.

mod actions;
pub mod args;
mod attachment_save;
mod attachments;
pub mod completions;
mod config_cmd;
mod conversation_writes;
mod export;
mod feedbacks;
pub mod filters;
pub mod formats;
mod list;
pub mod man;
mod output;
pub mod paging;
mod show;
mod spans;
mod ticket_writes;
mod tickets;
mod trace;
mod usage;
pub mod write_args;
mod written;

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use crate::failure::Failure;
use crate::session::connect_with;
pub use args::Cli;
use args::{Command, TicketAction};

/// Runs the parsed command line to completion and says how it ended.
pub async fn run(cli: Cli) -> ExitCode {
    // Logs go to a file only, never the screen: `--log-file` for any command
    // (the browser defaults to the data directory when it is not given).
    if let Some(path) = cli.global.log_file.as_deref()
        && let Err(e) = crate::term::init_logging(Some(path))
    {
        return report(&Failure::usage(e));
    }
    // A headless command run by a person says its retries on stderr, so a
    // wait is not silence; a script's stderr keeps its one line. The browser
    // says them in its status bar (the terminal is its own then).
    let browser = matches!(cli.command, None | Some(Command::Open { .. }));
    let done = if browser || !std::io::stderr().is_terminal() {
        dispatch(cli).await
    } else {
        let say: crate::provider::http::attempts::Watcher =
            std::sync::Arc::new(|retrying| say_retry(&retrying));
        crate::provider::http::attempts::watched(say, dispatch(cli)).await
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure),
    }
}

/// `convo: page 1: the server failed (502): retry 2/3 in 0.5 s`, on stderr.
fn say_retry(retrying: &crate::provider::http::attempts::Retrying) {
    let _ = writeln!(std::io::stderr(), "convo: {retrying}");
}

fn report(failure: &Failure) -> ExitCode {
    tracing::error!("{}", failure.message);
    // Not eprintln!: it panics when stderr is gone (a hung-up SSH session).
    let _ = writeln!(std::io::stderr(), "convo: {}", failure.message);
    ExitCode::from(failure.code)
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    let global = cli.global;
    let watch = cli.watch;
    if watch.is_some() && !matches!(cli.command, None | Some(Command::Open { .. })) {
        return Err(Failure::usage(
            "--watch is for the browser (`convo --watch 30`, `convo --watch 30 open ID`); \
             a headless command answers once",
        ));
    }
    let command = match cli.command {
        // The server and the config commands need no resolved settings.
        Some(Command::Serve(args)) => {
            return crate::server::run(args).await.map_err(Failure::runtime);
        }
        Some(Command::Config { action }) => return config_cmd::run(&global, action).await,
        // Installing needs no key and no config: a package build has neither.
        Some(Command::Completions { shell }) => return completions::run(shell),
        Some(Command::Man { dir, force }) => return man::run(dir.as_deref(), force),
        other => other,
    };
    let (settings, file) = crate::config::settings_and_file(&global.flags())?;
    config_cmd::warn(&settings.warnings);
    let page_size = settings.page_size.value;
    match command {
        Some(Command::List(args)) => {
            list::run(&*connect_with(&settings).await?.provider, args, page_size).await
        }
        Some(Command::Show(args)) => {
            show::run(&*connect_with(&settings).await?.provider, args).await
        }
        Some(Command::Attachments(args)) => {
            attachments::run(&*connect_with(&settings).await?.provider, args).await
        }
        Some(Command::Export(args)) => {
            export::run(&*connect_with(&settings).await?.provider, args).await
        }
        Some(Command::Feedbacks(args)) => {
            feedbacks::run(&*connect_with(&settings).await?.provider, args, page_size).await
        }
        Some(Command::Tickets(args)) => {
            tickets::list(&*connect_with(&settings).await?.provider, args, page_size).await
        }
        Some(Command::Ticket { action }) => match action {
            TicketAction::New(args) => ticket_writes::new(&settings, args).await,
            TicketAction::Comment(args) => ticket_writes::comment(&settings, args).await,
            TicketAction::Set(args) => ticket_writes::set(&settings, args).await,
            TicketAction::Show { id, format } => {
                tickets::show(&*connect_with(&settings).await?.provider, id, format).await
            }
        },
        Some(Command::Mark(args)) => conversation_writes::mark(&settings, args).await,
        Some(Command::Rename(args)) => conversation_writes::rename(&settings, args).await,
        Some(Command::Delete(args)) => conversation_writes::delete(&settings, args).await,
        Some(Command::Feedback(args)) => conversation_writes::feedback(&settings, args).await,
        Some(Command::Vote(args)) => conversation_writes::vote(&settings, args).await,
        Some(Command::Usage(args)) => {
            usage::run(&*connect_with(&settings).await?.provider, args, page_size).await
        }
        Some(Command::Spans(args)) => {
            spans::run(&*connect_with(&settings).await?.provider, args, page_size).await
        }
        Some(Command::Trace(args)) => {
            trace::run(&*connect_with(&settings).await?.provider, args).await
        }
        Some(Command::Actions(args)) => {
            actions::run(&*connect_with(&settings).await?.provider, args, page_size).await
        }
        Some(Command::Open { id, platform_id }) => {
            let id = crate::provider::ConversationRef::parse_as(&id, platform_id)?;
            // Boxed: the browser's future holds its whole state, too large to sit in this one.
            Box::pin(crate::runtime::browse(
                &settings,
                &global.flags(),
                global.log_file.as_deref(),
                file,
                Some(id),
                watch,
            ))
            .await
        }
        None
        | Some(
            Command::Serve(_)
            | Command::Config { .. }
            | Command::Completions { .. }
            | Command::Man { .. },
        ) => {
            Box::pin(crate::runtime::browse(
                &settings,
                &global.flags(),
                global.log_file.as_deref(),
                file,
                None,
                watch,
            ))
            .await
        }
    }
}

/// An empty query over one list route's filters, filled by `fill` and with
/// relative dates fixed now, so every page of a walk asks the same question.
///
/// # Errors
/// A provider without the route, or a refused filter (both exit 2).
fn plane_query(
    provider: &dyn crate::provider::Provider,
    plane: crate::provider::Plane,
    fill: impl FnOnce(crate::provider::Query) -> Result<crate::provider::Query, crate::provider::Error>,
) -> Result<crate::provider::Query, Failure> {
    let empty = provider
        .plane_query(plane)
        .ok_or_else(|| provider.unsupported(&format!("{plane:?} list").to_lowercase()))?;
    Ok(fill(empty)?.pinned(chrono::Utc::now()))
}
