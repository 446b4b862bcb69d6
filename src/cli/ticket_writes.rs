//! `convo ticket new`, `ticket comment` and `ticket set`: filing a ticket on a conversation, adding to its thread, changing its status, priority or title.

use std::fmt::Write as _;

use super::write_args::{TicketCommentArgs, TicketNewArgs, TicketSetArgs};
use super::written::{self, conversation, number, quoted, shown};
use crate::config::Settings;
use crate::failure::Failure;
use crate::provider::ConversationRef;
use crate::provider::model::{Ticket, TicketChange, TicketDraft};
use crate::session::connect_with;

/// Files a ticket on a conversation.
///
/// # Errors
/// A blank id or a bad value (exit 2, nothing sent), a read-only key (3), an
/// unknown conversation or feedback (4), a failed request (1).
pub(super) async fn new(settings: &Settings, args: TicketNewArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    let draft = TicketDraft {
        title: args.title,
        status: args.status,
        priority: args.priority,
        tags: args.tags,
        conversation: Some(id),
        feedback: args.from_feedback,
    };
    let session = connect_with(settings).await?;
    let answer = session.provider.create_ticket(&draft).await?;
    written::print(args.format, &answer, |t| {
        let on = t
            .conversation
            .as_ref()
            .and_then(|c| c.conversation_id.as_deref());
        let mut line = format!(
            "ticket{} filed on {}: {}",
            number(t.id),
            conversation(on, &args.id),
            summary(t, &draft.title)
        );
        if let Some(feedback) = t.feedback.as_ref().and_then(|f| f.id).or(draft.feedback) {
            let _ = write!(line, " from feedback #{feedback}");
        }
        line
    })
}

/// Adds a comment to a ticket's thread.
///
/// # Errors
/// A read-only key (3), an unknown ticket (4), a failed request (1).
pub(super) async fn comment(settings: &Settings, args: TicketCommentArgs) -> Result<(), Failure> {
    let session = connect_with(settings).await?;
    let answer = session
        .provider
        .comment_ticket(args.ticket, &args.text)
        .await?;
    written::print(args.format, &answer, |c| {
        let by = c
            .author
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .map(|a| format!(" as {}", shown(a)))
            .unwrap_or_default();
        format!(
            "comment{} added to ticket #{}{by}",
            number(c.id),
            args.ticket
        )
    })
}

/// Changes a ticket's status, priority or title.
///
/// # Errors
/// Nothing to change (exit 2, nothing sent), a read-only key (3), an unknown
/// ticket (4), a failed request (1).
pub(super) async fn set(settings: &Settings, args: TicketSetArgs) -> Result<(), Failure> {
    let change = TicketChange {
        title: args.title,
        status: args.status,
        priority: args.priority,
    };
    if change.is_empty() {
        return Err(Failure::usage(
            "nothing to set: give --status, --priority or --title",
        ));
    }
    let session = connect_with(settings).await?;
    let answer = session.provider.update_ticket(args.ticket, &change).await?;
    written::print(args.format, &answer, |t| {
        format!(
            "ticket{}: {}",
            number(t.id.or(Some(args.ticket))),
            summary(t, change.title.as_deref().unwrap_or_default())
        )
    })
}

/// `"Refund loop" (open, high)`: the title, status and priority as recorded.
fn summary(ticket: &Ticket, sent_title: &str) -> String {
    let title = ticket.title.as_deref().unwrap_or(sent_title);
    let state: Vec<String> = [&ticket.status, &ticket.priority]
        .into_iter()
        .filter_map(|v| v.as_deref().filter(|s| !s.trim().is_empty()).map(shown))
        .collect();
    let mut line = quoted(title);
    if !state.is_empty() {
        let _ = write!(line, " ({})", state.join(", "));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_reads_as_its_title_and_state() {
        let ticket = Ticket {
            title: Some("Refund loop".to_owned()),
            status: Some("open".to_owned()),
            priority: Some("high".to_owned()),
            ..Ticket::default()
        };
        assert_eq!(summary(&ticket, "x"), "\"Refund loop\" (open, high)");
        assert_eq!(summary(&Ticket::default(), "Sent"), "\"Sent\"");
    }
}
