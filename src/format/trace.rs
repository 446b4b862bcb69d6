//! A trace as an indented tree of text, and as JSON written without recursion so that a trace of any depth prints.

use std::fmt::Write as _;

use serde_json::Value;

use super::human;
use crate::provider::model::{Span, TraceTree};
use crate::text::{self, Lines};

/// Past this depth the indentation stops growing and the depth is written
/// out instead, so a deep trace stays readable on a terminal.
const MAX_INDENT: usize = 32;

/// The most characters of tool arguments shown on a line.
const ARGUMENTS_WIDTH: usize = 120;

/// Below this depth the derived (recursive) serialiser is safe and pretty.
const PRETTY_DEPTH: usize = 64;

fn line(text: &str) -> String {
    text::sanitize(text, Lines::Join).into_owned()
}

/// An attribute as text: strings as they are, anything else as JSON.
fn attribute_text(span: &Span, name: &str) -> Option<String> {
    match span.attribute(name)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// One span on one line: kind, name, duration, status, tool call, why a turn did not finish.
#[must_use]
pub fn span_line(span: &Span) -> String {
    let mut out = format!(
        "{} {}",
        line(span.kind.as_deref().unwrap_or("span")),
        line(span.name.as_deref().unwrap_or("(unnamed)"))
    );
    if let Some(ms) = span.duration_ms {
        let _ = write!(out, " · {}", human::duration_ms(ms));
    }
    if span.is_error() {
        out.push_str(" · ✗ error");
    }
    if span.kind.as_deref() == Some("tool") {
        let tool = attribute_text(span, "agentsight.tool.name");
        if let Some(tool) = tool.as_deref().filter(|t| Some(*t) != span.name.as_deref()) {
            let _ = write!(out, " · tool {}", line(tool));
        }
        if let Some(arguments) = attribute_text(span, "agentsight.tool.arguments") {
            let _ = write!(
                out,
                " · args {}",
                text::truncate(&line(&arguments), ARGUMENTS_WIDTH)
            );
        }
        if let Some(error) = attribute_text(span, "agentsight.tool.error").filter(|e| !e.is_empty())
        {
            let _ = write!(
                out,
                " · error: {}",
                text::truncate(&line(&error), ARGUMENTS_WIDTH)
            );
        }
    }
    if let Some(reason) = span.incomplete_reason() {
        let _ = write!(out, " · incomplete: {}", line(reason));
    }
    out
}

/// How many cells the headless waterfall's bar column takes.
pub const TEXT_BAR_WIDTH: usize = 30;

/// Where a span's bar falls in a track of `width` cells: its first cell and
/// how many cells it covers (at least one, so an instant span still shows).
/// `total_ms` is the turn's length; a turn of no length fills the track.
#[must_use]
pub fn bar(offset_ms: f64, duration_ms: f64, total_ms: f64, width: usize) -> (usize, usize) {
    if width == 0 {
        return (0, 0);
    }
    if !(total_ms.is_finite() && total_ms > 0.0) {
        return (0, width);
    }
    #[allow(clippy::cast_precision_loss)] // a track is a few hundred cells
    let scale = width as f64 / total_ms;
    let cell = |ms: f64| -> usize {
        let cells = (ms.max(0.0) * scale).round();
        // Clamped to the track first, so the cast neither wraps nor truncates.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let cells = cells.min(width as f64) as usize;
        cells
    };
    let start = cell(offset_ms).min(width - 1);
    let end = cell(offset_ms + duration_ms.max(0.0)).clamp(start + 1, width);
    (start, end - start)
}

/// The length of a trace in milliseconds: from its earliest start to its
/// latest end (0 when no span says when it ran).
#[must_use]
pub fn extent_ms(lines: &[crate::provider::model::TraceLine<'_>]) -> f64 {
    lines
        .iter()
        .filter_map(|l| Some(l.offset_ms? + l.span.duration_ms.unwrap_or(0.0).max(0.0)))
        .fold(0.0, f64::max)
}

/// The conversation a trace belongs to, as `convo spans` takes it.
fn conversation_of(tree: &TraceTree) -> String {
    tree.roots()
        .iter()
        .find_map(|s| {
            s.conversation_id
                .clone()
                .filter(|id| !id.is_empty())
                .or_else(|| s.conversation.map(|pk| pk.to_string()))
        })
        .map_or_else(|| "CONVERSATION".to_owned(), |c| line(&c))
}

/// What to say of a trace the server cut short, with the command that lists all of its spans.
#[must_use]
pub fn truncation_note(tree: &TraceTree) -> String {
    let trace_id = line(tree.trace_id.as_deref().unwrap_or("TRACE_ID"));
    format!(
        "truncated: spans are missing (the trace was larger than one answer); \
         list them all with: convo spans {} --trace-id {trace_id} --all",
        conversation_of(tree)
    )
}

/// The trace as text: a header, then one line per span — a bar of plain
/// characters whose offset and length are the span's start and duration
/// within the trace, then the span indented by depth.
#[must_use]
pub fn to_text(tree: &TraceTree) -> String {
    let mut out = String::new();
    let nodes = tree.node_count();
    let trace_id = line(tree.trace_id.as_deref().unwrap_or("(no trace id)"));
    let _ = write!(
        out,
        "trace {trace_id} · {}",
        super::count::plural(nodes, "span")
    );
    if let Some(count) = tree
        .span_count
        .filter(|c| usize::try_from(*c).ok() != Some(nodes))
    {
        let _ = write!(out, " (the server counted {count})");
    }
    out.push('\n');
    if tree.truncated == Some(true) {
        out.push_str(&truncation_note(tree));
        out.push('\n');
    }
    let lines = tree.lines();
    let total = extent_ms(&lines);
    for entry in &lines {
        let indent = "  ".repeat(entry.depth.min(MAX_INDENT));
        let deep = if entry.depth > MAX_INDENT {
            format!("[depth {}] ", entry.depth)
        } else {
            String::new()
        };
        let mut track = [' '; TEXT_BAR_WIDTH];
        if let Some(offset) = entry.offset_ms {
            let (from, cells) = bar(
                offset,
                entry.span.duration_ms.unwrap_or(0.0),
                total,
                TEXT_BAR_WIDTH,
            );
            let fill = if entry.span.is_error() { 'x' } else { '#' };
            for cell in track.iter_mut().skip(from).take(cells) {
                *cell = fill;
            }
        } else {
            // No start time: nowhere to put the bar, and saying so beats guessing.
            track.fill('?');
        }
        let track: String = track.iter().collect();
        let _ = writeln!(out, "|{track}| {indent}{deep}{}", span_line(entry.span));
    }
    if nodes == 0 {
        out.push_str("(no spans)\n");
    }
    out
}

/// The trace as JSON, as it came: pretty when shallow, compact (and written
/// without recursion) when deep.
///
/// # Errors
/// A record that does not encode (never for the model's types).
pub fn to_json(tree: &TraceTree) -> Result<String, serde_json::Error> {
    let depth = tree.lines().iter().map(|l| l.depth).max().unwrap_or(0);
    if depth < PRETTY_DEPTH {
        let mut text = serde_json::to_string_pretty(tree)?;
        text.push('\n');
        return Ok(text);
    }
    let head = tree.clone_without_roots();
    let mut out = open_object(&serde_json::to_string(&head)?);
    out.push_str("\"roots\":[");
    write_nodes(&mut out, tree.roots())?;
    out.push_str("]}\n");
    Ok(out)
}

/// `{"a":1}` → `{"a":1,` and `{}` → `{`, ready for one more key.
fn open_object(json: &str) -> String {
    let body = json.strip_suffix('}').unwrap_or(json);
    if body.ends_with('{') {
        body.to_owned()
    } else {
        format!("{body},")
    }
}

enum Step<'a> {
    Node(&'a Span),
    Comma,
    Close,
}

/// Writes nodes and their children with an explicit stack.
fn write_nodes(out: &mut String, roots: &[Span]) -> Result<(), serde_json::Error> {
    let mut stack = Vec::new();
    push_siblings(&mut stack, roots);
    while let Some(step) = stack.pop() {
        match step {
            Step::Comma => out.push(','),
            Step::Close => out.push_str("]}"),
            Step::Node(span) => {
                let shallow = serde_json::to_string(&span.without_children())?;
                match &span.children {
                    Some(children) => {
                        out.push_str(&open_object(&shallow));
                        out.push_str("\"children\":[");
                        stack.push(Step::Close);
                        push_siblings(&mut stack, children);
                    }
                    None => out.push_str(&shallow),
                }
            }
        }
    }
    Ok(())
}

fn push_siblings<'a>(stack: &mut Vec<Step<'a>>, siblings: &'a [Span]) {
    for (i, span) in siblings.iter().enumerate().rev() {
        stack.push(Step::Node(span));
        if i > 0 {
            stack.push(Step::Comma);
        }
    }
}

/// A copy of one span that leaves its children behind (cloning a deep tree would recurse).
#[must_use]
pub fn without_children(span: &Span) -> Span {
    span.without_children()
}

/// Copies that leave the tree behind: cloning a deep tree would recurse.
trait Shallow {
    fn without_children(&self) -> Span;
}

impl Shallow for Span {
    fn without_children(&self) -> Span {
        let mut copy = Span::default();
        copy.id = self.id;
        copy.conversation = self.conversation;
        copy.conversation_id.clone_from(&self.conversation_id);
        copy.trace_id.clone_from(&self.trace_id);
        copy.span_id.clone_from(&self.span_id);
        copy.parent_span_id.clone_from(&self.parent_span_id);
        copy.kind.clone_from(&self.kind);
        copy.name.clone_from(&self.name);
        copy.started_at.clone_from(&self.started_at);
        copy.ended_at.clone_from(&self.ended_at);
        copy.duration_ms = self.duration_ms;
        copy.status.clone_from(&self.status);
        copy.attributes.clone_from(&self.attributes);
        copy.events.clone_from(&self.events);
        copy.payload.clone_from(&self.payload);
        copy.extra.clone_from(&self.extra);
        copy
    }
}

trait ShallowTree {
    fn clone_without_roots(&self) -> TraceTree;
}

impl ShallowTree for TraceTree {
    fn clone_without_roots(&self) -> TraceTree {
        TraceTree {
            trace_id: self.trace_id.clone(),
            span_count: self.span_count,
            truncated: self.truncated,
            roots: None,
            extra: self.extra.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deep_trace_prints_as_valid_json_without_recursion() {
        let mut rows = Vec::new();
        for i in 0..3_000 {
            let mut span = Span::default();
            span.span_id = Some(i.to_string());
            span.parent_span_id = (i > 0).then(|| (i - 1).to_string());
            span.name = Some(format!("s{i}"));
            rows.push(span);
        }
        let tree = TraceTree {
            trace_id: Some("t".to_owned()),
            roots: Some(crate::provider::model::nest_spans(rows)),
            ..TraceTree::default()
        };
        let json = to_json(&tree).unwrap();
        assert!(json.starts_with("{\"trace_id\":\"t\",\"roots\":[{"));
        assert_eq!(json.matches("\"name\":").count(), 3_000);
        assert!(json.trim_end().ends_with(&"]}".repeat(3_001)));
        let text = to_text(&tree);
        assert!(text.contains("[depth 2999] span s2999"));
        assert_eq!(bar(0.0, 10.0, 10.0, 30), (0, 30));
        assert_eq!(bar(5.0, 0.0, 10.0, 30), (15, 1));
        assert_eq!(bar(10.0, 0.0, 10.0, 30), (29, 1));
        assert_eq!(bar(0.0, 1.0, 0.0, 8), (0, 8));
    }
}
