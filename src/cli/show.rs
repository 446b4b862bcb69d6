//! `convo show`: one conversation, whole, as text, JSON or Markdown; with `--traces`, every turn's waterfall after it.

use std::fmt::Write as _;

use super::args::{ShowArgs, ShowFormat};
use super::output;
use crate::failure::Failure;
use crate::format::{trace, transcript};
use crate::provider::model::TraceTree;
use crate::provider::{ConversationRef, Provider};

/// Prints one conversation.
///
/// # Errors
/// A blank id (exit 2), an unknown one (exit 4), or a failed request.
pub(super) async fn run(provider: &dyn Provider, args: ShowArgs) -> Result<(), Failure> {
    let id = ConversationRef::parse_as(&args.id, args.platform_id)?;
    let conversation = provider.conversation(&id).await?;
    let traces = if args.traces {
        // The spans route is asked by what the record says it is, not by what was typed.
        let Some(own) = ConversationRef::of(&conversation) else {
            return Err(Failure::runtime(
                "the conversation came without an id: its traces cannot be asked for",
            ));
        };
        // Boxed: the walk over the turns would otherwise swell every command's future.
        Some(Box::pin(crate::runtime::trace::turns(provider, &own)).await?)
    } else {
        None
    };
    let text = match args.format {
        ShowFormat::Text => {
            let mut text = transcript::to_text(&conversation);
            if let Some(traces) = &traces {
                text.push_str(&traces_text(traces));
            }
            text
        }
        ShowFormat::Markdown => {
            let mut text = transcript::to_markdown(&conversation);
            if let Some(traces) = &traces {
                let _ = write!(text, "\n## Traces\n\n```text\n{}```\n", traces_text(traces));
            }
            text
        }
        ShowFormat::Json => match &traces {
            None => output::pretty_json(&conversation)?,
            Some(traces) => {
                let mut doc = *conversation_json(&conversation)?;
                let mut trees = Vec::new();
                for tree in traces {
                    let json = trace::to_json(tree)
                        .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))?;
                    trees.push(serde_json::from_str::<serde_json::Value>(&json).map_err(|e| {
                        Failure::runtime(format!("a trace too deep to nest in JSON ({e}); print it alone with convo trace"))
                    })?);
                }
                if let Some(object) = doc.as_object_mut() {
                    object.insert("traces".to_owned(), serde_json::Value::Array(trees));
                }
                output::pretty_json(&doc)?
            }
        },
    };
    output::print(&text)
}

fn conversation_json(
    conversation: &crate::provider::Conversation,
) -> Result<Box<serde_json::Value>, Failure> {
    serde_json::to_value(conversation)
        .map(Box::new)
        .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))
}

/// Every turn's waterfall, one after the other, under a heading.
fn traces_text(traces: &[TraceTree]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n— traces: {} —",
        crate::format::count::plural(traces.len(), "turn")
    );
    if traces.is_empty() {
        out.push_str("(no spans recorded for this conversation)\n");
    }
    for (i, tree) in traces.iter().enumerate() {
        let _ = writeln!(out, "\nturn {} of {}", i + 1, traces.len());
        out.push_str(&trace::to_text(tree));
    }
    out
}
