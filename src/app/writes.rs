//! Writes the browser asks for: one enum carrying each write's target and draft, what each answers, and what the key's role allows.

use crate::provider::model::{
    Feedback, FeedbackDraft, Ticket, TicketChange, TicketComment, TicketDraft, VoteDraft, Written,
};
use crate::provider::{ConversationRef, Error};

/// A write's identity, so the answer finds the write it answers (never the screen's current record).
pub type WriteId = u64;

/// One write, with the record it is for. Unlike a fetch it is never
/// cancelled by a newer one: once sent it runs to its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// `m`: mark (`on`) or unmark.
    Mark {
        /// The conversation.
        target: ConversationRef,
        /// The new state.
        on: bool,
    },
    /// `R`: a new name, checked.
    Rename {
        /// The conversation.
        target: ConversationRef,
        /// The name, trimmed and 1–255 characters.
        name: String,
    },
    /// `D`: soft delete.
    Delete {
        /// The conversation.
        target: ConversationRef,
    },
    /// `+`/`-`/`=`: feedback on the whole conversation.
    Feedback {
        /// The conversation.
        target: ConversationRef,
        /// The verdict and comment.
        draft: FeedbackDraft,
    },
    /// `+`/`-`/`=` on a message: a vote (a second one replaces the first).
    Vote {
        /// The conversation the message is in.
        target: ConversationRef,
        /// The message's pk.
        message: i64,
        /// The verdict, slugs and comment.
        draft: VoteDraft,
    },
    /// `T`: a new ticket, and a first comment posted right after it is created.
    Ticket {
        /// The conversation it is about, if any.
        target: Option<ConversationRef>,
        /// The ticket.
        draft: TicketDraft,
        /// The first comment, if any.
        comment: Option<String>,
    },
    /// A comment on a ticket's thread.
    Comment {
        /// The conversation the ticket is about, if known (its cached copy is updated).
        target: Option<ConversationRef>,
        /// The ticket's id.
        ticket: i64,
        /// The comment.
        body: String,
    },
    /// A change to a ticket's title, status or priority.
    UpdateTicket {
        /// The conversation the ticket is about, if known.
        target: Option<ConversationRef>,
        /// The ticket's id.
        ticket: i64,
        /// What changes.
        change: TicketChange,
    },
}

impl Write {
    /// The conversation whose records the answer updates, if any.
    #[must_use]
    pub fn target(&self) -> Option<&ConversationRef> {
        match self {
            Self::Mark { target, .. }
            | Self::Rename { target, .. }
            | Self::Delete { target }
            | Self::Feedback { target, .. }
            | Self::Vote { target, .. } => Some(target),
            Self::Ticket { target, .. }
            | Self::Comment { target, .. }
            | Self::UpdateTicket { target, .. } => target.as_ref(),
        }
    }

    /// What the write is, for the status line: "the rename of 12".
    #[must_use]
    pub fn describe(&self) -> String {
        let of = |target: &ConversationRef| format!("conversation {target}");
        match self {
            Self::Mark { target, on: true } => format!("marking {}", of(target)),
            Self::Mark { target, on: false } => format!("unmarking {}", of(target)),
            Self::Rename { target, .. } => format!("renaming {}", of(target)),
            Self::Delete { target } => format!("deleting {}", of(target)),
            Self::Feedback { target, draft } => {
                format!("{} feedback on {}", draft.sentiment.as_str(), of(target))
            }
            Self::Vote { message, draft, .. } => {
                format!("the {} vote on message {message}", draft.sentiment.as_str())
            }
            Self::Ticket {
                target: Some(target),
                ..
            } => format!("the ticket about {}", of(target)),
            Self::Ticket { target: None, .. } => "the new ticket".to_owned(),
            Self::Comment { ticket, .. } => format!("the comment on ticket #{ticket}"),
            Self::UpdateTicket { ticket, .. } => format!("the change to ticket #{ticket}"),
        }
    }
}

/// What a write answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Mark, rename, delete: the fields changed.
    Conversation(Written),
    /// Feedback or a vote, as stored.
    Feedback(Box<Feedback>),
    /// A ticket, and how its first comment went (none asked: `None`).
    Ticket {
        /// The ticket as created.
        ticket: Box<Ticket>,
        /// The first comment, posted after the ticket.
        comment: Option<Result<TicketComment, Error>>,
    },
    /// A comment as stored.
    Comment(TicketComment),
    /// A ticket as changed.
    TicketChanged(Box<Ticket>),
}

/// A write and its answer, as `Msg::Wrote` carries them.
#[derive(Clone, Debug)]
pub struct Wrote {
    /// The write's id.
    pub id: WriteId,
    /// The write itself, target and draft.
    pub write: Write,
    /// What the server answered, or why not.
    pub result: Result<Answer, Error>,
}

/// What the key may do, as `/api/me/` said.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Role {
    /// `/api/me/` was asked and has not answered: writes are sent, and a 403 says why.
    #[default]
    Asking,
    /// `/api/me/` failed or named no role: writes are sent, and a 403 says why.
    Unknown,
    /// Reads only: write keys refuse at once, sending nothing.
    Read,
    /// Reads and writes.
    Write,
}

/// The writes in flight and what the key may do.
#[derive(Clone, Debug, Default)]
pub struct Writes {
    /// The id the next write gets.
    pub next: WriteId,
    /// Writes sent and not yet answered.
    pub in_flight: Vec<(WriteId, Write)>,
    /// The key's role.
    pub role: Role,
    /// Bumped at each profile switch: a role answer for another profile is dropped.
    pub role_generation: u64,
}

impl Writes {
    /// Takes an id for a new write and remembers it as in flight.
    pub fn send(&mut self, write: Write) -> (WriteId, Write) {
        self.next += 1;
        self.in_flight.push((self.next, write.clone()));
        (self.next, write)
    }

    /// Forgets an answered write.
    pub fn answered(&mut self, id: WriteId) {
        self.in_flight.retain(|(i, _)| *i != id);
    }
}

/// The line a refused write shows: a read-only key is said the same way whether
/// the role came from `/api/me/` or from a 403.
#[must_use]
pub fn failure_line(write: &Write, error: &Error) -> String {
    match error {
        Error::ReadOnly { .. } | Error::NoAnswer { .. } => error.to_string(),
        Error::Forbidden { detail } => Error::ReadOnly {
            detail: detail.clone(),
        }
        .to_string(),
        Error::Timeout { host, .. } => Error::NoAnswer {
            host: host.clone(),
            what: write.describe(),
        }
        .to_string(),
        other => format!("{} failed: {other}", write.describe()),
    }
}

/// The refusal for a write key while the role is `read`.
#[must_use]
pub fn read_only() -> Error {
    Error::ReadOnly {
        detail: "the key's role is read".to_owned(),
    }
}
