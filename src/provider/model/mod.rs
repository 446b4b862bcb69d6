//! The domain model every provider speaks: conversations and messages, feedback and tickets, usage, spans and traces, pages.
//!
//! Field names are `AgentSight`'s wire names (the richer of the two APIs); the
//! `ChatDash` provider maps its records onto these, keeping its own fields in
//! `extra` as they came and reading them into [`ConversationFacts`]. Every
//! field is optional and unknown fields are kept in `extra`; see
//! [`crate::provider::lenient`].

mod conversation;
mod facts;
mod listing;
mod trace;
mod triage;
mod usage;
mod writes;

pub use super::lenient::{Timestamp, format_instant, parse_instant};
pub use conversation::{
    ActionLog, ActionOutcome, Attachment, AttachmentGroup, AttachmentIndex, Conversation,
    Environment, GeoLocation, Identity, Message, Page, WirePage,
};
pub use facts::{ConversationFacts, Evaluation, Flag, Number, When};
pub use listing::{Listing, WireList, page_was_full, pages_believed};
pub use trace::{Span, SpanEvent, TraceLine, TraceTree, nest_spans};
pub use triage::{Action, Feedback, Ticket, TicketComment, TicketConversation, TicketFeedback};
pub use usage::{
    ModelUsage, TokenCounts, TokenUsage, UNPRICED, UsageGroup, UsageRow, UsageSummary, parse_cost,
};
pub use usage::{UsageFlags, group_of};
pub use writes::{
    FeedbackDraft, MAX_NAME_CHARS, MAX_SLUG_CHARS, Sentiment, TicketChange, TicketDraft, VoteDraft,
    Written, checked_name, checked_priority, checked_slug, checked_status, optional_text,
};
