//! `convo show`: one conversation, whole, as text, JSON or Markdown.

use super::args::{ShowArgs, ShowFormat};
use super::output;
use crate::failure::Failure;
use crate::format::transcript;
use crate::provider::{ConversationRef, Provider};

/// Prints one conversation.
///
/// # Errors
/// A blank id (exit 2), an unknown one (exit 4), or a failed request.
pub(super) async fn run(provider: &dyn Provider, args: ShowArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse_as(&args.id, args.platform_id)?;
    let conversation = provider.conversation(&id).await?;
    let text = match args.format {
        ShowFormat::Text => transcript::to_text(&conversation),
        ShowFormat::Markdown => transcript::to_markdown(&conversation),
        ShowFormat::Json => output::pretty_json(&conversation)?,
    };
    output::print(&text)
}
