//! `convo mark`, `rename`, `delete`, `feedback` and `vote`: one write each, checked before it is sent and printed as it came back.

use std::fmt::Write as _;

use super::write_args::{DeleteArgs, FeedbackArgs, MarkArgs, RenameArgs, VoteArgs};
use super::written::{self, conversation, number, quoted, shown};
use crate::config::Settings;
use crate::failure::Failure;
use crate::provider::ConversationRef;
use crate::provider::model::{Feedback, FeedbackDraft, VoteDraft, Written, optional_text};
use crate::session::connect_with;

/// Marks a conversation, or takes the mark off.
///
/// # Errors
/// A blank id (exit 2), a read-only key (3), an unknown conversation (4), a failed request (1).
pub(super) async fn mark(settings: &Settings, args: MarkArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    let on = !args.off;
    let session = connect_with(settings).await?;
    let answer = session.provider.mark(&id, on).await?;
    written::print(args.format, &answer, |w| mark_line(w, &args.id, on))
}

/// Renames a conversation.
///
/// # Errors
/// As [`mark`]; a blank or overlong name is refused by the flags (exit 2).
pub(super) async fn rename(settings: &Settings, args: RenameArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    let session = connect_with(settings).await?;
    let answer = session.provider.rename(&id, &args.name).await?;
    written::print(args.format, &answer, |w| {
        rename_line(w, &args.id, &args.name)
    })
}

/// Soft-deletes a conversation, only with `--yes`.
///
/// # Errors
/// Without `--yes` (exit 2, nothing sent); otherwise as [`mark`].
pub(super) async fn delete(settings: &Settings, args: DeleteArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    if !args.yes {
        return Err(Failure::usage(format!(
            "not deleted: deleting {} hides it from every list; add --yes to delete it",
            shown(&args.id)
        )));
    }
    let session = connect_with(settings).await?;
    let answer = session.provider.delete(&id).await?;
    written::print(args.format, &answer, |w| {
        format!(
            "deleted {} (hidden from lists; it still opens by id)",
            conversation(w.conversation_id.as_deref(), &args.id)
        )
    })
}

/// Files feedback on a whole conversation.
///
/// # Errors
/// As [`mark`]; a sentiment not one of the three is refused by the flags (exit 2).
pub(super) async fn feedback(settings: &Settings, args: FeedbackArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    let draft = FeedbackDraft {
        sentiment: args.sentiment,
        comment: args.comment.as_deref().and_then(optional_text),
    };
    let session = connect_with(settings).await?;
    let answer = session.provider.give_feedback(&id, &draft).await?;
    written::print(args.format, &answer, |f| {
        format!(
            "feedback{} on {}: {}",
            number(f.id),
            conversation(f.conversation_id.as_deref(), &args.id),
            verdict(f, draft.sentiment.as_str())
        )
    })
}

/// Votes on one message.
///
/// # Errors
/// As [`mark`] (an unknown message is exit 4); bad slugs are refused by the flags (exit 2).
pub(super) async fn vote(settings: &Settings, args: VoteArgs) -> Result<(), Failure> {
    let draft = VoteDraft {
        sentiment: args.sentiment,
        comment: args.comment.as_deref().and_then(optional_text),
        topic: args.topic,
        reason: args.reason,
    };
    let session = connect_with(settings).await?;
    let answer = session.provider.vote(args.message, &draft).await?;
    written::print(args.format, &answer, |f| {
        let mut line = format!(
            "vote{} on message {}: {}",
            number(f.id),
            f.message.unwrap_or(args.message),
            verdict(f, draft.sentiment.as_str())
        );
        for (what, slug) in [("topic", &f.topic), ("reason", &f.reason)] {
            if let Some(slug) = slug.as_deref().filter(|s| !s.trim().is_empty()) {
                let _ = write!(line, " · {what} {}", shown(slug));
            }
        }
        line
    })
}

fn mark_line(answer: &Written, typed: &str, asked: bool) -> String {
    let name = conversation(answer.conversation_id.as_deref(), typed);
    if answer.is_marked.unwrap_or(asked) {
        format!("marked {name} ★")
    } else {
        format!("unmarked {name}")
    }
}

fn rename_line(answer: &Written, typed: &str, asked: &str) -> String {
    format!(
        "renamed {} to {}",
        conversation(answer.conversation_id.as_deref(), typed),
        quoted(answer.name.as_deref().unwrap_or(asked))
    )
}

/// The sentiment as the server recorded it, else as sent.
fn verdict(feedback: &Feedback, sent: &str) -> String {
    shown(feedback.sentiment.as_deref().unwrap_or(sent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_what_the_server_recorded() {
        let marked = Written {
            conversation_id: Some("conv-7".to_owned()),
            is_marked: Some(true),
            ..Written::default()
        };
        assert_eq!(mark_line(&marked, "7", true), "marked conv-7 ★");
        assert_eq!(mark_line(&Written::default(), "7", false), "unmarked 7");
        let renamed = Written {
            name: Some("Refund loop".to_owned()),
            ..Written::default()
        };
        assert_eq!(
            rename_line(&renamed, "conv-7", "ignored"),
            "renamed conv-7 to \"Refund loop\""
        );
    }
}
