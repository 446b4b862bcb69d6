//! `convo attachments`: a conversation's files, one per row, with the message that carried each; `--save`/`--open` hand over to the download.

use super::args::{AttachmentsArgs, AttachmentsFormat};
use super::attachment_save::{self, SaveRequest};
use super::output;
use crate::failure::Failure;
use crate::format::count::plural;
use crate::format::human;
use crate::format::table::{self, Column};
use crate::provider::{ConversationRef, Provider};

/// Prints the attachments of one conversation.
///
/// # Errors
/// A blank id (exit 2), an unknown one (exit 4), or a failed request.
pub(super) async fn run(provider: &dyn Provider, args: AttachmentsArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse(&args.id)?;
    if args.save.is_some() || args.open {
        attachment_save::check(args.save.as_deref(), args.only.as_deref())?;
        let request = SaveRequest {
            id,
            dir: args.save.as_deref(),
            only: args.only.as_deref(),
            open: args.open,
        };
        return attachment_save::run(provider, request).await;
    }
    if args.only.is_some() {
        return Err(Failure::usage("--only picks a file to --save or --open"));
    }
    let index = provider.attachments(&id).await?;
    if args.format == AttachmentsFormat::Json {
        output::print(&output::pretty_json(&index)?)?;
        output::note(
            "warning: the file_url links are signed and expire within the hour; ask again rather than keep them",
        );
        return Ok(());
    }
    let columns = [
        Column {
            heading: "message",
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
    let files = index.all();
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|a| {
            vec![
                a.message.map(|pk| pk.to_string()).unwrap_or_default(),
                format!(
                    "{} {}",
                    human::attachment_glyph(a.kind.as_deref()),
                    a.kind.as_deref().unwrap_or("file")
                ),
                a.filename.clone().unwrap_or_default(),
                a.mime_type.clone().unwrap_or_default(),
                a.size_bytes.map(human::size).unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        output::note(&format!("no attachments in conversation {id}"));
        return Ok(());
    }
    output::print(&table::render(&columns, &rows))?;
    let count = index.count().max(rows.len());
    let listed = if count > rows.len() {
        format!(" ({} listed)", rows.len())
    } else {
        String::new()
    };
    output::note(&format!(
        "{}{listed} · file URLs (in --format json) expire an hour after this request",
        plural(count, "attachment")
    ));
    Ok(())
}
