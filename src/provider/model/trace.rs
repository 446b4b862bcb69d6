//! Spans as stored (`/api/spans/`) and traces as trees (`/api/traces/{id}/`), with the one walk that lays a tree out as lines.
//!
//! A tree is walked with an explicit stack, never by recursion, and a tree
//! built from flat rows survives cycles and missing parents: every span shows
//! exactly once.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::provider::lenient::{Timestamp, wire_record};

wire_record! {
    /// One span: a turn, an LLM call, a tool call, … Trace nodes are spans
    /// with `children`; list rows never carry `payload`.
    pub struct Span {
        /// The row id (what `GET /api/spans/{id}/` takes), not the `span_id`.
        pub id: Option<i64> = "id",
        /// The conversation's primary key.
        pub conversation: Option<i64> = "conversation",
        pub conversation_id: Option<String> = "conversation_id",
        /// 32 hex digits.
        pub trace_id: Option<String> = "trace_id",
        /// 16 hex digits, unique within a conversation only.
        pub span_id: Option<String> = "span_id",
        pub parent_span_id: Option<String> = "parent_span_id",
        /// `turn`, `llm`, `tool`, `task`, `button`, `attachment`, `conversation`, or newer ones.
        pub kind: Option<String> = "kind",
        pub name: Option<String> = "name",
        pub started_at: Option<Timestamp> = "started_at",
        pub ended_at: Option<Timestamp> = "ended_at",
        /// With a fraction (`0.132`).
        pub duration_ms: Option<f64> = "duration_ms",
        /// `ok`, `error` or `unset`.
        pub status: Option<String> = "status",
        /// Tool arguments and responses, token counts, message text: see the spec's attribute table.
        pub attributes: Option<Value> = "attributes",
        pub events: Option<Vec<SpanEvent>> = "events",
        /// The verbatim span, only from `GET /api/spans/{id}/?payload=true`.
        pub payload: Option<Value> = "payload",
        /// A trace node's children, in the order the server gave them.
        pub children: Option<Vec<Span>> = "children",
    }
}

wire_record! {
    /// Something that happened at an instant inside a span (a message, an exception).
    pub struct SpanEvent {
        pub name: Option<String> = "name",
        pub attributes: Option<Value> = "attributes",
        pub timestamp: Option<Timestamp> = "timestamp",
    }
}

wire_record! {
    /// One trace, nested by parent: `{trace_id, span_count, truncated, roots}`.
    pub struct TraceTree {
        pub trace_id: Option<String> = "trace_id",
        /// The number of nodes in the tree (orphans included, as roots).
        pub span_count: Option<i64> = "span_count",
        /// Spans are missing: the trace was larger than one answer holds.
        pub truncated: Option<bool> = "truncated",
        pub roots: Option<Vec<Span>> = "roots",
    }
}

/// One span of a laid-out tree: how deep it sits and where it falls in time.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceLine<'a> {
    /// 0 for a root.
    pub depth: usize,
    pub span: &'a Span,
    /// Milliseconds from the tree's earliest start to this span's start, when both are known.
    pub offset_ms: Option<f64>,
}

/// A tree deeper than the stack allows must still drop: children are taken
/// apart with a loop instead of the recursive drop Rust would generate.
impl Drop for Span {
    fn drop(&mut self) {
        let Some(children) = self.children.take() else {
            return;
        };
        let mut stack = children;
        while let Some(mut span) = stack.pop() {
            if let Some(grandchildren) = span.children.take() {
                stack.extend(grandchildren);
            }
        }
    }
}

impl Span {
    /// The children, empty for a leaf or a list row.
    #[must_use]
    pub fn children(&self) -> &[Span] {
        self.children.as_deref().unwrap_or_default()
    }

    /// Whether the span ended in an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.status.as_deref() == Some("error")
    }

    /// An attribute by its dotted name (`agentsight.tool.name`): attribute
    /// maps use the dotted names as flat keys.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&Value> {
        self.attributes.as_ref()?.get(name)
    }

    /// A turn that never finished: `agentsight.turn.complete` false, with its reason if given.
    #[must_use]
    pub fn incomplete_reason(&self) -> Option<&str> {
        let complete = self.attribute("agentsight.turn.complete")?;
        let finished = complete
            .as_bool()
            .or_else(|| complete.as_str().map(|s| s == "true"))?;
        if finished {
            return None;
        }
        Some(
            self.attribute("agentsight.turn.incomplete_reason")
                .and_then(Value::as_str)
                .unwrap_or("unknown"),
        )
    }
}

impl TraceTree {
    /// The roots, empty when none came.
    #[must_use]
    pub fn roots(&self) -> &[Span] {
        self.roots.as_deref().unwrap_or_default()
    }

    /// Every node, depth first in the server's order, with its depth and its
    /// offset from the earliest start in the tree.
    #[must_use]
    pub fn lines(&self) -> Vec<TraceLine<'_>> {
        let mut lines = Vec::new();
        let mut stack: Vec<(usize, &Span)> = self.roots().iter().rev().map(|s| (0, s)).collect();
        while let Some((depth, span)) = stack.pop() {
            lines.push(TraceLine {
                depth,
                span,
                offset_ms: None,
            });
            stack.extend(span.children().iter().rev().map(|c| (depth + 1, c)));
        }
        let start = lines
            .iter()
            .filter_map(|l| l.span.started_at.as_ref()?.instant())
            .min();
        if let Some(start) = start {
            for line in &mut lines {
                line.offset_ms = line
                    .span
                    .started_at
                    .as_ref()
                    .and_then(Timestamp::instant)
                    .and_then(|at| (at - start).num_microseconds())
                    .map(|us| us as f64 / 1000.0);
            }
        }
        lines
    }

    /// How many nodes the tree holds.
    #[must_use]
    pub fn node_count(&self) -> usize {
        let mut count = 0;
        let mut stack: Vec<&Span> = self.roots().iter().collect();
        while let Some(span) = stack.pop() {
            count += 1;
            stack.extend(span.children());
        }
        count
    }
}

