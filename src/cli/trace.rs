//! `convo trace TRACE_ID`: one trace as an indented tree, or as the JSON the server sent.

use super::args::{RecordFormat, TraceArgs};
use super::output;
use crate::failure::Failure;
use crate::format::trace;
use crate::provider::Provider;

/// Prints one trace.
///
/// # Errors
/// A blank id (exit 2), an unknown trace (exit 4), or a failed request.
pub(super) async fn run(provider: &dyn Provider, args: TraceArgs) -> Result<(), Failure> {
    let trace_id = args.trace_id.trim();
    if trace_id.is_empty() || trace_id.chars().any(|c| c.is_control() || c == '/') {
        return Err(Failure::usage(
            "a trace id is needed: the 32 hex digits in the trace column of `convo spans`",
        ));
    }
    let tree = provider.trace(trace_id).await?;
    match args.format {
        RecordFormat::Text => output::print(&trace::to_text(&tree)),
        RecordFormat::Json => output::print(
            &trace::to_json(&tree)
                .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))?,
        ),
    }
}
