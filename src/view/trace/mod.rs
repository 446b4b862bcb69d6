//! The Trace tab's waterfall: a conversation's turns, each a tree of spans, laid out once as rows (depth, bar, duration, status) so a frame draws only the rows in view.

pub mod inspect;

use std::fmt::Write as _;

use crate::format::{human, trace as trace_format};
use crate::provider::model::{Span, TraceTree};
use crate::text::{self, Lines};

/// Past this depth the indentation stops growing (the label says how deep).
const MAX_INDENT: usize = 16;

/// One turn of the conversation: one trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    /// The trace id, inert.
    pub trace_id: String,
    /// `agentsight.turn.id` of its root, inert, when given.
    pub turn_id: Option<String>,
    /// How many spans it holds here.
    pub spans: usize,
    /// From its earliest start to its latest end.
    pub total_ms: f64,
    /// Why it never finished (`agentsight.turn.incomplete_reason`), when it did not.
    pub incomplete: Option<String>,
    /// What to say (and run) when the server cut the trace short.
    pub truncated: Option<String>,
    /// Its heading row.
    pub first_row: usize,
}

/// What a row shows.
#[derive(Clone, Debug, PartialEq)]
pub enum RowKind {
    /// The turn's heading: which turn, how many spans, whether it finished.
    Heading,
    /// A line of text under the heading (the trace was cut short).
    Note(String),
    /// One span.
    Span(Box<SpanRow>),
}

/// One span as the waterfall shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRow {
    /// 0 for the turn's root.
    pub depth: usize,
    /// `kind name`, inert.
    pub label: String,
    /// From the turn's start, when known.
    pub offset_ms: Option<f64>,
    pub duration_ms: Option<f64>,
    pub error: bool,
    /// A turn span that never finished: its reason.
    pub incomplete: Option<String>,
    /// The span without its children, for its attributes (Enter) and its
    /// row id (`p` loads the payload by it).
    pub span: Span,
}

/// One row of the waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Which turn it belongs to (an index into [`Waterfall::turns`]).
    pub turn: usize,
    pub kind: RowKind,
}

/// A row's parts at one width: the tree column, the bar in its track, the duration and status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowText {
    /// Exactly `left_width` columns.
    pub left: String,
    /// Where the bar starts in the track and how many cells it takes; `None` without a start time.
    pub bar: Option<(usize, usize)>,
    /// How many cells the track takes.
    pub track: usize,
    /// The duration and status mark, right-aligned.
    pub right: String,
}

/// Notes are cut into rows of at most this many columns at word breaks, so
/// the remedy for a cut trace reads whole in the narrow two-pane layout.
const NOTE_WIDTH: usize = 56;

/// Splits text into lines of at most `width` columns at spaces (a longer word keeps its own line).
fn words_to(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !current.is_empty() && text::width(&current) + 1 + text::width(word) > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The columns of the duration and status.
pub const RIGHT_WIDTH: usize = 13;

/// The whole tab: every turn's rows, in the order the turns happened.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Waterfall {
    pub turns: Vec<Turn>,
    pub rows: Vec<Row>,
    /// The rows of spans that ended in an error, in order (`e`/`E` walk them).
    pub errors: Vec<usize>,
}

fn inert(text: &str) -> String {
    text::sanitize(text, Lines::Join).into_owned()
}

impl Waterfall {
    /// Lays out the turns (each a trace), earliest first as given.
    #[must_use]
    pub fn build(trees: &[TraceTree]) -> Self {
        let mut out = Self::default();
        for (index, tree) in trees.iter().enumerate() {
            let lines = tree.lines();
            let root = tree.roots().first();
            let turn = Turn {
                trace_id: inert(tree.trace_id.as_deref().unwrap_or("?")),
                turn_id: root
                    .and_then(|r| r.attribute("agentsight.turn.id"))
                    .and_then(serde_json::Value::as_str)
                    .map(inert),
                spans: lines.len(),
                total_ms: trace_format::extent_ms(&lines),
                incomplete: tree
                    .roots()
                    .iter()
                    .find_map(Span::incomplete_reason)
                    .map(inert),
                truncated: (tree.truncated == Some(true))
                    .then(|| trace_format::truncation_note(tree)),
                first_row: out.rows.len(),
            };
            out.rows.push(Row {
                turn: index,
                kind: RowKind::Heading,
            });
            if let Some(note) = &turn.truncated {
                for part in words_to(note, NOTE_WIDTH) {
                    out.rows.push(Row {
                        turn: index,
                        kind: RowKind::Note(part),
                    });
                }
            }
            for line in &lines {
                let span = line.span;
                let kind = span.kind.as_deref().unwrap_or("span");
                let name = span.name.as_deref().unwrap_or("(unnamed)");
                let mut label = format!("{} {}", inert(kind), inert(name));
                if line.depth > MAX_INDENT {
                    label = format!("[{}] {label}", line.depth);
                }
                if span.is_error() {
                    out.errors.push(out.rows.len());
                }
                out.rows.push(Row {
                    turn: index,
                    kind: RowKind::Span(Box::new(SpanRow {
                        depth: line.depth,
                        label,
                        offset_ms: line.offset_ms,
                        duration_ms: span.duration_ms,
                        error: span.is_error(),
                        incomplete: span.incomplete_reason().map(inert),
                        span: trace_format::without_children(span),
                    })),
                });
            }
            out.turns.push(turn);
        }
        out
    }