/// Nests flat span rows by `parent_span_id`, as the traces route does: a
/// span whose parent is missing becomes a root, and spans caught in a parent
/// cycle (or a duplicate `span_id`) are cut loose as roots too, so every row
/// appears exactly once. Roots and children keep the rows' order.
#[must_use]
pub fn nest_spans(rows: Vec<Span>) -> Vec<Span> {
    let index_of: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.span_id.clone()?, i)))
        .collect();
    // A row's parent index, when its parent is another row (and not itself).
    let parent: Vec<Option<usize>> = rows
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.parent_span_id
                .as_ref()
                .and_then(|p| index_of.get(p).copied())
                .filter(|p| *p != i)
        })
        .collect();
    // Walk up from every row; a walk that comes back on itself is a cycle, and
    // the row where it was noticed is made a root to break it.
    let mut parent = parent;
    let mut settled = vec![false; rows.len()];
    for start in 0..rows.len() {
        let mut seen = HashSet::new();
        let mut at = start;
        while !settled[at] {
            if !seen.insert(at) {
                parent[at] = None;
                break;
            }
            match parent[at] {
                Some(up) => at = up,
                None => break,
            }
        }
        for i in seen {
            settled[i] = true;
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    let mut slots: Vec<Option<Span>> = rows.into_iter().map(Some).collect();
    // Build bottom-up without recursion: order nodes so children come before parents.
    let mut order = Vec::with_capacity(slots.len());
    let mut stack: Vec<usize> = roots.clone();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(children[i].iter().copied());
    }
    let mut built: Vec<Option<Span>> = vec![None; slots.len()];
    for &i in order.iter().rev() {
        let Some(mut span) = slots[i].take() else {
            continue;
        };
        let kids: Vec<Span> = children[i]
            .iter()
            .filter_map(|c| built[*c].take())
            .collect();
        span.children = Some(kids);
        built[i] = Some(span);
    }
    roots.iter().filter_map(|r| built[*r].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(span: &str, parent: Option<&str>) -> Span {
        // `Span` has a `Drop`, so no `..Span::default()`: fields are set one by one.
        let mut row = Span::default();
        row.span_id = Some(span.to_owned());
        row.parent_span_id = parent.map(str::to_owned);
        row
    }

    /// Counted in place: cloning a deep tree would recurse.
    fn count(roots: &[Span]) -> usize {
        let mut count = 0;
        let mut stack: Vec<&Span> = roots.iter().collect();
        while let Some(span) = stack.pop() {
            count += 1;
            stack.extend(span.children());
        }
        count
    }

    #[test]
    fn the_documented_trace_lays_out_depth_first() {
        let tree: TraceTree = serde_json::from_str(
            r#"{"trace_id":"617823595d579cb34b3988c807b0cbe6","span_count":3,"truncated":false,"roots":[
                {"kind":"turn","name":"retry","duration_ms":102.219,"started_at":"2026-08-17T13:32:32.000Z","children":[
                  {"kind":"tool","name":"check_open_tickets","duration_ms":100.31,"started_at":"2026-08-17T13:32:32.001Z","children":[]},
                  {"kind":"llm","name":"gpt-4o-mini","duration_ms":1.587,"started_at":"2026-08-17T13:32:32.101Z","children":[]}]}]}"#,
        )
        .unwrap();
        let lines = tree.lines();
        let names: Vec<_> = lines
            .iter()
            .map(|l| (l.depth, l.span.name.as_deref().unwrap()))
            .collect();
        assert_eq!(
            names,
            [(0, "retry"), (1, "check_open_tickets"), (1, "gpt-4o-mini")]
        );
        assert_eq!(lines[2].offset_ms, Some(101.0));
        assert_eq!(tree.node_count(), 3);
    }

    #[test]
    fn orphans_become_roots_and_a_cycle_is_cut_with_every_span_kept() {
        let roots = nest_spans(vec![
            row("a", None),
            row("b", Some("a")),
            row("c", Some("missing")),
            row("d", Some("e")),
            row("e", Some("d")),
            row("f", Some("f")),
        ]);
        assert_eq!(count(&roots), 6);
        let root_ids: Vec<_> = roots
            .iter()
            .map(|s| s.span_id.as_deref().unwrap())
            .collect();
        assert!(root_ids.contains(&"a") && root_ids.contains(&"c") && root_ids.contains(&"f"));
        assert_eq!(roots[0].children()[0].span_id.as_deref(), Some("b"));
    }

    #[test]
    fn a_deep_chain_is_nested_without_recursion() {
        let mut rows = vec![row("0", None)];
        for i in 1..5_000 {
            rows.push(row(&i.to_string(), Some(&(i - 1).to_string())));
        }
        let roots = nest_spans(rows);
        assert_eq!(roots.len(), 1);
        assert_eq!(count(&roots), 5_000);
        let tree = TraceTree {
            roots: Some(roots),
            ..TraceTree::default()
        };
        assert_eq!(tree.lines().last().unwrap().depth, 4_999);
        // Dropping a 5,000-deep tree must not overflow the stack either.
        drop(tree);
    }
}
