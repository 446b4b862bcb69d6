//! Carrying out a write: each on a task of its own that runs to its end (a newer write or fetch never cancels it), answered over the message channel.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::app::msg::{Generation, Msg};
use crate::app::writes::{Answer, Write, WriteId, Wrote};
use crate::provider::{Error, Provider};

/// Starts a write; its answer (or failure) comes back as `Msg::Wrote`. Only
/// the end of the whole loop (`shutdown`) stops it.
pub fn spawn(
    provider: Arc<dyn Provider>,
    id: WriteId,
    write: Write,
    replies: UnboundedSender<Msg>,
    shutdown: CancellationToken,
) {
    tokio::spawn(async move {
        tokio::select! {
            () = shutdown.cancelled() => {}
            result = perform(&*provider, &write) => {
                if let Err(error) = &result {
                    tracing::warn!("{}: {error}", write.describe());
                }
                let _ = replies.send(Msg::Wrote(Box::new(Wrote { id, write, result })));
            }
        }
    });
}

/// Asks who the key is; the answer comes back as `Msg::Identified`.
pub fn identify(
    provider: Arc<dyn Provider>,
    generation: Generation,
    replies: UnboundedSender<Msg>,
    shutdown: CancellationToken,
) {
    tokio::spawn(async move {
        tokio::select! {
            () = shutdown.cancelled() => {}
            result = provider.whoami() => {
                if let Err(error) = &result {
                    tracing::info!("who the key is: {error}");
                }
                let _ = replies.send(Msg::Identified { generation, result });
            }
        }
    });
}

/// Runs one write through the provider.
pub async fn perform(provider: &dyn Provider, write: &Write) -> Result<Answer, Error> {
    match write {
        Write::Mark { target, on } => provider.mark(target, *on).await.map(Answer::Conversation),
        Write::Rename { target, name } => provider
            .rename(target, name)
            .await
            .map(Answer::Conversation),
        Write::Delete { target } => provider.delete(target).await.map(Answer::Conversation),
        Write::Feedback { target, draft } => provider
            .give_feedback(target, draft)
            .await
            .map(|f| Answer::Feedback(Box::new(f))),
        Write::Vote { message, draft, .. } => provider
            .vote(*message, draft)
            .await
            .map(|f| Answer::Feedback(Box::new(f))),
        Write::Ticket { draft, comment, .. } => {
            let ticket = provider.create_ticket(draft).await?;
            // The ticket stands whatever becomes of its first comment, which
            // is reported beside it rather than failing the whole write.
            let comment = match (comment, ticket.id) {
                (Some(body), Some(id)) => Some(provider.comment_ticket(id, body).await),
                (Some(_), None) => Some(Err(Error::Decode {
                    detail: "the new ticket came back without an id, so the comment was not posted"
                        .to_owned(),
                })),
                (None, _) => None,
            };
            Ok(Answer::Ticket {
                ticket: Box::new(ticket),
                comment,
            })
        }
        Write::Comment { ticket, body, .. } => provider
            .comment_ticket(*ticket, body)
            .await
            .map(Answer::Comment),
        Write::UpdateTicket { ticket, change, .. } => provider
            .update_ticket(*ticket, change)
            .await
            .map(|t| Answer::TicketChanged(Box::new(t))),
    }
}
