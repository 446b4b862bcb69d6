//! The command line: global flags and subcommands (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use super::completions::CompletionShell;
use super::filters::{
    ActionFlags, FeedbackFlags, FilterArgs, PlaneFilterArgs, SpanFlags, TicketFlags, UsageFlags,
};
pub use super::formats::{RecordFormat, RowsFormat, TableFormat};
use super::paging::PageArgs;
use super::write_args::{
    DeleteArgs, FeedbackArgs, MarkArgs, RenameArgs, TicketCommentArgs, TicketNewArgs,
    TicketSetArgs, VoteArgs,
};
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
    /// Browser: refresh the list every SECONDS (1 to 86400), marking rows new
    /// since the last look; `a` turns it on and off
    #[arg(long, global = true, value_name = "SECONDS", value_parser = crate::app::watch::parse_period)]
    pub watch: Option<std::time::Duration>,
    /// What to do; without one, the interactive browser.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes.
// Each bool is an independent command-line switch, not a state.
#[allow(clippy::struct_excessive_bools)]
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
    /// Send the key over plain http to a host other than this machine
    /// (it travels in clear; loopback needs no flag)
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
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
            allow_insecure_http: self.allow_insecure_http,
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
    /// Feedback of every kind (conversation, agent, message votes), newest first
    Feedbacks(FeedbacksArgs),
    /// Tickets, newest first
    Tickets(TicketsArgs),
    /// One ticket: show it, file one, comment on it, change it
    Ticket {
        /// What to do with the ticket.
        #[command(subcommand)]
        action: TicketAction,
    },
    /// What the models used and cost: a summary, or the per-turn rows
    Usage(UsageArgs),
    /// The spans of one conversation, newest first
    Spans(SpansArgs),
    /// One trace as a tree
    Trace(TraceArgs),
    /// Action definitions, or one action's runs
    Actions(ActionsArgs),
    /// Mark a conversation (★), or take the mark off with --off
    Mark(MarkArgs),
    /// Rename a conversation
    Rename(RenameArgs),
    /// File feedback on a whole conversation
    Feedback(FeedbackArgs),
    /// Vote on one message (a second vote replaces the first)
    Vote(VoteArgs),
    /// Delete a conversation (soft: hidden from lists, still opens by id); needs --yes
    Delete(DeleteArgs),
    /// Where the config file is, what is in force (keys masked), a starter file
    Config {
        /// What to do with the config.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// A shell completion script on stdout (bash, zsh or fish)
    #[command(
        after_help = "bash: source <(convo completions bash)   (or save it in ~/.local/share/bash-completion/completions/convo)\n\
                            zsh:  convo completions zsh > \"${fpath[1]}/_convo\"\n\
                            fish: convo completions fish > ~/.config/fish/completions/convo.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// The manual as roff: one page listing the subcommands on stdout, or one page each with --dir
    #[command(after_help = "Read it: convo man | man -l -\n\
                            Install it: convo man --dir ~/.local/share/man/man1")]
    Man {
        /// Write convo.1 and one page per subcommand (convo-list.1, …) into this directory
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Replace pages already in DIR
        #[arg(long, requires = "dir")]
        force: bool,
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
    /// Every page, not just one (at most 5000 rows)
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
    /// Append every turn's trace: its spans as a waterfall (`AgentSight`)
    #[arg(long)]
    pub traces: bool,
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
    /// Output format (json includes the signed file URLs, which expire within the hour)
    #[arg(long, value_enum, default_value_t = AttachmentsFormat::Table)]
    pub format: AttachmentsFormat,
    /// Download the files into DIR (created if missing), never over an existing
    /// file; prints the full path of each
    #[arg(long, value_name = "DIR", conflicts_with = "format")]
    pub save: Option<PathBuf>,
    /// Only the attachment with this file name (as sent, or its base name) or id
    #[arg(long, value_name = "NAME")]
    pub only: Option<String>,
    /// Download the files (into --save DIR, or a new private temporary
    /// directory) and open each with the system opener; over SSH or without a
    /// display, print the path instead
    #[arg(long, conflicts_with = "format")]
    pub open: bool,
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
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub concurrency: u32,
    /// The most conversations to export: past it the export stops as incomplete
    /// (exit 1, kept in FILE.part), so a runaway server cannot write forever
    #[arg(long, default_value_t = 100_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max: u64,
    /// Replace FILE (and a FILE.part left by an export that stopped) if it exists
    #[arg(long)]
    pub force: bool,
}

/// How `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One conversation per line
    Jsonl,
    /// One JSON array
    Json,
}

/// `convo feedbacks`.
#[derive(Debug, Args)]
pub struct FeedbacksArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: PlaneFilterArgs<FeedbackFlags>,
    /// Which page.
    #[command(flatten)]
    pub paging: PageArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = RowsFormat::Table)]
    pub format: RowsFormat,
}

/// `convo tickets`.
#[derive(Debug, Args)]
pub struct TicketsArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: PlaneFilterArgs<TicketFlags>,
    /// Which page.
    #[command(flatten)]
    pub paging: PageArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = RowsFormat::Table)]
    pub format: RowsFormat,
}

/// `convo ticket …`.
#[derive(Debug, Subcommand)]
pub enum TicketAction {
    /// The ticket with its conversation, its feedback and its whole thread
    Show {
        /// The ticket's id
        id: i64,
        /// Output format
        #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
        format: RecordFormat,
    },
    /// File a ticket on a conversation
    New(TicketNewArgs),
    /// Add a comment to a ticket's thread
    Comment(TicketCommentArgs),
    /// Change a ticket's status, priority or title
    Set(TicketSetArgs),
}

/// How the usage summary groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// One line per model, biggest first
    Model,
    /// One line per conversation, biggest first
    Conversation,
    /// A text bar chart, one line per day, oldest first
    Day,
}

/// The currency of the usage summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CurrencyChoice {
    /// US dollars (the stored figure)
    Usd,
    /// Euros (converted where a rate is on file)
    Eur,
}

/// `convo usage`.
#[derive(Debug, Args)]
pub struct UsageArgs {
    /// Filters (the summary and the rows take the same ones).
    #[command(flatten)]
    pub filters: PlaneFilterArgs<UsageFlags>,
    /// How the summary groups
    #[arg(long, value_enum, default_value_t = GroupBy::Model, conflicts_with = "rows")]
    pub group_by: GroupBy,
    /// The summary's currency
    #[arg(long, value_enum, default_value_t = CurrencyChoice::Usd, conflicts_with = "rows")]
    pub currency: CurrencyChoice,
    /// The per-turn usage rows instead of the summary
    #[arg(long)]
    pub rows: bool,
    /// Which page of rows (with --rows).
    #[command(flatten)]
    pub paging: PageArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// `convo spans`.
#[derive(Debug, Args)]
pub struct SpansArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub conversation: String,
    /// Filters.
    #[command(flatten)]
    pub filters: PlaneFilterArgs<SpanFlags>,
    /// Which page.
    #[command(flatten)]
    pub paging: PageArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// `convo trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The trace id (32 hex digits, as spans show it)
    pub trace_id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo actions`.
#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: PlaneFilterArgs<ActionFlags>,
    /// This action's runs instead of the definitions
    #[arg(long, value_name = "ID")]
    pub logs: Option<i64>,
    /// Which page of definitions.
    #[command(flatten)]
    pub paging: PageArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}
