//! Headless subcommands for scripts: list, show, attachments, export, feedbacks, tickets, usage, spans, traces, actions — and the dispatch from the command line to them.

mod actions;
pub mod args;
mod attachments;
mod config_cmd;
pub mod connect;
mod export;
mod feedbacks;
pub mod filters;
mod list;
mod output;
pub mod paging;
mod show;
mod spans;
mod tickets;
mod trace;
mod usage;

use std::io::Write as _;
use std::process::ExitCode;

pub use args::Cli;
use args::Command;
pub use connect::{Session, connect_with};

/// Why a command failed: the line to print and the exit code.
#[derive(Debug, PartialEq, Eq)]
pub struct Failure {
    /// One line for stderr, after `convo: `.
    pub message: String,
    /// 1 runtime, 2 usage, 3 auth, 4 not found.
    pub code: u8,
}

impl Failure {
    /// A usage error (exit 2).
    #[must_use]
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }

    /// A runtime error (exit 1).
    #[must_use]
    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }
}

impl From<crate::provider::Error> for Failure {
    fn from(e: crate::provider::Error) -> Self {
        Self {
            code: e.exit_code(),
            message: for_the_command_line(&e.to_string()),
        }
    }
}

// The conversion lives here, not beside `ConfigError`, so that config sits
// below cli and never names it.
impl From<crate::config::ConfigError> for Failure {
    fn from(e: crate::config::ConfigError) -> Self {
        Self::usage(e.to_string())
    }
}

/// An error line reworded for a command, where the browser's advice
/// ("retry with r") means nothing: there is no `r` to press.
fn for_the_command_line(line: &str) -> String {
    line.replace("retry with r", "run the command again")
}

/// Runs the parsed command line to completion and says how it ended.
pub async fn run(cli: Cli) -> ExitCode {
    // Logs go to a file only, never the screen: `--log-file` for any command
    // (the browser defaults to the data directory when it is not given).
    if let Some(path) = cli.global.log_file.as_deref()
        && let Err(e) = crate::term::init_logging(Some(path))
    {
        return report(&Failure::usage(e));
    }
    match dispatch(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure),
    }
}

fn report(failure: &Failure) -> ExitCode {
    tracing::error!("{}", failure.message);
    // Not eprintln!: it panics when stderr is gone (a hung-up SSH session).
    let _ = writeln!(std::io::stderr(), "convo: {}", failure.message);
    ExitCode::from(failure.code)
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    let global = cli.global;
    let command = match cli.command {
        // The server and the config commands need no resolved settings.
        Some(Command::Serve(args)) => {
            return crate::server::run(args).await.map_err(Failure::runtime);
        }
        Some(Command::Config { action }) => return config_cmd::run(&global, action).await,
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
        Some(Command::Ticket { action }) => {
            tickets::run(&*connect_with(&settings).await?.provider, action).await
        }
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
            crate::app::browse(&global, &settings, file, Some(id)).await
        }
        None | Some(Command::Serve(_) | Command::Config { .. }) => {
            crate::app::browse(&global, &settings, file, None).await
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::provider::Error;

    #[test]
    fn headless_errors_never_tell_to_press_r() {
        let retryable = [
            Error::Server {
                status: 502,
                detail: "Bad Gateway".to_owned(),
            },
            Error::Throttled {
                detail: "slow down".to_owned(),
                retry_after: Some(Duration::from_secs(3)),
            },
            Error::Throttled {
                detail: "slow down".to_owned(),
                retry_after: None,
            },
            Error::Timeout {
                host: "h".to_owned(),
                after: Duration::from_secs(15),
            },
            Error::Network {
                host: "h".to_owned(),
                detail: "reset".to_owned(),
            },
        ];
        for error in retryable {
            let failure = Failure::from(error.clone());
            assert!(
                !failure.message.contains("with r")
                    && failure.message.contains("run the command again"),
                "{failure:?}"
            );
            assert_eq!(failure.code, error.exit_code());
        }
    }
}
