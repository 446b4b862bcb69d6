//! How a write command prints what it wrote: one short line for people, or the record as the server returned it.

use super::args::RecordFormat;
use super::output;
use crate::failure::Failure;
use crate::text::{Lines, sanitize};

/// Prints `record` as JSON, or the line `line` builds from it.
///
/// # Errors
/// A failed write to standard output.
pub(super) fn print<T: serde::Serialize>(
    format: RecordFormat,
    record: &T,
    line: impl FnOnce(&T) -> String,
) -> Result<(), Failure> {
    match format {
        RecordFormat::Json => output::print(&output::pretty_json(record)?),
        RecordFormat::Text => output::print(&format!("{}\n", line(record))),
    }
}

/// Text from the server (or typed) made safe for one terminal line.
pub(super) fn shown(text: &str) -> String {
    sanitize(text.trim(), Lines::Join).into_owned()
}

/// `"text"`, made safe.
pub(super) fn quoted(text: &str) -> String {
    format!("\"{}\"", shown(text))
}

/// `#12`, or nothing when the server did not say.
pub(super) fn number(id: Option<i64>) -> String {
    id.map(|id| format!(" #{id}")).unwrap_or_default()
}

/// The conversation as the answer names it, else as the person typed it.
pub(super) fn conversation(answered: Option<&str>, typed: &str) -> String {
    shown(answered.filter(|id| !id.trim().is_empty()).unwrap_or(typed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_reach_the_terminal_raw() {
        let line = quoted("Refund\u{1b}[2J loop\nnext");
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert_eq!(conversation(Some(" "), "conv-7"), "conv-7");
        assert_eq!(conversation(Some("conv-8"), "8"), "conv-8");
        assert_eq!(number(Some(12)), " #12");
        assert_eq!(number(None), "");
    }
}