    /// The heading of turn `index`, as one line.
    #[must_use]
    pub fn heading(&self, index: usize) -> String {
        let Some(turn) = self.turns.get(index) else {
            return String::new();
        };
        let mut out = format!(
            "turn {} of {} · {} {} · {}",
            index + 1,
            self.turns.len(),
            turn.spans,
            if turn.spans == 1 { "span" } else { "spans" },
            human::duration_ms(turn.total_ms)
        );
        if let Some(reason) = &turn.incomplete {
            let _ = write!(out, " · ⏸ never finished: {reason}");
        }
        if turn.truncated.is_some() {
            out.push_str(" · truncated");
        }
        let _ = write!(out, " · trace {}", turn.trace_id);
        out
    }

    /// The first span row of the turn whose `agentsight.turn.id` is `turn_id`.
    #[must_use]
    pub fn row_of_turn(&self, turn_id: &str) -> Option<usize> {
        let turn = self
            .turns
            .iter()
            .find(|t| t.turn_id.as_deref() == Some(turn_id))?;
        Some(turn.first_row)
    }

    /// The span on a row, if the row is a span's.
    #[must_use]
    pub fn span_at(&self, row: usize) -> Option<&SpanRow> {
        match &self.rows.get(row)?.kind {
            RowKind::Span(span) => Some(span),
            _ => None,
        }
    }

    /// A span row laid out for `width` columns: the tree on the left (indented
    /// by depth), the bar in the middle, duration and status on the right.
    /// `None` for headings and notes, which are one line of text.
    #[must_use]
    pub fn row_text(&self, row: usize, width: usize) -> Option<RowText> {
        let span = self.span_at(row)?;
        let total = self
            .rows
            .get(row)
            .and_then(|r| self.turns.get(r.turn))?
            .total_ms;
        let left_width = (width * 45 / 100).min(48);
        let track = width.saturating_sub(left_width + RIGHT_WIDTH + 2);
        let indent = "  ".repeat(span.depth.min(MAX_INDENT));
        let mut label = format!("{indent}{}", span.label);
        if let Some(reason) = &span.incomplete {
            let _ = write!(label, " ⏸ {reason}");
        }
        let left = text::fit(&label, left_width);
        let bar = span
            .offset_ms
            .map(|at| trace_format::bar(at, span.duration_ms.unwrap_or(0.0), total, track));
        let mark = if span.error {
            "✗"
        } else if span.incomplete.is_some() {
            "⏸"
        } else {
            " "
        };
        let duration = span
            .duration_ms
            .map_or_else(|| "?".to_owned(), human::duration_ms);
        let right = format!("{duration:>11} {mark}");
        Some(RowText {
            left,
            bar,
            track,
            right,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_tool_and_an_unfinished_turn_read_without_colour() {
        let tree: TraceTree = serde_json::from_str(
            r#"{"trace_id":"t1","span_count":3,"truncated":true,"roots":[
                {"id":1,"conversation_id":"wa-1","kind":"turn","name":"retry","duration_ms":100.0,"started_at":"2026-08-17T13:32:32.000Z",
                 "attributes":{"agentsight.turn.id":"turn-1-0","agentsight.turn.complete":false,"agentsight.turn.incomplete_reason":"deadline"},"children":[
                  {"id":2,"kind":"tool","name":"lookup","status":"error","duration_ms":50.0,"started_at":"2026-08-17T13:32:32.050Z","children":[]}]}]}"#,
        )
        .unwrap();
        let fall = Waterfall::build(&[tree]);
        let notes = fall.rows.len() - 3;
        assert!(notes >= 2, "heading, the note in rows, two spans");
        assert_eq!(fall.errors, [notes + 2]);
        assert_eq!(fall.row_of_turn("turn-1-0"), Some(0));
        assert!(fall.heading(0).contains("never finished: deadline"));
        let text = fall.row_text(notes + 2, 80).unwrap();
        assert!(text.right.ends_with('✗'));
        assert_eq!(
            text.bar,
            Some((text.track / 2, text.track - text.track / 2))
        );
        assert!(
            fall.row_text(notes + 1, 80)
                .unwrap()
                .left
                .contains("⏸ deadline")
        );
        let note: Vec<_> = fall.rows[1..=notes]
            .iter()
            .filter_map(|r| match &r.kind {
                RowKind::Note(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            note.join(" ")
                .contains("convo spans wa-1 --trace-id t1 --all"),
            "{note:?}"
        );
        assert!(note.iter().all(|n| text::width(n) <= NOTE_WIDTH));
    }
}
