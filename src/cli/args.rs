//! The command line: global flags and subcommands (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::filters::FilterArgs;
use crate::server::ServeArgs;

/// A terminal browser for AI-agent conversations.
///
/// Credentials come from a profile in the config file (`convo config init` writes a
/// starter one) or from `AGENTSIGHT_API_KEY` — never a flag, so the key stays out of
/// shell history and `ps`. The endpoint: --endpoint, `AGENTSIGHT_API_ENDPOINT`, or the profile.
/// `convo --demo <command>` runs any command against the bundled demo data.
#[derive(Debug, Parser)]
#[command(name = "convo", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// Flags every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; without one, the interactive browser.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes.
#[derive(Clone, Debug, Default, Args)]
pub struct GlobalArgs {
    /// Use the bundled demo data on a local server (no key, no network)
    #[arg(long, global = true, conflicts_with = "endpoint")]
    pub demo: bool,
    /// The config file [default: `CONVO_CONFIG`, else config.toml in the platform config dir]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Profile from the config file [default: `CONVO_PROFILE`, else `default_profile`]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// API base URL [default: `AGENTSIGHT_API_ENDPOINT`, the profile's, or <https://api.agentsight.io>]
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Which API the endpoint speaks
    #[arg(long, global = true, value_enum, value_name = "API")]
    pub provider: Option<ProviderChoice>,
    /// Rows per page, 1 to 100 [default: 50]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub page_size: Option<u32>,
    /// Write logs to this file (they never go to the screen)
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// No colour (also when `NO_COLOR` is set)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Browser: wheel scrolling and click-to-select (off by default, so the
    /// terminal's own text selection works)
    #[arg(long, global = true)]
    pub mouse: bool,
}

/// The APIs convo speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderChoice {
    /// The `AgentSight` Conversation API
    Agentsight,
    /// The `ChatDash` public API
    Chatdash,
}

impl From<ProviderChoice> for crate::provider::ProviderKind {
    fn from(choice: ProviderChoice) -> Self {
        match choice {
            ProviderChoice::Agentsight => Self::AgentSight,
            ProviderChoice::Chatdash => Self::ChatDash,
        }
    }
}

impl GlobalArgs {
    /// What resolution needs from the command line.
    #[must_use]
    pub fn flags(&self) -> crate::config::Flags {
        crate::config::Flags {
            config: self.config.clone(),
            profile: self.profile.clone(),
            endpoint: self.endpoint.clone(),
            provider: self.provider.map(Into::into),
            page_size: self.page_size,
            no_color: self.no_color,
            mouse: self.mouse,
            demo: self.demo,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the browser on one conversation (string id or integer pk)
    Open {
        /// The conversation: `conv-abc-123` or `42`
        id: String,
        /// ID is the conversation's id on its original platform (`ChatDash` `isPlatformId`)
        #[arg(long)]
        platform_id: bool,
    },
    /// Run the local AgentSight-compatible server (demos, tests, benchmarks)
    Serve(ServeArgs),
    /// One page (or --all pages) of the conversation list
    List(ListArgs),
    /// One conversation, whole
    Show(ShowArgs),
    /// A conversation's attachments
    Attachments(AttachmentsArgs),
    /// Every matching conversation, streamed to a file
    Export(ExportArgs),
    /// Where the config file is, what is in force (keys masked), a starter file
    Config {
        /// What to do with the config.
        #[command(subcommand)]
        action: ConfigAction,
    },
}

/// `convo config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// The config file in use, and whether it exists
    Path,
    /// Every setting in force and where it came from (keys masked)
    Show {
        /// Output format
        #[arg(long, value_enum, default_value_t = ConfigFormat::Text)]
        format: ConfigFormat,
    },
    /// Write a commented starter file to the path in use (never overwrites)
    Init,
}

/// How `config show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConfigFormat {
    /// Aligned lines for people
    Text,
    /// One JSON document
    Json,
}

/// `convo list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Which page, from 1
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Every page, not just one
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// How `list` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people
    Table,
    /// One JSON document: {"count", "page", "`page_size`", "`total_pages`", "results"}
    Json,
    /// One conversation per line
    Jsonl,
}

/// `convo show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub id: String,
    /// ID is the conversation's id on its original platform (`ChatDash` `isPlatformId`)
    #[arg(long)]
    pub platform_id: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

/// How `show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// A readable transcript
    Text,
    /// The record as the API returned it (pretty JSON, unknown fields kept)
    Json,
    /// Markdown, for saving or sharing
    Markdown,
}

/// `convo attachments`.
#[derive(Debug, Args)]
pub struct AttachmentsArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub id: String,
    /// Output format (json includes the signed file URLs)
    #[arg(long, value_enum, default_value_t = AttachmentsFormat::Table)]
    pub format: AttachmentsFormat,
}

/// How `attachments` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AttachmentsFormat {
    /// Aligned columns for people
    Table,
    /// The attachments route's answer, pretty-printed
    Json,
}

/// `convo export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Where to write (`-` for standard output); written to FILE.part, renamed when complete
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Whole conversations (transcripts, feedback), not just the list rows
    #[arg(long)]
    pub full: bool,
    /// Pages fetched at once, 1 to 16
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub concurrency: u32,
}

/// How `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One conversation per line
    Jsonl,
    /// One JSON array
    Json,
}
