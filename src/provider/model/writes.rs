//! What a write asks for and what it answers: drafts checked before anything is sent, and the small records the write routes return.

use serde_json::Value;

use crate::provider::lenient::{Timestamp, wire_record};
use crate::provider::query::{SENTIMENTS, TICKET_PRIORITIES, TICKET_STATUSES};

/// The longest conversation name or ticket title the API keeps.
pub const MAX_NAME_CHARS: usize = 255;
/// The longest topic or reason slug on a message vote.
pub const MAX_SLUG_CHARS: usize = 50;

wire_record! {
    /// What `mark/`, `rename/`, `update/` and the soft delete answer: the
    /// conversation's ids and the fields the write changed.
    pub struct Written {
        pub id: Option<i64> = "id",
        pub conversation_id: Option<String> = "conversation_id",
        pub is_marked: Option<bool> = "is_marked",
        pub name: Option<String> = "name",
        pub is_deleted: Option<bool> = "is_deleted",
        pub deleted_at: Option<Timestamp> = "deleted_at",
        /// On `update/`: which fields it changed.
        pub updated_fields: Option<Vec<String>> = "updated_fields",
        /// Anything else the server echoed back.
        pub metadata: Option<Value> = "metadata",
    }
}

/// A verdict's sentiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sentiment {
    /// 👍
    Positive,
    /// neither
    Neutral,
    /// 👎
    Negative,
}

impl Sentiment {
    /// Every sentiment, in the order the keys offer them.
    pub const ALL: [Self; 3] = [Self::Positive, Self::Negative, Self::Neutral];

    /// The wire value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Neutral => "neutral",
            Self::Negative => "negative",
        }
    }

    /// Reads a sentiment as typed (case-insensitive, trimmed).
    ///
    /// # Errors
    /// A word that is not one of the three, naming them.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "positive" => Ok(Self::Positive),
            "neutral" => Ok(Self::Neutral),
            "negative" => Ok(Self::Negative),
            other => Err(format!(
                "sentiment {other:?} is not one of {}",
                SENTIMENTS.join(", ")
            )),
        }
    }
}

/// Feedback on a whole conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackDraft {
    /// The verdict.
    pub sentiment: Sentiment,
    /// What the support lead wrote, if anything (blank is none).
    pub comment: Option<String>,
}

/// A vote on one message; a second vote on the same message replaces the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteDraft {
    /// The verdict.
    pub sentiment: Sentiment,
    /// A comment, if any.
    pub comment: Option<String>,
    /// A slug (`billing`), at most [`MAX_SLUG_CHARS`].
    pub topic: Option<String>,
    /// A slug (`wrong_answer`), at most [`MAX_SLUG_CHARS`].
    pub reason: Option<String>,
}

/// A new ticket.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketDraft {
    /// Required, 1–255 characters after trimming.
    pub title: String,
    /// One of the ticket statuses; the server's default (`open`) when absent.
    pub status: Option<String>,
    /// `low`, `medium` or `high`.
    pub priority: Option<String>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// The conversation it is about, by integer pk (the provider resolves a string id).
    pub conversation: Option<crate::provider::ConversationRef>,
    /// The feedback that prompted it.
    pub feedback: Option<i64>,
}

/// A change to a ticket: only the fields given are sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketChange {
    /// A new title.
    pub title: Option<String>,
    /// A new status.
    pub status: Option<String>,
    /// A new priority.
    pub priority: Option<String>,
}

impl TicketChange {
    /// Whether it changes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.status.is_none() && self.priority.is_none()
    }
}

/// A name or title trimmed and held to 1–255 characters, as the API keeps it.
///
/// # Errors
/// Blank, or longer than [`MAX_NAME_CHARS`], said in words.
pub fn checked_name(text: &str, what: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let chars = trimmed.chars().count();
    if chars == 0 {
        return Err(format!("the {what} cannot be empty"));
    }
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "the {what} is {chars} characters; at most {MAX_NAME_CHARS}"
        ));
    }
    Ok(trimmed.to_owned())
}

/// A ticket status as the API spells it.
///
/// # Errors
/// Any other word, naming the statuses.
pub fn checked_status(text: &str) -> Result<String, String> {
    checked_choice(text, TICKET_STATUSES, "status")
}

/// A ticket priority as the API spells it.
///
/// # Errors
/// Any other word, naming the priorities.
pub fn checked_priority(text: &str) -> Result<String, String> {
    checked_choice(text, TICKET_PRIORITIES, "priority")
}

/// A topic or reason slug: letters, digits, `-` and `_`, at most 50.
///
/// # Errors
/// Anything else, said in words.
pub fn checked_slug(text: &str, what: &str) -> Result<String, String> {
    let slug = text.trim();
    if slug.is_empty() || slug.chars().count() > MAX_SLUG_CHARS {
        return Err(format!("the {what} must be 1–{MAX_SLUG_CHARS} characters"));
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "the {what} {slug:?} is not a slug (letters, digits, - and _)"
        ));
    }
    Ok(slug.to_owned())
}

/// Text a person typed as an optional comment: blank is none.
#[must_use]
pub fn optional_text(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn checked_choice(text: &str, choices: &[&str], what: &str) -> Result<String, String> {
    let word = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if choices.contains(&word.as_str()) {
        Ok(word)
    } else {
        Err(format!(
            "{what} {:?} is not one of {}",
            text.trim(),
            choices.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_held_to_the_api_bounds() {
        assert_eq!(checked_name("  Refund  ", "name"), Ok("Refund".to_owned()));
        assert!(checked_name("   ", "name").is_err());
        assert!(checked_name(&"é".repeat(255), "name").is_ok());
        assert!(checked_name(&"é".repeat(256), "name").is_err());
    }

    #[test]
    fn choices_accept_the_spellings_people_type() {
        assert_eq!(checked_status("In Progress"), Ok("in_progress".to_owned()));
        assert_eq!(checked_priority("HIGH"), Ok("high".to_owned()));
        assert!(checked_status("urgent").is_err());
        assert_eq!(Sentiment::parse(" Negative"), Ok(Sentiment::Negative));
        assert!(Sentiment::parse("meh").is_err());
    }

    #[test]
    fn slugs_are_short_plain_words() {
        assert_eq!(
            checked_slug("wrong_answer", "reason"),
            Ok("wrong_answer".to_owned())
        );
        assert!(checked_slug("two words", "reason").is_err());
        assert!(checked_slug(&"a".repeat(51), "topic").is_err());
    }
}
