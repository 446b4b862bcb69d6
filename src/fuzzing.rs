//! A narrow door to internals for the fuzz targets (`fuzz/`) and the property tests: the detail pane's wrapper and column measure, and message Markdown rendered to plain lines.
//!
//! Not part of the API: hidden from the docs, and free to change with the
//! internals it reaches. Everything else the targets need is public already
//! (`text::sanitize`, `provider::repair::from_slice`, the model records).

use crate::text::wrap;
use crate::view::detail::line::{Lead, Lines};
use crate::view::detail::markdown;
use crate::view::theme::Theme;

/// The rows `text` wraps into: `first` columns on the first row, `rest` on
/// the others, as byte ranges of `text` (the detail pane's wrapper).
#[must_use]
pub fn wrap_rows(text: &str, first: usize, rest: usize) -> Vec<(usize, usize)> {
    let mut rows = Vec::new();
    wrap::wrap(text, first, rest, &mut rows);
    rows
}

/// Columns `text` takes as the detail pane measures it (per cluster, as the buffer draws).
#[must_use]
pub fn columns(text: &str) -> usize {
    wrap::width(text)
}

/// The clusters of `text` (a character with the marks and joiners that
/// follow it): start, end, columns. A row is never cut inside one.
#[must_use]
pub fn clusters(text: &str) -> Vec<(usize, usize, usize)> {
    wrap::clusters(text)
        .map(|c| (c.start, c.end, c.width))
        .collect()
}

/// The byte length of the longest prefix of `text` that fits in `columns`.
#[must_use]
pub fn fit_prefix(text: &str, columns: usize) -> usize {
    wrap::fit_prefix(text, columns)
}

/// One rendered Markdown line: what precedes its first row, what precedes
/// the rows it wraps onto, and its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkdownLine {
    pub lead: String,
    pub cont: String,
    pub text: String,
}

/// Message `content` (sanitised already, as the Messages tab passes it)
/// rendered as the Messages tab renders it, each line flattened to text.
#[must_use]
pub fn markdown_lines(content: &str) -> Vec<MarkdownLine> {
    let mut out = Lines::default();
    let gutter = Lead::styled(
        vec![(
            "10:30 agent ".to_owned(),
            Theme {
                mono: true,
                light: false,
            }
            .muted(),
        )],
        12,
    );
    markdown::render(
        content,
        Theme {
            mono: true,
            light: false,
        },
        gutter,
        2,
        &mut out,
    );
    let flat = |lead: &Lead| {
        lead.segs
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<String>()
    };
    out.lines
        .iter()
        .map(|line| MarkdownLine {
            lead: flat(&line.lead),
            cont: flat(&line.cont),
            text: line.text.clone(),
        })
        .collect()
}
