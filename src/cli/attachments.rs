//! `convo attachments`: a conversation's files, grouped by the message that carried them.

use super::Failure;
use super::args::{AttachmentsArgs, AttachmentsFormat};
use super::output;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::{ConversationRef, Provider};

/// Prints the attachments of one conversation.
///
/// # Errors
/// A blank id (exit 2), an unknown one (exit 4), or a failed request.
pub async fn run(provider: &dyn Provider, args: AttachmentsArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    let index = provider.attachments(&id).await?;
    if args.format == AttachmentsFormat::Json {
        return output::print(&output::pretty_json(&index)?);
    }
    let columns = [
        Column {
            heading: "message",
            max: None,
        },
        Column {
            heading: "sender",
            max: Some(12),
        },
        Column {
            heading: "sent",
            max: None,
        },
        Column {
            heading: "type",
            max: None,
        },
        Column {
            heading: "filename",
            max: Some(40),
        },
        Column {
            heading: "mime",
            max: Some(30),
        },
        Column {
            heading: "size",
            max: None,
        },
    ];
    let mut rows = Vec::new();
    for group in index.messages.iter().flatten() {
        for a in group.attachments.iter().flatten() {
            rows.push(vec![
                group
                    .message_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                group.sender.clone().unwrap_or_default(),
                group
                    .timestamp
                    .as_ref()
                    .map(human::local_datetime)
                    .unwrap_or_default(),
                format!(
                    "{} {}",
                    human::attachment_glyph(a.kind.as_deref()),
                    a.kind.as_deref().unwrap_or("?")
                ),
                a.filename.clone().unwrap_or_default(),
                a.mime_type.clone().unwrap_or_default(),
                a.size_bytes.map(human::size).unwrap_or_default(),
            ]);
        }
    }
    if rows.is_empty() {
        eprintln!("no attachments in conversation {id}");
        return Ok(());
    }
    output::print(&table::render(&columns, &rows))?;
    eprintln!(
        "{} attachments · file URLs (in --format json) expire an hour after this request",
        rows.len()
    );
    Ok(())
}
