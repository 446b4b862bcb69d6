//! The write commands' flags: mark, rename, delete, feedback, vote and the ticket writes, each value checked as clap reads it so a bad one is refused before anything is sent.

use clap::Args;

use super::formats::RecordFormat;
use crate::provider::model::{
    Sentiment, checked_name, checked_priority, checked_slug, checked_status, optional_text,
};

/// `convo mark`.
#[derive(Debug, Args)]
pub struct MarkArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub id: String,
    /// Take the mark off instead
    #[arg(long)]
    pub off: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo rename`.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub id: String,
    /// The new name, 1 to 255 characters
    #[arg(value_parser = name)]
    pub name: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub id: String,
    /// Yes, delete it (hidden from every list; it still opens by id)
    #[arg(long)]
    pub yes: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo feedback`.
#[derive(Debug, Args)]
pub struct FeedbackArgs {
    /// The conversation: `conv-abc-123` or `42`
    pub id: String,
    /// positive, neutral or negative
    #[arg(long, value_name = "S", value_parser = sentiment)]
    pub sentiment: Sentiment,
    /// What to say about it
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo vote`.
#[derive(Debug, Args)]
pub struct VoteArgs {
    /// The message's integer pk (as `show --format json` lists it)
    pub message: i64,
    /// positive, neutral or negative
    #[arg(long, value_name = "S", value_parser = sentiment)]
    pub sentiment: Sentiment,
    /// A topic slug (`billing`): letters, digits, - and _, at most 50
    #[arg(long, value_name = "SLUG", value_parser = topic)]
    pub topic: Option<String>,
    /// A reason slug (`wrong_answer`): letters, digits, - and _, at most 50
    #[arg(long, value_name = "SLUG", value_parser = reason)]
    pub reason: Option<String>,
    /// What to say about it
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo ticket new`.
#[derive(Debug, Args)]
pub struct TicketNewArgs {
    /// The conversation it is about: `conv-abc-123` or `42`
    pub id: String,
    /// The title, 1 to 255 characters
    #[arg(long, value_parser = title)]
    pub title: String,
    /// low, medium or high
    #[arg(long, value_name = "P", value_parser = priority)]
    pub priority: Option<String>,
    /// backlog, open, in-progress, in-review, done or closed [server default: open]
    #[arg(long, value_name = "S", value_parser = status)]
    pub status: Option<String>,
    /// A tag (repeat for more)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The feedback (by id) that prompted it
    #[arg(long, value_name = "N")]
    pub from_feedback: Option<i64>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo ticket comment`.
#[derive(Debug, Args)]
pub struct TicketCommentArgs {
    /// The ticket's id
    pub ticket: i64,
    /// What to add to its thread
    #[arg(value_parser = comment)]
    pub text: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

/// `convo ticket set`.
#[derive(Debug, Args)]
pub struct TicketSetArgs {
    /// The ticket's id
    pub ticket: i64,
    /// backlog, open, in-progress, in-review, done or closed
    #[arg(long, value_name = "S", value_parser = status)]
    pub status: Option<String>,
    /// low, medium or high
    #[arg(long, value_name = "P", value_parser = priority)]
    pub priority: Option<String>,
    /// A new title, 1 to 255 characters
    #[arg(long, value_parser = title)]
    pub title: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
}

fn sentiment(text: &str) -> Result<Sentiment, String> {
    Sentiment::parse(text)
}

fn name(text: &str) -> Result<String, String> {
    checked_name(text, "name")
}

fn title(text: &str) -> Result<String, String> {
    checked_name(text, "title")
}

fn status(text: &str) -> Result<String, String> {
    checked_status(text)
}

fn priority(text: &str) -> Result<String, String> {
    checked_priority(text)
}

fn topic(text: &str) -> Result<String, String> {
    checked_slug(text, "topic")
}

fn reason(text: &str) -> Result<String, String> {
    checked_slug(text, "reason")
}

fn comment(text: &str) -> Result<String, String> {
    optional_text(text).ok_or_else(|| "the comment cannot be empty".to_owned())
}
